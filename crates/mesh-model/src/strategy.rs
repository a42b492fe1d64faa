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
    PathRewrite, Percent, Port, Profile, Protocol, ProxySettings, Quantity, RateLimit,
    RateLimitOverride, Redirect, RedirectStatus, Regex, Resilience, Resolution, ResourceList,
    Resources, RetryBudget, RetryOn, RetryPolicy, Rewrite, Route, RouteMatch, Scheme, Scope,
    Security, Service, ServicePort, ServiceRef, ServiceType, Source, StringMatch, TlsMode,
    TlsOrigination, Tracing, TracingProvider, TrustDomain, Unmatched, Version, Weight,
    WorkloadSelector,
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
    /// namespaces with their injection setting, and now and then a trust
    /// domain other than `cluster.local`). On by default.
    pub installation: bool,
    /// Whether installations may choose the ambient data plane. On by
    /// default (a backend's refusals caused by ambient mode are reported
    /// under `Feature::Ambient`).
    pub ambient: bool,
}

impl MeshSize {
    /// Every part of the model (the default sizes, with observability,
    /// installation and the ambient data plane on).
    pub fn full() -> Self {
        MeshSize {
            observability: true,
            installation: true,
            ambient: true,
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
            ambient: true,
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

/// Relative weights from 1 to 100.
pub fn weight() -> impl Strategy<Value = Weight> {
    (1u32..=100).prop_filter_map("weight", |w| Weight::new(w).ok())
}

/// HTTP status codes in `lo..=hi`.
fn status_in(lo: u32, hi: u32) -> impl Strategy<Value = HttpStatus> {
    (lo..=hi).prop_filter_map("status", |s| HttpStatus::new(s).ok())
}

/// HTTP status codes from 200 to 599.
pub fn http_status() -> impl Strategy<Value = HttpStatus> {
    status_in(200, 599)
}

/// Trust domains: `cluster.local` or a host name such as `prod.example`.
pub fn trust_domain() -> impl Strategy<Value = TrustDomain> {
    prop_oneof![
        Just(TrustDomain::default()),
        "[a-z][a-z0-9]{0,8}\\.[a-z]{2,6}"
            .prop_filter_map("trust domain", |s| TrustDomain::new(s).ok()),
    ]
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
        .boxed()
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
        status_in(500, 504).prop_map(RetryOn::Status),
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

/// Injected delays.
pub fn fault_delay() -> impl Strategy<Value = FaultDelay> {
    (duration(), percent()).prop_map(|(delay, percent)| FaultDelay { delay, percent })
}

/// Injected aborts (status 400 to 599).
pub fn fault_abort() -> impl Strategy<Value = FaultAbort> {
    (status_in(400, 599), percent()).prop_map(|(status, percent)| FaultAbort { status, percent })
}

/// Faults: a delay, an abort, or both (never neither, so shrinking keeps
/// one of them).
pub fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        fault_delay().prop_map(|d| Fault {
            delay: Some(d),
            abort: None
        }),
        fault_abort().prop_map(|a| Fault {
            delay: None,
            abort: Some(a)
        }),
        (fault_delay(), fault_abort()).prop_map(|(d, a)| Fault {
            delay: Some(d),
            abort: Some(a)
        }),
    ]
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

/// Consistent-hash keys: a header, the source IP, or a cookie (with a
/// one-hour time to live).
pub fn hash_key() -> impl Strategy<Value = HashKey> {
    prop_oneof![
        header_name().prop_map(HashKey::Header),
        Just(HashKey::SourceIp),
        "[a-z]{1,8}".prop_map(|c| HashKey::Cookie {
            name: c,
            ttl: Some(Duration::from_secs(3600)),
            path: None
        }),
    ]
}

/// Load-balancer choices (simple or consistent hash).
pub fn load_balancer() -> impl Strategy<Value = LoadBalancer> {
    prop_oneof![
        Just(LoadBalancer::RoundRobin),
        Just(LoadBalancer::LeastRequest),
        Just(LoadBalancer::Random),
        hash_key().prop_map(LoadBalancer::ConsistentHash),
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

/// Rate-limit overrides for some of these clients, at most `requests`
/// per window (the limit they override).
pub fn rate_limit_override(
    clients: Vec<Identity>,
    requests: u32,
) -> impl Strategy<Value = RateLimitOverride> {
    let n = clients.len().max(1);
    (
        proptest::sample::subsequence(clients, 1..=n),
        1..=requests.max(1),
    )
        .prop_map(|(clients, r)| RateLimitOverride {
            clients,
            requests: nz(r),
        })
}

/// Retry budgets (Linkerd's ServiceProfile): a share of 1–100% of
/// requests, a floor per second, a window of 1–60 s.
pub fn retry_budget() -> impl Strategy<Value = RetryBudget> {
    (1u32..=100, 0u32..=100, 1u32..=60).prop_map(|(p, min, ttl)| RetryBudget {
        percent: Percent::new(f64::from(p)).unwrap_or(Percent::ALL),
        min_per_second: min,
        ttl: Duration::from_secs(ttl),
    })
}

/// Resilience settings (valid on their own and under any route): connection
/// pool, outlier detection, load balancer, rate limit, default timeout,
/// default retries and a retry budget ([`retry_budget`]).
///
/// Default retries carry no per-try timeout: a route with a shorter timeout
/// of its own would inherit them, and `attempts × perTryTimeout` over that
/// timeout is invalid. [`retries_with_timeout`] generates per-try timeouts
/// together with a timeout they fit in. Per-client limits
/// ([`rate_limit_override`]) name other services' identities, so
/// [`mesh`] adds them once the services exist.
pub fn resilience() -> impl Strategy<Value = Resilience> {
    let pool = connection_pool();
    let outlier = outlier_detection();
    let lb = load_balancer();
    let rate = rate_limit();
    let retries = retries_with_timeout().prop_map(|(mut r, _)| {
        r.per_try_timeout = None;
        r
    });
    (
        proptest::option::of(pool),
        proptest::option::of(outlier),
        proptest::option::of(lb),
        proptest::option::of(rate),
        proptest::option::of(duration()),
        proptest::option::weighted(0.2, retries),
        proptest::option::weighted(0.2, retry_budget()),
    )
        .prop_map(
            |(
                connection_pool,
                outlier_detection,
                load_balancer,
                rate_limit,
                timeout,
                retries,
                retry_budget,
            )| Resilience {
                connection_pool,
                outlier_detection,
                load_balancer,
                rate_limit,
                timeout,
                retries,
                retry_budget,
            },
        )
        .boxed()
}

/// A weighted backend: the service's own version `v<version>` (the
/// service itself when `version` is 0).
pub fn backend_ref(version: usize) -> impl Strategy<Value = BackendRef> {
    weight().prop_map(move |weight| BackendRef {
        version: (version > 0).then(|| name_from("v", version)),
        weight,
        ..BackendRef::default()
    })
}

/// A mirror of all requests to the service's own version `v<version>`.
pub fn mirror(version: usize) -> impl Strategy<Value = Mirror> {
    Just(Mirror {
        version: Some(name_from("v", version)),
        percent: Percent::ALL,
        ..Mirror::default()
    })
}

/// A forward to the service's own versions (indices into `versions`).
fn forward(versions: usize) -> impl Strategy<Value = Forward> {
    let backends = if versions == 0 {
        Just(vec![BackendRef::default()]).boxed()
    } else {
        proptest::sample::subsequence((1..=versions).collect::<Vec<_>>(), 1..=versions)
            .prop_flat_map(|idx| idx.into_iter().map(backend_ref).collect::<Vec<_>>())
            .boxed()
    };
    // Mirror to a version that is not a primary, when there is one.
    let mirror_to = move |backends: &[BackendRef]| {
        (1..=versions).find(|v| {
            let name = name_from("v", *v);
            !backends.iter().any(|b| b.version.as_ref() == Some(&name))
        })
    };
    let backends = backends.prop_flat_map(move |backends| {
        let mirrors = match mirror_to(&backends) {
            Some(v) if versions > 1 => vec(mirror(v), 0..=1).boxed(),
            _ => Just(vec![]).boxed(),
        };
        (Just(backends), mirrors)
    });
    (
        backends,
        proptest::option::of(retries_with_timeout()),
        proptest::option::of(fault()),
    )
        .prop_map(move |((backends, mirrors), retries, fault)| {
            let (retries, timeout) = match retries {
                Some((r, t)) => (Some(r), t),
                None => (None, None),
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
        .boxed()
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

/// Protocols routes apply to (HTTP, HTTP/2, gRPC).
pub fn http_protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::Http),
        Just(Protocol::Http2),
        Just(Protocol::Grpc)
    ]
}

/// Every port protocol: [`http_protocol`]s, HTTPS, TLS, TCP.
pub fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        3 => http_protocol(),
        1 => Just(Protocol::Https),
        1 => Just(Protocol::Tls),
        1 => Just(Protocol::Tcp),
    ]
}

/// Where unmatched requests of a service with `versions` versions go: the
/// service, or its first version when it has one.
pub fn unmatched(versions: usize) -> impl Strategy<Value = Unmatched> {
    if versions == 0 {
        Just(Unmatched::Service).boxed()
    } else {
        prop_oneof![
            Just(Unmatched::Service),
            Just(Unmatched::Version(name_from("v", 1))),
        ]
        .boxed()
    }
}

/// Every choice for unmatched requests, including `notFound`
/// (a 404), for a service with `versions` versions.
pub fn unmatched_any(versions: usize) -> impl Strategy<Value = Unmatched> {
    prop_oneof![3 => unmatched(versions), 1 => Just(Unmatched::NotFound)]
}

fn service(size: MeshSize, index: usize, namespace: Name) -> impl Strategy<Value = Service> {
    let versions = 0..=size.versions_per_service;
    versions
        .prop_flat_map(move |nv| {
            let routes = (0..=size.routes_per_service)
                .prop_flat_map(move |nr| (0..nr).map(|i| service_route(nv, i)).collect::<Vec<_>>());
            let ns = namespace.clone();
            (
                routes,
                proptest::option::of(resilience()),
                http_protocol(),
                8000u32..=9000,
                unmatched(nv),
            )
                .prop_map(move |(routes, resilience, protocol, port, unmatched)| {
                    Service {
                        name: name_from("svc", index),
                        namespace: ns.clone(),
                        ports: vec![ServicePort {
                            number: Port::new(port)
                                .unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
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
                        unmatched,
                        resilience: resilience.unwrap_or_default(),
                        export_to: vec![],
                    }
                })
        })
        .boxed()
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

/// Authorization actions.
pub fn authz_action() -> impl Strategy<Value = AuthzAction> {
    prop_oneof![Just(AuthzAction::Allow), Just(AuthzAction::Deny)]
}

/// Default actions (deny or allow what no policy allows).
pub fn default_action() -> impl Strategy<Value = DefaultAction> {
    prop_oneof![Just(DefaultAction::Deny), Just(DefaultAction::Allow)]
}

/// An authorization policy `policy<index>` on the service `target`, with
/// 1 to `rules` rules over `identities`.
pub fn authorization_policy(
    index: usize,
    target: ServiceRef,
    identities: Vec<Identity>,
    rules: usize,
) -> impl Strategy<Value = AuthorizationPolicy> {
    (vec(rule(identities), 1..=rules.max(1)), authz_action()).prop_map(move |(rules, action)| {
        AuthorizationPolicy {
            name: name_from("policy", index),
            scope: Scope::Service(target.clone()),
            action,
            rules,
        }
    })
}

/// mTLS settings: strict or permissive mesh-wide, maybe overridden (strict
/// or permissive) for `namespace`.
pub fn mtls(namespace: Option<Name>) -> impl Strategy<Value = Mtls> {
    (
        mtls_enabled_mode(),
        proptest::option::of(mtls_enabled_mode()),
    )
        .prop_map(move |(mode, over)| Mtls {
            mode,
            overrides: match (over, &namespace) {
                (Some(mode), Some(ns)) => vec![MtlsOverride {
                    scope: Scope::Namespace(ns.clone()),
                    mode: Some(mode),
                    ports: Default::default(),
                }],
                _ => vec![],
            },
        })
}

/// Security settings over these services: [`mtls`] (overridden for the
/// first service's namespace), a [`default_action`], and up to
/// `size.policies` [`authorization_policy`]s on the services (round
/// robin) admitting their identities. JWT providers are added by
/// [`mesh`] ([`jwt_provider`]).
pub fn security(size: MeshSize, services: &[Service]) -> impl Strategy<Value = Security> + use<> {
    let identities: Vec<Identity> = services.iter().map(Service::identity).collect();
    let refs: Vec<ServiceRef> = services.iter().map(Service::reference).collect();
    let policies = (0..=if refs.is_empty() { 0 } else { size.policies }).prop_flat_map(move |np| {
        (0..np)
            .map(|i| {
                authorization_policy(
                    i,
                    refs[i % refs.len()].clone(),
                    identities.clone(),
                    size.rules_per_policy,
                )
            })
            .collect::<Vec<_>>()
    });
    (
        mtls(services.first().map(|s| s.namespace.clone())),
        default_action(),
        policies,
    )
        .prop_map(|(mtls, default_action, authorization)| Security {
            mtls,
            default_action,
            authorization,
            jwt: vec![],
        })
        .boxed()
}

/// Services, routes, resilience and security (the core of [`mesh`]).
fn core_mesh(size: MeshSize) -> impl Strategy<Value = Mesh> {
    (1..=size.services.max(1), 1usize..=3)
        .prop_flat_map(move |(ns_count, n_namespaces)| {
            (0..ns_count)
                .map(|i| service(size, i, name_from("ns", i % n_namespaces)))
                .collect::<Vec<_>>()
        })
        .prop_flat_map(|services| {
            // Per-client limits name the identities of declared services.
            let identities: Vec<Identity> = services.iter().map(Service::identity).collect();
            services
                .into_iter()
                .map(|s| client_limits(s, identities.clone()))
                .collect::<Vec<_>>()
        })
        .prop_flat_map(move |services| {
            let security = security(size, &services);
            (Just(services), security)
        })
        .prop_map(|(services, security)| Mesh {
            services,
            security,
            ..Mesh::default()
        })
}

/// `svc` with, when it has a rate limit, maybe a per-identity limit and an
/// override for some of `identities` (each at most the service's limit).
fn client_limits(svc: Service, identities: Vec<Identity>) -> BoxedStrategy<Service> {
    let Some(requests) = svc.resilience.rate_limit.as_ref().map(|r| r.requests.get()) else {
        return Just(svc).boxed();
    };
    (
        proptest::option::weighted(0.3, 1..=requests),
        proptest::option::weighted(0.3, rate_limit_override(identities, requests)),
    )
        .prop_map(move |(per_identity, over)| {
            let mut svc = svc.clone();
            if let Some(rl) = &mut svc.resilience.rate_limit {
                rl.per_identity = per_identity.map(nz);
                rl.overrides = over.into_iter().collect();
            }
            svc
        })
        .boxed()
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

/// Path rewrites (full path or prefix).
pub fn path_rewrite() -> impl Strategy<Value = PathRewrite> {
    prop_oneof![
        http_path().prop_map(PathRewrite::Full),
        http_path().prop_map(PathRewrite::Prefix),
    ]
}

/// Rewrites (path and/or host).
pub fn rewrite() -> impl Strategy<Value = Rewrite> {
    (
        proptest::option::of(path_rewrite()),
        proptest::option::of(hostname()),
    )
        .prop_filter("path or host", |(p, h)| p.is_some() || h.is_some())
        .prop_map(|(path, host)| Rewrite { path, host })
}

/// Redirect schemes.
pub fn scheme() -> impl Strategy<Value = Scheme> {
    prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]
}

/// Redirect status codes (301, 302, 303, 307, 308).
pub fn redirect_status() -> impl Strategy<Value = RedirectStatus> {
    prop_oneof![
        Just(RedirectStatus::MovedPermanently),
        Just(RedirectStatus::Found),
        Just(RedirectStatus::SeeOther),
        Just(RedirectStatus::TemporaryRedirect),
        Just(RedirectStatus::PermanentRedirect),
    ]
}

/// Redirects (maybe a scheme and a host, always a full path: never a
/// redirect to itself).
pub fn redirect() -> impl Strategy<Value = Redirect> {
    (
        proptest::option::of(scheme()),
        proptest::option::of(hostname()),
        http_path().prop_map(|p| Some(PathRewrite::Full(p))),
        redirect_status(),
    )
        .prop_map(|(scheme, host, path, status)| Redirect {
            scheme,
            host,
            path,
            status,
            ..Redirect::default()
        })
}

/// Direct responses.
pub fn direct_response() -> impl Strategy<Value = DirectResponse> {
    (http_status(), proptest::option::of("[a-z ]{1,20}"))
        .prop_map(|(status, body)| DirectResponse { status, body })
}

/// Route actions: forward to the service's own versions
/// ([`forward_to_versions`]), redirect, or respond directly.
pub fn action(versions: usize) -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => forward(versions).prop_map(Action::Forward),
        1 => redirect().prop_map(Action::Redirect),
        1 => direct_response().prop_map(Action::Respond),
    ]
}

/// Routes of a service without versions: forward to the service itself,
/// redirect or respond directly, with matches and header edits.
pub fn route() -> impl Strategy<Value = Route> {
    (
        proptest::option::of(name()),
        vec(route_match(), 0..3),
        action(0),
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
        .boxed()
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

/// Listener TLS modes (terminate, mutual, passthrough).
pub fn tls_mode() -> impl Strategy<Value = TlsMode> {
    prop_oneof![
        Just(TlsMode::Terminate),
        Just(TlsMode::Mutual),
        Just(TlsMode::Passthrough),
    ]
}

/// Listener protocols (HTTP, HTTPS, TLS).
pub fn listener_protocol() -> impl Strategy<Value = ListenerProtocol> {
    prop_oneof![
        Just(ListenerProtocol::Http),
        Just(ListenerProtocol::Https),
        Just(ListenerProtocol::Tls),
    ]
}

/// TLS of an HTTPS listener: terminated (simple or mutual) with a
/// credential.
pub fn terminating_tls() -> impl Strategy<Value = ListenerTls> {
    (
        prop_oneof![Just(TlsMode::Terminate), Just(TlsMode::Mutual)],
        object_name(),
    )
        .prop_map(|(mode, credential)| ListenerTls {
            mode,
            credential: Some(credential),
        })
}

/// Listener TLS settings: [`terminating_tls`], or passthrough (no
/// credential).
pub fn listener_tls() -> impl Strategy<Value = ListenerTls> {
    prop_oneof![
        terminating_tls(),
        Just(ListenerTls {
            mode: TlsMode::Passthrough,
            credential: None,
        }),
    ]
}

/// Ingress listeners, `index` making the port distinct: plain HTTP or
/// HTTPS with [`terminating_tls`].
pub fn listener(index: u32) -> impl Strategy<Value = Listener> {
    let port =
        move |base: u32| Port::new(base + index).unwrap_or(Port::from(std::num::NonZeroU16::MIN));
    prop_oneof![
        Just(Listener {
            port: port(8080),
            protocol: ListenerProtocol::Http,
            tls: None,
            https_redirect: false,
        }),
        terminating_tls().prop_map(move |tls| Listener {
            port: port(8443),
            protocol: ListenerProtocol::Https,
            tls: Some(tls),
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
        .boxed()
}

/// Endpoint resolution of external services: DNS, static addresses
/// (documentation ranges), or passthrough.
pub fn resolution() -> impl Strategy<Value = Resolution> {
    prop_oneof![
        2 => Just(Resolution::Dns),
        1 => vec(ip_block(), 1..=2).prop_map(Resolution::Static),
        1 => Just(Resolution::Passthrough),
    ]
}

/// TLS origination modes (simple, mutual).
pub fn origination_mode() -> impl Strategy<Value = OriginationMode> {
    prop_oneof![Just(OriginationMode::Simple), Just(OriginationMode::Mutual)]
}

/// TLS origination to `sni`: simple, or mutual with a client credential.
pub fn tls_origination(sni: Option<Hostname>) -> impl Strategy<Value = TlsOrigination> {
    proptest::option::of(object_name()).prop_map(move |credential| TlsOrigination {
        mode: if credential.is_some() {
            OriginationMode::Mutual
        } else {
            OriginationMode::Simple
        },
        sni: sni.clone(),
        credential,
    })
}

/// External service ports: HTTP, HTTPS, TLS or TCP on its usual port
/// (443 for HTTPS and TLS, 80 otherwise).
pub fn external_port() -> impl Strategy<Value = ExternalPort> {
    prop_oneof![
        Just(Protocol::Http),
        Just(Protocol::Https),
        Just(Protocol::Tls),
        Just(Protocol::Tcp)
    ]
    .prop_map(|protocol| {
        let tls_port = matches!(protocol, Protocol::Https | Protocol::Tls);
        ExternalPort {
            number: Port::new(if tls_port { 443 } else { 80 })
                .unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
            protocol,
            target_port: None,
        }
    })
}

/// External services (egress), hosts made distinct by `index`: one
/// [`external_port`], a [`resolution`], and for plain HTTP maybe
/// [`tls_origination`] (the port becomes 443, where the application
/// dials).
pub fn external_service(index: usize, namespace: Name) -> impl Strategy<Value = ExternalService> {
    let host = move |p: &str| Hostname::new(format!("{p}{index}.example.org")).ok();
    (
        external_port(),
        resolution(),
        proptest::option::of(tls_origination(host("api"))),
    )
        .prop_map(move |(mut port, resolution, tls)| {
            let tls = tls.filter(|_| port.protocol == Protocol::Http);
            if tls.is_some() {
                port.number = Port::new(443).unwrap_or(port.number);
            }
            ExternalService {
                name: name_from("external", index),
                namespace: namespace.clone(),
                hosts: host("api").into_iter().collect(),
                ports: vec![port],
                resolution,
                tls,
            }
        })
        .boxed()
}

/// Outbound policies (registry only, allow any).
pub fn outbound_policy() -> impl Strategy<Value = OutboundPolicy> {
    prop_oneof![
        Just(OutboundPolicy::RegistryOnly),
        Just(OutboundPolicy::AllowAny)
    ]
}

/// Egress settings with up to `n` external services in `namespace`.
pub fn egress(n: usize, namespace: Name) -> impl Strategy<Value = Egress> {
    (
        outbound_policy(),
        (0..=n).prop_flat_map(move |k| {
            (0..k)
                .map(|i| external_service(i, namespace.clone()))
                .collect::<Vec<_>>()
        }),
    )
        .prop_map(|(policy, services)| Egress { policy, services })
}

fn jwks_uri(index: usize) -> Jwks {
    Jwks::Uri(format!(
        "https://issuer{index}.example.com/.well-known/jwks.json"
    ))
}

/// Key sets of the issuer `https://issuer<index>.example.com`: its JWKS
/// URI, or an inline set of one RSA key.
pub fn jwks(index: usize) -> impl Strategy<Value = Jwks> {
    prop_oneof![
        Just(jwks_uri(index)),
        "[A-Za-z0-9_-]{16,32}".prop_map(|n| Jwks::Inline(format!(
            r#"{{"keys":[{{"kty":"RSA","e":"AQAB","n":"{n}"}}]}}"#
        ))),
    ]
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
            jwks: jwks_uri(index),
            audiences,
            scopes,
            forward,
        })
}

// === Observability ===

/// Tracing providers (Zipkin, Jaeger, OpenTelemetry).
pub fn tracing_provider() -> impl Strategy<Value = TracingProvider> {
    prop_oneof![
        Just(TracingProvider::Zipkin),
        Just(TracingProvider::Jaeger),
        Just(TracingProvider::OpenTelemetry),
    ]
}

/// Tracing settings: a [`tracing_provider`] at a collector in the
/// `observability` namespace on the provider's usual port (9411, or 4317
/// for OpenTelemetry), a [`percent`] sampled.
pub fn tracing() -> impl Strategy<Value = Tracing> {
    (tracing_provider(), percent()).prop_map(|(provider, sampling)| {
        let port = match provider {
            TracingProvider::OpenTelemetry => 4317,
            TracingProvider::Zipkin | TracingProvider::Jaeger => 9411,
        };
        Tracing {
            provider,
            host: Hostname::trusted("collector.observability.svc.cluster.local".to_owned()),
            port: Port::new(port).unwrap_or(Port::from(std::num::NonZeroU16::MIN)),
            sampling,
        }
    })
}

/// Metric selectors (all, requests, duration, request and response
/// sizes).
pub fn metric_selector() -> impl Strategy<Value = MetricSelector> {
    prop_oneof![
        Just(MetricSelector::All),
        Just(MetricSelector::Requests),
        Just(MetricSelector::Duration),
        Just(MetricSelector::RequestSize),
        Just(MetricSelector::ResponseSize),
    ]
}

/// Attributes metric tags take their values from.
pub fn attribute() -> impl Strategy<Value = Attribute> {
    prop_oneof![
        Just(Attribute::RequestProtocol),
        Just(Attribute::RequestPath),
        Just(Attribute::RequestMethod),
        Just(Attribute::ResponseCode),
        Just(Attribute::RequestId),
        header_name().prop_map(Attribute::RequestHeader),
    ]
}

/// Metric tag changes (mesh-wide).
pub fn metric_tags() -> impl Strategy<Value = MetricTags> {
    (
        metric_selector(),
        proptest::collection::btree_map("[a-z][a-z_]{0,8}", attribute(), 0..=2),
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

/// Alert conditions (success rate, p99 latency, request rate, proxy
/// memory, config sync time).
pub fn alert_condition() -> impl Strategy<Value = AlertCondition> {
    prop_oneof![
        (1u32..=99).prop_filter_map("percent", |p| Percent::new(f64::from(p))
            .ok()
            .map(AlertCondition::SuccessRateBelow)),
        (10u32..=10_000).prop_map(|ms| AlertCondition::LatencyP99Above(Duration::from_millis(ms))),
        (1u32..=10_000).prop_map(AlertCondition::RequestRateAbove),
        memory().prop_map(AlertCondition::ProxyMemoryAbove),
        (1u32..=600).prop_map(|s| AlertCondition::ConfigSyncAbove(Duration::from_secs(s))),
    ]
}

/// Alert severities.
pub fn alert_severity() -> impl Strategy<Value = AlertSeverity> {
    prop_oneof![Just(AlertSeverity::Warning), Just(AlertSeverity::Critical)]
}

/// Golden-signal alerts.
pub fn alert() -> impl Strategy<Value = Alert> {
    (
        proptest::option::of("[A-Z][A-Za-z0-9_]{0,12}"),
        alert_condition(),
        (1u32..=3600).prop_map(Duration::from_secs),
        proptest::option::of("[A-Za-z][A-Za-z0-9 ]{0,20}"),
        alert_severity(),
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
        .boxed()
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

/// Access-log formats.
pub fn log_format() -> impl Strategy<Value = LogFormat> {
    prop_oneof![Just(LogFormat::Text), Just(LogFormat::Json)]
}

/// Access-log settings.
pub fn access_logs() -> impl Strategy<Value = AccessLogs> {
    log_format().prop_map(|format| AccessLogs { format })
}

/// Add-ons.
pub fn addon() -> impl Strategy<Value = Addon> {
    prop_oneof![
        Just(Addon::Prometheus),
        Just(Addon::Grafana),
        Just(Addon::Jaeger),
        Just(Addon::Kiali),
    ]
}

/// Observability settings: tracing, metrics, access logs, up to two
/// distinct addons.
pub fn observability() -> impl Strategy<Value = Observability> {
    (
        proptest::option::of(tracing()),
        proptest::option::of(metrics()),
        proptest::option::of(access_logs()),
        proptest::collection::btree_set(addon(), 0..=2),
    )
        .prop_map(|(tracing, metrics, access_logs, addons)| Observability {
            tracing,
            metrics,
            access_logs,
            addons: addons.into_iter().collect(),
        })
        .boxed()
}

// === Installation ===

/// Resource lists (CPU and/or memory).
pub fn resource_list() -> impl Strategy<Value = ResourceList> {
    (proptest::option::of(cpu()), proptest::option::of(memory()))
        .prop_map(|(cpu, memory)| ResourceList { cpu, memory })
}

/// Resource requests and limits.
pub fn resources() -> impl Strategy<Value = Resources> {
    (
        proptest::option::of(resource_list()),
        proptest::option::of(resource_list()),
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

/// Kubernetes Service types of gateways.
pub fn service_type() -> impl Strategy<Value = ServiceType> {
    prop_oneof![
        Just(ServiceType::LoadBalancer),
        Just(ServiceType::NodePort),
        Just(ServiceType::ClusterIP),
    ]
}

/// Gateway deployments.
pub fn gateway_deployment() -> impl Strategy<Value = GatewayDeployment> {
    (service_type(), component()).prop_map(|(service_type, component)| GatewayDeployment {
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

/// Data planes (sidecar, ambient).
pub fn data_plane() -> impl Strategy<Value = DataPlane> {
    prop_oneof![Just(DataPlane::Sidecar), Just(DataPlane::Ambient)]
}

/// Installation profiles.
pub fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![
        Just(Profile::Production),
        Just(Profile::Demo),
        Just(Profile::Minimal)
    ]
}

/// Per-pod proxy settings (resources, hold the application until the
/// proxy starts).
pub fn proxy_settings() -> impl Strategy<Value = ProxySettings> {
    (proptest::option::of(resources()), any::<bool>()).prop_map(|(resources, hold)| ProxySettings {
        resources,
        hold_application_until_proxy_starts: hold,
    })
}

/// [`installation`], with the ambient data plane only when `ambient`.
pub fn installation_with(ambient: bool) -> impl Strategy<Value = Installation> {
    let data_plane = if ambient {
        data_plane().boxed()
    } else {
        Just(DataPlane::Sidecar).boxed()
    };
    (
        profile(),
        proptest::option::of(name()),
        any::<bool>(),
        component(),
        proxy_settings(),
        certificate_authority(),
        (
            proptest::option::of(gateway_deployment()),
            proptest::option::of(gateway_deployment()),
        ),
        data_plane,
    )
        .prop_map(
            |(profile, revision, ha, mut control_plane, proxy, ca, (ig, eg), data_plane)| {
                if ha {
                    control_plane.replicas = control_plane.replicas.map(|r| r.max(2));
                }
                Installation {
                    profile,
                    revision,
                    high_availability: ha,
                    control_plane,
                    proxy,
                    certificate_authority: ca,
                    ingress_gateway: ig,
                    egress_gateway: eg,
                    data_plane,
                }
            },
        )
        .boxed()
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
/// services, JWT providers, extra namespaces and a trust domain,
/// observability and installation settings.
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
        // So does a trust domain other than `cluster.local`, now and then.
        let trust_domain = if size.installation {
            prop_oneof![3 => Just(TrustDomain::default()), 1 => trust_domain()].boxed()
        } else {
            Just(TrustDomain::default()).boxed()
        };
        (
            Just(m),
            ingresses,
            egress,
            jwt,
            (namespaces, trust_domain),
            observability,
            installation,
        )
            .prop_map(
                |(
                    mut m,
                    ingress,
                    egress,
                    jwt,
                    (namespaces, trust_domain),
                    observability,
                    installation,
                )| {
                    m.trust_domain = trust_domain;
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

/// `when` conditions of authorization rules (on request headers or JWT
/// claims).
pub fn condition() -> impl Strategy<Value = Condition> {
    prop_oneof![
        (header_name(), vec("[a-z0-9]{1,8}", 1..=2))
            .prop_map(|(name, values)| Condition::Header { name, values }),
        ("[a-z]{1,8}", vec("[a-z0-9]{1,8}", 1..=2))
            .prop_map(|(claim, values)| Condition::JwtClaim { claim, values }),
    ]
}

/// mTLS modes that keep mTLS on (strict, permissive).
pub fn mtls_enabled_mode() -> impl Strategy<Value = MtlsMode> {
    prop_oneof![Just(MtlsMode::Strict), Just(MtlsMode::Permissive)]
}

/// mTLS modes (strict, permissive, disabled).
pub fn mtls_mode() -> impl Strategy<Value = MtlsMode> {
    prop_oneof![2 => mtls_enabled_mode(), 1 => Just(MtlsMode::Disabled)]
}

/// Policy scopes: the mesh, a namespace, a service or labelled workloads.
pub fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![
        Just(Scope::Mesh),
        name().prop_map(Scope::Namespace),
        service_ref().prop_map(Scope::Service),
        workload_selector().prop_map(Scope::Workload),
    ]
}

/// Authorization sources: identities, namespaces, IP blocks, JWT
/// principals, any authenticated client, anyone.
pub fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        identity().prop_map(Source::Identity),
        name().prop_map(Source::Namespace),
        ip_block().prop_map(Source::IpBlock),
        (
            "https://[a-z]{1,8}\\.example\\.com",
            proptest::option::of("[a-z0-9]{1,8}")
        )
            .prop_map(|(issuer, subject)| Source::JwtPrincipal { issuer, subject }),
        Just(Source::Authenticated),
        Just(Source::Any),
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
