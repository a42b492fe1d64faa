//! What every backend implements: the [`Backend`] trait, its capability
//! table, and the errors of lowering.

use std::fmt;

use crate::{FieldPath, Mesh, ValidationErrors};

/// A service mesh a backend targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MeshKind {
    /// Istio.
    Istio,
    /// Linkerd.
    Linkerd,
    /// Consul service mesh on Kubernetes.
    Consul,
}

impl MeshKind {
    /// Every mesh.
    pub const ALL: [MeshKind; 3] = [MeshKind::Istio, MeshKind::Linkerd, MeshKind::Consul];

    /// The mesh's name.
    pub fn name(self) -> &'static str {
        match self {
            MeshKind::Istio => "Istio",
            MeshKind::Linkerd => "Linkerd",
            MeshKind::Consul => "Consul",
        }
    }
}

impl fmt::Display for MeshKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Declares [`Feature`] with its group, name and model path.
macro_rules! features {
    ($($group:literal { $($variant:ident => $title:literal, $path:literal;)* })*) => {
        /// A feature of the model, as the capability tables and the README
        /// matrix list them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Feature {
            $($(
                #[doc = $title]
                #[doc = ""]
                #[doc = concat!("Model: `", $path, "`.")]
                $variant,
            )*)*
        }

        impl Feature {
            /// Every feature, in matrix order.
            pub const ALL: &'static [Feature] = &[$($(Feature::$variant,)*)*];

            /// A short title.
            pub fn title(self) -> &'static str {
                match self { $($(Feature::$variant => $title,)*)* }
            }

            /// The matrix group (`Traffic`, `Security`...).
            pub fn group(self) -> &'static str {
                match self { $($(Feature::$variant => $group,)*)* }
            }

            /// Where the feature lives in a policy file.
            pub fn model_path(self) -> &'static str {
                match self { $($(Feature::$variant => $path,)*)* }
            }
        }
    };
}

features! {
    "Traffic" {
        PathExact => "Path exact match", "routes[].match[].path.exact";
        PathPrefix => "Path prefix match (segments)", "routes[].match[].path.prefix";
        PathRegex => "Path regex match", "routes[].match[].path.regex";
        MethodMatch => "Method match", "routes[].match[].method";
        HeaderMatch => "Header match", "routes[].match[].headers";
        QueryMatch => "Query parameter match", "routes[].match[].query";
        WeightedSplit => "Weighted split", "routes[].forward.backends[].weight";
        VersionRouting => "Routing to versions", "routes[].forward.backends[].version";
        Unmatched => "Unmatched requests (service / version / 404)", "services[].unmatched";
        Mirror => "Mirroring", "routes[].forward.mirrors";
        Rewrite => "Path and host rewrite", "routes[].forward.rewrite";
        Redirect => "Redirect", "routes[].redirect";
        DirectResponse => "Direct response", "routes[].respond";
        HeaderEdits => "Request/response header edits", "routes[].requestHeaders";
        Timeout => "Request timeout", "routes[].forward.timeout";
        Retries => "Retries", "routes[].forward.retries";
        PerTryTimeout => "Per-try timeout", "routes[].forward.retries.perTryTimeout";
        FaultDelay => "Fault injection: delay", "routes[].forward.fault.delay";
        FaultAbort => "Fault injection: abort", "routes[].forward.fault.abort";
        ExportTo => "Config visibility (exportTo)", "services[].exportTo";
    }
    "Resilience" {
        ConnectionPool => "Connection pool limits", "resilience.connectionPool";
        OutlierDetection => "Outlier detection / failure accrual", "resilience.outlierDetection";
        LoadBalancer => "Load balancer choice", "resilience.loadBalancer";
        ConsistentHash => "Consistent hash (session affinity)", "resilience.loadBalancer.consistentHash";
        RateLimit => "Local rate limit", "resilience.rateLimit";
        RateLimitPerIdentity => "Per-client rate limits", "resilience.rateLimit.perIdentity";
        RetryBudget => "Retry budget", "resilience.retryBudget";
    }
    "Security" {
        MtlsStrict => "mTLS strict", "security.mtls.mode: strict";
        MtlsPermissive => "mTLS permissive", "security.mtls.mode: permissive";
        MtlsDisabled => "mTLS disabled", "security.mtls.mode: disabled";
        MtlsPortLevel => "Per-port mTLS", "security.mtls.overrides[].ports";
        DefaultDeny => "Deny by default", "security.defaultAction: deny";
        AuthzAllow => "Allow policies", "security.authorization[].action: allow";
        AuthzDeny => "Deny policies", "security.authorization[].action: deny";
        AuthzIpBlock => "Authorization by IP block", "security.authorization[].rules[].from[].ipBlock";
        AuthzL7 => "Authorization by method/path", "security.authorization[].rules[].to";
        AuthzCondition => "Authorization conditions (headers, claims)", "security.authorization[].rules[].when";
        Jwt => "JWT validation", "security.jwt";
    }
    "Edge" {
        Ingress => "Ingress gateway", "ingress";
        IngressTls => "Ingress TLS termination", "ingress[].listeners[].tls";
        IngressPassthrough => "Ingress TLS passthrough", "ingress[].listeners[].tls.mode: passthrough";
        Egress => "External services", "egress.services";
        TlsOrigination => "TLS origination", "egress.services[].tls";
        EgressPolicy => "Outbound policy (registry only)", "egress.policy";
    }
    "Observability" {
        Tracing => "Tracing", "observability.tracing";
        MetricsScrape => "Prometheus scraping", "observability.metrics.scrapeProxies";
        MetricTags => "Metric tag changes", "observability.metrics.tags";
        Alerts => "Golden-signal alerts", "observability.metrics.alerts";
        Dashboard => "Grafana dashboard", "observability.metrics.dashboard";
        AccessLogs => "Access logs", "observability.accessLogs";
    }
    "Installation" {
        Installation => "Control-plane installation", "installation";
        HighAvailability => "High availability", "installation.highAvailability";
        ExternalCa => "External certificate authority", "installation.certificateAuthority";
        Ambient => "Ambient data plane", "installation.dataPlane: ambient";
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// How well a mesh supports a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Support {
    /// The mesh has it; the lowering is direct.
    Native,
    /// The mesh can do it through a faithful rewrite, which the lowering
    /// performs and reports.
    Rewritten,
    /// Supported with a restriction stated in the note; the lowering
    /// returns `Unsupported` outside it.
    Partial,
    /// The mesh cannot do it; lowering returns `Unsupported`.
    Unsupported,
}

impl Support {
    /// A symbol for tables.
    pub fn symbol(self) -> &'static str {
        match self {
            Support::Native => "✅",
            Support::Rewritten => "🔁",
            Support::Partial => "◐",
            Support::Unsupported => "❌",
        }
    }
}

/// One row of a capability table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capability {
    /// The feature.
    pub feature: Feature,
    /// Its support.
    pub support: Support,
    /// What the mesh does, or why not, or the restriction.
    pub note: &'static str,
}

/// What a backend can express, as data: callers ask before they lower,
/// and the README's matrix is generated from it.
#[derive(Debug, Clone, Copy)]
pub struct CapabilityTable {
    /// The mesh.
    pub mesh: MeshKind,
    /// One row per feature.
    pub rows: &'static [Capability],
}

impl CapabilityTable {
    /// The row for a feature (features a table omits are unsupported).
    pub fn get(&self, feature: Feature) -> Capability {
        self.rows
            .iter()
            .find(|r| r.feature == feature)
            .copied()
            .unwrap_or(Capability {
                feature,
                support: Support::Unsupported,
                note: "not in this backend's table",
            })
    }

    /// Features missing from the table (for tests: a table must list every
    /// feature).
    pub fn missing(&self) -> Vec<Feature> {
        Feature::ALL
            .iter()
            .copied()
            .filter(|f| !self.rows.iter().any(|r| r.feature == *f))
            .collect()
    }
}

/// Why a model could not be lowered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LowerError {
    /// The model is not valid.
    #[error("the model is invalid: {0}")]
    Invalid(ValidationErrors),
    /// The mesh cannot express something the model says.
    #[error("{path}: {mesh} cannot express {feature}: {hint}")]
    Unsupported {
        /// The feature.
        feature: Feature,
        /// Where in the model.
        path: FieldPath,
        /// The mesh.
        mesh: MeshKind,
        /// What to do instead.
        hint: String,
    },
    /// An option conflicts with the model (say, a root namespace that is
    /// not a valid name).
    #[error("option {option}: {message}")]
    Option {
        /// The option.
        option: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Building the output failed (an object the backend made was
    /// rejected by the manifest set: a bug, reported rather than hidden).
    #[error("could not assemble the output: {0}")]
    Output(String),
}

/// Every reason a model could not be lowered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LowerErrors(pub Vec<LowerError>);

impl LowerErrors {
    /// Whether every error is `Unsupported` (the model is valid, the mesh
    /// cannot say all of it).
    pub fn all_unsupported(&self) -> bool {
        !self.0.is_empty()
            && self
                .0
                .iter()
                .all(|e| matches!(e, LowerError::Unsupported { .. }))
    }

    /// The errors.
    pub fn iter(&self) -> std::slice::Iter<'_, LowerError> {
        self.0.iter()
    }
}

impl fmt::Display for LowerErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LowerErrors {}

impl From<ValidationErrors> for LowerErrors {
    fn from(e: ValidationErrors) -> Self {
        LowerErrors(vec![LowerError::Invalid(e)])
    }
}

/// A mesh backend: lowers a valid [`Mesh`] into the mesh's typed objects.
pub trait Backend {
    /// What lowering produces (typed objects and a report of rewrites).
    type Output;

    /// The target mesh.
    fn mesh(&self) -> MeshKind;

    /// What the backend can express.
    fn capabilities(&self) -> &'static CapabilityTable;

    /// Validates `mesh`, then lowers it. Fails with every `Unsupported`
    /// feature (or the validation errors) and produces nothing partial.
    fn lower(&self, mesh: &Mesh) -> Result<Self::Output, LowerErrors>;
}
