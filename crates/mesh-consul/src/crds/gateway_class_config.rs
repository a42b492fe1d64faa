//! GatewayClassConfig: how consul-k8s deploys the API gateways of a
//! GatewayClass (cluster-scoped).

use std::collections::BTreeMap;
use std::num::{NonZeroU16, NonZeroU32};

use k8s_openapi::api::core::v1::{ResourceRequirements, Toleration};
use mesh_k8s::NoStatus;
use serde::{Deserialize, Serialize};

/// The desired state of a GatewayClassConfig, referenced from a
/// GatewayClass's `parametersRef`. The Kubernetes core types (resources,
/// tolerations) are k8s-openapi's, which ignore unknown fields.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayClassConfigSpec {
    /// Deployment of the gateway pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<GatewayClassDeployment>,
    /// Type of the gateway Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    /// Annotations copied from the Gateway to its Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_annotations: Option<CopyAnnotations>,
    /// Added to privileged listener ports (below 1024) for the gateway
    /// containers (`8000`: port 80 listens on 8080).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_privileged_container_ports: Option<u32>,
    /// Gateway metrics (default: the Helm chart's global setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<GatewayMetrics>,
    /// Node labels the pods must match.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Pod tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// OpenShift SecurityContextConstraints the pods use.
    #[serde(
        rename = "openshiftSCCName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub openshift_scc_name: Option<String>,
    /// PodSecurityPolicy bound to the managed service account (with managed
    /// ACLs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_security_policy: Option<String>,
}

/// GatewayClassConfig: deployment settings of a class of API gateways.
pub type GatewayClassConfig = mesh_k8s::Object<GatewayClassConfigSpec>;

super::consul_kind!(
    GatewayClassConfigSpec,
    "GatewayClassConfig",
    "gatewayclassconfigs",
    Gateway,
    ClusterResourceScope,
    NoStatus
);

/// Deployment settings of the gateway pods. The instance counts are
/// deprecated in favour of Gateway annotations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayClassDeployment {
    /// Default number of instances (default 1; deprecated: use the
    /// `consul.hashicorp.com/default-replicas` Gateway annotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_instances: Option<NonZeroU32>,
    /// Minimum number of instances (default 1; deprecated: HPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_instances: Option<NonZeroU32>,
    /// Maximum number of instances (default 8; deprecated: HPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_instances: Option<NonZeroU32>,
    /// CPU and memory of the gateway container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

/// Type of the gateway Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    /// Cluster-internal.
    ClusterIP,
    /// A port on every node.
    NodePort,
    /// A cloud load balancer.
    LoadBalancer,
}

/// Annotations to copy from the Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CopyAnnotations {
    /// Annotation keys copied to the gateway Service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<String>,
}

/// Gateway metrics.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayMetrics {
    /// Expose metrics (default: the global Helm setting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Metrics path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Metrics port, 1024-65535.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
}
