//! The public strategies of `mesh_istio::strategy`: every kind reads back equal from YAML and JSON, and every
//! generated object passes the upstream CRD schema and CEL rules (one
//! `crd-validate` run for the whole batch).
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_istio::strategy::{
    authorization_policy, destination_rule, envoy_filter, gateway, istio_operator,
    peer_authentication, proxy_config, request_authentication, service_entry, sidecar, telemetry,
    virtual_service, wasm_plugin, workload_entry, workload_group,
};
use mesh_k8s::strategy::{CrdSize, append_yaml, round_trip, sample};
use mesh_k8s::testing::{crd_validate, in_ci};
use proptest::prelude::*;

const BATCH: usize = 30;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn virtual_service_round_trips(x in virtual_service(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn destination_rule_round_trips(x in destination_rule(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn gateway_round_trips(x in gateway(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_entry_round_trips(x in service_entry(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn sidecar_round_trips(x in sidecar(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn peer_authentication_round_trips(x in peer_authentication(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn authorization_policy_round_trips(x in authorization_policy(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn request_authentication_round_trips(x in request_authentication(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn telemetry_round_trips(x in telemetry(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn proxy_config_round_trips(x in proxy_config(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn wasm_plugin_round_trips(x in wasm_plugin(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn envoy_filter_round_trips(x in envoy_filter(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn workload_entry_round_trips(x in workload_entry(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn workload_group_round_trips(x in workload_group(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn istio_operator_round_trips(x in istio_operator(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }
}

#[test]
fn every_kind_passes_crd_validate() {
    let size = CrdSize::default();
    let mut yaml = String::new();
    append_yaml(
        &mut yaml,
        "virtual_service",
        &sample(&virtual_service(size), BATCH, 1),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "destination_rule",
        &sample(&destination_rule(size), BATCH, 2),
    )
    .unwrap();
    append_yaml(&mut yaml, "gateway", &sample(&gateway(size), BATCH, 3)).unwrap();
    append_yaml(
        &mut yaml,
        "service_entry",
        &sample(&service_entry(size), BATCH, 4),
    )
    .unwrap();
    append_yaml(&mut yaml, "sidecar", &sample(&sidecar(size), BATCH, 5)).unwrap();
    append_yaml(
        &mut yaml,
        "peer_authentication",
        &sample(&peer_authentication(size), BATCH, 6),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "authorization_policy",
        &sample(&authorization_policy(size), BATCH, 7),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "request_authentication",
        &sample(&request_authentication(size), BATCH, 8),
    )
    .unwrap();
    append_yaml(&mut yaml, "telemetry", &sample(&telemetry(size), BATCH, 9)).unwrap();
    append_yaml(
        &mut yaml,
        "proxy_config",
        &sample(&proxy_config(size), BATCH, 10),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "wasm_plugin",
        &sample(&wasm_plugin(size), BATCH, 11),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "envoy_filter",
        &sample(&envoy_filter(size), BATCH, 12),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "workload_entry",
        &sample(&workload_entry(size), BATCH, 13),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "workload_group",
        &sample(&workload_group(size), BATCH, 14),
    )
    .unwrap();
    match crd_validate(&yaml) {
        Ok(report) => {
            println!("{}", report.output.trim_end());
            if !report.passed {
                let out = std::env::temp_dir().join("mesh-istio-strategies.yaml");
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
