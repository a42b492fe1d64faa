//! ServiceRouter: L7 routes from a service to other services or subsets.

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize, Serializer};

use super::common::{
    HeaderCondition, HeaderConditionParts, HeaderModifiers, HttpMethod, PathMatch, RetryOn,
    SpecError, Status,
};

/// The desired state of a service-router config entry; the object's name
/// is the Consul service whose requests are routed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceRouterSpec {
    /// Routes, first match wins; unmatched traffic goes to the service
    /// itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
}

/// ServiceRouter: L7 routing for a service (needs an HTTP-family protocol).
pub type ServiceRouter = mesh_k8s::Object<ServiceRouterSpec>;

super::consul_kind!(
    ServiceRouterSpec,
    "ServiceRouter",
    "servicerouters",
    Route,
    NamespaceResourceScope,
    Status
);

/// One route: a match and where matching requests go.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Route {
    /// What the route matches; absent or empty matches everything.
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    pub match_: Option<RouteMatch>,
    /// Where matching requests go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<RouteDestination>,
}

/// Criteria for incoming L7 requests.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteMatch {
    /// HTTP criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<RouteHttpMatch>,
}

/// HTTP criteria of a route; all present criteria must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RouteHttpMatchRepr", into = "RouteHttpMatchRepr")]
pub struct RouteHttpMatch {
    /// Path match (`pathExact`/`pathPrefix`/`pathRegex`, at most one).
    pub path: Option<PathMatch>,
    /// Make exact and prefix path matches case-insensitive.
    pub case_insensitive: Option<bool>,
    /// Header criteria, all must match.
    pub header: Vec<RouteHeaderMatch>,
    /// Query-parameter criteria, all must match.
    pub query_param: Vec<QueryParamMatch>,
    /// Methods matched (default: all).
    pub methods: Vec<HttpMethod>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteHttpMatchRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    case_insensitive: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    header: Vec<RouteHeaderMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    query_param: Vec<QueryParamMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    methods: Vec<HttpMethod>,
}

impl TryFrom<RouteHttpMatchRepr> for RouteHttpMatch {
    type Error = SpecError;
    fn try_from(r: RouteHttpMatchRepr) -> Result<Self, SpecError> {
        Ok(RouteHttpMatch {
            path: PathMatch::from_parts(r.path_exact, r.path_prefix, r.path_regex, "match.http")?,
            case_insensitive: r.case_insensitive,
            header: r.header,
            query_param: r.query_param,
            methods: r.methods,
        })
    }
}

impl From<RouteHttpMatch> for RouteHttpMatchRepr {
    fn from(m: RouteHttpMatch) -> Self {
        let (path_exact, path_prefix, path_regex) = PathMatch::into_parts(m.path);
        RouteHttpMatchRepr {
            path_exact,
            path_prefix,
            path_regex,
            case_insensitive: m.case_insensitive,
            header: m.header,
            query_param: m.query_param,
            methods: m.methods,
        }
    }
}

/// A condition on a request header. [`HeaderCondition::Contains`] is not
/// available in routers (serializing it fails).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RouteHeaderMatchRepr")]
pub struct RouteHeaderMatch {
    /// Header name.
    pub name: String,
    /// The condition on its value.
    pub condition: HeaderCondition,
    /// Invert the result.
    pub invert: Option<bool>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteHeaderMatchRepr {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invert: Option<bool>,
}

const ROUTE_HEADER_FIELDS: &str = "present, exact, prefix, suffix, regex";

impl TryFrom<RouteHeaderMatchRepr> for RouteHeaderMatch {
    type Error = SpecError;
    fn try_from(r: RouteHeaderMatchRepr) -> Result<Self, SpecError> {
        let parts = HeaderConditionParts {
            present: r.present,
            exact: r.exact,
            prefix: r.prefix,
            suffix: r.suffix,
            contains: None,
            regex: r.regex,
        };
        Ok(RouteHeaderMatch {
            name: r.name,
            condition: HeaderCondition::from_parts(
                parts,
                "match.http.header[]",
                ROUTE_HEADER_FIELDS,
            )?,
            invert: r.invert,
        })
    }
}

impl Serialize for RouteHeaderMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let p = self.condition.clone().into_parts();
        if p.contains.is_some() {
            return Err(serde::ser::Error::custom(
                "ServiceRouter header matches have no `contains`",
            ));
        }
        RouteHeaderMatchRepr {
            name: self.name.clone(),
            present: p.present,
            exact: p.exact,
            prefix: p.prefix,
            suffix: p.suffix,
            regex: p.regex,
            invert: self.invert,
        }
        .serialize(s)
    }
}

/// A condition on a query parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "QueryParamMatchRepr", into = "QueryParamMatchRepr")]
pub struct QueryParamMatch {
    /// Parameter name.
    pub name: String,
    /// The condition on its value.
    pub condition: QueryCondition,
}

/// The condition on a query parameter's value: on the wire one of
/// `present: true`, `exact`, `regex`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum QueryCondition {
    /// Present with any value.
    Present,
    /// Equals this.
    Exact(String),
    /// Matches this regular expression.
    Regex(String),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct QueryParamMatchRepr {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    regex: Option<String>,
}

impl TryFrom<QueryParamMatchRepr> for QueryParamMatch {
    type Error = SpecError;
    fn try_from(r: QueryParamMatchRepr) -> Result<Self, SpecError> {
        let condition = match (r.present == Some(true), r.exact, r.regex) {
            (true, None, None) => QueryCondition::Present,
            (false, Some(e), None) => QueryCondition::Exact(e),
            (false, None, Some(x)) => QueryCondition::Regex(x),
            _ => {
                return Err(SpecError::ExactlyOne {
                    context: "match.http.queryParam[]",
                    fields: "present, exact, regex",
                });
            }
        };
        Ok(QueryParamMatch {
            name: r.name,
            condition,
        })
    }
}

impl From<QueryParamMatch> for QueryParamMatchRepr {
    fn from(m: QueryParamMatch) -> Self {
        let mut r = QueryParamMatchRepr {
            name: m.name,
            present: None,
            exact: None,
            regex: None,
        };
        match m.condition {
            QueryCondition::Present => r.present = Some(true),
            QueryCondition::Exact(e) => r.exact = Some(e),
            QueryCondition::Regex(x) => r.regex = Some(x),
        }
        r
    }
}

/// Where matching requests go, with retries, timeouts and header changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteDestination {
    /// Service to send to (default: the routed service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Subset of that service (default: its default subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_subset: Option<String>,
    /// Consul namespace (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Replaces the matched path prefix; needs a `pathPrefix` or `pathExact`
    /// match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix_rewrite: Option<String>,
    /// Total time for the request, retries included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<GoDuration>,
    /// Time the request stream may be idle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<GoDuration>,
    /// Number of retries when a retryable result occurs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<u32>,
    /// Retry on connection failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_on_connect_failure: Option<bool>,
    /// Response status codes that are retried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_on_status_codes: Vec<u16>,
    /// Response conditions that are retried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_on: Vec<RetryOn>,
    /// Request header changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<HeaderModifiers>,
    /// Response header changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<HeaderModifiers>,
}
