//! Names with Kubernetes' rules: DNS-1123 labels and subdomains, DNS-1035
//! labels, qualified names (label and annotation keys), label values, host
//! names and HTTP header names.
//!
//! The checks are the ones in `k8s.io/apimachinery/pkg/util/validation`,
//! character for character; the [`rules`] module exposes them as plain
//! functions so that other crates (the manifest plumbing in `mesh-k8s`) can
//! validate strings they did not get as one of these types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValueError;

/// The Kubernetes name rules as functions returning the reason a string
/// breaks them.
pub mod rules {
    /// Longest DNS-1123 label.
    pub const DNS1123_LABEL_MAX: usize = 63;
    /// Longest DNS-1123 subdomain.
    pub const DNS1123_SUBDOMAIN_MAX: usize = 253;
    /// Longest label value.
    pub const LABEL_VALUE_MAX: usize = 63;
    /// Longest name part of a qualified name.
    pub const QUALIFIED_NAME_MAX: usize = 63;

    fn is_lower_alnum(c: u8) -> bool {
        c.is_ascii_lowercase() || c.is_ascii_digit()
    }

    fn is_alnum(c: u8) -> bool {
        c.is_ascii_alphanumeric()
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    pub fn dns1123_label(s: &str) -> Result<(), &'static str> {
        let b = s.as_bytes();
        if b.is_empty() {
            return Err("must not be empty");
        }
        if b.len() > DNS1123_LABEL_MAX {
            return Err("must be no more than 63 characters");
        }
        if !b.iter().all(|&c| is_lower_alnum(c) || c == b'-') {
            return Err("must consist of lower case alphanumeric characters or '-'");
        }
        if !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
            return Err("must start and end with an alphanumeric character");
        }
        Ok(())
    }

    /// `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters (Service names).
    pub fn dns1035_label(s: &str) -> Result<(), &'static str> {
        dns1123_label(s)?;
        if !s.as_bytes()[0].is_ascii_lowercase() {
            return Err("must start with a lower case letter");
        }
        Ok(())
    }

    /// Dot-separated DNS-1123 labels, at most 253 characters.
    pub fn dns1123_subdomain(s: &str) -> Result<(), &'static str> {
        if s.is_empty() {
            return Err("must not be empty");
        }
        if s.len() > DNS1123_SUBDOMAIN_MAX {
            return Err("must be no more than 253 characters");
        }
        for label in s.split('.') {
            if label.is_empty() {
                return Err("must not contain empty labels ('..', or a leading or trailing '.')");
            }
            let b = label.as_bytes();
            if !b.iter().all(|&c| is_lower_alnum(c) || c == b'-') {
                return Err("must consist of lower case alphanumeric characters, '-' or '.'");
            }
            if !is_lower_alnum(b[0]) || !is_lower_alnum(b[b.len() - 1]) {
                return Err(
                    "each '.'-separated part must start and end with an alphanumeric character",
                );
            }
        }
        Ok(())
    }

    /// A host name as meshes accept it: a DNS-1123 subdomain, optionally
    /// starting with the wildcard label `*.` (or the lone wildcard `*`).
    pub fn hostname(s: &str) -> Result<(), &'static str> {
        if s == "*" {
            return Ok(());
        }
        let rest = s.strip_prefix("*.").unwrap_or(s);
        if rest.contains('*') {
            return Err("may use '*' only as the whole first label ('*.example.com')");
        }
        dns1123_subdomain(rest)
    }

    fn qualified_name_part(s: &str) -> Result<(), &'static str> {
        let b = s.as_bytes();
        if b.is_empty() {
            return Err("name part must not be empty");
        }
        if b.len() > QUALIFIED_NAME_MAX {
            return Err("name part must be no more than 63 characters");
        }
        if !b
            .iter()
            .all(|&c| is_alnum(c) || c == b'-' || c == b'_' || c == b'.')
        {
            return Err("name part must consist of alphanumeric characters, '-', '_' or '.'");
        }
        if !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
            return Err("name part must start and end with an alphanumeric character");
        }
        Ok(())
    }

    /// A qualified name (label and annotation keys): an optional DNS-1123
    /// subdomain prefix and `/`, then a name of at most 63 characters of
    /// alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
    pub fn qualified_name(s: &str) -> Result<(), &'static str> {
        match s.split_once('/') {
            Some((prefix, name)) => {
                if prefix.is_empty() {
                    return Err("prefix part must not be empty");
                }
                dns1123_subdomain(prefix)
                    .map_err(|_| "prefix part must be a DNS-1123 subdomain")?;
                qualified_name_part(name)
            }
            None => qualified_name_part(s),
        }
    }

    /// A label value: empty, or at most 63 characters of alphanumerics, `-`,
    /// `_` and `.`, starting and ending alphanumeric.
    pub fn label_value(s: &str) -> Result<(), &'static str> {
        if s.is_empty() {
            return Ok(());
        }
        if s.len() > LABEL_VALUE_MAX {
            return Err("must be no more than 63 characters");
        }
        let b = s.as_bytes();
        if !b
            .iter()
            .all(|&c| is_alnum(c) || c == b'-' || c == b'_' || c == b'.')
        {
            return Err("must consist of alphanumeric characters, '-', '_' or '.'");
        }
        if !is_alnum(b[0]) || !is_alnum(b[b.len() - 1]) {
            return Err("must start and end with an alphanumeric character");
        }
        Ok(())
    }

    /// An HTTP header name: an RFC 7230 token of at most 256 characters (the
    /// Gateway API pattern `^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$`).
    pub fn header_name(s: &str) -> Result<(), &'static str> {
        if s.is_empty() {
            return Err("must not be empty");
        }
        if s.len() > 256 {
            return Err("must be no more than 256 characters");
        }
        let ok = s.bytes().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        });
        if !ok {
            return Err("must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
        }
        Ok(())
    }
}

/// Defines a string newtype whose constructor checks a rule.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $what:literal, $rule:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Checks `s` and wraps it.
            pub fn new(s: impl Into<String>) -> Result<Self, $crate::value::ValueError> {
                let s = s.into();
                match $rule(&s) {
                    Ok(()) => Ok(Self(s)),
                    Err(reason) => Err($crate::value::ValueError::invalid($what, s, reason)),
                }
            }

            /// The string.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Wraps a string the caller has built to satisfy the rule.
            #[allow(dead_code)]
            pub(crate) fn trusted(s: String) -> Self {
                debug_assert!($rule(&s).is_ok(), "{s:?} breaks the rule");
                Self(s)
            }

            /// The string, by value.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::value::ValueError;
            fn from_str(s: &str) -> Result<Self, $crate::value::ValueError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::value::ValueError;
            fn try_from(s: &str) -> Result<Self, $crate::value::ValueError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::value::ValueError;
            fn try_from(s: String) -> Result<Self, $crate::value::ValueError> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use checked_string;

checked_string!(
    /// A DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63
    /// characters): the name of a namespace, a version, a port, a route, a
    /// policy. Service names must in addition start with a letter (DNS-1035),
    /// which [`Mesh::validate`](crate::Mesh::validate) checks.
    ///
    /// ```
    /// use mesh_model::Name;
    /// assert!(Name::new("reviews-v2").is_ok());
    /// assert!(Name::new("Reviews").is_err());
    /// ```
    Name,
    "name (DNS-1123 label)",
    rules::dns1123_label
);

checked_string!(
    /// A host name: a DNS-1123 subdomain such as `api.company.com`, optionally
    /// with a leading wildcard label (`*.company.com`) or the lone wildcard
    /// `*`.
    ///
    /// ```
    /// use mesh_model::Hostname;
    /// assert!(Hostname::new("*.example.com").is_ok());
    /// assert!(Hostname::new("api.*.com").is_err());
    /// ```
    Hostname,
    "host name",
    rules::hostname
);

checked_string!(
    /// A label key (a Kubernetes qualified name: `app`,
    /// `app.kubernetes.io/name`).
    LabelKey,
    "label key",
    rules::qualified_name
);

checked_string!(
    /// A label value: empty or at most 63 alphanumerics, `-`, `_` and `.`,
    /// starting and ending alphanumeric.
    LabelValue,
    "label value",
    rules::label_value
);

impl Hostname {
    /// Whether the host starts with a wildcard label.
    pub fn is_wildcard(&self) -> bool {
        self.0.starts_with('*')
    }

    /// Whether the host is a single label (`reviews`): a short name that
    /// resolves only inside the client's own namespace.
    pub fn is_short(&self) -> bool {
        !self.0.contains('.')
    }
}

/// An HTTP header name. Header names are case-insensitive; this type keeps
/// them in lower case (Istio requires lower-case keys in matches, and HTTP/2
/// sends them so), so `X-Api-Version` and `x-api-version` are equal.
///
/// ```
/// use mesh_model::HeaderName;
/// let h = HeaderName::new("X-Api-Version").unwrap();
/// assert_eq!(h.as_str(), "x-api-version");
/// assert!(HeaderName::new("bad header").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeaderName(String);

impl HeaderName {
    /// Checks `s` and wraps it in lower case.
    pub fn new(s: impl Into<String>) -> Result<Self, ValueError> {
        let mut s = s.into();
        match rules::header_name(&s) {
            Ok(()) => {
                s.make_ascii_lowercase();
                Ok(Self(s))
            }
            Err(reason) => Err(ValueError::invalid("header name", s, reason)),
        }
    }

    /// The lower-case name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl FromStr for HeaderName {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::new(s)
    }
}

impl TryFrom<&str> for HeaderName {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Self::new(s)
    }
}

impl TryFrom<String> for HeaderName {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Self::new(s)
    }
}

impl Serialize for HeaderName {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for HeaderName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::rules::*;

    #[test]
    fn dns1123_labels() {
        for ok in ["a", "0", "a-b", "abc123", &"a".repeat(63)] {
            assert_eq!(dns1123_label(ok), Ok(()), "{ok}");
        }
        for bad in ["", "A", "-a", "a-", "a_b", "a.b", &"a".repeat(64), "ä"] {
            assert!(dns1123_label(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dns1035_labels() {
        assert_eq!(dns1035_label("web"), Ok(()));
        assert!(dns1035_label("1web").is_err());
    }

    #[test]
    fn subdomains() {
        for ok in ["a", "a.b", "a-1.b-2.c", "webapp.default.svc.cluster.local"] {
            assert_eq!(dns1123_subdomain(ok), Ok(()), "{ok}");
        }
        let too_long = format!("{}.{}", "a".repeat(200), "b".repeat(60));
        for bad in ["", ".a", "a.", "a..b", "A.b", "a_b.c", "-a.b", &too_long] {
            assert!(dns1123_subdomain(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hostnames() {
        for ok in ["*", "*.local", "api.company.com", "reviews"] {
            assert_eq!(hostname(ok), Ok(()), "{ok}");
        }
        for bad in ["*a.com", "a.*.com", "**.com", "", "Api.com"] {
            assert!(hostname(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn qualified_names() {
        for ok in [
            "app",
            "app.kubernetes.io/name",
            "linkerd.io/inject",
            "A_b.c",
            "istio-injection",
        ] {
            assert_eq!(qualified_name(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "/a",
            "a/",
            "a/b/c",
            "-a",
            "a-",
            "Example.com/a",
            &"a".repeat(64),
        ] {
            assert!(qualified_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        for ok in ["", "v1", "A-b_c.d", "true"] {
            assert_eq!(label_value(ok), Ok(()), "{ok}");
        }
        for bad in ["-a", "a b", "a/", &"a".repeat(64)] {
            assert!(label_value(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn header_names() {
        for ok in [
            "x-api-version",
            "end-user",
            "Cookie",
            ":authority"[1..].as_ref(),
        ] {
            assert_eq!(header_name(ok), Ok(()), "{ok}");
        }
        for bad in ["", "a b", "a:b", "é", &"a".repeat(257)] {
            assert!(header_name(bad).is_err(), "{bad}");
        }
    }
}
