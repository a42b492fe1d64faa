//! meshwright's Istio backend.
//!
//! [`crds`] is the typed Istio API (Istio 1.30): every field of the
//! networking, security, telemetry and extension kinds, plus the
//! `IstioOperator` install resource, with one Rust type per concept
//! ([`crds::StringMatch`], [`crds::TrafficPolicy`], [`crds::Destination`]...),
//! `oneOf`s as enums and the schemas' CEL rules checked on read. The kinds
//! (the `Object` aliases and their specs) are re-exported here; the types
//! they are made of live in [`crds`].
//!
//! ```
//! use mesh_istio::{VirtualService, VirtualServiceSpec};
//! use mesh_istio::crds::{Destination, HttpRoute, HttpRouteDestination};
//!
//! let vs = VirtualService::new(
//!     "reviews",
//!     Some("bookinfo"),
//!     VirtualServiceSpec {
//!         hosts: vec!["reviews".into()],
//!         http: vec![HttpRoute {
//!             route: vec![
//!                 HttpRouteDestination::weighted(Destination::host("reviews").with_subset("v1"), 90),
//!                 HttpRouteDestination::weighted(Destination::host("reviews").with_subset("v2"), 10),
//!             ],
//!             ..Default::default()
//!         }],
//!         ..Default::default()
//!     },
//! );
//! let json = serde_json::to_value(&vs).unwrap();
//! assert_eq!(json["apiVersion"], "networking.istio.io/v1");
//! assert_eq!(json["spec"]["http"][0]["route"][1]["weight"], 10);
//! ```
//!
//! ## Guide
//!
//! [`lower`] turns a neutral [`mesh_model::Mesh`] into these kinds:
//! [`IstioBackend`] with its [`Options`] (API version per kind, root
//! namespace, classic or Gateway API (GAMMA) routing, sidecar or ambient
//! data plane, installer). Routing becomes VirtualServices and
//! DestinationRule subsets, mTLS PeerAuthentications, authorization
//! AuthorizationPolicies (plus a root-namespace `allow-nothing` for
//! deny-by-default); what Istio would otherwise default is written out
//! (`retries: {attempts: 0}`) and reported as a note. [`lift`] reads
//! Istio objects back into a model; [`analyze`] checks existing manifests.
//!
//! ```
//! use mesh_istio::{IstioBackend, IstioObject, Options};
//! use mesh_k8s::Manifest;
//! use mesh_model::{Backend, Mesh};
//!
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: reviews
//!   namespace: bookinfo
//!   ports: [{number: 9080, protocol: http}]
//!   versions: [{name: v1}, {name: v2}]
//!   routes:
//!   - forward:
//!       backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
//! "#)?;
//! // An older cluster: VirtualServices at v1beta1, the rest at v1.
//! let mut options = Options::default();
//! options.api_versions.virtual_service = "v1beta1".into();
//! let mut lowered = IstioBackend { options }.lower(&mesh)?;
//! let kinds: Vec<&str> = lowered.manifests.iter().map(Manifest::kind).collect();
//! for kind in ["Namespace", "PeerAuthentication", "AuthorizationPolicy", "DestinationRule", "VirtualService"] {
//!     assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
//! }
//! let vs = lowered
//!     .manifests
//!     .iter()
//!     .find_map(|o| match o {
//!         IstioObject::VirtualService(vs) => Some(vs),
//!         _ => None,
//!     })
//!     .ok_or("no VirtualService")?;
//! assert_eq!(vs.api_version(), "networking.istio.io/v1beta1");
//! let weights: Vec<_> = vs.spec.http[0].route.iter().map(|r| r.weight).collect();
//! assert_eq!(weights, [Some(90), Some(10)]);
//! assert_eq!(vs.spec.http[0].retries.as_ref().and_then(|r| r.attempts), Some(0));
//! assert!(!lowered.notes.is_empty(), "the explicit `attempts: 0` is reported");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod analyze;
pub mod crds;
pub mod install;
pub mod lift;
pub mod lower;
#[cfg(feature = "proptest")]
pub mod strategy;

pub use crds::{
    AuthorizationPolicy, AuthorizationPolicySpec, DestinationRule, DestinationRuleSpec,
    EnvoyFilter, EnvoyFilterSpec, Gateway, GatewaySpec, IstioOperator, IstioOperatorSpec,
    PeerAuthentication, PeerAuthenticationSpec, ProxyConfig, ProxyConfigSpec,
    RequestAuthentication, RequestAuthenticationSpec, ServiceEntry, ServiceEntrySpec, Sidecar,
    SidecarSpec, Telemetry, TelemetrySpec, VirtualService, VirtualServiceSpec, WasmPlugin,
    WasmPluginSpec, WorkloadEntry, WorkloadEntrySpec, WorkloadGroup, WorkloadGroupSpec,
};
pub use install::IstioInstall;
pub use lift::IstioLift;
pub use lower::{CAPABILITIES, InstallMethod, IstioBackend, IstioObject, Options};
