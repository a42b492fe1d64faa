//! `policy.linkerd.io` HTTPRoute: Linkerd's own HTTPRoute (not Gateway
//! API's), attached to a Server (inbound policy), a Service or an
//! EgressNetwork (outbound routing).
//!
//! The schema follows Gateway API's HTTPRoute but is a different group with
//! its own subset: no CEL rules, rule filters are only
//! `RequestHeaderModifier`/`RequestRedirect`, backend references gained
//! `group`/`kind`/`weight` in `v1beta2` and rules gained `timeouts` in
//! `v1beta3`.

use std::num::NonZeroU16;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition as K8sCondition;
use mesh_k8s::{ApplyOrder, GoDuration, Kind};
use serde::{Deserialize, Serialize};

/// A policy.linkerd.io HTTPRoute.
pub type HttpRoute = mesh_k8s::Object<HttpRouteSpec>;

/// The spec of an [`HttpRoute`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpRouteSpec {
    /// What the route attaches to: Servers (inbound), Services or
    /// EgressNetworks (outbound). At most 32.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_refs: Vec<ParentRef>,
    /// Hostnames matched against the `Host` header (`*.` wildcard prefix
    /// allowed); empty matches every host. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hostnames: Vec<String>,
    /// Rules; empty means one rule matching every path prefix `/`. At most
    /// 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RouteRule>,
}

/// A reference from a route to the object it attaches to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParentRef {
    /// API group of the parent; absent means `policy.linkerd.io`. Services
    /// are written with `core` or an empty group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the parent (`Server`, `Service`, `EgressNetwork`); absent
    /// means `Gateway`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the parent.
    pub name: String,
    /// Namespace of the parent; absent means the route's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Port of the parent (for Services: the Service port the route
    /// applies to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Section (listener) of the parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

impl ParentRef {
    /// The Server `name` in the route's namespace (inbound policy).
    pub fn server(name: &str) -> Self {
        ParentRef {
            group: Some("policy.linkerd.io".to_owned()),
            kind: Some("Server".to_owned()),
            name: name.to_owned(),
            ..ParentRef::default()
        }
    }

    /// Port `port` of the Service `name` (outbound routing), written with
    /// group `core` as Linkerd's documentation does.
    pub fn service(name: &str, port: NonZeroU16) -> Self {
        ParentRef {
            group: Some("core".to_owned()),
            kind: Some("Service".to_owned()),
            name: name.to_owned(),
            port: Some(port),
            ..ParentRef::default()
        }
    }
}

/// A rule: requests matching any of `matches` get the filters and go to the
/// backends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteRule {
    /// Conditions, ORed; empty means a path-prefix `/` match. At most 8.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<RouteMatch>,
    /// Filters applied to matching requests. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<RouteFilter>,
    /// Where matching requests go; empty means the parent itself. At most
    /// 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backend_refs: Vec<BackendRef>,
    /// Timeouts (`v1beta3` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<RouteTimeouts>,
}

/// Conditions on a request, ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteMatch {
    /// Path condition; absent means prefix `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathMatch>,
    /// Header conditions, ANDed; names unique. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<HeaderMatch>,
    /// Query-parameter conditions, ANDed; names unique. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query_params: Vec<HeaderMatch>,
    /// HTTP method; absent matches every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
}

/// A path condition. `type` and `value` have defaults (`PathPrefix`, `/`)
/// and are kept absent when written so.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PathMatch {
    /// How `value` is compared; absent means `PathPrefix`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<PathMatchType>,
    /// The path (or RE2 regex); absent means `/`. At most 1024 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl PathMatch {
    /// Paths equal to `path`.
    pub fn exact(path: &str) -> Self {
        PathMatch {
            type_: Some(PathMatchType::Exact),
            value: Some(path.to_owned()),
        }
    }

    /// Paths under `prefix` (by path segment).
    pub fn prefix(prefix: &str) -> Self {
        PathMatch {
            type_: Some(PathMatchType::PathPrefix),
            value: Some(prefix.to_owned()),
        }
    }
}

/// How a path is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PathMatchType {
    /// Equal to the value.
    Exact,
    /// Under the value, by path segment (the default).
    PathPrefix,
    /// Matches the value as an RE2 regex.
    RegularExpression,
}

/// A header or query-parameter condition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderMatch {
    /// How `value` is compared; absent means `Exact`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub type_: Option<ValueMatchType>,
    /// Header name (case-insensitive) or query-parameter name (exact).
    pub name: String,
    /// The value (or RE2 regex); 1-4096 characters for headers, 1-1024 for
    /// query parameters.
    pub value: String,
}

/// How a header or query-parameter value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueMatchType {
    /// Equal to the value (the default).
    Exact,
    /// Matches the value as an RE2 regex.
    RegularExpression,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

/// A rule-level filter: `type` names the one configuration field present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RouteFilterRepr", into = "RouteFilterRepr")]
pub enum RouteFilter {
    /// Modify request headers.
    RequestHeaderModifier(HeaderModifier),
    /// Answer with a redirect.
    RequestRedirect(RequestRedirect),
}

/// A backend-level filter: `type` names the one configuration field present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BackendFilterRepr", into = "BackendFilterRepr")]
pub enum BackendFilter {
    /// Modify request headers.
    RequestHeaderModifier(HeaderModifier),
    /// Modify response headers.
    ResponseHeaderModifier(HeaderModifier),
    /// Answer with a redirect.
    RequestRedirect(RequestRedirect),
}

/// Header changes: applied in the order set, add, remove.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderModifier {
    /// Headers to overwrite (names unique). At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<Header>,
    /// Headers to append to (names unique). At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<Header>,
    /// Header names to remove. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// A header name and value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Header {
    /// Header name (RFC 7230 token, 1-256 characters).
    pub name: String,
    /// Header value, 1-4096 characters.
    pub value: String,
}

/// A redirect response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRedirect {
    /// Scheme of the `Location`; absent keeps the request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    /// Hostname of the `Location`; absent keeps the request's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Path rewrite of the `Location`; absent keeps the request's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathModifier>,
    /// Port of the `Location`; absent keeps the request's (or the scheme's
    /// default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Status code; absent means 302.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<RedirectStatus>,
}

/// Scheme of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// `http`.
    Http,
    /// `https`.
    Https,
}

/// Status code of a redirect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub enum RedirectStatus {
    /// 301 Moved Permanently.
    MovedPermanently,
    /// 302 Found (the default).
    Found,
}

impl TryFrom<u16> for RedirectStatus {
    type Error = String;
    fn try_from(code: u16) -> Result<Self, String> {
        match code {
            301 => Ok(RedirectStatus::MovedPermanently),
            302 => Ok(RedirectStatus::Found),
            _ => Err(format!("redirect statusCode {code} is not 301 or 302")),
        }
    }
}

impl From<RedirectStatus> for u16 {
    fn from(s: RedirectStatus) -> u16 {
        match s {
            RedirectStatus::MovedPermanently => 301,
            RedirectStatus::Found => 302,
        }
    }
}

/// A path rewrite: `type` names the one value field present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PathModifierRepr", into = "PathModifierRepr")]
pub enum PathModifier {
    /// Replace the whole path (at most 1024 characters).
    ReplaceFullPath(String),
    /// Replace the matched prefix (at most 1024 characters).
    ReplacePrefixMatch(String),
}

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BackendRef {
    /// API group of the backend; absent means core (`""`). `v1beta2` and
    /// later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the backend; absent means `Service`. `v1beta2` and later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the backend.
    pub name: String,
    /// Namespace of the backend; absent means the route's namespace
    /// (`v1beta1` defaulted it to `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Destination port (for Services: the Service port).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Share of the rule's requests, relative to the other backends'
    /// weights, 0-1000000; absent means 1. `v1beta2` and later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Filters for requests sent to this backend. At most 16.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<BackendFilter>,
}

/// Timeouts of a rule (`v1beta3`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteTimeouts {
    /// Time for the whole request, retries included, until the response
    /// headers; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<GoDuration>,
    /// Time for each request to a backend; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend_request: Option<GoDuration>,
}

/// The status of an [`HttpRoute`]: per parent, whether it was accepted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteStatus {
    /// One entry per parent and controller. Required (written even when
    /// empty).
    pub parents: Vec<RouteParentStatus>,
}

/// The status of a route for one parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteParentStatus {
    /// The parent.
    pub parent_ref: ParentRef,
    /// The controller that wrote this entry (`linkerd.io/policy-controller`).
    pub controller_name: String,
    /// Conditions (`Accepted`, `ResolvedRefs`); 1-8, types unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<K8sCondition>,
}

// === filter wire forms ===

#[derive(Clone, Serialize, Deserialize)]
enum RouteFilterType {
    RequestHeaderModifier,
    RequestRedirect,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteFilterRepr {
    #[serde(rename = "type")]
    type_: RouteFilterType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_redirect: Option<RequestRedirect>,
}

fn wrong_field(kind: &str, ty: &str) -> String {
    format!("{kind} of type {ty} needs exactly the field named by its type and no other")
}

impl TryFrom<RouteFilterRepr> for RouteFilter {
    type Error = String;
    fn try_from(r: RouteFilterRepr) -> Result<Self, String> {
        match (r.type_, r.request_header_modifier, r.request_redirect) {
            (RouteFilterType::RequestHeaderModifier, Some(m), None) => {
                Ok(RouteFilter::RequestHeaderModifier(m))
            }
            (RouteFilterType::RequestRedirect, None, Some(m)) => {
                Ok(RouteFilter::RequestRedirect(m))
            }
            (RouteFilterType::RequestHeaderModifier, _, _) => {
                Err(wrong_field("filter", "RequestHeaderModifier"))
            }
            (RouteFilterType::RequestRedirect, _, _) => {
                Err(wrong_field("filter", "RequestRedirect"))
            }
        }
    }
}

impl From<RouteFilter> for RouteFilterRepr {
    fn from(f: RouteFilter) -> Self {
        match f {
            RouteFilter::RequestHeaderModifier(m) => RouteFilterRepr {
                type_: RouteFilterType::RequestHeaderModifier,
                request_header_modifier: Some(m),
                request_redirect: None,
            },
            RouteFilter::RequestRedirect(m) => RouteFilterRepr {
                type_: RouteFilterType::RequestRedirect,
                request_header_modifier: None,
                request_redirect: Some(m),
            },
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
enum BackendFilterType {
    RequestHeaderModifier,
    ResponseHeaderModifier,
    RequestRedirect,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BackendFilterRepr {
    #[serde(rename = "type")]
    type_: BackendFilterType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_redirect: Option<RequestRedirect>,
}

impl TryFrom<BackendFilterRepr> for BackendFilter {
    type Error = String;
    fn try_from(r: BackendFilterRepr) -> Result<Self, String> {
        use BackendFilterType as T;
        match (
            r.type_,
            r.request_header_modifier,
            r.response_header_modifier,
            r.request_redirect,
        ) {
            (T::RequestHeaderModifier, Some(m), None, None) => {
                Ok(BackendFilter::RequestHeaderModifier(m))
            }
            (T::ResponseHeaderModifier, None, Some(m), None) => {
                Ok(BackendFilter::ResponseHeaderModifier(m))
            }
            (T::RequestRedirect, None, None, Some(m)) => Ok(BackendFilter::RequestRedirect(m)),
            (T::RequestHeaderModifier, ..) => {
                Err(wrong_field("backend filter", "RequestHeaderModifier"))
            }
            (T::ResponseHeaderModifier, ..) => {
                Err(wrong_field("backend filter", "ResponseHeaderModifier"))
            }
            (T::RequestRedirect, ..) => Err(wrong_field("backend filter", "RequestRedirect")),
        }
    }
}

impl From<BackendFilter> for BackendFilterRepr {
    fn from(f: BackendFilter) -> Self {
        let mut r = BackendFilterRepr {
            type_: BackendFilterType::RequestHeaderModifier,
            request_header_modifier: None,
            response_header_modifier: None,
            request_redirect: None,
        };
        match f {
            BackendFilter::RequestHeaderModifier(m) => r.request_header_modifier = Some(m),
            BackendFilter::ResponseHeaderModifier(m) => {
                r.type_ = BackendFilterType::ResponseHeaderModifier;
                r.response_header_modifier = Some(m);
            }
            BackendFilter::RequestRedirect(m) => {
                r.type_ = BackendFilterType::RequestRedirect;
                r.request_redirect = Some(m);
            }
        }
        r
    }
}

#[derive(Clone, Serialize, Deserialize)]
enum PathModifierType {
    ReplaceFullPath,
    ReplacePrefixMatch,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PathModifierRepr {
    #[serde(rename = "type")]
    type_: PathModifierType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replace_full_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    replace_prefix_match: Option<String>,
}

impl TryFrom<PathModifierRepr> for PathModifier {
    type Error = String;
    fn try_from(r: PathModifierRepr) -> Result<Self, String> {
        match (r.type_, r.replace_full_path, r.replace_prefix_match) {
            (PathModifierType::ReplaceFullPath, Some(p), None) => {
                Ok(PathModifier::ReplaceFullPath(p))
            }
            (PathModifierType::ReplacePrefixMatch, None, Some(p)) => {
                Ok(PathModifier::ReplacePrefixMatch(p))
            }
            (PathModifierType::ReplaceFullPath, ..) => {
                Err(wrong_field("path modifier", "ReplaceFullPath"))
            }
            (PathModifierType::ReplacePrefixMatch, ..) => {
                Err(wrong_field("path modifier", "ReplacePrefixMatch"))
            }
        }
    }
}

impl From<PathModifier> for PathModifierRepr {
    fn from(p: PathModifier) -> Self {
        match p {
            PathModifier::ReplaceFullPath(p) => PathModifierRepr {
                type_: PathModifierType::ReplaceFullPath,
                replace_full_path: Some(p),
                replace_prefix_match: None,
            },
            PathModifier::ReplacePrefixMatch(p) => PathModifierRepr {
                type_: PathModifierType::ReplacePrefixMatch,
                replace_full_path: None,
                replace_prefix_match: Some(p),
            },
        }
    }
}

/// Largest backend weight the CRD allows.
const MAX_WEIGHT: u32 = 1_000_000;

impl Kind for HttpRouteSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "HTTPRoute";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "httproutes";
    const VERSIONS: &'static [&'static str] = &["v1beta3", "v1beta2", "v1beta1", "v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "policy.linkerd.io/v1beta3",
        "policy.linkerd.io/v1beta2",
        "policy.linkerd.io/v1beta1",
        "policy.linkerd.io/v1alpha1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = NamespaceResourceScope;
    type Status = RouteStatus;

    /// Rule `timeouts` exist only in `v1beta3`; backend `group`, `kind` and
    /// `weight` from `v1beta2`; weights are at most 1000000.
    fn check_version(&self, api_version: &str) -> Result<(), String> {
        let version = api_version.rsplit('/').next().unwrap_or(api_version);
        for (i, rule) in self.rules.iter().enumerate() {
            if let Some((j, b)) = rule
                .backend_refs
                .iter()
                .enumerate()
                .find(|(_, b)| b.weight.is_some_and(|w| w > MAX_WEIGHT))
            {
                return Err(format!(
                    "HTTPRoute spec.rules[{i}].backendRefs[{j}].weight {:?} is above {MAX_WEIGHT}",
                    b.weight
                ));
            }
            if version != "v1beta3" && rule.timeouts.is_some() {
                return Err(format!(
                    "HTTPRoute {api_version} has no spec.rules[{i}].timeouts (only policy.linkerd.io/v1beta3)"
                ));
            }
            if matches!(version, "v1beta1" | "v1alpha1") {
                for (j, b) in rule.backend_refs.iter().enumerate() {
                    for (field, set) in [
                        ("group", b.group.is_some()),
                        ("kind", b.kind.is_some()),
                        ("weight", b.weight.is_some()),
                    ] {
                        if set {
                            return Err(format!(
                                "HTTPRoute {api_version} has no spec.rules[{i}].backendRefs[{j}].{field} (v1beta2 and later)"
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
