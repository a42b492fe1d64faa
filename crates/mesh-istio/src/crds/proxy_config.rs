//! `ProxyConfig` (networking.istio.io/v1beta1): per-workload (or
//! per-namespace, or mesh-wide in the root namespace) proxy settings:
//! worker threads, environment variables, image type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{IstioStatus, PolicySelector, checked_struct};

/// The spec of a `ProxyConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyConfigSpec {
    /// Workloads this applies to. Default: every workload in the namespace.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub selector: Option<PolicySelector>,
    /// Worker threads (0: one per CPU core). Default: 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Extra environment variables of the proxy (values at most 2048
    /// characters).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub environment_variables: BTreeMap<String, String>,
    /// The proxy image variant.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image: Option<ProxyImage>,
}

checked_struct!(ProxyConfigSpec, |p| {
    if p.concurrency.is_some_and(|c| c > i32::MAX as u32) {
        return Err("concurrency: must fit in int32".into());
    }
    if p.environment_variables
        .values()
        .any(|v| v.chars().count() > 2048)
    {
        return Err("environmentVariables: values at most 2048 characters".into());
    }
    Ok(())
});

impl mesh_k8s::Kind for ProxyConfigSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "ProxyConfig";
    const PLURAL: &'static str = "proxyconfigs";
    const VERSIONS: &'static [&'static str] = &["v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &["networking.istio.io/v1beta1"];
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Defaults;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `ProxyConfig`.
pub type ProxyConfig = mesh_k8s::Object<ProxyConfigSpec>;

/// The proxy image variant.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyImage {
    /// `default`, `debug` or `distroless`. Default: `default`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub image_type: Option<String>,
}
