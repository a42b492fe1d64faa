//! Static analysis: configurations that are valid but probably wrong.
//!
//! [`Mesh::validate`] rejects models that cannot be lowered; [`analyze`]
//! looks at valid ones and reports what is legal but suspicious: a route
//! shadowed by an earlier catch-all, routes whose order a Gateway API mesh
//! would not keep, retries that outlast their timeout or repeat POSTs,
//! PERMISSIVE mTLS left on, authorization that allows or denies everything
//! by accident, 100% trace sampling, and the seed documents' pitfalls. Each
//! finding is a [`Diagnostic`] with a stable [`Code`] (`MW0101`, listed with
//! the matching `istioctl analyze` code in `docs/analyzer-codes.md`), a
//! [`Severity`], a [`Location`], a message and a hint.
//!
//! ```
//! use mesh_model::{Mesh, analyze::{Code, Severity}};
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: reviews
//!   namespace: bookinfo
//!   ports: [{number: 9080, protocol: http}]
//!   versions: [{name: v1}, {name: v2}]
//!   routes:
//!   - forward: {backends: [{version: v1}]}
//!   - match: [{headers: {end-user: {exact: jason}}}]
//!     forward: {backends: [{version: v2}]}
//! "#)?;
//! let diagnostics = mesh.analyze();
//! assert_eq!(diagnostics[0].code, Code::RouteShadowed);
//! assert_eq!(diagnostics[0].severity, Severity::Warning);
//! assert_eq!(diagnostics[0].location.to_string(), "services[0].routes[1]");
//! println!("{}", diagnostics[0]);
//! // warning[MW0101]: services[0].routes[1]: route 1 never matches: ...
//! //   = hint: ...
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The model-level analyzer is here; the backends' analyzers on Istio,
//! Linkerd and Consul objects (`mesh_istio::analyze`,
//! `mesh_linkerd::analyze`, `mesh_consul::analyze`) use the same codes and
//! report with [`Location::Manifest`].
//!
//! ## Complexity
//!
//! [`analyze`] indexes the model once (services by name, namespaces, the
//! versions each service is routed to, the ports per namespace) and then
//! visits each element once, so its time is O(n log n) in the size of the
//! model (n: services, routes, policies). The only quadratic parts are
//! within one service (its routes against its earlier routes, for
//! shadowing and precedence; its versions) and within one authorization
//! rule list.

mod code;
pub mod manifest;
mod matching;
mod walk;

#[cfg(test)]
mod tests;

use std::fmt;

pub use self::code::{Code, UnknownCode, codes_markdown};
use crate::{FieldPath, Mesh};

/// How serious a diagnostic is.
///
/// Not re-exported at the crate root, where `Severity` is an alert's
/// severity: write `mesh_model::analyze::Severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The configuration will not do what it says (traffic lost, a subset
    /// selecting nothing). Tools should fail on it.
    Error,
    /// Probably not what was meant, or unsafe in production.
    Warning,
    /// Worth knowing; often intended.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    /// A field of a [`Mesh`], in the policy file's names
    /// (`services[0].routes[2]`).
    Model(FieldPath),
    /// A field of a Kubernetes manifest (for analyzers on lifted
    /// manifests).
    Manifest {
        /// The file, as given.
        file: String,
        /// The document's position in the file's YAML stream, counting from
        /// 1.
        document: usize,
        /// The field in the document (`spec.http[0].route[1]`).
        field: FieldPath,
    },
}

impl Location {
    /// The model path, for model locations.
    pub fn model_path(&self) -> Option<&FieldPath> {
        match self {
            Location::Model(p) => Some(p),
            Location::Manifest { .. } => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Model(p) => write!(f, "{p}"),
            Location::Manifest {
                file,
                document,
                field,
            } => write!(f, "{file}#{document}: {field}"),
        }
    }
}

/// One finding of the analyzer. Plain data: compare it, print it (like a
/// compiler: `warning[MW0101]: services[0].routes[1]: ...` and a hint line),
/// or filter on its code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// What kind of finding.
    pub code: Code,
    /// How serious (usually `code.severity()`).
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What is wrong, in a sentence naming the things involved.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a model path, with the code's default severity.
    pub fn model(code: Code, path: FieldPath, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            location: Location::Model(path),
            message: message.into(),
            hint: None,
        }
    }

    /// A diagnostic at a field of a manifest document, with the code's
    /// default severity.
    pub fn manifest(
        code: Code,
        file: impl Into<String>,
        document: usize,
        field: FieldPath,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            location: Location::Manifest {
                file: file.into(),
                document,
                field,
            },
            message: message.into(),
            hint: None,
        }
    }

    /// The same with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same with another severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {}: {}",
            self.severity, self.code, self.location, self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// Analyzes a mesh model. Diagnostics come in document order (the order of
/// the policy file: namespaces, services, identities, security, ingress,
/// egress, observability), the same model always giving the same list.
/// The model is expected to be valid ([`Mesh::validate`]); on an invalid one
/// the analyzer does not fail, it only skips what it cannot resolve.
///
/// O(n log n) in the size of the model; see the [module
/// documentation](self#complexity).
pub fn analyze(mesh: &Mesh) -> Vec<Diagnostic> {
    walk::run(mesh)
}

impl Mesh {
    /// Static analysis of this model: see [`analyze`](crate::analyze()).
    pub fn analyze(&self) -> Vec<Diagnostic> {
        analyze(self)
    }
}
