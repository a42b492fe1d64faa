//! # mesh-model: the mesh-neutral model of meshwright
//!
//! One typed description of what a platform team wants from a service mesh,
//! with no Kubernetes types in it: services, their versions and identities;
//! routes (first match wins) with weighted backends, mirrors, rewrites,
//! redirects, direct responses, header edits, timeouts, retries and faults;
//! resilience (connection pools, outlier detection, load balancing, rate
//! limits, retry budgets); security (mTLS at mesh, namespace, workload and
//! port scope; authorization; JWT) with secure defaults; ingress and
//! egress; observability; installation.
//!
//! A [`Mesh`] is read from a policy file (its serde form) or built with the
//! builders, then checked with [`Mesh::validate`], which returns every
//! problem with its field path. Backends (`mesh-istio`, `mesh-linkerd`,
//! `mesh-consul`) implement [`Backend`] to lower it.
//!
//! ```
//! use mesh_model::Mesh;
//!
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: helloworld
//!   namespace: default
//!   ports: [{number: 5000, protocol: http}]
//!   versions: [{name: v1}, {name: v2}]
//!   routes:
//!   - name: canary-header
//!     match: [{headers: {canary: {exact: "true"}}}]
//!     forward: {backends: [{version: v2}]}
//!   - forward:
//!       backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
//! security:
//!   authorization:
//!   - name: frontend-only
//!     scope: {service: {name: helloworld, namespace: default}}
//!     rules: [{from: [{namespace: frontend}]}]
//! "#)?;
//! assert_eq!(mesh.services[0].routes.len(), 2);
//! assert_eq!(mesh.security.mtls.mode, mesh_model::MtlsMode::Strict); // said by nobody: the default
//!
//! // Invalid models come back with every problem and its field path.
//! let err = Mesh::from_policy(r#"
//! services:
//! - name: helloworld
//!   namespace: default
//!   ports: [{number: 5000, protocol: http}]
//!   versions: [{name: v1}]
//!   routes:
//!   - forward: {backends: [{version: v3}]}
//! "#).unwrap_err();
//! let mesh_model::PolicyError::Invalid(errors) = err else { panic!("{err}") };
//! assert_eq!(errors.paths(), ["services[0].routes[0].forward.backends[0].version"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same model built in code: every composite type has a builder
//! (`ServiceBuilder`, `RouteBuilder`, `ForwardBuilder`,
//! `AuthorizationPolicyBuilder`, ..., [`MeshBuilder`]) whose `build()`
//! checks what the type alone can know; value types ([`Name`], [`Port`],
//! [`Duration`], [`Weight`], ...) are valid once they exist.
//!
//! ```
//! use mesh_model::{BackendRef, ForwardBuilder, MeshBuilder, Name, Port, Protocol, RouteBuilder,
//!     ServiceBuilder, ServicePortBuilder, VersionBuilder};
//!
//! let helloworld = ServiceBuilder::default()
//!     .name(Name::new("helloworld")?)
//!     .namespace(Name::new("default")?)
//!     .port(ServicePortBuilder::default().number(Port::new(5000)?).protocol(Protocol::Http).build()?)
//!     .version(VersionBuilder::default().name(Name::new("v1")?).build()?)
//!     .version(VersionBuilder::default().name(Name::new("v2")?).build()?)
//!     .route(RouteBuilder::default().forward(
//!         ForwardBuilder::default()
//!             .backend(BackendRef::version("v1", 90)?)
//!             .backend(BackendRef::version("v2", 10)?)
//!             .build()?,
//!     ).build()?)
//!     .build()?;
//! let mesh = MeshBuilder::default().service(helloworld).build()?;
//! mesh.validate()?;
//! assert_eq!(mesh.services[0].routes[0].forward().map(|f| f.total_weight()), Some(100));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Semantics the model fixes
//!
//! - Routes are first-match. A route with no `match` matches everything.
//! - Weights are relative (`weight / total`); a route's weights must not
//!   add up to zero.
//! - Path `prefix` matches whole segments (`/api` matches `/api/x`, not
//!   `/apix`).
//! - No retries and no timeout unless said.
//! - Requests matching no route go to the service itself
//!   ([`Unmatched`]).
//! - Strict mTLS and deny-by-default unless said; a matching deny always
//!   wins.

pub mod analyze;
mod backend;
mod edge;
pub mod error;
mod installation;
pub mod lift;
mod mesh;
mod observability;
pub mod policy;
mod resilience;
mod route;
#[cfg(feature = "schema")]
mod schema;
mod security;
mod service;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod value;
pub mod yaml;

// `analyze::Severity` stays in its module: the crate root's `Severity` is the
// alert severity of `observability`.
pub use crate::analyze::{Code, Diagnostic, Location, Severity, analyze};
pub use crate::backend::{
    Backend, Capability, CapabilityTable, Feature, LowerError, LowerErrors, MeshKind, Support,
};
pub use crate::edge::*;
pub use crate::error::{BuildError, FieldPath, Problem, ValidationError, ValidationErrors};
pub use crate::installation::*;
pub use crate::mesh::{
    Mesh, MeshBuilder, NamespaceConfig, NamespaceConfigBuilder, ServiceIndex, Target, TrustDomain,
};
pub use crate::observability::*;
pub use crate::policy::PolicyError;
pub use crate::resilience::*;
pub use crate::route::*;
pub use crate::security::*;
pub use crate::service::*;
pub use crate::value::*;
