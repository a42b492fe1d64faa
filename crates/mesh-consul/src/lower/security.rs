//! Security: mTLS modes (ServiceDefaults / ProxyDefaults `mutualTLSMode`,
//! Mesh `allowEnablingPermissiveMutualTLS`), authorization
//! (ServiceIntentions) and JWT (JWTProvider + intention requirements).

use std::collections::{BTreeMap, BTreeSet};

use mesh_model::{
    AuthzAction, AuthzRule, Condition, DefaultAction, Feature, FieldPath, Identity, Jwks, MtlsMode,
    Regex, Scope, Service, Source,
};

use super::Cx;
use super::traffic::{is_l7, method, path_matches};
use crate::crds::{
    HeaderCondition, IntentionAction, IntentionDestination, IntentionHeaderMatch,
    IntentionHttpMatch, IntentionPermission, IntentionSource, JsonWebKeySet, JwtClaim, JwtHeader,
    JwtLocation, JwtProvider, JwtProviderRef, JwtProviderSpec, JwtRequirement, LocalJwks,
    MutualTlsMode, RemoteJwks, ServiceIntentions, ServiceIntentionsSpec, SourceRule,
};

/// Lowers mTLS, JWT and authorization; returns who may call each service
/// (indexed as `mesh.services`), as the emitted intentions say.
pub(crate) fn security(cx: &mut Cx<'_>) -> Vec<Callers> {
    mtls(cx);
    jwt(cx);
    intentions(cx)
}

/// The services intentions let open connections to a destination: a caller
/// refused by them never connects, so nothing configured on it for that
/// destination (upstream limits) can take effect. Consul's precedence: an
/// intention naming the caller beats one naming its namespace, which beats
/// the wildcard.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Callers {
    /// Whether the wildcard source may call.
    pub any: bool,
    /// Consul service names (with their namespace under Enterprise
    /// namespaces) named by a source, and whether that source may call.
    pub names: BTreeMap<(String, Option<String>), bool>,
    /// Namespaces named by a source (Enterprise), and whether it may call.
    pub namespaces: BTreeMap<String, bool>,
}

impl Callers {
    fn add(&mut self, source: &IntentionSource) {
        let allows = match &source.rule {
            SourceRule::Action(a) => *a == IntentionAction::Allow,
            SourceRule::Permissions(ps) => ps.iter().any(|p| p.action == IntentionAction::Allow),
        };
        match (source.name.as_str(), &source.namespace) {
            ("*", Some(ns)) if ns != "*" => {
                self.namespaces.insert(ns.clone(), allows);
            }
            ("*", _) => self.any = allows,
            (name, ns) => {
                self.names.insert((name.to_owned(), ns.clone()), allows);
            }
        }
    }

    /// Whether `s` may call.
    pub fn admits(&self, s: &Service) -> bool {
        let name = s.name.to_string();
        self.names
            .get(&(name.clone(), Some(s.namespace.to_string())))
            .or_else(|| self.names.get(&(name, None)))
            .or_else(|| self.namespaces.get(s.namespace.as_str()))
            .copied()
            .unwrap_or(self.any)
    }
}

/// Lookups the intentions need many times, built once.
struct Ix<'a> {
    /// The first service running as each identity.
    by_identity: BTreeMap<&'a Identity, &'a Service>,
    /// The namespaces each service-account name is known in.
    sa_namespaces: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Ix<'a> {
    fn new(mesh: &'a mesh_model::Mesh, identities: &'a [Identity]) -> Self {
        let mut by_identity = BTreeMap::new();
        for (s, id) in mesh.services.iter().zip(identities) {
            by_identity.entry(id).or_insert(s);
        }
        let mut sa_namespaces: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for id in identities.iter().chain(&mesh.identities) {
            sa_namespaces
                .entry(id.service_account.to_string())
                .or_default()
                .insert(id.namespace.to_string());
        }
        Ix {
            by_identity,
            sa_namespaces,
        }
    }
}

fn consul_mode(m: MtlsMode) -> Option<MutualTlsMode> {
    match m {
        MtlsMode::Strict => Some(MutualTlsMode::Strict),
        MtlsMode::Permissive => Some(MutualTlsMode::Permissive),
        MtlsMode::Disabled => None,
    }
}

/// The services of the model a workload selector selects entirely.
fn selected<'a>(cx: &Cx<'a>, ns: &str, labels: &mesh_model::Labels) -> Vec<&'a Service> {
    cx.mesh
        .services
        .iter()
        .filter(|s| {
            s.namespace == ns && {
                let sel = s.pod_selector();
                labels.iter().all(|(k, v)| sel.get(k) == Some(v))
            }
        })
        .collect()
}

fn mtls(cx: &mut Cx<'_>) {
    let root = FieldPath::root().field("security").field("mtls");
    let mtls = &cx.mesh.security.mtls;
    let mesh_mode = mtls.mode;
    let mut any_permissive = false;
    match mesh_mode {
        MtlsMode::Strict => {}
        MtlsMode::Permissive => {
            any_permissive = true;
            cx.proxy_defaults.mutual_tls_mode = Some(MutualTlsMode::Permissive);
        }
        MtlsMode::Disabled => cx.unsupported(
            Feature::MtlsDisabled,
            root.field("mode"),
            "Consul's mesh always uses mTLS between proxies; use `permissive` to also accept plaintext clients",
        ),
    }
    // Effective mode per service: service/workload scope, then namespace.
    let mut by_service: BTreeMap<(String, String), (u8, MtlsMode)> = BTreeMap::new();
    for (k, o) in mtls.overrides.iter().enumerate() {
        let op = root.field("overrides").index(k);
        if !o.ports.is_empty() {
            cx.unsupported(
                Feature::MtlsPortLevel,
                op.field("ports"),
                "Consul sets the mTLS mode per service, not per port; drop `ports` or split the service",
            );
        }
        let Some(mode) = o.mode else { continue };
        if mode == MtlsMode::Disabled {
            cx.unsupported(
                Feature::MtlsDisabled,
                op.field("mode"),
                "Consul's mesh always uses mTLS between proxies; use `permissive`",
            );
            continue;
        }
        let (rank, services): (u8, Vec<&Service>) = match &o.scope {
            Scope::Mesh => continue,
            Scope::Namespace(n) => (
                1,
                cx.mesh
                    .services
                    .iter()
                    .filter(|s| &s.namespace == n)
                    .collect(),
            ),
            Scope::Service(r) => (2, cx.services.get(r).into_iter().collect()),
            Scope::Workload(w) => {
                let s = selected(cx, w.namespace.as_str(), &w.labels);
                // The mode those pods get anyway: their namespace's, or the mesh's.
                let inherited = mtls
                    .overrides
                    .iter()
                    .find(|n| matches!(&n.scope, Scope::Namespace(ns) if ns == &w.namespace))
                    .and_then(|n| n.mode)
                    .unwrap_or(mesh_mode);
                if s.is_empty() && mode == inherited {
                    cx.l.note(
                        Feature::MtlsStrict,
                        op.field("scope"),
                        "the workloads already get this mode from the enclosing scope; nothing to write",
                    );
                } else if s.is_empty() {
                    cx.unsupported(
                        if mode == MtlsMode::Permissive {
                            Feature::MtlsPermissive
                        } else {
                            Feature::MtlsStrict
                        },
                        op.field("scope"),
                        "Consul sets the mTLS mode per service: the selector must select all pods of a service of the model; add the service or use a service scope",
                    );
                }
                (2, s)
            }
        };
        if matches!(o.scope, Scope::Namespace(_)) {
            cx.l.note(
                Feature::MtlsStrict,
                op.field("scope"),
                "a namespace mode is written on the ServiceDefaults of the model's services in that namespace",
            );
        }
        for s in services {
            let key = (s.namespace.to_string(), s.name.to_string());
            let e = by_service.entry(key).or_insert((rank, mode));
            if rank >= e.0 {
                *e = (rank, mode);
            }
        }
    }
    for ((ns, name), (_, mode)) in by_service {
        if mode == MtlsMode::Permissive {
            any_permissive = true;
        }
        cx.defaults_mut(&ns, &name).mutual_tls_mode = consul_mode(mode);
    }
    if any_permissive {
        cx.mesh_entry.allow_enabling_permissive_mutual_tls = Some(true);
        cx.l.note(
            Feature::MtlsPermissive,
            root,
            "permissive mTLS needs transparent proxy mode and Mesh allowEnablingPermissiveMutualTLS (set); plaintext connections bypass intentions",
        );
    }
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The inverse of [`base64`] (standard alphabet, padding optional);
/// `None` for anything else.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digits: Vec<u32> = text
        .trim_end_matches('=')
        .bytes()
        .map(|b| {
            T.iter()
                .position(|t| *t == b)
                .and_then(|p| u32::try_from(p).ok())
        })
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | (d << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

fn jwt(cx: &mut Cx<'_>) {
    let root = FieldPath::root().field("security").field("jwt");
    let ns = cx.opts.config_namespace.clone();
    for (i, j) in cx.mesh.security.jwt.iter().enumerate() {
        let key_set = match &j.jwks {
            Jwks::Uri(u) => JsonWebKeySet::Remote(RemoteJwks {
                uri: u.clone(),
                ..Default::default()
            }),
            Jwks::Inline(text) => JsonWebKeySet::Local(LocalJwks::Jwks(base64(text.as_bytes()))),
        };
        let locations = if j.forward {
            vec![JwtLocation::Header(JwtHeader {
                name: "Authorization".to_owned(),
                value_prefix: Some("Bearer ".to_owned()),
                forward: Some(true),
            })]
        } else {
            Vec::new()
        };
        if !j.scopes.is_empty() {
            cx.l.note(
                Feature::Jwt,
                root.index(i).field("scopes"),
                "Consul validates tokens where intentions require the provider; the scopes are where authorization rules name this issuer",
            );
        }
        cx.l.emit(JwtProvider::new(
            j.name.as_str(),
            Some(&ns),
            JwtProviderSpec {
                json_web_key_set: Some(key_set),
                issuer: Some(j.issuer.clone()),
                audiences: j.audiences.clone(),
                locations,
                ..Default::default()
            },
        ));
    }
}

/// Who an intention source is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Src {
    /// A Consul service name (and namespace with Enterprise namespaces).
    Name(String, Option<String>),
    /// Every service of a namespace (Enterprise).
    Namespace(String),
    /// Any caller.
    Any,
}

/// A JWT principal: the provider's name and the required subject.
type Principal = (String, Option<String>);

/// One alternative of a rule: a source and, for L7, a permission match.
#[derive(Debug, Clone)]
struct Entry {
    src: Src,
    action: AuthzAction,
    http: Option<IntentionHttpMatch>,
    jwt: Option<JwtRequirement>,
}

impl Entry {
    fn is_l7(&self) -> bool {
        self.http.is_some() || self.jwt.is_some()
    }
}

fn authz_feature(action: AuthzAction) -> Feature {
    match action {
        AuthzAction::Allow => Feature::AuthzAllow,
        AuthzAction::Deny => Feature::AuthzDeny,
    }
}

/// The Consul source name of an identity: consul-k8s requires a pod's
/// service account to be named after its Kubernetes Service, which is the
/// Consul service name.
fn source_name(
    cx: &mut Cx<'_>,
    ix: &Ix<'_>,
    sp: &FieldPath,
    id: &Identity,
    action: AuthzAction,
) -> Option<Src> {
    let sa = id.service_account.as_str();
    if let Some(s) = ix.by_identity.get(id)
        && s.name.as_str() != sa
    {
        cx.unsupported(
            authz_feature(action),
            sp.clone(),
            format!(
                "consul-k8s requires a service's pods to run as a service account named after the service, but `{}/{}` runs as `{sa}`; rename the service account to `{}`",
                s.namespace, s.name, s.name
            ),
        );
        return None;
    }
    let ns = cx
        .opts
        .enterprise_namespaces
        .then(|| id.namespace.to_string());
    if ns.is_none() {
        let clash = ix
            .sa_namespaces
            .get(sa)
            .is_some_and(|nss| nss.iter().any(|n| n != id.namespace.as_str()));
        if clash {
            cx.unsupported(
                authz_feature(action),
                sp.clone(),
                format!(
                    "Consul CE intentions name services without a namespace, and `{sa}` exists in several namespaces; rename one, or set `enterprise_namespaces` for Consul Enterprise"
                ),
            );
            return None;
        }
    }
    Some(Src::Name(sa.to_owned(), ns))
}

fn header_alternatives(values: &[String]) -> Option<HeaderCondition> {
    match values {
        [one] => Some(HeaderCondition::Exact(one.clone())),
        many => {
            let alts: Vec<String> = many
                .iter()
                .map(|v| Regex::literal(v).as_str().to_owned())
                .collect();
            Regex::new(format!("(?:{})", alts.join("|")))
                .ok()
                .map(|r| HeaderCondition::Regex(r.as_str().to_owned()))
        }
    }
}

/// The alternatives of one rule.
fn rule_entries(
    cx: &mut Cx<'_>,
    ix: &Ix<'_>,
    rp: &FieldPath,
    rule: &AuthzRule,
    action: AuthzAction,
    targets: &[&Service],
) -> Vec<Entry> {
    // Sources, each with an optional JWT requirement.
    let mut sources: Vec<(Src, Option<Principal>)> = Vec::new();
    if rule.from.is_empty() {
        sources.push((Src::Any, None));
    }
    for (k, s) in rule.from.iter().enumerate() {
        let sp = rp.field("from").index(k);
        match s {
            Source::Identity(id) => {
                if let Some(src) = source_name(cx, ix, &sp.field("identity"), id, action) {
                    sources.push((src, None));
                }
            }
            Source::Namespace(n) => {
                if cx.opts.enterprise_namespaces {
                    sources.push((Src::Namespace(n.to_string()), None));
                } else {
                    cx.unsupported(
                        authz_feature(action),
                        sp.field("namespace"),
                        "Consul CE intentions name services, not namespaces; list the identities, or set `enterprise_namespaces` for Consul Enterprise with namespace mirroring",
                    );
                }
            }
            Source::IpBlock(_) => cx.unsupported(
                Feature::AuthzIpBlock,
                sp.field("ipBlock"),
                "Consul intentions authorize services, not IP addresses; use identities",
            ),
            Source::JwtPrincipal { issuer, subject } => {
                match cx.mesh.security.jwt.iter().find(|j| &j.issuer == issuer) {
                    Some(j) => {
                        sources.push((Src::Any, Some((j.name.to_string(), subject.clone()))))
                    }
                    None => cx.unsupported(
                        Feature::Jwt,
                        sp.field("jwtPrincipal"),
                        "no JWT provider has this issuer; declare it in `security.jwt`",
                    ),
                }
            }
            Source::Authenticated | Source::Any => sources.push((Src::Any, None)),
        }
    }
    // HTTP alternatives.
    let mut https: Vec<Option<IntentionHttpMatch>> = Vec::new();
    if rule.to.is_empty() {
        https.push(None);
    }
    for (k, op) in rule.to.iter().enumerate() {
        let op_path = rp.field("to").index(k);
        // Ports that cover every port of every destination restrict nothing.
        let covers = !targets.is_empty()
            && targets.iter().all(|s| {
                !s.ports.is_empty() && s.ports.iter().all(|p| op.ports.contains(&p.number))
            });
        if !op.ports.is_empty() && covers {
            cx.l.note(
                Feature::AuthzL7,
                op_path.field("ports"),
                "the ports are all the destination's ports: no restriction to write",
            );
        } else if !op.ports.is_empty() {
            cx.unsupported(
                Feature::AuthzL7,
                op_path.field("ports"),
                "Consul intentions apply to the whole destination service, not to ports; drop `ports` or split the service",
            );
        }
        let methods: Vec<_> = op.methods.iter().copied().map(method).collect();
        if op.paths.is_empty() {
            https.push((!methods.is_empty()).then(|| IntentionHttpMatch {
                methods: methods.clone(),
                ..Default::default()
            }));
        }
        for pm in &op.paths {
            for (path, _) in path_matches(Some(pm), None) {
                https.push(Some(IntentionHttpMatch {
                    path,
                    header: Vec::new(),
                    methods: methods.clone(),
                }));
            }
        }
    }
    // Conditions: headers narrow the HTTP match, claims the JWT.
    let mut headers = Vec::new();
    let mut claims: Vec<Vec<JwtClaim>> = vec![Vec::new()];
    for (k, c) in rule.when.iter().enumerate() {
        let cp = rp.field("when").index(k);
        match c {
            Condition::Header { name, values } => match header_alternatives(values) {
                Some(condition) => headers.push(IntentionHeaderMatch {
                    name: name.as_str().to_owned(),
                    condition,
                    invert: None,
                    ignore_case: None,
                }),
                None => cx.unsupported(
                    Feature::AuthzCondition,
                    cp,
                    "the values are too long to write as one regex; shorten them",
                ),
            },
            Condition::JwtClaim { claim, values } => {
                let path: Vec<String> = claim.split('.').map(str::to_owned).collect();
                claims = claims
                    .into_iter()
                    .flat_map(|base| {
                        values.iter().map({
                            let path = path.clone();
                            move |v| {
                                let mut b = base.clone();
                                b.push(JwtClaim {
                                    path: path.clone(),
                                    value: v.clone(),
                                });
                                b
                            }
                        })
                    })
                    .collect();
            }
        }
    }
    let has_claims = claims.iter().any(|c| !c.is_empty());
    if has_claims && cx.mesh.security.jwt.is_empty() {
        cx.unsupported(
            Feature::AuthzCondition,
            rp.field("when"),
            "claims need a JWT provider; declare one in `security.jwt`",
        );
        return Vec::new();
    }
    let mut out = Vec::new();
    for (src, principal) in &sources {
        for http in &https {
            for cl in &claims {
                let mut http = http.clone();
                if !headers.is_empty() {
                    let h = http.get_or_insert_with(Default::default);
                    h.header.extend(headers.iter().cloned());
                }
                let jwt = match (principal, cl.is_empty()) {
                    (None, true) => None,
                    (Some((provider, subject)), _) => {
                        let mut verify = cl.clone();
                        if let Some(sub) = subject {
                            verify.push(JwtClaim {
                                path: vec!["sub".to_owned()],
                                value: sub.clone(),
                            });
                        }
                        Some(JwtRequirement {
                            providers: vec![JwtProviderRef {
                                name: provider.clone(),
                                verify_claims: verify,
                            }],
                        })
                    }
                    (None, false) => Some(JwtRequirement {
                        providers: cx
                            .mesh
                            .security
                            .jwt
                            .iter()
                            .map(|j| JwtProviderRef {
                                name: j.name.to_string(),
                                verify_claims: cl.clone(),
                            })
                            .collect(),
                    }),
                };
                out.push(Entry {
                    src: src.clone(),
                    action,
                    http,
                    jwt,
                });
            }
        }
    }
    out
}

fn catch_all_http() -> IntentionHttpMatch {
    IntentionHttpMatch {
        path: Some(crate::crds::PathMatch::Prefix("/".to_owned())),
        ..Default::default()
    }
}

fn consul_action(a: AuthzAction) -> IntentionAction {
    match a {
        AuthzAction::Allow => IntentionAction::Allow,
        AuthzAction::Deny => IntentionAction::Deny,
    }
}

fn intentions(cx: &mut Cx<'_>) -> Vec<Callers> {
    let root = FieldPath::root().field("security").field("authorization");
    let mesh = cx.mesh;
    let sec = &mesh.security;
    let identities: Vec<Identity> = mesh.services.iter().map(Service::identity).collect();
    let ix = Ix::new(mesh, &identities);
    // Position of each service, and the policies that apply to each (in
    // policy order), found from the policies' scopes in one pass.
    let position: BTreeMap<(&str, &str), usize> = mesh
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.namespace.as_str(), s.name.as_str()), i))
        .collect();
    let mut in_namespace: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in mesh.services.iter().enumerate() {
        in_namespace
            .entry(s.namespace.as_str())
            .or_default()
            .push(i);
    }
    let mut applicable: Vec<Vec<usize>> = vec![Vec::new(); mesh.services.len()];
    // Entries per policy, computed once.
    let mut per_policy: Vec<Vec<Entry>> = Vec::new();
    for (i, pol) in sec.authorization.iter().enumerate() {
        let pp = root.index(i);
        if let Scope::Workload(w) = &pol.scope
            && selected(cx, w.namespace.as_str(), &w.labels).is_empty()
        {
            cx.unsupported(
                authz_feature(pol.action),
                pp.field("scope"),
                "Consul intentions apply to services: the selector must select all pods of a service of the model; use a service scope",
            );
        }
        let target_ix: Vec<usize> = match &pol.scope {
            Scope::Service(r) => position
                .get(&(r.namespace.as_str(), r.name.as_str()))
                .copied()
                .into_iter()
                .collect(),
            Scope::Workload(w) => selected(cx, w.namespace.as_str(), &w.labels)
                .iter()
                .filter_map(|t| position.get(&(t.namespace.as_str(), t.name.as_str())))
                .copied()
                .collect(),
            Scope::Namespace(n) => in_namespace.get(n.as_str()).cloned().unwrap_or_default(),
            Scope::Mesh => (0..mesh.services.len()).collect(),
        };
        for k in &target_ix {
            applicable[*k].push(i);
        }
        let targets: Vec<&Service> = target_ix.iter().map(|k| &mesh.services[*k]).collect();
        let mut entries = Vec::new();
        for (j, r) in pol.rules.iter().enumerate() {
            entries.extend(rule_entries(
                cx,
                &ix,
                &pp.field("rules").index(j),
                r,
                pol.action,
                &targets,
            ));
        }
        per_policy.push(entries);
    }
    let mesh_default = sec.default_action;
    // Services without intentions of their own follow the wildcard default.
    let mut callers = vec![
        Callers {
            any: mesh_default == DefaultAction::Allow,
            ..Callers::default()
        };
        mesh.services.len()
    ];
    for (si, s) in mesh.services.iter().enumerate() {
        let policies = &applicable[si];
        if policies.is_empty() {
            continue;
        }
        let entries: Vec<&Entry> = policies.iter().flat_map(|i| &per_policy[*i]).collect();
        let has_allow = policies
            .iter()
            .any(|i| sec.authorization[*i].action == AuthzAction::Allow);
        let default = if has_allow {
            AuthzAction::Deny
        } else {
            match mesh_default {
                DefaultAction::Deny => AuthzAction::Deny,
                DefaultAction::Allow => AuthzAction::Allow,
            }
        };
        if !is_l7(s) && entries.iter().any(|e| e.is_l7()) {
            let p = root.index(policies[0]);
            cx.unsupported(
                Feature::AuthzL7,
                p.field("rules"),
                format!(
                    "L7 intentions need an HTTP-family protocol on `{}/{}`; declare its port as http, http2 or grpc",
                    s.namespace, s.name
                ),
            );
            continue;
        }
        // Source keys: every named source, and the wildcard.
        let mut keys: Vec<Src> = entries.iter().map(|e| e.src.clone()).collect();
        keys.push(Src::Any);
        keys.sort();
        keys.dedup();
        let mut sources = Vec::new();
        for key in keys {
            let applicable: Vec<&&Entry> = entries
                .iter()
                .filter(|e| {
                    e.src == key
                        || e.src == Src::Any
                        || matches!((&e.src, &key), (Src::Namespace(n), Src::Name(_, Some(m))) if n == m)
                })
                .collect();
            let ordered: Vec<&&Entry> = applicable
                .iter()
                .filter(|e| e.action == AuthzAction::Deny)
                .chain(applicable.iter().filter(|e| e.action == AuthzAction::Allow))
                .copied()
                .collect();
            let rule = if ordered.iter().all(|e| !e.is_l7()) {
                let action = if ordered.iter().any(|e| e.action == AuthzAction::Deny) {
                    AuthzAction::Deny
                } else if ordered.iter().any(|e| e.action == AuthzAction::Allow) {
                    AuthzAction::Allow
                } else {
                    default
                };
                SourceRule::Action(consul_action(action))
            } else {
                let mut perms: Vec<IntentionPermission> = ordered
                    .iter()
                    .map(|e| IntentionPermission {
                        action: consul_action(e.action),
                        http: match (&e.http, &e.jwt) {
                            (None, None) => Some(catch_all_http()),
                            (h, _) => h.clone(),
                        },
                        jwt: e.jwt.clone(),
                    })
                    .collect();
                // Consul sends requests no permission matches to its
                // default policy: say the model's default explicitly.
                perms.push(IntentionPermission {
                    action: consul_action(default),
                    http: Some(catch_all_http()),
                    jwt: None,
                });
                SourceRule::Permissions(perms)
            };
            let (name, namespace) = match key {
                Src::Name(n, ns) => (n, ns),
                Src::Namespace(ns) => ("*".to_owned(), Some(ns)),
                Src::Any => (
                    "*".to_owned(),
                    cx.opts.enterprise_namespaces.then(|| "*".to_owned()),
                ),
            };
            sources.push(IntentionSource {
                name,
                namespace,
                partition: None,
                peer: None,
                sameness_group: None,
                description: None,
                rule,
            });
        }
        let mut c = Callers::default();
        for source in &sources {
            c.add(source);
        }
        callers[si] = c;
        cx.l.emit(ServiceIntentions::new(
            s.name.as_str(),
            Some(s.namespace.as_str()),
            ServiceIntentionsSpec {
                destination: Some(IntentionDestination {
                    name: Some(s.name.to_string()),
                    namespace: cx
                        .opts
                        .enterprise_namespaces
                        .then(|| s.namespace.to_string()),
                }),
                sources,
                jwt: None,
            },
        ));
    }
    // The default for every service without intentions of its own.
    let action = match mesh_default {
        DefaultAction::Deny => IntentionAction::Deny,
        DefaultAction::Allow => IntentionAction::Allow,
    };
    let star = cx.opts.enterprise_namespaces.then(|| "*".to_owned());
    let ns = cx.opts.config_namespace.clone();
    cx.l.emit(ServiceIntentions::new(
        "default",
        Some(&ns),
        ServiceIntentionsSpec {
            destination: Some(IntentionDestination {
                name: Some("*".to_owned()),
                namespace: star.clone(),
            }),
            sources: vec![IntentionSource {
                name: "*".to_owned(),
                namespace: star,
                partition: None,
                peer: None,
                sameness_group: None,
                description: None,
                rule: SourceRule::Action(action),
            }],
            jwt: None,
        },
    ));
    callers
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_rfc4648() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(i.as_bytes()), o);
            assert_eq!(super::base64_decode(o).as_deref(), Some(i.as_bytes()));
        }
    }
}
