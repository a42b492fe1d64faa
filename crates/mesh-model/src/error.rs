//! Errors: every validation error carries the field path of the policy file
//! (`services[2].routes[0].backends[1].weight`) and a sentence a person can
//! act on.

use std::fmt;

/// Where in a [`Mesh`](crate::Mesh) (or a policy file) something is, in the
/// policy file's own names: `services[2].routes[0].forward.backends[1].weight`.
#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FieldPath(String);

impl FieldPath {
    /// The root (the whole document).
    pub fn root() -> Self {
        FieldPath(String::new())
    }

    /// A path from its text.
    pub fn new(text: impl Into<String>) -> Self {
        FieldPath(text.into())
    }

    /// The path as text (empty for the root).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This path followed by a field.
    pub fn field(&self, name: &str) -> FieldPath {
        if self.0.is_empty() {
            return FieldPath(name.to_owned());
        }
        let mut s = String::with_capacity(self.0.len() + 1 + name.len());
        s.push_str(&self.0);
        s.push('.');
        s.push_str(name);
        FieldPath(s)
    }

    /// This path followed by a list index.
    pub fn index(&self, i: usize) -> FieldPath {
        use fmt::Write;
        let mut s = String::with_capacity(self.0.len() + 8);
        s.push_str(&self.0);
        // Writing to a String cannot fail.
        let _ = write!(s, "[{i}]");
        FieldPath(s)
    }

    /// This path followed by a map key.
    pub fn key(&self, key: &str) -> FieldPath {
        let mut s = String::with_capacity(self.0.len() + 2 + key.len());
        s.push_str(&self.0);
        s.push('[');
        s.push_str(key);
        s.push(']');
        FieldPath(s)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document)")
        } else {
            f.write_str(&self.0)
        }
    }
}

impl fmt::Debug for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({:?})", self.0)
    }
}

/// One thing wrong with a model, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct ValidationError {
    /// Where.
    pub path: FieldPath,
    /// What.
    pub problem: Problem,
}

/// What is wrong; each message says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A value breaks its type's rules.
    #[error("{0}")]
    Value(#[from] crate::ValueError),
    /// A reference to a service the model does not define.
    #[error("service {service} is not defined; add it to `services` or fix the reference")]
    UnknownService {
        /// `namespace/name`.
        service: String,
    },
    /// A reference to a version the service does not have.
    #[error(
        "service {service} has no version {version:?} (its versions: {known}); add the version or fix the reference"
    )]
    UnknownVersion {
        /// `namespace/name`.
        service: String,
        /// The missing version.
        version: String,
        /// The versions it has, comma separated (or "none").
        known: String,
    },
    /// An identity that is neither a service's nor declared.
    #[error(
        "identity {identity} is not the identity of any service and not listed in `identities`; declare it there or fix the reference"
    )]
    UnknownIdentity {
        /// `namespace/serviceAccount`.
        identity: String,
    },
    /// A JWT principal whose issuer no provider declares.
    #[error(
        "no JWT provider in `security.jwt` has issuer {issuer:?}; declare the provider or fix the issuer"
    )]
    UnknownIssuer {
        /// The issuer.
        issuer: String,
    },
    /// Two things that must have different names do not.
    #[error("{what} {name:?} is defined twice (first at {first}); give each a unique name")]
    Duplicate {
        /// What kind of thing (`route name`, `host`).
        what: &'static str,
        /// The repeated name.
        name: String,
        /// Where the first one is.
        first: FieldPath,
    },
    /// A list that must not be empty is.
    #[error("{what} must not be empty")]
    Empty {
        /// What the list holds.
        what: &'static str,
    },
    /// Backend weights add up to zero.
    #[error(
        "the backends' weights add up to 0, so no request could be forwarded; give at least one backend a positive weight"
    )]
    ZeroTotalWeight,
    /// A non-zero weight so small next to the others that a mesh needing
    /// percentages (0.01 steps) would drop it.
    #[error(
        "weight {weight} of {total} is less than 0.005% of the traffic and would round to zero in meshes that use percentages; raise it or set it to 0"
    )]
    WeightTooSmall {
        /// The weight.
        weight: u32,
        /// The total.
        total: u64,
    },
    /// Retries cannot finish within the route timeout.
    #[error(
        "{attempts} retries × {per_try_timeout} per try = {total}, longer than the timeout {timeout}; lower the attempts or the per-try timeout, or raise the timeout"
    )]
    RetriesExceedTimeout {
        /// Retries.
        attempts: u32,
        /// Per-try timeout.
        per_try_timeout: crate::Duration,
        /// `attempts × per_try_timeout`.
        total: String,
        /// The route timeout.
        timeout: crate::Duration,
    },
    /// A retry policy with no retries.
    #[error("attempts must be at least 1; to turn retries off, leave `retries` out")]
    ZeroAttempts,
    /// A mirror that targets a primary backend.
    #[error(
        "the mirror targets {target}, which already receives this route's traffic; mirror to another service or version"
    )]
    MirrorIsPrimary {
        /// The target.
        target: String,
    },
    /// A service name that is not a DNS-1035 label.
    #[error(
        "service name {name:?} must start with a lower case letter (Kubernetes Service names are DNS-1035 labels)"
    )]
    ServiceName {
        /// The name.
        name: String,
    },
    /// A backend reference without a service where one is required.
    #[error("{context} must name the service they send to (`service:`)")]
    ServiceRequired {
        /// Where (`ingress routes`).
        context: &'static str,
    },
    /// A prefix rewrite on a route that does not match by path prefix.
    #[error(
        "a prefix rewrite replaces the matched path prefix, so every match of this route needs `path: {{prefix: ...}}`; use a full-path rewrite instead"
    )]
    PrefixRewriteWithoutPrefixMatch,
    /// Something that is not allowed in this position.
    #[error("{what} is not allowed here: {hint}")]
    NotAllowed {
        /// What.
        what: &'static str,
        /// Why, and what to do instead.
        hint: &'static str,
    },
    /// Two settings that contradict each other.
    #[error("{0}")]
    Conflict(&'static str),
    /// A number outside its range.
    #[error("{what} is {value}, but must be {range}")]
    OutOfRange {
        /// What.
        what: &'static str,
        /// The value.
        value: String,
        /// The allowed range.
        range: &'static str,
    },
}

/// Every problem found in a model, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    /// The errors.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The paths, for tests and tools.
    pub fn paths(&self) -> Vec<&str> {
        self.0.iter().map(|e| e.path.as_str()).collect()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            0 => f.write_str("no errors"),
            1 => write!(f, "{}", self.0[0]),
            n => {
                write!(f, "{n} errors:")?;
                for e in &self.0 {
                    write!(f, "\n  {e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Why a builder could not build.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// A required field was not set.
    #[error("`{0}` must be set")]
    Missing(String),
    /// The value breaks the type's own rules (paths are relative to it).
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

impl From<derive_builder::UninitializedFieldError> for BuildError {
    fn from(e: derive_builder::UninitializedFieldError) -> Self {
        BuildError::Missing(e.field_name().to_owned())
    }
}

// === the walker ===

#[derive(Clone)]
enum Seg {
    Field(&'static str),
    Index(usize),
    Key(String),
}

/// Walks a model collecting errors with paths. Path segments are pushed and
/// popped as it descends; text is made only when an error is recorded.
#[derive(Default)]
pub(crate) struct Checker {
    segs: Vec<Seg>,
    errors: Vec<ValidationError>,
}

impl Checker {
    pub(crate) fn new() -> Self {
        Checker::default()
    }

    pub(crate) fn path(&self) -> FieldPath {
        let mut s = String::new();
        for seg in &self.segs {
            match seg {
                Seg::Field(f) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(f);
                }
                Seg::Index(i) => {
                    s.push('[');
                    s.push_str(&i.to_string());
                    s.push(']');
                }
                Seg::Key(k) => {
                    s.push('[');
                    s.push_str(k);
                    s.push(']');
                }
            }
        }
        FieldPath(s)
    }

    /// Runs `f` at `field` below the current position.
    pub(crate) fn at<R>(&mut self, field: &'static str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.segs.push(Seg::Field(field));
        let r = f(self);
        self.segs.pop();
        r
    }

    /// Runs `f` at list index `i`.
    pub(crate) fn idx<R>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        self.segs.push(Seg::Index(i));
        let r = f(self);
        self.segs.pop();
        r
    }

    /// Runs `f` at map key `key`.
    pub(crate) fn key<R>(&mut self, key: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        self.segs.push(Seg::Key(key.to_owned()));
        let r = f(self);
        self.segs.pop();
        r
    }

    /// Checks each item of a list at `field[i]`.
    pub(crate) fn each<T: Check>(&mut self, field: &'static str, items: &[T]) {
        self.at(field, |c| {
            for (i, item) in items.iter().enumerate() {
                c.idx(i, |c| item.check(c));
            }
        });
    }

    /// Checks an optional value at `field`.
    pub(crate) fn opt<T: Check>(&mut self, field: &'static str, item: &Option<T>) {
        if let Some(item) = item {
            self.at(field, |c| item.check(c));
        }
    }

    /// Records a problem at the current position.
    pub(crate) fn error(&mut self, problem: Problem) {
        let path = self.path();
        self.errors.push(ValidationError { path, problem });
    }

    /// Records a problem at `field` below the current position.
    pub(crate) fn error_at(&mut self, field: &'static str, problem: Problem) {
        self.at(field, |c| c.error(problem));
    }

    pub(crate) fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

/// The rules a value can check on its own (no references to the rest of
/// the mesh).
pub(crate) trait Check {
    fn check(&self, c: &mut Checker);
}

impl<T: Check> Check for Box<T> {
    fn check(&self, c: &mut Checker) {
        (**self).check(c);
    }
}

/// Gives a type a `validate()` running its own checks, and its builder a
/// `build()` that builds and then validates.
macro_rules! checked_builder {
    ($($ty:ident => $builder:ident),* $(,)?) => {$(
        impl $ty {
            /// Checks the rules this value can check on its own (references
            /// to services, versions and identities are checked by
            /// [`Mesh::validate`](crate::Mesh::validate)). Paths are relative
            /// to this value.
            pub fn validate(&self) -> Result<(), $crate::ValidationErrors> {
                let mut c = $crate::error::Checker::new();
                $crate::error::Check::check(self, &mut c);
                c.finish()
            }
        }

        impl $builder {
            /// Builds the value and checks it ([`validate`]($ty::validate)).
            pub fn build(&self) -> Result<$ty, $crate::BuildError> {
                let value = self.build_unchecked()?;
                value.validate()?;
                Ok(value)
            }
        }
    )*};
}

pub(crate) use checked_builder;

/// Gives a builder a public `build()` for a type with no rules of its own
/// (its references are still checked by `Mesh::validate`).
macro_rules! plain_builder {
    ($($ty:ident => $builder:ident),* $(,)?) => {$(
        impl $builder {
            /// Builds the value; it has no rules of its own to check
            /// ([`Mesh::validate`](crate::Mesh::validate) checks it in
            /// context).
            pub fn build(&self) -> Result<$ty, $crate::BuildError> {
                self.build_unchecked()
            }
        }
    )*};
}

pub(crate) use plain_builder;
