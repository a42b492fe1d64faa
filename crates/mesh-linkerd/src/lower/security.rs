//! Namespaces, mTLS modes, Servers, authorization and rate limits.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::gateway::precedence::may_overlap;
use mesh_k8s::lowering::{meta, namespace};
use mesh_model::{
    AuthzAction, AuthzRule, Condition, DefaultAction, Feature, FieldPath, HeaderName, MtlsMode,
    Operation, PathMatch, Port, Protocol, RouteMatch, Scope, Service, ServicePort, Source,
    StringMatch,
};

use super::traffic::labels;
use super::{Cx, nz, root};
use crate::crds::{
    AccessPolicy, AuthenticationRef, AuthorizationPolicy, AuthorizationPolicySpec, Cidr,
    HttpLocalRateLimitPolicy, HttpLocalRateLimitPolicySpec, HttpRoute, HttpRouteSpec,
    MeshTlsAuthentication, MeshTlsAuthenticationSpec, Network, NetworkAuthentication,
    NetworkAuthenticationSpec, ParentRef, PathMatchType, PolicyTarget, Port as LPort,
    ProxyProtocol, RateLimit, RateLimitOverride, RouteRule, Server, ServerSpec, WorkloadSelector,
};

const AUTHENTICATED: &str = "meshwright-authenticated";
const ALL_NETWORKS: &str = "meshwright-all-networks";

fn ns_mode(cx: &Cx<'_>, ns: &str) -> MtlsMode {
    cx.mesh
        .security
        .mtls
        .overrides
        .iter()
        .find(|o| matches!(&o.scope, Scope::Namespace(n) if n.as_str() == ns))
        .and_then(|o| o.mode)
        .unwrap_or(cx.mesh.security.mtls.mode)
}

fn port_mode(cx: &Cx<'_>, svc: &Service, port: Port) -> MtlsMode {
    let o = cx
        .mesh
        .security
        .mtls
        .overrides
        .iter()
        .find(|o| o.scope == Scope::Service(svc.reference()));
    o.and_then(|o| o.ports.get(&port).copied().or(o.mode))
        .unwrap_or_else(|| ns_mode(cx, svc.namespace.as_str()))
}

fn access(default: DefaultAction, mode: MtlsMode) -> AccessPolicy {
    match (default, mode) {
        (DefaultAction::Deny, _) => AccessPolicy::Deny,
        (DefaultAction::Allow, MtlsMode::Permissive) => AccessPolicy::AllUnauthenticated,
        (DefaultAction::Allow, _) => AccessPolicy::AllAuthenticated,
    }
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

/// Injection and default inbound policy of every namespace in use; refuses
/// disabled mTLS.
pub(crate) fn namespaces_defaults(cx: &mut Cx<'_>) {
    let mtls = &cx.mesh.security.mtls;
    let mp = root().field("security").field("mtls");
    let disabled = "Linkerd always uses mTLS between meshed pods: use permissive (accepts plaintext too) or exclude the workloads from injection";
    if mtls.mode == MtlsMode::Disabled {
        cx.unsupported(Feature::MtlsDisabled, mp.field("mode"), disabled);
    }
    let in_use = cx.mesh.namespaces_in_use();
    for (k, o) in mtls.overrides.iter().enumerate() {
        let op = mp.field("overrides").index(k);
        if o.mode == Some(MtlsMode::Disabled) {
            cx.unsupported(Feature::MtlsDisabled, op.field("mode"), disabled);
        }
        for (port, m) in &o.ports {
            if *m == MtlsMode::Disabled {
                cx.unsupported(
                    Feature::MtlsDisabled,
                    op.field("ports").key(&port.to_string()),
                    disabled,
                );
            }
        }
        if let Scope::Namespace(n) = &o.scope
            && !in_use.contains_key(n)
        {
            cx.note(
                Feature::MtlsStrict,
                op.field("scope"),
                format!("namespace {n} holds nothing of the model and is not listed in `namespaces`: no Namespace object is generated for it"),
            );
        }
    }
    let default = cx.mesh.security.default_action;
    for (k, n) in cx.mesh.namespaces.iter().enumerate() {
        if !n.inject && cx.mesh.services.iter().any(|s| s.namespace == n.name) {
            cx.note(
                Feature::DefaultDeny,
                root().field("namespaces").index(k).field("inject"),
                format!("namespace {} is not injected: its pods have no Linkerd proxy, so no mTLS, authorization or routing applies to them", n.name),
            );
        }
    }
    for (ns, inject) in in_use {
        let mut a = BTreeMap::new();
        a.insert(
            "linkerd.io/inject".to_owned(),
            if inject { "enabled" } else { "disabled" }.to_owned(),
        );
        let mode = ns_mode(cx, ns.as_str());
        if mode != MtlsMode::Disabled {
            a.insert(
                "config.linkerd.io/default-inbound-policy".to_owned(),
                access_str(access(default, mode)).to_owned(),
            );
        }
        cx.ns_annotations
            .entry(ns.to_string())
            .or_default()
            .extend(a);
    }
    for (k, _) in cx.mesh.security.jwt.iter().enumerate() {
        cx.unsupported(
            Feature::Jwt,
            root().field("security").field("jwt").index(k),
            "Linkerd does not validate JWTs: validate them at the ingress controller or in the application",
        );
    }
}

/// The Namespace objects.
pub(crate) fn emit_namespaces(cx: &mut Cx<'_>) {
    let extra: BTreeMap<String, BTreeMap<String, String>> = cx
        .mesh
        .namespaces
        .iter()
        .map(|n| (n.name.to_string(), labels(&n.labels)))
        .collect();
    let all = std::mem::take(&mut cx.ns_annotations);
    for (ns, annotations) in all {
        let l = extra.get(&ns).cloned().unwrap_or_default();
        cx.out.emit(namespace(&ns, l, annotations));
    }
}

/// A Server of one service port.
struct ServerPlan<'a> {
    name: String,
    port: &'a ServicePort,
    mode: MtlsMode,
    /// Route names of per-route (L7) authorizations.
    routes: Vec<String>,
    /// Whether a Server-level AuthorizationPolicy exists.
    server_level: bool,
    /// L7 rules for the overlap check: (path, sources, matches).
    l7: Vec<(FieldPath, Vec<Source>, Vec<RouteMatch>)>,
}

fn proxy_protocol(p: Protocol) -> Option<ProxyProtocol> {
    match p {
        Protocol::Http => None,
        Protocol::Http2 => Some(ProxyProtocol::Http2),
        Protocol::Grpc => Some(ProxyProtocol::Grpc),
        Protocol::Https | Protocol::Tls => Some(ProxyProtocol::Tls),
        Protocol::Tcp => Some(ProxyProtocol::Opaque),
    }
}

fn emit_server(
    cx: &mut Cx<'_>,
    name: &str,
    ns: &str,
    selector: BTreeMap<String, String>,
    port: Port,
    proto: Option<ProxyProtocol>,
    access: AccessPolicy,
) {
    let spec = ServerSpec {
        selector: WorkloadSelector::Pod(LabelSelector {
            match_labels: Some(selector),
            match_expressions: None,
        }),
        port: LPort::Number(nz(port)),
        proxy_protocol: proto,
        access_policy: Some(access),
    };
    let mut s = Server::new(name, Some(ns), spec);
    if let Err(e) = s.set_version(cx.opts.server_version) {
        cx.out.error(mesh_model::LowerError::Option {
            option: "server_version",
            message: e.to_string(),
        });
    }
    cx.emit_once(format!("Server/{ns}/{name}"), s);
}

/// Servers, authorization and rate limits of every service; mTLS
/// overrides of label-selected workloads.
pub(crate) fn authorization(cx: &mut Cx<'_>) {
    let sp = root().field("security");
    let policies = &cx.mesh.security.authorization;
    for (pi, p) in policies.iter().enumerate() {
        let pp = sp.field("authorization").index(pi);
        if p.action == AuthzAction::Deny {
            if ip_deny(p) {
                cx.note(
                    Feature::AuthzDeny,
                    pp.field("action"),
                    "denied networks: every authorization of the services in scope also requires a NetworkAuthentication of all networks except these",
                );
            } else {
                cx.unsupported(
                    Feature::AuthzDeny,
                    pp.field("action"),
                    "Linkerd authorization is allow-only: only deny rules by IP block alone can be written (as `all networks except`); write the complement as allow rules (and keep defaultAction deny)",
                );
            }
        }
        match &p.scope {
            Scope::Workload(_) => cx.unsupported(
                Feature::AuthzAllow,
                pp.field("scope"),
                "Linkerd authorizes Server ports; a label-selected workload has no known ports: make it a service of the model",
            ),
            Scope::Mesh | Scope::Namespace(_) => cx.note(
                Feature::AuthzAllow,
                pp.field("scope"),
                "applied to the Servers of the model's services in scope; other workloads keep their namespace's default inbound policy",
            ),
            Scope::Service(_) => {}
        }
    }
    for (k, o) in cx.mesh.security.mtls.overrides.iter().enumerate() {
        let Scope::Workload(w) = &o.scope else {
            continue;
        };
        let op = sp.field("mtls").field("overrides").index(k);
        let default = cx.mesh.security.default_action;
        let ns_m = ns_mode(cx, w.namespace.as_str());
        if let Some(m) = o.mode
            && m != ns_m
            && m != MtlsMode::Disabled
        {
            if default == DefaultAction::Deny {
                cx.note(
                    if m == MtlsMode::Permissive { Feature::MtlsPermissive } else { Feature::MtlsStrict },
                    op.field("mode"),
                    "no effect on Linkerd: with defaultAction deny the workload's ports deny whatever no policy allows, in either mode",
                );
            } else {
                cx.unsupported(
                    if m == MtlsMode::Permissive { Feature::MtlsPermissive } else { Feature::MtlsStrict },
                    op.field("mode"),
                    "Linkerd sets a label-selected workload's inbound policy per port (Server): list the ports in `ports`, or make the workload a service of the model",
                );
            }
        }
        for (port, m) in &o.ports {
            if *m == MtlsMode::Disabled {
                continue;
            }
            let name = format!("mtls-override-{k}-{port}");
            emit_server(
                cx,
                &name,
                w.namespace.as_str(),
                labels(&w.labels),
                *port,
                None,
                access(default, *m),
            );
        }
    }
    let scoped = scoped_policies(cx.mesh);
    for (i, svc) in cx.mesh.services.iter().enumerate() {
        service(cx, i, svc, &scoped[i]);
    }
}

/// For each service (by position), the authorization policies whose scope
/// is the mesh, its namespace or the service itself, in policy order: one
/// pass over the policies instead of a scan of every policy per service.
fn scoped_policies(mesh: &mesh_model::Mesh) -> Vec<Vec<usize>> {
    let mut position: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut in_namespace: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in mesh.services.iter().enumerate() {
        position
            .entry((s.namespace.as_str(), s.name.as_str()))
            .or_insert(i);
        in_namespace
            .entry(s.namespace.as_str())
            .or_default()
            .push(i);
    }
    let mut out = vec![Vec::new(); mesh.services.len()];
    for (k, p) in mesh.security.authorization.iter().enumerate() {
        match &p.scope {
            Scope::Mesh => out.iter_mut().for_each(|v| v.push(k)),
            Scope::Namespace(n) => {
                for i in in_namespace.get(n.as_str()).into_iter().flatten() {
                    out[*i].push(k);
                }
            }
            Scope::Service(r) => {
                if let Some(i) = position.get(&(r.namespace.as_str(), r.name.as_str())) {
                    out[*i].push(k);
                }
            }
            Scope::Workload(_) => {}
        }
    }
    out
}

/// A deny policy Linkerd can express: every rule denies IP blocks only.
fn ip_deny(p: &mesh_model::AuthorizationPolicy) -> bool {
    !matches!(p.scope, Scope::Workload(_))
        && p.rules.iter().all(|r| {
            r.to.is_empty()
                && r.when.is_empty()
                && !r.from.is_empty()
                && r.from.iter().all(|s| matches!(s, Source::IpBlock(_)))
        })
}

fn identity_string(cx: &Cx<'_>, sa: &str, ns: &str) -> String {
    format!(
        "{sa}.{ns}.serviceaccount.identity.linkerd.{}",
        cx.mesh.trust_domain
    )
}

/// The authentication sets (each ANDed by Linkerd) of which any admits a
/// rule's clients; `None` when a source is unsupported.
fn auth_sets(
    cx: &mut Cx<'_>,
    ns: &str,
    base: &str,
    rule: &AuthzRule,
    mode: MtlsMode,
    rp: &FieldPath,
) -> Option<Vec<(&'static str, Vec<AuthenticationRef>)>> {
    let mut idents = Vec::new();
    let mut nets = Vec::new();
    let mut any = rule.from.is_empty();
    let mut ok = true;
    for (k, s) in rule.from.iter().enumerate() {
        match s {
            Source::Identity(id) => idents.push(identity_string(
                cx,
                id.service_account.as_str(),
                id.namespace.as_str(),
            )),
            Source::Namespace(n) => idents.push(format!(
                "*.{n}.serviceaccount.identity.linkerd.{}",
                cx.mesh.trust_domain
            )),
            Source::Authenticated => idents.push("*".to_owned()),
            Source::Any => any = true,
            Source::IpBlock(b) => match b.as_str().parse::<Cidr>() {
                Ok(c) => nets.push(Network::new(c)),
                Err(e) => {
                    ok = false;
                    cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                }
            },
            Source::JwtPrincipal { .. } => {
                ok = false;
                cx.unsupported(
                    Feature::Jwt,
                    rp.field("from").index(k),
                    "Linkerd does not validate JWTs: authorize by workload identity",
                );
            }
        }
    }
    if !ok {
        return None;
    }
    let mesh_any = |cx: &mut Cx<'_>| {
        cx.emit_once(
            format!("MeshTLSAuthentication/{ns}/{AUTHENTICATED}"),
            MeshTlsAuthentication::new(
                AUTHENTICATED,
                Some(ns),
                MeshTlsAuthenticationSpec::Identities(vec!["*".to_owned()]),
            ),
        );
        AuthenticationRef::MeshTls {
            name: AUTHENTICATED.to_owned(),
            namespace: None,
        }
    };
    if any {
        return Some(vec![(
            "any",
            vec![if mode == MtlsMode::Permissive {
                cx.emit_once(
                    format!("NetworkAuthentication/{ns}/{ALL_NETWORKS}"),
                    NetworkAuthentication::new(
                        ALL_NETWORKS,
                        Some(ns),
                        NetworkAuthenticationSpec {
                            networks: ["0.0.0.0/0", "::/0"]
                                .iter()
                                .filter_map(|c| c.parse().ok())
                                .map(Network::new)
                                .collect(),
                        },
                    ),
                );
                AuthenticationRef::Network {
                    name: ALL_NETWORKS.to_owned(),
                    namespace: None,
                }
            } else {
                mesh_any(cx)
            }],
        )]);
    }
    let mut out = Vec::new();
    if !idents.is_empty() {
        idents.dedup();
        cx.emit_once(
            format!("MeshTLSAuthentication/{ns}/{base}"),
            MeshTlsAuthentication::new(
                base,
                Some(ns),
                MeshTlsAuthenticationSpec::Identities(idents),
            ),
        );
        out.push((
            "mtls",
            vec![AuthenticationRef::MeshTls {
                name: base.to_owned(),
                namespace: None,
            }],
        ));
    }
    if !nets.is_empty() {
        cx.emit_once(
            format!("NetworkAuthentication/{ns}/{base}"),
            NetworkAuthentication::new(
                base,
                Some(ns),
                NetworkAuthenticationSpec { networks: nets },
            ),
        );
        let mut refs = vec![AuthenticationRef::Network {
            name: base.to_owned(),
            namespace: None,
        }];
        if mode != MtlsMode::Permissive {
            refs.push(mesh_any(cx));
        }
        out.push(("net", refs));
    }
    Some(out)
}

fn policy_route_match(m: &RouteMatch) -> crate::crds::RouteMatch {
    crate::crds::RouteMatch {
        path: m.path.as_ref().map(|p| {
            let (t, v) = match p {
                PathMatch::Exact(x) => (PathMatchType::Exact, x.to_string()),
                PathMatch::Prefix(x) => (PathMatchType::PathPrefix, x.to_string()),
                PathMatch::Regex(r) => (PathMatchType::RegularExpression, r.to_string()),
            };
            crate::crds::PathMatch {
                type_: Some(t),
                value: Some(v),
            }
        }),
        headers: m
            .headers
            .iter()
            .map(|(k, v)| {
                let (t, value) = match v {
                    StringMatch::Exact(x) => (None, x.clone()),
                    other => (
                        Some(crate::crds::ValueMatchType::RegularExpression),
                        other.to_regex().map(|r| r.to_string()).unwrap_or_default(),
                    ),
                };
                crate::crds::HeaderMatch {
                    type_: t,
                    name: k.as_str().to_owned(),
                    value,
                }
            })
            .collect(),
        query_params: Vec::new(),
        method: m
            .method
            .and_then(|x| serde_json::from_value(serde_json::Value::from(x.as_str())).ok()),
    }
}

fn policy_route(cx: &mut Cx<'_>, name: &str, ns: &str, server: &str, matches: &[RouteMatch]) {
    let spec = HttpRouteSpec {
        parent_refs: vec![ParentRef::server(server)],
        hostnames: Vec::new(),
        rules: matches
            .chunks(8)
            .map(|c| RouteRule {
                matches: c.iter().map(policy_route_match).collect(),
                ..RouteRule::default()
            })
            .collect(),
    };
    let mut r = HttpRoute::new(name, Some(ns), spec);
    if let Err(e) = r.set_version(cx.opts.policy_http_route_version) {
        cx.out.error(mesh_model::LowerError::Option {
            option: "policy_http_route_version",
            message: e.to_string(),
        });
    }
    cx.emit_once(format!("HTTPRoute/{ns}/{name}"), r);
}

fn authz_policy(
    cx: &mut Cx<'_>,
    name: String,
    ns: &str,
    target: PolicyTarget,
    refs: Vec<AuthenticationRef>,
) {
    cx.emit_once(
        format!("AuthorizationPolicy/{ns}/{name}"),
        AuthorizationPolicy::new(
            name,
            Some(ns),
            AuthorizationPolicySpec {
                target_ref: target,
                required_authentication_refs: refs,
            },
        ),
    );
}

/// The matches of an L7 operation: paths × methods × header values.
fn op_matches(op: &Operation, headers: &[(HeaderName, Vec<String>)]) -> Vec<RouteMatch> {
    let paths: Vec<Option<PathMatch>> = if op.paths.is_empty() {
        vec![None]
    } else {
        op.paths.iter().cloned().map(Some).collect()
    };
    let methods: Vec<Option<mesh_model::Method>> = if op.methods.is_empty() {
        vec![None]
    } else {
        op.methods.iter().copied().map(Some).collect()
    };
    let mut header_sets: Vec<BTreeMap<HeaderName, StringMatch>> = vec![BTreeMap::new()];
    for (h, values) in headers {
        header_sets = header_sets
            .into_iter()
            .flat_map(|set| {
                values.iter().map(move |v| {
                    let mut s = set.clone();
                    s.insert(h.clone(), StringMatch::Exact(v.clone()));
                    s
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for p in &paths {
        for m in &methods {
            for h in &header_sets {
                out.push(RouteMatch {
                    path: p.clone(),
                    method: *m,
                    headers: h.clone(),
                    query: BTreeMap::new(),
                });
            }
        }
    }
    out
}

/// Lowers the authorization of one service; `scoped` are the policies
/// whose scope covers it ([`scoped_policies`]).
fn service(cx: &mut Cx<'_>, i: usize, svc: &Service, scoped: &[usize]) {
    let sp = root().field("security");
    let ns = svc.namespace.as_str();
    let policies = &cx.mesh.security.authorization;
    let applying: Vec<usize> = scoped
        .iter()
        .copied()
        .filter(|k| policies[*k].action == AuthzAction::Allow)
        .collect();
    let mut denied: Vec<Cidr> = Vec::new();
    for p in scoped.iter().map(|k| &policies[*k]) {
        if p.action == AuthzAction::Deny && ip_deny(p) {
            for r in &p.rules {
                for src in &r.from {
                    if let Source::IpBlock(b) = src
                        && let Ok(c) = b.as_str().parse::<Cidr>()
                    {
                        denied.push(c);
                    }
                }
            }
        }
    }
    let default = cx.mesh.security.default_action;
    // With deny by default and no allow policy nothing is allowed: the
    // denied networks change nothing.
    let deny_active =
        !denied.is_empty() && (!applying.is_empty() || default == DefaultAction::Allow);
    let not_denied = deny_active.then(|| {
        let name = format!("{}-not-denied", svc.name);
        let (v4, v6): (Vec<Cidr>, Vec<Cidr>) = denied.iter().partition(|c| match c {
            Cidr::Addr(a) | Cidr::Net(a, _) => a.is_ipv4(),
        });
        let networks = [("0.0.0.0/0", v4), ("::/0", v6)]
            .into_iter()
            .filter_map(|(all, except)| {
                all.parse::<Cidr>()
                    .ok()
                    .map(|cidr| Network { cidr, except })
            })
            .collect();
        cx.emit_once(
            format!("NetworkAuthentication/{ns}/{name}"),
            NetworkAuthentication::new(
                name.clone(),
                Some(ns),
                NetworkAuthenticationSpec { networks },
            ),
        );
        AuthenticationRef::Network {
            name,
            namespace: None,
        }
    });
    let has_override = cx
        .mesh
        .security
        .mtls
        .overrides
        .iter()
        .any(|o| o.scope == Scope::Service(svc.reference()));
    let rate_limit = svc.resilience.rate_limit.as_ref();
    if applying.is_empty() && rate_limit.is_none() && !has_override && !deny_active {
        return;
    }
    if svc.ports.is_empty() {
        let at = root().field("services").index(i).field("ports");
        let hint = "Linkerd attaches policy to Server ports: declare the service's ports";
        if !applying.is_empty() || deny_active {
            cx.unsupported(Feature::AuthzAllow, at.clone(), hint);
        }
        if rate_limit.is_some() {
            cx.unsupported(Feature::RateLimit, at.clone(), hint);
        }
        if applying.is_empty() && rate_limit.is_none() && !deny_active {
            cx.note(
                Feature::MtlsPortLevel,
                at,
                "no ports: the service's mTLS override takes effect through its namespace's default only",
            );
        }
        return;
    }
    let mut servers: Vec<ServerPlan<'_>> = Vec::new();
    for port in &svc.ports {
        let mode = port_mode(cx, svc, port.number);
        if mode == MtlsMode::Disabled {
            continue;
        }
        let name = format!("{}-{}", svc.name, svc.port_name(port));
        let acc = if applying.is_empty() && !deny_active {
            access(default, mode)
        } else {
            AccessPolicy::Deny
        };
        emit_server(
            cx,
            &name,
            ns,
            labels(&svc.pod_selector()),
            port.target_port.unwrap_or(port.number),
            proxy_protocol(port.protocol),
            acc,
        );
        servers.push(ServerPlan {
            name,
            port,
            mode,
            routes: Vec::new(),
            server_level: false,
            l7: Vec::new(),
        });
    }

    let with_deny = |mut refs: Vec<AuthenticationRef>| {
        refs.extend(not_denied.clone());
        refs
    };
    if deny_active && applying.is_empty() {
        // Allow by default, except from the denied networks.
        for s in servers.iter_mut() {
            let mut refs = Vec::new();
            if s.mode != MtlsMode::Permissive {
                cx.emit_once(
                    format!("MeshTLSAuthentication/{ns}/{AUTHENTICATED}"),
                    MeshTlsAuthentication::new(
                        AUTHENTICATED,
                        Some(ns),
                        MeshTlsAuthenticationSpec::Identities(vec!["*".to_owned()]),
                    ),
                );
                refs.push(AuthenticationRef::MeshTls {
                    name: AUTHENTICATED.to_owned(),
                    namespace: None,
                });
            }
            authz_policy(
                cx,
                format!("{}-default-allow", s.name),
                ns,
                PolicyTarget::Server(s.name.clone()),
                with_deny(refs),
            );
            s.server_level = true;
        }
    }
    for pi in applying {
        let policy = &cx.mesh.security.authorization[pi];
        let pp = sp.field("authorization").index(pi);
        for (j, rule) in policy.rules.iter().enumerate() {
            let rp = pp.field("rules").index(j);
            let base = format!("{}-{j}", policy.name);
            let mut headers = Vec::new();
            let mut ok = true;
            for (k, c) in rule.when.iter().enumerate() {
                match c {
                    Condition::Header { name, values } => {
                        headers.push((name.clone(), values.clone()))
                    }
                    Condition::JwtClaim { .. } => {
                        ok = false;
                        cx.unsupported(
                            Feature::AuthzCondition,
                            rp.field("when").index(k),
                            "Linkerd does not read JWT claims: authorize by workload identity",
                        );
                    }
                }
            }
            if !ok {
                continue;
            }
            let all = Operation::default();
            let ops: Vec<(Option<usize>, &Operation)> = if rule.to.is_empty() {
                vec![(None, &all)]
            } else {
                rule.to
                    .iter()
                    .enumerate()
                    .map(|(k, o)| (Some(k), o))
                    .collect()
            };
            for s in servers.iter_mut() {
                let mut l4 = false;
                let mut matches = Vec::new();
                for (k, op) in &ops {
                    let port_ok = op.ports.is_empty()
                        || op
                            .ports
                            .iter()
                            .any(|p| *p == s.port.number || Some(*p) == s.port.target_port);
                    if !port_ok {
                        continue;
                    }
                    if !op.is_l7() && headers.is_empty() {
                        l4 = true;
                    } else if !s.port.protocol.is_l7() {
                        let at = k.map_or_else(|| rp.clone(), |k| rp.field("to").index(k));
                        cx.unsupported(
                            Feature::AuthzL7,
                            at,
                            format!("port {} speaks {}: Linkerd authorizes methods, paths and headers on HTTP ports only; limit the rule to HTTP ports", s.port.number, s.port.protocol.as_str()),
                        );
                    } else {
                        matches.extend(op_matches(op, &headers));
                    }
                }
                let mode = s.mode;
                let sets = if l4 || !matches.is_empty() {
                    match auth_sets(cx, ns, &base, rule, mode, &rp) {
                        Some(sets) => sets,
                        None => continue,
                    }
                } else {
                    continue;
                };
                if l4 {
                    s.server_level = true;
                    for (suffix, refs) in &sets {
                        authz_policy(
                            cx,
                            format!("{}-{base}-{suffix}", s.name),
                            ns,
                            PolicyTarget::Server(s.name.clone()),
                            with_deny(refs.clone()),
                        );
                    }
                } else {
                    let route = format!("{}-{base}", s.name);
                    policy_route(cx, &route, ns, &s.name, &matches);
                    for (suffix, refs) in &sets {
                        authz_policy(
                            cx,
                            format!("{route}-{suffix}"),
                            ns,
                            PolicyTarget::HttpRoute(route.clone()),
                            with_deny(refs.clone()),
                        );
                    }
                    s.routes.push(route);
                    s.l7.push((rp.clone(), rule.from.clone(), matches));
                }
            }
        }
    }

    for s in &servers {
        // A request reaches one route: rules of different clients must not
        // overlap.
        let mut reported = BTreeSet::new();
        for (a_idx, (ap, afrom, am)) in s.l7.iter().enumerate() {
            for (bp, bfrom, bm) in &s.l7[a_idx + 1..] {
                if afrom == bfrom || reported.contains(bp) {
                    continue;
                }
                if am.iter().any(|a| bm.iter().any(|b| may_overlap(a, b))) {
                    reported.insert(bp.clone());
                    cx.unsupported(
                        Feature::AuthzL7,
                        bp.clone(),
                        format!("Linkerd authorizes a request by the one route it matches (the most specific), and this rule's requests can also match {ap}, which allows other clients: make their paths/methods disjoint"),
                    );
                }
            }
        }
        if !s.routes.is_empty() {
            if s.server_level {
                let all = RouteMatch {
                    path: mesh_model::HttpPath::new("/").ok().map(PathMatch::Prefix),
                    ..RouteMatch::default()
                };
                policy_route(cx, &format!("{}-all", s.name), ns, &s.name, &[all]);
            }
            cx.note(
                Feature::AuthzL7,
                root().field("services").index(i),
                format!(
                    "Server {} has per-route authorization: requests matching none of its HTTPRoutes get 404, and kubelet probes need a route and policy of their own",
                    s.name
                ),
            );
        }
    }

    if let Some(rl) = rate_limit {
        rate_limit_policy(cx, i, svc, rl, &servers);
    }
}

fn rps(requests: u32, per: mesh_model::Duration) -> Option<u32> {
    let n = u128::from(requests) * 1_000_000_000;
    let d = u128::from(per.as_nanos());
    (d > 0 && n.is_multiple_of(d))
        .then(|| u32::try_from(n / d).ok())
        .flatten()
}

fn rate_limit_policy(
    cx: &mut Cx<'_>,
    i: usize,
    svc: &Service,
    rl: &mesh_model::RateLimit,
    servers: &[ServerPlan<'_>],
) {
    let p = root()
        .field("services")
        .index(i)
        .field("resilience")
        .field("rateLimit");
    let l7: Vec<&ServerPlan<'_>> = servers.iter().filter(|s| s.port.protocol.is_l7()).collect();
    let [server] = l7.as_slice() else {
        cx.unsupported(
            Feature::RateLimit,
            p,
            "Linkerd limits each Server (port) separately: the service needs exactly one HTTP port for its limit to be the model's",
        );
        return;
    };
    let whole = |cx: &mut Cx<'_>, n: u32, at: FieldPath, feature: Feature| {
        let r = rps(n, rl.per);
        if r.is_none() {
            cx.unsupported(
                feature,
                at,
                format!(
                    "Linkerd limits in whole requests per second, and {n} per {} is {:.3}/s: write a limit that is a whole number per second (e.g. per: 1s)",
                    rl.per,
                    f64::from(n) * 1e9 / rl.per.as_nanos() as f64
                ),
            );
        }
        r
    };
    let total = whole(
        cx,
        rl.requests.get(),
        p.field("requests"),
        Feature::RateLimit,
    );
    let identity = rl.per_identity.map(|n| {
        whole(
            cx,
            n.get(),
            p.field("perIdentity"),
            Feature::RateLimitPerIdentity,
        )
    });
    let mut overrides = Vec::new();
    for (k, o) in rl.overrides.iter().enumerate() {
        let r = whole(
            cx,
            o.requests.get(),
            p.field("overrides").index(k).field("requests"),
            Feature::RateLimitPerIdentity,
        );
        if let Some(r) = r {
            overrides.push(RateLimitOverride {
                requests_per_second: r,
                client_refs: o
                    .clients
                    .iter()
                    .map(|c| AuthenticationRef::ServiceAccount {
                        name: c.service_account.to_string(),
                        namespace: Some(c.namespace.to_string()),
                    })
                    .collect(),
            });
        }
    }
    if rl.burst.is_some() {
        cx.unsupported(
            Feature::RateLimit,
            p.field("burst"),
            "Linkerd's rate limiter has no burst setting: remove burst",
        );
    }
    let Some(total) = total else { return };
    if identity.is_some_and(|i| i.is_none()) {
        return;
    }
    if rl.per.as_nanos() != 1_000_000_000 {
        cx.note(
            Feature::RateLimit,
            p.clone(),
            format!("{} per {} written as {total} requests per second (Linkerd's limiter admits at most one second's worth at once)", rl.requests, rl.per),
        );
    }
    let spec = HttpLocalRateLimitPolicySpec {
        target_ref: PolicyTarget::Server(server.name.clone()),
        total: Some(RateLimit {
            requests_per_second: total,
        }),
        identity: identity.flatten().map(|r| RateLimit {
            requests_per_second: r,
        }),
        overrides,
    };
    let mut m = meta(svc.name.as_str(), Some(svc.namespace.as_str()));
    m.labels = None;
    let mut policy =
        HttpLocalRateLimitPolicy::new(svc.name.to_string(), Some(svc.namespace.as_str()), spec);
    policy.metadata = m;
    cx.out.emit(policy);
}
