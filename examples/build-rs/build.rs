//! Renders `policy/mesh.yaml` into `$OUT_DIR/istio.yaml` and
//! `$OUT_DIR/linkerd.yaml` at build time. An invalid policy, or one a mesh
//! cannot express, fails the build with one error per problem, each naming
//! the field path.

mod generate;

use std::path::PathBuf;

const POLICY: &str = "policy/mesh.yaml";

fn main() {
    // Re-run only when the policy changes (and when build.rs itself does,
    // which cargo always checks).
    println!("cargo::rerun-if-changed={POLICY}");
    if let Err(problems) = run() {
        // Each `cargo::error` line is shown as an error, and the build fails.
        for problem in problems {
            println!("cargo::error={problem}");
        }
    }
}

fn run() -> Result<(), Vec<String>> {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| vec!["CARGO_MANIFEST_DIR is not set: run this through cargo".to_owned()])?;
    let policy = std::fs::read_to_string(dir.join(POLICY))
        .map_err(|e| vec![format!("{POLICY}: cannot read the policy: {e}")])?;
    let out_dir = std::env::var_os("OUT_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| vec!["OUT_DIR is not set: run this through cargo".to_owned()])?;
    for g in generate::generate(POLICY, &policy)? {
        let path = out_dir.join(g.file);
        std::fs::write(&path, g.yaml)
            .map_err(|e| vec![format!("cannot write {}: {e}", path.display())])?;
    }
    Ok(())
}
