//! Table tests: one passing and one failing input per rule, and the
//! corpus.

use mesh_k8s::parse::{ParseObject, read_stream};
use mesh_model::analyze::{Code, Severity};

use super::{Options, Resource, Source, analyze};
use crate::lower::ConsulObject;

/// Reads a YAML stream as analyzer input; panics on a document that does
/// not parse.
fn input(file: &str, text: &str) -> Vec<(Source, Resource)> {
    let (docs, errors) = read_stream(file, text);
    assert!(errors.is_empty(), "{errors:?}");
    docs.into_iter()
        .map(|d| {
            let o = ConsulObject::from_document(&d.api_version, &d.kind, d.value)
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            (Source::new(file, d.document + 1), Resource::Consul(o))
        })
        .collect()
}

fn codes(text: &str) -> Vec<Code> {
    analyze(&input("t.yaml", text), &Options::default())
        .into_iter()
        .map(|d| d.code)
        .collect()
}

fn entry(kind: &str, name: &str, spec: &str) -> String {
    format!(
        "apiVersion: consul.hashicorp.com/v1alpha1\nkind: {kind}\nmetadata: {{name: {name}}}\nspec:\n{spec}"
    )
}

fn stream(parts: &[&str]) -> String {
    parts.join("---\n")
}

struct Case {
    name: &'static str,
    code: Code,
    good: String,
    bad: String,
}

fn cases() -> Vec<Case> {
    let http_defaults = entry("ServiceDefaults", "web", "  protocol: http\n");
    let resolver = entry(
        "ServiceResolver",
        "web",
        "  subsets:\n    v1: {filter: \"Service.Meta.version == v1\"}\n    v2: {filter: \"Service.Meta.version == v2\"}\n",
    );
    let splitter = |splits: &str| entry("ServiceSplitter", "web", &format!("  splits: {splits}\n"));
    let router = |route: &str| entry("ServiceRouter", "web", &format!("  routes:\n  - {route}\n"));
    let intentions = |spec: &str| entry("ServiceIntentions", "web", spec);
    let ingress = |listeners: &str| {
        entry(
            "IngressGateway",
            "ingress-gateway",
            &format!("  listeners: {listeners}\n"),
        )
    };
    vec![
        Case {
            name: "proxy defaults name",
            code: Code::ConsulEntryName,
            good: entry("ProxyDefaults", "global", "  config: {protocol: http}\n"),
            bad: entry("ProxyDefaults", "web", "  config: {protocol: http}\n"),
        },
        Case {
            name: "mesh name",
            code: Code::ConsulEntryName,
            good: entry(
                "Mesh",
                "mesh",
                "  transparentProxy: {meshDestinationsOnly: true}\n",
            ),
            bad: entry(
                "Mesh",
                "default",
                "  transparentProxy: {meshDestinationsOnly: true}\n",
            ),
        },
        Case {
            name: "upstream override name",
            code: Code::ConsulServiceDefaultsInvalid,
            good: entry(
                "ServiceDefaults",
                "web",
                "  upstreamConfig:\n    overrides: [{name: api, connectTimeoutMs: 500}]\n",
            ),
            bad: entry(
                "ServiceDefaults",
                "web",
                "  upstreamConfig:\n    overrides: [{connectTimeoutMs: 500}]\n",
            ),
        },
        Case {
            name: "destination address",
            code: Code::ConsulServiceDefaultsInvalid,
            good: entry(
                "ServiceDefaults",
                "ext",
                "  destination: {addresses: [api.example.com, 10.0.0.1], port: 443}\n",
            ),
            bad: entry(
                "ServiceDefaults",
                "ext",
                "  destination: {addresses: [\"https://api.example.com\"], port: 443}\n",
            ),
        },
        Case {
            name: "resolver default subset",
            code: Code::ConsulResolverInvalid,
            good: resolver.replace("  subsets:", "  defaultSubset: v1\n  subsets:"),
            bad: resolver.replace("  subsets:", "  defaultSubset: v3\n  subsets:"),
        },
        Case {
            name: "resolver redirect with subsets",
            code: Code::ConsulResolverInvalid,
            good: entry("ServiceResolver", "web", "  redirect: {service: web-v2}\n"),
            bad: resolver.replace("  subsets:", "  redirect: {service: web-v2}\n  subsets:"),
        },
        Case {
            name: "resolver hash policies need a hashing policy",
            code: Code::ConsulResolverInvalid,
            good: entry(
                "ServiceResolver",
                "web",
                "  loadBalancer:\n    policy: maglev\n    hashPolicies: [{field: header, fieldValue: x-user}]\n",
            ),
            bad: entry(
                "ServiceResolver",
                "web",
                "  loadBalancer:\n    policy: random\n    hashPolicies: [{field: header, fieldValue: x-user}]\n",
            ),
        },
        Case {
            name: "router path prefix",
            code: Code::ConsulRouterInvalid,
            good: stream(&[
                &http_defaults,
                &router("match: {http: {pathPrefix: /api}}\n    destination: {service: api}"),
            ]),
            bad: stream(&[
                &http_defaults,
                &router("match: {http: {pathPrefix: api}}\n    destination: {service: api}"),
            ]),
        },
        Case {
            name: "router prefix rewrite",
            code: Code::ConsulRouterInvalid,
            good: stream(&[
                &http_defaults,
                &router(
                    "match: {http: {pathPrefix: /api}}\n    destination: {service: api, prefixRewrite: /}",
                ),
            ]),
            bad: stream(&[
                &http_defaults,
                &router(
                    "match: {http: {header: [{name: x-a, present: true}]}}\n    destination: {service: api, prefixRewrite: /}",
                ),
            ]),
        },
        Case {
            name: "split weights",
            code: Code::ConsulSplitInvalid,
            good: stream(&[
                &http_defaults,
                &resolver,
                &splitter("[{weight: 90, serviceSubset: v1}, {weight: 10, serviceSubset: v2}]"),
            ]),
            bad: stream(&[
                &http_defaults,
                &resolver,
                &splitter("[{weight: 90, serviceSubset: v1}, {weight: 20, serviceSubset: v2}]"),
            ]),
        },
        Case {
            name: "intentions duplicate source",
            code: Code::ConsulIntentionsInvalid,
            good: intentions(
                "  destination: {name: web}\n  sources: [{name: api, action: allow}, {name: admin, action: allow}]\n",
            ),
            bad: intentions(
                "  destination: {name: web}\n  sources: [{name: api, action: allow}, {name: api, action: deny}]\n",
            ),
        },
        Case {
            name: "intentions wildcard namespace",
            code: Code::ConsulIntentionsInvalid,
            good: intentions(
                "  destination: {name: web}\n  sources: [{name: \"*\", namespace: \"*\", action: deny}]\n",
            ),
            bad: intentions(
                "  destination: {name: web}\n  sources: [{name: api, namespace: \"*\", action: deny}]\n",
            ),
        },
        Case {
            name: "intentions destination name",
            code: Code::ConsulIntentionsInvalid,
            good: intentions(
                "  destination: {name: web}\n  sources: [{name: api, action: allow}]\n",
            ),
            bad: intentions(
                "  destination: {namespace: default}\n  sources: [{name: api, action: allow}]\n",
            ),
        },
        Case {
            name: "intentions permission path",
            code: Code::ConsulIntentionsInvalid,
            good: intentions(
                "  destination: {name: web}\n  sources:\n  - name: api\n    permissions: [{action: allow, http: {pathPrefix: /v1}}]\n",
            ),
            bad: intentions(
                "  destination: {name: web}\n  sources:\n  - name: api\n    permissions: [{action: allow, http: {pathPrefix: v1}}]\n",
            ),
        },
        Case {
            name: "ingress tcp listener services",
            code: Code::ConsulGatewayListenerInvalid,
            good: ingress("[{port: 8080, protocol: tcp, services: [{name: db}]}]"),
            bad: ingress("[{port: 8080, protocol: tcp, services: [{name: db}, {name: cache}]}]"),
        },
        Case {
            name: "ingress duplicate port",
            code: Code::ConsulGatewayListenerInvalid,
            good: ingress(
                "[{port: 8080, protocol: http, services: [{name: web}]}, {port: 8081, protocol: http, services: [{name: api}]}]",
            ),
            bad: ingress(
                "[{port: 8080, protocol: http, services: [{name: web}]}, {port: 8080, protocol: http, services: [{name: api}]}]",
            ),
        },
        Case {
            name: "ingress wildcard hosts",
            code: Code::ConsulGatewayListenerInvalid,
            good: ingress("[{port: 8080, protocol: http, services: [{name: \"*\"}]}]"),
            bad: ingress(
                "[{port: 8080, protocol: http, services: [{name: \"*\", hosts: [web.example.com]}]}]",
            ),
        },
        Case {
            name: "terminating gateway cert without key",
            code: Code::ConsulGatewayListenerInvalid,
            good: entry(
                "TerminatingGateway",
                "terminating-gateway",
                "  services: [{name: ext, caFile: /ca.pem, certFile: /c.pem, keyFile: /k.pem}]\n",
            ),
            bad: entry(
                "TerminatingGateway",
                "terminating-gateway",
                "  services: [{name: ext, caFile: /ca.pem, certFile: /c.pem}]\n",
            ),
        },
        Case {
            name: "jwt remote uri",
            code: Code::ConsulJwtProviderInvalid,
            good: entry(
                "JWTProvider",
                "okta",
                "  issuer: okta\n  jsonWebKeySet: {remote: {uri: \"https://okta.example/keys\"}}\n",
            ),
            bad: entry(
                "JWTProvider",
                "okta",
                "  issuer: okta\n  jsonWebKeySet: {remote: {uri: \"okta.example/keys\"}}\n",
            ),
        },
        Case {
            name: "splitter on tcp service",
            code: Code::ConsulL7OnTcp,
            good: stream(&[
                &http_defaults,
                &resolver,
                &splitter("[{weight: 100, serviceSubset: v1}]"),
            ]),
            bad: stream(&[
                &entry("ServiceDefaults", "web", "  protocol: tcp\n"),
                &resolver,
                &splitter("[{weight: 100, serviceSubset: v1}]"),
            ]),
        },
        Case {
            name: "router on service without protocol, global tcp",
            code: Code::ConsulL7OnTcp,
            good: stream(&[
                &entry("ProxyDefaults", "global", "  config: {protocol: http}\n"),
                &router("destination: {service: api}"),
            ]),
            bad: stream(&[
                &entry("ProxyDefaults", "global", "  config: {protocol: tcp}\n"),
                &router("destination: {service: api}"),
            ]),
        },
        Case {
            name: "subset not defined",
            code: Code::ConsulSubsetNotDefined,
            good: stream(&[
                &http_defaults,
                &resolver,
                &splitter("[{weight: 50, serviceSubset: v1}, {weight: 50, serviceSubset: v2}]"),
            ]),
            bad: stream(&[
                &http_defaults,
                &resolver,
                &splitter("[{weight: 50, serviceSubset: v1}, {weight: 50, serviceSubset: v3}]"),
            ]),
        },
        Case {
            name: "router subset without resolver",
            code: Code::ConsulSubsetNotDefined,
            good: stream(&[
                &http_defaults,
                &resolver,
                &router("destination: {serviceSubset: v2}"),
            ]),
            bad: stream(&[&http_defaults, &router("destination: {serviceSubset: v2}")]),
        },
    ]
}

#[test]
fn rules_table() {
    let mut failures = Vec::new();
    for case in cases() {
        let good = codes(&case.good);
        let bad = codes(&case.bad);
        if good.contains(&case.code) {
            failures.push(format!(
                "{}: passing input reported {:?}: {good:?}",
                case.name, case.code
            ));
        }
        if !bad.contains(&case.code) {
            failures.push(format!(
                "{}: failing input did not report {:?}: {bad:?}",
                case.name, case.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn intentions_without_sources_is_a_warning() {
    let text = entry("ServiceIntentions", "web", "  destination: {name: web}\n");
    let found = analyze(&input("t.yaml", &text), &Options::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::ConsulIntentionsInvalid);
    assert_eq!(found[0].severity, Severity::Warning);
    assert_eq!(found[0].location.to_string(), "t.yaml#1: spec.sources");
}

/// Errors the Consul corpus really has: (a part of the location, the code,
/// why).
const CORPUS_EXPECTED: &[(&str, Code, &str)] = &[];

#[test]
fn corpus_has_no_unexpected_errors() {
    let shared = match mesh_k8s::testing::require_shared() {
        Ok(p) => p,
        Err(why) => {
            assert!(!mesh_k8s::testing::in_ci(), "{why}");
            eprintln!("skipped: {why}");
            return;
        }
    };
    let root = shared.join("corpus/consul");
    // One input per example: a learn tutorial's files
    // (`learn__<tutorial>_<file>.yaml`) together, other files alone (the
    // examples are independent and share service names).
    let group_of = |path: &std::path::Path| -> String {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match name
            .strip_prefix("learn__")
            .and_then(|rest| rest.split_once('_'))
        {
            Some((tutorial, _)) => format!("learn__{tutorial}"),
            None => path.display().to_string(),
        }
    };
    let mut by_file: Vec<(String, Vec<(Source, Resource)>)> = Vec::new();
    for d in mesh_k8s::testing::read_corpus(&root) {
        let Ok(value) = d.value else { continue };
        let Some((api, kind)) = mesh_k8s::testing::type_of(&value) else {
            continue;
        };
        let (api, kind) = (api.to_owned(), kind.to_owned());
        let Ok(o) = ConsulObject::from_document(&api, &kind, value) else {
            continue;
        };
        let file = d.path.display().to_string();
        let group = group_of(&d.path);
        if by_file.last().is_none_or(|(g, _)| *g != group) {
            by_file.push((group, Vec::new()));
        }
        if let Some((_, items)) = by_file.last_mut() {
            items.push((Source::new(file, d.index + 1), Resource::Consul(o)));
        }
    }
    assert!(!by_file.is_empty(), "no Consul object read from the corpus");
    let mut unexpected = Vec::new();
    for (_, items) in &by_file {
        for d in analyze(items, &Options::default()) {
            if d.severity != Severity::Error {
                continue;
            }
            let location = d.location.to_string();
            let listed = CORPUS_EXPECTED
                .iter()
                .any(|(part, code, _)| location.contains(part) && *code == d.code);
            if !listed {
                unexpected.push(format!(
                    "{}[{}] {location}: {}",
                    d.severity, d.code, d.message
                ));
            }
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}
