//! Lifting: a mesh's typed objects back into a neutral [`Mesh`].
//!
//! Each backend crate implements [`Lift`] for its object enum. Lifting says
//! in the model whatever the objects mean that the model can say, and
//! reports everything else as a [`Skipped`] entry naming the object and the
//! field: nothing is dropped silently. Migration between meshes is lifting
//! from one and lowering to the other.
//!
//! ```
//! use mesh_model::lift::{Lifted, ObjectRef, Skipped};
//! use mesh_model::{FieldPath, Mesh};
//!
//! let lifted = Lifted {
//!     mesh: Mesh::default(),
//!     skipped: vec![Skipped {
//!         object: ObjectRef::new("EnvoyFilter", Some("default"), "lua-hack"),
//!         path: FieldPath::root().field("spec").field("configPatches"),
//!         reason: "raw Envoy configuration has no neutral meaning".into(),
//!     }],
//! };
//! assert_eq!(
//!     lifted.skipped[0].to_string(),
//!     "EnvoyFilter default/lua-hack: spec.configPatches: raw Envoy configuration has no neutral meaning"
//! );
//! ```

use std::fmt;

use crate::{FieldPath, Mesh};

/// Names one Kubernetes object: kind, namespace (for namespaced kinds) and
/// name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    /// The object's kind (`VirtualService`).
    pub kind: String,
    /// Its namespace, for namespaced kinds.
    pub namespace: Option<String>,
    /// Its name.
    pub name: String,
}

impl ObjectRef {
    /// A reference from its parts.
    pub fn new(kind: impl Into<String>, namespace: Option<&str>, name: impl Into<String>) -> Self {
        ObjectRef {
            kind: kind.into(),
            namespace: namespace.map(str::to_owned),
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// Something in the objects that the lifted model does not say, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The object it is in.
    pub object: ObjectRef,
    /// The field in that object (`spec.http[0].mirror`); the root for the
    /// whole object.
    pub path: FieldPath,
    /// Why it could not be carried into the model.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path == FieldPath::root() {
            write!(f, "{}: {}", self.object, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.object, self.path, self.reason)
        }
    }
}

/// The result of lifting: a model that passes [`Mesh::validate`], and
/// what could not be carried over.
#[derive(Debug, Clone, PartialEq)]
pub struct Lifted {
    /// The neutral model.
    pub mesh: Mesh,
    /// Everything the model does not say, in object order.
    pub skipped: Vec<Skipped>,
}

impl Lifted {
    /// Whether everything was carried over.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty()
    }
}

/// Reads a mesh's typed objects back into the neutral model.
pub trait Lift {
    /// The backend's object type (its object enum).
    type Object;

    /// Lifts `objects` (in any order) into one model. Never fails: what
    /// the model cannot say is reported in [`Lifted::skipped`], and the
    /// returned model always passes [`Mesh::validate`].
    fn lift(&self, objects: &[Self::Object]) -> Lifted;
}
