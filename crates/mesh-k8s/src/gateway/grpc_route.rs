//! `GRPCRoute` (v1): gRPC routing by service and method.

use serde::{Deserialize, Serialize};

use super::GatewayApiError;
use super::common::{
    BackendRef, HeaderMatch, HeaderModifier, LocalObjectReference, MatchType, ParentReference,
    RequestMirror, RouteStatus,
};
use super::de::{self, FilterList};
use super::http_route::ServiceRef;
use crate::{ApplyOrder, Kind, Object};

/// A typed `GRPCRoute` object (v1, the only version the standard channel
/// serves).
pub type GrpcRoute = Object<GrpcRouteSpec>;

/// A backend of a gRPC route rule, with gRPC filters.
pub type GrpcBackendRef = BackendRef<GrpcRouteFilter>;

/// The desired state of a `GRPCRoute`: parents, hostnames and rules.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcRouteSpec {
    /// Parents (usually Gateways, or Services in a mesh) the route attaches
    /// to; each must accept it. Max 32. Two references to the same parent
    /// must name distinct `sectionName`s (CEL rule, not checked here).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parent_refs: Vec<ParentReference>,
    /// `:authority` / Host values the route matches (`foo.example.com` or
    /// `*.example.com`; no IPs). Max 16. Default: all of the listener's.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::hostnames"
    )]
    pub hostnames: Vec<String>,
    /// Rules (max 16; at most 128 matches over all rules, not checked
    /// here). Empty: every request goes nowhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<GrpcRouteRule>,
}

impl Kind for GrpcRouteSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "GRPCRoute";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "grpcroutes";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["gateway.networking.k8s.io/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = RouteStatus;
}

impl Object<GrpcRouteSpec> {
    /// A mesh route `namespace/name` for the gRPC traffic to `service`
    /// (parent: the Service and port), with no rules yet.
    ///
    /// ```
    /// use std::num::NonZeroU16;
    /// use mesh_k8s::gateway::{BackendRef, GrpcMethodMatch, GrpcRoute, GrpcRouteMatch, GrpcRouteRule, ServiceRef};
    ///
    /// let port = NonZeroU16::new(50051).unwrap();
    /// let route = GrpcRoute::for_service("users", "prod", ServiceRef::new("users", port)).with_rule(GrpcRouteRule {
    ///     matches: vec![GrpcRouteMatch::method(GrpcMethodMatch::exact("com.example.User", "Login"))],
    ///     backend_refs: vec![BackendRef::service("users-v2", port)],
    ///     ..GrpcRouteRule::default()
    /// });
    /// assert_eq!(route.spec.rules.len(), 1);
    /// ```
    pub fn for_service(name: impl Into<String>, namespace: &str, service: ServiceRef) -> Self {
        Object::new(
            name,
            Some(namespace),
            GrpcRouteSpec {
                parent_refs: vec![service.parent()],
                ..GrpcRouteSpec::default()
            },
        )
    }

    /// With one more rule.
    pub fn with_rule(mut self, rule: GrpcRouteRule) -> Self {
        self.spec.rules.push(rule);
        self
    }
}

/// A rule: requests matching any of `matches` go through `filters` and
/// then to `backendRefs` (by weight).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcRouteRule {
    /// Name of the rule, unique in the route (a DNS-1123 subdomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Conditions, any of which selects the rule (max 64). Empty: every
    /// request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<GrpcRouteMatch>,
    /// Filters applied to matching requests (max 16; header modifiers at
    /// most once each, checked when reading).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::filters"
    )]
    pub filters: Vec<GrpcRouteFilter>,
    /// Backends requests are forwarded to, by weight (max 16). None and no
    /// filter: requests fail with `UNAVAILABLE`-like errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub backend_refs: Vec<GrpcBackendRef>,
}

/// Conditions on a gRPC request, all of which must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GrpcRouteMatch {
    /// Service/method condition. Default: every method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<GrpcMethodMatch>,
    /// Header (metadata) conditions, all required (max 16, distinct names).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub headers: Vec<HeaderMatch>,
}

impl GrpcRouteMatch {
    /// A method condition only.
    pub fn method(method: GrpcMethodMatch) -> Self {
        GrpcRouteMatch {
            method: Some(method),
            headers: Vec::new(),
        }
    }
}

/// Matches the gRPC service and/or method (`/service/method` path). At
/// least one of `service` and `method` is required; for `Exact`, the
/// service is a dotted name (`com.example.User`) and the method an
/// identifier (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "GrpcMethodMatchRepr"
)]
pub struct GrpcMethodMatch {
    /// How service and method are compared. Default: `Exact`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub match_type: Option<MatchType>,
    /// Fully qualified service name (max 1024). Default: any service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Method name (max 1024). Default: any method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrpcMethodMatchRepr {
    #[serde(rename = "type", default)]
    match_type: Option<MatchType>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    method: Option<String>,
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl TryFrom<GrpcMethodMatchRepr> for GrpcMethodMatch {
    type Error = GatewayApiError;
    fn try_from(r: GrpcMethodMatchRepr) -> Result<Self, Self::Error> {
        let m = GrpcMethodMatch {
            match_type: r.match_type,
            service: r.service,
            method: r.method,
        };
        m.check()?;
        Ok(m)
    }
}

impl GrpcMethodMatch {
    /// Exactly `service` / `method`.
    pub fn exact(service: impl Into<String>, method: impl Into<String>) -> Self {
        GrpcMethodMatch {
            match_type: Some(MatchType::Exact),
            service: Some(service.into()),
            method: Some(method.into()),
        }
    }

    /// Every method of `service`.
    pub fn service(service: impl Into<String>) -> Self {
        GrpcMethodMatch {
            match_type: Some(MatchType::Exact),
            service: Some(service.into()),
            method: None,
        }
    }

    /// Checks the CRD's rules (done when reading).
    pub fn check(&self) -> Result<(), GatewayApiError> {
        if self.service.is_none() && self.method.is_none() {
            return Err(GatewayApiError::Field {
                field: "method",
                reason: "One or both of 'service' or 'method' must be specified".to_owned(),
            });
        }
        if self.match_type.unwrap_or_default() == MatchType::Exact {
            if let Some(service) = &self.service {
                let s = service.strip_prefix('.').unwrap_or(service);
                if !s.split('.').all(is_identifier) {
                    return Err(GatewayApiError::Field {
                        field: "method.service",
                        reason: format!("{service:?} is not a dotted gRPC service name"),
                    });
                }
            }
            if let Some(method) = &self.method
                && !is_identifier(method)
            {
                return Err(GatewayApiError::Field {
                    field: "method.method",
                    reason: format!("{method:?} is not a gRPC method name"),
                });
            }
        }
        Ok(())
    }
}

/// A processing step of a gRPC route rule or backend, keyed by `type` like
/// [`HttpRouteFilter`](super::HttpRouteFilter) (the gRPC subset). Header
/// modifiers appear at most once per list (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "GrpcFilterRepr", into = "GrpcFilterRepr")]
pub enum GrpcRouteFilter {
    /// `RequestHeaderModifier`: modifies request metadata (Core).
    RequestHeaderModifier(HeaderModifier),
    /// `ResponseHeaderModifier`: modifies response metadata (Extended).
    ResponseHeaderModifier(HeaderModifier),
    /// `RequestMirror`: copies requests to another backend (Extended).
    RequestMirror(RequestMirror),
    /// `ExtensionRef`: an implementation-specific filter object; may
    /// repeat.
    ExtensionRef(LocalObjectReference),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum GrpcFilterType {
    ResponseHeaderModifier,
    RequestHeaderModifier,
    RequestMirror,
    ExtensionRef,
}

impl GrpcFilterType {
    fn name(self) -> &'static str {
        match self {
            GrpcFilterType::ResponseHeaderModifier => "ResponseHeaderModifier",
            GrpcFilterType::RequestHeaderModifier => "RequestHeaderModifier",
            GrpcFilterType::RequestMirror => "RequestMirror",
            GrpcFilterType::ExtensionRef => "ExtensionRef",
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GrpcFilterRepr {
    #[serde(rename = "type")]
    kind: Option<GrpcFilterType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    response_header_modifier: Option<HeaderModifier>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request_mirror: Option<RequestMirror>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    extension_ref: Option<LocalObjectReference>,
}

impl TryFrom<GrpcFilterRepr> for GrpcRouteFilter {
    type Error = GatewayApiError;
    fn try_from(r: GrpcFilterRepr) -> Result<Self, Self::Error> {
        let kind = r.kind.ok_or(GatewayApiError::Field {
            field: "type",
            reason: "missing filter type".to_owned(),
        })?;
        let count = [
            r.request_header_modifier.is_some(),
            r.response_header_modifier.is_some(),
            r.request_mirror.is_some(),
            r.extension_ref.is_some(),
        ]
        .into_iter()
        .filter(|p| *p)
        .count();
        let filter = match kind {
            GrpcFilterType::RequestHeaderModifier => r
                .request_header_modifier
                .map(GrpcRouteFilter::RequestHeaderModifier),
            GrpcFilterType::ResponseHeaderModifier => r
                .response_header_modifier
                .map(GrpcRouteFilter::ResponseHeaderModifier),
            GrpcFilterType::RequestMirror => r.request_mirror.map(GrpcRouteFilter::RequestMirror),
            GrpcFilterType::ExtensionRef => r.extension_ref.map(GrpcRouteFilter::ExtensionRef),
        };
        match filter {
            Some(f) if count == 1 => Ok(f),
            _ => Err(GatewayApiError::Filter {
                filter_type: kind.name(),
                reason: "needs exactly the configuration field of its type".to_owned(),
            }),
        }
    }
}

impl From<GrpcRouteFilter> for GrpcFilterRepr {
    fn from(f: GrpcRouteFilter) -> Self {
        let mut r = GrpcFilterRepr::default();
        let kind = match f {
            GrpcRouteFilter::RequestHeaderModifier(m) => {
                r.request_header_modifier = Some(m);
                GrpcFilterType::RequestHeaderModifier
            }
            GrpcRouteFilter::ResponseHeaderModifier(m) => {
                r.response_header_modifier = Some(m);
                GrpcFilterType::ResponseHeaderModifier
            }
            GrpcRouteFilter::RequestMirror(m) => {
                r.request_mirror = Some(m);
                GrpcFilterType::RequestMirror
            }
            GrpcRouteFilter::ExtensionRef(m) => {
                r.extension_ref = Some(m);
                GrpcFilterType::ExtensionRef
            }
        };
        r.kind = Some(kind);
        r
    }
}

impl GrpcRouteFilter {
    fn kind(&self) -> GrpcFilterType {
        match self {
            GrpcRouteFilter::RequestHeaderModifier(_) => GrpcFilterType::RequestHeaderModifier,
            GrpcRouteFilter::ResponseHeaderModifier(_) => GrpcFilterType::ResponseHeaderModifier,
            GrpcRouteFilter::RequestMirror(_) => GrpcFilterType::RequestMirror,
            GrpcRouteFilter::ExtensionRef(_) => GrpcFilterType::ExtensionRef,
        }
    }

    /// The filter's `type` on the wire.
    pub fn type_name(&self) -> &'static str {
        self.kind().name()
    }
}

impl FilterList for GrpcRouteFilter {
    fn check_list(list: &[Self]) -> Result<(), GatewayApiError> {
        for k in [
            GrpcFilterType::RequestHeaderModifier,
            GrpcFilterType::ResponseHeaderModifier,
        ] {
            if list.iter().filter(|f| f.kind() == k).count() > 1 {
                return Err(GatewayApiError::Filter {
                    filter_type: k.name(),
                    reason: "cannot be repeated".to_owned(),
                });
            }
        }
        Ok(())
    }
}
