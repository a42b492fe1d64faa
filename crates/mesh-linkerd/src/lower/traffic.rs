//! Services, per-version Services, routes and splits.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Service as K8sService, ServicePort as K8sServicePort, ServiceSpec,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_k8s::GoDuration;
use mesh_k8s::gateway::precedence::{self, RegexRank, RouteEntry};
use mesh_k8s::gateway::{
    self as gw, HeaderModifier, HttpBackendRef, HttpRoute as GwHttpRoute, HttpRouteFilter,
    HttpRouteMatch, HttpRouteRule, HttpRouteTimeouts, ReferenceGrant, ReferenceGrantFrom,
    ReferenceGrantSpec, ReferenceGrantTo, ServiceRef as GwServiceRef,
};
use mesh_k8s::lowering::meta;
use mesh_model::{
    Action, BackendRef, Feature, FieldPath, Forward, HeaderEdits, Labels, Name, PathMatch,
    PathRewrite, Port, Route, RouteMatch, Service, StringMatch, Unmatched,
};

use super::{Cx, ResilienceFlavor, RoutingFlavor, nz, resilience, root};
use crate::crds::{SplitBackend, TrafficSplit, TrafficSplitSpec};

/// Labels as a string map.
pub(crate) fn labels(l: &Labels) -> BTreeMap<String, String> {
    l.iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
        .collect()
}

fn k8s_service(
    name: &str,
    svc: &Service,
    selector: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
) -> K8sService {
    let mut m = meta(name, Some(svc.namespace.as_str()));
    if !annotations.is_empty() {
        m.annotations = Some(annotations);
    }
    K8sService {
        metadata: m,
        spec: Some(ServiceSpec {
            selector: Some(selector),
            ports: Some(
                svc.ports
                    .iter()
                    .map(|p| K8sServicePort {
                        name: Some(svc.port_name(p)),
                        port: i32::from(p.number.get()),
                        target_port: Some(IntOrString::Int(i32::from(
                            p.target_port.unwrap_or(p.number).get(),
                        ))),
                        protocol: Some("TCP".to_owned()),
                        ..K8sServicePort::default()
                    })
                    .collect(),
            ),
            ..ServiceSpec::default()
        }),
        ..K8sService::default()
    }
}

/// The name of the Service a backend goes to: `<service>` or
/// `<service>-<version>`.
pub(crate) fn backend_service_name(service: &Name, version: Option<&Name>) -> String {
    match version {
        Some(v) => format!("{service}-{v}"),
        None => service.to_string(),
    }
}

/// The feature a route's most specific match condition belongs to (for
/// precedence errors and notes).
fn match_feature(r: &Route) -> Feature {
    let any = |f: fn(&RouteMatch) -> bool| r.matches.iter().any(f);
    if any(|m| !m.query.is_empty()) {
        Feature::QueryMatch
    } else if any(|m| !m.headers.is_empty()) {
        Feature::HeaderMatch
    } else if any(|m| m.method.is_some()) {
        Feature::MethodMatch
    } else if any(|m| matches!(m.path, Some(PathMatch::Regex(_)))) {
        Feature::PathRegex
    } else if any(|m| matches!(m.path, Some(PathMatch::Exact(_)))) {
        Feature::PathExact
    } else {
        Feature::PathPrefix
    }
}

/// Where a route lives, for lowering its rules.
pub(crate) struct RouteScope<'a> {
    /// Namespace of the route object.
    pub namespace: &'a Name,
    /// The owning service (service routes), none for ingress routes.
    pub owner: Option<&'a Service>,
    /// The parent port (service routes).
    pub port: Option<Port>,
    /// Ingress routes: the ingress controller, not Linkerd, runs them.
    pub ingress: bool,
}

/// A model route lowered into Gateway API rules, or `None` when something
/// in it is unsupported (recorded).
pub(crate) fn lower_route(
    cx: &mut Cx<'_>,
    scope: &RouteScope<'_>,
    route: &Route,
    kept: &[usize],
    path: &FieldPath,
) -> Option<Vec<HttpRouteRule>> {
    let mut ok = true;
    let matches: Vec<HttpRouteMatch> = kept
        .iter()
        .map(|k| gw_match(cx, &route.matches[*k], &path.field("match").index(*k)))
        .collect();
    let mut filters = Vec::new();
    if !route.request_headers.is_empty() {
        filters.push(HttpRouteFilter::RequestHeaderModifier(modifier(
            &route.request_headers,
        )));
    }
    if !route.response_headers.is_empty() {
        filters.push(HttpRouteFilter::ResponseHeaderModifier(modifier(
            &route.response_headers,
        )));
    }
    let mut backends = Vec::new();
    let mut timeouts = None;
    match &route.action {
        Action::Forward(f) => {
            let fp = path.field("forward");
            ok &= forward_checks(cx, scope, f, &fp);
            for (j, b) in f.backends.iter().enumerate() {
                match backend(cx, scope, b) {
                    Some(b) => backends.push(b),
                    None => {
                        ok = false;
                        cx.unsupported(
                            Feature::VersionRouting,
                            fp.field("backends").index(j),
                            "name the backend's service and port: Gateway API needs a port for a Service backend",
                        );
                    }
                }
            }
            if scope.ingress {
                if let Some(t) = f.timeout {
                    match GoDuration::gateway_api(t) {
                        Some(d) => timeouts = Some(HttpRouteTimeouts::request(d)),
                        None => {
                            ok = false;
                            cx.unsupported(
                                Feature::Timeout,
                                fp.field("timeout"),
                                "Gateway API timeouts are whole milliseconds: round the timeout",
                            );
                        }
                    }
                }
                if f.retries.is_some() {
                    ok = false;
                    cx.unsupported(
                        Feature::Retries,
                        fp.field("retries"),
                        "ingress routes are run by the ingress controller, not Linkerd, and Gateway API retries are experimental: set retries on the backend service (`resilience.retries`), which Linkerd's proxy in the gateway pod applies",
                    );
                }
                if let Some(rw) = &f.rewrite {
                    let path_mod = match &rw.path {
                        Some(PathRewrite::Full(p)) => {
                            Some(gw::PathModifier::ReplaceFullPath(p.to_string()))
                        }
                        Some(PathRewrite::Prefix(p)) => {
                            Some(gw::PathModifier::ReplacePrefixMatch(p.to_string()))
                        }
                        None => None,
                    };
                    filters.push(HttpRouteFilter::UrlRewrite(gw::UrlRewrite {
                        hostname: rw.host.as_ref().map(ToString::to_string),
                        path: path_mod,
                    }));
                }
            }
        }
        Action::Redirect(r) => {
            filters.push(HttpRouteFilter::RequestRedirect(gw::RequestRedirect {
                scheme: r.scheme.map(|s| match s {
                    mesh_model::Scheme::Http => gw::RedirectScheme::Http,
                    mesh_model::Scheme::Https => gw::RedirectScheme::Https,
                }),
                hostname: r.host.as_ref().map(ToString::to_string),
                path: r.path.as_ref().map(|p| match p {
                    PathRewrite::Full(p) => gw::PathModifier::ReplaceFullPath(p.to_string()),
                    PathRewrite::Prefix(p) => gw::PathModifier::ReplacePrefixMatch(p.to_string()),
                }),
                port: r.port.map(nz),
                status_code: gw::RedirectStatusCode::try_from(r.status.code()).ok(),
            }));
            if !scope.ingress
                && cx.opts.routing == RoutingFlavor::PolicyHttpRoute
                && !matches!(r.status.code(), 301 | 302)
            {
                ok = false;
                cx.unsupported(
                    Feature::Redirect,
                    path.field("redirect").field("status"),
                    "policy.linkerd.io HTTPRoute redirects are 301 or 302: use RoutingFlavor::GatewayApi",
                );
            }
            if matches!(r.path, Some(PathRewrite::Prefix(_)))
                && !kept
                    .iter()
                    .all(|k| matches!(route.matches[*k].path, Some(PathMatch::Prefix(_))))
            {
                ok = false;
                cx.unsupported(
                    Feature::Redirect,
                    path.field("redirect").field("path"),
                    "a prefix redirect needs a path-prefix match on every alternative of the route",
                );
            }
        }
        Action::Respond(_) => {
            ok = false;
            cx.unsupported(
                Feature::DirectResponse,
                path.field("respond"),
                "Linkerd cannot answer requests itself: deploy a small backend that returns the response and forward to it",
            );
        }
    }
    if !ok {
        return None;
    }
    let base = HttpRouteRule {
        name: None,
        matches: Vec::new(),
        filters,
        backend_refs: backends,
        timeouts,
    };
    let prefix_redirect = matches!(
        &route.action,
        Action::Redirect(r) if matches!(r.path, Some(PathRewrite::Prefix(_)))
    ) || matches!(&route.action, Action::Forward(f) if scope.ingress && matches!(f.rewrite.as_ref().and_then(|r| r.path.as_ref()), Some(PathRewrite::Prefix(_))));
    // Gateway API: at most 8 matches per rule; a prefix replacement needs
    // exactly one prefix match per rule. Splitting keeps the order and the
    // outcome.
    let chunk = if prefix_redirect { 1 } else { 8 };
    if matches.is_empty() {
        return Some(vec![base]);
    }
    Some(
        matches
            .chunks(chunk)
            .map(|c| HttpRouteRule {
                matches: c.to_vec(),
                ..base.clone()
            })
            .collect(),
    )
}

/// Refuses what Linkerd cannot do on a forward (both meshes and ingress).
fn forward_checks(cx: &mut Cx<'_>, scope: &RouteScope<'_>, f: &Forward, fp: &FieldPath) -> bool {
    let mut ok = true;
    for (k, _) in f.mirrors.iter().enumerate() {
        ok = false;
        cx.unsupported(
            Feature::Mirror,
            fp.field("mirrors").index(k),
            "Linkerd does not mirror traffic: remove the mirror, or mirror at the ingress controller",
        );
    }
    if f.rewrite.is_some() && !scope.ingress {
        ok = false;
        cx.unsupported(
            Feature::Rewrite,
            fp.field("rewrite"),
            "Linkerd does not implement the URLRewrite filter on mesh routes: rewrite in the application or at the ingress (ingress routes support rewrites)",
        );
    }
    if let Some(fault) = &f.fault {
        if fault.delay.is_some() {
            ok = false;
            cx.unsupported(
                Feature::FaultDelay,
                fp.field("fault").field("delay"),
                "Linkerd has no fault injection: add latency in a test backend instead",
            );
        }
        if fault.abort.is_some() {
            ok = false;
            cx.unsupported(
                Feature::FaultAbort,
                fp.field("fault").field("abort"),
                "Linkerd's documented pattern splits a share of traffic to a backend that returns errors; meshwright does not generate that backend: deploy one and add it as a weighted backend",
            );
        }
    }
    ok
}

fn backend(cx: &mut Cx<'_>, scope: &RouteScope<'_>, b: &BackendRef) -> Option<HttpBackendRef> {
    let t = b.target(scope.namespace, scope.owner.map(|s| &s.name))?;
    let target_svc = cx.services.get(&t.service);
    let port = t
        .port
        .or_else(|| match target_svc.map(|s| s.ports.as_slice()) {
            Some([only]) => Some(only.number),
            Some(ports) => scope
                .port
                .filter(|p| ports.iter().any(|q| q.number == *p))
                .or_else(|| ports.iter().find(|q| q.protocol.is_l7()).map(|q| q.number)),
            None => scope.port,
        })?;
    let name = backend_service_name(&t.service.name, t.version.as_ref());
    let mut r = HttpBackendRef::service(name, nz(port));
    if b.weight != mesh_model::Weight::default() {
        r = r.with_weight(gw::Weight::new(b.weight.get()).ok()?);
    }
    if t.service.namespace != *scope.namespace {
        cx.grants
            .insert((scope.namespace.to_string(), t.service.namespace.to_string()));
        r = r.in_namespace(t.service.namespace.to_string());
    }
    Some(r)
}

fn modifier(e: &HeaderEdits) -> HeaderModifier {
    let mut m = HeaderModifier::new();
    for (k, v) in &e.set {
        m = m.set(k.as_str(), v.clone());
    }
    for (k, v) in &e.add {
        m = m.add(k.as_str(), v.clone());
    }
    for k in &e.remove {
        m = m.remove(k.as_str());
    }
    m
}

fn string_match(
    cx: &mut Cx<'_>,
    m: &StringMatch,
    path: FieldPath,
    feature: Feature,
) -> (Option<gw::MatchType>, String) {
    match m {
        StringMatch::Exact(v) => (None, v.clone()),
        StringMatch::Regex(r) => (Some(gw::MatchType::RegularExpression), r.to_string()),
        StringMatch::Prefix(_) => {
            let re = m.to_regex().map(|r| r.to_string()).unwrap_or_default();
            cx.note(
                feature,
                path,
                format!("prefix match written as the regular expression {re:?} (Gateway API has no prefix match for values)"),
            );
            (Some(gw::MatchType::RegularExpression), re)
        }
    }
}

pub(crate) fn gw_match(cx: &mut Cx<'_>, m: &RouteMatch, path: &FieldPath) -> HttpRouteMatch {
    HttpRouteMatch {
        path: m.path.as_ref().map(|p| match p {
            PathMatch::Exact(x) => gw::HttpPathMatch::Exact(x.to_string()),
            PathMatch::Prefix(x) => gw::HttpPathMatch::PathPrefix(x.to_string()),
            PathMatch::Regex(r) => gw::HttpPathMatch::RegularExpression(r.to_string()),
        }),
        headers: m
            .headers
            .iter()
            .map(|(k, v)| {
                let (match_type, value) = string_match(
                    cx,
                    v,
                    path.field("headers").key(k.as_str()),
                    Feature::HeaderMatch,
                );
                gw::HeaderMatch {
                    name: k.as_str().to_owned(),
                    match_type,
                    value,
                }
            })
            .collect(),
        query_params: m
            .query
            .iter()
            .map(|(k, v)| {
                let (match_type, value) =
                    string_match(cx, v, path.field("query").key(k), Feature::QueryMatch);
                gw::QueryParamMatch {
                    name: k.clone(),
                    match_type,
                    value,
                }
            })
            .collect(),
        method: m.method.and_then(|x| x.as_str().parse().ok()),
    }
}

/// Whether a route does nothing Linkerd would not do without a route:
/// forward to the whole owning service with no filters (and, when
/// `ignore_resilience`, whatever its retries and timeout).
fn is_plain(route: &Route, svc: &Service, ignore_resilience: bool) -> bool {
    let Action::Forward(f) = &route.action else {
        return false;
    };
    route.request_headers.is_empty()
        && route.response_headers.is_empty()
        && f.mirrors.is_empty()
        && f.rewrite.is_none()
        && f.fault.is_none()
        && (ignore_resilience || (f.retries.is_none() && f.timeout.is_none()))
        && f.backends.iter().all(|b| {
            b.target(&svc.namespace, Some(&svc.name)).is_some_and(|t| {
                t.service.name == svc.name
                    && t.service.namespace == svc.namespace
                    && t.version.is_none()
                    && t.port
                        .is_none_or(|p| svc.ports.len() == 1 && svc.ports[0].number == p)
            })
        })
}

/// Lowers one service: its Service objects, resilience and routes.
pub(crate) fn service(cx: &mut Cx<'_>, i: usize, svc: &Service) {
    let p = root().field("services").index(i);
    let sp_mode = cx.opts.resilience == ResilienceFlavor::ServiceProfile;
    resilience::service_checks(cx, svc, &p);

    // The routes, with the explicit catch-all for unmatched requests.
    let mut routes: Vec<(FieldPath, String, Route)> = svc
        .routes
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let rp = p.field("routes").index(j);
            let label = r
                .name
                .as_ref()
                .map_or_else(|| format!("route-{j}"), ToString::to_string);
            (rp, label, r.clone())
        })
        .collect();
    if !svc.routes.is_empty() && !svc.routes.iter().any(Route::is_catch_all) {
        let up = p.field("unmatched");
        let backend = match &svc.unmatched {
            Unmatched::Service => Some(BackendRef::this_service()),
            Unmatched::Version(v) => Some(BackendRef {
                version: Some(v.clone()),
                ..BackendRef::default()
            }),
            Unmatched::NotFound => None,
        };
        match backend {
            Some(b) => {
                cx.note(
                    Feature::Unmatched,
                    up.clone(),
                    "explicit last catch-all rule for requests no route matches (Gateway API would answer 404)",
                );
                routes.push((
                    up,
                    "unmatched".to_owned(),
                    Route {
                        name: None,
                        matches: Vec::new(),
                        action: Action::Forward(Forward {
                            backends: vec![b],
                            ..Forward::default()
                        }),
                        request_headers: HeaderEdits::default(),
                        response_headers: HeaderEdits::default(),
                    },
                ));
            }
            None => cx.note(
                Feature::Unmatched,
                up,
                "no catch-all rule: Linkerd answers 404 to requests no route matches",
            ),
        }
    }

    // Retry/timeout annotations: service defaults and, per route, the
    // route's own settings merged over them.
    let service_rt = if sp_mode {
        BTreeMap::new()
    } else {
        resilience::retry_timeout(
            cx,
            svc.resilience.retries.as_ref(),
            svc.resilience.timeout,
            &p.field("resilience"),
            false,
        )
    };
    let mut groups: Vec<BTreeMap<String, String>> = Vec::new();
    let mut group_of = Vec::new();
    for (rp, _, r) in &routes {
        let mut key = BTreeMap::new();
        if !sp_mode && let Some(f) = r.forward() {
            let own = resilience::retry_timeout(
                cx,
                f.retries.as_ref(),
                f.timeout,
                &rp.field("forward"),
                true,
            );
            let (own_retry, own_timeout) = (f.retries.is_some(), f.timeout.is_some());
            for (k, v) in &service_rt {
                let is_retry = k.starts_with("retry.");
                if (is_retry && !own_retry) || (!is_retry && !own_timeout) {
                    key.insert(k.clone(), v.clone());
                }
            }
            key.extend(own);
        }
        let g = groups.iter().position(|x| *x == key).unwrap_or_else(|| {
            groups.push(key);
            groups.len() - 1
        });
        group_of.push(g);
    }

    // Precedence.
    let entries: Vec<RouteEntry<'_>> = routes
        .iter()
        .zip(&group_of)
        .map(|((rp, _, r), g)| RouteEntry::new(r, *g, rp.to_string()))
        .collect();
    let plan = match precedence::plan(&entries, RegexRank::BetweenExactAndPrefix) {
        Ok(plan) => plan,
        Err(c) => {
            let (rp, _, r) = &routes[c.later_index];
            cx.unsupported(
                match_feature(r),
                rp.clone(),
                format!("{c}; put the more specific route first, or make the matches disjoint"),
            );
            return emit_services(cx, svc, &p, service_rt);
        }
    };
    for d in &plan.dropped {
        let (rp, _, r) = &routes[d.entry];
        let at = d
            .matching
            .map_or_else(|| rp.clone(), |k| rp.field("match").index(k));
        cx.note(
            match_feature(r),
            at,
            format!(
                "never matches under first-match (an earlier route, {}, takes all its requests): left out, since Gateway API's most-specific-match would pick it",
                routes[d.shadowed_by].0
            ),
        );
    }

    let plain = plan
        .rules
        .iter()
        .all(|r| is_plain(&routes[r.entry].2, svc, sp_mode));
    if sp_mode {
        let needs_route = !svc.routes.is_empty() && !plain;
        resilience::service_profile(cx, svc, &p, needs_route);
    }
    let mut service_annotations = service_rt;
    if svc.routes.is_empty() || plain {
        let visible = service_annotations
            .keys()
            .any(|k| k.starts_with("retry.") || k.starts_with("timeout."));
        export_to(cx, svc, &p, visible);
        return emit_services(cx, svc, &p, service_annotations);
    }

    let l7: Vec<_> = svc.ports.iter().filter(|x| x.protocol.is_l7()).collect();
    if l7.is_empty() {
        cx.unsupported(
            Feature::VersionRouting,
            p.field("ports"),
            "declare the service's HTTP port: Linkerd attaches routes to a Service port",
        );
        return emit_services(cx, svc, &p, service_annotations);
    }
    export_to(cx, svc, &p, true);

    match cx.opts.routing {
        RoutingFlavor::SmiTrafficSplit => {
            smi(cx, svc, &p, &routes, &plan, &mut service_annotations);
        }
        flavor => {
            for port in &l7 {
                let scope = RouteScope {
                    namespace: &svc.namespace,
                    owner: Some(svc),
                    port: Some(port.number),
                    ingress: false,
                };
                let base = if l7.len() == 1 {
                    svc.name.to_string()
                } else {
                    format!("{}-{}", svc.name, svc.port_name(port))
                };
                for (g, annotations) in groups.iter().enumerate() {
                    let mut rules = Vec::new();
                    let mut first = None;
                    for pr in plan.rules.iter().filter(|r| group_of[r.entry] == g) {
                        let (rp, label, r) = &routes[pr.entry];
                        first.get_or_insert(label.clone());
                        if let Some(rs) = lower_route(cx, &scope, r, &pr.matches, rp) {
                            rules.extend(rs);
                        }
                    }
                    let Some(first) = first else { continue };
                    let name = if groups.len() == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{first}")
                    };
                    let mut route = GwHttpRoute::for_service(
                        name,
                        svc.namespace.as_str(),
                        GwServiceRef::new(svc.name.to_string(), nz(port.number)),
                    );
                    route.spec.rules = rules;
                    if !annotations.is_empty() {
                        route.metadata.annotations = Some(annotations.clone());
                    }
                    emit_route(cx, route, flavor);
                }
            }
        }
    }
    emit_services(cx, svc, &p, service_annotations);
}

/// `exportTo`: Linkerd has no config visibility; without routes or
/// retry/timeout annotations there is nothing to hide.
fn export_to(cx: &mut Cx<'_>, svc: &Service, p: &FieldPath, has_config: bool) {
    if svc.export_to.is_empty() {
        return;
    }
    if has_config {
        cx.unsupported(
            Feature::ExportTo,
            p.field("exportTo"),
            "Linkerd applies a Service's routes and retry/timeout annotations to every client: drop exportTo (or write consumer routes in the clients' namespaces yourself)",
        );
    } else {
        cx.note(
            Feature::ExportTo,
            p.field("exportTo"),
            "no effect on Linkerd: the service has no routes or retry/timeout settings for other namespaces to see",
        );
    }
}

/// Emits a service-attached route in the chosen flavor.
pub(crate) fn emit_route(cx: &mut Cx<'_>, mut route: GwHttpRoute, flavor: RoutingFlavor) {
    if flavor == RoutingFlavor::PolicyHttpRoute {
        match to_policy_route(&route, cx.opts.policy_http_route_version) {
            Ok(r) => cx.out.emit(r),
            Err(e) => cx.out.error(mesh_model::LowerError::Output(format!(
                "policy.linkerd.io HTTPRoute {}: {e}",
                route.name()
            ))),
        }
        return;
    }
    if let Err(e) = route.set_version(cx.opts.gateway_api_version) {
        cx.out.error(mesh_model::LowerError::Option {
            option: "gateway_api_version",
            message: e.to_string(),
        });
    }
    cx.out.emit(route);
}

/// A Gateway API HTTPRoute written as Linkerd's own HTTPRoute: Service
/// parents get group `core`, response-header filters move onto each
/// backend (Linkerd's rule filters cannot modify responses).
pub(crate) fn to_policy_route(
    route: &GwHttpRoute,
    version: &str,
) -> Result<crate::crds::HttpRoute, String> {
    use serde_json::Value;
    let mut v = serde_json::to_value(&route.spec).map_err(|e| e.to_string())?;
    if let Some(parents) = v.get_mut("parentRefs").and_then(Value::as_array_mut) {
        for p in parents {
            if p.get("group").and_then(Value::as_str) == Some("") {
                p["group"] = Value::from("core");
            }
        }
    }
    if let Some(rules) = v.get_mut("rules").and_then(Value::as_array_mut) {
        for r in rules {
            let Some(obj) = r.as_object_mut() else {
                continue;
            };
            let filters = obj
                .remove("filters")
                .and_then(|f| f.as_array().cloned())
                .unwrap_or_default();
            let (resp, keep): (Vec<Value>, Vec<Value>) = filters.into_iter().partition(|f| {
                f.get("type").and_then(Value::as_str) == Some("ResponseHeaderModifier")
            });
            if !keep.is_empty() {
                obj.insert("filters".into(), Value::from(keep));
            }
            if !resp.is_empty() {
                let Some(backends) = obj.get_mut("backendRefs").and_then(Value::as_array_mut)
                else {
                    return Err("response header edits need a backend".into());
                };
                for b in backends {
                    if let Some(b) = b.as_object_mut() {
                        b.insert("filters".into(), Value::from(resp.clone()));
                    }
                }
            }
        }
    }
    let spec: crate::crds::HttpRouteSpec = serde_json::from_value(v).map_err(|e| e.to_string())?;
    let mut out = crate::crds::HttpRoute::new(route.name(), route.namespace(), spec);
    out.metadata.annotations = route.metadata.annotations.clone();
    out.set_version(version).map_err(|e| e.to_string())?;
    Ok(out)
}

fn smi(
    cx: &mut Cx<'_>,
    svc: &Service,
    p: &FieldPath,
    routes: &[(FieldPath, String, Route)],
    plan: &precedence::Plan,
    service_annotations: &mut BTreeMap<String, String>,
) {
    let single = match plan.rules.as_slice() {
        [only] if routes[only.entry].2.matches.is_empty() => Some(&routes[only.entry]),
        _ => None,
    };
    let forward = single.and_then(|(rp, _, r)| {
        let f = r.forward()?;
        let own = f.backends.iter().all(|b| {
            b.target(&svc.namespace, Some(&svc.name)).is_some_and(|t| {
                t.service.name == svc.name
                    && t.service.namespace == svc.namespace
                    && t.port.is_none()
            })
        });
        (own && f.mirrors.is_empty()
            && f.rewrite.is_none()
            && f.fault.is_none()
            && r.request_headers.is_empty()
            && r.response_headers.is_empty())
        .then_some((rp, f))
    });
    let Some((rp, f)) = forward else {
        cx.unsupported(
            Feature::WeightedSplit,
            p.field("routes"),
            "the SMI flavor expresses one weighted split of all of a service's traffic between its versions: use RoutingFlavor::GatewayApi for matches and filters",
        );
        return;
    };
    // The route is all of the service's traffic: its retries and timeout
    // are the service's.
    if cx.opts.resilience == ResilienceFlavor::Annotations {
        let own = resilience::retry_timeout(
            cx,
            f.retries.as_ref(),
            f.timeout,
            &rp.field("forward"),
            false,
        );
        if f.retries.is_some() {
            service_annotations.retain(|k, _| !k.starts_with("retry."));
        }
        if f.timeout.is_some() {
            service_annotations.retain(|k, _| !k.starts_with("timeout."));
        }
        service_annotations.extend(own);
    }
    let spec = TrafficSplitSpec {
        service: svc.name.to_string(),
        matches: Vec::new(),
        backends: f
            .backends
            .iter()
            .map(|b| SplitBackend {
                service: backend_service_name(&svc.name, b.version.as_ref()),
                weight: b.weight.get(),
            })
            .collect(),
    };
    let mut ts = TrafficSplit::new(svc.name.to_string(), Some(svc.namespace.as_str()), spec);
    if let Err(e) = ts.set_version(cx.opts.traffic_split_version) {
        cx.out.error(mesh_model::LowerError::Option {
            option: "traffic_split_version",
            message: e.to_string(),
        });
    }
    cx.out.emit(ts);
}

/// The Service and its per-version Services.
fn emit_services(
    cx: &mut Cx<'_>,
    svc: &Service,
    p: &FieldPath,
    mut annotations: BTreeMap<String, String>,
) {
    annotations.extend(resilience::failure_accrual(cx, svc, p));
    let opaque: Vec<String> = svc
        .ports
        .iter()
        .filter(|x| x.protocol == mesh_model::Protocol::Tcp)
        .map(|x| x.number.to_string())
        .collect();
    if !opaque.is_empty() {
        // Opaque TCP: no protocol detection (server-speaks-first protocols
        // would stall it).
        annotations.insert(
            "config.linkerd.io/opaque-ports".to_owned(),
            opaque.join(","),
        );
    }
    if svc.ports.is_empty() {
        cx.note(
            Feature::VersionRouting,
            p.field("ports"),
            "no ports: no Service objects are generated for this service",
        );
        return;
    }
    let selector = labels(&svc.pod_selector());
    cx.out.emit(k8s_service(
        svc.name.as_str(),
        svc,
        selector.clone(),
        annotations.clone(),
    ));
    for v in &svc.versions {
        let mut sel = selector.clone();
        sel.extend(labels(&v.pod_labels()));
        let accrual: BTreeMap<String, String> = annotations
            .iter()
            .filter(|(k, _)| {
                k.starts_with("balancer.") || k.as_str() == "config.linkerd.io/opaque-ports"
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        cx.out.emit(k8s_service(
            &backend_service_name(&svc.name, Some(&v.name)),
            svc,
            sel,
            accrual,
        ));
    }
}

/// ReferenceGrants for cross-namespace backends.
pub(crate) fn reference_grants(cx: &mut Cx<'_>) {
    let grants = std::mem::take(&mut cx.grants);
    for (from, to) in grants {
        let mut g = ReferenceGrant::new(
            format!("meshwright-from-{from}"),
            Some(&to),
            ReferenceGrantSpec {
                from: vec![ReferenceGrantFrom::http_routes(from.clone())],
                to: vec![ReferenceGrantTo::services()],
            },
        );
        if let Err(e) = g.set_version(cx.opts.gateway_api_version) {
            cx.out.error(mesh_model::LowerError::Option {
                option: "gateway_api_version",
                message: e.to_string(),
            });
        }
        cx.out.emit(g);
    }
}
