//! [`Duration`]: a non-negative span of time in Go / Kubernetes syntax.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValueError;

const NS: u64 = 1;
const US: u64 = 1_000;
const MS: u64 = 1_000_000;
const S: u64 = 1_000_000_000;
const M: u64 = 60 * S;
const H: u64 = 60 * M;
/// Go's `time.Duration` is an `int64` of nanoseconds.
const MAX_NANOS: u64 = i64::MAX as u64;

/// A non-negative span of time, written as Go's `time.ParseDuration` and
/// Kubernetes read it: a sequence of decimal numbers, each with an optional
/// fraction and a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), such as `10s`,
/// `500ms`, `1m30s` or `1.5h`.
///
/// Parsing follows Go's algorithm exactly (its own test table is in this
/// module's tests) except that negative values are rejected. The range is
/// Go's: up to 2⁶³−1 nanoseconds (about 292 years).
///
/// The canonical text ([`Display`](fmt::Display)) uses only non-zero
/// components from hours down to nanoseconds (`1h`, `1m30s`, `1s500ms`,
/// `0s`), which every mesh's parser reads and which parses back to the same
/// value. Targets with narrower syntax are served by
/// [`gateway_api`](Duration::gateway_api) (GEP-2257) and
/// [`protobuf`](Duration::protobuf) (`"1.5s"`, the JSON form of
/// `google.protobuf.Duration`).
///
/// ```
/// use mesh_model::Duration;
/// let d: Duration = "1m30s".parse().unwrap();
/// assert_eq!(d.as_millis(), 90_000);
/// assert_eq!(d.to_string(), "1m30s");
/// assert_eq!("3600s".parse::<Duration>().unwrap().to_string(), "1h");
/// assert_eq!(d.protobuf(), "90s");
/// assert!("-1s".parse::<Duration>().is_err());
/// assert!("10".parse::<Duration>().is_err()); // a unit is required
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    nanos: u64,
}

impl Duration {
    /// Zero.
    pub const ZERO: Duration = Duration { nanos: 0 };
    /// The longest duration (2⁶³−1 ns).
    pub const MAX: Duration = Duration { nanos: MAX_NANOS };

    /// From nanoseconds; fails past 2⁶³−1.
    pub fn from_nanos(nanos: u64) -> Result<Self, ValueError> {
        if nanos > MAX_NANOS {
            return Err(ValueError::invalid(
                "duration",
                format!("{nanos}ns"),
                "is longer than the longest duration (2^63-1 ns)",
            ));
        }
        Ok(Duration { nanos })
    }

    /// From milliseconds (any `u32` fits).
    pub const fn from_millis(ms: u32) -> Self {
        Duration {
            nanos: ms as u64 * MS,
        }
    }

    /// From seconds (any `u32` fits).
    pub const fn from_secs(s: u32) -> Self {
        Duration {
            nanos: s as u64 * S,
        }
    }

    /// From minutes (any `u16` fits).
    pub const fn from_mins(m: u16) -> Self {
        Duration {
            nanos: m as u64 * M,
        }
    }

    /// Nanoseconds.
    pub const fn as_nanos(self) -> u64 {
        self.nanos
    }

    /// Whole milliseconds (truncated).
    pub const fn as_millis(self) -> u64 {
        self.nanos / MS
    }

    /// Whole seconds (truncated).
    pub const fn as_secs(self) -> u64 {
        self.nanos / S
    }

    /// Whether this is zero.
    pub const fn is_zero(self) -> bool {
        self.nanos == 0
    }

    /// Whether the value is a whole number of milliseconds (Istio and
    /// Envoy keep millisecond precision for most durations).
    pub const fn is_whole_millis(self) -> bool {
        self.nanos.is_multiple_of(MS)
    }

    /// `self × n`, or `None` past the longest duration.
    pub fn checked_mul(self, n: u32) -> Option<Duration> {
        let nanos = self.nanos.checked_mul(u64::from(n))?;
        (nanos <= MAX_NANOS).then_some(Duration { nanos })
    }

    /// `self + other`, or `None` past the longest duration.
    pub fn checked_add(self, other: Duration) -> Option<Duration> {
        let nanos = self.nanos.checked_add(other.nanos)?;
        (nanos <= MAX_NANOS).then_some(Duration { nanos })
    }

    /// As a `std::time::Duration`.
    pub const fn to_std(self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.nanos)
    }

    /// The text in Gateway API's duration syntax (GEP-2257:
    /// `^([0-9]{1,5}(h|m|s|ms)){1,4}$`), or `None` when the value has
    /// sub-millisecond precision or a component above 99999.
    ///
    /// ```
    /// use mesh_model::Duration;
    /// let d: Duration = "1.5s".parse().unwrap();
    /// assert_eq!(d.gateway_api().as_deref(), Some("1s500ms"));
    /// assert_eq!("10us".parse::<Duration>().unwrap().gateway_api(), None);
    /// ```
    pub fn gateway_api(self) -> Option<String> {
        if !self.is_whole_millis() {
            return None;
        }
        let text = self.to_string();
        let parts = self.parts();
        let fits = parts.iter().filter(|(v, _)| *v > 0).count() <= 4
            && parts.iter().all(|(v, _)| *v <= 99_999);
        fits.then_some(text)
    }

    /// The JSON form of `google.protobuf.Duration`: seconds with up to nine
    /// fractional digits and an `s` (`90s`, `0.500s` is written `0.5s`).
    pub fn protobuf(self) -> String {
        let secs = self.nanos / S;
        let frac = self.nanos % S;
        if frac == 0 {
            return format!("{secs}s");
        }
        let mut digits = format!("{frac:09}");
        while digits.ends_with('0') {
            digits.pop();
        }
        format!("{secs}.{digits}s")
    }

    /// (value, unit) for each of h, m, s, ms, us, ns.
    fn parts(self) -> [(u64, &'static str); 6] {
        let n = self.nanos;
        [
            (n / H, "h"),
            (n % H / M, "m"),
            (n % M / S, "s"),
            (n % S / MS, "ms"),
            (n % MS / US, "us"),
            (n % US, "ns"),
        ]
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0s");
        }
        for (v, unit) in self.parts() {
            if v > 0 {
                write!(f, "{v}{unit}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({self})")
    }
}

/// Go's `leadingInt`: the leading digits, or `None` on overflow.
fn leading_int(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x: u64 = 0;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        if x > (1 << 63) / 10 {
            return None;
        }
        x = x * 10 + u64::from(s[i] - b'0');
        if x > 1 << 63 {
            return None;
        }
        i += 1;
    }
    Some((x, &s[i..]))
}

/// Go's `leadingFraction`: the digits after the point, their scale, the rest.
fn leading_fraction(s: &[u8]) -> (u64, f64, &[u8]) {
    let mut x: u64 = 0;
    let mut scale = 1.0_f64;
    let mut overflow = false;
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        let c = s[i];
        i += 1;
        if overflow {
            continue;
        }
        if x > ((1 << 63) - 1) / 10 {
            overflow = true;
            continue;
        }
        let y = x * 10 + u64::from(c - b'0');
        if y > 1 << 63 {
            overflow = true;
            continue;
        }
        x = y;
        scale *= 10.0;
    }
    (x, scale, &s[i..])
}

fn unit_nanos(u: &[u8]) -> Option<u64> {
    Some(match u {
        b"ns" => NS,
        b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => US, // us, µs (U+00B5), μs (U+03BC)
        b"ms" => MS,
        b"s" => S,
        b"m" => M,
        b"h" => H,
        _ => return None,
    })
}

impl FromStr for Duration {
    type Err = ValueError;

    fn from_str(orig: &str) -> Result<Self, ValueError> {
        let err = |reason: &'static str| ValueError::invalid("duration", orig, reason);
        let mut s = orig.as_bytes();
        let mut neg = false;
        if let Some(&c) = s.first()
            && (c == b'-' || c == b'+')
        {
            neg = c == b'-';
            s = &s[1..];
        }
        if s == b"0" {
            return Ok(Duration::ZERO);
        }
        if s.is_empty() {
            return Err(err(
                "is empty; write a number and a unit such as 10s or 500ms",
            ));
        }
        let mut d: u64 = 0;
        while !s.is_empty() {
            if !(s[0] == b'.' || s[0].is_ascii_digit()) {
                return Err(err(
                    "must be numbers with units, such as 10s, 500ms or 1m30s",
                ));
            }
            let before = s.len();
            let (mut v, rest) = leading_int(s).ok_or_else(|| err("is too long"))?;
            s = rest;
            let pre = before != s.len();
            let mut f = 0;
            let mut scale = 1.0;
            let mut post = false;
            if s.first() == Some(&b'.') {
                s = &s[1..];
                let before = s.len();
                let (ff, sc, rest) = leading_fraction(s);
                f = ff;
                scale = sc;
                s = rest;
                post = before != s.len();
            }
            if !pre && !post {
                return Err(err(
                    "must be numbers with units, such as 10s, 500ms or 1m30s",
                ));
            }
            let i = s
                .iter()
                .position(|&c| c == b'.' || c.is_ascii_digit())
                .unwrap_or(s.len());
            if i == 0 {
                return Err(err("is missing a unit (ns, us, ms, s, m or h)"));
            }
            let unit = unit_nanos(&s[..i])
                .ok_or_else(|| err("has an unknown unit; use ns, us, ms, s, m or h"))?;
            s = &s[i..];
            if v > (1 << 63) / unit {
                return Err(err("is too long"));
            }
            v *= unit;
            if f > 0 {
                // Go does this in float64 too: nanosecond-exact for fractions of hours.
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    clippy::cast_precision_loss
                )]
                {
                    v += (f as f64 * (unit as f64 / scale)) as u64;
                }
                if v > 1 << 63 {
                    return Err(err("is too long"));
                }
            }
            d += v;
            if d > 1 << 63 {
                return Err(err("is too long"));
            }
        }
        // Go reads `-0.5ns` as 0 (fractions of a nanosecond are dropped); a
        // minus sign is accepted only before zeros.
        if neg && orig.bytes().any(|c| (b'1'..=b'9').contains(&c)) {
            return Err(err("must not be negative"));
        }
        if d > MAX_NANOS {
            return Err(err("is too long"));
        }
        Ok(Duration { nanos: d })
    }
}

impl TryFrom<&str> for Duration {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        s.parse()
    }
}

impl From<Duration> for std::time::Duration {
    fn from(d: Duration) -> Self {
        d.to_std()
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = ValueError;
    fn try_from(d: std::time::Duration) -> Result<Self, ValueError> {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(nanos)
    }
}

impl Serialize for Duration {
    fn serialize<Se: Serializer>(&self, s: Se) -> Result<Se::Ok, Se::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Duration;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as 10s, 500ms or 1m30s")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Duration, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Duration, E> {
                if v == 0 {
                    Ok(Duration::ZERO)
                } else {
                    Err(E::custom(format!(
                        "{v} has no unit; write it as a string with a unit, such as \"{v}s\""
                    )))
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Duration, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::custom(format!(
                        "{v} is negative; a duration must not be"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's own table (`time_test.go`, `parseDurationTests`), without the
    /// negative values this type rejects by design.
    #[test]
    fn go_parse_duration_cases() {
        let cases: &[(&str, u64)] = &[
            ("0", 0),
            ("5s", 5 * S),
            ("30s", 30 * S),
            ("1478s", 1478 * S),
            ("+5s", 5 * S),
            ("-0", 0),
            ("+0", 0),
            ("5.0s", 5 * S),
            ("5.6s", 5 * S + 600 * MS),
            ("5.s", 5 * S),
            (".5s", 500 * MS),
            ("1.0s", S),
            ("1.00s", S),
            ("1.004s", S + 4 * MS),
            ("1.0040s", S + 4 * MS),
            ("100.00100s", 100 * S + MS),
            ("10ns", 10),
            ("11us", 11 * US),
            ("12µs", 12 * US),
            ("12μs", 12 * US),
            ("13ms", 13 * MS),
            ("14s", 14 * S),
            ("15m", 15 * M),
            ("16h", 16 * H),
            ("3h30m", 3 * H + 30 * M),
            ("10.5s4m", 4 * M + 10 * S + 500 * MS),
            ("1h2m3s4ms5us6ns", H + 2 * M + 3 * S + 4 * MS + 5 * US + 6),
            ("39h9m14.425s", 39 * H + 9 * M + 14 * S + 425 * MS),
            ("52763797000ns", 52_763_797_000),
            ("0.3333333333333333333h", 20 * M),
            ("9007199254740993ns", (1 << 53) + 1),
            ("9223372036854775807ns", MAX_NANOS),
            ("9223372036854775.807us", MAX_NANOS),
            ("9223372036s854ms775us807ns", MAX_NANOS),
            ("0.100000000000000000000h", 6 * M),
            ("0.830103483285477580700h", 49 * M + 48 * S + 372_539_827),
        ];
        for &(text, nanos) in cases {
            let d: Duration = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.as_nanos(), nanos, "{text}");
            // Canonical text parses back to the same value.
            assert_eq!(d.to_string().parse::<Duration>().unwrap(), d, "{text}");
        }
    }

    /// Go's error table (`parseDurationErrorTests`), plus the negatives.
    #[test]
    fn go_parse_duration_errors() {
        for text in [
            "",
            "3",
            "-",
            "s",
            ".",
            "-.",
            ".s",
            "+.s",
            "1d",
            "\u{85}\u{85}",
            "\u{ff}ff",
            "hello \u{ff}ff world",
            "9223372036854775810ns",
            "9223372036854775808ns",
            "9223372036854775.808us",
            "9223372036854ms775us808ns",
            "-5s",
            "-2m3.4s",
            "-9223372036854775808ns",
            // Go reads these as 0; a minus sign before a non-zero digit is negative.
            "-0.5ns",
            "-.1ns",
            "1 s",
            "1S",
        ] {
            assert!(text.parse::<Duration>().is_err(), "{text:?} should fail");
        }
    }

    #[test]
    fn canonical_text() {
        for (text, canonical) in [
            ("3600s", "1h"),
            ("90s", "1m30s"),
            ("1.5s", "1s500ms"),
            ("0s", "0s"),
            ("1500us", "1ms500us"),
            ("25h", "25h"),
        ] {
            assert_eq!(text.parse::<Duration>().unwrap().to_string(), canonical);
        }
    }

    #[test]
    fn gateway_api_subset() {
        let g = |t: &str| t.parse::<Duration>().unwrap().gateway_api();
        assert_eq!(g("10s").as_deref(), Some("10s"));
        assert_eq!(g("0s").as_deref(), Some("0s"));
        assert_eq!(g("1h2m3s4ms").as_deref(), Some("1h2m3s4ms"));
        assert_eq!(g("100000h"), None);
        assert_eq!(g("1ms1us"), None);
    }

    #[test]
    fn protobuf_form() {
        let p = |t: &str| t.parse::<Duration>().unwrap().protobuf();
        assert_eq!(p("1m30s"), "90s");
        assert_eq!(p("500ms"), "0.5s");
        assert_eq!(p("1ns"), "0.000000001s");
        assert_eq!(p("0s"), "0s");
    }

    #[test]
    fn serde_forms() {
        let d: Duration = serde_json::from_str("\"1m\"").unwrap();
        assert_eq!(d, Duration::from_secs(60));
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1m\"");
        assert_eq!(
            serde_json::from_str::<Duration>("0").unwrap(),
            Duration::ZERO
        );
        assert!(serde_json::from_str::<Duration>("10").is_err());
        assert!(serde_json::from_str::<Duration>("-1").is_err());
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(
            Duration::from_secs(2).checked_mul(3),
            Some(Duration::from_secs(6))
        );
        assert_eq!(Duration::MAX.checked_mul(2), None);
        assert_eq!(
            Duration::MAX.checked_add(Duration::from_nanos(1).unwrap()),
            None
        );
    }
}
