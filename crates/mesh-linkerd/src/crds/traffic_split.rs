//! `split.smi-spec.io` TrafficSplit (SMI), as served by the linkerd-smi
//! extension's CRD (`v1alpha1`, `v1alpha2`) and the SMI SDK's CRD
//! (`v1alpha2`, `v1alpha4`; its `v1alpha3` is not served).
//!
//! Backend weights differ in type: `v1alpha1` has Kubernetes quantities
//! (`"500m"` or an integer), later versions plain numbers (integers for
//! SMI's Go types and Linkerd's adaptor). So `v1alpha1` has its own spec
//! type, [`TrafficSplitV1Alpha1Spec`]; both share [`SplitBackend`].

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::QuantityWeight;

/// A TrafficSplit (`v1alpha2` by default, or `v1alpha4`): splits traffic for
/// an apex service between backend services by integer weight.
pub type TrafficSplit = mesh_k8s::Object<TrafficSplitSpec>;

/// A TrafficSplit `v1alpha1`, with quantity weights.
pub type TrafficSplitV1Alpha1 = mesh_k8s::Object<TrafficSplitV1Alpha1Spec>;

/// The spec of a [`TrafficSplit`] (`v1alpha2`, `v1alpha4`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficSplitSpec {
    /// The apex service clients address. Required.
    pub service: String,
    /// HTTPRouteGroups the split applies to (`v1alpha4` only); empty means
    /// all traffic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<RouteGroupRef>,
    /// The backends. Required (written even when empty).
    pub backends: Vec<SplitBackend>,
}

/// The spec of a [`TrafficSplitV1Alpha1`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficSplitV1Alpha1Spec {
    /// The apex service clients address. Required.
    pub service: String,
    /// The backends. Required (written even when empty).
    pub backends: Vec<SplitBackend<QuantityWeight>>,
}

/// A backend of a split and its weight: `u32` for `v1alpha2`/`v1alpha4`
/// (the CRD says `number`; SMI's Go types and Linkerd read an integer),
/// [`QuantityWeight`] for `v1alpha1`. Weights are relative to the split's
/// other backends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SplitBackend<W = u32> {
    /// Name of the backend Kubernetes Service.
    pub service: String,
    /// Its weight.
    pub weight: W,
}

/// A reference to an SMI HTTPRouteGroup (`v1alpha4`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteGroupRef {
    /// Kind of the group.
    pub kind: RouteGroupKind,
    /// Name of the group.
    pub name: String,
}

/// Kind of an SMI route group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RouteGroupKind {
    /// An `HTTPRouteGroup` (the only one).
    #[serde(rename = "HTTPRouteGroup")]
    HttpRouteGroup,
}

impl Kind for TrafficSplitSpec {
    const GROUP: &'static str = "split.smi-spec.io";
    const KIND: &'static str = "TrafficSplit";
    const PLURAL: &'static str = "trafficsplits";
    const VERSIONS: &'static [&'static str] = &["v1alpha2", "v1alpha4"];
    const API_VERSIONS: &'static [&'static str] =
        &["split.smi-spec.io/v1alpha2", "split.smi-spec.io/v1alpha4"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;

    /// `matches` exists only in `v1alpha4`.
    fn check_version(&self, api_version: &str) -> Result<(), String> {
        if !api_version.ends_with("v1alpha4") && !self.matches.is_empty() {
            return Err(format!(
                "TrafficSplit {api_version} has no spec.matches (only split.smi-spec.io/v1alpha4)"
            ));
        }
        Ok(())
    }
}

impl Kind for TrafficSplitV1Alpha1Spec {
    const GROUP: &'static str = "split.smi-spec.io";
    const KIND: &'static str = "TrafficSplit";
    const PLURAL: &'static str = "trafficsplits";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["split.smi-spec.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
