//! The peers' benchmark workload (`../shared/peers/README.md`) through
//! meshwright: N services over namespaces of 50, each with versions v1/v2 on
//! HTTP 8080, a header canary route and a 90/10 split (timeout 10s, 3
//! retries), a DestinationRule's worth of resilience, one authorization rule
//! from the previous service, strict mTLS; rendered for one mesh, with the
//! time of each phase on stderr.
//!
//! ```sh
//! cargo run --release --example canary_workload -- 10000 istio > /dev/null
//! # only the YAML (no JSON timing), for wall-clock / peak-memory runs:
//! cargo run --release --example canary_workload -- 10000 istio yaml > /dev/null
//! ```
//!
//! The workload is the peers' Istio workload; for Linkerd and Consul it
//! leaves out what those meshes cannot express (see `meshwright::workload`).
//! The same model is what `benches/render.rs` measures.

use std::error::Error;
use std::time::Instant;

use meshwright::{Format, MeshKind};

fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().unwrap_or_else(|| "1000".into()).parse()?;
    let target = match args.next().as_deref() {
        None | Some("istio") => MeshKind::Istio,
        Some("linkerd") => MeshKind::Linkerd,
        Some("consul") => MeshKind::Consul,
        Some(other) => return Err(format!("unknown mesh {other}").into()),
    };
    let yaml_only = args.next().as_deref() == Some("yaml");
    let t0 = Instant::now();
    let mesh = meshwright::workload::canary(n, target)?;
    let t1 = Instant::now();
    // `lower` validates the model first (a backend never lowers an invalid
    // model): what a program calling `render`/`lower` pays, once.
    let out = match meshwright::lower(target, &mesh) {
        Ok(out) => out,
        Err(meshwright::RenderError::Lower(errors)) => {
            eprintln!(
                "{target} refuses {} parts of the workload, e.g.:",
                errors.0.len()
            );
            for e in errors.iter().take(5) {
                eprintln!("  {e}");
            }
            return Err("not rendered".into());
        }
        Err(e) => return Err(e.into()),
    };
    let t3 = Instant::now();
    if yaml_only {
        // Streamed to stdout one document at a time, as the peers write.
        let stdout = std::io::stdout();
        let mut sink = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        out.write_to(Format::Yaml, &mut sink)?;
        std::io::Write::flush(&mut sink)?;
        let t4 = Instant::now();
        eprintln!(
            "{target} n={n}: {} objects; build {:.3}s validate+lower {:.3}s yaml to stdout {:.3}s total {:.3}s",
            out.len(),
            (t1 - t0).as_secs_f64(),
            (t3 - t1).as_secs_f64(),
            (t4 - t3).as_secs_f64(),
            (t4 - t0).as_secs_f64(),
        );
        return Ok(());
    }
    let yaml = out.write(Format::Yaml)?;
    let t4 = Instant::now();
    let json = out.write(Format::Json)?;
    let t5 = Instant::now();
    print!("{yaml}");
    eprintln!(
        "{target} n={n}: {} objects, {} bytes YAML; build {:.3}s validate+lower {:.3}s yaml {:.3}s json {:.3}s",
        out.len(),
        yaml.len(),
        (t1 - t0).as_secs_f64(),
        (t3 - t1).as_secs_f64(),
        (t4 - t3).as_secs_f64(),
        (t5 - t4).as_secs_f64(),
    );
    drop(json);
    Ok(())
}
