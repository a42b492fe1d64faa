//! RouteTimeoutFilter: timeouts for API-gateway routes that reference it.

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a RouteTimeoutFilter, referenced from an HTTPRoute
/// rule's `extensionRef` filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteTimeoutFilterSpec {
    /// Total time for a request, retries included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<GoDuration>,
    /// Time the request stream may be idle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<GoDuration>,
}

/// RouteTimeoutFilter: an HTTPRoute filter that sets timeouts.
pub type RouteTimeoutFilter = mesh_k8s::Object<RouteTimeoutFilterSpec>;

super::consul_kind!(
    RouteTimeoutFilterSpec,
    "RouteTimeoutFilter",
    "routetimeoutfilters",
    Gateway,
    NamespaceResourceScope,
    Status
);
