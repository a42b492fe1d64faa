//! What every backend's lowering shares: the output with its report
//! ([`Lowered`]), the collector of `Unsupported` errors and notes
//! ([`Lowerer`]), the options common to all backends ([`CommonOptions`]),
//! and object-metadata helpers.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Namespace;
use mesh_model::{Feature, FieldPath, LowerError, LowerErrors, MeshKind};

use crate::install::{InstallInput, NoInstall};
use crate::{Manifest, ManifestError, Manifests, ObjectMeta};

/// Something a lowering wants the user to know: a faithful rewrite it
/// performed (a segment prefix written as exact + string prefix), or a
/// default it made explicit (Istio `attempts: 0`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The feature concerned.
    pub feature: Feature,
    /// Where in the model.
    pub path: FieldPath,
    /// What was done.
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} ({})", self.path, self.message, self.feature)
    }
}

/// What a backend's lowering produces: the typed objects in apply order,
/// the installer inputs (Helm values, IstioOperator) in install order, and
/// the report.
#[derive(Debug, Clone)]
pub struct Lowered<O, V = NoInstall> {
    /// The objects.
    pub manifests: Manifests<O>,
    /// The installer inputs, in the order they are to be installed (before
    /// the objects of kinds the control plane defines).
    pub install: Vec<InstallInput<V>>,
    /// Rewrites and explicit defaults, in model order.
    pub notes: Vec<Note>,
}

/// Collects a lowering's objects, `Unsupported` errors and notes, so that
/// a backend reports every problem at once and returns nothing partial.
#[derive(Debug)]
pub struct Lowerer<O, V = NoInstall> {
    mesh: MeshKind,
    manifests: Manifests<O>,
    install: Vec<InstallInput<V>>,
    errors: Vec<LowerError>,
    notes: Vec<Note>,
    common: CommonOptions,
}

impl<O: Manifest, V> Lowerer<O, V> {
    /// A lowering for `mesh`, stamping `common` on every object.
    pub fn new(mesh: MeshKind, common: CommonOptions) -> Self {
        Lowerer {
            mesh,
            manifests: Manifests::new(),
            install: Vec::new(),
            errors: Vec::new(),
            notes: Vec::new(),
            common,
        }
    }

    /// The options common to all backends.
    pub fn common(&self) -> &CommonOptions {
        &self.common
    }

    /// Records that the mesh cannot express `feature` at `path`.
    pub fn unsupported(&mut self, feature: Feature, path: FieldPath, hint: impl Into<String>) {
        self.errors.push(LowerError::Unsupported {
            feature,
            path,
            mesh: self.mesh,
            hint: hint.into(),
        });
    }

    /// Records a rewrite or an explicit default.
    pub fn note(&mut self, feature: Feature, path: FieldPath, message: impl Into<String>) {
        self.notes.push(Note {
            feature,
            path,
            message: message.into(),
        });
    }

    /// Records an error that is not `Unsupported`.
    pub fn error(&mut self, error: LowerError) {
        self.errors.push(error);
    }

    /// Whether any error was recorded.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Adds an object, stamping the common labels and annotations on it
    /// first. An invalid or duplicate object is recorded as an error (a
    /// backend bug, reported rather than hidden).
    pub fn emit(&mut self, object: impl Into<O>)
    where
        O: MetadataMut,
    {
        let mut object = object.into();
        self.common.stamp(object.metadata_mut());
        if let Err(e) = self.manifests.insert(object) {
            self.errors.push(LowerError::Output(e.to_string()));
        }
    }

    /// Adds an installer input; inputs keep the order they are added in.
    pub fn install(&mut self, input: InstallInput<V>) {
        self.install.push(input);
    }

    /// The objects so far.
    pub fn manifests(&self) -> &Manifests<O> {
        &self.manifests
    }

    /// The output, or every error recorded.
    pub fn finish(self) -> Result<Lowered<O, V>, LowerErrors> {
        if self.errors.is_empty() {
            Ok(Lowered {
                manifests: self.manifests,
                install: self.install,
                notes: self.notes,
            })
        } else {
            Err(LowerErrors(self.errors))
        }
    }
}

/// Mutable access to an object's metadata (for stamping labels).
pub trait MetadataMut {
    /// The metadata.
    fn metadata_mut(&mut self) -> &mut ObjectMeta;
}

impl<S: crate::Kind> MetadataMut for crate::Object<S> {
    fn metadata_mut(&mut self) -> &mut ObjectMeta {
        &mut self.metadata
    }
}

macro_rules! core_metadata_mut {
    ($($ty:ty),*) => {$(
        impl MetadataMut for $ty {
            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
        }
    )*};
}

core_metadata_mut!(
    k8s_openapi::api::core::v1::Namespace,
    k8s_openapi::api::core::v1::Service,
    k8s_openapi::api::core::v1::ConfigMap,
    k8s_openapi::api::core::v1::Secret,
    k8s_openapi::api::core::v1::ServiceAccount
);

/// Options every backend has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonOptions {
    /// Labels stamped on every object (default
    /// `app.kubernetes.io/managed-by: meshwright`).
    pub labels: BTreeMap<String, String>,
    /// Annotations stamped on every object.
    pub annotations: BTreeMap<String, String>,
}

impl Default for CommonOptions {
    fn default() -> Self {
        CommonOptions {
            labels: BTreeMap::from([(
                "app.kubernetes.io/managed-by".to_owned(),
                "meshwright".to_owned(),
            )]),
            annotations: BTreeMap::new(),
        }
    }
}

impl CommonOptions {
    /// Adds the labels and annotations to `meta`; the object's own values
    /// win on conflict.
    pub fn stamp(&self, meta: &mut ObjectMeta) {
        if !self.labels.is_empty() {
            let labels = meta.labels.get_or_insert_with(BTreeMap::new);
            for (k, v) in &self.labels {
                labels.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        if !self.annotations.is_empty() {
            let annotations = meta.annotations.get_or_insert_with(BTreeMap::new);
            for (k, v) in &self.annotations {
                annotations.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// Metadata with a name and, for namespaced kinds, a namespace.
pub fn meta(name: impl Into<String>, namespace: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.into()),
        namespace: namespace.map(str::to_owned),
        ..ObjectMeta::default()
    }
}

/// A Namespace with these labels and annotations (each mesh's injection
/// setting is one of them).
pub fn namespace(
    name: &str,
    labels: impl IntoIterator<Item = (String, String)>,
    annotations: impl IntoIterator<Item = (String, String)>,
) -> Namespace {
    let labels: BTreeMap<String, String> = labels.into_iter().collect();
    let annotations: BTreeMap<String, String> = annotations.into_iter().collect();
    Namespace {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            labels: (!labels.is_empty()).then_some(labels),
            annotations: (!annotations.is_empty()).then_some(annotations),
            ..ObjectMeta::default()
        },
        ..Namespace::default()
    }
}

impl From<ManifestError> for LowerError {
    fn from(e: ManifestError) -> Self {
        LowerError::Output(e.to_string())
    }
}

/// Declares a backend's object enum (one variant per kind, each holding a
/// boxed typed object) and implements [`Manifest`], [`MetadataMut`], `From<Kind>`
/// and [`ParseObject`](crate::parse::ParseObject) (reading documents,
/// dispatched on `apiVersion` and `kind`; every variant's type implements
/// [`ReadKind`](crate::parse::ReadKind)) for it. Write the enum as usual, with its derives
/// (`Serialize` and `#[serde(untagged)]` so each object serializes as
/// itself) and docs:
///
/// ```
/// use k8s_openapi::api::core::v1::{Namespace, Service};
/// use serde::Serialize;
///
/// mesh_k8s::object_enum! {
///     /// Everything this backend emits.
///     #[derive(Debug, Clone, Serialize)]
///     #[serde(untagged)]
///     pub enum Emitted {
///         /// A namespace.
///         Namespace(Namespace),
///         /// A Service.
///         Service(Service),
///     }
/// }
///
/// let ns: Emitted = mesh_k8s::lowering::namespace("shop", [], []).into();
/// assert_eq!(mesh_k8s::Manifest::kind(&ns), "Namespace");
/// ```
#[macro_export]
macro_rules! object_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        /// Each variant holds its object boxed, so the enum is two words
        /// whatever the largest kind (a DestinationRule is kilobytes): sets
        /// of tens of thousands of objects allocate what each object needs,
        /// not what the largest kind needs.
        $vis enum $name {
            $( $(#[$vmeta])* $variant(::std::boxed::Box<$ty>), )*
        }

        impl $crate::Manifest for $name {
            fn api_version(&self) -> &str {
                match self { $( $name::$variant(o) => $crate::Manifest::api_version(&**o), )* }
            }
            fn kind(&self) -> &str {
                match self { $( $name::$variant(o) => $crate::Manifest::kind(&**o), )* }
            }
            fn metadata(&self) -> &$crate::ObjectMeta {
                match self { $( $name::$variant(o) => $crate::Manifest::metadata(&**o), )* }
            }
            fn apply_order(&self) -> $crate::ApplyOrder {
                match self { $( $name::$variant(o) => $crate::Manifest::apply_order(&**o), )* }
            }
            fn namespaced(&self) -> bool {
                match self { $( $name::$variant(o) => $crate::Manifest::namespaced(&**o), )* }
            }
        }

        impl $crate::lowering::MetadataMut for $name {
            fn metadata_mut(&mut self) -> &mut $crate::ObjectMeta {
                match self { $( $name::$variant(o) => $crate::lowering::MetadataMut::metadata_mut(&mut **o), )* }
            }
        }

        $(
            impl From<$ty> for $name {
                fn from(o: $ty) -> Self {
                    $name::$variant(::std::boxed::Box::new(o))
                }
            }

            impl From<::std::boxed::Box<$ty>> for $name {
                fn from(o: ::std::boxed::Box<$ty>) -> Self {
                    $name::$variant(o)
                }
            }
        )*

        impl $crate::parse::ParseObject for $name {
            fn kinds() -> ::std::vec::Vec<(&'static str, &'static [&'static str])> {
                ::std::vec![$((
                    <$ty as $crate::parse::ReadKind>::KIND,
                    <$ty as $crate::parse::ReadKind>::API_VERSIONS,
                )),*]
            }

            fn from_document(
                api_version: &str,
                kind: &str,
                value: $crate::parse::JsonValue,
            ) -> ::std::result::Result<Self, $crate::parse::Problem> {
                $(
                    if kind == <$ty as $crate::parse::ReadKind>::KIND
                        && <$ty as $crate::parse::ReadKind>::API_VERSIONS.contains(&api_version)
                    {
                        return <$ty as $crate::parse::ReadKind>::read(value)
                            .map(|o| $name::$variant(::std::boxed::Box::new(o)));
                    }
                )*
                ::std::result::Result::Err($crate::parse::unknown_type(
                    api_version,
                    kind,
                    &<Self as $crate::parse::ParseObject>::kinds(),
                ))
            }
        }
    };
}
