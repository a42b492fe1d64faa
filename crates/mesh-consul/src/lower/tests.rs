//! Table tests per area, with hand-written expectations, and the weight
//! property test.

use mesh_model::{Backend, Feature, LowerError, Mesh};
use serde_json::{Value, json};

use super::{ConsulBackend, IngressFlavor, Options};

fn lower_with(options: Options, policy: &str) -> Result<Vec<Value>, Vec<(Feature, String)>> {
    let mesh = Mesh::from_policy(policy).expect("valid policy");
    match (ConsulBackend { options }).lower(&mesh) {
        Ok(out) => Ok(out
            .manifests
            .into_vec()
            .iter()
            .map(|o| serde_json::to_value(o).expect("json"))
            .collect()),
        Err(e) => Err(e
            .iter()
            .map(|e| match e {
                LowerError::Unsupported { feature, path, .. } => (*feature, path.to_string()),
                other => panic!("unexpected error {other}"),
            })
            .collect()),
    }
}

fn lower(policy: &str) -> Vec<Value> {
    lower_with(Options::default(), policy).unwrap_or_else(|e| panic!("refused: {e:?}"))
}

fn refused(policy: &str) -> Vec<(Feature, String)> {
    lower_with(Options::default(), policy).expect_err("should refuse")
}

/// The spec of the object of `kind` named `name`.
fn spec(objs: &[Value], kind: &str, name: &str) -> Value {
    objs.iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {objs:#?}"))["spec"]
        .clone()
}

fn has(objs: &[Value], kind: &str, name: &str) -> bool {
    objs.iter()
        .any(|o| o["kind"] == kind && o["metadata"]["name"] == name)
}

fn assert_json(expected: Value, actual: Value) {
    if let Some(d) = mesh_k8s::testing::json_diff(&expected, &actual) {
        panic!("{d}\nactual: {actual:#}");
    }
}

const REVIEWS: &str = r#"
services:
- name: reviews
  namespace: bookinfo
  ports: [{number: 9080, protocol: http}]
  versions: [{name: v1}, {name: v2}, {name: v3}]
  routes:
  - name: jason
    match: [{headers: {end-user: {exact: jason}}}]
    forward: {backends: [{version: v2}]}
  - name: rest
    forward:
      backends: [{version: v1, weight: 1}, {version: v2, weight: 1}, {version: v3, weight: 1}]
"#;

#[test]
fn routes_subsets_and_exact_splits() {
    let objs = lower(REVIEWS);
    assert_json(
        json!({"protocol": "http"}),
        spec(&objs, "ServiceDefaults", "reviews"),
    );
    assert_json(
        json!({"requestTimeout": "-1s", "subsets": {
            "v1": {"filter": "Service.Meta.version == v1"},
            "v2": {"filter": "Service.Meta.version == v2"},
            "v3": {"filter": "Service.Meta.version == v3"},
        }}),
        spec(&objs, "ServiceResolver", "reviews"),
    );
    assert_json(
        json!({"routes": [
            {"match": {"http": {"header": [{"name": "end-user", "exact": "jason"}]}},
             "destination": {"service": "reviews", "serviceSubset": "v2", "requestTimeout": "-1s"}},
            {"destination": {"service": "reviews-rest", "requestTimeout": "-1s"}},
        ]}),
        spec(&objs, "ServiceRouter", "reviews"),
    );
    assert_json(
        json!({"splits": [
            {"weight": 33.34, "service": "reviews", "serviceSubset": "v1"},
            {"weight": 33.33, "service": "reviews", "serviceSubset": "v2"},
            {"weight": 33.33, "service": "reviews", "serviceSubset": "v3"},
        ]}),
        spec(&objs, "ServiceSplitter", "reviews-rest"),
    );
    assert_json(
        json!({"protocol": "http"}),
        spec(&objs, "ServiceDefaults", "reviews-rest"),
    );
    // The callee-side implicit 15s timeout is switched off.
    assert_json(
        json!({"config": {"local_request_timeout_ms": 0}}),
        spec(&objs, "ProxyDefaults", "global"),
    );
}

#[test]
fn matches_rewrites_retries_and_timeouts() {
    let objs = lower(
        r#"
services:
- name: web
  namespace: prod
  ports: [{number: 80, protocol: http}]
  routes:
  - match:
    - {path: {prefix: /api}, method: GET, query: {q: {prefix: ab}}}
    forward:
      backends: [{}]
      rewrite: {path: {prefix: /v2}}
      timeout: 30s
      retries: {attempts: 3, on: [5xx, connect-failure, 409]}
    requestHeaders: {set: {x-a: b}}
"#,
    );
    let dest = json!({
        "service": "web", "requestTimeout": "30s", "numRetries": 3,
        "retryOnConnectFailure": true, "retryOnStatusCodes": [409], "retryOn": ["5xx"],
        "requestHeaders": {"set": {"x-a": "b"}},
    });
    let with = |path: Value, rewrite: &str| {
        let mut d = dest.clone();
        d["prefixRewrite"] = json!(rewrite);
        let mut http = json!({"queryParam": [{"name": "q", "regex": "ab.*"}], "methods": ["GET"]});
        for (k, v) in path.as_object().expect("object") {
            http[k] = v.clone();
        }
        json!({"match": {"http": http}, "destination": d})
    };
    assert_json(
        json!({"routes": [
            with(json!({"pathExact": "/api"}), "/v2"),
            with(json!({"pathPrefix": "/api/"}), "/v2/"),
        ]}),
        spec(&objs, "ServiceRouter", "web"),
    );
}

#[test]
fn refusals_name_the_field() {
    let cases = [
        (
            r#"
services:
- name: a
  namespace: n
  ports: [{number: 80, protocol: http}]
  routes:
  - forward: {backends: [{}], retries: {attempts: 2, perTryTimeout: 1s}}
"#,
            vec![(
                Feature::PerTryTimeout,
                "services[0].routes[0].forward.retries.perTryTimeout",
            )],
        ),
        (
            r#"
services:
- name: a
  namespace: n
  ports: [{number: 80, protocol: http}]
  unmatched: notFound
  routes:
  - match: [{path: {exact: /x}}]
    forward: {backends: [{}]}
"#,
            vec![(Feature::Unmatched, "services[0].unmatched")],
        ),
        (
            r#"
services:
- name: a
  namespace: n
  ports: [{number: 80, protocol: http}]
  routes:
  - respond: {status: 404}
  - forward:
      backends: [{}]
      mirrors: [{service: b}]
      fault: {abort: {status: 500}}
- name: b
  namespace: n
  ports: [{number: 80, protocol: http}]
"#,
            vec![
                (Feature::DirectResponse, "services[0].routes[0].respond"),
                (Feature::Mirror, "services[0].routes[1].forward.mirrors"),
                (
                    Feature::FaultAbort,
                    "services[0].routes[1].forward.fault.abort",
                ),
            ],
        ),
        (
            r#"
security:
  mtls: {mode: disabled}
"#,
            vec![(Feature::MtlsDisabled, "security.mtls.mode")],
        ),
        (
            r#"
services:
- name: a
  namespace: n
  ports: [{number: 80, protocol: http}]
  resilience: {rateLimit: {requests: 100, per: 60s}}
"#,
            vec![(Feature::RateLimit, "services[0].resilience.rateLimit.per")],
        ),
    ];
    for (policy, expected) in cases {
        let got = refused(policy);
        let expected: Vec<(Feature, String)> = expected
            .into_iter()
            .map(|(f, p)| (f, p.to_owned()))
            .collect();
        assert_eq!(got, expected, "{policy}");
    }
}

#[test]
fn unmatched_version_is_the_default_subset() {
    let objs = lower(
        r#"
services:
- name: a
  namespace: n
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
  unmatched: {version: v1}
  routes:
  - match: [{headers: {canary: {exact: "true"}}}]
    forward: {backends: [{version: v2}]}
"#,
    );
    assert_eq!(
        spec(&objs, "ServiceResolver", "a")["defaultSubset"],
        json!("v1")
    );
}

#[test]
fn resilience_goes_to_callers_and_resolver() {
    let objs = lower(
        r#"
services:
- name: api
  namespace: n
  ports: [{number: 80, protocol: http}]
  resilience:
    connectionPool: {maxConnections: 100, maxPendingRequests: 50, maxRequests: 10, connectTimeout: 2s}
    outlierDetection: {consecutive5xx: 3, maxEjectionPercent: 50}
    loadBalancer: {consistentHash: {cookie: {name: session, ttl: 1h}}}
    rateLimit: {requests: 20, per: 1s, burst: 40}
- name: web
  namespace: n
  ports: [{number: 80, protocol: http}]
- name: batch
  namespace: n
  ports: [{number: 80, protocol: http}]
security:
  authorization:
  - name: api
    scope: {service: {name: api, namespace: n}}
    rules: [{from: [{identity: {namespace: n, serviceAccount: web}}]}]
"#,
    );
    // Only the callers the intentions allow carry the limits (deny by
    // default: `batch` cannot connect to `api`, so it gets no override).
    assert_json(
        json!({"protocol": "http"}),
        spec(&objs, "ServiceDefaults", "batch"),
    );
    assert_json(
        json!({"protocol": "http", "upstreamConfig": {"overrides": [{
            "name": "api", "connectTimeoutMs": 2000,
            "limits": {"maxConnections": 100, "maxPendingRequests": 50, "maxConcurrentRequests": 10},
            "passiveHealthCheck": {"interval": "10s", "maxFailures": 3, "enforcingConsecutive5xx": 100,
                                   "maxEjectionPercent": 50, "baseEjectionTime": "30s"},
        }]}}),
        spec(&objs, "ServiceDefaults", "web"),
    );
    assert_json(
        json!({"protocol": "http", "rateLimits": {"instanceLevel": {"requestsPerSecond": 20, "requestsMaxBurst": 40}}}),
        spec(&objs, "ServiceDefaults", "api"),
    );
    assert_json(
        json!({"requestTimeout": "-1s", "loadBalancer": {"policy": "ring_hash", "hashPolicies": [
            {"field": "cookie", "fieldValue": "session", "cookieConfig": {"ttl": "1h"}}
        ]}}),
        spec(&objs, "ServiceResolver", "api"),
    );
}

#[test]
fn limits_follow_intentions() {
    // Allow by default: every other service may call `api` and carries its
    // limits; an explicit deny of a whole caller removes them there.
    let objs = lower(
        r#"
services:
- name: api
  namespace: n
  ports: [{number: 80, protocol: http}]
  resilience: {connectionPool: {maxConnections: 7}}
- name: web
  namespace: n
  ports: [{number: 80, protocol: http}]
- name: batch
  namespace: n
  ports: [{number: 80, protocol: http}]
security:
  defaultAction: allow
  authorization:
  - name: no-batch
    scope: {service: {name: api, namespace: n}}
    action: deny
    rules: [{from: [{identity: {namespace: n, serviceAccount: batch}}]}]
"#,
    );
    let limits = json!({"upstreamConfig": {"overrides": [{"name": "api", "limits": {"maxConnections": 7}}]}});
    assert_json(
        json!({"protocol": "http", "upstreamConfig": limits["upstreamConfig"]}),
        spec(&objs, "ServiceDefaults", "web"),
    );
    assert_json(
        json!({"protocol": "http"}),
        spec(&objs, "ServiceDefaults", "batch"),
    );
}

#[test]
fn deny_wins_and_default_is_explicit() {
    let objs = lower(
        r#"
services:
- name: backend
  namespace: prod
  ports: [{number: 80, protocol: http}]
- name: frontend
  namespace: prod
  ports: [{number: 80, protocol: http}]
security:
  authorization:
  - name: allow-frontend
    scope: {service: {name: backend, namespace: prod}}
    rules:
    - from: [{identity: {namespace: prod, serviceAccount: frontend}}]
  - name: no-admin
    scope: {namespace: prod}
    action: deny
    rules:
    - to: [{paths: [{prefix: /admin}]}]
"#,
    );
    let deny_admin = json!([
        {"action": "deny", "http": {"pathExact": "/admin"}},
        {"action": "deny", "http": {"pathPrefix": "/admin/"}},
    ]);
    let mut frontend = deny_admin.as_array().expect("array").clone();
    frontend.push(json!({"action": "allow", "http": {"pathPrefix": "/"}}));
    frontend.push(json!({"action": "deny", "http": {"pathPrefix": "/"}}));
    let mut others = deny_admin.as_array().expect("array").clone();
    others.push(json!({"action": "deny", "http": {"pathPrefix": "/"}}));
    assert_json(
        json!({"destination": {"name": "backend"}, "sources": [
            {"name": "frontend", "permissions": frontend},
            {"name": "*", "permissions": others},
        ]}),
        spec(&objs, "ServiceIntentions", "backend"),
    );
    // frontend has only the deny policy: the mesh default (deny) follows.
    let mut front = deny_admin.as_array().expect("array").clone();
    front.push(json!({"action": "deny", "http": {"pathPrefix": "/"}}));
    assert_json(
        json!({"destination": {"name": "frontend"}, "sources": [{"name": "*", "permissions": front}]}),
        spec(&objs, "ServiceIntentions", "frontend"),
    );
    assert_json(
        json!({"destination": {"name": "*"}, "sources": [{"name": "*", "action": "deny"}]}),
        spec(&objs, "ServiceIntentions", "default"),
    );
}

#[test]
fn identity_must_follow_the_consul_k8s_rule() {
    let got = refused(
        r#"
services:
- name: api
  namespace: n
  ports: [{number: 80, protocol: http}]
- name: web
  namespace: n
  serviceAccount: web-sa
  ports: [{number: 80, protocol: http}]
security:
  authorization:
  - name: a
    scope: {service: {name: api, namespace: n}}
    rules: [{from: [{identity: {namespace: n, serviceAccount: web-sa}}]}]
"#,
    );
    assert_eq!(
        got,
        vec![(
            Feature::AuthzAllow,
            "security.authorization[0].rules[0].from[0].identity".to_owned()
        )]
    );
}

#[test]
fn mtls_modes() {
    let objs = lower(
        r#"
services:
- name: legacy
  namespace: n
  ports: [{number: 80, protocol: http}]
security:
  mtls:
    mode: strict
    overrides:
    - scope: {service: {name: legacy, namespace: n}}
      mode: permissive
"#,
    );
    assert_eq!(
        spec(&objs, "ServiceDefaults", "legacy")["mutualTLSMode"],
        json!("permissive")
    );
    assert_json(
        json!({"transparentProxy": {"meshDestinationsOnly": true}, "allowEnablingPermissiveMutualTLS": true}),
        spec(&objs, "Mesh", "mesh"),
    );
}

const INGRESS: &str = r#"
services:
- name: app
  namespace: prod
  ports: [{number: 8080, protocol: http}]
  versions: [{name: v1}, {name: v2}]
ingress:
- name: api
  namespace: prod
  hosts: [api.example.com]
  listeners:
  - {port: 443, protocol: https, tls: {mode: terminate, credential: api-tls}}
  routes:
  - match: [{path: {prefix: /v2}}]
    forward:
      backends: [{service: app, version: v2, weight: 10}, {service: app, version: v1, weight: 90}]
      timeout: 10s
  - forward: {backends: [{service: app}]}
"#;

#[test]
fn ingress_through_the_api_gateway() {
    let objs = lower(INGRESS);
    assert_json(
        json!({"gatewayClassName": "consul", "listeners": [{
            "name": "https-443", "port": 443, "protocol": "HTTPS",
            "tls": {"mode": "Terminate", "certificateRefs": [{"name": "api-tls"}]},
        }]}),
        spec(&objs, "Gateway", "api"),
    );
    let route = spec(&objs, "HTTPRoute", "api");
    assert_json(json!(["api.example.com"]), route["hostnames"].clone());
    assert_json(
        json!([
            {"group": "consul.hashicorp.com", "kind": "MeshService", "name": "app-v2", "weight": 10},
            {"group": "consul.hashicorp.com", "kind": "MeshService", "name": "app-v1", "weight": 90},
        ]),
        route["rules"][0]["backendRefs"].clone(),
    );
    assert_json(
        json!([{"name": "app", "port": 8080, "weight": 1}]),
        route["rules"][1]["backendRefs"].clone(),
    );
    assert_json(
        json!({"redirect": {"service": "app", "serviceSubset": "v2"}}),
        spec(&objs, "ServiceResolver", "app-v2"),
    );
    assert_json(
        json!({"requestTimeout": "10s"}),
        spec(&objs, "RouteTimeoutFilter", "api-route-0"),
    );
    assert!(has(&objs, "MeshService", "app-v1"));
}

#[test]
fn ingress_order_that_precedence_could_reverse_is_refused() {
    let got = refused(
        r#"
services:
- name: app
  namespace: prod
  ports: [{number: 80, protocol: http}]
ingress:
- name: api
  namespace: prod
  hosts: [api.example.com]
  listeners: [{port: 80, protocol: http}]
  routes:
  - match: [{path: {prefix: /api}}]
    forward: {backends: [{service: app}]}
  - match: [{path: {exact: /api/v2}}]
    forward: {backends: [{service: app}]}
"#,
    );
    assert_eq!(
        got,
        vec![(Feature::Ingress, "ingress[0].routes[1]".to_owned())]
    );
}

#[test]
fn ingress_gateway_flavor_routes_through_a_virtual_service() {
    let policy = INGRESS.replace(
        "{port: 443, protocol: https, tls: {mode: terminate, credential: api-tls}}",
        "{port: 8080, protocol: http}",
    );
    let objs = lower_with(
        Options {
            ingress: IngressFlavor::IngressGateway,
            ..Options::default()
        },
        &policy,
    )
    .expect("lowers");
    assert_json(
        json!({"listeners": [{"port": 8080, "protocol": "http", "services": [
            {"name": "api-routes", "hosts": ["api.example.com"]}
        ]}]}),
        spec(&objs, "IngressGateway", "api"),
    );
    let router = spec(&objs, "ServiceRouter", "api-routes");
    assert_eq!(
        router["routes"][1]["destination"],
        json!({"service": "api-routes-route-0", "requestTimeout": "10s"})
    );
}

#[test]
fn egress_destinations_and_namespaces() {
    let objs = lower(
        r#"
services:
- name: app
  namespace: prod
  ports: [{number: 80, protocol: http}]
namespaces:
- {name: legacy, inject: false}
egress:
  services:
  - name: payments
    namespace: prod
    hosts: [api.payments.example]
    ports: [{number: 443, protocol: https}]
observability:
  accessLogs: {format: json}
"#,
    );
    assert_json(
        json!({"protocol": "tcp", "destination": {"addresses": ["api.payments.example"], "port": 443}}),
        spec(&objs, "ServiceDefaults", "payments"),
    );
    assert_json(
        json!({"services": [{"name": "payments"}]}),
        spec(&objs, "TerminatingGateway", "terminating-gateway"),
    );
    assert_json(
        json!({"enabled": true, "type": "stdout"}),
        spec(&objs, "ProxyDefaults", "global")["accessLogs"].clone(),
    );
    let label = |name: &str| {
        objs.iter()
            .find(|o| o["kind"] == "Namespace" && o["metadata"]["name"] == name)
            .expect("namespace")["metadata"]["labels"]["consul.hashicorp.com/connect-inject"]
            .clone()
    };
    assert_eq!(label("prod"), json!("true"));
    assert_eq!(label("legacy"), json!("false"));
}

mod tracing {
    use super::*;

    fn scenario(file: &str) -> Mesh {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/scenarios")
            .join(file);
        Mesh::from_policy(&std::fs::read_to_string(path).expect("scenario")).expect("valid")
    }

    /// Lowers `mesh`; the errors as (feature, path).
    fn lower_mesh(mesh: &Mesh) -> Result<Vec<Value>, Vec<(Feature, String)>> {
        match ConsulBackend::default().lower(mesh) {
            Ok(out) => Ok(out
                .manifests
                .into_vec()
                .iter()
                .map(|o| serde_json::to_value(o).expect("json"))
                .collect()),
            Err(e) => Err(e
                .iter()
                .map(|e| match e {
                    LowerError::Unsupported { feature, path, .. } => (*feature, path.to_string()),
                    other => panic!("unexpected error {other}"),
                })
                .collect()),
        }
    }

    /// The tracing keys of ProxyDefaults `global` `config`, each JSON
    /// string parsed back into a value.
    fn tracing_config(objs: &[Value]) -> Value {
        let config = spec(objs, "ProxyDefaults", "global")["config"].clone();
        let mut out = serde_json::Map::new();
        for key in [
            "envoy_tracing_json",
            "envoy_extra_static_clusters_json",
            "envoy_listener_tracing_json",
        ] {
            let text = config[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} is not a string: {config:#}"));
            out.insert(
                key.to_owned(),
                serde_json::from_str(text).expect("valid JSON"),
            );
        }
        Value::Object(out)
    }

    const ZIPKIN_TRACER: &str = "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig";
    const HCM_TRACING: &str = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing";

    fn zipkin_expectation(host: &str, port: u16, sampling: f64) -> Value {
        let provider = json!({
            "name": "envoy.tracers.zipkin",
            "typed_config": {
                "@type": ZIPKIN_TRACER,
                "collector_cluster": "tracing-collector",
                "collector_endpoint": "/api/v2/spans",
                "collector_endpoint_version": "HTTP_JSON",
            },
        });
        json!({
            "envoy_tracing_json": {"http": provider},
            "envoy_extra_static_clusters_json": {
                "name": "tracing-collector",
                "type": "STRICT_DNS",
                "connect_timeout": "1s",
                "load_assignment": {
                    "cluster_name": "tracing-collector",
                    "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {
                        "socket_address": {"address": host, "port_value": port},
                    }}}]}],
                },
            },
            "envoy_listener_tracing_json": {
                "@type": HCM_TRACING,
                "random_sampling": {"value": sampling},
                "provider": provider,
            },
        })
    }

    /// S16: Zipkin at zipkin.istio-system:9411, 100%. The scenario's
    /// add-ons (Jaeger, Kiali, Grafana: none ships with the Consul chart)
    /// are refused (Installation), tracing is not.
    #[test]
    fn s16_zipkin() {
        let mut mesh = scenario("S16-tracing-zipkin-addons.yaml");
        assert_eq!(
            lower_mesh(&mesh).expect_err("add-ons are refused"),
            (0..3)
                .map(|i| (Feature::Installation, format!("observability.addons[{i}]")))
                .collect::<Vec<_>>()
        );
        mesh.observability.addons.clear();
        let objs = lower_mesh(&mesh).expect("tracing lowers");
        assert_json(
            zipkin_expectation("zipkin.istio-system", 9411, 100.0),
            tracing_config(&objs),
        );
        // Tracing alone sets no other ProxyDefaults field.
        let global = spec(&objs, "ProxyDefaults", "global");
        assert_eq!(
            global.as_object().map(|m| m.keys().collect::<Vec<_>>()),
            Some(vec![&"config".to_owned()])
        );
    }

    /// S29: the Jaeger collector's Zipkin endpoint
    /// (jaeger-collector.observability:9411) at 100%, with text access
    /// logs; the installation becomes the chart's values (server
    /// resources, the API gateway class as a LoadBalancer with the
    /// gateway's requests).
    #[test]
    fn s29_jaeger_collector_via_zipkin() {
        let mesh = scenario("S29-production-install-istio.yaml");
        let out = ConsulBackend::default().lower(&mesh).expect("lowers");
        assert_eq!(out.install.len(), 1);
        let values: Value = serde_yaml::from_str(&out.install[0].to_yaml().unwrap()).unwrap();
        assert_eq!(
            values["server"],
            json!({"resources": {"requests": {"memory": "2Gi", "cpu": "500m"}, "limits": {"memory": "4Gi", "cpu": "2000m"}}})
        );
        assert_eq!(
            values["connectInject"]["apiGateway"],
            json!({"managedGatewayClass": {"serviceType": "LoadBalancer", "resources": {"requests": {"memory": "256Mi", "cpu": "200m"}}}})
        );
        let objs = lower_mesh(&mesh).expect("tracing lowers");
        assert_json(
            zipkin_expectation("jaeger-collector.observability", 9411, 100.0),
            tracing_config(&objs),
        );
        let global = spec(&objs, "ProxyDefaults", "global");
        assert_eq!(global["accessLogs"]["enabled"], json!(true));
        assert_eq!(global["accessLogs"]["type"], json!("stdout"));
    }

    /// The Jaeger provider becomes the same Zipkin tracer, with a Note.
    #[test]
    fn jaeger_provider_is_zipkin_with_a_note() {
        let mesh = Mesh::from_policy(
            "observability:\n  tracing: {provider: jaeger, host: jaeger-collector.observability, port: 9411, sampling: 5}\n",
        )
        .expect("valid");
        let out = ConsulBackend::default().lower(&mesh).expect("lowers");
        assert!(
            out.notes.iter().any(|n| n.feature == Feature::Tracing
                && n.path.to_string() == "observability.tracing.provider"
                && n.message.contains("Zipkin")),
            "{:#?}",
            out.notes
        );
        let objs: Vec<Value> = out
            .manifests
            .into_vec()
            .iter()
            .map(|o| serde_json::to_value(o).expect("json"))
            .collect();
        assert_json(
            zipkin_expectation("jaeger-collector.observability", 9411, 5.0),
            tracing_config(&objs),
        );
    }

    /// OpenTelemetry: the OTLP/gRPC tracer, an HTTP/2 cluster, and the
    /// model's default 1% sampling written explicitly (Consul's is 0%).
    /// The other ProxyDefaults `config` keys are kept.
    #[test]
    fn opentelemetry_grpc_and_default_sampling() {
        let objs = lower(
            r#"
services:
- name: web
  namespace: prod
  ports: [{number: 80, protocol: http}]
observability:
  tracing: {provider: openTelemetry, host: otel-collector.observability, port: 4317}
"#,
        );
        let provider = json!({
            "name": "envoy.tracers.opentelemetry",
            "typed_config": {
                "@type": "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig",
                "grpc_service": {"envoy_grpc": {"cluster_name": "tracing-collector"}},
            },
        });
        assert_json(
            json!({
                "envoy_tracing_json": {"http": provider},
                "envoy_extra_static_clusters_json": {
                    "name": "tracing-collector",
                    "type": "STRICT_DNS",
                    "connect_timeout": "1s",
                    "load_assignment": {
                        "cluster_name": "tracing-collector",
                        "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {
                            "socket_address": {"address": "otel-collector.observability", "port_value": 4317},
                        }}}]}],
                    },
                    "typed_extension_protocol_options": {
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                            "explicit_http_config": {"http2_protocol_options": {}},
                        },
                    },
                },
                "envoy_listener_tracing_json": {
                    "@type": HCM_TRACING,
                    "random_sampling": {"value": 1.0},
                    "provider": provider,
                },
            }),
            tracing_config(&objs),
        );
        let config = spec(&objs, "ProxyDefaults", "global")["config"].clone();
        assert_eq!(config["local_request_timeout_ms"], json!(0));
        assert_eq!(config.as_object().map(|m| m.len()), Some(4), "{config:#}");
    }

    /// A wildcard collector host is refused at its path.
    #[test]
    fn wildcard_host_is_refused() {
        assert_eq!(
            refused(
                "observability:\n  tracing: {provider: zipkin, host: '*.example.com', port: 9411}\n"
            ),
            vec![(Feature::Tracing, "observability.tracing.host".to_owned())]
        );
    }
}

mod weights {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Random relative weights (those validation accepts) become
        /// splitter percentages that sum to exactly 100 in 0.01 steps,
        /// and no non-zero weight is lost.
        #[test]
        fn splitter_weights_sum_to_exactly_100(weights in prop::collection::vec(0u32..=1000, 2..7)) {
            let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
            prop_assume!(total > 0);
            prop_assume!(weights.iter().all(|w| *w == 0 || u64::from(*w) * 20_000 >= total));
            let versions: Vec<String> = (0..weights.len()).map(|i| format!("{{name: v{i}}}")).collect();
            let backends: Vec<String> = weights
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{{version: v{i}, weight: {w}}}"))
                .collect();
            let policy = format!(
                "services:\n- name: s\n  namespace: n\n  ports: [{{number: 80, protocol: http}}]\n  versions: [{}]\n  routes:\n  - name: split\n    forward: {{backends: [{}]}}\n",
                versions.join(", "),
                backends.join(", ")
            );
            let objs = lower(&policy);
            let splits = spec(&objs, "ServiceSplitter", "s-split")["splits"].clone();
            let splits = splits.as_array().expect("splits");
            prop_assert_eq!(splits.len(), weights.len());
            let mut sum = 0i64;
            for (s, w) in splits.iter().zip(&weights) {
                let pct = s["weight"].as_f64().expect("weight");
                let hundredths = (pct * 100.0).round();
                prop_assert!((pct * 100.0 - hundredths).abs() < 1e-6, "not a 0.01 step: {}", pct);
                #[allow(clippy::cast_possible_truncation)]
                let h = hundredths as i64;
                sum += h;
                if *w > 0 {
                    prop_assert!(h > 0, "weight {} lost", w);
                } else {
                    prop_assert_eq!(h, 0);
                }
            }
            prop_assert_eq!(sum, 10_000);
        }
    }
}

/// The objects the table tests build pass the CRD schemas and CEL rules
/// (one crd-validate batch).
#[test]
fn table_outputs_validate() {
    let mut batch = String::new();
    for (options, policy) in [
        (Options::default(), REVIEWS.to_owned()),
        (Options::default(), INGRESS.to_owned()),
        (
            Options::default(),
            "observability:\n  tracing: {provider: openTelemetry, host: otel-collector.observability, port: 4317, sampling: 10}\n  accessLogs: {format: text}\n".to_owned(),
        ),
        (
            Options {
                ingress: IngressFlavor::IngressGateway,
                ..Options::default()
            },
            INGRESS.replace(
                "{port: 443, protocol: https, tls: {mode: terminate, credential: api-tls}}",
                "{port: 8080, protocol: http}",
            ),
        ),
    ] {
        let mesh = Mesh::from_policy(&policy).expect("valid");
        let out = (ConsulBackend { options }).lower(&mesh).expect("lowers");
        if !batch.is_empty() {
            batch.push_str("---\n");
        }
        batch.push_str(&out.manifests.to_yaml().expect("yaml"));
    }
    match mesh_k8s::testing::crd_validate(&batch) {
        Ok(report) => assert!(report.passed, "{}", report.output),
        Err(why) => {
            assert!(!mesh_k8s::testing::in_ci(), "{why}");
            eprintln!("skipping crd-validate: {why}");
        }
    }
}
