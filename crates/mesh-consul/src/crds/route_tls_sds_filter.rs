//! RouteTLSSDSFilter: an SDS certificate for API-gateway routes that
//! reference it.

use serde::{Deserialize, Serialize};

use super::common::{Sds, Status};

/// The desired state of a RouteTLSSDSFilter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteTlsSdsFilterSpec {
    /// Certificate from an SDS service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sds: Option<Sds>,
}

/// RouteTLSSDSFilter: an HTTPRoute filter selecting an SDS certificate.
pub type RouteTlsSdsFilter = mesh_k8s::Object<RouteTlsSdsFilterSpec>;

super::consul_kind!(
    RouteTlsSdsFilterSpec,
    "RouteTLSSDSFilter",
    "routetlssdsfilters",
    Gateway,
    NamespaceResourceScope,
    Status
);
