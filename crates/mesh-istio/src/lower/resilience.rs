//! DestinationRules (pools, outlier detection, load balancing, client TLS,
//! subsets) and local rate limits (EnvoyFilter).

use std::num::NonZeroU32;

use mesh_k8s::GoDuration;
use mesh_model::{
    ConnectionPool, Feature, FieldPath, HashKey, LoadBalancer, MtlsMode, Percent, Resilience,
    Service,
};

use super::traffic::positive;
use super::{Cx, plain_labels, service_path};
use crate::crds::{
    ClientTlsMode, ClientTlsSettings, ConnectionPoolSettings, ConsistentHash, DestinationRule,
    DestinationRuleSpec, EnvoyFilter, H2UpgradePolicy, HttpCookie, HttpSettings, LbPolicy,
    LoadBalancerSettings, LocalRateLimit, OutlierDetection, PortSelector, PortTrafficPolicy,
    SimpleLb, Subset, TcpSettings, TrafficPolicy, WorkloadSelector,
};

pub(crate) fn lower(cx: &mut Cx<'_>) {
    for (i, svc) in cx.mesh.services.iter().enumerate() {
        destination_rule(cx, i, svc);
        rate_limit(cx, i, svc);
    }
}

fn destination_rule(cx: &mut Cx<'_>, i: usize, svc: &Service) {
    let path = service_path(i);
    let rpath = path.field("resilience");
    retry_budget(cx, &svc.resilience, &rpath);
    let mut policy = traffic_policy(cx, svc, &svc.resilience, &rpath);
    if !cx.ambient {
        let mode = super::security::service_mode(cx, svc, None);
        policy.tls = Some(client_tls(mode));
        for p in &svc.ports {
            let port_mode = super::security::service_mode(cx, svc, Some(p.number));
            if client_tls(port_mode) != client_tls(mode) {
                policy.port_level_settings.push(PortTrafficPolicy {
                    port: Some(PortSelector::new(u32::from(p.number.get()))),
                    tls: Some(client_tls(port_mode)),
                    ..PortTrafficPolicy::default()
                });
            }
        }
    }
    let mut subsets = Vec::with_capacity(svc.versions.len());
    let v_dr = cx.opts.api_versions.destination_rule.clone();
    for (j, v) in svc.versions.iter().enumerate() {
        let vpath = path.field("versions").index(j);
        let traffic_policy = match &v.resilience {
            Some(over) => {
                let vr = vpath.field("resilience");
                retry_budget(cx, over, &vr);
                for (set, feature, field) in [
                    (over.timeout.is_some(), Feature::Timeout, "timeout"),
                    (over.retries.is_some(), Feature::Retries, "retries"),
                    (over.rate_limit.is_some(), Feature::RateLimit, "rateLimit"),
                ] {
                    if set {
                        cx.unsupported(
                            feature,
                            vr.field(field),
                            "Istio sets timeouts, retries and rate limits per route or workload, not per subset; \
                             set it on the routes to this version (or on the service)",
                        );
                    }
                }
                let merged = svc.resilience_for(Some(v.name.as_str()));
                let p = traffic_policy(cx, svc, &merged, &vr);
                (p != TrafficPolicy::default()).then_some(p)
            }
            None => None,
        };
        if cx.gamma {
            // GAMMA backends are per-version Services: their policy goes in
            // a DestinationRule of their own.
            let mut p = traffic_policy.clone().unwrap_or_else(|| policy.clone());
            p.tls = policy.tls.clone();
            p.port_level_settings = policy.port_level_settings.clone();
            let name = format!("{}-{}", svc.name, v.name);
            let dr = DestinationRule::new(
                name.as_str(),
                Some(svc.namespace.as_str()),
                DestinationRuleSpec {
                    host: name.clone(),
                    traffic_policy: (p != TrafficPolicy::default()).then_some(p),
                    export_to: svc.export_to.iter().map(|n| n.to_string()).collect(),
                    ..DestinationRuleSpec::default()
                },
            );
            if dr.spec.traffic_policy.is_some() {
                cx.emit(dr, &v_dr);
            }
            // The subsets stay for the ingress VirtualServices.
        }
        subsets.push(Subset {
            name: v.name.to_string(),
            labels: plain_labels(&v.pod_labels()),
            traffic_policy,
        });
    }
    let dr = DestinationRule::new(
        svc.name.as_str(),
        Some(svc.namespace.as_str()),
        DestinationRuleSpec {
            host: svc.name.to_string(),
            traffic_policy: (policy != TrafficPolicy::default()).then_some(policy),
            subsets,
            export_to: svc.export_to.iter().map(|n| n.to_string()).collect(),
            workload_selector: None,
        },
    );
    if dr.spec.traffic_policy.is_none() && dr.spec.subsets.is_empty() {
        return;
    }
    let v = cx.opts.api_versions.destination_rule.clone();
    cx.emit(dr, &v);
}

/// The client TLS settings towards a server in `mode`.
fn client_tls(mode: MtlsMode) -> ClientTlsSettings {
    ClientTlsSettings {
        mode: Some(match mode {
            MtlsMode::Strict | MtlsMode::Permissive => ClientTlsMode::IstioMutual,
            MtlsMode::Disabled => ClientTlsMode::Disable,
        }),
        ..ClientTlsSettings::default()
    }
}

fn retry_budget(cx: &mut Cx<'_>, r: &Resilience, path: &FieldPath) {
    if r.retry_budget.is_some() {
        cx.unsupported(
            Feature::RetryBudget,
            path.field("retryBudget"),
            "Istio has no request-ratio retry budget; cap concurrent retries with connectionPool.maxRetries",
        );
    }
}

/// Pool, outlier detection and load balancer of a resilience block.
fn traffic_policy(
    cx: &mut Cx<'_>,
    svc: &Service,
    r: &Resilience,
    path: &FieldPath,
) -> TrafficPolicy {
    TrafficPolicy {
        connection_pool: r
            .connection_pool
            .as_ref()
            .map(|p| pool(cx, svc, p, &path.field("connectionPool"))),
        outlier_detection: r
            .outlier_detection
            .as_ref()
            .map(|o| outlier(cx, o, &path.field("outlierDetection"))),
        load_balancer: r.load_balancer.as_ref().map(load_balancer),
        ..TrafficPolicy::default()
    }
}

fn int(cx: &mut Cx<'_>, n: Option<NonZeroU32>, feature: Feature, path: &FieldPath) -> Option<i32> {
    let n = n?;
    match i32::try_from(n.get()) {
        Ok(v) => Some(v),
        Err(_) => {
            cx.unsupported(
                feature,
                path.clone(),
                "Istio takes a 32-bit signed integer here; use a value up to 2147483647",
            );
            None
        }
    }
}

fn pool(
    cx: &mut Cx<'_>,
    svc: &Service,
    p: &ConnectionPool,
    path: &FieldPath,
) -> ConnectionPoolSettings {
    let f = Feature::ConnectionPool;
    let l7 = svc.is_l7() || svc.ports.is_empty();
    let idle = p
        .idle_timeout
        .and_then(|d| positive(cx, d, f, &path.field("idleTimeout")));
    let tcp = TcpSettings {
        max_connections: int(cx, p.max_connections, f, &path.field("maxConnections")),
        connect_timeout: p
            .connect_timeout
            .and_then(|d| positive(cx, d, f, &path.field("connectTimeout"))),
        idle_timeout: if l7 {
            None
        } else {
            p.idle_timeout.map(GoDuration::canonical)
        },
        ..TcpSettings::default()
    };
    let http = HttpSettings {
        http1_max_pending_requests: int(
            cx,
            p.max_pending_requests,
            f,
            &path.field("maxPendingRequests"),
        ),
        http2_max_requests: int(cx, p.max_requests, f, &path.field("maxRequests")),
        max_requests_per_connection: int(
            cx,
            p.max_requests_per_connection,
            f,
            &path.field("maxRequestsPerConnection"),
        ),
        max_retries: int(cx, p.max_retries, f, &path.field("maxRetries")),
        idle_timeout: if l7 { idle } else { None },
        h2_upgrade_policy: p.h2_upgrade.map(|u| {
            if u {
                H2UpgradePolicy::Upgrade
            } else {
                H2UpgradePolicy::DoNotUpgrade
            }
        }),
        ..HttpSettings::default()
    };
    ConnectionPoolSettings {
        tcp: (tcp != TcpSettings::default()).then_some(tcp),
        http: (http != HttpSettings::default()).then_some(http),
    }
}

fn whole_percent(cx: &mut Cx<'_>, p: Percent, path: &FieldPath) -> Option<i32> {
    let v = p.get();
    if v.fract() == 0.0 && (0.0..=100.0).contains(&v) {
        // Checked: a whole number from 0 to 100.
        #[allow(clippy::cast_possible_truncation)]
        Some(v as i32)
    } else {
        cx.unsupported(
            Feature::OutlierDetection,
            path.clone(),
            "Istio takes whole percentages here; round the value",
        );
        None
    }
}

fn outlier(
    cx: &mut Cx<'_>,
    o: &mesh_model::OutlierDetection,
    path: &FieldPath,
) -> OutlierDetection {
    let r = o.resolved();
    let f = Feature::OutlierDetection;
    cx.note(
        f,
        path.clone(),
        "outlier-detection defaults written explicitly; consecutive5xxErrors is 0 (off) unless the model counts 5xx",
    );
    OutlierDetection {
        consecutive_5xx_errors: Some(r.consecutive_5xx.unwrap_or(0)),
        consecutive_gateway_errors: r.consecutive_gateway_errors,
        interval: positive(cx, r.interval, f, &path.field("interval")),
        base_ejection_time: positive(cx, r.base_ejection_time, f, &path.field("baseEjectionTime")),
        max_ejection_percent: whole_percent(
            cx,
            r.max_ejection_percent,
            &path.field("maxEjectionPercent"),
        ),
        min_health_percent: whole_percent(
            cx,
            r.min_health_percent,
            &path.field("minHealthPercent"),
        ),
        ..OutlierDetection::default()
    }
}

fn load_balancer(lb: &LoadBalancer) -> LoadBalancerSettings {
    match lb {
        LoadBalancer::RoundRobin => LoadBalancerSettings::simple(SimpleLb::RoundRobin),
        LoadBalancer::LeastRequest => LoadBalancerSettings::simple(SimpleLb::LeastRequest),
        LoadBalancer::Random => LoadBalancerSettings::simple(SimpleLb::Random),
        LoadBalancer::ConsistentHash(key) => {
            let key = match key {
                HashKey::Header(h) => crate::crds::HashKey::HttpHeaderName(h.as_str().to_owned()),
                HashKey::Cookie { name, ttl, path } => {
                    crate::crds::HashKey::HttpCookie(HttpCookie {
                        name: name.clone(),
                        path: path.as_ref().map(|p| p.to_string()),
                        ttl: ttl.map(GoDuration::canonical),
                        attributes: Vec::new(),
                    })
                }
                HashKey::SourceIp => crate::crds::HashKey::UseSourceIp(true),
                HashKey::QueryParam(q) => crate::crds::HashKey::HttpQueryParameterName(q.clone()),
            };
            LoadBalancerSettings {
                policy: Some(LbPolicy::ConsistentHash(ConsistentHash::on(key))),
                ..LoadBalancerSettings::default()
            }
        }
    }
}

/// The local rate limit of a service, as an EnvoyFilter on its workloads.
fn rate_limit(cx: &mut Cx<'_>, i: usize, svc: &Service) {
    let Some(rl) = &svc.resilience.rate_limit else {
        return;
    };
    let path = service_path(i).field("resilience").field("rateLimit");
    if rl.per_identity.is_some() {
        cx.unsupported(
            Feature::RateLimitPerIdentity,
            path.field("perIdentity"),
            "Istio's local rate limit is one bucket per workload; per-client limits need the global rate-limit service",
        );
    }
    if !rl.overrides.is_empty() {
        cx.unsupported(
            Feature::RateLimitPerIdentity,
            path.field("overrides"),
            "Istio's local rate limit is one bucket per workload; per-client limits need the global rate-limit service",
        );
    }
    if cx.ambient {
        cx.ambient_unsupported(
            Feature::RateLimit,
            path,
            "EnvoyFilter does not apply in ambient mode; use the sidecar data plane for local rate limits",
        );
        return;
    }
    let mut limit = LocalRateLimit::new(rl.burst.unwrap_or(rl.requests), rl.per);
    limit.token_bucket.tokens_per_fill = Some(rl.requests);
    let selector = match WorkloadSelector::labels(plain_labels(&svc.pod_selector())) {
        Ok(s) => s,
        Err(e) => {
            cx.out.error(mesh_model::LowerError::Output(e.to_string()));
            return;
        }
    };
    match limit.sidecar_inbound(selector) {
        Ok(spec) => {
            let ef = EnvoyFilter::new(
                format!("{}-ratelimit", svc.name),
                Some(svc.namespace.as_str()),
                spec,
            );
            let v = cx.opts.api_versions.envoy_filter.clone();
            cx.emit(ef, &v);
        }
        Err(e) => cx.unsupported(
            Feature::RateLimit,
            path.field("per"),
            format!("{e}; use a window of at least 50ms"),
        ),
    }
}
