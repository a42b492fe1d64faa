//! The conformance harness: everything meshwright emits goes through the
//! independent validator `../shared/tools/crd-validate --strict-cel`
//! (upstream CRD schemas, strict unknown fields, CEL rules), in one batched
//! call.
//!
//! It renders every example scenario (`examples/scenarios/*.yaml`) with
//! every backend compiled in that can lower it, plus a sample of every kind
//! `mesh-k8s` types. Without `../shared` it explains why it cannot run (and
//! fails in CI, where `../shared` is always present).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::num::NonZeroU16;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Service, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use meshwright::k8s::gateway::{
    BackendRef, Gateway, GatewayClass, GrpcRoute, HttpRoute, HttpRouteMatch, HttpRouteRule,
    Listener, ListenerTls, ParentReference, ReferenceGrant, ReferenceGrantFrom, ReferenceGrantSpec,
    ReferenceGrantTo, SecretObjectReference, ServiceRef, Weight,
};
use meshwright::k8s::prometheus::{
    AlertingRule, Endpoint, PodMetricsEndpoint, PodMonitor, PodMonitorSpec, PrometheusDuration,
    PrometheusRule, ServiceMonitor, ServiceMonitorSpec,
};
use meshwright::k8s::testing::{crd_validate, in_ci, require_shared};
use meshwright::k8s::{ObjectMeta, to_yaml_string};

/// Kubernetes objects that every backend emits through mesh-k8s.
fn k8s_samples() -> Vec<String> {
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some("shop".into()),
            labels: Some([("istio-injection".to_owned(), "enabled".to_owned())].into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let svc = Service {
        metadata: ObjectMeta {
            name: Some("api-v2".into()),
            namespace: Some("shop".into()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            selector: Some(
                [
                    ("app".to_owned(), "api".to_owned()),
                    ("version".to_owned(), "v2".to_owned()),
                ]
                .into(),
            ),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 8080,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    // Strings a YAML 1.1 reader (kubectl, crd-validate) would take for
    // booleans, numbers, dates or null unless the writer quotes them:
    // ConfigMap data must stay strings.
    let tricky = [
        "n",
        "y",
        "on",
        "Off",
        "yes",
        "NO",
        "true",
        "null",
        "~",
        "0777",
        "0x1F",
        "94e944",
        "1e3",
        "1_000",
        "1:20",
        "2001-12-14",
        ".5",
        "-1",
        ".inf",
        "10.0.0.1",
        "- x",
        "a: b",
        "a #b",
        "@x",
        "%{REQUEST_ID}",
        "",
        " lead",
        "multi\nline\n",
        "tab\tin",
    ];
    let cm = ConfigMap {
        metadata: ObjectMeta {
            name: Some("tricky".into()),
            namespace: Some("shop".into()),
            ..Default::default()
        },
        data: Some(
            tricky
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("k{i}"), (*v).to_owned()))
                .collect(),
        ),
        ..Default::default()
    };
    vec![
        to_yaml_string(&ns).unwrap(),
        to_yaml_string(&svc).unwrap(),
        to_yaml_string(&cm).unwrap(),
    ]
}

/// One of each Gateway API and Prometheus-operator kind, as a backend
/// would build them.
fn shared_kind_samples() -> Vec<String> {
    let port = NonZeroU16::new(8080).unwrap();
    let route = HttpRoute::for_service("api", "shop", ServiceRef::new("api", port)).with_rule(
        HttpRouteRule::new()
            .matching(HttpRouteMatch::path_prefix("/api"))
            .with_backend(BackendRef::service("api-v1", port).with_weight(Weight::new(90).unwrap()))
            .with_backend(
                BackendRef::service("api-v2", port).with_weight(Weight::new(10).unwrap()),
            ),
    );
    let grpc = GrpcRoute::for_service("greeter", "shop", ServiceRef::new("greeter", port));
    let class = GatewayClass::for_controller("meshwright", "example.com/gateway-controller");
    let gateway = Gateway::with_listener(
        "edge",
        "shop",
        "meshwright",
        Listener::https(
            "https",
            NonZeroU16::new(443).unwrap(),
            ListenerTls::terminate(SecretObjectReference::secret("edge-tls")),
        )
        .with_hostname("api.example.com"),
    );
    let edge_route = HttpRoute::for_gateway("edge", "shop", ParentReference::gateway("edge"))
        .with_hostname("api.example.com")
        .with_rule(HttpRouteRule::forward_to(BackendRef::service("api", port)));
    let grant = ReferenceGrant::new(
        "routes-to-services",
        Some("backend"),
        ReferenceGrantSpec {
            from: vec![ReferenceGrantFrom::http_routes("shop")],
            to: vec![ReferenceGrantTo::services()],
        },
    );
    let sm = ServiceMonitor::new(
        "istiod",
        Some("istio-system"),
        ServiceMonitorSpec::new(
            LabelSelector {
                match_labels: Some([("app".to_owned(), "istiod".to_owned())].into()),
                ..Default::default()
            },
            [Endpoint::default()],
        ),
    );
    let pm = PodMonitor::new(
        "proxies",
        Some("istio-system"),
        PodMonitorSpec::new(
            LabelSelector {
                match_labels: Some(
                    [("security.istio.io/tlsMode".to_owned(), "istio".to_owned())].into(),
                ),
                ..Default::default()
            },
            [PodMetricsEndpoint::default()],
        ),
    );
    let rule = PrometheusRule::alerting(
        "mesh-alerts",
        "istio-system",
        "istio",
        [AlertingRule::new(
            "HighSidecarMemory",
            r#"container_memory_usage_bytes{container="istio-proxy"} > 500000000"#,
        )
        .for_(PrometheusDuration::parse("5m").unwrap())],
    );
    vec![
        to_yaml_string(&gateway).unwrap(),
        to_yaml_string(&edge_route).unwrap(),
        to_yaml_string(&grant).unwrap(),
        to_yaml_string(&route).unwrap(),
        to_yaml_string(&grpc).unwrap(),
        to_yaml_string(&class).unwrap(),
        to_yaml_string(&sm).unwrap(),
        to_yaml_string(&pm).unwrap(),
        to_yaml_string(&rule).unwrap(),
    ]
}

/// Every example scenario lowered by every compiled-in backend: the YAML
/// of those that lower, and the count of those refused (only with
/// `Unsupported`, each backend's own tests check which).
fn scenario_outputs() -> (Vec<String>, usize) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut docs = Vec::new();
    let mut refused = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yaml"))
    {
        let mesh = meshwright::Mesh::from_policy(&std::fs::read_to_string(file).unwrap()).unwrap();
        for target in meshwright::meshes() {
            match meshwright::lower(target, &mesh) {
                Ok(out) => docs.push(out.write(meshwright::Format::Yaml).unwrap()),
                Err(e) => {
                    assert!(e.is_unsupported(), "{}: {target}: {e}", file.display());
                    refused += 1;
                }
            }
        }
    }
    (docs, refused)
}

#[test]
fn everything_emitted_passes_crd_validate() {
    if let Err(why) = require_shared() {
        assert!(!in_ci(), "{why}");
        eprintln!("conformance not run: {why}");
        return;
    }
    let mut docs = k8s_samples();
    docs.extend(shared_kind_samples());
    let (scenarios, refused) = scenario_outputs();
    let n_scenarios = scenarios.len();
    let samples = docs.len();
    docs.extend(scenarios);
    let stream = docs.join("---\n");
    let report = crd_validate(&stream).unwrap();
    assert!(
        report.passed,
        "crd-validate rejected meshwright output:\n{}",
        report.output
    );
    eprintln!(
        "conformance: {samples} samples + {n_scenarios} scenario renders ({refused} scenario x mesh pairs refused with Unsupported): {}",
        report.output.lines().last().unwrap_or("")
    );
    assert!(
        report.output.contains(" passed, 0 failed"),
        "{}",
        report.output
    );
}
