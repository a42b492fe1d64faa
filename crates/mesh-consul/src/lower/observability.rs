//! Observability: access logs and tracing → ProxyDefaults `global`;
//! metrics, add-ons and installation are in `install`.
//!
//! # Tracing
//!
//! Consul configures Envoy tracing through three free-form keys of the
//! ProxyDefaults `config`, each an Envoy JSON document held in a string:
//!
//! - `envoy_tracing_json`: the bootstrap tracer
//!   (`envoy.config.trace.v3.Tracing`), Zipkin (`envoy.tracers.zipkin`,
//!   `/api/v2/spans` in `HTTP_JSON`) or OpenTelemetry
//!   (`envoy.tracers.opentelemetry` over gRPC);
//! - `envoy_extra_static_clusters_json`: the collector cluster
//!   [`TRACING_CLUSTER`], `STRICT_DNS` to the model's `host:port` (HTTP/2
//!   for OTLP/gRPC);
//! - `envoy_listener_tracing_json`: the HTTP connection manager's tracing
//!   (`HttpConnectionManager.Tracing`) on the sidecars' inbound and outbound
//!   listeners, with the same provider and `random_sampling` = the model's
//!   sampling. Without it Consul sets `random_sampling: 0` on every HTTP
//!   listener (only requests that arrive already sampled are traced), so it
//!   is written even for the model's default 1%.
//!
//! The JSON is built from the typed structs below and serialized with
//! `serde_json`, never assembled as text.

use mesh_model::{Feature, FieldPath, LowerError, Tracing, TracingProvider};
use serde::Serialize;

use super::Cx;

/// Name of the Envoy cluster that carries spans to the collector.
pub const TRACING_CLUSTER: &str = "tracing-collector";

/// Envoy's connect timeout for the collector cluster.
const COLLECTOR_CONNECT_TIMEOUT: &str = "1s";

/// Consul ProxyDefaults `config` key of the bootstrap tracer.
pub(crate) const ENVOY_TRACING_JSON: &str = "envoy_tracing_json";
/// Consul ProxyDefaults `config` key of extra bootstrap clusters.
pub(crate) const ENVOY_EXTRA_STATIC_CLUSTERS_JSON: &str = "envoy_extra_static_clusters_json";
/// Consul ProxyDefaults `config` key of the listeners' tracing settings.
pub(crate) const ENVOY_LISTENER_TRACING_JSON: &str = "envoy_listener_tracing_json";

/// Lowers observability.
pub(crate) fn observability(cx: &mut Cx<'_>) {
    let root = FieldPath::root().field("observability");
    let o = &cx.mesh.observability;
    if let Some(a) = &o.access_logs {
        let format = match a.format {
            // Consul's default format is JSON; text gets Envoy's default
            // text line.
            mesh_model::LogFormat::Json => None,
            mesh_model::LogFormat::Text => Some(crate::crds::AccessLogFormat::Text(
                ENVOY_TEXT_FORMAT.to_owned(),
            )),
        };
        cx.proxy_defaults.access_logs = Some(crate::crds::AccessLogs {
            enabled: Some(true),
            type_: Some(crate::crds::LogSinkType::Stdout),
            format,
            ..Default::default()
        });
    }
    if let Some(t) = &o.tracing {
        tracing(cx, &root.field("tracing"), t);
    }
    super::install::lower(cx);
}

/// Tracing → ProxyDefaults `global` `config.envoy_tracing_json`,
/// `config.envoy_extra_static_clusters_json` and
/// `config.envoy_listener_tracing_json`.
fn tracing(cx: &mut Cx<'_>, path: &FieldPath, t: &Tracing) {
    if t.host.is_wildcard() {
        cx.unsupported(
            Feature::Tracing,
            path.field("host"),
            "a trace collector is one host that Envoy resolves by DNS; name the collector's service (`zipkin.istio-system`)",
        );
        return;
    }
    if t.host.is_short() {
        cx.l.note(
            Feature::Tracing,
            path.field("host"),
            format!(
                "`{}` is a short name: every sidecar resolves it in its own namespace; use `<service>.<namespace>` for a collector in another namespace",
                t.host.as_str()
            ),
        );
    }
    if t.provider == TracingProvider::Jaeger {
        cx.l.note(
            Feature::Tracing,
            path.field("provider"),
            format!(
                "Jaeger → Envoy's Zipkin tracer (`/api/v2/spans`, HTTP_JSON) against {}:{}: Jaeger's collector accepts Zipkin there (its Zipkin port, usually 9411, must be enabled)",
                t.host.as_str(),
                t.port.get()
            ),
        );
    }
    cx.l.note(
        Feature::Tracing,
        path.field("sampling"),
        format!(
            "sampling {}% → `envoy_listener_tracing_json` `random_sampling` on the sidecars' listeners (Consul's own default is 0%: only requests already sampled upstream); gateways (API, ingress, terminating) keep Consul's 0% and trace only requests that arrive sampled. Envoy reads the bootstrap keys at start: restart the proxies after applying",
            t.sampling.get()
        ),
    );
    let (tracing, cluster, listener) = envoy_tracing(t);
    let mut put = |key: &str, json: Result<String, serde_json::Error>| match json {
        Ok(s) => {
            cx.proxy_defaults
                .config
                .get_or_insert_with(Default::default)
                .insert(key.to_owned(), serde_json::Value::String(s));
        }
        Err(e) => cx.l.error(LowerError::Output(format!("{key}: {e}"))),
    };
    put(ENVOY_TRACING_JSON, serde_json::to_string(&tracing));
    put(
        ENVOY_EXTRA_STATIC_CLUSTERS_JSON,
        serde_json::to_string(&cluster),
    );
    put(
        ENVOY_LISTENER_TRACING_JSON,
        serde_json::to_string(&listener),
    );
}

/// The three Envoy documents of a model tracing setting.
fn envoy_tracing(t: &Tracing) -> (BootstrapTracing, Cluster, ListenerTracing) {
    let provider = match t.provider {
        TracingProvider::Zipkin | TracingProvider::Jaeger => HttpTracer {
            name: "envoy.tracers.zipkin",
            typed_config: TracerConfig::Zipkin(ZipkinConfig {
                type_url: "type.googleapis.com/envoy.config.trace.v3.ZipkinConfig",
                collector_cluster: TRACING_CLUSTER.to_owned(),
                collector_endpoint: "/api/v2/spans",
                collector_endpoint_version: CollectorEndpointVersion::HttpJson,
            }),
        },
        TracingProvider::OpenTelemetry => HttpTracer {
            name: "envoy.tracers.opentelemetry",
            typed_config: TracerConfig::OpenTelemetry(OpenTelemetryConfig {
                type_url: "type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig",
                grpc_service: GrpcService {
                    envoy_grpc: EnvoyGrpc {
                        cluster_name: TRACING_CLUSTER.to_owned(),
                    },
                },
            }),
        },
    };
    let http2 = (t.provider == TracingProvider::OpenTelemetry).then_some(ProtocolOptions {
        http: HttpProtocolOptions {
            type_url: "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            explicit_http_config: ExplicitHttpConfig {
                http2_protocol_options: Http2ProtocolOptions {},
            },
        },
    });
    let cluster = Cluster {
        name: TRACING_CLUSTER.to_owned(),
        type_: DiscoveryType::StrictDns,
        connect_timeout: COLLECTOR_CONNECT_TIMEOUT,
        load_assignment: ClusterLoadAssignment {
            cluster_name: TRACING_CLUSTER.to_owned(),
            endpoints: vec![LocalityLbEndpoints {
                lb_endpoints: vec![LbEndpoint {
                    endpoint: Endpoint {
                        address: Address {
                            socket_address: SocketAddress {
                                address: t.host.as_str().to_owned(),
                                port_value: t.port.get(),
                            },
                        },
                    },
                }],
            }],
        },
        typed_extension_protocol_options: http2,
    };
    let listener = ListenerTracing {
        type_url: "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.Tracing",
        random_sampling: EnvoyPercent {
            value: t.sampling.get(),
        },
        provider: provider.clone(),
    };
    (BootstrapTracing { http: provider }, cluster, listener)
}

/// Envoy's bootstrap `tracing` (`envoy.config.trace.v3.Tracing`), the
/// content of `envoy_tracing_json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct BootstrapTracing {
    /// The HTTP tracer.
    http: HttpTracer,
}

/// `envoy.config.trace.v3.Tracing.Http`: a tracer extension.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct HttpTracer {
    /// Extension name (`envoy.tracers.zipkin`).
    name: &'static str,
    /// Its configuration.
    typed_config: TracerConfig,
}

/// A tracer's typed configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
enum TracerConfig {
    /// `envoy.config.trace.v3.ZipkinConfig`.
    Zipkin(ZipkinConfig),
    /// `envoy.config.trace.v3.OpenTelemetryConfig`.
    OpenTelemetry(OpenTelemetryConfig),
}

/// `envoy.config.trace.v3.ZipkinConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ZipkinConfig {
    /// The Any type URL.
    #[serde(rename = "@type")]
    type_url: &'static str,
    /// The cluster spans are sent to.
    collector_cluster: String,
    /// The collector's API path.
    collector_endpoint: &'static str,
    /// The span encoding.
    collector_endpoint_version: CollectorEndpointVersion,
}

/// Zipkin span encodings Envoy supports (the ones used here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum CollectorEndpointVersion {
    /// Zipkin v2 JSON.
    #[serde(rename = "HTTP_JSON")]
    HttpJson,
}

/// `envoy.config.trace.v3.OpenTelemetryConfig`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct OpenTelemetryConfig {
    /// The Any type URL.
    #[serde(rename = "@type")]
    type_url: &'static str,
    /// The OTLP/gRPC collector.
    grpc_service: GrpcService,
}

/// `envoy.config.core.v3.GrpcService` (Envoy's own gRPC client).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct GrpcService {
    /// The cluster to call.
    envoy_grpc: EnvoyGrpc,
}

/// `envoy.config.core.v3.GrpcService.EnvoyGrpc`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct EnvoyGrpc {
    /// The cluster name.
    cluster_name: String,
}

/// `HttpConnectionManager.Tracing` as an Any, the content of
/// `envoy_listener_tracing_json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ListenerTracing {
    /// The Any type URL (Consul decodes the JSON as an Any).
    #[serde(rename = "@type")]
    type_url: &'static str,
    /// Share of requests without a sampling decision that are traced.
    random_sampling: EnvoyPercent,
    /// The tracer (the same as the bootstrap one).
    provider: HttpTracer,
}

/// `envoy.type.v3.Percent`: 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
struct EnvoyPercent {
    /// The percentage.
    value: f64,
}

/// `envoy.config.cluster.v3.Cluster` (the fields used here), the content
/// of `envoy_extra_static_clusters_json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Cluster {
    /// Cluster name.
    name: String,
    /// Service discovery type.
    #[serde(rename = "type")]
    type_: DiscoveryType,
    /// Connect timeout (protobuf JSON duration).
    connect_timeout: &'static str,
    /// The endpoints.
    load_assignment: ClusterLoadAssignment,
    /// Upstream HTTP protocol options (HTTP/2 for gRPC).
    #[serde(skip_serializing_if = "Option::is_none")]
    typed_extension_protocol_options: Option<ProtocolOptions>,
}

/// Cluster discovery types (the one used here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
enum DiscoveryType {
    /// Resolve the host by DNS, every address is an endpoint.
    #[serde(rename = "STRICT_DNS")]
    StrictDns,
}

/// `envoy.config.endpoint.v3.ClusterLoadAssignment`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ClusterLoadAssignment {
    /// Must equal the cluster's name.
    cluster_name: String,
    /// Endpoints by locality.
    endpoints: Vec<LocalityLbEndpoints>,
}

/// `envoy.config.endpoint.v3.LocalityLbEndpoints`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct LocalityLbEndpoints {
    /// The endpoints.
    lb_endpoints: Vec<LbEndpoint>,
}

/// `envoy.config.endpoint.v3.LbEndpoint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct LbEndpoint {
    /// The endpoint.
    endpoint: Endpoint,
}

/// `envoy.config.endpoint.v3.Endpoint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Endpoint {
    /// Its address.
    address: Address,
}

/// `envoy.config.core.v3.Address`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Address {
    /// A TCP socket address.
    socket_address: SocketAddress,
}

/// `envoy.config.core.v3.SocketAddress`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct SocketAddress {
    /// Host name or IP.
    address: String,
    /// Port.
    port_value: u16,
}

/// A cluster's `typed_extension_protocol_options`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ProtocolOptions {
    /// The HTTP upstream options.
    #[serde(rename = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")]
    http: HttpProtocolOptions,
}

/// `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`.
#[derive(Debug, Clone, PartialEq, Serialize)]
struct HttpProtocolOptions {
    /// The Any type URL.
    #[serde(rename = "@type")]
    type_url: &'static str,
    /// Speak exactly this protocol upstream.
    explicit_http_config: ExplicitHttpConfig,
}

/// `HttpProtocolOptions.ExplicitHttpConfig` (HTTP/2 only here).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct ExplicitHttpConfig {
    /// HTTP/2 with Envoy's defaults.
    http2_protocol_options: Http2ProtocolOptions,
}

/// `envoy.config.core.v3.Http2ProtocolOptions`, all defaults (`{}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
struct Http2ProtocolOptions {}

/// Envoy's default access-log line, for `format: text`.
pub(crate) const ENVOY_TEXT_FORMAT: &str = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\"\n";
