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
