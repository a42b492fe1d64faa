//! meshwright's Consul backend.
//!
//! [`crds`] holds the typed Consul CRDs (`consul.hashicorp.com/v1alpha1`
//! config entries: ServiceDefaults, ServiceResolver, ServiceRouter,
//! ServiceSplitter, ServiceIntentions, ProxyDefaults, Mesh, IngressGateway,
//! TerminatingGateway, ExportedServices, JWTProvider, SamenessGroup,
//! ControlPlaneRequestLimit; the API-gateway kinds GatewayClassConfig,
//! GatewayPolicy, RouteAuthFilter, RouteRetryFilter, RouteTimeoutFilter,
//! RouteExtProc, RouteTLSSDSFilter, MeshService; and PeeringAcceptor,
//! PeeringDialer, Registration, RateLimit). Each kind is a
//! `mesh_k8s::Object<...Spec>`, re-exported here.

pub mod crds;

pub use crds::{
    ControlPlaneRequestLimit, ExportedServices, GatewayClassConfig, GatewayPolicy, IngressGateway,
    JwtProvider, Mesh, MeshService, PeeringAcceptor, PeeringDialer, ProxyDefaults, RateLimit,
    Registration, RouteAuthFilter, RouteExtProc, RouteRetryFilter, RouteTimeoutFilter,
    RouteTlsSdsFilter, SamenessGroup, ServiceDefaults, ServiceIntentions, ServiceResolver,
    ServiceRouter, ServiceSplitter, TerminatingGateway,
};

pub mod lower;

pub mod lift;

pub use crate::lift::ConsulLift;

pub mod analyze;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod values;
