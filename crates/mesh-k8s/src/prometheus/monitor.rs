//! [`ServiceMonitor`] and [`PodMonitor`]: which Services' endpoints or which
//! pods Prometheus scrapes, and how.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::{Deserialize, Serialize};

use super::common::{
    AttachMetadata, NamespaceSelector, ScrapeProtocol, SelectorMechanism, ServiceDiscoveryRole,
};
use super::endpoint::{Endpoint, PodMetricsEndpoint};
use super::status::ConfigResourceStatus;
use crate::{ApplyOrder, Kind, Object};

/// A ServiceMonitor: Prometheus scrapes the endpoints of the Services it
/// selects.
pub type ServiceMonitor = Object<ServiceMonitorSpec>;

/// A PodMonitor: Prometheus scrapes the pods it selects.
pub type PodMonitor = Object<PodMonitorSpec>;

/// The spec of a [`ServiceMonitor`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceMonitorSpec {
    /// Labels of the Services (of their Endpoints objects) to scrape.
    pub selector: LabelSelector,
    /// Namespaces to discover Services in. Default: the monitor's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<NamespaceSelector>,
    /// The ports to scrape and how. Required (may be empty).
    pub endpoints: Vec<Endpoint>,
    /// Service label whose value becomes the `job` label. Default: the
    /// Service name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_label: Option<String>,
    /// Service labels copied onto the scraped series.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_labels: Vec<String>,
    /// Pod labels copied onto the scraped series.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_target_labels: Vec<String>,
    /// Discover through Endpoints or EndpointSlices. Default: the
    /// Prometheus' setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_discovery_role: Option<ServiceDiscoveryRole>,
    /// How discovered endpoints are filtered. Default: relabeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector_mechanism: Option<SelectorMechanism>,
    /// Node metadata on targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<AttachMetadata>,
    /// Scrape class (defined in the Prometheus) to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_class: Option<String>,
    /// Formats to negotiate, most preferred first. Default: Prometheus'.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
    /// Format assumed when a scrape has a missing or invalid Content-Type
    /// (Prometheus >= 3.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    /// Per-scrape limit on samples; 0: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_limit: Option<u64>,
    /// Limit on scraped targets; 0: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_limit: Option<u64>,
    /// Per-scrape limit on labels per sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_limit: Option<u64>,
    /// Per-scrape limit on label name length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_name_length_limit: Option<u64>,
    /// Per-scrape limit on label value length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_value_length_limit: Option<u64>,
    /// Targets dropped by relabeling kept in memory; 0: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_dropped_targets: Option<u64>,
    /// Limit on the uncompressed response body (`0`, or a size such as
    /// `10MiB`: `^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B$`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size_limit: Option<String>,
    /// Scrape classic histograms also exposed as native ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_classic_histograms: Option<bool>,
    /// Scrape native histograms (Prometheus >= 3.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_native_histograms: Option<bool>,
    /// Convert classic histograms to native histograms with custom
    /// buckets (Prometheus >= 3.0).
    #[serde(
        default,
        rename = "convertClassicHistogramsToNHCB",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    /// Buckets above which native histogram buckets are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_bucket_limit: Option<u64>,
    /// Bucket growth factor below which native histogram buckets are
    /// merged (a quantity such as `1.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_min_bucket_factor: Option<Quantity>,
}

/// The spec of a [`PodMonitor`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodMonitorSpec {
    /// Labels of the pods to scrape.
    pub selector: LabelSelector,
    /// Namespaces to discover pods in. Default: the monitor's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<NamespaceSelector>,
    /// The ports to scrape and how.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_metrics_endpoints: Vec<PodMetricsEndpoint>,
    /// Pod label whose value becomes the `job` label. Default:
    /// `<namespace>/<name>` of the PodMonitor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_label: Option<String>,
    /// Pod labels copied onto the scraped series.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pod_target_labels: Vec<String>,
    /// How discovered pods are filtered. Default: relabeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector_mechanism: Option<SelectorMechanism>,
    /// Node metadata on targets (Prometheus >= 2.35).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_metadata: Option<AttachMetadata>,
    /// Scrape class (defined in the Prometheus) to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_class: Option<String>,
    /// Formats to negotiate, most preferred first. Default: Prometheus'.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scrape_protocols: Vec<ScrapeProtocol>,
    /// Format assumed when a scrape has a missing or invalid Content-Type
    /// (Prometheus >= 3.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_scrape_protocol: Option<ScrapeProtocol>,
    /// Per-scrape limit on samples; 0: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_limit: Option<u64>,
    /// Limit on scraped targets; 0: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_limit: Option<u64>,
    /// Per-scrape limit on labels per sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_limit: Option<u64>,
    /// Per-scrape limit on label name length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_name_length_limit: Option<u64>,
    /// Per-scrape limit on label value length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_value_length_limit: Option<u64>,
    /// Targets dropped by relabeling kept in memory; 0: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_dropped_targets: Option<u64>,
    /// Limit on the uncompressed response body (`0`, or a size such as
    /// `10MiB`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_size_limit: Option<String>,
    /// Scrape classic histograms also exposed as native ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_classic_histograms: Option<bool>,
    /// Scrape native histograms (Prometheus >= 3.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrape_native_histograms: Option<bool>,
    /// Convert classic histograms to native histograms with custom
    /// buckets (Prometheus >= 3.0).
    #[serde(
        default,
        rename = "convertClassicHistogramsToNHCB",
        skip_serializing_if = "Option::is_none"
    )]
    pub convert_classic_histograms_to_nhcb: Option<bool>,
    /// Buckets above which native histogram buckets are merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_bucket_limit: Option<u64>,
    /// Bucket growth factor below which native histogram buckets are
    /// merged (a quantity such as `1.1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub native_histogram_min_bucket_factor: Option<Quantity>,
}

impl Kind for ServiceMonitorSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "ServiceMonitor";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "servicemonitors";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["monitoring.coreos.com/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Observability;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = ConfigResourceStatus;
}

impl Kind for PodMonitorSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "PodMonitor";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "podmonitors";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["monitoring.coreos.com/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Observability;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = ConfigResourceStatus;
}

impl ServiceMonitorSpec {
    /// Scrape the Services labelled `selector` on `endpoints`.
    pub fn new(selector: LabelSelector, endpoints: impl IntoIterator<Item = Endpoint>) -> Self {
        ServiceMonitorSpec {
            selector,
            endpoints: endpoints.into_iter().collect(),
            ..ServiceMonitorSpec::default()
        }
    }
}

impl PodMonitorSpec {
    /// Scrape the pods labelled `selector` on `endpoints`.
    pub fn new(
        selector: LabelSelector,
        endpoints: impl IntoIterator<Item = PodMetricsEndpoint>,
    ) -> Self {
        PodMonitorSpec {
            selector,
            pod_metrics_endpoints: endpoints.into_iter().collect(),
            ..PodMonitorSpec::default()
        }
    }
}
