//! proptest strategies (feature `proptest`) for every typed Istio kind:
//! [`VirtualService`], [`DestinationRule`], [`Gateway`], [`ServiceEntry`],
//! [`Sidecar`], [`PeerAuthentication`], [`AuthorizationPolicy`],
//! [`RequestAuthentication`], [`Telemetry`], [`ProxyConfig`],
//! [`WasmPlugin`], [`EnvoyFilter`], [`WorkloadEntry`], [`WorkloadGroup`]
//! and the `istioctl` input [`IstioOperator`].
//!
//! Built from `mesh_k8s::strategy`'s leaves, one strategy per concept type
//! ([`string_match`], [`destination`], [`traffic_policy()`],
//! [`policy_target`]...). Every generated object passes the upstream CRD's
//! schema and CEL rules (IstioOperator has no CRD: it round-trips), and
//! shrinks to objects that still do.
//!
//! ```
//! use mesh_istio::strategy::virtual_service;
//! use mesh_k8s::strategy::{CrdSize, round_trip, sample};
//!
//! for vs in sample(&virtual_service(CrdSize::default()), 5, 7) {
//!     round_trip(&vs).unwrap();
//!     assert!(!vs.spec.hosts.is_empty());
//! }
//! ```

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use mesh_k8s::strategy::{
    CrdSize, dns_label, go_duration, header_name, header_value, hostname, http_path, labels,
    labels1, object, port, port_name, regex, unique_by,
};
use proptest::collection::{btree_map, btree_set, vec};
use proptest::option::of;
use proptest::prelude::*;
use serde_json::{Map, Value};

use crate::crds::*;

fn percentage() -> impl Strategy<Value = Percentage> {
    (0u32..=10_000).prop_map(|h| Percentage::new(f64::from(h) / 100.0))
}

fn positive_duration() -> impl Strategy<Value = PositiveDuration> {
    go_duration().prop_filter_map("at least 1ms", |d| PositiveDuration::new(d).ok())
}

/// String matches: exact, prefix or RE2 regex.
pub fn string_match() -> BoxedStrategy<StringMatch> {
    prop_oneof![
        "[a-z0-9]{1,8}".prop_map(StringMatch::Exact),
        http_path().prop_map(StringMatch::Prefix),
        regex().prop_map(StringMatch::Regex),
    ]
    .boxed()
}

fn uri_match() -> impl Strategy<Value = StringMatch> {
    prop_oneof![
        http_path().prop_map(StringMatch::Exact),
        http_path().prop_map(StringMatch::Prefix),
        regex().prop_map(StringMatch::Regex),
    ]
}

/// Header matches: presence or a value match.
pub fn header_match() -> BoxedStrategy<HeaderMatch> {
    prop_oneof![
        1 => Just(HeaderMatch::Present),
        4 => string_match().prop_map(HeaderMatch::Value),
    ]
    .boxed()
}

/// Service hosts: a short name, or a cluster FQDN.
pub fn service_host() -> BoxedStrategy<String> {
    prop_oneof![
        dns_label(),
        (dns_label(), dns_label()).prop_map(|(s, n)| format!("{s}.{n}.svc.cluster.local")),
        hostname(),
    ]
    .boxed()
}

/// Destinations (host, maybe a subset and port).
pub fn destination() -> BoxedStrategy<Destination> {
    (service_host(), of(dns_label()), of(port()))
        .prop_map(|(host, subset, port)| Destination {
            host,
            subset,
            port: port.map(|p| PortSelector::new(u32::from(p.get()))),
        })
        .boxed()
}

fn header_operations(size: CrdSize) -> impl Strategy<Value = HeaderOperations> {
    (
        btree_map(header_name(), header_value(), size.map()),
        btree_map(header_name(), header_value(), size.map()),
        btree_set(header_name(), size.map()),
    )
        .prop_map(|(set, add, remove)| HeaderOperations {
            set,
            add,
            remove: remove.into_iter().collect(),
        })
}

/// Header changes on requests and responses.
pub fn headers(size: CrdSize) -> BoxedStrategy<Headers> {
    (of(header_operations(size)), of(header_operations(size)))
        .prop_map(|(request, response)| Headers { request, response })
        .boxed()
}

/// Workload label selectors (`labels`).
pub fn workload_selector(size: CrdSize) -> BoxedStrategy<WorkloadSelector> {
    labels1(size)
        .prop_map(|l| WorkloadSelector {
            labels: l
                .into_iter()
                .filter_map(|(k, v)| Some((k, LabelValue::new(v).ok()?)))
                .collect(),
        })
        .boxed()
}

/// Policy selectors (`matchLabels`, non-empty).
pub fn policy_selector(size: CrdSize) -> BoxedStrategy<PolicySelector> {
    labels1(size)
        .prop_map(|l| PolicySelector {
            match_labels: l
                .into_iter()
                .filter_map(|(k, v)| Some((LabelKey::new(k).ok()?, LabelValue::new(v).ok()?)))
                .collect(),
        })
        .boxed()
}

/// Policy targets: a workload selector, or references to Gateways or
/// Services.
pub fn policy_target(size: CrdSize) -> BoxedStrategy<PolicyTarget> {
    let target_ref = prop_oneof![
        dns_label().prop_filter_map("ref", |n| TargetRef::new(
            "gateway.networking.k8s.io",
            "Gateway",
            &n
        )
        .ok()),
        dns_label().prop_filter_map("ref", |n| TargetRef::new("", "Service", &n).ok()),
    ];
    prop_oneof![
        2 => policy_selector(size).prop_map(PolicyTarget::Selector),
        1 => vec(target_ref, size.list1()).prop_map(|refs| {
            PolicyTarget::TargetRefs(unique_by(refs, |r| (r.kind.clone(), r.name.clone())))
        }),
    ]
    .boxed()
}

// === VirtualService ===

fn http_match_request(size: CrdSize) -> impl Strategy<Value = HttpMatchRequest> {
    (
        of(dns_label()),
        of(uri_match()),
        of(prop_oneof![Just("GET"), Just("POST"), Just("PUT")]
            .prop_map(|m| StringMatch::Exact(m.to_owned()))),
        of(string_match()),
        btree_map(header_name(), header_match(), size.map()),
        btree_map("[a-z][a-z0-9]{0,6}", header_match(), size.map()),
        of(any::<bool>()),
        of(dns_label()),
    )
        .prop_map(
            |(name, uri, method, authority, headers, query_params, ignore_case, source_ns)| {
                HttpMatchRequest {
                    name,
                    uri,
                    method,
                    authority,
                    headers,
                    query_params,
                    ignore_uri_case: ignore_case,
                    source_namespace: source_ns,
                    ..HttpMatchRequest::default()
                }
            },
        )
}

fn http_retry() -> impl Strategy<Value = HttpRetry> {
    (
        0i32..=5,
        of(positive_duration()),
        of(prop_oneof![
            Just("5xx"),
            Just("gateway-error,connect-failure"),
            Just("connect-failure,refused-stream,unavailable,cancelled,503"),
        ]),
        of(any::<bool>()),
    )
        .prop_map(|(attempts, per_try, on, remote)| HttpRetry {
            attempts: Some(attempts),
            per_try_timeout: per_try,
            retry_on: on.map(str::to_owned),
            retry_remote_localities: remote,
            ..HttpRetry::default()
        })
}

fn fault() -> impl Strategy<Value = HttpFaultInjection> {
    let delay = (positive_duration(), of(percentage())).prop_map(|(d, percentage)| Delay {
        delay: Some(DelayKind::Fixed(d)),
        percentage,
        ..Delay::default()
    });
    let abort = (
        prop_oneof![
            (400i32..=599).prop_map(AbortError::HttpStatus),
            Just(AbortError::GrpcStatus("UNAVAILABLE".to_owned())),
        ],
        of(percentage()),
    )
        .prop_map(|(error, percentage)| Abort {
            error: Some(error),
            percentage,
        });
    (of(delay), of(abort))
        .prop_filter("delay or abort", |(d, a)| d.is_some() || a.is_some())
        .prop_map(|(delay, abort)| HttpFaultInjection { delay, abort })
}

/// VirtualService HTTP rules: forward (weighted destinations, rewrite,
/// timeout, retries, fault, mirrors, headers), redirect, or direct
/// response.
pub fn http_route(size: CrdSize) -> BoxedStrategy<HttpRoute> {
    let dests = vec(
        (destination(), of(0i32..=100), of(headers(size))).prop_map(
            |(destination, weight, headers)| HttpRouteDestination {
                destination,
                weight,
                headers,
            },
        ),
        size.list1(),
    );
    let forward = (
        dests,
        of((of(http_path()), of(hostname()))),
        of(positive_duration()),
        of(http_retry()),
        of(fault()),
        vec(
            (destination(), of(percentage())).prop_map(|(destination, percentage)| {
                HttpMirrorPolicy {
                    destination,
                    percentage,
                }
            }),
            0..=2,
        ),
        of(headers(size)),
    )
        .prop_map(
            |(route, rewrite, timeout, retries, fault, mirrors, headers)| HttpRoute {
                route,
                rewrite: rewrite.filter(|(u, a)| u.is_some() || a.is_some()).map(
                    |(uri, authority)| HttpRewrite {
                        uri,
                        authority,
                        ..HttpRewrite::default()
                    },
                ),
                timeout,
                retries,
                fault,
                mirrors,
                headers,
                ..HttpRoute::default()
            },
        );
    let redirect = (
        of(http_path()),
        of(hostname()),
        of(prop_oneof![Just(301u32), Just(302), Just(308)]),
    )
        .prop_map(|(uri, authority, code)| HttpRoute {
            redirect: Some(HttpRedirect {
                uri,
                authority,
                redirect_code: code,
                ..HttpRedirect::default()
            }),
            ..HttpRoute::default()
        });
    let direct = (200u32..=599, of("[a-z ]{1,20}")).prop_map(|(status, body)| HttpRoute {
        direct_response: Some(HttpDirectResponse {
            status,
            body: body.map(HttpBody::String),
        }),
        ..HttpRoute::default()
    });
    (
        prop_oneof![6 => forward, 1 => redirect, 1 => direct],
        of(dns_label()),
        vec(http_match_request(size), size.list()),
    )
        .prop_map(|(mut r, name, matches)| {
            r.name = name;
            r.match_ = matches;
            r
        })
        .boxed()
}

fn route_destinations(size: CrdSize) -> impl Strategy<Value = Vec<RouteDestination>> {
    vec(
        (destination(), of(0i32..=100)).prop_map(|(destination, weight)| RouteDestination {
            destination,
            weight,
        }),
        size.list1(),
    )
}

/// VirtualService specs: HTTP, TLS (by SNI) and TCP rules.
pub fn virtual_service_spec(size: CrdSize) -> BoxedStrategy<VirtualServiceSpec> {
    let tcp = (
        vec(
            (
                of(port()),
                vec(
                    prop_oneof![
                        Just("10.0.0.0/8".to_owned()),
                        Just("192.168.1.1".to_owned())
                    ],
                    0..=1,
                ),
            )
                .prop_map(|(port, subnets)| L4MatchAttributes {
                    port: port.map(|p| u32::from(p.get())),
                    destination_subnets: subnets,
                    ..L4MatchAttributes::default()
                }),
            size.list(),
        ),
        route_destinations(size),
    )
        .prop_map(|(match_, route)| TcpRoute { match_, route });
    let tls = (
        btree_set(hostname(), size.list1()),
        route_destinations(size),
    )
        .prop_map(|(sni, route)| TlsRoute {
            match_: vec![TlsMatchAttributes {
                sni_hosts: sni.into_iter().collect(),
                ..TlsMatchAttributes::default()
            }],
            route,
        });
    (
        btree_set(service_host(), size.list1()),
        prop_oneof![
            Just(vec![]),
            Just(vec!["mesh".to_owned()]),
            dns_label().prop_map(|g| vec![format!("istio-system/{g}")]),
        ],
        vec(http_route(size), size.list()),
        vec(tls, 0..=1),
        vec(tcp, 0..=1),
        prop_oneof![
            Just(vec![]),
            Just(vec![".".to_owned()]),
            Just(vec!["*".to_owned()])
        ],
    )
        .prop_map(
            |(hosts, gateways, http, tls, tcp, export_to)| VirtualServiceSpec {
                hosts: hosts.into_iter().collect(),
                gateways,
                http,
                tls,
                tcp,
                export_to,
            },
        )
        .boxed()
}

/// VirtualService objects.
pub fn virtual_service(size: CrdSize) -> BoxedStrategy<VirtualService> {
    object(virtual_service_spec(size), size).boxed()
}

// === DestinationRule ===

/// Load balancer settings: simple or consistent hash.
pub fn load_balancer() -> BoxedStrategy<LoadBalancerSettings> {
    let policy = prop_oneof![
        prop_oneof![
            Just(SimpleLb::RoundRobin),
            Just(SimpleLb::LeastRequest),
            Just(SimpleLb::Random),
            Just(SimpleLb::Passthrough),
        ]
        .prop_map(LbPolicy::Simple),
        prop_oneof![
            header_name().prop_map(HashKey::HttpHeaderName),
            Just(HashKey::UseSourceIp(true)),
            "[a-z]{1,8}".prop_map(HashKey::HttpQueryParameterName),
            ("[a-z]{1,8}", of(go_duration())).prop_map(|(name, ttl)| HashKey::HttpCookie(
                HttpCookie {
                    name,
                    ttl,
                    ..HttpCookie::default()
                }
            )),
        ]
        .prop_map(|key| LbPolicy::ConsistentHash(ConsistentHash {
            key: Some(key),
            ..ConsistentHash::default()
        })),
    ];
    (policy, of(positive_duration()))
        .prop_map(|(policy, warmup)| LoadBalancerSettings {
            policy: Some(policy),
            warmup_duration_secs: warmup,
            ..LoadBalancerSettings::default()
        })
        .boxed()
}

/// Connection pool settings.
pub fn connection_pool() -> BoxedStrategy<ConnectionPoolSettings> {
    let tcp = (of(1i32..=10_000), of(positive_duration())).prop_map(|(max, connect)| TcpSettings {
        max_connections: max,
        connect_timeout: connect,
        ..TcpSettings::default()
    });
    let http = (
        of(1i32..=10_000),
        of(1i32..=10_000),
        of(0i32..=10),
        of(positive_duration()),
    )
        .prop_map(|(pending, requests, retries, idle)| HttpSettings {
            http1_max_pending_requests: pending,
            http2_max_requests: requests,
            max_retries: retries,
            idle_timeout: idle,
            ..HttpSettings::default()
        });
    (of(tcp), of(http))
        .prop_map(|(tcp, http)| ConnectionPoolSettings { tcp, http })
        .boxed()
}

/// Outlier detection settings.
pub fn outlier_detection() -> BoxedStrategy<OutlierDetection> {
    (
        of(1u32..=20),
        of(1u32..=20),
        of(positive_duration()),
        of(positive_duration()),
        of(0i32..=100),
    )
        .prop_map(|(c5, cg, interval, base, max)| OutlierDetection {
            consecutive_5xx_errors: c5,
            consecutive_gateway_errors: cg,
            interval,
            base_ejection_time: base,
            max_ejection_percent: max,
            ..OutlierDetection::default()
        })
        .boxed()
}

/// Client TLS settings.
pub fn client_tls() -> BoxedStrategy<ClientTlsSettings> {
    prop_oneof![
        Just(ClientTlsSettings {
            mode: Some(ClientTlsMode::IstioMutual),
            ..ClientTlsSettings::default()
        }),
        Just(ClientTlsSettings {
            mode: Some(ClientTlsMode::Disable),
            ..ClientTlsSettings::default()
        }),
        (of(hostname()), of(dns_label())).prop_map(|(sni, credential_name)| ClientTlsSettings {
            mode: Some(ClientTlsMode::Simple),
            sni,
            credential_name,
            ..ClientTlsSettings::default()
        }),
    ]
    .boxed()
}

/// Traffic policies (with port-level settings on distinct ports).
pub fn traffic_policy(size: CrdSize) -> BoxedStrategy<TrafficPolicy> {
    let port_level = btree_map(port(), (of(load_balancer()), of(client_tls())), size.map())
        .prop_map(|m| {
            m.into_iter()
                .map(|(p, (lb, tls))| PortTrafficPolicy {
                    port: Some(PortSelector::new(u32::from(p.get()))),
                    load_balancer: lb,
                    tls,
                    ..PortTrafficPolicy::default()
                })
                .collect::<Vec<_>>()
        });
    (
        of(load_balancer()),
        of(connection_pool()),
        of(outlier_detection()),
        of(client_tls()),
        port_level,
    )
        .prop_map(|(lb, pool, outlier, tls, port_level)| TrafficPolicy {
            load_balancer: lb,
            connection_pool: pool,
            outlier_detection: outlier,
            tls,
            port_level_settings: port_level,
            ..TrafficPolicy::default()
        })
        .boxed()
}

/// DestinationRule specs (subset names distinct).
pub fn destination_rule_spec(size: CrdSize) -> BoxedStrategy<DestinationRuleSpec> {
    let subsets = btree_map(
        dns_label(),
        (labels1(size), of(traffic_policy(size))),
        size.list(),
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (labels, traffic_policy))| Subset {
                name,
                labels,
                traffic_policy,
            })
            .collect::<Vec<_>>()
    });
    (service_host(), of(traffic_policy(size)), subsets)
        .prop_map(|(host, traffic_policy, subsets)| DestinationRuleSpec {
            host,
            traffic_policy,
            subsets,
            ..DestinationRuleSpec::default()
        })
        .boxed()
}

/// DestinationRule objects.
pub fn destination_rule(size: CrdSize) -> BoxedStrategy<DestinationRule> {
    object(destination_rule_spec(size), size).boxed()
}

// === Gateway ===

fn server(index: usize) -> impl Strategy<Value = Server> {
    let tls = prop_oneof![
        dns_label().prop_map(|c| ServerTlsSettings {
            mode: Some(ServerTlsMode::Simple),
            credential_name: Some(c),
            ..ServerTlsSettings::default()
        }),
        dns_label().prop_map(|c| ServerTlsSettings {
            mode: Some(ServerTlsMode::Mutual),
            credential_name: Some(c),
            ..ServerTlsSettings::default()
        }),
        Just(ServerTlsSettings {
            mode: Some(ServerTlsMode::Passthrough),
            ..ServerTlsSettings::default()
        }),
    ];
    (
        prop_oneof![Just(None), tls.prop_map(Some)],
        btree_set(
            prop_oneof![
                Just("*".to_owned()),
                hostname(),
                hostname().prop_map(|h| format!("*.{h}")),
                hostname().prop_map(|h| format!("./{h}")),
            ],
            1..=3,
        ),
        0u32..100,
    )
        .prop_map(move |(tls, hosts, offset)| {
            let number = 1000 + 100 * u32::try_from(index % 600).unwrap_or(0) + offset;
            let protocol = if tls.is_some() { "HTTPS" } else { "HTTP" };
            Server {
                port: Port {
                    number,
                    protocol: protocol.to_owned(),
                    name: format!("{}-{index}", protocol.to_ascii_lowercase()),
                    target_port: None,
                },
                hosts: hosts.into_iter().collect(),
                tls,
                ..Server::default()
            }
        })
}

/// Gateway specs (servers on distinct ports).
pub fn gateway_spec(size: CrdSize) -> BoxedStrategy<GatewaySpec> {
    let servers = size
        .list1()
        .prop_flat_map(|n| (0..n).map(server).collect::<Vec<_>>());
    (servers, labels1(size))
        .prop_map(|(servers, selector)| GatewaySpec { servers, selector })
        .boxed()
}

/// Gateway objects.
pub fn gateway(size: CrdSize) -> BoxedStrategy<Gateway> {
    object(gateway_spec(size), size).boxed()
}

// === ServiceEntry, WorkloadEntry, WorkloadGroup ===

fn address() -> impl Strategy<Value = Address> {
    prop_oneof![
        (1u8..=254, 0u8..=254)
            .prop_map(|(a, b)| Address::ip(IpAddr::V4(Ipv4Addr::new(10, a, b, 1)))),
        hostname().prop_map(Address::Hostname),
    ]
}

fn port_names(size: CrdSize) -> impl Strategy<Value = BTreeMap<PortName, PortNumber>> {
    btree_map(port_name(), port(), size.map()).prop_map(|m| {
        m.into_iter()
            .filter_map(|(n, p)| Some((PortName::new(n).ok()?, p)))
            .collect()
    })
}

/// Workload entry specs (an address, ports, labels, ...).
pub fn workload_entry_spec(size: CrdSize) -> BoxedStrategy<WorkloadEntrySpec> {
    (
        address(),
        port_names(size),
        labels(size),
        of(dns_label()),
        of(1u32..=100),
        of(dns_label()),
        of(Just("us-east1/zone-a".to_owned())),
    )
        .prop_map(
            |(address, ports, labels, network, weight, service_account, locality)| {
                WorkloadEntrySpec {
                    address: Some(address),
                    ports,
                    labels,
                    network,
                    locality,
                    weight,
                    service_account,
                }
            },
        )
        .boxed()
}

/// WorkloadEntry objects.
pub fn workload_entry(size: CrdSize) -> BoxedStrategy<WorkloadEntry> {
    object(workload_entry_spec(size), size).boxed()
}

/// WorkloadGroup specs.
pub fn workload_group_spec(size: CrdSize) -> BoxedStrategy<WorkloadGroupSpec> {
    let probe = (
        of(0u32..=60),
        of(1u32..=30),
        prop_oneof![
            (http_path(), port()).prop_map(|(path, port)| HealthCheck::HttpGet(HttpHealthCheck {
                path: Some(path),
                port,
                host: None,
                scheme: None,
                http_headers: vec![],
            })),
            port().prop_map(|port| HealthCheck::TcpSocket(TcpHealthCheck { host: None, port })),
        ],
    )
        .prop_map(|(delay, period, check)| ReadinessProbe {
            initial_delay_seconds: delay,
            period_seconds: period,
            check: Some(check),
            ..ReadinessProbe::default()
        });
    (
        of((labels(size), labels(size))),
        port_names(size),
        labels(size),
        of(dns_label()),
        of(probe),
    )
        .prop_map(
            |(metadata, ports, labels, service_account, probe)| WorkloadGroupSpec {
                metadata: metadata.map(|(labels, annotations)| WorkloadGroupMetadata {
                    labels,
                    annotations,
                }),
                template: WorkloadTemplate(WorkloadEntrySpec {
                    ports,
                    labels,
                    service_account,
                    ..WorkloadEntrySpec::default()
                }),
                probe,
            },
        )
        .boxed()
}

/// WorkloadGroup objects.
pub fn workload_group(size: CrdSize) -> BoxedStrategy<WorkloadGroup> {
    object(workload_group_spec(size), size).boxed()
}

/// ServiceEntry specs: external (DNS) or internal (STATIC, with endpoints
/// or a selector) services on distinct ports.
pub fn service_entry_spec(size: CrdSize) -> BoxedStrategy<ServiceEntrySpec> {
    let ports = btree_map(
        port(),
        prop_oneof![
            Just("HTTP"),
            Just("HTTPS"),
            Just("TCP"),
            Just("GRPC"),
            Just("TLS")
        ],
        size.list1(),
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(number, protocol)| ServicePort {
                number,
                protocol: Some(protocol.to_owned()),
                name: format!("{}-{number}", protocol.to_ascii_lowercase()),
                target_port: None,
            })
            .collect::<Vec<_>>()
    });
    let endpoints = || {
        vec(
            (address(), labels(size)).prop_map(|(address, labels)| WorkloadEntrySpec {
                address: Some(address),
                labels,
                ..WorkloadEntrySpec::default()
            }),
            1..=size.list_len.max(1),
        )
        .boxed()
    };
    let resolution_and_workloads = prop_oneof![
        of(Just(Resolution::None)).prop_map(|r| (r, None)),
        Just((Some(Resolution::Dns), None)),
        endpoints().prop_map(|e| (
            Some(Resolution::Dns),
            Some(ServiceEntryWorkloads::Endpoints(e))
        )),
        endpoints().prop_map(|e| (
            Some(Resolution::Static),
            Some(ServiceEntryWorkloads::Endpoints(e))
        )),
        workload_selector(size).prop_map(|s| (
            Some(Resolution::Static),
            Some(ServiceEntryWorkloads::Selector(s))
        )),
    ];
    (
        btree_set(hostname(), size.list1()),
        ports,
        prop_oneof![Just(Location::MeshExternal), Just(Location::MeshInternal)],
        resolution_and_workloads,
        vec(
            prop_oneof![
                Just("240.240.0.1".to_owned()),
                Just("10.1.0.0/16".to_owned())
            ],
            0..=1,
        ),
    )
        .prop_map(
            |(hosts, ports, location, (resolution, workloads), addresses)| {
                let cidr_ok = matches!(
                    resolution,
                    None | Some(Resolution::None | Resolution::Static)
                );
                ServiceEntrySpec {
                    hosts: hosts.into_iter().collect(),
                    addresses: addresses
                        .into_iter()
                        .filter(|a| cidr_ok || !a.contains('/'))
                        .collect(),
                    ports,
                    location: Some(location),
                    resolution,
                    workloads,
                    ..ServiceEntrySpec::default()
                }
            },
        )
        .boxed()
}

/// ServiceEntry objects.
pub fn service_entry(size: CrdSize) -> BoxedStrategy<ServiceEntry> {
    object(service_entry_spec(size), size).boxed()
}

// === Sidecar ===

/// Sidecar specs: egress host lists and the outbound traffic policy.
pub fn sidecar_spec(size: CrdSize) -> BoxedStrategy<SidecarSpec> {
    let egress = btree_set(
        prop_oneof![
            Just("./*".to_owned()),
            Just("istio-system/*".to_owned()),
            dns_label().prop_map(|n| format!("{n}/*")),
            (dns_label(), hostname()).prop_map(|(n, h)| format!("{n}/{h}")),
        ],
        size.list1(),
    )
    .prop_map(|hosts| IstioEgressListener {
        hosts: hosts.into_iter().collect(),
        ..IstioEgressListener::default()
    });
    (
        of(workload_selector(size)),
        vec(egress, 0..=1),
        of(prop_oneof![
            Just(OutboundMode::RegistryOnly),
            Just(OutboundMode::AllowAny)
        ]),
    )
        .prop_map(|(workload_selector, egress, mode)| SidecarSpec {
            workload_selector,
            egress,
            outbound_traffic_policy: mode.map(|m| OutboundTrafficPolicy {
                mode: Some(m),
                egress_proxy: None,
            }),
            ..SidecarSpec::default()
        })
        .boxed()
}

/// Sidecar objects.
pub fn sidecar(size: CrdSize) -> BoxedStrategy<Sidecar> {
    object(sidecar_spec(size), size).boxed()
}

// === Security ===

fn mtls_mode() -> impl Strategy<Value = MtlsMode> {
    prop_oneof![
        Just(MtlsMode::Strict),
        Just(MtlsMode::Permissive),
        Just(MtlsMode::Disable),
        Just(MtlsMode::Unset),
    ]
}

/// PeerAuthentication specs (port-level modes only with a selector).
pub fn peer_authentication_spec(size: CrdSize) -> BoxedStrategy<PeerAuthenticationSpec> {
    (
        of(policy_selector(size)),
        of(mtls_mode()),
        btree_map(port(), mtls_mode(), 1..=2),
    )
        .prop_map(|(selector, mode, ports)| {
            let port_level_mtls = selector.as_ref().map(|_| {
                ports
                    .into_iter()
                    .map(|(p, m)| (PortKey::from(p), MutualTls::mode(m)))
                    .collect()
            });
            PeerAuthenticationSpec {
                selector,
                mtls: mode.map(MutualTls::mode),
                port_level_mtls,
            }
        })
        .boxed()
}

/// PeerAuthentication objects.
pub fn peer_authentication(size: CrdSize) -> BoxedStrategy<PeerAuthentication> {
    object(peer_authentication_spec(size), size).boxed()
}

fn principal() -> impl Strategy<Value = String> {
    (dns_label(), dns_label()).prop_map(|(ns, sa)| format!("cluster.local/ns/{ns}/sa/{sa}"))
}

/// Authorization rules (from principals / namespaces / IP blocks; to
/// methods, paths, ports; when conditions).
pub fn authz_rule(size: CrdSize) -> BoxedStrategy<Rule> {
    let source = (
        vec(principal(), size.list()),
        vec(dns_label(), size.list()),
        vec(Just("10.0.0.0/8".to_owned()), 0..=1),
        vec(principal(), 0..=1),
    )
        .prop_map(
            |(principals, namespaces, ip_blocks, not_principals)| RuleFrom {
                source: Some(Source {
                    principals,
                    namespaces,
                    ip_blocks,
                    not_principals,
                    ..Source::default()
                }),
            },
        );
    let operation = (
        btree_set(
            prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")],
            0..=2,
        ),
        vec(http_path(), size.list()),
        btree_set(port(), 0..=2),
    )
        .prop_map(|(methods, paths, ports)| RuleTo {
            operation: Some(Operation {
                methods: methods.into_iter().map(str::to_owned).collect(),
                paths,
                ports: ports.into_iter().map(|p| p.to_string()).collect(),
                ..Operation::default()
            }),
        });
    let condition = (
        prop_oneof![Just("request.headers[x-user]"), Just("source.namespace")],
        vec("[a-z0-9]{1,8}", 1..=2),
    )
        .prop_map(|(key, values)| Condition {
            key: key.to_owned(),
            values,
            not_values: vec![],
        });
    (
        vec(source, 0..=2),
        vec(operation, 0..=2),
        vec(condition, 0..=1),
    )
        .prop_map(|(from, to, when)| Rule { from, to, when })
        .boxed()
}

/// AuthorizationPolicy specs: allow / deny / audit / custom, with rules
/// (`None` = no rules, `Some([])` never generated as it means the same to
/// Istio as absent only for DENY).
pub fn authorization_policy_spec(size: CrdSize) -> BoxedStrategy<AuthorizationPolicySpec> {
    (
        of(policy_target(size)),
        of(prop_oneof![
            Just(AuthorizationAction::Allow),
            Just(AuthorizationAction::Deny),
            Just(AuthorizationAction::Audit),
            dns_label()
                .prop_map(|n| AuthorizationAction::Custom(ExtensionProvider { name: Some(n) })),
        ]),
        of(vec(authz_rule(size), size.list1())),
    )
        .prop_map(|(target, action, rules)| AuthorizationPolicySpec {
            target,
            action,
            rules,
        })
        .boxed()
}

/// AuthorizationPolicy objects.
pub fn authorization_policy(size: CrdSize) -> BoxedStrategy<AuthorizationPolicy> {
    object(authorization_policy_spec(size), size).boxed()
}

fn non_empty() -> impl Strategy<Value = NonEmptyString> {
    "[a-z][a-z0-9-]{0,10}".prop_filter_map("non-empty", |s| NonEmptyString::new(s).ok())
}

/// JWT rules (issuer, JWKS URI, audiences, token locations).
pub fn jwt_rule(size: CrdSize) -> BoxedStrategy<JwtRule> {
    (
        hostname(),
        vec(non_empty(), size.list()),
        any::<bool>(),
        vec(
            (header_name(), of(Just("Bearer ".to_owned()))).prop_filter_map(
                "header",
                |(n, prefix)| {
                    Some(JwtHeader {
                        name: NonEmptyString::new(n).ok()?,
                        prefix,
                    })
                },
            ),
            0..=1,
        ),
        of(any::<bool>()),
        of(positive_duration()),
    )
        .prop_map(
            |(issuer, audiences, with_jwks, from_headers, forward, timeout)| JwtRule {
                jwks: with_jwks
                    .then(|| JwksUri::new(format!("https://{issuer}/.well-known/jwks.json")).ok())
                    .flatten()
                    .map(Jwks::Uri),
                issuer: NonEmptyString::new(format!("https://{issuer}")).ok(),
                audiences,
                from_headers,
                forward_original_token: forward,
                timeout,
                ..JwtRule::default()
            },
        )
        .boxed()
}

/// RequestAuthentication specs.
pub fn request_authentication_spec(size: CrdSize) -> BoxedStrategy<RequestAuthenticationSpec> {
    (of(policy_target(size)), vec(jwt_rule(size), size.list()))
        .prop_map(|(target, jwt_rules)| RequestAuthenticationSpec { target, jwt_rules })
        .boxed()
}

/// RequestAuthentication objects.
pub fn request_authentication(size: CrdSize) -> BoxedStrategy<RequestAuthentication> {
    object(request_authentication_spec(size), size).boxed()
}

// === Telemetry, ProxyConfig, WasmPlugin, EnvoyFilter ===

fn provider_ref() -> impl Strategy<Value = ProviderRef> {
    prop_oneof![
        Just("zipkin"),
        Just("otel"),
        Just("envoy"),
        Just("prometheus")
    ]
    .prop_filter_map("provider", |n| {
        Some(ProviderRef {
            name: NonEmptyString::new(n).ok()?,
        })
    })
}

/// Telemetry specs: tracing (sampling, custom tags), metrics, access logs.
pub fn telemetry_spec(size: CrdSize) -> BoxedStrategy<TelemetrySpec> {
    let tag = prop_oneof![
        non_empty().prop_map(|value| CustomTag::Literal(LiteralTag { value })),
        non_empty().prop_map(|name| CustomTag::Header(HeaderTag {
            name,
            default_value: None
        })),
    ];
    let tracing = (
        vec(provider_ref(), 0..=1),
        of((0u32..=10_000).prop_map(|h| f64::from(h) / 100.0)),
        of(any::<bool>()),
        btree_map("[a-z][a-z0-9_]{0,8}", tag, size.map()),
    )
        .prop_map(|(providers, sampling, disable, custom_tags)| Tracing {
            providers,
            random_sampling_percentage: sampling,
            disable_span_reporting: disable,
            custom_tags,
            ..Tracing::default()
        });
    let metrics = (vec(provider_ref(), 0..=1), of(positive_duration())).prop_map(
        |(providers, reporting_interval)| Metrics {
            providers,
            reporting_interval,
            ..Metrics::default()
        },
    );
    let logging = (
        vec(provider_ref(), 0..=1),
        of(any::<bool>()),
        of(Just("response.code >= 400".to_owned())),
    )
        .prop_map(|(providers, disabled, filter)| AccessLogging {
            providers,
            disabled,
            filter: filter.map(|e| AccessLogFilter {
                expression: Some(e),
            }),
            ..AccessLogging::default()
        });
    (
        of(policy_target(size)),
        vec(tracing, 0..=1),
        vec(metrics, 0..=1),
        vec(logging, 0..=1),
    )
        .prop_map(|(target, tracing, metrics, access_logging)| TelemetrySpec {
            target,
            tracing,
            metrics,
            access_logging,
        })
        .boxed()
}

/// Telemetry objects.
pub fn telemetry(size: CrdSize) -> BoxedStrategy<Telemetry> {
    object(telemetry_spec(size), size).boxed()
}

/// ProxyConfig specs.
pub fn proxy_config_spec(size: CrdSize) -> BoxedStrategy<ProxyConfigSpec> {
    (
        of(policy_selector(size)),
        of(0u32..=8),
        btree_map("[A-Z][A-Z0-9_]{0,10}", "[a-z0-9]{0,8}", size.map()),
        of(prop_oneof![
            Just("default"),
            Just("distroless"),
            Just("debug")
        ]),
    )
        .prop_map(|(selector, concurrency, env, image)| ProxyConfigSpec {
            selector,
            concurrency,
            environment_variables: env,
            image: image.map(|t| ProxyImage {
                image_type: Some(t.to_owned()),
            }),
        })
        .boxed()
}

/// ProxyConfig objects.
pub fn proxy_config(size: CrdSize) -> BoxedStrategy<ProxyConfig> {
    object(proxy_config_spec(size), size).boxed()
}

fn json_config(size: CrdSize) -> impl Strategy<Value = Map<String, Value>> {
    btree_map(
        "[a-z][a-z_]{0,8}",
        prop_oneof![
            "[a-z0-9]{0,8}".prop_map(Value::from),
            (0u32..=1000).prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
        ],
        size.map(),
    )
    .prop_map(|m| m.into_iter().collect())
}

/// WasmPlugin specs.
pub fn wasm_plugin_spec(size: CrdSize) -> BoxedStrategy<WasmPluginSpec> {
    (
        of(policy_target(size)),
        (hostname(), dns_label(), "[0-9]\\.[0-9]").prop_filter_map("url", |(h, n, t)| {
            WasmUrl::new(format!("oci://{h}/{n}:{t}")).ok()
        }),
        of(prop_oneof![
            Just(PluginPhase::Authn),
            Just(PluginPhase::Authz),
            Just(PluginPhase::Stats)
        ]),
        of(-10i32..=10),
        of(json_config(size)),
        of(prop_oneof![
            Just(FailStrategy::FailClose),
            Just(FailStrategy::FailOpen)
        ]),
        of(prop_oneof![
            Just(PullPolicy::IfNotPresent),
            Just(PullPolicy::Always)
        ]),
    )
        .prop_map(
            |(target, url, phase, priority, plugin_config, fail, pull)| WasmPluginSpec {
                target,
                url,
                phase,
                priority,
                plugin_config,
                fail_strategy: fail,
                image_pull_policy: pull,
                ..WasmPluginSpec::default()
            },
        )
        .boxed()
}

/// WasmPlugin objects.
pub fn wasm_plugin(size: CrdSize) -> BoxedStrategy<WasmPlugin> {
    object(wasm_plugin_spec(size), size).boxed()
}

/// EnvoyFilter specs: HTTP filter insertions and cluster merges.
pub fn envoy_filter_spec(size: CrdSize) -> BoxedStrategy<EnvoyFilterSpec> {
    let http_filter = (
        prop_oneof![
            Just(PatchContext::SidecarInbound),
            Just(PatchContext::SidecarOutbound),
            Just(PatchContext::Gateway)
        ],
        of(port()),
        prop_oneof![
            Just(PatchOperation::InsertBefore),
            Just(PatchOperation::InsertAfter),
            Just(PatchOperation::InsertFirst)
        ],
        "[a-z]{1,8}",
    )
        .prop_map(|(context, port, operation, name)| EnvoyConfigObjectPatch {
            apply_to: Some(ApplyTo::HttpFilter),
            match_: Some(EnvoyConfigObjectMatch {
                context: Some(context),
                object: Some(ObjectMatch::Listener(ListenerMatch {
                    port_number: port.map(|p| u32::from(p.get())),
                    filter_chain: Some(FilterChainMatch {
                        filter: Some(FilterMatch {
                            name: Some("envoy.filters.network.http_connection_manager".to_owned()),
                            sub_filter: Some(SubFilterMatch {
                                name: Some("envoy.filters.http.router".to_owned()),
                            }),
                        }),
                        ..FilterChainMatch::default()
                    }),
                    ..ListenerMatch::default()
                })),
                ..EnvoyConfigObjectMatch::default()
            }),
            patch: Some(Patch {
                operation: Some(operation),
                value: Some(
                    [("name".to_owned(), Value::from(format!("example.{name}")))]
                        .into_iter()
                        .collect(),
                ),
                ..Patch::default()
            }),
        });
    let cluster =
        (service_host(), of(port()), json_config(size)).prop_map(|(service, port, value)| {
            EnvoyConfigObjectPatch {
                apply_to: Some(ApplyTo::Cluster),
                match_: Some(EnvoyConfigObjectMatch {
                    context: Some(PatchContext::SidecarOutbound),
                    object: Some(ObjectMatch::Cluster(ClusterMatch {
                        service: Some(service),
                        port_number: port.map(|p| u32::from(p.get())),
                        ..ClusterMatch::default()
                    })),
                    ..EnvoyConfigObjectMatch::default()
                }),
                patch: Some(Patch {
                    operation: Some(PatchOperation::Merge),
                    value: Some(value),
                    ..Patch::default()
                }),
            }
        });
    (
        of(workload_selector(size).prop_map(EnvoyFilterTarget::WorkloadSelector)),
        vec(prop_oneof![http_filter, cluster], size.list1()),
        of(-10i32..=10),
    )
        .prop_map(|(target, config_patches, priority)| EnvoyFilterSpec {
            target,
            config_patches,
            priority,
        })
        .boxed()
}

/// EnvoyFilter objects.
pub fn envoy_filter(size: CrdSize) -> BoxedStrategy<EnvoyFilter> {
    object(envoy_filter_spec(size), size).boxed()
}

// === IstioOperator ===

/// IstioOperator specs (the `istioctl install` input: profile, hub, tag,
/// revision, mesh config). No CRD validates them; they round-trip.
pub fn istio_operator_spec() -> BoxedStrategy<IstioOperatorSpec> {
    let mesh_config = (
        of(Just("/dev/stdout".to_owned())),
        of(any::<bool>()),
        of(hostname()),
    )
        .prop_map(|(log, tracing, trust)| MeshConfig {
            access_log_file: log,
            enable_tracing: tracing,
            trust_domain: trust,
            ..MeshConfig::default()
        });
    (
        of(prop_oneof![
            Just("default"),
            Just("minimal"),
            Just("demo"),
            Just("ambient")
        ]),
        of(dns_label()),
        of(hostname().prop_map(|h| format!("{h}/istio"))),
        of("1\\.2[0-9]\\.[0-9]".prop_map(Value::from)),
        of(mesh_config),
    )
        .prop_map(
            |(profile, revision, hub, tag, mesh_config)| IstioOperatorSpec {
                profile: profile.map(str::to_owned),
                revision,
                hub,
                tag,
                mesh_config,
                ..IstioOperatorSpec::default()
            },
        )
        .boxed()
}

/// IstioOperator objects.
pub fn istio_operator(size: CrdSize) -> BoxedStrategy<IstioOperator> {
    object(istio_operator_spec(), size).boxed()
}
