//! The public strategies of `mesh_linkerd::strategy`: every kind reads back equal from YAML and JSON, and every
//! generated object passes the upstream CRD schema and CEL rules (one
//! `crd-validate` run for the whole batch).
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_k8s::strategy::{CrdSize, append_yaml, round_trip, sample};
use mesh_k8s::testing::{crd_validate, in_ci};
use mesh_linkerd::strategy::{
    authorization_policy, egress_network, external_workload, external_workload_v1alpha1,
    http_local_rate_limit_policy, http_route, mesh_tls_authentication, network_authentication,
    server, server_authorization, service_profile, traffic_split, traffic_split_v1alpha1,
};
use proptest::prelude::*;

const BATCH: usize = 30;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn server_round_trips(x in server(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn http_route_round_trips(x in http_route(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn authorization_policy_round_trips(x in authorization_policy(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn mesh_tls_authentication_round_trips(x in mesh_tls_authentication(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn network_authentication_round_trips(x in network_authentication(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn server_authorization_round_trips(x in server_authorization(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn http_local_rate_limit_policy_round_trips(x in http_local_rate_limit_policy(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn egress_network_round_trips(x in egress_network(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn external_workload_round_trips(x in external_workload(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn external_workload_v1alpha1_round_trips(x in external_workload_v1alpha1(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_profile_round_trips(x in service_profile(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn traffic_split_round_trips(x in traffic_split(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn traffic_split_v1alpha1_round_trips(x in traffic_split_v1alpha1(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }
}

#[test]
fn every_kind_passes_crd_validate() {
    let size = CrdSize::default();
    let mut yaml = String::new();
    append_yaml(&mut yaml, "server", &sample(&server(size), BATCH, 1)).unwrap();
    append_yaml(
        &mut yaml,
        "http_route",
        &sample(&http_route(size), BATCH, 2),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "authorization_policy",
        &sample(&authorization_policy(size), BATCH, 3),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "mesh_tls_authentication",
        &sample(&mesh_tls_authentication(size), BATCH, 4),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "network_authentication",
        &sample(&network_authentication(size), BATCH, 5),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "server_authorization",
        &sample(&server_authorization(size), BATCH, 6),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "http_local_rate_limit_policy",
        &sample(&http_local_rate_limit_policy(size), BATCH, 7),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "egress_network",
        &sample(&egress_network(size), BATCH, 8),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "external_workload",
        &sample(&external_workload(size), BATCH, 9),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "external_workload_v1alpha1",
        &sample(&external_workload_v1alpha1(size), BATCH, 10),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "service_profile",
        &sample(&service_profile(size), BATCH, 11),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "traffic_split",
        &sample(&traffic_split(size), BATCH, 12),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "traffic_split_v1alpha1",
        &sample(&traffic_split_v1alpha1(size), BATCH, 13),
    )
    .unwrap();
    match crd_validate(&yaml) {
        Ok(report) => {
            println!("{}", report.output.trim_end());
            if !report.passed {
                let out = std::env::temp_dir().join("mesh-linkerd-strategies.yaml");
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
