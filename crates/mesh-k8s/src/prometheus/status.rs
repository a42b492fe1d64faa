//! [`ConfigResourceStatus`]: the status the operator writes on monitors
//! and rules (only with its `StatusForConfigurationResources` feature
//! gate).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use serde::{Deserialize, Serialize};

/// Status of a ServiceMonitor, PodMonitor or PrometheusRule: which
/// workloads selected it and whether they accepted it. Read-only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigResourceStatus {
    /// The Prometheus, PrometheusAgent, ThanosRuler or Alertmanager objects
    /// that select this resource.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bindings: Vec<WorkloadBinding>,
}

/// A workload that selects the resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadBinding {
    /// API group of the workload.
    pub group: WorkloadGroup,
    /// Resource type of the workload.
    pub resource: WorkloadResource,
    /// Name of the workload.
    pub name: String,
    /// Namespace of the workload.
    pub namespace: String,
    /// State of the resource in that workload.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConfigResourceCondition>,
}

/// API group of a workload (only the operator's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkloadGroup {
    /// `monitoring.coreos.com`.
    #[serde(rename = "monitoring.coreos.com")]
    Monitoring,
}

/// Resource type of a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorkloadResource {
    /// A Prometheus.
    #[serde(rename = "prometheuses")]
    Prometheuses,
    /// A PrometheusAgent.
    #[serde(rename = "prometheusagents")]
    PrometheusAgents,
    /// A ThanosRuler.
    #[serde(rename = "thanosrulers")]
    ThanosRulers,
    /// An Alertmanager.
    #[serde(rename = "alertmanagers")]
    Alertmanagers,
}

/// State of the resource in one workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigResourceCondition {
    /// Condition type.
    #[serde(rename = "type")]
    pub condition_type: ConditionType,
    /// `True`, `False` or `Unknown`.
    pub status: String,
    /// Time of the last change of `status`.
    pub last_transition_time: Time,
    /// Machine-readable reason of the last transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable details of the last transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `metadata.generation` the condition was computed for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
}

/// Condition type of a [`ConfigResourceCondition`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConditionType {
    /// Whether the workload accepted the resource.
    Accepted,
}
