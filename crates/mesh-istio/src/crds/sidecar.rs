//! `Sidecar` (networking.istio.io): the listeners and reachable hosts of
//! the sidecar proxies of selected workloads (or of a namespace): inbound
//! ports, the services they can call, and what happens to unknown
//! destinations.

use serde::{Deserialize, Serialize};

use super::common::{Destination, IstioStatus, WorkloadSelector, wire_enum};
use super::gateway::ServerTlsSettings;
use super::traffic_policy::ConnectionPoolSettings;

/// The spec of a `Sidecar`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SidecarSpec {
    /// Workloads this applies to. Default: every workload in the namespace
    /// (at most one such Sidecar per namespace).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub workload_selector: Option<WorkloadSelector>,
    /// Inbound listeners. Default: Istio's, from the workload's services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<IstioIngressListener>,
    /// Outbound listeners and the hosts they reach. Default: every service
    /// of the mesh visible to the namespace.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress: Vec<IstioEgressListener>,
    /// Inbound connection limits for every ingress listener without its
    /// own `connectionPool`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub inbound_connection_pool: Option<ConnectionPoolSettings>,
    /// What happens to traffic for destinations not in the registry.
    /// Default: the mesh setting (`ALLOW_ANY`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub outbound_traffic_policy: Option<OutboundTrafficPolicy>,
}

impl mesh_k8s::Kind for SidecarSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "Sidecar";
    const PLURAL: &'static str = "sidecars";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Defaults;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `Sidecar`.
pub type Sidecar = mesh_k8s::Object<SidecarSpec>;

/// A port of a sidecar listener (every field optional).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SidecarPort {
    /// The port number.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub number: Option<u32>,
    /// `HTTP`, `HTTPS`, `GRPC`, `HTTP2`, `MONGO`, `TCP` or `TLS`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    /// Name of the port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Deprecated: the port on the workload.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_port: Option<u32>,
}

/// An inbound listener of the sidecar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IstioIngressListener {
    /// The port the listener receives on (required).
    pub port: SidecarPort,
    /// IP to bind to. Default: the instance IP.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub bind: Option<String>,
    /// How traffic reaches the listener. Default: the namespace default.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub capture_mode: Option<CaptureMode>,
    /// Where traffic is forwarded (`127.0.0.1:8080`, `0.0.0.0:8080`,
    /// `unix:///path`). Default: the workload at the same port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_endpoint: Option<String>,
    /// Terminate TLS from outside the mesh on this listener.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tls: Option<ServerTlsSettings>,
    /// Inbound connection limits for this listener.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_pool: Option<ConnectionPoolSettings>,
}

/// An outbound listener of the sidecar and the hosts it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IstioEgressListener {
    /// The port. Default: all ports of the hosts.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<SidecarPort>,
    /// IP or Unix socket to bind to.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub bind: Option<String>,
    /// How traffic reaches the listener.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub capture_mode: Option<CaptureMode>,
    /// Reachable hosts as `namespace/dnsName` (`./*`, `istio-system/*`,
    /// `*/foo.example.com`); required.
    pub hosts: Vec<String>,
}

wire_enum!(
    /// How traffic reaches a sidecar listener.
    CaptureMode {
        /// The namespace's default capture.
        Default = "DEFAULT",
        /// iptables redirection.
        Iptables = "IPTABLES",
        /// No capture: the application addresses the listener directly.
        None = "NONE",
    }
);

/// Handling of traffic to destinations not in the registry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutboundTrafficPolicy {
    /// The mode. Default: `ALLOW_ANY`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<OutboundMode>,
    /// Send unknown traffic to this egress proxy instead (with
    /// `ALLOW_ANY`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub egress_proxy: Option<Destination>,
}

wire_enum!(
    /// Outbound traffic mode.
    OutboundMode {
        /// Only services in the registry are reachable.
        RegistryOnly = "REGISTRY_ONLY",
        /// Unknown destinations pass through.
        AllowAny = "ALLOW_ANY",
    }
);
