//! Typed Gateway API kinds (`gateway.networking.k8s.io`, v1.6.1 standard
//! channel): [`HttpRoute`], [`GrpcRoute`], [`Gateway`], [`GatewayClass`] and
//! [`ReferenceGrant`], with their statuses.
//!
//! Every field of the standard-channel schemas is typed, and one Rust type
//! stands for each concept wherever the schema repeats it
//! ([`ParentReference`], [`BackendRef`], [`HeaderMatch`], [`HeaderModifier`],
//! [`RequestMirror`], ...). What the schema makes a closed set or a oneOf is
//! an enum: [`HttpPathMatch`], [`HttpRouteFilter`] / [`GrpcRouteFilter`]
//! (keyed by `type`, so a filter cannot carry another filter's
//! configuration), [`PathModifier`], [`MirrorAmount`], [`RedirectStatusCode`].
//!
//! # Validation
//!
//! Reading (deserializing) an object applies the CRD's structural schema
//! strictly (unknown fields are errors) and the CEL rules
//! (`x-kubernetes-validations`) that concern one object at a time: filter
//! type/config agreement, filter repetition, path-match values, `Service`
//! backends needing a port, listener protocol/TLS/hostname rules, timeouts,
//! list-map key uniqueness, minimum list sizes, and the string patterns of
//! route and listener hostnames, listener names, header names, backend
//! groups and kinds, controller names, gateway addresses. The rules that
//! are not checked here (the other name patterns and string lengths;
//! `parentRefs` `sectionName` uniqueness; a route's total of 128 matches;
//! distinct gateway addresses) are documented on the fields they concern;
//! `crd-validate` checks them in tests. Values built in code are not validated: build, then run the
//! manifests through `crd-validate` (see [`crate::testing::crd_validate`]).
//!
//! Experimental-channel fields (`HTTPRoute` `retry`, `sessionPersistence`,
//! `useDefaultGateways`, the `ExternalAuth` filter, `Gateway`
//! `defaultScope`) are not part of these types and are rejected as unknown
//! fields, as an API server with the standard CRDs would.
//!
//! ```
//! use std::num::NonZeroU16;
//! use mesh_k8s::gateway::{BackendRef, HttpRoute, HttpRouteMatch, HttpRouteRule, ServiceRef, Weight};
//!
//! let port = NonZeroU16::new(9080).unwrap();
//! let route = HttpRoute::for_service("reviews", "bookinfo", ServiceRef::new("reviews", port))
//!     .with_rule(
//!         HttpRouteRule::new()
//!             .matching(HttpRouteMatch::path_prefix("/v2"))
//!             .with_backend(BackendRef::service("reviews-v2", port).with_weight(Weight::new(90)?))
//!             .with_backend(BackendRef::service("reviews-v3", port).with_weight(Weight::new(10)?)),
//!     );
//! let yaml = mesh_k8s::to_yaml_string(&route).unwrap();
//! assert!(yaml.contains("kind: HTTPRoute"));
//! # Ok::<(), mesh_k8s::gateway::GatewayApiError>(())
//! ```

mod common;
mod de;
mod gateway_class;
mod gateway_spec;
mod grpc_route;
mod http_route;
pub mod precedence;
mod reference_grant;

#[cfg(test)]
mod tests;

pub use self::common::{
    BackendObjectReference, BackendRef, Fraction, HeaderMatch, HeaderModifier, HttpHeader,
    LocalObjectReference, MatchType, MirrorAmount, ObjectReference, ParentReference, Percent,
    RequestMirror, RouteGroupKind, RouteParentStatus, RouteStatus, SecretObjectReference, Weight,
};
pub use self::gateway_class::{
    GatewayClass, GatewayClassSpec, GatewayClassStatus, SupportedFeature,
};
pub use self::gateway_spec::{
    AddressType, AllowedListeners, AllowedRoutes, FrontendTls, FrontendTlsValidation,
    FrontendValidationMode, Gateway, GatewayAddress, GatewayBackendTls, GatewayInfrastructure,
    GatewaySpec, GatewayStatus, GatewayStatusAddress, GatewayTls, Listener, ListenerNamespaces,
    ListenerNamespacesFrom, ListenerStatus, ListenerTls, ProtocolType, RouteNamespaces,
    RouteNamespacesFrom, TlsConfig, TlsMode, TlsPortConfig,
};
pub use self::grpc_route::{
    GrpcBackendRef, GrpcMethodMatch, GrpcRoute, GrpcRouteFilter, GrpcRouteMatch, GrpcRouteRule,
    GrpcRouteSpec,
};
pub use self::http_route::{
    Cors, CorsMethod, HttpBackendRef, HttpMethod, HttpPathMatch, HttpRoute, HttpRouteFilter,
    HttpRouteMatch, HttpRouteRule, HttpRouteSpec, HttpRouteTimeouts, PathModifier, QueryParamMatch,
    RedirectScheme, RedirectStatusCode, RequestRedirect, ServiceRef, UrlRewrite,
};
pub use self::reference_grant::{
    ReferenceGrant, ReferenceGrantFrom, ReferenceGrantSpec, ReferenceGrantTo,
};

/// The API group of every kind in this module.
pub const GROUP: &str = "gateway.networking.k8s.io";

/// A Gateway API object that breaks a rule of the CRD (a CEL rule or a
/// schema constraint the Rust type cannot express by itself). Returned when
/// reading such an object and by the checked constructors ([`Weight::new`],
/// [`Percent::new`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayApiError {
    /// A field has a value the CRD rejects, or is missing / present where a
    /// rule forbids it.
    #[error("{field}: {reason}")]
    Field {
        /// The field, by its wire name (`backendRef.port`).
        field: &'static str,
        /// What is wrong, in the CRD's words where it has some.
        reason: String,
    },
    /// A list that the CRD keys by a field (or treats as a set) holds two
    /// entries with the same key.
    #[error("{field}: duplicate entry {key:?}")]
    Duplicate {
        /// The list, by its wire name (`headers`).
        field: &'static str,
        /// The repeated key.
        key: String,
    },
    /// A filter whose `type` and configuration do not agree, or a filter
    /// list that repeats a filter the CRD allows once.
    #[error("filter {filter_type}: {reason}")]
    Filter {
        /// The filter's `type`.
        filter_type: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An HTTP path match whose value the CRD's rules reject.
    #[error("path match {match_type} {value:?}: {reason}")]
    PathMatch {
        /// `Exact`, `PathPrefix` or `RegularExpression`.
        match_type: &'static str,
        /// The value.
        value: String,
        /// The rule it breaks, in the CRD's words.
        reason: &'static str,
    },
}
