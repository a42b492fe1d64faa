//! `workload.linkerd.io` ExternalWorkload: a workload outside the cluster
//! (typically a VM) enrolled in the mesh.
//!
//! The two served versions differ in a wire name (`meshTls` in `v1alpha1`,
//! `meshTLS` in `v1beta1`), so each has its own spec type; they share every
//! other type and convert into each other.

use std::net::IpAddr;
use std::num::NonZeroU16;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use mesh_k8s::{ApplyOrder, Kind};
use serde::{Deserialize, Serialize};

use super::shared::ConditionStatus;

/// An ExternalWorkload (`v1beta1`).
pub type ExternalWorkload = mesh_k8s::Object<ExternalWorkloadSpec>;

/// An ExternalWorkload written as `v1alpha1`.
pub type ExternalWorkloadV1Alpha1 = mesh_k8s::Object<ExternalWorkloadV1Alpha1Spec>;

/// The spec of an [`ExternalWorkload`] (`v1beta1`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalWorkloadSpec {
    /// The workload's mTLS identity and server name. Required.
    #[serde(rename = "meshTLS")]
    pub mesh_tls: WorkloadTls,
    /// The ports the workload exposes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<WorkloadPort>,
    /// Addresses to send the workload traffic to: at most two, one IPv4 and
    /// one IPv6.
    #[serde(rename = "workloadIPs", default, skip_serializing_if = "Vec::is_empty")]
    pub workload_ips: Vec<WorkloadIp>,
}

/// The spec of an [`ExternalWorkloadV1Alpha1`]: as `v1beta1`, with
/// `meshTls` and at most one address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalWorkloadV1Alpha1Spec {
    /// The workload's mTLS identity and server name. Required.
    pub mesh_tls: WorkloadTls,
    /// The ports the workload exposes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<WorkloadPort>,
    /// Addresses to send the workload traffic to: at most one.
    #[serde(rename = "workloadIPs", default, skip_serializing_if = "Vec::is_empty")]
    pub workload_ips: Vec<WorkloadIp>,
}

impl From<ExternalWorkloadV1Alpha1Spec> for ExternalWorkloadSpec {
    fn from(s: ExternalWorkloadV1Alpha1Spec) -> Self {
        ExternalWorkloadSpec {
            mesh_tls: s.mesh_tls,
            ports: s.ports,
            workload_ips: s.workload_ips,
        }
    }
}

impl From<ExternalWorkloadSpec> for ExternalWorkloadV1Alpha1Spec {
    fn from(s: ExternalWorkloadSpec) -> Self {
        ExternalWorkloadV1Alpha1Spec {
            mesh_tls: s.mesh_tls,
            ports: s.ports,
            workload_ips: s.workload_ips,
        }
    }
}

/// TLS settings of an external workload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadTls {
    /// The identity in the workload's certificate, checked by peers in the
    /// mTLS handshake (`spiffe://root.linkerd.cluster.local/vm-1`); 1-253
    /// characters.
    pub identity: String,
    /// The workload's DNS-style name, used by the workload to terminate TLS
    /// (SNI); 1-253 characters.
    pub server_name: String,
}

/// A port an external workload exposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadPort {
    /// IANA_SVC_NAME, unique among the ports; Services refer to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Port number, 1-65535.
    pub port: NonZeroU16,
    /// Transport protocol; absent means TCP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
}

/// Transport protocol of a workload port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Protocol {
    /// TCP (the default).
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// SCTP (named by Linkerd's API types; the CRD text says TCP or UDP).
    #[serde(rename = "SCTP")]
    Sctp,
}

/// An address of an external workload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadIp {
    /// The IP address (must parse as one: the controller publishes it as an
    /// endpoint address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
}

/// The status of an external workload, written by Linkerd's controller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalWorkloadStatus {
    /// Conditions (`Ready`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<WorkloadCondition>,
}

/// A condition of an external workload: like a pod condition, with the
/// last health-probe time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadCondition {
    /// Condition type, CamelCase (`Ready`).
    #[serde(rename = "type")]
    pub type_: String,
    /// Whether it holds.
    pub status: ConditionStatus,
    /// When the health-check endpoint was last probed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Time>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Programmatic CamelCase reason for the last transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn check_ips(ips: &[WorkloadIp], max: usize, api_version: &str) -> Result<(), String> {
    if ips.len() > max {
        return Err(format!(
            "ExternalWorkload {api_version}: spec.workloadIPs has {} items, at most {max} allowed",
            ips.len()
        ));
    }
    Ok(())
}

impl Kind for ExternalWorkloadSpec {
    const GROUP: &'static str = "workload.linkerd.io";
    const KIND: &'static str = "ExternalWorkload";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "externalworkloads";
    const VERSIONS: &'static [&'static str] = &["v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &["workload.linkerd.io/v1beta1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Destination;
    type Scope = NamespaceResourceScope;
    type Status = ExternalWorkloadStatus;

    /// At most two `workloadIPs`.
    fn check_version(&self, api_version: &str) -> Result<(), String> {
        check_ips(&self.workload_ips, 2, api_version)
    }
}

impl Kind for ExternalWorkloadV1Alpha1Spec {
    const GROUP: &'static str = "workload.linkerd.io";
    const KIND: &'static str = "ExternalWorkload";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "externalworkloads";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["workload.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Destination;
    type Scope = NamespaceResourceScope;
    type Status = ExternalWorkloadStatus;

    /// At most one `workloadIPs` item.
    fn check_version(&self, api_version: &str) -> Result<(), String> {
        check_ips(&self.workload_ips, 1, api_version)
    }
}
