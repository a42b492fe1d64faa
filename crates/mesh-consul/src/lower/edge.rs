//! Ingress (Consul API gateway: Gateway API Gateway + HTTPRoute; or the
//! IngressGateway config entry) and egress (TerminatingGateway, ServiceDefaults
//! `destination`, Mesh `meshDestinationsOnly`).

use std::collections::BTreeSet;
use std::num::NonZeroU16;

use mesh_k8s::GoDuration;
use mesh_k8s::gateway::{
    BackendRef, Gateway, GatewaySpec, HeaderMatch, HeaderModifier, HttpHeader, HttpPathMatch,
    HttpRoute, HttpRouteFilter, HttpRouteMatch, HttpRouteRule, Listener, ListenerTls,
    LocalObjectReference, MatchType, ParentReference, PathModifier, QueryParamMatch,
    SecretObjectReference, UrlRewrite, Weight,
};
use mesh_model::{
    Action, Feature, FieldPath, Ingress, ListenerProtocol, OriginationMode, OutboundPolicy,
    PathMatch, PathRewrite, Protocol, Resolution, RetryOn, Route, RouteMatch, StringMatch, TlsMode,
};

use super::traffic::{self, Owner, RouteDefaults, service_protocol};
use super::{Cx, IngressFlavor};
use crate::crds::{
    self, Destination, GatewayTls, IngressGateway, IngressGatewaySpec, IngressListener,
    IngressService, LinkedService, MeshService, MeshServiceSpec, MeshTransparentProxy, Redirect,
    RouteRetryFilter, RouteRetryFilterSpec, RouteTimeoutFilter, RouteTimeoutFilterSpec,
    ServiceResolver, ServiceResolverSpec, ServiceRouter, ServiceRouterSpec, TerminatingGateway,
    TerminatingGatewaySpec,
};

pub(crate) fn ingress(cx: &mut Cx<'_>) {
    let mut mesh_services = BTreeSet::new();
    for (i, g) in cx.mesh.ingress.iter().enumerate() {
        let p = FieldPath::root().field("ingress").index(i);
        match cx.opts.ingress {
            IngressFlavor::ApiGateway => api_gateway(cx, &p, g, &mut mesh_services),
            IngressFlavor::IngressGateway => ingress_gateway(cx, &p, g),
        }
    }
}

fn nz(p: mesh_model::Port) -> Option<NonZeroU16> {
    NonZeroU16::new(p.get())
}

// === API gateway ===

fn api_gateway(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    g: &Ingress,
    mesh_services: &mut BTreeSet<(String, String)>,
) {
    let ns = g.namespace.as_str();
    let mut listeners = Vec::new();
    for (k, l) in g.listeners.iter().enumerate() {
        let lp = p.field("listeners").index(k);
        let Some(port) = nz(l.port) else { continue };
        if l.https_redirect {
            cx.unsupported(
                Feature::Redirect,
                lp.field("httpsRedirect"),
                "Consul's API gateway has no redirect filter; serve HTTPS only, or redirect in front of the gateway",
            );
        }
        match (l.protocol, &l.tls) {
            (ListenerProtocol::Http, _) => {
                listeners.push(Listener::http(format!("http-{}", l.port), port))
            }
            (ListenerProtocol::Https, Some(t)) if t.mode == TlsMode::Terminate => {
                if let Some(cred) = &t.credential {
                    listeners.push(Listener::https(
                        format!("https-{}", l.port),
                        port,
                        ListenerTls::terminate(SecretObjectReference::secret(cred.as_str())),
                    ));
                }
            }
            (ListenerProtocol::Https, _) => cx.unsupported(
                Feature::IngressTls,
                lp.field("tls").field("mode"),
                "Consul's API gateway does not verify client certificates; use `terminate`",
            ),
            (ListenerProtocol::Tls, _) => cx.unsupported(
                Feature::IngressPassthrough,
                lp.field("tls"),
                "Consul's API gateway has no TLS passthrough; terminate TLS at the gateway",
            ),
        }
    }
    if !listeners.is_empty() {
        cx.l.emit(Gateway::new(
            g.name.as_str(),
            Some(ns),
            GatewaySpec {
                gateway_class_name: cx.opts.gateway_class.clone(),
                listeners,
                ..Default::default()
            },
        ));
    }
    if g.routes.is_empty() {
        return;
    }
    let rp = p.field("routes");
    if let Some((a, b)) = order_conflict(&g.routes) {
        cx.unsupported(
            Feature::Ingress,
            rp.index(b),
            format!(
                "Consul's API gateway picks the most specific HTTPRoute match, the model the first: route {b} could take requests route {a} comes first for; make route {a} more specific than route {b} (exact paths, longer prefixes, more headers) or use the IngressGateway flavor"
            ),
        );
    }
    let mut route = HttpRoute::for_gateway(
        g.name.as_str(),
        ns,
        ParentReference::gateway(g.name.as_str()),
    );
    route.spec.hostnames = g.hosts.iter().map(ToString::to_string).collect();
    for (j, r) in g.routes.iter().enumerate() {
        if let Some(rule) = api_rule(cx, &rp.index(j), g, r, j, mesh_services) {
            route.spec.rules.push(rule);
        }
    }
    if !route.spec.rules.is_empty() {
        cx.l.emit(route);
    }
}

/// Gateway API path precedence: exact over prefix, longer over shorter;
/// regexes are not ranked.
fn path_rank(m: &RouteMatch) -> Option<(u8, usize)> {
    match &m.path {
        None => Some((1, 1)),
        Some(PathMatch::Exact(e)) => Some((2, e.as_str().len())),
        Some(PathMatch::Prefix(p)) => Some((1, p.as_str().trim_end_matches('/').len().max(1))),
        Some(PathMatch::Regex(_)) => None,
    }
}

/// Whether `a` strictly wins over `b` by Gateway API's precedence.
fn more_specific(a: &RouteMatch, b: &RouteMatch) -> bool {
    let (Some(pa), Some(pb)) = (path_rank(a), path_rank(b)) else {
        return false;
    };
    let ka = (pa, a.method.is_some(), a.headers.len(), a.query.len());
    let kb = (pb, b.method.is_some(), b.headers.len(), b.query.len());
    ka > kb
}

fn under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether no request matches both.
fn disjoint(a: &RouteMatch, b: &RouteMatch) -> bool {
    let paths = match (&a.path, &b.path) {
        (Some(PathMatch::Exact(x)), Some(PathMatch::Exact(y))) => x != y,
        (Some(PathMatch::Exact(e)), Some(PathMatch::Prefix(p)))
        | (Some(PathMatch::Prefix(p)), Some(PathMatch::Exact(e))) => !under(e.as_str(), p.as_str()),
        (Some(PathMatch::Prefix(x)), Some(PathMatch::Prefix(y))) => {
            !under(x.as_str(), y.as_str()) && !under(y.as_str(), x.as_str())
        }
        _ => false,
    };
    let methods = matches!((a.method, b.method), (Some(x), Some(y)) if x != y);
    let headers = a.headers.iter().any(|(k, v)| {
        matches!((v, b.headers.get(k)), (StringMatch::Exact(x), Some(StringMatch::Exact(y))) if x != y)
    });
    let query = a.query.iter().any(|(k, v)| {
        matches!((v, b.query.get(k)), (StringMatch::Exact(x), Some(StringMatch::Exact(y))) if x != y)
    });
    paths || methods || headers || query
}

/// The first pair of routes (earlier, later) whose order Gateway API's
/// precedence could reverse.
fn order_conflict(routes: &[Route]) -> Option<(usize, usize)> {
    let matches = |r: &Route| -> Vec<RouteMatch> {
        if r.matches.is_empty() {
            vec![RouteMatch::default()]
        } else {
            r.matches.clone()
        }
    };
    for (i, a) in routes.iter().enumerate() {
        for (j, b) in routes.iter().enumerate().skip(i + 1) {
            for ma in matches(a) {
                for mb in matches(b) {
                    if !disjoint(&ma, &mb) && !more_specific(&ma, &mb) {
                        return Some((i, j));
                    }
                }
            }
        }
    }
    None
}

fn gw_string(name: &str, sm: &StringMatch) -> Option<(MatchType, String)> {
    match sm {
        StringMatch::Exact(v) => Some((MatchType::Exact, v.clone())),
        StringMatch::Regex(r) => Some((MatchType::RegularExpression, r.as_str().to_owned())),
        StringMatch::Prefix(_) => sm
            .to_regex()
            .ok()
            .map(|r| (MatchType::RegularExpression, r.as_str().to_owned()))
            .filter(|_| !name.is_empty()),
    }
}

fn gw_method(m: mesh_model::Method) -> mesh_k8s::gateway::HttpMethod {
    use mesh_k8s::gateway::HttpMethod as G;
    match m {
        mesh_model::Method::Get => G::Get,
        mesh_model::Method::Head => G::Head,
        mesh_model::Method::Post => G::Post,
        mesh_model::Method::Put => G::Put,
        mesh_model::Method::Delete => G::Delete,
        mesh_model::Method::Connect => G::Connect,
        mesh_model::Method::Options => G::Options,
        mesh_model::Method::Trace => G::Trace,
        mesh_model::Method::Patch => G::Patch,
    }
}

fn gw_headers(e: &mesh_model::HeaderEdits) -> HeaderModifier {
    HeaderModifier {
        set: e
            .set
            .iter()
            .map(|(k, v)| HttpHeader::new(k.as_str(), v.clone()))
            .collect(),
        add: e
            .add
            .iter()
            .map(|(k, v)| HttpHeader::new(k.as_str(), v.clone()))
            .collect(),
        remove: e.remove.iter().map(|h| h.as_str().to_owned()).collect(),
    }
}

fn extension(kind: &str, name: &str) -> HttpRouteFilter {
    HttpRouteFilter::ExtensionRef(LocalObjectReference {
        group: crds::GROUP.to_owned(),
        kind: kind.to_owned(),
        name: name.to_owned(),
    })
}

fn api_rule(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    g: &Ingress,
    r: &Route,
    j: usize,
    mesh_services: &mut BTreeSet<(String, String)>,
) -> Option<HttpRouteRule> {
    let ns = g.namespace.as_str();
    let f = match &r.action {
        Action::Forward(f) => f,
        Action::Redirect(_) => {
            cx.unsupported(
                Feature::Redirect,
                p.field("redirect"),
                "Consul's API gateway has no redirect filter; redirect in front of the gateway",
            );
            return None;
        }
        Action::Respond(_) => {
            cx.unsupported(
                Feature::DirectResponse,
                p.field("respond"),
                "Consul's API gateway cannot answer directly; route to a service that answers",
            );
            return None;
        }
    };
    let fp = p.field("forward");
    let mut rule = HttpRouteRule::new();
    for (k, m) in r.matches.iter().enumerate() {
        let mp = p.field("match").index(k);
        let mut hm = HttpRouteMatch {
            path: m.path.as_ref().map(|pm| match pm {
                PathMatch::Exact(e) => HttpPathMatch::Exact(e.to_string()),
                PathMatch::Prefix(x) => HttpPathMatch::PathPrefix(x.to_string()),
                PathMatch::Regex(x) => HttpPathMatch::RegularExpression(x.as_str().to_owned()),
            }),
            method: m.method.map(gw_method),
            ..Default::default()
        };
        for (name, sm) in &m.headers {
            match gw_string(name.as_str(), sm) {
                Some((t, v)) => hm.headers.push(HeaderMatch {
                    name: name.as_str().to_owned(),
                    match_type: Some(t),
                    value: v,
                }),
                None => cx.unsupported(
                    Feature::HeaderMatch,
                    mp.field("headers").key(name.as_str()),
                    "the prefix is too long to write as a regex; shorten it",
                ),
            }
        }
        for (name, sm) in &m.query {
            match gw_string(name, sm) {
                Some((t, v)) => hm.query_params.push(QueryParamMatch {
                    name: name.clone(),
                    match_type: Some(t),
                    value: v,
                }),
                None => cx.unsupported(
                    Feature::QueryMatch,
                    mp.field("query").key(name),
                    "the prefix is too long to write as a regex; shorten it",
                ),
            }
        }
        rule.matches.push(hm);
    }
    if !f.mirrors.is_empty() {
        cx.unsupported(
            Feature::Mirror,
            fp.field("mirrors"),
            "Consul's API gateway does not mirror traffic; drop the mirror",
        );
    }
    if let Some(fault) = &f.fault {
        if fault.delay.is_some() {
            cx.unsupported(
                Feature::FaultDelay,
                fp.field("fault").field("delay"),
                "Consul has no fault injection; use a chaos tool",
            );
        }
        if fault.abort.is_some() {
            cx.unsupported(
                Feature::FaultAbort,
                fp.field("fault").field("abort"),
                "Consul has no fault injection; use a chaos tool",
            );
        }
    }
    if !r.request_headers.is_empty() {
        rule.filters
            .push(HttpRouteFilter::RequestHeaderModifier(gw_headers(
                &r.request_headers,
            )));
    }
    if !r.response_headers.is_empty() {
        rule.filters
            .push(HttpRouteFilter::ResponseHeaderModifier(gw_headers(
                &r.response_headers,
            )));
    }
    if let Some(rw) = &f.rewrite {
        if rw.host.is_some() {
            cx.unsupported(
                Feature::Rewrite,
                fp.field("rewrite").field("host"),
                "Consul's API gateway rewrites paths only; set the Host with a request header edit",
            );
        }
        match &rw.path {
            Some(PathRewrite::Prefix(x)) => {
                rule.filters.push(HttpRouteFilter::UrlRewrite(UrlRewrite {
                    hostname: None,
                    path: Some(PathModifier::ReplacePrefixMatch(x.to_string())),
                }))
            }
            Some(PathRewrite::Full(_)) => cx.unsupported(
                Feature::Rewrite,
                fp.field("rewrite").field("path"),
                "Consul's API gateway replaces a matched prefix only; use a prefix rewrite",
            ),
            None => {}
        }
    }
    let suffix = r
        .name
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| format!("route-{j}"));
    let filter_name = format!("{}-{suffix}", g.name);
    if let Some(t) = f.timeout {
        cx.l.emit(RouteTimeoutFilter::new(
            filter_name.clone(),
            Some(ns),
            RouteTimeoutFilterSpec {
                request_timeout: Some(GoDuration::canonical(t)),
                idle_timeout: None,
            },
        ));
        rule.filters
            .push(extension("RouteTimeoutFilter", &filter_name));
    }
    if let Some(rt) = &f.retries {
        let rtp = fp.field("retries");
        let mut spec = RouteRetryFilterSpec {
            num_retries: Some(rt.attempts),
            ..Default::default()
        };
        for c in rt.conditions() {
            match c {
                RetryOn::ConnectFailure => spec.retry_on_connect_failure = Some(true),
                RetryOn::Status(code) => spec.retry_on_status_codes.push(code.get()),
                other => spec.retry_on.extend(retry_on(other)),
            }
        }
        if rt.per_try_timeout.is_some() {
            cx.unsupported(
                Feature::PerTryTimeout,
                rtp.field("perTryTimeout"),
                "Consul's RouteRetryFilter has no per-try timeout; bound the whole request with `timeout`",
            );
        }
        if rt.backoff.is_some() || rt.remote_localities {
            cx.unsupported(
                Feature::Retries,
                rtp.clone(),
                "Consul's RouteRetryFilter has no back-off or locality setting; drop `backoff` and `remoteLocalities`",
            );
        }
        cx.l.emit(RouteRetryFilter::new(filter_name.clone(), Some(ns), spec));
        rule.filters
            .push(extension("RouteRetryFilter", &filter_name));
    }
    for (k, b) in f.backends.iter().enumerate() {
        let bp = fp.field("backends").index(k);
        let t = b.target(&g.namespace, None)?;
        traffic::check_target(cx, &bp, &t);
        let weight = Weight::new(b.weight.get()).ok();
        let svc = cx.services.get(&t.service);
        match &t.version {
            None => {
                let port = t
                    .port
                    .or_else(|| svc.and_then(|s| s.ports.first()).map(|p| p.number))
                    .and_then(nz);
                let Some(port) = port else { continue };
                let mut br = BackendRef::service(t.service.name.as_str(), port);
                if t.service.namespace != g.namespace {
                    br = br.in_namespace(t.service.namespace.as_str());
                    cx.l.note(
                        Feature::Ingress,
                        bp.clone(),
                        "a backend in another namespace needs a ReferenceGrant from that namespace",
                    );
                }
                br.weight = weight;
                rule.backend_refs.push(br);
            }
            Some(v) => {
                // A virtual Consul service redirecting to the subset, named
                // by a MeshService the route can reference.
                let virt = format!("{}-{v}", t.service.name);
                let svc_ns = t.service.namespace.to_string();
                if mesh_services.insert((svc_ns.clone(), virt.clone())) {
                    cx.defaults_mut(&svc_ns, &virt).protocol = svc.and_then(service_protocol);
                    cx.l.emit(ServiceResolver::new(
                        virt.clone(),
                        Some(&svc_ns),
                        ServiceResolverSpec {
                            redirect: Some(Redirect {
                                service: Some(t.service.name.to_string()),
                                service_subset: Some(v.to_string()),
                                namespace: cx.opts.enterprise_namespaces.then(|| svc_ns.clone()),
                                ..Default::default()
                            }),
                            ..Default::default()
                        },
                    ));
                }
                if mesh_services.insert((ns.to_owned(), format!("mesh-service/{virt}"))) {
                    cx.l.emit(MeshService::new(
                        virt.clone(),
                        Some(ns),
                        MeshServiceSpec {
                            name: Some(virt.clone()),
                            peer: None,
                        },
                    ));
                }
                rule.backend_refs.push(BackendRef {
                    group: Some(crds::GROUP.to_owned()),
                    kind: Some("MeshService".to_owned()),
                    name: virt,
                    namespace: None,
                    port: None,
                    weight,
                    filters: Vec::new(),
                });
                cx.l.note(
                    Feature::VersionRouting,
                    bp,
                    "a version behind the API gateway is a MeshService naming a virtual service whose ServiceResolver redirects to the subset",
                );
            }
        }
    }
    Some(rule)
}

fn retry_on(c: RetryOn) -> Option<crds::RetryOn> {
    Some(match c {
        RetryOn::Status5xx => crds::RetryOn::FiveXx,
        RetryOn::GatewayError => crds::RetryOn::GatewayError,
        RetryOn::Reset => crds::RetryOn::Reset,
        RetryOn::ConnectFailure => crds::RetryOn::ConnectFailure,
        RetryOn::RefusedStream => crds::RetryOn::RefusedStream,
        RetryOn::Retriable4xx => crds::RetryOn::Retriable4xx,
        RetryOn::Cancelled => crds::RetryOn::Cancelled,
        RetryOn::DeadlineExceeded => crds::RetryOn::DeadlineExceeded,
        RetryOn::Internal => crds::RetryOn::Internal,
        RetryOn::ResourceExhausted => crds::RetryOn::ResourceExhausted,
        RetryOn::Unavailable => crds::RetryOn::Unavailable,
        RetryOn::Status(_) => return None,
    })
}

// === IngressGateway ===

fn ingress_gateway(cx: &mut Cx<'_>, p: &FieldPath, g: &Ingress) {
    let ns = g.namespace.as_str();
    let virt = format!("{}-routes", g.name);
    let mut listeners = Vec::new();
    for (k, l) in g.listeners.iter().enumerate() {
        let lp = p.field("listeners").index(k);
        let Some(port) = nz(l.port) else { continue };
        if l.https_redirect {
            cx.unsupported(
                Feature::Redirect,
                lp.field("httpsRedirect"),
                "Consul's IngressGateway cannot redirect; serve HTTPS only",
            );
        }
        let tls = match (l.protocol, &l.tls) {
            (ListenerProtocol::Http, _) => None,
            (ListenerProtocol::Https, _) => {
                cx.unsupported(
                    Feature::IngressTls,
                    lp.field("tls"),
                    "Consul's IngressGateway serves Connect or SDS certificates, not Kubernetes Secrets; use the API gateway flavor",
                );
                Some(GatewayTls {
                    enabled: true,
                    ..Default::default()
                })
            }
            (ListenerProtocol::Tls, _) => {
                cx.unsupported(
                    Feature::IngressPassthrough,
                    lp.field("tls"),
                    "Consul's IngressGateway has no TLS passthrough",
                );
                None
            }
        };
        listeners.push(IngressListener {
            port,
            protocol: Some(crds::Protocol::Http),
            services: vec![IngressService {
                name: virt.clone(),
                hosts: g.hosts.iter().map(ToString::to_string).collect(),
                ..Default::default()
            }],
            tls,
        });
    }
    cx.l.emit(IngressGateway::new(
        g.name.as_str(),
        Some(ns),
        IngressGatewaySpec {
            listeners,
            ..Default::default()
        },
    ));
    cx.defaults_mut(ns, &virt).protocol = Some(crds::Protocol::Http);
    let owner = Owner {
        service: None,
        router: &virt,
        namespace: &g.namespace,
        protocol: crds::Protocol::Http,
    };
    let defaults = RouteDefaults {
        timeout: None,
        retries: None,
        resilience_path: p.clone(),
    };
    if g.routes.is_empty() {
        return;
    }
    let rp = p.field("routes");
    let routes = traffic::lower_routes(cx, &rp, &owner, &g.routes, &defaults);
    if !g.routes.iter().any(Route::is_catch_all) {
        cx.unsupported(
            Feature::Unmatched,
            rp,
            "through an IngressGateway, requests no route matches reach the virtual routing service, which has no instances (503, not the model's 404); add a catch-all route or use the API gateway flavor",
        );
    }
    if !routes.is_empty() {
        cx.l.emit(ServiceRouter::new(
            virt,
            Some(ns),
            ServiceRouterSpec { routes },
        ));
    }
}

// === egress ===

pub(crate) fn egress(cx: &mut Cx<'_>) {
    let root = FieldPath::root().field("egress");
    let eg = &cx.mesh.egress;
    cx.mesh_entry.transparent_proxy = Some(MeshTransparentProxy {
        mesh_destinations_only: Some(eg.policy == OutboundPolicy::RegistryOnly),
    });
    let mut linked = Vec::new();
    for (i, e) in eg.services.iter().enumerate() {
        let p = root.field("services").index(i);
        let addresses: Vec<String> = match &e.resolution {
            Resolution::Dns => {
                if e.hosts.iter().any(|h| h.is_wildcard()) {
                    cx.unsupported(
                        Feature::Egress,
                        p.field("hosts"),
                        "Consul destinations take exact hostnames or IPs; list the hosts",
                    );
                    continue;
                }
                e.hosts.iter().map(ToString::to_string).collect()
            }
            Resolution::Static(ips) => {
                let mut out = Vec::new();
                for ip in ips {
                    let s = ip.as_str();
                    match s.split_once('/') {
                        None => out.push(s.to_owned()),
                        Some((a, "32" | "128")) => out.push(a.to_owned()),
                        Some(_) => cx.unsupported(
                            Feature::Egress,
                            p.field("resolution"),
                            "Consul destinations take single addresses, not CIDR ranges; list the addresses",
                        ),
                    }
                }
                out
            }
            Resolution::Passthrough => {
                cx.unsupported(
                    Feature::Egress,
                    p.field("resolution"),
                    "Consul destinations need the addresses; use dns or static resolution",
                );
                continue;
            }
        };
        let hostnames = matches!(e.resolution, Resolution::Dns);
        for (k, port) in e.ports.iter().enumerate() {
            let pp = p.field("ports").index(k);
            if port.target_port.is_some_and(|t| t != port.number) {
                cx.unsupported(
                    if e.tls.is_some() {
                        Feature::TlsOrigination
                    } else {
                        Feature::Egress
                    },
                    pp.field("targetPort"),
                    "a Consul destination has one port, which the application dials and the terminating gateway connects to; make the application call the external port",
                );
            }
            if hostnames && port.protocol == Protocol::Tcp {
                cx.unsupported(
                    Feature::Egress,
                    pp.field("protocol"),
                    "Consul routes hostname destinations by HTTP Host or TLS SNI, not plain TCP; use static IP addresses",
                );
            }
            let name = if e.ports.len() == 1 {
                e.name.to_string()
            } else {
                format!("{}-{}", e.name, port.number)
            };
            let Some(dport) = nz(port.number) else {
                continue;
            };
            let sd = cx.defaults_mut(e.namespace.as_str(), &name);
            sd.protocol = Some(super::protocol(port.protocol));
            sd.destination = Some(Destination {
                addresses: addresses.clone(),
                port: dport,
            });
            let mut ls = LinkedService {
                name: name.clone(),
                namespace: cx
                    .opts
                    .enterprise_namespaces
                    .then(|| e.namespace.to_string()),
                ..Default::default()
            };
            if let Some(t) = &e.tls {
                let tp = p.field("tls");
                match (t.mode, &t.credential) {
                    (OriginationMode::Simple, None) => {
                        ls.ca_file = Some(cx.opts.egress_ca_file.clone());
                        ls.sni = Some(
                            t.sni
                                .as_ref()
                                .map(ToString::to_string)
                                .or_else(|| e.hosts.first().map(ToString::to_string))
                                .unwrap_or_default(),
                        );
                    }
                    _ => cx.unsupported(
                        Feature::TlsOrigination,
                        tp.field("credential"),
                        "the terminating gateway reads CA and client certificates from files on its pods; mount them (TerminatingGateway deployment extraVolumes) and configure the linked service by hand, or use simple TLS with the system CA bundle",
                    ),
                }
            }
            linked.push(ls);
        }
    }
    if !linked.is_empty() {
        cx.l.note(
            Feature::Egress,
            root.field("services"),
            "destinations work with transparent proxies and reach the outside through the TerminatingGateway (which must be deployed by the Helm chart under the same name)",
        );
        let ns = cx.opts.config_namespace.clone();
        cx.l.emit(TerminatingGateway::new(
            cx.opts.terminating_gateway.clone(),
            Some(&ns),
            TerminatingGatewaySpec {
                services: linked,
                deployment: None,
            },
        ));
    }
}
