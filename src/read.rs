//! Reading existing manifests into typed objects: one entry point per mesh,
//! and [`parse`], which picks the mesh from the documents' API groups.
//!
//! Each mesh's object enum (`IstioObject`, `LinkerdObject`, `ConsulObject`)
//! reads every kind of that mesh's crate plus the shared kinds (core
//! Namespace/Service/ConfigMap/Secret/ServiceAccount, Gateway API,
//! Prometheus operator), dispatched on `apiVersion` and `kind` by
//! [`mesh_k8s::parse`]. Reading is strict: an unknown kind, an `apiVersion`
//! the kind does not serve, an unknown field, a wrong type or a duplicate
//! key is an error naming the file, the document (0-based) and the field
//! path; nothing partial comes back unless the caller asks for best effort.
//!
//! **How [`parse`] picks the mesh.** The first document whose API group
//! belongs to a mesh decides (`*.istio.io` → Istio; `*.linkerd.io` and
//! `split.smi-spec.io` → Linkerd; `consul.hashicorp.com` → Consul); the
//! result is [`Objects`], an enum with one variant per mesh, holding that
//! mesh's object enum. A document of another mesh's group in the same
//! input is then an unknown kind (one input, one mesh: read mixed inputs
//! per file, or with the per-mesh functions). An input with only shared
//! kinds comes back as [`Objects::Shared`]. A mesh whose feature is not
//! compiled in is not picked (its kinds are then unknown).
//!
//! ```
//! let text = "\
//! apiVersion: networking.istio.io/v1
//! kind: VirtualService
//! metadata: {name: reviews, namespace: bookinfo}
//! spec:
//!   hosts: [reviews]
//!   http:
//!   - route:
//!     - destination: {host: reviews, subset: v1}
//!       weight: 90
//!     - destination: {host: reviews, subset: v2}
//!       weight: ten
//! ";
//! # #[cfg(feature = "istio")] {
//! let err = meshwright::parse("vs.yaml", text).unwrap_err();
//! assert!(err.to_string().starts_with(
//!     "vs.yaml:0: spec.http[0].route[1].weight: invalid type: string \"ten\""
//! ));
//! let objects = meshwright::parse("vs.yaml", &text.replace("ten", "10"))?;
//! assert_eq!(objects.mesh(), Some(meshwright::MeshKind::Istio));
//! assert!(meshwright::read::to_yaml(&[("vs.yaml", &text.replace("ten", "10"))])?
//!     .contains("weight: 10"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use mesh_k8s::parse::{parse_documents, read_stream};
use mesh_model::MeshKind;
use serde::Serialize;

pub use mesh_k8s::parse::{K8sObject, ParseError, ParseErrors, ParseObject, Parsed, Problem};

/// Typed objects read from one input, in input order, as the object enum
/// of the mesh their API groups name.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Objects {
    /// Istio objects (and shared kinds).
    #[cfg(feature = "istio")]
    Istio(Vec<mesh_istio::IstioObject>),
    /// Linkerd and SMI objects (and shared kinds).
    #[cfg(feature = "linkerd")]
    Linkerd(Vec<mesh_linkerd::LinkerdObject>),
    /// Consul objects (and shared kinds).
    #[cfg(feature = "consul")]
    Consul(Vec<mesh_consul::lower::ConsulObject>),
    /// Only shared kinds: no document names a mesh.
    Shared(Vec<K8sObject>),
}

/// Runs `$body` with `$v` bound to the objects, whatever the variant.
macro_rules! each {
    ($self:expr, $v:ident => $body:expr) => {
        match $self {
            #[cfg(feature = "istio")]
            Objects::Istio($v) => $body,
            #[cfg(feature = "linkerd")]
            Objects::Linkerd($v) => $body,
            #[cfg(feature = "consul")]
            Objects::Consul($v) => $body,
            Objects::Shared($v) => $body,
        }
    };
}

impl Objects {
    /// The mesh, or `None` for shared kinds only.
    pub fn mesh(&self) -> Option<MeshKind> {
        match self {
            #[cfg(feature = "istio")]
            Objects::Istio(_) => Some(MeshKind::Istio),
            #[cfg(feature = "linkerd")]
            Objects::Linkerd(_) => Some(MeshKind::Linkerd),
            #[cfg(feature = "consul")]
            Objects::Consul(_) => Some(MeshKind::Consul),
            Objects::Shared(_) => None,
        }
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        each!(self, v => v.len())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Each object as a JSON value, in order.
    pub fn to_json_values(&self) -> Result<Vec<serde_json::Value>, serde_json::Error> {
        each!(self, v => v.iter().map(serde_json::to_value).collect())
    }

    /// Each object as one YAML document (meshwright's emitter), in order.
    pub fn to_yaml_documents(&self) -> Result<Vec<String>, mesh_model::yaml::YamlError> {
        each!(self, v => yaml_documents(v))
    }
}

fn yaml_documents<T: Serialize>(objects: &[T]) -> Result<Vec<String>, mesh_model::yaml::YamlError> {
    objects.iter().map(mesh_k8s::to_yaml_string).collect()
}

/// The mesh an API group belongs to (`networking.istio.io` → Istio), or
/// `None` for core, Gateway API, Prometheus and unknown groups.
pub fn mesh_of_group(group: &str) -> Option<MeshKind> {
    let is = |suffix: &str| group == suffix || group.ends_with(&format!(".{suffix}"));
    if is("istio.io") {
        Some(MeshKind::Istio)
    } else if is("linkerd.io") || group == "split.smi-spec.io" {
        Some(MeshKind::Linkerd)
    } else if is("consul.hashicorp.com") {
        Some(MeshKind::Consul)
    } else {
        None
    }
}

/// Every object of `text` (a YAML stream, JSON document or stream, or a
/// `List`) as the object enum of the mesh its API groups name, or every
/// error of every failing document. `file` names the input in errors.
pub fn parse(file: &str, text: &str) -> Result<Objects, ParseErrors> {
    let (objects, errors) = parse_best_effort(file, text);
    if errors.is_empty() {
        Ok(objects)
    } else {
        Err(ParseErrors(errors))
    }
}

/// [`parse`], returning what parsed along with every error.
pub fn parse_best_effort(file: &str, text: &str) -> (Objects, Vec<ParseError>) {
    let (docs, mut errors) = read_stream(file, text);
    let mesh = docs
        .iter()
        .filter_map(|d| mesh_of_group(d.group()))
        .find(|m| crate::meshes().contains(m));
    let (objects, parse_errors) = match mesh {
        #[cfg(feature = "istio")]
        Some(MeshKind::Istio) => {
            let p = parse_documents(file, docs);
            (Objects::Istio(p.objects), p.errors)
        }
        #[cfg(feature = "linkerd")]
        Some(MeshKind::Linkerd) => {
            let p = parse_documents(file, docs);
            (Objects::Linkerd(p.objects), p.errors)
        }
        #[cfg(feature = "consul")]
        Some(MeshKind::Consul) => {
            let p = parse_documents(file, docs);
            (Objects::Consul(p.objects), p.errors)
        }
        _ => {
            let p = parse_documents(file, docs);
            (Objects::Shared(p.objects), p.errors)
        }
    };
    errors.extend(parse_errors);
    errors.sort_by_key(|e| (e.document, e.item.unwrap_or(0)));
    (objects, errors)
}

/// Every Istio object of `text` (and shared kinds), or every error.
#[cfg(feature = "istio")]
pub fn parse_istio(file: &str, text: &str) -> Result<Vec<mesh_istio::IstioObject>, ParseErrors> {
    mesh_k8s::parse::parse_str(file, text)
}

/// Every Linkerd object of `text` (and shared kinds), or every error.
#[cfg(feature = "linkerd")]
pub fn parse_linkerd(
    file: &str,
    text: &str,
) -> Result<Vec<mesh_linkerd::LinkerdObject>, ParseErrors> {
    mesh_k8s::parse::parse_str(file, text)
}

/// Every Consul object of `text` (and shared kinds), or every error.
#[cfg(feature = "consul")]
pub fn parse_consul(
    file: &str,
    text: &str,
) -> Result<Vec<mesh_consul::lower::ConsulObject>, ParseErrors> {
    mesh_k8s::parse::parse_str(file, text)
}

/// Why [`to_yaml`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Some documents did not parse: every error, with file, document and
    /// field path.
    #[error("{0}")]
    Parse(ParseErrors),
    /// An object could not be written back.
    #[error("{file}: could not write the objects back: {message}")]
    Write {
        /// The input.
        file: String,
        /// The emitter's message.
        message: String,
    },
}

/// Reads each `(file name, text)` with [`parse`] and writes every document
/// back as one YAML stream (meshwright's emitter), in input order (a
/// `List` becomes its items); nothing when any document of any input fails,
/// then every error of every input. This is the `roundtrip` example.
pub fn to_yaml(inputs: &[(&str, &str)]) -> Result<String, ReadError> {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (file, text) in inputs {
        match parse(file, text) {
            Ok(objects) => {
                docs.extend(objects.to_yaml_documents().map_err(|e| ReadError::Write {
                    file: (*file).to_owned(),
                    message: e.to_string(),
                })?)
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(docs.join("---\n"))
    } else {
        Err(ReadError::Parse(ParseErrors(errors)))
    }
}
