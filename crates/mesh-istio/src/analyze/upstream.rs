//! The `istioctl analyze` analyzers that apply to static files, with
//! upstream's semantics (Istio 1.30). Each function is one analyzer; its
//! doc names upstream's.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_model::FieldPath;
use mesh_model::analyze::Code;

use super::Finding;
use super::index::{
    Index, Labels, describe, fqdn, full_name, hosts_match, name_of, namespace_of, resource_name,
    selector_string, selects,
};
use crate::crds::{
    ApplyTo, ClientTlsMode, Destination, HeaderMatch, HttpMatchRequest, PatchOperation,
    PolicyTarget, StringMatch,
};

fn spec() -> FieldPath {
    FieldPath::root().field("spec")
}

fn metadata_name() -> FieldPath {
    FieldPath::root().field("metadata").field("name")
}

fn policy_selector(t: &Option<PolicyTarget>) -> Option<Labels> {
    match t {
        Some(PolicyTarget::Selector(s)) => Some(
            s.match_labels
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
                .collect(),
        ),
        _ => None,
    }
}

fn has_target_ref(t: &Option<PolicyTarget>) -> bool {
    matches!(
        t,
        Some(PolicyTarget::TargetRef(_) | PolicyTarget::TargetRefs(_))
    )
}

/// `deprecation.FieldAnalyzer`: `fault.delay.percent` and
/// `outboundTrafficPolicy.egressProxy`.
pub(crate) fn deprecation(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, vs) in &ix.virtual_services {
        for (i, r) in vs.spec.http.iter().enumerate() {
            let percent = r
                .fault
                .as_ref()
                .and_then(|f| f.delay.as_ref())
                .and_then(|d| d.percent);
            if percent.is_some_and(|p| p > 0) {
                out.push(
                    Finding::new(
                        *at,
                        Code::IstioDeprecated,
                        spec()
                            .field("http")
                            .index(i)
                            .field("fault")
                            .field("delay")
                            .field("percent"),
                        format!(
                            "{}: HTTPRoute.fault.delay.percent is deprecated",
                            describe(*vs)
                        ),
                    )
                    .hint("use `percentage: {value: N}`"),
                );
            }
        }
    }
    for (at, sc) in &ix.sidecars {
        if sc
            .spec
            .outbound_traffic_policy
            .as_ref()
            .is_some_and(|o| o.egress_proxy.is_some())
        {
            out.push(
                Finding::new(
                    *at,
                    Code::IstioDeprecated,
                    spec().field("outboundTrafficPolicy").field("egressProxy"),
                    format!(
                        "{}: OutboundTrafficPolicy.EgressProxy is ignored",
                        describe(*sc)
                    ),
                )
                .hint("route egress through an egress gateway with a VirtualService instead"),
            );
        }
    }
}

/// `gateway.IngressGatewayPortAnalyzer`: gateway pods exist, and their
/// Services expose every server port.
pub(crate) fn gateway_ports(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut services_by_ns: HashMap<&str, Vec<(Labels, Vec<u32>)>> = HashMap::new();
    for (_, s) in &ix.services {
        let spec = s.spec.as_ref();
        let tcp_ports = spec
            .and_then(|sp| sp.ports.as_ref())
            .map(|ps| {
                ps.iter()
                    .filter(|p| p.protocol.as_deref() == Some("TCP"))
                    .flat_map(|p| {
                        let target = match &p.target_port {
                            Some(IntOrString::Int(t)) => Some(t.max(&0).unsigned_abs()),
                            _ => None,
                        };
                        std::iter::once(p.port.max(0).unsigned_abs()).chain(target)
                    })
                    .collect()
            })
            .unwrap_or_default();
        services_by_ns
            .entry(s.metadata.namespace.as_deref().unwrap_or(""))
            .or_default()
            .push((
                spec.and_then(|sp| sp.selector.clone()).unwrap_or_default(),
                tcp_ports,
            ));
    }
    for (at, gw) in &ix.gateways {
        let selector = &gw.spec.selector;
        let mut matched = 0;
        let mut ports = HashSet::new();
        for pod in ix.select_pods(None, selector, false) {
            matched += 1;
            for (sel, ps) in services_by_ns.get(pod.namespace).into_iter().flatten() {
                if selects(sel, &pod.labels) {
                    ports.extend(ps.iter().copied());
                }
            }
        }
        if matched == 0 {
            out.push(no_workload(*at, describe(*gw), selector));
            continue;
        }
        for (i, s) in gw.spec.servers.iter().enumerate() {
            if !ports.contains(&s.port.number) {
                out.push(
                    Finding::new(
                        *at,
                        Code::GatewayPortNotOnService,
                        spec().field("servers").index(i).field("port").field("number"),
                        format!(
                            "{}: port {} is not exposed by any Service selecting the gateway pods ({})",
                            describe(*gw),
                            s.port.number,
                            selector_string(selector)
                        ),
                    )
                    .hint("add the port to the gateway's Service, or use a port it exposes"),
                );
            }
        }
    }
}

fn no_workload(at: usize, what: String, selector: &Labels) -> Finding {
    Finding::new(
        at,
        Code::GatewayNoWorkload,
        spec().field("selector"),
        format!(
            "{what}: selector `{}` matches no pod",
            selector_string(selector)
        ),
    )
    .hint("use the labels of the gateway deployment's pods (`istio: ingressgateway` by default)")
}

/// `gateway.SecretAnalyzer`: `credentialName` Secrets exist in the
/// namespace of the gateway pods.
pub(crate) fn gateway_secrets(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, gw) in &ix.gateways {
        let selector = &gw.spec.selector;
        let Some(pod) = ix.select_pods(None, selector, false).next() else {
            out.push(no_workload(*at, describe(*gw), selector));
            continue;
        };
        for (i, s) in gw.spec.servers.iter().enumerate() {
            let Some(cn) = s
                .tls
                .as_ref()
                .and_then(|t| t.credential_name.as_deref())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            let (ns, name) = match cn.split_once('/') {
                Some((ns, name)) => (ns, name),
                None => (pod.namespace, cn),
            };
            if !ix.secret_exists(ns, name) {
                out.push(
                    Finding::new(
                        *at,
                        Code::GatewayCredentialNotFound,
                        spec().field("servers").index(i).field("tls").field("credentialName"),
                        format!(
                            "{}: credentialName `{cn}` names no Secret in namespace `{}` of the gateway pods",
                            describe(*gw),
                            pod.namespace
                        ),
                    )
                    .hint("create the Secret in the gateway workload's namespace, not the Gateway's"),
                );
            }
        }
    }
}

/// `gateway.ConflictingGatewayAnalyzer`: gateways whose selectors
/// overlap (one contains the other) with servers on the same port and
/// overlapping hosts.
pub(crate) fn conflicting_gateways(ix: &Index<'_>, out: &mut Vec<Finding>) {
    // port -> (gateway position, server hosts)
    let mut by_port: BTreeMap<u32, Vec<(usize, &Vec<String>)>> = BTreeMap::new();
    for (n, (_, gw)) in ix.gateways.iter().enumerate() {
        for s in &gw.spec.servers {
            by_port
                .entry(s.port.number)
                .or_default()
                .push((n, &s.hosts));
        }
    }
    for (n, (at, gw)) in ix.gateways.iter().enumerate() {
        let sel = &gw.spec.selector;
        for (i, s) in gw.spec.servers.iter().enumerate() {
            let mut others: Vec<String> = Vec::new();
            for (m, hosts) in by_port.get(&s.port.number).into_iter().flatten() {
                let Some((_, other)) = ix.gateways.get(*m) else {
                    continue;
                };
                let overlap =
                    selects(sel, &other.spec.selector) || selects(&other.spec.selector, sel);
                if *m == n || !overlap {
                    continue;
                }
                if s.hosts
                    .iter()
                    .any(|h| hosts.iter().any(|o| hosts_match(h, o)))
                {
                    let name = full_name(*other);
                    if !others.contains(&name) {
                        others.push(name);
                    }
                }
            }
            if !others.is_empty() {
                out.push(
                    Finding::new(
                        *at,
                        Code::ConflictingGateways,
                        spec().field("servers").index(i),
                        format!(
                            "{}: conflicts with gateway(s) {} (selector `{}`, port {}, hosts {})",
                            describe(*gw),
                            others.join(","),
                            selector_string(sel),
                            s.port.number,
                            s.hosts.join(",")
                        ),
                    )
                    .hint("serve each host on a port of a gateway workload from one Gateway"),
                );
            }
        }
    }
}

/// `gateway.CertificateAnalyzer`: the same certificate on gateways whose
/// selectors overlap.
pub(crate) fn gateway_certificates(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, gw) in &ix.gateways {
        let me = full_name(*gw);
        for (_, other) in &ix.gateways {
            if full_name(*other) == me || !selects(&gw.spec.selector, &other.spec.selector) {
                continue;
            }
            for cur in &gw.spec.servers {
                for srv in &other.spec.servers {
                    let (Some(a), Some(b)) = (&cur.tls, &srv.tls) else {
                        continue;
                    };
                    let nz = |o: &Option<String>| o.clone().filter(|s| !s.is_empty());
                    let same = match (nz(&a.credential_name), nz(&b.credential_name)) {
                        (Some(x), Some(y)) => x == y,
                        (None, None) => {
                            match (nz(&a.server_certificate), nz(&b.server_certificate)) {
                                (Some(x), Some(y)) if x == y => {
                                    matches!((nz(&a.private_key), nz(&b.private_key)), (Some(p), Some(q)) if p == q)
                                }
                                _ => false,
                            }
                        }
                        _ => false,
                    };
                    if same {
                        out.push(
                            Finding::new(
                                *at,
                                Code::GatewayDuplicateCertificate,
                                metadata_name(),
                                format!(
                                    "{}: uses the same certificate as gateway {}",
                                    describe(*gw),
                                    full_name(*other)
                                ),
                            )
                            .hint("give each gateway its own certificate, or merge the servers into one Gateway"),
                        );
                    }
                }
            }
        }
    }
}

/// The namespaces a VirtualService's hosts are visible in (`*` for all).
fn export_scopes(ns: &str, export_to: &[String]) -> Vec<String> {
    if export_to.is_empty() || export_to.iter().any(|e| e == "*") {
        return vec!["*".into()];
    }
    let set: BTreeSet<String> = export_to
        .iter()
        .map(|e| if e == "." { ns.to_owned() } else { e.clone() })
        .collect();
    set.into_iter().collect()
}

/// `virtualservice.ConflictingMeshGatewayHostsAnalyzer`: several
/// mesh-gateway VirtualServices for one host visible in one namespace (a
/// host exported everywhere conflicts with the same host exported to any
/// namespace). Each VirtualService is reported once.
pub(crate) fn host_conflicts(ix: &Index<'_>, out: &mut Vec<Finding>) {
    // host -> scope -> VirtualService positions
    let mut by_host: BTreeMap<String, BTreeMap<String, Vec<usize>>> = BTreeMap::new();
    for (n, (_, vs)) in ix.virtual_services.iter().enumerate() {
        let s = &vs.spec;
        if !(s.gateways.is_empty() || s.gateways.iter().any(|g| g == "mesh")) {
            continue;
        }
        let ns = namespace_of(*vs);
        for scope in export_scopes(ns, &s.export_to) {
            for h in &s.hosts {
                let list = by_host
                    .entry(fqdn(ns, h, &ix.mesh.cluster_domain))
                    .or_default()
                    .entry(scope.clone())
                    .or_default();
                if !list.contains(&n) {
                    list.push(n);
                }
            }
        }
    }
    let mut conflicts: BTreeMap<usize, (String, BTreeSet<usize>)> = BTreeMap::new();
    let mut note = |a: usize, b: usize, host: &str| {
        if a != b {
            conflicts
                .entry(a)
                .or_insert_with(|| (host.to_owned(), BTreeSet::new()))
                .1
                .insert(b);
        }
    };
    let compatible = |x: &str, y: &str| x == y || x == "*" || y == "*";
    // Same host: pairs within the host's group.
    for (host, scopes) in &by_host {
        for (sa, la) in scopes {
            for (sb, lb) in scopes {
                if compatible(sa, sb) {
                    for a in la {
                        for b in lb {
                            note(*a, *b, host);
                        }
                    }
                }
            }
        }
    }
    // Wildcard hosts also overlap the hosts they cover (few wildcards:
    // each is compared with every host once).
    for (wild, wscopes) in by_host.iter().filter(|(h, _)| h.starts_with('*')) {
        for (host, scopes) in by_host.iter().filter(|(h, _)| *h != wild) {
            if !hosts_match(wild, host) {
                continue;
            }
            for (sa, la) in wscopes {
                for (sb, lb) in scopes {
                    if compatible(sa, sb) {
                        for a in la {
                            for b in lb {
                                note(*a, *b, host);
                                note(*b, *a, wild);
                            }
                        }
                    }
                }
            }
        }
    }
    for (n, (host, with)) in conflicts {
        let Some((at, vs)) = ix.virtual_services.get(n) else {
            continue;
        };
        let names: Vec<String> = with
            .iter()
            .filter_map(|m| ix.virtual_services.get(*m).map(|(_, o)| full_name(*o)))
            .collect();
        out.push(
            Finding::new(
                *at,
                Code::VirtualServiceHostConflict,
                metadata_name(),
                format!(
                    "{}: host {host} is also defined for the mesh gateway by VirtualService(s) {}",
                    describe(*vs),
                    names.join(",")
                ),
            )
            .hint("merge them into one VirtualService per host (rule order across objects is undefined)"),
        );
    }
}

/// A destination with where it is in the VirtualService.
struct Dest<'a> {
    field: FieldPath,
    mirror: bool,
    destination: &'a Destination,
}

fn route_destinations(vs: &crate::crds::VirtualServiceSpec) -> Vec<Dest<'_>> {
    let mut v = Vec::new();
    for (i, r) in vs.tcp.iter().enumerate() {
        for (j, d) in r.route.iter().enumerate() {
            v.push(Dest {
                field: spec()
                    .field("tcp")
                    .index(i)
                    .field("route")
                    .index(j)
                    .field("destination"),
                mirror: false,
                destination: &d.destination,
            });
        }
    }
    for (i, r) in vs.tls.iter().enumerate() {
        for (j, d) in r.route.iter().enumerate() {
            v.push(Dest {
                field: spec()
                    .field("tls")
                    .index(i)
                    .field("route")
                    .index(j)
                    .field("destination"),
                mirror: false,
                destination: &d.destination,
            });
        }
    }
    for (i, r) in vs.http.iter().enumerate() {
        for (j, d) in r.route.iter().enumerate() {
            v.push(Dest {
                field: spec()
                    .field("http")
                    .index(i)
                    .field("route")
                    .index(j)
                    .field("destination"),
                mirror: false,
                destination: &d.destination,
            });
        }
    }
    v
}

fn mirror_destinations(vs: &crate::crds::VirtualServiceSpec) -> Vec<Dest<'_>> {
    let mut v = Vec::new();
    for (i, r) in vs.http.iter().enumerate() {
        if let Some(m) = &r.mirror {
            v.push(Dest {
                field: spec().field("http").index(i).field("mirror"),
                mirror: true,
                destination: m,
            });
        }
        for (j, m) in r.mirrors.iter().enumerate() {
            v.push(Dest {
                field: spec()
                    .field("http")
                    .index(i)
                    .field("mirrors")
                    .index(j)
                    .field("destination"),
                mirror: true,
                destination: &m.destination,
            });
        }
    }
    v
}

/// `virtualservice.DestinationHostAnalyzer`: destination hosts and ports
/// exist; gateway routes without subset to hosts a mesh VirtualService
/// splits by subset.
pub(crate) fn destination_hosts(ix: &Index<'_>, out: &mut Vec<Finding>) {
    // VirtualServices whose routes go to one of their own hosts by subset.
    let mut subset_routed: Vec<(String, HashSet<&str>)> = Vec::new();
    for (_, vs) in &ix.virtual_services {
        let mut hosts = HashSet::new();
        for r in &vs.spec.http {
            for d in &r.route {
                if d.destination
                    .subset
                    .as_deref()
                    .is_some_and(|s| !s.is_empty())
                    && vs.spec.hosts.contains(&d.destination.host)
                {
                    hosts.insert(d.destination.host.as_str());
                }
            }
        }
        if !hosts.is_empty() {
            subset_routed.push((full_name(*vs), hosts));
        }
    }
    subset_routed.sort_by(|a, b| a.0.cmp(&b.0));
    for (at, vs) in &ix.virtual_services {
        let ns = namespace_of(*vs);
        let s = &vs.spec;
        for d in route_destinations(s)
            .into_iter()
            .chain(mirror_destinations(s))
        {
            let host = &d.destination.host;
            let Some(entry) = ix.lookup_host(ns, &s.export_to, host) else {
                out.push(
                    Finding::new(
                        *at,
                        Code::DestinationHostNotFound,
                        d.field.field("host"),
                        format!(
                            "{}: {} host `{host}` is provided by no Service or ServiceEntry visible from namespace `{ns}`",
                            describe(*vs),
                            if d.mirror { "mirror" } else { "destination" }
                        ),
                    )
                    .hint("fix the host, or add the ServiceEntry / Service (check its exportTo)"),
                );
                continue;
            };
            match &d.destination.port {
                None if entry.ports.len() > 1 => out.push(
                    Finding::new(
                        *at,
                        Code::DestinationPortRequired,
                        d.field.clone(),
                        format!(
                            "{}: `{host}` exposes ports {:?}; the destination must name one",
                            describe(*vs),
                            entry.ports
                        ),
                    )
                    .hint("add `port: {number: N}` to the destination"),
                ),
                Some(p) if !entry.ports.contains(&p.number) => out.push(
                    Finding::new(
                        *at,
                        Code::DestinationPortNotFound,
                        d.field.field("port").field("number"),
                        format!("{}: `{host}` has no port {}", describe(*vs), p.number),
                    )
                    .hint("use a port the service exposes"),
                ),
                _ => {}
            }
        }
        if s.gateways.is_empty() {
            continue;
        }
        for (i, r) in s.http.iter().enumerate() {
            for (j, d) in r.route.iter().enumerate() {
                if d.destination
                    .subset
                    .as_deref()
                    .is_some_and(|x| !x.is_empty())
                {
                    continue;
                }
                for (other, hosts) in &subset_routed {
                    if hosts.contains(d.destination.host.as_str()) {
                        out.push(
                            Finding::new(
                                *at,
                                Code::IngressRouteRulesNotAffected,
                                spec().field("http").index(i).field("route").index(j).field("destination").field("host"),
                                format!(
                                    "{}: routes to `{}` without subset, so the subset rules of VirtualService {other} do not apply to this gateway's traffic",
                                    describe(*vs),
                                    d.destination.host
                                ),
                            )
                            .hint("route the gateway to the subsets too, or bind the mesh VirtualService to the gateway"),
                        );
                    }
                }
            }
        }
    }
}

/// `virtualservice.DestinationRuleAnalyzer`: route and mirror subsets are
/// defined by a DestinationRule.
pub(crate) fn destination_subsets(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let domain = &ix.mesh.cluster_domain;
    let mut defined: HashSet<(String, String, String)> = HashSet::new();
    for (_, dr) in &ix.destination_rules {
        let ns = namespace_of(*dr);
        let host = fqdn(ns, &dr.spec.host, domain);
        let (hns, hname) = resource_name(ns, &host, domain);
        for s in &dr.spec.subsets {
            defined.insert((hns.clone(), hname.clone(), s.name.clone()));
        }
    }
    for (at, vs) in &ix.virtual_services {
        let ns = namespace_of(*vs);
        for d in route_destinations(&vs.spec)
            .into_iter()
            .chain(mirror_destinations(&vs.spec))
        {
            let Some(subset) = d.destination.subset.as_deref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let (hns, hname) = resource_name(ns, &d.destination.host, domain);
            if !defined.contains(&(hns, hname, subset.to_owned())) {
                out.push(
                    Finding::new(
                        *at,
                        Code::SubsetNotDefined,
                        d.field.field("subset"),
                        format!(
                            "{}: subset `{subset}` of host `{}` is defined by no DestinationRule",
                            describe(*vs),
                            d.destination.host
                        ),
                    )
                    .hint("add the subset to the host's DestinationRule (requests to it fail with 503)"),
                );
            }
        }
    }
}

/// Istio's host matching of a gateway's server hosts (`ns/host`) seen from
/// a VirtualService in `vs_ns`.
fn gateway_hosts_for(gw_ns: &str, hosts: &[String], vs_ns: &str) -> Vec<String> {
    let mut sanitized = Vec::new();
    for h in hosts {
        match h.split_once('/') {
            Some((".", rest)) => sanitized.push(format!("{gw_ns}/{rest}")),
            Some(("*", "*")) => return vec!["*".into()],
            Some(("*", rest)) => sanitized.push(rest.to_owned()),
            _ => sanitized.push(h.clone()),
        }
    }
    sanitized
        .into_iter()
        .filter_map(|h| match h.split_once('/') {
            Some((ns, rest)) if ns == vs_ns || ns == "*" => Some(rest.to_owned()),
            Some(_) => None,
            None => Some(h),
        })
        .collect()
}

/// `virtualservice.GatewayAnalyzer`: bound gateways exist, serve one of
/// the hosts, and are not Istio-generated.
pub(crate) fn vs_gateways(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, vs) in &ix.virtual_services {
        let ns = namespace_of(*vs);
        for (i, g) in vs.spec.gateways.iter().enumerate() {
            if g == "mesh" {
                continue;
            }
            let field = spec().field("gateways").index(i);
            if g.contains("istio-autogenerated-k8s-gateway") {
                out.push(
                    Finding::new(
                        *at,
                        Code::InternalGatewayReference,
                        field,
                        format!(
                            "{}: gateway `{g}` is generated by Istio for a Kubernetes Gateway",
                            describe(*vs)
                        ),
                    )
                    .hint(
                        "bind the route to the Kubernetes Gateway (an HTTPRoute parentRef) instead",
                    ),
                );
                continue;
            }
            let (gns, gname) = g.split_once('/').unwrap_or((ns, g.as_str()));
            let istio_gw = ix.gateway(gns, gname);
            let k8s_gw = istio_gw.is_none() && ix.k8s_gateway_exists(gns, gname);
            if istio_gw.is_none() && !k8s_gw {
                out.push(
                    Finding::new(
                        *at,
                        Code::GatewayNotFound,
                        field.clone(),
                        format!("{}: gateway `{g}` does not exist", describe(*vs)),
                    )
                    .hint("fix the name (`namespace/name` for a gateway in another namespace) or create the Gateway"),
                );
            }
            if k8s_gw {
                continue;
            }
            let gw_hosts: Vec<String> = istio_gw
                .map(|gw| {
                    gw.spec
                        .servers
                        .iter()
                        .flat_map(|s| gateway_hosts_for(gns, &s.hosts, ns))
                        .collect()
                })
                .unwrap_or_default();
            let served = gw_hosts
                .iter()
                .any(|gh| vs.spec.hosts.iter().any(|vh| hosts_match(gh, vh)));
            if !served {
                out.push(
                    Finding::new(
                        *at,
                        Code::HostNotInGateway,
                        field,
                        format!(
                            "{}: none of the hosts {:?} is served by gateway `{g}`",
                            describe(*vs),
                            vs.spec.hosts
                        ),
                    )
                    .hint("add the host to a server of the gateway, or fix the VirtualService's hosts"),
                );
            }
        }
    }
}

const JWT_CLAIM: &str = "@request.auth.claims";

/// `virtualservice.JWTClaimRouteAnalyzer`.
pub(crate) fn jwt_claim_routes(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut ra_by_ns: HashMap<&str, Vec<Labels>> = HashMap::new();
    for (_, ra) in &ix.request_authentications {
        ra_by_ns
            .entry(namespace_of(*ra))
            .or_default()
            .push(policy_selector(&ra.spec.target).unwrap_or_default());
    }
    for (at, vs) in &ix.virtual_services {
        let key = vs.spec.http.iter().flat_map(|r| &r.match_).find_map(|m| {
            m.headers
                .keys()
                .chain(m.without_headers.keys())
                .find(|k| k.starts_with(JWT_CLAIM))
        });
        let Some(key) = key else { continue };
        let ns = namespace_of(*vs);
        for g in &vs.spec.gateways {
            if g == "mesh" {
                continue;
            }
            let (gns, gname) = g.split_once('/').unwrap_or((ns, g.as_str()));
            let Some(gw) = ix.gateway(gns, gname) else {
                continue;
            };
            for pod in ix.select_pods(None, &gw.spec.selector, false) {
                let covered = ra_by_ns
                    .get("istio-system")
                    .into_iter()
                    .chain(ra_by_ns.get(pod.namespace))
                    .flatten()
                    .any(|sel| selects(sel, &pod.labels));
                if !covered {
                    out.push(
                        Finding::new(
                            *at,
                            Code::JwtClaimRouteWithoutRequestAuthn,
                            spec().field("gateways"),
                            format!(
                                "{}: routes on `{key}` at gateway `{gns}/{gname}`, but no RequestAuthentication applies to its pod {}",
                                describe(*vs),
                                pod.name
                            ),
                        )
                        .hint("add a RequestAuthentication selecting the gateway pods"),
                    );
                }
            }
        }
    }
}

/// A match reduced to what upstream compares for prefix overlap.
struct PrefixMatch {
    route: String,
    match_name: String,
    prefix: String,
    port: Option<u32>,
    method: String,
    authority: String,
    headers: BTreeMap<String, String>,
    query: BTreeMap<String, String>,
    without: BTreeMap<String, String>,
}

fn exact_or_prefix(m: Option<&StringMatch>) -> String {
    match m {
        Some(StringMatch::Exact(e)) if !e.is_empty() => format!("exact:{e}"),
        Some(StringMatch::Prefix(p)) if !p.is_empty() => format!("prefix:{p}"),
        _ => String::new(),
    }
}

fn header_value(h: &HeaderMatch) -> String {
    match h {
        HeaderMatch::Value(v) => exact_or_prefix(Some(v)),
        HeaderMatch::Present => String::new(),
    }
}

fn route_label(name: Option<&str>, i: usize) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("{n:?}"),
        _ => format!("#{i}"),
    }
}

fn prefix_match(route: String, m: &HttpMatchRequest, j: usize) -> Option<PrefixMatch> {
    let Some(StringMatch::Prefix(prefix)) = &m.uri else {
        return None;
    };
    if prefix.is_empty() {
        return None;
    }
    let mut method = exact_or_prefix(m.method.as_ref());
    if method.is_empty() {
        method = "exact:GET".into();
    }
    let map = |x: &BTreeMap<String, HeaderMatch>| {
        x.iter()
            .map(|(k, v)| (k.clone(), header_value(v)))
            .collect()
    };
    Some(PrefixMatch {
        route,
        match_name: route_label(m.name.as_deref(), j),
        prefix: prefix.clone(),
        port: m.port,
        method,
        authority: exact_or_prefix(m.authority.as_ref()),
        headers: map(&m.headers),
        query: map(&m.query_params),
        without: map(&m.without_headers),
    })
}

fn covers(a: &PrefixMatch, b: &PrefixMatch) -> bool {
    let same_or_prefix = |x: &str, y: &str| x == y || x.starts_with(y);
    let maps = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| {
        x.len() == y.len()
            && x.iter()
                .all(|(k, v)| y.get(k).is_some_and(|w| same_or_prefix(v, w)))
    };
    b.prefix.starts_with(&a.prefix)
        && a.port == b.port
        && same_or_prefix(&a.method, &b.method)
        && same_or_prefix(&a.authority, &b.authority)
        && maps(&a.headers, &b.headers)
        && maps(&a.query, &b.query)
        && maps(&a.without, &b.without)
}

/// A match's identity for duplicate detection: its JSON without `name`.
fn match_key<T: serde::Serialize>(m: &T) -> String {
    let mut v = serde_json::to_value(m).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.remove("name");
    }
    v.to_string()
}

/// Upstream's unreachable-rule analysis over one list of rules (matches
/// per rule): `unreachable(rule, reason)` and `ineffective(rule, match,
/// earlier)`.
fn unreachable_in<F>(rules: &[(String, Vec<String>)], mut report: F)
where
    F: FnMut(usize, Option<usize>, String),
{
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut empty_seen = false;
    for (i, (_, matches)) in rules.iter().enumerate() {
        if matches.is_empty() {
            if empty_seen {
                report(i, None, "only the last rule can have no matches".into());
            }
            empty_seen = true;
            continue;
        }
        let mut dup = 0;
        for (j, key) in matches.iter().enumerate() {
            if let Some(&earlier) = seen.get(key.as_str()) {
                let name = rules.get(earlier).map(|r| r.0.clone()).unwrap_or_default();
                report(i, Some(j), format!("duplicate of a match in rule {name}"));
                dup += 1;
            } else {
                seen.insert(key, i);
            }
        }
        if dup == matches.len() {
            report(i, None, "all matches used by prior rules".into());
        }
    }
}

/// Upstream's schema validation warnings: rules after a catch-all,
/// rules whose matches all repeat earlier ones, matches repeated or
/// covered by an earlier prefix match.
pub(crate) fn unreachable_rules(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, vs) in &ix.virtual_services {
        let s = &vs.spec;
        let who = describe(*vs);
        let mut push = |kind: &str, i: usize, j: Option<usize>, reason: String| {
            let field = spec().field(kind).index(i);
            let f = match j {
                None => Finding::new(
                    *at,
                    Code::RouteShadowed,
                    field,
                    format!("{who}: {kind} rule {i} is never used ({reason})"),
                )
                .hint("remove the rule or move it before the rules that catch its traffic"),
                Some(j) => Finding::new(
                    *at,
                    Code::MatchIneffective,
                    field.field("match").index(j),
                    format!("{who}: {kind} rule {i} match {j} is never used ({reason})"),
                )
                .hint("remove the match or make it more specific than the earlier one"),
            };
            out.push(f);
        };
        let http: Vec<(String, Vec<String>)> = s
            .http
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    route_label(r.name.as_deref(), i),
                    r.match_.iter().map(match_key).collect(),
                )
            })
            .collect();
        unreachable_in(&http, |i, j, r| push("http", i, j, r));
        let mut prefixes = Vec::new();
        let mut seen = HashSet::new();
        for (i, r) in s.http.iter().enumerate() {
            for (j, m) in r.match_.iter().enumerate() {
                if seen.insert(match_key(m))
                    && let Some(p) = prefix_match(route_label(r.name.as_deref(), i), m, j)
                {
                    prefixes.push((i, j, p));
                }
            }
        }
        for (a, (_, _, pa)) in prefixes.iter().enumerate() {
            for (i, j, pb) in prefixes.iter().skip(a + 1) {
                if pb.prefix != pa.prefix && covers(pa, pb) {
                    push(
                        "http",
                        *i,
                        Some(*j),
                        format!(
                            "match {} of prefix {} is covered by match {} of prefix {} on rule {}",
                            pb.match_name, pb.prefix, pa.match_name, pa.prefix, pa.route
                        ),
                    );
                }
            }
        }
        let tcp: Vec<(String, Vec<String>)> = s
            .tcp
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("#{i}"), r.match_.iter().map(match_key).collect()))
            .collect();
        unreachable_in(&tcp, |i, j, r| push("tcp", i, j, r));
        let tls: Vec<(String, Vec<String>)> = s
            .tls
            .iter()
            .enumerate()
            .map(|(i, r)| (format!("#{i}"), r.match_.iter().map(match_key).collect()))
            .collect();
        unreachable_in(&tls, |i, j, r| push("tls", i, j, r));
    }
}

fn namespace_matches(ns: &str, exp: &str) -> bool {
    if exp == "*" {
        return true;
    }
    if let Some(suffix) = exp.strip_prefix('*') {
        return ns.ends_with(suffix);
    }
    if let Some(prefix) = exp.strip_suffix('*') {
        return ns.starts_with(prefix);
    }
    ns.eq_ignore_ascii_case(exp)
}

/// `auth.AuthorizationPoliciesAnalyzer`: the policy selects in-mesh pods;
/// source namespaces exist.
pub(crate) fn authorization_policies(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut in_mesh: HashMap<&str, Vec<&Labels>> = HashMap::new();
    for p in &ix.pods {
        if ix.pod_in_mesh(p) || ambient_pod(p) {
            in_mesh.entry(p.namespace).or_default().push(&p.labels);
        }
    }
    let root = ix.mesh.root_namespace.as_str();
    for (at, ap) in &ix.authorization_policies {
        let ns = namespace_of(*ap);
        let who = describe(*ap);
        let selector = policy_selector(&ap.spec.target);
        let none = |sel: &str| {
            Finding::new(
                *at,
                Code::AuthzNoMatchingWorkloads,
                spec().field("selector"),
                format!("{who}: selects no in-mesh pod{sel}"),
            )
            .hint("fix the selector or namespace, or inject the workloads")
        };
        if ns == root {
            if let Some(sel) = &selector
                && !in_mesh.values().flatten().any(|l| selects(sel, l))
            {
                out.push(none(
                    format!(" (selector `{}`)", selector_string(sel)).as_str(),
                ));
            }
        } else if let Some(sel) = &selector {
            if !in_mesh
                .get(ns)
                .into_iter()
                .flatten()
                .any(|l| selects(sel, l))
            {
                out.push(none(
                    format!(" (selector `{}`)", selector_string(sel)).as_str(),
                ));
            }
        } else if !has_target_ref(&ap.spec.target) && in_mesh.get(ns).is_none_or(Vec::is_empty) {
            out.push(none(&format!(" in namespace `{ns}`")));
        }
        for (i, rule) in ap.spec.rules.iter().flatten().enumerate() {
            for (j, from) in rule.from.iter().enumerate() {
                let Some(src) = &from.source else { continue };
                let lists = [
                    ("namespaces", &src.namespaces),
                    ("notNamespaces", &src.not_namespaces),
                ];
                for (key, list) in lists {
                    for (k, exp) in list.iter().enumerate() {
                        if !ix.namespaces.keys().any(|n| namespace_matches(n, exp)) {
                            out.push(
                                Finding::new(
                                    *at,
                                    Code::AuthzNamespaceNotFound,
                                    spec()
                                        .field("rules")
                                        .index(i)
                                        .field("from")
                                        .index(j)
                                        .field("source")
                                        .field(key)
                                        .index(k),
                                    format!("{who}: namespace `{exp}` matches no Namespace"),
                                )
                                .hint("fix the namespace name"),
                            );
                        }
                    }
                }
            }
        }
    }
}

/// `destinationrule.CaCertificateAnalyzer`.
pub(crate) fn ca_certificates(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let verifies = |mode: Option<ClientTlsMode>, ca: &Option<String>| {
        !matches!(mode, Some(ClientTlsMode::Simple | ClientTlsMode::Mutual))
            || ca.as_deref().is_some_and(|c| !c.is_empty())
    };
    for (at, dr) in &ix.destination_rules {
        if dr.spec.workload_selector.is_some() {
            // With a workload selector, credentialName-based verification
            // is configured at the workload (upstream skips these).
            let has_cred = dr
                .spec
                .traffic_policy
                .as_ref()
                .and_then(|t| t.tls.as_ref())
                .is_some_and(|t| t.credential_name.is_some())
                || dr
                    .spec
                    .traffic_policy
                    .iter()
                    .flat_map(|t| &t.port_level_settings)
                    .any(|p| p.tls.as_ref().is_some_and(|t| t.credential_name.is_some()));
            if has_cred {
                continue;
            }
        }
        let Some(tp) = &dr.spec.traffic_policy else {
            continue;
        };
        if let Some(tls) = &tp.tls
            && !verifies(tls.mode, &tls.ca_certificates)
        {
            out.push(
                Finding::new(
                    *at,
                    Code::NoCaCertificates,
                    spec().field("trafficPolicy").field("tls"),
                    format!(
                        "{}: TLS mode {} to `{}` without caCertificates: the server certificate is not verified",
                        describe(*dr),
                        tls.mode.map(|m| m.as_str()).unwrap_or(""),
                        dr.spec.host
                    ),
                )
                .hint("set `caCertificates` (or a `credentialName` holding `ca.crt`)"),
            );
        }
        for (i, p) in tp.port_level_settings.iter().enumerate() {
            if let Some(tls) = &p.tls
                && !verifies(tls.mode, &tls.ca_certificates)
            {
                out.push(
                    Finding::new(
                        *at,
                        Code::NoCaCertificatesPort,
                        spec()
                            .field("trafficPolicy")
                            .field("portLevelSettings")
                            .index(i)
                            .field("tls"),
                        format!(
                            "{}: TLS mode {} to `{}` port {} without caCertificates",
                            describe(*dr),
                            tls.mode.map(|m| m.as_str()).unwrap_or(""),
                            dr.spec.host,
                            p.port.as_ref().map(|p| p.number).unwrap_or(0)
                        ),
                    )
                    .hint("set `caCertificates` (or a `credentialName` holding `ca.crt`)"),
                );
            }
        }
    }
}

/// `destinationrule.SubsetSelectPodAnalyzer`: the host is known and each
/// subset selects a pod (labels with the node's topology labels).
pub(crate) fn subset_pods(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, dr) in &ix.destination_rules {
        let ns = namespace_of(*dr);
        let Some(entry) = ix.lookup_host(ns, &dr.spec.export_to, &dr.spec.host) else {
            out.push(
                Finding::new(
                    *at,
                    Code::UnknownDestinationRuleHost,
                    spec().field("host"),
                    format!(
                        "{}: host `{}` is provided by no Service or ServiceEntry",
                        describe(*dr),
                        dr.spec.host
                    ),
                )
                .hint("fix the host (short names resolve in the DestinationRule's namespace)"),
            );
            continue;
        };
        for (i, s) in dr.spec.subsets.iter().enumerate() {
            let mut sel = entry.selector.clone();
            sel.extend(s.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
            if ix.select_pods(None, &sel, true).next().is_none() {
                out.push(
                    Finding::new(
                        *at,
                        Code::VersionSelectsNoPods,
                        spec().field("subsets").index(i).field("labels"),
                        format!(
                            "{}: subset `{}` selects no pod (`{}`)",
                            describe(*dr),
                            s.name,
                            selector_string(&sel)
                        ),
                    )
                    .hint("fix the subset labels to those of the version's pods"),
                );
            }
        }
    }
}

/// `serviceentry.Analyzer`: TCP ports without addresses.
pub(crate) fn service_entry_addresses(ix: &Index<'_>, out: &mut Vec<Finding>) {
    if ix.mesh.dns_auto_allocate {
        return;
    }
    for (at, se) in &ix.service_entries {
        let allocated = se
            .status
            .as_ref()
            .is_some_and(|st| !st.addresses.is_empty());
        if !se.spec.addresses.is_empty() || allocated {
            continue;
        }
        for (i, p) in se.spec.ports.iter().enumerate() {
            let proto = p.protocol.as_deref().unwrap_or("");
            if proto.is_empty() || proto.eq_ignore_ascii_case("TCP") {
                out.push(
                    Finding::new(
                        *at,
                        Code::ServiceEntryAddressesRequired,
                        spec().field("ports").index(i),
                        format!(
                            "{}: TCP port {} without addresses captures all traffic to that port",
                            describe(*se),
                            p.number
                        ),
                    )
                    .hint("add `addresses`, or enable DNS capture with auto-allocation"),
                );
            }
        }
    }
}

/// `envoyfilter.EnvoyPatchAnalyzer`. Filters are visited by full name;
/// the names of filters patched with a `proxyVersion` carry over from one
/// patch (and filter) to the next; the first relative operation without
/// priority is reported (with the proxy-version variant when it applies)
/// and ends the filter's analysis.
pub(crate) fn envoy_filter_patches(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut order: Vec<&(usize, &crate::crds::EnvoyFilter)> = ix.envoy_filters.iter().collect();
    order.sort_by_key(|(_, ef)| full_name(*ef));
    let mut versioned: Vec<String> = Vec::new();
    for (at, ef) in order {
        let who = describe(*ef);
        let priority = ef.spec.priority.unwrap_or(0);
        for (i, p) in ef.spec.config_patches.iter().enumerate() {
            let Some(patch) = &p.patch else { break };
            let field = spec().field("configPatches").index(i);
            let mut instance = String::new();
            if let Some(value) = &patch.value {
                if let Some(n) = value.get("name") {
                    instance = n.to_string();
                } else if let Some(crate::crds::ObjectMatch::Listener(l)) =
                    p.match_.as_ref().and_then(|m| m.object.as_ref())
                    && let Some(fc) = &l.filter_chain
                {
                    instance = fc
                        .filter
                        .as_ref()
                        .and_then(|f| f.name.clone())
                        .unwrap_or_default();
                }
            }
            if p.match_
                .as_ref()
                .and_then(|m| m.proxy.as_ref())
                .and_then(|x| x.proxy_version.as_deref())
                .is_some_and(|v| !v.is_empty())
            {
                versioned.push(instance.clone());
            }
            let route_type = matches!(
                p.apply_to,
                Some(ApplyTo::RouteConfiguration | ApplyTo::HttpRoute)
            );
            let misuse = |code: Code, text: &str, hint: &str| {
                Finding::new(
                    *at,
                    code,
                    field.clone(),
                    format!("{who}: patch {i}: {text}"),
                )
                .hint(hint)
            };
            let relative = match patch.operation {
                Some(PatchOperation::Add) if route_type => {
                    out.push(misuse(
                        Code::EnvoyFilterAddMisused,
                        "ADD is ignored on ROUTE_CONFIGURATION and HTTP_ROUTE",
                        "use MERGE, or apply to VIRTUAL_HOST",
                    ));
                    false
                }
                Some(PatchOperation::Remove) if route_type => {
                    out.push(misuse(
                        Code::EnvoyFilterRemoveMisused,
                        "REMOVE is ignored on ROUTE_CONFIGURATION and HTTP_ROUTE",
                        "remove routes with a VirtualService instead",
                    ));
                    false
                }
                Some(PatchOperation::Replace)
                    if !matches!(
                        p.apply_to,
                        Some(ApplyTo::NetworkFilter | ApplyTo::HttpFilter)
                    ) =>
                {
                    out.push(misuse(
                        Code::EnvoyFilterReplaceMisused,
                        "REPLACE only works on HTTP_FILTER and NETWORK_FILTER",
                        "use MERGE",
                    ));
                    false
                }
                Some(
                    PatchOperation::Remove
                    | PatchOperation::Replace
                    | PatchOperation::InsertBefore
                    | PatchOperation::InsertAfter,
                ) => true,
                _ => false,
            };
            if relative && priority == 0 {
                out.push(misuse(
                    Code::EnvoyFilterRelativeOperation,
                    "a relative operation without priority",
                    "set `priority`, or use an absolute operation (MERGE, ADD, INSERT_FIRST)",
                ));
                if versioned.contains(&instance) {
                    out.push(misuse(
                        Code::EnvoyFilterRelativeWithProxyVersion,
                        "a relative operation on a filter a patch matches by proxyVersion",
                        "set `priority`: the order changes when the proxy version does",
                    ));
                }
                break;
            }
        }
    }
}

/// `telemetry.ProviderAnalyzer`.
pub(crate) fn telemetry_providers(ix: &Index<'_>, out: &mut Vec<Finding>) {
    if !ix.mesh.default_access_log_providers.is_empty() {
        return;
    }
    for (at, t) in &ix.telemetries {
        for (i, l) in t.spec.access_logging.iter().enumerate() {
            if l.providers.is_empty() && l.disabled != Some(true) {
                out.push(
                    Finding::new(
                        *at,
                        Code::TelemetryNoProvider,
                        spec().field("accessLogging").index(i),
                        format!(
                            "{}: access logging without providers, and the mesh config has no default access-log provider",
                            describe(*t)
                        ),
                    )
                    .hint("name a provider (`providers: [{name: envoy}]`)"),
                );
            }
        }
    }
}

fn telemetry_selector(t: &crate::crds::Telemetry) -> Option<Labels> {
    policy_selector(&t.spec.target).filter(|s| !s.is_empty())
}

/// Shared by the Sidecar and Telemetry selector analyzers: selectors that
/// match no pod, and pods several objects select.
fn selector_conflicts(
    ix: &Index<'_>,
    objects: &[(usize, String, String, &str, Labels)],
    conflict: Code,
    field: FieldPath,
    out: &mut Vec<Finding>,
) -> BTreeMap<(String, String), Vec<usize>> {
    let mut by_pod: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (n, (at, who, _, ns, sel)) in objects.iter().enumerate() {
        let mut found = false;
        for p in ix.select_pods(Some(ns), sel, false) {
            found = true;
            by_pod
                .entry((p.namespace.to_owned(), p.name.to_owned()))
                .or_default()
                .push(n);
        }
        if !found {
            out.push(
                Finding::new(
                    *at,
                    Code::SelectorNoWorkload,
                    field.clone(),
                    format!(
                        "{who}: selector `{}` matches no pod in namespace `{ns}`",
                        selector_string(sel)
                    ),
                )
                .hint("fix the selector to the labels of the workload's pods"),
            );
        }
    }
    let _ = conflict;
    by_pod
}

fn report_conflicts(
    objects: &[(usize, String, String, &str, Labels)],
    by_pod: &BTreeMap<(String, String), Vec<usize>>,
    skip: impl Fn(&(String, String)) -> bool,
    code: Code,
    out: &mut Vec<Finding>,
) {
    for (pod, list) in by_pod {
        if list.len() < 2 || skip(pod) {
            continue;
        }
        let names: Vec<&str> = list
            .iter()
            .filter_map(|n| objects.get(*n).map(|o| o.2.as_str()))
            .collect();
        for n in list {
            if let Some((at, who, _, _, _)) = objects.get(*n) {
                out.push(
                    Finding::new(
                        *at,
                        code,
                        metadata_name(),
                        format!(
                            "{who}: {} all select pod {}/{}",
                            names.join(","),
                            pod.0,
                            pod.1
                        ),
                    )
                    .hint("make the selectors disjoint: only one applies, which one is undefined"),
                );
            }
        }
    }
}

/// `telemetry.SelectorAnalyzer`.
pub(crate) fn telemetry_selectors(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let objects: Vec<_> = ix
        .telemetries
        .iter()
        .filter_map(|(at, t)| {
            telemetry_selector(t).map(|s| {
                (
                    *at,
                    describe(*t),
                    name_of(*t).to_owned(),
                    namespace_of(*t),
                    s,
                )
            })
        })
        .collect();
    let by_pod = selector_conflicts(
        ix,
        &objects,
        Code::ConflictingTelemetrySelectors,
        spec().field("selector"),
        out,
    );
    report_conflicts(
        &objects,
        &by_pod,
        |_| false,
        Code::ConflictingTelemetrySelectors,
        out,
    );
}

/// `telemetry.DefaultSelectorAnalyzer`.
pub(crate) fn telemetry_defaults(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut by_ns: BTreeMap<&str, Vec<(usize, String, String)>> = BTreeMap::new();
    for (at, t) in &ix.telemetries {
        if t.spec.target.is_none() {
            by_ns.entry(namespace_of(*t)).or_default().push((
                *at,
                describe(*t),
                name_of(*t).to_owned(),
            ));
        }
    }
    for (ns, list) in by_ns {
        if list.len() < 2 {
            continue;
        }
        let names: Vec<&str> = list.iter().map(|x| x.2.as_str()).collect();
        for (at, who, _) in &list {
            out.push(
                Finding::new(
                    *at,
                    Code::MultipleDefaultTelemetries,
                    metadata_name(),
                    format!(
                        "{who}: Telemetries {} in `{ns}` have no selector",
                        names.join(",")
                    ),
                )
                .hint("keep one namespace-wide Telemetry; give the others selectors"),
            );
        }
    }
}

/// `telemetry.LightstepAnalyzer`.
pub(crate) fn telemetry_lightstep(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let names = &ix.mesh.lightstep_providers;
    if names.is_empty() {
        return;
    }
    for (at, t) in &ix.telemetries {
        for (i, tr) in t.spec.tracing.iter().enumerate() {
            for (j, p) in tr.providers.iter().enumerate() {
                if names.iter().any(|n| n == p.name.as_str()) {
                    out.push(
                        Finding::new(
                            *at,
                            Code::IstioDeprecated,
                            spec().field("tracing").index(i).field("providers").index(j),
                            format!("{}: tracing provider `{}` is a Lightstep provider, which Istio removed", describe(*t), p.name.as_str()),
                        )
                        .hint("use an OpenTelemetry provider"),
                    );
                }
            }
        }
    }
}

fn ambient_pod(p: &super::index::PodInfo<'_>) -> bool {
    p.pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("ambient.istio.io/redirection"))
        .is_some_and(|v| v == "enabled")
}

/// `sidecar.SelectorAnalyzer` (with upstream's namespace-default part).
pub(crate) fn sidecar_selectors(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut defaults: BTreeMap<&str, Vec<(usize, String, String)>> = BTreeMap::new();
    let mut objects = Vec::new();
    for (at, sc) in &ix.sidecars {
        let sel: Labels = sc
            .spec
            .workload_selector
            .as_ref()
            .map(|w| {
                w.labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        if sel.is_empty() {
            defaults.entry(namespace_of(*sc)).or_default().push((
                *at,
                describe(*sc),
                name_of(*sc).to_owned(),
            ));
        } else {
            objects.push((
                *at,
                describe(*sc),
                name_of(*sc).to_owned(),
                namespace_of(*sc),
                sel,
            ));
        }
    }
    let by_pod = selector_conflicts(
        ix,
        &objects,
        Code::ConflictingSidecarSelectors,
        spec().field("workloadSelector"),
        out,
    );
    let pod_of =
        |k: &(String, String)| ix.pods.iter().find(|p| p.namespace == k.0 && p.name == k.1);
    let mut reported = HashSet::new();
    for (pod, list) in &by_pod {
        if pod_of(pod).is_some_and(ambient_pod) {
            for n in list {
                if let Some((at, who, _, _, _)) = objects.get(*n)
                    && reported.insert(*at)
                {
                    out.push(ineffective(
                        *at,
                        who,
                        "selected workload is in ambient mode",
                    ));
                }
            }
        }
    }
    report_conflicts(
        &objects,
        &by_pod,
        |k| pod_of(k).is_some_and(ambient_pod),
        Code::ConflictingSidecarSelectors,
        out,
    );
    for (ns, list) in defaults {
        let ambient = ix.namespaces.get(ns).is_some_and(|n| {
            let l = n.metadata.labels.clone().unwrap_or_default();
            l.get("istio-injection").map(String::as_str) != Some("enabled")
                && l.get("istio.io/rev").is_none_or(String::is_empty)
                && l.get("istio.io/dataplane-mode").map(String::as_str) == Some("ambient")
        });
        if ambient {
            for (at, who, _) in &list {
                if reported.insert(*at) {
                    out.push(ineffective(*at, who, "namespace is in ambient mode"));
                }
            }
            continue;
        }
        if list.len() < 2 {
            continue;
        }
        let names: Vec<&str> = list.iter().map(|x| x.2.as_str()).collect();
        for (at, who, _) in &list {
            out.push(
                Finding::new(
                    *at,
                    Code::MultipleDefaultSidecars,
                    metadata_name(),
                    format!(
                        "{who}: Sidecars {} in `{ns}` have no workload selector",
                        names.join(",")
                    ),
                )
                .hint("keep one namespace-wide Sidecar; give the others workload selectors"),
            );
        }
    }
}

fn ineffective(at: usize, who: &str, why: &str) -> Finding {
    Finding::new(
        at,
        Code::IneffectivePolicyAmbient,
        metadata_name(),
        format!("{who}: {why}, the policy has no effect"),
    )
    .hint("configure ambient workloads with waypoint policies instead of a Sidecar")
}

/// `k8sgateway.SelectorAnalyzer`: policies selecting Kubernetes Gateway
/// pods by label.
pub(crate) fn gateway_api_selectors(ix: &Index<'_>, out: &mut Vec<Finding>) {
    const GATEWAY_NAME: &str = "gateway.networking.k8s.io/gateway-name";
    let mut pods: HashMap<&str, Vec<&Labels>> = HashMap::new();
    for p in &ix.pods {
        if p.labels.contains_key(GATEWAY_NAME) {
            pods.entry(p.namespace).or_default().push(&p.labels);
        }
    }
    let mut check = |at: usize, who: String, ns: &str, target: &Option<PolicyTarget>| {
        let Some(sel) = policy_selector(target) else {
            return;
        };
        for l in pods.get(ns).into_iter().flatten() {
            if selects(&sel, l) {
                out.push(
                    Finding::new(
                        at,
                        Code::IneffectiveSelectorOnGateway,
                        spec().field("selector"),
                        format!(
                            "{who}: selects pods of Kubernetes Gateway `{}` by label",
                            l.get(GATEWAY_NAME).map(String::as_str).unwrap_or("")
                        ),
                    )
                    .hint("attach the policy with `targetRefs: [{kind: Gateway, group: gateway.networking.k8s.io, name: ...}]`"),
                );
            }
        }
    };
    for (at, p) in &ix.authorization_policies {
        check(*at, describe(*p), namespace_of(*p), &p.spec.target);
    }
    for (at, p) in &ix.request_authentications {
        check(*at, describe(*p), namespace_of(*p), &p.spec.target);
    }
    for (at, p) in &ix.telemetries {
        check(*at, describe(*p), namespace_of(*p), &p.spec.target);
    }
    for (at, p) in &ix.wasm_plugins {
        check(*at, describe(*p), namespace_of(*p), &p.spec.target);
    }
}

/// `authn.BlockedCIDRsAnalyzer`.
pub(crate) fn blocked_cidrs(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let n = ix.request_authentications.len();
    if n == 0 {
        return;
    }
    for (at, d) in &ix.deployments {
        let istiod = d
            .metadata
            .labels
            .as_ref()
            .and_then(|l| l.get("app"))
            .is_some_and(|a| a == "istiod");
        if !istiod {
            continue;
        }
        let set = d.spec.template.spec.as_ref().is_some_and(|p| {
            p.containers
                .iter()
                .flat_map(|c| c.env.iter().flatten())
                .any(|e| {
                    e.name == "BLOCKED_CIDRS_IN_JWKS_URIS"
                        && e.value.as_deref().is_some_and(|v| !v.is_empty())
                })
        });
        if !set {
            out.push(
                Finding::new(
                    *at,
                    Code::JwksFetchUnrestricted,
                    FieldPath::root().field("spec").field("template").field("spec").field("containers"),
                    format!(
                        "Deployment {}: {n} RequestAuthentication(s) exist and istiod does not set BLOCKED_CIDRS_IN_JWKS_URIS",
                        d.metadata.name.as_deref().unwrap_or("")
                    ),
                )
                .hint("set BLOCKED_CIDRS_IN_JWKS_URIS on istiod to the cluster's internal ranges"),
            );
        }
    }
}
