//! Installation and metrics: the `hashicorp/consul` chart's values
//! ([`crate::values`]), PodMonitors for the sidecars' merged metrics and
//! the servers, golden-signal alerts and dashboard over Envoy's metrics.
//!
//! | model | Consul |
//! | --- | --- |
//! | `installation` (or metrics / add-ons that need chart settings) | `hashicorp/consul` values: TLS with auto-encrypt, managed system ACLs, connect injection of the namespaces labelled [`Options::injection_label`](super::Options), transparent proxy |
//! | `highAvailability` | `server.replicas: 3`, PodDisruptionBudget, 2 injector replicas |
//! | `controlPlane.replicas` / `.resources` | `server.replicas` / `server.resources` |
//! | `proxy.resources` | `connectInject.sidecarProxy.resources` |
//! | `ingressGateway` | API gateway class service type and resources, or `ingressGateways` ([`IngressFlavor`](super::IngressFlavor)) |
//! | `egressGateway` | `terminatingGateways` (named [`Options::terminating_gateway`](super::Options)) |
//! | `metrics.scrapeProxies` | `global.metrics`, merged metrics (`connectInject.metrics`) + PodMonitor `consul-sidecars` (port `prometheus`, 20200) |
//! | `metrics.scrapeControlPlane` | agent metrics + PodMonitor `consul-servers` (`/v1/agent/metrics?format=prometheus` over HTTPS with the chart's CA and an ACL token Secret) |
//! | `metrics.alerts` / `dashboard` | PrometheusRule `consul-golden-signals` / ConfigMap `consul-mesh-dashboard` over `envoy_cluster_upstream_rq*` |
//! | `addons: prometheus` | the chart's demo Prometheus, UI metrics from it |

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::SecretKeySelector;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::install::{HelmChart, InstallInput, Installer};
use mesh_k8s::prometheus::golden::{SignalQueries, alert_rules, dashboard};
use mesh_k8s::prometheus::{
    NamespaceSelector, PodMetricsEndpoint, PodMonitor, PodMonitorSpec, PrometheusDuration,
    SafeAuthorization, SafeTlsConfig, Scheme, ScrapeAuth, SecretOrConfigMap,
};
use mesh_model::{Addon, CertificateAuthority, DataPlane, Feature, FieldPath, Profile};

use super::{Cx, IngressFlavor};
use crate::values::{
    Acls, ApiGateway, ConnectInject, ConsulInstall, ConsulValues, DemoPrometheus, DisruptionBudget,
    GatewayDefaults, Gateways, Global, GlobalMetrics, InjectMetrics, ManagedGatewayClass,
    NamedGateway, Resources, Server, SidecarProxy, Tls, TransparentProxy, Ui, UiMetrics,
};

/// HashiCorp's Helm repository.
pub const HELM_REPOSITORY: &str = "https://helm.releases.hashicorp.com";

/// The port of the sidecars' merged metrics (the chart's default
/// `connectInject.metrics.defaultPrometheusScrapePort`).
pub const MERGED_METRICS_PORT: u16 = 20200;

/// The Consul golden-signal queries: Envoy's upstream-cluster statistics
/// of the callers' sidecars, per destination service
/// (`consul_destination_service`, the label Consul's Envoy bootstrap adds
/// to upstream clusters, as in Consul's own Grafana dashboards). Success is
/// the share of responses that are not 5xx (`envoy_response_code_class`);
/// latency is `envoy_cluster_upstream_rq_time` (milliseconds). Proxy memory
/// is the `consul-dataplane` container's working set (cAdvisor). Consul
/// exports no configuration-push latency to alert on.
pub fn signal_queries() -> SignalQueries {
    let by = "consul_destination_service";
    SignalQueries {
        mesh: "Consul",
        service_labels: &["consul_destination_service"],
        request_rate: format!(
            "sum by ({by}) (rate(envoy_cluster_upstream_rq_total{{consul_destination_service!=\"\"}}[5m]))"
        ),
        success_ratio: format!(
            "sum by ({by}) (rate(envoy_cluster_upstream_rq_xx{{consul_destination_service!=\"\", envoy_response_code_class!=\"5\"}}[5m])) / sum by ({by}) (rate(envoy_cluster_upstream_rq_xx{{consul_destination_service!=\"\"}}[5m]))"
        ),
        latency_p99_ms: format!(
            "histogram_quantile(0.99, sum by (le, {by}) (rate(envoy_cluster_upstream_rq_time_bucket{{consul_destination_service!=\"\"}}[5m])))"
        ),
        proxy_memory_bytes: "max by (namespace, pod) (container_memory_working_set_bytes{container=\"consul-dataplane\"})".to_owned(),
        config_sync_p99_seconds: None,
    }
}

/// Lowers installation and metrics.
pub(crate) fn lower(cx: &mut Cx<'_>) {
    let root = FieldPath::root();
    let o = cx.mesh.observability.clone();
    let metrics = o.metrics.clone().unwrap_or_default();
    let scrape = metrics.scrape_proxies || metrics.scrape_control_plane;
    let needs_chart = cx.mesh.installation.is_some() || scrape || !o.addons.is_empty();
    let inst = cx.mesh.installation.clone().unwrap_or_default();
    let p = root.field("installation");
    let name = cx.opts.release_name.clone();
    let mut v = ConsulValues {
        global: Some(Global {
            name: Some(name.clone()),
            datacenter: Some(cx.opts.datacenter.clone()),
            tls: Some(Tls {
                enabled: Some(true),
                enable_auto_encrypt: Some(true),
                ..Tls::default()
            }),
            acls: Some(Acls {
                manage_system_acls: Some(true),
                ..Acls::default()
            }),
            ..Global::default()
        }),
        connect_inject: Some(ConnectInject {
            enabled: Some(true),
            default: Some(true),
            namespace_selector: namespace_selector(cx),
            transparent_proxy: Some(TransparentProxy {
                default_enabled: Some(true),
                ..TransparentProxy::default()
            }),
            ..ConnectInject::default()
        }),
        ui: Some(Ui {
            enabled: Some(inst.profile != Profile::Minimal),
            ..Ui::default()
        }),
        ..ConsulValues::default()
    };
    if inst.high_availability {
        v.server = Some(Server {
            replicas: Some(3),
            disruption_budget: Some(DisruptionBudget {
                enabled: Some(true),
                max_unavailable: None,
            }),
            ..Server::default()
        });
        if let Some(ci) = v.connect_inject.as_mut() {
            ci.replicas = Some(2);
        }
        cx.l.note(
            Feature::HighAvailability,
            p.field("highAvailability"),
            "3 Consul servers (a quorum that survives one failure; the chart's default anti-affinity spreads them across nodes), a PodDisruptionBudget, 2 injector replicas",
        );
    }
    if let Some(r) = inst.control_plane.replicas {
        if r % 2 == 0 {
            cx.l.note(
                Feature::HighAvailability,
                p.field("controlPlane").field("replicas"),
                format!("{r} Consul servers tolerate no more failures than {}: use an odd number (3 or 5)", r - 1),
            );
        }
        v.server.get_or_insert_with(Server::default).replicas = Some(r);
    }
    if let Some(r) = inst
        .control_plane
        .resources
        .as_ref()
        .and_then(Resources::from_model)
    {
        v.server.get_or_insert_with(Server::default).resources = Some(r);
    }
    if let Some(r) = inst
        .proxy
        .resources
        .as_ref()
        .and_then(Resources::from_model)
        && let Some(ci) = v.connect_inject.as_mut()
    {
        ci.sidecar_proxy = Some(SidecarProxy {
            resources: Some(r),
            ..SidecarProxy::default()
        });
    }
    if inst.proxy.hold_application_until_proxy_starts {
        cx.unsupported(
            Feature::Installation,
            p.field("proxy").field("holdApplicationUntilProxyStarts"),
            "the Consul chart has no setting that holds application containers until the sidecar is ready; remove it",
        );
    }
    if let Some(rev) = &inst.revision {
        cx.unsupported(
            Feature::Installation,
            p.field("revision"),
            format!("Consul has no control-plane revisions (`{rev}`): upgrade the release in place; remove `revision`"),
        );
    }
    if inst.profile == Profile::Demo {
        cx.l.note(
            Feature::Installation,
            p.field("profile"),
            "demo: the chart's defaults with the UI; add-ons come from `observability.addons`",
        );
    }
    match &inst.certificate_authority {
        CertificateAuthority::MeshManaged => {}
        CertificateAuthority::CertManager { .. } => cx.unsupported(
            Feature::ExternalCa,
            p.field("certificateAuthority"),
            "Consul's mesh CA providers are its built-in CA, Vault and AWS PCA, not cert-manager: use Vault (`global.secretsBackend.vault.connectCA`) or the built-in CA",
        ),
        CertificateAuthority::Secret(s) => cx.unsupported(
            Feature::ExternalCa,
            p.field("certificateAuthority"),
            format!(
                "Consul does not read its mesh CA from a Kubernetes Secret (`{s}`): give the root and key to the built-in provider's `connect.ca_config` in `server.extraConfig`, or use Vault"
            ),
        ),
    }
    if let Some(g) = &inst.ingress_gateway {
        let service_type = format!("{:?}", g.service_type);
        let resources = g
            .component
            .resources
            .as_ref()
            .and_then(Resources::from_model);
        match cx.opts.ingress {
            IngressFlavor::ApiGateway => {
                if g.component.replicas.is_some() {
                    cx.unsupported(
                        Feature::Installation,
                        p.field("ingressGateway").field("component").field("replicas"),
                        "API gateway replicas are set per Gateway by a GatewayClassConfig (`deployment.defaultInstances`), not by the chart's typed values; remove `replicas`",
                    );
                }
                if let Some(ci) = v.connect_inject.as_mut() {
                    ci.api_gateway = Some(ApiGateway {
                        managed_gateway_class: Some(ManagedGatewayClass {
                            service_type: Some(service_type),
                            resources,
                            ..ManagedGatewayClass::default()
                        }),
                        ..ApiGateway::default()
                    });
                }
            }
            IngressFlavor::IngressGateway => {
                v.ingress_gateways = Some(gateways(
                    "ingress-gateway",
                    g.component.replicas,
                    resources,
                    Some(service_type),
                ));
            }
        }
    }
    if let Some(g) = &inst.egress_gateway {
        let resources = g
            .component
            .resources
            .as_ref()
            .and_then(Resources::from_model);
        let gw = cx.opts.terminating_gateway.clone();
        v.terminating_gateways = Some(gateways(&gw, g.component.replicas, resources, None));
        if g.service_type != mesh_model::ServiceType::default() {
            cx.l.note(
                Feature::Installation,
                p.field("egressGateway").field("serviceType"),
                "no effect: terminating gateways are reached through the mesh, not through a Service of a chosen type",
            );
        }
    }
    if inst.data_plane == DataPlane::Ambient {
        cx.unsupported(
            Feature::Ambient,
            p.field("dataPlane"),
            "Consul has no ambient data plane; use `sidecar`",
        );
    }
    // Metrics.
    let mp = root.field("observability").field("metrics");
    if scrape {
        let g = v.global.get_or_insert_with(Global::default);
        g.metrics = Some(GlobalMetrics {
            enabled: Some(true),
            enable_agent_metrics: Some(metrics.scrape_control_plane),
            enable_gateway_metrics: Some(true),
            ..GlobalMetrics::default()
        });
        if let Some(ci) = v.connect_inject.as_mut() {
            ci.metrics = Some(InjectMetrics {
                default_enabled: Some(true),
                default_enable_merging: Some(true),
                ..InjectMetrics::default()
            });
        }
    }
    let interval = match metrics.interval.map(PrometheusDuration::from_duration) {
        Some(Some(d)) => Some(d),
        Some(None) => {
            cx.unsupported(
                Feature::MetricsScrape,
                mp.field("interval"),
                "Prometheus intervals have millisecond precision; round `interval`",
            );
            None
        }
        None => None,
    };
    if metrics.interval.is_some() && !scrape {
        cx.l.note(
            Feature::MetricsScrape,
            mp.field("interval"),
            "no effect: nothing is scraped (set scrapeProxies or scrapeControlPlane)",
        );
    }
    let mon_ns = cx.opts.config_namespace.clone();
    if metrics.scrape_proxies {
        let mut ep = PodMetricsEndpoint::port("prometheus");
        ep.scrape.path = Some("/metrics".to_owned());
        ep.scrape.interval = interval.clone();
        let mut spec = PodMonitorSpec::new(
            labels([("consul.hashicorp.com/connect-inject-status", "injected")]),
            [ep],
        );
        spec.namespace_selector = Some(NamespaceSelector::any());
        cx.l.emit(PodMonitor::new("consul-sidecars", Some(&mon_ns), spec));
        cx.l.note(
            Feature::MetricsScrape,
            mp.field("scrapeProxies"),
            format!("merged Envoy and application metrics on each sidecar's `prometheus` port ({MERGED_METRICS_PORT}); restart injected pods after enabling"),
        );
    }
    if metrics.scrape_control_plane {
        let mut ep = PodMetricsEndpoint::port("https");
        ep.scrape.path = Some("/v1/agent/metrics".to_owned());
        ep.scrape.params = BTreeMap::from([("format".to_owned(), vec!["prometheus".to_owned()])]);
        ep.scrape.scheme = Some(Scheme::Https);
        ep.scrape.interval = interval;
        ep.tls_config = Some(SafeTlsConfig {
            ca: Some(SecretOrConfigMap::Secret(SecretKeySelector {
                name: format!("{name}-ca-cert"),
                key: "tls.crt".to_owned(),
                optional: None,
            })),
            server_name: Some(format!("server.{}.consul", cx.opts.datacenter)),
            ..SafeTlsConfig::default()
        });
        ep.scrape.auth = Some(ScrapeAuth::Authorization(SafeAuthorization {
            auth_type: Some("Bearer".to_owned()),
            credentials: Some(SecretKeySelector {
                name: cx.opts.metrics_token_secret.clone(),
                key: "token".to_owned(),
                optional: None,
            }),
        }));
        let mut spec =
            PodMonitorSpec::new(labels([("app", "consul"), ("component", "server")]), [ep]);
        spec.namespace_selector = Some(NamespaceSelector {
            any: None,
            match_names: vec![mon_ns.clone()],
        });
        cx.l.emit(PodMonitor::new("consul-servers", Some(&mon_ns), spec));
        cx.l.note(
            Feature::MetricsScrape,
            mp.field("scrapeControlPlane"),
            format!(
                "servers scraped over HTTPS with the chart's CA (`{name}-ca-cert`); with managed ACLs Prometheus needs an ACL token with `agent:read` in the Secret `{}` (key `token`) in `{mon_ns}`",
                cx.opts.metrics_token_secret
            ),
        );
    }
    for (k, _) in metrics.tags.iter().enumerate() {
        cx.unsupported(
            Feature::MetricTags,
            mp.field("tags").index(k),
            "Consul has no per-metric tag edits (Envoy stats tags are fixed by Consul's bootstrap); relabel in Prometheus instead",
        );
    }
    let queries = signal_queries();
    if !metrics.alerts.is_empty() {
        match alert_rules(
            "consul-golden-signals",
            &mon_ns,
            &queries,
            &metrics.alerts,
            &mp,
        ) {
            Ok(rule) => cx.l.emit(rule),
            Err(refused) => {
                for (path, reason) in refused {
                    cx.unsupported(Feature::Alerts, path, reason);
                }
            }
        }
    }
    if metrics.dashboard {
        cx.l.emit(dashboard("consul-mesh-dashboard", &mon_ns, &queries));
    }
    // Add-ons.
    for (k, a) in o.addons.iter().enumerate() {
        let at = root.field("observability").field("addons").index(k);
        match a {
            Addon::Prometheus => {
                v.prometheus = Some(DemoPrometheus { enabled: Some(true) });
                if let Some(ui) = v.ui.as_mut() {
                    ui.metrics = Some(UiMetrics {
                        enabled: Some(true),
                        provider: Some("prometheus".to_owned()),
                        base_url: Some("http://prometheus-server".to_owned()),
                    });
                }
                cx.l.note(
                    Feature::Installation,
                    at,
                    "the chart's demo Prometheus (`prometheus.enabled`, not for production) feeds the UI's metrics",
                );
            }
            Addon::Grafana | Addon::Jaeger | Addon::Kiali => cx.unsupported(
                Feature::Installation,
                at,
                match a {
                    Addon::Kiali => "Kiali reads Istio's configuration only; use the Consul UI",
                    _ => "the Consul chart installs no Grafana or Jaeger: install them with their own charts (the dashboard ConfigMap and the tracing settings point at them)",
                },
            ),
        }
    }
    if needs_chart {
        let release = name;
        cx.l.install(InstallInput {
            installer: Installer::Helm(HelmChart {
                repository: HELM_REPOSITORY.to_owned(),
                repository_name: "hashicorp".to_owned(),
                chart: "consul".to_owned(),
                release,
                namespace: cx.opts.config_namespace.clone(),
                version: cx.opts.chart_version.clone(),
            }),
            file_name: "consul.values.yaml".to_owned(),
            values: ConsulInstall::Consul(Box::new(v)),
        });
    }
}

fn labels<const N: usize>(pairs: [(&str, &str); N]) -> LabelSelector {
    LabelSelector {
        match_labels: Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        ..LabelSelector::default()
    }
}

/// `connectInject.namespaceSelector`: the namespaces labelled
/// `<injection label>: "true"`, as a YAML string (the chart's format).
fn namespace_selector(cx: &mut Cx<'_>) -> Option<String> {
    let selector = labels([(cx.opts.injection_label.as_str(), "true")]);
    match mesh_k8s::to_yaml_string(&selector) {
        Ok(s) => Some(s),
        Err(e) => {
            cx.l.error(mesh_model::LowerError::Output(format!(
                "connectInject.namespaceSelector: {e}"
            )));
            None
        }
    }
}

fn gateways(
    name: &str,
    replicas: Option<u32>,
    resources: Option<Resources>,
    service_type: Option<String>,
) -> Gateways {
    Gateways {
        enabled: Some(true),
        defaults: Some(GatewayDefaults {
            replicas,
            resources,
            service: service_type.map(|t| serde_json::json!({"type": t})),
            ..GatewayDefaults::default()
        }),
        gateways: vec![NamedGateway {
            name: name.to_owned(),
            ..NamedGateway::default()
        }],
        ..Gateways::default()
    }
}
