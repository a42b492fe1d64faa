//! Every seed scenario lowered to Consul: it either lowers fully, or fails
//! with `Unsupported` errors only, for features the capability table marks
//! Partial or Unsupported, each with a hint and a path that exists in the
//! policy. Every output passes `crd-validate --strict-cel` (one batch) and
//! lowering is deterministic.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use mesh_consul::lower::{CAPABILITIES, ConsulBackend, IngressFlavor, Options};
use mesh_model::{Backend, LowerError, Mesh, Support};

fn scenarios() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("scenarios dir")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p.file_name()?.to_str()?.to_owned();
            (name.starts_with('S') && name.ends_with(".yaml"))
                .then(|| (name, std::fs::read_to_string(&p).expect("read")))
        })
        .collect();
    out.sort();
    out
}

/// Whether `path` (`services[2].routes[0].match[1].query[q]`) names
/// something in the policy document.
fn exists(doc: &serde_json::Value, path: &str) -> bool {
    let mut cur = doc;
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        match cur.get(name) {
            Some(v) => cur = v,
            None => return false,
        }
        if rest.is_empty() {
            continue;
        }
        for sel in format!("[{rest}").split('[').filter(|s| !s.is_empty()) {
            let sel = sel.trim_end_matches(']');
            let next = match sel.parse::<usize>() {
                Ok(i) if cur.is_array() => cur.get(i),
                _ => cur.get(sel),
            };
            match next {
                Some(v) => cur = v,
                None => return false,
            }
        }
    }
    true
}

fn run(options: Options, label: &str) {
    let backend = ConsulBackend { options };
    let mut batch = String::new();
    let mut refused = Vec::new();
    let mut full = Vec::new();
    for (name, text) in scenarios() {
        let mesh = Mesh::from_policy(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc: serde_json::Value = serde_yaml::from_str(&text).expect("yaml");
        match backend.lower(&mesh) {
            Ok(out) => {
                let yaml = out.manifests.to_yaml().expect("yaml");
                let again = backend
                    .lower(&mesh)
                    .expect("second lowering")
                    .manifests
                    .to_yaml()
                    .expect("yaml");
                assert_eq!(yaml, again, "{name}: lowering is not deterministic");
                if !batch.is_empty() && !yaml.starts_with("---") {
                    batch.push_str("---\n");
                }
                batch.push_str(&yaml);
                full.push(name);
            }
            Err(errors) => {
                for e in errors.iter() {
                    match e {
                        LowerError::Unsupported {
                            feature,
                            path,
                            hint,
                            ..
                        } => {
                            let support = CAPABILITIES.get(*feature).support;
                            assert!(
                                matches!(support, Support::Partial | Support::Unsupported),
                                "{name}: {feature:?} refused at {path} but the table says {support:?}"
                            );
                            assert!(!hint.trim().is_empty(), "{name}: empty hint at {path}");
                            let p = path.as_str();
                            assert!(
                                [
                                    "services[",
                                    "security.",
                                    "ingress[",
                                    "egress.",
                                    "observability.",
                                    "installation"
                                ]
                                .iter()
                                .any(|s| p.starts_with(s)),
                                "{name}: path {p} has an unexpected root"
                            );
                            assert!(exists(&doc, p), "{name}: path {p} is not in the policy");
                            refused.push(format!("{name}: {feature:?} at {p}"));
                        }
                        other => panic!("{name}: not an Unsupported error: {other}"),
                    }
                }
            }
        }
    }
    println!("[{label}] lowered fully: {full:?}");
    for r in &refused {
        println!("[{label}] refused {r}");
    }
    assert!(!full.is_empty());
    match mesh_k8s::testing::crd_validate(&batch) {
        Ok(report) => assert!(report.passed, "[{label}] crd-validate:\n{}", report.output),
        Err(why) => {
            assert!(
                !mesh_k8s::testing::in_ci(),
                "crd-validate unavailable in CI: {why}"
            );
            eprintln!("skipping crd-validate: {why}");
        }
    }
}

#[test]
fn every_scenario_lowers_or_refuses_consistently() {
    run(Options::default(), "api-gateway");
}

#[test]
fn every_scenario_with_the_ingress_gateway_flavor() {
    run(
        Options {
            ingress: IngressFlavor::IngressGateway,
            ..Options::default()
        },
        "ingress-gateway",
    );
}

#[test]
fn capability_table_lists_every_feature() {
    assert!(
        CAPABILITIES.missing().is_empty(),
        "{:?}",
        CAPABILITIES.missing()
    );
    for row in CAPABILITIES.rows {
        assert!(!row.note.is_empty());
    }
}
