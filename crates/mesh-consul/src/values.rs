//! Typed Helm values of the `hashicorp/consul` chart (consul-k8s 1.x).
//!
//! What a user sets is typed (`global` name, datacenter, TLS, ACLs,
//! metrics; `server` size; `connectInject` injection, transparent proxy,
//! merged metrics, sidecar resources, API gateway class; mesh, ingress and
//! terminating gateways; `ui`; the demo `prometheus`); every other key stays
//! open in each struct's `extra` map. Absent fields are left out, so the
//! chart's defaults apply. Serialize with [`mesh_k8s::to_yaml_string`] to get
//! the `values.yaml` for `helm -f`.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Chart keys this crate does not type, written as given.
pub type Extra = BTreeMap<String, Value>;

/// The values of a chart the Consul lowering installs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ConsulInstall {
    /// `hashicorp/consul`.
    Consul(Box<ConsulValues>),
}

/// CPU and memory.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceList {
    /// Memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<Quantity>,
    /// CPU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<Quantity>,
}

/// Requests and limits (Kubernetes layout).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resources {
    /// Requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<ResourceList>,
    /// Limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<ResourceList>,
}

impl Resources {
    /// The model's resources; `None` when nothing is set.
    pub fn from_model(r: &mesh_model::Resources) -> Option<Self> {
        let list = |l: &mesh_model::ResourceList| {
            let out = ResourceList {
                memory: l.memory.as_ref().map(|q| Quantity(q.as_str().to_owned())),
                cpu: l.cpu.as_ref().map(|q| Quantity(q.as_str().to_owned())),
            };
            (out != ResourceList::default()).then_some(out)
        };
        let out = Resources {
            requests: r.requests.as_ref().and_then(list),
            limits: r.limits.as_ref().and_then(list),
        };
        (out != Resources::default()).then_some(out)
    }
}

/// `global.tls`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tls {
    /// TLS for Consul's own RPC and HTTP (chart default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Clients get certificates from the servers automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_encrypt: Option<bool>,
    /// Other keys (`verify`, `httpsOnly`, `caCert`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `global.acls`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Acls {
    /// Bootstrap ACLs and create the tokens of every component.
    #[serde(
        rename = "manageSystemACLs",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub manage_system_acls: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `global.metrics`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalMetrics {
    /// Metrics for every component (chart default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Consul agents' and servers' own metrics (`/v1/agent/metrics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_agent_metrics: Option<bool>,
    /// Gateways' Envoy metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_gateway_metrics: Option<bool>,
    /// Other keys (`agentMetricsRetentionTime`, `datadog`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `global`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Global {
    /// Prefix of every object the chart creates (default the release name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The datacenter (chart default `dc1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<Tls>,
    /// ACLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acls: Option<Acls>,
    /// Metrics.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<GlobalMetrics>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `server.disruptionBudget`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DisruptionBudget {
    /// Create a PodDisruptionBudget (chart default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Servers that may be down at once (default: (replicas − 1) / 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<u32>,
}

/// `server`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    /// Server replicas (chart default 1; 3 or 5 for a fault-tolerant
    /// quorum).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Server resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// PodDisruptionBudget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disruption_budget: Option<DisruptionBudget>,
    /// Other keys (`affinity`, `storage`, `extraConfig`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject.transparentProxy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransparentProxy {
    /// Transparent proxy for every injected pod (chart default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_enabled: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject.metrics`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InjectMetrics {
    /// Prometheus annotations and the scrape port on injected pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_enabled: Option<bool>,
    /// Merge the application's metrics with Envoy's on one endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_enable_merging: Option<bool>,
    /// The scrape port (chart default 20200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_prometheus_scrape_port: Option<u16>,
    /// The scrape path (chart default `/metrics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_prometheus_scrape_path: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject.sidecarProxy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SidecarProxy {
    /// Each sidecar's resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Other keys (`lifecycle`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject.apiGateway.managedGatewayClass`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedGatewayClass {
    /// Service type of API gateways (chart default `LoadBalancer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// Gateway pods' resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Other keys (`deployment`, `nodeSelector`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject.apiGateway`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiGateway {
    /// The GatewayClass the chart creates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_gateway_class: Option<ManagedGatewayClass>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `connectInject`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectInject {
    /// Run the injector (and the mesh controllers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Inject every pod of the selected namespaces unless annotated out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// The namespaces the injector acts on: a label selector written as a
    /// YAML string, as the chart expects it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<String>,
    /// Injector replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Transparent proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparent_proxy: Option<TransparentProxy>,
    /// Metrics of injected pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<InjectMetrics>,
    /// The sidecar proxies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sidecar_proxy: Option<SidecarProxy>,
    /// API gateways (Consul 1.16+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_gateway: Option<ApiGateway>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Defaults of a gateway kind (`ingressGateways.defaults`,
/// `terminatingGateways.defaults`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayDefaults {
    /// Replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// The Service (`type`, `ports`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<Value>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One gateway of a kind.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedGateway {
    /// Its name (also its Consul service name).
    pub name: String,
    /// Other keys (overrides of the defaults).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ingressGateways` / `terminatingGateways`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gateways {
    /// Install them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Defaults of every gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<GatewayDefaults>,
    /// The gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateways: Vec<NamedGateway>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `meshGateway`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshGateway {
    /// Install mesh gateways (cluster peering, WAN federation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<u32>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `ui.metrics`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UiMetrics {
    /// Show service metrics in the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The metrics provider (`prometheus`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Prometheus' URL as the UI's backend reaches it.
    #[serde(rename = "baseURL", default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// `ui`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Ui {
    /// Serve the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Metrics in the UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<UiMetrics>,
    /// Other keys (`service`, `ingress`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `prometheus`: the chart's demo Prometheus.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoPrometheus {
    /// Install it (not for production).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Values of `hashicorp/consul`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsulValues {
    /// `global`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<Global>,
    /// `server`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<Server>,
    /// `connectInject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_inject: Option<ConnectInject>,
    /// `meshGateway`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_gateway: Option<MeshGateway>,
    /// `ingressGateways` (deprecated with Consul 1.16's API gateway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_gateways: Option<Gateways>,
    /// `terminatingGateways`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminating_gateways: Option<Gateways>,
    /// `ui`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ui: Option<Ui>,
    /// `prometheus`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<DemoPrometheus>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}
