//! ServiceDefaults, ServiceResolver, ServiceRouter and ServiceSplitter →
//! services, versions, routes, resilience.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use mesh_model::lift::ObjectRef;
use mesh_model::{
    Action, BackendRef, ConnectionPool, Duration, FieldPath, Forward, HashKey, HeaderEdits,
    HeaderName, HttpPath, LoadBalancer, Method, MtlsMode, MtlsOverride, Name, OutlierDetection,
    PathMatch, PathRewrite, Percent, RateLimit, Regex, Resilience, RetryOn, RetryPolicy, Rewrite,
    Route, RouteMatch, Scope, Service, StringMatch, Unmatched, Version, Weight,
};

use super::{Lx, object_ref};
use crate::crds::{self, HeaderCondition, MutualTlsMode, QueryCondition};
use crate::lower::ConsulObject;

/// Upstream overrides callers carry, by upstream (namespace, name).
type Upstreams = BTreeMap<(String, String), Vec<(crds::UpstreamConfig, ObjectRef, FieldPath)>>;

/// Envoy's route timeout when Consul is told none.
const ENVOY_DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

fn key(r: &ObjectRef) -> (String, String) {
    (r.namespace.clone().unwrap_or_default(), r.name.clone())
}

fn new_service(name: &str, ns: &str) -> Option<Service> {
    Some(Service {
        name: Name::new(name).ok()?,
        namespace: Name::new(ns).ok()?,
        ports: Vec::new(),
        versions: Vec::new(),
        selector: Default::default(),
        service_account: None,
        routes: Vec::new(),
        unmatched: Unmatched::Service,
        resilience: Resilience::default(),
        export_to: Vec::new(),
    })
}

/// Services, their resolvers, routers and splitters.
pub(crate) fn services(lx: &mut Lx<'_>, objects: &[ConsulObject]) {
    let splitters: BTreeMap<(String, String), (&crds::ServiceSplitter, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            ConsulObject::ServiceSplitter(s) => Some((key(&object_ref(o)), (&**s, object_ref(o)))),
            _ => None,
        })
        .collect();
    let mut protocols: BTreeMap<(String, String), Option<crds::Protocol>> = BTreeMap::new();
    // The services: ServiceDefaults (not virtual, not destinations),
    // resolvers and routers.
    for o in objects {
        let real = object_ref(o);
        // (namespace, name) of the service the object implies.
        let implied = match o {
            ConsulObject::ServiceDefaults(s) if s.spec.destination.is_none() => Some(key(&real)),
            ConsulObject::ServiceResolver(_) | ConsulObject::ServiceRouter(_) => Some(key(&real)),
            // An intention's destination is a service of the catalog.
            ConsulObject::ServiceIntentions(si) => si.spec.destination.as_ref().and_then(|d| {
                let n = d.name.as_deref().filter(|n| *n != "*")?;
                let ns = d.namespace.clone().unwrap_or_else(|| key(&real).0);
                Some((ns, n.to_owned()))
            }),
            _ => None,
        };
        let Some((ns, name)) = implied else { continue };
        if splitters.contains_key(&(ns.clone(), name.clone()))
            || lx.services.contains_key(&(ns.clone(), name.clone()))
        {
            continue;
        }
        let Some(svc) = new_service(&name, &ns) else {
            lx.l.skip(
                &real,
                FieldPath::root(),
                format!("service {ns}/{name}: name or namespace not valid in the model"),
            );
            continue;
        };
        let i = lx.l.mesh.services.len();
        lx.l.origin(
            FieldPath::root().field("services").index(i),
            &real,
            FieldPath::root(),
        );
        lx.l.mesh.services.push(svc);
        lx.services.insert((ns, name), i);
    }
    // ServiceDefaults.
    let mut upstreams: Upstreams = BTreeMap::new();
    for o in objects {
        let ConsulObject::ServiceDefaults(sd) = o else {
            continue;
        };
        if sd.spec.destination.is_some() {
            continue;
        }
        let oref = object_ref(o);
        let k = key(&oref);
        lx.used.insert(oref.clone());
        let sp = FieldPath::root().field("spec");
        if splitters.contains_key(&k) {
            lx.leftovers(&oref, &sd.spec, &["protocol"]);
            continue;
        }
        protocols.insert(k.clone(), sd.spec.protocol);
        if let Some(p) = sd.spec.protocol {
            let p = serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            lx.l.skip(&oref, sp.field("protocol"), format!("protocol {p}: the model says a service's protocol on its ports, which Consul config entries do not list (lift the Kubernetes Service too, or declare the ports)"));
        }
        let mesh_mode = lx.l.mesh.security.mtls.mode;
        let mode = match sd.spec.mutual_tls_mode {
            Some(MutualTlsMode::Strict) => Some(MtlsMode::Strict),
            Some(MutualTlsMode::Permissive) => Some(MtlsMode::Permissive),
            _ => None,
        };
        if let Some(m) = mode.filter(|m| *m != mesh_mode)
            && let (Ok(name), Ok(ns)) = (Name::new(k.1.as_str()), Name::new(k.0.as_str()))
        {
            let at = FieldPath::root()
                .field("security")
                .field("mtls")
                .field("overrides")
                .index(lx.l.mesh.security.mtls.overrides.len());
            lx.l.origin(at, &oref, sp.field("mutualTLSMode"));
            lx.l.mesh.security.mtls.overrides.push(MtlsOverride {
                scope: Scope::Service(mesh_model::ServiceRef {
                    name,
                    namespace: ns,
                }),
                mode: Some(m),
                ports: BTreeMap::new(),
            });
        }
        if let Some(rl) = sd
            .spec
            .rate_limits
            .as_ref()
            .and_then(|r| r.instance_level.as_ref())
        {
            let rp = sp.field("rateLimits").field("instanceLevel");
            match rl.requests_per_second.and_then(NonZeroU32::new) {
                Some(rps) => {
                    let burst = rl
                        .requests_max_burst
                        .and_then(NonZeroU32::new)
                        .filter(|b| *b != rps);
                    if let Some(s) = lx.service_mut(&k.0, &k.1) {
                        s.resilience.rate_limit = Some(RateLimit {
                            requests: rps,
                            per: Duration::from_secs(1),
                            burst,
                            per_identity: None,
                            overrides: Vec::new(),
                        });
                    }
                }
                None => lx.l.skip(
                    &oref,
                    rp.field("requestsPerSecond"),
                    "no (or a zero) rate: not lifted",
                ),
            }
            for (j, _) in rl.routes.iter().enumerate() {
                lx.l.skip(
                    &oref,
                    rp.field("routes").index(j),
                    "per-path rate limits are not in the model",
                );
            }
        }
        if let Some(u) = &sd.spec.upstream_config {
            let up = sp.field("upstreamConfig");
            if u.defaults.is_some() {
                lx.l.skip(&oref, up.field("defaults"), "limits for every upstream of one caller are not in the model (it sets them per destination)");
            }
            for (j, ov) in u.overrides.iter().enumerate() {
                let Some(name) = &ov.name else { continue };
                // Consul CE names upstreams without a namespace: the
                // caller's, else the only service of that name.
                let ns = ov.namespace.clone().unwrap_or_else(|| {
                    if lx.services.contains_key(&(k.0.clone(), name.clone())) {
                        return k.0.clone();
                    }
                    let found: Vec<&String> = lx
                        .services
                        .keys()
                        .filter(|(_, n)| n == name)
                        .map(|(ns, _)| ns)
                        .collect();
                    match found.as_slice() {
                        [one] => (*one).clone(),
                        _ => k.0.clone(),
                    }
                });
                upstreams.entry((ns, name.clone())).or_default().push((
                    ov.clone(),
                    oref.clone(),
                    up.field("overrides").index(j),
                ));
            }
        }
        lx.leftovers(
            &oref,
            &sd.spec,
            &["protocol", "mutualTLSMode", "rateLimits", "upstreamConfig"],
        );
    }
    upstream_settings(lx, upstreams);
    resolvers(lx, objects, &protocols);
    routers(lx, objects, &splitters);
    for (_, (_, r)) in splitters {
        if !lx.used.contains(&r) {
            lx.used.insert(r.clone());
            lx.l.skip(&r, FieldPath::root(), "a splitter no router sends to: splitting a service's own traffic is not lifted (the model splits in routes)");
        }
    }
}

/// Connection limits and outlier detection of each upstream: what every
/// caller's override says, when they agree.
fn upstream_settings(lx: &mut Lx<'_>, upstreams: Upstreams) {
    for ((ns, name), list) in upstreams {
        let Some((first, _, _)) = list.first() else {
            continue;
        };
        let same = list.iter().all(|(u, _, _)| u == first);
        if !same || !lx.services.contains_key(&(ns.clone(), name.clone())) {
            for (_, r, p) in &list {
                lx.l.skip(r, p.clone(), if same { "the upstream is not among the lifted services" } else { "callers disagree on this upstream's limits: the model sets them per destination" });
            }
            continue;
        }
        let u = first.clone();
        let mut res = Resilience::default();
        if u.limits.is_some() || u.connect_timeout_ms.is_some() {
            let l = u.limits.clone().unwrap_or_default();
            res.connection_pool = Some(ConnectionPool {
                max_connections: l.max_connections.and_then(NonZeroU32::new),
                connect_timeout: u.connect_timeout_ms.map(Duration::from_millis),
                max_pending_requests: l.max_pending_requests.and_then(NonZeroU32::new),
                max_requests: l.max_concurrent_requests.and_then(NonZeroU32::new),
                ..ConnectionPool::default()
            });
        }
        if let Some(h) = &u.passive_health_check {
            res.outlier_detection = Some(OutlierDetection {
                consecutive_5xx: h.max_failures.and_then(NonZeroU32::new),
                consecutive_gateway_errors: None,
                interval: h.interval.as_ref().and_then(|d| d.value()),
                base_ejection_time: h.base_ejection_time.as_ref().and_then(|d| d.value()),
                max_ejection_percent: h
                    .max_ejection_percent
                    .and_then(|p| Percent::new(f64::from(p)).ok()),
                min_health_percent: None,
            });
        }
        if let Some(s) = lx.service_mut(&ns, &name) {
            s.resilience.connection_pool = res.connection_pool;
            s.resilience.outlier_detection = res.outlier_detection;
        }
        let read = [
            "name",
            "namespace",
            "limits",
            "connectTimeoutMs",
            "passiveHealthCheck",
        ];
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&u) {
            for k in m.keys().filter(|k| !read.contains(&k.as_str())) {
                for (_, r, p) in &list {
                    lx.l.skip(
                        r,
                        p.field(k),
                        "this upstream setting has no neutral meaning",
                    );
                }
            }
        }
        if u.passive_health_check
            .as_ref()
            .is_some_and(|h| h.enforcing_consecutive_5xx.is_some_and(|e| e != 100))
        {
            for (_, r, p) in &list {
                lx.l.skip(
                    r,
                    p.field("passiveHealthCheck")
                        .field("enforcingConsecutive5xx"),
                    "the model ejects every time the threshold is reached",
                );
            }
        }
    }
}

fn duration(d: &mesh_k8s::GoDuration) -> Option<Duration> {
    if d.is_negative() { None } else { d.value() }
}

/// Resolvers: versions, default subset, load balancer, timeout.
fn resolvers(
    lx: &mut Lx<'_>,
    objects: &[ConsulObject],
    protocols: &BTreeMap<(String, String), Option<crds::Protocol>>,
) {
    // Services without a resolver keep Envoy's implicit 15s on HTTP.
    for (k, p) in protocols {
        let l7 = matches!(
            p,
            Some(crds::Protocol::Http | crds::Protocol::Http2 | crds::Protocol::Grpc)
        );
        let has_resolver = objects
            .iter()
            .any(|o| matches!(o, ConsulObject::ServiceResolver(_)) && key(&object_ref(o)) == *k);
        if l7
            && !has_resolver
            && let Some(s) = lx.service_mut(&k.0, &k.1)
        {
            s.resilience.timeout = Some(ENVOY_DEFAULT_TIMEOUT);
        }
    }
    for o in objects {
        let ConsulObject::ServiceResolver(r) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let k = key(&oref);
        let sp = FieldPath::root().field("spec");
        let l7 = matches!(
            protocols.get(&k),
            Some(Some(
                crds::Protocol::Http | crds::Protocol::Http2 | crds::Protocol::Grpc
            ))
        );
        let mut versions = Vec::new();
        for (name, sub) in &r.spec.subsets {
            let at = sp.field("subsets").key(name);
            let value = sub
                .filter
                .as_deref()
                .and_then(|f| f.strip_prefix("Service.Meta.version == "))
                .map(str::trim);
            let (Some(value), Ok(vname)) = (value, Name::new(name.as_str())) else {
                lx.l.skip(&oref, at, "only subsets filtered on `Service.Meta.version == <version>` are versions in the model");
                continue;
            };
            let mut v = Version {
                name: vname,
                labels: Default::default(),
                resilience: None,
            };
            if value != name
                && let (Ok(k), Ok(val)) = (
                    mesh_model::LabelKey::new("version"),
                    mesh_model::LabelValue::new(value),
                )
            {
                v.labels.insert(k, val);
            }
            if sub.only_passing.is_some() {
                lx.l.skip(&oref, at.field("onlyPassing"), "not in the model");
            }
            versions.push(v);
        }
        let lb = r
            .spec
            .load_balancer
            .as_ref()
            .and_then(|lb| load_balancer(lx, &oref, &sp.field("loadBalancer"), lb));
        let timeout = match &r.spec.request_timeout {
            Some(d) => duration(d),
            None if l7 => Some(ENVOY_DEFAULT_TIMEOUT),
            None => None,
        };
        let default_subset = r
            .spec
            .default_subset
            .as_deref()
            .and_then(|d| Name::new(d).ok());
        let Some(s) = lx.service_mut(&k.0, &k.1) else {
            continue;
        };
        s.versions = versions;
        s.resilience.load_balancer = lb;
        s.resilience.timeout = timeout;
        if let Some(d) = default_subset {
            s.unmatched = Unmatched::Version(d);
        }
        lx.leftovers(
            &oref,
            &r.spec,
            &["subsets", "defaultSubset", "loadBalancer", "requestTimeout"],
        );
    }
}

fn load_balancer(
    lx: &mut Lx<'_>,
    oref: &ObjectRef,
    at: &FieldPath,
    lb: &crds::LoadBalancer,
) -> Option<LoadBalancer> {
    if lb.ring_hash_config.is_some() || lb.least_request_config.is_some() {
        lx.l.skip(
            oref,
            at.clone(),
            "ring sizes and choice counts are not in the model: lifted without them",
        );
    }
    use crds::LoadBalancerPolicy as P;
    match (lb.policy, lb.hash_policies.as_slice()) {
        (Some(P::RoundRobin), []) => Some(LoadBalancer::RoundRobin),
        (Some(P::LeastRequest), []) => Some(LoadBalancer::LeastRequest),
        (Some(P::Random), []) => Some(LoadBalancer::Random),
        (Some(P::RingHash | P::Maglev), [h]) => {
            let key = match &h.on {
                crds::HashOn::Header(n) => HashKey::Header(HeaderName::new(n.as_str()).ok()?),
                crds::HashOn::QueryParameter(q) => HashKey::QueryParam(q.clone()),
                crds::HashOn::SourceIp => HashKey::SourceIp,
                crds::HashOn::Cookie { name, config } => HashKey::Cookie {
                    name: name.clone(),
                    ttl: config
                        .as_ref()
                        .and_then(|c| c.ttl.as_ref())
                        .and_then(|d| d.value()),
                    path: config
                        .as_ref()
                        .and_then(|c| c.path.as_deref())
                        .and_then(|p| HttpPath::new(p).ok()),
                },
            };
            if h.terminal.is_some() {
                lx.l.skip(
                    oref,
                    at.field("hashPolicies").index(0).field("terminal"),
                    "not in the model",
                );
            }
            Some(LoadBalancer::ConsistentHash(key))
        }
        _ => {
            lx.l.skip(oref, at.clone(), "this load-balancer setting has no neutral meaning (several hash policies, or hash policies without a hashing policy)");
            None
        }
    }
}

fn retry_on(r: crds::RetryOn) -> Option<RetryOn> {
    use crds::RetryOn as C;
    Some(match r {
        C::FiveXx => RetryOn::Status5xx,
        C::GatewayError => RetryOn::GatewayError,
        C::Reset => RetryOn::Reset,
        C::ConnectFailure => RetryOn::ConnectFailure,
        C::RefusedStream => RetryOn::RefusedStream,
        C::Retriable4xx => RetryOn::Retriable4xx,
        C::Cancelled => RetryOn::Cancelled,
        C::DeadlineExceeded => RetryOn::DeadlineExceeded,
        C::Internal => RetryOn::Internal,
        C::ResourceExhausted => RetryOn::ResourceExhausted,
        C::Unavailable => RetryOn::Unavailable,
        _ => return None,
    })
}

/// Retry conditions in one order (by name), so that spellings compare.
pub(crate) fn sort_conditions(on: &mut Vec<RetryOn>) {
    on.sort_by_key(|c| c.name());
    on.dedup();
}

/// A path as Consul matches it, before exact + prefix pairs are merged.
#[derive(Debug, Clone, PartialEq)]
enum RawPath {
    Exact(HttpPath),
    /// A string prefix.
    Prefix(String),
    Regex(Regex),
}

/// One Consul route's match, lifted.
#[derive(Debug, Clone, PartialEq)]
struct RawMatch {
    path: Option<RawPath>,
    method: Option<Method>,
    headers: BTreeMap<HeaderName, StringMatch>,
    query: BTreeMap<String, StringMatch>,
}

fn method(m: crds::HttpMethod) -> Option<Method> {
    serde_json::to_value(m)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
}

fn raw_matches(h: &crds::RouteHttpMatch) -> Result<Vec<RawMatch>, String> {
    if h.case_insensitive == Some(true) {
        return Err("case-insensitive path matching is not in the model".into());
    }
    let path = match &h.path {
        None => None,
        Some(crds::PathMatch::Exact(p)) => {
            Some(RawPath::Exact(HttpPath::new(p).map_err(|e| e.to_string())?))
        }
        Some(crds::PathMatch::Prefix(p)) => Some(RawPath::Prefix(p.clone())),
        Some(crds::PathMatch::Regex(r)) => Some(RawPath::Regex(
            r.parse()
                .map_err(|e: mesh_model::ValueError| e.to_string())?,
        )),
    };
    let mut headers = BTreeMap::new();
    for hm in &h.header {
        if hm.invert == Some(true) {
            return Err("inverted header matches are not in the model".into());
        }
        let m = match &hm.condition {
            HeaderCondition::Exact(v) => StringMatch::Exact(v.clone()),
            HeaderCondition::Prefix(v) => StringMatch::Prefix(v.clone()),
            HeaderCondition::Regex(r) => StringMatch::Regex(
                r.parse()
                    .map_err(|e: mesh_model::ValueError| e.to_string())?,
            ),
            _ => {
                return Err(
                    "present, suffix and contains header matches are not in the model".into(),
                );
            }
        };
        headers.insert(
            HeaderName::new(hm.name.as_str()).map_err(|e| e.to_string())?,
            m,
        );
    }
    let mut query = BTreeMap::new();
    for q in &h.query_param {
        let m = match &q.condition {
            QueryCondition::Exact(v) => StringMatch::Exact(v.clone()),
            QueryCondition::Regex(r) => StringMatch::Regex(
                r.parse()
                    .map_err(|e: mesh_model::ValueError| e.to_string())?,
            ),
            QueryCondition::Present => {
                return Err("query parameter presence is not in the model".into());
            }
        };
        query.insert(q.name.clone(), m);
    }
    let methods: Vec<Option<Method>> = if h.methods.is_empty() {
        vec![None]
    } else {
        h.methods
            .iter()
            .map(|m| {
                method(*m)
                    .ok_or_else(|| "unknown method".to_owned())
                    .map(Some)
            })
            .collect::<Result<_, _>>()?
    };
    Ok(methods
        .into_iter()
        .map(|method| RawMatch {
            path: path.clone(),
            method,
            headers: headers.clone(),
            query: query.clone(),
        })
        .collect())
}

/// Model matches: `pathExact P` followed by `pathPrefix P/` (otherwise
/// equal) is the segment prefix `P`; other string prefixes are regexes.
fn merge_paths(raw: Vec<RawMatch>) -> Vec<RouteMatch> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let m = &raw[i];
        let base = |path| RouteMatch {
            path,
            method: m.method,
            headers: m.headers.clone(),
            query: m.query.clone(),
        };
        if let (Some(RawPath::Exact(e)), Some(next)) = (&m.path, raw.get(i + 1))
            && next.path == Some(RawPath::Prefix(format!("{}/", e.as_str())))
            && next.method == m.method
            && next.headers == m.headers
            && next.query == m.query
        {
            out.push(base(Some(PathMatch::Prefix(e.clone()))));
            i += 2;
            continue;
        }
        let path = match &m.path {
            None => None,
            Some(RawPath::Exact(e)) => Some(PathMatch::Exact(e.clone())),
            Some(RawPath::Regex(r)) => Some(PathMatch::Regex(r.clone())),
            Some(RawPath::Prefix(p)) if p == "/" => HttpPath::new("/").ok().map(PathMatch::Prefix),
            Some(RawPath::Prefix(p)) => Regex::new(format!("{}.*", Regex::literal(p).as_str()))
                .ok()
                .map(PathMatch::Regex),
        };
        out.push(base(path));
        i += 1;
    }
    out
}

fn edits(h: &crds::HeaderModifiers) -> Result<HeaderEdits, String> {
    let n = |s: &str| HeaderName::new(s).map_err(|e| e.to_string());
    let mut e = HeaderEdits::default();
    for (k, v) in &h.add {
        e.add.insert(n(k)?, v.clone());
    }
    for (k, v) in &h.set {
        e.set.insert(n(k)?, v.clone());
    }
    for k in &h.remove {
        e.remove.push(n(k)?);
    }
    Ok(e)
}

fn reduce(weights: &mut [u32]) {
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let g = weights.iter().fold(0, |g, w| gcd(g, *w));
    if g > 1 {
        for w in weights.iter_mut() {
            *w /= g;
        }
    }
}

/// Routers → routes.
fn routers(
    lx: &mut Lx<'_>,
    objects: &[ConsulObject],
    splitters: &BTreeMap<(String, String), (&crds::ServiceSplitter, ObjectRef)>,
) {
    for o in objects {
        let ConsulObject::ServiceRouter(r) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let (ns, own) = key(&oref);
        let Some(&si) = lx.services.get(&(ns.clone(), own.clone())) else {
            continue;
        };
        let svc_res = lx.l.mesh.services[si].resilience.clone();
        let default_subset = match &lx.l.mesh.services[si].unmatched {
            Unmatched::Version(v) => Some(v.to_string()),
            _ => None,
        };
        // (route, origin path, destination key for merging).
        let mut lifted: Vec<(Route, FieldPath, String)> = Vec::new();
        let mut raws: Vec<Vec<RawMatch>> = Vec::new();
        for (k, cr) in r.spec.routes.iter().enumerate() {
            let rp = FieldPath::root().field("spec").field("routes").index(k);
            let raw = match cr.match_.as_ref().and_then(|m| m.http.as_ref()) {
                None => vec![RawMatch {
                    path: None,
                    method: None,
                    headers: BTreeMap::new(),
                    query: BTreeMap::new(),
                }],
                Some(h) => match raw_matches(h) {
                    Ok(m) => m,
                    Err(e) => {
                        lx.l.skip(
                            &oref,
                            rp.field("match"),
                            format!("the route is not lifted: {e}"),
                        );
                        continue;
                    }
                },
            };
            // No destination: the service itself.
            let d = &cr.destination.clone().unwrap_or_default();
            let dp = rp.field("destination");
            let mut route = Route {
                name: None,
                matches: Vec::new(),
                action: Action::Forward(Forward::default()),
                request_headers: HeaderEdits::default(),
                response_headers: HeaderEdits::default(),
            };
            let mut f = Forward::default();
            let target = d.service.clone().unwrap_or_else(|| own.clone());
            let tns = d.namespace.clone().unwrap_or_else(|| ns.clone());
            if let Some((sp, sref)) = splitters.get(&(tns.clone(), target.clone())) {
                lx.used.insert(sref.clone());
                let mut hundredths: Vec<u32> = sp
                    .spec
                    .splits
                    .iter()
                    .map(|s| (s.weight * 100.0).round() as u32)
                    .collect();
                reduce(&mut hundredths);
                for (j, (s, w)) in sp.spec.splits.iter().zip(hundredths).enumerate() {
                    let bp = FieldPath::root().field("spec").field("splits").index(j);
                    if s.request_headers.is_some()
                        || s.response_headers.is_some()
                        || s.partition.is_some()
                    {
                        lx.l.skip(
                            sref,
                            bp.clone(),
                            "per-split header edits and partitions are not in the model",
                        );
                    }
                    let sname = s.service.clone().unwrap_or_else(|| target.clone());
                    let sns = s.namespace.clone().unwrap_or_else(|| tns.clone());
                    match backend(&sname, &sns, s.service_subset.as_deref(), &own, &ns, w) {
                        Some(b) => f.backends.push(b),
                        None => lx.l.skip(sref, bp, "not a valid backend in the model"),
                    }
                }
                if let Some(n) = target
                    .strip_prefix(&format!("{own}-"))
                    .filter(|n| !(n.starts_with("route-") && n[6..].parse::<usize>().is_ok()))
                {
                    route.name = Name::new(n).ok();
                }
            } else {
                match backend(&target, &tns, d.service_subset.as_deref(), &own, &ns, 1) {
                    Some(b) => f.backends.push(b),
                    None => {
                        lx.l.skip(&oref, dp.clone(), "not a valid backend in the model");
                        continue;
                    }
                }
            }
            // Timeout (the resolver's, i.e. the service's, is inherited) and
            // retries.
            let timeout = d.request_timeout.as_ref().and_then(duration);
            if d.request_timeout.is_some() && timeout != svc_res.timeout {
                f.timeout = timeout;
            }
            if d.num_retries.is_some()
                || d.retry_on_connect_failure.is_some()
                || !d.retry_on.is_empty()
                || !d.retry_on_status_codes.is_empty()
            {
                let mut on = Vec::new();
                if d.retry_on_connect_failure == Some(true) {
                    on.push(RetryOn::ConnectFailure);
                }
                for c in &d.retry_on {
                    match retry_on(*c) {
                        Some(x) => on.push(x),
                        None => lx.l.skip(
                            &oref,
                            dp.field("retryOn"),
                            "this retry condition is not in the model",
                        ),
                    }
                }
                for s in &d.retry_on_status_codes {
                    if let Ok(s) = mesh_model::HttpStatus::new(u32::from(*s)) {
                        on.push(RetryOn::Status(s));
                    }
                }
                sort_conditions(&mut on);
                let policy = RetryPolicy {
                    attempts: d.num_retries.unwrap_or(1),
                    per_try_timeout: None,
                    on,
                    backoff: None,
                    remote_localities: false,
                };
                // Consul has no service-level retries: they stay on the route.
                f.retries = Some(policy);
            }
            for (field, set) in [
                ("idleTimeout", d.idle_timeout.is_some()),
                ("partition", d.partition.is_some()),
            ] {
                if set {
                    lx.l.skip(&oref, dp.field(field), "not in the model");
                }
            }
            if let Some(h) = &d.request_headers {
                match edits(h) {
                    Ok(e) => route.request_headers = e,
                    Err(e) => lx.l.skip(&oref, dp.field("requestHeaders"), e),
                }
            }
            if let Some(h) = &d.response_headers {
                match edits(h) {
                    Ok(e) => route.response_headers = e,
                    Err(e) => lx.l.skip(&oref, dp.field("responseHeaders"), e),
                }
            }
            if let Some(pr) = &d.prefix_rewrite {
                match HttpPath::new(pr.as_str()) {
                    Ok(p) => {
                        let exact = raw
                            .iter()
                            .all(|m| matches!(m.path, Some(RawPath::Exact(_))));
                        f.rewrite = Some(Rewrite {
                            path: Some(if exact {
                                PathRewrite::Full(p)
                            } else {
                                PathRewrite::Prefix(p)
                            }),
                            host: None,
                        });
                    }
                    Err(e) => lx.l.skip(&oref, dp.field("prefixRewrite"), e.to_string()),
                }
            }
            route.action = Action::Forward(f);
            let merge_key = format!(
                "{:?}",
                (
                    &route.name,
                    &route.action,
                    &route.request_headers,
                    &route.response_headers
                )
            );
            lifted.push((route, rp, merge_key));
            raws.push(raw);
        }
        // Consecutive Consul routes with one destination are one model
        // route.
        let mut routes: Vec<(Route, FieldPath)> = Vec::new();
        let mut last_key: Option<String> = None;
        let mut pending: Vec<RawMatch> = Vec::new();
        let mut catch_all = false;
        let flush =
            |routes: &mut Vec<(Route, FieldPath)>, pending: &mut Vec<RawMatch>, catch_all: bool| {
                if let Some((r, _)) = routes.last_mut() {
                    r.matches = if catch_all {
                        Vec::new()
                    } else {
                        merge_paths(std::mem::take(pending))
                    };
                }
                pending.clear();
            };
        let mut reached_all = false;
        for ((route, rp, k), raw) in lifted.into_iter().zip(raws) {
            if reached_all {
                lx.l.skip(
                    &oref,
                    rp,
                    "never reached: an earlier route matches every request (first match wins)",
                );
                continue;
            }
            let is_all = raw.iter().any(|m| {
                m.path.is_none() && m.method.is_none() && m.headers.is_empty() && m.query.is_empty()
            });
            if last_key.as_ref() == Some(&k) && !catch_all {
                pending.extend(raw);
                catch_all |= is_all;
                reached_all |= is_all;
                continue;
            }
            flush(&mut routes, &mut pending, catch_all);
            routes.push((route, rp));
            pending = raw;
            catch_all = is_all;
            reached_all |= is_all;
            last_key = Some(k);
        }
        flush(&mut routes, &mut pending, catch_all);
        // The explicit last catch-all carrying the service's settings.
        if let Some((last, _)) = routes.last()
            && last.is_catch_all()
            && last.request_headers.is_empty()
            && last.response_headers.is_empty()
            && last.name.is_none()
            && matches!(&last.action, Action::Forward(f) if f.timeout.is_none() && f.retries.is_none() && f.rewrite.is_none()
                && matches!(f.backends.as_slice(), [b] if b.service.is_none() && b.namespace.is_none()
                    && b.version.as_ref().map(ToString::to_string) == default_subset))
        {
            routes.pop();
        }
        // Backends to the service itself without a subset reach the
        // default subset; after a catch-all, unmatched means nothing.
        if let Some(v) = &default_subset {
            for (route, _) in &mut routes {
                if let Action::Forward(f) = &mut route.action {
                    for b in &mut f.backends {
                        if b.service.is_none() && b.namespace.is_none() && b.version.is_none() {
                            b.version = Name::new(v.as_str()).ok();
                        }
                    }
                }
            }
        }
        if routes.last().is_some_and(|(r, _)| r.is_catch_all()) {
            lx.l.mesh.services[si].unmatched = Unmatched::Service;
        }
        let base = FieldPath::root().field("services").index(si);
        for (j, (route, rp)) in routes.into_iter().enumerate() {
            lx.l.origin(base.field("routes").index(j), &oref, rp);
            lx.l.mesh.services[si].routes.push(route);
        }
        lx.leftovers(&oref, &r.spec, &["routes"]);
    }
    // Consul sends every request to the default subset when no route
    // says otherwise: a service without routes says so with one route.
    for s in &mut lx.l.mesh.services {
        if s.routes.is_empty()
            && let Unmatched::Version(v) = &s.unmatched
        {
            s.routes.push(Route {
                name: None,
                matches: Vec::new(),
                action: Action::Forward(Forward {
                    backends: vec![BackendRef {
                        version: Some(v.clone()),
                        ..BackendRef::default()
                    }],
                    ..Forward::default()
                }),
                request_headers: HeaderEdits::default(),
                response_headers: HeaderEdits::default(),
            });
            s.unmatched = Unmatched::Service;
        }
    }
}

fn backend(
    service: &str,
    ns: &str,
    subset: Option<&str>,
    own: &str,
    own_ns: &str,
    weight: u32,
) -> Option<BackendRef> {
    Some(BackendRef {
        service: (service != own || ns != own_ns)
            .then(|| Name::new(service))
            .transpose()
            .ok()?,
        namespace: (ns != own_ns).then(|| Name::new(ns)).transpose().ok()?,
        version: subset.map(Name::new).transpose().ok()?,
        port: None,
        weight: Weight::new(weight).ok()?,
    })
}
