//! Property tests: the precedence check against a simulation of both
//! matching disciplines, and the whole lowering over random models.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Mutex;

use mesh_k8s::gateway::precedence::{self, RegexRank, RouteEntry};
use mesh_linkerd::{CAPABILITIES, LinkerdBackend};
use mesh_model::{
    Backend, HeaderName, HttpPath, LowerError, Mesh, Method, PathMatch, Route, RouteMatch,
    StringMatch, Support,
};
use proptest::prelude::*;

const PATHS: [&str; 5] = ["/", "/a", "/a/b", "/ab", "/a/b/c"];
const REQUEST_PATHS: [&str; 6] = ["/", "/a", "/a/b", "/ab", "/a/b/c", "/z"];

fn path_match() -> impl Strategy<Value = Option<PathMatch>> {
    prop_oneof![
        Just(None),
        (0..PATHS.len()).prop_map(|i| Some(PathMatch::Exact(HttpPath::new(PATHS[i]).unwrap()))),
        (0..PATHS.len()).prop_map(|i| Some(PathMatch::Prefix(HttpPath::new(PATHS[i]).unwrap()))),
    ]
}

fn string_match() -> impl Strategy<Value = StringMatch> {
    prop_oneof![
        Just(StringMatch::Exact("1".into())),
        Just(StringMatch::Exact("2".into())),
        Just(StringMatch::Prefix("1".into())),
    ]
}

fn route_match() -> impl Strategy<Value = RouteMatch> {
    (
        path_match(),
        prop_oneof![
            Just(None),
            Just(Some(Method::Get)),
            Just(Some(Method::Post))
        ],
        proptest::option::of(string_match()),
        proptest::option::of(Just(StringMatch::Exact("1".into()))),
    )
        .prop_map(|(path, method, header, query)| RouteMatch {
            path,
            method,
            headers: header
                .map(|h| BTreeMap::from([(HeaderName::new("x").unwrap(), h)]))
                .unwrap_or_default(),
            query: query
                .map(|q| BTreeMap::from([("q".to_owned(), q)]))
                .unwrap_or_default(),
        })
}

fn routes() -> impl Strategy<Value = Vec<(Route, usize)>> {
    proptest::collection::vec(
        (
            proptest::collection::vec(route_match(), 0..3),
            0u32..3,
            0usize..2,
        ),
        1..5,
    )
    .prop_map(|rs| {
        rs.into_iter()
            .map(|(matches, v, group)| {
                let yaml = format!("forward: {{backends: [{{version: v{v}}}]}}");
                let mut r: Route = mesh_k8s::from_yaml_str(&yaml).unwrap();
                r.matches = matches;
                (r, group)
            })
            .collect()
    })
}

struct Request {
    path: &'static str,
    method: Method,
    x: Option<&'static str>,
    q: Option<&'static str>,
}

fn str_ok(m: &StringMatch, v: Option<&str>) -> bool {
    match (m, v) {
        (_, None) => false,
        (StringMatch::Exact(e), Some(v)) => e == v,
        (StringMatch::Prefix(p), Some(v)) => v.starts_with(p.as_str()),
        (StringMatch::Regex(_), _) => unreachable!(),
    }
}

fn matches(m: &RouteMatch, r: &Request) -> bool {
    let path_ok = match &m.path {
        None => true,
        Some(PathMatch::Exact(p)) => p.as_str() == r.path,
        Some(PathMatch::Prefix(p)) => {
            let p = p.as_str().trim_end_matches('/');
            p.is_empty()
                || r.path == p
                || r.path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        }
        Some(PathMatch::Regex(_)) => unreachable!(),
    };
    path_ok
        && m.method.is_none_or(|x| x == r.method)
        && m.headers.values().all(|h| str_ok(h, r.x))
        && m.query.values().all(|q| str_ok(q, r.q))
}

fn outcome(r: &Route) -> String {
    serde_json::to_string(&r.forward().unwrap().backends).unwrap()
}

fn all_matches(r: &Route) -> Vec<RouteMatch> {
    if r.matches.is_empty() {
        vec![RouteMatch::default()]
    } else {
        r.matches.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// When the check passes, most-specific-match over the planned rules
    /// gives every request what first-match over the model routes gives.
    #[test]
    fn precedence_plan_agrees_with_first_match(rs in routes()) {
        let entries: Vec<RouteEntry<'_>> = rs
            .iter()
            .enumerate()
            .map(|(i, (r, g))| RouteEntry::new(r, *g, format!("routes[{i}]")))
            .collect();
        let Ok(plan) = precedence::plan(&entries, RegexRank::BetweenExactAndPrefix) else {
            return Ok(());
        };
        for path in REQUEST_PATHS {
            for method in [Method::Get, Method::Post] {
                for x in [None, Some("1"), Some("2"), Some("12")] {
                    for q in [None, Some("1")] {
                        let req = Request { path, method, x, q };
                        let first = rs
                            .iter()
                            .find(|(r, _)| all_matches(r).iter().any(|m| matches(m, &req)))
                            .map(|(r, _)| outcome(r));
                        // Candidates: (rule position, group, match, outcome).
                        let mut cands: Vec<(usize, usize, RouteMatch, String)> = Vec::new();
                        for (pos, pr) in plan.rules.iter().enumerate() {
                            let (r, g) = &rs[pr.entry];
                            let kept: Vec<RouteMatch> = if pr.matches.is_empty() {
                                vec![RouteMatch::default()]
                            } else {
                                pr.matches.iter().map(|k| r.matches[*k].clone()).collect()
                            };
                            for m in kept.into_iter().filter(|m| matches(m, &req)) {
                                cands.push((pos, *g, m, outcome(r)));
                            }
                        }
                        let best = cands.iter().max_by(|a, b| {
                            precedence::compare(&a.2, &b.2, RegexRank::BetweenExactAndPrefix)
                                .unwrap()
                                .then(b.0.cmp(&a.0))
                        });
                        if let Some(best) = best {
                            // Ties across objects must not matter.
                            for c in &cands {
                                let tie = precedence::compare(&c.2, &best.2, RegexRank::BetweenExactAndPrefix)
                                    == Some(Ordering::Equal);
                                prop_assert!(
                                    !(tie && c.1 != best.1 && c.3 != best.3),
                                    "cross-object tie decides {path} {method:?} {x:?} {q:?}"
                                );
                            }
                        }
                        prop_assert_eq!(best.map(|b| b.3.clone()), first, "{} {:?} {:?} {:?}", path, method, x, q);
                    }
                }
            }
        }
    }
}

// === random models ===

fn service_yaml() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("http"), Just("grpc"), Just("tcp")],
        proptest::collection::vec(
            (
                prop_oneof![Just("{prefix: /a}"), Just("{exact: /a/b}"), Just("{regex: '/r.*'}")],
                0u32..3,
                prop_oneof![
                    Just(""),
                    Just(", timeout: 3s"),
                    Just(", retries: {attempts: 2, on: [5xx]}"),
                    Just(", retries: {attempts: 2, perTryTimeout: 1s, on: [gateway-error, connect-failure]}"),
                    Just(", mirrors: [{version: v0}]"),
                    Just(", fault: {abort: {status: 503, percent: 10}}"),
                ],
            ),
            0..3,
        ),
        prop_oneof![Just(""), Just("unmatched: notFound"), Just("unmatched: {version: v1}")],
        prop_oneof![
            Just(""),
            Just("resilience: {timeout: 10s}"),
            Just("resilience: {outlierDetection: {consecutive5xx: 3}}"),
            Just("resilience: {rateLimit: {requests: 10, per: 1s}}"),
            Just("resilience: {loadBalancer: random}"),
            Just("resilience: {retries: {attempts: 1}}"),
        ],
    )
        .prop_map(|(proto, routes, unmatched, resilience)| {
            let mut s = format!(
                "- name: svc\n  namespace: ns\n  ports: [{{number: 80, protocol: {proto}}}]\n  versions: [{{name: v0}}, {{name: v1}}, {{name: v2}}]\n"
            );
            if proto != "tcp" && !routes.is_empty() {
                s.push_str("  routes:\n");
                for (path, v, extra) in &routes {
                    s.push_str(&format!(
                        "  - match: [{{path: {path}}}]\n    forward: {{backends: [{{version: v{v}}}]{extra}}}\n"
                    ));
                }
                if !unmatched.is_empty() {
                    s.push_str(&format!("  {unmatched}\n"));
                }
            }
            if !resilience.is_empty() {
                s.push_str(&format!("  {resilience}\n"));
            }
            s
        })
}

fn mesh_yaml() -> impl Strategy<Value = String> {
    (
        service_yaml(),
        prop_oneof![Just("deny"), Just("allow")],
        prop_oneof![Just("strict"), Just("permissive")],
        prop_oneof![
            Just(""),
            Just("  authorization:\n  - name: p\n    scope: {service: {name: svc, namespace: ns}}\n    rules: [{from: [{namespace: ns}]}]\n"),
            Just("  authorization:\n  - name: d\n    scope: {namespace: ns}\n    action: deny\n    rules: [{from: [{ipBlock: 10.0.0.0/8}]}]\n"),
            Just("  authorization:\n  - name: p\n    scope: {namespace: ns}\n    rules: [{to: [{methods: [GET], paths: [{prefix: /x}]}]}, {from: [{ipBlock: 10.0.0.0/8}]}]\n"),
        ],
        prop_oneof![
            Just(""),
            Just("ingress:\n- name: gw\n  namespace: edge\n  hosts: [a.example.com]\n  listeners: [{port: 80, protocol: http}]\n  routes:\n  - match: [{path: {prefix: /a}}]\n    forward: {backends: [{service: svc, namespace: ns, version: v1}], timeout: 2s}\n  - forward: {backends: [{service: svc, namespace: ns}]}\n"),
            Just("egress:\n  services:\n  - name: ext\n    namespace: ns\n    hosts: [api.example.com]\n    ports: [{number: 80, protocol: http}]\n"),
            Just("egress:\n  policy: allowAny\n  services:\n  - name: ext\n    namespace: ns\n    hosts: [db.example.com]\n    ports: [{number: 5432, protocol: tcp}]\n"),
        ],
    )
        .prop_map(|(svc, default, mode, authz, edge)| {
            format!("services:\n{svc}security:\n  defaultAction: {default}\n  mtls: {{mode: {mode}}}\n{authz}{edge}")
        })
}

static OUTPUTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random valid models lower deterministically, or are refused only
    /// with `Unsupported` errors the capability table admits, each with a
    /// hint and a model path.
    #[test]
    fn random_models_lower_or_refuse_consistently(yaml in mesh_yaml()) {
        let Ok(mesh) = Mesh::from_policy(&yaml) else { return Ok(()) };
        let backend = LinkerdBackend::default();
        match backend.lower(&mesh) {
            Ok(out) => {
                let a = out.manifests.to_yaml().unwrap();
                let b = backend.lower(&mesh).unwrap().manifests.to_yaml().unwrap();
                prop_assert_eq!(&a, &b);
                OUTPUTS.lock().unwrap().push(a);
            }
            Err(errors) => {
                for e in errors.iter() {
                    let LowerError::Unsupported { feature, path, hint, .. } = e else {
                        panic!("{e}\n{yaml}");
                    };
                    let s = CAPABILITIES.get(*feature).support;
                    prop_assert!(matches!(s, Support::Partial | Support::Unsupported), "{:?} at {} is {:?}", feature, path, s);
                    prop_assert!(!hint.is_empty());
                    prop_assert!(
                        ["services[", "security.", "ingress[", "egress."].iter().any(|r| path.as_str().starts_with(r)),
                        "{}", path
                    );
                }
            }
        }
    }
}

/// The outputs of the random models pass crd-validate (one batch; runs
/// after the property test in the same process when both are selected,
/// and generates its own otherwise).
#[test]
fn random_model_outputs_validate() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = mesh_yaml();
    let mut stream = String::new();
    let mut n = 0;
    for _ in 0..200 {
        let yaml = strategy.new_tree(&mut runner).unwrap().current();
        let Ok(mesh) = Mesh::from_policy(&yaml) else {
            continue;
        };
        if let Ok(out) = LinkerdBackend::default().lower(&mesh) {
            if !stream.is_empty() {
                stream.push_str("---\n");
            }
            stream.push_str(&out.manifests.to_yaml().unwrap());
            n += 1;
        }
    }
    for y in OUTPUTS.lock().unwrap().iter() {
        stream.push_str("---\n");
        stream.push_str(y);
    }
    assert!(n > 10, "too few random models lowered: {n}");
    match mesh_k8s::testing::require_shared() {
        Ok(_) => {
            let report = mesh_k8s::testing::crd_validate(&stream).unwrap();
            assert!(report.passed, "{}", report.output);
        }
        Err(why) if mesh_k8s::testing::in_ci() => panic!("{why}"),
        Err(why) => println!("skipping crd-validate: {why}"),
    }
}
