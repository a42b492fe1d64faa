use std::collections::BTreeMap;
use std::path::Path;

use mesh_k8s::testing;
use mesh_model::analyze::Code;
use serde_json::Value;

use super::*;

/// One test case of upstream's analyzer test grid (EXPECTED.md).
#[derive(Debug, Default)]
struct Case {
    title: String,
    analyzer: String,
    inputs: Vec<String>,
    missing_input: bool,
    mesh_config: Option<String>,
    multi_cluster: bool,
    expected: Vec<(String, String)>,
}

fn backticked(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn parse_expected(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut cur: Option<Case> = None;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix("### ") {
            cases.extend(cur.take());
            cur = Some(Case {
                title: t.to_owned(),
                ..Case::default()
            });
            continue;
        }
        if line.starts_with("## ") {
            cases.extend(cur.take());
            continue;
        }
        let Some(c) = cur.as_mut() else { continue };
        if let Some(rest) = line.strip_prefix("- analyzer: ") {
            c.analyzer = backticked(rest).remove(0);
        } else if let Some(rest) = line.strip_prefix("- inputs: ") {
            c.missing_input = rest.contains("not in corpus");
            c.inputs = backticked(rest);
        } else if let Some(rest) = line.strip_prefix("- mesh config: ") {
            c.mesh_config = backticked(rest).into_iter().next();
        } else if line.starts_with("- mesh networks: ") || line.starts_with("- multi-cluster") {
            c.multi_cluster = true;
        } else if let Some(rest) = line.strip_prefix("  - IST") {
            let code = format!("IST{}", &rest[..4]);
            let object = backticked(rest).remove(0);
            c.expected.push((code, object));
        }
    }
    cases.extend(cur);
    cases
}

/// Reads a file's documents as analyzer input (expanding `List`s); returns
/// the documents a typed parser refused, with why.
fn read_input(path: &Path, out: &mut Vec<(Source, Resource)>) -> Vec<String> {
    let file = path.display().to_string();
    let mut refused = Vec::new();
    for d in testing::read_corpus(path) {
        let Ok(v) = d.value else {
            refused.push(format!("document {}: unreadable", d.index));
            continue;
        };
        let source = Source::new(file.clone(), d.index + 1);
        let items: Vec<(Source, Value)> = if v["kind"] == "List" {
            v["items"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, item)| (source.clone().item(i), item.clone()))
                .collect()
        } else {
            vec![(source, v)]
        };
        for (s, item) in items {
            match resource_from_value(item) {
                Ok(Some(r)) => out.push((s, r)),
                Ok(None) => {}
                Err(e) => refused.push(format!("document {}: {e}", d.index)),
            }
        }
    }
    refused
}

fn object_name(r: &Resource) -> String {
    use mesh_k8s::Manifest;
    let m: (
        &str,
        &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    ) = match r {
        Resource::Istio(o) => (o.kind(), o.metadata()),
        Resource::Pod(p) => ("Pod", &p.metadata),
        Resource::Deployment(d) => ("Deployment", &d.metadata),
        Resource::Secret(s) => ("Secret", &s.metadata),
        Resource::Node(n) => ("Node", &n.metadata),
        Resource::WasmPlugin(w) => ("WasmPlugin", w.metadata()),
    };
    let name = m.1.name.as_deref().unwrap_or("");
    match m.1.namespace.as_deref() {
        Some(ns) => format!("{} {ns}/{name}", m.0),
        None => format!("{} {name}", m.0),
    }
}

/// Cases whose expectations this crate cannot meet, with why, and the
/// objects whose messages are missing because of it: (case title, why,
/// objects). Every other message of these cases must still match.
const DEVIATIONS: &[(&str, &str, &[&str])] = &[
    (
        "18. gatewaySecretValidations",
        "IST0161 checks the certificates inside the Secrets (X.509 parsing, expiry): \
         not reproduced, it needs a certificate parser dependency",
        &[
            "Gateway defaultgateway-expired",
            "Gateway defaultgateway-invalid-cert",
            "Gateway defaultgateway-invalid-keys",
            "Gateway defaultgateway-missing-keys",
        ],
    ),
    (
        "38. virtualServiceDestinationHosts",
        "the VirtualService has a route entry without `destination` (`- {}`), which the \
         typed parser rejects (the schema requires it), so the analyzer never sees it",
        &["VirtualService default/reviews-bogushost"],
    ),
    (
        "84. EnvoyFilterUsesRemoveOperation",
        "the EnvoyFilter has `match: null`, which the typed parser rejects (not nullable)",
        &["EnvoyFilter bookinfo/test-remove-5"],
    ),
];

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

/// Every upstream analyzer test case whose inputs are in the corpus: the
/// check reproducing the analyzer gives exactly upstream's messages (code
/// and object, as a multiset). Analyzers without a check are listed as not
/// applicable.
#[test]
fn istioctl_fixtures() -> Result<(), String> {
    let shared = match testing::require_shared() {
        Ok(s) => s,
        Err(why) if !testing::in_ci() => {
            eprintln!("skipped: {why}");
            return Ok(());
        }
        Err(why) => return Err(why),
    };
    let dir = shared.join("corpus/istio/analyzers");
    let text = std::fs::read_to_string(dir.join("EXPECTED.md")).map_err(|e| e.to_string())?;
    let cases = parse_expected(&text);
    assert!(cases.len() > 90, "EXPECTED.md: {} cases", cases.len());
    let mut failures = Vec::new();
    let mut verdicts: BTreeMap<String, (usize, usize, &'static str)> = BTreeMap::new();
    for case in &cases {
        let check = Check::ALL
            .iter()
            .copied()
            .find(|c| c.upstream() == Some(case.analyzer.as_str()));
        let entry = verdicts.entry(case.analyzer.clone()).or_default();
        if case.missing_input || case.multi_cluster {
            entry.2 = if check.is_some() {
                entry.2
            } else {
                "inputs not in corpus"
            };
            continue;
        }
        let Some(check) = check else {
            entry.2 = "not applicable";
            continue;
        };
        entry.2 = "reproduced";
        let mut mesh = MeshSettings::default();
        if let Some(cfg) = &case.mesh_config {
            let text = std::fs::read_to_string(dir.join("meshconfig").join(cfg))
                .map_err(|e| e.to_string())?;
            let v: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
            mesh = MeshSettings::from_mesh_config(&v);
        }
        let mut input = default_resources(&mesh);
        for f in &case.inputs {
            let refused = read_input(&dir.join(f), &mut input);
            for r in refused {
                eprintln!("{}: {f}: not read: {r}", case.title);
            }
        }
        let options = Options {
            mesh,
            checks: vec![check],
        };
        let got: Vec<(String, String)> = run(&input, &options)
            .iter()
            .map(|f| {
                let code = f.code.istio().unwrap_or("-").to_owned();
                let object = input
                    .get(f.at)
                    .map(|(_, r)| object_name(r))
                    .unwrap_or_default();
                (code, object)
            })
            .collect();
        let mut want = case.expected.clone();
        if let Some((_, why, objects)) = DEVIATIONS.iter().find(|d| d.0 == case.title) {
            eprintln!("{}: known deviation: {why}", case.title);
            want.retain(|(_, o)| !objects.contains(&o.as_str()));
        }
        let (got, want) = (sorted(got), sorted(want));
        entry.0 += 1;
        if got == want {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "{} ({}):\n  expected {want:?}\n  got      {got:?}",
                case.title, case.analyzer
            ));
        }
    }
    for (a, (n, ok, verdict)) in &verdicts {
        eprintln!("{a}: {verdict} ({ok}/{n} cases)");
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn every_upstream_check_maps_to_an_istio_code() {
    // The reproductions report codes whose Istio code is what upstream
    // reports; the others have none or their own.
    for c in Check::ALL {
        assert!(!c.name().is_empty());
    }
    assert_eq!(Code::RouteShadowed.istio(), Some("IST0130"));
}
