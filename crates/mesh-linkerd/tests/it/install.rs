//! Installation and observability outputs for Linkerd, with hand-written
//! expectations: the seeds' examples (S02 golden-signal scraping, S16/S29
//! tracing, S30 HA install, S36 dashboard and control-plane monitor, S37
//! alerts), the cert-manager identity issuer, PromQL that parses, and one
//! `crd-validate --strict-cel` batch of every custom resource (cert-manager
//! kinds excepted: no CRD for them in the shared set).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_k8s::Manifest;
use mesh_k8s::lowering::Lowered;
use mesh_k8s::testing::{crd_validate, in_ci, require_shared};
use mesh_linkerd::lower::{LinkerdInstall, Options, signal_queries};
use mesh_linkerd::{LinkerdBackend, LinkerdObject};
use mesh_model::{Backend, Feature, LowerError, Mesh};
use serde_json::{Value, json};

fn scenario(name: &str) -> Mesh {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{name}-"))
                || p.file_stem().unwrap().to_string_lossy() == name
        })
        .unwrap_or_else(|| panic!("no scenario {name}"));
    Mesh::from_policy(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn lower_with(options: Options, mesh: &Mesh) -> Lowered<LinkerdObject, LinkerdInstall> {
    LinkerdBackend { options }
        .lower(mesh)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn lower(mesh: &Mesh) -> Lowered<LinkerdObject, LinkerdInstall> {
    lower_with(Options::default(), mesh)
}

fn object(l: &mut Lowered<LinkerdObject, LinkerdInstall>, kind: &str, name: &str) -> Value {
    l.manifests
        .iter()
        .find(|o| o.kind() == kind && o.metadata().name.as_deref() == Some(name))
        .map(|o| serde_json::to_value(o).unwrap())
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn values(l: &Lowered<LinkerdObject, LinkerdInstall>, file: &str) -> Value {
    let input = l
        .install
        .iter()
        .find(|i| i.file_name == file)
        .unwrap_or_else(|| panic!("no {file}"));
    // Through the YAML the user gets, back to JSON.
    let yaml = input.to_yaml().unwrap();
    serde_yaml::from_str(&yaml).unwrap()
}

fn refused(mesh: &Mesh) -> Vec<(Feature, String)> {
    match LinkerdBackend::default().lower(mesh) {
        Ok(_) => vec![],
        Err(e) => e
            .iter()
            .map(|e| match e {
                LowerError::Unsupported { feature, path, .. } => (*feature, path.to_string()),
                other => panic!("{other}"),
            })
            .collect(),
    }
}

#[test]
fn s30_ha_install_is_the_charts_values_ha() {
    let l = lower(&scenario("S30"));
    let files: Vec<_> = l.install.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(
        files,
        [
            "linkerd-crds.values.yaml",
            "linkerd-control-plane.values.yaml"
        ]
    );
    assert_eq!(
        l.install[1].command(),
        "helm upgrade --install linkerd-control-plane linkerd-control-plane --repo https://helm.linkerd.io/stable --namespace linkerd --create-namespace --values linkerd-control-plane.values.yaml"
    );
    let controller =
        json!({"cpu": {"request": "100m"}, "memory": {"limit": "250Mi", "request": "50Mi"}});
    assert_eq!(
        values(&l, "linkerd-control-plane.values.yaml"),
        json!({
            "controllerReplicas": 3,
            "enablePodDisruptionBudget": true,
            "enablePodAntiAffinity": true,
            "deploymentStrategy": {"rollingUpdate": {"maxUnavailable": 1, "maxSurge": "25%"}},
            "webhookFailurePolicy": "Fail",
            "controllerResources": controller,
            "destinationResources": controller,
            "identityResources": {"cpu": {"request": "100m"}, "memory": {"limit": "250Mi", "request": "10Mi"}},
            "heartbeatResources": controller,
            "proxyInjectorResources": controller,
            "spValidatorResources": controller,
            "proxy": {"resources": {"cpu": {"request": "100m"}, "memory": {"limit": "250Mi", "request": "20Mi"}}}
        })
    );
    assert_eq!(values(&l, "linkerd-crds.values.yaml"), json!({}));
    let mut l = l;
    assert_eq!(
        object(&mut l, "Namespace", "linkerd")["metadata"]["labels"],
        json!({
            "app.kubernetes.io/managed-by": "meshwright",
            "config.linkerd.io/admission-webhooks": "disabled",
            "linkerd.io/control-plane-ns": "linkerd",
            "linkerd.io/is-control-plane": "true"
        })
    );
}

#[test]
fn model_sizes_override_the_ha_defaults() {
    let mesh = Mesh::from_policy(
        r#"
installation:
  highAvailability: true
  controlPlane:
    replicas: 5
    resources: {requests: {cpu: 500m, memory: 2Gi}, limits: {cpu: "2", memory: 4Gi}}
  proxy:
    resources: {requests: {cpu: 10m}}
    holdApplicationUntilProxyStarts: true
"#,
    )
    .unwrap();
    let l = lower(&mesh);
    let v = values(&l, "linkerd-control-plane.values.yaml");
    assert_eq!(v["controllerReplicas"], 5);
    let r = json!({"cpu": {"limit": "2", "request": "500m"}, "memory": {"limit": "4Gi", "request": "2Gi"}});
    for k in [
        "controllerResources",
        "destinationResources",
        "identityResources",
        "heartbeatResources",
        "proxyInjectorResources",
        "spValidatorResources",
    ] {
        assert_eq!(v[k], r, "{k}");
    }
    assert_eq!(
        v["proxy"],
        json!({"resources": {"cpu": {"request": "10m"}}, "await": true})
    );
}

#[test]
fn cert_manager_ca_is_the_documented_setup() {
    let mesh = Mesh::from_policy(
        "installation: {certificateAuthority: {certManager: {issuer: linkerd-trust-anchor, clusterIssuer: true}}}",
    )
    .unwrap();
    let mut l = lower_with(
        Options {
            self_signed_trust_anchor: true,
            ..Options::default()
        },
        &mesh,
    );
    let v = values(&l, "linkerd-control-plane.values.yaml");
    assert_eq!(
        v["identity"],
        json!({"externalCA": true, "issuer": {"scheme": "kubernetes.io/tls"}})
    );
    let cert = object(&mut l, "Certificate", "linkerd-identity-issuer");
    assert_eq!(cert["metadata"]["namespace"], "linkerd");
    assert_eq!(
        cert["spec"],
        json!({
            "secretName": "linkerd-identity-issuer",
            "issuerRef": {"name": "linkerd-trust-anchor", "kind": "ClusterIssuer", "group": "cert-manager.io"},
            "commonName": "identity.linkerd.cluster.local",
            "dnsNames": ["identity.linkerd.cluster.local"],
            "duration": "48h0m0s",
            "renewBefore": "25h0m0s",
            "isCA": true,
            "privateKey": {"rotationPolicy": "Always", "algorithm": "ECDSA", "size": 256}
        })
    );
    let bundle = object(&mut l, "Bundle", "linkerd-identity-trust-roots");
    assert_eq!(
        bundle["spec"],
        json!({
            "sources": [{"secret": {"name": "linkerd-trust-anchor", "key": "tls.crt"}}],
            "target": {
                "configMap": {"key": "ca-bundle.crt"},
                "namespaceSelector": {"matchLabels": {"linkerd.io/is-control-plane": "true"}}
            }
        })
    );
    assert!(bundle["metadata"].get("namespace").is_none());
    let anchor = object(&mut l, "Certificate", "linkerd-trust-anchor");
    assert_eq!(anchor["metadata"]["namespace"], "cert-manager");
    assert_eq!(
        anchor["spec"]["issuerRef"]["name"],
        "linkerd-trust-root-issuer"
    );
    assert_eq!(anchor["spec"]["duration"], "8760h0m0s");
    assert_eq!(
        object(&mut l, "ClusterIssuer", "linkerd-trust-anchor")["spec"],
        json!({"ca": {"secretName": "linkerd-trust-anchor"}})
    );
    assert_eq!(
        object(&mut l, "Issuer", "linkerd-trust-root-issuer")["spec"],
        json!({"selfSigned": {}})
    );
}

#[test]
fn ca_secret_must_be_linkerds_issuer_secret() {
    let ok = Mesh::from_policy(
        "installation: {certificateAuthority: {secret: linkerd-identity-issuer}}",
    )
    .unwrap();
    let v = values(&lower(&ok), "linkerd-control-plane.values.yaml");
    assert_eq!(v["identity"]["externalCA"], true);
    let bad = Mesh::from_policy("installation: {certificateAuthority: {secret: my-ca}}").unwrap();
    assert_eq!(
        refused(&bad),
        [(
            Feature::ExternalCa,
            "installation.certificateAuthority".to_owned()
        )]
    );
}

#[test]
fn what_linkerd_cannot_install_is_refused() {
    let mesh = Mesh::from_policy(
        r#"
installation:
  revision: canary
  ingressGateway: {}
  dataPlane: ambient
observability:
  addons: [grafana, kiali]
  metrics:
    tags: [{add: {request_path: requestPath}}]
"#,
    )
    .unwrap();
    let mut got = refused(&mesh);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        [
            (
                Feature::Installation,
                "installation.ingressGateway".to_owned()
            ),
            (Feature::Installation, "installation.revision".to_owned()),
            (Feature::Ambient, "installation.dataPlane".to_owned()),
            (Feature::Installation, "observability.addons[0]".to_owned()),
            (Feature::Installation, "observability.addons[1]".to_owned()),
            (
                Feature::MetricTags,
                "observability.metrics.tags[0]".to_owned()
            ),
        ]
        .into_iter()
        .collect::<Vec<_>>()
        .tap_sorted()
    );
}

trait TapSorted {
    fn tap_sorted(self) -> Self;
}

impl TapSorted for Vec<(Feature, String)> {
    fn tap_sorted(mut self) -> Self {
        self.sort_by(|a, b| a.1.cmp(&b.1));
        self
    }
}

#[test]
fn s02_scrapes_the_proxies_and_installs_viz() {
    let mut l = lower(&scenario("S02"));
    let pm = object(&mut l, "PodMonitor", "linkerd-proxy");
    assert_eq!(pm["metadata"]["namespace"], "linkerd");
    assert_eq!(pm["spec"]["namespaceSelector"], json!({"any": true}));
    assert_eq!(pm["spec"]["selector"], json!({}));
    let ep = &pm["spec"]["podMetricsEndpoints"][0];
    assert_eq!(ep["port"], "linkerd-admin");
    assert_eq!(
        ep["relabelings"][0],
        json!({
            "sourceLabels": ["__meta_kubernetes_pod_container_name", "__meta_kubernetes_pod_container_port_name", "__meta_kubernetes_pod_label_linkerd_io_control_plane_ns"],
            "regex": "^linkerd-proxy;linkerd-admin;linkerd$",
            "action": "keep"
        })
    );
    assert_eq!(
        ep["relabelings"][5],
        json!({"regex": "__meta_kubernetes_pod_label_linkerd_io_proxy_(.+)", "action": "labelmap"})
    );
    assert_eq!(
        values(&l, "linkerd-viz.values.yaml"),
        json!({"prometheus": {"enabled": true}})
    );
    assert_eq!(
        l.install[0].command().split(' ').nth(3),
        Some("linkerd-viz")
    );
}

#[test]
fn s16_s29_tracing_goes_through_the_jaeger_extension() {
    for (name, host, addon) in [
        ("S16", "zipkin.istio-system", true),
        ("S29", "jaeger-collector.observability", false),
    ] {
        let mut mesh = scenario(name);
        // What Linkerd cannot install (Kiali, Grafana, gateways) is tested
        // elsewhere; keep the tracing part.
        mesh.observability
            .addons
            .retain(|a| *a == mesh_model::Addon::Jaeger);
        mesh.installation = None;
        let l = lower(&mesh);
        let v = values(&l, "linkerd-jaeger.values.yaml");
        assert_eq!(
            v["webhook"],
            json!({"collectorSvcAddr": "collector.linkerd-jaeger:4317", "collectorTraceProtocol": "opentelemetry", "collectorSvcAccount": "collector"}),
            "{name}"
        );
        assert_eq!(v["jaeger"], json!({"enabled": addon}), "{name}");
        assert_eq!(v["collector"]["enabled"], true);
        let config: Value =
            serde_yaml::from_str(v["collector"]["config"].as_str().unwrap()).unwrap();
        assert_eq!(
            config,
            json!({
                "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}}}},
                "processors": {"batch": {}, "probabilistic_sampler": {"sampling_percentage": 100.0}},
                "exporters": {"zipkin": {"endpoint": format!("http://{host}:9411/api/v2/spans")}},
                "extensions": {"health_check": {"endpoint": "0.0.0.0:13133"}},
                "service": {
                    "extensions": ["health_check"],
                    "pipelines": {"traces": {"receivers": ["otlp"], "processors": ["probabilistic_sampler", "batch"], "exporters": ["zipkin"]}}
                }
            }),
            "{name}"
        );
        assert!(l.notes.iter().any(|n| {
            n.feature == Feature::Tracing
                && n.message
                    .contains("trace requests that arrive with a sampled trace context")
        }));
    }
}

#[test]
fn s29_refuses_the_ingress_gateway_only() {
    assert_eq!(
        refused(&scenario("S29")),
        [(
            Feature::Installation,
            "installation.ingressGateway".to_owned()
        )]
    );
}

#[test]
fn opentelemetry_tracing_exports_otlp() {
    let mesh = Mesh::from_policy(
        "observability: {tracing: {provider: openTelemetry, host: otel.observability, port: 4317, sampling: 5}}",
    )
    .unwrap();
    let v = values(&lower(&mesh), "linkerd-jaeger.values.yaml");
    let config: Value = serde_yaml::from_str(v["collector"]["config"].as_str().unwrap()).unwrap();
    assert_eq!(
        config["exporters"],
        json!({"otlp": {"endpoint": "otel.observability:4317", "tls": {"insecure": true}}})
    );
    assert_eq!(
        config["processors"]["probabilistic_sampler"]["sampling_percentage"],
        5.0
    );
}

#[test]
fn s36_dashboard_and_control_plane_monitor_tags_refused() {
    let mesh = scenario("S36");
    assert_eq!(
        refused(&mesh),
        [
            (
                Feature::MetricTags,
                "observability.metrics.tags[0]".to_owned()
            ),
            (
                Feature::MetricTags,
                "observability.metrics.tags[1]".to_owned()
            ),
        ]
    );
    let mut without_tags = mesh.clone();
    without_tags
        .observability
        .metrics
        .as_mut()
        .unwrap()
        .tags
        .clear();
    let mut l = lower(&without_tags);
    let pm = object(&mut l, "PodMonitor", "linkerd-controller");
    assert_eq!(
        pm["spec"]["namespaceSelector"],
        json!({"matchNames": ["linkerd"]})
    );
    assert_eq!(pm["spec"]["podMetricsEndpoints"][0]["interval"], "30s");
    let cm = object(&mut l, "ConfigMap", "linkerd-mesh-dashboard");
    assert_eq!(cm["metadata"]["labels"]["grafana_dashboard"], "1");
    let model: Value =
        serde_json::from_str(cm["data"]["linkerd-mesh-dashboard.json"].as_str().unwrap()).unwrap();
    assert_eq!(model["title"], "Linkerd Mesh Dashboard");
    assert_eq!(
        model["panels"][0]["targets"][0]["expr"],
        "sum by (namespace, deployment) (rate(request_total{direction=\"inbound\"}[5m]))"
    );
}

#[test]
fn s37_memory_alert_maps_config_sync_is_refused() {
    let mesh = scenario("S37");
    assert_eq!(
        refused(&mesh),
        [(
            Feature::Alerts,
            "observability.metrics.alerts[1].when".to_owned()
        )]
    );
    let mut memory_only = mesh.clone();
    memory_only
        .observability
        .metrics
        .as_mut()
        .unwrap()
        .alerts
        .truncate(1);
    let mut l = lower(&memory_only);
    let rule = object(&mut l, "PrometheusRule", "linkerd-golden-signals");
    assert_eq!(
        rule["spec"]["groups"][0]["rules"][0],
        json!({
            "alert": "HighSidecarMemory",
            "expr": "(max by (namespace, pod) (container_memory_working_set_bytes{container=\"linkerd-proxy\"})) > 500000000",
            "for": "5m",
            "labels": {"severity": "warning"},
            "annotations": {"summary": "High sidecar memory usage"}
        })
    );
}

#[test]
fn golden_signal_promql_parses() {
    let q = signal_queries();
    let mut exprs = vec![
        q.request_rate.clone(),
        q.success_ratio.clone(),
        q.latency_p99_ms.clone(),
        q.proxy_memory_bytes.clone(),
    ];
    let mesh = Mesh::from_policy(
        r#"
observability:
  metrics:
    scrapeProxies: true
    dashboard: true
    alerts:
    - {when: {successRateBelow: 99.5}, for: 5m}
    - {when: {latencyP99Above: 250ms}, for: 10m, severity: critical}
    - {when: {requestRateAbove: 1000}, for: 1m}
    - {when: {proxyMemoryAbove: 256Mi}, for: 5m}
"#,
    )
    .unwrap();
    let mut l = lower(&mesh);
    let rule = object(&mut l, "PrometheusRule", "linkerd-golden-signals");
    for r in rule["spec"]["groups"][0]["rules"].as_array().unwrap() {
        exprs.push(r["expr"].as_str().unwrap().to_owned());
    }
    let cm = object(&mut l, "ConfigMap", "linkerd-mesh-dashboard");
    let model: Value =
        serde_json::from_str(cm["data"]["linkerd-mesh-dashboard.json"].as_str().unwrap()).unwrap();
    for p in model["panels"].as_array().unwrap() {
        exprs.push(p["targets"][0]["expr"].as_str().unwrap().to_owned());
    }
    assert_eq!(exprs.len(), 11);
    for e in exprs {
        promql_parser::parser::parse(&e).unwrap_or_else(|err| panic!("{e}: {err}"));
    }
}

/// Every custom resource the installation and observability lowering
/// emits, in one `crd-validate --strict-cel` batch; cert-manager and
/// trust-manager kinds are left out (no CRD for them in ../shared/crds)
/// and are checked by the typed expectations above.
#[test]
fn emitted_resources_pass_crd_validate() {
    let mesh = Mesh::from_policy(
        r#"
services:
- {name: web, namespace: shop, ports: [{number: 80, protocol: http}]}
security: {defaultAction: allow}
installation:
  highAvailability: true
  certificateAuthority: {certManager: {issuer: linkerd-trust-anchor, clusterIssuer: true}}
observability:
  accessLogs: {format: json}
  tracing: {provider: zipkin, host: zipkin.tracing, port: 9411}
  addons: [prometheus, jaeger]
  metrics:
    scrapeProxies: true
    scrapeControlPlane: true
    interval: 15s
    dashboard: true
    alerts:
    - {name: HighSidecarMemory, when: {proxyMemoryAbove: 500M}, for: 5m}
    - {when: {successRateBelow: 99}, for: 5m}
"#,
    )
    .unwrap();
    let l = lower_with(
        Options {
            self_signed_trust_anchor: true,
            ..Options::default()
        },
        &mesh,
    );
    let kinds: Vec<String> = l.manifests.iter().map(|o| o.kind().to_owned()).collect();
    for k in [
        "PodMonitor",
        "PrometheusRule",
        "ConfigMap",
        "Certificate",
        "Bundle",
        "ClusterIssuer",
        "Issuer",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no {k}");
    }
    let mut stream = String::new();
    let mut skipped = Vec::new();
    for o in l.manifests.iter() {
        if mesh_k8s::certmanager::is_cert_manager(o.api_version()) {
            skipped.push(format!(
                "{}/{}",
                o.kind(),
                o.metadata().name.as_deref().unwrap_or("")
            ));
            continue;
        }
        if !stream.is_empty() {
            stream.push_str("---\n");
        }
        stream.push_str(&mesh_k8s::to_yaml_string(o).unwrap());
    }
    println!(
        "not validated (no cert-manager/trust-manager CRD in ../shared/crds): {}",
        skipped.join(", ")
    );
    assert_eq!(skipped.len(), 5);
    let _ = l.manifests.to_yaml().unwrap();
    match require_shared() {
        Ok(_) => {
            let report = crd_validate(&stream).unwrap();
            assert!(report.passed, "crd-validate:\n{}", report.output);
        }
        Err(why) if in_ci() => panic!("{why}"),
        Err(why) => println!("skipping crd-validate: {why}"),
    }
}
