//! meshwright's Consul backend.
//!
//! [`crds`] holds the typed Consul CRDs (`consul.hashicorp.com/v1alpha1`
//! config entries: ServiceDefaults, ServiceResolver, ServiceRouter,
//! ServiceSplitter, ServiceIntentions, ProxyDefaults, Mesh, IngressGateway,
//! TerminatingGateway, ExportedServices, JWTProvider, SamenessGroup,
//! ControlPlaneRequestLimit; the API-gateway kinds GatewayClassConfig,
//! GatewayPolicy, RouteAuthFilter, RouteRetryFilter, RouteTimeoutFilter,
//! RouteExtProc, RouteTLSSDSFilter, MeshService; and PeeringAcceptor,
//! PeeringDialer, Registration, RateLimit). Each kind is a
//! `mesh_k8s::Object<...Spec>`, re-exported here.
//!
//! ## Guide
//!
//! Build or read a [`mesh_model::Mesh`], lower it with
//! [`lower::ConsulBackend`] (its [`lower::Options`] pick the Consul
//! namespace of global entries, the ingress flavor, ...), and write the
//! typed config entries out. Versions become ServiceResolver subsets, weighted
//! splits a ServiceSplitter with exact percentages behind a ServiceRouter,
//! authorization ServiceIntentions with a default deny. What Consul cannot
//! express comes back as `LowerError::Unsupported` with the model's field
//! path; ask [`lower::CAPABILITIES`] before lowering.
//!
//! ```
//! use mesh_model::{
//!     AuthorizationPolicyBuilder, AuthzRuleBuilder, Backend, BackendRef, ForwardBuilder, Identity,
//!     MeshBuilder, Name, Port, Protocol, RouteBuilder, Scope, ServiceBuilder, ServicePortBuilder,
//!     Source, VersionBuilder,
//! };
//! use mesh_consul::lower::{ConsulBackend, ConsulObject};
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
//! let mut lowered = ConsulBackend::default().lower(&mesh)?;
//! let kinds: Vec<&str> = lowered.manifests.iter().map(Manifest::kind).collect();
//! for kind in ["ServiceDefaults", "ServiceResolver", "ServiceRouter", "ServiceSplitter", "ServiceIntentions"] {
//!     assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
//! }
//!
//! // The canary: a splitter with exact percentages over the resolver's subsets.
//! let splitter = lowered
//!     .manifests
//!     .iter()
//!     .find_map(|o| match o {
//!         ConsulObject::ServiceSplitter(s) => Some(s),
//!         _ => None,
//!     })
//!     .ok_or("no ServiceSplitter")?;
//! let split: Vec<(Option<&str>, f64)> = splitter
//!     .spec
//!     .splits
//!     .iter()
//!     .map(|s| (s.service_subset.as_deref(), s.weight))
//!     .collect();
//! assert_eq!(split, [(Some("v1"), 90.0), (Some("v2"), 10.0)]);
//!
//! // Only `web` may call `api`.
//! let intentions = lowered
//!     .manifests
//!     .iter()
//!     .find_map(|o| match o {
//!         ConsulObject::ServiceIntentions(i) if i.name() == "api" => Some(i),
//!         _ => None,
//!     })
//!     .ok_or("no ServiceIntentions for api")?;
//! let json = serde_json::to_value(intentions)?;
//! assert_eq!(json["spec"]["sources"][0]["name"], "web");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod crds;

pub use crds::{
    ControlPlaneRequestLimit, ExportedServices, GatewayClassConfig, GatewayPolicy, IngressGateway,
    JwtProvider, Mesh, MeshService, PeeringAcceptor, PeeringDialer, ProxyDefaults, RateLimit,
    Registration, RouteAuthFilter, RouteExtProc, RouteRetryFilter, RouteTimeoutFilter,
    RouteTlsSdsFilter, SamenessGroup, ServiceDefaults, ServiceIntentions, ServiceResolver,
    ServiceRouter, ServiceSplitter, TerminatingGateway,
};

pub mod lower;

pub mod lift;

pub use crate::lift::ConsulLift;

pub mod analyze;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod values;
