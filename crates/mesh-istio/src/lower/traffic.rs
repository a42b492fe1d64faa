//! Routes: VirtualServices (classic) or HTTPRoutes (GAMMA), and the route
//! translation ingress VirtualServices share.

use std::collections::BTreeSet;

use mesh_k8s::GoDuration;
use mesh_model::{
    Action, Duration, Feature, FieldPath, Forward, HeaderEdits, PathMatch, PathRewrite,
    RetryPolicy, Route, RouteMatch, Service, Unmatched,
};

use super::{Cx, RoutingFlavor, service_path};
use crate::crds::{
    Abort, AbortError, Delay, DelayKind, Destination, HeaderMatch, HeaderOperations, Headers,
    HttpBody, HttpDirectResponse, HttpFaultInjection, HttpMatchRequest, HttpMirrorPolicy,
    HttpRedirect, HttpRetry, HttpRewrite, HttpRoute, HttpRouteDestination, Percentage,
    PortSelector, PositiveDuration, RedirectPort, RegexRewrite, StringMatch, VirtualService,
    VirtualServiceSpec,
};

pub(crate) fn lower(cx: &mut Cx<'_>) {
    let gamma = cx.gamma;
    if gamma && cx.opts.routing == RoutingFlavor::Classic {
        cx.note(
            Feature::Ambient,
            FieldPath::root().field("installation").field("dataPlane"),
            "ambient mode routes with Gateway API HTTPRoutes (GAMMA), not VirtualServices",
        );
    }
    for (i, svc) in cx.mesh.services.iter().enumerate() {
        if !svc.is_l7() && svc.routes.is_empty() {
            continue;
        }
        if gamma {
            super::gamma::service_route(cx, i, svc);
        } else {
            classic_service(cx, i, svc);
        }
    }
}

/// The VirtualService of one service.
fn classic_service(cx: &mut Cx<'_>, i: usize, svc: &Service) {
    let path = service_path(i);
    let ns = svc.namespace.as_str();
    let mut http = Vec::with_capacity(svc.routes.len());
    for (j, route) in svc.routes.iter().enumerate() {
        let rpath = path.field("routes").index(j);
        http.extend(http_rules(cx, route, ns, Some(svc), &rpath));
    }
    let covered = svc.routes.iter().any(is_catch_all);
    if !covered {
        let upath = path.field("unmatched");
        let mut rule = HttpRoute {
            name: (!svc
                .routes
                .iter()
                .any(|r| r.name.as_ref().is_some_and(|n| n == "unmatched")))
            .then(|| "unmatched".to_owned()),
            ..HttpRoute::default()
        };
        match &svc.unmatched {
            Unmatched::NotFound => {
                rule.direct_response = Some(HttpDirectResponse {
                    status: 404,
                    body: None,
                });
            }
            other => {
                let mut d = Destination::host(svc.name.as_str());
                if let Unmatched::Version(v) = other {
                    d = d.with_subset(v.as_str());
                }
                rule.route = vec![HttpRouteDestination {
                    destination: d,
                    weight: None,
                    headers: None,
                }];
                let timeout = svc.resilience.timeout;
                rule.timeout = timeout.and_then(|t| positive(cx, t, Feature::Timeout, &upath));
                rule.retries = Some(retries(cx, svc.resilience.retries.as_ref(), &upath));
            }
        }
        if !svc.routes.is_empty() {
            cx.note(
                Feature::Unmatched,
                upath,
                "added a last catch-all rule for requests matching no route (Istio answers 404 otherwise)",
            );
        }
        http.push(rule);
    }
    let vs = VirtualService::new(
        svc.name.as_str(),
        Some(ns),
        VirtualServiceSpec {
            hosts: vec![svc.name.to_string()],
            http,
            export_to: svc.export_to.iter().map(|n| n.to_string()).collect(),
            ..VirtualServiceSpec::default()
        },
    );
    let v = cx.opts.api_versions.virtual_service.clone();
    cx.emit(vs, &v);
}

/// Whether a route matches every request.
pub(crate) fn is_catch_all(r: &Route) -> bool {
    r.matches.is_empty() || r.matches.iter().any(RouteMatch::is_catch_all)
}

/// The Istio HTTP rules for one model route (usually one; a prefix rewrite
/// of a segment prefix needs one rule per match form). `ns` is the
/// namespace of the VirtualService, `owner` the service whose route it is
/// (None for ingress routes).
pub(crate) fn http_rules(
    cx: &mut Cx<'_>,
    route: &Route,
    ns: &str,
    owner: Option<&Service>,
    path: &FieldPath,
) -> Vec<HttpRoute> {
    // Matches, each with the path form it came from (for prefix rewrites).
    let mut matches: Vec<(HttpMatchRequest, PathForm)> = Vec::with_capacity(route.matches.len());
    for (k, m) in route.matches.iter().enumerate() {
        matches.extend(match_requests(cx, m, &path.field("match").index(k)));
    }
    let mut base = HttpRoute {
        name: route.name.as_ref().map(|n| n.to_string()),
        headers: headers(&route.request_headers, &route.response_headers),
        ..HttpRoute::default()
    };
    let mut prefix_rewrite = None;
    match &route.action {
        Action::Forward(f) => {
            let fpath = path.field("forward");
            forward(cx, f, ns, owner, &fpath, &mut base);
            if let Some(rw) = &f.rewrite {
                let mut rewrite = HttpRewrite {
                    authority: rw.host.as_ref().map(|h| h.to_string()),
                    ..HttpRewrite::default()
                };
                match &rw.path {
                    Some(PathRewrite::Full(p)) => {
                        if !matches.is_empty() && matches.iter().all(|m| m.1 == PathForm::Exact) {
                            rewrite.uri = Some(p.to_string());
                        } else {
                            rewrite.uri_regex_rewrite = Some(RegexRewrite {
                                match_: Some("^.*$".to_owned()),
                                rewrite: Some(p.to_string()),
                            });
                        }
                    }
                    Some(PathRewrite::Prefix(p)) => prefix_rewrite = Some(p.to_string()),
                    None => {}
                }
                base.rewrite = Some(rewrite);
            }
        }
        Action::Redirect(r) => {
            let rpath = path.field("redirect");
            let uri = match &r.path {
                Some(PathRewrite::Full(p)) => Some(p.to_string()),
                Some(PathRewrite::Prefix(_)) => {
                    cx.unsupported(
                        Feature::Redirect,
                        rpath.field("path"),
                        "Istio redirects replace the whole path; use `path: {full: ...}`",
                    );
                    None
                }
                None => None,
            };
            base.redirect = Some(HttpRedirect {
                uri,
                authority: r.host.as_ref().map(|h| h.to_string()),
                port: r.port.map(|p| RedirectPort::Number(u32::from(p.get()))),
                scheme: r.scheme.map(|s| {
                    match s {
                        mesh_model::Scheme::Http => "http",
                        mesh_model::Scheme::Https => "https",
                    }
                    .to_owned()
                }),
                redirect_code: Some(u32::from(r.status.code())),
            });
        }
        Action::Respond(d) => {
            base.direct_response = Some(HttpDirectResponse {
                status: u32::from(d.status.get()),
                body: d.body.clone().map(HttpBody::String),
            });
        }
    }
    let Some(new_prefix) = prefix_rewrite else {
        base.match_ = matches.into_iter().map(|m| m.0).collect();
        return vec![base];
    };
    // A prefix rewrite: one rule per match, each rewriting its own form
    // (exact `/p` → `/new`, prefix `/p/` → `/new/`).
    let slash = format!("{}/", new_prefix.trim_end_matches('/'));
    let n = matches.len();
    if n > 1 {
        cx.note(
            Feature::Rewrite,
            path.field("forward").field("rewrite").field("path"),
            "the prefix rewrite is split into one rule per path form (exact `/p` → new prefix, `/p/` → new prefix + `/`)",
        );
    }
    matches
        .into_iter()
        .enumerate()
        .map(|(k, (m, form))| {
            let mut rule = base.clone();
            if n > 1 {
                rule.name = base.name.as_ref().map(|b| format!("{b}-{k}"));
            }
            let uri = match form {
                PathForm::Exact => new_prefix.clone(),
                _ => slash.clone(),
            };
            let mut rw = rule.rewrite.take().unwrap_or_default();
            rw.uri = Some(uri);
            rule.rewrite = Some(rw);
            rule.match_ = vec![m];
            rule
        })
        .collect()
}

/// How a match's path was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathForm {
    None,
    Exact,
    Prefix,
    Regex,
}

/// A model match as Istio matches (two for a segment prefix).
fn match_requests(
    cx: &mut Cx<'_>,
    m: &RouteMatch,
    path: &FieldPath,
) -> Vec<(HttpMatchRequest, PathForm)> {
    let mut base = HttpMatchRequest {
        method: m.method.map(|x| StringMatch::exact(x.as_str())),
        ..HttpMatchRequest::default()
    };
    for (h, v) in &m.headers {
        base.headers
            .insert(h.as_str().to_owned(), HeaderMatch::Value(string_match(v)));
    }
    for (q, v) in &m.query {
        base.query_params
            .insert(q.clone(), HeaderMatch::Value(string_match(v)));
    }
    match &m.path {
        None => vec![(base, PathForm::None)],
        Some(PathMatch::Exact(p)) => {
            base.uri = Some(StringMatch::exact(p.as_str()));
            vec![(base, PathForm::Exact)]
        }
        Some(PathMatch::Regex(r)) => {
            base.uri = Some(StringMatch::regex(r.as_str()));
            vec![(base, PathForm::Regex)]
        }
        Some(pm @ PathMatch::Prefix(p)) => match pm.segment_prefix_rewrite() {
            None => {
                base.uri = Some(StringMatch::prefix("/"));
                vec![(base, PathForm::Prefix)]
            }
            Some((exact, prefix)) => {
                cx.note(
                    Feature::PathPrefix,
                    path.field("path").field("prefix"),
                    format!(
                        "segment prefix {p} written as exact {exact} or string prefix {prefix}"
                    ),
                );
                let mut a = base.clone();
                a.uri = Some(StringMatch::exact(exact.as_str()));
                base.uri = Some(StringMatch::prefix(prefix.as_str()));
                vec![(a, PathForm::Exact), (base, PathForm::Prefix)]
            }
        },
    }
}

pub(crate) fn string_match(m: &mesh_model::StringMatch) -> StringMatch {
    match m {
        mesh_model::StringMatch::Exact(s) => StringMatch::exact(s.as_str()),
        mesh_model::StringMatch::Prefix(s) => StringMatch::prefix(s.as_str()),
        mesh_model::StringMatch::Regex(r) => StringMatch::regex(r.as_str()),
    }
}

fn header_ops(e: &HeaderEdits) -> Option<HeaderOperations> {
    (!e.is_empty()).then(|| HeaderOperations {
        set: e
            .set
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect(),
        add: e
            .add
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect(),
        remove: e.remove.iter().map(|h| h.as_str().to_owned()).collect(),
    })
}

fn headers(req: &HeaderEdits, resp: &HeaderEdits) -> Option<Headers> {
    let request = header_ops(req);
    let response = header_ops(resp);
    (request.is_some() || response.is_some()).then_some(Headers { request, response })
}

/// A positive duration, or Unsupported for zero.
pub(crate) fn positive(
    cx: &mut Cx<'_>,
    d: Duration,
    feature: Feature,
    path: &FieldPath,
) -> Option<PositiveDuration> {
    match PositiveDuration::new(GoDuration::canonical(d)) {
        Ok(p) => Some(p),
        Err(e) => {
            cx.unsupported(
                feature,
                path.clone(),
                format!("Istio needs at least 1ms here ({e}); remove the setting instead"),
            );
            None
        }
    }
}

/// The retry policy (`attempts: 0` when the model says none).
pub(crate) fn retries(cx: &mut Cx<'_>, r: Option<&RetryPolicy>, path: &FieldPath) -> HttpRetry {
    let Some(r) = r else {
        cx.note(
            Feature::Retries,
            path.clone(),
            "no retry policy: wrote `retries: {attempts: 0}` (Istio retries twice by default)",
        );
        return HttpRetry {
            attempts: Some(0),
            ..HttpRetry::default()
        };
    };
    let rpath = path.field("retries");
    let attempts = match i32::try_from(r.attempts) {
        Ok(a) => a,
        Err(_) => {
            cx.unsupported(
                Feature::Retries,
                rpath.field("attempts"),
                "Istio's attempts is a 32-bit signed integer; use fewer attempts",
            );
            0
        }
    };
    HttpRetry {
        attempts: Some(attempts),
        per_try_timeout: r
            .per_try_timeout
            .and_then(|t| positive(cx, t, Feature::PerTryTimeout, &rpath.field("perTryTimeout"))),
        retry_on: Some(
            r.conditions()
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(","),
        ),
        retry_remote_localities: r.remote_localities.then_some(true),
        retry_ignore_previous_hosts: None,
        backoff: r
            .backoff
            .and_then(|t| positive(cx, t, Feature::Retries, &rpath.field("backoff"))),
    }
}

/// The forward part of a rule: destinations, mirrors, timeout, retries,
/// faults.
fn forward(
    cx: &mut Cx<'_>,
    f: &Forward,
    ns: &str,
    owner: Option<&Service>,
    path: &FieldPath,
    rule: &mut HttpRoute,
) {
    let owner_name = owner.map(|s| &s.name);
    let model_ns = mesh_model::Name::new(ns).ok();
    let weighted = f.backends.len() > 1;
    rule.route.reserve_exact(f.backends.len());
    for b in &f.backends {
        let Some(t) = model_ns.as_ref().and_then(|n| b.target(n, owner_name)) else {
            continue;
        };
        let weight = if weighted {
            i32::try_from(b.weight.get()).ok()
        } else {
            None
        };
        rule.route.push(HttpRouteDestination {
            destination: destination(cx, &t, ns),
            weight,
            headers: None,
        });
    }
    for m in &f.mirrors {
        let Some(t) = model_ns.as_ref().and_then(|n| m.target(n, owner_name)) else {
            continue;
        };
        rule.mirrors.push(HttpMirrorPolicy {
            destination: destination(cx, &t, ns),
            percentage: (!m.percent.is_all()).then(|| Percentage::new(m.percent.get())),
        });
    }
    let timeout = f.timeout.or(owner.and_then(|s| s.resilience.timeout));
    rule.timeout = timeout.and_then(|t| positive(cx, t, Feature::Timeout, &path.field("timeout")));
    let r = f
        .retries
        .as_ref()
        .or(owner.and_then(|s| s.resilience.retries.as_ref()));
    rule.retries = Some(retries(cx, r, path));
    if let Some(fault) = &f.fault {
        let fpath = path.field("fault");
        let delay = fault.delay.as_ref().map(|d| Delay {
            delay: positive(cx, d.delay, Feature::FaultDelay, &fpath.field("delay"))
                .map(DelayKind::Fixed),
            percent: None,
            percentage: Some(Percentage::new(d.percent.get())),
        });
        let abort = fault.abort.as_ref().map(|a| Abort {
            error: Some(AbortError::HttpStatus(i32::from(a.status.get()))),
            percentage: Some(Percentage::new(a.percent.get())),
        });
        rule.fault = Some(HttpFaultInjection { delay, abort });
    }
}

/// The Istio destination of a resolved target, seen from namespace `from`.
pub(crate) fn destination(cx: &Cx<'_>, t: &mesh_model::Target, from: &str) -> Destination {
    let mut d =
        Destination::host(cx.host(t.service.name.as_str(), t.service.namespace.as_str(), from));
    if let Some(v) = &t.version {
        d = d.with_subset(v.as_str());
    }
    if let Some(p) = t.port {
        d.port = Some(PortSelector::new(u32::from(p.get())));
    }
    d
}

/// Whether a service needs L7 processing by itself (routes, L7
/// resilience).
fn own_l7(svc: &Service) -> bool {
    let r = &svc.resilience;
    !svc.routes.is_empty()
        || r.retries.is_some()
        || r.timeout.is_some()
        || r.rate_limit.is_some()
        || matches!(
            r.load_balancer,
            Some(mesh_model::LoadBalancer::ConsistentHash(_))
        )
}

/// The namespaces that get a waypoint in ambient mode: those with a
/// service needing L7 processing (routes, L7 resilience, L7 authorization,
/// or JWT validation scoped to its service or namespace). One pass over the
/// policies and one over the services (only workload-scoped L7 policies
/// are matched per service), so that large meshes stay linear.
pub(crate) fn waypoint_namespaces(mesh: &mesh_model::Mesh) -> BTreeSet<mesh_model::Name> {
    use mesh_model::Scope;
    let mut everywhere = false;
    let mut namespaces: BTreeSet<&str> = BTreeSet::new();
    let mut services: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut workloads: Vec<&Scope> = Vec::new();
    let authz = mesh
        .security
        .authorization
        .iter()
        .filter(|p| p.rules.iter().any(mesh_model::AuthzRule::is_l7))
        .map(|p| &p.scope);
    let jwt = mesh.security.jwt.iter().flat_map(|p| {
        p.scopes
            .iter()
            .filter(|s| matches!(s, Scope::Service(_) | Scope::Namespace(_)))
    });
    for scope in authz.chain(jwt) {
        match scope {
            Scope::Mesh => everywhere = true,
            Scope::Namespace(n) => {
                namespaces.insert(n.as_str());
            }
            Scope::Service(r) => {
                services.insert((r.namespace.as_str(), r.name.as_str()));
            }
            Scope::Workload(_) => workloads.push(scope),
        }
    }
    mesh.services
        .iter()
        .filter(|s| {
            everywhere
                || own_l7(s)
                || namespaces.contains(s.namespace.as_str())
                || services.contains(&(s.namespace.as_str(), s.name.as_str()))
                || workloads.iter().any(|w| super::security::applies_to(w, s))
        })
        .map(|s| s.namespace.clone())
        .collect()
}

/// Whether namespace `ns` has a waypoint (ambient mode): then every
/// service of the namespace is reached through it.
pub(crate) fn has_waypoint(cx: &Cx<'_>, ns: &mesh_model::Name) -> bool {
    cx.waypoints.contains(ns)
}

/// The `istio.io/use-waypoint` label value for a namespace in ambient
/// mode, when one of its services needs L7 processing.
pub(crate) fn waypoint_label(cx: &Cx<'_>, ns: &mesh_model::Name) -> Option<String> {
    has_waypoint(cx, ns).then(|| super::gamma::WAYPOINT.to_owned())
}
