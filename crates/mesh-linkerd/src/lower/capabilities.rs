//! The Linkerd capability table (the README matrix row is generated from
//! it).

use mesh_model::{Capability, CapabilityTable, Feature as F, MeshKind, Support as S};

const fn row(feature: F, support: S, note: &'static str) -> Capability {
    Capability {
        feature,
        support,
        note,
    }
}

const PRECEDENCE: &str = "Gateway API HTTPRoute match; Linkerd picks the most specific match, so routes are proven order-independent, shadowed matches dropped (noted), conflicting orders refused";

/// What the Linkerd backend can express (with its default [`Options`](super::Options)).
pub const CAPABILITIES: CapabilityTable = CapabilityTable {
    mesh: MeshKind::Linkerd,
    rows: &[
        row(F::PathExact, S::Partial, PRECEDENCE),
        row(F::PathPrefix, S::Partial, PRECEDENCE),
        row(F::PathRegex, S::Partial, PRECEDENCE),
        row(F::MethodMatch, S::Partial, PRECEDENCE),
        row(
            F::HeaderMatch,
            S::Partial,
            "Gateway API header match (prefix written as a regex); precedence as for paths",
        ),
        row(
            F::QueryMatch,
            S::Partial,
            "Gateway API query match (prefix written as a regex); precedence as for paths",
        ),
        row(
            F::WeightedSplit,
            S::Native,
            "weighted backendRefs of an HTTPRoute (or an SMI TrafficSplit)",
        ),
        row(
            F::VersionRouting,
            S::Partial,
            "each version becomes a Service `<service>-<version>` (service selector + version labels, same ports); routed services need a declared HTTP port",
        ),
        row(
            F::Unmatched,
            S::Rewritten,
            "an explicit last catch-all rule (service or version); notFound: none, Linkerd answers 404",
        ),
        row(F::Mirror, S::Unsupported, "Linkerd does not mirror traffic"),
        row(
            F::Rewrite,
            S::Partial,
            "ingress routes only (URLRewrite at the ingress controller); Linkerd's mesh routes do not rewrite",
        ),
        row(
            F::Redirect,
            S::Partial,
            "RequestRedirect filter; a prefix redirect needs path-prefix matches; 301/302 only with the policy.linkerd.io HTTPRoute flavor",
        ),
        row(
            F::DirectResponse,
            S::Unsupported,
            "Linkerd cannot answer requests itself",
        ),
        row(
            F::HeaderEdits,
            S::Native,
            "RequestHeaderModifier / ResponseHeaderModifier filters",
        ),
        row(
            F::Timeout,
            S::Partial,
            "`timeout.linkerd.io/request` on the HTTPRoute (route) or Service (default), whole milliseconds; Gateway API timeouts on ingress routes; ServiceProfile route timeouts in the legacy flavor",
        ),
        row(
            F::Retries,
            S::Partial,
            "`retry.linkerd.io/http|grpc|limit` annotations; status conditions only (connection failures are handled by the balancer), no back-off or localities, gRPC conditions on services only, not on ingress routes",
        ),
        row(
            F::PerTryTimeout,
            S::Partial,
            "`retry.linkerd.io/timeout`, whole milliseconds",
        ),
        row(
            F::FaultDelay,
            S::Unsupported,
            "Linkerd has no fault injection",
        ),
        row(
            F::FaultAbort,
            S::Unsupported,
            "the documented pattern needs an error-returning backend, which meshwright does not generate",
        ),
        row(
            F::ExportTo,
            S::Partial,
            "Linkerd applies a Service's routes to every client: accepted only for services without routes",
        ),
        row(
            F::ConnectionPool,
            S::Unsupported,
            "Linkerd has no connection or request limits",
        ),
        row(
            F::OutlierDetection,
            S::Partial,
            "consecutive failure accrual annotations on the Service; consecutive 5xx only, no ejection cap or panic threshold, exponential penalty back-off",
        ),
        row(
            F::LoadBalancer,
            S::Unsupported,
            "Linkerd always balances by EWMA latency",
        ),
        row(
            F::ConsistentHash,
            S::Unsupported,
            "Linkerd has no session affinity",
        ),
        row(
            F::RateLimit,
            S::Partial,
            "HTTPLocalRateLimitPolicy on the Server of the service's single HTTP port; whole requests per second, no burst",
        ),
        row(
            F::RateLimitPerIdentity,
            S::Partial,
            "HTTPLocalRateLimitPolicy identity limit and ServiceAccount overrides; whole requests per second",
        ),
        row(
            F::RetryBudget,
            S::Partial,
            "ServiceProfile retryBudget, with ResilienceFlavor::ServiceProfile only",
        ),
        row(
            F::MtlsStrict,
            S::Partial,
            "default inbound policy all-authenticated (namespace annotation, Server accessPolicy); label-selected workloads only by port",
        ),
        row(
            F::MtlsPermissive,
            S::Partial,
            "default inbound policy all-unauthenticated (namespace annotation, Server accessPolicy); label-selected workloads only by port",
        ),
        row(
            F::MtlsDisabled,
            S::Unsupported,
            "meshed pods always use mTLS",
        ),
        row(
            F::MtlsPortLevel,
            S::Native,
            "a Server per port with its accessPolicy",
        ),
        row(F::DefaultDeny, S::Native, "default inbound policy deny"),
        row(
            F::AuthzAllow,
            S::Partial,
            "Server + AuthorizationPolicy + MeshTLSAuthentication / NetworkAuthentication; mesh and namespace scopes cover the model's services; no label-selected workloads",
        ),
        row(
            F::AuthzDeny,
            S::Partial,
            "Linkerd authorization is allow-only: only deny rules by IP block alone, as a NetworkAuthentication of all networks except them that every authorization of the service requires",
        ),
        row(
            F::AuthzIpBlock,
            S::Native,
            "NetworkAuthentication (with mTLS required under strict)",
        ),
        row(
            F::AuthzL7,
            S::Partial,
            "policy.linkerd.io HTTPRoute with the Server as parent; rules of different clients must not overlap",
        ),
        row(
            F::AuthzCondition,
            S::Partial,
            "header conditions as route header matches; JWT claims unsupported",
        ),
        row(F::Jwt, S::Unsupported, "Linkerd does not validate JWTs"),
        row(
            F::Ingress,
            S::Native,
            "Gateway API Gateway (configurable gatewayClassName: Linkerd ships no ingress) + HTTPRoute",
        ),
        row(
            F::IngressTls,
            S::Partial,
            "TLS termination on the Gateway listener; no client-certificate validation",
        ),
        row(
            F::IngressPassthrough,
            S::Partial,
            "TLS passthrough listener; no TLSRoutes generated",
        ),
        row(
            F::Egress,
            S::Partial,
            "HTTP external services through EgressNetwork routes (Linkerd 2.18); other protocols only with allowAny",
        ),
        row(
            F::TlsOrigination,
            S::Unsupported,
            "Linkerd does not originate TLS",
        ),
        row(
            F::EgressPolicy,
            S::Native,
            "EgressNetwork trafficPolicy Deny per injected namespace (Linkerd 2.18)",
        ),
        row(
            F::Tracing,
            S::Partial,
            "linkerd-jaeger values: proxies export spans (OTLP) to the extension's collector, which forwards to the model's Zipkin/Jaeger/OTLP host; proxies only trace requests that arrive sampled, the collector keeps `sampling`% of them",
        ),
        row(
            F::MetricsScrape,
            S::Native,
            "PodMonitors `linkerd-proxy` (linkerd-admin 4191 /metrics) and `linkerd-controller`, with the chart's relabelings",
        ),
        row(
            F::MetricTags,
            S::Unsupported,
            "Linkerd's proxy metrics have fixed labels; relabel in Prometheus",
        ),
        row(
            F::Alerts,
            S::Partial,
            "PrometheusRule over response_total / response_latency_ms / the proxy container's memory; no config-sync metric",
        ),
        row(
            F::Dashboard,
            S::Native,
            "Grafana dashboard ConfigMap (label grafana_dashboard) with the alerts' queries",
        ),
        row(
            F::AccessLogs,
            S::Native,
            "`config.linkerd.io/access-log` namespace annotation (apache or json)",
        ),
        row(
            F::Installation,
            S::Partial,
            "Helm values of linkerd-crds, linkerd-control-plane, linkerd-viz (Prometheus add-on), linkerd-jaeger; no revisions, gateways, Grafana or Kiali",
        ),
        row(
            F::HighAvailability,
            S::Native,
            "the chart's values-ha.yaml settings (3 replicas, PDBs, anti-affinity, resources)",
        ),
        row(
            F::ExternalCa,
            S::Partial,
            "cert-manager: identity issuer Certificate + trust-manager Bundle (documented setup); a Secret only if named linkerd-identity-issuer",
        ),
        row(
            F::Ambient,
            S::Unsupported,
            "Linkerd has no ambient data plane",
        ),
    ],
};
