//! Lowering of the neutral model ([`mesh_model::Mesh`]) to Consul service
//! mesh on Kubernetes (consul-k8s config-entry CRDs, and the Gateway API
//! kinds of Consul's API gateway).
//!
//! # What lowers how
//!
//! - Every service gets a ServiceDefaults named after it (its protocol:
//!   `http`, `http2`, `grpc` or `tcp`; its mTLS mode when it differs from the
//!   mesh's; the connection limits and outlier detection of the services
//!   its intentions let it call, as `upstreamConfig.overrides`; its rate
//!   limit).
//! - Versions become ServiceResolver subsets filtered on
//!   `Service.Meta.version == <version>`. consul-k8s sets that service meta
//!   from the pod annotation `consul.hashicorp.com/service-meta-version:
//!   <version>`: the pods of each version must carry it (the lowering notes
//!   it for every service with versions). `unmatched: {version: v}` becomes
//!   the resolver's `defaultSubset`.
//! - Routes become a ServiceRouter named after the service, first match
//!   wins as in the model. A model match becomes one Consul route (two for a
//!   segment path prefix: exact + string prefix with `/`). A route to one
//!   backend names its service and subset; a weighted route goes to a
//!   virtual service `<service>-<route>` (ServiceDefaults + ServiceSplitter,
//!   Consul's documented router → splitter pattern) whose splitter holds
//!   exact percentages (0.01 steps summing to 100).
//! - Load balancing is the resolver's `loadBalancer`.
//! - Authorization becomes ServiceIntentions per destination service, deny
//!   rules first in every source's permission list so that a matching deny
//!   always wins; the default is a wildcard intention `*` → `*`.
//! - Ingress is a Gateway API Gateway of Consul's class with an HTTPRoute
//!   (default) or an IngressGateway with a virtual routing service
//!   ([`IngressFlavor`]). Egress is a TerminatingGateway and ServiceDefaults
//!   `destination`s; the registry-only policy is the Mesh entry's
//!   `transparentProxy.meshDestinationsOnly`.
//! - Namespaces get the label [`Options::injection_label`]; the chart's
//!   `connectInject.namespaceSelector` selects on it.
//! - Installation and metrics: the `hashicorp/consul` chart's values in
//!   [`Lowered::install`](mesh_k8s::lowering::Lowered), PodMonitors,
//!   golden-signal alerts and dashboard ([`signal_queries`]).
//! - Access logs and tracing go to ProxyDefaults `global`: `accessLogs`,
//!   and for tracing three Envoy JSON documents in `config`:
//!   `envoy_tracing_json` (the Zipkin tracer, also for Jaeger through its
//!   collector's Zipkin endpoint, or the OpenTelemetry tracer over gRPC),
//!   `envoy_extra_static_clusters_json` (the collector cluster
//!   [`TRACING_CLUSTER`], `STRICT_DNS` to the model's host and port) and
//!   `envoy_listener_tracing_json` (the sidecar listeners' tracing with
//!   `random_sampling` = the model's sampling; Consul's own default is 0%).
//!   Gateways keep Consul's 0% random sampling. Envoy reads the bootstrap
//!   keys when it starts: restart the proxies after a change.
//!
//! # Names
//!
//! Config entries for a service are named after the service, in its
//! namespace; a weighted route's virtual service is
//! `<service>-<route name>` (or `<service>-route-<index>`); ingress objects
//! are named after the ingress; the mesh-wide entries (ProxyDefaults
//! `global`, Mesh `mesh`, the wildcard intention `default`, JWTProviders,
//! the TerminatingGateway) live in [`Options::config_namespace`].

mod capabilities;
mod edge;
mod install;
mod observability;
mod security;
mod traffic;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use mesh_k8s::gateway::{Gateway, HttpRoute};
use mesh_k8s::lowering::{CommonOptions, Lowered, Lowerer};
use mesh_model::{Backend, CapabilityTable, Feature, FieldPath, LowerErrors, MeshKind};
use serde::Serialize;

pub use crate::values::ConsulInstall;
pub use capabilities::CAPABILITIES;
pub use install::{HELM_REPOSITORY, MERGED_METRICS_PORT, signal_queries};
pub(crate) use observability::ENVOY_TEXT_FORMAT;
pub use observability::TRACING_CLUSTER;
pub(crate) use security::base64_decode;

use crate::crds::{
    IngressGateway, JwtProvider, Mesh, MeshService, ProxyDefaults, RouteRetryFilter,
    RouteTimeoutFilter, ServiceDefaults, ServiceIntentions, ServiceResolver, ServiceRouter,
    ServiceSplitter, TerminatingGateway,
};

/// How ingress is lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IngressFlavor {
    /// Consul's API gateway (Consul 1.16+, the recommended way): a Gateway
    /// API `Gateway` of [`Options::gateway_class`] and an `HTTPRoute`.
    #[default]
    ApiGateway,
    /// The IngressGateway config entry (deprecated since Consul 1.16, for
    /// older clusters), routing through a virtual service with a
    /// ServiceRouter.
    IngressGateway,
}

/// Options of the Consul lowering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Labels and annotations stamped on every object.
    pub common: CommonOptions,
    /// Namespace of the mesh-wide config entries (ProxyDefaults `global`,
    /// Mesh `mesh`, the wildcard intention, JWTProviders, the
    /// TerminatingGateway). Default `consul`, where the Helm chart usually
    /// installs Consul.
    pub config_namespace: String,
    /// The namespace label written on every namespace of the model: `"true"`
    /// when proxies are injected, `"false"` when not. consul-k8s reads no
    /// fixed namespace label: set the chart's
    /// `connectInject.namespaceSelector` to select on it. Default
    /// `consul.hashicorp.com/connect-inject`.
    pub injection_label: String,
    /// How ingress is lowered (default the API gateway).
    pub ingress: IngressFlavor,
    /// `gatewayClassName` of API gateways (default `consul`, the class the
    /// Helm chart creates).
    pub gateway_class: String,
    /// Name of the TerminatingGateway that carries egress (must match the
    /// chart's `terminatingGateways.gateways[].name`; default
    /// `terminating-gateway`).
    pub terminating_gateway: String,
    /// CA bundle path, on the terminating gateway, used to verify external
    /// services when the mesh originates TLS (default
    /// `/etc/ssl/certs/ca-certificates.crt`).
    pub egress_ca_file: String,
    /// Whether the cluster runs Consul Enterprise with namespaces mirrored
    /// from Kubernetes (`connectInject.consulNamespaces.mirroringK8S`): then
    /// intentions may name source namespaces. Default false.
    pub enterprise_namespaces: bool,
    /// The Helm release name, also the chart's `global.name` (object name
    /// prefix; default `consul`).
    pub release_name: String,
    /// The datacenter (`global.datacenter`; default `dc1`).
    pub datacenter: String,
    /// A chart version to pin in the `helm` command (default none).
    pub chart_version: Option<String>,
    /// The Secret (key `token`) with an ACL token carrying `agent:read` that
    /// Prometheus presents when scraping the servers (default
    /// `consul-prometheus-token`).
    pub metrics_token_secret: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            common: CommonOptions::default(),
            config_namespace: "consul".to_owned(),
            injection_label: "consul.hashicorp.com/connect-inject".to_owned(),
            ingress: IngressFlavor::default(),
            gateway_class: "consul".to_owned(),
            terminating_gateway: "terminating-gateway".to_owned(),
            egress_ca_file: "/etc/ssl/certs/ca-certificates.crt".to_owned(),
            enterprise_namespaces: false,
            release_name: "consul".to_owned(),
            datacenter: "dc1".to_owned(),
            chart_version: None,
            metrics_token_secret: "consul-prometheus-token".to_owned(),
        }
    }
}

mesh_k8s::object_enum! {
    /// Every kind of the Consul crate, the core kinds and the shared
    /// Gateway API and Prometheus kinds: what the lowering emits, and what
    /// [`mesh_k8s::parse`] reads (`ConsulObject::from_document`).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(untagged)]
    pub enum ConsulObject {
        /// A namespace with the injection label.
        Namespace(Namespace),
        /// ServiceDefaults.
        ServiceDefaults(ServiceDefaults),
        /// ServiceResolver.
        ServiceResolver(ServiceResolver),
        /// ServiceRouter.
        ServiceRouter(ServiceRouter),
        /// ServiceSplitter.
        ServiceSplitter(ServiceSplitter),
        /// ServiceIntentions.
        ServiceIntentions(ServiceIntentions),
        /// ProxyDefaults (`global`).
        ProxyDefaults(ProxyDefaults),
        /// Mesh (`mesh`).
        Mesh(Mesh),
        /// JWTProvider.
        JwtProvider(JwtProvider),
        /// IngressGateway.
        IngressGateway(IngressGateway),
        /// TerminatingGateway.
        TerminatingGateway(TerminatingGateway),
        /// A Gateway API Gateway (Consul API gateway).
        Gateway(Gateway),
        /// A Gateway API HTTPRoute attached to an API gateway.
        HttpRoute(HttpRoute),
        /// MeshService: a Consul service as an HTTPRoute backend.
        MeshService(MeshService),
        /// RouteRetryFilter for API-gateway routes.
        RouteRetryFilter(RouteRetryFilter),
        /// RouteTimeoutFilter for API-gateway routes.
        RouteTimeoutFilter(RouteTimeoutFilter),
        /// A Service (read from manifests).
        Service(k8s_openapi::api::core::v1::Service),
        /// ControlPlaneRequestLimit (read from manifests).
        ControlPlaneRequestLimit(crate::crds::ControlPlaneRequestLimit),
        /// ExportedServices (read from manifests).
        ExportedServices(crate::crds::ExportedServices),
        /// GatewayClassConfig (read from manifests).
        GatewayClassConfig(crate::crds::GatewayClassConfig),
        /// GatewayPolicy (read from manifests).
        GatewayPolicy(crate::crds::GatewayPolicy),
        /// PeeringAcceptor (read from manifests).
        PeeringAcceptor(crate::crds::PeeringAcceptor),
        /// PeeringDialer (read from manifests).
        PeeringDialer(crate::crds::PeeringDialer),
        /// RateLimit (read from manifests).
        RateLimit(crate::crds::RateLimit),
        /// Registration (read from manifests).
        Registration(crate::crds::Registration),
        /// RouteAuthFilter (read from manifests).
        RouteAuthFilter(crate::crds::RouteAuthFilter),
        /// RouteExtProc (read from manifests).
        RouteExtProc(crate::crds::RouteExtProc),
        /// RouteTLSSDSFilter (read from manifests).
        RouteTlsSdsFilter(crate::crds::RouteTlsSdsFilter),
        /// SamenessGroup (read from manifests).
        SamenessGroup(crate::crds::SamenessGroup),
        /// Gateway API ReferenceGrant (read from manifests).
        ReferenceGrant(mesh_k8s::gateway::ReferenceGrant),
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
    }
}

/// The Consul backend: lowers a [`mesh_model::Mesh`] into consul-k8s
/// config entries.
///
/// ```
/// use mesh_model::{Backend, Mesh};
/// use mesh_consul::lower::ConsulBackend;
///
/// let mesh = Mesh::from_policy(r#"
/// services:
/// - name: reviews
///   namespace: bookinfo
///   ports: [{number: 9080, protocol: http}]
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward:
///       backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
/// "#)?;
/// let out = ConsulBackend::default().lower(&mesh)?;
/// let yaml = out.manifests.to_yaml()?;
/// assert!(yaml.contains("kind: ServiceSplitter"));
/// assert!(yaml.contains("filter: Service.Meta.version == v2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ConsulBackend {
    /// The options.
    pub options: Options,
}

impl Backend for ConsulBackend {
    type Output = Lowered<ConsulObject, ConsulInstall>;

    fn mesh(&self) -> MeshKind {
        MeshKind::Consul
    }

    fn capabilities(&self) -> &'static CapabilityTable {
        &CAPABILITIES
    }

    fn lower(&self, mesh: &mesh_model::Mesh) -> Result<Self::Output, LowerErrors> {
        mesh.validate()?;
        let mut cx = Cx::new(mesh, &self.options);
        if mesh.trust_domain != mesh_model::TrustDomain::default() {
            cx.l.note(
                Feature::MtlsStrict,
                FieldPath::root().field("trustDomain"),
                "no effect on Consul: its CA names its own trust domain (`<cluster id>.consul`) and intentions name services, not SPIFFE IDs",
            );
        }
        cx.namespaces();
        let upstreams = traffic::services(&mut cx);
        let callers = security::security(&mut cx);
        traffic::upstream_overrides(&mut cx, upstreams, &callers);
        edge::ingress(&mut cx);
        edge::egress(&mut cx);
        observability::observability(&mut cx);
        cx.globals();
        cx.l.finish()
    }
}

/// The lowering's state: the model, the options, the collector, and the
/// mesh-wide entries several areas contribute to.
pub(crate) struct Cx<'a> {
    pub mesh: &'a mesh_model::Mesh,
    /// The model's services, indexed once.
    pub services: mesh_model::ServiceIndex<'a>,
    pub opts: &'a Options,
    pub l: Lowerer<ConsulObject, ConsulInstall>,
    /// ServiceDefaults per (namespace, name), emitted at the end.
    pub defaults: BTreeMap<(String, String), crate::crds::ServiceDefaultsSpec>,
    /// ProxyDefaults `global`, if anything sets it.
    pub proxy_defaults: crate::crds::ProxyDefaultsSpec,
    /// Mesh `mesh`.
    pub mesh_entry: crate::crds::MeshSpec,
}

impl<'a> Cx<'a> {
    fn new(mesh: &'a mesh_model::Mesh, opts: &'a Options) -> Self {
        Cx {
            mesh,
            services: mesh.service_index(),
            opts,
            l: Lowerer::new(MeshKind::Consul, opts.common.clone()),
            defaults: BTreeMap::new(),
            proxy_defaults: crate::crds::ProxyDefaultsSpec::default(),
            mesh_entry: crate::crds::MeshSpec::default(),
        }
    }

    /// The ServiceDefaults of `name` in `namespace`, created empty.
    pub fn defaults_mut(
        &mut self,
        namespace: &str,
        name: &str,
    ) -> &mut crate::crds::ServiceDefaultsSpec {
        self.defaults
            .entry((namespace.to_owned(), name.to_owned()))
            .or_default()
    }

    /// Records an `Unsupported`.
    pub fn unsupported(&mut self, feature: Feature, path: FieldPath, hint: impl Into<String>) {
        self.l.unsupported(feature, path, hint);
    }

    fn namespaces(&mut self) {
        for (name, inject) in self.mesh.namespaces_in_use() {
            let mut labels = vec![(
                self.opts.injection_label.clone(),
                if inject { "true" } else { "false" }.to_owned(),
            )];
            if let Some(cfg) = self.mesh.namespaces.iter().find(|n| n.name == name) {
                labels.extend(
                    cfg.labels
                        .iter()
                        .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned())),
                );
            }
            let ns = mesh_k8s::lowering::namespace(name.as_str(), labels, []);
            self.l.emit(ns);
        }
    }

    fn globals(&mut self) {
        let defaults = std::mem::take(&mut self.defaults);
        for ((ns, name), spec) in defaults {
            self.l.emit(ServiceDefaults::new(name, Some(&ns), spec));
        }
        let ns = self.opts.config_namespace.clone();
        if self.proxy_defaults != crate::crds::ProxyDefaultsSpec::default() {
            let spec = std::mem::take(&mut self.proxy_defaults);
            self.l.emit(ProxyDefaults::new(
                crate::crds::PROXY_DEFAULTS_NAME,
                Some(&ns),
                spec,
            ));
        }
        let spec = std::mem::take(&mut self.mesh_entry);
        self.l
            .emit(Mesh::new(crate::crds::MESH_NAME, Some(&ns), spec));
    }
}

/// Consul's protocol for a model protocol.
pub(crate) fn protocol(p: mesh_model::Protocol) -> crate::crds::Protocol {
    match p {
        mesh_model::Protocol::Http => crate::crds::Protocol::Http,
        mesh_model::Protocol::Http2 => crate::crds::Protocol::Http2,
        mesh_model::Protocol::Grpc => crate::crds::Protocol::Grpc,
        mesh_model::Protocol::Https | mesh_model::Protocol::Tls | mesh_model::Protocol::Tcp => {
            crate::crds::Protocol::Tcp
        }
    }
}
