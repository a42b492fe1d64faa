//! Strict serde for k8s-openapi's `SecretKeySelector` and
//! `ConfigMapKeySelector`, used with `#[serde(with = ...)]`.
//!
//! k8s-openapi's own impls ignore unknown fields and default a missing
//! `key` to `""`; here an unknown field or a missing `key` is an error, as
//! everywhere in meshwright's CRD types. `name` (CRD default `""`) is left
//! out on output when empty, so `name: ""` written explicitly comes back
//! absent (the same object for the API server, which defaults it to `""`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyRef {
    key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    optional: Option<bool>,
}

/// Borrowing form for serialization.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyRefOut<'a> {
    key: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    optional: Option<bool>,
}

fn secret_out(s: &SecretKeySelector) -> KeyRefOut<'_> {
    KeyRefOut {
        key: &s.key,
        name: &s.name,
        optional: s.optional,
    }
}

fn secret_in(k: KeyRef) -> SecretKeySelector {
    SecretKeySelector {
        key: k.key,
        name: k.name,
        optional: k.optional,
    }
}

/// A required `SecretKeySelector`.
pub(crate) mod secret {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(v: &SecretKeySelector, s: S) -> Result<S::Ok, S::Error> {
        secret_out(v).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<SecretKeySelector, D::Error> {
        KeyRef::deserialize(d).map(secret_in)
    }
}

/// An optional `SecretKeySelector` (use with `default`).
pub(crate) mod secret_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<SecretKeySelector>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.as_ref().map(secret_out).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<SecretKeySelector>, D::Error> {
        Ok(Option::<KeyRef>::deserialize(d)?.map(secret_in))
    }
}

/// A map of header name to Secret keys (`proxyConnectHeader`).
pub(crate) mod secret_headers {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        v: &BTreeMap<String, Vec<SecretKeySelector>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let out: BTreeMap<&str, Vec<KeyRefOut<'_>>> = v
            .iter()
            .map(|(k, list)| (k.as_str(), list.iter().map(secret_out).collect()))
            .collect();
        out.serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Vec<SecretKeySelector>>, D::Error> {
        let m = BTreeMap::<String, Vec<KeyRef>>::deserialize(d)?;
        Ok(m.into_iter()
            .map(|(k, list)| (k, list.into_iter().map(secret_in).collect()))
            .collect())
    }
}

/// An optional `ConfigMapKeySelector` (use with `default`).
pub(crate) mod config_map_opt {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        v: &Option<ConfigMapKeySelector>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|v| KeyRefOut {
                key: &v.key,
                name: &v.name,
                optional: v.optional,
            })
            .serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ConfigMapKeySelector>, D::Error> {
        Ok(
            Option::<KeyRef>::deserialize(d)?.map(|k| ConfigMapKeySelector {
                key: k.key,
                name: k.name,
                optional: k.optional,
            }),
        )
    }
}
