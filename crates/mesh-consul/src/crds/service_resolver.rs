//! ServiceResolver: which instances of a service serve a request (subsets,
//! redirects, failover, load balancing).

use std::collections::BTreeMap;

use mesh_k8s::GoDuration;
use serde::{Deserialize, Serialize};

use super::common::{FailoverPolicy, PrioritizeByLocality, SpecError, Status};

/// The desired state of a service-resolver config entry; the object's name
/// is the Consul service name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceResolverSpec {
    /// Subset used when none is requested; empty means the unnamed subset
    /// (all healthy instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_subset: Option<String>,
    /// Named subsets, keyed by name (DNS subdomain elements).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub subsets: BTreeMap<String, Subset>,
    /// Resolve another service instead; all other fields but the name are
    /// then ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<Redirect>,
    /// Failover targets, keyed by subset name or `*` for any other subset.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failover: BTreeMap<String, Failover>,
    /// Prioritization of instances by locality in the local partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prioritize_by_locality: Option<PrioritizeByLocality>,
    /// Timeout for new connections to the service (`5s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<GoDuration>,
    /// Timeout for an HTTP response from the service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<GoDuration>,
    /// Load-balancing policy for callers of this service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
}

/// ServiceResolver: subsets, redirects, failover and load balancing of a
/// service.
pub type ServiceResolver = mesh_k8s::Object<ServiceResolverSpec>;

super::consul_kind!(
    ServiceResolverSpec,
    "ServiceResolver",
    "serviceresolvers",
    Destination,
    NamespaceResourceScope,
    Status
);

/// A named subset of a service's instances.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subset {
    /// Filter expression over the catalog (`Service.Meta.version == v1`);
    /// empty selects all healthy instances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<String>,
    /// Only instances whose checks all pass (default false: warning counts
    /// as healthy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_passing: Option<bool>,
}

/// Where to resolve the service instead.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Redirect {
    /// Service to resolve instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Subset of that service (default: its default subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_subset: Option<String>,
    /// Consul namespace (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Datacenter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// Cluster peer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// Sameness group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sameness_group: Option<String>,
}

/// When and where to fail over.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Failover {
    /// Service to fail over to (default: this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Subset to fail over to (default: the service's default subset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_subset: Option<String>,
    /// Namespace to fail over to (default: current).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Datacenters to try, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datacenters: Vec<String>,
    /// Explicit targets to try, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<FailoverTarget>,
    /// Failover mechanism.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<FailoverPolicy>,
    /// Sameness group to fail over within.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sameness_group: Option<String>,
}

/// One failover target.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FailoverTarget {
    /// Service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Service subset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_subset: Option<String>,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Admin partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// Datacenter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datacenter: Option<String>,
    /// Cluster peer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
}

/// Load-balancing configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancer {
    /// The policy (Envoy's default: round robin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<LoadBalancerPolicy>,
    /// Ring settings for `ring_hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ring_hash_config: Option<RingHashConfig>,
    /// Settings for `least_request`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub least_request_config: Option<LeastRequestConfig>,
    /// What `ring_hash` and `maglev` hash on; evaluated in order and
    /// combined. None (or none evaluated) picks a random host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hash_policies: Vec<HashPolicy>,
}

/// A load-balancing policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadBalancerPolicy {
    /// Random host.
    Random,
    /// Round robin.
    RoundRobin,
    /// Fewest active requests among `choiceCount` random hosts.
    LeastRequest,
    /// Consistent hashing on a ring (sticky sessions).
    RingHash,
    /// Maglev consistent hashing.
    Maglev,
}

/// Ring settings for `ring_hash`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RingHashConfig {
    /// Minimum number of ring entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_ring_size: Option<u64>,
    /// Maximum number of ring entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_ring_size: Option<u64>,
}

/// Settings for `least_request`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeastRequestConfig {
    /// Number of random healthy hosts compared (Envoy default 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_count: Option<u32>,
}

/// What a hashing load balancer hashes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "HashPolicyRepr", into = "HashPolicyRepr")]
pub struct HashPolicy {
    /// The hashed attribute.
    pub on: HashOn,
    /// Stop evaluating later policies once this one produced a hash.
    pub terminal: Option<bool>,
}

/// The attribute a [`HashPolicy`] hashes: on the wire `field` +
/// `fieldValue` (+ `cookieConfig`), or `sourceIP: true`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashOn {
    /// The value of this request header.
    Header(String),
    /// The value of this cookie, optionally generated by the proxy.
    Cookie {
        /// Cookie name.
        name: String,
        /// Generate the cookie when absent.
        config: Option<CookieConfig>,
    },
    /// The value of this query parameter.
    QueryParameter(String),
    /// The client's source IP.
    SourceIp,
}

/// A cookie the proxy generates for cookie hashing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CookieConfig {
    /// A session cookie (no expiry); excludes `ttl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<bool>,
    /// Lifetime of generated cookies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<GoDuration>,
    /// Cookie path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum HashField {
    Header,
    Cookie,
    QueryParameter,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HashPolicyRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<HashField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cookie_config: Option<CookieConfig>,
    #[serde(rename = "sourceIP", default, skip_serializing_if = "Option::is_none")]
    source_ip: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    terminal: Option<bool>,
}

impl TryFrom<HashPolicyRepr> for HashPolicy {
    type Error = SpecError;
    fn try_from(r: HashPolicyRepr) -> Result<Self, SpecError> {
        const CONTEXT: &str = "loadBalancer.hashPolicies[]";
        if r.cookie_config.is_some() && r.field != Some(HashField::Cookie) {
            return Err(SpecError::NotAllowed {
                context: CONTEXT,
                field: "cookieConfig",
                reason: "only with field: cookie",
            });
        }
        let on = match (r.field, r.field_value, r.source_ip == Some(true)) {
            (None, None, true) => HashOn::SourceIp,
            (Some(HashField::Header), Some(v), false) => HashOn::Header(v),
            (Some(HashField::QueryParameter), Some(v), false) => HashOn::QueryParameter(v),
            (Some(HashField::Cookie), Some(v), false) => HashOn::Cookie {
                name: v,
                config: r.cookie_config,
            },
            _ => {
                return Err(SpecError::ExactlyOne {
                    context: CONTEXT,
                    fields: "field with fieldValue, sourceIP",
                });
            }
        };
        Ok(HashPolicy {
            on,
            terminal: r.terminal,
        })
    }
}

impl From<HashPolicy> for HashPolicyRepr {
    fn from(p: HashPolicy) -> Self {
        let mut r = HashPolicyRepr {
            field: None,
            field_value: None,
            cookie_config: None,
            source_ip: None,
            terminal: p.terminal,
        };
        match p.on {
            HashOn::Header(v) => {
                r.field = Some(HashField::Header);
                r.field_value = Some(v);
            }
            HashOn::QueryParameter(v) => {
                r.field = Some(HashField::QueryParameter);
                r.field_value = Some(v);
            }
            HashOn::Cookie { name, config } => {
                r.field = Some(HashField::Cookie);
                r.field_value = Some(name);
                r.cookie_config = config;
            }
            HashOn::SourceIp => r.source_ip = Some(true),
        }
        r
    }
}
