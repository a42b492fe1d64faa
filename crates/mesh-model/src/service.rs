//! Services, their ports and versions, and the identities workloads run as.

use std::fmt;

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::{BuildError, LabelKey, LabelValue, Labels, Name, Port, Resilience, Route};

/// Who a workload is: a Kubernetes service account in a namespace.
///
/// Each backend renders it its own way: Istio principal
/// `cluster.local/ns/N/sa/S` (with the mesh's trust domain), Linkerd
/// `S.N.serviceaccount.identity.linkerd.cluster.local` or a ServiceAccount
/// reference, Consul the source service name.
///
/// ```
/// use mesh_model::Identity;
/// let id = Identity::new("default", "sleep").unwrap();
/// assert_eq!(id.to_string(), "default/sleep");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Identity {
    /// The namespace of the service account.
    pub namespace: Name,
    /// The service account's name.
    pub service_account: Name,
}

impl Identity {
    /// The identity of service account `service_account` in `namespace`.
    pub fn new(namespace: &str, service_account: &str) -> Result<Self, crate::ValueError> {
        Ok(Identity {
            namespace: Name::new(namespace)?,
            service_account: Name::new(service_account)?,
        })
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.service_account)
    }
}

/// A reference to a service by name and namespace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ServiceRef {
    /// The service's name.
    pub name: Name,
    /// The service's namespace.
    pub namespace: Name,
}

impl ServiceRef {
    /// `name` in `namespace`.
    pub fn new(name: &str, namespace: &str) -> Result<Self, crate::ValueError> {
        Ok(ServiceRef {
            name: Name::new(name)?,
            namespace: Name::new(namespace)?,
        })
    }
}

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// The application protocol on a port. Meshes need to know it: Istio guesses
/// when it is not said (and treats unnamed ports as opaque TCP), Consul needs
/// `http` for any L7 feature, Linkerd detects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// HTTP/1.1 (and HTTP/2 when both sides agree).
    Http,
    /// HTTP/2 (prior knowledge).
    Http2,
    /// gRPC (HTTP/2).
    Grpc,
    /// HTTPS: TLS that the application itself terminates.
    Https,
    /// TLS of another protocol, routed by SNI.
    Tls,
    /// Opaque TCP.
    Tcp,
}

impl Protocol {
    /// Whether the mesh can see requests on this port (routing, retries,
    /// L7 authorization work).
    pub fn is_l7(self) -> bool {
        matches!(self, Protocol::Http | Protocol::Http2 | Protocol::Grpc)
    }

    /// The name Kubernetes port names and Istio use (`http`, `grpc`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "http",
            Protocol::Http2 => "http2",
            Protocol::Grpc => "grpc",
            Protocol::Https => "https",
            Protocol::Tls => "tls",
            Protocol::Tcp => "tcp",
        }
    }
}

/// A port a service listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ServicePort {
    /// The port clients connect to.
    pub number: Port,
    /// The application protocol. Required: guessing it is the source of
    /// Istio's "unnamed port" pitfall.
    pub protocol: Protocol,
    /// The port's name; by default `<protocol>` or `<protocol>-<number>`
    /// when the service has several ports of one protocol (the Istio
    /// naming convention).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// The container port traffic is delivered to; by default `number`.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<Port>,
}

impl Check for ServicePort {
    fn check(&self, _c: &mut Checker) {}
}

/// A version of a service: the pods of one release, told apart by labels.
/// Routes and resilience settings can target a version (Istio subset,
/// Consul resolver subset, a per-version Service in Linkerd).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Version {
    /// The version's name (`v1`, `canary`).
    pub name: Name,
    /// The pod labels that select this version, in addition to the
    /// service's selector; by default `version: <name>`.
    #[builder(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<crate::LabelKey, crate::LabelValue>")
    )]
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    /// Resilience settings for this version only. Each field set here
    /// replaces the service's for this version; fields left out are
    /// inherited (unlike Istio's subset policies, which replace whole
    /// sections: backends emit the merged result).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resilience: Option<Resilience>,
}

impl Version {
    /// The labels that select this version's pods (besides the service's
    /// selector): `labels`, or `version: <name>` when empty.
    pub fn pod_labels(&self) -> Labels {
        if self.labels.is_empty() {
            let mut l = Labels::new();
            if let (Ok(k), Ok(v)) = (
                LabelKey::new("version"),
                LabelValue::new(self.name.as_str()),
            ) {
                l.insert(k, v);
            }
            l
        } else {
            self.labels.clone()
        }
    }
}

impl Check for Version {
    fn check(&self, c: &mut Checker) {
        c.opt("resilience", &self.resilience);
    }
}

/// What a request to a service gets when it matches none of the service's
/// routes (and the service has routes). Meshes disagree here (Istio and
/// Gateway API answer 404, Consul forwards to the service), so the model
/// says it and backends make their mesh do exactly that.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Unmatched {
    /// Forward to the service itself, across all its versions (the default).
    #[default]
    Service,
    /// Forward to one version of the service (Consul's `defaultSubset`).
    Version(Name),
    /// Answer 404 Not Found.
    NotFound,
}

/// A service in the mesh: a Kubernetes Service and the workloads behind it.
///
/// ```
/// use mesh_model::{ServiceBuilder, ServicePortBuilder, Protocol, Port, Name, VersionBuilder};
/// let svc = ServiceBuilder::default()
///     .name(Name::new("reviews")?)
///     .namespace(Name::new("bookinfo")?)
///     .port(ServicePortBuilder::default().number(Port::new(9080)?).protocol(Protocol::Http).build()?)
///     .version(VersionBuilder::default().name(Name::new("v1")?).build()?)
///     .version(VersionBuilder::default().name(Name::new("v2")?).build()?)
///     .build()?;
/// assert_eq!(svc.identity().to_string(), "bookinfo/reviews");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Service {
    /// The Service's name (a DNS-1035 label: starts with a letter).
    pub name: Name,
    /// The namespace it lives in.
    pub namespace: Name,
    /// The ports it serves, each with its protocol.
    #[builder(default, setter(each(name = "port")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    /// Its versions, when traffic is to be split or routed between them.
    #[builder(default, setter(each(name = "version")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<Version>,
    /// The pod labels that select its workloads; by default `app: <name>`.
    #[builder(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::map::<crate::LabelKey, crate::LabelValue>")
    )]
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub selector: Labels,
    /// The service account its workloads run as; by default the service's
    /// name (the rule consul-k8s enforces, and a good one everywhere).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<Name>,
    /// Routes for requests to this service, in order: the first that
    /// matches wins.
    #[builder(default, setter(each(name = "route")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// What requests that match no route get.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "is_default")]
    pub unmatched: Unmatched,
    /// Connection limits, outlier detection, load balancing, rate limits,
    /// default timeout and retries for traffic to this service.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Resilience::is_empty")]
    pub resilience: Resilience,
    /// Namespaces whose workloads may see this service's traffic
    /// configuration (Istio `exportTo`); empty means every namespace.
    #[builder(default, setter(each(name = "export_to_namespace")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_to: Vec<Name>,
}

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

impl Service {
    /// A reference to this service.
    pub fn reference(&self) -> ServiceRef {
        ServiceRef {
            name: self.name.clone(),
            namespace: self.namespace.clone(),
        }
    }

    /// The identity its workloads run as.
    pub fn identity(&self) -> Identity {
        Identity {
            namespace: self.namespace.clone(),
            service_account: self
                .service_account
                .clone()
                .unwrap_or_else(|| self.name.clone()),
        }
    }

    /// The pod labels selecting its workloads: `selector`, or `app: <name>`.
    pub fn pod_selector(&self) -> Labels {
        if self.selector.is_empty() {
            let mut l = Labels::new();
            if let (Ok(k), Ok(v)) = (LabelKey::new("app"), LabelValue::new(self.name.as_str())) {
                l.insert(k, v);
            }
            l
        } else {
            self.selector.clone()
        }
    }

    /// The version called `name`.
    pub fn version(&self, name: &str) -> Option<&Version> {
        self.versions.iter().find(|v| v.name == name)
    }

    /// The resilience settings in force for `version` (the service's,
    /// overridden field by field by the version's), or the service's.
    pub fn resilience_for(&self, version: Option<&str>) -> Resilience {
        match version
            .and_then(|v| self.version(v))
            .and_then(|v| v.resilience.as_ref())
        {
            Some(over) => self.resilience.merged(over),
            None => self.resilience.clone(),
        }
    }

    /// The name of a port: its own, else `<protocol>` (or
    /// `<protocol>-<number>` when another port has the same protocol).
    pub fn port_name(&self, port: &ServicePort) -> String {
        if let Some(n) = &port.name {
            return n.to_string();
        }
        let same = self
            .ports
            .iter()
            .filter(|p| p.protocol == port.protocol)
            .count();
        if same > 1 {
            format!("{}-{}", port.protocol.as_str(), port.number)
        } else {
            port.protocol.as_str().to_owned()
        }
    }

    /// Whether any port speaks HTTP, HTTP/2 or gRPC.
    pub fn is_l7(&self) -> bool {
        self.ports.iter().any(|p| p.protocol.is_l7())
    }
}

impl Check for Service {
    fn check(&self, c: &mut Checker) {
        if crate::rules::dns1035_label(self.name.as_str()).is_err() {
            c.error_at(
                "name",
                Problem::ServiceName {
                    name: self.name.to_string(),
                },
            );
        }
        c.at("ports", |c| {
            for (i, p) in self.ports.iter().enumerate() {
                c.idx(i, |c| {
                    p.check(c);
                    if let Some(j) = self.ports[..i].iter().position(|q| q.number == p.number) {
                        c.error_at(
                            "number",
                            Problem::Duplicate {
                                what: "port",
                                name: p.number.to_string(),
                                first: crate::FieldPath::new(format!("ports[{j}]")),
                            },
                        );
                    }
                    if let Some(n) = &p.name
                        && let Some(j) = self.ports[..i]
                            .iter()
                            .position(|q| q.name.as_ref() == Some(n))
                    {
                        c.error_at(
                            "name",
                            Problem::Duplicate {
                                what: "port name",
                                name: n.to_string(),
                                first: crate::FieldPath::new(format!("ports[{j}]")),
                            },
                        );
                    }
                });
            }
        });
        c.at("versions", |c| {
            for (i, v) in self.versions.iter().enumerate() {
                c.idx(i, |c| {
                    v.check(c);
                    if let Some(j) = self.versions[..i].iter().position(|w| w.name == v.name) {
                        c.error_at(
                            "name",
                            Problem::Duplicate {
                                what: "version",
                                name: v.name.to_string(),
                                first: crate::FieldPath::new(format!("versions[{j}]")),
                            },
                        );
                    }
                });
            }
        });
        c.at("routes", |c| {
            for (i, r) in self.routes.iter().enumerate() {
                c.idx(i, |c| {
                    r.check(c);
                    if let Some(n) = &r.name
                        && let Some(j) = self.routes[..i]
                            .iter()
                            .position(|q| q.name.as_ref() == Some(n))
                    {
                        c.error_at(
                            "name",
                            Problem::Duplicate {
                                what: "route name",
                                name: n.to_string(),
                                first: crate::FieldPath::new(format!("routes[{j}]")),
                            },
                        );
                    }
                });
            }
        });
        if !self.routes.is_empty() && !self.is_l7() && !self.ports.is_empty() {
            c.error_at(
                "routes",
                Problem::NotAllowed {
                    what: "HTTP routes on a service without an HTTP, HTTP/2 or gRPC port",
                    hint: "give the service a port with protocol http, http2 or grpc",
                },
            );
        }
        c.at("resilience", |c| self.resilience.check(c));
    }
}

checked_builder!(Service => ServiceBuilder, Version => VersionBuilder, ServicePort => ServicePortBuilder);

crate::error::plain_builder!(
    Identity => IdentityBuilder,
    ServiceRef => ServiceRefBuilder,
);
