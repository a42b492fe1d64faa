//! `Gateway` (v1, v1beta1): a load balancer's listeners, addresses and TLS,
//! and its status.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU16;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::GatewayApiError;
use super::common::{LocalObjectReference, ObjectReference, RouteGroupKind, SecretObjectReference};
use super::de::{self, Keyed};
use crate::{ApplyOrder, Kind, Object};

/// A typed `Gateway` object (preferred version v1; v1beta1 has the same
/// schema).
pub type Gateway = Object<GatewaySpec>;

/// The desired state of a `Gateway`: its class, listeners, addresses and
/// TLS settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewaySpec {
    /// Name of the `GatewayClass` (the controller) implementing this
    /// Gateway.
    pub gateway_class_name: String,
    /// Listeners: 1-64, distinct names, distinct port/protocol/hostname
    /// combinations (checked when reading).
    #[serde(deserialize_with = "listeners")]
    pub listeners: Vec<Listener>,
    /// Requested addresses (max 16, values distinct per type; not checked
    /// here). Default: assigned by the implementation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<GatewayAddress>,
    /// Labels, annotations and parameters for the resources the
    /// implementation creates for this Gateway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infrastructure: Option<GatewayInfrastructure>,
    /// Which ListenerSets may attach to this Gateway. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_listeners: Option<AllowedListeners>,
    /// Gateway-wide TLS: client certificate validation (frontend) and the
    /// client certificate towards backends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<GatewayTls>,
}

impl Kind for GatewaySpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "Gateway";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "gateways";
    const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
    const API_VERSIONS: &'static [&'static str] = &[
        "gateway.networking.k8s.io/v1",
        "gateway.networking.k8s.io/v1beta1",
    ];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Gateway;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = GatewayStatus;
}

impl Object<GatewaySpec> {
    /// A Gateway `namespace/name` of class `class` with one listener.
    ///
    /// ```
    /// use std::num::NonZeroU16;
    /// use mesh_k8s::gateway::{Gateway, Listener, ListenerTls, SecretObjectReference};
    ///
    /// let gw = Gateway::with_listener(
    ///     "public",
    ///     "infra",
    ///     "istio",
    ///     Listener::https("https", NonZeroU16::new(443).unwrap(), ListenerTls::terminate(
    ///         SecretObjectReference::secret("example-com-cert"),
    ///     ))
    ///     .with_hostname("*.example.com"),
    /// );
    /// assert_eq!(gw.spec.listeners.len(), 1);
    /// ```
    pub fn with_listener(
        name: impl Into<String>,
        namespace: &str,
        class: impl Into<String>,
        listener: Listener,
    ) -> Self {
        Object::new(
            name,
            Some(namespace),
            GatewaySpec {
                gateway_class_name: class.into(),
                listeners: vec![listener],
                ..GatewaySpec::default()
            },
        )
    }
}

fn listeners<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Listener>, D::Error> {
    let items: Vec<Listener> = de::non_empty_unique(d)?;
    let mut combos = BTreeSet::new();
    for l in &items {
        if !combos.insert((l.port, l.protocol.as_str(), l.hostname.as_deref())) {
            return Err(D::Error::custom(
                "Combination of port, protocol and hostname must be unique for each listener",
            ));
        }
    }
    Ok(items)
}

// === Listeners ===

/// A logical endpoint of the Gateway: a port, a protocol, optionally a
/// hostname, and which routes may attach.
///
/// Checked when reading: `tls` is forbidden for HTTP, TCP and UDP and
/// required for TLS; HTTPS only terminates TLS; TCP and UDP have no
/// hostname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "ListenerRepr"
)]
pub struct Listener {
    /// Name, unique in the Gateway (a DNS-1123 subdomain; checked when
    /// reading); routes select it with `sectionName`.
    pub name: String,
    /// Hostname (or `*.` wildcard) this listener serves; for HTTPS/TLS the
    /// SNI too. Default: every hostname. Not allowed for TCP and UDP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// Network port.
    pub port: NonZeroU16,
    /// Protocol.
    pub protocol: ProtocolType,
    /// TLS settings: required for `TLS`, optional for `HTTPS`, forbidden
    /// for `HTTP`, `TCP`, `UDP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ListenerTls>,
    /// Which routes may attach. Default: routes of the listener's
    /// protocol's kinds from the Gateway's namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_routes: Option<AllowedRoutes>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListenerRepr {
    name: String,
    #[serde(default)]
    hostname: Option<String>,
    port: NonZeroU16,
    protocol: ProtocolType,
    #[serde(default)]
    tls: Option<ListenerTls>,
    #[serde(default)]
    allowed_routes: Option<AllowedRoutes>,
}

impl TryFrom<ListenerRepr> for Listener {
    type Error = GatewayApiError;
    fn try_from(r: ListenerRepr) -> Result<Self, Self::Error> {
        let l = Listener {
            name: r.name,
            hostname: r.hostname,
            port: r.port,
            protocol: r.protocol,
            tls: r.tls,
            allowed_routes: r.allowed_routes,
        };
        l.check()?;
        Ok(l)
    }
}

impl Keyed for Listener {
    const FIELD: &'static str = "listeners";
    fn key(&self) -> String {
        self.name.clone()
    }
}

impl Listener {
    /// A plain HTTP listener.
    pub fn http(name: impl Into<String>, port: NonZeroU16) -> Self {
        Listener {
            name: name.into(),
            port,
            protocol: ProtocolType::Http,
            hostname: None,
            tls: None,
            allowed_routes: None,
        }
    }

    /// An HTTPS listener terminating TLS with `tls`.
    pub fn https(name: impl Into<String>, port: NonZeroU16, tls: ListenerTls) -> Self {
        Listener {
            name: name.into(),
            port,
            protocol: ProtocolType::Https,
            tls: Some(tls),
            hostname: None,
            allowed_routes: None,
        }
    }

    /// For this hostname only.
    pub fn with_hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = Some(hostname.into());
        self
    }

    /// With these attachment rules.
    pub fn with_allowed_routes(mut self, allowed: AllowedRoutes) -> Self {
        self.allowed_routes = Some(allowed);
        self
    }

    /// Checks the per-listener CEL rules (done when reading).
    pub fn check(&self) -> Result<(), GatewayApiError> {
        let err = |reason: &str| {
            Err(GatewayApiError::Field {
                field: "listeners",
                reason: format!("{}: {reason}", self.name),
            })
        };
        if !de::is_hostname(&self.name, false) {
            return err("name must be a DNS-1123 subdomain");
        }
        if let Some(h) = &self.hostname
            && !de::is_hostname(h, true)
        {
            return err("hostname must be a hostname or a *. wildcard");
        }
        let p = &self.protocol;
        if matches!(
            p,
            ProtocolType::Http | ProtocolType::Tcp | ProtocolType::Udp
        ) && self.tls.is_some()
        {
            return err("tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']");
        }
        if *p == ProtocolType::Https
            && let Some(tls) = &self.tls
            && tls.mode.unwrap_or_default() != TlsMode::Terminate
        {
            return err("tls mode must be Terminate for protocol HTTPS");
        }
        if *p == ProtocolType::Tls && self.tls.is_none() {
            return err("tls mode must be set for protocol TLS");
        }
        if matches!(p, ProtocolType::Tcp | ProtocolType::Udp)
            && self.hostname.as_deref().is_some_and(|h| !h.is_empty())
        {
            return err("hostname must not be specified for protocols ['TCP', 'UDP']");
        }
        Ok(())
    }
}

/// A listener protocol: the five core ones, or an implementation-specific
/// name (`HBONE`, `example.com/custom`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProtocolType {
    /// `HTTP`: accepts HTTPRoute (and GRPCRoute with h2c).
    Http,
    /// `HTTPS`: terminates TLS; accepts HTTPRoute, GRPCRoute.
    Https,
    /// `TLS`: TLS passthrough or termination; accepts TLSRoute (or
    /// TCPRoute when terminating).
    Tls,
    /// `TCP`: accepts TCPRoute.
    Tcp,
    /// `UDP`: accepts UDPRoute.
    Udp,
    /// Another protocol: a token (`HBONE`) or `domain/name`.
    Other(String),
}

impl ProtocolType {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            ProtocolType::Http => "HTTP",
            ProtocolType::Https => "HTTPS",
            ProtocolType::Tls => "TLS",
            ProtocolType::Tcp => "TCP",
            ProtocolType::Udp => "UDP",
            ProtocolType::Other(s) => s,
        }
    }
}

impl fmt::Display for ProtocolType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for ProtocolType {
    fn from(s: &str) -> Self {
        match s {
            "HTTP" => ProtocolType::Http,
            "HTTPS" => ProtocolType::Https,
            "TLS" => ProtocolType::Tls,
            "TCP" => ProtocolType::Tcp,
            "UDP" => ProtocolType::Udp,
            other => ProtocolType::Other(other.to_owned()),
        }
    }
}

impl Serialize for ProtocolType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProtocolType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() || s.len() > 255 {
            return Err(D::Error::custom("protocol must be 1-255 characters"));
        }
        Ok(ProtocolType::from(s.as_str()))
    }
}

/// TLS settings of a listener. `Terminate` (the default mode) needs
/// `certificateRefs` or `options` (checked when reading).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "ListenerTlsRepr"
)]
pub struct ListenerTls {
    /// Terminate or pass through. Default: `Terminate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<TlsMode>,
    /// Certificates (and keys) served, usually one `Secret` per key type
    /// (max 64). Cross-namespace references need a `ReferenceGrant`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificate_refs: Vec<SecretObjectReference>,
    /// Implementation-specific options (`example.com/my-option: value`; max
    /// 16).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListenerTlsRepr {
    #[serde(default)]
    mode: Option<TlsMode>,
    #[serde(default)]
    certificate_refs: Vec<SecretObjectReference>,
    #[serde(default)]
    options: BTreeMap<String, String>,
}

impl TryFrom<ListenerTlsRepr> for ListenerTls {
    type Error = GatewayApiError;
    fn try_from(r: ListenerTlsRepr) -> Result<Self, Self::Error> {
        if r.mode.unwrap_or_default() == TlsMode::Terminate
            && r.certificate_refs.is_empty()
            && r.options.is_empty()
        {
            return Err(GatewayApiError::Field {
                field: "tls",
                reason: "certificateRefs or options must be specified when mode is Terminate"
                    .to_owned(),
            });
        }
        Ok(ListenerTls {
            mode: r.mode,
            certificate_refs: r.certificate_refs,
            options: r.options,
        })
    }
}

impl ListenerTls {
    /// Terminate TLS with the certificate in `secret`.
    pub fn terminate(secret: SecretObjectReference) -> Self {
        ListenerTls {
            mode: Some(TlsMode::Terminate),
            certificate_refs: vec![secret],
            options: BTreeMap::new(),
        }
    }

    /// Pass TLS through to the backend (routes by SNI).
    pub fn passthrough() -> Self {
        ListenerTls {
            mode: Some(TlsMode::Passthrough),
            ..ListenerTls::default()
        }
    }
}

/// What a listener does with TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum TlsMode {
    /// Terminate TLS at the gateway (the default).
    #[default]
    Terminate,
    /// Forward the TLS stream untouched (routing by SNI).
    Passthrough,
}

/// Which routes may attach to a listener.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowedRoutes {
    /// Namespaces routes may come from. Default: the Gateway's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<RouteNamespaces>,
    /// Route kinds allowed (max 8). Default: those of the listener's
    /// protocol.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<RouteGroupKind>,
}

/// The namespaces routes may attach from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RouteNamespaces {
    /// Where from. Default: `Same`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<RouteNamespacesFrom>,
    /// The namespaces' labels, used (and to be set) when `from` is
    /// `Selector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
}

impl Eq for RouteNamespaces {}

/// Where routes may attach from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum RouteNamespacesFrom {
    /// Every namespace.
    All,
    /// Namespaces matching `selector`.
    Selector,
    /// The Gateway's namespace (the default).
    #[default]
    Same,
}

/// Which ListenerSets may attach to a Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AllowedListeners {
    /// Namespaces ListenerSets may come from. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<ListenerNamespaces>,
}

/// The namespaces ListenerSets may attach from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListenerNamespaces {
    /// Where from. Default: `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ListenerNamespacesFrom>,
    /// The namespaces' labels, used (and to be set) when `from` is
    /// `Selector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
}

impl Eq for ListenerNamespaces {}

/// Where ListenerSets may attach from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ListenerNamespacesFrom {
    /// Every namespace.
    All,
    /// Namespaces matching `selector`.
    Selector,
    /// The Gateway's namespace.
    Same,
    /// No ListenerSet (the default).
    #[default]
    None,
}

// === Addresses ===

/// The type of a Gateway address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum AddressType {
    /// `IPAddress`: an IPv4 or IPv6 address (the default).
    #[default]
    IpAddress,
    /// `Hostname`: a DNS name (or `*.` wildcard).
    Hostname,
    /// `NamedAddress`: an implementation-specific name for an address.
    NamedAddress,
    /// A `domain/name` implementation-specific type.
    Other(String),
}

impl AddressType {
    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            AddressType::IpAddress => "IPAddress",
            AddressType::Hostname => "Hostname",
            AddressType::NamedAddress => "NamedAddress",
            AddressType::Other(s) => s,
        }
    }
}

impl Serialize for AddressType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AddressType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "IPAddress" => AddressType::IpAddress,
            "Hostname" => AddressType::Hostname,
            "NamedAddress" => AddressType::NamedAddress,
            _ if s.contains('/') && s.len() <= 253 => AddressType::Other(s),
            _ => {
                return Err(D::Error::custom(format!(
                    "address type {s:?} is not IPAddress, Hostname, NamedAddress or domain/name"
                )));
            }
        })
    }
}

/// An address requested for a Gateway. An `IPAddress` value must be an
/// IPv4 or IPv6 address and a `Hostname` value a hostname (checked when
/// reading).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    deny_unknown_fields,
    try_from = "GatewayAddressRepr"
)]
pub struct GatewayAddress {
    /// Type. Default: `IPAddress`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub address_type: Option<AddressType>,
    /// The address (max 253). Default: one assigned by the implementation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GatewayAddressRepr {
    #[serde(rename = "type", default)]
    address_type: Option<AddressType>,
    #[serde(default)]
    value: Option<String>,
}

impl TryFrom<GatewayAddressRepr> for GatewayAddress {
    type Error = GatewayApiError;
    fn try_from(r: GatewayAddressRepr) -> Result<Self, Self::Error> {
        if let Some(value) = &r.value {
            let ok = match r.address_type.clone().unwrap_or_default() {
                AddressType::IpAddress => value.parse::<IpAddr>().is_ok(),
                AddressType::Hostname => de::is_hostname(value, true),
                _ => value.len() <= 253,
            };
            if !ok {
                return Err(GatewayApiError::Field {
                    field: "addresses",
                    reason: format!(
                        "{value:?} is not a valid {} value",
                        r.address_type.unwrap_or_default().as_str()
                    ),
                });
            }
        }
        Ok(GatewayAddress {
            address_type: r.address_type,
            value: r.value,
        })
    }
}

// === Infrastructure and TLS ===

/// Attributes of the resources an implementation creates for a Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayInfrastructure {
    /// Labels for those resources (max 8; qualified-name keys).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations for those resources (max 16; qualified-name keys).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Implementation-specific parameters object in the Gateway's
    /// namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters_ref: Option<LocalObjectReference>,
}

/// Gateway-wide TLS settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayTls {
    /// Towards backends: the client certificate the gateway presents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backend: Option<GatewayBackendTls>,
    /// Towards clients: validation of client certificates (mutual TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontend: Option<FrontendTls>,
}

/// TLS from the gateway to backends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayBackendTls {
    /// Certificate and key the gateway presents to backends that ask for
    /// one. Default: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificate_ref: Option<SecretObjectReference>,
}

/// Client certificate validation on HTTPS listeners.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrontendTls {
    /// Settings for every HTTPS listener without a per-port entry.
    pub default: TlsConfig,
    /// Settings per port, overriding `default` (max 64, distinct ports).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub per_port: Vec<TlsPortConfig>,
}

/// Client-facing TLS settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsConfig {
    /// Client certificate validation. Default: none (no mutual TLS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation: Option<FrontendTlsValidation>,
}

/// Client-facing TLS settings for one port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsPortConfig {
    /// The port (of HTTPS listeners) these settings apply to.
    pub port: NonZeroU16,
    /// The settings.
    pub tls: TlsConfig,
}

impl Keyed for TlsPortConfig {
    const FIELD: &'static str = "perPort";
    fn key(&self) -> String {
        self.port.to_string()
    }
}

/// Validation of client certificates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FrontendTlsValidation {
    /// CA bundles (PEM; usually `ConfigMap`s) trusted to sign client
    /// certificates: 1-16.
    #[serde(deserialize_with = "de::non_empty")]
    pub ca_certificate_refs: Vec<ObjectReference>,
    /// What to do with clients without a valid certificate. Default:
    /// `AllowValidOnly`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<FrontendValidationMode>,
}

/// What a gateway does with a client certificate that fails validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum FrontendValidationMode {
    /// Reject the connection (the default).
    #[default]
    AllowValidOnly,
    /// Accept it anyway (the route may check the result).
    AllowInsecureFallback,
}

// === Status ===

/// The observed state of a Gateway.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayStatus {
    /// Addresses bound to the Gateway (max 16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<GatewayStatusAddress>,
    /// Conditions (`Accepted`, `Programmed`; max 8, distinct types). The API
    /// server defaults them to `Unknown` / `Pending`.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "de::unique"
    )]
    pub conditions: Vec<Condition>,
    /// Status per listener (max 64).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listeners: Vec<ListenerStatus>,
    /// How many ListenerSets are attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_listener_sets: Option<i32>,
}

/// An address bound to a Gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewayStatusAddress {
    /// Type. Default: `IPAddress`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<AddressType>,
    /// The address (1-253 characters).
    pub value: String,
}

/// The observed state of one listener.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListenerStatus {
    /// The listener's name.
    pub name: String,
    /// Route kinds the listener supports (max 8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_kinds: Vec<RouteGroupKind>,
    /// How many routes are attached.
    pub attached_routes: i32,
    /// Conditions (`Accepted`, `Programmed`, `ResolvedRefs`, `Conflicted`;
    /// max 8, distinct types). Always written, possibly empty.
    #[serde(deserialize_with = "de::unique")]
    pub conditions: Vec<Condition>,
}
