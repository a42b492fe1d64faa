//! `Gateway` (networking.istio.io): the listeners (ports, hosts, TLS) of
//! a load balancer at the edge of the mesh, applied to the gateway
//! workloads its `selector` picks. VirtualServices bind to it by name.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{IstioStatus, checked_struct, wire_enum};

/// The spec of a `Gateway`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GatewaySpec {
    /// The listeners.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<Server>,
    /// Labels of the gateway pods this configuration applies to
    /// (`istio: ingressgateway`), searched in all namespaces unless
    /// `PILOT_SCOPE_GATEWAY_TO_NAMESPACE` is set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
}

impl mesh_k8s::Kind for GatewaySpec {
    const GROUP: &'static str = "networking.istio.io";
    const KIND: &'static str = "Gateway";
    const PLURAL: &'static str = "gateways";
    const VERSIONS: &'static [&'static str] = super::NETWORKING_VERSIONS;
    const API_VERSIONS: &'static [&'static str] = super::NETWORKING_API_VERSIONS;
    const APPLY_ORDER: mesh_k8s::ApplyOrder = mesh_k8s::ApplyOrder::Gateway;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = IstioStatus;
}

/// A typed Istio `Gateway`.
pub type Gateway = mesh_k8s::Object<GatewaySpec>;

/// One listener of a gateway.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Server {
    /// The port to listen on (required).
    pub port: Port,
    /// IP address or Unix socket to bind to. Default: all addresses.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub bind: Option<String>,
    /// Hosts exposed, optionally `namespace/host` to limit which
    /// namespaces' VirtualServices may bind (`*/foo.example.com`,
    /// `./*`). Required.
    pub hosts: Vec<String>,
    /// TLS settings (required for HTTPS and TLS ports).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub tls: Option<ServerTlsSettings>,
    /// Where traffic goes when no route matches (unused).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub default_endpoint: Option<String>,
    /// Name of the server, unique across the gateway's servers.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
}

/// A listening port of a gateway (every field but `targetPort`
/// required).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Port {
    /// The port number.
    pub number: u32,
    /// `HTTP`, `HTTPS`, `GRPC`, `GRPC-WEB`, `HTTP2`, `MONGO`, `TCP` or
    /// `TLS`.
    pub protocol: String,
    /// Name of the port.
    pub name: String,
    /// Deprecated: the port on the pod.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub target_port: Option<u32>,
}

/// TLS settings of a listener (gateway server or sidecar ingress). At
/// most one of `credentialNames` and `tlsCertificates`, and not both of
/// `credentialName` and `credentialNames`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ServerTlsSettings {
    /// Redirect plain HTTP requests to HTTPS with a 301.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub https_redirect: Option<bool>,
    /// The TLS mode. Default: `SIMPLE`.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub mode: Option<ServerTlsMode>,
    /// Server certificate file (with `SIMPLE` or `MUTUAL`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub server_certificate: Option<String>,
    /// Private key file (with `SIMPLE` or `MUTUAL`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub private_key: Option<String>,
    /// CA certificates file to verify clients (with `MUTUAL`).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_certificates: Option<String>,
    /// Certificate revocation list file.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_crl: Option<String>,
    /// Secret holding the certificate, key and CA (in the gateway's
    /// namespace).
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub credential_name: Option<String>,
    /// One or two secrets (an RSA and an ECDSA certificate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credential_names: Vec<String>,
    /// One or two certificate/key file pairs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls_certificates: Vec<TlsCertificate>,
    /// Subject alternative names accepted in client certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
    /// Accepted SPKI hashes (base64 SHA-256) of client certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_certificate_spki: Vec<String>,
    /// Accepted hashes (hex SHA-256) of client certificates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_certificate_hash: Vec<String>,
    /// Minimum TLS version. Default: 1.2.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_protocol_version: Option<TlsProtocolVersion>,
    /// Maximum TLS version. Default: 1.3.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_protocol_version: Option<TlsProtocolVersion>,
    /// Allowed cipher suites. Default: Envoy's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    /// Secret or ConfigMap holding the CA certificates for client
    /// verification.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_cert_credential_name: Option<String>,
}

checked_struct!(ServerTlsSettings, |t| {
    if !t.credential_names.is_empty() && !t.tls_certificates.is_empty() {
        return Err("only one of credentialNames or tlsCertificates can be set".into());
    }
    if t.credential_name.is_some() && !t.credential_names.is_empty() {
        return Err("only one of credentialName or credentialNames can be set".into());
    }
    if t.credential_names.len() > 2 || t.tls_certificates.len() > 2 {
        return Err("credentialNames and tlsCertificates: at most 2 items".into());
    }
    Ok(())
});

/// A certificate and key given as files.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TlsCertificate {
    /// Certificate file.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub server_certificate: Option<String>,
    /// Private key file.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub private_key: Option<String>,
    /// CA certificates file.
    #[serde(
        default,
        deserialize_with = "crate::crds::common::non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ca_certificates: Option<String>,
}

wire_enum!(
    /// TLS mode of a listener.
    ServerTlsMode {
        /// Forward the TLS connection by SNI without terminating it.
        Passthrough = "PASSTHROUGH",
        /// Terminate TLS.
        Simple = "SIMPLE",
        /// Terminate TLS, requiring a client certificate.
        Mutual = "MUTUAL",
        /// Forward by SNI without terminating, no VirtualService needed
        /// (east-west gateways).
        AutoPassthrough = "AUTO_PASSTHROUGH",
        /// Terminate Istio mutual TLS.
        IstioMutual = "ISTIO_MUTUAL",
        /// Terminate TLS, verifying a client certificate if one is sent.
        OptionalMutual = "OPTIONAL_MUTUAL",
    }
);

wire_enum!(
    /// A TLS protocol version.
    TlsProtocolVersion {
        /// Envoy's default.
        TlsAuto = "TLS_AUTO",
        /// TLS 1.0.
        Tlsv1_0 = "TLSV1_0",
        /// TLS 1.1.
        Tlsv1_1 = "TLSV1_1",
        /// TLS 1.2.
        Tlsv1_2 = "TLSV1_2",
        /// TLS 1.3.
        Tlsv1_3 = "TLSV1_3",
    }
);
