//! Prints the manifests generated at build time for one mesh:
//!
//! ```sh
//! cargo run -p meshwright-build-rs-example -- istio | kubectl apply -f -
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let mesh = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "istio".to_owned());
    match meshwright_build_rs_example::manifests(&mesh) {
        Some(yaml) => {
            print!("{yaml}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("usage: meshwright-build-rs-example [istio|linkerd]");
            ExitCode::from(2)
        }
    }
}
