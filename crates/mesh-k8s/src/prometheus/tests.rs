//! Tests of the Prometheus-operator kinds: corpus round trip, realistic
//! manifests, rejections, constructed objects checked by crd-validate.

use std::collections::BTreeMap;
use std::num::NonZeroU16;
use std::path::PathBuf;

use k8s_openapi::api::core::v1::{ConfigMapKeySelector, SecretKeySelector};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use serde_json::Value;

use super::*;
use crate::testing::{crd_validate, in_ci, json_diff, read_documents, require_shared, type_of};
use crate::{Kind, Object, check_kind};

fn shared() -> Option<PathBuf> {
    match require_shared() {
        Ok(dir) => Some(dir),
        Err(why) if in_ci() => panic!("{why}"),
        Err(why) => {
            eprintln!("skipping: {why}");
            None
        }
    }
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// Parses `doc` as an `Object<S>` and writes it back; the difference, if
/// any, or the parse error.
fn round_trip<S: Kind>(doc: &Value) -> Result<Value, String> {
    let obj: Object<S> = serde_json::from_value(doc.clone()).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&obj).map_err(|e| e.to_string())?;
    match json_diff(doc, &back) {
        None => Ok(back),
        Some(diff) => Err(format!("round trip differs: {diff}")),
    }
}

fn round_trip_any(doc: &Value) -> Result<Value, String> {
    match type_of(doc) {
        Some((_, "ServiceMonitor")) => round_trip::<ServiceMonitorSpec>(doc),
        Some((_, "PodMonitor")) => round_trip::<PodMonitorSpec>(doc),
        Some((_, "PrometheusRule")) => round_trip::<PrometheusRuleSpec>(doc),
        other => Err(format!("not a kind of this module: {other:?}")),
    }
}

fn parse_err<S: Kind>(doc: &Value) -> String {
    match serde_json::from_value::<Object<S>>(doc.clone()) {
        Ok(obj) => panic!("parsed, expected an error: {obj:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn kinds_are_consistent() {
    check_kind::<ServiceMonitorSpec>().unwrap();
    check_kind::<PodMonitorSpec>().unwrap();
    check_kind::<PrometheusRuleSpec>().unwrap();
    for (kind, order) in [
        (ServiceMonitorSpec::KIND, ServiceMonitorSpec::APPLY_ORDER),
        (PodMonitorSpec::KIND, PodMonitorSpec::APPLY_ORDER),
        (PrometheusRuleSpec::KIND, PrometheusRuleSpec::APPLY_ORDER),
    ] {
        assert_eq!(order, crate::ApplyOrder::Observability, "{kind}");
    }
}

/// Every corpus document of these kinds parses and is written back
/// unchanged. Corpus (shared/corpus, 2026-11-21): 1 PodMonitor and 1
/// ServiceMonitor (both Istio's `samples/addons/extras/prometheus-operator.yaml`),
/// no PrometheusRule. Normalizations: none needed.
#[test]
fn corpus_round_trip() {
    let Some(shared) = shared() else { return };
    // Only the files that mention the group: `read_documents` over the whole
    // corpus stops at files serde_yaml cannot read (YAML 1.1 corner cases in
    // other meshes' test data).
    let mut files = Vec::new();
    collect_yaml(&shared.join("corpus"), &mut files);
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if text.contains("monitoring.coreos.com") {
            let dir = tempdir_with(&file, &text);
            docs.extend(read_documents(&dir).unwrap().into_iter().map(|mut d| {
                d.path = file.clone();
                d
            }));
            std::fs::remove_dir_all(&dir).unwrap();
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let items = docs.iter().flat_map(|d| {
        let list = d.value.get("items").and_then(Value::as_array);
        let values: Vec<&Value> = match list {
            Some(items) if type_of(&d.value) == Some(("v1", "List")) => items.iter().collect(),
            _ => vec![&d.value],
        };
        values.into_iter().map(move |v| (d, v))
    });
    for (doc, value) in items {
        let Some((api_version, kind)) = type_of(value) else {
            continue;
        };
        if !api_version.starts_with("monitoring.coreos.com/") {
            continue;
        }
        let kind = match kind {
            "ServiceMonitor" => "ServiceMonitor",
            "PodMonitor" => "PodMonitor",
            "PrometheusRule" => "PrometheusRule",
            _ => continue,
        };
        *counts.entry(kind).or_default() += 1;
        if let Err(e) = round_trip_any(value) {
            failures.push(format!("{}:{}: {e}", doc.path.display(), doc.index));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(counts.get("PodMonitor"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("ServiceMonitor"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("PrometheusRule"), None, "{counts:?}");
}

fn collect_yaml(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_yaml(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

/// A fresh directory holding a copy of `file` (for `read_documents`).
fn tempdir_with(file: &std::path::Path, text: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "meshwright-prometheus-corpus-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(file.file_name().unwrap()), text).unwrap();
    dir
}

// === Realistic manifests ===

/// The ServiceMonitor of seed 003 (istiod's `http-monitoring` port).
const ISTIOD_SERVICE_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: istio-mesh-metrics
  namespace: istio-system
spec:
  selector:
    matchLabels:
      app: istiod
  endpoints:
  - port: http-monitoring
    interval: 30s
    path: /metrics
"#;

/// Seed 003's Prometheus alert rules, as a PrometheusRule.
const ISTIO_ALERTS: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: istio-alerts
  namespace: istio-system
  labels:
    release: prometheus
spec:
  groups:
  - name: istio
    interval: 30s
    rules:
    - alert: HighSidecarMemory
      expr: container_memory_usage_bytes{container="istio-proxy"} > 500000000
      for: 5m
      annotations:
        summary: "High sidecar memory usage"
    - alert: MeshConfigSyncFailed
      expr: pilot_proxy_convergence_time{job="istiod"} > 30
      for: 5m
      annotations:
        summary: "Mesh configuration sync taking too long"
"#;

/// Linkerd's documented `linkerd-proxy` scrape job (tasks/external-prometheus)
/// as a PodMonitor.
const LINKERD_PROXY_POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: linkerd-proxy
  namespace: linkerd-viz
  labels:
    linkerd.io/extension: viz
spec:
  namespaceSelector:
    any: true
  selector: {}
  podMetricsEndpoints:
  - interval: 10s
    scrapeTimeout: 10s
    port: linkerd-admin
    relabelings:
    - sourceLabels:
      - __meta_kubernetes_pod_container_name
      - __meta_kubernetes_pod_container_port_name
      - __meta_kubernetes_pod_label_linkerd_io_control_plane_ns
      action: keep
      regex: ^linkerd-proxy;linkerd-admin;linkerd$
    - sourceLabels: [__meta_kubernetes_namespace]
      action: replace
      targetLabel: namespace
    - sourceLabels: [__meta_kubernetes_pod_name]
      action: replace
      targetLabel: pod
    - sourceLabels: [__meta_kubernetes_pod_label_linkerd_io_proxy_job]
      action: replace
      targetLabel: k8s_job
    - action: labeldrop
      regex: __meta_kubernetes_pod_label_linkerd_io_proxy_job
    - action: labelmap
      regex: __meta_kubernetes_pod_label_linkerd_io_proxy_(.+)
    - action: labeldrop
      regex: __meta_kubernetes_pod_label_linkerd_io_proxy_(.+)
    - action: labelmap
      regex: __meta_kubernetes_pod_label_linkerd_io_(.+)
    - action: labelmap
      regex: __meta_kubernetes_pod_label_(.+)
      replacement: __tmp_pod_label_$1
    - action: labelmap
      regex: __tmp_pod_label_linkerd_io_(.+)
      replacement: __tmp_pod_label_$1
    - action: labeldrop
      regex: __tmp_pod_label_linkerd_io_(.+)
    - action: labelmap
      regex: __tmp_pod_label_(.+)
"#;

/// Linkerd's documented `linkerd-controller` job as a PodMonitor.
const LINKERD_CONTROLLER_POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: linkerd-controller
  namespace: linkerd-viz
spec:
  namespaceSelector:
    matchNames: [linkerd, linkerd-viz]
  selector:
    matchExpressions:
    - {key: linkerd.io/control-plane-component, operator: Exists}
  podMetricsEndpoints:
  - port: admin-http
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_container_name]
      action: replace
      targetLabel: component
"#;

/// Istio's documented ServiceMonitor for istiod and PodMonitor for the
/// sidecars (samples/addons/extras/prometheus-operator.yaml, as in the corpus,
/// with the PodMonitor's port-based variant).
const ISTIO_SIDECAR_POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: envoy-stats-monitor
  namespace: istio-system
spec:
  selector:
    matchExpressions:
    - {key: istio-prometheus-ignore, operator: DoesNotExist}
  namespaceSelector:
    any: true
  jobLabel: envoy-stats
  podMetricsEndpoints:
  - path: /stats/prometheus
    port: http-envoy-prom
    interval: 15s
    relabelings:
    - action: keep
      sourceLabels: [__meta_kubernetes_pod_container_name]
      regex: "istio-proxy"
    - action: labeldrop
      regex: "__meta_kubernetes_pod_label_(.+)"
"#;

/// Many ServiceMonitor fields at once: TLS with files and ConfigMaps,
/// authorization, params, proxy, limits, histogram settings.
const KITCHEN_SINK_SERVICE_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: reviews
  namespace: bookinfo
spec:
  selector:
    matchLabels: {app: reviews}
  namespaceSelector:
    matchNames: [bookinfo]
  jobLabel: app.kubernetes.io/name
  targetLabels: [app, version]
  podTargetLabels: [pod-template-hash]
  serviceDiscoveryRole: EndpointSlice
  selectorMechanism: RoleSelector
  attachMetadata: {node: true}
  scrapeClass: istio-mtls
  scrapeProtocols: [PrometheusProto, OpenMetricsText1.0.0, PrometheusText0.0.4]
  fallbackScrapeProtocol: PrometheusText1.0.0
  sampleLimit: 100000
  targetLimit: 50
  labelLimit: 64
  labelNameLengthLimit: 128
  labelValueLengthLimit: 1024
  keepDroppedTargets: 10
  bodySizeLimit: 10MiB
  scrapeClassicHistograms: true
  scrapeNativeHistograms: true
  convertClassicHistogramsToNHCB: false
  nativeHistogramBucketLimit: 160
  nativeHistogramMinBucketFactor: "1.1"
  endpoints:
  - port: https-metrics
    scheme: https
    path: /stats/prometheus
    params:
      collect[]: [cpu, memory]
    interval: 1m30s
    scrapeTimeout: 45s
    honorLabels: false
    honorTimestamps: true
    trackTimestampsStaleness: true
    filterRunning: false
    followRedirects: false
    enableHttp2: false
    authorization:
      type: Bearer
      credentials: {name: reviews-token, key: token}
    tlsConfig:
      ca: {configMap: {name: istio-ca-root-cert, key: root-cert.pem}}
      certFile: /etc/prom-certs/cert-chain.pem
      keyFile: /etc/prom-certs/key.pem
      insecureSkipVerify: false
      serverName: reviews.bookinfo.svc
      minVersion: TLS12
      maxVersion: TLS13
    proxyUrl: http://proxy.internal:3128
    noProxy: 10.0.0.0/8,.svc
    proxyConnectHeader:
      Proxy-Authorization:
      - {name: proxy-auth, key: header, optional: false}
    relabelings:
    - sourceLabels: [__address__]
      modulus: 4
      targetLabel: __tmp_hash
      action: hashmod
    - sourceLabels: [__tmp_hash]
      regex: "1"
      action: keep
    metricRelabelings:
    - sourceLabels: [__name__]
      regex: envoy_cluster_(lb|upstream)_.*
      action: drop
    - sourceLabels: [namespace, pod]
      separator: /
      targetLabel: instance
      replacement: $1
    - sourceLabels: [source_workload]
      targetLabel: source_workload
      action: lowercase
    - sourceLabels: [a]
      targetLabel: b
      action: keepequal
  - targetPort: 15020
    path: /stats/prometheus
    bearerTokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
  - targetPort: http-envoy-prom
    basicAuth:
      username: {name: basic, key: user}
      password: {name: basic, key: pass}
  - port: legacy
    bearerTokenSecret: {name: legacy-token, key: token}
"#;

/// PodMonitor with OAuth2 (and its TLS and proxy), a port number and
/// `proxyFromEnvironment`.
const OAUTH2_POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: payments
  namespace: shop
spec:
  selector:
    matchLabels: {app: payments}
  podMetricsEndpoints:
  - portNumber: 9090
    scheme: https
    tlsConfig:
      ca: {secret: {name: payments-ca, key: ca.crt}}
      cert: {secret: {name: payments-client, key: tls.crt}}
      keySecret: {name: payments-client, key: tls.key}
    proxyFromEnvironment: true
    oauth2:
      clientId: {configMap: {name: oauth, key: client-id}}
      clientSecret: {name: oauth, key: client-secret}
      tokenUrl: https://idp.example.com/oauth2/token
      scopes: [metrics.read]
      endpointParams: {audience: prometheus}
      tlsConfig:
        insecureSkipVerify: true
      proxyUrl: socks5://proxy.internal:1080
      noProxy: localhost
      proxyConnectHeader:
        X-Trace: [{name: trace, key: id}]
  - targetPort: 8080
"#;

/// Recording rules, integer expressions and the group settings.
const RECORDING_RULES: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: mesh-recording
  namespace: monitoring
spec:
  groups:
  - name: istio.workload
    interval: 1m
    query_offset: 30s
    limit: 1000
    labels: {team: mesh}
    partial_response_strategy: warn
    rules:
    - record: workload:istio_requests:rate5m
      expr: sum by (destination_workload, destination_workload_namespace) (rate(istio_requests_total[5m]))
      labels: {aggregation: workload}
    - alert: Watchdog
      expr: 1
      keep_firing_for: 1d
      labels: {severity: none}
  - name: empty
status:
  bindings:
  - group: monitoring.coreos.com
    resource: thanosrulers
    name: ruler
    namespace: monitoring
    conditions:
    - type: Accepted
      status: "True"
      reason: Accepted
      message: ""
      lastTransitionTime: "2026-11-21T10:00:00Z"
      observedGeneration: 1
"#;

/// A ServiceMonitor as read back from a cluster, with the operator's status.
const WITH_STATUS: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: istiod
  namespace: istio-system
spec:
  selector: {matchLabels: {app: istiod}}
  endpoints: []
status:
  bindings:
  - group: monitoring.coreos.com
    resource: prometheuses
    name: k8s
    namespace: monitoring
    conditions:
    - type: Accepted
      status: "True"
      reason: ""
      message: accepted by the operator
      lastTransitionTime: "2026-01-02T03:04:05Z"
      observedGeneration: 3
"#;

/// The rest of the ServiceMonitor schema: OAuth2 in full, every Secret and
/// ConfigMap reference with `optional`, relabeling separators.
const EVERY_FIELD_SERVICE_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: every-field
  namespace: monitoring
spec:
  selector:
    matchExpressions:
    - {key: app, operator: In, values: [api, api-canary]}
  namespaceSelector: {any: true}
  endpoints:
  - port: https
    proxyFromEnvironment: true
    tlsConfig:
      ca: {secret: {name: ca, key: ca.crt, optional: false}}
      cert: {configMap: {name: client, key: tls.crt, optional: true}}
      keySecret: {name: client, key: tls.key, optional: false}
    oauth2:
      clientId: {secret: {name: oauth, key: id, optional: false}}
      clientSecret: {name: oauth, key: secret, optional: false}
      tokenUrl: https://idp.example.com/token
      scopes: [openid, metrics]
      endpointParams: {audience: prometheus}
      proxyUrl: http://proxy:3128
      noProxy: .cluster.local
      proxyConnectHeader:
        Proxy-Authorization: [{name: proxy, key: auth, optional: true}]
      tlsConfig:
        ca: {secret: {name: idp-ca, key: ca.crt, optional: true}}
        cert: {configMap: {name: idp-client, key: tls.crt, optional: false}}
        keySecret: {name: idp-client, key: tls.key, optional: false}
        insecureSkipVerify: false
        serverName: idp.example.com
        minVersion: TLS12
        maxVersion: TLS13
    relabelings:
    - sourceLabels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name]
      separator: /
      targetLabel: job
      replacement: $1
      action: replace
    metricRelabelings:
    - sourceLabels: [instance]
      modulus: 8
      targetLabel: shard
      action: hashmod
  - port: https-2
    tlsConfig:
      caFile: /etc/ca.pem
      cert: {secret: {name: client, key: tls.crt, optional: false}}
  - port: https-3
    tlsConfig:
      ca: {configMap: {name: ca, key: ca.crt, optional: true}}
      keySecret: {name: client, key: tls.key}
    oauth2:
      clientId: {configMap: {name: oauth, key: id, optional: true}}
      clientSecret: {name: oauth, key: secret}
      tokenUrl: http://idp.internal/token
      proxyFromEnvironment: true
      tlsConfig:
        ca: {configMap: {name: idp-ca, key: ca.crt, optional: false}}
        cert: {secret: {name: idp-client, key: tls.crt, optional: true}}
  - port: bearer
    authorization:
      type: Bearer
      credentials: {name: token, key: token, optional: true}
  - port: basic
    basicAuth:
      username: {name: basic, key: user, optional: false}
      password: {name: basic, key: pass, optional: true}
  - port: legacy
    bearerTokenSecret: {name: legacy, key: token, optional: true}
"#;

/// The rest of the PodMonitor schema: the ServiceMonitor fixtures'
/// endpoints without file paths, and the spec-level settings.
const EVERY_FIELD_POD_MONITOR: &str = r#"
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: every-field
  namespace: monitoring
spec:
  selector:
    matchExpressions:
    - {key: app, operator: In, values: [api]}
    matchLabels: {tier: backend}
  namespaceSelector: {matchNames: [shop]}
  jobLabel: app
  podTargetLabels: [version]
  selectorMechanism: RelabelConfig
  attachMetadata: {node: false}
  scrapeClass: default
  scrapeProtocols: [OpenMetricsText0.0.1, PrometheusText1.0.0]
  fallbackScrapeProtocol: PrometheusProto
  sampleLimit: 10000
  targetLimit: 100
  labelLimit: 30
  labelNameLengthLimit: 200
  labelValueLengthLimit: 2000
  keepDroppedTargets: 0
  bodySizeLimit: "0"
  scrapeClassicHistograms: false
  scrapeNativeHistograms: false
  convertClassicHistogramsToNHCB: true
  nativeHistogramBucketLimit: 100
  nativeHistogramMinBucketFactor: 1500m
  podMetricsEndpoints:
  - port: https
    path: /metrics
    scheme: https
    params: {module: [http_2xx]}
    interval: 1m
    scrapeTimeout: 30s
    honorLabels: true
    honorTimestamps: false
    trackTimestampsStaleness: false
    filterRunning: true
    followRedirects: true
    enableHttp2: true
    proxyUrl: https://proxy:3129
    noProxy: 10.0.0.1
    proxyConnectHeader:
      X-Auth: [{name: proxy, key: auth, optional: true}]
    tlsConfig:
      ca: {configMap: {name: ca, key: ca.crt, optional: false}}
      cert: {configMap: {name: client, key: tls.crt, optional: false}}
      keySecret: {name: client, key: tls.key, optional: true}
      insecureSkipVerify: false
      serverName: api.shop.svc
      minVersion: TLS11
      maxVersion: TLS12
    oauth2:
      clientId: {secret: {name: oauth, key: id, optional: false}}
      clientSecret: {name: oauth, key: secret, optional: true}
      tokenUrl: https://idp.example.com/token
      proxyFromEnvironment: false
      proxyConnectHeader:
        X-Trace: [{name: trace, key: id, optional: true}]
      tlsConfig:
        ca: {secret: {name: idp-ca, key: ca.crt, optional: true}}
        cert: {secret: {name: idp-client, key: tls.crt, optional: true}}
        keySecret: {name: idp-client, key: tls.key, optional: true}
        serverName: idp.example.com
        minVersion: TLS12
        maxVersion: TLS13
    relabelings:
    - sourceLabels: [__meta_kubernetes_pod_name]
      separator: ;
      regex: (.*)
      targetLabel: pod
      replacement: ${1}
      action: replace
    - sourceLabels: [__address__]
      modulus: 3
      targetLabel: __tmp_shard
      action: hashmod
    metricRelabelings:
    - sourceLabels: [__name__, le]
      separator: _
      regex: (.+)
      targetLabel: tmp
      replacement: $1
      modulus: 2
      action: hashmod
  - port: second
    oauth2:
      clientId: {configMap: {name: oauth, key: id, optional: true}}
      clientSecret: {name: oauth, key: secret}
      tokenUrl: https://idp.example.com/token
      tlsConfig:
        ca: {configMap: {name: idp-ca, key: ca.crt, optional: true}}
        cert: {configMap: {name: idp-client, key: tls.crt, optional: true}}
    tlsConfig:
      ca: {secret: {name: ca, key: ca.crt, optional: true}}
      cert: {secret: {name: client, key: tls.crt, optional: true}}
  - portNumber: 8443
    authorization:
      type: Custom
      credentials: {name: token, key: token, optional: false}
  - targetPort: metrics
    basicAuth:
      username: {name: basic, key: user, optional: true}
      password: {name: basic, key: pass, optional: false}
  - port: legacy
    bearerTokenSecret: {name: legacy, key: token, optional: false}
status:
  bindings:
  - group: monitoring.coreos.com
    resource: prometheusagents
    name: agent
    namespace: monitoring
    conditions:
    - type: Accepted
      status: "False"
      reason: InvalidConfiguration
      message: "endpoint[0]: scrapeTimeout greater than scrape interval"
      lastTransitionTime: "2026-11-21T10:00:00Z"
      observedGeneration: 2
"#;

const REALISTIC: &[(&str, &str)] = &[
    ("seed 003 istiod ServiceMonitor", ISTIOD_SERVICE_MONITOR),
    ("seed 003 alert rules", ISTIO_ALERTS),
    (
        "Linkerd linkerd-proxy PodMonitor",
        LINKERD_PROXY_POD_MONITOR,
    ),
    (
        "Linkerd linkerd-controller PodMonitor",
        LINKERD_CONTROLLER_POD_MONITOR,
    ),
    ("Istio sidecar PodMonitor", ISTIO_SIDECAR_POD_MONITOR),
    ("kitchen-sink ServiceMonitor", KITCHEN_SINK_SERVICE_MONITOR),
    ("OAuth2 PodMonitor", OAUTH2_POD_MONITOR),
    ("recording rules", RECORDING_RULES),
    ("status", WITH_STATUS),
    ("every ServiceMonitor field", EVERY_FIELD_SERVICE_MONITOR),
    ("every PodMonitor field", EVERY_FIELD_POD_MONITOR),
];

#[test]
fn realistic_manifests_round_trip() {
    for (name, text) in REALISTIC {
        let back = match round_trip_any(&yaml(text)) {
            Ok(back) => back,
            Err(e) => panic!("{name}: {e}"),
        };
        // Straight from YAML text (no JSON value in between) gives the same.
        let direct = match type_of(&back) {
            Some((_, "ServiceMonitor")) => {
                serde_json::to_value(serde_yaml::from_str::<ServiceMonitor>(text).unwrap())
            }
            Some((_, "PodMonitor")) => {
                serde_json::to_value(serde_yaml::from_str::<PodMonitor>(text).unwrap())
            }
            _ => serde_json::to_value(serde_yaml::from_str::<PrometheusRule>(text).unwrap()),
        }
        .unwrap();
        assert_eq!(direct, back, "{name}");
    }
}

#[test]
fn realistic_manifests_are_valid() {
    if shared().is_none() {
        return;
    }
    let stream = REALISTIC
        .iter()
        .map(|(_, text)| text.trim())
        .collect::<Vec<_>>()
        .join("\n---\n");
    let report = crd_validate(&stream).unwrap();
    assert!(report.passed, "{}", report.output);
}

#[test]
fn typed_view_of_realistic_manifests() {
    let sm: ServiceMonitor = serde_json::from_value(yaml(KITCHEN_SINK_SERVICE_MONITOR)).unwrap();
    let ep = &sm.spec.endpoints[0];
    assert_eq!(ep.port.as_deref(), Some("https-metrics"));
    assert_eq!(ep.scrape.scheme, Some(Scheme::Https));
    assert_eq!(ep.scrape.interval.as_ref().unwrap().as_millis(), 90_000);
    assert!(matches!(
        &ep.scrape.auth,
        Some(ScrapeAuth::Authorization(SafeAuthorization { credentials: Some(c), .. })) if c.name == "reviews-token"
    ));
    let tls = ep.tls_config.as_ref().unwrap();
    assert!(tls.uses_files());
    assert!(
        matches!(&tls.safe.ca, Some(SecretOrConfigMap::ConfigMap(c)) if c.key == "root-cert.pem")
    );
    assert_eq!(
        ep.scrape.proxy.proxy_url.as_deref(),
        Some("http://proxy.internal:3128")
    );
    assert_eq!(
        ep.scrape.relabelings[0].action,
        Some(RelabelAction::HashMod)
    );
    assert_eq!(ep.scrape.relabelings[0].modulus, Some(4));
    assert_eq!(
        sm.spec.endpoints[1].target_port,
        Some(TargetPort::Number(NonZeroU16::new(15020).unwrap()))
    );
    assert!(sm.spec.endpoints[1].bearer_token_file.is_some());
    assert_eq!(
        sm.spec.endpoints[2].target_port,
        Some(TargetPort::from("http-envoy-prom"))
    );
    assert!(matches!(
        sm.spec.endpoints[2].scrape.auth,
        Some(ScrapeAuth::BasicAuth(_))
    ));
    assert!(matches!(
        sm.spec.endpoints[3].scrape.auth,
        Some(ScrapeAuth::BearerTokenSecret(_))
    ));

    let pm: PodMonitor = serde_json::from_value(yaml(OAUTH2_POD_MONITOR)).unwrap();
    let ep = &pm.spec.pod_metrics_endpoints[0];
    assert_eq!(ep.port_number, NonZeroU16::new(9090));
    let Some(ScrapeAuth::OAuth2(oauth2)) = &ep.scrape.auth else {
        panic!("{:?}", ep.scrape.auth)
    };
    assert_eq!(oauth2.token_url, "https://idp.example.com/oauth2/token");
    assert_eq!(
        oauth2.proxy.proxy_url.as_deref(),
        Some("socks5://proxy.internal:1080")
    );
    assert_eq!(ep.scrape.proxy.proxy_from_environment, Some(true));

    let rules: PrometheusRule = serde_json::from_value(yaml(RECORDING_RULES)).unwrap();
    let group = &rules.spec.groups[0];
    assert_eq!(
        group.partial_response_strategy,
        Some(PartialResponseStrategy::Warn)
    );
    assert!(
        matches!(&group.rules[0], Rule::Record(r) if r.record == "workload:istio_requests:rate5m")
    );
    assert!(matches!(&group.rules[1], Rule::Alert(a) if a.expr == Expr::Number(1)));

    let with_status: ServiceMonitor = serde_json::from_value(yaml(WITH_STATUS)).unwrap();
    let status = with_status.status.unwrap();
    assert_eq!(status.bindings[0].resource, WorkloadResource::Prometheuses);
    assert_eq!(
        status.bindings[0].conditions[0].condition_type,
        ConditionType::Accepted
    );
}

/// Inputs that parse but are written differently (same meaning for the
/// operator); none occurs in the corpus.
#[test]
fn normalizations() {
    let cases: &[(&str, &str, &str)] = &[
        // (kind's YAML, JSON pointer, value written back)
        (
            r#"{apiVersion: monitoring.coreos.com/v1, kind: PodMonitor, metadata: {name: a},
                spec: {selector: {}, podMetricsEndpoints: [{relabelings: [{action: LabelDrop, regex: x}]}]}}"#,
            "/spec/podMetricsEndpoints/0/relabelings/0/action",
            "labeldrop",
        ),
        (
            r#"{apiVersion: monitoring.coreos.com/v1, kind: PodMonitor, metadata: {name: a},
                spec: {selector: {}, podMetricsEndpoints: [{scheme: HTTPS}]}}"#,
            "/spec/podMetricsEndpoints/0/scheme",
            "https",
        ),
        (
            r#"{apiVersion: monitoring.coreos.com/v1, kind: PodMonitor, metadata: {name: a},
                spec: {selector: {}, nativeHistogramMinBucketFactor: 2}}"#,
            "/spec/nativeHistogramMinBucketFactor",
            "2",
        ),
        (
            r#"{apiVersion: monitoring.coreos.com/v1, kind: PrometheusRule, metadata: {name: a},
                spec: {groups: [{name: g, partial_response_strategy: ABORT}]}}"#,
            "/spec/groups/0/partial_response_strategy",
            "abort",
        ),
    ];
    for (text, pointer, expected) in cases {
        let doc = yaml(text);
        let back = match type_of(&doc) {
            Some((_, "PodMonitor")) => {
                let o: PodMonitor = serde_json::from_value(doc.clone()).unwrap();
                serde_json::to_value(&o).unwrap()
            }
            _ => {
                let o: PrometheusRule = serde_json::from_value(doc.clone()).unwrap();
                serde_json::to_value(&o).unwrap()
            }
        };
        assert_eq!(
            back.pointer(pointer),
            Some(&Value::from(*expected)),
            "{text}"
        );
    }
    // An explicitly empty Secret name is left out (the CRD defaults it to "").
    let doc = yaml(
        r#"{apiVersion: monitoring.coreos.com/v1, kind: PodMonitor, metadata: {name: a},
            spec: {selector: {}, podMetricsEndpoints: [{bearerTokenSecret: {name: "", key: t}}]}}"#,
    );
    let o: PodMonitor = serde_json::from_value(doc).unwrap();
    let back = serde_json::to_value(&o).unwrap();
    assert_eq!(
        back.pointer("/spec/podMetricsEndpoints/0/bearerTokenSecret"),
        Some(&serde_json::json!({"key": "t"}))
    );
}

// === Rejections ===

const SM_HEAD: &str =
    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: a}\n";
const PM_HEAD: &str =
    "apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: a}\n";
const PR_HEAD: &str =
    "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: a}\n";

#[test]
fn rejects_invalid_service_monitors() {
    let cases: &[(&str, &str)] = &[
        // (spec, expected error text)
        (
            "spec: {selector: {}, endpoints: [], bogus: 1}",
            "unknown field `bogus`",
        ),
        (
            "spec: {selector: {}, endpoints: [{port: a, bogus: 1}]}",
            "unknown field `bogus`",
        ),
        ("spec: {endpoints: []}", "missing field `selector`"),
        ("spec: {selector: {}}", "missing field `endpoints`"),
        (
            "spec: {selector: {}, endpoints: [{interval: 1.5m}]}",
            "invalid Prometheus duration",
        ),
        (
            "spec: {selector: {}, endpoints: [{interval: 1m1h}]}",
            "out of order",
        ),
        (
            "spec: {selector: {}, endpoints: [{interval: ''}]}",
            "is empty",
        ),
        (
            "spec: {selector: {}, endpoints: [{interval: 30}]}",
            "invalid type",
        ),
        (
            "spec: {selector: {}, endpoints: [{scrapeTimeout: 10us}]}",
            "invalid Prometheus duration",
        ),
        (
            "spec: {selector: {}, endpoints: [{portNumber: 8080}]}",
            "portNumber",
        ),
        (
            "spec: {selector: {}, endpoints: [{targetPort: 0}]}",
            "did not match any variant",
        ),
        (
            "spec: {selector: {}, endpoints: [{targetPort: 70000}]}",
            "did not match any variant",
        ),
        (
            "spec: {selector: {}, endpoints: [{scheme: ftp}]}",
            "unknown variant `ftp`",
        ),
        (
            "spec: {selector: {}, endpoints: [{relabelings: [{action: replace_all}]}]}",
            "unknown variant `replace_all`",
        ),
        (
            "spec: {selector: {}, endpoints: [{relabelings: [{modulus: -1, action: hashmod}]}]}",
            "invalid value",
        ),
        (
            "spec: {selector: {}, endpoints: [{relabelings: [{source_labels: [a]}]}]}",
            "unknown field `source_labels`",
        ),
        (
            "spec: {selector: {}, endpoints: [{authorization: {credentials: {name: s, key: k}}, basicAuth: {}}]}",
            "`authorization` and `basicAuth` cannot be set at the same time",
        ),
        (
            "spec: {selector: {}, endpoints: [{basicAuth: {}, bearerTokenSecret: {name: s, key: k}}]}",
            "`basicAuth` and `bearerTokenSecret`",
        ),
        (
            "spec: {selector: {}, endpoints: [{bearerTokenFile: /t, authorization: {}}]}",
            "`bearerTokenFile` and `authorization`",
        ),
        (
            "spec: {selector: {}, endpoints: [{authorization: {type: basic}}]}",
            "Basic is not supported",
        ),
        (
            "spec: {selector: {}, endpoints: [{bearerTokenSecret: {name: s}}]}",
            "missing field `key`",
        ),
        (
            "spec: {selector: {}, endpoints: [{bearerTokenSecret: {name: s, key: k, extra: 1}}]}",
            "unknown field `extra`",
        ),
        (
            "spec: {selector: {}, endpoints: [{tlsConfig: {ca: {secret: {name: a, key: b}, configMap: {name: a, key: b}}}}]}",
            "exactly one of `secret` and `configMap`",
        ),
        (
            "spec: {selector: {}, endpoints: [{tlsConfig: {ca: {}}}]}",
            "exactly one of `secret` and `configMap`",
        ),
        (
            "spec: {selector: {}, endpoints: [{tlsConfig: {ca: {secret: {name: a, key: b}}, caFile: /ca}}]}",
            "`ca` and `caFile`",
        ),
        (
            "spec: {selector: {}, endpoints: [{tlsConfig: {minVersion: TLS14}}]}",
            "unknown variant",
        ),
        (
            "spec: {selector: {}, endpoints: [{proxyUrl: ftp://p}]}",
            "socks5://",
        ),
        (
            "spec: {selector: {}, endpoints: [{oauth2: {clientId: {secret: {name: a, key: b}}, clientSecret: {name: a, key: c}, tokenUrl: socks5://x}}]}",
            "must start with http:// or https://",
        ),
        (
            "spec: {selector: {}, endpoints: [{oauth2: {clientSecret: {name: a, key: c}, tokenUrl: https://x}}]}",
            "missing field `clientId`",
        ),
        (
            "spec: {selector: {}, endpoints: [], scrapeProtocols: [Text]}",
            "unknown variant `Text`",
        ),
        (
            "spec: {selector: {}, endpoints: [], sampleLimit: -5}",
            "invalid value",
        ),
        (
            "spec: {selector: {}, endpoints: [], serviceDiscoveryRole: Pod}",
            "unknown variant",
        ),
        (
            "spec: {selector: {}, endpoints: []}\nstatus: {bindings: [], phase: ok}",
            "unknown field `phase`",
        ),
        (
            "spec: {selector: {}, endpoints: []}\nstatus: {bindings: [{group: apps, resource: prometheuses, name: a, namespace: b}]}",
            "unknown variant `apps`",
        ),
    ];
    for (spec, expected) in cases {
        let err = parse_err::<ServiceMonitorSpec>(&yaml(&format!("{SM_HEAD}{spec}")));
        assert!(err.contains(expected), "{spec}: {err}");
    }
}

#[test]
fn rejects_invalid_pod_monitors() {
    let cases: &[(&str, &str)] = &[
        (
            "spec: {selector: {}, podMetricsEndpoints: [{bearerTokenFile: /t}]}",
            "bearerTokenFile",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{tlsConfig: {caFile: /ca}}]}",
            "tlsConfig.caFile",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{tlsConfig: {certFile: /c}}]}",
            "tlsConfig.certFile",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{tlsConfig: {keyFile: /k}}]}",
            "tlsConfig.keyFile",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{portNumber: 0}]}",
            "nonzero",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{portNumber: 65536}]}",
            "invalid value",
        ),
        (
            "spec: {selector: {}, podMetricsEndpoints: [{interval: 5 minutes}]}",
            "invalid Prometheus duration",
        ),
        (
            "spec: {selector: {}, targetLabels: [app]}",
            "unknown field `targetLabels`",
        ),
        (
            "spec: {selector: {}, endpoints: []}",
            "unknown field `endpoints`",
        ),
        (
            "spec: {selector: {}, serviceDiscoveryRole: Endpoints}",
            "unknown field `serviceDiscoveryRole`",
        ),
    ];
    for (spec, expected) in cases {
        let err = parse_err::<PodMonitorSpec>(&yaml(&format!("{PM_HEAD}{spec}")));
        assert!(err.contains(expected), "{spec}: {err}");
    }
}

#[test]
fn rejects_invalid_prometheus_rules() {
    let cases: &[(&str, &str)] = &[
        ("spec: {groups: [{rules: []}]}", "missing field `name`"),
        (
            "spec: {groups: [{name: g, rules: [{alert: A}]}]}",
            "missing field `expr`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{expr: up}]}]}",
            "exactly one of `alert` and `record`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{alert: A, record: r, expr: up}]}]}",
            "exactly one of `alert` and `record`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{record: r, expr: up, for: 5m}]}]}",
            "`for`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{record: r, expr: up, keep_firing_for: 5m}]}]}",
            "`keep_firing_for`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{record: r, expr: up, annotations: {a: b}}]}]}",
            "`annotations`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{alert: A, expr: up, for: 5 minutes}]}]}",
            "invalid Prometheus duration",
        ),
        (
            "spec: {groups: [{name: g, rules: [{alert: A, expr: up, keepFiringFor: 5m}]}]}",
            "unknown field `keepFiringFor`",
        ),
        (
            "spec: {groups: [{name: g, rules: [{alert: A, expr: 1.5}]}]}",
            "PromQL expression",
        ),
        (
            "spec: {groups: [{name: g, queryOffset: 1m}]}",
            "unknown field `queryOffset`",
        ),
        (
            "spec: {groups: [{name: g, query_offset: 1h1d}]}",
            "out of order",
        ),
        (
            "spec: {groups: [{name: g, partial_response_strategy: ignore}]}",
            "must be abort or warn",
        ),
        ("spec: {groups: [{name: g, limit: -1}]}", "invalid value"),
        ("spec: {rules: []}", "unknown field `rules`"),
    ];
    for (spec, expected) in cases {
        let err = parse_err::<PrometheusRuleSpec>(&yaml(&format!("{PR_HEAD}{spec}")));
        assert!(err.contains(expected), "{spec}: {err}");
    }
}

// === Constructed objects ===

fn secret(name: &str, key: &str) -> SecretKeySelector {
    SecretKeySelector {
        name: name.to_owned(),
        key: key.to_owned(),
        optional: None,
    }
}

fn match_labels(pairs: &[(&str, &str)]) -> LabelSelector {
    LabelSelector {
        match_labels: Some(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
        match_expressions: None,
    }
}

fn duration(text: &str) -> PrometheusDuration {
    PrometheusDuration::parse(text).unwrap()
}

fn constructed() -> (
    ServiceMonitor,
    PodMonitor,
    PrometheusRule,
    ServiceMonitor,
    PodMonitor,
) {
    // Istiod, as in seed 003.
    let mut istiod = Endpoint::port("http-monitoring");
    istiod.scrape.interval = Some(duration("30s"));
    istiod.scrape.path = Some("/metrics".to_owned());
    let sm = ServiceMonitor::new(
        "istio-mesh-metrics",
        Some("istio-system"),
        ServiceMonitorSpec::new(match_labels(&[("app", "istiod")]), [istiod]),
    );

    // Sidecars, as Istio documents.
    let mut envoy = PodMetricsEndpoint::port("http-envoy-prom");
    envoy.scrape.path = Some("/stats/prometheus".to_owned());
    envoy.scrape.interval = Some(duration("15s"));
    envoy.scrape.relabelings = vec![RelabelConfig {
        source_labels: vec!["__meta_kubernetes_pod_container_name".to_owned()],
        regex: Some("istio-proxy".to_owned()),
        action: Some(RelabelAction::Keep),
        ..RelabelConfig::default()
    }];
    let mut pm_spec = PodMonitorSpec::new(
        LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "istio-prometheus-ignore".to_owned(),
                operator: "DoesNotExist".to_owned(),
                values: None,
            }]),
        },
        [envoy],
    );
    pm_spec.namespace_selector = Some(NamespaceSelector::any());
    pm_spec.job_label = Some("envoy-stats".to_owned());
    let pm = PodMonitor::new("envoy-stats-monitor", Some("istio-system"), pm_spec);

    // Seed 003's alerts through the constructor.
    let rule = PrometheusRule::alerting(
        "istio-alerts",
        "istio-system",
        "istio",
        [
            AlertingRule::new(
                "HighSidecarMemory",
                r#"container_memory_usage_bytes{container="istio-proxy"} > 500000000"#,
            )
            .for_(duration("5m"))
            .annotation("summary", "High sidecar memory usage"),
            AlertingRule::new(
                "MeshConfigSyncFailed",
                r#"pilot_proxy_convergence_time{job="istiod"} > 30"#,
            )
            .for_(duration("5m"))
            .keep_firing_for(duration("1h"))
            .label("severity", "warning")
            .annotation("summary", "Mesh configuration sync taking too long"),
        ],
    );

    // Every shared type once.
    let mut secured = Endpoint::port("https-metrics");
    secured.target_port = Some(TargetPort::Number(NonZeroU16::new(15090).unwrap()));
    secured.tls_config = Some(TlsConfig {
        safe: SafeTlsConfig {
            ca: Some(SecretOrConfigMap::ConfigMap(ConfigMapKeySelector {
                name: "istio-ca-root-cert".to_owned(),
                key: "root-cert.pem".to_owned(),
                optional: Some(false),
            })),
            server_name: Some("reviews.bookinfo.svc".to_owned()),
            min_version: Some(TlsVersion::Tls12),
            ..SafeTlsConfig::default()
        },
        cert_file: Some("/etc/prom-certs/cert-chain.pem".to_owned()),
        key_file: Some("/etc/prom-certs/key.pem".to_owned()),
        ..TlsConfig::default()
    });
    secured.scrape.scheme = Some(Scheme::Https);
    secured.scrape.auth = Some(ScrapeAuth::bearer(secret("reviews-token", "token")));
    secured.scrape.proxy = ProxyConfig {
        no_proxy: Some(".svc".to_owned()),
        ..ProxyConfig::url("http://proxy.internal:3128")
    };
    secured
        .scrape
        .params
        .insert("format".to_owned(), vec!["prometheus".to_owned()]);
    secured.scrape.scrape_timeout = Some(duration("10s"));
    secured.scrape.metric_relabelings = vec![RelabelConfig {
        source_labels: vec!["__name__".to_owned()],
        regex: Some("envoy_cluster_(lb|upstream)_.*".to_owned()),
        action: Some(RelabelAction::Drop),
        ..RelabelConfig::default()
    }];
    let mut basic = Endpoint::port("legacy");
    basic.scrape.auth = Some(ScrapeAuth::BasicAuth(BasicAuth {
        username: Some(secret("basic", "user")),
        password: Some(secret("basic", "pass")),
    }));
    let mut sink = ServiceMonitorSpec::new(match_labels(&[("app", "reviews")]), [secured, basic]);
    sink.namespace_selector = Some(NamespaceSelector::names(["bookinfo"]));
    sink.scrape_protocols = vec![
        ScrapeProtocol::PrometheusProto,
        ScrapeProtocol::OpenMetricsText1_0_0,
    ];
    sink.fallback_scrape_protocol = Some(ScrapeProtocol::PrometheusText0_0_4);
    sink.selector_mechanism = Some(SelectorMechanism::RelabelConfig);
    sink.service_discovery_role = Some(ServiceDiscoveryRole::EndpointSlice);
    sink.attach_metadata = Some(AttachMetadata { node: Some(true) });
    sink.sample_limit = Some(50_000);
    sink.body_size_limit = Some("10MiB".to_owned());
    sink.native_histogram_min_bucket_factor = Some(
        k8s_openapi::apimachinery::pkg::api::resource::Quantity("1.1".to_owned()),
    );
    let sink = ServiceMonitor::new("reviews", Some("bookinfo"), sink);

    let mut oauth = OAuth2::new(
        SecretOrConfigMap::Secret(secret("oauth", "client-id")),
        secret("oauth", "client-secret"),
        "https://idp.example.com/token",
    );
    oauth.scopes = vec!["metrics".to_owned()];
    oauth.tls_config = Some(SafeTlsConfig {
        insecure_skip_verify: Some(true),
        ..SafeTlsConfig::default()
    });
    let mut payments = PodMetricsEndpoint {
        port_number: NonZeroU16::new(9090),
        tls_config: Some(SafeTlsConfig {
            cert: Some(SecretOrConfigMap::Secret(secret("client", "tls.crt"))),
            key_secret: Some(secret("client", "tls.key")),
            ..SafeTlsConfig::default()
        }),
        ..PodMetricsEndpoint::default()
    };
    payments.scrape.auth = Some(ScrapeAuth::OAuth2(Box::new(oauth)));
    let payments = PodMonitor::new(
        "payments",
        Some("shop"),
        PodMonitorSpec::new(match_labels(&[("app", "payments")]), [payments]),
    );
    (sm, pm, rule, sink, payments)
}

#[test]
fn constructed_objects_round_trip() {
    let (sm, pm, rule, sink, payments) = constructed();
    for v in [
        serde_json::to_value(&sm).unwrap(),
        serde_json::to_value(&pm).unwrap(),
        serde_json::to_value(&rule).unwrap(),
        serde_json::to_value(&sink).unwrap(),
        serde_json::to_value(&payments).unwrap(),
    ] {
        round_trip_any(&v).unwrap();
    }
    // The constructed seed objects equal the seed's manifests.
    assert_eq!(
        serde_json::to_value(&sm).unwrap(),
        yaml(ISTIOD_SERVICE_MONITOR),
    );
    let alerts = yaml(ISTIO_ALERTS);
    let written = serde_json::to_value(&rule).unwrap();
    assert_eq!(
        written["spec"]["groups"][0]["rules"][0],
        alerts["spec"]["groups"][0]["rules"][0]
    );
    assert_eq!(written["spec"]["groups"][0]["rules"][1]["for"], "5m");
    assert_eq!(
        written["spec"]["groups"][0]["rules"][1]["keep_firing_for"],
        "1h"
    );
}

#[test]
fn constructed_objects_are_valid() {
    if shared().is_none() {
        return;
    }
    let (sm, pm, rule, sink, payments) = constructed();
    let stream = [
        crate::to_yaml_string(&sm).unwrap(),
        crate::to_yaml_string(&pm).unwrap(),
        crate::to_yaml_string(&rule).unwrap(),
        crate::to_yaml_string(&sink).unwrap(),
        crate::to_yaml_string(&payments).unwrap(),
    ]
    .join("---\n");
    let report = crd_validate(&stream).unwrap();
    assert!(report.passed, "{}\n{stream}", report.output);
}

// === Schema coverage ===

/// Every property path of a CRD version's schema (`spec.endpoints[].port`),
/// below `spec` and `status`; map values are `{}`.
fn schema_paths(schema: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let p = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            if path.is_empty() && !matches!(name.as_str(), "spec" | "status") {
                continue;
            }
            out.push(p.clone());
            schema_paths(sub, &p, out);
        }
    }
    if let Some(items) = schema.get("items") {
        schema_paths(items, &format!("{path}[]"), out);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        schema_paths(values, &format!("{path}{{}}"), out);
    }
}

/// The same paths of a document, given the schema (to tell maps from
/// objects).
fn doc_paths(
    doc: &Value,
    schema: &Value,
    path: &str,
    out: &mut std::collections::BTreeSet<String>,
) {
    match doc {
        Value::Object(m) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for (k, v) in m {
                if let Some(sub) = props.and_then(|p| p.get(k)) {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    out.insert(p.clone());
                    doc_paths(v, sub, &p, out);
                } else if let Some(values) = schema.get("additionalProperties") {
                    doc_paths(v, values, &format!("{path}{{}}"), out);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items {
                    doc_paths(v, item_schema, &format!("{path}[]"), out);
                }
            }
        }
        _ => {}
    }
}

/// The realistic manifests above, which all round-trip, use every field of
/// the three schemas (spec and status), so every field is typed and
/// written back.
#[test]
fn realistic_manifests_cover_every_schema_field() {
    let Some(shared) = shared() else { return };
    for (kind, file) in [
        (
            "ServiceMonitor",
            "monitoring.coreos.com_servicemonitors.yaml",
        ),
        ("PodMonitor", "monitoring.coreos.com_podmonitors.yaml"),
        (
            "PrometheusRule",
            "monitoring.coreos.com_prometheusrules.yaml",
        ),
    ] {
        let text =
            std::fs::read_to_string(shared.join("crds/prometheus-operator").join(file)).unwrap();
        let crd: Value = serde_yaml::from_str(&text).unwrap();
        let schema = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
        let mut wanted = Vec::new();
        schema_paths(schema, "", &mut wanted);
        let mut seen = std::collections::BTreeSet::new();
        for (_, text) in REALISTIC {
            let doc = yaml(text);
            if type_of(&doc).map(|t| t.1) == Some(kind) {
                let back = round_trip_any(&doc).unwrap();
                doc_paths(&back, schema, "", &mut seen);
            }
        }
        let missing: Vec<&String> = wanted.iter().filter(|p| !seen.contains(*p)).collect();
        assert!(
            missing.is_empty(),
            "{kind}: fields not exercised: {missing:#?}"
        );
    }
}
