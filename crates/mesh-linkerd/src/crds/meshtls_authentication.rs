//! `policy.linkerd.io` MeshTLSAuthentication: a set of mTLS client
//! identities for AuthorizationPolicies to require.

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

/// A MeshTLSAuthentication: a client connection is authenticated when its
/// mTLS identity matches ANY of the listed identities.
pub type MeshTlsAuthentication = mesh_k8s::Object<MeshTlsAuthenticationSpec>;

/// The spec of a [`MeshTlsAuthentication`]: exactly one of `identities` and
/// `identityRefs` (the CRD's `oneOf`), each with at least one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Repr", into = "Repr")]
pub enum MeshTlsAuthenticationSpec {
    /// Proxy identity strings (`web.emojivoto.serviceaccount.identity.linkerd.cluster.local`,
    /// SPIFFE IDs); a `*.` prefix matches a whole domain, `*` every
    /// authenticated client.
    Identities(Vec<String>),
    /// References to the objects whose identities are authorized (usually
    /// ServiceAccounts).
    IdentityRefs(Vec<IdentityRef>),
}

impl Default for MeshTlsAuthenticationSpec {
    /// A placeholder (no identities; invalid until one is added) for
    /// `Kind`'s `Default` bound.
    fn default() -> Self {
        MeshTlsAuthenticationSpec::Identities(Vec::new())
    }
}

/// A reference to identities by kind: a ServiceAccount by name, or every
/// object of the kind in the namespace when `name` is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IdentityRef {
    /// API group of the referent; absent means the core group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the referent (`ServiceAccount`).
    pub kind: String,
    /// Name of the referent; absent means all objects of this kind in the
    /// namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Namespace of the referent; absent means the authentication's
    /// namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl IdentityRef {
    /// The ServiceAccount `name` (in `namespace`, or the authentication's).
    pub fn service_account(name: &str, namespace: Option<&str>) -> Self {
        IdentityRef {
            group: None,
            kind: "ServiceAccount".to_owned(),
            name: Some(name.to_owned()),
            namespace: namespace.map(str::to_owned),
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Repr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identities: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identity_refs: Option<Vec<IdentityRef>>,
}

impl TryFrom<Repr> for MeshTlsAuthenticationSpec {
    type Error = String;
    fn try_from(r: Repr) -> Result<Self, String> {
        let spec = match (r.identities, r.identity_refs) {
            (Some(ids), None) => MeshTlsAuthenticationSpec::Identities(ids),
            (None, Some(refs)) => MeshTlsAuthenticationSpec::IdentityRefs(refs),
            _ => {
                return Err(
                    "MeshTLSAuthentication: exactly one of identities and identityRefs must be set"
                        .to_owned(),
                );
            }
        };
        let empty = match &spec {
            MeshTlsAuthenticationSpec::Identities(v) => v.is_empty(),
            MeshTlsAuthenticationSpec::IdentityRefs(v) => v.is_empty(),
        };
        if empty {
            return Err("MeshTLSAuthentication: the list must have at least 1 item".to_owned());
        }
        Ok(spec)
    }
}

impl From<MeshTlsAuthenticationSpec> for Repr {
    fn from(s: MeshTlsAuthenticationSpec) -> Self {
        match s {
            MeshTlsAuthenticationSpec::Identities(ids) => Repr {
                identities: Some(ids),
                identity_refs: None,
            },
            MeshTlsAuthenticationSpec::IdentityRefs(refs) => Repr {
                identities: None,
                identity_refs: Some(refs),
            },
        }
    }
}

impl Kind for MeshTlsAuthenticationSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "MeshTLSAuthentication";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "meshtlsauthentications";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Security;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
