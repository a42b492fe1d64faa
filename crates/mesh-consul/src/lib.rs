//! meshwright's Consul backend.
//!
//! [`crds`] holds the typed Consul CRDs (`consul.hashicorp.com/v1alpha1`
//! config entries: ServiceDefaults, ServiceResolver, ServiceRouter,
//! ServiceSplitter, ServiceIntentions, ProxyDefaults, Mesh, IngressGateway,
//! TerminatingGateway, ExportedServices, JWTProvider, SamenessGroup,
//! ControlPlaneRequestLimit). Each kind is a `mesh_k8s::Object<...Spec>`,
//! re-exported here.

pub mod crds;

pub use crds::{
    ControlPlaneRequestLimit, ExportedServices, IngressGateway, JwtProvider, Mesh, ProxyDefaults,
    SamenessGroup, ServiceDefaults, ServiceIntentions, ServiceResolver, ServiceRouter,
    ServiceSplitter, TerminatingGateway,
};
