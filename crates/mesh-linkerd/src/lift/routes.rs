//! Gateway API route rules → model routes (service, ingress and egress
//! routes share this).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use mesh_k8s::gateway::precedence::{self, RegexRank, RouteEntry};
use mesh_k8s::gateway::{
    self as gw, HeaderModifier, HttpPathMatch, HttpRouteFilter, HttpRouteMatch, HttpRouteRule,
    MatchType,
};
use mesh_model::lift::ObjectRef;
use mesh_model::{
    Action, BackendRef, FieldPath, Forward, HeaderEdits, HeaderName, Hostname, HttpPath, Method,
    Name, PathMatch, PathRewrite, Port, Redirect, RedirectStatus, Regex, Rewrite, Route,
    RouteMatch, Scheme, StringMatch, Weight,
};

use super::Lx;

/// A rule lifted, with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct LiftedRule {
    pub route: Route,
    pub object: ObjectRef,
    pub path: FieldPath,
    /// Index of its object in the ordering (oldest, then by name).
    pub group: usize,
}

/// Where rules are lifted for.
pub(crate) struct RuleScope<'a> {
    /// The route object's namespace.
    pub namespace: &'a str,
    /// The owning service (service routes): backends may omit it.
    pub owner: Option<&'a str>,
    /// The parent port (service routes).
    pub port: Option<u16>,
    /// Ingress routes: rewrites and timeouts are the controller's.
    pub ingress: bool,
}

fn string_match(t: Option<MatchType>, v: &str) -> Result<StringMatch, String> {
    match t {
        None | Some(MatchType::Exact) => Ok(StringMatch::Exact(v.to_owned())),
        Some(MatchType::RegularExpression) => v
            .parse::<Regex>()
            .map(StringMatch::Regex)
            .map_err(|e| e.to_string()),
    }
}

/// A Gateway API match as a model match.
pub(crate) fn route_match(m: &HttpRouteMatch) -> Result<RouteMatch, String> {
    let path = match &m.path {
        None => None,
        Some(HttpPathMatch::Exact(p)) => Some(PathMatch::Exact(
            HttpPath::new(p).map_err(|e| e.to_string())?,
        )),
        Some(HttpPathMatch::PathPrefix(p)) => Some(PathMatch::Prefix(
            HttpPath::new(p).map_err(|e| e.to_string())?,
        )),
        Some(HttpPathMatch::RegularExpression(r)) => Some(PathMatch::Regex(
            r.parse()
                .map_err(|e: mesh_model::ValueError| e.to_string())?,
        )),
    };
    let mut headers = BTreeMap::new();
    for h in &m.headers {
        let name = HeaderName::new(h.name.as_str()).map_err(|e| e.to_string())?;
        headers.insert(name, string_match(h.match_type, &h.value)?);
    }
    let mut query = BTreeMap::new();
    for q in &m.query_params {
        query.insert(q.name.clone(), string_match(q.match_type, &q.value)?);
    }
    let method = match m.method {
        None => None,
        Some(x) => {
            let s = serde_json::to_value(x).map_err(|e| e.to_string())?;
            Some(serde_json::from_value::<Method>(s).map_err(|e| e.to_string())?)
        }
    };
    Ok(RouteMatch {
        path,
        method,
        headers,
        query,
    })
}

fn edits(m: &HeaderModifier) -> Result<HeaderEdits, String> {
    let h = |n: &str| HeaderName::new(n).map_err(|e| e.to_string());
    let mut e = HeaderEdits::default();
    for x in &m.set {
        e.set.insert(h(&x.name)?, x.value.clone());
    }
    for x in &m.add {
        e.add.insert(h(&x.name)?, x.value.clone());
    }
    for x in &m.remove {
        e.remove.push(h(x)?);
    }
    Ok(e)
}

fn path_rewrite(p: &gw::PathModifier) -> Result<PathRewrite, String> {
    Ok(match p {
        gw::PathModifier::ReplaceFullPath(x) => {
            PathRewrite::Full(HttpPath::new(x).map_err(|e| e.to_string())?)
        }
        gw::PathModifier::ReplacePrefixMatch(x) => {
            PathRewrite::Prefix(HttpPath::new(x).map_err(|e| e.to_string())?)
        }
    })
}

/// Lifts one rule; problems with parts of it are skipped (reported), a
/// rule that cannot mean anything in the model is `None`.
pub(crate) fn rule(
    lx: &mut Lx<'_>,
    scope: &RuleScope<'_>,
    object: &ObjectRef,
    rp: &FieldPath,
    r: &HttpRouteRule,
) -> Option<Route> {
    let mut matches = Vec::new();
    for (k, m) in r.matches.iter().enumerate() {
        match route_match(m) {
            Ok(m) => matches.push(m),
            Err(e) => {
                lx.l.skip(
                    object,
                    rp.field("matches").index(k),
                    format!("the rule is not lifted: its match is not valid in the model: {e}"),
                );
                return None;
            }
        }
    }
    let mut route = Route {
        name: r.name.as_deref().and_then(|n| Name::new(n).ok()),
        matches,
        action: Action::Forward(Forward::default()),
        request_headers: HeaderEdits::default(),
        response_headers: HeaderEdits::default(),
    };
    let mut redirect = None;
    let mut rewrite = None;
    for (k, f) in r.filters.iter().enumerate() {
        let fp = rp.field("filters").index(k);
        let res = match f {
            HttpRouteFilter::RequestHeaderModifier(m) => {
                edits(m).map(|e| route.request_headers = e)
            }
            HttpRouteFilter::ResponseHeaderModifier(m) => {
                edits(m).map(|e| route.response_headers = e)
            }
            HttpRouteFilter::RequestRedirect(x) => (|| {
                redirect = Some(Redirect {
                    scheme: x.scheme.map(|s| match s {
                        gw::RedirectScheme::Http => Scheme::Http,
                        gw::RedirectScheme::Https => Scheme::Https,
                    }),
                    host: x
                        .hostname
                        .as_deref()
                        .map(Hostname::new)
                        .transpose()
                        .map_err(|e| e.to_string())?,
                    port: x.port.map(Port::from),
                    path: x.path.as_ref().map(path_rewrite).transpose()?,
                    status: match x.status_code {
                        None => RedirectStatus::default(),
                        Some(c) => {
                            let code: u16 = c.into();
                            RedirectStatus::try_from(code).map_err(|e| e.to_string())?
                        }
                    },
                });
                Ok(())
            })(),
            HttpRouteFilter::UrlRewrite(x) if scope.ingress => (|| {
                rewrite = Some(Rewrite {
                    path: x.path.as_ref().map(path_rewrite).transpose()?,
                    host: x
                        .hostname
                        .as_deref()
                        .map(Hostname::new)
                        .transpose()
                        .map_err(|e| e.to_string())?,
                });
                Ok(())
            })(),
            HttpRouteFilter::UrlRewrite(_) => Err(
                "Linkerd does not implement URLRewrite on mesh routes: the filter has no effect"
                    .to_owned(),
            ),
            HttpRouteFilter::RequestMirror(_) => {
                Err("Linkerd does not mirror traffic: the filter has no effect".to_owned())
            }
            HttpRouteFilter::ExtensionRef(_) | HttpRouteFilter::Cors(_) => {
                Err("this filter has no neutral meaning".to_owned())
            }
        };
        if let Err(e) = res {
            lx.l.skip(object, fp, e);
        }
    }
    if let Some(rd) = redirect {
        route.action = Action::Redirect(rd);
        for (k, _) in r.backend_refs.iter().enumerate() {
            lx.l.skip(
                object,
                rp.field("backendRefs").index(k),
                "a redirecting rule sends nowhere: the backend is ignored",
            );
        }
        return Some(route);
    }
    let mut forward = Forward {
        rewrite,
        ..Forward::default()
    };
    for (k, b) in r.backend_refs.iter().enumerate() {
        let bp = rp.field("backendRefs").index(k);
        match backend(lx, scope, b) {
            Ok(b) => forward.backends.push(b),
            Err(e) => lx.l.skip(object, bp.clone(), e),
        }
        for (j, _) in b.filters.iter().enumerate() {
            lx.l.skip(
                object,
                bp.field("filters").index(j),
                "per-backend filters have no neutral meaning",
            );
        }
    }
    if forward.backends.is_empty() {
        lx.l.skip(
            object,
            rp.clone(),
            "the rule has no backend the model can name (Linkerd answers such requests with an error): not lifted",
        );
        return None;
    }
    if let Some(t) = &r.timeouts {
        if let Some(d) = t.request.as_ref() {
            match d.value() {
                Some(v) if !v.is_zero() => forward.timeout = Some(v),
                Some(_) => {}
                None => lx.l.skip(
                    object,
                    rp.field("timeouts").field("request"),
                    "negative duration",
                ),
            }
        }
        if t.backend_request.is_some() {
            lx.l.skip(
                object,
                rp.field("timeouts").field("backendRequest"),
                "a per-backend-request timeout without retries has no neutral meaning",
            );
        }
    }
    route.action = Action::Forward(forward);
    Some(route)
}

/// A Gateway API backend as a model backend.
fn backend(
    lx: &Lx<'_>,
    scope: &RuleScope<'_>,
    b: &gw::HttpBackendRef,
) -> Result<BackendRef, String> {
    if !matches!(b.group.as_deref(), None | Some("") | Some("core"))
        || !matches!(b.kind.as_deref(), None | Some("Service"))
    {
        return Err(format!(
            "backend kind {}/{} is not a Service: not lifted",
            b.group.as_deref().unwrap_or(""),
            b.kind.as_deref().unwrap_or("Service")
        ));
    }
    let ns = b.namespace.as_deref().unwrap_or(scope.namespace);
    let Some((svc, version)) = lx.resolve_service(ns, &b.name) else {
        return Err(format!(
            "Service {ns}/{} is not among the lifted objects",
            b.name
        ));
    };
    let weight = match &b.weight {
        None => Weight::default(),
        Some(w) => Weight::new(w.get()).map_err(|e| e.to_string())?,
    };
    let port = b.port.map(|p| p.get()).filter(|p| {
        // Omitted when it is what the lowering would pick anyway.
        Some(*p) != lx.default_port(ns, &svc, scope.port)
    });
    let same_ns = ns == scope.namespace;
    let own = same_ns && scope.owner == Some(svc.as_str());
    Ok(BackendRef {
        service: (!own)
            .then(|| Name::new(&svc))
            .transpose()
            .map_err(|e| e.to_string())?,
        namespace: (!same_ns)
            .then(|| Name::new(ns))
            .transpose()
            .map_err(|e| e.to_string())?,
        version: version
            .map(|v| Name::new(&v))
            .transpose()
            .map_err(|e| e.to_string())?,
        port: port
            .map(|p| Port::new(u32::from(p)))
            .transpose()
            .map_err(|e| e.to_string())?,
        weight,
    })
}

/// Orders lifted rules for first-match: as written when that already means
/// what Gateway API's most-specific-match does (same outcome for every
/// request), else most specific first (ties: older object, then rule
/// order), splitting rules whose matches rank apart.
pub(crate) fn order(rules: Vec<LiftedRule>, regex: RegexRank) -> Vec<LiftedRule> {
    let entries: Vec<RouteEntry<'_>> = rules
        .iter()
        .map(|r| RouteEntry::new(&r.route, r.group, r.path.to_string()))
        .collect();
    if let Ok(plan) = precedence::plan(&entries, regex)
        && plan.dropped.is_empty()
    {
        return rules;
    }
    let catch_all = RouteMatch::default();
    // (rule, match) units, most specific first; stable.
    let mut units: Vec<(usize, Option<usize>)> = Vec::new();
    for (i, r) in rules.iter().enumerate() {
        if r.route.matches.is_empty() {
            units.push((i, None));
        } else {
            units.extend((0..r.route.matches.len()).map(|k| (i, Some(k))));
        }
    }
    let m = |u: &(usize, Option<usize>)| -> &RouteMatch {
        u.1.map_or(&catch_all, |k| &rules[u.0].route.matches[k])
    };
    units.sort_by(|a, b| {
        precedence::compare(m(b), m(a), regex)
            .unwrap_or(Ordering::Equal)
            .then(rules[a.0].group.cmp(&rules[b.0].group))
            .then(a.0.cmp(&b.0))
    });
    let mut out: Vec<LiftedRule> = Vec::new();
    let mut last: Option<usize> = None;
    for u in units {
        if last == Some(u.0)
            && let (Some(prev), Some(k)) = (out.last_mut(), u.1)
        {
            prev.route.matches.push(rules[u.0].route.matches[k].clone());
            continue;
        }
        let mut r = rules[u.0].clone();
        r.route.matches =
            u.1.map(|k| vec![rules[u.0].route.matches[k].clone()])
                .unwrap_or_default();
        if out
            .iter()
            .any(|o| o.route.name.is_some() && o.route.name == r.route.name)
        {
            r.route.name = None;
        }
        out.push(r);
        last = Some(u.0);
    }
    out
}
