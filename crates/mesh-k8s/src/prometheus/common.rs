//! The types the Prometheus-operator kinds share: authentication, TLS,
//! proxy, relabeling, selectors and the small closed sets.

use std::collections::BTreeMap;
use std::num::NonZeroU16;

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use serde::{Deserialize, Deserializer, Serialize};

use super::Error;
use super::keyref;

// === Secrets and ConfigMaps ===

/// A key of a Secret or of a ConfigMap in the monitor's namespace: exactly
/// one of `secret` and `configMap` (the operator rejects both at once; an
/// empty `{}` is rejected here too: leave the field out instead).
#[derive(Debug, Clone, PartialEq)]
pub enum SecretOrConfigMap {
    /// `secret`: a key of a Secret.
    Secret(SecretKeySelector),
    /// `configMap`: a key of a ConfigMap.
    ConfigMap(ConfigMapKeySelector),
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SecretOrConfigMapRepr {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    secret: Option<SecretKeySelector>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::config_map_opt"
    )]
    config_map: Option<ConfigMapKeySelector>,
}

impl Serialize for SecretOrConfigMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let repr = match self.clone() {
            SecretOrConfigMap::Secret(secret) => SecretOrConfigMapRepr {
                secret: Some(secret),
                config_map: None,
            },
            SecretOrConfigMap::ConfigMap(config_map) => SecretOrConfigMapRepr {
                secret: None,
                config_map: Some(config_map),
            },
        };
        repr.serialize(s)
    }
}

impl<'de> Deserialize<'de> for SecretOrConfigMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match SecretOrConfigMapRepr::deserialize(d)? {
            SecretOrConfigMapRepr {
                secret: Some(s),
                config_map: None,
            } => Ok(SecretOrConfigMap::Secret(s)),
            SecretOrConfigMapRepr {
                secret: None,
                config_map: Some(c),
            } => Ok(SecretOrConfigMap::ConfigMap(c)),
            _ => Err(serde::de::Error::custom(Error::OneOf {
                fields: "`secret` and `configMap`",
            })),
        }
    }
}

// === TLS ===

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TlsVersion {
    /// TLS 1.0.
    #[serde(rename = "TLS10")]
    Tls10,
    /// TLS 1.1.
    #[serde(rename = "TLS11")]
    Tls11,
    /// TLS 1.2.
    #[serde(rename = "TLS12")]
    Tls12,
    /// TLS 1.3.
    #[serde(rename = "TLS13")]
    Tls13,
}

/// TLS settings for a scrape or token request that read certificates only
/// from Secrets and ConfigMaps (never from Prometheus' file system): the
/// `tlsConfig` of PodMonitor endpoints and of OAuth2.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SafeTlsConfig {
    /// CA certificate used to verify the server certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<SecretOrConfigMap>,
    /// Client certificate to present (needs `keySecret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert: Option<SecretOrConfigMap>,
    /// Secret key holding the client's private key (needs `cert`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    pub key_secret: Option<SecretKeySelector>,
    /// Skip verifying the server certificate. Default: false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    /// Host name to verify the server certificate against (and SNI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// Lowest TLS version accepted (Prometheus >= 2.35).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_version: Option<TlsVersion>,
    /// Highest TLS version accepted (Prometheus >= 2.41).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_version: Option<TlsVersion>,
}

/// TLS settings of a ServiceMonitor endpoint: [`SafeTlsConfig`] plus paths
/// to files in the Prometheus container (which a Prometheus can forbid with
/// `arbitraryFSAccessThroughSMs`). A file and its Secret/ConfigMap
/// counterpart (`caFile` and `ca`, ...) are alternatives; the operator
/// rejects both at once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TlsConfig {
    /// The settings read from Secrets and ConfigMaps.
    pub safe: SafeTlsConfig,
    /// Path of the CA certificate in the Prometheus container.
    pub ca_file: Option<String>,
    /// Path of the client certificate in the Prometheus container.
    pub cert_file: Option<String>,
    /// Path of the client key in the Prometheus container.
    pub key_file: Option<String>,
}

impl TlsConfig {
    /// Whether any file path is set (not allowed in PodMonitor endpoints).
    pub fn uses_files(&self) -> bool {
        self.ca_file.is_some() || self.cert_file.is_some() || self.key_file.is_some()
    }
}

impl From<SafeTlsConfig> for TlsConfig {
    fn from(safe: SafeTlsConfig) -> Self {
        TlsConfig {
            safe,
            ..TlsConfig::default()
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TlsConfigRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca: Option<SecretOrConfigMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ca_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cert: Option<SecretOrConfigMap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cert_file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    insecure_skip_verify: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_file: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    key_secret: Option<SecretKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_version: Option<TlsVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_version: Option<TlsVersion>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    server_name: Option<String>,
}

impl Serialize for TlsConfig {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.clone();
        TlsConfigRepr {
            ca: t.safe.ca,
            ca_file: t.ca_file,
            cert: t.safe.cert,
            cert_file: t.cert_file,
            insecure_skip_verify: t.safe.insecure_skip_verify,
            key_file: t.key_file,
            key_secret: t.safe.key_secret,
            max_version: t.safe.max_version,
            min_version: t.safe.min_version,
            server_name: t.safe.server_name,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for TlsConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = TlsConfigRepr::deserialize(d)?;
        let conflict = |first, second| serde::de::Error::custom(Error::Conflict { first, second });
        if r.ca.is_some() && r.ca_file.is_some() {
            return Err(conflict("ca", "caFile"));
        }
        if r.cert.is_some() && r.cert_file.is_some() {
            return Err(conflict("cert", "certFile"));
        }
        if r.key_secret.is_some() && r.key_file.is_some() {
            return Err(conflict("keySecret", "keyFile"));
        }
        Ok(TlsConfig {
            safe: SafeTlsConfig {
                ca: r.ca,
                cert: r.cert,
                key_secret: r.key_secret,
                insecure_skip_verify: r.insecure_skip_verify,
                server_name: r.server_name,
                min_version: r.min_version,
                max_version: r.max_version,
            },
            ca_file: r.ca_file,
            cert_file: r.cert_file,
            key_file: r.key_file,
        })
    }
}

// === Authentication ===

/// Credentials for the `Authorization` header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SafeAuthorization {
    /// Authentication type, case-insensitive (`Bearer`, the default, or a
    /// custom scheme; `Basic` is not allowed: use [`BasicAuth`]).
    #[serde(
        default,
        rename = "type",
        skip_serializing_if = "Option::is_none",
        deserialize_with = "auth_type"
    )]
    pub auth_type: Option<String>,
    /// Secret key holding the credentials.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    pub credentials: Option<SecretKeySelector>,
}

fn auth_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let t = Option::<String>::deserialize(d)?;
    if let Some(t) = &t
        && t.trim().eq_ignore_ascii_case("basic")
    {
        return Err(serde::de::Error::custom(Error::Invalid {
            field: "authorization.type",
            value: t.clone(),
            reason: "Basic is not supported; use basicAuth",
        }));
    }
    Ok(t)
}

/// HTTP Basic authentication from Secret keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BasicAuth {
    /// Secret key holding the user name.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    pub username: Option<SecretKeySelector>,
    /// Secret key holding the password.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    pub password: Option<SecretKeySelector>,
}

/// OAuth2 client-credentials authentication (Prometheus >= 2.27).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "OAuth2Repr", into = "OAuth2Repr")]
pub struct OAuth2 {
    /// Secret or ConfigMap key holding the client ID.
    pub client_id: SecretOrConfigMap,
    /// Secret key holding the client secret.
    pub client_secret: SecretKeySelector,
    /// URL to fetch the token from (`http://` or `https://`).
    pub token_url: String,
    /// Scopes requested with the token.
    pub scopes: Vec<String>,
    /// Extra URL parameters appended to the token URL.
    pub endpoint_params: BTreeMap<String, String>,
    /// TLS settings for the token request (Prometheus >= 2.43).
    pub tls_config: Option<SafeTlsConfig>,
    /// Proxy for the token request.
    pub proxy: ProxyConfig,
}

impl OAuth2 {
    /// Client ID and secret from Secret keys, for `token_url`.
    pub fn new(
        client_id: SecretOrConfigMap,
        client_secret: SecretKeySelector,
        token_url: impl Into<String>,
    ) -> Self {
        OAuth2 {
            client_id,
            client_secret,
            token_url: token_url.into(),
            scopes: Vec::new(),
            endpoint_params: BTreeMap::new(),
            tls_config: None,
            proxy: ProxyConfig::default(),
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct OAuth2Repr {
    client_id: SecretOrConfigMap,
    #[serde(with = "keyref::secret")]
    client_secret: SecretKeySelector,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    endpoint_params: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    no_proxy: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "keyref::secret_headers"
    )]
    proxy_connect_header: BTreeMap<String, Vec<SecretKeySelector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_from_environment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls_config: Option<SafeTlsConfig>,
    token_url: String,
}

impl TryFrom<OAuth2Repr> for OAuth2 {
    type Error = Error;
    fn try_from(r: OAuth2Repr) -> Result<Self, Error> {
        check_url("oauth2.tokenUrl", &r.token_url, &["http", "https"])?;
        Ok(OAuth2 {
            client_id: r.client_id,
            client_secret: r.client_secret,
            token_url: r.token_url,
            scopes: r.scopes,
            endpoint_params: r.endpoint_params,
            tls_config: r.tls_config,
            proxy: ProxyConfig::from_wire(
                r.proxy_url,
                r.no_proxy,
                r.proxy_from_environment,
                r.proxy_connect_header,
            )?,
        })
    }
}

impl From<OAuth2> for OAuth2Repr {
    fn from(o: OAuth2) -> Self {
        OAuth2Repr {
            client_id: o.client_id,
            client_secret: o.client_secret,
            endpoint_params: o.endpoint_params,
            no_proxy: o.proxy.no_proxy,
            proxy_connect_header: o.proxy.proxy_connect_header,
            proxy_from_environment: o.proxy.proxy_from_environment,
            proxy_url: o.proxy.proxy_url,
            scopes: o.scopes,
            tls_config: o.tls_config,
            token_url: o.token_url,
        }
    }
}

/// How Prometheus authenticates to a target: at most one of these (the
/// operator rejects a monitor endpoint that sets two).
#[derive(Debug, Clone, PartialEq)]
pub enum ScrapeAuth {
    /// `authorization`: credentials for the `Authorization` header.
    Authorization(SafeAuthorization),
    /// `basicAuth`: HTTP Basic authentication.
    BasicAuth(BasicAuth),
    /// `oauth2`: OAuth2 client credentials.
    OAuth2(Box<OAuth2>),
    /// `bearerTokenSecret`: a bearer token from a Secret key. Deprecated:
    /// use [`Authorization`](ScrapeAuth::Authorization).
    BearerTokenSecret(SecretKeySelector),
}

impl ScrapeAuth {
    /// A bearer token read from a Secret key (`authorization` with the
    /// default type `Bearer`).
    pub fn bearer(credentials: SecretKeySelector) -> Self {
        ScrapeAuth::Authorization(SafeAuthorization {
            auth_type: None,
            credentials: Some(credentials),
        })
    }

    /// Builds from the four optional wire fields; fails when two are set.
    pub(crate) fn from_wire(
        authorization: Option<SafeAuthorization>,
        basic_auth: Option<BasicAuth>,
        oauth2: Option<OAuth2>,
        bearer_token_secret: Option<SecretKeySelector>,
    ) -> Result<Option<Self>, Error> {
        let set: Vec<(&'static str, ScrapeAuth)> = [
            authorization.map(|a| ("authorization", ScrapeAuth::Authorization(a))),
            basic_auth.map(|b| ("basicAuth", ScrapeAuth::BasicAuth(b))),
            oauth2.map(|o| ("oauth2", ScrapeAuth::OAuth2(Box::new(o)))),
            bearer_token_secret.map(|s| ("bearerTokenSecret", ScrapeAuth::BearerTokenSecret(s))),
        ]
        .into_iter()
        .flatten()
        .collect();
        match set.as_slice() {
            [] => Ok(None),
            [_] => Ok(set.into_iter().next().map(|(_, a)| a)),
            [(first, _), (second, _), ..] => Err(Error::Conflict { first, second }),
        }
    }

    /// Splits into the four optional wire fields.
    pub(crate) fn into_wire(
        auth: Option<ScrapeAuth>,
    ) -> (
        Option<SafeAuthorization>,
        Option<BasicAuth>,
        Option<OAuth2>,
        Option<SecretKeySelector>,
    ) {
        match auth {
            None => (None, None, None, None),
            Some(ScrapeAuth::Authorization(a)) => (Some(a), None, None, None),
            Some(ScrapeAuth::BasicAuth(b)) => (None, Some(b), None, None),
            Some(ScrapeAuth::OAuth2(o)) => (None, None, Some(*o), None),
            Some(ScrapeAuth::BearerTokenSecret(s)) => (None, None, None, Some(s)),
        }
    }
}

// === Proxy ===

/// The HTTP proxy Prometheus uses for a scrape or token request
/// (Prometheus >= 2.43). Empty: no proxy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProxyConfig {
    /// Proxy URL (`http://`, `https://` or `socks5://`). Not with
    /// `proxyFromEnvironment: true`.
    pub proxy_url: Option<String>,
    /// Comma-separated IPs, CIDRs and domains (ports allowed) not to proxy;
    /// needs `proxyUrl`.
    pub no_proxy: Option<String>,
    /// Use `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` from Prometheus'
    /// environment.
    pub proxy_from_environment: Option<bool>,
    /// Headers sent to the proxy on `CONNECT`, each from Secret keys; needs
    /// `proxyUrl` or `proxyFromEnvironment`.
    pub proxy_connect_header: BTreeMap<String, Vec<SecretKeySelector>>,
}

impl ProxyConfig {
    /// A proxy at `url`.
    pub fn url(url: impl Into<String>) -> Self {
        ProxyConfig {
            proxy_url: Some(url.into()),
            ..ProxyConfig::default()
        }
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == ProxyConfig::default()
    }

    pub(crate) fn from_wire(
        proxy_url: Option<String>,
        no_proxy: Option<String>,
        proxy_from_environment: Option<bool>,
        proxy_connect_header: BTreeMap<String, Vec<SecretKeySelector>>,
    ) -> Result<Self, Error> {
        if let Some(url) = &proxy_url {
            check_url("proxyUrl", url, &["http", "https", "socks5"])?;
        }
        Ok(ProxyConfig {
            proxy_url,
            no_proxy,
            proxy_from_environment,
            proxy_connect_header,
        })
    }
}

/// Checks `^(scheme1|scheme2...)://.+$`.
fn check_url(field: &'static str, url: &str, schemes: &[&str]) -> Result<(), Error> {
    let ok = url.split_once("://").is_some_and(|(scheme, rest)| {
        schemes.contains(&scheme) && !rest.is_empty() && !rest.contains('\n')
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            field,
            value: url.to_owned(),
            reason: if schemes.len() == 2 {
                "must start with http:// or https://"
            } else {
                "must start with http://, https:// or socks5://"
            },
        })
    }
}

// === Relabeling ===

/// What a relabeling step does. Written in Prometheus' lower-case
/// spelling; the CRD's capitalized spellings (`Replace`, `HashMod`...) are
/// read as the same action.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum RelabelAction {
    /// Write `replacement` (with regex groups) to `targetLabel` when
    /// `regex` matches. The default.
    #[default]
    #[serde(rename = "replace", alias = "Replace")]
    Replace,
    /// Drop targets/series whose joined source labels do not match `regex`.
    #[serde(rename = "keep", alias = "Keep")]
    Keep,
    /// Drop targets/series whose joined source labels match `regex`.
    #[serde(rename = "drop", alias = "Drop")]
    Drop,
    /// Write the hash of the source labels modulo `modulus` to `targetLabel`.
    #[serde(rename = "hashmod", alias = "HashMod")]
    HashMod,
    /// Copy labels whose names match `regex` to names from `replacement`.
    #[serde(rename = "labelmap", alias = "LabelMap")]
    LabelMap,
    /// Remove labels whose names match `regex`.
    #[serde(rename = "labeldrop", alias = "LabelDrop")]
    LabelDrop,
    /// Remove labels whose names do not match `regex`.
    #[serde(rename = "labelkeep", alias = "LabelKeep")]
    LabelKeep,
    /// Write the lower-cased source labels to `targetLabel` (Prometheus >= 2.36).
    #[serde(rename = "lowercase", alias = "Lowercase")]
    Lowercase,
    /// Write the upper-cased source labels to `targetLabel` (Prometheus >= 2.36).
    #[serde(rename = "uppercase", alias = "Uppercase")]
    Uppercase,
    /// Keep targets whose source labels equal `targetLabel`'s value (Prometheus >= 2.41).
    #[serde(rename = "keepequal", alias = "KeepEqual")]
    KeepEqual,
    /// Drop targets whose source labels equal `targetLabel`'s value (Prometheus >= 2.41).
    #[serde(rename = "dropequal", alias = "DropEqual")]
    DropEqual,
}

/// One relabeling step, applied to a target's labels before the scrape
/// (`relabelings`) or to scraped series before ingestion
/// (`metricRelabelings`). See Prometheus' `relabel_config`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RelabelConfig {
    /// Labels whose values are joined with `separator` and matched against
    /// `regex`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_labels: Vec<String>,
    /// Separator for joining the source labels. Default: `;`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<String>,
    /// Label the result is written to; required by `replace`, `hashmod`,
    /// `lowercase`, `uppercase`, `keepequal` and `dropequal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_label: Option<String>,
    /// RE2 regular expression, anchored at both ends. Default: `(.*)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// Modulus for `hashmod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modulus: Option<u64>,
    /// Value written by `replace` (regex groups as `$1`). Default: `$1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replacement: Option<String>,
    /// The action. Default: `replace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<RelabelAction>,
}

// === Scrape settings ===

/// HTTP scheme for scraping. Written lower-case; `HTTP`/`HTTPS` are read
/// as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scheme {
    /// Plain HTTP.
    #[serde(rename = "http", alias = "HTTP")]
    Http,
    /// HTTPS (configure [`TlsConfig`] / [`SafeTlsConfig`]).
    #[serde(rename = "https", alias = "HTTPS")]
    Https,
}

/// A metrics exposition format Prometheus can negotiate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScrapeProtocol {
    /// Protobuf (needed for native histograms).
    #[serde(rename = "PrometheusProto")]
    PrometheusProto,
    /// OpenMetrics text 0.0.1.
    #[serde(rename = "OpenMetricsText0.0.1")]
    OpenMetricsText0_0_1,
    /// OpenMetrics text 1.0.0.
    #[serde(rename = "OpenMetricsText1.0.0")]
    OpenMetricsText1_0_0,
    /// Prometheus text 0.0.4.
    #[serde(rename = "PrometheusText0.0.4")]
    PrometheusText0_0_4,
    /// Prometheus text 1.0.0.
    #[serde(rename = "PrometheusText1.0.0")]
    PrometheusText1_0_0,
}

/// A port of the scraped pods, by number or by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TargetPort {
    /// A container port number (1-65535).
    Number(NonZeroU16),
    /// A container port name.
    Name(String),
}

impl From<NonZeroU16> for TargetPort {
    fn from(n: NonZeroU16) -> Self {
        TargetPort::Number(n)
    }
}

impl From<&str> for TargetPort {
    fn from(name: &str) -> Self {
        TargetPort::Name(name.to_owned())
    }
}

// === Selection ===

/// The namespaces a monitor discovers targets in. Default (empty): the
/// monitor's own namespace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamespaceSelector {
    /// All namespaces (overrides `matchNames`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<bool>,
    /// These namespaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_names: Vec<String>,
}

impl NamespaceSelector {
    /// Every namespace.
    pub fn any() -> Self {
        NamespaceSelector {
            any: Some(true),
            match_names: Vec::new(),
        }
    }

    /// These namespaces.
    pub fn names<I: IntoIterator<Item = S>, S: Into<String>>(names: I) -> Self {
        NamespaceSelector {
            any: None,
            match_names: names.into_iter().map(Into::into).collect(),
        }
    }
}

/// Extra metadata attached to discovered targets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachMetadata {
    /// Attach the node's metadata as `__meta_kubernetes_node_*` labels
    /// (Prometheus needs list/watch on Nodes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<bool>,
}

/// How the selected endpoints are filtered in Prometheus (>= 2.17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SelectorMechanism {
    /// Relabeling drops targets that do not match (the default).
    RelabelConfig,
    /// Kubernetes service discovery selects by role (cheaper in large
    /// clusters).
    RoleSelector,
}

/// The Kubernetes service-discovery role of a ServiceMonitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceDiscoveryRole {
    /// Endpoints objects.
    Endpoints,
    /// EndpointSlice objects.
    EndpointSlice,
}
