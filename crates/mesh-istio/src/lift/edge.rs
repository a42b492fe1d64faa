//! Ingress (Gateway + bound VirtualServices), egress (ServiceEntry, TLS
//! origination DestinationRule), outbound policy (root Sidecar).

use std::collections::BTreeSet;

use mesh_model::lift::ObjectRef;
use mesh_model::{
    ExternalPort, ExternalService, FieldPath, Hostname, Ingress, IpBlock, Listener,
    ListenerProtocol, ListenerTls, Name, ObjectName, OriginationMode, OutboundPolicy, Port,
    Protocol, Resolution, TlsMode, TlsOrigination,
};

use super::{Cx, Origin, object_ref};
use crate::crds::{
    self, Address, ClientTlsMode, OutboundMode, ServerTlsMode, ServiceEntryWorkloads,
};
use crate::lower::IstioObject;

pub(crate) fn lift(cx: &mut Cx<'_>) {
    ingresses(cx);
    externals(cx);
    outbound(cx);
}

// === ingress ===

fn ingresses(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::Gateway(gw) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = gw.namespace().unwrap_or("default").to_owned();
        let (Ok(name), Ok(namespace)) = (Name::new(r.name.as_str()), Name::new(ns.as_str())) else {
            cx.skip_whole(r, "not a valid name for an ingress");
            continue;
        };
        if gw.spec.selector != cx.opts.ingress_selector {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("selector"),
                format!(
                    "the gateway pods are chosen by the lowering option ingress_selector ({:?}), not by the model",
                    cx.opts.ingress_selector
                ),
            );
        }
        let mut hosts: Vec<Hostname> = Vec::new();
        let mut listeners = Vec::new();
        let mut first_hosts: Option<BTreeSet<String>> = None;
        for (i, s) in gw.spec.servers.iter().enumerate() {
            let spath = FieldPath::root().field("spec").field("servers").index(i);
            let server_hosts: BTreeSet<String> = s
                .hosts
                .iter()
                .map(|h| {
                    h.strip_prefix("*/")
                        .or_else(|| h.strip_prefix("./"))
                        .unwrap_or(h)
                        .to_owned()
                })
                .collect();
            match &first_hosts {
                None => first_hosts = Some(server_hosts.clone()),
                Some(f) if *f != server_hosts => cx.skip(
                    &r,
                    spath.field("hosts"),
                    "servers with different hosts: the model's ingress has one host list (the union is lifted)",
                ),
                Some(_) => {}
            }
            for (k, h) in s.hosts.iter().enumerate() {
                let plain = h
                    .strip_prefix("*/")
                    .or_else(|| h.strip_prefix("./"))
                    .unwrap_or(h);
                match Hostname::new(plain) {
                    Ok(h) => {
                        if !hosts.contains(&h) {
                            hosts.push(h);
                        }
                    }
                    Err(e) => cx.skip(&r, spath.field("hosts").index(k), e.to_string()),
                }
            }
            for (set, field) in [
                (s.bind.is_some(), "bind"),
                (s.default_endpoint.is_some(), "defaultEndpoint"),
                (s.port.target_port.is_some(), "port.targetPort"),
            ] {
                if set {
                    cx.skip(&r, spath.field(field), "not in the model");
                }
            }
            if let Some(l) = listener(cx, &r, s, &spath)
                && !listeners.iter().any(|x: &Listener| x.port == l.port)
            {
                listeners.push(l);
            }
        }
        // The VirtualServices bound to it.
        let mut routes = Vec::new();
        let mut origins = Vec::new();
        for v in cx.objects {
            let IstioObject::VirtualService(vs) = v else {
                continue;
            };
            let vns = vs.namespace().unwrap_or("default");
            let qualified = format!("{ns}/{}", r.name);
            let bound = vs
                .spec
                .gateways
                .iter()
                .any(|g| (*g == r.name && vns == ns) || *g == qualified);
            if !bound {
                continue;
            }
            let vr = object_ref(v);
            if vns != ns {
                cx.skip(
                    &vr,
                    FieldPath::root().field("metadata").field("namespace"),
                    "a VirtualService bound to a gateway in another namespace is not lifted (the model's ingress \
                     routes live with it)",
                );
                continue;
            }
            if vs.spec.gateways.iter().any(|g| g == "mesh") {
                cx.skip(
                    &vr,
                    FieldPath::root().field("spec").field("gateways"),
                    "bound to the gateway and to `mesh`: lifted as ingress routes only",
                );
            }
            for (set, field) in [
                (!vs.spec.tcp.is_empty(), "tcp"),
                (!vs.spec.export_to.is_empty(), "exportTo"),
            ] {
                if set {
                    cx.skip(
                        &vr,
                        FieldPath::root().field("spec").field(field),
                        "not in the model for an ingress",
                    );
                }
            }
            // TLS routes: the lowering routes passthrough by SNI to the
            // last catch-all route's backends; any other is not lifted.
            let lifted = super::traffic::rules(cx, &vr, &vs.spec.http, &ns, None);
            for (k, t) in vs.spec.tls.iter().enumerate() {
                let implied = listeners
                    .iter()
                    .any(|l| l.protocol == ListenerProtocol::Tls)
                    && t.route.iter().all(|d| {
                        lifted
                            .iter()
                            .rev()
                            .find(|(x, _)| x.is_catch_all())
                            .is_some_and(|(x, _)| {
                                x.forward().is_some_and(|f| {
                                    f.backends.iter().any(|b| {
                                        b.service.as_ref().is_some_and(|s| {
                                            d.destination.host.starts_with(s.as_str())
                                        })
                                    })
                                })
                            })
                    });
                if !implied {
                    cx.skip(
                        &vr,
                        FieldPath::root().field("spec").field("tls").index(k),
                        "TLS routes other than passthrough to the last catch-all route's backends are not in the model",
                    );
                }
            }
            for (route, origin) in lifted {
                routes.push(route);
                origins.push(origin);
            }
        }
        if listeners.is_empty() {
            cx.skip_whole(r, "no server of this Gateway can be said in the model");
            continue;
        }
        cx.ingress_origins.push(Origin {
            object: r.clone(),
            path: FieldPath::root().field("spec"),
        });
        cx.mesh.ingress.push(Ingress {
            name,
            namespace,
            hosts,
            listeners,
            routes,
        });
    }
    // VirtualServices bound to gateways that are not here.
    for v in cx.objects {
        let IstioObject::VirtualService(vs) = v else {
            continue;
        };
        let vns = vs.namespace().unwrap_or("default");
        for (k, g) in vs.spec.gateways.iter().enumerate() {
            if g == "mesh" {
                continue;
            }
            let (gns, gname) = g.split_once('/').unwrap_or((vns, g.as_str()));
            let known = cx.objects.iter().any(|o| {
                matches!(o, IstioObject::Gateway(x) if x.name() == gname && x.namespace().unwrap_or("default") == gns)
            });
            if !known {
                let vr = object_ref(v);
                cx.skip(
                    &vr,
                    FieldPath::root().field("spec").field("gateways").index(k),
                    format!("gateway {g} is not among the objects; its routes are not lifted"),
                );
            }
        }
    }
}

fn listener(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    s: &crds::Server,
    path: &FieldPath,
) -> Option<Listener> {
    let Ok(port) = Port::new(s.port.number) else {
        cx.skip(r, path.field("port").field("number"), "not a port number");
        return None;
    };
    let tls = s.tls.as_ref();
    let unsupported_tls = tls.is_some_and(|t| {
        t.server_certificate.is_some()
            || t.private_key.is_some()
            || t.ca_certificates.is_some()
            || t.ca_crl.is_some()
            || !t.credential_names.is_empty()
            || !t.tls_certificates.is_empty()
            || !t.subject_alt_names.is_empty()
            || !t.verify_certificate_spki.is_empty()
            || !t.verify_certificate_hash.is_empty()
            || t.min_protocol_version.is_some()
            || t.max_protocol_version.is_some()
            || !t.cipher_suites.is_empty()
            || t.ca_cert_credential_name.is_some()
    });
    if unsupported_tls {
        cx.skip(
            r,
            path.field("tls"),
            "certificate files, SANs, versions and ciphers are not in the model (credentialName is)",
        );
    }
    let credential = tls
        .and_then(|t| t.credential_name.as_deref())
        .and_then(|c| ObjectName::new(c).ok());
    match s.port.protocol.to_ascii_uppercase().as_str() {
        "HTTP" => Some(Listener {
            port,
            protocol: ListenerProtocol::Http,
            tls: None,
            https_redirect: tls.and_then(|t| t.https_redirect) == Some(true),
        }),
        "HTTPS" => {
            let mode = match tls.and_then(|t| t.mode) {
                None | Some(ServerTlsMode::Simple) => TlsMode::Terminate,
                Some(ServerTlsMode::Mutual) => TlsMode::Mutual,
                Some(other) => {
                    cx.skip(
                        r,
                        path.field("tls").field("mode"),
                        format!("{} on an HTTPS server is not in the model", other.as_str()),
                    );
                    return None;
                }
            };
            Some(Listener {
                port,
                protocol: ListenerProtocol::Https,
                tls: Some(ListenerTls { mode, credential }),
                https_redirect: false,
            })
        }
        "TLS" if tls.and_then(|t| t.mode) == Some(ServerTlsMode::Passthrough) => Some(Listener {
            port,
            protocol: ListenerProtocol::Tls,
            tls: Some(ListenerTls {
                mode: TlsMode::Passthrough,
                credential: None,
            }),
            https_redirect: false,
        }),
        other => {
            cx.skip(
                r,
                path.field("port").field("protocol"),
                format!(
                    "{other} servers are not in the model (HTTP, HTTPS and TLS passthrough are)"
                ),
            );
            None
        }
    }
}

// === egress ===

fn protocol(p: Option<&str>) -> Option<Protocol> {
    Some(match p?.to_ascii_uppercase().as_str() {
        "HTTP" => Protocol::Http,
        "HTTP2" => Protocol::Http2,
        "GRPC" => Protocol::Grpc,
        "HTTPS" => Protocol::Https,
        "TLS" => Protocol::Tls,
        "TCP" => Protocol::Tcp,
        _ => return None,
    })
}

fn externals(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::ServiceEntry(se) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = se.namespace().unwrap_or("default").to_owned();
        let spec = &se.spec;
        if spec.location == Some(crds::Location::MeshInternal) {
            cx.skip_whole(
                r,
                "MESH_INTERNAL entries add workloads to the mesh; the model's services are Kubernetes Services",
            );
            continue;
        }
        let (Ok(name), Ok(namespace)) = (Name::new(r.name.as_str()), Name::new(ns.as_str())) else {
            cx.skip_whole(r, "not a valid name for an external service");
            continue;
        };
        let base = FieldPath::root().field("spec");
        let mut hosts = Vec::new();
        for (i, h) in spec.hosts.iter().enumerate() {
            match Hostname::new(h.as_str()) {
                Ok(h) => hosts.push(h),
                Err(e) => cx.skip(&r, base.field("hosts").index(i), e.to_string()),
            }
        }
        let mut ports = Vec::new();
        for (i, p) in spec.ports.iter().enumerate() {
            let ppath = base.field("ports").index(i);
            let proto = protocol(p.protocol.as_deref()).or_else(|| super::protocol_of(&p.name));
            let (Some(protocol), Ok(number)) = (proto, Port::new(u32::from(p.number.get()))) else {
                cx.skip(
                    &r,
                    ppath,
                    "a port whose protocol is not HTTP, HTTP2, GRPC, HTTPS, TLS or TCP",
                );
                continue;
            };
            ports.push(ExternalPort {
                number,
                protocol,
                target_port: p
                    .target_port
                    .and_then(|t| Port::new(u32::from(t.get())).ok()),
            });
        }
        let resolution = match spec.resolution {
            None | Some(crds::Resolution::None) if !spec.addresses.is_empty() => {
                match spec
                    .addresses
                    .iter()
                    .map(|a| IpBlock::new(a.as_str()))
                    .collect()
                {
                    Ok(blocks) => Resolution::Static(blocks),
                    Err(e) => {
                        cx.skip(&r, base.field("addresses"), e.to_string());
                        Resolution::Passthrough
                    }
                }
            }
            None | Some(crds::Resolution::None) => Resolution::Passthrough,
            Some(crds::Resolution::Dns) => Resolution::Dns,
            Some(crds::Resolution::DnsRoundRobin) => {
                cx.skip(
                    &r,
                    base.field("resolution"),
                    "DNS_ROUND_ROBIN is lifted as DNS (the model does not choose how resolved addresses are balanced)",
                );
                Resolution::Dns
            }
            Some(crds::Resolution::Static) => match &spec.workloads {
                Some(ServiceEntryWorkloads::Endpoints(eps)) => {
                    let ips: Option<Vec<IpBlock>> = eps
                        .iter()
                        .map(|e| match &e.address {
                            Some(Address::Ip(ip, _)) => IpBlock::new(ip.to_string()).ok(),
                            _ => None,
                        })
                        .collect();
                    match ips {
                        Some(ips) if !ips.is_empty() => Resolution::Static(ips),
                        _ => {
                            cx.skip_whole(
                                r,
                                "STATIC endpoints other than IP addresses are not in the model",
                            );
                            continue;
                        }
                    }
                }
                _ => {
                    cx.skip_whole(
                        r,
                        "STATIC resolution without IP endpoints is not in the model",
                    );
                    continue;
                }
            },
            Some(other) => {
                cx.skip_whole(
                    r,
                    format!("resolution {} is not in the model", other.as_str()),
                );
                continue;
            }
        };
        if let Some(ServiceEntryWorkloads::Endpoints(eps)) = &spec.workloads
            && spec.resolution != Some(crds::Resolution::Static)
            && !eps.is_empty()
        {
            cx.skip(
                &r,
                base.field("endpoints"),
                "endpoints are lifted only with STATIC resolution",
            );
        }
        if matches!(spec.workloads, Some(ServiceEntryWorkloads::Selector(_))) {
            cx.skip(&r, base.field("workloadSelector"), "not in the model");
        }
        for (set, field) in [
            (!spec.export_to.is_empty(), "exportTo"),
            (!spec.subject_alt_names.is_empty(), "subjectAltNames"),
        ] {
            if set {
                cx.skip(&r, base.field(field), "not in the model");
            }
        }
        let tls = origination(cx, &spec.hosts, &ns);
        cx.egress_origins.push(Origin {
            object: r.clone(),
            path: base,
        });
        cx.mesh.egress.services.push(ExternalService {
            name,
            namespace,
            hosts,
            ports,
            resolution,
            tls,
        });
    }
}

/// TLS origination from the DestinationRules of an external service's
/// hosts (they must agree).
fn origination(cx: &mut Cx<'_>, hosts: &[String], ns: &str) -> Option<TlsOrigination> {
    let mut found: Option<TlsOrigination> = None;
    for o in cx.objects {
        let IstioObject::DestinationRule(dr) = o else {
            continue;
        };
        if !hosts.contains(&dr.spec.host) {
            continue;
        }
        let r = object_ref(o);
        let tpath = FieldPath::root().field("spec").field("trafficPolicy");
        let Some(tp) = &dr.spec.traffic_policy else {
            cx.skip_whole(
                r,
                "a DestinationRule of an external host without traffic policy says nothing",
            );
            continue;
        };
        if dr.namespace() != Some(ns) {
            cx.skip_whole(
                r,
                "TLS origination from another namespace than the ServiceEntry's is not lifted",
            );
            continue;
        }
        let rest = crds::TrafficPolicy {
            tls: None,
            ..tp.clone()
        };
        if rest != crds::TrafficPolicy::default() || !dr.spec.subsets.is_empty() {
            cx.skip(
                &r,
                tpath.clone(),
                "only TLS origination is lifted for external hosts",
            );
        }
        let Some(tls) = &tp.tls else { continue };
        let mode = match tls.mode {
            Some(ClientTlsMode::Simple) => OriginationMode::Simple,
            Some(ClientTlsMode::Mutual) => OriginationMode::Mutual,
            Some(ClientTlsMode::Disable) | None => continue,
            Some(ClientTlsMode::IstioMutual) => {
                cx.skip(
                    &r,
                    tpath.field("tls").field("mode"),
                    "ISTIO_MUTUAL to an external host is not in the model",
                );
                continue;
            }
        };
        let t = TlsOrigination {
            mode,
            sni: tls.sni.as_deref().and_then(|s| Hostname::new(s).ok()),
            credential: tls
                .credential_name
                .as_deref()
                .and_then(|c| ObjectName::new(c).ok()),
        };
        let other = crds::ClientTlsSettings {
            mode: tls.mode,
            sni: tls.sni.clone(),
            credential_name: tls.credential_name.clone(),
            ..Default::default()
        } != *tls;
        if other {
            cx.skip(
                &r,
                tpath.field("tls"),
                "certificate files, SANs and insecureSkipVerify are not in the model (credentialName and sni are)",
            );
        }
        match &found {
            None => found = Some(t),
            Some(f) if *f != t => cx.skip(
                &r,
                tpath.field("tls"),
                "differs from the TLS origination of the entry's other hosts; the first is lifted",
            ),
            Some(_) => {}
        }
    }
    found
}

// === outbound policy ===

fn outbound(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::Sidecar(sc) = o else {
            continue;
        };
        let r = object_ref(o);
        let spec = &sc.spec;
        let root = sc.namespace() == Some(cx.opts.root_namespace.as_str());
        let default_egress = spec.egress.is_empty()
            || (spec.egress.len() == 1
                && spec.egress[0].hosts == ["*/*"]
                && spec.egress[0].port.is_none()
                && spec.egress[0].bind.is_none()
                && spec.egress[0].capture_mode.is_none());
        let mode = spec.outbound_traffic_policy.as_ref().and_then(|p| p.mode);
        let proxy = spec
            .outbound_traffic_policy
            .as_ref()
            .is_some_and(|p| p.egress_proxy.is_some());
        if !root || spec.workload_selector.is_some() {
            cx.skip_whole(
                r,
                "only the mesh-wide Sidecar (root namespace, no selector) is lifted, as the egress policy",
            );
            continue;
        }
        if !default_egress
            || !spec.ingress.is_empty()
            || spec.inbound_connection_pool.is_some()
            || proxy
        {
            cx.skip(
                &r,
                FieldPath::root().field("spec"),
                "listeners, egress host lists, inbound pools and egress proxies are not in the model (only the outbound mode is)",
            );
        }
        cx.mesh.egress.policy = match mode {
            Some(OutboundMode::RegistryOnly) => OutboundPolicy::RegistryOnly,
            Some(OutboundMode::AllowAny) | None => OutboundPolicy::AllowAny,
        };
    }
}
