//! IngressGateway: listeners of a Consul ingress gateway and the services
//! they expose.

use std::num::NonZeroU16;

use serde::{Deserialize, Serialize};

use super::common::{HeaderModifiers, PassiveHealthCheck, Protocol, Sds, Status, TlsVersion};

/// The desired state of an ingress-gateway config entry; the object's name
/// is the gateway's Consul service name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressGatewaySpec {
    /// TLS for every listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<GatewayTls>,
    /// Ports the gateway listens on and the services behind them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<IngressListener>,
    /// Defaults for all upstream services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defaults: Option<IngressDefaults>,
}

/// IngressGateway: what a Consul ingress gateway exposes.
pub type IngressGateway = mesh_k8s::Object<IngressGatewaySpec>;

super::consul_kind!(
    IngressGatewaySpec,
    "IngressGateway",
    "ingressgateways",
    Gateway,
    NamespaceResourceScope,
    Status
);

/// TLS of a gateway or of one of its listeners.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayTls {
    /// Serve TLS (certificates from Connect unless `sds` is set).
    pub enabled: bool,
    /// Minimum TLS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_min_version: Option<TlsVersion>,
    /// Maximum TLS version, at least the minimum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_max_version: Option<TlsVersion>,
    /// Cipher suites for TLS 1.2 and earlier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    /// Certificate from an SDS service instead of Connect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sds: Option<Sds>,
}

/// Upstream defaults of an ingress gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressDefaults {
    /// Maximum connections per upstream instance (HTTP/1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
    /// Maximum requests queued waiting for a connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pending_requests: Option<u32>,
    /// Maximum concurrent requests (HTTP/2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_requests: Option<u32>,
    /// Outlier detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passive_health_check: Option<PassiveHealthCheck>,
}

/// A listener of the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressListener {
    /// Port to listen on.
    pub port: NonZeroU16,
    /// Traffic type (default `tcp`); `tcp` listeners carry one service,
    /// HTTP-family listeners route by host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Services forwarded to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<IngressService>,
    /// TLS of this listener (overrides the gateway's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<GatewayTls>,
}

/// A service exposed on a listener.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressService {
    /// Service name, or `*` for every service (HTTP listeners only; then
    /// hosts are `<service>.ingress.*`).
    pub name: String,
    /// Consul namespace (Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition (Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Host names routed to the service (L7 only; default
    /// `<service>.ingress.*`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Per-service TLS certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<IngressServiceTls>,
    /// Request header changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_headers: Option<HeaderModifiers>,
    /// Response header changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_headers: Option<HeaderModifiers>,
    /// Maximum connections per instance (HTTP/1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
    /// Maximum requests queued waiting for a connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pending_requests: Option<u32>,
    /// Maximum concurrent requests (HTTP/2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_concurrent_requests: Option<u32>,
    /// Outlier detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passive_health_check: Option<PassiveHealthCheck>,
}

/// TLS of one exposed service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressServiceTls {
    /// Certificate from an SDS service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sds: Option<Sds>,
}
