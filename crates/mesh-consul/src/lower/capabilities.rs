//! What the Consul backend can express, as data.

use mesh_model::{Capability, CapabilityTable, Feature, MeshKind, Support};

const fn row(feature: Feature, support: Support, note: &'static str) -> Capability {
    Capability {
        feature,
        support,
        note,
    }
}

use Feature as F;
use Support::{Native, Partial, Rewritten, Unsupported};

/// The Consul backend's capability table (every [`Feature`]).
pub const CAPABILITIES: CapabilityTable = CapabilityTable {
    mesh: MeshKind::Consul,
    rows: &[
        // Traffic
        row(F::PathExact, Native, "ServiceRouter `pathExact`"),
        row(
            F::PathPrefix,
            Rewritten,
            "segment prefix written as `pathExact` + `pathPrefix` ending in `/` (Consul compares string prefixes); native PathPrefix on the API gateway",
        ),
        row(
            F::PathRegex,
            Native,
            "ServiceRouter `pathRegex` (Envoy RE2, whole path)",
        ),
        row(F::MethodMatch, Native, "ServiceRouter `methods`"),
        row(
            F::HeaderMatch,
            Native,
            "ServiceRouter header exact / prefix / regex; prefix as a regex on the API gateway",
        ),
        row(
            F::QueryMatch,
            Rewritten,
            "ServiceRouter queryParam exact / regex; a prefix becomes a regex",
        ),
        row(
            F::WeightedSplit,
            Partial,
            "ServiceSplitter with exact percentages (0.01 steps, sum 100), on a virtual service `<service>-<route>` the router sends to; HTTP-family services only",
        ),
        row(
            F::VersionRouting,
            Partial,
            "ServiceResolver subsets on `Service.Meta.version` (pods need the annotation `consul.hashicorp.com/service-meta-version`); HTTP-family services only; behind the API gateway through a MeshService and a redirecting resolver",
        ),
        row(
            F::Unmatched,
            Partial,
            "service: Consul's implicit catch-all; version: the resolver's `defaultSubset` (backends elsewhere must then name a version); notFound: unsupported (no direct response)",
        ),
        row(F::Mirror, Unsupported, "Consul has no traffic mirroring"),
        row(
            F::Rewrite,
            Partial,
            "path prefix rewrite (`prefixRewrite`, API gateway URLRewrite); full path only after exact matches on the router; no Host rewrite",
        ),
        row(
            F::Redirect,
            Unsupported,
            "neither ServiceRouter nor Consul's API gateway redirects",
        ),
        row(
            F::DirectResponse,
            Unsupported,
            "Consul cannot answer requests directly",
        ),
        row(
            F::HeaderEdits,
            Native,
            "route destination requestHeaders / responseHeaders; HTTPRoute header modifier filters",
        ),
        row(
            F::Timeout,
            Native,
            "route and resolver `requestTimeout` (RouteTimeoutFilter on the API gateway); no timeout is said explicitly: `-1s` (Consul 1.18+) switches off Envoy's implicit 15s, and ProxyDefaults `local_request_timeout_ms: 0` on the callee side",
        ),
        row(
            F::Retries,
            Partial,
            "numRetries, retryOn, retryOnStatusCodes, retryOnConnectFailure; no back-off or locality settings",
        ),
        row(
            F::PerTryTimeout,
            Unsupported,
            "ServiceRouter and RouteRetryFilter have no per-try timeout",
        ),
        row(F::FaultDelay, Unsupported, "Consul has no fault injection"),
        row(F::FaultAbort, Unsupported, "Consul has no fault injection"),
        row(
            F::ExportTo,
            Unsupported,
            "config entries are visible datacenter-wide; ExportedServices is for peers and partitions",
        ),
        // Resilience
        row(
            F::ConnectionPool,
            Partial,
            "ServiceDefaults upstreamConfig.overrides limits (maxConnections, maxPendingRequests, maxConcurrentRequests) and connectTimeoutMs on every caller of the model that the intentions allow; per service, not per version",
        ),
        row(
            F::OutlierDetection,
            Partial,
            "upstreamConfig passiveHealthCheck (consecutive 5xx, interval, ejection time, max ejection percent); no gateway-error count or panic threshold; per service",
        ),
        row(
            F::LoadBalancer,
            Native,
            "ServiceResolver loadBalancer policy (round_robin, least_request, random); per service",
        ),
        row(
            F::ConsistentHash,
            Native,
            "ServiceResolver ring_hash with hashPolicies (header, cookie with ttl/path, query parameter, source IP)",
        ),
        row(
            F::RateLimit,
            Partial,
            "ServiceDefaults rateLimits.instanceLevel (Consul Enterprise only): whole requests per second with burst",
        ),
        row(
            F::RateLimitPerIdentity,
            Unsupported,
            "Consul rate limits are per instance, not per client",
        ),
        row(F::RetryBudget, Unsupported, "Consul has no retry budget"),
        // Security
        row(
            F::MtlsStrict,
            Native,
            "Consul's default; explicit ServiceDefaults `mutualTLSMode: strict` where it overrides a permissive mesh; the model's trust domain has no effect (Consul's CA names its own)",
        ),
        row(
            F::MtlsPermissive,
            Partial,
            "ProxyDefaults / ServiceDefaults `mutualTLSMode: permissive` with Mesh `allowEnablingPermissiveMutualTLS` (transparent proxy only); namespace and workload scopes apply to the model's services",
        ),
        row(
            F::MtlsDisabled,
            Unsupported,
            "Consul's mesh always uses mTLS between proxies",
        ),
        row(
            F::MtlsPortLevel,
            Unsupported,
            "the mTLS mode is per service, not per port",
        ),
        row(
            F::DefaultDeny,
            Native,
            "wildcard intention `*` → `*` deny (allow for `defaultAction: allow`), and an explicit last permission in every L7 intention",
        ),
        row(
            F::AuthzAllow,
            Partial,
            "ServiceIntentions sources by service name (service account = service name, the consul-k8s rule); namespaces as sources only with Consul Enterprise namespaces",
        ),
        row(
            F::AuthzDeny,
            Partial,
            "deny entries come first in every source's permissions so a matching deny wins; same source limits as allow",
        ),
        row(
            F::AuthzIpBlock,
            Unsupported,
            "intentions authorize services, not addresses",
        ),
        row(
            F::AuthzL7,
            Partial,
            "L7 permissions on path, method (HTTP-family destinations); no destination ports",
        ),
        row(
            F::AuthzCondition,
            Native,
            "permission header matches (several values as one regex) and JWT verifyClaims",
        ),
        row(
            F::Jwt,
            Partial,
            "JWTProvider (remote or inline JWKS, audiences, forwarding) with intention requirements; tokens are validated only where intentions require the provider",
        ),
        // Edge
        row(
            F::Ingress,
            Partial,
            "Consul API gateway (Gateway + HTTPRoute; the model's order must not be reversible by Gateway API precedence), or IngressGateway with a routing virtual service by option",
        ),
        row(
            F::IngressTls,
            Partial,
            "API gateway HTTPS listener terminating with the Secret; no client-certificate verification",
        ),
        row(
            F::IngressPassthrough,
            Unsupported,
            "neither Consul gateway passes TLS through",
        ),
        row(
            F::Egress,
            Partial,
            "ServiceDefaults `destination` (transparent proxy) linked to the TerminatingGateway; exact hostnames (HTTP or TLS) or single IPs; one port per destination service",
        ),
        row(
            F::TlsOrigination,
            Partial,
            "terminating gateway originates simple TLS with the system CA bundle, on the port the application dials",
        ),
        row(
            F::EgressPolicy,
            Native,
            "Mesh `transparentProxy.meshDestinationsOnly`",
        ),
        // Observability
        row(
            F::Tracing,
            Partial,
            "ProxyDefaults `global` config: envoy_tracing_json (Zipkin; Jaeger via its Zipkin endpoint; OTLP/gRPC) and a STRICT_DNS collector cluster; sampling as envoy_listener_tracing_json random_sampling on sidecars (gateways keep Consul's 0%); no wildcard host; restart proxies to apply",
        ),
        row(
            F::MetricsScrape,
            Native,
            "chart global.metrics + merged sidecar metrics (port 20200) → PodMonitor `consul-sidecars`; servers' /v1/agent/metrics over HTTPS → PodMonitor `consul-servers` (needs an agent:read ACL token Secret)",
        ),
        row(
            F::MetricTags,
            Unsupported,
            "Consul has no per-metric tag edits; relabel in Prometheus",
        ),
        row(
            F::Alerts,
            Partial,
            "PrometheusRule over envoy_cluster_upstream_rq* by consul_destination_service and the consul-dataplane container's memory; no config-sync metric",
        ),
        row(
            F::Dashboard,
            Native,
            "Grafana dashboard ConfigMap (label grafana_dashboard) with the alerts' queries",
        ),
        row(
            F::AccessLogs,
            Native,
            "ProxyDefaults `global` accessLogs to stdout (Consul's JSON format, or Envoy's text line)",
        ),
        // Installation
        row(
            F::Installation,
            Partial,
            "hashicorp/consul Helm values (TLS, managed ACLs, injection by namespace label, transparent proxy, API/ingress/terminating gateways, UI, demo Prometheus); no revisions, hold-until-proxy, Grafana, Jaeger or Kiali",
        ),
        row(
            F::HighAvailability,
            Native,
            "3 servers (or the model's count), PodDisruptionBudget, 2 injector replicas",
        ),
        row(
            F::ExternalCa,
            Unsupported,
            "Consul's mesh CA is its built-in CA, Vault or AWS PCA: neither cert-manager nor a Kubernetes Secret",
        ),
        row(F::Ambient, Unsupported, "Consul has no ambient data plane"),
    ],
};
