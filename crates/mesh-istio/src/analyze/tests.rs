use std::collections::BTreeMap;
use std::path::Path;

use mesh_k8s::testing;
use mesh_model::analyze::Code;
use serde_json::Value;

use super::*;

/// One test case of upstream's analyzer test grid (EXPECTED.md).
#[derive(Debug, Default)]
struct Case {
    title: String,
    analyzer: String,
    inputs: Vec<String>,
    missing_input: bool,
    mesh_config: Option<String>,
    multi_cluster: bool,
    expected: Vec<(String, String)>,
}

fn backticked(line: &str) -> Vec<String> {
    line.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn parse_expected(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut cur: Option<Case> = None;
    for line in text.lines() {
        if let Some(t) = line.strip_prefix("### ") {
            cases.extend(cur.take());
            cur = Some(Case {
                title: t.to_owned(),
                ..Case::default()
            });
            continue;
        }
        if line.starts_with("## ") {
            cases.extend(cur.take());
            continue;
        }
        let Some(c) = cur.as_mut() else { continue };
        if let Some(rest) = line.strip_prefix("- analyzer: ") {
            c.analyzer = backticked(rest).remove(0);
        } else if let Some(rest) = line.strip_prefix("- inputs: ") {
            c.missing_input = rest.contains("not in corpus");
            c.inputs = backticked(rest);
        } else if let Some(rest) = line.strip_prefix("- mesh config: ") {
            c.mesh_config = backticked(rest).into_iter().next();
        } else if line.starts_with("- mesh networks: ") || line.starts_with("- multi-cluster") {
            c.multi_cluster = true;
        } else if let Some(rest) = line.strip_prefix("  - IST") {
            let code = format!("IST{}", &rest[..4]);
            let object = backticked(rest).remove(0);
            c.expected.push((code, object));
        }
    }
    cases.extend(cur);
    cases
}

/// Reads a file's documents as analyzer input (expanding `List`s); returns
/// the documents a typed parser refused, with why.
fn read_input(path: &Path, out: &mut Vec<(Source, Resource)>) -> Vec<String> {
    let file = path.display().to_string();
    let mut refused = Vec::new();
    for d in testing::read_corpus(path) {
        let Ok(v) = d.value else {
            refused.push(format!("document {}: unreadable", d.index));
            continue;
        };
        let source = Source::new(file.clone(), d.index + 1);
        let items: Vec<(Source, Value)> = if v["kind"] == "List" {
            v["items"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, item)| (source.clone().item(i), item.clone()))
                .collect()
        } else {
            vec![(source, v)]
        };
        for (s, item) in items {
            match resource_from_value(item) {
                Ok(Some(r)) => out.push((s, r)),
                Ok(None) => {}
                Err(e) => refused.push(format!("document {}: {e}", d.index)),
            }
        }
    }
    refused
}

fn object_name(r: &Resource) -> String {
    use mesh_k8s::Manifest;
    let m: (
        &str,
        &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    ) = match r {
        Resource::Istio(o) => (o.kind(), o.metadata()),
        Resource::Pod(p) => ("Pod", &p.metadata),
        Resource::Deployment(d) => ("Deployment", &d.metadata),
        Resource::Secret(s) => ("Secret", &s.metadata),
        Resource::Node(n) => ("Node", &n.metadata),
        Resource::WasmPlugin(w) => ("WasmPlugin", w.metadata()),
    };
    let name = m.1.name.as_deref().unwrap_or("");
    match m.1.namespace.as_deref() {
        Some(ns) => format!("{} {ns}/{name}", m.0),
        None => format!("{} {name}", m.0),
    }
}

/// Cases whose expectations this crate cannot meet, with why, and the
/// objects whose messages are missing because of it: (case title, why,
/// objects). Every other message of these cases must still match.
const DEVIATIONS: &[(&str, &str, &[&str])] = &[
    (
        "18. gatewaySecretValidations",
        "IST0161 checks the certificates inside the Secrets (X.509 parsing, expiry): \
         not reproduced, it needs a certificate parser dependency",
        &[
            "Gateway defaultgateway-expired",
            "Gateway defaultgateway-invalid-cert",
            "Gateway defaultgateway-invalid-keys",
            "Gateway defaultgateway-missing-keys",
        ],
    ),
    (
        "38. virtualServiceDestinationHosts",
        "the VirtualService has a route entry without `destination` (`- {}`), which the \
         typed parser rejects (the schema requires it), so the analyzer never sees it",
        &["VirtualService default/reviews-bogushost"],
    ),
    (
        "84. EnvoyFilterUsesRemoveOperation",
        "the EnvoyFilter has `match: null`, which the typed parser rejects (not nullable)",
        &["EnvoyFilter bookinfo/test-remove-5"],
    ),
];

fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

/// Every upstream analyzer test case whose inputs are in the corpus: the
/// check reproducing the analyzer gives exactly upstream's messages (code
/// and object, as a multiset). Analyzers without a check are listed as not
/// applicable.
#[test]
fn istioctl_fixtures() -> Result<(), String> {
    let shared = match testing::require_shared() {
        Ok(s) => s,
        Err(why) if !testing::in_ci() => {
            eprintln!("skipped: {why}");
            return Ok(());
        }
        Err(why) => return Err(why),
    };
    let dir = shared.join("corpus/istio/analyzers");
    let text = std::fs::read_to_string(dir.join("EXPECTED.md")).map_err(|e| e.to_string())?;
    let cases = parse_expected(&text);
    assert!(cases.len() > 90, "EXPECTED.md: {} cases", cases.len());
    let mut failures = Vec::new();
    let mut verdicts: BTreeMap<String, (usize, usize, &'static str)> = BTreeMap::new();
    for case in &cases {
        let check = Check::ALL
            .iter()
            .copied()
            .find(|c| c.upstream() == Some(case.analyzer.as_str()));
        let entry = verdicts.entry(case.analyzer.clone()).or_default();
        if case.missing_input || case.multi_cluster {
            entry.2 = if check.is_some() {
                entry.2
            } else {
                "inputs not in corpus"
            };
            continue;
        }
        let Some(check) = check else {
            entry.2 = "not applicable";
            continue;
        };
        entry.2 = "reproduced";
        let mut mesh = MeshSettings::default();
        if let Some(cfg) = &case.mesh_config {
            let text = std::fs::read_to_string(dir.join("meshconfig").join(cfg))
                .map_err(|e| e.to_string())?;
            let v: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
            mesh = MeshSettings::from_mesh_config(&v);
        }
        let mut input = default_resources(&mesh);
        for f in &case.inputs {
            let refused = read_input(&dir.join(f), &mut input);
            for r in refused {
                eprintln!("{}: {f}: not read: {r}", case.title);
            }
        }
        let options = Options {
            mesh,
            checks: vec![check],
        };
        let got: Vec<(String, String)> = run(&input, &options)
            .iter()
            .map(|f| {
                let code = f.code.istio().unwrap_or("-").to_owned();
                let object = input
                    .get(f.at)
                    .map(|(_, r)| object_name(r))
                    .unwrap_or_default();
                (code, object)
            })
            .collect();
        let mut want = case.expected.clone();
        if let Some((_, why, objects)) = DEVIATIONS.iter().find(|d| d.0 == case.title) {
            eprintln!("{}: known deviation: {why}", case.title);
            want.retain(|(_, o)| !objects.contains(&o.as_str()));
        }
        let (got, want) = (sorted(got), sorted(want));
        entry.0 += 1;
        if got == want {
            entry.1 += 1;
        } else {
            failures.push(format!(
                "{} ({}):\n  expected {want:?}\n  got      {got:?}",
                case.title, case.analyzer
            ));
        }
    }
    for (a, (n, ok, verdict)) in &verdicts {
        eprintln!("{a}: {verdict} ({ok}/{n} cases)");
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

#[test]
fn every_upstream_check_maps_to_an_istio_code() {
    // The reproductions report codes whose Istio code is what upstream
    // reports; the others have none or their own.
    for c in Check::ALL {
        assert!(!c.name().is_empty());
    }
    assert_eq!(Code::RouteShadowed.istio(), Some("IST0130"));
}

/// Reads a YAML stream of test objects.
fn objects(yaml: &str) -> Vec<(Source, Resource)> {
    let mut out = Vec::new();
    for (i, doc) in serde_yaml::Deserializer::from_str(yaml).enumerate() {
        let v: Value = serde::Deserialize::deserialize(doc).expect("yaml");
        let r = resource_from_value(v).expect("typed").expect("known kind");
        out.push((Source::new("t.yaml", i + 1), r));
    }
    out
}

/// The webhook rules and the pitfalls: each case is a stream of objects and
/// the codes (with the document they point at) one check reports.
#[test]
fn webhook_and_pitfall_checks() {
    type Case = (Check, &'static str, &'static [(Code, usize)]);
    let cases: &[Case] = &[
        (
            Check::WebhookRoutes,
            r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r, namespace: a}
spec:
  hosts: [r]
  http:
  - match: [{headers: {"bad header": {exact: x}}}]
    fault: {abort: {httpStatus: 700, percentage: {value: 10}}}
    retries: {attempts: 2, retryOn: "5xx,gateway-error,sometimes"}
    route: [{destination: {host: r}}]
  - headers: {request: {set: {":authority": x}}}
  - route: [{destination: {host: r}}]
    redirect: {uri: /x}
"#,
            &[
                (Code::FaultInvalid, 1),
                (Code::RetriesInvalid, 1),
                (Code::HeaderNameInvalid, 1),
                (Code::HttpRouteShape, 1),
                (Code::HeaderNameInvalid, 1),
                (Code::HttpRouteShape, 1),
            ],
        ),
        (
            Check::WebhookAuthorization,
            r#"
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: p, namespace: a}
spec:
  rules:
  - from: [{source: {}}]
    when: [{key: request.colour, values: [red]}, {key: source.ip}]
"#,
            &[
                (Code::AuthzInvalid, 1),
                (Code::AuthzInvalid, 1),
                (Code::AuthzInvalid, 1),
            ],
        ),
        (
            Check::AuthorizationScope,
            r#"
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-nothing, namespace: a}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-all, namespace: a}
spec: {rules: [{}]}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-get, namespace: a}
spec:
  action: DENY
  rules: [{to: [{operation: {methods: [POST]}}]}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-get-http, namespace: a}
spec:
  action: DENY
  rules: [{to: [{operation: {methods: [POST], ports: ["8080"]}}]}]
"#,
            &[
                (Code::AuthzAllowNothing, 1),
                (Code::AuthzAllowsAll, 2),
                (Code::DenyHttpOnTcp, 3),
            ],
        ),
        (
            Check::TlsConsistency,
            r#"
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r, namespace: a}
spec: {host: r, trafficPolicy: {tls: {mode: DISABLE}}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: b}
spec: {mtls: {mode: DISABLE}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: s, namespace: a}
spec: {host: s.b.svc.cluster.local, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}
"#,
            &[
                (Code::TlsContradictsPeerAuthentication, 2),
                (Code::TlsContradictsPeerAuthentication, 4),
            ],
        ),
        (
            Check::PeerAuthenticationModes,
            r#"
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: a}
spec: {mtls: {mode: PERMISSIVE}, selector: {matchLabels: {app: x}}, portLevelMtls: {"9000": {mode: DISABLE}}}
"#,
            &[(Code::MtlsPermissive, 1), (Code::MtlsDisabled, 1)],
        ),
        (
            Check::TraceSampling,
            r#"
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: t, namespace: istio-system}
spec: {tracing: [{randomSamplingPercentage: 100}]}
"#,
            &[(Code::TraceSamplingHigh, 1)],
        ),
        (
            Check::ShortHosts,
            r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: b}
spec: {ports: [{port: 9080, name: http}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r, namespace: a}
spec:
  hosts: [reviews.b.svc.cluster.local]
  http: [{route: [{destination: {host: reviews}}]}]
"#,
            &[(Code::ShortHostOtherNamespace, 2)],
        ),
        (
            Check::PortNames,
            r#"
apiVersion: v1
kind: Service
metadata: {name: s, namespace: a}
spec: {ports: [{port: 80}, {port: 81, name: web}, {port: 82, name: http-web}, {port: 83, name: x, appProtocol: http}]}
"#,
            &[(Code::PortNameConvention, 1), (Code::PortNameConvention, 1)],
        ),
        (
            Check::GatewaysWithoutRoutes,
            r#"
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: g, namespace: a}
spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: used, namespace: a}
spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: v, namespace: a}
spec: {hosts: ["*"], gateways: [used], http: [{route: [{destination: {host: x}}]}]}
"#,
            &[(Code::GatewayWithoutRoute, 1)],
        ),
        (
            Check::SubsetWorkloads,
            r#"
apiVersion: v1
kind: Service
metadata: {name: r, namespace: a}
spec: {selector: {app: r}, ports: [{port: 80, name: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: r-v1, namespace: a}
spec:
  selector: {matchLabels: {app: r, version: v1}}
  template: {metadata: {labels: {app: r, version: v1}}, spec: {containers: [{name: r, image: r}]}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r, namespace: a}
spec:
  host: r
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}, {name: other, labels: {app: other}}]
"#,
            &[
                (Code::SubsetSelectsNoWorkload, 3),
                (Code::SubsetSelectsNoWorkload, 3),
            ],
        ),
    ];
    for (check, yaml, want) in cases {
        let input = objects(yaml);
        let got: Vec<(Code, usize)> = analyze(&input, &Options::only(&[*check]))
            .iter()
            .map(|d| match &d.location {
                mesh_model::analyze::Location::Manifest { document, .. } => (d.code, *document),
                mesh_model::analyze::Location::Model(_) => (d.code, 0),
            })
            .collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        let mut want_sorted = want.to_vec();
        want_sorted.sort();
        assert_eq!(got_sorted, want_sorted, "{check:?}: {got:?}");
    }
}

/// Locations name the file, the document and the field; List items get
/// their `items[i]` prefix.
#[test]
fn locations_point_into_documents() {
    let mut input = objects(
        r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: r, namespace: a}
spec: {hosts: [r], http: [{route: [{destination: {host: r, subset: v9}}]}]}
"#,
    );
    input[0].0 = Source::new("list.yaml", 3).item(2);
    let d = analyze(&input, &Options::only(&[Check::DestinationSubsets]));
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].location.to_string(),
        "list.yaml#3: items[2].spec.http[0].route[0].destination.subset"
    );
    assert!(d[0].hint.is_some());
}
