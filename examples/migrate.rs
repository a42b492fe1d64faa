//! Migrates manifests from one mesh to another: lift (source objects →
//! neutral model), then lower (model → target objects).
//!
//! ```sh
//! cargo run --example migrate -- --from istio --to linkerd|consul|istio [--format yaml|json] FILE...
//! ```
//!
//! The new manifests go to stdout; what could not be carried over goes to
//! stderr, each with its path: `not lifted:` (source object and field) and
//! `not lowered:` (field of the lifted model the target cannot express;
//! `--show-model` prints that model to stderr). Documents of other kinds
//! (Deployments, ServiceAccounts...) are listed as `ignored:`. Exit codes:
//!
//! - 0: everything was carried over;
//! - 1: a file could not be read or a document is not a valid object of
//!   its kind (nothing written);
//! - 2: usage error;
//! - 3: some of it could not be carried over: what could is still printed
//!   (a migration is reviewed, not applied blindly; stderr says what to
//!   redo by hand).
//!
//! `--from linkerd` and `--from consul` answer with an error (exit 2) until
//! `mesh_linkerd::lift::LinkerdLift` / `mesh_consul::lift::ConsulLift`
//! exist; they plug in as variants of `meshwright::migrate::Objects`.

use std::process::ExitCode;

use meshwright::migrate::{self, Objects};
use meshwright::{Format, MeshKind};

const USAGE: &str = "usage: migrate --from istio --to istio|linkerd|consul [--format yaml|json] [--show-model] FILE...";

struct Args {
    from: MeshKind,
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
        from: from.ok_or("--from is required")?,
        to: to.ok_or("--to is required")?,
        format,
        show_model,
        files,
    })
}

/// Reads the files as objects of `from`. Interim reader (YAML → typed
/// dispatch with `meshwright::migrate::istio_object`) until the manifest
/// parser lands.
fn read(from: MeshKind, files: &[String]) -> Result<(Objects, Vec<String>), String> {
    if from != MeshKind::Istio {
        return Err(format!(
            "lifting from {from} is not available yet (wire its Lift into meshwright::migrate::Objects)"
        ));
    }
    let mut objects = Vec::new();
    let mut ignored = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
        for (i, doc) in serde_yaml::Deserializer::from_str(&text).enumerate() {
            let value: serde_json::Value = serde::Deserialize::deserialize(doc)
                .map_err(|e| format!("{file}: document {i}: {e}"))?;
            if value.is_null() {
                continue;
            }
            match migrate::istio_object(&value) {
                Ok(Some(o)) => objects.push(o),
                Ok(None) => ignored.push(format!(
                    "{file}: document {i}: {} {} (not Istio mesh configuration)",
                    value["kind"].as_str().unwrap_or("(no kind)"),
                    value["metadata"]["name"].as_str().unwrap_or("")
                )),
                Err(e) => return Err(format!("{file}: document {i}: {e}")),
            }
        }
    }
    Ok((Objects::Istio(objects), ignored))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.from != MeshKind::Istio {
        // Wire `mesh_linkerd::lift::LinkerdLift` / `mesh_consul::lift::ConsulLift`
        // here (and as variants of meshwright::migrate::Objects) when they land.
        eprintln!(
            "error: lifting from {} is not available yet; only --from istio is",
            args.from
        );
        return ExitCode::from(2);
    }
    let (objects, ignored) = match read(args.from, &args.files) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    for i in &ignored {
        eprintln!("ignored: {i}");
    }
    let mut migrated = match migrate::migrate(&objects, args.to) {
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
