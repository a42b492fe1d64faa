//! Random models a given mesh accepts (`meshwright::arbitrary`): the
//! `arbitrary` example's logic is deterministic per seed; and, per
//! backend, full-size random models pruned of what the mesh refuses
//! validate, lower with no `Unsupported` error, were pruned only of
//! features the capability table marks Partial or Unsupported, and their
//! objects pass crd-validate --strict-cel (one batched run per backend).

#![cfg(all(
    feature = "proptest",
    feature = "istio",
    feature = "linkerd",
    feature = "consul"
))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_k8s::testing::{crd_validate, in_ci};
use meshwright::arbitrary::{accepted_by, arbitrary_manifests, pruned_per_feature};
use meshwright::model::strategy::{MeshSize, mesh};
use meshwright::{Format, MeshKind, Support};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// Full-size random models per backend.
const CASES: usize = 64;

/// The documents of `yaml` whose API group has a CRD in ../shared/crds:
/// cert-manager, trust-manager and Kiali objects are set aside (and
/// counted), as CI's conformance step does; the backends' own tests check
/// their shapes.
fn with_crds(yaml: &str) -> (String, usize) {
    let (mut kept, mut aside) = (String::new(), 0);
    let mut doc = String::new();
    let mut flush = |doc: &mut String| {
        let api = doc
            .lines()
            .find_map(|l| l.strip_prefix("apiVersion: "))
            .unwrap_or_default()
            .trim();
        if mesh_k8s::certmanager::is_cert_manager(api) || api.starts_with("kiali.io/") {
            aside += 1;
        } else if !doc.trim().is_empty() {
            kept.push_str("---\n");
            kept.push_str(doc);
        }
        doc.clear();
    };
    for line in yaml.lines() {
        if line == "---" {
            flush(&mut doc);
        } else {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    flush(&mut doc);
    (kept, aside)
}

fn check_crd_validate(what: &str, yaml: &str) {
    let (yaml, aside) = with_crds(yaml);
    if aside > 0 {
        println!(
            "{what}: {aside} cert-manager / Kiali documents set aside (no CRD in ../shared/crds)"
        );
    }
    let yaml = yaml.as_str();
    match crd_validate(yaml) {
        Ok(report) => {
            if !report.passed {
                let out = std::env::temp_dir().join(format!("meshwright-arbitrary-{what}.yaml"));
                std::fs::write(&out, yaml).unwrap();
                panic!(
                    "{what}: crd-validate failed (batch in {}):\n{}",
                    out.display(),
                    report.output
                );
            }
        }
        Err(why) if !in_ci() => eprintln!("skipped crd-validate: {why}"),
        Err(why) => panic!("{why}"),
    }
}

fn pruned_models_lower_cleanly(target: MeshKind) {
    let table = meshwright::capability_tables()
        .into_iter()
        .find(|t| t.mesh == target)
        .unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = mesh(MeshSize::full());
    let mut yaml = String::new();
    let mut pruned_models = 0;
    let mut per_feature = std::collections::BTreeMap::new();
    for i in 0..CASES {
        let m = strategy.new_tree(&mut runner).unwrap().current();
        let pruned = accepted_by(target, m.clone()).unwrap_or_else(|e| {
            panic!(
                "{target} case {i}: pruning failed: {e}\n{}",
                serde_json::to_string(&m).unwrap()
            )
        });
        if let Err(e) = pruned.mesh.validate() {
            panic!("{target} case {i}: the pruned model is invalid: {e}");
        }
        // A fresh lowering of the pruned model: no Unsupported, no error.
        let out = meshwright::lower(target, &pruned.mesh).unwrap_or_else(|e| {
            panic!(
                "{target} case {i}: the pruned model does not lower: {e}\n{}",
                pruned.mesh.to_policy().unwrap()
            )
        });
        // What was pruned is what the capability table says may be.
        for (feature, n) in pruned_per_feature(&pruned.unsupported) {
            let support = table.get(feature).support;
            assert!(
                matches!(support, Support::Partial | Support::Unsupported),
                "{target} case {i}: {feature:?} refused but {support:?} in the capability table"
            );
            *per_feature.entry(feature).or_insert(0) += n;
        }
        pruned_models += usize::from(!pruned.unsupported.is_empty());
        yaml.push_str(&format!("---\n# case {i}\n"));
        yaml.push_str(&out.write(Format::Yaml).unwrap());
    }
    println!("{target}: {CASES} models, {pruned_models} pruned: {per_feature:?}");
    check_crd_validate(&target.name().to_lowercase(), &yaml);
}

#[test]
fn pruned_istio_models_lower_and_validate() {
    pruned_models_lower_cleanly(MeshKind::Istio);
}

#[test]
fn pruned_linkerd_models_lower_and_validate() {
    pruned_models_lower_cleanly(MeshKind::Linkerd);
}

#[test]
fn pruned_consul_models_lower_and_validate() {
    pruned_models_lower_cleanly(MeshKind::Consul);
}

#[test]
fn arbitrary_manifests_are_deterministic_and_valid() {
    let mut stream = Vec::new();
    for mesh in [MeshKind::Istio, MeshKind::Linkerd, MeshKind::Consul] {
        let a = arbitrary_manifests(mesh, 7, 30, MeshSize::default()).unwrap();
        let b = arbitrary_manifests(mesh, 7, 30, MeshSize::default()).unwrap();
        assert_eq!(a, b, "{mesh:?}: not deterministic");
        let c = arbitrary_manifests(mesh, 8, 30, MeshSize::default()).unwrap();
        assert!(a != c, "{mesh:?}: the seed changes nothing");
        assert_eq!(a.models, 30);
        eprintln!(
            "{mesh:?}: {} pruned models, {:?}",
            a.pruned_models, a.pruned
        );
        // What it prints reads back with the mesh's parser.
        let objects = meshwright::parse("arbitrary", &a.yaml).unwrap();
        assert!(objects.len() >= a.models);
        stream.push(a.yaml);
    }
    check_crd_validate("stream", &stream.join("---\n"));
}
