//! Tests of the Consul CRD types: kind consistency, the corpus round trip,
//! typed scenarios checked by crd-validate, and the oneOf/closed-set rules.

use std::collections::BTreeMap;
use std::num::NonZeroU16;

use mesh_k8s::testing::{crd_validate, in_ci, json_diff, read_documents, require_shared, type_of};
use mesh_k8s::{GoDuration, Kind, Object, check_kind};
use serde_json::{Value, json};

use super::*;

fn dur(s: &str) -> GoDuration {
    GoDuration::parse(s).unwrap()
}

// === kinds ===

#[test]
fn kinds_are_consistent() {
    type Check = fn() -> Result<(), String>;
    let checks: &[(&str, Check)] = &[
        ("ServiceDefaults", check_kind::<ServiceDefaultsSpec>),
        ("ServiceResolver", check_kind::<ServiceResolverSpec>),
        ("ServiceRouter", check_kind::<ServiceRouterSpec>),
        ("ServiceSplitter", check_kind::<ServiceSplitterSpec>),
        ("ServiceIntentions", check_kind::<ServiceIntentionsSpec>),
        ("ProxyDefaults", check_kind::<ProxyDefaultsSpec>),
        ("Mesh", check_kind::<MeshSpec>),
        ("IngressGateway", check_kind::<IngressGatewaySpec>),
        ("TerminatingGateway", check_kind::<TerminatingGatewaySpec>),
        ("ExportedServices", check_kind::<ExportedServicesSpec>),
        ("JWTProvider", check_kind::<JwtProviderSpec>),
        ("SamenessGroup", check_kind::<SamenessGroupSpec>),
        (
            "ControlPlaneRequestLimit",
            check_kind::<ControlPlaneRequestLimitSpec>,
        ),
        ("GatewayClassConfig", check_kind::<GatewayClassConfigSpec>),
        ("GatewayPolicy", check_kind::<GatewayPolicySpec>),
        ("RouteAuthFilter", check_kind::<RouteAuthFilterSpec>),
        ("RouteRetryFilter", check_kind::<RouteRetryFilterSpec>),
        ("RouteTimeoutFilter", check_kind::<RouteTimeoutFilterSpec>),
        ("RouteExtProc", check_kind::<RouteExtProcSpec>),
        ("RouteTLSSDSFilter", check_kind::<RouteTlsSdsFilterSpec>),
        ("PeeringAcceptor", check_kind::<PeeringAcceptorSpec>),
        ("PeeringDialer", check_kind::<PeeringDialerSpec>),
        ("MeshService", check_kind::<MeshServiceSpec>),
        ("RateLimit", check_kind::<RateLimitSpec>),
        ("Registration", check_kind::<RegistrationSpec>),
    ];
    for (kind, check) in checks {
        assert_eq!(check(), Ok(()), "{kind}");
    }
}

#[test]
fn apply_order() {
    use mesh_k8s::ApplyOrder::*;
    let table = [
        (ProxyDefaultsSpec::APPLY_ORDER, Defaults),
        (MeshSpec::APPLY_ORDER, Defaults),
        (ServiceDefaultsSpec::APPLY_ORDER, Defaults),
        (JwtProviderSpec::APPLY_ORDER, Defaults),
        (ControlPlaneRequestLimitSpec::APPLY_ORDER, Defaults),
        (ServiceIntentionsSpec::APPLY_ORDER, Security),
        (ServiceResolverSpec::APPLY_ORDER, Destination),
        (TerminatingGatewaySpec::APPLY_ORDER, Destination),
        (ExportedServicesSpec::APPLY_ORDER, Destination),
        (SamenessGroupSpec::APPLY_ORDER, Destination),
        (IngressGatewaySpec::APPLY_ORDER, Gateway),
        (GatewayClassConfigSpec::APPLY_ORDER, Gateway),
        (GatewayPolicySpec::APPLY_ORDER, Gateway),
        (RouteAuthFilterSpec::APPLY_ORDER, Gateway),
        (RouteRetryFilterSpec::APPLY_ORDER, Gateway),
        (RouteTimeoutFilterSpec::APPLY_ORDER, Gateway),
        (RouteExtProcSpec::APPLY_ORDER, Gateway),
        (RouteTlsSdsFilterSpec::APPLY_ORDER, Gateway),
        (PeeringAcceptorSpec::APPLY_ORDER, Defaults),
        (PeeringDialerSpec::APPLY_ORDER, Defaults),
        (RateLimitSpec::APPLY_ORDER, Defaults),
        (MeshServiceSpec::APPLY_ORDER, Destination),
        (RegistrationSpec::APPLY_ORDER, Destination),
        (ServiceRouterSpec::APPLY_ORDER, Route),
        (ServiceSplitterSpec::APPLY_ORDER, Route),
    ];
    for (i, (got, want)) in table.into_iter().enumerate() {
        assert_eq!(got, want, "row {i}");
    }
}

// === corpus round trip ===

/// Normalizations a round trip may apply, counted per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Normalization {
    /// A document without `spec` comes back with `spec: {}` (Object always
    /// writes the spec).
    SpecAdded,
    /// An explicit empty list or map comes back absent.
    EmptyDropped,
}

/// Applies the normalizations to the input and says which were needed.
fn normalize(v: &Value) -> (Value, Vec<Normalization>) {
    fn drop_empty(v: &mut Value, hit: &mut bool) {
        match v {
            Value::Object(m) => {
                m.retain(|_, x| {
                    let empty = match x {
                        Value::Array(a) => a.is_empty(),
                        Value::Object(o) => o.is_empty(),
                        _ => false,
                    };
                    if empty {
                        *hit = true;
                    }
                    !empty
                });
                m.values_mut().for_each(|x| drop_empty(x, hit));
            }
            Value::Array(a) => a.iter_mut().for_each(|x| drop_empty(x, hit)),
            _ => {}
        }
    }
    let mut out = v.clone();
    let mut applied = Vec::new();
    if let Some(m) = out.as_object_mut() {
        if !m.contains_key("spec") {
            m.insert("spec".into(), json!({}));
            applied.push(Normalization::SpecAdded);
        }
        let mut hit = false;
        if let Some(spec) = m.get_mut("spec") {
            // Free-form maps (ProxyDefaults config, extension arguments)
            // keep their empties: they are serde_json values.
            if let Some(s) = spec.as_object_mut() {
                for (k, x) in s.iter_mut() {
                    if k != "config" && k != "envoyExtensions" {
                        drop_empty(x, &mut hit);
                    }
                }
                s.retain(|_, x| {
                    let empty = matches!(x, Value::Array(a) if a.is_empty());
                    hit |= empty;
                    !empty
                });
            }
        }
        if hit {
            applied.push(Normalization::EmptyDropped);
        }
    }
    (out, applied)
}

/// Outcome of one document's round trip.
enum Outcome {
    Passed(Vec<Normalization>),
    Failed(String),
}

fn round_trip<S: Kind>(v: &Value) -> Outcome {
    let obj: Object<S> = match serde_json::from_value(v.clone()) {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(format!("parse: {e}")),
    };
    // The same document read by serde_yaml gives the same object.
    match serde_yaml::to_string(v).map(|y| serde_yaml::from_str::<Object<S>>(&y)) {
        Ok(Ok(y)) if y == obj => {}
        Ok(Ok(_)) => return Outcome::Failed("YAML parse differs from JSON parse".into()),
        Ok(Err(e)) => return Outcome::Failed(format!("YAML parse: {e}")),
        Err(e) => return Outcome::Failed(format!("YAML: {e}")),
    }
    let back = match serde_json::to_value(&obj) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("serialize: {e}")),
    };
    if json_diff(v, &back).is_none() {
        return Outcome::Passed(Vec::new());
    }
    let (norm, applied) = normalize(v);
    match json_diff(&norm, &back) {
        None => Outcome::Passed(applied),
        Some(d) => Outcome::Failed(format!("diff: {d}")),
    }
}

fn round_trip_kind(kind: &str, v: &Value) -> Option<Outcome> {
    Some(match kind {
        "ServiceDefaults" => round_trip::<ServiceDefaultsSpec>(v),
        "ServiceResolver" => round_trip::<ServiceResolverSpec>(v),
        "ServiceRouter" => round_trip::<ServiceRouterSpec>(v),
        "ServiceSplitter" => round_trip::<ServiceSplitterSpec>(v),
        "ServiceIntentions" => round_trip::<ServiceIntentionsSpec>(v),
        "ProxyDefaults" => round_trip::<ProxyDefaultsSpec>(v),
        "Mesh" => round_trip::<MeshSpec>(v),
        "IngressGateway" => round_trip::<IngressGatewaySpec>(v),
        "TerminatingGateway" => round_trip::<TerminatingGatewaySpec>(v),
        "ExportedServices" => round_trip::<ExportedServicesSpec>(v),
        "JWTProvider" => round_trip::<JwtProviderSpec>(v),
        "SamenessGroup" => round_trip::<SamenessGroupSpec>(v),
        "ControlPlaneRequestLimit" => round_trip::<ControlPlaneRequestLimitSpec>(v),
        "GatewayClassConfig" => round_trip::<GatewayClassConfigSpec>(v),
        "GatewayPolicy" => round_trip::<GatewayPolicySpec>(v),
        "RouteAuthFilter" => round_trip::<RouteAuthFilterSpec>(v),
        "RouteRetryFilter" => round_trip::<RouteRetryFilterSpec>(v),
        "RouteTimeoutFilter" => round_trip::<RouteTimeoutFilterSpec>(v),
        "RouteExtProc" => round_trip::<RouteExtProcSpec>(v),
        "RouteTLSSDSFilter" => round_trip::<RouteTlsSdsFilterSpec>(v),
        "PeeringAcceptor" => round_trip::<PeeringAcceptorSpec>(v),
        "PeeringDialer" => round_trip::<PeeringDialerSpec>(v),
        "MeshService" => round_trip::<MeshServiceSpec>(v),
        "RateLimit" => round_trip::<RateLimitSpec>(v),
        "Registration" => round_trip::<RegistrationSpec>(v),
        _ => return None,
    })
}

/// Documents expected not to round trip: (file name suffix, document
/// index, reason). Empty: every corpus document of these kinds is valid.
const EXPECTED_FAILURES: &[(&str, usize, &str)] = &[];

/// Expected per-kind results: (kind, documents, spec added, empty dropped).
/// - `spec: {}` added: ServiceResolver `fixtures/bases/service-resolver`
///   and ServiceDefaults in `fixtures/bases/crds-oss/serviceintentions.yaml`
///   have no spec at all.
/// - empty dropped: ExportedServices `services: []` in the kustomize bases
///   `exportedservices-default`, `exportedservices-secondary` and
///   `sameness/exportedservices-ap1` (their `*_patch.yaml` fill them in).
const EXPECTED: &[(&str, usize, usize, usize)] = &[
    ("ControlPlaneRequestLimit", 1, 0, 0),
    ("ExportedServices", 19, 0, 3),
    ("GatewayClassConfig", 7, 0, 0),
    ("GatewayPolicy", 4, 0, 0),
    ("IngressGateway", 1, 0, 0),
    ("JWTProvider", 3, 0, 0),
    ("Mesh", 4, 0, 0),
    ("MeshService", 5, 0, 0),
    ("PeeringAcceptor", 10, 0, 0),
    ("PeeringDialer", 6, 0, 0),
    ("ProxyDefaults", 10, 0, 0),
    ("RateLimit", 1, 0, 0),
    ("Registration", 3, 0, 0),
    ("RouteAuthFilter", 9, 0, 0),
    ("RouteExtProc", 2, 0, 0),
    ("RouteRetryFilter", 2, 0, 0),
    ("RouteTimeoutFilter", 2, 0, 0),
    ("SamenessGroup", 4, 0, 0),
    ("ServiceDefaults", 59, 1, 0),
    ("ServiceIntentions", 58, 0, 0),
    ("ServiceResolver", 9, 1, 0),
    ("ServiceRouter", 2, 0, 0),
    ("ServiceSplitter", 2, 0, 0),
    ("TerminatingGateway", 7, 0, 0),
];

#[derive(Debug, Default)]
struct Tally {
    documents: usize,
    passed: usize,
    spec_added: usize,
    empty_dropped: usize,
    expected_failures: usize,
}

#[test]
fn corpus_round_trip() {
    let shared = match require_shared() {
        Ok(s) => s,
        Err(why) if !in_ci() => {
            eprintln!("skipping: {why}");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    let docs = read_documents(&shared.join("corpus/consul")).unwrap();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    for doc in &docs {
        let Some((api_version, kind)) = type_of(&doc.value) else {
            continue;
        };
        if api_version != "consul.hashicorp.com/v1alpha1" {
            continue;
        }
        let Some(outcome) = round_trip_kind(kind, &doc.value) else {
            continue;
        };
        let file = doc.path.file_name().unwrap().to_string_lossy().into_owned();
        let expected_failure = EXPECTED_FAILURES
            .iter()
            .find(|(f, i, _)| file.ends_with(f) && *i == doc.index);
        let t = tallies.entry(kind.to_owned()).or_default();
        t.documents += 1;
        match (outcome, expected_failure) {
            (Outcome::Passed(n), None) => {
                t.passed += 1;
                t.spec_added += usize::from(n.contains(&Normalization::SpecAdded));
                t.empty_dropped += usize::from(n.contains(&Normalization::EmptyDropped));
            }
            (Outcome::Failed(_), Some(_)) => t.expected_failures += 1,
            (Outcome::Passed(_), Some((_, _, why))) => {
                failures.push(format!("{file}:{}: expected to fail ({why})", doc.index))
            }
            (Outcome::Failed(e), None) => {
                failures.push(format!("{file}:{} {kind}: {e}", doc.index))
            }
        }
    }
    for (kind, t) in &tallies {
        eprintln!("{kind}: {t:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let got: Vec<_> = tallies
        .iter()
        .map(|(k, t)| (k.as_str(), t.documents, t.spec_added, t.empty_dropped))
        .collect();
    assert_eq!(got, EXPECTED);
}

// === typed scenarios, validated by crd-validate ===

fn limits() -> UpstreamLimits {
    UpstreamLimits {
        max_connections: Some(100),
        max_pending_requests: Some(50),
        max_concurrent_requests: Some(200),
    }
}

fn health_check() -> PassiveHealthCheck {
    PassiveHealthCheck {
        interval: Some(dur("10s")),
        max_failures: Some(5),
        enforcing_consecutive_5xx: Some(100),
        max_ejection_percent: Some(50),
        base_ejection_time: Some(dur("30s")),
    }
}

fn jwt_requirement() -> JwtRequirement {
    JwtRequirement {
        providers: vec![JwtProviderRef {
            name: "okta".into(),
            verify_claims: vec![JwtClaim {
                path: vec!["perms".into(), "role".into()],
                value: "admin".into(),
            }],
        }],
    }
}

fn service_defaults() -> ServiceDefaults {
    ServiceDefaults::new(
        "backend",
        Some("default"),
        ServiceDefaultsSpec {
            protocol: Some(Protocol::Http),
            mutual_tls_mode: Some(MutualTlsMode::Strict),
            mesh_gateway: Some(MeshGateway {
                mode: Some(MeshGatewayMode::Local),
            }),
            upstream_config: Some(Upstreams {
                defaults: Some(UpstreamConfig {
                    connect_timeout_ms: Some(5000),
                    limits: Some(limits()),
                    passive_health_check: Some(health_check()),
                    ..Default::default()
                }),
                overrides: vec![UpstreamConfig {
                    name: Some("payments".into()),
                    protocol: Some(Protocol::Grpc),
                    limits: Some(UpstreamLimits {
                        max_connections: Some(10),
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
            }),
            rate_limits: Some(RateLimits {
                instance_level: Some(InstanceLevelRateLimits {
                    requests_per_second: Some(100),
                    requests_max_burst: Some(200),
                    routes: vec![
                        RouteRateLimit {
                            path: PathMatch::Prefix("/api".into()),
                            requests_per_second: Some(50),
                            requests_max_burst: None,
                        },
                        RouteRateLimit {
                            path: PathMatch::Exact("/login".into()),
                            requests_per_second: Some(5),
                            requests_max_burst: Some(10),
                        },
                    ],
                }),
            }),
            local_request_timeout_ms: Some(30000),
            balance_inbound_connections: Some(BalanceInboundConnections::ExactBalance),
            ..Default::default()
        },
    )
}

fn service_resolver() -> ServiceResolver {
    let subset = |v: &str| Subset {
        filter: Some(format!("Service.Meta.version == {v}")),
        only_passing: Some(true),
    };
    ServiceResolver::new(
        "backend",
        Some("default"),
        ServiceResolverSpec {
            default_subset: Some("v1".into()),
            subsets: BTreeMap::from([("v1".into(), subset("v1")), ("v2".into(), subset("v2"))]),
            connect_timeout: Some(dur("5s")),
            request_timeout: Some(dur("30s")),
            failover: BTreeMap::from([(
                "*".into(),
                Failover {
                    targets: vec![FailoverTarget {
                        datacenter: Some("dc2".into()),
                        ..Default::default()
                    }],
                    policy: Some(FailoverPolicy {
                        mode: Some(FailoverMode::Sequential),
                        regions: vec![],
                    }),
                    ..Default::default()
                },
            )]),
            load_balancer: Some(LoadBalancer {
                policy: Some(LoadBalancerPolicy::RingHash),
                ring_hash_config: Some(RingHashConfig {
                    minimum_ring_size: Some(1024),
                    maximum_ring_size: Some(8192),
                }),
                least_request_config: None,
                hash_policies: vec![
                    HashPolicy {
                        on: HashOn::Cookie {
                            name: "session".into(),
                            config: Some(CookieConfig {
                                ttl: Some(dur("1h")),
                                path: Some("/".into()),
                                session: None,
                            }),
                        },
                        terminal: Some(true),
                    },
                    HashPolicy {
                        on: HashOn::SourceIp,
                        terminal: None,
                    },
                ],
            }),
            ..Default::default()
        },
    )
}

fn service_router() -> ServiceRouter {
    ServiceRouter::new(
        "backend",
        Some("default"),
        ServiceRouterSpec {
            routes: vec![
                Route {
                    match_: Some(RouteMatch {
                        http: Some(RouteHttpMatch {
                            path: Some(PathMatch::Prefix("/api/v2".into())),
                            header: vec![RouteHeaderMatch {
                                name: "x-canary".into(),
                                condition: HeaderCondition::Exact("true".into()),
                                invert: None,
                            }],
                            query_param: vec![QueryParamMatch {
                                name: "version".into(),
                                condition: QueryCondition::Exact("2".into()),
                            }],
                            methods: vec![HttpMethod::Get, HttpMethod::Post],
                            ..Default::default()
                        }),
                    }),
                    destination: Some(RouteDestination {
                        service_subset: Some("v2".into()),
                        prefix_rewrite: Some("/api".into()),
                        num_retries: Some(3),
                        retry_on: vec![RetryOn::FiveXx, RetryOn::GatewayError, RetryOn::Reset],
                        retry_on_status_codes: vec![503, 504],
                        retry_on_connect_failure: Some(true),
                        request_timeout: Some(dur("10s")),
                        idle_timeout: Some(dur("1m")),
                        request_headers: Some(HeaderModifiers {
                            set: BTreeMap::from([("x-route".into(), "v2".into())]),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                },
                Route {
                    match_: Some(RouteMatch {
                        http: Some(RouteHttpMatch {
                            path: Some(PathMatch::Regex("/users/[0-9]+".into())),
                            case_insensitive: None,
                            header: vec![RouteHeaderMatch {
                                name: "x-debug".into(),
                                condition: HeaderCondition::Present,
                                invert: Some(true),
                            }],
                            query_param: vec![QueryParamMatch {
                                name: "trace".into(),
                                condition: QueryCondition::Present,
                            }],
                            methods: vec![],
                        }),
                    }),
                    destination: Some(RouteDestination {
                        service: Some("users".into()),
                        ..Default::default()
                    }),
                },
            ],
        },
    )
}

fn service_splitter() -> ServiceSplitter {
    let split = |weight, subset: &str| Split {
        weight,
        service_subset: Some(subset.into()),
        ..Default::default()
    };
    ServiceSplitter::new(
        "backend",
        Some("default"),
        ServiceSplitterSpec {
            splits: vec![split(90.0, "v1"), split(10.0, "v2")],
        },
    )
}

fn service_intentions() -> ServiceIntentions {
    let source = |name: &str, rule| IntentionSource {
        name: name.into(),
        namespace: None,
        partition: None,
        peer: None,
        sameness_group: None,
        description: None,
        rule,
    };
    ServiceIntentions::new(
        "backend",
        Some("default"),
        ServiceIntentionsSpec {
            destination: Some(IntentionDestination {
                name: Some("backend".into()),
                namespace: None,
            }),
            sources: vec![
                source("frontend", SourceRule::Action(IntentionAction::Allow)),
                source("legacy", SourceRule::Action(IntentionAction::Deny)),
                source(
                    "web",
                    SourceRule::Permissions(vec![
                        IntentionPermission {
                            action: IntentionAction::Allow,
                            http: Some(IntentionHttpMatch {
                                path: Some(PathMatch::Prefix("/api".into())),
                                header: vec![IntentionHeaderMatch {
                                    name: "x-tenant".into(),
                                    condition: HeaderCondition::Contains("acme".into()),
                                    invert: None,
                                    ignore_case: Some(true),
                                }],
                                methods: vec![HttpMethod::Get],
                            }),
                            jwt: Some(jwt_requirement()),
                        },
                        IntentionPermission {
                            action: IntentionAction::Deny,
                            http: Some(IntentionHttpMatch {
                                path: Some(PathMatch::Regex("/admin/.*".into())),
                                ..Default::default()
                            }),
                            jwt: None,
                        },
                    ]),
                ),
            ],
            jwt: Some(jwt_requirement()),
        },
    )
}

fn proxy_defaults() -> ProxyDefaults {
    let config = json!({
        "protocol": "http",
        "envoy_prometheus_bind_addr": "0.0.0.0:9102",
        "envoy_tracing_json": "{\"http\":{\"name\":\"envoy.tracers.zipkin\",\"typedConfig\":{\"@type\":\"type.googleapis.com/envoy.config.trace.v3.ZipkinConfig\",\"collector_cluster\":\"jaeger\",\"collector_endpoint_version\":\"HTTP_JSON\",\"collector_endpoint\":\"/api/v2/spans\"}}}",
        "envoy_extra_static_clusters_json": "{\"name\":\"jaeger\",\"type\":\"STRICT_DNS\",\"connect_timeout\":\"5s\"}"
    });
    ProxyDefaults::new(
        PROXY_DEFAULTS_NAME,
        Some("default"),
        ProxyDefaultsSpec {
            config: config.as_object().cloned(),
            mesh_gateway: Some(MeshGateway {
                mode: Some(MeshGatewayMode::Local),
            }),
            access_logs: Some(AccessLogs {
                enabled: Some(true),
                disable_listener_logs: Some(false),
                type_: Some(LogSinkType::File),
                path: Some("/var/log/envoy/access.log".into()),
                format: Some(AccessLogFormat::Json(
                    "{\"start\":\"%START_TIME%\",\"status\":\"%RESPONSE_CODE%\"}".into(),
                )),
            }),
            expose: Some(Expose {
                checks: Some(true),
                paths: vec![ExposePath {
                    listener_port: Some(21500),
                    path: Some("/metrics".into()),
                    local_path_port: Some(9102),
                    protocol: Some(ExposeProtocol::Http),
                }],
            }),
            ..Default::default()
        },
    )
}

fn mesh() -> Mesh {
    Mesh::new(
        MESH_NAME,
        Some("default"),
        MeshSpec {
            allow_enabling_permissive_mutual_tls: Some(true),
            transparent_proxy: Some(MeshTransparentProxy {
                mesh_destinations_only: Some(true),
            }),
            tls: Some(MeshTls {
                incoming: Some(TlsParams {
                    tls_min_version: Some(TlsVersion::V1_2),
                    tls_max_version: Some(TlsVersion::V1_3),
                    cipher_suites: vec!["ECDHE-ECDSA-AES128-GCM-SHA256".into()],
                }),
                outgoing: None,
            }),
            http: Some(MeshHttp {
                sanitize_x_forwarded_client_cert: Some(true),
                incoming: Some(MeshHttpIncoming {
                    request_normalization: Some(RequestNormalization {
                        merge_slashes: Some(true),
                        path_with_escaped_slashes_action: Some(
                            EscapedSlashesAction::UnescapeAndForward,
                        ),
                        headers_with_underscores_action: Some(UnderscoresAction::RejectRequest),
                        insecure_disable_path_normalization: Some(false),
                    }),
                }),
            }),
            peering: Some(MeshPeering {
                peer_through_mesh_gateways: Some(true),
            }),
            validate_clusters: Some(true),
        },
    )
}

fn ingress_gateway() -> IngressGateway {
    IngressGateway::new(
        "ingress-gateway",
        Some("default"),
        IngressGatewaySpec {
            tls: Some(GatewayTls {
                enabled: true,
                tls_min_version: Some(TlsVersion::V1_2),
                ..Default::default()
            }),
            listeners: vec![
                IngressListener {
                    port: NonZeroU16::new(8080).unwrap(),
                    protocol: Some(Protocol::Http),
                    services: vec![IngressService {
                        name: "frontend".into(),
                        hosts: vec!["shop.example.com".into()],
                        request_headers: Some(HeaderModifiers {
                            add: BTreeMap::from([("x-via".into(), "ingress".into())]),
                            ..Default::default()
                        }),
                        max_connections: Some(1000),
                        passive_health_check: Some(health_check()),
                        ..Default::default()
                    }],
                    tls: None,
                },
                IngressListener {
                    port: NonZeroU16::new(5432).unwrap(),
                    protocol: Some(Protocol::Tcp),
                    services: vec![IngressService {
                        name: "db".into(),
                        ..Default::default()
                    }],
                    tls: Some(GatewayTls {
                        enabled: false,
                        ..Default::default()
                    }),
                },
            ],
            defaults: Some(IngressDefaults {
                max_connections: Some(512),
                max_pending_requests: Some(64),
                max_concurrent_requests: Some(256),
                passive_health_check: Some(health_check()),
            }),
        },
    )
}

fn terminating_gateway() -> TerminatingGateway {
    use k8s_openapi::api::core::v1::Toleration;
    TerminatingGateway::new(
        "terminating-gateway",
        Some("default"),
        TerminatingGatewaySpec {
            services: vec![
                LinkedService {
                    name: "external-api".into(),
                    ca_file: Some("/etc/ssl/certs/ca.pem".into()),
                    sni: Some("api.example.com".into()),
                    ..Default::default()
                },
                LinkedService {
                    name: "billing".into(),
                    secret_ref: Some(SecretRef {
                        name: "billing-tls".into(),
                    }),
                    ..Default::default()
                },
            ],
            deployment: Some(GatewayDeployment {
                replicas: Some(std::num::NonZeroU32::new(2).unwrap()),
                tolerations: vec![Toleration {
                    key: Some("dedicated".into()),
                    operator: Some("Exists".into()),
                    ..Default::default()
                }],
                extra_volumes: vec![ExtraVolume {
                    name: "billing-tls".into(),
                    type_: VolumeType::Secret,
                    items: vec![KeyToPath {
                        key: "tls.crt".into(),
                        path: "tls.crt".into(),
                    }],
                    load: Some(true),
                }],
                ..Default::default()
            }),
        },
    )
}

fn jwt_provider() -> JwtProvider {
    JwtProvider::new(
        "okta",
        Some("default"),
        JwtProviderSpec {
            issuer: Some("https://example.okta.com".into()),
            audiences: vec!["backend".into()],
            json_web_key_set: Some(JsonWebKeySet::Remote(RemoteJwks {
                uri: "https://example.okta.com/oauth2/v1/keys".into(),
                request_timeout_ms: Some(1500),
                cache_duration: Some(dur("5m")),
                fetch_asynchronously: Some(true),
                use_sni: Some(true),
                retry_policy: Some(JwksRetryPolicy {
                    num_retries: Some(3),
                    retry_policy_back_off: Some(RetryBackOff {
                        base_interval: Some(dur("1s")),
                        max_interval: Some(dur("10s")),
                    }),
                }),
                jwks_cluster: Some(JwksCluster {
                    discovery_type: Some(DiscoveryType::StrictDns),
                    tls_certificates: Some(JwksTlsCertificates::TrustedCa(DataSource::Filename(
                        "/etc/ssl/certs/ca.pem".into(),
                    ))),
                    connect_timeout: Some(dur("5s")),
                }),
            })),
            locations: vec![
                JwtLocation::Header(JwtHeader {
                    name: "Authorization".into(),
                    value_prefix: Some("Bearer ".into()),
                    forward: Some(true),
                }),
                JwtLocation::QueryParam(NamedLocation {
                    name: "access_token".into(),
                }),
                JwtLocation::Cookie(NamedLocation { name: "jwt".into() }),
            ],
            forwarding: Some(JwtForwarding {
                header_name: Some("x-jwt-payload".into()),
                pad_forward_payload_header: Some(false),
            }),
            clock_skew_seconds: Some(30),
            cache_config: Some(JwtCacheConfig { size: Some(100) }),
        },
    )
}

fn others() -> (ExportedServices, SamenessGroup, ControlPlaneRequestLimit) {
    let exported = ExportedServices::new(
        "default",
        Some("default"),
        ExportedServicesSpec {
            services: vec![ExportedService {
                name: "backend".into(),
                namespace: None,
                consumers: vec![
                    ServiceConsumer::Peer("dc2".into()),
                    ServiceConsumer::SamenessGroup("group-1".into()),
                ],
            }],
        },
    );
    let sameness = SamenessGroup::new(
        "group-1",
        Some("default"),
        SamenessGroupSpec {
            default_for_failover: Some(true),
            include_local: Some(true),
            members: vec![SamenessMember::Peer("dc2".into())],
        },
    );
    let rates = || RequestRates {
        read_rate: Some(100.0),
        write_rate: Some(10.5),
    };
    let limit = ControlPlaneRequestLimit::new(
        "limits",
        Some("default"),
        ControlPlaneRequestLimitSpec {
            mode: Some(RequestLimitMode::Enforcing),
            read_rate: Some(500.0),
            write_rate: Some(50.0),
            kv: Some(rates()),
            connect_ca: Some(rates()),
            ..Default::default()
        },
    );
    (exported, sameness, limit)
}

fn gateway_kinds() -> (
    GatewayClassConfig,
    GatewayPolicy,
    RouteAuthFilter,
    RouteRetryFilter,
    RouteTimeoutFilter,
) {
    use k8s_openapi::api::core::v1::ResourceRequirements;
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    let class = GatewayClassConfig::new(
        "consul-api-gateway",
        None,
        GatewayClassConfigSpec {
            deployment: Some(GatewayClassDeployment {
                default_instances: std::num::NonZeroU32::new(2),
                min_instances: std::num::NonZeroU32::new(1),
                max_instances: std::num::NonZeroU32::new(4),
                resources: Some(ResourceRequirements {
                    requests: Some(BTreeMap::from([(
                        "cpu".to_owned(),
                        Quantity("100m".into()),
                    )])),
                    ..Default::default()
                }),
            }),
            service_type: Some(ServiceType::LoadBalancer),
            copy_annotations: Some(CopyAnnotations {
                service: vec!["external-dns.alpha.kubernetes.io/hostname".into()],
            }),
            map_privileged_container_ports: Some(8000),
            metrics: Some(GatewayMetrics {
                enabled: Some(true),
                path: Some("/metrics".into()),
                port: NonZeroU16::new(20200),
            }),
            ..Default::default()
        },
    );
    let policy = GatewayPolicy::new(
        "jwt",
        Some("default"),
        GatewayPolicySpec {
            target_ref: PolicyTargetReference {
                group: "gateway.networking.k8s.io".into(),
                kind: "Gateway".into(),
                name: "api-gateway".into(),
                namespace: None,
                section_name: Some("https".into()),
            },
            default: Some(GatewayPolicyConfig {
                jwt: Some(jwt_requirement()),
            }),
            override_: None,
        },
    );
    let auth = RouteAuthFilter::new(
        "auth",
        Some("default"),
        RouteAuthFilterSpec {
            jwt: Some(jwt_requirement()),
            ext_authz: Some(ExtAuthzOverride { enabled: false }),
        },
    );
    let retry = RouteRetryFilter::new(
        "retry",
        Some("default"),
        RouteRetryFilterSpec {
            num_retries: Some(3),
            retry_on: vec![RetryOn::Reset, RetryOn::Unavailable],
            retry_on_status_codes: vec![503],
            retry_on_connect_failure: Some(true),
        },
    );
    let timeout = RouteTimeoutFilter::new(
        "timeout",
        Some("default"),
        RouteTimeoutFilterSpec {
            request_timeout: Some(dur("30s")),
            idle_timeout: Some(dur("5m")),
        },
    );
    (class, policy, auth, retry, timeout)
}

/// The remaining kinds, as one YAML stream and as typed round trips.
fn remaining_kinds(yaml: &mut String, check: bool) {
    let peer = |name: &str| Peer {
        secret: Some(PeeringSecret {
            name: Some(name.into()),
            key: Some("data".into()),
            backend: Some(SecretBackend::Kubernetes),
        }),
    };
    let acceptor = PeeringAcceptor::new(
        "dc2",
        Some("default"),
        PeeringAcceptorSpec {
            peer: peer("peering-token-dc2"),
        },
    );
    let dialer = PeeringDialer::new(
        "dc1",
        Some("default"),
        PeeringDialerSpec {
            peer: peer("peering-token-dc1"),
        },
    );
    let mesh_service = MeshService::new(
        "payments",
        Some("default"),
        MeshServiceSpec {
            name: Some("payments".into()),
            peer: Some("dc2".into()),
        },
    );
    let rate_limit = RateLimit::new(
        "global",
        None,
        RateLimitSpec {
            config: GlobalRateLimit {
                read_rate: Some(1000.0),
                write_rate: Some(100.0),
                priority: Some(true),
                exclude_endpoints: vec!["Health.Check".into()],
            },
        },
    );
    let registration = Registration::new(
        "external-db",
        None,
        RegistrationSpec {
            node: Some("external".into()),
            address: Some("db.example.com".into()),
            datacenter: Some("dc1".into()),
            node_meta: BTreeMap::from([("external-node".into(), "true".into())]),
            service: Some(RegisteredService {
                name: "db".into(),
                port: 5432,
                id: Some("db-1".into()),
                meta: BTreeMap::from([("version".into(), "v1".into())]),
                weights: Some(Weights {
                    passing: 10,
                    warning: 1,
                }),
                ..Default::default()
            }),
            check: Some(HealthCheck {
                check_id: "db-tcp".into(),
                name: "db tcp".into(),
                service_id: "db-1".into(),
                service_name: "db".into(),
                status: HealthStatus::Passing,
                definition: HealthCheckDefinition {
                    interval_duration: dur("10s"),
                    timeout_duration: Some(dur("2s")),
                    deregister_critical_service_after_duration: Some(dur("5m")),
                    http: None,
                    method: None,
                    body: None,
                    header: BTreeMap::new(),
                    tcp: Some("db.example.com:5432".into()),
                    tcp_use_tls: Some(false),
                    udp: None,
                    grpc: None,
                    grpc_use_tls: None,
                    os_service: None,
                    tls_server_name: None,
                    tls_skip_verify: None,
                },
                node: Some("external".into()),
                type_: Some("tcp".into()),
                notes: None,
                output: None,
                exposed_port: None,
                namespace: None,
                partition: None,
            }),
            ..Default::default()
        },
    );
    let direction = ExtProcDirection {
        headers_mode: Some(SendMode::Send),
        body_mode: Some(BodyMode::BufferedPartial),
        trailers_mode: Some(SendMode::Skip),
        max_body_bytes: Some(65536),
    };
    let ext_proc = RouteExtProc::new(
        "ext-proc",
        Some("default"),
        RouteExtProcSpec {
            mode: ExtProcMode::Override,
            stat_prefix: Some("authz".into()),
            overrides: Some(ExtProcOverrides {
                processing: Some(ExtProcProcessing {
                    request: Some(direction.clone()),
                    response: Some(direction),
                }),
            }),
        },
    );
    let sds = RouteTlsSdsFilter::new(
        "sds",
        Some("default"),
        RouteTlsSdsFilterSpec {
            sds: Some(Sds {
                cluster_name: Some("sds-cluster".into()),
                cert_resource: Some("example.com-cert".into()),
            }),
        },
    );
    to_yaml(yaml, &acceptor);
    to_yaml(yaml, &dialer);
    to_yaml(yaml, &mesh_service);
    to_yaml(yaml, &rate_limit);
    to_yaml(yaml, &registration);
    to_yaml(yaml, &ext_proc);
    to_yaml(yaml, &sds);
    if check {
        typed_round_trip(acceptor);
        typed_round_trip(dialer);
        typed_round_trip(mesh_service);
        typed_round_trip(rate_limit);
        typed_round_trip(registration);
        typed_round_trip(ext_proc);
        typed_round_trip(sds);
    }
}

fn to_yaml<T: serde::Serialize>(docs: &mut String, v: &T) {
    docs.push_str("---\n");
    docs.push_str(&serde_yaml::to_string(v).unwrap());
}

#[test]
fn scenarios_validate() {
    let mut yaml = String::new();
    to_yaml(&mut yaml, &service_defaults());
    to_yaml(&mut yaml, &service_resolver());
    to_yaml(&mut yaml, &service_router());
    to_yaml(&mut yaml, &service_splitter());
    to_yaml(&mut yaml, &service_intentions());
    to_yaml(&mut yaml, &proxy_defaults());
    to_yaml(&mut yaml, &mesh());
    to_yaml(&mut yaml, &ingress_gateway());
    to_yaml(&mut yaml, &terminating_gateway());
    to_yaml(&mut yaml, &jwt_provider());
    let (exported, sameness, limit) = others();
    to_yaml(&mut yaml, &exported);
    to_yaml(&mut yaml, &sameness);
    to_yaml(&mut yaml, &limit);
    let (class, policy, auth, retry, timeout) = gateway_kinds();
    to_yaml(&mut yaml, &class);
    to_yaml(&mut yaml, &policy);
    to_yaml(&mut yaml, &auth);
    to_yaml(&mut yaml, &retry);
    to_yaml(&mut yaml, &timeout);
    remaining_kinds(&mut yaml, false);

    assert!(service_splitter().spec.weights_valid());

    match crd_validate(&yaml) {
        Ok(report) => {
            assert!(report.passed, "{}\n{yaml}", report.output);
            let docs = yaml.matches("---\n").count();
            assert_eq!(docs, 25);
            assert!(
                report.output.contains(&format!("{docs} passed, 0 failed")),
                "{}",
                report.output
            );
        }
        Err(why) if !in_ci() => eprintln!("skipping crd-validate: {why}"),
        Err(why) => panic!("{why}"),
    }
}

/// Typed -> JSON -> typed and typed -> YAML -> typed give the same value.
fn typed_round_trip<S: Kind>(obj: Object<S>) {
    let v = serde_json::to_value(&obj).unwrap();
    let back: Object<S> = serde_json::from_value(v).unwrap();
    assert_eq!(back, obj, "{} via JSON", S::KIND);
    let yaml = serde_yaml::to_string(&obj).unwrap();
    assert!(!yaml.contains('!'), "{} YAML has a tag:\n{yaml}", S::KIND);
    let back: Object<S> = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, obj, "{} via YAML", S::KIND);
}

/// The scenarios read back to the same typed values, through JSON and
/// through YAML (the Repr conversions are lossless, one-of objects are maps
/// and not YAML tags).
#[test]
fn scenarios_round_trip() {
    typed_round_trip(service_defaults());
    typed_round_trip(service_resolver());
    typed_round_trip(service_router());
    typed_round_trip(service_splitter());
    typed_round_trip(service_intentions());
    typed_round_trip(proxy_defaults());
    typed_round_trip(mesh());
    typed_round_trip(ingress_gateway());
    typed_round_trip(terminating_gateway());
    typed_round_trip(jwt_provider());
    let (exported, sameness, limit) = others();
    typed_round_trip(exported);
    typed_round_trip(sameness);
    typed_round_trip(limit);
    let (class, policy, auth, retry, timeout) = gateway_kinds();
    typed_round_trip(class);
    typed_round_trip(policy);
    typed_round_trip(auth);
    typed_round_trip(retry);
    typed_round_trip(timeout);
    remaining_kinds(&mut String::new(), true);
}

// === structural rules: oneOfs and closed sets ===

/// Wraps a spec into a full document of the kind.
fn doc(kind: &str, spec: Value) -> Value {
    json!({
        "apiVersion": "consul.hashicorp.com/v1alpha1",
        "kind": kind,
        "metadata": {"name": "x", "namespace": "default"},
        "spec": spec,
    })
}

#[test]
fn rejects_what_consul_rejects() {
    let table: &[(&str, &str, Value, &str)] = &[
        (
            "hash policy on a field and the source IP",
            "ServiceResolver",
            json!({"loadBalancer": {"hashPolicies": [{"field": "header", "fieldValue": "x", "sourceIP": true}]}}),
            "exactly one of field with fieldValue, sourceIP",
        ),
        (
            "hash policy field without a value",
            "ServiceResolver",
            json!({"loadBalancer": {"hashPolicies": [{"field": "cookie"}]}}),
            "exactly one",
        ),
        (
            "cookie config on a header hash",
            "ServiceResolver",
            json!({"loadBalancer": {"hashPolicies": [{"field": "header", "fieldValue": "x", "cookieConfig": {"session": true}}]}}),
            "cookieConfig is not allowed",
        ),
        (
            "unknown load-balancer policy",
            "ServiceResolver",
            json!({"loadBalancer": {"policy": "least_conn"}}),
            "unknown variant",
        ),
        (
            "unknown failover mode",
            "ServiceResolver",
            json!({"failover": {"*": {"policy": {"mode": "random"}}}}),
            "unknown variant",
        ),
        (
            "source with both action and permissions",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "action": "allow", "permissions": [{"action": "deny"}]}]}),
            "exactly one of action, permissions",
        ),
        (
            "source with neither action nor permissions",
            "ServiceIntentions",
            json!({"sources": [{"name": "a"}]}),
            "exactly one of action, permissions",
        ),
        (
            "intention action outside allow/deny",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "action": "permit"}]}),
            "unknown variant",
        ),
        (
            "permission with two path matches",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "permissions": [{"action": "allow", "http": {"pathExact": "/a", "pathPrefix": "/"}}]}]}),
            "at most one of pathExact, pathPrefix, pathRegex",
        ),
        (
            "permission header with two conditions",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "permissions": [{"action": "allow", "http": {"header": [{"name": "h", "exact": "1", "prefix": "2"}]}}]}]}),
            "exactly one of present, exact, prefix, suffix, contains, regex",
        ),
        (
            "permission header with no condition",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "permissions": [{"action": "allow", "http": {"header": [{"name": "h"}]}}]}]}),
            "exactly one",
        ),
        (
            "invalid HTTP method",
            "ServiceIntentions",
            json!({"sources": [{"name": "a", "permissions": [{"action": "allow", "http": {"methods": ["FETCH"]}}]}]}),
            "unknown variant",
        ),
        (
            "router header match with contains",
            "ServiceRouter",
            json!({"routes": [{"match": {"http": {"header": [{"name": "h", "contains": "x"}]}}}]}),
            "unknown field `contains`",
        ),
        (
            "router query match with two conditions",
            "ServiceRouter",
            json!({"routes": [{"match": {"http": {"queryParam": [{"name": "q", "exact": "1", "regex": "."}]}}}]}),
            "exactly one of present, exact, regex",
        ),
        (
            "router with two path matches",
            "ServiceRouter",
            json!({"routes": [{"match": {"http": {"pathPrefix": "/", "pathRegex": ".*"}}}]}),
            "at most one",
        ),
        (
            "unknown retry condition",
            "ServiceRouter",
            json!({"routes": [{"destination": {"retryOn": ["timeout"]}}]}),
            "unknown variant",
        ),
        (
            "bad duration",
            "ServiceRouter",
            json!({"routes": [{"destination": {"requestTimeout": "ten seconds"}}]}),
            "not a valid duration",
        ),
        (
            "rate-limit route without a path",
            "ServiceDefaults",
            json!({"rateLimits": {"instanceLevel": {"routes": [{"requestsPerSecond": 1}]}}}),
            "exactly one of pathExact, pathPrefix, pathRegex",
        ),
        (
            "protocol outside tcp/http/http2/grpc",
            "ServiceDefaults",
            json!({"protocol": "HTTP"}),
            "unknown variant",
        ),
        (
            "mesh gateway mode outside none/local/remote",
            "ServiceDefaults",
            json!({"meshGateway": {"mode": "global"}}),
            "unknown variant",
        ),
        (
            "mutual TLS mode outside strict/permissive",
            "ServiceDefaults",
            json!({"mutualTLSMode": "optional"}),
            "unknown variant",
        ),
        (
            "camelCase instead of the wire's TLS acronym",
            "ServiceDefaults",
            json!({"mutualTlsMode": "strict"}),
            "unknown field `mutualTlsMode`",
        ),
        (
            "destination port 0",
            "ServiceDefaults",
            json!({"destination": {"addresses": ["a.example"], "port": 0}}),
            "nonzero",
        ),
        (
            "access logs with both formats",
            "ProxyDefaults",
            json!({"accessLogs": {"jsonFormat": "{}", "textFormat": "%START_TIME%"}}),
            "at most one of jsonFormat, textFormat",
        ),
        (
            "sameness member with partition and peer",
            "SamenessGroup",
            json!({"members": [{"partition": "a", "peer": "b"}]}),
            "SamenessMember: set exactly one of partition peer",
        ),
        (
            "consumer with nothing",
            "ExportedServices",
            json!({"services": [{"name": "a", "consumers": [{}]}]}),
            "exactly one of partition peer samenessGroup",
        ),
        (
            "JWT location with header and cookie",
            "JWTProvider",
            json!({"locations": [{"header": {"name": "a"}, "cookie": {"name": "b"}}]}),
            "JwtLocation: set exactly one",
        ),
        (
            "JWKS both local and remote",
            "JWTProvider",
            json!({"jsonWebKeySet": {"local": {"filename": "f"}, "remote": {"uri": "https://x"}}}),
            "JsonWebKeySet: set exactly one",
        ),
        (
            "local JWKS with an unknown source",
            "JWTProvider",
            json!({"jsonWebKeySet": {"local": {"path": "f"}}}),
            "unknown field `path`",
        ),
        (
            "ingress TLS without enabled",
            "IngressGateway",
            json!({"tls": {"tlsMinVersion": "TLSv1_2"}}),
            "missing field `enabled`",
        ),
        (
            "TLS version spelled wrong",
            "IngressGateway",
            json!({"tls": {"enabled": true, "tlsMinVersion": "TLSv1.2"}}),
            "unknown variant",
        ),
        (
            "extra volume of an unknown type",
            "TerminatingGateway",
            json!({"deployment": {"extraVolumes": [{"name": "v", "type": "emptyDir"}]}}),
            "unknown variant",
        ),
        (
            "request-limit mode outside disabled/permissive/enforcing",
            "ControlPlaneRequestLimit",
            json!({"mode": "strict"}),
            "unknown variant",
        ),
        (
            "unknown field",
            "Mesh",
            json!({"tls": {"incoming": {"minVersion": "TLSv1_2"}}}),
            "unknown field `minVersion`",
        ),
    ];
    for (case, kind, spec, want) in table {
        let v = doc(kind, spec.clone());
        let err = match round_trip_kind(kind, &v) {
            Some(Outcome::Failed(e)) => e,
            Some(Outcome::Passed(_)) => panic!("{case}: accepted"),
            None => panic!("{case}: unknown kind {kind}"),
        };
        assert!(
            err.contains(want),
            "{case}: {err:?} does not contain {want:?}"
        );
    }
}

#[test]
fn router_header_contains_does_not_serialize() {
    let m = RouteHeaderMatch {
        name: "h".into(),
        condition: HeaderCondition::Contains("x".into()),
        invert: None,
    };
    assert!(serde_json::to_value(&m).is_err());
}

#[test]
fn splitter_weights() {
    let spec = |weights: &[f64]| ServiceSplitterSpec {
        splits: weights
            .iter()
            .map(|&weight| Split {
                weight,
                ..Default::default()
            })
            .collect(),
    };
    let table: &[(&[f64], bool)] = &[
        (&[100.0], true),
        (&[90.0, 10.0], true),
        (&[33.33, 33.33, 33.34], true),
        (&[50.0, 49.99], false),
        (&[110.0, -10.0], false),
        (&[], false),
    ];
    for (weights, valid) in table {
        assert_eq!(spec(weights).weights_valid(), *valid, "{weights:?}");
    }
}

// === every field ===

/// `testdata/every_field.yaml`: per kind, one object with every schema
/// field set (first alternative of each one-of) and one with the other
/// alternatives, statuses included. Each must round-trip unchanged, and the
/// file must be valid for the CRDs.
#[test]
fn every_field_round_trips() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/crds/testdata");
    let docs = read_documents(&dir).unwrap();
    assert_eq!(docs.len(), 50);
    let mut kinds = std::collections::BTreeSet::new();
    for d in &docs {
        let kind = d.value["kind"].as_str().unwrap();
        kinds.insert(kind);
        match round_trip_kind(kind, &d.value) {
            Some(Outcome::Passed(n)) => assert!(n.is_empty(), "{kind} {}: {n:?}", d.index),
            Some(Outcome::Failed(e)) => panic!("{kind} {}: {e}", d.index),
            None => panic!("{kind}: not a typed kind"),
        }
    }
    assert_eq!(kinds.len(), 25);
    let yaml = std::fs::read_to_string(dir.join("every_field.yaml")).unwrap();
    match crd_validate(&yaml) {
        Ok(report) => assert!(
            report.passed && report.output.contains("50 passed, 0 failed"),
            "{}",
            report.output
        ),
        Err(why) if !in_ci() => eprintln!("skipping crd-validate: {why}"),
        Err(why) => panic!("{why}"),
    }
}
