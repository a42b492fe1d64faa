//! The GAMMA flavor: Gateway API HTTPRoutes attached to Services, with a
//! core Service per version; and the ambient waypoints.

use std::collections::BTreeMap;
use std::num::NonZeroU16;

use k8s_openapi::api::core::v1::{Service as CoreService, ServicePort, ServiceSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_k8s::GoDuration;
use mesh_k8s::gateway::precedence::{self, RegexRank, RouteEntry};
use mesh_k8s::gateway::{
    BackendObjectReference, BackendRef, Fraction, Gateway as K8sGateway, GatewaySpec, HeaderMatch,
    HeaderModifier, HttpBackendRef, HttpMethod, HttpPathMatch, HttpRoute, HttpRouteFilter,
    HttpRouteMatch, HttpRouteRule, HttpRouteTimeouts, Listener, MatchType, MirrorAmount,
    ParentReference, PathModifier, Percent, ProtocolType, QueryParamMatch, RedirectScheme,
    RedirectStatusCode, RequestMirror, RequestRedirect, UrlRewrite, Weight,
};
use mesh_model::{
    Action, Feature, FieldPath, HeaderEdits, Method, PathMatch, PathRewrite, Route, RouteMatch,
    Service, Target, Unmatched,
};

use super::{Cx, plain_labels, service_path};

/// Name of the waypoint generated per namespace in ambient mode.
pub(crate) const WAYPOINT: &str = "waypoint";

/// The HTTPRoute of one service, its per-version Services, and (ambient)
/// its namespace's waypoint.
pub(crate) fn service_route(cx: &mut Cx<'_>, i: usize, svc: &Service) {
    let path = service_path(i);
    // Gateway API picks the most specific match, the model the first one:
    // the shared checker proves the order cannot matter, drops matches
    // first-match makes dead, or names the two conflicting routes. One
    // HTTPRoute per service: every route is in group 0. Istio ranks
    // regex paths below prefixes (`sortHTTPRoutes`), a ranking the
    // checker does not model, so regex paths are `Unordered`
    // (conservative: a possible conflict is refused, never hidden).
    let labels: Vec<String> = (0..svc.routes.len())
        .map(|j| path.field("routes").index(j).to_string())
        .collect();
    let entries: Vec<RouteEntry<'_>> = svc
        .routes
        .iter()
        .zip(&labels)
        .map(|(r, l)| RouteEntry::new(r, 0, l.as_str()))
        .collect();
    let plan = match precedence::plan(&entries, RegexRank::Unordered) {
        Ok(plan) => plan,
        Err(c) => {
            cx.http_route_unsupported(
                match_feature(&svc.routes[c.later_index]),
                path.field("routes").index(c.later_index),
                format!(
                    "{c} (Gateway API picks the most specific match); put the more specific route first \
                     or make the matches disjoint"
                ),
            );
            return;
        }
    };
    for d in &plan.dropped {
        let rp = path.field("routes").index(d.entry);
        cx.note(
            match_feature(&svc.routes[d.entry]),
            d.matching
                .map_or_else(|| rp.clone(), |k| rp.field("match").index(k)),
            format!(
                "never matches under first-match (an earlier route, {}, takes all its requests): left out, \
                 since Gateway API's most-specific-match would pick it",
                entries[d.shadowed_by].label
            ),
        );
    }
    let Some(port) = first_port(svc) else {
        cx.http_route_unsupported(
            Feature::VersionRouting,
            path.field("ports"),
            "HTTPRoute backends need the service's port; declare its ports",
        );
        return;
    };
    let ns = svc.namespace.as_str();
    let mut rules = Vec::new();
    for pr in &plan.rules {
        let rpath = path.field("routes").index(pr.entry);
        rules.extend(rule(cx, &svc.routes[pr.entry], &pr.matches, svc, &rpath));
    }
    if svc.routes.is_empty() || !svc.routes.iter().any(super::traffic::is_catch_all) {
        let backend = match &svc.unmatched {
            Unmatched::Service => Some(svc.name.to_string()),
            Unmatched::Version(v) => Some(format!("{}-{v}", svc.name)),
            Unmatched::NotFound => None,
        };
        if let Some(b) = backend {
            rules.push(HttpRouteRule::forward_to(HttpBackendRef::service(b, port)));
            if !svc.routes.is_empty() {
                cx.note(
                    Feature::Unmatched,
                    path.field("unmatched"),
                    "added a catch-all rule (the least specific in Gateway API) for requests matching no route",
                );
            }
        }
    }
    if !svc.export_to.is_empty() {
        cx.http_route_unsupported(
            Feature::ExportTo,
            path.field("exportTo"),
            "HTTPRoutes have no exportTo",
        );
    }
    cx.note(
        Feature::Retries,
        path.clone(),
        "Gateway API (standard channel) cannot say `no retries`: set meshConfig.defaultHttpRetryPolicy \
         {attempts: 0} at install time so Istio does not retry twice",
    );
    let mut route = HttpRoute::new(
        svc.name.as_str(),
        Some(ns),
        mesh_k8s::gateway::HttpRouteSpec {
            parent_refs: vec![ParentReference::service(svc.name.as_str())],
            rules,
            ..Default::default()
        },
    );
    route.spec.hostnames.clear();
    cx.emit_plain(route);
    version_services(cx, svc, port);
}

/// The feature a route's matches use (for refusals).
fn match_feature(r: &Route) -> Feature {
    let any = |f: &dyn Fn(&RouteMatch) -> bool| r.matches.iter().any(f);
    if any(&|m| !m.headers.is_empty()) {
        Feature::HeaderMatch
    } else if any(&|m| !m.query.is_empty()) {
        Feature::QueryMatch
    } else if any(&|m| m.method.is_some()) {
        Feature::MethodMatch
    } else if any(&|m| matches!(m.path, Some(PathMatch::Regex(_)))) {
        Feature::PathRegex
    } else if any(&|m| matches!(m.path, Some(PathMatch::Prefix(_)))) {
        Feature::PathPrefix
    } else {
        Feature::PathExact
    }
}

fn first_port(svc: &Service) -> Option<NonZeroU16> {
    svc.ports
        .iter()
        .find(|p| p.protocol.is_l7())
        .or(svc.ports.first())
        .and_then(|p| NonZeroU16::new(p.number.get()))
}

/// A core Service `<service>-<version>` per version, selecting the
/// version's pods, and the DestinationRule carrying its resilience.
fn version_services(cx: &mut Cx<'_>, svc: &Service, _port: NonZeroU16) {
    for v in &svc.versions {
        let mut selector = plain_labels(&svc.pod_selector());
        selector.extend(plain_labels(&v.pod_labels()));
        let ports = svc
            .ports
            .iter()
            .map(|p| ServicePort {
                name: Some(svc.port_name(p)),
                port: i32::from(p.number.get()),
                target_port: Some(IntOrString::Int(i32::from(
                    p.target_port.unwrap_or(p.number).get(),
                ))),
                app_protocol: None,
                ..ServicePort::default()
            })
            .collect();
        let core = CoreService {
            metadata: mesh_k8s::lowering::meta(
                format!("{}-{}", svc.name, v.name),
                Some(svc.namespace.as_str()),
            ),
            spec: Some(ServiceSpec {
                selector: Some(selector),
                ports: Some(ports),
                ..ServiceSpec::default()
            }),
            ..CoreService::default()
        };
        cx.emit_plain(core);
    }
}

fn backend_name(t: &Target) -> String {
    match &t.version {
        Some(v) => format!("{}-{v}", t.service.name),
        None => t.service.name.to_string(),
    }
}

fn port_of(cx: &Cx<'_>, t: &Target) -> Option<NonZeroU16> {
    t.port
        .and_then(|p| NonZeroU16::new(p.get()))
        .or_else(|| cx.services.get(&t.service).and_then(first_port))
}

fn modifier(e: &HeaderEdits) -> Option<HeaderModifier> {
    if e.is_empty() {
        return None;
    }
    let mut m = HeaderModifier::new();
    for (k, v) in &e.set {
        m = m.set(k.as_str(), v.as_str());
    }
    for (k, v) in &e.add {
        m = m.add(k.as_str(), v.as_str());
    }
    for k in &e.remove {
        m = m.remove(k.as_str());
    }
    Some(m)
}

fn method(m: Method) -> HttpMethod {
    match m {
        Method::Get => HttpMethod::Get,
        Method::Head => HttpMethod::Head,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Delete => HttpMethod::Delete,
        Method::Connect => HttpMethod::Connect,
        Method::Options => HttpMethod::Options,
        Method::Trace => HttpMethod::Trace,
        Method::Patch => HttpMethod::Patch,
    }
}

/// A value match as Gateway API's (type, value): prefixes become regexes.
fn value_match(
    cx: &mut Cx<'_>,
    m: &mesh_model::StringMatch,
    feature: Feature,
    path: &FieldPath,
) -> (Option<MatchType>, String) {
    match m {
        mesh_model::StringMatch::Exact(v) => (None, v.clone()),
        mesh_model::StringMatch::Regex(r) => (Some(MatchType::RegularExpression), r.to_string()),
        mesh_model::StringMatch::Prefix(_) => {
            let re = m.to_regex().map(|r| r.to_string()).unwrap_or_default();
            cx.note(
                feature,
                path.clone(),
                format!("prefix match written as the regex {re}"),
            );
            (Some(MatchType::RegularExpression), re)
        }
    }
}

fn route_match(cx: &mut Cx<'_>, m: &RouteMatch, path: &FieldPath) -> HttpRouteMatch {
    let mut out = HttpRouteMatch {
        path: m.path.as_ref().map(|p| match p {
            PathMatch::Exact(e) => HttpPathMatch::Exact(e.to_string()),
            PathMatch::Prefix(e) => HttpPathMatch::PathPrefix(e.to_string()),
            PathMatch::Regex(r) => HttpPathMatch::RegularExpression(r.to_string()),
        }),
        method: m.method.map(method),
        ..HttpRouteMatch::default()
    };
    for (h, v) in &m.headers {
        let (match_type, value) = value_match(
            cx,
            v,
            Feature::HeaderMatch,
            &path.field("headers").key(h.as_str()),
        );
        out.headers.push(HeaderMatch {
            name: h.as_str().to_owned(),
            match_type,
            value,
        });
    }
    for (q, v) in &m.query {
        let (match_type, value) =
            value_match(cx, v, Feature::QueryMatch, &path.field("query").key(q));
        out.query_params.push(QueryParamMatch {
            name: q.clone(),
            match_type,
            value,
        });
    }
    out
}

/// The HTTPRoute rules of one model route (one per match when the path
/// prefix is rewritten, since `ReplacePrefixMatch` takes one match).
/// `kept` are the indices of the matches the precedence plan keeps (empty
/// when the route has none).
fn rule(
    cx: &mut Cx<'_>,
    r: &Route,
    kept: &[usize],
    svc: &Service,
    path: &FieldPath,
) -> Vec<HttpRouteRule> {
    let matches: Vec<HttpRouteMatch> = kept
        .iter()
        .filter_map(|&k| r.matches.get(k).map(|m| (k, m)))
        .map(|(k, m)| route_match(cx, m, &path.field("match").index(k)))
        .collect();
    let mut base = HttpRouteRule {
        name: r.name.as_ref().map(|n| n.to_string()),
        ..HttpRouteRule::default()
    };
    if let Some(m) = modifier(&r.request_headers) {
        base.filters.push(HttpRouteFilter::RequestHeaderModifier(m));
    }
    if let Some(m) = modifier(&r.response_headers) {
        base.filters
            .push(HttpRouteFilter::ResponseHeaderModifier(m));
    }
    let mut split = false;
    match &r.action {
        Action::Forward(f) => {
            let fpath = path.field("forward");
            for (k, b) in f.backends.iter().enumerate() {
                let Some(t) = b.target(&svc.namespace, Some(&svc.name)) else {
                    continue;
                };
                if t.service.namespace != svc.namespace {
                    cx.http_route_unsupported(
                        Feature::VersionRouting,
                        fpath.field("backends").index(k),
                        "cross-namespace backends of HTTPRoutes need a ReferenceGrant, which this lowering does \
                         not generate",
                    );
                    continue;
                }
                let Some(port) = port_of(cx, &t) else {
                    continue;
                };
                let mut br: HttpBackendRef = BackendRef::service(backend_name(&t), port);
                if f.backends.len() > 1
                    && let Ok(w) = Weight::new(b.weight.get())
                {
                    br = br.with_weight(w);
                }
                base.backend_refs.push(br);
            }
            for m in &f.mirrors {
                let Some(t) = m.target(&svc.namespace, Some(&svc.name)) else {
                    continue;
                };
                let Some(port) = port_of(cx, &t) else {
                    continue;
                };
                let mut backend_ref = BackendObjectReference::service(backend_name(&t), port);
                if t.service.namespace != svc.namespace {
                    backend_ref.namespace = Some(t.service.namespace.to_string());
                }
                let pct = m.percent.get();
                let amount = if m.percent.is_all() {
                    None
                } else if pct.fract() == 0.0 {
                    // A whole number from 0 to 100.
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Percent::new(pct as u32).ok().map(MirrorAmount::Percent)
                } else {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let num = (pct * 10_000.0).round() as u32;
                    Some(MirrorAmount::Fraction(Fraction {
                        numerator: num,
                        denominator: std::num::NonZeroU32::new(1_000_000),
                    }))
                };
                base.filters
                    .push(HttpRouteFilter::RequestMirror(RequestMirror {
                        backend_ref,
                        amount,
                    }));
            }
            if let Some(rw) = &f.rewrite {
                let p = match &rw.path {
                    Some(PathRewrite::Full(p)) => {
                        Some(PathModifier::ReplaceFullPath(p.to_string()))
                    }
                    Some(PathRewrite::Prefix(p)) => {
                        split = matches.len() > 1;
                        Some(PathModifier::ReplacePrefixMatch(p.to_string()))
                    }
                    None => None,
                };
                base.filters.push(HttpRouteFilter::UrlRewrite(UrlRewrite {
                    hostname: rw.host.as_ref().map(|h| h.to_string()),
                    path: p,
                }));
            }
            let timeout = f.timeout.or(svc.resilience.timeout);
            if let Some(t) = timeout {
                match GoDuration::gateway_api(t) {
                    Some(d) => base.timeouts = Some(HttpRouteTimeouts::request(d)),
                    None => cx.http_route_unsupported(
                        Feature::Timeout,
                        fpath.field("timeout"),
                        "Gateway API durations have millisecond precision and at most 99999 per unit; round it",
                    ),
                }
            }
            if f.retries.is_some() || svc.resilience.retries.is_some() {
                cx.http_route_unsupported(
                    Feature::Retries,
                    fpath.field("retries"),
                    "HTTPRoute retries are experimental-channel only",
                );
            }
            if let Some(fault) = &f.fault {
                let (feature, field) = if fault.delay.is_some() {
                    (Feature::FaultDelay, "delay")
                } else {
                    (Feature::FaultAbort, "abort")
                };
                cx.http_route_unsupported(
                    feature,
                    fpath.field("fault").field(field),
                    "Gateway API has no fault injection",
                );
            }
        }
        Action::Redirect(rd) => {
            base.filters
                .push(HttpRouteFilter::RequestRedirect(RequestRedirect {
                    scheme: rd.scheme.map(|s| match s {
                        mesh_model::Scheme::Http => RedirectScheme::Http,
                        mesh_model::Scheme::Https => RedirectScheme::Https,
                    }),
                    hostname: rd.host.as_ref().map(|h| h.to_string()),
                    path: rd.path.as_ref().map(|p| match p {
                        PathRewrite::Full(p) => PathModifier::ReplaceFullPath(p.to_string()),
                        PathRewrite::Prefix(p) => PathModifier::ReplacePrefixMatch(p.to_string()),
                    }),
                    port: rd.port.and_then(|p| NonZeroU16::new(p.get())),
                    status_code: RedirectStatusCode::try_from(rd.status.code()).ok(),
                }));
            if matches!(rd.path, Some(PathRewrite::Prefix(_))) {
                split = matches.len() > 1;
            }
        }
        Action::Respond(_) => {
            cx.http_route_unsupported(
                Feature::DirectResponse,
                path.field("respond"),
                "Gateway API has no direct response",
            );
        }
    }
    if split {
        matches
            .into_iter()
            .enumerate()
            .map(|(k, m)| {
                let mut rule = base.clone();
                rule.name = base.name.as_ref().map(|b| format!("{b}-{k}"));
                rule.matches = vec![m];
                rule
            })
            .collect()
    } else {
        base.matches = matches;
        vec![base]
    }
}

/// The waypoint Gateway of every namespace that needs one (ambient).
pub(crate) fn waypoints(cx: &mut Cx<'_>) {
    if !cx.ambient {
        return;
    }
    let namespaces: Vec<String> = cx.waypoints.iter().map(|n| n.to_string()).collect();
    for ns in namespaces {
        let Some(port) = NonZeroU16::new(15008) else {
            continue;
        };
        let mut gw = K8sGateway::new(
            WAYPOINT,
            Some(&ns),
            GatewaySpec {
                gateway_class_name: "istio-waypoint".to_owned(),
                listeners: vec![Listener {
                    name: "mesh".to_owned(),
                    hostname: None,
                    port,
                    protocol: ProtocolType::Other("HBONE".to_owned()),
                    tls: None,
                    allowed_routes: None,
                }],
                ..GatewaySpec::default()
            },
        );
        gw.metadata.labels = Some(BTreeMap::from([(
            "istio.io/waypoint-for".to_owned(),
            "service".to_owned(),
        )]));
        cx.note(
            Feature::Ambient,
            FieldPath::root().field("services"),
            format!("namespace {ns} has services needing L7 processing: waypoint `{WAYPOINT}` generated and used"),
        );
        cx.emit_plain(gw);
    }
}
