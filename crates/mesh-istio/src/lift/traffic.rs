//! VirtualService rules → routes (shared with ingress), and the
//! VirtualServices of services.

use mesh_model::lift::ObjectRef;
use mesh_model::{
    Action, BackendRef, DirectResponse, Duration, Fault, FaultAbort, FaultDelay, FieldPath,
    Forward, HeaderEdits, HeaderName, Hostname, HttpPath, HttpStatus, Method, Mirror, Name,
    PathMatch, PathRewrite, Percent, Port, Redirect, RedirectStatus, Regex, RetryOn, RetryPolicy,
    Rewrite, Route, RouteMatch, Scheme, StringMatch, Unmatched, Weight,
};

use super::{Cx, Origin, object_ref};
use crate::crds::{
    self, DelayKind, Destination, HeaderMatch, HeaderOperations, HttpBody, HttpMatchRequest,
    HttpRetry, HttpRoute, PositiveDuration, RedirectPort,
};
use crate::lower::IstioObject;

/// The VirtualServices not bound to a gateway: routes of their hosts.
pub(crate) fn virtual_services(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::VirtualService(vs) = o else {
            continue;
        };
        let gateways: Vec<&String> = vs.spec.gateways.iter().filter(|g| *g != "mesh").collect();
        if !gateways.is_empty() {
            continue; // ingress: see edge.rs
        }
        let r = object_ref(o);
        let ns = vs.namespace().unwrap_or("default").to_owned();
        let spec = &vs.spec;
        if !spec.tls.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("tls"),
                "TLS (SNI) routes between services are not in the model",
            );
        }
        if !spec.tcp.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("tcp"),
                "TCP routes are not in the model",
            );
        }
        let export_to: Vec<Name> = spec
            .export_to
            .iter()
            .filter_map(|n| match n.as_str() {
                "." => Name::new(ns.as_str()).ok(),
                other => Name::new(other).ok(),
            })
            .collect();
        if export_to.len() != spec.export_to.len() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("exportTo"),
                "`*` and invalid namespaces are not lifted (the model's empty list means every namespace)",
            );
        }
        for (h, host) in spec.hosts.iter().enumerate() {
            let hpath = FieldPath::root().field("spec").field("hosts").index(h);
            let Some((name, sns)) = cx.host_service(host, &ns) else {
                cx.skip(
                    &r,
                    hpath,
                    format!("host {host} is not a service of the mesh (external or wildcard host)"),
                );
                continue;
            };
            if cx.service(&name, &sns).is_none() {
                cx.skip(&r, hpath, format!("{name} is not a valid service name"));
                continue;
            }
            let key = (sns.clone(), name.clone());
            if let Some(from) = cx.services.get(&key).and_then(|d| d.routes_from.clone()) {
                cx.skip(
                    &r,
                    hpath,
                    format!(
                        "host {host} already has routes from {from}; Istio does not merge VirtualServices for sidecars"
                    ),
                );
                continue;
            }
            let pieces = rules(cx, &r, &spec.http, &ns, Some((&name, &sns)));
            let Some(d) = cx.services.get_mut(&key) else {
                continue;
            };
            d.routes_from = Some(r.clone());
            if !export_to.is_empty() {
                d.service.export_to = export_to.clone();
            }
            let mut routes: Vec<(Route, Origin)> = pieces;
            // Istio's implicit policy retries gRPC `unavailable` and
            // `cancelled` too, which never happen on HTTP/1.1: on a service
            // whose ports are all `http` it is the model's default
            // conditions.
            let http1 = !d.service.ports.is_empty()
                && d.service
                    .ports
                    .iter()
                    .all(|p| p.protocol == mesh_model::Protocol::Http);
            if http1 {
                for (route, _) in &mut routes {
                    if let Action::Forward(f) = &mut route.action
                        && f.retries == Some(implicit_retry_policy())
                    {
                        f.retries = Some(RetryPolicy {
                            on: Vec::new(),
                            ..implicit_retry_policy()
                        });
                    }
                }
            }
            // The last catch-all rule to the service itself is `unmatched`.
            let unmatched = routes
                .last()
                .and_then(|(route, _)| as_unmatched(route))
                .map(|u| (u, routes.last().and_then(|(r, _)| r.forward().cloned())))
                // Alone, a rule to one version (or a 404) is a route: the
                // model's `unmatched` speaks of services that have routes.
                .filter(|(u, _)| routes.len() > 1 || *u == Unmatched::Service)
                .filter(|(_, f)| {
                    let others = &routes[..routes.len().saturating_sub(1)];
                    f.as_ref()
                        .is_none_or(|f| inherits_cleanly(f, others.iter().map(|(r, _)| r)))
                });
            let svc = &mut d.service;
            match unmatched {
                Some((u, forward)) => {
                    routes.pop();
                    svc.unmatched = u;
                    if let Some(f) = forward {
                        svc.resilience.timeout = f.timeout;
                        svc.resilience.retries = f.retries;
                    }
                }
                None if !routes.iter().any(|(r, _)| r.is_catch_all()) => {
                    svc.unmatched = Unmatched::NotFound;
                }
                None => {
                    // The lowering's name for its catch-all rule, kept as a
                    // route: not a name the model gave.
                    if let Some((last, _)) = routes.last_mut()
                        && last.name.as_ref().is_some_and(|n| n == "unmatched")
                        && as_unmatched(last).is_some()
                    {
                        last.name = None;
                    }
                }
            }
            // Route settings equal to the service's defaults are inherited.
            let (timeout, retries) = (svc.resilience.timeout, svc.resilience.retries.clone());
            for (route, _) in &mut routes {
                if let Action::Forward(f) = &mut route.action {
                    if timeout.is_some() && f.timeout == timeout {
                        f.timeout = None;
                    }
                    if retries.is_some() && f.retries == retries {
                        f.retries = None;
                    }
                }
            }
            let (routes, origins): (Vec<_>, Vec<_>) = routes.into_iter().unzip();
            svc.routes = routes;
            d.route_origins = origins;
        }
    }
}

/// Whether `f`'s timeout and retries can be the service's defaults: no
/// other forwarding route goes without one of them while `f` has it (the
/// model cannot say "no retries" or "no timeout" on a route under a
/// service default; such a last rule stays a route).
pub fn inherits_cleanly<'r>(f: &Forward, others: impl Iterator<Item = &'r Route>) -> bool {
    let mut others = others;
    others.all(|r| {
        r.forward().is_none_or(|g| {
            (f.timeout.is_none() || g.timeout.is_some())
                && (f.retries.is_none() || g.retries.is_some())
        })
    })
}

/// The `unmatched` a last catch-all rule says, if it is one.
fn as_unmatched(route: &Route) -> Option<Unmatched> {
    if !route.is_catch_all()
        || route.name.as_ref().is_some_and(|n| n != "unmatched")
        || !route.request_headers.is_empty()
        || !route.response_headers.is_empty()
    {
        return None;
    }
    match &route.action {
        Action::Forward(f) => {
            let [b] = f.backends.as_slice() else {
                return None;
            };
            let plain = b.service.is_none()
                && b.namespace.is_none()
                && b.port.is_none()
                && f.mirrors.is_empty()
                && f.rewrite.is_none()
                && f.fault.is_none();
            if !plain {
                return None;
            }
            Some(match &b.version {
                Some(v) => Unmatched::Version(v.clone()),
                None => Unmatched::Service,
            })
        }
        Action::Respond(r) if r.status == HttpStatus::NOT_FOUND && r.body.is_none() => {
            Some(Unmatched::NotFound)
        }
        _ => None,
    }
}

/// How a lifted rule may join its neighbours: the lowering splits a
/// prefix rewrite of a segment prefix `/p` → `/n` into a rule for exact
/// `/p` (rewritten to `/n`) and one for string prefix `/p/` (rewritten to
/// `/n/`).
#[derive(Debug, Clone, PartialEq)]
enum Split {
    /// Exact `/p` rewritten to `new`.
    Exact { path: String, new: String },
    /// String prefix `/p/` rewritten to `new` (ends with `/`).
    Slash { path: String, new: String },
}

struct Piece {
    route: Route,
    origin: Origin,
    split: Option<Split>,
}

/// A report held until we know whether a split rule joins its neighbour.
type Pending = (ObjectRef, FieldPath, &'static str);

/// The routes of an Istio rule list. `ns` is the VirtualService's
/// namespace, `owner` the service whose routes these are (None for an
/// ingress).
pub(crate) fn rules(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    http: &[HttpRoute],
    ns: &str,
    owner: Option<(&str, &str)>,
) -> Vec<(Route, Origin)> {
    let mut pieces = Vec::new();
    let mut implicit = false;
    for (i, rule) in http.iter().enumerate() {
        let path = FieldPath::root().field("spec").field("http").index(i);
        if let Some(p) = lift_rule(cx, r, rule, ns, owner, &path, &mut implicit) {
            pieces.push(p);
        }
    }
    if implicit && !cx.opts.implicit_retries {
        cx.skip(
            r,
            FieldPath::root().field("spec").field("http"),
            "rules without `retries` get Istio's implicit policy (2 attempts); not carried over (option implicit_retries is off)",
        );
    }
    let (merged, pending) = merge_splits(pieces);
    for (object, path, reason) in pending {
        cx.skip(&object, path, reason);
    }
    merged
}

/// Joins the rule pairs of split prefix rewrites, then the rules
/// `<name>-0`, `<name>-1`... one model route was split into.
fn merge_splits(pieces: Vec<Piece>) -> (Vec<(Route, Origin)>, Vec<Pending>) {
    let mut pending = Vec::new();
    let mut out: Vec<(Route, Origin, Option<String>)> = Vec::new();
    let mut it = pieces.into_iter().peekable();
    while let Some(p) = it.next() {
        if let Some(Split::Exact { path, new }) = &p.split
            && let Some(next) = it.peek()
            && let Some(Split::Slash {
                path: path2,
                new: new2,
            }) = &next.split
            && *path2 == format!("{path}/")
            && *new2 == format!("{}/", new.trim_end_matches('/'))
            && same_but_match(&p.route, &next.route)
            && let (Ok(pp), Ok(np)) = (HttpPath::new(path.as_str()), HttpPath::new(new.as_str()))
        {
            let mut route = p.route.clone();
            if let Some(m) = route.matches.first_mut() {
                m.path = Some(PathMatch::Prefix(pp));
            }
            if let Action::Forward(f) = &mut route.action
                && let Some(rw) = &mut f.rewrite
            {
                rw.path = Some(PathRewrite::Prefix(np));
            }
            let base = route.name.as_ref().and_then(|n| split_base(n.as_str()));
            it.next();
            out.push((route, p.origin, base));
            continue;
        }
        let base = match &p.split {
            Some(Split::Slash { .. }) => {
                // Alone, this says "replace the string prefix", which the
                // model cannot; it lifts only joined with its exact half.
                pending.push((
                    p.origin.object.clone(),
                    p.origin.path.field("rewrite").field("uri"),
                    "a rewrite of a string prefix is not in the model (only of segment prefixes); the rule is lifted without it",
                ));
                None
            }
            Some(_) => p.route.name.as_ref().and_then(|n| split_base(n.as_str())),
            None => None,
        };
        out.push((p.route, p.origin, base));
    }
    // Consecutive rules `<b>-0`, `<b>-1`... with prefix rewrites, equal but
    // for their matches: one route with all the matches.
    let mut merged: Vec<(Route, Origin)> = Vec::new();
    let mut last_base: Option<String> = None;
    for (route, origin, base) in out {
        let prefix_rw = matches!(
            route
                .forward()
                .and_then(|f| f.rewrite.as_ref())
                .and_then(|r| r.path.as_ref()),
            Some(PathRewrite::Prefix(_))
        );
        if let (Some(b), Some(lb), Some((prev, _))) = (&base, &last_base, merged.last_mut())
            && b == lb
            && prefix_rw
            && same_but_match(prev, &route)
        {
            prev.matches.extend(route.matches);
            continue;
        }
        let mut route = route;
        if let Some(b) = &base
            && prefix_rw
        {
            route.name = Name::new(b.as_str()).ok();
        }
        last_base = if prefix_rw { base } else { None };
        merged.push((route, origin));
    }
    (merged, pending)
}

/// `b` for a name `b-<k>`.
fn split_base(name: &str) -> Option<String> {
    let (b, k) = name.rsplit_once('-')?;
    k.parse::<usize>().ok().map(|_| b.to_owned())
}

/// Whether two routes are equal but for their matches, names and
/// rewritten paths.
fn same_but_match(a: &Route, b: &Route) -> bool {
    let strip = |r: &Route| {
        let mut r = r.clone();
        r.matches.clear();
        r.name = None;
        if let Action::Forward(f) = &mut r.action
            && let Some(rw) = &mut f.rewrite
        {
            rw.path = None;
            if *rw == Rewrite::default() {
                f.rewrite = None;
            }
        }
        r
    };
    strip(a) == strip(b)
}

fn lift_rule(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    rule: &HttpRoute,
    ns: &str,
    owner: Option<(&str, &str)>,
    path: &FieldPath,
    implicit: &mut bool,
) -> Option<Piece> {
    let origin = Origin {
        object: r.clone(),
        path: path.clone(),
    };
    if rule.delegate.is_some() {
        cx.skip(
            r,
            path.field("delegate"),
            "delegation to another VirtualService is not in the model; the rule is not lifted",
        );
        return None;
    }
    if rule.cors_policy.is_some() {
        cx.skip(
            r,
            path.field("corsPolicy"),
            "CORS policies are not in the model",
        );
    }
    let name = match &rule.name {
        None => None,
        Some(n) => match Name::new(n.as_str()) {
            Ok(n) => Some(n),
            Err(e) => {
                cx.skip(r, path.field("name"), e.to_string());
                None
            }
        },
    };
    // Matches (a rule whose every match has something the model cannot
    // say is not lifted: dropping a condition would widen it).
    let (matches, forms) = matches(cx, r, &rule.match_, &path.field("match"))?;
    let (request_headers, response_headers) = match &rule.headers {
        None => (HeaderEdits::default(), HeaderEdits::default()),
        Some(h) => (
            header_edits(
                cx,
                r,
                h.request.as_ref(),
                &path.field("headers").field("request"),
            ),
            header_edits(
                cx,
                r,
                h.response.as_ref(),
                &path.field("headers").field("response"),
            ),
        ),
    };
    let mut split = None;
    let action = if let Some(d) = &rule.direct_response {
        let dpath = path.field("directResponse");
        let Ok(status) = HttpStatus::new(d.status) else {
            cx.skip(
                r,
                dpath.field("status"),
                "not an HTTP status; the rule is not lifted",
            );
            return None;
        };
        let body = match &d.body {
            None => None,
            Some(HttpBody::String(s)) => Some(s.clone()),
            Some(HttpBody::Bytes(_)) => {
                cx.skip(
                    r,
                    dpath.field("body").field("bytes"),
                    "binary bodies are not in the model; the response is lifted without body",
                );
                None
            }
        };
        Action::Respond(DirectResponse { status, body })
    } else if let Some(rd) = &rule.redirect {
        Action::Redirect(redirect(cx, r, rd, &path.field("redirect"))?)
    } else if !rule.route.is_empty() {
        let f = forward(cx, r, rule, ns, owner, path, implicit)?;
        let mut f = f;
        if let Some(rw) = &rule.rewrite {
            let (rewrite, s) = rewrite(cx, r, rw, &forms, &path.field("rewrite"));
            f.rewrite = rewrite;
            split = s;
        }
        Action::Forward(f)
    } else {
        cx.skip(
            r,
            path.clone(),
            "a rule without route, redirect or directResponse does nothing the model can say",
        );
        return None;
    };
    if !matches!(action, Action::Forward(_)) {
        for (set, field) in [
            (rule.rewrite.is_some(), "rewrite"),
            (rule.timeout.is_some(), "timeout"),
            (rule.retries.is_some(), "retries"),
            (rule.fault.is_some(), "fault"),
            (rule.mirror.is_some() || !rule.mirrors.is_empty(), "mirrors"),
        ] {
            if set {
                cx.skip(
                    r,
                    path.field(field),
                    "only forwarding rules carry this in the model",
                );
            }
        }
    }
    Some(Piece {
        route: Route {
            name,
            matches,
            action,
            request_headers,
            response_headers,
        },
        origin,
        split,
    })
}

/// How an Istio match wrote its path.
#[derive(Debug, Clone, PartialEq)]
enum Form {
    None,
    Exact(String),
    /// A string prefix (not paired with its exact form).
    Prefix(String),
    Segment,
    Regex,
}

/// The model matches of a rule, and how each wrote its path. `None` when
/// no match could be lifted (the rule is not lifted).
fn matches(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    ms: &[HttpMatchRequest],
    path: &FieldPath,
) -> Option<(Vec<RouteMatch>, Vec<Form>)> {
    let mut out = Vec::new();
    let mut forms = Vec::new();
    let mut k = 0;
    while k < ms.len() {
        let m = &ms[k];
        // exact `/p` followed by prefix `/p/`, equal otherwise: segment `/p`.
        if let (Some(crds::StringMatch::Exact(e)), Some(next)) = (&m.uri, ms.get(k + 1))
            && next.uri == Some(crds::StringMatch::prefix(format!("{e}/")))
            && !e.ends_with('/')
            && without_uri(m) == without_uri(next)
            && let Ok(p) = HttpPath::new(e.as_str())
            && let Some(mut lifted) = one_match(cx, r, m, &path.index(k))
        {
            lifted.path = Some(PathMatch::Prefix(p));
            out.push(lifted);
            forms.push(Form::Segment);
            k += 2;
            continue;
        }
        if let Some(lifted) = one_match(cx, r, m, &path.index(k)) {
            forms.push(match &m.uri {
                None => Form::None,
                Some(crds::StringMatch::Exact(e)) => Form::Exact(e.clone()),
                Some(crds::StringMatch::Prefix(p)) if p == "/" => Form::Segment,
                Some(crds::StringMatch::Prefix(p)) => Form::Prefix(p.clone()),
                Some(crds::StringMatch::Regex(_)) => Form::Regex,
            });
            out.push(lifted);
        }
        k += 1;
    }
    if !ms.is_empty() && out.is_empty() {
        cx.skip(
            r,
            path.clone(),
            "no match of this rule can be said in the model; the rule is not lifted",
        );
        return None;
    }
    Some((out, forms))
}

fn without_uri(m: &HttpMatchRequest) -> HttpMatchRequest {
    HttpMatchRequest {
        uri: None,
        ..m.clone()
    }
}

fn one_match(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    m: &HttpMatchRequest,
    path: &FieldPath,
) -> Option<RouteMatch> {
    let unsupported: [(bool, &str); 10] = [
        (m.scheme.is_some(), "scheme"),
        (m.authority.is_some(), "authority"),
        (m.port.is_some(), "port"),
        (!m.source_labels.is_empty(), "sourceLabels"),
        (!m.gateways.is_empty(), "gateways"),
        (m.ignore_uri_case == Some(true), "ignoreUriCase"),
        (!m.without_headers.is_empty(), "withoutHeaders"),
        (m.source_namespace.is_some(), "sourceNamespace"),
        (m.name.is_some(), "name"),
        (m.stat_prefix.is_some(), "statPrefix"),
    ];
    let mut ok = true;
    for (set, field) in unsupported {
        if set {
            let harmless = matches!(field, "name" | "statPrefix");
            cx.skip(
                r,
                path.field(field),
                if harmless {
                    "match names and stat prefixes are not kept".to_owned()
                } else {
                    format!("`{field}` matches are not in the model; this match is not lifted")
                },
            );
            ok &= harmless;
        }
    }
    if !ok {
        return None;
    }
    let mut out = RouteMatch::default();
    if let Some(u) = &m.uri {
        out.path = Some(match path_match(u) {
            Some(p) => p,
            None => {
                cx.skip(
                    r,
                    path.field("uri"),
                    "not a valid path or RE2 regex; this match is not lifted",
                );
                return None;
            }
        });
    }
    if let Some(method) = &m.method {
        let parsed = match method {
            crds::StringMatch::Exact(s) => parse_method(s),
            _ => None,
        };
        match parsed {
            Some(x) => out.method = Some(x),
            None => {
                cx.skip(
                    r,
                    path.field("method"),
                    "only exact standard methods are in the model; this match is not lifted",
                );
                return None;
            }
        }
    }
    for (h, v) in &m.headers {
        let (Ok(name), Some(sm)) = (HeaderName::new(h.as_str()), header_match(v)) else {
            cx.skip(
                r,
                path.field("headers").key(h),
                "invalid header name or regex; this match is not lifted",
            );
            return None;
        };
        out.headers.insert(name, sm);
    }
    for (q, v) in &m.query_params {
        let Some(sm) = header_match(v) else {
            cx.skip(
                r,
                path.field("queryParams").key(q),
                "invalid regex; this match is not lifted",
            );
            return None;
        };
        out.query.insert(q.clone(), sm);
    }
    Some(out)
}

/// A path match: exact, regex; a string prefix is the regex `prefix.*`
/// (prefix `/` is the model's catch-all prefix).
fn path_match(u: &crds::StringMatch) -> Option<PathMatch> {
    Some(match u {
        crds::StringMatch::Exact(e) => match HttpPath::new(e.as_str()) {
            Ok(p) => PathMatch::Exact(p),
            Err(_) => PathMatch::Regex(Regex::literal(e)),
        },
        crds::StringMatch::Prefix(p) if p == "/" => PathMatch::Prefix(HttpPath::new("/").ok()?),
        crds::StringMatch::Prefix(p) => {
            PathMatch::Regex(Regex::new(format!("{}.*", Regex::literal(p).as_str())).ok()?)
        }
        crds::StringMatch::Regex(re) => PathMatch::Regex(Regex::new(re.as_str()).ok()?),
    })
}

fn header_match(v: &HeaderMatch) -> Option<StringMatch> {
    Some(match v {
        // Envoy's matchers fail on an absent header: present = any value.
        HeaderMatch::Present => StringMatch::Regex(Regex::new(".*").ok()?),
        HeaderMatch::Value(crds::StringMatch::Exact(s)) => StringMatch::Exact(s.clone()),
        HeaderMatch::Value(crds::StringMatch::Prefix(s)) => StringMatch::Prefix(s.clone()),
        HeaderMatch::Value(crds::StringMatch::Regex(r)) => {
            StringMatch::Regex(Regex::new(r.as_str()).ok()?)
        }
    })
}

pub(crate) fn parse_method(s: &str) -> Option<Method> {
    Some(match s {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "CONNECT" => Method::Connect,
        "OPTIONS" => Method::Options,
        "TRACE" => Method::Trace,
        "PATCH" => Method::Patch,
        _ => return None,
    })
}

fn header_edits(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    ops: Option<&HeaderOperations>,
    path: &FieldPath,
) -> HeaderEdits {
    let mut out = HeaderEdits::default();
    let Some(ops) = ops else { return out };
    for (field, from, to) in [
        ("set", &ops.set, &mut out.set),
        ("add", &ops.add, &mut out.add),
    ] {
        for (k, v) in from {
            match HeaderName::new(k.as_str()) {
                Ok(h) => {
                    to.insert(h, v.clone());
                }
                Err(e) => cx.skip(r, path.field(field).key(k), e.to_string()),
            }
        }
    }
    for (i, k) in ops.remove.iter().enumerate() {
        match HeaderName::new(k.as_str()) {
            Ok(h) => out.remove.push(h),
            Err(e) => cx.skip(r, path.field("remove").index(i), e.to_string()),
        }
    }
    out
}

pub(crate) fn duration(d: &PositiveDuration) -> Option<Duration> {
    d.duration().value()
}

/// A backend's service, namespace, version and port.
type Target = (Option<Name>, Option<Name>, Option<Name>, Option<Port>);

/// A destination as a backend (service, version, port). `None` (with a
/// report) when it is not a service of the model or names an unknown
/// subset.
fn target(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    d: &Destination,
    ns: &str,
    owner: Option<(&str, &str)>,
    path: &FieldPath,
) -> Option<Target> {
    let Some((name, sns)) = cx.host_service(&d.host, ns) else {
        cx.skip(
            r,
            path.field("host"),
            format!(
                "{} is not a service of the mesh (external host): the model forwards only to services; the rule is not lifted",
                d.host
            ),
        );
        return None;
    };
    let Some(draft) = cx.service(&name, &sns) else {
        cx.skip(
            r,
            path.field("host"),
            "not a valid service name; the rule is not lifted",
        );
        return None;
    };
    let version = match &d.subset {
        None => None,
        Some(s) => match draft.service.version(s) {
            Some(v) => Some(v.name.clone()),
            None => {
                cx.skip(
                    r,
                    path.field("subset"),
                    format!(
                        "unknown subset {s} of {sns}/{name} (no DestinationRule defines it; Istio answers 503); the rule is not lifted"
                    ),
                );
                return None;
            }
        },
    };
    let port = match &d.port {
        None => None,
        Some(p) => match Port::new(p.number) {
            Ok(p) => Some(p),
            Err(e) => {
                cx.skip(r, path.field("port"), e.to_string());
                return None;
            }
        },
    };
    let is_owner = owner == Some((name.as_str(), sns.as_str()));
    let service = (!is_owner).then(|| Name::new(name.as_str()).ok()).flatten();
    let namespace = (sns != ns).then(|| Name::new(sns.as_str()).ok()).flatten();
    Some((service, namespace, version, port))
}

fn forward(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    rule: &HttpRoute,
    ns: &str,
    owner: Option<(&str, &str)>,
    path: &FieldPath,
    implicit: &mut bool,
) -> Option<Forward> {
    let mut f = Forward::default();
    let weighted = rule.route.len() > 1;
    for (k, d) in rule.route.iter().enumerate() {
        let dpath = path.field("route").index(k);
        let (service, namespace, version, port) = target(
            cx,
            r,
            &d.destination,
            ns,
            owner,
            &dpath.field("destination"),
        )?;
        let weight = if weighted {
            let w = u32::try_from(d.weight.unwrap_or(0)).unwrap_or(0);
            match Weight::new(w) {
                Ok(w) => w,
                Err(e) => {
                    cx.skip(
                        r,
                        dpath.field("weight"),
                        format!("{e}; the rule is not lifted"),
                    );
                    return None;
                }
            }
        } else {
            Weight::default()
        };
        if d.headers.is_some() {
            cx.skip(
                r,
                dpath.field("headers"),
                "per-destination header edits are not in the model",
            );
        }
        f.backends.push(BackendRef {
            service,
            namespace,
            version,
            port,
            weight,
        });
    }
    // Mirrors: the legacy single mirror with its percentage, and the list.
    if let Some(m) = &rule.mirror {
        let legacy = rule.mirror_percent.or(rule.mirror_percent_snake);
        let percent = match (&rule.mirror_percentage, legacy) {
            (Some(p), _) => Percent::new(p.value).ok(),
            (None, Some(n)) => Percent::new(f64::from(n)).ok(),
            (None, None) => Some(Percent::ALL),
        };
        if let Some(mirror) = mirror(cx, r, m, percent, ns, owner, &path.field("mirror")) {
            f.mirrors.push(mirror);
        }
    }
    for (k, m) in rule.mirrors.iter().enumerate() {
        let percent = match &m.percentage {
            Some(p) => Percent::new(p.value).ok(),
            None => Some(Percent::ALL),
        };
        let mpath = path.field("mirrors").index(k);
        if let Some(mirror) = mirror(
            cx,
            r,
            &m.destination,
            percent,
            ns,
            owner,
            &mpath.field("destination"),
        ) {
            f.mirrors.push(mirror);
        }
    }
    f.timeout = rule.timeout.as_ref().and_then(duration);
    f.retries = match &rule.retries {
        Some(x) => retries(cx, r, x, &path.field("retries")),
        None => {
            *implicit = true;
            cx.opts.implicit_retries.then(implicit_retry_policy)
        }
    };
    if let Some(x) = &rule.fault {
        f.fault = fault(cx, r, x, &path.field("fault"));
    }
    Some(f)
}

/// Istio's retry policy for rules that set none: 2 attempts on
/// connect-failure, refused-stream, unavailable, cancelled and 503.
pub(crate) fn implicit_retry_policy() -> RetryPolicy {
    let mut on = vec![
        RetryOn::ConnectFailure,
        RetryOn::RefusedStream,
        RetryOn::Unavailable,
        RetryOn::Cancelled,
    ];
    on.extend(HttpStatus::new(503).ok().map(RetryOn::Status));
    RetryPolicy {
        attempts: 2,
        per_try_timeout: None,
        on,
        backoff: None,
        remote_localities: false,
    }
}

#[allow(clippy::too_many_arguments)]
fn mirror(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    d: &Destination,
    percent: Option<Percent>,
    ns: &str,
    owner: Option<(&str, &str)>,
    path: &FieldPath,
) -> Option<Mirror> {
    let Some(percent) = percent else {
        cx.skip(
            r,
            path.clone(),
            "the mirror percentage is out of range; the mirror is not lifted",
        );
        return None;
    };
    // An unknown mirror target drops only the mirror (it never answers).
    let (service, namespace, version, port) = target(cx, r, d, ns, owner, path)?;
    Some(Mirror {
        service,
        namespace,
        version,
        port,
        percent,
    })
}

fn retries(cx: &mut Cx<'_>, r: &ObjectRef, x: &HttpRetry, path: &FieldPath) -> Option<RetryPolicy> {
    let attempts = x.attempts.unwrap_or(2);
    if attempts <= 0 {
        return None;
    }
    let mut on = Vec::new();
    for token in x.retry_on.as_deref().unwrap_or_default().split(',') {
        let token = token.trim();
        if token.is_empty() {
            continue;
        }
        match token.parse::<RetryOn>() {
            Ok(c) => on.push(c),
            Err(_) => cx.skip(
                r,
                path.field("retryOn"),
                format!("retry condition {token:?} is not in the model"),
            ),
        }
    }
    if x.retry_ignore_previous_hosts.is_some() {
        cx.skip(
            r,
            path.field("retryIgnorePreviousHosts"),
            "not in the model",
        );
    }
    Some(RetryPolicy {
        attempts: u32::try_from(attempts).unwrap_or(0),
        per_try_timeout: x.per_try_timeout.as_ref().and_then(duration),
        on,
        backoff: x.backoff.as_ref().and_then(duration),
        remote_localities: x.retry_remote_localities == Some(true),
    })
}

fn percent_of(p: Option<&crds::Percentage>, legacy: Option<i32>) -> Option<Percent> {
    match (p, legacy) {
        (Some(p), _) => Percent::new(p.value).ok(),
        (None, Some(n)) => Percent::new(f64::from(n)).ok(),
        // Unspecified: every request.
        (None, None) => Some(Percent::ALL),
    }
}

fn fault(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    x: &crds::HttpFaultInjection,
    path: &FieldPath,
) -> Option<Fault> {
    let mut out = Fault::default();
    if let Some(d) = &x.delay {
        let dpath = path.field("delay");
        match (&d.delay, percent_of(d.percentage.as_ref(), d.percent)) {
            (Some(DelayKind::Fixed(t)), Some(percent)) => {
                out.delay = duration(t).map(|delay| FaultDelay { delay, percent });
            }
            (Some(DelayKind::Exponential(_)), _) => cx.skip(
                r,
                dpath.field("exponentialDelay"),
                "exponential delays are not in the model",
            ),
            _ => cx.skip(
                r,
                dpath,
                "a delay without fixedDelay or with an invalid percentage",
            ),
        }
    }
    if let Some(a) = &x.abort {
        let apath = path.field("abort");
        match (&a.error, percent_of(a.percentage.as_ref(), None)) {
            (Some(crds::AbortError::HttpStatus(s)), Some(percent)) => {
                match HttpStatus::new(u32::try_from(*s).unwrap_or(0)) {
                    Ok(status) => out.abort = Some(FaultAbort { status, percent }),
                    Err(e) => cx.skip(r, apath.field("httpStatus"), e.to_string()),
                }
            }
            _ => cx.skip(
                r,
                apath,
                "only HTTP status aborts with a valid percentage are in the model",
            ),
        }
    }
    (out.delay.is_some() || out.abort.is_some()).then_some(out)
}

fn redirect(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    x: &crds::HttpRedirect,
    path: &FieldPath,
) -> Option<Redirect> {
    let mut out = Redirect::default();
    if let Some(u) = &x.uri {
        match HttpPath::new(u.as_str()) {
            Ok(p) => out.path = Some(PathRewrite::Full(p)),
            Err(e) => cx.skip(r, path.field("uri"), e.to_string()),
        }
    }
    if let Some(a) = &x.authority {
        match Hostname::new(a.as_str()) {
            Ok(h) => out.host = Some(h),
            Err(e) => cx.skip(r, path.field("authority"), e.to_string()),
        }
    }
    match &x.port {
        None => {}
        Some(RedirectPort::Number(n)) => match Port::new(*n) {
            Ok(p) => out.port = Some(p),
            Err(e) => cx.skip(r, path.field("port"), e.to_string()),
        },
        Some(RedirectPort::Derive(_)) => cx.skip(
            r,
            path.field("derivePort"),
            "derived redirect ports are not in the model",
        ),
    }
    match x.scheme.as_deref() {
        None => {}
        Some("http") => out.scheme = Some(Scheme::Http),
        Some("https") => out.scheme = Some(Scheme::Https),
        Some(other) => cx.skip(
            r,
            path.field("scheme"),
            format!("scheme {other:?} is not in the model"),
        ),
    }
    // Istio's default redirect code is 301.
    let code = x.redirect_code.unwrap_or(301);
    match u16::try_from(code).ok().map(RedirectStatus::try_from) {
        Some(Ok(s)) => out.status = s,
        _ => {
            cx.skip(
                r,
                path.field("redirectCode"),
                format!("redirect code {code} is not in the model; the rule is not lifted"),
            );
            return None;
        }
    }
    if out.scheme.is_none() && out.host.is_none() && out.port.is_none() && out.path.is_none() {
        cx.skip(
            r,
            path.clone(),
            "a redirect to the same URL loops; the rule is not lifted",
        );
        return None;
    }
    Some(out)
}

/// The model rewrite of a rule, given how its matches wrote their paths,
/// and how it may join a neighbour (see [`Split`]).
fn rewrite(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    x: &crds::HttpRewrite,
    forms: &[Form],
    path: &FieldPath,
) -> (Option<Rewrite>, Option<Split>) {
    let mut out = Rewrite::default();
    let mut split = None;
    if let Some(a) = &x.authority {
        match Hostname::new(a.as_str()) {
            Ok(h) => out.host = Some(h),
            Err(e) => cx.skip(r, path.field("authority"), e.to_string()),
        }
    }
    if let Some(u) = &x.uri {
        match (forms, HttpPath::new(u.as_str())) {
            (_, Err(e)) => cx.skip(r, path.field("uri"), e.to_string()),
            ([Form::Exact(p)], Ok(new)) => {
                // Also the first half of a split prefix rewrite.
                split = Some(Split::Exact {
                    path: p.clone(),
                    new: u.clone(),
                });
                out.path = Some(PathRewrite::Full(new));
            }
            ([Form::Prefix(p)], Ok(_)) if p.ends_with('/') && u.ends_with('/') => {
                split = Some(Split::Slash {
                    path: p.clone(),
                    new: u.clone(),
                });
            }
            (fs, Ok(new)) if !fs.is_empty() && fs.iter().all(|f| matches!(f, Form::Exact(_))) => {
                out.path = Some(PathRewrite::Full(new));
            }
            (fs, Ok(_)) if !fs.is_empty() && fs.iter().all(|f| *f == Form::Segment) => {
                let trimmed = u.trim_end_matches('/');
                let p = if trimmed.is_empty() { "/" } else { trimmed };
                match HttpPath::new(p) {
                    Ok(p) => out.path = Some(PathRewrite::Prefix(p)),
                    Err(e) => cx.skip(r, path.field("uri"), e.to_string()),
                }
            }
            _ => cx.skip(
                r,
                path.field("uri"),
                "a rewrite of paths matched other than exactly or by segment prefix is not in the model",
            ),
        }
    }
    if let Some(rr) = &x.uri_regex_rewrite {
        match (
            rr.match_.as_deref(),
            rr.rewrite.as_deref().map(HttpPath::new),
        ) {
            (Some("^.*$" | ".*" | "^(.*)$"), Some(Ok(p))) if out.path.is_none() => {
                out.path = Some(PathRewrite::Full(p));
            }
            _ => cx.skip(
                r,
                path.field("uriRegexRewrite"),
                "only a regex rewrite replacing the whole path is in the model",
            ),
        }
    }
    if out.path.is_none() && out.host.is_none() {
        return (None, split);
    }
    (Some(out), split)
}
