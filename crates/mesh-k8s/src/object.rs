//! One way to describe a custom-resource kind ([`Kind`]) and one generic
//! typed object for all of them ([`Object`]).
//!
//! A backend types a kind by writing its `spec` struct and implementing
//! [`Kind`] for it; `Object<ThatSpec>` is then the whole resource, with
//! `apiVersion`, `kind`, `metadata`, `spec` and `status`. `Object<S>`
//! implements [`k8s_openapi::Resource`] and [`k8s_openapi::Metadata`], so
//! `kube::Api<Object<S>>` works without this crate depending on kube.
//!
//! ```
//! use mesh_k8s::{Kind, Object};
//! use serde::{Deserialize, Serialize};
//!
//! /// The spec of an example kind.
//! #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
//! #[serde(deny_unknown_fields)]
//! struct WidgetSpec {
//!     size: u32,
//! }
//!
//! impl Kind for WidgetSpec {
//!     const GROUP: &'static str = "example.com";
//!     const KIND: &'static str = "Widget";
//!     const PLURAL: &'static str = "widgets";
//!     const VERSIONS: &'static [&'static str] = &["v1", "v1beta1"];
//!     const API_VERSIONS: &'static [&'static str] = &["example.com/v1", "example.com/v1beta1"];
//!     const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Route;
//!     type Scope = k8s_openapi::NamespaceResourceScope;
//!     type Status = mesh_k8s::NoStatus;
//! }
//!
//! let w: Object<WidgetSpec> = serde_json::from_str(
//!     r#"{"apiVersion":"example.com/v1beta1","kind":"Widget","metadata":{"name":"w"},"spec":{"size":3}}"#,
//! ).unwrap();
//! assert_eq!(w.api_version(), "example.com/v1beta1");
//! assert_eq!(w.spec.size, 3);
//! let back = serde_json::to_value(&w).unwrap();
//! assert_eq!(back["apiVersion"], "example.com/v1beta1");
//! ```

use std::fmt;
use std::marker::PhantomData;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::de::{self, DeserializeOwned, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::manifests::ApplyOrder;

/// Describes a custom-resource kind: implemented by the kind's `spec` type.
pub trait Kind: Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq + Default {
    /// API group (`networking.istio.io`).
    const GROUP: &'static str;
    /// Kind (`VirtualService`).
    const KIND: &'static str;
    /// Plural resource name, the URL path segment (`virtualservices`).
    const PLURAL: &'static str;
    /// Served versions this type reads and writes, the preferred (default)
    /// first (`["v1", "v1beta1", "v1alpha3"]`).
    const VERSIONS: &'static [&'static str];
    /// `GROUP/VERSION` for each of [`VERSIONS`](Kind::VERSIONS), same order.
    const API_VERSIONS: &'static [&'static str];
    /// Where objects of this kind go in a manifest set's apply order.
    const APPLY_ORDER: ApplyOrder;
    /// Namespaced or cluster-scoped.
    type Scope: k8s_openapi::ResourceScope + 'static;
    /// Whether the CRD requires `spec` (its schema lists it in
    /// `required`): then a document without one is an error, as on the API
    /// server; otherwise a missing `spec` reads as the default spec.
    const SPEC_REQUIRED: bool = false;
    /// The typed `status`, or [`NoStatus`].
    type Status: Serialize + DeserializeOwned + Clone + fmt::Debug + PartialEq;

    /// Checks that this spec only uses what the given served version has
    /// (a field added in a later version), as the API server would. The
    /// default accepts everything.
    fn check_version(&self, _api_version: &str) -> Result<(), String> {
        Ok(())
    }
}

/// The status of a kind whose status this crate does not type: any status
/// present in input is rejected, since meshwright's outputs never carry one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NoStatus;

impl Serialize for NoStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

impl<'de> Deserialize<'de> for NoStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Empty {}
        Empty::deserialize(d).map(|_| NoStatus)
    }
}

/// A typed custom resource: `apiVersion` (one of the kind's served
/// versions), `kind`, `metadata`, `spec`, and an optional `status`.
#[derive(Clone, PartialEq)]
pub struct Object<S: Kind> {
    api_version: &'static str,
    /// Standard object metadata.
    pub metadata: ObjectMeta,
    /// The desired state.
    pub spec: S,
    /// The observed state, as read; meshwright never writes one.
    pub status: Option<S::Status>,
}

/// An `apiVersion` that the kind does not serve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} is not served as {requested}; served versions: {served}")]
pub struct UnknownVersion {
    /// The kind.
    pub kind: &'static str,
    /// What was asked for.
    pub requested: String,
    /// What the kind serves, comma separated.
    pub served: String,
}

impl<S: Kind> Object<S> {
    /// A new object at the kind's preferred version, with this name and,
    /// for namespaced kinds, namespace.
    pub fn new(name: impl Into<String>, namespace: Option<&str>, spec: S) -> Self {
        Object {
            api_version: S::API_VERSIONS.first().copied().unwrap_or(""),
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: namespace.map(str::to_owned),
                ..ObjectMeta::default()
            },
            spec,
            status: None,
        }
    }

    /// The object's `apiVersion` (`group/version`).
    pub fn api_version(&self) -> &'static str {
        self.api_version
    }

    /// The object's version (`v1`).
    pub fn version(&self) -> &'static str {
        self.api_version
            .rsplit('/')
            .next()
            .unwrap_or(self.api_version)
    }

    /// Writes the object as another served version: `"v1beta1"` or
    /// `"networking.istio.io/v1beta1"`.
    pub fn set_version(&mut self, version: &str) -> Result<(), UnknownVersion> {
        self.api_version = find_version::<S>(version).ok_or_else(|| UnknownVersion {
            kind: S::KIND,
            requested: version.to_owned(),
            served: S::VERSIONS.join(", "),
        })?;
        Ok(())
    }

    /// [`set_version`](Object::set_version), by value.
    pub fn with_version(mut self, version: &str) -> Result<Self, UnknownVersion> {
        self.set_version(version)?;
        Ok(self)
    }

    /// The object's name (empty when unset).
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    /// The object's namespace, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.metadata.namespace.as_deref()
    }
}

fn find_version<S: Kind>(v: &str) -> Option<&'static str> {
    S::API_VERSIONS
        .iter()
        .zip(S::VERSIONS)
        .find(|(full, short)| **full == v || **short == v)
        .map(|(full, _)| *full)
}

impl<S: Kind> fmt::Debug for Object<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(S::KIND)
            .field("apiVersion", &self.api_version)
            .field("metadata", &self.metadata)
            .field("spec", &self.spec)
            .field("status", &self.status)
            .finish()
    }
}

impl<S: Kind> Default for Object<S> {
    fn default() -> Self {
        Object::new(String::new(), None, S::default()).without_name()
    }
}

impl<S: Kind> Object<S> {
    fn without_name(mut self) -> Self {
        self.metadata.name = None;
        self
    }
}

impl<S: Kind> Serialize for Object<S> {
    fn serialize<Se: Serializer>(&self, s: Se) -> Result<Se::Ok, Se::Error> {
        let mut m = s.serialize_map(Some(4 + usize::from(self.status.is_some())))?;
        m.serialize_entry("apiVersion", self.api_version)?;
        m.serialize_entry("kind", S::KIND)?;
        m.serialize_entry("metadata", &self.metadata)?;
        m.serialize_entry("spec", &self.spec)?;
        if let Some(status) = &self.status {
            m.serialize_entry("status", status)?;
        }
        m.end()
    }
}

impl<'de, S: Kind> Deserialize<'de> for Object<S> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<S>(PhantomData<S>);

impl<'de, S: Kind> Visitor<'de> for ObjectVisitor<S> {
    type Value = Object<S>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} object", S::KIND)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object<S>, A::Error> {
        let mut api_version: Option<&'static str> = None;
        let mut kind_seen = false;
        let mut metadata: Option<ObjectMeta> = None;
        let mut spec: Option<S> = None;
        let mut status: Option<S::Status> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "apiVersion" => {
                    let v: String = map.next_value()?;
                    api_version = Some(find_version::<S>(&v).ok_or_else(|| {
                        de::Error::custom(format!(
                            "apiVersion {v:?} is not a served version of {}; expected one of {}",
                            S::KIND,
                            S::API_VERSIONS.join(", ")
                        ))
                    })?);
                }
                "kind" => {
                    let k: String = map.next_value()?;
                    if k != S::KIND {
                        return Err(de::Error::custom(format!("kind {k:?} is not {}", S::KIND)));
                    }
                    kind_seen = true;
                }
                "metadata" => {
                    metadata = Some(strict_metadata(map.next_value()?).map_err(de::Error::custom)?)
                }
                "spec" => spec = Some(map.next_value()?),
                "status" => status = map.next_value()?,
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["apiVersion", "kind", "metadata", "spec", "status"],
                    ));
                }
            }
        }
        let api_version = api_version.ok_or_else(|| de::Error::missing_field("apiVersion"))?;
        if !kind_seen {
            return Err(de::Error::missing_field("kind"));
        }
        let spec = match spec {
            Some(spec) => spec,
            None if S::SPEC_REQUIRED => return Err(de::Error::missing_field("spec")),
            None => S::default(),
        };
        spec.check_version(api_version).map_err(de::Error::custom)?;
        Ok(Object {
            api_version,
            metadata: metadata.unwrap_or_default(),
            spec,
            status,
        })
    }
}

/// The fields of `ObjectMeta`: k8s-openapi's deserializer ignores any
/// other, so a typo (`lables`) would vanish; here it is an error.
const OBJECT_META_FIELDS: &[&str] = &[
    "annotations",
    "creationTimestamp",
    "deletionGracePeriodSeconds",
    "deletionTimestamp",
    "finalizers",
    "generateName",
    "generation",
    "labels",
    "managedFields",
    "name",
    "namespace",
    "ownerReferences",
    "resourceVersion",
    "selfLink",
    "uid",
];

fn strict_metadata(value: serde_json::Value) -> Result<ObjectMeta, String> {
    if let serde_json::Value::Object(fields) = &value
        && let Some(unknown) = fields
            .keys()
            .find(|k| !OBJECT_META_FIELDS.contains(&k.as_str()))
    {
        return Err(format!("unknown field `metadata.{unknown}`"));
    }
    serde_json::from_value(value).map_err(|e| format!("metadata: {e}"))
}

impl<S: Kind> k8s_openapi::Resource for Object<S> {
    const API_VERSION: &'static str = S::API_VERSIONS[0];
    const GROUP: &'static str = S::GROUP;
    const KIND: &'static str = S::KIND;
    const VERSION: &'static str = S::VERSIONS[0];
    const URL_PATH_SEGMENT: &'static str = S::PLURAL;
    type Scope = S::Scope;
}

impl<S: Kind> k8s_openapi::Metadata for Object<S> {
    type Ty = ObjectMeta;

    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }

    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

/// Checks that a [`Kind`] implementation is consistent (versions and API
/// versions agree, the preferred version is first). For kinds' unit tests.
pub fn check_kind<S: Kind>() -> Result<(), String> {
    if S::VERSIONS.is_empty() || S::VERSIONS.len() != S::API_VERSIONS.len() {
        return Err(format!(
            "{}: VERSIONS and API_VERSIONS differ in length",
            S::KIND
        ));
    }
    for (v, full) in S::VERSIONS.iter().zip(S::API_VERSIONS) {
        let expected = if S::GROUP.is_empty() {
            (*v).to_owned()
        } else {
            format!("{}/{v}", S::GROUP)
        };
        if *full != expected {
            return Err(format!(
                "{}: API version {full} should be {expected}",
                S::KIND
            ));
        }
    }
    if S::PLURAL.is_empty() || S::PLURAL.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!(
            "{}: plural {:?} must be lower case",
            S::KIND,
            S::PLURAL
        ));
    }
    Ok(())
}
