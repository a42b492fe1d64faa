//! `policy.linkerd.io` HTTPLocalRateLimitPolicy: per-proxy HTTP rate limits
//! for a Server.

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind};
use serde::{Deserialize, Serialize};

use super::shared::{AuthenticationRef, Condition, PolicyTarget};

/// An HTTPLocalRateLimitPolicy: limits the HTTP requests each proxy of the
/// target Server accepts, overall, per client identity, and for specific
/// clients.
pub type HttpLocalRateLimitPolicy = mesh_k8s::Object<HttpLocalRateLimitPolicySpec>;

/// The spec of an [`HttpLocalRateLimitPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpLocalRateLimitPolicySpec {
    /// What is limited; only a Server ([`PolicyTarget::Server`]) is
    /// honoured.
    pub target_ref: PolicyTarget,
    /// Overall limit for all traffic to the target; absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<RateLimit>,
    /// Limit for each client identity (fairness); should not exceed
    /// `total`. Absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<RateLimit>,
    /// Limits for specific clients, replacing `identity` for them; should
    /// not exceed `total`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<RateLimitOverride>,
}

/// A rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per second allowed.
    pub requests_per_second: u32,
}

/// A rate limit for specific clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimitOverride {
    /// Requests per second allowed for these clients.
    pub requests_per_second: u32,
    /// The clients, usually ServiceAccounts
    /// ([`AuthenticationRef::ServiceAccount`]). Required.
    pub client_refs: Vec<AuthenticationRef>,
}

/// The status of an [`HttpLocalRateLimitPolicy`], written by Linkerd's
/// controller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpLocalRateLimitPolicyStatus {
    /// Conditions (`Accepted`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// The target the controller resolved. Required.
    pub target_ref: StatusTargetRef,
}

/// The target of a rate-limit policy as reported in its status; group
/// defaults to `policy.linkerd.io` and kind to `Server`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatusTargetRef {
    /// API group; absent means `policy.linkerd.io`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind; absent means `Server`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name.
    pub name: String,
}

impl Kind for HttpLocalRateLimitPolicySpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "HTTPLocalRateLimitPolicy";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "httplocalratelimitpolicies";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Security;
    type Scope = NamespaceResourceScope;
    type Status = HttpLocalRateLimitPolicyStatus;
}
