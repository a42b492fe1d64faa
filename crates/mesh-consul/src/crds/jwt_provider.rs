//! JWTProvider: an issuer of JSON Web Tokens and how proxies verify them.

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a jwt-provider config entry; intentions refer to
/// it by the object's name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtProviderSpec {
    /// Where the verification keys come from (required by Consul).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_web_key_set: Option<JsonWebKeySet>,
    /// Required `iss` claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Accepted audiences; when set, the token must name one of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// Where tokens are looked for (default: `Authorization: Bearer`, then
    /// the `access_token` query parameter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<JwtLocation>,
    /// Forwarding of verified tokens to the backend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<JwtForwarding>,
    /// Allowed clock skew for `exp` and `nbf`, in seconds (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_skew_seconds: Option<u32>,
    /// Caching of verification results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_config: Option<JwtCacheConfig>,
}

/// JWTProvider: a JWT issuer usable in intentions.
pub type JwtProvider = mesh_k8s::Object<JwtProviderSpec>;

super::consul_kind!(
    JwtProviderSpec,
    "JWTProvider",
    "jwtproviders",
    Defaults,
    NamespaceResourceScope,
    Status
);

/// A JSON Web Key Set: local or fetched, not both.
// A config value built once per provider; boxing the remote variant would
// only make construction clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonWebKeySet {
    /// A key set on every proxy's disk or inline.
    Local(LocalJwks),
    /// A key set fetched from a server.
    Remote(RemoteJwks),
}

/// A local key set: a file or inline, not both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LocalJwks {
    /// Base64-encoded JWKS.
    Jwks(String),
    /// Path of the JWKS, present on the disk of every proxy that enforces
    /// intentions referring to the provider.
    Filename(String),
}

/// A key set fetched from a remote server.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemoteJwks {
    /// URI of the JWKS.
    pub uri: String,
    /// Fetch timeout, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout_ms: Option<u32>,
    /// How long fetched keys are cached (default 5 minutes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_duration: Option<GoDuration>,
    /// Fetch on the first request (which waits) rather than before the
    /// listener starts (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_asynchronously: Option<bool>,
    /// Send the hostname as SNI (default false).
    #[serde(rename = "useSNI", default, skip_serializing_if = "Option::is_none")]
    pub use_sni: Option<bool>,
    /// Retries of the fetch (default: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<JwksRetryPolicy>,
    /// The Envoy cluster the JWKS is fetched through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwks_cluster: Option<JwksCluster>,
}

/// Retries of a JWKS fetch.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwksRetryPolicy {
    /// Number of retries, with jittered exponential backoff (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_retries: Option<u32>,
    /// Backoff (default: Envoy's, 1s base, 10x max).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_policy_back_off: Option<RetryBackOff>,
}

/// Backoff between retries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryBackOff {
    /// Base interval (default 1s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_interval: Option<GoDuration>,
    /// Maximum interval, at least the base (default 10 x base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_interval: Option<GoDuration>,
}

/// The Envoy cluster used to fetch a remote JWKS.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwksCluster {
    /// Service discovery type (default `STRICT_DNS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery_type: Option<DiscoveryType>,
    /// CA used to verify the server (default: not verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_certificates: Option<JwksTlsCertificates>,
    /// Connect timeout (default 5s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<GoDuration>,
}

/// Envoy cluster discovery type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DiscoveryType {
    /// Static addresses.
    Static,
    /// DNS, all addresses (the default).
    StrictDns,
    /// DNS, first address.
    LogicalDns,
    /// Envoy EDS.
    Eds,
    /// The original destination.
    OriginalDst,
}

/// The CA that verifies the JWKS server: a certificate provider instance or
/// trusted CA data, not both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksTlsCertificates {
    /// An Envoy certificate provider instance.
    CaCertificateProviderInstance(CertificateProviderInstance),
    /// CA certificate data.
    TrustedCa(DataSource),
}

/// An Envoy certificate provider instance.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertificateProviderInstance {
    /// Instance name (default `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_name: Option<String>,
    /// Certificate name (`ROOTCA`, or a domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_name: Option<String>,
}

/// Certificate data: exactly one source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataSource {
    /// A file on the proxy's disk.
    Filename(String),
    /// An environment variable of the proxy.
    EnvironmentVariable(String),
    /// Inline text (PEM).
    InlineString(String),
    /// Inline bytes, base64 encoded.
    InlineBytes(String),
}

/// Where a JWT is found in a request: exactly one of a header, a query
/// parameter or a cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtLocation {
    /// A request header.
    Header(JwtHeader),
    /// A query parameter.
    QueryParam(NamedLocation),
    /// A cookie.
    Cookie(NamedLocation),
}

/// A header carrying a JWT.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtHeader {
    /// Header name.
    pub name: String,
    /// Prefix before the token (`Bearer `).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_prefix: Option<String>,
    /// Forward the header to the backend after verification (default
    /// false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<bool>,
}

/// A query parameter or cookie carrying a JWT.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedLocation {
    /// Parameter or cookie name.
    pub name: String,
}

/// Forwarding of a verified JWT's payload to the backend.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtForwarding {
    /// Header that carries the base64url-encoded payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_name: Option<String>,
    /// Pad the base64 payload (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pad_forward_payload_header: Option<bool>,
}

/// Caching of JWT verification results.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtCacheConfig {
    /// Maximum cached results (default 0: no caching).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
}

super::one_of!(JsonWebKeySet {
    Local(LocalJwks) => "local",
    Remote(RemoteJwks) => "remote",
});
super::one_of!(LocalJwks {
    Jwks(String) => "jwks",
    Filename(String) => "filename",
});
super::one_of!(JwksTlsCertificates {
    CaCertificateProviderInstance(CertificateProviderInstance) => "caCertificateProviderInstance",
    TrustedCa(DataSource) => "trustedCA",
});
super::one_of!(DataSource {
    Filename(String) => "filename",
    EnvironmentVariable(String) => "environmentVariable",
    InlineString(String) => "inlineString",
    InlineBytes(String) => "inlineBytes",
});
super::one_of!(JwtLocation {
    Header(JwtHeader) => "header",
    QueryParam(NamedLocation) => "queryParam",
    Cookie(NamedLocation) => "cookie",
});
