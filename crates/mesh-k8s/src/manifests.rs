//! The manifest set: typed objects in a deterministic apply order, and the
//! writers (one YAML stream, a JSON `List`, a directory of files).

use std::collections::{BTreeMap, btree_map};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::meta::{MetadataError, validate_metadata};

/// Where a kind goes in apply order: what others depend on comes first.
/// Within one step objects are ordered by namespace, then name, then kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApplyOrder {
    /// Namespaces.
    Namespace,
    /// ServiceAccounts, Secrets, ConfigMaps, cert-manager issuers.
    Config,
    /// Kubernetes Services (including the per-version Services some meshes need).
    Service,
    /// Mesh-wide and per-service defaults: Istio Sidecar/PeerAuthentication,
    /// Consul ProxyDefaults/Mesh/ServiceDefaults, Linkerd Server.
    Defaults,
    /// Authentication and authorization: AuthorizationPolicy,
    /// RequestAuthentication, ServiceIntentions, MeshTLSAuthentication.
    Security,
    /// Destinations: DestinationRule, ServiceResolver, ServiceEntry,
    /// EgressNetwork, TerminatingGateway.
    Destination,
    /// Gateways and the grants that let routes reference across namespaces.
    Gateway,
    /// Routes and splits: VirtualService, HTTPRoute, GRPCRoute,
    /// ServiceRouter, ServiceSplitter, TrafficSplit, ServiceProfile.
    Route,
    /// Telemetry, monitors, alert rules, dashboards.
    Observability,
}

/// A typed object that can be part of a [`Manifests`] set.
pub trait Manifest: Serialize {
    /// `apiVersion`.
    fn api_version(&self) -> &str;
    /// `kind`.
    fn kind(&self) -> &str;
    /// `metadata`.
    fn metadata(&self) -> &ObjectMeta;
    /// Where the object goes in apply order. It must depend on the kind
    /// only: a set orders and identifies objects by (order, namespace, name,
    /// kind).
    fn apply_order(&self) -> ApplyOrder;
    /// Whether the kind is namespaced.
    fn namespaced(&self) -> bool;
}

impl<S: crate::Kind> Manifest for crate::Object<S> {
    fn api_version(&self) -> &str {
        crate::Object::api_version(self)
    }
    fn kind(&self) -> &str {
        S::KIND
    }
    fn metadata(&self) -> &ObjectMeta {
        &self.metadata
    }
    fn apply_order(&self) -> ApplyOrder {
        S::APPLY_ORDER
    }
    fn namespaced(&self) -> bool {
        std::any::TypeId::of::<S::Scope>()
            == std::any::TypeId::of::<k8s_openapi::NamespaceResourceScope>()
    }
}

/// Implements [`Manifest`] for k8s-openapi's built-in kinds.
macro_rules! core_manifest {
    ($($ty:ty => $order:ident, $namespaced:literal;)*) => {$(
        impl Manifest for $ty {
            fn api_version(&self) -> &str {
                <$ty as k8s_openapi::Resource>::API_VERSION
            }
            fn kind(&self) -> &str {
                <$ty as k8s_openapi::Resource>::KIND
            }
            fn metadata(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn apply_order(&self) -> ApplyOrder {
                ApplyOrder::$order
            }
            fn namespaced(&self) -> bool {
                $namespaced
            }
        }
    )*};
}

core_manifest! {
    k8s_openapi::api::core::v1::Namespace => Namespace, false;
    k8s_openapi::api::core::v1::ServiceAccount => Config, true;
    k8s_openapi::api::core::v1::Secret => Config, true;
    k8s_openapi::api::core::v1::ConfigMap => Config, true;
    k8s_openapi::api::core::v1::Service => Service, true;
}

/// What identifies an object in a set: kind (with group), namespace, name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    /// `group/Kind` (`networking.istio.io/VirtualService`; `Service` for core kinds).
    pub group_kind: String,
    /// Namespace, empty for cluster-scoped objects.
    pub namespace: String,
    /// Name.
    pub name: String,
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.group_kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.group_kind, self.namespace, self.name)
        }
    }
}

fn key_of<O: Manifest>(o: &O) -> ObjectKey {
    let group = o
        .api_version()
        .rsplit_once('/')
        .map(|(g, _)| g)
        .unwrap_or("");
    let group_kind = if group.is_empty() {
        o.kind().to_owned()
    } else {
        format!("{group}/{}", o.kind())
    };
    let meta = o.metadata();
    ObjectKey {
        group_kind,
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
    }
}

/// Why an object could not join a set, or a set could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// Two objects with the same kind, namespace and name.
    #[error("{0} is in the set twice; each object must be unique by kind, namespace and name")]
    Duplicate(ObjectKey),
    /// The object's metadata breaks Kubernetes' rules.
    #[error("{key}: {error}")]
    Metadata {
        /// The object.
        key: ObjectKey,
        /// What is wrong.
        error: Box<MetadataError>,
    },
    /// Serializing failed.
    #[error("could not serialize {key}: {message}")]
    Serialize {
        /// The object.
        key: ObjectKey,
        /// The serializer's message.
        message: String,
    },
    /// Writing failed.
    #[error("could not write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// YAML documents.
    #[default]
    Yaml,
    /// JSON.
    Json,
}

/// An ordered, duplicate-free set of typed objects. Order is apply order:
/// Namespaces first, then by [`ApplyOrder`], then namespace, then name, then
/// kind; so the same objects always write the same bytes, whatever order
/// they were added in.
///
/// `O` is usually a backend's object enum (every kind it emits, plus this
/// crate's shared kinds).
///
/// The set is kept in order as objects are added, and the order is read
/// from the objects themselves (no key strings are copied), so a set of tens
/// of thousands of objects costs no sort and no allocation beyond the tree.
/// Objects are stored inline: the backends' object enums box their
/// variants, so they are two words each.
#[derive(Clone)]
pub struct Manifests<O> {
    objects: BTreeMap<Entry<O>, ()>,
}

/// An object in a set, ordered by its place in apply order. Equality is
/// identity in the set: same kind (with group), namespace and name; the
/// apply order is a function of the kind ([`Manifest::apply_order`]).
#[derive(Debug, Clone)]
struct Entry<O>(O);

impl<O: Manifest> Entry<O> {
    fn place(&self) -> (ApplyOrder, &str, &str) {
        let meta = self.0.metadata();
        (
            self.0.apply_order(),
            meta.namespace.as_deref().unwrap_or(""),
            meta.name.as_deref().unwrap_or(""),
        )
    }

    /// `group/Kind`, or `Kind` for core kinds, as bytes, without allocating.
    fn group_kind(&self) -> impl Iterator<Item = u8> + '_ {
        let group = group_of(self.0.api_version());
        let slash: &[u8] = if group.is_empty() { b"" } else { b"/" };
        group
            .bytes()
            .chain(slash.iter().copied())
            .chain(self.0.kind().bytes())
    }
}

fn group_of(api_version: &str) -> &str {
    api_version.rsplit_once('/').map(|(g, _)| g).unwrap_or("")
}

impl<O: Manifest> Ord for Entry<O> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.place()
            .cmp(&other.place())
            .then_with(|| self.group_kind().cmp(other.group_kind()))
    }
}

impl<O: Manifest> PartialOrd for Entry<O> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<O: Manifest> PartialEq for Entry<O> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl<O: Manifest> Eq for Entry<O> {}

impl<O: fmt::Debug> fmt::Debug for Manifests<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.objects.keys().map(|e| &e.0))
            .finish()
    }
}

impl<O> Default for Manifests<O> {
    fn default() -> Self {
        Manifests {
            objects: BTreeMap::new(),
        }
    }
}

impl<O: Manifest> Manifests<O> {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an object after checking its metadata and that it is not
    /// already in the set.
    pub fn insert(&mut self, object: impl Into<O>) -> Result<(), ManifestError> {
        let object = object.into();
        validate_metadata(object.metadata(), object.namespaced()).map_err(|error| {
            ManifestError::Metadata {
                key: key_of(&object),
                error: Box::new(error),
            }
        })?;
        match self.objects.entry(Entry(object)) {
            btree_map::Entry::Occupied(e) => Err(ManifestError::Duplicate(key_of(&e.key().0))),
            btree_map::Entry::Vacant(e) => {
                e.insert(());
                Ok(())
            }
        }
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The objects in apply order.
    pub fn iter(&self) -> impl Iterator<Item = &O> {
        self.objects.keys().map(|e| &e.0)
    }

    /// The objects in apply order, by value.
    pub fn into_vec(self) -> Vec<O> {
        self.objects.into_keys().map(|e| e.0).collect()
    }

    /// Merges another set into this one (duplicates are errors).
    pub fn merge(&mut self, other: Manifests<O>) -> Result<(), ManifestError> {
        for o in other.into_vec() {
            self.insert(o)?;
        }
        Ok(())
    }

    /// Writes one YAML stream: documents separated by `---`, one document
    /// at a time (memory stays at one document's text).
    pub fn write_yaml<W: Write>(&self, out: &mut W) -> Result<(), ManifestError> {
        let mut buf = Vec::with_capacity(4096);
        for (i, o) in self.iter().enumerate() {
            buf.clear();
            if i > 0 {
                buf.extend_from_slice(b"---\n");
            }
            mesh_model::yaml::to_writer(&mut buf, o).map_err(|e| ManifestError::Serialize {
                key: key_of(o),
                message: e.to_string(),
            })?;
            out.write_all(&buf).map_err(|source| ManifestError::Io {
                path: PathBuf::from("<output>"),
                source,
            })?;
        }
        Ok(())
    }

    /// The YAML stream as a string.
    pub fn to_yaml(&self) -> Result<String, ManifestError> {
        let mut buf = Vec::with_capacity(1024 * self.len());
        self.write_yaml(&mut buf)?;
        String::from_utf8(buf).map_err(|e| ManifestError::Serialize {
            key: ObjectKey {
                group_kind: String::new(),
                namespace: String::new(),
                name: String::new(),
            },
            message: e.to_string(),
        })
    }

    /// Writes a JSON `v1 List` of the objects (what `kubectl apply -f`
    /// reads), pretty-printed, with a final newline.
    pub fn write_json<W: Write>(&self, out: &mut W) -> Result<(), ManifestError> {
        let items: Vec<&O> = self.iter().collect();
        let list = ListRef {
            api_version: "v1",
            kind: "List",
            items,
        };
        let mut buf = serde_json::to_vec_pretty(&list).map_err(|e| ManifestError::Serialize {
            key: ObjectKey {
                group_kind: "List".into(),
                namespace: String::new(),
                name: String::new(),
            },
            message: e.to_string(),
        })?;
        buf.push(b'\n');
        out.write_all(&buf).map_err(|source| ManifestError::Io {
            path: PathBuf::from("<output>"),
            source,
        })
    }

    /// The JSON `List` as a string.
    pub fn to_json(&self) -> Result<String, ManifestError> {
        let mut buf = Vec::new();
        self.write_json(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf).into_owned())
    }

    /// Writes one file per object into `dir` (created if missing), named
    /// `NNN-<kind>-<namespace>-<name>.<yaml|json>` so that `kubectl apply -f
    /// DIR` applies them in order. Everything is serialized before the
    /// first file is written, so a serialization error writes nothing.
    /// Returns the paths written.
    pub fn write_dir(&self, dir: &Path, format: Format) -> Result<Vec<PathBuf>, ManifestError> {
        let width = self.objects.len().to_string().len().max(3);
        let mut files = Vec::with_capacity(self.objects.len());
        for (i, o) in self.iter().enumerate() {
            let key = key_of(o);
            let ser_err = |message: String| ManifestError::Serialize {
                key: key.clone(),
                message,
            };
            let (body, ext) = match format {
                Format::Yaml => (
                    to_yaml_string(o).map_err(|e| ser_err(e.to_string()))?,
                    "yaml",
                ),
                Format::Json => {
                    let mut s =
                        serde_json::to_string_pretty(o).map_err(|e| ser_err(e.to_string()))?;
                    s.push('\n');
                    (s, "json")
                }
            };
            let kind = o.kind().to_ascii_lowercase();
            let name = if key.namespace.is_empty() {
                format!("{i:0width$}-{kind}-{}.{ext}", key.name)
            } else {
                format!("{i:0width$}-{kind}-{}-{}.{ext}", key.namespace, key.name)
            };
            files.push((dir.join(name), body));
        }
        std::fs::create_dir_all(dir).map_err(|source| ManifestError::Io {
            path: dir.to_owned(),
            source,
        })?;
        for (path, body) in &files {
            std::fs::write(path, body).map_err(|source| ManifestError::Io {
                path: path.clone(),
                source,
            })?;
        }
        Ok(files.into_iter().map(|(p, _)| p).collect())
    }
}

/// Writes one YAML document with meshwright's emitter
/// ([`mesh_model::yaml`]): enums as one-key maps (`{exact: foo}`) as
/// Kubernetes expects, and every string a YAML 1.1 reader such as kubectl
/// could misread (`n`, `on`, `0777`) quoted.
pub fn write_yaml_doc<W: Write, T: Serialize>(
    mut out: W,
    value: &T,
) -> Result<(), mesh_model::yaml::YamlError> {
    let mut buf = Vec::with_capacity(1024);
    mesh_model::yaml::to_writer(&mut buf, value)?;
    out.write_all(&buf).map_err(serde::ser::Error::custom)
}

/// One object as a YAML document string (see [`write_yaml_doc`]).
pub fn to_yaml_string<T: Serialize>(value: &T) -> Result<String, mesh_model::yaml::YamlError> {
    mesh_model::yaml::to_string(value)
}

/// Reads one typed object from a YAML (or JSON) document, reading
/// one-key maps as enums.
pub fn from_yaml_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_yaml::Error> {
    serde_yaml::with::singleton_map_recursive::deserialize(serde_yaml::Deserializer::from_str(text))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListRef<'a, O> {
    api_version: &'static str,
    kind: &'static str,
    items: Vec<&'a O>,
}

impl<O: Manifest> Manifests<O> {
    /// A set of the given objects; fails on the first invalid or duplicate one.
    pub fn try_from_iter<I: IntoIterator<Item = O>>(iter: I) -> Result<Self, ManifestError> {
        let mut set = Manifests::new();
        for o in iter {
            set.insert(o)?;
        }
        Ok(set)
    }
}
