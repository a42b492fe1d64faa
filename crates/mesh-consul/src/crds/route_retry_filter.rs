//! RouteRetryFilter: retries for API-gateway routes that reference it.

use serde::{Deserialize, Serialize};

use super::common::{RetryOn, Status};

/// The desired state of a RouteRetryFilter, referenced from an HTTPRoute
/// rule's `extensionRef` filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteRetryFilterSpec {
    /// Number of retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<u32>,
    /// Response conditions that are retried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_on: Vec<RetryOn>,
    /// Response status codes that are retried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry_on_status_codes: Vec<u16>,
    /// Retry on connection failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_on_connect_failure: Option<bool>,
}

/// RouteRetryFilter: an HTTPRoute filter that sets retries.
pub type RouteRetryFilter = mesh_k8s::Object<RouteRetryFilterSpec>;

super::consul_kind!(
    RouteRetryFilterSpec,
    "RouteRetryFilter",
    "routeretryfilters",
    Gateway,
    NamespaceResourceScope,
    Status
);
