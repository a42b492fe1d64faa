//! `ReferenceGrant` (v1, v1beta1): lets objects of other namespaces
//! reference objects of this one (route backends, listener certificates).

use serde::{Deserialize, Serialize};

use super::de;
use crate::{ApplyOrder, Kind, NoStatus, Object};

/// A typed `ReferenceGrant` object (preferred version v1; v1beta1, the
/// CRD's storage version, has the same schema).
pub type ReferenceGrant = Object<ReferenceGrantSpec>;

/// The desired state of a `ReferenceGrant`: objects of kinds `from` (in
/// their namespaces) may reference objects of kinds `to` in the grant's
/// namespace. Every `from` entry pairs with every `to` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceGrantSpec {
    /// Who may reference (1-16).
    #[serde(deserialize_with = "de::non_empty")]
    pub from: Vec<ReferenceGrantFrom>,
    /// What may be referenced, in the grant's namespace (1-16).
    #[serde(deserialize_with = "de::non_empty")]
    pub to: Vec<ReferenceGrantTo>,
}

impl Kind for ReferenceGrantSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "ReferenceGrant";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "referencegrants";
    const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1beta1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Gateway;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = NoStatus;
}

/// Objects that may reference: a kind in a namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceGrantFrom {
    /// API group (`gateway.networking.k8s.io`; `""` is core).
    pub group: String,
    /// Kind (`HTTPRoute`, `Gateway`).
    pub kind: String,
    /// Namespace of the referencing objects.
    pub namespace: String,
}

impl ReferenceGrantFrom {
    /// `HTTPRoute`s of `namespace`.
    pub fn http_routes(namespace: impl Into<String>) -> Self {
        ReferenceGrantFrom {
            group: super::GROUP.to_owned(),
            kind: "HTTPRoute".to_owned(),
            namespace: namespace.into(),
        }
    }
}

/// Objects that may be referenced: a kind, optionally one name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferenceGrantTo {
    /// API group (`""` is core).
    pub group: String,
    /// Kind (`Service`, `Secret`).
    pub kind: String,
    /// Only this object. Default: every object of the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ReferenceGrantTo {
    /// Every `Service` of the grant's namespace.
    pub fn services() -> Self {
        ReferenceGrantTo {
            group: String::new(),
            kind: "Service".to_owned(),
            name: None,
        }
    }
}
