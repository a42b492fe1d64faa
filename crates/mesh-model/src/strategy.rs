//! proptest strategies (feature `proptest`): values of every value type,
//! and whole valid [`Mesh`]es with size knobs, for downstream test
//! harnesses and for meshwright's own property tests.
//!
//! Every strategy produces values that pass validation, and shrinks to
//! smaller values that still do (shrinking only drops services, routes,
//! rules and optional parts, and lowers numbers within their ranges).
//!
//! ```
//! use mesh_model::strategy::{MeshSize, mesh};
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let m = mesh(MeshSize::default()).new_tree(&mut runner).unwrap().current();
//! m.validate().unwrap();
//! ```

use std::num::NonZeroU32;

use proptest::collection::vec;
use proptest::prelude::*;

use crate::{
    Action, AuthorizationPolicy, AuthzAction, AuthzRule, BackendRef, ConnectionPool, DefaultAction,
    Duration, Fault, FaultAbort, FaultDelay, Forward, HashKey, HeaderEdits, HeaderName, Hostname,
    HttpPath, HttpStatus, Identity, LoadBalancer, Mesh, Method, Mirror, Mtls, MtlsMode,
    MtlsOverride, Name, Operation, OutlierDetection, PathMatch, Percent, Port, Protocol, RateLimit,
    Regex, Resilience, RetryOn, RetryPolicy, Route, RouteMatch, Scope, Security, Service,
    ServicePort, Source, StringMatch, Unmatched, Version, Weight,
};

/// How big generated meshes get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeshSize {
    /// Most services.
    pub services: usize,
    /// Most routes per service.
    pub routes_per_service: usize,
    /// Most versions per service.
    pub versions_per_service: usize,
    /// Most authorization policies.
    pub policies: usize,
    /// Most rules per policy.
    pub rules_per_policy: usize,
}

impl Default for MeshSize {
    fn default() -> Self {
        MeshSize {
            services: 4,
            routes_per_service: 3,
            versions_per_service: 3,
            policies: 3,
            rules_per_policy: 2,
        }
    }
}

fn name_from(prefix: &str, i: usize) -> Name {
    // A lower-case prefix and a number: a DNS-1123 label by construction.
    Name::trusted(format!("{prefix}{i}"))
}

/// DNS-1123 labels (1–20 characters).
pub fn name() -> impl Strategy<Value = Name> {
    "[a-z]([a-z0-9-]{0,18}[a-z0-9])?".prop_filter_map("valid name", |s| Name::new(s).ok())
}

/// Host names with 1–3 labels.
pub fn hostname() -> impl Strategy<Value = Hostname> {
    "[a-z][a-z0-9]{0,8}(\\.[a-z][a-z0-9]{0,8}){0,2}"
        .prop_filter_map("valid host", |s| Hostname::new(s).ok())
}

/// Durations from 1ms to 10 minutes, whole milliseconds.
pub fn duration() -> impl Strategy<Value = Duration> {
    (1u32..=600_000).prop_map(Duration::from_millis)
}

/// Percentages in whole hundredths.
pub fn percent() -> impl Strategy<Value = Percent> {
    (0u32..=10_000).prop_map(|h| Percent::new(f64::from(h) / 100.0).unwrap_or(Percent::ALL))
}

/// Ports.
pub fn port() -> impl Strategy<Value = Port> {
    (1u32..=65_535).prop_filter_map("port", |p| Port::new(p).ok())
}

/// Header names (lower case tokens).
pub fn header_name() -> impl Strategy<Value = HeaderName> {
    "x-[a-z]{1,10}".prop_filter_map("header", |s| HeaderName::new(s).ok())
}

/// URL paths with 1–3 segments.
pub fn http_path() -> impl Strategy<Value = HttpPath> {
    "(/[a-z0-9]{1,6}){1,3}".prop_filter_map("path", |s| HttpPath::new(s).ok())
}

/// Simple RE2 expressions.
pub fn regex() -> impl Strategy<Value = Regex> {
    prop_oneof![
        http_path().prop_map(|p| format!("{}/.*", Regex::literal(p.as_str()))),
        Just("/api/v[12]/.*".to_owned()),
        "[a-z]{1,5}".prop_map(|s| format!("^{s}.*$")),
    ]
    .prop_filter_map("regex", |s| Regex::new(s).ok())
}

/// Header/query value matches.
pub fn string_match() -> impl Strategy<Value = StringMatch> {
    prop_oneof![
        "[a-z0-9]{1,8}".prop_map(StringMatch::Exact),
        "[a-z0-9]{1,8}".prop_map(StringMatch::Prefix),
        regex().prop_map(StringMatch::Regex),
    ]
}

/// Path matches.
pub fn path_match() -> impl Strategy<Value = PathMatch> {
    prop_oneof![
        http_path().prop_map(PathMatch::Exact),
        http_path().prop_map(PathMatch::Prefix),
        regex().prop_map(PathMatch::Regex)
    ]
}

/// HTTP methods.
pub fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Get),
        Just(Method::Head),
        Just(Method::Post),
        Just(Method::Put),
        Just(Method::Delete),
        Just(Method::Patch),
        Just(Method::Options),
    ]
}

/// Route matches.
pub fn route_match() -> impl Strategy<Value = RouteMatch> {
    (
        proptest::option::of(path_match()),
        proptest::option::of(method()),
        proptest::collection::btree_map(header_name(), string_match(), 0..2),
        proptest::collection::btree_map("[a-z]{1,6}", string_match(), 0..2),
    )
        .prop_map(|(path, method, headers, query)| RouteMatch {
            path,
            method,
            headers,
            query,
        })
}

/// Retry conditions.
pub fn retry_on() -> impl Strategy<Value = RetryOn> {
    prop_oneof![
        Just(RetryOn::Status5xx),
        Just(RetryOn::GatewayError),
        Just(RetryOn::Reset),
        Just(RetryOn::ConnectFailure),
        Just(RetryOn::RefusedStream),
        Just(RetryOn::Unavailable),
        (500u32..=504).prop_filter_map("status", |s| HttpStatus::new(s).ok().map(RetryOn::Status)),
    ]
}

/// Retry policies with a timeout they fit in: (policy, route timeout).
pub fn retries_with_timeout() -> impl Strategy<Value = (RetryPolicy, Option<Duration>)> {
    (
        1u32..=5,
        proptest::option::of(100u32..=5_000),
        vec(retry_on(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(attempts, per_try_ms, on, with_timeout)| {
            let per_try = per_try_ms.map(Duration::from_millis);
            // A per-try timeout always comes with a route timeout it fits in,
            // so a service-level default timeout cannot make it invalid.
            let timeout = match (with_timeout, per_try_ms) {
                (_, Some(ms)) => Some(Duration::from_millis(ms * attempts + 1_000)),
                (true, None) => Some(Duration::from_secs(30)),
                (false, None) => None,
            };
            let mut on = on;
            on.dedup();
            (
                RetryPolicy {
                    attempts,
                    per_try_timeout: per_try,
                    on,
                    backoff: None,
                    remote_localities: false,
                },
                timeout,
            )
        })
}

/// Faults.
pub fn fault() -> impl Strategy<Value = Fault> {
    (
        proptest::option::of(
            (duration(), percent()).prop_map(|(delay, percent)| FaultDelay { delay, percent }),
        ),
        proptest::option::of(
            (
                (400u32..=599).prop_filter_map("status", |s| HttpStatus::new(s).ok()),
                percent(),
            )
                .prop_map(|(status, percent)| FaultAbort { status, percent }),
        ),
    )
        .prop_filter("a fault needs delay or abort", |(d, a)| {
            d.is_some() || a.is_some()
        })
        .prop_map(|(delay, abort)| Fault { delay, abort })
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Resilience settings (valid on their own).
pub fn resilience() -> impl Strategy<Value = Resilience> {
    let pool = (1u32..=1000, proptest::option::of(1u32..=100)).prop_map(|(c, p)| ConnectionPool {
        max_connections: Some(nz(c)),
        max_pending_requests: p.map(nz),
        ..ConnectionPool::default()
    });
    let outlier =
        (1u32..=10, 1u32..=60, 1u32..=300, 1u32..=100).prop_map(|(n, i, b, m)| OutlierDetection {
            consecutive_5xx: Some(nz(n)),
            interval: Some(Duration::from_secs(i)),
            base_ejection_time: Some(Duration::from_secs(b)),
            max_ejection_percent: Percent::new(f64::from(m)).ok(),
            ..OutlierDetection::default()
        });
    let lb = prop_oneof![
        Just(LoadBalancer::RoundRobin),
        Just(LoadBalancer::LeastRequest),
        Just(LoadBalancer::Random),
        header_name().prop_map(|h| LoadBalancer::ConsistentHash(HashKey::Header(h))),
        Just(LoadBalancer::ConsistentHash(HashKey::SourceIp)),
        "[a-z]{1,8}".prop_map(|c| LoadBalancer::ConsistentHash(HashKey::Cookie {
            name: c,
            ttl: Some(Duration::from_secs(3600)),
            path: None
        })),
    ];
    let rate = (1u32..=1000, prop_oneof![Just(1u32), Just(60u32)]).prop_map(|(r, per)| RateLimit {
        requests: nz(r),
        per: Duration::from_secs(per),
        burst: None,
        per_identity: None,
        overrides: vec![],
    });
    (
        proptest::option::of(pool),
        proptest::option::of(outlier),
        proptest::option::of(lb),
        proptest::option::of(rate),
        proptest::option::of(duration()),
    )
        .prop_map(
            |(connection_pool, outlier_detection, load_balancer, rate_limit, timeout)| Resilience {
                connection_pool,
                outlier_detection,
                load_balancer,
                rate_limit,
                timeout,
                retries: None,
                retry_budget: None,
            },
        )
}

/// A forward to the service's own versions (indices into `versions`).
fn forward(versions: usize) -> impl Strategy<Value = Forward> {
    let backends = if versions == 0 {
        Just(vec![BackendRef::default()]).boxed()
    } else {
        proptest::sample::subsequence((0..versions).collect::<Vec<_>>(), 1..=versions)
            .prop_flat_map(|idx| {
                let n = idx.len();
                (Just(idx), vec(1u32..=100, n))
            })
            .prop_map(|(idx, weights)| {
                idx.into_iter()
                    .zip(weights)
                    .map(|(v, w)| BackendRef {
                        version: Some(name_from("v", v + 1)),
                        weight: Weight::new(w).unwrap_or_default(),
                        ..BackendRef::default()
                    })
                    .collect()
            })
            .boxed()
    };
    (
        backends,
        proptest::option::of(retries_with_timeout()),
        proptest::option::of(fault()),
        any::<bool>(),
    )
        .prop_map(move |(backends, retries, fault, mirror)| {
            let (retries, timeout) = match retries {
                Some((r, t)) => (Some(r), t),
                None => (None, None),
            };
            // Mirror to a version that is not a primary, when there is one.
            let mirrors = if mirror && versions > 1 {
                (1..=versions)
                    .map(|v| name_from("v", v))
                    .find(|v| {
                        !backends
                            .iter()
                            .any(|b: &BackendRef| b.version.as_ref() == Some(v))
                    })
                    .map(|v| Mirror {
                        version: Some(v),
                        percent: Percent::ALL,
                        ..Mirror::default()
                    })
                    .into_iter()
                    .collect()
            } else {
                vec![]
            };
            Forward {
                backends,
                mirrors,
                rewrite: None,
                timeout,
                retries,
                fault,
            }
        })
}

fn route(versions: usize, index: usize) -> impl Strategy<Value = Route> {
    (vec(route_match(), 0..3), forward(versions), any::<bool>()).prop_map(
        move |(matches, f, named)| Route {
            name: named.then(|| name_from("r", index)),
            matches,
            action: Action::Forward(f),
            request_headers: HeaderEdits::default(),
            response_headers: HeaderEdits::default(),
        },
    )
}

fn service(size: MeshSize, index: usize, namespace: Name) -> impl Strategy<Value = Service> {
    let versions = 0..=size.versions_per_service;
    versions.prop_flat_map(move |nv| {
        let routes = (0..=size.routes_per_service)
            .prop_flat_map(move |nr| (0..nr).map(|i| route(nv, i)).collect::<Vec<_>>());
        let ns = namespace.clone();
        (
            routes,
            proptest::option::of(resilience()),
            prop_oneof![
                Just(Protocol::Http),
                Just(Protocol::Http2),
                Just(Protocol::Grpc)
            ],
            8000u32..=9000,
            any::<bool>(),
        )
            .prop_map(
                move |(routes, resilience, protocol, port, default_version)| Service {
                    name: name_from("svc", index),
                    namespace: ns.clone(),
                    ports: vec![ServicePort {
                        number: Port::new(port).unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
                        protocol,
                        name: None,
                        target_port: None,
                    }],
                    versions: (1..=nv)
                        .map(|v| Version {
                            name: name_from("v", v),
                            labels: Default::default(),
                            resilience: None,
                        })
                        .collect(),
                    selector: Default::default(),
                    service_account: None,
                    routes,
                    unmatched: if default_version && nv > 0 {
                        Unmatched::Version(name_from("v", 1))
                    } else {
                        Unmatched::Service
                    },
                    resilience: resilience.unwrap_or_default(),
                    export_to: vec![],
                },
            )
    })
}

/// Authorization rules over the given identities and namespaces.
fn rule(identities: Vec<Identity>) -> impl Strategy<Value = AuthzRule> {
    let n = identities.len();
    let from = if n == 0 {
        Just(vec![]).boxed()
    } else {
        proptest::sample::subsequence(identities, 0..=n.min(3))
            .prop_map(|ids| ids.into_iter().map(Source::Identity).collect::<Vec<_>>())
            .boxed()
    };
    let op = (
        vec(method(), 0..3),
        vec(http_path().prop_map(PathMatch::Prefix), 0..2),
    )
        .prop_map(|(mut methods, paths)| {
            methods.sort();
            methods.dedup();
            Operation {
                methods,
                paths,
                ports: vec![],
            }
        });
    (from, vec(op, 0..2)).prop_map(|(from, to)| AuthzRule {
        from,
        to,
        when: vec![],
    })
}

/// Whole valid meshes: services with versions, weighted routes, retries,
/// faults, mirrors, resilience; mTLS modes; authorization policies.
pub fn mesh(size: MeshSize) -> impl Strategy<Value = Mesh> {
    (1..=size.services.max(1), 1usize..=3)
        .prop_flat_map(move |(ns_count, n_namespaces)| {
            let services: Vec<_> = (0..ns_count)
                .map(|i| service(size, i, name_from("ns", i % n_namespaces)))
                .collect();
            (
                services,
                prop_oneof![Just(MtlsMode::Strict), Just(MtlsMode::Permissive)],
                any::<bool>(),
            )
        })
        .prop_flat_map(move |(services, mode, allow_default)| {
            let identities: Vec<Identity> = services.iter().map(Service::identity).collect();
            let refs: Vec<_> = services.iter().map(Service::reference).collect();
            let policies = (0..=size.policies).prop_flat_map({
                let identities = identities.clone();
                let refs = refs.clone();
                move |np| {
                    (0..np)
                        .map(|i| {
                            let target = refs[i % refs.len()].clone();
                            (
                                vec(rule(identities.clone()), 1..=size.rules_per_policy.max(1)),
                                any::<bool>(),
                            )
                                .prop_map(move |(rules, deny)| {
                                    AuthorizationPolicy {
                                        name: name_from("policy", i),
                                        scope: Scope::Service(target.clone()),
                                        action: if deny {
                                            AuthzAction::Deny
                                        } else {
                                            AuthzAction::Allow
                                        },
                                        rules,
                                    }
                                })
                        })
                        .collect::<Vec<_>>()
                }
            });
            let overrides = proptest::option::of(prop_oneof![
                Just(MtlsMode::Strict),
                Just(MtlsMode::Permissive)
            ])
            .prop_map({
                let ns = services.first().map(|s| s.namespace.clone());
                move |m| match (m, &ns) {
                    (Some(mode), Some(ns)) => {
                        vec![MtlsOverride {
                            scope: Scope::Namespace(ns.clone()),
                            mode: Some(mode),
                            ports: Default::default(),
                        }]
                    }
                    _ => vec![],
                }
            });
            (Just(services), policies, overrides).prop_map(
                move |(services, authorization, overrides)| Mesh {
                    services,
                    security: Security {
                        mtls: Mtls { mode, overrides },
                        default_action: if allow_default {
                            DefaultAction::Allow
                        } else {
                            DefaultAction::Deny
                        },
                        authorization,
                        jwt: vec![],
                    },
                    ..Mesh::default()
                },
            )
        })
}
