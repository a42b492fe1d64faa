//! meshwright's Linkerd backend.
//!
//! - [`crds`]: typed Linkerd custom resources (policy.linkerd.io Server,
//!   ServerAuthorization, AuthorizationPolicy, MeshTLSAuthentication,
//!   NetworkAuthentication, HTTPRoute, EgressNetwork,
//!   HTTPLocalRateLimitPolicy; workload.linkerd.io ExternalWorkload;
//!   linkerd.io ServiceProfile; SMI TrafficSplit), every field of every
//!   served version, with `mesh_k8s::Kind` implementations.
//! - [`lower`]: the lowering of the neutral model to Linkerd 2.16–2.18
//!   ([`LinkerdBackend`], its [`Options`] and [`CAPABILITIES`]).
//!
//! ## Guide
//!
//! Build or read a [`mesh_model::Mesh`], lower it with [`LinkerdBackend`]
//! (its [`Options`] pick the Linkerd release's API versions and the routing
//! flavor), and write the typed objects out. Routing becomes Gateway API
//! HTTPRoutes on the Service (each version a Service of its own), mTLS and
//! authorization become Servers, AuthorizationPolicies and
//! MeshTLSAuthentications, with `deny` as the default inbound policy. What
//! Linkerd cannot express comes back as `LowerError::Unsupported` with the
//! model's field path; ask [`CAPABILITIES`] before lowering.
//!
//! ```
//! use mesh_model::{
//!     AuthorizationPolicyBuilder, AuthzRuleBuilder, Backend, BackendRef, ForwardBuilder, Identity,
//!     MeshBuilder, Name, Port, Protocol, RouteBuilder, Scope, ServiceBuilder, ServicePortBuilder,
//!     Source, VersionBuilder,
//! };
//! use mesh_linkerd::{LinkerdBackend, LinkerdObject};
//! use mesh_k8s::Manifest;
//!
//! // Two services in `shop`; `api` has two versions and a 90/10 canary,
//! // and only `web`'s identity may call it (mTLS is strict by default).
//! let shop = Name::new("shop")?;
//! let http = |port| -> Result<_, Box<dyn std::error::Error>> {
//!     Ok(ServicePortBuilder::default().number(Port::new(port)?).protocol(Protocol::Http).build()?)
//! };
//! let api = ServiceBuilder::default()
//!     .name(Name::new("api")?)
//!     .namespace(shop.clone())
//!     .port(http(8080)?)
//!     .version(VersionBuilder::default().name(Name::new("v1")?).build()?)
//!     .version(VersionBuilder::default().name(Name::new("v2")?).build()?)
//!     .route(
//!         RouteBuilder::default()
//!             .name(Name::new("canary")?)
//!             .forward(
//!                 ForwardBuilder::default()
//!                     .backend(BackendRef::version("v1", 90)?)
//!                     .backend(BackendRef::version("v2", 10)?)
//!                     .build()?,
//!             )
//!             .build()?,
//!     )
//!     .build()?;
//! let web = ServiceBuilder::default().name(Name::new("web")?).namespace(shop).port(http(80)?).build()?;
//! let web_to_api = AuthorizationPolicyBuilder::default()
//!     .name(Name::new("web-to-api")?)
//!     .scope(Scope::Service(api.reference()))
//!     .rule(AuthzRuleBuilder::default().source(Source::Identity(Identity::new("shop", "web")?)).build()?)
//!     .build()?;
//! let mut mesh = MeshBuilder::default().service(web).service(api).build()?;
//! mesh.security.authorization.push(web_to_api);
//!
//! let mut lowered = LinkerdBackend::default().lower(&mesh)?;
//! let kinds: Vec<&str> = lowered.manifests.iter().map(Manifest::kind).collect();
//! for kind in ["Namespace", "Service", "HTTPRoute", "Server", "AuthorizationPolicy", "MeshTLSAuthentication"] {
//!     assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
//! }
//!
//! // The canary: an HTTPRoute on `api` splitting 90/10 across the
//! // per-version Services.
//! let route = lowered
//!     .manifests
//!     .iter()
//!     .find_map(|o| match o {
//!         LinkerdObject::GatewayHttpRoute(r) if r.name() == "api" => Some(r),
//!         _ => None,
//!     })
//!     .ok_or("no HTTPRoute for api")?;
//! let split: Vec<(&str, u32)> = route.spec.rules[0]
//!     .backend_refs
//!     .iter()
//!     .map(|b| (b.name.as_str(), b.effective_weight()))
//!     .collect();
//! assert_eq!(split, [("api-v1", 90), ("api-v2", 10)]);
//!
//! // `web`'s mesh identity is the only one authorized.
//! let yaml = lowered.manifests.to_yaml()?;
//! assert!(yaml.contains("- web.shop.serviceaccount.identity.linkerd.cluster.local"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod crds;

pub use crate::crds::{
    AuthorizationPolicy, EgressNetwork, ExternalWorkload, HttpLocalRateLimitPolicy, HttpRoute,
    MeshTlsAuthentication, NetworkAuthentication, Server, ServerAuthorization, ServiceProfile,
    TrafficSplit,
};
pub mod lower;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod values;

pub use crate::lower::{CAPABILITIES, LinkerdBackend, LinkerdObject, Options};
pub mod lift;

pub use crate::lift::LinkerdLift;
pub mod analyze;
