//! `policy.linkerd.io` Server: a port on a set of pods or external
//! workloads, the unit inbound policy attaches to.

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::{Port, selector};

/// A Server: selects a port on a set of workloads in its namespace. Traffic
/// to that port is then authorized by `AuthorizationPolicy` (or the older
/// `ServerAuthorization`) and can be split into `HTTPRoute`s.
pub type Server = mesh_k8s::Object<ServerSpec>;

/// The spec of a [`Server`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ServerRepr", into = "ServerRepr")]
pub struct ServerSpec {
    /// The workloads whose port this is: pods or ExternalWorkloads.
    pub selector: WorkloadSelector,
    /// The port, by number or by container-port name. Required.
    pub port: Port,
    /// How inbound connections are detected; absent means `unknown`
    /// (protocol detection). Supersedes the `config.linkerd.io/opaque-ports`
    /// annotation.
    pub proxy_protocol: Option<ProxyProtocol>,
    /// What happens to traffic no authorization matches; absent means
    /// `deny`. Only in `v1beta3`.
    pub access_policy: Option<AccessPolicy>,
}

impl Default for ServerSpec {
    /// A placeholder (all pods, port name empty) for `Kind`'s `Default`
    /// bound; set `port` before use.
    fn default() -> Self {
        ServerSpec {
            selector: WorkloadSelector::Pod(LabelSelector::default()),
            port: Port::Name(String::new()),
            proxy_protocol: None,
            access_policy: None,
        }
    }
}

/// Which workloads a [`Server`] selects: exactly one of `podSelector` and
/// `externalWorkloadSelector` (the CRD's `oneOf`). Within a selector,
/// `matchLabels` and `matchExpressions` are ANDed; an empty selector selects
/// every workload of the namespace.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkloadSelector {
    /// `podSelector`: pods in the Server's namespace.
    Pod(LabelSelector),
    /// `externalWorkloadSelector`: ExternalWorkloads in the Server's
    /// namespace (`v1beta2` and later).
    ExternalWorkload(LabelSelector),
}

/// Protocol of inbound connections on a [`Server`]'s port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProxyProtocol {
    /// Detect the protocol (the default).
    #[serde(rename = "unknown")]
    Unknown,
    /// HTTP/1.x, no detection.
    #[serde(rename = "HTTP/1")]
    Http1,
    /// HTTP/2, no detection.
    #[serde(rename = "HTTP/2")]
    Http2,
    /// gRPC (HTTP/2), no detection.
    #[serde(rename = "gRPC")]
    Grpc,
    /// Opaque TCP: proxied without protocol detection, no HTTP features.
    #[serde(rename = "opaque")]
    Opaque,
    /// TLS terminated by the application: proxied as opaque TLS.
    #[serde(rename = "TLS")]
    Tls,
}

/// Default access policy of a [`Server`]: what happens to traffic that no
/// authorization matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccessPolicy {
    /// Deny it (the default).
    #[serde(rename = "deny")]
    Deny,
    /// Allow it but record it as would-be denied (audit mode).
    #[serde(rename = "audit")]
    Audit,
    /// Allow meshed (mTLS-authenticated) clients from any network.
    #[serde(rename = "all-authenticated")]
    AllAuthenticated,
    /// Allow all clients.
    #[serde(rename = "all-unauthenticated")]
    AllUnauthenticated,
    /// Allow meshed clients from the cluster's networks.
    #[serde(rename = "cluster-authenticated")]
    ClusterAuthenticated,
    /// Allow all clients from the cluster's networks.
    #[serde(rename = "cluster-unauthenticated")]
    ClusterUnauthenticated,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ServerRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_policy: Option<AccessPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pod_selector: Option<selector::Repr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    external_workload_selector: Option<selector::Repr>,
    port: Port,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_protocol: Option<ProxyProtocol>,
}

impl TryFrom<ServerRepr> for ServerSpec {
    type Error = String;
    fn try_from(r: ServerRepr) -> Result<Self, String> {
        let selector = match (r.pod_selector, r.external_workload_selector) {
            (Some(p), None) => WorkloadSelector::Pod(p.into()),
            (None, Some(e)) => WorkloadSelector::ExternalWorkload(e.into()),
            _ => {
                return Err(
                    "Server: exactly one of podSelector and externalWorkloadSelector must be set"
                        .to_owned(),
                );
            }
        };
        Ok(ServerSpec {
            selector,
            port: r.port,
            proxy_protocol: r.proxy_protocol,
            access_policy: r.access_policy,
        })
    }
}

impl From<ServerSpec> for ServerRepr {
    fn from(s: ServerSpec) -> Self {
        let (pod_selector, external_workload_selector) = match s.selector {
            WorkloadSelector::Pod(p) => (Some(p.into()), None),
            WorkloadSelector::ExternalWorkload(e) => (None, Some(e.into())),
        };
        ServerRepr {
            access_policy: s.access_policy,
            pod_selector,
            external_workload_selector,
            port: s.port,
            proxy_protocol: s.proxy_protocol,
        }
    }
}

impl Kind for ServerSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "Server";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "servers";
    const VERSIONS: &'static [&'static str] = &["v1beta3", "v1beta2", "v1beta1", "v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "policy.linkerd.io/v1beta3",
        "policy.linkerd.io/v1beta2",
        "policy.linkerd.io/v1beta1",
        "policy.linkerd.io/v1alpha1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Defaults;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;

    /// `accessPolicy` exists only in `v1beta3`, `externalWorkloadSelector`
    /// from `v1beta2`; `v1alpha1`'s podSelector needs exactly one of
    /// `matchLabels` and `matchExpressions`.
    fn check_version(&self, api_version: &str) -> Result<(), String> {
        let version = api_version.rsplit('/').next().unwrap_or(api_version);
        if version != "v1beta3" && self.access_policy.is_some() {
            return Err(format!(
                "Server {api_version} has no spec.accessPolicy (only policy.linkerd.io/v1beta3)"
            ));
        }
        if matches!(version, "v1beta1" | "v1alpha1") {
            match &self.selector {
                WorkloadSelector::ExternalWorkload(_) => {
                    return Err(format!(
                        "Server {api_version} has no spec.externalWorkloadSelector (v1beta2 and later)"
                    ));
                }
                WorkloadSelector::Pod(p) if version == "v1alpha1" => {
                    if p.match_labels.is_some() == p.match_expressions.is_some() {
                        return Err(format!(
                            "Server {api_version}: spec.podSelector needs exactly one of matchLabels and matchExpressions"
                        ));
                    }
                }
                WorkloadSelector::Pod(_) => {}
            }
        }
        Ok(())
    }
}
