//! [`Issuer`] and [`ClusterIssuer`]: where cert-manager gets certificates
//! signed. Both have the same spec, one issuer kind each
//! ([`IssuerSpec`]).

use serde::{Deserialize, Serialize};

use super::{LocalObjectRef, SecretKeyRef};
use crate::{ApplyOrder, Kind, NoStatus, Object};

/// A namespaced cert-manager Issuer: signs Certificates of its namespace.
pub type Issuer = Object<IssuerSpec>;

/// A cluster-scoped cert-manager ClusterIssuer: signs Certificates of any
/// namespace. Secrets it reads live in cert-manager's cluster resource
/// namespace (`cert-manager` by default).
pub type ClusterIssuer = Object<ClusterIssuerSpec>;

/// The spec of an [`Issuer`] or (as [`ClusterIssuerSpec`]) of a
/// [`ClusterIssuer`]: exactly one kind of issuer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum IssuerSpec {
    /// Signs with a CA key pair held in a Secret.
    Ca(CaIssuer),
    /// Signs each certificate with its own key (self-signed roots).
    SelfSigned(SelfSignedIssuer),
    /// Asks a HashiCorp Vault PKI engine.
    Vault(Box<VaultIssuer>),
    /// Asks an ACME server (Let's Encrypt).
    Acme(Box<Acme>),
    /// Asks Venafi TPP or Venafi Cloud.
    Venafi(Venafi),
}

impl Default for IssuerSpec {
    fn default() -> Self {
        IssuerSpec::SelfSigned(SelfSignedIssuer::default())
    }
}

impl Kind for IssuerSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "Issuer";
    const PLURAL: &'static str = "issuers";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["cert-manager.io/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Config;
    const SPEC_REQUIRED: bool = true;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = NoStatus;
}

/// The spec of a [`ClusterIssuer`]: the same as an [`IssuerSpec`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClusterIssuerSpec(pub IssuerSpec);

impl Kind for ClusterIssuerSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "ClusterIssuer";
    const PLURAL: &'static str = "clusterissuers";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["cert-manager.io/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Config;
    const SPEC_REQUIRED: bool = true;
    type Scope = k8s_openapi::ClusterResourceScope;
    type Status = NoStatus;
}

/// A CA issuer: a key pair in a Secret signs the certificates.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CaIssuer {
    /// The Secret with the CA's `tls.crt` and `tls.key` (in the Issuer's
    /// namespace, or the cluster resource namespace for a ClusterIssuer).
    pub secret_name: String,
    /// CRL distribution point URLs written into issued certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crl_distribution_points: Vec<String>,
    /// OCSP server URLs written into issued certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocsp_servers: Vec<String>,
    /// Issuing-certificate URLs (AIA) written into issued certificates.
    #[serde(
        rename = "issuingCertificateURLs",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub issuing_certificate_urls: Vec<String>,
}

/// A self-signed issuer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SelfSignedIssuer {
    /// CRL distribution point URLs written into issued certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crl_distribution_points: Vec<String>,
}

/// A Vault PKI issuer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultIssuer {
    /// Vault's address (`https://vault.example.com:8200`).
    pub server: String,
    /// The PKI signing path (`pki_int/sign/mesh`).
    pub path: String,
    /// How cert-manager logs in.
    pub auth: VaultAuth,
    /// Vault Enterprise namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// PEM CA bundle (base64) to verify Vault (not with
    /// `caBundleSecretRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
    /// A Secret key holding the CA bundle to verify Vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle_secret_ref: Option<SecretKeyRef>,
    /// A Secret key with a client certificate for mTLS to Vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert_secret_ref: Option<SecretKeyRef>,
    /// A Secret key with the client certificate's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key_secret_ref: Option<SecretKeyRef>,
    /// SNI server name for the connection to Vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
}

/// How cert-manager authenticates to Vault (one method).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultAuth {
    /// A token in a Secret key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_secret_ref: Option<SecretKeyRef>,
    /// AppRole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_role: Option<VaultAppRole>,
    /// Kubernetes service-account tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kubernetes: Option<VaultKubernetesAuth>,
    /// TLS client certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<VaultClientCertificateAuth>,
}

/// Vault AppRole authentication.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultAppRole {
    /// The AppRole mount path (`approle`).
    pub path: String,
    /// The role ID.
    pub role_id: String,
    /// The Secret key holding the secret ID.
    pub secret_ref: SecretKeyRef,
}

/// Vault Kubernetes authentication.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultKubernetesAuth {
    /// The Vault role.
    pub role: String,
    /// The auth mount path. Default `/v1/auth/kubernetes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// A Secret key holding a service-account token (not with
    /// `serviceAccountRef`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretKeyRef>,
    /// A service account whose token cert-manager requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_ref: Option<ServiceAccountRef>,
}

/// A service account whose token is requested.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceAccountRef {
    /// The service account's name.
    pub name: String,
    /// Token audiences (added to the default one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

/// Vault TLS client-certificate authentication.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VaultClientCertificateAuth {
    /// The auth mount path. Default `/v1/auth/cert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    /// The Vault role name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A `kubernetes.io/tls` Secret with the client certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
}

/// An ACME issuer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Acme {
    /// The directory URL (`https://acme-v02.api.letsencrypt.org/directory`).
    pub server: String,
    /// The Secret holding the account's private key.
    pub private_key_secret_ref: SecretKeyRef,
    /// The account's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Skip TLS verification of the server (testing only).
    #[serde(
        rename = "skipTLSVerify",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub skip_tls_verify: Option<bool>,
    /// PEM CA bundle (base64) to verify the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
    /// External account binding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_account_binding: Option<AcmeExternalAccountBinding>,
    /// Preferred chain, by its root's common name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_chain: Option<String>,
    /// Use an existing account key only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_account_key_generation: Option<bool>,
    /// Send the requested duration to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_duration_feature: Option<bool>,
    /// ACME certificate profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Challenge solvers, as cert-manager's schema describes them (HTTP-01
    /// ingress/Gateway API and many DNS-01 providers): not typed here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solvers: Vec<serde_json::Value>,
}

/// ACME external account binding.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AcmeExternalAccountBinding {
    /// The key ID.
    #[serde(rename = "keyID")]
    pub key_id: String,
    /// The Secret key with the base64url MAC key.
    pub key_secret_ref: SecretKeyRef,
    /// Deprecated MAC algorithm (`HS256`, `HS384`, `HS512`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_algorithm: Option<String>,
}

/// A Venafi issuer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Venafi {
    /// The Venafi policy zone.
    pub zone: String,
    /// Venafi TPP (not with `cloud`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tpp: Option<VenafiTpp>,
    /// Venafi Cloud (not with `tpp`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud: Option<VenafiCloud>,
}

/// Venafi TPP.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VenafiTpp {
    /// The TPP SDK URL.
    pub url: String,
    /// A Secret with `username` and `password` or `access-token`.
    pub credentials_ref: LocalObjectRef,
    /// PEM CA bundle (base64) to verify TPP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle: Option<String>,
    /// A Secret key holding the CA bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_bundle_secret_ref: Option<SecretKeyRef>,
}

/// Venafi Cloud.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VenafiCloud {
    /// The API token's Secret key.
    pub api_token_secret_ref: SecretKeyRef,
    /// The API URL. Default `https://api.venafi.cloud/v1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
