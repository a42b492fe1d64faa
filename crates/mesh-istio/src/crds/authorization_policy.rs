//! `AuthorizationPolicy` (security.istio.io): access control on
//! workloads: allow, deny, audit or delegate (`CUSTOM`) requests that
//! match rules on the source, the operation and conditions.

use serde::{Deserialize, Serialize};

use super::common::{
    IstioStatus, PolicySelector, PolicyTarget, TargetRef, checked_struct, wire_enum,
};

/// The spec of an `AuthorizationPolicy`.
///
/// Semantics of `rules`: absent (`None`) matches nothing (an `ALLOW`
/// policy without rules denies everything), while `Some(vec![Rule::default()])`
/// (`rules: [{}]`) matches every request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(try_from = "AuthorizationPolicyRepr")]
pub struct AuthorizationPolicySpec {
    /// What the policy applies to. Default: every workload in the
    /// namespace (the mesh in the root namespace).
    pub target: Option<PolicyTarget>,
    /// What to do with matching requests. Default: `ALLOW`.
    pub action: Option<AuthorizationAction>,
    /// The rules (at most 512), ORed. See the type's docs for `None` vs
    /// empty.
    pub rules: Option<Vec<Rule>>,
}

impl mesh_k8s::Kind for AuthorizationPolicySpec {
    const GROUP: &'static str = "security.istio.io";
    const KIND: &'static str = "AuthorizationPolicy";
    const PLURAL: &'static str = "authorizationpolicies";
    const VERSIONS: &'static [&'static str] = super::SECURITY_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::SECURITY_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Security;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `AuthorizationPolicy`.
pub type AuthorizationPolicy = mesh_k8s::Object<AuthorizationPolicySpec>;

/// What an authorization policy does with matching requests. `DENY` is
/// evaluated before `ALLOW`; `CUSTOM` (an external authorizer) before
/// both; `AUDIT` only logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizationAction {
    /// Allow matching requests (and deny others, once any ALLOW policy
    /// applies to the workload).
    Allow,
    /// Deny matching requests.
    Deny,
    /// Audit matching requests (needs an audit-capable plugin).
    Audit,
    /// Ask this extension provider (`meshConfig.extensionProviders`).
    Custom(ExtensionProvider),
}

wire_enum!(
    /// The wire values of `action`.
    ActionName {
        /// `ALLOW`.
        Allow = "ALLOW",
        /// `DENY`.
        Deny = "DENY",
        /// `AUDIT`.
        Audit = "AUDIT",
        /// `CUSTOM`.
        Custom = "CUSTOM",
    }
);

/// The extension provider of a `CUSTOM` policy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtensionProvider {
    /// The provider's name in the mesh config.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A rule: a request matches when it matches any `from`, any `to` and
/// every `when` (an absent field matches everything).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// Sources (at most 512), ORed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<RuleFrom>,
    /// Operations, ORed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<RuleTo>,
    /// Conditions, ANDed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<Condition>,
}

/// A `from` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleFrom {
    /// The source.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub source: Option<Source>,
}

/// The source of a request; fields are ANDed, values within a field
/// ORed, `not*` fields negated. `serviceAccounts` cannot be combined with
/// `principals` or `namespaces` (or their negations).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    /// Peer identities (`cluster.local/ns/default/sa/productpage`;
    /// `*`-prefix/suffix allowed). Needs mTLS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// Negated `principals`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_principals: Vec<String>,
    /// JWT identities (`iss/sub`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub request_principals: Vec<String>,
    /// Negated `requestPrincipals`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_request_principals: Vec<String>,
    /// Namespaces of the peer. Needs mTLS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    /// Negated `namespaces`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_namespaces: Vec<String>,
    /// Service accounts (`ns/name`, at most 16), in the policy's trust
    /// domain. Needs mTLS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_accounts: Vec<String>,
    /// Negated `serviceAccounts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_service_accounts: Vec<String>,
    /// Peer IPs or CIDRs (the TCP connection's source).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_blocks: Vec<String>,
    /// Negated `ipBlocks`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ip_blocks: Vec<String>,
    /// Original client IPs or CIDRs (`X-Forwarded-For`, PROXY protocol).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remote_ip_blocks: Vec<String>,
    /// Negated `remoteIpBlocks`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_remote_ip_blocks: Vec<String>,
    /// Trust domains of the peer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trust_domains: Vec<String>,
    /// Negated `trustDomains`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_trust_domains: Vec<String>,
}

checked_struct!(Source, |s| {
    let accounts = !s.service_accounts.is_empty() || !s.not_service_accounts.is_empty();
    let others = !s.principals.is_empty()
        || !s.not_principals.is_empty()
        || !s.namespaces.is_empty()
        || !s.not_namespaces.is_empty();
    if accounts && others {
        return Err("Cannot set serviceAccounts with namespaces or principals".into());
    }
    if s.service_accounts.len() > 16
        || s.not_service_accounts.len() > 16
        || s.service_accounts
            .iter()
            .chain(&s.not_service_accounts)
            .any(|a| a.chars().count() > 320)
    {
        return Err("serviceAccounts: at most 16 items of at most 320 characters".into());
    }
    Ok(())
});

/// A `to` entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuleTo {
    /// The operation.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub operation: Option<Operation>,
}

/// The operation of a request; fields ANDed, values ORed, `not*` negated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Operation {
    /// Hosts (`Host` header, case-insensitive; `*`-prefix/suffix allowed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Negated `hosts`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_hosts: Vec<String>,
    /// Destination ports, as strings (`"8080"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<String>,
    /// Negated `ports`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_ports: Vec<String>,
    /// HTTP methods (gRPC: always `POST`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// Negated `methods`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_methods: Vec<String>,
    /// Paths (`/api/*`; `{*}`/`{**}` templates allowed), normalized per
    /// the mesh's path normalization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Negated `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_paths: Vec<String>,
}

/// A condition on an Istio attribute (`request.auth.claims[iss]`,
/// `source.ip`, `request.headers[x-token]`...).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// The attribute (required).
    pub key: String,
    /// Values that match, ORed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Values that do not match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_values: Vec<String>,
}

#[derive(Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AuthorizationPolicyRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    selector: Option<PolicySelector>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_ref: Option<TargetRef>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_refs: Option<Vec<TargetRef>>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    rules: Option<Vec<Rule>>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    action: Option<ActionName>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    provider: Option<ExtensionProvider>,
}

impl TryFrom<AuthorizationPolicyRepr> for AuthorizationPolicySpec {
    type Error = String;
    fn try_from(r: AuthorizationPolicyRepr) -> Result<Self, String> {
        let target = PolicyTarget::from_parts(r.selector, r.target_ref, r.target_refs)?;
        let action = match (r.action, r.provider) {
            (None, None) => None,
            (Some(ActionName::Custom), Some(p)) => Some(AuthorizationAction::Custom(p)),
            (Some(ActionName::Custom), None) => {
                return Err("action CUSTOM needs a provider".into());
            }
            (_, Some(_)) => return Err("provider can only be set with action CUSTOM".into()),
            (Some(ActionName::Allow), None) => Some(AuthorizationAction::Allow),
            (Some(ActionName::Deny), None) => Some(AuthorizationAction::Deny),
            (Some(ActionName::Audit), None) => Some(AuthorizationAction::Audit),
        };
        if r.rules.as_ref().is_some_and(|r| r.len() > 512) {
            return Err("rules: at most 512".into());
        }
        Ok(AuthorizationPolicySpec {
            target,
            action,
            rules: r.rules,
        })
    }
}

/// The wire form, borrowed: written field by field like
/// [`AuthorizationPolicyRepr`], without copying the rules.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthorizationPolicyWire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    selector: Option<&'a PolicySelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_ref: Option<&'a TargetRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_refs: Option<&'a Vec<TargetRef>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rules: Option<&'a Vec<Rule>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<ActionName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a ExtensionProvider>,
}

impl Serialize for AuthorizationPolicySpec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (selector, target_ref, target_refs) = PolicyTarget::parts(self.target.as_ref());
        let (action, provider) = match &self.action {
            None => (None, None),
            Some(AuthorizationAction::Allow) => (Some(ActionName::Allow), None),
            Some(AuthorizationAction::Deny) => (Some(ActionName::Deny), None),
            Some(AuthorizationAction::Audit) => (Some(ActionName::Audit), None),
            Some(AuthorizationAction::Custom(p)) => (Some(ActionName::Custom), Some(p)),
        };
        AuthorizationPolicyWire {
            selector,
            target_ref,
            target_refs,
            rules: self.rules.as_ref(),
            action,
            provider,
        }
        .serialize(serializer)
    }
}
