//! Pitfalls neither `istioctl analyze` nor the webhook reports (the seed
//! documents' error table).

use std::collections::{BTreeMap, HashSet};

use mesh_model::FieldPath;
use mesh_model::analyze::{Code, Severity};

use super::Finding;
use super::index::{
    Index, Labels, describe, namespace_of, resource_name, selector_string, selects,
};
use crate::crds::{AuthorizationAction, ClientTlsMode, MtlsMode, PolicyTarget, Rule};

fn spec() -> FieldPath {
    FieldPath::root().field("spec")
}

/// Subsets whose labels contradict the Service's selector or match no
/// Deployment's pod template, when the input has no pods (with pods,
/// `SubsetPods` decides).
pub(crate) fn subset_workloads(ix: &Index<'_>, out: &mut Vec<Finding>) {
    if !ix.pods.is_empty() {
        return;
    }
    let domain = &ix.mesh.cluster_domain;
    let mut templates: BTreeMap<&str, Vec<Labels>> = BTreeMap::new();
    for (_, d) in &ix.deployments {
        let labels = d
            .spec
            .template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.clone())
            .unwrap_or_default();
        templates
            .entry(d.metadata.namespace.as_deref().unwrap_or(""))
            .or_default()
            .push(labels);
    }
    for (at, dr) in &ix.destination_rules {
        let (ns, name) = resource_name(namespace_of(*dr), &dr.spec.host, domain);
        let Some(svc) = ix.service(&ns, &name) else {
            continue;
        };
        let selector: Labels = svc
            .spec
            .as_ref()
            .and_then(|s| s.selector.clone())
            .unwrap_or_default();
        for (i, s) in dr.spec.subsets.iter().enumerate() {
            let field = spec().field("subsets").index(i).field("labels");
            let clash = s
                .labels
                .iter()
                .find(|(k, v)| selector.get(*k).is_some_and(|sv| sv != *v));
            if let Some((k, v)) = clash {
                out.push(
                    Finding::new(
                        *at,
                        Code::SubsetSelectsNoWorkload,
                        field,
                        format!(
                            "{}: subset `{}` wants {k}={v} but Service {ns}/{name} selects {k}={}",
                            describe(*dr),
                            s.name,
                            selector.get(k).map(String::as_str).unwrap_or("")
                        ),
                    )
                    .hint("a subset narrows the Service's pods: its labels cannot contradict the selector"),
                );
                continue;
            }
            let Some(list) = templates.get(ns.as_str()) else {
                continue;
            };
            let mut want = selector.clone();
            want.extend(s.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
            if !list.iter().any(|l| selects(&want, l)) {
                out.push(
                    Finding::new(
                        *at,
                        Code::SubsetSelectsNoWorkload,
                        field,
                        format!(
                            "{}: subset `{}` (`{}`) matches no Deployment's pod template in `{ns}`",
                            describe(*dr),
                            s.name,
                            selector_string(&want)
                        ),
                    )
                    .hint("use the labels of the version's pod template (often `version: v1`)"),
                );
            }
        }
    }
}

fn mode_finding(at: usize, who: &str, field: FieldPath, mode: MtlsMode) -> Option<Finding> {
    match mode {
        MtlsMode::Permissive => Some(
            Finding::new(
                at,
                Code::MtlsPermissive,
                field,
                format!("{who}: mTLS is PERMISSIVE: plaintext clients are accepted"),
            )
            .hint("switch to STRICT once every client has a sidecar"),
        ),
        MtlsMode::Disable => Some(
            Finding::new(
                at,
                Code::MtlsDisabled,
                field,
                format!("{who}: mTLS is DISABLED: traffic is plaintext"),
            )
            .hint("use STRICT; disable only per port for clients outside the mesh"),
        ),
        _ => None,
    }
}

/// PeerAuthentications that leave PERMISSIVE on or disable mTLS.
pub(crate) fn peer_authentication_modes(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, pa) in &ix.peer_authentications {
        let who = describe(*pa);
        if let Some(m) = pa.spec.mtls.and_then(|m| m.mode)
            && let Some(f) = mode_finding(*at, &who, spec().field("mtls").field("mode"), m)
        {
            out.push(f);
        }
        for (port, m) in pa.spec.port_level_mtls.iter().flatten() {
            if let Some(mode) = m.mode
                && let Some(f) = mode_finding(
                    *at,
                    &format!("{who} port {}", port.port()),
                    spec()
                        .field("portLevelMtls")
                        .key(&port.port().to_string())
                        .field("mode"),
                    mode,
                )
            {
                out.push(f);
            }
        }
    }
}

/// DestinationRule client TLS against the server side's PeerAuthentication
/// (namespace-wide, else mesh-wide; workload-level when its selector is
/// part of the Service's).
pub(crate) fn tls_consistency(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let domain = &ix.mesh.cluster_domain;
    let root = ix.mesh.root_namespace.as_str();
    let mut ns_mode: BTreeMap<&str, MtlsMode> = BTreeMap::new();
    let mut workload: Vec<(&str, Labels, MtlsMode)> = Vec::new();
    for (_, pa) in &ix.peer_authentications {
        let Some(mode) = pa.spec.mtls.and_then(|m| m.mode) else {
            continue;
        };
        match &pa.spec.selector {
            None => {
                ns_mode.insert(namespace_of(*pa), mode);
            }
            Some(sel) => workload.push((
                namespace_of(*pa),
                sel.match_labels
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.as_str().to_owned()))
                    .collect(),
                mode,
            )),
        }
    }
    for (at, dr) in &ix.destination_rules {
        let (ns, name) = resource_name(namespace_of(*dr), &dr.spec.host, domain);
        let svc_selector: Labels = ix
            .service(&ns, &name)
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.selector.clone())
            .unwrap_or_default();
        let server = workload
            .iter()
            .find(|(wns, sel, _)| {
                *wns == ns && !svc_selector.is_empty() && selects(sel, &svc_selector)
            })
            .map(|w| w.2)
            .or_else(|| ns_mode.get(ns.as_str()).copied())
            .or_else(|| ns_mode.get(root).copied());
        let Some(server) = server else { continue };
        let mut check = |field: FieldPath, client: Option<ClientTlsMode>| {
            let clash = match (client, server) {
                (Some(ClientTlsMode::Disable), MtlsMode::Strict) => {
                    Some("DISABLE against STRICT: plaintext connections are refused")
                }
                (Some(ClientTlsMode::IstioMutual), MtlsMode::Disable) => {
                    Some("ISTIO_MUTUAL against DISABLE: the server does not speak mTLS")
                }
                _ => None,
            };
            if let Some(why) = clash {
                out.push(
                    Finding::new(
                        *at,
                        Code::TlsContradictsPeerAuthentication,
                        field,
                        format!("{}: client TLS to {ns}/{name} is {why}", describe(*dr)),
                    )
                    .hint("drop the DestinationRule's tls (Istio picks ISTIO_MUTUAL automatically) or align the PeerAuthentication"),
                );
            }
        };
        if let Some(tp) = &dr.spec.traffic_policy {
            check(
                spec().field("trafficPolicy").field("tls").field("mode"),
                tp.tls.as_ref().and_then(|t| t.mode),
            );
            for (i, p) in tp.port_level_settings.iter().enumerate() {
                check(
                    spec()
                        .field("trafficPolicy")
                        .field("portLevelSettings")
                        .index(i)
                        .field("tls")
                        .field("mode"),
                    p.tls.as_ref().and_then(|t| t.mode),
                );
            }
        }
    }
}

/// Trace sampling at 100% (warning) or above 10% (info).
pub(crate) fn trace_sampling(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, t) in &ix.telemetries {
        for (i, tr) in t.spec.tracing.iter().enumerate() {
            let Some(p) = tr.random_sampling_percentage else {
                continue;
            };
            if p <= 10.0 {
                continue;
            }
            let mut f = Finding::new(
                *at,
                Code::TraceSamplingHigh,
                spec()
                    .field("tracing")
                    .index(i)
                    .field("randomSamplingPercentage"),
                format!("{}: traces {p}% of requests", describe(*t)),
            )
            .hint("1-10% is the usual production range");
            if p < 100.0 {
                f.severity = Some(Severity::Info);
            }
            out.push(f);
        }
    }
}

/// Protocol prefixes Istio reads from port names.
const PROTOCOLS: &[&str] = &[
    "http", "http2", "https", "grpc", "grpc-web", "h2c", "tcp", "tls", "mongo", "mysql", "redis",
    "udp",
];

/// Service ports whose protocol Istio must guess: no `appProtocol` and a
/// name that does not start with a protocol.
pub(crate) fn port_names(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, s) in &ix.services {
        let ns = s.metadata.namespace.as_deref().unwrap_or("");
        if matches!(ns, "kube-system" | "kube-public") || ns == ix.mesh.root_namespace {
            continue;
        }
        let ports = s.spec.as_ref().and_then(|sp| sp.ports.as_ref());
        for (i, p) in ports.into_iter().flatten().enumerate() {
            if p.app_protocol.is_some() {
                continue;
            }
            let name = p.name.as_deref().unwrap_or("");
            let proto = name.split('-').next().unwrap_or("").to_ascii_lowercase();
            let ok = PROTOCOLS.contains(&proto.as_str())
                || (name.starts_with("grpc-web") && PROTOCOLS.contains(&"grpc-web"));
            if !ok {
                out.push(
                    Finding::new(
                        *at,
                        Code::PortNameConvention,
                        FieldPath::root().field("spec").field("ports").index(i),
                        format!(
                            "Service {ns}/{}: port {} {}: Istio falls back to protocol sniffing or TCP",
                            s.metadata.name.as_deref().unwrap_or(""),
                            p.port,
                            if name.is_empty() { "has no name and no appProtocol".to_owned() } else { format!("`{name}` does not name its protocol") }
                        ),
                    )
                    .hint("set `appProtocol: http` (or name the port `http-...`, `grpc-...`, `tcp-...`)"),
                );
            }
        }
    }
}

/// Istio Gateways no VirtualService is bound to.
pub(crate) fn gateways_without_routes(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut bound: HashSet<(String, String)> = HashSet::new();
    for (_, vs) in &ix.virtual_services {
        let ns = namespace_of(*vs);
        for g in &vs.spec.gateways {
            let (gns, gname) = g.split_once('/').unwrap_or((ns, g.as_str()));
            bound.insert((gns.to_owned(), gname.to_owned()));
        }
    }
    for (at, gw) in &ix.gateways {
        let key = (
            namespace_of(*gw).to_owned(),
            super::index::name_of(*gw).to_owned(),
        );
        if !bound.contains(&key) {
            out.push(
                Finding::new(*at, Code::GatewayWithoutRoute, FieldPath::root().field("metadata").field("name"), format!("{}: no VirtualService is bound to it", describe(*gw)))
                    .hint("bind a VirtualService (`gateways: [<namespace>/<name>]`) or remove the Gateway"),
            );
        }
    }
}

/// Short host names that resolve in the object's namespace, where no such
/// Service exists, while another namespace has one.
pub(crate) fn short_hosts(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut check = |at: usize, who: &str, ns: &str, host: &str, field: FieldPath| {
        if host.contains('.') || host.starts_with('*') || ix.service(ns, host).is_some() {
            return;
        }
        let elsewhere = ix.service_namespaces(host);
        if elsewhere.is_empty() {
            return;
        }
        out.push(
            Finding::new(
                at,
                Code::ShortHostOtherNamespace,
                field,
                format!(
                    "{who}: `{host}` means `{host}.{ns}.svc.{}`, which does not exist; Service `{host}` is in {}",
                    ix.mesh.cluster_domain,
                    elsewhere.join(", ")
                ),
            )
            .hint(format!("write the full name (`{host}.{}.svc.{}`)", elsewhere.first().copied().unwrap_or(""), ix.mesh.cluster_domain)),
        );
    };
    for (at, vs) in &ix.virtual_services {
        let ns = namespace_of(*vs);
        let who = describe(*vs);
        for (i, r) in vs.spec.http.iter().enumerate() {
            for (j, d) in r.route.iter().enumerate() {
                check(
                    *at,
                    &who,
                    ns,
                    &d.destination.host,
                    spec()
                        .field("http")
                        .index(i)
                        .field("route")
                        .index(j)
                        .field("destination")
                        .field("host"),
                );
            }
        }
        for (i, r) in vs.spec.tcp.iter().enumerate() {
            for (j, d) in r.route.iter().enumerate() {
                check(
                    *at,
                    &who,
                    ns,
                    &d.destination.host,
                    spec()
                        .field("tcp")
                        .index(i)
                        .field("route")
                        .index(j)
                        .field("destination")
                        .field("host"),
                );
            }
        }
    }
    for (at, dr) in &ix.destination_rules {
        check(
            *at,
            &describe(*dr),
            namespace_of(*dr),
            &dr.spec.host,
            spec().field("host"),
        );
    }
}

fn rule_is_empty(r: &Rule) -> bool {
    r.from.is_empty() && r.to.is_empty() && r.when.is_empty()
}

/// HTTP-only attributes of a rule (which Istio drops on TCP traffic).
fn http_only(r: &Rule) -> Option<&'static str> {
    for to in &r.to {
        if let Some(op) = &to.operation {
            if !op.methods.is_empty() || !op.not_methods.is_empty() {
                return Some("methods");
            }
            if !op.paths.is_empty() || !op.not_paths.is_empty() {
                return Some("paths");
            }
            if !op.hosts.is_empty() || !op.not_hosts.is_empty() {
                return Some("hosts");
            }
        }
    }
    for from in &r.from {
        if let Some(s) = &from.source
            && (!s.request_principals.is_empty() || !s.not_request_principals.is_empty())
        {
            return Some("requestPrincipals");
        }
    }
    r.when
        .iter()
        .any(|c| c.key.starts_with("request."))
        .then_some("request conditions")
}

fn has_ports(r: &Rule) -> bool {
    r.to.iter()
        .filter_map(|t| t.operation.as_ref())
        .any(|o| !o.ports.is_empty())
}

/// Authorization that allows or denies everything by accident, and DENY on
/// HTTP attributes without ports.
pub(crate) fn authorization_scope(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, ap) in &ix.authorization_policies {
        let who = describe(*ap);
        let action = ap.spec.action.clone().unwrap_or(AuthorizationAction::Allow);
        let scope = match &ap.spec.target {
            Some(PolicyTarget::Selector(_)) => "the selected workloads",
            Some(_) => "the targets",
            None if namespace_of(*ap) == ix.mesh.root_namespace => "the whole mesh",
            None => "the namespace",
        };
        match (&ap.spec.rules, &action) {
            (None, AuthorizationAction::Allow) => out.push(
                Finding::new(*at, Code::AuthzAllowNothing, spec(), format!("{who}: ALLOW without rules denies every request to {scope} that no other ALLOW matches"))
                    .hint("intended as deny-by-default? keep it; `rules: [{}]` would allow everything instead"),
            ),
            (Some(rules), _) => {
                for (i, r) in rules.iter().enumerate() {
                    let field = spec().field("rules").index(i);
                    if rule_is_empty(r) {
                        match action {
                            AuthorizationAction::Allow => out.push(
                                Finding::new(*at, Code::AuthzAllowsAll, field.clone(), format!("{who}: rule {i} is empty (`{{}}`): every request to {scope} is allowed"))
                                    .hint("`spec: {}` (no rules) is allow-nothing; an empty rule is allow-all"),
                            ),
                            AuthorizationAction::Deny => out.push(
                                Finding::new(*at, Code::AuthzDeniesAll, field.clone(), format!("{who}: DENY rule {i} is empty: every request to {scope} is denied"))
                                    .hint("add `from`, `to` or `when`"),
                            ),
                            _ => {}
                        }
                        continue;
                    }
                    if matches!(action, AuthorizationAction::Deny)
                        && let Some(attr) = http_only(r)
                        && !has_ports(r)
                    {
                        out.push(
                            Finding::new(*at, Code::DenyHttpOnTcp, field, format!("{who}: DENY rule {i} uses HTTP {attr} without ports: on TCP traffic Istio drops them and denies every connection"))
                                .hint("add `ports` of the HTTP ports to the rule's `to.operation`"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}
