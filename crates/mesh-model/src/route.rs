//! Routes: ordered rules for requests to a service (or through an
//! ingress), first match wins.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use derive_builder::Builder;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::value::checked_string;
use crate::{
    BuildError, Duration, HeaderName, Hostname, HttpStatus, Name, Percent, Port, Regex, ValueError,
    Weight,
};

// === HttpPath ===

fn http_path_rule(s: &str) -> Result<(), &'static str> {
    if !s.starts_with('/') {
        return Err("must start with '/'");
    }
    if s.len() > 1024 {
        return Err("must be no more than 1024 characters");
    }
    for bad in ["//", "/./", "/../", "%2f", "%2F", "#"] {
        if s.contains(bad) {
            return Err("must not contain '//', '/./', '/../', '%2f', '%2F' or '#'");
        }
    }
    if s.ends_with("/..") || s.ends_with("/.") {
        return Err("must not end with '/.' or '/..'");
    }
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                return Err("has a '%' that does not start a %XX escape");
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&c)) {
            return Err("has a character that must be %-escaped in a URL path");
        }
        i += 1;
    }
    Ok(())
}

checked_string!(
    /// An absolute URL path, by Gateway API's rules (the strictest of the
    /// meshes): starts with `/`, at most 1024 characters, no `//`, `/./`,
    /// `/../`, `%2f` or `#`, and only characters allowed in a URL path.
    ///
    /// ```
    /// use mesh_model::HttpPath;
    /// assert!(HttpPath::new("/api/v2").is_ok());
    /// assert!(HttpPath::new("api").is_err());
    /// assert!(HttpPath::new("/a//b").is_err());
    /// ```
    HttpPath,
    "URL path",
    http_path_rule
);

// === matching ===

/// How a request path is matched.
///
/// `Prefix` matches whole path segments, as Gateway API's `PathPrefix`
/// does: `/api` matches `/api`, `/api/` and `/api/v1`, but not `/apix`. A
/// trailing `/` in the prefix is ignored. Meshes that compare string
/// prefixes (Istio, Consul) get a faithful rewrite: an exact match on `/api`
/// plus a string prefix `/api/`. For a string prefix, use a regex
/// (`/api.*`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PathMatch {
    /// The whole path equals this.
    Exact(HttpPath),
    /// The path starts with these segments.
    Prefix(HttpPath),
    /// The whole path matches this RE2 expression.
    Regex(Regex),
}

impl PathMatch {
    /// If this matches every path (prefix `/`).
    pub fn is_catch_all(&self) -> bool {
        matches!(self, PathMatch::Prefix(p) if p.as_str() == "/")
    }

    /// The faithful rewrite of a segment prefix for meshes that compare
    /// string prefixes (Istio, Consul): an exact match on the prefix and a
    /// string prefix that ends in `/`. `None` for exact and regex matches,
    /// and for `/` (which every string-prefix mesh reads right).
    ///
    /// ```
    /// use mesh_model::{HttpPath, PathMatch};
    /// let p = PathMatch::Prefix(HttpPath::new("/api/")?);
    /// let (exact, prefix) = p.segment_prefix_rewrite().unwrap();
    /// assert_eq!((exact.as_str(), prefix.as_str()), ("/api", "/api/"));
    /// # Ok::<(), mesh_model::ValueError>(())
    /// ```
    pub fn segment_prefix_rewrite(&self) -> Option<(HttpPath, HttpPath)> {
        let PathMatch::Prefix(p) = self else {
            return None;
        };
        let trimmed = p.as_str().trim_end_matches('/');
        if trimmed.is_empty() {
            return None;
        }
        Some((
            HttpPath::new(trimmed).ok()?,
            HttpPath::new(format!("{trimmed}/")).ok()?,
        ))
    }
}

/// Converts relative weights into percentages in hundredths (0.01 steps)
/// that add up to exactly 100.00%, for meshes that need percentages
/// (Consul's splitter). Largest-remainder rounding, except that a non-zero
/// weight is never rounded to zero: such weights get their hundredth first
/// (taken, if need be, from the largest shares). Each share stays within
/// 0.01% of its exact value, give or take the hundredths handed to tiny
/// weights. Returns `None` when the weights add up to zero (or, absurdly,
/// when more than 10,000 weights are non-zero).
///
/// ```
/// use mesh_model::percent_hundredths;
/// assert_eq!(percent_hundredths(&[90, 10]), Some(vec![9000, 1000]));
/// assert_eq!(percent_hundredths(&[1, 1, 1]), Some(vec![3334, 3333, 3333]));
/// assert_eq!(percent_hundredths(&[500, 500]), Some(vec![5000, 5000]));
/// assert_eq!(percent_hundredths(&[999_999, 1]), Some(vec![9999, 1]));
/// ```
pub fn percent_hundredths(weights: &[u32]) -> Option<Vec<u32>> {
    let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
    if total == 0 {
        return None;
    }
    // (floor of the exact share, remainder), both in hundredths.
    let mut h: Vec<u64> = Vec::with_capacity(weights.len());
    let mut rem: Vec<u64> = Vec::with_capacity(weights.len());
    for w in weights {
        let exact = u64::from(*w) * 10_000;
        h.push(exact / total);
        rem.push(exact % total);
    }
    let mut left = 10_000 - h.iter().sum::<u64>();
    let needy = |i: usize, h: &[u64]| weights[i] > 0 && h[i] == 0;
    // Non-zero weights at zero first, then by largest remainder; ties to the
    // earlier backend.
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        needy(b, &h)
            .cmp(&needy(a, &h))
            .then(rem[b].cmp(&rem[a]))
            .then(a.cmp(&b))
    });
    let mut bumped = vec![false; weights.len()];
    for i in order {
        if left == 0 {
            break;
        }
        if rem[i] > 0 || needy(i, &h) {
            h[i] += 1;
            bumped[i] = true;
            left -= 1;
        }
    }
    // Still-zero non-zero weights take a hundredth from the largest share
    // that was not rounded up (each donor gives once).
    let mut donated = vec![false; weights.len()];
    for i in 0..weights.len() {
        if needy(i, &h) {
            let donor = (0..weights.len())
                .filter(|&d| d != i && h[d] > 1 && !bumped[d] && !donated[d])
                .max_by(|&a, &b| h[a].cmp(&h[b]).then(b.cmp(&a)))?;
            h[donor] -= 1;
            donated[donor] = true;
            h[i] = 1;
            bumped[i] = true;
        }
    }
    h.into_iter().map(|x| u32::try_from(x).ok()).collect()
}

/// How a header or query parameter value is matched.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum StringMatch {
    /// Equals this.
    Exact(String),
    /// Starts with this (meshes without prefix matching get an equivalent
    /// regex).
    Prefix(String),
    /// The whole value matches this RE2 expression.
    Regex(Regex),
}

impl StringMatch {
    /// An exact match.
    pub fn exact(s: impl Into<String>) -> Self {
        StringMatch::Exact(s.into())
    }

    /// As a regex matching the same values (exact and prefix escaped);
    /// fails only when the result would pass the 1024-character limit.
    pub fn to_regex(&self) -> Result<Regex, ValueError> {
        match self {
            StringMatch::Exact(s) => Regex::new(Regex::literal(s).as_str()),
            StringMatch::Prefix(s) => Regex::new(format!("{}.*", Regex::literal(s).as_str())),
            StringMatch::Regex(r) => Ok(r.clone()),
        }
    }
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET.
    Get,
    /// HEAD.
    Head,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// CONNECT.
    Connect,
    /// OPTIONS.
    Options,
    /// TRACE.
    Trace,
    /// PATCH.
    Patch,
}

impl Method {
    /// The method's name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Connect => "CONNECT",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Patch => "PATCH",
        }
    }

    /// Whether repeating the request is safe (RFC 9110 idempotent methods).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch | Method::Connect)
    }
}

/// One way a request can match: every condition set here must hold (AND).
/// A route's matches are alternatives (OR); a route with no match matches
/// every request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct RouteMatch {
    /// The request path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathMatch>,
    /// The request method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Request headers (names are case-insensitive). A cookie is matched
    /// through the `cookie` header; see [`RouteMatch::cookie`].
    #[builder(setter(each(name = "header")))]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<HeaderName, StringMatch>")
    )]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<HeaderName, StringMatch>,
    /// Query parameters (names are case-sensitive).
    #[builder(setter(each(name = "query_param")))]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, StringMatch>,
}

impl RouteMatch {
    /// Whether this matches every request.
    pub fn is_catch_all(&self) -> bool {
        self.path.as_ref().is_none_or(PathMatch::is_catch_all)
            && self.method.is_none()
            && self.headers.is_empty()
            && self.query.is_empty()
    }

    /// A match on cookie `name` having value `value`, the way meshes
    /// without cookie matching do it: a regex on the `cookie` header.
    ///
    /// ```
    /// use mesh_model::{RouteMatch, StringMatch};
    /// let m = RouteMatch::cookie("user", "jason").unwrap();
    /// let (name, value) = m.headers.iter().next().unwrap();
    /// assert_eq!(name.as_str(), "cookie");
    /// assert_eq!(value, &StringMatch::Regex("^(.*?;\\s*)?(user=jason)(;.*)?$".parse().unwrap()));
    /// ```
    pub fn cookie(name: &str, value: &str) -> Result<Self, ValueError> {
        let re = Regex::new(format!(
            "^(.*?;\\s*)?({}={})(;.*)?$",
            Regex::literal(name).as_str(),
            Regex::literal(value).as_str()
        ))?;
        let mut m = RouteMatch::default();
        m.headers
            .insert(HeaderName::new("cookie")?, StringMatch::Regex(re));
        Ok(m)
    }
}

impl Check for RouteMatch {
    fn check(&self, c: &mut Checker) {
        c.at("query", |c| {
            for k in self.query.keys() {
                if k.is_empty() || k.len() > 256 {
                    c.key(k, |c| {
                        c.error(Problem::OutOfRange {
                            what: "a query parameter name's length",
                            value: k.len().to_string(),
                            range: "from 1 to 256 characters",
                        })
                    });
                }
            }
        });
    }
}

// === forwarding ===

/// Where a route sends requests, and how much of them.
///
/// `service` defaults to the service that owns the route (ingress routes
/// must name it); `namespace` to that service's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct BackendRef {
    /// The service (default: the route's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Name>,
    /// The service's namespace (default: the route's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Name>,
    /// A version of that service (default: all its pods).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Name>,
    /// The service port (default: the only one, or the same port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<Port>,
    /// Relative weight (default 1): this backend gets `weight / total`.
    #[serde(default, skip_serializing_if = "Weight::is_default")]
    pub weight: Weight,
}

impl BackendRef {
    /// All of the route's own service.
    pub fn this_service() -> Self {
        BackendRef::default()
    }

    /// A version of the route's own service with a weight.
    pub fn version(version: &str, weight: u32) -> Result<Self, ValueError> {
        Ok(BackendRef {
            version: Some(Name::new(version)?),
            weight: Weight::new(weight)?,
            ..Default::default()
        })
    }
}

/// A copy of the traffic sent to another destination; responses are
/// discarded.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Mirror {
    /// The service (default: the route's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Name>,
    /// The service's namespace (default: the route's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Name>,
    /// A version of that service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Name>,
    /// The service port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<Port>,
    /// Share of requests copied (default 100%).
    #[serde(default, skip_serializing_if = "Percent::is_all")]
    pub percent: Percent,
}

/// How a path is rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum PathRewrite {
    /// Replace the whole path.
    Full(HttpPath),
    /// Replace the matched prefix (the route must match by path prefix).
    Prefix(HttpPath),
}

/// Rewrites applied before forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Rewrite {
    /// The path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathRewrite>,
    /// The `Host`/`:authority` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Hostname>,
}

/// A condition under which a failed request is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RetryOn {
    /// Any 5xx response, or no response (reset, connect failure, timeout).
    Status5xx,
    /// 502, 503 or 504.
    GatewayError,
    /// The upstream reset the connection or stream.
    Reset,
    /// Connecting failed.
    ConnectFailure,
    /// The upstream refused the HTTP/2 stream (REFUSED_STREAM).
    RefusedStream,
    /// 409 Conflict (Envoy's retriable 4xx).
    Retriable4xx,
    /// gRPC status CANCELLED.
    Cancelled,
    /// gRPC status DEADLINE_EXCEEDED.
    DeadlineExceeded,
    /// gRPC status INTERNAL.
    Internal,
    /// gRPC status RESOURCE_EXHAUSTED.
    ResourceExhausted,
    /// gRPC status UNAVAILABLE.
    Unavailable,
    /// This HTTP status.
    Status(HttpStatus),
}

impl RetryOn {
    /// The condition's name as Envoy and Istio spell it (`5xx`,
    /// `gateway-error`, `503`).
    pub fn name(self) -> String {
        match self {
            RetryOn::Status(s) => s.to_string(),
            other => other.keyword().unwrap_or_default().to_owned(),
        }
    }

    fn keyword(self) -> Option<&'static str> {
        Some(match self {
            RetryOn::Status5xx => "5xx",
            RetryOn::GatewayError => "gateway-error",
            RetryOn::Reset => "reset",
            RetryOn::ConnectFailure => "connect-failure",
            RetryOn::RefusedStream => "refused-stream",
            RetryOn::Retriable4xx => "retriable-4xx",
            RetryOn::Cancelled => "cancelled",
            RetryOn::DeadlineExceeded => "deadline-exceeded",
            RetryOn::Internal => "internal",
            RetryOn::ResourceExhausted => "resource-exhausted",
            RetryOn::Unavailable => "unavailable",
            RetryOn::Status(_) => return None,
        })
    }

    const KEYWORDS: [RetryOn; 11] = [
        RetryOn::Status5xx,
        RetryOn::GatewayError,
        RetryOn::Reset,
        RetryOn::ConnectFailure,
        RetryOn::RefusedStream,
        RetryOn::Retriable4xx,
        RetryOn::Cancelled,
        RetryOn::DeadlineExceeded,
        RetryOn::Internal,
        RetryOn::ResourceExhausted,
        RetryOn::Unavailable,
    ];
}

impl fmt::Display for RetryOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl FromStr for RetryOn {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        if let Some(k) = RetryOn::KEYWORDS.iter().find(|k| k.keyword() == Some(s)) {
            return Ok(*k);
        }
        match s.parse::<u32>() {
            Ok(n) => HttpStatus::new(n).map(RetryOn::Status),
            Err(_) => Err(ValueError::invalid(
                "retry condition",
                s,
                "must be one of 5xx, gateway-error, reset, connect-failure, refused-stream, retriable-4xx, \
                 cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, or an HTTP status",
            )),
        }
    }
}

impl Serialize for RetryOn {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            RetryOn::Status(code) => s.serialize_u16(code.get()),
            other => s.serialize_str(other.keyword().unwrap_or_default()),
        }
    }
}

impl<'de> Deserialize<'de> for RetryOn {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RetryOn;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a retry condition such as 5xx, connect-failure or 503")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RetryOn, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RetryOn, E> {
                let n = u32::try_from(v).unwrap_or(u32::MAX);
                HttpStatus::new(n).map(RetryOn::Status).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RetryOn, E> {
                let n = u32::try_from(v).unwrap_or(u32::MAX);
                HttpStatus::new(n).map(RetryOn::Status).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// How failed requests are retried. No retries happen unless a policy says
/// so (Istio retries twice by default: its backend emits `attempts: 0`
/// where the model has no policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct RetryPolicy {
    /// How many times a request may be retried after the first try (Istio
    /// `attempts`, Linkerd `retry.linkerd.io/limit`, Consul `numRetries`).
    pub attempts: u32,
    /// Timeout of each try, including the first.
    ///
    /// [`Mesh::validate`](crate::Mesh::validate) requires `attempts ×
    /// perTryTimeout` to fit the route timeout (so "3 retries of 10s within
    /// 30s" is valid); the analyzer warns when `(attempts + 1) ×
    /// perTryTimeout` does not, since the first try also takes time.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_try_timeout: Option<Duration>,
    /// When to retry. Empty means the mesh-neutral default: connect
    /// failures, refused streams and 503 (`connect-failure`,
    /// `refused-stream`, `503`).
    #[builder(default, setter(each(name = "retry_on")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<RetryOn>,
    /// Base interval of the exponential back-off between retries (Envoy's
    /// default 25ms).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff: Option<Duration>,
    /// Prefer endpoints in other localities when retrying (Istio
    /// `retryRemoteLocalities`).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub remote_localities: bool,
}

impl RetryPolicy {
    /// The conditions in force: `on`, or the default set.
    pub fn conditions(&self) -> Vec<RetryOn> {
        if self.on.is_empty() {
            vec![
                RetryOn::ConnectFailure,
                RetryOn::RefusedStream,
                RetryOn::Status(HttpStatus::SERVICE_UNAVAILABLE),
            ]
        } else {
            self.on.clone()
        }
    }

    /// Checks attempts against a route timeout.
    pub(crate) fn check_with_timeout(&self, timeout: Option<Duration>, c: &mut Checker) {
        if let (Some(timeout), Some(per_try)) = (timeout, self.per_try_timeout) {
            let total = per_try.checked_mul(self.attempts);
            if total.is_none_or(|t| t > timeout) {
                c.error(Problem::RetriesExceedTimeout {
                    attempts: self.attempts,
                    per_try_timeout: per_try,
                    total: total
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "too long".into()),
                    timeout,
                });
            }
        }
    }
}

impl Check for RetryPolicy {
    fn check(&self, c: &mut Checker) {
        if self.attempts == 0 {
            c.error_at("attempts", Problem::ZeroAttempts);
        }
        if self.per_try_timeout.is_some_and(Duration::is_zero) {
            c.error_at(
                "perTryTimeout",
                Problem::OutOfRange {
                    what: "perTryTimeout",
                    value: "0s".into(),
                    range: "at least 1ms",
                },
            );
        }
    }
}

/// A delay injected before forwarding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct FaultDelay {
    /// How long.
    pub delay: Duration,
    /// Share of requests delayed (default 100%).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Percent::is_all")]
    pub percent: Percent,
}

/// An error returned instead of forwarding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct FaultAbort {
    /// The HTTP status returned.
    pub status: HttpStatus,
    /// Share of requests aborted (default 100%).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Percent::is_all")]
    pub percent: Percent,
}

/// Faults injected to test resilience.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Fault {
    /// Delay some requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<FaultDelay>,
    /// Fail some requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abort: Option<FaultAbort>,
}

impl Check for Fault {
    fn check(&self, c: &mut Checker) {
        if self.delay.is_none() && self.abort.is_none() {
            c.error(Problem::Empty {
                what: "a fault (set delay, abort or both)",
            });
        }
    }
}

/// Send the request on, to weighted backends.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Forward {
    /// Where requests go; each gets `weight / total` of them.
    #[builder(setter(each(name = "backend")))]
    pub backends: Vec<BackendRef>,
    /// Copies of the traffic sent elsewhere.
    #[builder(setter(each(name = "mirror")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mirrors: Vec<Mirror>,
    /// Rewrites before forwarding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<Rewrite>,
    /// Time for the whole request including retries; none by default
    /// (Consul's implicit 15 s is switched off by its backend).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Retries; none unless said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<RetryPolicy>,
    /// Faults to inject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<Fault>,
}

impl Forward {
    /// The sum of the backends' weights.
    pub fn total_weight(&self) -> u64 {
        self.backends
            .iter()
            .map(|b| u64::from(b.weight.get()))
            .sum()
    }
}

impl Check for Forward {
    fn check(&self, c: &mut Checker) {
        if self.backends.is_empty() {
            c.error_at("backends", Problem::Empty { what: "backends" });
        } else {
            let total = self.total_weight();
            if total == 0 {
                c.error_at("backends", Problem::ZeroTotalWeight);
            } else {
                c.at("backends", |c| {
                    for (i, b) in self.backends.iter().enumerate() {
                        let w = u64::from(b.weight.get());
                        // Shares under 0.005% round to 0.00% in 0.01-step percentages.
                        if w > 0 && w * 20_000 < total {
                            c.idx(i, |c| {
                                c.error_at(
                                    "weight",
                                    Problem::WeightTooSmall {
                                        weight: b.weight.get(),
                                        total,
                                    },
                                )
                            });
                        }
                    }
                });
            }
        }
        c.opt("retries", &self.retries);
        if let Some(r) = &self.retries {
            c.at("retries", |c| r.check_with_timeout(self.timeout, c));
        }
        c.opt("fault", &self.fault);
    }
}

// === other actions ===

/// The scheme of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

/// A redirect status code: 301, 302, 303, 307 or 308.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub enum RedirectStatus {
    /// 301 Moved Permanently.
    MovedPermanently,
    /// 302 Found (the default).
    #[default]
    Found,
    /// 303 See Other.
    SeeOther,
    /// 307 Temporary Redirect.
    TemporaryRedirect,
    /// 308 Permanent Redirect.
    PermanentRedirect,
}

impl RedirectStatus {
    /// The code.
    pub fn code(self) -> u16 {
        match self {
            RedirectStatus::MovedPermanently => 301,
            RedirectStatus::Found => 302,
            RedirectStatus::SeeOther => 303,
            RedirectStatus::TemporaryRedirect => 307,
            RedirectStatus::PermanentRedirect => 308,
        }
    }
}

impl From<RedirectStatus> for u16 {
    fn from(s: RedirectStatus) -> u16 {
        s.code()
    }
}

impl TryFrom<u16> for RedirectStatus {
    type Error = ValueError;
    fn try_from(v: u16) -> Result<Self, ValueError> {
        Ok(match v {
            301 => RedirectStatus::MovedPermanently,
            302 => RedirectStatus::Found,
            303 => RedirectStatus::SeeOther,
            307 => RedirectStatus::TemporaryRedirect,
            308 => RedirectStatus::PermanentRedirect,
            _ => {
                return Err(ValueError::invalid(
                    "redirect status",
                    v.to_string(),
                    "must be 301, 302, 303, 307 or 308",
                ));
            }
        })
    }
}

/// Answer with a redirect instead of forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Redirect {
    /// New scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// New host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Hostname>,
    /// New port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<Port>,
    /// New path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathRewrite>,
    /// Status code (default 302).
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub status: RedirectStatus,
}

impl Check for Redirect {
    fn check(&self, c: &mut Checker) {
        if self.scheme.is_none()
            && self.host.is_none()
            && self.port.is_none()
            && self.path.is_none()
        {
            c.error(Problem::Empty { what: "a redirect (set at least one of scheme, host, port or path, or it would loop)" });
        }
    }
}

/// Answer directly instead of forwarding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct DirectResponse {
    /// Status code.
    pub status: HttpStatus,
    /// Body.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// What a matching request gets.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Forwarded to backends.
    Forward(Forward),
    /// A redirect.
    Redirect(Redirect),
    /// A direct response.
    Respond(DirectResponse),
}

/// Header changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct HeaderEdits {
    /// Set (replace) these headers.
    #[builder(setter(each(name = "set_header")))]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<HeaderName, String>")
    )]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<HeaderName, String>,
    /// Add these values (keeping existing ones).
    #[builder(setter(each(name = "add_header")))]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<HeaderName, String>")
    )]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<HeaderName, String>,
    /// Remove these headers.
    #[builder(setter(each(name = "remove_header")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<HeaderName>,
}

impl HeaderEdits {
    /// Whether nothing is changed.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.add.is_empty() && self.remove.is_empty()
    }
}

impl Check for HeaderEdits {
    fn check(&self, c: &mut Checker) {
        c.at("remove", |c| {
            for (i, h) in self.remove.iter().enumerate() {
                if self.set.contains_key(h) || self.add.contains_key(h) {
                    c.idx(i, |c| {
                        c.error(Problem::Conflict(
                            "a header is both removed and set or added; keep one",
                        ))
                    });
                }
            }
        });
    }
}

/// A route: requests that match are handled by the action.
#[derive(Debug, Clone, PartialEq, Builder)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Route {
    /// A name, unique within the service; used to name generated objects
    /// and in diagnostics.
    #[builder(default)]
    pub name: Option<Name>,
    /// Alternatives (OR); none matches every request.
    #[builder(default, setter(each(name = "matching")))]
    pub matches: Vec<RouteMatch>,
    /// What matching requests get.
    pub action: Action,
    /// Changes to request headers.
    #[builder(default)]
    pub request_headers: HeaderEdits,
    /// Changes to response headers.
    #[builder(default)]
    pub response_headers: HeaderEdits,
}

impl RouteBuilder {
    /// Forward matching requests.
    pub fn forward(&mut self, forward: Forward) -> &mut Self {
        self.action = Some(Action::Forward(forward));
        self
    }

    /// Redirect matching requests.
    pub fn redirect(&mut self, redirect: Redirect) -> &mut Self {
        self.action = Some(Action::Redirect(redirect));
        self
    }

    /// Answer matching requests directly.
    pub fn respond(&mut self, response: DirectResponse) -> &mut Self {
        self.action = Some(Action::Respond(response));
        self
    }
}

impl Route {
    /// Whether the route matches every request.
    pub fn is_catch_all(&self) -> bool {
        self.matches.is_empty() || self.matches.iter().any(RouteMatch::is_catch_all)
    }

    /// The forward action, if that is what the route does.
    pub fn forward(&self) -> Option<&Forward> {
        match &self.action {
            Action::Forward(f) => Some(f),
            _ => None,
        }
    }
}

impl Check for Route {
    fn check(&self, c: &mut Checker) {
        c.each("match", &self.matches);
        match &self.action {
            Action::Forward(f) => {
                c.at("forward", |c| {
                    f.check(c);
                    if let Some(Rewrite {
                        path: Some(PathRewrite::Prefix(_)),
                        ..
                    }) = &f.rewrite
                    {
                        let all_prefix = !self.matches.is_empty()
                            && self
                                .matches
                                .iter()
                                .all(|m| matches!(m.path, Some(PathMatch::Prefix(_))));
                        if !all_prefix {
                            c.at("rewrite", |c| {
                                c.error_at("path", Problem::PrefixRewriteWithoutPrefixMatch)
                            });
                        }
                    }
                });
            }
            Action::Redirect(r) => c.at("redirect", |c| r.check(c)),
            Action::Respond(_) => {}
        }
        c.at("requestHeaders", |c| self.request_headers.check(c));
        c.at("responseHeaders", |c| self.response_headers.check(c));
    }
}

// The policy-file form: `forward:` / `redirect:` / `respond:` beside `match:`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteRepr {
    #[serde(default)]
    name: Option<Name>,
    #[serde(default, rename = "match")]
    matches: Vec<RouteMatch>,
    #[serde(default)]
    forward: Option<Forward>,
    #[serde(default)]
    redirect: Option<Redirect>,
    #[serde(default)]
    respond: Option<DirectResponse>,
    #[serde(default)]
    request_headers: HeaderEdits,
    #[serde(default)]
    response_headers: HeaderEdits,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RouteReprRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: &'a Option<Name>,
    #[serde(rename = "match", skip_serializing_if = "<[RouteMatch]>::is_empty")]
    matches: &'a [RouteMatch],
    #[serde(skip_serializing_if = "Option::is_none")]
    forward: Option<&'a Forward>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect: Option<&'a Redirect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    respond: Option<&'a DirectResponse>,
    #[serde(skip_serializing_if = "HeaderEdits::is_empty")]
    request_headers: &'a HeaderEdits,
    #[serde(skip_serializing_if = "HeaderEdits::is_empty")]
    response_headers: &'a HeaderEdits,
}

impl Serialize for Route {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (forward, redirect, respond) = match &self.action {
            Action::Forward(f) => (Some(f), None, None),
            Action::Redirect(r) => (None, Some(r), None),
            Action::Respond(r) => (None, None, Some(r)),
        };
        RouteReprRef {
            name: &self.name,
            matches: &self.matches,
            forward,
            redirect,
            respond,
            request_headers: &self.request_headers,
            response_headers: &self.response_headers,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Route {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RouteRepr::deserialize(d)?;
        let action = match (r.forward, r.redirect, r.respond) {
            (Some(f), None, None) => Action::Forward(f),
            (None, Some(r), None) => Action::Redirect(r),
            (None, None, Some(r)) => Action::Respond(r),
            _ => {
                return Err(serde::de::Error::custom(
                    "a route needs exactly one of `forward`, `redirect` or `respond`",
                ));
            }
        };
        Ok(Route {
            name: r.name,
            matches: r.matches,
            action,
            request_headers: r.request_headers,
            response_headers: r.response_headers,
        })
    }
}

checked_builder!(
    Route => RouteBuilder,
    RouteMatch => RouteMatchBuilder,
    Forward => ForwardBuilder,
    RetryPolicy => RetryPolicyBuilder,
    Fault => FaultBuilder,
    Redirect => RedirectBuilder,
    HeaderEdits => HeaderEditsBuilder,
);

impl Check for BackendRef {
    fn check(&self, _c: &mut Checker) {}
}
impl Check for Mirror {
    fn check(&self, _c: &mut Checker) {}
}
impl Check for Rewrite {
    fn check(&self, _c: &mut Checker) {}
}
checked_builder!(BackendRef => BackendRefBuilder, Mirror => MirrorBuilder, Rewrite => RewriteBuilder);

crate::error::plain_builder!(
    FaultDelay => FaultDelayBuilder,
    FaultAbort => FaultAbortBuilder,
    DirectResponse => DirectResponseBuilder,
);
