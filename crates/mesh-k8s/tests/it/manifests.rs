//! The manifest set: apply order, determinism, duplicates, metadata checks,
//! and the three writers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use k8s_openapi::api::core::v1::{Namespace, Service, ServicePort, ServiceSpec};
use mesh_k8s::{
    ApplyOrder, Format, Kind, Manifest, ManifestError, Manifests, NoStatus, Object, ObjectMeta,
};
use serde::{Deserialize, Serialize};

/// A test kind.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RouteSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matcher: Option<Matcher>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Matcher {
    Exact(String),
    Prefix(String),
}

impl Kind for RouteSpec {
    const GROUP: &'static str = "example.com";
    const KIND: &'static str = "Route";
    const PLURAL: &'static str = "routes";
    const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &["example.com/v1", "example.com/v1beta1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Route;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = NoStatus;

    fn check_version(&self, api_version: &str) -> Result<(), String> {
        if api_version.ends_with("v1beta1") && self.matcher.is_some() {
            return Err("matcher is not served in v1beta1".into());
        }
        Ok(())
    }
}

type Route = Object<RouteSpec>;

/// Everything a backend might put in a set.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)]
enum Obj {
    Namespace(Namespace),
    Service(Service),
    Route(Route),
}

impl Manifest for Obj {
    fn api_version(&self) -> &str {
        match self {
            Obj::Namespace(o) => o.api_version(),
            Obj::Service(o) => o.api_version(),
            Obj::Route(o) => Manifest::api_version(o),
        }
    }
    fn kind(&self) -> &str {
        match self {
            Obj::Namespace(o) => o.kind(),
            Obj::Service(o) => o.kind(),
            Obj::Route(o) => o.kind(),
        }
    }
    fn metadata(&self) -> &ObjectMeta {
        match self {
            Obj::Namespace(o) => Manifest::metadata(o),
            Obj::Service(o) => Manifest::metadata(o),
            Obj::Route(o) => Manifest::metadata(o),
        }
    }
    fn apply_order(&self) -> ApplyOrder {
        match self {
            Obj::Namespace(o) => o.apply_order(),
            Obj::Service(o) => o.apply_order(),
            Obj::Route(o) => o.apply_order(),
        }
    }
    fn namespaced(&self) -> bool {
        match self {
            Obj::Namespace(o) => o.namespaced(),
            Obj::Service(o) => o.namespaced(),
            Obj::Route(o) => o.namespaced(),
        }
    }
}

fn ns(name: &str) -> Obj {
    Obj::Namespace(Namespace {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        },
        ..Default::default()
    })
}

fn svc(name: &str, namespace: &str) -> Obj {
    Obj::Service(Service {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some(namespace.into()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    })
}

fn route(name: &str, namespace: &str) -> Obj {
    Obj::Route(Route::new(
        name,
        Some(namespace),
        RouteSpec {
            host: Some(name.into()),
            matcher: Some(Matcher::Prefix("/api".into())),
        },
    ))
}

fn set(objs: Vec<Obj>) -> Manifests<Obj> {
    Manifests::try_from_iter(objs).unwrap()
}

#[test]
fn apply_order_namespace_then_kind_then_namespace_then_name() {
    let m = set(vec![
        route("b", "z"),
        svc("b", "a"),
        route("a", "z"),
        ns("z"),
        route("c", "a"),
        ns("a"),
    ]);
    let order: Vec<String> = m
        .iter()
        .map(|o| {
            format!(
                "{} {}/{}",
                o.kind(),
                o.metadata().namespace.as_deref().unwrap_or("-"),
                o.metadata().name.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            "Namespace -/a",
            "Namespace -/z",
            "Service a/b",
            "Route a/c",
            "Route z/a",
            "Route z/b"
        ]
    );
}

#[test]
fn same_objects_same_bytes_in_any_insertion_order() {
    let objs = vec![
        route("b", "z"),
        svc("b", "a"),
        route("a", "z"),
        ns("z"),
        ns("a"),
    ];
    let mut reversed = objs.clone();
    reversed.reverse();
    let (a, b) = (set(objs), set(reversed));
    assert_eq!(a.to_yaml().unwrap(), b.to_yaml().unwrap());
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
}

#[test]
fn yaml_stream_writes_enums_as_maps() {
    let m = set(vec![ns("a"), route("r", "a")]);
    let yaml = m.to_yaml().unwrap();
    assert_eq!(
        yaml,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: example.com/v1\nkind: Route\nmetadata:\n  name: r\n  namespace: a\nspec:\n  host: r\n  matcher:\n    prefix: /api\n"
    );
}

#[test]
fn json_is_a_list() {
    let m = set(vec![route("r", "a")]);
    let v: serde_json::Value = serde_json::from_str(&m.to_json().unwrap()).unwrap();
    assert_eq!(v["kind"], "List");
    assert_eq!(v["items"][0]["spec"]["matcher"]["prefix"], "/api");
}

#[test]
fn duplicates_are_refused() {
    let mut m: Manifests<Obj> = Manifests::new();
    m.insert(route("r", "a")).unwrap();
    m.insert(svc("r", "a")).unwrap(); // another kind, same name: fine
    match m.insert(route("r", "a")) {
        Err(ManifestError::Duplicate(key)) => assert_eq!(key.to_string(), "example.com/Route a/r"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_metadata_is_refused() {
    let mut m: Manifests<Obj> = Manifests::new();
    assert!(matches!(
        m.insert(route("Bad_Name", "a")),
        Err(ManifestError::Metadata { .. })
    ));
    let mut no_ns = route("r", "a");
    if let Obj::Route(r) = &mut no_ns {
        r.metadata.namespace = None;
    }
    assert!(matches!(
        m.insert(no_ns),
        Err(ManifestError::Metadata { .. })
    ));
    assert!(m.is_empty());
}

#[test]
fn directory_writer_one_file_per_object_in_apply_order() {
    let dir = std::env::temp_dir().join(format!("meshwright-dir-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let m = set(vec![route("r", "a"), ns("a"), svc("s", "a")]);
    let files = m.write_dir(&dir, Format::Yaml).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "000-namespace-a.yaml",
            "001-service-a-s.yaml",
            "002-route-a-r.yaml"
        ]
    );
    let text = std::fs::read_to_string(&files[2]).unwrap();
    assert!(text.contains("prefix: /api"));
    let json_files = m.write_dir(&dir.join("json"), Format::Json).unwrap();
    assert!(
        json_files[0]
            .to_string_lossy()
            .ends_with("000-namespace-a.json")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn objects_read_every_served_version_and_write_it_back() {
    let r: Route = mesh_k8s::from_yaml_str("apiVersion: example.com/v1beta1\nkind: Route\nmetadata: {name: r, namespace: a}\nspec: {host: x}\n").unwrap();
    assert_eq!(r.api_version(), "example.com/v1beta1");
    assert_eq!(r.version(), "v1beta1");
    let back = serde_json::to_value(&r).unwrap();
    assert_eq!(back["apiVersion"], "example.com/v1beta1");
    // A field the version does not serve is rejected.
    let err = mesh_k8s::from_yaml_str::<Route>(
        "apiVersion: example.com/v1beta1\nkind: Route\nmetadata: {name: r}\nspec: {matcher: {exact: /}}\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("not served in v1beta1"), "{err}");
    // Unknown versions, kinds and top-level fields are errors.
    for (doc, want) in [
        (
            "apiVersion: example.com/v2\nkind: Route\nmetadata: {name: r}\n",
            "not a served version",
        ),
        (
            "apiVersion: example.com/v1\nkind: Other\nmetadata: {name: r}\n",
            "is not Route",
        ),
        (
            "apiVersion: example.com/v1\nkind: Route\nmetadata: {name: r}\nextra: 1\n",
            "unknown field `extra`",
        ),
        (
            "apiVersion: example.com/v1\nkind: Route\nmetadata: {name: r}\nstatus: {a: 1}\n",
            "unknown field `a`",
        ),
        (
            "kind: Route\nmetadata: {name: r}\n",
            "missing field `apiVersion`",
        ),
        (
            "apiVersion: example.com/v1\nkind: Route\nmetadata: {name: r, lables: {a: b}}\n",
            "unknown field `metadata.lables`",
        ),
    ] {
        let err = mesh_k8s::from_yaml_str::<Route>(doc)
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{doc}: {err}");
    }
    let mut r = r;
    r.set_version("v1").unwrap();
    assert_eq!(r.api_version(), "example.com/v1");
    assert!(r.set_version("v9").is_err());
    mesh_k8s::check_kind::<RouteSpec>().unwrap();
}

#[test]
fn kube_resource_traits() {
    use k8s_openapi::{Metadata, Resource};
    assert_eq!(<Route as Resource>::API_VERSION, "example.com/v1");
    assert_eq!(<Route as Resource>::URL_PATH_SEGMENT, "routes");
    let mut r = Route::new("r", Some("a"), RouteSpec::default());
    r.metadata_mut().labels = Some([("app".to_owned(), "x".to_owned())].into());
    assert_eq!(Metadata::metadata(&r).labels.as_ref().unwrap()["app"], "x");
}

#[test]
fn core_kinds_pass_the_validator() {
    let shared = match mesh_k8s::testing::require_shared() {
        Ok(s) => s,
        Err(why) if !mesh_k8s::testing::in_ci() => {
            eprintln!("skipped: {why}");
            return;
        }
        Err(why) => panic!("{why}"),
    };
    let _ = shared;
    let m = set(vec![ns("a"), svc("web", "a")]);
    let report = mesh_k8s::testing::crd_validate(&m.to_yaml().unwrap()).unwrap();
    assert!(report.passed, "{}", report.output);
}

#[test]
fn corpus_reader_keeps_going_and_catches_duplicate_keys() {
    let dir = std::env::temp_dir().join(format!("meshwright-corpus-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), "a: 1\n---\nb: 1\nb: 2\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "c: [\n").unwrap();
    std::fs::write(dir.join("c.yml"), "---\nd: 1\n---\n").unwrap();
    let docs = mesh_k8s::testing::read_corpus(&dir);
    let summary: Vec<(String, usize, bool)> = docs
        .iter()
        .map(|d| {
            (
                d.path.file_name().unwrap().to_string_lossy().into_owned(),
                d.index,
                d.value.is_ok(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("a.yaml".into(), 0, true),
            ("a.yaml".into(), 1, false),
            ("b.yaml".into(), 0, false),
            ("c.yml".into(), 0, true)
        ]
    );
    assert!(
        docs[1].value.as_ref().unwrap_err().contains("duplicate"),
        "{:?}",
        docs[1].value
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
