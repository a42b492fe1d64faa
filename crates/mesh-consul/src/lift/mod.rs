//! Lifting of Consul config entries back into the neutral model:
//! [`ConsulLift`], the inverse of [`ConsulBackend`](crate::lower::ConsulBackend).
//!
//! What becomes what (the lowering's conventions, read backwards):
//!
//! | Consul | model |
//! | --- | --- |
//! | Namespace with [`Options::injection_label`] | `namespaces[].inject` (listed only when it says something the services do not) |
//! | ServiceDefaults (not a splitter's virtual service, not a destination) | a service (no ports: config entries name none, so the protocol is reported), its mTLS mode (service override), rate limit (`rateLimits.instanceLevel`, per second) |
//! | ServiceDefaults `upstreamConfig.overrides` | connection limits and outlier detection of the upstream service, when every caller carries the same |
//! | ServiceResolver | versions (subsets filtered on `Service.Meta.version == <v>`), `unmatched: {version}` (`defaultSubset`), load balancer, timeout (`requestTimeout`; a negative one is none, none on an HTTP service is Envoy's implicit 15s) |
//! | ServiceRouter | routes, first match wins; consecutive Consul routes to one destination are one route, `pathExact P` + `pathPrefix P/` is the segment prefix `P`; a last catch-all to the service with the service's settings is implicit |
//! | ServiceSplitter of a router destination | weighted backends (hundredths of a percent, reduced); the virtual service `<service>-<route>` names the route |
//! | ServiceIntentions | an allow and a deny policy per destination (`<service>` and `<service>-deny`), one rule per source or permission; the `*` → `*` intention is `security.defaultAction` |
//! | JWTProvider | `security.jwt` |
//! | ProxyDefaults `global` | mesh mTLS mode, access logs |
//! | Mesh `transparentProxy.meshDestinationsOnly` | `egress.policy` |
//! | TerminatingGateway + destination ServiceDefaults | external services |
//!
//! Everything else is reported in [`Lifted::skipped`] with the object and
//! field path (fields the lift does not read are reported one by one), and
//! the returned model always passes `validate()`.

mod security;
mod traffic;

use std::collections::{BTreeMap, BTreeSet};

use mesh_k8s::Manifest;
use mesh_model::lift::{Lift, Lifted, Lifter, ObjectRef};
use mesh_model::{
    ExternalPort, ExternalService, FieldPath, Hostname, IpBlock, LabelKey, LabelValue, Labels,
    LogFormat, Name, NamespaceConfig, OutboundPolicy, Port, Protocol, Resolution,
};
use serde::Serialize;

use crate::crds::{self, MutualTlsMode};
use crate::lower::{ConsulObject, Options};

/// Lifts Consul objects into the model.
///
/// ```
/// use mesh_consul::lift::ConsulLift;
/// use mesh_consul::lower::ConsulBackend;
/// use mesh_model::lift::Lift;
/// use mesh_model::{Backend, Mesh};
///
/// let mesh = Mesh::from_policy(r#"
/// services:
/// - name: reviews
///   namespace: bookinfo
///   ports: [{number: 9080, protocol: http}]
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward: {backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]}
/// "#)?;
/// let mut lowered = ConsulBackend::default().lower(&mesh)?;
/// let objects: Vec<_> = lowered.manifests.iter().cloned().collect();
/// let lifted = ConsulLift::default().lift(&objects);
/// let reviews = &lifted.mesh.services[0];
/// assert_eq!(reviews.versions.len(), 2);
/// // 90/10 as Consul's percentages, reduced: 9 to 1.
/// assert_eq!(reviews.routes[0].forward().unwrap().backends[1].weight.get(), 1);
/// // Config entries list no ports: the protocol is reported.
/// assert!(lifted.skipped.iter().any(|s| s.path.as_str() == "spec.protocol"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ConsulLift {
    /// The lowering's options: the common labels (not lifted), the
    /// injection label, the namespace of mesh-wide entries.
    pub options: Options,
}

/// The reference of a Consul object; a namespaced object without a
/// namespace is in `default` (where kubectl would create it).
pub fn object_ref(o: &ConsulObject) -> ObjectRef {
    let m = o.metadata();
    ObjectRef::new(
        o.kind(),
        m.namespace
            .as_deref()
            .or(o.namespaced().then_some("default")),
        m.name.clone().unwrap_or_default(),
    )
}

/// The lift's state.
pub(crate) struct Lx<'a> {
    pub opts: &'a Options,
    pub l: Lifter,
    /// Model services by (namespace, name): index in `mesh.services`.
    pub services: BTreeMap<(String, String), usize>,
    /// Objects lifted or reported.
    pub used: BTreeSet<ObjectRef>,
}

impl Lx<'_> {
    /// The model service `name` in `ns`.
    pub fn service_mut(&mut self, ns: &str, name: &str) -> Option<&mut mesh_model::Service> {
        let i = *self.services.get(&(ns.to_owned(), name.to_owned()))?;
        self.l.mesh.services.get_mut(i)
    }

    /// Reports every field of `spec` but `read` as not lifted.
    pub fn leftovers(&mut self, oref: &ObjectRef, spec: &impl Serialize, read: &[&str]) {
        let Ok(serde_json::Value::Object(m)) = serde_json::to_value(spec) else {
            return;
        };
        for k in m.keys() {
            if !read.contains(&k.as_str()) {
                self.l.skip(
                    oref,
                    FieldPath::root().field("spec").field(k),
                    "this setting has no neutral meaning: not lifted",
                );
            }
        }
    }
}

impl Lift for ConsulLift {
    type Object = ConsulObject;

    fn lift(&self, objects: &[ConsulObject]) -> Lifted {
        let mut lx = Lx {
            opts: &self.options,
            l: Lifter::new(),
            services: BTreeMap::new(),
            used: BTreeSet::new(),
        };
        let ns = namespaces(&mut lx, objects);
        globals(&mut lx, objects);
        traffic::services(&mut lx, objects);
        security::jwt_providers(&mut lx, objects);
        security::intentions(&mut lx, objects);
        egress(&mut lx, objects);
        namespace_configs(&mut lx, ns);
        for o in objects {
            let r = object_ref(o);
            if lx.used.contains(&r) {
                continue;
            }
            #[allow(unreachable_patterns)]
            let reason = match o {
                ConsulObject::MeshService(_) => {
                    "a MeshService only names a Consul service for API-gateway routes: nothing to lift on its own".to_owned()
                }
                other => format!("kind {} is not lifted", other.kind()),
            };
            lx.l.skip(&r, FieldPath::root(), reason);
        }
        lx.l.finish()
    }
}

/// Namespaces: (name, object, inject, labels).
fn namespaces(lx: &mut Lx<'_>, objects: &[ConsulObject]) -> Vec<(String, ObjectRef, bool, Labels)> {
    let mut out = Vec::new();
    for o in objects {
        let ConsulObject::Namespace(n) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        let labels_map = n.metadata.labels.clone().unwrap_or_default();
        let inject = labels_map.get(&lx.opts.injection_label).map(String::as_str) == Some("true");
        let mut labels = Labels::new();
        for (k, v) in &labels_map {
            if *k == lx.opts.injection_label || lx.opts.common.labels.get(k) == Some(v) {
                continue;
            }
            match (LabelKey::new(k.as_str()), LabelValue::new(v.as_str())) {
                (Ok(k), Ok(v)) => {
                    labels.insert(k, v);
                }
                _ => lx.l.skip(
                    &oref,
                    FieldPath::root().field("metadata").field("labels").key(k),
                    "not a valid label for the model",
                ),
            }
        }
        out.push((oref.name.clone(), oref, inject, labels));
    }
    out
}

fn namespace_configs(lx: &mut Lx<'_>, ns: Vec<(String, ObjectRef, bool, Labels)>) {
    let in_use = lx.l.mesh.namespaces_in_use();
    for (name, oref, inject, labels) in ns {
        if inject && labels.is_empty() && in_use.contains_key(name.as_str()) {
            continue;
        }
        let Ok(n) = Name::new(name.as_str()) else {
            lx.l.skip(
                &oref,
                FieldPath::root(),
                "not a valid namespace name for the model",
            );
            continue;
        };
        let at = FieldPath::root()
            .field("namespaces")
            .index(lx.l.mesh.namespaces.len());
        lx.l.origin(at, &oref, FieldPath::root());
        lx.l.mesh.namespaces.push(NamespaceConfig {
            name: n,
            inject,
            labels,
        });
    }
}

/// ProxyDefaults `global` and Mesh `mesh`.
fn globals(lx: &mut Lx<'_>, objects: &[ConsulObject]) {
    // Consul's mesh denies plaintext: strict unless ProxyDefaults says.
    lx.l.mesh.security.mtls.mode = mesh_model::MtlsMode::Strict;
    // Without a Mesh entry, Consul lets traffic out.
    lx.l.mesh.egress.policy = OutboundPolicy::AllowAny;
    for o in objects {
        match o {
            ConsulObject::ProxyDefaults(p) => {
                let oref = object_ref(o);
                lx.used.insert(oref.clone());
                let sp = FieldPath::root().field("spec");
                match p.spec.mutual_tls_mode {
                    Some(MutualTlsMode::Permissive) => {
                        lx.l.mesh.security.mtls.mode = mesh_model::MtlsMode::Permissive
                    }
                    Some(MutualTlsMode::Strict | MutualTlsMode::Default) | None => {}
                }
                if let Some(a) = &p.spec.access_logs {
                    let ap = sp.field("accessLogs");
                    if a.enabled == Some(true) {
                        let format = match &a.format {
                            None | Some(crds::AccessLogFormat::Json(_)) => LogFormat::Json,
                            Some(crds::AccessLogFormat::Text(_)) => LogFormat::Text,
                        };
                        if matches!(&a.format, Some(crds::AccessLogFormat::Json(_)))
                            || matches!(&a.format, Some(crds::AccessLogFormat::Text(t)) if t != crate::lower::ENVOY_TEXT_FORMAT)
                        {
                            lx.l.skip(&oref, ap.field("format"), "a custom log format: lifted as the format's kind (text or JSON) only");
                        }
                        if !matches!(a.type_, None | Some(crds::LogSinkType::Stdout))
                            || a.path.is_some()
                        {
                            lx.l.skip(
                                &oref,
                                ap.field("type"),
                                "the model's access logs go to the proxy's standard output",
                            );
                        }
                        if a.disable_listener_logs.is_some() {
                            lx.l.skip(&oref, ap.field("disableListenerLogs"), "not lifted");
                        }
                        lx.l.mesh.observability.access_logs =
                            Some(mesh_model::AccessLogs { format });
                    }
                }
                if let Some(cfg) = &p.spec.config {
                    for (k, v) in cfg {
                        let implied =
                            k == "local_request_timeout_ms" && v == &serde_json::Value::from(0);
                        if !implied {
                            lx.l.skip(
                                &oref,
                                sp.field("config").key(k),
                                "raw proxy configuration is not lifted (tracing included)",
                            );
                        }
                    }
                }
                lx.leftovers(&oref, &p.spec, &["mutualTLSMode", "accessLogs", "config"]);
            }
            ConsulObject::Mesh(m) => {
                let oref = object_ref(o);
                lx.used.insert(oref.clone());
                let only = m
                    .spec
                    .transparent_proxy
                    .as_ref()
                    .and_then(|t| t.mesh_destinations_only);
                lx.l.mesh.egress.policy = if only == Some(true) {
                    OutboundPolicy::RegistryOnly
                } else {
                    OutboundPolicy::AllowAny
                };
                lx.leftovers(
                    &oref,
                    &m.spec,
                    &["transparentProxy", "allowEnablingPermissiveMutualTLS"],
                );
            }
            _ => {}
        }
    }
}

/// TerminatingGateway services and the destination ServiceDefaults they
/// link: external services.
fn egress(lx: &mut Lx<'_>, objects: &[ConsulObject]) {
    let destinations: BTreeMap<String, (&crds::ServiceDefaults, ObjectRef)> = objects
        .iter()
        .filter_map(|o| match o {
            ConsulObject::ServiceDefaults(s) if s.spec.destination.is_some() => {
                let r = object_ref(o);
                Some((r.name.clone(), (&**s, r)))
            }
            _ => None,
        })
        .collect();
    let mut linked = BTreeSet::new();
    for o in objects {
        let ConsulObject::TerminatingGateway(t) = o else {
            continue;
        };
        let oref = object_ref(o);
        lx.used.insert(oref.clone());
        for (k, ls) in t.spec.services.iter().enumerate() {
            let lp = FieldPath::root().field("spec").field("services").index(k);
            let Some((sd, dref)) = destinations.get(&ls.name) else {
                lx.l.skip(&oref, lp, format!("{} is not a destination ServiceDefaults among the objects: a catalog service behind the gateway is not lifted", ls.name));
                continue;
            };
            linked.insert(dref.clone());
            lx.used.insert(dref.clone());
            if ls.ca_file.is_some()
                || ls.cert_file.is_some()
                || ls.key_file.is_some()
                || ls.sni.is_some()
            {
                lx.l.skip(
                    &oref,
                    lp.clone(),
                    "TLS origination by the gateway reads files on its pods: not lifted",
                );
            }
            let Some(d) = &sd.spec.destination else {
                continue;
            };
            let protocol = match sd.spec.protocol {
                Some(crds::Protocol::Http) => Protocol::Http,
                Some(crds::Protocol::Http2) => Protocol::Http2,
                Some(crds::Protocol::Grpc) => Protocol::Grpc,
                Some(crds::Protocol::Tcp) | None => Protocol::Tcp,
            };
            let mut hosts = Vec::new();
            let mut ips = Vec::new();
            for a in &d.addresses {
                if a.parse::<std::net::IpAddr>().is_ok() {
                    if let Ok(b) = IpBlock::new(a.as_str()) {
                        ips.push(b);
                    }
                } else if let Ok(h) = Hostname::new(a.as_str()) {
                    hosts.push(h);
                }
            }
            let resolution = if ips.is_empty() {
                Resolution::Dns
            } else {
                Resolution::Static(ips)
            };
            let (Ok(name), Ok(namespace)) = (
                Name::new(dref.name.as_str()),
                Name::new(dref.namespace.clone().unwrap_or_default()),
            ) else {
                continue;
            };
            let at = FieldPath::root()
                .field("egress")
                .field("services")
                .index(lx.l.mesh.egress.services.len());
            lx.l.origin(
                at,
                dref,
                FieldPath::root().field("spec").field("destination"),
            );
            lx.l.mesh.egress.services.push(ExternalService {
                name,
                namespace,
                hosts,
                ports: vec![ExternalPort {
                    number: Port::from(d.port),
                    protocol,
                    target_port: None,
                }],
                resolution,
                tls: None,
            });
            lx.leftovers(dref, &sd.spec, &["protocol", "destination"]);
        }
    }
    for (name, (_, dref)) in destinations {
        if !linked.contains(&dref) {
            lx.used.insert(dref.clone());
            lx.l.skip(&dref, FieldPath::root().field("spec").field("destination"), format!("destination {name} is linked by no TerminatingGateway among the objects: not lifted"));
        }
    }
}
