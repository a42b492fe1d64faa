//! Table tests: each check with models that pass and models that fail, the
//! S38 pitfalls scenario, every other scenario, and the code table in the
//! docs.

use std::path::{Path, PathBuf};

use super::*;

/// `(code, path)` of each diagnostic of a valid policy.
fn found(policy: &str) -> Vec<(&'static str, String)> {
    let mesh =
        Mesh::from_policy(policy).unwrap_or_else(|e| panic!("invalid test policy: {e}\n{policy}"));
    mesh.analyze()
        .iter()
        .map(|d| (d.code.as_str(), d.location.to_string()))
        .collect()
}

/// A service `web` in `prod` with an HTTP port and `extra` (indented YAML
/// fields of the service), then `rest` (top-level YAML).
fn web(extra: &str, rest: &str) -> String {
    format!(
        "services:\n- name: web\n  namespace: prod\n  ports: [{{number: 80, protocol: http}}]\n{extra}\n{rest}"
    )
}

/// A case: name, policy, expected `(code, path)` list.
type Case<'a> = (&'a str, String, &'a [(&'a str, &'a str)]);

fn run_table(cases: &[Case<'_>]) {
    let mut failures = Vec::new();
    for (name, policy, want) in cases {
        let got = found(policy);
        let want: Vec<(&str, String)> = want.iter().map(|(c, p)| (*c, (*p).to_owned())).collect();
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_plain_model_has_no_diagnostics() {
    run_table(&[("baseline", web("", ""), &[])]);
}

#[test]
fn routing() {
    let versions = "  versions: [{name: v1}, {name: v2}, {name: v3}]\n";
    run_table(&[
        (
            "shadowed by a catch-all",
            web(
                "  routes:\n  - forward: {backends: [{}]}\n  - match: [{path: {prefix: /a}}]\n    respond: {status: 404}",
                "",
            ),
            &[("MW0101", "services[0].routes[1]")],
        ),
        (
            "shadowed by a covering prefix",
            web(
                "  routes:\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api/v2}, method: GET}]\n    respond: {status: 201}",
                "",
            ),
            &[("MW0101", "services[0].routes[1]")],
        ),
        (
            "shadowed by two routes together",
            web(
                "  routes:\n  - match: [{path: {exact: /a}}]\n    respond: {status: 200}\n  - match: [{method: GET}]\n    respond: {status: 201}\n  - match: [{path: {exact: /a}}, {method: GET, path: {prefix: /b}}]\n    respond: {status: 202}",
                "",
            ),
            &[("MW0101", "services[0].routes[2]")],
        ),
        (
            "narrower first: nothing",
            web(
                "  routes:\n  - match: [{path: {prefix: /api/v2}}]\n    respond: {status: 201}\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 200}",
                "",
            ),
            &[],
        ),
        (
            "segment prefixes /api and /apix are disjoint",
            web(
                "  routes:\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /apix}}]\n    respond: {status: 201}",
                "",
            ),
            &[],
        ),
        (
            "one match of a route covered earlier",
            web(
                "  routes:\n  - match: [{path: {exact: /a}}]\n    respond: {status: 200}\n  - match: [{path: {exact: /a}}, {path: {exact: /b}}]\n    respond: {status: 201}",
                "",
            ),
            &[("MW0102", "services[0].routes[1].match[0]")],
        ),
        (
            "precedence trap: method before a longer prefix",
            web(
                "  routes:\n  - match: [{method: GET}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 201}",
                "",
            ),
            &[("MW0103", "services[0].routes[1]")],
        ),
        (
            "a covered match is ineffective, not a trap; the other match is disjoint",
            web(
                "  routes:\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api}, headers: {x: {exact: y}}}, {path: {exact: /other}}]\n    respond: {status: 201}",
                "",
            ),
            &[
                ("MW0102", "services[0].routes[1].match[0]"),
            ],
        ),
        (
            "precedence trap: prefix /api before exact /api/v2/x with another method set",
            web(
                "  routes:\n  - match: [{path: {prefix: /api}, method: GET}]\n    respond: {status: 200}\n  - match: [{path: {exact: /api/v2/x}}]\n    respond: {status: 201}",
                "",
            ),
            &[("MW0103", "services[0].routes[1]")],
        ),
        (
            "no trap when both routes do the same",
            web(
                "  routes:\n  - match: [{method: GET}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 200}",
                "",
            ),
            &[],
        ),
        (
            "no trap when a regex is involved (cannot prove an overlap)",
            web(
                "  routes:\n  - match: [{path: {regex: /a.*}}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api}}]\n    respond: {status: 201}",
                "",
            ),
            &[],
        ),
        (
            "no trap when the matches are disjoint",
            web(
                "  routes:\n  - match: [{method: GET}]\n    respond: {status: 200}\n  - match: [{path: {prefix: /api}, method: POST}]\n    respond: {status: 201}",
                "",
            ),
            &[],
        ),
        (
            "ingress routes are checked too",
            web(
                "",
                "ingress:\n- name: gw\n  namespace: prod\n  hosts: [a.example.com]\n  listeners: [{port: 80, protocol: http}]\n  routes:\n  - forward: {backends: [{service: web}]}\n  - match: [{path: {prefix: /x}}]\n    respond: {status: 404}",
            ),
            &[("MW0101", "ingress[0].routes[1]")],
        ),
        (
            "weights that look like percentages",
            web(
                &format!("{versions}  routes:\n  - forward: {{backends: [{{version: v1, weight: 60}}, {{version: v2, weight: 20}}, {{version: v3, weight: 0}}]}}"),
                "",
            ),
            &[
                ("MW0104", "services[0].routes[0].forward.backends"),
                ("MW0105", "services[0].routes[0].forward.backends[2].weight"),
            ],
        ),
        (
            "weights adding up to 100, or plainly relative",
            web(
                &format!("{versions}  routes:\n  - match: [{{method: GET}}]\n    forward: {{backends: [{{version: v1, weight: 90}}, {{version: v2, weight: 10}}]}}\n  - match: [{{method: PUT}}]\n    forward: {{backends: [{{version: v1, weight: 500}}, {{version: v2, weight: 500}}]}}\n  - forward: {{backends: [{{version: v1}}, {{version: v3}}]}}"),
                "",
            ),
            &[],
        ),
        (
            "a version no route sends to",
            web(
                &format!("{versions}  routes:\n  - forward: {{backends: [{{version: v1}}, {{version: v2}}]}}"),
                "",
            ),
            &[("MW0106", "services[0].versions[2]")],
        ),
        (
            "versions reached by unmatched traffic, an ingress and a mirror",
            format!(
                "{}\n- name: other\n  namespace: prod\n  ports: [{{number: 80, protocol: http}}]\n  versions: [{{name: v1}}, {{name: v2}}, {{name: v3}}]\n  routes:\n  - forward:\n      backends: [{{version: v1}}]\n      mirrors: [{{version: v2}}]\ningress:\n- name: gw\n  namespace: prod\n  hosts: [a.example.com]\n  listeners: [{{port: 80, protocol: http}}]\n  routes:\n  - forward: {{backends: [{{service: other, version: v3}}]}}",
                web(
                    &format!("{versions}  routes:\n  - match: [{{path: {{prefix: /a}}}}]\n    forward: {{backends: [{{version: v1}}]}}"),
                    "",
                )
                .trim_end()
            ),
            &[],
        ),
        (
            "route to the only version",
            web(
                "  versions: [{name: v1}]\n  routes:\n  - forward: {backends: [{version: v1}]}",
                "",
            ),
            &[("MW0107", "services[0].routes[0].forward.backends[0].version")],
        ),
        (
            "version labels contradict the selector; two versions with one label set",
            web(
                "  versions:\n  - {name: v1, labels: {app: other}}\n  - {name: v2, labels: {track: a}}\n  - {name: v3, labels: {track: a}}",
                "",
            ),
            &[
                ("MW0108", "services[0].versions[0].labels"),
                ("MW0109", "services[0].versions[2].labels"),
            ],
        ),
        (
            "an ingress listener without route",
            web(
                "",
                "ingress:\n- name: gw\n  namespace: prod\n  hosts: [a.example.com]\n  listeners: [{port: 443, protocol: tls, tls: {mode: passthrough}}]",
            ),
            &[("MW0110", "ingress[0].listeners[0]")],
        ),
        (
            "an ingress that only redirects to HTTPS needs no route",
            web(
                "",
                "ingress:\n- name: gw\n  namespace: prod\n  hosts: [a.example.com]\n  listeners: [{port: 80, protocol: http, httpsRedirect: true}]",
            ),
            &[],
        ),
    ]);
}

#[test]
fn resilience() {
    run_table(&[
        (
            "(attempts + 1) x perTryTimeout over the route timeout",
            web(
                "  routes:\n  - forward:\n      backends: [{}]\n      timeout: 30s\n      retries: {attempts: 3, perTryTimeout: 10s, on: [connect-failure]}",
                "",
            ),
            &[("MW0201", "services[0].routes[0].forward.retries")],
        ),
        (
            "retries that fit the route timeout",
            web(
                "  routes:\n  - forward:\n      backends: [{}]\n      timeout: 30s\n      retries: {attempts: 2, perTryTimeout: 10s, on: [connect-failure]}",
                "",
            ),
            &[],
        ),
        (
            "service retries over the service timeout",
            web(
                "  resilience:\n    timeout: 3s\n    retries: {attempts: 3, perTryTimeout: 1s, on: [refused-stream]}",
                "",
            ),
            &[("MW0201", "services[0].resilience.retries")],
        ),
        (
            "a route timeout against the service's retries",
            web(
                "  resilience:\n    retries: {attempts: 3, perTryTimeout: 1s, on: [refused-stream]}\n  routes:\n  - forward: {backends: [{}], timeout: 3s}",
                "",
            ),
            &[("MW0201", "services[0].routes[0].forward.timeout")],
        ),
        (
            "a version's retries against the service's timeout",
            web(
                "  versions:\n  - name: v1\n    resilience:\n      retries: {attempts: 3, perTryTimeout: 1s, on: [refused-stream]}\n  resilience:\n    timeout: 3s",
                "",
            ),
            &[("MW0201", "services[0].versions[0].resilience.retries")],
        ),
        (
            "retrying 5xx on POST",
            web(
                "  routes:\n  - match: [{method: POST}]\n    forward:\n      backends: [{}]\n      retries: {attempts: 2, on: [5xx]}",
                "",
            ),
            &[("MW0202", "services[0].routes[0].forward.retries")],
        ),
        (
            "default conditions on a route of any method",
            web(
                "  routes:\n  - forward:\n      backends: [{}]\n      retries: {attempts: 2}",
                "",
            ),
            &[("MW0202", "services[0].routes[0].forward.retries")],
        ),
        (
            "retrying 5xx on GET, or connect failures on anything",
            web(
                "  routes:\n  - match: [{method: GET}]\n    forward:\n      backends: [{}]\n      retries: {attempts: 2, on: [5xx, reset]}\n  - forward:\n      backends: [{}]\n      retries: {attempts: 2, on: [connect-failure, refused-stream]}",
                "",
            ),
            &[],
        ),
        (
            "service retries inherited by unmatched traffic",
            web(
                "  resilience:\n    retries: {attempts: 2, on: [gateway-error]}\n  routes:\n  - match: [{method: GET}]\n    forward: {backends: [{}]}",
                "",
            ),
            &[("MW0202", "services[0].resilience.retries")],
        ),
        (
            "service retries inherited only by GET routes",
            web(
                "  resilience:\n    retries: {attempts: 2, on: [gateway-error]}\n  routes:\n  - match: [{method: GET}]\n    forward: {backends: [{}]}\n  - respond: {status: 405}",
                "",
            ),
            &[],
        ),
        (
            "rate limits in fractions of a request per second, or windows under 1s",
            web(
                "  versions:\n  - name: v1\n    resilience:\n      rateLimit: {requests: 10, per: 500ms}\n  resilience:\n    rateLimit: {requests: 100, per: 60s}",
                "",
            ),
            &[
                ("MW0203", "services[0].versions[0].resilience.rateLimit"),
                ("MW0203", "services[0].resilience.rateLimit"),
            ],
        ),
        (
            "whole requests per second",
            web(
                "  resilience:\n    rateLimit: {requests: 120, per: 60s}",
                "",
            ),
            &[],
        ),
    ]);
}

#[test]
fn security() {
    let scope = "scope: {service: {name: web, namespace: prod}}";
    let tcp = "services:\n- name: db\n  namespace: prod\n  ports: [{number: 80, protocol: http}, {number: 5432, protocol: tcp}]\n";
    let db_scope = "scope: {service: {name: db, namespace: prod}}";
    run_table(&[
        (
            "permissive and disabled mTLS at every scope",
            web(
                "",
                "security:\n  mtls:\n    mode: permissive\n    overrides:\n    - {scope: {namespace: prod}, mode: disabled}\n    - {scope: {service: {name: web, namespace: prod}}, ports: {80: permissive}}",
            ),
            &[
                ("MW0301", "security.mtls.mode"),
                ("MW0302", "security.mtls.overrides[0].mode"),
                ("MW0301", "security.mtls.overrides[1].ports[80]"),
            ],
        ),
        (
            "strict everywhere",
            web(
                "",
                "security:\n  mtls:\n    overrides:\n    - {scope: {namespace: prod}, mode: strict}",
            ),
            &[],
        ),
        (
            "an allow rule with nothing in it",
            web(
                "",
                &format!(
                    "security:\n  authorization:\n  - name: a\n    {scope}\n    rules: [{{}}]"
                ),
            ),
            &[("MW0303", "security.authorization[0].rules[0]")],
        ),
        (
            "an allow from any source",
            web(
                "",
                &format!(
                    "security:\n  authorization:\n  - name: a\n    {scope}\n    rules: [{{from: [{{namespace: prod}}, any]}}]"
                ),
            ),
            &[("MW0304", "security.authorization[0].rules[0].from[1]")],
        ),
        (
            "any source, but only for a health path",
            web(
                "",
                &format!(
                    "security:\n  authorization:\n  - name: a\n    {scope}\n    rules: [{{from: [any], to: [{{paths: [{{exact: /healthz}}]}}]}}]"
                ),
            ),
            &[],
        ),
        (
            "a deny with nothing in it",
            web(
                "",
                &format!(
                    "security:\n  authorization:\n  - name: d\n    {scope}\n    action: deny\n    rules: [{{}}]"
                ),
            ),
            &[("MW0305", "security.authorization[0].rules[0]")],
        ),
        (
            "a deny on methods where a TCP port is in scope",
            format!(
                "{tcp}security:\n  authorization:\n  - name: d\n    {db_scope}\n    action: deny\n    rules: [{{to: [{{methods: [POST]}}]}}]\n  - name: n\n    scope: {{namespace: prod}}\n    action: deny\n    rules: [{{when: [{{header: {{name: x-debug, values: ['1']}}}}]}}]\n  - name: p\n    {db_scope}\n    action: deny\n    rules: [{{to: [{{ports: [5432], paths: [{{prefix: /admin}}]}}]}}]"
            ),
            &[
                ("MW0306", "security.authorization[0].rules[0]"),
                ("MW0306", "security.authorization[1].rules[0]"),
                ("MW0306", "security.authorization[2].rules[0]"),
            ],
        ),
        (
            "a deny on methods scoped to the HTTP port, or on a service without TCP ports",
            format!(
                "{tcp}- name: web\n  namespace: other\n  ports: [{{number: 80, protocol: http}}]\nsecurity:\n  authorization:\n  - name: d\n    {db_scope}\n    action: deny\n    rules: [{{to: [{{ports: [80], methods: [POST]}}]}}]\n  - name: w\n    scope: {{namespace: other}}\n    action: deny\n    rules: [{{to: [{{methods: [POST]}}]}}]\n  - name: i\n    {db_scope}\n    action: deny\n    rules: [{{from: [{{namespace: other}}]}}]"
            ),
            &[],
        ),
        (
            "allow by default with no policy",
            web("", "security:\n  defaultAction: allow"),
            &[("MW0307", "security.defaultAction")],
        ),
        (
            "allow by default with policies",
            web(
                "",
                &format!(
                    "security:\n  defaultAction: allow\n  authorization:\n  - name: a\n    {scope}\n    rules: [{{from: [{{namespace: prod}}]}}]"
                ),
            ),
            &[],
        ),
        (
            "a JWT provider no rule requires",
            web(
                "",
                "security:\n  jwt:\n  - {name: t, issuer: issuer.example, jwks: {uri: 'https://issuer.example/jwks'}}",
            ),
            &[("MW0308", "security.jwt[0]")],
        ),
        (
            "a JWT provider a rule requires",
            web(
                "",
                &format!(
                    "security:\n  jwt:\n  - {{name: t, issuer: issuer.example, jwks: {{uri: 'https://issuer.example/jwks'}}}}\n  authorization:\n  - name: a\n    {scope}\n    rules: [{{from: [{{jwtPrincipal: {{issuer: issuer.example}}}}]}}]"
                ),
            ),
            &[],
        ),
    ]);
}

#[test]
fn workloads_and_observability() {
    run_table(&[
        (
            "services in a namespace without injection",
            web("", "namespaces: [{name: prod, inject: false}, {name: clients, inject: false}]"),
            &[("MW0401", "namespaces[0].inject")],
        ),
        (
            "port names against Istio's convention",
            "services:\n- name: web\n  namespace: prod\n  ports:\n  - {number: 80, protocol: http, name: web}\n  - {number: 81, protocol: http, name: grpc-x}\n  - {number: 82, protocol: http, name: http-admin}\n  - {number: 83, protocol: grpc, name: grpc-web}\n  - {number: 84, protocol: tcp, name: tcp}".to_owned(),
            &[
                ("MW0402", "services[0].ports[0].name"),
                ("MW0402", "services[0].ports[1].name"),
            ],
        ),
        (
            "tracing: short host, 100% sampling",
            web("", "observability:\n  tracing: {provider: zipkin, host: zipkin, port: 9411, sampling: 100}"),
            &[
                ("MW0502", "observability.tracing.host"),
                ("MW0501", "observability.tracing.sampling"),
            ],
        ),
        (
            "tracing: 20% sampling",
            web("", "observability:\n  tracing: {provider: zipkin, host: zipkin.istio-system, port: 9411, sampling: 20}"),
            &[("MW0501", "observability.tracing.sampling")],
        ),
        (
            "tracing: 10% sampling to a qualified host",
            web("", "observability:\n  tracing: {provider: zipkin, host: zipkin.istio-system, port: 9411, sampling: 10}"),
            &[],
        ),
    ]);
}

#[test]
fn severities_follow_the_code_except_partial_sampling() {
    let at = |s: u32| {
        let mesh = Mesh::from_policy(&web(
            "",
            &format!("observability:\n  tracing: {{provider: zipkin, host: zipkin.istio-system, port: 9411, sampling: {s}}}"),
        ))
        .unwrap();
        mesh.analyze()[0].severity
    };
    assert_eq!(at(100), Severity::Warning);
    assert_eq!(at(50), Severity::Info);
}

#[test]
fn display_is_compiler_like() {
    let d = Diagnostic::model(
        Code::RouteShadowed,
        FieldPath::new("services[0].routes[2]"),
        "route 2 never matches",
    )
    .with_hint("move it up");
    assert_eq!(
        d.to_string(),
        "warning[MW0101]: services[0].routes[2]: route 2 never matches\n  = hint: move it up"
    );
    let m = Diagnostic {
        location: Location::Manifest {
            file: "istio.yaml".into(),
            document: 3,
            field: FieldPath::new("spec.http[1]"),
        },
        hint: None,
        severity: Severity::Error,
        ..d
    };
    assert_eq!(
        m.to_string(),
        "error[MW0101]: istio.yaml#3: spec.http[1]: route 2 never matches"
    );
}

#[test]
fn codes_are_unique_ordered_and_parse_back() {
    let mut last = "";
    for c in Code::ALL {
        let s = c.as_str();
        assert!(
            s.len() == 6 && s.starts_with("MW") && s[2..].bytes().all(|b| b.is_ascii_digit()),
            "{s}"
        );
        assert!(s > last, "{s} after {last}: codes must be listed in order");
        last = s;
        assert_eq!(s.parse::<Code>(), Ok(*c));
        assert!(c.istio().is_none_or(|i| i.starts_with("IST0")));
        assert!(!c.title().is_empty() && c.summary().ends_with('.'));
    }
    assert!("MW9999".parse::<Code>().is_err());
}

// === the scenarios and the docs ===

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("examples/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 38, "scenarios not found");
    files
}

fn analyze_file(path: &Path) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(path).unwrap();
    Mesh::from_policy(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .analyze()
}

/// S38 holds the seeds' pitfalls, each marked `PITFALL` in a comment; the
/// analyzer must report exactly those (the file's header lists what the
/// model cannot express: several routing objects per host, ports without
/// protocol).
#[test]
fn s38_reports_exactly_its_pitfalls() {
    let path = workspace().join("examples/scenarios/S38-validation-pitfalls.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let pitfalls = text.matches("# PITFALL").count();
    let got: Vec<(&str, String)> = analyze_file(&path)
        .iter()
        .map(|d| (d.code.as_str(), d.location.to_string()))
        .collect();
    let want = [
        // inject: false on a namespace with services (000, sidecar not injected)
        ("MW0401", "namespaces[0].inject"),
        // port named `web` (003, Port Naming Requirement)
        ("MW0402", "services[0].ports[0].name"),
        // weights 60 + 20 (000, traffic not splitting correctly)
        ("MW0104", "services[0].routes[0].forward.backends"),
        // jason after the catch-all (first match wins)
        ("MW0101", "services[0].routes[1]"),
        // PERMISSIVE left on (003, Gradual Rollout Required)
        ("MW0301", "security.mtls.mode"),
        // passthrough gateway with no route (003, Gateway vs VirtualService)
        ("MW0110", "ingress[0].listeners[0]"),
        // short tracing host (003, DNS Resolution Issues)
        ("MW0502", "observability.tracing.host"),
        // 100% sampling (003, Observability Overhead)
        ("MW0501", "observability.tracing.sampling"),
    ];
    assert_eq!(pitfalls, want.len(), "one diagnostic per PITFALL comment");
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted: Vec<(&str, String)> =
        want.iter().map(|(c, p)| (*c, (*p).to_owned())).collect();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted);
}

/// No other scenario has an error; what they do have is listed here so a
/// change in the analyzer shows up in review.
#[test]
fn other_scenarios_have_no_errors() {
    let expected: &[(&str, &[(&str, &str)])] = &[
        ("S02", &[("MW0202", "services[0].resilience.retries")]),
        (
            "S13",
            &[
                (
                    "MW0107",
                    "services[0].routes[0].forward.backends[0].version",
                ),
                ("MW0202", "services[0].routes[0].forward.retries"),
            ],
        ),
        (
            "S14",
            &[(
                "MW0107",
                "services[0].routes[0].forward.backends[0].version",
            )],
        ),
        ("S15", &[("MW0203", "services[0].resilience.rateLimit")]),
        ("S16", &[("MW0501", "observability.tracing.sampling")]),
        ("S21", &[("MW0301", "security.mtls.mode")]),
        (
            "S22",
            &[
                ("MW0201", "ingress[0].routes[0].forward.retries"),
                ("MW0202", "ingress[0].routes[0].forward.retries"),
            ],
        ),
        ("S29", &[("MW0501", "observability.tracing.sampling")]),
        ("S32", &[("MW0301", "security.mtls.overrides[1].mode")]),
        ("S34", &[("MW0202", "ingress[0].routes[0].forward.retries")]),
    ];
    let mut failures = Vec::new();
    for path in scenarios() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("S38") {
            continue;
        }
        let diags = analyze_file(&path);
        for d in diags.iter().filter(|d| d.severity == Severity::Error) {
            failures.push(format!("{name}: unexpected error {d}"));
        }
        let got: Vec<(&str, String)> = diags
            .iter()
            .map(|d| (d.code.as_str(), d.location.to_string()))
            .collect();
        let want: Vec<(&str, String)> = expected
            .iter()
            .find(|(id, _)| name.starts_with(id))
            .map(|(_, w)| w.iter().map(|(c, p)| (*c, (*p).to_owned())).collect())
            .unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
        // Same model, same list.
        assert_eq!(diags, analyze_file(&path));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `docs/analyzer-codes.md` is generated from [`Code::ALL`]. Run with
/// `MESHWRIGHT_BLESS=1` to rewrite it.
#[test]
fn the_code_table_in_the_docs_is_current() {
    let path = workspace().join("docs/analyzer-codes.md");
    let want = codes_markdown();
    if std::env::var_os("MESHWRIGHT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is stale: run `MESHWRIGHT_BLESS=1 cargo test -p mesh-model the_code_table` and commit it",
        path.display()
    );
}

// === properties ===

#[cfg(feature = "proptest")]
mod properties {
    use proptest::prelude::*;

    use super::super::matching::{Overlap, covers, overlap};
    use crate::Mesh;
    use crate::strategy::{MeshSize, mesh, route_match};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any valid mesh: no panic, and the same list every time.
        #[test]
        fn analyze_is_total_and_deterministic(m in mesh(MeshSize::default())) {
            let once = m.analyze();
            prop_assert_eq!(&once, &m.analyze());
            let reread = Mesh::from_policy(&m.to_policy().unwrap()).unwrap();
            prop_assert_eq!(once, reread.analyze());
        }

        /// A match covers itself, and covering implies overlapping.
        #[test]
        fn covering_is_consistent(a in route_match(), b in route_match()) {
            prop_assert!(covers(&a, &a));
            if covers(&a, &b) {
                prop_assert_ne!(overlap(&a, &b), Overlap::No);
            }
            prop_assert_eq!(overlap(&a, &b), overlap(&b, &a));
        }
    }
}

// === scaling ===

/// A policy with `n` services in `n / 50` namespaces, each service with
/// three versions, four routes and a TCP port, plus one authorization
/// policy per namespace and an ingress routing to every tenth service.
fn big_policy(n: usize) -> String {
    use std::fmt::Write;
    let mut s = String::from("services:\n");
    for i in 0..n {
        let _ = write!(
            s,
            "- name: s{i}\n  namespace: ns{ns}\n  ports: [{{number: 80, protocol: http}}, {{number: 9000, protocol: tcp}}]\n  versions: [{{name: v1}}, {{name: v2}}, {{name: v3}}]\n  routes:\n  - match: [{{path: {{prefix: /api/v2}}}}]\n    forward: {{backends: [{{version: v2}}]}}\n  - match: [{{method: GET}}]\n    forward: {{backends: [{{version: v1, weight: 60}}, {{version: v3, weight: 20}}]}}\n  - match: [{{path: {{prefix: /api}}}}]\n    respond: {{status: 404}}\n  - forward: {{backends: [{{service: s{next}, namespace: ns{next_ns}}}]}}\n",
            ns = i / 50,
            next = (i + 1) % n,
            next_ns = ((i + 1) % n) / 50,
        );
    }
    s.push_str("security:\n  authorization:\n");
    for ns in 0..n.div_ceil(50) {
        let _ = write!(
            s,
            "  - name: p\n    scope: {{namespace: ns{ns}}}\n    action: deny\n    rules: [{{to: [{{methods: [DELETE]}}]}}]\n"
        );
    }
    s.push_str("ingress:\n- name: gw\n  namespace: ns0\n  hosts: [a.example.com]\n  listeners: [{port: 80, protocol: http}]\n  routes:\n");
    for i in (0..n).step_by(10) {
        let _ = write!(
            s,
            "  - match: [{{path: {{prefix: /s{i}}}}}]\n    forward: {{backends: [{{service: s{i}, namespace: ns{ns}, version: v1}}]}}\n",
            ns = i / 50
        );
    }
    s
}

/// Time at 1k and 10k services; the ratio should stay near 10 (linear),
/// far from 100 (quadratic). Timing-based, so not run by default:
/// `cargo test -p mesh-model --release -- --ignored scaling --nocapture`.
#[test]
#[ignore = "timing; run on demand"]
fn scaling_is_near_linear() {
    let time = |n: usize| {
        let mesh = Mesh::from_policy_unchecked(&big_policy(n)).unwrap();
        let start = std::time::Instant::now();
        let d = mesh.analyze();
        let t = start.elapsed();
        assert!(d.len() >= n, "{n} services, {} diagnostics", d.len());
        t
    };
    let _ = time(1_000);
    let small = time(1_000);
    let large = time(10_000);
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    println!("1k services: {small:?}, 10k: {large:?}, ratio {ratio:.1}");
    assert!(ratio < 30.0, "ratio {ratio:.1}: not near-linear");
}
