//! [`PrometheusDuration`]: a duration in Prometheus syntax (`30s`, `1h30m`,
//! `1d`, `2w`, `1y`), kept as written.

use std::fmt;

use mesh_model::Duration;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Error;

const MS: u64 = 1;
const SECOND: u64 = 1_000 * MS;
const MINUTE: u64 = 60 * SECOND;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;
const YEAR: u64 = 365 * DAY;
/// Prometheus keeps durations as Go `time.Duration` (int64 nanoseconds).
const MAX_MS: u64 = i64::MAX as u64 / 1_000_000;

/// The units in the only order Prometheus accepts them, with their length
/// in milliseconds.
const UNITS: [(&str, u64); 7] = [
    ("y", YEAR),
    ("w", WEEK),
    ("d", DAY),
    ("h", HOUR),
    ("m", MINUTE),
    ("s", SECOND),
    ("ms", MS),
];

/// A duration in Prometheus syntax, as the Prometheus operator's CRDs
/// declare it (`^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$`):
/// whole numbers with the units `y` (365 days), `w`, `d`, `h`, `m`, `s`,
/// `ms`, each at most once and in that order, or a bare `0`.
///
/// This is not a Go duration ([`GoDuration`](crate::GoDuration)): `1d` and
/// `2w` are valid here, `1.5s` and `1m1h` are not. The text is kept as
/// written so that a manifest read and written back is unchanged; the value
/// has millisecond precision and is at most 2⁶³−1 ns (about 292 years), as
/// in Prometheus.
///
/// The CRD pattern also matches the empty string, which the operator reads
/// as "unset"; this type rejects it, so an empty duration field is written
/// by leaving the field out.
///
/// ```
/// use mesh_k8s::prometheus::PrometheusDuration;
/// let d = PrometheusDuration::parse("1h30m").unwrap();
/// assert_eq!(d.as_str(), "1h30m");
/// assert_eq!(d.as_millis(), 90 * 60 * 1000);
/// assert_eq!(PrometheusDuration::parse("14d").unwrap().canonical().as_str(), "2w");
/// assert!(PrometheusDuration::parse("1.5s").is_err()); // no fractions
/// assert!(PrometheusDuration::parse("1m1h").is_err()); // units in order
/// let from_model = PrometheusDuration::from_duration("90s".parse().unwrap()).unwrap();
/// assert_eq!(from_model.as_str(), "1m30s");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PrometheusDuration {
    text: String,
    millis: u64,
}

impl PrometheusDuration {
    /// Parses `text`, keeping it as written.
    pub fn parse(text: impl Into<String>) -> Result<Self, Error> {
        let text = text.into();
        match parse_millis(&text) {
            Ok(millis) => Ok(PrometheusDuration { text, millis }),
            Err(reason) => Err(Error::Duration { text, reason }),
        }
    }

    /// From milliseconds, written canonically (see
    /// [`canonical`](PrometheusDuration::canonical)); fails past 2⁶³−1 ns.
    pub fn from_millis(millis: u64) -> Result<Self, Error> {
        if millis > MAX_MS {
            return Err(Error::Duration {
                text: format!("{millis}ms"),
                reason: "is out of range (longer than 2^63-1 ns)",
            });
        }
        Ok(PrometheusDuration {
            text: format_millis(millis),
            millis,
        })
    }

    /// From a model [`Duration`], written canonically, or `None` when it
    /// has sub-millisecond precision (Prometheus durations stop at `ms`).
    pub fn from_duration(value: Duration) -> Option<Self> {
        if !value.is_whole_millis() {
            return None;
        }
        PrometheusDuration::from_millis(value.as_millis()).ok()
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value in milliseconds.
    pub fn as_millis(&self) -> u64 {
        self.millis
    }

    /// The value as a model [`Duration`].
    pub fn to_duration(&self) -> Duration {
        // Cannot fail: parsing caps the value at 2^63-1 ns.
        Duration::from_nanos(self.millis.saturating_mul(1_000_000)).unwrap_or(Duration::MAX)
    }

    /// The same value written as Prometheus writes it: the largest units
    /// first, years and weeks only when they divide the value (`90d`, not
    /// `12w6d`), `0s` for zero.
    pub fn canonical(&self) -> Self {
        PrometheusDuration {
            text: format_millis(self.millis),
            millis: self.millis,
        }
    }
}

fn parse_millis(text: &str) -> Result<u64, &'static str> {
    if text.is_empty() {
        return Err("is empty");
    }
    if text == "0" {
        return Ok(0);
    }
    let mut rest = text;
    let mut next_unit = 0;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err("must be whole numbers with units y, w, d, h, m, s, ms (e.g. 1h30m)");
        }
        let (number, after) = rest.split_at(digits);
        let (unit, after) = if let Some(after) = after.strip_prefix("ms") {
            ("ms", after)
        } else {
            match after.char_indices().nth(1) {
                Some((i, _)) => after.split_at(i),
                None => (after, ""),
            }
        };
        let Some(pos) = UNITS[next_unit..].iter().position(|(u, _)| *u == unit) else {
            return Err(if UNITS.iter().any(|(u, _)| *u == unit) {
                "has its units out of order or repeated (order: y, w, d, h, m, s, ms)"
            } else {
                "must be whole numbers with units y, w, d, h, m, s, ms (e.g. 1h30m)"
            });
        };
        let index = next_unit + pos;
        next_unit = index + 1;
        let value: u64 = number.parse().map_err(|_| "is out of range")?;
        total = value
            .checked_mul(UNITS[index].1)
            .and_then(|v| total.checked_add(v))
            .filter(|t| *t <= MAX_MS)
            .ok_or("is out of range (longer than 2^63-1 ns)")?;
        rest = after;
    }
    Ok(total)
}

fn format_millis(millis: u64) -> String {
    if millis == 0 {
        return "0s".to_owned();
    }
    let mut rest = millis;
    let mut out = String::new();
    for (unit, len) in UNITS {
        let exact_only = matches!(unit, "y" | "w");
        if exact_only && !rest.is_multiple_of(len) {
            continue;
        }
        let n = rest / len;
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
            rest -= n * len;
        }
    }
    out
}

impl std::str::FromStr for PrometheusDuration {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        PrometheusDuration::parse(s)
    }
}

impl TryFrom<&str> for PrometheusDuration {
    type Error = Error;
    fn try_from(s: &str) -> Result<Self, Error> {
        PrometheusDuration::parse(s)
    }
}

impl fmt::Display for PrometheusDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for PrometheusDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrometheusDuration({:?})", self.text)
    }
}

impl Serialize for PrometheusDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for PrometheusDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        PrometheusDuration::parse(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prometheus' own cases (prometheus/common model/time_test.go,
    /// TestParseDuration): input, value in ms, canonical text. The
    /// canonical text is today's `model.Duration.String()`, which writes
    /// years and weeks only when they divide the value: `3w2d1h` is
    /// `23d1h` (older versions of that test table expected `3w2d1h`).
    #[test]
    fn upstream_parse_table() {
        let cases: &[(&str, u64, &str)] = &[
            ("0", 0, "0s"),
            ("0w", 0, "0s"),
            ("0s", 0, "0s"),
            ("324ms", 324, "324ms"),
            ("3s", 3 * SECOND, "3s"),
            ("5m", 5 * MINUTE, "5m"),
            ("1h", HOUR, "1h"),
            ("4d", 4 * DAY, "4d"),
            ("4d1h", 4 * DAY + HOUR, "4d1h"),
            ("14d", 14 * DAY, "2w"),
            ("3w", 3 * WEEK, "3w"),
            ("3w2d1h", 3 * WEEK + 2 * DAY + HOUR, "23d1h"),
            ("10y", 10 * YEAR, "10y"),
        ];
        for (text, millis, canonical) in cases {
            let d = PrometheusDuration::parse(*text).unwrap();
            assert_eq!(d.as_str(), *text, "the text is kept as written");
            assert_eq!(d.as_millis(), *millis, "{text}");
            assert_eq!(d.canonical().as_str(), *canonical, "{text}");
        }
    }

    /// Upstream's TestParseBadDuration plus what the CRD pattern rejects.
    #[test]
    fn rejects() {
        for text in [
            // upstream
            "1",
            "1y1m1d",
            "-1w",
            "1.5d", // the CRD pattern
            "",
            "1m1h",
            "1s1s",
            "10us",
            "1ns",
            "1 s",
            " 1s",
            "1S",
            "1h ",
            "s",
            "ms",
            "00",
            "1e3s",
            "+1s", // past 2^63-1 ns
            "293y",
            "9223372036855ms",
        ] {
            assert!(PrometheusDuration::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn accepts() {
        let cases: &[(&str, u64)] = &[
            ("30s", 30 * SECOND),
            ("1h30m", 90 * MINUTE),
            ("1m30s500ms", 90 * SECOND + 500),
            ("5ms", 5),
            (
                "1y1w1d1h1m1s1ms",
                YEAR + WEEK + DAY + HOUR + MINUTE + SECOND + 1,
            ),
            ("0ms", 0),
            ("90d", 90 * DAY),
            ("007s", 7 * SECOND),
            ("292y", 292 * YEAR),
            ("9223372036854ms", MAX_MS),
        ];
        for (text, millis) in cases {
            assert_eq!(
                PrometheusDuration::parse(*text).unwrap().as_millis(),
                *millis,
                "{text}"
            );
        }
    }

    #[test]
    fn canonical_text() {
        let cases: &[(u64, &str)] = &[
            (0, "0s"),
            (90 * DAY, "90d"),
            (91 * DAY, "13w"),
            (YEAR + DAY, "366d"),
            (2 * YEAR, "2y"),
            (HOUR + 30 * MINUTE, "1h30m"),
            (1_500, "1s500ms"),
        ];
        for (millis, text) in cases {
            let d = PrometheusDuration::from_millis(*millis).unwrap();
            assert_eq!(d.as_str(), *text);
            assert_eq!(
                PrometheusDuration::parse(*text).unwrap().as_millis(),
                *millis
            );
        }
        assert!(PrometheusDuration::from_millis(MAX_MS + 1).is_err());
    }

    #[test]
    fn model_duration() {
        let d: Duration = "1.5s".parse().unwrap();
        assert_eq!(
            PrometheusDuration::from_duration(d).unwrap().as_str(),
            "1s500ms"
        );
        assert!(PrometheusDuration::from_duration("1us".parse().unwrap()).is_none());
        let p = PrometheusDuration::parse("1d").unwrap();
        assert_eq!(p.to_duration().as_secs(), 86_400);
    }

    #[test]
    fn serde_keeps_text() {
        let d: PrometheusDuration = serde_json::from_str("\"3600s\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"3600s\"");
        assert!(serde_json::from_str::<PrometheusDuration>("\"1.5m\"").is_err());
        assert!(serde_json::from_str::<PrometheusDuration>("30").is_err());
    }
}
