//! Arbitrary bytes as a policy file (`Mesh::from_policy`: parse, then
//! validate): no panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = meshwright::Mesh::from_policy(text);
});
