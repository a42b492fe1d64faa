//! Policy files: a [`Mesh`] in YAML or JSON.
//!
//! The format is the model's serde form: camelCase fields, unknown fields
//! rejected, enums written as one-key maps (`path: {prefix: /api}`) or
//! plain words (`mode: strict`). Use these functions rather than calling
//! `serde_yaml` directly: serde_yaml 0.9 otherwise reads and writes enums
//! as YAML tags (`!prefix /api`).

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{FieldPath, Mesh, ValidationErrors};

/// Why a policy file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Not valid YAML/JSON, or not the model's shape.
    #[error("{path}: {message}")]
    Parse {
        /// Where (`services[0].routes[1].forward`), as far as the parser
        /// knows.
        path: FieldPath,
        /// What is wrong.
        message: String,
        /// Line (1-based), when known.
        line: Option<usize>,
    },
    /// Well-formed, but the model is invalid.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Serializing failed.
    #[error("could not write the policy: {0}")]
    Write(String),
}

fn parse_error(e: serde_yaml::Error) -> PolicyError {
    let text = e.to_string();
    let line = e.location().map(|l| l.line());
    // serde_yaml puts the path before the first ": " when it knows it.
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.contains(' ') => (FieldPath::new(p), m.to_owned()),
        _ => (FieldPath::root(), text.clone()),
    };
    let message = match message.rsplit_once(" at line ") {
        Some((m, _)) => m.to_owned(),
        None => message,
    };
    PolicyError::Parse {
        path,
        message,
        line,
    }
}

/// Reads any model value from YAML (or JSON, which is YAML).
pub fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, PolicyError> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_yaml::with::singleton_map_recursive::deserialize(de).map_err(parse_error)
}

/// Writes any model value as YAML (see [`crate::yaml`]).
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, PolicyError> {
    crate::yaml::to_string(value).map_err(|e| PolicyError::Write(e.to_string()))
}

/// Writes any model value as pretty JSON.
pub fn to_json<T: Serialize>(value: &T) -> Result<String, PolicyError> {
    serde_json::to_string_pretty(value).map_err(|e| PolicyError::Write(e.to_string()))
}

impl Mesh {
    /// Reads a policy file (YAML or JSON) and validates it. Parse errors
    /// name the field path and line; validation errors list every problem.
    ///
    /// ```
    /// use mesh_model::{Mesh, PolicyError};
    /// let err = Mesh::from_policy("services: [{name: web, namespace: prod, prots: []}]").unwrap_err();
    /// assert!(matches!(err, PolicyError::Parse { .. }));
    /// assert!(err.to_string().contains("unknown field `prots`"), "{err}");
    /// ```
    pub fn from_policy(text: &str) -> Result<Mesh, PolicyError> {
        let mesh: Mesh = from_yaml(text)?;
        mesh.validate()?;
        Ok(mesh)
    }

    /// Reads a policy file without validating it.
    pub fn from_policy_unchecked(text: &str) -> Result<Mesh, PolicyError> {
        from_yaml(text)
    }

    /// Writes the mesh as a YAML policy file.
    pub fn to_policy(&self) -> Result<String, PolicyError> {
        to_yaml(self)
    }
}
