//! Deserialization helpers for the list-level rules of the CRDs:
//! `x-kubernetes-list-type: map|set` (unique keys), `minItems: 1`, and the
//! CEL rules on filter lists and CORS wildcard lists.

use std::collections::BTreeSet;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::GatewayApiError;

/// An item of a list the CRD keys by one of its fields
/// (`x-kubernetes-list-type: map`) or treats as a set.
pub(crate) trait Keyed {
    /// The list's wire name, for errors.
    const FIELD: &'static str;
    /// The item's key.
    fn key(&self) -> String;
}

impl Keyed for String {
    const FIELD: &'static str = "set";
    fn key(&self) -> String {
        self.clone()
    }
}

impl Keyed for Condition {
    const FIELD: &'static str = "conditions";
    fn key(&self) -> String {
        self.type_.clone()
    }
}

/// A list of filters with rules on the list as a whole (a filter type that
/// may appear once, filter types that exclude each other).
pub(crate) trait FilterList: Sized {
    /// Checks the list's rules.
    fn check_list(list: &[Self]) -> Result<(), GatewayApiError>;
}

/// Checks that no two items share a key.
pub(crate) fn check_unique<T: Keyed>(items: &[T]) -> Result<(), GatewayApiError> {
    let mut seen = BTreeSet::new();
    for item in items {
        let key = item.key();
        if !seen.insert(key.clone()) {
            return Err(GatewayApiError::Duplicate {
                field: T::FIELD,
                key,
            });
        }
    }
    Ok(())
}

/// A list whose items have unique keys.
pub(crate) fn unique<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    let items = Vec::<T>::deserialize(d)?;
    check_unique(&items).map_err(D::Error::custom)?;
    Ok(items)
}

/// A list with at least one item (`minItems: 1`).
pub(crate) fn non_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let items = Vec::<T>::deserialize(d)?;
    if items.is_empty() {
        return Err(D::Error::custom("must have at least 1 item"));
    }
    Ok(items)
}

/// A list with at least one item and unique keys.
pub(crate) fn non_empty_unique<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    let items = non_empty(d)?;
    check_unique(&items).map_err(D::Error::custom)?;
    Ok(items)
}

/// A set in which `*` (everything) may only appear alone (the CORS lists).
pub(crate) fn wildcard_set<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    let items: Vec<T> = unique(d)?;
    if items.len() > 1 && items.iter().any(|i| i.key() == "*") {
        return Err(D::Error::custom(GatewayApiError::Field {
            field: T::FIELD,
            reason: "cannot contain '*' alongside other values".to_owned(),
        }));
    }
    Ok(items)
}

/// A filter list, checked with [`FilterList::check_list`].
pub(crate) fn filters<'de, D, F>(d: D) -> Result<Vec<F>, D::Error>
where
    D: Deserializer<'de>,
    F: Deserialize<'de> + FilterList,
{
    let items = Vec::<F>::deserialize(d)?;
    F::check_list(&items).map_err(D::Error::custom)?;
    Ok(items)
}

/// Whether `s` is a lower-case RFC 1123 hostname, optionally (when
/// `wildcard`) prefixed by `*.`: the CRDs' `Hostname` pattern
/// `^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`.
pub(crate) fn is_hostname(s: &str, wildcard: bool) -> bool {
    let rest = match s.strip_prefix("*.") {
        Some(rest) if wildcard => rest,
        _ => s,
    };
    !s.is_empty()
        && s.len() <= 253
        && rest.split('.').all(|label| {
            let bytes = label.as_bytes();
            let ok_char = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            match (bytes.first(), bytes.last()) {
                (Some(first), Some(last)) => {
                    ok_char(first)
                        && ok_char(last)
                        && bytes.iter().all(|c| ok_char(c) || *c == b'-')
                }
                _ => false,
            }
        })
}

/// Whether `s` is an HTTP header name as the CRDs allow it: 1-256 RFC 7230
/// token characters (`^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$`).
pub(crate) fn is_header_name(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c))
}

/// Whether `s` is an API group: empty (core) or a DNS subdomain.
pub(crate) fn is_group(s: &str) -> bool {
    s.is_empty() || is_hostname(s, false)
}

/// Whether `s` is a kind: `^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$`, 1-63.
pub(crate) fn is_kind(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            b.len() <= 63
                && first.is_ascii_alphabetic()
                && last.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        }
        _ => false,
    }
}

/// Whether `s` is a controller name, `DOMAIN/PATH` (max 253).
pub(crate) fn is_controller_name(s: &str) -> bool {
    match s.split_once('/') {
        Some((domain, path)) => {
            s.len() <= 253
                && is_hostname(domain, false)
                && !path.is_empty()
                && path
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&c))
        }
        None => false,
    }
}

fn checked<'de, D, T>(d: D, ok: impl Fn(&T) -> bool, what: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + std::fmt::Debug,
{
    let value = T::deserialize(d)?;
    if !ok(&value) {
        return Err(D::Error::custom(format!("{value:?} is not a valid {what}")));
    }
    Ok(value)
}

/// A header name ([`is_header_name`]).
pub(crate) fn header_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(d, |s: &String| is_header_name(s), "header name")
}

/// A controller name ([`is_controller_name`]).
pub(crate) fn controller_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    checked(
        d,
        |s: &String| is_controller_name(s),
        "controller name (DOMAIN/PATH)",
    )
}

/// Route hostnames: hostnames or `*.` wildcards.
pub(crate) fn hostnames<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    checked(
        d,
        |v: &Vec<String>| v.iter().all(|h| is_hostname(h, true)),
        "list of hostnames",
    )
}

/// An optional precise hostname (no wildcard).
pub(crate) fn precise_hostname<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    checked(
        d,
        |h: &Option<String>| h.as_deref().is_none_or(|h| is_hostname(h, false)),
        "precise hostname",
    )
}
