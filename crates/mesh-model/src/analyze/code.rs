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
        /// observability.
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
         `mesh_model::analyze` (and `cargo run --example analyze -- POLICY.yaml...`) reports\n\
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
