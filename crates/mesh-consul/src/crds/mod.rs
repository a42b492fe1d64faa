//! Typed Consul config-entry CRDs: `consul.hashicorp.com/v1alpha1`.
//!
//! One file per kind; the types several kinds share (mesh gateway mode,
//! protocols, passive health checks, path matches, JWT requirements, TLS
//! versions, header modifiers, status) live in [`common`]. Every field of the
//! consul-k8s v2.0.3 schemas is typed, wire names kept exactly (the CRDs are
//! camelCase with a few acronyms such as `mutualTLSMode`, `externalSNI`,
//! `envoyClusterJSON`, and free-form maps such as ProxyDefaults `config` stay
//! [`serde_json::Map`]).
//!
//! The CRD schemas themselves close almost nothing (no `enum:`, no CEL): the
//! closed sets and "exactly one of" rules below come from Consul's own
//! validation (the consul-k8s webhook and the Consul servers reject other
//! values). They are Rust enums here, so a value Consul would refuse cannot
//! be built or parsed.
//!
//! ```
//! use mesh_consul::crds::{MeshGateway, MeshGatewayMode, Protocol, ServiceDefaults, ServiceDefaultsSpec};
//!
//! let sd = ServiceDefaults::new(
//!     "web",
//!     Some("default"),
//!     ServiceDefaultsSpec {
//!         protocol: Some(Protocol::Http),
//!         mesh_gateway: Some(MeshGateway { mode: Some(MeshGatewayMode::Local) }),
//!         ..Default::default()
//!     },
//! );
//! let json = serde_json::to_value(&sd).unwrap();
//! assert_eq!(json["spec"]["protocol"], "http");
//! assert_eq!(json["spec"]["meshGateway"]["mode"], "local");
//! ```

pub mod common;
mod control_plane_request_limit;
mod exported_services;
mod gateway_class_config;
mod gateway_policy;
mod ingress_gateway;
mod jwt_provider;
mod mesh;
mod mesh_service;
mod peering_acceptor;
mod peering_dialer;
mod proxy_defaults;
mod rate_limit;
mod registration;
mod route_auth_filter;
mod route_ext_proc;
mod route_retry_filter;
mod route_timeout_filter;
mod route_tls_sds_filter;
mod sameness_group;
mod service_defaults;
mod service_intentions;
mod service_resolver;
mod service_router;
mod service_splitter;
mod terminating_gateway;

#[cfg(test)]
mod tests;

pub use common::*;
pub use control_plane_request_limit::*;
pub use exported_services::*;
pub use gateway_class_config::*;
pub use gateway_policy::*;
pub use ingress_gateway::*;
pub use jwt_provider::*;
pub use mesh::*;
pub use mesh_service::*;
pub use peering_acceptor::*;
pub use peering_dialer::*;
pub use proxy_defaults::*;
pub use rate_limit::*;
pub use registration::*;
pub use route_auth_filter::*;
pub use route_ext_proc::*;
pub use route_retry_filter::*;
pub use route_timeout_filter::*;
pub use route_tls_sds_filter::*;
pub use sameness_group::*;
pub use service_defaults::*;
pub use service_intentions::*;
pub use service_resolver::*;
pub use service_router::*;
pub use service_splitter::*;
pub use terminating_gateway::*;

/// The API group of every kind here.
pub const GROUP: &str = "consul.hashicorp.com";

/// Implements [`mesh_k8s::Kind`] for a `consul.hashicorp.com/v1alpha1` spec.
macro_rules! consul_kind {
    ($spec:ty, $kind:literal, $plural:literal, $order:ident, $scope:ident, $status:ty) => {
        impl mesh_k8s::Kind for $spec {
            const GROUP: &'static str = $crate::crds::GROUP;
            const KIND: &'static str = $kind;
            const PLURAL: &'static str = $plural;
            const VERSIONS: &'static [&'static str] = &["v1alpha1"];
            const API_VERSIONS: &'static [&'static str] = &["consul.hashicorp.com/v1alpha1"];
            const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::$order;
            type Scope = k8s_openapi::$scope;
            type Status = $status;
        }
    };
}
pub(crate) use consul_kind;

/// Implements `Serialize` and `Deserialize` for an enum of newtype
/// variants as a one-entry map (`{peer: dc2}`): the Kubernetes wire form of
/// "exactly one of these fields". serde's derived externally tagged form is
/// the same in JSON, but serde_yaml writes and reads it as a YAML tag
/// (`!peer dc2`), which Kubernetes does not understand.
macro_rules! one_of {
    ($ty:ident { $($variant:ident($inner:ty) => $key:literal),* $(,)? }) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                match self {
                    $($ty::$variant(v) => m.serialize_entry($key, v)?,)*
                }
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[allow(non_snake_case)]
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Repr {
                    $(#[serde(rename = $key, default)] $variant: Option<$inner>,)*
                }
                let r = Repr::deserialize(d)?;
                let mut found = Vec::with_capacity(1);
                $(if let Some(v) = r.$variant {
                    found.push($ty::$variant(v));
                })*
                match (found.pop(), found.is_empty()) {
                    (Some(x), true) => Ok(x),
                    _ => Err(serde::de::Error::custom(concat!(
                        stringify!($ty), ": set exactly one of"
                        $(, " ", $key)*
                    ))),
                }
            }
        }
    };
}
pub(crate) use one_of;
