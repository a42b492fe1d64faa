//! Observability: access logs, tracing, metrics (scraping, tag overrides,
//! alerts, dashboard) and add-ons.
//!
//! - **Access logs** → the root-namespace Telemetry `mesh-default` with the
//!   built-in `envoy` provider; the mesh configuration gets
//!   `accessLogFile: /dev/stdout` and, for JSON, `accessLogEncoding: JSON`
//!   (the `envoy` provider's encoding is a mesh setting).
//! - **Tracing** → a `meshConfig.extensionProviders` entry (`zipkin`, or
//!   `opentelemetry` for OTLP/gRPC; Jaeger through its Zipkin endpoint when
//!   the port is 9411, else OTLP, as Istio's Jaeger guide does) and
//!   `tracing` in `mesh-default` naming it, with
//!   `randomSamplingPercentage`. The provider's service is the collector's
//!   fully qualified name (`<host>.svc.<cluster domain>` for
//!   `<service>.<namespace>`). The seeds' `defaultConfig.tracing`
//!   (`zipkin.address`, `sampling`) is Istio's deprecated form; the
//!   Telemetry API replaces it.
//! - **Metrics**: `scrapeProxies` → PodMonitor `envoy-stats-monitor`
//!   (every namespace, the `istio-proxy` container's `http-envoy-prom`
//!   port 15090, `/stats/prometheus`, relabeling as Istio's
//!   prometheus-operator example); `scrapeControlPlane` → ServiceMonitor
//!   `istio-component-monitor` (Services labelled `app: istiod`, port
//!   `http-monitoring` 15014, `/metrics`); `interval` on both. `tags` →
//!   Telemetry metric overrides with the `prometheus` provider, in
//!   `mesh-default` for the mesh scope, else one Telemetry per scope
//!   (`metrics` in a namespace, `<service>-metrics`, `<labels>-metrics`).
//!   Tag values are CEL expressions (`request.path`,
//!   `string(response.code)`, `request.id`,
//!   `request.headers['<name>']`). `alerts` → PrometheusRule
//!   `istio-alerts` and `dashboard` → ConfigMap `istio-mesh-dashboard`
//!   (label `grafana_dashboard`), both from [`signal_queries`].
//! - **Add-ons** (Helm values, installed after the control plane):
//!   `prometheus` → kube-prometheus-stack (Prometheus operator picking up
//!   every PodMonitor / ServiceMonitor / PrometheusRule; its Grafana when
//!   `grafana` is asked too); `grafana` alone → the grafana chart with the
//!   dashboard sidecar and a Prometheus data source; `jaeger` → the jaeger
//!   chart's all-in-one (in-memory storage); `kiali` → the kiali-server
//!   chart wired to that Prometheus, Grafana and Jaeger.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use mesh_k8s::install::{HelmChart, InstallInput, Installer};
use mesh_k8s::prometheus::golden::{self, SignalQueries};
use mesh_k8s::prometheus::{
    Endpoint, NamespaceSelector, PodMetricsEndpoint, PodMonitor, PodMonitorSpec,
    PrometheusDuration, RelabelAction, RelabelConfig, ServiceMonitor, ServiceMonitorSpec,
};
use mesh_model::{
    Addon, Attribute, Feature, FieldPath, LogFormat, MetricSelector as ModelMetric, MetricTags,
    Scope, TracingProvider,
};

use super::Cx;
use crate::crds::{
    AccessLogEncoding, AccessLogging, ExtensionProviderConfig, IstioMetric, MeshConfig,
    MetricMatch, MetricSelector, Metrics, MetricsOverride, PolicySelector, PolicyTarget,
    ProviderConfig, ProviderRef, TagOverride, Telemetry, TelemetrySpec, Tracing, TracingService,
};
use crate::install::{
    DashboardProvider, GrafanaDatasource, GrafanaDatasources, GrafanaSidecar, GrafanaValues,
    IstioInstall, JaegerStorage, JaegerValues, KialiExternalServices, KialiGrafana,
    KialiPrometheus, KialiTracing, KialiValues, PrometheusSpecValues, PrometheusStackGrafana,
    PrometheusStackPrometheus, PrometheusStackValues, Toggle,
};

/// Istio's golden-signal queries: the destination side of
/// `istio_requests_total` and `istio_request_duration_milliseconds` per
/// destination service, the `istio-proxy` containers' working-set memory,
/// and the p99 of istiod's push latency histogram
/// `pilot_proxy_convergence_time` (seconds).
///
/// The seeds compare `pilot_proxy_convergence_time{job="istiod"} > 30`:
/// that series is a histogram, so the comparison reads bucket counters,
/// not times. The p99 is `histogram_quantile` over its `_bucket` series;
/// since its highest finite bucket is 30s, `histogram_quantile` can never
/// report more than 30, so the query divides by `(share of pushes within
/// 30s >= bool 0.99)`: when more than 1% of pushes take longer than 30s,
/// the value becomes +Inf and a `> 30` threshold fires, as meant.
pub fn signal_queries() -> SignalQueries {
    const BY: &str = "destination_service_namespace, destination_service_name";
    const REQ: &str = "istio_requests_total{reporter=\"destination\"}";
    SignalQueries {
        mesh: "Istio",
        service_labels: &["destination_service_namespace", "destination_service_name"],
        request_rate: format!("sum by ({BY}) (rate({REQ}[5m]))"),
        success_ratio: format!(
            "sum by ({BY}) (rate(istio_requests_total{{reporter=\"destination\",response_code!~\"5..\"}}[5m])) \
             / sum by ({BY}) (rate({REQ}[5m]))"
        ),
        latency_p99_ms: format!(
            "histogram_quantile(0.99, sum by (le, {BY}) \
             (rate(istio_request_duration_milliseconds_bucket{{reporter=\"destination\"}}[5m])))"
        ),
        proxy_memory_bytes: "container_memory_working_set_bytes{container=\"istio-proxy\"}".to_owned(),
        config_sync_p99_seconds: Some(
            "histogram_quantile(0.99, sum by (le) (rate(pilot_proxy_convergence_time_bucket[5m]))) \
             / (sum(rate(pilot_proxy_convergence_time_bucket{le=~\"30(\\\\.0)?\"}[5m])) \
             / sum(rate(pilot_proxy_convergence_time_count[5m])) >= bool 0.99)"
                .to_owned(),
        ),
    }
}

/// What observability needs from the installation.
pub(crate) struct MeshNeeds {
    /// The mesh configuration observability wrote.
    pub(crate) mesh_config: MeshConfig,
    /// Model fields that make the mesh configuration necessary.
    pub(crate) required: Vec<FieldPath>,
}

pub(crate) fn lower(cx: &mut Cx<'_>) -> MeshNeeds {
    let o = cx.mesh.observability.clone();
    let path = FieldPath::root().field("observability");
    let mut needs = MeshNeeds {
        mesh_config: MeshConfig::default(),
        required: Vec::new(),
    };
    let mut root = TelemetrySpec::default();
    if let Some(logs) = &o.access_logs {
        needs.mesh_config.access_log_file = Some("/dev/stdout".to_owned());
        if logs.format == LogFormat::Json {
            needs.mesh_config.access_log_encoding = Some(AccessLogEncoding::Json);
            needs
                .required
                .push(path.field("accessLogs").field("format"));
        }
        root.access_logging = vec![AccessLogging {
            providers: provider("envoy"),
            ..AccessLogging::default()
        }];
    }
    if let Some(t) = &o.tracing {
        tracing(cx, t, &path.field("tracing"), &mut needs, &mut root);
    }
    if let Some(m) = &o.metrics {
        metrics(cx, m, &path.field("metrics"), &mut root);
    }
    if root != TelemetrySpec::default() {
        let ns = cx.opts.root_namespace.clone();
        let v = cx.opts.api_versions.telemetry.clone();
        cx.emit(Telemetry::new("mesh-default", Some(&ns), root), &v);
    }
    addons(cx, &o.addons, o.tracing.is_some(), &path.field("addons"));
    needs
}

/// A reference to one of the provider names this module writes (all
/// non-empty).
fn provider(name: &'static str) -> Vec<ProviderRef> {
    ProviderRef::named(name).into_iter().collect()
}

// === tracing ===

fn tracing(
    cx: &mut Cx<'_>,
    t: &mesh_model::Tracing,
    path: &FieldPath,
    needs: &mut MeshNeeds,
    root: &mut TelemetrySpec,
) {
    if t.host.is_wildcard() || t.host.is_short() {
        cx.unsupported(
            Feature::Tracing,
            path.field("host"),
            "Istio's tracing providers need the collector's Service by name and namespace: write \
             `<service>.<namespace>` (or a fully qualified host)",
        );
        return;
    }
    let host = t.host.as_str();
    let dots = host.matches('.').count();
    let service = if dots == 1 {
        format!("{host}.svc.{}", cx.opts.cluster_domain)
    } else if host.ends_with(".svc") {
        format!("{host}.{}", cx.opts.cluster_domain)
    } else {
        host.to_owned()
    };
    let port = t.port.get();
    let collector = TracingService {
        service: Some(service.clone()),
        port: Some(u32::from(port)),
        ..TracingService::default()
    };
    let (name, config) = match t.provider {
        TracingProvider::Zipkin => ("zipkin", ProviderConfig::Zipkin(collector)),
        TracingProvider::OpenTelemetry => ("otel", ProviderConfig::Opentelemetry(collector)),
        TracingProvider::Jaeger if port == 9411 => {
            cx.note(
                Feature::Tracing,
                path.field("provider"),
                "Jaeger on port 9411 is its collector's Zipkin-compatible endpoint: written as a \
                 `zipkin` extension provider named `jaeger`",
            );
            ("jaeger", ProviderConfig::Zipkin(collector))
        }
        TracingProvider::Jaeger => {
            cx.note(
                Feature::Tracing,
                path.field("provider"),
                format!(
                    "Jaeger is written as an `opentelemetry` (OTLP/gRPC) extension provider named \
                     `jaeger`, as Istio's Jaeger guide does: {service}:{port} must accept OTLP/gRPC \
                     (Jaeger's 4317); use port 9411 for its Zipkin endpoint"
                ),
            );
            ("jaeger", ProviderConfig::Opentelemetry(collector))
        }
    };
    needs.mesh_config.enable_tracing = Some(true);
    needs
        .mesh_config
        .extension_providers
        .push(ExtensionProviderConfig {
            name: name.to_owned(),
            provider: config,
        });
    needs.required.push(path.clone());
    root.tracing = vec![Tracing {
        providers: provider(name),
        random_sampling_percentage: Some(t.sampling.get()),
        ..Tracing::default()
    }];
}

// === metrics ===

fn metrics(cx: &mut Cx<'_>, m: &mesh_model::Metrics, path: &FieldPath, root: &mut TelemetrySpec) {
    let mon = cx.opts.monitoring_namespace.clone();
    let interval = match m.interval {
        None => None,
        Some(d) => match PrometheusDuration::from_duration(d) {
            Some(p) => Some(p),
            None => {
                cx.unsupported(
                    Feature::MetricsScrape,
                    path.field("interval"),
                    "Prometheus durations have millisecond precision; round the interval",
                );
                None
            }
        },
    };
    if m.interval.is_some() && !m.scrape_proxies && !m.scrape_control_plane {
        cx.unsupported(
            Feature::MetricsScrape,
            path.field("interval"),
            "an interval needs something to scrape: set scrapeProxies or scrapeControlPlane, or \
             remove it",
        );
    }
    if m.scrape_proxies {
        if cx.ambient {
            cx.ambient_unsupported(
                Feature::MetricsScrape,
                path.field("scrapeProxies"),
                "ambient pods have no istio-proxy container: scrape ztunnel (port 15020, \
                 /stats/prometheus) and the waypoints with your own PodMonitor",
            );
        } else {
            cx.emit_plain(pod_monitor(cx, interval.clone()));
        }
    }
    if m.scrape_control_plane {
        let root_ns = cx.opts.root_namespace.clone();
        let mut ep = Endpoint::port("http-monitoring");
        ep.scrape.path = Some("/metrics".to_owned());
        ep.scrape.interval = interval;
        let mut spec = ServiceMonitorSpec::new(
            LabelSelector {
                match_labels: Some(BTreeMap::from([("app".to_owned(), "istiod".to_owned())])),
                ..LabelSelector::default()
            },
            [ep],
        );
        spec.namespace_selector = Some(NamespaceSelector::names([root_ns]));
        cx.emit_plain(ServiceMonitor::new(
            "istio-component-monitor",
            Some(&mon),
            spec,
        ));
    }
    tags(cx, &m.tags, &path.field("tags"), root);
    let queries = signal_queries();
    if !m.alerts.is_empty() {
        match golden::alert_rules("istio-alerts", &mon, &queries, &m.alerts, path) {
            Ok(rule) => cx.emit_plain(rule),
            Err(refused) => {
                for (p, reason) in refused {
                    cx.unsupported(Feature::Alerts, p, reason);
                }
            }
        }
    }
    if m.dashboard {
        cx.emit_plain(golden::dashboard("istio-mesh-dashboard", &mon, &queries));
    }
}

fn pod_monitor(cx: &Cx<'_>, interval: Option<PrometheusDuration>) -> PodMonitor {
    let relabel =
        |source: &str, action: RelabelAction, regex: Option<&str>, target: Option<&str>| {
            RelabelConfig {
                source_labels: vec![source.to_owned()],
                action: Some(action),
                regex: regex.map(str::to_owned),
                target_label: target.map(str::to_owned),
                ..RelabelConfig::default()
            }
        };
    let mut ep = PodMetricsEndpoint::port("http-envoy-prom");
    ep.scrape.path = Some("/stats/prometheus".to_owned());
    ep.scrape.interval = interval;
    ep.scrape.relabelings = vec![
        relabel(
            "__meta_kubernetes_pod_container_name",
            RelabelAction::Keep,
            Some("istio-proxy"),
            None,
        ),
        relabel(
            "__meta_kubernetes_namespace",
            RelabelAction::Replace,
            None,
            Some("namespace"),
        ),
        relabel(
            "__meta_kubernetes_pod_name",
            RelabelAction::Replace,
            None,
            Some("pod_name"),
        ),
    ];
    let mut spec = PodMonitorSpec::new(
        LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "istio-prometheus-ignore".to_owned(),
                operator: "DoesNotExist".to_owned(),
                values: None,
            }]),
            ..LabelSelector::default()
        },
        [ep],
    );
    spec.namespace_selector = Some(NamespaceSelector::any());
    spec.job_label = Some("envoy-stats".to_owned());
    PodMonitor::new(
        "envoy-stats-monitor",
        Some(&cx.opts.monitoring_namespace),
        spec,
    )
}

/// The CEL expression of a tag value.
pub(crate) fn attribute(a: &Attribute) -> String {
    match a {
        Attribute::RequestProtocol => "request.protocol".to_owned(),
        Attribute::RequestPath => "request.path".to_owned(),
        Attribute::RequestMethod => "request.method".to_owned(),
        Attribute::ResponseCode => "string(response.code)".to_owned(),
        Attribute::RequestId => "request.id".to_owned(),
        Attribute::RequestHeader(h) => format!("request.headers['{}']", h.as_str()),
    }
}

fn istio_metric(m: ModelMetric) -> IstioMetric {
    match m {
        ModelMetric::All => IstioMetric::AllMetrics,
        ModelMetric::Requests => IstioMetric::RequestCount,
        ModelMetric::Duration => IstioMetric::RequestDuration,
        ModelMetric::RequestSize => IstioMetric::RequestSize,
        ModelMetric::ResponseSize => IstioMetric::ResponseSize,
    }
}

fn override_of(t: &MetricTags) -> MetricsOverride {
    let mut tag_overrides = BTreeMap::new();
    for (name, a) in &t.add {
        tag_overrides.insert(name.clone(), TagOverride::upsert(attribute(a)));
    }
    for name in &t.remove {
        tag_overrides.insert(name.clone(), TagOverride::remove());
    }
    MetricsOverride {
        match_: Some(MetricSelector {
            metric: Some(MetricMatch::Metric(istio_metric(t.metric))),
            mode: None,
        }),
        tag_overrides,
        ..MetricsOverride::default()
    }
}

/// Telemetry metric overrides, one Telemetry per scope.
fn tags(cx: &mut Cx<'_>, tags: &[MetricTags], _path: &FieldPath, root: &mut TelemetrySpec) {
    if tags.is_empty() {
        return;
    }
    // (namespace, name) → selector and overrides, in model order per scope.
    type Labels = Option<BTreeMap<String, String>>;
    let mut scoped: BTreeMap<(String, String), (Labels, Vec<MetricsOverride>)> = BTreeMap::new();
    let mut mesh = Vec::new();
    for t in tags {
        let o = override_of(t);
        match &t.scope {
            None | Some(Scope::Mesh) => mesh.push(o),
            Some(scope) => {
                let (ns, selector) = super::security::scope_target(cx, scope);
                let name = match scope {
                    Scope::Service(r) => format!("{}-metrics", r.name),
                    Scope::Workload(w) => format!(
                        "{}-metrics",
                        w.labels
                            .values()
                            .map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join("-")
                    ),
                    _ => "metrics".to_owned(),
                };
                scoped
                    .entry((ns, name))
                    .or_insert_with(|| (selector, Vec::new()))
                    .1
                    .push(o);
            }
        }
    }
    let metrics = |overrides: Vec<MetricsOverride>| {
        vec![Metrics {
            providers: provider("prometheus"),
            overrides,
            ..Metrics::default()
        }]
    };
    if !mesh.is_empty() {
        root.metrics = metrics(mesh);
    }
    let v = cx.opts.api_versions.telemetry.clone();
    for ((ns, name), (selector, overrides)) in scoped {
        let target = match selector.map(PolicySelector::labels) {
            None => None,
            Some(Ok(s)) => Some(PolicyTarget::Selector(s)),
            Some(Err(e)) => {
                cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                continue;
            }
        };
        let t = Telemetry::new(
            name,
            Some(&ns),
            TelemetrySpec {
                target,
                metrics: metrics(overrides),
                ..TelemetrySpec::default()
            },
        );
        cx.emit(t, &v);
    }
}

// === add-ons ===

fn helm(repo: &str, repo_name: &str, chart: &str, namespace: &str) -> Installer {
    Installer::Helm(HelmChart {
        repository: repo.to_owned(),
        repository_name: repo_name.to_owned(),
        chart: chart.to_owned(),
        release: chart.to_owned(),
        namespace: namespace.to_owned(),
        version: None,
    })
}

fn dashboards_sidecar() -> GrafanaSidecar {
    GrafanaSidecar {
        dashboards: Some(DashboardProvider {
            enabled: true,
            label: Some("grafana_dashboard".to_owned()),
            search_namespace: Some("ALL".to_owned()),
            ..DashboardProvider::default()
        }),
        ..GrafanaSidecar::default()
    }
}

fn addons(cx: &mut Cx<'_>, addons: &[Addon], tracing: bool, path: &FieldPath) {
    if addons.is_empty() {
        return;
    }
    let mon = cx.opts.monitoring_namespace.clone();
    let root_ns = cx.opts.root_namespace.clone();
    let has = |a: Addon| addons.contains(&a);
    let at = |a: Addon| {
        let i = addons.iter().position(|x| *x == a).unwrap_or(0);
        path.index(i)
    };
    let prometheus_url = if has(Addon::Prometheus) {
        format!("http://prometheus-operated.{mon}:9090")
    } else if let Some(url) = &cx.opts.prometheus_url {
        url.clone()
    } else {
        let url = format!("http://prometheus.{root_ns}:9090");
        if has(Addon::Grafana) || has(Addon::Kiali) {
            let p = if has(Addon::Grafana) {
                at(Addon::Grafana)
            } else {
                at(Addon::Kiali)
            };
            cx.note(
                Feature::Installation,
                p,
                format!(
                    "no prometheus add-on: Grafana and Kiali query Istio's conventional {url} \
                     (set Options::prometheus_url for another)"
                ),
            );
        }
        url
    };
    let mut grafana_url = None;
    if has(Addon::Prometheus) {
        let grafana = has(Addon::Grafana);
        if grafana {
            grafana_url = Some(format!("http://kube-prometheus-stack-grafana.{mon}:80"));
        }
        cx.out.install(InstallInput {
            installer: helm(
                "https://prometheus-community.github.io/helm-charts",
                "prometheus-community",
                "kube-prometheus-stack",
                &mon,
            ),
            file_name: "kube-prometheus-stack.values.yaml".to_owned(),
            values: IstioInstall::PrometheusStack(PrometheusStackValues {
                grafana: Some(PrometheusStackGrafana {
                    enabled: grafana,
                    sidecar: grafana.then(dashboards_sidecar),
                    ..PrometheusStackGrafana::default()
                }),
                prometheus: Some(PrometheusStackPrometheus {
                    prometheus_spec: Some(PrometheusSpecValues {
                        pod_monitor_selector_nil_uses_helm_values: Some(false),
                        service_monitor_selector_nil_uses_helm_values: Some(false),
                        rule_selector_nil_uses_helm_values: Some(false),
                        ..PrometheusSpecValues::default()
                    }),
                    ..PrometheusStackPrometheus::default()
                }),
                ..PrometheusStackValues::default()
            }),
        });
    } else if has(Addon::Grafana) {
        grafana_url = Some(format!("http://grafana.{mon}:80"));
        cx.out.install(InstallInput {
            installer: helm(
                "https://grafana.github.io/helm-charts",
                "grafana",
                "grafana",
                &mon,
            ),
            file_name: "grafana.values.yaml".to_owned(),
            values: IstioInstall::Grafana(GrafanaValues {
                sidecar: Some(dashboards_sidecar()),
                datasources: BTreeMap::from([(
                    "datasources.yaml".to_owned(),
                    GrafanaDatasources {
                        api_version: 1,
                        datasources: vec![GrafanaDatasource {
                            name: "Prometheus".to_owned(),
                            type_: "prometheus".to_owned(),
                            uid: Some("prometheus".to_owned()),
                            url: prometheus_url.clone(),
                            access: "proxy".to_owned(),
                            is_default: true,
                        }],
                    },
                )]),
                ..GrafanaValues::default()
            }),
        });
    }
    if has(Addon::Jaeger) {
        cx.note(
            Feature::Tracing,
            at(Addon::Jaeger),
            format!(
                "Jaeger all-in-one with in-memory storage (traces are lost on restart; choose a \
                 storage in the values' open fields for production); its collector is \
                 jaeger-collector.{mon} (OTLP 4317), its query API jaeger-query.{mon}"
            ),
        );
        let off = || Some(Toggle { enabled: false });
        cx.out.install(InstallInput {
            installer: helm(
                "https://jaegertracing.github.io/helm-charts",
                "jaegertracing",
                "jaeger",
                &mon,
            ),
            file_name: "jaeger.values.yaml".to_owned(),
            values: IstioInstall::Jaeger(JaegerValues {
                provision_data_store: BTreeMap::from([("cassandra".to_owned(), false)]),
                storage: Some(JaegerStorage {
                    type_: "memory".to_owned(),
                    ..JaegerStorage::default()
                }),
                all_in_one: Some(Toggle { enabled: true }),
                agent: off(),
                collector: off(),
                query: off(),
                ..JaegerValues::default()
            }),
        });
    }
    if has(Addon::Kiali) {
        let tracing_service = if has(Addon::Jaeger) {
            Some(KialiTracing {
                enabled: true,
                provider: Some("jaeger".to_owned()),
                internal_url: Some(format!("http://jaeger-query.{mon}:16685")),
                use_grpc: Some(true),
                ..KialiTracing::default()
            })
        } else {
            if tracing {
                cx.note(
                    Feature::Tracing,
                    at(Addon::Kiali),
                    "Kiali reads traces from the tracing backend's query API, which the model does \
                     not name: Kiali's tracing integration is off (set external_services.tracing in \
                     the kiali-server values)",
                );
            }
            Some(KialiTracing {
                enabled: false,
                ..KialiTracing::default()
            })
        };
        cx.out.install(InstallInput {
            installer: helm(
                "https://kiali.org/helm-charts",
                "kiali",
                "kiali-server",
                &root_ns,
            ),
            file_name: "kiali-server.values.yaml".to_owned(),
            values: IstioInstall::Kiali(KialiValues {
                istio_namespace: Some(root_ns.clone()),
                external_services: Some(KialiExternalServices {
                    prometheus: Some(KialiPrometheus {
                        url: prometheus_url,
                        ..KialiPrometheus::default()
                    }),
                    grafana: Some(KialiGrafana {
                        enabled: grafana_url.is_some(),
                        internal_url: grafana_url,
                        ..KialiGrafana::default()
                    }),
                    tracing: tracing_service,
                    ..KialiExternalServices::default()
                }),
                ..KialiValues::default()
            }),
        });
    }
}
