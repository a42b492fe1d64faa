//! Ingress (Gateway API Gateway + HTTPRoute) and egress (EgressNetwork +
//! HTTPRoutes).

use mesh_k8s::gateway::precedence::{self, RegexRank, RouteEntry};
use mesh_k8s::gateway::{
    self as gw, Gateway, GatewaySpec, HttpBackendRef, HttpRoute as GwHttpRoute, HttpRouteFilter,
    HttpRouteRule, Listener, ListenerTls, ParentReference, ProtocolType, SecretObjectReference,
};
use mesh_model::{Feature, ListenerProtocol, OutboundPolicy, Protocol, Resolution, TlsMode};

use super::traffic::{RouteScope, lower_route};
use super::{Cx, nz, root};
use crate::crds::{EgressNetwork, EgressNetworkSpec, TrafficPolicy};

const EGRESS: &str = "meshwright-egress";

fn set_gw_version<S: mesh_k8s::Kind>(cx: &mut Cx<'_>, o: &mut mesh_k8s::Object<S>) {
    if let Err(e) = o.set_version(cx.opts.gateway_api_version) {
        cx.out.error(mesh_model::LowerError::Option {
            option: "gateway_api_version",
            message: e.to_string(),
        });
    }
}

/// Gateways and their routes.
pub(crate) fn ingress(cx: &mut Cx<'_>) {
    for (i, ing) in cx.mesh.ingress.iter().enumerate() {
        let p = root().field("ingress").index(i);
        let ns = ing.namespace.as_str();
        let mut listeners = Vec::new();
        let mut route_sections = Vec::new();
        let mut redirect_sections = Vec::new();
        for (k, l) in ing.listeners.iter().enumerate() {
            let lp = p.field("listeners").index(k);
            let port = nz(l.port);
            let name = format!(
                "{}-{}",
                match l.protocol {
                    ListenerProtocol::Http => "http",
                    ListenerProtocol::Https => "https",
                    ListenerProtocol::Tls => "tls",
                },
                l.port
            );
            let listener = match (l.protocol, &l.tls) {
                (ListenerProtocol::Http, _) => Listener::http(name.clone(), port),
                (_, Some(t)) if t.mode == TlsMode::Mutual => {
                    cx.unsupported(
                        Feature::IngressTls,
                        lp.field("tls").field("mode"),
                        "client-certificate validation at the ingress is configured in the ingress controller (Gateway API frontend TLS validation needs a CA the model does not carry): use terminate",
                    );
                    continue;
                }
                (ListenerProtocol::Https, Some(t)) => {
                    let Some(cred) = &t.credential else { continue };
                    Listener::https(
                        name.clone(),
                        port,
                        ListenerTls::terminate(SecretObjectReference::secret(cred.to_string())),
                    )
                }
                (ListenerProtocol::Tls, _) => {
                    if !ing.routes.is_empty() {
                        cx.note(
                            Feature::IngressPassthrough,
                            lp.clone(),
                            "TLS passthrough listener: the ingress's HTTP routes attach to its HTTP/HTTPS listeners only (TLSRoutes are not generated)",
                        );
                    }
                    Listener {
                        name: name.clone(),
                        port,
                        protocol: ProtocolType::Tls,
                        hostname: None,
                        tls: Some(ListenerTls::passthrough()),
                        allowed_routes: None,
                    }
                }
                (ListenerProtocol::Https, None) => continue,
            };
            listeners.push(listener);
            match l.protocol {
                ListenerProtocol::Tls => {}
                _ if l.https_redirect => redirect_sections.push(name),
                _ => route_sections.push(name),
            }
        }
        let policy = cx
            .ns_annotations
            .get(ns)
            .and_then(|a| a.get("config.linkerd.io/default-inbound-policy"))
            .cloned();
        if policy
            .as_deref()
            .is_some_and(|x| x != "all-unauthenticated")
        {
            cx.note(
                Feature::Ingress,
                p.clone(),
                format!(
                    "namespace {ns} has default inbound policy {}: if the ingress controller's pods are injected there, skip their inbound ports (config.linkerd.io/skip-inbound-ports), as Linkerd's ingress guide says, or external clients are refused",
                    policy.unwrap_or_default()
                ),
            );
        }
        let mut gwy = Gateway::new(
            ing.name.to_string(),
            Some(ns),
            GatewaySpec {
                gateway_class_name: cx.opts.gateway_class_name.clone(),
                listeners,
                ..GatewaySpec::default()
            },
        );
        set_gw_version(cx, &mut gwy);
        cx.out.emit(gwy);
        let hosts: Vec<String> = ing.hosts.iter().map(ToString::to_string).collect();

        if !redirect_sections.is_empty() {
            let mut r = GwHttpRoute::for_gateway(
                format!("{}-https-redirect", ing.name),
                ns,
                ParentReference::gateway(ing.name.to_string())
                    .section(redirect_sections[0].clone()),
            );
            for s in &redirect_sections[1..] {
                r = r
                    .with_parent(ParentReference::gateway(ing.name.to_string()).section(s.clone()));
            }
            r.spec.hostnames = hosts.clone();
            r.spec.rules = vec![HttpRouteRule {
                name: None,
                matches: Vec::new(),
                filters: vec![HttpRouteFilter::RequestRedirect(gw::RequestRedirect {
                    scheme: Some(gw::RedirectScheme::Https),
                    status_code: Some(gw::RedirectStatusCode::MovedPermanently),
                    ..gw::RequestRedirect::default()
                })],
                backend_refs: Vec::new(),
                timeouts: None,
            }];
            set_gw_version(cx, &mut r);
            cx.out.emit(r);
        }

        if ing.routes.is_empty() {
            continue;
        }
        if route_sections.is_empty() {
            // No listener took the routes: passthrough listeners, or
            // HTTPS listeners refused above (mutual TLS, no credential).
            let passthrough = ing
                .listeners
                .iter()
                .any(|l| l.protocol == ListenerProtocol::Tls);
            cx.unsupported(
                if passthrough {
                    Feature::IngressPassthrough
                } else {
                    Feature::IngressTls
                },
                p.field("routes"),
                "HTTP routes need an http or https listener (TLSRoutes for passthrough are not generated)",
            );
            continue;
        }
        let entries: Vec<RouteEntry<'_>> = ing
            .routes
            .iter()
            .enumerate()
            .map(|(j, r)| RouteEntry::new(r, 0, p.field("routes").index(j).to_string()))
            .collect();
        let plan = match precedence::plan(&entries, RegexRank::Unordered) {
            Ok(plan) => plan,
            Err(c) => {
                cx.unsupported(
                    Feature::PathPrefix,
                    p.field("routes").index(c.later_index),
                    format!("{c}; put the more specific route first, or make the matches disjoint"),
                );
                continue;
            }
        };
        for d in &plan.dropped {
            let rp = p.field("routes").index(d.entry);
            cx.note(
                Feature::PathPrefix,
                d.matching.map_or_else(|| rp.clone(), |k| rp.field("match").index(k)),
                format!("never matches under first-match (routes[{}] takes all its requests): left out, since Gateway API's most-specific-match would pick it", d.shadowed_by),
            );
        }
        let scope = RouteScope {
            namespace: &ing.namespace,
            owner: None,
            port: None,
            ingress: true,
        };
        let mut rules = Vec::new();
        for pr in &plan.rules {
            let rp = p.field("routes").index(pr.entry);
            if let Some(rs) = lower_route(cx, &scope, &ing.routes[pr.entry], &pr.matches, &rp) {
                rules.extend(rs);
            }
        }
        let mut r = GwHttpRoute::for_gateway(
            ing.name.to_string(),
            ns,
            ParentReference::gateway(ing.name.to_string()).section(route_sections[0].clone()),
        );
        for s in &route_sections[1..] {
            r = r.with_parent(ParentReference::gateway(ing.name.to_string()).section(s.clone()));
        }
        r.spec.hostnames = hosts;
        r.spec.rules = rules;
        set_gw_version(cx, &mut r);
        cx.out.emit(r);
    }
}

/// EgressNetworks and the routes that let declared external services
/// through.
pub(crate) fn egress(cx: &mut Cx<'_>) {
    let e = &cx.mesh.egress;
    let p = root().field("egress");
    let registry_only = e.policy == OutboundPolicy::RegistryOnly;
    let injected: Vec<String> = cx
        .mesh
        .namespaces_in_use()
        .into_iter()
        .filter(|(_, inject)| *inject)
        .map(|(n, _)| n.to_string())
        .collect();
    if registry_only && !injected.is_empty() {
        if !cx.opts.egress_networks {
            cx.unsupported(
                Feature::EgressPolicy,
                p.field("policy"),
                "registry-only egress needs EgressNetworks (Linkerd 2.18+): enable Options::egress_networks, or set egress.policy allowAny",
            );
            return;
        }
        for ns in &injected {
            cx.out.emit(EgressNetwork::new(
                EGRESS,
                Some(ns),
                EgressNetworkSpec {
                    traffic_policy: TrafficPolicy::Deny,
                    networks: Vec::new(),
                },
            ));
        }
        cx.note(
            Feature::EgressPolicy,
            p.field("policy"),
            format!("registry only: EgressNetwork {EGRESS} (trafficPolicy Deny) in every injected namespace; declared external HTTP services are let through by HTTPRoutes"),
        );
    }
    for (k, svc) in e.services.iter().enumerate() {
        let sp = p.field("services").index(k);
        if svc.tls.is_some() {
            cx.unsupported(
                Feature::TlsOrigination,
                sp.field("tls"),
                "Linkerd does not originate TLS to external services: let the application speak HTTPS (declare the port https)",
            );
        }
        if let Resolution::Static(_) = svc.resolution {
            cx.note(
                Feature::Egress,
                sp.field("resolution"),
                "static addresses: Linkerd matches external HTTP traffic by Host header; the addresses are not needed",
            );
        }
        for (m, port) in svc.ports.iter().enumerate() {
            let pp = sp.field("ports").index(m);
            if port.target_port.is_some_and(|t| t != port.number) {
                cx.unsupported(
                    Feature::Egress,
                    pp.field("targetPort"),
                    "Linkerd forwards external traffic to the port the application called: drop targetPort",
                );
                continue;
            }
            if !registry_only {
                continue;
            }
            if !matches!(port.protocol, Protocol::Http | Protocol::Http2) {
                cx.unsupported(
                    Feature::Egress,
                    pp.field("protocol"),
                    "registry-only egress lets non-HTTP traffic through with TLSRoutes/TCPRoutes, which are not generated: set egress.policy allowAny",
                );
                continue;
            }
            for ns in &injected {
                let parent = ParentReference {
                    group: Some("policy.linkerd.io".to_owned()),
                    kind: Some("EgressNetwork".to_owned()),
                    name: EGRESS.to_owned(),
                    namespace: None,
                    port: Some(nz(port.number)),
                    section_name: None,
                };
                let mut r = GwHttpRoute::for_gateway(
                    format!("egress-{}-{}", svc.name, port.number),
                    ns,
                    parent,
                );
                r.spec.hostnames = svc.hosts.iter().map(ToString::to_string).collect();
                let mut b = HttpBackendRef::service(EGRESS, nz(port.number));
                b.group = Some("policy.linkerd.io".to_owned());
                b.kind = Some("EgressNetwork".to_owned());
                r.spec.rules = vec![HttpRouteRule::forward_to(b)];
                set_gw_version(cx, &mut r);
                cx.out.emit(r);
            }
        }
    }
}
