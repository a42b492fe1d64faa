//! DestinationRules (versions, resilience, client TLS) and the local rate
//! limit EnvoyFilter.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use mesh_model::lift::ObjectRef;
use mesh_model::{
    ConnectionPool, Duration, FieldPath, HashKey, HeaderName, HttpPath, LoadBalancer, MtlsMode,
    Name, OutlierDetection, Percent, Port, RateLimit, Resilience, Version,
};

use super::{ClientTls, Cx, labels, object_ref, plain};
use crate::crds::{
    ClientTlsMode, EnvoyFilterTarget, H2UpgradePolicy, LbPolicy, LocalRateLimit, SimpleLb,
    TrafficPolicy, WorkloadSelector,
};
use crate::lower::IstioObject;

/// DestinationRules of services (those of ServiceEntry hosts are TLS
/// origination, see edge.rs).
pub(crate) fn destination_rules(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::DestinationRule(dr) = o else {
            continue;
        };
        let r = object_ref(o);
        let spec = &dr.spec;
        if cx.external_hosts.contains(&spec.host) {
            continue;
        }
        let ns = dr.namespace().unwrap_or("default").to_owned();
        if spec.workload_selector.is_some() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("workloadSelector"),
                "a DestinationRule for selected clients only is not in the model; not lifted",
            );
            continue;
        }
        let Some((name, sns)) = cx.host_service(&spec.host, &ns) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("host"),
                format!("{} is not a service of the mesh; not lifted", spec.host),
            );
            continue;
        };
        let Some(d) = cx.service(&name, &sns) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("host"),
                "not a valid service name; not lifted",
            );
            continue;
        };
        if !d.service.versions.is_empty() || !d.service.resilience.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec"),
                "a second DestinationRule for the same host (Istio uses only one); not lifted",
            );
            continue;
        }
        let svc = d.service.clone();
        let l7 = svc.is_l7() || svc.ports.is_empty();
        let key = (sns.clone(), name.clone());
        let base = FieldPath::root().field("spec");
        let resilience = match &spec.traffic_policy {
            Some(tp) => traffic_policy(cx, &r, tp, &base.field("trafficPolicy"), l7, &key),
            None => Resilience::default(),
        };
        let mut versions = Vec::new();
        for (i, s) in spec.subsets.iter().enumerate() {
            let spath = base.field("subsets").index(i);
            let Ok(vname) = Name::new(s.name.as_str()) else {
                cx.skip(
                    &r,
                    spath.field("name"),
                    "not a valid version name; subset not lifted",
                );
                continue;
            };
            let Some(mut l) = labels(&s.labels) else {
                cx.skip(
                    &r,
                    spath.field("labels"),
                    "invalid label; subset not lifted",
                );
                continue;
            };
            let mut v = Version {
                name: vname,
                labels: Default::default(),
                resilience: None,
            };
            if l == v.pod_labels() {
                l.clear();
            }
            v.labels = l;
            if let Some(tp) = &s.traffic_policy {
                let vr = traffic_policy(cx, &r, tp, &spath.field("trafficPolicy"), l7, &key);
                v.resilience = (!vr.is_empty()).then_some(vr);
            }
            versions.push(v);
        }
        let export_to: Vec<Name> = spec
            .export_to
            .iter()
            .filter_map(|n| match n.as_str() {
                "." => Name::new(ns.as_str()).ok(),
                other => Name::new(other).ok(),
            })
            .collect();
        if export_to.len() != spec.export_to.len() {
            cx.skip(
                &r,
                base.field("exportTo"),
                "`*` and invalid namespaces are not lifted (the model's empty list means every namespace)",
            );
        }
        if let Some(d) = cx.services.get_mut(&key) {
            d.service.resilience = resilience;
            d.service.versions = versions;
            if !export_to.is_empty() {
                d.service.export_to = export_to;
            }
        }
    }
}

fn nz(cx: &mut Cx<'_>, r: &ObjectRef, v: Option<i32>, path: FieldPath) -> Option<NonZeroU32> {
    let v = v?;
    match u32::try_from(v).ok().and_then(NonZeroU32::new) {
        Some(n) => Some(n),
        None => {
            cx.skip(r, path, format!("{v} is not a positive limit"));
            None
        }
    }
}

/// The resilience a traffic policy says; client TLS is recorded for the
/// check against the servers' mTLS modes.
fn traffic_policy(
    cx: &mut Cx<'_>,
    r: &ObjectRef,
    tp: &TrafficPolicy,
    path: &FieldPath,
    l7: bool,
    service: &(String, String),
) -> Resilience {
    let mut out = Resilience::default();
    if let Some(cp) = &tp.connection_pool {
        let cpath = path.field("connectionPool");
        let mut pool = ConnectionPool::default();
        if let Some(t) = &cp.tcp {
            let tpath = cpath.field("tcp");
            pool.max_connections = nz(cx, r, t.max_connections, tpath.field("maxConnections"));
            pool.connect_timeout = t
                .connect_timeout
                .as_ref()
                .and_then(super::traffic::duration);
            if let Some(idle) = &t.idle_timeout {
                if l7 {
                    cx.skip(
                        r,
                        tpath.field("idleTimeout"),
                        "a TCP idle timeout on an HTTP service is not in the model (the model's idle timeout is HTTP's there)",
                    );
                } else {
                    pool.idle_timeout = idle.value();
                }
            }
            for (set, field) in [
                (t.tcp_keepalive.is_some(), "tcpKeepalive"),
                (t.max_connection_duration.is_some(), "maxConnectionDuration"),
            ] {
                if set {
                    cx.skip(r, tpath.field(field), "not in the model");
                }
            }
        }
        if let Some(h) = &cp.http {
            let hpath = cpath.field("http");
            pool.max_pending_requests = nz(
                cx,
                r,
                h.http1_max_pending_requests,
                hpath.field("http1MaxPendingRequests"),
            );
            pool.max_requests = nz(cx, r, h.http2_max_requests, hpath.field("http2MaxRequests"));
            pool.max_requests_per_connection = nz(
                cx,
                r,
                h.max_requests_per_connection,
                hpath.field("maxRequestsPerConnection"),
            );
            pool.max_retries = nz(cx, r, h.max_retries, hpath.field("maxRetries"));
            if let Some(idle) = &h.idle_timeout {
                if l7 {
                    pool.idle_timeout = super::traffic::duration(idle);
                } else {
                    cx.skip(
                        r,
                        hpath.field("idleTimeout"),
                        "an HTTP idle timeout on a TCP service does nothing",
                    );
                }
            }
            pool.h2_upgrade = match h.h2_upgrade_policy {
                Some(H2UpgradePolicy::Upgrade) => Some(true),
                Some(H2UpgradePolicy::DoNotUpgrade) => Some(false),
                Some(H2UpgradePolicy::Default) | None => None,
            };
            for (set, field) in [
                (h.use_client_protocol.is_some(), "useClientProtocol"),
                (h.max_concurrent_streams.is_some(), "maxConcurrentStreams"),
            ] {
                if set {
                    cx.skip(r, hpath.field(field), "not in the model");
                }
            }
        }
        out.connection_pool = (pool != ConnectionPool::default()).then_some(pool);
    }
    if let Some(od) = &tp.outlier_detection {
        let opath = path.field("outlierDetection");
        let count = |v: Option<u32>| v.and_then(NonZeroU32::new);
        let percent = |v: Option<i32>| v.and_then(|p| Percent::new(f64::from(p)).ok());
        let o = OutlierDetection {
            consecutive_5xx: count(od.consecutive_5xx_errors),
            consecutive_gateway_errors: count(od.consecutive_gateway_errors),
            interval: od.interval.as_ref().and_then(super::traffic::duration),
            base_ejection_time: od
                .base_ejection_time
                .as_ref()
                .and_then(super::traffic::duration),
            max_ejection_percent: percent(od.max_ejection_percent),
            min_health_percent: percent(od.min_health_percent),
        };
        for (set, field) in [
            (od.consecutive_errors.is_some(), "consecutiveErrors"),
            (
                od.consecutive_local_origin_failures.is_some(),
                "consecutiveLocalOriginFailures",
            ),
            (
                od.split_external_local_origin_errors.is_some(),
                "splitExternalLocalOriginErrors",
            ),
        ] {
            if set {
                cx.skip(r, opath.field(field), "not in the model");
            }
        }
        // consecutive5xxErrors 0 without gateway errors turns it off.
        let off = od.consecutive_5xx_errors == Some(0) && o.consecutive_gateway_errors.is_none();
        if !off {
            out.outlier_detection = Some(o);
        }
    }
    if let Some(lb) = &tp.load_balancer {
        let lpath = path.field("loadBalancer");
        out.load_balancer = match &lb.policy {
            None => None,
            Some(LbPolicy::Simple(SimpleLb::RoundRobin)) => Some(LoadBalancer::RoundRobin),
            Some(LbPolicy::Simple(SimpleLb::LeastRequest | SimpleLb::LeastConn)) => {
                Some(LoadBalancer::LeastRequest)
            }
            Some(LbPolicy::Simple(SimpleLb::Random)) => Some(LoadBalancer::Random),
            Some(LbPolicy::Simple(other)) => {
                cx.skip(
                    r,
                    lpath.field("simple"),
                    format!("{} is not in the model", other.as_str()),
                );
                None
            }
            Some(LbPolicy::ConsistentHash(h)) => {
                let hpath = lpath.field("consistentHash");
                if h.algorithm.is_some() || h.minimum_ring_size.is_some() {
                    cx.skip(
                        r,
                        hpath.clone(),
                        "hash algorithms and ring sizes are not in the model",
                    );
                }
                let key = match &h.key {
                    Some(crate::crds::HashKey::HttpHeaderName(n)) => {
                        HeaderName::new(n.as_str()).ok().map(HashKey::Header)
                    }
                    Some(crate::crds::HashKey::HttpCookie(c)) => {
                        if !c.attributes.is_empty() {
                            cx.skip(
                                r,
                                hpath.field("httpCookie").field("attributes"),
                                "not in the model",
                            );
                        }
                        let path = match &c.path {
                            None => Some(None),
                            Some(p) => HttpPath::new(p.as_str()).ok().map(Some),
                        };
                        path.map(|path| HashKey::Cookie {
                            name: c.name.clone(),
                            ttl: c.ttl.as_ref().and_then(|t| t.value()),
                            path,
                        })
                    }
                    Some(crate::crds::HashKey::UseSourceIp(true)) => Some(HashKey::SourceIp),
                    Some(crate::crds::HashKey::HttpQueryParameterName(q)) => {
                        Some(HashKey::QueryParam(q.clone()))
                    }
                    _ => None,
                };
                if key.is_none() {
                    cx.skip(r, hpath, "this hash key is not in the model");
                }
                key.map(LoadBalancer::ConsistentHash)
            }
        };
        for (set, field) in [
            (lb.locality_lb_setting.is_some(), "localityLbSetting"),
            (lb.warmup_duration_secs.is_some(), "warmupDurationSecs"),
            (lb.warmup.is_some(), "warmup"),
        ] {
            if set {
                cx.skip(r, lpath.field(field), "not in the model");
            }
        }
    }
    if let Some(tls) = &tp.tls {
        cx.client_tls.push(ClientTls {
            object: r.clone(),
            path: path.field("tls"),
            service: service.clone(),
            port: None,
            tls: tls.clone(),
        });
    }
    for (i, p) in tp.port_level_settings.iter().enumerate() {
        let ppath = path.field("portLevelSettings").index(i);
        let port = p.port.as_ref().and_then(|s| Port::new(s.number).ok());
        match (&p.tls, port) {
            (Some(tls), Some(port)) => cx.client_tls.push(ClientTls {
                object: r.clone(),
                path: ppath.field("tls"),
                service: service.clone(),
                port: Some(port),
                tls: tls.clone(),
            }),
            (Some(_), None) => cx.skip(r, ppath.field("port"), "a port-level setting needs a port"),
            _ => {}
        }
        if p.load_balancer.is_some() || p.connection_pool.is_some() || p.outlier_detection.is_some()
        {
            cx.skip(
                r,
                ppath,
                "port-level load balancing, pools and outlier detection are not in the model",
            );
        }
    }
    for (set, field) in [
        (tp.proxy_protocol.is_some(), "proxyProtocol"),
        (tp.tunnel.is_some(), "tunnel"),
        (
            tp.retry_budget.is_some(),
            "retryBudget (Istio's caps concurrent retries, the model's is a request ratio)",
        ),
    ] {
        if set {
            let f = field.split(' ').next().unwrap_or(field);
            cx.skip(r, path.field(f), format!("{field} is not in the model"));
        }
    }
    out
}

/// Client TLS modes must be those the model derives from the servers'
/// mTLS modes (ISTIO_MUTUAL, or DISABLE where the server's is disabled).
pub(crate) fn check_client_tls(cx: &mut Cx<'_>) {
    let checks = std::mem::take(&mut cx.client_tls);
    for c in checks {
        let Some(d) = cx.services.get(&c.service) else {
            continue;
        };
        let mode = crate::lower::security::mode_for(&cx.mesh.security.mtls, &d.service, c.port);
        let expected = match mode {
            MtlsMode::Strict | MtlsMode::Permissive => ClientTlsMode::IstioMutual,
            MtlsMode::Disabled => ClientTlsMode::Disable,
        };
        let only_mode = crate::crds::ClientTlsSettings {
            mode: c.tls.mode,
            ..Default::default()
        } == c.tls;
        if c.tls.mode != Some(expected) || !only_mode {
            cx.skip(
                &c.object,
                c.path,
                format!(
                    "client TLS {:?} disagrees with the server's mTLS mode ({mode:?}): the model derives client TLS from \
                     it (ISTIO_MUTUAL, DISABLE where mTLS is disabled)",
                    c.tls.mode.map(|m| m.as_str())
                ),
            );
        }
    }
}

/// The local rate limits the lowering writes (EnvoyFilter on a service's
/// workloads); any other EnvoyFilter is raw Envoy configuration.
pub(crate) fn rate_limits(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::EnvoyFilter(ef) = o else {
            continue;
        };
        let r = object_ref(o);
        let ns = ef.namespace().unwrap_or("default").to_owned();
        let Some((limit, selector)) = local_rate_limit(&ef.spec) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("configPatches"),
                "raw Envoy configuration has no neutral meaning (only the local rate limit meshwright writes is lifted)",
            );
            continue;
        };
        let Some(key) = cx.service_by_selector(&ns, &selector) else {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("workloadSelector"),
                "the local rate limit selects no service's workloads (its selector must be a service's pod selector)",
            );
            continue;
        };
        if let Some(d) = cx.services.get_mut(&key) {
            if d.service.resilience.rate_limit.is_some() {
                cx.skip(
                    &r,
                    FieldPath::root().field("spec"),
                    "a second rate limit for one service",
                );
                continue;
            }
            d.service.resilience.rate_limit = Some(limit);
        }
    }
}

/// The model rate limit an EnvoyFilter spec is, if it is exactly the one
/// [`LocalRateLimit::sidecar_inbound`] writes for it.
fn local_rate_limit(
    spec: &crate::crds::EnvoyFilterSpec,
) -> Option<(RateLimit, BTreeMap<String, String>)> {
    let Some(EnvoyFilterTarget::WorkloadSelector(sel)) = &spec.target else {
        return None;
    };
    let [patch] = spec.config_patches.as_slice() else {
        return None;
    };
    let value = patch.patch.as_ref()?.value.as_ref()?;
    let bucket = value
        .get("typed_config")?
        .get("value")?
        .get("token_bucket")?;
    let n = |k: &str| {
        bucket
            .get(k)
            .and_then(serde_json::Value::as_u64)
            .and_then(|v| u32::try_from(v).ok())
            .and_then(NonZeroU32::new)
    };
    let max_tokens = n("max_tokens")?;
    let per_fill = n("tokens_per_fill")?;
    let per: Duration = bucket.get("fill_interval")?.as_str()?.parse().ok()?;
    let selector: BTreeMap<String, String> = sel
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
        .collect();
    // Rebuild it as the lowering does, and compare.
    let mut limit = LocalRateLimit::new(max_tokens, per);
    limit.token_bucket.tokens_per_fill = Some(per_fill);
    let rebuilt = limit
        .sidecar_inbound(WorkloadSelector::labels(selector.clone()).ok()?)
        .ok()?;
    if &rebuilt != spec {
        return None;
    }
    let model = RateLimit {
        requests: per_fill,
        per,
        burst: (max_tokens != per_fill).then_some(max_tokens),
        per_identity: None,
        overrides: Vec::new(),
    };
    Some((model, plain(&super::labels(&selector)?)))
}
