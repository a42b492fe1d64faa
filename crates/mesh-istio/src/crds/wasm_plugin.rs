//! `WasmPlugin` (extensions.istio.io/v1alpha1): a WebAssembly filter
//! added to the proxies of selected workloads or attached gateways, with
//! where it goes in the filter chain and its configuration.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::common::{
    IstioStatus, NonEmptyString, PolicySelector, PolicyTarget, PortSelector, TargetRef,
    checked_struct, wire_enum,
};

/// The spec of a `WasmPlugin`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "WasmPluginRepr", into = "WasmPluginRepr")]
pub struct WasmPluginSpec {
    /// What the plugin applies to. Default: every workload in the
    /// namespace.
    pub target: Option<PolicyTarget>,
    /// Where the module comes from: `oci://` (default when no scheme),
    /// `http(s)://` or `file://`. Required.
    pub url: WasmUrl,
    /// SHA-256 of the module (64 lower-case hex digits), checked after
    /// download.
    pub sha256: Option<String>,
    /// When the module is fetched again. Default: `IfNotPresent`
    /// (`Always` for the `latest` tag).
    pub image_pull_policy: Option<PullPolicy>,
    /// Secret (in the plugin's namespace) for pulling the OCI image,
    /// 1 to 253 characters.
    pub image_pull_secret: Option<NonEmptyString>,
    /// Public key to verify module signatures (not implemented by Istio).
    pub verification_key: Option<String>,
    /// The plugin's configuration, passed to it as JSON.
    pub plugin_config: Option<Map<String, Value>>,
    /// The plugin name in the Envoy configuration (`root_id`), 1 to 256
    /// characters.
    pub plugin_name: Option<NonEmptyString>,
    /// Where in the filter chain it goes. Default: before the router.
    pub phase: Option<PluginPhase>,
    /// Order among plugins of the same phase: higher first. Default: 0.
    pub priority: Option<i32>,
    /// What happens when the plugin fails fatally. Default: `FAIL_CLOSE`.
    pub fail_strategy: Option<FailStrategy>,
    /// Configuration of the Wasm VM.
    pub vm_config: Option<VmConfig>,
    /// The traffic the plugin sees. Default: all.
    pub match_: Vec<TrafficSelector>,
    /// HTTP or network filter. Default: `HTTP`.
    pub type_: Option<PluginType>,
}

impl mesh_k8s::Kind for WasmPluginSpec {
    const GROUP: &'static str = "extensions.istio.io";
    const KIND: &'static str = "WasmPlugin";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "wasmplugins";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["extensions.istio.io/v1alpha1"];
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Defaults;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `WasmPlugin`.
pub type WasmPlugin = mesh_k8s::Object<WasmPluginSpec>;

super::common::checked_string!(
    /// The URL of a Wasm module: non-empty; with a scheme, one of `http`,
    /// `https`, `oci`, `file`; without one, an OCI reference
    /// (`ghcr.io/org/plugin:1.0`).
    WasmUrl,
    "url",
    |s| {
        if s.is_empty() {
            return Err("spec.url in body should be at least 1 chars long");
        }
        match s.split_once("://") {
            Some(("http" | "https" | "oci" | "file", _)) => Ok(()),
            Some(_) => Err("url must have schema one of [http, https, file, oci]"),
            None => {
                let host = s.split('/').next().unwrap_or_default();
                let ok = !host.is_empty()
                    && host.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '@')
                    });
                if ok {
                    Ok(())
                } else {
                    Err("url must have schema one of [http, https, file, oci]")
                }
            }
        }
    }
);

wire_enum!(
    /// When a Wasm module is fetched again.
    PullPolicy {
        /// Not set: `IfNotPresent` (`Always` for `latest`).
        Unspecified = "UNSPECIFIED_POLICY",
        /// Use the cached module if there is one.
        IfNotPresent = "IfNotPresent",
        /// Fetch it whenever the plugin is (re)applied.
        Always = "Always",
    }
);

wire_enum!(
    /// Where a plugin goes in the filter chain.
    PluginPhase {
        /// Not set: just before the router.
        Unspecified = "UNSPECIFIED_PHASE",
        /// Before Istio's authentication filters.
        Authn = "AUTHN",
        /// Before Istio's authorization filters, after authentication.
        Authz = "AUTHZ",
        /// Before Istio's stats filters, after authorization.
        Stats = "STATS",
    }
);

wire_enum!(
    /// What happens when a plugin fails fatally.
    FailStrategy {
        /// Reject requests (503 / connection closed).
        FailClose = "FAIL_CLOSE",
        /// Skip the plugin.
        FailOpen = "FAIL_OPEN",
        /// Reload the plugin, then behave like `FAIL_CLOSE` if it fails.
        FailReload = "FAIL_RELOAD",
    }
);

wire_enum!(
    /// Filter type of a plugin.
    PluginType {
        /// Not set: `HTTP`.
        Unspecified = "UNSPECIFIED_PLUGIN_TYPE",
        /// An HTTP filter.
        Http = "HTTP",
        /// A network filter.
        Network = "NETWORK",
    }
);

/// Configuration of the Wasm VM.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VmConfig {
    /// Environment variables of the VM (at most 256, unique names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
}

/// An environment variable of a Wasm VM. `value` only with `INLINE`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    /// The name (1 to 256 characters).
    pub name: NonEmptyString,
    /// The value (with `INLINE`, at most 2048 characters).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
    /// Where the value comes from. Default: `INLINE`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_from: Option<EnvValueSource>,
}

checked_struct!(EnvVar, |e| {
    if e.value_from == Some(EnvValueSource::Host) && e.value.is_some() {
        return Err("value may only be set when valueFrom is INLINE".into());
    }
    if e.name.as_str().chars().count() > 256
        || e.value.as_ref().is_some_and(|v| v.chars().count() > 2048)
    {
        return Err("env: name at most 256, value at most 2048 characters".into());
    }
    Ok(())
});

wire_enum!(
    /// Where a Wasm VM environment variable's value comes from.
    EnvValueSource {
        /// `value`.
        Inline = "INLINE",
        /// The proxy's environment variable of the same name.
        Host = "HOST",
    }
);

/// Traffic a plugin sees: by direction and port.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficSelector {
    /// Direction. Default: both.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<WasmTrafficMode>,
    /// Destination ports (1 to 65535, unique). Default: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortSelector>,
}

wire_enum!(
    /// Direction of traffic a plugin sees.
    WasmTrafficMode {
        /// Not set: both.
        Undefined = "UNDEFINED",
        /// Outbound traffic.
        Client = "CLIENT",
        /// Inbound traffic.
        Server = "SERVER",
        /// Both.
        ClientAndServer = "CLIENT_AND_SERVER",
    }
);

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WasmPluginRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    selector: Option<PolicySelector>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_ref: Option<TargetRef>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_refs: Option<Vec<TargetRef>>,
    url: WasmUrl,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    sha256: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    image_pull_policy: Option<PullPolicy>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    image_pull_secret: Option<NonEmptyString>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    verification_key: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    plugin_config: Option<Map<String, Value>>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    plugin_name: Option<NonEmptyString>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    phase: Option<PluginPhase>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<i32>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    fail_strategy: Option<FailStrategy>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    vm_config: Option<VmConfig>,
    #[serde(default, skip_serializing_if = "Vec::is_empty", rename = "match")]
    match_: Vec<TrafficSelector>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "type"
    )]
    type_: Option<PluginType>,
}

impl TryFrom<WasmPluginRepr> for WasmPluginSpec {
    type Error = String;
    fn try_from(r: WasmPluginRepr) -> Result<Self, String> {
        if let Some(sha) = &r.sha256
            && !(sha.is_empty()
                || (sha.len() == 64
                    && sha
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))))
        {
            return Err("spec.sha256 in body should match '(^$|^[a-f0-9]{64}$)'".into());
        }
        if r.image_pull_secret
            .as_ref()
            .is_some_and(|s| s.as_str().len() > 253)
            || r.plugin_name
                .as_ref()
                .is_some_and(|s| s.as_str().chars().count() > 256)
        {
            return Err("imagePullSecret at most 253, pluginName at most 256 characters".into());
        }
        if let Some(vm) = &r.vm_config {
            if vm.env.len() > 256 {
                return Err("vmConfig.env: at most 256".into());
            }
            for (i, e) in vm.env.iter().enumerate() {
                if vm.env[..i].iter().any(|f| f.name == e.name) {
                    return Err(format!("vmConfig.env: Duplicate value: {}", e.name));
                }
            }
        }
        for m in &r.match_ {
            for (i, p) in m.ports.iter().enumerate() {
                if !(1..=65535).contains(&p.number) {
                    return Err("match.ports.number: must be 1 to 65535".into());
                }
                if m.ports[..i].iter().any(|q| q.number == p.number) {
                    return Err(format!("match.ports: Duplicate value: {}", p.number));
                }
            }
        }
        Ok(WasmPluginSpec {
            target: PolicyTarget::from_parts(r.selector, r.target_ref, r.target_refs)?,
            url: r.url,
            sha256: r.sha256,
            image_pull_policy: r.image_pull_policy,
            image_pull_secret: r.image_pull_secret,
            verification_key: r.verification_key,
            plugin_config: r.plugin_config,
            plugin_name: r.plugin_name,
            phase: r.phase,
            priority: r.priority,
            fail_strategy: r.fail_strategy,
            vm_config: r.vm_config,
            match_: r.match_,
            type_: r.type_,
        })
    }
}

impl From<WasmPluginSpec> for WasmPluginRepr {
    fn from(s: WasmPluginSpec) -> Self {
        let (selector, target_ref, target_refs) = PolicyTarget::into_parts(s.target);
        WasmPluginRepr {
            selector,
            target_ref,
            target_refs,
            url: s.url,
            sha256: s.sha256,
            image_pull_policy: s.image_pull_policy,
            image_pull_secret: s.image_pull_secret,
            verification_key: s.verification_key,
            plugin_config: s.plugin_config,
            plugin_name: s.plugin_name,
            phase: s.phase,
            priority: s.priority,
            fail_strategy: s.fail_strategy,
            vm_config: s.vm_config,
            match_: s.match_,
            type_: s.type_,
        }
    }
}
