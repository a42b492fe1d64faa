//! Installation and observability: the seeds' examples (S02, S16, S27,
//! S29, S36, S37) against hand-written expectations, every custom resource
//! through one `crd-validate --strict-cel` call, the PromQL of alerts and
//! dashboard through a PromQL parser, and random models with observability
//! and installation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use mesh_istio::lower::{InstallMethod, IstioBackend, Options};
use mesh_istio::{IstioInstall, IstioObject};
use mesh_k8s::Manifest;
use mesh_k8s::lowering::Lowered;
use mesh_k8s::testing::{crd_validate, in_ci, json_diff, require_shared};
use mesh_model::{
    Addon, Alert, AlertCondition, AlertSeverity, Attribute, Backend, CertificateAuthority,
    Component, DataPlane, GatewayDeployment, Installation, LowerError, Mesh, MetricSelector,
    MetricTags, Metrics, Observability, Percent, Profile, ProxySettings, Quantity, ResourceList,
    Resources, ServiceType, Tracing, TracingProvider,
};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

fn scenario(prefix: &str) -> Mesh {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap();
    Mesh::from_policy(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn lower(mesh: &Mesh, installer: InstallMethod) -> Lowered<IstioObject, IstioInstall> {
    IstioBackend::new(Options {
        installer,
        ..Options::default()
    })
    .lower(mesh)
    .unwrap_or_else(|e| panic!("{e}"))
}

fn object(out: &Lowered<IstioObject, IstioInstall>, kind: &str, name: &str) -> Value {
    let o = out
        .manifests
        .clone()
        .into_vec()
        .into_iter()
        .find(|o| o.kind() == kind && o.metadata().name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no {kind} {name}"));
    serde_json::to_value(&o).unwrap()
}

fn input(out: &Lowered<IstioObject, IstioInstall>, file: &str) -> Value {
    let i = out
        .install
        .iter()
        .find(|i| i.file_name == file)
        .unwrap_or_else(|| {
            panic!(
                "no {file}; have {:?}",
                out.install.iter().map(|i| &i.file_name).collect::<Vec<_>>()
            )
        });
    serde_json::to_value(&i.values).unwrap()
}

fn files(out: &Lowered<IstioObject, IstioInstall>) -> Vec<&str> {
    out.install.iter().map(|i| i.file_name.as_str()).collect()
}

fn same(expected: Value, actual: Value) {
    if let Some(d) = json_diff(&expected, &actual) {
        panic!(
            "{d}\nactual: {}",
            serde_json::to_string_pretty(&actual).unwrap()
        );
    }
}

const STDOUT: &str = "/dev/stdout";

/// S29 (seed 003 step 1) with istioctl: the seed's IstioOperator, corrected:
/// Istio has no `production` profile (→ `default`); the deprecated
/// `defaultConfig.tracing` becomes an extension provider and the sampling
/// moves to the Telemetry; the egress gateway the model does not ask for is
/// written off.
#[test]
fn s29_istio_operator() {
    let out = lower(&scenario("S29"), InstallMethod::Istioctl);
    assert_eq!(files(&out), ["istio-operator.yaml"]);
    assert_eq!(
        out.install[0].command(),
        "istioctl install -y -f istio-operator.yaml"
    );
    same(
        json!({
            "apiVersion": "install.istio.io/v1alpha1",
            "kind": "IstioOperator",
            "metadata": {"name": "istio", "namespace": "istio-system"},
            "spec": {
                "profile": "default",
                "meshConfig": {
                    "accessLogFile": STDOUT,
                    "enableTracing": true,
                    "extensionProviders": [{
                        "name": "zipkin",
                        "zipkin": {
                            "service": "jaeger-collector.observability.svc.cluster.local",
                            "port": 9411
                        }
                    }]
                },
                "components": {
                    "pilot": {"k8s": {"resources": {
                        "requests": {"cpu": "500m", "memory": "2Gi"},
                        "limits": {"cpu": "2000m", "memory": "4Gi"}
                    }}},
                    "ingressGateways": [{
                        "name": "istio-ingressgateway",
                        "enabled": true,
                        "label": {"istio": "ingressgateway"},
                        "k8s": {
                            "resources": {"requests": {"cpu": "200m", "memory": "256Mi"}},
                            "service": {"type": "LoadBalancer"}
                        }
                    }],
                    "egressGateways": [{"name": "istio-egressgateway", "enabled": false}]
                }
            }
        }),
        input(&out, "istio-operator.yaml"),
    );
    same(
        json!({
            "apiVersion": "telemetry.istio.io/v1",
            "kind": "Telemetry",
            "metadata": {"name": "mesh-default", "namespace": "istio-system",
                         "labels": {"app.kubernetes.io/managed-by": "meshwright"}},
            "spec": {
                "accessLogging": [{"providers": [{"name": "envoy"}]}],
                "tracing": [{"providers": [{"name": "zipkin"}], "randomSamplingPercentage": 100.0}]
            }
        }),
        object(&out, "Telemetry", "mesh-default"),
    );
}

/// S29 with Helm (the default): the same settings as chart values.
#[test]
fn s29_helm_values() {
    let out = lower(&scenario("S29"), InstallMethod::Helm);
    assert_eq!(
        files(&out),
        [
            "istio-base.values.yaml",
            "istiod.values.yaml",
            "istio-ingressgateway.values.yaml"
        ]
    );
    assert_eq!(
        out.install[1].command(),
        "helm upgrade --install istiod istiod --repo https://istio-release.storage.googleapis.com/charts \
         --namespace istio-system --create-namespace --values istiod.values.yaml"
    );
    same(json!({}), input(&out, "istio-base.values.yaml"));
    same(
        json!({
            "resources": {
                "requests": {"cpu": "500m", "memory": "2Gi"},
                "limits": {"cpu": "2000m", "memory": "4Gi"}
            },
            "meshConfig": {
                "accessLogFile": STDOUT,
                "enableTracing": true,
                "extensionProviders": [{
                    "name": "zipkin",
                    "zipkin": {"service": "jaeger-collector.observability.svc.cluster.local", "port": 9411}
                }]
            }
        }),
        input(&out, "istiod.values.yaml"),
    );
    same(
        json!({
            "name": "istio-ingressgateway",
            "labels": {"istio": "ingressgateway"},
            "resources": {"requests": {"cpu": "200m", "memory": "256Mi"}},
            "service": {"type": "LoadBalancer"}
        }),
        input(&out, "istio-ingressgateway.values.yaml"),
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.message.contains("Istio has no `production` profile"))
    );
}

/// S16 (seed 001): Zipkin at 100% without an installation: the provider
/// still reaches meshConfig (istiod values alone, with a note), and the
/// add-ons are chart values wired to each other.
#[test]
fn s16_tracing_without_installation_and_addons() {
    let out = lower(&scenario("S16"), InstallMethod::Helm);
    assert_eq!(
        files(&out),
        [
            "grafana.values.yaml",
            "jaeger.values.yaml",
            "kiali-server.values.yaml",
            "istiod.values.yaml"
        ]
    );
    same(
        json!({"meshConfig": {
            "enableTracing": true,
            "extensionProviders": [{
                "name": "zipkin",
                "zipkin": {"service": "zipkin.istio-system.svc.cluster.local", "port": 9411}
            }]
        }}),
        input(&out, "istiod.values.yaml"),
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.path.to_string() == "observability.tracing"
                && n.message.contains("model has no `installation`"))
    );
    same(
        json!({"tracing": [{"providers": [{"name": "zipkin"}], "randomSamplingPercentage": 100.0}]}),
        object(&out, "Telemetry", "mesh-default")["spec"].clone(),
    );
    same(
        json!({
            "sidecar": {"dashboards": {"enabled": true, "label": "grafana_dashboard", "searchNamespace": "ALL"}},
            "datasources": {"datasources.yaml": {"apiVersion": 1, "datasources": [{
                "name": "Prometheus", "type": "prometheus", "uid": "prometheus",
                "url": "http://prometheus.istio-system:9090", "access": "proxy", "isDefault": true
            }]}}
        }),
        input(&out, "grafana.values.yaml"),
    );
    same(
        json!({
            "provisionDataStore": {"cassandra": false},
            "storage": {"type": "memory"},
            "allInOne": {"enabled": true},
            "agent": {"enabled": false},
            "collector": {"enabled": false},
            "query": {"enabled": false}
        }),
        input(&out, "jaeger.values.yaml"),
    );
    same(
        json!({
            "istio_namespace": "istio-system",
            "external_services": {
                "prometheus": {"url": "http://prometheus.istio-system:9090"},
                "grafana": {"enabled": true, "internal_url": "http://grafana.istio-system:80"},
                "tracing": {"enabled": true, "provider": "jaeger",
                            "internal_url": "http://jaeger-query.istio-system:16685", "use_grpc": true}
            }
        }),
        input(&out, "kiali-server.values.yaml"),
    );
}

/// S36 (seed 003 step 5): the seed's Telemetry `custom-metrics`, corrected
/// (`dimensions` is not a Telemetry field: the added labels are tag
/// overrides on all metrics; `response.code` is an integer, so its CEL
/// value is `string(response.code)`), the ServiceMonitor and the dashboard.
#[test]
fn s36_tag_overrides_service_monitor_dashboard() {
    let out = lower(&scenario("S36"), InstallMethod::Helm);
    same(
        json!({"metrics": [{
            "providers": [{"name": "prometheus"}],
            "overrides": [
                {"match": {"metric": "ALL_METRICS"}, "tagOverrides": {
                    "request_path": {"operation": "UPSERT", "value": "request.path"},
                    "response_code": {"operation": "UPSERT", "value": "string(response.code)"}
                }},
                {"match": {"metric": "REQUEST_COUNT"}, "tagOverrides": {
                    "destination_port": {"operation": "REMOVE"}
                }}
            ]
        }]}),
        object(&out, "Telemetry", "mesh-default")["spec"].clone(),
    );
    same(
        json!({
            "selector": {"matchLabels": {"app": "istiod"}},
            "namespaceSelector": {"matchNames": ["istio-system"]},
            "endpoints": [{"port": "http-monitoring", "interval": "30s", "path": "/metrics"}]
        }),
        object(&out, "ServiceMonitor", "istio-component-monitor")["spec"].clone(),
    );
    let cm = object(&out, "ConfigMap", "istio-mesh-dashboard");
    assert_eq!(cm["metadata"]["labels"]["grafana_dashboard"], "1");
    let dash: Value =
        serde_json::from_str(cm["data"]["istio-mesh-dashboard.json"].as_str().unwrap()).unwrap();
    assert_eq!(dash["title"], "Istio Mesh Dashboard");
    assert_eq!(
        dash["panels"][0]["targets"][0]["expr"],
        "sum by (destination_service_namespace, destination_service_name) \
         (rate(istio_requests_total{reporter=\"destination\"}[5m]))"
    );
    // No installation and no tracing: no installer input is needed.
    assert!(out.install.is_empty());
}

/// S27 (seed 002): `request_id` from the request ID; the seed's Envoy
/// format `%{REQUEST_ID}` is not a CEL expression: `request.id`.
#[test]
fn s27_request_id_tag() {
    let out = lower(&scenario("S27"), InstallMethod::Helm);
    same(
        json!({"metrics": [{
            "providers": [{"name": "prometheus"}],
            "overrides": [{"match": {"metric": "ALL_METRICS"}, "tagOverrides": {
                "request_id": {"operation": "UPSERT", "value": "request.id"}
            }}]
        }]}),
        object(&out, "Telemetry", "mesh-default")["spec"].clone(),
    );
}

/// S37 (seed 003 step 6): the seed's alerts, corrected: working-set
/// memory (what the kubelet evicts on) of `istio-proxy`; the convergence
/// time is a histogram, read as its p99 (+Inf above the 30s bucket).
#[test]
fn s37_alert_rules() {
    let out = lower(&scenario("S37"), InstallMethod::Helm);
    same(
        json!({"groups": [{"name": "istio", "rules": [
            {
                "alert": "HighSidecarMemory",
                "expr": "(container_memory_working_set_bytes{container=\"istio-proxy\"}) > 500000000",
                "for": "5m",
                "labels": {"severity": "warning"},
                "annotations": {"summary": "High sidecar memory usage"}
            },
            {
                "alert": "MeshConfigSyncFailed",
                "expr": "(histogram_quantile(0.99, sum by (le) (rate(pilot_proxy_convergence_time_bucket[5m]))) \
                         / (sum(rate(pilot_proxy_convergence_time_bucket{le=~\"30(\\\\.0)?\"}[5m])) \
                         / sum(rate(pilot_proxy_convergence_time_count[5m])) >= bool 0.99)) > 30",
                "for": "5m",
                "labels": {"severity": "warning"},
                "annotations": {"summary": "Mesh configuration sync taking too long"}
            }
        ]}]}),
        object(&out, "PrometheusRule", "istio-alerts")["spec"].clone(),
    );
}

/// S02 (seed 000): golden-signal metrics scraped from the proxies, and
/// Prometheus installed (kube-prometheus-stack picking up every monitor).
#[test]
fn s02_pod_monitor_and_prometheus() {
    let out = lower(&scenario("S02"), InstallMethod::Helm);
    same(
        json!({
            "selector": {"matchExpressions": [{"key": "istio-prometheus-ignore", "operator": "DoesNotExist"}]},
            "namespaceSelector": {"any": true},
            "jobLabel": "envoy-stats",
            "podMetricsEndpoints": [{
                "port": "http-envoy-prom",
                "path": "/stats/prometheus",
                "relabelings": [
                    {"sourceLabels": ["__meta_kubernetes_pod_container_name"], "action": "keep", "regex": "istio-proxy"},
                    {"sourceLabels": ["__meta_kubernetes_namespace"], "action": "replace", "targetLabel": "namespace"},
                    {"sourceLabels": ["__meta_kubernetes_pod_name"], "action": "replace", "targetLabel": "pod_name"}
                ]
            }]
        }),
        object(&out, "PodMonitor", "envoy-stats-monitor")["spec"].clone(),
    );
    same(
        json!({
            "grafana": {"enabled": false},
            "prometheus": {"prometheusSpec": {
                "podMonitorSelectorNilUsesHelmValues": false,
                "serviceMonitorSelectorNilUsesHelmValues": false,
                "ruleSelectorNilUsesHelmValues": false
            }}
        }),
        input(&out, "kube-prometheus-stack.values.yaml"),
    );
}

fn full_installation() -> Installation {
    let res = |cpu: &str, mem: &str| Resources {
        requests: Some(ResourceList {
            cpu: Some(Quantity::new(cpu).unwrap()),
            memory: Some(Quantity::new(mem).unwrap()),
        }),
        limits: None,
    };
    Installation {
        profile: Profile::Production,
        revision: Some(mesh_model::Name::new("1-26").unwrap()),
        high_availability: true,
        control_plane: Component {
            replicas: None,
            resources: Some(res("1", "2Gi")),
        },
        proxy: ProxySettings {
            resources: Some(res("100m", "128Mi")),
            hold_application_until_proxy_starts: true,
        },
        certificate_authority: CertificateAuthority::CertManager {
            issuer: mesh_model::Name::new("mesh-ca").unwrap(),
            cluster_issuer: true,
        },
        ingress_gateway: Some(GatewayDeployment::default()),
        egress_gateway: Some(GatewayDeployment {
            service_type: ServiceType::ClusterIP,
            component: Component::default(),
        }),
        data_plane: DataPlane::Sidecar,
    }
}

/// High availability, revision, proxy settings and cert-manager, in both
/// installers.
#[test]
fn ha_revision_and_cert_manager() {
    let mesh = Mesh {
        installation: Some(full_installation()),
        ..Mesh::default()
    };
    let out = lower(&mesh, InstallMethod::Helm);
    assert_eq!(
        files(&out),
        [
            "cert-manager-istio-csr.values.yaml",
            "istio-base.values.yaml",
            "istiod.values.yaml",
            "istio-ingressgateway.values.yaml",
            "istio-egressgateway.values.yaml"
        ]
    );
    assert!(
        out.install[2]
            .command()
            .contains("upgrade --install istiod-1-26 istiod")
    );
    same(
        json!({"app": {
            "certmanager": {"namespace": "istio-system",
                            "issuer": {"name": "mesh-ca", "kind": "ClusterIssuer", "group": "cert-manager.io"}},
            "tls": {"trustDomain": "cluster.local"},
            "istio": {"revisions": ["1-26"]}
        }}),
        input(&out, "cert-manager-istio-csr.values.yaml"),
    );
    let spread = |labels: Value| {
        json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100,
            "podAffinityTerm": {"labelSelector": {"matchLabels": labels}, "topologyKey": "kubernetes.io/hostname"}
        }]}})
    };
    same(
        json!({
            "revision": "1-26",
            "replicaCount": 3,
            "autoscaleMin": 3,
            "autoscaleMax": 5,
            "resources": {"requests": {"cpu": "1", "memory": "2Gi"}},
            "affinity": spread(json!({"app": "istiod"})),
            "env": {"ENABLE_CA_SERVER": "false"},
            "meshConfig": {"defaultConfig": {"holdApplicationUntilProxyStarts": true}},
            "global": {
                "proxy": {"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}},
                "caAddress": "cert-manager-istio-csr.cert-manager.svc:443",
                "defaultPodDisruptionBudget": {"enabled": true}
            }
        }),
        input(&out, "istiod.values.yaml"),
    );
    same(
        json!({
            "name": "istio-egressgateway",
            "revision": "1-26",
            "labels": {"istio": "egressgateway"},
            "replicaCount": 3,
            "autoscaling": {"minReplicas": 3, "maxReplicas": 5},
            "service": {"type": "ClusterIP"},
            "podDisruptionBudget": {"minAvailable": 1},
            "affinity": spread(json!({"istio": "egressgateway"}))
        }),
        input(&out, "istio-egressgateway.values.yaml"),
    );
    let op = lower(&mesh, InstallMethod::Istioctl);
    assert_eq!(
        files(&op),
        ["cert-manager-istio-csr.values.yaml", "istio-operator.yaml"]
    );
    let spec = input(&op, "istio-operator.yaml")["spec"].clone();
    assert_eq!(spec["revision"], "1-26");
    same(
        json!({"minReplicas": 3, "maxReplicas": 5}),
        spec["components"]["pilot"]["k8s"]["hpaSpec"].clone(),
    );
    same(
        json!([{"name": "ENABLE_CA_SERVER", "value": "false"}]),
        spec["components"]["pilot"]["k8s"]["env"].clone(),
    );
    assert_eq!(
        spec["components"]["egressGateways"][0]["k8s"]["podDisruptionBudget"]["minAvailable"],
        1
    );
    assert_eq!(
        spec["values"]["global"]["caAddress"],
        "cert-manager-istio-csr.cert-manager.svc:443"
    );
}

/// What Istio cannot take is refused with its path and a hint.
#[test]
fn refusals() {
    let mut inst = full_installation();
    inst.certificate_authority =
        CertificateAuthority::Secret(mesh_model::ObjectName::new("my-ca").unwrap());
    inst.data_plane = DataPlane::Ambient;
    inst.profile = Profile::Demo;
    let mesh = Mesh {
        installation: Some(inst),
        observability: Observability {
            tracing: Some(Tracing::new(
                TracingProvider::Zipkin,
                mesh_model::Hostname::new("zipkin").unwrap(),
                mesh_model::Port::new(9411).unwrap(),
            )),
            metrics: Some(Metrics {
                scrape_proxies: true,
                ..Metrics::default()
            }),
            ..Observability::default()
        },
        ..Mesh::default()
    };
    let errors = IstioBackend::default().lower(&mesh).unwrap_err();
    let mut paths: Vec<String> = errors
        .iter()
        .map(|e| match e {
            LowerError::Unsupported { path, hint, .. } => {
                assert!(!hint.is_empty());
                path.to_string()
            }
            other => panic!("{other}"),
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            // ambient's existing refusal of the default registry-only egress
            "egress.policy",
            "installation.certificateAuthority",
            "installation.profile",
            "installation.proxy.holdApplicationUntilProxyStarts",
            "installation.proxy.resources",
            "observability.metrics.scrapeProxies",
            "observability.tracing.host",
        ]
    );
}

fn every_alert() -> Vec<Alert> {
    let a = |when| Alert {
        name: None,
        when,
        for_: "5m".parse().unwrap(),
        summary: None,
        severity: AlertSeverity::Critical,
    };
    vec![
        a(AlertCondition::SuccessRateBelow(
            Percent::new(99.5).unwrap(),
        )),
        a(AlertCondition::LatencyP99Above("250ms".parse().unwrap())),
        a(AlertCondition::RequestRateAbove(1000)),
        a(AlertCondition::ProxyMemoryAbove(
            Quantity::new("500M").unwrap(),
        )),
        a(AlertCondition::ConfigSyncAbove("30s".parse().unwrap())),
    ]
}

/// Every alert expression and dashboard query parses as PromQL.
#[test]
fn promql_parses() {
    let mesh = Mesh {
        observability: Observability {
            metrics: Some(Metrics {
                alerts: every_alert(),
                dashboard: true,
                ..Metrics::default()
            }),
            ..Observability::default()
        },
        ..Mesh::default()
    };
    let out = lower(&mesh, InstallMethod::Helm);
    let rule = object(&out, "PrometheusRule", "istio-alerts");
    let mut exprs: Vec<String> = rule["spec"]["groups"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["expr"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(exprs.len(), 5);
    let cm = object(&out, "ConfigMap", "istio-mesh-dashboard");
    let dash: Value =
        serde_json::from_str(cm["data"]["istio-mesh-dashboard.json"].as_str().unwrap()).unwrap();
    for p in dash["panels"].as_array().unwrap() {
        exprs.push(p["targets"][0]["expr"].as_str().unwrap().to_owned());
    }
    for e in &exprs {
        if let Err(err) = promql_parser::parser::parse(e) {
            panic!("not PromQL: {e}\n{err}");
        }
    }
}

// === random models ===

fn resources() -> impl Strategy<Value = Option<Resources>> {
    let q = |v: &'static [&'static str]| {
        proptest::option::of(proptest::sample::select(v).prop_map(|s| Quantity::new(s).unwrap()))
    };
    let list = (q(&["100m", "1", "2"]), q(&["128Mi", "2Gi"]))
        .prop_map(|(cpu, memory)| ResourceList { cpu, memory });
    proptest::option::of(
        (
            proptest::option::of(list.clone()),
            proptest::option::of(list),
        )
            .prop_map(|(requests, limits)| Resources { requests, limits }),
    )
}

fn gateway() -> impl Strategy<Value = Option<GatewayDeployment>> {
    proptest::option::of(
        (
            proptest::sample::select(vec![
                ServiceType::LoadBalancer,
                ServiceType::NodePort,
                ServiceType::ClusterIP,
            ]),
            proptest::option::of(2u32..6),
            resources(),
        )
            .prop_map(|(service_type, replicas, resources)| GatewayDeployment {
                service_type,
                component: Component {
                    replicas,
                    resources,
                },
            }),
    )
}

fn installation() -> impl Strategy<Value = Option<Installation>> {
    proptest::option::of(
        (
            any::<bool>(),
            proptest::option::of(proptest::sample::select(vec!["canary", "1-26"])),
            proptest::option::of(2u32..6),
            resources(),
            resources(),
            any::<bool>(),
            0u8..3,
            gateway(),
            gateway(),
        )
            .prop_map(
                |(ha, rev, replicas, cp, proxy, hold, ca, ingress, egress)| Installation {
                    profile: Profile::Production,
                    revision: rev.map(|r| mesh_model::Name::new(r).unwrap()),
                    high_availability: ha,
                    control_plane: Component {
                        replicas,
                        resources: cp,
                    },
                    proxy: ProxySettings {
                        resources: proxy,
                        hold_application_until_proxy_starts: hold,
                    },
                    certificate_authority: match ca {
                        0 => CertificateAuthority::MeshManaged,
                        1 => CertificateAuthority::CertManager {
                            issuer: mesh_model::Name::new("ca").unwrap(),
                            cluster_issuer: true,
                        },
                        _ => CertificateAuthority::Secret(
                            mesh_model::ObjectName::new("cacerts").unwrap(),
                        ),
                    },
                    ingress_gateway: ingress,
                    egress_gateway: egress,
                    data_plane: DataPlane::Sidecar,
                },
            ),
    )
}

fn observability() -> impl Strategy<Value = Observability> {
    let tracing = proptest::option::of(
        (
            proptest::sample::select(vec![
                TracingProvider::Zipkin,
                TracingProvider::Jaeger,
                TracingProvider::OpenTelemetry,
            ]),
            proptest::sample::select(vec![9411u32, 4317]),
            0.0f64..=100.0,
        )
            .prop_map(|(p, port, s)| {
                let mut t = Tracing::new(
                    p,
                    mesh_model::Hostname::new("collector.observability").unwrap(),
                    mesh_model::Port::new(port).unwrap(),
                );
                t.sampling = Percent::new((s * 100.0).round() / 100.0).unwrap();
                t
            }),
    );
    let tags = proptest::collection::vec(
        (
            proptest::sample::select(vec![
                MetricSelector::All,
                MetricSelector::Requests,
                MetricSelector::Duration,
            ]),
            proptest::sample::select(vec![
                Attribute::RequestPath,
                Attribute::ResponseCode,
                Attribute::RequestId,
                Attribute::RequestMethod,
            ]),
        )
            .prop_map(|(metric, a)| MetricTags {
                scope: None,
                metric,
                add: [("custom_tag".to_owned(), a)].into(),
                remove: vec!["destination_port".to_owned()],
            }),
        0..3,
    );
    let alerts = proptest::sample::subsequence(every_alert(), 0..=5);
    let metrics = proptest::option::of(
        (any::<bool>(), any::<bool>(), tags, alerts, any::<bool>()).prop_map(
            |(proxies, cp, tags, alerts, dashboard)| Metrics {
                scrape_proxies: proxies,
                scrape_control_plane: cp,
                interval: (proxies || cp).then(|| "30s".parse().unwrap()),
                tags,
                alerts,
                dashboard,
            },
        ),
    );
    let addons = proptest::sample::subsequence(
        vec![
            Addon::Prometheus,
            Addon::Grafana,
            Addon::Jaeger,
            Addon::Kiali,
        ],
        0..=4,
    );
    (tracing, metrics, any::<bool>(), addons).prop_map(|(tracing, metrics, logs, addons)| {
        Observability {
            tracing,
            metrics,
            access_logs: logs.then(Default::default),
            addons,
        }
    })
}

fn validate(yaml: &str) {
    match crd_validate(yaml) {
        Ok(report) => assert!(report.passed, "crd-validate failed:\n{}", report.output),
        Err(e) => {
            if in_ci() || require_shared().is_ok() {
                panic!("{e}");
            }
            println!("skipping crd-validate: {e}");
        }
    }
}

/// Seeds, the full installation, and random models: every object through
/// one crd-validate call; every installer input serializes; lowering is
/// deterministic.
#[test]
fn everything_validates_in_one_batch() {
    println!(
        "not validated by crd-validate: IstioOperator (an istioctl input, no CRD is served; \
         checked by the typed tests above) and the Helm values (no CRD; the gateway chart's \
         values.schema.json was checked during development)"
    );
    let mut meshes: Vec<Mesh> = ["S02", "S16", "S27", "S29", "S36", "S37"]
        .into_iter()
        .map(scenario)
        .collect();
    meshes.push(Mesh {
        installation: Some(full_installation()),
        ..Mesh::default()
    });
    let mut runner = TestRunner::deterministic();
    let strategy = (installation(), observability());
    for _ in 0..120 {
        let (installation, observability) = strategy.new_tree(&mut runner).unwrap().current();
        meshes.push(Mesh {
            installation,
            observability,
            ..Mesh::default()
        });
    }
    let mut yaml = String::new();
    for (i, mesh) in meshes.iter().enumerate() {
        for installer in [InstallMethod::Helm, InstallMethod::Istioctl] {
            let out = lower(mesh, installer);
            for input in &out.install {
                let text = input.to_yaml().unwrap();
                assert!(!text.is_empty(), "case {i}: empty {}", input.file_name);
            }
            let text = out.manifests.to_yaml().unwrap();
            let again = lower(mesh, installer);
            assert_eq!(text, again.manifests.to_yaml().unwrap(), "case {i}");
            assert_eq!(
                out.install
                    .iter()
                    .map(|i| i.to_yaml().unwrap())
                    .collect::<Vec<_>>(),
                again
                    .install
                    .iter()
                    .map(|i| i.to_yaml().unwrap())
                    .collect::<Vec<_>>()
            );
            // A Telemetry naming a tracing provider always comes with the
            // mesh configuration that defines it.
            if mesh.observability.tracing.is_some() {
                assert!(
                    out.install.iter().any(|i| matches!(
                        i.values,
                        IstioInstall::Istiod(_) | IstioInstall::Operator(_)
                    )),
                    "case {i}: tracing without meshConfig"
                );
            }
            yaml.push_str(&format!("---\n# case {i} {installer:?}\n"));
            yaml.push_str(&text);
        }
    }
    validate(&yaml);
}
