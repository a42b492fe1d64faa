//! The README's "From proptest" example, compiled and run.
#![cfg(feature = "proptest")]

use meshwright::k8s::strategy::{CrdSize, round_trip};
use meshwright::model::strategy::{MeshSize, mesh};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn my_tool_accepts_any_mesh(m in mesh(MeshSize { services: 8, ..MeshSize::default() })) {
        prop_assert!(m.validate().is_ok());
        prop_assert!(m.services.len() <= 8);
    }

    #[test]
    fn virtual_services(vs in meshwright::istio::strategy::virtual_service(CrdSize::default())) {
        prop_assert_eq!(round_trip(&vs), Ok(()));
    }
}
