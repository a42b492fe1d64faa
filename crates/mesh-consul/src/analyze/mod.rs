//! Static analysis of Consul config entries: configuration this library
//! may not have written, read from manifests.
//!
//! [`analyze`] takes typed objects with where each came from ([`Source`])
//! and returns [`Diagnostic`]s with the `MW3xxx` codes of
//! [`mesh_model::analyze::Code`], located at a file, document and field.
//! Two families of checks ([`Check`]):
//!
//! - consul-k8s `Validate` rules and the Consul server's config-entry
//!   validation that neither the CRD schema nor the typed structs catch
//!   (entry names, ServiceDefaults upstreams and destinations, resolver
//!   subsets and load balancing, router path matches, split weights,
//!   intention sources, gateway listeners, JWT providers);
//! - references between entries: routers and splitters for services whose
//!   protocol is `tcp`, subsets no resolver defines.
//!
//! Config entries are matched by service name: consul-k8s without
//! namespace mirroring (Consul CE) puts every entry in Consul's `default`
//! namespace whatever its Kubernetes namespace. What the input does not
//! contain does not exist: a subset named while the input has no resolver
//! for the service is reported.
//!
//! ```
//! use mesh_consul::analyze::{self, Options, Resource, Source};
//! use mesh_consul::crds::{ServiceSplitter, ServiceSplitterSpec, Split};
//! use mesh_consul::lower::ConsulObject;
//! use mesh_model::analyze::Code;
//!
//! let split = |weight: f64| Split { weight, ..Split::default() };
//! let splitter = ServiceSplitter::new("web", Some("shop"), ServiceSplitterSpec {
//!     splits: vec![split(90.0), split(20.0)],
//! });
//! let input = vec![(Source::new("split.yaml", 1),
//!                   Resource::from(ConsulObject::from(splitter)))];
//! let found = analyze::analyze(&input, &Options::default());
//! assert!(found.iter().any(|d| d.code == Code::ConsulSplitInvalid));
//! ```
//!
//! ## Complexity
//!
//! The input is indexed once (resolvers' subsets and services' protocols
//! by service name); each check visits each entry once and looks things
//! up, so analysis is near-linear in the number of entries.

mod rules;

#[cfg(test)]
mod tests;

use mesh_model::analyze::Diagnostic;
pub(crate) use mesh_model::analyze::manifest::Finding;
pub use mesh_model::analyze::manifest::Source;
use mesh_model::analyze::manifest::place;

use crate::lower::ConsulObject;

/// One input object: a Consul config entry (or another object
/// [`ConsulObject`] carries; the checks read config entries only).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Resource {
    /// A Consul object.
    Consul(ConsulObject),
}

impl From<ConsulObject> for Resource {
    fn from(o: ConsulObject) -> Self {
        Resource::Consul(o)
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

            /// A short name (`splitters`).
            pub const fn name(self) -> &'static str {
                match self { $(Check::$var => $name,)* }
            }
        }
    };
}

checks! {
    /// Entry names (ProxyDefaults `global`, Mesh `mesh`).
    EntryNames = "entry-names";
    /// ServiceDefaults upstream overrides and destinations.
    ServiceDefaults = "service-defaults";
    /// ServiceResolver subsets, redirect/failover, load balancing,
    /// timeouts.
    Resolvers = "resolvers";
    /// ServiceRouter path matches, rewrites, timeouts.
    Routers = "routers";
    /// ServiceSplitter weights.
    Splitters = "splitters";
    /// ServiceIntentions destinations, sources, permissions.
    Intentions = "intentions";
    /// IngressGateway and TerminatingGateway listeners and services.
    Gateways = "gateways";
    /// JWTProvider key sets and locations.
    JwtProviders = "jwt-providers";
    /// Routers and splitters for TCP services.
    L7Protocols = "l7-protocols";
    /// Subsets named by routers, splitters and resolvers against the
    /// resolvers that define them.
    Subsets = "subsets";
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
    let ix = rules::Index::new(resources);
    let mut findings = Vec::new();
    for check in &options.checks {
        let run = match check {
            Check::EntryNames => rules::entry_names,
            Check::ServiceDefaults => rules::service_defaults,
            Check::Resolvers => rules::resolvers,
            Check::Routers => rules::routers,
            Check::Splitters => rules::splitters,
            Check::Intentions => rules::intentions,
            Check::Gateways => rules::gateways,
            Check::JwtProviders => rules::jwt_providers,
            Check::L7Protocols => rules::l7_protocols,
            Check::Subsets => rules::subsets,
        };
        run(&ix, &mut findings);
    }
    place(resources, findings)
}
