//! Values of the observability add-ons' charts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Extra;

/// `{enabled: bool}`, as charts write an on/off switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Toggle {
    /// On or off.
    pub enabled: bool,
}

// === Kiali ===

/// Values of Kiali's `kiali-server` chart (the same settings as the
/// `spec` of a Kiali CR; snake_case keys, as Kiali writes them).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KialiValues {
    /// The namespace of the Istio control plane. Default: Kiali's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub istio_namespace: Option<String>,
    /// Where Kiali reads metrics, dashboards and traces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_services: Option<KialiExternalServices>,
    /// Other values (`auth`, `deployment`, `server`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `external_services` of Kiali.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KialiExternalServices {
    /// The Prometheus holding the mesh's metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<KialiPrometheus>,
    /// Grafana, for links to dashboards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grafana: Option<KialiGrafana>,
    /// The tracing backend's query API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing: Option<KialiTracing>,
    /// Other services (`istio`, `custom_dashboards`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Kiali's Prometheus.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KialiPrometheus {
    /// Its URL. Default: `http://prometheus.istio-system:9090`.
    pub url: String,
    /// Other settings (`auth`, `thanos_proxy`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Kiali's Grafana.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KialiGrafana {
    /// Use Grafana. Default: true.
    pub enabled: bool,
    /// Grafana's in-cluster URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_url: Option<String>,
    /// Other settings (`external_url`, `dashboards`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// Kiali's tracing backend.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KialiTracing {
    /// Use tracing. Default: true.
    pub enabled: bool,
    /// `jaeger` or `tempo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The query API's in-cluster URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_url: Option<String>,
    /// Query over gRPC (Jaeger's 16685). Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_grpc: Option<bool>,
    /// Other settings.
    #[serde(flatten)]
    pub extra: Extra,
}

// === kube-prometheus-stack ===

/// Values of `prometheus-community/kube-prometheus-stack`: the
/// Prometheus operator (which reads the PodMonitor, ServiceMonitor and
/// PrometheusRule objects), Prometheus, and optionally Grafana.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusStackValues {
    /// The bundled Grafana.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grafana: Option<PrometheusStackGrafana>,
    /// Prometheus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<PrometheusStackPrometheus>,
    /// Other values (`alertmanager`, `nodeExporter`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `grafana` of kube-prometheus-stack (the grafana chart's values, with
/// `enabled`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusStackGrafana {
    /// Install Grafana. Default: true.
    pub enabled: bool,
    /// The dashboard sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar: Option<GrafanaSidecar>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `prometheus` of kube-prometheus-stack.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusStackPrometheus {
    /// The Prometheus resource's spec.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_spec: Option<PrometheusSpecValues>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `prometheus.prometheusSpec` of kube-prometheus-stack: which monitors
/// and rules Prometheus picks up. With the `…NilUsesHelmValues` switches
/// off, it picks up every one (not only those labelled with the release).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrometheusSpecValues {
    /// Only PodMonitors labelled `release: <release>`. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_monitor_selector_nil_uses_helm_values: Option<bool>,
    /// Only ServiceMonitors labelled `release: <release>`. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_monitor_selector_nil_uses_helm_values: Option<bool>,
    /// Only PrometheusRules labelled `release: <release>`. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_selector_nil_uses_helm_values: Option<bool>,
    /// Other values (`retention`, `storageSpec`...).
    #[serde(flatten)]
    pub extra: Extra,
}

// === Grafana ===

/// Values of `grafana/grafana`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrafanaValues {
    /// The dashboard sidecar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar: Option<GrafanaSidecar>,
    /// Provisioned data sources, by file name (`datasources.yaml`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub datasources: BTreeMap<String, GrafanaDatasources>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Grafana's sidecars.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrafanaSidecar {
    /// The sidecar loading dashboards from labelled ConfigMaps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dashboards: Option<DashboardProvider>,
    /// Other sidecars (`datasources`, `alerts`).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The dashboard sidecar: which ConfigMaps it loads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DashboardProvider {
    /// Run it.
    pub enabled: bool,
    /// The label ConfigMaps carry (`grafana_dashboard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Namespaces searched (`ALL`). Default: Grafana's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_namespace: Option<String>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A Grafana data-source provisioning file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrafanaDatasources {
    /// The file format's version (1).
    pub api_version: u32,
    /// The data sources.
    pub datasources: Vec<GrafanaDatasource>,
}

/// One Grafana data source.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrafanaDatasource {
    /// Its name.
    pub name: String,
    /// Its plugin (`prometheus`).
    #[serde(rename = "type")]
    pub type_: String,
    /// Its UID (what dashboards refer to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// Its URL.
    pub url: String,
    /// `proxy` (Grafana's server queries it).
    pub access: String,
    /// The default data source.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_default: bool,
}

// === Jaeger ===

/// Values of `jaegertracing/jaeger`: the all-in-one deployment (collector,
/// query and in-memory storage in one pod).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JaegerValues {
    /// Data stores the chart provisions (`cassandra`, `elasticsearch`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provision_data_store: BTreeMap<String, bool>,
    /// The span storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<JaegerStorage>,
    /// The all-in-one deployment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_in_one: Option<Toggle>,
    /// The separate agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Toggle>,
    /// The separate collector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<Toggle>,
    /// The separate query service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Toggle>,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Jaeger's span storage.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct JaegerStorage {
    /// `memory`, `cassandra`, `elasticsearch`...
    #[serde(rename = "type")]
    pub type_: String,
    /// Other values.
    #[serde(flatten)]
    pub extra: Extra,
}
