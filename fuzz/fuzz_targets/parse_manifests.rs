//! Arbitrary bytes as a manifest stream (YAML; JSON when it starts with
//! `{`), through every backend's dispatcher and the mesh-picking `parse`:
//! no panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mesh_k8s::parse::{K8sObject, parse_str_best_effort};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_str_best_effort::<K8sObject>("fuzz", text);
    let _ = parse_str_best_effort::<meshwright::istio::IstioObject>("fuzz", text);
    let _ = parse_str_best_effort::<meshwright::linkerd::LinkerdObject>("fuzz", text);
    let _ = parse_str_best_effort::<meshwright::consul::lower::ConsulObject>("fuzz", text);
    let _ = meshwright::parse("fuzz", text);
});
