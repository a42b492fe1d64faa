//! RouteExtProc: per-route control of an API gateway's external processing
//! (ext_proc) extension.

use serde::{Deserialize, Serialize};

use super::common::Status;

/// The desired state of a RouteExtProc.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteExtProcSpec {
    /// What happens to the targeted ext_proc instance on the route.
    pub mode: ExtProcMode,
    /// Which `builtin/ext-proc` extension of the gateway's ServiceDefaults
    /// is targeted, by its stat prefix (default: the one without).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stat_prefix: Option<String>,
    /// Per-route overrides, honored only with mode `override`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<ExtProcOverrides>,
}

/// `Default` (which `mesh_k8s::Kind` needs) is `mode: enabled`, nothing else.
impl Default for RouteExtProcSpec {
    fn default() -> Self {
        RouteExtProcSpec {
            mode: ExtProcMode::Enabled,
            stat_prefix: None,
            overrides: None,
        }
    }
}

/// RouteExtProc: an HTTPRoute filter controlling ext_proc.
pub type RouteExtProc = mesh_k8s::Object<RouteExtProcSpec>;

super::consul_kind!(
    RouteExtProcSpec,
    "RouteExtProc",
    "routeextprocs",
    Gateway,
    NamespaceResourceScope,
    Status
);

/// What a route does with an ext_proc instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtProcMode {
    /// Force-enable the instance on the route.
    Enabled,
    /// Skip the instance for the route's requests.
    Disabled,
    /// Keep the instance and apply `overrides`.
    Override,
}

/// Per-route ext_proc overrides (Envoy `ExtProcPerRoute`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtProcOverrides {
    /// Which request/response phases are sent to the processor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing: Option<ExtProcProcessing>,
}

/// Processing modes per direction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtProcProcessing {
    /// Request direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<ExtProcDirection>,
    /// Response direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ExtProcDirection>,
}

/// Processing modes of one direction.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtProcDirection {
    /// Whether headers are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers_mode: Option<SendMode>,
    /// Whether and how the body is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_mode: Option<BodyMode>,
    /// Whether trailers are sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trailers_mode: Option<SendMode>,
    /// Maximum bytes buffered with `BUFFERED`/`BUFFERED_PARTIAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u64>,
}

/// Whether headers or trailers are sent to the processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SendMode {
    /// Send them.
    Send,
    /// Do not send them.
    Skip,
}

/// How the body is sent to the processor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BodyMode {
    /// Not sent.
    Skip,
    /// Buffered whole, then sent.
    Buffered,
    /// Buffered up to `maxBodyBytes`, then sent.
    BufferedPartial,
    /// Streamed chunk by chunk.
    Streamed,
}
