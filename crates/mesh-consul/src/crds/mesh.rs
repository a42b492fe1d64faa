//! Mesh: mesh-wide settings (the single entry named `mesh`).

use serde::{Deserialize, Serialize};

use super::common::{Status, TlsVersion};

/// The only name consul-k8s accepts for a Mesh object.
pub const MESH_NAME: &str = "mesh";

/// The desired state of the mesh config entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshSpec {
    /// Transparent proxy settings for the whole mesh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparent_proxy: Option<MeshTransparentProxy>,
    /// Must be true before ServiceDefaults or ProxyDefaults may set
    /// `mutualTLSMode: permissive`.
    #[serde(
        rename = "allowEnablingPermissiveMutualTLS",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_enabling_permissive_mutual_tls: Option<bool>,
    /// Validate that the clusters a route table refers to exist (default
    /// false: routes to missing clusters return 404 instead of rejecting the
    /// route table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validate_clusters: Option<bool>,
    /// TLS settings of mesh proxies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<MeshTls>,
    /// HTTP settings of mesh proxies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<MeshHttp>,
    /// Cluster peering settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peering: Option<MeshPeering>,
}

/// Mesh: settings for the whole service mesh (name `mesh`).
pub type Mesh = mesh_k8s::Object<MeshSpec>;

super::consul_kind!(
    MeshSpec,
    "Mesh",
    "meshes",
    Defaults,
    NamespaceResourceScope,
    Status
);

/// Mesh-wide transparent proxy settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshTransparentProxy {
    /// Only allow transparent proxies to reach destinations registered in
    /// Consul (no passthrough to arbitrary IPs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_destinations_only: Option<bool>,
}

/// TLS settings for inbound and outbound mesh connections.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshTls {
    /// Inbound mTLS on the public listener of sidecars and terminating
    /// gateways.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming: Option<TlsParams>,
    /// Outbound mTLS from sidecars and ingress gateways to upstreams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outgoing: Option<TlsParams>,
}

/// TLS protocol parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsParams {
    /// Minimum TLS version (Envoy default: 1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_min_version: Option<TlsVersion>,
    /// Maximum TLS version, at least the minimum (Envoy default: 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_max_version: Option<TlsVersion>,
    /// Cipher suites for TLS 1.2 and earlier (OpenSSL names; Envoy default
    /// when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
}

/// Mesh-wide HTTP settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshHttp {
    /// Remove the `x-forwarded-client-cert` header from incoming requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sanitize_x_forwarded_client_cert: Option<bool>,
    /// Settings for incoming HTTP traffic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoming: Option<MeshHttpIncoming>,
}

/// Settings for incoming HTTP traffic to mesh proxies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshHttpIncoming {
    /// Request normalization (recommended with L7 intentions on paths).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_normalization: Option<RequestNormalization>,
}

/// Normalization of incoming HTTP requests (Envoy HttpConnectionManager
/// options).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestNormalization {
    /// Turn off RFC 3986 path normalization (default false: normalize).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_disable_path_normalization: Option<bool>,
    /// Merge adjacent slashes in paths (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_slashes: Option<bool>,
    /// What to do with escaped slashes in paths (default
    /// `IMPLEMENTATION_SPECIFIC_DEFAULT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_with_escaped_slashes_action: Option<EscapedSlashesAction>,
    /// What to do with header names containing underscores (default
    /// `ALLOW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers_with_underscores_action: Option<UnderscoresAction>,
}

/// Envoy's `path_with_escaped_slashes_action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EscapedSlashesAction {
    /// Envoy's default (keep unchanged).
    ImplementationSpecificDefault,
    /// Keep the path unchanged.
    KeepUnchanged,
    /// Reject the request with 400.
    RejectRequest,
    /// Unescape and redirect to the unescaped path.
    UnescapeAndRedirect,
    /// Unescape and forward.
    UnescapeAndForward,
}

/// Envoy's `headers_with_underscores_action`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UnderscoresAction {
    /// Allow such headers (the default).
    Allow,
    /// Reject the request with 400.
    RejectRequest,
    /// Drop the header.
    DropHeader,
}

/// Cluster peering settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshPeering {
    /// Route control-plane peering traffic through mesh gateways.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer_through_mesh_gateways: Option<bool>,
}
