//! `Telemetry` (telemetry.istio.io): tracing, metrics and access logging
//! for the mesh (root namespace), a namespace, or selected workloads,
//! through the providers of the mesh config.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{
    IstioStatus, NonEmptyString, PolicySelector, PolicyTarget, PositiveDuration, ProviderRef,
    TargetRef, checked_struct, single_entry, wire_enum,
};

/// The spec of a `Telemetry`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "TelemetryRepr", into = "TelemetryRepr")]
pub struct TelemetrySpec {
    /// What the configuration applies to. Default: the namespace (the mesh
    /// in the root namespace).
    pub target: Option<PolicyTarget>,
    /// Tracing overrides (at most one entry per provider).
    pub tracing: Vec<Tracing>,
    /// Metrics overrides.
    pub metrics: Vec<Metrics>,
    /// Access logging overrides.
    pub access_logging: Vec<AccessLogging>,
}

impl mesh_k8s::Kind for TelemetrySpec {
    const GROUP: &'static str = "telemetry.istio.io";
    const KIND: &'static str = "Telemetry";
    const PLURAL: &'static str = "telemetries";
    const VERSIONS: &'static [&'static str] = &["v1", "v1alpha1"];
    const API_VERSIONS: &'static [&'static str] =
        &["telemetry.istio.io/v1", "telemetry.istio.io/v1alpha1"];
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Observability;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `Telemetry`.
pub type Telemetry = mesh_k8s::Object<TelemetrySpec>;

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TelemetryRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    selector: Option<PolicySelector>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_ref: Option<TargetRef>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_refs: Option<Vec<TargetRef>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tracing: Vec<Tracing>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    metrics: Vec<Metrics>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    access_logging: Vec<AccessLogging>,
}

impl TryFrom<TelemetryRepr> for TelemetrySpec {
    type Error = String;
    fn try_from(r: TelemetryRepr) -> Result<Self, String> {
        Ok(TelemetrySpec {
            target: PolicyTarget::from_parts(r.selector, r.target_ref, r.target_refs)?,
            tracing: r.tracing,
            metrics: r.metrics,
            access_logging: r.access_logging,
        })
    }
}

impl From<TelemetrySpec> for TelemetryRepr {
    fn from(s: TelemetrySpec) -> Self {
        let (selector, target_ref, target_refs) = PolicyTarget::into_parts(s.target);
        TelemetryRepr {
            selector,
            target_ref,
            target_refs,
            tracing: s.tracing,
            metrics: s.metrics,
            access_logging: s.access_logging,
        }
    }
}

wire_enum!(
    /// Which side of the traffic a telemetry setting applies to.
    WorkloadMode {
        /// Both outbound (client) and inbound (server) traffic.
        ClientAndServer = "CLIENT_AND_SERVER",
        /// Outbound traffic of the workload.
        Client = "CLIENT",
        /// Inbound traffic of the workload.
        Server = "SERVER",
    }
);

/// Restricts a setting to one side of the traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadModeSelector {
    /// The side. Default: `CLIENT_AND_SERVER`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<WorkloadMode>,
}

// === Tracing ===

/// Tracing settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Tracing {
    /// Which side of the traffic. Default: both.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "match"
    )]
    pub match_: Option<WorkloadModeSelector>,
    /// The tracing provider (one; the mesh default when absent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
    /// Percentage of requests sampled when the caller did not decide,
    /// 0 to 100. Default: the mesh setting (1%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub random_sampling_percentage: Option<f64>,
    /// Do not report spans (context is still propagated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_span_reporting: Option<bool>,
    /// Do not propagate trace context headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_context_propagation: Option<bool>,
    /// Extra tags on spans, by tag name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_tags: BTreeMap<String, CustomTag>,
    /// Sample by the request ID. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_request_id_for_trace_sampling: Option<bool>,
    /// Add Istio's tags to spans. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_istio_tags: Option<bool>,
}

checked_struct!(Tracing, |t| match t.random_sampling_percentage {
    Some(p) if !(0.0..=100.0).contains(&p) => {
        Err(format!(
            "randomSamplingPercentage: Invalid value: {p}: must be 0 to 100"
        ))
    }
    _ => Ok(()),
});

/// Where a custom span tag's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CustomTag {
    /// A fixed value.
    Literal(LiteralTag),
    /// An environment variable of the proxy.
    Environment(EnvironmentTag),
    /// A request header.
    Header(HeaderTag),
    /// An access-log formatter (`%REQ(x-foo)%`).
    Formatter(FormatterTag),
}

impl Serialize for CustomTag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            CustomTag::Literal(v) => single_entry(s, "literal", v),
            CustomTag::Environment(v) => single_entry(s, "environment", v),
            CustomTag::Header(v) => single_entry(s, "header", v),
            CustomTag::Formatter(v) => single_entry(s, "formatter", v),
        }
    }
}

/// A fixed tag value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LiteralTag {
    /// The value.
    pub value: NonEmptyString,
}

/// A tag value from an environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvironmentTag {
    /// The variable.
    pub name: NonEmptyString,
    /// Value when the variable is unset.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_value: Option<String>,
}

/// A tag value from a request header.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderTag {
    /// The header.
    pub name: NonEmptyString,
    /// Value when the header is absent.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_value: Option<String>,
}

/// A tag value from an access-log formatter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FormatterTag {
    /// The formatter.
    pub value: NonEmptyString,
}

// === Metrics ===

/// Metrics settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metrics {
    /// The metrics providers (`prometheus`). Default: the mesh's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
    /// Changes to metrics, applied in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<MetricsOverride>,
    /// How often metrics are reported (at least 1ms; providers that push
    /// only). Default: 5s for OpenCensus, 15s for Prometheus.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub reporting_interval: Option<PositiveDuration>,
}

/// A change to some metrics: disable them, or change their tags.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricsOverride {
    /// The metrics changed. Default: all, both sides.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "match"
    )]
    pub match_: Option<MetricSelector>,
    /// Stop generating these metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Tag changes, by tag name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tag_overrides: BTreeMap<String, TagOverride>,
}

/// Which metrics an override changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "MetricSelectorRepr", into = "MetricSelectorRepr")]
pub struct MetricSelector {
    /// A standard or custom metric. Default: all.
    pub metric: Option<MetricMatch>,
    /// Which side generates them. Default: both.
    pub mode: Option<WorkloadMode>,
}

/// A metric, standard or custom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricMatch {
    /// `metric`: one of Istio's standard metrics.
    Metric(IstioMetric),
    /// `customMetric`: any metric, by name without prefix.
    Custom(NonEmptyString),
}

wire_enum!(
    /// Istio's standard metrics.
    IstioMetric {
        /// Every metric.
        AllMetrics = "ALL_METRICS",
        /// `istio_requests_total`.
        RequestCount = "REQUEST_COUNT",
        /// `istio_request_duration_milliseconds`.
        RequestDuration = "REQUEST_DURATION",
        /// `istio_request_bytes`.
        RequestSize = "REQUEST_SIZE",
        /// `istio_response_bytes`.
        ResponseSize = "RESPONSE_SIZE",
        /// `istio_tcp_connections_opened_total`.
        TcpOpenedConnections = "TCP_OPENED_CONNECTIONS",
        /// `istio_tcp_connections_closed_total`.
        TcpClosedConnections = "TCP_CLOSED_CONNECTIONS",
        /// `istio_tcp_sent_bytes_total`.
        TcpSentBytes = "TCP_SENT_BYTES",
        /// `istio_tcp_received_bytes_total`.
        TcpReceivedBytes = "TCP_RECEIVED_BYTES",
        /// `istio_request_messages_total`.
        GrpcRequestMessages = "GRPC_REQUEST_MESSAGES",
        /// `istio_response_messages_total`.
        GrpcResponseMessages = "GRPC_RESPONSE_MESSAGES",
    }
);

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MetricSelectorRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    metric: Option<IstioMetric>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    custom_metric: Option<NonEmptyString>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    mode: Option<WorkloadMode>,
}

impl TryFrom<MetricSelectorRepr> for MetricSelector {
    type Error = String;
    fn try_from(r: MetricSelectorRepr) -> Result<Self, String> {
        let metric = match (r.metric, r.custom_metric) {
            (None, None) => None,
            (Some(m), None) => Some(MetricMatch::Metric(m)),
            (None, Some(c)) => Some(MetricMatch::Custom(c)),
            _ => return Err("only one of metric or customMetric can be set".into()),
        };
        Ok(MetricSelector {
            metric,
            mode: r.mode,
        })
    }
}

impl From<MetricSelector> for MetricSelectorRepr {
    fn from(s: MetricSelector) -> Self {
        let (metric, custom_metric) = match s.metric {
            None => (None, None),
            Some(MetricMatch::Metric(m)) => (Some(m), None),
            Some(MetricMatch::Custom(c)) => (None, Some(c)),
        };
        MetricSelectorRepr {
            metric,
            custom_metric,
            mode: s.mode,
        }
    }
}

/// A change to one tag: set it to a value (a CEL expression on request
/// attributes) or remove it. With `UPSERT` the value is required and
/// non-empty; with `REMOVE` it must be absent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct TagOverride {
    /// Add/update or remove. Default: `UPSERT`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub operation: Option<TagOperation>,
    /// The value, a CEL expression (`request.host`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

checked_struct!(TagOverride, |t| match t.operation {
    Some(TagOperation::Upsert) if t.value.as_deref().is_none_or(str::is_empty) => {
        Err("value must be set when operation is UPSERT".into())
    }
    Some(TagOperation::Remove) if t.value.is_some() => {
        Err("value must not be set when operation is REMOVE".into())
    }
    _ => Ok(()),
});

impl TagOverride {
    /// Set the tag to this expression.
    pub fn upsert(value: impl Into<String>) -> Self {
        TagOverride {
            operation: Some(TagOperation::Upsert),
            value: Some(value.into()),
        }
    }

    /// Remove the tag.
    pub fn remove() -> Self {
        TagOverride {
            operation: Some(TagOperation::Remove),
            value: None,
        }
    }
}

wire_enum!(
    /// What a tag override does.
    TagOperation {
        /// Add or update the tag.
        Upsert = "UPSERT",
        /// Remove the tag.
        Remove = "REMOVE",
    }
);

// === Access logging ===

/// Access logging settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessLogging {
    /// Which side of the traffic. Default: both.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "match"
    )]
    pub match_: Option<WorkloadModeSelector>,
    /// The logging providers (`envoy`, `otel`...). Default: the mesh's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<ProviderRef>,
    /// Turn logging off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Log only what this filter selects.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter: Option<AccessLogFilter>,
}

/// A filter on access log entries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessLogFilter {
    /// A CEL expression (`response.code >= 400`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub expression: Option<String>,
}
