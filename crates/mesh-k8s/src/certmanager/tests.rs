#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::*;
use crate::{GoDuration, check_kind};

#[test]
fn kinds_are_consistent() {
    check_kind::<CertificateSpec>().unwrap();
    check_kind::<IssuerSpec>().unwrap();
    check_kind::<ClusterIssuerSpec>().unwrap();
    check_kind::<BundleSpec>().unwrap();
}

/// The documents of Linkerd's "Automatically rotating control plane TLS
/// credentials" (2.17), written by hand, read and written back unchanged.
#[test]
fn linkerd_documented_objects_round_trip() {
    let docs = [
        json!({
            "apiVersion": "cert-manager.io/v1", "kind": "Issuer",
            "metadata": {"name": "linkerd-trust-root-issuer", "namespace": "cert-manager"},
            "spec": {"selfSigned": {}}
        }),
        json!({
            "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
            "metadata": {"name": "linkerd-trust-anchor", "namespace": "cert-manager"},
            "spec": {
                "issuerRef": {"kind": "Issuer", "name": "linkerd-trust-root-issuer"},
                "secretName": "linkerd-trust-anchor",
                "isCA": true,
                "commonName": "root.linkerd.cluster.local",
                "duration": "8760h0m0s",
                "renewBefore": "7320h0m0s",
                "privateKey": {"rotationPolicy": "Always", "algorithm": "ECDSA"}
            }
        }),
        json!({
            "apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer",
            "metadata": {"name": "linkerd-identity-issuer"},
            "spec": {"ca": {"secretName": "linkerd-trust-anchor"}}
        }),
        json!({
            "apiVersion": "trust.cert-manager.io/v1alpha1", "kind": "Bundle",
            "metadata": {"name": "linkerd-identity-trust-roots"},
            "spec": {
                "sources": [
                    {"secret": {"name": "linkerd-trust-anchor", "key": "tls.crt"}},
                    {"secret": {"name": "linkerd-previous-anchor", "key": "tls.crt"}}
                ],
                "target": {
                    "configMap": {"key": "ca-bundle.crt"},
                    "namespaceSelector": {"matchLabels": {"linkerd.io/is-control-plane": "true"}}
                }
            }
        }),
    ];
    for doc in docs {
        let back = match doc["kind"].as_str().unwrap() {
            "Issuer" => {
                serde_json::to_value(serde_json::from_value::<Issuer>(doc.clone()).unwrap())
            }
            "ClusterIssuer" => {
                serde_json::to_value(serde_json::from_value::<ClusterIssuer>(doc.clone()).unwrap())
            }
            "Certificate" => {
                serde_json::to_value(serde_json::from_value::<Certificate>(doc.clone()).unwrap())
            }
            "Bundle" => {
                serde_json::to_value(serde_json::from_value::<Bundle>(doc.clone()).unwrap())
            }
            other => panic!("{other}"),
        }
        .unwrap();
        assert_eq!(crate::testing::json_diff(&doc, &back), None, "{doc}");
    }
}

#[test]
fn strict_reading_rejects_what_cert_manager_would() {
    let bad = [
        // Unknown field.
        json!({"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
               "metadata": {"name": "c", "namespace": "n"},
               "spec": {"secretName": "s", "issuerRef": {"name": "i"}, "isCa": true}}),
        // Two issuer kinds at once.
        json!({"apiVersion": "cert-manager.io/v1", "kind": "Issuer",
               "metadata": {"name": "i", "namespace": "n"},
               "spec": {"selfSigned": {}, "ca": {"secretName": "s"}}}),
        // Unknown key usage.
        json!({"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
               "metadata": {"name": "c", "namespace": "n"},
               "spec": {"secretName": "s", "issuerRef": {"name": "i"}, "usages": ["cert-sign"]}}),
        // Bad Go duration.
        json!({"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
               "metadata": {"name": "c", "namespace": "n"},
               "spec": {"secretName": "s", "issuerRef": {"name": "i"}, "duration": "2 days"}}),
    ];
    for (i, doc) in bad.iter().enumerate() {
        let ok = match doc["kind"].as_str().unwrap() {
            "Issuer" => serde_json::from_value::<Issuer>(doc.clone()).is_ok(),
            _ => serde_json::from_value::<Certificate>(doc.clone()).is_ok(),
        };
        assert!(!ok, "bad document {i} was accepted");
    }
}

#[test]
fn every_certificate_field_is_written_with_its_wire_name() {
    let cert = Certificate::new(
        "c",
        Some("n"),
        CertificateSpec {
            secret_name: "s".into(),
            issuer_ref: IssuerRef::issuer("i"),
            common_name: Some("cn".into()),
            duration: Some(GoDuration::parse("48h0m0s").unwrap()),
            renew_before: Some(GoDuration::parse("25h0m0s").unwrap()),
            dns_names: vec!["a.example".into()],
            is_ca: Some(true),
            usages: vec![KeyUsage::CertSign, KeyUsage::CrlSign, KeyUsage::ServerAuth],
            private_key: Some(PrivateKey {
                rotation_policy: Some(RotationPolicy::Always),
                encoding: Some(KeyEncoding::Pkcs8),
                algorithm: Some(KeyAlgorithm::Ecdsa),
                size: Some(256),
            }),
            additional_output_formats: vec![OutputFormat {
                type_: OutputFormatType::CombinedPEM,
            }],
            keystores: Some(Keystores {
                pkcs12: Some(Pkcs12 {
                    create: true,
                    profile: Some(Pkcs12Profile::Modern2023),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        },
    );
    let got = serde_json::to_value(&cert).unwrap();
    let want = json!({
        "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
        "metadata": {"name": "c", "namespace": "n"},
        "spec": {
            "secretName": "s",
            "issuerRef": {"name": "i", "kind": "Issuer", "group": "cert-manager.io"},
            "commonName": "cn",
            "duration": "48h0m0s",
            "renewBefore": "25h0m0s",
            "dnsNames": ["a.example"],
            "isCA": true,
            "usages": ["cert sign", "crl sign", "server auth"],
            "privateKey": {"rotationPolicy": "Always", "encoding": "PKCS8", "algorithm": "ECDSA", "size": 256},
            "keystores": {"pkcs12": {"create": true, "profile": "Modern2023"}},
            "additionalOutputFormats": [{"type": "CombinedPEM"}]
        }
    });
    assert_eq!(crate::testing::json_diff(&want, &got), None);
    assert!(is_cert_manager(cert.api_version()));
    assert!(is_cert_manager("trust.cert-manager.io/v1alpha1"));
    assert!(!is_cert_manager("monitoring.coreos.com/v1"));
}

#[test]
fn vault_issuer_shape() {
    let issuer = ClusterIssuer::new(
        "vault",
        None,
        ClusterIssuerSpec(IssuerSpec::Vault(Box::new(VaultIssuer {
            server: "https://vault:8200".into(),
            path: "pki_int/sign/mesh".into(),
            auth: VaultAuth {
                kubernetes: Some(VaultKubernetesAuth {
                    role: "cert-manager".into(),
                    service_account_ref: Some(ServiceAccountRef {
                        name: "cert-manager".into(),
                        audiences: vec![],
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        }))),
    );
    let got = serde_json::to_value(&issuer).unwrap();
    assert_eq!(
        got["spec"],
        json!({"vault": {"server": "https://vault:8200", "path": "pki_int/sign/mesh",
               "auth": {"kubernetes": {"role": "cert-manager", "serviceAccountRef": {"name": "cert-manager"}}}}})
    );
    assert!(got["metadata"].get("namespace").is_none());
}
