//! What the Istio lowering can express, as data.

use mesh_model::{Capability, CapabilityTable, Feature, MeshKind, Support};

macro_rules! rows {
    ($($feature:ident => $support:ident, $note:literal;)*) => {
        &[$(Capability { feature: Feature::$feature, support: Support::$support, note: $note },)*]
    };
}

/// The Istio backend's capability table (default options: classic
/// VirtualServices, sidecar data plane).
pub const CAPABILITIES: CapabilityTable = CapabilityTable {
    mesh: MeshKind::Istio,
    rows: rows! {
        PathExact => Native, "VirtualService `uri: {exact}`; HTTPRoute `Exact` in the GAMMA flavor";
        PathPrefix => Rewritten, "segment prefix `/p` written as exact `/p` or string prefix `/p/` (GAMMA: `PathPrefix`; route order checked by the shared precedence checker: dead matches dropped, conflicts refused)";
        PathRegex => Native, "`uri: {regex}` (RE2)";
        MethodMatch => Native, "`method: {exact}`";
        HeaderMatch => Native, "`headers` exact / prefix / regex (GAMMA: prefixes become regexes)";
        QueryMatch => Native, "`queryParams` exact / prefix / regex";
        WeightedSplit => Native, "relative integer weights (Istio ≥ 1.15 normalizes them)";
        VersionRouting => Native, "DestinationRule subsets (GAMMA: a Service per version)";
        Unmatched => Rewritten, "an explicit last catch-all rule (Istio answers 404 to unmatched requests)";
        Mirror => Native, "`mirrors` with `percentage` (GAMMA: RequestMirror filters)";
        Rewrite => Native, "`rewrite.uri` / `uriRegexRewrite` / `authority`; a prefix rewrite of a segment prefix becomes one rule per path form";
        Redirect => Partial, "`redirect`; Istio replaces the whole path, so prefix redirects are refused";
        DirectResponse => Partial, "`directResponse`; not in the GAMMA flavor";
        HeaderEdits => Native, "`headers.request` / `headers.response` set / add / remove";
        Timeout => Native, "route `timeout`";
        Retries => Partial, "`retries` with `attempts: 0` written where the model has none; the GAMMA flavor cannot express retries";
        PerTryTimeout => Native, "`retries.perTryTimeout`";
        FaultDelay => Partial, "`fault.delay.fixedDelay` with `percentage`; not in the GAMMA flavor";
        FaultAbort => Partial, "`fault.abort.httpStatus` with `percentage`; not in the GAMMA flavor";
        ExportTo => Partial, "`exportTo` on the VirtualService and DestinationRule; not on GAMMA HTTPRoutes";
        ConnectionPool => Native, "DestinationRule `connectionPool` (tcp / http)";
        OutlierDetection => Partial, "DestinationRule `outlierDetection` with the model's defaults written out; whole percentages only";
        LoadBalancer => Native, "`loadBalancer.simple` ROUND_ROBIN / LEAST_REQUEST / RANDOM";
        ConsistentHash => Native, "`loadBalancer.consistentHash` by header, cookie, source IP or query parameter";
        RateLimit => Partial, "EnvoyFilter with the local rate-limit filter on the service's workloads (sidecar mode; windows ≥ 50ms; not per version)";
        RateLimitPerIdentity => Unsupported, "the local rate limit is one bucket per workload; per-client limits need the global rate-limit service";
        RetryBudget => Unsupported, "Istio has no request-ratio retry budget (connectionPool.http.maxRetries caps concurrency instead)";
        MtlsStrict => Native, "PeerAuthentication STRICT; clients ISTIO_MUTUAL";
        MtlsPermissive => Native, "PeerAuthentication PERMISSIVE";
        MtlsDisabled => Partial, "PeerAuthentication DISABLE and client DISABLE (sidecar mode only: ztunnel always uses mTLS)";
        MtlsPortLevel => Native, "`portLevelMtls` keyed by workload port, on service and workload scopes";
        DefaultDeny => Native, "the allow-nothing AuthorizationPolicy (`spec: {}`) in the root namespace, plus one admitting the ingress gateway";
        AuthzAllow => Native, "ALLOW AuthorizationPolicy (ambient: on services behind a waypoint attached with `targetRefs`, else L4 rules at ztunnel)";
        AuthzDeny => Partial, "DENY AuthorizationPolicy; rules with HTTP attributes only on a service scope, limited to its HTTP ports";
        AuthzIpBlock => Native, "`ipBlocks`";
        AuthzL7 => Partial, "methods, ports and paths: exact, segment prefix as `/p` + `/p/*`, regex only as a literal prefix (`/p*`)";
        AuthzCondition => Native, "`when` on `request.headers[...]` and `request.auth.claims[...]`";
        Jwt => Partial, "RequestAuthentication + `requestPrincipals` `iss/sub` (ambient: service and namespace scopes only, attached to the waypoint)";
        Ingress => Native, "Istio Gateway (selector option, default `istio: ingressgateway`) + a VirtualService bound to it";
        IngressTls => Native, "Gateway TLS SIMPLE / MUTUAL with `credentialName`";
        IngressPassthrough => Partial, "Gateway TLS PASSTHROUGH with a `tls` route by SNI to the ingress's last catch-all route";
        Egress => Native, "ServiceEntry MESH_EXTERNAL (DNS, STATIC endpoints, NONE for CIDRs and passthrough)";
        TlsOrigination => Partial, "DestinationRule `tls` SIMPLE / MUTUAL per host (sidecar mode only)";
        EgressPolicy => Partial, "root-namespace default Sidecar `outboundTrafficPolicy` (sidecar mode only)";
        Tracing => Partial, "the collector host must name its namespace; meshConfig extension provider (zipkin / opentelemetry; Jaeger via Zipkin on 9411, else OTLP) in the install inputs + root Telemetry `randomSamplingPercentage`; without `installation`, istiod values / an IstioOperator with meshConfig alone";
        MetricsScrape => Partial, "PodMonitor on the proxies' `http-envoy-prom` (15090, `/stats/prometheus`) and ServiceMonitor on istiod's `http-monitoring` (15014), with the interval; sidecar mode only (ztunnel is not scraped)";
        MetricTags => Native, "Telemetry metric overrides (`tagOverrides` UPSERT with CEL values / REMOVE) with the `prometheus` provider, one Telemetry per scope";
        Alerts => Native, "PrometheusRule over `istio_requests_total` / `istio_request_duration_milliseconds_bucket` (destination side), `container_memory_working_set_bytes{container=\"istio-proxy\"}` and the p99 of `pilot_proxy_convergence_time_bucket`";
        Dashboard => Native, "Grafana dashboard ConfigMap (label `grafana_dashboard`) with the alerts' queries";
        AccessLogs => Native, "root-namespace Telemetry with the `envoy` provider; meshConfig `accessLogFile: /dev/stdout` and, for JSON, `accessLogEncoding: JSON`";
        Installation => Partial, "Helm values for base / istiod / gateway (+ cni / ztunnel in ambient) or one IstioOperator; add-ons as kube-prometheus-stack / grafana / jaeger (all-in-one, in-memory) / kiali-server values; ambient refuses demo / minimal profiles and per-pod proxy settings";
        HighAvailability => Native, "3 replicas unless said (autoscaler minimum), control-plane PodDisruptionBudget, node anti-affinity; gateways also get a PodDisruptionBudget";
        ExternalCa => Partial, "cert-manager through istio-csr (chart values, `global.caAddress`, `ENABLE_CA_SERVER=false`); a Secret only as Istio's plug-in `cacerts`";
        Ambient => Partial, "namespaces labelled ambient, HTTPRoutes, one waypoint per namespace needing L7; policies of its services attached with `targetRefs` (L4 elsewhere at ztunnel), the waypoint admitted at ztunnel; refused (as this feature): what HTTPRoutes cannot say (retries, faults, direct responses, exportTo, order-dependent matches), namespace / mesh policies where a waypoint is, IP blocks and ports at a waypoint, disabled mTLS, rate limits, TLS origination, the egress policy, proxy scraping, per-pod proxy settings, demo / minimal profiles";
    },
};
