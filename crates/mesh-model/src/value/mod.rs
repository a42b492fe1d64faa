//! Value types that are valid by construction: parsing is where errors
//! happen, and a value that exists is valid.

mod duration;
mod names;
mod regex;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU16;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use self::duration::Duration;
pub use self::names::{HeaderName, Hostname, LabelKey, LabelValue, Name, rules};
pub use self::regex::{MAX_REGEX_LEN, Regex};

pub(crate) use self::names::checked_string;

/// Pod labels (or any Kubernetes label set), ordered by key.
pub type Labels = BTreeMap<LabelKey, LabelValue>;

/// A value that breaks its type's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {what}: it {reason}")]
pub struct ValueError {
    /// What the value was meant to be (`"duration"`, `"port"`).
    pub what: &'static str,
    /// The value as given.
    pub value: String,
    /// Which rule it breaks, as the end of a sentence.
    pub reason: String,
}

impl ValueError {
    /// A value `value` that is not a valid `what` because it `reason`.
    pub fn invalid(
        what: &'static str,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        let reason = reason.into();
        // Rules are written as "must ..." / "is ..."; keep the sentence whole.
        ValueError {
            what,
            value: value.into(),
            reason,
        }
    }
}

/// Implements `Serialize`/`Deserialize` for a number newtype through `TryFrom`.
macro_rules! number_serde {
    ($name:ident, $inner:ty, $expecting:literal) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.get().serialize(s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <$inner>::deserialize(d)?;
                $name::try_from(v).map_err(serde::de::Error::custom)
            }
        }
    };
}

// === Percent ===

/// A percentage from 0 to 100 inclusive, fractions allowed (`0.1` is one in
/// a thousand).
///
/// ```
/// use mesh_model::Percent;
/// assert_eq!(Percent::new(10.0).unwrap().get(), 10.0);
/// assert!(Percent::new(100.5).is_err());
/// assert!(Percent::new(f64::NAN).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, PartialOrd)]
pub struct Percent(f64);

impl Percent {
    /// 100%.
    pub const ALL: Percent = Percent(100.0);
    /// 0%.
    pub const NONE: Percent = Percent(0.0);

    /// Checks `value` is within 0..=100 and finite.
    pub fn new(value: f64) -> Result<Self, ValueError> {
        if value.is_finite() && (0.0..=100.0).contains(&value) {
            // Normalise -0.0 so that equal percentages compare and print equal.
            Ok(Percent(if value == 0.0 { 0.0 } else { value }))
        } else {
            Err(ValueError::invalid(
                "percentage",
                value.to_string(),
                "must be a number from 0 to 100",
            ))
        }
    }

    /// The percentage (0..=100).
    pub const fn get(self) -> f64 {
        self.0
    }

    /// As a fraction (0..=1).
    pub fn ratio(self) -> f64 {
        self.0 / 100.0
    }

    /// Whether this is 100%.
    pub fn is_all(&self) -> bool {
        self.0 >= 100.0
    }
}

impl Default for Percent {
    /// 100%.
    fn default() -> Self {
        Percent::ALL
    }
}

impl TryFrom<f64> for Percent {
    type Error = ValueError;
    fn try_from(v: f64) -> Result<Self, ValueError> {
        Percent::new(v)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Percent({})", self.0)
    }
}

number_serde!(Percent, f64, "a percentage");

// === Weight ===

/// A relative weight of a backend: its share is `weight / sum of weights`
/// (Istio since 1.15 and Gateway API read weights so). 0 to 1,000,000
/// (Gateway API's limit); 0 sends the backend nothing. The default is 1.
///
/// ```
/// use mesh_model::Weight;
/// assert_eq!(Weight::default().get(), 1);
/// assert!(Weight::new(1_000_001).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Weight(u32);

impl Weight {
    /// Largest weight.
    pub const MAX: u32 = 1_000_000;

    /// Checks `value` ≤ 1,000,000.
    pub fn new(value: u32) -> Result<Self, ValueError> {
        if value <= Self::MAX {
            Ok(Weight(value))
        } else {
            Err(ValueError::invalid(
                "weight",
                value.to_string(),
                "must be at most 1000000",
            ))
        }
    }

    /// The weight.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// Whether the weight is 1 (the default, left out of policy files).
    pub fn is_default(&self) -> bool {
        self.0 == 1
    }
}

impl Default for Weight {
    fn default() -> Self {
        Weight(1)
    }
}

impl TryFrom<u32> for Weight {
    type Error = ValueError;
    fn try_from(v: u32) -> Result<Self, ValueError> {
        Weight::new(v)
    }
}

impl fmt::Debug for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Weight({})", self.0)
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

number_serde!(Weight, u32, "a weight");

// === Port ===

/// A TCP port number, 1 to 65535.
///
/// ```
/// use mesh_model::Port;
/// assert_eq!(Port::new(8080).unwrap().get(), 8080);
/// assert!(Port::new(0).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Port(NonZeroU16);

impl Port {
    /// Checks `value` is 1..=65535.
    pub fn new(value: u32) -> Result<Self, ValueError> {
        u16::try_from(value)
            .ok()
            .and_then(NonZeroU16::new)
            .map(Port)
            .ok_or_else(|| {
                ValueError::invalid("port", value.to_string(), "must be from 1 to 65535")
            })
    }

    /// The port number.
    pub const fn get(self) -> u16 {
        self.0.get()
    }
}

impl From<NonZeroU16> for Port {
    fn from(v: NonZeroU16) -> Self {
        Port(v)
    }
}

impl TryFrom<u32> for Port {
    type Error = ValueError;
    fn try_from(v: u32) -> Result<Self, ValueError> {
        Port::new(v)
    }
}

impl TryFrom<u16> for Port {
    type Error = ValueError;
    fn try_from(v: u16) -> Result<Self, ValueError> {
        Port::new(u32::from(v))
    }
}

impl fmt::Debug for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Port({})", self.0)
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

number_serde!(Port, u32, "a port");

/// A port as a map key: a YAML integer key (`8080:`) or a JSON string key
/// (`"8080"`, decimal digits without a leading zero), so that a policy file
/// written as JSON by [`crate::policy::to_json`] reads back.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct PortKey(Port);

impl<'de> Deserialize<'de> for PortKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PortKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port number from 1 to 65535")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PortKey, E> {
                let v = u32::try_from(v).unwrap_or(u32::MAX);
                Port::new(v).map(PortKey).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PortKey, E> {
                let v = u32::try_from(v).unwrap_or(0);
                Port::new(v).map(PortKey).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PortKey, E> {
                let canonical =
                    !v.is_empty() && !v.starts_with('0') && v.bytes().all(|c| c.is_ascii_digit());
                match v.parse::<u32>() {
                    Ok(n) if canonical => Port::new(n).map(PortKey).map_err(E::custom),
                    _ => Err(E::custom(ValueError::invalid(
                        "port",
                        v,
                        "must be a port number from 1 to 65535",
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a map keyed by ports (see `PortKey`), for `deserialize_with`.
pub(crate) fn port_keys<'de, D, V>(d: D) -> Result<BTreeMap<Port, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let map = BTreeMap::<PortKey, V>::deserialize(d)?;
    Ok(map.into_iter().map(|(k, v)| (k.0, v)).collect())
}

// === HttpStatus ===

/// An HTTP status code, 100 to 599.
///
/// ```
/// use mesh_model::HttpStatus;
/// assert!(HttpStatus::new(503).is_ok());
/// assert!(HttpStatus::new(600).is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HttpStatus(u16);

impl HttpStatus {
    /// 200 OK.
    pub const OK: HttpStatus = HttpStatus(200);
    /// 404 Not Found.
    pub const NOT_FOUND: HttpStatus = HttpStatus(404);
    /// 503 Service Unavailable.
    pub const SERVICE_UNAVAILABLE: HttpStatus = HttpStatus(503);

    /// Checks `value` is 100..=599.
    pub fn new(value: u32) -> Result<Self, ValueError> {
        if (100..=599).contains(&value) {
            #[allow(clippy::cast_possible_truncation)]
            Ok(HttpStatus(value as u16))
        } else {
            Err(ValueError::invalid(
                "HTTP status",
                value.to_string(),
                "must be from 100 to 599",
            ))
        }
    }

    /// The code.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u32> for HttpStatus {
    type Error = ValueError;
    fn try_from(v: u32) -> Result<Self, ValueError> {
        HttpStatus::new(v)
    }
}

impl fmt::Debug for HttpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpStatus({})", self.0)
    }
}

impl fmt::Display for HttpStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

number_serde!(HttpStatus, u32, "an HTTP status");

// === Quantity ===

fn quantity_rule(s: &str) -> Result<(), &'static str> {
    // <number><suffix>, as resource.ParseQuantity reads it; no sign: resources are not negative.
    let b = s.as_bytes();
    let num_end = b
        .iter()
        .position(|c| !(c.is_ascii_digit() || *c == b'.'))
        .unwrap_or(b.len());
    let (num, suffix) = s.split_at(num_end);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return Err("must start with a non-negative number, such as 500m, 2Gi or 0.5");
    }
    let ok_suffix = matches!(
        suffix,
        "" | "m" | "k" | "M" | "G" | "T" | "P" | "E" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei"
    ) || suffix
        .strip_prefix(['e', 'E'])
        .map(|exp| {
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit())
        })
        .unwrap_or(false);
    if !ok_suffix {
        return Err(
            "has an unknown suffix; use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent",
        );
    }
    Ok(())
}

checked_string!(
    /// A Kubernetes resource quantity such as `500m` (CPU) or `2Gi`
    /// (memory), kept as written.
    ///
    /// ```
    /// use mesh_model::Quantity;
    /// assert!(Quantity::new("500m").is_ok());
    /// assert!(Quantity::new("2Gi").is_ok());
    /// assert!(Quantity::new("2GB").is_err());
    /// ```
    Quantity,
    "quantity",
    quantity_rule
);

impl Quantity {
    /// The quantity's value as a number (`500m` → 0.5, `2Gi` → 2147483648),
    /// for thresholds in queries. Exact for every quantity a person writes;
    /// very large exponents round as `f64` does.
    ///
    /// ```
    /// use mesh_model::Quantity;
    /// assert_eq!(Quantity::new("500m")?.value(), 0.5);
    /// assert_eq!(Quantity::new("2Gi")?.value(), 2147483648.0);
    /// assert_eq!(Quantity::new("1.5k")?.value(), 1500.0);
    /// assert_eq!(Quantity::new("5e3")?.value(), 5000.0);
    /// # Ok::<(), mesh_model::ValueError>(())
    /// ```
    pub fn value(&self) -> f64 {
        let s = self.as_str();
        let num_end = s
            .bytes()
            .position(|c| !(c.is_ascii_digit() || c == b'.'))
            .unwrap_or(s.len());
        let (num, suffix) = s.split_at(num_end);
        // The constructor checked the number's syntax.
        let n: f64 = num.parse().unwrap_or(0.0);
        let scale = match suffix {
            "" => 1.0,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            "Ki" => 1024f64,
            "Mi" => 1024f64.powi(2),
            "Gi" => 1024f64.powi(3),
            "Ti" => 1024f64.powi(4),
            "Pi" => 1024f64.powi(5),
            "Ei" => 1024f64.powi(6),
            exp => 10f64.powi(
                exp.get(1..)
                    .and_then(|e| e.parse::<i32>().ok())
                    .unwrap_or(0),
            ),
        };
        n * scale
    }
}

// === IpBlock ===

fn ip_block_rule(s: &str) -> Result<(), &'static str> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip = IpAddr::from_str(addr)
        .map_err(|_| "must be an IP address or a CIDR block such as 10.0.0.0/8")?;
    if let Some(p) = prefix {
        let max = if ip.is_ipv4() { 32 } else { 128 };
        let canonical = !p.is_empty()
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'));
        if !(canonical && p.parse::<u8>().is_ok_and(|bits| bits <= max)) {
            return Err("has a prefix length that is not a number within the address size");
        }
    }
    Ok(())
}

checked_string!(
    /// An IP address (`10.1.2.3`) or CIDR block (`10.0.0.0/8`, `2001:db8::/32`).
    ///
    /// ```
    /// use mesh_model::IpBlock;
    /// assert!(IpBlock::new("10.0.0.0/8").is_ok());
    /// assert!(IpBlock::new("10.0.0.0/33").is_err());
    /// ```
    IpBlock,
    "IP block",
    ip_block_rule
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        for ok in [
            "1", "500m", "0.5", "2Gi", "128Mi", "1e3", "1E-3", "2000m", ".5",
        ] {
            assert!(Quantity::new(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-1", "1GB", "m", "1.2.3", "1e", "abc"] {
            assert!(Quantity::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ip_blocks() {
        for ok in ["10.0.0.0/8", "1.2.3.4", "::1", "2001:db8::/32", "0.0.0.0/0"] {
            assert!(IpBlock::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "10.0.0.0/33",
            "10.0.0/8",
            "a.b.c.d",
            "::/129",
            "10.0.0.0/08",
            "",
        ] {
            assert!(IpBlock::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_from_serde() {
        assert_eq!(serde_json::from_str::<Port>("443").unwrap().get(), 443);
        assert!(serde_json::from_str::<Port>("0").is_err());
        assert!(serde_json::from_str::<Port>("70000").is_err());
        assert!(serde_json::from_str::<Percent>("101").is_err());
        assert_eq!(serde_json::from_str::<Percent>("12.5").unwrap().get(), 12.5);
        assert!(serde_json::from_str::<Weight>("2000000").is_err());
        assert!(serde_json::from_str::<HttpStatus>("99").is_err());
    }

    #[test]
    fn value_error_reads_as_a_sentence() {
        let e = Port::new(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"0\" is not a valid port: it must be from 1 to 65535"
        );
    }
}
