//! Lifting Consul config entries into the model: seed scenarios lowered
//! and lifted back, random models (`lift(lower(m)) == normalize(m)`), the
//! corpus (never panics, always a valid model), hand-written entries, and
//! the rules every Skipped entry follows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::Path;

use mesh_consul::lift::{ConsulLift, object_ref};
use mesh_consul::lower::{ConsulBackend, ConsulObject};
use mesh_k8s::testing::{in_ci, json_diff, read_corpus, require_shared, type_of};
use mesh_model::lift::{Lift, Lifted};
use mesh_model::{
    Action, Backend, BackendRef, Forward, HeaderEdits, Labels, Mesh, OutlierDetection, Route,
    Scope, Unmatched, Weight,
};
use serde_json::Value;

fn lower(mesh: &Mesh) -> Option<Vec<ConsulObject>> {
    let out = ConsulBackend::default().lower(mesh).ok()?;
    Some(out.manifests.iter().cloned().collect())
}

fn lift(objects: &[ConsulObject]) -> Lifted {
    ConsulLift::default().lift(objects)
}

fn diff(a: &Mesh, b: &Mesh) -> Option<String> {
    json_diff(
        &serde_json::to_value(a).unwrap(),
        &serde_json::to_value(b).unwrap(),
    )
}

fn check_skipped(l: &Lifted, objects: &[ConsulObject]) {
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

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Model spellings that mean the same on Consul, written the way the lift
/// writes them:
///
/// 1. services have no ports (config entries name none; the protocol is
///    reported as skipped), no selector, no service account, and version
///    labels are the default (subsets filter on the version's name);
/// 2. route names are kept only for weighted routes (their splitter's
///    virtual service is named after the route); weights are the exact
///    percentages Consul gets, reduced;
/// 3. a route's timeout equal to the service's is inherited; the
///    service's retries are spelled out on every forwarding route without
///    its own (Consul keeps retries per route only);
///    retry conditions are spelled out (the default set when empty) in
///    name order; an HTTP service's missing timeout is none (the lowering
///    switches Envoy's 15s off);
/// 4. consecutive routes with one action are one route; a last catch-all
///    to the service itself (or its default version) with nothing else is
///    implicit; a service without routes whose unmatched requests go to
///    a version has one route to it (Consul's defaultSubset takes all its
///    traffic);
/// 5. path prefixes have no trailing `/`; query prefixes are regexes;
/// 6. outlier detection is spelled out with its defaults, and connection
///    limits and outlier detection exist only where some other service of
///    the model calls (Consul configures them on the caller);
/// 7. rate limits are per second, a burst equal to the rate is absent;
/// 8. versions in name order (resolver subsets are a map);
/// 9. namespace entries that are injected, unlabelled and in use are
///    dropped; services are in (namespace, name) order;
/// 10. `installation` goes to the Helm values (installer inputs, not
///     cluster objects), which the lift does not read; of observability
///     only access logs are lifted (tracing JSON, monitors, alerts and the
///     dashboard are reported as skipped).
fn normalize(mut m: Mesh) -> Mesh {
    m.installation = None;
    m.observability = mesh_model::Observability {
        access_logs: m.observability.access_logs.take(),
        ..mesh_model::Observability::default()
    };
    let n_services = m.services.len();
    for s in &mut m.services {
        s.ports.clear();
        s.selector = Labels::new();
        s.service_account = None;
        for v in &mut s.versions {
            v.labels = Labels::new();
        }
        s.versions.sort_by(|a, b| a.name.cmp(&b.name));
        let res = s.resilience.clone();
        for r in &mut s.routes {
            let Action::Forward(f) = &mut r.action else {
                continue;
            };
            if f.backends.len() < 2 {
                r.name = None;
                for b in &mut f.backends {
                    b.weight = Weight::default();
                }
            } else {
                let w: Vec<u32> = f.backends.iter().map(|b| b.weight.get()).collect();
                let mut h = mesh_model::percent_hundredths(&w).unwrap();
                let g = h.iter().fold(0, |g, x| gcd(g, *x));
                for x in &mut h {
                    *x /= g;
                }
                for (b, x) in f.backends.iter_mut().zip(h) {
                    b.weight = Weight::new(x).unwrap();
                }
            }
            if f.timeout == res.timeout {
                f.timeout = None;
            }
            if let Some(rp) = &mut f.retries {
                rp.on = rp.conditions();
                rp.on.sort_by_key(|c| c.name());
                rp.on.dedup();
            }
            for m in &mut r.matches {
                if let Some(mesh_model::PathMatch::Prefix(p)) = &mut m.path {
                    let t = p.as_str().trim_end_matches('/');
                    if !t.is_empty() {
                        *p = mesh_model::HttpPath::new(t).unwrap();
                    }
                }
                for q in m.query.values_mut() {
                    if let mesh_model::StringMatch::Prefix(_) = q {
                        *q = mesh_model::StringMatch::Regex(q.to_regex().unwrap());
                    }
                }
            }
        }
        if let Some(rp) = &mut s.resilience.retries {
            rp.on = rp.conditions();
            rp.on.sort_by_key(|c| c.name());
            rp.on.dedup();
        }
        // A route with an empty match matches everything.
        for r in &mut s.routes {
            if r.matches
                .iter()
                .any(|m| *m == mesh_model::RouteMatch::default())
            {
                r.matches.clear();
            }
        }
        // The lowering's explicit last catch-all for the service's
        // timeout and retries.
        let default_version = match &s.unmatched {
            Unmatched::Version(v) => Some(v.clone()),
            _ => None,
        };
        if !s.routes.iter().any(|r| r.matches.is_empty())
            && s.unmatched != Unmatched::NotFound
            && (res.timeout.is_some() || res.retries.is_some())
        {
            s.routes.push(Route {
                name: None,
                matches: Vec::new(),
                action: Action::Forward(Forward {
                    backends: vec![BackendRef {
                        version: default_version.clone(),
                        ..BackendRef::default()
                    }],
                    ..Forward::default()
                }),
                request_headers: HeaderEdits::default(),
                response_headers: HeaderEdits::default(),
            });
        }
        // Consul has no service-level retries: the lowering writes the
        // service's on every route without retries of its own (the explicit
        // catch-all above included), and the lift reads them there.
        if let Some(rp) = s.resilience.retries.take() {
            for r in &mut s.routes {
                if let Action::Forward(f) = &mut r.action
                    && f.retries.is_none()
                {
                    f.retries = Some(rp.clone());
                }
            }
        }
        // Routes after a catch-all are never reached.
        if let Some(k) = s.routes.iter().position(|r| r.matches.is_empty()) {
            s.routes.truncate(k + 1);
        }
        // Adjacent routes with one action (a catch-all absorbs the
        // routes before it).
        let mut merged: Vec<Route> = Vec::new();
        for r in std::mem::take(&mut s.routes) {
            if let Some(last) = merged.last_mut()
                && last.name == r.name
                && last.action == r.action
                && last.request_headers == r.request_headers
                && last.response_headers == r.response_headers
                && !last.matches.is_empty()
            {
                if r.matches.is_empty() {
                    last.matches.clear();
                } else {
                    last.matches.extend(r.matches);
                }
                continue;
            }
            merged.push(r);
        }
        s.routes = merged;
        if let Some(last) = s.routes.last()
            && last.is_catch_all()
            && last.name.is_none()
            && last.request_headers.is_empty()
            && last.response_headers.is_empty()
            && matches!(&last.action, Action::Forward(f) if f.timeout.is_none() && f.retries.is_none() && f.rewrite.is_none() && f.mirrors.is_empty() && f.fault.is_none()
                && matches!(f.backends.as_slice(), [b] if b.service.is_none() && b.namespace.is_none() && b.port.is_none() && b.version == default_version))
        {
            s.routes.pop();
        }
        if s.routes.is_empty()
            && let Some(v) = default_version
        {
            s.routes.push(Route {
                name: None,
                matches: Vec::new(),
                action: Action::Forward(Forward {
                    backends: vec![BackendRef {
                        version: Some(v),
                        ..BackendRef::default()
                    }],
                    ..Forward::default()
                }),
                request_headers: HeaderEdits::default(),
                response_headers: HeaderEdits::default(),
            });
            s.unmatched = Unmatched::Service;
        }
        if s.routes.last().is_some_and(Route::is_catch_all) {
            s.unmatched = Unmatched::Service;
        }
        if let Some(od) = &s.resilience.outlier_detection {
            let r = od.resolved();
            s.resilience.outlier_detection = Some(OutlierDetection {
                consecutive_5xx: r.consecutive_5xx.and_then(std::num::NonZeroU32::new),
                consecutive_gateway_errors: None,
                interval: Some(r.interval),
                base_ejection_time: Some(r.base_ejection_time),
                max_ejection_percent: Some(r.max_ejection_percent),
                min_health_percent: None,
            });
        }
        if n_services < 2 {
            s.resilience.connection_pool = None;
            s.resilience.outlier_detection = None;
        }
        if let Some(rl) = &mut s.resilience.rate_limit {
            let rps = (u64::from(rl.requests.get()) * 1_000_000_000 / rl.per.as_nanos()) as u32;
            rl.requests = std::num::NonZeroU32::new(rps).unwrap();
            rl.per = mesh_model::Duration::from_secs(1);
            if rl.burst.map(|b| b.get()) == Some(rps) {
                rl.burst = None;
            }
        }
    }
    m.services
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    // 10. mTLS modes are per service (ServiceDefaults): the effective mode
    //    of each service that differs from the mesh's, as a service
    //    override; nothing else.
    let mesh_mode = m.security.mtls.mode;
    let mut modes = Vec::new();
    for s in &m.services {
        let mut best: Option<(u8, mesh_model::MtlsMode)> = None;
        for o in &m.security.mtls.overrides {
            let Some(mode) = o.mode else { continue };
            let rank = match &o.scope {
                Scope::Namespace(n) if *n == s.namespace => 1,
                Scope::Service(r) if *r == s.reference() => 2,
                Scope::Workload(w)
                    if w.namespace == s.namespace
                        && w.labels
                            .iter()
                            .all(|(k, v)| s.pod_selector().get(k) == Some(v)) =>
                {
                    2
                }
                _ => continue,
            };
            if best.is_none_or(|b| rank >= b.0) {
                best = Some((rank, mode));
            }
        }
        if let Some((_, mode)) = best
            && mode != mesh_mode
        {
            modes.push(mesh_model::MtlsOverride {
                scope: Scope::Service(s.reference()),
                mode: Some(mode),
                ports: BTreeMap::new(),
            });
        }
    }
    m.security.mtls.overrides = modes;
    // 11. a JWT provider's scopes are the services whose policies name its
    //     issuer (or any JWT claim).
    let mut scopes: BTreeMap<String, Vec<mesh_model::ServiceRef>> = BTreeMap::new();
    for p in &m.security.authorization {
        let Scope::Service(r) = &p.scope else {
            continue;
        };
        for rule in &p.rules {
            let claims = rule
                .when
                .iter()
                .any(|c| matches!(c, mesh_model::Condition::JwtClaim { .. }));
            for j in &m.security.jwt {
                let named = rule.from.iter().any(|s| matches!(s, mesh_model::Source::JwtPrincipal { issuer, .. } if *issuer == j.issuer));
                if named || claims {
                    let e = scopes.entry(j.name.to_string()).or_default();
                    if !e.contains(r) {
                        e.push(r.clone());
                    }
                }
            }
        }
    }
    for j in &mut m.security.jwt {
        let mut list = scopes.remove(j.name.as_str()).unwrap_or_default();
        list.sort();
        j.scopes = list.into_iter().map(Scope::Service).collect();
    }
    let in_use = Mesh {
        namespaces: Vec::new(),
        ..m.clone()
    }
    .namespaces_in_use();
    m.namespaces
        .retain(|n| !(n.inject && n.labels.is_empty() && in_use.contains_key(&n.name)));
    m
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
    ("S03-frontend-only-api-gateway", REGROUPED),
    ("S20-httpbin-jwt-groups", REGROUPED),
    ("S24-backend-service-authz", REGROUPED),
    ("S25-app-service-split-and-routes-policy", REGROUPED),
    (
        "S33-test-app-meshed-clients",
        "Consul CE intentions name a source service without its namespace: the declared identity production/default comes back in the destination's namespace",
    ),
];

/// Why lifted authorization differs in shape.
const REGROUPED: &str = "intentions are per destination: the lift writes one allow and one deny policy per destination service (`<service>`, `<service>-deny`), one rule per source or permission, not the model's policies";

#[test]
fn scenarios_lowered_to_consul_lift_back() {
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
            // Whatever the reason, the rest of the model is the same.
            let strip = |m: &Mesh| {
                let mut m = m.clone();
                m.security.authorization.clear();
                m.identities.clear();
                m
            };
            assert_eq!(
                diff(&strip(&expected), &strip(&lifted.mesh)),
                None,
                "{name}"
            );
            found.push(name);
        }
    }
    let expected: Vec<&str> = SCENARIO_DIFFERENCES.iter().map(|(n, _)| *n).collect();
    assert_eq!(found, expected);
    assert!(n >= 10, "{n} scenarios lowered");
}

// === random models ===

/// A random model without what Consul refuses or regroups: authorization
/// (intentions are per destination), faults, mirrors, retry budgets,
/// per-try timeouts, back-off, version-level resilience, connection
/// limits Consul has no field for.
fn restrict(mut m: Mesh) -> Mesh {
    m.security.authorization.clear();
    for s in &mut m.services {
        // Connection limits and passive health checks live in the callers'
        // upstream overrides, written only for callers the intentions
        // admit; with authorization out of this test, no caller is.
        s.resilience.connection_pool = None;
        s.resilience.outlier_detection = None;
        s.resilience.retry_budget = None;
        s.resilience.rate_limit = None;
        if let Some(cp) = &mut s.resilience.connection_pool {
            cp.max_requests_per_connection = None;
            cp.max_retries = None;
            cp.idle_timeout = None;
            cp.h2_upgrade = None;
            cp.connect_timeout = None;
        }
        if let Some(od) = &mut s.resilience.outlier_detection {
            od.consecutive_gateway_errors = None;
            od.min_health_percent = None;
            od.max_ejection_percent = None;
        }
        if let Some(r) = &mut s.resilience.retries {
            r.per_try_timeout = None;
            r.backoff = None;
            r.remote_localities = false;
        }
        for v in &mut s.versions {
            v.resilience = None;
        }
        for r in &mut s.routes {
            if let Action::Forward(f) = &mut r.action {
                f.fault = None;
                f.mirrors.clear();
                if let Some(rp) = &mut f.retries {
                    rp.per_try_timeout = None;
                    rp.backoff = None;
                    rp.remote_localities = false;
                }
            }
        }
    }
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
                "{}\nmodel:\n{}\nlifted:\n{}",
                diff(&expected, &lifted.mesh).unwrap_or_default(),
                serde_json::to_string_pretty(&m).unwrap(),
                serde_json::to_string_pretty(&lifted.mesh).unwrap(),
            );
        }
    }
}

// === corpus ===

/// A corpus document as a [`ConsulObject`], for the kinds the enum has.
fn typed(v: &Value) -> Option<ConsulObject> {
    use mesh_consul::crds as c;
    let (av, kind) = type_of(v)?;
    let group = av.rsplit_once('/').map_or("", |(g, _)| g);
    let v = v.clone();
    fn de<T: serde::de::DeserializeOwned>(v: Value) -> Option<T> {
        serde_json::from_value(v).ok()
    }
    Some(match (group, kind) {
        ("", "Namespace") => ConsulObject::Namespace(de(v)?),
        ("consul.hashicorp.com", "ServiceDefaults") => {
            ConsulObject::ServiceDefaults(de::<Box<c::ServiceDefaults>>(v)?)
        }
        ("consul.hashicorp.com", "ServiceResolver") => ConsulObject::ServiceResolver(de(v)?),
        ("consul.hashicorp.com", "ServiceRouter") => ConsulObject::ServiceRouter(de(v)?),
        ("consul.hashicorp.com", "ServiceSplitter") => ConsulObject::ServiceSplitter(de(v)?),
        ("consul.hashicorp.com", "ServiceIntentions") => ConsulObject::ServiceIntentions(de(v)?),
        ("consul.hashicorp.com", "ProxyDefaults") => ConsulObject::ProxyDefaults(de(v)?),
        ("consul.hashicorp.com", "Mesh") => ConsulObject::Mesh(de(v)?),
        ("consul.hashicorp.com", "JWTProvider") => ConsulObject::JwtProvider(de(v)?),
        ("consul.hashicorp.com", "IngressGateway") => ConsulObject::IngressGateway(de(v)?),
        ("consul.hashicorp.com", "TerminatingGateway") => ConsulObject::TerminatingGateway(de(v)?),
        ("consul.hashicorp.com", "RouteRetryFilter") => ConsulObject::RouteRetryFilter(de(v)?),
        ("consul.hashicorp.com", "RouteTimeoutFilter") => ConsulObject::RouteTimeoutFilter(de(v)?),
        ("auth.consul.hashicorp.com" | "consul.hashicorp.com", "MeshService") => {
            ConsulObject::MeshService(de(v)?)
        }
        ("gateway.networking.k8s.io", "Gateway") => ConsulObject::Gateway(de(v)?),
        ("gateway.networking.k8s.io", "HTTPRoute") => ConsulObject::HttpRoute(de(v)?),
        _ => return None,
    })
}

/// Per kind: (objects, lifted, skipped as a whole, skipped fields).
type Counts = BTreeMap<String, (usize, usize, usize, usize)>;

fn count(objects: &[ConsulObject], l: &Lifted, counts: &mut Counts) {
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
    let docs = read_corpus(&shared.join("corpus/consul"));
    let mut by_file: BTreeMap<std::path::PathBuf, Vec<ConsulObject>> = BTreeMap::new();
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
        "{:<22} {:>7} {:>7} {:>9} {:>14}",
        "kind", "objects", "lifted", "skipped", "fields skipped"
    );
    for (k, (n, lifted, skipped, fields)) in &counts {
        println!("{k:<22} {n:>7} {lifted:>7} {skipped:>9} {fields:>14}");
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for s in &l.skipped {
        let what = if s.path.as_str().is_empty() {
            String::new()
        } else {
            format!("{}: ", s.path)
        };
        *reasons
            .entry(format!("{}: {what}{}", s.object.kind, s.reason))
            .or_default() += 1;
    }
    println!("skipped (whole corpus at once):");
    for (r, n) in reasons {
        println!("{n:>5}  {r}");
    }
    assert!(
        all.len() > 50,
        "too few typed corpus objects: {}",
        all.len()
    );
}

// === table tests: hand-written Consul entries (from the seeds) ===

fn objects(yaml: &str) -> Vec<ConsulObject> {
    serde_yaml::Deserializer::from_str(yaml)
        .map(|d| {
            let v: Value = serde::Deserialize::deserialize(d).unwrap();
            typed(&v).unwrap_or_else(|| panic!("not a Consul object: {v}"))
        })
        .collect()
}

/// (case, Consul entries, expected model, prefixes of the expected
/// Skipped entries, in order).
fn cases() -> Vec<(&'static str, &'static str, &'static str, Vec<&'static str>)> {
    vec![
        (
            "S04/S08: header route to v2, weighted rest through a splitter, retries and a timeout",
            r#"
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceResolver
metadata: {name: reviews, namespace: bookinfo}
spec:
  requestTimeout: 10s
  loadBalancer: {policy: least_request}
  subsets:
    v1: {filter: "Service.Meta.version == v1"}
    v2: {filter: "Service.Meta.version == v2"}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceRouter
metadata: {name: reviews, namespace: bookinfo}
spec:
  routes:
  - match:
      http:
        header: [{name: end-user, exact: jason}]
    destination: {service: reviews, serviceSubset: v2, numRetries: 3, retryOnConnectFailure: true, retryOnStatusCodes: [503]}
  - match:
      http: {pathExact: /api}
    destination: {service: reviews-canary}
  - match:
      http: {pathPrefix: /api/}
    destination: {service: reviews-canary}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceSplitter
metadata: {name: reviews-canary, namespace: bookinfo}
spec:
  splits:
  - {weight: 75, service: reviews, serviceSubset: v1}
  - {weight: 25, service: reviews, serviceSubset: v2}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: reviews-canary, namespace: bookinfo}
spec: {protocol: http}
"#,
            r#"
services:
- name: reviews
  namespace: bookinfo
  versions: [{name: v1}, {name: v2}]
  resilience: {timeout: 10s, loadBalancer: leastRequest}
  routes:
  - match: [{headers: {end-user: {exact: jason}}}]
    forward:
      backends: [{version: v2}]
      retries: {attempts: 3, on: [503, connect-failure]}
  - name: canary
    match: [{path: {prefix: /api}}]
    forward: {backends: [{version: v1, weight: 3}, {version: v2, weight: 1}]}
security: {mtls: {mode: strict}}
egress: {policy: allowAny}
"#,
            vec![],
        ),
        (
            "S05/S03: intentions, deny by default, mesh-only egress, access logs, an external API, a JWT provider",
            r#"
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: default, namespace: consul}
spec:
  destination: {name: "*"}
  sources: [{name: "*", action: deny}]
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceIntentions
metadata: {name: httpbin, namespace: default}
spec:
  destination: {name: httpbin}
  sources:
  - name: frontend
    action: allow
  - name: sleep
    permissions:
    - action: allow
      http: {pathExact: /info, methods: [GET]}
    - action: allow
      http: {pathPrefix: /info/, methods: [GET]}
    - action: deny
      http: {pathPrefix: /}
  - name: legacy
    peer: old-dc
    action: allow
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: frontend, namespace: default}
spec: {protocol: http}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ProxyDefaults
metadata: {name: global, namespace: consul}
spec:
  accessLogs: {enabled: true}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: Mesh
metadata: {name: mesh, namespace: consul}
spec:
  transparentProxy: {meshDestinationsOnly: true}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: ServiceDefaults
metadata: {name: payments-api, namespace: default}
spec:
  protocol: http
  destination: {addresses: [api.payments.example.com], port: 443}
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: TerminatingGateway
metadata: {name: terminating-gateway, namespace: consul}
spec:
  services: [{name: payments-api}]
---
apiVersion: consul.hashicorp.com/v1alpha1
kind: JWTProvider
metadata: {name: okta, namespace: consul}
spec:
  issuer: https://example.okta.com
  jsonWebKeySet: {remote: {uri: https://example.okta.com/keys}}
"#,
            r#"
services:
- name: httpbin
  namespace: default
- name: frontend
  namespace: default
  # Envoy's implicit route timeout: an HTTP service without a resolver.
  resilience: {timeout: 15s}
identities: [{namespace: default, serviceAccount: sleep}]
security:
  authorization:
  - name: httpbin
    scope: {service: {name: httpbin, namespace: default}}
    rules:
    - from: [{identity: {namespace: default, serviceAccount: frontend}}]
    - from: [{identity: {namespace: default, serviceAccount: sleep}}]
      to: [{methods: [GET], paths: [{prefix: /info}]}]
  jwt:
  - name: okta
    issuer: https://example.okta.com
    jwks: {uri: https://example.okta.com/keys}
egress:
  services:
  - name: payments-api
    namespace: default
    hosts: [api.payments.example.com]
    ports: [{number: 443, protocol: http}]
observability: {accessLogs: {format: json}}
"#,
            vec![
                "ServiceIntentions default/httpbin: spec.sources[2]: peers",
                "ServiceDefaults default/frontend: spec.protocol: protocol http",
            ],
        ),
    ]
}

#[test]
fn hand_written_entries_lift_to_the_expected_model() {
    for (case, yaml, expected, skipped) in cases() {
        let objects = objects(yaml);
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
