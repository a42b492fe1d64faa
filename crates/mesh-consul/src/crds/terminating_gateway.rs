//! TerminatingGateway: services outside the mesh reached through a
//! terminating gateway, and (consul-k8s 2.x) how the gateway is deployed.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use k8s_openapi::api::core::v1::{
    Affinity, ResourceRequirements, Toleration, TopologySpreadConstraint,
};
use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a terminating-gateway config entry; the object's
/// name is the gateway's Consul service name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TerminatingGatewaySpec {
    /// Services the gateway represents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<LinkedService>,
    /// Deployment of the gateway's pods by consul-k8s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<GatewayDeployment>,
}

/// TerminatingGateway: external services reached through a gateway.
pub type TerminatingGateway = mesh_k8s::Object<TerminatingGatewaySpec>;

super::consul_kind!(
    TerminatingGatewaySpec,
    "TerminatingGateway",
    "terminatinggateways",
    Destination,
    NamespaceResourceScope,
    Status
);

/// A service represented by the gateway, with the TLS the gateway uses
/// towards it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkedService {
    /// Service name in Consul's catalog, or `*` for every service in the
    /// namespace.
    pub name: String,
    /// Consul namespace of the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Path of the CA certificate for TLS to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Path of the client certificate for TLS to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_file: Option<String>,
    /// Path of the client private key for TLS to the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<String>,
    /// SNI sent in the TLS handshake with the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    /// Turn off the gateway's automatic Host rewrite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_auto_host_rewrite: Option<bool>,
    /// Kubernetes Secret holding the TLS certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretRef>,
}

/// A Kubernetes Secret in the gateway's namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretRef {
    /// Secret name (non-empty).
    pub name: String,
}

/// How consul-k8s deploys the gateway's pods. The Kubernetes core types
/// (affinity, tolerations, topology spread, resources) are k8s-openapi's,
/// which ignore unknown fields rather than rejecting them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayDeployment {
    /// Create a Deployment for the gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_deployment: Option<bool>,
    /// Gateway service name in Consul.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_name: Option<String>,
    /// Consul namespace the gateway registers in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consul_namespace: Option<String>,
    /// Number of pods (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<NonZeroU32>,
    /// Log level of the gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// JSON logs.
    #[serde(rename = "logJSON", default, skip_serializing_if = "Option::is_none")]
    pub log_json: Option<bool>,
    /// Pod annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Node labels the pods must match.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Pod priority class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Pod scheduling affinity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Pod tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Pod topology spread constraints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// CPU and memory requests and limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// The pods' service account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<GatewayServiceAccount>,
    /// Extra ConfigMap or Secret volumes mounted in the pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_volumes: Vec<ExtraVolume>,
}

/// Service account settings of the gateway pods.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayServiceAccount {
    /// Annotations of the service account.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A ConfigMap or Secret volume mounted in the gateway pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtraVolume {
    /// Name of the ConfigMap or Secret.
    pub name: String,
    /// Volume type.
    #[serde(rename = "type")]
    pub type_: VolumeType,
    /// Keys projected to paths (default: all keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<KeyToPath>,
    /// Load the volume's files into the gateway configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<bool>,
}

/// Kind of an [`ExtraVolume`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum VolumeType {
    /// A ConfigMap.
    ConfigMap,
    /// A Secret.
    Secret,
}

/// A key of a ConfigMap or Secret projected to a relative path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyToPath {
    /// The key.
    pub key: String,
    /// Relative file path.
    pub path: String,
}
