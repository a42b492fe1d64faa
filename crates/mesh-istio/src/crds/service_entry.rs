//! `ServiceEntry` (networking.istio.io): adds a service to Istio's
//! registry (an external API, a VM service, a mesh-internal service not in
//! Kubernetes), with its hosts, ports, resolution and endpoints.

use serde::{Deserialize, Serialize};

use super::common::{IstioStatus, PortNumber, WorkloadSelector, wire_enum};
use super::workload_entry::WorkloadEntrySpec;

/// The spec of a `ServiceEntry`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "ServiceEntryRepr", into = "ServiceEntryRepr")]
pub struct ServiceEntrySpec {
    /// Host names of the service (1 to 256; wildcard prefix allowed, but
    /// not `*` alone). Matched against HTTP `Host`/SNI; for TCP, used with
    /// `addresses`.
    pub hosts: Vec<String>,
    /// Virtual IPs or CIDRs of the service (at most 256). CIDRs only with
    /// `NONE` or `STATIC` resolution.
    pub addresses: Vec<String>,
    /// Ports of the service (at most 256, unique numbers and names).
    pub ports: Vec<ServicePort>,
    /// Whether the service is part of the mesh (mTLS, telemetry as
    /// internal). Default: `MESH_EXTERNAL`.
    pub location: Option<Location>,
    /// How the proxy finds the service's endpoints. Default: `NONE`.
    pub resolution: Option<Resolution>,
    /// The service's workloads: explicit endpoints, or a selector of
    /// pods/WorkloadEntries (`MESH_INTERNAL` only).
    pub workloads: Option<ServiceEntryWorkloads>,
    /// Namespaces the service is visible to. Default: all.
    pub export_to: Vec<String>,
    /// Subject alternative names accepted in the service's certificates.
    pub subject_alt_names: Vec<String>,
}

impl mesh_k8s::Kind for ServiceEntrySpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "ServiceEntry";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "serviceentries";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Destination;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = ServiceEntryStatus;
}

/// A typed `ServiceEntry`.
pub type ServiceEntry = mesh_k8s::Object<ServiceEntrySpec>;

/// The workloads of a ServiceEntry (at most one of the two forms).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceEntryWorkloads {
    /// `endpoints`: these endpoints (at most 4096; not with `NONE`
    /// resolution, at most one with `DNS_ROUND_ROBIN`).
    Endpoints(Vec<WorkloadEntrySpec>),
    /// `workloadSelector`: pods and WorkloadEntries with these labels.
    Selector(WorkloadSelector),
}

/// A port of a ServiceEntry (`number` and `name` required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePort {
    /// The port number.
    pub number: PortNumber,
    /// `HTTP`, `HTTPS`, `GRPC`, `HTTP2`, `MONGO`, `TCP` or `TLS`. Default:
    /// auto-detection.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    /// Name of the port.
    pub name: String,
    /// Port on the endpoints. Default: `number`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_port: Option<PortNumber>,
}

wire_enum!(
    /// Whether a ServiceEntry's service is inside the mesh.
    Location {
        /// Outside the mesh: no mTLS, telemetry as external.
        MeshExternal = "MESH_EXTERNAL",
        /// Part of the mesh (VMs, other clusters).
        MeshInternal = "MESH_INTERNAL",
    }
);

wire_enum!(
    /// How endpoints of a ServiceEntry are resolved.
    Resolution {
        /// Forward to the IP the caller connected to.
        None = "NONE",
        /// Use the static `endpoints` addresses.
        Static = "STATIC",
        /// Resolve the hosts (or the endpoint addresses) by DNS, all IPs
        /// used.
        Dns = "DNS",
        /// Resolve by DNS, only the first IP used.
        DnsRoundRobin = "DNS_ROUND_ROBIN",
        /// Resolve by DNS at request time (wildcard hosts).
        DynamicDns = "DYNAMIC_DNS",
    }
);

/// The status Istio writes on a ServiceEntry: the common status plus the
/// addresses it allocated.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntryStatus {
    /// Addresses Istio allocated to the hosts (ambient mode, DNS capture).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<ServiceEntryAddress>,
    /// Conditions, analyzer messages, observed generation.
    #[serde(flatten)]
    pub common: IstioStatus,
}

/// An address allocated to a ServiceEntry host.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceEntryAddress {
    /// The IP address.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// The host it is for.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub host: Option<String>,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ServiceEntryRepr {
    hosts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    addresses: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ports: Vec<ServicePort>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    location: Option<Location>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    resolution: Option<Resolution>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    endpoints: Option<Vec<WorkloadEntrySpec>>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    workload_selector: Option<WorkloadSelector>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    export_to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subject_alt_names: Vec<String>,
}

impl TryFrom<ServiceEntryRepr> for ServiceEntrySpec {
    type Error = String;
    fn try_from(r: ServiceEntryRepr) -> Result<Self, String> {
        if r.hosts.is_empty() || r.hosts.len() > 256 {
            return Err("hosts: 1 to 256 items required".into());
        }
        if r.hosts.iter().any(|h| h == "*") {
            return Err("hostname cannot be wildcard".into());
        }
        if r.addresses.len() > 256 || r.addresses.iter().any(|a| a.chars().count() > 64) {
            return Err("addresses: at most 256, each at most 64 characters".into());
        }
        if r.ports.len() > 256 {
            return Err("ports: at most 256".into());
        }
        for (i, p) in r.ports.iter().enumerate() {
            if r.ports[..i].iter().any(|q| q.number == p.number) {
                return Err("port number cannot be duplicated".into());
            }
            if r.ports[..i].iter().any(|q| q.name == p.name) {
                return Err(format!("ports: Duplicate value: name {:?}", p.name));
            }
        }
        let resolution = r.resolution.unwrap_or(Resolution::None);
        if r.addresses.iter().any(|a| a.contains('/'))
            && !matches!(resolution, Resolution::Static | Resolution::None)
        {
            return Err("CIDR addresses are allowed only for NONE/STATIC resolution types".into());
        }
        if resolution == Resolution::None && r.endpoints.is_some() {
            return Err("NONE mode cannot set endpoints".into());
        }
        if r.resolution == Some(Resolution::DnsRoundRobin)
            && r.endpoints.as_ref().is_some_and(|e| e.len() > 1)
        {
            return Err("DNS_ROUND_ROBIN mode cannot have multiple endpoints".into());
        }
        let workloads = match (r.endpoints, r.workload_selector) {
            (None, None) => None,
            (Some(e), None) => {
                if e.len() > 4096 {
                    return Err("endpoints: at most 4096".into());
                }
                Some(ServiceEntryWorkloads::Endpoints(e))
            }
            (None, Some(s)) => Some(ServiceEntryWorkloads::Selector(s)),
            (Some(_), Some(_)) => {
                return Err("only one of WorkloadSelector or Endpoints can be set".into());
            }
        };
        Ok(ServiceEntrySpec {
            hosts: r.hosts,
            addresses: r.addresses,
            ports: r.ports,
            location: r.location,
            resolution: r.resolution,
            workloads,
            export_to: r.export_to,
            subject_alt_names: r.subject_alt_names,
        })
    }
}

impl From<ServiceEntrySpec> for ServiceEntryRepr {
    fn from(s: ServiceEntrySpec) -> Self {
        let (endpoints, workload_selector) = match s.workloads {
            None => (None, None),
            Some(ServiceEntryWorkloads::Endpoints(e)) => (Some(e), None),
            Some(ServiceEntryWorkloads::Selector(w)) => (None, Some(w)),
        };
        ServiceEntryRepr {
            hosts: s.hosts,
            addresses: s.addresses,
            ports: s.ports,
            location: s.location,
            resolution: s.resolution,
            endpoints,
            workload_selector,
            export_to: s.export_to,
            subject_alt_names: s.subject_alt_names,
        }
    }
}
