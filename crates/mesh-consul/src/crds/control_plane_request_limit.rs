//! ControlPlaneRequestLimit: rate limits on requests to Consul servers.

use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a control-plane request limit: a global read and
/// write rate, and per-endpoint-family overrides.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ControlPlaneRequestLimitSpec {
    /// Whether limits are enforced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<RequestLimitMode>,
    /// Read requests per second, all endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_rate: Option<f64>,
    /// Write requests per second, all endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_rate: Option<f64>,
    /// ACL endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<RequestRates>,
    /// Catalog endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<RequestRates>,
    /// Config entry endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_entry: Option<RequestRates>,
    /// Connect CA endpoints.
    #[serde(rename = "connectCA", default, skip_serializing_if = "Option::is_none")]
    pub connect_ca: Option<RequestRates>,
    /// Coordinate endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinate: Option<RequestRates>,
    /// Discovery chain endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_chain: Option<RequestRates>,
    /// Health endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health: Option<RequestRates>,
    /// Intention endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intention: Option<RequestRates>,
    /// KV endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kv: Option<RequestRates>,
    /// Prepared query endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_query: Option<RequestRates>,
    /// Session endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<RequestRates>,
    /// Tenancy (partition, namespace) endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenancy: Option<RequestRates>,
    /// Transaction endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub txn: Option<RequestRates>,
}

/// ControlPlaneRequestLimit: rate limits on Consul server endpoints.
pub type ControlPlaneRequestLimit = mesh_k8s::Object<ControlPlaneRequestLimitSpec>;

super::consul_kind!(
    ControlPlaneRequestLimitSpec,
    "ControlPlaneRequestLimit",
    "controlplanerequestlimits",
    Defaults,
    NamespaceResourceScope,
    Status
);

/// Enforcement mode of request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestLimitMode {
    /// No limiting.
    Disabled,
    /// Log and count requests over the limit, but serve them.
    Permissive,
    /// Reject requests over the limit.
    Enforcing,
}

/// Read and write rates for a family of endpoints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestRates {
    /// Read requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_rate: Option<f64>,
    /// Write requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_rate: Option<f64>,
}
