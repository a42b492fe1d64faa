//! ServiceIntentions: which services may call a destination (L4), and on
//! which HTTP requests (L7 permissions, JWT).

use serde::{Deserialize, Serialize};

use super::common::{
    HeaderCondition, HeaderConditionParts, HttpMethod, JwtRequirement, PathMatch, SpecError, Status,
};

/// The desired state of a service-intentions config entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceIntentionsSpec {
    /// The service the intentions authorize callers of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<IntentionDestination>,
    /// The callers and what they may do; order does not matter (Consul
    /// sorts by precedence).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<IntentionSource>,
    /// JWT every incoming request must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtRequirement>,
}

/// ServiceIntentions: authorization for calls to one service.
pub type ServiceIntentions = mesh_k8s::Object<ServiceIntentionsSpec>;

super::consul_kind!(
    ServiceIntentionsSpec,
    "ServiceIntentions",
    "serviceintentions",
    Security,
    NamespaceResourceScope,
    Status
);

/// The destination of a set of intentions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntentionDestination {
    /// Service name, or `*` for every service without its own intentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Consul namespace, or `*` (Enterprise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Allow or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntentionAction {
    /// Allow matching traffic.
    Allow,
    /// Deny matching traffic.
    Deny,
}

/// A caller and its authorization: an L4 action or L7 permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "IntentionSourceRepr", into = "IntentionSourceRepr")]
pub struct IntentionSource {
    /// Calling Consul service (need not be registered), or `*`.
    pub name: String,
    /// Namespace of `name`.
    pub namespace: Option<String>,
    /// Admin partition of `name`.
    pub partition: Option<String>,
    /// Cluster peer of `name`.
    pub peer: Option<String>,
    /// Sameness group of `name`.
    pub sameness_group: Option<String>,
    /// Free text shown in API responses; not used by Consul.
    pub description: Option<String>,
    /// What the caller may do.
    pub rule: SourceRule,
}

/// The authorization of a source: on the wire either `action` (L4) or
/// `permissions` (L7), never both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRule {
    /// L4: allow or deny every connection.
    Action(IntentionAction),
    /// L7: the first matching permission decides; unmatched requests fall
    /// back to the default (ACL default policy). Needs an HTTP-family
    /// protocol on the destination.
    Permissions(Vec<IntentionPermission>),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IntentionSourceRepr {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    partition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    peer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sameness_group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<IntentionAction>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    permissions: Vec<IntentionPermission>,
}

impl TryFrom<IntentionSourceRepr> for IntentionSource {
    type Error = SpecError;
    fn try_from(r: IntentionSourceRepr) -> Result<Self, SpecError> {
        const CONTEXT: &str = "sources[]";
        let rule = match (r.action, r.permissions.is_empty()) {
            (Some(a), true) => SourceRule::Action(a),
            (None, false) => SourceRule::Permissions(r.permissions),
            _ => {
                return Err(SpecError::ExactlyOne {
                    context: CONTEXT,
                    fields: "action, permissions",
                });
            }
        };
        Ok(IntentionSource {
            name: r.name,
            namespace: r.namespace,
            partition: r.partition,
            peer: r.peer,
            sameness_group: r.sameness_group,
            description: r.description,
            rule,
        })
    }
}

impl From<IntentionSource> for IntentionSourceRepr {
    fn from(s: IntentionSource) -> Self {
        let (action, permissions) = match s.rule {
            SourceRule::Action(a) => (Some(a), Vec::new()),
            SourceRule::Permissions(p) => (None, p),
        };
        IntentionSourceRepr {
            name: s.name,
            namespace: s.namespace,
            partition: s.partition,
            peer: s.peer,
            sameness_group: s.sameness_group,
            description: s.description,
            action,
            permissions,
        }
    }
}

/// An L7 permission: an action for requests matching HTTP criteria and/or
/// carrying a valid JWT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntentionPermission {
    /// What to do with matching requests.
    pub action: IntentionAction,
    /// HTTP criteria.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<IntentionHttpMatch>,
    /// JWT the request must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtRequirement>,
}

/// HTTP criteria of a permission; all present criteria must match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "IntentionHttpMatchRepr", into = "IntentionHttpMatchRepr")]
pub struct IntentionHttpMatch {
    /// Path match (`pathExact`/`pathPrefix`/`pathRegex`, at most one).
    pub path: Option<PathMatch>,
    /// Header criteria, all must match.
    pub header: Vec<IntentionHeaderMatch>,
    /// Methods matched (default: all).
    pub methods: Vec<HttpMethod>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IntentionHttpMatchRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path_regex: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    header: Vec<IntentionHeaderMatch>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    methods: Vec<HttpMethod>,
}

impl TryFrom<IntentionHttpMatchRepr> for IntentionHttpMatch {
    type Error = SpecError;
    fn try_from(r: IntentionHttpMatchRepr) -> Result<Self, SpecError> {
        Ok(IntentionHttpMatch {
            path: PathMatch::from_parts(
                r.path_exact,
                r.path_prefix,
                r.path_regex,
                "permissions[].http",
            )?,
            header: r.header,
            methods: r.methods,
        })
    }
}

impl From<IntentionHttpMatch> for IntentionHttpMatchRepr {
    fn from(m: IntentionHttpMatch) -> Self {
        let (path_exact, path_prefix, path_regex) = PathMatch::into_parts(m.path);
        IntentionHttpMatchRepr {
            path_exact,
            path_prefix,
            path_regex,
            header: m.header,
            methods: m.methods,
        }
    }
}

/// A condition on a request header in a permission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "IntentionHeaderMatchRepr",
    into = "IntentionHeaderMatchRepr"
)]
pub struct IntentionHeaderMatch {
    /// Header name.
    pub name: String,
    /// The condition on its value.
    pub condition: HeaderCondition,
    /// Invert the result.
    pub invert: Option<bool>,
    /// Compare case-insensitively (exact, prefix, suffix, contains).
    pub ignore_case: Option<bool>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IntentionHeaderMatchRepr {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    present: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suffix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contains: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invert: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ignore_case: Option<bool>,
}

impl TryFrom<IntentionHeaderMatchRepr> for IntentionHeaderMatch {
    type Error = SpecError;
    fn try_from(r: IntentionHeaderMatchRepr) -> Result<Self, SpecError> {
        let parts = HeaderConditionParts {
            present: r.present,
            exact: r.exact,
            prefix: r.prefix,
            suffix: r.suffix,
            contains: r.contains,
            regex: r.regex,
        };
        Ok(IntentionHeaderMatch {
            name: r.name,
            condition: HeaderCondition::from_parts(
                parts,
                "permissions[].http.header[]",
                "present, exact, prefix, suffix, contains, regex",
            )?,
            invert: r.invert,
            ignore_case: r.ignore_case,
        })
    }
}

impl From<IntentionHeaderMatch> for IntentionHeaderMatchRepr {
    fn from(m: IntentionHeaderMatch) -> Self {
        let p = m.condition.into_parts();
        IntentionHeaderMatchRepr {
            name: m.name,
            present: p.present,
            exact: p.exact,
            prefix: p.prefix,
            suffix: p.suffix,
            contains: p.contains,
            regex: p.regex,
            invert: m.invert,
            ignore_case: m.ignore_case,
        }
    }
}
