//! `policy.linkerd.io` ServerAuthorization: the older way to authorize
//! clients of a Server (superseded by AuthorizationPolicy).

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::{Network, selector};

/// A ServerAuthorization: lets the described clients talk to the selected
/// Servers in the same namespace.
pub type ServerAuthorization = mesh_k8s::Object<ServerAuthorizationSpec>;

/// The spec of a [`ServerAuthorization`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServerAuthorizationSpec {
    /// The Servers (in this namespace) this authorization applies to.
    pub server: ServerSelector,
    /// The clients it authorizes.
    pub client: Client,
}

impl Default for ServerAuthorizationSpec {
    /// A placeholder (no server name, unauthenticated clients) for `Kind`'s
    /// `Default` bound.
    fn default() -> Self {
        ServerAuthorizationSpec {
            server: ServerSelector::Name(String::new()),
            client: Client {
                networks: Vec::new(),
                authentication: ClientAuthentication::Unauthenticated,
            },
        }
    }
}

/// Which Servers a [`ServerAuthorization`] applies to: exactly one of
/// `name` and `selector`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ServerSelectorRepr", into = "ServerSelectorRepr")]
pub enum ServerSelector {
    /// The Server with this name.
    Name(String),
    /// The Servers whose labels match.
    Selector(LabelSelector),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ServerSelectorRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selector: Option<selector::Repr>,
}

impl TryFrom<ServerSelectorRepr> for ServerSelector {
    type Error = String;
    fn try_from(r: ServerSelectorRepr) -> Result<Self, String> {
        match (r.name, r.selector) {
            (Some(n), None) => Ok(ServerSelector::Name(n)),
            (None, Some(s)) => Ok(ServerSelector::Selector(s.into())),
            _ => Err(
                "ServerAuthorization server: exactly one of name and selector must be set"
                    .to_owned(),
            ),
        }
    }
}

impl From<ServerSelector> for ServerSelectorRepr {
    fn from(s: ServerSelector) -> Self {
        match s {
            ServerSelector::Name(n) => ServerSelectorRepr {
                name: Some(n),
                selector: None,
            },
            ServerSelector::Selector(s) => ServerSelectorRepr {
                name: None,
                selector: Some(s.into()),
            },
        }
    }
}

/// The clients a [`ServerAuthorization`] authorizes: where they connect
/// from and how they must authenticate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ClientRepr", into = "ClientRepr")]
pub struct Client {
    /// Client networks; empty means the controller's default (all networks
    /// or the cluster's networks).
    pub networks: Vec<Network>,
    /// How the clients authenticate.
    pub authentication: ClientAuthentication,
}

/// How the clients of a [`ServerAuthorization`] authenticate. On the wire
/// this is `unauthenticated: true`, or a `meshTLS` object (the policy
/// controller ignores `meshTLS` when `unauthenticated` is true and rejects an
/// authorization with neither, so exactly one is accepted here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// `unauthenticated: true`: any client, meshed or not.
    Unauthenticated,
    /// `meshTLS.unauthenticatedTLS: true`: TLS clients without a client
    /// identity (mostly for the identity controller, whose clients do not
    /// have a certificate yet).
    TlsUnauthenticated,
    /// `meshTLS` with identities and/or service accounts: meshed clients with
    /// one of these identities.
    MeshTls {
        /// Proxy identities (`web.emojivoto.serviceaccount.identity.linkerd.cluster.local`);
        /// `*.` prefix matches a domain, `*` any authenticated client.
        identities: Vec<String>,
        /// Service accounts whose identities are authorized.
        service_accounts: Vec<ServiceAccountRef>,
    },
}

/// A ServiceAccount, by name and optional namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountRef {
    /// The ServiceAccount's name.
    pub name: String,
    /// Its namespace; absent means the authorization's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientRepr {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    networks: Vec<Network>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unauthenticated: Option<bool>,
    #[serde(rename = "meshTLS", default, skip_serializing_if = "Option::is_none")]
    mesh_tls: Option<MeshTlsRepr>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MeshTlsRepr {
    #[serde(
        rename = "unauthenticatedTLS",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    unauthenticated_tls: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    identities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    service_accounts: Vec<ServiceAccountRef>,
}

impl TryFrom<ClientRepr> for Client {
    type Error = String;
    fn try_from(r: ClientRepr) -> Result<Self, String> {
        let authentication = match (r.unauthenticated, r.mesh_tls) {
            (Some(true), None) => ClientAuthentication::Unauthenticated,
            (Some(true), Some(_)) => {
                return Err(
                    "ServerAuthorization client: `unauthenticated: true` and `meshTLS` are mutually exclusive"
                        .to_owned(),
                );
            }
            (_, None) => {
                return Err(
                    "ServerAuthorization client: needs `unauthenticated: true` or `meshTLS`"
                        .to_owned(),
                );
            }
            (_, Some(m)) => {
                if m.unauthenticated_tls == Some(true) {
                    if !m.identities.is_empty() || !m.service_accounts.is_empty() {
                        return Err("ServerAuthorization client meshTLS: `unauthenticatedTLS: true` excludes identities and serviceAccounts".to_owned());
                    }
                    ClientAuthentication::TlsUnauthenticated
                } else {
                    ClientAuthentication::MeshTls {
                        identities: m.identities,
                        service_accounts: m.service_accounts,
                    }
                }
            }
        };
        Ok(Client {
            networks: r.networks,
            authentication,
        })
    }
}

impl From<Client> for ClientRepr {
    fn from(c: Client) -> Self {
        let (unauthenticated, mesh_tls) = match c.authentication {
            ClientAuthentication::Unauthenticated => (Some(true), None),
            ClientAuthentication::TlsUnauthenticated => (
                None,
                Some(MeshTlsRepr {
                    unauthenticated_tls: Some(true),
                    identities: Vec::new(),
                    service_accounts: Vec::new(),
                }),
            ),
            ClientAuthentication::MeshTls {
                identities,
                service_accounts,
            } => (
                None,
                Some(MeshTlsRepr {
                    unauthenticated_tls: None,
                    identities,
                    service_accounts,
                }),
            ),
        };
        ClientRepr {
            networks: c.networks,
            unauthenticated,
            mesh_tls,
        }
    }
}

impl Kind for ServerAuthorizationSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "ServerAuthorization";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "serverauthorizations";
    const VERSIONS: &'static [&'static str] = &["v1beta1", "v1alpha1"];
    const API_VERSIONS: &'static [&'static str] =
        &["policy.linkerd.io/v1beta1", "policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Security;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
