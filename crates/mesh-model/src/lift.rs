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

// === impl Lifter ===

/// Where one piece of a lifted model came from.
#[derive(Debug, Clone)]
struct Origin {
    /// The piece's path in the model (`services[1].routes[0]`).
    at: String,
    object: ObjectRef,
    path: FieldPath,
}

/// Builds a [`Lifted`] for a backend's [`Lift`] implementation: the model
/// under construction, what was skipped, and where each lifted piece came
/// from. [`finish`](Lifter::finish) validates the model and drops, with a
/// [`Skipped`] entry naming the object it came from, every piece that makes
/// it invalid (a route to a service that is not among the objects, a
/// duplicate name...), until it passes [`Mesh::validate`].
///
/// Pieces that can be dropped on their own: services, their routes and
/// versions, authorization policies, JWT providers, mTLS overrides,
/// ingresses and their routes, external services, identities and
/// namespaces; a service's resilience or unmatched setting is reset to the
/// default. Anything else drops the enclosing service, or, outside
/// services, is reset by removing its list entry.
///
/// ```
/// use mesh_model::lift::{Lifter, ObjectRef};
/// use mesh_model::{FieldPath, Mesh};
///
/// let mut l = Lifter::new();
/// l.mesh = Mesh::from_policy_unchecked(r#"
/// services:
/// - name: web
///   namespace: prod
///   ports: [{number: 80, protocol: http}]
///   routes:
///   - forward: {backends: [{service: gone}]}
/// "#).unwrap();
/// let route = ObjectRef::new("HTTPRoute", Some("prod"), "web");
/// l.origin(FieldPath::new("services[0].routes[0]"), &route, FieldPath::new("spec.rules[0]"));
/// let lifted = l.finish();
/// assert!(lifted.mesh.services[0].routes.is_empty());
/// assert_eq!(lifted.skipped[0].object, route);
/// assert_eq!(lifted.skipped[0].path.as_str(), "spec.rules[0]");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Lifter {
    /// The model being built.
    pub mesh: Mesh,
    skipped: Vec<Skipped>,
    origins: Vec<Origin>,
}

/// Lists whose entries [`Lifter::finish`] may remove, as path patterns
/// (`*` for an index), most specific first.
const REMOVABLE: &[&str] = &[
    "services[*].routes",
    "services[*].versions",
    "ingress[*].routes",
    "security.authorization",
    "security.jwt",
    "security.mtls.overrides",
    "egress.services",
    "services",
    "ingress",
    "identities",
    "namespaces",
];

/// Splits `path` into the list entry `pattern` names: (list path, index,
/// rest), e.g. `services[2].routes[0].forward` with `services[*].routes`
/// gives (`services[2].routes`, 0, `.forward`).
fn entry_of<'p>(path: &'p str, pattern: &str) -> Option<(String, usize, &'p str)> {
    let mut rest = path;
    let mut list = String::new();
    let parts: Vec<&str> = pattern.split("[*]").collect();
    for (k, part) in parts.iter().enumerate() {
        rest = rest.strip_prefix(part)?;
        list.push_str(part);
        let inner = rest.strip_prefix('[')?;
        let end = inner.find(']')?;
        let idx: usize = inner[..end].parse().ok()?;
        rest = &inner[end + 1..];
        if k + 1 == parts.len() {
            return Some((list, idx, rest));
        }
        list.push_str(&format!("[{idx}]"));
    }
    None
}

fn remove_at<T>(v: &mut Vec<T>, i: usize) -> bool {
    if i < v.len() {
        v.remove(i);
        true
    } else {
        false
    }
}

impl Lifter {
    /// An empty model.
    pub fn new() -> Self {
        Lifter::default()
    }

    /// Records that `object` says something (at `path`) the model cannot.
    pub fn skip(&mut self, object: &ObjectRef, path: FieldPath, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            object: object.clone(),
            path,
            reason: reason.into(),
        });
    }

    /// Records that `object` is not lifted at all, because of what it says
    /// at `path` (the entry's path is the root: the whole object).
    pub fn skip_object(&mut self, object: &ObjectRef, path: &FieldPath, reason: impl Into<String>) {
        let reason = reason.into();
        self.skipped.push(Skipped {
            object: object.clone(),
            path: FieldPath::root(),
            reason: if path.as_str().is_empty() {
                reason
            } else {
                format!("not lifted: {path}: {reason}")
            },
        });
    }

    /// What was skipped so far.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Records that the model piece at `at` (`services[1].routes[0]`) comes
    /// from `object` at `path`.
    pub fn origin(&mut self, at: FieldPath, object: &ObjectRef, path: FieldPath) {
        self.origins.push(Origin {
            at: at.as_str().to_owned(),
            object: object.clone(),
            path,
        });
    }

    /// The origin of the piece at `at`, or of its nearest enclosing piece.
    fn origin_of(&self, at: &str) -> Option<&Origin> {
        self.origins
            .iter()
            .filter(|o| {
                at == o.at
                    || (at.starts_with(&o.at)
                        && matches!(at.as_bytes().get(o.at.len()), Some(b'.' | b'[')))
            })
            .max_by_key(|o| o.at.len())
    }

    /// Removes the entry `list[index]` and renumbers the origins after it.
    fn renumber(&mut self, list: &str, index: usize) {
        let prefix = format!("{list}[");
        self.origins.retain_mut(|o| {
            let Some(rest) = o.at.strip_prefix(&prefix) else {
                return true;
            };
            let Some(end) = rest.find(']') else {
                return true;
            };
            let Ok(n) = rest[..end].parse::<usize>() else {
                return true;
            };
            if n == index {
                return false;
            }
            if n > index {
                o.at = format!("{prefix}{}]{}", n - 1, &rest[end + 1..]);
            }
            true
        });
    }

    /// Removes the piece that the error at `path` is about; the path of the
    /// piece removed, or `None` if nothing could be.
    fn drop_piece(&mut self, path: &str) -> Option<String> {
        // Resettable fields of a service.
        if let Some((list, i, rest)) = entry_of(path, "services")
            && list == "services"
            && let Some(svc) = self.mesh.services.get_mut(i)
        {
            if rest.starts_with(".resilience") {
                svc.resilience = crate::Resilience::default();
                return Some(format!("services[{i}].resilience"));
            }
            if rest.starts_with(".unmatched") {
                svc.unmatched = crate::Unmatched::default();
                return Some(format!("services[{i}].unmatched"));
            }
        }
        for pattern in REMOVABLE {
            let Some((list, i, _)) = entry_of(path, pattern) else {
                continue;
            };
            let idx = |at: &str| entry_of(&list, at).map(|(_, n, _)| n);
            let m = &mut self.mesh;
            let removed = match *pattern {
                "services[*].routes" => idx("services")
                    .and_then(|s| m.services.get_mut(s))
                    .is_some_and(|s| remove_at(&mut s.routes, i)),
                "services[*].versions" => idx("services")
                    .and_then(|s| m.services.get_mut(s))
                    .is_some_and(|s| remove_at(&mut s.versions, i)),
                "ingress[*].routes" => idx("ingress")
                    .and_then(|g| m.ingress.get_mut(g))
                    .is_some_and(|g| remove_at(&mut g.routes, i)),
                "security.authorization" => remove_at(&mut m.security.authorization, i),
                "security.jwt" => remove_at(&mut m.security.jwt, i),
                "security.mtls.overrides" => remove_at(&mut m.security.mtls.overrides, i),
                "egress.services" => remove_at(&mut m.egress.services, i),
                "services" => remove_at(&mut m.services, i),
                "ingress" => remove_at(&mut m.ingress, i),
                "identities" => remove_at(&mut m.identities, i),
                "namespaces" => remove_at(&mut m.namespaces, i),
                _ => false,
            };
            if removed {
                return Some(format!("{list}[{i}]"));
            }
        }
        None
    }

    /// Validates the model, dropping (and reporting) what makes it
    /// invalid, and returns the result.
    pub fn finish(mut self) -> Lifted {
        let unknown = ObjectRef::new("(model)", None, "lifted");
        // Each round removes one piece: the number of pieces bounds it.
        while let Err(errors) = self.mesh.validate() {
            let Some(first) = errors.iter().next() else {
                break;
            };
            let path = first.path.as_str().to_owned();
            let reasons: Vec<String> = errors
                .iter()
                .filter(|e| e.path.as_str() == path)
                .map(|e| e.problem.to_string())
                .collect();
            let Some(piece) = self.drop_piece(&path) else {
                // Nothing removable: give up on the whole model rather
                // than return an invalid one.
                self.skipped.push(Skipped {
                    object: unknown,
                    path: FieldPath::new(path),
                    reason: format!(
                        "the lifted model is invalid here and nothing could be dropped to fix it: {}; nothing was lifted",
                        reasons.join("; ")
                    ),
                });
                self.mesh = Mesh::default();
                break;
            };
            let (object, opath) = match self.origin_of(&piece) {
                Some(o) => (o.object.clone(), o.path.clone()),
                None => (unknown.clone(), FieldPath::new(piece.clone())),
            };
            self.skipped.push(Skipped {
                object,
                path: opath,
                reason: format!(
                    "dropped from the lifted model ({piece}), which would be invalid: {path}: {}",
                    reasons.join("; ")
                ),
            });
            if let Some((list, i)) = piece
                .rfind('[')
                .and_then(|b| Some((&piece[..b], piece[b + 1..piece.len() - 1].parse().ok()?)))
            {
                self.renumber(list, i);
            }
        }
        Lifted {
            mesh: self.mesh,
            skipped: self.skipped,
        }
    }
}
