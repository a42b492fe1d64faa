//! `WorkloadEntry` and `WorkloadGroup` (networking.istio.io): workloads
//! that are not Kubernetes pods (VMs, bare metal), one by one or as a
//! template for auto-registration. A ServiceEntry's `endpoints` use the
//! same [`WorkloadEntrySpec`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{Address, HeaderName, IstioStatus, PortNumber};

/// One non-pod workload: where it is and what it is. `address` or
/// `network` is required; a Unix socket address has no `ports`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "WorkloadRepr", into = "WorkloadRepr")]
pub struct WorkloadEntrySpec {
    /// IP address, DNS name or Unix socket of the workload. May be absent
    /// when `network` is set (the workload is reached through that
    /// network's gateway).
    pub address: Option<Address>,
    /// Service port names to the workload's ports, overriding the service
    /// port numbers.
    pub ports: BTreeMap<PortName, PortNumber>,
    /// Labels of the workload (used by selectors).
    pub labels: BTreeMap<String, String>,
    /// The L3 network the workload is in, for multi-network meshes.
    pub network: Option<String>,
    /// `region/zone/subzone`, for locality load balancing.
    pub locality: Option<String>,
    /// Load-balancing weight; higher gets more traffic. Default: 1.
    pub weight: Option<u32>,
    /// The workload's service account (its mTLS identity).
    pub service_account: Option<String>,
}

impl mesh_k8s::Kind for WorkloadEntrySpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "WorkloadEntry";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "workloadentries";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Destination;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `WorkloadEntry`.
pub type WorkloadEntry = mesh_k8s::Object<WorkloadEntrySpec>;

super::common::checked_string!(
    /// The name of a service port in a workload's `ports`: fewer than 63
    /// characters, letters, digits and `-`, alphanumeric at both ends.
    PortName,
    "port name",
    |s| {
        let ok = !s.is_empty()
            && s.len() < 63
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok { Ok(()) } else { Err("port name must be valid") }
    }
);

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WorkloadRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    address: Option<Address>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    ports: BTreeMap<PortName, PortNumber>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    network: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    locality: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    weight: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    service_account: Option<String>,
}

impl WorkloadRepr {
    fn check(&self, require_address: bool) -> Result<(), String> {
        if require_address && self.address.is_none() && self.network.is_none() {
            return Err("Address is required".into());
        }
        if self.address.as_ref().is_some_and(Address::is_unix) && !self.ports.is_empty() {
            return Err("UDS may not include ports".into());
        }
        if self.labels.len() > 256 {
            return Err("labels: at most 256".into());
        }
        if self.ports.len() > 128 {
            return Err("ports: at most 128".into());
        }
        Ok(())
    }
}

impl TryFrom<WorkloadRepr> for WorkloadEntrySpec {
    type Error = String;
    fn try_from(r: WorkloadRepr) -> Result<Self, String> {
        r.check(true)?;
        Ok(WorkloadEntrySpec {
            address: r.address,
            ports: r.ports,
            labels: r.labels,
            network: r.network,
            locality: r.locality,
            weight: r.weight,
            service_account: r.service_account,
        })
    }
}

impl From<WorkloadEntrySpec> for WorkloadRepr {
    fn from(w: WorkloadEntrySpec) -> Self {
        WorkloadRepr {
            address: w.address,
            ports: w.ports,
            labels: w.labels,
            network: w.network,
            locality: w.locality,
            weight: w.weight,
            service_account: w.service_account,
        }
    }
}

// === WorkloadGroup ===

/// The spec of a `WorkloadGroup`: a template for the WorkloadEntries of
/// workloads that register themselves.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadGroupSpec {
    /// Labels and annotations of the generated WorkloadEntries.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<WorkloadGroupMetadata>,
    /// The generated WorkloadEntries' spec, without an address (each
    /// workload brings its own). Required.
    pub template: WorkloadTemplate,
    /// Readiness check run by the workload's proxy.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub probe: Option<ReadinessProbe>,
}

impl mesh_k8s::Kind for WorkloadGroupSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "WorkloadGroup";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "workloadgroups";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Destination;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `WorkloadGroup`.
pub type WorkloadGroup = mesh_k8s::Object<WorkloadGroupSpec>;

/// A [`WorkloadEntrySpec`] used as a template: the same fields, but the
/// address is optional even without a network (each registering workload
/// supplies it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "WorkloadRepr", into = "WorkloadRepr")]
pub struct WorkloadTemplate(pub WorkloadEntrySpec);

impl TryFrom<WorkloadRepr> for WorkloadTemplate {
    type Error = String;
    fn try_from(r: WorkloadRepr) -> Result<Self, String> {
        r.check(false)?;
        Ok(WorkloadTemplate(WorkloadEntrySpec {
            address: r.address,
            ports: r.ports,
            labels: r.labels,
            network: r.network,
            locality: r.locality,
            weight: r.weight,
            service_account: r.service_account,
        }))
    }
}

impl From<WorkloadTemplate> for WorkloadRepr {
    fn from(w: WorkloadTemplate) -> Self {
        w.0.into()
    }
}

/// Labels and annotations of generated WorkloadEntries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadGroupMetadata {
    /// Labels (at most 256).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations (at most 256).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A readiness probe: timing plus one check ([`HealthCheck`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "ProbeRepr", into = "ProbeRepr")]
pub struct ReadinessProbe {
    /// Seconds after start before the first probe. Default: 0.
    pub initial_delay_seconds: Option<u32>,
    /// Seconds after which a probe times out. Default: 1.
    pub timeout_seconds: Option<u32>,
    /// Seconds between probes. Default: 10.
    pub period_seconds: Option<u32>,
    /// Consecutive successes to become ready. Default: 1.
    pub success_threshold: Option<u32>,
    /// Consecutive failures to become not ready. Default: 3.
    pub failure_threshold: Option<u32>,
    /// The check.
    pub check: Option<HealthCheck>,
}

/// How a readiness probe checks the workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthCheck {
    /// `httpGet`: an HTTP GET; 2xx/3xx is healthy.
    HttpGet(HttpHealthCheck),
    /// `tcpSocket`: a TCP connection succeeds.
    TcpSocket(TcpHealthCheck),
    /// `exec`: a command exits with 0.
    Exec(ExecHealthCheck),
    /// `grpc`: the gRPC health-checking protocol.
    Grpc(GrpcHealthCheck),
}

/// An HTTP GET check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHealthCheck {
    /// Path to request.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    /// Port to request (required).
    pub port: PortNumber,
    /// Host to connect to. Default: the workload's IP.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub host: Option<String>,
    /// `HTTP` or `HTTPS`. Default: `HTTP`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub scheme: Option<ProbeScheme>,
    /// Headers to send.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub http_headers: Vec<HttpHeader>,
}

/// Scheme of an HTTP health check (`""` means HTTP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProbeScheme {
    /// Empty: HTTP.
    #[serde(rename = "")]
    Unset,
    /// HTTP.
    #[serde(rename = "HTTP")]
    Http,
    /// HTTPS.
    #[serde(rename = "HTTPS")]
    Https,
}

/// A header of an HTTP health check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<HeaderName>,
    /// Header value.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

/// A TCP connection check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpHealthCheck {
    /// Host to connect to. Default: the workload's IP.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub host: Option<String>,
    /// Port to connect to (required).
    pub port: PortNumber,
}

/// A command check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecHealthCheck {
    /// The command and its arguments, each non-empty (required).
    pub command: Vec<super::common::NonEmptyString>,
}

/// A gRPC health check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcHealthCheck {
    /// Port of the gRPC server.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<PortNumber>,
    /// Service name to check. Default: the server's overall health.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub service: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ProbeRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    initial_delay_seconds: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    timeout_seconds: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    period_seconds: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    success_threshold: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    failure_threshold: Option<u32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http_get: Option<HttpHealthCheck>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    tcp_socket: Option<TcpHealthCheck>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    exec: Option<ExecHealthCheck>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    grpc: Option<GrpcHealthCheck>,
}

impl TryFrom<ProbeRepr> for ReadinessProbe {
    type Error = String;
    fn try_from(r: ProbeRepr) -> Result<Self, String> {
        let check = match (r.http_get, r.tcp_socket, r.exec, r.grpc) {
            (None, None, None, None) => None,
            (Some(h), None, None, None) => Some(HealthCheck::HttpGet(h)),
            (None, Some(t), None, None) => Some(HealthCheck::TcpSocket(t)),
            (None, None, Some(e), None) => Some(HealthCheck::Exec(e)),
            (None, None, None, Some(g)) => Some(HealthCheck::Grpc(g)),
            _ => return Err("only one of httpGet, tcpSocket, exec or grpc can be set".into()),
        };
        Ok(ReadinessProbe {
            initial_delay_seconds: r.initial_delay_seconds,
            timeout_seconds: r.timeout_seconds,
            period_seconds: r.period_seconds,
            success_threshold: r.success_threshold,
            failure_threshold: r.failure_threshold,
            check,
        })
    }
}

impl From<ReadinessProbe> for ProbeRepr {
    fn from(p: ReadinessProbe) -> Self {
        let mut r = ProbeRepr {
            initial_delay_seconds: p.initial_delay_seconds,
            timeout_seconds: p.timeout_seconds,
            period_seconds: p.period_seconds,
            success_threshold: p.success_threshold,
            failure_threshold: p.failure_threshold,
            http_get: None,
            tcp_socket: None,
            exec: None,
            grpc: None,
        };
        match p.check {
            None => {}
            Some(HealthCheck::HttpGet(h)) => r.http_get = Some(h),
            Some(HealthCheck::TcpSocket(t)) => r.tcp_socket = Some(t),
            Some(HealthCheck::Exec(e)) => r.exec = Some(e),
            Some(HealthCheck::Grpc(g)) => r.grpc = Some(g),
        }
        r
    }
}
