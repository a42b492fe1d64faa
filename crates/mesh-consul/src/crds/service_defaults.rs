//! ServiceDefaults: per-service defaults (protocol, upstream settings, mTLS
//! mode, rate limits).

use std::num::NonZeroU16;

use serde::{Deserialize, Serialize};

use super::common::{
    EnvoyExtension, Expose, MeshGateway, MutualTlsMode, PathMatch, Protocol, ProxyMode, SpecError,
    Status, TransparentProxy, UpstreamConfig,
};

/// The desired state of a service-defaults config entry; the object's name
/// is the Consul service name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceDefaultsSpec {
    /// The service's protocol (default `tcp`); L7 kinds need `http`,
    /// `http2` or `grpc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Proxy mode; consul-k8s rejects it on the CRD (use annotations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ProxyMode>,
    /// Transparent proxy settings; consul-k8s only accepts `dialedDirectly`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparent_proxy: Option<TransparentProxy>,
    /// Whether incoming connections need mutual TLS in transparent mode.
    #[serde(
        rename = "mutualTLSMode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mutual_tls_mode: Option<MutualTlsMode>,
    /// Default mesh gateway use for the service's upstreams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_gateway: Option<MeshGateway>,
    /// Paths exposed outside the mesh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expose: Option<Expose>,
    /// TLS SNI to use instead of the Connect one, when federating with an
    /// external system.
    #[serde(
        rename = "externalSNI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_sni: Option<String>,
    /// Defaults for all the service's upstreams and per-upstream overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream_config: Option<Upstreams>,
    /// Makes the service an endpoint outside the mesh, reached through a
    /// terminating gateway (transparent mode only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Destination>,
    /// Maximum concurrent inbound connections per instance (0 = Consul's
    /// default, unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_inbound_connections: Option<u32>,
    /// Timeout for connecting to the local application, in milliseconds
    /// (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_connect_timeout_ms: Option<u32>,
    /// Timeout for HTTP requests to the local application, in milliseconds
    /// (default: Envoy's route timeout, 15 s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_request_timeout_ms: Option<u32>,
    /// How inbound connections are spread across proxy threads (default:
    /// no balancing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_inbound_connections: Option<BalanceInboundConnections>,
    /// Inbound rate limits (Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<RateLimits>,
    /// Envoy extensions applied to the service's proxies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envoy_extensions: Vec<EnvoyExtension>,
}

/// ServiceDefaults: protocol and proxy defaults for one service.
pub type ServiceDefaults = mesh_k8s::Object<ServiceDefaultsSpec>;

super::consul_kind!(
    ServiceDefaultsSpec,
    "ServiceDefaults",
    "servicedefaults",
    Defaults,
    NamespaceResourceScope,
    Status
);

/// Upstream settings: defaults for every upstream and per-upstream overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Upstreams {
    /// Settings for all upstreams (`name` must be empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<UpstreamConfig>,
    /// Per-upstream settings (`name` required).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<UpstreamConfig>,
}

/// An endpoint outside the mesh: addresses and a port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Destination {
    /// IPs and/or hostnames (no wildcards), at least one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The port on every address.
    pub port: NonZeroU16,
}

/// Inbound connection balancing strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BalanceInboundConnections {
    /// Envoy's exact connection balancing.
    #[serde(rename = "exact_balance")]
    ExactBalance,
}

/// Inbound rate limiting.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimits {
    /// Limits applied per service instance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_level: Option<InstanceLevelRateLimits>,
}

/// Per-instance rate limits, with per-route overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InstanceLevelRateLimits {
    /// Average requests per second allowed before throttling; required
    /// when `requestsMaxBurst` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_second: Option<u32>,
    /// Burst size (token bucket size), at least `requestsPerSecond`
    /// (default: `requestsPerSecond`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_max_burst: Option<u32>,
    /// Per-route limits; the first matching route applies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<RouteRateLimit>,
}

/// A rate limit for requests whose path matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RouteRateLimitRepr", into = "RouteRateLimitRepr")]
pub struct RouteRateLimit {
    /// The path match (exactly one of `pathExact`, `pathPrefix`,
    /// `pathRegex`).
    pub path: PathMatch,
    /// Average requests per second.
    pub requests_per_second: Option<u32>,
    /// Burst size (default: `requestsPerSecond`).
    pub requests_max_burst: Option<u32>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteRateLimitRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requests_per_second: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requests_max_burst: Option<u32>,
}

impl TryFrom<RouteRateLimitRepr> for RouteRateLimit {
    type Error = SpecError;
    fn try_from(r: RouteRateLimitRepr) -> Result<Self, SpecError> {
        const CONTEXT: &str = "rateLimits.instanceLevel.routes[]";
        let path = PathMatch::from_parts(r.path_exact, r.path_prefix, r.path_regex, CONTEXT)?
            .ok_or(SpecError::ExactlyOne {
                context: CONTEXT,
                fields: "pathExact, pathPrefix, pathRegex",
            })?;
        Ok(RouteRateLimit {
            path,
            requests_per_second: r.requests_per_second,
            requests_max_burst: r.requests_max_burst,
        })
    }
}

impl From<RouteRateLimit> for RouteRateLimitRepr {
    fn from(r: RouteRateLimit) -> Self {
        let (path_exact, path_prefix, path_regex) = PathMatch::into_parts(Some(r.path));
        RouteRateLimitRepr {
            path_exact,
            path_prefix,
            path_regex,
            requests_per_second: r.requests_per_second,
            requests_max_burst: r.requests_max_burst,
        }
    }
}
