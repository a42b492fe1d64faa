//! The `arbitrary` example's logic: deterministic per seed, and every
//! manifest it prints passes crd-validate (one batched run for the three
//! meshes).

#![cfg(all(
    feature = "proptest",
    feature = "istio",
    feature = "linkerd",
    feature = "consul"
))]

use meshwright::MeshKind;
use meshwright::arbitrary::arbitrary_manifests;
use meshwright::model::strategy::MeshSize;

#[test]
fn arbitrary_manifests_are_deterministic_and_valid() {
    let mut stream = Vec::new();
    for mesh in [MeshKind::Istio, MeshKind::Linkerd, MeshKind::Consul] {
        let a = arbitrary_manifests(mesh, 7, 60, MeshSize::core()).unwrap();
        let b = arbitrary_manifests(mesh, 7, 60, MeshSize::core()).unwrap();
        assert_eq!(a, b, "{mesh:?}: not deterministic");
        let c = arbitrary_manifests(mesh, 8, 60, MeshSize::core()).unwrap();
        assert!(a != c, "{mesh:?}: the seed changes nothing");
        assert_eq!(a.models, 60);
        assert_eq!(a.lowered + a.unsupported, 60);
        // Most random models use something Linkerd or Consul cannot express
        // (mirroring, fault injection, ...); some must get through.
        assert!(a.lowered > 0, "{mesh:?}: every model refused");
        eprintln!(
            "{mesh:?}: {} lowered, {} unsupported",
            a.lowered, a.unsupported
        );
        // What it prints reads back with the mesh's parser.
        let objects = meshwright::parse("arbitrary", &a.yaml).unwrap();
        assert!(objects.len() >= a.lowered);
        stream.push(a.yaml);
    }
    match mesh_k8s::testing::crd_validate(&stream.join("---\n")) {
        Ok(report) => assert!(report.passed, "{}", report.output),
        Err(why) if !mesh_k8s::testing::in_ci() => eprintln!("skipped crd-validate: {why}"),
        Err(why) => panic!("{why}"),
    }
}
