//! Migration of the seeds' Istio scenarios (as users write them: the
//! seeds' YAML, with the Kubernetes Services they go with) to Linkerd and
//! Consul, checked against hand-written expectations of the key objects
//! (compared as JSON: `spec`, and the metadata fields the expectation
//! names). Linkerd and Consul as sources: the scenarios' policy files
//! lowered to Linkerd (or Consul), and hand-written Consul entries, read
//! back with the strict parser (source mesh picked from the API groups),
//! with the report asserted exactly.
#![cfg(all(feature = "istio", feature = "linkerd", feature = "consul"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use meshwright::migrate::{Migrated, Objects, migrate};
use meshwright::{Format, LowerError, MeshKind};
use serde_json::Value;

/// The manifests, read strictly; the source mesh from the API groups.
fn read(yaml: &str) -> Objects {
    meshwright::migrate::read(&[("input.yaml", yaml)], None).unwrap()
}

fn docs(yaml: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(yaml)
        .map(|d| serde::Deserialize::deserialize(d).unwrap())
        .collect()
}

/// Every expected object is in the output, equal on `spec` and on the
/// metadata fields it names.
fn expect(name: &str, out: &mut Migrated, expected: &str) {
    let text = out.output.write(Format::Yaml).unwrap();
    let actual = docs(&text);
    for want in docs(expected) {
        let key = |v: &Value| {
            (
                v["kind"].clone(),
                v["metadata"]["namespace"].clone(),
                v["metadata"]["name"].clone(),
            )
        };
        let Some(got) = actual.iter().find(|a| key(a) == key(&want)) else {
            panic!("{name}: no {:?} in\n{text}", key(&want));
        };
        let mut got_cut = serde_json::json!({"spec": got["spec"].clone()});
        for (k, _) in want["metadata"].as_object().unwrap() {
            got_cut["metadata"][k] = got["metadata"][k].clone();
        }
        let want_cut =
            serde_json::json!({"spec": want["spec"].clone(), "metadata": want["metadata"].clone()});
        if let Some(diff) = mesh_k8s_diff(&want_cut, &got_cut) {
            panic!("{name}: {:?}: {diff}\n{text}", key(&want));
        }
    }
}

fn mesh_k8s_diff(a: &Value, b: &Value) -> Option<String> {
    meshwright::k8s::testing::json_diff(a, b)
}

const S04: &str = r#"
# Seed: reviews, header end-user: jason → v2, else 75/25 v1/v2.
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 75}
    - {destination: {host: reviews, subset: v2}, weight: 25}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
"#;

const S13: &str = r#"
# Seed: ratings v1, 10s timeout, 3 attempts of 2s on gateway errors.
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: default}
spec:
  selector: {app: ratings}
  ports: [{name: http, port: 9080}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: default}
spec:
  hosts: [ratings]
  http:
  - route: [{destination: {host: ratings, subset: v1}}]
    timeout: 10s
    retries: {attempts: 3, perTryTimeout: 2s, retryOn: "gateway-error,connect-failure,refused-stream"}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: ratings, namespace: default}
spec:
  host: ratings
  subsets: [{name: v1, labels: {version: v1}}]
"#;

const S18: &str = r#"
# Seed: strict mTLS mesh-wide, deny by default, reviews readable by
# productpage (GET).
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: istio-system}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: reviews-viewer, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: reviews}}
  action: ALLOW
  rules:
  - from: [{source: {principals: [cluster.local/ns/bookinfo/sa/productpage]}}]
    to: [{operation: {methods: [GET]}}]
---
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: bookinfo}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata: {name: productpage, namespace: bookinfo}
spec:
  selector: {app: productpage}
  ports: [{name: http, port: 9080}]
"#;

fn run(input: &str, to: MeshKind) -> Migrated {
    migrate(&read(input), to).unwrap()
}

#[test]
fn s04_header_routing_and_canary_to_linkerd() {
    let mut out = run(S04, MeshKind::Linkerd);
    // Istio's implicit retries (2 attempts; on an HTTP/1.1 service the
    // model's default conditions) are carried over: Linkerd retries 503s.
    assert!(out.report.is_complete(), "{}", out.report);
    expect(
        "S04 linkerd",
        &mut out,
        r#"
kind: HTTPRoute
metadata:
  name: reviews
  namespace: default
  annotations: {retry.linkerd.io/http: "503", retry.linkerd.io/limit: "2"}
spec:
  parentRefs: [{group: "", kind: Service, name: reviews, port: 9080}]
  rules:
  - matches: [{headers: [{name: end-user, value: jason}]}]
    backendRefs: [{name: reviews-v2, port: 9080}]
  - backendRefs:
    - {name: reviews-v1, port: 9080, weight: 75}
    - {name: reviews-v2, port: 9080, weight: 25}
---
kind: Service
metadata: {name: reviews-v2, namespace: default}
spec:
  ports: [{name: http, port: 9080, protocol: TCP, targetPort: 9080}]
  selector: {app: reviews, version: v2}
"#,
    );
}

#[test]
fn s04_header_routing_and_canary_to_consul() {
    let mut out = run(S04, MeshKind::Consul);
    assert!(out.report.is_complete(), "{}", out.report);
    let retries = r#"requestTimeout: -1s, numRetries: 2, retryOnConnectFailure: true, retryOnStatusCodes: [503], retryOn: [refused-stream]"#;
    expect(
        "S04 consul",
        &mut out,
        &format!(
            r#"
kind: ServiceRouter
metadata: {{name: reviews, namespace: default}}
spec:
  routes:
  - match: {{http: {{header: [{{name: end-user, exact: jason}}]}}}}
    destination: {{service: reviews, serviceSubset: v2, {retries}}}
  - destination: {{service: reviews-route-1, {retries}}}
---
kind: ServiceSplitter
metadata: {{name: reviews-route-1, namespace: default}}
spec:
  splits:
  - {{weight: 75.0, service: reviews, serviceSubset: v1}}
  - {{weight: 25.0, service: reviews, serviceSubset: v2}}
---
kind: ServiceResolver
metadata: {{name: reviews, namespace: default}}
spec:
  subsets:
    v1: {{filter: Service.Meta.version == v1}}
    v2: {{filter: Service.Meta.version == v2}}
  requestTimeout: -1s
"#
        ),
    );
}

#[test]
fn s13_retries_and_timeout_to_linkerd() {
    let mut out = run(S13, MeshKind::Linkerd);
    assert!(out.report.is_complete(), "{}", out.report);
    expect(
        "S13 linkerd",
        &mut out,
        r#"
kind: HTTPRoute
metadata:
  name: ratings
  namespace: default
  annotations:
    retry.linkerd.io/http: gateway-error
    retry.linkerd.io/limit: "3"
    retry.linkerd.io/timeout: 2s
    timeout.linkerd.io/request: 10s
spec:
  parentRefs: [{group: "", kind: Service, name: ratings, port: 9080}]
  rules:
  - backendRefs: [{name: ratings-v1, port: 9080}]
"#,
    );
}

#[test]
fn s13_retries_and_timeout_to_consul_without_per_try_timeout() {
    let mut out = run(S13, MeshKind::Consul);
    // Consul has no per-try timeout: reported with the model path, the
    // rest carried over.
    assert!(out.report.skipped.is_empty(), "{}", out.report);
    let paths: Vec<String> = out
        .report
        .unsupported
        .iter()
        .map(|e| match e {
            LowerError::Unsupported { path, .. } => path.to_string(),
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(
        paths,
        ["services[0].routes[0].forward.retries.perTryTimeout"]
    );
    expect(
        "S13 consul",
        &mut out,
        r#"
kind: ServiceRouter
metadata: {name: ratings, namespace: default}
spec:
  routes:
  - destination:
      service: ratings
      serviceSubset: v1
      requestTimeout: 10s
      numRetries: 3
      retryOnConnectFailure: true
      retryOn: [gateway-error, refused-stream]
"#,
    );
}

#[test]
fn s18_strict_mtls_default_deny_authz_to_linkerd() {
    let mut out = run(S18, MeshKind::Linkerd);
    assert!(out.report.is_complete(), "{}", out.report);
    expect(
        "S18 linkerd",
        &mut out,
        r#"
kind: Namespace
metadata:
  name: bookinfo
  annotations: {config.linkerd.io/default-inbound-policy: deny, linkerd.io/inject: enabled}
---
kind: Server
metadata: {name: reviews-http, namespace: bookinfo}
spec:
  accessPolicy: deny
  podSelector: {matchLabels: {app: reviews}}
  port: 9080
---
kind: MeshTLSAuthentication
metadata: {name: reviews-viewer-0, namespace: bookinfo}
spec:
  identities: [productpage.bookinfo.serviceaccount.identity.linkerd.cluster.local]
"#,
    );
}

#[test]
fn s18_strict_mtls_default_deny_authz_to_consul() {
    let mut out = run(S18, MeshKind::Consul);
    assert!(out.report.is_complete(), "{}", out.report);
    expect(
        "S18 consul",
        &mut out,
        r#"
kind: ServiceIntentions
metadata: {name: reviews, namespace: bookinfo}
spec:
  destination: {name: reviews}
  sources:
  - name: productpage
    permissions:
    - {action: allow, http: {methods: [GET]}}
    - {action: deny, http: {pathPrefix: /}}
  - {name: "*", action: deny}
---
kind: ServiceIntentions
metadata: {name: default, namespace: consul}
spec:
  destination: {name: "*"}
  sources: [{name: "*", action: deny}]
"#,
    );
}

#[test]
fn istio_to_istio_rewrites_in_meshwright_conventions() {
    // Istio objects migrate to Istio too (lift then lower): the same
    // canary, written by meshwright's conventions.
    let out = run(S04, MeshKind::Istio);
    assert!(out.report.is_complete(), "{}", out.report);
    let text = out.output.write(Format::Yaml).unwrap();
    assert!(text.contains("kind: VirtualService"));
}

const S07: &str = r#"
# Seed: httpbin circuit breaker (1 connection, 1 pending request, 1 request
# per connection, eject after one 5xx); sleep is the client.
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: default}
spec:
  selector: {app: httpbin}
  ports: [{name: http, port: 8000, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: sleep, namespace: default}
spec:
  selector: {app: sleep}
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: httpbin, namespace: default}
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp: {maxConnections: 1}
      http: {http1MaxPendingRequests: 1, maxRequestsPerConnection: 1}
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
"#;

fn unsupported_paths(out: &Migrated) -> Vec<String> {
    out.report
        .unsupported
        .iter()
        .map(|e| match e {
            LowerError::Unsupported { path, .. } => path.to_string(),
            other => panic!("{other}"),
        })
        .collect()
}

#[test]
fn s07_circuit_breaker_to_consul() {
    let mut out = run(S07, MeshKind::Consul);
    // Consul's upstream limits have no per-connection request limit: that
    // field is reported and dropped, the rest goes to the caller's
    // upstream config.
    assert!(out.report.skipped.is_empty(), "{}", out.report);
    assert_eq!(
        unsupported_paths(&out),
        ["services[0].resilience.connectionPool.maxRequestsPerConnection"]
    );
    expect(
        "S07 consul",
        &mut out,
        r#"
kind: ServiceDefaults
metadata: {name: sleep, namespace: default}
spec:
  protocol: http
  upstreamConfig:
    overrides:
    - name: httpbin
      limits: {maxConnections: 1, maxPendingRequests: 1}
      passiveHealthCheck:
        interval: 1s
        maxFailures: 1
        enforcingConsecutive5xx: 100
        maxEjectionPercent: 100
        baseEjectionTime: 3m
"#,
    );
}

#[test]
fn s07_circuit_breaker_to_linkerd_reports_the_pool() {
    let out = run(S07, MeshKind::Linkerd);
    // Linkerd has no connection limits: the whole pool is reported.
    assert_eq!(
        unsupported_paths(&out),
        ["services[0].resilience.connectionPool"]
    );
}

// === Linkerd and Consul as sources ===

/// A seed scenario's policy file lowered to `mesh`, as one YAML stream:
/// the manifests a Linkerd or Consul user has.
fn lowered(scenario: &str, mesh: MeshKind) -> String {
    let path = format!(
        "{}/examples/scenarios/{scenario}",
        env!("CARGO_MANIFEST_DIR")
    );
    let policy = std::fs::read_to_string(&path).unwrap();
    let model = meshwright::Mesh::from_policy(&policy).unwrap();
    meshwright::lower(mesh, &model)
        .unwrap()
        .write(Format::Yaml)
        .unwrap()
}

const S04_VIRTUAL_SERVICE: &str = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
    retries: {attempts: 0}
  - route:
    - {destination: {host: reviews, subset: v1}, weight: 75}
    - {destination: {host: reviews, subset: v2}, weight: 25}
    retries: {attempts: 0}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
"#;

#[test]
fn linkerd_s04_to_istio() {
    let objects = read(&lowered("S04-reviews-jason-header.yaml", MeshKind::Linkerd));
    assert_eq!(objects.mesh(), MeshKind::Linkerd);
    let mut out = migrate(&objects, MeshKind::Istio).unwrap();
    assert_eq!(out.report.to_string(), "");
    expect("S04 linkerd→istio", &mut out, S04_VIRTUAL_SERVICE);
}

#[test]
fn linkerd_s04_to_consul() {
    let objects = read(&lowered("S04-reviews-jason-header.yaml", MeshKind::Linkerd));
    let mut out = migrate(&objects, MeshKind::Consul).unwrap();
    assert_eq!(out.report.to_string(), "");
    // The Linkerd lowering's HTTPRoute rules have no names: the split is
    // the service's second route.
    expect(
        "S04 linkerd→consul",
        &mut out,
        r#"
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: reviews, namespace: default}
spec:
  routes:
  - match: {http: {header: [{name: end-user, exact: jason}]}}
    destination: {service: reviews, serviceSubset: v2, requestTimeout: -1s}
  - destination: {service: reviews-route-1, requestTimeout: -1s}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: reviews-route-1, namespace: default}
spec:
  splits:
  - {weight: 75.0, service: reviews, serviceSubset: v1}
  - {weight: 25.0, service: reviews, serviceSubset: v2}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: reviews, namespace: default}
spec:
  subsets:
    v1: {filter: Service.Meta.version == v1}
    v2: {filter: Service.Meta.version == v2}
  requestTimeout: -1s
"#,
    );
}

/// S04 as a Consul user writes it: the config entries and the Kubernetes
/// Service of `reviews` (Consul's entries list no ports).
const S04_CONSUL: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: reviews, namespace: default}
spec: {protocol: http}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: reviews, namespace: default}
spec:
  subsets:
    v1: {filter: Service.Meta.version == v1}
    v2: {filter: Service.Meta.version == v2}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: reviews, namespace: default}
spec:
  routes:
  - match: {http: {header: [{name: end-user, exact: jason}]}}
    destination: {service: reviews, serviceSubset: v2}
  - destination: {service: reviews-split}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: reviews-split, namespace: default}
spec:
  splits:
  - {weight: 75, service: reviews, serviceSubset: v1}
  - {weight: 25, service: reviews, serviceSubset: v2}
"#;

/// The lift's two reports on [`S04_CONSUL`]: Consul's entries list no
/// ports, and the Kubernetes Service is not read by the Consul lift.
const S04_CONSUL_NOT_LIFTED: &str = "\
not lifted: ServiceDefaults default/reviews: spec.protocol: protocol http: the model says a service's protocol on its ports, which Consul config entries do not list (lift the Kubernetes Service too, or declare the ports)
not lifted: Service default/reviews: kind Service is not lifted
";

#[test]
fn consul_s04_to_istio() {
    let objects = read(S04_CONSUL);
    assert_eq!(objects.mesh(), MeshKind::Consul);
    let mut out = migrate(&objects, MeshKind::Istio).unwrap();
    assert_eq!(out.report.to_string(), S04_CONSUL_NOT_LIFTED);
    // Without `requestTimeout`, Consul routes time out after Envoy's 15s;
    // the splitter's 75/25 comes back reduced (3:1); the splitter's name
    // names the route.
    expect(
        "S04 consul→istio",
        &mut out,
        r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: default}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
    timeout: 15s
    retries: {attempts: 0}
  - name: split
    route:
    - {destination: {host: reviews, subset: v1}, weight: 3}
    - {destination: {host: reviews, subset: v2}, weight: 1}
    timeout: 15s
    retries: {attempts: 0}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
"#,
    );
}

#[test]
fn consul_s04_to_linkerd_reports_the_missing_port_exactly() {
    let out = migrate(&read(S04_CONSUL), MeshKind::Linkerd).unwrap();
    assert_eq!(
        out.report.to_string(),
        format!(
            "{S04_CONSUL_NOT_LIFTED}\
not lowered: model services[0].ports: Linkerd cannot express Routing to versions; hint: declare the service's HTTP port: Linkerd attaches routes to a Service port
"
        )
    );
    // What Linkerd refused is pruned: a service without a port has no
    // valid model with its routes, so the whole service goes (and the
    // report says so: redo it by hand).
    assert!(out.mesh.services.is_empty());
}

#[test]
fn linkerd_s18_strict_mtls_to_consul_and_istio() {
    let objects = read(&lowered(
        "S18-strict-mtls-mesh-and-production.yaml",
        MeshKind::Linkerd,
    ));
    let mut consul = migrate(&objects, MeshKind::Consul).unwrap();
    assert_eq!(consul.report.to_string(), "");
    // Strict mTLS is Consul's only mode; Linkerd's default-deny policy
    // becomes a deny-all intention, registry-only egress the Mesh entry.
    expect(
        "S18 linkerd→consul",
        &mut consul,
        r#"
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: default, namespace: consul}
spec:
  destination: {name: "*"}
  sources: [{name: "*", action: deny}]
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: Mesh
metadata: {name: mesh, namespace: consul}
spec:
  transparentProxy: {meshDestinationsOnly: true}
---
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels: {app.kubernetes.io/managed-by: meshwright, consul.hashicorp.com/connect-inject: "true"}
"#,
    );
    let mut istio = migrate(&objects, MeshKind::Istio).unwrap();
    assert_eq!(istio.report.to_string(), "");
    expect(
        "S18 linkerd→istio",
        &mut istio,
        r#"
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: istio-system}
spec: {}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: istio-system}
spec:
  egress: [{hosts: ["*/*"]}]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
"#,
    );
}

#[test]
fn reading_names_file_document_and_field() {
    let bad = S04_CONSUL.replace(
        "serviceSubset: v2}\n  - destination",
        "serviceSubsett: v2}\n  - destination",
    );
    let err =
        meshwright::migrate::read(&[("a.yaml", S04), ("b.yaml", &bad)], Some(MeshKind::Consul))
            .unwrap_err()
            .to_string();
    let lines: Vec<&str> = err
        .lines()
        .map(|l| l.split([';', ',']).next().unwrap())
        .collect();
    // Every error of every input, as file:document: field.path: message.
    assert_eq!(
        lines,
        [
            "a.yaml:1: unknown kind VirtualService (apiVersion networking.istio.io/v1)",
            "a.yaml:2: unknown kind DestinationRule (apiVersion networking.istio.io/v1)",
            "b.yaml:3: spec.routes[0].destination.serviceSubsett: unknown field `serviceSubsett`",
        ]
    );
}
