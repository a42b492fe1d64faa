//! The analyzer proper: one pass to index the model, one pass over it in
//! document order running each check where its subject is.

use std::collections::{BTreeMap, BTreeSet};

use super::matching::{self, Overlap};
use super::{Code, Diagnostic, Severity};
use crate::{
    Action, AuthzAction, AuthzRule, Condition, DefaultAction, FieldPath, Forward, Labels,
    ListenerProtocol, Mesh, MtlsMode, Name, Port, Protocol, RateLimit, Resilience, RetryOn,
    RetryPolicy, Route, RouteMatch, Scope, Service, Source, Unmatched,
};

type Key<'a> = (&'a str, &'a str);

/// What the whole model says about one service.
#[derive(Default)]
struct Reach<'a> {
    /// Versions some backend or mirror names.
    versions: BTreeSet<&'a str>,
    /// Some backend or mirror sends to all its pods.
    all_pods: bool,
}

/// Built once, before the checks.
struct Index<'a> {
    services: BTreeMap<Key<'a>, &'a Service>,
    reach: BTreeMap<Key<'a>, Reach<'a>>,
    /// Namespace → the services in it.
    by_namespace: BTreeMap<&'a str, Vec<&'a Service>>,
    /// Namespace → non-HTTP port → the first service with it there.
    tcp_ports: BTreeMap<&'a str, BTreeMap<Port, &'a Service>>,
    /// Non-HTTP port → the first service with it, mesh-wide.
    tcp_ports_mesh: BTreeMap<Port, &'a Service>,
    /// Some ALLOW rule has a claim condition (which only a request with a
    /// token can meet; the claim's issuer is not known, so any provider
    /// counts as required then).
    claim_required: bool,
    /// Issuers some ALLOW rule requires a principal of.
    issuers_required: BTreeSet<&'a str>,
}

fn index(mesh: &Mesh) -> Index<'_> {
    let mut idx = Index {
        services: BTreeMap::new(),
        reach: BTreeMap::new(),
        by_namespace: BTreeMap::new(),
        tcp_ports: BTreeMap::new(),
        tcp_ports_mesh: BTreeMap::new(),
        claim_required: false,
        issuers_required: BTreeSet::new(),
    };
    for s in &mesh.services {
        idx.services
            .entry((s.namespace.as_str(), s.name.as_str()))
            .or_insert(s);
        idx.by_namespace
            .entry(s.namespace.as_str())
            .or_default()
            .push(s);
        for p in s.ports.iter().filter(|p| !p.protocol.is_l7()) {
            idx.tcp_ports
                .entry(s.namespace.as_str())
                .or_default()
                .entry(p.number)
                .or_insert(s);
            idx.tcp_ports_mesh.entry(p.number).or_insert(s);
        }
    }
    for s in &mesh.services {
        for r in &s.routes {
            reach_of(&mut idx.reach, r, &s.namespace, Some(&s.name));
        }
    }
    for g in &mesh.ingress {
        for r in &g.routes {
            reach_of(&mut idx.reach, r, &g.namespace, None);
        }
    }
    for p in &mesh.security.authorization {
        if p.action != AuthzAction::Allow {
            continue;
        }
        for r in &p.rules {
            for s in &r.from {
                if let Source::JwtPrincipal { issuer, .. } = s {
                    idx.issuers_required.insert(issuer.as_str());
                }
            }
            if r.when
                .iter()
                .any(|c| matches!(c, Condition::JwtClaim { .. }))
            {
                idx.claim_required = true;
            }
        }
    }
    idx
}

fn reach_of<'a>(
    reach: &mut BTreeMap<Key<'a>, Reach<'a>>,
    r: &'a Route,
    ns: &'a Name,
    owner: Option<&'a Name>,
) {
    let Some(f) = r.forward() else { return };
    let refs = f
        .backends
        .iter()
        .map(|b| (&b.service, &b.namespace, &b.version))
        .chain(
            f.mirrors
                .iter()
                .map(|m| (&m.service, &m.namespace, &m.version)),
        );
    for (svc, bns, version) in refs {
        let Some(name) = svc.as_ref().or(owner) else {
            continue;
        };
        let key = (bns.as_ref().unwrap_or(ns).as_str(), name.as_str());
        let e = reach.entry(key).or_default();
        match version {
            Some(v) => {
                e.versions.insert(v.as_str());
            }
            None => e.all_pods = true,
        }
    }
}

/// Runs every check.
pub(super) fn run(mesh: &Mesh) -> Vec<Diagnostic> {
    let idx = index(mesh);
    let mut out = Vec::new();
    let root = FieldPath::root();

    namespaces(mesh, &idx, &mut out);
    let services = root.field("services");
    for (i, s) in mesh.services.iter().enumerate() {
        service(s, &idx, &services.index(i), &mut out);
    }
    security(mesh, &idx, &root.field("security"), &mut out);
    let ingress = root.field("ingress");
    for (i, g) in mesh.ingress.iter().enumerate() {
        let at = ingress.index(i);
        routes(&g.routes, &idx, &g.namespace, None, &at, &mut out);
        if g.routes.is_empty() {
            for (k, l) in g.listeners.iter().enumerate() {
                if l.https_redirect {
                    continue;
                }
                let kind = match l.protocol {
                    ListenerProtocol::Http => "http",
                    ListenerProtocol::Https => "https",
                    ListenerProtocol::Tls => "tls passthrough",
                };
                out.push(
                    Diagnostic::model(
                        Code::IngressWithoutRoute,
                        at.field("listeners").index(k),
                        format!(
                            "ingress {}/{} listens on port {} ({kind}) for {} but has no route, so nothing it accepts reaches a service",
                            g.namespace,
                            g.name,
                            l.port,
                            hosts(&g.hosts)
                        ),
                    )
                    .with_hint("add a route whose backend names the service these hosts belong to, or remove the listener"),
                );
            }
        }
    }
    observability(mesh, &root.field("observability"), &mut out);
    out
}

fn hosts(h: &[crate::Hostname]) -> String {
    h.iter().map(|h| h.as_str()).collect::<Vec<_>>().join(", ")
}

// === namespaces ===

fn namespaces(mesh: &Mesh, idx: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let at = FieldPath::root().field("namespaces");
    for (i, n) in mesh.namespaces.iter().enumerate() {
        if n.inject {
            continue;
        }
        let Some(svcs) = idx.by_namespace.get(n.name.as_str()) else {
            continue;
        };
        let names: Vec<&str> = svcs.iter().map(|s| s.name.as_str()).collect();
        out.push(
            Diagnostic::model(
                Code::NamespaceNotInjected,
                at.index(i).field("inject"),
                format!(
                    "namespace {} has `inject: false` but holds services of the mesh ({}): their pods get no proxy, so routes, mTLS and authorization do not apply to them",
                    n.name,
                    names.join(", ")
                ),
            )
            .with_hint("remove `inject: false` (and restart the pods), or move these services out of the model"),
        );
    }
}

// === services ===

fn service(s: &Service, idx: &Index<'_>, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    // Ports.
    for (k, p) in s.ports.iter().enumerate() {
        if let Some(name) = &p.name {
            port_name(s, name, p.protocol, &at.field("ports").index(k), out);
        }
    }

    // Versions.
    let selector = s.pod_selector();
    let mut seen: BTreeMap<Labels, &Name> = BTreeMap::new();
    let key = (s.namespace.as_str(), s.name.as_str());
    let reach = idx.reach.get(&key);
    let catch_all = s.routes.iter().any(Route::is_catch_all);
    let unmatched_all = !catch_all && s.unmatched == Unmatched::Service;
    let reach_all = unmatched_all || reach.is_some_and(|r| r.all_pods);
    for (k, v) in s.versions.iter().enumerate() {
        let vat = at.field("versions").index(k);
        let labels = v.pod_labels();
        for (lk, lv) in &labels {
            if let Some(sv) = selector.get(lk)
                && sv != lv
            {
                out.push(
                    Diagnostic::model(
                        Code::VersionSelectsNoPods,
                        vat.field("labels"),
                        format!(
                            "version {} of {} asks for {lk}={lv} but the service selects {lk}={sv}: no pod has both, so traffic to this version fails",
                            v.name,
                            s.reference()
                        ),
                    )
                    .with_hint(format!("use another label key for the version, or drop {lk} from its labels")),
                );
                break;
            }
        }
        if let Some(first) = seen.get(&labels) {
            out.push(
                Diagnostic::model(
                    Code::VersionsOverlap,
                    vat.field("labels"),
                    format!(
                        "versions {first} and {} of {} select the same pods, so traffic split between them is not split",
                        v.name,
                        s.reference()
                    ),
                )
                .with_hint("give each version a label its pods alone carry (`version: <name>` by default)"),
            );
        } else {
            seen.insert(labels, &v.name);
        }
        let unmatched_here = !catch_all && s.unmatched == Unmatched::Version(v.name.clone());
        let named = reach.is_some_and(|r| r.versions.contains(v.name.as_str()));
        if !reach_all && !unmatched_here && !named {
            out.push(
                Diagnostic::model(
                    Code::VersionUnreachable,
                    vat.clone(),
                    format!(
                        "no route sends traffic to version {} of {}: every route names other versions{}",
                        v.name,
                        s.reference(),
                        if catch_all { " and a catch-all route leaves no request unmatched" } else { "" }
                    ),
                )
                .with_hint("add the version to a route's backends (weight it for a canary), or remove it"),
            );
        }
        if let Some(r) = &v.resilience {
            let merged = s.resilience.merged(r);
            let rat = vat.field("resilience");
            if (r.retries.is_some() || r.timeout.is_some())
                && let Some(p) = &merged.retries
            {
                let field = if r.retries.is_some() {
                    "retries"
                } else {
                    "timeout"
                };
                retry_timeout(p, merged.timeout, &rat.field(field), out);
            }
            if let Some(p) = &r.retries {
                retry_idempotency(p, None, &rat.field("retries"), out);
            }
            if let Some(rl) = &r.rate_limit {
                rate_limit(rl, &rat.field("rateLimit"), out);
            }
        }
    }

    // Routes.
    routes(&s.routes, idx, &s.namespace, Some(s), at, out);

    // Service-wide resilience.
    service_resilience(s, &s.resilience, &at.field("resilience"), catch_all, out);
}

fn service_resilience(
    s: &Service,
    r: &Resilience,
    at: &FieldPath,
    catch_all: bool,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(p) = &r.retries {
        retry_timeout(p, r.timeout, &at.field("retries"), out);
        // The service's retries apply to routes without their own, and to
        // requests no route matches.
        let mut methods = None;
        let inheritors = s
            .routes
            .iter()
            .filter(|rt| rt.forward().is_some_and(|f| f.retries.is_none()));
        let mut any_method = !catch_all && s.unmatched != Unmatched::NotFound;
        for rt in inheritors {
            match unsafe_methods(&rt.matches) {
                Carries::Any => any_method = true,
                Carries::Only(m) => methods = Some(m),
                Carries::Idempotent => {}
            }
        }
        let carries = if any_method {
            Some(Carries::Any)
        } else {
            methods.map(Carries::Only)
        };
        if let Some(c) = carries {
            retry_idempotency(p, Some(c), &at.field("retries"), out);
        }
    }
    if let Some(rl) = &r.rate_limit {
        rate_limit(rl, &at.field("rateLimit"), out);
    }
}

const ISTIO_PROTOCOLS: [&str; 14] = [
    "http",
    "http2",
    "https",
    "grpc",
    "grpc-web",
    "tcp",
    "tls",
    "mongo",
    "mysql",
    "redis",
    "udp",
    "thrift",
    "dubbo",
    "zookeeper",
];

fn port_name(
    s: &Service,
    name: &Name,
    protocol: Protocol,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let n = name.as_str();
    let proto = protocol.as_str();
    let ok = n == proto
        || n.strip_prefix(proto).is_some_and(|r| r.starts_with('-'))
        || (protocol == Protocol::Grpc && n.starts_with("grpc-web"));
    if ok {
        return;
    }
    let prefix = n.split('-').next().unwrap_or(n);
    let read = if ISTIO_PROTOCOLS.contains(&prefix) {
        format!("Istio reads it as {prefix}, but the port is declared {proto}")
    } else {
        "Istio cannot tell the protocol from it and falls back to protocol sniffing (TCP for server-first protocols)".to_owned()
    };
    out.push(
        Diagnostic::model(
            Code::PortNameConvention,
            at.field("name"),
            format!(
                "port {} of {} is named {n:?}, which does not follow Istio's `<protocol>[-<suffix>]` convention: {read}",
                s.ports.iter().find(|p| p.name.as_ref() == Some(name)).map(|p| p.number.to_string()).unwrap_or_default(),
                s.reference()
            ),
        )
        .with_hint(format!("name it {proto:?} or \"{proto}-{n}\" (or leave the name out: the model then names it by protocol)")),
    );
}

// === routes ===

fn route_label(i: usize, r: &Route) -> String {
    match &r.name {
        Some(n) => format!("route {i} ({n})"),
        None => format!("route {i}"),
    }
}

fn same_outcome(a: &Route, b: &Route) -> bool {
    a.action == b.action
        && a.request_headers == b.request_headers
        && a.response_headers == b.response_headers
}

fn routes(
    list: &[Route],
    idx: &Index<'_>,
    ns: &Name,
    owner: Option<&Service>,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let rat = at.field("routes");
    for (j, r) in list.iter().enumerate() {
        let jat = rat.index(j);
        precedence(list, j, &jat, out);
        if let Some(f) = r.forward() {
            forward(f, r, idx, ns, owner, &jat.field("forward"), out);
        }
    }
}

/// Shadowing, ineffective matches and the Gateway API precedence trap for
/// route `j` against the routes before it.
fn precedence(list: &[Route], j: usize, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    let r = &list[j];
    let mine = matching::alternatives(&r.matches);
    // For each of my matches, the first earlier route covering it.
    let covered: Vec<Option<usize>> = mine
        .iter()
        .map(|m| {
            list[..j].iter().position(|e| {
                matching::alternatives(&e.matches)
                    .iter()
                    .any(|em| matching::covers(em, m))
            })
        })
        .collect();
    if covered.iter().all(Option::is_some) {
        let firsts: BTreeSet<usize> = covered.iter().flatten().copied().collect();
        let by = firsts
            .iter()
            .map(|&i| route_label(i, &list[i]))
            .collect::<Vec<_>>()
            .join(", ");
        let what = if r.matches.is_empty() {
            "matches every request, but".to_owned()
        } else {
            "never matches:".to_owned()
        };
        let split = match &r.action {
            Action::Forward(f) if f.backends.len() > 1 => " (its traffic split never happens)",
            _ => "",
        };
        out.push(
            Diagnostic::model(
                Code::RouteShadowed,
                at.clone(),
                format!(
                    "{} {what} {by} before it already match{} every request it would{split}; routes are first-match",
                    route_label(j, r),
                    if firsts.len() == 1 { "es" } else { "" }
                ),
            )
            .with_hint("move it before the route that shadows it, or narrow the earlier route's match"),
        );
        return;
    }
    for (k, c) in covered.iter().enumerate() {
        if let (Some(i), false) = (c, r.matches.is_empty()) {
            out.push(
                Diagnostic::model(
                    Code::MatchIneffective,
                    at.field("match").index(k),
                    format!(
                        "match {k} of {} never fires: {} before it matches every such request",
                        route_label(j, r),
                        route_label(*i, &list[*i])
                    ),
                )
                .with_hint("remove this match, or move the route up"),
            );
        }
    }
    // The precedence trap: an earlier, less specific match overlapping one
    // of mine, with another outcome.
    for (k, m) in mine.iter().enumerate() {
        if covered[k].is_some() {
            continue;
        }
        let Some(spec) = matching::specificity(m) else {
            continue;
        };
        for (i, e) in list[..j].iter().enumerate() {
            if same_outcome(e, r) {
                continue;
            }
            let hit = matching::alternatives(&e.matches).iter().any(|em| {
                matching::overlap(em, m) == Overlap::Yes
                    && matching::specificity(em).is_some_and(|s| s < spec)
            });
            if hit {
                out.push(
                    Diagnostic::model(
                        Code::PrecedenceTrap,
                        at.clone(),
                        format!(
                            "{} is more specific than {} before it, and some requests match both: first-match meshes (Istio, Consul) send them to {}, Gateway API meshes (Linkerd, Istio's GAMMA flavor) to {}; Linkerd/GAMMA output will differ unless the backend rewrites the routes",
                            route_label(j, r),
                            route_label(i, e),
                            route_label(i, e),
                            route_label(j, r)
                        ),
                    )
                    .with_hint("put the more specific route first (most specific first reads the same in every mesh)"),
                );
                return;
            }
        }
    }
}

fn forward(
    f: &Forward,
    r: &Route,
    idx: &Index<'_>,
    ns: &Name,
    owner: Option<&Service>,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let bat = at.field("backends");
    let total = f.total_weight();
    if f.backends.len() > 1 {
        let all_small = f.backends.iter().all(|b| b.weight.get() <= 100);
        if all_small && total != 100 && (50..=150).contains(&total) {
            let shares: Vec<String> = f
                .backends
                .iter()
                .map(|b| {
                    #[allow(clippy::cast_precision_loss)]
                    let pct = f64::from(b.weight.get()) * 100.0 / total as f64;
                    format!("{} {:.4}%", backend_label(b), pct).replace(".0000%", "%")
                })
                .collect();
            out.push(
                Diagnostic::model(
                    Code::WeightsNotPercent,
                    bat.clone(),
                    format!(
                        "the weights add up to {total}, not 100; weights are relative, so the split is {}",
                        shares.join(", ")
                    ),
                )
                .with_hint("if percentages were meant, make them add up to 100"),
            );
        }
        for (k, b) in f.backends.iter().enumerate() {
            if b.weight.get() == 0 {
                out.push(
                    Diagnostic::model(
                        Code::ZeroWeightBackend,
                        bat.index(k).field("weight"),
                        format!(
                            "backend {} has weight 0 and gets no traffic",
                            backend_label(b)
                        ),
                    )
                    .with_hint(
                        "remove the backend, or give it a weight once it should take traffic",
                    ),
                );
            }
        }
    }
    // A version of a service that has only that version.
    for (k, b) in f.backends.iter().enumerate() {
        let (Some(v), Some(name)) = (&b.version, b.service.as_ref().or(owner.map(|s| &s.name)))
        else {
            continue;
        };
        let bns = b.namespace.as_ref().unwrap_or(ns);
        if let Some(svc) = idx.services.get(&(bns.as_str(), name.as_str()))
            && svc.versions.len() == 1
        {
            out.push(
                Diagnostic::model(
                    Code::SingleVersionReference,
                    bat.index(k).field("version"),
                    format!(
                        "{} has only version {v}; naming it pins traffic to pods labelled as {v}, and pods of a next release get nothing until this route changes",
                        svc.reference()
                    ),
                )
                .with_hint("send to the service itself (no version) until there is a second version"),
            );
        }
    }

    // Retries against the timeout, and against the methods.
    let (retries, timeout) = match owner {
        Some(s) => (
            f.retries.as_ref().or(s.resilience.retries.as_ref()),
            f.timeout.or(s.resilience.timeout),
        ),
        None => (f.retries.as_ref(), f.timeout),
    };
    if (f.retries.is_some() || f.timeout.is_some())
        && let Some(p) = retries
    {
        let field = if f.retries.is_some() {
            "retries"
        } else {
            "timeout"
        };
        retry_timeout(p, timeout, &at.field(field), out);
    }
    if let Some(p) = &f.retries {
        retry_idempotency(
            p,
            Some(unsafe_methods(&r.matches)),
            &at.field("retries"),
            out,
        );
    }
}

fn backend_label(b: &crate::BackendRef) -> String {
    let service = match (&b.namespace, &b.service) {
        (Some(ns), Some(n)) => Some(format!("{ns}/{n}")),
        (None, Some(n)) => Some(n.to_string()),
        _ => None,
    };
    match (service, &b.version) {
        (Some(s), Some(v)) => format!("{s} {v}"),
        (Some(s), None) => s,
        (None, Some(v)) => v.to_string(),
        (None, None) => "the service itself".to_owned(),
    }
}

// === retries ===

fn retry_timeout(
    p: &RetryPolicy,
    timeout: Option<crate::Duration>,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(timeout), Some(per_try)) = (timeout, p.per_try_timeout) else {
        return;
    };
    let tries = p.attempts.saturating_add(1);
    let total = per_try.checked_mul(tries);
    if total.is_some_and(|t| t <= timeout) {
        return;
    }
    let total = total.map_or_else(|| "too long".to_owned(), |t| t.to_string());
    // The most retries that fit, and the longest per-try timeout that fits.
    let fit = (timeout.as_nanos() / per_try.as_nanos().max(1)).saturating_sub(1);
    let per_try_fit = crate::Duration::from_nanos(timeout.as_nanos() / u64::from(tries))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let hint = if fit >= 1 {
        format!(
            "lower attempts to {fit}, or perTryTimeout to {per_try_fit}, or raise the timeout to at least {total}"
        )
    } else {
        format!("lower perTryTimeout to {per_try_fit}, or raise the timeout to at least {total}")
    };
    out.push(
        Diagnostic::model(
            Code::RetriesExceedTimeout,
            at.clone(),
            format!(
                "{} retries of {per_try} each after a first try of {per_try} take up to {total}, more than the {timeout} timeout: the timeout cuts the last tries off",
                p.attempts
            ),
        )
        .with_hint(hint),
    );
}

/// Which methods a route may carry.
enum Carries {
    /// Any method (some match does not restrict it).
    Any,
    /// This non-idempotent method (the first such match).
    Only(crate::Method),
    /// Idempotent methods only.
    Idempotent,
}

fn unsafe_methods(matches: &[RouteMatch]) -> Carries {
    if matches.is_empty() {
        return Carries::Any;
    }
    let mut only = None;
    for m in matches {
        match m.method {
            None => return Carries::Any,
            Some(x) if !x.is_idempotent() => only = only.or(Some(x)),
            Some(_) => {}
        }
    }
    only.map_or(Carries::Idempotent, Carries::Only)
}

/// Conditions that fire after the server may have acted on the request.
fn after_sent(on: RetryOn) -> bool {
    !matches!(on, RetryOn::ConnectFailure | RetryOn::RefusedStream)
}

fn retry_idempotency(
    p: &RetryPolicy,
    carries: Option<Carries>,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let risky: Vec<String> = p
        .conditions()
        .into_iter()
        .filter(|c| after_sent(*c))
        .map(|c| c.name())
        .collect();
    if risky.is_empty() {
        return;
    }
    let what = match carries.unwrap_or(Carries::Any) {
        Carries::Idempotent => return,
        Carries::Any => "requests of any method, POST and PATCH included".to_owned(),
        Carries::Only(m) => format!("{} requests", m.as_str()),
    };
    let defaulted = if p.on.is_empty() {
        " (the default conditions)"
    } else {
        ""
    };
    out.push(
        Diagnostic::model(
            Code::RetriesNonIdempotent,
            at.clone(),
            format!(
                "retries on {}{defaulted} apply to {what}: these conditions fire after the server may have acted, so a retry can repeat a non-idempotent request",
                risky.join(", ")
            ),
        )
        .with_hint("retry only on connect-failure and refused-stream here, or restrict the route to idempotent methods (GET, PUT, DELETE...)"),
    );
}

fn rate_limit(rl: &RateLimit, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    let rps = rl.per_second();
    let short = rl.per < crate::Duration::from_secs(1);
    let fractional = rps.fract().abs() > 1e-9;
    if !short && !fractional {
        return;
    }
    let message = if fractional {
        format!(
            "{} requests per {} is {rps:.3} requests per second, not a whole number: meshes that take whole requests per second (Linkerd's requestsPerSecond) must round it to {} or {}",
            rl.requests,
            rl.per,
            rps.floor(),
            rps.ceil()
        )
    } else {
        format!(
            "{} requests per {} is counted over a window shorter than 1s: meshes that count per second (Linkerd) enforce {rps} per 1s instead, which lets a burst of {rps} through within one {} window",
            rl.requests, rl.per, rl.per
        )
    };
    out.push(
        Diagnostic::model(Code::RateLimitRounding, at.clone(), message)
            .with_hint("express the limit in whole requests per whole seconds (for example 2 per 1s) if every mesh must enforce the same number"),
    );
}

// === security ===

fn security(mesh: &Mesh, idx: &Index<'_>, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    let sec = &mesh.security;
    let mtls = at.field("mtls");
    mtls_mode(sec.mtls.mode, "the whole mesh", &mtls.field("mode"), out);
    let oat = mtls.field("overrides");
    for (i, o) in sec.mtls.overrides.iter().enumerate() {
        let scope = scope_label(&o.scope);
        if let Some(m) = o.mode {
            mtls_mode(m, &scope, &oat.index(i).field("mode"), out);
        }
        for (p, m) in &o.ports {
            mtls_mode(
                *m,
                &format!("port {p} of {scope}"),
                &oat.index(i).field("ports").key(&p.to_string()),
                out,
            );
        }
    }
    if sec.default_action == DefaultAction::Allow
        && sec.authorization.is_empty()
        && !mesh.services.is_empty()
    {
        out.push(
            Diagnostic::model(
                Code::DefaultAllowNoPolicy,
                at.field("defaultAction"),
                "the default action is allow and there is no authorization policy: every workload accepts every request from any client",
            )
            .with_hint("keep the default deny and allow what each service needs, or accept this knowingly"),
        );
    }
    let aat = at.field("authorization");
    for (i, p) in sec.authorization.iter().enumerate() {
        let pat = aat.index(i);
        for (j, r) in p.rules.iter().enumerate() {
            authz_rule(p, r, idx, &pat.field("rules").index(j), out);
        }
    }
    let jat = at.field("jwt");
    for (i, j) in sec.jwt.iter().enumerate() {
        if idx.issuers_required.contains(j.issuer.as_str()) || idx.claim_required {
            continue;
        }
        out.push(
            Diagnostic::model(
                Code::JwtNotRequired,
                jat.index(i),
                format!(
                    "tokens of {} are validated, but no ALLOW rule requires one: requests without a token pass (only invalid tokens are rejected)",
                    j.issuer
                ),
            )
            .with_hint(format!(
                "add an ALLOW rule with `from: [{{jwtPrincipal: {{issuer: {}}}}}]` where a token is needed",
                j.issuer
            )),
        );
    }
}

fn scope_label(s: &Scope) -> String {
    match s {
        Scope::Mesh => "the whole mesh".to_owned(),
        Scope::Namespace(n) => format!("namespace {n}"),
        Scope::Service(r) => format!("service {r}"),
        Scope::Workload(w) => format!(
            "workloads {} in {}",
            w.labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(","),
            w.namespace
        ),
    }
}

fn mtls_mode(mode: MtlsMode, scope: &str, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    match mode {
        MtlsMode::Strict => {}
        MtlsMode::Permissive => out.push(
            Diagnostic::model(
                Code::MtlsPermissive,
                at.clone(),
                format!("mTLS is PERMISSIVE for {scope}: plaintext clients are accepted and cannot be identified"),
            )
            .with_hint("switch to strict once every client is meshed (PERMISSIVE is for the migration only)"),
        ),
        MtlsMode::Disabled => out.push(
            Diagnostic::model(
                Code::MtlsDisabled,
                at.clone(),
                format!("mTLS is disabled for {scope}: traffic is plaintext, and identity-based authorization cannot work there"),
            )
            .with_hint("use strict (or permissive during a migration); Linkerd and Consul cannot disable mTLS between meshed pods at all"),
        ),
    }
}

fn authz_rule(
    p: &crate::AuthorizationPolicy,
    r: &AuthzRule,
    idx: &Index<'_>,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let empty = r.from.is_empty() && r.to.is_empty() && r.when.is_empty();
    let scope = scope_label(&p.scope);
    match p.action {
        AuthzAction::Allow => {
            if empty {
                out.push(
                    Diagnostic::model(
                        Code::AuthzAllowsAll,
                        at.clone(),
                        format!(
                            "policy {} has a rule with no `from`, `to` or `when`: it allows every request to {scope}, from any client",
                            p.name
                        ),
                    )
                    .with_hint("name the sources (`from`) and operations (`to`) to allow; write `from: [any]` if everyone is really meant"),
                );
            } else if r.to.is_empty()
                && r.when.is_empty()
                && let Some(k) = r.from.iter().position(|s| *s == Source::Any)
            {
                out.push(
                    Diagnostic::model(
                        Code::AuthzAnySource,
                        at.field("from").index(k),
                        format!(
                            "policy {} allows any source, plaintext clients included, to make any request to {scope}",
                            p.name
                        ),
                    )
                    .with_hint("restrict the sources (identities, namespaces, `authenticated`), or the operations (`to`) anyone may call"),
                );
            }
        }
        AuthzAction::Deny => {
            if empty {
                out.push(
                    Diagnostic::model(
                        Code::AuthzDeniesAll,
                        at.clone(),
                        format!(
                            "policy {} has a DENY rule with no `from`, `to` or `when`: it denies every request to {scope}, and a matching deny wins over any allow",
                            p.name
                        ),
                    )
                    .with_hint("add the conditions the deny is for; to deny what is not allowed, rely on the default deny instead"),
                );
            } else if r.is_l7() {
                deny_http_on_tcp(p, r, idx, &scope, at, out);
            }
        }
    }
}

fn deny_http_on_tcp(
    p: &crate::AuthorizationPolicy,
    r: &AuthzRule,
    idx: &Index<'_>,
    scope: &str,
    at: &FieldPath,
    out: &mut Vec<Diagnostic>,
) {
    let ports_only = !r.to.is_empty() && r.to.iter().all(|o| !o.ports.is_empty());
    let listed: BTreeSet<Port> = r.to.iter().flat_map(|o| o.ports.iter().copied()).collect();
    let pick = |m: &BTreeMap<Port, &Service>| -> Option<(Port, String)> {
        m.iter()
            .find(|(port, _)| !ports_only || listed.contains(port))
            .map(|(port, s)| (*port, s.reference().to_string()))
    };
    let hit = match &p.scope {
        Scope::Mesh => pick(&idx.tcp_ports_mesh),
        Scope::Namespace(n) => idx.tcp_ports.get(n.as_str()).and_then(pick),
        Scope::Service(sr) => idx
            .services
            .get(&(sr.namespace.as_str(), sr.name.as_str()))
            .and_then(|s| {
                s.ports
                    .iter()
                    .find(|q| !q.protocol.is_l7() && (!ports_only || listed.contains(&q.number)))
                    .map(|q| (q.number, s.reference().to_string()))
            }),
        // Workloads outside the model: their ports are unknown.
        Scope::Workload(_) => None,
    };
    if let Some((port, svc)) = hit {
        out.push(
            Diagnostic::model(
                Code::DenyHttpOnTcp,
                at.clone(),
                format!(
                    "policy {} denies on HTTP attributes (methods, paths, headers or JWT) in {scope}, where {svc} has non-HTTP port {port}: Istio cannot see those attributes on TCP traffic, drops them, and denies all TCP traffic on that port",
                    p.name
                ),
            )
            .with_hint("scope the rule to the HTTP ports with `to: [{ports: [...], ...}]`, or move the TCP port to another service"),
        );
    }
}

// === observability ===

fn observability(mesh: &Mesh, at: &FieldPath, out: &mut Vec<Diagnostic>) {
    let Some(t) = &mesh.observability.tracing else {
        return;
    };
    let tat = at.field("tracing");
    if t.host.is_short() {
        out.push(
            Diagnostic::model(
                Code::TracingHostShort,
                tat.field("host"),
                format!(
                    "tracing host {:?} is a short name: each proxy resolves it in its own namespace, not where the collector runs",
                    t.host.as_str()
                ),
            )
            .with_hint(format!(
                "write the collector's namespace too: \"{}.<namespace>\" (or the full \"{}.<namespace>.svc.cluster.local\")",
                t.host, t.host
            )),
        );
    }
    let s = t.sampling.get();
    if s > 10.0 {
        let sev = if t.sampling.is_all() {
            Severity::Warning
        } else {
            Severity::Info
        };
        out.push(
            Diagnostic::model(
                Code::TraceSamplingHigh,
                tat.field("sampling"),
                format!("{s}% of requests are traced, a cost every proxy pays on the request path"),
            )
            .with_severity(sev)
            .with_hint("use 1-10% in production (the default is 1%)"),
        );
    }
}
