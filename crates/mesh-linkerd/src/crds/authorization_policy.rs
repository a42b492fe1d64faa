//! `policy.linkerd.io` AuthorizationPolicy: authorizes clients of a Server,
//! route or namespace by required authentications.

use k8s_openapi::NamespaceResourceScope;
use mesh_k8s::{ApplyOrder, Kind, NoStatus};
use serde::{Deserialize, Serialize};

use super::shared::{AuthenticationRef, PolicyTarget};

/// An AuthorizationPolicy: requests to the target are allowed when ALL the
/// required authentications are satisfied.
pub type AuthorizationPolicy = mesh_k8s::Object<AuthorizationPolicySpec>;

/// The spec of an [`AuthorizationPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthorizationPolicySpec {
    /// What the policy applies to: a Server, an HTTPRoute (Linkerd's or
    /// Gateway API's), a GRPCRoute, or the namespace.
    pub target_ref: PolicyTarget,
    /// Authentications that must ALL be satisfied (MeshTLSAuthentication,
    /// NetworkAuthentication, ServiceAccount). If a referenced object does
    /// not exist the policy is ignored. Required; an empty list authorizes
    /// every client.
    pub required_authentication_refs: Vec<AuthenticationRef>,
}

impl Kind for AuthorizationPolicySpec {
    const GROUP: &'static str = "policy.linkerd.io";
    const KIND: &'static str = "AuthorizationPolicy";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "authorizationpolicies";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["policy.linkerd.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Security;
    type Scope = NamespaceResourceScope;
    type Status = NoStatus;
}
