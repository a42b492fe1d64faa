//! The seed scenarios (S01–S38) as policy files: each parses, validates and
//! survives a round trip; some are also built in code with the builders.

use std::path::{Path, PathBuf};

use mesh_model::Mesh;

/// The scenario files, sorted by name.
fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "yaml")
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('S'))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The scenario id of a file (`S04` for `S04-reviews-jason-header.yaml`).
fn scenario_id(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split('-').next())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn there_is_one_file_per_scenario() {
    let ids: Vec<String> = scenario_files().iter().map(|p| scenario_id(p)).collect();
    let expected: Vec<String> = (1..=38).map(|i| format!("S{i:02}")).collect();
    assert_eq!(ids, expected, "one file per scenario S01..S38");
}

#[test]
fn every_scenario_parses_validates_and_round_trips() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario files");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let mesh = match Mesh::from_policy(&text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let written = mesh.to_policy().expect("serializable");
        match Mesh::from_policy(&written) {
            Ok(again) if again == mesh => {}
            Ok(again) => failures.push(format!(
                "{}: round trip changed the mesh\n{written}\n{again:#?}",
                path.display()
            )),
            Err(e) => failures.push(format!(
                "{}: written policy does not parse: {e}\n{written}",
                path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// === scenarios built in code ===

mod built {
    use std::num::NonZeroU32;

    use mesh_model::{
        AuthorizationPolicyBuilder, AuthzAction, AuthzRuleBuilder, BackendRef, BackendRefBuilder,
        Condition, ConnectionPoolBuilder, Duration, ForwardBuilder, HeaderName, Hostname, HttpPath,
        Identity, IngressBuilder, InstallationBuilder, Jwks, JwtProviderBuilder, LabelKey,
        LabelValue, Labels, Listener, ListenerProtocol, ListenerTls, Mesh, MeshBuilder, Method,
        Mtls, MtlsMode, Name, ObjectName, OperationBuilder, OutlierDetectionBuilder, PathMatch,
        Percent, Port, Profile, Protocol, ResilienceBuilder, RetryOn, RetryPolicyBuilder,
        RouteBuilder, RouteMatch, RouteMatchBuilder, Scope, Security, ServiceBuilder, ServicePort,
        ServicePortBuilder, ServiceRef, Source, StringMatch, TlsMode, Version, VersionBuilder,
        Weight,
    };

    type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

    /// The policy file of scenario `id`, read and validated.
    fn policy(id: &str) -> Result<Mesh> {
        let path = super::scenario_files()
            .into_iter()
            .find(|p| super::scenario_id(p) == id)
            .ok_or_else(|| format!("no policy file for {id}"))?;
        Ok(Mesh::from_policy(&std::fs::read_to_string(path)?)?)
    }

    fn name(s: &str) -> Result<Name> {
        Ok(Name::new(s)?)
    }

    fn nz(n: u32) -> Result<NonZeroU32> {
        Ok(NonZeroU32::new(n).ok_or("must not be zero")?)
    }

    fn port(number: u32, protocol: Protocol) -> Result<ServicePort> {
        Ok(ServicePortBuilder::default()
            .number(Port::new(number)?)
            .protocol(protocol)
            .build()?)
    }

    fn http(number: u32) -> Result<ServicePort> {
        port(number, Protocol::Http)
    }

    /// A version selected by `version: <name>`, written out as the policy
    /// files do.
    fn version(v: &str) -> Result<Version> {
        let mut labels = Labels::new();
        labels.insert(LabelKey::new("version")?, LabelValue::new(v)?);
        Ok(VersionBuilder::default()
            .name(name(v)?)
            .labels(labels)
            .build()?)
    }

    /// The backend `version` of the route's own service.
    fn to_version(v: &str) -> Result<BackendRef> {
        Ok(BackendRefBuilder::default().version(name(v)?).build()?)
    }

    fn header(name: &str, value: StringMatch) -> Result<RouteMatch> {
        Ok(RouteMatchBuilder::default()
            .header((HeaderName::new(name)?, value))
            .build()?)
    }

    fn service_scope(service: &str, namespace: &str) -> Result<Scope> {
        Ok(Scope::Service(ServiceRef::new(service, namespace)?))
    }

    #[test]
    fn s01_production_strict_canary() -> Result<()> {
        let mesh = MeshBuilder::default()
            .installation(
                InstallationBuilder::default()
                    .profile(Profile::Production)
                    .build()?,
            )
            .security(Security {
                mtls: Mtls {
                    mode: MtlsMode::Strict,
                    ..Mtls::default()
                },
                ..Security::default()
            })
            .service(
                ServiceBuilder::default()
                    .name(name("app")?)
                    .namespace(name("default")?)
                    .port(http(80)?)
                    .version(version("v1")?)
                    .version(version("v2")?)
                    .route(
                        RouteBuilder::default()
                            .name(name("canary")?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(BackendRef::version("v1", 90)?)
                                    .backend(BackendRef::version("v2", 10)?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S01")?);
        Ok(())
    }

    #[test]
    fn s04_reviews_jason_header() -> Result<()> {
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("reviews")?)
                    .namespace(name("default")?)
                    .port(http(9080)?)
                    .version(version("v1")?)
                    .version(version("v2")?)
                    .route(
                        RouteBuilder::default()
                            .name(name("jason")?)
                            .matching(header("end-user", StringMatch::exact("jason"))?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(to_version("v2")?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .route(
                        RouteBuilder::default()
                            .name(name("split")?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(BackendRef::version("v1", 75)?)
                                    .backend(BackendRef::version("v2", 25)?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S04")?);
        Ok(())
    }

    #[test]
    fn s05_httpbin_sleep_get_info() -> Result<()> {
        let sleep = Identity::new("default", "sleep")?;
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("httpbin")?)
                    .namespace(name("default")?)
                    .port(http(8000)?)
                    .build()?,
            )
            .identity(sleep.clone())
            .security(Security {
                authorization: vec![
                    AuthorizationPolicyBuilder::default()
                        .name(name("httpbin")?)
                        .scope(service_scope("httpbin", "default")?)
                        .rule(
                            AuthzRuleBuilder::default()
                                .source(Source::Identity(sleep))
                                .operation(
                                    OperationBuilder::default()
                                        .method(Method::Get)
                                        .path(PathMatch::Regex("/info.*".parse()?))
                                        .build()?,
                                )
                                .build()?,
                        )
                        .build()?,
                ],
                ..Security::default()
            })
            .build()?;
        assert_eq!(mesh, policy("S05")?);
        Ok(())
    }

    #[test]
    fn s07_httpbin_circuit_breaker() -> Result<()> {
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("httpbin")?)
                    .namespace(name("default")?)
                    .port(http(8000)?)
                    .resilience(
                        ResilienceBuilder::default()
                            .connection_pool(
                                ConnectionPoolBuilder::default()
                                    .max_connections(nz(1)?)
                                    .max_pending_requests(nz(1)?)
                                    .max_requests_per_connection(nz(1)?)
                                    .build()?,
                            )
                            .outlier_detection(
                                OutlierDetectionBuilder::default()
                                    .consecutive_gateway_errors(nz(1)?)
                                    .interval(Duration::from_secs(1))
                                    .base_ejection_time(Duration::from_mins(3))
                                    .max_ejection_percent(Percent::ALL)
                                    .min_health_percent(Percent::NONE)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S07")?);
        Ok(())
    }

    #[test]
    fn s09_reviews_cookie_query() -> Result<()> {
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("reviews")?)
                    .namespace(name("default")?)
                    .port(http(9080)?)
                    .version(version("v1")?)
                    .version(version("v2")?)
                    .version(version("v3")?)
                    .route(
                        RouteBuilder::default()
                            .name(name("cookie-jason")?)
                            .matching(RouteMatch::cookie("user", "jason")?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(to_version("v3")?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .route(
                        RouteBuilder::default()
                            .name(name("query-test")?)
                            .matching(
                                RouteMatchBuilder::default()
                                    .query_param(("test".to_owned(), StringMatch::exact("true")))
                                    .build()?,
                            )
                            .forward(
                                ForwardBuilder::default()
                                    .backend(to_version("v2")?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .route(
                        RouteBuilder::default()
                            .name(name("default")?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(to_version("v1")?)
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S09")?);
        Ok(())
    }

    #[test]
    fn s13_ratings_retries() -> Result<()> {
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("ratings")?)
                    .namespace(name("default")?)
                    .port(http(9080)?)
                    .version(version("v1")?)
                    .route(
                        RouteBuilder::default()
                            .name(name("retries")?)
                            .forward(
                                ForwardBuilder::default()
                                    .backend(to_version("v1")?)
                                    .timeout(Duration::from_secs(10))
                                    .retries(
                                        RetryPolicyBuilder::default()
                                            .attempts(3u32)
                                            .per_try_timeout(Duration::from_secs(2))
                                            .retry_on(RetryOn::GatewayError)
                                            .retry_on(RetryOn::ConnectFailure)
                                            .retry_on(RetryOn::RefusedStream)
                                            .remote_localities(true)
                                            .build()?,
                                    )
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S13")?);
        Ok(())
    }

    #[test]
    fn s20_httpbin_jwt_groups() -> Result<()> {
        let issuer = "testing@secure.istio.io";
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("httpbin")?)
                    .namespace(name("default")?)
                    .port(http(8000)?)
                    .build()?,
            )
            .security(Security {
                jwt: vec![
                    JwtProviderBuilder::default()
                        .name(name("testing")?)
                        .issuer(issuer)
                        .jwks(Jwks::Uri(
                            "https://raw.githubusercontent.com/istio/istio/release-1.14/security/tools/jwt/samples/jwks.json"
                                .to_owned(),
                        ))
                        .scope(service_scope("httpbin", "default")?)
                        .build()?,
                ],
                authorization: vec![
                    AuthorizationPolicyBuilder::default()
                        .name(name("require-jwt")?)
                        .scope(service_scope("httpbin", "default")?)
                        .action(AuthzAction::Allow)
                        .rule(
                            AuthzRuleBuilder::default()
                                .source(Source::JwtPrincipal {
                                    issuer: issuer.to_owned(),
                                    subject: Some(issuer.to_owned()),
                                })
                                .condition(Condition::JwtClaim {
                                    claim: "groups".to_owned(),
                                    values: vec!["group1".to_owned()],
                                })
                                .build()?,
                        )
                        .build()?,
                ],
                ..Security::default()
            })
            .build()?;
        assert_eq!(mesh, policy("S20")?);
        Ok(())
    }

    #[test]
    fn s22_https_ingress_api_company() -> Result<()> {
        let app = |v: &str, weight: u32| -> Result<BackendRef> {
            Ok(BackendRefBuilder::default()
                .service(name("app-service")?)
                .version(name(v)?)
                .weight(Weight::new(weight)?)
                .build()?)
        };
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("app-service")?)
                    .namespace(name("production")?)
                    .port(http(80)?)
                    .version(version("v1")?)
                    .version(version("v2")?)
                    .build()?,
            )
            .ingress_gateway(
                IngressBuilder::default()
                    .name(name("app-gateway")?)
                    .namespace(name("production")?)
                    .host(Hostname::new("api.company.com")?)
                    .listener(Listener {
                        port: Port::new(443)?,
                        protocol: ListenerProtocol::Https,
                        tls: Some(ListenerTls {
                            mode: TlsMode::Terminate,
                            credential: Some(ObjectName::new("app-tls-secret")?),
                        }),
                        https_redirect: false,
                    })
                    .route(
                        RouteBuilder::default()
                            .name(name("v2-canary")?)
                            .matching(
                                RouteMatchBuilder::default()
                                    .path(PathMatch::Prefix(HttpPath::new("/v2")?))
                                    .build()?,
                            )
                            .forward(
                                ForwardBuilder::default()
                                    .backend(app("v2", 10)?)
                                    .backend(app("v1", 90)?)
                                    .timeout(Duration::from_secs(30))
                                    .retries(
                                        RetryPolicyBuilder::default()
                                            .attempts(3u32)
                                            .per_try_timeout(Duration::from_secs(10))
                                            .build()?,
                                    )
                                    .build()?,
                            )
                            .build()?,
                    )
                    .build()?,
            )
            .build()?;
        assert_eq!(mesh, policy("S22")?);
        Ok(())
    }

    #[test]
    fn s33_test_app_meshed_clients() -> Result<()> {
        let client = Identity::new("production", "default")?;
        let mesh = MeshBuilder::default()
            .service(
                ServiceBuilder::default()
                    .name(name("test-app")?)
                    .namespace(name("default")?)
                    .port(
                        ServicePortBuilder::default()
                            .number(Port::new(80)?)
                            .protocol(Protocol::Http)
                            .target_port(Port::new(80)?)
                            .build()?,
                    )
                    .build()?,
            )
            .identity(client.clone())
            .security(Security {
                authorization: vec![
                    AuthorizationPolicyBuilder::default()
                        .name(name("test-app-authz")?)
                        .scope(service_scope("test-app", "default")?)
                        .rule(
                            AuthzRuleBuilder::default()
                                .source(Source::Identity(client))
                                .operation(
                                    OperationBuilder::default().port(Port::new(80)?).build()?,
                                )
                                .build()?,
                        )
                        .build()?,
                ],
                ..Security::default()
            })
            .build()?;
        assert_eq!(mesh, policy("S33")?);
        Ok(())
    }
}
