//! Ingress (Gateway + HTTPRoutes) and egress (EgressNetworks + their
//! HTTPRoutes).

use std::collections::BTreeMap;

use mesh_k8s::gateway::precedence::RegexRank;
use mesh_k8s::gateway::{
    HttpRoute as GwHttpRoute, HttpRouteFilter, ProtocolType, RedirectScheme, TlsMode as GwTlsMode,
};
use mesh_model::lift::ObjectRef;
use mesh_model::{
    ExternalPort, ExternalService, FieldPath, Hostname, Ingress, Listener, ListenerProtocol,
    ListenerTls, Name, ObjectName, OutboundPolicy, Port, Protocol, Resolution, TlsMode,
};

use super::routes::{self, LiftedRule, RuleScope};
use super::{Lx, object_ref};
use crate::crds::TrafficPolicy;
use crate::lower::LinkerdObject;

fn gateway_routes(objects: &[LinkerdObject], kind: &str) -> Vec<(GwHttpRoute, ObjectRef)> {
    let mut out: Vec<(GwHttpRoute, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            LinkerdObject::GatewayHttpRoute(r)
                if r.spec
                    .parent_refs
                    .iter()
                    .any(|p| p.kind.as_deref() == Some(kind)) =>
            {
                Some(((**r).clone(), object_ref(o)))
            }
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| {
        (a.0.metadata.creation_timestamp.as_ref().map(|t| t.0), &a.1)
            .cmp(&(b.0.metadata.creation_timestamp.as_ref().map(|t| t.0), &b.1))
    });
    out
}

/// Whether a route only redirects everything to HTTPS (the lowering's
/// `httpsRedirect`).
fn is_https_redirect(r: &GwHttpRoute) -> bool {
    matches!(r.spec.rules.as_slice(), [rule] if rule.matches.is_empty()
        && rule.backend_refs.is_empty()
        && matches!(rule.filters.as_slice(), [HttpRouteFilter::RequestRedirect(x)]
            if x.scheme == Some(RedirectScheme::Https) && x.hostname.is_none() && x.path.is_none() && x.port.is_none()))
}

/// Gateways and their HTTPRoutes.
pub(crate) fn ingress(lx: &mut Lx<'_>, objects: &[LinkerdObject]) {
    let routes = gateway_routes(objects, "Gateway");
    for o in objects {
        let LinkerdObject::Gateway(g) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let (Ok(name), Ok(namespace)) = (Name::new(oref.name.as_str()), Name::new(ns.as_str()))
        else {
            lx.l.skip(&oref, FieldPath::root(), "name not valid in the model");
            continue;
        };
        let sp = FieldPath::root().field("spec");
        let mut listeners = Vec::new();
        let mut sections: BTreeMap<String, usize> = BTreeMap::new();
        let mut hosts: Vec<Hostname> = Vec::new();
        for (k, l) in g.spec.listeners.iter().enumerate() {
            let lp = sp.field("listeners").index(k);
            let port = Port::from(l.port);
            let listener = match (&l.protocol, &l.tls) {
                (ProtocolType::Http, _) => Listener {
                    port,
                    protocol: ListenerProtocol::Http,
                    tls: None,
                    https_redirect: false,
                },
                (ProtocolType::Https, Some(t)) if t.mode != Some(GwTlsMode::Passthrough) => {
                    let Some(cred) = t
                        .certificate_refs
                        .first()
                        .and_then(|c| ObjectName::new(c.name.as_str()).ok())
                    else {
                        lx.l.skip(
                            &oref,
                            lp.field("tls"),
                            "an HTTPS listener without a certificate Secret is not lifted",
                        );
                        continue;
                    };
                    if t.certificate_refs.len() > 1 || !t.options.is_empty() {
                        lx.l.skip(
                            &oref,
                            lp.field("tls"),
                            "further certificates and TLS options are not lifted",
                        );
                    }
                    Listener {
                        port,
                        protocol: ListenerProtocol::Https,
                        tls: Some(ListenerTls {
                            mode: TlsMode::Terminate,
                            credential: Some(cred),
                        }),
                        https_redirect: false,
                    }
                }
                (ProtocolType::Tls, Some(t)) if t.mode == Some(GwTlsMode::Passthrough) => {
                    Listener {
                        port,
                        protocol: ListenerProtocol::Tls,
                        tls: Some(ListenerTls {
                            mode: TlsMode::Passthrough,
                            credential: None,
                        }),
                        https_redirect: false,
                    }
                }
                _ => {
                    lx.l.skip(
                        &oref,
                        lp,
                        "only HTTP, HTTPS (terminate) and TLS (passthrough) listeners are lifted",
                    );
                    continue;
                }
            };
            if let Some(h) = &l.hostname {
                match Hostname::new(h.as_str()) {
                    Ok(h) if !hosts.contains(&h) => hosts.push(h),
                    Ok(_) => {}
                    Err(e) => lx.l.skip(&oref, lp.field("hostname"), e.to_string()),
                }
            }
            if l.allowed_routes.is_some() {
                lx.l.skip(
                    &oref,
                    lp.field("allowedRoutes"),
                    "route attachment rules are not lifted",
                );
            }
            sections.insert(l.name.clone(), listeners.len());
            listeners.push(listener);
        }
        let mut rules: Vec<LiftedRule> = Vec::new();
        for (group, (r, rref)) in routes.iter().enumerate() {
            let mine: Vec<_> = r
                .spec
                .parent_refs
                .iter()
                .filter(|p| {
                    p.kind.as_deref() == Some("Gateway")
                        && p.name == oref.name
                        && p.namespace
                            .as_deref()
                            .unwrap_or(rref.namespace.as_deref().unwrap_or_default())
                            == ns
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            lx.used.insert(rref.clone());
            if is_https_redirect(r) {
                for p in &mine {
                    let targets: Vec<usize> = match &p.section_name {
                        Some(s) => sections.get(s).copied().into_iter().collect(),
                        None => (0..listeners.len()).collect(),
                    };
                    for t in targets {
                        if let Some(l) = listeners.get_mut(t) {
                            l.https_redirect = true;
                        }
                    }
                }
                add_hosts(lx, rref, r, &mut hosts);
                continue;
            }
            add_hosts(lx, rref, r, &mut hosts);
            let scope = RuleScope {
                namespace: &ns,
                owner: None,
                port: None,
                ingress: true,
            };
            for (k, rule) in r.spec.rules.iter().enumerate() {
                let rp = FieldPath::root().field("spec").field("rules").index(k);
                if let Some(route) = routes::rule(lx, &scope, rref, &rp, rule) {
                    rules.push(LiftedRule {
                        route,
                        object: rref.clone(),
                        path: rp,
                        group,
                    });
                }
            }
        }
        let ordered = routes::order(rules, RegexRank::Unordered);
        let index = lx.l.mesh.ingress.len();
        let base = FieldPath::root().field("ingress").index(index);
        lx.l.origin(base.clone(), &oref, FieldPath::root());
        let mut ing = Ingress {
            name,
            namespace,
            hosts,
            listeners,
            routes: Vec::new(),
        };
        for (j, r) in ordered.into_iter().enumerate() {
            lx.l.origin(base.field("routes").index(j), &r.object, r.path.clone());
            ing.routes.push(r.route);
        }
        lx.l.mesh.ingress.push(ing);
    }
}

fn add_hosts(lx: &mut Lx<'_>, rref: &ObjectRef, r: &GwHttpRoute, hosts: &mut Vec<Hostname>) {
    for (k, h) in r.spec.hostnames.iter().enumerate() {
        match Hostname::new(h.as_str()) {
            Ok(h) if !hosts.contains(&h) => hosts.push(h),
            Ok(_) => {}
            Err(e) => lx.l.skip(
                rref,
                FieldPath::root().field("spec").field("hostnames").index(k),
                e.to_string(),
            ),
        }
    }
}

/// EgressNetworks (registry-only egress) and the HTTPRoutes that let
/// external services through.
pub(crate) fn egress(lx: &mut Lx<'_>, objects: &[LinkerdObject]) {
    let mut deny = false;
    for o in objects {
        let LinkerdObject::EgressNetwork(e) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        match (&e.spec.traffic_policy, e.spec.networks.is_empty()) {
            (TrafficPolicy::Deny, true) => deny = true,
            (TrafficPolicy::Allow, true) => {}
            _ => lx.l.skip(&oref, FieldPath::root().field("spec").field("networks"), "EgressNetworks for some networks only: the model's egress policy covers every external destination"),
        }
    }
    lx.l.mesh.egress.policy = if deny {
        OutboundPolicy::RegistryOnly
    } else {
        OutboundPolicy::AllowAny
    };
    // External services: routes named `egress-<name>-<port>` (or by route
    // name), merged across namespaces.
    let mut by_name: BTreeMap<String, (ExternalService, ObjectRef)> = BTreeMap::new();
    for (r, rref) in gateway_routes(objects, "EgressNetwork") {
        lx.used.insert(rref.clone());
        let Some(parent) = r
            .spec
            .parent_refs
            .iter()
            .find(|p| p.kind.as_deref() == Some("EgressNetwork"))
        else {
            continue;
        };
        let Some(port) = parent.port.map(Port::from) else {
            lx.l.skip(
                &rref,
                FieldPath::root().field("spec").field("parentRefs"),
                "an egress route without a port is not lifted",
            );
            continue;
        };
        let base = rref
            .name
            .strip_prefix("egress-")
            .and_then(|n| n.strip_suffix(&format!("-{port}")))
            .unwrap_or(&rref.name)
            .to_owned();
        let forwards_only = r.spec.rules.iter().all(|x| {
            x.matches.is_empty()
                && x.filters.is_empty()
                && x.backend_refs
                    .iter()
                    .all(|b| b.kind.as_deref() == Some("EgressNetwork"))
        });
        if !forwards_only {
            lx.l.skip(&rref, FieldPath::root().field("spec").field("rules"), "matches, filters and other backends of egress routes are not lifted: the model lets an external service through as a whole");
        }
        let mut hosts = Vec::new();
        for (k, h) in r.spec.hostnames.iter().enumerate() {
            match Hostname::new(h.as_str()) {
                Ok(h) => hosts.push(h),
                Err(e) => lx.l.skip(
                    &rref,
                    FieldPath::root().field("spec").field("hostnames").index(k),
                    e.to_string(),
                ),
            }
        }
        let (Ok(name), Ok(namespace)) = (
            Name::new(base.as_str()),
            Name::new(rref.namespace.clone().unwrap_or_default()),
        ) else {
            lx.l.skip(&rref, FieldPath::root(), "name not valid in the model");
            continue;
        };
        let ext_port = ExternalPort {
            number: port,
            protocol: Protocol::Http,
            target_port: None,
        };
        match by_name.get_mut(&base) {
            Some((e, _)) if e.hosts == hosts => {
                if !e.ports.contains(&ext_port) {
                    e.ports.push(ext_port);
                }
            }
            Some(_) => lx.l.skip(
                &rref,
                FieldPath::root().field("spec").field("hostnames"),
                format!("another egress route for {base} names other hosts: not lifted"),
            ),
            None => {
                by_name.insert(
                    base,
                    (
                        ExternalService {
                            name,
                            namespace,
                            hosts,
                            ports: vec![ext_port],
                            resolution: Resolution::Dns,
                            tls: None,
                        },
                        rref.clone(),
                    ),
                );
            }
        }
    }
    for (_, (e, oref)) in by_name {
        let at = FieldPath::root()
            .field("egress")
            .field("services")
            .index(lx.l.mesh.egress.services.len());
        lx.l.origin(at, &oref, FieldPath::root());
        lx.l.mesh.egress.services.push(e);
    }
}
