//! Ingress (Gateway + VirtualService), egress (ServiceEntry, TLS
//! origination DestinationRule, outbound policy Sidecar).

use std::net::IpAddr;
use std::num::NonZeroU16;
use std::str::FromStr;

use mesh_model::{
    Action, ExternalService, Feature, FieldPath, Ingress, ListenerProtocol, OriginationMode,
    OutboundPolicy, Protocol, Resolution, TlsMode,
};

use super::Cx;
use super::traffic::{destination, http_rules};
use crate::crds::{
    self, Address, ClientTlsMode, ClientTlsSettings, DestinationRule, DestinationRuleSpec, Gateway,
    GatewaySpec, IstioEgressListener, Location, OutboundMode, OutboundTrafficPolicy,
    RouteDestination, Server, ServerTlsMode, ServerTlsSettings, ServiceEntry, ServiceEntrySpec,
    ServiceEntryWorkloads, Sidecar, SidecarSpec, TlsMatchAttributes, TlsRoute, TrafficPolicy,
    VirtualService, VirtualServiceSpec, WorkloadEntrySpec,
};

pub(crate) fn lower(cx: &mut Cx<'_>) {
    for (i, g) in cx.mesh.ingress.iter().enumerate() {
        ingress(cx, i, g);
    }
    for (i, e) in cx.mesh.egress.services.iter().enumerate() {
        external(cx, i, e);
    }
    outbound_policy(cx);
}

fn ingress(cx: &mut Cx<'_>, i: usize, g: &Ingress) {
    let path = FieldPath::root().field("ingress").index(i);
    let ns = g.namespace.as_str();
    let hosts: Vec<String> = g.hosts.iter().map(|h| h.to_string()).collect();
    let mut servers = Vec::new();
    let mut tls_routes = Vec::new();
    for (k, l) in g.listeners.iter().enumerate() {
        let lpath = path.field("listeners").index(k);
        let (protocol, tls) = match l.protocol {
            ListenerProtocol::Http => (
                "HTTP",
                l.https_redirect.then(|| ServerTlsSettings {
                    https_redirect: Some(true),
                    ..ServerTlsSettings::default()
                }),
            ),
            ListenerProtocol::Https | ListenerProtocol::Tls => {
                let t = l.tls.as_ref();
                let mode = match t.map(|t| t.mode) {
                    Some(TlsMode::Mutual) => ServerTlsMode::Mutual,
                    Some(TlsMode::Passthrough) => ServerTlsMode::Passthrough,
                    _ => ServerTlsMode::Simple,
                };
                (
                    if l.protocol == ListenerProtocol::Https {
                        "HTTPS"
                    } else {
                        "TLS"
                    },
                    Some(ServerTlsSettings {
                        mode: Some(mode),
                        credential_name: t
                            .and_then(|t| t.credential.as_ref())
                            .map(|c| c.to_string()),
                        ..ServerTlsSettings::default()
                    }),
                )
            }
        };
        if l.protocol == ListenerProtocol::Tls {
            // Passthrough: route by SNI to the backends of the last
            // catch-all forward route.
            let target = g.routes.iter().rev().find(|r| {
                super::traffic::is_catch_all(r) && matches!(r.action, Action::Forward(_))
            });
            match target.and_then(|r| r.forward()) {
                Some(f) => {
                    let weighted = f.backends.len() > 1;
                    let route = f
                        .backends
                        .iter()
                        .filter_map(|b| Some((b.target(&g.namespace, None)?, b)))
                        .map(|(t, b)| RouteDestination {
                            destination: destination(cx, &t, ns),
                            weight: if weighted {
                                i32::try_from(b.weight.get()).ok()
                            } else {
                                None
                            },
                        })
                        .collect();
                    tls_routes.push(TlsRoute {
                        match_: vec![TlsMatchAttributes {
                            sni_hosts: hosts.clone(),
                            port: Some(u32::from(l.port.get())),
                            ..TlsMatchAttributes::default()
                        }],
                        route,
                    });
                    cx.note(
                        Feature::IngressPassthrough,
                        lpath.clone(),
                        "passthrough traffic goes by SNI to the backends of the last catch-all route",
                    );
                }
                None => cx.unsupported(
                    Feature::IngressPassthrough,
                    lpath.clone(),
                    "a passthrough listener needs a destination: add a route without `match` that forwards to the TLS backend",
                ),
            }
        }
        servers.push(Server {
            port: crds::Port {
                number: u32::from(l.port.get()),
                protocol: protocol.to_owned(),
                name: format!("{}-{}", protocol.to_ascii_lowercase(), l.port),
                target_port: None,
            },
            hosts: hosts.clone(),
            tls,
            ..Server::default()
        });
    }
    let gw = Gateway::new(
        g.name.as_str(),
        Some(ns),
        GatewaySpec {
            servers,
            selector: cx.opts.ingress_selector.clone(),
        },
    );
    let v = cx.opts.api_versions.gateway.clone();
    cx.emit(gw, &v);

    let serves_http = g
        .listeners
        .iter()
        .any(|l| l.protocol != ListenerProtocol::Tls && !l.https_redirect);
    let mut http = Vec::new();
    if serves_http {
        for (j, r) in g.routes.iter().enumerate() {
            let rpath = path.field("routes").index(j);
            http.extend(http_rules(cx, r, ns, None, &rpath));
        }
    }
    if http.is_empty() && tls_routes.is_empty() {
        return;
    }
    let vs = VirtualService::new(
        g.name.as_str(),
        Some(ns),
        VirtualServiceSpec {
            hosts,
            gateways: vec![g.name.to_string()],
            http,
            tls: tls_routes,
            ..VirtualServiceSpec::default()
        },
    );
    let v = cx.opts.api_versions.virtual_service.clone();
    cx.emit(vs, &v);
}

fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Http => "HTTP",
        Protocol::Http2 => "HTTP2",
        Protocol::Grpc => "GRPC",
        Protocol::Https => "HTTPS",
        Protocol::Tls => "TLS",
        Protocol::Tcp => "TCP",
    }
}

fn nz(p: mesh_model::Port) -> NonZeroU16 {
    NonZeroU16::new(p.get()).unwrap_or(NonZeroU16::MIN)
}

fn external(cx: &mut Cx<'_>, i: usize, e: &ExternalService) {
    let path = FieldPath::root().field("egress").field("services").index(i);
    let ns = e.namespace.as_str();
    let hosts: Vec<String> = e.hosts.iter().map(|h| h.to_string()).collect();
    let ports = e
        .ports
        .iter()
        .map(|p| crds::ServicePort {
            number: nz(p.number),
            protocol: Some(protocol_name(p.protocol).to_owned()),
            name: format!("{}-{}", p.protocol.as_str(), p.number),
            target_port: p.target_port.map(nz),
        })
        .collect();
    let mut addresses = Vec::new();
    let (resolution, workloads) = match &e.resolution {
        Resolution::Dns => (crds::Resolution::Dns, None),
        Resolution::Passthrough => (crds::Resolution::None, None),
        Resolution::Static(blocks) => {
            let ips: Option<Vec<IpAddr>> = blocks
                .iter()
                .map(|b| {
                    let s = b.as_str();
                    let (addr, len) = s.split_once('/').unwrap_or((s, ""));
                    let ip = IpAddr::from_str(addr).ok()?;
                    let full = if ip.is_ipv4() { "32" } else { "128" };
                    (len.is_empty() || len == full).then_some(ip)
                })
                .collect();
            match ips {
                Some(ips) => (
                    crds::Resolution::Static,
                    Some(ServiceEntryWorkloads::Endpoints(
                        ips.into_iter()
                            .map(|ip| WorkloadEntrySpec {
                                address: Some(Address::ip(ip)),
                                ..WorkloadEntrySpec::default()
                            })
                            .collect(),
                    )),
                ),
                None => {
                    cx.note(
                        Feature::Egress,
                        path.field("resolution"),
                        "static CIDR blocks are written as `addresses` with resolution NONE (Istio's STATIC needs single endpoints)",
                    );
                    addresses = blocks.iter().map(|b| b.to_string()).collect();
                    (crds::Resolution::None, None)
                }
            }
        }
    };
    let se = ServiceEntry::new(
        e.name.as_str(),
        Some(ns),
        ServiceEntrySpec {
            hosts: hosts.clone(),
            addresses,
            ports,
            location: Some(Location::MeshExternal),
            resolution: Some(resolution),
            workloads,
            ..ServiceEntrySpec::default()
        },
    );
    let v = cx.opts.api_versions.service_entry.clone();
    cx.emit(se, &v);

    let Some(tls) = &e.tls else { return };
    if cx.ambient {
        cx.ambient_unsupported(
            Feature::TlsOrigination,
            path.field("tls"),
            "TLS origination in ambient mode needs an egress waypoint, which this lowering does not generate; \
             use the sidecar data plane",
        );
        return;
    }
    let v = cx.opts.api_versions.destination_rule.clone();
    for (k, h) in hosts.iter().enumerate() {
        let name = if hosts.len() == 1 {
            e.name.to_string()
        } else {
            format!("{}-{k}", e.name)
        };
        let dr = DestinationRule::new(
            name,
            Some(ns),
            DestinationRuleSpec {
                host: h.clone(),
                traffic_policy: Some(TrafficPolicy {
                    tls: Some(ClientTlsSettings {
                        mode: Some(match tls.mode {
                            OriginationMode::Simple => ClientTlsMode::Simple,
                            OriginationMode::Mutual => ClientTlsMode::Mutual,
                        }),
                        credential_name: tls.credential.as_ref().map(|c| c.to_string()),
                        sni: tls.sni.as_ref().map(|s| s.to_string()),
                        ..ClientTlsSettings::default()
                    }),
                    ..TrafficPolicy::default()
                }),
                ..DestinationRuleSpec::default()
            },
        );
        cx.emit(dr, &v);
    }
}

fn outbound_policy(cx: &mut Cx<'_>) {
    let policy = cx.mesh.egress.policy;
    if cx.ambient {
        if policy == OutboundPolicy::RegistryOnly {
            cx.ambient_unsupported(
                Feature::EgressPolicy,
                FieldPath::root().field("egress").field("policy"),
                "ambient workloads have no Sidecar outbound policy; set egress.policy: allowAny (and restrict \
                 egress with an egress waypoint) or use the sidecar data plane",
            );
        }
        return;
    }
    let mode = match policy {
        OutboundPolicy::RegistryOnly => OutboundMode::RegistryOnly,
        OutboundPolicy::AllowAny => OutboundMode::AllowAny,
    };
    let root = cx.opts.root_namespace.clone();
    let sc = Sidecar::new(
        "default",
        Some(&root),
        SidecarSpec {
            egress: vec![IstioEgressListener {
                hosts: vec!["*/*".to_owned()],
                ..IstioEgressListener::default()
            }],
            outbound_traffic_policy: Some(OutboundTrafficPolicy {
                mode: Some(mode),
                egress_proxy: None,
            }),
            ..SidecarSpec::default()
        },
    );
    cx.note(
        Feature::EgressPolicy,
        FieldPath::root().field("egress").field("policy"),
        "written as the root-namespace default Sidecar (egress to every namespace, the outbound policy explicit)",
    );
    let v = cx.opts.api_versions.sidecar.clone();
    cx.emit(sc, &v);
}
