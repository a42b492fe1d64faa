//! Default inbound policies, Servers, authorization and rate limits.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;

use mesh_model::lift::ObjectRef;
use mesh_model::{
    AuthorizationPolicy, AuthzAction, AuthzRule, Condition, DefaultAction, Duration, FieldPath,
    Identity, IpBlock, MtlsMode, MtlsOverride, Name, Operation, Port, RateLimit, RateLimitOverride,
    RouteMatch, Scope, ServiceRef, Source, StringMatch, TrustDomain,
};

use super::services::{DEFAULT_POLICY, NsInfo};
use super::{Lx, object_ref};
use crate::crds::{
    AccessPolicy, AuthenticationRef, Cidr, MeshTlsAuthenticationSpec, Network, PolicyTarget,
    Port as LPort, WorkloadSelector,
};
use crate::lower::LinkerdObject;

/// Linkerd's default inbound policy as (default action, mTLS mode, exact).
fn read_policy(p: &str) -> Option<(DefaultAction, Option<MtlsMode>, bool)> {
    Some(match p {
        "deny" => (DefaultAction::Deny, None, true),
        "all-authenticated" => (DefaultAction::Allow, Some(MtlsMode::Strict), true),
        "all-unauthenticated" => (DefaultAction::Allow, Some(MtlsMode::Permissive), true),
        "cluster-authenticated" => (DefaultAction::Allow, Some(MtlsMode::Strict), false),
        "cluster-unauthenticated" | "audit" => {
            (DefaultAction::Allow, Some(MtlsMode::Permissive), false)
        }
        _ => return None,
    })
}

fn access_str(a: AccessPolicy) -> &'static str {
    match a {
        AccessPolicy::Deny => "deny",
        AccessPolicy::Audit => "audit",
        AccessPolicy::AllAuthenticated => "all-authenticated",
        AccessPolicy::AllUnauthenticated => "all-unauthenticated",
        AccessPolicy::ClusterAuthenticated => "cluster-authenticated",
        AccessPolicy::ClusterUnauthenticated => "cluster-unauthenticated",
    }
}

/// Linkerd's install default, for namespaces that do not say.
const CLUSTER_DEFAULT: &str = "all-unauthenticated";

fn ann_path() -> FieldPath {
    FieldPath::root()
        .field("metadata")
        .field("annotations")
        .key(DEFAULT_POLICY)
}

/// The mesh-wide default action and mTLS mode (by majority of the
/// namespaces), and namespace overrides for the other modes.
pub(crate) fn defaults(lx: &mut Lx<'_>, ns: &BTreeMap<String, NsInfo>) {
    let mut read = Vec::new();
    // Namespaces in use without a Namespace object have the cluster's
    // default (Linkerd's install default unless the installation says
    // otherwise).
    let implicit: Vec<String> =
        lx.l.mesh
            .namespaces_in_use()
            .into_keys()
            .map(|n| n.to_string())
            .filter(|n| !ns.contains_key(n))
            .collect();
    for n in implicit {
        read.push((n, None, DefaultAction::Allow, Some(MtlsMode::Permissive)));
    }
    for (name, info) in ns {
        let Some(oref) = &info.oref else { continue };
        let p = info.policy.as_deref().unwrap_or(CLUSTER_DEFAULT);
        match read_policy(p) {
            Some((a, m, exact)) => {
                if !exact {
                    lx.l.skip(
                        oref,
                        ann_path(),
                        format!("{p}: lifted as {}; the model does not restrict clients to the cluster's networks or audit", if m == Some(MtlsMode::Strict) { "all-authenticated" } else { "all-unauthenticated" }),
                    );
                }
                read.push((name.clone(), Some(oref.clone()), a, m));
            }
            None => lx.l.skip(
                oref,
                ann_path(),
                format!("unknown default inbound policy {p:?}"),
            ),
        }
    }
    let deny = read.iter().filter(|r| r.2 == DefaultAction::Deny).count();
    // Ties (and no namespaces at all) deny: the secure reading.
    let default = if read.is_empty() || deny * 2 >= read.len() {
        DefaultAction::Deny
    } else {
        DefaultAction::Allow
    };
    let strict = read
        .iter()
        .filter(|r| r.3 == Some(MtlsMode::Strict))
        .count();
    let permissive = read
        .iter()
        .filter(|r| r.3 == Some(MtlsMode::Permissive))
        .count();
    let mode = if permissive > strict {
        MtlsMode::Permissive
    } else {
        MtlsMode::Strict
    };
    lx.l.mesh.security.default_action = default;
    lx.l.mesh.security.mtls.mode = mode;
    for (name, oref, a, m) in read {
        let Some(oref) = oref else { continue };
        if a != default {
            lx.l.skip(
                &oref,
                ann_path(),
                format!("namespace {name} {} by default, the mesh {}: the model's default action is mesh-wide", if a == DefaultAction::Deny { "denies" } else { "allows" }, if default == DefaultAction::Deny { "denies" } else { "allows" }),
            );
            continue;
        }
        if let Some(m) = m
            && m != mode
            && let Ok(n) = Name::new(name.as_str())
        {
            let at = FieldPath::root()
                .field("security")
                .field("mtls")
                .field("overrides")
                .index(lx.l.mesh.security.mtls.overrides.len());
            lx.l.origin(at, &oref, ann_path());
            lx.l.mesh.security.mtls.overrides.push(MtlsOverride {
                scope: Scope::Namespace(n),
                mode: Some(m),
                ports: BTreeMap::new(),
            });
        }
    }
}

/// A Server resolved to a model service port.
#[derive(Debug, Clone)]
struct ServerTarget {
    svc: ServiceRef,
    port: Port,
    access: Option<AccessPolicy>,
    oref: ObjectRef,
}

struct Sources {
    from: Vec<Source>,
    /// IP blocks every client must come from outside of (an `all networks
    /// except` NetworkAuthentication).
    denied: Vec<IpBlock>,
}

fn cidr_block(c: &Cidr) -> Option<IpBlock> {
    IpBlock::new(c.to_string()).ok()
}

fn is_all(c: &Cidr) -> bool {
    matches!(c, Cidr::Net(a, 0) if a.is_unspecified())
}

/// Identities a MeshTLSAuthentication string stands for.
fn identity_source(lx: &mut Lx<'_>, s: &str) -> Option<Source> {
    if s == "*" {
        return Some(Source::Authenticated);
    }
    let (head, td) = s.split_once(".serviceaccount.identity.linkerd.")?;
    let (sa, ns) = head.split_once('.')?;
    let td = TrustDomain::new(td).ok()?;
    if td != lx.l.mesh.trust_domain {
        if lx.l.mesh.trust_domain == TrustDomain::default() && !lx.trust_domain_set {
            lx.l.mesh.trust_domain = td;
            lx.trust_domain_set = true;
        } else {
            return None;
        }
    }
    lx.trust_domain_set = true;
    let ns = Name::new(ns).ok()?;
    if sa == "*" {
        return Some(Source::Namespace(ns));
    }
    Some(Source::Identity(Identity {
        namespace: ns,
        service_account: Name::new(sa).ok()?,
    }))
}

/// Servers, authorization policies, rate limits.
pub(crate) fn authorization(
    lx: &mut Lx<'_>,
    objects: &[LinkerdObject],
    ns_info: &BTreeMap<String, NsInfo>,
) {
    // Servers → service ports.
    let mut servers: BTreeMap<(String, String), ServerTarget> = BTreeMap::new();
    for o in objects {
        let LinkerdObject::Server(s) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let sel = match &s.spec.selector {
            WorkloadSelector::Pod(l) if l.match_expressions.as_ref().is_none_or(Vec::is_empty) => {
                l.match_labels.clone().unwrap_or_default()
            }
            _ => {
                lx.l.skip_object(
                    &oref,
                    &FieldPath::root().field("spec").field("selector"),
                    "only pods selected by labels can be a model service's workloads: not lifted",
                );
                continue;
            }
        };
        let found = lx.l.mesh.services.iter().find(|svc| {
            svc.namespace.as_str() == ns
                && svc
                    .pod_selector()
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
                    .collect::<BTreeMap<_, _>>()
                    == sel
        });
        let Some(svc) = found else {
            lx.l.skip_object(
                &oref,
                &FieldPath::root().field("spec").field("selector"),
                "selects the pods of no lifted Service: the model authorizes services",
            );
            continue;
        };
        let port = match &s.spec.port {
            LPort::Number(n) => svc
                .ports
                .iter()
                .find(|p| p.target_port.unwrap_or(p.number).get() == n.get()),
            LPort::Name(_) => None,
        };
        let Some(port) = port else {
            lx.l.skip_object(
                &oref,
                &FieldPath::root().field("spec").field("port"),
                format!("not a (numeric target) port of Service {}", svc.reference()),
            );
            continue;
        };
        servers.insert(
            (ns, oref.name.clone()),
            ServerTarget {
                svc: svc.reference(),
                port: port.number,
                access: s.spec.access_policy,
                oref,
            },
        );
    }
    // Policy HTTPRoutes with Server parents → (server, matches).
    let mut server_routes: BTreeMap<(String, String), (String, Vec<RouteMatch>, ObjectRef)> =
        BTreeMap::new();
    for o in objects {
        let LinkerdObject::HttpRoute(r) = o else {
            continue;
        };
        let Some(parent) = r
            .spec
            .parent_refs
            .iter()
            .find(|p| p.kind.as_deref() == Some("Server"))
        else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let Some(gw) = super::services::from_policy_route(r) else {
            continue;
        };
        let mut matches = Vec::new();
        for (k, rule) in gw.spec.rules.iter().enumerate() {
            let rp = FieldPath::root().field("spec").field("rules").index(k);
            if !rule.filters.is_empty() || !rule.backend_refs.is_empty() {
                lx.l.skip(
                    &oref,
                    rp.clone(),
                    "filters and backends of an inbound (Server) route have no neutral meaning",
                );
            }
            if rule.matches.is_empty() {
                matches.push(RouteMatch::default());
            }
            for (j, m) in rule.matches.iter().enumerate() {
                match super::routes::route_match(m) {
                    Ok(m) => matches.push(m),
                    Err(e) => lx.l.skip(&oref, rp.field("matches").index(j), e),
                }
            }
        }
        server_routes.insert(
            (ns, oref.name.clone()),
            (parent.name.clone(), matches, oref),
        );
    }
    let meshtls: BTreeMap<(String, String), (&MeshTlsAuthenticationSpec, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            LinkerdObject::MeshTlsAuthentication(m) => {
                let r = object_ref(o);
                Some((
                    (r.namespace.clone().unwrap_or_default(), r.name.clone()),
                    (&m.spec, r),
                ))
            }
            _ => None,
        })
        .collect();
    let netauth: BTreeMap<(String, String), (&Vec<Network>, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            LinkerdObject::NetworkAuthentication(m) => {
                let r = object_ref(o);
                Some((
                    (r.namespace.clone().unwrap_or_default(), r.name.clone()),
                    (&m.spec.networks, r),
                ))
            }
            _ => None,
        })
        .collect();

    let mut targeted: BTreeSet<(String, String)> = BTreeSet::new();
    let mut grouped: Vec<Grouped> = Vec::new();
    let mut denied: BTreeMap<ServiceRef, (Vec<IpBlock>, ObjectRef)> = BTreeMap::new();
    for o in objects {
        let LinkerdObject::AuthorizationPolicy(ap) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let tp = FieldPath::root().field("spec").field("targetRef");
        let mut server_name = String::new();
        let (scope, to, when_sets): (Scope, Vec<Operation>, Vec<Vec<Condition>>) = match &ap
            .spec
            .target_ref
        {
            PolicyTarget::Server(name) => {
                server_name = name.clone();
                let Some(t) = servers.get(&(ns.clone(), name.clone())) else {
                    lx.l.skip_object(&oref, &tp, format!("Server {name} is not lifted"));
                    continue;
                };
                targeted.insert((ns.clone(), name.clone()));
                (
                    Scope::Service(t.svc.clone()),
                    vec![Operation {
                        ports: vec![t.port],
                        ..Operation::default()
                    }],
                    vec![Vec::new()],
                )
            }
            PolicyTarget::HttpRoute(name) => {
                let Some((server, matches, _)) = server_routes.get(&(ns.clone(), name.clone()))
                else {
                    lx.l.skip_object(
                        &oref,
                        &tp,
                        format!("HTTPRoute {name} (with a Server parent) is not lifted"),
                    );
                    continue;
                };
                let Some(t) = servers.get(&(ns.clone(), server.clone())) else {
                    lx.l.skip_object(
                        &oref,
                        &tp,
                        format!("the route's Server {server} is not lifted"),
                    );
                    continue;
                };
                targeted.insert((ns.clone(), server.clone()));
                server_name = server.clone();
                // One operation per header combination: headers are
                // conditions of the rule.
                let mut groups: Vec<(Vec<Condition>, Vec<Operation>)> = Vec::new();
                let mut ok = true;
                for m in matches {
                    if !m.query.is_empty() {
                        ok = false;
                    }
                    let mut when = Vec::new();
                    for (h, v) in &m.headers {
                        match v {
                            StringMatch::Exact(x) => when.push(Condition::Header {
                                name: h.clone(),
                                values: vec![x.clone()],
                            }),
                            _ => ok = false,
                        }
                    }
                    let op = Operation {
                        methods: m.method.into_iter().collect(),
                        paths: m.path.clone().into_iter().collect(),
                        ports: vec![t.port],
                    };
                    match groups.iter_mut().find(|g| g.0 == when) {
                        Some(g) => g.1.push(op),
                        None => groups.push((when, vec![op])),
                    }
                }
                if !ok {
                    lx.l.skip_object(&oref, &tp, "the route matches query parameters or non-exact headers, which authorization rules cannot say: not lifted");
                    continue;
                }
                let (whens, ops): (Vec<_>, Vec<_>) = groups.into_iter().unzip();
                if whens.len() > 1 {
                    // Several header sets: one rule per set, below.
                    let scope = Scope::Service(t.svc.clone());
                    let sources = objects_sources(lx, &oref, ap, &ns, &meshtls, &netauth);
                    push_policy(
                        lx,
                        sources,
                        &oref,
                        scope,
                        ops,
                        whens,
                        &mut denied,
                        server,
                        &mut grouped,
                    );
                    continue;
                }
                (
                    Scope::Service(t.svc.clone()),
                    ops.into_iter().flatten().collect(),
                    whens,
                )
            }
            PolicyTarget::Namespace(n) => match Name::new(n.as_str()) {
                Ok(n) => (Scope::Namespace(n), Vec::new(), vec![Vec::new()]),
                Err(_) => continue,
            },
            _ => {
                lx.l.skip_object(&oref, &tp, "only Servers, their HTTPRoutes and Namespaces are lifted as authorization targets");
                continue;
            }
        };
        let sources = objects_sources(lx, &oref, ap, &ns, &meshtls, &netauth);
        push_policy(
            lx,
            sources,
            &oref,
            scope,
            vec![to],
            when_sets,
            &mut denied,
            &server_name,
            &mut grouped,
        );
    }
    finish_policies(lx, grouped);
    for (svc, (blocks, oref)) in denied {
        let Ok(name) = Name::new(format!("{}-not-denied", svc.name)) else {
            continue;
        };
        let at = FieldPath::root()
            .field("security")
            .field("authorization")
            .index(lx.l.mesh.security.authorization.len());
        lx.l.origin(at, &oref, FieldPath::root().field("spec").field("networks"));
        lx.l.mesh.security.authorization.push(AuthorizationPolicy {
            name,
            scope: Scope::Service(svc),
            action: AuthzAction::Deny,
            rules: vec![AuthzRule {
                from: blocks.into_iter().map(Source::IpBlock).collect(),
                to: Vec::new(),
                when: Vec::new(),
            }],
        });
    }
    // Servers whose access policy says something of their own.
    let default = lx.l.mesh.security.default_action;
    let mut port_modes: BTreeMap<ServiceRef, (BTreeMap<Port, MtlsMode>, ObjectRef)> =
        BTreeMap::new();
    for ((ns, name), t) in &servers {
        if targeted.contains(&(ns.clone(), name.clone())) {
            continue;
        }
        let ns_policy = ns_info
            .get(ns)
            .and_then(|i| i.policy.clone())
            .unwrap_or_else(|| CLUSTER_DEFAULT.to_owned());
        let Some(access) = t.access else { continue };
        let mine = access_str(access);
        if mine == ns_policy {
            continue;
        }
        let ns_mode =
            lx.l.mesh
                .security
                .mtls
                .overrides
                .iter()
                .find(|o| matches!(&o.scope, Scope::Namespace(n) if n.as_str() == ns))
                .and_then(|o| o.mode)
                .unwrap_or(lx.l.mesh.security.mtls.mode);
        match read_policy(mine) {
            Some((a, Some(m), true)) if a == default && a == DefaultAction::Allow => {
                if m != ns_mode {
                    let e = port_modes.entry(t.svc.clone()).or_insert_with(|| (BTreeMap::new(), t.oref.clone()));
                    e.0.insert(t.port, m);
                }
            }
            _ => lx.l.skip(
                &t.oref,
                FieldPath::root().field("spec").field("accessPolicy"),
                format!("{mine} on this port while its namespace has {ns_policy}: the model's default action is mesh-wide"),
            ),
        }
    }
    for (svc, (ports, oref)) in port_modes {
        let at = FieldPath::root()
            .field("security")
            .field("mtls")
            .field("overrides")
            .index(lx.l.mesh.security.mtls.overrides.len());
        lx.l.origin(
            at,
            &oref,
            FieldPath::root().field("spec").field("accessPolicy"),
        );
        lx.l.mesh.security.mtls.overrides.push(MtlsOverride {
            scope: Scope::Service(svc),
            mode: None,
            ports,
        });
    }
    rate_limits(lx, objects, &servers);
    // Identities policies name that are not services' become declared
    // identities.
    let known = lx.l.mesh.known_identities();
    let mut extra: BTreeSet<Identity> = BTreeSet::new();
    for p in &lx.l.mesh.security.authorization {
        for r in &p.rules {
            for s in &r.from {
                if let Source::Identity(id) = s
                    && !known.contains(id)
                {
                    extra.insert(id.clone());
                }
            }
        }
    }
    for s in &lx.l.mesh.services {
        if let Some(rl) = &s.resilience.rate_limit {
            for o in &rl.overrides {
                extra.extend(o.clients.iter().filter(|c| !known.contains(*c)).cloned());
            }
        }
    }
    lx.l.mesh.identities.extend(extra);
}

fn objects_sources(
    lx: &mut Lx<'_>,
    oref: &ObjectRef,
    ap: &crate::crds::AuthorizationPolicy,
    ns: &str,
    meshtls: &BTreeMap<(String, String), (&MeshTlsAuthenticationSpec, ObjectRef)>,
    netauth: &BTreeMap<(String, String), (&Vec<Network>, ObjectRef)>,
) -> Option<Sources> {
    let mut idents: Option<Vec<Source>> = None;
    let mut nets: Option<Vec<Source>> = None;
    let mut denied = Vec::new();
    let rp = FieldPath::root()
        .field("spec")
        .field("requiredAuthenticationRefs");
    for (k, r) in ap.spec.required_authentication_refs.iter().enumerate() {
        let at = rp.index(k);
        match r {
            AuthenticationRef::MeshTls { name, namespace } => {
                let key = (
                    namespace.clone().unwrap_or_else(|| ns.to_owned()),
                    name.clone(),
                );
                let Some((spec, mref)) = meshtls.get(&key) else {
                    lx.l.skip_object(oref, &at, format!("MeshTLSAuthentication {name} is not among the objects: the policy is not lifted"));
                    return None;
                };
                lx.used.insert(mref.clone());
                let mut out = Vec::new();
                match spec {
                    MeshTlsAuthenticationSpec::Identities(ids) => {
                        for (j, s) in ids.iter().enumerate() {
                            match identity_source(lx, s) {
                                Some(src) => out.push(src),
                                None => {
                                    lx.l.skip(mref, FieldPath::root().field("spec").field("identities").index(j), format!("identity {s:?} is not a service account identity of the mesh's trust domain: the policies requiring it are not lifted"));
                                    lx.l.skip_object(oref, &at, format!("requires MeshTLSAuthentication {name}, whose identity {s:?} the model cannot name"));
                                    return None;
                                }
                            }
                        }
                    }
                    MeshTlsAuthenticationSpec::IdentityRefs(refs) => {
                        for (j, r) in refs.iter().enumerate() {
                            let rns = r.namespace.clone().unwrap_or_else(|| key.0.clone());
                            let src = match (r.kind.as_str(), &r.name) {
                                ("ServiceAccount", Some(n)) => Name::new(n.as_str())
                                    .ok()
                                    .zip(Name::new(rns.as_str()).ok())
                                    .map(|(sa, ns)| {
                                        Source::Identity(Identity {
                                            namespace: ns,
                                            service_account: sa,
                                        })
                                    }),
                                ("ServiceAccount", None) => Some(Source::Authenticated),
                                ("Namespace", Some(n)) => {
                                    Name::new(n.as_str()).ok().map(Source::Namespace)
                                }
                                _ => None,
                            };
                            match src {
                                Some(s) => out.push(s),
                                None => {
                                    lx.l.skip(mref, FieldPath::root().field("spec").field("identityRefs").index(j), "not a service account or namespace: the policies requiring it are not lifted");
                                    lx.l.skip_object(oref, &at, format!("requires MeshTLSAuthentication {name}, which names a client the model cannot"));
                                    return None;
                                }
                            }
                        }
                    }
                }
                if idents.is_some() {
                    lx.l.skip_object(oref, &at, "requires two MeshTLSAuthentications at once, which the model's sources (any of) cannot say: not lifted");
                    return None;
                }
                idents = Some(out);
            }
            AuthenticationRef::ServiceAccount { name, namespace } => {
                let sns = namespace.clone().unwrap_or_else(|| ns.to_owned());
                let Some(id) = Name::new(name.as_str()).ok().zip(Name::new(sns).ok()) else {
                    lx.l.skip_object(oref, &at, "not a valid service account name in the model");
                    return None;
                };
                if idents.is_some() {
                    lx.l.skip_object(oref, &at, "requires two identities at once: not lifted");
                    return None;
                }
                idents = Some(vec![Source::Identity(Identity {
                    namespace: id.1,
                    service_account: id.0,
                })]);
            }
            AuthenticationRef::Network { name, namespace } => {
                let key = (
                    namespace.clone().unwrap_or_else(|| ns.to_owned()),
                    name.clone(),
                );
                let Some((networks, nref)) = netauth.get(&key) else {
                    lx.l.skip_object(oref, &at, format!("NetworkAuthentication {name} is not among the objects: the policy is not lifted"));
                    return None;
                };
                lx.used.insert(nref.clone());
                if !networks.is_empty()
                    && networks
                        .iter()
                        .all(|n| is_all(&n.cidr) && !n.except.is_empty())
                {
                    // All networks except some: a deny by IP block.
                    denied.extend(
                        networks
                            .iter()
                            .flat_map(|n| n.except.iter())
                            .filter_map(cidr_block),
                    );
                    continue;
                }
                let mut out = Vec::new();
                let mut all = 0;
                for (j, n) in networks.iter().enumerate() {
                    if !n.except.is_empty() {
                        lx.l.skip(nref, FieldPath::root().field("spec").field("networks").index(j).field("except"), "a network with exceptions next to other networks: the policies requiring it are not lifted");
                        lx.l.skip_object(
                            oref,
                            &at,
                            format!(
                                "requires NetworkAuthentication {name}, which the model cannot say"
                            ),
                        );
                        return None;
                    }
                    if is_all(&n.cidr) {
                        all += 1;
                    } else if let Some(b) = cidr_block(&n.cidr) {
                        out.push(Source::IpBlock(b));
                    }
                }
                if all > 0 {
                    out = vec![Source::Any];
                }
                if nets.is_some() {
                    lx.l.skip_object(
                        oref,
                        &at,
                        "requires two NetworkAuthentications at once: not lifted",
                    );
                    return None;
                }
                nets = Some(out);
            }
            AuthenticationRef::Other(_) => {
                lx.l.skip_object(
                    oref,
                    &at,
                    "an authentication of another kind: the policy is not lifted",
                );
                return None;
            }
        }
    }
    let from = match (idents, nets) {
        (None, None) => vec![Source::Any],
        (Some(i), None) => i,
        (None, Some(n)) => n,
        // Network AND "any authenticated": the blocks, mTLS required (what
        // the model's IP blocks mean under strict mTLS).
        (Some(i), Some(n)) if i == [Source::Authenticated] => {
            if n == [Source::Any] {
                i
            } else {
                n
            }
        }
        (Some(i), Some(n)) if n == [Source::Any] => i,
        _ => {
            lx.l.skip_object(oref, &rp, "requires an identity and a network at once, which the model's sources (any of) cannot say: not lifted");
            return None;
        }
    };
    Some(Sources { from, denied })
}

/// A model policy being assembled from the AuthorizationPolicies the
/// lowering writes for it (`<server>-<policy>-<rule>-<mtls|net|any>`).
struct Grouped {
    name: Name,
    scope: Scope,
    oref: ObjectRef,
    rules: BTreeMap<usize, AuthzRule>,
}

/// `<policy>` and the rule index from an AuthorizationPolicy's name, when
/// it follows the lowering's convention.
fn parse_name(ap: &str, server: &str) -> Option<(String, usize)> {
    let rest = ap.strip_prefix(server)?.strip_prefix('-')?;
    let rest = ["-mtls", "-net", "-any"]
        .iter()
        .find_map(|s| rest.strip_suffix(s))?;
    let (policy, j) = rest.rsplit_once('-')?;
    Some((policy.to_owned(), j.parse().ok()?))
}

/// Merges operations the way the lowering expands them (paths × methods ×
/// ports): same paths and ports → one method list, then same methods and
/// ports → one path list.
fn merge_ops(into: &mut Vec<Operation>, ops: Vec<Operation>) {
    let mut all = std::mem::take(into);
    all.extend(ops);
    let mut by_paths: Vec<Operation> = Vec::new();
    for op in all {
        match by_paths
            .iter_mut()
            .find(|o| o.paths == op.paths && o.ports == op.ports)
        {
            Some(o) => {
                for m in op.methods {
                    if !o.methods.contains(&m) {
                        o.methods.push(m);
                    }
                }
                o.methods.sort();
            }
            None => by_paths.push(op),
        }
    }
    let mut by_methods: Vec<Operation> = Vec::new();
    for op in by_paths {
        match by_methods
            .iter_mut()
            .find(|o| o.methods == op.methods && o.ports == op.ports)
        {
            Some(o) => {
                for p in op.paths {
                    if !o.paths.contains(&p) {
                        o.paths.push(p);
                    }
                }
            }
            None => by_methods.push(op),
        }
    }
    merge_ports(into, by_methods);
}

/// Merges operations that differ in their ports only.
fn merge_ports(into: &mut Vec<Operation>, ops: Vec<Operation>) {
    for op in ops {
        match into
            .iter_mut()
            .find(|o| o.methods == op.methods && o.paths == op.paths)
        {
            Some(o) => {
                for p in op.ports {
                    if !o.ports.contains(&p) {
                        o.ports.push(p);
                    }
                }
                o.ports.sort();
            }
            None => into.push(op),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn push_policy(
    lx: &mut Lx<'_>,
    sources: Option<Sources>,
    oref: &ObjectRef,
    scope: Scope,
    ops: Vec<Vec<Operation>>,
    whens: Vec<Vec<Condition>>,
    denied: &mut BTreeMap<ServiceRef, (Vec<IpBlock>, ObjectRef)>,
    server: &str,
    grouped: &mut Vec<Grouped>,
) {
    let Some(sources) = sources else { return };
    if !sources.denied.is_empty() {
        if let Scope::Service(s) = &scope {
            let e = denied
                .entry(s.clone())
                .or_insert_with(|| (Vec::new(), oref.clone()));
            for b in sources.denied {
                if !e.0.contains(&b) {
                    e.0.push(b);
                }
            }
        } else {
            lx.l.skip(
                oref,
                FieldPath::root()
                    .field("spec")
                    .field("requiredAuthenticationRefs"),
                "denied networks on a namespace target are not lifted",
            );
        }
    }
    // The lowering's allow-by-default-except-denied-networks policy: the
    // deny is what it says.
    if !server.is_empty() && oref.name == format!("{server}-default-allow") {
        return;
    }
    let (name, first) = match parse_name(&oref.name, server) {
        Some((p, j)) => (p, Some(j)),
        None => (oref.name.clone(), None),
    };
    let Ok(name) = Name::new(name.as_str()) else {
        lx.l.skip(
            oref,
            FieldPath::root().field("metadata").field("name"),
            "not a valid policy name in the model",
        );
        return;
    };
    let g = match grouped
        .iter_mut()
        .position(|g| g.name == name && g.scope == scope && first.is_some())
    {
        Some(i) => &mut grouped[i],
        None => {
            grouped.push(Grouped {
                name,
                scope,
                oref: oref.clone(),
                rules: BTreeMap::new(),
            });
            let Some(g) = grouped.last_mut() else { return };
            g
        }
    };
    for (k, (to, when)) in ops.into_iter().zip(whens).enumerate() {
        // Further header sets of one rule come after the named rules.
        let j = match first {
            Some(j) if k == 0 => j,
            Some(j) => 1_000_000 + j * 1000 + k,
            None => k,
        };
        let r = g.rules.entry(j).or_insert_with(|| AuthzRule {
            from: Vec::new(),
            to: Vec::new(),
            when: when.clone(),
        });
        if r.when != when {
            lx.l.skip(oref, FieldPath::root(), "its header conditions differ from those of the same rule on other ports: not lifted");
            continue;
        }
        for s in &sources.from {
            if !r.from.contains(s) {
                r.from.push(s.clone());
            }
        }
        merge_ops(&mut r.to, to);
    }
}

/// The assembled policies; operations on every port of the service (every
/// HTTP port for L7 operations) need no ports.
fn finish_policies(lx: &mut Lx<'_>, grouped: Vec<Grouped>) {
    let mut grouped = grouped;
    grouped.sort_by(|a, b| a.name.cmp(&b.name));
    for g in grouped {
        let mut rules: Vec<AuthzRule> = g.rules.into_values().collect();
        if let Scope::Service(r) = &g.scope
            && let Some(svc) = lx.l.mesh.service_ref(r)
        {
            for rule in &mut rules {
                for op in &mut rule.to {
                    let mut all: Vec<Port> = svc
                        .ports
                        .iter()
                        .filter(|p| !op.is_l7() || p.protocol.is_l7())
                        .map(|p| p.number)
                        .collect();
                    all.sort();
                    if op.ports == all {
                        op.ports.clear();
                    }
                }
                rule.to.retain(|o| *o != Operation::default());
            }
        }
        let at = FieldPath::root()
            .field("security")
            .field("authorization")
            .index(lx.l.mesh.security.authorization.len());
        lx.l.origin(at, &g.oref, FieldPath::root());
        lx.l.mesh.security.authorization.push(AuthorizationPolicy {
            name: g.name,
            scope: g.scope,
            action: AuthzAction::Allow,
            rules,
        });
    }
}

fn rate_limits(
    lx: &mut Lx<'_>,
    objects: &[LinkerdObject],
    servers: &BTreeMap<(String, String), ServerTarget>,
) {
    for o in objects {
        let LinkerdObject::HttpLocalRateLimitPolicy(p) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let sp = FieldPath::root().field("spec");
        let PolicyTarget::Server(server) = &p.spec.target_ref else {
            lx.l.skip_object(
                &oref,
                &sp.field("targetRef"),
                "only Server targets are lifted",
            );
            continue;
        };
        let Some(t) = servers.get(&(ns.clone(), server.clone())) else {
            lx.l.skip_object(
                &oref,
                &sp.field("targetRef"),
                format!("Server {server} is not lifted"),
            );
            continue;
        };
        let Some(total) = p
            .spec
            .total
            .as_ref()
            .and_then(|t| NonZeroU32::new(t.requests_per_second))
        else {
            lx.l.skip_object(
                &oref,
                &sp.field("total"),
                "the model's rate limit needs a total limit",
            );
            continue;
        };
        let mut overrides = Vec::new();
        for (k, ov) in p.spec.overrides.iter().enumerate() {
            let op = sp.field("overrides").index(k);
            let Some(requests) = NonZeroU32::new(ov.requests_per_second) else {
                lx.l.skip(&oref, op, "a zero limit is not lifted");
                continue;
            };
            let mut clients = Vec::new();
            for (j, c) in ov.client_refs.iter().enumerate() {
                match c {
                    AuthenticationRef::ServiceAccount { name, namespace } => {
                        let cns = namespace.clone().unwrap_or_else(|| ns.clone());
                        if let (Ok(sa), Ok(n)) = (Name::new(name.as_str()), Name::new(cns)) {
                            clients.push(Identity {
                                namespace: n,
                                service_account: sa,
                            });
                        }
                    }
                    _ => lx.l.skip(
                        &oref,
                        op.field("clientRefs").index(j),
                        "only ServiceAccount clients are lifted",
                    ),
                }
            }
            if !clients.is_empty() {
                overrides.push(RateLimitOverride { clients, requests });
            }
        }
        let rl = RateLimit {
            requests: total,
            per: Duration::from_secs(1),
            burst: None,
            per_identity: p
                .spec
                .identity
                .as_ref()
                .and_then(|i| NonZeroU32::new(i.requests_per_second)),
            overrides,
        };
        let (tns, tname) = (t.svc.namespace.to_string(), t.svc.name.to_string());
        if let Some(i) = lx
            .services
            .get(&(tns.clone(), tname.clone()))
            .map(|i| i.index)
        {
            lx.l.origin(
                FieldPath::root()
                    .field("services")
                    .index(i)
                    .field("resilience"),
                &oref,
                sp.clone(),
            );
        }
        if let Some(svc) = lx.service_mut(&tns, &tname) {
            if svc.resilience.rate_limit.is_some() {
                lx.l.skip(
                    &oref,
                    FieldPath::root(),
                    "the service already has a rate limit (one per service in the model)",
                );
                continue;
            }
            svc.resilience.rate_limit = Some(rl);
        }
    }
}
