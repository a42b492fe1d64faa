//! Static analysis of Istio objects: configuration this library may not
//! have written, read from manifests.
//!
//! [`analyze`] takes typed objects with where each came from ([`Source`])
//! and returns [`Diagnostic`]s with the codes of
//! [`mesh_model::analyze::Code`] (`MW1xxx`, or the model's `MW0xxx` where
//! the finding is the same) located at a file, document and field. Three
//! families of checks ([`Check`]):
//!
//! - the `istioctl analyze` analyzers that apply to static files, with the
//!   same verdicts as upstream on its own test inputs
//!   ([`Check::upstream`] names the analyzer; the test
//!   `analyze::tests::istioctl_fixtures` compares each with upstream's
//!   expectations);
//! - rules of Istio's admission webhook that neither the CRD schema nor
//!   the typed structs catch (route shape, fault injection, retries, header
//!   names, AuthorizationPolicy combinations);
//! - pitfalls neither checks: several VirtualServices for one host, subsets
//!   selecting no workload, PERMISSIVE mTLS, 100% trace sampling, unnamed
//!   ports, gateways without routes, short host names across namespaces,
//!   DestinationRule TLS contradicting PeerAuthentication, DENY on HTTP
//!   attributes without ports, `spec: {}` versus `rules: [{}]`.
//!
//! Kubernetes objects the analyzers read as context (Pods, Deployments,
//! Services, Namespaces, Secrets, Nodes) are inputs too. As with
//! `istioctl analyze` on files, what the input does not contain does not
//! exist: a route to a host no Service in the input provides is reported,
//! and so is a subset when the input has no pod it selects. Give the
//! cluster's context objects with the config, or choose the checks
//! ([`Options::checks`]); [`default_resources`] adds the stand-in ingress
//! gateway istioctl assumes.
//!
//! ```
//! use mesh_istio::analyze::{self, Options, Resource, Source};
//! use mesh_istio::{IstioObject, VirtualService, VirtualServiceSpec};
//! use mesh_istio::crds::{Destination, HttpRoute, HttpRouteDestination};
//! use mesh_model::analyze::Code;
//!
//! let vs = VirtualService::new("reviews", Some("bookinfo"), VirtualServiceSpec {
//!     hosts: vec!["reviews".into()],
//!     http: vec![HttpRoute {
//!         route: vec![HttpRouteDestination::weighted(
//!             Destination::host("reviews").with_subset("v2"), 100)],
//!         ..Default::default()
//!     }],
//!     ..Default::default()
//! });
//! let input = vec![(Source::new("vs.yaml", 1), Resource::from(IstioObject::from(vs)))];
//! let found = analyze::analyze(&input, &Options::default());
//! assert!(found.iter().any(|d| d.code == Code::SubsetNotDefined));
//! ```
//!
//! ## Complexity
//!
//! The input is indexed once (objects by namespace and name, hosts, pods by
//! label); each check then visits each object once and looks things up,
//! so analysis is near-linear in the number of objects. Selector matching
//! looks pods up by their rarest selected label, not by scanning.

mod index;
mod pitfalls;
mod read;
mod upstream;
mod webhook;

#[cfg(test)]
mod tests;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod, Secret};
use mesh_model::analyze::Diagnostic;
pub(crate) use mesh_model::analyze::manifest::Finding;
pub use mesh_model::analyze::manifest::Source;
use mesh_model::analyze::manifest::place;

pub use read::{ReadError, default_resources, resource_from_value};

use crate::IstioObject;
use crate::crds::WasmPlugin;

/// One input object: an Istio object, or a Kubernetes object the analyzers
/// read as context.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // built once per input document
pub enum Resource {
    /// An Istio object (and the core Namespaces and Services
    /// [`IstioObject`] carries).
    Istio(IstioObject),
    /// A Pod: its labels and namespace select workloads.
    Pod(Pod),
    /// A Deployment: its pod template stands for pods when none are given;
    /// istiod's own Deployment carries its settings.
    Deployment(Deployment),
    /// A Secret (gateway credentials).
    Secret(Secret),
    /// A Node (topology labels of the pods scheduled on it).
    Node(Node),
    /// A WasmPlugin (not yet an [`IstioObject`] variant).
    WasmPlugin(WasmPlugin),
}

impl From<IstioObject> for Resource {
    fn from(o: IstioObject) -> Self {
        Resource::Istio(o)
    }
}

/// The parts of Istio's mesh config (`meshConfig`) the analyzers read.
/// `Default` is Istio's default mesh config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeshSettings {
    /// `rootNamespace` (default `istio-system`): mesh-wide policies live
    /// there.
    pub root_namespace: String,
    /// The cluster DNS domain (default `cluster.local`).
    pub cluster_domain: String,
    /// Whether `defaultConfig.proxyMetadata` turns on DNS capture with
    /// address auto-allocation (`ISTIO_META_DNS_CAPTURE` and
    /// `ISTIO_META_DNS_AUTO_ALLOCATE` both `"true"`). Default false.
    pub dns_auto_allocate: bool,
    /// `defaultProviders.accessLogging` (default none).
    pub default_access_log_providers: Vec<String>,
    /// Names of `extensionProviders` of the removed Lightstep kind.
    pub lightstep_providers: Vec<String>,
}

impl Default for MeshSettings {
    fn default() -> Self {
        MeshSettings {
            root_namespace: "istio-system".into(),
            cluster_domain: "cluster.local".into(),
            dns_auto_allocate: false,
            default_access_log_providers: Vec::new(),
            lightstep_providers: Vec::new(),
        }
    }
}

impl MeshSettings {
    /// Reads the settings from a mesh config document (the `mesh` key of
    /// the `istio` ConfigMap, or `meshConfig` of an IstioOperator), keeping
    /// the defaults for what it does not say.
    pub fn from_mesh_config(mesh: &serde_json::Value) -> Self {
        let mut s = MeshSettings::default();
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        if let Some(ns) = mesh.get("rootNamespace").and_then(text) {
            s.root_namespace = ns;
        }
        if let Some(d) = mesh.get("clusterDomain").and_then(text) {
            s.cluster_domain = d;
        }
        let meta = &mesh["defaultConfig"]["proxyMetadata"];
        s.dns_auto_allocate = meta["ISTIO_META_DNS_CAPTURE"] == "true"
            && meta["ISTIO_META_DNS_AUTO_ALLOCATE"] == "true";
        if let Some(list) = mesh["defaultProviders"]["accessLogging"].as_array() {
            s.default_access_log_providers = list.iter().filter_map(text).collect();
        }
        if let Some(list) = mesh["extensionProviders"].as_array() {
            s.lightstep_providers = list
                .iter()
                .filter(|p| p.get("lightstep").is_some())
                .filter_map(|p| p.get("name").and_then(text))
                .collect();
        }
        s
    }
}

macro_rules! checks {
    ($($(#[$doc:meta])* $var:ident = $name:literal, $upstream:expr;)*) => {
        /// One analyzer. [`Options::checks`] chooses which run.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Check {
            $($(#[$doc])* $var,)*
        }

        impl Check {
            /// Every check.
            pub const ALL: &'static [Check] = &[$(Check::$var),*];

            /// A short name (`virtualservice-destination-hosts`).
            pub const fn name(self) -> &'static str {
                match self { $(Check::$var => $name,)* }
            }

            /// The `istioctl analyze` analyzer this check reproduces, if
            /// any (`virtualservice.DestinationHostAnalyzer`).
            pub const fn upstream(self) -> Option<&'static str> {
                match self { $(Check::$var => $upstream,)* }
            }
        }
    };
}

checks! {
    /// Deprecated fields and providers (IST0002).
    Deprecation = "deprecation", Some("deprecation.FieldAnalyzer");
    /// Gateway ports against the Services of the gateway pods.
    GatewayPorts = "gateway-ports", Some("gateway.IngressGatewayPortAnalyzer");
    /// Gateway `credentialName` Secrets.
    GatewaySecrets = "gateway-secrets", Some("gateway.SecretAnalyzer");
    /// Gateways with the same selector, port and host.
    ConflictingGateways = "conflicting-gateways", Some("gateway.ConflictingGatewayAnalyzer");
    /// One certificate on several gateways.
    GatewayCertificates = "gateway-certificates", Some("gateway.CertificateAnalyzer");
    /// Several mesh VirtualServices for one host.
    VirtualServiceHostConflicts = "virtualservice-host-conflicts",
        Some("virtualservice.ConflictingMeshGatewayHostsAnalyzer");
    /// Route and mirror destination hosts and ports.
    DestinationHosts = "virtualservice-destination-hosts",
        Some("virtualservice.DestinationHostAnalyzer");
    /// Route and mirror subsets against DestinationRules.
    DestinationSubsets = "virtualservice-destination-subsets",
        Some("virtualservice.DestinationRuleAnalyzer");
    /// VirtualService gateways: existence, hosts, internal gateways.
    VirtualServiceGateways = "virtualservice-gateways", Some("virtualservice.GatewayAnalyzer");
    /// JWT claim routing without RequestAuthentication.
    JwtClaimRoutes = "jwt-claim-routes", Some("virtualservice.JWTClaimRouteAnalyzer");
    /// Unreachable rules and ineffective matches (upstream: part of schema
    /// validation).
    UnreachableRules = "unreachable-rules", Some("schemaValidation.CollectionValidationAnalyzer");
    /// AuthorizationPolicy workloads and namespaces.
    AuthorizationPolicies = "authorization-policies", Some("authz.AuthorizationPoliciesAnalyzer");
    /// DestinationRule TLS without CA certificates.
    CaCertificates = "ca-certificates", Some("destinationrule.CaCertificateAnalyzer");
    /// DestinationRule hosts and subsets against pods.
    SubsetPods = "subset-pods", Some("destinationrule.PodNotSelectedAnalyzer");
    /// ServiceEntry TCP ports without addresses.
    ServiceEntryAddresses = "serviceentry-addresses", Some("serviceentry.ProtocolAddressesAnalyzer");
    /// EnvoyFilter patch operations.
    EnvoyFilterPatches = "envoyfilter-patches", Some("envoyfilter.EnvoyPatchAnalyzer");
    /// Telemetry access logging without provider.
    TelemetryProviders = "telemetry-providers", Some("telemetry.ProviderAnalyzer");
    /// Telemetry selectors.
    TelemetrySelectors = "telemetry-selectors", Some("telemetry.SelectorAnalyzer");
    /// Several Telemetries without selector in a namespace.
    TelemetryDefaults = "telemetry-defaults", Some("telemetry.DefaultSelectorAnalyzer");
    /// Telemetry tracing to a Lightstep provider.
    TelemetryLightstep = "telemetry-lightstep", Some("telemetry.LightstepAnalyzer");
    /// Sidecar selectors, conflicts and ambient namespaces.
    SidecarSelectors = "sidecar-selectors", Some("sidecar.SelectorAnalyzer");
    /// Policies selecting Kubernetes Gateway pods by label.
    GatewayApiSelectors = "k8sgateway-selectors", Some("k8sgateway.SelectorAnalyzer");
    /// istiod without `BLOCKED_CIDRS_IN_JWKS_URIS`.
    BlockedCidrs = "blocked-cidrs", Some("authn.BlockedCIDRsAnalyzer");
    /// Webhook rules on VirtualServices (route shape, fault, retries,
    /// header names).
    WebhookRoutes = "webhook-routes", None;
    /// Webhook rules on AuthorizationPolicies.
    WebhookAuthorization = "webhook-authorization", None;
    /// Pitfall: subsets against Deployments and Service selectors when no
    /// pods are given.
    SubsetWorkloads = "subset-workloads", None;
    /// Pitfall: PERMISSIVE or disabled mTLS.
    PeerAuthenticationModes = "peer-authentication-modes", None;
    /// Pitfall: DestinationRule TLS against PeerAuthentication.
    TlsConsistency = "tls-consistency", None;
    /// Pitfall: trace sampling.
    TraceSampling = "trace-sampling", None;
    /// Pitfall: Service ports without name or protocol.
    PortNames = "port-names", None;
    /// Pitfall: gateways no VirtualService is bound to.
    GatewaysWithoutRoutes = "gateways-without-routes", None;
    /// Pitfall: short host names across namespaces.
    ShortHosts = "short-hosts", None;
    /// Pitfall: authorization that allows or denies everything, DENY on
    /// HTTP attributes without ports.
    AuthorizationScope = "authorization-scope", None;
}

/// What [`analyze`] runs, with which mesh settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The mesh config.
    pub mesh: MeshSettings,
    /// The checks to run (default: all).
    pub checks: Vec<Check>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mesh: MeshSettings::default(),
            checks: Check::ALL.to_vec(),
        }
    }
}

impl Options {
    /// Only these checks.
    pub fn only(checks: &[Check]) -> Self {
        Options {
            checks: checks.to_vec(),
            ..Options::default()
        }
    }
}

/// Analyzes `resources`: every check of `options`, diagnostics in input
/// order (then check order), the same input always giving the same list.
/// References to what the input lacks are reported (see the [module
/// documentation](self)).
pub fn analyze(resources: &[(Source, Resource)], options: &Options) -> Vec<Diagnostic> {
    place(resources, run(resources, options))
}

pub(crate) fn run(resources: &[(Source, Resource)], options: &Options) -> Vec<Finding> {
    let ix = index::Index::new(resources, &options.mesh);
    let mut out = Vec::new();
    for check in &options.checks {
        match check {
            Check::Deprecation => upstream::deprecation(&ix, &mut out),
            Check::GatewayPorts => upstream::gateway_ports(&ix, &mut out),
            Check::GatewaySecrets => upstream::gateway_secrets(&ix, &mut out),
            Check::ConflictingGateways => upstream::conflicting_gateways(&ix, &mut out),
            Check::GatewayCertificates => upstream::gateway_certificates(&ix, &mut out),
            Check::VirtualServiceHostConflicts => upstream::host_conflicts(&ix, &mut out),
            Check::DestinationHosts => upstream::destination_hosts(&ix, &mut out),
            Check::DestinationSubsets => upstream::destination_subsets(&ix, &mut out),
            Check::VirtualServiceGateways => upstream::vs_gateways(&ix, &mut out),
            Check::JwtClaimRoutes => upstream::jwt_claim_routes(&ix, &mut out),
            Check::UnreachableRules => upstream::unreachable_rules(&ix, &mut out),
            Check::AuthorizationPolicies => upstream::authorization_policies(&ix, &mut out),
            Check::CaCertificates => upstream::ca_certificates(&ix, &mut out),
            Check::SubsetPods => upstream::subset_pods(&ix, &mut out),
            Check::ServiceEntryAddresses => upstream::service_entry_addresses(&ix, &mut out),
            Check::EnvoyFilterPatches => upstream::envoy_filter_patches(&ix, &mut out),
            Check::TelemetryProviders => upstream::telemetry_providers(&ix, &mut out),
            Check::TelemetrySelectors => upstream::telemetry_selectors(&ix, &mut out),
            Check::TelemetryDefaults => upstream::telemetry_defaults(&ix, &mut out),
            Check::TelemetryLightstep => upstream::telemetry_lightstep(&ix, &mut out),
            Check::SidecarSelectors => upstream::sidecar_selectors(&ix, &mut out),
            Check::GatewayApiSelectors => upstream::gateway_api_selectors(&ix, &mut out),
            Check::BlockedCidrs => upstream::blocked_cidrs(&ix, &mut out),
            Check::WebhookRoutes => webhook::routes(&ix, &mut out),
            Check::WebhookAuthorization => webhook::authorization(&ix, &mut out),
            Check::SubsetWorkloads => pitfalls::subset_workloads(&ix, &mut out),
            Check::PeerAuthenticationModes => pitfalls::peer_authentication_modes(&ix, &mut out),
            Check::TlsConsistency => pitfalls::tls_consistency(&ix, &mut out),
            Check::TraceSampling => pitfalls::trace_sampling(&ix, &mut out),
            Check::PortNames => pitfalls::port_names(&ix, &mut out),
            Check::GatewaysWithoutRoutes => pitfalls::gateways_without_routes(&ix, &mut out),
            Check::ShortHosts => pitfalls::short_hosts(&ix, &mut out),
            Check::AuthorizationScope => pitfalls::authorization_scope(&ix, &mut out),
        }
    }
    out
}
