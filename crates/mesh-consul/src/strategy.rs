//! proptest strategies (feature `proptest`) for every typed Consul
//! config-entry kind: the service chain ([`ServiceDefaults`],
//! [`ServiceRouter`], [`ServiceSplitter`], [`ServiceResolver`]),
//! [`ServiceIntentions`], [`ProxyDefaults`], [`Mesh`], the gateways
//! ([`IngressGateway`], [`TerminatingGateway`], [`GatewayClassConfig`],
//! [`GatewayPolicy`]), peering and partitions ([`ExportedServices`],
//! [`SamenessGroup`], [`PeeringAcceptor`], [`PeeringDialer`],
//! [`MeshService`]), [`JwtProvider`], rate limits ([`RateLimit`],
//! [`ControlPlaneRequestLimit`]), [`Registration`] and the API-gateway route
//! filters ([`RouteAuthFilter`], [`RouteExtProc`], [`RouteRetryFilter`],
//! [`RouteTimeoutFilter`], [`RouteTlsSdsFilter`]).
//!
//! Built from `mesh_k8s::strategy`'s leaves, one strategy per concept type
//! ([`path_match`], [`header_modifiers`], [`jwt_requirement`],
//! [`upstream_config`]...). Every generated object passes the upstream
//! CRD's schema and the one-of rules the typed structs enforce, and shrinks
//! to objects that still do.
//!
//! ```
//! use mesh_consul::strategy::service_router;
//! use mesh_k8s::strategy::{CrdSize, round_trip, sample};
//!
//! for r in sample(&service_router(CrdSize::default()), 5, 7) {
//!     round_trip(&r).unwrap();
//! }
//! ```

use std::num::{NonZeroU16, NonZeroU32};

use mesh_k8s::strategy::{
    CrdSize, dns_label, go_duration, header_name, header_value, hostname, http_path, labels,
    object, port, regex,
};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::option::of;
use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::crds::*;

// === Shared ===

/// Path matches: exact, prefix or regex.
pub fn path_match() -> BoxedStrategy<PathMatch> {
    prop_oneof![
        http_path().prop_map(PathMatch::Exact),
        http_path().prop_map(PathMatch::Prefix),
        regex().prop_map(PathMatch::Regex),
    ]
    .boxed()
}

/// Header conditions; `contains` only where `with_contains` (service
/// intentions have it, service routers do not).
pub fn header_condition(with_contains: bool) -> BoxedStrategy<HeaderCondition> {
    let base = prop_oneof![
        Just(HeaderCondition::Present),
        header_value().prop_map(HeaderCondition::Exact),
        "[a-z0-9]{1,8}".prop_map(HeaderCondition::Prefix),
        "[a-z0-9]{1,8}".prop_map(HeaderCondition::Suffix),
        regex().prop_map(HeaderCondition::Regex),
    ];
    if with_contains {
        prop_oneof![4 => base, 1 => "[a-z0-9]{1,8}".prop_map(HeaderCondition::Contains)].boxed()
    } else {
        base.boxed()
    }
}

/// Header modifiers (add, set, remove).
pub fn header_modifiers(size: CrdSize) -> BoxedStrategy<HeaderModifiers> {
    (
        btree_map(header_name(), header_value(), size.map()),
        btree_map(header_name(), header_value(), size.map()),
        btree_set(header_name(), size.map()),
    )
        .prop_map(|(add, set, remove)| HeaderModifiers {
            add,
            set,
            remove: remove.into_iter().collect(),
        })
        .boxed()
}

fn http_methods() -> impl Strategy<Value = Vec<HttpMethod>> {
    proptest::sample::subsequence(
        vec![
            HttpMethod::Get,
            HttpMethod::Head,
            HttpMethod::Post,
            HttpMethod::Put,
            HttpMethod::Patch,
            HttpMethod::Delete,
            HttpMethod::Options,
        ],
        0..=3,
    )
}

fn retry_on() -> impl Strategy<Value = Vec<RetryOn>> {
    proptest::sample::subsequence(
        vec![
            RetryOn::FiveXx,
            RetryOn::GatewayError,
            RetryOn::Reset,
            RetryOn::ConnectFailure,
            RetryOn::RefusedStream,
            RetryOn::Cancelled,
            RetryOn::Unavailable,
        ],
        0..=3,
    )
}

fn status_codes() -> impl Strategy<Value = Vec<u16>> {
    btree_set(500u16..=504, 0..=2).prop_map(|s| s.into_iter().collect())
}

fn protocol() -> impl Strategy<Value = Protocol> {
    prop_oneof![
        Just(Protocol::Tcp),
        Just(Protocol::Http),
        Just(Protocol::Http2),
        Just(Protocol::Grpc),
    ]
}

fn mesh_gateway() -> impl Strategy<Value = MeshGateway> {
    of(prop_oneof![
        Just(MeshGatewayMode::Default),
        Just(MeshGatewayMode::None),
        Just(MeshGatewayMode::Local),
        Just(MeshGatewayMode::Remote),
    ])
    .prop_map(|mode| MeshGateway { mode })
}

fn proxy_mode() -> impl Strategy<Value = ProxyMode> {
    prop_oneof![
        Just(ProxyMode::Default),
        Just(ProxyMode::Direct),
        Just(ProxyMode::Transparent),
    ]
}

fn mtls_mode() -> impl Strategy<Value = MutualTlsMode> {
    prop_oneof![
        Just(MutualTlsMode::Default),
        Just(MutualTlsMode::Strict),
        Just(MutualTlsMode::Permissive),
    ]
}

fn transparent_proxy() -> impl Strategy<Value = TransparentProxy> {
    (of(1024u16..=65_535), of(any::<bool>())).prop_map(|(port, direct)| TransparentProxy {
        outbound_listener_port: port,
        dialed_directly: direct,
    })
}

fn expose(size: CrdSize) -> impl Strategy<Value = Expose> {
    let path = (
        of(port().prop_map(NonZeroU16::get)),
        of(http_path()),
        of(port().prop_map(NonZeroU16::get)),
        of(prop_oneof![
            Just(ExposeProtocol::Http),
            Just(ExposeProtocol::Http2)
        ]),
    )
        .prop_map(
            |(listener_port, path, local_path_port, protocol)| ExposePath {
                listener_port,
                path,
                local_path_port,
                protocol,
            },
        );
    (of(any::<bool>()), vec(path, size.list())).prop_map(|(checks, paths)| Expose { checks, paths })
}

/// Passive health checks (outlier detection).
pub fn passive_health_check() -> BoxedStrategy<PassiveHealthCheck> {
    (
        of(go_duration()),
        of(1u32..=20),
        of(0u32..=100),
        of(0u32..=100),
        of(go_duration()),
    )
        .prop_map(
            |(interval, max_failures, enforcing, max_ejection, base)| PassiveHealthCheck {
                interval,
                max_failures,
                enforcing_consecutive_5xx: enforcing,
                max_ejection_percent: max_ejection,
                base_ejection_time: base,
            },
        )
        .boxed()
}

/// Upstream settings (limits, passive health checks, protocol).
pub fn upstream_config() -> BoxedStrategy<UpstreamConfig> {
    let limits = (of(1u32..=10_000), of(1u32..=10_000), of(1u32..=10_000)).prop_map(
        |(max_connections, max_pending_requests, max_concurrent_requests)| UpstreamLimits {
            max_connections,
            max_pending_requests,
            max_concurrent_requests,
        },
    );
    (
        of(dns_label()),
        of(dns_label()),
        of(protocol()),
        of(1u32..=60_000),
        of(limits),
        of(passive_health_check()),
        of(mesh_gateway()),
    )
        .prop_map(
            |(name, namespace, protocol, connect_timeout_ms, limits, passive, mesh_gateway)| {
                UpstreamConfig {
                    name,
                    namespace,
                    protocol,
                    connect_timeout_ms,
                    limits,
                    passive_health_check: passive,
                    mesh_gateway,
                    ..UpstreamConfig::default()
                }
            },
        )
        .boxed()
}

/// JWT requirements (providers with claim checks).
pub fn jwt_requirement(size: CrdSize) -> BoxedStrategy<JwtRequirement> {
    let claim = (vec("[a-z]{1,6}", 1..=2), "[a-z0-9]{1,8}")
        .prop_map(|(path, value)| JwtClaim { path, value });
    let provider =
        (dns_label(), vec(claim, 0..=2)).prop_map(|(name, verify_claims)| JwtProviderRef {
            name,
            verify_claims,
        });
    vec(provider, size.list1())
        .prop_map(|providers| JwtRequirement { providers })
        .boxed()
}

fn envoy_extensions(size: CrdSize) -> impl Strategy<Value = Vec<EnvoyExtension>> {
    vec(
        (
            prop_oneof![
                Just("builtin/lua"),
                Just("builtin/aws/lambda"),
                Just("builtin/ext-authz")
            ],
            of(any::<bool>()),
            of(json_map(size)),
        )
            .prop_map(|(name, required, arguments)| EnvoyExtension {
                name: Some(name.to_owned()),
                required,
                arguments,
            }),
        0..=1,
    )
}

fn json_map(size: CrdSize) -> impl Strategy<Value = Map<String, Value>> {
    btree_map(
        "[A-Za-z][A-Za-z0-9_]{0,8}",
        prop_oneof![
            "[a-z0-9]{0,8}".prop_map(Value::from),
            (0u32..=1000).prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
        ],
        size.map(),
    )
    .prop_map(|m| m.into_iter().collect())
}

fn sds() -> impl Strategy<Value = Sds> {
    (of(dns_label()), of(dns_label())).prop_map(|(cluster_name, cert_resource)| Sds {
        cluster_name,
        cert_resource,
    })
}

fn tls_version() -> impl Strategy<Value = TlsVersion> {
    prop_oneof![
        Just(TlsVersion::Auto),
        Just(TlsVersion::V1_0),
        Just(TlsVersion::V1_1),
        Just(TlsVersion::V1_2),
    ]
}

fn peer() -> impl Strategy<Value = Peer> {
    of((
        of(dns_label()),
        of(dns_label()),
        of(Just(SecretBackend::Kubernetes)),
    ))
    .prop_map(|s| Peer {
        secret: s.map(|(name, key, backend)| PeeringSecret { name, key, backend }),
    })
}

// === Service chain ===

/// ServiceDefaults specs.
pub fn service_defaults_spec(size: CrdSize) -> BoxedStrategy<ServiceDefaultsSpec> {
    let upstreams = (of(upstream_config()), vec(upstream_config(), size.list())).prop_map(
        |(defaults, overrides)| Upstreams {
            defaults,
            overrides: overrides.into_iter().filter(|o| o.name.is_some()).collect(),
        },
    );
    let rate_limits = (
        of(1u32..=10_000),
        of(1u32..=10_000),
        vec(
            (path_match(), of(1u32..=1000), of(1u32..=1000)).prop_map(|(path, rps, burst)| {
                RouteRateLimit {
                    path,
                    requests_per_second: rps,
                    requests_max_burst: burst,
                }
            }),
            size.list(),
        ),
    )
        .prop_map(|(rps, burst, routes)| RateLimits {
            instance_level: Some(InstanceLevelRateLimits {
                requests_per_second: rps,
                requests_max_burst: burst,
                routes,
            }),
        });
    (
        (
            of(protocol()),
            of(proxy_mode()),
            of(transparent_proxy()),
            of(mtls_mode()),
        ),
        (of(mesh_gateway()), of(expose(size)), of(hostname())),
        of(upstreams),
        of((btree_set(hostname(), size.list1()), port())),
        (of(1u32..=10_000), of(1u32..=60_000), of(1u32..=60_000)),
        of(Just(BalanceInboundConnections::ExactBalance)),
        of(rate_limits),
        envoy_extensions(size),
    )
        .prop_map(
            |(
                (protocol, mode, transparent_proxy, mutual_tls_mode),
                (mesh_gateway, expose, external_sni),
                upstream_config,
                destination,
                (max_inbound, connect_ms, request_ms),
                balance,
                rate_limits,
                envoy_extensions,
            )| ServiceDefaultsSpec {
                protocol,
                mode,
                transparent_proxy,
                mutual_tls_mode,
                mesh_gateway,
                expose,
                external_sni,
                upstream_config,
                destination: destination.map(|(addresses, port)| Destination {
                    addresses: addresses.into_iter().collect(),
                    port,
                }),
                max_inbound_connections: max_inbound,
                local_connect_timeout_ms: connect_ms,
                local_request_timeout_ms: request_ms,
                balance_inbound_connections: balance,
                rate_limits,
                envoy_extensions,
            },
        )
        .boxed()
}

/// ServiceDefaults objects.
pub fn service_defaults(size: CrdSize) -> BoxedStrategy<ServiceDefaults> {
    object(service_defaults_spec(size), size).boxed()
}

fn route_destination(size: CrdSize) -> impl Strategy<Value = RouteDestination> {
    (
        (of(dns_label()), of(dns_label()), of(dns_label())),
        of(http_path()),
        (of(go_duration()), of(go_duration())),
        (of(0u32..=5), of(any::<bool>()), status_codes(), retry_on()),
        (of(header_modifiers(size)), of(header_modifiers(size))),
    )
        .prop_map(
            |(
                (service, service_subset, namespace),
                prefix_rewrite,
                (request_timeout, idle_timeout),
                (num_retries, connect_failure, codes, on),
                (request_headers, response_headers),
            )| RouteDestination {
                service,
                service_subset,
                namespace,
                prefix_rewrite,
                request_timeout,
                idle_timeout,
                num_retries,
                retry_on_connect_failure: connect_failure,
                retry_on_status_codes: codes,
                retry_on: on,
                request_headers,
                response_headers,
                ..RouteDestination::default()
            },
        )
}

fn route_http_match(size: CrdSize) -> impl Strategy<Value = RouteHttpMatch> {
    let header = (header_name(), header_condition(false), of(any::<bool>())).prop_map(
        |(name, condition, invert)| RouteHeaderMatch {
            name,
            condition,
            invert,
        },
    );
    let query = (
        "[a-z][a-z0-9]{0,6}",
        prop_oneof![
            Just(QueryCondition::Present),
            "[a-z0-9]{1,8}".prop_map(QueryCondition::Exact),
            regex().prop_map(QueryCondition::Regex),
        ],
    )
        .prop_map(|(name, condition)| QueryParamMatch { name, condition });
    (
        of(path_match()),
        of(any::<bool>()),
        vec(header, size.map()),
        vec(query, size.map()),
        http_methods(),
    )
        .prop_map(
            |(path, case_insensitive, header, query_param, methods)| RouteHttpMatch {
                path,
                case_insensitive,
                header,
                query_param,
                methods,
            },
        )
}

/// ServiceRouter specs (ordered routes, first match wins).
pub fn service_router_spec(size: CrdSize) -> BoxedStrategy<ServiceRouterSpec> {
    let route = (of(route_http_match(size)), of(route_destination(size))).prop_map(
        |(http, destination)| Route {
            match_: http.map(|http| RouteMatch { http: Some(http) }),
            destination,
        },
    );
    vec(route, size.list())
        .prop_map(|routes| ServiceRouterSpec { routes })
        .boxed()
}

/// ServiceRouter objects.
pub fn service_router(size: CrdSize) -> BoxedStrategy<ServiceRouter> {
    object(service_router_spec(size), size).boxed()
}

/// ServiceSplitter specs: weights in 0.01 steps summing to exactly 100.
pub fn service_splitter_spec(size: CrdSize) -> BoxedStrategy<ServiceSplitterSpec> {
    let split = (
        of(dns_label()),
        of(dns_label()),
        of(dns_label()),
        of(header_modifiers(size)),
    );
    (vec((split, 1u32..=100), size.list1()))
        .prop_map(|splits| {
            // Hundredths proportional to the drawn shares; the last takes
            // the rest, so the sum is exactly 100.00.
            let total: u32 = splits.iter().map(|(_, w)| *w).sum();
            let n = splits.len();
            let mut given = 0u32;
            let splits = splits
                .into_iter()
                .enumerate()
                .map(
                    |(i, ((service, service_subset, namespace, request_headers), w))| {
                        let hundredths = if i + 1 == n {
                            10_000 - given
                        } else {
                            w * 10_000 / total.max(1)
                        };
                        given += hundredths;
                        Split {
                            weight: f64::from(hundredths) / 100.0,
                            service,
                            service_subset,
                            namespace,
                            request_headers,
                            ..Split::default()
                        }
                    },
                )
                .collect();
            ServiceSplitterSpec { splits }
        })
        .boxed()
}

/// ServiceSplitter objects.
pub fn service_splitter(size: CrdSize) -> BoxedStrategy<ServiceSplitter> {
    object(service_splitter_spec(size), size).boxed()
}

fn load_balancer(size: CrdSize) -> impl Strategy<Value = LoadBalancer> {
    let hash_policy = (
        prop_oneof![
            header_name().prop_map(HashOn::Header),
            "[a-z]{1,8}".prop_map(HashOn::QueryParameter),
            Just(HashOn::SourceIp),
            (
                "[a-z]{1,8}",
                of((of(any::<bool>()), of(go_duration()), of(http_path())))
            )
                .prop_map(|(name, config)| HashOn::Cookie {
                    name,
                    config: config.map(|(session, ttl, path)| CookieConfig {
                        session,
                        ttl: ttl.filter(|_| session != Some(true)),
                        path,
                    }),
                }),
        ],
        of(any::<bool>()),
    )
        .prop_map(|(on, terminal)| HashPolicy { on, terminal });
    prop_oneof![
        Just(LoadBalancer {
            policy: Some(LoadBalancerPolicy::RoundRobin),
            ..LoadBalancer::default()
        }),
        Just(LoadBalancer {
            policy: Some(LoadBalancerPolicy::Random),
            ..LoadBalancer::default()
        }),
        of(2u32..=10).prop_map(|c| LoadBalancer {
            policy: Some(LoadBalancerPolicy::LeastRequest),
            least_request_config: c.map(|choice_count| LeastRequestConfig {
                choice_count: Some(choice_count)
            }),
            ..LoadBalancer::default()
        }),
        (
            prop_oneof![
                Just(LoadBalancerPolicy::RingHash),
                Just(LoadBalancerPolicy::Maglev)
            ],
            vec(hash_policy, size.list1()),
        )
            .prop_map(|(policy, hash_policies)| LoadBalancer {
                policy: Some(policy),
                hash_policies,
                ..LoadBalancer::default()
            }),
    ]
}

/// ServiceResolver specs: subsets by filter, a default subset, failover or
/// a redirect, timeouts and load balancing.
pub fn service_resolver_spec(size: CrdSize) -> BoxedStrategy<ServiceResolverSpec> {
    let subsets = btree_map(
        dns_label(),
        (dns_label(), of(any::<bool>())).prop_map(|(v, only_passing)| Subset {
            filter: Some(format!("Service.Meta.version == {v}")),
            only_passing,
        }),
        size.list(),
    );
    let failover = (
        of(dns_label()),
        vec(dns_label(), 0..=2),
        vec(
            (of(dns_label()), of(dns_label())).prop_map(|(service, peer)| FailoverTarget {
                service,
                peer,
                ..FailoverTarget::default()
            }),
            0..=2,
        ),
    )
        .prop_map(|(service, datacenters, targets)| Failover {
            service,
            datacenters,
            targets,
            ..Failover::default()
        });
    let redirect = (dns_label(), of(dns_label()), of(dns_label())).prop_map(
        |(service, namespace, datacenter)| Redirect {
            service: Some(service),
            namespace,
            datacenter,
            ..Redirect::default()
        },
    );
    (
        subsets,
        any::<bool>(),
        prop_oneof![
            3 => btree_map(prop_oneof![Just("*".to_owned()), dns_label()], failover, 0..=2)
                .prop_map(Ok),
            1 => redirect.prop_map(Err),
        ],
        of(go_duration()),
        of(go_duration()),
        of(load_balancer(size)),
    )
        .prop_map(
            |(subsets, with_default, route, connect_timeout, request_timeout, load_balancer)| {
                let default_subset = subsets.keys().next().filter(|_| with_default).cloned();
                let (failover, redirect) = match route {
                    Ok(failover) => (failover, None),
                    Err(redirect) => (Default::default(), Some(redirect)),
                };
                ServiceResolverSpec {
                    default_subset,
                    subsets,
                    redirect,
                    failover,
                    connect_timeout,
                    request_timeout,
                    load_balancer,
                    ..ServiceResolverSpec::default()
                }
            },
        )
        .boxed()
}

/// ServiceResolver objects.
pub fn service_resolver(size: CrdSize) -> BoxedStrategy<ServiceResolver> {
    object(service_resolver_spec(size), size).boxed()
}

// === Intentions ===

fn intention_action() -> impl Strategy<Value = IntentionAction> {
    prop_oneof![Just(IntentionAction::Allow), Just(IntentionAction::Deny)]
}

/// ServiceIntentions specs: sources with an action or L7 permissions.
pub fn service_intentions_spec(size: CrdSize) -> BoxedStrategy<ServiceIntentionsSpec> {
    let header = (
        header_name(),
        header_condition(true),
        of(any::<bool>()),
        of(any::<bool>()),
    )
        .prop_map(
            |(name, condition, invert, ignore_case)| IntentionHeaderMatch {
                name,
                condition,
                invert,
                ignore_case,
            },
        );
    let permission = (
        intention_action(),
        of((of(path_match()), vec(header, size.map()), http_methods())),
        of(jwt_requirement(size)),
    )
        .prop_map(|(action, http, jwt)| IntentionPermission {
            action,
            http: http.map(|(path, header, methods)| IntentionHttpMatch {
                path,
                header,
                methods,
            }),
            jwt,
        });
    let source = (
        prop_oneof![Just("*".to_owned()), dns_label()],
        of(dns_label()),
        of("[A-Za-z][A-Za-z0-9 ]{0,20}"),
        prop_oneof![
            intention_action().prop_map(SourceRule::Action),
            vec(permission, size.list1()).prop_map(SourceRule::Permissions),
        ],
    )
        .prop_map(|(name, namespace, description, rule)| IntentionSource {
            name,
            namespace,
            partition: None,
            peer: None,
            sameness_group: None,
            description,
            rule,
        });
    (
        (dns_label(), of(dns_label())),
        btree_map((dns_label(), of(dns_label())), source, size.list()),
        of(jwt_requirement(size)),
    )
        .prop_map(|((name, namespace), sources, jwt)| ServiceIntentionsSpec {
            destination: Some(IntentionDestination {
                name: Some(name),
                namespace,
            }),
            // One source per name and namespace.
            sources: sources
                .into_iter()
                .map(|((name, namespace), s)| IntentionSource {
                    name,
                    namespace,
                    ..s
                })
                .collect(),
            jwt,
        })
        .boxed()
}

/// ServiceIntentions objects.
pub fn service_intentions(size: CrdSize) -> BoxedStrategy<ServiceIntentions> {
    object(service_intentions_spec(size), size).boxed()
}

// === Proxy defaults, mesh ===

/// ProxyDefaults specs.
pub fn proxy_defaults_spec(size: CrdSize) -> BoxedStrategy<ProxyDefaultsSpec> {
    let access_logs = (
        of(any::<bool>()),
        of(any::<bool>()),
        of(prop_oneof![
            Just((LogSinkType::Stdout, None)),
            Just((LogSinkType::Stderr, None)),
            Just((LogSinkType::File, Some("/var/log/envoy.log".to_owned()))),
        ]),
        of(prop_oneof![
            Just(AccessLogFormat::Text(
                "[%START_TIME%] %REQ(:METHOD)%\n".to_owned()
            )),
            Just(AccessLogFormat::Json(
                "{\"method\":\"%REQ(:METHOD)%\"}".to_owned()
            )),
        ]),
    )
        .prop_map(|(enabled, disable_listener_logs, sink, format)| {
            let (type_, path) = match sink {
                Some((t, p)) => (Some(t), p),
                None => (None, None),
            };
            AccessLogs {
                enabled,
                disable_listener_logs,
                type_,
                path,
                format,
            }
        });
    (
        of(json_map(size)),
        (of(proxy_mode()), of(transparent_proxy()), of(mtls_mode())),
        (of(mesh_gateway()), of(expose(size))),
        of(access_logs),
        envoy_extensions(size),
    )
        .prop_map(
            |(
                config,
                (mode, transparent_proxy, mutual_tls_mode),
                (mesh_gateway, expose),
                access_logs,
                envoy_extensions,
            )| {
                ProxyDefaultsSpec {
                    config,
                    mode,
                    transparent_proxy,
                    mutual_tls_mode,
                    mesh_gateway,
                    expose,
                    access_logs,
                    envoy_extensions,
                    ..ProxyDefaultsSpec::default()
                }
            },
        )
        .boxed()
}

/// ProxyDefaults objects.
pub fn proxy_defaults(size: CrdSize) -> BoxedStrategy<ProxyDefaults> {
    object(proxy_defaults_spec(size), size).boxed()
}

/// Mesh specs.
pub fn mesh_spec() -> BoxedStrategy<MeshSpec> {
    let tls = (of(tls_version()), of(tls_version()))
        .prop_map(|(min, max)| TlsParams {
            tls_min_version: min,
            tls_max_version: max,
            ..TlsParams::default()
        })
        .boxed();
    (
        of(any::<bool>()),
        of(any::<bool>()),
        of(any::<bool>()),
        of((of(tls.clone()), of(tls))),
        of(any::<bool>()),
        of(any::<bool>()),
    )
        .prop_map(
            |(dest_only, permissive, validate, tls, sanitize, peer_through)| MeshSpec {
                transparent_proxy: dest_only.map(|d| MeshTransparentProxy {
                    mesh_destinations_only: Some(d),
                }),
                allow_enabling_permissive_mutual_tls: permissive,
                validate_clusters: validate,
                tls: tls.map(|(incoming, outgoing)| MeshTls { incoming, outgoing }),
                http: sanitize.map(|s| MeshHttp {
                    sanitize_x_forwarded_client_cert: Some(s),
                    incoming: None,
                }),
                peering: peer_through.map(|p| MeshPeering {
                    peer_through_mesh_gateways: Some(p),
                }),
            },
        )
        .boxed()
}

/// Mesh objects.
pub fn mesh(size: CrdSize) -> BoxedStrategy<Mesh> {
    object(mesh_spec(), size).boxed()
}

// === Gateways ===

fn gateway_tls() -> impl Strategy<Value = GatewayTls> {
    (any::<bool>(), of(tls_version()), of(sds())).prop_map(|(enabled, min, sds)| GatewayTls {
        enabled,
        tls_min_version: min,
        sds,
        ..GatewayTls::default()
    })
}

/// IngressGateway specs (listeners on distinct ports).
pub fn ingress_gateway_spec(size: CrdSize) -> BoxedStrategy<IngressGatewaySpec> {
    let service = (
        prop_oneof![Just("*".to_owned()), dns_label()],
        of(dns_label()),
        btree_set(hostname(), size.map()),
        of(header_modifiers(size)),
        of(1u32..=10_000),
    )
        .prop_map(
            |(name, namespace, hosts, request_headers, max)| IngressService {
                hosts: if name == "*" {
                    vec![]
                } else {
                    hosts.into_iter().collect()
                },
                name,
                namespace,
                request_headers,
                max_connections: max,
                ..IngressService::default()
            },
        );
    let listeners = btree_map(
        port(),
        (
            of(protocol()),
            vec(service, size.list1()),
            of(gateway_tls()),
        ),
        size.list1(),
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(port, (protocol, services, tls))| IngressListener {
                port,
                protocol,
                services,
                tls,
            })
            .collect::<Vec<_>>()
    });
    let defaults =
        (of(1u32..=10_000), of(passive_health_check())).prop_map(|(max, phc)| IngressDefaults {
            max_connections: max,
            passive_health_check: phc,
            ..IngressDefaults::default()
        });
    (of(gateway_tls()), listeners, of(defaults))
        .prop_map(|(tls, listeners, defaults)| IngressGatewaySpec {
            tls,
            listeners,
            defaults,
        })
        .boxed()
}

/// IngressGateway objects.
pub fn ingress_gateway(size: CrdSize) -> BoxedStrategy<IngressGateway> {
    object(ingress_gateway_spec(size), size).boxed()
}

/// TerminatingGateway specs.
pub fn terminating_gateway_spec(size: CrdSize) -> BoxedStrategy<TerminatingGatewaySpec> {
    let service = (
        dns_label(),
        of(dns_label()),
        of(Just("/etc/ssl/ca.pem".to_owned())),
        of(hostname()),
        of(dns_label()),
    )
        .prop_map(|(name, namespace, ca_file, sni, secret)| LinkedService {
            name,
            namespace,
            ca_file,
            sni,
            secret_ref: secret.map(|name| SecretRef { name }),
            ..LinkedService::default()
        });
    vec(service, size.list())
        .prop_map(|services| TerminatingGatewaySpec {
            services,
            deployment: None,
        })
        .boxed()
}

/// TerminatingGateway objects.
pub fn terminating_gateway(size: CrdSize) -> BoxedStrategy<TerminatingGateway> {
    object(terminating_gateway_spec(size), size).boxed()
}

/// GatewayClassConfig specs.
pub fn gateway_class_config_spec(size: CrdSize) -> BoxedStrategy<GatewayClassConfigSpec> {
    let deployment = (1u32..=3, 0u32..=3, 0u32..=5).prop_map(|(min, extra, extra_max)| {
        let nz = |n: u32| NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN);
        GatewayClassDeployment {
            min_instances: Some(nz(min)),
            default_instances: Some(nz(min + extra)),
            max_instances: Some(nz(min + extra + extra_max)),
            resources: None,
        }
    });
    (
        of(deployment),
        of(prop_oneof![
            Just(ServiceType::ClusterIP),
            Just(ServiceType::NodePort),
            Just(ServiceType::LoadBalancer),
        ]),
        of(vec(
            hostname().prop_map(|h| format!("{h}/annotation")),
            0..=2,
        )),
        of(0u32..=10_000),
        // The schema wants a metrics port of at least 1024.
        of((
            of(any::<bool>()),
            of(http_path()),
            of((1024u16..=65_535).prop_filter_map("port", NonZeroU16::new)),
        )),
        labels(size),
    )
        .prop_map(
            |(deployment, service_type, copy, map_ports, metrics, node_selector)| {
                GatewayClassConfigSpec {
                    deployment,
                    service_type,
                    copy_annotations: copy.map(|service| CopyAnnotations { service }),
                    map_privileged_container_ports: map_ports,
                    metrics: metrics.map(|(enabled, path, port)| GatewayMetrics {
                        enabled,
                        path,
                        port,
                    }),
                    node_selector,
                    ..GatewayClassConfigSpec::default()
                }
            },
        )
        .boxed()
}

/// GatewayClassConfig objects.
pub fn gateway_class_config(size: CrdSize) -> BoxedStrategy<GatewayClassConfig> {
    object(gateway_class_config_spec(size), size).boxed()
}

/// GatewayPolicy specs (JWT requirements on a Gateway listener).
pub fn gateway_policy_spec(size: CrdSize) -> BoxedStrategy<GatewayPolicySpec> {
    let config = of(jwt_requirement(size)).prop_map(|jwt| GatewayPolicyConfig { jwt });
    (
        dns_label(),
        of(dns_label()),
        of(dns_label()),
        of(config.clone()),
        of(config),
    )
        .prop_map(
            |(name, namespace, section_name, default, override_)| GatewayPolicySpec {
                target_ref: PolicyTargetReference {
                    group: "gateway.networking.k8s.io".to_owned(),
                    kind: "Gateway".to_owned(),
                    name,
                    namespace,
                    section_name,
                },
                default,
                override_,
            },
        )
        .boxed()
}

/// GatewayPolicy objects.
pub fn gateway_policy(size: CrdSize) -> BoxedStrategy<GatewayPolicy> {
    object(gateway_policy_spec(size), size).boxed()
}

// === Peering, partitions ===

/// ExportedServices specs.
pub fn exported_services_spec(size: CrdSize) -> BoxedStrategy<ExportedServicesSpec> {
    let consumer = prop_oneof![
        dns_label().prop_map(ServiceConsumer::Partition),
        dns_label().prop_map(ServiceConsumer::Peer),
        dns_label().prop_map(ServiceConsumer::SamenessGroup),
    ];
    let service = (dns_label(), of(dns_label()), vec(consumer, size.list1())).prop_map(
        |(name, namespace, consumers)| ExportedService {
            name,
            namespace,
            consumers,
        },
    );
    vec(service, size.list())
        .prop_map(|services| ExportedServicesSpec { services })
        .boxed()
}

/// ExportedServices objects.
pub fn exported_services(size: CrdSize) -> BoxedStrategy<ExportedServices> {
    object(exported_services_spec(size), size).boxed()
}

/// SamenessGroup specs.
pub fn sameness_group_spec(size: CrdSize) -> BoxedStrategy<SamenessGroupSpec> {
    (
        of(any::<bool>()),
        of(any::<bool>()),
        vec(
            prop_oneof![
                dns_label().prop_map(SamenessMember::Partition),
                dns_label().prop_map(SamenessMember::Peer),
            ],
            size.list(),
        ),
    )
        .prop_map(
            |(default_for_failover, include_local, members)| SamenessGroupSpec {
                default_for_failover,
                include_local,
                members,
            },
        )
        .boxed()
}

/// SamenessGroup objects.
pub fn sameness_group(size: CrdSize) -> BoxedStrategy<SamenessGroup> {
    object(sameness_group_spec(size), size).boxed()
}

/// PeeringAcceptor objects.
pub fn peering_acceptor(size: CrdSize) -> BoxedStrategy<PeeringAcceptor> {
    object(peer().prop_map(|peer| PeeringAcceptorSpec { peer }), size).boxed()
}

/// PeeringDialer objects.
pub fn peering_dialer(size: CrdSize) -> BoxedStrategy<PeeringDialer> {
    object(peer().prop_map(|peer| PeeringDialerSpec { peer }), size).boxed()
}

/// MeshService objects.
pub fn mesh_service(size: CrdSize) -> BoxedStrategy<MeshService> {
    object(
        (of(dns_label()), of(dns_label())).prop_map(|(name, peer)| MeshServiceSpec { name, peer }),
        size,
    )
    .boxed()
}

// === JWT, rate limits, registration ===

/// JWTProvider specs: local or remote key sets, token locations,
/// forwarding, caching.
pub fn jwt_provider_spec(size: CrdSize) -> BoxedStrategy<JwtProviderSpec> {
    let jwks = prop_oneof![
        Just(JsonWebKeySet::Local(LocalJwks::Filename(
            "/etc/jwks/keys.json".to_owned()
        ))),
        (
            hostname(),
            of(1u32..=10_000),
            of(go_duration()),
            of(any::<bool>())
        )
            .prop_map(
                |(h, timeout, cache, fetch)| JsonWebKeySet::Remote(RemoteJwks {
                    uri: format!("https://{h}/.well-known/jwks.json"),
                    request_timeout_ms: timeout,
                    cache_duration: cache,
                    fetch_asynchronously: fetch,
                    ..RemoteJwks::default()
                })
            ),
    ];
    let location = prop_oneof![
        (
            header_name(),
            of(Just("Bearer ".to_owned())),
            of(any::<bool>())
        )
            .prop_map(
                |(name, value_prefix, forward)| JwtLocation::Header(JwtHeader {
                    name,
                    value_prefix,
                    forward
                })
            ),
        "[a-z_]{1,8}".prop_map(|name| JwtLocation::QueryParam(NamedLocation { name })),
        "[a-z_]{1,8}".prop_map(|name| JwtLocation::Cookie(NamedLocation { name })),
    ];
    (
        of(jwks),
        of(hostname().prop_map(|h| format!("https://{h}"))),
        vec("[a-z0-9-]{1,10}", size.list()),
        vec(location, size.list()),
        of(header_name()),
        of(0u32..=300),
        of(1u32..=1000),
    )
        .prop_map(
            |(jwks, issuer, audiences, locations, forward_header, skew, cache)| JwtProviderSpec {
                json_web_key_set: jwks,
                issuer,
                audiences,
                locations,
                forwarding: forward_header.map(|h| JwtForwarding {
                    header_name: Some(h),
                    pad_forward_payload_header: None,
                }),
                clock_skew_seconds: skew,
                cache_config: cache.map(|size| JwtCacheConfig { size: Some(size) }),
            },
        )
        .boxed()
}

/// JWTProvider objects.
pub fn jwt_provider(size: CrdSize) -> BoxedStrategy<JwtProvider> {
    object(jwt_provider_spec(size), size).boxed()
}

fn rate() -> impl Strategy<Value = f64> {
    (0u32..=100_000).prop_map(|r| f64::from(r) / 10.0)
}

/// ControlPlaneRequestLimit specs.
pub fn control_plane_request_limit_spec() -> BoxedStrategy<ControlPlaneRequestLimitSpec> {
    let rates = (of(rate()), of(rate()))
        .prop_map(|(read_rate, write_rate)| RequestRates {
            read_rate,
            write_rate,
        })
        .boxed();
    (
        of(prop_oneof![
            Just(RequestLimitMode::Disabled),
            Just(RequestLimitMode::Permissive),
            Just(RequestLimitMode::Enforcing),
        ]),
        of(rate()),
        of(rate()),
        of(rates.clone()),
        of(rates.clone()),
        of(rates),
    )
        .prop_map(
            |(mode, read_rate, write_rate, acl, catalog, kv)| ControlPlaneRequestLimitSpec {
                mode,
                read_rate,
                write_rate,
                acl,
                catalog,
                kv,
                ..ControlPlaneRequestLimitSpec::default()
            },
        )
        .boxed()
}

/// ControlPlaneRequestLimit objects.
pub fn control_plane_request_limit(size: CrdSize) -> BoxedStrategy<ControlPlaneRequestLimit> {
    object(control_plane_request_limit_spec(), size).boxed()
}

/// RateLimit (global, server-side) specs.
pub fn rate_limit_spec() -> BoxedStrategy<RateLimitSpec> {
    (
        of(rate()),
        of(rate()),
        of(any::<bool>()),
        vec(
            prop_oneof![
                Just("Catalog.Register"),
                Just("KVS.Apply"),
                Just("Health.Service")
            ],
            0..=2,
        ),
    )
        .prop_map(|(read_rate, write_rate, priority, exclude)| RateLimitSpec {
            config: GlobalRateLimit {
                read_rate,
                write_rate,
                priority,
                exclude_endpoints: exclude.into_iter().map(str::to_owned).collect(),
            },
        })
        .boxed()
}

/// RateLimit objects.
pub fn rate_limit(size: CrdSize) -> BoxedStrategy<RateLimit> {
    object(rate_limit_spec(), size).boxed()
}

/// Registration specs: an external node with a service and maybe a check.
pub fn registration_spec(size: CrdSize) -> BoxedStrategy<RegistrationSpec> {
    let service = (
        dns_label(),
        port(),
        vec("[a-z0-9]{1,6}", size.list()),
        labels(size),
    )
        .prop_map(|(name, port, tags, meta)| RegisteredService {
            name,
            port: port.get(),
            tags,
            meta,
            ..RegisteredService::default()
        });
    (
        dns_label(),
        (1u8..=254),
        service,
        of((go_duration(), hostname(), port())),
    )
        .prop_map(|(node, ip, service, check)| {
            let check = check.map(|(interval, host, port)| HealthCheck {
                check_id: format!("{}-check", service.name),
                name: format!("{} health", service.name),
                service_id: service.name.clone(),
                service_name: service.name.clone(),
                status: HealthStatus::Passing,
                definition: HealthCheckDefinition {
                    interval_duration: interval,
                    timeout_duration: None,
                    deregister_critical_service_after_duration: None,
                    http: Some(format!("http://{host}:{port}/health")),
                    method: None,
                    body: None,
                    header: Default::default(),
                    tcp: None,
                    tcp_use_tls: None,
                    udp: None,
                    grpc: None,
                    grpc_use_tls: None,
                    os_service: None,
                    tls_server_name: None,
                    tls_skip_verify: None,
                },
                node: None,
                type_: None,
                notes: None,
                output: None,
                exposed_port: None,
                namespace: None,
                partition: None,
            });
            RegistrationSpec {
                node: Some(node),
                address: Some(format!("10.0.0.{ip}")),
                service: Some(service),
                check,
                ..RegistrationSpec::default()
            }
        })
        .boxed()
}

/// Registration objects.
pub fn registration(size: CrdSize) -> BoxedStrategy<Registration> {
    object(registration_spec(size), size).boxed()
}

// === API gateway route filters ===

/// RouteAuthFilter objects.
pub fn route_auth_filter(size: CrdSize) -> BoxedStrategy<RouteAuthFilter> {
    let spec =
        (of(jwt_requirement(size)), of(any::<bool>())).prop_map(|(jwt, ext)| RouteAuthFilterSpec {
            jwt,
            ext_authz: ext.map(|enabled| ExtAuthzOverride { enabled }),
        });
    object(spec, size).boxed()
}

/// RouteExtProc objects.
pub fn route_ext_proc(size: CrdSize) -> BoxedStrategy<RouteExtProc> {
    let send = || of(prop_oneof![Just(SendMode::Send), Just(SendMode::Skip)]);
    let direction = (
        send(),
        of(prop_oneof![
            Just(BodyMode::Skip),
            Just(BodyMode::Buffered),
            Just(BodyMode::BufferedPartial),
            Just(BodyMode::Streamed),
        ]),
        send(),
        of(0u64..=1_000_000),
    )
        .prop_map(|(headers_mode, body_mode, trailers_mode, max_body_bytes)| {
            ExtProcDirection {
                headers_mode,
                body_mode,
                trailers_mode,
                max_body_bytes,
            }
        });
    let spec = (
        prop_oneof![
            Just(ExtProcMode::Enabled),
            Just(ExtProcMode::Disabled),
            Just(ExtProcMode::Override),
        ],
        of("[a-z_]{1,10}"),
        of((of(direction.clone()), of(direction))),
    )
        .prop_map(|(mode, stat_prefix, overrides)| RouteExtProcSpec {
            mode,
            stat_prefix,
            overrides: overrides.map(|(request, response)| ExtProcOverrides {
                processing: Some(ExtProcProcessing { request, response }),
            }),
        });
    object(spec, size).boxed()
}

/// RouteRetryFilter objects.
pub fn route_retry_filter(size: CrdSize) -> BoxedStrategy<RouteRetryFilter> {
    let spec = (of(0u32..=5), retry_on(), status_codes(), of(any::<bool>())).prop_map(
        |(num_retries, retry_on, codes, connect)| RouteRetryFilterSpec {
            num_retries,
            retry_on,
            retry_on_status_codes: codes,
            retry_on_connect_failure: connect,
        },
    );
    object(spec, size).boxed()
}

/// RouteTimeoutFilter objects.
pub fn route_timeout_filter(size: CrdSize) -> BoxedStrategy<RouteTimeoutFilter> {
    let spec =
        (of(go_duration()), of(go_duration())).prop_map(|(request_timeout, idle_timeout)| {
            RouteTimeoutFilterSpec {
                request_timeout,
                idle_timeout,
            }
        });
    object(spec, size).boxed()
}

/// RouteTLSSDSFilter objects.
pub fn route_tls_sds_filter(size: CrdSize) -> BoxedStrategy<RouteTlsSdsFilter> {
    object(
        of(sds()).prop_map(|sds| RouteTlsSdsFilterSpec { sds }),
        size,
    )
    .boxed()
}
