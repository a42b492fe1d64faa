//! Renders a policy file for one mesh.
//!
//! ```sh
//! cargo run --example render -- --mesh istio|linkerd|consul [--format yaml|json] [--out-dir DIR] POLICY.yaml|-
//! ```
//!
//! Manifests go to stdout (one YAML stream or a JSON `List`), or with
//! `--out-dir` to one file per object, named in apply order. Installer
//! inputs (Helm values files, an IstioOperator for `istioctl`) go to
//! `DIR/install/` with `--out-dir`; their install commands, in order, are
//! printed on stderr. Exit codes:
//!
//! - 0: rendered;
//! - 2: invalid input (unreadable file, YAML/JSON that is not a policy, or
//!   a model that fails validation): every error with its field path on
//!   stderr, nothing written;
//! - 3: valid, but the mesh cannot express some of it: every `Unsupported`
//!   (path, feature, hint) on stderr, nothing written.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use meshwright::{Format, LowerError, Mesh, MeshKind, PolicyError, RenderError};

struct Args {
    mesh: MeshKind,
    format: Format,
    out_dir: Option<PathBuf>,
    input: String,
}

const USAGE: &str =
    "usage: render --mesh istio|linkerd|consul [--format yaml|json] [--out-dir DIR] POLICY.yaml|-";

fn parse_args() -> Result<Args, String> {
    let mut mesh = None;
    let mut format = Format::Yaml;
    let mut out_dir = None;
    let mut input = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mesh" => {
                mesh = Some(match it.next().as_deref() {
                    Some("istio") => MeshKind::Istio,
                    Some("linkerd") => MeshKind::Linkerd,
                    Some("consul") => MeshKind::Consul,
                    other => {
                        return Err(format!(
                            "--mesh takes istio, linkerd or consul, not {other:?}"
                        ));
                    }
                })
            }
            "--format" => {
                format = match it.next().as_deref() {
                    Some("yaml") => Format::Yaml,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format takes yaml or json, not {other:?}")),
                }
            }
            "--out-dir" => {
                out_dir = Some(PathBuf::from(
                    it.next().ok_or("--out-dir needs a directory")?,
                ))
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if input.is_none() => input = Some(a),
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    Ok(Args {
        mesh: mesh.ok_or("--mesh is required")?,
        format,
        out_dir,
        input: input.ok_or("a policy file (or - for stdin) is required")?,
    })
}

fn read_input(input: &str) -> Result<String, String> {
    if input == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("stdin: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match read_input(&args.input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mesh = match Mesh::from_policy(&text) {
        Ok(m) => m,
        Err(PolicyError::Invalid(errors)) => {
            for e in errors.iter() {
                eprintln!("error: {}: {e}", args.input);
            }
            return ExitCode::from(2);
        }
        Err(e) => {
            let line = match &e {
                PolicyError::Parse { line: Some(l), .. } => format!(":{l}"),
                _ => String::new(),
            };
            eprintln!("error: {}{line}: {e}", args.input);
            return ExitCode::from(2);
        }
    };
    let out = match meshwright::lower(args.mesh, &mesh) {
        Ok(o) => o,
        Err(RenderError::Lower(errors)) => {
            let unsupported = errors.all_unsupported();
            for e in errors.iter() {
                match e {
                    LowerError::Unsupported {
                        feature,
                        path,
                        mesh,
                        hint,
                    } => {
                        eprintln!(
                            "unsupported: {}: {path}: {mesh} cannot express {feature}\n  = hint: {hint}",
                            args.input
                        )
                    }
                    other => eprintln!("error: {}: {other}", args.input),
                }
            }
            return ExitCode::from(if unsupported { 3 } else { 2 });
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for note in out.notes() {
        eprintln!("note: {note}");
    }
    // Everything is serialized before anything is written.
    let install = match out.install_files() {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let written = match &args.out_dir {
        Some(dir) => out.write_dir(dir, args.format).map(|files| {
            eprintln!("wrote {} files to {}", files.len(), dir.display());
        }),
        None => out.write(args.format).map(|text| print!("{text}")),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return ExitCode::from(1);
    }
    for file in &install {
        match &args.out_dir {
            Some(dir) => {
                let dir = dir.join("install");
                let path = dir.join(&file.file_name);
                if let Err(e) = std::fs::create_dir_all(&dir)
                    .and_then(|()| std::fs::write(&path, &file.content))
                {
                    eprintln!("error: could not write {}: {e}", path.display());
                    return ExitCode::from(1);
                }
                eprintln!("install: {}  (in {})", file.command, dir.display());
            }
            None => eprintln!(
                "install: {}  (use --out-dir to write {})",
                file.command, file.file_name
            ),
        }
    }
    ExitCode::SUCCESS
}
