//! Whatever parses, written back as YAML, parses again to the same typed
//! objects (parse → serialize → parse is the identity on what was read).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(objects) = meshwright::parse("fuzz", text) else {
        return;
    };
    let yaml = match objects.to_yaml_documents() {
        Ok(docs) => docs.join("---\n"),
        Err(e) => panic!("parsed objects do not serialize: {e}"),
    };
    match meshwright::parse("fuzz", &yaml) {
        Ok(again) => assert!(
            again == objects,
            "parse(serialize(x)) != x\ninput: {text:?}\nwritten: {yaml}"
        ),
        Err(e) => panic!("written YAML does not parse: {e}\ninput: {text:?}\nwritten: {yaml}"),
    }
});
