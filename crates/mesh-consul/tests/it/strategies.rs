//! The public strategies of `mesh_consul::strategy`: every kind reads back equal from YAML and JSON, and every
//! generated object passes the upstream CRD schema and CEL rules (one
//! `crd-validate` run for the whole batch).
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_consul::strategy::{
    control_plane_request_limit, exported_services, gateway_class_config, gateway_policy,
    ingress_gateway, jwt_provider, mesh, mesh_service, peering_acceptor, peering_dialer,
    proxy_defaults, rate_limit, registration, route_auth_filter, route_ext_proc,
    route_retry_filter, route_timeout_filter, route_tls_sds_filter, sameness_group,
    service_defaults, service_intentions, service_resolver, service_router, service_splitter,
    terminating_gateway,
};
use mesh_k8s::strategy::{CrdSize, append_yaml, round_trip, sample};
use mesh_k8s::testing::{crd_validate, in_ci};
use proptest::prelude::*;

const BATCH: usize = 30;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn service_defaults_round_trips(x in service_defaults(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_router_round_trips(x in service_router(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_splitter_round_trips(x in service_splitter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_resolver_round_trips(x in service_resolver(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_intentions_round_trips(x in service_intentions(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn proxy_defaults_round_trips(x in proxy_defaults(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn mesh_round_trips(x in mesh(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn ingress_gateway_round_trips(x in ingress_gateway(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn terminating_gateway_round_trips(x in terminating_gateway(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn gateway_class_config_round_trips(x in gateway_class_config(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn gateway_policy_round_trips(x in gateway_policy(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn exported_services_round_trips(x in exported_services(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn sameness_group_round_trips(x in sameness_group(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn peering_acceptor_round_trips(x in peering_acceptor(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn peering_dialer_round_trips(x in peering_dialer(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn mesh_service_round_trips(x in mesh_service(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn jwt_provider_round_trips(x in jwt_provider(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn control_plane_request_limit_round_trips(x in control_plane_request_limit(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn rate_limit_round_trips(x in rate_limit(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn registration_round_trips(x in registration(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn route_auth_filter_round_trips(x in route_auth_filter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn route_ext_proc_round_trips(x in route_ext_proc(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn route_retry_filter_round_trips(x in route_retry_filter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn route_timeout_filter_round_trips(x in route_timeout_filter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn route_tls_sds_filter_round_trips(x in route_tls_sds_filter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }
}

#[test]
fn every_kind_passes_crd_validate() {
    let size = CrdSize::default();
    let mut yaml = String::new();
    append_yaml(
        &mut yaml,
        "service_defaults",
        &sample(&service_defaults(size), BATCH, 1),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "service_router",
        &sample(&service_router(size), BATCH, 2),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "service_splitter",
        &sample(&service_splitter(size), BATCH, 3),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "service_resolver",
        &sample(&service_resolver(size), BATCH, 4),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "service_intentions",
        &sample(&service_intentions(size), BATCH, 5),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "proxy_defaults",
        &sample(&proxy_defaults(size), BATCH, 6),
    )
    .unwrap();
    append_yaml(&mut yaml, "mesh", &sample(&mesh(size), BATCH, 7)).unwrap();
    append_yaml(
        &mut yaml,
        "ingress_gateway",
        &sample(&ingress_gateway(size), BATCH, 8),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "terminating_gateway",
        &sample(&terminating_gateway(size), BATCH, 9),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "gateway_class_config",
        &sample(&gateway_class_config(size), BATCH, 10),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "gateway_policy",
        &sample(&gateway_policy(size), BATCH, 11),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "exported_services",
        &sample(&exported_services(size), BATCH, 12),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "sameness_group",
        &sample(&sameness_group(size), BATCH, 13),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "peering_acceptor",
        &sample(&peering_acceptor(size), BATCH, 14),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "peering_dialer",
        &sample(&peering_dialer(size), BATCH, 15),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "mesh_service",
        &sample(&mesh_service(size), BATCH, 16),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "jwt_provider",
        &sample(&jwt_provider(size), BATCH, 17),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "control_plane_request_limit",
        &sample(&control_plane_request_limit(size), BATCH, 18),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "rate_limit",
        &sample(&rate_limit(size), BATCH, 19),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "registration",
        &sample(&registration(size), BATCH, 20),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "route_auth_filter",
        &sample(&route_auth_filter(size), BATCH, 21),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "route_ext_proc",
        &sample(&route_ext_proc(size), BATCH, 22),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "route_retry_filter",
        &sample(&route_retry_filter(size), BATCH, 23),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "route_timeout_filter",
        &sample(&route_timeout_filter(size), BATCH, 24),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "route_tls_sds_filter",
        &sample(&route_tls_sds_filter(size), BATCH, 25),
    )
    .unwrap();
    match crd_validate(&yaml) {
        Ok(report) => {
            println!("{}", report.output.trim_end());
            if !report.passed {
                let out = std::env::temp_dir().join("mesh-consul-strategies.yaml");
                std::fs::write(&out, &yaml).unwrap();
                panic!(
                    "generated objects fail crd-validate (batch in {}):\n{}",
                    out.display(),
                    report.output
                );
            }
        }
        Err(e) if in_ci() => panic!("{e}"),
        Err(e) => println!("skipped: {e}"),
    }
}
