//! Every validation rule, with a case that passes and a case that fails,
//! as tables. A failing case lists every error it must produce: path and
//! problem kind.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use mesh_model::{Mesh, PolicyError};

/// A case: name, policy, expected (path, problem) pairs.
type Case<'a> = (&'a str, String, &'a [(&'a str, &'a str)]);

/// Parses `yaml`, validates, and returns (path, problem variant) pairs.
fn problems(yaml: &str) -> Vec<(String, String)> {
    let mesh: Mesh = match Mesh::from_policy_unchecked(yaml) {
        Ok(m) => m,
        Err(e) => panic!("case does not parse: {e}\n{yaml}"),
    };
    match mesh.validate() {
        Ok(()) => vec![],
        Err(errors) => errors
            .iter()
            .map(|e| {
                let dbg = format!("{:?}", e.problem);
                let variant = dbg
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("")
                    .to_owned();
                (e.path.as_str().to_owned(), variant)
            })
            .collect(),
    }
}

/// A service every case can route to.
const SVC: &str = r#"
- name: web
  namespace: prod
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
"#;

fn with_services(rest: &str) -> String {
    format!("services:{SVC}{rest}")
}

fn check(cases: &[Case<'_>]) {
    let mut failures = Vec::new();
    for (name, yaml, expected) in cases {
        let got = problems(yaml);
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(p, v)| ((*p).to_owned(), (*v).to_owned()))
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn services() {
    check(&[
        ("valid service", with_services(""), &[]),
        (
            "service name must be DNS-1035",
            "services: [{name: 1web, namespace: prod, ports: [{number: 80, protocol: http}]}]".into(),
            &[("services[0].name", "ServiceName")],
        ),
        (
            "duplicate service",
            format!("services:{SVC}{SVC}"),
            &[("services[1].name", "Duplicate")],
        ),
        (
            "same name in another namespace is fine",
            format!("services:{SVC}{}", SVC.replace("prod", "staging")),
            &[],
        ),
        (
            "duplicate port number and name",
            "services: [{name: web, namespace: prod, ports: [{number: 80, protocol: http, name: web}, {number: 80, protocol: tcp, name: web}]}]".into(),
            &[("services[0].ports[1].number", "Duplicate"), ("services[0].ports[1].name", "Duplicate")],
        ),
        (
            "duplicate version",
            "services: [{name: web, namespace: prod, versions: [{name: v1}, {name: v1}]}]".into(),
            &[("services[0].versions[1].name", "Duplicate")],
        ),
        (
            "routes need an L7 port",
            "services: [{name: db, namespace: prod, ports: [{number: 5432, protocol: tcp}], routes: [{forward: {backends: [{}]}}]}]".into(),
            &[("services[0].routes", "NotAllowed")],
        ),
        (
            "duplicate namespace config",
            "namespaces: [{name: prod}, {name: prod}]".into(),
            &[("namespaces[1].name", "Duplicate")],
        ),
    ]);
}

fn route(route: &str) -> String {
    format!("services:{SVC}  routes:\n  - {route}\n")
}

fn routes(routes: &[&str]) -> String {
    let mut s = format!("services:{SVC}  routes:\n");
    for r in routes {
        s.push_str("  - ");
        s.push_str(r);
        s.push('\n');
    }
    s
}

#[test]
fn routes_and_forwarding() {
    check(&[
        (
            "canary split",
            route("{forward: {backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]}}"),
            &[],
        ),
        (
            "no backends",
            route("{forward: {backends: []}}"),
            &[("services[0].routes[0].forward.backends", "Empty")],
        ),
        (
            "weights add up to zero",
            route("{forward: {backends: [{version: v1, weight: 0}, {version: v2, weight: 0}]}}"),
            &[("services[0].routes[0].forward.backends", "ZeroTotalWeight")],
        ),
        (
            "a zero weight beside a positive one is fine",
            route("{forward: {backends: [{version: v1, weight: 0}, {version: v2, weight: 5}]}}"),
            &[],
        ),
        (
            "weight that rounds to 0.00%",
            route(
                "{forward: {backends: [{version: v1, weight: 1000000}, {version: v2, weight: 49}]}}",
            ),
            &[(
                "services[0].routes[0].forward.backends[1].weight",
                "WeightTooSmall",
            )],
        ),
        (
            "weight at 0.005% is kept",
            route(
                "{forward: {backends: [{version: v1, weight: 999999}, {version: v2, weight: 51}]}}",
            ),
            &[],
        ),
        (
            "unknown version",
            route("{forward: {backends: [{version: v3}]}}"),
            &[(
                "services[0].routes[0].forward.backends[0].version",
                "UnknownVersion",
            )],
        ),
        (
            "unknown service",
            route("{forward: {backends: [{service: api}]}}"),
            &[(
                "services[0].routes[0].forward.backends[0].service",
                "UnknownService",
            )],
        ),
        (
            "service in another namespace",
            route("{forward: {backends: [{service: web, namespace: staging}]}}"),
            &[(
                "services[0].routes[0].forward.backends[0].service",
                "UnknownService",
            )],
        ),
        (
            "unknown port",
            route("{forward: {backends: [{port: 8080}]}}"),
            &[(
                "services[0].routes[0].forward.backends[0].port",
                "OutOfRange",
            )],
        ),
        (
            "duplicate route names",
            routes(&[
                "{name: a, forward: {backends: [{}]}}",
                "{name: a, forward: {backends: [{}]}}",
            ]),
            &[("services[0].routes[1].name", "Duplicate")],
        ),
        (
            "mirror to another version",
            route("{forward: {backends: [{version: v1}], mirrors: [{version: v2, percent: 10}]}}"),
            &[],
        ),
        (
            "mirror to a primary",
            route("{forward: {backends: [{version: v1}], mirrors: [{service: web, version: v1}]}}"),
            &[(
                "services[0].routes[0].forward.mirrors[0]",
                "MirrorIsPrimary",
            )],
        ),
        (
            "mirror to an unknown service",
            route("{forward: {backends: [{}], mirrors: [{service: shadow}]}}"),
            &[(
                "services[0].routes[0].forward.mirrors[0].service",
                "UnknownService",
            )],
        ),
        (
            "prefix rewrite with prefix match",
            route(
                "{match: [{path: {prefix: /api}}], forward: {backends: [{}], rewrite: {path: {prefix: /}}}}",
            ),
            &[],
        ),
        (
            "prefix rewrite without prefix match",
            route(
                "{match: [{path: {exact: /api}}], forward: {backends: [{}], rewrite: {path: {prefix: /}}}}",
            ),
            &[(
                "services[0].routes[0].forward.rewrite.path",
                "PrefixRewriteWithoutPrefixMatch",
            )],
        ),
        (
            "empty query parameter name",
            route("{match: [{query: {'': {exact: x}}}], forward: {backends: [{}]}}"),
            &[("services[0].routes[0].match[0].query[]", "OutOfRange")],
        ),
        (
            "redirect that changes something",
            route("{redirect: {scheme: https, status: 301}}"),
            &[],
        ),
        (
            "redirect that changes nothing",
            route("{redirect: {status: 301}}"),
            &[("services[0].routes[0].redirect", "Empty")],
        ),
        (
            "direct response",
            route("{respond: {status: 503, body: down}}"),
            &[],
        ),
        (
            "header removed and set",
            route("{forward: {backends: [{}]}, requestHeaders: {set: {x-a: '1'}, remove: [X-A]}}"),
            &[("services[0].routes[0].requestHeaders.remove[0]", "Conflict")],
        ),
        (
            "unmatched to a known version",
            format!("services:{SVC}  unmatched: {{version: v1}}\n"),
            &[],
        ),
        (
            "unmatched to an unknown version",
            format!("services:{SVC}  unmatched: {{version: v9}}\n"),
            &[("services[0].unmatched.version", "UnknownVersion")],
        ),
    ]);
}

#[test]
fn retries_timeouts_faults() {
    check(&[
        (
            "S13: 3 × 2s within 10s",
            route(
                "{forward: {backends: [{}], timeout: 10s, retries: {attempts: 3, perTryTimeout: 2s, on: [gateway-error, connect-failure, refused-stream]}}}",
            ),
            &[],
        ),
        (
            "S22: 3 × 10s exactly 30s",
            route(
                "{forward: {backends: [{}], timeout: 30s, retries: {attempts: 3, perTryTimeout: 10s}}}",
            ),
            &[],
        ),
        (
            "retries longer than the timeout",
            route(
                "{forward: {backends: [{}], timeout: 5s, retries: {attempts: 3, perTryTimeout: 2s}}}",
            ),
            &[(
                "services[0].routes[0].forward.retries",
                "RetriesExceedTimeout",
            )],
        ),
        (
            "route retries against the service's default timeout",
            format!(
                "services:{SVC}  resilience: {{timeout: 1s}}\n  routes:\n  - {{forward: {{backends: [{{}}], retries: {{attempts: 2, perTryTimeout: 1s}}}}}}\n"
            ),
            &[(
                "services[0].routes[0].forward.retries",
                "RetriesExceedTimeout",
            )],
        ),
        (
            "service default retries against the service default timeout",
            format!(
                "services:{SVC}  resilience: {{timeout: 1s, retries: {{attempts: 3, perTryTimeout: 500ms}}}}\n"
            ),
            &[("services[0].resilience.retries", "RetriesExceedTimeout")],
        ),
        (
            "zero attempts",
            route("{forward: {backends: [{}], retries: {attempts: 0}}}"),
            &[(
                "services[0].routes[0].forward.retries.attempts",
                "ZeroAttempts",
            )],
        ),
        (
            "zero per-try timeout",
            route("{forward: {backends: [{}], retries: {attempts: 1, perTryTimeout: 0s}}}"),
            &[(
                "services[0].routes[0].forward.retries.perTryTimeout",
                "OutOfRange",
            )],
        ),
        (
            "retry on a status code",
            route("{forward: {backends: [{}], retries: {attempts: 2, on: [503, 5xx]}}}"),
            &[],
        ),
        (
            "S14 faults",
            route(
                "{forward: {backends: [{}], fault: {delay: {delay: 5s, percent: 10}, abort: {status: 500, percent: 10}}}}",
            ),
            &[],
        ),
        (
            "empty fault",
            route("{forward: {backends: [{}], fault: {}}}"),
            &[("services[0].routes[0].forward.fault", "Empty")],
        ),
    ]);
}

fn resilience(r: &str) -> String {
    format!("services:{SVC}  resilience: {r}\n")
}

#[test]
fn resilience_rules() {
    check(&[
        (
            "S07 circuit breaker",
            resilience("{connectionPool: {maxConnections: 1, maxPendingRequests: 1, maxRequestsPerConnection: 1}, outlierDetection: {consecutive5xx: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100}}"),
            &[],
        ),
        ("empty connection pool", resilience("{connectionPool: {}}"), &[("services[0].resilience.connectionPool", "Empty")]),
        (
            "sub-millisecond outlier interval",
            resilience("{outlierDetection: {interval: 10us}}"),
            &[("services[0].resilience.outlierDetection.interval", "OutOfRange")],
        ),
        (
            "S12 session affinity",
            resilience("{loadBalancer: {consistentHash: {cookie: {name: session-cookie, ttl: 3600s}}}}"),
            &[],
        ),
        ("S15 rate limit", resilience("{rateLimit: {requests: 100, per: 60s}}"), &[]),
        (
            "per-identity above the total",
            resilience("{rateLimit: {requests: 10, per: 1s, perIdentity: 20}}"),
            &[("services[0].resilience.rateLimit.perIdentity", "OutOfRange")],
        ),
        (
            "override above the total, no clients",
            resilience("{rateLimit: {requests: 10, per: 1s, overrides: [{clients: [], requests: 20}]}}"),
            &[
                ("services[0].resilience.rateLimit.overrides[0].clients", "Empty"),
                ("services[0].resilience.rateLimit.overrides[0].requests", "OutOfRange"),
            ],
        ),
        (
            "override for an unknown client",
            resilience("{rateLimit: {requests: 10, per: 1s, overrides: [{clients: [{namespace: prod, serviceAccount: ghost}], requests: 5}]}}"),
            &[("services[0].resilience.rateLimit.overrides[0].clients[0]", "UnknownIdentity")],
        ),
        (
            "override for the service's own identity",
            resilience("{rateLimit: {requests: 10, per: 1s, overrides: [{clients: [{namespace: prod, serviceAccount: web}], requests: 5}]}}"),
            &[],
        ),
        (
            "rate limit window below 1ms",
            resilience("{rateLimit: {requests: 10, per: 0s}}"),
            &[("services[0].resilience.rateLimit.per", "OutOfRange")],
        ),
        ("S11 retry budget", resilience("{retryBudget: {percent: 20, minPerSecond: 10, ttl: 10s}}"), &[]),
        (
            "retry budget ttl 0",
            resilience("{retryBudget: {percent: 20, minPerSecond: 10, ttl: 0s}}"),
            &[("services[0].resilience.retryBudget.ttl", "OutOfRange")],
        ),
        (
            "version override checked too",
            "services: [{name: web, namespace: prod, versions: [{name: v1, resilience: {connectionPool: {}}}]}]".into(),
            &[("services[0].versions[0].resilience.connectionPool", "Empty")],
        ),
    ]);
}

fn security(s: &str) -> String {
    format!(
        "services:{SVC}identities: [{{namespace: default, serviceAccount: sleep}}]\nsecurity: {s}\n"
    )
}

#[test]
fn mtls_rules() {
    check(&[
        (
            "S32 overrides",
            security(
                "{mtls: {mode: strict, overrides: [{scope: {namespace: production}, mode: strict}, {scope: {workload: {namespace: production, labels: {app: legacy-api}}}, mode: permissive}]}}",
            ),
            &[],
        ),
        (
            "port-level on a service",
            security(
                "{mtls: {overrides: [{scope: {service: {name: web, namespace: prod}}, ports: {80: permissive}}]}}",
            ),
            &[],
        ),
        (
            "mesh scope in overrides",
            security("{mtls: {overrides: [{scope: mesh, mode: permissive}]}}"),
            &[("security.mtls.overrides[0].scope", "NotAllowed")],
        ),
        (
            "ports on a namespace",
            security("{mtls: {overrides: [{scope: {namespace: prod}, ports: {80: disabled}}]}}"),
            &[("security.mtls.overrides[0].ports", "NotAllowed")],
        ),
        (
            "empty override",
            security("{mtls: {overrides: [{scope: {namespace: prod}}]}}"),
            &[("security.mtls.overrides[0]", "Empty")],
        ),
        (
            "duplicate scope",
            security(
                "{mtls: {overrides: [{scope: {namespace: prod}, mode: strict}, {scope: {namespace: prod}, mode: permissive}]}}",
            ),
            &[("security.mtls.overrides[1].scope", "Duplicate")],
        ),
        (
            "unknown service scope",
            security(
                "{mtls: {overrides: [{scope: {service: {name: api, namespace: prod}}, mode: permissive}]}}",
            ),
            &[("security.mtls.overrides[0].scope.service", "UnknownService")],
        ),
    ]);
}

#[test]
fn authorization_rules() {
    check(&[
        (
            "S05 allow sleep GET /info*",
            security(
                "{authorization: [{name: httpbin, scope: {service: {name: web, namespace: prod}}, rules: [{from: [{identity: {namespace: default, serviceAccount: sleep}}], to: [{methods: [GET], paths: [{regex: '/info.*'}]}]}]}]}",
            ),
            &[],
        ),
        (
            "allow everything is an explicit empty rule",
            security("{authorization: [{name: all, scope: {namespace: prod}, rules: [{}]}]}"),
            &[],
        ),
        (
            "no rules",
            security("{authorization: [{name: none, scope: {namespace: prod}, rules: []}]}"),
            &[("security.authorization[0].rules", "Empty")],
        ),
        (
            "unknown identity",
            security(
                "{authorization: [{name: a, scope: mesh, rules: [{from: [{identity: {namespace: default, serviceAccount: slep}}]}]}]}",
            ),
            &[(
                "security.authorization[0].rules[0].from[0].identity",
                "UnknownIdentity",
            )],
        ),
        (
            "service identity is known",
            security(
                "{authorization: [{name: a, scope: mesh, rules: [{from: [{identity: {namespace: prod, serviceAccount: web}}]}]}]}",
            ),
            &[],
        ),
        (
            "unknown issuer",
            security(
                "{authorization: [{name: a, scope: mesh, rules: [{from: [{jwtPrincipal: {issuer: x}}]}]}]}",
            ),
            &[(
                "security.authorization[0].rules[0].from[0].jwtPrincipal.issuer",
                "UnknownIssuer",
            )],
        ),
        (
            "S20 JWT",
            security(
                "{jwt: [{name: testing, issuer: testing@secure.istio.io, jwks: {uri: 'https://example.com/jwks.json'}, scopes: [{service: {name: web, namespace: prod}}]}], authorization: [{name: require-jwt, scope: {service: {name: web, namespace: prod}}, rules: [{from: [{jwtPrincipal: {issuer: testing@secure.istio.io, subject: testing@secure.istio.io}}], when: [{jwtClaim: {claim: groups, values: [group1]}}]}]}]}",
            ),
            &[],
        ),
        (
            "empty condition values",
            security(
                "{authorization: [{name: a, scope: mesh, rules: [{when: [{header: {name: x-api-version, values: []}}]}]}]}",
            ),
            &[("security.authorization[0].rules[0].when[0]", "Empty")],
        ),
        (
            "duplicate policy name in one namespace",
            security(
                "{authorization: [{name: a, scope: {namespace: prod}, rules: [{}]}, {name: a, scope: {service: {name: web, namespace: prod}}, rules: [{}]}]}",
            ),
            &[("security.authorization[1].name", "Duplicate")],
        ),
        (
            "unknown service scope",
            security(
                "{authorization: [{name: a, scope: {service: {name: api, namespace: prod}}, rules: [{}]}]}",
            ),
            &[("security.authorization[0].scope.service", "UnknownService")],
        ),
        (
            "JWT provider problems",
            security(
                "{jwt: [{name: a, issuer: '', jwks: {uri: example.com/jwks}}, {name: a, issuer: i, jwks: {inline: '{}'}, scopes: [{service: {name: api, namespace: prod}}]}]}",
            ),
            &[
                ("security.jwt[0].issuer", "Empty"),
                ("security.jwt[0].jwks.uri", "NotAllowed"),
                ("security.jwt[1].name", "Duplicate"),
                ("security.jwt[1].scopes[0].service", "UnknownService"),
            ],
        ),
    ]);
}

fn ingress(i: &str) -> String {
    format!("services:{SVC}ingress:\n- {i}\n")
}

const HTTPS: &str =
    "{port: 443, protocol: https, tls: {mode: terminate, credential: app-tls-secret}}";
const ROUTE: &str = "[{forward: {backends: [{service: web}]}}]";

#[test]
fn ingress_rules() {
    let ok = |listeners: &str| {
        ingress(&format!(
            "{{name: api, namespace: prod, hosts: [api.company.com], listeners: [{listeners}], routes: {ROUTE}}}"
        ))
    };
    check(&[
        ("S22 https ingress", ok(HTTPS), &[]),
        (
            "http redirect listener beside https",
            ok(&format!(
                "{HTTPS}, {{port: 80, protocol: http, httpsRedirect: true}}"
            )),
            &[],
        ),
        (
            "passthrough",
            ok("{port: 443, protocol: tls, tls: {mode: passthrough}}"),
            &[],
        ),
        (
            "tls on http",
            ok("{port: 80, protocol: http, tls: {mode: terminate, credential: c}}"),
            &[("ingress[0].listeners[0].tls", "NotAllowed")],
        ),
        (
            "https without tls",
            ok("{port: 443, protocol: https}"),
            &[("ingress[0].listeners[0].tls", "Empty")],
        ),
        (
            "passthrough on https",
            ok("{port: 443, protocol: https, tls: {mode: passthrough}}"),
            &[("ingress[0].listeners[0].tls.mode", "NotAllowed")],
        ),
        (
            "terminate on tls",
            ok("{port: 443, protocol: tls, tls: {mode: terminate, credential: c}}"),
            &[("ingress[0].listeners[0].tls.mode", "NotAllowed")],
        ),
        (
            "missing credential",
            ok("{port: 443, protocol: https, tls: {mode: mutual}}"),
            &[("ingress[0].listeners[0].tls.credential", "Empty")],
        ),
        (
            "https redirect on https",
            ok(
                "{port: 443, protocol: https, tls: {mode: terminate, credential: c}, httpsRedirect: true}",
            ),
            &[("ingress[0].listeners[0].httpsRedirect", "NotAllowed")],
        ),
        (
            "duplicate listener port",
            ok(&format!("{HTTPS}, {HTTPS}")),
            &[("ingress[0].listeners[1].port", "Duplicate")],
        ),
        (
            "no hosts, no listeners",
            ingress(&format!(
                "{{name: api, namespace: prod, hosts: [], listeners: [], routes: {ROUTE}}}"
            )),
            &[
                ("ingress[0].hosts", "Empty"),
                ("ingress[0].listeners", "Empty"),
            ],
        ),
        (
            "no routes",
            ingress(&format!(
                "{{name: api, namespace: prod, hosts: [a.com], listeners: [{HTTPS}]}}"
            )),
            &[("ingress[0].routes", "Empty")],
        ),
        (
            "backend without service",
            ingress(&format!(
                "{{name: api, namespace: prod, hosts: [a.com], listeners: [{HTTPS}], routes: [{{forward: {{backends: [{{version: v1}}]}}}}]}}"
            )),
            &[(
                "ingress[0].routes[0].forward.backends[0]",
                "ServiceRequired",
            )],
        ),
        (
            "backend to an unknown version",
            ingress(&format!(
                "{{name: api, namespace: prod, hosts: [a.com], listeners: [{HTTPS}], routes: [{{forward: {{backends: [{{service: web, version: v7}}]}}}}]}}"
            )),
            &[(
                "ingress[0].routes[0].forward.backends[0].version",
                "UnknownVersion",
            )],
        ),
        (
            "duplicate host within and across ingresses",
            format!(
                "services:{SVC}ingress:\n- {{name: a, namespace: prod, hosts: [x.com, x.com], listeners: [{HTTPS}], routes: {ROUTE}}}\n- {{name: a, namespace: prod, hosts: [x.com], listeners: [{HTTPS}], routes: {ROUTE}}}\n"
            ),
            &[
                ("ingress[0].hosts[1]", "Duplicate"),
                ("ingress[0].hosts[1]", "Duplicate"),
                ("ingress[1].name", "Duplicate"),
                ("ingress[1].hosts[0]", "Duplicate"),
            ],
        ),
    ]);
}

fn egress(e: &str) -> String {
    format!("egress: {e}\n")
}

#[test]
fn egress_rules() {
    check(&[
        (
            "S26 TLS origination",
            egress(
                "{services: [{name: remote, namespace: production, hosts: [remote-service.remote-cluster.local], ports: [{number: 80, protocol: http, targetPort: 443}], tls: {mode: simple}}]}",
            ),
            &[],
        ),
        ("allow any", egress("{policy: allowAny}"), &[]),
        (
            "empty hosts and ports",
            egress("{services: [{name: x, namespace: p, hosts: [], ports: []}]}"),
            &[
                ("egress.services[0].hosts", "Empty"),
                ("egress.services[0].ports", "Empty"),
            ],
        ),
        (
            "static without addresses",
            egress(
                "{services: [{name: x, namespace: p, hosts: [a.com], ports: [{number: 443, protocol: tls}], resolution: {static: []}}]}",
            ),
            &[("egress.services[0].resolution", "Empty")],
        ),
        (
            "DNS on a wildcard",
            egress(
                "{services: [{name: x, namespace: p, hosts: ['*.a.com'], ports: [{number: 443, protocol: tls}]}]}",
            ),
            &[("egress.services[0].resolution", "NotAllowed")],
        ),
        (
            "mutual origination without credential, on an https port",
            egress(
                "{services: [{name: x, namespace: p, hosts: [a.com], ports: [{number: 443, protocol: https}], tls: {mode: mutual}}]}",
            ),
            &[
                ("egress.services[0].tls.credential", "Empty"),
                ("egress.services[0].tls", "Conflict"),
            ],
        ),
        (
            "duplicate names and hosts",
            egress(
                "{services: [{name: x, namespace: p, hosts: [a.com], ports: [{number: 443, protocol: tls}]}, {name: x, namespace: p, hosts: [a.com], ports: [{number: 443, protocol: tls}]}]}",
            ),
            &[
                ("egress.services[1].name", "Duplicate"),
                ("egress.services[1].hosts[0]", "Duplicate"),
            ],
        ),
    ]);
}

#[test]
fn observability_and_installation_rules() {
    check(&[
        (
            "S36 tags",
            "observability: {metrics: {tags: [{metric: requests, add: {request_path: requestPath, response_code: responseCode}, remove: [destination_port]}]}}".into(),
            &[],
        ),
        (
            "empty tag change",
            "observability: {metrics: {tags: [{}]}}".into(),
            &[("observability.metrics.tags[0]", "Empty")],
        ),
        (
            "tag added and removed",
            "observability: {metrics: {tags: [{add: {a: requestId}, remove: [a]}]}}".into(),
            &[("observability.metrics.tags[0].remove", "Conflict")],
        ),
        (
            "S37 alerts",
            "observability: {metrics: {alerts: [{name: HighSidecarMemory, when: {proxyMemoryAbove: 500M}, for: 5m}, {when: {configSyncAbove: 30s}, for: 5m, severity: critical}]}}".into(),
            &[],
        ),
        (
            "bad alert name",
            "observability: {metrics: {alerts: [{name: 'high memory', when: {proxyMemoryAbove: 500M}, for: 5m}]}}".into(),
            &[("observability.metrics.alerts[0].name", "NotAllowed")],
        ),
        ("duplicate add-on", "observability: {addons: [kiali, kiali]}".into(), &[("observability.addons[1]", "Duplicate")]),
        ("S30 HA", "installation: {highAvailability: true, controlPlane: {replicas: 3}}".into(), &[]),
        (
            "HA with one replica",
            "installation: {highAvailability: true, controlPlane: {replicas: 1}}".into(),
            &[("installation.controlPlane.replicas", "Conflict")],
        ),
    ]);
}

#[test]
fn every_error_is_reported_at_once() {
    let yaml = r#"
services:
- name: 9lives
  namespace: prod
  ports: [{number: 80, protocol: http}]
  routes:
  - forward: {backends: [{version: v1, weight: 0}], retries: {attempts: 0}}
  - forward: {backends: [{service: nope}], timeout: 1s, retries: {attempts: 5, perTryTimeout: 1s}}
security:
  authorization:
  - {name: p, scope: mesh, rules: []}
"#;
    let got = problems(yaml);
    assert_eq!(
        got,
        [
            ("services[0].name", "ServiceName"),
            ("services[0].routes[0].forward.backends", "ZeroTotalWeight"),
            (
                "services[0].routes[0].forward.retries.attempts",
                "ZeroAttempts"
            ),
            (
                "services[0].routes[1].forward.retries",
                "RetriesExceedTimeout"
            ),
            ("security.authorization[0].rules", "Empty"),
            (
                "services[0].routes[0].forward.backends[0].version",
                "UnknownVersion"
            ),
            (
                "services[0].routes[1].forward.backends[0].service",
                "UnknownService"
            ),
        ]
        .map(|(p, v)| (p.to_owned(), v.to_owned()))
    );
}

#[test]
fn error_messages_name_the_path_and_say_what_to_do() {
    let mesh =
        Mesh::from_policy_unchecked(&route("{forward: {backends: [{version: v3}]}}")).unwrap();
    let err = mesh.validate().unwrap_err().to_string();
    assert_eq!(
        err,
        "services[0].routes[0].forward.backends[0].version: service prod/web has no version \"v3\" \
         (its versions: v1, v2); add the version or fix the reference"
    );
}

/// Parse errors: value types reject bad values with the field path.
#[test]
fn parse_errors_name_the_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "negative duration",
            "{forward: {backends: [{}], timeout: -1s}}",
            "must not be negative",
        ),
        (
            "duration without unit",
            "{forward: {backends: [{}], timeout: 10}}",
            "has no unit",
        ),
        (
            "port 0",
            "{forward: {backends: [{port: 0}]}}",
            "must be from 1 to 65535",
        ),
        (
            "bad version name",
            "{forward: {backends: [{version: V1}]}}",
            "DNS-1123",
        ),
        (
            "non-RE2 regex",
            "{match: [{path: {regex: '(?=a)'}}], forward: {backends: [{}]}}",
            "not a valid regular expression",
        ),
        (
            "relative path",
            "{match: [{path: {prefix: api}}], forward: {backends: [{}]}}",
            "must start with '/'",
        ),
        (
            "percent over 100",
            "{forward: {backends: [{}], mirrors: [{version: v2, percent: 150}]}}",
            "from 0 to 100",
        ),
        (
            "weight too large",
            "{forward: {backends: [{weight: 2000000}]}}",
            "at most 1000000",
        ),
        (
            "header name",
            "{match: [{headers: {'bad header': {exact: x}}}], forward: {backends: [{}]}}",
            "HTTP token",
        ),
        (
            "retry condition",
            "{forward: {backends: [{}], retries: {attempts: 1, on: [sometimes]}}}",
            "retry condition",
        ),
        (
            "redirect status",
            "{redirect: {scheme: https, status: 305}}",
            "301, 302, 303, 307 or 308",
        ),
        (
            "two actions",
            "{forward: {backends: [{}]}, respond: {status: 200}}",
            "exactly one of",
        ),
        ("no action", "{name: x}", "exactly one of"),
        (
            "unknown field",
            "{forward: {backends: [{}], timout: 1s}}",
            "unknown field `timout`",
        ),
    ];
    for (name, r, want) in cases {
        match Mesh::from_policy(&route(r)) {
            Err(PolicyError::Parse { path, message, .. }) => {
                let text = format!("{path}: {message}");
                assert!(text.contains(want), "{name}: {text}");
                // Errors raised after a route map is read are placed at the list.
                assert!(
                    path.as_str().starts_with("services[0].routes"),
                    "{name}: path {path}"
                );
            }
            other => panic!("{name}: expected a parse error, got {other:?}"),
        }
    }
}

#[test]
fn policy_round_trip() {
    let yaml = with_services(
        "  routes:\n  - name: canary\n    match: [{headers: {canary: {exact: 'true'}}, path: {prefix: /api}, method: GET}]\n    forward: {backends: [{version: v2}], timeout: 10s, retries: {attempts: 3, perTryTimeout: 2s, on: [5xx, 503]}}\n  - forward: {backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]}\n",
    );
    let mesh = Mesh::from_policy(&yaml).unwrap();
    let text = mesh.to_policy().unwrap();
    assert!(text.contains("prefix: /api"), "{text}");
    assert!(!text.contains('!'), "no YAML tags: {text}");
    assert_eq!(Mesh::from_policy(&text).unwrap(), mesh);
    let json = mesh_model::policy::to_json(&mesh).unwrap();
    assert_eq!(Mesh::from_policy(&json).unwrap(), mesh);
}

#[test]
fn secure_defaults() {
    let mesh = Mesh::from_policy("{}").unwrap();
    assert_eq!(mesh.security.mtls.mode, mesh_model::MtlsMode::Strict);
    assert_eq!(
        mesh.security.default_action,
        mesh_model::DefaultAction::Deny
    );
    assert_eq!(mesh.egress.policy, mesh_model::OutboundPolicy::RegistryOnly);
    assert_eq!(mesh.trust_domain.as_str(), "cluster.local");
    // Defaults are not written back.
    assert_eq!(mesh.to_policy().unwrap(), "{}\n");
}

/// Every composite type has a builder; builders of types with rules check
/// them, and defaults match the policy-file defaults.
#[test]
fn builders_cover_the_composite_types() {
    use mesh_model::*;
    let tracing = TracingBuilder::default()
        .provider(TracingProvider::Zipkin)
        .try_host("zipkin.istio-system")
        .unwrap()
        .port(Port::new(9411).unwrap())
        .build()
        .unwrap();
    assert_eq!(tracing.sampling.get(), 1.0, "same default as a policy file");
    let listener = ListenerBuilder::default()
        .port(Port::new(443).unwrap())
        .protocol(ListenerProtocol::Https)
        .build();
    assert!(
        matches!(listener, Err(BuildError::Invalid(_))),
        "https needs tls: {listener:?}"
    );
    let security = SecurityBuilder::default()
        .mtls(
            MtlsBuilder::default()
                .mode(MtlsMode::Permissive)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    assert_eq!(security.default_action, DefaultAction::Deny);
    let ns = NamespaceConfigBuilder::default()
        .try_name("prod")
        .unwrap()
        .build()
        .unwrap();
    assert!(ns.inject, "injection on by default, as in policy files");
    let missing = IdentityBuilder::default()
        .try_namespace("prod")
        .unwrap()
        .build();
    assert!(matches!(missing, Err(BuildError::Missing(f)) if f == "service_account"));
}
