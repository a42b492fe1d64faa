//! The mesh's edges: ingress (traffic from outside) and egress (traffic to
//! services outside the mesh).

use derive_builder::Builder;
use serde::{Deserialize, Serialize};

use crate::error::{Check, Checker, Problem, checked_builder};
use crate::value::checked_string;
use crate::{BuildError, Hostname, IpBlock, Name, Port, Protocol, Route, rules};

checked_string!(
    /// The name of a Kubernetes object such as a Secret (a DNS-1123
    /// subdomain: `app-tls-secret`, `api.tls`).
    ObjectName,
    "object name (DNS-1123 subdomain)",
    rules::dns1123_subdomain
);

/// How an ingress listener handles TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum TlsMode {
    /// Terminate TLS with the credential (Istio SIMPLE).
    Terminate,
    /// Terminate TLS and require client certificates (Istio MUTUAL).
    Mutual,
    /// Pass TLS through to the backend, routing by SNI.
    Passthrough,
}

/// TLS on a listener.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ListenerTls {
    /// How TLS is handled.
    pub mode: TlsMode,
    /// The Secret with the certificate and key, in the ingress's namespace
    /// (required unless passthrough).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<ObjectName>,
}

/// The protocol an ingress listener speaks to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ListenerProtocol {
    /// Plain HTTP.
    Http,
    /// HTTPS (TLS terminated at the gateway).
    Https,
    /// TLS passed through by SNI.
    Tls,
}

/// A port the ingress gateway listens on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Listener {
    /// The port.
    pub port: Port,
    /// The protocol.
    pub protocol: ListenerProtocol,
    /// TLS (required for https and tls).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<ListenerTls>,
    /// Answer plain HTTP requests with a redirect to HTTPS.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub https_redirect: bool,
}

impl Check for Listener {
    fn check(&self, c: &mut Checker) {
        match (self.protocol, &self.tls) {
            (ListenerProtocol::Http, Some(_)) => c.error_at(
                "tls",
                Problem::NotAllowed {
                    what: "tls on an http listener",
                    hint: "use protocol https, or remove tls",
                },
            ),
            (ListenerProtocol::Https | ListenerProtocol::Tls, None) => c.error_at(
                "tls",
                Problem::Empty {
                    what: "tls (https and tls listeners need it)",
                },
            ),
            (ListenerProtocol::Https, Some(t)) if t.mode == TlsMode::Passthrough => {
                c.at("tls", |c| {
                    c.error_at(
                        "mode",
                        Problem::NotAllowed {
                            what: "passthrough on an https listener",
                            hint: "use protocol tls for passthrough",
                        },
                    )
                })
            }
            (ListenerProtocol::Tls, Some(t)) if t.mode != TlsMode::Passthrough => {
                c.at("tls", |c| {
                    c.error_at(
                        "mode",
                        Problem::NotAllowed {
                            what: "terminating TLS on a tls listener",
                            hint: "use protocol https to terminate",
                        },
                    )
                })
            }
            (_, Some(t)) if t.mode != TlsMode::Passthrough && t.credential.is_none() => {
                c.at("tls", |c| {
                    c.error_at(
                        "credential",
                        Problem::Empty {
                            what: "credential (the TLS Secret)",
                        },
                    )
                })
            }
            _ => {}
        }
        if self.https_redirect && self.protocol != ListenerProtocol::Http {
            c.error_at(
                "httpsRedirect",
                Problem::NotAllowed {
                    what: "httpsRedirect on a TLS listener",
                    hint: "set it on the plain http listener",
                },
            );
        }
    }
}

/// Traffic entering the mesh through a gateway.
///
/// ```yaml
/// name: api
/// namespace: production
/// hosts: [api.company.com]
/// listeners:
/// - {port: 443, protocol: https, tls: {mode: terminate, credential: app-tls-secret}}
/// routes:
/// - match: [{path: {prefix: /v2}}]
///   forward: {backends: [{service: app-service, version: v2}]}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Ingress {
    /// A name for the gateway configuration.
    pub name: Name,
    /// The namespace it is created in (TLS Secrets must be there too).
    pub namespace: Name,
    /// The host names served.
    #[builder(setter(each(name = "host")))]
    pub hosts: Vec<Hostname>,
    /// Ports and protocols.
    #[builder(setter(each(name = "listener")))]
    pub listeners: Vec<Listener>,
    /// Routes for requests to these hosts, first match wins; every backend
    /// names its service. Requests matching no route get 404.
    #[builder(default, setter(each(name = "route")))]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
}

impl Check for Ingress {
    fn check(&self, c: &mut Checker) {
        if self.hosts.is_empty() {
            c.error_at("hosts", Problem::Empty { what: "hosts" });
        }
        c.at("hosts", |c| {
            for (i, h) in self.hosts.iter().enumerate() {
                if let Some(j) = self.hosts[..i].iter().position(|g| g == h) {
                    c.idx(i, |c| {
                        c.error(Problem::Duplicate {
                            what: "host",
                            name: h.to_string(),
                            first: crate::FieldPath::new(format!("hosts[{j}]")),
                        })
                    });
                }
            }
        });
        if self.listeners.is_empty() {
            c.error_at("listeners", Problem::Empty { what: "listeners" });
        }
        c.at("listeners", |c| {
            for (i, l) in self.listeners.iter().enumerate() {
                c.idx(i, |c| {
                    l.check(c);
                    if let Some(j) = self.listeners[..i].iter().position(|m| m.port == l.port) {
                        c.error_at(
                            "port",
                            Problem::Duplicate {
                                what: "listener port",
                                name: l.port.to_string(),
                                first: crate::FieldPath::new(format!("listeners[{j}]")),
                            },
                        );
                    }
                });
            }
        });
        let only_redirect = self.listeners.iter().all(|l| l.https_redirect);
        if self.routes.is_empty()
            && !only_redirect
            && self
                .listeners
                .iter()
                .any(|l| l.protocol != ListenerProtocol::Tls)
        {
            c.error_at(
                "routes",
                Problem::Empty {
                    what: "routes (a gateway with no route serves nothing)",
                },
            );
        }
        c.at("routes", |c| {
            for (i, r) in self.routes.iter().enumerate() {
                c.idx(i, |c| {
                    crate::error::Check::check(r, c);
                    if let Some(f) = r.forward() {
                        for (j, b) in f.backends.iter().enumerate() {
                            if b.service.is_none() {
                                c.at("forward", |c| {
                                    c.at("backends", |c| {
                                        c.idx(j, |c| {
                                            c.error(Problem::ServiceRequired {
                                                context: "ingress routes",
                                            })
                                        })
                                    })
                                });
                            }
                        }
                        for (j, m) in f.mirrors.iter().enumerate() {
                            if m.service.is_none() {
                                c.at("forward", |c| {
                                    c.at("mirrors", |c| {
                                        c.idx(j, |c| {
                                            c.error(Problem::ServiceRequired {
                                                context: "ingress mirrors",
                                            })
                                        })
                                    })
                                });
                            }
                        }
                    }
                });
            }
        });
    }
}

/// How the mesh finds the addresses of an external service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum Resolution {
    /// Resolve the host names with DNS (the default).
    #[default]
    Dns,
    /// These addresses.
    Static(Vec<IpBlock>),
    /// Use the address the application connected to.
    Passthrough,
}

/// The mode of TLS the mesh originates to an external service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum OriginationMode {
    /// TLS, verifying the server.
    Simple,
    /// Mutual TLS with a client certificate.
    Mutual,
}

/// TLS the sidecar adds on the way out: the application speaks plain HTTP,
/// the mesh encrypts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct TlsOrigination {
    /// Simple or mutual.
    pub mode: OriginationMode,
    /// The SNI to send; by default the host.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sni: Option<Hostname>,
    /// The Secret holding the client certificate (mutual) and/or CA.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<ObjectName>,
}

/// A port of an external service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ExternalPort {
    /// The port the application connects to.
    pub number: Port,
    /// The protocol the application speaks on it.
    pub protocol: Protocol,
    /// The port the mesh connects to on the far side (TLS origination:
    /// the application calls 80, the mesh calls 443); default `number`.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<Port>,
}

/// A service outside the mesh that workloads may call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct ExternalService {
    /// A name for it.
    pub name: Name,
    /// The namespace its configuration lives in.
    pub namespace: Name,
    /// Its host names.
    #[builder(setter(each(name = "host")))]
    pub hosts: Vec<Hostname>,
    /// Its ports.
    #[builder(setter(each(name = "port")))]
    pub ports: Vec<ExternalPort>,
    /// How addresses are found.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub resolution: Resolution,
    /// TLS originated by the mesh.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsOrigination>,
}

impl Check for ExternalService {
    fn check(&self, c: &mut Checker) {
        if self.hosts.is_empty() {
            c.error_at("hosts", Problem::Empty { what: "hosts" });
        }
        if self.ports.is_empty() {
            c.error_at("ports", Problem::Empty { what: "ports" });
        }
        if let Resolution::Static(a) = &self.resolution
            && a.is_empty()
        {
            c.error_at(
                "resolution",
                Problem::Empty {
                    what: "static addresses",
                },
            );
        }
        if self.resolution == Resolution::Dns && self.hosts.iter().any(Hostname::is_wildcard) {
            c.error_at(
                "resolution",
                Problem::NotAllowed {
                    what: "DNS resolution of a wildcard host",
                    hint: "use resolution passthrough",
                },
            );
        }
        if let Some(t) = &self.tls {
            if t.mode == OriginationMode::Mutual && t.credential.is_none() {
                c.at("tls", |c| {
                    c.error_at(
                        "credential",
                        Problem::Empty {
                            what: "credential (mutual TLS needs a client certificate)",
                        },
                    )
                });
            }
            if self
                .ports
                .iter()
                .any(|p| p.protocol == Protocol::Https || p.protocol == Protocol::Tls)
            {
                c.error_at(
                    "tls",
                    Problem::Conflict(
                        "TLS origination encrypts plaintext from the application, but a port already speaks https/tls; \
                         declare the port as http (with targetPort 443) or drop `tls`",
                    ),
                );
            }
        }
    }
}

/// What workloads may reach outside the mesh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum OutboundPolicy {
    /// Only services of the model and declared external services (the
    /// default: zero trust).
    #[default]
    RegistryOnly,
    /// Any destination.
    AllowAny,
}

/// Egress settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, Builder)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[builder(
    try_setter,
    setter(into, strip_option),
    build_fn(private, name = "build_unchecked", error = "BuildError")
)]
pub struct Egress {
    /// What may be reached (default: registry only).
    #[builder(default)]
    #[serde(default, skip_serializing_if = "crate::service::is_default")]
    pub policy: OutboundPolicy,
    /// External services.
    #[builder(default)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ExternalService>,
}

impl Egress {
    /// Whether nothing is set beyond the defaults.
    pub fn is_default(&self) -> bool {
        self == &Egress::default()
    }
}

impl Check for Egress {
    fn check(&self, c: &mut Checker) {
        c.each("services", &self.services);
    }
}

checked_builder!(Ingress => IngressBuilder, ExternalService => ExternalServiceBuilder);

crate::error::plain_builder!(
    ListenerTls => ListenerTlsBuilder,
    TlsOrigination => TlsOriginationBuilder,
    ExternalPort => ExternalPortBuilder,
);
crate::error::checked_builder!(Listener => ListenerBuilder, Egress => EgressBuilder);
