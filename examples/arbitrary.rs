//! Prints the manifests of N random valid models, for feeding other tools.
//!
//! ```sh
//! cargo run --example arbitrary --features proptest -- --mesh istio|linkerd|consul [--seed 7] [--count 1000] [--size core|default|full]
//! ```
//!
//! The models come from `meshwright::model::strategy::mesh` with the
//! chosen size (`MeshSize::core()`, `default()` or `full()`; default
//! `default`), drawn deterministically from the seed: the same seed gives
//! the same bytes. What the mesh cannot express is pruned from each model
//! (`meshwright::arbitrary::accepted_by`), so every model is printed. One
//! YAML stream goes to stdout; the counts, and the pieces pruned per
//! feature, go to stderr.

use std::io::Write;
use std::process::ExitCode;

use meshwright::MeshKind;
use meshwright::arbitrary::arbitrary_manifests;
use meshwright::model::strategy::MeshSize;

const USAGE: &str = "usage: arbitrary --mesh istio|linkerd|consul [--seed N] [--count N] [--size core|default|full]";

fn args() -> Result<(MeshKind, u64, usize, MeshSize), String> {
    let (mut mesh, mut seed, mut count, mut size) = (None, 7, 100, MeshSize::default());
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
            "--size" => {
                size = match value()?.as_str() {
                    "core" => MeshSize::core(),
                    "default" => MeshSize::default(),
                    "full" => MeshSize::full(),
                    other => {
                        return Err(format!("--size takes core, default or full, not {other}"));
                    }
                }
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok((mesh.ok_or("--mesh is required")?, seed, count, size))
}

fn main() -> ExitCode {
    let (mesh, seed, count, size) = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match arbitrary_manifests(mesh, seed, count, size) {
        Ok(out) => {
            eprintln!(
                "{} models (seed {seed}) lowered by {}; {} needed pruning of what {} cannot express",
                out.models,
                mesh.name(),
                out.pruned_models,
                mesh.name()
            );
            for (feature, n) in &out.pruned {
                eprintln!("  pruned {n:>5} × {feature}");
            }
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
