//! [`LinkerdObject`]: every kind the Linkerd lowering emits.

use k8s_openapi::api::core::v1::{Namespace, Service};
use mesh_k8s::gateway::{Gateway, HttpRoute as GatewayHttpRoute, ReferenceGrant};
use serde::Serialize;

use crate::crds::{
    AuthorizationPolicy, EgressNetwork, HttpLocalRateLimitPolicy, HttpRoute, MeshTlsAuthentication,
    NetworkAuthentication, Server, ServiceProfile, TrafficSplit,
};

mesh_k8s::object_enum! {
    /// An object the Linkerd lowering emits. Serializes as the object itself.
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
}
