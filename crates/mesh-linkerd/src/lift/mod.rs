//! Lifting of Linkerd objects back into the neutral model: [`LinkerdLift`],
//! the inverse of [`LinkerdBackend`](crate::LinkerdBackend).
//!
//! What becomes what (the lowering's table, read backwards):
//!
//! | Linkerd | model |
//! | --- | --- |
//! | Namespace `linkerd.io/inject` | `namespaces[].inject` (listed only when it says something the services do not) |
//! | Namespace `config.linkerd.io/default-inbound-policy` | `security.defaultAction` (deny / allow) and mTLS mode (all-authenticated = strict, all-unauthenticated = permissive), mesh-wide by majority (ties: deny, strict), namespace overrides for the other modes; a namespace in use without a Namespace object (or without the annotation) counts as Linkerd's install default, all-unauthenticated |
//! | Namespace `config.linkerd.io/access-log` | `observability.accessLogs` |
//! | Service (with a selector) | service: ports (protocol from `appProtocol`, the port name's prefix or `config.linkerd.io/opaque-ports`), selector |
//! | Service `<service>-<version>` whose selector adds labels to `<service>`'s, same ports | version of `<service>` |
//! | Service `retry.linkerd.io/*`, `timeout.linkerd.io/request`, `balancer.linkerd.io/failure-accrual*` | `resilience.retries`, `timeout`, `outlierDetection` |
//! | HTTPRoute (Gateway API or policy.linkerd.io) with a Service parent | the service's routes, most specific first unless the written order already means the same; a last catch-all to the service (or one version) is `unmatched`, none means `unmatched: notFound` |
//! | SMI TrafficSplit | one weighted route |
//! | ServiceProfile | `resilience.retryBudget`, and `timeout` from its catch-all route |
//! | Server + AuthorizationPolicy + MeshTLSAuthentication / NetworkAuthentication (+ policy HTTPRoute with the Server as parent) | one allow policy per AuthorizationPolicy; `all networks except` = a deny policy by IP block; a Server's access policy that differs from its namespace's = a port mTLS override |
//! | HTTPLocalRateLimitPolicy | the service's `resilience.rateLimit` (per second) |
//! | Gateway + HTTPRoutes with it as parent | ingress (an HTTPS-redirect-only route = `httpsRedirect` listeners) |
//! | EgressNetwork (Deny, no networks) | `egress.policy: registryOnly`; none at all = `allowAny` |
//! | HTTPRoute with an EgressNetwork parent | external HTTP service |
//!
//! Everything else is reported in [`Lifted::skipped`] with the object and
//! field path, and the returned model always passes `validate()`.

mod edge;
mod routes;
mod security;
mod services;

use std::collections::{BTreeMap, BTreeSet};

use mesh_k8s::Manifest;
use mesh_model::FieldPath;
use mesh_model::lift::{Lift, Lifted, Lifter, ObjectRef};

use crate::lower::{LinkerdObject, Options};

/// Lifts Linkerd objects into the model.
///
/// ```
/// use mesh_linkerd::lift::LinkerdLift;
/// use mesh_linkerd::LinkerdBackend;
/// use mesh_model::lift::Lift;
/// use mesh_model::{Backend, Mesh};
///
/// let mesh = Mesh::from_policy(r#"
/// services:
/// - name: web
///   namespace: prod
///   ports: [{number: 80, protocol: http}]
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward: {backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]}
/// "#)?;
/// let mut lowered = LinkerdBackend::default().lower(&mesh)?;
/// let objects: Vec<_> = lowered.manifests.iter().cloned().collect();
/// let lifted = LinkerdLift::default().lift(&objects);
/// assert_eq!(lifted.mesh.services, mesh.services);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LinkerdLift {
    /// The lowering's options: the common labels and annotations it stamps
    /// (not lifted) and the cluster domain of ServiceProfile names.
    pub options: Options,
}

/// The reference of a Linkerd object; a namespaced object without a
/// namespace is in `default` (where kubectl would create it).
pub fn object_ref(o: &LinkerdObject) -> ObjectRef {
    let m = o.metadata();
    ObjectRef::new(
        o.kind(),
        m.namespace
            .as_deref()
            .or(o.namespaced().then_some("default")),
        m.name.clone().unwrap_or_default(),
    )
}

/// A model service being lifted from a core Service.
#[derive(Debug, Clone)]
pub(crate) struct SvcInfo {
    /// Index in `mesh.services`.
    pub index: usize,
    /// Per-version Services: version name → Service name.
    pub versions: BTreeMap<String, String>,
}

/// The lift's state.
pub(crate) struct Lx<'a> {
    pub opts: &'a Options,
    pub l: Lifter,
    /// Model services by (namespace, name).
    pub services: BTreeMap<(String, String), SvcInfo>,
    /// Per-version Services: (namespace, name) → (service, version).
    pub version_services: BTreeMap<(String, String), (String, String)>,
    /// Objects consumed (lifted or reported), by reference.
    pub used: BTreeSet<ObjectRef>,
    /// Whether a trust domain was read from an identity.
    pub trust_domain_set: bool,
}

impl Lx<'_> {
    /// The model service and version a Service name in `ns` stands for.
    pub fn resolve_service(&self, ns: &str, name: &str) -> Option<(String, Option<String>)> {
        let key = (ns.to_owned(), name.to_owned());
        if self.services.contains_key(&key) {
            return Some((name.to_owned(), None));
        }
        self.version_services
            .get(&key)
            .map(|(s, v)| (s.clone(), Some(v.clone())))
    }

    /// The model service `name` in `ns`.
    pub fn service_mut(&mut self, ns: &str, name: &str) -> Option<&mut mesh_model::Service> {
        let i = self.services.get(&(ns.to_owned(), name.to_owned()))?.index;
        self.l.mesh.services.get_mut(i)
    }

    /// The port the lowering picks for a backend without one (the only
    /// port, the parent's when the service has it, else the first HTTP
    /// port).
    pub fn default_port(&self, ns: &str, svc: &str, parent: Option<u16>) -> Option<u16> {
        let s = self.services.get(&(ns.to_owned(), svc.to_owned()))?;
        let ports = &self.l.mesh.services.get(s.index)?.ports;
        match ports.as_slice() {
            [only] => Some(only.number.get()),
            ps => parent
                .filter(|p| ps.iter().any(|q| q.number.get() == *p))
                .or_else(|| {
                    ps.iter()
                        .find(|q| q.protocol.is_l7())
                        .map(|q| q.number.get())
                }),
        }
    }
}

impl Lift for LinkerdLift {
    type Object = LinkerdObject;

    fn lift(&self, objects: &[LinkerdObject]) -> Lifted {
        let mut lx = Lx {
            opts: &self.options,
            l: Lifter::new(),
            services: BTreeMap::new(),
            version_services: BTreeMap::new(),
            used: BTreeSet::new(),
            trust_domain_set: false,
        };
        let ns_info = services::namespaces(&mut lx, objects);
        services::services(&mut lx, objects);
        services::routes(&mut lx, objects);
        services::traffic_splits(&mut lx, objects);
        services::service_profiles(&mut lx, objects);
        security::defaults(&mut lx, &ns_info);
        security::authorization(&mut lx, objects, &ns_info);
        edge::ingress(&mut lx, objects);
        edge::egress(&mut lx, objects);
        services::namespace_configs(&mut lx, &ns_info);
        for o in objects {
            let r = object_ref(o);
            if lx.used.contains(&r) {
                continue;
            }
            let reason = match o {
                LinkerdObject::ReferenceGrant(_) => continue,
                LinkerdObject::MeshTlsAuthentication(_)
                | LinkerdObject::NetworkAuthentication(_) => {
                    "not required by any lifted AuthorizationPolicy: no effect".to_owned()
                }
                #[allow(unreachable_patterns)]
                other => format!("kind {} is not lifted", other.kind()),
            };
            lx.l.skip(&r, FieldPath::root(), reason);
        }
        lx.l.finish()
    }
}

/// Parses a Linkerd duration annotation (`30s`, `500ms`).
pub(crate) fn parse_duration(s: &str) -> Option<mesh_model::Duration> {
    s.parse().ok()
}
