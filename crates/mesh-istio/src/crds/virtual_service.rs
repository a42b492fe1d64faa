//! `VirtualService` (networking.istio.io): how requests to a host are
//! routed: ordered HTTP, TLS and TCP rules, each with match conditions and
//! destinations, plus HTTP retries, timeouts, fault injection, mirroring,
//! rewrites, redirects and CORS.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{
    Destination, HeaderMatch, Headers, IstioStatus, Percentage, PositiveDuration, StringMatch,
    single_entry, wire_enum,
};

/// The spec of a `VirtualService`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VirtualServiceSpec {
    /// Hosts the rules apply to: DNS names (wildcard prefix allowed,
    /// `*.example.com`), short Kubernetes Service names (resolved in the
    /// VirtualService's namespace) or IP addresses (gateways only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Gateways (`namespace/name`) and sidecars (the reserved word `mesh`)
    /// that apply these rules. Default: `mesh` only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Ordered HTTP rules (HTTP/1.1, HTTP/2, gRPC, terminated TLS); the
    /// first rule that matches wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http: Vec<HttpRoute>,
    /// Ordered rules for non-terminated TLS and HTTPS traffic, matched on
    /// SNI.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls: Vec<TlsRoute>,
    /// Ordered rules for opaque TCP traffic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tcp: Vec<TcpRoute>,
    /// Namespaces this VirtualService is visible to (`.` = own namespace,
    /// `*` = all). Default: all namespaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<String>,
}

impl mesh_k8s::Kind for VirtualServiceSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "VirtualService";
    const PLURAL: &'static str = "virtualservices";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Route;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `VirtualService`.
pub type VirtualService = mesh_k8s::Object<VirtualServiceSpec>;

// === HTTP ===

/// One HTTP rule: conditions and what to do with matching requests
/// (forward to `route`, `redirect`, `directResponse` or `delegate`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRoute {
    /// Name of the rule, for logs and debugging.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Conditions, ORed: the rule applies if any matches. Empty: every
    /// request.
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "match")]
    pub match_: Vec<HttpMatchRequest>,
    /// Weighted destinations to forward matching requests to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<HttpRouteDestination>,
    /// Answer with a redirect instead of forwarding.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub redirect: Option<HttpRedirect>,
    /// Answer with a fixed response instead of forwarding.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub direct_response: Option<HttpDirectResponse>,
    /// Hand the request to the HTTP rules of another VirtualService
    /// (only on a root VirtualService, with no `route` or `redirect`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub delegate: Option<Delegate>,
    /// Rewrite the path and/or authority before forwarding.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub rewrite: Option<HttpRewrite>,
    /// Request timeout (at least 1ms). Default: none.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub timeout: Option<PositiveDuration>,
    /// Retry policy. Default (when absent): 2 attempts on
    /// `connect-failure,refused-stream,unavailable,cancelled,503`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub retries: Option<HttpRetry>,
    /// Faults (delays, aborts) to inject on the client side.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub fault: Option<HttpFaultInjection>,
    /// Also send a copy of requests to this destination (responses are
    /// ignored).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mirror: Option<Destination>,
    /// Mirror to several destinations, each with its own percentage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<HttpMirrorPolicy>,
    /// Deprecated (use `mirrorPercentage`): percentage of requests to
    /// mirror, as an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mirror_percent: Option<u32>,
    /// Deprecated snake_case spelling of `mirrorPercent` (wire name
    /// `mirror_percent`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "mirror_percent"
    )]
    pub mirror_percent_snake: Option<u32>,
    /// Percentage of requests `mirror` copies. Default: 100.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mirror_percentage: Option<Percentage>,
    /// Cross-Origin Resource Sharing policy.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub cors_policy: Option<CorsPolicy>,
    /// Header changes for every destination of this rule.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub headers: Option<Headers>,
}

/// Conditions on an HTTP request, ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpMatchRequest {
    /// Name of the match, appended to the rule's name in logs.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// The request path.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<StringMatch>,
    /// The URI scheme (`http`, `https`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheme: Option<StringMatch>,
    /// The HTTP method (`GET`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub method: Option<StringMatch>,
    /// The authority (`Host` header).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub authority: Option<StringMatch>,
    /// Request headers (lower-case names); `{}` matches presence.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, HeaderMatch>,
    /// The port the host is addressed on.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u32>,
    /// Labels the calling workload must have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source_labels: BTreeMap<String, String>,
    /// Gateways this match applies to, overriding the VirtualService's
    /// `gateways`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Query parameters; `{}` matches presence.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query_params: BTreeMap<String, HeaderMatch>,
    /// Match the `uri` case-insensitively. Default: false.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ignore_uri_case: Option<bool>,
    /// Headers that must NOT match; `{}` means the header must be absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub without_headers: BTreeMap<String, HeaderMatch>,
    /// Namespace of the calling workload.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_namespace: Option<String>,
    /// Prefix for the statistics Envoy emits for this route.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub stat_prefix: Option<String>,
}

/// A weighted HTTP destination.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteDestination {
    /// Where requests go.
    pub destination: Destination,
    /// Relative weight among the rule's destinations (the weights of a
    /// rule should sum to 100). Default: all traffic when alone.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub weight: Option<i32>,
    /// Header changes for this destination only.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub headers: Option<Headers>,
}

impl HttpRouteDestination {
    /// A destination with a weight.
    pub fn weighted(destination: Destination, weight: i32) -> Self {
        HttpRouteDestination {
            destination,
            weight: Some(weight),
            headers: None,
        }
    }
}

/// Redirect answer. Only one of `port` and `derivePort` may be set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "HttpRedirectRepr", into = "HttpRedirectRepr")]
pub struct HttpRedirect {
    /// Replace the path with this value.
    pub uri: Option<String>,
    /// Replace the authority (host) with this value.
    pub authority: Option<String>,
    /// The port of the redirect URL.
    pub port: Option<RedirectPort>,
    /// Replace the scheme with this value (`https`).
    pub scheme: Option<String>,
    /// The status code. Default: 301.
    pub redirect_code: Option<u32>,
}

/// The port of a redirect URL: a fixed number or derived from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedirectPort {
    /// `port`: this port.
    Number(u32),
    /// `derivePort`: computed from the request.
    Derive(DerivePort),
}

wire_enum!(
    /// How a redirect derives its port.
    DerivePort {
        /// 80 for HTTP, 443 for HTTPS.
        FromProtocolDefault = "FROM_PROTOCOL_DEFAULT",
        /// The port of the request.
        FromRequestPort = "FROM_REQUEST_PORT",
    }
);

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpRedirectRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    uri: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    authority: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    port: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    derive_port: Option<DerivePort>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    scheme: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    redirect_code: Option<u32>,
}

impl TryFrom<HttpRedirectRepr> for HttpRedirect {
    type Error = String;
    fn try_from(r: HttpRedirectRepr) -> Result<Self, String> {
        let port = match (r.port, r.derive_port) {
            (None, None) => None,
            (Some(p), None) => Some(RedirectPort::Number(p)),
            (None, Some(d)) => Some(RedirectPort::Derive(d)),
            (Some(_), Some(_)) => return Err("only one of port or derivePort can be set".into()),
        };
        Ok(HttpRedirect {
            uri: r.uri,
            authority: r.authority,
            port,
            scheme: r.scheme,
            redirect_code: r.redirect_code,
        })
    }
}

impl From<HttpRedirect> for HttpRedirectRepr {
    fn from(r: HttpRedirect) -> Self {
        let (port, derive_port) = match r.port {
            None => (None, None),
            Some(RedirectPort::Number(p)) => (Some(p), None),
            Some(RedirectPort::Derive(d)) => (None, Some(d)),
        };
        HttpRedirectRepr {
            uri: r.uri,
            authority: r.authority,
            port,
            derive_port,
            scheme: r.scheme,
            redirect_code: r.redirect_code,
        }
    }
}

/// A fixed response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpDirectResponse {
    /// The HTTP status code.
    pub status: u32,
    /// The body. Default: empty.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub body: Option<HttpBody>,
}

/// A response body.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HttpBody {
    /// Text.
    String(String),
    /// Bytes, base64-encoded.
    Bytes(String),
}

impl Serialize for HttpBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HttpBody::String(v) => single_entry(s, "string", v),
            HttpBody::Bytes(v) => single_entry(s, "bytes", v),
        }
    }
}

/// The VirtualService a delegating rule hands requests to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delegate {
    /// Its name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Its namespace. Default: the delegating VirtualService's.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub namespace: Option<String>,
}

/// Path and authority rewrite before forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRewrite {
    /// Replace the matched prefix (with a `prefix` match) or the whole path
    /// with this value.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
    /// Replace the authority (host) header.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub authority: Option<String>,
    /// Rewrite the path with a regex substitution.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri_regex_rewrite: Option<RegexRewrite>,
}

/// A regex substitution on the path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegexRewrite {
    /// RE2 pattern.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "match"
    )]
    pub match_: Option<String>,
    /// Replacement; `\1` refers to capture groups.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub rewrite: Option<String>,
}

/// Retry policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRetry {
    /// Number of retries (0 disables retries). The total time is still
    /// bounded by the rule's `timeout`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub attempts: Option<i32>,
    /// Timeout of each attempt, including the first (at least 1ms).
    /// Default: the rule's timeout.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub per_try_timeout: Option<PositiveDuration>,
    /// Comma-separated Envoy retry conditions (`5xx,reset,connect-failure`)
    /// and status codes.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_on: Option<String>,
    /// Retry to other localities. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_remote_localities: Option<bool>,
    /// Avoid hosts already tried. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_ignore_previous_hosts: Option<bool>,
    /// Minimum wait between attempts (at least 1ms). Default: 25ms.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub backoff: Option<PositiveDuration>,
}

/// Fault injection on the client side. Retries are not applied to
/// injected faults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpFaultInjection {
    /// Delay requests before forwarding.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub delay: Option<Delay>,
    /// Answer requests with an error instead of forwarding.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub abort: Option<Abort>,
}

/// An injected delay.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "DelayRepr", into = "DelayRepr")]
pub struct Delay {
    /// How long to delay.
    pub delay: Option<DelayKind>,
    /// Deprecated (use `percentage`): integer percentage of requests.
    pub percent: Option<i32>,
    /// Percentage of requests to delay. Default: all.
    pub percentage: Option<Percentage>,
}

/// How long an injected delay is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DelayKind {
    /// `fixedDelay`: this long (at least 1ms).
    Fixed(PositiveDuration),
    /// `exponentialDelay`: exponential, with this mean (at least 1ms).
    Exponential(PositiveDuration),
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct DelayRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    fixed_delay: Option<PositiveDuration>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    exponential_delay: Option<PositiveDuration>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    percent: Option<i32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    percentage: Option<Percentage>,
}

impl TryFrom<DelayRepr> for Delay {
    type Error = String;
    fn try_from(r: DelayRepr) -> Result<Self, String> {
        let delay = match (r.fixed_delay, r.exponential_delay) {
            (None, None) => None,
            (Some(d), None) => Some(DelayKind::Fixed(d)),
            (None, Some(d)) => Some(DelayKind::Exponential(d)),
            _ => return Err("only one of fixedDelay or exponentialDelay can be set".into()),
        };
        Ok(Delay {
            delay,
            percent: r.percent,
            percentage: r.percentage,
        })
    }
}

impl From<Delay> for DelayRepr {
    fn from(d: Delay) -> Self {
        let (fixed_delay, exponential_delay) = match d.delay {
            None => (None, None),
            Some(DelayKind::Fixed(x)) => (Some(x), None),
            Some(DelayKind::Exponential(x)) => (None, Some(x)),
        };
        DelayRepr {
            fixed_delay,
            exponential_delay,
            percent: d.percent,
            percentage: d.percentage,
        }
    }
}

/// An injected error.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "AbortRepr", into = "AbortRepr")]
pub struct Abort {
    /// The error returned.
    pub error: Option<AbortError>,
    /// Percentage of requests to abort. Default: all.
    pub percentage: Option<Percentage>,
}

/// The error an abort returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AbortError {
    /// `httpStatus`: this HTTP status code.
    HttpStatus(i32),
    /// `grpcStatus`: this gRPC status (`UNAVAILABLE`).
    GrpcStatus(String),
    /// `http2Error`: this HTTP/2 error.
    Http2Error(String),
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AbortRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http_status: Option<i32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    grpc_status: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http2_error: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    percentage: Option<Percentage>,
}

impl TryFrom<AbortRepr> for Abort {
    type Error = String;
    fn try_from(r: AbortRepr) -> Result<Self, String> {
        let error = match (r.http_status, r.grpc_status, r.http2_error) {
            (None, None, None) => None,
            (Some(s), None, None) => Some(AbortError::HttpStatus(s)),
            (None, Some(s), None) => Some(AbortError::GrpcStatus(s)),
            (None, None, Some(s)) => Some(AbortError::Http2Error(s)),
            _ => {
                return Err("only one of httpStatus, grpcStatus or http2Error can be set".into());
            }
        };
        Ok(Abort {
            error,
            percentage: r.percentage,
        })
    }
}

impl From<Abort> for AbortRepr {
    fn from(a: Abort) -> Self {
        let mut r = AbortRepr {
            http_status: None,
            grpc_status: None,
            http2_error: None,
            percentage: a.percentage,
        };
        match a.error {
            None => {}
            Some(AbortError::HttpStatus(s)) => r.http_status = Some(s),
            Some(AbortError::GrpcStatus(s)) => r.grpc_status = Some(s),
            Some(AbortError::Http2Error(s)) => r.http2_error = Some(s),
        }
        r
    }
}

/// One mirror destination.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpMirrorPolicy {
    /// Where copies go.
    pub destination: Destination,
    /// Percentage of requests copied. Default: 100.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub percentage: Option<Percentage>,
}

/// Cross-Origin Resource Sharing policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CorsPolicy {
    /// Deprecated (use `allowOrigins`): exact origins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origin: Vec<String>,
    /// Origins allowed (a match on each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_origins: Vec<StringMatch>,
    /// Methods allowed (`Access-Control-Allow-Methods`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_methods: Vec<String>,
    /// Request headers allowed (`Access-Control-Allow-Headers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow_headers: Vec<String>,
    /// Response headers the browser may read
    /// (`Access-Control-Expose-Headers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    /// How long a preflight result may be cached (at least 1ms).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_age: Option<PositiveDuration>,
    /// Whether credentials may be sent (`Access-Control-Allow-Credentials`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    /// What to do with preflight requests whose origin is not allowed.
    /// Default: `FORWARD`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub unmatched_preflights: Option<UnmatchedPreflights>,
}

wire_enum!(
    /// What happens to a preflight request whose origin is not allowed.
    UnmatchedPreflights {
        /// Not set: same as `FORWARD`.
        Unspecified = "UNSPECIFIED",
        /// Forward it upstream.
        Forward = "FORWARD",
        /// Answer it without CORS headers, not forwarding it.
        Ignore = "IGNORE",
    }
);

// === TLS and TCP ===

/// A rule for non-terminated TLS traffic.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsRoute {
    /// Conditions, ORed (required).
    #[serde(rename = "match")]
    pub match_: Vec<TlsMatchAttributes>,
    /// Weighted destinations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteDestination>,
}

/// Conditions on a TLS connection, ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsMatchAttributes {
    /// SNI values to match (wildcard prefix allowed); required.
    pub sni_hosts: Vec<String>,
    /// Destination IPs or CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_subnets: Vec<String>,
    /// The port the host is addressed on.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u32>,
    /// Labels the calling workload must have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source_labels: BTreeMap<String, String>,
    /// Gateways this match applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Namespace of the calling workload.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_namespace: Option<String>,
}

/// A rule for opaque TCP traffic.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpRoute {
    /// Conditions, ORed. Empty: every connection.
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "match")]
    pub match_: Vec<L4MatchAttributes>,
    /// Weighted destinations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteDestination>,
}

/// Conditions on a TCP connection, ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct L4MatchAttributes {
    /// Destination IPs or CIDRs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_subnets: Vec<String>,
    /// The port the host is addressed on.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<u32>,
    /// Source IP or CIDR.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_subnet: Option<String>,
    /// Labels the calling workload must have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub source_labels: BTreeMap<String, String>,
    /// Gateways this match applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<String>,
    /// Namespace of the calling workload.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_namespace: Option<String>,
}

/// A weighted TLS/TCP destination.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteDestination {
    /// Where connections go.
    pub destination: Destination,
    /// Relative weight among the rule's destinations.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub weight: Option<i32>,
}
