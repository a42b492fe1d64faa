//! Installation and observability: Helm values of Linkerd's charts
//! ([`crate::values`]), the identity issuer through cert-manager, the
//! Prometheus-operator monitors, golden-signal alerts and dashboard, the
//! jaeger extension, and access logs.
//!
//! | model | Linkerd |
//! | --- | --- |
//! | `installation` | `linkerd-crds` + `linkerd-control-plane` values (in that order), the control-plane Namespace |
//! | `highAvailability` | the chart's `values-ha.yaml` settings, typed ([`ControlPlaneValues::high_availability`]) |
//! | `controlPlane.replicas` / `.resources` | `controllerReplicas` / every component's `*Resources` |
//! | `proxy.resources` / `holdApplicationUntilProxyStarts` | `proxy.resources` / `proxy.await` |
//! | `certificateAuthority: certManager` | Certificate `linkerd-identity-issuer` (ECDSA P-256, isCA, 48h, renew 25h, key rotated), trust-manager Bundle `linkerd-identity-trust-roots`, `identity.externalCA` + `identity.issuer.scheme: kubernetes.io/tls` |
//! | `certificateAuthority: secret` | the Secret must be `linkerd-identity-issuer`; `identity.externalCA` + `kubernetes.io/tls` |
//! | `metrics.scrapeProxies` / `scrapeControlPlane` | PodMonitors `linkerd-proxy` / `linkerd-controller` (the chart's relabelings) |
//! | `metrics.alerts` / `dashboard` | PrometheusRule `linkerd-golden-signals` / ConfigMap `linkerd-mesh-dashboard` over `request_total`, `response_total`, `response_latency_ms` |
//! | `tracing` | `linkerd-jaeger` values: proxies → the extension's collector (OTLP), collector → the model's `host:port` |
//! | `addons: prometheus` / `jaeger` | `linkerd-viz` values (its Prometheus) / `linkerd-jaeger` with Jaeger all-in-one |

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::certmanager::{
    Bundle, BundleSource, BundleSpec, BundleTarget, CaIssuer, Certificate, CertificateSpec,
    ClusterIssuer, ClusterIssuerSpec, IssuerRef, IssuerSpec, KeyAlgorithm, KeyTarget, PrivateKey,
    RotationPolicy, SelfSignedIssuer, SourceObject,
};
use mesh_k8s::install::{HelmChart, InstallInput, Installer};
use mesh_k8s::prometheus::golden::{SignalQueries, alert_rules, dashboard};
use mesh_k8s::prometheus::{
    NamespaceSelector, PodMetricsEndpoint, PodMonitor, PodMonitorSpec, PrometheusDuration,
    RelabelAction, RelabelConfig,
};
use mesh_k8s::{GoDuration, lowering::namespace};
use mesh_model::{
    Addon, CertificateAuthority, DataPlane, Feature, FieldPath, Profile, Tracing, TracingProvider,
};
use serde::Serialize;

use super::{Cx, root};
use crate::values::{
    ControlPlaneValues, CrdsValues, Identity, IdentityIssuer, IssuerScheme, JaegerCollector,
    JaegerInstance, JaegerValues, JaegerWebhook, LinkerdInstall, Proxy, Resources, TraceProtocol,
    VizPrometheus, VizValues,
};

/// Linkerd's Helm repository (stable releases).
pub const HELM_REPOSITORY: &str = "https://helm.linkerd.io/stable";

/// The Secret Linkerd's identity controller reads its issuer from.
pub const IDENTITY_ISSUER_SECRET: &str = "linkerd-identity-issuer";

/// The ConfigMap (and trust-manager Bundle) with the trust anchors.
pub const TRUST_ROOTS: &str = "linkerd-identity-trust-roots";

/// The Linkerd golden-signal queries: inbound traffic of each workload, as
/// the proxies report it, labelled `namespace` and `deployment` by the
/// scrape (the `linkerd-proxy` PodMonitor's relabelings, or viz's
/// Prometheus). Success is Linkerd's own response classification (5xx and
/// gRPC errors are failures). Proxy memory is the `linkerd-proxy`
/// container's working set (cAdvisor). Linkerd exports no configuration
/// push latency.
pub fn signal_queries() -> SignalQueries {
    let by = "namespace, deployment";
    SignalQueries {
        mesh: "Linkerd",
        service_labels: &["namespace", "deployment"],
        request_rate: format!(
            "sum by ({by}) (rate(request_total{{direction=\"inbound\"}}[5m]))"
        ),
        success_ratio: format!(
            "sum by ({by}) (rate(response_total{{direction=\"inbound\", classification=\"success\"}}[5m])) / sum by ({by}) (rate(response_total{{direction=\"inbound\"}}[5m]))"
        ),
        latency_p99_ms: format!(
            "histogram_quantile(0.99, sum by (le, {by}) (rate(response_latency_ms_bucket{{direction=\"inbound\"}}[5m])))"
        ),
        proxy_memory_bytes: "max by (namespace, pod) (container_memory_working_set_bytes{container=\"linkerd-proxy\"})".to_owned(),
        config_sync_p99_seconds: None,
    }
}

fn chart(cx: &Cx<'_>, chart: &str, namespace: &str) -> Installer {
    Installer::Helm(HelmChart {
        repository: HELM_REPOSITORY.to_owned(),
        repository_name: "linkerd".to_owned(),
        chart: chart.to_owned(),
        release: chart.to_owned(),
        namespace: namespace.to_owned(),
        version: cx.opts.chart_version.clone(),
    })
}

fn install(cx: &mut Cx<'_>, name: &str, namespace: &str, values: LinkerdInstall) {
    let installer = chart(cx, name, namespace);
    cx.out.install(InstallInput {
        installer,
        file_name: format!("{name}.values.yaml"),
        values,
    });
}

/// Lowers `installation`, then the observability charts and objects.
pub(crate) fn lower(cx: &mut Cx<'_>) {
    installation(cx);
    observability(cx);
}

fn installation(cx: &mut Cx<'_>) {
    let Some(inst) = &cx.mesh.installation else {
        return;
    };
    let p = root().field("installation");
    let cp_ns = cx.opts.control_plane_namespace.clone();
    let mut values = if inst.high_availability {
        cx.note(
            Feature::HighAvailability,
            p.field("highAvailability"),
            "the chart's values-ha.yaml: 3 replicas, PodDisruptionBudgets, anti-affinity, maxUnavailable 1, webhookFailurePolicy Fail, requests and limits",
        );
        ControlPlaneValues::high_availability()
    } else {
        ControlPlaneValues::default()
    };
    if inst.profile != Profile::Production {
        cx.note(
            Feature::Installation,
            p.field("profile"),
            "Linkerd's charts have no profiles: the chart's defaults (production-ready) are used; add-ons come from `observability.addons`",
        );
    }
    if let Some(rev) = &inst.revision {
        cx.unsupported(
            Feature::Installation,
            p.field("revision"),
            format!(
                "Linkerd has no control-plane revisions (`{rev}`): it upgrades in place with `helm upgrade`; remove `revision`"
            ),
        );
    }
    if let Some(r) = inst.control_plane.replicas {
        values.controller_replicas = Some(r);
    }
    if let Some(r) = inst
        .control_plane
        .resources
        .as_ref()
        .and_then(Resources::from_model)
    {
        values.set_component_resources(r);
    }
    let proxy = values.proxy.get_or_insert_with(Proxy::default);
    if let Some(r) = inst
        .proxy
        .resources
        .as_ref()
        .and_then(Resources::from_model)
    {
        proxy.resources = Some(r);
    }
    if inst.proxy.hold_application_until_proxy_starts {
        proxy.await_ = Some(true);
    } else {
        cx.note(
            Feature::Installation,
            p.field("proxy").field("holdApplicationUntilProxyStarts"),
            "not set: Linkerd's own default applies (proxy.await: true, the application starts once its proxy is ready)",
        );
    }
    if values
        .proxy
        .as_ref()
        .is_some_and(|p| p == &Proxy::default())
    {
        values.proxy = None;
    }
    if cx.opts.cluster_domain != "cluster.local" {
        values.cluster_domain = Some(cx.opts.cluster_domain.clone());
    }
    certificate_authority(cx, &p, &inst.certificate_authority, &mut values);
    for (field, gw) in [
        ("ingressGateway", &inst.ingress_gateway),
        ("egressGateway", &inst.egress_gateway),
    ] {
        if gw.is_some() {
            cx.unsupported(
                Feature::Installation,
                p.field(field),
                "Linkerd installs no gateways: install an ingress controller (its GatewayClass is `Options::gateway_class_name`) or an egress proxy with its own chart",
            );
        }
    }
    if inst.data_plane == DataPlane::Ambient {
        cx.unsupported(
            Feature::Ambient,
            p.field("dataPlane"),
            "Linkerd has no ambient data plane: use sidecars (the default)",
        );
    }
    control_plane_namespace(cx, &cp_ns);
    install(
        cx,
        "linkerd-crds",
        &cp_ns,
        LinkerdInstall::Crds(CrdsValues::default()),
    );
    install(
        cx,
        "linkerd-control-plane",
        &cp_ns,
        LinkerdInstall::ControlPlane(Box::new(values)),
    );
}

/// The control-plane Namespace, labelled as `linkerd install` labels it
/// (trust-manager's Bundle selects it by `linkerd.io/is-control-plane`).
fn control_plane_namespace(cx: &mut Cx<'_>, ns: &str) {
    if cx.ns_annotations.contains_key(ns) {
        cx.note(
            Feature::Installation,
            root().field("installation"),
            format!(
                "`{ns}` is also a namespace of the model: label it `linkerd.io/is-control-plane: \"true\"` and `config.linkerd.io/admission-webhooks: disabled`"
            ),
        );
        return;
    }
    let labels = [
        ("linkerd.io/is-control-plane", "true"),
        ("config.linkerd.io/admission-webhooks", "disabled"),
        ("linkerd.io/control-plane-ns", ns),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()));
    cx.out.emit(namespace(ns, labels, []));
}

fn certificate_authority(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    ca: &CertificateAuthority,
    values: &mut ControlPlaneValues,
) {
    let p = p.field("certificateAuthority");
    let external = Identity {
        external_ca: Some(true),
        issuer: Some(IdentityIssuer {
            scheme: Some(IssuerScheme::KubernetesTls),
            ..IdentityIssuer::default()
        }),
        ..Identity::default()
    };
    match ca {
        CertificateAuthority::MeshManaged => cx.note(
            Feature::ExternalCa,
            p,
            "Linkerd's own issuer: the chart needs `identityTrustAnchorsPEM` and `identity.issuer.tls.crtPEM`/`keyPEM` (generate them with `step`, pass them with `--set-file`); for rotation use `certificateAuthority: certManager`",
        ),
        CertificateAuthority::Secret(name) => {
            if name.as_str() != IDENTITY_ISSUER_SECRET {
                cx.unsupported(
                    Feature::ExternalCa,
                    p,
                    format!(
                        "Linkerd reads its issuer only from the Secret `{IDENTITY_ISSUER_SECRET}` (kubernetes.io/tls with ca.crt) in its namespace; rename `{name}`"
                    ),
                );
                return;
            }
            values.identity = Some(external);
            cx.note(
                Feature::ExternalCa,
                p,
                format!(
                    "identity.externalCA with issuer scheme kubernetes.io/tls: provide the ConfigMap `{TRUST_ROOTS}` (key ca-bundle.crt) with the trust anchors in `{}`",
                    cx.opts.control_plane_namespace
                ),
            );
        }
        CertificateAuthority::CertManager {
            issuer,
            cluster_issuer,
        } => {
            values.identity = Some(external);
            cert_manager(cx, &p, issuer.as_str(), *cluster_issuer);
        }
    }
}

fn hours(text: &str) -> Option<GoDuration> {
    GoDuration::parse(text).ok()
}

/// The documented production setup (Linkerd 2.17 docs, "Automatically
/// rotating control plane TLS credentials"): the identity issuer
/// Certificate from the model's issuer, the trust bundle from the trust
/// anchor Secret, and with [`super::Options::self_signed_trust_anchor`]
/// the self-signed trust anchor and the model's issuer as a CA issuer.
fn cert_manager(cx: &mut Cx<'_>, p: &FieldPath, issuer: &str, cluster_issuer: bool) {
    let cp_ns = cx.opts.control_plane_namespace.clone();
    let anchor_secret = cx.opts.trust_anchor_secret.clone();
    let domain = cx.opts.cluster_domain.clone();
    let issuer_ref = if cluster_issuer {
        IssuerRef::cluster_issuer(issuer)
    } else {
        IssuerRef::issuer(issuer)
    };
    let ecdsa = PrivateKey {
        rotation_policy: Some(RotationPolicy::Always),
        algorithm: Some(KeyAlgorithm::Ecdsa),
        size: Some(256),
        ..PrivateKey::default()
    };
    cx.out.emit(Certificate::new(
        IDENTITY_ISSUER_SECRET,
        Some(&cp_ns),
        CertificateSpec {
            secret_name: IDENTITY_ISSUER_SECRET.to_owned(),
            issuer_ref,
            is_ca: Some(true),
            common_name: Some(format!("identity.{cp_ns}.{domain}")),
            dns_names: vec![format!("identity.{cp_ns}.{domain}")],
            duration: hours("48h0m0s"),
            renew_before: hours("25h0m0s"),
            private_key: Some(ecdsa.clone()),
            ..CertificateSpec::default()
        },
    ));
    // trust-manager reads sources from its trust namespace only.
    let trust_ns = if cluster_issuer {
        cx.opts.cert_manager_namespace.clone()
    } else {
        cp_ns.clone()
    };
    cx.out.emit(Bundle::new(
        TRUST_ROOTS,
        None,
        BundleSpec {
            sources: vec![BundleSource::Secret(SourceObject {
                name: Some(anchor_secret.clone()),
                key: Some("tls.crt".to_owned()),
                ..SourceObject::default()
            })],
            target: BundleTarget {
                config_map: Some(KeyTarget {
                    key: "ca-bundle.crt".to_owned(),
                    metadata: None,
                }),
                namespace_selector: Some(LabelSelector {
                    match_labels: Some(BTreeMap::from([(
                        "linkerd.io/is-control-plane".to_owned(),
                        "true".to_owned(),
                    )])),
                    ..LabelSelector::default()
                }),
                ..BundleTarget::default()
            },
        },
    ));
    if cx.opts.self_signed_trust_anchor {
        let root_issuer = "linkerd-trust-root-issuer";
        cx.out.emit(mesh_k8s::certmanager::Issuer::new(
            root_issuer,
            Some(&trust_ns),
            IssuerSpec::SelfSigned(SelfSignedIssuer::default()),
        ));
        cx.out.emit(Certificate::new(
            anchor_secret.clone(),
            Some(&trust_ns),
            CertificateSpec {
                secret_name: anchor_secret.clone(),
                issuer_ref: IssuerRef::issuer(root_issuer),
                is_ca: Some(true),
                common_name: Some(format!("root.{cp_ns}.{domain}")),
                duration: hours("8760h0m0s"),
                renew_before: hours("7320h0m0s"),
                private_key: Some(ecdsa),
                ..CertificateSpec::default()
            },
        ));
        let ca = IssuerSpec::Ca(CaIssuer {
            secret_name: anchor_secret.clone(),
            ..CaIssuer::default()
        });
        if cluster_issuer {
            cx.out
                .emit(ClusterIssuer::new(issuer, None, ClusterIssuerSpec(ca)));
        } else {
            cx.out
                .emit(mesh_k8s::certmanager::Issuer::new(issuer, Some(&cp_ns), ca));
        }
    }
    cx.note(
        Feature::ExternalCa,
        p.clone(),
        format!(
            "cert-manager issues `{IDENTITY_ISSUER_SECRET}` from {} `{issuer}`; trust-manager (trust namespace `{trust_ns}`) writes `{TRUST_ROOTS}` from the Secret `{anchor_secret}`{}",
            if cluster_issuer { "ClusterIssuer" } else { "Issuer" },
            if cx.opts.self_signed_trust_anchor {
                "; the trust anchor is self-signed by cert-manager (its key stays in the cluster)"
            } else {
                ", which must hold the trust anchor"
            }
        ),
    );
}

/// The OpenTelemetry collector configuration of the jaeger extension.
#[derive(Serialize)]
struct CollectorConfig {
    receivers: BTreeMap<&'static str, serde_json::Value>,
    processors: BTreeMap<&'static str, serde_json::Value>,
    exporters: BTreeMap<&'static str, serde_json::Value>,
    extensions: BTreeMap<&'static str, serde_json::Value>,
    service: CollectorService,
}

#[derive(Serialize)]
struct CollectorService {
    extensions: Vec<&'static str>,
    pipelines: BTreeMap<&'static str, Pipeline>,
}

#[derive(Serialize)]
struct Pipeline {
    receivers: Vec<&'static str>,
    processors: Vec<&'static str>,
    exporters: Vec<&'static str>,
}

fn collector_config(t: &Tracing) -> CollectorConfig {
    use serde_json::json;
    let addr = format!("{}:{}", t.host.as_str(), t.port.get());
    let (exporter, config) = match t.provider {
        TracingProvider::Zipkin | TracingProvider::Jaeger => (
            "zipkin",
            json!({"endpoint": format!("http://{addr}/api/v2/spans")}),
        ),
        TracingProvider::OpenTelemetry => {
            ("otlp", json!({"endpoint": addr, "tls": {"insecure": true}}))
        }
    };
    CollectorConfig {
        receivers: BTreeMap::from([(
            "otlp",
            json!({"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}}}),
        )]),
        processors: BTreeMap::from([
            ("batch", json!({})),
            (
                "probabilistic_sampler",
                json!({"sampling_percentage": t.sampling.get()}),
            ),
        ]),
        exporters: BTreeMap::from([(exporter, config)]),
        extensions: BTreeMap::from([("health_check", json!({"endpoint": "0.0.0.0:13133"}))]),
        service: CollectorService {
            extensions: vec!["health_check"],
            pipelines: BTreeMap::from([(
                "traces",
                Pipeline {
                    receivers: vec!["otlp"],
                    processors: vec!["probabilistic_sampler", "batch"],
                    exporters: vec![exporter],
                },
            )]),
        },
    }
}

fn observability(cx: &mut Cx<'_>) {
    let o = &cx.mesh.observability;
    let p = root().field("observability");
    let mon_ns = cx.opts.monitoring_namespace.clone();
    let ha = cx
        .mesh
        .installation
        .as_ref()
        .is_some_and(|i| i.high_availability);
    let jaeger_addon = o.addons.contains(&Addon::Jaeger);
    let mut viz: Option<VizValues> = None;
    for (k, a) in o.addons.iter().enumerate() {
        let at = p.field("addons").index(k);
        match a {
            Addon::Prometheus => {
                viz.get_or_insert_with(VizValues::default).prometheus = Some(VizPrometheus {
                    enabled: Some(true),
                    ..VizPrometheus::default()
                });
            }
            Addon::Jaeger => {}
            Addon::Grafana => cx.unsupported(
                Feature::Installation,
                at,
                "linkerd-viz ships no Grafana since 2.12: install Grafana with its own chart (its dashboard sidecar loads `metrics.dashboard`'s ConfigMap) and set viz's `grafana.url`",
            ),
            Addon::Kiali => cx.unsupported(
                Feature::Installation,
                at,
                "Kiali reads Istio's configuration only; Linkerd's dashboard is linkerd-viz (add-on `prometheus`)",
            ),
        }
    }
    if let Some(mut v) = viz {
        if ha {
            v.enable_pod_disruption_budget = Some(true);
            v.enable_pod_anti_affinity = Some(true);
        }
        let ns = cx.opts.viz_namespace.clone();
        install(cx, "linkerd-viz", &ns, LinkerdInstall::Viz(v));
    }
    let tracing = o.tracing.clone();
    if tracing.is_some() || jaeger_addon {
        let mut values = JaegerValues {
            jaeger: Some(JaegerInstance {
                enabled: Some(jaeger_addon),
                ..JaegerInstance::default()
            }),
            ..JaegerValues::default()
        };
        if let Some(t) = &tracing {
            let tp = p.field("tracing");
            if t.host.is_wildcard() {
                cx.unsupported(
                    Feature::Tracing,
                    tp.field("host"),
                    "the collector exports to one host; name the collector's service (`jaeger-collector.observability`)",
                );
            }
            match mesh_k8s::to_yaml_string(&collector_config(t)) {
                Ok(config) => {
                    values.collector = Some(JaegerCollector {
                        enabled: Some(true),
                        config: Some(config),
                        ..JaegerCollector::default()
                    });
                }
                Err(e) => cx.out.error(mesh_model::LowerError::Output(format!(
                    "collector config: {e}"
                ))),
            }
            let jaeger_ns = cx.opts.jaeger_namespace.clone();
            values.webhook = Some(JaegerWebhook {
                collector_svc_addr: Some(format!("collector.{jaeger_ns}:4317")),
                collector_trace_protocol: Some(TraceProtocol::Opentelemetry),
                collector_svc_account: Some("collector".to_owned()),
                ..JaegerWebhook::default()
            });
            if t.provider == TracingProvider::Jaeger {
                cx.note(
                    Feature::Tracing,
                    tp.field("provider"),
                    format!(
                        "Jaeger → the collector's Zipkin exporter to http://{}:{}/api/v2/spans (Jaeger's collector accepts Zipkin there)",
                        t.host.as_str(),
                        t.port.get()
                    ),
                );
            }
            cx.note(
                Feature::Tracing,
                tp.field("sampling"),
                format!(
                    "Linkerd's proxies start no traces: they trace requests that arrive with a sampled trace context (set by the application or the ingress) and export spans over OTLP to the extension's collector, whose probabilistic_sampler keeps {}% of those traces",
                    t.sampling.get()
                ),
            );
        }
        let ns = cx.opts.jaeger_namespace.clone();
        install(cx, "linkerd-jaeger", &ns, LinkerdInstall::Jaeger(values));
    }
    if let Some(m) = &cx.mesh.observability.metrics {
        let m = m.clone();
        let mp = p.field("metrics");
        let interval = match m.interval.map(PrometheusDuration::from_duration) {
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
        if m.interval.is_some() && !m.scrape_proxies && !m.scrape_control_plane {
            cx.note(
                Feature::MetricsScrape,
                mp.field("interval"),
                "no effect: nothing is scraped (set scrapeProxies or scrapeControlPlane)",
            );
        }
        if m.scrape_proxies {
            cx.out.emit(proxy_monitor(cx, &mon_ns, interval.clone()));
        }
        if m.scrape_control_plane {
            cx.out.emit(controller_monitor(cx, &mon_ns, interval));
        }
        for (k, _) in m.tags.iter().enumerate() {
            cx.unsupported(
                Feature::MetricTags,
                mp.field("tags").index(k),
                "Linkerd's proxy metrics have fixed labels (route, status_code, classification, …): add or drop labels with metricRelabelings in Prometheus instead",
            );
        }
        let queries = signal_queries();
        if !m.alerts.is_empty() {
            match alert_rules("linkerd-golden-signals", &mon_ns, &queries, &m.alerts, &mp) {
                Ok(rule) => cx.out.emit(rule),
                Err(refused) => {
                    for (path, reason) in refused {
                        cx.unsupported(Feature::Alerts, path, reason);
                    }
                }
            }
        }
        if m.dashboard {
            cx.out
                .emit(dashboard("linkerd-mesh-dashboard", &mon_ns, &queries));
        }
        if (!m.alerts.is_empty() || m.dashboard) && !m.scrape_proxies {
            cx.note(
                Feature::Alerts,
                mp.clone(),
                "the queries read proxy metrics labelled `namespace` and `deployment`: scrape them with `scrapeProxies` (or linkerd-viz's Prometheus)",
            );
        }
    }
    if let Some(a) = &cx.mesh.observability.access_logs {
        let value = match a.format {
            mesh_model::LogFormat::Text => "apache",
            mesh_model::LogFormat::Json => "json",
        };
        for ns in cx.mesh.namespaces_in_use().keys() {
            cx.ns_annotations
                .entry(ns.to_string())
                .or_default()
                .insert("config.linkerd.io/access-log".to_owned(), value.to_owned());
        }
        cx.note(
            Feature::AccessLogs,
            p.field("accessLogs"),
            format!("config.linkerd.io/access-log: {value} on every namespace in use (applies to pods injected after the change)"),
        );
    }
}

fn relabel(
    source: &[&str],
    action: RelabelAction,
    regex: Option<&str>,
    target: Option<&str>,
    replacement: Option<&str>,
) -> RelabelConfig {
    RelabelConfig {
        source_labels: source.iter().map(|s| (*s).to_owned()).collect(),
        action: Some(action),
        regex: regex.map(str::to_owned),
        target_label: target.map(str::to_owned),
        replacement: replacement.map(str::to_owned),
        ..RelabelConfig::default()
    }
}

/// The proxies' admin port (`linkerd-admin`, 4191, `/metrics`) of every
/// meshed pod, with the chart's `podMonitor.proxy` relabelings: targets
/// labelled `namespace`, `pod` and each `linkerd.io/proxy-<kind>` pod label
/// as `<kind>` (`deployment`, `statefulset`, …).
fn proxy_monitor(cx: &Cx<'_>, ns: &str, interval: Option<PrometheusDuration>) -> PodMonitor {
    use RelabelAction::{Keep, LabelDrop, LabelMap, Replace};
    let cp = &cx.opts.control_plane_namespace;
    let mut ep = PodMetricsEndpoint::port("linkerd-admin");
    ep.scrape.interval = interval;
    ep.scrape.relabelings = vec![
        relabel(
            &[
                "__meta_kubernetes_pod_container_name",
                "__meta_kubernetes_pod_container_port_name",
                "__meta_kubernetes_pod_label_linkerd_io_control_plane_ns",
            ],
            Keep,
            Some(&format!("^linkerd-proxy;linkerd-admin;{cp}$")),
            None,
            None,
        ),
        relabel(
            &["__meta_kubernetes_namespace"],
            Replace,
            None,
            Some("namespace"),
            None,
        ),
        relabel(
            &["__meta_kubernetes_pod_name"],
            Replace,
            None,
            Some("pod"),
            None,
        ),
        relabel(
            &["__meta_kubernetes_pod_label_linkerd_io_proxy_job"],
            Replace,
            None,
            Some("k8s_job"),
            None,
        ),
        relabel(
            &[],
            LabelDrop,
            Some("__meta_kubernetes_pod_label_linkerd_io_proxy_job"),
            None,
            None,
        ),
        relabel(
            &[],
            LabelMap,
            Some("__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)"),
            None,
            None,
        ),
        relabel(
            &[],
            LabelDrop,
            Some("__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)"),
            None,
            None,
        ),
        relabel(
            &[],
            LabelMap,
            Some("__meta_kubernetes_pod_label_linkerd_io_(.+)"),
            None,
            None,
        ),
    ];
    let mut spec = PodMonitorSpec::new(LabelSelector::default(), [ep]);
    spec.namespace_selector = Some(NamespaceSelector::any());
    PodMonitor::new("linkerd-proxy", Some(ns), spec)
}

/// The control plane's admin ports (`*-admin` except the proxies'), with
/// the chart's `podMonitor.controller` relabelings (`component` = the
/// container).
fn controller_monitor(cx: &Cx<'_>, ns: &str, interval: Option<PrometheusDuration>) -> PodMonitor {
    use RelabelAction::{Drop, Keep, Replace};
    let mut ep = PodMetricsEndpoint::default();
    ep.scrape.interval = interval;
    ep.scrape.relabelings = vec![
        relabel(
            &["__meta_kubernetes_pod_container_port_name"],
            Keep,
            Some(".*-admin$"),
            None,
            None,
        ),
        relabel(
            &["__meta_kubernetes_pod_container_port_name"],
            Drop,
            Some("linkerd-admin"),
            None,
            None,
        ),
        relabel(
            &["__meta_kubernetes_pod_container_name"],
            Replace,
            None,
            Some("component"),
            None,
        ),
    ];
    let mut spec = PodMonitorSpec::new(LabelSelector::default(), [ep]);
    spec.namespace_selector = Some(NamespaceSelector {
        any: None,
        match_names: vec![cx.opts.control_plane_namespace.clone()],
    });
    PodMonitor::new("linkerd-controller", Some(ns), spec)
}
