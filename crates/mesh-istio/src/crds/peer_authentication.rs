//! `PeerAuthentication` (security.istio.io): whether workloads accept
//! plain text, mutual TLS, or both, for the namespace (or mesh, in the
//! root namespace), selected workloads, and individual ports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{IstioStatus, PolicySelector, PortKey, checked_struct, wire_enum};

/// The spec of a `PeerAuthentication`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct PeerAuthenticationSpec {
    /// Workloads this applies to. Default: every workload in the namespace.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub selector: Option<PolicySelector>,
    /// Mutual TLS for the workload. Default: inherited from the namespace
    /// or mesh policy (`PERMISSIVE` when none).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mtls: Option<MutualTls>,
    /// Per-port overrides, keyed by the workload port number (`"8080"`).
    /// Needs a `selector` with labels; at least one entry when present.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_level_mtls: Option<BTreeMap<PortKey, MutualTls>>,
}

checked_struct!(PeerAuthenticationSpec, |p| {
    if let Some(ports) = &p.port_level_mtls {
        if ports.is_empty() {
            return Err("spec.portLevelMtls in body should have at least 1 properties".into());
        }
        if p.selector
            .as_ref()
            .is_none_or(|s| s.match_labels.is_empty())
        {
            return Err("portLevelMtls requires selector".into());
        }
    }
    Ok(())
});

impl mesh_k8s::Kind for PeerAuthenticationSpec {
    const GROUP: &'static str = "security.istio.io";
    const KIND: &'static str = "PeerAuthentication";
    const PLURAL: &'static str = "peerauthentications";
    const VERSIONS: &'static [&'static str] = super::SECURITY_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::SECURITY_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Defaults;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `PeerAuthentication`.
pub type PeerAuthentication = mesh_k8s::Object<PeerAuthenticationSpec>;

/// Mutual TLS settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MutualTls {
    /// The mode. Default: inherited from the parent policy.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<MtlsMode>,
}

impl MutualTls {
    /// `{mode: ...}`.
    pub fn mode(mode: MtlsMode) -> Self {
        MutualTls { mode: Some(mode) }
    }
}

wire_enum!(
    /// Which connections a workload accepts.
    MtlsMode {
        /// Inherit from the parent policy (`PERMISSIVE` at the top).
        Unset = "UNSET",
        /// Plain text only (no mTLS).
        Disable = "DISABLE",
        /// Both plain text and mutual TLS.
        Permissive = "PERMISSIVE",
        /// Mutual TLS only.
        Strict = "STRICT",
    }
);
