//! The policy-file JSON Schema (`schema/mesh.schema.json`) is current and
//! says what serde says: every scenario file validates; wrong files are
//! rejected by the schema and by `Mesh::from_policy` alike; each value
//! type's pattern accepts exactly what its constructor accepts; random
//! meshes, written as policy JSON and YAML, validate.
//!
//! `MESHWRIGHT_BLESS=1 cargo test --features schema --test it schema` rewrites
//! the committed file.
#![cfg(feature = "schema")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use meshwright::Mesh;
use meshwright::model::policy::{SCHEMA_PATH, json_schema};
use serde_json::{Value, json};

/// The generated schema, compiled, and the index of each definition asked
/// for so far.
struct Validator {
    schemas: boon::Schemas,
    root: boon::SchemaIndex,
}

fn schema_id() -> String {
    json_schema()["$id"].as_str().unwrap().to_owned()
}

fn compile(pointer: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let id = schema_id();
    compiler.add_resource(&id, json_schema()).unwrap();
    let idx = compiler
        .compile(&format!("{id}{pointer}"), &mut schemas)
        .unwrap_or_else(|e| panic!("the schema does not compile: {e:#}"));
    (schemas, idx)
}

fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let (schemas, root) = compile("");
        Validator { schemas, root }
    })
}

/// The schema's verdict on a whole policy document.
fn check(doc: &Value) -> Result<(), String> {
    let v = validator();
    v.schemas
        .validate(doc, v.root)
        .map_err(|e| format!("{e:#}"))
}

/// A policy file read as JSON values the way an editor's YAML language
/// server sees it: mapping keys are strings (`8080:` is `"8080"`).
fn yaml_value(text: &str) -> Value {
    fn convert(v: serde_yaml::Value) -> Value {
        match v {
            serde_yaml::Value::Mapping(m) => Value::Object(
                m.into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            serde_yaml::Value::String(s) => s,
                            other => serde_yaml::to_string(&other).unwrap().trim().to_owned(),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            serde_yaml::Value::Sequence(s) => Value::Array(s.into_iter().map(convert).collect()),
            serde_yaml::Value::Tagged(t) => panic!("YAML tag {} in a policy file", t.tag),
            other => serde_json::to_value(other).unwrap(),
        }
    }
    convert(serde_yaml::from_str(text).unwrap())
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

// === the committed file ===

#[test]
fn committed_schema_is_current() {
    let path = root().join(SCHEMA_PATH);
    let generated = format!(
        "{}\n",
        serde_json::to_string_pretty(&json_schema()).unwrap()
    );
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("MESHWRIGHT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let first = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    let line = |text: &str| {
        text.lines()
            .nth(first)
            .unwrap_or("<end of file>")
            .to_owned()
    };
    panic!(
        "{SCHEMA_PATH} is stale (first difference at line {}:\n  committed: {}\n  generated: {}\n); \
         run MESHWRIGHT_BLESS=1 cargo test --features schema --test it schema and commit it",
        first + 1,
        line(&committed),
        line(&generated),
    );
}

#[test]
fn schema_is_a_draft_2020_12_schema_with_an_id() {
    let s = json_schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert!(s["$id"].as_str().unwrap().ends_with(SCHEMA_PATH));
    assert_eq!(s["title"], "meshwright policy file");
    // Compiling it checks it against the draft's meta-schema.
    validator();
}

// === scenario files ===

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml")
                && p.file_name().unwrap().to_str().unwrap().starts_with('S')
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_validates_and_names_the_schema() {
    let files = scenario_files();
    assert_eq!(files.len(), 38);
    let modeline = format!("# yaml-language-server: $schema=../../{SCHEMA_PATH}");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        if text.lines().next() != Some(modeline.as_str()) {
            failures.push(format!("{name}: first line is not `{modeline}`"));
        }
        if let Err(e) = check(&yaml_value(&text)) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// === wrong files: rejected by both ===

const SVC: &str = "name: web\n  namespace: prod\n  ports: [{number: 80, protocol: http}]";

/// Policy files serde refuses, each with what is wrong.
fn wrong_files() -> Vec<(&'static str, String)> {
    let svc = |rest: &str| format!("services:\n- {SVC}\n  {rest}\n");
    vec![
        ("unknown top-level field", "servcies: []\n".to_owned()),
        ("unknown service field", svc("prots: []")),
        ("unknown field in an enum's struct variant", svc(
            "resilience: {loadBalancer: {consistentHash: {cookie: {name: s, tll: 1h}}}}",
        )),
        ("wrong type: string for a list", svc("versions: v1")),
        ("wrong type: string for a port", svc("routes: [{forward: {backends: [{port: http}]}}]")),
        ("wrong type: float for an integer", svc("routes: [{forward: {backends: [{}], retries: {attempts: 1.5}}}]")),
        ("bad duration: no unit", svc("routes: [{forward: {backends: [{}], timeout: 10}}]")),
        ("bad duration: unknown unit", svc("routes: [{forward: {backends: [{}], timeout: 10sec}}]")),
        ("bad duration: negative", svc("routes: [{forward: {backends: [{}], timeout: -1s}}]")),
        ("bad enum value", "security: {mtls: {mode: strictest}}\n".to_owned()),
        ("bad enum value: wrong case", "services: [{name: web, namespace: prod, ports: [{number: 81, protocol: HTTP}]}]\n".to_owned()),
        ("bad enum: two variants", svc("routes: [{match: [{path: {prefix: /a, exact: /b}}], forward: {backends: [{}]}}]")),
        ("route with two actions", svc("routes: [{forward: {backends: [{}]}, respond: {status: 200}}]")),
        ("route with no action", svc("routes: [{name: r}]")),
        ("bad name", svc("versions: [{name: V1}]")),
        ("bad host", "egress: {services: [{name: e, namespace: n, hosts: [a.*.com], ports: [{number: 443, protocol: tls}]}]}\n".to_owned()),
        ("bad label key", svc("selector: {-app: web}")),
        ("bad header name", svc("routes: [{match: [{headers: {'a b': {exact: x}}}], forward: {backends: [{}]}}]")),
        ("bad path", svc("routes: [{match: [{path: {prefix: api}}], forward: {backends: [{}]}}]")),
        ("percent above 100", svc("routes: [{forward: {backends: [{}], mirrors: [{percent: 101}]}}]")),
        ("port 0", svc("routes: [{forward: {backends: [{port: 0}]}}]")),
        ("weight too large", svc("routes: [{forward: {backends: [{weight: 1000001}]}}]")),
        ("bad redirect status", svc("routes: [{redirect: {path: {full: /x}, status: 305}}]")),
        ("bad retry condition", svc("routes: [{forward: {backends: [{}], retries: {attempts: 2, on: [5xx, 600]}}}]")),
        ("bad quantity", "installation: {proxy: {resources: {limits: {memory: 2GB}}}}\n".to_owned()),
        ("bad IP block", "security: {authorization: [{name: a, scope: mesh, rules: [{from: [{ipBlock: 10.0.0.0/33}]}]}]}\n".to_owned()),
        ("port key 0", "security: {mtls: {overrides: [{scope: {service: {name: web, namespace: prod}}, ports: {0: permissive}}]}}\n".to_owned()),
        ("null for a list", "services: null\n".to_owned()),
        ("old snake_case spelling", "installation: {certificateAuthority: {certManager: {issuer: x, cluster_issuer: true}}}\n".to_owned()),
    ]
}

#[test]
fn wrong_files_are_rejected_by_the_schema_and_by_serde() {
    let mut failures = Vec::new();
    for (what, text) in wrong_files() {
        if check(&yaml_value(&text)).is_ok() {
            failures.push(format!("the schema accepts {what}:\n{text}"));
        }
        if Mesh::from_policy_unchecked(&text).is_ok() {
            failures.push(format!("serde accepts {what}:\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Files both accept, around the edges the wrong files probe.
#[test]
fn edge_files_are_accepted_by_both() {
    let cases = [
        "services: [{name: web, namespace: prod, routes: [{forward: {backends: [{}]}, respond: null}]}]",
        "services: [{name: web, namespace: prod, resilience: {timeout: 0}}]",
        "services: [{name: web, namespace: prod, resilience: {timeout: 1h2m3.5s}}]",
        "services: [{name: web, namespace: prod, routes: [{forward: {backends: [{}], retries: {attempts: 2, on: [5xx, 503, '503']}}}]}]",
        "security: {mtls: {overrides: [{scope: {namespace: a}, ports: {8080: permissive}}]}}",
        // Policy JSON: port keys are strings.
        r#"{"security": {"mtls": {"overrides": [{"scope": {"namespace": "a"}, "ports": {"8080": "permissive"}}]}}}"#,
        "installation: {certificateAuthority: {certManager: {issuer: x, clusterIssuer: true}}}",
        "installation: {certificateAuthority: meshManaged}",
        "security: {authorization: [{name: a, scope: mesh, rules: [{from: [{ipBlock: '2001:db8::/32'}, {ipBlock: '::ffff:10.0.0.1'}]}]}]}",
        "namespaces: [{name: a, labels: {app.kubernetes.io/name: x, empty: ''}}]",
    ];
    for text in cases {
        if let Err(e) = Mesh::from_policy_unchecked(text) {
            panic!("serde rejects {text}: {e}");
        }
        if let Err(e) = check(&yaml_value(text)) {
            panic!("the schema rejects {text}: {e}");
        }
    }
}

// === value types: each pattern is its constructor ===

/// One value type's schema, compiled on its own.
struct Def {
    name: &'static str,
    schemas: boon::Schemas,
    idx: boon::SchemaIndex,
}

impl Def {
    fn new(name: &'static str) -> Self {
        let (schemas, idx) = compile(&format!("#/$defs/{name}"));
        Def { name, schemas, idx }
    }

    fn accepts(&self, v: &Value) -> bool {
        self.schemas.validate(v, self.idx).is_ok()
    }
}

/// Whether serde reads `v` as a `T` (from JSON; for these values the YAML
/// reader agrees).
fn serde_accepts<T: serde::de::DeserializeOwned>(v: &Value) -> bool {
    serde_json::from_value::<T>(v.clone()).is_ok()
}

/// Compares the schema's and serde's verdicts on `value`.
fn agree<T: serde::de::DeserializeOwned>(def: &Def, value: Value) -> Result<(), String> {
    let (schema, serde) = (def.accepts(&value), serde_accepts::<T>(&value));
    if schema == serde {
        Ok(())
    } else {
        Err(format!(
            "{}: schema {} but serde {} {value}",
            def.name,
            if schema { "accepts" } else { "rejects" },
            if serde { "accepts" } else { "rejects" },
        ))
    }
}

/// Table cases: (definition, values), checked against serde.
#[test]
fn value_patterns_agree_with_constructors_on_tables() {
    use meshwright::model::*;
    let long = |n: usize| "a".repeat(n);
    let mut failures = Vec::new();
    macro_rules! table {
        ($ty:ty, $name:literal, [$($v:expr),* $(,)?]) => {{
            let def = Def::new($name);
            for v in [$(json!($v)),*] {
                if let Err(e) = agree::<$ty>(&def, v) {
                    failures.push(e);
                }
            }
        }};
    }
    table!(
        Name,
        "Name",
        [
            "a",
            "a-b",
            "0",
            "A",
            "-a",
            "a-",
            "a.b",
            "",
            long(63),
            long(64),
            5
        ]
    );
    table!(
        Hostname,
        "Hostname",
        [
            "*",
            "*.a",
            "a.b.c",
            "*a",
            "a.*",
            "**",
            "*.",
            ".a",
            "a..b",
            long(253),
            long(254),
            format!("*.{}", long(253)),
            format!("*.{}", long(254)),
            format!("{}.b", long(100)),
        ]
    );
    table!(
        LabelKey,
        "LabelKey",
        [
            "app",
            "app.kubernetes.io/name",
            "a/b/c",
            "/a",
            "a/",
            "A_b.c",
            "Example.com/a",
            long(63),
            long(64),
            format!("{}/a", long(253)),
            format!("{}/a", long(254)),
            format!("a/{}", long(63)),
            format!("a/{}", long(64)),
        ]
    );
    table!(
        LabelValue,
        "LabelValue",
        ["", "v1", "-a", "a_", long(63), long(64)]
    );
    table!(
        HeaderName,
        "HeaderName",
        [
            "x-api",
            "X-Api",
            "a b",
            "a:b",
            "",
            "é",
            long(256),
            long(257)
        ]
    );
    table!(
        HttpPath,
        "HttpPath",
        [
            "/",
            "/api",
            "api",
            "//",
            "/a//b",
            "/./",
            "/a/..",
            "/a/.",
            "/a/.b",
            "/%2f",
            "/%2F",
            "/%20",
            "/%2",
            "/%zz",
            "/a#b",
            "/a?b",
            "/a b",
            "/~!$&'()*+,;=:@",
            format!("/{}", long(1023)),
            format!("/{}", long(1024)),
        ]
    );
    table!(
        Quantity,
        "Quantity",
        [
            "1", "500m", "0.5", ".5", "5.", "2Gi", "1e3", "1E-3", "1e+3", "", "-1", "1GB", "m",
            "1.2.3", "1e", "."
        ]
    );
    table!(
        IpBlock,
        "IpBlock",
        [
            "10.0.0.0/8",
            "1.2.3.4",
            "0.0.0.0/0",
            "255.255.255.255/32",
            "10.0.0.0/33",
            "10.0.0/8",
            "01.2.3.4",
            "256.1.1.1",
            "10.0.0.0/08",
            "10.0.0.0/",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4",
            "1:2:3:4:5:6:7:1.2.3.4",
            "2001:db8::/32",
            "::/128",
            "::/129",
            "12345::",
            "fe80::1%eth0",
            "a.b.c.d",
            "",
        ]
    );
    table!(
        Duration,
        "Duration",
        [
            "0", "+0", "-0", "0s", "-0s", "-0.0ms", "10s", "1.5h", "1m30s", ".5s", "5.s", "1µs",
            "1μs", "1us", "1ns", "+5s", "", "10", "00", "-1s", "1sec", "1m-1s", ".s", "s", "1s ",
            0, 5, -1,
        ]
    );
    table!(
        RetryOn,
        "RetryOn",
        [
            "5xx",
            "gateway-error",
            "503",
            "+503",
            "0503",
            "99",
            "600",
            "5XX",
            "",
            503,
            99,
            600,
        ]
    );
    table!(Percent, "Percent", [0, 100, 12.5, -1, 100.5, "5"]);
    table!(Weight, "Weight", [0, 1, 1_000_000, 1_000_001, -1, "1"]);
    table!(Port, "Port", [1, 65535, 0, 65536, "80"]);
    table!(HttpStatus, "HttpStatus", [100, 599, 99, 600]);
    table!(
        RedirectStatus,
        "RedirectStatus",
        [301, 302, 303, 307, 308, 300, 304, "301"]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(feature = "proptest")]
mod properties {
    use super::*;
    use meshwright::model::strategy::{MeshSize, mesh};
    use meshwright::model::*;
    use proptest::prelude::*;

    macro_rules! agrees_on {
        ($test:ident, $ty:ty, $name:literal, $strategy:expr) => {
            proptest! {
                #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
                #[test]
                fn $test(s in $strategy) {
                    thread_local!(static DEF: Def = Def::new($name));
                    DEF.with(|def| agree::<$ty>(def, json!(s))).map_err(TestCaseError::fail)?;
                }
            }
        };
    }

    agrees_on!(names, Name, "Name", "[a-z0-9A-Z._-]{0,5}");
    agrees_on!(hostnames, Hostname, "Hostname", "[*a-z0-9.-]{0,7}");
    agrees_on!(label_keys, LabelKey, "LabelKey", "[a-zA-Z0-9._/-]{0,8}");
    agrees_on!(
        label_values,
        LabelValue,
        "LabelValue",
        "[a-zA-Z0-9._ -]{0,6}"
    );
    agrees_on!(
        header_names,
        HeaderName,
        "HeaderName",
        "[a-zA-Z0-9:!#$%&'*+.^_`|~ -]{0,6}"
    );
    agrees_on!(http_paths, HttpPath, "HttpPath", "[/a.%2fF#?-]{0,8}");
    agrees_on!(
        quantities,
        Quantity,
        "Quantity",
        "[0-9.]{0,3}(|m|k|Ki|Gi|GB|e|E|e-|e\\+)[0-9]{0,2}"
    );
    agrees_on!(
        ipv4_blocks,
        IpBlock,
        "IpBlock",
        "([0-9]{1,3}\\.){2,4}[0-9]{0,3}(/[0-9]{0,3})?"
    );
    agrees_on!(
        ipv6_blocks,
        IpBlock,
        "IpBlock",
        "[0-9a-f:.]{0,16}(/[0-9]{0,3})?"
    );
    agrees_on!(
        durations,
        Duration,
        "Duration",
        "[-+]?([0-9.]{0,3}(ns|us|µs|ms|s|m|h|x|)){0,3}"
    );
    agrees_on!(
        retry_conditions,
        RetryOn,
        "RetryOn",
        "[+0-9x-]{0,5}|5xx|reset|[a-z-]{0,8}"
    );

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever serde writes, the schema accepts: as policy JSON and
        /// as policy YAML (port keys become numbers there).
        #[test]
        fn random_meshes_validate(m in mesh(MeshSize::full())) {
            let as_json = serde_json::to_value(&m).unwrap();
            check(&as_json).map_err(|e| TestCaseError::fail(format!("policy JSON: {e}\n{as_json:#}")))?;
            let yaml = m.to_policy().unwrap();
            check(&yaml_value(&yaml)).map_err(|e| TestCaseError::fail(format!("policy YAML: {e}\n{yaml}")))?;
            // And what is written reads back, from either form.
            let json_text = meshwright::model::policy::to_json(&m).unwrap();
            prop_assert_eq!(&Mesh::from_policy_unchecked(&json_text).unwrap(), &m);
            prop_assert_eq!(&Mesh::from_policy_unchecked(&yaml).unwrap(), &m);
        }
    }
}
