//! How build.rs fails: the same `generate` function, fed broken policies.
//! Every problem comes back, each naming the policy file and field path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../generate.rs"]
mod generate;

const POLICY: &str = include_str!("../../policy/mesh.yaml");

#[test]
fn the_policy_renders_for_both_meshes() {
    let generated = generate::generate("policy/mesh.yaml", POLICY).unwrap();
    let files: Vec<_> = generated.iter().map(|g| g.file).collect();
    assert_eq!(files, ["istio.yaml", "linkerd.yaml"]);
    // Deterministic bytes: what build.rs wrote is what it writes again.
    assert_eq!(generated[0].yaml, meshwright_build_rs_example::ISTIO);
    assert_eq!(generated[1].yaml, meshwright_build_rs_example::LINKERD);
}

#[test]
fn every_validation_error_is_listed_with_its_path() {
    // Two mistakes: a version that does not exist, and weights adding up to 0.
    let broken = POLICY
        .replace("{version: v1, weight: 90}", "{version: v3, weight: 0}")
        .replace("{version: v2, weight: 10}", "{version: v2, weight: 0}");
    let problems = generate::generate("policy/mesh.yaml", &broken).unwrap_err();
    assert!(problems.len() >= 2, "{problems:#?}");
    assert!(
        problems
            .iter()
            .all(|p| p.starts_with("policy/mesh.yaml: services[1].routes[0].forward.backends")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("backends[0]") && p.contains("v3")),
        "{problems:#?}"
    );
}

#[test]
fn a_parse_error_names_the_line_and_field() {
    let broken = POLICY.replace("timeout: 5s", "timeout: soon");
    let problems = generate::generate("policy/mesh.yaml", &broken).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let line = POLICY
        .lines()
        .position(|l| l.contains("timeout: 5s"))
        .unwrap()
        + 1;
    assert!(
        problems[0].starts_with(&format!(
            "policy/mesh.yaml:{line}: services[1].routes[0].forward.timeout: "
        )),
        "{problems:#?}"
    );
}

#[test]
fn what_a_mesh_cannot_express_is_listed_per_mesh() {
    // Linkerd does not mirror traffic; Istio does.
    let mirrored = POLICY.replace(
        "      timeout: 5s\n",
        "      timeout: 5s\n      mirrors: [{service: web, percent: 5}]\n",
    );
    let problems = generate::generate("policy/mesh.yaml", &mirrored).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("policy/mesh.yaml: services[1].routes[0].forward.mirrors[0]: Linkerd cannot express Mirroring: "), "{problems:#?}");
}
