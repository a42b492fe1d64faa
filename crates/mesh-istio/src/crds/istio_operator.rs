//! `IstioOperator` (install.istio.io/v1alpha1): the installation
//! description `istioctl install -f` reads (no CRD is served for it any
//! more). The fields people set are typed (profile, revision, hub/tag,
//! `meshConfig` tracing/access logs/extension providers, components with
//! their Kubernetes settings, `values.global.proxy.resources`); the format
//! is open by design (it mirrors MeshConfig, the Helm values and the
//! Kubernetes resource settings of every component), so every struct keeps
//! the fields it does not type in `other`, and they are written back as
//! read.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Affinity, EnvVar, ResourceRequirements, ServiceSpec, Toleration};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::common::wire_enum;
use super::sidecar::OutboundMode;

/// Fields not typed by this crate, kept as read.
pub type Other = BTreeMap<String, Value>;

/// The spec of an `IstioOperator`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioOperatorSpec {
    /// The base profile (`default`, `demo`, `minimal`, `ambient`,
    /// `production`...). Default: `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Revision of the control plane (canary upgrades), e.g. `1-30-3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// Container registry of the images. Default: `docker.io/istio`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// Image tag (a version, or a number YAML reads as such). Default: the
    /// istioctl version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Value>,
    /// Namespace of the control plane. Default: `istio-system`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The mesh-wide configuration (MeshConfig).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_config: Option<MeshConfig>,
    /// The components to install and their Kubernetes settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Components>,
    /// Helm values passed to the charts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Values>,
    /// Other fields (`installPackagePath`, `unvalidatedValues`...).
    #[serde(flatten)]
    pub other: Other,
}

impl mesh_k8s::Kind for IstioOperatorSpec {
    const GROUP: &'static str = "install.istio.io";
    const KIND: &'static str = "IstioOperator";
    const PLURAL: &'static str = "istiooperators";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["install.istio.io/v1alpha1"];
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Config;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = Map<String, Value>;
}

/// A typed `IstioOperator` (an `istioctl` input; its status, written by
/// the retired in-cluster operator, is kept as read).
pub type IstioOperator = mesh_k8s::Object<IstioOperatorSpec>;

// === MeshConfig ===

/// Mesh-wide settings (MeshConfig).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshConfig {
    /// Where proxies write access logs (`/dev/stdout`). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_file: Option<String>,
    /// Access log encoding. Default: `TEXT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_encoding: Option<AccessLogEncoding>,
    /// Access log format (Envoy format string). Default: Istio's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_log_format: Option<String>,
    /// Enable tracing. Default: false (Telemetry resources are preferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_tracing: Option<bool>,
    /// Default proxy settings of every workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_config: Option<ProxyDefaults>,
    /// Tracing, logging, metrics and authorization providers Telemetry and
    /// `CUSTOM` AuthorizationPolicies refer to by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension_providers: Vec<ExtensionProviderConfig>,
    /// Providers used when a Telemetry names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_providers: Option<DefaultProviders>,
    /// Handling of traffic to unknown destinations. Default: `ALLOW_ANY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbound_traffic_policy: Option<MeshOutboundTrafficPolicy>,
    /// The mesh's trust domain. Default: `cluster.local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_domain: Option<String>,
    /// Use mTLS automatically between sidecars. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_auto_mtls: Option<bool>,
    /// Other MeshConfig fields.
    #[serde(flatten)]
    pub other: Other,
}

wire_enum!(
    /// Access log encoding.
    AccessLogEncoding {
        /// Text lines.
        Text = "TEXT",
        /// JSON objects.
        Json = "JSON",
    }
);

/// Default proxy settings (`meshConfig.defaultConfig`, a ProxyConfig).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyDefaults {
    /// Legacy tracing settings of the proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracing: Option<ProxyTracing>,
    /// Start the application only once the proxy is ready. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_application_until_proxy_starts: Option<bool>,
    /// Extra Envoy statistics to expose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_stats_matcher: Option<ProxyStatsMatcher>,
    /// Environment variables of the proxy.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub proxy_metadata: BTreeMap<String, String>,
    /// Worker threads. Default: 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<i32>,
    /// Other ProxyConfig fields.
    #[serde(flatten)]
    pub other: Other,
}

/// Legacy tracing settings of a proxy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyTracing {
    /// Percentage of requests sampled, 0 to 100. Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<f64>,
    /// A Zipkin collector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zipkin: Option<ZipkinCollector>,
    /// Other tracer settings (`lightstep`, `datadog`, `custom_tags`...).
    #[serde(flatten)]
    pub other: Other,
}

/// A Zipkin collector address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZipkinCollector {
    /// `host:port` (`zipkin.istio-system:9411`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// Extra Envoy statistics to expose, by name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyStatsMatcher {
    /// Statistic name prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_prefixes: Vec<String>,
    /// Statistic name suffixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_suffixes: Vec<String>,
    /// Statistic name regexes (`.*outlier_detection.*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inclusion_regexps: Vec<String>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// Providers used when a Telemetry resource names none.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultProviders {
    /// Tracing providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tracing: Vec<String>,
    /// Metrics providers (`prometheus`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<String>,
    /// Access logging providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_logging: Vec<String>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// Mesh-wide outbound traffic policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeshOutboundTrafficPolicy {
    /// The mode. Default: `ALLOW_ANY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<OutboundMode>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// A named extension provider: one provider configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionProviderConfig {
    /// The name Telemetry and AuthorizationPolicy use.
    pub name: String,
    /// The provider.
    pub provider: ProviderConfig,
}

/// The configuration of an extension provider (the `oneof` of
/// MeshConfig's ExtensionProvider).
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderConfig {
    /// `zipkin`: a Zipkin tracer.
    Zipkin(TracingService),
    /// `opentelemetry`: an OpenTelemetry tracer.
    Opentelemetry(TracingService),
    /// `prometheus`: Prometheus metrics.
    Prometheus(Other),
    /// `envoyOtelAls`: OpenTelemetry access logs.
    EnvoyOtelAls(OtelAccessLog),
    /// `envoyFileAccessLog`: access logs to a file.
    EnvoyFileAccessLog(Other),
    /// `envoyExtAuthzHttp`: an HTTP external authorizer.
    EnvoyExtAuthzHttp(Other),
    /// `envoyExtAuthzGrpc`: a gRPC external authorizer.
    EnvoyExtAuthzGrpc(Other),
    /// Any other provider kind (`skywalking`, `datadog`...), or several
    /// keys: the fields besides `name`, as read.
    Other(Other),
}

/// A tracing collector service.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TracingService {
    /// Service FQDN (`zipkin.istio-system.svc.cluster.local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Service port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// Maximum length of tag values. Default: 256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tag_length: Option<u32>,
    /// Other fields (`http`, `grpc`, `path`...).
    #[serde(flatten)]
    pub other: Other,
}

/// An OpenTelemetry access log sink.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtelAccessLog {
    /// Collector service FQDN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Collector port (4317).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    /// The log's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_name: Option<String>,
    /// The record format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<OtelLogFormat>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// The format of OpenTelemetry access log records.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OtelLogFormat {
    /// The body, an Envoy format string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Attributes, as Envoy format strings (`%ENVIRONMENT(POD_NAME)%`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

impl Serialize for ExtensionProviderConfig {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("name", &self.name)?;
        match &self.provider {
            ProviderConfig::Zipkin(v) => m.serialize_entry("zipkin", v)?,
            ProviderConfig::Opentelemetry(v) => m.serialize_entry("opentelemetry", v)?,
            ProviderConfig::Prometheus(v) => m.serialize_entry("prometheus", v)?,
            ProviderConfig::EnvoyOtelAls(v) => m.serialize_entry("envoyOtelAls", v)?,
            ProviderConfig::EnvoyFileAccessLog(v) => m.serialize_entry("envoyFileAccessLog", v)?,
            ProviderConfig::EnvoyExtAuthzHttp(v) => m.serialize_entry("envoyExtAuthzHttp", v)?,
            ProviderConfig::EnvoyExtAuthzGrpc(v) => m.serialize_entry("envoyExtAuthzGrpc", v)?,
            ProviderConfig::Other(fields) => {
                if fields.contains_key("name") {
                    return Err(S::Error::custom("provider fields must not contain `name`"));
                }
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
            }
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for ExtensionProviderConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        fn typed<T: serde::de::DeserializeOwned, E: Error>(v: Value) -> Result<T, E> {
            serde_json::from_value(v).map_err(E::custom)
        }
        let mut fields = Other::deserialize(d)?;
        let name = match fields.remove("name") {
            Some(Value::String(n)) => n,
            Some(_) => {
                return Err(D::Error::custom(
                    "extension provider `name` must be a string",
                ));
            }
            None => return Err(D::Error::missing_field("name")),
        };
        let provider = if fields.len() == 1 {
            let Some((key, value)) = fields.pop_first() else {
                return Err(D::Error::custom("unreachable: one field"));
            };
            match key.as_str() {
                "zipkin" => ProviderConfig::Zipkin(typed(value)?),
                "opentelemetry" => ProviderConfig::Opentelemetry(typed(value)?),
                "prometheus" => ProviderConfig::Prometheus(typed(value)?),
                "envoyOtelAls" => ProviderConfig::EnvoyOtelAls(typed(value)?),
                "envoyFileAccessLog" => ProviderConfig::EnvoyFileAccessLog(typed(value)?),
                "envoyExtAuthzHttp" => ProviderConfig::EnvoyExtAuthzHttp(typed(value)?),
                "envoyExtAuthzGrpc" => ProviderConfig::EnvoyExtAuthzGrpc(typed(value)?),
                _ => ProviderConfig::Other(Other::from([(key, value)])),
            }
        } else {
            ProviderConfig::Other(fields)
        };
        Ok(ExtensionProviderConfig { name, provider })
    }
}

// === Components ===

/// The components to install.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    /// CRDs and cluster roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<ComponentSpec>,
    /// istiod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot: Option<ComponentSpec>,
    /// Ingress gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress_gateways: Vec<GatewayComponentSpec>,
    /// Egress gateways.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub egress_gateways: Vec<GatewayComponentSpec>,
    /// The CNI plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni: Option<ComponentSpec>,
    /// The ambient node proxy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ztunnel: Option<ComponentSpec>,
    /// Other components (`istiodRemote`...).
    #[serde(flatten)]
    pub other: Other,
}

/// A component: whether it is installed, where, and its Kubernetes
/// settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentSpec {
    /// Install it. Default: per profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Its namespace. Default: the spec's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Image registry override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// Image tag override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Value>,
    /// Kubernetes settings of its resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s: Option<KubernetesSettings>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// A gateway component (several may be installed, by name).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewayComponentSpec {
    /// The gateway's name (`istio-ingressgateway`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Install it. Default: per profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Its namespace. Default: the spec's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Labels of its pods (what Istio Gateway selectors match).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub label: BTreeMap<String, String>,
    /// Image registry override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// Image tag override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Value>,
    /// Kubernetes settings of its resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k8s: Option<KubernetesSettings>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// Kubernetes settings of a component's Deployment, Service and HPA.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KubernetesSettings {
    /// Container resources (requests, limits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Replicas (when no HPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_count: Option<u32>,
    /// HorizontalPodAutoscaler spec (`minReplicas`, `maxReplicas`,
    /// `metrics`), as read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hpa_spec: Option<Map<String, Value>>,
    /// The Service (`type: LoadBalancer`, `ports`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceSpec>,
    /// Annotations of the Service.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub service_annotations: BTreeMap<String, String>,
    /// Annotations of the pods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub pod_annotations: BTreeMap<String, String>,
    /// Environment variables of the container.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Node selector of the pods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Affinity of the pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    /// Tolerations of the pods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    /// Patches applied to the rendered resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<K8sObjectOverlay>,
    /// Other fields (`strategy`, `podDisruptionBudget`,
    /// `readinessProbe`, `securityContext`...).
    #[serde(flatten)]
    pub other: Other,
}

/// Patches to one rendered resource.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct K8sObjectOverlay {
    /// The resource's apiVersion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// The resource's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The resource's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The patches, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<OverlayPatch>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// One overlay patch: set (or, without value, delete) the node at `path`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OverlayPatch {
    /// The path (`spec.template.spec.containers.[name:istio-proxy].env`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The value; absent deletes the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

// === Values ===

/// Helm values.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Values {
    /// Values shared by all charts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<GlobalValues>,
    /// Other values (`pilot`, `gateways`, `sidecarInjectorWebhook`...).
    #[serde(flatten)]
    pub other: Other,
}

/// `values.global`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GlobalValues {
    /// Settings of the injected proxies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<ProxyValues>,
    /// Image registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub: Option<String>,
    /// Image tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Value>,
    /// Namespace of the control plane. Default: `istio-system`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub istio_namespace: Option<String>,
    /// Address of an external CA that signs workload certificates
    /// (istio-csr: `cert-manager-istio-csr.cert-manager.svc:443`).
    /// Default: istiod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_address: Option<String>,
    /// The control plane's PodDisruptionBudget. Default: enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_pod_disruption_budget: Option<PodDisruptionBudgetSwitch>,
    /// Other global values (`meshID`, `multiCluster`, `network`...).
    #[serde(flatten)]
    pub other: Other,
}

/// `values.global.defaultPodDisruptionBudget`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDisruptionBudgetSwitch {
    /// Install a PodDisruptionBudget (`minAvailable: 1`) for each control
    /// plane component. Default: true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Other fields.
    #[serde(flatten)]
    pub other: Other,
}

/// `values.global.proxy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyValues {
    /// Resources of the `istio-proxy` container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
    /// Other proxy values (`logLevel`, `holdApplicationUntilProxyStarts`...).
    #[serde(flatten)]
    pub other: Other,
}
