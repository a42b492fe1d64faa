//! Table tests: one passing and one failing input per rule, and the
//! corpus.

use mesh_k8s::parse::{ParseObject, read_stream};
use mesh_model::analyze::{Code, Severity};

use super::{Options, Resource, Source, analyze};
use crate::LinkerdObject;

/// Reads a YAML stream as analyzer input (the test's own tiny reader);
/// panics on a document that does not parse.
fn input(file: &str, text: &str) -> Vec<(Source, Resource)> {
    let (docs, errors) = read_stream(file, text);
    assert!(errors.is_empty(), "{errors:?}");
    docs.into_iter()
        .map(|d| {
            let mut source = Source::new(file, d.document + 1);
            if let Some(i) = d.item {
                source = source.item(i);
            }
            let resource = match d.kind.as_str() {
                "Pod" => Resource::Pod(serde_json::from_value(d.value).unwrap()),
                "Deployment" => Resource::Deployment(serde_json::from_value(d.value).unwrap()),
                _ => Resource::Linkerd(
                    LinkerdObject::from_document(&d.api_version, &d.kind, d.value)
                        .unwrap_or_else(|e| panic!("{file}: {e}")),
                ),
            };
            (source, resource)
        })
        .collect()
}

fn codes(text: &str) -> Vec<Code> {
    let items = input("t.yaml", text);
    analyze(&items, &Options::default())
        .into_iter()
        .map(|d| d.code)
        .collect()
}

const SERVER: &str = "apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: web-http, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  port: http
";

const POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: shop, labels: {app: web}}
spec:
  containers:
  - name: web
    image: web
    ports: [{name: http, containerPort: 8080}]
";

const MTLS: &str = "apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: {name: clients, namespace: shop}
spec:
  identities: [\"frontend.shop.serviceaccount.identity.linkerd.cluster.local\"]
";

fn authz(target: &str, refs: &str) -> String {
    format!(
        "apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {{name: web-authz, namespace: shop}}
spec:
  targetRef: {target}
  requiredAuthenticationRefs: {refs}
"
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
    let server_ref = "{group: policy.linkerd.io, kind: Server, name: web-http}";
    let mtls_ref = "[{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: clients}]";
    let route = |parent: &str, rule: &str| {
        format!(
            "apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {{name: web-route, namespace: shop}}
spec:
  parentRefs: [{parent}]
  rules:
  - {rule}
"
        )
    };
    let gw_route = |rule: &str| {
        format!(
            "apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: web-route, namespace: shop}}
spec:
  parentRefs: [{{group: core, kind: Service, name: web, port: 80}}]
  rules:
  - {rule}
"
        )
    };
    let ratelimit = |target: &str, limits: &str| {
        format!(
            "apiVersion: policy.linkerd.io/v1alpha1
kind: HTTPLocalRateLimitPolicy
metadata: {{name: web-rl, namespace: shop}}
spec:
  targetRef: {target}
  {limits}
"
        )
    };
    let net = |networks: &str| {
        format!(
            "apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {{name: nets, namespace: shop}}
spec:
  networks: {networks}
"
        )
    };
    let ns = |policy: &str| {
        format!(
            "apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations: {{config.linkerd.io/default-inbound-policy: {policy}}}
"
        )
    };
    let server_parent = "{group: policy.linkerd.io, kind: Server, name: web-http}";
    vec![
        Case {
            name: "authorization target kind",
            code: Code::LinkerdPolicyTargetInvalid,
            good: stream(&[SERVER, &authz(server_ref, mtls_ref), MTLS]),
            bad: stream(&[
                SERVER,
                &authz("{group: apps, kind: Deployment, name: web}", mtls_ref),
                MTLS,
            ]),
        },
        Case {
            name: "authorization target other namespace",
            code: Code::LinkerdPolicyTargetInvalid,
            good: stream(&[&authz("{kind: Namespace, name: shop}", mtls_ref), MTLS]),
            bad: stream(&[&authz("{kind: Namespace, name: other}", mtls_ref), MTLS]),
        },
        Case {
            name: "authentication refs: two MeshTLSAuthentications",
            code: Code::LinkerdAuthenticationRefsInvalid,
            good: stream(&[SERVER, &authz(server_ref, mtls_ref), MTLS]),
            bad: stream(&[
                SERVER,
                &authz(
                    server_ref,
                    "[{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: clients}, {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: clients}]",
                ),
                MTLS,
            ]),
        },
        Case {
            name: "authentication refs: unsupported kind",
            code: Code::LinkerdAuthenticationRefsInvalid,
            good: stream(&[
                SERVER,
                &authz(server_ref, "[{kind: ServiceAccount, name: frontend}]"),
            ]),
            bad: stream(&[
                SERVER,
                &authz(server_ref, "[{kind: Secret, name: frontend}]"),
            ]),
        },
        Case {
            name: "authorization target not found",
            code: Code::LinkerdTargetNotFound,
            good: stream(&[SERVER, &authz(server_ref, mtls_ref), MTLS]),
            bad: stream(&[&authz(server_ref, mtls_ref), MTLS]),
        },
        Case {
            name: "authentication not found",
            code: Code::LinkerdAuthenticationNotFound,
            good: stream(&[SERVER, &authz(server_ref, mtls_ref), MTLS]),
            bad: stream(&[SERVER, &authz(server_ref, mtls_ref)]),
        },
        Case {
            name: "identity",
            code: Code::LinkerdIdentityInvalid,
            good: MTLS.to_owned(),
            bad: MTLS.replace("frontend.shop", "front end.shop"),
        },
        Case {
            name: "identity: SPIFFE ID",
            code: Code::LinkerdIdentityInvalid,
            good: MTLS.replace(
                "frontend.shop.serviceaccount.identity.linkerd.cluster.local",
                "spiffe://root.linkerd.cluster.local/external-workload",
            ),
            bad: MTLS.replace(
                "frontend.shop.serviceaccount.identity.linkerd.cluster.local",
                "spiffe://root.linkerd.cluster.local",
            ),
        },
        Case {
            name: "servers: the same Server twice is an update",
            code: Code::LinkerdServersOverlap,
            good: stream(&[SERVER, SERVER]),
            bad: stream(&[SERVER, &SERVER.replace("web-http", "web-http-2")]),
        },
        Case {
            name: "identity ref kind",
            code: Code::LinkerdIdentityInvalid,
            good: MTLS.replace(
                "identities: [\"frontend.shop.serviceaccount.identity.linkerd.cluster.local\"]",
                "identityRefs: [{kind: Namespace, name: shop}]",
            ),
            bad: MTLS.replace(
                "identities: [\"frontend.shop.serviceaccount.identity.linkerd.cluster.local\"]",
                "identityRefs: [{kind: Namespace, name: shop, namespace: shop}]",
            ),
        },
        Case {
            name: "network exception outside",
            code: Code::LinkerdNetworkInvalid,
            good: net("[{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}]"),
            bad: net("[{cidr: 10.0.0.0/8, except: [192.168.0.0/16]}]"),
        },
        Case {
            name: "network exception negates all",
            code: Code::LinkerdNetworkInvalid,
            good: net("[{cidr: \"::/0\", except: [\"fd00::/8\"]}]"),
            bad: net("[{cidr: 10.1.0.0/16, except: [10.0.0.0/8]}]"),
        },
        Case {
            name: "network list empty",
            code: Code::LinkerdNetworkInvalid,
            good: net("[{cidr: 0.0.0.0/0}]"),
            bad: net("[]"),
        },
        Case {
            name: "servers overlap",
            code: Code::LinkerdServersOverlap,
            good: stream(&[
                SERVER,
                &SERVER
                    .replace("web-http", "api-http")
                    .replace("app: web", "app: api"),
            ]),
            bad: stream(&[SERVER, &SERVER.replace("web-http", "web-http-2")]),
        },
        Case {
            name: "server port name",
            code: Code::LinkerdServerPortNotFound,
            good: stream(&[SERVER, POD]),
            bad: stream(&[&SERVER.replace("port: http", "port: grpc"), POD]),
        },
        Case {
            name: "route timeouts",
            code: Code::LinkerdRouteTimeoutsInvalid,
            good: stream(&[
                SERVER,
                &route(
                    server_parent,
                    "timeouts: {request: 10s, backendRequest: 2s}",
                ),
            ]),
            bad: stream(&[
                SERVER,
                &route(server_parent, "timeouts: {request: 1s, backendRequest: 2s}"),
            ]),
        },
        Case {
            name: "route path",
            code: Code::LinkerdRouteMatchInvalid,
            good: stream(&[
                SERVER,
                &route(server_parent, "matches: [{path: {value: /api}}]"),
            ]),
            bad: stream(&[
                SERVER,
                &route(server_parent, "matches: [{path: {value: api}}]"),
            ]),
        },
        Case {
            name: "route parent server missing",
            code: Code::LinkerdParentNotFound,
            good: stream(&[
                SERVER,
                &route(server_parent, "matches: [{path: {value: /}}]"),
            ]),
            bad: route(server_parent, "matches: [{path: {value: /}}]"),
        },
        Case {
            name: "route parent egress network without port",
            code: Code::LinkerdParentRefInvalid,
            good: route(
                "{group: policy.linkerd.io, kind: EgressNetwork, name: egress, port: 443}",
                "matches: [{path: {value: /}}]",
            ),
            bad: route(
                "{group: policy.linkerd.io, kind: EgressNetwork, name: egress}",
                "matches: [{path: {value: /}}]",
            ),
        },
        Case {
            name: "mesh route filter ignored",
            code: Code::LinkerdFilterIgnored,
            good: gw_route(
                "filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-a, value: b}]}}]\n    backendRefs: [{name: web, port: 80}]",
            ),
            bad: gw_route(
                "filters: [{type: URLRewrite, urlRewrite: {hostname: web.example}}]\n    backendRefs: [{name: web, port: 80}]",
            ),
        },
        Case {
            name: "rate limit target kind",
            code: Code::LinkerdPolicyTargetInvalid,
            good: stream(&[
                SERVER,
                &ratelimit(server_ref, "total: {requestsPerSecond: 100}"),
            ]),
            bad: ratelimit(
                "{kind: Namespace, name: shop}",
                "total: {requestsPerSecond: 100}",
            ),
        },
        Case {
            name: "rate limit identity above total",
            code: Code::LinkerdRateLimitInvalid,
            good: stream(&[
                SERVER,
                &ratelimit(
                    server_ref,
                    "total: {requestsPerSecond: 100}\n  identity: {requestsPerSecond: 10}",
                ),
            ]),
            bad: stream(&[
                SERVER,
                &ratelimit(
                    server_ref,
                    "total: {requestsPerSecond: 10}\n  identity: {requestsPerSecond: 100}",
                ),
            ]),
        },
        Case {
            name: "rate limit target not found",
            code: Code::LinkerdTargetNotFound,
            good: stream(&[
                SERVER,
                &ratelimit(server_ref, "total: {requestsPerSecond: 100}"),
            ]),
            bad: ratelimit(server_ref, "total: {requestsPerSecond: 100}"),
        },
        Case {
            name: "default inbound policy",
            code: Code::LinkerdDefaultPolicyInvalid,
            good: ns("cluster-authenticated"),
            bad: ns("cluster-authenticted"),
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
fn clean_input_has_no_diagnostics() {
    let text = stream(&[
        SERVER,
        POD,
        MTLS,
        &authz(
            "{group: policy.linkerd.io, kind: Server, name: web-http}",
            "[{group: policy.linkerd.io, kind: MeshTLSAuthentication, name: clients}]",
        ),
    ]);
    let found = analyze(&input("t.yaml", &text), &Options::default());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn locations_name_file_document_and_field() {
    let text = stream(&[
        SERVER,
        &authz(
            "{group: policy.linkerd.io, kind: Server, name: missing}",
            "[{kind: ServiceAccount, name: frontend}]",
        ),
    ]);
    let found = analyze(&input("authz.yaml", &text), &Options::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::LinkerdTargetNotFound);
    assert_eq!(
        found[0].location.to_string(),
        "authz.yaml#2: spec.targetRef.name"
    );
}

#[test]
fn unknown_parent_kind_is_a_warning() {
    let text = "apiVersion: policy.linkerd.io/v1beta3
kind: HTTPRoute
metadata: {name: r, namespace: shop}
spec:
  parentRefs: [{group: example.com, kind: Proxy, name: p}]
";
    let found = analyze(&input("t.yaml", text), &Options::default());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, Code::LinkerdParentRefInvalid);
    assert_eq!(found[0].severity, Severity::Warning);
}

/// Errors the Linkerd corpus really has, with why (a part of the
/// location, the code, the reason).
const CORPUS_EXPECTED: &[(&str, Code, &str)] = &[
    (
        "website__2-edge_reference_authorization-policy__",
        Code::LinkerdTargetNotFound,
        "reference page: each snippet shows one object; the Server and HTTPRoute it targets are never written out",
    ),
    (
        "website__2-edge_reference_httproute__",
        Code::LinkerdParentNotFound,
        "reference page: the HTTPRoute's parent Server is never written out",
    ),
    (
        "website__2-edge_reference_rate-limiting__",
        Code::LinkerdTargetNotFound,
        "reference page: the rate limit's Server is never written out",
    ),
    (
        "website__blog_2023_0526-osm-migration_index__",
        Code::LinkerdTargetNotFound,
        "blog post: the HTTPRoute users-routes is described, not written out",
    ),
    (
        "website__blog_2024_1205-announcing-linkerd-2.17_index__",
        Code::LinkerdTargetNotFound,
        "blog post: the Server web-http comes from the emojivoto install, not the post",
    ),
    (
        "website__blog_2025_0725-tilt-linkerd-nginx-part-2_index__",
        Code::LinkerdTargetNotFound,
        "blog post: the Server baz-grpc and GRPCRoute baz-grpc-inbound are in the post's repository, not its snippets",
    ),
];

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
    let root = shared.join("corpus/linkerd");
    let docs = mesh_k8s::testing::read_corpus(&root);
    // One input per configuration: a documentation page's snippets
    // (`<page>__L<line>.yaml`) together, a repository's files together
    // (policies in one file name Servers in another).
    let group_of = |path: &std::path::Path| -> String {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        let repo = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        let name = rel
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (repo.as_deref(), name.rsplit_once("__L")) {
            (Some("website"), Some((page, _))) => page.to_owned(),
            (Some(r), _) => r.to_owned(),
            (None, _) => name,
        }
    };
    let mut by_file: Vec<(String, Vec<(Source, Resource)>)> = Vec::new();
    for d in docs {
        let Ok(value) = d.value else { continue };
        let Some((api, kind)) = mesh_k8s::testing::type_of(&value) else {
            continue;
        };
        let (api, kind) = (api.to_owned(), kind.to_owned());
        let file = d.path.display().to_string();
        let group = group_of(&d.path);
        let resource = match kind.as_str() {
            "Pod" => serde_json::from_value(value).ok().map(Resource::Pod),
            "Deployment" => serde_json::from_value(value).ok().map(Resource::Deployment),
            _ => LinkerdObject::from_document(&api, &kind, value)
                .ok()
                .map(Resource::Linkerd),
        };
        let Some(resource) = resource else { continue };
        if by_file.last().is_none_or(|(g, _)| *g != group) {
            by_file.push((group, Vec::new()));
        }
        if let Some((_, items)) = by_file.last_mut() {
            items.push((Source::new(file, d.index + 1), resource));
        }
    }
    assert!(
        !by_file.is_empty(),
        "no Linkerd object read from the corpus"
    );
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
