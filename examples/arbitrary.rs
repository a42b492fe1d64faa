//! Prints the manifests of N random valid models, for feeding other tools.
//!
//! ```sh
//! cargo run --example arbitrary --features proptest -- --mesh istio|linkerd|consul [--seed 7] [--count 1000]
//! ```
//!
//! The models come from `meshwright::model::strategy::mesh` with the
//! default size, drawn deterministically from the seed: the same seed gives
//! the same bytes. One YAML stream goes to stdout; models the backend
//! refuses as `Unsupported` are skipped, and the counts go to stderr.

use std::io::Write;
use std::process::ExitCode;

use meshwright::MeshKind;
use meshwright::arbitrary::arbitrary_manifests;
use meshwright::model::strategy::MeshSize;

const USAGE: &str = "usage: arbitrary --mesh istio|linkerd|consul [--seed N] [--count N]";

fn args() -> Result<(MeshKind, u64, usize), String> {
    let (mut mesh, mut seed, mut count) = (None, 7, 100);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} takes a value"));
        match a.as_str() {
            "--mesh" => {
                mesh = Some(match value()?.as_str() {
                    "istio" => MeshKind::Istio,
                    "linkerd" => MeshKind::Linkerd,
                    "consul" => MeshKind::Consul,
                    other => {
                        return Err(format!(
                            "--mesh takes istio, linkerd or consul, not {other}"
                        ));
                    }
                })
            }
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--count" => count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((mesh.ok_or("--mesh is required")?, seed, count))
}

fn main() -> ExitCode {
    let (mesh, seed, count) = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match arbitrary_manifests(mesh, seed, count, MeshSize::core()) {
        Ok(out) => {
            eprintln!(
                "{} models (seed {seed}): {} lowered, {} skipped as Unsupported by {}",
                out.models,
                out.lowered,
                out.unsupported,
                mesh.name()
            );
            match std::io::stdout().write_all(out.yaml.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("stdout: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
