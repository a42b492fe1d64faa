//! Installation and metrics outputs for Consul, with hand-written
//! expectations: S30 (HA install), S02 (sidecar scraping), S36 (dashboard,
//! server monitor; tags refused), S37 (memory alert; config sync refused),
//! PromQL that parses, and one `crd-validate --strict-cel` batch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_consul::lower::{ConsulBackend, ConsulInstall, ConsulObject, signal_queries};
use mesh_k8s::Manifest;
use mesh_k8s::lowering::Lowered;
use mesh_k8s::testing::{crd_validate, in_ci, require_shared};
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
        })
        .unwrap();
    Mesh::from_policy(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn lower(mesh: &Mesh) -> Lowered<ConsulObject, ConsulInstall> {
    ConsulBackend::default()
        .lower(mesh)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn refused(mesh: &Mesh) -> Vec<(Feature, String)> {
    match ConsulBackend::default().lower(mesh) {
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

fn values(l: &Lowered<ConsulObject, ConsulInstall>) -> Value {
    assert_eq!(l.install.len(), 1);
    serde_yaml::from_str(&l.install[0].to_yaml().unwrap()).unwrap()
}

fn object(l: &mut Lowered<ConsulObject, ConsulInstall>, kind: &str, name: &str) -> Value {
    l.manifests
        .iter()
        .find(|o| o.kind() == kind && o.metadata().name.as_deref() == Some(name))
        .map(|o| serde_json::to_value(o).unwrap())
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

#[test]
fn s30_ha_install() {
    let l = lower(&scenario("S30"));
    assert_eq!(
        l.install[0].command(),
        "helm upgrade --install consul consul --repo https://helm.releases.hashicorp.com --namespace consul --create-namespace --values consul.values.yaml"
    );
    assert_eq!(
        values(&l),
        json!({
            "global": {
                "name": "consul", "datacenter": "dc1",
                "tls": {"enabled": true, "enableAutoEncrypt": true},
                "acls": {"manageSystemACLs": true}
            },
            "server": {"replicas": 3, "disruptionBudget": {"enabled": true}},
            "connectInject": {
                "enabled": true, "default": true,
                "namespaceSelector": "matchLabels:\n  consul.hashicorp.com/connect-inject: \"true\"\n",
                "replicas": 2,
                "transparentProxy": {"defaultEnabled": true}
            },
            "ui": {"enabled": true}
        })
    );
}

#[test]
fn s02_scrapes_merged_sidecar_metrics() {
    // S02's per-try timeout is refused by the traffic lowering (tested
    // there); the metrics part is what this test is about.
    let mut mesh = scenario("S02");
    mesh.services[0].resilience = Default::default();
    let mut l = lower(&mesh);
    let v = values(&l);
    assert_eq!(
        v["global"]["metrics"],
        json!({"enabled": true, "enableAgentMetrics": false, "enableGatewayMetrics": true})
    );
    assert_eq!(
        v["connectInject"]["metrics"],
        json!({"defaultEnabled": true, "defaultEnableMerging": true})
    );
    assert_eq!(v["prometheus"], json!({"enabled": true}));
    assert_eq!(
        v["ui"]["metrics"],
        json!({"enabled": true, "provider": "prometheus", "baseURL": "http://prometheus-server"})
    );
    let pm = object(&mut l, "PodMonitor", "consul-sidecars");
    assert_eq!(
        pm["spec"],
        json!({
            "selector": {"matchLabels": {"consul.hashicorp.com/connect-inject-status": "injected"}},
            "namespaceSelector": {"any": true},
            "podMetricsEndpoints": [{"port": "prometheus", "path": "/metrics"}]
        })
    );
}

#[test]
fn s36_dashboard_and_server_monitor_tags_refused() {
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
    let mut m = mesh.clone();
    m.observability.metrics.as_mut().unwrap().tags.clear();
    let mut l = lower(&m);
    let pm = object(&mut l, "PodMonitor", "consul-servers");
    assert_eq!(
        pm["spec"]["podMetricsEndpoints"][0],
        json!({
            "port": "https", "path": "/v1/agent/metrics", "scheme": "https",
            "params": {"format": ["prometheus"]}, "interval": "30s",
            "authorization": {"type": "Bearer", "credentials": {"name": "consul-prometheus-token", "key": "token"}},
            "tlsConfig": {"ca": {"secret": {"name": "consul-ca-cert", "key": "tls.crt"}}, "serverName": "server.dc1.consul"}
        })
    );
    assert_eq!(values(&l)["global"]["metrics"]["enableAgentMetrics"], true);
    let cm = object(&mut l, "ConfigMap", "consul-mesh-dashboard");
    let model: Value =
        serde_json::from_str(cm["data"]["consul-mesh-dashboard.json"].as_str().unwrap()).unwrap();
    assert_eq!(model["title"], "Consul Mesh Dashboard");
    assert_eq!(
        model["panels"][2]["targets"][0]["legendFormat"],
        "{{consul_destination_service}}"
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
    let mut m = mesh.clone();
    m.observability.metrics.as_mut().unwrap().alerts.truncate(1);
    let mut l = lower(&m);
    assert!(l.install.is_empty(), "alerts alone need no chart values");
    let rule = object(&mut l, "PrometheusRule", "consul-golden-signals");
    assert_eq!(
        rule["spec"]["groups"][0]["rules"][0]["expr"],
        "(max by (namespace, pod) (container_memory_working_set_bytes{container=\"consul-dataplane\"})) > 500000000"
    );
}

#[test]
fn consul_ca_choices_and_hold_are_refused() {
    let mesh = Mesh::from_policy(
        "installation: {certificateAuthority: {certManager: {issuer: x}}, revision: canary, proxy: {holdApplicationUntilProxyStarts: true}}",
    )
    .unwrap();
    let mut got = refused(&mesh);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        [
            (
                Feature::ExternalCa,
                "installation.certificateAuthority".to_owned()
            ),
            (
                Feature::Installation,
                "installation.proxy.holdApplicationUntilProxyStarts".to_owned()
            ),
            (Feature::Installation, "installation.revision".to_owned()),
        ]
    );
}

#[test]
fn golden_signal_promql_parses() {
    let q = signal_queries();
    let mut exprs = vec![
        q.request_rate,
        q.success_ratio,
        q.latency_p99_ms,
        q.proxy_memory_bytes,
    ];
    let mesh = Mesh::from_policy(
        r#"
observability:
  metrics:
    alerts:
    - {when: {successRateBelow: 99.5}, for: 5m}
    - {when: {latencyP99Above: 250ms}, for: 10m}
    - {when: {requestRateAbove: 1000}, for: 1m}
    - {when: {proxyMemoryAbove: 256Mi}, for: 5m}
"#,
    )
    .unwrap();
    let mut l = lower(&mesh);
    let rule = object(&mut l, "PrometheusRule", "consul-golden-signals");
    for r in rule["spec"]["groups"][0]["rules"].as_array().unwrap() {
        exprs.push(r["expr"].as_str().unwrap().to_owned());
    }
    assert_eq!(exprs.len(), 8);
    for e in exprs {
        promql_parser::parser::parse(&e).unwrap_or_else(|err| panic!("{e}: {err}"));
    }
}

#[test]
fn emitted_resources_pass_crd_validate() {
    let mesh = Mesh::from_policy(
        r#"
services:
- {name: web, namespace: shop, ports: [{number: 80, protocol: http}]}
installation:
  highAvailability: true
  egressGateway: {component: {replicas: 2}}
observability:
  addons: [prometheus]
  metrics:
    scrapeProxies: true
    scrapeControlPlane: true
    interval: 15s
    dashboard: true
    alerts:
    - {name: HighSidecarMemory, when: {proxyMemoryAbove: 500M}, for: 5m}
    - {when: {successRateBelow: 99}, for: 5m, severity: critical}
"#,
    )
    .unwrap();
    let l = lower(&mesh);
    let v = values(&l);
    assert_eq!(
        v["terminatingGateways"],
        json!({"enabled": true, "defaults": {"replicas": 2}, "gateways": [{"name": "terminating-gateway"}]})
    );
    let yaml = l.manifests.to_yaml().unwrap();
    for k in [
        "kind: PodMonitor",
        "kind: PrometheusRule",
        "kind: ConfigMap",
    ] {
        assert!(yaml.contains(k), "{k}");
    }
    match require_shared() {
        Ok(_) => {
            let report = crd_validate(&yaml).unwrap();
            assert!(report.passed, "crd-validate:\n{}", report.output);
        }
        Err(why) if in_ci() => panic!("{why}"),
        Err(why) => println!("skipping crd-validate: {why}"),
    }
}
