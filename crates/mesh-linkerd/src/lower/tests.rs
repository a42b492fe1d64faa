//! Table tests: the seeds' Linkerd examples (corrected) and each area's
//! lowering, with hand-written expectations compared as JSON.

use mesh_k8s::Manifest;
use mesh_k8s::lowering::Lowered;
use mesh_model::{Backend, Feature, LowerError, Mesh};
use serde_json::{Value, json};

use super::*;

fn mesh(yaml: &str) -> Mesh {
    Mesh::from_policy(yaml).unwrap()
}

fn lower_with(options: Options, yaml: &str) -> Lowered<LinkerdObject, LinkerdInstall> {
    LinkerdBackend { options }
        .lower(&mesh(yaml))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn lower(yaml: &str) -> Lowered<LinkerdObject, LinkerdInstall> {
    lower_with(Options::default(), yaml)
}

/// Every object as JSON, without the stamped managed-by label.
fn objects(l: &mut Lowered<LinkerdObject, LinkerdInstall>) -> Vec<Value> {
    l.manifests
        .iter()
        .map(|o| {
            let mut v = serde_json::to_value(o).unwrap();
            if let Some(m) = v["metadata"].as_object_mut() {
                m.remove("labels");
            }
            v
        })
        .collect()
}

fn find<'a>(objs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objs.iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| {
            let have: Vec<String> = objs
                .iter()
                .map(|o| format!("{} {}", o["kind"], o["metadata"]["name"]))
                .collect();
            panic!("no {kind} {name}; have {have:?}")
        })
}

fn kinds(objs: &[Value]) -> Vec<String> {
    objs.iter()
        .map(|o| {
            format!(
                "{}/{}",
                o["kind"].as_str().unwrap(),
                o["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect()
}

fn refused(options: Options, yaml: &str) -> Vec<(Feature, String)> {
    let errors = LinkerdBackend { options }.lower(&mesh(yaml)).unwrap_err();
    errors
        .iter()
        .map(|e| match e {
            LowerError::Unsupported {
                feature,
                path,
                hint,
                ..
            } => {
                assert!(!hint.is_empty());
                (*feature, path.to_string())
            }
            other => panic!("not Unsupported: {other}"),
        })
        .collect()
}

const ALLOW: &str = "security: {defaultAction: allow}\n";

#[test]
fn capability_table_is_complete() {
    assert!(CAPABILITIES.missing().is_empty());
}

#[test]
fn s10_web_svc_split_as_gateway_api_route() {
    let yaml = format!(
        "{ALLOW}services:
- name: web-svc
  namespace: default
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1, labels: {{version: v1}}}}, {{name: v2, labels: {{version: v2}}}}]
  routes:
  - name: split
    forward: {{backends: [{{version: v1, weight: 500}}, {{version: v2, weight: 500}}]}}
"
    );
    let mut l = lower(&yaml);
    let objs = objects(&mut l);
    assert_eq!(
        kinds(&objs),
        [
            "Namespace/default",
            "Service/web-svc",
            "Service/web-svc-v1",
            "Service/web-svc-v2",
            "EgressNetwork/meshwright-egress",
            "HTTPRoute/web-svc"
        ]
    );
    assert_eq!(
        find(&objs, "Namespace", "default")["metadata"]["annotations"],
        json!({"linkerd.io/inject": "enabled", "config.linkerd.io/default-inbound-policy": "all-authenticated"})
    );
    assert_eq!(
        find(&objs, "Service", "web-svc-v2"),
        &json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web-svc-v2", "namespace": "default"},
            "spec": {
                "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 80}],
                "selector": {"app": "web-svc", "version": "v2"}
            }
        })
    );
    assert_eq!(
        find(&objs, "HTTPRoute", "web-svc"),
        &json!({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "web-svc", "namespace": "default"},
            "spec": {
                "parentRefs": [{"group": "", "kind": "Service", "name": "web-svc", "port": 80}],
                "rules": [{"backendRefs": [
                    {"name": "web-svc-v1", "port": 80, "weight": 500},
                    {"name": "web-svc-v2", "port": 80, "weight": 500}
                ]}]
            }
        })
    );
}

#[test]
fn s10_s35_smi_flavor_keeps_relative_weights() {
    let opts = Options {
        routing: RoutingFlavor::SmiTrafficSplit,
        ..Options::default()
    };
    let yaml = format!(
        "{ALLOW}services:
- name: api-service
  namespace: production
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}, {{name: v2}}]
  routes:
  - name: api-rollout
    forward: {{backends: [{{version: v1, weight: 900}}, {{version: v2, weight: 100}}]}}
"
    );
    let mut l = lower_with(opts.clone(), &yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "TrafficSplit", "api-service"),
        &json!({
            "apiVersion": "split.smi-spec.io/v1alpha2", "kind": "TrafficSplit",
            "metadata": {"name": "api-service", "namespace": "production"},
            "spec": {"service": "api-service", "backends": [
                {"service": "api-service-v1", "weight": 900},
                {"service": "api-service-v2", "weight": 100}
            ]}
        })
    );
    assert!(!kinds(&objs).iter().any(|k| k.starts_with("HTTPRoute")));
    // Matches cannot be said with SMI.
    let header = format!(
        "{ALLOW}services:
- name: a
  namespace: d
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}, {{name: v2}}]
  routes:
  - match: [{{headers: {{x: {{exact: y}}}}}}]
    forward: {{backends: [{{version: v2}}]}}
  - forward: {{backends: [{{version: v1}}]}}
"
    );
    assert_eq!(
        refused(opts, &header),
        [(Feature::WeightedSplit, "services[0].routes".to_owned())]
    );
}

#[test]
fn s04_header_route_then_split_and_unmatched() {
    let yaml = format!(
        "{ALLOW}services:
- name: reviews
  namespace: default
  ports: [{{number: 9080, protocol: http}}]
  versions: [{{name: v1}}, {{name: v2}}]
  unmatched: {{version: v1}}
  routes:
  - name: jason
    match: [{{headers: {{end-user: {{exact: jason}}}}}}, {{headers: {{end-user: {{prefix: jas}}}}, method: GET}}]
    forward: {{backends: [{{version: v2}}]}}
"
    );
    let mut l = lower(&yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "HTTPRoute", "reviews")["spec"]["rules"],
        json!([
            {"matches": [
                {"headers": [{"name": "end-user", "value": "jason"}]},
                {"headers": [{"name": "end-user", "type": "RegularExpression", "value": "jas.*"}], "method": "GET"}
            ],
             "backendRefs": [{"name": "reviews-v2", "port": 9080}]},
            {"backendRefs": [{"name": "reviews-v1", "port": 9080}]}
        ])
    );
    let notes: Vec<String> = l.notes.iter().map(|n| n.path.to_string()).collect();
    assert!(
        notes.contains(&"services[0].unmatched".to_owned()),
        "{notes:?}"
    );
    assert!(
        notes.contains(&"services[0].routes[0].match[1].headers[end-user]".to_owned()),
        "{notes:?}"
    );
}

#[test]
fn precedence_trap_is_rewritten_and_conflicts_refused() {
    // An earlier broad prefix rule followed by a narrower one: the narrow
    // one never matches under first-match; Gateway API would pick it.
    let trap = format!(
        "{ALLOW}services:
- name: app
  namespace: default
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}, {{name: v2}}]
  routes:
  - name: api
    match: [{{path: {{prefix: /api}}}}]
    forward: {{backends: [{{version: v1}}]}}
  - name: api-v2
    match: [{{path: {{prefix: /api/v2}}}}]
    forward: {{backends: [{{version: v2}}]}}
"
    );
    let mut l = lower(&trap);
    let objs = objects(&mut l);
    let rules = &find(&objs, "HTTPRoute", "app")["spec"]["rules"];
    assert_eq!(
        rules,
        &json!([
            {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
             "backendRefs": [{"name": "app-v1", "port": 80}]},
            {"backendRefs": [{"name": "app", "port": 80}]}
        ])
    );
    assert!(
        l.notes
            .iter()
            .any(|n| n.path.as_str() == "services[0].routes[1].match[0]")
    );
    // A method-only route before a longer path: Gateway API ranks the path
    // first, first-match the method: refused, naming both routes.
    let conflict = format!(
        "{ALLOW}services:
- name: app
  namespace: default
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}, {{name: v2}}]
  routes:
  - name: gets
    match: [{{method: GET}}]
    forward: {{backends: [{{version: v1}}]}}
  - name: api
    match: [{{path: {{prefix: /api}}}}]
    forward: {{backends: [{{version: v2}}]}}
"
    );
    let errors = LinkerdBackend::default()
        .lower(&mesh(&conflict))
        .unwrap_err();
    let text = errors.to_string();
    assert!(
        text.contains("services[0].routes[0] (gets)")
            && text.contains("services[0].routes[1] (api)"),
        "{text}"
    );
    assert_eq!(
        refused(Options::default(), &conflict),
        [(Feature::PathPrefix, "services[0].routes[1]".to_owned())]
    );
}

#[test]
fn s02_retries_and_timeouts_as_annotations() {
    let yaml = format!(
        "{ALLOW}services:
- name: app
  namespace: default
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}]
  resilience:
    retries: {{attempts: 3, perTryTimeout: 500ms}}
    timeout: 5s
  routes:
  - name: slow
    match: [{{path: {{prefix: /slow}}}}]
    forward: {{backends: [{{}}], timeout: 30s}}
  - name: retried
    match: [{{path: {{prefix: /r}}}}]
    forward:
      backends: [{{version: v1}}]
      retries: {{attempts: 2, on: [5xx, gateway-error, 429]}}
"
    );
    let mut l = lower(&yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "Service", "app")["metadata"]["annotations"],
        json!({
            "retry.linkerd.io/http": "503",
            "retry.linkerd.io/limit": "3",
            "retry.linkerd.io/timeout": "500ms",
            "timeout.linkerd.io/request": "5s"
        })
    );
    // Route-level settings override all of the Service's of their kind, so
    // every route object carries its merged settings; routes with
    // different settings are different objects.
    assert_eq!(
        find(&objs, "HTTPRoute", "app-slow")["metadata"]["annotations"],
        json!({
            "retry.linkerd.io/http": "503",
            "retry.linkerd.io/limit": "3",
            "retry.linkerd.io/timeout": "500ms",
            "timeout.linkerd.io/request": "30s"
        })
    );
    assert_eq!(
        find(&objs, "HTTPRoute", "app-retried")["metadata"]["annotations"],
        json!({
            "retry.linkerd.io/http": "5xx,gateway-error,429",
            "retry.linkerd.io/limit": "2",
            "timeout.linkerd.io/request": "5s"
        })
    );
    assert_eq!(
        find(&objs, "HTTPRoute", "app-unmatched")["spec"]["rules"],
        json!([{"backendRefs": [{"name": "app", "port": 80}]}])
    );
}

#[test]
fn s11_service_profile_flavor() {
    let opts = Options {
        resilience: ResilienceFlavor::ServiceProfile,
        ..Options::default()
    };
    let yaml = format!(
        "{ALLOW}services:
- name: webapp
  namespace: default
  ports: [{{number: 80, protocol: http}}]
  routes:
  - name: get-root
    match: [{{method: GET, path: {{exact: /}}}}]
    forward: {{backends: [{{}}]}}
  - name: post-api
    match: [{{method: POST, path: {{exact: /api}}}}]
    forward: {{backends: [{{}}], timeout: 30s}}
  resilience:
    retryBudget: {{percent: 20, minPerSecond: 10, ttl: 10s}}
"
    );
    let mut l = lower_with(opts.clone(), &yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "ServiceProfile", "webapp.default.svc.cluster.local"),
        &json!({
            "apiVersion": "linkerd.io/v1alpha2", "kind": "ServiceProfile",
            "metadata": {"name": "webapp.default.svc.cluster.local", "namespace": "default"},
            "spec": {
                "routes": [
                    {"name": "get-root", "condition": {"all": [{"pathRegex": "/"}, {"method": "GET"}]}},
                    {"name": "post-api", "condition": {"all": [{"pathRegex": "/api"}, {"method": "POST"}]}, "timeout": "30s"}
                ],
                "retryBudget": {"retryRatio": 0.2, "minRetriesPerSecond": 10, "ttl": "10s"}
            }
        })
    );
    // Never both: no annotations, no HTTPRoute.
    assert!(find(&objs, "Service", "webapp")["metadata"]["annotations"].is_null());
    assert!(!kinds(&objs).iter().any(|k| k.starts_with("HTTPRoute")));
    // The default flavor refuses the budget.
    assert_eq!(
        refused(Options::default(), &yaml),
        [(
            Feature::RetryBudget,
            "services[0].resilience.retryBudget".to_owned()
        )]
    );
}

#[test]
fn s07_s34_failure_accrual() {
    let yaml = format!(
        "{ALLOW}services:
- name: api-service
  namespace: production
  ports: [{{number: 80, protocol: http}}]
  resilience:
    outlierDetection: {{consecutive5xx: 5, interval: 30s, baseEjectionTime: 30s, maxEjectionPercent: 100}}
"
    );
    let mut l = lower(&yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "Service", "api-service")["metadata"]["annotations"],
        json!({
            "balancer.linkerd.io/failure-accrual": "consecutive",
            "balancer.linkerd.io/failure-accrual-consecutive-max-failures": "5",
            "balancer.linkerd.io/failure-accrual-consecutive-min-penalty": "30s",
            "balancer.linkerd.io/failure-accrual-consecutive-max-penalty": "300s",
            "balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio": "0"
        })
    );
}

#[test]
fn s33_server_and_authorization() {
    let yaml = "services:
- name: test-app
  namespace: default
  ports: [{number: 80, protocol: http, targetPort: 8080}]
identities:
- {namespace: production, serviceAccount: default}
security:
  authorization:
  - name: test-app-authz
    scope: {service: {name: test-app, namespace: default}}
    rules:
    - from:
      - identity: {namespace: production, serviceAccount: default}
      - ipBlock: 10.0.0.0/8
      to:
      - ports: [80]
";
    let mut l = lower(yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "Server", "test-app-http"),
        &json!({
            "apiVersion": "policy.linkerd.io/v1beta3", "kind": "Server",
            "metadata": {"name": "test-app-http", "namespace": "default"},
            "spec": {"accessPolicy": "deny", "podSelector": {"matchLabels": {"app": "test-app"}}, "port": 8080}
        })
    );
    assert_eq!(
        find(&objs, "MeshTLSAuthentication", "test-app-authz-0")["spec"],
        json!({"identities": ["default.production.serviceaccount.identity.linkerd.cluster.local"]})
    );
    assert_eq!(
        find(
            &objs,
            "AuthorizationPolicy",
            "test-app-http-test-app-authz-0-mtls"
        )["spec"],
        json!({
            "targetRef": {"group": "policy.linkerd.io", "kind": "Server", "name": "test-app-http"},
            "requiredAuthenticationRefs": [{"group": "policy.linkerd.io", "kind": "MeshTLSAuthentication", "name": "test-app-authz-0"}]
        })
    );
    // IP blocks under strict mTLS: the network AND an mTLS identity.
    assert_eq!(
        find(
            &objs,
            "AuthorizationPolicy",
            "test-app-http-test-app-authz-0-net"
        )["spec"]["requiredAuthenticationRefs"],
        json!([
            {"group": "policy.linkerd.io", "kind": "NetworkAuthentication", "name": "test-app-authz-0"},
            {"group": "policy.linkerd.io", "kind": "MeshTLSAuthentication", "name": "meshwright-authenticated"}
        ])
    );
    assert_eq!(
        find(&objs, "Namespace", "default")["metadata"]["annotations"]["config.linkerd.io/default-inbound-policy"],
        "deny"
    );
}

#[test]
fn s25_server_policy_corrected_to_per_route_authorization() {
    let yaml = "services:
- name: app-service
  namespace: production
  ports: [{number: 80, protocol: http}]
security:
  authorization:
  - name: app-server-policy
    scope: {service: {name: app-service, namespace: production}}
    rules:
    - to:
      - methods: [GET]
        paths: [{regex: /health.*}]
  - name: ops
    scope: {namespace: production}
    rules:
    - from: [{namespace: ops}]
";
    let mut l = lower(yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "HTTPRoute", "app-service-http-app-server-policy-0")["spec"],
        json!({
            "parentRefs": [{"group": "policy.linkerd.io", "kind": "Server", "name": "app-service-http"}],
            "rules": [{"matches": [{"path": {"type": "RegularExpression", "value": "/health.*"}, "method": "GET"}]}]
        })
    );
    assert_eq!(
        find(
            &objs,
            "AuthorizationPolicy",
            "app-service-http-app-server-policy-0-any"
        )["spec"]["targetRef"],
        json!({"group": "policy.linkerd.io", "kind": "HTTPRoute", "name": "app-service-http-app-server-policy-0"})
    );
    // The Server-level rule (namespace ops) keeps working for every path:
    // a catch-all route on the Server.
    assert_eq!(
        find(&objs, "HTTPRoute", "app-service-http-all")["spec"]["rules"],
        json!([{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}])
    );
    assert_eq!(
        find(&objs, "MeshTLSAuthentication", "ops-0")["spec"],
        json!({"identities": ["*.ops.serviceaccount.identity.linkerd.cluster.local"]})
    );
}

#[test]
fn overlapping_l7_rules_of_different_clients_are_refused() {
    let yaml = "services:
- name: a
  namespace: d
  ports: [{number: 80, protocol: http}]
identities: [{namespace: d, serviceAccount: x}, {namespace: d, serviceAccount: y}]
security:
  authorization:
  - name: p
    scope: {service: {name: a, namespace: d}}
    rules:
    - from: [{identity: {namespace: d, serviceAccount: x}}]
      to: [{paths: [{prefix: /api}]}]
    - from: [{identity: {namespace: d, serviceAccount: y}}]
      to: [{methods: [GET]}]
";
    assert_eq!(
        refused(Options::default(), yaml),
        [(
            Feature::AuthzL7,
            "security.authorization[0].rules[1]".to_owned()
        )]
    );
}

#[test]
fn rate_limit_whole_rps_only() {
    let ok = format!(
        "{ALLOW}identities: [{{namespace: d, serviceAccount: batch}}]
services:
- name: a
  namespace: d
  ports: [{{number: 80, protocol: http}}]
  resilience:
    rateLimit:
      requests: 120
      per: 60s
      perIdentity: 60
      overrides: [{{clients: [{{namespace: d, serviceAccount: batch}}], requests: 60}}]
"
    );
    let mut l = lower(&ok);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "HTTPLocalRateLimitPolicy", "a")["spec"],
        json!({
            "targetRef": {"group": "policy.linkerd.io", "kind": "Server", "name": "a-http"},
            "total": {"requestsPerSecond": 2},
            "identity": {"requestsPerSecond": 1},
            "overrides": [{"requestsPerSecond": 1, "clientRefs": [{"kind": "ServiceAccount", "name": "batch", "namespace": "d"}]}]
        })
    );
    // The Server keeps the traffic the model allows (default allow, strict).
    assert_eq!(
        find(&objs, "Server", "a-http")["spec"]["accessPolicy"],
        "all-authenticated"
    );
    let s15 = "services:
- name: productpage
  namespace: default
  ports: [{number: 9080, protocol: http}]
  resilience:
    rateLimit: {requests: 100, per: 60s}
";
    assert_eq!(
        refused(Options::default(), s15),
        [(
            Feature::RateLimit,
            "services[0].resilience.rateLimit.requests".to_owned()
        )]
    );
}

#[test]
fn mtls_modes() {
    let yaml = "namespaces: [{name: legacy}]
security:
  defaultAction: allow
  mtls:
    mode: strict
    overrides:
    - scope: {namespace: legacy}
      mode: permissive
    - scope: {workload: {namespace: legacy, labels: {app: old}}}
      ports: {8080: strict}
";
    let mut l = lower(yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "Namespace", "legacy")["metadata"]["annotations"]["config.linkerd.io/default-inbound-policy"],
        "all-unauthenticated"
    );
    assert_eq!(
        find(&objs, "Server", "mtls-override-1-8080")["spec"],
        json!({"accessPolicy": "all-authenticated", "podSelector": {"matchLabels": {"app": "old"}}, "port": 8080})
    );
    let disabled = "security: {mtls: {mode: disabled}}\nnamespaces: [{name: a}]\n";
    assert_eq!(
        refused(Options::default(), disabled),
        [(Feature::MtlsDisabled, "security.mtls.mode".to_owned())]
    );
}

#[test]
fn ingress_gateway_and_egress() {
    let yaml = "services:
- name: app-service
  namespace: production
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
ingress:
- name: app-gateway
  namespace: edge
  hosts: [api.company.com]
  listeners:
  - {port: 443, protocol: https, tls: {mode: terminate, credential: app-tls-secret}}
  - {port: 80, protocol: http, httpsRedirect: true}
  routes:
  - match: [{path: {prefix: /v2}}]
    forward:
      backends: [{service: app-service, namespace: production, version: v2, weight: 10}, {service: app-service, namespace: production, version: v1, weight: 90}]
      timeout: 30s
egress:
  services:
  - name: api
    namespace: production
    hosts: [api.example.com]
    ports: [{number: 80, protocol: http}]
";
    let opts = Options {
        gateway_class_name: "eg".to_owned(),
        ..Options::default()
    };
    let mut l = lower_with(opts, yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "Gateway", "app-gateway")["spec"],
        json!({
            "gatewayClassName": "eg",
            "listeners": [
                {"name": "https-443", "port": 443, "protocol": "HTTPS",
                 "tls": {"mode": "Terminate", "certificateRefs": [{"name": "app-tls-secret"}]}},
                {"name": "http-80", "port": 80, "protocol": "HTTP"}
            ]
        })
    );
    assert_eq!(
        find(&objs, "HTTPRoute", "app-gateway")["spec"],
        json!({
            "parentRefs": [{"name": "app-gateway", "sectionName": "https-443"}],
            "hostnames": ["api.company.com"],
            "rules": [{
                "matches": [{"path": {"type": "PathPrefix", "value": "/v2"}}],
                "backendRefs": [
                    {"name": "app-service-v2", "namespace": "production", "port": 80, "weight": 10},
                    {"name": "app-service-v1", "namespace": "production", "port": 80, "weight": 90}
                ],
                "timeouts": {"request": "30s"}
            }]
        })
    );
    assert_eq!(
        find(&objs, "HTTPRoute", "app-gateway-https-redirect")["spec"]["rules"],
        json!([{"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}])
    );
    assert_eq!(
        find(&objs, "ReferenceGrant", "meshwright-from-edge")["metadata"]["namespace"],
        "production"
    );
    let egress: Vec<&Value> = objs
        .iter()
        .filter(|o| o["metadata"]["name"] == "egress-api-80")
        .collect();
    assert_eq!(egress.len(), 2, "one per injected namespace");
    assert_eq!(
        egress[0]["spec"],
        json!({
            "parentRefs": [{"group": "policy.linkerd.io", "kind": "EgressNetwork", "name": "meshwright-egress", "port": 80}],
            "hostnames": ["api.example.com"],
            "rules": [{"backendRefs": [{"group": "policy.linkerd.io", "kind": "EgressNetwork", "name": "meshwright-egress", "port": 80}]}]
        })
    );
}

#[test]
fn policy_http_route_flavor() {
    let opts = Options {
        routing: RoutingFlavor::PolicyHttpRoute,
        ..Options::default()
    };
    let yaml = format!(
        "{ALLOW}services:
- name: a
  namespace: d
  ports: [{{number: 80, protocol: http}}]
  versions: [{{name: v1}}]
  routes:
  - match: [{{path: {{exact: /x}}}}]
    forward: {{backends: [{{version: v1}}]}}
    responseHeaders: {{set: {{x-mesh: linkerd}}}}
"
    );
    let mut l = lower_with(opts, &yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "HTTPRoute", "a"),
        &json!({
            "apiVersion": "policy.linkerd.io/v1beta3", "kind": "HTTPRoute",
            "metadata": {"name": "a", "namespace": "d"},
            "spec": {
                "parentRefs": [{"group": "core", "kind": "Service", "name": "a", "port": 80}],
                "rules": [
                    {"matches": [{"path": {"type": "Exact", "value": "/x"}}],
                     "backendRefs": [{"name": "a-v1", "port": 80, "filters": [
                        {"type": "ResponseHeaderModifier", "responseHeaderModifier": {"set": [{"name": "x-mesh", "value": "linkerd"}]}}
                     ]}]},
                    {"backendRefs": [{"name": "a", "port": 80}]}
                ]
            }
        })
    );
}

#[test]
fn refusals_name_the_field() {
    let yaml = "services:
- name: a
  namespace: d
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
  routes:
  - forward:
      backends: [{version: v1}]
      mirrors: [{version: v2}]
      rewrite: {host: b.example.com}
      fault: {delay: {delay: 1s}}
      retries: {attempts: 2, on: [reset], backoff: 10ms}
  resilience:
    loadBalancer: random
    connectionPool: {maxConnections: 1}
security:
  authorization:
  - name: deny-x
    scope: {service: {name: a, namespace: d}}
    action: deny
    rules: [{}]
";
    let mut got = refused(Options::default(), yaml);
    got.sort();
    let mut want = vec![
        (Feature::Mirror, "services[0].routes[0].forward.mirrors[0]"),
        (Feature::Rewrite, "services[0].routes[0].forward.rewrite"),
        (
            Feature::FaultDelay,
            "services[0].routes[0].forward.fault.delay",
        ),
        (
            Feature::Retries,
            "services[0].routes[0].forward.retries.on[0]",
        ),
        (
            Feature::Retries,
            "services[0].routes[0].forward.retries.backoff",
        ),
        (Feature::LoadBalancer, "services[0].resilience.loadBalancer"),
        (
            Feature::ConnectionPool,
            "services[0].resilience.connectionPool",
        ),
        (Feature::AuthzDeny, "security.authorization[0].action"),
    ]
    .into_iter()
    .map(|(f, p)| (f, p.to_owned()))
    .collect::<Vec<_>>();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn every_object_kind_validates() {
    // One batch through crd-validate with every flavor's objects.
    let shared = mesh_k8s::testing::require_shared();
    let yaml = "services:
- name: a
  namespace: d
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
  routes:
  - match: [{path: {exact: /x}, method: GET}]
    forward: {backends: [{version: v2}], timeout: 2s}
    requestHeaders: {set: {x-a: b}, remove: [x-c]}
  - match: [{path: {prefix: /old}}]
    redirect: {path: {prefix: /new}, status: 301}
  - forward: {backends: [{version: v1, weight: 3}, {version: v2, weight: 1}]}
  resilience:
    timeout: 10s
    rateLimit: {requests: 10, per: 1s}
    outlierDetection: {consecutive5xx: 3}
identities: [{namespace: d, serviceAccount: c}]
security:
  authorization:
  - name: p
    scope: {service: {name: a, namespace: d}}
    rules:
    - from: [{identity: {namespace: d, serviceAccount: c}}, {ipBlock: 10.0.0.0/8}]
      to: [{methods: [GET], paths: [{prefix: /x}]}]
      when: [{header: {name: x-v, values: [a, b]}}]
    - from: [{namespace: d}]
  - name: deny-lab
    scope: {namespace: d}
    action: deny
    rules: [{from: [{ipBlock: 10.1.0.0/16}]}]
ingress:
- name: gw
  namespace: d
  hosts: [a.example.com]
  listeners: [{port: 8443, protocol: tls, tls: {mode: passthrough}}, {port: 80, protocol: http}]
  routes:
  - forward: {backends: [{service: a, version: v1}]}
egress:
  services:
  - name: e
    namespace: d
    hosts: ['*.example.org']
    resolution: passthrough
    ports: [{number: 80, protocol: http}]
";
    let mut stream = String::new();
    for opts in [
        Options::default(),
        Options {
            routing: RoutingFlavor::PolicyHttpRoute,
            ..Options::default()
        },
    ] {
        let l = lower_with(opts, yaml);
        if !stream.is_empty() {
            stream.push_str("---\n");
        }
        stream.push_str(&l.manifests.to_yaml().unwrap());
        assert!(l.manifests.iter().all(|o| !o.kind().is_empty()));
    }
    match shared {
        Ok(_) => {
            let report = mesh_k8s::testing::crd_validate(&stream).unwrap();
            assert!(report.passed, "{}\n{stream}", report.output);
        }
        Err(why) if mesh_k8s::testing::in_ci() => panic!("{why}"),
        Err(why) => println!("skipping crd-validate: {why}"),
    }
}

#[test]
fn deny_by_ip_block_is_written_as_all_networks_except() {
    let yaml = "services:
- name: a
  namespace: d
  ports: [{number: 80, protocol: http}]
security:
  defaultAction: allow
  authorization:
  - name: no-lab
    scope: {namespace: d}
    action: deny
    rules: [{from: [{ipBlock: 10.1.0.0/16}, {ipBlock: 'fd00::/8'}]}]
";
    let mut l = lower(yaml);
    let objs = objects(&mut l);
    assert_eq!(
        find(&objs, "NetworkAuthentication", "a-not-denied")["spec"],
        json!({"networks": [
            {"cidr": "0.0.0.0/0", "except": ["10.1.0.0/16"]},
            {"cidr": "::/0", "except": ["fd00::/8"]}
        ]})
    );
    assert_eq!(
        find(&objs, "Server", "a-http")["spec"]["accessPolicy"],
        "deny"
    );
    assert_eq!(
        find(&objs, "AuthorizationPolicy", "a-http-default-allow")["spec"]["requiredAuthenticationRefs"],
        json!([
            {"group": "policy.linkerd.io", "kind": "MeshTLSAuthentication", "name": "meshwright-authenticated"},
            {"group": "policy.linkerd.io", "kind": "NetworkAuthentication", "name": "a-not-denied"}
        ])
    );
    // A deny by identity cannot be written.
    let by_identity = "services:
- name: a
  namespace: d
  ports: [{number: 80, protocol: http}]
security:
  defaultAction: allow
  authorization:
  - name: no-x
    scope: {service: {name: a, namespace: d}}
    action: deny
    rules: [{from: [{namespace: x}]}]
";
    assert_eq!(
        refused(Options::default(), by_identity),
        [(
            Feature::AuthzDeny,
            "security.authorization[0].action".to_owned()
        )]
    );
}
