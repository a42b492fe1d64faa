//! `DestinationRule` (networking.istio.io): what happens to traffic for a
//! host after routing: subsets (versions) and the client-side
//! [`TrafficPolicy`] (load balancing, connection pools, outlier detection,
//! TLS) for the host, each subset and each port.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{IstioStatus, PolicySelector};
use super::traffic_policy::TrafficPolicy;

/// The spec of a `DestinationRule`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DestinationRuleSpec {
    /// The service the rule applies to: a registry name, short Kubernetes
    /// Service names resolved in the rule's namespace (required).
    pub host: String,
    /// Policy for all traffic to the host.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub traffic_policy: Option<TrafficPolicy>,
    /// Named sets of endpoints (versions), selected by label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<Subset>,
    /// Namespaces this rule is visible to (`.`, `*` or names). Default:
    /// all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<String>,
    /// Workloads (callers) this rule applies to; only in the workload's
    /// namespace. Default: all workloads.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub workload_selector: Option<PolicySelector>,
}

impl mesh_k8s::Kind for DestinationRuleSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "DestinationRule";
    const PLURAL: &'static str = "destinationrules";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Destination;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `DestinationRule`.
pub type DestinationRule = mesh_k8s::Object<DestinationRuleSpec>;

/// A named set of the host's endpoints (a version).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subset {
    /// The subset name, used by routes' `destination.subset`.
    pub name: String,
    /// Labels an endpoint must have to be in the subset.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Policy for this subset; overrides the host-level policy part by part.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub traffic_policy: Option<TrafficPolicy>,
}

impl Subset {
    /// A subset selecting `label=value`.
    pub fn labelled(name: &str, label: &str, value: &str) -> Self {
        Subset {
            name: name.to_owned(),
            labels: BTreeMap::from([(label.to_owned(), value.to_owned())]),
            traffic_policy: None,
        }
    }
}
