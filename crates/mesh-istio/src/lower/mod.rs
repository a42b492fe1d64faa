//! Lowering of the neutral model ([`mesh_model::Mesh`]) to Istio.
//!
//! # What lowers how
//!
//! - **Routes** (classic flavor, the default): one VirtualService per
//!   service (never two for one host: IST0109), rules in model order (Istio
//!   is first-match like the model). The model's `unmatched` becomes an
//!   explicit last catch-all rule, because Istio answers 404 to requests no
//!   rule matches. A segment path prefix `/p` becomes the two matches exact
//!   `/p` and string prefix `/p/`. Weights are written as the model's
//!   relative integers (Istio ≥ 1.15 normalizes them). Where the model has
//!   no retry policy, `retries: {attempts: 0}` is written, since Istio
//!   otherwise retries twice. Every L7 service gets a VirtualService, even
//!   without routes, for that reason.
//! - **GAMMA flavor** ([`RoutingFlavor::Gamma`]): one Gateway API HTTPRoute
//!   per service with routes, attached to the Service, and one core Service
//!   `<service>-<version>` per version it routes to. Gateway API picks the
//!   most specific match, not the first: the shared checker
//!   [`mesh_k8s::gateway::precedence`] (as for Linkerd) proves the order
//!   cannot matter, drops matches an earlier route makes dead under
//!   first-match (with a note), or refuses naming the two conflicting
//!   routes. Regex paths are treated as unordered (Istio ranks them below
//!   prefixes, a ranking the checker does not model).
//! - **Resilience**: one DestinationRule per service with its connection
//!   pool, outlier detection (defaults made explicit), load balancer and
//!   client TLS mode (`ISTIO_MUTUAL`, `DISABLE` where the server's mTLS is
//!   disabled); versions are subsets whose traffic policy is the version's
//!   merged resilience, emitted whole. Local rate limits are EnvoyFilters.
//! - **Security**: PeerAuthentication at mesh (root namespace, `default`),
//!   namespace (`default`), service and workload scope with port-level
//!   modes; AuthorizationPolicy per model policy (deny-by-default is the
//!   allow-nothing policy `allow-nothing` in the root namespace);
//!   RequestAuthentication per JWT provider and scope.
//! - **Ambient** ([`Options::data_plane`]): namespaces labelled
//!   `istio.io/dataplane-mode=ambient`; routes as HTTPRoutes; a namespace
//!   with a service needing L7 processing (routes, L7 resilience, L7
//!   authorization, JWT) gets the waypoint Gateway `waypoint` and
//!   `istio.io/use-waypoint` (and `istio.io/ingress-use-waypoint` when the
//!   model has ingresses), so all its services are reached through it.
//!   Policies of a service behind a waypoint are attached to it with
//!   `targetRefs: [{group: "", kind: Service, name: <service>}]` (the
//!   waypoint sees the client's identity; ztunnel sees the waypoint's), as
//!   are RequestAuthentications (a namespace scope targets the waypoint
//!   Gateway). Policies elsewhere stay selector-based, L4 only, for
//!   ztunnel. Under deny-by-default, each waypoint namespace gets
//!   `allow-waypoint` (ztunnel admits the waypoint's principal
//!   `<trust-domain>/ns/<ns>/sa/waypoint`) and `waypoint-allow-nothing`
//!   (attached to its services: the waypoint denies what no policy
//!   allows); under default allow, an ALLOW policy of a service behind a
//!   waypoint gets `<policy>-ztunnel`, admitting only the waypoint at the
//!   workloads, so it cannot be bypassed through pod IPs. Refused:
//!   namespace, workload and mesh policies covering a waypoint namespace
//!   (ztunnel would see the waypoint's identity), IP blocks and ports in
//!   waypoint policies, DENY with HTTP attributes on a service with TCP
//!   ports, mesh and workload JWT scopes.
//! - **Edge**: an ingress becomes a Gateway and a VirtualService bound to
//!   it; an external service a ServiceEntry (and a DestinationRule when the
//!   mesh originates TLS); the registry-only egress policy a root-namespace
//!   Sidecar `default` with `outboundTrafficPolicy: REGISTRY_ONLY`.
//! - **Observability** (see `observability.rs`): a root-namespace
//!   Telemetry `mesh-default` with access logs (provider `envoy`), tracing
//!   (an extension provider written into meshConfig) and mesh-wide metric
//!   tag overrides; PodMonitor / ServiceMonitor; the golden-signal
//!   PrometheusRule and Grafana dashboard ConfigMap from
//!   [`signal_queries`]; add-ons as chart values.
//! - **Installation** (see `install.rs`): installer inputs in
//!   [`Lowered::install`] — Istio's Helm chart values or one IstioOperator
//!   ([`Options::installer`]), cert-manager istio-csr values for a
//!   cert-manager CA.
//! - **Namespaces**: a Namespace per namespace in use, labelled
//!   `istio-injection=enabled` (`istio.io/rev=<revision>` with a revision,
//!   `istio-injection=disabled` when not injected), or
//!   `istio.io/dataplane-mode=ambient` in ambient mode.
//!
//! # Names
//!
//! Objects for a service are named after the service in its namespace
//! (VirtualService, DestinationRule, HTTPRoute `<service>`; EnvoyFilter
//! `<service>-ratelimit`; per-version Services `<service>-<version>`);
//! policies after the model policy; ingress objects after the ingress;
//! external services after their name; JWT objects
//! `<provider>` (mesh / namespace scope), `<provider>-<service>` or
//! `<provider>-<workload>`; workload-scope PeerAuthentications
//! `<label values joined by ->`. Mesh-wide objects live in
//! [`Options::root_namespace`].

mod capabilities;
mod edge;
mod gamma;
mod install;
mod observability;
mod resilience;
pub(crate) mod security;
pub(crate) mod traffic;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, Service as CoreService};
use mesh_k8s::gateway::{Gateway as K8sGateway, HttpRoute};
use mesh_k8s::lowering::{CommonOptions, Lowered, Lowerer};
use mesh_model::{
    Backend, CapabilityTable, DataPlane, Feature, FieldPath, LowerError, LowerErrors, Mesh,
    MeshKind, Name,
};
use serde::Serialize;

pub use capabilities::CAPABILITIES;
pub use observability::signal_queries;

use crate::crds::{
    AuthorizationPolicy, DestinationRule, EnvoyFilter, Gateway, PeerAuthentication,
    RequestAuthentication, ServiceEntry, Sidecar, Telemetry, VirtualService,
};
use crate::install::IstioInstall;

/// How service routes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoutingFlavor {
    /// Istio VirtualServices (the default): first-match, every feature.
    #[default]
    Classic,
    /// Gateway API HTTPRoutes attached to the Service (GAMMA): most-specific
    /// match; the routes must be order-independent.
    Gamma,
}

/// The `apiVersion` version of each kind emitted (`v1` by default; the
/// networking and security kinds accept `v1beta1` for clusters older than
/// Istio 1.22). An unknown version is an [`LowerError::Option`] error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersions {
    /// VirtualService (`v1`).
    pub virtual_service: String,
    /// DestinationRule (`v1`).
    pub destination_rule: String,
    /// Gateway (`v1`).
    pub gateway: String,
    /// ServiceEntry (`v1`).
    pub service_entry: String,
    /// Sidecar (`v1`).
    pub sidecar: String,
    /// PeerAuthentication (`v1`).
    pub peer_authentication: String,
    /// AuthorizationPolicy (`v1`).
    pub authorization_policy: String,
    /// RequestAuthentication (`v1`).
    pub request_authentication: String,
    /// Telemetry (`v1`).
    pub telemetry: String,
    /// EnvoyFilter (`v1alpha3`, its only version).
    pub envoy_filter: String,
}

impl Default for ApiVersions {
    fn default() -> Self {
        let v1 = || "v1".to_owned();
        ApiVersions {
            virtual_service: v1(),
            destination_rule: v1(),
            gateway: v1(),
            service_entry: v1(),
            sidecar: v1(),
            peer_authentication: v1(),
            authorization_policy: v1(),
            request_authentication: v1(),
            telemetry: v1(),
            envoy_filter: "v1alpha3".to_owned(),
        }
    }
}

impl ApiVersions {
    /// `v1beta1` for every networking and security kind and `v1alpha1` for
    /// Telemetry: for Istio releases before 1.22.
    pub fn v1beta1() -> Self {
        let b = || "v1beta1".to_owned();
        ApiVersions {
            virtual_service: b(),
            destination_rule: b(),
            gateway: b(),
            service_entry: b(),
            sidecar: b(),
            peer_authentication: b(),
            authorization_policy: b(),
            request_authentication: b(),
            telemetry: "v1alpha1".to_owned(),
            envoy_filter: "v1alpha3".to_owned(),
        }
    }
}

/// Options of the Istio lowering. `Default` gives the recommended settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Labels and annotations stamped on every object.
    pub common: CommonOptions,
    /// The apiVersion of each kind (default `v1`).
    pub api_versions: ApiVersions,
    /// Istio's root namespace (`meshConfig.rootNamespace`), where mesh-wide
    /// policies go. Default `istio-system`.
    pub root_namespace: String,
    /// The cluster's DNS domain, for fully qualified host names of services
    /// in other namespaces (`<name>.<namespace>.svc.<domain>`). Default
    /// `cluster.local`. (The trust domain of principals is the model's.)
    pub cluster_domain: String,
    /// How service routes are written (default classic VirtualServices).
    pub routing: RoutingFlavor,
    /// Sidecar or ambient data plane; `None` (the default) takes the
    /// model's `installation.dataPlane` (sidecar when unset).
    pub data_plane: Option<DataPlane>,
    /// Labels selecting the ingress gateway pods (Gateway `selector`).
    /// Default `istio: ingressgateway`.
    pub ingress_selector: BTreeMap<String, String>,
    /// Namespace of the ingress gateway pods, where the policy letting
    /// traffic into the gateway goes under deny-by-default. Default
    /// `istio-system`.
    pub ingress_gateway_namespace: String,
    /// How the control plane is installed: Helm charts (the default, the
    /// installation method Istio recommends for production and GitOps) or
    /// `istioctl install` with an IstioOperator file.
    pub installer: InstallMethod,
    /// A version to pin Istio's charts to (`1.26.2`); default: the
    /// repository's latest.
    pub chart_version: Option<String>,
    /// Namespace of the PodMonitor, ServiceMonitor, PrometheusRule, the
    /// dashboard ConfigMap and the add-on releases. Default `istio-system`
    /// (where Istio's own add-ons live).
    pub monitoring_namespace: String,
    /// The Prometheus that Grafana and Kiali query when the model does not
    /// install one (the `prometheus` add-on). Default: Istio's and Kiali's
    /// convention, `http://prometheus.<root namespace>:9090`.
    pub prometheus_url: Option<String>,
}

/// How the control plane is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InstallMethod {
    /// Istio's Helm charts: values for `base`, `istiod`, `gateway` (and
    /// `cni` / `ztunnel` in ambient mode). The default: each chart is
    /// upgraded on its own, and GitOps tools apply Helm releases natively.
    #[default]
    Helm,
    /// One IstioOperator file for `istioctl install -f`.
    Istioctl,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            common: CommonOptions::default(),
            api_versions: ApiVersions::default(),
            root_namespace: "istio-system".to_owned(),
            cluster_domain: "cluster.local".to_owned(),
            routing: RoutingFlavor::default(),
            data_plane: None,
            ingress_selector: BTreeMap::from([("istio".to_owned(), "ingressgateway".to_owned())]),
            ingress_gateway_namespace: "istio-system".to_owned(),
            installer: InstallMethod::default(),
            chart_version: None,
            monitoring_namespace: "istio-system".to_owned(),
            prometheus_url: None,
        }
    }
}

mesh_k8s::object_enum! {
    /// Every kind of the Istio crate, the core kinds and the shared
    /// Gateway API and Prometheus kinds: what the lowering emits, and what
    /// [`mesh_k8s::parse`] reads (`IstioObject::from_document`).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    #[serde(untagged)]
    pub enum IstioObject {
        /// A namespace with the injection / data-plane label.
        Namespace(Namespace),
        /// A per-version Service (GAMMA backends).
        Service(CoreService),
        /// VirtualService.
        VirtualService(VirtualService),
        /// DestinationRule.
        DestinationRule(DestinationRule),
        /// Istio Gateway (ingress).
        Gateway(Gateway),
        /// ServiceEntry.
        ServiceEntry(ServiceEntry),
        /// Sidecar (outbound traffic policy).
        Sidecar(Sidecar),
        /// PeerAuthentication.
        PeerAuthentication(PeerAuthentication),
        /// AuthorizationPolicy.
        AuthorizationPolicy(AuthorizationPolicy),
        /// RequestAuthentication.
        RequestAuthentication(RequestAuthentication),
        /// EnvoyFilter (local rate limit).
        EnvoyFilter(EnvoyFilter),
        /// Telemetry (access logs).
        Telemetry(Telemetry),
        /// Gateway API HTTPRoute (GAMMA).
        HttpRoute(HttpRoute),
        /// Gateway API Gateway (the lowering's ambient waypoint; any Gateway
        /// API Gateway when read).
        WaypointGateway(K8sGateway),
        /// WorkloadEntry (read from manifests).
        WorkloadEntry(crate::crds::WorkloadEntry),
        /// WorkloadGroup (read from manifests).
        WorkloadGroup(crate::crds::WorkloadGroup),
        /// ProxyConfig (read from manifests).
        ProxyConfig(crate::crds::ProxyConfig),
        /// WasmPlugin (read from manifests).
        WasmPlugin(crate::crds::WasmPlugin),
        /// IstioOperator, istioctl's install input (read from manifests).
        IstioOperator(crate::crds::IstioOperator),
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

/// The Istio backend.
#[derive(Debug, Clone, Default)]
pub struct IstioBackend {
    /// Its options.
    pub options: Options,
}

impl IstioBackend {
    /// A backend with these options.
    pub fn new(options: Options) -> Self {
        IstioBackend { options }
    }
}

impl Backend for IstioBackend {
    type Output = Lowered<IstioObject, IstioInstall>;

    fn mesh(&self) -> MeshKind {
        MeshKind::Istio
    }

    fn capabilities(&self) -> &'static CapabilityTable {
        &CAPABILITIES
    }

    fn lower(&self, mesh: &Mesh) -> Result<Lowered<IstioObject, IstioInstall>, LowerErrors> {
        mesh.validate()?;
        let mut cx = Cx::new(mesh, &self.options);
        cx.check_options();
        if cx.out.failed() {
            return cx.out.finish();
        }
        namespaces(&mut cx);
        traffic::lower(&mut cx);
        resilience::lower(&mut cx);
        security::lower(&mut cx);
        edge::lower(&mut cx);
        gamma::waypoints(&mut cx);
        let needs = observability::lower(&mut cx);
        install::lower(&mut cx, needs.mesh_config, needs.required);
        cx.out.finish()
    }
}

/// The lowering's state: the model, the options, and the collector.
pub(crate) struct Cx<'a> {
    pub(crate) mesh: &'a Mesh,
    /// The model's services, indexed once.
    pub(crate) services: mesh_model::ServiceIndex<'a>,
    pub(crate) opts: &'a Options,
    pub(crate) out: Lowerer<IstioObject, IstioInstall>,
    pub(crate) ambient: bool,
    /// Whether service routes are HTTPRoutes (GAMMA flavor, or ambient).
    pub(crate) gamma: bool,
    /// Namespaces with a waypoint (ambient mode), computed once.
    pub(crate) waypoints: std::collections::BTreeSet<Name>,
}

impl<'a> Cx<'a> {
    fn new(mesh: &'a Mesh, opts: &'a Options) -> Self {
        let data_plane = opts.data_plane.unwrap_or_else(|| {
            mesh.installation
                .as_ref()
                .map(|i| i.data_plane)
                .unwrap_or_default()
        });
        Cx {
            mesh,
            services: mesh.service_index(),
            opts,
            out: Lowerer::new(MeshKind::Istio, opts.common.clone()),
            ambient: data_plane == DataPlane::Ambient,
            gamma: opts.routing == RoutingFlavor::Gamma || data_plane == DataPlane::Ambient,
            waypoints: if data_plane == DataPlane::Ambient {
                traffic::waypoint_namespaces(mesh)
            } else {
                Default::default()
            },
        }
    }

    fn check_options(&mut self) {
        for (option, value) in [
            ("root_namespace", &self.opts.root_namespace),
            ("monitoring_namespace", &self.opts.monitoring_namespace),
            (
                "ingress_gateway_namespace",
                &self.opts.ingress_gateway_namespace,
            ),
        ] {
            if let Err(e) = Name::new(value.as_str()) {
                self.out.error(LowerError::Option {
                    option,
                    message: e.to_string(),
                });
            }
        }
        if mesh_model::rules::dns1123_subdomain(&self.opts.cluster_domain).is_err() {
            self.out.error(LowerError::Option {
                option: "cluster_domain",
                message: format!("{:?} is not a DNS subdomain", self.opts.cluster_domain),
            });
        }
        let v = &self.opts.api_versions;
        let checks: [(&'static str, &str, &[&str]); 10] = [
            (
                "api_versions.virtual_service",
                &v.virtual_service,
                vs_versions(),
            ),
            (
                "api_versions.destination_rule",
                &v.destination_rule,
                vs_versions(),
            ),
            ("api_versions.gateway", &v.gateway, vs_versions()),
            (
                "api_versions.service_entry",
                &v.service_entry,
                vs_versions(),
            ),
            ("api_versions.sidecar", &v.sidecar, vs_versions()),
            (
                "api_versions.peer_authentication",
                &v.peer_authentication,
                sec_versions(),
            ),
            (
                "api_versions.authorization_policy",
                &v.authorization_policy,
                sec_versions(),
            ),
            (
                "api_versions.request_authentication",
                &v.request_authentication,
                sec_versions(),
            ),
            (
                "api_versions.telemetry",
                &v.telemetry,
                <crate::crds::TelemetrySpec as mesh_k8s::Kind>::VERSIONS,
            ),
            (
                "api_versions.envoy_filter",
                &v.envoy_filter,
                <crate::crds::EnvoyFilterSpec as mesh_k8s::Kind>::VERSIONS,
            ),
        ];
        for (option, value, known) in checks {
            if !known.contains(&value) {
                self.out.error(LowerError::Option {
                    option,
                    message: format!("unknown version {value:?}; known: {}", known.join(", ")),
                });
            }
        }
    }

    /// Records an Unsupported error.
    pub(crate) fn unsupported(
        &mut self,
        feature: Feature,
        path: FieldPath,
        hint: impl Into<String>,
    ) {
        self.out.unsupported(feature, path, hint);
    }

    /// Records an Unsupported error that the ambient data plane causes:
    /// the feature is [`Feature::Ambient`] (whose capability note lists
    /// what ambient mode refuses), and the hint names the refused
    /// `feature`, so a caller checking the capability table sees the cause.
    pub(crate) fn ambient_unsupported(
        &mut self,
        feature: Feature,
        path: FieldPath,
        hint: impl Into<String>,
    ) {
        let hint = hint.into();
        self.out.unsupported(
            Feature::Ambient,
            path,
            format!("{feature} in ambient mode: {hint}"),
        );
    }

    /// Records an Unsupported error of a service route lowered to a
    /// Gateway API HTTPRoute: under the GAMMA flavor (an option) it is the
    /// route feature's, with "use the classic VirtualService flavor" as
    /// advice; under the ambient data plane (which routes with HTTPRoutes
    /// whatever the flavor) it is [`Feature::Ambient`]'s, with "use the
    /// sidecar data plane".
    pub(crate) fn http_route_unsupported(
        &mut self,
        feature: Feature,
        path: FieldPath,
        reason: impl Into<String>,
    ) {
        let reason = reason.into();
        if self.ambient && self.opts.routing == RoutingFlavor::Classic {
            self.ambient_unsupported(
                feature,
                path,
                format!(
                    "{reason} (ambient mode routes with Gateway API HTTPRoutes); use the sidecar data plane"
                ),
            );
        } else {
            self.out.unsupported(
                feature,
                path,
                format!("{reason}; use the classic VirtualService flavor"),
            );
        }
    }

    /// Records a note.
    pub(crate) fn note(&mut self, feature: Feature, path: FieldPath, message: impl Into<String>) {
        self.out.note(feature, path, message);
    }

    /// Emits an object, after setting its apiVersion.
    pub(crate) fn emit<S: mesh_k8s::Kind>(&mut self, mut object: mesh_k8s::Object<S>, version: &str)
    where
        IstioObject: From<mesh_k8s::Object<S>>,
    {
        if let Err(e) = object.set_version(version) {
            self.out.error(LowerError::Output(e.to_string()));
            return;
        }
        self.out.emit(object);
    }

    /// Emits a core or Gateway API object as is.
    pub(crate) fn emit_plain(&mut self, object: impl Into<IstioObject>) {
        self.out.emit(object);
    }

    /// The host name of service `name` in `namespace` as seen from an
    /// object in `from`: the short name in the same namespace, else the
    /// fully qualified name.
    pub(crate) fn host(&self, name: &str, namespace: &str, from: &str) -> String {
        if namespace == from {
            name.to_owned()
        } else {
            format!("{name}.{namespace}.svc.{}", self.opts.cluster_domain)
        }
    }

    /// The principal of an identity (`<trust-domain>/ns/<ns>/sa/<sa>`).
    pub(crate) fn principal(&self, id: &mesh_model::Identity) -> String {
        format!(
            "{}/ns/{}/sa/{}",
            self.mesh.trust_domain.as_str(),
            id.namespace,
            id.service_account
        )
    }

    /// The revision of the control plane, if the model names one.
    pub(crate) fn revision(&self) -> Option<&Name> {
        self.mesh.installation.as_ref()?.revision.as_ref()
    }
}

fn vs_versions() -> &'static [&'static str] {
    <crate::crds::VirtualServiceSpec as mesh_k8s::Kind>::VERSIONS
}

fn sec_versions() -> &'static [&'static str] {
    <crate::crds::PeerAuthenticationSpec as mesh_k8s::Kind>::VERSIONS
}

/// A model path under `services[i]`.
pub(crate) fn service_path(i: usize) -> FieldPath {
    FieldPath::root().field("services").index(i)
}

/// Labels as plain strings.
pub(crate) fn plain_labels(labels: &mesh_model::Labels) -> BTreeMap<String, String> {
    labels
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
        .collect()
}

/// A Namespace for every namespace in use.
fn namespaces(cx: &mut Cx<'_>) {
    let revision = cx.revision().map(|r| r.to_string());
    for (name, inject) in cx.mesh.namespaces_in_use() {
        let mut labels: BTreeMap<String, String> = cx
            .mesh
            .namespaces
            .iter()
            .find(|n| n.name == name)
            .map(|n| plain_labels(&n.labels))
            .unwrap_or_default();
        if cx.ambient {
            labels.insert(
                "istio.io/dataplane-mode".to_owned(),
                if inject { "ambient" } else { "none" }.to_owned(),
            );
        } else if !inject {
            labels.insert("istio-injection".to_owned(), "disabled".to_owned());
        } else if let Some(rev) = &revision {
            labels.insert("istio.io/rev".to_owned(), rev.clone());
        } else {
            labels.insert("istio-injection".to_owned(), "enabled".to_owned());
        }
        if let Some(w) = traffic::waypoint_label(cx, &name) {
            labels.insert("istio.io/use-waypoint".to_owned(), w);
            if !cx.mesh.ingress.is_empty() {
                // Ingress gateways send to pods directly unless told to use
                // the waypoint, which enforces the services' policies.
                labels.insert(
                    "istio.io/ingress-use-waypoint".to_owned(),
                    "true".to_owned(),
                );
            }
        }
        let ns = mesh_k8s::lowering::namespace(name.as_str(), labels, []);
        cx.emit_plain(ns);
    }
}
