//! Lifting: Istio objects back into the neutral model ([`mesh_model::Mesh`]).
//!
//! [`IstioLift`] implements [`mesh_model::lift::Lift`] for [`IstioObject`]:
//! it reads what the objects mean, says in the model whatever the model can
//! say, and reports everything else as a [`Skipped`] entry naming the
//! object and the field. It is the inverse of the lowering
//! ([`crate::lower`]): what the lowering writes lifts back to the model it
//! came from (up to the spellings documented in the tests' `normalize`).
//!
//! # What lifts how
//!
//! - **Services** come from Kubernetes Service objects (ports with their
//!   protocol from `appProtocol` or the Istio port-name convention
//!   `<protocol>[-suffix]`, numeric `targetPort`, selector), and from the
//!   hosts of VirtualServices and DestinationRules (a service known only
//!   from those has no ports). Fields of a Service that are not mesh
//!   configuration (`type`, `clusterIP`, ...) are not read.
//! - **VirtualService** (not bound to a gateway): its rules in order become
//!   the service's routes. The lowering's rewrites are undone: the match
//!   pair exact `/p` + prefix `/p/` is the segment prefix `/p`; a string
//!   prefix `/p` is the regex `/p.*` (prefix `/` is the catch-all); a last
//!   catch-all rule forwarding to the service itself (or, after other
//!   rules, to one of its versions or answering 404) is the model's
//!   `unmatched`, its timeout and retries the service's defaults; a VirtualService without such a
//!   rule answers 404 to unmatched requests (`unmatched: notFound`).
//!   `retries: {attempts: 0}` is "no retries"; a rule without `retries` gets
//!   Istio's implicit policy (2 attempts on connect-failure,
//!   refused-stream, unavailable, cancelled and 503; the model's default
//!   conditions on HTTP/1.1-only services), unless
//!   [`Options::implicit_retries`] is off.
//! - **DestinationRule**: subsets are versions (labels `version: <name>`
//!   are the model's default and are left implicit), the traffic policy is
//!   the service's resilience (a subset's the version's); the client TLS
//!   mode must agree with the server's mTLS mode (the model derives one
//!   from the other). A DestinationRule for a ServiceEntry host is TLS
//!   origination.
//! - **EnvoyFilter**: the local rate limit the lowering writes (checked by
//!   rebuilding it with [`crate::crds::LocalRateLimit`] and comparing).
//! - **PeerAuthentication**: mesh (root namespace, no selector), namespace,
//!   service (selector = a service's pod selector) or workload scope, with
//!   port-level modes (workload ports mapped back to service ports). With
//!   no mesh-wide policy the mesh is PERMISSIVE, Istio's default.
//! - **AuthorizationPolicy**: ALLOW / DENY with sources (principals,
//!   namespaces, IP blocks, request principals), operations (methods,
//!   paths, ports) and conditions on headers and JWT claims. The
//!   root-namespace allow-nothing policy is deny-by-default (without it the
//!   mesh allows by default); the policy admitting the ingress gateway that
//!   the lowering writes under deny-by-default is recognized as implied.
//! - **RequestAuthentication**: JWT providers, one per distinct rule, with
//!   the scopes of every object that carries it.
//! - **Gateway** + the VirtualServices bound to it: ingress.
//!   **ServiceEntry** (+ TLS origination DestinationRule): egress.
//!   Root-namespace **Sidecar** without selector: the egress policy
//!   (without one, Istio's default `ALLOW_ANY`). Root-namespace
//!   **Telemetry** with the `envoy` access-log provider: access logs.
//!   **Namespace** injection labels: `namespaces[].inject` and the
//!   installation's revision.
//!
//! Everything else (GAMMA HTTPRoutes, ambient waypoints and `targetRefs`,
//! fields the model cannot express, references to unknown subsets) is
//! reported as [`Skipped`]. If a lifted piece would make the model invalid,
//! it is dropped and reported with the validation error, so the lifted
//! model always passes [`Mesh::validate`].

mod edge;
mod resilience;
mod security;
mod traffic;

pub use traffic::inherits_cleanly;

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Namespace, Service as CoreService};
use mesh_model::lift::{Lift, Lifted, ObjectRef, Skipped};
use mesh_model::{
    FieldPath, Identity, Installation, LabelKey, LabelValue, Labels, Mesh, Name, NamespaceConfig,
    Port, Protocol, Service, ServicePort, TrustDomain, Unmatched,
};

use crate::lower::IstioObject;

/// Options of the Istio lift: the assumptions the mapping needs. `Default`
/// matches the lowering's defaults ([`crate::lower::Options`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Istio's root namespace (`meshConfig.rootNamespace`): policies there
    /// without a selector are mesh-wide. Default `istio-system`.
    pub root_namespace: String,
    /// The cluster's DNS domain, to read fully qualified service hosts
    /// (`<name>.<namespace>.svc.<domain>`). Default `cluster.local`.
    pub cluster_domain: String,
    /// The trust domain of principals (`<trust-domain>/ns/<ns>/sa/<sa>`);
    /// it becomes the model's. Default `cluster.local`.
    pub trust_domain: TrustDomain,
    /// Labels selecting the ingress gateway pods: a Gateway with another
    /// selector is lifted with a [`Skipped`] entry for it. Default
    /// `istio: ingressgateway`.
    pub ingress_selector: BTreeMap<String, String>,
    /// Namespace of the ingress gateway pods (where the lowering puts the
    /// policy admitting traffic into the gateway). Default `istio-system`.
    pub ingress_gateway_namespace: String,
    /// Whether a rule without `retries` gets Istio's implicit retry policy
    /// in the model (2 attempts on connect-failure, refused-stream,
    /// unavailable, cancelled and 503; on a service whose ports are all
    /// `http`, where the gRPC conditions never happen, the model's default
    /// conditions), which is what Istio does (default true). When false, such rules lift without retries and each
    /// VirtualService that relied on the implicit policy gets a
    /// [`Skipped`] entry saying so.
    pub implicit_retries: bool,
    /// Labels the lowering stamps on every object
    /// ([`mesh_k8s::lowering::CommonOptions`]): not lifted as namespace
    /// labels. Default `app.kubernetes.io/managed-by: meshwright`.
    pub stamped_labels: BTreeMap<String, String>,
}

impl Default for Options {
    fn default() -> Self {
        Options::from_lowering(&crate::lower::Options::default())
    }
}

impl Options {
    /// The lift options matching the lowering's `options` (root namespace,
    /// cluster domain, ingress selector and namespace), with the default
    /// trust domain.
    pub fn from_lowering(options: &crate::lower::Options) -> Self {
        Options {
            root_namespace: options.root_namespace.clone(),
            cluster_domain: options.cluster_domain.clone(),
            trust_domain: TrustDomain::default(),
            ingress_selector: options.ingress_selector.clone(),
            ingress_gateway_namespace: options.ingress_gateway_namespace.clone(),
            implicit_retries: true,
            stamped_labels: options.common.labels.clone(),
        }
    }
}

/// Lifts Istio objects into the neutral model.
///
/// ```
/// use mesh_istio::lift::IstioLift;
/// use mesh_istio::{IstioBackend, IstioObject};
/// use mesh_model::lift::Lift;
/// use mesh_model::{Backend, Mesh};
///
/// let mesh = Mesh::from_policy(r#"
/// services:
/// - name: reviews
///   namespace: bookinfo
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward:
///       backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
/// "#)?;
/// let objects: Vec<IstioObject> = IstioBackend::default().lower(&mesh)?.manifests.into_vec();
/// let lifted = IstioLift::default().lift(&objects);
/// assert!(lifted.is_complete(), "{:?}", lifted.skipped);
/// assert_eq!(lifted.mesh.services[0].routes, mesh.services[0].routes);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct IstioLift {
    /// Its options.
    pub options: Options,
}

impl IstioLift {
    /// A lift with these options.
    pub fn new(options: Options) -> Self {
        IstioLift { options }
    }
}

impl Lift for IstioLift {
    type Object = IstioObject;

    fn lift(&self, objects: &[IstioObject]) -> Lifted {
        let mut cx = Cx::new(&self.options, objects);
        for o in objects {
            match o {
                IstioObject::Service(s) => core_service(&mut cx, s),
                IstioObject::Namespace(_)
                | IstioObject::VirtualService(_)
                | IstioObject::DestinationRule(_)
                | IstioObject::Gateway(_)
                | IstioObject::ServiceEntry(_)
                | IstioObject::Sidecar(_)
                | IstioObject::PeerAuthentication(_)
                | IstioObject::AuthorizationPolicy(_)
                | IstioObject::RequestAuthentication(_)
                | IstioObject::EnvoyFilter(_)
                | IstioObject::Telemetry(_) => {}
                #[allow(unreachable_patterns)]
                other => {
                    let r = object_ref(other);
                    let reason = format!("kind {} is not lifted", r.kind);
                    cx.skip(&r, FieldPath::root().field("kind"), reason);
                }
            }
        }
        resilience::destination_rules(&mut cx);
        resilience::rate_limits(&mut cx);
        traffic::virtual_services(&mut cx);
        security::peer_authentications(&mut cx);
        resilience::check_client_tls(&mut cx);
        security::request_authentications(&mut cx);
        security::authorization_policies(&mut cx);
        edge::lift(&mut cx);
        observability(&mut cx);
        namespaces(&mut cx);
        cx.finish()
    }
}

/// The kind, namespace and name of an object.
pub fn object_ref(o: &IstioObject) -> ObjectRef {
    use mesh_k8s::Manifest;
    let m = o.metadata();
    ObjectRef::new(
        o.kind(),
        m.namespace.as_deref(),
        m.name.clone().unwrap_or_default(),
    )
}

/// Where a piece of the model came from, for reports when validation
/// makes us drop it.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) object: ObjectRef,
    pub(crate) path: FieldPath,
}

/// A service being assembled.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) service: Service,
    /// Origins of its routes, in order.
    pub(crate) route_origins: Vec<Origin>,
    /// Where its routes came from (one VirtualService per host).
    pub(crate) routes_from: Option<ObjectRef>,
}

/// The lift's state.
pub(crate) struct Cx<'a> {
    pub(crate) opts: &'a Options,
    pub(crate) objects: &'a [IstioObject],
    pub(crate) mesh: Mesh,
    /// Services by (namespace, name), in order of discovery.
    pub(crate) services: BTreeMap<(String, String), Draft>,
    pub(crate) order: Vec<(String, String)>,
    /// Hosts of ServiceEntries (external).
    pub(crate) external_hosts: BTreeSet<String>,
    /// Origins of security, ingress and egress pieces, by model path kind.
    pub(crate) policy_origins: Vec<Origin>,
    pub(crate) override_origins: Vec<Origin>,
    pub(crate) jwt_origins: Vec<Origin>,
    pub(crate) ingress_origins: Vec<Origin>,
    pub(crate) egress_origins: Vec<Origin>,
    pub(crate) skipped: Vec<Skipped>,
    /// Whether the mesh-wide PeerAuthentication was seen.
    pub(crate) mesh_mtls_seen: bool,
    /// Client TLS settings of DestinationRules, checked against the
    /// servers' mTLS modes once PeerAuthentications are lifted.
    pub(crate) client_tls: Vec<ClientTls>,
}

/// A client TLS setting to check.
#[derive(Debug, Clone)]
pub(crate) struct ClientTls {
    pub(crate) object: ObjectRef,
    pub(crate) path: FieldPath,
    pub(crate) service: (String, String),
    pub(crate) port: Option<Port>,
    pub(crate) tls: crate::crds::ClientTlsSettings,
}

impl<'a> Cx<'a> {
    fn new(opts: &'a Options, objects: &'a [IstioObject]) -> Self {
        let mut external_hosts = BTreeSet::new();
        for o in objects {
            if let IstioObject::ServiceEntry(se) = o {
                external_hosts.extend(se.spec.hosts.iter().cloned());
            }
        }
        let mut mesh = Mesh {
            trust_domain: opts.trust_domain.clone(),
            ..Mesh::default()
        };
        // Istio's defaults, until objects say otherwise.
        mesh.security.mtls.mode = mesh_model::MtlsMode::Permissive;
        mesh.security.default_action = mesh_model::DefaultAction::Allow;
        mesh.egress.policy = mesh_model::OutboundPolicy::AllowAny;
        Cx {
            opts,
            objects,
            mesh,
            services: BTreeMap::new(),
            order: Vec::new(),
            external_hosts,
            policy_origins: Vec::new(),
            override_origins: Vec::new(),
            jwt_origins: Vec::new(),
            ingress_origins: Vec::new(),
            egress_origins: Vec::new(),
            skipped: Vec::new(),
            mesh_mtls_seen: false,
            client_tls: Vec::new(),
        }
    }

    /// Reports a field that is not lifted.
    pub(crate) fn skip(&mut self, object: &ObjectRef, path: FieldPath, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            object: object.clone(),
            path,
            reason: reason.into(),
        });
    }

    /// Reports a whole object that is not lifted (path `spec`).
    pub(crate) fn skip_whole(&mut self, object: ObjectRef, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            object,
            path: FieldPath::root().field("spec"),
            reason: reason.into(),
        });
    }

    /// The service `name` in `namespace`, created (without ports) when
    /// first seen. `None` when the name is not a valid service name.
    pub(crate) fn service(&mut self, name: &str, namespace: &str) -> Option<&mut Draft> {
        let key = (namespace.to_owned(), name.to_owned());
        if !self.services.contains_key(&key) {
            let n = Name::new(name).ok()?;
            mesh_model::rules::dns1035_label(name).ok()?;
            let ns = Name::new(namespace).ok()?;
            self.services.insert(
                key.clone(),
                Draft {
                    service: Service {
                        name: n,
                        namespace: ns,
                        ports: Vec::new(),
                        versions: Vec::new(),
                        selector: Labels::new(),
                        service_account: None,
                        routes: Vec::new(),
                        unmatched: Unmatched::Service,
                        resilience: Default::default(),
                        export_to: Vec::new(),
                    },
                    route_origins: Vec::new(),
                    routes_from: None,
                },
            );
            self.order.push(key.clone());
        }
        self.services.get_mut(&key)
    }

    /// The service a host names, seen from `from` (an object's
    /// namespace): a short name, `<name>.<namespace>`,
    /// `<name>.<namespace>.svc` or `<name>.<namespace>.svc.<domain>`. `None`
    /// for hosts of ServiceEntries and other external names.
    pub(crate) fn host_service(&self, host: &str, from: &str) -> Option<(String, String)> {
        if self.external_hosts.contains(host) || host.contains('*') {
            return None;
        }
        let parts: Vec<&str> = host.split('.').collect();
        let suffix = format!("svc.{}", self.opts.cluster_domain);
        match parts.as_slice() {
            [name] => Some(((*name).to_owned(), from.to_owned())),
            [name, ns] | [name, ns, "svc"] => Some(((*name).to_owned(), (*ns).to_owned())),
            [name, ns, rest @ ..] if rest.join(".") == suffix => {
                Some(((*name).to_owned(), (*ns).to_owned()))
            }
            _ => None,
        }
    }

    /// The service whose pod selector is exactly `labels`, in `namespace`.
    pub(crate) fn service_by_selector(
        &self,
        namespace: &str,
        labels: &BTreeMap<String, String>,
    ) -> Option<(String, String)> {
        self.order
            .iter()
            .filter(|k| k.0 == namespace)
            .find(|k| {
                self.services
                    .get(*k)
                    .is_some_and(|d| &plain(&d.service.pod_selector()) == labels)
            })
            .cloned()
    }

    /// Reads a principal `<trust-domain>/ns/<ns>/sa/<sa>`.
    pub(crate) fn identity(&self, principal: &str) -> Option<Identity> {
        let rest = principal.strip_prefix(self.opts.trust_domain.as_str())?;
        let rest = rest.strip_prefix("/ns/")?;
        let (ns, sa) = rest.split_once("/sa/")?;
        Some(Identity {
            namespace: Name::new(ns).ok()?,
            service_account: Name::new(sa).ok()?,
        })
    }

    fn finish(mut self) -> Lifted {
        let order = std::mem::take(&mut self.order);
        let mut route_origins = Vec::new();
        for key in order {
            if let Some(d) = self.services.remove(&key) {
                route_origins.push(d.route_origins);
                self.mesh.services.push(d.service);
            }
        }
        // Identities that principals name but no service runs as.
        let known = self.mesh.known_identities();
        let mut extra = BTreeSet::new();
        for p in &self.mesh.security.authorization {
            for r in &p.rules {
                for s in &r.from {
                    if let mesh_model::Source::Identity(id) = s
                        && !known.contains(id)
                    {
                        extra.insert(id.clone());
                    }
                }
            }
        }
        self.mesh.identities.extend(extra);
        let origins = Origins {
            routes: route_origins,
            policies: self.policy_origins,
            overrides: self.override_origins,
            jwt: self.jwt_origins,
            ingress: self.ingress_origins,
            egress: self.egress_origins,
        };
        let mut skipped = self.skipped;
        let mesh = repair(self.mesh, &origins, &mut skipped);
        Lifted { mesh, skipped }
    }
}

/// Where the pieces of the assembled model came from.
struct Origins {
    routes: Vec<Vec<Origin>>,
    policies: Vec<Origin>,
    overrides: Vec<Origin>,
    jwt: Vec<Origin>,
    ingress: Vec<Origin>,
    egress: Vec<Origin>,
}

/// Drops the pieces that make the model invalid, reporting each with the
/// validation error; gives up on whole sections after a few rounds, so the
/// result always validates.
fn repair(mut mesh: Mesh, origins: &Origins, skipped: &mut Vec<Skipped>) -> Mesh {
    for round in 0..6 {
        let Err(errors) = mesh.validate() else {
            return mesh;
        };
        // (section, index, sub-index) to drop; BTreeSet so removals go in
        // a stable order (reversed below).
        let mut drops: BTreeSet<(u8, usize, usize)> = BTreeSet::new();
        for e in errors.iter() {
            let path = e.path.as_str();
            let target = locate(path, round >= 4);
            let Some(t) = target else { continue };
            if drops.insert(t) {
                let origin = origin_of(origins, t);
                let (object, opath) = match origin {
                    Some(o) => (o.object.clone(), o.path.clone()),
                    None => (
                        ObjectRef::new("(model)", None, path),
                        FieldPath::new(path.to_owned()),
                    ),
                };
                skipped.push(Skipped {
                    object,
                    path: opath,
                    reason: format!("dropped: it would make the model invalid ({e})"),
                });
            }
        }
        for (section, i, j) in drops.into_iter().rev() {
            remove(&mut mesh, section, i, j);
        }
    }
    if let Err(errors) = mesh.validate() {
        // Unreachable in practice: report and return an empty model.
        for e in errors.iter() {
            skipped.push(Skipped {
                object: ObjectRef::new("(model)", None, "mesh"),
                path: FieldPath::new(e.path.as_str().to_owned()),
                reason: format!("dropped: it would make the model invalid ({e})"),
            });
        }
        return Mesh {
            trust_domain: mesh.trust_domain,
            ..Mesh::default()
        };
    }
    mesh
}

const ROUTE: u8 = 0;
const VERSION: u8 = 1;
const SERVICE: u8 = 2;
const POLICY: u8 = 3;
const OVERRIDE: u8 = 4;
const JWT: u8 = 5;
const INGRESS: u8 = 6;
const EGRESS: u8 = 7;
const RESILIENCE: u8 = 8;
const UNMATCHED: u8 = 9;

/// The piece of the model an error path falls in.
fn locate(path: &str, coarse: bool) -> Option<(u8, usize, usize)> {
    let idx = |s: &str, prefix: &str| -> Option<(usize, String)> {
        let rest = s.strip_prefix(prefix)?;
        let (n, rest) = rest.split_once(']')?;
        Some((n.parse().ok()?, rest.to_owned()))
    };
    if let Some((i, rest)) = idx(path, "services[") {
        if coarse {
            return Some((SERVICE, i, 0));
        }
        if let Some((j, _)) = idx(&rest, ".routes[") {
            return Some((ROUTE, i, j));
        }
        if let Some((j, _)) = idx(&rest, ".versions[") {
            return Some((VERSION, i, j));
        }
        if rest.starts_with(".resilience") {
            return Some((RESILIENCE, i, 0));
        }
        if rest.starts_with(".unmatched") {
            return Some((UNMATCHED, i, 0));
        }
        if rest.starts_with(".routes") {
            return Some((ROUTE, i, usize::MAX));
        }
        return Some((SERVICE, i, 0));
    }
    if let Some((i, _)) = idx(path, "security.authorization[") {
        return Some((POLICY, i, 0));
    }
    if let Some((i, _)) = idx(path, "security.mtls.overrides[") {
        return Some((OVERRIDE, i, 0));
    }
    if let Some((i, _)) = idx(path, "security.jwt[") {
        return Some((JWT, i, 0));
    }
    if let Some((i, _)) = idx(path, "ingress[") {
        return Some((INGRESS, i, 0));
    }
    if let Some((i, _)) = idx(path, "egress.services[") {
        return Some((EGRESS, i, 0));
    }
    None
}

fn origin_of(o: &Origins, (section, i, j): (u8, usize, usize)) -> Option<&Origin> {
    match section {
        ROUTE => o.routes.get(i)?.get(j),
        POLICY => o.policies.get(i),
        OVERRIDE => o.overrides.get(i),
        JWT => o.jwt.get(i),
        INGRESS => o.ingress.get(i),
        EGRESS => o.egress.get(i),
        _ => None,
    }
}

fn remove(mesh: &mut Mesh, section: u8, i: usize, j: usize) {
    fn drop_at<T>(v: &mut Vec<T>, i: usize) {
        if i < v.len() {
            v.remove(i);
        }
    }
    match section {
        ROUTE => {
            if let Some(s) = mesh.services.get_mut(i) {
                if j == usize::MAX {
                    s.routes.clear();
                } else {
                    drop_at(&mut s.routes, j);
                }
            }
        }
        VERSION => {
            if let Some(s) = mesh.services.get_mut(i) {
                drop_at(&mut s.versions, j);
            }
        }
        RESILIENCE => {
            if let Some(s) = mesh.services.get_mut(i) {
                s.resilience = Default::default();
            }
        }
        UNMATCHED => {
            if let Some(s) = mesh.services.get_mut(i) {
                s.unmatched = Unmatched::Service;
            }
        }
        SERVICE => drop_at(&mut mesh.services, i),
        POLICY => drop_at(&mut mesh.security.authorization, i),
        OVERRIDE => drop_at(&mut mesh.security.mtls.overrides, i),
        JWT => drop_at(&mut mesh.security.jwt, i),
        INGRESS => drop_at(&mut mesh.ingress, i),
        EGRESS => drop_at(&mut mesh.egress.services, i),
        _ => {}
    }
}

/// Labels as plain strings.
pub(crate) fn plain(labels: &Labels) -> BTreeMap<String, String> {
    crate::lower::plain_labels(labels)
}

/// Plain labels as model labels, or `None` if one is invalid.
pub(crate) fn labels(plain: &BTreeMap<String, String>) -> Option<Labels> {
    plain
        .iter()
        .map(|(k, v)| {
            Some((
                LabelKey::new(k.as_str()).ok()?,
                LabelValue::new(v.as_str()).ok()?,
            ))
        })
        .collect()
}

/// The protocol a port name or `appProtocol` says (Istio's convention:
/// `<protocol>` or `<protocol>-<suffix>`).
pub(crate) fn protocol_of(name: &str) -> Option<Protocol> {
    let head = name.split(['-', '/']).next().unwrap_or(name);
    Some(match head.to_ascii_lowercase().as_str() {
        "http" => Protocol::Http,
        "http2" | "h2c" => Protocol::Http2,
        "grpc" => Protocol::Grpc,
        "https" => Protocol::Https,
        "tls" => Protocol::Tls,
        "tcp" => Protocol::Tcp,
        _ => return None,
    })
}

/// A Kubernetes Service: ports, selector.
fn core_service(cx: &mut Cx<'_>, s: &CoreService) {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let r = ObjectRef::new(
        "Service",
        s.metadata.namespace.as_deref(),
        s.metadata.name.clone().unwrap_or_default(),
    );
    let Some(spec) = &s.spec else {
        cx.skip_whole(r, "a Service without spec has no ports to lift");
        return;
    };
    let ns = s
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".to_owned());
    if spec.type_.as_deref() == Some("ExternalName") {
        cx.skip_whole(
            r,
            "an ExternalName Service is a DNS alias, not a service of the mesh; declare it as egress",
        );
        return;
    }
    let name = r.name.clone();
    let mut ports = Vec::new();
    let mut skipped = Vec::new();
    for (i, p) in spec.ports.iter().flatten().enumerate() {
        let ppath = FieldPath::root().field("spec").field("ports").index(i);
        if p.protocol.as_deref().is_some_and(|x| x != "TCP") {
            skipped.push((
                ppath,
                "only TCP ports are part of the mesh model".to_owned(),
            ));
            continue;
        }
        let Ok(number) = Port::new(u32::try_from(p.port).unwrap_or(0)) else {
            skipped.push((ppath.field("port"), "not a port number".to_owned()));
            continue;
        };
        let declared = p
            .app_protocol
            .as_deref()
            .map(|a| a.trim_start_matches("kubernetes.io/"))
            .and_then(protocol_of)
            .or_else(|| p.name.as_deref().and_then(protocol_of));
        let protocol = match declared {
            Some(proto) => proto,
            None => {
                skipped.push((
                    ppath.field("name"),
                    "no protocol declared (appProtocol or an Istio port name such as http-web); Istio sniffs it, \
                     the model needs it: lifted as tcp"
                        .to_owned(),
                ));
                Protocol::Tcp
            }
        };
        let target_port = match &p.target_port {
            None => None,
            Some(IntOrString::Int(n)) => Port::new(u32::try_from(*n).unwrap_or(0))
                .ok()
                .filter(|t| *t != number),
            Some(IntOrString::String(n)) => {
                skipped.push((
                    ppath.field("targetPort"),
                    format!("named target port {n:?}: the model takes numbers"),
                ));
                None
            }
        };
        ports.push(ServicePort {
            number,
            protocol,
            name: p.name.as_deref().and_then(|n| Name::new(n).ok()),
            target_port,
        });
    }
    let selector = spec.selector.clone().unwrap_or_default();
    let Some(d) = cx.service(&name, &ns) else {
        cx.skip_whole(r, "the name is not a valid service name (DNS-1035 label)");
        return;
    };
    d.service.ports = ports;
    // Names equal to the default are left implicit.
    let svc = d.service.clone();
    for p in &mut d.service.ports {
        let mut q = p.clone();
        q.name = None;
        if p.name.as_ref().map(|n| n.to_string()) == Some(svc.port_name(&q)) {
            p.name = None;
        }
    }
    match labels(&selector) {
        Some(l) => {
            let default = {
                let mut s = d.service.clone();
                s.selector = Labels::new();
                s.pod_selector()
            };
            d.service.selector = if l == default { Labels::new() } else { l };
        }
        None => skipped.push((
            FieldPath::root().field("spec").field("selector"),
            "invalid label".to_owned(),
        )),
    }
    if selector.is_empty() {
        skipped.push((
            FieldPath::root().field("spec").field("selector"),
            "a Service without selector selects no pods; lifted with the default selector app: <name>".to_owned(),
        ));
    }
    for (path, reason) in skipped {
        cx.skip(&r, path, reason);
    }
}

/// Root-namespace Telemetry with the `envoy` access-log provider.
fn observability(cx: &mut Cx<'_>) {
    for o in cx.objects {
        let IstioObject::Telemetry(t) = o else {
            continue;
        };
        let r = object_ref(o);
        let root = t.namespace() == Some(cx.opts.root_namespace.as_str());
        let spec = &t.spec;
        let mut lifted = false;
        for (i, a) in spec.access_logging.iter().enumerate() {
            let path = FieldPath::root()
                .field("spec")
                .field("accessLogging")
                .index(i);
            let envoy_only = a.providers.len() == 1 && a.providers[0].name.as_str() == "envoy";
            if root
                && spec.target.is_none()
                && envoy_only
                && a.match_.is_none()
                && a.filter.is_none()
                && a.disabled != Some(true)
            {
                cx.mesh.observability.access_logs = Some(Default::default());
                lifted = true;
            } else {
                cx.skip(
                    &r,
                    path,
                    "only mesh-wide access logs with the `envoy` provider (root namespace, no selector, no \
                     match or filter) are in the model",
                );
            }
        }
        if !spec.tracing.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("tracing"),
                "tracing belongs to the installation in the model; not lifted from Telemetry",
            );
        }
        if !spec.metrics.is_empty() {
            cx.skip(
                &r,
                FieldPath::root().field("spec").field("metrics"),
                "metric overrides are not lifted",
            );
        }
        if !lifted
            && spec.access_logging.is_empty()
            && spec.tracing.is_empty()
            && spec.metrics.is_empty()
        {
            cx.skip_whole(r, "an empty Telemetry says nothing the model can hold");
        }
    }
}

/// Namespaces: injection labels, revision, extra labels.
fn namespaces(cx: &mut Cx<'_>) {
    let mut revisions = BTreeSet::new();
    let mut in_use: BTreeSet<String> = cx
        .mesh
        .services
        .iter()
        .map(|s| s.namespace.to_string())
        .collect();
    in_use.extend(cx.services.keys().map(|k| k.0.clone()));
    in_use.extend(cx.mesh.ingress.iter().map(|i| i.namespace.to_string()));
    in_use.extend(
        cx.mesh
            .egress
            .services
            .iter()
            .map(|e| e.namespace.to_string()),
    );
    for o in cx.objects {
        let IstioObject::Namespace(n) = o else {
            continue;
        };
        let r = object_ref(o);
        namespace(cx, n, &r, &in_use, &mut revisions);
    }
    if revisions.len() == 1
        && let Some(rev) = revisions.into_iter().next()
    {
        cx.mesh.installation = Some(Installation {
            revision: Some(rev),
            ..Installation::default()
        });
    }
}

fn namespace(
    cx: &mut Cx<'_>,
    n: &Namespace,
    r: &ObjectRef,
    in_use: &BTreeSet<String>,
    revisions: &mut BTreeSet<Name>,
) {
    let Some(name) = n.metadata.name.as_deref().and_then(|s| Name::new(s).ok()) else {
        cx.skip_whole(r.clone(), "not a valid namespace name");
        return;
    };
    let mut extra = n.metadata.labels.clone().unwrap_or_default();
    let lpath = FieldPath::root().field("metadata").field("labels");
    let mut inject = false;
    match extra.remove("istio-injection").as_deref() {
        Some("enabled") => inject = true,
        Some("disabled") | None => {}
        Some(other) => cx.skip(
            r,
            lpath.key("istio-injection"),
            format!("unknown value {other:?}: lifted as not injected"),
        ),
    }
    if let Some(rev) = extra.remove("istio.io/rev") {
        match Name::new(rev.as_str()) {
            Ok(rev) => {
                inject = true;
                revisions.insert(rev);
            }
            Err(e) => cx.skip(r, lpath.key("istio.io/rev"), e.to_string()),
        }
    }
    if let Some(mode) = extra.remove("istio.io/dataplane-mode") {
        cx.skip(
            r,
            lpath.key("istio.io/dataplane-mode"),
            format!("ambient data-plane mode ({mode}) is not lifted"),
        );
    }
    if let Some(w) = extra.remove("istio.io/use-waypoint") {
        cx.skip(
            r,
            lpath.key("istio.io/use-waypoint"),
            format!("ambient waypoint {w} is not lifted"),
        );
    }
    extra.remove("istio.io/ingress-use-waypoint");
    // Labels Kubernetes sets itself, and those stamped on every object.
    extra.remove("kubernetes.io/metadata.name");
    extra.retain(|k, v| cx.opts.stamped_labels.get(k) != Some(v));
    let labels = match labels(&extra) {
        Some(l) => l,
        None => {
            cx.skip(r, lpath, "invalid label");
            Labels::new()
        }
    };
    let used = in_use.contains(name.as_str());
    if inject && used && labels.is_empty() {
        return;
    }
    cx.mesh.namespaces.push(NamespaceConfig {
        name,
        inject,
        labels,
    });
}
