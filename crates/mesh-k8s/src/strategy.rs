//! proptest strategies (feature `proptest`) for Kubernetes objects: the
//! shared leaves every backend's CRD strategies are built from (DNS names,
//! label maps and selectors, ports, durations as Go / Gateway API /
//! Prometheus text, header names, paths, regular expressions, object
//! metadata) and one strategy per typed kind of this crate (Gateway API
//! [`HttpRoute`], [`GrpcRoute`], [`Gateway`], [`GatewayClass`],
//! [`ReferenceGrant`]; Prometheus-operator [`ServiceMonitor`],
//! [`PodMonitor`], [`PrometheusRule`]).
//!
//! Every generated object is one the upstream CRD (schema and CEL rules)
//! accepts, and shrinking only drops list entries and optional fields or
//! lowers numbers, so a shrunk object is valid too. [`CrdSize`] bounds
//! lists and maps. Optional fields are generated both present and absent.
//! Objects are written at any of the kind's served versions.
//!
//! ```
//! use mesh_k8s::strategy::{CrdSize, http_route};
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let route = http_route(CrdSize::default()).new_tree(&mut runner).unwrap().current();
//! let yaml = mesh_k8s::to_yaml_string(&route).unwrap();
//! let back: mesh_k8s::gateway::HttpRoute = mesh_k8s::from_yaml_str(&yaml).unwrap();
//! assert_eq!(back, route);
//! ```

use std::any::TypeId;
use std::collections::BTreeMap;
use std::num::{NonZeroU16, NonZeroU32};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use mesh_model::Duration;
use proptest::collection::{btree_map, btree_set, vec};
use proptest::option::of;
use proptest::prelude::*;

use crate::gateway::{
    AllowedRoutes, BackendObjectReference, BackendRef, Cors, CorsMethod, Fraction, Gateway,
    GatewayAddress, GatewayClass, GatewayClassSpec, GatewayInfrastructure, GatewaySpec,
    GrpcMethodMatch, GrpcRoute, GrpcRouteFilter, GrpcRouteMatch, GrpcRouteRule, GrpcRouteSpec,
    HeaderMatch, HeaderModifier, HttpHeader, HttpMethod, HttpPathMatch, HttpRoute, HttpRouteFilter,
    HttpRouteMatch, HttpRouteRule, HttpRouteSpec, HttpRouteTimeouts, Listener, ListenerTls,
    LocalObjectReference, MatchType, MirrorAmount, ObjectReference, ParentReference, PathModifier,
    Percent, ProtocolType, QueryParamMatch, RedirectScheme, RedirectStatusCode, ReferenceGrant,
    ReferenceGrantFrom, ReferenceGrantSpec, ReferenceGrantTo, RequestMirror, RequestRedirect,
    RouteGroupKind, RouteNamespaces, RouteNamespacesFrom, SecretObjectReference, TlsMode,
    UrlRewrite, Weight,
};
use crate::prometheus::{
    AlertingRule, AttachMetadata, Endpoint, Expr, NamespaceSelector, PodMetricsEndpoint,
    PodMonitor, PodMonitorSpec, PrometheusDuration, PrometheusRule, PrometheusRuleSpec,
    RecordingRule, RelabelAction, RelabelConfig, Rule, RuleGroup, Scheme, ScrapeEndpoint,
    ScrapeProtocol, SelectorMechanism, ServiceDiscoveryRole, ServiceMonitor, ServiceMonitorSpec,
    TargetPort,
};
use crate::{GoDuration, Kind, Object, ObjectMeta};

/// How big generated objects get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrdSize {
    /// Most entries in any list (rules, matches, backends, listeners...);
    /// at least 1 is used where the schema needs an entry.
    pub list_len: usize,
    /// Most entries in any map (labels, annotations, options).
    pub map_len: usize,
}

impl Default for CrdSize {
    fn default() -> Self {
        CrdSize {
            list_len: 3,
            map_len: 2,
        }
    }
}

impl CrdSize {
    /// `0..=list_len`.
    pub fn list(self) -> std::ops::RangeInclusive<usize> {
        0..=self.list_len
    }

    /// `1..=list_len` (at least one).
    pub fn list1(self) -> std::ops::RangeInclusive<usize> {
        1..=self.list_len.max(1)
    }

    /// `0..=map_len`.
    pub fn map(self) -> std::ops::RangeInclusive<usize> {
        0..=self.map_len
    }
}

// === Leaves ===

/// DNS-1123 labels (1–12 characters), also valid DNS-1035 labels
/// (they start with a letter).
pub fn dns_label() -> BoxedStrategy<String> {
    "[a-z]([a-z0-9-]{0,10}[a-z0-9])?".boxed()
}

/// DNS-1123 subdomains of 1–3 labels.
pub fn dns_subdomain() -> BoxedStrategy<String> {
    vec(dns_label(), 1..=3)
        .prop_map(|labels| labels.join("."))
        .boxed()
}

/// Host names (`reviews.bookinfo.svc.cluster.local`, `example.com`): 2–4
/// labels, never an IP address.
pub fn hostname() -> BoxedStrategy<String> {
    vec("[a-z][a-z0-9]{0,7}", 2..=4)
        .prop_map(|labels| labels.join("."))
        .boxed()
}

/// Host names, or wildcards of them (`*.example.com`).
pub fn wildcard_hostname() -> BoxedStrategy<String> {
    (any::<bool>(), hostname())
        .prop_map(|(wild, h)| if wild { format!("*.{h}") } else { h })
        .boxed()
}

/// Label (and annotation) keys: a name, optionally with a DNS prefix
/// (`app`, `example.com/tier`).
pub fn label_key() -> BoxedStrategy<String> {
    (of(hostname()), "[a-z]([a-z0-9._-]{0,10}[a-z0-9])?")
        .prop_map(|(prefix, name)| prefix.map_or(name.clone(), |p| format!("{p}/{name}")))
        .boxed()
}

/// Label values (possibly empty).
pub fn label_value() -> BoxedStrategy<String> {
    "([a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?)?".boxed()
}

/// Label maps.
pub fn labels(size: CrdSize) -> BoxedStrategy<BTreeMap<String, String>> {
    btree_map(label_key(), label_value(), size.map()).boxed()
}

/// Non-empty label maps (selectors that must select something).
pub fn labels1(size: CrdSize) -> BoxedStrategy<BTreeMap<String, String>> {
    btree_map(label_key(), label_value(), 1..=size.map_len.max(1)).boxed()
}

/// Label selectors: `matchLabels`, and `matchExpressions` with the
/// operators' value rules (values for `In`/`NotIn`, none for
/// `Exists`/`DoesNotExist`).
pub fn label_selector(size: CrdSize) -> BoxedStrategy<LabelSelector> {
    let requirement = (
        label_key(),
        prop_oneof![
            Just("In"),
            Just("NotIn"),
            Just("Exists"),
            Just("DoesNotExist")
        ],
        btree_set("[a-z0-9]{1,8}", 1..=size.map_len.max(1)),
    )
        .prop_map(|(key, op, values)| LabelSelectorRequirement {
            key,
            operator: op.to_owned(),
            values: matches!(op, "In" | "NotIn").then(|| values.into_iter().collect()),
        });
    (labels(size), vec(requirement, size.map()))
        .prop_map(|(labels, exprs)| LabelSelector {
            match_labels: (!labels.is_empty()).then_some(labels),
            match_expressions: (!exprs.is_empty()).then_some(exprs),
        })
        .boxed()
}

/// Ports (1–65535), mostly the usual ones.
pub fn port() -> BoxedStrategy<NonZeroU16> {
    prop_oneof![
        3 => prop_oneof![Just(80u16), Just(443), Just(8080), Just(9080), Just(15000)],
        1 => 1u16..=65_535,
    ]
    .prop_map(|p| NonZeroU16::new(p).unwrap_or(NonZeroU16::MIN))
    .boxed()
}

/// Port names (IANA service names: at most 15 lower-case letters, digits
/// and inner hyphens, starting with a letter).
pub fn port_name() -> BoxedStrategy<String> {
    "[a-z]([a-z0-9]{0,6}(-[a-z0-9]{1,6})?)?".boxed()
}

/// Durations from 1 ms to 1 hour in whole milliseconds.
pub fn duration() -> BoxedStrategy<Duration> {
    prop_oneof![
        (1u32..=1_000).prop_map(Duration::from_millis),
        (1u32..=3_600).prop_map(Duration::from_secs),
        (1u32..=3_600_000).prop_map(Duration::from_millis),
    ]
    .boxed()
}

/// Go durations as the meshes write them: canonical (`1m30s`, `500ms`) or
/// protobuf JSON (`90s`, `0.500s`).
pub fn go_duration() -> BoxedStrategy<GoDuration> {
    (duration(), any::<bool>())
        .prop_map(|(d, canonical)| {
            if canonical {
                GoDuration::canonical(d)
            } else {
                GoDuration::protobuf(d)
            }
        })
        .boxed()
}

/// Durations in Gateway API's GEP-2257 form (`10s`, `1h30m`, `250ms`).
pub fn gateway_duration() -> BoxedStrategy<GoDuration> {
    duration()
        .prop_map(|d| GoDuration::gateway_api(d).unwrap_or_else(|| GoDuration::canonical(d)))
        .boxed()
}

/// Prometheus durations (`30s`, `5m`, `1h30m`).
pub fn prometheus_duration() -> BoxedStrategy<PrometheusDuration> {
    duration()
        .prop_filter_map("prometheus duration", PrometheusDuration::from_duration)
        .boxed()
}

/// HTTP header names (lower-case tokens).
pub fn header_name() -> BoxedStrategy<String> {
    "x-[a-z]([a-z0-9-]{0,8}[a-z0-9])?".boxed()
}

/// Header values (printable, no leading or trailing blank).
pub fn header_value() -> BoxedStrategy<String> {
    "[a-zA-Z0-9]([a-zA-Z0-9 ._/-]{0,10}[a-zA-Z0-9])?".boxed()
}

/// Absolute URL paths (`/`, `/api/v1`) that every mesh's path rules
/// accept (no `//`, `/./`, `%`).
pub fn http_path() -> BoxedStrategy<String> {
    prop_oneof![
        1 => Just("/".to_owned()),
        4 => vec("[a-z0-9][a-z0-9_-]{0,6}", 1..=3).prop_map(|s| format!("/{}", s.join("/"))),
    ]
    .boxed()
}

/// RE2 regular expressions (also valid ECMAScript and Go regexps).
pub fn regex() -> BoxedStrategy<String> {
    prop_oneof![
        http_path().prop_map(|p| format!("{}/.*", p.trim_end_matches('/'))),
        Just("/api/v[0-9]+/.*".to_owned()),
        "[a-z]{1,5}".prop_map(|s| format!("^{s}.*$")),
        "[a-z]{1,5}".prop_map(|s| format!("({s}|[0-9]+)")),
    ]
    .boxed()
}

/// An API group: core (`""`) or a subdomain.
pub fn api_group() -> BoxedStrategy<String> {
    prop_oneof![Just(String::new()), hostname()].boxed()
}

/// A kind name (`Service`, `FooBar`).
pub fn kind_name() -> BoxedStrategy<String> {
    "[A-Z][a-zA-Z0-9]{0,10}".boxed()
}

/// Whether the kind is namespaced.
pub fn is_namespaced<S: Kind>() -> bool {
    TypeId::of::<S::Scope>() == TypeId::of::<k8s_openapi::NamespaceResourceScope>()
}

/// Object metadata: a name, a namespace when `namespaced`, and maybe
/// labels and annotations.
pub fn object_meta(namespaced: bool, size: CrdSize) -> BoxedStrategy<ObjectMeta> {
    (dns_label(), dns_label(), labels(size), labels(size))
        .prop_map(move |(name, namespace, labels, annotations)| ObjectMeta {
            name: Some(name),
            namespace: namespaced.then_some(namespace),
            labels: (!labels.is_empty()).then_some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        })
        .boxed()
}

/// Whole objects of kind `S` with this spec strategy: metadata from
/// [`object_meta`], written at a random served version if it accepts the
/// spec ([`Kind::check_version`]), else at the first one that does.
pub fn object<S: Kind>(
    spec: impl Strategy<Value = S>,
    size: CrdSize,
) -> impl Strategy<Value = Object<S>> {
    (
        object_meta(is_namespaced::<S>(), size),
        spec,
        0..S::VERSIONS.len().max(1),
    )
        .prop_map(|(metadata, spec, version)| {
            let mut o = Object::new(String::new(), None, spec);
            o.metadata = metadata;
            // The chosen version if it accepts the spec, else the first
            // (preferred-first order) that does.
            let accepts = |v: &&&str| o.spec.check_version(v).is_ok();
            let chosen = S::API_VERSIONS
                .get(version)
                .filter(accepts)
                .or_else(|| S::API_VERSIONS.iter().find(accepts))
                .copied();
            if let Some(v) = chosen {
                // A served version: cannot fail.
                let _ = o.set_version(v);
            }
            o
        })
}

/// Keeps the first of each key: entries of list-maps the CRDs key by a
/// field must be distinct.
pub fn unique_by<T, K: Ord>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

// === Gateway API: shared parts ===

fn nz32(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Parent references: a Gateway (by name, maybe with a section, port or
/// namespace) or a Service (the mesh's GAMMA form).
pub fn parent_reference() -> BoxedStrategy<ParentReference> {
    prop_oneof![
        (dns_label(), of(dns_label()), of(dns_label()), of(port())).prop_map(
            |(name, namespace, section, port)| ParentReference {
                name,
                namespace,
                section_name: section,
                port,
                ..ParentReference::default()
            }
        ),
        (dns_label(), of(dns_label()), of(port())).prop_map(|(name, namespace, port)| {
            ParentReference {
                namespace,
                port,
                ..ParentReference::service(name)
            }
        }),
    ]
    .boxed()
}

/// Parent reference lists (1..=list_len; distinct).
pub fn parent_references(size: CrdSize) -> BoxedStrategy<Vec<ParentReference>> {
    vec(parent_reference(), size.list1())
        .prop_map(|refs| {
            unique_by(refs, |p| {
                (
                    p.group.clone(),
                    p.kind.clone(),
                    p.name.clone(),
                    p.namespace.clone(),
                )
            })
        })
        .boxed()
}

/// Backend object references: a Service with a port, or another kind.
pub fn backend_object_reference() -> BoxedStrategy<BackendObjectReference> {
    prop_oneof![
        3 => (dns_label(), of(dns_label()), port()).prop_map(|(name, namespace, port)| {
            BackendObjectReference {
                namespace,
                ..BackendObjectReference::service(name, port)
            }
        }),
        1 => (hostname(), kind_name(), dns_label(), of(port())).prop_map(
            |(group, kind, name, port)| BackendObjectReference {
                group: Some(group),
                kind: Some(kind),
                name,
                namespace: None,
                port,
            }
        ),
    ]
    .boxed()
}

/// Backend references with an optional weight and these filters.
fn backend_ref<F: std::fmt::Debug + Clone>(
    filters: impl Strategy<Value = Vec<F>>,
) -> impl Strategy<Value = BackendRef<F>> {
    (
        backend_object_reference(),
        of((0u32..=1_000).prop_filter_map("weight", |w| Weight::new(w).ok())),
        filters,
    )
        .prop_map(|(r, weight, filters)| BackendRef {
            group: r.group,
            kind: r.kind,
            name: r.name,
            namespace: r.namespace,
            port: r.port,
            weight,
            filters,
        })
}

/// Secret references (`Secret`s, maybe in another namespace).
pub fn secret_object_reference() -> BoxedStrategy<SecretObjectReference> {
    (dns_label(), of(dns_label()))
        .prop_map(|(name, namespace)| SecretObjectReference {
            namespace,
            ..SecretObjectReference::secret(name)
        })
        .boxed()
}

/// Local references to extension objects.
pub fn local_object_reference() -> BoxedStrategy<LocalObjectReference> {
    (hostname(), kind_name(), dns_label())
        .prop_map(|(group, kind, name)| LocalObjectReference { group, kind, name })
        .boxed()
}

/// Header matches (exact or regular expression) on distinct names.
pub fn header_matches(size: CrdSize) -> BoxedStrategy<Vec<HeaderMatch>> {
    btree_map(
        header_name(),
        (of(match_type()), header_value(), regex()),
        size.list(),
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(name, (match_type, value, regex))| HeaderMatch {
                name,
                value: if match_type == Some(MatchType::RegularExpression) {
                    regex
                } else {
                    value
                },
                match_type,
            })
            .collect()
    })
    .boxed()
}

fn match_type() -> impl Strategy<Value = MatchType> {
    prop_oneof![Just(MatchType::Exact), Just(MatchType::RegularExpression)]
}

/// Header modifiers (set, add, remove, each on distinct names).
pub fn header_modifier(size: CrdSize) -> BoxedStrategy<HeaderModifier> {
    let headers = || {
        btree_map(header_name(), header_value(), size.map()).prop_map(|m| {
            m.into_iter()
                .map(|(n, v)| HttpHeader::new(n, v))
                .collect::<Vec<_>>()
        })
    };
    (headers(), headers(), btree_set(header_name(), size.map()))
        .prop_map(|(set, add, remove)| HeaderModifier {
            set,
            add,
            remove: remove.into_iter().collect(),
        })
        .prop_filter("a modifier does something", |m| {
            !(m.set.is_empty() && m.add.is_empty() && m.remove.is_empty())
        })
        .boxed()
}

/// Request mirrors (with a percent, a fraction, or all requests).
pub fn request_mirror() -> BoxedStrategy<RequestMirror> {
    let amount = prop_oneof![
        (0u32..=100).prop_filter_map("percent", |p| Percent::new(p)
            .ok()
            .map(MirrorAmount::Percent)),
        (1u32..=1000, 0u32..=1000).prop_map(|(d, n)| MirrorAmount::Fraction(Fraction {
            numerator: n.min(d),
            denominator: Some(nz32(d)),
        })),
    ];
    (backend_object_reference(), of(amount))
        .prop_map(|(backend_ref, amount)| RequestMirror {
            backend_ref,
            amount,
        })
        .boxed()
}

fn path_modifier() -> impl Strategy<Value = PathModifier> {
    prop_oneof![
        http_path().prop_map(PathModifier::ReplaceFullPath),
        http_path().prop_map(PathModifier::ReplacePrefixMatch),
    ]
}

fn request_redirect() -> impl Strategy<Value = RequestRedirect> {
    (
        of(prop_oneof![
            Just(RedirectScheme::Http),
            Just(RedirectScheme::Https)
        ]),
        of(hostname()),
        of(path_modifier()),
        of(port()),
        of(prop_oneof![
            Just(RedirectStatusCode::MovedPermanently),
            Just(RedirectStatusCode::Found),
            Just(RedirectStatusCode::SeeOther),
            Just(RedirectStatusCode::TemporaryRedirect),
            Just(RedirectStatusCode::PermanentRedirect),
        ]),
    )
        .prop_map(
            |(scheme, hostname, path, port, status_code)| RequestRedirect {
                scheme,
                hostname,
                path,
                port,
                status_code,
            },
        )
}

fn cors(size: CrdSize) -> impl Strategy<Value = Cors> {
    let origin = prop_oneof![
        (
            prop_oneof![Just("http"), Just("https")],
            wildcard_hostname()
        )
            .prop_map(|(s, h)| format!("{s}://{h}")),
        (hostname(), port()).prop_map(|(h, p)| format!("https://{h}:{p}")),
    ];
    (
        prop_oneof![
            1 => Just(vec!["*".to_owned()]),
            3 => btree_set(origin, size.list()).prop_map(|s| s.into_iter().collect()),
        ],
        of(any::<bool>()),
        prop_oneof![
            1 => Just(vec![CorsMethod::Any]),
            3 => proptest::sample::subsequence(HttpMethod::ALL.to_vec(), 0..=3)
                .prop_map(|m| m.into_iter().map(CorsMethod::Method).collect()),
        ],
        btree_set(header_name(), size.map()),
        btree_set(header_name(), size.map()),
        of(1u32..=86_400),
    )
        .prop_map(
            |(allow_origins, allow_credentials, allow_methods, headers, expose, max_age)| Cors {
                allow_origins,
                allow_credentials,
                allow_methods,
                allow_headers: headers.into_iter().collect(),
                expose_headers: expose.into_iter().collect(),
                max_age: max_age.map(nz32),
            },
        )
}

// === HTTPRoute ===

/// HTTP path matches that the CRD's rules accept.
pub fn http_path_match() -> BoxedStrategy<HttpPathMatch> {
    prop_oneof![
        http_path().prop_map(HttpPathMatch::Exact),
        http_path().prop_map(HttpPathMatch::PathPrefix),
        regex().prop_map(HttpPathMatch::RegularExpression),
    ]
    .boxed()
}

/// HTTPRoute matches.
pub fn http_route_match(size: CrdSize) -> BoxedStrategy<HttpRouteMatch> {
    (
        of(http_path_match()),
        header_matches(size),
        btree_map(
            "[a-z][a-z0-9_-]{0,8}",
            (of(match_type()), "[a-z0-9]{1,8}", regex()),
            size.map(),
        ),
        of(proptest::sample::select(HttpMethod::ALL.to_vec())),
    )
        .prop_map(|(path, headers, query, method)| HttpRouteMatch {
            path,
            headers,
            query_params: query
                .into_iter()
                .map(|(name, (match_type, value, regex))| QueryParamMatch {
                    name,
                    value: if match_type == Some(MatchType::RegularExpression) {
                        regex
                    } else {
                        value
                    },
                    match_type,
                })
                .collect(),
            method,
        })
        .boxed()
}

fn one_prefix_match(matches: &[HttpRouteMatch]) -> bool {
    match matches {
        [] => true,
        [m] => matches!(m.path, None | Some(HttpPathMatch::PathPrefix(_))),
        _ => false,
    }
}

/// A `ReplacePrefixMatch` modifier becomes `ReplaceFullPath` where the
/// rule's matches do not allow it (the CRD wants exactly one `PathPrefix`).
fn fit_modifier(path: &mut Option<PathModifier>, prefix_ok: bool) {
    if !prefix_ok && let Some(PathModifier::ReplacePrefixMatch(p)) = path {
        *path = Some(PathModifier::ReplaceFullPath(std::mem::take(p)));
    }
}

/// HTTPRoute rules: either forwarding (backends with header, mirror,
/// rewrite, CORS and extension filters) or redirecting (no backends).
pub fn http_route_rule(size: CrdSize) -> BoxedStrategy<HttpRouteRule> {
    let backend_filters = of(header_modifier(size)).prop_map(|m| {
        m.map(HttpRouteFilter::RequestHeaderModifier)
            .into_iter()
            .collect::<Vec<_>>()
    });
    let filters = (
        of(header_modifier(size)),
        of(header_modifier(size)),
        vec(request_mirror(), 0..=1),
        of((of(hostname()), of(path_modifier()))),
        of(cors(size)),
        vec(local_object_reference(), 0..=1),
        of(request_redirect()),
    );
    (
        of(dns_subdomain()),
        vec(http_route_match(size), size.list()),
        filters,
        vec(backend_ref::<HttpRouteFilter>(backend_filters), size.list()),
        of((of(gateway_duration()), of(gateway_duration()))),
        any::<bool>(),
    )
        .prop_map(
            |(
                name,
                matches,
                (req, resp, mirrors, rewrite, cors, ext, redirect),
                backends,
                timeouts,
                redirecting,
            )| {
                let prefix_ok = one_prefix_match(&matches);
                let mut filters = vec![];
                filters.extend(req.map(HttpRouteFilter::RequestHeaderModifier));
                filters.extend(resp.map(HttpRouteFilter::ResponseHeaderModifier));
                let redirect = redirect.filter(|_| redirecting);
                let backend_refs = if let Some(mut r) = redirect {
                    fit_modifier(&mut r.path, prefix_ok);
                    filters.push(HttpRouteFilter::RequestRedirect(r));
                    vec![]
                } else {
                    filters.extend(mirrors.into_iter().map(HttpRouteFilter::RequestMirror));
                    if let Some((hostname, mut path)) = rewrite {
                        fit_modifier(&mut path, prefix_ok);
                        filters.push(HttpRouteFilter::UrlRewrite(UrlRewrite { hostname, path }));
                    }
                    filters.extend(cors.map(HttpRouteFilter::Cors));
                    filters.extend(ext.into_iter().map(HttpRouteFilter::ExtensionRef));
                    backends
                };
                let timeouts = timeouts.map(|(a, b)| {
                    // backendRequest must not exceed request.
                    let (request, backend_request) = match (a, b) {
                        (Some(a), Some(b)) if a.value() < b.value() => (Some(b), Some(a)),
                        other => other,
                    };
                    HttpRouteTimeouts {
                        request,
                        backend_request,
                    }
                });
                HttpRouteRule {
                    name,
                    matches,
                    filters,
                    backend_refs,
                    timeouts,
                }
            },
        )
        .boxed()
}

/// Drops the names that repeat an earlier one (rule names are unique in
/// a route).
pub fn unique_names<T>(items: &mut [T], name: impl Fn(&mut T) -> &mut Option<String>) {
    let mut seen = std::collections::BTreeSet::new();
    for item in items {
        let n = name(item);
        if let Some(v) = n.as_ref()
            && !seen.insert(v.clone())
        {
            *n = None;
        }
    }
}

/// HTTPRoute specs.
pub fn http_route_spec(size: CrdSize) -> BoxedStrategy<HttpRouteSpec> {
    (
        parent_references(size),
        btree_set(wildcard_hostname(), size.list()),
        vec(http_route_rule(size), size.list()),
    )
        .prop_map(|(parent_refs, hostnames, mut rules)| {
            unique_names(&mut rules, |r| &mut r.name);
            HttpRouteSpec {
                parent_refs,
                hostnames: hostnames.into_iter().collect(),
                rules,
            }
        })
        .boxed()
}

/// HTTPRoute objects.
pub fn http_route(size: CrdSize) -> BoxedStrategy<HttpRoute> {
    object(http_route_spec(size), size).boxed()
}

// === GRPCRoute ===

/// GRPCRoute method matches.
pub fn grpc_method_match() -> BoxedStrategy<GrpcMethodMatch> {
    let service = "[a-z][a-z0-9]{0,6}(\\.[a-z][a-z0-9]{0,6}){0,2}\\.[A-Z][A-Za-z0-9]{0,8}";
    let method = "[A-Z][A-Za-z0-9]{0,10}";
    (of(service), of(method), any::<bool>())
        .prop_filter("service or method", |(s, m, _)| s.is_some() || m.is_some())
        .prop_map(|(service, method, exact)| GrpcMethodMatch {
            match_type: exact.then_some(MatchType::Exact),
            service,
            method,
        })
        .boxed()
}

/// GRPCRoute rules.
pub fn grpc_route_rule(size: CrdSize) -> BoxedStrategy<GrpcRouteRule> {
    let matches = vec(
        (of(grpc_method_match()), header_matches(size))
            .prop_map(|(method, headers)| GrpcRouteMatch { method, headers }),
        size.list(),
    );
    let backend_filters = of(header_modifier(size)).prop_map(|m| {
        m.map(GrpcRouteFilter::RequestHeaderModifier)
            .into_iter()
            .collect::<Vec<_>>()
    });
    (
        of(dns_subdomain()),
        matches,
        (
            of(header_modifier(size)),
            of(header_modifier(size)),
            vec(request_mirror(), 0..=1),
            vec(local_object_reference(), 0..=1),
        ),
        vec(backend_ref::<GrpcRouteFilter>(backend_filters), size.list()),
    )
        .prop_map(|(name, matches, (req, resp, mirrors, ext), backend_refs)| {
            let mut filters = vec![];
            filters.extend(req.map(GrpcRouteFilter::RequestHeaderModifier));
            filters.extend(resp.map(GrpcRouteFilter::ResponseHeaderModifier));
            filters.extend(mirrors.into_iter().map(GrpcRouteFilter::RequestMirror));
            filters.extend(ext.into_iter().map(GrpcRouteFilter::ExtensionRef));
            GrpcRouteRule {
                name,
                matches,
                filters,
                backend_refs,
            }
        })
        .boxed()
}

/// GRPCRoute specs.
pub fn grpc_route_spec(size: CrdSize) -> BoxedStrategy<GrpcRouteSpec> {
    (
        parent_references(size),
        btree_set(wildcard_hostname(), size.list()),
        vec(grpc_route_rule(size), size.list()),
    )
        .prop_map(|(parent_refs, hostnames, mut rules)| {
            unique_names(&mut rules, |r| &mut r.name);
            GrpcRouteSpec {
                parent_refs,
                hostnames: hostnames.into_iter().collect(),
                rules,
            }
        })
        .boxed()
}

/// GRPCRoute objects.
pub fn grpc_route(size: CrdSize) -> BoxedStrategy<GrpcRoute> {
    object(grpc_route_spec(size), size).boxed()
}

// === Gateway, GatewayClass, ReferenceGrant ===

fn route_group_kind() -> impl Strategy<Value = RouteGroupKind> {
    prop_oneof![
        Just(RouteGroupKind {
            group: None,
            kind: "HTTPRoute".to_owned()
        }),
        Just(RouteGroupKind {
            group: Some(crate::gateway::GROUP.to_owned()),
            kind: "GRPCRoute".to_owned()
        }),
    ]
}

fn allowed_routes(size: CrdSize) -> impl Strategy<Value = AllowedRoutes> {
    let namespaces = prop_oneof![
        of(prop_oneof![
            Just(RouteNamespacesFrom::All),
            Just(RouteNamespacesFrom::Same)
        ])
        .prop_map(|from| RouteNamespaces {
            from,
            selector: None
        }),
        label_selector(size).prop_map(|s| RouteNamespaces {
            from: Some(RouteNamespacesFrom::Selector),
            selector: Some(s),
        }),
    ];
    (of(namespaces), vec(route_group_kind(), 0..=2)).prop_map(|(namespaces, kinds)| AllowedRoutes {
        namespaces,
        kinds: unique_by(kinds, |k| k.kind.clone()),
    })
}

/// Gateway listeners, `index` making names and ports distinct. HTTP and
/// HTTPS listeners (HTTPS terminates with certificates), TLS passthrough,
/// TCP and UDP (no hostname).
pub fn listener(index: usize, size: CrdSize) -> BoxedStrategy<Listener> {
    let tls_terminate =
        vec(secret_object_reference(), size.list1()).prop_map(|certificate_refs| ListenerTls {
            mode: Some(TlsMode::Terminate),
            certificate_refs,
            ..ListenerTls::default()
        });
    let tls_pass = Just(ListenerTls {
        mode: Some(TlsMode::Passthrough),
        ..ListenerTls::default()
    });
    let proto = prop_oneof![
        3 => Just((ProtocolType::Http, None)),
        2 => tls_terminate.prop_map(|t| (ProtocolType::Https, Some(t))),
        1 => tls_pass.prop_map(|t| (ProtocolType::Tls, Some(t))),
        1 => Just((ProtocolType::Tcp, None)),
        1 => Just((ProtocolType::Udp, None)),
    ];
    (
        proto,
        of(wildcard_hostname()),
        0u16..100,
        of(allowed_routes(size)),
    )
        .prop_map(move |((protocol, tls), hostname, port, allowed_routes)| {
            let base = 1000 + u16::try_from(index % 600).unwrap_or(0) * 100;
            let hostname =
                hostname.filter(|_| !matches!(protocol, ProtocolType::Tcp | ProtocolType::Udp));
            Listener {
                name: format!("listener-{index}"),
                hostname,
                port: NonZeroU16::new(base + port).unwrap_or(NonZeroU16::MIN),
                allowed_routes: allowed_routes
                    .filter(|_| matches!(protocol, ProtocolType::Http | ProtocolType::Https)),
                protocol,
                tls,
            }
        })
        .boxed()
}

/// Gateway specs.
pub fn gateway_spec(size: CrdSize) -> BoxedStrategy<GatewaySpec> {
    let listeners = size
        .list1()
        .prop_flat_map(move |n| (0..n).map(|i| listener(i, size)).collect::<Vec<_>>());
    let address = prop_oneof![
        (1u8..=254).prop_map(|i| (
            crate::gateway::AddressType::IpAddress,
            format!("10.0.0.{i}")
        )),
        hostname().prop_map(|h| (crate::gateway::AddressType::Hostname, h)),
    ];
    let infrastructure = (labels(size), labels(size), of(local_object_reference())).prop_map(
        |(labels, annotations, parameters_ref)| GatewayInfrastructure {
            labels,
            annotations,
            parameters_ref,
        },
    );
    (
        dns_label(),
        listeners,
        btree_map(address, any::<bool>(), 0..=2),
        of(infrastructure),
    )
        .prop_map(
            |(class, listeners, addresses, infrastructure)| GatewaySpec {
                gateway_class_name: class,
                listeners,
                addresses: unique_by(addresses.into_keys().collect::<Vec<_>>(), |(_, v)| {
                    v.clone()
                })
                .into_iter()
                .map(|(t, v)| GatewayAddress {
                    address_type: Some(t),
                    value: Some(v),
                })
                .collect(),
                infrastructure,
                ..GatewaySpec::default()
            },
        )
        .boxed()
}

/// Gateway objects.
pub fn gateway(size: CrdSize) -> BoxedStrategy<Gateway> {
    object(gateway_spec(size), size).boxed()
}

/// GatewayClass specs.
pub fn gateway_class_spec() -> BoxedStrategy<GatewayClassSpec> {
    (
        (hostname(), "[a-z][a-z0-9-]{0,10}").prop_map(|(d, p)| format!("{d}/{p}")),
        of((hostname(), kind_name(), dns_label(), of(dns_label()))),
        of("[A-Za-z][A-Za-z0-9 ]{0,40}"),
    )
        .prop_map(|(controller_name, params, description)| GatewayClassSpec {
            controller_name,
            parameters_ref: params.map(|(group, kind, name, namespace)| ObjectReference {
                group,
                kind,
                name,
                namespace,
            }),
            description,
        })
        .boxed()
}

/// GatewayClass objects.
pub fn gateway_class(size: CrdSize) -> BoxedStrategy<GatewayClass> {
    object(gateway_class_spec(), size).boxed()
}

/// ReferenceGrant specs.
pub fn reference_grant_spec(size: CrdSize) -> BoxedStrategy<ReferenceGrantSpec> {
    let from = (
        prop_oneof![Just(crate::gateway::GROUP.to_owned()), hostname()],
        prop_oneof![
            Just("HTTPRoute".to_owned()),
            Just("GRPCRoute".to_owned()),
            kind_name()
        ],
        dns_label(),
    )
        .prop_map(|(group, kind, namespace)| ReferenceGrantFrom {
            group,
            kind,
            namespace,
        });
    let to = (
        prop_oneof![Just(String::new()), hostname()],
        prop_oneof![
            Just("Service".to_owned()),
            Just("Secret".to_owned()),
            kind_name()
        ],
        of(dns_label()),
    )
        .prop_map(|(group, kind, name)| ReferenceGrantTo { group, kind, name });
    (vec(from, size.list1()), vec(to, size.list1()))
        .prop_map(|(from, to)| ReferenceGrantSpec { from, to })
        .boxed()
}

/// ReferenceGrant objects.
pub fn reference_grant(size: CrdSize) -> BoxedStrategy<ReferenceGrant> {
    object(reference_grant_spec(size), size).boxed()
}

// === Prometheus operator ===

fn prom_label() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,10}"
}

/// Relabeling steps (each action with the fields it needs).
pub fn relabel_config() -> BoxedStrategy<RelabelConfig> {
    (
        proptest::sample::select(vec![
            RelabelAction::Replace,
            RelabelAction::Keep,
            RelabelAction::Drop,
            RelabelAction::HashMod,
            RelabelAction::LabelMap,
            RelabelAction::LabelDrop,
            RelabelAction::LabelKeep,
            RelabelAction::Lowercase,
            RelabelAction::Uppercase,
        ]),
        any::<bool>(),
        vec(
            prop_oneof![
                prom_label(),
                Just("__meta_kubernetes_pod_label_app".to_owned())
            ],
            1..=2,
        ),
        prom_label(),
        of(regex()),
        1u64..=16,
    )
        .prop_map(|(action, explicit, sources, target, regex, modulus)| {
            let needs_source = matches!(
                action,
                RelabelAction::Replace
                    | RelabelAction::Keep
                    | RelabelAction::Drop
                    | RelabelAction::HashMod
                    | RelabelAction::Lowercase
                    | RelabelAction::Uppercase
            );
            let needs_target = matches!(
                action,
                RelabelAction::Replace
                    | RelabelAction::HashMod
                    | RelabelAction::Lowercase
                    | RelabelAction::Uppercase
            );
            RelabelConfig {
                source_labels: if needs_source { sources } else { vec![] },
                separator: None,
                target_label: needs_target.then_some(target),
                regex: if matches!(
                    action,
                    RelabelAction::LabelDrop | RelabelAction::LabelKeep | RelabelAction::LabelMap
                ) {
                    Some(regex.unwrap_or_else(|| "__meta_(.+)".to_owned()))
                } else {
                    regex
                },
                modulus: (action == RelabelAction::HashMod).then_some(modulus),
                replacement: None,
                action: (explicit || action != RelabelAction::Replace).then_some(action),
            }
        })
        .boxed()
}

/// Scrape settings shared by both monitor kinds (no auth, no proxy).
pub fn scrape_endpoint(size: CrdSize) -> BoxedStrategy<ScrapeEndpoint> {
    (
        of(http_path()),
        of(prop_oneof![Just(Scheme::Http), Just(Scheme::Https)]),
        btree_map(prom_label(), vec("[a-z0-9]{1,6}", 1..=2), size.map()),
        of((prometheus_duration(), 0u64..=100)),
        (of(any::<bool>()), of(any::<bool>()), of(any::<bool>())),
        vec(relabel_config(), size.list()),
        vec(relabel_config(), size.list()),
    )
        .prop_map(
            |(path, scheme, params, timing, (hl, ht, fr), relabelings, metric_relabelings)| {
                // The scrape timeout must not exceed the interval.
                let (interval, scrape_timeout) = match timing {
                    Some((interval, pct)) => {
                        let t = (interval.as_millis() * pct / 100).max(1);
                        (Some(interval), PrometheusDuration::from_millis(t).ok())
                    }
                    None => (None, None),
                };
                ScrapeEndpoint {
                    path,
                    scheme,
                    params,
                    interval,
                    scrape_timeout,
                    honor_labels: hl,
                    honor_timestamps: ht,
                    follow_redirects: fr,
                    relabelings,
                    metric_relabelings,
                    ..ScrapeEndpoint::default()
                }
            },
        )
        .boxed()
}

fn target_port() -> impl Strategy<Value = TargetPort> {
    prop_oneof![
        port().prop_map(TargetPort::Number),
        port_name().prop_map(TargetPort::Name)
    ]
}

fn namespace_selector(size: CrdSize) -> impl Strategy<Value = NamespaceSelector> {
    prop_oneof![
        Just(NamespaceSelector {
            any: Some(true),
            match_names: vec![]
        }),
        btree_set(dns_label(), size.list1()).prop_map(|n| NamespaceSelector {
            any: None,
            match_names: n.into_iter().collect()
        }),
    ]
}

fn scrape_protocols() -> impl Strategy<Value = Vec<ScrapeProtocol>> {
    proptest::sample::subsequence(
        vec![
            ScrapeProtocol::PrometheusProto,
            ScrapeProtocol::OpenMetricsText1_0_0,
            ScrapeProtocol::OpenMetricsText0_0_1,
            ScrapeProtocol::PrometheusText0_0_4,
            ScrapeProtocol::PrometheusText1_0_0,
        ],
        0..=3,
    )
}

/// ServiceMonitor specs.
pub fn service_monitor_spec(size: CrdSize) -> BoxedStrategy<ServiceMonitorSpec> {
    let endpoint = (of(port_name()), of(target_port()), scrape_endpoint(size)).prop_map(
        |(port, target_port, scrape)| Endpoint {
            port,
            target_port,
            scrape,
            ..Endpoint::default()
        },
    );
    (
        label_selector(size),
        of(namespace_selector(size)),
        vec(endpoint, size.list()),
        of(prom_label()),
        btree_set(prom_label(), size.map()),
        of(prop_oneof![
            Just(ServiceDiscoveryRole::Endpoints),
            Just(ServiceDiscoveryRole::EndpointSlice)
        ]),
        of(prop_oneof![
            Just(SelectorMechanism::RelabelConfig),
            Just(SelectorMechanism::RoleSelector)
        ]),
        scrape_protocols(),
        (of(0u64..=100_000), of(0u64..=100), of(any::<bool>())),
    )
        .prop_map(
            |(
                selector,
                namespace_selector,
                endpoints,
                job_label,
                targets,
                role,
                mechanism,
                protocols,
                (samples, targets_limit, node),
            )| {
                ServiceMonitorSpec {
                    selector,
                    namespace_selector,
                    endpoints,
                    job_label,
                    target_labels: targets.into_iter().collect(),
                    service_discovery_role: role,
                    selector_mechanism: mechanism,
                    scrape_protocols: protocols,
                    sample_limit: samples,
                    target_limit: targets_limit,
                    attach_metadata: node.map(|n| AttachMetadata { node: Some(n) }),
                    ..ServiceMonitorSpec::default()
                }
            },
        )
        .boxed()
}

/// ServiceMonitor objects.
pub fn service_monitor(size: CrdSize) -> BoxedStrategy<ServiceMonitor> {
    object(service_monitor_spec(size), size).boxed()
}

/// PodMonitor specs.
pub fn pod_monitor_spec(size: CrdSize) -> BoxedStrategy<PodMonitorSpec> {
    let endpoint = (
        prop_oneof![
            port_name().prop_map(|p| (Some(p), None)),
            port().prop_map(|p| (None, Some(p))),
        ],
        scrape_endpoint(size),
    )
        .prop_map(|((port, port_number), scrape)| PodMetricsEndpoint {
            port,
            port_number,
            scrape,
            ..PodMetricsEndpoint::default()
        });
    (
        label_selector(size),
        of(namespace_selector(size)),
        vec(endpoint, size.list()),
        of(prom_label()),
        btree_set(prom_label(), size.map()),
        scrape_protocols(),
        of(0u64..=100_000),
    )
        .prop_map(
            |(selector, namespace_selector, endpoints, job_label, targets, protocols, samples)| {
                PodMonitorSpec {
                    selector,
                    namespace_selector,
                    pod_metrics_endpoints: endpoints,
                    job_label,
                    pod_target_labels: targets.into_iter().collect(),
                    scrape_protocols: protocols,
                    sample_limit: samples,
                    ..PodMonitorSpec::default()
                }
            },
        )
        .boxed()
}

/// PodMonitor objects.
pub fn pod_monitor(size: CrdSize) -> BoxedStrategy<PodMonitor> {
    object(pod_monitor_spec(size), size).boxed()
}

fn promql() -> impl Strategy<Value = Expr> {
    prop_oneof![
        4 => (prom_label(), prom_label(), "[a-z0-9]{1,6}", prometheus_duration()).prop_map(
            |(metric, label, value, window)| Expr::Query(format!(
                "sum(rate({metric}_total{{{label}=\"{value}\"}}[{window}])) > 0"
            ))
        ),
        1 => (0i64..=10).prop_map(Expr::Number),
    ]
}

/// Alerting and recording rules.
pub fn rule(size: CrdSize) -> BoxedStrategy<Rule> {
    let alert = (
        "[A-Z][A-Za-z0-9]{0,12}",
        promql(),
        of(prometheus_duration()),
        of(prometheus_duration()),
        btree_map(prom_label(), "[a-z0-9]{1,8}", size.map()),
        btree_map(prom_label(), "[A-Za-z0-9 .]{0,20}", size.map()),
    )
        .prop_map(
            |(alert, expr, for_, keep_firing_for, labels, annotations)| {
                Rule::Alert(AlertingRule {
                    alert,
                    expr,
                    for_,
                    keep_firing_for,
                    labels,
                    annotations,
                })
            },
        );
    let record = (
        "[a-z_]{1,6}:[a-z_]{1,8}:[a-z0-9_]{1,6}",
        promql(),
        btree_map(prom_label(), "[a-z0-9]{1,8}", size.map()),
    )
        .prop_map(|(record, expr, labels)| {
            Rule::Record(RecordingRule {
                record,
                expr,
                labels,
            })
        });
    prop_oneof![alert, record].boxed()
}

/// PrometheusRule specs (group names distinct).
pub fn prometheus_rule_spec(size: CrdSize) -> BoxedStrategy<PrometheusRuleSpec> {
    let group = (
        "[a-z][a-z0-9.-]{0,12}",
        of(prometheus_duration()),
        of(0u64..=100),
        btree_map(prom_label(), "[a-z0-9]{1,8}", size.map()),
        vec(rule(size), size.list1()),
    )
        .prop_map(|(name, interval, limit, labels, rules)| RuleGroup {
            name,
            interval,
            limit,
            labels,
            rules,
            ..RuleGroup::default()
        });
    vec(group, size.list1())
        .prop_map(|groups| PrometheusRuleSpec {
            groups: unique_by(groups, |g| g.name.clone()),
        })
        .boxed()
}

/// PrometheusRule objects.
pub fn prometheus_rule(size: CrdSize) -> BoxedStrategy<PrometheusRule> {
    object(prometheus_rule_spec(size), size).boxed()
}

// === Helpers for property tests ===

/// `count` values drawn from `strategy` by a runner seeded with `seed`:
/// the same seed always gives the same values. Draws the strategy cannot
/// make (too many rejections) are skipped.
pub fn sample<S: Strategy>(strategy: &S, count: usize, seed: u64) -> Vec<S::Value> {
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..count)
        .filter_map(|_| strategy.new_tree(&mut runner).ok())
        .map(|tree| proptest::strategy::ValueTree::current(&tree))
        .collect()
}

/// Checks that `value` reads back equal after writing it as YAML (with
/// [`to_yaml_string`](crate::to_yaml_string), read by
/// [`from_yaml_str`](crate::from_yaml_str)) and as JSON; the error says
/// which step failed and shows the text.
pub fn round_trip<T>(value: &T) -> Result<(), String>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let yaml = crate::to_yaml_string(value).map_err(|e| format!("writing YAML: {e}"))?;
    let back: T =
        crate::from_yaml_str(&yaml).map_err(|e| format!("reading YAML back: {e}\n{yaml}"))?;
    if &back != value {
        return Err(format!(
            "YAML round trip changed the value:\n{yaml}\n{back:?}"
        ));
    }
    let json = serde_json::to_string(value).map_err(|e| format!("writing JSON: {e}"))?;
    let back: T =
        serde_json::from_str(&json).map_err(|e| format!("reading JSON back: {e}\n{json}"))?;
    if &back != value {
        return Err(format!("JSON round trip changed the value:\n{json}"));
    }
    Ok(())
}

/// Appends `items` to a multi-document YAML stream (`---` separated), each
/// preceded by a `# label i` comment, for one batched `crd-validate` run.
pub fn append_yaml<T: serde::Serialize>(
    stream: &mut String,
    label: &str,
    items: &[T],
) -> Result<(), mesh_model::yaml::YamlError> {
    for (i, item) in items.iter().enumerate() {
        stream.push_str(&format!("---\n# {label} {i}\n"));
        stream.push_str(&crate::to_yaml_string(item)?);
    }
    Ok(())
}
