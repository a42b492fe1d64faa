//! The public strategies generate valid values that survive a policy-file
//! round trip.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::strategy::{
    MeshSize, condition, egress, installation, jwt_provider, mesh, mtls_override, namespace_config,
    observability, operation, route, service_in, service_port, version,
};
use mesh_model::{AuthorizationPolicy, AuthzAction, AuthzRule, Mesh, Name, Scope};
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

    /// Security and service parts, inside a mesh with one service.
    #[test]
    fn security_and_service_parts_are_valid(
        service in service_in(MeshSize::core(), 0, Name::new("ns0").unwrap()),
        port in service_port(),
        extra in version(9),
        ns_mtls in mtls_override(Scope::Namespace(Name::new("ns0").unwrap())),
        svc_mtls in mtls_override(Scope::Service(mesh_model::ServiceRef {
            name: Name::new("svc0").unwrap(),
            namespace: Name::new("ns0").unwrap(),
        })),
        to in proptest::collection::vec(operation(), 0..3),
        when in proptest::collection::vec(condition(), 0..2),
    ) {
        let mut service = service;
        if service.ports.iter().all(|p| p.number != port.number) {
            service.ports.push(port);
        }
        service.versions.push(extra);
        let scope = Scope::Service(service.reference());
        let mut m = Mesh { services: vec![service], ..Mesh::default() };
        m.security.mtls.overrides = vec![ns_mtls, svc_mtls];
        m.security.authorization = vec![AuthorizationPolicy {
            name: Name::new("p").unwrap(),
            scope,
            action: AuthzAction::Allow,
            rules: vec![AuthzRule { from: vec![], to, when }],
        }];
        if let Err(e) = m.validate() {
            panic!("{e}\n{}", m.to_policy().unwrap());
        }
        let text = m.to_policy().unwrap();
        prop_assert_eq!(Mesh::from_policy(&text).unwrap(), m);
    }
}

/// Port-level mTLS modes (`ports: {9080: permissive}`) round-trip through
/// policy files: the writer puts number keys plain, not as strings.
#[test]
fn port_level_mtls_round_trips() {
    let text = "services:\n- name: svc0\n  namespace: ns0\n  ports:\n  - number: 9080\n    protocol: http\nsecurity:\n  mtls:\n    overrides:\n    - scope:\n        service:\n          name: svc0\n          namespace: ns0\n      ports:\n        9080: permissive\n";
    let m = Mesh::from_policy(text).unwrap();
    let written = m.to_policy().unwrap();
    assert!(written.contains("        9080: permissive\n"), "{written}");
    assert_eq!(Mesh::from_policy(&written).unwrap(), m);
}
