//! proptest strategies (feature `proptest`) for every typed Linkerd kind:
//! [`Server`], [`HttpRoute`] (`policy.linkerd.io`), [`AuthorizationPolicy`],
//! [`MeshTlsAuthentication`], [`NetworkAuthentication`],
//! [`ServerAuthorization`], [`HttpLocalRateLimitPolicy`], [`EgressNetwork`],
//! [`ExternalWorkload`] (and its `v1alpha1` form), [`ServiceProfile`] and
//! SMI [`TrafficSplit`] (and its `v1alpha1` form).
//!
//! Built from `mesh_k8s::strategy`'s leaves, one strategy per concept type
//! ([`network`], [`policy_target`], [`authentication_ref`],
//! [`route_rule`]...). Every generated object passes the upstream CRD's
//! schema, at any served version the object fits (fields that only newer
//! versions have pin the object to those), and shrinks to objects that
//! still do.
//!
//! ```
//! use mesh_linkerd::strategy::server;
//! use mesh_k8s::strategy::{CrdSize, round_trip, sample};
//!
//! for s in sample(&server(CrdSize::default()), 5, 7) {
//!     round_trip(&s).unwrap();
//! }
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::num::NonZeroU16;

use mesh_k8s::strategy::{
    CrdSize, dns_label, gateway_duration, header_name, header_value, hostname, http_path,
    label_selector, object, port, port_name, regex, unique_by,
};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::option::of;
use proptest::prelude::*;

use crate::crds::*;

// === Shared ===

/// IP addresses and networks (IPv4 and IPv6).
pub fn cidr() -> BoxedStrategy<Cidr> {
    prop_oneof![
        (any::<u8>(), any::<u8>())
            .prop_map(|(a, b)| Cidr::Addr(IpAddr::V4(Ipv4Addr::new(10, a, b, 1)))),
        (any::<u8>(), 8u8..=32)
            .prop_map(|(a, len)| Cidr::Net(IpAddr::V4(Ipv4Addr::new(10, a, 0, 0)), len)),
        Just(Cidr::Net(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0)),
        (any::<u16>(), 16u8..=128).prop_map(|(a, len)| Cidr::Net(
            IpAddr::V6(Ipv6Addr::new(0xfd00, a, 0, 0, 0, 0, 0, 0)),
            len
        )),
    ]
    .boxed()
}

/// Networks (a CIDR, minus some).
pub fn network(size: CrdSize) -> BoxedStrategy<Network> {
    (cidr(), vec(cidr(), 0..=size.map_len))
        .prop_map(|(cidr, except)| Network { cidr, except })
        .boxed()
}

/// Ports by number or name.
pub fn server_port() -> BoxedStrategy<Port> {
    prop_oneof![
        port().prop_map(Port::Number),
        port_name().prop_map(Port::Name)
    ]
    .boxed()
}

/// Policy targets: a Server, an HTTPRoute (Linkerd's or Gateway API's), a
/// GRPCRoute or a Namespace.
pub fn policy_target() -> BoxedStrategy<PolicyTarget> {
    prop_oneof![
        dns_label().prop_map(PolicyTarget::Server),
        dns_label().prop_map(PolicyTarget::HttpRoute),
        dns_label().prop_map(PolicyTarget::GatewayHttpRoute),
        dns_label().prop_map(PolicyTarget::GatewayGrpcRoute),
        dns_label().prop_map(PolicyTarget::Namespace),
    ]
    .boxed()
}

/// Authentication references: MeshTLSAuthentication, NetworkAuthentication
/// or a ServiceAccount.
pub fn authentication_ref() -> BoxedStrategy<AuthenticationRef> {
    (0u8..3, dns_label(), of(dns_label()))
        .prop_map(|(k, name, namespace)| match k {
            0 => AuthenticationRef::MeshTls { name, namespace },
            1 => AuthenticationRef::Network { name, namespace },
            _ => AuthenticationRef::ServiceAccount { name, namespace },
        })
        .boxed()
}

fn identity() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("*".to_owned()),
        4 => (dns_label(), dns_label())
            .prop_map(|(sa, ns)| format!("{sa}.{ns}.serviceaccount.identity.linkerd.cluster.local")),
    ]
}

// === Server, authorization ===

/// Server specs: pods (or external workloads) on a port, with a protocol
/// hint and an access policy.
pub fn server_spec(size: CrdSize) -> BoxedStrategy<ServerSpec> {
    (
        any::<bool>(),
        label_selector(size),
        server_port(),
        of(prop_oneof![
            Just(ProxyProtocol::Unknown),
            Just(ProxyProtocol::Http1),
            Just(ProxyProtocol::Http2),
            Just(ProxyProtocol::Grpc),
            Just(ProxyProtocol::Opaque),
            Just(ProxyProtocol::Tls),
        ]),
        of(prop_oneof![
            Just(AccessPolicy::Deny),
            Just(AccessPolicy::Audit),
            Just(AccessPolicy::AllAuthenticated),
            Just(AccessPolicy::AllUnauthenticated),
            Just(AccessPolicy::ClusterAuthenticated),
            Just(AccessPolicy::ClusterUnauthenticated),
        ]),
    )
        .prop_map(
            |(external, selector, port, proxy_protocol, access_policy)| ServerSpec {
                selector: if external {
                    WorkloadSelector::ExternalWorkload(selector)
                } else {
                    WorkloadSelector::Pod(selector)
                },
                port,
                proxy_protocol,
                access_policy,
            },
        )
        .boxed()
}

/// Server objects.
pub fn server(size: CrdSize) -> BoxedStrategy<Server> {
    object(server_spec(size), size).boxed()
}

/// ServerAuthorization specs.
pub fn server_authorization_spec(size: CrdSize) -> BoxedStrategy<ServerAuthorizationSpec> {
    let auth = prop_oneof![
        Just(ClientAuthentication::Unauthenticated),
        Just(ClientAuthentication::TlsUnauthenticated),
        (
            btree_set(identity(), 0..=size.list_len),
            vec(
                (dns_label(), of(dns_label()))
                    .prop_map(|(name, namespace)| ServiceAccountRef { name, namespace }),
                0..=size.list_len,
            ),
        )
            .prop_filter("identities or service accounts", |(i, s)| !i.is_empty()
                || !s.is_empty())
            .prop_map(
                |(identities, service_accounts)| ClientAuthentication::MeshTls {
                    identities: identities.into_iter().collect(),
                    service_accounts,
                }
            ),
    ];
    (
        prop_oneof![
            dns_label().prop_map(ServerSelector::Name),
            label_selector(size).prop_map(ServerSelector::Selector),
        ],
        vec(network(size), size.list()),
        auth,
    )
        .prop_map(
            |(server, networks, authentication)| ServerAuthorizationSpec {
                server,
                client: Client {
                    networks,
                    authentication,
                },
            },
        )
        .boxed()
}

/// ServerAuthorization objects.
pub fn server_authorization(size: CrdSize) -> BoxedStrategy<ServerAuthorization> {
    object(server_authorization_spec(size), size).boxed()
}

/// AuthorizationPolicy specs.
pub fn authorization_policy_spec(size: CrdSize) -> BoxedStrategy<AuthorizationPolicySpec> {
    (policy_target(), vec(authentication_ref(), size.list()))
        .prop_map(
            |(target_ref, required_authentication_refs)| AuthorizationPolicySpec {
                target_ref,
                required_authentication_refs,
            },
        )
        .boxed()
}

/// AuthorizationPolicy objects.
pub fn authorization_policy(size: CrdSize) -> BoxedStrategy<AuthorizationPolicy> {
    object(authorization_policy_spec(size), size).boxed()
}

/// MeshTLSAuthentication specs: identities or identity references.
pub fn mesh_tls_authentication_spec(size: CrdSize) -> BoxedStrategy<MeshTlsAuthenticationSpec> {
    let identity_ref = prop_oneof![
        (dns_label(), of(dns_label())).prop_map(|(name, namespace)| IdentityRef {
            group: None,
            kind: "ServiceAccount".to_owned(),
            name: Some(name),
            namespace,
        }),
        dns_label().prop_map(|name| IdentityRef {
            group: None,
            kind: "Namespace".to_owned(),
            name: Some(name),
            namespace: None,
        }),
    ];
    prop_oneof![
        btree_set(identity(), size.list1())
            .prop_map(|i| MeshTlsAuthenticationSpec::Identities(i.into_iter().collect())),
        vec(identity_ref, size.list1()).prop_map(MeshTlsAuthenticationSpec::IdentityRefs),
    ]
    .boxed()
}

/// MeshTLSAuthentication objects.
pub fn mesh_tls_authentication(size: CrdSize) -> BoxedStrategy<MeshTlsAuthentication> {
    object(mesh_tls_authentication_spec(size), size).boxed()
}

/// NetworkAuthentication specs.
pub fn network_authentication_spec(size: CrdSize) -> BoxedStrategy<NetworkAuthenticationSpec> {
    vec(network(size), size.list1())
        .prop_map(|networks| NetworkAuthenticationSpec { networks })
        .boxed()
}

/// NetworkAuthentication objects.
pub fn network_authentication(size: CrdSize) -> BoxedStrategy<NetworkAuthentication> {
    object(network_authentication_spec(size), size).boxed()
}

/// HTTPLocalRateLimitPolicy specs (on a Server).
pub fn http_local_rate_limit_policy_spec(
    size: CrdSize,
) -> BoxedStrategy<HttpLocalRateLimitPolicySpec> {
    let overrides = vec(
        (1u32..=10_000, vec(authentication_ref(), size.list1())).prop_map(
            |(requests_per_second, client_refs)| RateLimitOverride {
                requests_per_second,
                client_refs: client_refs
                    .into_iter()
                    .filter(|r| matches!(r, AuthenticationRef::ServiceAccount { .. }))
                    .collect(),
            },
        ),
        0..=2,
    )
    .prop_map(|o| {
        o.into_iter()
            .filter(|o| !o.client_refs.is_empty())
            .collect::<Vec<_>>()
    });
    (
        dns_label(),
        of(1u32..=100_000),
        of(1u32..=10_000),
        overrides,
    )
        .prop_map(
            |(server, total, identity, overrides)| HttpLocalRateLimitPolicySpec {
                target_ref: PolicyTarget::Server(server),
                total: total.map(|requests_per_second| RateLimit {
                    requests_per_second,
                }),
                identity: identity.map(|requests_per_second| RateLimit {
                    requests_per_second,
                }),
                overrides,
            },
        )
        .boxed()
}

/// HTTPLocalRateLimitPolicy objects.
pub fn http_local_rate_limit_policy(size: CrdSize) -> BoxedStrategy<HttpLocalRateLimitPolicy> {
    object(http_local_rate_limit_policy_spec(size), size).boxed()
}

/// EgressNetwork specs.
pub fn egress_network_spec(size: CrdSize) -> BoxedStrategy<EgressNetworkSpec> {
    (
        prop_oneof![Just(TrafficPolicy::Allow), Just(TrafficPolicy::Deny)],
        vec(network(size), size.list()),
    )
        .prop_map(|(traffic_policy, networks)| EgressNetworkSpec {
            traffic_policy,
            networks,
        })
        .boxed()
}

/// EgressNetwork objects.
pub fn egress_network(size: CrdSize) -> BoxedStrategy<EgressNetwork> {
    object(egress_network_spec(size), size).boxed()
}

// === HTTPRoute ===

fn header_matches(size: CrdSize) -> impl Strategy<Value = Vec<HeaderMatch>> {
    btree_map(
        header_name(),
        (any::<bool>(), header_value(), regex()),
        size.map(),
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (is_regex, value, re))| HeaderMatch {
                type_: Some(if is_regex {
                    ValueMatchType::RegularExpression
                } else {
                    ValueMatchType::Exact
                }),
                name,
                value: if is_regex { re } else { value },
            })
            .collect()
    })
}

fn header_modifier(size: CrdSize) -> impl Strategy<Value = HeaderModifier> {
    let headers = || {
        btree_map(header_name(), header_value(), size.map()).prop_map(|m| {
            m.into_iter()
                .map(|(name, value)| Header { name, value })
                .collect::<Vec<_>>()
        })
    };
    (headers(), headers(), btree_set(header_name(), size.map())).prop_map(|(set, add, remove)| {
        HeaderModifier {
            set,
            add,
            remove: remove.into_iter().collect(),
        }
    })
}

/// HTTPRoute matches.
pub fn route_match(size: CrdSize) -> BoxedStrategy<RouteMatch> {
    let path = prop_oneof![
        http_path().prop_map(|p| (PathMatchType::Exact, p)),
        http_path().prop_map(|p| (PathMatchType::PathPrefix, p)),
        regex().prop_map(|p| (PathMatchType::RegularExpression, p)),
    ]
    .prop_map(|(t, value)| PathMatch {
        type_: Some(t),
        value: Some(value),
    });
    (
        of(path),
        header_matches(size),
        of(prop_oneof![
            Just(Method::Get),
            Just(Method::Post),
            Just(Method::Put),
            Just(Method::Delete),
            Just(Method::Patch),
        ]),
    )
        .prop_map(|(path, headers, method)| RouteMatch {
            path,
            headers,
            method,
            ..RouteMatch::default()
        })
        .boxed()
}

/// HTTPRoute rules: forwarding (weighted backends, header filters,
/// timeouts) or redirecting.
pub fn route_rule(size: CrdSize) -> BoxedStrategy<RouteRule> {
    let backend = (
        dns_label(),
        of(dns_label()),
        port(),
        of(0u32..=1000),
        of(header_modifier(size)),
    )
        .prop_map(|(name, namespace, port, weight, filter)| BackendRef {
            name,
            namespace,
            port: Some(port),
            weight,
            filters: filter
                .into_iter()
                .map(BackendFilter::RequestHeaderModifier)
                .collect(),
            ..BackendRef::default()
        });
    let redirect = (
        of(prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]),
        of(hostname()),
        of(http_path().prop_map(PathModifier::ReplaceFullPath)),
        of(prop_oneof![
            Just(RedirectStatus::MovedPermanently),
            Just(RedirectStatus::Found)
        ]),
    )
        .prop_map(|(scheme, hostname, path, status_code)| RequestRedirect {
            scheme,
            hostname,
            path,
            port: None,
            status_code,
        });
    let timeouts = (of(gateway_duration()), of(gateway_duration())).prop_map(|(a, b)| {
        let (request, backend_request) = match (a, b) {
            (Some(a), Some(b)) if a.value() < b.value() => (Some(b), Some(a)),
            other => other,
        };
        RouteTimeouts {
            request,
            backend_request,
        }
    });
    (
        vec(route_match(size), size.list()),
        of(header_modifier(size)),
        prop_oneof![
            4 => vec(backend, size.list1()).prop_map(Ok),
            1 => redirect.prop_map(Err),
        ],
        of(timeouts),
    )
        .prop_map(|(matches, modifier, action, timeouts)| {
            let mut filters: Vec<RouteFilter> = modifier
                .into_iter()
                .map(RouteFilter::RequestHeaderModifier)
                .collect();
            let backend_refs = match action {
                Ok(backends) => backends,
                Err(redirect) => {
                    filters.push(RouteFilter::RequestRedirect(redirect));
                    vec![]
                }
            };
            RouteRule {
                matches,
                filters,
                backend_refs,
                timeouts,
            }
        })
        .boxed()
}

/// HTTPRoute specs: attached to a Server or a Service.
pub fn http_route_spec(size: CrdSize) -> BoxedStrategy<HttpRouteSpec> {
    let parent = prop_oneof![
        (dns_label(), of(dns_label())).prop_map(|(name, namespace)| ParentRef {
            group: Some(POLICY_GROUP.to_owned()),
            kind: Some("Server".to_owned()),
            name,
            namespace,
            ..ParentRef::default()
        }),
        (dns_label(), of(port())).prop_map(|(name, port)| ParentRef {
            group: Some("core".to_owned()),
            kind: Some("Service".to_owned()),
            name,
            port,
            ..ParentRef::default()
        }),
    ];
    (
        vec(parent, size.list1()),
        btree_set(hostname(), size.list()),
        vec(route_rule(size), size.list()),
    )
        .prop_map(|(parents, hostnames, rules)| HttpRouteSpec {
            parent_refs: unique_by(parents, |p| (p.kind.clone(), p.name.clone())),
            hostnames: hostnames.into_iter().collect(),
            rules,
        })
        .boxed()
}

/// HTTPRoute (`policy.linkerd.io`) objects.
pub fn http_route(size: CrdSize) -> BoxedStrategy<HttpRoute> {
    object(http_route_spec(size), size).boxed()
}

// === ExternalWorkload ===

fn workload_parts(
    size: CrdSize,
) -> impl Strategy<Value = (WorkloadTls, Vec<WorkloadPort>, Vec<WorkloadIp>)> {
    let ports = btree_map(
        port(),
        (
            of(port_name()),
            of(prop_oneof![
                Just(Protocol::Tcp),
                Just(Protocol::Udp),
                Just(Protocol::Sctp)
            ]),
        ),
        size.list(),
    )
    .prop_map(|m| {
        unique_by(
            m.into_iter()
                .map(|(port, (name, protocol))| WorkloadPort {
                    name,
                    port,
                    protocol,
                })
                .collect(),
            |p| p.name.clone().unwrap_or_else(|| p.port.to_string()),
        )
    });
    (
        (dns_label(), dns_label()),
        ports,
        (1u8..=254).prop_map(|i| WorkloadIp {
            ip: Some(IpAddr::V4(Ipv4Addr::new(192, 168, 0, i))),
        }),
    )
        .prop_map(|((sa, ns), ports, ip)| {
            let identity = format!("{sa}.{ns}.serviceaccount.identity.linkerd.cluster.local");
            (
                WorkloadTls {
                    server_name: format!("{sa}.{ns}.cluster.local"),
                    identity,
                },
                ports,
                vec![ip],
            )
        })
}

/// ExternalWorkload (`v1beta1`) specs.
pub fn external_workload_spec(size: CrdSize) -> BoxedStrategy<ExternalWorkloadSpec> {
    workload_parts(size)
        .prop_map(|(mesh_tls, ports, workload_ips)| ExternalWorkloadSpec {
            mesh_tls,
            ports,
            workload_ips,
        })
        .boxed()
}

/// ExternalWorkload (`v1beta1`) objects.
pub fn external_workload(size: CrdSize) -> BoxedStrategy<ExternalWorkload> {
    object(external_workload_spec(size), size).boxed()
}

/// ExternalWorkload `v1alpha1` specs.
pub fn external_workload_v1alpha1_spec(
    size: CrdSize,
) -> BoxedStrategy<ExternalWorkloadV1Alpha1Spec> {
    workload_parts(size)
        .prop_map(
            |(mesh_tls, ports, workload_ips)| ExternalWorkloadV1Alpha1Spec {
                mesh_tls,
                ports,
                workload_ips,
            },
        )
        .boxed()
}

/// ExternalWorkload `v1alpha1` objects.
pub fn external_workload_v1alpha1(size: CrdSize) -> BoxedStrategy<ExternalWorkloadV1Alpha1> {
    object(external_workload_v1alpha1_spec(size), size).boxed()
}

// === ServiceProfile ===

fn request_match(depth: u32) -> BoxedStrategy<RequestMatch> {
    let leaf = (
        of(regex()),
        of(prop_oneof![Just("GET"), Just("POST"), Just("PUT")]),
    )
        .prop_filter("a condition", |(p, m)| p.is_some() || m.is_some())
        .prop_map(|(path_regex, method)| RequestMatch {
            path_regex,
            method: method.map(str::to_owned),
            ..RequestMatch::default()
        })
        .boxed();
    if depth == 0 {
        return leaf;
    }
    prop_oneof![
        3 => leaf,
        1 => vec(request_match(depth - 1), 1..=2).prop_map(|all| RequestMatch {
            all,
            ..RequestMatch::default()
        }),
        1 => vec(request_match(depth - 1), 1..=2).prop_map(|any| RequestMatch {
            any,
            ..RequestMatch::default()
        }),
    ]
    .boxed()
}

fn response_class() -> impl Strategy<Value = ResponseClass> {
    (100u16..=599, 0u16..=99, of(any::<bool>())).prop_map(|(min, extra, is_failure)| {
        ResponseClass {
            condition: ResponseMatch {
                status: Some(StatusRange {
                    min: Some(min),
                    max: Some((min + extra).min(599)),
                }),
                ..ResponseMatch::default()
            },
            is_failure,
        }
    })
}

/// ServiceProfile specs: named routes with conditions, response classes,
/// timeouts and retryability; a retry budget; weighted overrides.
pub fn service_profile_spec(size: CrdSize) -> BoxedStrategy<ServiceProfileSpec> {
    let route = (
        request_match(1),
        vec(response_class(), 0..=2),
        of(any::<bool>()),
        of(gateway_duration()),
    );
    let routes = btree_map("[A-Z]{3,6} /[a-z0-9/{}]{0,12}", route, size.list()).prop_map(|m| {
        m.into_iter()
            .map(
                |(name, (condition, response_classes, is_retryable, timeout))| Route {
                    name,
                    condition,
                    response_classes,
                    is_retryable,
                    timeout,
                },
            )
            .collect::<Vec<_>>()
    });
    let budget =
        ((1u32..=100), 1u32..=100, gateway_duration()).prop_map(|(r, min, ttl)| RetryBudget {
            retry_ratio: f64::from(r) / 100.0,
            min_retries_per_second: min,
            ttl,
        });
    let dst = (hostname(), port(), 0i64..=1000).prop_map(|(h, p, w)| WeightedDst {
        authority: format!("{h}:{p}"),
        weight: QuantityWeight::Number(w),
    });
    (
        routes,
        of(budget),
        vec(dst, size.list()),
        btree_set(port().prop_map(|p: NonZeroU16| p.to_string()), size.map()),
    )
        .prop_map(
            |(routes, retry_budget, dst_overrides, opaque)| ServiceProfileSpec {
                routes,
                retry_budget,
                dst_overrides,
                opaque_ports: opaque.into_iter().collect(),
            },
        )
        .boxed()
}

/// ServiceProfile objects.
pub fn service_profile(size: CrdSize) -> BoxedStrategy<ServiceProfile> {
    object(service_profile_spec(size), size).boxed()
}

// === TrafficSplit ===

fn split_backends<W: std::fmt::Debug + Clone>(
    size: CrdSize,
    weight: impl Strategy<Value = W> + Clone,
) -> impl Strategy<Value = Vec<SplitBackend<W>>> {
    btree_map(dns_label(), weight, size.list1()).prop_map(|m| {
        m.into_iter()
            .map(|(service, weight)| SplitBackend { service, weight })
            .collect()
    })
}

/// SMI TrafficSplit (`v1alpha2`..`v1alpha4`) specs.
pub fn traffic_split_spec(size: CrdSize) -> BoxedStrategy<TrafficSplitSpec> {
    (
        dns_label(),
        split_backends(size, 0u32..=1000),
        vec(
            dns_label().prop_map(|name| RouteGroupRef {
                kind: RouteGroupKind::HttpRouteGroup,
                name,
            }),
            0..=1,
        ),
    )
        .prop_map(|(service, backends, matches)| TrafficSplitSpec {
            service,
            matches,
            backends,
        })
        .boxed()
}

/// SMI TrafficSplit (`v1alpha2`..`v1alpha4`) objects.
pub fn traffic_split(size: CrdSize) -> BoxedStrategy<TrafficSplit> {
    object(traffic_split_spec(size), size).boxed()
}

/// SMI TrafficSplit `v1alpha1` specs (quantity weights, `500m`).
pub fn traffic_split_v1alpha1_spec(size: CrdSize) -> BoxedStrategy<TrafficSplitV1Alpha1Spec> {
    let weight = prop_oneof![
        (0i64..=1000).prop_map(QuantityWeight::Number),
        (1u32..=1000).prop_filter_map("quantity", |m| {
            QuantityWeight::quantity(&format!("{m}m")).ok()
        }),
    ];
    (dns_label(), split_backends(size, weight))
        .prop_map(|(service, backends)| TrafficSplitV1Alpha1Spec { service, backends })
        .boxed()
}

/// SMI TrafficSplit `v1alpha1` objects.
pub fn traffic_split_v1alpha1(size: CrdSize) -> BoxedStrategy<TrafficSplitV1Alpha1> {
    object(traffic_split_v1alpha1_spec(size), size).boxed()
}
