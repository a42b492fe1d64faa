//! trust-manager's [`Bundle`]: a set of CA certificates, gathered from
//! Secrets, ConfigMaps and inline PEM, written to a ConfigMap or Secret of
//! the same name in every selected namespace.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, LabelSelector};
use serde::{Deserialize, Serialize};

use crate::{ApplyOrder, Kind, Object};

/// A trust-manager Bundle (cluster-scoped; its name is the name of the
/// ConfigMap or Secret it writes).
pub type Bundle = Object<BundleSpec>;

/// The spec of a [`Bundle`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleSpec {
    /// Where the certificates come from, concatenated in this order.
    pub sources: Vec<BundleSource>,
    /// Where the bundle goes.
    pub target: BundleTarget,
}

impl Kind for BundleSpec {
    const GROUP: &'static str = super::TRUST_GROUP;
    const KIND: &'static str = "Bundle";
    const PLURAL: &'static str = "bundles";
    const VERSIONS: &'static [&'static str] = &["v1alpha1"];
    const API_VERSIONS: &'static [&'static str] = &["trust.cert-manager.io/v1alpha1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Config;
    const SPEC_REQUIRED: bool = true;
    type Scope = k8s_openapi::ClusterResourceScope;
    type Status = TrustBundleStatus;
}

/// One source of certificates (exactly one kind).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum BundleSource {
    /// Keys of ConfigMaps in trust-manager's trust namespace.
    ConfigMap(ConfigMapSource),
    /// Keys of Secrets in trust-manager's trust namespace.
    Secret(SecretSource),
    /// PEM certificates, inline.
    InLine(String),
    /// The default CA bundle of trust-manager's image (public CAs).
    #[serde(rename = "useDefaultCAs")]
    UseDefaultCas(bool),
}

/// ConfigMaps as a bundle source.
pub type ConfigMapSource = SourceObject;
/// Secrets as a bundle source.
pub type SecretSource = SourceObject;

/// A ConfigMap or Secret source: one object by name or several by labels;
/// one key or all keys.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceObject {
    /// The object's name (not with `selector`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Labels of the objects (not with `name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// The key holding PEM certificates (not with `includeAllKeys`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Take every key (not with `key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_all_keys: Option<bool>,
}

/// Where a bundle is written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleTarget {
    /// A ConfigMap named after the Bundle, with the PEM bundle at `key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<KeyTarget>,
    /// A Secret named after the Bundle, with the PEM bundle at `key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<KeyTarget>,
    /// JKS / PKCS#12 copies of the bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_formats: Option<TargetFormats>,
    /// The namespaces written to. Default: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
}

/// A key of the target ConfigMap or Secret, and its metadata.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KeyTarget {
    /// The key.
    pub key: String,
    /// Labels and annotations of the written object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<TargetMetadata>,
}

/// Labels and annotations of a written object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetMetadata {
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// Extra formats of a bundle.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetFormats {
    /// A JKS truststore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jks: Option<TargetKeystore>,
    /// A PKCS#12 truststore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pkcs12: Option<TargetPkcs12>,
}

/// A JKS truststore target.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetKeystore {
    /// The key.
    pub key: String,
    /// The password. Default `changeit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// A PKCS#12 truststore target.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TargetPkcs12 {
    /// The key.
    pub key: String,
    /// The password. Default empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Encryption profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<super::Pkcs12Profile>,
}

/// A Bundle's status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrustBundleStatus {
    /// Conditions (`Synced`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Version of the default CA package used (with `useDefaultCAs`).
    #[serde(
        rename = "defaultCAVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub default_ca_version: Option<String>,
}
