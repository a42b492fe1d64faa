//! The public strategies generate valid values that survive a policy-file
//! round trip.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::Mesh;
use mesh_model::strategy::{MeshSize, mesh};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generated_meshes_are_valid_and_round_trip(m in mesh(MeshSize::default())) {
        if let Err(e) = m.validate() {
            panic!("{e}\n{}", m.to_policy().unwrap());
        }
        let text = m.to_policy().unwrap();
        prop_assert_eq!(Mesh::from_policy(&text).unwrap(), m);
    }

    #[test]
    fn bigger_meshes_too(m in mesh(MeshSize { services: 12, routes_per_service: 6, versions_per_service: 4, policies: 8, rules_per_policy: 4 })) {
        if let Err(e) = m.validate() { panic!("{e}"); }
    }
}
