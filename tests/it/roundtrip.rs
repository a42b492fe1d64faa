//! Round trip of EVERY document of `shared/corpus` through the parse
//! dispatchers: read (mesh_k8s::testing::read_corpus, the library's strict
//! reader) → typed parse with the object enum of the document's mesh
//! (its API group's mesh; for shared kinds the mesh of the corpus folder,
//! `gateway-api/` → `K8sObject`) → serialize → compare as JSON values. The
//! YAML the `roundtrip` example writes must read back as the same JSON.
//!
//! Every document lands in exactly one column of the per-kind table:
//!
//! - `equal`: the output is the input, as JSON values (`json_diff`).
//! - `normalized`: equal after these explicit, lossless rules, each counted:
//!   - `empty-list` / `empty-map`: an explicit `[]` / `{}` of an optional
//!     field comes back absent (optional lists and maps are skipped when
//!     empty; where empty and absent differ, the types keep the empty one);
//!   - `null`: an explicit `null` comes back absent (`creationTimestamp:
//!     null` from `kubectl --dry-run -o yaml` / `linkerd profile`);
//!   - `no-spec` / `no-metadata`: a document without `spec` / `metadata`
//!     comes back with `spec: {}` / `metadata: {}` (`Object` writes both);
//!   - `path-default`: a Gateway API path match without `type` / `value`
//!     comes back with the defaults `PathPrefix` / `/` (the match is an enum).
//! - `unknown kind`: a kind meshwright does not type (Deployment, Pod,
//!   TCPRoute, ...): rejected as an unknown kind, by design.
//! - `expected failure`: a document that is invalid upstream (the
//!   folders in [`INVALID_FOLDERS`], and the documents in
//!   [`EXPECTED_FAILURES`] with the reason, from
//!   shared/tools/crd-validate/README.md "Known corpus failures" and the
//!   per-crate corpus tests): it must fail to read, parse, or round trip.
//!
//! Anything else fails the test.

#![cfg(all(feature = "istio", feature = "linkerd", feature = "consul"))]

use std::collections::BTreeMap;
use std::path::Path;

use mesh_k8s::parse::{K8sObject, ParseObject, Problem, parse_str};
use mesh_k8s::testing::{self, json_diff};
use meshwright::MeshKind;
use serde_json::Value;

/// (corpus file name, document index, why it is invalid).
const EXPECTED_FAILURES: &[(&str, usize, &str)] = &[
    // istio analyzer fixtures (never applied to a server).
    (
        "analyzers__virtualservice_destinationhosts.yaml",
        8,
        "HTTP route without the required `destination`",
    ),
    (
        "analyzers__virtualservice_destinationhosts.yaml",
        4,
        "ServiceEntry host `*`: hostname cannot be wildcard",
    ),
    (
        "analyzers__condition-analyzer.yaml",
        1,
        "ServiceEntry without the required spec",
    ),
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
    // Linkerd docs.
    (
        "website__2-edge_tasks_adding-non-kubernetes-workloads__L532.yaml",
        0,
        "two objects without `---` between them: duplicate keys (kubectl rejects them too)",
    ),
    (
        "website__blog_2022_0309-linkerd-multi-cluster-failover_index__L71.yaml",
        0,
        "TrafficSplit fields mis-indented to the top level",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L221.yaml",
        0,
        "Server v1beta1 with spec.accessPolicy, which only v1beta3 has",
    ),
    (
        "website__2-edge_tasks_adding-non-kubernetes-workloads__L223.yaml",
        0,
        "shell placeholder `$machine_IP` where an IP address is required",
    ),
    (
        "website__2-edge_reference_grpcroute__L62.yaml",
        0,
        "GRPCRoute v1alpha2: not served by Gateway API v1.6.1",
    ),
    (
        "website__2-edge_reference_retries__L100.yaml",
        0,
        "GRPCRoute v1alpha2: not served by Gateway API v1.6.1",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L265.yaml",
        0,
        "GRPCRoute v1alpha2: not served by Gateway API v1.6.1",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__L285.yaml",
        0,
        "GRPCRoute v1alpha2: not served by Gateway API v1.6.1",
    ),
    (
        "website__2.17_tasks_managing-egress-traffic__L164.yaml",
        0,
        "HTTPRoute v1alpha2: no longer in any CRD",
    ),
    (
        "website__2.17_tasks_managing-egress-traffic__L408.yaml",
        0,
        "HTTPRoute v1alpha2: no longer in any CRD",
    ),
    // Consul tutorials.
    (
        "learn__api-gateway_local_two-services_referencegrant.yaml",
        0,
        "ReferenceGrant v1alpha2: only in Consul's bundled, older CRDs",
    ),
    // A limit of the YAML reader, not of the document: serde_yaml (YAML 1.2)
    // rejects a plain scalar with colons in a flow sequence
    // (`[240.240.0.1, 2001:db8::1]`), which kubectl's go-yaml reads as a
    // string. Quoting the addresses makes it readable.
    (
        "validation__serviceentry-valid.yaml",
        0,
        "YAML reader: unquoted IPv6 address in a flow sequence",
    ),
];

/// Folders whose every document must fail, with why.
const INVALID_FOLDERS: &[(&str, &str)] = &[
    (
        "istio/invalid",
        "invalid on purpose (and each carries the test-only `_err` key)",
    ),
    ("gateway-api/invalid", "invalid on purpose"),
    (
        "istio/analyzers/meshconfig",
        "istioctl mesh config files, not Kubernetes objects",
    ),
];

/// Documents of the `invalid` folders that parse anyway, with why.
const INVALID_BUT_ACCEPTED: &[(&str, usize, &str)] = &[(
    "invalid__experimental_httproute_invalid-header-value.yaml",
    0,
    "only the experimental CRD forbids CR/LF in header values; the standard schema accepts it",
)];

#[derive(Default)]
struct Row {
    documents: usize,
    equal: usize,
    normalized: usize,
    unknown_kind: usize,
    expected: usize,
    rules: BTreeMap<&'static str, usize>,
}

fn mesh_of_folder(rel: &Path) -> Option<MeshKind> {
    match rel.components().next()?.as_os_str().to_str()? {
        "istio" => Some(MeshKind::Istio),
        "linkerd" => Some(MeshKind::Linkerd),
        "consul" => Some(MeshKind::Consul),
        _ => None,
    }
}

/// Parse with `O`, serialize each object (JSON, and YAML read back).
fn round_trip<O: ParseObject + serde::Serialize>(
    name: &str,
    text: &str,
) -> Result<Vec<Value>, String> {
    let objects = parse_str::<O>(name, text).map_err(|e| {
        if e.0
            .iter()
            .all(|e| matches!(e.problem, Problem::UnknownKind { .. }))
        {
            "unknown kind".to_owned()
        } else {
            e.to_string()
        }
    })?;
    let mut out = Vec::new();
    for o in &objects {
        let json = serde_json::to_value(o).map_err(|e| e.to_string())?;
        let yaml = mesh_k8s::to_yaml_string(o).map_err(|e| e.to_string())?;
        let back = mesh_k8s::parse::values(&yaml);
        match back.as_slice() {
            [Ok(v)] if *v == json => {}
            other => return Err(format!("YAML output does not read back: {other:?}\n{yaml}")),
        }
        out.push(json);
    }
    Ok(out)
}

/// Applies the documented rules to `expected` where `actual` differs,
/// counting each.
fn normalize(
    expected: &mut Value,
    actual: &Value,
    parent: &str,
    root: bool,
    rules: &mut BTreeMap<&'static str, usize>,
) {
    match (expected, actual) {
        (Value::Array(e), Value::Array(a)) => {
            for (x, y) in e.iter_mut().zip(a) {
                normalize(x, y, parent, false, rules);
            }
        }
        (Value::Object(e), Value::Object(a)) => {
            e.retain(|k, v| {
                if a.contains_key(k) {
                    return true;
                }
                let rule = match v {
                    Value::Array(x) if x.is_empty() => "empty-list",
                    Value::Object(x) if x.is_empty() => "empty-map",
                    Value::Null => "null",
                    _ => return true,
                };
                *rules.entry(rule).or_default() += 1;
                false
            });
            for (k, v) in a {
                if e.contains_key(k) {
                    continue;
                }
                let rule = match (k.as_str(), v) {
                    ("spec", Value::Object(m)) if root && m.is_empty() => "no-spec",
                    ("metadata", Value::Object(m)) if root && m.is_empty() => "no-metadata",
                    ("type", Value::String(s)) if parent == "path" && s == "PathPrefix" => {
                        "path-default"
                    }
                    ("value", Value::String(s)) if parent == "path" && s == "/" => "path-default",
                    _ => continue,
                };
                e.insert(k.clone(), v.clone());
                *rules.entry(rule).or_default() += 1;
            }
            for (k, v) in e.iter_mut() {
                if let Some(w) = a.get(k) {
                    normalize(v, w, k, false, rules);
                }
            }
        }
        _ => {}
    }
}

/// The documents a (possibly `List`) document stands for.
fn items(value: &Value) -> Vec<Value> {
    match (testing::type_of(value), value.get("items")) {
        (Some((_, k)), Some(Value::Array(items))) if k.ends_with("List") => items.clone(),
        _ => vec![value.clone()],
    }
}

#[test]
fn corpus_round_trip() {
    let shared = match testing::require_shared() {
        Ok(s) => s,
        Err(why) if !testing::in_ci() => {
            eprintln!("skipped: {why}");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    let corpus = shared.join("corpus");
    let docs = testing::read_corpus(&corpus);
    assert!(docs.len() > 1000, "only {} corpus documents", docs.len());
    let mut table: BTreeMap<String, Row> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut expected_seen = Vec::new();
    let mut listed = Vec::new();
    for doc in &docs {
        let rel = doc.path.strip_prefix(&corpus).unwrap_or(&doc.path);
        let name = doc
            .path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let at = format!("{}:{}", rel.display(), doc.index);
        let in_invalid_folder = INVALID_FOLDERS
            .iter()
            .any(|(folder, _)| rel.starts_with(folder));
        let listed_failure = EXPECTED_FAILURES
            .iter()
            .find(|(f, i, _)| *f == name && *i == doc.index);
        let accepted = INVALID_BUT_ACCEPTED
            .iter()
            .find(|(f, i, _)| *f == name && *i == doc.index);
        let expect_failure = (in_invalid_folder && accepted.is_none()) || listed_failure.is_some();
        let value = match &doc.value {
            Ok(v) => v,
            Err(e) => {
                let row = table.entry("(unreadable YAML)".to_owned()).or_default();
                row.documents += 1;
                if expect_failure {
                    row.expected += 1;
                    expected_seen.push((name.clone(), doc.index));
                } else {
                    problems.push(format!("{at}: {e}"));
                }
                continue;
            }
        };
        let key = testing::type_of(value)
            .map(|(a, k)| format!("{a} {k}"))
            .unwrap_or_else(|| "(not a Kubernetes object)".to_owned());
        let row = table.entry(key).or_default();
        row.documents += 1;
        let group = testing::type_of(value)
            .and_then(|(a, _)| a.rsplit_once('/'))
            .map(|(g, _)| g)
            .unwrap_or("");
        let mesh = meshwright::read::mesh_of_group(group).or_else(|| mesh_of_folder(rel));
        let text = value.to_string();
        let result = match mesh {
            Some(MeshKind::Istio) => round_trip::<meshwright::istio::IstioObject>(&name, &text),
            Some(MeshKind::Linkerd) => {
                round_trip::<meshwright::linkerd::LinkerdObject>(&name, &text)
            }
            Some(MeshKind::Consul) => {
                round_trip::<meshwright::consul::lower::ConsulObject>(&name, &text)
            }
            _ => round_trip::<K8sObject>(&name, &text),
        };
        let outcome = result.and_then(|out| {
            let inputs = items(value);
            if inputs.len() != out.len() {
                return Err(format!(
                    "{} objects for {} documents",
                    out.len(),
                    inputs.len()
                ));
            }
            let mut rules = BTreeMap::new();
            for (input, output) in inputs.iter().zip(&out) {
                let mut expected = input.clone();
                normalize(&mut expected, output, "", true, &mut rules);
                if let Some(d) = json_diff(&expected, output) {
                    return Err(format!("round trip differs: {d}"));
                }
            }
            Ok(rules)
        });
        match (outcome, expect_failure) {
            (Err(e), _) if e == "unknown kind" && !expect_failure => row.unknown_kind += 1,
            (Err(_), true) => {
                row.expected += 1;
                expected_seen.push((name.clone(), doc.index));
            }
            (Err(e), false) => problems.push(format!("{at}: {e}")),
            (Ok(_), true) => problems.push(format!("{at}: round-trips, but is listed as invalid")),
            (Ok(rules), false) => {
                if accepted.is_some() {
                    listed.push(at.clone());
                }
                if rules.is_empty() {
                    row.equal += 1;
                } else {
                    row.normalized += 1;
                    for (k, n) in rules {
                        *row.rules.entry(k).or_default() += n;
                    }
                }
            }
        }
    }
    println!(
        "| apiVersion kind | documents | equal | normalized | unknown kind | expected failures | rules |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|");
    let mut total = Row::default();
    for (key, r) in &table {
        println!(
            "| {key} | {} | {} | {} | {} | {} | {} |",
            r.documents,
            r.equal,
            r.normalized,
            r.unknown_kind,
            r.expected,
            r.rules
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        total.documents += r.documents;
        total.equal += r.equal;
        total.normalized += r.normalized;
        total.unknown_kind += r.unknown_kind;
        total.expected += r.expected;
    }
    println!(
        "| total | {} | {} | {} | {} | {} | |",
        total.documents, total.equal, total.normalized, total.unknown_kind, total.expected
    );
    println!("expected failures (listed):");
    for (f, i, why) in EXPECTED_FAILURES {
        println!("  {f}:{i}: {why}");
    }
    for (folder, why) in INVALID_FOLDERS {
        println!("  every document of {folder}: {why}");
    }
    println!("  except (parses, and round-trips): {INVALID_BUT_ACCEPTED:?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    for (f, i, why) in EXPECTED_FAILURES {
        assert!(
            expected_seen.iter().any(|(n, j)| n == f && j == i),
            "listed failure not seen: {f}:{i} ({why})"
        );
    }
    assert_eq!(listed.len(), INVALID_BUT_ACCEPTED.len(), "{listed:?}");
}

/// The `roundtrip` example's logic (`meshwright::read::to_yaml`) on every
/// scenario the three backends lower: reading the lowering's YAML stream
/// and writing it back gives the same bytes; and as JSON, the same objects.
#[test]
fn lowered_scenarios_round_trip_byte_for_byte() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut checked = 0;
    for path in &files {
        let Ok(mesh) = meshwright::Mesh::from_policy(&std::fs::read_to_string(path).unwrap())
        else {
            continue;
        };
        for target in [MeshKind::Istio, MeshKind::Linkerd, MeshKind::Consul] {
            let Ok(out) = meshwright::lower(target, &mesh) else {
                continue;
            };
            let yaml = out.write(meshwright::Format::Yaml).unwrap();
            let name = format!("{}", path.display());
            let back = meshwright::read::to_yaml(&[(&name, &yaml)]).unwrap();
            assert_eq!(back, yaml, "{name} {target:?}");
            let json = out.write(meshwright::Format::Json).unwrap();
            let objects = meshwright::parse(&name, &json).unwrap();
            assert_eq!(objects.len(), out.len(), "{name}");
            assert!(
                objects.mesh() == Some(target) || objects.mesh().is_none(),
                "{name}: read as {:?}",
                objects.mesh()
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} lowered scenarios");
}

/// Errors name file, document and field path, and nothing is written.
#[test]
fn roundtrip_errors_name_the_path() {
    let good = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    let bad = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\n      weight: x\n";
    let err =
        meshwright::read::to_yaml(&[("a.yaml", good), ("b.yaml", &format!("{good}---\n{bad}"))])
            .unwrap_err()
            .to_string();
    assert!(
        err.starts_with("b.yaml:1: spec.http[0].route[0].weight: invalid type: string \"x\""),
        "{err}"
    );
    let cases = [
        (
            "unknown kind",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
            "c.yaml:0: unknown kind Pod",
        ),
        (
            "unknown version",
            "apiVersion: networking.istio.io/v2\nkind: VirtualService\n",
            "c.yaml:0: VirtualService is not served as networking.istio.io/v2; served versions: networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3",
        ),
        (
            "mixed meshes: the first mesh's reader",
            "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: s}\n---\napiVersion: policy.linkerd.io/v1beta3\nkind: Server\nmetadata: {name: s}\n",
            "c.yaml:1: unknown kind Server",
        ),
    ];
    for (name, text, want) in cases {
        let err = meshwright::read::to_yaml(&[("c.yaml", text)])
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(want), "{name}: {err}");
    }
    // JSON in, YAML out; `List` items become documents.
    let list = r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"b"}}]}"#;
    assert_eq!(
        meshwright::read::to_yaml(&[("l.json", list)]).unwrap(),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n"
    );
}
