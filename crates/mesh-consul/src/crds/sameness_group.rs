//! SamenessGroup: partitions and peers whose same-named services are
//! interchangeable for failover.

use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a sameness-group config entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SamenessGroupSpec {
    /// Upstream requests to members fail over within the group implicitly
    /// (when no resolver failover is set). At most one group per partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_for_failover: Option<bool>,
    /// Include the local partition as the first member; a partition can be
    /// the local member of only one group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_local: Option<bool>,
    /// Members, in failover order; missing members are ignored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<SamenessMember>,
}

/// SamenessGroup: a failover group of partitions and peers.
pub type SamenessGroup = mesh_k8s::Object<SamenessGroupSpec>;

super::consul_kind!(
    SamenessGroupSpec,
    "SamenessGroup",
    "samenessgroups",
    Destination,
    NamespaceResourceScope,
    Status
);

/// A sameness group member: a partition or a peer, not both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SamenessMember {
    /// A local admin partition.
    Partition(String),
    /// A cluster peer.
    Peer(String),
}

super::one_of!(SamenessMember {
    Partition(String) => "partition",
    Peer(String) => "peer",
});
