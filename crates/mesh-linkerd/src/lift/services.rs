//! Namespaces, Services and their versions, routes, splits and
//! ServiceProfiles.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Service as K8sService;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_k8s::gateway::HttpRoute as GwHttpRoute;
use mesh_k8s::gateway::precedence::RegexRank;
use mesh_model::lift::ObjectRef;
use mesh_model::{
    Action, BackendRef, Duration, FieldPath, Forward, LabelKey, LabelValue, Labels, LogFormat,
    Name, NamespaceConfig, OutlierDetection, Percent, Port, Protocol, RetryBudget, RetryOn,
    RetryPolicy, Route, Service, ServicePort, Unmatched, Version, Weight,
};

use super::routes::{self, LiftedRule, RuleScope};
use super::{Lx, SvcInfo, object_ref, parse_duration};
use crate::crds::HttpRoute as PolicyHttpRoute;
use crate::lower::LinkerdObject;

/// What a Namespace object says.
#[derive(Debug, Clone, Default)]
pub(crate) struct NsInfo {
    pub oref: Option<ObjectRef>,
    pub inject: bool,
    pub labels: Labels,
    /// `config.linkerd.io/default-inbound-policy`.
    pub policy: Option<String>,
}

const INJECT: &str = "linkerd.io/inject";
pub(crate) const DEFAULT_POLICY: &str = "config.linkerd.io/default-inbound-policy";
const ACCESS_LOG: &str = "config.linkerd.io/access-log";
const OPAQUE: &str = "config.linkerd.io/opaque-ports";

fn ann_path(key: &str) -> FieldPath {
    FieldPath::root()
        .field("metadata")
        .field("annotations")
        .key(key)
}

fn labels_of(
    lx: &mut Lx<'_>,
    oref: &ObjectRef,
    at: FieldPath,
    map: &BTreeMap<String, String>,
) -> Labels {
    let mut out = Labels::new();
    for (k, v) in map {
        if lx.opts.common.labels.get(k) == Some(v) {
            continue;
        }
        match (LabelKey::new(k.as_str()), LabelValue::new(v.as_str())) {
            (Ok(k), Ok(v)) => {
                out.insert(k, v);
            }
            _ => {
                lx.l.skip(oref, at.key(k), "not a valid label for the model")
            }
        }
    }
    out
}

/// Namespaces: injection, default inbound policy, access logs.
pub(crate) fn namespaces(lx: &mut Lx<'_>, objects: &[LinkerdObject]) -> BTreeMap<String, NsInfo> {
    let mut out = BTreeMap::new();
    let mut logs: BTreeMap<String, Vec<ObjectRef>> = BTreeMap::new();
    for o in objects {
        let LinkerdObject::Namespace(n) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        // The control plane's own namespace is part of the installation
        // (Helm values), not of the model's namespaces.
        let control_plane = n.metadata.labels.as_ref().is_some_and(|l| {
            l.get("linkerd.io/is-control-plane").map(String::as_str) == Some("true")
        });
        if control_plane {
            continue;
        }
        let name = n.metadata.name.clone().unwrap_or_default();
        let ann = n.metadata.annotations.clone().unwrap_or_default();
        let labels = labels_of(
            lx,
            &oref,
            FieldPath::root().field("metadata").field("labels"),
            &n.metadata.labels.clone().unwrap_or_default(),
        );
        let inject = match ann.get(INJECT).map(String::as_str) {
            Some("enabled") => true,
            None | Some("disabled") => false,
            Some(other) => {
                lx.l.skip(
                    &oref,
                    ann_path(INJECT),
                    format!(
                        "injection mode {other:?} has no neutral meaning: lifted as not injected"
                    ),
                );
                false
            }
        };
        if let Some(v) = ann.get(ACCESS_LOG) {
            logs.entry(v.clone()).or_default().push(oref.clone());
        }
        for k in ann.keys() {
            let known = [INJECT, DEFAULT_POLICY, ACCESS_LOG].contains(&k.as_str())
                || lx.opts.common.annotations.contains_key(k);
            if !known && k.contains("linkerd.io/") {
                lx.l.skip(&oref, ann_path(k), "this annotation has no neutral meaning");
            }
        }
        out.insert(
            name,
            NsInfo {
                oref: Some(oref),
                inject,
                labels,
                policy: ann.get(DEFAULT_POLICY).cloned(),
            },
        );
    }
    // Access logs: one format mesh-wide.
    let mut formats: Vec<(String, Vec<ObjectRef>)> = logs.into_iter().collect();
    formats.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    for (k, (value, refs)) in formats.into_iter().enumerate() {
        let format = match value.as_str() {
            "apache" => Some(LogFormat::Text),
            "json" => Some(LogFormat::Json),
            _ => None,
        };
        match format {
            Some(f) if k == 0 => {
                lx.l.mesh.observability.access_logs = Some(mesh_model::AccessLogs { format: f });
            }
            _ => {
                for r in refs {
                    lx.l.skip(
                        &r,
                        ann_path(ACCESS_LOG),
                        format!("access-log {value:?}: the model has one access-log format for the whole mesh"),
                    );
                }
            }
        }
    }
    out
}

/// The `namespaces` entries that say something beyond the services.
pub(crate) fn namespace_configs(lx: &mut Lx<'_>, ns: &BTreeMap<String, NsInfo>) {
    let in_use = lx.l.mesh.namespaces_in_use();
    for (name, info) in ns {
        if info.inject && info.labels.is_empty() && in_use.contains_key(name.as_str()) {
            continue;
        }
        let Ok(n) = Name::new(name.as_str()) else {
            if let Some(r) = &info.oref {
                lx.l.skip(
                    r,
                    FieldPath::root(),
                    "not a valid namespace name for the model",
                );
            }
            continue;
        };
        let at = FieldPath::root()
            .field("namespaces")
            .index(lx.l.mesh.namespaces.len());
        if let Some(r) = &info.oref {
            lx.l.origin(at, r, FieldPath::root());
        }
        lx.l.mesh.namespaces.push(NamespaceConfig {
            name: n,
            inject: info.inject,
            labels: info.labels.clone(),
        });
    }
}

fn protocol_of(name: Option<&str>, app: Option<&str>, opaque: bool) -> Option<Protocol> {
    if opaque {
        return Some(Protocol::Tcp);
    }
    let by = |s: &str| -> Option<Protocol> {
        Some(match s {
            "http" | "http1" => Protocol::Http,
            "http2" | "h2c" | "kubernetes.io/h2c" => Protocol::Http2,
            "grpc" | "grpc-web" => Protocol::Grpc,
            "https" | "kubernetes.io/wss" => Protocol::Https,
            "tls" => Protocol::Tls,
            "tcp" | "linkerd.io/opaque" => Protocol::Tcp,
            _ => return None,
        })
    };
    if let Some(p) = app.and_then(by) {
        return Some(p);
    }
    let n = name?;
    let head = n.split('-').next().unwrap_or(n);
    by(head)
}

fn selector(s: &K8sService) -> Option<BTreeMap<String, String>> {
    s.spec.as_ref()?.selector.clone().filter(|m| !m.is_empty())
}

fn port_numbers(s: &K8sService) -> Vec<i32> {
    let mut v: Vec<i32> = s
        .spec
        .as_ref()
        .and_then(|x| x.ports.as_ref())
        .map(|ps| ps.iter().map(|p| p.port).collect())
        .unwrap_or_default();
    v.sort_unstable();
    v
}

/// Core Services: the model's services and their per-version Services.
pub(crate) fn services<'a>(lx: &mut Lx<'a>, objects: &'a [LinkerdObject]) {
    let all: Vec<(&K8sService, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            LinkerdObject::Service(s) => Some((&**s, object_ref(o))),
            _ => None,
        })
        .collect();
    // Per-version Services: `<a>-<v>` whose selector strictly extends a's,
    // with the same ports.
    let mut version_of: BTreeMap<usize, (usize, String)> = BTreeMap::new();
    for (b, (sb, rb)) in all.iter().enumerate() {
        let Some(selb) = selector(sb) else { continue };
        let best = all
            .iter()
            .enumerate()
            .filter(|(a, (sa, ra))| {
                *a != b
                    && ra.namespace == rb.namespace
                    && rb.name.len() > ra.name.len() + 1
                    && rb.name.starts_with(&format!("{}-", ra.name))
                    && port_numbers(sa) == port_numbers(sb)
                    && selector(sa).is_some_and(|sela| {
                        sela.len() < selb.len() && sela.iter().all(|(k, v)| selb.get(k) == Some(v))
                    })
            })
            .max_by_key(|(_, (_, ra))| ra.name.len());
        if let Some((a, (_, ra))) = best {
            version_of.insert(b, (a, rb.name[ra.name.len() + 1..].to_owned()));
        }
    }
    // A per-version Service of a per-version Service is not nested.
    let version_of: BTreeMap<usize, (usize, String)> = version_of
        .iter()
        .filter(|(_, (a, _))| !version_of.contains_key(a))
        .map(|(b, x)| (*b, x.clone()))
        .collect();
    for (i, (s, oref)) in all.iter().enumerate() {
        if version_of.contains_key(&i) {
            continue;
        }
        lx.used.insert(oref.clone());
        if let Some(svc) = service(lx, s, oref) {
            let index = lx.l.mesh.services.len();
            lx.l.origin(
                FieldPath::root().field("services").index(index),
                oref,
                FieldPath::root(),
            );
            lx.services.insert(
                (svc.namespace.to_string(), svc.name.to_string()),
                SvcInfo {
                    index,
                    versions: BTreeMap::new(),
                },
            );
            lx.l.mesh.services.push(svc);
        }
    }
    for (b, (a, vname)) in &version_of {
        let (sb, rb) = &all[*b];
        let (sa, ra) = &all[*a];
        lx.used.insert(rb.clone());
        let ns = ra.namespace.clone().unwrap_or_default();
        let Some(info) = lx.services.get(&(ns.clone(), ra.name.clone())) else {
            lx.l.skip(
                rb,
                FieldPath::root(),
                format!("per-version Service of {}, which is not lifted", ra.name),
            );
            continue;
        };
        let index = info.index;
        let sela = selector(sa).unwrap_or_default();
        let extra: BTreeMap<String, String> = selector(sb)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| !sela.contains_key(k))
            .collect();
        let Ok(name) = Name::new(vname.as_str()) else {
            lx.l.skip(
                rb,
                FieldPath::root(),
                format!("version name {vname:?} is not valid in the model"),
            );
            continue;
        };
        let mut labels = labels_of(
            lx,
            rb,
            FieldPath::root().field("spec").field("selector"),
            &extra,
        );
        let default_labels = Version {
            name: name.clone(),
            labels: Labels::new(),
            resilience: None,
        }
        .pod_labels();
        if labels == default_labels {
            labels = Labels::new();
        }
        let Some(svc) = lx.l.mesh.services.get_mut(index) else {
            continue;
        };
        let vi = svc.versions.len();
        svc.versions.push(Version {
            name,
            labels,
            resilience: None,
        });
        lx.l.origin(
            FieldPath::root()
                .field("services")
                .index(index)
                .field("versions")
                .index(vi),
            rb,
            FieldPath::root(),
        );
        lx.version_services.insert(
            (ns.clone(), rb.name.clone()),
            (ra.name.clone(), vname.clone()),
        );
        if let Some(info) = lx.services.get_mut(&(ns, ra.name.clone())) {
            info.versions.insert(vname.clone(), rb.name.clone());
        }
    }
}

/// One model service from a core Service.
fn service(lx: &mut Lx<'_>, s: &K8sService, oref: &ObjectRef) -> Option<Service> {
    let Some(sel) = selector(s) else {
        lx.l.skip_object(
            oref,
            &FieldPath::root().field("spec").field("selector"),
            "a Service without a selector (external endpoints) has no workloads the model can name: not lifted",
        );
        return None;
    };
    let (name, namespace) = match (
        Name::new(oref.name.as_str()),
        Name::new(
            oref.namespace
                .clone()
                .unwrap_or_else(|| "default".to_owned()),
        ),
    ) {
        (Ok(n), Ok(ns)) => (n, ns),
        _ => {
            lx.l.skip(
                oref,
                FieldPath::root(),
                "name or namespace not valid in the model",
            );
            return None;
        }
    };
    let ann = s.metadata.annotations.clone().unwrap_or_default();
    let opaque: Vec<String> = ann
        .get(OPAQUE)
        .map(|v| v.split(',').map(|x| x.trim().to_owned()).collect())
        .unwrap_or_default();
    let mut ports = Vec::new();
    let pp = FieldPath::root().field("spec").field("ports");
    let spec_ports = s
        .spec
        .as_ref()
        .and_then(|x| x.ports.clone())
        .unwrap_or_default();
    for (k, p) in spec_ports.iter().enumerate() {
        let at = pp.index(k);
        if p.protocol.as_deref().is_some_and(|x| x != "TCP") {
            lx.l.skip(oref, at, "only TCP ports are meshed");
            continue;
        }
        let Ok(number) = Port::new(u32::try_from(p.port).unwrap_or(0)) else {
            lx.l.skip(oref, at.field("port"), "not a valid port");
            continue;
        };
        let is_opaque = opaque.iter().any(|o| o == &p.port.to_string());
        let protocol = match protocol_of(p.name.as_deref(), p.app_protocol.as_deref(), is_opaque) {
            Some(x) => x,
            None => {
                lx.l.skip(
                    oref,
                    at.field("name"),
                    "protocol not declared (no appProtocol, no protocol prefix in the port name): lifted as http, which Linkerd's protocol detection finds for HTTP/1 and HTTP/2 clients",
                );
                Protocol::Http
            }
        };
        let target_port = match &p.target_port {
            None => None,
            Some(IntOrString::Int(t)) => Port::new(u32::try_from(*t).unwrap_or(0))
                .ok()
                .filter(|t| *t != number),
            Some(IntOrString::String(t)) => {
                lx.l.skip(
                    oref,
                    at.field("targetPort"),
                    format!("named target port {t:?}: the model's target ports are numbers; traffic is described by the service port"),
                );
                None
            }
        };
        ports.push(ServicePort {
            number,
            protocol,
            name: p.name.as_deref().and_then(|n| Name::new(n).ok()),
            target_port,
        });
    }
    let mut svc = Service {
        name,
        namespace,
        ports,
        versions: Vec::new(),
        selector: Labels::new(),
        service_account: None,
        routes: Vec::new(),
        unmatched: Unmatched::Service,
        resilience: Default::default(),
        export_to: Vec::new(),
    };
    // Port names the model would give anyway are left out.
    let defaults: Vec<String> = svc
        .ports
        .iter()
        .map(|p| {
            svc.port_name(&ServicePort {
                name: None,
                ..p.clone()
            })
        })
        .collect();
    for (p, d) in svc.ports.iter_mut().zip(defaults) {
        if p.name.as_ref().is_some_and(|n| n.as_str() == d) {
            p.name = None;
        }
    }
    let selector = labels_of(
        lx,
        oref,
        FieldPath::root().field("spec").field("selector"),
        &sel,
    );
    if selector != svc.pod_selector() {
        svc.selector = selector;
    }
    // Service-level retries, timeout, failure accrual.
    let (retries, timeout) = retry_timeout(lx, oref, &ann);
    svc.resilience.retries = retries;
    svc.resilience.timeout = timeout;
    svc.resilience.outlier_detection = failure_accrual(lx, oref, &ann);
    for k in ann.keys() {
        let known = k.starts_with("retry.linkerd.io/")
            || k.starts_with("timeout.linkerd.io/")
            || k.starts_with("balancer.linkerd.io/failure-accrual")
            || k == OPAQUE
            || lx.opts.common.annotations.contains_key(k);
        if !known && k.contains("linkerd.io/") {
            lx.l.skip(oref, ann_path(k), "this annotation has no neutral meaning");
        }
    }
    Some(svc)
}

/// `retry.linkerd.io/*` and `timeout.linkerd.io/request` annotations.
pub(crate) fn retry_timeout(
    lx: &mut Lx<'_>,
    oref: &ObjectRef,
    ann: &BTreeMap<String, String>,
) -> (Option<RetryPolicy>, Option<Duration>) {
    let dur = |lx: &mut Lx<'_>, key: &str| -> Option<Duration> {
        let v = ann.get(key)?;
        let d = parse_duration(v);
        if d.is_none() {
            lx.l.skip(oref, ann_path(key), format!("{v:?} is not a duration"));
        }
        d
    };
    let timeout = dur(lx, "timeout.linkerd.io/request");
    for k in ["timeout.linkerd.io/response", "timeout.linkerd.io/idle"] {
        if ann.contains_key(k) {
            lx.l.skip(oref, ann_path(k), "the model has request timeouts only");
        }
    }
    let limit = ann.get("retry.linkerd.io/limit");
    let http = ann.get("retry.linkerd.io/http");
    let grpc = ann.get("retry.linkerd.io/grpc");
    let per_try = dur(lx, "retry.linkerd.io/timeout");
    if limit.is_none() && http.is_none() && grpc.is_none() {
        if per_try.is_some() {
            lx.l.skip(
                oref,
                ann_path("retry.linkerd.io/timeout"),
                "a per-try timeout without retries has no neutral meaning",
            );
        }
        return (None, timeout);
    }
    // Linkerd's default limit is 1.
    let attempts = match limit.map(|l| l.parse::<u32>()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            lx.l.skip(
                oref,
                ann_path("retry.linkerd.io/limit"),
                "not a number: lifted as 1 (Linkerd's default)",
            );
            1
        }
    };
    let mut on = Vec::new();
    for (key, list) in [
        ("retry.linkerd.io/http", http),
        ("retry.linkerd.io/grpc", grpc),
    ] {
        for c in list.into_iter().flat_map(|l| l.split(',')) {
            let c = c.trim();
            match c.parse::<RetryOn>() {
                Ok(r) => on.push(r),
                Err(_) => lx.l.skip(
                    oref,
                    ann_path(key),
                    format!("retry condition {c:?} has no neutral meaning (status ranges are not lifted)"),
                ),
            }
        }
    }
    if on.is_empty() && http.is_none() && grpc.is_none() {
        // Linkerd's default: 5xx.
        on.push(RetryOn::Status5xx);
    }
    (
        Some(RetryPolicy {
            attempts,
            per_try_timeout: per_try,
            on,
            backoff: None,
            remote_localities: false,
        }),
        timeout,
    )
}

fn failure_accrual(
    lx: &mut Lx<'_>,
    oref: &ObjectRef,
    ann: &BTreeMap<String, String>,
) -> Option<OutlierDetection> {
    const P: &str = "balancer.linkerd.io/failure-accrual";
    let mode = ann.get(P)?;
    if mode != "consecutive" {
        lx.l.skip(
            oref,
            ann_path(P),
            format!("failure accrual {mode:?} has no neutral meaning"),
        );
        return None;
    }
    let get = |k: &str| ann.get(&format!("{P}-consecutive-{k}"));
    let max = get("max-failures").and_then(|v| v.parse::<u32>().ok());
    let min_pen = get("min-penalty").and_then(|v| parse_duration(v));
    let mut od = OutlierDetection {
        consecutive_5xx: max.and_then(std::num::NonZeroU32::new),
        base_ejection_time: min_pen,
        ..OutlierDetection::default()
    };
    if od.consecutive_5xx.is_none() {
        od.consecutive_5xx = std::num::NonZeroU32::new(7);
    }
    let base = min_pen.unwrap_or(Duration::from_secs(1));
    if let Some(v) = get("max-penalty")
        && parse_duration(v) != Some(base.max(Duration::from_secs(300)))
    {
        lx.l.skip(
            oref,
            ann_path(&format!("{P}-consecutive-max-penalty")),
            "the model's ejection grows to at least 300s: another maximum penalty is not lifted",
        );
    }
    if get("jitter-ratio").is_some_and(|v| v.parse::<f64>().ok() != Some(0.0)) {
        lx.l.skip(
            oref,
            ann_path(&format!("{P}-consecutive-jitter-ratio")),
            "the model has no ejection jitter",
        );
    }
    let _ = Percent::ALL;
    Some(od)
}

/// Route objects with Service parents, as Gateway API routes.
fn service_routes(objects: &[LinkerdObject]) -> Vec<(GwHttpRoute, ObjectRef)> {
    let mut out = Vec::new();
    for o in objects {
        let route = match o {
            LinkerdObject::GatewayHttpRoute(r) => (**r).clone(),
            LinkerdObject::HttpRoute(r) => match from_policy_route(r) {
                Some(r) => r,
                None => continue,
            },
            _ => continue,
        };
        if route
            .spec
            .parent_refs
            .iter()
            .any(|p| is_service_parent(p.group.as_deref(), p.kind.as_deref()))
        {
            out.push((route, object_ref(o)));
        }
    }
    // Gateway API's tie-break across objects: oldest first, then by name.
    out.sort_by(|a, b| {
        (a.0.metadata.creation_timestamp.as_ref().map(|t| t.0), &a.1)
            .cmp(&(b.0.metadata.creation_timestamp.as_ref().map(|t| t.0), &b.1))
    });
    out
}

pub(crate) fn is_service_parent(group: Option<&str>, kind: Option<&str>) -> bool {
    matches!(group, Some("") | Some("core")) && kind == Some("Service")
}

/// A policy.linkerd.io HTTPRoute read as a Gateway API one (the inverse of
/// the lowering's `to_policy_route`: `core` parents, response-header
/// filters of backends moved back onto the rule when every backend has the
/// same).
pub(crate) fn from_policy_route(r: &PolicyHttpRoute) -> Option<GwHttpRoute> {
    use serde_json::Value;
    let mut v = serde_json::to_value(&r.spec).ok()?;
    if let Some(parents) = v.get_mut("parentRefs").and_then(Value::as_array_mut) {
        for p in parents {
            if p.get("group").and_then(Value::as_str) == Some("core") {
                p["group"] = Value::from("");
            }
        }
    }
    if let Some(rules) = v.get_mut("rules").and_then(Value::as_array_mut) {
        for rule in rules {
            let Some(obj) = rule.as_object_mut() else {
                continue;
            };
            let Some(backends) = obj.get_mut("backendRefs").and_then(Value::as_array_mut) else {
                continue;
            };
            let first = backends.first().and_then(|b| b.get("filters")).cloned();
            let same = backends.iter().all(|b| b.get("filters") == first.as_ref());
            if let (true, Some(Value::Array(fs))) = (same, first) {
                for b in backends.iter_mut() {
                    if let Some(b) = b.as_object_mut() {
                        b.remove("filters");
                    }
                }
                let mut all = obj
                    .get("filters")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                all.extend(fs);
                obj.insert("filters".into(), Value::from(all));
            }
        }
    }
    let spec = serde_json::from_value(v).ok()?;
    let mut out = GwHttpRoute::new(r.name(), r.namespace(), spec);
    out.metadata = r.metadata.clone();
    Some(out)
}

/// Routes of every lifted service.
pub(crate) fn routes(lx: &mut Lx<'_>, objects: &[LinkerdObject]) {
    let routes = service_routes(objects);
    // (namespace, service) → port → rules.
    let mut by_parent: BTreeMap<(String, String), BTreeMap<u16, Vec<LiftedRule>>> = BTreeMap::new();
    for (group, (r, oref)) in routes.iter().enumerate() {
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let ann = r.metadata.annotations.clone().unwrap_or_default();
        let (retries, timeout) = retry_timeout(lx, oref, &ann);
        let mut parent_skips: Vec<(FieldPath, &str)> = Vec::new();
        let mut lifted_parents = 0;
        for (pi, p) in r.spec.parent_refs.iter().enumerate() {
            let pp = FieldPath::root()
                .field("spec")
                .field("parentRefs")
                .index(pi);
            if !is_service_parent(p.group.as_deref(), p.kind.as_deref()) {
                parent_skips.push((pp, "a route with a Service parent and other parents: only the Service parents are lifted"));
                continue;
            }
            let pns = p.namespace.clone().unwrap_or_else(|| ns.clone());
            if pns != ns {
                parent_skips.push((pp, "a consumer route (parent in another namespace) applies to that namespace's clients only: the model's routes apply to every client"));
                continue;
            }
            let Some(info) = lx.services.get(&(ns.clone(), p.name.clone())) else {
                let why = if lx
                    .version_services
                    .contains_key(&(ns.clone(), p.name.clone()))
                {
                    "routes of a per-version Service are not lifted: the model routes the service"
                } else {
                    "the parent Service is not among the lifted objects"
                };
                parent_skips.push((pp, why));
                continue;
            };
            lifted_parents += 1;
            let svc_index = info.index;
            let svc_res = lx.l.mesh.services[svc_index].resilience.clone();
            let port = match p.port {
                Some(n) => n.get(),
                None => {
                    let ports: Vec<u16> = lx.l.mesh.services[svc_index]
                        .ports
                        .iter()
                        .filter(|x| x.protocol.is_l7())
                        .map(|x| x.number.get())
                        .collect();
                    ports.first().copied().unwrap_or(0)
                }
            };
            let scope = RuleScope {
                namespace: &ns,
                owner: Some(p.name.as_str()),
                port: Some(port),
                ingress: false,
            };
            let mut lifted = Vec::new();
            for (k, rule) in r.spec.rules.iter().enumerate() {
                let rp = FieldPath::root().field("spec").field("rules").index(k);
                let Some(mut route) = routes::rule(lx, &scope, oref, &rp, rule) else {
                    continue;
                };
                if let Action::Forward(f) = &mut route.action {
                    if f.timeout.is_none() && timeout != svc_res.timeout {
                        f.timeout = timeout;
                    }
                    if retries != svc_res.retries {
                        f.retries = retries.clone();
                    }
                }
                lifted.push(LiftedRule {
                    route,
                    object: oref.clone(),
                    path: rp,
                    group,
                });
            }
            by_parent
                .entry((ns.clone(), p.name.clone()))
                .or_default()
                .entry(port)
                .or_default()
                .extend(lifted);
        }
        for (pp, why) in parent_skips {
            if lifted_parents == 0 {
                lx.l.skip_object(oref, &pp, why);
                break;
            }
            lx.l.skip(oref, pp, why);
        }
    }
    for ((ns, name), ports) in by_parent {
        let mut ports = ports.into_iter();
        let Some((_, rules)) = ports.next() else {
            continue;
        };
        for (port, other) in ports {
            let same = other.len() == rules.len()
                && other.iter().zip(&rules).all(|(a, b)| a.route == b.route);
            if !same {
                for r in &other {
                    lx.l.skip(
                        &r.object,
                        r.path.clone(),
                        format!("port {port} of {ns}/{name} routes differently from its other HTTP ports: the model routes a service, not a port"),
                    );
                }
            }
        }
        let ordered = routes::order(rules, RegexRank::BetweenExactAndPrefix);
        let Some(info) = lx.services.get(&(ns.clone(), name.clone())) else {
            continue;
        };
        let index = info.index;
        let mut ordered = ordered;
        let unmatched = take_unmatched(&mut ordered);
        let Some(svc) = lx.l.mesh.services.get_mut(index) else {
            continue;
        };
        svc.unmatched = unmatched;
        let base = FieldPath::root().field("services").index(index);
        for (j, r) in ordered.into_iter().enumerate() {
            lx.l.origin(base.field("routes").index(j), &r.object, r.path.clone());
            if let Some(svc) = lx.l.mesh.services.get_mut(index) {
                svc.routes.push(r.route);
            }
        }
    }
}

/// The last catch-all to the service itself or one version is the model's
/// `unmatched`; without a catch-all Linkerd answers 404.
fn take_unmatched(rules: &mut Vec<LiftedRule>) -> Unmatched {
    let Some(last) = rules.last() else {
        return Unmatched::Service;
    };
    if !last.route.is_catch_all() {
        return Unmatched::NotFound;
    }
    let plain = last.route.name.is_none()
        && last.route.request_headers.is_empty()
        && last.route.response_headers.is_empty();
    let target = match &last.route.action {
        Action::Forward(Forward {
            backends,
            mirrors,
            rewrite: None,
            timeout: None,
            retries: None,
            fault: None,
        }) if plain && mirrors.is_empty() => match backends.as_slice() {
            [b] if b.service.is_none()
                && b.namespace.is_none()
                && b.port.is_none()
                && b.weight == Weight::default() =>
            {
                Some(match &b.version {
                    None => Unmatched::Service,
                    Some(v) => Unmatched::Version(v.clone()),
                })
            }
            _ => None,
        },
        _ => None,
    };
    match target {
        // A lone catch-all stays a route: `unmatched` applies only to
        // services with routes.
        Some(u) if rules.len() > 1 => {
            rules.pop();
            u
        }
        _ => Unmatched::Service,
    }
}

/// SMI TrafficSplits: one weighted route.
pub(crate) fn traffic_splits(lx: &mut Lx<'_>, objects: &[LinkerdObject]) {
    for o in objects {
        let LinkerdObject::TrafficSplit(ts) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let root = &ts.spec.service;
        let Some(info) = lx.services.get(&(ns.clone(), root.clone())) else {
            lx.l.skip_object(
                &oref,
                &FieldPath::root().field("spec").field("service"),
                "the root Service is not among the lifted objects",
            );
            continue;
        };
        let index = info.index;
        if !lx.l.mesh.services[index].routes.is_empty() {
            lx.l.skip(&oref, FieldPath::root(), "the service also has HTTPRoutes, which take precedence over a TrafficSplit in Linkerd");
            continue;
        }
        for (k, _) in ts.spec.matches.iter().enumerate() {
            lx.l.skip(
                &oref,
                FieldPath::root().field("spec").field("matches").index(k),
                "SMI route groups are not lifted: the split applies to all traffic",
            );
        }
        let mut backends = Vec::new();
        for (k, b) in ts.spec.backends.iter().enumerate() {
            let bp = FieldPath::root().field("spec").field("backends").index(k);
            match lx.resolve_service(&ns, &b.service) {
                Some((svc, version)) if svc == *root => match Weight::new(b.weight) {
                    Ok(weight) => backends.push(BackendRef {
                        version: version.and_then(|v| Name::new(v).ok()),
                        weight,
                        ..BackendRef::default()
                    }),
                    Err(e) => lx.l.skip(&oref, bp, e.to_string()),
                },
                Some((svc, _)) => {
                    if let (Ok(s), Ok(w)) = (Name::new(svc.as_str()), Weight::new(b.weight)) {
                        backends.push(BackendRef {
                            service: Some(s),
                            weight: w,
                            ..BackendRef::default()
                        });
                    }
                }
                None => lx.l.skip(
                    &oref,
                    bp,
                    format!("Service {} is not among the lifted objects", b.service),
                ),
            }
        }
        if backends.is_empty() {
            continue;
        }
        let at = FieldPath::root()
            .field("services")
            .index(index)
            .field("routes")
            .index(0);
        lx.l.origin(at, &oref, FieldPath::root().field("spec"));
        lx.l.mesh.services[index].routes.push(Route {
            name: None,
            matches: Vec::new(),
            action: Action::Forward(Forward {
                backends,
                ..Forward::default()
            }),
            request_headers: Default::default(),
            response_headers: Default::default(),
        });
    }
}

/// ServiceProfiles: the retry budget and the catch-all timeout.
pub(crate) fn service_profiles(lx: &mut Lx<'_>, objects: &[LinkerdObject]) {
    for o in objects {
        let LinkerdObject::ServiceProfile(sp) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let ns = oref.namespace.clone().unwrap_or_default();
        let suffix = format!(".{ns}.svc.{}", lx.opts.cluster_domain);
        let Some(name) = oref.name.strip_suffix(&suffix).map(str::to_owned) else {
            lx.l.skip_object(
                &oref,
                &FieldPath::root().field("metadata").field("name"),
                format!("not named `<service>{suffix}`: the service it is for is unknown"),
            );
            continue;
        };
        if !lx.services.contains_key(&(ns.clone(), name.clone())) {
            lx.l.skip(
                &oref,
                FieldPath::root(),
                format!("Service {ns}/{name} is not among the lifted objects"),
            );
            continue;
        }
        let sp_path = FieldPath::root().field("spec");
        let mut timeout = None;
        for (k, r) in sp.spec.routes.iter().enumerate() {
            let rp = sp_path.field("routes").index(k);
            let catch_all = r.condition.path_regex.as_deref() == Some(".*")
                && r.condition.method.is_none()
                && r.condition.all.is_empty()
                && r.condition.any.is_empty()
                && r.condition.not.is_empty();
            match (&r.timeout, catch_all) {
                (Some(t), true) => timeout = t.value(),
                _ => lx.l.skip(&oref, rp.clone(), "ServiceProfile routes other than a catch-all timeout are not lifted (they only label and time out requests; use HTTPRoutes)"),
            }
            if !r.response_classes.is_empty() || r.is_retryable.is_some() {
                lx.l.skip(&oref, rp, "ServiceProfile retry classification is not lifted: the model's retries count attempts");
            }
        }
        for (k, _) in sp.spec.dst_overrides.iter().enumerate() {
            lx.l.skip(
                &oref,
                sp_path.field("dstOverrides").index(k),
                "ServiceProfile traffic splits are not lifted: use an HTTPRoute",
            );
        }
        if !sp.spec.opaque_ports.is_empty() {
            lx.l.skip(
                &oref,
                sp_path.field("opaquePorts"),
                "declare the ports' protocol tcp on the Service",
            );
        }
        let budget = sp.spec.retry_budget.as_ref().and_then(|b| {
            let percent = Percent::new(b.retry_ratio * 100.0).ok()?;
            Some(RetryBudget {
                percent,
                min_per_second: b.min_retries_per_second,
                ttl: b.ttl.value()?,
            })
        });
        if sp.spec.retry_budget.is_some() && budget.is_none() {
            lx.l.skip(
                &oref,
                sp_path.field("retryBudget"),
                "not a valid retry budget for the model",
            );
        }
        if let Some(svc) = lx.service_mut(&ns, &name) {
            if timeout.is_some() {
                svc.resilience.timeout = timeout;
            }
            svc.resilience.retry_budget = budget;
        }
    }
}
