//! proptest strategies (feature `proptest`): values of every value type,
//! every composite type (routes, resilience, security, ingress, egress,
//! JWT providers, observability, installation, namespaces) and whole valid
//! [`Mesh`]es with size knobs ([`MeshSize`]), for downstream test
//! harnesses and for meshwright's own property tests.
//!
//! Every strategy produces values that pass validation, and shrinks to
//! smaller values that still do (shrinking only drops services, routes,
//! rules and optional parts, and lowers numbers within their ranges).
//! Strategies of parts that refer to others (an ingress routing to
//! services, a JWT provider scoped to a service) take what they may refer
//! to as arguments; [`mesh`] wires them together.
//!
//! ```
//! use mesh_model::strategy::{MeshSize, mesh};
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let m = mesh(MeshSize::default()).new_tree(&mut runner).unwrap().current();
//! m.validate().unwrap();
//! // Everything, observability and installation included.
//! let full = mesh(MeshSize::full()).new_tree(&mut runner).unwrap().current();
//! full.validate().unwrap();
//! ```

use std::num::NonZeroU32;

use proptest::collection::vec;
use proptest::prelude::*;

use crate::{
    AccessLogs, Action, Addon, Alert, AlertCondition, AlertSeverity, Attribute,
    AuthorizationPolicy, AuthzAction, AuthzRule, BackendRef, CertificateAuthority, Component,
    Condition, ConnectionPool, DataPlane, DefaultAction, DirectResponse, Duration, Egress,
    ExternalPort, ExternalService, Fault, FaultAbort, FaultDelay, Forward, GatewayDeployment,
    HashKey, HeaderEdits, HeaderName, Hostname, HttpPath, HttpStatus, Identity, Ingress,
    Installation, IpBlock, Jwks, JwtProvider, LabelKey, LabelValue, Labels, Listener,
    ListenerProtocol, ListenerTls, LoadBalancer, LogFormat, Mesh, Method, MetricSelector,
    MetricTags, Metrics, Mirror, Mtls, MtlsMode, MtlsOverride, Name, NamespaceConfig, ObjectName,
    Observability, Operation, OriginationMode, OutboundPolicy, OutlierDetection, PathMatch,
    PathRewrite, Percent, Port, Profile, Protocol, ProxySettings, Quantity, RateLimit, Redirect,
    RedirectStatus, Regex, Resilience, Resolution, ResourceList, Resources, RetryOn, RetryPolicy,
    Rewrite, Route, RouteMatch, Scope, Security, Service, ServicePort, ServiceRef, ServiceType,
    Source, StringMatch, TlsMode, TlsOrigination, Tracing, TracingProvider, Unmatched, Version,
    Weight, WorkloadSelector,
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
    /// Most ingress gateways (each routes to generated services).
    pub ingresses: usize,
    /// Most external (egress) services.
    pub external_services: usize,
    /// Most JWT providers.
    pub jwt_providers: usize,
    /// Whether meshes may carry observability settings (tracing, metrics
    /// with tags and alerts, access logs, addons). On by default.
    pub observability: bool,
    /// Whether meshes may carry installation settings (and extra managed
    /// namespaces with their injection setting). On by default.
    pub installation: bool,
    /// Whether installations may choose the ambient data plane. Off by
    /// default: on Istio, ambient moves every service's routing to Gateway
    /// API (most-specific-match) HTTPRoutes, and the refusals that follow
    /// are reported under the routing features (`QueryMatch`...), not
    /// under `Ambient`.
    pub ambient: bool,
}

impl MeshSize {
    /// The default sizes (every part of the model but ambient, which
    /// [`MeshSize::ambient`] adds).
    pub fn full() -> Self {
        MeshSize {
            observability: true,
            installation: true,
            ..MeshSize::default()
        }
    }

    /// The knobs of the first version of this strategy: services, routes,
    /// resilience and security only (no ingress, egress, JWT providers,
    /// observability or installation).
    pub fn core() -> Self {
        MeshSize {
            ingresses: 0,
            external_services: 0,
            jwt_providers: 0,
            observability: false,
            installation: false,
            ..MeshSize::default()
        }
    }
}

impl Default for MeshSize {
    fn default() -> Self {
        MeshSize {
            services: 4,
            routes_per_service: 3,
            versions_per_service: 3,
            policies: 3,
            rules_per_policy: 2,
            ingresses: 2,
            external_services: 2,
            jwt_providers: 2,
            observability: true,
            installation: true,
            ambient: false,
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

/// Connection pool limits.
pub fn connection_pool() -> impl Strategy<Value = ConnectionPool> {
    (1u32..=1000, proptest::option::of(1u32..=100)).prop_map(|(c, p)| ConnectionPool {
        max_connections: Some(nz(c)),
        max_pending_requests: p.map(nz),
        ..ConnectionPool::default()
    })
}

/// Outlier detection settings.
pub fn outlier_detection() -> impl Strategy<Value = OutlierDetection> {
    (1u32..=10, 1u32..=60, 1u32..=300, 1u32..=100).prop_map(|(n, i, b, m)| OutlierDetection {
        consecutive_5xx: Some(nz(n)),
        interval: Some(Duration::from_secs(i)),
        base_ejection_time: Some(Duration::from_secs(b)),
        max_ejection_percent: Percent::new(f64::from(m)).ok(),
        ..OutlierDetection::default()
    })
}

/// Load-balancer choices (simple or consistent hash).
pub fn load_balancer() -> impl Strategy<Value = LoadBalancer> {
    prop_oneof![
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
    ]
}

/// Rate limits (per second or per minute).
pub fn rate_limit() -> impl Strategy<Value = RateLimit> {
    (1u32..=1000, prop_oneof![Just(1u32), Just(60u32)]).prop_map(|(r, per)| RateLimit {
        requests: nz(r),
        per: Duration::from_secs(per),
        burst: None,
        per_identity: None,
        overrides: vec![],
    })
}

/// Resilience settings (valid on their own).
pub fn resilience() -> impl Strategy<Value = Resilience> {
    let pool = connection_pool();
    let outlier = outlier_detection();
    let lb = load_balancer();
    let rate = rate_limit();
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

fn service_route(versions: usize, index: usize) -> impl Strategy<Value = Route> {
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
            .prop_flat_map(move |nr| (0..nr).map(|i| service_route(nv, i)).collect::<Vec<_>>());
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

/// Services, routes, resilience and security (the core of [`mesh`]).
fn core_mesh(size: MeshSize) -> impl Strategy<Value = Mesh> {
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

// === Values used by the edges, observability and installation ===

/// Label keys (`app`, `example.com/tier`).
pub fn label_key() -> impl Strategy<Value = LabelKey> {
    "([a-z]{1,6}\\.com/)?[a-z]([a-z0-9._-]{0,8}[a-z0-9])?"
        .prop_filter_map("label key", |s| LabelKey::new(s).ok())
}

/// Label values (possibly empty).
pub fn label_value() -> impl Strategy<Value = LabelValue> {
    "([a-z0-9]([a-z0-9._-]{0,8}[a-z0-9])?)?"
        .prop_filter_map("label value", |s| LabelValue::new(s).ok())
}

/// Label maps of up to `n` entries.
pub fn labels(n: usize) -> impl Strategy<Value = Labels> {
    proptest::collection::btree_map(label_key(), label_value(), 0..=n)
}

/// Object names (DNS-1123 subdomains: Secrets, issuers).
pub fn object_name() -> impl Strategy<Value = ObjectName> {
    "[a-z]([a-z0-9-]{0,10}[a-z0-9])?(\\.[a-z]{1,6})?"
        .prop_filter_map("object name", |s| ObjectName::new(s).ok())
}

/// IP addresses and CIDR blocks (documentation ranges).
pub fn ip_block() -> impl Strategy<Value = IpBlock> {
    prop_oneof![
        (1u8..=254).prop_map(|i| format!("203.0.113.{i}")),
        (8u8..=32).prop_map(|len| format!("10.0.0.0/{len}")),
        Just("2001:db8::/32".to_owned()),
    ]
    .prop_filter_map("ip block", |s| IpBlock::new(s).ok())
}

/// CPU quantities (`100m`, `2`).
pub fn cpu() -> impl Strategy<Value = Quantity> {
    prop_oneof![
        (1u32..=4000).prop_map(|m| format!("{m}m")),
        (1u32..=8).prop_map(|c| c.to_string()),
    ]
    .prop_filter_map("cpu", |s| Quantity::new(s).ok())
}

/// Memory quantities (`128Mi`, `1Gi`).
pub fn memory() -> impl Strategy<Value = Quantity> {
    prop_oneof![
        (16u32..=4096).prop_map(|m| format!("{m}Mi")),
        (1u32..=16).prop_map(|g| format!("{g}Gi")),
    ]
    .prop_filter_map("memory", |s| Quantity::new(s).ok())
}

/// Identities (namespace + service account).
pub fn identity() -> impl Strategy<Value = Identity> {
    (name(), name()).prop_map(|(namespace, service_account)| Identity {
        namespace,
        service_account,
    })
}

/// Workload selectors (a namespace and labels).
pub fn workload_selector() -> impl Strategy<Value = WorkloadSelector> {
    (name(), labels(2)).prop_map(|(namespace, labels)| WorkloadSelector { namespace, labels })
}

/// Header edits (set, add, remove; a removed header is neither set nor
/// added).
pub fn header_edits() -> impl Strategy<Value = HeaderEdits> {
    (
        proptest::collection::btree_map(header_name(), "[a-z0-9]{1,8}", 0..=2),
        proptest::collection::btree_map(header_name(), "[a-z0-9]{1,8}", 0..=2),
        proptest::collection::btree_set(header_name(), 0..=2),
    )
        .prop_map(|(set, add, remove)| HeaderEdits {
            remove: remove
                .into_iter()
                .filter(|h| !set.contains_key(h) && !add.contains_key(h))
                .collect(),
            set,
            add,
        })
}

/// Rewrites (path and/or host).
pub fn rewrite() -> impl Strategy<Value = Rewrite> {
    (
        proptest::option::of(prop_oneof![
            http_path().prop_map(PathRewrite::Full),
            http_path().prop_map(PathRewrite::Prefix),
        ]),
        proptest::option::of(hostname()),
    )
        .prop_filter("path or host", |(p, h)| p.is_some() || h.is_some())
        .prop_map(|(path, host)| Rewrite { path, host })
}

/// Redirects (a host, a path or both: never a redirect to itself).
pub fn redirect() -> impl Strategy<Value = Redirect> {
    (
        proptest::option::of(hostname()),
        http_path().prop_map(|p| Some(PathRewrite::Full(p))),
        prop_oneof![
            Just(RedirectStatus::default()),
            Just(RedirectStatus::MovedPermanently),
            Just(RedirectStatus::Found),
        ],
    )
        .prop_map(|(host, path, status)| Redirect {
            host,
            path,
            status,
            ..Redirect::default()
        })
}

/// Direct responses.
pub fn direct_response() -> impl Strategy<Value = DirectResponse> {
    (
        (200u32..=599).prop_filter_map("status", |s| HttpStatus::new(s).ok()),
        proptest::option::of("[a-z ]{1,20}"),
    )
        .prop_map(|(status, body)| DirectResponse { status, body })
}

/// Routes of a service without versions: forward to the service itself,
/// redirect or respond directly, with matches and header edits.
pub fn route() -> impl Strategy<Value = Route> {
    (
        proptest::option::of(name()),
        vec(route_match(), 0..3),
        prop_oneof![
            4 => forward(0).prop_map(Action::Forward),
            1 => redirect().prop_map(Action::Redirect),
            1 => direct_response().prop_map(Action::Respond),
        ],
        header_edits(),
        header_edits(),
    )
        .prop_map(
            |(name, matches, action, request_headers, response_headers)| Route {
                name,
                matches,
                action,
                request_headers,
                response_headers,
            },
        )
}

/// A service of `size` (versions, routes, resilience) named `svc<index>`
/// in `namespace`.
pub fn service_in(size: MeshSize, index: usize, namespace: Name) -> impl Strategy<Value = Service> {
    service(size, index, namespace)
}

/// Authorization rules over these identities.
pub fn authz_rule(identities: Vec<Identity>) -> impl Strategy<Value = AuthzRule> {
    rule(identities)
}

// === Edges ===

/// Ingress listeners, `index` making the port distinct: plain HTTP,
/// terminated HTTPS, or TLS passthrough.
pub fn listener(index: u32) -> impl Strategy<Value = Listener> {
    let port =
        move |base: u32| Port::new(base + index).unwrap_or(Port::from(std::num::NonZeroU16::MIN));
    prop_oneof![
        Just(ListenerProtocol::Http).prop_map(move |protocol| Listener {
            port: port(8080),
            protocol,
            tls: None,
            https_redirect: false,
        }),
        (object_name(), any::<bool>()).prop_map(move |(credential, mutual)| Listener {
            port: port(8443),
            protocol: ListenerProtocol::Https,
            tls: Some(ListenerTls {
                mode: if mutual {
                    TlsMode::Mutual
                } else {
                    TlsMode::Terminate
                },
                credential: Some(credential),
            }),
            https_redirect: false,
        }),
    ]
}

/// Ingress gateways routing to these services (name, namespace, port,
/// number of versions); hosts are made distinct by `index`.
pub fn ingress(
    index: usize,
    targets: Vec<(ServiceRef, Port, usize)>,
) -> impl Strategy<Value = Ingress> {
    let n = targets.len().max(1);
    let route = (
        vec(route_match(), 0..2),
        0..n,
        any::<bool>(),
        proptest::option::of(duration()),
    )
        .prop_map(move |(matches, t, versioned, timeout)| {
            let backends = targets
                .get(t)
                .map(|(r, port, versions)| BackendRef {
                    service: Some(r.name.clone()),
                    namespace: Some(r.namespace.clone()),
                    version: (versioned && *versions > 0).then(|| name_from("v", 1)),
                    port: Some(*port),
                    ..BackendRef::default()
                })
                .into_iter()
                .collect();
            Route {
                name: None,
                matches,
                action: Action::Forward(Forward {
                    backends,
                    timeout,
                    ..Forward::default()
                }),
                request_headers: HeaderEdits::default(),
                response_headers: HeaderEdits::default(),
            }
        });
    (
        proptest::sample::subsequence(vec![0u32, 1], 1..=2),
        vec(route, 1..=2),
        1usize..=2,
    )
        .prop_flat_map(|(kinds, routes, hosts)| {
            (
                kinds.into_iter().map(listener).collect::<Vec<_>>(),
                Just(routes),
                Just(hosts),
            )
        })
        .prop_map(move |(listeners, routes, hosts)| Ingress {
            name: name_from("gateway", index),
            namespace: name_from("ingress", 0),
            hosts: (0..hosts)
                .filter_map(|h| Hostname::new(format!("app{index}-{h}.example.com")).ok())
                .collect(),
            listeners,
            routes,
        })
}

/// External services (egress), hosts made distinct by `index`: DNS,
/// static or passthrough resolution, with TLS origination for plain ports.
pub fn external_service(index: usize, namespace: Name) -> impl Strategy<Value = ExternalService> {
    let host = move |p: &str| Hostname::new(format!("{p}{index}.example.org")).ok();
    (
        prop_oneof![
            Just(Protocol::Http),
            Just(Protocol::Https),
            Just(Protocol::Tls),
            Just(Protocol::Tcp)
        ],
        prop_oneof![
            2 => Just(Resolution::Dns),
            1 => vec(ip_block(), 1..=2).prop_map(Resolution::Static),
            1 => Just(Resolution::Passthrough),
        ],
        any::<bool>(),
        proptest::option::of(object_name()),
    )
        .prop_map(move |(protocol, resolution, originate, credential)| {
            let tls_port = matches!(protocol, Protocol::Https | Protocol::Tls);
            let number = if tls_port || originate { 443 } else { 80 };
            let tls = (originate && protocol == Protocol::Http).then(|| TlsOrigination {
                mode: if credential.is_some() {
                    OriginationMode::Mutual
                } else {
                    OriginationMode::Simple
                },
                sni: host("api"),
                credential,
            });
            ExternalService {
                name: name_from("external", index),
                namespace: namespace.clone(),
                hosts: host("api").into_iter().collect(),
                ports: vec![ExternalPort {
                    number: Port::new(number).unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
                    protocol,
                    target_port: None,
                }],
                resolution,
                tls,
            }
        })
}

/// Egress settings with up to `n` external services in `namespace`.
pub fn egress(n: usize, namespace: Name) -> impl Strategy<Value = Egress> {
    (
        prop_oneof![
            Just(OutboundPolicy::RegistryOnly),
            Just(OutboundPolicy::AllowAny)
        ],
        (0..=n).prop_flat_map(move |k| {
            (0..k)
                .map(|i| external_service(i, namespace.clone()))
                .collect::<Vec<_>>()
        }),
    )
        .prop_map(|(policy, services)| Egress { policy, services })
}

/// JWT providers, names and issuers made distinct by `index`, scoped to
/// the mesh or to these scopes.
pub fn jwt_provider(index: usize, scopes: Vec<Scope>) -> impl Strategy<Value = JwtProvider> {
    let n = scopes.len();
    (
        vec("[a-z]{3,8}", 0..=2),
        proptest::sample::subsequence(scopes, 0..=n.min(1)),
        any::<bool>(),
    )
        .prop_map(move |(audiences, scopes, forward)| JwtProvider {
            name: name_from("jwt", index),
            issuer: format!("https://issuer{index}.example.com"),
            jwks: Jwks::Uri(format!(
                "https://issuer{index}.example.com/.well-known/jwks.json"
            )),
            audiences,
            scopes,
            forward,
        })
}

// === Observability ===

/// Tracing settings.
pub fn tracing() -> impl Strategy<Value = Tracing> {
    (
        prop_oneof![
            Just((TracingProvider::Zipkin, 9411)),
            Just((TracingProvider::Jaeger, 9411)),
            Just((TracingProvider::OpenTelemetry, 4317)),
        ],
        (0u32..=10_000),
    )
        .prop_map(|((provider, port), hundredths)| Tracing {
            provider,
            host: Hostname::trusted("collector.observability.svc.cluster.local".to_owned()),
            port: Port::new(port).unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
            sampling: Percent::new(f64::from(hundredths) / 100.0).unwrap_or(Percent::ALL),
        })
}

/// Metric tag changes (mesh-wide).
pub fn metric_tags() -> impl Strategy<Value = MetricTags> {
    let attribute = prop_oneof![
        Just(Attribute::RequestProtocol),
        Just(Attribute::RequestPath),
        Just(Attribute::RequestMethod),
        Just(Attribute::ResponseCode),
        header_name().prop_map(Attribute::RequestHeader),
    ];
    (
        prop_oneof![
            Just(MetricSelector::All),
            Just(MetricSelector::Requests),
            Just(MetricSelector::Duration),
        ],
        proptest::collection::btree_map("[a-z][a-z_]{0,8}", attribute, 0..=2),
        proptest::collection::btree_set("x[a-z_]{0,8}", 0..=2),
    )
        .prop_filter("a tag change", |(_, add, remove)| {
            !add.is_empty() || !remove.is_empty()
        })
        .prop_map(|(metric, add, remove)| MetricTags {
            scope: None,
            metric,
            remove: remove
                .into_iter()
                .filter(|r| !add.contains_key(r))
                .collect(),
            add,
        })
}

/// Golden-signal alerts.
pub fn alert() -> impl Strategy<Value = Alert> {
    (
        proptest::option::of("[A-Z][A-Za-z0-9_]{0,12}"),
        prop_oneof![
            (1u32..=99).prop_filter_map("percent", |p| Percent::new(f64::from(p))
                .ok()
                .map(AlertCondition::SuccessRateBelow)),
            (10u32..=10_000)
                .prop_map(|ms| AlertCondition::LatencyP99Above(Duration::from_millis(ms))),
            (1u32..=10_000).prop_map(AlertCondition::RequestRateAbove),
            memory().prop_map(AlertCondition::ProxyMemoryAbove),
            (1u32..=600).prop_map(|s| AlertCondition::ConfigSyncAbove(Duration::from_secs(s))),
        ],
        (1u32..=3600).prop_map(Duration::from_secs),
        proptest::option::of("[A-Za-z][A-Za-z0-9 ]{0,20}"),
        prop_oneof![Just(AlertSeverity::Warning), Just(AlertSeverity::Critical)],
    )
        .prop_map(|(name, when, for_, summary, severity)| Alert {
            name,
            when,
            for_,
            summary,
            severity,
        })
}

/// Metrics settings.
pub fn metrics() -> impl Strategy<Value = Metrics> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((5u32..=120).prop_map(Duration::from_secs)),
        vec(metric_tags(), 0..=2),
        vec(alert(), 0..=3),
        any::<bool>(),
    )
        .prop_map(
            |(scrape_proxies, scrape_control_plane, interval, tags, alerts, dashboard)| Metrics {
                scrape_proxies,
                scrape_control_plane,
                interval,
                tags,
                alerts: unique_alert_names(alerts),
                dashboard,
            },
        )
}

fn unique_alert_names(mut alerts: Vec<Alert>) -> Vec<Alert> {
    let mut seen = std::collections::BTreeSet::new();
    for a in &mut alerts {
        if let Some(n) = &a.name
            && !seen.insert(n.clone())
        {
            a.name = None;
        }
    }
    alerts
}

/// Observability settings: tracing, metrics, access logs, addons.
pub fn observability() -> impl Strategy<Value = Observability> {
    (
        proptest::option::of(tracing()),
        proptest::option::of(metrics()),
        proptest::option::of(prop_oneof![Just(LogFormat::Text), Just(LogFormat::Json)]),
        proptest::sample::subsequence(
            vec![
                Addon::Prometheus,
                Addon::Grafana,
                Addon::Jaeger,
                Addon::Kiali,
            ],
            0..=2,
        ),
    )
        .prop_map(|(tracing, metrics, format, addons)| Observability {
            tracing,
            metrics,
            access_logs: format.map(|format| AccessLogs { format }),
            addons,
        })
}

// === Installation ===

/// Resource requests and limits.
pub fn resources() -> impl Strategy<Value = Resources> {
    let list = (proptest::option::of(cpu()), proptest::option::of(memory()))
        .prop_map(|(cpu, memory)| ResourceList { cpu, memory })
        .boxed();
    (
        proptest::option::of(list.clone()),
        proptest::option::of(list),
    )
        .prop_map(|(requests, limits)| Resources { requests, limits })
}

/// Components (replicas, resources).
pub fn component() -> impl Strategy<Value = Component> {
    (
        proptest::option::of(1u32..=5),
        proptest::option::of(resources()),
    )
        .prop_map(|(replicas, resources)| Component {
            replicas,
            resources,
        })
}

/// Gateway deployments.
pub fn gateway_deployment() -> impl Strategy<Value = GatewayDeployment> {
    (
        prop_oneof![
            Just(ServiceType::LoadBalancer),
            Just(ServiceType::NodePort),
            Just(ServiceType::ClusterIP),
        ],
        component(),
    )
        .prop_map(|(service_type, component)| GatewayDeployment {
            service_type,
            component,
        })
}

/// Certificate authorities.
pub fn certificate_authority() -> impl Strategy<Value = CertificateAuthority> {
    prop_oneof![
        Just(CertificateAuthority::MeshManaged),
        (name(), any::<bool>()).prop_map(|(issuer, cluster_issuer)| {
            CertificateAuthority::CertManager {
                issuer,
                cluster_issuer,
            }
        }),
        object_name().prop_map(CertificateAuthority::Secret),
    ]
}

/// Installation settings (high availability always with at least two
/// control-plane replicas or none said), sidecar or ambient data plane.
pub fn installation() -> impl Strategy<Value = Installation> {
    installation_with(true)
}

/// [`installation`], with the ambient data plane only when `ambient`.
pub fn installation_with(ambient: bool) -> impl Strategy<Value = Installation> {
    let data_plane = if ambient {
        prop_oneof![Just(DataPlane::Sidecar), Just(DataPlane::Ambient)].boxed()
    } else {
        Just(DataPlane::Sidecar).boxed()
    };
    (
        prop_oneof![
            Just(Profile::Production),
            Just(Profile::Demo),
            Just(Profile::Minimal)
        ],
        proptest::option::of(name()),
        any::<bool>(),
        component(),
        (proptest::option::of(resources()), any::<bool>()),
        certificate_authority(),
        (
            proptest::option::of(gateway_deployment()),
            proptest::option::of(gateway_deployment()),
        ),
        data_plane,
    )
        .prop_map(
            |(
                profile,
                revision,
                ha,
                mut control_plane,
                (proxy_resources, hold),
                ca,
                (ig, eg),
                data_plane,
            )| {
                if ha {
                    control_plane.replicas = control_plane.replicas.map(|r| r.max(2));
                }
                Installation {
                    profile,
                    revision,
                    high_availability: ha,
                    control_plane,
                    proxy: ProxySettings {
                        resources: proxy_resources,
                        hold_application_until_proxy_starts: hold,
                    },
                    certificate_authority: ca,
                    ingress_gateway: ig,
                    egress_gateway: eg,
                    data_plane,
                }
            },
        )
}

/// Namespace settings (`extra<index>`, injection on or off, labels).
pub fn namespace_config(index: usize) -> impl Strategy<Value = NamespaceConfig> {
    (any::<bool>(), labels(2)).prop_map(move |(inject, labels)| NamespaceConfig {
        name: name_from("extra", index),
        inject,
        labels,
    })
}

// === The whole mesh ===

/// Whole valid meshes: services with versions, weighted routes, retries,
/// faults, mirrors, resilience; mTLS modes; authorization policies; and,
/// as `size` allows, ingress gateways routing to the services, external
/// services, JWT providers, extra namespaces, observability and
/// installation settings.
pub fn mesh(size: MeshSize) -> impl Strategy<Value = Mesh> {
    core_mesh(size).prop_flat_map(move |m| {
        let targets: Vec<(ServiceRef, Port, usize)> = m
            .services
            .iter()
            .filter_map(|s| Some((s.reference(), s.ports.first()?.number, s.versions.len())))
            .collect();
        let first_ns = m
            .services
            .first()
            .map_or_else(|| name_from("ns", 0), |s| s.namespace.clone());
        let scopes: Vec<Scope> = m
            .services
            .iter()
            .take(2)
            .map(|s| Scope::Service(s.reference()))
            .chain(std::iter::once(Scope::Namespace(first_ns.clone())))
            .collect();
        let ingresses = (0..=size.ingresses).prop_flat_map({
            let targets = targets.clone();
            move |k| {
                (0..k)
                    .map(|i| ingress(i, targets.clone()))
                    .collect::<Vec<_>>()
            }
        });
        let jwt = (0..=size.jwt_providers).prop_flat_map(move |k| {
            (0..k)
                .map(|i| jwt_provider(i, scopes.clone()))
                .collect::<Vec<_>>()
        });
        let observability = if size.observability {
            observability().boxed()
        } else {
            Just(Observability::default()).boxed()
        };
        let installation = if size.installation {
            proptest::option::of(installation_with(size.ambient)).boxed()
        } else {
            Just(None).boxed()
        };
        let egress = if size.external_services > 0 {
            egress(size.external_services, first_ns).boxed()
        } else {
            Just(Egress::default()).boxed()
        };
        // Extra managed namespaces (injection settings) come with the
        // installation knob.
        let namespaces = (0usize..=usize::from(size.installation))
            .prop_flat_map(|k| (0..k).map(namespace_config).collect::<Vec<_>>());
        (
            Just(m),
            ingresses,
            egress,
            jwt,
            namespaces,
            observability,
            installation,
        )
            .prop_map(
                |(mut m, ingress, egress, jwt, namespaces, observability, installation)| {
                    m.ingress = ingress;
                    m.egress = egress;
                    m.security.jwt = jwt;
                    m.namespaces = namespaces;
                    m.observability = observability;
                    m.installation = installation;
                    m
                },
            )
    })
}

// === More parts ===

/// Retry policies (without the timeout they must fit in; see
/// [`retries_with_timeout`]).
pub fn retry_policy() -> impl Strategy<Value = RetryPolicy> {
    retries_with_timeout().prop_map(|(r, _)| r)
}

/// Forwards to a service's own versions (`v1`..`v<versions>`), with
/// weights, mirrors, retries, faults.
pub fn forward_to_versions(versions: usize) -> impl Strategy<Value = Forward> {
    forward(versions)
}

/// Service references.
pub fn service_ref() -> impl Strategy<Value = ServiceRef> {
    (name(), name()).prop_map(|(name, namespace)| ServiceRef { name, namespace })
}

/// Service ports (HTTP, HTTP/2, gRPC, TCP...).
pub fn service_port() -> impl Strategy<Value = ServicePort> {
    (
        port(),
        prop_oneof![
            Just(Protocol::Http),
            Just(Protocol::Http2),
            Just(Protocol::Grpc),
            Just(Protocol::Tcp),
        ],
        proptest::option::of(name()),
    )
        .prop_map(|(number, protocol, name)| ServicePort {
            number,
            protocol,
            name,
            target_port: None,
        })
}

/// Versions (`v<index>`) with pod labels and maybe their own resilience.
pub fn version(index: usize) -> impl Strategy<Value = Version> {
    (labels(2), proptest::option::of(resilience())).prop_map(move |(labels, resilience)| Version {
        name: name_from("v", index),
        labels,
        resilience,
    })
}

/// Operations (methods, path prefixes, ports) of authorization rules.
pub fn operation() -> impl Strategy<Value = Operation> {
    (
        proptest::collection::btree_set(method(), 0..3),
        vec(http_path().prop_map(PathMatch::Prefix), 0..2),
        proptest::collection::btree_set(port(), 0..2),
    )
        .prop_map(|(methods, paths, ports)| Operation {
            methods: methods.into_iter().collect(),
            paths,
            ports: ports.into_iter().collect(),
        })
}

/// `when` conditions of authorization rules (on request headers).
pub fn condition() -> impl Strategy<Value = Condition> {
    (header_name(), vec("[a-z0-9]{1,8}", 1..=2))
        .prop_map(|(name, values)| Condition::Header { name, values })
}

/// mTLS modes.
pub fn mtls_mode() -> impl Strategy<Value = MtlsMode> {
    prop_oneof![
        Just(MtlsMode::Strict),
        Just(MtlsMode::Permissive),
        Just(MtlsMode::Disabled),
    ]
}

/// mTLS overrides for this scope; per-port modes only for service and
/// workload scopes (the meshes scope them to selected workloads).
pub fn mtls_override(scope: Scope) -> impl Strategy<Value = MtlsOverride> {
    let per_port = matches!(scope, Scope::Service(_) | Scope::Workload(_));
    (
        proptest::option::of(mtls_mode()),
        proptest::collection::btree_map(port(), mtls_mode(), 0..=2),
    )
        .prop_map(move |(mode, ports)| {
            let ports = if per_port { ports } else { Default::default() };
            MtlsOverride {
                scope: scope.clone(),
                mode: mode.or(ports.is_empty().then_some(MtlsMode::Strict)),
                ports,
            }
        })
}
