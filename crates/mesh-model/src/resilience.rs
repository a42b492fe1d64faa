//! Resilience per destination (a service, or one of its versions):
//! connection limits, outlier detection, load balancing, rate limits,
//! default timeouts and retries, retry budgets.

use std::num::NonZeroU32;

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::{BuildError, Duration, HeaderName, HttpPath, Identity, Percent, RetryPolicy};

/// Limits on connections and requests to a destination (circuit breaking by
/// count). Unset fields mean "no limit set" (Envoy's very high defaults).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ConnectionPool {
    /// Most TCP connections to the destination (across its endpoints, per
    /// client proxy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<NonZeroU32>,
    /// Timeout for establishing a TCP connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<Duration>,
    /// Most requests waiting for a connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pending_requests: Option<NonZeroU32>,
    /// Most concurrent requests (HTTP/2: streams).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests: Option<NonZeroU32>,
    /// Most requests per connection before it is closed (1 disables
    /// keep-alive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_requests_per_connection: Option<NonZeroU32>,
    /// Most concurrent retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<NonZeroU32>,
    /// Close connections idle this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<Duration>,
    /// Upgrade HTTP/1.1 connections to HTTP/2 (Istio `h2UpgradePolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h2_upgrade: Option<bool>,
}

impl ConnectionPool {
    fn merged(&self, o: &ConnectionPool) -> ConnectionPool {
        ConnectionPool {
            max_connections: o.max_connections.or(self.max_connections),
            connect_timeout: o.connect_timeout.or(self.connect_timeout),
            max_pending_requests: o.max_pending_requests.or(self.max_pending_requests),
            max_requests: o.max_requests.or(self.max_requests),
            max_requests_per_connection: o
                .max_requests_per_connection
                .or(self.max_requests_per_connection),
            max_retries: o.max_retries.or(self.max_retries),
            idle_timeout: o.idle_timeout.or(self.idle_timeout),
            h2_upgrade: o.h2_upgrade.or(self.h2_upgrade),
        }
    }
}

impl Check for ConnectionPool {
    fn check(&self, c: &mut Checker) {
        if self == &ConnectionPool::default() {
            c.error(Problem::Empty {
                what: "a connection pool (set at least one limit)",
            });
        }
    }
}

/// Ejecting endpoints that keep failing (circuit breaking by errors; Linkerd
/// calls it failure accrual). Unset fields take the model's defaults, which
/// are Envoy's: eject after 5 consecutive 5xx, check every 10s, eject for
/// 30s, at most 10% of endpoints.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct OutlierDetection {
    /// Eject after this many consecutive 5xx responses (or connection
    /// failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_5xx: Option<NonZeroU32>,
    /// Eject after this many consecutive 502/503/504 (or connection
    /// failures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_gateway_errors: Option<NonZeroU32>,
    /// How often endpoints are checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Duration>,
    /// How long an endpoint is ejected the first time (then × the number of
    /// ejections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_ejection_time: Option<Duration>,
    /// Most endpoints ejected at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ejection_percent: Option<Percent>,
    /// Stop ejecting when fewer than this share of endpoints are healthy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_health_percent: Option<Percent>,
}

/// [`OutlierDetection`] with the defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResolvedOutlierDetection {
    /// Consecutive 5xx before ejection, if counted.
    pub consecutive_5xx: Option<u32>,
    /// Consecutive gateway errors before ejection, if counted.
    pub consecutive_gateway_errors: Option<u32>,
    /// Check interval.
    pub interval: Duration,
    /// Base ejection time.
    pub base_ejection_time: Duration,
    /// Most endpoints ejected.
    pub max_ejection_percent: Percent,
    /// Panic threshold.
    pub min_health_percent: Percent,
}

impl OutlierDetection {
    /// The settings in force, defaults filled in. When neither error count
    /// is set, 5 consecutive 5xx.
    pub fn resolved(&self) -> ResolvedOutlierDetection {
        let c5 = self.consecutive_5xx.map(NonZeroU32::get);
        let cg = self.consecutive_gateway_errors.map(NonZeroU32::get);
        ResolvedOutlierDetection {
            consecutive_5xx: if c5.is_none() && cg.is_none() {
                Some(5)
            } else {
                c5
            },
            consecutive_gateway_errors: cg,
            interval: self.interval.unwrap_or(Duration::from_secs(10)),
            base_ejection_time: self.base_ejection_time.unwrap_or(Duration::from_secs(30)),
            max_ejection_percent: self
                .max_ejection_percent
                .unwrap_or(Percent::new(10.0).unwrap_or_default()),
            min_health_percent: self.min_health_percent.unwrap_or(Percent::NONE),
        }
    }

    fn merged(&self, o: &OutlierDetection) -> OutlierDetection {
        OutlierDetection {
            consecutive_5xx: o.consecutive_5xx.or(self.consecutive_5xx),
            consecutive_gateway_errors: o
                .consecutive_gateway_errors
                .or(self.consecutive_gateway_errors),
            interval: o.interval.or(self.interval),
            base_ejection_time: o.base_ejection_time.or(self.base_ejection_time),
            max_ejection_percent: o.max_ejection_percent.or(self.max_ejection_percent),
            min_health_percent: o.min_health_percent.or(self.min_health_percent),
        }
    }
}

impl Check for OutlierDetection {
    fn check(&self, c: &mut Checker) {
        for (field, d) in [
            ("interval", self.interval),
            ("baseEjectionTime", self.base_ejection_time),
        ] {
            if d.is_some_and(|d| d < Duration::from_millis(1)) {
                c.error_at(
                    field,
                    Problem::OutOfRange {
                        what: field,
                        value: format!("{d:?}"),
                        range: "at least 1ms",
                    },
                );
            }
        }
    }
}

/// What a consistent hash is computed from (session affinity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum HashKey {
    /// A request header.
    Header(HeaderName),
    /// A cookie; with a `ttl` the proxy sets the cookie when it is missing.
    Cookie {
        /// Cookie name.
        name: String,
        /// Lifetime of a generated cookie.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ttl: Option<Duration>,
        /// Path of a generated cookie.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<HttpPath>,
    },
    /// The client's IP address.
    SourceIp,
    /// A query parameter.
    QueryParam(String),
}

/// How a client picks an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum LoadBalancer {
    /// In turn.
    RoundRobin,
    /// The endpoint with the fewest outstanding requests (of two picked at
    /// random). Istio's `LEAST_CONN` is this.
    LeastRequest,
    /// At random.
    Random,
    /// By a hash of the request, so the same key goes to the same endpoint.
    ConsistentHash(HashKey),
}

/// Requests allowed per time window, enforced at each receiving workload
/// (local rate limiting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct RateLimit {
    /// Requests allowed per `per` window.
    pub requests: NonZeroU32,
    /// The window (`1s`, `60s`).
    pub per: Duration,
    /// Requests allowed in a burst above the rate (token bucket size);
    /// default `requests`.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub burst: Option<NonZeroU32>,
    /// Requests each client identity may make per window (at most
    /// `requests`).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_identity: Option<NonZeroU32>,
    /// Other limits for listed clients (each at most `requests`).
    #[builder(default, setter(each(name = "override_for")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<RateLimitOverride>,
}

/// A rate limit for particular clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct RateLimitOverride {
    /// The clients.
    pub clients: Vec<Identity>,
    /// Requests they may make per window.
    pub requests: NonZeroU32,
}

impl RateLimit {
    /// Requests per second (may be fractional).
    pub fn per_second(&self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let window = self.per.as_nanos() as f64 / 1e9;
        f64::from(self.requests.get()) / window
    }
}

impl Check for RateLimit {
    fn check(&self, c: &mut Checker) {
        if self.per < Duration::from_millis(1) {
            c.error_at(
                "per",
                Problem::OutOfRange {
                    what: "the window",
                    value: self.per.to_string(),
                    range: "at least 1ms",
                },
            );
        }
        if let Some(p) = self.per_identity
            && p > self.requests
        {
            c.error_at(
                "perIdentity",
                Problem::OutOfRange {
                    what: "perIdentity",
                    value: p.to_string(),
                    range: "at most `requests`",
                },
            );
        }
        c.at("overrides", |c| {
            for (i, o) in self.overrides.iter().enumerate() {
                c.idx(i, |c| {
                    if o.clients.is_empty() {
                        c.error_at("clients", Problem::Empty { what: "clients" });
                    }
                    if o.requests > self.requests {
                        c.error_at(
                            "requests",
                            Problem::OutOfRange {
                                what: "an override",
                                value: o.requests.to_string(),
                                range: "at most `requests`",
                            },
                        );
                    }
                });
            }
        });
    }
}

/// Caps retries to a share of regular traffic (Linkerd's retry budget).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct RetryBudget {
    /// Retries allowed as a share of requests (20%: one retry per five
    /// requests).
    pub percent: Percent,
    /// Retries allowed per second regardless of the share.
    pub min_per_second: u32,
    /// The window over which the share is computed.
    pub ttl: Duration,
}

/// Resilience settings for traffic to a destination.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Resilience {
    /// Connection and request limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<ConnectionPool>,
    /// Ejection of failing endpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlier_detection: Option<OutlierDetection>,
    /// Endpoint choice (the mesh's own default when unset: Istio and Consul
    /// least-request-like, Linkerd EWMA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
    /// Local rate limit at the receiving workloads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Request timeout for routes that set none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Duration>,
    /// Retries for routes that set none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<RetryPolicy>,
    /// A cap on retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_budget: Option<RetryBudget>,
}

impl Resilience {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self == &Resilience::default()
    }

    /// These settings overridden field by field by `over`.
    pub fn merged(&self, over: &Resilience) -> Resilience {
        fn merge<T: Clone>(a: &Option<T>, b: &Option<T>, f: impl Fn(&T, &T) -> T) -> Option<T> {
            match (a, b) {
                (Some(a), Some(b)) => Some(f(a, b)),
                (a, b) => b.clone().or_else(|| a.clone()),
            }
        }
        Resilience {
            connection_pool: merge(
                &self.connection_pool,
                &over.connection_pool,
                ConnectionPool::merged,
            ),
            outlier_detection: merge(
                &self.outlier_detection,
                &over.outlier_detection,
                OutlierDetection::merged,
            ),
            load_balancer: over
                .load_balancer
                .clone()
                .or_else(|| self.load_balancer.clone()),
            rate_limit: over.rate_limit.clone().or_else(|| self.rate_limit.clone()),
            timeout: over.timeout.or(self.timeout),
            retries: over.retries.clone().or_else(|| self.retries.clone()),
            retry_budget: over
                .retry_budget
                .clone()
                .or_else(|| self.retry_budget.clone()),
        }
    }
}

impl Check for Resilience {
    fn check(&self, c: &mut Checker) {
        c.opt("connectionPool", &self.connection_pool);
        c.opt("outlierDetection", &self.outlier_detection);
        c.opt("rateLimit", &self.rate_limit);
        c.opt("retries", &self.retries);
        if let Some(r) = &self.retries {
            c.at("retries", |c| r.check_with_timeout(self.timeout, c));
        }
        if let Some(b) = &self.retry_budget
            && b.ttl < Duration::from_millis(1)
        {
            c.at("retryBudget", |c| {
                c.error_at(
                    "ttl",
                    Problem::OutOfRange {
                        what: "ttl",
                        value: b.ttl.to_string(),
                        range: "at least 1ms",
                    },
                )
            });
        }
    }
}

checked_builder!(
    Resilience => ResilienceBuilder,
    ConnectionPool => ConnectionPoolBuilder,
    OutlierDetection => OutlierDetectionBuilder,
    RateLimit => RateLimitBuilder,
);

crate::error::plain_builder!(
    RateLimitOverride => RateLimitOverrideBuilder,
    RetryBudget => RetryBudgetBuilder,
);
