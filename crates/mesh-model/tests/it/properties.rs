//! Properties of the value types and the mesh-neutral helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::{Duration, Name, percent_hundredths};
use proptest::prelude::*;

proptest! {
    /// Percentages add up to exactly 100.00%, each within 0.01% of the
    /// exact share (or 0.02% for the few shares that give a hundredth to a
    /// tiny weight), and no non-zero weight rounds to zero.
    #[test]
    fn percentages_are_exact(weights in prop::collection::vec(0u32..=1_000_000, 1..12)) {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        match percent_hundredths(&weights) {
            None => prop_assert_eq!(total, 0),
            Some(p) => {
                prop_assert_eq!(p.iter().map(|x| u64::from(*x)).sum::<u64>(), 10_000);
                for (w, h) in weights.iter().zip(&p) {
                    let exact = f64::from(*w) * 10_000.0 / total as f64;
                    prop_assert!((f64::from(*h) - exact).abs() < 2.0, "{} vs {}", h, exact);
                    if *w > 0 {
                        prop_assert!(*h > 0);
                    }
                    if *w == 0 {
                        prop_assert_eq!(*h, 0);
                    }
                }
            }
        }
    }

    /// Canonical duration text parses back to the same value, and fits
    /// Gateway API's syntax whenever it has millisecond precision and
    /// small components.
    #[test]
    fn durations_round_trip(nanos in 0u64..=i64::MAX as u64) {
        let d = Duration::from_nanos(nanos).unwrap();
        let text = d.to_string();
        prop_assert_eq!(text.parse::<Duration>().unwrap(), d);
        prop_assert_eq!(d.protobuf().parse::<Duration>().unwrap(), d);
        if let Some(g) = d.gateway_api() {
            prop_assert_eq!(g.parse::<Duration>().unwrap(), d);
        }
    }

    /// Names accept exactly DNS-1123 labels.
    #[test]
    fn names_are_dns_labels(s in "[a-z0-9-]{0,70}") {
        let ok = !s.is_empty() && s.len() <= 63 && !s.starts_with('-') && !s.ends_with('-');
        prop_assert_eq!(Name::new(s.as_str()).is_ok(), ok);
    }
}

/// Arbitrary JSON values, with strings that tempt a YAML reader: words
/// like `on` and `n`, number- and date-like text, indicators, newlines.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let tricky = prop_oneof![
        Just("n".to_owned()),
        Just("on".to_owned()),
        Just("NULL".to_owned()),
        Just("0777".to_owned()),
        Just("94e944".to_owned()),
        Just("2001-12-14".to_owned()),
        Just("1:20".to_owned()),
        Just("- x".to_owned()),
        Just("a: b".to_owned()),
        Just("line\nbreak\n".to_owned()),
        Just(" lead".to_owned()),
        "[ -~\\n\\té]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        tricky.prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[ -~]{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever the emitter writes, a YAML reader reads back as the same
    /// value (numbers compared by value).
    #[test]
    fn yaml_emitter_round_trips(v in json_value()) {
        let text = mesh_model::yaml::to_string(&v).unwrap();
        let back: serde_json::Value = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        prop_assert!(same(&v, &back), "{}\n---\n{:?}\n{:?}", text, v, back);
    }
}

fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
