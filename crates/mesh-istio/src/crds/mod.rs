//! Typed Istio custom resources (Istio 1.30), one Rust type per concept.
//!
//! Every kind is a `...Spec` implementing [`mesh_k8s::Kind`] and an alias
//! `Foo = mesh_k8s::Object<FooSpec>` carrying `apiVersion`, `metadata`,
//! `spec` and `status`. All served versions of a kind read and write the
//! same types (Istio's versions share one schema); the preferred version
//! comes first.
//!
//! The types follow the CRD schemas exactly (unknown fields are errors)
//! and make illegal states unrepresentable where the schema says so:
//! `oneOf`s and fields that CEL rules make mutually exclusive are enums
//! ([`StringMatch`], [`LbPolicy`], [`HashKey`], [`RedirectPort`],
//! [`AbortError`], [`PolicyTarget`], [`AuthorizationAction`]...), closed
//! sets are enums, durations are [`mesh_k8s::GoDuration`] (or
//! [`PositiveDuration`] when the schema requires at least 1ms). The
//! remaining CEL rules are checked when deserializing.

pub mod authorization_policy;
pub mod common;
pub mod destination_rule;
pub mod envoy_filter;
pub mod gateway;
pub mod istio_operator;
pub mod peer_authentication;
pub mod proxy_config;
pub mod request_authentication;
pub mod service_entry;
pub mod sidecar;
pub mod telemetry;
pub mod traffic_policy;
pub mod virtual_service;
pub mod wasm_plugin;
pub mod workload_entry;

pub use authorization_policy::*;
pub use common::*;
pub use destination_rule::*;
pub use envoy_filter::*;
pub use gateway::*;
pub use istio_operator::*;
pub use peer_authentication::*;
pub use proxy_config::*;
pub use request_authentication::*;
pub use service_entry::*;
pub use sidecar::*;
pub use telemetry::*;
pub use traffic_policy::*;
pub use virtual_service::*;
pub use wasm_plugin::*;
pub use workload_entry::*;

/// Served versions of the networking.istio.io kinds that have v1.
pub(crate) const NETWORKING_VERSIONS: &[&str] = &["v1", "v1beta1", "v1alpha3"];
/// `apiVersion`s for [`NETWORKING_VERSIONS`].
pub(crate) const NETWORKING_API_VERSIONS: &[&str] = &[
    "networking.istio.io/v1",
    "networking.istio.io/v1beta1",
    "networking.istio.io/v1alpha3",
];
/// Served versions of the security.istio.io kinds.
pub(crate) const SECURITY_VERSIONS: &[&str] = &["v1", "v1beta1"];
/// `apiVersion`s for [`SECURITY_VERSIONS`].
pub(crate) const SECURITY_API_VERSIONS: &[&str] =
    &["security.istio.io/v1", "security.istio.io/v1beta1"];

#[cfg(test)]
mod tests;
