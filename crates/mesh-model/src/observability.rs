//! Observability: tracing, metrics (scraping, tags, alerts, dashboards),
//! access logs, add-ons.

use std::collections::BTreeMap;

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::BuildError;
use crate::error::{Check, Checker, Problem};
use crate::{Duration, HeaderName, Hostname, Percent, Port, Quantity};

/// A tracing backend protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum TracingProvider {
    /// Zipkin (also what Jaeger's collector accepts on 9411).
    Zipkin,
    /// Jaeger.
    Jaeger,
    /// An OpenTelemetry collector (OTLP/gRPC).
    OpenTelemetry,
}

/// Distributed tracing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Tracing {
    /// The backend protocol.
    pub provider: TracingProvider,
    /// The collector's service host (`jaeger-collector.observability`).
    pub host: Hostname,
    /// The collector's port (`9411`).
    pub port: Port,
    /// Share of requests traced. Default 1%: the seeds' own pitfall list
    /// warns that 100% costs performance; use 1–10% in production.
    #[builder(default = "default_sampling()")]
    #[serde(
        default = "default_sampling",
        skip_serializing_if = "is_default_sampling"
    )]
    pub sampling: Percent,
}

/// The default trace sampling: 1%.
pub fn default_sampling() -> Percent {
    Percent::new(1.0).unwrap_or(Percent::NONE)
}

fn is_default_sampling(p: &Percent) -> bool {
    *p == default_sampling()
}

impl Tracing {
    /// Tracing to `host:port` with the default 1% sampling.
    ///
    /// ```
    /// use mesh_model::{Tracing, TracingProvider, Hostname, Port};
    /// let t = Tracing::new(TracingProvider::Zipkin, Hostname::new("zipkin.istio-system")?, Port::new(9411)?);
    /// assert_eq!(t.sampling.get(), 1.0);
    /// # Ok::<(), mesh_model::ValueError>(())
    /// ```
    pub fn new(provider: TracingProvider, host: Hostname, port: Port) -> Self {
        Tracing {
            provider,
            host,
            port,
            sampling: default_sampling(),
        }
    }
}

/// Which standard request metrics a tag change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MetricSelector {
    /// All of them (the default).
    #[default]
    All,
    /// Request count.
    Requests,
    /// Request duration.
    Duration,
    /// Request size.
    RequestSize,
    /// Response size.
    ResponseSize,
}

/// A value a metric tag can take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Attribute {
    /// The request protocol (`HTTP/1.1`, `HTTP/2`, `gRPC`).
    RequestProtocol,
    /// The request path.
    RequestPath,
    /// The request method.
    RequestMethod,
    /// The response code.
    ResponseCode,
    /// The request ID (`x-request-id`).
    RequestId,
    /// A request header.
    RequestHeader(HeaderName),
}

/// Changes to the tags (labels) of standard request metrics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct MetricTags {
    /// Which workloads' metrics change; by default the whole mesh.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<crate::Scope>,
    /// Which metrics.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub metric: MetricSelector,
    /// Tags to add (or replace), by name.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<String, Attribute>,
    /// Tags to remove.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// When an alert fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AlertCondition {
    /// A service's success rate (non-5xx share) is below this.
    SuccessRateBelow(Percent),
    /// A service's p99 latency is above this.
    LatencyP99Above(Duration),
    /// A service's request rate (per second) is above this.
    RequestRateAbove(u32),
    /// A proxy's memory use is above this.
    ProxyMemoryAbove(Quantity),
    /// The control plane takes longer than this to push configuration.
    ConfigSyncAbove(Duration),
}

/// How urgent an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AlertSeverity {
    /// Worth a look (default).
    #[default]
    Warning,
    /// Wake someone.
    Critical,
}

/// A Prometheus alert on mesh metrics, in each mesh's own metric names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Alert {
    /// The alert's name (`HighSidecarMemory`); by default derived from the
    /// condition.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The condition.
    pub when: AlertCondition,
    /// How long it must hold before firing.
    #[serde(rename = "for")]
    pub for_: Duration,
    /// A one-line summary for the alert's `summary` annotation; by default
    /// derived from the condition.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Severity label.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub severity: AlertSeverity,
}

/// Metrics.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Metrics {
    /// Scrape the proxies with Prometheus (PodMonitor).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scrape_proxies: bool,
    /// Scrape the control plane (ServiceMonitor).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scrape_control_plane: bool,
    /// Scrape interval; Prometheus's when unset.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    /// Tag changes.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<MetricTags>,
    /// Alerts.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<Alert>,
    /// A Grafana dashboard with request rate, success rate and latency.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dashboard: bool,
}

/// Access-log encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum LogFormat {
    /// One text line per request (default).
    #[default]
    Text,
    /// One JSON object per request.
    Json,
}

/// Proxy access logs, written to the proxy's standard output.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct AccessLogs {
    /// Encoding.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub format: LogFormat,
}

/// Observability tools installed with the mesh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Addon {
    /// Prometheus.
    Prometheus,
    /// Grafana.
    Grafana,
    /// Jaeger.
    Jaeger,
    /// Kiali (Istio only).
    Kiali,
}

/// Observability settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Observability {
    /// Tracing.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing: Option<Tracing>,
    /// Metrics.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    /// Access logs.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_logs: Option<AccessLogs>,
    /// Add-ons.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addons: Vec<Addon>,
}

impl Observability {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &Observability::default()
    }
}

impl Check for Observability {
    fn check(&self, c: &mut Checker) {
        if let Some(m) = &self.metrics {
            c.at("metrics", |c| {
                c.at("tags", |c| {
                    for (i, t) in m.tags.iter().enumerate() {
                        c.idx(i, |c| {
                            if t.add.is_empty() && t.remove.is_empty() {
                                c.error(Problem::Empty {
                                    what: "a tag change (set add, remove or both)",
                                });
                            }
                            for r in &t.remove {
                                if t.add.contains_key(r) {
                                    c.error_at(
                                        "remove",
                                        Problem::Conflict(
                                            "a tag is both added and removed; keep one",
                                        ),
                                    );
                                }
                            }
                        });
                    }
                });
                c.at("alerts", |c| {
                    for (i, a) in m.alerts.iter().enumerate() {
                        if let Some(n) = &a.name
                            && (n.is_empty()
                                || !n.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_'))
                        {
                            c.idx(i, |c| {
                                c.error_at(
                                    "name",
                                    Problem::NotAllowed {
                                        what: "this alert name",
                                        hint: "use letters, digits and _ only",
                                    },
                                )
                            });
                        }
                    }
                });
            });
        }
        let mut seen = Vec::new();
        c.at("addons", |c| {
            for (i, a) in self.addons.iter().enumerate() {
                if seen.contains(a) {
                    c.idx(i, |c| {
                        c.error(Problem::Duplicate {
                            what: "add-on",
                            name: format!("{a:?}"),
                            first: crate::FieldPath::new("addons"),
                        })
                    });
                }
                seen.push(*a);
            }
        });
    }
}

crate::error::plain_builder!(
    Tracing => TracingBuilder,
    MetricTags => MetricTagsBuilder,
    Alert => AlertBuilder,
    Metrics => MetricsBuilder,
    AccessLogs => AccessLogsBuilder,
);
crate::error::checked_builder!(Observability => ObservabilityBuilder);
