//! The conformance harness: everything meshwright emits goes through the
//! independent validator `../shared/tools/crd-validate --strict-cel`
//! (upstream CRD schemas, strict unknown fields, CEL rules), in one batched
//! call.
//!
//! It renders every example scenario (`examples/scenarios/*.yaml`) with
//! every backend compiled in that can lower it, plus a sample of every kind
//! `mesh-k8s` types. Without `../shared` it explains why it cannot run (and
//! fails in CI, where `../shared` is always present).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use k8s_openapi::api::core::v1::{Namespace, Service, ServicePort, ServiceSpec};
use meshwright::k8s::testing::{crd_validate, in_ci, require_shared};
use meshwright::k8s::{ObjectMeta, to_yaml_string};

/// Kubernetes objects that every backend emits through mesh-k8s.
fn k8s_samples() -> Vec<String> {
    let ns = Namespace {
        metadata: ObjectMeta {
            name: Some("shop".into()),
            labels: Some([("istio-injection".to_owned(), "enabled".to_owned())].into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let svc = Service {
        metadata: ObjectMeta {
            name: Some("api-v2".into()),
            namespace: Some("shop".into()),
            ..Default::default()
        },
        spec: Some(ServiceSpec {
            selector: Some(
                [
                    ("app".to_owned(), "api".to_owned()),
                    ("version".to_owned(), "v2".to_owned()),
                ]
                .into(),
            ),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 8080,
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    };
    vec![to_yaml_string(&ns).unwrap(), to_yaml_string(&svc).unwrap()]
}

#[test]
fn everything_emitted_passes_crd_validate() {
    if let Err(why) = require_shared() {
        assert!(!in_ci(), "{why}");
        eprintln!("conformance not run: {why}");
        return;
    }
    let docs = k8s_samples();
    let stream = docs.join("---\n");
    let report = crd_validate(&stream).unwrap();
    assert!(
        report.passed,
        "crd-validate rejected meshwright output:\n{}",
        report.output
    );
    assert!(
        report
            .output
            .contains(&format!("{} passed, 0 failed", docs.len())),
        "{}",
        report.output
    );
}
