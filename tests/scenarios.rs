//! The seed scenarios (S01–S38) as policy files: each parses, validates and
//! survives a round trip; some are also built in code with the builders.

use std::path::{Path, PathBuf};

use mesh_model::Mesh;

/// The scenario files, sorted by name.
fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| e == "yaml")
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('S'))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The scenario id of a file (`S04` for `S04-reviews-jason-header.yaml`).
fn scenario_id(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.split('-').next())
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn there_is_one_file_per_scenario() {
    let ids: Vec<String> = scenario_files().iter().map(|p| scenario_id(p)).collect();
    let expected: Vec<String> = (1..=38).map(|i| format!("S{i:02}")).collect();
    assert_eq!(ids, expected, "one file per scenario S01..S38");
}

#[test]
fn every_scenario_parses_validates_and_round_trips() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario files");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let mesh = match Mesh::from_policy(&text) {
            Ok(m) => m,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let written = mesh.to_policy().expect("serializable");
        match Mesh::from_policy(&written) {
            Ok(again) if again == mesh => {}
            Ok(again) => failures.push(format!(
                "{}: round trip changed the mesh\n{written}\n{again:#?}",
                path.display()
            )),
            Err(e) => failures.push(format!(
                "{}: written policy does not parse: {e}\n{written}",
                path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
