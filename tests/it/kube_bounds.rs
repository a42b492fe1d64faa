//! `kube::Api<K>` works with every object kind meshwright types, without
//! meshwright depending on kube: each kind meets, as compiled here, the
//! exact bounds kube puts on `K`. (kube itself is heavy and not a
//! dependency; the README's kube snippet is `ignore`d, and this test is
//! what keeps it true.)
//!
//! The bounds, as kube-rs writes them (kube-rs/kube, read 2026):
//!
//! - kube-core/src/resource.rs, the blanket impl that makes a k8s-openapi
//!   type a `kube::Resource` (with `DynamicType = ()`, which is `Default`):
//!   `impl<K, S> Resource for K where K: k8s_openapi::Metadata<Ty = ObjectMeta>,
//!   K: k8s_openapi::Resource<Scope = S>`.
//! - kube-client/src/api/mod.rs: `impl<K: Resource> Api<K> where
//!   <K as Resource>::DynamicType: Default`, with `Api::namespaced` and
//!   `Api::default_namespaced` also requiring
//!   `K: Resource<Scope = NamespaceResourceScope>`; `Api::all` has no scope
//!   bound (cluster-scoped kinds use it).
//! - kube-client/src/api/core_methods.rs: get / list / patch / delete:
//!   `impl<K> Api<K> where K: Clone + DeserializeOwned + Debug`; `create`
//!   and `replace` add `K: Serialize`.
//! - kube-runtime/src/watcher.rs: `watcher<K: Resource + Clone +
//!   DeserializeOwned + Debug + Send + 'static>` (controllers, reflectors).
#![cfg(all(feature = "istio", feature = "linkerd", feature = "consul"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::fmt::Debug;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ClusterResourceScope, Metadata, NamespaceResourceScope, Resource};
use meshwright::k8s::parse::ParseObject;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What `kube::Api::<K>::namespaced(client, ns)` and every request method
/// (`get`, `list`, `patch` with `Patch::Apply`, `create`, `replace`,
/// `delete`) and `kube::runtime::watcher` need of `K`. Returns the URL
/// kube builds for the kind in namespace `ns` (kube-core's
/// `Resource::url_path`: `/apis/{group}/{version}/namespaces/{ns}/{plural}`).
fn namespaced<K>(ns: &str) -> (&'static str, &'static str, String)
where
    K: Resource<Scope = NamespaceResourceScope> + Metadata<Ty = ObjectMeta>,
    K: Clone + Debug + DeserializeOwned + Serialize + Send + 'static,
{
    (K::KIND, K::API_VERSION, url::<K>(Some(ns)))
}

/// The same for cluster-scoped kinds, reached with `kube::Api::<K>::all`.
fn cluster<K>() -> (&'static str, &'static str, String)
where
    K: Resource<Scope = ClusterResourceScope> + Metadata<Ty = ObjectMeta>,
    K: Clone + Debug + DeserializeOwned + Serialize + Send + 'static,
{
    (K::KIND, K::API_VERSION, url::<K>(None))
}

fn url<K: Resource>(ns: Option<&str>) -> String {
    let root = if K::GROUP.is_empty() { "api" } else { "apis" };
    let ns = ns.map(|n| format!("namespaces/{n}/")).unwrap_or_default();
    format!("/{root}/{}/{ns}{}", K::API_VERSION, K::URL_PATH_SEGMENT)
}

/// Checks each kind against the bounds (at compile time) and lists it.
macro_rules! kinds {
    ($($scope:ident $ty:ty),* $(,)?) => {
        vec![$(kinds!(@one $scope $ty)),*]
    };
    (@one ns $ty:ty) => { namespaced::<$ty>("shop") };
    (@one cluster $ty:ty) => { cluster::<$ty>() };
}

/// Every kind in `O`'s object enum (what lowering emits and `parse` reads)
/// is among the checked ones, at one of its served versions.
fn covers<O: ParseObject>(checked: &[(&str, &str, String)]) {
    let have: BTreeSet<(&str, &str)> = checked.iter().map(|(k, v, _)| (*k, *v)).collect();
    for (kind, versions) in O::kinds() {
        assert!(
            versions.iter().any(|v| have.contains(&(kind, *v))),
            "{kind} ({versions:?}) is not checked against kube's bounds"
        );
    }
}

fn shared() -> Vec<(&'static str, &'static str, String)> {
    use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, Service, ServiceAccount};
    use meshwright::k8s::certmanager::{Bundle, Certificate, ClusterIssuer, Issuer};
    use meshwright::k8s::gateway::{Gateway, GatewayClass, GrpcRoute, HttpRoute, ReferenceGrant};
    use meshwright::k8s::prometheus::{PodMonitor, PrometheusRule, ServiceMonitor};
    kinds![
        cluster Namespace, ns Service, ns ConfigMap, ns Secret, ns ServiceAccount,
        ns Gateway, cluster GatewayClass, ns HttpRoute, ns GrpcRoute, ns ReferenceGrant,
        ns ServiceMonitor, ns PodMonitor, ns PrometheusRule,
        ns Certificate, ns Issuer, cluster ClusterIssuer, cluster Bundle,
    ]
}

#[test]
fn istio_kinds_meet_kube_api_bounds() {
    use meshwright::istio::*;
    let mut checked = shared();
    checked.extend(kinds![
        ns VirtualService, ns DestinationRule, ns Gateway, ns ServiceEntry, ns Sidecar,
        ns WorkloadEntry, ns WorkloadGroup, ns EnvoyFilter, ns ProxyConfig,
        ns PeerAuthentication, ns AuthorizationPolicy, ns RequestAuthentication,
        ns Telemetry, ns WasmPlugin, ns IstioOperator,
    ]);
    covers::<IstioObject>(&checked);
    let vs = checked
        .iter()
        .find(|(k, ..)| *k == "VirtualService")
        .unwrap();
    assert_eq!(
        vs.2,
        "/apis/networking.istio.io/v1/namespaces/shop/virtualservices"
    );
}

#[test]
fn linkerd_kinds_meet_kube_api_bounds() {
    use meshwright::linkerd::crds::{ExternalWorkloadV1Alpha1, TrafficSplitV1Alpha1};
    use meshwright::linkerd::*;
    let mut checked = shared();
    checked.extend(kinds![
        ns Server, ns ServerAuthorization, ns AuthorizationPolicy, ns MeshTlsAuthentication,
        ns NetworkAuthentication, ns HttpRoute, ns EgressNetwork, ns HttpLocalRateLimitPolicy,
        ns ExternalWorkload, ns ExternalWorkloadV1Alpha1, ns ServiceProfile, ns TrafficSplit,
        ns TrafficSplitV1Alpha1,
    ]);
    covers::<LinkerdObject>(&checked);
    let server = checked.iter().find(|(k, ..)| *k == "Server").unwrap();
    assert_eq!(
        server.2,
        "/apis/policy.linkerd.io/v1beta3/namespaces/shop/servers"
    );
}

#[test]
fn consul_kinds_meet_kube_api_bounds() {
    use meshwright::consul::lower::ConsulObject;
    use meshwright::consul::*;
    let mut checked = shared();
    checked.extend(kinds![
        ns ServiceDefaults, ns ServiceResolver, ns ServiceRouter, ns ServiceSplitter,
        ns ServiceIntentions, ns ProxyDefaults, ns Mesh, ns JwtProvider, ns IngressGateway,
        ns TerminatingGateway, ns ExportedServices, ns SamenessGroup, ns ControlPlaneRequestLimit,
        cluster GatewayClassConfig, ns GatewayPolicy, ns RouteAuthFilter, ns RouteRetryFilter,
        ns RouteTimeoutFilter, ns RouteExtProc, ns RouteTlsSdsFilter, ns MeshService,
        ns PeeringAcceptor, ns PeeringDialer, cluster Registration, cluster RateLimit,
    ]);
    covers::<ConsulObject>(&checked);
    let router = checked
        .iter()
        .find(|(k, ..)| *k == "ServiceRouter")
        .unwrap();
    assert_eq!(
        router.2,
        "/apis/consul.hashicorp.com/v1alpha1/namespaces/shop/servicerouters"
    );
}

/// What server-side apply sends: the typed object as JSON, with its
/// `apiVersion` and `kind`; and the metadata kube reads through
/// `k8s_openapi::Metadata` (kube's `ResourceExt::name_any`, labels, ...).
#[test]
fn an_object_is_its_own_apply_patch() {
    use meshwright::istio::{VirtualService, VirtualServiceSpec};
    let vs = VirtualService::new(
        "reviews",
        Some("bookinfo"),
        VirtualServiceSpec {
            hosts: vec!["reviews".into()],
            ..Default::default()
        },
    );
    assert_eq!(vs.metadata().name.as_deref(), Some("reviews"));
    assert_eq!(vs.metadata().namespace.as_deref(), Some("bookinfo"));
    let patch = serde_json::to_value(&vs).unwrap();
    assert_eq!(
        patch["apiVersion"],
        <VirtualService as Resource>::API_VERSION
    );
    assert_eq!(patch["kind"], <VirtualService as Resource>::KIND);
    let back: VirtualService = serde_json::from_value(patch).unwrap();
    assert_eq!(back, vs);
}
