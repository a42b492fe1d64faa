//! `RequestAuthentication` (security.istio.io): which JWTs a workload
//! accepts. A request with an invalid token is rejected; a request without
//! one is accepted (use an AuthorizationPolicy to require it).

use serde::{Deserialize, Serialize};

use super::common::{
    HeaderName, IstioStatus, NonEmptyString, PolicySelector, PolicyTarget, PositiveDuration,
    TargetRef,
};

/// The spec of a `RequestAuthentication`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    try_from = "RequestAuthenticationRepr",
    into = "RequestAuthenticationRepr"
)]
pub struct RequestAuthenticationSpec {
    /// What the policy applies to. Default: every workload in the
    /// namespace.
    pub target: Option<PolicyTarget>,
    /// Accepted JWT issuers and how to validate their tokens (at most
    /// 4096).
    pub jwt_rules: Vec<JwtRule>,
}

impl mesh_k8s::Kind for RequestAuthenticationSpec {
    const GROUP: &'static str = "security.istio.io";
    const KIND: &'static str = "RequestAuthentication";
    const PLURAL: &'static str = "requestauthentications";
    const VERSIONS: &'static [&'static str] = super::SECURITY_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::SECURITY_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Security;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `RequestAuthentication`.
pub type RequestAuthentication = mesh_k8s::Object<RequestAuthenticationSpec>;

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RequestAuthenticationRepr {
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    jwt_rules: Vec<JwtRule>,
}

impl TryFrom<RequestAuthenticationRepr> for RequestAuthenticationSpec {
    type Error = String;
    fn try_from(r: RequestAuthenticationRepr) -> Result<Self, String> {
        if r.jwt_rules.len() > 4096 {
            return Err("jwtRules: at most 4096".into());
        }
        Ok(RequestAuthenticationSpec {
            target: PolicyTarget::from_parts(r.selector, r.target_ref, r.target_refs)?,
            jwt_rules: r.jwt_rules,
        })
    }
}

impl From<RequestAuthenticationSpec> for RequestAuthenticationRepr {
    fn from(s: RequestAuthenticationSpec) -> Self {
        let (selector, target_ref, target_refs) = PolicyTarget::into_parts(s.target);
        RequestAuthenticationRepr {
            selector,
            target_ref,
            target_refs,
            jwt_rules: s.jwt_rules,
        }
    }
}

/// How to validate the JWTs of one issuer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "JwtRuleRepr", into = "JwtRuleRepr")]
pub struct JwtRule {
    /// The issuer (`iss` claim), required in practice.
    pub issuer: Option<NonEmptyString>,
    /// Accepted audiences (`aud`). Default: any.
    pub audiences: Vec<NonEmptyString>,
    /// Where the signing keys come from. Default: OpenID discovery from
    /// the issuer.
    pub jwks: Option<Jwks>,
    /// Headers the token is read from. Default: `Authorization: Bearer`.
    pub from_headers: Vec<JwtHeader>,
    /// Query parameters the token is read from. Default: `access_token`.
    pub from_params: Vec<NonEmptyString>,
    /// Cookies the token is read from.
    pub from_cookies: Vec<NonEmptyString>,
    /// Header to put the verified payload in (base64).
    pub output_payload_to_header: Option<String>,
    /// Keep the token in the forwarded request. Default: false.
    pub forward_original_token: Option<bool>,
    /// Copy claims to request headers.
    pub output_claim_to_headers: Vec<ClaimToHeader>,
    /// Timeout of fetching the JWKS (at least 1ms). Default: 5s.
    pub timeout: Option<PositiveDuration>,
    /// Claims whose value is a space-separated list (`scope`), at most 64.
    pub space_delimited_claims: Vec<NonEmptyString>,
}

/// Where a JWT issuer's signing keys come from (at most one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jwks {
    /// `jwksUri`: fetched from this `http(s)` URL.
    Uri(JwksUri),
    /// `jwks_uri`: the same, in the deprecated snake_case spelling.
    UriSnakeCase(JwksUri),
    /// `jwks`: this inline JSON Web Key Set.
    Inline(String),
}

super::common::checked_string!(
    /// A JWKS URL: `http://` or `https://`, 1 to 2048 characters.
    JwksUri,
    "jwksUri",
    |s| {
        if s.is_empty() || s.chars().count() > 2048 {
            return Err("must be 1 to 2048 characters");
        }
        let scheme = s.split_once("://").map(|(scheme, _)| scheme);
        if matches!(scheme, Some("http" | "https")) {
            Ok(())
        } else {
            Err("url must have scheme http:// or https://")
        }
    }
);

/// A header a JWT is read from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JwtHeader {
    /// The header name (required).
    pub name: NonEmptyString,
    /// Prefix stripped before decoding (`Bearer `).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub prefix: Option<String>,
}

/// Copy a claim to a request header.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClaimToHeader {
    /// The header to set.
    pub header: HeaderName,
    /// The claim to copy (nested claims with `.`).
    pub claim: NonEmptyString,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JwtRuleRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    issuer: Option<NonEmptyString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    audiences: Vec<NonEmptyString>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    jwks_uri: Option<JwksUri>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "jwks_uri"
    )]
    jwks_uri_snake: Option<JwksUri>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    jwks: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    from_headers: Vec<JwtHeader>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    from_params: Vec<NonEmptyString>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    from_cookies: Vec<NonEmptyString>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    output_payload_to_header: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    forward_original_token: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    output_claim_to_headers: Vec<ClaimToHeader>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    timeout: Option<PositiveDuration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    space_delimited_claims: Vec<NonEmptyString>,
}

impl TryFrom<JwtRuleRepr> for JwtRule {
    type Error = String;
    fn try_from(r: JwtRuleRepr) -> Result<Self, String> {
        let jwks = match (r.jwks_uri, r.jwks_uri_snake, r.jwks) {
            (None, None, None) => None,
            (Some(u), None, None) => Some(Jwks::Uri(u)),
            (None, Some(u), None) => Some(Jwks::UriSnakeCase(u)),
            (None, None, Some(j)) => Some(Jwks::Inline(j)),
            _ => return Err("only one of jwks or jwksUri can be set".into()),
        };
        if r.space_delimited_claims.len() > 64 {
            return Err("spaceDelimitedClaims: at most 64".into());
        }
        Ok(JwtRule {
            issuer: r.issuer,
            audiences: r.audiences,
            jwks,
            from_headers: r.from_headers,
            from_params: r.from_params,
            from_cookies: r.from_cookies,
            output_payload_to_header: r.output_payload_to_header,
            forward_original_token: r.forward_original_token,
            output_claim_to_headers: r.output_claim_to_headers,
            timeout: r.timeout,
            space_delimited_claims: r.space_delimited_claims,
        })
    }
}

impl From<JwtRule> for JwtRuleRepr {
    fn from(j: JwtRule) -> Self {
        let (jwks_uri, jwks_uri_snake, jwks) = match j.jwks {
            None => (None, None, None),
            Some(Jwks::Uri(u)) => (Some(u), None, None),
            Some(Jwks::UriSnakeCase(u)) => (None, Some(u), None),
            Some(Jwks::Inline(s)) => (None, None, Some(s)),
        };
        JwtRuleRepr {
            issuer: j.issuer,
            audiences: j.audiences,
            jwks_uri,
            jwks_uri_snake,
            jwks,
            from_headers: j.from_headers,
            from_params: j.from_params,
            from_cookies: j.from_cookies,
            output_payload_to_header: j.output_payload_to_header,
            forward_original_token: j.forward_original_token,
            output_claim_to_headers: j.output_claim_to_headers,
            timeout: j.timeout,
            space_delimited_claims: j.space_delimited_claims,
        }
    }
}
