//! [`LinkerdObject`]: every kind the Linkerd lowering emits.

use k8s_openapi::api::core::v1::{Namespace, Service};
use mesh_k8s::certmanager::{Bundle, Certificate, ClusterIssuer, Issuer};
use mesh_k8s::gateway::{Gateway, HttpRoute as GatewayHttpRoute, ReferenceGrant};
use serde::Serialize;

use crate::crds::{
    AuthorizationPolicy, EgressNetwork, HttpLocalRateLimitPolicy, HttpRoute, MeshTlsAuthentication,
    NetworkAuthentication, Server, ServiceProfile, TrafficSplit,
};

mesh_k8s::object_enum! {
    /// An object of the Linkerd crate (and SMI), a core kind, or a shared
    /// Gateway API or Prometheus kind: what the lowering emits, and what
    /// [`mesh_k8s::parse`] reads (`LinkerdObject::from_document`).
    /// Serializes as the object itself.
    #[derive(Debug, Clone, PartialEq, Serialize)]
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
        /// policy.linkerd.io ServerAuthorization (read from manifests).
        ServerAuthorization(crate::crds::ServerAuthorization),
        /// workload.linkerd.io ExternalWorkload v1beta1 (read from manifests).
        ExternalWorkload(crate::crds::ExternalWorkload),
        /// workload.linkerd.io ExternalWorkload v1alpha1 (read from manifests).
        ExternalWorkloadV1Alpha1(crate::crds::ExternalWorkloadV1Alpha1),
        /// split.smi-spec.io TrafficSplit v1alpha1 (read from manifests).
        TrafficSplitV1Alpha1(crate::crds::TrafficSplitV1Alpha1),
        /// A ConfigMap (read from manifests).
        ConfigMap(k8s_openapi::api::core::v1::ConfigMap),
        /// A Secret (read from manifests; gateway credentials).
        Secret(k8s_openapi::api::core::v1::Secret),
        /// A ServiceAccount (read from manifests; workload identities).
        ServiceAccount(k8s_openapi::api::core::v1::ServiceAccount),
        /// Gateway API GatewayClass (read from manifests).
        GatewayClass(mesh_k8s::gateway::GatewayClass),
        /// Gateway API GRPCRoute (read from manifests).
        GrpcRoute(mesh_k8s::gateway::GrpcRoute),
        /// Prometheus operator ServiceMonitor (read from manifests).
        ServiceMonitor(mesh_k8s::prometheus::ServiceMonitor),
        /// Prometheus operator PodMonitor (read from manifests).
        PodMonitor(mesh_k8s::prometheus::PodMonitor),
        /// Prometheus operator PrometheusRule (read from manifests).
        PrometheusRule(mesh_k8s::prometheus::PrometheusRule),
        /// cert-manager.io Certificate (the identity issuer, the trust anchor).
        Certificate(Certificate),
        /// cert-manager.io Issuer.
        Issuer(Issuer),
        /// cert-manager.io ClusterIssuer.
        ClusterIssuer(ClusterIssuer),
        /// trust.cert-manager.io Bundle (the trust roots ConfigMap).
        Bundle(Bundle),
    }
}
