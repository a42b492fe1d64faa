//! PeerAuthentication, AuthorizationPolicy, RequestAuthentication.

use std::collections::BTreeMap;

use mesh_model::lift::ObjectRef;
use mesh_model::{
    AuthorizationPolicy, AuthzAction, AuthzRule, Condition, DefaultAction, FieldPath, HeaderName,
    HttpPath, IpBlock, Jwks, JwtProvider, MtlsMode, MtlsOverride, Name, Operation, PathMatch, Port,
    Regex, Scope, ServiceRef, Source, WorkloadSelector,
};

use super::{Cx, Origin, labels, object_ref};
use crate::crds::{self, AuthorizationAction, PolicySelector, PolicyTarget};
use crate::lower::IstioObject;

fn istio_mode(m: Option<crds::MtlsMode>) -> Option<MtlsMode> {
    match m? {
        crds::MtlsMode::Strict => Some(MtlsMode::Strict),
        crds::MtlsMode::Permissive => Some(MtlsMode::Permissive),
        crds::MtlsMode::Disable => Some(MtlsMode::Disabled),
        crds::MtlsMode::Unset => None,
    }
}

fn selector_labels(s: &PolicySelector) -> BTreeMap<String, String> {
    s.match_labels
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
        .collect()
}

/// The scope of a policy in `ns` with `selector`: mesh (root namespace, no
/// selector), namespace, a service (its pod selector) or workloads.
fn scope(cx: &Cx<'_>, ns: &str, selector: Option<&PolicySelector>) -> Option<Scope> {
    let n = Name::new(ns).ok()?;
    let Some(sel) = selector.map(selector_labels).filter(|l| !l.is_empty()) else {
        return Some(if ns == cx.opts.root_namespace {
            Scope::Mesh
        } else {
            Scope::Namespace(n)
        });
    };
    if let Some((sns, name)) = cx.service_by_selector(ns, &sel) {
        return Some(Scope::Service(ServiceRef::new(&name, &sns).ok()?));
    }
    Some(Scope::Workload(WorkloadSelector {
        namespace: n,
        labels: labels(&sel)?,
    }))
}

/// The service port whose workload port is `workload` (a port key of a
/// policy), for a service scope; the port itself otherwise.
fn service_port(cx: &Cx<'_>, scope: &Scope, workload: Port) -> Option<Port> {
    let Scope::Service(r) = scope else {
        return Some(workload);
    };
    let d = cx
        .services
        .get(&(r.namespace.to_string(), r.name.to_string()))?;
    let ports = &d.service.ports;
    if ports.is_empty() {
        return Some(workload);
    }
    ports
        .iter()
        .find(|p| p.target_port.unwrap_or(p.number) == workload)
        .map(|p| p.number)
}

// === mTLS ===

pub(crate) fn peer_authentications(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::PeerAuthentication(pa) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = pa.namespace().unwrap_or("default").to_owned();
        let spec = &pa.spec;
        let Some(scope) = scope(cx, &ns, spec.selector.as_ref()) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("selector"),
                "invalid namespace or labels",
            );
            continue;
        };
        let mode = istio_mode(spec.mtls.as_ref().and_then(|m| m.mode));
        let mut ports = BTreeMap::new();
        for (key, m) in spec.port_level_mtls.iter().flatten() {
            let ppath = FieldPath::root()
                .field("spec")
                .field("portLevelMtls")
                .key(&key.port().to_string());
            let Some(pm) = istio_mode(m.mode) else {
                continue; // UNSET inherits, as absence does
            };
            if matches!(scope, Scope::Mesh | Scope::Namespace(_)) {
                cx.skip(
                    &r,
                    ppath,
                    "port-level modes apply only with a selector (Istio ignores them here)",
                );
                continue;
            }
            match Port::new(u32::from(key.port().get()))
                .ok()
                .and_then(|p| service_port(cx, &scope, p))
            {
                Some(p) => {
                    ports.insert(p, pm);
                }
                None => cx.skip(&r, ppath, "no port of the service has this workload port"),
            }
        }
        match scope {
            Scope::Mesh => {
                if cx.mesh_mtls_seen {
                    cx.skip(
                        &r,
                        FieldPath::root().field("spec"),
                        "a second mesh-wide PeerAuthentication (Istio uses the oldest)",
                    );
                    continue;
                }
                cx.mesh_mtls_seen = true;
                cx.mesh.security.mtls.mode = mode.unwrap_or(MtlsMode::Permissive);
            }
            scope => {
                if mode.is_none() && ports.is_empty() {
                    continue; // says nothing beyond inheriting
                }
                if cx
                    .mesh
                    .security
                    .mtls
                    .overrides
                    .iter()
                    .any(|x| x.scope == scope)
                {
                    cx.skip(
                        &r,
                        FieldPath::root().field("spec"),
                        "a second PeerAuthentication for the same workloads",
                    );
                    continue;
                }
                cx.override_origins.push(Origin {
                    object: r.clone(),
                    path: FieldPath::root().field("spec"),
                });
                cx.mesh
                    .security
                    .mtls
                    .overrides
                    .push(MtlsOverride { scope, mode, ports });
            }
        }
    }
}

// === JWT ===

pub(crate) fn request_authentications(cx: &mut Cx<'_>) {
    let mut providers: Vec<(JwtProvider, Origin)> = Vec::new();
    for o in cx.objects {
        let IstioObject::RequestAuthentication(ra) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = ra.namespace().unwrap_or("default").to_owned();
        let spec = &ra.spec;
        let selector = match &spec.target {
            None => None,
            Some(PolicyTarget::Selector(s)) => Some(s),
            Some(_) => {
                cx.skip(
                    &r,
                    FieldPath::root().field("spec").field("targetRefs"),
                    "policies attached with targetRefs (waypoints, gateways) are not lifted",
                );
                continue;
            }
        };
        let Some(scope) = scope(cx, &ns, selector) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("selector"),
                "invalid namespace or labels",
            );
            continue;
        };
        for (i, rule) in spec.jwt_rules.iter().enumerate() {
            let path = FieldPath::root().field("spec").field("jwtRules").index(i);
            let (Some(issuer), Some(jwks)) = (&rule.issuer, &rule.jwks) else {
                cx.skip(
                    &r,
                    path,
                    "a rule without issuer or jwks (OIDC discovery) is not in the model",
                );
                continue;
            };
            let jwks = match jwks {
                crds::Jwks::Uri(u) | crds::Jwks::UriSnakeCase(u) => {
                    Jwks::Uri(u.as_str().to_owned())
                }
                crds::Jwks::Inline(s) => Jwks::Inline(s.clone()),
            };
            for (set, field) in [
                (!rule.from_headers.is_empty(), "fromHeaders"),
                (!rule.from_params.is_empty(), "fromParams"),
                (!rule.from_cookies.is_empty(), "fromCookies"),
                (
                    rule.output_payload_to_header.is_some(),
                    "outputPayloadToHeader",
                ),
                (
                    !rule.output_claim_to_headers.is_empty(),
                    "outputClaimToHeaders",
                ),
                (rule.timeout.is_some(), "timeout"),
                (
                    !rule.space_delimited_claims.is_empty(),
                    "spaceDelimitedClaims",
                ),
            ] {
                if set {
                    cx.skip(&r, path.field(field), "not in the model");
                }
            }
            let audiences: Vec<String> = rule
                .audiences
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect();
            let forward = rule.forward_original_token == Some(true);
            let same = providers.iter_mut().find(|(p, _)| {
                p.issuer == issuer.as_str()
                    && p.jwks == jwks
                    && p.audiences == audiences
                    && p.forward == forward
            });
            if let Some((p, _)) = same {
                if !p.scopes.contains(&scope) {
                    p.scopes.push(scope.clone());
                }
                continue;
            }
            // The lowering names objects <provider> or <provider>-<service>.
            let base = match &scope {
                Scope::Service(s) => r
                    .name
                    .strip_suffix(&format!("-{}", s.name))
                    .unwrap_or(&r.name)
                    .to_owned(),
                _ => r.name.clone(),
            };
            let base = if spec.jwt_rules.len() > 1 {
                format!("{base}-{i}")
            } else {
                base
            };
            let mut name = base.clone();
            let mut k = 2;
            while providers.iter().any(|(p, _)| p.name == name.as_str()) {
                name = format!("{base}-{k}");
                k += 1;
            }
            let Ok(name) = Name::new(name.as_str()) else {
                cx.skip(
                    &r,
                    path,
                    "no valid provider name can be made from the object's name",
                );
                continue;
            };
            providers.push((
                JwtProvider {
                    name,
                    issuer: issuer.as_str().to_owned(),
                    jwks,
                    audiences,
                    scopes: vec![scope.clone()],
                    forward,
                },
                Origin {
                    object: r.clone(),
                    path,
                },
            ));
        }
    }
    for (mut p, origin) in providers {
        // Mesh-wide is the model's default (no scopes).
        if p.scopes == [Scope::Mesh] {
            p.scopes.clear();
        }
        cx.mesh.security.jwt.push(p);
        cx.jwt_origins.push(origin);
    }
}

// === authorization ===

pub(crate) fn authorization_policies(cx: &mut Cx<'_>) {
    let mut admits_ingress = Vec::new();
    for o in cx.objects {
        let IstioObject::AuthorizationPolicy(ap) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = ap.namespace().unwrap_or("default").to_owned();
        let spec = &ap.spec;
        let selector = match &spec.target {
            None => None,
            Some(PolicyTarget::Selector(s)) => Some(s),
            Some(_) => {
                cx.skip(
                    &r,
                    FieldPath::root().field("spec").field("targetRefs"),
                    "policies attached with targetRefs (waypoints, gateways) are not lifted",
                );
                continue;
            }
        };
        let action = match &spec.action {
            None | Some(AuthorizationAction::Allow) => AuthzAction::Allow,
            Some(AuthorizationAction::Deny) => AuthzAction::Deny,
            Some(other) => {
                let what = match other {
                    AuthorizationAction::Audit => "AUDIT",
                    _ => "CUSTOM",
                };
                cx.skip(
                    &r,
                    FieldPath::root().field("spec").field("action"),
                    format!("{what} policies are not in the model"),
                );
                continue;
            }
        };
        let rules = spec.rules.as_deref().unwrap_or_default();
        let no_selector = selector.is_none_or(|s| s.match_labels.is_empty());
        // The root-namespace allow-nothing policy: deny by default.
        if rules.is_empty()
            && no_selector
            && action == AuthzAction::Allow
            && ns == cx.opts.root_namespace
        {
            cx.mesh.security.default_action = DefaultAction::Deny;
            continue;
        }
        // The policy admitting traffic into the ingress gateway.
        if ns == cx.opts.ingress_gateway_namespace
            && action == AuthzAction::Allow
            && selector.map(selector_labels).as_ref() == Some(&cx.opts.ingress_selector)
            && rules == [crds::Rule::default()]
        {
            admits_ingress.push(r);
            continue;
        }
        if rules.is_empty() {
            let why = match action {
                AuthzAction::Allow => {
                    "an ALLOW policy without rules denies everything it selects; the model says that only \
                     mesh-wide (deny-by-default)"
                }
                AuthzAction::Deny => "a DENY policy without rules matches nothing",
            };
            cx.skip(&r, FieldPath::root().field("spec").field("rules"), why);
            continue;
        }
        let Some(scope) = scope(cx, &ns, selector) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("selector"),
                "invalid namespace or labels",
            );
            continue;
        };
        let Ok(name) = Name::new(r.name.as_str()) else {
            cx.skip(
                &r,
                FieldPath::root().field("metadata").field("name"),
                "not a valid policy name",
            );
            continue;
        };
        let mut out = Vec::new();
        for (j, rule) in rules.iter().enumerate() {
            let path = FieldPath::root().field("spec").field("rules").index(j);
            if let Some(x) = lift_rule(cx, &r, rule, &scope, &path) {
                out.push(x);
            }
        }
        if out.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("rules"),
                "no rule could be lifted; the policy is not lifted",
            );
            continue;
        }
        if action == AuthzAction::Deny {
            unscope_deny(cx, &scope, &mut out);
        }
        cx.policy_origins.push(Origin {
            object: r.clone(),
            path: FieldPath::root().field("spec"),
        });
        cx.mesh.security.authorization.push(AuthorizationPolicy {
            name,
            scope,
            action,
            rules: out,
        });
    }
    let gateways = cx
        .objects
        .iter()
        .any(|o| matches!(o, IstioObject::Gateway(_)));
    for r in admits_ingress {
        if cx.mesh.security.default_action != DefaultAction::Deny || !gateways {
            cx.skip(
                &r,
                FieldPath::root().field("spec"),
                "admits every request into the ingress gateway; the model writes this only for an ingress \
                 under deny-by-default",
            );
        }
    }
}

/// The lowering limits DENY rules with HTTP attributes to the service's
/// HTTP ports (an operation with just those ports when the rule had
/// none): those ports are the service's, not the policy's.
fn unscope_deny(cx: &Cx<'_>, scope: &Scope, rules: &mut [AuthzRule]) {
    let Scope::Service(r) = scope else { return };
    let Some(d) = cx
        .services
        .get(&(r.namespace.to_string(), r.name.to_string()))
    else {
        return;
    };
    let http: Vec<Port> = d
        .service
        .ports
        .iter()
        .filter(|p| p.protocol.is_l7())
        .map(|p| p.number)
        .collect();
    if http.is_empty() {
        return;
    }
    for rule in rules.iter_mut() {
        if rule.to.is_empty() || !rule.to.iter().all(|op| op.ports == http) {
            continue;
        }
        let stripped: Vec<Operation> = rule
            .to
            .iter()
            .map(|op| Operation {
                ports: Vec::new(),
                ..op.clone()
            })
            .collect();
        let only_ports = stripped.len() == 1 && stripped[0] == Operation::default();
        let candidate = AuthzRule {
            to: if only_ports { Vec::new() } else { stripped },
            ..rule.clone()
        };
        if candidate.is_l7() {
            *rule = candidate;
        }
    }
}

fn lift_rule(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    rule: &crds::Rule,
    scope: &Scope,
    path: &FieldPath,
) -> Option<AuthzRule> {
    let mut out = AuthzRule::default();
    for (k, f) in rule.from.iter().enumerate() {
        let fpath = path.field("from").index(k).field("source");
        let Some(s) = &f.source else { continue };
        match sources(cx, s) {
            Ok(mut v) => out.from.append(&mut v),
            Err(why) => {
                cx.skip(r, fpath, format!("{why}; the rule is not lifted"));
                return None;
            }
        }
    }
    for (k, t) in rule.to.iter().enumerate() {
        let tpath = path.field("to").index(k).field("operation");
        let Some(op) = &t.operation else {
            out.to.push(Operation::default());
            continue;
        };
        match operation(cx, op, scope) {
            Ok(x) => out.to.push(x),
            Err(why) => {
                cx.skip(r, tpath, format!("{why}; the rule is not lifted"));
                return None;
            }
        }
    }
    for (k, c) in rule.when.iter().enumerate() {
        match condition(c) {
            Ok(x) => out.when.push(x),
            Err(why) => {
                cx.skip(
                    r,
                    path.field("when").index(k),
                    format!("{why}; the rule is not lifted"),
                );
                return None;
            }
        }
    }
    Some(out)
}

/// The model sources of one Istio source (its values are alternatives);
/// `Err` when it says something the model cannot (negations, several
/// attributes at once, wildcards).
fn sources(cx: &Cx<'_>, s: &crds::Source) -> Result<Vec<Source>, String> {
    let unsupported = [
        (&s.not_principals, "notPrincipals"),
        (&s.not_request_principals, "notRequestPrincipals"),
        (&s.not_namespaces, "notNamespaces"),
        (&s.not_service_accounts, "notServiceAccounts"),
        (&s.not_ip_blocks, "notIpBlocks"),
        (&s.not_remote_ip_blocks, "notRemoteIpBlocks"),
        (&s.not_trust_domains, "notTrustDomains"),
        (&s.service_accounts, "serviceAccounts"),
        (&s.remote_ip_blocks, "remoteIpBlocks"),
        (&s.trust_domains, "trustDomains"),
    ];
    if let Some((_, f)) = unsupported.iter().find(|(v, _)| !v.is_empty()) {
        return Err(format!("`{f}` is not in the model"));
    }
    let set = [
        !s.principals.is_empty(),
        !s.request_principals.is_empty(),
        !s.namespaces.is_empty(),
        !s.ip_blocks.is_empty(),
    ];
    if set.iter().filter(|x| **x).count() > 1 {
        return Err(
            "a source that requires several attributes at once is not in the model (its sources are alternatives)"
                .into(),
        );
    }
    let mut out = Vec::new();
    for p in &s.principals {
        if p == "*" {
            out.push(Source::Authenticated);
        } else {
            out.push(Source::Identity(cx.identity(p).ok_or_else(|| {
                format!(
                    "principal {p:?} is not <trust-domain>/ns/<namespace>/sa/<account> of trust domain {}",
                    cx.opts.trust_domain
                )
            })?));
        }
    }
    for rp in &s.request_principals {
        let (issuer, subject) = rp
            .rsplit_once('/')
            .filter(|(i, _)| !i.is_empty() && !i.contains('*'))
            .ok_or_else(|| format!("request principal {rp:?} is not <issuer>/<subject>"))?;
        if !cx.mesh.security.jwt.iter().any(|j| j.issuer == issuer) {
            return Err(format!(
                "request principal {rp:?}: no RequestAuthentication declares issuer {issuer}"
            ));
        }
        out.push(Source::JwtPrincipal {
            issuer: issuer.to_owned(),
            subject: (subject != "*").then(|| subject.to_owned()),
        });
    }
    for n in &s.namespaces {
        out.push(Source::Namespace(Name::new(n.as_str()).map_err(|_| {
            format!("namespace pattern {n:?} is not in the model")
        })?));
    }
    for b in &s.ip_blocks {
        out.push(Source::IpBlock(
            IpBlock::new(b.as_str()).map_err(|e| e.to_string())?,
        ));
    }
    Ok(out)
}

fn operation(cx: &Cx<'_>, op: &crds::Operation, scope: &Scope) -> Result<Operation, String> {
    for (v, f) in [
        (&op.hosts, "hosts"),
        (&op.not_hosts, "notHosts"),
        (&op.not_ports, "notPorts"),
        (&op.not_methods, "notMethods"),
        (&op.not_paths, "notPaths"),
    ] {
        if !v.is_empty() {
            return Err(format!("`{f}` is not in the model"));
        }
    }
    let mut out = Operation::default();
    for m in &op.methods {
        out.methods.push(
            super::traffic::parse_method(m)
                .ok_or_else(|| format!("method {m:?} is not in the model"))?,
        );
    }
    let mut k = 0;
    while k < op.paths.len() {
        let p = &op.paths[k];
        // `/p` followed by `/p/*`: the segment prefix `/p`.
        if op.paths.get(k + 1) == Some(&format!("{p}/*"))
            && let Ok(hp) = HttpPath::new(p.as_str())
        {
            out.paths.push(PathMatch::Prefix(hp));
            k += 2;
            continue;
        }
        out.paths
            .push(auth_path(p).ok_or_else(|| format!("path {p:?} is not in the model"))?);
        k += 1;
    }
    for p in &op.ports {
        let port = p
            .parse::<u32>()
            .ok()
            .and_then(|n| Port::new(n).ok())
            .and_then(|n| service_port(cx, scope, n))
            .ok_or_else(|| format!("port {p:?} is not one of the service's ports"))?;
        out.ports.push(port);
    }
    Ok(out)
}

/// An authorization path: exact, `*` (all), `prefix*`, `*suffix`.
fn auth_path(p: &str) -> Option<PathMatch> {
    if p == "*" || p == "/*" {
        return Some(PathMatch::Prefix(HttpPath::new("/").ok()?));
    }
    if let Some(prefix) = p.strip_suffix('*') {
        return Some(PathMatch::Regex(
            Regex::new(format!("{}.*", Regex::literal(prefix).as_str())).ok()?,
        ));
    }
    if let Some(suffix) = p.strip_prefix('*') {
        return Some(PathMatch::Regex(
            Regex::new(format!(".*{}", Regex::literal(suffix).as_str())).ok()?,
        ));
    }
    match HttpPath::new(p) {
        Ok(hp) => Some(PathMatch::Exact(hp)),
        Err(_) => Some(PathMatch::Regex(Regex::literal(p))),
    }
}

fn condition(c: &crds::Condition) -> Result<Condition, String> {
    if !c.not_values.is_empty() {
        return Err("`notValues` is not in the model".into());
    }
    if let Some(h) = c
        .key
        .strip_prefix("request.headers[")
        .and_then(|k| k.strip_suffix(']'))
    {
        return Ok(Condition::Header {
            name: HeaderName::new(h).map_err(|e| e.to_string())?,
            values: c.values.clone(),
        });
    }
    if let Some(claim) = c
        .key
        .strip_prefix("request.auth.claims[")
        .and_then(|k| k.strip_suffix(']'))
    {
        return Ok(Condition::JwtClaim {
            claim: claim.replace("][", "."),
            values: c.values.clone(),
        });
    }
    Err(format!("condition key {} is not in the model", c.key))
}
