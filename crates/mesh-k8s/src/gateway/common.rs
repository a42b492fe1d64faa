//! Types shared by several Gateway API kinds: references to other objects,
//! backends, header matches and modifiers, request mirroring, route status.

use std::num::{NonZeroU16, NonZeroU32};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use serde::{Deserialize, Serialize};

use super::GatewayApiError;
use super::de::{self, FilterList, Keyed};

// === References ===

/// A reference from a route to the object it attaches to: a `Gateway`
/// (ingress) or a `Service` (mesh, "GAMMA"). The referenced parent must
/// accept the route (a Gateway listener's `allowedRoutes`; for a Service,
/// producer routes live in the Service's namespace).
///
/// In a route's `parentRefs`, two references to the same parent must both
/// name a distinct `sectionName` (CEL rule, not checked by this type).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParentReference {
    /// API group of the parent. Default (absent): `gateway.networking.k8s.io`.
    /// A `Service` parent needs `""` (the core group) set explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the parent (`Gateway`, `Service`). Default: `Gateway`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the parent (1-253 characters).
    pub name: String,
    /// Namespace of the parent. Default: the route's namespace. A
    /// cross-namespace parent must allow the route (Gateway
    /// `allowedRoutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Port the route targets: for a Gateway, every listener on that port;
    /// for a Service, that service port. Default: all listeners / ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Section of the parent: a Gateway listener name or a Service port
    /// name. Default: the whole parent. A DNS-1123 subdomain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

impl ParentReference {
    /// A reference to the `Gateway` `name` in the route's namespace.
    pub fn gateway(name: impl Into<String>) -> Self {
        ParentReference {
            name: name.into(),
            ..ParentReference::default()
        }
    }

    /// A reference to the `Service` `name` in the route's namespace (a mesh
    /// route): `group: ""`, `kind: Service`.
    pub fn service(name: impl Into<String>) -> Self {
        ParentReference {
            group: Some(String::new()),
            kind: Some("Service".to_owned()),
            name: name.into(),
            ..ParentReference::default()
        }
    }

    /// The parent in another namespace.
    pub fn in_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// Only this section (listener name, Service port name) of the parent.
    pub fn section(mut self, section_name: impl Into<String>) -> Self {
        self.section_name = Some(section_name.into());
        self
    }

    /// Only this port of the parent.
    pub fn with_port(mut self, port: NonZeroU16) -> Self {
        self.port = Some(port);
        self
    }

    /// The group, with its default applied.
    pub fn effective_group(&self) -> &str {
        self.group.as_deref().unwrap_or(super::GROUP)
    }

    /// The kind, with its default applied.
    pub fn effective_kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("Gateway")
    }
}

/// Checks a backend reference: group and kind patterns, and a core
/// `Service` (the defaults) needs a port (the CRD rule "Must have port for
/// Service reference").
fn check_backend_port(
    group: Option<&str>,
    kind: Option<&str>,
    port: Option<NonZeroU16>,
) -> Result<(), GatewayApiError> {
    if let Some(g) = group
        && !de::is_group(g)
    {
        return Err(GatewayApiError::Field {
            field: "group",
            reason: format!("{g:?} is not an API group (empty or a DNS subdomain)"),
        });
    }
    if let Some(k) = kind
        && !de::is_kind(k)
    {
        return Err(GatewayApiError::Field {
            field: "kind",
            reason: format!("{k:?} is not a kind"),
        });
    }
    let core = group.is_none_or(str::is_empty);
    let service = kind.is_none_or(|k| k == "Service");
    if core && service && port.is_none() {
        return Err(GatewayApiError::Field {
            field: "port",
            reason: "Must have port for Service reference".to_owned(),
        });
    }
    Ok(())
}

/// A reference to a backend object (usually a `Service`), without weight
/// or filters: the target of a request mirror. A core `Service` reference
/// must have a `port` (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "BackendObjectReferenceRepr"
)]
pub struct BackendObjectReference {
    /// API group of the backend. Default: `""` (core).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the backend. Default: `Service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the backend.
    pub name: String,
    /// Namespace of the backend. Default: the route's namespace; another
    /// namespace needs a `ReferenceGrant` there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Destination port. Required when the backend is a core `Service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BackendObjectReferenceRepr {
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    port: Option<NonZeroU16>,
}

impl TryFrom<BackendObjectReferenceRepr> for BackendObjectReference {
    type Error = GatewayApiError;
    fn try_from(r: BackendObjectReferenceRepr) -> Result<Self, Self::Error> {
        check_backend_port(r.group.as_deref(), r.kind.as_deref(), r.port)?;
        Ok(BackendObjectReference {
            group: r.group,
            kind: r.kind,
            name: r.name,
            namespace: r.namespace,
            port: r.port,
        })
    }
}

impl BackendObjectReference {
    /// The `Service` `name` at `port`, in the route's namespace.
    pub fn service(name: impl Into<String>, port: NonZeroU16) -> Self {
        BackendObjectReference {
            name: name.into(),
            port: Some(port),
            ..BackendObjectReference::default()
        }
    }
}

/// A weighted backend of a route rule, with optional per-backend filters:
/// `F` is [`HttpRouteFilter`](super::HttpRouteFilter) for HTTP routes
/// ([`HttpBackendRef`](super::HttpBackendRef)) and
/// [`GrpcRouteFilter`](super::GrpcRouteFilter) for gRPC routes
/// ([`GrpcBackendRef`](super::GrpcBackendRef)). A core `Service` reference
/// must have a `port` (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "BackendRefRepr<F>"
)]
#[serde(bound(
    serialize = "F: Serialize",
    deserialize = "F: Deserialize<'de> + FilterList"
))]
pub struct BackendRef<F> {
    /// API group of the backend. Default: `""` (core).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the backend. Default: `Service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the backend.
    pub name: String,
    /// Namespace of the backend. Default: the route's namespace; another
    /// namespace needs a `ReferenceGrant` there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Destination port. Required when the backend is a core `Service`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<NonZeroU16>,
    /// Share of the rule's requests sent here: weight / sum of the rule's
    /// weights. Default: 1; 0 sends nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
    /// Filters applied only to requests sent to this backend
    /// (implementation-specific support). Max 16; same repetition rules as
    /// the rule's filters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<F>,
}

impl<F> Default for BackendRef<F> {
    fn default() -> Self {
        BackendRef {
            group: None,
            kind: None,
            name: String::new(),
            namespace: None,
            port: None,
            weight: None,
            filters: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[serde(bound(deserialize = "F: Deserialize<'de> + FilterList"))]
struct BackendRefRepr<F> {
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default)]
    port: Option<NonZeroU16>,
    #[serde(default)]
    weight: Option<Weight>,
    #[serde(default, deserialize_with = "de::filters")]
    filters: Vec<F>,
}

impl<F> TryFrom<BackendRefRepr<F>> for BackendRef<F> {
    type Error = GatewayApiError;
    fn try_from(r: BackendRefRepr<F>) -> Result<Self, Self::Error> {
        check_backend_port(r.group.as_deref(), r.kind.as_deref(), r.port)?;
        Ok(BackendRef {
            group: r.group,
            kind: r.kind,
            name: r.name,
            namespace: r.namespace,
            port: r.port,
            weight: r.weight,
            filters: r.filters,
        })
    }
}

impl<F> BackendRef<F> {
    /// The `Service` `name` at `port`, in the route's namespace, with the
    /// default weight.
    pub fn service(name: impl Into<String>, port: NonZeroU16) -> Self {
        BackendRef {
            name: name.into(),
            port: Some(port),
            ..BackendRef::default()
        }
    }

    /// The backend in another namespace (needs a `ReferenceGrant` there).
    pub fn in_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.namespace = Some(namespace.into());
        self
    }

    /// With this weight.
    pub fn with_weight(mut self, weight: Weight) -> Self {
        self.weight = Some(weight);
        self
    }

    /// With one more per-backend filter.
    pub fn with_filter(mut self, filter: F) -> Self {
        self.filters.push(filter);
        self
    }

    /// The weight, with its default (1) applied.
    pub fn effective_weight(&self) -> u32 {
        self.weight.map_or(1, Weight::get)
    }
}

/// A reference to a `Secret` (or an implementation-specific certificate
/// kind) holding a certificate and its key: listener certificates, the
/// gateway's client certificate towards backends.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretObjectReference {
    /// API group. Default: `""` (core).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind. Default: `Secret`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name of the object.
    pub name: String,
    /// Namespace. Default: the referencing object's; another namespace
    /// needs a `ReferenceGrant` there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

impl SecretObjectReference {
    /// The `Secret` `name` in the referencing object's namespace.
    pub fn secret(name: impl Into<String>) -> Self {
        SecretObjectReference {
            name: name.into(),
            ..SecretObjectReference::default()
        }
    }
}

/// A reference to an object by group, kind, name and optional namespace,
/// all but the namespace required: CA certificate bundles (`ConfigMap`),
/// a GatewayClass's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectReference {
    /// API group; `""` is the core group.
    pub group: String,
    /// Kind (`ConfigMap`).
    pub kind: String,
    /// Name of the object.
    pub name: String,
    /// Namespace. Default: the referencing object's (for cluster-scoped
    /// referrers, required when the referent is namespaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// A reference to an object in the same namespace, by group, kind and
/// name: filter extensions (`extensionRef`), a Gateway's infrastructure
/// parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalObjectReference {
    /// API group; `""` is the core group.
    pub group: String,
    /// Kind (`RouteTimeoutFilter`).
    pub kind: String,
    /// Name of the object.
    pub name: String,
}

/// A route kind: what a listener accepts (`allowedRoutes.kinds`) or
/// supports (`status.listeners[].supportedKinds`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteGroupKind {
    /// API group. Default: `gateway.networking.k8s.io`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind (`HTTPRoute`).
    pub kind: String,
}

// === Numbers with ranges ===

/// A backend weight, 0 to 1,000,000. Proportional, not a percentage: the
/// weights of a rule need not sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Weight(u32);

impl Weight {
    /// The largest weight.
    pub const MAX: u32 = 1_000_000;

    /// A weight, if `value` is at most 1,000,000.
    pub fn new(value: u32) -> Result<Self, GatewayApiError> {
        if value > Self::MAX {
            return Err(GatewayApiError::Field {
                field: "weight",
                reason: format!("{value} is greater than {}", Self::MAX),
            });
        }
        Ok(Weight(value))
    }

    /// The value.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for Weight {
    /// The CRD's default weight, 1.
    fn default() -> Self {
        Weight(1)
    }
}

impl TryFrom<u32> for Weight {
    type Error = GatewayApiError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Weight::new(value)
    }
}

impl From<Weight> for u32 {
    fn from(w: Weight) -> u32 {
        w.0
    }
}

/// A percentage, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct Percent(u8);

impl Percent {
    /// A percentage, if `value` is at most 100.
    pub fn new(value: u32) -> Result<Self, GatewayApiError> {
        u8::try_from(value)
            .ok()
            .filter(|v| *v <= 100)
            .map(Percent)
            .ok_or_else(|| GatewayApiError::Field {
                field: "percent",
                reason: format!("{value} is greater than 100"),
            })
    }

    /// The value.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u32> for Percent {
    type Error = GatewayApiError;
    fn try_from(value: u32) -> Result<Self, Self::Error> {
        Percent::new(value)
    }
}

impl From<Percent> for u32 {
    fn from(p: Percent) -> u32 {
        u32::from(p.0)
    }
}

/// A fraction `numerator / denominator` with numerator <= denominator
/// (checked when reading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "FractionRepr"
)]
pub struct Fraction {
    /// Numerator, at most the denominator.
    pub numerator: u32,
    /// Denominator. Default: 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denominator: Option<NonZeroU32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FractionRepr {
    numerator: u32,
    #[serde(default)]
    denominator: Option<NonZeroU32>,
}

impl TryFrom<FractionRepr> for Fraction {
    type Error = GatewayApiError;
    fn try_from(r: FractionRepr) -> Result<Self, Self::Error> {
        let denominator = r.denominator.map_or(100, NonZeroU32::get);
        if r.numerator > denominator {
            return Err(GatewayApiError::Field {
                field: "fraction",
                reason: "numerator must be less than or equal to denominator".to_owned(),
            });
        }
        Ok(Fraction {
            numerator: r.numerator,
            denominator: r.denominator,
        })
    }
}

// === Request mirroring ===

/// How many requests a [`RequestMirror`] copies: the schema's mutually
/// exclusive `percent` and `fraction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MirrorAmount {
    /// `percent`: this percentage of requests.
    Percent(Percent),
    /// `fraction`: this fraction of requests.
    Fraction(Fraction),
}

/// Mirrors requests to another backend; responses from the mirror are
/// ignored (Extended support).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "RequestMirrorRepr", into = "RequestMirrorRepr")]
pub struct RequestMirror {
    /// Where copies go. Another namespace needs a `ReferenceGrant` there.
    pub backend_ref: BackendObjectReference,
    /// Which share of requests is mirrored. Default (absent): all of them.
    pub amount: Option<MirrorAmount>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RequestMirrorRepr {
    backend_ref: BackendObjectReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    percent: Option<Percent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fraction: Option<Fraction>,
}

impl TryFrom<RequestMirrorRepr> for RequestMirror {
    type Error = GatewayApiError;
    fn try_from(r: RequestMirrorRepr) -> Result<Self, Self::Error> {
        let amount = match (r.percent, r.fraction) {
            (Some(_), Some(_)) => {
                return Err(GatewayApiError::Field {
                    field: "requestMirror",
                    reason: "Only one of percent or fraction may be specified".to_owned(),
                });
            }
            (Some(p), None) => Some(MirrorAmount::Percent(p)),
            (None, Some(f)) => Some(MirrorAmount::Fraction(f)),
            (None, None) => None,
        };
        Ok(RequestMirror {
            backend_ref: r.backend_ref,
            amount,
        })
    }
}

impl From<RequestMirror> for RequestMirrorRepr {
    fn from(m: RequestMirror) -> Self {
        let (percent, fraction) = match m.amount {
            Some(MirrorAmount::Percent(p)) => (Some(p), None),
            Some(MirrorAmount::Fraction(f)) => (None, Some(f)),
            None => (None, None),
        };
        RequestMirrorRepr {
            backend_ref: m.backend_ref,
            percent,
            fraction,
        }
    }
}

// === Headers ===

/// How a header or query parameter value is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum MatchType {
    /// Exact string match (Core support). The default.
    #[default]
    Exact,
    /// Regular expression, in the implementation's dialect
    /// (implementation-specific support).
    RegularExpression,
}

/// Matches a request header (HTTP and gRPC routes). Names are
/// case-insensitive in HTTP; a match's headers must have distinct names
/// (checked when reading, as exact strings like the API server does).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderMatch {
    /// Header name (RFC 7230 token characters, 1-256; no `:` pseudo-headers;
    /// checked when reading).
    #[serde(deserialize_with = "de::header_name")]
    pub name: String,
    /// How the value is compared. Default: `Exact`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchType>,
    /// The value to match (1-4096 characters).
    pub value: String,
}

impl HeaderMatch {
    /// Header `name` equal to `value`.
    pub fn exact(name: impl Into<String>, value: impl Into<String>) -> Self {
        HeaderMatch {
            name: name.into(),
            match_type: Some(MatchType::Exact),
            value: value.into(),
        }
    }

    /// Header `name` matching the regular expression `regex`.
    pub fn regex(name: impl Into<String>, regex: impl Into<String>) -> Self {
        HeaderMatch {
            name: name.into(),
            match_type: Some(MatchType::RegularExpression),
            value: regex.into(),
        }
    }
}

impl Keyed for HeaderMatch {
    const FIELD: &'static str = "headers";
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// An HTTP header name and value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name (RFC 7230 token characters, 1-256; checked when
    /// reading), case-insensitive.
    #[serde(deserialize_with = "de::header_name")]
    pub name: String,
    /// Header value (1-4096 characters).
    pub value: String,
}

impl HttpHeader {
    /// A header.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        HttpHeader {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl Keyed for HttpHeader {
    const FIELD: &'static str = "header modifier";
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// Modifies request or response headers: set (overwrite), add (append),
/// remove. Each list holds at most 16 distinct names (checked when
/// reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderModifier {
    /// Headers to overwrite (or add when absent).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub set: Vec<HttpHeader>,
    /// Headers to append to (`foo: a` + add `foo: b` gives `foo: a,b`).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub add: Vec<HttpHeader>,
    /// Header names to remove (case-insensitive).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub remove: Vec<String>,
}

impl HeaderModifier {
    /// An empty modifier.
    pub fn new() -> Self {
        HeaderModifier::default()
    }

    /// Also overwrite header `name` with `value`.
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set.push(HttpHeader::new(name, value));
        self
    }

    /// Also append `value` to header `name`.
    pub fn add(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.add.push(HttpHeader::new(name, value));
        self
    }

    /// Also remove header `name`.
    pub fn remove(mut self, name: impl Into<String>) -> Self {
        self.remove.push(name.into());
        self
    }
}

// === Route status ===

/// The observed state of a route (HTTPRoute, GRPCRoute): its status per
/// parent, written by each parent's controller.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteStatus {
    /// Status per parent this route attaches to (max 32). Empty: no
    /// controller has seen the route yet.
    pub parents: Vec<RouteParentStatus>,
}

/// A route's status with respect to one parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteParentStatus {
    /// The parent, as in the route's `parentRefs`.
    pub parent_ref: ParentReference,
    /// The controller that wrote this entry (`example.net/gateway-controller`,
    /// a GatewayClass `controllerName`).
    pub controller_name: String,
    /// Conditions (`Accepted`, `ResolvedRefs`, ...): 1 to 8, distinct types.
    #[serde(deserialize_with = "de::non_empty_unique")]
    pub conditions: Vec<Condition>,
}
