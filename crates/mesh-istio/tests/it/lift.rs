//! Lifting Istio objects back into the model.
//!
//! - Random valid models: `lift(lower(m) + Services(m)) == m` after
//!   [`normalize`], and nothing is skipped.
//! - Every scenario policy that lowers to Istio lifts back to itself (after
//!   [`normalize`]), with nothing skipped.
//! - Hand-written Istio objects (as users write them) lift to the expected
//!   model, with the expected reports.
//! - Every `Skipped` names a field and says why.
//!
//! The Kubernetes Services of the model are added to the lowered objects:
//! the Istio lowering does not write them (they belong to the
//! application), but a cluster has them, and they carry the ports.
//!
//! # Normalization (several spellings of one meaning)
//!
//! [`normalize`] rewrites a model to one spelling per meaning before the
//! comparison; each rule is a place where the model has two spellings of
//! one meaning, or where the lowering makes a default explicit (what the
//! capability table calls Rewritten / Partial):
//!
//! 1. Route timeouts and retries inherit the service's: both are written on
//!    every route (`forward.timeout = forward.timeout or service timeout`).
//! 2. A last unnamed catch-all route forwarding to the service itself (or
//!    one version, nothing else) is the service's `unmatched`, and its
//!    timeout and retries the service's defaults (Unmatched: Rewritten),
//!    unless another route has no timeout (retries) while it has one
//!    ([`mesh_istio::lift::inherits_cleanly`]): the model cannot say "none"
//!    on a route under a service default.
//!    Routes after a route that matches everything never match, and are
//!    dropped first.
//!    Without other routes, only a catch-all to the service itself is; one
//!    to a version (or a 404) stays a route, and a model without routes
//!    whose `unmatched` is a version (or 404) is that route, which is how
//!    the Istio lowering reads it.
//! 3. The service's default timeout and retries are dropped where no
//!    request can reach them: when a route matches everything, when
//!    unmatched requests get 404, and on services without HTTP port or
//!    routes (Istio has no VirtualService for them).
//! 4. Retry conditions are written out (`RetryPolicy::conditions`).
//! 5. Outlier detection is written with its defaults resolved
//!    (`OutlierDetection::resolved`; OutlierDetection: Partial).
//! 6. The weight of a single backend is the default (it gets everything).
//! 7. Version labels `version: <name>`, a selector `app: <name>`, port
//!    names equal to the generated ones and target ports equal to the port
//!    are the defaults, left implicit.
//! 8. A version's resilience is written merged with the service's
//!    (`Service::resilience_for`; pools, outlier detection and load
//!    balancing, what a subset's traffic policy holds): the lowering emits
//!    it whole.
//! 9. A namespace entry that says nothing (injected, no labels, holding
//!    something of the model) is none; an installation that says nothing (all defaults) is none.
//! 10. Lists the lowering writes in object order (services, policies, mTLS
//!     overrides, JWT providers, namespaces, identities, ingresses,
//!     external services) are sorted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use k8s_openapi::api::core::v1::{Service as CoreService, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_istio::IstioObject;
use mesh_istio::lift::IstioLift;
use mesh_istio::lower::IstioBackend;
use mesh_model::lift::{Lift, Lifted};
use mesh_model::strategy::{MeshSize, mesh};
use mesh_model::{Action, Backend, Mesh, OutlierDetection, Route, Service, Unmatched, Weight};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// The Kubernetes Service of a model service (what the application's
/// manifests hold).
pub fn core_service(s: &Service) -> CoreService {
    CoreService {
        metadata: ObjectMeta {
            name: Some(s.name.to_string()),
            namespace: Some(s.namespace.to_string()),
            ..ObjectMeta::default()
        },
        spec: Some(ServiceSpec {
            selector: Some(
                s.pod_selector()
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            ports: Some(
                s.ports
                    .iter()
                    .map(|p| ServicePort {
                        name: Some(s.port_name(p)),
                        port: i32::from(p.number.get()),
                        target_port: p.target_port.map(|t| IntOrString::Int(i32::from(t.get()))),
                        ..ServicePort::default()
                    })
                    .collect(),
            ),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

/// Lowers `m` (default options), adds its Services, lifts.
fn round_trip(m: &Mesh) -> Option<Lifted> {
    let out = IstioBackend::default().lower(m).ok()?;
    let mut objects: Vec<IstioObject> = m
        .services
        .iter()
        .map(|s| IstioObject::from(core_service(s)))
        .collect();
    objects.extend(out.manifests.into_vec());
    Some(IstioLift::default().lift(&objects))
}

fn check_skipped(lifted: &Lifted) {
    for s in &lifted.skipped {
        assert!(!s.reason.trim().is_empty(), "{s:?}");
        assert!(!s.path.as_str().is_empty(), "{s:?}");
        assert!(
            !s.object.kind.is_empty() && !s.object.name.is_empty(),
            "{s:?}"
        );
    }
}

fn is_plain_self_catch_all(r: &Route) -> Option<Unmatched> {
    if r.name.is_some()
        || !r.is_catch_all()
        || !r.request_headers.is_empty()
        || !r.response_headers.is_empty()
    {
        return None;
    }
    let Action::Forward(f) = &r.action else {
        return None;
    };
    let [b] = f.backends.as_slice() else {
        return None;
    };
    if b.service.is_some()
        || b.namespace.is_some()
        || b.port.is_some()
        || !f.mirrors.is_empty()
        || f.rewrite.is_some()
        || f.fault.is_some()
    {
        return None;
    }
    Some(match &b.version {
        Some(v) => Unmatched::Version(v.clone()),
        None => Unmatched::Service,
    })
}

fn resolved(o: &OutlierDetection) -> OutlierDetection {
    let r = o.resolved();
    OutlierDetection {
        consecutive_5xx: r.consecutive_5xx.and_then(std::num::NonZeroU32::new),
        consecutive_gateway_errors: r
            .consecutive_gateway_errors
            .and_then(std::num::NonZeroU32::new),
        interval: Some(r.interval),
        base_ejection_time: Some(r.base_ejection_time),
        max_ejection_percent: Some(r.max_ejection_percent),
        min_health_percent: Some(r.min_health_percent),
    }
}

/// One spelling per meaning (see the module documentation).
pub fn normalize(m: &Mesh) -> Mesh {
    let mut m = m.clone();
    // Installation goes to the installer inputs (Helm values or an
    // IstioOperator), which are not objects; of observability only access
    // logs are lifted (providers, monitors, alerts, the dashboard and tag
    // overrides are reported as skipped).
    m.installation = None;
    m.observability = mesh_model::Observability {
        access_logs: m.observability.access_logs.take(),
        ..mesh_model::Observability::default()
    };
    for s in &mut m.services {
        let svc = s.clone();
        for v in &mut s.versions {
            if v.resilience.is_some() {
                let merged = svc.resilience_for(Some(v.name.as_str()));
                v.resilience = Some(mesh_model::Resilience {
                    connection_pool: merged.connection_pool,
                    outlier_detection: merged.outlier_detection,
                    load_balancer: merged.load_balancer,
                    ..Default::default()
                });
            }
            let mut bare = v.clone();
            bare.labels.clear();
            if v.labels == bare.pod_labels() {
                v.labels.clear();
            }
        }
        let mut bare = s.clone();
        bare.selector.clear();
        if s.selector == bare.pod_selector() {
            s.selector.clear();
        }
        let named = s.clone();
        for p in &mut s.ports {
            if p.target_port == Some(p.number) {
                p.target_port = None;
            }
            let mut q = p.clone();
            q.name = None;
            if p.name.as_ref().map(|n| n.to_string()) == Some(named.port_name(&q)) {
                p.name = None;
            }
        }
        // Without routes, the Istio lowering sends everything to the
        // `unmatched` version (or answers 404): a catch-all route.
        if s.routes.is_empty() && s.unmatched != Unmatched::Service && s.is_l7() {
            let action = match &s.unmatched {
                Unmatched::Version(v) => Action::Forward(mesh_model::Forward {
                    backends: vec![mesh_model::BackendRef {
                        version: Some(v.clone()),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                _ => Action::Respond(mesh_model::DirectResponse {
                    status: mesh_model::HttpStatus::NOT_FOUND,
                    body: None,
                }),
            };
            s.routes.push(Route {
                name: None,
                matches: Vec::new(),
                action,
                request_headers: Default::default(),
                response_headers: Default::default(),
            });
            s.unmatched = Unmatched::Service;
        }
        let (timeout, retries) = (s.resilience.timeout, s.resilience.retries.clone());
        for r in &mut s.routes {
            if let Action::Forward(f) = &mut r.action {
                f.timeout = f.timeout.or(timeout);
                f.retries = f.retries.clone().or(retries.clone());
                if let [b] = f.backends.as_mut_slice() {
                    b.weight = Weight::default();
                }
            }
        }
        if let Some(k) = s.routes.iter().position(Route::is_catch_all) {
            s.routes.truncate(k + 1);
        }
        let others = s.routes.len() > 1;
        let clean = s.routes.split_last().is_some_and(|(last, others)| {
            last.forward()
                .is_some_and(|f| mesh_istio::lift::inherits_cleanly(f, others.iter()))
        });
        if let Some(u) = s
            .routes
            .last()
            .and_then(is_plain_self_catch_all)
            .filter(|u| clean && (others || *u == Unmatched::Service))
        {
            let last = s.routes.pop().unwrap();
            let f = last.forward().unwrap();
            s.unmatched = u;
            s.resilience.timeout = f.timeout;
            s.resilience.retries = f.retries.clone();
        }
        let unreachable = s.routes.iter().any(Route::is_catch_all)
            || s.unmatched == Unmatched::NotFound
            || (!s.is_l7() && s.routes.is_empty());
        if unreachable {
            s.resilience.timeout = None;
            s.resilience.retries = None;
        }
        if s.routes.iter().any(Route::is_catch_all) {
            s.unmatched = Unmatched::Service;
        }
        let mut retries: Vec<&mut mesh_model::RetryPolicy> =
            s.resilience.retries.iter_mut().collect();
        for r in &mut s.routes {
            if let Action::Forward(f) = &mut r.action {
                retries.extend(f.retries.iter_mut());
            }
        }
        for r in retries {
            r.on = r.conditions();
        }
        let mut resilience: Vec<&mut mesh_model::Resilience> = vec![&mut s.resilience];
        resilience.extend(s.versions.iter_mut().filter_map(|v| v.resilience.as_mut()));
        for r in resilience {
            if let Some(o) = &mut r.outlier_detection {
                *o = resolved(o);
            }
        }
    }
    for g in &mut m.ingress {
        for r in &mut g.routes {
            if let Action::Forward(f) = &mut r.action {
                if let [b] = f.backends.as_mut_slice() {
                    b.weight = Weight::default();
                }
                if let Some(x) = &mut f.retries {
                    x.on = x.conditions();
                }
            }
        }
    }
    m.services
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    let key = |s: &mesh_model::Scope| format!("{s:?}");
    m.security
        .authorization
        .sort_by(|a, b| (key(&a.scope), &a.name).cmp(&(key(&b.scope), &b.name)));
    m.security.mtls.overrides.sort_by_key(|o| key(&o.scope));
    m.security.jwt.sort_by(|a, b| a.name.cmp(&b.name));
    let mut used: Vec<&mesh_model::Name> = m.services.iter().map(|s| &s.namespace).collect();
    used.extend(m.ingress.iter().map(|i| &i.namespace));
    used.extend(m.egress.services.iter().map(|e| &e.namespace));
    let used: Vec<mesh_model::Name> = used.into_iter().cloned().collect();
    m.namespaces
        .retain(|n| !(n.inject && n.labels.is_empty() && used.contains(&n.name)));
    m.namespaces.sort_by(|a, b| a.name.cmp(&b.name));
    m.identities.sort();
    m.ingress
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    m.egress
        .services
        .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    m
}

fn yaml(m: &Mesh) -> String {
    mesh_model::yaml::to_string(m).unwrap_or_else(|_| format!("{m:#?}"))
}

#[test]
fn random_models_lift_back() {
    let mut runner = TestRunner::deterministic();
    let strategy = mesh(MeshSize::core());
    let (mut checked, mut refused) = (0, 0);
    for i in 0..200 {
        let mut m = strategy.new_tree(&mut runner).unwrap().current();
        // Istio has no retry budget (Unsupported in CAPABILITIES; the
        // backend's property tests check the refusal): without this most
        // random models would be refused and never lifted.
        for s in &mut m.services {
            s.resilience.retry_budget = None;
            for v in &mut s.versions {
                if let Some(r) = &mut v.resilience {
                    r.retry_budget = None;
                }
            }
        }
        let Some(lifted) = round_trip(&m) else {
            refused += 1;
            continue;
        };
        checked += 1;
        check_skipped(&lifted);
        lifted.mesh.validate().unwrap();
        assert!(
            lifted.skipped.is_empty(),
            "case {i}: skipped {:#?}\n{}",
            lifted.skipped,
            yaml(&m)
        );
        let (want, got) = (normalize(&m), normalize(&lifted.mesh));
        if want != got {
            let diff = mesh_k8s::testing::json_diff(
                &serde_json::to_value(&want).unwrap(),
                &serde_json::to_value(&got).unwrap(),
            );
            panic!(
                "case {i}: {}\nmodel (normalized):\n{}\nlifted (normalized):\n{}",
                diff.unwrap_or_default(),
                yaml(&want),
                yaml(&got),
            );
        }
    }
    println!("lifted back {checked}, not lowered {refused}");
    assert!(checked > 100);
}

fn scenarios() -> Vec<(String, Mesh)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_name().unwrap().to_string_lossy().starts_with('S')
        })
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let m = Mesh::from_policy(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.file_stem().unwrap().to_string_lossy().into_owned(), m)
        })
        .collect()
}

#[test]
fn scenarios_lift_back() {
    let mut results = BTreeMap::new();
    for (name, m) in scenarios() {
        let Some(lifted) = round_trip(&m) else {
            results.insert(name, "not lowered (Unsupported)".to_owned());
            continue;
        };
        check_skipped(&lifted);
        lifted.mesh.validate().unwrap();
        let (want, got) = (normalize(&m), normalize(&lifted.mesh));
        let diff = mesh_k8s::testing::json_diff(
            &serde_json::to_value(&want).unwrap(),
            &serde_json::to_value(&got).unwrap(),
        );
        // Observability objects (monitors, alert rules, the dashboard, the
        // tracing/metrics Telemetry) are not lifted; everything else is.
        let not_observability = |k: &str| {
            !matches!(
                k,
                "PodMonitor" | "ServiceMonitor" | "PrometheusRule" | "ConfigMap" | "Telemetry"
            )
        };
        assert!(
            lifted
                .skipped
                .iter()
                .all(|s| !not_observability(&s.object.kind))
                && diff.is_none(),
            "{name}: skipped {:#?}\ndiff {}\nwant:\n{}\ngot:\n{}",
            lifted.skipped,
            diff.unwrap_or_default(),
            yaml(&want),
            yaml(&got)
        );
        results.insert(name, "lifted back".to_owned());
    }
    for (name, r) in &results {
        println!("{name}: {r}");
    }
    assert!(results.values().filter(|r| *r == "lifted back").count() >= 20);
}

// === reading objects (a minimal typed dispatch for these tests) ===

/// A document as an Istio object: `Ok(None)` for kinds the Istio lift
/// does not take (Deployments, ServiceAccounts...).
fn object(v: &serde_json::Value) -> Result<Option<IstioObject>, String> {
    use mesh_istio::crds::*;
    fn typed<T: serde::de::DeserializeOwned + Into<IstioObject>>(
        v: &serde_json::Value,
    ) -> Result<Option<IstioObject>, String> {
        serde_json::from_value::<T>(v.clone())
            .map(|o| Some(o.into()))
            .map_err(|e| e.to_string())
    }
    let Some((api_version, kind)) = mesh_k8s::testing::type_of(v) else {
        return Ok(None);
    };
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    match (group, kind) {
        ("", "Service") => typed::<CoreService>(v),
        ("", "Namespace") => typed::<k8s_openapi::api::core::v1::Namespace>(v),
        ("networking.istio.io", "VirtualService") => typed::<VirtualService>(v),
        ("networking.istio.io", "DestinationRule") => typed::<DestinationRule>(v),
        ("networking.istio.io", "Gateway") => typed::<Gateway>(v),
        ("networking.istio.io", "ServiceEntry") => typed::<ServiceEntry>(v),
        ("networking.istio.io", "Sidecar") => typed::<Sidecar>(v),
        ("networking.istio.io", "EnvoyFilter") => typed::<EnvoyFilter>(v),
        ("security.istio.io", "PeerAuthentication") => typed::<PeerAuthentication>(v),
        ("security.istio.io", "AuthorizationPolicy") => typed::<AuthorizationPolicy>(v),
        ("security.istio.io", "RequestAuthentication") => typed::<RequestAuthentication>(v),
        ("telemetry.istio.io", "Telemetry") => typed::<Telemetry>(v),
        ("gateway.networking.k8s.io", "HTTPRoute") => typed::<mesh_k8s::gateway::HttpRoute>(v),
        _ => Ok(None),
    }
}

fn objects(yaml: &str) -> Vec<IstioObject> {
    serde_yaml::Deserializer::from_str(yaml)
        .filter_map(|d| {
            let v: serde_json::Value = serde::Deserialize::deserialize(d).unwrap();
            object(&v).unwrap()
        })
        .collect()
}

#[test]
fn corpus_lifts_without_panic_to_valid_models() {
    let shared = match mesh_k8s::testing::require_shared() {
        Ok(s) => s,
        Err(why) if !mesh_k8s::testing::in_ci() => {
            println!("skipped: {why}");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    // kind → (objects, fully lifted, skipped entries)
    let mut stats: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut files, mut unreadable) = (0, 0);
    let mut everything = Vec::new();
    for dir in ["samples", "valid"] {
        let docs = mesh_k8s::testing::read_corpus(&shared.join("corpus/istio").join(dir));
        let mut by_file: BTreeMap<PathBuf, Vec<IstioObject>> = BTreeMap::new();
        for d in docs {
            let Ok(v) = d.value else {
                unreadable += 1;
                continue;
            };
            match object(&v) {
                Ok(Some(o)) => by_file.entry(d.path).or_default().push(o),
                Ok(None) => {}
                Err(_) => unreadable += 1,
            }
        }
        for objs in by_file.into_values() {
            files += 1;
            let lifted = IstioLift::default().lift(&objs);
            check_skipped(&lifted);
            lifted.mesh.validate().unwrap();
            for o in &objs {
                let r = mesh_istio::lift::object_ref(o);
                let n = lifted.skipped.iter().filter(|s| s.object == r).count();
                let e = stats.entry(r.kind.clone()).or_default();
                e.0 += 1;
                e.1 += usize::from(n == 0);
                e.2 += n;
            }
            everything.extend(objs);
        }
    }
    // All of it at once (conflicting samples included) also lifts.
    let all = IstioLift::default().lift(&everything);
    check_skipped(&all);
    all.mesh.validate().unwrap();
    println!("{files} files, {unreadable} documents not read as typed objects");
    println!(
        "{:<24} {:>8} {:>14} {:>8}",
        "kind", "objects", "fully lifted", "skipped"
    );
    for (kind, (n, full, skipped)) in &stats {
        println!("{kind:<24} {n:>8} {full:>14} {skipped:>8}");
    }
    println!(
        "all at once: {} services, {} policies, {} skipped entries",
        all.mesh.services.len(),
        all.mesh.security.authorization.len(),
        all.skipped.len()
    );
    if std::env::var("SHOW").is_ok() {
        for s in &all.skipped {
            println!("{s}");
        }
    }
    assert!(files > 20);
}

// === hand-written objects, as users write them ===

fn lift_yaml(yaml: &str) -> Lifted {
    let lifted = IstioLift::default().lift(&objects(yaml));
    check_skipped(&lifted);
    lifted.mesh.validate().unwrap();
    lifted
}

#[test]
fn user_written_objects() {
    // (name, objects, expected model as a policy, expected skipped paths)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "canary without retries: Istio's implicit retry policy, 404 for unmatched",
            r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: bookinfo}
spec:
  hosts: [reviews]
  http:
  - match: [{headers: {end-user: {exact: jason}}}]
    route: [{destination: {host: reviews, subset: v2}}]
  - match: [{uri: {prefix: /api}}]
    route:
    - {destination: {host: reviews, subset: v1}, weight: 75}
    - {destination: {host: reviews, subset: v2}, weight: 25}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: bookinfo}
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2, track: canary}}
"#,
            r#"
trustDomain: cluster.local
services:
- name: reviews
  namespace: bookinfo
  versions:
  - {name: v1}
  - {name: v2, labels: {version: v2, track: canary}}
  routes:
  - match: [{headers: {end-user: {exact: jason}}}]
    forward:
      backends: [{version: v2}]
      retries: {attempts: 2, on: [connect-failure, refused-stream, unavailable, cancelled, 503]}
  - match: [{path: {regex: '/api.*'}}]
    forward:
      backends: [{version: v1, weight: 75}, {version: v2, weight: 25}]
      retries: {attempts: 2, on: [connect-failure, refused-stream, unavailable, cancelled, 503]}
  unmatched: notFound
security: {mtls: {mode: permissive}, defaultAction: allow}
egress: {policy: allowAny}
"#,
            &[],
        ),
        (
            "unknown subset, sourceLabels match, CORS: reported with their paths",
            r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: default}
spec:
  hosts: [ratings]
  http:
  - match: [{sourceLabels: {app: reviews}}]
    route: [{destination: {host: ratings}}]
    retries: {attempts: 0}
  - route: [{destination: {host: ratings, subset: v9}}]
    corsPolicy: {allowOrigins: [{exact: "https://a.example"}]}
  - route: [{destination: {host: ratings}}]
    retries: {attempts: 0}
"#,
            r#"
services:
- name: ratings
  namespace: default
security: {mtls: {mode: permissive}, defaultAction: allow}
egress: {policy: allowAny}
"#,
            &[
                "spec.http[0].match[0].sourceLabels",
                "spec.http[0].match",
                "spec.http[1].corsPolicy",
                "spec.http[1].route[0].destination.subset",
            ],
        ),
        (
            "strict mTLS, deny by default, an authorization rule with a JWT claim",
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
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: auth0, namespace: foo}
spec:
  jwtRules:
  - {issuer: "https://auth.example/", jwksUri: "https://auth.example/jwks.json"}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  action: ALLOW
  rules:
  - from:
    - source: {principals: [cluster.local/ns/foo/sa/sleep]}
    - source: {requestPrincipals: ["https://auth.example//*"]}
    to:
    - operation: {methods: [GET], paths: [/info, /api, /api/*]}
    when:
    - {key: "request.auth.claims[groups]", values: [admins]}
  - from:
    - source: {principals: [cluster.local/ns/foo/sa/sleep], namespaces: [foo]}
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {app: httpbin}
  ports: [{name: http, port: 8000, targetPort: 80}]
"#,
            r#"
services:
- name: httpbin
  namespace: foo
  ports: [{number: 8000, protocol: http, targetPort: 80}]
identities:
- {namespace: foo, serviceAccount: sleep}
security:
  jwt:
  - name: auth0
    issuer: "https://auth.example/"
    jwks: {uri: "https://auth.example/jwks.json"}
    scopes: [{namespace: foo}]
  authorization:
  - name: httpbin
    scope: {service: {name: httpbin, namespace: foo}}
    rules:
    - from:
      - identity: {namespace: foo, serviceAccount: sleep}
      - jwtPrincipal: {issuer: "https://auth.example/"}
      to:
      - methods: [GET]
        paths: [{exact: /info}, {prefix: /api}]
      when:
      - jwtClaim: {claim: groups, values: [admins]}
egress: {policy: allowAny}
"#,
            &["spec.rules[1].from[0].source"],
        ),
    ];
    for (name, yaml, policy, skipped) in cases {
        let lifted = lift_yaml(yaml);
        let want = Mesh::from_policy(policy).unwrap_or_else(|e| panic!("{name}: {e}"));
        let paths: Vec<&str> = lifted.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(&paths, skipped, "{name}: {:#?}", lifted.skipped);
        assert_eq!(
            normalize(&lifted.mesh),
            normalize(&want),
            "{name}: lifted\n{}",
            yaml_of(&lifted.mesh)
        );
    }
}

fn yaml_of(m: &Mesh) -> String {
    yaml(m)
}
