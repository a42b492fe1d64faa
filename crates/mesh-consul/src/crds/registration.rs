//! Registration: a service (usually external) registered in Consul's
//! catalog on a node, with an optional health check (cluster-scoped).

use std::collections::BTreeMap;

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a Registration: a catalog registration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegistrationSpec {
    /// Node ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Node name (`external`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Node address (IP or hostname).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Node tagged addresses, by tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tagged_addresses: BTreeMap<String, String>,
    /// Node metadata (`external-node: "true"` for consul-esm).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_meta: BTreeMap<String, String>,
    /// Datacenter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// The registered service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<RegisteredService>,
    /// A health check of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<HealthCheck>,
    /// Do not update the node when registering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_node_update: Option<bool>,
    /// Admin partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Node locality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Locality>,
}

/// Registration: a catalog entry for a service outside Kubernetes.
pub type Registration = mesh_k8s::Object<RegistrationSpec>;

super::consul_kind!(
    RegistrationSpec,
    "Registration",
    "registrations",
    Destination,
    ClusterResourceScope,
    Status
);

/// A region and zone.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Locality {
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// A service in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegisteredService {
    /// Service name.
    pub name: String,
    /// Port.
    pub port: u16,
    /// Instance ID (default: the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Address (default: the node's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Unix socket path instead of address and port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub socket_path: Option<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Metadata (what resolver subset filters match on,
    /// `Service.Meta.version`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, String>,
    /// Tagged addresses, by tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tagged_addresses: BTreeMap<String, ServiceAddress>,
    /// DNS weights by health.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Weights>,
    /// Let agents' anti-entropy keep tag changes made in the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_tag_override: Option<bool>,
    /// Consul namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Locality of the instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<Locality>,
}

/// An address and port.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAddress {
    /// Address.
    pub address: String,
    /// Port.
    pub port: u16,
}

/// DNS SRV weights of an instance by health state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Weights {
    /// Weight while passing.
    pub passing: u32,
    /// Weight while warning.
    pub warning: u32,
}

/// A health check registered with the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    /// Check ID.
    pub check_id: String,
    /// Check name.
    pub name: String,
    /// ID of the checked service instance.
    pub service_id: String,
    /// Name of the checked service.
    pub service_name: String,
    /// Initial status.
    pub status: HealthStatus,
    /// How the check runs.
    pub definition: HealthCheckDefinition,
    /// Node of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Check type (`http`, `tcp`, ...).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Free-form notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Last output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// Port the check is exposed on through the proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposed_port: Option<u16>,
    /// Consul namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
}

/// Status of a health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// Healthy.
    Passing,
    /// Degraded (still healthy unless `onlyPassing`).
    Warning,
    /// Unhealthy.
    Critical,
    /// In maintenance.
    Maintenance,
}

/// How a health check runs (one of the HTTP, TCP, UDP, gRPC or OS-service
/// probes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheckDefinition {
    /// Time between checks.
    pub interval_duration: GoDuration,
    /// Check timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_duration: Option<GoDuration>,
    /// Deregister the service after being critical this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deregister_critical_service_after_duration: Option<GoDuration>,
    /// HTTP URL to probe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<String>,
    /// HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// HTTP request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// HTTP request headers (several values per name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub header: BTreeMap<String, Vec<String>>,
    /// TCP address to connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<String>,
    /// TLS on the TCP check.
    #[serde(rename = "tcpUseTLS", default, skip_serializing_if = "Option::is_none")]
    pub tcp_use_tls: Option<bool>,
    /// UDP address to send to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udp: Option<String>,
    /// gRPC address (`host:port/service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<String>,
    /// TLS on the gRPC check.
    #[serde(
        rename = "grpcUseTLS",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub grpc_use_tls: Option<bool>,
    /// Windows OS service to check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_service: Option<String>,
    /// TLS server name (SNI) of HTTPS/gRPC checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,
    /// Skip TLS verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_skip_verify: Option<bool>,
}
