//! The public strategies of `mesh_k8s::strategy`: every kind reads back
//! equal from YAML and JSON, and every generated object passes the
//! upstream CRD schema and CEL rules (one `crd-validate` run).
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_k8s::strategy::{
    CrdSize, append_yaml, gateway, gateway_class, grpc_route, http_route, pod_monitor,
    prometheus_rule, reference_grant, round_trip, sample, service_monitor,
};
use mesh_k8s::testing::{crd_validate, in_ci};
use proptest::prelude::*;

const BATCH: usize = 40;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn http_route_round_trips(x in http_route(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn grpc_route_round_trips(x in grpc_route(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn gateway_round_trips(x in gateway(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn gateway_class_round_trips(x in gateway_class(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn reference_grant_round_trips(x in reference_grant(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn service_monitor_round_trips(x in service_monitor(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn pod_monitor_round_trips(x in pod_monitor(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }

    #[test]
    fn prometheus_rule_round_trips(x in prometheus_rule(CrdSize::default())) {
        prop_assert_eq!(round_trip(&x), Ok(()));
    }
}

#[test]
fn every_kind_passes_crd_validate() {
    let size = CrdSize::default();
    let mut yaml = String::new();
    append_yaml(&mut yaml, "HTTPRoute", &sample(&http_route(size), BATCH, 1)).unwrap();
    append_yaml(&mut yaml, "GRPCRoute", &sample(&grpc_route(size), BATCH, 2)).unwrap();
    append_yaml(&mut yaml, "Gateway", &sample(&gateway(size), BATCH, 3)).unwrap();
    append_yaml(
        &mut yaml,
        "GatewayClass",
        &sample(&gateway_class(size), BATCH, 4),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "ReferenceGrant",
        &sample(&reference_grant(size), BATCH, 5),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "ServiceMonitor",
        &sample(&service_monitor(size), BATCH, 6),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "PodMonitor",
        &sample(&pod_monitor(size), BATCH, 7),
    )
    .unwrap();
    append_yaml(
        &mut yaml,
        "PrometheusRule",
        &sample(&prometheus_rule(size), BATCH, 8),
    )
    .unwrap();
    match crd_validate(&yaml) {
        Ok(report) => {
            println!("{}", report.output.trim_end());
            if !report.passed {
                let out = std::env::temp_dir().join("mesh-k8s-strategies.yaml");
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
