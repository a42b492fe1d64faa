//! `policy.linkerd.io` EgressNetwork: traffic leaving the cluster to a set of
//! networks, and the policy for traffic no route describes.

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind};
use serde::{Deserialize, Serialize};

use super::shared::{Condition, Network};

/// An EgressNetwork: captures traffic to egress destinations so that routes
/// can attach to it (as a parent) and unmatched traffic is allowed or denied.
pub type EgressNetwork = mesh_k8s::Object<EgressNetworkSpec>;

/// The spec of an [`EgressNetwork`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EgressNetworkSpec {
    /// What happens to traffic that matches no route attached to this
    /// EgressNetwork. Required.
    pub traffic_policy: TrafficPolicy,
    /// The networks this EgressNetwork captures; empty means every address
    /// outside the cluster's networks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub networks: Vec<Network>,
}

impl Default for EgressNetworkSpec {
    /// A placeholder (`Deny`, all egress networks) for `Kind`'s `Default`
    /// bound.
    fn default() -> Self {
        EgressNetworkSpec {
            traffic_policy: TrafficPolicy::Deny,
            networks: Vec::new(),
        }
    }
}

/// Policy for egress traffic that matches no route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrafficPolicy {
    /// Permit it.
    Allow,
    /// Block it.
    Deny,
}

/// The status of an [`EgressNetwork`], written by Linkerd's controller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EgressNetworkStatus {
    /// Conditions (`Accepted`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

impl Kind for EgressNetworkSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "EgressNetwork";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "egressnetworks";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Destination;
    type Scope = NamespaceResourceScope;
    type Status = EgressNetworkStatus;
}
