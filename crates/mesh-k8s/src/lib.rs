//! Kubernetes plumbing shared by meshwright's backends.
//!
//! - [`Kind`] and [`Object`]: one way to describe a custom-resource kind and
//!   one typed object for all of them, with `k8s_openapi::Resource` and
//!   `Metadata` implementations so `kube::Api<T>` works.
//! - [`Manifests`]: an ordered, deterministic set of typed objects and its
//!   writers (YAML stream, JSON `List`, one file per object).
//! - [`meta`]: metadata validation by Kubernetes' rules.
//! - [`parse`]: reading manifests (YAML, JSON, `List`) into typed objects,
//!   strictly, with the file, document and field path of every error.
//! - Typed kinds more than one backend emits: Gateway API and the
//!   Prometheus operator's monitors and rules.
//!
//! ## Guide
//!
//! Build typed objects ([`Object::new`], or the kinds' constructors such as
//! [`gateway::HttpRoute::for_service`]), collect them in a [`Manifests`]
//! set (which checks their metadata, refuses duplicates and sorts them in
//! apply order: namespaces first), write them with [`Manifests::to_yaml`],
//! [`Manifests::to_json`] or [`Manifests::write_dir`], and read manifests
//! back with [`parse::parse_str`] into an object enum ([`parse::K8sObject`]
//! for the shared kinds; each backend has its own, with its kinds too).
//!
//! ```
//! use std::num::NonZeroU16;
//! use mesh_k8s::gateway::{BackendRef, HttpRoute, HttpRouteRule, ServiceRef, Weight};
//! use mesh_k8s::parse::{K8sObject, parse_str};
//! use mesh_k8s::{Manifest, Manifests};
//!
//! // A canary for the `api` Service in `shop`: 90% to api-v1, 10% to api-v2.
//! let port = NonZeroU16::new(8080).ok_or("port 0")?;
//! let route = HttpRoute::for_service("api", "shop", ServiceRef::new("api", port)).with_rule(
//!     HttpRouteRule::new()
//!         .with_backend(BackendRef::service("api-v1", port).with_weight(Weight::new(90)?))
//!         .with_backend(BackendRef::service("api-v2", port).with_weight(Weight::new(10)?)),
//! );
//!
//! let mut manifests: Manifests<K8sObject> = Manifests::new();
//! manifests.insert(route.clone())?;
//! manifests.insert(mesh_k8s::lowering::namespace("shop", [], []))?;
//! assert!(manifests.insert(route.clone()).is_err(), "shop/api is already in the set");
//!
//! // One YAML stream in apply order, the same bytes every time.
//! let yaml = manifests.to_yaml()?;
//! assert!(yaml.starts_with("apiVersion: v1\nkind: Namespace\n"));
//! assert!(yaml.contains("kind: HTTPRoute"));
//!
//! // Read back strictly: typed, every field checked, equal to what was written.
//! let objects: Vec<K8sObject> = parse_str("canary.yaml", &yaml)?;
//! let kinds: Vec<&str> = objects.iter().map(Manifest::kind).collect();
//! assert_eq!(kinds, ["Namespace", "HTTPRoute"]);
//! assert_eq!(objects[1], K8sObject::from(route));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod certmanager;
mod duration;
pub mod gateway;
pub mod install;
pub mod lowering;
mod manifests;
pub mod meta;
mod object;
pub mod parse;
pub mod prometheus;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod testing;

pub use k8s_openapi;
pub use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub use crate::duration::GoDuration;
pub use crate::manifests::{
    ApplyOrder, Format, Manifest, ManifestError, Manifests, ObjectKey, from_yaml_str,
    to_yaml_string, write_yaml_doc,
};
pub use crate::object::{Kind, NoStatus, Object, UnknownVersion, check_kind};
