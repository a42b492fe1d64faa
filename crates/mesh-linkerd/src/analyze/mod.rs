//! Static analysis of Linkerd objects: configuration this library may not
//! have written, read from manifests.
//!
//! [`analyze`] takes typed objects with where each came from ([`Source`])
//! and returns [`Diagnostic`]s with the `MW2xxx` codes of
//! [`mesh_model::analyze::Code`], located at a file, document and field.
//! Two families of checks ([`Check`]):
//!
//! - the admission rules of Linkerd's policy controller that neither the
//!   CRD schema nor the typed structs catch (policy targets, authentication
//!   references, identities, networks, overlapping Servers, route timeouts,
//!   rate limits, parent references);
//! - references between objects: policies, routes and authentications
//!   naming objects the input does not contain, Servers selecting port
//!   names no workload has, invalid default inbound policy annotations.
//!
//! What the input does not contain does not exist (as for the Istio
//! analyzers): give the cluster's context objects (Services, Pods,
//! Deployments) with the config, or choose the checks
//! ([`Options::checks`]).
//!
//! ```
//! use mesh_linkerd::analyze::{self, Options, Resource, Source};
//! use mesh_linkerd::LinkerdObject;
//! use mesh_linkerd::crds::{AuthorizationPolicy, AuthorizationPolicySpec, PolicyTarget};
//! use mesh_model::analyze::Code;
//!
//! let policy = AuthorizationPolicy::new("web", Some("shop"), AuthorizationPolicySpec {
//!     target_ref: PolicyTarget::Server("web-http".into()),
//!     required_authentication_refs: Vec::new(),
//! });
//! let input = vec![(Source::new("authz.yaml", 1),
//!                   Resource::from(LinkerdObject::from(policy)))];
//! let found = analyze::analyze(&input, &Options::default());
//! assert!(found.iter().any(|d| d.code == Code::LinkerdTargetNotFound));
//! ```
//!
//! ## Complexity
//!
//! The input is indexed once (objects by namespace and name, port names by
//! namespace, Servers by namespace and port); each check visits each object
//! once and looks things up, so analysis is near-linear in the number of
//! objects.

mod index;
mod rules;

#[cfg(test)]
mod tests;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use mesh_model::analyze::Diagnostic;
pub(crate) use mesh_model::analyze::manifest::Finding;
pub use mesh_model::analyze::manifest::Source;
use mesh_model::analyze::manifest::place;

use crate::LinkerdObject;

/// One input object: a Linkerd object, or a Kubernetes workload the
/// analyzers read as context.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // built once per input document
pub enum Resource {
    /// A Linkerd object (and the core and Gateway API objects
    /// [`LinkerdObject`] carries).
    Linkerd(LinkerdObject),
    /// A Pod: its container port names and annotations.
    Pod(Pod),
    /// A Deployment: its pod template stands for pods.
    Deployment(Deployment),
}

impl From<LinkerdObject> for Resource {
    fn from(o: LinkerdObject) -> Self {
        Resource::Linkerd(o)
    }
}

macro_rules! checks {
    ($($(#[$doc:meta])* $var:ident = $name:literal;)*) => {
        /// One analyzer. [`Options::checks`] chooses which run.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Check {
            $($(#[$doc])* $var,)*
        }

        impl Check {
            /// Every check.
            pub const ALL: &'static [Check] = &[$(Check::$var),*];

            /// A short name (`servers`).
            pub const fn name(self) -> &'static str {
                match self { $(Check::$var => $name,)* }
            }
        }
    };
}

checks! {
    /// Servers: overlapping Servers (webhook), port names no workload has.
    Servers = "servers";
    /// AuthorizationPolicy targets and authentication references
    /// (webhook), and the objects they name.
    AuthorizationPolicies = "authorization-policies";
    /// MeshTLSAuthentication identities, NetworkAuthentication and
    /// EgressNetwork networks (webhook).
    Authentications = "authentications";
    /// HTTPRoutes (Linkerd's and the Gateway API's): matches, timeouts,
    /// filters, backends, parents (webhook), and the parents they name.
    Routes = "routes";
    /// HTTPLocalRateLimitPolicy targets and limits (webhook), and the
    /// Servers they name.
    RateLimits = "rate-limits";
    /// `config.linkerd.io/default-inbound-policy` annotation values.
    DefaultPolicies = "default-policies";
}

/// What [`analyze`] runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The checks to run (default: all).
    pub checks: Vec<Check>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            checks: Check::ALL.to_vec(),
        }
    }
}

impl Options {
    /// Only these checks.
    pub fn only(checks: &[Check]) -> Self {
        Options {
            checks: checks.to_vec(),
        }
    }
}

/// Analyzes `resources`: every check of `options`, diagnostics in input
/// order (then check order), the same input always giving the same list.
/// References to what the input lacks are reported (see the [module
/// documentation](self)).
pub fn analyze(resources: &[(Source, Resource)], options: &Options) -> Vec<Diagnostic> {
    let ix = index::Index::new(resources);
    let mut findings = Vec::new();
    for check in &options.checks {
        match check {
            Check::Servers => rules::servers(&ix, &mut findings),
            Check::AuthorizationPolicies => rules::authorization_policies(&ix, &mut findings),
            Check::Authentications => rules::authentications(&ix, &mut findings),
            Check::Routes => rules::routes(&ix, &mut findings),
            Check::RateLimits => rules::rate_limits(&ix, &mut findings),
            Check::DefaultPolicies => rules::default_policies(&ix, &mut findings),
        }
    }
    place(resources, findings)
}
