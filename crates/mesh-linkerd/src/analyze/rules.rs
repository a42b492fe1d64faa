//! The checks: Linkerd's policy-controller admission rules the typed
//! structs do not already enforce, and references between objects.

use std::collections::HashMap;
use std::net::IpAddr;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use mesh_k8s::GoDuration;
use mesh_k8s::gateway::{HttpRouteFilter, ParentReference};
use mesh_model::FieldPath;
use mesh_model::analyze::{Code, Severity};

use super::Finding;
use super::Resource;
use super::index::{DEFAULT_NAMESPACE, Index, key};
use crate::LinkerdObject;
use crate::crds::{
    AuthenticationRef, Cidr, MeshTlsAuthenticationSpec, Network, PathMatchType, PolicyTarget, Port,
    WorkloadSelector,
};

const POLICY_GROUP: &str = "policy.linkerd.io";
const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// The annotation naming a default inbound policy.
pub(crate) const DEFAULT_POLICY_ANNOTATION: &str = "config.linkerd.io/default-inbound-policy";

/// The values the default inbound policy may take.
pub(crate) const DEFAULT_POLICIES: &[&str] = &[
    "all-unauthenticated",
    "all-authenticated",
    "cluster-authenticated",
    "cluster-unauthenticated",
    "deny",
    "audit",
];

fn path(text: &str) -> FieldPath {
    FieldPath::new(text)
}

fn ns_of<S: mesh_k8s::Kind>(o: &mesh_k8s::Object<S>) -> &str {
    o.namespace().unwrap_or(DEFAULT_NAMESPACE)
}

fn linkerd<'a>(ix: &'a Index<'_>) -> impl Iterator<Item = (usize, &'a LinkerdObject)> {
    ix.items
        .iter()
        .enumerate()
        .filter_map(|(i, (_, r))| match r {
            Resource::Linkerd(o) => Some((i, o)),
            _ => None,
        })
}

fn selects_all(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// Whether two Server selectors can pick the same workload, as the
/// webhook judges it: same selector kind, and one selects everything or
/// both are equal.
fn selectors_overlap(a: &WorkloadSelector, b: &WorkloadSelector) -> bool {
    match (a, b) {
        (WorkloadSelector::Pod(x), WorkloadSelector::Pod(y))
        | (WorkloadSelector::ExternalWorkload(x), WorkloadSelector::ExternalWorkload(y)) => {
            selects_all(x) || selects_all(y) || x == y
        }
        _ => false,
    }
}

fn port_text(p: &Port) -> String {
    match p {
        Port::Number(n) => n.to_string(),
        Port::Name(n) => n.clone(),
    }
}

/// A Server's name and selector.
type NamedSelector<'a> = (&'a str, &'a WorkloadSelector);

/// Servers: overlapping Servers (MW2005), port names no workload has
/// (MW2013).
pub(crate) fn servers(ix: &Index<'_>, out: &mut Vec<Finding>) {
    // Earlier Servers by (namespace, port): the webhook rejects the later
    // one of an overlapping pair.
    let mut seen: HashMap<(String, Port), Vec<NamedSelector<'_>>> = HashMap::new();
    for (i, o) in linkerd(ix) {
        let LinkerdObject::Server(s) = o else {
            continue;
        };
        let ns = ns_of(s);
        let earlier = seen
            .entry((ns.to_owned(), s.spec.port.clone()))
            .or_default();
        // The same Server again is an update, not a second Server.
        if let Some((name, _)) = earlier
            .iter()
            .find(|(n, sel)| *n != s.name() && selectors_overlap(sel, &s.spec.selector))
        {
            out.push(
                Finding::new(
                    i,
                    Code::LinkerdServersOverlap,
                    path("spec.port"),
                    format!(
                        "Server {ns}/{} and Server {ns}/{name} both define port {} for pods both select",
                        s.name(),
                        port_text(&s.spec.port)
                    ),
                )
                .hint("give the Servers disjoint selectors or different ports, or merge them"),
            );
        }
        earlier.push((s.name(), &s.spec.selector));

        if let (Port::Name(name), WorkloadSelector::Pod(_)) = (&s.spec.port, &s.spec.selector)
            && let Some(names) = ix.port_names.get(ns)
            && !names.contains(name)
        {
            out.push(
                Finding::new(
                    i,
                    Code::LinkerdServerPortNotFound,
                    path("spec.port"),
                    format!(
                        "Server {ns}/{} selects port {name:?}, but no container port or Service targetPort in namespace {ns} has that name",
                        s.name()
                    ),
                )
                .hint("use the container port's name as written in the pod spec, or its number"),
            );
        }
    }
}

fn policy_target_kind(t: &PolicyTarget) -> String {
    match t {
        PolicyTarget::Server(_) => "policy.linkerd.io/Server".into(),
        PolicyTarget::HttpRoute(_) => "policy.linkerd.io/HTTPRoute".into(),
        PolicyTarget::GatewayHttpRoute(_) => "gateway.networking.k8s.io/HTTPRoute".into(),
        PolicyTarget::GatewayGrpcRoute(_) => "gateway.networking.k8s.io/GRPCRoute".into(),
        PolicyTarget::Namespace(_) => "Namespace".into(),
        PolicyTarget::Other(r) => match r.group.as_deref() {
            Some(g) if !g.is_empty() => format!("{g}/{}", r.kind),
            _ => r.kind.clone(),
        },
    }
}

/// AuthorizationPolicies: target kind (MW2001), authentication refs
/// (MW2002), missing targets (MW2010) and authentications (MW2012).
pub(crate) fn authorization_policies(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in linkerd(ix) {
        let LinkerdObject::AuthorizationPolicy(p) = o else {
            continue;
        };
        let ns = ns_of(p);
        let what = format!("AuthorizationPolicy {ns}/{}", p.name());
        let target = &p.spec.target_ref;
        let tpath = path("spec.targetRef");
        match target {
            PolicyTarget::Namespace(n) if n != ns => out.push(
                Finding::new(
                    i,
                    Code::LinkerdPolicyTargetInvalid,
                    tpath.field("name"),
                    format!("{what} targets namespace {n}, not its own"),
                )
                .hint("an AuthorizationPolicy may only target its own namespace: create it there"),
            ),
            PolicyTarget::Other(_) => out.push(
                Finding::new(
                    i,
                    Code::LinkerdPolicyTargetInvalid,
                    tpath.field("kind"),
                    format!("{what} targets a {}", policy_target_kind(target)),
                )
                .hint("target a policy.linkerd.io Server or HTTPRoute, a gateway.networking.k8s.io HTTPRoute or GRPCRoute, or the Namespace"),
            ),
            _ => {}
        }
        let missing = match target {
            PolicyTarget::Server(n) if !ix.servers.contains(&key(ns, n)) => Some(("Server", n)),
            PolicyTarget::HttpRoute(n) if !ix.policy_routes.contains(&key(ns, n)) => {
                Some(("policy.linkerd.io HTTPRoute", n))
            }
            PolicyTarget::GatewayHttpRoute(n) if !ix.gateway_routes.contains(&key(ns, n)) => {
                Some(("gateway.networking.k8s.io HTTPRoute", n))
            }
            PolicyTarget::GatewayGrpcRoute(n) if !ix.grpc_routes.contains(&key(ns, n)) => {
                Some(("GRPCRoute", n))
            }
            _ => None,
        };
        if let Some((kind, name)) = missing {
            out.push(
                Finding::new(
                    i,
                    Code::LinkerdTargetNotFound,
                    tpath.field("name"),
                    format!("{what} targets {kind} {ns}/{name}, which is not in the input"),
                )
                .hint("add the target to the input, or fix the name (policies apply only in their own namespace)"),
            );
        }

        let refs = &p.spec.required_authentication_refs;
        let rpath = path("spec.requiredAuthenticationRefs");
        let count = |f: fn(&AuthenticationRef) -> bool| refs.iter().filter(|r| f(r)).count();
        let mtls = count(|r| matches!(r, AuthenticationRef::MeshTls { .. }));
        let sas = count(|r| matches!(r, AuthenticationRef::ServiceAccount { .. }));
        let nets = count(|r| matches!(r, AuthenticationRef::Network { .. }));
        let mut bad = |message: String| {
            out.push(
                Finding::new(i, Code::LinkerdAuthenticationRefsInvalid, rpath.clone(), format!("{what}: {message}"))
                    .hint("require at most one MeshTLSAuthentication or ServiceAccount, and at most one NetworkAuthentication; list several identities or networks in one of them"),
            )
        };
        if mtls > 1 {
            bad("more than one MeshTLSAuthentication".into());
        }
        if sas > 1 {
            bad("more than one ServiceAccount".into());
        }
        if mtls == 1 && sas == 1 {
            bad("a MeshTLSAuthentication and a ServiceAccount together".into());
        }
        if nets > 1 {
            bad("more than one NetworkAuthentication".into());
        }
        for (j, r) in refs.iter().enumerate() {
            let at = rpath.index(j);
            match r {
                AuthenticationRef::Other(o) => out.push(
                    Finding::new(
                        i,
                        Code::LinkerdAuthenticationRefsInvalid,
                        at.field("kind"),
                        format!("{what}: unsupported authentication kind {}", o.kind),
                    )
                    .hint("use a policy.linkerd.io MeshTLSAuthentication or NetworkAuthentication, or a core ServiceAccount"),
                ),
                AuthenticationRef::MeshTls { name, namespace }
                | AuthenticationRef::Network { name, namespace } => {
                    let rns = namespace.as_deref().unwrap_or(ns);
                    let (kind, set) = match r {
                        AuthenticationRef::MeshTls { .. } => ("MeshTLSAuthentication", &ix.mesh_tls),
                        _ => ("NetworkAuthentication", &ix.networks),
                    };
                    if !set.contains(&key(rns, name)) {
                        out.push(
                            Finding::new(
                                i,
                                Code::LinkerdAuthenticationNotFound,
                                at.field("name"),
                                format!("{what} requires {kind} {rns}/{name}, which is not in the input"),
                            )
                            .hint("add the authentication to the input, or fix its name and namespace"),
                        );
                    }
                }
                AuthenticationRef::ServiceAccount { .. } => {}
            }
        }
    }
}

/// Whether `id` is an identity the policy controller accepts: `*`, a
/// SPIFFE ID (`spiffe://<trust domain>/<path>`), or a DNS-like name,
/// optionally with a leading `*.`.
fn identity_valid(id: &str) -> bool {
    if id == "*" {
        return true;
    }
    if let Some(rest) = id.strip_prefix("spiffe://") {
        // A SPIFFE ID: a trust domain, then a path.
        return rest
            .split_once('/')
            .is_some_and(|(domain, path)| !domain.is_empty() && !path.is_empty())
            && !rest.contains(char::is_whitespace);
    }
    let name = id.strip_prefix("*.").unwrap_or(id);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// `(address bits, prefix length, is IPv4)`.
fn bits(c: &Cidr) -> (u128, u8, bool) {
    let (addr, len) = match c {
        Cidr::Addr(a) => (*a, if a.is_ipv4() { 32 } else { 128 }),
        Cidr::Net(a, l) => (*a, *l),
    };
    match addr {
        IpAddr::V4(v) => (u128::from(u32::from(v)) << 96, len, true),
        IpAddr::V6(v) => (u128::from(v), len, false),
    }
}

/// Whether network `outer` contains all of `inner`.
fn cidr_contains(outer: &Cidr, inner: &Cidr) -> bool {
    let (oa, ol, o4) = bits(outer);
    let (ia, il, i4) = bits(inner);
    if o4 != i4 || il < ol {
        return false;
    }
    // Compare the first `ol` bits of the (left-aligned) addresses.
    let mask = match u32::from(ol) {
        0 => 0,
        n => u128::MAX << (128 - n.min(128)),
    };
    (oa & mask) == (ia & mask)
}

fn check_networks(
    i: usize,
    what: &str,
    at: &FieldPath,
    networks: &[Network],
    out: &mut Vec<Finding>,
) {
    for (j, n) in networks.iter().enumerate() {
        for (k, e) in n.except.iter().enumerate() {
            let field = at.index(j).field("except").index(k);
            let message = if cidr_contains(e, &n.cidr) {
                format!("{what}: exception {e} negates all of network {}", n.cidr)
            } else if !cidr_contains(&n.cidr, e) {
                format!("{what}: exception {e} is not inside network {}", n.cidr)
            } else {
                continue;
            };
            out.push(
                Finding::new(i, Code::LinkerdNetworkInvalid, field, message)
                    .hint("list only exceptions strictly inside the network's cidr"),
            );
        }
    }
}

/// MeshTLSAuthentication identities (MW2003), NetworkAuthentication and
/// EgressNetwork networks (MW2004).
pub(crate) fn authentications(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in linkerd(ix) {
        match o {
            LinkerdObject::MeshTlsAuthentication(a) => {
                let what = format!("MeshTLSAuthentication {}/{}", ns_of(a), a.name());
                match &a.spec {
                    MeshTlsAuthenticationSpec::Identities(ids) => {
                        for (j, id) in ids.iter().enumerate() {
                            if !identity_valid(id) {
                                out.push(
                                    Finding::new(
                                        i,
                                        Code::LinkerdIdentityInvalid,
                                        path("spec.identities").index(j),
                                        format!("{what}: identity {id:?} is not `*` or a DNS-like name"),
                                    )
                                    .hint("write identities as `<sa>.<ns>.serviceaccount.identity.linkerd.<domain>`, `*.<suffix>` or `*`"),
                                );
                            }
                        }
                    }
                    MeshTlsAuthenticationSpec::IdentityRefs(refs) => {
                        for (j, r) in refs.iter().enumerate() {
                            let core = r.group.as_deref().is_none_or(str::is_empty);
                            let message = match (core, r.kind.as_str()) {
                                (true, "ServiceAccount") => continue,
                                (true, "Namespace") if r.namespace.is_none() => continue,
                                (true, "Namespace") => format!(
                                    "{what}: a Namespace identity ref is cluster-scoped and takes no namespace"
                                ),
                                _ => format!(
                                    "{what}: identity ref kind {} is not ServiceAccount or Namespace",
                                    r.kind
                                ),
                            };
                            out.push(
                                Finding::new(
                                    i,
                                    Code::LinkerdIdentityInvalid,
                                    path("spec.identityRefs").index(j),
                                    message,
                                )
                                .hint("refer to a core ServiceAccount (with an optional namespace) or a Namespace (without one)"),
                            );
                        }
                    }
                }
            }
            LinkerdObject::NetworkAuthentication(a) => {
                let what = format!("NetworkAuthentication {}/{}", ns_of(a), a.name());
                if a.spec.networks.is_empty() {
                    out.push(
                        Finding::new(
                            i,
                            Code::LinkerdNetworkInvalid,
                            path("spec.networks"),
                            format!("{what} has no network"),
                        )
                        .hint("list at least one network (`cidr: 0.0.0.0/0` for any IPv4 client)"),
                    );
                }
                check_networks(i, &what, &path("spec.networks"), &a.spec.networks, out);
            }
            LinkerdObject::EgressNetwork(e) => {
                let what = format!("EgressNetwork {}/{}", ns_of(e), e.name());
                check_networks(i, &what, &path("spec.networks"), &e.spec.networks, out);
            }
            _ => {}
        }
    }
}

fn timeouts(
    i: usize,
    what: &str,
    at: FieldPath,
    request: Option<&GoDuration>,
    backend: Option<&GoDuration>,
    out: &mut Vec<Finding>,
) {
    for (name, t) in [("request", request), ("backendRequest", backend)] {
        if let Some(t) = t
            && t.is_negative()
        {
            out.push(
                Finding::new(
                    i,
                    Code::LinkerdRouteTimeoutsInvalid,
                    at.field(name),
                    format!("{what}: negative {name} timeout {}", t.as_str()),
                )
                .hint("timeouts are durations of 0 or more (0s means none)"),
            );
        }
    }
    if let (Some(r), Some(b)) = (
        request.and_then(GoDuration::value),
        backend.and_then(GoDuration::value),
    ) && b > r
        && !r.is_zero()
    {
        out.push(
            Finding::new(
                i,
                Code::LinkerdRouteTimeoutsInvalid,
                at.field("backendRequest"),
                format!(
                    "{what}: backendRequest timeout {} is longer than the request timeout {}",
                    backend.map(GoDuration::as_str).unwrap_or(""),
                    request.map(GoDuration::as_str).unwrap_or(""),
                ),
            )
            .hint("one backend request cannot outlast the whole request: shorten backendRequest or lengthen request"),
        );
    }
}

/// What a route's parent reference is, for Linkerd.
enum Parent<'a> {
    Server(&'a str),
    Service(&'a str),
    EgressNetwork,
    Gateway,
    Other(String),
}

fn parent_of<'a>(group: Option<&'a str>, kind: Option<&'a str>, name: &'a str) -> Parent<'a> {
    match (group.unwrap_or(GATEWAY_GROUP), kind.unwrap_or("Gateway")) {
        (POLICY_GROUP, "Server") => Parent::Server(name),
        ("" | "core", "Service") => Parent::Service(name),
        (POLICY_GROUP, "EgressNetwork") => Parent::EgressNetwork,
        (GATEWAY_GROUP, "Gateway") => Parent::Gateway,
        ("", k) => Parent::Other(k.to_owned()),
        (g, k) => Parent::Other(format!("{g}/{k}")),
    }
}

/// Checks one parent reference; returns whether it is part of Linkerd's
/// mesh (a Server or a Service).
#[allow(clippy::too_many_arguments)]
fn check_parent(
    ix: &Index<'_>,
    i: usize,
    what: &str,
    at: FieldPath,
    ns: &str,
    parent: Parent<'_>,
    namespace: Option<&str>,
    port: bool,
    out: &mut Vec<Finding>,
) -> bool {
    let pns = namespace.unwrap_or(ns);
    match parent {
        Parent::Server(n) => {
            if !ix.servers.contains(&key(pns, n)) {
                out.push(
                    Finding::new(
                        i,
                        Code::LinkerdParentNotFound,
                        at.field("name"),
                        format!("{what}: parent Server {pns}/{n} is not in the input"),
                    )
                    .hint("add the Server, or fix the parentRef's name and namespace"),
                );
            }
            true
        }
        Parent::Service(n) => {
            if ix.service_namespaces.contains(pns) && !ix.services.contains(&key(pns, n)) {
                out.push(
                    Finding::new(
                        i,
                        Code::LinkerdParentNotFound,
                        at.field("name"),
                        format!("{what}: parent Service {pns}/{n} is not in the input"),
                    )
                    .hint("add the Service, or fix the parentRef's name and namespace"),
                );
            }
            true
        }
        Parent::EgressNetwork => {
            if !port {
                out.push(
                    Finding::new(
                        i,
                        Code::LinkerdParentRefInvalid,
                        at.field("port"),
                        format!("{what}: a parent EgressNetwork needs a port"),
                    )
                    .hint("set parentRefs[].port to the port the route applies to"),
                );
            }
            false
        }
        Parent::Gateway => false,
        Parent::Other(kind) => {
            out.push(
                Finding::new(
                    i,
                    Code::LinkerdParentRefInvalid,
                    at.field("kind"),
                    format!("{what}: Linkerd does not attach routes to a {kind}"),
                )
                .severity(Severity::Warning)
                .hint("Linkerd's mesh routes attach to a Service, a Server or an EgressNetwork"),
            );
            false
        }
    }
}

fn filter_name(f: &HttpRouteFilter) -> Option<&'static str> {
    match f {
        HttpRouteFilter::RequestMirror(_) => Some("RequestMirror"),
        HttpRouteFilter::UrlRewrite(_) => Some("URLRewrite"),
        HttpRouteFilter::ExtensionRef(_) => Some("ExtensionRef"),
        HttpRouteFilter::Cors(_) => Some("CORS"),
        _ => None,
    }
}

fn parent_ref_gw(p: &ParentReference) -> (Parent<'_>, Option<&str>, bool) {
    (
        parent_of(p.group.as_deref(), p.kind.as_deref(), &p.name),
        p.namespace.as_deref(),
        p.port.is_some(),
    )
}

/// HTTPRoutes: path matches (MW2015), timeouts (MW2006), ignored filters
/// (MW2007), parents (MW2009, MW2011). Backend Services without port are
/// rejected by the typed reader already.
pub(crate) fn routes(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in linkerd(ix) {
        match o {
            LinkerdObject::HttpRoute(r) => {
                let ns = ns_of(r);
                let what = format!("HTTPRoute {ns}/{}", r.name());
                for (j, p) in r.spec.parent_refs.iter().enumerate() {
                    let parent = parent_of(p.group.as_deref(), p.kind.as_deref(), &p.name);
                    let at = path("spec.parentRefs").index(j);
                    check_parent(
                        ix,
                        i,
                        &what,
                        at,
                        ns,
                        parent,
                        p.namespace.as_deref(),
                        p.port.is_some(),
                        out,
                    );
                }
                for (j, rule) in r.spec.rules.iter().enumerate() {
                    let rp = path("spec.rules").index(j);
                    for (k, m) in rule.matches.iter().enumerate() {
                        let mp = rp.field("matches").index(k);
                        if let Some(pm) = &m.path {
                            let value = pm.value.as_deref().unwrap_or("/");
                            let kind = pm.type_.unwrap_or(PathMatchType::PathPrefix);
                            if kind != PathMatchType::RegularExpression && !value.starts_with('/') {
                                out.push(
                                    Finding::new(
                                        i,
                                        Code::LinkerdRouteMatchInvalid,
                                        mp.field("path").field("value"),
                                        format!("{what}: path {value:?} does not start with `/`"),
                                    )
                                    .hint("write paths as absolute paths (`/api`)"),
                                );
                            }
                        }
                        for (h, hm) in m.headers.iter().enumerate() {
                            if hm.name.is_empty() {
                                out.push(
                                    Finding::new(
                                        i,
                                        Code::LinkerdRouteMatchInvalid,
                                        mp.field("headers").index(h).field("name"),
                                        format!("{what}: empty header name"),
                                    )
                                    .hint("name the header to match"),
                                );
                            }
                        }
                    }
                    if let Some(t) = &rule.timeouts {
                        timeouts(
                            i,
                            &what,
                            rp.field("timeouts"),
                            t.request.as_ref(),
                            t.backend_request.as_ref(),
                            out,
                        );
                    }
                }
            }
            LinkerdObject::GatewayHttpRoute(r) => {
                let ns = ns_of(r);
                let what = format!("HTTPRoute {ns}/{}", r.name());
                let mut mesh = false;
                for (j, p) in r.spec.parent_refs.iter().enumerate() {
                    let (parent, pns, port) = parent_ref_gw(p);
                    let at = path("spec.parentRefs").index(j);
                    mesh |= check_parent(ix, i, &what, at, ns, parent, pns, port, out);
                }
                for (j, rule) in r.spec.rules.iter().enumerate() {
                    let rp = path("spec.rules").index(j);
                    if mesh {
                        let rule_filters = rule
                            .filters
                            .iter()
                            .enumerate()
                            .map(|(k, f)| (rp.field("filters").index(k), f));
                        let backend_filters =
                            rule.backend_refs.iter().enumerate().flat_map(|(b, br)| {
                                let bp = rp.field("backendRefs").index(b);
                                br.filters
                                    .iter()
                                    .enumerate()
                                    .map(move |(k, f)| (bp.field("filters").index(k), f))
                            });
                        for (at, f) in rule_filters.chain(backend_filters) {
                            if let Some(name) = filter_name(f) {
                                out.push(
                                    Finding::new(
                                        i,
                                        Code::LinkerdFilterIgnored,
                                        at,
                                        format!("{what}: Linkerd does not apply {name} filters on mesh routes"),
                                    )
                                    .hint("use RequestHeaderModifier, ResponseHeaderModifier or RequestRedirect, or do this at an ingress"),
                                );
                            }
                        }
                    }
                    if let Some(t) = &rule.timeouts {
                        timeouts(
                            i,
                            &what,
                            rp.field("timeouts"),
                            t.request.as_ref(),
                            t.backend_request.as_ref(),
                            out,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// HTTPLocalRateLimitPolicies: target kind (MW2001), missing target
/// (MW2010), limits (MW2008), override clients (MW2002).
pub(crate) fn rate_limits(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in linkerd(ix) {
        let LinkerdObject::HttpLocalRateLimitPolicy(p) = o else {
            continue;
        };
        let ns = ns_of(p);
        let what = format!("HTTPLocalRateLimitPolicy {ns}/{}", p.name());
        match &p.spec.target_ref {
            PolicyTarget::Server(n) => {
                if !ix.servers.contains(&key(ns, n)) {
                    out.push(
                        Finding::new(
                            i,
                            Code::LinkerdTargetNotFound,
                            path("spec.targetRef.name"),
                            format!("{what} targets Server {ns}/{n}, which is not in the input"),
                        )
                        .hint("add the Server to the input, or fix the name"),
                    );
                }
            }
            other => out.push(
                Finding::new(
                    i,
                    Code::LinkerdPolicyTargetInvalid,
                    path("spec.targetRef.kind"),
                    format!(
                        "{what} targets a {}, not a Server",
                        policy_target_kind(other)
                    ),
                )
                .hint("rate limits attach to a policy.linkerd.io Server"),
            ),
        }
        let mut bad = |field: FieldPath, message: String| {
            out.push(
                Finding::new(i, Code::LinkerdRateLimitInvalid, field, format!("{what}: {message}"))
                    .hint("limits are at least 1 request per second, and per-client limits at most the total"),
            )
        };
        let total = p.spec.total.map(|t| t.requests_per_second);
        if total == Some(0) {
            bad(
                path("spec.total.requestsPerSecond"),
                "total limit is 0".into(),
            );
        }
        if let Some(id) = p.spec.identity {
            if id.requests_per_second == 0 {
                bad(
                    path("spec.identity.requestsPerSecond"),
                    "identity limit is 0".into(),
                );
            }
            if let Some(t) = total
                && id.requests_per_second > t
            {
                bad(
                    path("spec.identity.requestsPerSecond"),
                    format!(
                        "identity limit {} is above the total {t}",
                        id.requests_per_second
                    ),
                );
            }
        }
        for (j, ovr) in p.spec.overrides.iter().enumerate() {
            let at = path("spec.overrides").index(j);
            if ovr.requests_per_second == 0 {
                bad(at.field("requestsPerSecond"), "override limit is 0".into());
            }
            if let Some(t) = total
                && ovr.requests_per_second > t
            {
                bad(
                    at.field("requestsPerSecond"),
                    format!(
                        "override limit {} is above the total {t}",
                        ovr.requests_per_second
                    ),
                );
            }
        }
        for (j, ovr) in p.spec.overrides.iter().enumerate() {
            for (k, c) in ovr.client_refs.iter().enumerate() {
                if !matches!(c, AuthenticationRef::ServiceAccount { .. }) {
                    out.push(
                        Finding::new(
                            i,
                            Code::LinkerdAuthenticationRefsInvalid,
                            path("spec.overrides").index(j).field("clientRefs").index(k),
                            format!("{what}: override clients must be ServiceAccounts"),
                        )
                        .hint("list core ServiceAccounts in overrides[].clientRefs"),
                    );
                }
            }
        }
    }
}

fn annotation_check(
    i: usize,
    what: &str,
    at: FieldPath,
    meta: &ObjectMeta,
    out: &mut Vec<Finding>,
) {
    if let Some(v) = meta
        .annotations
        .as_ref()
        .and_then(|a| a.get(DEFAULT_POLICY_ANNOTATION))
        && !DEFAULT_POLICIES.contains(&v.as_str())
    {
        out.push(
            Finding::new(
                i,
                Code::LinkerdDefaultPolicyInvalid,
                at.field("annotations").key(DEFAULT_POLICY_ANNOTATION),
                format!("{what}: default inbound policy {v:?} is not a Linkerd policy"),
            )
            .hint(format!("use one of {}", DEFAULT_POLICIES.join(", "))),
        );
    }
}

/// Default inbound policy annotations on Namespaces, Pods and Deployment
/// pod templates (MW2014).
pub(crate) fn default_policies(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, (_, r)) in ix.items.iter().enumerate() {
        match r {
            Resource::Linkerd(LinkerdObject::Namespace(n)) => {
                let what = format!("Namespace {}", n.metadata.name.as_deref().unwrap_or(""));
                annotation_check(i, &what, path("metadata"), &n.metadata, out);
            }
            Resource::Pod(p) => {
                let what = format!("Pod {}", p.metadata.name.as_deref().unwrap_or(""));
                annotation_check(i, &what, path("metadata"), &p.metadata, out);
            }
            Resource::Deployment(d) => {
                let what = format!("Deployment {}", d.metadata.name.as_deref().unwrap_or(""));
                annotation_check(i, &what, path("metadata"), &d.metadata, out);
                if let Some(meta) = d.spec.template.metadata.as_ref() {
                    annotation_check(i, &what, path("spec.template.metadata"), meta, out);
                }
            }
            _ => {}
        }
    }
}
