//! `EnvoyFilter` (networking.istio.io/v1alpha3): patches to the Envoy
//! configuration Istio generates, matched by listener, route
//! configuration, cluster or waypoint, plus [`LocalRateLimit`], a typed
//! builder of the local rate-limit HTTP filter patch.

use std::collections::BTreeMap;
use std::num::{NonZeroU16, NonZeroU32};

use mesh_model::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::common::{IstioStatus, TargetRef, WorkloadSelector, wire_enum};

/// The spec of an `EnvoyFilter`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "EnvoyFilterRepr", into = "EnvoyFilterRepr")]
pub struct EnvoyFilterSpec {
    /// The proxies patched. Default: every proxy in the namespace (all
    /// proxies in the root namespace).
    pub target: Option<EnvoyFilterTarget>,
    /// The patches, applied in order.
    pub config_patches: Vec<EnvoyConfigObjectPatch>,
    /// Order among EnvoyFilters of the same context: lower first; root
    /// namespace filters before others at equal priority. Default: 0.
    pub priority: Option<i32>,
}

impl mesh_k8s::Kind for EnvoyFilterSpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "EnvoyFilter";
    const PLURAL: &'static str = "envoyfilters";
    const VERSIONS: &'static [&'static str] = &["v1alpha3"];
    const API_VERSIONS: &'static [&'static str] = &["networking.istio.io/v1alpha3"];
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Defaults;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed `EnvoyFilter`.
pub type EnvoyFilter = mesh_k8s::Object<EnvoyFilterSpec>;

/// Which proxies an EnvoyFilter patches (at most one form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvoyFilterTarget {
    /// `workloadSelector`: workloads with these labels.
    WorkloadSelector(WorkloadSelector),
    /// `targetRefs`: these resources (Gateway API gateways, waypoints), at
    /// most 16.
    TargetRefs(Vec<TargetRef>),
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EnvoyFilterRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    workload_selector: Option<WorkloadSelector>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    target_refs: Option<Vec<TargetRef>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    config_patches: Vec<EnvoyConfigObjectPatch>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    priority: Option<i32>,
}

impl TryFrom<EnvoyFilterRepr> for EnvoyFilterSpec {
    type Error = String;
    fn try_from(r: EnvoyFilterRepr) -> Result<Self, String> {
        let target = match (r.workload_selector, r.target_refs) {
            (None, None) => None,
            (Some(w), None) => Some(EnvoyFilterTarget::WorkloadSelector(w)),
            (None, Some(t)) if t.len() <= 16 => Some(EnvoyFilterTarget::TargetRefs(t)),
            (None, Some(_)) => return Err("targetRefs: at most 16".into()),
            (Some(_), Some(_)) => {
                return Err("only one of targetRefs or workloadSelector can be set".into());
            }
        };
        Ok(EnvoyFilterSpec {
            target,
            config_patches: r.config_patches,
            priority: r.priority,
        })
    }
}

impl From<EnvoyFilterSpec> for EnvoyFilterRepr {
    fn from(s: EnvoyFilterSpec) -> Self {
        let (workload_selector, target_refs) = match s.target {
            None => (None, None),
            Some(EnvoyFilterTarget::WorkloadSelector(w)) => (Some(w), None),
            Some(EnvoyFilterTarget::TargetRefs(t)) => (None, Some(t)),
        };
        EnvoyFilterRepr {
            workload_selector,
            target_refs,
            config_patches: s.config_patches,
            priority: s.priority,
        }
    }
}

/// One patch: where it applies, what it matches, and the change.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvoyConfigObjectPatch {
    /// The kind of Envoy object patched.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub apply_to: Option<ApplyTo>,
    /// Which objects are patched. Default: all of `applyTo`'s kind.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "match"
    )]
    pub match_: Option<EnvoyConfigObjectMatch>,
    /// The change.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub patch: Option<Patch>,
}

wire_enum!(
    /// The kind of Envoy object a patch applies to.
    ApplyTo {
        /// Invalid (the proto's zero value).
        Invalid = "INVALID",
        /// A listener.
        Listener = "LISTENER",
        /// A filter chain of a listener.
        FilterChain = "FILTER_CHAIN",
        /// A network filter of a filter chain.
        NetworkFilter = "NETWORK_FILTER",
        /// An HTTP filter of the HTTP connection manager.
        HttpFilter = "HTTP_FILTER",
        /// A route configuration (RDS).
        RouteConfiguration = "ROUTE_CONFIGURATION",
        /// A virtual host of a route configuration.
        VirtualHost = "VIRTUAL_HOST",
        /// A route of a virtual host.
        HttpRoute = "HTTP_ROUTE",
        /// A cluster.
        Cluster = "CLUSTER",
        /// An extension configuration (ECDS).
        ExtensionConfig = "EXTENSION_CONFIG",
        /// The bootstrap configuration.
        Bootstrap = "BOOTSTRAP",
        /// A listener filter.
        ListenerFilter = "LISTENER_FILTER",
    }
);

/// What a patch matches: a generation context, proxy properties, and at
/// most one kind of object. The `waypoint` match is used exactly when the
/// context is `WAYPOINT`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "MatchRepr", into = "MatchRepr")]
pub struct EnvoyConfigObjectMatch {
    /// Where the configuration is generated. Default: `ANY`.
    pub context: Option<PatchContext>,
    /// Proxy version and metadata to match.
    pub proxy: Option<ProxyMatch>,
    /// The object matched.
    pub object: Option<ObjectMatch>,
}

/// The Envoy object a patch matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectMatch {
    /// `listener`: a listener (and filter chain, filter).
    Listener(ListenerMatch),
    /// `routeConfiguration`: a route configuration (and virtual host,
    /// route).
    RouteConfiguration(RouteConfigurationMatch),
    /// `cluster`: a cluster.
    Cluster(ClusterMatch),
    /// `waypoint`: a waypoint's filter or route (context `WAYPOINT`).
    Waypoint(WaypointMatch),
}

wire_enum!(
    /// The configuration generation context a patch applies in.
    PatchContext {
        /// All contexts.
        Any = "ANY",
        /// A sidecar's inbound listeners and clusters.
        SidecarInbound = "SIDECAR_INBOUND",
        /// A sidecar's outbound listeners, routes and clusters.
        SidecarOutbound = "SIDECAR_OUTBOUND",
        /// A gateway.
        Gateway = "GATEWAY",
        /// A waypoint proxy.
        Waypoint = "WAYPOINT",
    }
);

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MatchRepr {
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    context: Option<PatchContext>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    proxy: Option<ProxyMatch>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    listener: Option<ListenerMatch>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    route_configuration: Option<RouteConfigurationMatch>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    cluster: Option<ClusterMatch>,
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    waypoint: Option<WaypointMatch>,
}

impl TryFrom<MatchRepr> for EnvoyConfigObjectMatch {
    type Error = String;
    fn try_from(r: MatchRepr) -> Result<Self, String> {
        let object = match (r.listener, r.route_configuration, r.cluster, r.waypoint) {
            (None, None, None, None) => None,
            (Some(l), None, None, None) => Some(ObjectMatch::Listener(l)),
            (None, Some(rc), None, None) => Some(ObjectMatch::RouteConfiguration(rc)),
            (None, None, Some(c), None) => Some(ObjectMatch::Cluster(c)),
            (None, None, None, Some(w)) => Some(ObjectMatch::Waypoint(w)),
            _ => {
                return Err(
                    "only one of listener, routeConfiguration, cluster or waypoint can be set"
                        .into(),
                );
            }
        };
        let waypoint = matches!(object, Some(ObjectMatch::Waypoint(_)));
        if waypoint != (r.context == Some(PatchContext::Waypoint)) {
            return Err("only support waypointMatch when context is WAYPOINT".into());
        }
        Ok(EnvoyConfigObjectMatch {
            context: r.context,
            proxy: r.proxy,
            object,
        })
    }
}

impl From<EnvoyConfigObjectMatch> for MatchRepr {
    fn from(m: EnvoyConfigObjectMatch) -> Self {
        let mut r = MatchRepr {
            context: m.context,
            proxy: m.proxy,
            listener: None,
            route_configuration: None,
            cluster: None,
            waypoint: None,
        };
        match m.object {
            None => {}
            Some(ObjectMatch::Listener(l)) => r.listener = Some(l),
            Some(ObjectMatch::RouteConfiguration(rc)) => r.route_configuration = Some(rc),
            Some(ObjectMatch::Cluster(c)) => r.cluster = Some(c),
            Some(ObjectMatch::Waypoint(w)) => r.waypoint = Some(w),
        }
        r
    }
}

/// Proxy properties to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProxyMatch {
    /// RE2 regex on the proxy's Istio version (`^1\.30.*`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub proxy_version: Option<String>,
    /// Node metadata entries the proxy must have.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// A listener to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListenerMatch {
    /// The service or gateway port of the traffic.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_number: Option<u32>,
    /// The port name (unused by Istio).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_name: Option<String>,
    /// A filter chain of the listener.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter_chain: Option<FilterChainMatch>,
    /// A listener filter by name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub listener_filter: Option<String>,
    /// The listener's name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A filter chain to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterChainMatch {
    /// The filter chain's name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// The SNI of its match.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub sni: Option<String>,
    /// `tls` or `raw_buffer` (sidecar inbound only).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub transport_protocol: Option<String>,
    /// Comma-separated ALPN values (sidecars only).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub application_protocols: Option<String>,
    /// A network filter of the chain.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter: Option<FilterMatch>,
    /// The destination port of its match.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub destination_port: Option<u32>,
}

/// A filter to match, and optionally one filter inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilterMatch {
    /// The filter name (`envoy.filters.network.http_connection_manager`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// A filter inside it (an HTTP filter of the connection manager).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_filter: Option<SubFilterMatch>,
}

/// A filter inside another filter.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubFilterMatch {
    /// The filter name (`envoy.filters.http.router`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A route configuration to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteConfigurationMatch {
    /// The service or gateway server port.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_number: Option<u32>,
    /// The gateway server port name (gateways only).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_name: Option<String>,
    /// The Istio Gateway (`namespace/name`) it was generated for.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub gateway: Option<String>,
    /// A virtual host in it.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub vhost: Option<VirtualHostMatch>,
    /// The route configuration's name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A virtual host to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VirtualHostMatch {
    /// Its name (`host:port`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// One of its domains.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub domain_name: Option<String>,
    /// A route in it.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub route: Option<RouteMatch>,
}

/// A route to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteMatch {
    /// Its name (`default` for generated routes, else the VirtualService
    /// HTTP route name).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// Its action type. Default: any.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub action: Option<RouteAction>,
}

wire_enum!(
    /// The action type of a route.
    RouteAction {
        /// Any action.
        Any = "ANY",
        /// Forwarding routes.
        Route = "ROUTE",
        /// Redirects.
        Redirect = "REDIRECT",
        /// Direct responses.
        DirectResponse = "DIRECT_RESPONSE",
    }
);

/// A cluster to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterMatch {
    /// The service port it was generated for.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_number: Option<u32>,
    /// The service's FQDN.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub service: Option<String>,
    /// The subset.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub subset: Option<String>,
    /// The exact cluster name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A waypoint filter or route to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointMatch {
    /// A filter.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter: Option<FilterMatch>,
    /// A route.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub route: Option<WaypointRouteMatch>,
    /// The service port, 1 to 65535.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port_number: Option<NonZeroU16>,
}

/// A waypoint route to match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaypointRouteMatch {
    /// Its name.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// The change a patch makes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patch {
    /// How the value is applied.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub operation: Option<PatchOperation>,
    /// The Envoy configuration (JSON, in Envoy's proto field names).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<Map<String, Value>>,
    /// Where an added HTTP filter goes relative to Istio's filters
    /// (overrides `operation` placement).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub filter_class: Option<FilterClass>,
}

wire_enum!(
    /// How a patch is applied.
    PatchOperation {
        /// Invalid (the proto's zero value).
        Invalid = "INVALID",
        /// Merge the value into the matched object (proto merge).
        Merge = "MERGE",
        /// Add the value (listeners, clusters, filter chains...).
        Add = "ADD",
        /// Remove the matched object.
        Remove = "REMOVE",
        /// Insert before the matched filter or route.
        InsertBefore = "INSERT_BEFORE",
        /// Insert after the matched filter or route.
        InsertAfter = "INSERT_AFTER",
        /// Insert first in the list.
        InsertFirst = "INSERT_FIRST",
        /// Replace the matched object.
        Replace = "REPLACE",
    }
);

wire_enum!(
    /// Where an added HTTP filter goes relative to Istio's own filters.
    FilterClass {
        /// Let `operation` decide.
        Unspecified = "UNSPECIFIED",
        /// After the mTLS authentication filter.
        Authn = "AUTHN",
        /// After the authorization filter.
        Authz = "AUTHZ",
        /// Before the stats filter.
        Stats = "STATS",
    }
);

// === Local rate limit ===

/// The Envoy local rate-limit HTTP filter
/// (`envoy.filters.http.local_ratelimit`): a token bucket per proxy.
/// [`LocalRateLimit::patch`] builds the EnvoyFilter patch that inserts it
/// before the router of the inbound HTTP connection manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalRateLimit {
    /// Prefix of the filter's statistics (`http_local_rate_limiter`).
    pub stat_prefix: String,
    /// The token bucket.
    pub token_bucket: TokenBucket,
    /// Fraction of requests the filter checks, behind a runtime key.
    /// Default (when absent): none, the filter is off.
    pub filter_enabled: Option<RuntimeFractionalPercent>,
    /// Fraction of checked requests actually limited (the rest are only
    /// counted). Default (when absent): none.
    pub filter_enforced: Option<RuntimeFractionalPercent>,
}

/// A token bucket: `max_tokens` capacity, refilled with `tokens_per_fill`
/// tokens every `fill_interval`; a request takes one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBucket {
    /// Capacity (and initial content) of the bucket.
    pub max_tokens: NonZeroU32,
    /// Tokens added each interval. Default (when absent): 1.
    pub tokens_per_fill: Option<NonZeroU32>,
    /// Refill interval, at least 50ms (Envoy's minimum).
    pub fill_interval: Duration,
}

/// A percentage behind an Envoy runtime key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeFractionalPercent {
    /// The runtime key that can override the default.
    pub runtime_key: String,
    /// The default fraction.
    pub default_value: FractionalPercent,
}

impl RuntimeFractionalPercent {
    /// `percent`% (0 to 100) of requests behind `runtime_key`.
    pub fn percent(runtime_key: impl Into<String>, percent: u32) -> Self {
        RuntimeFractionalPercent {
            runtime_key: runtime_key.into(),
            default_value: FractionalPercent {
                numerator: percent.min(100),
                denominator: Denominator::Hundred,
            },
        }
    }
}

/// A fraction `numerator / denominator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FractionalPercent {
    /// The numerator.
    pub numerator: u32,
    /// The denominator.
    pub denominator: Denominator,
}

wire_enum!(
    /// The denominator of a [`FractionalPercent`].
    Denominator {
        /// 100.
        Hundred = "HUNDRED",
        /// 10,000.
        TenThousand = "TEN_THOUSAND",
        /// 1,000,000.
        Million = "MILLION",
    }
);

/// Why a [`LocalRateLimit`] cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateLimitError {
    /// Envoy rejects fill intervals under 50ms.
    #[error("fill_interval {interval} is shorter than Envoy's minimum of 50ms")]
    FillIntervalTooShort {
        /// The interval given.
        interval: Duration,
    },
    /// A fraction above its denominator.
    #[error("{field}: numerator {numerator} exceeds the denominator {denominator}")]
    FractionAboveOne {
        /// `filter_enabled` or `filter_enforced`.
        field: &'static str,
        /// The numerator.
        numerator: u32,
        /// The denominator.
        denominator: Denominator,
    },
    /// An empty stat prefix.
    #[error("stat_prefix must not be empty")]
    EmptyStatPrefix,
}

impl LocalRateLimit {
    /// The filter's name.
    pub const FILTER_NAME: &'static str = "envoy.filters.http.local_ratelimit";
    /// The filter's config type.
    pub const TYPE_URL: &'static str =
        "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";
    /// The `TypedStruct` wrapper Istio's examples use.
    pub const TYPED_STRUCT: &'static str = "type.googleapis.com/udpa.type.v1.TypedStruct";
    /// The network filter the HTTP filter is inserted into.
    pub const HTTP_CONNECTION_MANAGER: &'static str =
        "envoy.filters.network.http_connection_manager";

    /// A limit of `max_tokens` requests per `fill_interval`, refilled
    /// completely each interval, enabled and enforced for all requests.
    pub fn new(max_tokens: NonZeroU32, fill_interval: Duration) -> Self {
        LocalRateLimit {
            stat_prefix: "http_local_rate_limiter".to_owned(),
            token_bucket: TokenBucket {
                max_tokens,
                tokens_per_fill: Some(max_tokens),
                fill_interval,
            },
            filter_enabled: Some(RuntimeFractionalPercent::percent(
                "local_rate_limit_enabled",
                100,
            )),
            filter_enforced: Some(RuntimeFractionalPercent::percent(
                "local_rate_limit_enforced",
                100,
            )),
        }
    }

    fn check(&self) -> Result<(), RateLimitError> {
        if self.stat_prefix.is_empty() {
            return Err(RateLimitError::EmptyStatPrefix);
        }
        if self.token_bucket.fill_interval < Duration::from_millis(50) {
            return Err(RateLimitError::FillIntervalTooShort {
                interval: self.token_bucket.fill_interval,
            });
        }
        for (field, f) in [
            ("filter_enabled", &self.filter_enabled),
            ("filter_enforced", &self.filter_enforced),
        ] {
            if let Some(f) = f {
                let max = match f.default_value.denominator {
                    Denominator::Hundred => 100,
                    Denominator::TenThousand => 10_000,
                    Denominator::Million => 1_000_000,
                };
                if f.default_value.numerator > max {
                    return Err(RateLimitError::FractionAboveOne {
                        field,
                        numerator: f.default_value.numerator,
                        denominator: f.default_value.denominator,
                    });
                }
            }
        }
        Ok(())
    }

    /// The filter's `LocalRateLimit` config (Envoy field names).
    pub fn config(&self) -> Result<Value, RateLimitError> {
        self.check()?;
        let bucket = &self.token_bucket;
        let mut token_bucket = Map::new();
        token_bucket.insert("max_tokens".into(), json!(bucket.max_tokens.get()));
        if let Some(n) = bucket.tokens_per_fill {
            token_bucket.insert("tokens_per_fill".into(), json!(n.get()));
        }
        token_bucket.insert(
            "fill_interval".into(),
            json!(bucket.fill_interval.protobuf()),
        );
        let mut config = Map::new();
        config.insert("stat_prefix".into(), json!(self.stat_prefix));
        config.insert("token_bucket".into(), Value::Object(token_bucket));
        for (key, f) in [
            ("filter_enabled", &self.filter_enabled),
            ("filter_enforced", &self.filter_enforced),
        ] {
            if let Some(f) = f {
                config.insert(
                    key.into(),
                    json!({
                        "runtime_key": f.runtime_key,
                        "default_value": {
                            "numerator": f.default_value.numerator,
                            "denominator": f.default_value.denominator.as_str(),
                        },
                    }),
                );
            }
        }
        Ok(Value::Object(config))
    }

    /// The HTTP filter (`name` + `typed_config` as a `TypedStruct`), the
    /// `patch.value` of the EnvoyFilter.
    pub fn http_filter(&self) -> Result<Map<String, Value>, RateLimitError> {
        let mut filter = Map::new();
        filter.insert("name".into(), json!(Self::FILTER_NAME));
        filter.insert(
            "typed_config".into(),
            json!({
                "@type": Self::TYPED_STRUCT,
                "type_url": Self::TYPE_URL,
                "value": self.config()?,
            }),
        );
        Ok(filter)
    }

    /// The patch inserting the filter into the HTTP connection manager of
    /// the listeners of `context` (`SIDECAR_INBOUND` to limit what a
    /// workload receives, `GATEWAY` for a gateway).
    pub fn patch(&self, context: PatchContext) -> Result<EnvoyConfigObjectPatch, RateLimitError> {
        Ok(EnvoyConfigObjectPatch {
            apply_to: Some(ApplyTo::HttpFilter),
            match_: Some(EnvoyConfigObjectMatch {
                context: Some(context),
                proxy: None,
                object: Some(ObjectMatch::Listener(ListenerMatch {
                    filter_chain: Some(FilterChainMatch {
                        filter: Some(FilterMatch {
                            name: Some(Self::HTTP_CONNECTION_MANAGER.to_owned()),
                            sub_filter: None,
                        }),
                        ..FilterChainMatch::default()
                    }),
                    ..ListenerMatch::default()
                })),
            }),
            patch: Some(Patch {
                operation: Some(PatchOperation::InsertBefore),
                value: Some(self.http_filter()?),
                filter_class: None,
            }),
        })
    }

    /// An EnvoyFilter spec applying this limit to the inbound traffic of
    /// the workloads `selector` picks.
    pub fn sidecar_inbound(
        &self,
        selector: WorkloadSelector,
    ) -> Result<EnvoyFilterSpec, RateLimitError> {
        Ok(EnvoyFilterSpec {
            target: Some(EnvoyFilterTarget::WorkloadSelector(selector)),
            config_patches: vec![self.patch(PatchContext::SidecarInbound)?],
            priority: None,
        })
    }
}
