//! `HTTPRoute` (v1, v1beta1): HTTP routing from a Gateway or, in a mesh,
//! from a Service to backends, with matches, filters and timeouts.

use std::fmt;
use std::num::NonZeroU16;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::GatewayApiError;
use super::common::{
    BackendObjectReference, BackendRef, HeaderMatch, HeaderModifier, LocalObjectReference,
    MatchType, ParentReference, RequestMirror, RouteStatus,
};
use super::de::{self, FilterList, Keyed};
use crate::{ApplyOrder, GoDuration, Kind, Object};

/// A typed `HTTPRoute` object (preferred version v1; `set_version("v1beta1")`
/// writes the identical v1beta1 schema).
pub type HttpRoute = Object<HttpRouteSpec>;

/// A backend of an HTTP route rule, with HTTP filters.
pub type HttpBackendRef = BackendRef<HttpRouteFilter>;

/// The desired state of an `HTTPRoute`: which parents (Gateways, Services)
/// it attaches to, for which hostnames, and its rules.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteSpec {
    /// Parents (usually Gateways, or Services in a mesh) the route attaches
    /// to; each must accept it. Max 32. Two references to the same parent
    /// must name distinct `sectionName`s (CEL rule, not checked here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_refs: Vec<ParentReference>,
    /// Host header values the route matches (`foo.example.com`, or a
    /// `*.example.com` wildcard; no IPs, no port). Max 16. Default: all
    /// hostnames of the listener.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::hostnames"
    )]
    pub hostnames: Vec<String>,
    /// Rules: matches, filters and backends. 1-16 when present, at most
    /// 128 matches over all rules (not checked here). Default (absent): one
    /// rule matching every path, with no backends.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::non_empty"
    )]
    pub rules: Vec<HttpRouteRule>,
}

impl Kind for HttpRouteSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "HTTPRoute";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "httproutes";
    const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1beta1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = RouteStatus;
}

// === Constructors ===

/// The Service (and port) a mesh route is for: see
/// [`HttpRoute::for_service`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServiceRef {
    /// The Service's name.
    pub name: String,
    /// The Service's namespace, when not the route's.
    pub namespace: Option<String>,
    /// The service port the route applies to.
    pub port: NonZeroU16,
}

impl ServiceRef {
    /// Service `name`, port `port`, in the route's namespace.
    pub fn new(name: impl Into<String>, port: NonZeroU16) -> Self {
        ServiceRef {
            name: name.into(),
            namespace: None,
            port,
        }
    }

    /// The Service in another namespace (a consumer route).
    pub fn in_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// The Service as a route parent: `group: ""`, `kind: Service`, with its port.
    pub fn parent(&self) -> ParentReference {
        let parent = ParentReference::service(self.name.clone()).with_port(self.port);
        match &self.namespace {
            Some(ns) => parent.in_namespace(ns.clone()),
            None => parent,
        }
    }

    /// The Service as a backend (default weight).
    pub fn backend(&self) -> HttpBackendRef {
        let backend = HttpBackendRef::service(self.name.clone(), self.port);
        match &self.namespace {
            Some(ns) => backend.in_namespace(ns.clone()),
            None => backend,
        }
    }
}

impl Object<HttpRouteSpec> {
    /// A mesh ("GAMMA") route `namespace/name` for the traffic to `service`:
    /// its parent is the Service and port. It has no rules yet; add them with
    /// [`with_rule`](Object::with_rule) (their backends are usually the
    /// service's versions).
    ///
    /// ```
    /// use std::num::NonZeroU16;
    /// use mesh_k8s::gateway::{
    ///     BackendRef, HeaderModifier, HttpRoute, HttpRouteFilter, HttpRouteMatch, HttpRouteRule,
    ///     HttpRouteTimeouts, ServiceRef, Weight,
    /// };
    ///
    /// let port = NonZeroU16::new(9080).unwrap();
    /// let route = HttpRoute::for_service("reviews", "bookinfo", ServiceRef::new("reviews", port))
    ///     .with_rule(
    ///         HttpRouteRule::new()
    ///             .matching(HttpRouteMatch::path_prefix("/api"))
    ///             .with_filter(HttpRouteFilter::RequestHeaderModifier(
    ///                 HeaderModifier::new().set("x-mesh", "meshwright"),
    ///             ))
    ///             .with_timeouts(HttpRouteTimeouts::request(mesh_k8s::GoDuration::parse("10s").unwrap()))
    ///             .with_backend(BackendRef::service("reviews-v1", port).with_weight(Weight::new(80)?))
    ///             .with_backend(BackendRef::service("reviews-v2", port).with_weight(Weight::new(20)?)),
    ///     );
    /// assert_eq!(route.spec.parent_refs[0].effective_kind(), "Service");
    /// assert_eq!(route.namespace(), Some("bookinfo"));
    /// # Ok::<(), mesh_k8s::gateway::GatewayApiError>(())
    /// ```
    pub fn for_service(name: impl Into<String>, namespace: &str, service: ServiceRef) -> Self {
        Object::new(
            name,
            Some(namespace),
            HttpRouteSpec {
                parent_refs: vec![service.parent()],
                ..HttpRouteSpec::default()
            },
        )
    }

    /// An ingress route `namespace/name` attached to `gateway` (see
    /// [`ParentReference::gateway`]), with no rules yet.
    ///
    /// ```
    /// use std::num::NonZeroU16;
    /// use mesh_k8s::gateway::{BackendRef, HttpRoute, HttpRouteRule, ParentReference};
    ///
    /// let route = HttpRoute::for_gateway("web", "shop", ParentReference::gateway("public").section("https"))
    ///     .with_hostname("shop.example.com")
    ///     .with_rule(HttpRouteRule::forward_to(BackendRef::service("web", NonZeroU16::new(80).unwrap())));
    /// assert_eq!(route.spec.hostnames, ["shop.example.com"]);
    /// ```
    pub fn for_gateway(name: impl Into<String>, namespace: &str, gateway: ParentReference) -> Self {
        Object::new(
            name,
            Some(namespace),
            HttpRouteSpec {
                parent_refs: vec![gateway],
                ..HttpRouteSpec::default()
            },
        )
    }

    /// With one more parent.
    pub fn with_parent(mut self, parent: ParentReference) -> Self {
        self.spec.parent_refs.push(parent);
        self
    }

    /// With one more hostname.
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.spec.hostnames.push(hostname.into());
        self
    }

    /// With one more rule (rules are evaluated by specificity, not order).
    pub fn with_rule(mut self, rule: HttpRouteRule) -> Self {
        self.spec.rules.push(rule);
        self
    }
}

// === Rules ===

/// A rule: requests matching any of `matches` go through `filters` and
/// then to `backendRefs` (by weight).
///
/// Rules checked when reading: a `RequestRedirect` filter excludes
/// `backendRefs`; a `ReplacePrefixMatch` path modifier (redirect or rewrite,
/// here or in a backend's filters) needs exactly one match, on a
/// `PathPrefix`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "HttpRouteRuleRepr"
)]
pub struct HttpRouteRule {
    /// Name of the rule, unique in the route (a DNS-1123 subdomain).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Conditions, any of which selects the rule (max 64). Empty (absent):
    /// every request (a `PathPrefix` match on `/`). An explicit empty list
    /// reads as absent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<HttpRouteMatch>,
    /// Filters applied to matching requests, in order where possible
    /// (max 16; see [`HttpRouteFilter`] for repetition rules).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<HttpRouteFilter>,
    /// Backends requests are forwarded to, by weight (max 16). None and no
    /// filter: requests get a 500.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backend_refs: Vec<HttpBackendRef>,
    /// Request timeouts (Extended support).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<HttpRouteTimeouts>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpRouteRuleRepr {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    matches: Vec<HttpRouteMatch>,
    #[serde(default, deserialize_with = "de::filters")]
    filters: Vec<HttpRouteFilter>,
    #[serde(default)]
    backend_refs: Vec<HttpBackendRef>,
    #[serde(default)]
    timeouts: Option<HttpRouteTimeouts>,
}

impl TryFrom<HttpRouteRuleRepr> for HttpRouteRule {
    type Error = GatewayApiError;
    fn try_from(r: HttpRouteRuleRepr) -> Result<Self, Self::Error> {
        let rule = HttpRouteRule {
            name: r.name,
            matches: r.matches,
            filters: r.filters,
            backend_refs: r.backend_refs,
            timeouts: r.timeouts,
        };
        rule.check()?;
        Ok(rule)
    }
}

impl HttpRouteRule {
    /// An empty rule (matches everything, no backends).
    pub fn new() -> Self {
        HttpRouteRule::default()
    }

    /// A rule sending every request to `backend`.
    pub fn forward_to(backend: HttpBackendRef) -> Self {
        HttpRouteRule::new().with_backend(backend)
    }

    /// With this name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With one more match (matches are ORed).
    pub fn matching(mut self, m: HttpRouteMatch) -> Self {
        self.matches.push(m);
        self
    }

    /// With one more filter.
    pub fn with_filter(mut self, filter: HttpRouteFilter) -> Self {
        self.filters.push(filter);
        self
    }

    /// With one more backend.
    pub fn with_backend(mut self, backend: HttpBackendRef) -> Self {
        self.backend_refs.push(backend);
        self
    }

    /// With these timeouts.
    pub fn with_timeouts(mut self, timeouts: HttpRouteTimeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Checks the rule's CEL rules (done when reading; call it on rules
    /// built in code).
    pub fn check(&self) -> Result<(), GatewayApiError> {
        HttpRouteFilter::check_list(&self.filters)?;
        for backend in &self.backend_refs {
            HttpRouteFilter::check_list(&backend.filters)?;
        }
        if !self.backend_refs.is_empty()
            && self
                .filters
                .iter()
                .any(|f| matches!(f, HttpRouteFilter::RequestRedirect(_)))
        {
            return Err(GatewayApiError::Filter {
                filter_type: "RequestRedirect",
                reason: "must not be used together with backendRefs".to_owned(),
            });
        }
        let prefix_replaced = self
            .filters
            .iter()
            .chain(self.backend_refs.iter().flat_map(|b| &b.filters))
            .any(HttpRouteFilter::replaces_prefix);
        if prefix_replaced {
            let one_prefix = match self.matches.as_slice() {
                [] => true,
                [m] => matches!(m.path, None | Some(HttpPathMatch::PathPrefix(_))),
                _ => false,
            };
            if !one_prefix {
                return Err(GatewayApiError::Field {
                    field: "matches",
                    reason: "when using a path modifier with replacePrefixMatch, exactly one \
                             PathPrefix match must be specified"
                        .to_owned(),
                });
            }
        }
        Ok(())
    }
}

/// Timeouts of a rule (GEP-2257 durations: 1-4 groups of up to 5 digits
/// with `h`, `m`, `s` or `ms`, e.g. `1m30s`; `0s` disables the timeout).
/// Checked when reading: the format, and `backendRequest` <= `request`
/// unless `request` is `0s`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "HttpRouteTimeoutsRepr"
)]
pub struct HttpRouteTimeouts {
    /// Longest time for the gateway to answer a client request, retries
    /// included. Default: implementation-specific (often none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<GoDuration>,
    /// Longest time for one request from the gateway to a backend (one
    /// try). Default: implementation-specific.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_request: Option<GoDuration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpRouteTimeoutsRepr {
    #[serde(default)]
    request: Option<GoDuration>,
    #[serde(default)]
    backend_request: Option<GoDuration>,
}

/// Whether `s` matches the CRD's duration pattern
/// `^([0-9]{1,5}(h|m|s|ms)){1,4}$`.
fn is_gateway_duration(s: &str) -> bool {
    let b = s.as_bytes();
    let (mut i, mut groups) = (0, 0);
    while i < b.len() {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start || i - start > 5 {
            return false;
        }
        if b[i..].starts_with(b"ms") {
            i += 2;
        } else if matches!(b.get(i), Some(b'h' | b'm' | b's')) {
            i += 1;
        } else {
            return false;
        }
        groups += 1;
    }
    (1..=4).contains(&groups)
}

impl TryFrom<HttpRouteTimeoutsRepr> for HttpRouteTimeouts {
    type Error = GatewayApiError;
    fn try_from(r: HttpRouteTimeoutsRepr) -> Result<Self, Self::Error> {
        let t = HttpRouteTimeouts {
            request: r.request,
            backend_request: r.backend_request,
        };
        t.check()?;
        Ok(t)
    }
}

impl HttpRouteTimeouts {
    /// A request timeout only.
    pub fn request(timeout: GoDuration) -> Self {
        HttpRouteTimeouts {
            request: Some(timeout),
            backend_request: None,
        }
    }

    /// With a per-backend-request timeout.
    pub fn with_backend_request(mut self, timeout: GoDuration) -> Self {
        self.backend_request = Some(timeout);
        self
    }

    /// Checks the format and the ordering rule (done when reading).
    pub fn check(&self) -> Result<(), GatewayApiError> {
        for (field, d) in [
            ("timeouts.request", &self.request),
            ("timeouts.backendRequest", &self.backend_request),
        ] {
            if let Some(d) = d
                && !is_gateway_duration(d.as_str())
            {
                return Err(GatewayApiError::Field {
                    field,
                    reason: format!(
                        "{:?} is not a Gateway API duration (1-4 groups of 1-5 digits and h, m, s or ms)",
                        d.as_str()
                    ),
                });
            }
        }
        if let (Some(req), Some(backend)) = (
            self.request.as_ref().and_then(GoDuration::value),
            self.backend_request.as_ref().and_then(GoDuration::value),
        ) && !req.is_zero()
            && backend > req
        {
            return Err(GatewayApiError::Field {
                field: "timeouts",
                reason: "backendRequest timeout cannot be longer than request timeout".to_owned(),
            });
        }
        Ok(())
    }
}

// === Matches ===

/// Conditions on a request, all of which must hold (ANDed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteMatch {
    /// Path condition. Default: prefix `/` (every path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<HttpPathMatch>,
    /// Header conditions, all required (max 16, distinct names).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub headers: Vec<HeaderMatch>,
    /// Query parameter conditions, all required (max 16, distinct names;
    /// Extended support).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub query_params: Vec<QueryParamMatch>,
    /// Method condition (Extended support). Default: any method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<HttpMethod>,
}

impl HttpRouteMatch {
    /// Paths starting with the segments of `prefix` (`/api` matches `/api`
    /// and `/api/x`, not `/apix`).
    pub fn path_prefix(prefix: impl Into<String>) -> Self {
        HttpRouteMatch {
            path: Some(HttpPathMatch::PathPrefix(prefix.into())),
            ..HttpRouteMatch::default()
        }
    }

    /// Exactly the path `path`.
    pub fn exact_path(path: impl Into<String>) -> Self {
        HttpRouteMatch {
            path: Some(HttpPathMatch::Exact(path.into())),
            ..HttpRouteMatch::default()
        }
    }

    /// With one more header condition.
    pub fn with_header(mut self, header: HeaderMatch) -> Self {
        self.headers.push(header);
        self
    }

    /// With one more query parameter condition.
    pub fn with_query_param(mut self, param: QueryParamMatch) -> Self {
        self.query_params.push(param);
        self
    }

    /// Only this method.
    pub fn with_method(mut self, method: HttpMethod) -> Self {
        self.method = Some(method);
        self
    }
}

/// A path condition. On the wire `{type, value}`, both optional (type
/// `PathPrefix`, value `/` by default); this type always writes `type`.
/// For `Exact` and `PathPrefix` the value is checked when reading: an
/// absolute path without `//`, `/./`, `/../`, `%2f`, `#`, not ending in
/// `/.` or `/..`, of URL path characters; at most 1024 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PathMatchRepr", into = "PathMatchRepr")]
pub enum HttpPathMatch {
    /// The path equals the value (Core support).
    Exact(String),
    /// The path starts with the value's `/`-separated segments; a trailing
    /// `/` is ignored (Core support).
    PathPrefix(String),
    /// The path matches this regular expression, in the implementation's
    /// dialect (implementation-specific support).
    RegularExpression(String),
}

impl Default for HttpPathMatch {
    /// The CRD's default: prefix `/`.
    fn default() -> Self {
        HttpPathMatch::PathPrefix("/".to_owned())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum PathMatchType {
    Exact,
    PathPrefix,
    RegularExpression,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathMatchRepr {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    kind: Option<PathMatchType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<String>,
}

impl HttpPathMatch {
    /// The match type's wire name.
    pub fn type_name(&self) -> &'static str {
        match self {
            HttpPathMatch::Exact(_) => "Exact",
            HttpPathMatch::PathPrefix(_) => "PathPrefix",
            HttpPathMatch::RegularExpression(_) => "RegularExpression",
        }
    }

    /// The value (a path or a regular expression).
    pub fn value(&self) -> &str {
        match self {
            HttpPathMatch::Exact(v)
            | HttpPathMatch::PathPrefix(v)
            | HttpPathMatch::RegularExpression(v) => v,
        }
    }

    /// Checks the CRD's rules on the value (done when reading).
    pub fn check(&self) -> Result<(), GatewayApiError> {
        let value = self.value();
        let err = |reason| {
            Err(GatewayApiError::PathMatch {
                match_type: self.type_name(),
                value: value.to_owned(),
                reason,
            })
        };
        if value.chars().count() > 1024 {
            return err("must be at most 1024 characters");
        }
        if matches!(self, HttpPathMatch::RegularExpression(_)) {
            return Ok(());
        }
        if !value.starts_with('/') {
            return err("value must be an absolute path and start with '/'");
        }
        for (bad, reason) in [
            ("//", "must not contain '//'"),
            ("/./", "must not contain '/./'"),
            ("/../", "must not contain '/../'"),
            ("%2f", "must not contain '%2f'"),
            ("%2F", "must not contain '%2F'"),
            ("#", "must not contain '#'"),
        ] {
            if value.contains(bad) {
                return err(reason);
            }
        }
        if value.ends_with("/..") {
            return err("must not end with '/..'");
        }
        if value.ends_with("/.") {
            return err("must not end with '/.'");
        }
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'%' {
                let hex = bytes.get(i + 1..i + 3);
                if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                    return err(
                        "must only contain valid characters (a '%' must start a %XX escape)",
                    );
                }
                i += 3;
                continue;
            }
            if !(c.is_ascii_alphanumeric() || b"-/._~!$&'()*+,;=:@".contains(&c)) {
                return err("must only contain valid characters (matching \
                     ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$)");
            }
            i += 1;
        }
        Ok(())
    }
}

impl TryFrom<PathMatchRepr> for HttpPathMatch {
    type Error = GatewayApiError;
    fn try_from(r: PathMatchRepr) -> Result<Self, Self::Error> {
        let value = r.value.unwrap_or_else(|| "/".to_owned());
        let m = match r.kind.unwrap_or(PathMatchType::PathPrefix) {
            PathMatchType::Exact => HttpPathMatch::Exact(value),
            PathMatchType::PathPrefix => HttpPathMatch::PathPrefix(value),
            PathMatchType::RegularExpression => HttpPathMatch::RegularExpression(value),
        };
        m.check()?;
        Ok(m)
    }
}

impl From<HttpPathMatch> for PathMatchRepr {
    fn from(m: HttpPathMatch) -> Self {
        let (kind, value) = match m {
            HttpPathMatch::Exact(v) => (PathMatchType::Exact, v),
            HttpPathMatch::PathPrefix(v) => (PathMatchType::PathPrefix, v),
            HttpPathMatch::RegularExpression(v) => (PathMatchType::RegularExpression, v),
        };
        PathMatchRepr {
            kind: Some(kind),
            value: Some(value),
        }
    }
}

/// Matches a query parameter (Extended support). Names are exact,
/// case-sensitive strings; a match's parameters must have distinct names
/// (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QueryParamMatch {
    /// Parameter name (RFC 7230 token characters, 1-256; checked when
    /// reading).
    #[serde(deserialize_with = "de::header_name")]
    pub name: String,
    /// How the value is compared. Default: `Exact`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchType>,
    /// The value to match (1-1024 characters).
    pub value: String,
}

impl QueryParamMatch {
    /// Parameter `name` equal to `value`.
    pub fn exact(name: impl Into<String>, value: impl Into<String>) -> Self {
        QueryParamMatch {
            name: name.into(),
            match_type: Some(MatchType::Exact),
            value: value.into(),
        }
    }
}

impl Keyed for QueryParamMatch {
    const FIELD: &'static str = "queryParams";
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// An HTTP method (RFC 7231 and RFC 5789).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `HEAD`.
    Head,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
    /// `CONNECT`.
    Connect,
    /// `OPTIONS`.
    Options,
    /// `TRACE`.
    Trace,
    /// `PATCH`.
    Patch,
}

impl HttpMethod {
    /// Every method, in the CRD's order.
    pub const ALL: [HttpMethod; 9] = [
        HttpMethod::Get,
        HttpMethod::Head,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Delete,
        HttpMethod::Connect,
        HttpMethod::Options,
        HttpMethod::Trace,
        HttpMethod::Patch,
    ];

    /// The wire name (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Connect => "CONNECT",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Patch => "PATCH",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for HttpMethod {
    type Err = GatewayApiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HttpMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| GatewayApiError::Field {
                field: "method",
                reason: format!("unknown HTTP method {s:?}"),
            })
    }
}

// === Filters ===

/// A processing step of an HTTP route rule or backend. On the wire
/// `{type: X, x: {...}}`: the variant is the `type` and carries exactly
/// that type's configuration, so a filter cannot carry another filter's
/// configuration.
///
/// In one filter list (checked when reading): `RequestHeaderModifier`,
/// `ResponseHeaderModifier`, `RequestRedirect`, `URLRewrite` and `CORS` each
/// appear at most once, and `RequestRedirect` and `URLRewrite` exclude each
/// other. `ExtensionRef` may repeat.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "HttpFilterRepr", into = "HttpFilterRepr")]
pub enum HttpRouteFilter {
    /// `RequestHeaderModifier`: modifies request headers (Core support).
    RequestHeaderModifier(HeaderModifier),
    /// `ResponseHeaderModifier`: modifies response headers (Extended).
    ResponseHeaderModifier(HeaderModifier),
    /// `RequestMirror`: copies requests to another backend (Extended).
    RequestMirror(RequestMirror),
    /// `RequestRedirect`: answers with a redirect (Core); excludes
    /// `backendRefs` on the rule.
    RequestRedirect(RequestRedirect),
    /// `URLRewrite`: rewrites the host and/or path before forwarding
    /// (Extended).
    UrlRewrite(UrlRewrite),
    /// `ExtensionRef`: an implementation-specific filter object in the
    /// route's namespace; may repeat.
    ExtensionRef(LocalObjectReference),
    /// `CORS`: answers CORS preflight requests and adds CORS response
    /// headers (Extended).
    Cors(Cors),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum HttpFilterType {
    RequestHeaderModifier,
    ResponseHeaderModifier,
    RequestMirror,
    RequestRedirect,
    #[serde(rename = "URLRewrite")]
    UrlRewrite,
    ExtensionRef,
    #[serde(rename = "CORS")]
    Cors,
}

impl HttpFilterType {
    fn name(self) -> &'static str {
        match self {
            HttpFilterType::RequestHeaderModifier => "RequestHeaderModifier",
            HttpFilterType::ResponseHeaderModifier => "ResponseHeaderModifier",
            HttpFilterType::RequestMirror => "RequestMirror",
            HttpFilterType::RequestRedirect => "RequestRedirect",
            HttpFilterType::UrlRewrite => "URLRewrite",
            HttpFilterType::ExtensionRef => "ExtensionRef",
            HttpFilterType::Cors => "CORS",
        }
    }

    fn field(self) -> &'static str {
        match self {
            HttpFilterType::RequestHeaderModifier => "requestHeaderModifier",
            HttpFilterType::ResponseHeaderModifier => "responseHeaderModifier",
            HttpFilterType::RequestMirror => "requestMirror",
            HttpFilterType::RequestRedirect => "requestRedirect",
            HttpFilterType::UrlRewrite => "urlRewrite",
            HttpFilterType::ExtensionRef => "extensionRef",
            HttpFilterType::Cors => "cors",
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpFilterRepr {
    #[serde(rename = "type")]
    kind: Option<HttpFilterType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_mirror: Option<RequestMirror>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_redirect: Option<RequestRedirect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url_rewrite: Option<UrlRewrite>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    extension_ref: Option<LocalObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cors: Option<Cors>,
}

/// The error for a filter whose `type` and configuration disagree.
fn filter_mismatch(kind: &'static str, expected: &'static str, set: &[&str]) -> GatewayApiError {
    GatewayApiError::Filter {
        filter_type: kind,
        reason: format!("needs exactly the field `{expected}`, found {set:?}"),
    }
}

impl TryFrom<HttpFilterRepr> for HttpRouteFilter {
    type Error = GatewayApiError;
    fn try_from(r: HttpFilterRepr) -> Result<Self, Self::Error> {
        let kind = r.kind.ok_or(GatewayApiError::Field {
            field: "type",
            reason: "missing filter type".to_owned(),
        })?;
        let set: Vec<&str> = [
            ("requestHeaderModifier", r.request_header_modifier.is_some()),
            (
                "responseHeaderModifier",
                r.response_header_modifier.is_some(),
            ),
            ("requestMirror", r.request_mirror.is_some()),
            ("requestRedirect", r.request_redirect.is_some()),
            ("urlRewrite", r.url_rewrite.is_some()),
            ("extensionRef", r.extension_ref.is_some()),
            ("cors", r.cors.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        let mismatch = || filter_mismatch(kind.name(), kind.field(), &set);
        if set.len() != 1 {
            return Err(mismatch());
        }
        let filter = match kind {
            HttpFilterType::RequestHeaderModifier => r
                .request_header_modifier
                .map(HttpRouteFilter::RequestHeaderModifier),
            HttpFilterType::ResponseHeaderModifier => r
                .response_header_modifier
                .map(HttpRouteFilter::ResponseHeaderModifier),
            HttpFilterType::RequestMirror => r.request_mirror.map(HttpRouteFilter::RequestMirror),
            HttpFilterType::RequestRedirect => {
                r.request_redirect.map(HttpRouteFilter::RequestRedirect)
            }
            HttpFilterType::UrlRewrite => r.url_rewrite.map(HttpRouteFilter::UrlRewrite),
            HttpFilterType::ExtensionRef => r.extension_ref.map(HttpRouteFilter::ExtensionRef),
            HttpFilterType::Cors => r.cors.map(HttpRouteFilter::Cors),
        };
        filter.ok_or_else(mismatch)
    }
}

impl From<HttpRouteFilter> for HttpFilterRepr {
    fn from(f: HttpRouteFilter) -> Self {
        let mut r = HttpFilterRepr::default();
        let kind = match f {
            HttpRouteFilter::RequestHeaderModifier(m) => {
                r.request_header_modifier = Some(m);
                HttpFilterType::RequestHeaderModifier
            }
            HttpRouteFilter::ResponseHeaderModifier(m) => {
                r.response_header_modifier = Some(m);
                HttpFilterType::ResponseHeaderModifier
            }
            HttpRouteFilter::RequestMirror(m) => {
                r.request_mirror = Some(m);
                HttpFilterType::RequestMirror
            }
            HttpRouteFilter::RequestRedirect(m) => {
                r.request_redirect = Some(m);
                HttpFilterType::RequestRedirect
            }
            HttpRouteFilter::UrlRewrite(m) => {
                r.url_rewrite = Some(m);
                HttpFilterType::UrlRewrite
            }
            HttpRouteFilter::ExtensionRef(m) => {
                r.extension_ref = Some(m);
                HttpFilterType::ExtensionRef
            }
            HttpRouteFilter::Cors(m) => {
                r.cors = Some(m);
                HttpFilterType::Cors
            }
        };
        r.kind = Some(kind);
        r
    }
}

impl HttpRouteFilter {
    /// The filter's `type` on the wire (`URLRewrite`).
    pub fn type_name(&self) -> &'static str {
        self.kind().name()
    }

    fn kind(&self) -> HttpFilterType {
        match self {
            HttpRouteFilter::RequestHeaderModifier(_) => HttpFilterType::RequestHeaderModifier,
            HttpRouteFilter::ResponseHeaderModifier(_) => HttpFilterType::ResponseHeaderModifier,
            HttpRouteFilter::RequestMirror(_) => HttpFilterType::RequestMirror,
            HttpRouteFilter::RequestRedirect(_) => HttpFilterType::RequestRedirect,
            HttpRouteFilter::UrlRewrite(_) => HttpFilterType::UrlRewrite,
            HttpRouteFilter::ExtensionRef(_) => HttpFilterType::ExtensionRef,
            HttpRouteFilter::Cors(_) => HttpFilterType::Cors,
        }
    }

    /// A mirror of every request to the `Service` `name` at `port`.
    pub fn mirror_to_service(name: impl Into<String>, port: NonZeroU16) -> Self {
        HttpRouteFilter::RequestMirror(RequestMirror {
            backend_ref: BackendObjectReference::service(name, port),
            amount: None,
        })
    }

    /// Whether the filter replaces the matched path prefix (redirect or
    /// rewrite with `ReplacePrefixMatch`).
    fn replaces_prefix(&self) -> bool {
        matches!(
            self,
            HttpRouteFilter::RequestRedirect(RequestRedirect {
                path: Some(PathModifier::ReplacePrefixMatch(_)),
                ..
            }) | HttpRouteFilter::UrlRewrite(UrlRewrite {
                path: Some(PathModifier::ReplacePrefixMatch(_)),
                ..
            })
        )
    }
}

impl FilterList for HttpRouteFilter {
    fn check_list(list: &[Self]) -> Result<(), GatewayApiError> {
        let count = |k: HttpFilterType| list.iter().filter(|f| f.kind() == k).count();
        for k in [
            HttpFilterType::Cors,
            HttpFilterType::RequestHeaderModifier,
            HttpFilterType::ResponseHeaderModifier,
            HttpFilterType::RequestRedirect,
            HttpFilterType::UrlRewrite,
        ] {
            if count(k) > 1 {
                return Err(GatewayApiError::Filter {
                    filter_type: k.name(),
                    reason: "cannot be repeated".to_owned(),
                });
            }
        }
        if count(HttpFilterType::RequestRedirect) > 0 && count(HttpFilterType::UrlRewrite) > 0 {
            return Err(GatewayApiError::Filter {
                filter_type: "RequestRedirect",
                reason: "may not be combined with URLRewrite".to_owned(),
            });
        }
        Ok(())
    }
}

/// How a redirect or rewrite changes the path. On the wire `{type,
/// replaceFullPath | replacePrefixMatch}`, the field matching the type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PathModifierRepr", into = "PathModifierRepr")]
pub enum PathModifier {
    /// `ReplaceFullPath`: the whole path becomes this value (max 1024).
    ReplaceFullPath(String),
    /// `ReplacePrefixMatch`: the part of the path matched by the rule's
    /// single `PathPrefix` match is replaced by this value (max 1024); `/foo`
    /// with prefix `/foo` and value `/xyz` becomes `/xyz`, `/foo/bar`
    /// becomes `/xyz/bar`.
    ReplacePrefixMatch(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum PathModifierType {
    ReplaceFullPath,
    ReplacePrefixMatch,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PathModifierRepr {
    #[serde(rename = "type")]
    kind: PathModifierType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replace_full_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replace_prefix_match: Option<String>,
}

impl TryFrom<PathModifierRepr> for PathModifier {
    type Error = GatewayApiError;
    fn try_from(r: PathModifierRepr) -> Result<Self, Self::Error> {
        match (r.kind, r.replace_full_path, r.replace_prefix_match) {
            (PathModifierType::ReplaceFullPath, Some(p), None) => {
                Ok(PathModifier::ReplaceFullPath(p))
            }
            (PathModifierType::ReplacePrefixMatch, None, Some(p)) => {
                Ok(PathModifier::ReplacePrefixMatch(p))
            }
            (kind, _, _) => Err(GatewayApiError::Field {
                field: "path",
                reason: format!(
                    "type {kind:?} needs exactly the field {}",
                    match kind {
                        PathModifierType::ReplaceFullPath => "replaceFullPath",
                        PathModifierType::ReplacePrefixMatch => "replacePrefixMatch",
                    }
                ),
            }),
        }
    }
}

impl From<PathModifier> for PathModifierRepr {
    fn from(m: PathModifier) -> Self {
        match m {
            PathModifier::ReplaceFullPath(p) => PathModifierRepr {
                kind: PathModifierType::ReplaceFullPath,
                replace_full_path: Some(p),
                replace_prefix_match: None,
            },
            PathModifier::ReplacePrefixMatch(p) => PathModifierRepr {
                kind: PathModifierType::ReplacePrefixMatch,
                replace_full_path: None,
                replace_prefix_match: Some(p),
            },
        }
    }
}

/// Answers with a redirect (`Location` header) instead of forwarding.
/// Unset parts keep the request's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRedirect {
    /// Scheme of the `Location` (Extended). Default: the request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<RedirectScheme>,
    /// Hostname of the `Location` (no wildcard). Default: the request's
    /// Host.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::precise_hostname"
    )]
    pub hostname: Option<String>,
    /// Path change (Extended). Default: the request's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathModifier>,
    /// Port of the `Location` (Extended). Default: the scheme's well-known
    /// port when `scheme` is set, else the listener's port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Status code of the redirect. Default: 302.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<RedirectStatusCode>,
}

/// The scheme of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedirectScheme {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

/// The status code of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub enum RedirectStatusCode {
    /// 301 Moved Permanently.
    MovedPermanently,
    /// 302 Found (the default).
    #[default]
    Found,
    /// 303 See Other.
    SeeOther,
    /// 307 Temporary Redirect (keeps the method).
    TemporaryRedirect,
    /// 308 Permanent Redirect (keeps the method).
    PermanentRedirect,
}

impl TryFrom<u16> for RedirectStatusCode {
    type Error = GatewayApiError;
    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Ok(match code {
            301 => RedirectStatusCode::MovedPermanently,
            302 => RedirectStatusCode::Found,
            303 => RedirectStatusCode::SeeOther,
            307 => RedirectStatusCode::TemporaryRedirect,
            308 => RedirectStatusCode::PermanentRedirect,
            _ => {
                return Err(GatewayApiError::Field {
                    field: "statusCode",
                    reason: format!("{code} is not one of 301, 302, 303, 307, 308"),
                });
            }
        })
    }
}

impl From<RedirectStatusCode> for u16 {
    fn from(c: RedirectStatusCode) -> u16 {
        match c {
            RedirectStatusCode::MovedPermanently => 301,
            RedirectStatusCode::Found => 302,
            RedirectStatusCode::SeeOther => 303,
            RedirectStatusCode::TemporaryRedirect => 307,
            RedirectStatusCode::PermanentRedirect => 308,
        }
    }
}

/// Rewrites the request before forwarding it (Extended support).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UrlRewrite {
    /// New Host header value (no wildcard). Default: unchanged.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de::precise_hostname"
    )]
    pub hostname: Option<String>,
    /// Path change. Default: unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathModifier>,
}

/// Cross-origin resource sharing: the gateway answers preflight requests
/// and adds the `Access-Control-*` response headers (Extended support).
/// In each list `*` (everything) may only appear alone (checked when
/// reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Cors {
    /// Origins allowed to share responses: `*`, or `http(s)://host[:port]`
    /// where the host may start with `*.` (max 64). Empty: no origin.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::wildcard_set"
    )]
    pub allow_origins: Vec<String>,
    /// Whether the cross-origin request may include credentials
    /// (`Access-Control-Allow-Credentials: true`). Default: no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    /// Methods allowed (`*`: all; max 9). GET, HEAD and POST are always
    /// allowed.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::wildcard_set"
    )]
    pub allow_methods: Vec<CorsMethod>,
    /// Request headers allowed (`*`: all; case-insensitive; max 64).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::wildcard_set"
    )]
    pub allow_headers: Vec<String>,
    /// Response headers exposed to scripts beyond the CORS-safelisted ones
    /// (max 64).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub expose_headers: Vec<String>,
    /// How long, in seconds, a client may cache a preflight response.
    /// Default: 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<std::num::NonZeroU32>,
}

/// A method in a CORS `allowMethods` list: a method, or `*` for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CorsMethod {
    /// `*`: every method (must be the only entry).
    Any,
    /// One method.
    Method(HttpMethod),
}

impl CorsMethod {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            CorsMethod::Any => "*",
            CorsMethod::Method(m) => m.as_str(),
        }
    }
}

impl Serialize for CorsMethod {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CorsMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "*" {
            return Ok(CorsMethod::Any);
        }
        s.parse()
            .map(CorsMethod::Method)
            .map_err(serde::de::Error::custom)
    }
}

impl Keyed for CorsMethod {
    const FIELD: &'static str = "allowMethods";
    fn key(&self) -> String {
        self.as_str().to_owned()
    }
}
