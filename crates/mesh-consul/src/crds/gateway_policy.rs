//! GatewayPolicy: JWT requirements attached to an API gateway or one of its
//! listeners.

use serde::{Deserialize, Serialize};

use super::common::{GatewayStatus, JwtRequirement};

/// The desired state of a GatewayPolicy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayPolicySpec {
    /// The gateway (and listener) the policy applies to.
    pub target_ref: PolicyTargetReference,
    /// Settings that routes may override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<GatewayPolicyConfig>,
    /// Settings that take precedence over routes'.
    #[serde(rename = "override", default, skip_serializing_if = "Option::is_none")]
    pub override_: Option<GatewayPolicyConfig>,
}

/// GatewayPolicy: JWT requirements for an API gateway listener.
pub type GatewayPolicy = mesh_k8s::Object<GatewayPolicySpec>;

super::consul_kind!(
    GatewayPolicySpec,
    "GatewayPolicy",
    "gatewaypolicies",
    Gateway,
    NamespaceResourceScope,
    GatewayStatus
);

/// The object a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyTargetReference {
    /// API group of the target (1-253 characters).
    pub group: String,
    /// Kind of the target (`Gateway`).
    pub kind: String,
    /// Name of the target.
    pub name: String,
    /// Namespace of the target (default: the policy's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Listener of the target (a DNS subdomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

/// What a GatewayPolicy sets.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayPolicyConfig {
    /// JWT requests must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtRequirement>,
}
