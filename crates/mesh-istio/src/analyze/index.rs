//! The input, indexed once: objects by kind, namespace and name; the hosts
//! Services and ServiceEntries provide per visibility scope; pods by label.

use std::collections::{BTreeMap, HashMap, HashSet};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod, Service as CoreService};
use mesh_k8s::Manifest;

use super::{MeshSettings, Resource, Source};
use crate::IstioObject;
use crate::crds::{
    AuthorizationPolicy, DestinationRule, EnvoyFilter, Gateway, PeerAuthentication,
    RequestAuthentication, ServiceEntry, ServiceEntryWorkloads, Sidecar, Telemetry, VirtualService,
    WasmPlugin,
};

/// Labels as plain strings.
pub(crate) type Labels = BTreeMap<String, String>;

/// The node labels Istio adds to a pod's labels for its endpoints.
const TOPOLOGY_LABELS: &[&str] = &[
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.istio.io/subzone",
];

/// A pod, with its labels.
pub(crate) struct PodInfo<'a> {
    pub(crate) namespace: &'a str,
    pub(crate) name: &'a str,
    pub(crate) pod: &'a Pod,
    /// The pod's own labels.
    pub(crate) labels: Labels,
    /// The labels plus its node's topology labels and host name, as Istio
    /// sees its endpoints.
    pub(crate) endpoint_labels: Labels,
}

/// What a host resolves to: a Service or ServiceEntry's ports and
/// workload selector.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostEntry {
    pub(crate) ports: Vec<u32>,
    pub(crate) selector: Labels,
}

/// The visibility scope of a host: every namespace, or one.
const ALL: &str = "*";

pub(crate) struct Index<'a> {
    pub(crate) mesh: &'a MeshSettings,
    pub(crate) virtual_services: Vec<(usize, &'a VirtualService)>,
    pub(crate) destination_rules: Vec<(usize, &'a DestinationRule)>,
    pub(crate) gateways: Vec<(usize, &'a Gateway)>,
    pub(crate) service_entries: Vec<(usize, &'a ServiceEntry)>,
    pub(crate) sidecars: Vec<(usize, &'a Sidecar)>,
    pub(crate) peer_authentications: Vec<(usize, &'a PeerAuthentication)>,
    pub(crate) authorization_policies: Vec<(usize, &'a AuthorizationPolicy)>,
    pub(crate) request_authentications: Vec<(usize, &'a RequestAuthentication)>,
    pub(crate) envoy_filters: Vec<(usize, &'a EnvoyFilter)>,
    pub(crate) telemetries: Vec<(usize, &'a Telemetry)>,
    pub(crate) wasm_plugins: Vec<(usize, &'a WasmPlugin)>,
    pub(crate) services: Vec<(usize, &'a CoreService)>,
    pub(crate) namespaces: HashMap<&'a str, &'a Namespace>,
    pub(crate) deployments: Vec<(usize, &'a Deployment)>,
    pub(crate) pods: Vec<PodInfo<'a>>,
    secrets: HashSet<(&'a str, &'a str)>,
    gateway_names: HashMap<(&'a str, &'a str), &'a Gateway>,
    k8s_gateway_names: HashSet<(&'a str, &'a str)>,
    services_by_name: HashMap<(&'a str, &'a str), &'a CoreService>,
    service_names: HashMap<&'a str, Vec<&'a str>>,
    /// Pod positions by one of their endpoint labels.
    pods_by_label: HashMap<(String, String), Vec<usize>>,
    pods_by_namespace: HashMap<&'a str, Vec<usize>>,
    hosts: HashMap<(String, String), usize>,
    wildcard_hosts: Vec<(String, String, usize)>,
    pub(crate) host_entries: Vec<HostEntry>,
}

/// The namespace of an object ("" when the document has none).
pub(crate) fn namespace_of<M: Manifest + ?Sized>(o: &M) -> &str {
    o.metadata().namespace.as_deref().unwrap_or("")
}

/// The name of an object.
pub(crate) fn name_of<M: Manifest + ?Sized>(o: &M) -> &str {
    o.metadata().name.as_deref().unwrap_or("")
}

/// `Kind namespace/name` (or `Kind name` without namespace), as istioctl
/// names objects.
pub(crate) fn describe<M: Manifest + ?Sized>(o: &M) -> String {
    match namespace_of(o) {
        "" => format!("{} {}", o.kind(), name_of(o)),
        ns => format!("{} {ns}/{}", o.kind(), name_of(o)),
    }
}

/// `namespace/name` (or `name`).
pub(crate) fn full_name<M: Manifest + ?Sized>(o: &M) -> String {
    match namespace_of(o) {
        "" => name_of(o).to_owned(),
        ns => format!("{ns}/{}", name_of(o)),
    }
}

/// A host written in an object of namespace `ns`, made fully qualified when
/// it is a short name (no dot, no wildcard).
pub(crate) fn fqdn(ns: &str, host: &str, domain: &str) -> String {
    if host.starts_with('*') || host.contains('.') {
        host.to_owned()
    } else {
        format!("{host}.{ns}.svc.{domain}")
    }
}

/// `(namespace, name)` of a host: parsed from `name.ns.svc.<domain>`, else
/// the host itself in `default_ns`.
pub(crate) fn resource_name(default_ns: &str, host: &str, domain: &str) -> (String, String) {
    let suffix = format!(".svc.{domain}");
    if let Some(rest) = host.strip_suffix(&suffix)
        && let Some((name, ns)) = rest.rsplit_once('.')
        && !name.is_empty()
        && !ns.is_empty()
    {
        return (ns.to_owned(), name.to_owned());
    }
    (default_ns.to_owned(), host.to_owned())
}

/// Istio's host matching: two host names overlap (`*.example.com` and
/// `a.example.com`; `*` and anything).
pub(crate) fn hosts_match(a: &str, b: &str) -> bool {
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(sa), Some(sb)) => {
            if a.len() < b.len() {
                sb.ends_with(sa)
            } else {
                sa.ends_with(sb)
            }
        }
        (Some(sa), None) => b.ends_with(sa),
        (None, Some(sb)) => a.ends_with(sb),
        (None, None) => a == b,
    }
}

/// Whether `labels` has every pair of `selector` (an empty selector
/// matches everything).
pub(crate) fn selects(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A selector as Kubernetes prints it (`app=a,version=v1`).
pub(crate) fn selector_string(selector: &Labels) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn labels_of(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> Labels {
    meta.labels.clone().unwrap_or_default()
}

impl<'a> Index<'a> {
    pub(crate) fn new(resources: &'a [(Source, Resource)], mesh: &'a MeshSettings) -> Self {
        let mut ix = Index {
            mesh,
            virtual_services: Vec::new(),
            destination_rules: Vec::new(),
            gateways: Vec::new(),
            service_entries: Vec::new(),
            sidecars: Vec::new(),
            peer_authentications: Vec::new(),
            authorization_policies: Vec::new(),
            request_authentications: Vec::new(),
            envoy_filters: Vec::new(),
            telemetries: Vec::new(),
            wasm_plugins: Vec::new(),
            services: Vec::new(),
            namespaces: HashMap::new(),
            deployments: Vec::new(),
            pods: Vec::new(),
            secrets: HashSet::new(),
            gateway_names: HashMap::new(),
            k8s_gateway_names: HashSet::new(),
            services_by_name: HashMap::new(),
            service_names: HashMap::new(),
            pods_by_label: HashMap::new(),
            pods_by_namespace: HashMap::new(),
            hosts: HashMap::new(),
            wildcard_hosts: Vec::new(),
            host_entries: Vec::new(),
        };
        let mut nodes: HashMap<&str, &Labels> = HashMap::new();
        let mut pods = Vec::new();
        for (at, (_, r)) in resources.iter().enumerate() {
            match r {
                Resource::Istio(o) => ix.add(at, o),
                Resource::Pod(p) => pods.push(p),
                Resource::Deployment(d) => ix.deployments.push((at, d)),
                Resource::Secret(s) => {
                    ix.secrets.insert((
                        s.metadata.namespace.as_deref().unwrap_or(""),
                        s.metadata.name.as_deref().unwrap_or(""),
                    ));
                }
                Resource::Node(n) => {
                    if let (Some(name), Some(labels)) = (&n.metadata.name, &n.metadata.labels) {
                        nodes.insert(name, labels);
                    }
                }
                Resource::WasmPlugin(w) => ix.wasm_plugins.push((at, w)),
            }
        }
        for pod in pods {
            let labels = labels_of(&pod.metadata);
            let mut endpoint_labels = labels.clone();
            if let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) {
                if let Some(node_labels) = nodes.get(node) {
                    for key in TOPOLOGY_LABELS {
                        if let Some(v) = node_labels.get(*key).filter(|v| !v.is_empty()) {
                            endpoint_labels.insert((*key).to_owned(), v.clone());
                        }
                    }
                }
                endpoint_labels.insert("kubernetes.io/hostname".into(), node.to_owned());
            }
            ix.pods.push(PodInfo {
                namespace: pod.metadata.namespace.as_deref().unwrap_or(""),
                name: pod.metadata.name.as_deref().unwrap_or(""),
                pod,
                labels,
                endpoint_labels,
            });
        }
        for (i, p) in ix.pods.iter().enumerate() {
            ix.pods_by_namespace.entry(p.namespace).or_default().push(i);
        }
        let mut by_label: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, p) in ix.pods.iter().enumerate() {
            for (k, v) in &p.endpoint_labels {
                by_label.entry((k.clone(), v.clone())).or_default().push(i);
            }
        }
        ix.pods_by_label = by_label;
        ix.index_hosts();
        ix
    }

    fn add(&mut self, at: usize, o: &'a IstioObject) {
        match o {
            IstioObject::Namespace(n) => {
                if let Some(name) = n.metadata.name.as_deref() {
                    self.namespaces.insert(name, n);
                }
            }
            IstioObject::Service(s) => {
                let key = (
                    s.metadata.namespace.as_deref().unwrap_or(""),
                    s.metadata.name.as_deref().unwrap_or(""),
                );
                self.services_by_name.insert(key, s);
                self.service_names.entry(key.1).or_default().push(key.0);
                self.services.push((at, s));
            }
            IstioObject::VirtualService(v) => self.virtual_services.push((at, v)),
            IstioObject::DestinationRule(d) => self.destination_rules.push((at, d)),
            IstioObject::Gateway(g) => {
                self.gateway_names
                    .insert((namespace_of(&**g), name_of(&**g)), g);
                self.gateways.push((at, g));
            }
            IstioObject::ServiceEntry(s) => self.service_entries.push((at, s)),
            IstioObject::Sidecar(s) => self.sidecars.push((at, s)),
            IstioObject::PeerAuthentication(p) => self.peer_authentications.push((at, p)),
            IstioObject::AuthorizationPolicy(p) => self.authorization_policies.push((at, p)),
            IstioObject::RequestAuthentication(r) => self.request_authentications.push((at, r)),
            IstioObject::EnvoyFilter(e) => self.envoy_filters.push((at, e)),
            IstioObject::Telemetry(t) => self.telemetries.push((at, t)),
            IstioObject::WaypointGateway(g) => {
                self.k8s_gateway_names
                    .insert((namespace_of(&**g), name_of(&**g)));
            }
            #[allow(unreachable_patterns)] // kinds other analyzers do not read yet
            _ => {}
        }
    }

    /// Services and ServiceEntries as hosts per visibility scope (`*` or
    /// a namespace), as istioctl's service lookup builds them.
    fn index_hosts(&mut self) {
        let domain = self.mesh.cluster_domain.clone();
        let mut entries = Vec::new();
        let mut keys: Vec<(String, String, usize)> = Vec::new();
        for (_, se) in &self.service_entries {
            let ns = namespace_of(*se);
            let spec = &se.spec;
            let selector = match &spec.workloads {
                Some(ServiceEntryWorkloads::Selector(w)) => w
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
                    .collect(),
                _ => Labels::new(),
            };
            let id = entries.len();
            entries.push(HostEntry {
                ports: spec
                    .ports
                    .iter()
                    .map(|p| u32::from(p.number.get()))
                    .collect(),
                selector,
            });
            let export_all = spec.export_to.is_empty() || spec.export_to.iter().any(|e| e == ALL);
            for h in &spec.hosts {
                let f = fqdn(ns, h, &domain);
                if export_all {
                    keys.push((ALL.to_owned(), f, id));
                    continue;
                }
                for e in &spec.export_to {
                    let scope = if e == "." { ns } else { e.as_str() };
                    keys.push((scope.to_owned(), f.clone(), id));
                }
            }
        }
        for (_, svc) in &self.services {
            let ns = svc.metadata.namespace.as_deref().unwrap_or("");
            let name = svc.metadata.name.as_deref().unwrap_or("");
            let spec = svc.spec.as_ref();
            let id = entries.len();
            entries.push(HostEntry {
                ports: spec
                    .and_then(|s| s.ports.as_ref())
                    .map(|ps| ps.iter().map(|p| p.port.max(0).unsigned_abs()).collect())
                    .unwrap_or_default(),
                selector: spec.and_then(|s| s.selector.clone()).unwrap_or_default(),
            });
            let f = fqdn(ns, name, &domain);
            let export = svc
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("networking.istio.io/exportTo"))
                .filter(|a| !a.is_empty());
            match export {
                None => keys.push((ALL.to_owned(), f, id)),
                Some(list) => {
                    for e in list.split(',') {
                        let scope = if e == "." { ns } else { e };
                        keys.push((scope.to_owned(), f.clone(), id));
                    }
                }
            }
        }
        for (scope, f, id) in keys {
            if f.starts_with('*') {
                self.wildcard_hosts.push((scope.clone(), f.clone(), id));
            }
            // Later definitions win, as in istioctl's map.
            self.hosts.insert((scope, f), id);
        }
        self.host_entries = entries;
    }

    /// The Service or ServiceEntry a host written in namespace `ns` (in an
    /// object exported to `export_to`) resolves to, as istioctl resolves it.
    pub(crate) fn lookup_host(
        &self,
        ns: &str,
        export_to: &[String],
        host: &str,
    ) -> Option<&HostEntry> {
        let f = fqdn(ns, host, &self.mesh.cluster_domain);
        let get = |scope: &str| {
            self.hosts
                .get(&(scope.to_owned(), f.clone()))
                .and_then(|&id| self.host_entries.get(id))
        };
        if let Some(e) = get(ALL) {
            return Some(e);
        }
        if export_to.is_empty() {
            if let Some(e) = get(ns) {
                return Some(e);
            }
        } else {
            for e in export_to {
                let scope = if e == "." { ns } else { e.as_str() };
                if let Some(x) = get(scope) {
                    return Some(x);
                }
            }
        }
        let bare = host.strip_prefix('*').unwrap_or(host);
        self.wildcard_hosts
            .iter()
            .filter(|(scope, _, _)| scope == ALL || scope == ns)
            .find(|(_, h, _)| bare.ends_with(h.trim_start_matches('*')))
            .and_then(|(_, _, id)| self.host_entries.get(*id))
    }

    /// The Istio Gateway `namespace/name`.
    pub(crate) fn gateway(&self, ns: &str, name: &str) -> Option<&'a Gateway> {
        self.gateway_names.get(&(ns, name)).copied()
    }

    /// Whether a Kubernetes Gateway `namespace/name` exists.
    pub(crate) fn k8s_gateway_exists(&self, ns: &str, name: &str) -> bool {
        self.k8s_gateway_names.contains(&(ns, name))
    }

    /// Whether a Secret `namespace/name` exists.
    pub(crate) fn secret_exists(&self, ns: &str, name: &str) -> bool {
        self.secrets.contains(&(ns, name))
    }

    /// A core Service by namespace and name.
    pub(crate) fn service(&self, ns: &str, name: &str) -> Option<&'a CoreService> {
        self.services_by_name.get(&(ns, name)).copied()
    }

    /// Namespaces that have a Service of this name.
    pub(crate) fn service_namespaces(&self, name: &str) -> &[&'a str] {
        self.service_names
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Pods (positions in `pods`) whose endpoint labels (`endpoint`) or own
    /// labels carry `selector`, in namespace `ns` when given. Looks the
    /// rarest selected label up instead of scanning every pod.
    pub(crate) fn select_pods<'s>(
        &'s self,
        ns: Option<&'s str>,
        selector: &'s Labels,
        endpoint: bool,
    ) -> impl Iterator<Item = &'s PodInfo<'a>> + 's {
        let candidates: Vec<usize> = if selector.is_empty() {
            match ns {
                Some(ns) => self.pods_by_namespace.get(ns).cloned().unwrap_or_default(),
                None => (0..self.pods.len()).collect(),
            }
        } else {
            selector
                .iter()
                .map(|(k, v)| {
                    self.pods_by_label
                        .get(&(k.clone(), v.clone()))
                        .map(Vec::as_slice)
                        .unwrap_or(&[])
                })
                .min_by_key(|l| l.len())
                .map(<[usize]>::to_vec)
                .unwrap_or_default()
        };
        candidates.into_iter().filter_map(move |i| {
            let p = self.pods.get(i)?;
            let labels = if endpoint {
                &p.endpoint_labels
            } else {
                &p.labels
            };
            (ns.is_none_or(|n| n == p.namespace) && selects(selector, labels)).then_some(p)
        })
    }

    /// Whether a pod is in the mesh (has the proxy, or injection is on for
    /// it or its namespace), as istioctl decides it.
    pub(crate) fn pod_in_mesh(&self, p: &PodInfo<'_>) -> bool {
        let spec = p.pod.spec.as_ref();
        let has_proxy = spec.is_some_and(|s| {
            s.containers
                .iter()
                .chain(s.init_containers.iter().flatten())
                .any(|c| {
                    c.name == "istio-proxy" && c.image.as_deref().is_some_and(|i| !i.is_empty())
                })
        });
        if has_proxy {
            return true;
        }
        const INJECT: &str = "sidecar.istio.io/inject";
        if let Some(v) = p.labels.get(INJECT) {
            return v == "true";
        }
        if let Some(v) = p
            .pod
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(INJECT))
        {
            return v == "true";
        }
        self.namespaces.get(p.namespace).is_some_and(|n| {
            n.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("istio-injection"))
                .is_some_and(|v| v == "enabled")
        })
    }
}
