//! Round trip of every Istio document of the corpus through the typed
//! structs, per kind and version.
//!
//! For each document: typed parse -> serialize -> compare with the input
//! (`json_diff`). When they differ, the known, lossless normalizations are
//! applied to the input and counted (per kind):
//!
//! - `empty-list`: an explicit empty list (`exportTo: []`) comes back
//!   absent (optional lists are `Vec` skipped when empty).
//! - `empty-map`: an explicit empty map of labels (`matchLabels: {}`)
//!   comes back absent.
//! - `no-spec` / `no-metadata`: a document without `spec`/`metadata`
//!   comes back with `spec: {}` / `metadata: {}` (`Object` always writes
//!   them).
//!
//! Anything else is a failure, unless the document is listed in
//! [`EXPECTED_FAILURES`] with the reason it is invalid.
//!
//! Counts on the Istio 1.30.3 corpus (every other document is byte-for-byte
//! the same JSON): `empty-map` 1 (ProxyConfig v1beta1 `matchLabels: {}`,
//! istio/valid); `no-spec` 6 (analyzer fixtures with only a status or only
//! metadata: 3 Sidecar, 2 AuthorizationPolicy, 1 ProxyConfig); `no-metadata`
//! 2 (IstioOperator samples). No `empty-list`. Explicit empty selectors
//! (`selector: {}`, `workloadSelector: {}`) come back as written.

use std::collections::BTreeMap;
use std::path::Path;

use mesh_k8s::testing::{self, Document};
use mesh_k8s::{Kind, Object};
use serde_json::Value;

use crate::crds::*;

type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Typed parse, then serialize; the YAML output must read back as the
/// JSON output (serde_yaml writes derived externally tagged enums as YAML
/// tags, which the API server would not read).
fn round_trip<S: Kind>(doc: &Value) -> Result<Value, String> {
    let obj: Object<S> = serde_json::from_value(doc.clone()).map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&obj).map_err(|e| e.to_string())?;
    let yaml = serde_yaml::to_string(&obj).map_err(|e| e.to_string())?;
    let from_yaml: Value = serde_yaml::from_str(&yaml).map_err(|e| e.to_string())?;
    if let Some(diff) = testing::json_diff(&json, &from_yaml) {
        return Err(format!(
            "YAML output differs from JSON output: {diff}\n{yaml}"
        ));
    }
    Ok(json)
}

/// The typed kinds: (group, kind, round trip).
pub(super) const KINDS: &[(&str, &str, RoundTrip)] = &[
    (
        "networking.istio.io",
        "VirtualService",
        round_trip::<VirtualServiceSpec>,
    ),
    (
        "networking.istio.io",
        "DestinationRule",
        round_trip::<DestinationRuleSpec>,
    ),
    ("networking.istio.io", "Gateway", round_trip::<GatewaySpec>),
    (
        "networking.istio.io",
        "ServiceEntry",
        round_trip::<ServiceEntrySpec>,
    ),
    ("networking.istio.io", "Sidecar", round_trip::<SidecarSpec>),
    (
        "networking.istio.io",
        "ProxyConfig",
        round_trip::<ProxyConfigSpec>,
    ),
    (
        "extensions.istio.io",
        "WasmPlugin",
        round_trip::<WasmPluginSpec>,
    ),
    (
        "install.istio.io",
        "IstioOperator",
        round_trip::<IstioOperatorSpec>,
    ),
    (
        "networking.istio.io",
        "EnvoyFilter",
        round_trip::<EnvoyFilterSpec>,
    ),
    (
        "networking.istio.io",
        "WorkloadEntry",
        round_trip::<WorkloadEntrySpec>,
    ),
    (
        "networking.istio.io",
        "WorkloadGroup",
        round_trip::<WorkloadGroupSpec>,
    ),
    (
        "security.istio.io",
        "PeerAuthentication",
        round_trip::<PeerAuthenticationSpec>,
    ),
    (
        "security.istio.io",
        "AuthorizationPolicy",
        round_trip::<AuthorizationPolicySpec>,
    ),
    (
        "security.istio.io",
        "RequestAuthentication",
        round_trip::<RequestAuthenticationSpec>,
    ),
    (
        "telemetry.istio.io",
        "Telemetry",
        round_trip::<TelemetrySpec>,
    ),
];

fn typed(doc: &Value) -> Option<RoundTrip> {
    let (api_version, kind) = testing::type_of(doc)?;
    let group = api_version.split('/').next()?;
    KINDS
        .iter()
        .find(|(g, k, _)| *g == group && *k == kind)
        .map(|(_, _, f)| *f)
}

/// Analyzer fixtures that are invalid objects (never applied to a server):
/// (file name, document index, why). They must fail to parse.
/// Analyzer fixtures that are invalid objects (never applied to a server;
/// see shared/tools/crd-validate/README.md "Known corpus failures"):
/// (file name, document index, why). They must fail to parse or, for a
/// missing required `spec`, to round trip (`Object` fills in a default
/// spec, which the round trip reports as changed).
const EXPECTED_FAILURES: &[(&str, usize, &str)] = &[
    (
        "analyzers__virtualservice_destinationhosts.yaml",
        8,
        "an HTTP route without the required `destination`",
    ),
    (
        "analyzers__virtualservice_destinationhosts.yaml",
        4,
        "ServiceEntry host `*`: hostname cannot be wildcard",
    ),
    (
        "analyzers__condition-analyzer.yaml",
        1,
        "ServiceEntry without the required spec (and an upper-case name)",
    ),
    (
        "analyzers__conflicting-gateways-invalid-port.yaml",
        0,
        "Gateway server without the required `port`",
    ),
    (
        "analyzers__conflicting-gateways-invalid-port.yaml",
        1,
        "Gateway server without the required `port`",
    ),
    (
        "analyzers__deprecation.yaml",
        0,
        "EnvoyFilter with the removed `workloadLabels`/`filters` fields",
    ),
    (
        "analyzers__envoy-filter-add-operation.yaml",
        3,
        "EnvoyFilter `match.app`: unknown field",
    ),
    (
        "analyzers__envoy-filter-add-operation.yaml",
        4,
        "EnvoyFilter `match.app`: unknown field",
    ),
    (
        "analyzers__envoy-filter-remove-operation.yaml",
        3,
        "EnvoyFilter `match: null` (not nullable)",
    ),
    (
        "analyzers__envoy-filter-remove-operation.yaml",
        4,
        "EnvoyFilter `match: null` / `patch: null` (not nullable)",
    ),
    (
        "analyzers__k8sgateway-selector.yaml",
        5,
        "Telemetry with both `selector` and `targetRefs`",
    ),
];

/// Removes from `expected` what the typed round trip normalizes, counting
/// each normalization by name.
fn normalize(expected: &mut Value, actual: &Value, counts: &mut BTreeMap<&'static str, usize>) {
    if let (Value::Array(e), Value::Array(a)) = (&mut *expected, actual) {
        for (x, y) in e.iter_mut().zip(a) {
            normalize(x, y, counts);
        }
        return;
    }
    let (Value::Object(e), Value::Object(a)) = (expected, actual) else {
        return;
    };
    e.retain(|k, v| {
        if a.contains_key(k) {
            return true;
        }
        let name = match v {
            Value::Array(x) if x.is_empty() => "empty-list",
            Value::Object(x) if x.is_empty() => "empty-map",
            _ => return true,
        };
        *counts.entry(name).or_default() += 1;
        false
    });
    for (k, v) in e.iter_mut() {
        if let Some(w) = a.get(k) {
            normalize(v, w, counts);
        }
    }
}

/// [`testing::read_documents`], file by file, with one fix-up: serde_yaml
/// (YAML 1.2) rejects plain scalars with colons in flow sequences
/// (`addresses: [1.2.3.4, 001:db8::]`), which kubectl's go-yaml v2 reads
/// as strings; such items are quoted before parsing.
fn read_documents(dir: &Path) -> Result<Vec<Document>, String> {
    let mut files = Vec::new();
    collect(dir, &mut files)?;
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let values = match parse_stream(&text) {
            Ok(v) => v,
            Err(_) => parse_stream(&quote_flow_colons(&text))
                .map_err(|e| format!("{}: {e}", path.display()))?,
        };
        for (index, value) in values.into_iter().enumerate() {
            out.push(Document {
                path: path.clone(),
                index,
                value,
            });
        }
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

fn parse_stream(text: &str) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let v: Value = serde::Deserialize::deserialize(doc).map_err(|e| e.to_string())?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(out)
}

fn quote_flow_colons(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        match (line.find(": ["), line.trim_end().strip_suffix(']')) {
            (Some(open), Some(body)) if body[open + 3..].contains(':') => {
                let items: Vec<String> = body[open + 3..]
                    .split(',')
                    .map(|i| {
                        let i = i.trim();
                        if i.starts_with('"') || i.starts_with('\'') {
                            i.to_owned()
                        } else {
                            format!("\"{i}\"")
                        }
                    })
                    .collect();
                out.push_str(&format!("{}: [{}]", &line[..open], items.join(", ")));
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[derive(Default)]
struct Stats {
    documents: usize,
    passed: usize,
    expected_failures: usize,
    normalizations: BTreeMap<&'static str, usize>,
}

fn file_name(d: &Document) -> String {
    d.path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn check_round_trips(dirs: &[&str]) -> Result<(), String> {
    let shared = match testing::require_shared() {
        Ok(s) => s,
        Err(why) if !testing::in_ci() => {
            eprintln!("skipped: {why}");
            return Ok(());
        }
        Err(why) => return Err(why),
    };
    let mut stats: BTreeMap<(String, String), Stats> = BTreeMap::new();
    let mut failures = Vec::new();
    for dir in dirs {
        let docs = read_documents(&shared.join("corpus/istio").join(dir))?;
        for doc in &docs {
            round_trip_one(Path::new(dir), doc, &mut stats, &mut failures);
        }
    }
    eprintln!(
        "{:<50} {:>5} {:>6} {:>8}  normalizations",
        "apiVersion kind", "docs", "passed", "expected"
    );
    for ((av, k), s) in &stats {
        eprintln!(
            "{:<50} {:>5} {:>6} {:>8}  {:?}",
            format!("{av} {k}"),
            s.documents,
            s.passed,
            s.expected_failures,
            s.normalizations
        );
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} failures:\n{}",
            failures.len(),
            failures.join("\n")
        ))
    }
}

fn round_trip_one(
    dir: &Path,
    doc: &Document,
    stats: &mut BTreeMap<(String, String), Stats>,
    failures: &mut Vec<String>,
) {
    let Some(rt) = typed(&doc.value) else { return };
    let Some((av, kind)) = testing::type_of(&doc.value) else {
        return;
    };
    let s = stats.entry((av.to_owned(), kind.to_owned())).or_default();
    s.documents += 1;
    let name = file_name(doc);
    let at = format!("{}/{name}:{} {kind}", dir.display(), doc.index);
    let expected_failure = EXPECTED_FAILURES
        .iter()
        .find(|(f, i, _)| *f == name && *i == doc.index);
    let result = rt(&doc.value);
    let changed = |out: &Value| testing::json_diff(&doc.value, out).is_some();
    match (result, expected_failure) {
        (Err(_), Some(_)) => s.expected_failures += 1,
        (Ok(out), Some(_)) if changed(&out) && doc.value.get("spec").is_none() => {
            s.expected_failures += 1;
        }
        (Ok(_), Some((_, _, why))) => {
            failures.push(format!("{at}: parsed, but listed as invalid ({why})"));
        }
        (Err(e), None) => failures.push(format!("{at}: {e}")),
        (Ok(out), None) => {
            let mut expected = doc.value.clone();
            let mut counts = BTreeMap::new();
            if let Value::Object(m) = &mut expected {
                for key in ["spec", "metadata"] {
                    if !m.contains_key(key) {
                        m.insert(key.to_owned(), Value::Object(Default::default()));
                        *counts
                            .entry(if key == "spec" {
                                "no-spec"
                            } else {
                                "no-metadata"
                            })
                            .or_default() += 1;
                    }
                }
            }
            normalize(&mut expected, &out, &mut counts);
            match testing::json_diff(&expected, &out) {
                None => {
                    s.passed += 1;
                    for (k, n) in counts {
                        *s.normalizations.entry(k).or_default() += n;
                    }
                }
                Some(diff) => failures.push(format!("{at}: {diff}")),
            }
        }
    }
}

#[test]
fn samples_round_trip() -> Result<(), String> {
    check_round_trips(&["samples"])
}

#[test]
fn valid_round_trip() -> Result<(), String> {
    check_round_trips(&["valid"])
}

#[test]
fn analyzers_round_trip() -> Result<(), String> {
    check_round_trips(&["analyzers"])
}

/// `istio/invalid` documents the typed structs accept anyway, with why:
/// (file name, document index, why). Every other document of a typed kind
/// must fail to parse once its `_err` key is removed. (The three documents
/// without the `spec` their schema requires are rejected since
/// `Kind::SPEC_REQUIRED`.)
const INVALID_BUT_PARSES: &[(&str, usize, &str)] = &[];

#[test]
fn invalid_documents_fail() -> Result<(), String> {
    let shared = match testing::require_shared() {
        Ok(s) => s,
        Err(why) if !testing::in_ci() => {
            eprintln!("skipped: {why}");
            return Ok(());
        }
        Err(why) => return Err(why),
    };
    let docs = read_documents(&shared.join("corpus/istio/invalid"))?;
    let mut problems = Vec::new();
    let (mut typed_docs, mut rejected, mut listed) = (0, 0, 0);
    for doc in &docs {
        let mut value = doc.value.clone();
        let err = value
            .as_object_mut()
            .and_then(|m| m.remove("_err"))
            .and_then(|e| e.as_str().map(str::to_owned))
            .unwrap_or_default();
        let Some(rt) = typed(&value) else { continue };
        typed_docs += 1;
        let name = file_name(doc);
        let at = format!("{name}:{}", doc.index);
        let listed_why = INVALID_BUT_PARSES
            .iter()
            .find(|(f, i, _)| *f == name && *i == doc.index);
        match (rt(&value), listed_why) {
            (Err(e), None) => {
                rejected += 1;
                eprintln!("{at}: rejected: {e}   (expected: {err})");
            }
            (Err(e), Some(_)) => problems.push(format!("{at}: listed as parsing, but: {e}")),
            (Ok(_), Some(_)) => listed += 1,
            (Ok(_), None) => problems.push(format!("{at}: parsed, expected error: {err}")),
        }
    }
    eprintln!(
        "invalid: {typed_docs} typed documents, {rejected} rejected, {listed} listed as accepted"
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problems:\n{}",
            problems.len(),
            problems.join("\n")
        ))
    }
}
