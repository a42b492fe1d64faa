//! Installation of the control plane.

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::{BuildError, Name, ObjectName, Quantity};

/// A starting point for control-plane settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Profile {
    /// Production settings (Istio `default` profile with the settings said
    /// here; Linkerd and Consul charts' production values). The default.
    #[default]
    Production,
    /// Everything on, small resources, for trying the mesh out.
    Demo,
    /// The control plane only.
    Minimal,
}

/// CPU and memory.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ResourceList {
    /// CPU (`500m`, `2`).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
    /// Memory (`128Mi`, `2Gi`).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
}

/// Resource requests and limits of a container.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Resources {
    /// What the scheduler reserves.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceList>,
    /// The most it may use.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceList>,
}

/// A deployed component's size.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Component {
    /// Replicas (default: the profile's; 3 with high availability).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Container resources.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
}

/// The proxies injected next to workloads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ProxySettings {
    /// Container resources of each proxy.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Start the application only once its proxy is ready.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hold_application_until_proxy_starts: bool,
}

/// The Kubernetes Service type of a gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ServiceType {
    /// A cloud load balancer (default).
    #[default]
    LoadBalancer,
    /// A port on every node.
    NodePort,
    /// Inside the cluster only.
    ClusterIP,
}

/// A gateway deployment installed with the mesh.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct GatewayDeployment {
    /// Service type.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub service_type: ServiceType,
    /// Size.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub component: Component,
}

/// Where workload certificates come from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum CertificateAuthority {
    /// The mesh's own CA with a self-signed root (the default; fine for
    /// trying out, not for production trust).
    #[default]
    MeshManaged,
    /// cert-manager issues the mesh's intermediate from this issuer
    /// (Linkerd's documented production setup; istio-csr for Istio).
    CertManager {
        /// The issuer's name.
        issuer: Name,
        /// Whether it is a ClusterIssuer (`clusterIssuer`; default false).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        cluster_issuer: bool,
    },
    /// An intermediate CA you provide in a Secret (Istio `cacerts`, Linkerd
    /// issuer Secret, Consul CA provider).
    Secret(ObjectName),
}

/// How proxies are deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum DataPlane {
    /// A proxy per pod (default).
    #[default]
    Sidecar,
    /// Istio ambient mode: per-node ztunnel, waypoints for L7.
    Ambient,
}

/// Control-plane installation.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Installation {
    /// Starting point.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub profile: Profile,
    /// A revision name for canary upgrades of the control plane (Istio).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<Name>,
    /// Several replicas, PodDisruptionBudgets and anti-affinity.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub high_availability: bool,
    /// The control plane's size.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub control_plane: Component,
    /// The proxies.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub proxy: ProxySettings,
    /// Workload certificates.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub certificate_authority: CertificateAuthority,
    /// An ingress gateway deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_gateway: Option<GatewayDeployment>,
    /// An egress gateway deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress_gateway: Option<GatewayDeployment>,
    /// Sidecar or ambient.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub data_plane: DataPlane,
}

impl Check for Installation {
    fn check(&self, c: &mut Checker) {
        if self.high_availability && self.control_plane.replicas.is_some_and(|r| r < 2) {
            c.at("controlPlane", |c| {
                c.error_at(
                    "replicas",
                    Problem::Conflict("high availability needs at least 2 control-plane replicas"),
                )
            });
        }
    }
}

checked_builder!(Installation => InstallationBuilder);

crate::error::plain_builder!(
    ResourceList => ResourceListBuilder,
    Resources => ResourcesBuilder,
    Component => ComponentBuilder,
    ProxySettings => ProxySettingsBuilder,
    GatewayDeployment => GatewayDeploymentBuilder,
);
