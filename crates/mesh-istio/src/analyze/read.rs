//! Reading analyzer input from documents: one document (a JSON value read
//! from YAML) to a typed [`Resource`] by its `apiVersion` and `kind`.
//!
//! Stand-in until the workspace's general manifest parser lands: it knows
//! the kinds the analyzers read and nothing else.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{MeshSettings, Resource, Source};
use crate::IstioObject;
use crate::crds;

/// A document of a known kind that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct ReadError {
    /// The document's kind.
    pub kind: String,
    /// What the typed parser said (names the field).
    pub message: String,
}

fn typed<T: DeserializeOwned>(kind: &str, v: Value) -> Result<T, ReadError> {
    serde_json::from_value(v).map_err(|e| ReadError {
        kind: kind.to_owned(),
        message: e.to_string(),
    })
}

/// The typed resource of one document: `Ok(None)` for a kind the Istio
/// analyzers do not read (another mesh's, a ConfigMap...), an error for a
/// document of a known kind that does not parse.
pub fn resource_from_value(v: Value) -> Result<Option<Resource>, ReadError> {
    let api = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = v
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let group = api.rsplit_once('/').map(|(g, _)| g).unwrap_or("");
    let k = kind.as_str();
    let istio = |o: IstioObject| Ok(Some(Resource::Istio(o)));
    match (group, k) {
        ("", "Pod") => Ok(Some(Resource::Pod(typed(k, v)?))),
        ("", "Service") => istio(IstioObject::Service(typed(k, v)?)),
        ("", "Namespace") => istio(IstioObject::Namespace(typed(k, v)?)),
        ("", "Secret") => Ok(Some(Resource::Secret(typed(k, v)?))),
        ("", "Node") => Ok(Some(Resource::Node(typed(k, v)?))),
        ("apps", "Deployment") => Ok(Some(Resource::Deployment(typed(k, v)?))),
        ("networking.istio.io", "VirtualService") => {
            istio(IstioObject::VirtualService(typed::<crds::VirtualService>(
                k, v,
            )?))
        }
        ("networking.istio.io", "DestinationRule") => {
            istio(IstioObject::DestinationRule(
                typed::<crds::DestinationRule>(k, v)?,
            ))
        }
        ("networking.istio.io", "Gateway") => {
            istio(IstioObject::Gateway(typed::<crds::Gateway>(k, v)?))
        }
        ("networking.istio.io", "ServiceEntry") => {
            istio(IstioObject::ServiceEntry(typed::<crds::ServiceEntry>(
                k, v,
            )?))
        }
        ("networking.istio.io", "Sidecar") => {
            istio(IstioObject::Sidecar(typed::<crds::Sidecar>(k, v)?))
        }
        ("networking.istio.io", "EnvoyFilter") => {
            istio(IstioObject::EnvoyFilter(typed::<crds::EnvoyFilter>(k, v)?))
        }
        ("security.istio.io", "PeerAuthentication") => {
            istio(IstioObject::PeerAuthentication(typed::<
                crds::PeerAuthentication,
            >(k, v)?))
        }
        ("security.istio.io", "AuthorizationPolicy") => {
            istio(IstioObject::AuthorizationPolicy(typed::<
                crds::AuthorizationPolicy,
            >(k, v)?))
        }
        ("security.istio.io", "RequestAuthentication") => {
            istio(IstioObject::RequestAuthentication(typed::<
                crds::RequestAuthentication,
            >(k, v)?))
        }
        ("telemetry.istio.io", "Telemetry") => {
            istio(IstioObject::Telemetry(typed::<crds::Telemetry>(k, v)?))
        }
        ("extensions.istio.io", "WasmPlugin") => {
            Ok(Some(Resource::WasmPlugin(typed::<crds::WasmPlugin>(k, v)?)))
        }
        ("gateway.networking.k8s.io", "Gateway") => {
            istio(IstioObject::WaypointGateway(typed(k, v)?))
        }
        ("gateway.networking.k8s.io", "HTTPRoute") => istio(IstioObject::HttpRoute(typed(k, v)?)),
        _ => Ok(None),
    }
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
