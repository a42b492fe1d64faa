//! Static analysis of policy files and of manifests, printed the way a
//! compiler prints diagnostics.
//!
//! ```text
//! cargo run --example analyze -- examples/scenarios/S38-validation-pitfalls.yaml
//! cargo run --example analyze -- istio/*.yaml          # manifests, analyzed together
//! cargo run --release --example analyze -- --bench 1000 10000
//! ```
//!
//! A file whose documents have `apiVersion` and `kind` is a manifest
//! stream; any other file is a policy file (`Mesh::from_policy`: parsed,
//! validated, analyzed). Manifests of every file are analyzed together
//! (a VirtualService in one file may name a Gateway in another), with the
//! stand-in ingress gateway `istioctl analyze` assumes for files. Documents
//! are routed by API group: Istio kinds and the Kubernetes kinds its
//! analyzers read go to `mesh_istio::analyze`, Linkerd objects to
//! `mesh_linkerd::analyze`, Consul objects to `mesh_consul::analyze`.
//!
//! Exit status 1 when any file cannot be read, is invalid, or any
//! diagnostic is an error; 0 otherwise (warnings and infos do not fail).
//!
//! `--bench N...` instead lowers a canary workload of N services (a header
//! canary route and a 90/10 split per service) through the Istio backend,
//! then times the analysis of the objects.

use std::process::ExitCode;
use std::time::Instant;

use meshwright::Mesh;
use meshwright::consul::analyze as consul_analyze;
use meshwright::consul::lower::ConsulObject;
use meshwright::istio::analyze::{self as istio_analyze, Options, Resource, Source};
use meshwright::k8s::parse::ParseObject;
use meshwright::linkerd::LinkerdObject;
use meshwright::linkerd::analyze as linkerd_analyze;
use meshwright::model::Backend;
use meshwright::model::analyze::{Diagnostic, Severity};

#[derive(Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl Counts {
    fn print(&mut self, file: Option<&str>, d: &Diagnostic) {
        match d.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
        // `warning[MW0101]: FILE: services[0].routes[1]: message` (manifest
        // locations carry their file: `FILE#DOC: field`), then the hint.
        match file {
            Some(f) => println!(
                "{}[{}]: {f}: {}: {}",
                d.severity, d.code, d.location, d.message
            ),
            None => println!("{}[{}]: {}: {}", d.severity, d.code, d.location, d.message),
        }
        if let Some(h) = &d.hint {
            println!("  = hint: {h}");
        }
        println!();
    }
}

/// Which analyzer a manifest document belongs to, by API group.
enum Family {
    Istio,
    Linkerd,
    Consul,
}

fn family(doc: &serde_json::Value) -> Option<Family> {
    let api = doc.get("apiVersion")?.as_str()?;
    let group = api.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    if group.ends_with("linkerd.io") {
        Some(Family::Linkerd)
    } else if group == "consul.hashicorp.com" {
        Some(Family::Consul)
    } else {
        Some(Family::Istio)
    }
}

/// The documents of a YAML stream, JSON document or stream as JSON values
/// (`List`s expanded), each with its source; a syntax error (or a document
/// without `apiVersion`/`kind`) is an error naming the document (0-based,
/// as the parser counts).
fn read_manifests(file: &str, text: &str) -> Result<Vec<(Source, serde_json::Value)>, String> {
    // The workspace's strict reader (YAML stream, JSON, `List` items);
    // typing each document is the analyzer's (`resource_from_value`).
    let (docs, errors) = meshwright::k8s::parse::read_stream(file, text);
    if !errors.is_empty() {
        let errors: Vec<String> = errors
            .iter()
            .map(|e| {
                e.to_string()
                    .trim_start_matches(&format!("{file}:"))
                    .to_owned()
            })
            .map(|e| format!("document {e}"))
            .collect();
        return Err(errors.join("\n"));
    }
    Ok(docs
        .into_iter()
        .map(|d| {
            // Sources count documents from 1, as istioctl does.
            let source = Source::new(file, d.document + 1);
            let source = match d.item {
                Some(i) => source.item(i),
                None => source,
            };
            (source, d.value)
        })
        .collect())
}

fn is_manifest_stream(text: &str) -> bool {
    serde_yaml::Deserializer::from_str(text)
        .filter_map(|d| serde_yaml::Value::deserialize(d).ok())
        .find(|v| !v.is_null())
        .is_some_and(|v| v.get("apiVersion").is_some() && v.get("kind").is_some())
}

use serde::Deserialize;

fn bench(sizes: &[String]) -> ExitCode {
    let mut previous: Option<(usize, f64)> = None;
    for s in sizes {
        let Ok(n) = s.parse::<usize>() else {
            eprintln!("--bench: `{s}` is not a number of services");
            return ExitCode::from(2);
        };
        let mut policy = String::from("services:\n");
        for i in 0..n {
            policy.push_str(&format!(
                "- name: svc-{i}\n  namespace: ns-{}\n  ports: [{{number: 8080, protocol: http}}]\n  \
                 versions: [{{name: v1}}, {{name: v2}}]\n  routes:\n  \
                 - match: [{{headers: {{x-canary: {{exact: \"true\"}}}}}}]\n    forward: {{backends: [{{version: v2}}]}}\n  \
                 - forward: {{backends: [{{version: v1, weight: 90}}, {{version: v2, weight: 10}}]}}\n",
                i / 50
            ));
        }
        let mesh = match Mesh::from_policy(&policy) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("workload: {e}");
                return ExitCode::FAILURE;
            }
        };
        let lowered = match meshwright::istio::IstioBackend::default().lower(&mesh) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("lowering: {e}");
                return ExitCode::FAILURE;
            }
        };
        let input: Vec<(Source, Resource)> = lowered
            .manifests
            .into_vec()
            .into_iter()
            .enumerate()
            .map(|(i, o)| (Source::new("<lowered>", i + 1), Resource::from(o)))
            .collect();
        let start = Instant::now();
        let found = istio_analyze::analyze(&input, &Options::default());
        let secs = start.elapsed().as_secs_f64();
        print!(
            "{n} services: {} objects, {} diagnostics, analysis {:.1} ms",
            input.len(),
            found.len(),
            secs * 1e3
        );
        if let Some((pn, ps)) = previous {
            print!(
                " ({:.1}x the time of {pn} for {:.0}x the services)",
                secs / ps,
                n as f64 / pn as f64
            );
        }
        println!();
        previous = Some((n, secs));
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--bench") {
        return bench(&args[1..]);
    }
    if args.is_empty() {
        eprintln!("usage: analyze FILE... | analyze --bench N...");
        return ExitCode::from(2);
    }
    let mut counts = Counts::default();
    let mut manifests: Vec<(Source, Resource)> = Vec::new();
    let mut linkerd: Vec<(Source, linkerd_analyze::Resource)> = Vec::new();
    let mut consul: Vec<(Source, consul_analyze::Resource)> = Vec::new();
    for file in &args {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                counts.errors += 1;
                continue;
            }
        };
        if !is_manifest_stream(&text) {
            match Mesh::from_policy(&text) {
                Ok(mesh) => {
                    for d in mesh.analyze() {
                        counts.print(Some(file), &d);
                    }
                }
                Err(e) => {
                    // Parse errors and every validation error, one per line.
                    for line in e.to_string().lines() {
                        eprintln!("error: {file}: {line}");
                    }
                    counts.errors += 1;
                }
            }
            continue;
        }
        let docs = match read_manifests(file, &text) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {file}: {e}");
                counts.errors += 1;
                continue;
            }
        };
        for (source, doc) in docs {
            match family(&doc) {
                Some(Family::Linkerd) | Some(Family::Consul) => {
                    let api = doc["apiVersion"].as_str().unwrap_or("").to_owned();
                    let kind = doc["kind"].as_str().unwrap_or("").to_owned();
                    let at = |p: &dyn std::fmt::Display| {
                        eprintln!(
                            "error: {}#{}: {}: {p}",
                            source.file, source.document, source.path
                        );
                    };
                    if matches!(family(&doc), Some(Family::Linkerd)) {
                        match LinkerdObject::from_document(&api, &kind, doc) {
                            Ok(o) => {
                                linkerd.push((source.clone(), linkerd_analyze::Resource::from(o)))
                            }
                            Err(e) => {
                                at(&e);
                                counts.errors += 1;
                            }
                        }
                    } else {
                        match ConsulObject::from_document(&api, &kind, doc) {
                            Ok(o) => {
                                consul.push((source.clone(), consul_analyze::Resource::from(o)))
                            }
                            Err(e) => {
                                at(&e);
                                counts.errors += 1;
                            }
                        }
                    }
                }
                Some(Family::Istio) => match istio_analyze::resource_from_value(doc) {
                    Ok(Some(r)) => manifests.push((source, r)),
                    Ok(None) => {}
                    Err(e) => {
                        eprintln!(
                            "error: {}#{}: {}: {e}",
                            source.file, source.document, source.path
                        );
                        counts.errors += 1;
                    }
                },
                None => {}
            }
        }
    }
    if !manifests.is_empty() {
        let options = Options::default();
        let mut input = istio_analyze::default_resources(&options.mesh);
        input.extend(manifests);
        for d in istio_analyze::analyze(&input, &options) {
            counts.print(None, &d);
        }
    }
    for d in linkerd_analyze::analyze(&linkerd, &linkerd_analyze::Options::default()) {
        counts.print(None, &d);
    }
    for d in consul_analyze::analyze(&consul, &consul_analyze::Options::default()) {
        counts.print(None, &d);
    }
    println!(
        "{} file(s): {} error(s), {} warning(s), {} info(s)",
        args.len(),
        counts.errors,
        counts.warnings,
        counts.infos
    );
    if counts.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
