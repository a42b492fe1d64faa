//! Every scenario policy lowers to Istio, or fails only with `Unsupported`
//! errors for features the capability table marks Partial or Unsupported;
//! all outputs validate against the CRDs in one `crd-validate` call; the
//! output is deterministic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use mesh_istio::CAPABILITIES;
use mesh_istio::lower::{IstioBackend, Options, RoutingFlavor};
use mesh_k8s::testing::{crd_validate, in_ci, require_shared};
use mesh_model::{Backend, LowerError, Mesh, Support};

fn scenarios() -> Vec<(String, Mesh)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_name().unwrap().to_string_lossy().starts_with('S')
        })
        .collect();
    files.sort();
    assert!(
        files.len() >= 38,
        "scenario files missing in {}",
        dir.display()
    );
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let mesh = Mesh::from_policy(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_stem().unwrap().to_string_lossy().into_owned(), mesh)
        })
        .collect()
}

const PATH_ROOTS: &[&str] = &[
    "services[",
    "security.",
    "ingress[",
    "egress.",
    "observability.",
    "installation",
];

/// Lowers every scenario with `options`; returns the YAML of the successes.
fn lower_all(options: Options, check_capabilities: bool) -> (String, Vec<String>) {
    lower_all_with(options, check_capabilities, |_| {})
}

/// As [`lower_all`], after `edit` changed each scenario.
fn lower_all_with(
    options: Options,
    check_capabilities: bool,
    edit: fn(&mut Mesh),
) -> (String, Vec<String>) {
    let backend = IstioBackend::new(options.clone());
    let mut yaml = String::new();
    let mut ok = Vec::new();
    for (name, mut mesh) in scenarios() {
        edit(&mut mesh);
        match backend.lower(&mesh) {
            Ok(out) => {
                let text = out.manifests.to_yaml().unwrap();
                // Determinism: a second lowering gives the same bytes.
                let again = IstioBackend::new(options.clone()).lower(&mesh).unwrap();
                assert_eq!(
                    text,
                    again.manifests.to_yaml().unwrap(),
                    "{name}: not deterministic"
                );
                yaml.push_str(&format!("---\n# {name}\n"));
                yaml.push_str(&text);
                if !text.ends_with('\n') {
                    yaml.push('\n');
                }
                ok.push(name);
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
                    println!("refused: {name}: {feature:?} at {path}");
                    assert!(!hint.trim().is_empty(), "{name}: empty hint at {path}");
                    let p = path.to_string();
                    assert!(
                        PATH_ROOTS.iter().any(|r| p.starts_with(r)),
                        "{name}: path {p} is not a policy path"
                    );
                    if check_capabilities {
                        let support = CAPABILITIES.get(*feature).support;
                        assert!(
                            matches!(support, Support::Partial | Support::Unsupported),
                            "{name}: {feature:?} refused but {support:?} in CAPABILITIES"
                        );
                    }
                }
            }
        }
    }
    (yaml, ok)
}

fn validate(yaml: &str) {
    match crd_validate(yaml) {
        Ok(report) => assert!(report.passed, "crd-validate failed:\n{}", report.output),
        Err(e) => {
            if in_ci() || require_shared().is_ok() {
                panic!("{e}");
            }
            println!("skipping crd-validate: {e}");
        }
    }
}

#[test]
fn scenarios_lower_validate_and_are_deterministic() {
    let (classic, ok) = lower_all(Options::default(), true);
    println!("lowered: {ok:?}");
    for must in [
        "S04", "S06", "S07", "S08", "S09", "S12", "S13", "S14", "S15", "S18", "S20", "S22", "S23",
        "S24", "S26", "S32", "S34",
    ] {
        assert!(
            ok.iter().any(|n| n.starts_with(must)),
            "{must} did not lower"
        );
    }
    let (gamma, _) = lower_all(
        Options {
            routing: RoutingFlavor::Gamma,
            ..Options::default()
        },
        false,
    );
    let (ambient, _) = lower_all(
        Options {
            data_plane: Some(mesh_model::DataPlane::Ambient),
            ..Options::default()
        },
        false,
    );
    // Ambient again with egress open: the registry-only egress policy is
    // refused in ambient mode (no Sidecar), and most scenarios inherit it;
    // opening it lets the rest of their ambient lowering (waypoints,
    // targetRefs policies, RequestAuthentication) reach crd-validate.
    let (ambient_open, ambient_ok) = lower_all_with(
        Options {
            data_plane: Some(mesh_model::DataPlane::Ambient),
            ..Options::default()
        },
        false,
        |m| m.egress.policy = mesh_model::OutboundPolicy::AllowAny,
    );
    println!("ambient (egress open) lowered: {ambient_ok:?}");
    for must in ["S05", "S08", "S09", "S20", "S24"] {
        assert!(
            ambient_ok.iter().any(|n| n.starts_with(must)),
            "{must} did not lower in ambient mode"
        );
    }
    let (old, _) = lower_all(
        Options {
            api_versions: mesh_istio::lower::ApiVersions::v1beta1(),
            ..Options::default()
        },
        false,
    );
    if require_shared().is_err() && !in_ci() {
        println!("../shared missing: crd-validate skipped");
        return;
    }
    validate(&format!("{classic}{gamma}{ambient}{ambient_open}{old}"));
}

#[test]
fn capability_table_is_complete() {
    assert!(
        CAPABILITIES.missing().is_empty(),
        "{:?}",
        CAPABILITIES.missing()
    );
}
