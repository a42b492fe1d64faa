//! meshwright's Linkerd backend.
//!
//! - [`crds`]: typed Linkerd custom resources (policy.linkerd.io Server,
//!   ServerAuthorization, AuthorizationPolicy, MeshTLSAuthentication,
//!   NetworkAuthentication, HTTPRoute, EgressNetwork,
//!   HTTPLocalRateLimitPolicy; workload.linkerd.io ExternalWorkload;
//!   linkerd.io ServiceProfile; SMI TrafficSplit), every field of every
//!   served version, with `mesh_k8s::Kind` implementations.
//! - [`lower`]: the lowering of the neutral model to Linkerd 2.16–2.18
//!   ([`LinkerdBackend`], its [`Options`] and [`CAPABILITIES`]).

pub mod crds;

pub use crate::crds::{
    AuthorizationPolicy, EgressNetwork, ExternalWorkload, HttpLocalRateLimitPolicy, HttpRoute,
    MeshTlsAuthentication, NetworkAuthentication, Server, ServerAuthorization, ServiceProfile,
    TrafficSplit,
};
pub mod lower;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod values;

pub use crate::lower::{CAPABILITIES, LinkerdBackend, LinkerdObject, Options};
pub mod lift;

pub use crate::lift::LinkerdLift;
pub mod analyze;
