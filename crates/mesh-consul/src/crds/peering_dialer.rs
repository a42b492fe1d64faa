//! PeeringDialer: establishes a cluster peering from a token in a secret.

use serde::{Deserialize, Serialize};

use super::common::{Peer, PeeringStatus};

/// The desired state of a PeeringDialer; the object's name is the peer's
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringDialerSpec {
    /// Where the peering token (from the accepting cluster) is read.
    pub peer: Peer,
}

/// PeeringDialer: dials a peer cluster with its token.
pub type PeeringDialer = mesh_k8s::Object<PeeringDialerSpec>;

super::consul_kind!(
    PeeringDialerSpec,
    "PeeringDialer",
    "peeringdialers",
    Defaults,
    NamespaceResourceScope,
    PeeringStatus
);
