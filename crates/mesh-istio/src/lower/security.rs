//! PeerAuthentication, AuthorizationPolicy, RequestAuthentication.

use std::collections::BTreeMap;

use mesh_model::{
    AuthorizationPolicy as ModelPolicy, AuthzAction, AuthzRule, Condition, DefaultAction, Feature,
    FieldPath, Jwks, JwtProvider, MtlsMode, Operation, PathMatch, Port, Scope, Service, Source,
};

use super::{Cx, plain_labels};
use crate::crds::{
    self, AuthorizationAction, AuthorizationPolicy, AuthorizationPolicySpec, JwksUri, JwtRule,
    MutualTls, NonEmptyString, PeerAuthentication, PeerAuthenticationSpec, PolicySelector,
    PolicyTarget, PortKey, RequestAuthentication, RequestAuthenticationSpec, Rule, RuleFrom,
    RuleTo, TargetRef,
};

pub(crate) fn lower(cx: &mut Cx<'_>) {
    peer_authentication(cx);
    authorization(cx);
    jwt(cx);
}

// === mTLS ===

fn istio_mode(m: MtlsMode) -> crds::MtlsMode {
    match m {
        MtlsMode::Strict => crds::MtlsMode::Strict,
        MtlsMode::Permissive => crds::MtlsMode::Permissive,
        MtlsMode::Disabled => crds::MtlsMode::Disable,
    }
}

/// Whether `scope` covers the workloads of `svc`.
pub(crate) fn applies_to(scope: &Scope, svc: &Service) -> bool {
    match scope {
        Scope::Mesh => true,
        Scope::Namespace(n) => n == &svc.namespace,
        Scope::Service(r) => r.name == svc.name && r.namespace == svc.namespace,
        Scope::Workload(w) => {
            let sel = svc.pod_selector();
            w.namespace == svc.namespace && w.labels.iter().all(|(k, v)| sel.get(k) == Some(v))
        }
    }
}

/// The workload (container) port behind a service port.
pub(crate) fn target_port(svc: &Service, port: Port) -> Port {
    svc.ports
        .iter()
        .find(|p| p.number == port)
        .and_then(|p| p.target_port)
        .unwrap_or(port)
}

/// The mTLS mode the workloads of `svc` accept (on `port`, a service
/// port, when given): the most specific override wins.
pub(crate) fn service_mode(cx: &Cx<'_>, svc: &Service, port: Option<Port>) -> MtlsMode {
    mode_for(&cx.mesh.security.mtls, svc, port)
}

/// The mTLS mode the workloads of `svc` accept under `mtls` (on `port`, a
/// service port, when given): the most specific override wins. Shared by
/// the lowering (client TLS of DestinationRules) and the lift (checking
/// them).
pub(crate) fn mode_for(mtls: &mesh_model::Mtls, svc: &Service, port: Option<Port>) -> MtlsMode {
    let overrides = &mtls.overrides;
    let rank = |s: &Scope| match s {
        Scope::Service(_) => 0,
        Scope::Workload(_) => 1,
        Scope::Namespace(_) => 2,
        Scope::Mesh => 3,
    };
    let mut applicable: Vec<_> = overrides
        .iter()
        .filter(|o| applies_to(&o.scope, svc))
        .collect();
    applicable.sort_by_key(|o| rank(&o.scope));
    if let Some(port) = port {
        for o in &applicable {
            let key = match o.scope {
                Scope::Service(_) => port,
                _ => target_port(svc, port),
            };
            if let Some(m) = o.ports.get(&key) {
                return *m;
            }
        }
    }
    applicable.iter().find_map(|o| o.mode).unwrap_or(mtls.mode)
}

fn peer_authentication(cx: &mut Cx<'_>) {
    let mtls = &cx.mesh.security.mtls;
    let mpath = FieldPath::root().field("security").field("mtls");
    if cx.ambient && mtls.mode == MtlsMode::Disabled {
        cx.ambient_unsupported(
            Feature::MtlsDisabled,
            mpath.field("mode"),
            "ztunnel always speaks mTLS between ambient workloads; use permissive",
        );
    }
    let root = cx.opts.root_namespace.clone();
    let pa = PeerAuthentication::new(
        "default",
        Some(&root),
        PeerAuthenticationSpec {
            selector: None,
            mtls: Some(MutualTls::mode(istio_mode(mtls.mode))),
            port_level_mtls: None,
        },
    );
    let v = cx.opts.api_versions.peer_authentication.clone();
    cx.emit(pa, &v);
    for (k, o) in mtls.overrides.iter().enumerate() {
        let opath = mpath.field("overrides").index(k);
        if cx.ambient
            && (o.mode == Some(MtlsMode::Disabled)
                || o.ports.values().any(|m| *m == MtlsMode::Disabled))
        {
            cx.ambient_unsupported(
                Feature::MtlsDisabled,
                opath.clone(),
                "ztunnel always speaks mTLS between ambient workloads; use permissive",
            );
        }
        let (name, ns, labels, svc) = match &o.scope {
            Scope::Mesh => continue, // rejected by validation
            Scope::Namespace(n) => ("default".to_owned(), n.to_string(), None, None),
            Scope::Service(r) => {
                let svc = cx.services.get(r);
                (
                    r.name.to_string(),
                    r.namespace.to_string(),
                    svc.map(|s| plain_labels(&s.pod_selector())),
                    svc,
                )
            }
            Scope::Workload(w) => (
                workload_name(&w.labels),
                w.namespace.to_string(),
                Some(plain_labels(&w.labels)),
                None,
            ),
        };
        let selector = match labels.map(PolicySelector::labels).transpose() {
            Ok(s) => s,
            Err(e) => {
                cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                continue;
            }
        };
        let ports: BTreeMap<PortKey, MutualTls> = o
            .ports
            .iter()
            .map(|(p, m)| {
                let p = svc.map_or(*p, |s| target_port(s, *p));
                (
                    PortKey::from(
                        std::num::NonZeroU16::new(p.get()).unwrap_or(std::num::NonZeroU16::MIN),
                    ),
                    MutualTls::mode(istio_mode(*m)),
                )
            })
            .collect();
        if !o.ports.is_empty() {
            cx.note(
                Feature::MtlsPortLevel,
                opath.field("ports"),
                "port-level modes are keyed by the workload (target) port",
            );
        }
        let pa = PeerAuthentication::new(
            name,
            Some(&ns),
            PeerAuthenticationSpec {
                selector,
                mtls: o.mode.map(|m| MutualTls::mode(istio_mode(m))),
                port_level_mtls: (!ports.is_empty()).then_some(ports),
            },
        );
        cx.emit(pa, &v);
    }
}

/// A name for the objects of a workload selector: its label values.
pub(crate) fn workload_name(labels: &mesh_model::Labels) -> String {
    let s = labels
        .values()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "workload".to_owned()
    } else {
        s
    }
}

// === authorization ===

/// Namespace and selector of a policy scope.
pub(crate) fn scope_target(
    cx: &Cx<'_>,
    scope: &Scope,
) -> (String, Option<BTreeMap<String, String>>) {
    match scope {
        Scope::Mesh => (cx.opts.root_namespace.clone(), None),
        Scope::Namespace(n) => (n.to_string(), None),
        Scope::Service(r) => (
            r.namespace.to_string(),
            cx.services.get(r).map(|s| plain_labels(&s.pod_selector())),
        ),
        Scope::Workload(w) => (w.namespace.to_string(), Some(plain_labels(&w.labels))),
    }
}

fn authorization(cx: &mut Cx<'_>) {
    let sec = &cx.mesh.security;
    let v = cx.opts.api_versions.authorization_policy.clone();
    if sec.default_action == DefaultAction::Deny {
        let root = cx.opts.root_namespace.clone();
        let ap = AuthorizationPolicy::new(
            "allow-nothing",
            Some(&root),
            AuthorizationPolicySpec::default(),
        );
        cx.emit(ap, &v);
        if cx.ambient {
            ambient_default_deny(cx, &v);
        }
        if !cx.mesh.ingress.is_empty() {
            let ns = cx.opts.ingress_gateway_namespace.clone();
            match PolicySelector::labels(cx.opts.ingress_selector.clone()) {
                Ok(sel) => {
                    let ap = AuthorizationPolicy::new(
                        "allow-ingress",
                        Some(&ns),
                        AuthorizationPolicySpec {
                            target: Some(PolicyTarget::Selector(sel)),
                            action: Some(AuthorizationAction::Allow),
                            rules: Some(vec![Rule::default()]),
                        },
                    );
                    cx.emit(ap, &v);
                    cx.note(
                        Feature::DefaultDeny,
                        FieldPath::root().field("ingress"),
                        "deny-by-default would block the ingress gateway: allow-ingress lets every request into it \
                         (the services behind it still decide)",
                    );
                }
                Err(e) => cx.out.error(mesh_model::LowerError::Option {
                    option: "ingress_selector",
                    message: e.to_string(),
                }),
            }
        }
    }
    for (k, p) in sec.authorization.iter().enumerate() {
        let path = FieldPath::root()
            .field("security")
            .field("authorization")
            .index(k);
        policy(cx, p, &path, &v);
    }
}

fn policy(cx: &mut Cx<'_>, p: &ModelPolicy, path: &FieldPath, version: &str) {
    let svc = match &p.scope {
        Scope::Service(r) => cx.services.get(r),
        _ => None,
    };
    if cx.ambient {
        if let Scope::Service(r) = &p.scope
            && super::traffic::has_waypoint(cx, &r.namespace)
        {
            waypoint_policy(cx, p, svc, r, path, version);
            return;
        }
        let covered = match &p.scope {
            Scope::Mesh => waypoint_namespaces(cx).into_iter().next(),
            Scope::Namespace(n) => super::traffic::has_waypoint(cx, n).then(|| n.clone()),
            Scope::Workload(w) => {
                super::traffic::has_waypoint(cx, &w.namespace).then(|| w.namespace.clone())
            }
            Scope::Service(_) => None,
        };
        if let Some(ns) = covered {
            cx.unsupported(
                Feature::Ambient,
                path.field("scope"),
                format!(
                    "namespace {ns} has a waypoint, and ztunnel sees the waypoint's identity for traffic through it, \
                     so this policy can neither be enforced by ztunnel there nor attached to the waypoint without a \
                     service; scope it to services (policies of services behind a waypoint are attached to it)"
                ),
            );
            return;
        }
        if p.rules.iter().any(AuthzRule::is_l7) {
            cx.unsupported(
                Feature::Ambient,
                path.clone(),
                "L7 rules are enforced by waypoints, which are attached per service: scope the policy to services, \
                 or keep it to L4 attributes (identities, namespaces, IP blocks, ports)",
            );
            return;
        }
    }
    // Workload ports of the service's HTTP ports (for DENY scoping).
    let http_ports: Option<Vec<String>> = svc.map(|s| {
        s.ports
            .iter()
            .filter(|q| q.protocol.is_l7())
            .map(|q| q.target_port.unwrap_or(q.number).to_string())
            .collect()
    });
    let mut rules = Vec::with_capacity(p.rules.len());
    for (j, r) in p.rules.iter().enumerate() {
        let rpath = path.field("rules").index(j);
        let mut rule = rule(cx, r, svc, &rpath);
        if p.action == AuthzAction::Deny && r.is_l7() {
            match &http_ports {
                Some(ports) if !ports.is_empty() => {
                    if rule.to.is_empty() {
                        rule.to.push(RuleTo {
                            operation: Some(crds::Operation::default()),
                        });
                    }
                    for to in &mut rule.to {
                        let op = to.operation.get_or_insert_with(Default::default);
                        if op.ports.is_empty() {
                            op.ports = ports.clone();
                        } else if op.ports.iter().any(|q| !ports.contains(q)) {
                            cx.unsupported(
                                Feature::AuthzDeny,
                                rpath.field("to"),
                                "this deny rule uses HTTP attributes on a non-HTTP port, where Istio would deny all \
                                 traffic; list only HTTP ports",
                            );
                        }
                    }
                    cx.note(
                        Feature::AuthzDeny,
                        rpath.clone(),
                        format!(
                            "scoped to the HTTP ports {} (an Istio DENY with HTTP attributes denies all TCP traffic)",
                            ports.join(", ")
                        ),
                    );
                }
                _ => cx.unsupported(
                    Feature::AuthzDeny,
                    rpath.clone(),
                    "a DENY rule with HTTP attributes denies all TCP traffic in Istio; scope the policy to a \
                     service with an HTTP port so it can be limited to those ports",
                ),
            }
        }
        rules.push(rule);
    }
    let (ns, labels) = scope_target(cx, &p.scope);
    let target = match labels.map(PolicySelector::labels).transpose() {
        Ok(s) => s.map(PolicyTarget::Selector),
        Err(e) => {
            cx.out.error(mesh_model::LowerError::Output(e.to_string()));
            return;
        }
    };
    let ap = AuthorizationPolicy::new(
        p.name.as_str(),
        Some(&ns),
        AuthorizationPolicySpec {
            target,
            action: Some(match p.action {
                AuthzAction::Allow => AuthorizationAction::Allow,
                AuthzAction::Deny => AuthorizationAction::Deny,
            }),
            rules: Some(rules),
        },
    );
    cx.emit(ap, version);
}

fn rule(cx: &mut Cx<'_>, r: &AuthzRule, svc: Option<&Service>, path: &FieldPath) -> Rule {
    let from = if r.from.iter().any(|s| matches!(s, Source::Any)) {
        Vec::new()
    } else {
        r.from
            .iter()
            .map(|s| RuleFrom {
                source: Some(source(cx, s)),
            })
            .collect()
    };
    let to =
        r.to.iter()
            .enumerate()
            .map(|(k, op)| RuleTo {
                operation: Some(operation(cx, op, svc, &path.field("to").index(k))),
            })
            .collect();
    let when = r.when.iter().map(condition).collect();
    Rule { from, to, when }
}

fn source(cx: &Cx<'_>, s: &Source) -> crds::Source {
    let mut out = crds::Source::default();
    match s {
        Source::Identity(id) => out.principals = vec![cx.principal(id)],
        Source::Namespace(n) => out.namespaces = vec![n.to_string()],
        Source::IpBlock(b) => out.ip_blocks = vec![b.to_string()],
        Source::JwtPrincipal { issuer, subject } => {
            out.request_principals =
                vec![format!("{issuer}/{}", subject.as_deref().unwrap_or("*"))];
        }
        Source::Authenticated => out.principals = vec!["*".to_owned()],
        Source::Any => {}
    }
    out
}

fn operation(
    cx: &mut Cx<'_>,
    op: &Operation,
    svc: Option<&Service>,
    path: &FieldPath,
) -> crds::Operation {
    let mut paths = Vec::new();
    for (k, p) in op.paths.iter().enumerate() {
        match p {
            PathMatch::Exact(e) => paths.push(e.to_string()),
            PathMatch::Prefix(_) => match p.segment_prefix_rewrite() {
                Some((exact, _)) => {
                    paths.push(exact.to_string());
                    paths.push(format!("{exact}/*"));
                }
                None => paths.push("/*".to_owned()),
            },
            PathMatch::Regex(re) => match re.literal_prefix() {
                Some(lit) => {
                    cx.note(
                        Feature::AuthzL7,
                        path.field("paths").index(k),
                        format!("regex {re} is the string prefix {lit}*"),
                    );
                    paths.push(format!("{lit}*"));
                }
                None => cx.unsupported(
                    Feature::AuthzL7,
                    path.field("paths").index(k),
                    "Istio authorization paths are exact, `prefix*` or `*suffix` only; write the regex as a \
                     literal followed by `.*`, or list the paths",
                ),
            },
        }
    }
    crds::Operation {
        methods: op.methods.iter().map(|m| m.as_str().to_owned()).collect(),
        paths,
        ports: op
            .ports
            .iter()
            .map(|p| svc.map_or(*p, |s| target_port(s, *p)).to_string())
            .collect(),
        ..crds::Operation::default()
    }
}

fn condition(c: &Condition) -> crds::Condition {
    match c {
        Condition::Header { name, values } => crds::Condition {
            key: format!("request.headers[{}]", name.as_str()),
            values: values.clone(),
            not_values: Vec::new(),
        },
        Condition::JwtClaim { claim, values } => crds::Condition {
            key: format!("request.auth.claims[{}]", claim.replace('.', "][")),
            values: values.clone(),
            not_values: Vec::new(),
        },
    }
}

// === ambient ===

/// `targetRefs` item for the core Service `name` (policies of a service
/// behind a waypoint are attached to the waypoint this way; Istio 1.24+
/// recommends it for per-service waypoint policies).
fn service_ref(name: &str) -> Result<TargetRef, crds::InvalidValue> {
    TargetRef::new("", "Service", name)
}

/// `targetRefs` item for the namespace's waypoint Gateway.
fn waypoint_ref() -> Result<TargetRef, crds::InvalidValue> {
    TargetRef::new(
        "gateway.networking.k8s.io",
        "Gateway",
        super::gamma::WAYPOINT,
    )
}

/// The principal of namespace `ns`'s waypoint: Istio runs the waypoint
/// under a ServiceAccount named after its Gateway.
fn waypoint_principal(cx: &Cx<'_>, ns: &str) -> String {
    format!(
        "{}/ns/{ns}/sa/{}",
        cx.mesh.trust_domain.as_str(),
        super::gamma::WAYPOINT
    )
}

/// The namespaces with a waypoint, sorted.
pub(crate) fn waypoint_namespaces(cx: &Cx<'_>) -> Vec<mesh_model::Name> {
    let mut out: Vec<_> = cx
        .mesh
        .services
        .iter()
        .map(|s| s.namespace.clone())
        .filter(|n| super::traffic::has_waypoint(cx, n))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// An ALLOW rule admitting only the waypoint of `ns`.
fn from_waypoint(cx: &Cx<'_>, ns: &str) -> Rule {
    Rule {
        from: vec![RuleFrom {
            source: Some(crds::Source {
                principals: vec![waypoint_principal(cx, ns)],
                ..crds::Source::default()
            }),
        }],
        ..Rule::default()
    }
}

/// Deny-by-default in ambient mode. The root-namespace allow-nothing
/// policy is enforced by ztunnel, which sees traffic that went through a
/// waypoint with the waypoint's identity: in each namespace with a
/// waypoint, `allow-waypoint` (no selector) lets the waypoint reach the
/// workloads, and `waypoint-allow-nothing` (attached to every service of
/// the namespace) makes the waypoint deny what no policy of the service
/// allows, as a sidecar would.
fn ambient_default_deny(cx: &mut Cx<'_>, version: &str) {
    for ns in waypoint_namespaces(cx) {
        let ap = AuthorizationPolicy::new(
            "allow-waypoint",
            Some(ns.as_str()),
            AuthorizationPolicySpec {
                target: None,
                action: Some(AuthorizationAction::Allow),
                rules: Some(vec![from_waypoint(cx, ns.as_str())]),
            },
        );
        cx.emit(ap, version);
        let refs: Result<Vec<TargetRef>, _> = cx
            .mesh
            .services
            .iter()
            .filter(|s| s.namespace == ns)
            .map(|s| service_ref(s.name.as_str()))
            .collect();
        let refs = match refs {
            Ok(r) => r,
            Err(e) => {
                cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                continue;
            }
        };
        // targetRefs takes at most 16 items.
        for (k, chunk) in refs.chunks(16).enumerate() {
            let name = if k == 0 {
                "waypoint-allow-nothing".to_owned()
            } else {
                format!("waypoint-allow-nothing-{}", k + 1)
            };
            let ap = AuthorizationPolicy::new(
                name,
                Some(ns.as_str()),
                AuthorizationPolicySpec {
                    target: Some(PolicyTarget::TargetRefs(chunk.to_vec())),
                    action: None,
                    rules: None,
                },
            );
            cx.emit(ap, version);
        }
        cx.note(
            Feature::DefaultDeny,
            FieldPath::root().field("security").field("defaultAction"),
            format!(
                "ambient: namespace {ns} has a waypoint: allow-waypoint admits it at ztunnel (which sees the \
                 waypoint's identity), waypoint-allow-nothing makes the waypoint deny what no policy of the service allows"
            ),
        );
    }
}

/// A service-scoped policy of a service behind a waypoint: attached to the
/// waypoint with `targetRefs` to the Service, where L4 and L7 attributes
/// are both enforced with the client's identity. Under default allow, an
/// ALLOW policy also gets `<policy>-ztunnel` on the workloads admitting
/// only the waypoint, so the policy cannot be bypassed by sending to pod
/// IPs (under deny-by-default, `allow-waypoint` does that).
fn waypoint_policy(
    cx: &mut Cx<'_>,
    p: &ModelPolicy,
    svc: Option<&Service>,
    r: &mesh_model::ServiceRef,
    path: &FieldPath,
    version: &str,
) {
    let mut ok = true;
    for (j, rule) in p.rules.iter().enumerate() {
        let rpath = path.field("rules").index(j);
        if rule.from.iter().any(|s| matches!(s, Source::IpBlock(_))) {
            cx.unsupported(
                Feature::Ambient,
                rpath.field("from"),
                "IP blocks in a policy attached to a waypoint are not lowered (the waypoint is not the \
                 connection's first hop); use identities or namespaces, or the sidecar data plane",
            );
            ok = false;
        }
        if rule.to.iter().any(|op| !op.ports.is_empty()) {
            cx.unsupported(
                Feature::Ambient,
                rpath.field("to"),
                "ports in a policy attached to a waypoint are not lowered (service or workload port is not \
                 settled); use paths and methods, or the sidecar data plane",
            );
            ok = false;
        }
    }
    let tcp_ports = svc.is_some_and(|s| s.ports.iter().any(|q| !q.protocol.is_l7()));
    if p.action == AuthzAction::Deny && tcp_ports && p.rules.iter().any(AuthzRule::is_l7) {
        cx.unsupported(
            Feature::Ambient,
            path.clone(),
            "a DENY with HTTP attributes denies all TCP traffic, and a waypoint policy cannot be limited to the \
             HTTP ports here; split the service's TCP ports into another service, or use the sidecar data plane",
        );
        ok = false;
    }
    if !ok {
        return;
    }
    let target = match service_ref(r.name.as_str()) {
        Ok(t) => t,
        Err(e) => {
            cx.out.error(mesh_model::LowerError::Output(e.to_string()));
            return;
        }
    };
    let rules = p
        .rules
        .iter()
        .enumerate()
        .map(|(j, x)| rule(cx, x, svc, &path.field("rules").index(j)))
        .collect();
    let ns = r.namespace.as_str();
    let ap = AuthorizationPolicy::new(
        p.name.as_str(),
        Some(ns),
        AuthorizationPolicySpec {
            target: Some(PolicyTarget::TargetRefs(vec![target])),
            action: Some(match p.action {
                AuthzAction::Allow => AuthorizationAction::Allow,
                AuthzAction::Deny => AuthorizationAction::Deny,
            }),
            rules: Some(rules),
        },
    );
    cx.emit(ap, version);
    let mut message = format!(
        "ambient: attached to the waypoint with targetRefs to Service {}, where the client's identity is seen",
        r.name
    );
    if p.action == AuthzAction::Allow && cx.mesh.security.default_action == DefaultAction::Allow {
        let Some(s) = svc else { return };
        let selector = match PolicySelector::labels(plain_labels(&s.pod_selector())) {
            Ok(sel) => sel,
            Err(e) => {
                cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                return;
            }
        };
        let ap = AuthorizationPolicy::new(
            format!("{}-ztunnel", p.name),
            Some(ns),
            AuthorizationPolicySpec {
                target: Some(PolicyTarget::Selector(selector)),
                action: Some(AuthorizationAction::Allow),
                rules: Some(vec![from_waypoint(cx, ns)]),
            },
        );
        cx.emit(ap, version);
        message.push_str(&format!(
            "; {}-ztunnel makes the workloads accept only the waypoint, so the policy cannot be bypassed",
            p.name
        ));
    } else if p.action == AuthzAction::Deny {
        message.push_str("; traffic sent to pod IPs directly does not pass the waypoint");
    }
    cx.note(Feature::Ambient, path.clone(), message);
}

// === JWT ===

fn jwt(cx: &mut Cx<'_>) {
    let v = cx.opts.api_versions.request_authentication.clone();
    for (k, p) in cx.mesh.security.jwt.iter().enumerate() {
        let path = FieldPath::root().field("security").field("jwt").index(k);
        let Some(rule) = jwt_rule(cx, p, &path) else {
            continue;
        };
        let scopes = if p.scopes.is_empty() {
            vec![Scope::Mesh]
        } else {
            p.scopes.clone()
        };
        for (si, scope) in scopes.iter().enumerate() {
            let name = match scope {
                Scope::Mesh | Scope::Namespace(_) => p.name.to_string(),
                Scope::Service(r) => format!("{}-{}", p.name, r.name),
                Scope::Workload(w) => format!("{}-{}", p.name, workload_name(&w.labels)),
            };
            let (ns, labels) = scope_target(cx, scope);
            let target = if cx.ambient {
                // JWT validation runs in the waypoint: attached to the
                // service, or to the namespace's waypoint.
                let spath = if p.scopes.is_empty() {
                    path.clone()
                } else {
                    path.field("scopes").index(si)
                };
                let target = match scope {
                    Scope::Service(r) => service_ref(r.name.as_str()),
                    Scope::Namespace(_) => waypoint_ref(),
                    Scope::Mesh | Scope::Workload(_) => {
                        cx.unsupported(
                            Feature::Ambient,
                            spath,
                            "JWT validation in ambient mode runs in waypoints, attached to a service or a \
                             namespace's waypoint: scope the provider to namespaces or services",
                        );
                        continue;
                    }
                };
                match target {
                    Ok(t) => {
                        cx.note(
                            Feature::Jwt,
                            spath,
                            "ambient: attached to the waypoint with targetRefs (RequestAuthentication needs a waypoint)",
                        );
                        Some(PolicyTarget::TargetRefs(vec![t]))
                    }
                    Err(e) => {
                        cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                        continue;
                    }
                }
            } else {
                match labels.map(PolicySelector::labels).transpose() {
                    Ok(s) => s.map(PolicyTarget::Selector),
                    Err(e) => {
                        cx.out.error(mesh_model::LowerError::Output(e.to_string()));
                        continue;
                    }
                }
            };
            let ra = RequestAuthentication::new(
                name,
                Some(&ns),
                RequestAuthenticationSpec {
                    target,
                    jwt_rules: vec![rule.clone()],
                },
            );
            cx.emit(ra, &v);
        }
    }
}

fn jwt_rule(cx: &mut Cx<'_>, p: &JwtProvider, path: &FieldPath) -> Option<JwtRule> {
    let bad = |cx: &mut Cx<'_>, field: &str, e: String| {
        cx.out.error(mesh_model::LowerError::Output(format!(
            "{path}.{field}: {e}"
        )));
    };
    let issuer = match NonEmptyString::new(p.issuer.as_str()) {
        Ok(i) => i,
        Err(e) => {
            bad(cx, "issuer", e.to_string());
            return None;
        }
    };
    let jwks = match &p.jwks {
        Jwks::Uri(u) => match JwksUri::new(u.as_str()) {
            Ok(u) => crds::Jwks::Uri(u),
            Err(e) => {
                bad(cx, "jwks.uri", e.to_string());
                return None;
            }
        },
        Jwks::Inline(s) => crds::Jwks::Inline(s.clone()),
    };
    let mut audiences = Vec::new();
    for a in &p.audiences {
        match NonEmptyString::new(a.as_str()) {
            Ok(a) => audiences.push(a),
            Err(e) => bad(cx, "audiences", e.to_string()),
        }
    }
    Some(JwtRule {
        issuer: Some(issuer),
        audiences,
        jwks: Some(jwks),
        forward_original_token: p.forward.then_some(true),
        ..JwtRule::default()
    })
}
