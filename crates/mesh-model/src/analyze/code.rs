//! The diagnostic codes: stable identifiers of our own (`MW0101`), each with
//! a title, a default severity, a one-sentence summary and, where one
//! exists, the `istioctl analyze` code it corresponds to.

use std::fmt;

use super::Severity;

macro_rules! codes {
    ($(
        $var:ident = $code:literal, $sev:ident, $istio:expr, $title:literal,
        $summary:literal;
    )*) => {
        /// A kind of diagnostic. The code string (`MW0101`) is stable: it is
        /// never reused for another meaning, so tools may filter on it.
        ///
        /// Numbering: `MW01xx` routing and versions, `MW02xx` resilience,
        /// `MW03xx` security, `MW04xx` workloads and namespaces, `MW05xx`
        /// observability (these are reported on models and, where the same
        /// finding exists, on manifests too); `MW1xxx` Istio objects
        /// (`MW10xx` what `istioctl analyze` reports, `MW11xx` what Istio's
        /// admission webhook rejects, `MW12xx` pitfalls neither checks),
        /// `MW2xxx` Linkerd objects (its policy controller's admission
        /// rules), `MW3xxx` Consul config entries (consul-k8s `Validate`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = $summary]
                $var,
            )*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[$(Code::$var),*];

            /// The stable code (`MW0101`).
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$var => $code,)* }
            }

            /// A short title (`route shadowed`).
            pub const fn title(self) -> &'static str {
                match self { $(Code::$var => $title,)* }
            }

            /// The severity diagnostics of this code have unless the check
            /// says otherwise.
            pub const fn severity(self) -> Severity {
                match self { $(Code::$var => Severity::$sev,)* }
            }

            /// The `istioctl analyze` code of the same finding
            /// (`IST0130`), where Istio has one.
            pub const fn istio(self) -> Option<&'static str> {
                match self { $(Code::$var => $istio,)* }
            }

            /// What the code flags, in one sentence.
            pub const fn summary(self) -> &'static str {
                match self { $(Code::$var => $summary,)* }
            }
        }
    };
}

codes! {
    RouteShadowed = "MW0101", Warning, Some("IST0130"), "route shadowed",
        "A route that never matches: earlier routes of the same service (or ingress) match every request it would (first match wins).";
    MatchIneffective = "MW0102", Info, Some("IST0131"), "match ineffective",
        "One of a route's matches never fires because an earlier route covers it; the route's other matches still work.";
    PrecedenceTrap = "MW0103", Warning, None, "list order and specificity disagree",
        "An earlier, broader route overlaps a later, more specific one: first-match meshes (Istio, Consul) pick the earlier, Gateway API meshes (Linkerd, Istio GAMMA) the later, unless the backend reorders.";
    WeightsNotPercent = "MW0104", Warning, None, "weights look like percentages",
        "Split weights that look like percentages but do not add up to 100; the model reads weights as relative shares.";
    ZeroWeightBackend = "MW0105", Warning, None, "backend gets no traffic",
        "A backend with weight 0 next to others: it receives nothing.";
    VersionUnreachable = "MW0106", Warning, None, "version unreachable",
        "A version of a service that no route, mirror or unmatched default sends traffic to.";
    SingleVersionReference = "MW0107", Info, None, "route to the only version",
        "A route names a version of a service that has only that version: pods without its labels get nothing, and the pin is easy to forget at the next release.";
    VersionSelectsNoPods = "MW0108", Error, Some("IST0173"), "version selects no pods",
        "A version's labels contradict the service's selector (same key, another value), so the version's subset selects no pod.";
    VersionsOverlap = "MW0109", Warning, None, "versions select the same pods",
        "Two versions of a service have the same pod labels, so a split between them does not split anything.";
    IngressWithoutRoute = "MW0110", Warning, None, "ingress listener without route",
        "An ingress listener that no route serves: connections it accepts go nowhere.";
    RetriesExceedTimeout = "MW0201", Warning, None, "retries outlast the timeout",
        "`(attempts + 1) × perTryTimeout` exceeds the route timeout: the first try counts too, so the last retries can never finish.";
    RetriesNonIdempotent = "MW0202", Warning, None, "retries on non-idempotent requests",
        "Retries on conditions that happen after the request reached the server (5xx, reset, gateway-error...) on a route that carries POST or PATCH (or any method).";
    RateLimitRounding = "MW0203", Info, None, "rate limit not in whole requests per second",
        "A rate limit with a window under 1s or a fractional per-second rate: meshes that count whole requests per second (Linkerd) round it.";
    MtlsPermissive = "MW0301", Warning, None, "PERMISSIVE mTLS",
        "PERMISSIVE mTLS (mesh-wide, namespace, workload or port): plaintext clients are accepted; meant for migration only.";
    MtlsDisabled = "MW0302", Warning, None, "mTLS disabled",
        "mTLS disabled: traffic is plaintext and identities cannot be checked (Linkerd and Consul cannot do this at all).";
    AuthzAllowsAll = "MW0303", Warning, None, "authorization allows everything",
        "An ALLOW rule with no `from`, `to` or `when` (Istio's `rules: [{}]`): every request in scope is allowed.";
    AuthzAnySource = "MW0304", Warning, None, "allowed from any source",
        "An ALLOW rule whose sources include `any` with no operation or condition: anyone, plaintext clients included, may call the workloads in scope.";
    AuthzDeniesAll = "MW0305", Warning, None, "authorization denies everything",
        "A DENY rule with no `from`, `to` or `when`: every request in scope is denied.";
    DenyHttpOnTcp = "MW0306", Warning, None, "HTTP-only DENY on TCP ports",
        "A DENY rule on HTTP attributes (methods, paths, headers, JWT) applies to workloads with non-HTTP ports: Istio drops the HTTP conditions there and denies all TCP traffic in scope.";
    DefaultAllowNoPolicy = "MW0307", Info, None, "allow by default, no policy",
        "The default action is allow and no authorization policy exists: every workload accepts every request.";
    JwtNotRequired = "MW0308", Warning, None, "JWT validated but not required",
        "A JWT provider that no ALLOW rule requires (no `jwtPrincipal` of its issuer, no claim condition): requests without a token still pass.";
    NamespaceNotInjected = "MW0401", Warning, Some("IST0102"), "namespace not injected",
        "Services of the model in a namespace with `inject: false`: their pods get no proxy, so routes and policies do not apply to them.";
    PortNameConvention = "MW0402", Info, Some("IST0118"), "port name against Istio's convention",
        "An explicit port name that does not start with its protocol (`http`, `http-web`): Istio reads the protocol from the name and falls back to sniffing or TCP.";
    TraceSamplingHigh = "MW0501", Warning, None, "high trace sampling",
        "Trace sampling at 100% (warning) or above 10% (info): costly in production, where 1-10% is the usual range.";
    TracingHostShort = "MW0502", Warning, None, "short tracing host",
        "A tracing collector host with a single label (`zipkin`): it resolves only in each client's own namespace, not where the collector runs.";
    IstioDeprecated = "MW1001", Warning, Some("IST0002"), "deprecated Istio field",
        "A field Istio deprecated or ignores (`fault.delay.percent`, `outboundTrafficPolicy.egressProxy`, a Lightstep tracing provider).";
    GatewayNoWorkload = "MW1002", Error, Some("IST0101"), "gateway selects no pod",
        "An Istio Gateway whose selector matches no pod in the input: no proxy serves it.";
    GatewayPortNotOnService = "MW1003", Warning, Some("IST0162"), "gateway port not on its Service",
        "A Gateway server port that no TCP port of the Services selecting the gateway pods exposes.";
    GatewayCredentialNotFound = "MW1004", Error, Some("IST0101"), "gateway credential not found",
        "A Gateway server's `tls.credentialName` names no Secret in the gateway workload's namespace.";
    ConflictingGateways = "MW1005", Error, Some("IST0145"), "conflicting gateways",
        "Two Gateways with the same selector and port share a host: which one serves it is undefined.";
    GatewayDuplicateCertificate = "MW1006", Warning, Some("IST0138"), "certificate used by several gateways",
        "Two Gateways on overlapping workloads use the same certificate: HTTP/2 connection reuse sends one host's requests to the other's server (404s).";
    VirtualServiceHostConflict = "MW1007", Error, Some("IST0109"), "several VirtualServices for one host",
        "Several mesh-gateway VirtualServices for the same host: Istio merges them in an undefined order (a seeds' pitfall).";
    DestinationHostNotFound = "MW1008", Error, Some("IST0101"), "destination host not found",
        "A route or mirror destination names a host that no Service or ServiceEntry visible from the route's namespace provides.";
    DestinationPortRequired = "MW1009", Error, Some("IST0112"), "destination port required",
        "A destination without `port` on a service that exposes several ports.";
    DestinationPortNotFound = "MW1010", Error, Some("IST0101"), "destination port not found",
        "A destination `port` that the destination service does not expose.";
    SubsetNotDefined = "MW1011", Error, Some("IST0101"), "subset not defined",
        "A route or mirror names a subset that no DestinationRule for its host defines: requests fail with 503 (a seeds' pitfall).";
    GatewayNotFound = "MW1012", Error, Some("IST0101"), "gateway not found",
        "A VirtualService bound to a Gateway that does not exist in the input (a seeds' pitfall).";
    HostNotInGateway = "MW1013", Warning, Some("IST0132"), "VirtualService host not in gateway",
        "None of a VirtualService's hosts is served by a Gateway it is bound to.";
    InternalGatewayReference = "MW1014", Warning, Some("IST0165"), "internal gateway referenced",
        "A VirtualService bound to a Gateway Istio generates for a Kubernetes Gateway (`*-istio-autogenerated-k8s-gateway`): bind to the Kubernetes Gateway instead.";
    IngressRouteRulesNotAffected = "MW1015", Warning, Some("IST0140"), "subset routing does not apply at ingress",
        "A gateway VirtualService routes to a host without subset while a mesh VirtualService splits that host by subset: the mesh rules do not apply to ingress traffic.";
    JwtClaimRouteWithoutRequestAuthn = "MW1016", Error, Some("IST0149"), "JWT claim routing without RequestAuthentication",
        "A route matching `@request.auth.claims` on a gateway whose pods no RequestAuthentication covers: the claims are never there.";
    AuthzNoMatchingWorkloads = "MW1017", Warning, Some("IST0127"), "authorization policy selects no workload",
        "An AuthorizationPolicy whose selector (or namespace) matches no in-mesh pod of the input.";
    AuthzNamespaceNotFound = "MW1018", Error, Some("IST0101"), "authorization namespace not found",
        "An AuthorizationPolicy source `namespaces`/`notNamespaces` entry that matches no Namespace in the input.";
    NoCaCertificates = "MW1019", Warning, Some("IST0128"), "server certificate not verified",
        "A DestinationRule with TLS mode SIMPLE or MUTUAL and no `caCertificates`: the server's certificate is not verified.";
    NoCaCertificatesPort = "MW1020", Warning, Some("IST0129"), "server certificate not verified (port)",
        "The same at port level (`portLevelSettings[].tls`).";
    ServiceEntryAddressesRequired = "MW1021", Warning, Some("IST0134"), "ServiceEntry addresses required",
        "A ServiceEntry with a TCP (or unset) protocol port and no `addresses`, without DNS auto-allocation: it captures all traffic to the port.";
    EnvoyFilterRelativeOperation = "MW1022", Warning, Some("IST0151"), "EnvoyFilter relative operation without priority",
        "An EnvoyFilter patch with a relative operation (INSERT_BEFORE/AFTER, REPLACE, REMOVE) and no priority: its order against other filters is undefined.";
    EnvoyFilterRelativeWithProxyVersion = "MW1023", Warning, Some("IST0155"), "EnvoyFilter relative operation with proxy version",
        "A relative operation on a filter another patch targets with `proxyVersion`: after an upgrade the order changes.";
    EnvoyFilterReplaceMisused = "MW1024", Error, Some("IST0152"), "EnvoyFilter REPLACE on an unsupported type",
        "REPLACE applied to something other than HTTP_FILTER or NETWORK_FILTER: Istio ignores it.";
    EnvoyFilterAddMisused = "MW1025", Error, Some("IST0153"), "EnvoyFilter ADD on a route type",
        "ADD applied to ROUTE_CONFIGURATION or HTTP_ROUTE: Istio ignores it.";
    EnvoyFilterRemoveMisused = "MW1026", Error, Some("IST0154"), "EnvoyFilter REMOVE on a route type",
        "REMOVE applied to ROUTE_CONFIGURATION or HTTP_ROUTE: Istio ignores it.";
    TelemetryNoProvider = "MW1027", Warning, Some("IST0157"), "access logging without provider",
        "A Telemetry access-logging entry without providers while the mesh config has no default access-log provider: nothing is logged.";
    SelectorNoWorkload = "MW1028", Error, Some("IST0101"), "workload selector matches no pod",
        "A Sidecar or Telemetry whose workload selector matches no pod in its namespace.";
    ConflictingSidecarSelectors = "MW1029", Error, Some("IST0110"), "several Sidecars select one pod",
        "Several Sidecars with workload selectors select the same pod: which applies is undefined.";
    MultipleDefaultSidecars = "MW1030", Error, Some("IST0111"), "several Sidecars without selector",
        "Several Sidecars without workload selector in one namespace: which applies is undefined.";
    ConflictingTelemetrySelectors = "MW1031", Error, Some("IST0159"), "several Telemetries select one pod",
        "Several Telemetries with selectors select the same pod: which applies is undefined.";
    MultipleDefaultTelemetries = "MW1032", Error, Some("IST0160"), "several Telemetries without selector",
        "Several Telemetries without selector in one namespace: which applies is undefined.";
    IneffectivePolicyAmbient = "MW1033", Warning, Some("IST0167"), "Sidecar in ambient mode",
        "A Sidecar for a namespace or pods in ambient mode: there is no sidecar to configure.";
    IneffectiveSelectorOnGateway = "MW1034", Warning, Some("IST0166"), "selector on a Kubernetes Gateway pod",
        "A policy selecting, by labels, the pods of a Kubernetes Gateway: use `targetRefs` to the Gateway, the selector has no effect there.";
    UnknownDestinationRuleHost = "MW1035", Warning, Some("IST0174"), "DestinationRule host unknown",
        "A DestinationRule whose host no Service or ServiceEntry visible from its namespace provides.";
    JwksFetchUnrestricted = "MW1036", Warning, Some("IST0175"), "JWKS fetch unrestricted",
        "RequestAuthentications exist and istiod has no `BLOCKED_CIDRS_IN_JWKS_URIS`: a JWKS URI can make istiod fetch from internal addresses.";
    HttpRouteShape = "MW1101", Error, None, "HTTP route shape",
        "An HTTP route without exactly one of `route`, `redirect`, `directResponse` or `delegate`, or with fields its action ignores (the admission webhook rejects it).";
    FaultInvalid = "MW1102", Error, None, "fault injection invalid",
        "A fault with neither delay nor abort, a percentage outside 0-100, or an abort status outside 200-599 (the webhook rejects it).";
    RetriesInvalid = "MW1103", Error, None, "retry policy invalid",
        "A `retryOn` entry Envoy does not know (not a retry condition nor an HTTP status), negative attempts, or a per-try timeout under 1ms (the webhook rejects it).";
    HeaderNameInvalid = "MW1104", Error, None, "header name invalid",
        "A header name that is empty, not an HTTP token, upper-case in a match, or a pseudo-header / Host in header operations (the webhook rejects it).";
    AuthzInvalid = "MW1105", Error, None, "authorization policy invalid",
        "An AuthorizationPolicy combination the webhook rejects: an empty `source` or `operation`, a `when` without values or with an unknown key, an invalid port, CUSTOM without provider, or a provider without CUSTOM.";
    ShortHostOtherNamespace = "MW1201", Warning, None, "short host resolved in the wrong namespace",
        "A short host name (`reviews`) in a namespace with no such Service, while another namespace has one: Istio reads short names in the object's own namespace.";
    TlsContradictsPeerAuthentication = "MW1202", Error, None, "DestinationRule TLS contradicts PeerAuthentication",
        "A DestinationRule's client TLS disagrees with the server's PeerAuthentication: DISABLE against STRICT, or ISTIO_MUTUAL against DISABLE (connections fail).";
    AuthzAllowNothing = "MW1203", Info, None, "allow-nothing policy",
        "An ALLOW AuthorizationPolicy without rules (`spec: {}`): it denies every request in scope unless another ALLOW matches; `rules: [{}]` would allow everything.";
    SubsetSelectsNoWorkload = "MW1204", Error, None, "subset selects no workload",
        "A DestinationRule subset whose labels (with the service selector) match no Deployment's pod template, or contradict the Service's selector; for inputs without pods.";
    GatewayWithoutRoute = "MW1205", Warning, None, "gateway without route",
        "An Istio Gateway that no VirtualService is bound to: what it accepts goes nowhere.";
    LinkerdPolicyTargetInvalid = "MW2001", Error, None, "Linkerd policy target invalid",
        "An AuthorizationPolicy `targetRef` that is not a Server, HTTPRoute, GRPCRoute or the policy's own Namespace, or an HTTPLocalRateLimitPolicy `targetRef` that is not a Server (the policy controller's admission webhook rejects it).";
    LinkerdAuthenticationRefsInvalid = "MW2002", Error, None, "Linkerd authentication refs invalid",
        "`requiredAuthenticationRefs` with an unsupported kind, more than one MeshTLSAuthentication, ServiceAccount or NetworkAuthentication, or a MeshTLSAuthentication together with a ServiceAccount; rate-limit `clientRefs` that are not ServiceAccounts (the webhook rejects it).";
    LinkerdIdentityInvalid = "MW2003", Error, None, "Linkerd identity invalid",
        "A MeshTLSAuthentication identity that is not `*`, a SPIFFE ID or a DNS-like name (optionally `*.`-prefixed), or an `identityRefs` entry that is not a ServiceAccount or a namespace-less Namespace (the webhook rejects it).";
    LinkerdNetworkInvalid = "MW2004", Error, None, "Linkerd network invalid",
        "A NetworkAuthentication or EgressNetwork with an empty `networks` list, or an `except` entry outside its `cidr` or covering all of it (the webhook rejects it).";
    LinkerdServersOverlap = "MW2005", Error, None, "Linkerd Servers overlap",
        "Two Servers (different names) in one namespace with the same port and selectors that can pick the same pod (equal, or one selecting every pod): the webhook rejects the second.";
    LinkerdRouteTimeoutsInvalid = "MW2006", Error, None, "Linkerd route timeouts invalid",
        "An HTTPRoute rule whose `backendRequest` timeout exceeds its `request` timeout, or a negative timeout (the webhook rejects it).";
    LinkerdFilterIgnored = "MW2007", Warning, None, "filter Linkerd ignores",
        "A `RequestMirror`, `URLRewrite`, `ExtensionRef` or `CORS` filter on a Gateway API HTTPRoute for Linkerd's mesh (parent Service or Server): the webhook admits it, the proxy does not apply it.";
    LinkerdRateLimitInvalid = "MW2008", Error, None, "Linkerd rate limit invalid",
        "An HTTPLocalRateLimitPolicy with a zero `requestsPerSecond`, or an identity or override limit above the total (the webhook rejects it).";
    LinkerdParentRefInvalid = "MW2009", Error, None, "Linkerd route parent invalid",
        "An HTTPRoute `parentRef` to an EgressNetwork without `port` (the webhook rejects it), or to a kind Linkerd does not attach routes to (warning).";
    LinkerdTargetNotFound = "MW2010", Error, None, "Linkerd policy target not found",
        "A policy targets a Server or route that does not exist in the input: it applies to nothing.";
    LinkerdParentNotFound = "MW2011", Error, None, "Linkerd route parent not found",
        "An HTTPRoute whose parent Server (or Service, when the input has Services in that namespace) does not exist in the input: the route is never used.";
    LinkerdAuthenticationNotFound = "MW2012", Error, None, "Linkerd authentication not found",
        "An AuthorizationPolicy requires a MeshTLSAuthentication or NetworkAuthentication that does not exist in the input: no client can satisfy it.";
    LinkerdServerPortNotFound = "MW2013", Warning, None, "Server port name not found",
        "A Server selecting a port by name while no Pod container port nor Service `targetPort` in its namespace has that name (checked when the input has Pods or Services there).";
    LinkerdDefaultPolicyInvalid = "MW2014", Error, None, "default inbound policy invalid",
        "A `config.linkerd.io/default-inbound-policy` annotation that is not one of `all-unauthenticated`, `all-authenticated`, `cluster-authenticated`, `cluster-unauthenticated`, `deny` or `audit`: the proxy injector rejects the pod.";
    LinkerdRouteMatchInvalid = "MW2015", Error, None, "Linkerd route match invalid",
        "An HTTPRoute path match that is not absolute (`Exact` or `PathPrefix` not starting with `/`) or an empty header name (the webhook rejects it).";
    ConsulEntryName = "MW3001", Error, None, "Consul config entry name invalid",
        "A ProxyDefaults not named `global` or a Mesh not named `mesh`: consul-k8s rejects it.";
    ConsulServiceDefaultsInvalid = "MW3002", Error, None, "ServiceDefaults invalid",
        "A ServiceDefaults `upstreamConfig.overrides` entry without name or with both peer and partition, a default naming an upstream, or a `destination` without addresses or with an address that is neither an IP nor a host name (consul-k8s rejects it).";
    ConsulResolverInvalid = "MW3003", Error, None, "ServiceResolver invalid",
        "A ServiceResolver with `redirect` and `failover` or subsets together, a `defaultSubset` or `failover` key naming no subset, a load-balancer setting for another policy, a ring size minimum above the maximum, or a negative timeout (Consul rejects it).";
    ConsulRouterInvalid = "MW3004", Error, None, "ServiceRouter invalid",
        "A ServiceRouter path match (exact or prefix) not starting with `/`, a `prefixRewrite` without a path prefix or exact match, or a negative timeout (Consul rejects it).";
    ConsulSplitInvalid = "MW3005", Error, None, "ServiceSplitter invalid",
        "A ServiceSplitter without splits, a weight outside 0-100, or weights not adding up to 100 (within 0.01) (Consul rejects it).";
    ConsulIntentionsInvalid = "MW3006", Error, None, "ServiceIntentions invalid",
        "A ServiceIntentions without destination name, a source without name or listed twice, a wildcard namespace with a specific name, or an HTTP permission with nothing to match or a relative path (consul-k8s and Consul reject it).";
    ConsulGatewayListenerInvalid = "MW3007", Error, None, "gateway listener invalid",
        "An IngressGateway with two listeners on one port, a TCP listener without exactly one service, the `*` service or `hosts` on a TCP listener, `hosts` with `*`, or a TerminatingGateway service without name or with a certificate but no key (Consul rejects it).";
    ConsulJwtProviderInvalid = "MW3008", Error, None, "JWTProvider invalid",
        "A JWTProvider whose remote JWKS URI is not an http(s) URL, whose local JWKS is empty, or with an empty location name (Consul rejects it).";
    ConsulL7OnTcp = "MW3009", Error, None, "L7 config on a TCP service",
        "A ServiceRouter or ServiceSplitter for a service whose protocol (ServiceDefaults, else ProxyDefaults) is `tcp`: Consul requires http, http2 or grpc and rejects the entry.";
    ConsulSubsetNotDefined = "MW3010", Error, None, "Consul subset not defined",
        "A router, splitter or resolver redirect/failover names a service subset that no ServiceResolver in the input defines for that service.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCode(s.to_owned()))
    }
}

/// A string that is not one of the [`Code`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a meshwright analyzer code (MW0101...)",
            self.0
        )
    }
}

impl std::error::Error for UnknownCode {}

/// The table of every code, as the Markdown of `docs/analyzer-codes.md`
/// (a test keeps that file current).
pub fn codes_markdown() -> String {
    let mut out = String::from(
        "# Analyzer codes\n\
         \n\
         <!-- Generated from `mesh_model::analyze::Code::ALL` by \
         `mesh_model::analyze::codes_markdown()`; a test fails when this file is stale. -->\n\
         \n\
         `mesh_model::analyze`, the backends' `analyze` modules on Istio, Linkerd and Consul objects,\n\
         and `cargo run --example analyze -- FILE...` (policy files or manifests) report\n\
         configurations that are valid but probably wrong. Each diagnostic has a stable code of\n\
         our own, a severity, a location (a field path in the policy file, or a file, document\n\
         and field of a manifest), a message and a hint. Where `istioctl analyze` reports the same\n\
         finding, its code is given.\n\
         \n\
         | code | title | default severity | Istio | what it flags |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for c in Code::ALL {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            c.as_str(),
            c.title(),
            c.severity(),
            c.istio().unwrap_or("-"),
            c.summary().replace('|', "\\|"),
        ));
    }
    out
}
