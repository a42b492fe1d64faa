//! ProxyDefaults: mesh-wide proxy defaults (the single entry named `global`).

use serde::{Deserialize, Serialize};

use super::common::{
    EnvoyExtension, Expose, FailoverPolicy, MeshGateway, MutualTlsMode, PrioritizeByLocality,
    ProxyMode, SpecError, Status, TransparentProxy,
};

/// The only name consul-k8s accepts for a ProxyDefaults object.
pub const PROXY_DEFAULTS_NAME: &str = "global";

/// The desired state of the proxy-defaults config entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyDefaultsSpec {
    /// Free-form proxy configuration, as Envoy's Consul integration reads it
    /// (`protocol`, `envoy_tracing_json`, `envoy_extra_static_clusters_json`,
    /// `envoy_prometheus_bind_addr`, ...); keys are snake_case and kept as
    /// written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Map<String, serde_json::Value>>,
    /// Proxy mode; consul-k8s rejects it on the CRD (use annotations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ProxyMode>,
    /// Transparent proxy settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transparent_proxy: Option<TransparentProxy>,
    /// Whether incoming connections need mutual TLS in transparent mode.
    #[serde(
        rename = "mutualTLSMode",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mutual_tls_mode: Option<MutualTlsMode>,
    /// Default mesh gateway use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mesh_gateway: Option<MeshGateway>,
    /// Paths exposed outside the mesh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expose: Option<Expose>,
    /// Envoy access logging.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_logs: Option<AccessLogs>,
    /// Envoy extensions applied to every proxy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envoy_extensions: Vec<EnvoyExtension>,
    /// Default failover mechanism.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover_policy: Option<FailoverPolicy>,
    /// Prioritization of instances by locality in the local partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prioritize_by_locality: Option<PrioritizeByLocality>,
}

/// ProxyDefaults: defaults for every proxy in the mesh (name `global`).
pub type ProxyDefaults = mesh_k8s::Object<ProxyDefaultsSpec>;

super::consul_kind!(
    ProxyDefaultsSpec,
    "ProxyDefaults",
    "proxydefaults",
    Defaults,
    NamespaceResourceScope,
    Status
);

/// Where access logs go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogSinkType {
    /// A file (`path` required).
    File,
    /// Standard error.
    Stderr,
    /// Standard output (the default).
    Stdout,
}

/// Access log format: on the wire `jsonFormat` or `textFormat`, not both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccessLogFormat {
    /// A JSON dictionary of Envoy format strings, as a JSON string.
    Json(String),
    /// An Envoy format string.
    Text(String),
}

/// Envoy access logging for every proxy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "AccessLogsRepr", into = "AccessLogsRepr")]
pub struct AccessLogs {
    /// Turn on access logging.
    pub enabled: Option<bool>,
    /// Turn off only the logs of connections rejected for lack of a
    /// matching listener.
    pub disable_listener_logs: Option<bool>,
    /// Output (default stdout).
    pub type_: Option<LogSinkType>,
    /// Output file, for `file`.
    pub path: Option<String>,
    /// Log format (default: Consul's JSON format).
    pub format: Option<AccessLogFormat>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccessLogsRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disable_listener_logs: Option<bool>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    type_: Option<LogSinkType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    json_format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text_format: Option<String>,
}

impl TryFrom<AccessLogsRepr> for AccessLogs {
    type Error = SpecError;
    fn try_from(r: AccessLogsRepr) -> Result<Self, SpecError> {
        let format = match (r.json_format, r.text_format) {
            (None, None) => None,
            (Some(j), None) => Some(AccessLogFormat::Json(j)),
            (None, Some(t)) => Some(AccessLogFormat::Text(t)),
            (Some(_), Some(_)) => {
                return Err(SpecError::AtMostOne {
                    context: "accessLogs",
                    fields: "jsonFormat, textFormat",
                });
            }
        };
        Ok(AccessLogs {
            enabled: r.enabled,
            disable_listener_logs: r.disable_listener_logs,
            type_: r.type_,
            path: r.path,
            format,
        })
    }
}

impl From<AccessLogs> for AccessLogsRepr {
    fn from(a: AccessLogs) -> Self {
        let (json_format, text_format) = match a.format {
            None => (None, None),
            Some(AccessLogFormat::Json(j)) => (Some(j), None),
            Some(AccessLogFormat::Text(t)) => (None, Some(t)),
        };
        AccessLogsRepr {
            enabled: a.enabled,
            disable_listener_logs: a.disable_listener_logs,
            type_: a.type_,
            path: a.path,
            json_format,
            text_format,
        }
    }
}
