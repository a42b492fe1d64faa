//! Retries, timeouts, failure accrual, ServiceProfiles; refusals for what
//! Linkerd's balancer cannot do.

use std::collections::BTreeMap;

use mesh_k8s::GoDuration;
use mesh_model::{
    Duration, Feature, FieldPath, LoadBalancer, PathMatch, Percent, Regex, Resilience, RetryOn,
    RetryPolicy, Route, RouteMatch, Service,
};

use super::{Cx, ResilienceFlavor, linkerd_duration};
use crate::crds::{
    RequestMatch, RetryBudget, Route as SpRoute, ServiceProfile, ServiceProfileSpec,
};

/// Refusals for a service's (and its versions') resilience settings that
/// no Linkerd object expresses.
pub(crate) fn service_checks(cx: &mut Cx<'_>, svc: &Service, p: &FieldPath) {
    let rp = p.field("resilience");
    common_checks(cx, &svc.resilience, &rp);
    if svc.resilience.retry_budget.is_some() && cx.opts.resilience == ResilienceFlavor::Annotations
    {
        cx.unsupported(
            Feature::RetryBudget,
            rp.field("retryBudget"),
            "Linkerd 2.16+ retries (annotations) are bounded by `retry.linkerd.io/limit`, not by a budget: remove the budget, or lower with ResilienceFlavor::ServiceProfile",
        );
    }
    for (k, v) in svc.versions.iter().enumerate() {
        let Some(over) = &v.resilience else { continue };
        let vp = p.field("versions").index(k).field("resilience");
        common_checks(cx, over, &vp);
        let merged = svc.resilience_for(Some(v.name.as_str()));
        if merged.outlier_detection != svc.resilience.outlier_detection {
            cx.unsupported(
                Feature::OutlierDetection,
                vp.field("outlierDetection"),
                "Linkerd reads failure accrual from the Service clients address, for all its versions: set it on the service",
            );
        }
        let per_version = [
            (over.rate_limit.is_some(), "rateLimit", Feature::RateLimit),
            (over.timeout.is_some(), "timeout", Feature::Timeout),
            (over.retries.is_some(), "retries", Feature::Retries),
            (
                over.retry_budget.is_some(),
                "retryBudget",
                Feature::RetryBudget,
            ),
        ];
        for (set, field, feature) in per_version {
            if set {
                cx.unsupported(
                    feature,
                    vp.field(field),
                    "Linkerd configures this per Service (or route), not per version: set it on the service or its routes",
                );
            }
        }
    }
}

fn common_checks(cx: &mut Cx<'_>, r: &Resilience, rp: &FieldPath) {
    if r.connection_pool.is_some() {
        cx.unsupported(
            Feature::ConnectionPool,
            rp.field("connectionPool"),
            "Linkerd has no connection or request limits: rely on failure accrual and rate limits, or remove connectionPool",
        );
    }
    match &r.load_balancer {
        None => {}
        Some(LoadBalancer::ConsistentHash(_)) => cx.unsupported(
            Feature::ConsistentHash,
            rp.field("loadBalancer"),
            "Linkerd has no session affinity: make the service stateless or keep state outside it",
        ),
        Some(_) => cx.unsupported(
            Feature::LoadBalancer,
            rp.field("loadBalancer"),
            "Linkerd always balances by EWMA latency (power of two choices): remove loadBalancer",
        ),
    }
}

/// The retry condition as `retry.linkerd.io/http` or `retry.linkerd.io/grpc`
/// spells it.
enum Cond {
    Http(String),
    Grpc(&'static str),
    /// Connection-level: Linkerd's balancer handles it.
    Connection,
    Unsupported,
}

fn condition(c: RetryOn) -> Cond {
    match c {
        RetryOn::Status5xx => Cond::Http("5xx".into()),
        RetryOn::GatewayError => Cond::Http("gateway-error".into()),
        RetryOn::Status(s) => Cond::Http(s.to_string()),
        RetryOn::Retriable4xx => Cond::Http("409".into()),
        RetryOn::ConnectFailure | RetryOn::RefusedStream => Cond::Connection,
        RetryOn::Reset => Cond::Unsupported,
        RetryOn::Cancelled => Cond::Grpc("cancelled"),
        RetryOn::DeadlineExceeded => Cond::Grpc("deadline-exceeded"),
        RetryOn::Internal => Cond::Grpc("internal"),
        RetryOn::ResourceExhausted => Cond::Grpc("resource-exhausted"),
        RetryOn::Unavailable => Cond::Grpc("unavailable"),
    }
}

fn duration(cx: &mut Cx<'_>, d: Duration, feature: Feature, path: FieldPath) -> Option<String> {
    let out = linkerd_duration(d);
    if out.is_none() {
        cx.unsupported(
            feature,
            path,
            "Linkerd's duration annotations take whole milliseconds: round the duration",
        );
    }
    out
}

/// The `retry.linkerd.io/*` and `timeout.linkerd.io/request` annotations
/// for `retries` and `timeout` (at `p.retries` / `p.timeout`); `on_route`:
/// for an HTTPRoute (which takes no gRPC retry conditions).
pub(crate) fn retry_timeout(
    cx: &mut Cx<'_>,
    retries: Option<&RetryPolicy>,
    timeout: Option<Duration>,
    p: &FieldPath,
    on_route: bool,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(t) = timeout
        && let Some(d) = duration(cx, t, Feature::Timeout, p.field("timeout"))
    {
        out.insert("timeout.linkerd.io/request".to_owned(), d);
    }
    let Some(r) = retries else { return out };
    let rp = p.field("retries");
    out.insert("retry.linkerd.io/limit".to_owned(), r.attempts.to_string());
    let mut http = Vec::new();
    let mut grpc = Vec::new();
    for (k, c) in r.conditions().into_iter().enumerate() {
        let at = if r.on.is_empty() {
            rp.clone()
        } else {
            rp.field("on").index(k)
        };
        match condition(c) {
            Cond::Http(s) => http.push(s),
            Cond::Grpc(s) if !on_route => grpc.push(s),
            Cond::Grpc(_) => cx.unsupported(
                Feature::Retries,
                at,
                "Linkerd takes gRPC retry conditions on a Service or GRPCRoute, not an HTTPRoute: set them in the service's `resilience.retries`",
            ),
            Cond::Connection => cx.note(
                Feature::Retries,
                at,
                format!("{c}: Linkerd's balancer never sends a request over a failed connection and retries refused streams itself; no annotation needed"),
            ),
            Cond::Unsupported => cx.unsupported(
                Feature::Retries,
                at,
                "Linkerd retries on response statuses only: use 5xx or gateway-error",
            ),
        }
    }
    if !http.is_empty() {
        out.insert("retry.linkerd.io/http".to_owned(), http.join(","));
    }
    if !grpc.is_empty() {
        out.insert("retry.linkerd.io/grpc".to_owned(), grpc.join(","));
    }
    if let Some(t) = r.per_try_timeout
        && let Some(d) = duration(cx, t, Feature::PerTryTimeout, rp.field("perTryTimeout"))
    {
        out.insert("retry.linkerd.io/timeout".to_owned(), d);
    }
    if r.backoff.is_some() {
        cx.unsupported(
            Feature::Retries,
            rp.field("backoff"),
            "Linkerd's retry back-off is not configurable: remove backoff",
        );
    }
    if r.remote_localities {
        cx.unsupported(
            Feature::Retries,
            rp.field("remoteLocalities"),
            "Linkerd has no localities to prefer on retries: remove remoteLocalities",
        );
    }
    out
}

/// `balancer.linkerd.io/failure-accrual*` annotations from the service's
/// outlier detection.
pub(crate) fn failure_accrual(
    cx: &mut Cx<'_>,
    svc: &Service,
    p: &FieldPath,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(od) = &svc.resilience.outlier_detection else {
        return out;
    };
    let op = p.field("resilience").field("outlierDetection");
    if od.consecutive_gateway_errors.is_some() {
        cx.unsupported(
            Feature::OutlierDetection,
            op.field("consecutiveGatewayErrors"),
            "Linkerd's failure accrual counts every failed response (5xx), not gateway errors only: use consecutive5xx",
        );
    }
    if od.max_ejection_percent.is_some_and(|m| m != Percent::ALL) {
        cx.unsupported(
            Feature::OutlierDetection,
            op.field("maxEjectionPercent"),
            "Linkerd can mark every endpoint as failing; it has no ejection cap: remove maxEjectionPercent (or set 100)",
        );
    }
    if od.min_health_percent.is_some_and(|m| m != Percent::NONE) {
        cx.unsupported(
            Feature::OutlierDetection,
            op.field("minHealthPercent"),
            "Linkerd has no panic threshold: remove minHealthPercent (or set 0)",
        );
    }
    let r = od.resolved();
    let base = r.base_ejection_time;
    let max = base.max(Duration::from_secs(300));
    let (Some(min_pen), Some(max_pen)) = (
        duration(
            cx,
            base,
            Feature::OutlierDetection,
            op.field("baseEjectionTime"),
        ),
        linkerd_duration(max),
    ) else {
        return out;
    };
    out.insert(
        "balancer.linkerd.io/failure-accrual".to_owned(),
        "consecutive".to_owned(),
    );
    out.insert(
        "balancer.linkerd.io/failure-accrual-consecutive-max-failures".to_owned(),
        r.consecutive_5xx.unwrap_or(5).to_string(),
    );
    out.insert(
        "balancer.linkerd.io/failure-accrual-consecutive-min-penalty".to_owned(),
        min_pen,
    );
    out.insert(
        "balancer.linkerd.io/failure-accrual-consecutive-max-penalty".to_owned(),
        max_pen.clone(),
    );
    out.insert(
        "balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio".to_owned(),
        "0".to_owned(),
    );
    cx.note(
        Feature::OutlierDetection,
        op,
        format!(
            "failure accrual: an endpoint is marked failing after {} consecutive failures, for {} at first, backing off exponentially up to {max_pen} (Envoy grows the ejection linearly to 300s); `interval` and the default 10% ejection cap have no Linkerd equivalent",
            r.consecutive_5xx.unwrap_or(5),
            linkerd_duration(base).unwrap_or_default()
        ),
    );
    out
}

/// A ServiceProfile for the service's route timeouts and retry budget
/// ([`ResilienceFlavor::ServiceProfile`]); `needs_route`: the routes also
/// need an HTTPRoute, which a ServiceProfile would override.
pub(crate) fn service_profile(cx: &mut Cx<'_>, svc: &Service, p: &FieldPath, needs_route: bool) {
    let res = &svc.resilience;
    let any_route = svc
        .routes
        .iter()
        .filter_map(Route::forward)
        .any(|f| f.timeout.is_some() || f.retries.is_some());
    if res.timeout.is_none() && res.retries.is_none() && res.retry_budget.is_none() && !any_route {
        return;
    }
    if needs_route {
        cx.unsupported(
            Feature::Timeout,
            p.field("routes"),
            "Linkerd ignores HTTPRoutes for a Service that has a ServiceProfile: with ResilienceFlavor::ServiceProfile a service with timeouts, retries or a retry budget may only have routes that forward to the service itself; use ResilienceFlavor::Annotations",
        );
    }
    let rp = p.field("resilience");
    if res.retries.is_some() {
        cx.unsupported(
            Feature::Retries,
            rp.field("retries"),
            "ServiceProfile retries are bounded by the retry budget, not by a number of attempts: use ResilienceFlavor::Annotations",
        );
    }
    let mut routes = Vec::new();
    let with_timeouts = res.timeout.is_some() || any_route;
    for (j, r) in svc.routes.iter().enumerate() {
        let path = p.field("routes").index(j);
        let Some(f) = r.forward() else { continue };
        if f.retries.is_some() {
            cx.unsupported(
                Feature::Retries,
                path.field("forward").field("retries"),
                "ServiceProfile retries are bounded by the retry budget, not by a number of attempts: use ResilienceFlavor::Annotations",
            );
        }
        if !with_timeouts {
            continue;
        }
        let Some(condition) = sp_condition(cx, r, &path) else {
            continue;
        };
        routes.push(SpRoute {
            name: r
                .name
                .as_ref()
                .map_or_else(|| format!("route-{j}"), ToString::to_string),
            condition,
            response_classes: Vec::new(),
            is_retryable: None,
            timeout: f.timeout.or(res.timeout).map(GoDuration::canonical),
        });
    }
    if let Some(t) = res.timeout {
        routes.push(SpRoute {
            name: "default".to_owned(),
            condition: RequestMatch {
                path_regex: Some(".*".to_owned()),
                ..RequestMatch::default()
            },
            response_classes: Vec::new(),
            is_retryable: None,
            timeout: Some(GoDuration::canonical(t)),
        });
    }
    let spec = ServiceProfileSpec {
        routes,
        retry_budget: res.retry_budget.as_ref().map(|b| RetryBudget {
            retry_ratio: b.percent.ratio(),
            min_retries_per_second: b.min_per_second,
            ttl: GoDuration::canonical(b.ttl),
        }),
        dst_overrides: Vec::new(),
        opaque_ports: Vec::new(),
    };
    let name = format!(
        "{}.{}.svc.{}",
        svc.name, svc.namespace, cx.opts.cluster_domain
    );
    cx.out.emit(ServiceProfile::new(
        name,
        Some(svc.namespace.as_str()),
        spec,
    ));
}

/// A ServiceProfile route condition (path regex and method; ServiceProfiles
/// match nothing else).
fn sp_condition(cx: &mut Cx<'_>, r: &Route, path: &FieldPath) -> Option<RequestMatch> {
    let one = |m: &RouteMatch| -> RequestMatch {
        let path_regex = match &m.path {
            None => None,
            Some(PathMatch::Exact(x)) => Some(Regex::literal(x.as_str()).to_string()),
            Some(PathMatch::Prefix(x)) => {
                let t = x.as_str().trim_end_matches('/');
                if t.is_empty() {
                    Some(".*".to_owned())
                } else {
                    Some(format!("{}(/.*)?", Regex::literal(t)))
                }
            }
            Some(PathMatch::Regex(re)) => Some(re.to_string()),
        };
        let method = m.method.map(|x| x.as_str().to_owned());
        match (path_regex, method) {
            (Some(p), Some(m)) => RequestMatch {
                all: vec![
                    RequestMatch {
                        path_regex: Some(p),
                        ..RequestMatch::default()
                    },
                    RequestMatch {
                        method: Some(m),
                        ..RequestMatch::default()
                    },
                ],
                ..RequestMatch::default()
            },
            (p, m) => RequestMatch {
                path_regex: p.or_else(|| m.is_none().then(|| ".*".to_owned())),
                method: m,
                ..RequestMatch::default()
            },
        }
    };
    let mut ok = true;
    for (k, m) in r.matches.iter().enumerate() {
        if !m.headers.is_empty() || !m.query.is_empty() {
            ok = false;
            cx.unsupported(
                if m.query.is_empty() {
                    Feature::HeaderMatch
                } else {
                    Feature::QueryMatch
                },
                path.field("match").index(k),
                "ServiceProfile routes match path and method only: use ResilienceFlavor::Annotations",
            );
        }
    }
    if !ok {
        return None;
    }
    Some(match r.matches.as_slice() {
        [] => RequestMatch {
            path_regex: Some(".*".to_owned()),
            ..RequestMatch::default()
        },
        [m] => one(m),
        ms => RequestMatch {
            any: ms.iter().map(one).collect(),
            ..RequestMatch::default()
        },
    })
}
