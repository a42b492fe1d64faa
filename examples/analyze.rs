//! Static analysis of policy files, printed the way a compiler prints
//! diagnostics.
//!
//! ```text
//! cargo run --example analyze -- examples/scenarios/S38-validation-pitfalls.yaml
//! ```
//!
//! Each file is read as a policy (`Mesh::from_policy`: parsed and
//! validated), then analyzed. Exit status 1 when any file cannot be read or
//! is invalid, or when any diagnostic is an error; 0 otherwise (warnings and
//! infos do not fail). Manifests (Istio, Linkerd, Consul objects) are not
//! read yet: that needs lifting them into the model.

use std::process::ExitCode;

use mesh_model::Mesh;
use mesh_model::analyze::Severity;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: analyze POLICY.yaml...");
        return ExitCode::from(2);
    }
    let (mut errors, mut warnings, mut infos) = (0usize, 0usize, 0usize);
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                errors += 1;
                continue;
            }
        };
        let mesh = match Mesh::from_policy(&text) {
            Ok(m) => m,
            Err(e) => {
                // Parse errors and every validation error, one per line.
                for line in e.to_string().lines() {
                    eprintln!("error: {file}: {line}");
                }
                errors += 1;
                continue;
            }
        };
        for d in mesh.analyze() {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => infos += 1,
            }
            // `warning[MW0101]: FILE: services[0].routes[1]: message`, then
            // the hint, as a compiler prints it.
            println!(
                "{}[{}]: {file}: {}: {}",
                d.severity, d.code, d.location, d.message
            );
            if let Some(h) = &d.hint {
                println!("  = hint: {h}");
            }
            println!();
        }
    }
    println!(
        "{} file(s): {errors} error(s), {warnings} warning(s), {infos} info(s)",
        files.len()
    );
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
