//! The public strategies generate valid values that survive a policy-file
//! round trip.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::strategy::{
    MeshSize, egress, installation, jwt_provider, mesh, namespace_config, observability, route,
    service_in,
};
use mesh_model::{Mesh, Scope};
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
    fn full_meshes_are_valid_and_round_trip(m in mesh(MeshSize { ambient: true, ..MeshSize::full() })) {
        if let Err(e) = m.validate() {
            panic!("{e}\n{}", m.to_policy().unwrap());
        }
        let text = m.to_policy().unwrap();
        prop_assert_eq!(Mesh::from_policy(&text).unwrap(), m);
    }

    #[test]
    fn bigger_meshes_too(m in mesh(MeshSize { services: 12, routes_per_service: 6, versions_per_service: 4, policies: 8, rules_per_policy: 4, ingresses: 4, external_services: 4, ..MeshSize::full() })) {
        if let Err(e) = m.validate() { panic!("{e}"); }
    }

    #[test]
    fn core_meshes_have_no_edges(m in mesh(MeshSize::core())) {
        prop_assert!(m.ingress.is_empty() && m.egress.is_default() && m.installation.is_none());
        prop_assert!(m.security.jwt.is_empty());
        m.validate().unwrap();
    }

    /// The parts' strategies are valid on their own, inside an otherwise
    /// empty mesh.
    #[test]
    fn parts_are_valid_alone(
        service in service_in(MeshSize::default(), 0, mesh_model::Name::new("ns0").unwrap()),
        egress in egress(3, mesh_model::Name::new("ns0").unwrap()),
        jwt in jwt_provider(0, vec![Scope::Mesh]),
        extra in namespace_config(0),
        observability in observability(),
        installation in installation(),
        route in route(),
    ) {
        let mut service = service;
        service.routes = vec![route];
        let m = Mesh {
            services: vec![service],
            egress,
            observability,
            installation: Some(installation),
            namespaces: vec![extra],
            ..Mesh::default()
        };
        let mut m = m;
        m.security.jwt = vec![jwt];
        if let Err(e) = m.validate() {
            panic!("{e}\n{}", m.to_policy().unwrap());
        }
        let text = m.to_policy().unwrap();
        prop_assert_eq!(Mesh::from_policy(&text).unwrap(), m);
    }
}
