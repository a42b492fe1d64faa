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
