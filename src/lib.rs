//! # meshwright
//!
//! Describe what you want from a service mesh once, in a mesh-neutral typed
//! model, and get manifests that Istio, Linkerd or Consul accept: strongly
//! typed Rust structs first, YAML and JSON after.
//!
//! - [`model`] (`mesh-model`): the neutral model — services, versions,
//!   identities, routes, resilience, security, ingress, egress,
//!   observability, installation — with builders, serde policy files and
//!   whole-model validation that names the field path of every problem.
//! - [`k8s`] (`mesh-k8s`): typed Kubernetes objects, the deterministic
//!   manifest set and its writers.
//! - Backends, one optional feature each (all on by default):
//!   `istio` → [`istio`], `linkerd` → [`linkerd`], `consul` → [`consul`].
//!   A `build.rs` user pays only for the mesh it enables.
//!
//! ```
//! use meshwright::Mesh;
//!
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: reviews
//!   namespace: bookinfo
//!   ports: [{number: 9080, protocol: http}]
//!   versions: [{name: v1}, {name: v2}]
//!   routes:
//!   - match: [{headers: {end-user: {exact: jason}}}]
//!     forward: {backends: [{version: v2}]}
//!   - forward:
//!       backends: [{version: v1, weight: 75}, {version: v2, weight: 25}]
//! "#)?;
//! assert_eq!(mesh.services[0].routes.len(), 2);
//! # Ok::<(), meshwright::PolicyError>(())
//! ```
//!
//! ## k8s-openapi
//!
//! meshwright's library crates enable no `v1_*` feature of `k8s-openapi`
//! (k8s-openapi's rule for libraries). Your binary chooses the Kubernetes
//! version: add `k8s-openapi = { version = "0.29", features = ["v1_33"] }`
//! (or `latest`) to your own `Cargo.toml`.

pub use mesh_k8s as k8s;
pub use mesh_model as model;

#[cfg(feature = "consul")]
pub use mesh_consul as consul;
#[cfg(feature = "istio")]
pub use mesh_istio as istio;
#[cfg(feature = "linkerd")]
pub use mesh_linkerd as linkerd;

pub use mesh_model::{
    Backend, CapabilityTable, Feature, LowerError, LowerErrors, Mesh, MeshBuilder, MeshKind,
    PolicyError, Support, ValidationError, ValidationErrors,
};
