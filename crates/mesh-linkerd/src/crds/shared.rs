//! Types more than one Linkerd kind uses: ports, networks, label selectors
//! (strictly parsed), object references, conditions and quantity weights.

use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU16;
use std::str::FromStr;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, Time,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// API group of Linkerd's policy kinds.
pub const POLICY_GROUP: &str = "policy.linkerd.io";
/// API group of the Gateway API kinds Linkerd can attach policy to.
pub const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

// === Port ===

/// A port of a workload, by number or by the name of a container port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Port {
    /// A port number, 1-65535.
    Number(NonZeroU16),
    /// A named port, which must exist in the pod spec (or the
    /// ExternalWorkload's `ports`).
    Name(String),
}

impl From<NonZeroU16> for Port {
    fn from(n: NonZeroU16) -> Self {
        Port::Number(n)
    }
}

impl From<&str> for Port {
    fn from(name: &str) -> Self {
        Port::Name(name.to_owned())
    }
}

// === Cidr ===

/// An IP network (`10.0.0.0/8`, `::/0`) or a single address (`10.0.0.1`),
/// as Linkerd's policy controller reads the `cidr` and `except` fields.
/// Written back in Rust's canonical text form, which for the forms used in
/// practice is the text as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cidr {
    /// A single address.
    Addr(IpAddr),
    /// An address with a prefix length (0-32 for IPv4, 0-128 for IPv6).
    /// Host bits are kept as written.
    Net(IpAddr, u8),
}

/// A string that is not an IP address or network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR network")]
pub struct CidrError(pub String);

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Self, CidrError> {
        let err = || CidrError(s.to_owned());
        match s.split_once('/') {
            None => s.parse().map(Cidr::Addr).map_err(|_| err()),
            Some((addr, len)) => {
                let addr: IpAddr = addr.parse().map_err(|_| err())?;
                if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(err());
                }
                let len: u8 = len.parse().map_err(|_| err())?;
                let max = if addr.is_ipv4() { 32 } else { 128 };
                if len > max {
                    return Err(err());
                }
                Ok(Cidr::Net(addr, len))
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cidr::Addr(a) => write!(f, "{a}"),
            Cidr::Net(a, len) => write!(f, "{a}/{len}"),
        }
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// === Network ===

/// A client network: an IP range, minus some exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Network {
    /// The network (or single address) the clients come from.
    pub cidr: Cidr,
    /// Networks or addresses inside `cidr` that are not included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<Cidr>,
}

impl Network {
    /// A network with no exceptions.
    pub fn new(cidr: Cidr) -> Self {
        Network {
            cidr,
            except: Vec::new(),
        }
    }
}

// === strict label selectors ===

/// The strict wire form of a `LabelSelector`: unknown fields and unknown
/// operators are errors, as on the API server with these CRDs
/// (k8s-openapi's own deserializer ignores unknown fields).
pub(crate) mod selector {
    use std::collections::BTreeMap;

    use super::*;

    /// The wire form of a label selector, strict.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub(crate) struct Repr {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        match_labels: Option<BTreeMap<String, String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        match_expressions: Option<Vec<Requirement>>,
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Requirement {
        key: String,
        #[serde(deserialize_with = "de_operator")]
        operator: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        values: Option<Vec<String>>,
    }

    fn de_operator<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let op = String::deserialize(d)?;
        match op.as_str() {
            "In" | "NotIn" | "Exists" | "DoesNotExist" => Ok(op),
            _ => Err(serde::de::Error::custom(format!(
                "label selector operator {op:?} is not one of In, NotIn, Exists, DoesNotExist"
            ))),
        }
    }

    impl From<Repr> for LabelSelector {
        fn from(r: Repr) -> Self {
            LabelSelector {
                match_labels: r.match_labels,
                match_expressions: r.match_expressions.map(|v| {
                    v.into_iter()
                        .map(|e| LabelSelectorRequirement {
                            key: e.key,
                            operator: e.operator,
                            values: e.values,
                        })
                        .collect()
                }),
            }
        }
    }

    impl From<LabelSelector> for Repr {
        fn from(s: LabelSelector) -> Self {
            Repr {
                match_labels: s.match_labels,
                match_expressions: s.match_expressions.map(|v| {
                    v.into_iter()
                        .map(|e| Requirement {
                            key: e.key,
                            operator: e.operator,
                            values: e.values,
                        })
                        .collect()
                }),
            }
        }
    }
}

// === references ===

/// A reference to an object in the policy's namespace by group, kind and
/// name, for kinds this crate has no variant for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalRef {
    /// API group of the referent; absent means the core group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the referent.
    pub kind: String,
    /// Name of the referent.
    pub name: String,
}

/// A reference to an object by group, kind, name and optional namespace,
/// for kinds this crate has no variant for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectRef {
    /// API group of the referent; absent means the core group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Kind of the referent.
    pub kind: String,
    /// Name of the referent.
    pub name: String,
    /// Namespace of the referent; absent means the referring object's
    /// namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// What a policy (`AuthorizationPolicy`, `HTTPLocalRateLimitPolicy`)
/// applies to: its `targetRef`. Known kinds are variants (written with their
/// canonical group: `policy.linkerd.io`, `gateway.networking.k8s.io`, or no
/// group for core kinds); anything else is kept as [`PolicyTarget::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "LocalRef", into = "LocalRef")]
pub enum PolicyTarget {
    /// A `policy.linkerd.io` Server: every request to that port.
    Server(String),
    /// A `policy.linkerd.io` HTTPRoute: requests matching that route.
    HttpRoute(String),
    /// A `gateway.networking.k8s.io` HTTPRoute.
    GatewayHttpRoute(String),
    /// A `gateway.networking.k8s.io` GRPCRoute.
    GatewayGrpcRoute(String),
    /// A Namespace (the policy's own): every Server in it.
    Namespace(String),
    /// Any other group/kind, kept as written.
    Other(LocalRef),
}

impl TryFrom<LocalRef> for PolicyTarget {
    type Error = String;
    fn try_from(r: LocalRef) -> Result<Self, String> {
        Ok(match (r.group.as_deref(), r.kind.as_str()) {
            (Some(POLICY_GROUP), "Server") => PolicyTarget::Server(r.name),
            (Some(POLICY_GROUP), "HTTPRoute") => PolicyTarget::HttpRoute(r.name),
            (Some(GATEWAY_GROUP), "HTTPRoute") => PolicyTarget::GatewayHttpRoute(r.name),
            (Some(GATEWAY_GROUP), "GRPCRoute") => PolicyTarget::GatewayGrpcRoute(r.name),
            (None, "Namespace") => PolicyTarget::Namespace(r.name),
            _ => PolicyTarget::Other(r),
        })
    }
}

impl From<PolicyTarget> for LocalRef {
    fn from(t: PolicyTarget) -> Self {
        let mk = |group: Option<&str>, kind: &str, name: String| LocalRef {
            group: group.map(str::to_owned),
            kind: kind.to_owned(),
            name,
        };
        match t {
            PolicyTarget::Server(n) => mk(Some(POLICY_GROUP), "Server", n),
            PolicyTarget::HttpRoute(n) => mk(Some(POLICY_GROUP), "HTTPRoute", n),
            PolicyTarget::GatewayHttpRoute(n) => mk(Some(GATEWAY_GROUP), "HTTPRoute", n),
            PolicyTarget::GatewayGrpcRoute(n) => mk(Some(GATEWAY_GROUP), "GRPCRoute", n),
            PolicyTarget::Namespace(n) => mk(None, "Namespace", n),
            PolicyTarget::Other(r) => r,
        }
    }
}

impl Default for PolicyTarget {
    /// A placeholder (a Server with an empty name) for `Default` specs.
    fn default() -> Self {
        PolicyTarget::Server(String::new())
    }
}

/// An authentication an `AuthorizationPolicy` requires, or a client of a
/// rate-limit override. Known kinds are variants; anything else is kept as
/// [`AuthenticationRef::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ObjectRef", into = "ObjectRef")]
pub enum AuthenticationRef {
    /// A `policy.linkerd.io` MeshTLSAuthentication: the client must have
    /// one of its mTLS identities.
    MeshTls {
        /// Its name.
        name: String,
        /// Its namespace; absent means the policy's namespace.
        namespace: Option<String>,
    },
    /// A `policy.linkerd.io` NetworkAuthentication: the client must come
    /// from one of its networks.
    Network {
        /// Its name.
        name: String,
        /// Its namespace; absent means the policy's namespace.
        namespace: Option<String>,
    },
    /// A core ServiceAccount: the client must have its mTLS identity.
    ServiceAccount {
        /// Its name.
        name: String,
        /// Its namespace; absent means the policy's namespace.
        namespace: Option<String>,
    },
    /// Any other group/kind, kept as written.
    Other(ObjectRef),
}

impl TryFrom<ObjectRef> for AuthenticationRef {
    type Error = String;
    fn try_from(r: ObjectRef) -> Result<Self, String> {
        Ok(match (r.group.as_deref(), r.kind.as_str()) {
            (Some(POLICY_GROUP), "MeshTLSAuthentication") => AuthenticationRef::MeshTls {
                name: r.name,
                namespace: r.namespace,
            },
            (Some(POLICY_GROUP), "NetworkAuthentication") => AuthenticationRef::Network {
                name: r.name,
                namespace: r.namespace,
            },
            (None, "ServiceAccount") => AuthenticationRef::ServiceAccount {
                name: r.name,
                namespace: r.namespace,
            },
            _ => AuthenticationRef::Other(r),
        })
    }
}

impl From<AuthenticationRef> for ObjectRef {
    fn from(a: AuthenticationRef) -> Self {
        let mk = |group: Option<&str>, kind: &str, name: String, namespace| ObjectRef {
            group: group.map(str::to_owned),
            kind: kind.to_owned(),
            name,
            namespace,
        };
        match a {
            AuthenticationRef::MeshTls { name, namespace } => {
                mk(Some(POLICY_GROUP), "MeshTLSAuthentication", name, namespace)
            }
            AuthenticationRef::Network { name, namespace } => {
                mk(Some(POLICY_GROUP), "NetworkAuthentication", name, namespace)
            }
            AuthenticationRef::ServiceAccount { name, namespace } => {
                mk(None, "ServiceAccount", name, namespace)
            }
            AuthenticationRef::Other(r) => r,
        }
    }
}

// === conditions ===

/// Status of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConditionStatus {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// Not known.
    Unknown,
}

/// A status condition of a Linkerd policy kind (`EgressNetwork`,
/// `HTTPLocalRateLimitPolicy`), as Linkerd's controllers write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    /// Condition type, CamelCase (`Accepted`).
    #[serde(rename = "type")]
    pub type_: String,
    /// Whether it holds.
    pub status: ConditionStatus,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// Programmatic CamelCase reason for the last transition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Human-readable details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

// === QuantityWeight ===

/// A weight written as a Kubernetes quantity: an integer (`500`) or a
/// quantity string (`"500m"`, `"1"`, `"0.5"`), kept as written. Used by
/// ServiceProfile `dstOverrides` and SMI TrafficSplit `v1alpha1`; weights are
/// relative to the other weights of the same list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QuantityWeight {
    /// An integer weight.
    Number(i64),
    /// A quantity string, checked against Kubernetes' quantity syntax.
    Quantity(#[serde(deserialize_with = "de_quantity")] Quantity),
}

impl QuantityWeight {
    /// A quantity-string weight, if `text` is a valid quantity.
    pub fn quantity(text: &str) -> Result<Self, String> {
        check_quantity(text)?;
        Ok(QuantityWeight::Quantity(Quantity(text.to_owned())))
    }
}

fn de_quantity<'de, D: Deserializer<'de>>(d: D) -> Result<Quantity, D::Error> {
    let s = String::deserialize(d)?;
    check_quantity(&s).map_err(serde::de::Error::custom)?;
    Ok(Quantity(s))
}

/// Checks Kubernetes' quantity syntax (the CRDs' pattern
/// `^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$`).
pub(crate) fn check_quantity(s: &str) -> Result<(), String> {
    fn number(s: &str) -> Option<&str> {
        // ([0-9]+(\.[0-9]*)?)|(\.[0-9]+), returns the rest.
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &s[digits..];
        if let Some(frac) = rest.strip_prefix('.') {
            let fd = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 && fd == 0 {
                return None;
            }
            Some(&frac[fd..])
        } else if digits == 0 {
            None
        } else {
            Some(rest)
        }
    }
    let bad = || Err(format!("{s:?} is not a Kubernetes quantity"));
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(suffix) = number(unsigned) else {
        return bad();
    };
    let ok = match suffix {
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T"
        | "P" | "E" => true,
        _ => match suffix.strip_prefix(['e', 'E']) {
            Some(exp) => {
                let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
                number(exp) == Some("")
            }
            None => false,
        },
    };
    if ok { Ok(()) } else { bad() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_syntax() {
        for ok in [
            "500m", "0m", "1", "0.5", ".5", "1.", "+3", "-2", "1Ki", "2e3", "2E-3", "1.5e+2",
        ] {
            assert!(check_quantity(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "m", ".", "1.2.3", "1KiB", "1x", "e3", "1e", "1e+", "--1", "1 ",
        ] {
            assert!(check_quantity(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cidr_table() {
        for (text, ok) in [
            ("0.0.0.0/0", true),
            ("::/0", true),
            ("10.244.0.1/32", true),
            ("10.0.0.1", true),
            ("fd00::/8", true),
            ("10.0.0.0/33", false),
            ("::/129", false),
            ("10.0.0.0/", false),
            ("10.0.0.0/+8", false),
            ("$machine_IP", false),
        ] {
            let parsed = text.parse::<Cidr>();
            assert_eq!(parsed.is_ok(), ok, "{text}");
            if let Ok(c) = parsed {
                assert_eq!(c.to_string(), text);
            }
        }
    }
}
