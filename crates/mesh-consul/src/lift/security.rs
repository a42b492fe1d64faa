//! ServiceIntentions → authorization; JWTProviders → JWT providers.

use std::collections::BTreeMap;

use mesh_model::{
    AuthorizationPolicy, AuthzAction, AuthzRule, Condition, DefaultAction, FieldPath, HeaderName,
    HttpPath, Identity, Jwks, JwtProvider, Method, Name, Operation, PathMatch, Regex, Scope,
    ServiceRef, Source,
};

use super::{Lx, object_ref};
use crate::crds::{
    self, HeaderCondition, IntentionAction, JsonWebKeySet, JwtLocation, LocalJwks, SourceRule,
};
use crate::lower::ConsulObject;

fn action(a: IntentionAction) -> AuthzAction {
    match a {
        IntentionAction::Allow => AuthzAction::Allow,
        IntentionAction::Deny => AuthzAction::Deny,
    }
}

/// JWTProviders.
pub(crate) fn jwt_providers(lx: &mut Lx<'_>, objects: &[ConsulObject]) {
    for o in objects {
        let ConsulObject::JwtProvider(j) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let sp = FieldPath::root().field("spec");
        let Some(issuer) = j.spec.issuer.clone() else {
            lx.l.skip_object(
                &oref,
                &sp.field("issuer"),
                "the model's JWT providers name their issuer",
            );
            continue;
        };
        let jwks = match &j.spec.json_web_key_set {
            Some(JsonWebKeySet::Remote(r)) => Jwks::Uri(r.uri.clone()),
            Some(JsonWebKeySet::Local(LocalJwks::Jwks(b))) => {
                match crate::lower::base64_decode(b).and_then(|v| String::from_utf8(v).ok()) {
                    Some(t) => Jwks::Inline(t),
                    None => {
                        lx.l.skip_object(
                            &oref,
                            &sp.field("jsonWebKeySet").field("local").field("jwks"),
                            "not base64 text",
                        );
                        continue;
                    }
                }
            }
            _ => {
                lx.l.skip_object(
                    &oref,
                    &sp.field("jsonWebKeySet"),
                    "keys from a file on the proxies' disks are not in the model",
                );
                continue;
            }
        };
        let Ok(name) = Name::new(oref.name.as_str()) else {
            lx.l.skip_object(
                &oref,
                &FieldPath::root().field("metadata").field("name"),
                "not a valid name in the model",
            );
            continue;
        };
        let mut forward = false;
        for (k, l) in j.spec.locations.iter().enumerate() {
            match l {
                JwtLocation::Header(h)
                    if h.name.eq_ignore_ascii_case("authorization")
                        && h.value_prefix.as_deref().is_none_or(|p| p == "Bearer ") =>
                {
                    forward |= h.forward == Some(true);
                }
                _ => lx.l.skip(
                    &oref,
                    sp.field("locations").index(k),
                    "the model reads tokens from the Authorization header",
                ),
            }
        }
        if let Some(JsonWebKeySet::Remote(r)) = &j.spec.json_web_key_set
            && (r.request_timeout_ms.is_some()
                || r.cache_duration.is_some()
                || r.fetch_asynchronously.is_some())
        {
            lx.l.skip(
                &oref,
                sp.field("jsonWebKeySet").field("remote"),
                "fetch settings are not in the model",
            );
        }
        let at = FieldPath::root()
            .field("security")
            .field("jwt")
            .index(lx.l.mesh.security.jwt.len());
        lx.l.origin(at, &oref, FieldPath::root());
        lx.l.mesh.security.jwt.push(JwtProvider {
            name,
            issuer,
            jwks,
            audiences: j.spec.audiences.clone(),
            scopes: Vec::new(),
            forward,
        });
        lx.leftovers(
            &oref,
            &j.spec,
            &["jsonWebKeySet", "issuer", "audiences", "locations"],
        );
    }
}

/// The source of an intention.
fn source(lx: &Lx<'_>, s: &crds::IntentionSource, dest_ns: &str) -> Option<Source> {
    if s.partition.is_some() || s.peer.is_some() || s.sameness_group.is_some() {
        return None;
    }
    match (s.name.as_str(), s.namespace.as_deref()) {
        ("*", None | Some("*")) => Some(Source::Any),
        ("*", Some(ns)) => Name::new(ns).ok().map(Source::Namespace),
        (name, ns) => {
            // Consul CE names services without a namespace: the lifted
            // service of that name, else the destination's namespace.
            let ns = ns.map(str::to_owned).unwrap_or_else(|| {
                let found: Vec<&String> = lx
                    .services
                    .keys()
                    .filter(|(_, n)| n == name)
                    .map(|(ns, _)| ns)
                    .collect();
                match found.as_slice() {
                    [one] => (*one).clone(),
                    _ => dest_ns.to_owned(),
                }
            });
            Some(Source::Identity(Identity {
                namespace: Name::new(ns).ok()?,
                service_account: Name::new(name).ok()?,
            }))
        }
    }
}

/// A permission lifted: its operation, its conditions, its token sources.
type Permission = (Option<Operation>, Vec<Condition>, Vec<Source>);

/// One permission as (operation, header conditions), or why not.
fn permission(lx: &Lx<'_>, p: &crds::IntentionPermission) -> Result<Permission, String> {
    let mut op = None;
    let mut when = Vec::new();
    if let Some(h) = &p.http {
        let methods: Vec<Method> = h
            .methods
            .iter()
            .map(|m| {
                serde_json::to_value(m)
                    .ok()
                    .and_then(|v| serde_json::from_value(v).ok())
                    .ok_or_else(|| "unknown method".to_owned())
            })
            .collect::<Result<_, _>>()?;
        let paths = match &h.path {
            None => Vec::new(),
            Some(crds::PathMatch::Exact(x)) => vec![PathMatch::Exact(
                HttpPath::new(x).map_err(|e| e.to_string())?,
            )],
            Some(crds::PathMatch::Prefix(x)) if x == "/" => vec![PathMatch::Prefix(
                HttpPath::new(x).map_err(|e| e.to_string())?,
            )],
            Some(crds::PathMatch::Prefix(x)) => vec![PathMatch::Regex(
                Regex::new(format!("{}.*", Regex::literal(x).as_str()))
                    .map_err(|e| e.to_string())?,
            )],
            Some(crds::PathMatch::Regex(r)) => vec![PathMatch::Regex(
                r.parse()
                    .map_err(|e: mesh_model::ValueError| e.to_string())?,
            )],
        };
        for hm in &h.header {
            if hm.invert == Some(true) || hm.ignore_case == Some(true) {
                return Err(
                    "inverted or case-insensitive header conditions are not in the model".into(),
                );
            }
            let HeaderCondition::Exact(v) = &hm.condition else {
                return Err("only exact header values are conditions in the model".into());
            };
            when.push(Condition::Header {
                name: HeaderName::new(hm.name.as_str()).map_err(|e| e.to_string())?,
                values: vec![v.clone()],
            });
        }
        op = Some(Operation {
            methods,
            paths,
            ports: Vec::new(),
        });
    }
    let mut from = Vec::new();
    if let Some(j) = &p.jwt {
        let [pr] = j.providers.as_slice() else {
            return Err("a JWT requirement of several providers is not in the model".into());
        };
        let Some(provider) =
            lx.l.mesh
                .security
                .jwt
                .iter()
                .find(|x| x.name == pr.name.as_str())
        else {
            return Err(format!(
                "JWT provider {} is not among the lifted objects",
                pr.name
            ));
        };
        let mut subject = None;
        for c in &pr.verify_claims {
            if c.path == ["sub"] {
                subject = Some(c.value.clone());
            } else {
                when.push(Condition::JwtClaim {
                    claim: c.path.join("."),
                    values: vec![c.value.clone()],
                });
            }
        }
        from.push(Source::JwtPrincipal {
            issuer: provider.issuer.clone(),
            subject,
        });
    }
    Ok((op, when, from))
}

fn is_catch_all(p: &crds::IntentionPermission) -> bool {
    p.jwt.is_none()
        && p.http.as_ref().is_none_or(|h| {
            h.header.is_empty()
                && h.methods.is_empty()
                && match &h.path {
                    None => true,
                    Some(crds::PathMatch::Prefix(x)) => x == "/",
                    Some(_) => false,
                }
        })
}

/// Merges `pathExact P` + `pathPrefix P/` rules (the lowering's segment
/// prefix) into one with the prefix `P`.
fn merge_prefix_pairs(rules: &mut Vec<AuthzRule>) {
    let mut i = 0;
    while i + 1 < rules.len() {
        let (a, b) = (&rules[i], &rules[i + 1]);
        let pair = match (a.to.as_slice(), b.to.as_slice()) {
            ([x], [y]) if x.methods == y.methods && a.from == b.from && a.when == b.when => {
                match (x.paths.as_slice(), y.paths.as_slice()) {
                    ([PathMatch::Exact(e)], [PathMatch::Regex(r)])
                        if r.as_str()
                            == format!(
                                "{}.*",
                                Regex::literal(&format!("{}/", e.as_str())).as_str()
                            ) =>
                    {
                        Some(e.clone())
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(e) = pair {
            if let Some(op) = rules[i].to.first_mut() {
                op.paths = vec![PathMatch::Prefix(e)];
            }
            rules.remove(i + 1);
        }
        i += 1;
    }
}

/// ServiceIntentions.
pub(crate) fn intentions(lx: &mut Lx<'_>, objects: &[ConsulObject]) {
    // The `*` → `*` intention: the default.
    let mut default = None;
    for o in objects {
        let ConsulObject::ServiceIntentions(si) = o else {
            continue;
        };
        if si.spec.destination.as_ref().and_then(|d| d.name.as_deref()) == Some("*")
            && let [src] = si.spec.sources.as_slice()
            && src.name == "*"
            && let SourceRule::Action(a) = &src.rule
        {
            default = Some(action(*a));
            let oref = object_ref(o);
            lx.used.insert(oref.clone());
            lx.leftovers(&oref, &si.spec, &["destination", "sources"]);
        }
    }
    lx.l.mesh.security.default_action = match default {
        Some(AuthzAction::Allow) => DefaultAction::Allow,
        _ => DefaultAction::Deny,
    };
    let mesh_default = lx.l.mesh.security.default_action;
    for o in objects {
        let ConsulObject::ServiceIntentions(si) = o else {
            continue;
        };
        let oref = object_ref(o);
        if lx.used.contains(&oref) {
            continue;
        }
        lx.used.insert(oref.clone());
        let sp = FieldPath::root().field("spec");
        let dest_ns = si
            .spec
            .destination
            .as_ref()
            .and_then(|d| d.namespace.clone())
            .unwrap_or_else(|| oref.namespace.clone().unwrap_or_default());
        let dest = si
            .spec
            .destination
            .as_ref()
            .and_then(|d| d.name.clone())
            .unwrap_or_default();
        let (scope, base) = if dest == "*" {
            (Scope::Mesh, oref.name.clone())
        } else {
            match (Name::new(dest.as_str()), Name::new(dest_ns.as_str())) {
                (Ok(n), Ok(ns)) => (
                    Scope::Service(ServiceRef {
                        name: n,
                        namespace: ns,
                    }),
                    dest.clone(),
                ),
                _ => {
                    lx.l.skip_object(
                        &oref,
                        &sp.field("destination"),
                        "not a valid service name in the model",
                    );
                    continue;
                }
            }
        };
        if si.spec.jwt.is_some() {
            lx.l.skip(&oref, sp.field("jwt"), "a token requirement for every request to the destination is not lifted: require the issuer in the rules");
        }
        let has_allow = si.spec.sources.iter().any(|s| match &s.rule {
            SourceRule::Action(a) => *a == IntentionAction::Allow && s.name != "*",
            SourceRule::Permissions(ps) => ps
                .iter()
                .any(|p| p.action == IntentionAction::Allow && !is_catch_all(p)),
        });
        // What requests no rule decides get for this destination.
        let implied = if has_allow {
            AuthzAction::Deny
        } else {
            match mesh_default {
                DefaultAction::Deny => AuthzAction::Deny,
                DefaultAction::Allow => AuthzAction::Allow,
            }
        };
        let mut rules: BTreeMap<bool, Vec<AuthzRule>> = BTreeMap::new();
        for (k, s) in si.spec.sources.iter().enumerate() {
            let srcp = sp.field("sources").index(k);
            let Some(src) = source(lx, s, &dest_ns) else {
                lx.l.skip(
                    &oref,
                    srcp,
                    "peers, partitions and sameness groups are not in the model",
                );
                continue;
            };
            match &s.rule {
                SourceRule::Action(a) => {
                    let a = action(*a);
                    if src == Source::Any && a == implied {
                        continue;
                    }
                    rules
                        .entry(a == AuthzAction::Deny)
                        .or_default()
                        .push(AuthzRule {
                            from: vec![src],
                            to: Vec::new(),
                            when: Vec::new(),
                        });
                }
                SourceRule::Permissions(ps) => {
                    let first_deny_after_allow = ps
                        .iter()
                        .position(|p| p.action == IntentionAction::Allow)
                        .is_some_and(|a| {
                            ps.iter()
                                .skip(a)
                                .any(|p| p.action == IntentionAction::Deny && !is_catch_all(p))
                        });
                    if first_deny_after_allow {
                        lx.l.skip(&oref, srcp.field("permissions"), "an allow listed before a deny it overlaps decides first in Consul; the model's deny always wins: not lifted");
                        continue;
                    }
                    let mut local: BTreeMap<bool, Vec<AuthzRule>> = BTreeMap::new();
                    for (j, p) in ps.iter().enumerate() {
                        let a = action(p.action);
                        if j + 1 == ps.len() && is_catch_all(p) && a == implied {
                            continue;
                        }
                        match permission(lx, p) {
                            Ok((op, when, jwt_from)) => {
                                let from = if jwt_from.is_empty() {
                                    vec![src.clone()]
                                } else if src == Source::Any {
                                    jwt_from
                                } else {
                                    lx.l.skip(&oref, srcp.field("permissions").index(j).field("jwt"), "a token required from a named source (both at once) is not in the model");
                                    continue;
                                };
                                let to = op
                                    .filter(|o| {
                                        !(o.methods.is_empty()
                                            && o.paths.iter().all(PathMatch::is_catch_all))
                                    })
                                    .into_iter()
                                    .collect();
                                local
                                    .entry(a == AuthzAction::Deny)
                                    .or_default()
                                    .push(AuthzRule { from, to, when });
                            }
                            Err(e) => lx.l.skip(&oref, srcp.field("permissions").index(j), e),
                        }
                    }
                    for (deny, mut rs) in local {
                        merge_prefix_pairs(&mut rs);
                        rules.entry(deny).or_default().extend(rs);
                    }
                }
            }
            if s.description.is_some() {
                lx.l.skip(
                    &oref,
                    srcp.field("description"),
                    "descriptions are not in the model",
                );
            }
        }
        for (deny, rs) in rules {
            let name = if deny {
                format!("{base}-deny")
            } else {
                base.clone()
            };
            let Ok(name) = Name::new(name) else {
                lx.l.skip(
                    &oref,
                    FieldPath::root(),
                    "no valid policy name in the model",
                );
                continue;
            };
            let at = FieldPath::root()
                .field("security")
                .field("authorization")
                .index(lx.l.mesh.security.authorization.len());
            lx.l.origin(at, &oref, sp.field("sources"));
            lx.l.mesh.security.authorization.push(AuthorizationPolicy {
                name,
                scope: scope.clone(),
                action: if deny {
                    AuthzAction::Deny
                } else {
                    AuthzAction::Allow
                },
                rules: rs,
            });
        }
        lx.leftovers(&oref, &si.spec, &["destination", "sources", "jwt"]);
    }
    // Consul validates a provider's tokens where intentions require them:
    // those destinations are its scopes.
    let mut scopes: BTreeMap<String, Vec<ServiceRef>> = BTreeMap::new();
    for o in objects {
        let ConsulObject::ServiceIntentions(si) = o else {
            continue;
        };
        let Some(Scope::Service(dest)) = si.spec.destination.as_ref().and_then(|d| {
            let ns = d.namespace.clone().or_else(|| object_ref(o).namespace)?;
            Some(Scope::Service(ServiceRef {
                name: Name::new(d.name.as_deref()?).ok()?,
                namespace: Name::new(ns).ok()?,
            }))
        }) else {
            continue;
        };
        for src in &si.spec.sources {
            if let SourceRule::Permissions(ps) = &src.rule {
                for p in ps {
                    for pr in p.jwt.iter().flat_map(|j| &j.providers) {
                        let e = scopes.entry(pr.name.clone()).or_default();
                        if !e.contains(&dest) {
                            e.push(dest.clone());
                        }
                    }
                }
            }
        }
    }
    for j in &mut lx.l.mesh.security.jwt {
        if let Some(list) = scopes.get_mut(j.name.as_str()) {
            list.sort();
            j.scopes = list.iter().cloned().map(Scope::Service).collect();
        }
    }
    // Identities the rules name that are not the services'.
    let known = lx.l.mesh.known_identities();
    let mut extra = std::collections::BTreeSet::new();
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
    lx.l.mesh.identities.extend(extra);
}
