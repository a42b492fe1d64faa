//! Types shared by several Consul kinds, each defined once.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

/// A spec that breaks one of Consul's structural rules (a oneOf, a field
/// not allowed in this position).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    /// Exactly one of several mutually exclusive fields must be set.
    #[error("{context}: set exactly one of {fields}")]
    ExactlyOne {
        /// Where (`hashPolicies[]`).
        context: &'static str,
        /// The alternatives (`field, sourceIP`).
        fields: &'static str,
    },
    /// At most one of several mutually exclusive fields may be set.
    #[error("{context}: set at most one of {fields}")]
    AtMostOne {
        /// Where (`match.http`).
        context: &'static str,
        /// The alternatives (`pathExact, pathPrefix, pathRegex`).
        fields: &'static str,
    },
    /// A field that is not valid in this position.
    #[error("{context}: {field} is not allowed here: {reason}")]
    NotAllowed {
        /// Where.
        context: &'static str,
        /// The field.
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
}

// === status ===

/// The status consul-k8s writes on every config-entry CRD.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Status {
    /// Latest observations of the resource's state (consul-k8s sets one,
    /// of type `Synced`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The last time the resource was successfully written to Consul.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_time: Option<Time>,
}

/// A readiness condition of a Consul resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// Type of condition (`Synced`).
    #[serde(rename = "type")]
    pub type_: String,
    /// Whether the condition holds.
    pub status: ConditionStatus,
    /// When the condition last changed status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Machine-readable reason for the last transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable details about the transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Status of a [`Condition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConditionStatus {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// Not known.
    Unknown,
}

/// The status of the API-gateway kinds (GatewayPolicy, RouteAuthFilter):
/// standard Kubernetes conditions (`Accepted`, `ResolvedRefs`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayStatus {
    /// Conditions of the resource, at most 8, keyed by type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition>,
}

// === protocols and modes ===

/// A service's L7 protocol, as Consul knows it (`tcp` when unset). Setting
/// `http`, `http2` or `grpc` unlocks routers, splitters and L7 intentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// Opaque TCP (the default).
    Tcp,
    /// HTTP/1.1.
    Http,
    /// HTTP/2.
    Http2,
    /// gRPC.
    Grpc,
}

/// Protocol of an exposed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExposeProtocol {
    /// HTTP/1.1 (the default).
    Http,
    /// HTTP/2.
    Http2,
}

/// How traffic to upstreams in other datacenters, partitions or peers uses
/// mesh gateways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeshGatewayMode {
    /// `""`: no mode here; a lower layer of configuration decides.
    #[serde(rename = "")]
    Default,
    /// Connect directly, no mesh gateway.
    #[serde(rename = "none")]
    None,
    /// Go through the local datacenter's mesh gateway.
    #[serde(rename = "local")]
    Local,
    /// Go through the remote datacenter's mesh gateway.
    #[serde(rename = "remote")]
    Remote,
}

/// Mesh gateway configuration: how upstream connections use mesh gateways.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshGateway {
    /// The mode; unset means inherit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<MeshGatewayMode>,
}

/// Whether a proxy's traffic is redirected to it (transparent) or the
/// application dials it directly. consul-k8s rejects this on the CRD: set
/// it with the `consul.hashicorp.com/transparent-proxy` annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProxyMode {
    /// `""`: inherit.
    #[serde(rename = "")]
    Default,
    /// The application and other proxies dial the proxy's listeners.
    #[serde(rename = "direct")]
    Direct,
    /// Inbound and outbound traffic is captured and redirected to the proxy.
    #[serde(rename = "transparent")]
    Transparent,
}

/// Whether mutual TLS is required for incoming connections in transparent
/// proxy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MutualTlsMode {
    /// `""`: inherit (strict by default).
    #[serde(rename = "")]
    Default,
    /// Require mutual TLS (the default).
    #[serde(rename = "strict")]
    Strict,
    /// Also accept plaintext on the service port; intentions are not
    /// enforced for those connections. Needs Mesh
    /// `allowEnablingPermissiveMutualTLS: true`.
    #[serde(rename = "permissive")]
    Permissive,
}

/// Settings for proxies in transparent mode. consul-k8s rejects a non-zero
/// `outboundListenerPort` on the CRD (use the
/// `consul.hashicorp.com/transparent-proxy-outbound-listener-port` annotation).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransparentProxy {
    /// Port of the listener outbound traffic is redirected to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_listener_port: Option<u16>,
    /// Whether transparent proxies may dial this instance directly,
    /// bypassing the discovery chain (stateful services, leader nodes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialed_directly: Option<bool>,
}

// === expose ===

/// HTTP paths exposed through Envoy to callers outside the mesh (health
/// checks, metrics).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Expose {
    /// Expose every HTTP and gRPC check path registered for the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checks: Option<bool>,
    /// Individual paths to expose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<ExposePath>,
}

/// One exposed path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExposePath {
    /// Port of the proxy listener serving the path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<u16>,
    /// The path (`/metrics`); must start with `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Port the local application serves the path on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_path_port: Option<u16>,
    /// Protocol of the local path (default `http`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<ExposeProtocol>,
}

// === upstreams ===

/// Limits a proxy applies to one upstream (Envoy circuit breakers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpstreamLimits {
    /// Maximum connections to the upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
    /// Maximum requests queued waiting for a connection (mostly HTTP/1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pending_requests: Option<u32>,
    /// Maximum in-flight requests (mostly HTTP/2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_requests: Option<u32>,
}

/// Passive health checking (Envoy outlier detection): how upstream
/// instances are ejected from the load-balancing pool.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PassiveHealthCheck {
    /// Time between analysis sweeps (`10s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<GoDuration>,
    /// Consecutive failures that eject a host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_failures: Option<u32>,
    /// Chance, in percent, that a host detected by consecutive 5xx is
    /// actually ejected (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcing_consecutive_5xx: Option<u32>,
    /// Maximum percentage of the cluster that may be ejected (default 10;
    /// at least one host is always ejectable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ejection_percent: Option<u32>,
    /// Base ejection time, multiplied by the number of ejections
    /// (default `30s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_ejection_time: Option<GoDuration>,
}

/// Settings for upstreams: the defaults for all of them (no `name`), or an
/// override for one (`name` set).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpstreamConfig {
    /// Upstream service name: required in overrides, empty in defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Upstream namespace (overrides only; Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Upstream admin partition (overrides only; Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Upstream cluster peer (overrides only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// Escape hatch: the whole Envoy listener as JSON. Ignored when a
    /// discovery chain is active.
    #[serde(
        rename = "envoyListenerJSON",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub envoy_listener_json: Option<String>,
    /// Escape hatch: the whole Envoy cluster as JSON (Connect TLS injected).
    /// Ignored when a discovery chain is active.
    #[serde(
        rename = "envoyClusterJSON",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub envoy_cluster_json: Option<String>,
    /// The upstream's protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Connect timeout in milliseconds (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout_ms: Option<u32>,
    /// Circuit-breaker limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<UpstreamLimits>,
    /// Outlier detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passive_health_check: Option<PassiveHealthCheck>,
    /// Mesh gateway use for this upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_gateway: Option<MeshGateway>,
}

// === failover and locality ===

/// How failover targets are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FailoverMode {
    /// `""`: same as sequential.
    #[serde(rename = "")]
    Default,
    /// Try targets in the order listed.
    #[serde(rename = "sequential")]
    Sequential,
    /// Order targets by locality (region list, then distance).
    #[serde(rename = "order-by-locality")]
    OrderByLocality,
}

/// The failover mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailoverPolicy {
    /// Ordering of targets (default sequential).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<FailoverMode>,
    /// Ordered regions of the failover targets (`us-west-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

/// Locality prioritization mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LocalityMode {
    /// `""`: same as none.
    #[serde(rename = "")]
    Default,
    /// No prioritization.
    #[serde(rename = "none")]
    None,
    /// Prefer local-zone instances, fail over to others.
    #[serde(rename = "failover")]
    Failover,
}

/// Whether the locality of instances in the local partition prioritizes
/// connections.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrioritizeByLocality {
    /// The mode (default none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<LocalityMode>,
}

// === HTTP ===

/// Header changes a proxy makes to requests or responses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderModifiers {
    /// Headers appended (duplicates allowed).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<String, String>,
    /// Headers set, replacing existing values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, String>,
    /// Header names removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// A match on the request path: on the wire the sibling fields
/// `pathExact`, `pathPrefix`, `pathRegex`, of which at most one is set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathMatch {
    /// The path equals this.
    Exact(String),
    /// The path starts with this.
    Prefix(String),
    /// The path matches this regular expression (Envoy RE2).
    Regex(String),
}

impl PathMatch {
    /// Builds from the three wire fields; `Err` when more than one is set.
    pub(crate) fn from_parts(
        exact: Option<String>,
        prefix: Option<String>,
        regex: Option<String>,
        context: &'static str,
    ) -> Result<Option<PathMatch>, SpecError> {
        match (exact, prefix, regex) {
            (None, None, None) => Ok(None),
            (Some(e), None, None) => Ok(Some(PathMatch::Exact(e))),
            (None, Some(p), None) => Ok(Some(PathMatch::Prefix(p))),
            (None, None, Some(r)) => Ok(Some(PathMatch::Regex(r))),
            _ => Err(SpecError::AtMostOne {
                context,
                fields: "pathExact, pathPrefix, pathRegex",
            }),
        }
    }

    /// The three wire fields (`pathExact`, `pathPrefix`, `pathRegex`).
    pub(crate) fn into_parts(
        path: Option<PathMatch>,
    ) -> (Option<String>, Option<String>, Option<String>) {
        match path {
            None => (None, None, None),
            Some(PathMatch::Exact(e)) => (Some(e), None, None),
            Some(PathMatch::Prefix(p)) => (None, Some(p), None),
            Some(PathMatch::Regex(r)) => (None, None, Some(r)),
        }
    }
}

/// An HTTP method, as Consul accepts them in route and intention matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// GET.
    Get,
    /// HEAD.
    Head,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// CONNECT.
    Connect,
    /// OPTIONS.
    Options,
    /// TRACE.
    Trace,
}

/// The condition on a header's value, one of the sibling fields
/// `present`, `exact`, `prefix`, `suffix`, `contains`, `regex` on the wire.
/// ServiceRouter header matches have no `contains`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeaderCondition {
    /// The header is present with any value (`present: true`).
    Present,
    /// The value equals this.
    Exact(String),
    /// The value starts with this.
    Prefix(String),
    /// The value ends with this.
    Suffix(String),
    /// The value contains this (intentions only).
    Contains(String),
    /// The value matches this regular expression.
    Regex(String),
}

/// The wire fields of a [`HeaderCondition`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct HeaderConditionParts {
    pub present: Option<bool>,
    pub exact: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub contains: Option<String>,
    pub regex: Option<String>,
}

impl HeaderCondition {
    /// From the wire fields; exactly one must be set (`present: false`
    /// counts as unset, as in Consul).
    pub(crate) fn from_parts(
        p: HeaderConditionParts,
        context: &'static str,
        fields: &'static str,
    ) -> Result<HeaderCondition, SpecError> {
        let mut found = Vec::with_capacity(1);
        if p.present == Some(true) {
            found.push(HeaderCondition::Present);
        }
        if let Some(v) = p.exact {
            found.push(HeaderCondition::Exact(v));
        }
        if let Some(v) = p.prefix {
            found.push(HeaderCondition::Prefix(v));
        }
        if let Some(v) = p.suffix {
            found.push(HeaderCondition::Suffix(v));
        }
        if let Some(v) = p.contains {
            found.push(HeaderCondition::Contains(v));
        }
        if let Some(v) = p.regex {
            found.push(HeaderCondition::Regex(v));
        }
        match (found.pop(), found.is_empty()) {
            (Some(c), true) => Ok(c),
            _ => Err(SpecError::ExactlyOne { context, fields }),
        }
    }

    /// The wire fields.
    pub(crate) fn into_parts(self) -> HeaderConditionParts {
        let mut p = HeaderConditionParts::default();
        match self {
            HeaderCondition::Present => p.present = Some(true),
            HeaderCondition::Exact(v) => p.exact = Some(v),
            HeaderCondition::Prefix(v) => p.prefix = Some(v),
            HeaderCondition::Suffix(v) => p.suffix = Some(v),
            HeaderCondition::Contains(v) => p.contains = Some(v),
            HeaderCondition::Regex(v) => p.regex = Some(v),
        }
        p
    }
}

/// A condition that makes a router retry a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RetryOn {
    /// Any 5xx response, or no response (disconnect, reset, timeout).
    #[serde(rename = "5xx")]
    FiveXx,
    /// 502, 503 or 504.
    #[serde(rename = "gateway-error")]
    GatewayError,
    /// No response at all (disconnect, reset, read timeout).
    #[serde(rename = "reset")]
    Reset,
    /// Connection failure (also set with `retryOnConnectFailure`).
    #[serde(rename = "connect-failure")]
    ConnectFailure,
    /// The upstream answered with `x-envoy-ratelimited`.
    #[serde(rename = "envoy-ratelimited")]
    EnvoyRatelimited,
    /// A retriable 4xx (409).
    #[serde(rename = "retriable-4xx")]
    Retriable4xx,
    /// HTTP/2 REFUSED_STREAM.
    #[serde(rename = "refused-stream")]
    RefusedStream,
    /// gRPC status `cancelled`.
    #[serde(rename = "cancelled")]
    Cancelled,
    /// gRPC status `deadline-exceeded`.
    #[serde(rename = "deadline-exceeded")]
    DeadlineExceeded,
    /// gRPC status `internal`.
    #[serde(rename = "internal")]
    Internal,
    /// gRPC status `resource-exhausted`.
    #[serde(rename = "resource-exhausted")]
    ResourceExhausted,
    /// gRPC status `unavailable`.
    #[serde(rename = "unavailable")]
    Unavailable,
}

// === TLS ===

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TlsVersion {
    /// Envoy's default.
    #[serde(rename = "TLS_AUTO")]
    Auto,
    /// TLS 1.0.
    #[serde(rename = "TLSv1_0")]
    V1_0,
    /// TLS 1.1.
    #[serde(rename = "TLSv1_1")]
    V1_1,
    /// TLS 1.2.
    #[serde(rename = "TLSv1_2")]
    V1_2,
    /// TLS 1.3.
    #[serde(rename = "TLSv1_3")]
    V1_3,
}

/// A TLS certificate fetched over SDS.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sds {
    /// SDS cluster to fetch certificates from; it must be in the gateway's
    /// bootstrap configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_name: Option<String>,
    /// SDS resource name of the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_resource: Option<String>,
}

// === JWT ===

/// A JWT requirement: the request must carry a token valid for one of the
/// providers. Used by ServiceIntentions, GatewayPolicy and RouteAuthFilter;
/// the gateway kinds require `providers`, so it is always written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtRequirement {
    /// Providers to try.
    #[serde(default)]
    pub providers: Vec<JwtProviderRef>,
}

/// A JWT provider named in a requirement, with extra claims to verify.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtProviderRef {
    /// Name of a JWTProvider config entry.
    pub name: String,
    /// Additional claims the token's payload must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_claims: Vec<JwtClaim>,
}

/// A claim a JWT must carry (the gateway kinds require both fields).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtClaim {
    /// Path to the claim in the token JSON (`["perms", "role"]`).
    pub path: Vec<String>,
    /// Expected value; for a list claim, the list must contain it.
    pub value: String,
}

// === Envoy extensions ===

/// An Envoy extension that patches the proxy's configuration
/// (`builtin/aws/lambda`, `builtin/ext-authz`, ...).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvoyExtension {
    /// Extension name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the proxy fails when the extension cannot be applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// The extension's arguments, free-form (consul-k8s requires them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<serde_json::Map<String, serde_json::Value>>,
}

// === peering ===

/// What a peering needs: where its token secret is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Peer {
    /// The secret holding the peering token (written by the acceptor, read
    /// by the dialer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<PeeringSecret>,
}

/// A secret holding a peering token.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringSecret {
    /// Secret name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Key of the token in the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Where the secret is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<SecretBackend>,
}

/// Where a peering secret is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretBackend {
    /// A Kubernetes Secret (the only backend supported).
    Kubernetes,
}

/// The status of PeeringAcceptor and PeeringDialer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringStatus {
    /// Latest observations of the resource's state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The last time the resource was successfully synced with Consul.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_synced_time: Option<Time>,
    /// Latest reconciled version of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_peering_version: Option<u64>,
    /// The token secret as last written or read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<PeeringSecretStatus>,
}

/// The token secret, with its resource version, in a peering status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeeringSecretStatus {
    /// Secret name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Key of the token in the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Where the secret is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<SecretBackend>,
    /// Resource version of the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
}
