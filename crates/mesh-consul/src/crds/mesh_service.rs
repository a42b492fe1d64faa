//! MeshService: a Consul service usable as an API-gateway route backend.

use mesh_k8s::NoStatus;
use serde::{Deserialize, Serialize};

/// The desired state of a MeshService.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshServiceSpec {
    /// Consul service name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Peer exporting the service (default: the local datacenter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
}

/// MeshService: a reference to a Consul service, for HTTPRoute backendRefs.
pub type MeshService = mesh_k8s::Object<MeshServiceSpec>;

super::consul_kind!(
    MeshServiceSpec,
    "MeshService",
    "meshservices",
    Destination,
    NamespaceResourceScope,
    NoStatus
);
