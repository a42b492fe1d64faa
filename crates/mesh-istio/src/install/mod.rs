//! Installer inputs for Istio: the typed values of Istio's Helm charts
//! (`base`, `istiod`, `gateway`, `cni`, `ztunnel`; Istio ≥ 1.24 layout,
//! where a chart's values are set at its top level), cert-manager's
//! `istio-csr`, and the observability add-ons' charts (Kiali's
//! `kiali-server`, `kube-prometheus-stack`, `grafana`, `jaeger`).
//!
//! What meshwright sets is typed; every struct keeps the rest of the
//! chart's values in an open `extra` map (Helm values are open maps by
//! design), written back as given. The `istioctl` alternative is the typed
//! [`IstioOperator`]; its `meshConfig` and
//! `values.global` types ([`MeshConfig`], [`GlobalValues`]) are reused here,
//! since the `istiod` chart reads exactly those.
//!
//! [`IstioInstall`] is the union the Istio lowering returns in
//! [`Lowered::install`](mesh_k8s::lowering::Lowered), in install order.

mod addons;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Affinity, ResourceRequirements};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use addons::{
    DashboardProvider, GrafanaDatasource, GrafanaDatasources, GrafanaSidecar, GrafanaValues,
    JaegerStorage, JaegerValues, KialiExternalServices, KialiGrafana, KialiPrometheus,
    KialiTracing, KialiValues, PrometheusSpecValues, PrometheusStackGrafana,
    PrometheusStackPrometheus, PrometheusStackValues, Toggle,
};

use crate::IstioOperator;
use crate::crds::{GlobalValues, MeshConfig};

/// Chart values meshwright does not type, kept as given.
pub type Extra = BTreeMap<String, Value>;

/// One installer input of the Istio lowering: an IstioOperator for
/// `istioctl install -f`, or one chart's values for `helm -f`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)] // built once per lowering, moved into the output
pub enum IstioInstall {
    /// The IstioOperator (installer `istioctl`).
    Operator(IstioOperator),
    /// Values of the `istio/base` chart (CRDs, cluster roles).
    Base(BaseValues),
    /// Values of the `istio/istiod` chart (control plane, mesh config).
    Istiod(IstiodValues),
    /// Values of the `istio/gateway` chart (an ingress or egress gateway).
    Gateway(GatewayValues),
    /// Values of the `istio/cni` chart (ambient).
    Cni(CniValues),
    /// Values of the `istio/ztunnel` chart (ambient).
    Ztunnel(ZtunnelValues),
    /// Values of cert-manager's `cert-manager-istio-csr` chart.
    IstioCsr(IstioCsrValues),
    /// Values of Kiali's `kiali-server` chart.
    Kiali(KialiValues),
    /// Values of `prometheus-community/kube-prometheus-stack`.
    PrometheusStack(PrometheusStackValues),
    /// Values of `grafana/grafana`.
    Grafana(GrafanaValues),
    /// Values of `jaegertracing/jaeger`.
    Jaeger(JaegerValues),
}

// === istio/base ===

/// Values of the `istio/base` chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaseValues {
    /// The revision the default validating webhook points to (canary
    /// upgrades). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_revision: Option<String>,
    /// Values shared by the charts (`istioNamespace`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalValues>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

// === istio/istiod ===

/// Values of the `istio/istiod` chart (Istio ≥ 1.24: set at the top
/// level, not under `pilot`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstiodValues {
    /// The profile (`demo`, `minimal`, `ambient`...). Default: `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The control plane's revision (part of its resource names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Replicas of istiod (used when autoscaling is off; the autoscaler
    /// starts from `autoscaleMin`). Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_count: Option<u32>,
    /// Install a HorizontalPodAutoscaler. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale_enabled: Option<bool>,
    /// The autoscaler's minimum replicas. Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale_min: Option<u32>,
    /// The autoscaler's maximum replicas. Default: 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale_max: Option<u32>,
    /// Container resources of istiod. Default: requests 500m / 2048Mi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Scheduling affinity of the istiod pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Environment variables of istiod (`ENABLE_CA_SERVER`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    /// The mesh configuration (MeshConfig), as in the IstioOperator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_config: Option<MeshConfig>,
    /// Values shared by the charts (proxy resources, CA address, PDB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalValues>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

// === istio/gateway ===

/// Values of the `istio/gateway` chart. The chart ships a
/// `values.schema.json` (strict at the top level).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayValues {
    /// Name of the gateway's resources. Default: the release name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The control-plane revision the gateway's proxies use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Labels of the gateway's pods and resources (what Istio Gateway
    /// selectors match). Default: `app` and `istio` from the name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Replicas when autoscaling is off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_count: Option<u32>,
    /// The HorizontalPodAutoscaler. Default: on, 1 to 5 replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaling: Option<GatewayAutoscaling>,
    /// Container resources of the gateway proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// The gateway's Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<GatewayService>,
    /// A PodDisruptionBudget. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_disruption_budget: Option<PodDisruptionBudgetValues>,
    /// Scheduling affinity of the gateway pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The gateway chart's autoscaler settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayAutoscaling {
    /// Install the autoscaler. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Minimum replicas. Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<u32>,
    /// Maximum replicas. Default: 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_replicas: Option<u32>,
    /// Other values (`targetCPUUtilizationPercentage`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The gateway chart's Service settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayService {
    /// `LoadBalancer` (default), `NodePort` or `ClusterIP`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_: Option<String>,
    /// Other values (`ports`, `annotations`, `loadBalancerIP`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// A PodDisruptionBudget's bounds (one of the two).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetValues {
    /// Pods that must stay available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<u32>,
    /// Other values (`maxUnavailable`, `unhealthyPodEvictionPolicy`).
    #[serde(flatten)]
    pub extra: Extra,
}

// === istio/cni, istio/ztunnel ===

/// Values of the `istio/cni` chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CniValues {
    /// The profile (`ambient` for ambient mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The control-plane revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Values of the `istio/ztunnel` chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZtunnelValues {
    /// The control-plane revision ztunnel connects to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Container resources of each ztunnel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

// === cert-manager istio-csr ===

/// Values of cert-manager's `cert-manager-istio-csr` chart: the CA
/// server that signs workload certificates through a cert-manager issuer
/// in place of istiod's own CA.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioCsrValues {
    /// The application's settings.
    pub app: IstioCsrApp,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `app` of the istio-csr chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioCsrApp {
    /// The cert-manager side.
    pub certmanager: IstioCsrCertManager,
    /// The certificates' settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<IstioCsrTls>,
    /// The Istio side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub istio: Option<IstioCsrIstio>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `app.certmanager` of the istio-csr chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioCsrCertManager {
    /// Namespace the CertificateRequests are created in (an `Issuer` must
    /// live there). Default: `istio-system`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The issuer that signs.
    pub issuer: IssuerRef,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A cert-manager issuer reference.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IssuerRef {
    /// The issuer's name.
    pub name: String,
    /// `Issuer` or `ClusterIssuer`.
    pub kind: String,
    /// The issuer's API group (`cert-manager.io`).
    pub group: String,
}

/// `app.tls` of the istio-csr chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioCsrTls {
    /// The mesh's trust domain. Default: `cluster.local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_domain: Option<String>,
    /// Other values (`rootCAFile`, `certificateDNSNames`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `app.istio` of the istio-csr chart.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioCsrIstio {
    /// The control-plane revisions served. Default: `[default]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisions: Vec<String>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}
