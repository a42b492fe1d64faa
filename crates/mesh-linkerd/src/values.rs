//! Typed Helm values of Linkerd's charts: `linkerd-crds`,
//! `linkerd-control-plane`, `linkerd-viz` and `linkerd-jaeger`
//! (Linkerd 2.16–2.18 / edge releases).
//!
//! What a user sets is typed (replicas, HA switches, resources, identity,
//! proxy settings, the jaeger extension's collector and webhook); every
//! other key of the chart stays open in each struct's `extra` map, written
//! as given. Absent fields are left out, so the chart's own defaults apply.
//! Serialize with [`mesh_k8s::to_yaml_string`] (or through
//! [`mesh_k8s::install::InstallInput::to_yaml`]) to get the `values.yaml`
//! passed to `helm -f`.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Chart keys this crate does not type, written as given.
pub type Extra = BTreeMap<String, Value>;

/// The values of one of Linkerd's charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum LinkerdInstall {
    /// `linkerd/linkerd-crds`.
    Crds(CrdsValues),
    /// `linkerd/linkerd-control-plane`.
    ControlPlane(Box<ControlPlaneValues>),
    /// `linkerd/linkerd-viz`.
    Viz(VizValues),
    /// `linkerd/linkerd-jaeger`.
    Jaeger(JaegerValues),
}

/// Values of `linkerd-crds`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrdsValues {
    /// Install the Gateway API CRDs Linkerd needs (default true in the
    /// chart; false when the cluster already has them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub install_gateway_api_crds: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A CPU, memory or ephemeral-storage request and limit, as Linkerd's charts
/// write them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitRequest {
    /// The limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<Quantity>,
    /// The request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Quantity>,
}

/// A component's resources in Linkerd's chart layout (`cpu.request`,
/// `memory.limit`, …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resources {
    /// CPU.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<LimitRequest>,
    /// Memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<LimitRequest>,
    /// Ephemeral storage.
    #[serde(
        rename = "ephemeral-storage",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ephemeral_storage: Option<LimitRequest>,
}

impl Resources {
    /// The model's requests and limits in Linkerd's layout; `None` when
    /// nothing is set.
    pub fn from_model(r: &mesh_model::Resources) -> Option<Self> {
        let q = |v: Option<&mesh_model::Quantity>| v.map(|q| Quantity(q.as_str().to_owned()));
        let pair = |req: Option<&mesh_model::Quantity>, lim: Option<&mesh_model::Quantity>| {
            (req.is_some() || lim.is_some()).then(|| LimitRequest {
                limit: q(lim),
                request: q(req),
            })
        };
        let req = r.requests.as_ref();
        let lim = r.limits.as_ref();
        let out = Resources {
            cpu: pair(
                req.and_then(|x| x.cpu.as_ref()),
                lim.and_then(|x| x.cpu.as_ref()),
            ),
            memory: pair(
                req.and_then(|x| x.memory.as_ref()),
                lim.and_then(|x| x.memory.as_ref()),
            ),
            ephemeral_storage: None,
        };
        (out != Resources::default()).then_some(out)
    }
}

/// The Deployment rollout of control-plane workloads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentStrategy {
    /// Rolling-update bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdate>,
}

/// Rolling-update bounds.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingUpdate {
    /// Pods that may be unavailable (number or percentage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    /// Extra pods during the rollout (number or percentage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// The proxy injector's failure policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailurePolicy {
    /// Pods are admitted uninjected when the injector is down (chart
    /// default).
    Ignore,
    /// Pods are refused when the injector is down (HA).
    Fail,
}

/// The format of the identity issuer's Secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IssuerScheme {
    /// `linkerd.io/tls`: the chart creates the Secret from
    /// `identity.issuer.tls.crtPEM`/`keyPEM` (default).
    #[serde(rename = "linkerd.io/tls")]
    LinkerdTls,
    /// `kubernetes.io/tls`: an existing `linkerd-identity-issuer` Secret
    /// (`tls.crt`, `tls.key`, `ca.crt`), as cert-manager writes it.
    #[serde(rename = "kubernetes.io/tls")]
    KubernetesTls,
}

/// The identity issuer's certificate and key in PEM.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IssuerTls {
    /// Issuer certificate (ECDSA).
    #[serde(rename = "crtPEM", default, skip_serializing_if = "Option::is_none")]
    pub crt_pem: Option<String>,
    /// Issuer key (ECDSA).
    #[serde(rename = "keyPEM", default, skip_serializing_if = "Option::is_none")]
    pub key_pem: Option<String>,
}

/// `identity.issuer`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityIssuer {
    /// Where the issuer key pair comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<IssuerScheme>,
    /// Workload certificate lifetime (Go duration; chart default `24h0m0s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuance_lifetime: Option<String>,
    /// Allowed clock skew (chart default `20s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew_allowance: Option<String>,
    /// The key pair, for the `linkerd.io/tls` scheme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<IssuerTls>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `identity`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Identity {
    /// The `linkerd-identity-trust-roots` ConfigMap is provided from outside
    /// (trust-manager) rather than built from `identityTrustAnchorsPEM`.
    #[serde(
        rename = "externalCA",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub external_ca: Option<bool>,
    /// The issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<IdentityIssuer>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `proxy`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proxy {
    /// Each proxy's resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Hold the application containers until the proxy is ready (chart
    /// default true).
    #[serde(rename = "await", default, skip_serializing_if = "Option::is_none")]
    pub await_: Option<bool>,
    /// Proxy log level (`warn,linkerd=info`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
    /// Proxy log format (`plain` or `json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_format: Option<String>,
    /// Other keys (`opaquePorts`, `defaultInboundPolicy`, …).
    #[serde(flatten)]
    pub extra: Extra,
}

/// `proxyInit`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProxyInit {
    /// `legacy` or `nft`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iptables_mode: Option<String>,
    /// The init container's resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Resources>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Values of `linkerd-control-plane`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlPlaneValues {
    /// Replicas of each control-plane Deployment (chart default 1; HA 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_replicas: Option<u32>,
    /// PodDisruptionBudgets for the control plane (HA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_pod_disruption_budget: Option<bool>,
    /// Pod anti-affinity for the control plane (HA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_pod_anti_affinity: Option<bool>,
    /// Rollout of the control-plane Deployments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_strategy: Option<DeploymentStrategy>,
    /// The proxy injector's failure policy (HA: `Fail`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_failure_policy: Option<FailurePolicy>,
    /// Resources of the controller containers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller_resources: Option<Resources>,
    /// Resources of the destination controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_resources: Option<Resources>,
    /// Resources of the identity controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_resources: Option<Resources>,
    /// Resources of the heartbeat CronJob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_resources: Option<Resources>,
    /// Resources of the proxy injector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_injector_resources: Option<Resources>,
    /// Resources of the service-profile validator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sp_validator_resources: Option<Resources>,
    /// The trust anchors (PEM). Required by the chart unless
    /// `identity.externalCA` is true.
    #[serde(
        rename = "identityTrustAnchorsPEM",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub identity_trust_anchors_pem: Option<String>,
    /// Identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The proxies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<Proxy>,
    /// The proxy-init container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_init: Option<ProxyInit>,
    /// The linkerd-cni plugin replaces proxy-init (install the
    /// `linkerd2-cni` chart first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cni_enabled: Option<bool>,
    /// Cluster DNS domain (chart default `cluster.local`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_domain: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ControlPlaneValues {
    /// What the chart's `values-ha.yaml` sets: PodDisruptionBudgets,
    /// anti-affinity, `maxUnavailable: 1` rollouts, 3 replicas, the
    /// injector failing closed, and requests/limits for every component
    /// and the proxies.
    pub fn high_availability() -> Self {
        let lr = |limit: Option<&str>, request: &str| {
            Some(LimitRequest {
                limit: limit.map(|l| Quantity(l.to_owned())),
                request: Some(Quantity(request.to_owned())),
            })
        };
        let controller = Resources {
            cpu: lr(None, "100m"),
            memory: lr(Some("250Mi"), "50Mi"),
            ephemeral_storage: None,
        };
        ControlPlaneValues {
            controller_replicas: Some(3),
            enable_pod_disruption_budget: Some(true),
            enable_pod_anti_affinity: Some(true),
            deployment_strategy: Some(DeploymentStrategy {
                rolling_update: Some(RollingUpdate {
                    max_unavailable: Some(IntOrString::Int(1)),
                    max_surge: Some(IntOrString::String("25%".to_owned())),
                }),
            }),
            webhook_failure_policy: Some(FailurePolicy::Fail),
            controller_resources: Some(controller.clone()),
            destination_resources: Some(controller.clone()),
            identity_resources: Some(Resources {
                cpu: lr(None, "100m"),
                memory: lr(Some("250Mi"), "10Mi"),
                ephemeral_storage: None,
            }),
            heartbeat_resources: Some(controller.clone()),
            proxy_injector_resources: Some(controller.clone()),
            sp_validator_resources: Some(controller),
            proxy: Some(Proxy {
                resources: Some(Resources {
                    cpu: lr(None, "100m"),
                    memory: lr(Some("250Mi"), "20Mi"),
                    ephemeral_storage: None,
                }),
                ..Proxy::default()
            }),
            ..ControlPlaneValues::default()
        }
    }

    /// Sets the resources of every control-plane component.
    pub fn set_component_resources(&mut self, r: Resources) {
        self.controller_resources = Some(r.clone());
        self.destination_resources = Some(r.clone());
        self.identity_resources = Some(r.clone());
        self.heartbeat_resources = Some(r.clone());
        self.proxy_injector_resources = Some(r.clone());
        self.sp_validator_resources = Some(r);
    }
}

/// `prometheus` of linkerd-viz.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VizPrometheus {
    /// Install viz's own Prometheus (chart default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `grafana` of linkerd-viz (viz ships no Grafana; it links to one).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VizGrafana {
    /// The URL of an existing Grafana, for dashboard links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Values of `linkerd-viz`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VizValues {
    /// viz's Prometheus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus: Option<VizPrometheus>,
    /// An external Prometheus viz reads instead of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prometheus_url: Option<String>,
    /// Grafana links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grafana: Option<VizGrafana>,
    /// PodDisruptionBudgets (HA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_pod_disruption_budget: Option<bool>,
    /// Pod anti-affinity (HA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_pod_anti_affinity: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The protocol proxies export spans with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TraceProtocol {
    /// OpenCensus (the chart's default through 2.16).
    Opencensus,
    /// OTLP/gRPC (edge-24.10.1 and later).
    Opentelemetry,
}

/// `webhook` of linkerd-jaeger: how injected proxies are told to trace.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JaegerWebhook {
    /// `host:port` of the collector the proxies send spans to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector_svc_addr: Option<String>,
    /// The span protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector_trace_protocol: Option<TraceProtocol>,
    /// The collector's service account (for the proxies' mTLS identity
    /// check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector_svc_account: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `collector` of linkerd-jaeger: the OpenTelemetry collector.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JaegerCollector {
    /// Install the collector (chart default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The collector's configuration: an OpenTelemetry collector YAML
    /// document, as a string (the chart writes it into a ConfigMap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `jaeger` of linkerd-jaeger: the Jaeger all-in-one instance.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JaegerInstance {
    /// Install Jaeger all-in-one (chart default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Values of `linkerd-jaeger`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JaegerValues {
    /// The collector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collector: Option<JaegerCollector>,
    /// Jaeger all-in-one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jaeger: Option<JaegerInstance>,
    /// The injector webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<JaegerWebhook>,
    /// Other keys.
    #[serde(flatten)]
    pub extra: Extra,
}
