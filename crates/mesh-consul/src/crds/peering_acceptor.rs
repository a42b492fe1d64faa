//! PeeringAcceptor: accepts a cluster peering and writes its token to a
//! secret.

use serde::{Deserialize, Serialize};

use super::common::{Peer, PeeringStatus};

/// The desired state of a PeeringAcceptor; the object's name is the peer's
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringAcceptorSpec {
    /// Where the generated peering token is stored.
    pub peer: Peer,
}

/// PeeringAcceptor: generates a peering token for another cluster.
pub type PeeringAcceptor = mesh_k8s::Object<PeeringAcceptorSpec>;

super::consul_kind!(
    PeeringAcceptorSpec,
    "PeeringAcceptor",
    "peeringacceptors",
    Defaults,
    NamespaceResourceScope,
    PeeringStatus
);
