//! Typed Prometheus-operator kinds (`monitoring.coreos.com/v1`, operator
//! v0.93.0): [`ServiceMonitor`], [`PodMonitor`] and [`PrometheusRule`].
//!
//! Every field of the CRD schemas is typed. The parts the kinds share are
//! one type each: [`ScrapeEndpoint`] (what a ServiceMonitor [`Endpoint`]
//! and a PodMonitor [`PodMetricsEndpoint`] have in common), [`ScrapeAuth`]
//! (the mutually exclusive `authorization` / `basicAuth` / `oauth2` /
//! `bearerTokenSecret`), [`SafeTlsConfig`] and [`TlsConfig`],
//! [`ProxyConfig`], [`RelabelConfig`], [`SecretOrConfigMap`],
//! [`NamespaceSelector`] and the [`ConfigResourceStatus`] of all three.
//! Secret and ConfigMap keys are k8s-openapi's
//! [`SecretKeySelector`](k8s_openapi::api::core::v1::SecretKeySelector) and
//! [`ConfigMapKeySelector`](k8s_openapi::api::core::v1::ConfigMapKeySelector)
//! (the schemas match), read strictly: an unknown field or a missing `key`
//! is an error.
//!
//! Durations are [`PrometheusDuration`] (Prometheus syntax: `30s`, `1d`,
//! `2w`), not Go durations.
//!
//! ```
//! use mesh_k8s::prometheus::{AlertingRule, PrometheusDuration, PrometheusRule};
//!
//! let rule = PrometheusRule::alerting(
//!     "mesh-alerts",
//!     "istio-system",
//!     "istio",
//!     [AlertingRule::new("HighSidecarMemory", r#"container_memory_usage_bytes{container="istio-proxy"} > 500000000"#)
//!         .for_(PrometheusDuration::parse("5m").unwrap())
//!         .annotation("summary", "High sidecar memory usage")],
//! );
//! let yaml = mesh_k8s::to_yaml_string(&rule).unwrap();
//! assert!(yaml.contains("alert: HighSidecarMemory"));
//! assert!(yaml.contains("for: 5m"));
//! ```

mod common;
mod duration;
mod endpoint;
pub mod golden;
mod keyref;
mod monitor;
mod rule;
mod status;
#[cfg(test)]
mod tests;

pub use common::{
    AttachMetadata, BasicAuth, NamespaceSelector, OAuth2, ProxyConfig, RelabelAction,
    RelabelConfig, SafeAuthorization, SafeTlsConfig, Scheme, ScrapeAuth, ScrapeProtocol,
    SecretOrConfigMap, SelectorMechanism, ServiceDiscoveryRole, TargetPort, TlsConfig, TlsVersion,
};
pub use duration::PrometheusDuration;
pub use endpoint::{Endpoint, PodMetricsEndpoint, ScrapeEndpoint};
pub use monitor::{PodMonitor, PodMonitorSpec, ServiceMonitor, ServiceMonitorSpec};
pub use rule::{
    AlertingRule, Expr, PartialResponseStrategy, PrometheusRule, PrometheusRuleSpec, RecordingRule,
    Rule, RuleGroup,
};
pub use status::{
    ConditionType, ConfigResourceCondition, ConfigResourceStatus, WorkloadBinding, WorkloadGroup,
    WorkloadResource,
};

/// The API group of the Prometheus operator's kinds.
pub const GROUP: &str = "monitoring.coreos.com";

/// A Prometheus-operator object that the schema accepts but the operator or
/// Prometheus would reject (or that this crate's types cannot represent).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A duration that is not in Prometheus syntax.
    #[error("invalid Prometheus duration {text:?}: {reason}")]
    Duration {
        /// The text.
        text: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two fields that are mutually exclusive are both set.
    #[error("`{first}` and `{second}` cannot be set at the same time")]
    Conflict {
        /// One field.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// Exactly one of a set of fields must be set, and none or several are.
    #[error("exactly one of {fields} must be set")]
    OneOf {
        /// The fields, as they are written.
        fields: &'static str,
    },
    /// A field that this kind (or this variant) does not have.
    #[error("unknown field `{field}`: {reason}")]
    NotAllowed {
        /// The field.
        field: &'static str,
        /// Where it is allowed instead.
        reason: &'static str,
    },
    /// A value with the wrong form.
    #[error("invalid `{field}` {value:?}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
        /// The rule it breaks.
        reason: &'static str,
    },
}
