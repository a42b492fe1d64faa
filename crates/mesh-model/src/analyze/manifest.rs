//! What the manifest analyzers of every backend share: where an input
//! object came from ([`Source`]), a finding about one input object
//! ([`Finding`]), and placing findings as [`Diagnostic`]s ([`place`]).
//!
//! ```
//! use mesh_model::analyze::manifest::{Finding, Source, place};
//! use mesh_model::{Code, FieldPath};
//!
//! let inputs = [(Source::new("a.yaml", 1).item(2), "an object")];
//! let found = vec![Finding::new(0, Code::ALL[0], FieldPath::root().field("spec"), "wrong")];
//! let d = place(&inputs, found);
//! assert_eq!(d[0].location.to_string(), "a.yaml#1: items[2].spec");
//! ```

use crate::FieldPath;

use super::{Code, Diagnostic, Severity};

/// Where an input object came from: file, document, and the object's path
/// in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file, as given.
    pub file: String,
    /// The document's position in the stream, from 1.
    pub document: usize,
    /// The object's path in the document (root for a plain document).
    pub path: FieldPath,
}

impl Source {
    /// A source for a whole document.
    pub fn new(file: impl Into<String>, document: usize) -> Self {
        Source {
            file: file.into(),
            document,
            path: FieldPath::root(),
        }
    }

    /// The same, for an item of a `List` document.
    pub fn item(mut self, index: usize) -> Self {
        self.path = self.path.field("items").index(index);
        self
    }

    /// `field` of the object, as a path in the document.
    pub fn at(&self, field: &FieldPath) -> FieldPath {
        match (self.path.as_str(), field.as_str()) {
            ("", _) => field.clone(),
            (_, "") => self.path.clone(),
            (p, f) => FieldPath::new(format!("{p}.{f}")),
        }
    }
}

/// A finding before it is placed: the input it is about, the field in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the object in the input.
    pub at: usize,
    /// The code.
    pub code: Code,
    /// The field in the object.
    pub field: FieldPath,
    /// What is wrong.
    pub message: String,
    /// What to do instead.
    pub hint: Option<String>,
    /// A severity other than the code's.
    pub severity: Option<Severity>,
}

impl Finding {
    /// A finding with the code's severity and no hint.
    pub fn new(at: usize, code: Code, field: FieldPath, message: impl Into<String>) -> Self {
        Finding {
            at,
            code,
            field,
            message: message.into(),
            hint: None,
            severity: None,
        }
    }

    /// With a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// With a severity other than the code's.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}

/// The findings as diagnostics located in `inputs`, in input order (stable:
/// findings about one object keep their order).
pub fn place<R>(inputs: &[(Source, R)], mut findings: Vec<Finding>) -> Vec<Diagnostic> {
    findings.sort_by_key(|f| f.at);
    findings
        .into_iter()
        .filter_map(|f| {
            let (source, _) = inputs.get(f.at)?;
            let mut d = Diagnostic::manifest(
                f.code,
                source.file.clone(),
                source.document,
                source.at(&f.field),
                f.message,
            );
            d.hint = f.hint;
            if let Some(s) = f.severity {
                d.severity = s;
            }
            Some(d)
        })
        .collect()
}
