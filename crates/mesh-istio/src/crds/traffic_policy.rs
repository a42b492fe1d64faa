//! Client-side traffic policy: load balancing, connection pools, outlier
//! detection and upstream TLS. Used by DestinationRule at the top level,
//! per subset and per port, and (the connection pool) by Sidecar.

use std::collections::BTreeMap;

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

use super::common::{PortSelector, PositiveDuration, checked_struct, wire_enum};

/// Traffic policy for a host or one of its subsets.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficPolicy {
    /// Load-balancing algorithm.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub load_balancer: Option<LoadBalancerSettings>,
    /// Connection pool limits (circuit breaking).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_pool: Option<ConnectionPoolSettings>,
    /// Ejection of unhealthy hosts from the pool.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub outlier_detection: Option<OutlierDetection>,
    /// TLS to the upstream.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tls: Option<ClientTlsSettings>,
    /// Overrides for individual ports (at most 4096); a port-level setting
    /// replaces the whole corresponding part of this policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_level_settings: Vec<PortTrafficPolicy>,
    /// PROXY protocol towards the upstream.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub proxy_protocol: Option<ProxyProtocol>,
    /// Tunnel TCP to the host over HTTP CONNECT.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tunnel: Option<TunnelSettings>,
    /// Limit on concurrent retries relative to active requests.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub retry_budget: Option<RetryBudget>,
}

/// The parts of a [`TrafficPolicy`] that can be set for one port.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortTrafficPolicy {
    /// The port these settings apply to.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<PortSelector>,
    /// Load-balancing algorithm for this port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub load_balancer: Option<LoadBalancerSettings>,
    /// Connection pool limits for this port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub connection_pool: Option<ConnectionPoolSettings>,
    /// Outlier detection for this port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub outlier_detection: Option<OutlierDetection>,
    /// TLS for this port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tls: Option<ClientTlsSettings>,
}

// === Load balancing ===

/// Load-balancing settings: an algorithm ([`LbPolicy`]) plus locality
/// and warm-up options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "LoadBalancerRepr", into = "LoadBalancerRepr")]
pub struct LoadBalancerSettings {
    /// The algorithm (`simple` or `consistentHash`). Default:
    /// `LEAST_REQUEST`.
    pub policy: Option<LbPolicy>,
    /// Locality-aware load balancing.
    pub locality_lb_setting: Option<LocalityLbSetting>,
    /// Deprecated (use `warmup`): slow-start window for new hosts.
    pub warmup_duration_secs: Option<PositiveDuration>,
    /// Slow-start for new hosts.
    pub warmup: Option<Warmup>,
}

impl LoadBalancerSettings {
    /// A simple algorithm.
    pub fn simple(lb: SimpleLb) -> Self {
        LoadBalancerSettings {
            policy: Some(LbPolicy::Simple(lb)),
            ..LoadBalancerSettings::default()
        }
    }

    /// Consistent hashing.
    pub fn consistent_hash(hash: ConsistentHash) -> Self {
        LoadBalancerSettings {
            policy: Some(LbPolicy::ConsistentHash(hash)),
            ..LoadBalancerSettings::default()
        }
    }
}

/// A load-balancing algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LbPolicy {
    /// `simple`: a standard algorithm.
    Simple(SimpleLb),
    /// `consistentHash`: session affinity by hashing a request property.
    ConsistentHash(ConsistentHash),
}

wire_enum!(
    /// A standard load-balancing algorithm.
    SimpleLb {
        /// Not set: Istio's default (`LEAST_REQUEST`).
        Unspecified = "UNSPECIFIED",
        /// Deprecated alias of `LEAST_REQUEST`.
        LeastConn = "LEAST_CONN",
        /// A random healthy host.
        Random = "RANDOM",
        /// Forward to the address the caller asked for (no balancing).
        Passthrough = "PASSTHROUGH",
        /// Round robin.
        RoundRobin = "ROUND_ROBIN",
        /// The host with fewer active requests among two random picks.
        LeastRequest = "LEAST_REQUEST",
    }
);

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct LoadBalancerRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    simple: Option<SimpleLb>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    consistent_hash: Option<ConsistentHash>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    locality_lb_setting: Option<LocalityLbSetting>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    warmup_duration_secs: Option<PositiveDuration>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    warmup: Option<Warmup>,
}

impl TryFrom<LoadBalancerRepr> for LoadBalancerSettings {
    type Error = String;
    fn try_from(r: LoadBalancerRepr) -> Result<Self, String> {
        let policy = match (r.simple, r.consistent_hash) {
            (None, None) => None,
            (Some(s), None) => Some(LbPolicy::Simple(s)),
            (None, Some(h)) => Some(LbPolicy::ConsistentHash(h)),
            _ => return Err("only one of simple or consistentHash can be set".into()),
        };
        Ok(LoadBalancerSettings {
            policy,
            locality_lb_setting: r.locality_lb_setting,
            warmup_duration_secs: r.warmup_duration_secs,
            warmup: r.warmup,
        })
    }
}

impl From<LoadBalancerSettings> for LoadBalancerRepr {
    fn from(l: LoadBalancerSettings) -> Self {
        let (simple, consistent_hash) = match l.policy {
            None => (None, None),
            Some(LbPolicy::Simple(s)) => (Some(s), None),
            Some(LbPolicy::ConsistentHash(h)) => (None, Some(h)),
        };
        LoadBalancerRepr {
            simple,
            consistent_hash,
            locality_lb_setting: l.locality_lb_setting,
            warmup_duration_secs: l.warmup_duration_secs,
            warmup: l.warmup,
        }
    }
}

/// Consistent-hash load balancing: what to hash and with which algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "ConsistentHashRepr", into = "ConsistentHashRepr")]
pub struct ConsistentHash {
    /// The request property hashed.
    pub key: Option<HashKey>,
    /// The hashing algorithm. Default: ring hash.
    pub algorithm: Option<HashAlgorithm>,
    /// Deprecated (use `ringHash`): minimum ring size.
    pub minimum_ring_size: Option<u64>,
}

impl ConsistentHash {
    /// Hashing on this key with the default algorithm.
    pub fn on(key: HashKey) -> Self {
        ConsistentHash {
            key: Some(key),
            ..ConsistentHash::default()
        }
    }
}

/// What consistent hashing hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashKey {
    /// `httpHeaderName`: a request header.
    HttpHeaderName(String),
    /// `httpCookie`: a cookie, generated by the proxy if absent.
    HttpCookie(HttpCookie),
    /// `useSourceIp`: the source IP address (as written, normally `true`).
    UseSourceIp(bool),
    /// `httpQueryParameterName`: a query parameter.
    HttpQueryParameterName(String),
}

/// The consistent-hashing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlgorithm {
    /// `ringHash`: ring (ketama) hashing.
    RingHash(RingHash),
    /// `maglev`: Maglev hashing.
    Maglev(Maglev),
}

/// Ring-hash settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RingHash {
    /// Minimum number of virtual nodes on the ring. Default: 1024.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub minimum_ring_size: Option<u64>,
}

/// Maglev settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Maglev {
    /// Lookup table size, a prime. Default: 65537.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub table_size: Option<u64>,
}

/// The cookie consistent hashing uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpCookie {
    /// The cookie name.
    pub name: String,
    /// The cookie path.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub path: Option<String>,
    /// Lifetime of a generated cookie.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ttl: Option<GoDuration>,
    /// Extra attributes of a generated cookie.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<CookieAttribute>,
}

/// An attribute of a generated cookie (`SameSite=Strict`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CookieAttribute {
    /// The attribute name.
    pub name: String,
    /// Its value, if any.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConsistentHashRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http_header_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http_cookie: Option<HttpCookie>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    use_source_ip: Option<bool>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    http_query_parameter_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    ring_hash: Option<RingHash>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    maglev: Option<Maglev>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    minimum_ring_size: Option<u64>,
}

impl TryFrom<ConsistentHashRepr> for ConsistentHash {
    type Error = String;
    fn try_from(r: ConsistentHashRepr) -> Result<Self, String> {
        let key = match (
            r.http_header_name,
            r.http_cookie,
            r.use_source_ip,
            r.http_query_parameter_name,
        ) {
            (None, None, None, None) => None,
            (Some(h), None, None, None) => Some(HashKey::HttpHeaderName(h)),
            (None, Some(c), None, None) => Some(HashKey::HttpCookie(c)),
            (None, None, Some(b), None) => Some(HashKey::UseSourceIp(b)),
            (None, None, None, Some(q)) => Some(HashKey::HttpQueryParameterName(q)),
            _ => {
                return Err("only one of httpHeaderName, httpCookie, useSourceIp or \
                            httpQueryParameterName can be set"
                    .into());
            }
        };
        let algorithm = match (r.ring_hash, r.maglev) {
            (None, None) => None,
            (Some(h), None) => Some(HashAlgorithm::RingHash(h)),
            (None, Some(m)) => Some(HashAlgorithm::Maglev(m)),
            _ => return Err("only one of ringHash or maglev can be set".into()),
        };
        Ok(ConsistentHash {
            key,
            algorithm,
            minimum_ring_size: r.minimum_ring_size,
        })
    }
}

impl From<ConsistentHash> for ConsistentHashRepr {
    fn from(c: ConsistentHash) -> Self {
        let mut r = ConsistentHashRepr {
            http_header_name: None,
            http_cookie: None,
            use_source_ip: None,
            http_query_parameter_name: None,
            ring_hash: None,
            maglev: None,
            minimum_ring_size: c.minimum_ring_size,
        };
        match c.key {
            None => {}
            Some(HashKey::HttpHeaderName(h)) => r.http_header_name = Some(h),
            Some(HashKey::HttpCookie(k)) => r.http_cookie = Some(k),
            Some(HashKey::UseSourceIp(b)) => r.use_source_ip = Some(b),
            Some(HashKey::HttpQueryParameterName(q)) => r.http_query_parameter_name = Some(q),
        }
        match c.algorithm {
            None => {}
            Some(HashAlgorithm::RingHash(h)) => r.ring_hash = Some(h),
            Some(HashAlgorithm::Maglev(m)) => r.maglev = Some(m),
        }
        r
    }
}

/// Locality-aware load balancing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityLbSetting {
    /// Weighted distribution of traffic from each locality.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub distribute: Vec<LocalityDistribute>,
    /// Region to fail over to when a region's endpoints are unhealthy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<LocalityFailover>,
    /// Ordered labels (`topology.kubernetes.io/region`...) used to
    /// prioritise endpoints that share them with the caller.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failover_priority: Vec<String>,
    /// Enable locality load balancing. Default: the mesh setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Traffic distribution from one locality.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityDistribute {
    /// Originating locality, `region/zone/subzone` (`*` wildcards allowed).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<String>,
    /// Upstream localities and their weights (summing to 100).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub to: BTreeMap<String, u32>,
}

/// A failover between regions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalityFailover {
    /// Originating region.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<String>,
    /// Region to fail over to.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<String>,
}

/// Slow start: new hosts get a growing share of traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "WarmupRepr", into = "WarmupRepr")]
pub struct Warmup {
    /// Length of the warm-up window (at least 1ms).
    pub duration: PositiveDuration,
    /// Share of traffic a new host starts with, 0 to 100. Default: 10.
    pub minimum_percent: Option<f64>,
    /// How fast traffic grows (1 is linear; at least 0). Default: 1.
    pub aggression: Option<f64>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct WarmupRepr {
    duration: PositiveDuration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minimum_percent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    aggression: Option<f64>,
}

impl TryFrom<WarmupRepr> for Warmup {
    type Error = String;
    fn try_from(r: WarmupRepr) -> Result<Self, String> {
        if let Some(p) = r.minimum_percent
            && !(0.0..=100.0).contains(&p)
        {
            return Err(format!(
                "warmup.minimumPercent: Invalid value: {p}: must be 0 to 100"
            ));
        }
        if let Some(a) = r.aggression
            && a < 0.0
        {
            return Err(format!(
                "warmup.aggression: Invalid value: {a}: must be at least 0"
            ));
        }
        Ok(Warmup {
            duration: r.duration,
            minimum_percent: r.minimum_percent,
            aggression: r.aggression,
        })
    }
}

impl From<Warmup> for WarmupRepr {
    fn from(w: Warmup) -> Self {
        WarmupRepr {
            duration: w.duration,
            minimum_percent: w.minimum_percent,
            aggression: w.aggression,
        }
    }
}

// === Connection pool ===

/// Connection pool limits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConnectionPoolSettings {
    /// Settings for all connections (HTTP and TCP).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp: Option<TcpSettings>,
    /// HTTP settings.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub http: Option<HttpSettings>,
}

/// TCP connection limits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpSettings {
    /// Maximum HTTP/1 and TCP connections to a host. Default: 2^32-1.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_connections: Option<i32>,
    /// Connect timeout (at least 1ms). Default: 10s.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub connect_timeout: Option<PositiveDuration>,
    /// TCP keepalive (`SO_KEEPALIVE`) settings.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tcp_keepalive: Option<TcpKeepalive>,
    /// Maximum lifetime of a connection (at least 1ms). Default: none.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_connection_duration: Option<PositiveDuration>,
    /// Idle timeout of TCP connections. Default: 1h.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub idle_timeout: Option<GoDuration>,
}

/// TCP keepalive settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpKeepalive {
    /// Unanswered probes before the connection is dead. Default: the OS
    /// setting (9 on Linux).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub probes: Option<u32>,
    /// Idle time before probes start (at least 1ms). Default: the OS
    /// setting (2h on Linux).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub time: Option<PositiveDuration>,
    /// Time between probes (at least 1ms). Default: the OS setting (75s).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub interval: Option<PositiveDuration>,
}

/// HTTP connection pool limits.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpSettings {
    /// Maximum requests queued waiting for a connection. Default: 2^32-1.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub http1_max_pending_requests: Option<i32>,
    /// Maximum active requests to a destination. Default: 2^32-1.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub http2_max_requests: Option<i32>,
    /// Maximum requests per connection (1 disables keep-alive). Default: 0
    /// (unlimited).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_requests_per_connection: Option<i32>,
    /// Maximum outstanding retries to all hosts. Default: 2^32-1.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_retries: Option<i32>,
    /// Idle timeout of pool connections (at least 1ms). Default: 1h.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub idle_timeout: Option<PositiveDuration>,
    /// Upgrade HTTP/1.1 connections to HTTP/2. Default: the mesh setting.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub h2_upgrade_policy: Option<H2UpgradePolicy>,
    /// Keep the client's protocol towards the upstream. Default: false.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_client_protocol: Option<bool>,
    /// Maximum concurrent streams per HTTP/2 connection. Default: 2^31-1.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_concurrent_streams: Option<i32>,
}

wire_enum!(
    /// Whether HTTP/1.1 connections are upgraded to HTTP/2.
    H2UpgradePolicy {
        /// The mesh-wide default.
        Default = "DEFAULT",
        /// Do not upgrade.
        DoNotUpgrade = "DO_NOT_UPGRADE",
        /// Upgrade.
        Upgrade = "UPGRADE",
    }
);

// === Outlier detection ===

/// Ejection of hosts that keep failing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutlierDetection {
    /// Consecutive locally originated failures before ejection
    /// (with `splitExternalLocalOriginErrors`). Default: 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_local_origin_failures: Option<u32>,
    /// Consecutive gateway errors (502, 503, 504) before ejection; 0
    /// disables. Default: disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_gateway_errors: Option<u32>,
    /// Consecutive 5xx errors before ejection; 0 disables. Default: 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_5xx_errors: Option<u32>,
    /// Deprecated (use `consecutive5xxErrors`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub consecutive_errors: Option<i32>,
    /// Distinguish local-origin failures from upstream errors.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub split_external_local_origin_errors: Option<bool>,
    /// Time between ejection sweeps (at least 1ms). Default: 10s.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub interval: Option<PositiveDuration>,
    /// Minimum ejection time, multiplied by the number of ejections (at
    /// least 1ms). Default: 30s.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub base_ejection_time: Option<PositiveDuration>,
    /// Maximum percentage of hosts ejected. Default: 10.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_ejection_percent: Option<i32>,
    /// Outlier detection only runs while at least this percentage of hosts
    /// is healthy. Default: 0.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_health_percent: Option<i32>,
}

// === Upstream TLS ===

/// TLS towards the upstream.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientTlsSettings {
    /// TLS mode. Default: Istio mutual TLS when auto-mTLS applies, else
    /// plain text.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<ClientTlsMode>,
    /// Client certificate file (with `MUTUAL`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_certificate: Option<String>,
    /// Private key file (with `MUTUAL`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub private_key: Option<String>,
    /// CA certificates file to verify the server.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_certificates: Option<String>,
    /// Secret holding the client certificate, key and CA (gateways).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub credential_name: Option<String>,
    /// Subject alternative names accepted in the server certificate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
    /// SNI to send.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub sni: Option<String>,
    /// Skip verifying the server certificate. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    /// Certificate revocation list file.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_crl: Option<String>,
}

wire_enum!(
    /// TLS mode towards an upstream.
    ClientTlsMode {
        /// Plain text.
        Disable = "DISABLE",
        /// TLS, verifying the server.
        Simple = "SIMPLE",
        /// Mutual TLS with the given client certificate.
        Mutual = "MUTUAL",
        /// Mutual TLS with Istio's workload certificates.
        IstioMutual = "ISTIO_MUTUAL",
    }
);

// === Other parts ===

/// PROXY protocol towards the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyProtocol {
    /// The protocol version. Default: `V1`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub version: Option<ProxyProtocolVersion>,
}

wire_enum!(
    /// PROXY protocol version.
    ProxyProtocolVersion {
        /// Human-readable header.
        V1 = "V1",
        /// Binary header.
        V2 = "V2",
    }
);

/// Tunnelling TCP to the host through a proxy.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TunnelSettings {
    /// `CONNECT` (HTTP/1.1) or `POST` (HTTP/2). Default: `CONNECT`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    /// The host the connection is tunnelled to.
    pub target_host: String,
    /// The port the connection is tunnelled to.
    pub target_port: u32,
}

/// Limit on concurrent retries.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct RetryBudget {
    /// Concurrent retries as a percentage (0 to 100) of active and pending
    /// requests. Default: 20.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
    /// Retries always allowed regardless of `percent`. Default: 3.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_retry_concurrency: Option<u32>,
}

checked_struct!(RetryBudget, |b| match b.percent {
    Some(p) if !(0.0..=100.0).contains(&p) => {
        Err(format!(
            "retryBudget.percent: Invalid value: {p}: must be 0 to 100"
        ))
    }
    _ => Ok(()),
});
