//! Every public model type has an exported strategy in
//! `mesh_model::strategy`: a new type without one fails this test.
//!
//! The listing is read from the crate's own sources (cheap, and honest:
//! a type added to any model module is seen without anyone remembering
//! to register it). A type is a public model type when a model module
//! (every `src/*.rs` and `src/value/*.rs` file but the non-model ones
//! named in `NOT_MODEL_FILES`) declares it at the top level as
//! `pub struct`, `pub enum`, `pub type` or with `checked_string!`. A type
//! has a strategy when a `pub fn` of `src/strategy.rs` returns
//! `impl Strategy<Value = Type>`.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

/// Files that hold no model types: the Backend trait and capability
/// tables, errors, lifting, policy-file and YAML plumbing, the strategies
/// themselves.
const NOT_MODEL_FILES: &[&str] = &[
    "backend.rs",
    "error.rs",
    "lib.rs",
    "lift.rs",
    "policy.rs",
    "strategy.rs",
    "yaml.rs",
];

/// Public types of model modules that are not part of a `Mesh` (so need
/// no strategy), each with the reason.
const NOT_IN_A_MESH: &[(&str, &str)] = &[
    ("Target", "a resolved destination computed from a mesh"),
    ("ServiceIndex", "an index of a mesh's services, computed"),
    (
        "ResolvedOutlierDetection",
        "outlier detection with defaults filled in, computed",
    ),
    ("ValueError", "the error of value parsing"),
];

fn model_types(src: &Path) -> BTreeSet<String> {
    let mut files = Vec::new();
    for dir in [src.to_path_buf(), src.join("value")] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.extension().is_some_and(|x| x == "rs") && !NOT_MODEL_FILES.contains(&name.as_str())
            {
                files.push(p);
            }
        }
    }
    assert!(
        files.len() >= 10,
        "model sources not found in {}",
        src.display()
    );
    let mut types = BTreeSet::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut in_checked = false;
        for line in text.lines() {
            for kw in ["pub struct ", "pub enum ", "pub type "] {
                if let Some(rest) = line.strip_prefix(kw) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    types.insert(name);
                }
            }
            // `checked_string!(` then doc lines, then the type's name.
            if line.starts_with("checked_string!(") {
                in_checked = true;
            } else if in_checked {
                let t = line.trim();
                if !t.starts_with("///") && !t.is_empty() {
                    types.insert(t.trim_end_matches(',').to_owned());
                    in_checked = false;
                }
            }
        }
    }
    types
}

fn strategy_types(strategy_rs: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in strategy_rs.match_indices("pub fn ") {
        let sig = &strategy_rs[i..];
        let sig = &sig[..sig.find('{').unwrap_or(sig.len())];
        if let Some(j) = sig.find("Strategy<Value = ") {
            let rest = &sig[j + "Strategy<Value = ".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

#[test]
fn every_model_type_has_a_strategy() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let types = model_types(&src);
    let strategies = strategy_types(&std::fs::read_to_string(src.join("strategy.rs")).unwrap());
    // The scan itself works: it sees types of every model module.
    for known in [
        "Mesh",
        "Service",
        "Route",
        "Resilience",
        "Security",
        "Ingress",
        "Observability",
        "Installation",
        "Duration",
        "Name",
        "TrustDomain",
        "Labels",
    ] {
        assert!(types.contains(known), "the scan missed {known}");
    }
    let excluded: BTreeSet<&str> = NOT_IN_A_MESH.iter().map(|(t, _)| *t).collect();
    let missing: Vec<&String> = types
        .iter()
        .filter(|t| !excluded.contains(t.as_str()) && !strategies.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "public model types without an exported strategy in mesh_model::strategy \
         (add a `pub fn ...() -> impl Strategy<Value = T>`, or list the type in \
         NOT_IN_A_MESH with the reason): {missing:?}"
    );
    // The exclusions are still types of the model modules.
    for t in &excluded {
        assert!(types.contains(*t), "{t} is excluded but no longer exists");
    }
    println!(
        "{} public model types, {} with strategies",
        types.len(),
        types.len() - excluded.len()
    );
}
