//! RateLimit: global rate limit of Consul server RPCs (cluster-scoped).

use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a RateLimit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimitSpec {
    /// The global rate limit.
    pub config: GlobalRateLimit,
}

/// RateLimit: the Consul servers' global RPC rate limit.
pub type RateLimit = mesh_k8s::Object<RateLimitSpec>;

super::consul_kind!(
    RateLimitSpec,
    "RateLimit",
    "ratelimits",
    Defaults,
    ClusterResourceScope,
    Status
);

/// Global RPC rate limit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GlobalRateLimit {
    /// Read operations per second (default unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_rate: Option<f64>,
    /// Write operations per second (default unlimited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_rate: Option<f64>,
    /// Stricter limiting in emergencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<bool>,
    /// RPC methods exempt from limiting (`Health.Check`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_endpoints: Vec<String>,
}
