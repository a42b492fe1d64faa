//! Reads manifests and writes them back as YAML.
//!
//! ```sh
//! cargo run --example roundtrip -- FILE...   # `-` reads standard input
//! ```
//!
//! Each file (a YAML stream, a JSON document or stream, or a `List`) is
//! read strictly into typed objects, the mesh picked from the documents'
//! API groups (see `meshwright::read`); every document is then written back
//! as YAML, in input order, as one stream on stdout. On any error nothing is
//! written: every error goes to stderr as `file:document: field.path:
//! message`, and the exit code is 1.

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: roundtrip FILE...   (`-` reads standard input)");
        return ExitCode::from(2);
    }
    let mut texts = Vec::new();
    for file in &files {
        let text = if file == "-" {
            let mut t = String::new();
            std::io::stdin().read_to_string(&mut t).map(|_| t)
        } else {
            std::fs::read_to_string(file)
        };
        match text {
            Ok(t) => texts.push(t),
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let inputs: Vec<(&str, &str)> = files
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    match meshwright::read::to_yaml(&inputs) {
        Ok(yaml) => match std::io::stdout().write_all(yaml.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("stdout: {e}");
                ExitCode::from(1)
            }
        },
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
