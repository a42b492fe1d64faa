//! `linkerd.io` ServiceProfile: per-route metrics, retries, timeouts and
//! response classification for a service (Linkerd's older, pre-HTTPRoute
//! per-route configuration).

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, GoDuration, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::QuantityWeight;

/// A ServiceProfile, named after the service's FQDN
/// (`webapp.default.svc.cluster.local`).
pub type ServiceProfile = mesh_k8s::Object<ServiceProfileSpec>;

/// The spec of a [`ServiceProfile`].
///
/// Two places where the CRD schema and Linkerd's Go types disagree are
/// typed by the CRD (what the API server accepts): a request condition's
/// `not` is a list (Go: a single object), and `opaquePorts` is a list of
/// strings (Go: a map of port to bool).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceProfileSpec {
    /// Routes, each with a name used in metrics. Required in `v1alpha1`, so
    /// always written (an empty list when there are none).
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Limits retries to this service across all routes; absent means
    /// Linkerd's default (20% extra load, 10 retries/s minimum, 10s window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_budget: Option<RetryBudget>,
    /// Send some traffic for this service to other authorities instead
    /// (traffic split, failover).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dst_overrides: Vec<WeightedDst>,
    /// Ports of this service to treat as opaque (no protocol detection).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opaque_ports: Vec<String>,
}

/// A route of a [`ServiceProfile`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Route {
    /// Name, used as the `rt_route` metric label (`GET /books/{id}`).
    pub name: String,
    /// Which requests belong to the route. Required.
    pub condition: RequestMatch,
    /// How responses are classified (success or failure), first match wins;
    /// unmatched 5xx responses are failures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_classes: Vec<ResponseClass>,
    /// Whether failed requests on this route may be retried (within the
    /// retry budget); absent means false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_retryable: Option<bool>,
    /// Time limit for a request on this route, retries included; absent
    /// means 10s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<GoDuration>,
}

/// Conditions on a request. Every field set must match (AND); Linkerd
/// rejects a condition with no field set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestMatch {
    /// The request path matches this regex (whole path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_regex: Option<String>,
    /// The request method is this one (`GET`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// All of these conditions match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<RequestMatch>,
    /// At least one of these conditions matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<RequestMatch>,
    /// None of these conditions match (a list in the CRD schema).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not: Vec<RequestMatch>,
}

/// A response classification.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResponseClass {
    /// Which responses belong to this class. Required.
    pub condition: ResponseMatch,
    /// Whether they are failures; absent means false (successes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_failure: Option<bool>,
}

/// Conditions on a response; every field set must match (AND).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResponseMatch {
    /// The status code is in this range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusRange>,
    /// All of these conditions match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<ResponseMatch>,
    /// At least one of these conditions matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any: Vec<ResponseMatch>,
    /// This condition does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<ResponseMatch>>,
}

/// An inclusive range of HTTP status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusRange {
    /// Lowest code; absent means no lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u16>,
    /// Highest code; absent means no upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u16>,
}

/// How many retries may be sent to a service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryBudget {
    /// Extra load retries may add, as a ratio of original requests (`0.2`
    /// = 20%).
    pub retry_ratio: f64,
    /// Retries per second always allowed, whatever the ratio.
    pub min_retries_per_second: u32,
    /// Window over which the ratio is computed (`10s`).
    pub ttl: GoDuration,
}

/// An alternate destination for a share of the service's traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightedDst {
    /// The destination authority (`web-svc-east.default.svc.cluster.local:8080`).
    pub authority: String,
    /// Its weight relative to the other overrides.
    pub weight: QuantityWeight,
}

impl Kind for ServiceProfileSpec {
    const GROUP: &'static str = "linkerd.io";
    const KIND: &'static str = "ServiceProfile";
    const PLURAL: &'static str = "serviceprofiles";
    const VERSIONS: &'static [&'static str] = &["v1alpha2", "v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["linkerd.io/v1alpha2", "linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
