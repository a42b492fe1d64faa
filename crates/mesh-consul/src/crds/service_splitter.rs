//! ServiceSplitter: weighted traffic splits between services or subsets.

use serde::{Deserialize, Serialize};

use super::common::{HeaderModifiers, Status};

/// The desired state of a service-splitter config entry; the object's name
/// is the Consul service whose traffic is split.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSplitterSpec {
    /// The splits; their weights must add up to 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub splits: Vec<Split>,
}

/// ServiceSplitter: weighted splits of a service's traffic (needs an
/// HTTP-family protocol).
pub type ServiceSplitter = mesh_k8s::Object<ServiceSplitterSpec>;

super::consul_kind!(
    ServiceSplitterSpec,
    "ServiceSplitter",
    "servicesplitters",
    Route,
    NamespaceResourceScope,
    Status
);

impl ServiceSplitterSpec {
    /// Sum of the weights, in percent.
    pub fn total_weight(&self) -> f64 {
        self.splits.iter().map(|s| s.weight).sum()
    }

    /// Whether the weights add up to 100 at Consul's resolution (0.01 %),
    /// each within 0..=100, as Consul requires.
    pub fn weights_valid(&self) -> bool {
        self.splits
            .iter()
            .all(|s| (0.0..=100.0).contains(&s.weight))
            && (self.total_weight() - 100.0).abs() < 0.005
    }
}

/// One split.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Split {
    /// Share of traffic in percent, 0 to 100, resolution 0.01 (Consul
    /// stores it as a 32-bit float).
    pub weight: f64,
    /// Service to send to (default: the split service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Subset of that service (default: its default subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_subset: Option<String>,
    /// Consul namespace (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Request header changes for this split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<HeaderModifiers>,
    /// Response header changes for this split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<HeaderModifiers>,
}
