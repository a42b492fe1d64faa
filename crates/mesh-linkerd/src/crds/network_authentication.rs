//! `policy.linkerd.io` NetworkAuthentication: a set of client networks for
//! AuthorizationPolicies to require.

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::Network;

/// A NetworkAuthentication: a client connection is authenticated when it
/// comes from ANY of the listed networks.
pub type NetworkAuthentication = mesh_k8s::Object<NetworkAuthenticationSpec>;

/// The spec of a [`NetworkAuthentication`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkAuthenticationSpec {
    /// The authenticated networks. Required (written even when empty).
    pub networks: Vec<Network>,
}

impl Kind for NetworkAuthenticationSpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "NetworkAuthentication";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "networkauthentications";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Security;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
