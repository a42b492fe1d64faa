//! Tests of the Gateway API kinds: the corpus round trip, the upstream
//! invalid examples, experimental fields, constructed objects validated by
//! `crd-validate`, and tables of the rules the types check.

use std::collections::BTreeMap;
use std::num::NonZeroU16;
use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::GoDuration;
use crate::testing::{self, Document};
use crate::{ApplyOrder, Kind, Object, check_kind};

// === Helpers ===

/// The kinds of this module.
const KINDS: [&str; 5] = [
    "HTTPRoute",
    "GRPCRoute",
    "Gateway",
    "GatewayClass",
    "ReferenceGrant",
];

/// `Some(shared dir)`, or `None` after printing why the test is skipped
/// (failing in CI).
fn shared() -> Option<std::path::PathBuf> {
    match testing::require_shared() {
        Ok(dir) => Some(dir),
        Err(why) if testing::in_ci() => panic!("{why}"),
        Err(why) => {
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// Parses a document as the typed kind and serializes it back.
fn round_trip(doc: &Value) -> Result<Value, String> {
    fn go<S: Kind>(doc: &Value) -> Result<Value, String> {
        let obj: Object<S> = serde_json::from_value(doc.clone()).map_err(|e| e.to_string())?;
        serde_json::to_value(&obj).map_err(|e| e.to_string())
    }
    match testing::type_of(doc).map(|(_, k)| k) {
        Some("HTTPRoute") => go::<HttpRouteSpec>(doc),
        Some("GRPCRoute") => go::<GrpcRouteSpec>(doc),
        Some("Gateway") => go::<GatewaySpec>(doc),
        Some("GatewayClass") => go::<GatewayClassSpec>(doc),
        Some("ReferenceGrant") => go::<ReferenceGrantSpec>(doc),
        other => Err(format!("not a Gateway API kind: {other:?}")),
    }
}

/// Documents of this module's kinds below `dir`. Files are read one by
/// one (not with [`testing::read_documents`], which stops at the first file
/// serde_yaml cannot read: the corpus has a few Istio files with YAML 1.1
/// plain scalars it rejects); a file that cannot be read but mentions
/// `gateway.networking.k8s.io` is an error.
fn gateway_documents(dir: &Path) -> Vec<Document> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                walk(&path, out);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut docs = Vec::new();
        let mut index = 0;
        for de in serde_yaml::Deserializer::from_str(&text) {
            match <Value as serde::Deserialize>::deserialize(de) {
                Ok(Value::Null) => {}
                Ok(value) => {
                    docs.push(Document {
                        path: path.clone(),
                        index,
                        value,
                    });
                    index += 1;
                }
                Err(e) => {
                    assert!(
                        !text.contains("gateway.networking.k8s.io/"),
                        "{}: {e}",
                        path.display()
                    );
                    docs.clear();
                    break;
                }
            }
        }
        out.extend(docs.into_iter().filter(|d| {
            testing::type_of(&d.value).is_some_and(|(api, kind)| {
                api.starts_with("gateway.networking.k8s.io/") && KINDS.contains(&kind)
            })
        }));
    }
    out
}

fn file_name(doc: &Document) -> String {
    doc.path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The one normalization of the round trip: an HTTP path match is an enum
/// that always writes its `type` (and `value`), so a path match written
/// with the defaults omitted (`path: {value: /store}`) comes back with
/// `type: PathPrefix` (resp. `value: /`). Applies that to `doc` and returns
/// how many fields it added.
fn normalize_path_defaults(doc: &mut Value) -> usize {
    let mut added = 0;
    let rules = doc.pointer_mut("/spec/rules").and_then(Value::as_array_mut);
    for rule in rules.into_iter().flatten() {
        let matches = rule.get_mut("matches").and_then(Value::as_array_mut);
        for m in matches.into_iter().flatten() {
            if let Some(path) = m.get_mut("path").and_then(Value::as_object_mut) {
                for (k, v) in [("type", "PathPrefix"), ("value", "/")] {
                    if !path.contains_key(k) {
                        path.insert(k.to_owned(), json!(v));
                        added += 1;
                    }
                }
            }
        }
    }
    added
}

// === Kinds ===

#[test]
fn kinds_are_consistent() {
    let table: [(&str, Result<(), String>, ApplyOrder, ApplyOrder); 5] = [
        (
            "HTTPRoute",
            check_kind::<HttpRouteSpec>(),
            HttpRouteSpec::APPLY_ORDER,
            ApplyOrder::Route,
        ),
        (
            "GRPCRoute",
            check_kind::<GrpcRouteSpec>(),
            GrpcRouteSpec::APPLY_ORDER,
            ApplyOrder::Route,
        ),
        (
            "Gateway",
            check_kind::<GatewaySpec>(),
            GatewaySpec::APPLY_ORDER,
            ApplyOrder::Gateway,
        ),
        (
            "GatewayClass",
            check_kind::<GatewayClassSpec>(),
            GatewayClassSpec::APPLY_ORDER,
            ApplyOrder::Gateway,
        ),
        (
            "ReferenceGrant",
            check_kind::<ReferenceGrantSpec>(),
            ReferenceGrantSpec::APPLY_ORDER,
            ApplyOrder::Gateway,
        ),
    ];
    for (kind, check, order, expected) in table {
        assert_eq!(check, Ok(()), "{kind}");
        assert_eq!(order, expected, "{kind}");
    }
}

// === Corpus ===

/// Documents of the valid corpus folders that must fail to parse, by file
/// name and document index, with the reason.
///
/// None of them is a shortcoming of the types: the API server with the
/// v1.6.1 standard CRDs rejects them too (or, for the two analyzer
/// fixtures, would reject their status).
const EXPECTED_CORPUS_FAILURES: &[(&str, usize, &str)] = &[
    // Istio analyzer fixture: hand-written route statuses without the
    // required `status.parents[].controllerName` (never applied to a
    // server; crd-validate drops status on create and so accepts them).
    (
        "analyzers__condition-analyzer.yaml",
        5,
        "HTTPRoute status.parents[0].controllerName missing",
    ),
    (
        "analyzers__condition-analyzer.yaml",
        6,
        "GRPCRoute status.parents[0].controllerName missing",
    ),
    // Linkerd docs on GRPCRoute v1alpha2: not served by the v1.6.1 standard
    // channel (crd-validate accepts them against Linkerd's bundled CRDs).
    (
        "website__2-edge_reference_grpcroute__L62.yaml",
        0,
        "GRPCRoute v1alpha2 not served",
    ),
    (
        "website__2-edge_reference_retries__L100.yaml",
        0,
        "GRPCRoute v1alpha2 not served",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L265.yaml",
        0,
        "GRPCRoute v1alpha2 not served",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L285.yaml",
        0,
        "GRPCRoute v1alpha2 not served",
    ),
    // HTTPRoute v1alpha2 no longer exists in any CRD (crd-validate README,
    // "Known corpus failures").
    (
        "website__2.17_tasks_managing-egress-traffic__L164.yaml",
        0,
        "HTTPRoute v1alpha2 not served",
    ),
    (
        "website__2.17_tasks_managing-egress-traffic__L408.yaml",
        0,
        "HTTPRoute v1alpha2 not served",
    ),
    // ReferenceGrant v1alpha2: only in Consul's bundled (older) CRDs.
    (
        "learn__api-gateway_local_two-services_referencegrant.yaml",
        0,
        "ReferenceGrant v1alpha2 not served",
    ),
];

#[test]
fn corpus_round_trip() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus");
    let mut docs = gateway_documents(&corpus.join("gateway-api/examples"));
    for dir in ["istio", "linkerd", "consul"] {
        docs.extend(gateway_documents(&corpus.join(dir)));
    }
    // kind -> (documents, passed, normalized fields, expected failures)
    let mut counts: BTreeMap<String, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut problems = Vec::new();
    for doc in &docs {
        let (api, kind) = testing::type_of(&doc.value).unwrap_or_default();
        let key = format!("{kind} {}", api.rsplit('/').next().unwrap_or(api));
        let entry = counts.entry(key).or_default();
        entry.0 += 1;
        let name = file_name(doc);
        let expected_failure = EXPECTED_CORPUS_FAILURES
            .iter()
            .find(|(f, i, _)| *f == name && *i == doc.index);
        let mut expected = doc.value.clone();
        let normalized = normalize_path_defaults(&mut expected);
        match (round_trip(&doc.value), expected_failure) {
            (Ok(out), None) => match testing::json_diff(&expected, &out) {
                None => {
                    entry.1 += 1;
                    entry.2 += normalized;
                }
                Some(diff) => problems.push(format!("{name}:{}: {diff}", doc.index)),
            },
            (Err(e), None) => problems.push(format!("{name}:{}: {e}", doc.index)),
            (Err(_), Some(_)) => entry.3 += 1,
            (Ok(_), Some((_, _, why))) => problems.push(format!(
                "{name}:{}: parsed, but listed as expected failure ({why})",
                doc.index
            )),
        }
    }
    for (kind, (n, ok, norm, fail)) in &counts {
        eprintln!(
            "{kind}: {n} documents, {ok} round-tripped ({norm} path defaults added), {fail} expected failures"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        counts.values().map(|c| c.3).sum::<usize>(),
        EXPECTED_CORPUS_FAILURES.len()
    );
}

/// What reading each upstream invalid example (corpus/gateway-api/invalid)
/// gives: `Err(part of the error)`, or `Ok(why it parses)`. Every one of
/// this module's kinds is rejected for the reason in its file name, except
/// one that the standard CRD accepts too.
const INVALID_CORPUS: &[(&str, Result<&str, &str>)] = &[
    (
        "invalid__experimental_httproute_invalid-filter-externalauth-bad-http-path.yaml",
        Err("unknown field `externalAuth`"),
    ),
    (
        "invalid__experimental_httproute_invalid-filter-externalauth-empty.yaml",
        Err("unknown variant `ExternalAuth`"),
    ),
    (
        "invalid__experimental_httproute_invalid-filter-externalauth-no-protocol.yaml",
        Err("unknown field `externalAuth`"),
    ),
    // Only the experimental CRD has the header-value pattern that forbids
    // CR/LF; the standard schema (maxLength only) and crd-validate accept it.
    (
        "invalid__experimental_httproute_invalid-header-value.yaml",
        Ok("standard schema has no header value pattern"),
    ),
    (
        "invalid__standard_gateway_duplicate-listeners.yaml",
        Err("listeners: duplicate entry"),
    ),
    (
        "invalid__standard_gateway_hostname-tcp.yaml",
        Err("hostname must not be specified"),
    ),
    (
        "invalid__standard_gateway_hostname-udp.yaml",
        Err("hostname must not be specified"),
    ),
    (
        "invalid__standard_gateway_invalid-addresses.yaml",
        Err("is not a valid IPAddress value"),
    ),
    (
        "invalid__standard_gateway_invalid-listener-name.yaml",
        Err("name must be a DNS-1123 subdomain"),
    ),
    (
        "invalid__standard_gateway_invalid-listener-port.yaml",
        Err("expected a nonzero u16"),
    ),
    (
        "invalid__standard_gateway_invalid-tls-mode.yaml",
        Err("tls mode must be Terminate"),
    ),
    (
        "invalid__standard_gateway_tlsconfig-tcp.yaml",
        Err("tls must not be specified"),
    ),
    (
        "invalid__standard_gatewayclass_invalid-controller.yaml",
        Err("is not a valid controller name"),
    ),
    (
        "invalid__standard_httproute_duplicate-header-match.yaml",
        Err("headers: duplicate entry"),
    ),
    (
        "invalid__standard_httproute_duplicate-query-match.yaml",
        Err("queryParams: duplicate entry"),
    ),
    (
        "invalid__standard_httproute_httproute-portless-backend.yaml",
        Err("Must have port for Service reference"),
    ),
    (
        "invalid__standard_httproute_httproute-portless-service.yaml",
        Err("Must have port for Service reference"),
    ),
    (
        "invalid__standard_httproute_invalid-backend-group.yaml",
        Err("is not an API group"),
    ),
    (
        "invalid__standard_httproute_invalid-backend-kind.yaml",
        Err("is not a kind"),
    ),
    (
        "invalid__standard_httproute_invalid-backend-port.yaml",
        Err("expected a nonzero u16"),
    ),
    (
        "invalid__standard_httproute_invalid-filter-duplicate-header.yaml",
        Err("duplicate entry"),
    ),
    (
        "invalid__standard_httproute_invalid-filter-duplicate.yaml",
        Err("cannot be repeated"),
    ),
    (
        "invalid__standard_httproute_invalid-filter-empty.yaml",
        Err("needs exactly the field `requestHeaderModifier`"),
    ),
    (
        "invalid__standard_httproute_invalid-filter-wrong-field.yaml",
        Err("needs exactly the field `requestHeaderModifier`"),
    ),
    (
        "invalid__standard_httproute_invalid-header-name.yaml",
        Err("is not a valid header name"),
    ),
    (
        "invalid__standard_httproute_invalid-hostname.yaml",
        Err("is not a valid list of hostnames"),
    ),
    (
        "invalid__standard_httproute_invalid-httpredirect-hostname.yaml",
        Err("is not a valid precise hostname"),
    ),
    (
        "invalid__standard_httproute_invalid-method.yaml",
        Err("unknown variant `NOTREAL`"),
    ),
    (
        "invalid__standard_httproute_invalid-path-alphanum-specialchars-mix.yaml",
        Err("must only contain valid characters"),
    ),
    (
        "invalid__standard_httproute_invalid-path-specialchars.yaml",
        Err("must only contain valid characters"),
    ),
    (
        "invalid__standard_httproute_invalid-request-redirect-with-backendref.yaml",
        Err("must not be used together with backendRefs"),
    ),
    (
        "invalid__standard_referencegrant_missing-from.yaml",
        Err("missing field `from`"),
    ),
    (
        "invalid__standard_referencegrant_missing-ns.yaml",
        Err("missing field `namespace`"),
    ),
    (
        "invalid__standard_referencegrant_missing-to.yaml",
        Err("missing field `to`"),
    ),
];

#[test]
fn invalid_corpus_is_rejected() {
    let Some(shared) = shared() else { return };
    let docs = gateway_documents(&shared.join("corpus/gateway-api/invalid"));
    // The two TLSRoute files are not of this module's kinds.
    assert_eq!(docs.len(), INVALID_CORPUS.len());
    for doc in &docs {
        let name = file_name(doc);
        let expected = INVALID_CORPUS
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, e)| *e)
            .unwrap_or_else(|| panic!("{name} is not in the table"));
        match (round_trip(&doc.value), expected) {
            (Err(e), Err(part)) => assert!(e.contains(part), "{name}: {e}"),
            (Ok(_), Ok(_)) => {}
            (got, want) => panic!("{name}: got {got:?}, expected {want:?}"),
        }
    }
}

// === Experimental fields ===

/// Fields that exist only in the experimental channel's schemas of these
/// kinds (v1.6.1): rejected as unknown, as an API server with the standard
/// CRDs does. (The corpus's `examples__experimental_*` files of these kinds
/// happen to use only standard fields and round-trip above.)
#[test]
fn experimental_fields_are_rejected() {
    let route = |rule: Value| {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
               "metadata": {"name": "r"}, "spec": {"rules": [rule]}})
    };
    let table: [(&str, Value, &str); 8] = [
        (
            "HTTPRoute ExternalAuth filter type",
            route(json!({"filters": [{"type": "ExternalAuth"}]})),
            "unknown variant `ExternalAuth`",
        ),
        (
            "HTTPRoute rules[].retry",
            route(json!({"retry": {"attempts": 2}})),
            "unknown field `retry`",
        ),
        (
            "HTTPRoute rules[].sessionPersistence",
            route(json!({"sessionPersistence": {"type": "Cookie"}})),
            "unknown field `sessionPersistence`",
        ),
        (
            "HTTPRoute ExternalAuth filter",
            route(
                json!({"filters": [{"type": "ExternalAuth", "externalAuth": {"protocol": "HTTP"}}]}),
            ),
            "unknown field `externalAuth`",
        ),
        (
            "HTTPRoute spec.useDefaultGateways",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                   "metadata": {"name": "r"}, "spec": {"useDefaultGateways": "All"}}),
            "unknown field `useDefaultGateways`",
        ),
        (
            "GRPCRoute spec.useDefaultGateways",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
                   "metadata": {"name": "r"}, "spec": {"useDefaultGateways": "All"}}),
            "unknown field `useDefaultGateways`",
        ),
        (
            "GRPCRoute rules[].sessionPersistence",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
                   "metadata": {"name": "r"}, "spec": {"rules": [{"sessionPersistence": {}}]}}),
            "unknown field `sessionPersistence`",
        ),
        (
            "Gateway spec.defaultScope",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
                   "metadata": {"name": "g"}, "spec": {"gatewayClassName": "c", "defaultScope": "All",
                   "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}}),
            "unknown field `defaultScope`",
        ),
    ];
    for (case, doc, error) in table {
        match round_trip(&doc) {
            Err(e) => assert!(e.contains(error), "{case}: {e}"),
            Ok(_) => panic!("{case}: parsed"),
        }
    }
}

// === Rules checked when reading ===

#[test]
fn rules_checked_when_reading() {
    let rule = |rule: Value| {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
               "metadata": {"name": "r"}, "spec": {"rules": [rule]}})
    };
    let listener = |l: Value| {
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
               "metadata": {"name": "g"}, "spec": {"gatewayClassName": "c", "listeners": [l]}})
    };
    let backend = json!({"name": "svc", "port": 80});
    // (case, document, None if valid / Some(part of the error))
    let table: Vec<(&str, Value, Option<&str>)> = vec![
        (
            "path default",
            rule(json!({"matches": [{"path": {}}]})),
            None,
        ),
        (
            "regex path is free",
            rule(
                json!({"matches": [{"path": {"type": "RegularExpression", "value": "^/[a-z]+$"}}]}),
            ),
            None,
        ),
        (
            "relative path",
            rule(json!({"matches": [{"path": {"type": "Exact", "value": "foo"}}]})),
            Some("absolute path"),
        ),
        (
            "path with //",
            rule(json!({"matches": [{"path": {"value": "/a//b"}}]})),
            Some("'//'"),
        ),
        (
            "path ending /..",
            rule(json!({"matches": [{"path": {"value": "/a/.."}}]})),
            Some("'/..'"),
        ),
        (
            "bad escape",
            rule(json!({"matches": [{"path": {"value": "/a%zz"}}]})),
            Some("%XX"),
        ),
        (
            "good escape",
            rule(json!({"matches": [{"path": {"value": "/a%20b"}}]})),
            None,
        ),
        (
            "unknown path type",
            rule(json!({"matches": [{"path": {"type": "Prefix", "value": "/"}}]})),
            Some("unknown variant"),
        ),
        (
            "filter without type",
            rule(json!({"filters": [{"requestHeaderModifier": {}}]})),
            Some("missing filter type"),
        ),
        (
            "two configs",
            rule(json!({"filters": [{"type": "CORS", "cors": {}, "requestHeaderModifier": {}}]})),
            Some("needs exactly"),
        ),
        (
            "redirect + rewrite",
            rule(json!({"filters": [
            {"type": "RequestRedirect", "requestRedirect": {}}, {"type": "URLRewrite", "urlRewrite": {}}]})),
            Some("URLRewrite"),
        ),
        (
            "extensionRef repeats",
            rule(json!({"filters": [
            {"type": "ExtensionRef", "extensionRef": {"group": "x.io", "kind": "A", "name": "a"}},
            {"type": "ExtensionRef", "extensionRef": {"group": "x.io", "kind": "A", "name": "b"}}]})),
            None,
        ),
        (
            "prefix rewrite needs one prefix match",
            rule(
                json!({"matches": [{"path": {"type": "Exact", "value": "/a"}}],
            "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/b"}}}],
            "backendRefs": [backend]}),
            ),
            Some("exactly one PathPrefix match"),
        ),
        (
            "prefix rewrite, default match",
            rule(json!({
            "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/b"}}}],
            "backendRefs": [backend]})),
            None,
        ),
        (
            "path modifier type mismatch",
            rule(json!({"filters": [{"type": "URLRewrite",
            "urlRewrite": {"path": {"type": "ReplaceFullPath", "replacePrefixMatch": "/b"}}}]})),
            Some("replaceFullPath"),
        ),
        (
            "redirect status 304",
            rule(
                json!({"filters": [{"type": "RequestRedirect", "requestRedirect": {"statusCode": 304}}]}),
            ),
            Some("301, 302"),
        ),
        (
            "mirror percent and fraction",
            rule(
                json!({"filters": [{"type": "RequestMirror", "requestMirror": {
            "backendRef": backend, "percent": 10, "fraction": {"numerator": 1}}}]}),
            ),
            Some("Only one of percent or fraction"),
        ),
        (
            "mirror percent 101",
            rule(
                json!({"filters": [{"type": "RequestMirror", "requestMirror": {
            "backendRef": backend, "percent": 101}}]}),
            ),
            Some("greater than 100"),
        ),
        (
            "fraction over 1",
            rule(
                json!({"filters": [{"type": "RequestMirror", "requestMirror": {
            "backendRef": backend, "fraction": {"numerator": 5, "denominator": 4}}}]}),
            ),
            Some("numerator"),
        ),
        (
            "mirror to portless service",
            rule(
                json!({"filters": [{"type": "RequestMirror", "requestMirror": {
            "backendRef": {"name": "svc"}}}]}),
            ),
            Some("Must have port"),
        ),
        (
            "portless non-Service backend",
            rule(json!({"backendRefs": [{"group": "x.io", "kind": "Backend", "name": "b"}]})),
            None,
        ),
        (
            "weight too big",
            rule(json!({"backendRefs": [{"name": "svc", "port": 80, "weight": 1_000_001}]})),
            Some("greater than 1000000"),
        ),
        (
            "zero weight",
            rule(json!({"backendRefs": [{"name": "svc", "port": 80, "weight": 0}]})),
            None,
        ),
        (
            "cors wildcard alone",
            rule(
                json!({"filters": [{"type": "CORS", "cors": {"allowOrigins": ["*", "https://a.com"]}}]}),
            ),
            Some("'*'"),
        ),
        (
            "cors method wildcard",
            rule(
                json!({"filters": [{"type": "CORS", "cors": {"allowMethods": ["*"], "maxAge": 10}}]}),
            ),
            None,
        ),
        (
            "cors maxAge 0",
            rule(json!({"filters": [{"type": "CORS", "cors": {"maxAge": 0}}]})),
            Some("nonzero"),
        ),
        (
            "timeouts ok",
            rule(json!({"timeouts": {"request": "1m30s", "backendRequest": "500ms"}})),
            None,
        ),
        (
            "timeout fraction",
            rule(json!({"timeouts": {"request": "1.5s"}})),
            Some("not a Gateway API duration"),
        ),
        (
            "backend timeout longer",
            rule(json!({"timeouts": {"request": "1s", "backendRequest": "2s"}})),
            Some("cannot be longer"),
        ),
        (
            "request timeout disabled",
            rule(json!({"timeouts": {"request": "0s", "backendRequest": "2s"}})),
            None,
        ),
        (
            "empty rules",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r"}, "spec": {"rules": []}}),
            Some("at least 1"),
        ),
        (
            "TLS listener needs tls",
            listener(json!({"name": "tls", "port": 443, "protocol": "TLS"})),
            Some("tls mode must be set"),
        ),
        (
            "passthrough",
            listener(
                json!({"name": "tls", "port": 443, "protocol": "TLS", "tls": {"mode": "Passthrough"}}),
            ),
            None,
        ),
        (
            "terminate needs certificates",
            listener(json!({"name": "h", "port": 443, "protocol": "HTTPS", "tls": {}})),
            Some("certificateRefs or options"),
        ),
        (
            "custom protocol",
            listener(json!({"name": "mesh", "port": 15008, "protocol": "HBONE"})),
            None,
        ),
        (
            "no listeners",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "g"}, "spec": {"gatewayClassName": "c", "listeners": []}}),
            Some("at least 1"),
        ),
        (
            "same port/protocol/hostname",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "g"}, "spec": {"gatewayClassName": "c", "listeners": [
                {"name": "a", "port": 80, "protocol": "HTTP"}, {"name": "b", "port": 80, "protocol": "HTTP"}]}}),
            Some("must be unique"),
        ),
        (
            "grpc method needs service or method",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
            "metadata": {"name": "r"}, "spec": {"rules": [{"matches": [{"method": {"type": "Exact"}}]}]}}),
            Some("One or both"),
        ),
        (
            "grpc bad service",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
            "metadata": {"name": "r"}, "spec": {"rules": [{"matches": [{"method": {"service": "a/b"}}]}]}}),
            Some("dotted gRPC service"),
        ),
        (
            "grpc regex service is free",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
            "metadata": {"name": "r"}, "spec": {"rules": [{"matches": [{"method": {"type": "RegularExpression", "service": "a.*"}}]}]}}),
            None,
        ),
        (
            "grpc has no redirect filter",
            json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GRPCRoute",
            "metadata": {"name": "r"}, "spec": {"rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {}}]}]}}),
            Some("unknown field `requestRedirect`"),
        ),
        (
            "grpc v1beta1 not served",
            json!({"apiVersion": "gateway.networking.k8s.io/v1beta1", "kind": "GRPCRoute",
            "metadata": {"name": "r"}, "spec": {}}),
            Some("not a served version"),
        ),
    ];
    for (case, doc, error) in table {
        match (round_trip(&doc), error) {
            (Ok(out), None) => {
                let mut expected = doc.clone();
                normalize_path_defaults(&mut expected);
                assert_eq!(testing::json_diff(&expected, &out), None, "{case}");
            }
            (Err(e), Some(part)) => assert!(e.contains(part), "{case}: {e}"),
            (got, want) => panic!("{case}: got {got:?}, expected error {want:?}"),
        }
    }
}

// === Constructed objects ===

fn port(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("non-zero port")
}

/// A mesh HTTPRoute with a Service parent, weighted backends, filters and
/// timeouts.
fn mesh_route() -> HttpRoute {
    let reviews = ServiceRef::new("reviews", port(9080));
    HttpRoute::for_service("reviews", "bookinfo", reviews.clone())
        .with_rule(
            HttpRouteRule::new()
                .named("canary")
                .matching(
                    HttpRouteMatch::path_prefix("/reviews")
                        .with_header(HeaderMatch::exact("x-canary", "true"))
                        .with_method(HttpMethod::Get),
                )
                .with_filter(HttpRouteFilter::RequestHeaderModifier(
                    HeaderModifier::new()
                        .set("x-mesh", "meshwright")
                        .remove("x-debug"),
                ))
                .with_filter(HttpRouteFilter::ResponseHeaderModifier(
                    HeaderModifier::new().add("x-served-by", "reviews"),
                ))
                .with_filter(HttpRouteFilter::mirror_to_service(
                    "reviews-shadow",
                    port(9080),
                ))
                .with_filter(HttpRouteFilter::UrlRewrite(UrlRewrite {
                    hostname: None,
                    path: Some(PathModifier::ReplacePrefixMatch("/v2/reviews".to_owned())),
                }))
                .with_timeouts(
                    HttpRouteTimeouts::request(GoDuration::parse("10s").expect("duration"))
                        .with_backend_request(GoDuration::parse("2s").expect("duration")),
                )
                .with_backend(
                    HttpBackendRef::service("reviews-v1", port(9080))
                        .with_weight(Weight::new(90).expect("weight")),
                )
                .with_backend(
                    HttpBackendRef::service("reviews-v2", port(9080))
                        .with_weight(Weight::new(10).expect("weight")),
                ),
        )
        .with_rule(HttpRouteRule::forward_to(reviews.backend()))
}

fn constructed() -> (HttpRoute, GrpcRoute, Gateway, GatewayClass, ReferenceGrant) {
    let grpc = GrpcRoute::for_service("users", "prod", ServiceRef::new("users", port(50051)))
        .with_rule(GrpcRouteRule {
            matches: vec![GrpcRouteMatch::method(GrpcMethodMatch::exact(
                "com.example.User",
                "Login",
            ))],
            filters: vec![GrpcRouteFilter::RequestHeaderModifier(
                HeaderModifier::new().add("x-route", "login"),
            )],
            backend_refs: vec![
                GrpcBackendRef::service("users-v1", port(50051))
                    .with_weight(Weight::new(1).expect("weight")),
                GrpcBackendRef::service("users-v2", port(50051))
                    .with_weight(Weight::new(3).expect("weight")),
            ],
            ..GrpcRouteRule::default()
        });
    let gateway = Gateway::with_listener(
        "public",
        "infra",
        "meshwright",
        Listener::https(
            "https",
            port(443),
            ListenerTls::terminate(SecretObjectReference::secret("example-com-cert")),
        )
        .with_hostname("*.example.com")
        .with_allowed_routes(AllowedRoutes {
            namespaces: Some(RouteNamespaces {
                from: Some(RouteNamespacesFrom::All),
                selector: None,
            }),
            kinds: vec![RouteGroupKind {
                group: None,
                kind: "HTTPRoute".to_owned(),
            }],
        }),
    );
    let class = GatewayClass::for_controller("meshwright", "example.com/gateway-controller");
    let grant = Object::new(
        "allow-infra-routes",
        Some("bookinfo"),
        ReferenceGrantSpec {
            from: vec![ReferenceGrantFrom::http_routes("infra")],
            to: vec![ReferenceGrantTo::services()],
        },
    );
    (mesh_route(), grpc, gateway, class, grant)
}

#[test]
fn constructed_objects_validate() {
    let (route, grpc, gateway, class, grant) = constructed();
    let mut v1beta1 = route.clone().with_version("v1beta1").expect("served");
    v1beta1.metadata.name = Some("reviews-beta".to_owned());
    let docs = [
        serde_json::to_value(&route),
        serde_json::to_value(&v1beta1),
        serde_json::to_value(&grpc),
        serde_json::to_value(&gateway),
        serde_json::to_value(&class),
        serde_json::to_value(&grant),
    ]
    .map(|d| d.expect("serializes"));
    // Every constructed object also reads back unchanged, through the checks.
    for doc in &docs {
        let back = round_trip(doc).unwrap_or_else(|e| panic!("{e}\n{doc:#}"));
        assert_eq!(testing::json_diff(doc, &back), None);
    }
    route
        .spec
        .rules
        .iter()
        .try_for_each(HttpRouteRule::check)
        .expect("valid rules");
    let Some(_) = shared() else { return };
    let yaml = docs
        .iter()
        .map(|d| crate::to_yaml_string(d).expect("yaml"))
        .collect::<Vec<_>>()
        .join("---\n");
    let report = testing::crd_validate(&yaml).expect("crd-validate runs");
    assert!(report.passed, "{}\n{yaml}", report.output);
}

#[test]
fn builders_write_what_they_say() {
    let route = mesh_route();
    let parent = &route.spec.parent_refs[0];
    assert_eq!(
        (
            parent.effective_group(),
            parent.effective_kind(),
            parent.port
        ),
        ("", "Service", Some(port(9080)))
    );
    let value = serde_json::to_value(&route).expect("serializes");
    assert_eq!(
        value.pointer("/spec/rules/0/filters/3"),
        Some(&json!({"type": "URLRewrite", "urlRewrite": {"path": {
            "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2/reviews"}}}))
    );
    assert_eq!(
        value.pointer("/spec/rules/0/backendRefs/0"),
        Some(&json!({"name": "reviews-v1", "port": 9080, "weight": 90}))
    );
    assert_eq!(route.spec.rules[0].backend_refs[1].effective_weight(), 10);
    assert_eq!(route.spec.rules[1].backend_refs[0].effective_weight(), 1);
    assert_eq!(route.api_version(), "gateway.networking.k8s.io/v1");
}
