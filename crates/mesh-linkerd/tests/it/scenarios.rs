//! Every seed scenario (examples/scenarios/S*.yaml) lowered to Linkerd:
//! each lowers, or is refused only for features the capability table says
//! are Partial or Unsupported; every output passes `crd-validate
//! --strict-cel` (one batch); lowering is deterministic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use std::path::Path;

use mesh_k8s::testing::{crd_validate, in_ci, require_shared};
use mesh_linkerd::{CAPABILITIES, LinkerdBackend};
use mesh_model::{Backend, LowerError, Mesh, Support};

fn scenarios() -> Vec<(String, Mesh)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('S'))
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 38, "expected the 38 seed scenarios");
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let mesh = Mesh::from_policy(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, mesh)
        })
        .collect()
}

const PATH_ROOTS: [&str; 6] = [
    "services[",
    "security.",
    "ingress[",
    "egress.",
    "observability.",
    "installation",
];

#[test]
fn every_scenario_lowers_or_is_refused_consistently() {
    let backend = LinkerdBackend::default();
    let mut stream = String::new();
    let mut lowered = Vec::new();
    let mut refused = Vec::new();
    for (name, mesh) in scenarios() {
        match backend.lower(&mesh) {
            Ok(out) => {
                let yaml = out.manifests.to_yaml().unwrap();
                // cert-manager / trust-manager kinds have no CRD in
                // ../shared/crds: checked by tests/it/install.rs instead.
                let mut validated = String::new();
                for o in out.manifests.iter() {
                    if mesh_k8s::certmanager::is_cert_manager(mesh_k8s::Manifest::api_version(o)) {
                        println!(
                            "{name}: not validated (no CRD): {}",
                            mesh_k8s::Manifest::kind(o)
                        );
                        continue;
                    }
                    if !validated.is_empty() {
                        validated.push_str("---\n");
                    }
                    validated.push_str(&mesh_k8s::to_yaml_string(o).unwrap());
                }
                let again = backend.lower(&mesh).unwrap();
                assert_eq!(
                    yaml,
                    again.manifests.to_yaml().unwrap(),
                    "{name}: not deterministic"
                );
                if !stream.is_empty() {
                    stream.push_str("---\n");
                }
                stream.push_str(&validated);
                lowered.push(name);
            }
            Err(errors) => {
                for e in errors.iter() {
                    let LowerError::Unsupported {
                        feature,
                        path,
                        hint,
                        ..
                    } = e
                    else {
                        panic!("{name}: not an Unsupported error: {e}");
                    };
                    let support = CAPABILITIES.get(*feature).support;
                    assert!(
                        matches!(support, Support::Partial | Support::Unsupported),
                        "{name}: {feature:?} refused at {path} but the table says {support:?}"
                    );
                    assert!(!hint.trim().is_empty(), "{name}: empty hint at {path}");
                    assert!(
                        PATH_ROOTS.iter().any(|r| path.as_str().starts_with(r)),
                        "{name}: path {path} is not a model path"
                    );
                    refused.push(format!("{name}: {feature:?} at {path}"));
                }
            }
        }
    }
    println!("lowered fully: {}", lowered.join(", "));
    println!("refused:\n  {}", refused.join("\n  "));
    assert!(!lowered.is_empty());
    match require_shared() {
        Ok(_) => {
            let report = crd_validate(&stream).unwrap();
            assert!(report.passed, "crd-validate:\n{}", report.output);
        }
        Err(why) if in_ci() => panic!("{why}"),
        Err(why) => println!("skipping crd-validate: {why}"),
    }
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
