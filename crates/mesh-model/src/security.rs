//! Security: mutual TLS, authorization, JWT. Secure by default: a mesh that
//! says nothing gets strict mTLS everywhere and denies any request no
//! policy allows.

use std::collections::BTreeMap;

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::{
    BuildError, HeaderName, Identity, IpBlock, Labels, Method, Name, PathMatch, Port, ServiceRef,
};

/// Whether workloads accept plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum MtlsMode {
    /// Only mutual TLS from meshed clients (the default).
    #[default]
    Strict,
    /// Mutual TLS and plaintext (for migration: clients not yet meshed).
    Permissive,
    /// Plaintext only (most meshes cannot do this: meshed pods always use
    /// mTLS in Linkerd and Consul).
    Disabled,
}

/// Pods chosen by labels in a namespace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct WorkloadSelector {
    /// The namespace.
    pub namespace: Name,
    /// The pods' labels (all must match).
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<crate::LabelKey, crate::LabelValue>")
    )]
    pub labels: Labels,
}

/// What a policy applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    /// Every workload in the mesh.
    Mesh,
    /// Every workload in a namespace.
    Namespace(Name),
    /// The workloads of a service of the model.
    Service(ServiceRef),
    /// Pods chosen by labels (workloads that are not services of the model).
    Workload(WorkloadSelector),
}

/// An mTLS mode for part of the mesh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct MtlsOverride {
    /// Where it applies: a namespace, a service or a workload (not the
    /// mesh: that is `security.mtls.mode`).
    pub scope: Scope,
    /// The mode there; by default the mode of the enclosing scope (useful
    /// with `ports` alone).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<MtlsMode>,
    /// Modes for single ports (service and workload scopes only). Keys are
    /// port numbers: `8080: permissive` in YAML, `"8080"` in JSON (both read).
    #[builder(default)]
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::value::port_keys"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::port_map::<MtlsMode>")
    )]
    pub ports: BTreeMap<Port, MtlsMode>,
}

/// Mutual TLS settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Mtls {
    /// The mesh-wide mode (default strict).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub mode: MtlsMode,
    /// Other modes for namespaces, services, workloads and ports. The most
    /// specific scope wins: port, then workload/service, then namespace.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<MtlsOverride>,
}

impl Check for Mtls {
    fn check(&self, c: &mut Checker) {
        c.at("overrides", |c| {
            for (i, o) in self.overrides.iter().enumerate() {
                c.idx(i, |c| {
                    if o.scope == Scope::Mesh {
                        c.error_at(
                            "scope",
                            Problem::NotAllowed { what: "scope mesh", hint: "set the mesh-wide mode in `security.mtls.mode`" },
                        );
                    }
                    if !o.ports.is_empty() && matches!(o.scope, Scope::Mesh | Scope::Namespace(_)) {
                        c.error_at(
                            "ports",
                            Problem::NotAllowed {
                                what: "port-level modes on a namespace",
                                hint: "meshes scope port-level mTLS to selected workloads; use a service or workload scope",
                            },
                        );
                    }
                    if o.mode.is_none() && o.ports.is_empty() {
                        c.error(Problem::Empty { what: "an override (set `mode`, `ports` or both)" });
                    }
                    if let Some(j) = self.overrides[..i].iter().position(|p| p.scope == o.scope) {
                        c.error_at(
                            "scope",
                            Problem::Duplicate {
                                what: "mTLS override scope",
                                name: format!("{:?}", o.scope),
                                first: crate::FieldPath::new(format!("security.mtls.overrides[{j}]")),
                            },
                        );
                    }
                });
            }
        });
    }
}

/// What requests get when no policy decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum DefaultAction {
    /// Deny (the default: zero trust).
    #[default]
    Deny,
    /// Allow.
    Allow,
}

/// Whether a policy allows or denies what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum AuthzAction {
    /// Allow matching requests.
    #[default]
    Allow,
    /// Deny matching requests; a matching deny always wins over an allow.
    Deny,
}

/// Who a request comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Source {
    /// A workload identity (mTLS peer).
    Identity(Identity),
    /// Any meshed workload in a namespace.
    Namespace(Name),
    /// Client IP addresses.
    IpBlock(IpBlock),
    /// A request carrying a valid JWT from `issuer` (with subject
    /// `subject`, or any).
    JwtPrincipal {
        /// The token's `iss`.
        issuer: String,
        /// The token's `sub`; any when unset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
    },
    /// Any authenticated (mTLS) workload.
    Authenticated,
    /// Anyone, including plaintext clients.
    Any,
}

/// What a request asks for: every field set must match (AND); values
/// within a field are alternatives (OR). Empty fields match anything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Operation {
    /// Methods.
    #[builder(setter(each(name = "method")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<Method>,
    /// Paths (prefix matches whole segments, as in routes).
    #[builder(setter(each(name = "path")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<PathMatch>,
    /// Destination ports.
    #[builder(setter(each(name = "port")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<Port>,
}

impl Operation {
    /// Whether it uses HTTP attributes (methods or paths).
    pub fn is_l7(&self) -> bool {
        !self.methods.is_empty() || !self.paths.is_empty()
    }
}

/// A further condition on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Condition {
    /// A request header has one of these values.
    Header {
        /// The header.
        name: HeaderName,
        /// Accepted values.
        values: Vec<String>,
    },
    /// A claim of the request's JWT has one of these values (`groups`,
    /// or a nested claim as `a.b`).
    JwtClaim {
        /// The claim.
        claim: String,
        /// Accepted values.
        values: Vec<String>,
    },
}

/// One rule of a policy: matches when a source in `from` (any if empty),
/// an operation in `to` (any if empty) and every condition in `when` match.
/// A rule with nothing in it matches every request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct AuthzRule {
    /// Sources (OR).
    #[builder(setter(each(name = "source")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<Source>,
    /// Operations (OR).
    #[builder(setter(each(name = "operation")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<Operation>,
    /// Conditions (AND).
    #[builder(setter(each(name = "condition")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

impl AuthzRule {
    /// Whether the rule uses HTTP attributes (methods, paths, headers, JWT).
    pub fn is_l7(&self) -> bool {
        self.to.iter().any(Operation::is_l7)
            || !self.when.is_empty()
            || self
                .from
                .iter()
                .any(|s| matches!(s, Source::JwtPrincipal { .. }))
    }
}

impl Check for AuthzRule {
    fn check(&self, c: &mut Checker) {
        c.at("when", |c| {
            for (i, cond) in self.when.iter().enumerate() {
                let empty = match cond {
                    Condition::Header { values, .. } | Condition::JwtClaim { values, .. } => {
                        values.is_empty()
                    }
                };
                if empty {
                    c.idx(i, |c| {
                        c.error(Problem::Empty {
                            what: "a condition's values",
                        })
                    });
                }
            }
        });
    }
}

/// An authorization policy.
///
/// Semantics (fixed by the model, made exact by each backend or refused):
/// a matching `deny` always wins; a workload that any `allow` policy
/// applies to accepts only what some `allow` rule matches; a workload no
/// policy applies to gets `security.defaultAction`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct AuthorizationPolicy {
    /// The policy's name (unique per scope).
    pub name: Name,
    /// What it applies to.
    pub scope: Scope,
    /// Allow (default) or deny.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub action: AuthzAction,
    /// Rules (OR). At least one: to allow everything, write one empty rule
    /// `{}`; to deny everything by default, set `security.defaultAction`.
    #[builder(setter(each(name = "rule")))]
    pub rules: Vec<AuthzRule>,
}

impl Check for AuthorizationPolicy {
    fn check(&self, c: &mut Checker) {
        if self.rules.is_empty() {
            c.error_at(
                "rules",
                Problem::Empty {
                    what: "rules (write `[{}]` to match every request)",
                },
            );
        }
        c.each("rules", &self.rules);
    }
}

/// Where a JWT provider's keys come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Jwks {
    /// Fetched from this HTTPS URL.
    Uri(String),
    /// This JSON Web Key Set.
    Inline(String),
}

/// A JWT issuer whose tokens the mesh validates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct JwtProvider {
    /// A name for the provider.
    pub name: Name,
    /// The issuer (`iss` claim).
    pub issuer: String,
    /// Its keys.
    pub jwks: Jwks,
    /// Accepted audiences (`aud`); any when empty.
    #[builder(default, setter(each(name = "audience")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
    /// Where tokens are validated; by default the whole mesh. Requests
    /// without a token are not rejected by validation alone: require a
    /// principal in an authorization policy.
    #[builder(default, setter(each(name = "scope")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// Pass the token on to the application.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub forward: bool,
}

impl Check for JwtProvider {
    fn check(&self, c: &mut Checker) {
        if self.issuer.is_empty() {
            c.error_at("issuer", Problem::Empty { what: "issuer" });
        }
        if let Jwks::Uri(u) = &self.jwks
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            c.at("jwks", |c| {
                c.error_at(
                    "uri",
                    Problem::NotAllowed {
                        what: "a JWKS URI without http(s)://",
                        hint: "write the full URL",
                    },
                )
            });
        }
    }
}

/// Security settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Security {
    /// Mutual TLS (default strict everywhere).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub mtls: Mtls,
    /// What requests no policy decides get (default deny).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub default_action: DefaultAction,
    /// Authorization policies.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorization: Vec<AuthorizationPolicy>,
    /// JWT providers.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jwt: Vec<JwtProvider>,
}

impl Check for Security {
    fn check(&self, c: &mut Checker) {
        c.at("mtls", |c| self.mtls.check(c));
        c.each("authorization", &self.authorization);
        c.each("jwt", &self.jwt);
    }
}

impl Check for Operation {
    fn check(&self, _c: &mut Checker) {}
}

checked_builder!(
    AuthorizationPolicy => AuthorizationPolicyBuilder,
    AuthzRule => AuthzRuleBuilder,
    Operation => OperationBuilder,
    JwtProvider => JwtProviderBuilder,
);

crate::error::plain_builder!(WorkloadSelector => WorkloadSelectorBuilder, MtlsOverride => MtlsOverrideBuilder);
crate::error::checked_builder!(Mtls => MtlsBuilder, Security => SecurityBuilder);
