//! ExportedServices: services a partition makes available to other
//! partitions, peers or sameness groups.

use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of an exported-services config entry; the object's
/// name is the exporting admin partition (`default` without Enterprise).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportedServicesSpec {
    /// The exported services and their consumers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ExportedService>,
}

/// ExportedServices: what a partition exports, and to whom.
pub type ExportedServices = mesh_k8s::Object<ExportedServicesSpec>;

super::consul_kind!(
    ExportedServicesSpec,
    "ExportedServices",
    "exportedservices",
    Destination,
    NamespaceResourceScope,
    Status
);

/// One exported service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportedService {
    /// Service name, or `*` for all services in the namespace.
    pub name: String,
    /// Consul namespace exported from (default: `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Who may consume the service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<ServiceConsumer>,
}

/// A consumer of an exported service: exactly one of a partition, a peer
/// or a sameness group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServiceConsumer {
    /// An admin partition.
    Partition(String),
    /// A cluster peer.
    Peer(String),
    /// A sameness group.
    SamenessGroup(String),
}

super::one_of!(ServiceConsumer {
    Partition(String) => "partition",
    Peer(String) => "peer",
    SamenessGroup(String) => "samenessGroup",
});
