//! Reading manifests: a YAML stream, a JSON document or stream, or a
//! `List`, into typed objects, dispatched on `apiVersion` and `kind`.
//!
//! Two steps, both public:
//!
//! 1. [`read_stream`] splits the input into documents and reads each into
//!    a JSON value, strictly: a duplicate key is an error (kubectl's strict
//!    decoding rejects it too; a YAML or JSON map would otherwise keep the
//!    last value silently), empty documents are skipped, and a `List`
//!    (`v1 List`, or a typed `<Kind>List`) is expanded into its items. It
//!    peeks `apiVersion` and `kind` as it goes, so the typed step parses
//!    each document once, straight into its type.
//! 2. [`parse_documents`] hands each document to a [`ParseObject`] (an
//!    object enum declared with [`object_enum!`](crate::object_enum), such
//!    as a backend's `IstioObject`): the variant whose kind serves that
//!    `apiVersion` reads it, with every unknown field and wrong type an
//!    error carrying the field path (`spec.http[0].route[1].weight`).
//!
//! [`parse_str`] does both and returns nothing partial: every document, or
//! every error of every failing document. [`parse_str_best_effort`] returns
//! what parsed and every error.
//!
//! ```
//! use mesh_k8s::parse::{parse_str, parse_str_best_effort};
//! use mesh_k8s::parse::K8sObject;
//!
//! let text = "\
//! apiVersion: v1
//! kind: Namespace
//! metadata: {name: shop}
//! ---
//! apiVersion: gateway.networking.k8s.io/v1
//! kind: HTTPRoute
//! metadata: {name: r, namespace: shop}
//! spec:
//!   rules:
//!   - backendRefs: [{name: cart, port: 80, wieght: 1}]
//! ";
//! let errors = parse_str::<K8sObject>("app.yaml", text).unwrap_err();
//! assert_eq!(
//!     errors.0[0].to_string().split(", expected").next().unwrap(),
//!     "app.yaml:1: spec.rules[0].backendRefs[0].wieght: unknown field `wieght`"
//! );
//! let partial = parse_str_best_effort::<K8sObject>("app.yaml", text);
//! assert_eq!((partial.objects.len(), partial.errors.len()), (1, 1));
//! ```

use std::fmt;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, Service, ServiceAccount};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::gateway::{Gateway, GatewayClass, GrpcRoute, HttpRoute, ReferenceGrant};
use crate::prometheus::{PodMonitor, PrometheusRule, ServiceMonitor};
use crate::{Kind, Object};

// === errors ===

/// What is wrong with one document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The text is not YAML or JSON (or has a duplicate key); the reader's
    /// message has the line and column.
    #[error("{0}")]
    Syntax(String),
    /// The document is not a mapping.
    #[error("a manifest is a mapping with apiVersion, kind and metadata, not {0}")]
    NotAnObject(&'static str),
    /// `apiVersion` or `kind` is missing or not a string.
    #[error("`{0}` is missing or not a string")]
    MissingType(&'static str),
    /// No kind of this reader has this name.
    #[error("unknown kind {kind} (apiVersion {api_version}); this reader knows {known}")]
    UnknownKind {
        /// The document's `apiVersion`.
        api_version: String,
        /// The document's `kind`.
        kind: String,
        /// The kinds this reader knows, comma separated.
        known: String,
    },
    /// The kind exists, but not with this `apiVersion`.
    #[error("{kind} is not served as {api_version}; served versions: {served}")]
    UnknownVersion {
        /// The document's `apiVersion`.
        api_version: String,
        /// The document's `kind`.
        kind: String,
        /// Every `apiVersion` this reader has for the kind, comma separated.
        served: String,
    },
    /// The typed read failed: an unknown field, a wrong type, a missing
    /// required field, a broken rule of the type.
    #[error("{}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
    Invalid {
        /// Where, from the document's root (`spec.http[0].route[1].weight`);
        /// empty for the document itself.
        path: String,
        /// serde's message.
        message: String,
    },
}

/// One failing document: where (file, document, field path) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{document}: {}{problem}", item.map(|i| format!("items[{i}]: ")).unwrap_or_default())]
pub struct ParseError {
    /// The file (as the caller named it; `-` for standard input).
    pub file: String,
    /// 0-based index among the input's non-empty documents.
    pub document: usize,
    /// For an item of a `List`, its index in `items`.
    pub item: Option<usize>,
    /// What is wrong.
    pub problem: Problem,
}

impl ParseError {
    /// The field path from the document's root, `items[i].`-prefixed for
    /// an item of a `List`; empty when the problem is the whole document.
    pub fn path(&self) -> String {
        let inner = match &self.problem {
            Problem::Invalid { path, .. } => path.as_str(),
            _ => "",
        };
        match (self.item, inner.is_empty()) {
            (Some(i), true) => format!("items[{i}]"),
            (Some(i), false) => format!("items[{i}].{inner}"),
            (None, _) => inner.to_owned(),
        }
    }
}

/// Every error of a strict parse, in input order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct ParseErrors(pub Vec<ParseError>);

// === step 1: documents ===

/// One document of an input, read into a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub struct RawDocument {
    /// 0-based index among the input's non-empty documents.
    pub document: usize,
    /// For an item of a `List`, its index in `items`.
    pub item: Option<usize>,
    /// Its `apiVersion`.
    pub api_version: String,
    /// Its `kind`.
    pub kind: String,
    /// The whole document.
    pub value: Value,
}

impl RawDocument {
    /// The API group of [`api_version`](RawDocument::api_version) (empty
    /// for the core group).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map(|(g, _)| g)
            .unwrap_or("")
    }
}

/// The documents of `text`, read strictly, in order; an input that starts
/// with `{` is read as JSON (one document or a stream of them) when it is
/// JSON, anything else as a YAML stream. A `List` is expanded into its
/// items. Reading stops at a syntax error (the rest of a stream cannot be
/// reached), so the documents before it come back along with the error.
pub fn read_stream(file: &str, text: &str) -> (Vec<RawDocument>, Vec<ParseError>) {
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for (document, value) in values(text).into_iter().enumerate() {
        let error = |item, problem| ParseError {
            file: file.to_owned(),
            document,
            item,
            problem,
        };
        let value = match value {
            Ok(v) => v,
            Err(message) => {
                errors.push(error(None, Problem::Syntax(message)));
                continue;
            }
        };
        match expand(value) {
            Ok(items) => {
                for (item, r) in items {
                    match r {
                        Ok((api_version, kind, value)) => docs.push(RawDocument {
                            document,
                            item,
                            api_version,
                            kind,
                            value,
                        }),
                        Err(problem) => errors.push(error(item, problem)),
                    }
                }
            }
            Err(problem) => errors.push(error(None, problem)),
        }
    }
    (docs, errors)
}

/// The non-empty documents of a YAML stream or JSON input as JSON values,
/// read strictly (duplicate keys are errors); after a syntax error nothing
/// more is read. Test helpers (`testing::read_corpus`) use this too.
pub fn values(text: &str) -> Vec<Result<Value, String>> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{')
        && let Some(values) = json_values(trimmed)
    {
        return values;
    }
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        match Strict::deserialize(doc) {
            Ok(Strict(Value::Null)) => {}
            Ok(Strict(v)) => out.push(Ok(v)),
            Err(e) => {
                out.push(Err(e.to_string()));
                break;
            }
        }
    }
    out
}

/// A JSON document or stream; `None` when the first document is not JSON
/// (then the input is read as YAML, whose flow style also starts with `{`).
fn json_values(text: &str) -> Option<Vec<Result<Value, String>>> {
    let mut out = Vec::new();
    for r in serde_json::Deserializer::from_str(text).into_iter::<Strict>() {
        match r {
            Ok(Strict(v)) => out.push(Ok(v)),
            Err(_) if out.is_empty() => return None,
            Err(e) => {
                out.push(Err(e.to_string()));
                break;
            }
        }
    }
    Some(out)
}

type Item = (Option<usize>, Result<(String, String, Value), Problem>);

/// A document's type, and a `List` expanded into its items.
fn expand(value: Value) -> Result<Vec<Item>, Problem> {
    let (api_version, kind) = type_of(&value)?;
    let is_list = kind == "List" || (kind.ends_with("List") && value.get("items").is_some());
    if !is_list {
        return Ok(vec![(None, Ok((api_version, kind, value)))]);
    }
    let Value::Object(mut list) = value else {
        return Err(Problem::NotAnObject("a list"));
    };
    if let Some(unknown) = list
        .keys()
        .find(|k| !matches!(k.as_str(), "apiVersion" | "kind" | "metadata" | "items"))
    {
        return Err(Problem::Invalid {
            path: unknown.clone(),
            message: format!("unknown field `{unknown}` of a {kind}"),
        });
    }
    let items = match list.remove("items") {
        Some(Value::Array(items)) => items,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Err(Problem::Invalid {
                path: "items".to_owned(),
                message: "a list's items must be a sequence".to_owned(),
            });
        }
    };
    // A typed list (`VirtualServiceList`) may leave its items' type out.
    let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, mut item)| {
            if let (Some(k), Value::Object(m)) = (item_kind, &mut item) {
                m.entry("apiVersion")
                    .or_insert_with(|| Value::String(api_version.clone()));
                m.entry("kind")
                    .or_insert_with(|| Value::String(k.to_owned()));
            }
            (Some(i), type_of(&item).map(|(av, k)| (av, k, item)))
        })
        .collect())
}

fn type_of(value: &Value) -> Result<(String, String), Problem> {
    let Value::Object(m) = value else {
        return Err(Problem::NotAnObject(match value {
            Value::Array(_) => "a sequence",
            Value::String(_) => "a string",
            _ => "a scalar",
        }));
    };
    let field = |name| {
        m.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(Problem::MissingType(name))
    };
    Ok((field("apiVersion")?, field("kind")?))
}

/// A JSON value read from any self-describing format, refusing duplicate
/// map keys (serde_json's own `Value` keeps the last one).
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> DeserializeSeed<'de> for StrictVisitor {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON-compatible value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{v} is not a number JSON can hold")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(v) = seq.next_element_seed(StrictVisitor)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key_seed(KeyVisitor)? {
            if out.contains_key(&key) {
                return Err(de::Error::custom(format!("duplicate key `{key}`")));
            }
            let value = map.next_value_seed(StrictVisitor)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A map key as JSON has it: a string (YAML's scalar keys in their text form).
struct KeyVisitor;

impl<'de> DeserializeSeed<'de> for KeyVisitor {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or boolean map key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

// === step 2: typed objects ===

/// A typed kind an object enum can hold: its `kind`, the `apiVersion`s it
/// reads, and its strict typed read. Implemented for every
/// [`Object<S>`](Object) and for the core kinds meshwright emits
/// (Namespace, Service, ConfigMap, Secret, ServiceAccount).
pub trait ReadKind: Sized {
    /// `kind`.
    const KIND: &'static str;
    /// Every `apiVersion` it reads.
    const API_VERSIONS: &'static [&'static str];
    /// Reads one document of this kind (its `apiVersion` is one of
    /// [`API_VERSIONS`](ReadKind::API_VERSIONS)).
    fn read(value: Value) -> Result<Self, Problem>;
}

/// The typed read; on failure, read again to find the field path of the
/// first error (`serde_path_to_error` costs about as much as the read
/// itself, so valid documents are read without it).
pub fn typed<T: serde::de::DeserializeOwned>(value: &Value) -> Result<T, Problem> {
    T::deserialize(value).map_err(
        |plain| match serde_path_to_error::deserialize::<_, T>(value) {
            Err(e) => {
                let path = e.path().to_string();
                Problem::Invalid {
                    path: if path == "." { String::new() } else { path },
                    message: e.into_inner().to_string(),
                }
            }
            // Cannot happen (the same read of the same value), but the first
            // error is still the answer.
            Ok(_) => Problem::Invalid {
                path: String::new(),
                message: plain.to_string(),
            },
        },
    )
}

impl<S: Kind> ReadKind for Object<S> {
    const KIND: &'static str = S::KIND;
    const API_VERSIONS: &'static [&'static str] = S::API_VERSIONS;
    fn read(value: Value) -> Result<Self, Problem> {
        typed(&value)
    }
}

/// k8s-openapi's types skip unknown fields; these kinds are read, written
/// back, and any field of the input that did not survive is reported as
/// unknown (a `null` that comes back absent is no loss).
macro_rules! core_read_kind {
    ($($ty:ty),*) => {$(
        impl ReadKind for $ty {
            const KIND: &'static str = <$ty as k8s_openapi::Resource>::KIND;
            const API_VERSIONS: &'static [&'static str] =
                &[<$ty as k8s_openapi::Resource>::API_VERSION];
            fn read(value: Value) -> Result<Self, Problem> {
                let object: $ty = typed(&value)?;
                let back = serde_json::to_value(&object).map_err(|e| Problem::Invalid {
                    path: String::new(),
                    message: e.to_string(),
                })?;
                match dropped_field(&value, &back, &mut String::new()) {
                    Some(path) => Err(Problem::Invalid {
                        message: format!(
                            "unknown field `{}`",
                            path.rsplit(['.', ']']).next().unwrap_or(&path)
                        ),
                        path,
                    }),
                    None => Ok(object),
                }
            }
        }
    )*};
}

core_read_kind!(Namespace, Service, ConfigMap, Secret, ServiceAccount);

/// The path of the first non-null field of `input` that `output` lacks.
fn dropped_field(input: &Value, output: &Value, path: &mut String) -> Option<String> {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let found = match b.get(k) {
                    None if !v.is_null() => Some(path.clone()),
                    None => None,
                    Some(w) => dropped_field(v, w, path),
                };
                path.truncate(len);
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        (Value::Array(a), Value::Array(b)) => {
            a.iter().zip(b).enumerate().find_map(|(i, (v, w))| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = dropped_field(v, w, path);
                path.truncate(len);
                found
            })
        }
        _ => None,
    }
}

/// The JSON value a document is read into (`serde_json::Value`).
pub type JsonValue = Value;

/// An enum of typed objects that reads documents: implemented by
/// [`object_enum!`](crate::object_enum) for each enum it declares.
pub trait ParseObject: Sized {
    /// Every (`kind`, `apiVersion`s) this enum reads, in declaration order.
    fn kinds() -> Vec<(&'static str, &'static [&'static str])>;

    /// Reads one document whose `apiVersion` and `kind` were peeked: the
    /// variant whose kind serves that `apiVersion` parses it.
    fn from_document(api_version: &str, kind: &str, value: Value) -> Result<Self, Problem>;
}

/// The error for a document no variant of an object enum reads: an unknown
/// kind, or a known kind at an `apiVersion` it does not serve (listing the
/// versions that exist). Used by [`object_enum!`](crate::object_enum).
pub fn unknown_type(
    api_version: &str,
    kind: &str,
    kinds: &[(&'static str, &'static [&'static str])],
) -> Problem {
    let served: Vec<&str> = kinds
        .iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, versions)| versions.iter().copied())
        .collect();
    if served.is_empty() {
        let mut known: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
        known.sort_unstable();
        known.dedup();
        Problem::UnknownKind {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            known: known.join(", "),
        }
    } else {
        Problem::UnknownVersion {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
            served: served.join(", "),
        }
    }
}

/// What a best-effort parse gives: every object that parsed, in input
/// order, and every error.
#[derive(Debug, Clone)]
pub struct Parsed<O> {
    /// The objects.
    pub objects: Vec<O>,
    /// The errors, in input order.
    pub errors: Vec<ParseError>,
}

impl<O> Parsed<O> {
    /// The objects when there is no error, else every error.
    pub fn into_result(self) -> Result<Vec<O>, ParseErrors> {
        if self.errors.is_empty() {
            Ok(self.objects)
        } else {
            Err(ParseErrors(self.errors))
        }
    }
}

/// Reads documents (from [`read_stream`]) as `O`, in order.
pub fn parse_documents<O: ParseObject>(
    file: &str,
    docs: impl IntoIterator<Item = RawDocument>,
) -> Parsed<O> {
    let mut out = Parsed {
        objects: Vec::new(),
        errors: Vec::new(),
    };
    for doc in docs {
        match O::from_document(&doc.api_version, &doc.kind, doc.value) {
            Ok(o) => out.objects.push(o),
            Err(problem) => out.errors.push(ParseError {
                file: file.to_owned(),
                document: doc.document,
                item: doc.item,
                problem,
            }),
        }
    }
    out
}

/// Every object of `text` (YAML stream, JSON, or a `List`), or every error
/// of every failing document; `file` names the input in errors.
pub fn parse_str<O: ParseObject>(file: &str, text: &str) -> Result<Vec<O>, ParseErrors> {
    parse_str_best_effort(file, text).into_result()
}

/// What parsed of `text`, and every error.
pub fn parse_str_best_effort<O: ParseObject>(file: &str, text: &str) -> Parsed<O> {
    let (docs, read_errors) = read_stream(file, text);
    let mut parsed = parse_documents::<O>(file, docs);
    if !read_errors.is_empty() {
        parsed.errors.extend(read_errors);
        parsed
            .errors
            .sort_by_key(|e| (e.document, e.item.unwrap_or(0)));
    }
    parsed
}

crate::object_enum! {
    /// The kinds every backend shares: core Namespace, Service, ConfigMap,
    /// Secret and ServiceAccount, the Gateway API and the Prometheus
    /// operator's kinds. Each backend's object enum has these too.
    #[derive(Debug, Clone, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    pub enum K8sObject {
        /// A Namespace.
        Namespace(Namespace),
        /// A Service.
        Service(Service),
        /// A ConfigMap.
        ConfigMap(ConfigMap),
        /// A Secret.
        Secret(Secret),
        /// A ServiceAccount.
        ServiceAccount(ServiceAccount),
        /// Gateway API GatewayClass.
        GatewayClass(GatewayClass),
        /// Gateway API Gateway.
        Gateway(Gateway),
        /// Gateway API HTTPRoute.
        HttpRoute(HttpRoute),
        /// Gateway API GRPCRoute.
        GrpcRoute(GrpcRoute),
        /// Gateway API ReferenceGrant.
        ReferenceGrant(ReferenceGrant),
        /// Prometheus operator ServiceMonitor.
        ServiceMonitor(ServiceMonitor),
        /// Prometheus operator PodMonitor.
        PodMonitor(PodMonitor),
        /// Prometheus operator PrometheusRule.
        PrometheusRule(PrometheusRule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: &str = "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: shop}\nspec:\n  rules:\n  - backendRefs: [{name: cart, port: 80, weight: 1}]\n";

    fn errors(file: &str, text: &str) -> Vec<String> {
        match parse_str::<K8sObject>(file, text) {
            Ok(objects) => panic!("parsed: {objects:?}"),
            Err(e) => e.0.iter().map(ToString::to_string).collect(),
        }
    }

    fn kinds(text: &str) -> Vec<String> {
        parse_str::<K8sObject>("in", text)
            .unwrap()
            .iter()
            .map(|o| {
                format!(
                    "{} {}",
                    crate::Manifest::api_version(o),
                    crate::Manifest::kind(o)
                )
            })
            .collect()
    }

    #[test]
    fn inputs_of_every_shape() {
        let ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        let both = ["v1 Namespace", "gateway.networking.k8s.io/v1 HTTPRoute"];
        let json_route =
            serde_json::to_string(&serde_yaml::from_str::<Value>(ROUTE).unwrap()).unwrap();
        let cases: Vec<(&str, String, Vec<&str>)> = vec![
            ("YAML stream", format!("---\n{ns}---\n---\n{ROUTE}"), both.to_vec()),
            ("JSON document", json_route.clone(), vec![both[1]]),
            (
                "JSON stream",
                format!(r#"{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"shop"}}}} {json_route}"#),
                both.to_vec(),
            ),
            (
                "v1 List",
                format!(r#"{{"apiVersion":"v1","kind":"List","metadata":{{}},"items":[{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"shop"}}}},{json_route}]}}"#),
                both.to_vec(),
            ),
            (
                "typed list, items without type",
                "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRouteList\nitems:\n- metadata: {name: a}\n  spec: {}\n- metadata: {name: b}\n  spec: {}\n".to_owned(),
                vec![both[1], both[1]],
            ),
            ("YAML flow mapping", "{apiVersion: v1, kind: Namespace, metadata: {name: x}}".to_owned(), vec![both[0]]),
            ("empty", "---\n---\n".to_owned(), vec![]),
        ];
        for (name, text, expected) in cases {
            assert_eq!(kinds(&text), expected, "{name}");
        }
    }

    #[test]
    fn errors_name_file_document_and_path() {
        let ns = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        let cases: Vec<(&str, String, Vec<&str>)> = vec![
            (
                "unknown field, second document",
                format!("{ns}---\n{}", ROUTE.replace("weight", "wieght")),
                vec!["f.yaml:1: spec.rules[0].backendRefs[0].wieght: unknown field `wieght`"],
            ),
            (
                "type error",
                ROUTE.replace("weight: 1", "weight: heavy"),
                vec!["f.yaml:0: spec.rules[0].backendRefs[0].weight: invalid type: string \"heavy\""],
            ),
            (
                "unknown kind",
                "apiVersion: apps/v1\nkind: Deployment\n".to_owned(),
                vec!["f.yaml:0: unknown kind Deployment (apiVersion apps/v1); this reader knows ConfigMap, GRPCRoute"],
            ),
            (
                "unknown version lists the served ones",
                ROUTE.replace("/v1\n", "/v1alpha2\n"),
                vec!["f.yaml:0: HTTPRoute is not served as gateway.networking.k8s.io/v1alpha2; served versions: gateway.networking.k8s.io/v1, gateway.networking.k8s.io/v1beta1"],
            ),
            (
                "duplicate key",
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {x: '1', x: '2'}\n".to_owned(),
                vec!["f.yaml:0: metadata.labels: duplicate key `x` at line 5"],
            ),
            (
                "duplicate key in JSON",
                r#"{"apiVersion":"v1","kind":"Namespace","kind":"Namespace"}"#.to_owned(),
                vec!["f.yaml:0: duplicate key `kind`"],
            ),
            (
                "core kind: a field k8s-openapi would drop",
                "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, prot: TCP}]\n".to_owned(),
                vec!["f.yaml:0: spec.ports[0].prot: unknown field `prot`"],
            ),
            (
                "metadata typo",
                "apiVersion: v1\nkind: Namespace\nmetadata: {name: a, lables: {}}\n".to_owned(),
                vec!["f.yaml:0: metadata.lables: unknown field `lables`"],
            ),
            (
                "Object metadata typo",
                ROUTE.replace("namespace: shop", "nmespace: shop"),
                vec!["f.yaml:0: unknown field `metadata.nmespace`"],
            ),
            (
                "no apiVersion",
                "kind: Namespace\n".to_owned(),
                vec!["f.yaml:0: `apiVersion` is missing or not a string"],
            ),
            ("not a mapping", "- a\n- b\n".to_owned(), vec!["f.yaml:0: a manifest is a mapping"]),
            (
                "list item",
                "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n  spek: {}\n".to_owned(),
                vec!["f.yaml:0: items[0]: spek: unknown field `spek`"],
            ),
            (
                "every failing document, syntax error last",
                format!("kind: X\n---\n{ns}---\napiVersion: v1\nkind: Pod\n---\na: [\n"),
                vec!["f.yaml:0: `apiVersion`", "f.yaml:2: unknown kind Pod", "f.yaml:3: did not find expected"],
            ),
        ];
        for (name, text, expected) in cases {
            let got = errors("f.yaml", &text);
            assert_eq!(got.len(), expected.len(), "{name}: {got:#?}");
            for (g, e) in got.iter().zip(&expected) {
                assert!(g.starts_with(e), "{name}:\n got {g}\nwant {e}");
            }
        }
    }

    #[test]
    fn best_effort_returns_what_parsed() {
        let text = format!("{ROUTE}---\napiVersion: v1\nkind: Pod\n---\n{ROUTE}");
        let parsed = parse_str_best_effort::<K8sObject>("f", &text);
        assert_eq!(parsed.objects.len(), 2);
        assert_eq!(parsed.errors.len(), 1);
        assert_eq!(parsed.errors[0].document, 1);
        assert!(parse_str::<K8sObject>("f", &text).is_err());
    }

    #[test]
    fn paths_of_list_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a, x: 1}\n";
        let e = parse_str::<K8sObject>("f", text).unwrap_err();
        assert_eq!(e.0[0].path(), "items[0].metadata.x");
    }

    #[test]
    fn round_trip_as_json() {
        let objects = parse_str::<K8sObject>("f", ROUTE).unwrap();
        let back = serde_json::to_value(&objects[0]).unwrap();
        let input: Value = serde_yaml::from_str(ROUTE).unwrap();
        assert_eq!(crate::testing::json_diff(&input, &back), None);
    }
}
