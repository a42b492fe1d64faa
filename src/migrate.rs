//! Migration between meshes: lift the objects of one mesh into the neutral
//! model, lower the model to another.
//!
//! [`migrate`] returns the new manifests and a [`Report`] of everything
//! that was not carried over, each with its path: what the lift skipped
//! (object and field of the source manifests) and what the target mesh
//! cannot express (field of the lifted model). It is best effort: the
//! pieces of the model the target cannot express are dropped (and
//! reported) and the rest is lowered, so the caller decides whether a
//! partial migration is acceptable ([`Report::is_complete`]).
//!
//! ```
//! # #[cfg(feature = "linkerd")] {
//! use meshwright::migrate::{migrate, read};
//! use meshwright::MeshKind;
//!
//! let manifests = r#"
//! apiVersion: v1
//! kind: Service
//! metadata: {name: reviews, namespace: bookinfo}
//! spec:
//!   selector: {app: reviews}
//!   ports: [{name: http, port: 9080}]
//! ---
//! apiVersion: networking.istio.io/v1
//! kind: VirtualService
//! metadata: {name: reviews, namespace: bookinfo}
//! spec:
//!   hosts: [reviews]
//!   http:
//!   - route:
//!     - {destination: {host: reviews, subset: v1}, weight: 90}
//!     - {destination: {host: reviews, subset: v2}, weight: 10}
//! ---
//! apiVersion: networking.istio.io/v1
//! kind: DestinationRule
//! metadata: {name: reviews, namespace: bookinfo}
//! spec:
//!   host: reviews
//!   subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
//! "#;
//! let objects = read(&[("reviews.yaml", manifests)], None)?;
//! assert_eq!(objects.mesh(), MeshKind::Istio);
//! let mut out = migrate(&objects, MeshKind::Linkerd)?;
//! assert!(out.report.is_complete(), "{}", out.report);
//! let yaml = out.output.write(meshwright::Format::Yaml)?;
//! assert!(yaml.contains("kind: HTTPRoute") && yaml.contains("name: reviews-v2"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Sources: every mesh ([`Objects`] has a variant per backend feature,
//! lifted by `IstioLift`, `LinkerdLift` or `ConsulLift`). [`read`] reads
//! the source manifests with the strict parser ([`mesh_k8s::parse`]) and,
//! unless told, picks the source mesh from the documents' API groups.

use std::collections::BTreeSet;
use std::fmt;

use mesh_k8s::parse::{
    ParseError, ParseErrors, ParseObject, RawDocument, parse_documents, read_stream,
};
use mesh_model::lift::{Lifted, Skipped};
use mesh_model::{Feature, FieldPath, LowerError, Mesh, MeshKind};
use serde_json::Value;

use crate::{Output, RenderError};

/// The objects of one mesh, read from its manifests.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Objects {
    /// Istio objects (and the Kubernetes Services and Namespaces they go
    /// with).
    #[cfg(feature = "istio")]
    Istio(Vec<mesh_istio::IstioObject>),
    /// Linkerd and SMI objects (and the shared kinds: Services,
    /// Namespaces, Gateway API routes...).
    #[cfg(feature = "linkerd")]
    Linkerd(Vec<mesh_linkerd::LinkerdObject>),
    /// Consul config entries (and the shared kinds: Services, Namespaces,
    /// Gateway API Gateways and routes...).
    #[cfg(feature = "consul")]
    Consul(Vec<mesh_consul::lower::ConsulObject>),
}

impl Objects {
    /// The mesh they belong to.
    pub fn mesh(&self) -> MeshKind {
        match self {
            #[cfg(feature = "istio")]
            Objects::Istio(_) => MeshKind::Istio,
            #[cfg(feature = "linkerd")]
            Objects::Linkerd(_) => MeshKind::Linkerd,
            #[cfg(feature = "consul")]
            Objects::Consul(_) => MeshKind::Consul,
        }
    }
}

/// Lifts `objects` into the model with the source mesh's default lift
/// options.
pub fn lift(objects: &Objects) -> Lifted {
    use mesh_model::lift::Lift;
    match objects {
        #[cfg(feature = "istio")]
        Objects::Istio(o) => mesh_istio::lift::IstioLift::default().lift(o),
        #[cfg(feature = "linkerd")]
        Objects::Linkerd(o) => mesh_linkerd::lift::LinkerdLift::default().lift(o),
        #[cfg(feature = "consul")]
        Objects::Consul(o) => mesh_consul::lift::ConsulLift::default().lift(o),
    }
}

/// What a migration did not carry over.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What the lift could not say in the model (source object and field).
    pub skipped: Vec<Skipped>,
    /// What the target mesh cannot express (field of the lifted model,
    /// [`Migrated::mesh`]); those pieces were dropped before lowering.
    pub unsupported: Vec<LowerError>,
}

impl Report {
    /// Whether everything was carried over.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty() && self.unsupported.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.skipped {
            writeln!(f, "not lifted: {s}")?;
        }
        for e in &self.unsupported {
            match e {
                LowerError::Unsupported {
                    feature,
                    path,
                    mesh,
                    hint,
                } => writeln!(
                    f,
                    "not lowered: model {path}: {mesh} cannot express {feature}; hint: {hint}"
                )?,
                other => writeln!(f, "not lowered: {other}")?,
            }
        }
        Ok(())
    }
}

/// The result of a migration.
#[derive(Debug, Clone)]
pub struct Migrated {
    /// The model that was lowered (the lifted model, without what the
    /// target cannot express).
    pub mesh: Mesh,
    /// The target mesh's objects and the lowering's notes.
    pub output: Output,
    /// What was not carried over.
    pub report: Report,
}

/// Why a migration produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    /// Lowering failed for another reason than the target's limits (an
    /// option, an output error): every error.
    #[error("{0}")]
    Lower(mesh_model::LowerErrors),
    /// The target mesh's backend is not compiled into this build.
    #[error(transparent)]
    Render(RenderError),
}

/// Lifts `objects`, then lowers the model to `to`, dropping (and
/// reporting) what `to` cannot express. Errors only when nothing can be
/// produced.
pub fn migrate(objects: &Objects, to: MeshKind) -> Result<Migrated, MigrateError> {
    let lifted = lift(objects);
    lower_best_effort(lifted, to)
}

/// Lowers a lifted model to `to`, dropping the pieces `to` cannot express.
pub fn lower_best_effort(lifted: Lifted, to: MeshKind) -> Result<Migrated, MigrateError> {
    let pruned = prune_unsupported(lifted.mesh, to)?;
    Ok(Migrated {
        mesh: pruned.mesh,
        output: pruned.output,
        report: Report {
            skipped: lifted.skipped,
            unsupported: pruned.unsupported,
        },
    })
}

/// A model without the pieces a mesh refused, and its lowering
/// ([`prune_unsupported`]).
#[derive(Debug, Clone)]
pub struct Pruned {
    /// The model that was lowered: valid, and lowered with no
    /// `Unsupported` error.
    pub mesh: Mesh,
    /// The target mesh's objects and the lowering's notes.
    pub output: Output,
    /// Every `Unsupported` error of the rounds that pruned the model, each
    /// naming the feature and the path of the piece that was dropped.
    pub unsupported: Vec<LowerError>,
}

/// Lowers `mesh` to `to`, dropping the pieces `to` refuses as
/// `Unsupported` until it lowers: each round removes the value at every
/// refused path (or, where removing it leaves no valid model, the
/// smallest enclosing value that does; where the refused value is a
/// default that is refused too, the field of the refused feature itself,
/// such as `installation.dataPlane` for ambient refusals), and lowers
/// again. Errors other than `Unsupported`, or refusals that pruning
/// cannot remove, are returned.
pub fn prune_unsupported(mesh: Mesh, to: MeshKind) -> Result<Pruned, MigrateError> {
    let mut mesh = mesh;
    let mut unsupported: Vec<LowerError> = Vec::new();
    // Refusals already pruned once: when one comes back, removing its
    // value did not help (a default took its place).
    let mut seen: BTreeSet<(Feature, String)> = BTreeSet::new();
    // Each round drops what the target refused; a few rounds suffice.
    for _ in 0..8 {
        match crate::lower(to, &mesh) {
            Ok(output) => {
                return Ok(Pruned {
                    mesh,
                    output,
                    unsupported,
                });
            }
            Err(RenderError::Lower(errors)) if errors.all_unsupported() => {
                let mut pruned = false;
                let mut refusals: Vec<(Feature, FieldPath)> = errors
                    .iter()
                    .filter_map(|e| match e {
                        LowerError::Unsupported { feature, path, .. } => {
                            Some((*feature, path.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                // Deepest and last first, so indices stay valid.
                refusals.sort_by(|a, b| b.1.as_str().cmp(a.1.as_str()));
                refusals.dedup_by(|a, b| a.1 == b.1);
                for (feature, p) in &refusals {
                    let again = !seen.insert((*feature, p.to_string()));
                    if let Some(m) = prune(&mesh, p, *feature, again) {
                        mesh = m;
                        pruned = true;
                    }
                }
                unsupported.extend(errors.0);
                if !pruned {
                    break;
                }
            }
            Err(RenderError::Lower(errors)) => return Err(MigrateError::Lower(errors)),
            Err(e) => return Err(MigrateError::Render(e)),
        }
    }
    Err(MigrateError::Lower(mesh_model::LowerErrors(unsupported)))
}

// === pruning the model at a path ===

enum Step {
    Field(String),
    Index(usize),
    Key(String),
}

fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Step::Field(name.to_owned()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = &r[..end];
            out.push(match inner.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(inner.to_owned()),
            });
            rest = &r[end + 1..];
        }
    }
    Some(out)
}

/// Removes the value at `steps` from `v`; false if it is not there.
fn remove_at(v: &mut Value, steps: &[Step]) -> bool {
    let Some((last, parents)) = steps.split_last() else {
        return false;
    };
    let mut cur = v;
    for s in parents {
        let next = match (s, cur) {
            (Step::Field(f) | Step::Key(f), Value::Object(m)) => m.get_mut(f),
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    match (last, cur) {
        (Step::Field(f) | Step::Key(f), Value::Object(m)) => m.remove(f).is_some(),
        (Step::Index(i), Value::Array(a)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        _ => false,
    }
}

/// The model without the value at `path` (or, when that leaves no valid
/// model, without the smallest enclosing value that does). When the value
/// is not there (a default was refused) or was removed before (`again`),
/// the field of `feature` itself goes first.
fn prune(mesh: &Mesh, path: &FieldPath, feature: Feature, again: bool) -> Option<Mesh> {
    let value = serde_json::to_value(mesh).ok()?;
    let steps = steps(path.as_str())?;
    let present = {
        let mut v = value.clone();
        remove_at(&mut v, &steps)
    };
    if (again || !present)
        && let Some(m) = prune_feature(&value, feature)
    {
        return Some(m);
    }
    for keep in (1..=steps.len()).rev() {
        let mut v = value.clone();
        if !remove_at(&mut v, &steps[..keep]) {
            continue;
        }
        if let Ok(m) = serde_json::from_value::<Mesh>(v)
            && m.validate().is_ok()
        {
            return Some(m);
        }
    }
    None
}

/// The model (as JSON) without the field of `feature`, when the feature
/// names one concrete field of the model (`installation.dataPlane`, not
/// `routes[].redirect`).
fn prune_feature(value: &Value, feature: Feature) -> Option<Mesh> {
    let field = feature.model_path().split(':').next()?.trim();
    if field.contains("[]") {
        return None;
    }
    let mut v = value.clone();
    if !remove_at(&mut v, &steps(field)?) {
        return None;
    }
    let m = serde_json::from_value::<Mesh>(v).ok()?;
    m.validate().is_ok().then_some(m)
}

// === reading the source manifests ===

pub use crate::read::mesh_of_group;

/// Why [`read`] returned no objects.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Some documents did not parse: every error, each as
    /// `file:document: field.path: message`.
    #[error("{0}")]
    Parse(ParseErrors),
    /// No source mesh was given and no document belongs to a mesh's API
    /// group.
    #[error(
        "no document belongs to a mesh's API group (istio.io, linkerd.io, consul.hashicorp.com); name the source mesh"
    )]
    NoMesh,
    /// The source mesh's backend is not compiled into this build.
    #[error("{0} is not compiled into this build (enable meshwright's `{0}` feature)")]
    NotCompiled(MeshKind),
}

/// Reads every input (`(file name, text)`: a YAML stream, a JSON document
/// or stream, or a `List`) strictly with [`mesh_k8s::parse`] as the
/// objects of `from`, or, when `from` is `None`, of the mesh named by the
/// first document whose API group belongs to one ([`mesh_of_group`]).
/// Every document must be a kind of that mesh's object enum (its own kinds
/// and the shared ones: Services, Namespaces, Gateway API...); otherwise
/// nothing is returned, and every error of every input names its file,
/// document (0-based) and field path.
pub fn read(inputs: &[(&str, &str)], from: Option<MeshKind>) -> Result<Objects, ReadError> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in inputs {
        let (d, e) = read_stream(file, text);
        docs.push((*file, d));
        errors.extend(e);
    }
    let mesh = match from {
        Some(m) => m,
        None => docs
            .iter()
            .flat_map(|(_, d)| d)
            .find_map(|d| mesh_of_group(d.group()))
            .ok_or(ReadError::NoMesh)?,
    };
    fn typed<O: ParseObject>(
        docs: Vec<(&str, Vec<RawDocument>)>,
        errors: &mut Vec<ParseError>,
    ) -> Vec<O> {
        let mut objects = Vec::new();
        for (file, d) in docs {
            let p = parse_documents::<O>(file, d);
            objects.extend(p.objects);
            errors.extend(p.errors);
        }
        objects
    }
    let objects = match mesh {
        #[cfg(feature = "istio")]
        MeshKind::Istio => Objects::Istio(typed(docs, &mut errors)),
        #[cfg(feature = "linkerd")]
        MeshKind::Linkerd => Objects::Linkerd(typed(docs, &mut errors)),
        #[cfg(feature = "consul")]
        MeshKind::Consul => Objects::Consul(typed(docs, &mut errors)),
        #[allow(unreachable_patterns)]
        other => return Err(ReadError::NotCompiled(other)),
    };
    if errors.is_empty() {
        Ok(objects)
    } else {
        let order = |f: &str| inputs.iter().position(|(name, _)| *name == f);
        errors.sort_by_key(|e| (order(&e.file), e.document, e.item));
        Err(ReadError::Parse(ParseErrors(errors)))
    }
}
