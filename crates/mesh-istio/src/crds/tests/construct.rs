//! Typed objects built in code, serialized as one YAML stream and
//! validated against the CRDs in one `crd_validate` call.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use mesh_k8s::testing;
use mesh_k8s::{Kind, Object, check_kind};

use crate::crds::*;

fn d(text: &str) -> PositiveDuration {
    PositiveDuration::parse(text).expect("duration")
}

fn virtual_service() -> VirtualService {
    let canary = HttpRoute {
        name: Some("canary".into()),
        match_: vec![HttpMatchRequest {
            headers: BTreeMap::from([(
                "x-canary".to_owned(),
                HeaderMatch::Value(StringMatch::exact("true")),
            )]),
            uri: Some(StringMatch::prefix("/api/")),
            ..Default::default()
        }],
        route: vec![HttpRouteDestination::weighted(
            Destination::host("reviews")
                .with_subset("v2")
                .with_port(8080),
            100,
        )],
        timeout: Some(d("10s")),
        retries: Some(HttpRetry {
            attempts: Some(3),
            per_try_timeout: Some(d("2s")),
            retry_on: Some("5xx,reset,connect-failure".into()),
            ..Default::default()
        }),
        fault: Some(HttpFaultInjection {
            delay: Some(Delay {
                delay: Some(DelayKind::Fixed(d("5s"))),
                percent: None,
                percentage: Some(Percentage::new(0.1)),
            }),
            abort: Some(Abort {
                error: Some(AbortError::HttpStatus(503)),
                percentage: Some(Percentage::new(1.0)),
            }),
        }),
        mirror: Some(Destination::host("reviews").with_subset("v3")),
        mirror_percentage: Some(Percentage::new(5.0)),
        headers: Some(Headers {
            request: Some(HeaderOperations {
                set: BTreeMap::from([("x-route".to_owned(), "canary".to_owned())]),
                ..Default::default()
            }),
            response: None,
        }),
        ..Default::default()
    };
    let split = HttpRoute {
        name: Some("split".into()),
        route: vec![
            HttpRouteDestination::weighted(Destination::host("reviews").with_subset("v1"), 90),
            HttpRouteDestination::weighted(Destination::host("reviews").with_subset("v2"), 10),
        ],
        timeout: Some(d("10s")),
        ..Default::default()
    };
    let redirect = HttpRoute {
        match_: vec![HttpMatchRequest {
            uri: Some(StringMatch::exact("/old")),
            ..Default::default()
        }],
        redirect: Some(HttpRedirect {
            uri: Some("/new".into()),
            port: Some(RedirectPort::Derive(DerivePort::FromRequestPort)),
            redirect_code: Some(308),
            ..Default::default()
        }),
        ..Default::default()
    };
    Object::new(
        "reviews",
        Some("bookinfo"),
        VirtualServiceSpec {
            hosts: vec!["reviews".into()],
            http: vec![redirect, canary, split],
            ..Default::default()
        },
    )
}

fn destination_rule() -> DestinationRule {
    let policy = TrafficPolicy {
        load_balancer: Some(LoadBalancerSettings::consistent_hash(ConsistentHash {
            key: Some(HashKey::HttpCookie(HttpCookie {
                name: "user".into(),
                ttl: Some(mesh_k8s::GoDuration::parse("0s").expect("duration")),
                ..Default::default()
            })),
            algorithm: Some(HashAlgorithm::RingHash(RingHash {
                minimum_ring_size: Some(1024),
            })),
            minimum_ring_size: None,
        })),
        connection_pool: Some(ConnectionPoolSettings {
            tcp: Some(TcpSettings {
                max_connections: Some(100),
                connect_timeout: Some(d("3s")),
                ..Default::default()
            }),
            http: Some(HttpSettings {
                http1_max_pending_requests: Some(50),
                max_requests_per_connection: Some(10),
                h2_upgrade_policy: Some(H2UpgradePolicy::Upgrade),
                ..Default::default()
            }),
        }),
        outlier_detection: Some(OutlierDetection {
            consecutive_5xx_errors: Some(5),
            interval: Some(d("30s")),
            base_ejection_time: Some(d("30s")),
            max_ejection_percent: Some(50),
            ..Default::default()
        }),
        tls: Some(ClientTlsSettings {
            mode: Some(ClientTlsMode::IstioMutual),
            ..Default::default()
        }),
        port_level_settings: vec![PortTrafficPolicy {
            port: Some(PortSelector::new(9080)),
            load_balancer: Some(LoadBalancerSettings::simple(SimpleLb::LeastRequest)),
            ..Default::default()
        }],
        ..Default::default()
    };
    let mut v2 = Subset::labelled("v2", "version", "v2");
    v2.traffic_policy = Some(TrafficPolicy {
        load_balancer: Some(LoadBalancerSettings {
            policy: Some(LbPolicy::Simple(SimpleLb::RoundRobin)),
            warmup: Some(Warmup {
                duration: d("60s"),
                minimum_percent: Some(10.0),
                aggression: Some(1.0),
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    Object::new(
        "reviews",
        Some("bookinfo"),
        DestinationRuleSpec {
            host: "reviews".into(),
            traffic_policy: Some(policy),
            subsets: vec![Subset::labelled("v1", "version", "v1"), v2],
            ..Default::default()
        },
    )
}

fn peer_authentication() -> PeerAuthentication {
    Object::new(
        "default",
        Some("bookinfo"),
        PeerAuthenticationSpec {
            mtls: Some(MutualTls::mode(MtlsMode::Strict)),
            ..Default::default()
        },
    )
}

fn peer_authentication_ports() -> PeerAuthentication {
    Object::new(
        "reviews-ports",
        Some("bookinfo"),
        PeerAuthenticationSpec {
            selector: Some(PolicySelector::labels([("app", "reviews")]).expect("labels")),
            mtls: Some(MutualTls::mode(MtlsMode::Strict)),
            port_level_mtls: Some(BTreeMap::from([(
                PortKey::from(PortNumber::new(9090).expect("port")),
                MutualTls::mode(MtlsMode::Permissive),
            )])),
        },
    )
}

fn authorization_policy() -> AuthorizationPolicy {
    Object::new(
        "reviews",
        Some("bookinfo"),
        AuthorizationPolicySpec {
            target: Some(PolicyTarget::Selector(
                PolicySelector::labels([("app", "reviews")]).expect("labels"),
            )),
            action: Some(AuthorizationAction::Allow),
            rules: Some(vec![Rule {
                from: vec![RuleFrom {
                    source: Some(Source {
                        principals: vec!["cluster.local/ns/bookinfo/sa/productpage".into()],
                        ..Default::default()
                    }),
                }],
                to: vec![RuleTo {
                    operation: Some(Operation {
                        methods: vec!["GET".into(), "POST".into()],
                        paths: vec!["/api/*".into()],
                        ..Default::default()
                    }),
                }],
                when: vec![Condition {
                    key: "request.auth.claims[iss]".into(),
                    values: vec!["https://issuer.example.com".into()],
                    not_values: vec![],
                }],
            }]),
        },
    )
}

fn authorization_policy_custom() -> AuthorizationPolicy {
    Object::new(
        "ext-authz",
        Some("bookinfo"),
        AuthorizationPolicySpec {
            target: Some(PolicyTarget::TargetRefs(vec![
                TargetRef::new("gateway.networking.k8s.io", "Gateway", "ingress").expect("ref"),
            ])),
            action: Some(AuthorizationAction::Custom(ExtensionProvider {
                name: Some("oauth2-proxy".into()),
            })),
            rules: Some(vec![Rule::default()]),
        },
    )
}

fn request_authentication() -> RequestAuthentication {
    Object::new(
        "jwt",
        Some("bookinfo"),
        RequestAuthenticationSpec {
            target: Some(PolicyTarget::Selector(
                PolicySelector::labels([("app", "productpage")]).expect("labels"),
            )),
            jwt_rules: vec![JwtRule {
                issuer: Some(NonEmptyString::new("https://issuer.example.com").expect("issuer")),
                audiences: vec![NonEmptyString::new("bookinfo").expect("aud")],
                jwks: Some(Jwks::Uri(
                    JwksUri::new("https://issuer.example.com/.well-known/jwks.json").expect("uri"),
                )),
                from_headers: vec![JwtHeader {
                    name: NonEmptyString::new("x-jwt").expect("header"),
                    prefix: Some("Bearer ".into()),
                }],
                output_claim_to_headers: vec![ClaimToHeader {
                    header: HeaderName::new("x-user").expect("header"),
                    claim: NonEmptyString::new("sub").expect("claim"),
                }],
                timeout: Some(d("5s")),
                ..Default::default()
            }],
        },
    )
}

fn telemetry() -> Telemetry {
    Object::new(
        "mesh-default",
        Some("istio-system"),
        TelemetrySpec {
            target: None,
            tracing: vec![Tracing {
                providers: vec![ProviderRef {
                    name: NonEmptyString::new("zipkin").expect("name"),
                }],
                random_sampling_percentage: Some(10.0),
                custom_tags: BTreeMap::from([(
                    "env".to_owned(),
                    CustomTag::Literal(LiteralTag {
                        value: NonEmptyString::new("prod").expect("value"),
                    }),
                )]),
                ..Default::default()
            }],
            metrics: vec![Metrics {
                providers: vec![ProviderRef {
                    name: NonEmptyString::new("prometheus").expect("name"),
                }],
                overrides: vec![MetricsOverride {
                    match_: Some(MetricSelector {
                        metric: Some(MetricMatch::Metric(IstioMetric::RequestCount)),
                        mode: Some(WorkloadMode::Server),
                    }),
                    tag_overrides: BTreeMap::from([
                        (
                            "request_host".to_owned(),
                            TagOverride::upsert("request.host"),
                        ),
                        ("request_protocol".to_owned(), TagOverride::remove()),
                    ]),
                    ..Default::default()
                }],
                reporting_interval: Some(d("15s")),
            }],
            access_logging: vec![AccessLogging {
                providers: vec![ProviderRef {
                    name: NonEmptyString::new("envoy").expect("name"),
                }],
                filter: Some(AccessLogFilter {
                    expression: Some("response.code >= 400".into()),
                }),
                ..Default::default()
            }],
        },
    )
}

fn gateway() -> Gateway {
    Object::new(
        "bookinfo-gateway",
        Some("bookinfo"),
        GatewaySpec {
            selector: BTreeMap::from([("istio".to_owned(), "ingressgateway".to_owned())]),
            servers: vec![
                Server {
                    port: Port {
                        number: 443,
                        protocol: "HTTPS".into(),
                        name: "https".into(),
                        target_port: None,
                    },
                    hosts: vec!["bookinfo.example.com".into()],
                    tls: Some(ServerTlsSettings {
                        mode: Some(ServerTlsMode::Simple),
                        credential_name: Some("bookinfo-cert".into()),
                        min_protocol_version: Some(TlsProtocolVersion::Tlsv1_2),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                Server {
                    port: Port {
                        number: 80,
                        protocol: "HTTP".into(),
                        name: "http".into(),
                        target_port: None,
                    },
                    hosts: vec!["bookinfo.example.com".into()],
                    tls: Some(ServerTlsSettings {
                        https_redirect: Some(true),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            ],
        },
    )
}

fn service_entry() -> ServiceEntry {
    let port = |n: u16| PortNumber::new(n).expect("port");
    Object::new(
        "external-api",
        Some("bookinfo"),
        ServiceEntrySpec {
            hosts: vec!["api.example.com".into()],
            ports: vec![ServicePort {
                number: port(443),
                protocol: Some("TLS".into()),
                name: "tls".into(),
                target_port: None,
            }],
            location: Some(Location::MeshExternal),
            resolution: Some(Resolution::Static),
            workloads: Some(ServiceEntryWorkloads::Endpoints(vec![WorkloadEntrySpec {
                address: Some(Address::ip(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7)))),
                ports: BTreeMap::from([(PortName::new("tls").expect("name"), port(8443))]),
                labels: BTreeMap::from([("zone".to_owned(), "a".to_owned())]),
                ..Default::default()
            }])),
            ..Default::default()
        },
    )
}

fn sidecar() -> Sidecar {
    Object::new(
        "default",
        Some("bookinfo"),
        SidecarSpec {
            workload_selector: Some(
                WorkloadSelector::labels([("app", "reviews")]).expect("labels"),
            ),
            ingress: vec![IstioIngressListener {
                port: SidecarPort {
                    number: Some(9080),
                    protocol: Some("HTTP".into()),
                    name: Some("http".into()),
                    target_port: None,
                },
                default_endpoint: Some("127.0.0.1:9080".into()),
                connection_pool: Some(ConnectionPoolSettings {
                    http: Some(HttpSettings {
                        idle_timeout: Some(d("30s")),
                        ..Default::default()
                    }),
                    tcp: None,
                }),
                ..Default::default()
            }],
            egress: vec![IstioEgressListener {
                hosts: vec!["./*".into(), "istio-system/*".into()],
                ..Default::default()
            }],
            inbound_connection_pool: None,
            outbound_traffic_policy: Some(OutboundTrafficPolicy {
                mode: Some(OutboundMode::RegistryOnly),
                egress_proxy: None,
            }),
        },
    )
}

fn proxy_config() -> ProxyConfig {
    Object::new(
        "reviews-proxy",
        Some("bookinfo"),
        ProxyConfigSpec {
            selector: Some(PolicySelector::labels([("app", "reviews")]).expect("labels")),
            concurrency: Some(0),
            environment_variables: BTreeMap::from([(
                "ISTIO_META_DNS_CAPTURE".to_owned(),
                "true".to_owned(),
            )]),
            image: Some(ProxyImage {
                image_type: Some("distroless".into()),
            }),
        },
    )
}

fn wasm_plugin() -> WasmPlugin {
    Object::new(
        "basic-auth",
        Some("istio-system"),
        WasmPluginSpec {
            target: Some(PolicyTarget::Selector(
                PolicySelector::labels([("istio", "ingressgateway")]).expect("labels"),
            )),
            url: WasmUrl::new("oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0")
                .expect("url"),
            phase: Some(PluginPhase::Authn),
            fail_strategy: Some(FailStrategy::FailOpen),
            plugin_config: Some(
                serde_json::json!({"basic_auth_rules": [{"prefix": "/api", "request_methods": ["GET"]}]})
                    .as_object()
                    .cloned()
                    .expect("object"),
            ),
            vm_config: Some(VmConfig {
                env: vec![EnvVar {
                    name: NonEmptyString::new("POD_NAME").expect("name"),
                    value: None,
                    value_from: Some(EnvValueSource::Host),
                }],
            }),
            match_: vec![TrafficSelector {
                mode: Some(WasmTrafficMode::Server),
                ports: vec![PortSelector::new(8080)],
            }],
            ..Default::default()
        },
    )
}

fn rate_limit() -> EnvoyFilter {
    let limit = LocalRateLimit::new(
        std::num::NonZeroU32::new(100).expect("tokens"),
        mesh_model::Duration::from_secs(60),
    );
    let selector = WorkloadSelector::labels([("app", "productpage")]).expect("labels");
    Object::new(
        "rate-limit",
        Some("bookinfo"),
        limit.sidecar_inbound(selector).expect("rate limit"),
    )
}

fn yaml<T: serde::Serialize>(out: &mut String, obj: &T) {
    out.push_str("---\n");
    out.push_str(&serde_yaml::to_string(obj).expect("yaml"));
}

/// Every constructed object, as one YAML stream.
fn constructed() -> String {
    let mut out = String::new();
    yaml(&mut out, &virtual_service());
    yaml(
        &mut out,
        &virtual_service().with_version("v1beta1").expect("version"),
    );
    yaml(&mut out, &destination_rule());
    yaml(
        &mut out,
        &destination_rule()
            .with_version("v1alpha3")
            .expect("version"),
    );
    yaml(&mut out, &peer_authentication());
    yaml(&mut out, &peer_authentication_ports());
    yaml(&mut out, &authorization_policy());
    yaml(&mut out, &authorization_policy_custom());
    yaml(&mut out, &request_authentication());
    yaml(&mut out, &telemetry());
    yaml(
        &mut out,
        &telemetry().with_version("v1alpha1").expect("version"),
    );
    yaml(&mut out, &gateway());
    yaml(&mut out, &service_entry());
    yaml(&mut out, &rate_limit());
    yaml(&mut out, &sidecar());
    yaml(&mut out, &proxy_config());
    yaml(&mut out, &wasm_plugin());
    out
}

#[test]
fn constructed_objects_validate() {
    let stream = constructed();
    match testing::crd_validate(&stream) {
        Ok(report) => {
            eprintln!("{}", report.output);
            assert!(report.passed, "{}\n{stream}", report.output);
        }
        Err(why) if !testing::in_ci() && testing::shared_dir().is_none() => {
            eprintln!("skipped: {why}");
        }
        Err(why) => panic!("{why}"),
    }
}

#[test]
fn constructed_objects_round_trip() {
    fn check<S: Kind>(obj: Object<S>) {
        let json = serde_json::to_value(&obj).expect("serialize");
        let back: Object<S> = serde_json::from_value(json).expect("parse");
        assert_eq!(back, obj);
    }
    check(virtual_service());
    check(destination_rule());
    check(peer_authentication_ports());
    check(authorization_policy_custom());
    check(request_authentication());
    check(telemetry());
    check(gateway());
    check(service_entry());
    check(rate_limit());
    check(sidecar());
    check(istio_operator());
    check(proxy_config());
    check(wasm_plugin());
}

/// The seed's "Rate Limiting" EnvoyFilter (shared/seeds/001_*.txt), which
/// the typed helper must reproduce exactly.
const SEED_RATE_LIMIT: &str = r#"
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: rate-limit
  namespace: bookinfo
spec:
  workloadSelector:
    labels:
      app: productpage
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      listener:
        filterChain:
          filter:
            name: "envoy.filters.network.http_connection_manager"
    patch:
      operation: INSERT_BEFORE
      value:
        name: envoy.filters.http.local_ratelimit
        typed_config:
          "@type": type.googleapis.com/udpa.type.v1.TypedStruct
          type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
          value:
            stat_prefix: http_local_rate_limiter
            token_bucket:
              max_tokens: 100
              tokens_per_fill: 100
              fill_interval: 60s
            filter_enabled:
              runtime_key: local_rate_limit_enabled
              default_value:
                numerator: 100
                denominator: HUNDRED
            filter_enforced:
              runtime_key: local_rate_limit_enforced
              default_value:
                numerator: 100
                denominator: HUNDRED
"#;

#[test]
fn rate_limit_helper_matches_seed() {
    let seed: serde_json::Value = serde_yaml::from_str(SEED_RATE_LIMIT).expect("seed");
    let built = serde_json::to_value(rate_limit()).expect("serialize");
    assert_eq!(testing::json_diff(&seed, &built), None);
    let typed: EnvoyFilter = serde_json::from_value(seed).expect("typed seed");
    assert_eq!(typed, rate_limit());
}

#[test]
fn rate_limit_helper_rejects() {
    let tokens = std::num::NonZeroU32::new(10).expect("tokens");
    let cases: [(LocalRateLimit, RateLimitError); 3] = [
        (
            LocalRateLimit::new(tokens, mesh_model::Duration::from_millis(10)),
            RateLimitError::FillIntervalTooShort {
                interval: mesh_model::Duration::from_millis(10),
            },
        ),
        (
            LocalRateLimit {
                stat_prefix: String::new(),
                ..LocalRateLimit::new(tokens, mesh_model::Duration::from_secs(1))
            },
            RateLimitError::EmptyStatPrefix,
        ),
        (
            LocalRateLimit {
                filter_enforced: Some(RuntimeFractionalPercent {
                    runtime_key: "k".into(),
                    default_value: FractionalPercent {
                        numerator: 101,
                        denominator: Denominator::Hundred,
                    },
                }),
                ..LocalRateLimit::new(tokens, mesh_model::Duration::from_secs(1))
            },
            RateLimitError::FractionAboveOne {
                field: "filter_enforced",
                numerator: 101,
                denominator: Denominator::Hundred,
            },
        ),
    ];
    for (limit, want) in cases {
        assert_eq!(limit.patch(PatchContext::Gateway), Err(want));
    }
}

/// oneOfs and CEL rules enforced by the types: (kind, spec, error).
const REJECTED: &[(&str, &str, &str)] = &[
    (
        "VirtualService",
        r#"{"http":[{"match":[{"uri":{"exact":"/a","prefix":"/b"}}]}]}"#,
        "single key",
    ),
    (
        "VirtualService",
        r#"{"http":[{"redirect":{"port":8080,"derivePort":"FROM_REQUEST_PORT"}}]}"#,
        "only one of port or derivePort",
    ),
    (
        "VirtualService",
        r#"{"http":[{"fault":{"abort":{"httpStatus":503,"grpcStatus":"UNAVAILABLE"}}}]}"#,
        "only one of httpStatus",
    ),
    (
        "VirtualService",
        r#"{"http":[{"fault":{"delay":{"fixedDelay":"1s","exponentialDelay":"1s"}}}]}"#,
        "only one of fixedDelay",
    ),
    (
        "VirtualService",
        r#"{"http":[{"timeout":"0s"}]}"#,
        "greater than 1ms",
    ),
    (
        "VirtualService",
        r#"{"http":[{"timeout":"10"}]}"#,
        "duration",
    ),
    ("VirtualService", r#"{"http":[{"name":null}]}"#, "null"),
    (
        "VirtualService",
        r#"{"http":[{"nmae":"x"}]}"#,
        "unknown field",
    ),
    (
        "DestinationRule",
        r#"{"host":"a","trafficPolicy":{"loadBalancer":{"simple":"RANDOM","consistentHash":{"useSourceIp":true}}}}"#,
        "only one of simple or consistentHash",
    ),
    (
        "DestinationRule",
        r#"{"host":"a","trafficPolicy":{"loadBalancer":{"consistentHash":{"httpHeaderName":"x","useSourceIp":true}}}}"#,
        "only one of httpHeaderName",
    ),
    (
        "DestinationRule",
        r#"{"host":"a","trafficPolicy":{"loadBalancer":{"consistentHash":{"ringHash":{},"maglev":{}}}}}"#,
        "only one of ringHash or maglev",
    ),
    (
        "DestinationRule",
        r#"{"host":"a","trafficPolicy":{"loadBalancer":{"simple":"FASTEST"}}}"#,
        "unknown variant",
    ),
    (
        "DestinationRule",
        r#"{"trafficPolicy":{}}"#,
        "missing field `host`",
    ),
    (
        "AuthorizationPolicy",
        r#"{"action":"ALLOW","provider":{"name":"x"}}"#,
        "provider can only be set with action CUSTOM",
    ),
    (
        "AuthorizationPolicy",
        r#"{"action":"CUSTOM"}"#,
        "CUSTOM needs a provider",
    ),
    (
        "AuthorizationPolicy",
        r#"{"selector":{"matchLabels":{"a":"*"}}}"#,
        "wildcard",
    ),
    (
        "AuthorizationPolicy",
        r#"{"selector":{},"targetRefs":[{"kind":"Gateway","name":"g"}]}"#,
        "only one of targetRefs or selector",
    ),
    (
        "PeerAuthentication",
        r#"{"portLevelMtls":{"8080":{"mode":"STRICT"}}}"#,
        "portLevelMtls requires selector",
    ),
    (
        "Gateway",
        r#"{"servers":[{"port":{"number":443,"name":"https","protocol":"HTTPS"},"hosts":["*"],"tls":{"credentialName":"a","credentialNames":["b"]}}]}"#,
        "only one of credentialName or credentialNames",
    ),
    (
        "ServiceEntry",
        r#"{"hosts":["a"],"endpoints":[{"address":"1.1.1.1"}],"workloadSelector":{"labels":{"a":"b"}},"resolution":"STATIC"}"#,
        "only one of WorkloadSelector or Endpoints",
    ),
    (
        "ServiceEntry",
        r#"{"hosts":["a"],"endpoints":[{"address":"unix:///sock","ports":{"http":80}}],"resolution":"STATIC"}"#,
        "UDS may not include ports",
    ),
    (
        "EnvoyFilter",
        r#"{"workloadSelector":{},"targetRefs":[{"kind":"Gateway","name":"g"}]}"#,
        "only one of targetRefs or workloadSelector",
    ),
    (
        "EnvoyFilter",
        r#"{"configPatches":[{"match":{"context":"WAYPOINT"}}]}"#,
        "waypointMatch",
    ),
    (
        "Telemetry",
        r#"{"tracing":[{"randomSamplingPercentage":101}]}"#,
        "must be 0 to 100",
    ),
    (
        "DestinationRule",
        r#"{"host":"a","trafficPolicy":{"retryBudget":{"percent":-1}}}"#,
        "must be 0 to 100",
    ),
    (
        "Telemetry",
        r#"{"metrics":[{"overrides":[{"match":{"metric":"REQUEST_COUNT","customMetric":"x"}}]}]}"#,
        "only one of metric or customMetric",
    ),
];

#[test]
fn types_reject_illegal_states() {
    for (kind, spec, want) in REJECTED {
        let doc = serde_json::json!({
            "apiVersion": KINDS_BY_NAME.iter().find(|(k, _)| k == kind).map(|(_, av)| *av).expect("kind"),
            "kind": kind,
            "metadata": {"name": "x"},
            "spec": serde_json::from_str::<serde_json::Value>(spec).expect("json"),
        });
        let rt = super::corpus::KINDS
            .iter()
            .find(|(_, k, _)| k == kind)
            .map(|(_, _, f)| *f)
            .expect("typed kind");
        match rt(&doc) {
            Ok(_) => panic!("{kind} {spec}: accepted"),
            Err(e) => assert!(e.contains(want), "{kind} {spec}: {e} (want {want})"),
        }
    }
}

const KINDS_BY_NAME: &[(&str, &str)] = &[
    ("VirtualService", "networking.istio.io/v1"),
    ("DestinationRule", "networking.istio.io/v1"),
    ("Gateway", "networking.istio.io/v1"),
    ("ServiceEntry", "networking.istio.io/v1"),
    ("EnvoyFilter", "networking.istio.io/v1alpha3"),
    ("AuthorizationPolicy", "security.istio.io/v1"),
    ("PeerAuthentication", "security.istio.io/v1"),
    ("Telemetry", "telemetry.istio.io/v1"),
];

#[test]
fn kinds_are_consistent() {
    let results = [
        check_kind::<VirtualServiceSpec>(),
        check_kind::<DestinationRuleSpec>(),
        check_kind::<GatewaySpec>(),
        check_kind::<ServiceEntrySpec>(),
        check_kind::<WorkloadEntrySpec>(),
        check_kind::<WorkloadGroupSpec>(),
        check_kind::<PeerAuthenticationSpec>(),
        check_kind::<AuthorizationPolicySpec>(),
        check_kind::<RequestAuthenticationSpec>(),
        check_kind::<TelemetrySpec>(),
        check_kind::<EnvoyFilterSpec>(),
        check_kind::<SidecarSpec>(),
        check_kind::<IstioOperatorSpec>(),
        check_kind::<ProxyConfigSpec>(),
        check_kind::<WasmPluginSpec>(),
    ];
    for r in results {
        assert_eq!(r, Ok(()));
    }
}

#[test]
fn apply_order() {
    use mesh_k8s::ApplyOrder::*;
    let table = [
        (VirtualServiceSpec::APPLY_ORDER, Route),
        (DestinationRuleSpec::APPLY_ORDER, Destination),
        (GatewaySpec::APPLY_ORDER, Gateway),
        (ServiceEntrySpec::APPLY_ORDER, Destination),
        (WorkloadEntrySpec::APPLY_ORDER, Destination),
        (WorkloadGroupSpec::APPLY_ORDER, Destination),
        (PeerAuthenticationSpec::APPLY_ORDER, Defaults),
        (AuthorizationPolicySpec::APPLY_ORDER, Security),
        (RequestAuthenticationSpec::APPLY_ORDER, Security),
        (TelemetrySpec::APPLY_ORDER, Observability),
        (EnvoyFilterSpec::APPLY_ORDER, Defaults),
        (SidecarSpec::APPLY_ORDER, Defaults),
        (IstioOperatorSpec::APPLY_ORDER, Config),
        (ProxyConfigSpec::APPLY_ORDER, Defaults),
        (WasmPluginSpec::APPLY_ORDER, Defaults),
    ];
    for (got, want) in table {
        assert_eq!(got, want);
    }
}

/// The seed's IstioOperator (shared/seeds/003_*.txt).
const SEED_ISTIO_OPERATOR: &str = r#"
apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata:
  name: production-istio
  namespace: istio-system
spec:
  profile: production
  meshConfig:
    accessLogFile: /dev/stdout
    enableTracing: true
    defaultConfig:
      tracing:
        sampling: 100
        zipkin:
          address: jaeger-collector.observability:9411
  components:
    pilot:
      k8s:
        resources:
          requests:
            cpu: 500m
            memory: 2Gi
          limits:
            cpu: 2000m
            memory: 4Gi
    ingressGateways:
    - name: istio-ingressgateway
      enabled: true
      k8s:
        resources:
          requests:
            cpu: 200m
            memory: 256Mi
        service:
          type: LoadBalancer
"#;

fn istio_operator() -> IstioOperator {
    use k8s_openapi::api::core::v1::{ResourceRequirements, ServiceSpec};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    let resources = |cpu: &str, memory: &str| {
        BTreeMap::from([
            ("cpu".to_owned(), Quantity(cpu.to_owned())),
            ("memory".to_owned(), Quantity(memory.to_owned())),
        ])
    };
    Object::new(
        "production-istio",
        Some("istio-system"),
        IstioOperatorSpec {
            profile: Some("production".into()),
            mesh_config: Some(MeshConfig {
                access_log_file: Some("/dev/stdout".into()),
                enable_tracing: Some(true),
                default_config: Some(ProxyDefaults {
                    tracing: Some(ProxyTracing {
                        sampling: Some(100.0),
                        zipkin: Some(ZipkinCollector {
                            address: Some("jaeger-collector.observability:9411".into()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            components: Some(Components {
                pilot: Some(ComponentSpec {
                    k8s: Some(KubernetesSettings {
                        resources: Some(ResourceRequirements {
                            requests: Some(resources("500m", "2Gi")),
                            limits: Some(resources("2000m", "4Gi")),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ingress_gateways: vec![GatewayComponentSpec {
                    name: Some("istio-ingressgateway".into()),
                    enabled: Some(true),
                    k8s: Some(KubernetesSettings {
                        resources: Some(ResourceRequirements {
                            requests: Some(resources("200m", "256Mi")),
                            ..Default::default()
                        }),
                        service: Some(ServiceSpec {
                            type_: Some("LoadBalancer".into()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        },
    )
}

#[test]
fn istio_operator_matches_seed() {
    let seed: serde_json::Value = serde_yaml::from_str(SEED_ISTIO_OPERATOR).expect("seed");
    let built = serde_json::to_value(istio_operator()).expect("serialize");
    assert_eq!(testing::json_diff(&seed, &built), None);
    let typed: IstioOperator = serde_json::from_value(seed).expect("typed seed");
    assert_eq!(typed, istio_operator());
}

#[test]
fn istio_operator_keeps_what_it_does_not_type() {
    let doc = serde_json::json!({
        "apiVersion": "install.istio.io/v1alpha1",
        "kind": "IstioOperator",
        "metadata": {"name": "x"},
        "spec": {
            "installPackagePath": "/charts",
            "meshConfig": {
                "extensionProviders": [
                    {"name": "otel", "envoyOtelAls": {"service": "otel.svc", "port": 4317,
                        "logFormat": {"labels": {"pod": "%ENVIRONMENT(POD_NAME)%"}}}},
                    {"name": "sky", "skywalking": {"service": "sky.svc", "port": 11800}},
                    {"name": "zipkin", "zipkin": {"service": "zipkin.svc", "port": 9411, "path": "/api/v2/spans"}}
                ],
                "outboundTrafficPolicy": {"mode": "REGISTRY_ONLY"}
            },
            "values": {"global": {"proxy": {"logLevel": "debug", "resources": {"limits": {"cpu": "1"}}}}}
        }
    });
    let iop: IstioOperator = serde_json::from_value(doc.clone()).expect("parse");
    let mesh = iop.spec.mesh_config.as_ref().expect("meshConfig");
    let kinds: Vec<&str> = mesh
        .extension_providers
        .iter()
        .map(|p| match &p.provider {
            ProviderConfig::EnvoyOtelAls(_) => "envoyOtelAls",
            ProviderConfig::Zipkin(_) => "zipkin",
            ProviderConfig::Other(_) => "other",
            _ => "typed",
        })
        .collect();
    assert_eq!(kinds, ["envoyOtelAls", "other", "zipkin"]);
    assert_eq!(
        mesh.outbound_traffic_policy.as_ref().and_then(|p| p.mode),
        Some(OutboundMode::RegistryOnly)
    );
    let back = serde_json::to_value(&iop).expect("serialize");
    assert_eq!(testing::json_diff(&doc, &back), None);
}
