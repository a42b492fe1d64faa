//! [`LinkerdObject`]: every kind the Linkerd lowering emits.

use k8s_openapi::api::core::v1::{Namespace, Service};
use mesh_k8s::gateway::{Gateway, HttpRoute as GatewayHttpRoute, ReferenceGrant};
use mesh_k8s::lowering::MetadataMut;
use mesh_k8s::{ApplyOrder, Manifest, ObjectMeta};
use serde::Serialize;

use crate::crds::{
    AuthorizationPolicy, EgressNetwork, HttpLocalRateLimitPolicy, HttpRoute, MeshTlsAuthentication,
    NetworkAuthentication, Server, ServiceProfile, TrafficSplit,
};

/// An object the Linkerd lowering emits. Serializes as the object itself.
// Variants differ in size (a Gateway is large); boxing them would only
// complicate construction for no measurable gain in a manifest set.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum LinkerdObject {
    /// A Namespace (injection and default inbound policy annotations).
    Namespace(Namespace),
    /// A Service: the model's services and their per-version Services.
    Service(Service),
    /// policy.linkerd.io Server.
    Server(Server),
    /// policy.linkerd.io AuthorizationPolicy.
    AuthorizationPolicy(AuthorizationPolicy),
    /// policy.linkerd.io MeshTLSAuthentication.
    MeshTlsAuthentication(MeshTlsAuthentication),
    /// policy.linkerd.io NetworkAuthentication.
    NetworkAuthentication(NetworkAuthentication),
    /// policy.linkerd.io HTTPRoute (inbound per-route policy, or outbound
    /// routing in [`RoutingFlavor::PolicyHttpRoute`](super::RoutingFlavor)).
    HttpRoute(HttpRoute),
    /// gateway.networking.k8s.io HTTPRoute.
    GatewayHttpRoute(GatewayHttpRoute),
    /// gateway.networking.k8s.io Gateway (ingress).
    Gateway(Gateway),
    /// gateway.networking.k8s.io ReferenceGrant (cross-namespace backends).
    ReferenceGrant(ReferenceGrant),
    /// policy.linkerd.io EgressNetwork.
    EgressNetwork(EgressNetwork),
    /// policy.linkerd.io HTTPLocalRateLimitPolicy.
    HttpLocalRateLimitPolicy(HttpLocalRateLimitPolicy),
    /// linkerd.io ServiceProfile (legacy resilience flavor).
    ServiceProfile(ServiceProfile),
    /// split.smi-spec.io TrafficSplit (SMI routing flavor).
    TrafficSplit(TrafficSplit),
}

macro_rules! each {
    ($self:expr, $o:ident => $e:expr) => {
        match $self {
            LinkerdObject::Namespace($o) => $e,
            LinkerdObject::Service($o) => $e,
            LinkerdObject::Server($o) => $e,
            LinkerdObject::AuthorizationPolicy($o) => $e,
            LinkerdObject::MeshTlsAuthentication($o) => $e,
            LinkerdObject::NetworkAuthentication($o) => $e,
            LinkerdObject::HttpRoute($o) => $e,
            LinkerdObject::GatewayHttpRoute($o) => $e,
            LinkerdObject::Gateway($o) => $e,
            LinkerdObject::ReferenceGrant($o) => $e,
            LinkerdObject::EgressNetwork($o) => $e,
            LinkerdObject::HttpLocalRateLimitPolicy($o) => $e,
            LinkerdObject::ServiceProfile($o) => $e,
            LinkerdObject::TrafficSplit($o) => $e,
        }
    };
}

impl Manifest for LinkerdObject {
    fn api_version(&self) -> &str {
        each!(self, o => Manifest::api_version(o))
    }
    fn kind(&self) -> &str {
        each!(self, o => Manifest::kind(o))
    }
    fn metadata(&self) -> &ObjectMeta {
        each!(self, o => Manifest::metadata(o))
    }
    fn apply_order(&self) -> ApplyOrder {
        each!(self, o => o.apply_order())
    }
    fn namespaced(&self) -> bool {
        each!(self, o => o.namespaced())
    }
}

impl MetadataMut for LinkerdObject {
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        each!(self, o => o.metadata_mut())
    }
}

macro_rules! from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for LinkerdObject {
            fn from(o: $ty) -> Self {
                LinkerdObject::$variant(o)
            }
        }
    )*};
}

from!(
    Namespace(Namespace),
    Service(Service),
    Server(Server),
    AuthorizationPolicy(AuthorizationPolicy),
    MeshTlsAuthentication(MeshTlsAuthentication),
    NetworkAuthentication(NetworkAuthentication),
    HttpRoute(HttpRoute),
    GatewayHttpRoute(GatewayHttpRoute),
    Gateway(Gateway),
    ReferenceGrant(ReferenceGrant),
    EgressNetwork(EgressNetwork),
    HttpLocalRateLimitPolicy(HttpLocalRateLimitPolicy),
    ServiceProfile(ServiceProfile),
    TrafficSplit(TrafficSplit),
);
