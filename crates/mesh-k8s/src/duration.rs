//! [`GoDuration`]: a duration field of a CRD, kept as written.

use std::fmt;

use mesh_model::Duration;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A duration field of a custom resource (`timeout: 10s`). It must parse as
/// a Go duration (what the meshes' controllers and the CRDs' CEL
/// `duration()` read), and it keeps the text as written so that a manifest
/// read and written back is unchanged (`3600s` stays `3600s`).
///
/// Go durations are signed, and some fields give negative values a meaning
/// (Consul's `requestTimeout: -1s` switches the timeout off). Fields whose
/// schema requires a positive duration use a checking wrapper where a kind
/// defines one (Istio's `PositiveDuration`); elsewhere a negative value is
/// read as written and left to the API server's CEL rules.
///
/// ```
/// use mesh_k8s::GoDuration;
/// let d: GoDuration = serde_json::from_str("\"3600s\"").unwrap();
/// assert_eq!(d.as_str(), "3600s");
/// assert_eq!(d.value().map(|v| v.as_secs()), Some(3600));
/// let off: GoDuration = serde_json::from_str("\"-1s\"").unwrap();
/// assert!(off.is_negative() && off.value().is_none());
/// assert!(serde_json::from_str::<GoDuration>("\"ten\"").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct GoDuration {
    text: String,
    /// The magnitude.
    value: Duration,
    negative: bool,
}

impl GoDuration {
    /// Parses `text`, keeping it as written.
    pub fn parse(text: impl Into<String>) -> Result<Self, mesh_model::ValueError> {
        let text = text.into();
        let (negative, magnitude) = match text.strip_prefix('-') {
            Some(rest) if !rest.starts_with(['-', '+']) => (true, rest),
            _ => (false, text.as_str()),
        };
        let value: Duration = magnitude.parse()?;
        let negative = negative && !value.is_zero();
        Ok(GoDuration {
            text,
            value,
            negative,
        })
    }

    /// A negative duration, written `-<value>` (`-1s`).
    pub fn negative(value: Duration) -> Self {
        GoDuration {
            text: format!("-{value}"),
            negative: !value.is_zero(),
            value,
        }
    }

    /// Whether the duration is negative.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The value, or `None` when it is negative.
    pub fn value(&self) -> Option<Duration> {
        (!self.negative).then_some(self.value)
    }

    /// Written in the canonical form (`1m30s`).
    pub fn canonical(value: Duration) -> Self {
        GoDuration {
            text: value.to_string(),
            value,
            negative: false,
        }
    }

    /// Written as protobuf JSON (`90s`, `0.5s`).
    pub fn protobuf(value: Duration) -> Self {
        GoDuration {
            text: value.protobuf(),
            value,
            negative: false,
        }
    }

    /// Written in Gateway API's GEP-2257 subset, or `None` if the value does
    /// not fit it.
    pub fn gateway_api(value: Duration) -> Option<Self> {
        value.gateway_api().map(|text| GoDuration {
            text,
            value,
            negative: false,
        })
    }
}

impl From<Duration> for GoDuration {
    fn from(value: Duration) -> Self {
        GoDuration::canonical(value)
    }
}

impl fmt::Display for GoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for GoDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GoDuration({:?})", self.text)
    }
}

impl Serialize for GoDuration {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for GoDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        GoDuration::parse(text).map_err(serde::de::Error::custom)
    }
}
