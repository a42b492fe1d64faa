//! `GatewayClass` (v1, v1beta1): a kind of Gateway, implemented by one
//! controller.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use serde::{Deserialize, Serialize};

use super::common::ObjectReference;
use super::de::{self, Keyed};
use crate::{ApplyOrder, Kind, Object};

/// A typed `GatewayClass` object (cluster-scoped; preferred version v1,
/// v1beta1 has the same schema).
pub type GatewayClass = Object<GatewayClassSpec>;

/// The desired state of a `GatewayClass`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayClassSpec {
    /// The controller managing Gateways of this class, `domain/path`
    /// (`istio.io/gateway-controller`; max 253). Immutable once created.
    #[serde(deserialize_with = "de::controller_name")]
    pub controller_name: String,
    /// Implementation-specific parameters (a cluster-scoped object, or a
    /// namespaced one with `namespace` set). Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_ref: Option<ObjectReference>,
    /// Human-readable description (max 64 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Kind for GatewayClassSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "GatewayClass";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "gatewayclasses";
    const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1beta1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Gateway;
    type Scope = k8s_openapi::ClusterResourceScope;
    type Status = GatewayClassStatus;
}

impl Object<GatewayClassSpec> {
    /// The class `name` implemented by `controller_name`.
    ///
    /// ```
    /// use mesh_k8s::gateway::GatewayClass;
    /// let class = GatewayClass::for_controller("istio", "istio.io/gateway-controller");
    /// assert_eq!(class.namespace(), None);
    /// ```
    pub fn for_controller(name: impl Into<String>, controller_name: impl Into<String>) -> Self {
        Object::new(
            name,
            None,
            GatewayClassSpec {
                controller_name: controller_name.into(),
                ..GatewayClassSpec::default()
            },
        )
    }
}

/// The observed state of a `GatewayClass`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayClassStatus {
    /// Conditions (`Accepted`, `SupportedVersion`; max 8, distinct
    /// types). The API server defaults `Accepted` to `Unknown`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub conditions: Vec<Condition>,
    /// Features the controller supports for this class (max 64, distinct
    /// names).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub supported_features: Vec<SupportedFeature>,
}

/// A Gateway API feature supported by a class's controller.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SupportedFeature {
    /// Feature name (`HTTPRouteQueryParamMatching`).
    pub name: String,
}

impl Keyed for SupportedFeature {
    const FIELD: &'static str = "supportedFeatures";
    fn key(&self) -> String {
        self.name.clone()
    }
}
