//! Reading analyzer input with the workspace's manifest parser
//! ([`mesh_k8s::parse`]): every Istio kind and shared kind through
//! [`IstioObject`]'s reader (strict: unknown fields and wrong types are
//! errors naming the field path), plus the core kinds only the analyzers
//! read (Pod, Deployment, Node) through the parser's typed read. A kind
//! neither reads (another mesh's, a Job...) is not analyzer input.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use mesh_k8s::parse::{ParseObject, Problem, typed};
use serde_json::Value;

use super::{MeshSettings, Resource, Source};
use crate::IstioObject;

/// A document of a known kind that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {problem}")]
pub struct ReadError {
    /// The document's kind.
    pub kind: String,
    /// What the parser said: the field path and serde's message, or the
    /// `apiVersion`s the kind is served as.
    pub problem: Problem,
}

/// The typed resource of one document (a JSON value read from YAML or
/// JSON): `Ok(None)` for a kind the Istio analyzers do not read (another
/// mesh's, a Job...), an error for a document of a known kind that does
/// not parse (or is missing `apiVersion`/`kind`).
pub fn resource_from_value(v: Value) -> Result<Option<Resource>, ReadError> {
    let field = |name: &'static str| {
        v.get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(ReadError {
                kind: String::new(),
                problem: Problem::MissingType(name),
            })
    };
    let (api_version, kind) = (field("apiVersion")?, field("kind")?);
    resource_from_document(&api_version, &kind, v)
}

/// [`resource_from_value`] for a document whose `apiVersion` and `kind`
/// were read already (a [`mesh_k8s::parse::RawDocument`]).
fn resource_from_document(
    api_version: &str,
    kind: &str,
    value: Value,
) -> Result<Option<Resource>, ReadError> {
    let error = |problem| ReadError {
        kind: kind.to_owned(),
        problem,
    };
    let resource = match (api_version, kind) {
        ("v1", "Pod") => Resource::Pod(typed::<Pod>(&value).map_err(error)?),
        ("v1", "Node") => Resource::Node(typed::<Node>(&value).map_err(error)?),
        ("apps/v1", "Deployment") => {
            Resource::Deployment(typed::<Deployment>(&value).map_err(error)?)
        }
        _ => match IstioObject::from_document(api_version, kind, value) {
            Ok(IstioObject::Secret(s)) => Resource::Secret(*s),
            Ok(IstioObject::WasmPlugin(w)) => Resource::WasmPlugin(*w),
            Ok(o) => Resource::Istio(o),
            Err(Problem::UnknownKind { .. }) => return Ok(None),
            Err(problem) => return Err(error(problem)),
        },
    };
    Ok(Some(resource))
}

/// What `istioctl analyze` adds when it analyzes files only: a stand-in
/// ingress gateway Pod and Service (`istio-ingressgateway`, ports 80, 443,
/// 31400 and 15443) in the root namespace, so that Gateways selecting
/// `istio: ingressgateway` are not reported for lack of a workload. The
/// source file is `<istioctl defaults>`.
pub fn default_resources(mesh: &MeshSettings) -> Vec<(Source, Resource)> {
    let ns = mesh.root_namespace.as_str();
    let port = |name: &str, n: u16| serde_json::json!({"name": name, "port": n, "protocol": "TCP", "targetPort": n});
    let docs = [
        serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "istio-ingressgateway-dummypod", "namespace": ns,
                         "labels": {"istio": "ingressgateway"}},
            "spec": {"containers": [{"name": "istio-proxy"}]},
        }),
        serde_json::json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "istio-ingressgateway", "namespace": ns},
            "spec": {"ports": [port("http2", 80), port("https", 443), port("tcp", 31400), port("tls", 15443)],
                     "selector": {"istio": "ingressgateway"}},
        }),
    ];
    docs.into_iter()
        .enumerate()
        .filter_map(|(i, d)| {
            resource_from_value(d)
                .ok()
                .flatten()
                .map(|r| (Source::new("<istioctl defaults>", i + 1), r))
        })
        .collect()
}
