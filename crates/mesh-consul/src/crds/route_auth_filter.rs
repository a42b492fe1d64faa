//! RouteAuthFilter: JWT and external-authorization settings for API-gateway
//! routes that reference it.

use serde::{Deserialize, Serialize};

use super::common::{GatewayStatus, JwtRequirement};

/// The desired state of a RouteAuthFilter, referenced from an HTTPRoute
/// rule's `extensionRef` filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteAuthFilterSpec {
    /// JWT the route's requests must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtRequirement>,
    /// Per-route override of the gateway's ext_authz setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_authz: Option<ExtAuthzOverride>,
}

/// RouteAuthFilter: an HTTPRoute filter for JWT and ext_authz.
pub type RouteAuthFilter = mesh_k8s::Object<RouteAuthFilterSpec>;

super::consul_kind!(
    RouteAuthFilterSpec,
    "RouteAuthFilter",
    "routeauthfilters",
    Gateway,
    NamespaceResourceScope,
    GatewayStatus
);

/// Whether the gateway's external authorization runs for the route,
/// overriding the gateway-wide setting.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtAuthzOverride {
    /// True: always check; false: always skip.
    pub enabled: bool,
}
