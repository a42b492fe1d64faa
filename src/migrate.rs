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
//! use meshwright::migrate::{Objects, istio_object, migrate};
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
//! let mut objects = Vec::new();
//! for doc in serde_yaml::Deserializer::from_str(manifests) {
//!     let value: serde_json::Value = serde::Deserialize::deserialize(doc)?;
//!     objects.extend(istio_object(&value)?);
//! }
//! let mut out = migrate(&Objects::Istio(objects), MeshKind::Linkerd)?;
//! assert!(out.report.is_complete(), "{}", out.report);
//! let yaml = out.output.write(meshwright::Format::Yaml)?;
//! assert!(yaml.contains("kind: HTTPRoute") && yaml.contains("name: reviews-v2"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Sources: Istio today. Linkerd and Consul plug in as variants of
//! [`Objects`] (with `mesh_linkerd::lift::LinkerdLift` and
//! `mesh_consul::lift::ConsulLift`) in [`lift`] when those crates have
//! their `Lift`.

use std::fmt;

use mesh_model::lift::{Lifted, Skipped};
use mesh_model::{FieldPath, LowerError, Mesh, MeshKind};
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
}

impl Objects {
    /// The mesh they belong to.
    pub fn mesh(&self) -> MeshKind {
        match self {
            #[cfg(feature = "istio")]
            Objects::Istio(_) => MeshKind::Istio,
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
    let mut mesh = lifted.mesh;
    let mut unsupported: Vec<LowerError> = Vec::new();
    // Each round drops what the target refused; a few rounds suffice
    // (dropping a piece can only remove refusals, except where a default
    // takes its place).
    for _ in 0..8 {
        match crate::lower(to, &mesh) {
            Ok(output) => {
                return Ok(Migrated {
                    mesh,
                    output,
                    report: Report {
                        skipped: lifted.skipped,
                        unsupported,
                    },
                });
            }
            Err(RenderError::Lower(errors)) if errors.all_unsupported() => {
                let mut pruned = false;
                let mut paths: Vec<FieldPath> = errors
                    .iter()
                    .filter_map(|e| match e {
                        LowerError::Unsupported { path, .. } => Some(path.clone()),
                        _ => None,
                    })
                    .collect();
                // Deepest and last first, so indices stay valid.
                paths.sort_by(|a, b| b.as_str().cmp(a.as_str()));
                paths.dedup();
                for p in &paths {
                    if let Some(m) = prune(&mesh, p) {
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
/// model, without the smallest enclosing value that does).
fn prune(mesh: &Mesh, path: &FieldPath) -> Option<Mesh> {
    let value = serde_json::to_value(mesh).ok()?;
    let steps = steps(path.as_str())?;
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

/// Reads one document (already parsed from YAML or JSON) as an Istio
/// object: `Ok(None)` for kinds that are not Istio mesh configuration
/// (Deployments, ServiceAccounts...).
///
/// An interim, minimal reader (typed dispatch on `apiVersion` and `kind`)
/// until the strict manifest parser lands; it will replace this function.
#[cfg(feature = "istio")]
pub fn istio_object(value: &Value) -> Result<Option<mesh_istio::IstioObject>, String> {
    use mesh_istio::IstioObject;
    use mesh_istio::crds::*;
    fn typed<T: serde::de::DeserializeOwned + Into<IstioObject>>(
        v: &Value,
    ) -> Result<Option<IstioObject>, String> {
        serde_json::from_value::<T>(v.clone())
            .map(|o| Some(o.into()))
            .map_err(|e| e.to_string())
    }
    let api_version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = value.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    match (group, kind) {
        ("", "Service") => typed::<k8s_openapi::api::core::v1::Service>(value),
        ("", "Namespace") => typed::<k8s_openapi::api::core::v1::Namespace>(value),
        ("networking.istio.io", "VirtualService") => typed::<VirtualService>(value),
        ("networking.istio.io", "DestinationRule") => typed::<DestinationRule>(value),
        ("networking.istio.io", "Gateway") => typed::<Gateway>(value),
        ("networking.istio.io", "ServiceEntry") => typed::<ServiceEntry>(value),
        ("networking.istio.io", "Sidecar") => typed::<Sidecar>(value),
        ("networking.istio.io", "EnvoyFilter") => typed::<EnvoyFilter>(value),
        ("security.istio.io", "PeerAuthentication") => typed::<PeerAuthentication>(value),
        ("security.istio.io", "AuthorizationPolicy") => typed::<AuthorizationPolicy>(value),
        ("security.istio.io", "RequestAuthentication") => typed::<RequestAuthentication>(value),
        ("telemetry.istio.io", "Telemetry") => typed::<Telemetry>(value),
        ("gateway.networking.k8s.io", "HTTPRoute") => typed::<mesh_k8s::gateway::HttpRoute>(value),
        _ => Ok(None),
    }
}
