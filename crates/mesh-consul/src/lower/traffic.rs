//! Services: ServiceDefaults (protocol, upstream limits, rate limits),
//! ServiceResolver (subsets, default subset, load balancing), ServiceRouter
//! and ServiceSplitter (routes and weighted splits).

use std::num::NonZeroU32;

use mesh_k8s::GoDuration;
use mesh_model::{
    Action, Feature, FieldPath, HashKey, LoadBalancer, Name, PathMatch, PathRewrite, Resilience,
    RetryOn, RetryPolicy, Route, RouteMatch, Service, StringMatch, Unmatched,
};

use std::collections::{BTreeMap, BTreeSet};

use super::Cx;
use super::security::Callers;
use crate::crds::{
    self, CookieConfig, HashOn, HashPolicy, HeaderCondition, HeaderModifiers, HttpMethod,
    InstanceLevelRateLimits, LoadBalancerPolicy, PassiveHealthCheck, QueryCondition,
    QueryParamMatch, RateLimits, RouteDestination, RouteHeaderMatch, RouteHttpMatch,
    ServiceResolver, ServiceResolverSpec, ServiceRouter, ServiceRouterSpec, ServiceSplitter,
    ServiceSplitterSpec, Split, Subset, UpstreamConfig, UpstreamLimits,
};

/// The catalog meta key versions are filtered on, and the pod annotation
/// consul-k8s copies into it.
pub const VERSION_META_ANNOTATION: &str = "consul.hashicorp.com/service-meta-version";

/// `requestTimeout: -1s`: no timeout (Consul 1.18+, hashicorp/consul#19992);
/// Consul reads 0 or no value as Envoy's implicit 15s.
pub(crate) fn no_timeout() -> GoDuration {
    GoDuration::negative(mesh_model::Duration::from_secs(1))
}

/// Lowers every service; returns the upstream configuration (connection
/// limits, outlier detection) each service's callers must carry, by
/// position in `mesh.services`.
pub(crate) fn services(cx: &mut Cx<'_>) -> Vec<(usize, UpstreamConfig)> {
    if cx.mesh.services.iter().any(is_l7) {
        // The model has no timeout unless said: switch off Envoy's implicit
        // 15s on the route to the local application (a pointer in Consul's
        // proxy config, so 0 disables rather than defaults).
        let mut config = serde_json::Map::new();
        config.insert(
            "local_request_timeout_ms".to_owned(),
            serde_json::Value::from(0),
        );
        cx.proxy_defaults.config = Some(config);
    }
    let mut upstreams = Vec::new();
    for (i, s) in cx.mesh.services.iter().enumerate() {
        let p = FieldPath::root().field("services").index(i);
        if let Some(u) = service(cx, &p, s) {
            upstreams.push((i, u));
        }
    }
    upstreams
}

/// Consul configures limits and outlier detection on the caller's side
/// (ServiceDefaults `upstreamConfig.overrides`; it has no destination-side
/// equivalent). Every service of the model that the intentions let call a
/// destination carries the destination's override; a caller the intentions
/// refuse never opens a connection, so it gets none. Under deny-by-default
/// this is one override per allowed caller (linear in the policy), not one
/// per pair of services.
pub(crate) fn upstream_overrides(
    cx: &mut Cx<'_>,
    upstreams: Vec<(usize, UpstreamConfig)>,
    callers: &[Callers],
) {
    let mesh = cx.mesh;
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut by_namespace: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in mesh.services.iter().enumerate() {
        by_name.entry(s.name.as_str()).or_default().push(i);
        by_namespace
            .entry(s.namespace.as_str())
            .or_default()
            .push(i);
    }
    for (d, u) in upstreams {
        let Some(c) = callers.get(d) else { continue };
        let mut from: BTreeSet<usize> = BTreeSet::new();
        if c.any {
            from.extend(0..mesh.services.len());
        } else {
            for ((name, _), _) in c.names.iter().filter(|(_, allows)| **allows) {
                from.extend(by_name.get(name.as_str()).into_iter().flatten());
            }
            for (ns, _) in c.namespaces.iter().filter(|(_, allows)| **allows) {
                from.extend(by_namespace.get(ns.as_str()).into_iter().flatten());
            }
        }
        for k in from {
            let s = &mesh.services[k];
            if u.name.as_deref() == Some(s.name.as_str()) || !c.admits(s) {
                continue;
            }
            cx.defaults_mut(s.namespace.as_str(), s.name.as_str())
                .upstream_config
                .get_or_insert_with(Default::default)
                .overrides
                .push(u.clone());
        }
    }
}

/// The Consul protocol of a service: the ports' one, `None` without ports.
pub(crate) fn service_protocol(s: &Service) -> Option<crds::Protocol> {
    let mut protos: Vec<crds::Protocol> = Vec::new();
    for port in &s.ports {
        let p = super::protocol(port.protocol);
        if !protos.contains(&p) {
            protos.push(p);
        }
    }
    match protos.as_slice() {
        [] => None,
        [one] => Some(*one),
        // One protocol per Consul service: mixed ports are opaque TCP.
        _ => Some(crds::Protocol::Tcp),
    }
}

/// Whether Consul sees HTTP requests of this service.
pub(crate) fn is_l7(s: &Service) -> bool {
    matches!(
        service_protocol(s),
        Some(crds::Protocol::Http | crds::Protocol::Http2 | crds::Protocol::Grpc)
    )
}

fn service(cx: &mut Cx<'_>, p: &FieldPath, s: &Service) -> Option<UpstreamConfig> {
    let ns = s.namespace.as_str();
    let name = s.name.as_str();
    let proto = service_protocol(s);
    if proto == Some(crds::Protocol::Tcp) && s.is_l7() {
        cx.l.note(
            Feature::VersionRouting,
            p.field("ports"),
            "Consul has one protocol per service: the ports mix protocols, so the service is `tcp` (no L7 features)",
        );
    }
    cx.defaults_mut(ns, name).protocol = proto;
    if let Some(sa) = &s.service_account
        && sa != &s.name
    {
        cx.l.note(
            Feature::AuthzAllow,
            p.field("serviceAccount"),
            format!(
                "consul-k8s (with ACLs) injects pods only when their service account is named after the service (`{name}`); intentions can name this service only as `{name}`"
            ),
        );
    }
    if !s.export_to.is_empty() {
        cx.unsupported(
            Feature::ExportTo,
            p.field("exportTo"),
            "Consul config entries are visible to every service of the datacenter; remove `exportTo` (ExportedServices is for peers and partitions)",
        );
    }

    // Resolver: subsets, default subset, load balancing.
    let mut resolver = ServiceResolverSpec::default();
    for v in &s.versions {
        resolver.subsets.insert(
            v.name.to_string(),
            Subset {
                filter: Some(format!("Service.Meta.version == {}", v.name)),
                only_passing: None,
            },
        );
    }
    if !s.versions.is_empty() {
        cx.l.note(
            Feature::VersionRouting,
            p.field("versions"),
            format!(
                "resolver subsets filter on Service.Meta.version: annotate each version's pods with `{VERSION_META_ANNOTATION}: <version>`"
            ),
        );
    }
    if let Unmatched::Version(v) = &s.unmatched {
        resolver.default_subset = Some(v.to_string());
    }
    if let Some(lb) = &s.resilience.load_balancer {
        resolver.load_balancer = Some(load_balancer(lb));
    }
    if is_l7(s) {
        // The model has no timeout unless said; Consul (1.18+) reads a
        // negative requestTimeout as "no timeout", where 0 or none means
        // Envoy's implicit 15s.
        resolver.request_timeout = Some(match s.resilience.timeout {
            Some(t) => GoDuration::canonical(t),
            None => no_timeout(),
        });
    }
    versions_resilience(cx, p, s);
    if resolver != ServiceResolverSpec::default() {
        cx.l.emit(ServiceResolver::new(name, Some(ns), resolver));
    }

    rate_limit(cx, p, s);
    if s.resilience.retry_budget.is_some() {
        cx.unsupported(
            Feature::RetryBudget,
            p.field("resilience").field("retryBudget"),
            "Consul has no retry budget; bound retries with `attempts` and connection-pool `maxRequests`",
        );
    }

    // Routes.
    let l7 = is_l7(s);
    let rp = p.field("routes");
    let defaults = RouteDefaults {
        timeout: s.resilience.timeout,
        retries: s.resilience.retries.clone(),
        resilience_path: p.field("resilience"),
    };
    let owner = Owner {
        service: Some(s),
        router: name,
        namespace: &s.namespace,
        protocol: proto.unwrap_or(crds::Protocol::Tcp),
    };
    if !l7 && (!s.routes.is_empty() || defaults.timeout.is_some() || defaults.retries.is_some()) {
        let what = if !s.routes.is_empty() {
            (Feature::VersionRouting, rp.clone())
        } else if defaults.timeout.is_some() {
            (Feature::Timeout, p.field("resilience").field("timeout"))
        } else {
            (Feature::Retries, p.field("resilience").field("retries"))
        };
        cx.unsupported(
            what.0,
            what.1,
            "Consul routes, splits, timeouts and retries need an HTTP-family protocol; declare the port as http, http2 or grpc",
        );
    } else {
        let mut routes = lower_routes(cx, &rp, &owner, &s.routes, &defaults);
        let catch_all = s.routes.iter().any(Route::is_catch_all);
        if !catch_all {
            match &s.unmatched {
                Unmatched::NotFound => cx.unsupported(
                    Feature::Unmatched,
                    p.field("unmatched"),
                    "Consul sends requests that match no route to the service itself and has no direct response; end the routes with a catch-all, or use `unmatched: service` or `{version: ...}`",
                ),
                Unmatched::Service | Unmatched::Version(_) => {
                    if defaults.timeout.is_some() || defaults.retries.is_some() {
                        let mut dest = RouteDestination {
                            service: Some(name.to_owned()),
                            ..Default::default()
                        };
                        if let Unmatched::Version(v) = &s.unmatched {
                            dest.service_subset = Some(v.to_string());
                        }
                        apply_resilience(cx, &mut dest, None, None, &defaults, p);
                        routes.push(crds::Route {
                            match_: None,
                            destination: Some(dest),
                        });
                        cx.l.note(
                            Feature::Timeout,
                            p.field("resilience"),
                            "the service's timeout/retries apply to unmatched requests through an explicit last catch-all route",
                        );
                    }
                }
            }
        }
        if !routes.is_empty() {
            cx.l.emit(ServiceRouter::new(
                name,
                Some(ns),
                ServiceRouterSpec { routes },
            ));
        }
    }
    upstream(cx, p, s)
}

/// What a set of routes belongs to.
pub(crate) struct Owner<'a> {
    /// The service owning the routes (none for ingress).
    pub service: Option<&'a Service>,
    /// The Consul service whose router holds them.
    pub router: &'a str,
    /// The namespace the routes live in.
    pub namespace: &'a Name,
    /// The router service's protocol (for virtual splitter services).
    pub protocol: crds::Protocol,
}

/// Timeout and retries for routes that set none.
pub(crate) struct RouteDefaults {
    pub timeout: Option<mesh_model::Duration>,
    pub retries: Option<RetryPolicy>,
    pub resilience_path: FieldPath,
}

/// Lowers routes to ServiceRouter routes (first match wins), emitting the
/// virtual splitter services weighted routes need.
pub(crate) fn lower_routes(
    cx: &mut Cx<'_>,
    rp: &FieldPath,
    owner: &Owner<'_>,
    routes: &[Route],
    defaults: &RouteDefaults,
) -> Vec<crds::Route> {
    let mut out = Vec::new();
    let mut noted_timeout = false;
    for (j, r) in routes.iter().enumerate() {
        let p = rp.index(j);
        let f = match &r.action {
            Action::Forward(f) => f,
            Action::Redirect(_) => {
                cx.unsupported(
                    Feature::Redirect,
                    p.field("redirect"),
                    "a Consul ServiceRouter cannot redirect; redirect in the application or at an API gateway in front",
                );
                continue;
            }
            Action::Respond(_) => {
                cx.unsupported(
                    Feature::DirectResponse,
                    p.field("respond"),
                    "a Consul ServiceRouter cannot answer directly; route to a service that answers",
                );
                continue;
            }
        };
        let fp = p.field("forward");
        if !f.mirrors.is_empty() {
            cx.unsupported(
                Feature::Mirror,
                fp.field("mirrors"),
                "Consul cannot mirror traffic; mirror in the application or with an Envoy extension outside meshwright",
            );
        }
        if let Some(fault) = &f.fault {
            if fault.delay.is_some() {
                cx.unsupported(
                    Feature::FaultDelay,
                    fp.field("fault").field("delay"),
                    "Consul has no fault injection; inject delays in a test build of the service or with a chaos tool",
                );
            }
            if fault.abort.is_some() {
                cx.unsupported(
                    Feature::FaultAbort,
                    fp.field("fault").field("abort"),
                    "Consul has no fault injection; inject errors in a test build of the service or with a chaos tool",
                );
            }
        }
        let Some(mut dest) = destination(cx, &fp, owner, r, j) else {
            continue;
        };
        if f.timeout.is_none() && defaults.timeout.is_none() && !noted_timeout {
            noted_timeout = true;
            cx.l.note(
                Feature::Timeout,
                p.clone(),
                "no timeout in the model: Envoy's implicit 15s route timeout is switched off with `requestTimeout: -1s` (Consul 1.18+) on the router routes and resolver, and with ProxyDefaults `local_request_timeout_ms: 0` on the callee side",
            );
        }
        apply_resilience(
            cx,
            &mut dest,
            f.timeout,
            f.retries.as_ref().map(|r| (r, fp.field("retries"))),
            defaults,
            &fp,
        );
        if !r.request_headers.is_empty() {
            dest.request_headers = Some(header_edits(&r.request_headers));
        }
        if !r.response_headers.is_empty() {
            dest.response_headers = Some(header_edits(&r.response_headers));
        }
        // Rewrites.
        let mut prefix_rewrite: Option<&PathRewrite> = None;
        if let Some(rw) = &f.rewrite {
            if rw.host.is_some() {
                cx.unsupported(
                    Feature::Rewrite,
                    fp.field("rewrite").field("host"),
                    "a Consul ServiceRouter cannot rewrite the Host header; set it in a request header edit (`requestHeaders.set`)",
                );
            }
            if let Some(pr) = &rw.path {
                let ok = match pr {
                    PathRewrite::Prefix(_) => true,
                    PathRewrite::Full(_) => {
                        !r.matches.is_empty()
                            && r.matches
                                .iter()
                                .all(|m| matches!(m.path, Some(PathMatch::Exact(_))))
                    }
                };
                if ok {
                    prefix_rewrite = Some(pr);
                } else {
                    cx.unsupported(
                        Feature::Rewrite,
                        fp.field("rewrite").field("path"),
                        "Consul rewrites only a matched prefix (`prefixRewrite`); a full path rewrite needs every match to be an exact path",
                    );
                }
            }
        }
        if r.matches.is_empty() {
            out.push(crds::Route {
                match_: None,
                destination: Some(dest),
            });
            continue;
        }
        for (k, m) in r.matches.iter().enumerate() {
            let mp = p.field("match").index(k);
            for (http, rewrite) in http_matches(cx, &mp, m, prefix_rewrite) {
                let mut d = dest.clone();
                d.prefix_rewrite = rewrite;
                out.push(crds::Route {
                    match_: Some(crds::RouteMatch { http: Some(http) }),
                    destination: Some(d),
                });
            }
        }
    }
    out
}

/// Where a route goes: one backend directly, several through a virtual
/// splitter service.
fn destination(
    cx: &mut Cx<'_>,
    fp: &FieldPath,
    owner: &Owner<'_>,
    r: &Route,
    j: usize,
) -> Option<RouteDestination> {
    let f = r.forward()?;
    let owner_name = owner.service.map(|s| &s.name);
    let mut targets = Vec::new();
    for (k, b) in f.backends.iter().enumerate() {
        let bp = fp.field("backends").index(k);
        let t = b.target(owner.namespace, owner_name)?;
        check_target(cx, &bp, &t);
        if t.port.is_some()
            && cx
                .services
                .get(&t.service)
                .is_some_and(|s| s.ports.len() > 1)
        {
            cx.unsupported(
                Feature::VersionRouting,
                bp.field("port"),
                "Consul routes to a service, not to one of its ports; drop `port` or split the service per port",
            );
        }
        targets.push((t, b.weight.get()));
    }
    if let [(t, _)] = targets.as_slice() {
        return Some(RouteDestination {
            service: Some(t.service.name.to_string()),
            service_subset: t.version.as_ref().map(ToString::to_string),
            namespace: cx
                .opts
                .enterprise_namespaces
                .then(|| t.service.namespace.to_string()),
            ..Default::default()
        });
    }
    let weights: Vec<u32> = targets.iter().map(|(_, w)| *w).collect();
    let hundredths = mesh_model::percent_hundredths(&weights)?;
    let suffix = r
        .name
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| format!("route-{j}"));
    let virtual_name = format!("{}-{suffix}", owner.router);
    let splits = targets
        .iter()
        .zip(&hundredths)
        .map(|((t, _), h)| Split {
            weight: f64::from(*h) / 100.0,
            service: Some(t.service.name.to_string()),
            service_subset: t.version.as_ref().map(ToString::to_string),
            namespace: cx
                .opts
                .enterprise_namespaces
                .then(|| t.service.namespace.to_string()),
            ..Default::default()
        })
        .collect();
    let ns = owner.namespace.as_str();
    cx.defaults_mut(ns, &virtual_name).protocol = Some(owner.protocol);
    cx.l.emit(ServiceSplitter::new(
        virtual_name.clone(),
        Some(ns),
        ServiceSplitterSpec { splits },
    ));
    cx.l.note(
        Feature::WeightedSplit,
        fp.field("backends"),
        format!(
            "weights {weights:?} as exact percentages {:?} in the splitter of virtual service `{virtual_name}`",
            hundredths
                .iter()
                .map(|h| f64::from(*h) / 100.0)
                .collect::<Vec<_>>()
        ),
    );
    Some(RouteDestination {
        service: Some(virtual_name),
        ..Default::default()
    })
}

/// A backend without a version goes to all pods; with Consul that holds
/// only when the target service has no default subset.
pub(crate) fn check_target(cx: &mut Cx<'_>, bp: &FieldPath, t: &mesh_model::Target) {
    if t.version.is_some() {
        return;
    }
    if let Some(svc) = cx.services.get(&t.service)
        && let Unmatched::Version(v) = &svc.unmatched
    {
        cx.unsupported(
            Feature::Unmatched,
            bp.clone(),
            format!(
                "`{}` has `unmatched: {{version: {v}}}`, which Consul implements as the resolver's defaultSubset, so a backend without a version would reach only {v}; name the version here",
                t.service
            ),
        );
    }
}

/// Timeout and retries on a route destination.
fn apply_resilience(
    cx: &mut Cx<'_>,
    dest: &mut RouteDestination,
    timeout: Option<mesh_model::Duration>,
    retries: Option<(&RetryPolicy, FieldPath)>,
    defaults: &RouteDefaults,
    _fp: &FieldPath,
) {
    dest.request_timeout = Some(match timeout.or(defaults.timeout) {
        Some(t) => GoDuration::canonical(t),
        None => no_timeout(),
    });
    let retries = retries.or_else(|| {
        defaults
            .retries
            .as_ref()
            .map(|r| (r, defaults.resilience_path.field("retries")))
    });
    if let Some((r, rp)) = retries {
        dest.num_retries = Some(r.attempts);
        for c in r.conditions() {
            match c {
                RetryOn::ConnectFailure => dest.retry_on_connect_failure = Some(true),
                RetryOn::Status(code) => dest.retry_on_status_codes.push(code.get()),
                other => {
                    if let Some(k) = retry_on(other) {
                        dest.retry_on.push(k);
                    }
                }
            }
        }
        if r.per_try_timeout.is_some() {
            cx.unsupported(
                Feature::PerTryTimeout,
                rp.field("perTryTimeout"),
                "Consul's ServiceRouter has no per-try timeout; drop it and bound the whole request with `timeout`",
            );
        }
        if r.backoff.is_some() {
            cx.unsupported(
                Feature::Retries,
                rp.field("backoff"),
                "Consul's ServiceRouter has no retry back-off setting (Envoy's 25ms base applies); drop `backoff`",
            );
        }
        if r.remote_localities {
            cx.unsupported(
                Feature::Retries,
                rp.field("remoteLocalities"),
                "Consul's ServiceRouter cannot prefer other localities on retry; drop `remoteLocalities`",
            );
        }
    }
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

pub(crate) fn header_edits(e: &mesh_model::HeaderEdits) -> HeaderModifiers {
    HeaderModifiers {
        add: e
            .add
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect(),
        set: e
            .set
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.clone()))
            .collect(),
        remove: e.remove.iter().map(|h| h.as_str().to_owned()).collect(),
    }
}

pub(crate) fn method(m: mesh_model::Method) -> HttpMethod {
    match m {
        mesh_model::Method::Get => HttpMethod::Get,
        mesh_model::Method::Head => HttpMethod::Head,
        mesh_model::Method::Post => HttpMethod::Post,
        mesh_model::Method::Put => HttpMethod::Put,
        mesh_model::Method::Delete => HttpMethod::Delete,
        mesh_model::Method::Connect => HttpMethod::Connect,
        mesh_model::Method::Options => HttpMethod::Options,
        mesh_model::Method::Trace => HttpMethod::Trace,
        mesh_model::Method::Patch => HttpMethod::Patch,
    }
}

/// Consul path matches for a model path (a segment prefix becomes exact +
/// string prefix with `/`), each with the prefix rewrite that keeps the
/// model's meaning.
pub(crate) fn path_matches(
    path: Option<&PathMatch>,
    rewrite: Option<&PathRewrite>,
) -> Vec<(Option<crds::PathMatch>, Option<String>)> {
    let rewrite_for = |string_prefix: bool| -> Option<String> {
        match rewrite? {
            PathRewrite::Full(p) => Some(p.to_string()),
            PathRewrite::Prefix(p) if string_prefix => {
                Some(format!("{}/", p.as_str().trim_end_matches('/')))
            }
            PathRewrite::Prefix(p) => Some(p.to_string()),
        }
    };
    match path {
        None => vec![(None, None)],
        Some(PathMatch::Exact(e)) => vec![(
            Some(crds::PathMatch::Exact(e.to_string())),
            rewrite_for(false),
        )],
        Some(PathMatch::Regex(r)) => {
            vec![(Some(crds::PathMatch::Regex(r.as_str().to_owned())), None)]
        }
        Some(pm @ PathMatch::Prefix(p)) => match pm.segment_prefix_rewrite() {
            Some((exact, prefix)) => vec![
                (
                    Some(crds::PathMatch::Exact(exact.to_string())),
                    rewrite_for(false),
                ),
                (
                    Some(crds::PathMatch::Prefix(prefix.to_string())),
                    rewrite_for(true),
                ),
            ],
            None => vec![(
                Some(crds::PathMatch::Prefix(p.to_string())),
                rewrite_for(true),
            )],
        },
    }
}

fn http_matches(
    cx: &mut Cx<'_>,
    mp: &FieldPath,
    m: &RouteMatch,
    rewrite: Option<&PathRewrite>,
) -> Vec<(RouteHttpMatch, Option<String>)> {
    if matches!(m.path, Some(PathMatch::Prefix(_)))
        && m.path
            .as_ref()
            .and_then(PathMatch::segment_prefix_rewrite)
            .is_some()
    {
        cx.l.note(
            Feature::PathPrefix,
            mp.field("path"),
            "segment prefix written as pathExact + pathPrefix ending in `/` (Consul compares string prefixes)",
        );
    }
    let header: Vec<RouteHeaderMatch> = m
        .headers
        .iter()
        .map(|(name, sm)| RouteHeaderMatch {
            name: name.as_str().to_owned(),
            condition: match sm {
                StringMatch::Exact(v) => HeaderCondition::Exact(v.clone()),
                StringMatch::Prefix(v) => HeaderCondition::Prefix(v.clone()),
                StringMatch::Regex(r) => HeaderCondition::Regex(r.as_str().to_owned()),
            },
            invert: None,
        })
        .collect();
    let mut query_param = Vec::new();
    for (name, sm) in &m.query {
        let condition = match sm {
            StringMatch::Exact(v) => QueryCondition::Exact(v.clone()),
            StringMatch::Regex(r) => QueryCondition::Regex(r.as_str().to_owned()),
            StringMatch::Prefix(_) => match sm.to_regex() {
                Ok(r) => {
                    cx.l.note(
                        Feature::QueryMatch,
                        mp.field("query").key(name),
                        "query prefix written as a regex (Consul matches query values exactly or by regex)",
                    );
                    QueryCondition::Regex(r.as_str().to_owned())
                }
                Err(_) => {
                    cx.unsupported(
                        Feature::QueryMatch,
                        mp.field("query").key(name),
                        "the prefix is too long to write as a regex; shorten it",
                    );
                    continue;
                }
            },
        };
        query_param.push(QueryParamMatch {
            name: name.clone(),
            condition,
        });
    }
    let methods: Vec<HttpMethod> = m.method.map(method).into_iter().collect();
    path_matches(m.path.as_ref(), rewrite)
        .into_iter()
        .map(|(path, rw)| {
            (
                RouteHttpMatch {
                    path,
                    case_insensitive: None,
                    header: header.clone(),
                    query_param: query_param.clone(),
                    methods: methods.clone(),
                },
                rw,
            )
        })
        .collect()
}

pub(crate) fn load_balancer(lb: &LoadBalancer) -> crds::LoadBalancer {
    let (policy, hash) = match lb {
        LoadBalancer::RoundRobin => (LoadBalancerPolicy::RoundRobin, None),
        LoadBalancer::LeastRequest => (LoadBalancerPolicy::LeastRequest, None),
        LoadBalancer::Random => (LoadBalancerPolicy::Random, None),
        LoadBalancer::ConsistentHash(key) => {
            let on = match key {
                HashKey::Header(h) => HashOn::Header(h.as_str().to_owned()),
                HashKey::QueryParam(q) => HashOn::QueryParameter(q.clone()),
                HashKey::SourceIp => HashOn::SourceIp,
                HashKey::Cookie { name, ttl, path } => HashOn::Cookie {
                    name: name.clone(),
                    // Envoy generates the cookie only with a ttl; a path
                    // alone has nothing to apply to.
                    config: ttl.map(|ttl| CookieConfig {
                        session: None,
                        ttl: Some(GoDuration::canonical(ttl)),
                        path: path.as_ref().map(ToString::to_string),
                    }),
                },
            };
            (
                LoadBalancerPolicy::RingHash,
                Some(HashPolicy { on, terminal: None }),
            )
        }
    };
    crds::LoadBalancer {
        policy: Some(policy),
        hash_policies: hash.into_iter().collect(),
        ..Default::default()
    }
}

/// Version-level resilience: Consul's resolver and upstream settings are
/// per service, so only timeouts and retries... none of it maps; refuse
/// what differs from the service's.
fn versions_resilience(cx: &mut Cx<'_>, p: &FieldPath, s: &Service) {
    for (k, v) in s.versions.iter().enumerate() {
        let Some(over) = &v.resilience else { continue };
        let vp = p.field("versions").index(k).field("resilience");
        let merged = s.resilience_for(Some(v.name.as_str()));
        let base = &s.resilience;
        let checks: [(bool, Feature, &str); 7] = [
            (
                merged.connection_pool != base.connection_pool,
                Feature::ConnectionPool,
                "connectionPool",
            ),
            (
                merged.outlier_detection != base.outlier_detection,
                Feature::OutlierDetection,
                "outlierDetection",
            ),
            (
                merged.load_balancer != base.load_balancer,
                Feature::LoadBalancer,
                "loadBalancer",
            ),
            (
                merged.rate_limit != base.rate_limit,
                Feature::RateLimit,
                "rateLimit",
            ),
            (merged.timeout != base.timeout, Feature::Timeout, "timeout"),
            (merged.retries != base.retries, Feature::Retries, "retries"),
            (
                merged.retry_budget != base.retry_budget,
                Feature::RetryBudget,
                "retryBudget",
            ),
        ];
        let _ = over;
        for (differs, feature, field) in checks {
            if differs {
                cx.unsupported(
                    feature,
                    vp.field(field),
                    "Consul applies upstream limits, outlier detection, load balancing, rate limits and route settings per service, not per resolver subset; set it on the service, or make the version its own service",
                );
            }
        }
    }
}

fn rate_limit(cx: &mut Cx<'_>, p: &FieldPath, s: &Service) {
    let Some(rl) = &s.resilience.rate_limit else {
        return;
    };
    let rp = p.field("resilience").field("rateLimit");
    let nanos = u128::from(rl.per.as_nanos());
    let requests = u128::from(rl.requests.get());
    // Consul takes whole requests per second.
    let rps = if nanos > 0 && (requests * 1_000_000_000) % nanos == 0 {
        u32::try_from(requests * 1_000_000_000 / nanos).ok()
    } else {
        None
    };
    let Some(rps) = rps.filter(|r| *r > 0) else {
        cx.unsupported(
            Feature::RateLimit,
            rp.field("per"),
            format!(
                "Consul rate limits are whole requests per second; {} per {} is {:.3}/s: choose a window that gives a whole number",
                rl.requests,
                rl.per,
                rl.per_second()
            ),
        );
        return;
    };
    if rl.per_identity.is_some() {
        cx.unsupported(
            Feature::RateLimitPerIdentity,
            rp.field("perIdentity"),
            "Consul rate limits are per instance, not per client; drop `perIdentity`",
        );
    }
    if !rl.overrides.is_empty() {
        cx.unsupported(
            Feature::RateLimitPerIdentity,
            rp.field("overrides"),
            "Consul rate limits are per instance, not per client; drop `overrides`",
        );
    }
    let burst = rl.burst.map(NonZeroU32::get).unwrap_or(rl.requests.get());
    if burst < rps {
        cx.unsupported(
            Feature::RateLimit,
            rp.field("burst"),
            "Consul needs requestsMaxBurst >= requestsPerSecond; raise `burst`",
        );
        return;
    }
    let sd = cx.defaults_mut(s.namespace.as_str(), s.name.as_str());
    sd.rate_limits = Some(RateLimits {
        instance_level: Some(InstanceLevelRateLimits {
            requests_per_second: Some(rps),
            requests_max_burst: Some(burst),
            routes: Vec::new(),
        }),
    });
    cx.l.note(
        Feature::RateLimit,
        rp,
        "ServiceDefaults rateLimits is a Consul Enterprise feature; Consul CE ignores it",
    );
}

/// The service's connection limits and outlier detection, as an upstream
/// override its callers carry.
fn upstream(cx: &mut Cx<'_>, p: &FieldPath, s: &Service) -> Option<UpstreamConfig> {
    let res: &Resilience = &s.resilience;
    let rp = p.field("resilience");
    let mut u = UpstreamConfig {
        name: Some(s.name.to_string()),
        namespace: cx
            .opts
            .enterprise_namespaces
            .then(|| s.namespace.to_string()),
        ..Default::default()
    };
    let mut any = false;
    if let Some(cp) = &res.connection_pool {
        let cpp = rp.field("connectionPool");
        any = true;
        let limits = UpstreamLimits {
            max_connections: cp.max_connections.map(NonZeroU32::get),
            max_pending_requests: cp.max_pending_requests.map(NonZeroU32::get),
            max_concurrent_requests: cp.max_requests.map(NonZeroU32::get),
        };
        if limits != UpstreamLimits::default() {
            u.limits = Some(limits);
        }
        if let Some(t) = cp.connect_timeout {
            match u32::try_from(t.as_millis()) {
                Ok(ms) if ms > 0 && u128::from(ms) * 1_000_000 == u128::from(t.as_nanos()) => {
                    u.connect_timeout_ms = Some(ms)
                }
                _ => cx.unsupported(
                    Feature::ConnectionPool,
                    cpp.field("connectTimeout"),
                    "Consul's connectTimeoutMs is whole milliseconds; round the timeout",
                ),
            }
        }
        for (set, field) in [
            (
                cp.max_requests_per_connection.is_some(),
                "maxRequestsPerConnection",
            ),
            (cp.max_retries.is_some(), "maxRetries"),
            (cp.idle_timeout.is_some(), "idleTimeout"),
            (cp.h2_upgrade.is_some(), "h2Upgrade"),
        ] {
            if set {
                cx.unsupported(
                    Feature::ConnectionPool,
                    cpp.field(field),
                    "Consul upstream limits are maxConnections, maxPendingRequests and maxConcurrentRequests only; drop this field",
                );
            }
        }
    }
    if let Some(od) = &res.outlier_detection {
        any = true;
        let op = rp.field("outlierDetection");
        let r = od.resolved();
        if od.consecutive_gateway_errors.is_some() {
            cx.unsupported(
                Feature::OutlierDetection,
                op.field("consecutiveGatewayErrors"),
                "Consul's passiveHealthCheck counts consecutive 5xx only; use `consecutive5xx`",
            );
        }
        if od.min_health_percent.is_some() {
            cx.unsupported(
                Feature::OutlierDetection,
                op.field("minHealthPercent"),
                "Consul's passiveHealthCheck has no panic threshold; drop `minHealthPercent`",
            );
        }
        let max_ejection = r.max_ejection_percent.get();
        let max_ejection_percent = if max_ejection.fract() == 0.0 {
            // 0..=100, whole.
            Some(max_ejection as u32)
        } else {
            cx.unsupported(
                Feature::OutlierDetection,
                op.field("maxEjectionPercent"),
                "Consul's maxEjectionPercent is a whole number; round it",
            );
            None
        };
        u.passive_health_check = Some(PassiveHealthCheck {
            interval: Some(GoDuration::canonical(r.interval)),
            max_failures: r.consecutive_5xx,
            enforcing_consecutive_5xx: Some(100),
            max_ejection_percent,
            base_ejection_time: Some(GoDuration::canonical(r.base_ejection_time)),
        });
    }
    if !any {
        return None;
    }
    cx.l.note(
        Feature::ConnectionPool,
        rp,
        "Consul applies upstream limits and outlier detection on the caller: every service of the model the intentions let call this one carries them in its ServiceDefaults upstreamConfig.overrides (callers outside the model do not)",
    );
    Some(u)
}
