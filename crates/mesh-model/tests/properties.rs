//! Properties of the value types and the mesh-neutral helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::{Duration, Name, percent_hundredths};
use proptest::prelude::*;

proptest! {
    /// Percentages add up to exactly 100.00%, each within 0.01% of the
    /// exact share, and a weight whose share is at least 0.005% (what
    /// validation allows) never rounds to zero.
    #[test]
    fn percentages_are_exact(weights in prop::collection::vec(0u32..=1_000_000, 1..12)) {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        match percent_hundredths(&weights) {
            None => prop_assert_eq!(total, 0),
            Some(p) => {
                prop_assert_eq!(p.iter().map(|x| u64::from(*x)).sum::<u64>(), 10_000);
                for (w, h) in weights.iter().zip(&p) {
                    let exact = f64::from(*w) * 10_000.0 / total as f64;
                    prop_assert!((f64::from(*h) - exact).abs() < 1.0, "{} vs {}", h, exact);
                    if *w > 0 && u64::from(*w) * 20_000 >= total {
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
