//! [`Mesh`]: the whole document, and its whole-model validation.

use std::collections::{BTreeMap, BTreeSet};

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, FieldPath, Problem};
use crate::value::checked_string;
use crate::{
    BackendRef, BuildError, Egress, Identity, Ingress, Installation, Labels, Mirror, Name,
    Observability, Port, Route, Scope, Security, Service, ServiceRef, Source, Unmatched,
    ValidationErrors, rules,
};

checked_string!(
    /// The trust domain of workload identities (`cluster.local`), a DNS-1123
    /// subdomain.
    TrustDomain,
    "trust domain",
    rules::dns1123_subdomain
);

impl Default for TrustDomain {
    fn default() -> Self {
        TrustDomain("cluster.local".to_owned())
    }
}

/// A namespace the mesh manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct NamespaceConfig {
    /// The namespace.
    pub name: Name,
    /// Inject proxies into its pods (default true). Namespaces that hold
    /// services of the model are injected unless listed here with `false`.
    #[builder(default = "yes()")]
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub inject: bool,
    /// Extra labels for the Namespace object.
    #[builder(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<crate::LabelKey, crate::LabelValue>")
    )]
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The whole mesh configuration: the document a policy file holds.
///
/// Read one from YAML or JSON with serde (the format is this type's serde
/// form: camelCase fields, unknown fields rejected), or build one with
/// [`MeshBuilder`]. Then [`validate`](Mesh::validate) it; backends lower
/// only valid models.
///
/// ```
/// use mesh_model::Mesh;
/// let mesh = Mesh::from_policy_unchecked(r#"
/// services:
/// - name: reviews
///   namespace: bookinfo
///   ports: [{number: 9080, protocol: http}]
///   versions: [{name: v1}, {name: v2}]
///   routes:
///   - forward:
///       backends: [{version: v1, weight: 90}, {version: v2, weight: 10}]
/// "#).unwrap();
/// mesh.validate().unwrap();
/// // Secure by default: strict mTLS, deny what no policy allows.
/// assert_eq!(mesh.security.mtls.mode, mesh_model::MtlsMode::Strict);
/// assert_eq!(mesh.security.default_action, mesh_model::DefaultAction::Deny);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    default,
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Mesh {
    /// Trust domain of identities (default `cluster.local`).
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub trust_domain: TrustDomain,
    /// Namespaces the mesh manages, beyond those of services.
    #[builder(setter(each(name = "namespace")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<NamespaceConfig>,
    /// The services.
    #[builder(setter(each(name = "service")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// Identities of clients that are not services of the model, so that
    /// policies may name them.
    #[builder(setter(each(name = "identity")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Identity>,
    /// mTLS, authorization, JWT.
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub security: Security,
    /// Ingress gateways.
    #[builder(setter(each(name = "ingress_gateway")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<Ingress>,
    /// Egress.
    #[serde(default, skip_serializing_if = "Egress::is_default")]
    pub egress: Egress,
    /// Tracing, metrics, logs.
    #[serde(default, skip_serializing_if = "Observability::is_empty")]
    pub observability: Observability,
    /// Control-plane installation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<Installation>,
}

/// A resolved destination: a service of the model, maybe a version, maybe a
/// port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// The service.
    pub service: ServiceRef,
    /// The version.
    pub version: Option<Name>,
    /// The port.
    pub port: Option<Port>,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.service)?;
        if let Some(v) = &self.version {
            write!(f, " version {v}")?;
        }
        Ok(())
    }
}

impl BackendRef {
    /// Where this goes, for a route of a service or ingress in
    /// `namespace` (`owner`: the owning service's name, if any).
    pub fn target(&self, namespace: &Name, owner: Option<&Name>) -> Option<Target> {
        resolve(
            self.service.as_ref(),
            self.namespace.as_ref(),
            &self.version,
            self.port,
            namespace,
            owner,
        )
    }
}

impl Mirror {
    /// Where this goes (see [`BackendRef::target`]).
    pub fn target(&self, namespace: &Name, owner: Option<&Name>) -> Option<Target> {
        resolve(
            self.service.as_ref(),
            self.namespace.as_ref(),
            &self.version,
            self.port,
            namespace,
            owner,
        )
    }
}

fn resolve(
    service: Option<&Name>,
    ns: Option<&Name>,
    version: &Option<Name>,
    port: Option<Port>,
    namespace: &Name,
    owner: Option<&Name>,
) -> Option<Target> {
    let name = service.or(owner)?.clone();
    Some(Target {
        service: ServiceRef {
            name,
            namespace: ns.unwrap_or(namespace).clone(),
        },
        version: version.clone(),
        port,
    })
}

/// Services by namespace and name, built once ([`Mesh::service_index`]):
/// lookups in O(log n) where [`Mesh::service_ref`] scans the list. Lowering
/// and analysis of large meshes use it so that they stay near-linear.
#[derive(Debug, Clone)]
pub struct ServiceIndex<'a> {
    by_name: BTreeMap<(&'a str, &'a str), &'a Service>,
}

impl<'a> ServiceIndex<'a> {
    /// The service a reference points to.
    pub fn get(&self, r: &ServiceRef) -> Option<&'a Service> {
        self.find(r.name.as_str(), r.namespace.as_str())
    }

    /// The service `name` in `namespace`.
    pub fn find(&self, name: &str, namespace: &str) -> Option<&'a Service> {
        self.by_name.get(&(namespace, name)).copied()
    }
}

impl Mesh {
    /// An index of the services by namespace and name (the first of
    /// duplicates, which validation rejects anyway).
    pub fn service_index(&self) -> ServiceIndex<'_> {
        let mut by_name = BTreeMap::new();
        for s in &self.services {
            by_name
                .entry((s.namespace.as_str(), s.name.as_str()))
                .or_insert(s);
        }
        ServiceIndex { by_name }
    }

    /// The service `name` in `namespace` (a scan; see
    /// [`service_index`](Mesh::service_index) for many lookups).
    pub fn service(&self, name: &str, namespace: &str) -> Option<&Service> {
        self.services
            .iter()
            .find(|s| s.name == name && s.namespace == namespace)
    }

    /// The service a reference points to.
    pub fn service_ref(&self, r: &ServiceRef) -> Option<&Service> {
        self.service(r.name.as_str(), r.namespace.as_str())
    }

    /// Every namespace the model puts something in, with whether proxies
    /// are injected there.
    pub fn namespaces_in_use(&self) -> BTreeMap<Name, bool> {
        let mut out = BTreeMap::new();
        for s in &self.services {
            out.insert(s.namespace.clone(), true);
        }
        for i in &self.ingress {
            out.entry(i.namespace.clone()).or_insert(true);
        }
        for e in &self.egress.services {
            out.entry(e.namespace.clone()).or_insert(true);
        }
        for n in &self.namespaces {
            out.insert(n.name.clone(), n.inject);
        }
        out
    }

    /// Every identity policies may name: the services' and the declared.
    pub fn known_identities(&self) -> BTreeSet<Identity> {
        self.services
            .iter()
            .map(Service::identity)
            .chain(self.identities.iter().cloned())
            .collect()
    }

    /// Checks the whole model: every value's own rules, then references
    /// (services, versions, identities, JWT issuers), uniqueness (services,
    /// hosts, route and policy names), retries against timeouts, mirrors
    /// against their primaries. Returns every problem found, each with its
    /// field path.
    ///
    /// ```
    /// use mesh_model::Mesh;
    /// let mesh = Mesh::from_policy_unchecked(r#"
    /// services:
    /// - name: web
    ///   namespace: prod
    ///   ports: [{number: 80, protocol: http}]
    ///   routes:
    ///   - forward: {backends: [{version: v9}]}
    /// "#).unwrap();
    /// let errors = mesh.validate().unwrap_err();
    /// assert_eq!(errors.paths(), ["services[0].routes[0].forward.backends[0].version"]);
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut c = Checker::new();
        self.check(&mut c);
        c.finish()
    }
}

struct Index<'a> {
    services: BTreeMap<(&'a str, &'a str), &'a Service>,
    identities: BTreeSet<Identity>,
    issuers: BTreeSet<&'a str>,
}

impl Index<'_> {
    fn check_target(&self, c: &mut Checker, t: &Target) {
        let Some(svc) = self
            .services
            .get(&(t.service.namespace.as_str(), t.service.name.as_str()))
        else {
            c.error_at(
                "service",
                Problem::UnknownService {
                    service: t.service.to_string(),
                },
            );
            return;
        };
        if let Some(v) = &t.version
            && svc.version(v.as_str()).is_none()
        {
            c.error_at(
                "version",
                Problem::UnknownVersion {
                    service: t.service.to_string(),
                    version: v.to_string(),
                    known: known_versions(svc),
                },
            );
        }
        if let Some(p) = t.port
            && !svc.ports.is_empty()
            && !svc.ports.iter().any(|q| q.number == p)
        {
            c.error_at(
                "port",
                Problem::OutOfRange {
                    what: "port",
                    value: p.to_string(),
                    range: "one of the service's ports",
                },
            );
        }
    }

    fn check_scope(&self, c: &mut Checker, scope: &Scope) {
        if let Scope::Service(r) = scope
            && !self
                .services
                .contains_key(&(r.namespace.as_str(), r.name.as_str()))
        {
            c.at("service", |c| {
                c.error(Problem::UnknownService {
                    service: r.to_string(),
                })
            });
        }
    }

    fn check_identity(&self, c: &mut Checker, id: &Identity) {
        if !self.identities.contains(id) {
            c.error(Problem::UnknownIdentity {
                identity: id.to_string(),
            });
        }
    }
}

fn known_versions(svc: &Service) -> String {
    if svc.versions.is_empty() {
        "none".into()
    } else {
        svc.versions
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn check_routes(
    c: &mut Checker,
    idx: &Index<'_>,
    routes: &[Route],
    ns: &Name,
    owner: Option<&Service>,
) {
    let owner_name = owner.map(|s| &s.name);
    c.at("routes", |c| {
        for (i, r) in routes.iter().enumerate() {
            let Some(f) = r.forward() else { continue };
            c.idx(i, |c| {
                c.at("forward", |c| {
                    let mut primaries = Vec::new();
                    c.at("backends", |c| {
                        for (j, b) in f.backends.iter().enumerate() {
                            if let Some(t) = b.target(ns, owner_name) {
                                c.idx(j, |c| idx.check_target(c, &t));
                                primaries.push(t);
                            }
                        }
                    });
                    c.at("mirrors", |c| {
                        for (j, m) in f.mirrors.iter().enumerate() {
                            if let Some(t) = m.target(ns, owner_name) {
                                c.idx(j, |c| {
                                    idx.check_target(c, &t);
                                    if primaries
                                        .iter()
                                        .any(|p| p.service == t.service && p.version == t.version)
                                    {
                                        c.error(Problem::MirrorIsPrimary {
                                            target: t.to_string(),
                                        });
                                    }
                                });
                            }
                        }
                    });
                    // Service-level defaults combine with route-level settings.
                    if let Some(svc) = owner {
                        let own_both = f.retries.is_some() && f.timeout.is_some();
                        let retries = f.retries.as_ref().or(svc.resilience.retries.as_ref());
                        let timeout = f.timeout.or(svc.resilience.timeout);
                        if !own_both
                            && (f.retries.is_some() || f.timeout.is_some())
                            && let Some(retries) = retries
                        {
                            c.at("retries", |c| retries.check_with_timeout(timeout, c));
                        }
                    }
                });
            });
        }
    });
}

fn dup<K: Ord + Clone + std::fmt::Display>(
    c: &mut Checker,
    seen: &mut BTreeMap<K, FieldPath>,
    key: K,
    what: &'static str,
    at: &'static str,
) {
    if let Some(first) = seen.get(&key) {
        let first = first.clone();
        c.error_at(
            at,
            Problem::Duplicate {
                what,
                name: key.to_string(),
                first,
            },
        );
    } else {
        seen.insert(key, c.path());
    }
}

/// Records a duplicate for every host already seen (in this list or an
/// earlier one).
fn unique_hosts<'a>(
    c: &mut Checker,
    seen: &mut BTreeMap<&'a str, FieldPath>,
    hosts: &'a [crate::Hostname],
    what: &'static str,
) {
    for (j, h) in hosts.iter().enumerate() {
        c.idx(j, |c| match seen.get(h.as_str()) {
            Some(first) => {
                let first = first.clone();
                c.error(Problem::Duplicate {
                    what,
                    name: h.to_string(),
                    first,
                });
            }
            None => {
                seen.insert(h.as_str(), c.path());
            }
        });
    }
}

impl Check for Mesh {
    fn check(&self, c: &mut Checker) {
        // Values' own rules.
        c.each("services", &self.services);
        c.at("security", |c| self.security.check(c));
        c.each("ingress", &self.ingress);
        c.at("egress", |c| self.egress.check(c));
        c.at("observability", |c| self.observability.check(c));
        c.opt("installation", &self.installation);

        // Uniqueness.
        let mut services = BTreeMap::new();
        let mut seen = BTreeMap::new();
        c.at("services", |c| {
            for (i, s) in self.services.iter().enumerate() {
                c.idx(i, |c| {
                    dup(
                        c,
                        &mut seen,
                        format!("{}/{}", s.namespace, s.name),
                        "service",
                        "name",
                    )
                });
                services
                    .entry((s.namespace.as_str(), s.name.as_str()))
                    .or_insert(s);
            }
        });
        let mut seen = BTreeMap::new();
        c.at("namespaces", |c| {
            for (i, n) in self.namespaces.iter().enumerate() {
                c.idx(i, |c| {
                    dup(c, &mut seen, n.name.to_string(), "namespace", "name")
                });
            }
        });
        let mut hosts = BTreeMap::new();
        let mut names = BTreeMap::new();
        c.at("ingress", |c| {
            for (i, g) in self.ingress.iter().enumerate() {
                c.idx(i, |c| {
                    dup(
                        c,
                        &mut names,
                        format!("{}/{}", g.namespace, g.name),
                        "ingress",
                        "name",
                    );
                    c.at("hosts", |c| {
                        unique_hosts(c, &mut hosts, &g.hosts, "ingress host")
                    });
                });
            }
        });
        let mut ext_hosts = BTreeMap::new();
        let mut ext_names = BTreeMap::new();
        c.at("egress", |c| {
            c.at("services", |c| {
                for (i, e) in self.egress.services.iter().enumerate() {
                    c.idx(i, |c| {
                        dup(
                            c,
                            &mut ext_names,
                            format!("{}/{}", e.namespace, e.name),
                            "external service",
                            "name",
                        );
                        c.at("hosts", |c| {
                            unique_hosts(c, &mut ext_hosts, &e.hosts, "external host")
                        });
                    });
                }
            });
        });

        let idx = Index {
            services,
            identities: self.known_identities(),
            issuers: self
                .security
                .jwt
                .iter()
                .map(|j| j.issuer.as_str())
                .collect(),
        };

        // References from services.
        c.at("services", |c| {
            for (i, s) in self.services.iter().enumerate() {
                c.idx(i, |c| {
                    check_routes(c, &idx, &s.routes, &s.namespace, Some(s));
                    if let Unmatched::Version(v) = &s.unmatched
                        && s.version(v.as_str()).is_none()
                    {
                        c.at("unmatched", |c| {
                            c.error_at(
                                "version",
                                Problem::UnknownVersion {
                                    service: s.reference().to_string(),
                                    version: v.to_string(),
                                    known: known_versions(s),
                                },
                            )
                        });
                    }
                    if let Some(rl) = &s.resilience.rate_limit {
                        c.at("resilience", |c| {
                            c.at("rateLimit", |c| {
                                c.at("overrides", |c| {
                                    for (j, o) in rl.overrides.iter().enumerate() {
                                        c.idx(j, |c| {
                                            c.at("clients", |c| {
                                                for (k, id) in o.clients.iter().enumerate() {
                                                    c.idx(k, |c| idx.check_identity(c, id));
                                                }
                                            })
                                        });
                                    }
                                })
                            })
                        });
                    }
                });
            }
        });
        c.at("ingress", |c| {
            for (i, g) in self.ingress.iter().enumerate() {
                c.idx(i, |c| check_routes(c, &idx, &g.routes, &g.namespace, None));
            }
        });

        // References from security.
        c.at("security", |c| {
            c.at("mtls", |c| {
                c.at("overrides", |c| {
                    for (i, o) in self.security.mtls.overrides.iter().enumerate() {
                        c.idx(i, |c| c.at("scope", |c| idx.check_scope(c, &o.scope)));
                    }
                })
            });
            let mut names = BTreeMap::new();
            c.at("authorization", |c| {
                for (i, p) in self.security.authorization.iter().enumerate() {
                    c.idx(i, |c| {
                        let ns = match &p.scope {
                            Scope::Mesh => "(mesh)".to_owned(),
                            Scope::Namespace(n) => n.to_string(),
                            Scope::Service(s) => s.namespace.to_string(),
                            Scope::Workload(w) => w.namespace.to_string(),
                        };
                        dup(
                            c,
                            &mut names,
                            format!("{ns}/{}", p.name),
                            "authorization policy",
                            "name",
                        );
                        c.at("scope", |c| idx.check_scope(c, &p.scope));
                        c.at("rules", |c| {
                            for (j, r) in p.rules.iter().enumerate() {
                                c.idx(j, |c| {
                                    c.at("from", |c| {
                                        for (k, s) in r.from.iter().enumerate() {
                                            c.idx(k, |c| match s {
                                                Source::Identity(id) => {
                                                    c.at("identity", |c| idx.check_identity(c, id))
                                                }
                                                Source::JwtPrincipal { issuer, .. }
                                                    if !idx.issuers.contains(issuer.as_str()) =>
                                                {
                                                    c.at("jwtPrincipal", |c| {
                                                        c.error_at(
                                                            "issuer",
                                                            Problem::UnknownIssuer {
                                                                issuer: issuer.clone(),
                                                            },
                                                        )
                                                    })
                                                }
                                                _ => {}
                                            });
                                        }
                                    })
                                });
                            }
                        });
                    });
                }
            });
            let mut names = BTreeMap::new();
            c.at("jwt", |c| {
                for (i, j) in self.security.jwt.iter().enumerate() {
                    c.idx(i, |c| {
                        dup(c, &mut names, j.name.to_string(), "JWT provider", "name");
                        c.at("scopes", |c| {
                            for (k, s) in j.scopes.iter().enumerate() {
                                c.idx(k, |c| idx.check_scope(c, s));
                            }
                        });
                    });
                }
            });
        });
    }
}

impl MeshBuilder {
    /// Builds the mesh and checks it ([`Mesh::validate`]).
    pub fn build(&self) -> Result<Mesh, BuildError> {
        let mesh = self.build_unchecked()?;
        mesh.validate()?;
        Ok(mesh)
    }
}

crate::error::plain_builder!(
    NamespaceConfig => NamespaceConfigBuilder,
);
