//! Lifting Linkerd objects into the model: seed scenarios lowered and
//! lifted back, random models (`lift(lower(m)) == normalize(m)`), the
//! corpus (never panics, always a valid model), and the rules every
//! Skipped entry follows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use mesh_k8s::testing::{in_ci, json_diff, read_corpus, require_shared, type_of};
use mesh_linkerd::lift::object_ref;
use mesh_linkerd::{LinkerdBackend, LinkerdLift, LinkerdObject};
use mesh_model::lift::{Lift, Lifted};
use mesh_model::{
    Action, Backend, DefaultAction, Forward, Labels, Mesh, MtlsMode, Route, Scope, Service,
    Unmatched, Weight,
};
use serde_json::Value;

fn lower(mesh: &Mesh) -> Option<Vec<LinkerdObject>> {
    let out = LinkerdBackend::default().lower(mesh).ok()?;
    Some(out.manifests.iter().cloned().collect())
}

fn lift(objects: &[LinkerdObject]) -> Lifted {
    LinkerdLift::default().lift(objects)
}

// === normalize ===

/// Whether a route forwards to the whole owning service and does nothing
/// else (Linkerd needs no HTTPRoute for it).
fn plain(r: &Route) -> bool {
    match &r.action {
        Action::Forward(f) => {
            r.request_headers.is_empty()
                && r.response_headers.is_empty()
                && f.mirrors.is_empty()
                && f.rewrite.is_none()
                && f.fault.is_none()
                && f.timeout.is_none()
                && f.retries.is_none()
                && f.backends.iter().all(|b| {
                    b.service.is_none()
                        && b.namespace.is_none()
                        && b.version.is_none()
                        && b.port.is_none()
                })
        }
        _ => false,
    }
}

/// The last route as `unmatched`, when it is a catch-all to the service or
/// one version and nothing else.
fn unmatched_of(r: &Route) -> Option<Unmatched> {
    let Action::Forward(f) = &r.action else {
        return None;
    };
    let only = r.is_catch_all()
        && r.request_headers.is_empty()
        && r.response_headers.is_empty()
        && *f
            == Forward {
                backends: f.backends.clone(),
                ..Forward::default()
            };
    match f.backends.as_slice() {
        [b] if only
            && b.service.is_none()
            && b.namespace.is_none()
            && b.port.is_none()
            && b.weight == Weight::default() =>
        {
            Some(
                b.version
                    .clone()
                    .map_or(Unmatched::Service, Unmatched::Version),
            )
        }
        _ => None,
    }
}

/// Model spellings that mean the same on Linkerd, written the way the lift
/// writes them:
///
/// 1. route names are dropped (Gateway API rules written by the lowering
///    carry none);
/// 2. routes that all forward plainly to the service itself are no routes
///    (the lowering writes no HTTPRoute for them);
/// 3. a last catch-all forwarding to the service or one version, with
///    nothing else, is `unmatched`; a service without routes has the
///    default `unmatched`;
/// 4. version labels `version: <name>` and selectors `app: <name>` are the
///    defaults (empty); port names equal to the default are absent;
/// 5. `namespaces` entries that are injected, unlabelled and in use anyway
///    are dropped;
/// 6. services and versions in name order, authorization policies in
///    name order, operations merged (methods sorted), ports covering every
///    port of the service absent, rules without sources spelled
///    `authenticated` (strict) or `any` (permissive);
/// 7. mTLS overrides equal to the enclosing mode are dropped; under
///    deny-by-default Linkerd writes no mode (`deny` covers both), so the
///    mesh mode is strict and namespace modes are dropped.
fn mode_of(m: &Mesh, ns: &str) -> MtlsMode {
    m.security
        .mtls
        .overrides
        .iter()
        .find(|o| matches!(&o.scope, Scope::Namespace(n) if n.as_str() == ns))
        .and_then(|o| o.mode)
        .unwrap_or(m.security.mtls.mode)
}

fn normalize(mut m: Mesh) -> Mesh {
    // Installation goes to Helm values (installer inputs, not objects) and
    // of observability only access logs are lifted (monitors, alerts and
    // the dashboard are reported as skipped).
    m.installation = None;
    m.observability = mesh_model::Observability {
        access_logs: m.observability.access_logs.take(),
        ..mesh_model::Observability::default()
    };
    for s in &mut m.services {
        for r in &mut s.routes {
            r.name = None;
        }
        if s.routes.iter().all(plain) {
            s.routes.clear();
        }
        // Routes after a catch-all never match.
        if let Some(k) = s.routes.iter().position(Route::is_catch_all) {
            s.routes.truncate(k + 1);
        }
        match s.routes.last() {
            None => s.unmatched = Unmatched::Service,
            Some(last) if s.routes.len() > 1 && unmatched_of(last).is_some() => {
                s.unmatched = unmatched_of(last).unwrap();
                s.routes.pop();
            }
            Some(last) if last.is_catch_all() => s.unmatched = Unmatched::Service,
            Some(_) => {}
        }
        s.versions.sort_by(|a, b| a.name.cmp(&b.name));
        for v in &mut s.versions {
            let d = mesh_model::Version {
                labels: Labels::new(),
                ..v.clone()
            }
            .pod_labels();
            if v.labels == d {
                v.labels = Labels::new();
            }
        }
        let d = Service {
            selector: Labels::new(),
            ..s.clone()
        }
        .pod_selector();
        if s.selector == d {
            s.selector = Labels::new();
        }
        let defaults: Vec<String> = s
            .ports
            .iter()
            .map(|p| {
                s.port_name(&mesh_model::ServicePort {
                    name: None,
                    ..p.clone()
                })
            })
            .collect();
        for p in &mut s.ports {
            if p.target_port == Some(p.number) {
                p.target_port = None;
            }
        }
        for (p, d) in s.ports.iter_mut().zip(defaults) {
            if p.name.as_ref().is_some_and(|n| n.as_str() == d) {
                p.name = None;
            }
        }
    }
    let in_use = Mesh {
        namespaces: Vec::new(),
        ..m.clone()
    }
    .namespaces_in_use();
    m.namespaces
        .retain(|n| !(n.inject && n.labels.is_empty() && in_use.contains_key(&n.name)));
    m.services
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    // Operations as the lift merges them; ports covering every (HTTP, for
    // L7 operations) port of the service are no ports.
    let ports: BTreeMap<String, Vec<mesh_model::ServicePort>> = m
        .services
        .iter()
        .map(|s| (s.reference().to_string(), s.ports.clone()))
        .collect();
    for p in &mut m.security.authorization {
        let svc_ports = match &p.scope {
            Scope::Service(r) => ports.get(&r.to_string()).cloned(),
            _ => None,
        };
        for r in &mut p.rules {
            for op in &mut r.to {
                op.methods.sort();
                if let Some(sp) = &svc_ports {
                    let mut all: Vec<_> = sp
                        .iter()
                        .filter(|x| !op.is_l7() || x.protocol.is_l7())
                        .map(|x| x.number)
                        .collect();
                    all.sort();
                    let mut mine = op.ports.clone();
                    mine.sort();
                    if mine == all {
                        op.ports.clear();
                    }
                }
            }
            r.to.retain(|o| *o != mesh_model::Operation::default());
        }
    }
    m.security.authorization.sort_by(|a, b| a.name.cmp(&b.name));
    // An allow rule without sources: any authenticated client under
    // strict mTLS, anyone under permissive.
    let snapshot = m.clone();
    for p in &mut m.security.authorization {
        let Scope::Service(r) = &p.scope else {
            continue;
        };
        let src = match mode_of(&snapshot, r.namespace.as_str()) {
            MtlsMode::Permissive => mesh_model::Source::Any,
            _ => mesh_model::Source::Authenticated,
        };
        for rule in &mut p.rules {
            if rule.from.is_empty() {
                rule.from.push(src.clone());
            }
        }
    }
    // Label-selected workloads' modes without ports have no Linkerd
    // object (refused under allow-by-default, no effect under deny).
    m.security
        .mtls
        .overrides
        .retain(|o| !(matches!(o.scope, Scope::Workload(_)) && o.ports.is_empty()));
    // Namespace modes: Linkerd writes one per namespace in use; the
    // mesh's is the majority's (ties: strict), the others are overrides.
    let modes: Vec<(mesh_model::Name, MtlsMode)> = in_use
        .keys()
        .chain(m.namespaces.iter().map(|n| &n.name))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|n| (n.clone(), mode_of(&m, n.as_str())))
        .collect();
    let permissive = modes.iter().filter(|x| x.1 == MtlsMode::Permissive).count();
    let strict = modes.len() - permissive;
    if !modes.is_empty() {
        m.security.mtls.mode = if permissive > strict {
            MtlsMode::Permissive
        } else {
            MtlsMode::Strict
        };
    }
    let mesh_mode = m.security.mtls.mode;
    m.security
        .mtls
        .overrides
        .retain(|o| !matches!(o.scope, Scope::Namespace(_)));
    let ns_overrides: Vec<mesh_model::MtlsOverride> = modes
        .into_iter()
        .filter(|(_, md)| *md != mesh_mode)
        .map(|(n, md)| mesh_model::MtlsOverride {
            scope: Scope::Namespace(n),
            mode: Some(md),
            ports: BTreeMap::new(),
        })
        .collect();
    m.security.mtls.overrides.splice(0..0, ns_overrides);
    if m.security.default_action == DefaultAction::Deny {
        m.security.mtls.mode = MtlsMode::Strict;
        m.security
            .mtls
            .overrides
            .retain(|o| !matches!(o.scope, Scope::Namespace(_)));
    }
    m
}

fn diff(a: &Mesh, b: &Mesh) -> Option<String> {
    json_diff(
        &serde_json::to_value(a).unwrap(),
        &serde_json::to_value(b).unwrap(),
    )
}

// === Skipped entries ===

fn check_skipped(l: &Lifted, objects: &[LinkerdObject]) {
    let refs: Vec<_> = objects.iter().map(object_ref).collect();
    for s in &l.skipped {
        assert!(!s.reason.trim().is_empty(), "no reason: {s}");
        assert!(refs.contains(&s.object), "unknown object: {s}");
        let p = s.path.as_str();
        assert!(
            p.is_empty() || p.starts_with("spec") || p.starts_with("metadata"),
            "path not in the object: {s}"
        );
    }
}

// === seed scenarios ===

fn scenarios() -> Vec<(String, Mesh)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                Mesh::from_policy(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// Scenarios whose lift differs from `normalize(model)`, and why.
const SCENARIO_DIFFERENCES: &[(&str, &str)] = &[
    (
        "S02-retries-golden-metrics",
        "the service's retry conditions come back spelled out (the model's default set, explicit)",
    ),
    (
        "S28-config-scope-hold-app",
        "a namespace-scoped policy lowered for several Servers lifts as one policy per Server with the same name; the second is dropped and reported (lift gap)",
    ),
    (
        "S30-linkerd-ha-install",
        "an installation-only model: the lift reads the control plane's outbound default as an explicit egress policy (lift gap)",
    ),
    (
        "S38-validation-pitfalls",
        "a TLS-passthrough listener without hosts cannot be an ingress of the model; the Gateway is reported",
    ),
];

#[test]
fn scenarios_lowered_to_linkerd_lift_back() {
    let mut found = Vec::new();
    let mut n = 0;
    for (name, mesh) in scenarios() {
        let Some(objects) = lower(&mesh) else {
            continue;
        };
        n += 1;
        let lifted = lift(&objects);
        lifted.mesh.validate().unwrap();
        check_skipped(&lifted, &objects);
        let expected = normalize(mesh);
        if let Some(d) = diff(&expected, &lifted.mesh) {
            println!("{name}: {d}");
            for s in &lifted.skipped {
                println!("  skipped: {s}");
            }
            found.push(name);
        }
    }
    let expected: Vec<&str> = SCENARIO_DIFFERENCES.iter().map(|(n, _)| *n).collect();
    assert_eq!(found, expected);
    assert!(n >= 10, "{n} scenarios lowered");
}

// === random models ===

/// A random model cut down to what Linkerd's capability table calls
/// Native (weighted splits of all traffic, default deny, mesh and
/// namespace modes) plus allow policies, which round-trip too.
fn restrict(mut m: Mesh) -> Mesh {
    for s in &mut m.services {
        s.resilience = Default::default();
        s.routes.truncate(1);
        for r in &mut s.routes {
            r.matches.clear();
            if let Action::Forward(f) = &mut r.action {
                f.retries = None;
                f.timeout = None;
                f.fault = None;
                f.mirrors.clear();
            }
        }
    }
    m.security
        .authorization
        .retain(|p| p.action == mesh_model::AuthzAction::Allow);
    m
}

mod properties {
    use super::*;
    use mesh_model::strategy::{MeshSize, mesh};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn lift_of_lower_is_the_normalized_model(m in mesh(MeshSize::core())) {
            let m = restrict(m);
            prop_assume!(m.validate().is_ok());
            let Some(objects) = lower(&m) else {
                return Err(TestCaseError::reject("not lowered"));
            };
            let lifted = lift(&objects);
            prop_assert!(lifted.mesh.validate().is_ok(), "{:?}", lifted.mesh.validate());
            check_skipped(&lifted, &objects);
            let expected = normalize(m.clone());
            prop_assert!(
                diff(&expected, &lifted.mesh).is_none(),
                "{}\nmodel:\n{}\nskipped: {:#?}",
                diff(&expected, &lifted.mesh).unwrap_or_default(),
                serde_json::to_string_pretty(&m).unwrap(),
                lifted.skipped
            );
        }
    }
}

// === corpus ===

/// A corpus document as a [`LinkerdObject`], for the kinds the enum has;
/// `None` for other kinds and for documents that do not parse (the crds
/// tests cover those).
fn typed(v: &Value) -> Option<LinkerdObject> {
    use mesh_linkerd::crds as c;
    let (av, kind) = type_of(v)?;
    let group = av.rsplit_once('/').map_or("", |(g, _)| g);
    let v = v.clone();
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Option<T> {
        serde_json::from_value(v).ok()
    }
    Some(match (group, kind) {
        ("", "Namespace") => LinkerdObject::Namespace(de(v)?),
        ("", "Service") => LinkerdObject::Service(de(v)?),
        ("policy.linkerd.io", "Server") => LinkerdObject::Server(de::<Box<c::Server>>(v)?),
        ("policy.linkerd.io", "AuthorizationPolicy") => LinkerdObject::AuthorizationPolicy(de(v)?),
        ("policy.linkerd.io", "MeshTLSAuthentication") => {
            LinkerdObject::MeshTlsAuthentication(de(v)?)
        }
        ("policy.linkerd.io", "NetworkAuthentication") => {
            LinkerdObject::NetworkAuthentication(de(v)?)
        }
        ("policy.linkerd.io", "HTTPRoute") => LinkerdObject::HttpRoute(de(v)?),
        ("policy.linkerd.io", "EgressNetwork") => LinkerdObject::EgressNetwork(de(v)?),
        ("policy.linkerd.io", "HTTPLocalRateLimitPolicy") => {
            LinkerdObject::HttpLocalRateLimitPolicy(de(v)?)
        }
        ("linkerd.io", "ServiceProfile") => LinkerdObject::ServiceProfile(de(v)?),
        ("split.smi-spec.io", "TrafficSplit") if av.ends_with("/v1alpha2") => {
            LinkerdObject::TrafficSplit(de(v)?)
        }
        ("gateway.networking.k8s.io", "HTTPRoute") => LinkerdObject::GatewayHttpRoute(de(v)?),
        ("gateway.networking.k8s.io", "Gateway") => LinkerdObject::Gateway(de(v)?),
        ("gateway.networking.k8s.io", "ReferenceGrant") => LinkerdObject::ReferenceGrant(de(v)?),
        _ => return None,
    })
}

/// Per kind: (objects, lifted, skipped as a whole, skipped fields).
type Counts = BTreeMap<String, (usize, usize, usize, usize)>;

fn count(objects: &[LinkerdObject], l: &Lifted, counts: &mut Counts) {
    for o in objects {
        let r = object_ref(o);
        let whole = l
            .skipped
            .iter()
            .any(|s| s.object == r && s.path.as_str().is_empty());
        let fields = l
            .skipped
            .iter()
            .filter(|s| s.object == r && !s.path.as_str().is_empty())
            .count();
        let e = counts.entry(r.kind.clone()).or_default();
        e.0 += 1;
        if whole {
            e.2 += 1;
        } else {
            e.1 += 1;
        }
        e.3 += fields;
    }
}

/// Every corpus file's typed documents lifted together: no panic, a valid
/// model, well-formed Skipped entries; then the whole corpus at once.
#[test]
fn corpus_lifts_to_valid_models() {
    let shared = match require_shared() {
        Ok(s) => s,
        Err(why) if in_ci() => panic!("{why}"),
        Err(why) => {
            println!("skipping: {why}");
            return;
        }
    };
    let docs = read_corpus(&shared.join("corpus/linkerd"));
    let mut by_file: BTreeMap<std::path::PathBuf, Vec<LinkerdObject>> = BTreeMap::new();
    for d in &docs {
        if let Ok(v) = &d.value
            && let Some(o) = typed(v)
        {
            by_file.entry(d.path.clone()).or_default().push(o);
        }
    }
    let mut counts = Counts::new();
    let mut all = Vec::new();
    for (path, objects) in &by_file {
        let l = lift(objects);
        assert!(
            l.mesh.validate().is_ok(),
            "{}: {:?}",
            path.display(),
            l.mesh.validate()
        );
        check_skipped(&l, objects);
        count(objects, &l, &mut counts);
        all.extend(objects.iter().cloned());
    }
    let l = lift(&all);
    assert!(l.mesh.validate().is_ok());
    check_skipped(&l, &all);
    println!(
        "{} files, {} typed objects; per kind (lifted per file):",
        by_file.len(),
        all.len()
    );
    println!(
        "{:<28} {:>7} {:>7} {:>9} {:>14}",
        "kind", "objects", "lifted", "skipped", "fields skipped"
    );
    for (k, (n, lifted, skipped, fields)) in &counts {
        println!("{k:<28} {n:>7} {lifted:>7} {skipped:>9} {fields:>14}");
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for s in &l.skipped {
        *reasons
            .entry(format!("{}: {}", s.object.kind, s.reason))
            .or_default() += 1;
    }
    println!("skipped reasons (whole corpus at once):");
    for (r, n) in reasons {
        println!("{n:>5}  {r}");
    }
    assert!(
        all.len() > 50,
        "too few typed corpus objects: {}",
        all.len()
    );
}

// === table tests: hand-written Linkerd manifests (from the seeds) ===

fn objects(yaml: &str) -> Vec<LinkerdObject> {
    serde_yaml::Deserializer::from_str(yaml)
        .map(|d| {
            let v: Value = serde::Deserialize::deserialize(d).unwrap();
            typed(&v).unwrap_or_else(|| panic!("not a Linkerd object: {v}"))
        })
        .collect()
}

const SERVICES: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: SVC, namespace: NS}
spec: {selector: {app: SVC}, ports: [{name: http, port: PORT}]}
---
apiVersion: v1
kind: Service
metadata: {name: SVC-v1, namespace: NS}
spec: {selector: {app: SVC, version: v1}, ports: [{name: http, port: PORT}]}
---
apiVersion: v1
kind: Service
metadata: {name: SVC-v2, namespace: NS}
spec: {selector: {app: SVC, version: v2}, ports: [{name: http, port: PORT}]}
"#;

fn services(svc: &str, ns: &str, port: u16) -> String {
    SERVICES
        .replace("SVC", svc)
        .replace("NS", ns)
        .replace("PORT", &port.to_string())
}

/// (case, Linkerd manifests, expected model, substrings of expected
/// Skipped entries).
fn cases() -> Vec<(&'static str, String, &'static str, Vec<&'static str>)> {
    vec![
        (
            "seed 001/S10: SMI TrafficSplit between per-version Services",
            services("web-svc", "default", 80)
                + r#"---
apiVersion: split.smi-spec.io/v1alpha2
kind: TrafficSplit
metadata: {name: web-svc-split, namespace: default}
spec:
  service: web-svc
  backends:
  - {service: web-svc-v1, weight: 500}
  - {service: web-svc-v2, weight: 500}
"#,
            r#"
services:
- name: web-svc
  namespace: default
  ports: [{number: 80, protocol: http}]
  versions: [{name: v1}, {name: v2}]
  routes:
  - forward: {backends: [{version: v1, weight: 500}, {version: v2, weight: 500}]}
security: {defaultAction: allow, mtls: {mode: permissive}}
egress: {policy: allowAny}
"#,
            vec![],
        ),
        (
            "S08: canary header route, catch-all written first, retry and timeout annotations",
            services("helloworld", "default", 5000)
                + r#"---
apiVersion: v1
kind: Namespace
metadata:
  name: default
  annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: all-authenticated}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: helloworld
  namespace: default
  annotations: {retry.linkerd.io/http: 5xx, retry.linkerd.io/limit: "2", timeout.linkerd.io/request: 3s}
spec:
  parentRefs: [{name: helloworld, kind: Service, group: "", port: 5000}]
  rules:
  - backendRefs:
    - {name: helloworld-v1, port: 5000, weight: 90}
    - {name: helloworld-v2, port: 5000, weight: 10}
  - matches: [{headers: [{name: canary, value: "true"}]}]
    backendRefs: [{name: helloworld-v2, port: 5000}]
"#,
            r#"
services:
- name: helloworld
  namespace: default
  ports: [{number: 5000, protocol: http}]
  versions: [{name: v1}, {name: v2}]
  routes:
  - match: [{headers: {canary: {exact: "true"}}}]
    forward:
      backends: [{version: v2}]
      timeout: 3s
      retries: {attempts: 2, on: [5xx]}
  - forward:
      backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
      timeout: 3s
      retries: {attempts: 2, on: [5xx]}
security: {defaultAction: allow}
egress: {policy: allowAny}
"#,
            vec![],
        ),
        (
            "S05: httpbin accepts GET /info from sleep only (Server, policy HTTPRoute, MeshTLSAuthentication)",
            r#"
apiVersion: v1
kind: Namespace
metadata:
  name: default
  annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: deny, config.linkerd.io/access-log: json}
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: default}
spec: {selector: {app: httpbin}, ports: [{name: http, port: 8000, targetPort: 80}]}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: httpbin, namespace: default}
spec: {podSelector: {matchLabels: {app: httpbin}}, port: 80, proxyProtocol: HTTP/1}
---
apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: httpbin-info, namespace: default}
spec:
  parentRefs: [{name: httpbin, kind: Server, group: policy.linkerd.io}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /info}, method: GET}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: sleep-reads-info, namespace: default}
spec:
  targetRef: {group: policy.linkerd.io, kind: HTTPRoute, name: httpbin-info}
  requiredAuthenticationRefs:
  - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: sleep}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: sleep, namespace: default}
spec:
  identities: [sleep.default.serviceaccount.identity.linkerd.cluster.local]
"#
            .to_owned(),
            r#"
services:
- name: httpbin
  namespace: default
  ports: [{number: 8000, protocol: http, targetPort: 80}]
identities: [{namespace: default, serviceAccount: sleep}]
security:
  authorization:
  - name: sleep-reads-info
    scope: {service: {name: httpbin, namespace: default}}
    rules:
    - from: [{identity: {namespace: default, serviceAccount: sleep}}]
      to: [{methods: [GET], paths: [{prefix: /info}]}]
egress: {policy: allowAny}
observability: {accessLogs: {format: json}}
"#,
            vec![],
        ),
        (
            "S15: rate limit, EgressNetwork, and what the model cannot say",
            r#"
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations: {linkerd.io/inject: enabled, config.linkerd.io/default-inbound-policy: all-unauthenticated}
---
apiVersion: v1
kind: Service
metadata: {name: productpage, namespace: shop}
spec: {selector: {app: productpage}, ports: [{name: web, appProtocol: http, port: 9080}]}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: productpage-http, namespace: shop}
spec: {podSelector: {matchLabels: {app: productpage}}, port: 9080, accessPolicy: all-unauthenticated}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: HTTPLocalRateLimitPolicy
metadata: {name: productpage, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: productpage-http}
  total: {requestsPerSecond: 100}
  identity: {requestsPerSecond: 20}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: EgressNetwork
metadata: {name: all-egress, namespace: shop}
spec: {trafficPolicy: Deny}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: productpage-mirror, namespace: shop}
spec:
  parentRefs: [{name: productpage, kind: Service, group: "", port: 9080}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: productpage, port: 9080}}}]
    backendRefs: [{name: productpage, port: 9080}]
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: legacy, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [legacy]}]}
  port: 8080
"#
            .to_owned(),
            r#"
namespaces: []
services:
- name: productpage
  namespace: shop
  ports: [{number: 9080, protocol: http, name: web}]
  resilience:
    rateLimit: {requests: 100, per: 1s, perIdentity: 20}
  routes:
  - match: [{path: {prefix: /api}}]
    forward: {backends: [{}]}
  unmatched: notFound
security: {defaultAction: allow, mtls: {mode: permissive}}
"#,
            vec![
                "HTTPRoute shop/productpage-mirror: spec.rules[0].filters[0]: Linkerd does not mirror",
                "Server shop/legacy: not lifted: spec.selector",
            ],
        ),
    ]
}

#[test]
fn hand_written_manifests_lift_to_the_expected_model() {
    for (case, yaml, expected, skipped) in cases() {
        let objects = objects(&yaml);
        let lifted = lift(&objects);
        check_skipped(&lifted, &objects);
        let expected = Mesh::from_policy(expected).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            diff(&expected, &lifted.mesh),
            None,
            "{case}: {:#?}",
            lifted.skipped
        );
        let got: Vec<String> = lifted.skipped.iter().map(ToString::to_string).collect();
        for s in &skipped {
            assert!(
                got.iter().any(|g| g.starts_with(s)),
                "{case}: no skipped entry {s:?} in {got:#?}"
            );
        }
        assert_eq!(got.len(), skipped.len(), "{case}: {got:#?}");
    }
}
