//! Arbitrary bytes as JSON (a leading `{` is added when missing, so the
//! JSON reader sees every input first), through every backend's
//! dispatcher: no panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mesh_k8s::parse::parse_str_best_effort;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = if text.starts_with('{') {
        text.to_owned()
    } else {
        format!("{{{text}")
    };
    let _ = parse_str_best_effort::<meshwright::istio::IstioObject>("fuzz", &text);
    let _ = parse_str_best_effort::<meshwright::linkerd::LinkerdObject>("fuzz", &text);
    let _ = parse_str_best_effort::<meshwright::consul::lower::ConsulObject>("fuzz", &text);
});
