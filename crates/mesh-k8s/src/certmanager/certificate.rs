//! [`Certificate`]: a certificate cert-manager keeps issued and renewed in
//! a Secret.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{IssuerRef, SecretKeyRef};
use crate::{ApplyOrder, GoDuration, Kind, NoStatus, Object};

/// A cert-manager Certificate.
pub type Certificate = Object<CertificateSpec>;

/// The spec of a [`Certificate`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CertificateSpec {
    /// The Secret (in the Certificate's namespace) the key pair is written
    /// to (`tls.crt`, `tls.key`, `ca.crt`).
    pub secret_name: String,
    /// The issuer that signs it.
    pub issuer_ref: IssuerRef,
    /// Labels and annotations copied onto the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_template: Option<SecretTemplate>,
    /// The subject's common name (at most 64 bytes; not with
    /// `literalSubject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_name: Option<String>,
    /// The subject as an RFC 4514 string, used as written (not with
    /// `commonName` or `subject`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub literal_subject: Option<String>,
    /// Other subject fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<X509Subject>,
    /// Requested validity (Go duration, at least 1h). Default 90 days
    /// (2160h); the issuer may shorten it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<GoDuration>,
    /// Renew this long before expiry (Go duration, at least 5m). Default
    /// one third of the duration. Not with `renewBeforePercentage`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_before: Option<GoDuration>,
    /// Renew when this share of the validity is left (1–99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renew_before_percentage: Option<u8>,
    /// DNS subject alternative names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_names: Vec<String>,
    /// IP address subject alternative names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_addresses: Vec<String>,
    /// URI subject alternative names (SPIFFE IDs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uris: Vec<String>,
    /// Email subject alternative names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    /// otherName subject alternative names (UTF-8 values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<OtherName>,
    /// Whether the certificate is a CA (may sign certificates). Default
    /// false; a mesh's intermediate must set it.
    #[serde(rename = "isCA", default, skip_serializing_if = "Option::is_none")]
    pub is_ca: Option<bool>,
    /// Key usages requested. Default `digital signature` and `key
    /// encipherment` (and `cert sign` for a CA).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usages: Vec<KeyUsage>,
    /// The private key's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_key: Option<PrivateKey>,
    /// Whether the key usages are encoded in the request. Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encode_usages_in_request: Option<bool>,
    /// Signature algorithm of the request. Default: from the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_algorithm: Option<SignatureAlgorithm>,
    /// Keystores (JKS, PKCS#12) also written to the Secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keystores: Option<Keystores>,
    /// CertificateRequests kept for history. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<u32>,
    /// Extra output formats written to the Secret.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_output_formats: Vec<OutputFormat>,
    /// X.509 name constraints (CA certificates only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_constraints: Option<NameConstraints>,
}

impl Kind for CertificateSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "Certificate";
    const PLURAL: &'static str = "certificates";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["cert-manager.io/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Config;
    const SPEC_REQUIRED: bool = true;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = NoStatus;
}

/// Labels and annotations for the Certificate's Secret.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretTemplate {
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// X.509 subject fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct X509Subject {
    /// Organizations (O).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<String>,
    /// Countries (C).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Organizational units (OU).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizational_units: Vec<String>,
    /// Localities (L).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub localities: Vec<String>,
    /// Provinces (ST).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provinces: Vec<String>,
    /// Street addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub street_addresses: Vec<String>,
    /// Postal codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postal_codes: Vec<String>,
    /// Serial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
}

/// An otherName subject alternative name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OtherName {
    /// The object identifier (`1.3.6.1.4.1.311.20.2.3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    /// The value, a UTF-8 string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utf8_value: Option<String>,
}

/// A key usage (RFC 5280 key usages and extended key usages, as cert-manager
/// spells them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyUsage {
    /// `signing`.
    #[serde(rename = "signing")]
    Signing,
    /// `digital signature`.
    #[serde(rename = "digital signature")]
    DigitalSignature,
    /// `content commitment`.
    #[serde(rename = "content commitment")]
    ContentCommitment,
    /// `key encipherment`.
    #[serde(rename = "key encipherment")]
    KeyEncipherment,
    /// `key agreement`.
    #[serde(rename = "key agreement")]
    KeyAgreement,
    /// `data encipherment`.
    #[serde(rename = "data encipherment")]
    DataEncipherment,
    /// `cert sign`: may sign certificates.
    #[serde(rename = "cert sign")]
    CertSign,
    /// `crl sign`.
    #[serde(rename = "crl sign")]
    CrlSign,
    /// `encipher only`.
    #[serde(rename = "encipher only")]
    EncipherOnly,
    /// `decipher only`.
    #[serde(rename = "decipher only")]
    DecipherOnly,
    /// `any`.
    #[serde(rename = "any")]
    Any,
    /// `server auth`.
    #[serde(rename = "server auth")]
    ServerAuth,
    /// `client auth`.
    #[serde(rename = "client auth")]
    ClientAuth,
    /// `code signing`.
    #[serde(rename = "code signing")]
    CodeSigning,
    /// `email protection`.
    #[serde(rename = "email protection")]
    EmailProtection,
    /// `s/mime`.
    #[serde(rename = "s/mime")]
    Smime,
    /// `ipsec end system`.
    #[serde(rename = "ipsec end system")]
    IpsecEndSystem,
    /// `ipsec tunnel`.
    #[serde(rename = "ipsec tunnel")]
    IpsecTunnel,
    /// `ipsec user`.
    #[serde(rename = "ipsec user")]
    IpsecUser,
    /// `timestamping`.
    #[serde(rename = "timestamping")]
    Timestamping,
    /// `ocsp signing`.
    #[serde(rename = "ocsp signing")]
    OcspSigning,
    /// `microsoft sgc`.
    #[serde(rename = "microsoft sgc")]
    MicrosoftSgc,
    /// `netscape sgc`.
    #[serde(rename = "netscape sgc")]
    NetscapeSgc,
}

/// The private key's settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrivateKey {
    /// Whether renewal makes a new key. Default `Always` since cert-manager
    /// 1.18 (`Never` before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_policy: Option<RotationPolicy>,
    /// Key encoding in the Secret. Default `PKCS1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<KeyEncoding>,
    /// Algorithm. Default `RSA`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<KeyAlgorithm>,
    /// Key size in bits: RSA 2048/4096/8192 (default 2048), ECDSA
    /// 256/384/521 (default 256, curve P-256); ignored for Ed25519.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
}

/// Whether a renewal generates a new private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RotationPolicy {
    /// Keep the existing key.
    Never,
    /// Generate a new key on every issuance.
    Always,
}

/// A private key's encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyEncoding {
    /// PKCS#1.
    #[serde(rename = "PKCS1")]
    Pkcs1,
    /// PKCS#8.
    #[serde(rename = "PKCS8")]
    Pkcs8,
}

/// A private key's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyAlgorithm {
    /// RSA.
    #[serde(rename = "RSA")]
    Rsa,
    /// ECDSA.
    #[serde(rename = "ECDSA")]
    Ecdsa,
    /// Ed25519.
    Ed25519,
}

/// A certificate request's signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignatureAlgorithm {
    /// SHA-256 with RSA.
    SHA256WithRSA,
    /// SHA-384 with RSA.
    SHA384WithRSA,
    /// SHA-512 with RSA.
    SHA512WithRSA,
    /// ECDSA with SHA-256.
    ECDSAWithSHA256,
    /// ECDSA with SHA-384.
    ECDSAWithSHA384,
    /// ECDSA with SHA-512.
    ECDSAWithSHA512,
    /// Ed25519.
    PureEd25519,
}

/// Keystores written next to the PEM files.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Keystores {
    /// A JKS keystore (`keystore.jks`, `truststore.jks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jks: Option<Jks>,
    /// A PKCS#12 keystore (`keystore.p12`, `truststore.p12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkcs12: Option<Pkcs12>,
}

/// A JKS keystore.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Jks {
    /// Whether to write it.
    pub create: bool,
    /// The keystore password, from a Secret key (not with `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_ref: Option<SecretKeyRef>,
    /// The keystore password, literally (not with `passwordSecretRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The key's alias. Default `certificate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

/// A PKCS#12 keystore.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pkcs12 {
    /// Whether to write it.
    pub create: bool,
    /// The keystore password, from a Secret key (not with `password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_secret_ref: Option<SecretKeyRef>,
    /// The keystore password, literally (not with `passwordSecretRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Encryption profile. Default `LegacyRC2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Pkcs12Profile>,
}

/// A PKCS#12 encryption profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pkcs12Profile {
    /// RC2 (widest compatibility).
    #[serde(rename = "LegacyRC2")]
    LegacyRc2,
    /// 3DES.
    #[serde(rename = "LegacyDES")]
    LegacyDes,
    /// AES-256-CBC with PBKDF2 (modern).
    Modern2023,
}

/// An extra output format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputFormat {
    /// The format.
    #[serde(rename = "type")]
    pub type_: OutputFormatType,
}

/// An extra output format's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OutputFormatType {
    /// The key in DER (`key.der`).
    #[serde(rename = "DER")]
    Der,
    /// Key and chain in one PEM file (`tls-combined.pem`).
    CombinedPEM,
}

/// X.509 name constraints.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NameConstraints {
    /// Whether the extension is critical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical: Option<bool>,
    /// Names the CA may sign for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permitted: Option<NameConstraintItem>,
    /// Names the CA may not sign for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excluded: Option<NameConstraintItem>,
}

/// A set of names in a name constraint.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NameConstraintItem {
    /// DNS domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dns_domains: Vec<String>,
    /// IP ranges (CIDR).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip_ranges: Vec<String>,
    /// Email addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    /// URI domains.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uri_domains: Vec<String>,
}
