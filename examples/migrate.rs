//! Migrates manifests from one mesh to another: lift (source objects →
//! neutral model), then lower (model → target objects).
//!
//! ```sh
//! cargo run --example migrate -- [--from istio|linkerd|consul] --to istio|linkerd|consul [--format yaml|json] [--show-model] FILE...
//! ```
//!
//! The files (`-` reads standard input) are read strictly (see
//! `meshwright::migrate::read`): every document must be a kind of the
//! source mesh or a shared kind (Service, Namespace, Gateway API...).
//! Without `--from`, the first document whose API group belongs to a mesh
//! (`*.istio.io`, `*.linkerd.io` / `split.smi-spec.io`,
//! `consul.hashicorp.com`) names the source.
//!
//! The new manifests go to stdout; what could not be carried over goes to
//! stderr, each with its path: `not lifted:` (source object and field) and
//! `not lowered:` (field of the lifted model the target cannot express;
//! `--show-model` prints that model to stderr). Exit codes:
//!
//! - 0: everything was carried over;
//! - 1: a file could not be read or a document is not a valid object of
//!   the source mesh (nothing written; each error as
//!   `file:document: field.path: message`);
//! - 2: usage error;
//! - 3: some of it could not be carried over: what could is still printed
//!   (a migration is reviewed, not applied blindly; stderr says what to
//!   redo by hand).

use std::io::Read;
use std::process::ExitCode;

use meshwright::migrate::{self, Objects};
use meshwright::{Format, MeshKind};

const USAGE: &str = "usage: migrate [--from istio|linkerd|consul] --to istio|linkerd|consul [--format yaml|json] [--show-model] FILE...";

struct Args {
    from: Option<MeshKind>,
    to: MeshKind,
    format: Format,
    show_model: bool,
    files: Vec<String>,
}

fn mesh(name: Option<&str>, flag: &str) -> Result<MeshKind, String> {
    match name {
        Some("istio") => Ok(MeshKind::Istio),
        Some("linkerd") => Ok(MeshKind::Linkerd),
        Some("consul") => Ok(MeshKind::Consul),
        other => Err(format!(
            "{flag} takes istio, linkerd or consul, not {other:?}"
        )),
    }
}

fn parse_args() -> Result<Args, String> {
    let (mut from, mut to, mut format, mut show_model) = (None, None, Format::Yaml, false);
    let mut files = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--from" => from = Some(mesh(it.next().as_deref(), "--from")?),
            "--to" => to = Some(mesh(it.next().as_deref(), "--to")?),
            "--format" => {
                format = match it.next().as_deref() {
                    Some("yaml") => Format::Yaml,
                    Some("json") => Format::Json,
                    other => return Err(format!("--format takes yaml or json, not {other:?}")),
                }
            }
            "--show-model" => show_model = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        return Err("at least one manifest file is required".to_owned());
    }
    Ok(Args {
        from,
        to: to.ok_or("--to is required")?,
        format,
        show_model,
        files,
    })
}

/// Reads the files (`-` is standard input) with the strict parser, as
/// objects of `from` or of the mesh their API groups name.
fn read(from: Option<MeshKind>, files: &[String]) -> Result<Objects, String> {
    let mut texts = Vec::new();
    for file in files {
        let text = if file == "-" {
            let mut t = String::new();
            std::io::stdin().read_to_string(&mut t).map(|_| t)
        } else {
            std::fs::read_to_string(file)
        };
        texts.push(text.map_err(|e| format!("{file}: {e}"))?);
    }
    let inputs: Vec<(&str, &str)> = files
        .iter()
        .map(String::as_str)
        .zip(texts.iter().map(String::as_str))
        .collect();
    migrate::read(&inputs, from).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let objects = match read(args.from, &args.files) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let migrated = match migrate::migrate(&objects, args.to) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    };
    if args.show_model {
        match meshwright::model::yaml::to_string(&migrated.mesh) {
            Ok(y) => eprintln!("# lifted model\n{y}"),
            Err(e) => eprintln!("error: {e}"),
        }
    }
    for note in migrated.output.notes() {
        eprintln!("note: {note}");
    }
    eprint!("{}", migrated.report);
    match migrated.output.write(args.format) {
        Ok(text) => print!("{text}"),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(3);
        }
    }
    if migrated.report.is_complete() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}
