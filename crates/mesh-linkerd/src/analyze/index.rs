//! The input, indexed once: objects by kind, namespace and name, and the
//! port names workloads have in each namespace.

use std::collections::{HashMap, HashSet};

use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::{Resource, Source};
use crate::LinkerdObject;

/// The namespace of objects without one (what `kubectl apply` uses unless
/// told otherwise).
pub(crate) const DEFAULT_NAMESPACE: &str = "default";

/// A namespace and a name.
pub(crate) type Key = (String, String);

pub(crate) fn key(namespace: &str, name: &str) -> Key {
    (namespace.to_owned(), name.to_owned())
}

/// The input and its lookups.
pub(crate) struct Index<'a> {
    pub(crate) items: &'a [(Source, Resource)],
    pub(crate) servers: HashSet<Key>,
    pub(crate) policy_routes: HashSet<Key>,
    pub(crate) gateway_routes: HashSet<Key>,
    pub(crate) grpc_routes: HashSet<Key>,
    pub(crate) mesh_tls: HashSet<Key>,
    pub(crate) networks: HashSet<Key>,
    pub(crate) services: HashSet<Key>,
    /// Namespaces where the input has at least one Service.
    pub(crate) service_namespaces: HashSet<String>,
    /// Container port names (Pods, Deployment templates) and Service
    /// `targetPort` names, by namespace.
    pub(crate) port_names: HashMap<String, HashSet<String>>,
}

fn container_port_names(spec: Option<&PodSpec>) -> impl Iterator<Item = &str> {
    spec.into_iter()
        .flat_map(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
        })
        .flat_map(|c| c.ports.iter().flatten())
        .filter_map(|p| p.name.as_deref())
}

impl<'a> Index<'a> {
    pub(crate) fn new(items: &'a [(Source, Resource)]) -> Self {
        let mut ix = Index {
            items,
            servers: HashSet::new(),
            policy_routes: HashSet::new(),
            gateway_routes: HashSet::new(),
            grpc_routes: HashSet::new(),
            mesh_tls: HashSet::new(),
            networks: HashSet::new(),
            services: HashSet::new(),
            service_namespaces: HashSet::new(),
            port_names: HashMap::new(),
        };
        for (_, r) in items {
            match r {
                Resource::Linkerd(o) => ix.add(o),
                Resource::Pod(p) => {
                    let ns = p.metadata.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
                    let names = ix.port_names.entry(ns.to_owned()).or_default();
                    names.extend(container_port_names(p.spec.as_ref()).map(str::to_owned));
                }
                Resource::Deployment(d) => {
                    let ns = d.metadata.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
                    let spec = d.spec.template.spec.as_ref();
                    let names = ix.port_names.entry(ns.to_owned()).or_default();
                    names.extend(container_port_names(spec).map(str::to_owned));
                }
            }
        }
        ix
    }

    fn add(&mut self, o: &LinkerdObject) {
        fn k<S: mesh_k8s::Kind>(o: &mesh_k8s::Object<S>) -> Key {
            key(o.namespace().unwrap_or(DEFAULT_NAMESPACE), o.name())
        }
        match o {
            LinkerdObject::Server(s) => {
                self.servers.insert(k(s));
            }
            LinkerdObject::HttpRoute(r) => {
                self.policy_routes.insert(k(r));
            }
            LinkerdObject::GatewayHttpRoute(r) => {
                self.gateway_routes.insert(k(r));
            }
            LinkerdObject::GrpcRoute(r) => {
                self.grpc_routes.insert(k(r));
            }
            LinkerdObject::MeshTlsAuthentication(a) => {
                self.mesh_tls.insert(k(a));
            }
            LinkerdObject::NetworkAuthentication(a) => {
                self.networks.insert(k(a));
            }
            LinkerdObject::Service(s) => {
                let ns = s.metadata.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE);
                let name = s.metadata.name.as_deref().unwrap_or("");
                self.services.insert(key(ns, name));
                self.service_namespaces.insert(ns.to_owned());
                let target_names = s
                    .spec
                    .iter()
                    .flat_map(|s| s.ports.iter().flatten())
                    .filter_map(|p| match &p.target_port {
                        Some(IntOrString::String(n)) => Some(n.clone()),
                        _ => None,
                    });
                self.port_names
                    .entry(ns.to_owned())
                    .or_default()
                    .extend(target_names);
            }
            _ => {}
        }
    }
}
