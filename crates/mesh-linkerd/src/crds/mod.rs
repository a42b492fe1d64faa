//! Typed Linkerd custom resources (Linkerd's own Rust API types are not
//! published), from the CRDs of Linkerd `edge-26.8.3` and SMI's TrafficSplit.
//!
//! | kind | group | versions (preferred first) | type |
//! | --- | --- | --- | --- |
//! | Server | policy.linkerd.io | v1beta3, v1beta2, v1beta1, v1alpha1 | [`Server`] |
//! | ServerAuthorization | policy.linkerd.io | v1beta1, v1alpha1 | [`ServerAuthorization`] |
//! | AuthorizationPolicy | policy.linkerd.io | v1alpha1 | [`AuthorizationPolicy`] |
//! | MeshTLSAuthentication | policy.linkerd.io | v1alpha1 | [`MeshTlsAuthentication`] |
//! | NetworkAuthentication | policy.linkerd.io | v1alpha1 | [`NetworkAuthentication`] |
//! | HTTPRoute | policy.linkerd.io | v1beta3, v1beta2, v1beta1, v1alpha1 | [`HttpRoute`] |
//! | EgressNetwork | policy.linkerd.io | v1alpha1 | [`EgressNetwork`] |
//! | HTTPLocalRateLimitPolicy | policy.linkerd.io | v1alpha1 | [`HttpLocalRateLimitPolicy`] |
//! | ExternalWorkload | workload.linkerd.io | v1beta1 / v1alpha1 | [`ExternalWorkload`] / [`ExternalWorkloadV1Alpha1`] |
//! | ServiceProfile | linkerd.io | v1alpha2, v1alpha1 | [`ServiceProfile`] |
//! | TrafficSplit | split.smi-spec.io | v1alpha2, v1alpha4 / v1alpha1 | [`TrafficSplit`] / [`TrafficSplitV1Alpha1`] |
//!
//! Linkerd serves no GRPCRoute of its own: it uses Gateway API's, typed in
//! `mesh-k8s`. Fields that exist only in some versions are rejected for the
//! others by `Kind::check_version` (e.g. Server `accessPolicy` outside
//! `v1beta3`). Where a version renames a field or changes a type
//! (ExternalWorkload `meshTls`/`meshTLS`, TrafficSplit weights) that version
//! has its own spec type.
//!
//! ```
//! use mesh_linkerd::crds::{Port, ProxyProtocol, Server, ServerSpec, WorkloadSelector};
//! use std::num::NonZeroU16;
//!
//! let spec = ServerSpec {
//!     port: Port::Number(NonZeroU16::new(8080).unwrap()),
//!     proxy_protocol: Some(ProxyProtocol::Http1),
//!     ..ServerSpec::default()
//! };
//! let server = Server::new("web-http", Some("emojivoto"), spec);
//! let json = serde_json::to_value(&server).unwrap();
//! assert_eq!(json["apiVersion"], "policy.linkerd.io/v1beta3");
//! assert_eq!(json["spec"]["podSelector"], serde_json::json!({}));
//! assert_eq!(json["spec"]["proxyProtocol"], "HTTP/1");
//! ```

mod authorization_policy;
mod egress_network;
mod external_workload;
mod httproute;
mod meshtls_authentication;
mod network_authentication;
mod ratelimit_policy;
mod server;
mod server_authorization;
mod service_profile;
mod shared;
mod traffic_split;

#[cfg(test)]
mod tests;

pub use self::authorization_policy::{AuthorizationPolicy, AuthorizationPolicySpec};
pub use self::egress_network::{
    EgressNetwork, EgressNetworkSpec, EgressNetworkStatus, TrafficPolicy,
};
pub use self::external_workload::{
    ExternalWorkload, ExternalWorkloadSpec, ExternalWorkloadStatus, ExternalWorkloadV1Alpha1,
    ExternalWorkloadV1Alpha1Spec, Protocol, WorkloadCondition, WorkloadIp, WorkloadPort,
    WorkloadTls,
};
pub use self::httproute::{
    BackendFilter, BackendRef, Header, HeaderMatch, HeaderModifier, HttpRoute, HttpRouteSpec,
    Method, ParentRef, PathMatch, PathMatchType, PathModifier, RedirectStatus, RequestRedirect,
    RouteFilter, RouteMatch, RouteParentStatus, RouteRule, RouteStatus, RouteTimeouts, Scheme,
    ValueMatchType,
};
pub use self::meshtls_authentication::{
    IdentityRef, MeshTlsAuthentication, MeshTlsAuthenticationSpec,
};
pub use self::network_authentication::{NetworkAuthentication, NetworkAuthenticationSpec};
pub use self::ratelimit_policy::{
    HttpLocalRateLimitPolicy, HttpLocalRateLimitPolicySpec, HttpLocalRateLimitPolicyStatus,
    RateLimit, RateLimitOverride, StatusTargetRef,
};
pub use self::server::{AccessPolicy, ProxyProtocol, Server, ServerSpec, WorkloadSelector};
pub use self::server_authorization::{
    Client, ClientAuthentication, ServerAuthorization, ServerAuthorizationSpec, ServerSelector,
    ServiceAccountRef,
};
pub use self::service_profile::{
    RequestMatch, ResponseClass, ResponseMatch, RetryBudget, Route, ServiceProfile,
    ServiceProfileSpec, StatusRange, WeightedDst,
};
pub use self::shared::{
    AuthenticationRef, Cidr, CidrError, Condition, ConditionStatus, GATEWAY_GROUP, LocalRef,
    Network, ObjectRef, POLICY_GROUP, PolicyTarget, Port, QuantityWeight,
};
pub use self::traffic_split::{
    RouteGroupKind, RouteGroupRef, SplitBackend, TrafficSplit, TrafficSplitSpec,
    TrafficSplitV1Alpha1, TrafficSplitV1Alpha1Spec,
};
