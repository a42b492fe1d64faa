//! Lowering of the neutral model ([`mesh_model::Mesh`]) to Linkerd
//! 2.16–2.18: [`LinkerdBackend`].
//!
//! What becomes what (object names in parentheses; all derived from model
//! names, in the model's namespaces):
//!
//! | model | Linkerd |
//! | --- | --- |
//! | namespaces in use | Namespace with `linkerd.io/inject` and `config.linkerd.io/default-inbound-policy` (mTLS mode × default action) |
//! | service | core Service (`<service>`): selector, ports, service-level retry/timeout and failure-accrual annotations |
//! | version | core Service (`<service>-<version>`): selector = service selector + version labels, same ports |
//! | routes, splits | Gateway API HTTPRoute with the Service as parent (`<service>`, or `<service>-<port>` with several HTTP ports; `-<route>` suffixes when routes need different retry/timeout annotations); or policy.linkerd.io HTTPRoute / SMI TrafficSplit ([`RoutingFlavor`]) |
//! | route precedence | checked with [`mesh_k8s::gateway::precedence`]: shadowed matches dropped (noted), conflicts refused |
//! | unmatched requests | an explicit last catch-all rule (to the service or a version); `notFound`: no catch-all (Linkerd answers 404) |
//! | retries, timeouts | `retry.linkerd.io/*`, `timeout.linkerd.io/request` annotations on the HTTPRoute (route) or Service (service defaults); or a ServiceProfile (`<service>.<namespace>.svc.<cluster domain>`) in [`ResilienceFlavor::ServiceProfile`], never both |
//! | outlier detection | `balancer.linkerd.io/failure-accrual*` annotations on the Service |
//! | rate limit | HTTPLocalRateLimitPolicy (`<service>`) on the Server of the service's HTTP port |
//! | authorization | Server per service port (`<service>-<port>`) + AuthorizationPolicy + MeshTLSAuthentication / NetworkAuthentication (`<policy>-<rule>-…`), per-path/method rules through policy.linkerd.io HTTPRoutes with the Server as parent |
//! | deny by IP block | a NetworkAuthentication of all networks except the blocks (`<service>-not-denied`), required by every AuthorizationPolicy of the service (other denies are refused: Linkerd is allow-only) |
//! | ingress | Gateway API Gateway (`<ingress>`) of [`Options::gateway_class_name`] + HTTPRoute (`<ingress>`) |
//! | egress | EgressNetwork (`meshwright-egress`) per namespace + HTTPRoutes (`egress-<external>-<port>`) |
//! | access logs | `config.linkerd.io/access-log` namespace annotation |
//! | installation, metrics, tracing, add-ons | Helm values of Linkerd's charts in [`Lowered::install`](mesh_k8s::lowering::Lowered), cert-manager objects, PodMonitors, PrometheusRule, dashboard ConfigMap ([`signal_queries`] for the PromQL) |
//!
//! Everything else is refused with `LowerError::Unsupported` (see
//! [`CAPABILITIES`]); faithful rewrites and explicit defaults are reported
//! as notes.

mod capabilities;
mod edge;
mod install;
mod object;
mod resilience;
mod security;
mod traffic;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU16;

use mesh_k8s::lowering::{CommonOptions, Lowered, Lowerer};
use mesh_model::{
    Backend, CapabilityTable, Duration, Feature, FieldPath, LowerErrors, Mesh, MeshKind, Port,
};

pub use self::capabilities::CAPABILITIES;
pub use self::install::{HELM_REPOSITORY, IDENTITY_ISSUER_SECRET, TRUST_ROOTS, signal_queries};
pub use self::object::LinkerdObject;
pub use crate::values::LinkerdInstall;

/// How routing and splits are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoutingFlavor {
    /// Gateway API `HTTPRoute` with the Service as parent (GAMMA; the
    /// default, Linkerd 2.14+).
    #[default]
    GatewayApi,
    /// `policy.linkerd.io` `HTTPRoute` with the Service as parent (for
    /// clusters without the Gateway API CRDs).
    PolicyHttpRoute,
    /// SMI `TrafficSplit` (needs the linkerd-smi extension): one weighted
    /// split per service, no matches.
    SmiTrafficSplit,
}

/// How retries, timeouts and retry budgets are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResilienceFlavor {
    /// The 2.16+ annotations (`retry.linkerd.io/*`, `timeout.linkerd.io/*`)
    /// on HTTPRoutes and Services (the default). No retry budgets.
    #[default]
    Annotations,
    /// Legacy ServiceProfiles: route timeouts and the retry budget (no
    /// retry counts). A ServiceProfile takes precedence over HTTPRoutes, so
    /// a service that gets one may only have routes that need no HTTPRoute.
    ServiceProfile,
}

/// Options of the Linkerd lowering. `Default` is the recommended setting for
/// Linkerd 2.18.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Labels and annotations stamped on every object.
    pub common: CommonOptions,
    /// How routes and splits are written (default Gateway API).
    pub routing: RoutingFlavor,
    /// How retries and timeouts are written (default annotations).
    pub resilience: ResilienceFlavor,
    /// Version of gateway.networking.k8s.io HTTPRoute, Gateway and
    /// ReferenceGrant (default `v1`; `v1beta1` for older clusters).
    pub gateway_api_version: &'static str,
    /// Version of policy.linkerd.io HTTPRoute (default `v1beta3`).
    pub policy_http_route_version: &'static str,
    /// Version of Server (default `v1beta3`; `accessPolicy` needs it).
    pub server_version: &'static str,
    /// Version of SMI TrafficSplit (default `v1alpha2`).
    pub traffic_split_version: &'static str,
    /// GatewayClass of ingress Gateways: Linkerd ships no ingress, so this
    /// is the class of the ingress controller you run (default
    /// `envoy-gateway`).
    pub gateway_class_name: String,
    /// Cluster DNS domain, for ServiceProfile names (default
    /// `cluster.local`).
    pub cluster_domain: String,
    /// Emit EgressNetworks (Linkerd 2.18+) so that `egress.policy:
    /// registryOnly` (the model's default) is enforced (default true).
    /// When false, registry-only egress is refused.
    pub egress_networks: bool,
    /// Namespace of the control plane (`linkerd-crds` and
    /// `linkerd-control-plane` releases, the identity issuer Certificate;
    /// default `linkerd`).
    pub control_plane_namespace: String,
    /// Namespace of the PodMonitors, PrometheusRule and dashboard
    /// ConfigMap (default `linkerd`, as the chart's own PodMonitors; your
    /// Prometheus and Grafana must watch it).
    pub monitoring_namespace: String,
    /// Namespace of the linkerd-viz release (default `linkerd-viz`).
    pub viz_namespace: String,
    /// Namespace of the linkerd-jaeger release (default `linkerd-jaeger`).
    pub jaeger_namespace: String,
    /// A chart version to pin in the `helm` commands (default none: the
    /// repository's latest).
    pub chart_version: Option<String>,
    /// The Secret holding the trust anchor (`tls.crt`), read by
    /// trust-manager for the trust bundle (default `linkerd-trust-anchor`,
    /// as in Linkerd's docs).
    pub trust_anchor_secret: String,
    /// cert-manager's namespace, trust-manager's trust namespace (default
    /// `cert-manager`).
    pub cert_manager_namespace: String,
    /// With `certificateAuthority: certManager`, also emit the docs' trust
    /// anchor: a self-signed Issuer, the trust anchor Certificate (1 year,
    /// ECDSA) and the model's issuer as a CA issuer over it (default
    /// false: the issuer and the trust anchor Secret exist).
    pub self_signed_trust_anchor: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            common: CommonOptions::default(),
            routing: RoutingFlavor::default(),
            resilience: ResilienceFlavor::default(),
            gateway_api_version: "v1",
            policy_http_route_version: "v1beta3",
            server_version: "v1beta3",
            traffic_split_version: "v1alpha2",
            gateway_class_name: "envoy-gateway".to_owned(),
            cluster_domain: "cluster.local".to_owned(),
            egress_networks: true,
            control_plane_namespace: "linkerd".to_owned(),
            monitoring_namespace: "linkerd".to_owned(),
            viz_namespace: "linkerd-viz".to_owned(),
            jaeger_namespace: "linkerd-jaeger".to_owned(),
            chart_version: None,
            trust_anchor_secret: "linkerd-trust-anchor".to_owned(),
            cert_manager_namespace: "cert-manager".to_owned(),
            self_signed_trust_anchor: false,
        }
    }
}

/// The Linkerd backend.
///
/// ```
/// use mesh_linkerd::lower::LinkerdBackend;
/// use mesh_model::{Backend, Mesh};
///
/// let mesh = Mesh::from_policy(r#"
/// services:
/// - name: web-svc
///   namespace: default
///   ports: [{number: 80, protocol: http}]
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward: {backends: [{version: v1, weight: 500}, {version: v2, weight: 500}]}
/// security: {defaultAction: allow}
/// "#)?;
/// let mut lowered = LinkerdBackend::default().lower(&mesh)?;
/// let yaml = lowered.manifests.to_yaml()?;
/// assert!(yaml.contains("name: web-svc-v2"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LinkerdBackend {
    /// The options.
    pub options: Options,
}

impl Backend for LinkerdBackend {
    type Output = Lowered<LinkerdObject, LinkerdInstall>;

    fn mesh(&self) -> MeshKind {
        MeshKind::Linkerd
    }

    fn capabilities(&self) -> &'static CapabilityTable {
        &CAPABILITIES
    }

    fn lower(&self, mesh: &Mesh) -> Result<Self::Output, LowerErrors> {
        mesh.validate().map_err(LowerErrors::from)?;
        let mut cx = Cx {
            mesh,
            services: mesh.service_index(),
            opts: &self.options,
            out: Lowerer::new(MeshKind::Linkerd, self.options.common.clone()),
            emitted: BTreeSet::new(),
            grants: BTreeSet::new(),
            ns_annotations: BTreeMap::new(),
        };
        security::namespaces_defaults(&mut cx);
        for (i, svc) in mesh.services.iter().enumerate() {
            traffic::service(&mut cx, i, svc);
        }
        security::authorization(&mut cx);
        edge::ingress(&mut cx);
        edge::egress(&mut cx);
        install::lower(&mut cx);
        traffic::reference_grants(&mut cx);
        security::emit_namespaces(&mut cx);
        cx.out.finish()
    }
}

/// The lowering's state.
pub(crate) struct Cx<'a> {
    pub mesh: &'a Mesh,
    /// The model's services, indexed once.
    pub services: mesh_model::ServiceIndex<'a>,
    pub opts: &'a Options,
    pub out: Lowerer<LinkerdObject, LinkerdInstall>,
    /// Keys (`Kind/namespace/name`) of objects emitted once though several
    /// places need them (shared authentications, Servers).
    pub emitted: BTreeSet<String>,
    /// (from namespace, to namespace) of cross-namespace route backends.
    pub grants: BTreeSet<(String, String)>,
    /// Annotations for each namespace in use.
    pub ns_annotations: BTreeMap<String, BTreeMap<String, String>>,
}

impl Cx<'_> {
    /// Emits `object` unless an object with `key` was emitted already.
    pub fn emit_once(&mut self, key: String, object: impl Into<LinkerdObject>) {
        if self.emitted.insert(key) {
            self.out.emit(object);
        }
    }

    pub fn unsupported(&mut self, feature: Feature, path: FieldPath, hint: impl Into<String>) {
        self.out.unsupported(feature, path, hint);
    }

    pub fn note(&mut self, feature: Feature, path: FieldPath, message: impl Into<String>) {
        self.out.note(feature, path, message);
    }
}

pub(crate) fn root() -> FieldPath {
    FieldPath::root()
}

pub(crate) fn nz(p: Port) -> NonZeroU16 {
    NonZeroU16::new(p.get()).unwrap_or(NonZeroU16::MIN)
}

/// A duration as Linkerd's annotations read it: whole seconds (`30s`) or
/// whole milliseconds (`500ms`); `None` below a millisecond.
pub(crate) fn linkerd_duration(d: Duration) -> Option<String> {
    let ms = d.as_millis();
    if !d.is_whole_millis() {
        None
    } else if ms.is_multiple_of(1000) {
        Some(format!("{}s", ms / 1000))
    } else {
        Some(format!("{ms}ms"))
    }
}
