//! Typed cert-manager kinds (`cert-manager.io/v1`): [`Certificate`],
//! [`Issuer`] and [`ClusterIssuer`], and trust-manager's [`Bundle`]
//! (`trust.cert-manager.io/v1alpha1`), as a mesh's control-plane
//! certificates are wired through them (Linkerd's documented production
//! setup: a trust anchor, an identity issuer Certificate and a trust
//! bundle).
//!
//! The types follow cert-manager's API reference: strict serde (an unknown
//! field is an error), closed sets as enums, mutually exclusive issuer
//! kinds as one enum ([`IssuerSpec`]). Durations are Go durations
//! ([`GoDuration`](crate::GoDuration)). ACME solvers (dozens of DNS
//! providers) are kept as free-form JSON: everything else is typed.
//!
//! No cert-manager CRD ships in the shared CRD set, so `crd-validate`
//! cannot check these kinds: callers leave them out of validation batches
//! (see [`is_cert_manager`]) and test their shape with typed expectations.
//!
//! ```
//! use mesh_k8s::certmanager::{Certificate, CertificateSpec, IssuerRef, KeyAlgorithm, PrivateKey};
//!
//! let cert = Certificate::new("linkerd-identity-issuer", Some("linkerd"), CertificateSpec {
//!     secret_name: "linkerd-identity-issuer".into(),
//!     issuer_ref: IssuerRef::cluster_issuer("linkerd-trust-anchor"),
//!     is_ca: Some(true),
//!     common_name: Some("identity.linkerd.cluster.local".into()),
//!     private_key: Some(PrivateKey { algorithm: Some(KeyAlgorithm::Ecdsa), ..Default::default() }),
//!     ..Default::default()
//! });
//! let yaml = mesh_k8s::to_yaml_string(&cert)?;
//! assert!(yaml.contains("isCA: true"));
//! assert!(yaml.contains("algorithm: ECDSA"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bundle;
mod certificate;
mod issuer;
#[cfg(test)]
mod tests;

pub use bundle::{
    Bundle, BundleSource, BundleSpec, BundleTarget, ConfigMapSource, KeyTarget, SecretSource,
    SourceObject, TargetFormats, TargetKeystore, TargetMetadata, TargetPkcs12, TrustBundleStatus,
};
pub use certificate::{
    Certificate, CertificateSpec, Jks, KeyAlgorithm, KeyEncoding, KeyUsage, Keystores,
    NameConstraintItem, NameConstraints, OtherName, OutputFormat, OutputFormatType, Pkcs12,
    Pkcs12Profile, PrivateKey, RotationPolicy, SecretTemplate, SignatureAlgorithm, X509Subject,
};
pub use issuer::{
    Acme, AcmeExternalAccountBinding, CaIssuer, ClusterIssuer, ClusterIssuerSpec, Issuer,
    IssuerSpec, SelfSignedIssuer, ServiceAccountRef, VaultAppRole, VaultAuth,
    VaultClientCertificateAuth, VaultIssuer, VaultKubernetesAuth, Venafi, VenafiCloud, VenafiTpp,
};

use serde::{Deserialize, Serialize};

/// The API group of cert-manager's kinds.
pub const GROUP: &str = "cert-manager.io";

/// The API group of trust-manager's kinds.
pub const TRUST_GROUP: &str = "trust.cert-manager.io";

/// Whether an `apiVersion` belongs to cert-manager or trust-manager (whose
/// CRDs are not in the shared set `crd-validate` reads).
pub fn is_cert_manager(api_version: &str) -> bool {
    api_version
        .split_once('/')
        .is_some_and(|(g, _)| g == GROUP || g == TRUST_GROUP)
}

/// A reference to a key of a Secret in the same namespace as the referrer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretKeyRef {
    /// The Secret's name.
    pub name: String,
    /// The key; some fields have a default key, others require it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// A reference to a Secret by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocalObjectRef {
    /// The object's name.
    pub name: String,
}

/// A reference to the issuer of a [`Certificate`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IssuerRef {
    /// The issuer's name.
    pub name: String,
    /// `Issuer` (the default) or `ClusterIssuer`; external issuers name
    /// their own kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The issuer's API group; default `cert-manager.io`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl IssuerRef {
    /// A namespaced `Issuer` in the Certificate's namespace.
    pub fn issuer(name: impl Into<String>) -> Self {
        IssuerRef {
            name: name.into(),
            kind: Some("Issuer".to_owned()),
            group: Some(GROUP.to_owned()),
        }
    }

    /// A `ClusterIssuer`.
    pub fn cluster_issuer(name: impl Into<String>) -> Self {
        IssuerRef {
            name: name.into(),
            kind: Some("ClusterIssuer".to_owned()),
            group: Some(GROUP.to_owned()),
        }
    }
}
