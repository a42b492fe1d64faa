//! Tests of the typed Linkerd kinds: `check_kind`, the corpus round trip,
//! version and oneOf checks, and validation of constructed objects.

use std::collections::BTreeMap;
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::testing::{crd_validate, in_ci, json_diff, require_shared, type_of};
use mesh_k8s::{GoDuration, Kind, Object, check_kind};
use serde_json::{Value, json};

use super::*;

fn shared_or_skip() -> Option<PathBuf> {
    match require_shared() {
        Ok(s) => Some(s),
        Err(why) => {
            assert!(!in_ci(), "{why}");
            eprintln!("skipped: {why}");
            None
        }
    }
}

fn port(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).unwrap()
}

#[test]
fn kinds_are_consistent() {
    let checks: [(&str, Result<(), String>); 14] = [
        ("Server", check_kind::<ServerSpec>()),
        (
            "ServerAuthorization",
            check_kind::<ServerAuthorizationSpec>(),
        ),
        (
            "AuthorizationPolicy",
            check_kind::<AuthorizationPolicySpec>(),
        ),
        (
            "MeshTLSAuthentication",
            check_kind::<MeshTlsAuthenticationSpec>(),
        ),
        (
            "NetworkAuthentication",
            check_kind::<NetworkAuthenticationSpec>(),
        ),
        ("HTTPRoute", check_kind::<HttpRouteSpec>()),
        ("EgressNetwork", check_kind::<EgressNetworkSpec>()),
        (
            "HTTPLocalRateLimitPolicy",
            check_kind::<HttpLocalRateLimitPolicySpec>(),
        ),
        ("ExternalWorkload", check_kind::<ExternalWorkloadSpec>()),
        (
            "ExternalWorkload v1alpha1",
            check_kind::<ExternalWorkloadV1Alpha1Spec>(),
        ),
        ("ServiceProfile", check_kind::<ServiceProfileSpec>()),
        ("TrafficSplit", check_kind::<TrafficSplitSpec>()),
        (
            "TrafficSplit v1alpha1",
            check_kind::<TrafficSplitV1Alpha1Spec>(),
        ),
        ("quantity", super::shared::check_quantity("1")),
    ];
    for (kind, result) in checks {
        assert_eq!(result, Ok(()), "{kind}");
    }
}

// === corpus round trip ===

/// One document of a corpus file. Files are read per file with
/// `serde_yaml::Value` first, which (like kubectl's strict decoding) rejects
/// duplicate keys; `mesh_k8s::testing::read_documents` goes straight to
/// `serde_json::Value` and keeps the last of duplicate keys instead.
struct Doc {
    file: String,
    index: usize,
    value: Result<Value, String>,
}

fn read_corpus(dir: &Path) -> Vec<Doc> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut index = 0;
        for doc in serde_yaml::Deserializer::from_str(&text) {
            let yaml: Result<serde_yaml::Value, _> = serde::Deserialize::deserialize(doc);
            let value = match yaml {
                Ok(serde_yaml::Value::Null) => continue,
                Ok(y) => serde_json::to_value(y).map_err(|e| e.to_string()),
                Err(e) => Err(format!("YAML: {e}")),
            };
            out.push(Doc {
                file: file.clone(),
                index,
                value,
            });
            index += 1;
        }
    }
    out
}

/// Parses `doc` as `Object<S>`, writes it back and compares; returns the
/// typed object written as YAML.
fn round_trip<S: Kind>(doc: &Value) -> Result<String, String> {
    let typed: Object<S> =
        serde_json::from_value(doc.clone()).map_err(|e| format!("parse: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("serialize: {e}"))?;
    let (expected, _) = normalize(doc);
    match json_diff(&expected, &back) {
        None => mesh_k8s::to_yaml_string(&typed).map_err(|e| format!("YAML: {e}")),
        Some(d) => Err(format!("round trip differs: {d}")),
    }
}

/// The one normalization the corpus needs: `metadata.creationTimestamp:
/// null` (written by `linkerd profile`) is dropped by k8s-openapi's
/// `ObjectMeta`, which has no "null" for it. Returns whether it applied.
fn normalize(doc: &Value) -> (Value, bool) {
    let mut doc = doc.clone();
    let dropped = doc
        .get_mut("metadata")
        .and_then(Value::as_object_mut)
        .filter(|m| m.get("creationTimestamp") == Some(&Value::Null))
        .and_then(|m| m.remove("creationTimestamp"))
        .is_some();
    (doc, dropped)
}

/// Round trip by `apiVersion`/`kind`; `None` for kinds that are not ours
/// (Gateway API kinds belong to mesh-k8s, core kinds to k8s-openapi).
fn round_trip_any(api_version: &str, kind: &str, doc: &Value) -> Option<Result<String, String>> {
    let group = api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    Some(match (group, kind) {
        ("policy.linkerd.io", "Server") => round_trip::<ServerSpec>(doc),
        ("policy.linkerd.io", "ServerAuthorization") => round_trip::<ServerAuthorizationSpec>(doc),
        ("policy.linkerd.io", "AuthorizationPolicy") => round_trip::<AuthorizationPolicySpec>(doc),
        ("policy.linkerd.io", "MeshTLSAuthentication") => {
            round_trip::<MeshTlsAuthenticationSpec>(doc)
        }
        ("policy.linkerd.io", "NetworkAuthentication") => {
            round_trip::<NetworkAuthenticationSpec>(doc)
        }
        ("policy.linkerd.io", "HTTPRoute") => round_trip::<HttpRouteSpec>(doc),
        ("policy.linkerd.io", "EgressNetwork") => round_trip::<EgressNetworkSpec>(doc),
        ("policy.linkerd.io", "HTTPLocalRateLimitPolicy") => {
            round_trip::<HttpLocalRateLimitPolicySpec>(doc)
        }
        ("workload.linkerd.io", "ExternalWorkload") if api_version.ends_with("/v1alpha1") => {
            round_trip::<ExternalWorkloadV1Alpha1Spec>(doc)
        }
        ("workload.linkerd.io", "ExternalWorkload") => round_trip::<ExternalWorkloadSpec>(doc),
        ("linkerd.io", "ServiceProfile") => round_trip::<ServiceProfileSpec>(doc),
        ("split.smi-spec.io", "TrafficSplit") if api_version.ends_with("/v1alpha1") => {
            round_trip::<TrafficSplitV1Alpha1Spec>(doc)
        }
        ("split.smi-spec.io", "TrafficSplit") => round_trip::<TrafficSplitSpec>(doc),
        (g, _) if g.ends_with("linkerd.io") || g.ends_with("smi-spec.io") => {
            Err(format!("{api_version} {kind} is not typed here"))
        }
        _ => return None,
    })
}

/// Corpus documents that are invalid upstream and must fail, with the reason
/// (`shared/tools/crd-validate/README.md`, "Known corpus failures").
const EXPECTED_FAILURES: &[(&str, usize, &str)] = &[
    (
        "website__2-edge_tasks_adding-non-kubernetes-workloads__L532.yaml",
        0,
        "a Server and an AuthorizationPolicy without `---` between them: duplicate keys, \
         which kubectl's strict decoding rejects",
    ),
    (
        "website__blog_2022_0309-linkerd-multi-cluster-failover_index__L71.yaml",
        0,
        "TrafficSplit with name/annotations/labels/service/backends mis-indented to the top \
         level (unknown fields, `spec: null`)",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L221.yaml",
        0,
        "Server policy.linkerd.io/v1beta1 with spec.accessPolicy, which only v1beta3 has",
    ),
    (
        "website__2-edge_tasks_adding-non-kubernetes-workloads__L223.yaml",
        0,
        "shell placeholder `$machine_IP` where workloadIPs[].ip needs an IP address (the CRD \
         does not check the format, Linkerd's controller does); covered with the placeholder \
         substituted by `corpus_placeholders_substituted`",
    ),
];

#[test]
fn corpus_round_trip() {
    let Some(shared) = shared_or_skip() else {
        return;
    };
    let docs = read_corpus(&shared.join("corpus/linkerd"));
    // (apiVersion, kind) -> (documents, passed, expected failures)
    let mut counts: BTreeMap<(String, String), (usize, usize, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut expected_seen = 0;
    let mut null_timestamps = 0;
    let mut written = Vec::new();
    for doc in &docs {
        if let Ok(v) = &doc.value {
            null_timestamps += usize::from(normalize(v).1);
        }
        let expected = EXPECTED_FAILURES
            .iter()
            .find(|(f, i, _)| *f == doc.file && *i == doc.index);
        let (key, result) = match &doc.value {
            Ok(v) => {
                let Some((av, kind)) = type_of(v) else {
                    continue;
                };
                match round_trip_any(av, kind, v) {
                    None => continue,
                    Some(r) => ((av.to_owned(), kind.to_owned()), r),
                }
            }
            Err(e) => (
                ("(unparsable YAML)".to_owned(), String::new()),
                Err(e.clone()),
            ),
        };
        let entry = counts.entry(key).or_default();
        entry.0 += 1;
        match (result, expected) {
            (Ok(yaml), None) => {
                entry.1 += 1;
                written.push(yaml);
            }
            (Err(_), Some(_)) => {
                entry.2 += 1;
                expected_seen += 1;
            }
            (Ok(_), Some((_, _, why))) => problems.push(format!(
                "{}:{} parsed but is expected to fail: {why}",
                doc.file, doc.index
            )),
            (Err(e), None) => problems.push(format!("{}:{}: {e}", doc.file, doc.index)),
        }
    }
    for ((av, kind), (n, ok, expected)) in &counts {
        println!("{av} {kind}: {n} documents, {ok} round-tripped, {expected} expected failures");
    }
    println!("normalized: metadata.creationTimestamp: null dropped in {null_timestamps} documents");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        null_timestamps, 1,
        "the ServiceProfile of website 2.15 tasks/books, from `linkerd profile`"
    );
    assert_eq!(
        expected_seen,
        EXPECTED_FAILURES.len(),
        "every expected failure was seen"
    );
    // The corpus has documents of these kinds; make sure they were all found.
    let total: usize = counts.values().map(|c| c.0).sum();
    assert!(
        total >= 100,
        "only {total} documents of Linkerd/SMI kinds found"
    );
    // What the types write (as YAML, like `Manifests::write_yaml`) is
    // accepted by the CRDs: one crd-validate call for all of it.
    let report = crd_validate(&written.join("---\n")).unwrap();
    println!(
        "crd-validate on {} written documents: {}",
        written.len(),
        report.output.trim()
    );
    assert!(report.passed, "{}", report.output);
}

/// The `$machine_IP` document, with the placeholder replaced by a
/// documentation address, round-trips; the placeholder itself does not
/// parse.
#[test]
fn corpus_placeholders_substituted() {
    let Some(shared) = shared_or_skip() else {
        return;
    };
    let path = shared.join(
        "corpus/linkerd/website/website__2-edge_tasks_adding-non-kubernetes-workloads__L223.yaml",
    );
    let text = std::fs::read_to_string(path).unwrap();
    for (placeholder, substitute, ok) in [
        ("$machine_IP", "$machine_IP", false),
        ("$machine_IP", "192.0.2.10", true),
        ("$machine_IP", "2001:db8::10", true),
    ] {
        let doc: Value = serde_yaml::from_str(&text.replace(placeholder, substitute)).unwrap();
        let r = round_trip::<ExternalWorkloadSpec>(&doc);
        assert_eq!(r.is_ok(), ok, "{substitute}: {r:?}");
    }
}

// === version and oneOf checks ===

#[test]
fn invalid_documents_are_rejected() {
    fn server(av: &str, spec: Value) -> Result<Server, serde_json::Error> {
        serde_json::from_value(
            json!({"apiVersion": av, "kind": "Server", "metadata": {"name": "s"}, "spec": spec}),
        )
    }
    fn route(av: &str, rule: Value) -> Result<HttpRoute, serde_json::Error> {
        serde_json::from_value(
            json!({"apiVersion": av, "kind": "HTTPRoute", "metadata": {"name": "r"},
            "spec": {"parentRefs": [{"name": "s", "kind": "Server", "group": "policy.linkerd.io"}], "rules": [rule]}}),
        )
    }
    let sel = json!({"matchLabels": {"app": "web"}});
    let cases: Vec<(&str, bool)> = vec![
        // Server: accessPolicy only in v1beta3.
        ("v1beta3 accessPolicy", server("policy.linkerd.io/v1beta3", json!({"podSelector": sel, "port": 80, "accessPolicy": "audit"})).is_ok()),
        ("v1beta2 accessPolicy", server("policy.linkerd.io/v1beta2", json!({"podSelector": sel, "port": 80, "accessPolicy": "audit"})).is_err()),
        ("v1beta1 accessPolicy", server("policy.linkerd.io/v1beta1", json!({"podSelector": sel, "port": 80, "accessPolicy": "deny"})).is_err()),
        ("v1beta2 externalWorkloadSelector", server("policy.linkerd.io/v1beta2", json!({"externalWorkloadSelector": sel, "port": "http"})).is_ok()),
        ("v1beta1 externalWorkloadSelector", server("policy.linkerd.io/v1beta1", json!({"externalWorkloadSelector": sel, "port": "http"})).is_err()),
        ("both selectors", server("policy.linkerd.io/v1beta3", json!({"podSelector": sel, "externalWorkloadSelector": sel, "port": 80})).is_err()),
        ("no selector", server("policy.linkerd.io/v1beta3", json!({"port": 80})).is_err()),
        ("v1alpha1 empty podSelector", server("policy.linkerd.io/v1alpha1", json!({"podSelector": {}, "port": 80})).is_err()),
        ("v1beta1 empty podSelector", server("policy.linkerd.io/v1beta1", json!({"podSelector": {}, "port": 80})).is_ok()),
        ("port 0", server("policy.linkerd.io/v1beta3", json!({"podSelector": sel, "port": 0})).is_err()),
        ("unknown proxyProtocol", server("policy.linkerd.io/v1beta3", json!({"podSelector": sel, "port": 80, "proxyProtocol": "http"})).is_err()),
        ("unknown selector operator", server("policy.linkerd.io/v1beta3", json!({"podSelector": {"matchExpressions": [{"key": "a", "operator": "Equals"}]}, "port": 80})).is_err()),
        ("unknown selector field", server("policy.linkerd.io/v1beta3", json!({"podSelector": {"matchLabel": {}}, "port": 80})).is_err()),
        ("unknown spec field", server("policy.linkerd.io/v1beta3", json!({"podSelector": sel, "port": 80, "protocol": "HTTP/1"})).is_err()),
        ("unserved version", server("policy.linkerd.io/v1", json!({"podSelector": sel, "port": 80})).is_err()),
        // HTTPRoute: timeouts only in v1beta3, backend weight from v1beta2.
        ("v1beta3 timeouts", route("policy.linkerd.io/v1beta3", json!({"timeouts": {"request": "10s"}})).is_ok()),
        ("v1beta2 timeouts", route("policy.linkerd.io/v1beta2", json!({"timeouts": {"request": "10s"}})).is_err()),
        ("bad timeout", route("policy.linkerd.io/v1beta3", json!({"timeouts": {"request": "10 seconds"}})).is_err()),
        ("v1beta2 weight", route("policy.linkerd.io/v1beta2", json!({"backendRefs": [{"name": "b", "port": 80, "weight": 10}]})).is_ok()),
        ("weight above 1000000", route("policy.linkerd.io/v1beta3", json!({"backendRefs": [{"name": "b", "weight": 1_000_001}]})).is_err()),
        ("v1beta1 weight", route("policy.linkerd.io/v1beta1", json!({"backendRefs": [{"name": "b", "port": 80, "weight": 10}]})).is_err()),
        ("filter matching its type", route("policy.linkerd.io/v1beta3", json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {"statusCode": 301}}]})).is_ok()),
        ("filter missing its field", route("policy.linkerd.io/v1beta3", json!({"filters": [{"type": "RequestHeaderModifier"}]})).is_err()),
        ("filter with another field", route("policy.linkerd.io/v1beta3", json!({"filters": [{"type": "RequestRedirect", "requestHeaderModifier": {}}]})).is_err()),
        ("rule-level response filter", route("policy.linkerd.io/v1beta3", json!({"filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {}}]})).is_err()),
        ("backend-level response filter", route("policy.linkerd.io/v1beta3", json!({"backendRefs": [{"name": "b", "filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"remove": ["x"]}}]}]})).is_ok()),
        ("redirect status 307", route("policy.linkerd.io/v1beta3", json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {"statusCode": 307}}]})).is_err()),
        ("unknown method", route("policy.linkerd.io/v1beta3", json!({"matches": [{"method": "get"}]})).is_err()),
    ];
    let failed: Vec<_> = cases
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    assert!(failed.is_empty(), "unexpected outcome for: {failed:?}");
}

#[test]
fn one_of_fields_are_enforced() {
    fn parse<S: Kind>(av: &str, kind: &str, spec: Value) -> bool {
        serde_json::from_value::<Object<S>>(
            json!({"apiVersion": av, "kind": kind, "metadata": {"name": "x"}, "spec": spec}),
        )
        .is_ok()
    }
    let saz = |spec| {
        parse::<ServerAuthorizationSpec>("policy.linkerd.io/v1beta1", "ServerAuthorization", spec)
    };
    let mtls = |spec| {
        parse::<MeshTlsAuthenticationSpec>(
            "policy.linkerd.io/v1alpha1",
            "MeshTLSAuthentication",
            spec,
        )
    };
    let ts = |av, spec| parse::<TrafficSplitSpec>(av, "TrafficSplit", spec);
    let ts1 = |spec| {
        parse::<TrafficSplitV1Alpha1Spec>("split.smi-spec.io/v1alpha1", "TrafficSplit", spec)
    };
    let sp = |spec| parse::<ServiceProfileSpec>("linkerd.io/v1alpha2", "ServiceProfile", spec);
    let cases: Vec<(&str, bool, bool)> = vec![
        (
            "saz name",
            saz(json!({"server": {"name": "s"}, "client": {"unauthenticated": true}})),
            true,
        ),
        (
            "saz name and selector",
            saz(
                json!({"server": {"name": "s", "selector": {}}, "client": {"unauthenticated": true}}),
            ),
            false,
        ),
        (
            "saz client neither",
            saz(json!({"server": {"name": "s"}, "client": {"networks": [{"cidr": "10.0.0.0/8"}]}})),
            false,
        ),
        (
            "saz client both",
            saz(
                json!({"server": {"name": "s"}, "client": {"unauthenticated": true, "meshTLS": {"identities": ["*"]}}}),
            ),
            false,
        ),
        (
            "saz unauthenticatedTLS",
            saz(
                json!({"server": {"name": "s"}, "client": {"meshTLS": {"unauthenticatedTLS": true}}}),
            ),
            true,
        ),
        (
            "saz unauthenticatedTLS with identities",
            saz(
                json!({"server": {"name": "s"}, "client": {"meshTLS": {"unauthenticatedTLS": true, "identities": ["*"]}}}),
            ),
            false,
        ),
        (
            "saz bad cidr",
            saz(
                json!({"server": {"name": "s"}, "client": {"unauthenticated": true, "networks": [{"cidr": "10.0.0.0/40"}]}}),
            ),
            false,
        ),
        ("mtls identities", mtls(json!({"identities": ["*"]})), true),
        (
            "mtls both",
            mtls(
                json!({"identities": ["*"], "identityRefs": [{"kind": "ServiceAccount", "name": "a"}]}),
            ),
            false,
        ),
        ("mtls neither", mtls(json!({})), false),
        ("mtls empty list", mtls(json!({"identities": []})), false),
        (
            "ts v1alpha2 integer",
            ts(
                "split.smi-spec.io/v1alpha2",
                json!({"service": "a", "backends": [{"service": "b", "weight": 1}]}),
            ),
            true,
        ),
        (
            "ts v1alpha2 quantity",
            ts(
                "split.smi-spec.io/v1alpha2",
                json!({"service": "a", "backends": [{"service": "b", "weight": "500m"}]}),
            ),
            false,
        ),
        (
            "ts v1alpha2 matches",
            ts(
                "split.smi-spec.io/v1alpha2",
                json!({"service": "a", "backends": [], "matches": [{"kind": "HTTPRouteGroup", "name": "g"}]}),
            ),
            false,
        ),
        (
            "ts v1alpha4 matches",
            ts(
                "split.smi-spec.io/v1alpha4",
                json!({"service": "a", "backends": [], "matches": [{"kind": "HTTPRouteGroup", "name": "g"}]}),
            ),
            true,
        ),
        (
            "ts v1alpha3 not served",
            ts(
                "split.smi-spec.io/v1alpha3",
                json!({"service": "a", "backends": []}),
            ),
            false,
        ),
        (
            "ts v1alpha1 quantity",
            ts1(json!({"service": "a", "backends": [{"service": "b", "weight": "500m"}]})),
            true,
        ),
        (
            "ts v1alpha1 integer",
            ts1(json!({"service": "a", "backends": [{"service": "b", "weight": 500}]})),
            true,
        ),
        (
            "ts v1alpha1 bad quantity",
            ts1(json!({"service": "a", "backends": [{"service": "b", "weight": "half"}]})),
            false,
        ),
        (
            "sp recursive condition",
            sp(
                json!({"routes": [{"name": "r", "condition": {"any": [{"method": "GET"}, {"all": [{"pathRegex": "/a"}], "not": [{"method": "POST"}]}]}}]}),
            ),
            true,
        ),
        (
            "sp response not",
            sp(
                json!({"routes": [{"name": "r", "condition": {"method": "GET"}, "responseClasses": [{"condition": {"not": {"status": {"min": 500}}}, "isFailure": true}]}]}),
            ),
            true,
        ),
        (
            "sp bad ttl",
            sp(
                json!({"routes": [], "retryBudget": {"retryRatio": 0.2, "minRetriesPerSecond": 10, "ttl": "ten"}}),
            ),
            false,
        ),
        (
            "sp dstOverride quantity",
            sp(json!({"routes": [], "dstOverrides": [{"authority": "a:80", "weight": "500m"}]})),
            true,
        ),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .filter(|(_, got, want)| got != want)
        .map(|(n, ..)| *n)
        .collect();
    assert!(wrong.is_empty(), "unexpected outcome for: {wrong:?}");
}

// === constructed objects ===

fn labels(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        match_expressions: None,
    }
}

fn to_yaml<S: Kind>(o: &Object<S>) -> String {
    mesh_k8s::to_yaml_string(o).unwrap()
}

#[test]
fn constructed_objects_validate() {
    let ns = Some("emojivoto");
    let server = Server::new(
        "web-http",
        ns,
        ServerSpec {
            selector: WorkloadSelector::Pod(labels(&[("app", "web-svc")])),
            port: Port::Name("http".to_owned()),
            proxy_protocol: Some(ProxyProtocol::Http1),
            access_policy: Some(AccessPolicy::Audit),
        },
    );
    let external_server = Server::new(
        "vm-http",
        ns,
        ServerSpec {
            selector: WorkloadSelector::ExternalWorkload(labels(&[("app", "legacy")])),
            port: Port::Number(port(8080)),
            proxy_protocol: Some(ProxyProtocol::Http2),
            access_policy: None,
        },
    )
    .with_version("v1beta2")
    .unwrap();
    let route = HttpRoute::new(
        "web-get",
        ns,
        HttpRouteSpec {
            parent_refs: vec![ParentRef::server("web-http")],
            rules: vec![RouteRule {
                matches: vec![RouteMatch {
                    path: Some(PathMatch::prefix("/api/")),
                    method: Some(Method::Get),
                    headers: vec![HeaderMatch {
                        type_: Some(ValueMatchType::RegularExpression),
                        name: "x-user".to_owned(),
                        value: "^test-.*$".to_owned(),
                    }],
                    ..RouteMatch::default()
                }],
                filters: vec![RouteFilter::RequestHeaderModifier(HeaderModifier {
                    set: vec![Header {
                        name: "x-route".to_owned(),
                        value: "web-get".to_owned(),
                    }],
                    ..HeaderModifier::default()
                })],
                timeouts: Some(RouteTimeouts {
                    request: Some(GoDuration::parse("10s").unwrap()),
                    backend_request: Some(GoDuration::parse("2s").unwrap()),
                }),
                ..RouteRule::default()
            }],
            ..HttpRouteSpec::default()
        },
    );
    let outbound_route = HttpRoute::new(
        "web-split",
        ns,
        HttpRouteSpec {
            parent_refs: vec![ParentRef::service("web-svc", port(80))],
            rules: vec![RouteRule {
                backend_refs: vec![
                    BackendRef {
                        name: "web-svc".to_owned(),
                        port: Some(port(80)),
                        weight: Some(90),
                        ..BackendRef::default()
                    },
                    BackendRef {
                        name: "web-svc-v2".to_owned(),
                        port: Some(port(80)),
                        weight: Some(10),
                        filters: vec![BackendFilter::ResponseHeaderModifier(HeaderModifier {
                            add: vec![Header {
                                name: "x-canary".to_owned(),
                                value: "true".to_owned(),
                            }],
                            ..HeaderModifier::default()
                        })],
                        ..BackendRef::default()
                    },
                ],
                ..RouteRule::default()
            }],
            ..HttpRouteSpec::default()
        },
    )
    .with_version("v1beta2")
    .unwrap();
    let mtls = MeshTlsAuthentication::new(
        "web-clients",
        ns,
        MeshTlsAuthenticationSpec::Identities(vec![
            "vote-bot.emojivoto.serviceaccount.identity.linkerd.cluster.local".to_owned(),
            "*.linkerd-viz.serviceaccount.identity.linkerd.cluster.local".to_owned(),
        ]),
    );
    let mtls_sa = MeshTlsAuthentication::new(
        "web-accounts",
        ns,
        MeshTlsAuthenticationSpec::IdentityRefs(vec![
            IdentityRef::service_account("web", None),
            IdentityRef::service_account("prometheus", Some("linkerd-viz")),
        ]),
    );
    let net = NetworkAuthentication::new(
        "cluster-nets",
        ns,
        NetworkAuthenticationSpec {
            networks: vec![
                Network {
                    cidr: "10.0.0.0/8".parse().unwrap(),
                    except: vec!["10.0.99.0/24".parse().unwrap(), "10.0.0.1".parse().unwrap()],
                },
                Network::new("fd00::/8".parse().unwrap()),
            ],
        },
    );
    let authz_server = AuthorizationPolicy::new(
        "web-http-authz",
        ns,
        AuthorizationPolicySpec {
            target_ref: PolicyTarget::Server("web-http".to_owned()),
            required_authentication_refs: vec![
                AuthenticationRef::MeshTls {
                    name: "web-clients".to_owned(),
                    namespace: None,
                },
                AuthenticationRef::Network {
                    name: "cluster-nets".to_owned(),
                    namespace: Some("emojivoto".to_owned()),
                },
            ],
        },
    );
    let authz_route = AuthorizationPolicy::new(
        "web-get-authz",
        ns,
        AuthorizationPolicySpec {
            target_ref: PolicyTarget::HttpRoute("web-get".to_owned()),
            required_authentication_refs: vec![AuthenticationRef::ServiceAccount {
                name: "web".to_owned(),
                namespace: None,
            }],
        },
    );
    let saz = ServerAuthorization::new(
        "web-saz",
        ns,
        ServerAuthorizationSpec {
            server: ServerSelector::Selector(labels(&[("app", "web-svc")])),
            client: Client {
                networks: vec![Network::new("0.0.0.0/0".parse().unwrap())],
                authentication: ClientAuthentication::MeshTls {
                    identities: vec![
                        "*.emojivoto.serviceaccount.identity.linkerd.cluster.local".to_owned(),
                    ],
                    service_accounts: vec![ServiceAccountRef {
                        name: "web".to_owned(),
                        namespace: None,
                    }],
                },
            },
        },
    );
    let rate_limit = HttpLocalRateLimitPolicy::new(
        "web-rl",
        ns,
        HttpLocalRateLimitPolicySpec {
            target_ref: PolicyTarget::Server("web-http".to_owned()),
            total: Some(RateLimit {
                requests_per_second: 100,
            }),
            identity: Some(RateLimit {
                requests_per_second: 20,
            }),
            overrides: vec![RateLimitOverride {
                requests_per_second: 25,
                client_refs: vec![AuthenticationRef::ServiceAccount {
                    name: "special-client".to_owned(),
                    namespace: Some("emojivoto".to_owned()),
                }],
            }],
        },
    );
    let egress = EgressNetwork::new(
        "internet",
        Some("linkerd-egress"),
        EgressNetworkSpec {
            traffic_policy: TrafficPolicy::Allow,
            networks: vec![Network {
                cidr: "0.0.0.0/0".parse().unwrap(),
                except: vec!["10.0.0.0/8".parse().unwrap()],
            }],
        },
    );
    let workload = ExternalWorkload::new(
        "vm-1",
        ns,
        ExternalWorkloadSpec {
            mesh_tls: WorkloadTls {
                identity: "spiffe://root.linkerd.cluster.local/vm-1".to_owned(),
                server_name: "vm-1.cluster.local".to_owned(),
            },
            ports: vec![WorkloadPort {
                name: Some("http".to_owned()),
                port: port(80),
                protocol: Some(Protocol::Tcp),
            }],
            workload_ips: vec![WorkloadIp {
                ip: Some("192.0.2.10".parse().unwrap()),
            }],
        },
    );
    // Like the ServiceProfile of shared/seeds/001, with its retryBudget moved
    // to the spec: the seed's route-level `retryBudget` is not in the CRD
    // (routes have no such field) and would be rejected.
    let budget = RetryBudget {
        retry_ratio: 0.2,
        min_retries_per_second: 10,
        ttl: GoDuration::parse("10s").unwrap(),
    };
    let profile = ServiceProfile::new(
        "webapp.default.svc.cluster.local",
        Some("default"),
        ServiceProfileSpec {
            routes: vec![
                Route {
                    name: "GET".to_owned(),
                    condition: RequestMatch {
                        method: Some("GET".to_owned()),
                        path_regex: Some("/".to_owned()),
                        ..RequestMatch::default()
                    },
                    response_classes: vec![ResponseClass {
                        condition: ResponseMatch {
                            status: Some(StatusRange {
                                min: Some(200),
                                max: Some(299),
                            }),
                            ..ResponseMatch::default()
                        },
                        is_failure: Some(false),
                    }],
                    ..Route::default()
                },
                Route {
                    name: "POST".to_owned(),
                    condition: RequestMatch {
                        all: vec![
                            RequestMatch {
                                method: Some("POST".to_owned()),
                                ..RequestMatch::default()
                            },
                            RequestMatch {
                                path_regex: Some("/api".to_owned()),
                                ..RequestMatch::default()
                            },
                        ],
                        ..RequestMatch::default()
                    },
                    is_retryable: Some(true),
                    timeout: Some(GoDuration::parse("30s").unwrap()),
                    ..Route::default()
                },
            ],
            retry_budget: Some(budget),
            ..ServiceProfileSpec::default()
        },
    );
    let split = TrafficSplit::new(
        "web-svc-split",
        ns,
        TrafficSplitSpec {
            service: "web-svc".to_owned(),
            backends: vec![
                SplitBackend {
                    service: "web-svc-v1".to_owned(),
                    weight: 500,
                },
                SplitBackend {
                    service: "web-svc-v2".to_owned(),
                    weight: 500,
                },
            ],
            matches: Vec::new(),
        },
    );
    let split_v1alpha1 = TrafficSplitV1Alpha1::new(
        "web-svc-split-old",
        ns,
        TrafficSplitV1Alpha1Spec {
            service: "web-svc".to_owned(),
            backends: vec![
                SplitBackend {
                    service: "web-svc-v1".to_owned(),
                    weight: QuantityWeight::quantity("900m").unwrap(),
                },
                SplitBackend {
                    service: "web-svc-v2".to_owned(),
                    weight: QuantityWeight::Number(0),
                },
            ],
        },
    );
    let docs = [
        to_yaml(&server),
        to_yaml(&external_server),
        to_yaml(&route),
        to_yaml(&outbound_route),
        to_yaml(&mtls),
        to_yaml(&mtls_sa),
        to_yaml(&net),
        to_yaml(&authz_server),
        to_yaml(&authz_route),
        to_yaml(&saz),
        to_yaml(&rate_limit),
        to_yaml(&egress),
        to_yaml(&workload),
        to_yaml(&profile),
        to_yaml(&split),
        to_yaml(&split_v1alpha1),
    ];
    // Each one also reads back to the same object.
    for d in &docs {
        let v: Value = serde_yaml::from_str(d).unwrap();
        let (av, kind) = type_of(&v).unwrap();
        let r = round_trip_any(av, kind, &v).unwrap();
        assert!(r.is_ok(), "{d}: {r:?}");
    }
    let stream = docs.join("---\n");
    if shared_or_skip().is_none() {
        return;
    }
    let report = crd_validate(&stream).unwrap();
    assert!(report.passed, "{}\n{stream}", report.output);
}

/// The seed's ServiceProfile as written (route-level `retryBudget`) is
/// rejected, like the API server would.
#[test]
fn seed_route_level_retry_budget_is_rejected() {
    let doc = json!({
        "apiVersion": "linkerd.io/v1alpha2", "kind": "ServiceProfile",
        "metadata": {"name": "webapp.default.svc.cluster.local", "namespace": "default"},
        "spec": {"routes": [{"name": "POST", "condition": {"method": "POST", "pathRegex": "/api"},
            "timeout": "30s", "retryBudget": {"retryRatio": 0.2, "minRetriesPerSecond": 10, "ttl": "10s"}}]}
    });
    assert!(round_trip::<ServiceProfileSpec>(&doc).is_err());
}
