//! Concepts the Istio schemas repeat: string matches, percentages,
//! destinations, header operations, workload selectors, policy targets,
//! the status Istio writes, and the small value types they use.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU16;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use mesh_k8s::GoDuration;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

// === StringMatch ===

/// How a string (a path, a header value, a method, an origin...) is
/// matched: `{exact: ...}`, `{prefix: ...}` or `{regex: ...}` (RE2 syntax).
/// Matches are case-sensitive.
///
/// Serialized as a one-entry map (not as a YAML tag, which is what
/// serde_yaml does with a derived externally tagged enum).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StringMatch {
    /// The whole string equals this value.
    Exact(String),
    /// The string starts with this value (a plain string prefix, not a
    /// path-segment prefix: `/api` matches `/apix`).
    Prefix(String),
    /// The whole string matches this RE2 regular expression.
    Regex(String),
}

impl Serialize for StringMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            StringMatch::Exact(v) => single_entry(s, "exact", v),
            StringMatch::Prefix(v) => single_entry(s, "prefix", v),
            StringMatch::Regex(v) => single_entry(s, "regex", v),
        }
    }
}

/// Serializes `{key: value}`: how the Istio oneOf enums are written.
pub(crate) fn single_entry<S: Serializer, T: Serialize + ?Sized>(
    s: S,
    key: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(key, value)?;
    m.end()
}

impl StringMatch {
    /// `{exact: value}`.
    pub fn exact(value: impl Into<String>) -> Self {
        StringMatch::Exact(value.into())
    }

    /// `{prefix: value}`.
    pub fn prefix(value: impl Into<String>) -> Self {
        StringMatch::Prefix(value.into())
    }

    /// `{regex: value}`.
    pub fn regex(value: impl Into<String>) -> Self {
        StringMatch::Regex(value.into())
    }
}

// === Percentage ===

/// A percentage of traffic, `0.0` to `100.0` (`{value: 12.5}`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Percentage {
    /// The percentage, between 0 and 100.
    pub value: f64,
}

impl Percentage {
    /// `{value: percent}`.
    pub fn new(percent: f64) -> Self {
        Percentage { value: percent }
    }
}

// === Destinations ===

/// The port of a destination service: `{number: 8080}`. Only needed when
/// the service exposes more than one port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortSelector {
    /// The port number. (Optional in the schema, but a selector without
    /// a number selects nothing, so it is required here.)
    pub number: u32,
}

impl PortSelector {
    /// `{number: port}`.
    pub fn new(port: u32) -> Self {
        PortSelector { number: port }
    }
}

/// A service (and optionally one of its subsets and ports) that traffic is
/// sent to: a route destination, a mirror, a Sidecar egress proxy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Destination {
    /// The service's name in the registry: a Kubernetes Service short name
    /// (`reviews`, resolved in the rule's namespace), an FQDN
    /// (`reviews.default.svc.cluster.local`) or a ServiceEntry host.
    pub host: String,
    /// A subset defined in a DestinationRule for this host.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub subset: Option<String>,
    /// The port on the host; required when the service has several ports.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub port: Option<PortSelector>,
}

impl Destination {
    /// A destination with only a host.
    pub fn host(host: impl Into<String>) -> Self {
        Destination {
            host: host.into(),
            ..Destination::default()
        }
    }

    /// This destination with a subset.
    pub fn with_subset(mut self, subset: impl Into<String>) -> Self {
        self.subset = Some(subset.into());
        self
    }

    /// This destination with a port.
    pub fn with_port(mut self, port: u32) -> Self {
        self.port = Some(PortSelector::new(port));
        self
    }
}

// === Headers ===

/// Header changes for one direction: `set` overwrites, `add` appends,
/// `remove` deletes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderOperations {
    /// Headers to overwrite (name to value).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, String>,
    /// Headers to append (name to value).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<String, String>,
    /// Header names to remove.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

/// Header changes on the request (before forwarding) and on the response
/// (before returning it to the client).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Headers {
    /// Changes to the request headers.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub request: Option<HeaderOperations>,
    /// Changes to the response headers.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub response: Option<HeaderOperations>,
}

// === Selectors and targets ===

/// Selects workloads by labels (`workloadSelector: {labels: ...}` of the
/// networking kinds). Wildcards are not supported; an empty selector
/// selects every workload in the namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WorkloadSelector {
    /// Labels a workload must all have (values at most 63 characters, no
    /// `*`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, LabelValue>,
}

impl WorkloadSelector {
    /// A selector matching these labels.
    pub fn labels<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, InvalidValue> {
        let mut out = BTreeMap::new();
        for (k, v) in labels {
            out.insert(k.into(), LabelValue::new(v)?);
        }
        Ok(WorkloadSelector { labels: out })
    }
}

/// Selects workloads by labels (`selector: {matchLabels: ...}` of the
/// security, telemetry and extension kinds and DestinationRule's
/// `workloadSelector`). Absent or empty selects every workload in the
/// namespace (the whole mesh in the root namespace).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicySelector {
    /// Labels a workload must all have. Keys are non-empty and values at
    /// most 63 characters; neither may contain `*`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<LabelKey, LabelValue>,
}

impl PolicySelector {
    /// A selector matching these labels.
    pub fn labels<K: Into<String>, V: Into<String>>(
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, InvalidValue> {
        let mut match_labels = BTreeMap::new();
        for (k, v) in labels {
            match_labels.insert(LabelKey::new(k)?, LabelValue::new(v)?);
        }
        Ok(PolicySelector { match_labels })
    }
}

/// A label key in a selector: non-empty, without `*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LabelKey(String);

impl LabelKey {
    /// Checks the key.
    pub fn new(key: impl Into<String>) -> Result<Self, InvalidValue> {
        let key = key.into();
        if key.is_empty() {
            return Err(InvalidValue::new("label key", key, "key must not be empty"));
        }
        if key.contains('*') {
            return Err(InvalidValue::new(
                "label key",
                key,
                "wildcard not allowed in label key match",
            ));
        }
        Ok(LabelKey(key))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for LabelKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LabelKey::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A label value in a selector: at most 63 characters, without `*`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LabelValue(String);

impl LabelValue {
    /// Checks the value.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidValue> {
        let value = value.into();
        if value.chars().count() > 63 {
            return Err(InvalidValue::new(
                "label value",
                value,
                "longer than 63 characters",
            ));
        }
        if value.contains('*') {
            return Err(InvalidValue::new(
                "label value",
                value,
                "wildcard not allowed in label value match",
            ));
        }
        Ok(LabelValue(value))
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for LabelValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        LabelValue::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A reference to the resource a policy attaches to (a Gateway API
/// `Gateway`, a `Service`, a `ServiceEntry`, a `GatewayClass`), in the
/// policy's own namespace.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetRef {
    /// API group of the target (`gateway.networking.k8s.io`; empty for the
    /// core group).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub group: Option<Group>,
    /// Kind of the target (`Gateway`, `Service`...).
    pub kind: RefKind,
    /// Name of the target (1 to 253 characters).
    pub name: RefName,
    /// Must be empty or absent: cross-namespace references are not
    /// supported.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub namespace: Option<EmptyNamespace>,
}

impl TargetRef {
    /// A reference to `kind/name` in `group`.
    pub fn new(group: &str, kind: &str, name: &str) -> Result<Self, InvalidValue> {
        Ok(TargetRef {
            group: Some(Group::new(group)?),
            kind: RefKind::new(kind)?,
            name: RefName::new(name)?,
            namespace: None,
        })
    }
}

/// What a policy applies to: workloads by label, or attached resources.
/// The schema allows at most one of `selector`, `targetRef`, `targetRefs`;
/// with none, the policy applies to every workload in its namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyTarget {
    /// `selector`: workloads with these labels.
    Selector(PolicySelector),
    /// `targetRef` (deprecated in favour of `targetRefs`).
    TargetRef(TargetRef),
    /// `targetRefs`: up to 16 resources.
    TargetRefs(Vec<TargetRef>),
}

impl PolicyTarget {
    /// Builds the target from the three wire fields, at most one set.
    pub(crate) fn from_parts(
        selector: Option<PolicySelector>,
        target_ref: Option<TargetRef>,
        target_refs: Option<Vec<TargetRef>>,
    ) -> Result<Option<Self>, String> {
        match (selector, target_ref, target_refs) {
            (None, None, None) => Ok(None),
            (Some(s), None, None) => Ok(Some(PolicyTarget::Selector(s))),
            (None, Some(r), None) => Ok(Some(PolicyTarget::TargetRef(r))),
            (None, None, Some(rs)) => {
                if rs.len() > 16 {
                    return Err("targetRefs: at most 16 items".to_owned());
                }
                Ok(Some(PolicyTarget::TargetRefs(rs)))
            }
            _ => Err("only one of targetRefs or selector can be set".to_owned()),
        }
    }

    /// The three wire fields of the target, borrowed (for writing).
    pub(crate) fn parts(
        target: Option<&Self>,
    ) -> (
        Option<&PolicySelector>,
        Option<&TargetRef>,
        Option<&Vec<TargetRef>>,
    ) {
        match target {
            None => (None, None, None),
            Some(PolicyTarget::Selector(s)) => (Some(s), None, None),
            Some(PolicyTarget::TargetRef(r)) => (None, Some(r), None),
            Some(PolicyTarget::TargetRefs(rs)) => (None, None, Some(rs)),
        }
    }

    /// Splits the target into the three wire fields.
    pub(crate) fn into_parts(
        target: Option<Self>,
    ) -> (
        Option<PolicySelector>,
        Option<TargetRef>,
        Option<Vec<TargetRef>>,
    ) {
        match target {
            None => (None, None, None),
            Some(PolicyTarget::Selector(s)) => (Some(s), None, None),
            Some(PolicyTarget::TargetRef(r)) => (None, Some(r), None),
            Some(PolicyTarget::TargetRefs(rs)) => (None, None, Some(rs)),
        }
    }
}

macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Checks the value.
            pub fn new(value: impl Into<String>) -> Result<Self, $crate::crds::common::InvalidValue> {
                let value = value.into();
                let check: fn(&str) -> Result<(), &'static str> = $check;
                match check(&value) {
                    Ok(()) => Ok($name(value)),
                    Err(reason) => Err($crate::crds::common::InvalidValue::new($what, value, reason)),
                }
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $name::new(<String as serde::Deserialize>::deserialize(d)?).map_err(serde::de::Error::custom)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
pub(crate) use checked_string;

fn is_dns_label_chars(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

checked_string!(
    /// An API group in a target reference: empty or a DNS subdomain
    /// (at most 253 characters).
    Group,
    "group",
    |s| {
        if s.len() > 253 {
            return Err("longer than 253 characters");
        }
        if s.is_empty() {
            return Ok(());
        }
        let ok = s.split('.').all(|l| {
            !l.is_empty() && is_dns_label_chars(l) && !l.starts_with('-') && !l.ends_with('-')
        });
        if ok {
            Ok(())
        } else {
            Err("must be a DNS subdomain (lower case letters, digits, '-' and '.')")
        }
    }
);

checked_string!(
    /// A kind in a target reference: 1 to 63 characters, a letter first,
    /// then letters, digits and `-`, not ending in `-`.
    RefKind,
    "kind",
    |s| {
        let ok = !s.is_empty()
            && s.len() <= 63
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !s.ends_with('-');
        if ok {
            Ok(())
        } else {
            Err("must match ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$ and be at most 63 characters")
        }
    }
);

checked_string!(
    /// A name in a target reference: 1 to 253 characters.
    RefName,
    "name",
    |s| {
        if s.is_empty() || s.chars().count() > 253 {
            Err("must be 1 to 253 characters")
        } else {
            Ok(())
        }
    }
);

checked_string!(
    /// The `namespace` of a target reference, which must be empty:
    /// cross-namespace references are not supported.
    EmptyNamespace,
    "namespace",
    |s| {
        if s.is_empty() {
            Ok(())
        } else {
            Err("cross namespace referencing is not currently supported")
        }
    }
);

checked_string!(
    /// A string that must not be empty (the schema's `minLength: 1`).
    NonEmptyString,
    "value",
    |s| {
        if s.is_empty() {
            Err("must be at least 1 character long")
        } else {
            Ok(())
        }
    }
);

checked_string!(
    /// An HTTP header name: letters, digits, `-` and `_` only.
    HeaderName,
    "header name",
    |s| {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            Ok(())
        } else {
            Err("must match ^[-_A-Za-z0-9]+$")
        }
    }
);

// === Port numbers ===

/// A port number from 1 to 65535, where the schema checks the range.
pub type PortNumber = NonZeroU16;

/// A port number written as a string (`"8080"`), as AuthorizationPolicy
/// and PeerAuthentication use them.
pub(crate) fn parse_port_key(s: &str) -> Result<PortNumber, &'static str> {
    s.parse::<u16>()
        .ok()
        .and_then(NonZeroU16::new)
        .ok_or("port must be between 1-65535")
}

// === Endpoint addresses ===

/// The address of a workload endpoint (WorkloadEntry, ServiceEntry
/// endpoint): an IP address, a Unix domain socket (`unix:///path` or the
/// abstract `unix://@name`), or a DNS name resolved by the proxy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// An IPv4 or IPv6 address, kept as written.
    Ip(IpAddr, String),
    /// A Unix domain socket: the text after `unix://`, an absolute path
    /// (`/var/run/app.sock`) or an abstract socket (`@name`), never a
    /// directory (ending in `/`).
    Unix(String),
    /// A DNS name (for `DNS` resolution).
    Hostname(String),
}

impl Address {
    /// Parses an address as written in a manifest.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        if let Some(path) = s.strip_prefix("unix://") {
            if !(path.starts_with('/') || path.starts_with('@')) {
                return Err(InvalidValue::new(
                    "address",
                    s,
                    "UDS must be an absolute path or abstract socket",
                ));
            }
            if path.ends_with('/') {
                return Err(InvalidValue::new("address", s, "UDS may not be a dir"));
            }
            return Ok(Address::Unix(path.to_owned()));
        }
        if s.chars().count() > 256 {
            return Err(InvalidValue::new(
                "address",
                s,
                "longer than 256 characters",
            ));
        }
        match s.parse::<IpAddr>() {
            Ok(ip) => Ok(Address::Ip(ip, s.to_owned())),
            Err(_) => Ok(Address::Hostname(s.to_owned())),
        }
    }

    /// An IP address.
    pub fn ip(ip: IpAddr) -> Self {
        Address::Ip(ip, ip.to_string())
    }

    /// Whether this is a Unix domain socket.
    pub fn is_unix(&self) -> bool {
        matches!(self, Address::Unix(_))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Ip(_, text) => f.write_str(text),
            Address::Unix(path) => write!(f, "unix://{path}"),
            Address::Hostname(h) => f.write_str(h),
        }
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Address::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

// === Errors ===

/// A value that breaks a rule of the Istio schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} {value:?}: {reason}")]
pub struct InvalidValue {
    /// What the value is (`label key`, `address`...).
    pub what: &'static str,
    /// The value.
    pub value: String,
    /// The rule it breaks, in the API server's words where there are some.
    pub reason: &'static str,
}

impl InvalidValue {
    pub(crate) fn new(what: &'static str, value: impl Into<String>, reason: &'static str) -> Self {
        InvalidValue {
            what,
            value: value.into(),
            reason,
        }
    }
}

// === Status ===

/// The status Istio writes on its resources: conditions, analyzer
/// messages and the observed generation. The schema keeps unknown status
/// fields (`x-kubernetes-preserve-unknown-fields`), so anything else is
/// kept as is in [`other`](IstioStatus::other).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IstioStatus {
    /// Current state of the resource (`Reconciled`, `WaypointBound`...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<IstioCondition>,
    /// Errors and warnings from Istio's analyzers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation_messages: Vec<ValidationMessage>,
    /// The generation of the resource the status refers to.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub observed_generation: Option<IntOrString>,
    /// Status fields this type does not know, kept as read.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

/// One condition of an [`IstioStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IstioCondition {
    /// The condition's type (`Reconciled`, `istio.io/WaypointBound`...).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "type"
    )]
    pub type_: Option<String>,
    /// `True`, `False` or `Unknown`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// One-word CamelCase reason for the last transition.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
    /// Human-readable details of the last transition.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    /// When the condition was last probed.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_probe_time: Option<Time>,
    /// When the condition last changed status.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_transition_time: Option<Time>,
    /// The generation of the resource the condition refers to.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub observed_generation: Option<IntOrString>,
}

/// A message from Istio's analyzers in an [`IstioStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ValidationMessage {
    /// Link to the documentation of this message type.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub documentation_url: Option<String>,
    /// How severe the message is.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub level: Option<MessageLevel>,
    /// The message type.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none",
        rename = "type"
    )]
    pub type_: Option<MessageType>,
}

/// Severity of a [`ValidationMessage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MessageLevel {
    /// Unknown severity.
    #[serde(rename = "UNKNOWN")]
    Unknown,
    /// An error.
    #[serde(rename = "ERROR")]
    Error,
    /// A warning.
    #[serde(rename = "WARNING")]
    Warning,
    /// Information.
    #[serde(rename = "INFO")]
    Info,
}

/// The type of a [`ValidationMessage`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageType {
    /// The code, `IST` and four digits (`IST0101`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    /// The name (`ReferencedResourceNotFound`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// Declares a closed set of wire strings as a Rust enum.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// The value as written in manifests.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;

// === Durations ===

/// A duration the schema requires to be at least 1ms (timeouts,
/// intervals, backoffs). Kept as written, like [`GoDuration`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PositiveDuration(GoDuration);

impl PositiveDuration {
    /// Checks that `d` is at least 1ms.
    pub fn new(d: GoDuration) -> Result<Self, InvalidValue> {
        if d.value()
            .is_none_or(|v| v < mesh_model::Duration::from_millis(1))
        {
            return Err(InvalidValue::new(
                "duration",
                d.as_str(),
                "must be a valid duration greater than 1ms",
            ));
        }
        Ok(PositiveDuration(d))
    }

    /// Parses Go duration text (`10s`, `1m30s`, `250ms`).
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let d = GoDuration::parse(text)
            .map_err(|_| InvalidValue::new("duration", text, "not a Go duration"))?;
        PositiveDuration::new(d)
    }

    /// The duration.
    pub fn duration(&self) -> &GoDuration {
        &self.0
    }
}

impl fmt::Display for PositiveDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<'de> Deserialize<'de> for PositiveDuration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        PositiveDuration::new(GoDuration::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

// === Header matches ===

/// A header or query-parameter match: a [`StringMatch`] on the value, or
/// `{}`, which matches when the header (parameter) is present with any
/// value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HeaderMatch {
    /// `{}`: the header is present.
    Present,
    /// The value matches.
    Value(StringMatch),
}

impl From<StringMatch> for HeaderMatch {
    fn from(m: StringMatch) -> Self {
        HeaderMatch::Value(m)
    }
}

impl Serialize for HeaderMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            HeaderMatch::Present => {
                use serde::ser::SerializeMap;
                s.serialize_map(Some(0))?.end()
            }
            HeaderMatch::Value(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for HeaderMatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Repr {
            #[serde(default)]
            exact: Option<String>,
            #[serde(default)]
            prefix: Option<String>,
            #[serde(default)]
            regex: Option<String>,
        }
        let r = Repr::deserialize(d)?;
        match (r.exact, r.prefix, r.regex) {
            (None, None, None) => Ok(HeaderMatch::Present),
            (Some(v), None, None) => Ok(HeaderMatch::Value(StringMatch::Exact(v))),
            (None, Some(v), None) => Ok(HeaderMatch::Value(StringMatch::Prefix(v))),
            (None, None, Some(v)) => Ok(HeaderMatch::Value(StringMatch::Regex(v))),
            _ => Err(serde::de::Error::custom(
                "only one of exact, prefix or regex can be set",
            )),
        }
    }
}

/// Implements `Serialize`/`Deserialize` for a struct declared with
/// `#[derive(Serialize, Deserialize)] #[serde(remote = "Self")]`, running
/// `$check(&value) -> Result<(), String>` after deserializing (the schema's
/// CEL rules that are not worth an enum).
macro_rules! checked_struct {
    ($name:ident, $check:expr) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $name::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = $name::deserialize(d)?;
                let check: fn(&$name) -> Result<(), String> = $check;
                check(&value).map_err(serde::de::Error::custom)?;
                Ok(value)
            }
        }
    };
}
pub(crate) use checked_struct;

/// A reference to an extension provider defined in the mesh config
/// (`meshConfig.extensionProviders[].name`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProviderRef {
    /// The provider's name (required, non-empty).
    pub name: NonEmptyString,
}

impl ProviderRef {
    /// A reference to the provider named `name`; `None` when `name` is
    /// empty.
    pub fn named(name: &str) -> Option<Self> {
        (!name.is_empty()).then(|| ProviderRef {
            name: NonEmptyString(name.to_owned()),
        })
    }
}

checked_string!(
    /// A port number written as a map key (`"8080"`), 1 to 65535.
    PortKey,
    "port",
    |s| parse_port_key(s).map(|_| ())
);

impl PortKey {
    /// The port.
    pub fn port(&self) -> PortNumber {
        parse_port_key(&self.0).unwrap_or(NonZeroU16::MIN)
    }
}

impl From<PortNumber> for PortKey {
    fn from(p: PortNumber) -> Self {
        PortKey(p.to_string())
    }
}

/// Reads an optional field that may be absent but not `null` (the schema's
/// fields are not `nullable` unless marked so: the API server rejects a
/// `null` there). Used with `#[serde(default, deserialize_with = ...)]`.
pub(crate) fn non_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}
