//! The checks: consul-k8s `Validate` and Consul's config-entry rules the
//! typed structs do not already enforce, and references between entries.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use mesh_k8s::GoDuration;
use mesh_model::FieldPath;
use mesh_model::analyze::{Code, Severity};

use super::{Finding, Resource, Source};
use crate::crds::{
    HashOn, IntentionHttpMatch, JsonWebKeySet, JwtLocation, LoadBalancerPolicy, LocalJwks,
    PathMatch, Protocol, SourceRule,
};
use crate::lower::ConsulObject;

fn path(text: &str) -> FieldPath {
    FieldPath::new(text)
}

/// The input and its lookups, by Consul service name.
pub(crate) struct Index<'a> {
    items: &'a [(Source, Resource)],
    /// Subsets each resolver defines.
    subsets: HashMap<&'a str, HashSet<&'a str>>,
    /// ServiceDefaults protocols (`None`: a ServiceDefaults without one).
    protocols: HashMap<&'a str, Option<Protocol>>,
    /// The `global` ProxyDefaults `config.protocol`, lower-cased.
    global_protocol: Option<String>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(items: &'a [(Source, Resource)]) -> Self {
        let mut ix = Index {
            items,
            subsets: HashMap::new(),
            protocols: HashMap::new(),
            global_protocol: None,
        };
        for (_, Resource::Consul(o)) in items {
            match o {
                ConsulObject::ServiceResolver(r) => {
                    ix.subsets
                        .entry(r.name())
                        .or_default()
                        .extend(r.spec.subsets.keys().map(String::as_str));
                }
                ConsulObject::ServiceDefaults(d) => {
                    ix.protocols.insert(d.name(), d.spec.protocol);
                }
                ConsulObject::ProxyDefaults(p) if p.name() == "global" => {
                    ix.global_protocol = p
                        .spec
                        .config
                        .as_ref()
                        .and_then(|c| c.get("protocol"))
                        .and_then(|v| v.as_str())
                        .map(str::to_ascii_lowercase);
                }
                _ => {}
            }
        }
        ix
    }

    fn entries(&self) -> impl Iterator<Item = (usize, &'a ConsulObject)> + use<'a> {
        self.items
            .iter()
            .enumerate()
            .map(|(i, (_, Resource::Consul(o)))| (i, o))
    }

    /// The protocol of `service` when the input says it is TCP: its
    /// ServiceDefaults' protocol, else the global ProxyDefaults'.
    fn is_tcp(&self, service: &str) -> bool {
        match self.protocols.get(service) {
            Some(Some(p)) => *p == Protocol::Tcp,
            Some(None) | None => {
                match (&self.global_protocol, self.protocols.contains_key(service)) {
                    (Some(p), _) => p == "tcp",
                    // A ServiceDefaults without protocol and no global
                    // protocol: Consul's default, tcp.
                    (None, has_defaults) => has_defaults,
                }
            }
        }
    }
}

fn negative(
    i: usize,
    code: Code,
    what: &str,
    at: FieldPath,
    d: Option<&GoDuration>,
    out: &mut Vec<Finding>,
) {
    if let Some(d) = d
        && d.is_negative()
    {
        out.push(
            Finding::new(
                i,
                code,
                at,
                format!("{what}: negative duration {}", d.as_str()),
            )
            .hint("durations are 0 or more"),
        );
    }
}

/// ProxyDefaults `global`, Mesh `mesh` (MW3001).
pub(crate) fn entry_names(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let (kind, name, want) = match o {
            ConsulObject::ProxyDefaults(p) => ("ProxyDefaults", p.name(), "global"),
            ConsulObject::Mesh(m) => ("Mesh", m.name(), "mesh"),
            _ => continue,
        };
        if name != want {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulEntryName,
                    path("metadata.name"),
                    format!("{kind} is named {name:?}; consul-k8s accepts only {want:?}"),
                )
                .hint(format!(
                    "name the {kind} `{want}`: there is one per datacenter"
                )),
            );
        }
    }
}

/// A host name as Consul accepts for a destination address.
fn host_name_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// ServiceDefaults upstreams and destinations (MW3002).
pub(crate) fn service_defaults(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::ServiceDefaults(d) = o else {
            continue;
        };
        let what = format!("ServiceDefaults {}", d.name());
        let mut bad = |at: FieldPath, message: String, hint: &str| {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulServiceDefaultsInvalid,
                    at,
                    format!("{what}: {message}"),
                )
                .hint(hint),
            )
        };
        if let Some(u) = &d.spec.upstream_config {
            if let Some(def) = &u.defaults
                && (def.name.is_some() || def.namespace.is_some() || def.peer.is_some())
            {
                bad(
                    path("spec.upstreamConfig.defaults"),
                    "upstream defaults name an upstream".into(),
                    "defaults apply to every upstream: move name, namespace and peer to an override",
                );
            }
            for (j, ov) in u.overrides.iter().enumerate() {
                let at = path("spec.upstreamConfig.overrides").index(j);
                if ov.name.as_deref().is_none_or(str::is_empty) {
                    bad(
                        at.field("name"),
                        "upstream override without name".into(),
                        "name the upstream service the override applies to",
                    );
                }
                if ov.peer.is_some() && ov.partition.is_some() {
                    bad(
                        at.clone(),
                        "upstream override with both peer and partition".into(),
                        "an upstream is either in a peer or in a partition: keep one",
                    );
                }
            }
        }
        if let Some(dest) = &d.spec.destination {
            if dest.addresses.is_empty() {
                bad(
                    path("spec.destination.addresses"),
                    "destination without addresses".into(),
                    "list the IPs or host names of the external destination",
                );
            }
            for (j, a) in dest.addresses.iter().enumerate() {
                if a.parse::<IpAddr>().is_err() && !host_name_valid(a) {
                    bad(
                        path("spec.destination.addresses").index(j),
                        format!("destination address {a:?} is neither an IP nor a host name"),
                        "write an IP address or a DNS name (no scheme, port or path)",
                    );
                }
            }
        }
    }
}

/// ServiceResolvers (MW3003).
pub(crate) fn resolvers(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::ServiceResolver(r) = o else {
            continue;
        };
        let what = format!("ServiceResolver {}", r.name());
        let s = &r.spec;
        let mut bad = |at: FieldPath, message: String, hint: &str| {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulResolverInvalid,
                    at,
                    format!("{what}: {message}"),
                )
                .hint(hint),
            )
        };
        if s.redirect.is_some() && (!s.failover.is_empty() || !s.subsets.is_empty()) {
            bad(
                path("spec.redirect"),
                "redirect together with failover or subsets".into(),
                "a redirecting resolver sends everything elsewhere: drop failover and subsets, or the redirect",
            );
        }
        if let Some(d) = &s.default_subset
            && !s.subsets.contains_key(d)
        {
            bad(
                path("spec.defaultSubset"),
                format!("defaultSubset {d:?} is not one of its subsets"),
                "define the subset under spec.subsets, or fix the name",
            );
        }
        for k in s.failover.keys() {
            if k != "*" && !s.subsets.contains_key(k) {
                bad(
                    path("spec.failover").key(k),
                    format!("failover for subset {k:?}, which it does not define"),
                    "key failover by a defined subset or `*`",
                );
            }
        }
        if let Some(lb) = &s.load_balancer {
            let at = path("spec.loadBalancer");
            let policy = lb.policy;
            if lb.ring_hash_config.is_some() && policy != Some(LoadBalancerPolicy::RingHash) {
                bad(
                    at.field("ringHashConfig"),
                    "ringHashConfig without policy ring_hash".into(),
                    "set policy: ring_hash, or drop ringHashConfig",
                );
            }
            if lb.least_request_config.is_some() && policy != Some(LoadBalancerPolicy::LeastRequest)
            {
                bad(
                    at.field("leastRequestConfig"),
                    "leastRequestConfig without policy least_request".into(),
                    "set policy: least_request, or drop leastRequestConfig",
                );
            }
            if !lb.hash_policies.is_empty()
                && !matches!(
                    policy,
                    Some(LoadBalancerPolicy::RingHash | LoadBalancerPolicy::Maglev)
                )
            {
                bad(
                    at.field("hashPolicies"),
                    "hashPolicies without a hashing policy".into(),
                    "hash policies need policy ring_hash or maglev",
                );
            }
            if let Some(rh) = &lb.ring_hash_config
                && let (Some(min), Some(max)) = (rh.minimum_ring_size, rh.maximum_ring_size)
                && min > max
            {
                bad(
                    at.field("ringHashConfig"),
                    format!("minimumRingSize {min} is above maximumRingSize {max}"),
                    "make the minimum ring size at most the maximum",
                );
            }
            for (j, h) in lb.hash_policies.iter().enumerate() {
                if let HashOn::Header(v) | HashOn::QueryParameter(v) = &h.on
                    && v.is_empty()
                {
                    bad(
                        at.field("hashPolicies").index(j).field("fieldValue"),
                        "hash policy with an empty fieldValue".into(),
                        "name the header, cookie or query parameter to hash on",
                    );
                }
            }
        }
        negative(
            i,
            Code::ConsulResolverInvalid,
            &what,
            path("spec.connectTimeout"),
            s.connect_timeout.as_ref(),
            out,
        );
        negative(
            i,
            Code::ConsulResolverInvalid,
            &what,
            path("spec.requestTimeout"),
            s.request_timeout.as_ref(),
            out,
        );
    }
}

/// ServiceRouters (MW3004).
pub(crate) fn routers(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::ServiceRouter(r) = o else {
            continue;
        };
        let what = format!("ServiceRouter {}", r.name());
        for (j, route) in r.spec.routes.iter().enumerate() {
            let at = path("spec.routes").index(j);
            let pm = route
                .match_
                .as_ref()
                .and_then(|m| m.http.as_ref())
                .and_then(|h| h.path.as_ref());
            let (field, value) = match pm {
                Some(PathMatch::Exact(v)) => ("pathExact", Some(v)),
                Some(PathMatch::Prefix(v)) => ("pathPrefix", Some(v)),
                _ => ("", None),
            };
            if let Some(v) = value
                && !v.starts_with('/')
            {
                out.push(
                    Finding::new(
                        i,
                        Code::ConsulRouterInvalid,
                        at.field("match").field("http").field(field),
                        format!("{what}: {field} {v:?} does not start with `/`"),
                    )
                    .hint("write paths as absolute paths (`/api`)"),
                );
            }
            if let Some(d) = &route.destination {
                let dat = at.field("destination");
                if d.prefix_rewrite.is_some() && value.is_none() {
                    out.push(
                        Finding::new(
                            i,
                            Code::ConsulRouterInvalid,
                            dat.field("prefixRewrite"),
                            format!("{what}: prefixRewrite on a route without pathPrefix or pathExact match"),
                        )
                        .hint("match on pathPrefix or pathExact, or drop prefixRewrite"),
                    );
                }
                negative(
                    i,
                    Code::ConsulRouterInvalid,
                    &what,
                    dat.field("requestTimeout"),
                    d.request_timeout.as_ref(),
                    out,
                );
                negative(
                    i,
                    Code::ConsulRouterInvalid,
                    &what,
                    dat.field("idleTimeout"),
                    d.idle_timeout.as_ref(),
                    out,
                );
            }
        }
    }
}

/// ServiceSplitters (MW3005).
pub(crate) fn splitters(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::ServiceSplitter(s) = o else {
            continue;
        };
        let what = format!("ServiceSplitter {}", s.name());
        if s.spec.splits.is_empty() {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulSplitInvalid,
                    path("spec.splits"),
                    format!("{what} has no split"),
                )
                .hint("list at least one split; weights add up to 100"),
            );
            continue;
        }
        for (j, sp) in s.spec.splits.iter().enumerate() {
            if !(0.0..=100.0).contains(&sp.weight) {
                out.push(
                    Finding::new(
                        i,
                        Code::ConsulSplitInvalid,
                        path("spec.splits").index(j).field("weight"),
                        format!("{what}: weight {} is outside 0-100", sp.weight),
                    )
                    .hint("weights are percentages"),
                );
            }
        }
        let sum: f64 = s.spec.splits.iter().map(|sp| sp.weight).sum();
        if (sum - 100.0).abs() > 0.01 {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulSplitInvalid,
                    path("spec.splits"),
                    format!("{what}: weights add up to {sum}, not 100"),
                )
                .hint("Consul requires split weights to add up to 100 (within 0.01)"),
            );
        }
    }
}

fn http_match_checks(
    i: usize,
    what: &str,
    at: FieldPath,
    m: &IntentionHttpMatch,
    out: &mut Vec<Finding>,
) {
    if m.path.is_none() && m.header.is_empty() && m.methods.is_empty() {
        out.push(
            Finding::new(
                i,
                Code::ConsulIntentionsInvalid,
                at.clone(),
                format!("{what}: an HTTP permission that matches nothing"),
            )
            .hint("set pathExact, pathPrefix, pathRegex, header or methods, or drop `http`"),
        );
    }
    if let Some(PathMatch::Exact(v) | PathMatch::Prefix(v)) = &m.path
        && !v.starts_with('/')
    {
        out.push(
            Finding::new(
                i,
                Code::ConsulIntentionsInvalid,
                at,
                format!("{what}: permission path {v:?} does not start with `/`"),
            )
            .hint("write paths as absolute paths (`/api`)"),
        );
    }
}

/// ServiceIntentions (MW3006).
pub(crate) fn intentions(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::ServiceIntentions(s) = o else {
            continue;
        };
        let what = format!("ServiceIntentions {}", s.name());
        let bad = |at: FieldPath, message: String, hint: &str| {
            Finding::new(
                i,
                Code::ConsulIntentionsInvalid,
                at,
                format!("{what}: {message}"),
            )
            .hint(hint)
        };
        let dest = s.spec.destination.as_ref();
        match dest.and_then(|d| d.name.as_deref()) {
            None | Some("") => out.push(bad(
                path("spec.destination.name"),
                "no destination name".into(),
                "name the destination service, or `*` for all",
            )),
            Some(n) => {
                if dest.and_then(|d| d.namespace.as_deref()) == Some("*") && n != "*" {
                    out.push(bad(
                        path("spec.destination"),
                        format!("wildcard namespace with the specific name {n:?}"),
                        "a `*` namespace needs the `*` name",
                    ));
                }
            }
        }
        if s.spec.sources.is_empty() {
            out.push(
                bad(
                    path("spec.sources"),
                    "no sources".into(),
                    "list the services allowed or denied; without sources the entry does nothing",
                )
                .severity(Severity::Warning),
            );
        }
        let mut seen = HashSet::new();
        for (j, src) in s.spec.sources.iter().enumerate() {
            let at = path("spec.sources").index(j);
            if src.name.is_empty() {
                out.push(bad(
                    at.field("name"),
                    "a source without name".into(),
                    "name the source service, or `*`",
                ));
            }
            if src.namespace.as_deref() == Some("*") && src.name != "*" {
                out.push(bad(
                    at.clone(),
                    format!("source {:?} in wildcard namespace", src.name),
                    "a `*` namespace needs the `*` name",
                ));
            }
            let k = (
                src.name.as_str(),
                src.namespace.as_deref(),
                src.partition.as_deref(),
                src.peer.as_deref(),
                src.sameness_group.as_deref(),
            );
            if !seen.insert(k) {
                out.push(bad(
                    at.clone(),
                    format!("source {:?} listed twice", src.name),
                    "merge the duplicate sources into one (permissions are evaluated in order)",
                ));
            }
            if let SourceRule::Permissions(perms) = &src.rule {
                if perms.is_empty() {
                    out.push(bad(
                        at.field("permissions"),
                        "empty permissions".into(),
                        "set an action or at least one permission",
                    ));
                }
                for (k, p) in perms.iter().enumerate() {
                    if let Some(h) = &p.http {
                        http_match_checks(
                            i,
                            &what,
                            at.field("permissions").index(k).field("http"),
                            h,
                            out,
                        );
                    }
                }
            }
        }
    }
}

/// Ingress and terminating gateways (MW3007).
pub(crate) fn gateways(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        match o {
            ConsulObject::IngressGateway(g) => {
                let what = format!("IngressGateway {}", g.name());
                let mut ports = HashSet::new();
                for (j, l) in g.spec.listeners.iter().enumerate() {
                    let at = path("spec.listeners").index(j);
                    let mut bad = |at: FieldPath, message: String, hint: &str| {
                        out.push(
                            Finding::new(
                                i,
                                Code::ConsulGatewayListenerInvalid,
                                at,
                                format!("{what}: {message}"),
                            )
                            .hint(hint),
                        )
                    };
                    if !ports.insert(l.port) {
                        bad(
                            at.field("port"),
                            format!("two listeners on port {}", l.port),
                            "give each listener its own port",
                        );
                    }
                    let tcp = l.protocol.is_none_or(|p| p == Protocol::Tcp);
                    if tcp && l.services.len() != 1 {
                        bad(
                            at.field("services"),
                            format!(
                                "TCP listener on port {} with {} services",
                                l.port,
                                l.services.len()
                            ),
                            "a TCP listener serves exactly one service: use one listener per service, or an HTTP protocol",
                        );
                    }
                    for (k, s) in l.services.iter().enumerate() {
                        let sat = at.field("services").index(k);
                        if tcp && s.name == "*" {
                            bad(
                                sat.field("name"),
                                "`*` service on a TCP listener".into(),
                                "the `*` service needs an HTTP protocol",
                            );
                        }
                        if !s.hosts.is_empty() && (tcp || s.name == "*") {
                            bad(
                                sat.field("hosts"),
                                "hosts on a TCP listener or the `*` service".into(),
                                "hosts apply to named services on HTTP listeners",
                            );
                        }
                    }
                }
            }
            ConsulObject::TerminatingGateway(g) => {
                let what = format!("TerminatingGateway {}", g.name());
                for (j, s) in g.spec.services.iter().enumerate() {
                    let at = path("spec.services").index(j);
                    if s.name.is_empty() {
                        out.push(
                            Finding::new(
                                i,
                                Code::ConsulGatewayListenerInvalid,
                                at.field("name"),
                                format!("{what}: a service without name"),
                            )
                            .hint("name the linked service, or `*`"),
                        );
                    }
                    if s.cert_file.is_some() != s.key_file.is_some() {
                        out.push(
                            Finding::new(
                                i,
                                Code::ConsulGatewayListenerInvalid,
                                at,
                                format!("{what}: service {:?} has only one of certFile and keyFile", s.name),
                            )
                            .hint("set both certFile and keyFile for mTLS to the destination, or neither"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// JWTProviders (MW3008).
pub(crate) fn jwt_providers(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let ConsulObject::JwtProvider(p) = o else {
            continue;
        };
        let what = format!("JWTProvider {}", p.name());
        let mut bad = |at: FieldPath, message: String, hint: &str| {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulJwtProviderInvalid,
                    at,
                    format!("{what}: {message}"),
                )
                .hint(hint),
            )
        };
        match &p.spec.json_web_key_set {
            Some(JsonWebKeySet::Remote(r))
                if !(r.uri.starts_with("https://") || r.uri.starts_with("http://")) =>
            {
                bad(
                    path("spec.jsonWebKeySet.remote.uri"),
                    format!("remote JWKS URI {:?} is not an http(s) URL", r.uri),
                    "write the JWKS endpoint as an https:// URL",
                );
            }
            Some(JsonWebKeySet::Local(LocalJwks::Jwks(v) | LocalJwks::Filename(v)))
                if v.is_empty() =>
            {
                bad(
                    path("spec.jsonWebKeySet.local"),
                    "empty local JWKS".into(),
                    "give the key set (base64 JWKS) or its file name",
                );
            }
            _ => {}
        }
        for (j, l) in p.spec.locations.iter().enumerate() {
            let name = match l {
                JwtLocation::Header(h) => &h.name,
                JwtLocation::QueryParam(n) | JwtLocation::Cookie(n) => &n.name,
            };
            if name.is_empty() {
                bad(
                    path("spec.locations").index(j),
                    "a location with an empty name".into(),
                    "name the header, query parameter or cookie carrying the token",
                );
            }
        }
    }
}

/// Routers and splitters for TCP services (MW3009).
pub(crate) fn l7_protocols(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (i, o) in ix.entries() {
        let (kind, name) = match o {
            ConsulObject::ServiceRouter(r) => ("ServiceRouter", r.name()),
            ConsulObject::ServiceSplitter(s) => ("ServiceSplitter", s.name()),
            _ => continue,
        };
        if ix.is_tcp(name) {
            out.push(
                Finding::new(
                    i,
                    Code::ConsulL7OnTcp,
                    path("metadata.name"),
                    format!("{kind} {name}: service {name} has protocol tcp"),
                )
                .hint(format!(
                    "set `protocol: http` (or http2, grpc) in ServiceDefaults {name}"
                )),
            );
        }
    }
}

/// Subsets named by routers, splitters and resolvers (MW3010).
pub(crate) fn subsets(ix: &Index<'_>, out: &mut Vec<Finding>) {
    let mut check =
        |i: usize, what: &str, at: FieldPath, service: &str, subset: Option<&String>| {
            let Some(subset) = subset.filter(|s| !s.is_empty()) else {
                return;
            };
            if !ix
                .subsets
                .get(service)
                .is_some_and(|s| s.contains(subset.as_str()))
            {
                out.push(
                    Finding::new(
                        i,
                        Code::ConsulSubsetNotDefined,
                        at,
                        format!("{what}: subset {subset:?} of service {service} is not defined"),
                    )
                    .hint(format!(
                        "define the subset in ServiceResolver {service} (spec.subsets)"
                    )),
                );
            }
        };
    for (i, o) in ix.entries() {
        match o {
            ConsulObject::ServiceRouter(r) => {
                let what = format!("ServiceRouter {}", r.name());
                for (j, route) in r.spec.routes.iter().enumerate() {
                    if let Some(d) = &route.destination {
                        let service = d.service.as_deref().unwrap_or(r.name());
                        let at = path("spec.routes")
                            .index(j)
                            .field("destination")
                            .field("serviceSubset");
                        check(i, &what, at, service, d.service_subset.as_ref());
                    }
                }
            }
            ConsulObject::ServiceSplitter(s) => {
                let what = format!("ServiceSplitter {}", s.name());
                for (j, sp) in s.spec.splits.iter().enumerate() {
                    let service = sp.service.as_deref().unwrap_or(s.name());
                    let at = path("spec.splits").index(j).field("serviceSubset");
                    check(i, &what, at, service, sp.service_subset.as_ref());
                }
            }
            ConsulObject::ServiceResolver(r) => {
                let what = format!("ServiceResolver {}", r.name());
                // Subsets of peers, partitions or other datacenters are
                // not in the input.
                if let Some(rd) = &r.spec.redirect
                    && rd.peer.is_none()
                    && rd.partition.is_none()
                    && rd.datacenter.is_none()
                {
                    let service = rd.service.as_deref().unwrap_or(r.name());
                    check(
                        i,
                        &what,
                        path("spec.redirect.serviceSubset"),
                        service,
                        rd.service_subset.as_ref(),
                    );
                }
                for (k, f) in &r.spec.failover {
                    if f.datacenters.is_empty() {
                        let service = f.service.as_deref().unwrap_or(r.name());
                        let at = path("spec.failover").key(k).field("serviceSubset");
                        check(i, &what, at, service, f.service_subset.as_ref());
                    }
                }
            }
            _ => {}
        }
    }
}
