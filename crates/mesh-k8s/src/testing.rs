//! Helpers for tests across the workspace: find `../shared` (the upstream
//! CRDs, the corpus and the validator), read corpus documents, compare JSON
//! values the way round-trip tests need, and run `crd-validate` once over a
//! batch of documents.
//!
//! These are public so that every crate's tests (and downstream test
//! harnesses) can use them; nothing in the library's lowering depends on
//! them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where `shared/` is: `$MESHWRIGHT_SHARED` when set and not empty, else a
/// `shared` folder beside the workspace root, found from the current
/// directory upwards (tests run in their crate's directory) and then from
/// this crate's source directory. `None` when it is absent.
pub fn shared_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MESHWRIGHT_SHARED").filter(|d| !d.is_empty()) {
        let p = PathBuf::from(dir);
        return is_shared(&p).then_some(p);
    }
    let starts = [
        std::env::current_dir().ok(),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
    ];
    for start in starts.into_iter().flatten() {
        for dir in start.ancestors() {
            let candidate = dir.join("shared");
            if is_shared(&candidate) {
                return Some(candidate.canonicalize().unwrap_or(candidate));
            }
        }
    }
    None
}

fn is_shared(p: &Path) -> bool {
    p.join("tools/crd-validate").is_dir() && p.join("crds").is_dir()
}

/// [`shared_dir`], or an explanation a test can print. In CI (`CI` set) a
/// missing `shared/` is an error, since CI always has it.
pub fn require_shared() -> Result<PathBuf, String> {
    shared_dir().ok_or_else(|| {
        "../shared (upstream CRDs, corpus, crd-validate) is not beside this checkout; \
         set MESHWRIGHT_SHARED to its path to run this test"
            .to_owned()
    })
}

/// Whether a test that needs `shared/` and cannot find it must fail
/// (in CI) rather than skip with a message.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// One document of a multi-document YAML file.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub path: PathBuf,
    /// 0-based index among the file's non-empty documents.
    pub index: usize,
    /// The document.
    pub value: serde_json::Value,
}

/// One document of a corpus file, or why it could not be read.
#[derive(Debug, Clone)]
pub struct CorpusDocument {
    /// The file.
    pub path: PathBuf,
    /// 0-based index among the file's non-empty documents (0 for a file
    /// that could not be split into documents).
    pub index: usize,
    /// The document, or the reader's error (duplicate keys, bad YAML).
    pub value: Result<serde_json::Value, String>,
}

/// Every document of every `*.yaml`/`*.yml` file below `dir` (or `dir`
/// itself when it is a file), in path order, never stopping at a bad one:
/// a document that does not parse (duplicate keys included, as kubectl
/// rejects them) comes back as an `Err` in its place, and a file whose
/// later documents cannot be reached ends with one `Err`.
pub fn read_corpus(dir: &Path) -> Vec<CorpusDocument> {
    let mut files = Vec::new();
    if dir.is_file() {
        files.push(dir.to_owned());
    } else if let Err(e) = collect_files(dir, &mut files) {
        return vec![CorpusDocument {
            path: dir.to_owned(),
            index: 0,
            value: Err(e),
        }];
    }
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                out.push(CorpusDocument {
                    path,
                    index: 0,
                    value: Err(e.to_string()),
                });
                continue;
            }
        };
        // The library's strict reader: duplicate keys are errors (as in
        // kubectl), and nothing is read after a syntax error.
        for (index, value) in crate::parse::values(&text).into_iter().enumerate() {
            out.push(CorpusDocument {
                path: path.clone(),
                index,
                value,
            });
        }
    }
    out
}

/// Every non-empty document of every `*.yaml`/`*.yml` file below `dir`,
/// files in path order; fails on the first document that does not parse
/// (see [`read_corpus`] to get every document and every error). A `v1 List`
/// is returned whole.
pub fn read_documents(dir: &Path) -> Result<Vec<Document>, String> {
    read_corpus(dir)
        .into_iter()
        .map(|d| match d.value {
            Ok(value) => Ok(Document {
                path: d.path,
                index: d.index,
                value,
            }),
            Err(e) => Err(format!("{}: document {}: {e}", d.path.display(), d.index)),
        })
        .collect()
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// `apiVersion` and `kind` of a document, if it has them.
pub fn type_of(value: &serde_json::Value) -> Option<(&str, &str)> {
    Some((
        value.get("apiVersion")?.as_str()?,
        value.get("kind")?.as_str()?,
    ))
}

/// Compares two JSON values for round-trip tests, with the one
/// normalization numbers need: `10` and `10.0` are the same number. Returns
/// the path of the first difference.
pub fn json_diff(expected: &serde_json::Value, actual: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    fn walk(a: &Value, b: &Value, path: &mut String) -> Option<String> {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                (x.as_f64() != y.as_f64()).then(|| format!("{path}: {x} != {y}"))
            }
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    let r = match y.get(k) {
                        Some(w) => walk(v, w, path),
                        None => Some(format!("{path}: missing in output")),
                    };
                    path.truncate(len);
                    if r.is_some() {
                        return r;
                    }
                }
                x.keys()
                    .chain(y.keys())
                    .find(|k| !x.contains_key(*k))
                    .map(|k| format!("{path}.{k}: added in output"))
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return Some(format!("{path}: {} items != {} items", x.len(), y.len()));
                }
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    let r = walk(v, w, path);
                    path.truncate(len);
                    if r.is_some() {
                        return r;
                    }
                }
                None
            }
            _ => (a != b).then(|| format!("{path}: {a} != {b}")),
        }
    }
    walk(expected, actual, &mut String::new())
}

/// What `crd-validate` said about a batch.
#[derive(Debug, Clone)]
pub struct ValidateReport {
    /// Whether every document passed.
    pub passed: bool,
    /// The validator's text output (failures and the summary).
    pub output: String,
}

/// Runs `shared/tools/crd-validate --strict-cel --quiet` once over `yaml`
/// (one multi-document stream). `Err` when the tool could not run.
pub fn crd_validate(yaml: &str) -> Result<ValidateReport, String> {
    crd_validate_with(yaml, &[])
}

/// [`crd_validate`] with extra options (`--prefer experimental`).
pub fn crd_validate_with(yaml: &str, extra: &[&str]) -> Result<ValidateReport, String> {
    let shared = require_shared()?;
    let tool = shared.join("tools/crd-validate/crd-validate");
    // One directory per call, removed afterwards (concurrent tests in one
    // process never share it).
    let dir = std::env::temp_dir().join(format!(
        "meshwright-crd-validate-{}-{}",
        std::process::id(),
        unique()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("batch.yaml");
    std::fs::write(&file, yaml).map_err(|e| e.to_string())?;
    let out = Command::new("bash")
        .arg(&tool)
        .arg("--strict-cel")
        .arg("--quiet")
        .args(extra)
        .arg(&file)
        .output()
        .map_err(|e| format!("could not run {}: {e}", tool.display()))?;
    let _ = std::fs::remove_dir_all(&dir);
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => Ok(ValidateReport {
            passed: true,
            output,
        }),
        Some(1) => Ok(ValidateReport {
            passed: false,
            output,
        }),
        _ => Err(format!("crd-validate could not run:\n{output}")),
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}
