//! Golden signals: the model's alerts as a [`PrometheusRule`] and a Grafana
//! dashboard ConfigMap, from one mesh-specific set of PromQL queries.
//!
//! Each backend describes its metrics once in a [`SignalQueries`] (Istio
//! `istio_requests_total`, Linkerd `response_total`, Envoy
//! `envoy_cluster_upstream_rq*` …); [`alert_rules`] and [`dashboard`] build
//! the objects from it, so alerts and dashboard panels always use the same
//! queries.
//!
//! ```
//! use mesh_k8s::prometheus::golden::{SignalQueries, alert_rules};
//! use mesh_model::{Alert, AlertCondition, AlertSeverity, FieldPath};
//!
//! let queries = SignalQueries {
//!     mesh: "demo",
//!     service_labels: &["service"],
//!     request_rate: "sum by (service) (rate(requests_total[5m]))".into(),
//!     success_ratio: "sum by (service) (rate(requests_total{code!~\"5..\"}[5m])) / sum by (service) (rate(requests_total[5m]))".into(),
//!     latency_p99_ms: "histogram_quantile(0.99, sum by (le, service) (rate(latency_ms_bucket[5m])))".into(),
//!     proxy_memory_bytes: "container_memory_working_set_bytes{container=\"proxy\"}".into(),
//!     config_sync_p99_seconds: None,
//! };
//! let alerts = [Alert {
//!     name: None,
//!     when: AlertCondition::SuccessRateBelow(mesh_model::Percent::new(99.0)?),
//!     for_: "5m".parse()?,
//!     summary: None,
//!     severity: AlertSeverity::Critical,
//! }];
//! let rule = alert_rules("mesh-alerts", "monitoring", &queries, &alerts, &FieldPath::root())
//!     .map_err(|e| e[0].1.clone())?;
//! let yaml = mesh_k8s::to_yaml_string(&rule)?;
//! assert!(yaml.contains("alert: SuccessRateLow"));
//! assert!(yaml.contains("< 0.99"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use mesh_model::{Alert, AlertCondition, AlertSeverity, FieldPath};
use serde_json::{Value, json};

use super::{AlertingRule, PrometheusDuration, PrometheusRule};
use crate::ObjectMeta;

/// A mesh's PromQL for the golden signals. Service-level queries aggregate
/// by [`service_labels`](Self::service_labels), so that one alert rule
/// covers every service and fires per service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalQueries {
    /// The mesh's name, for titles (`Istio`).
    pub mesh: &'static str,
    /// The labels that name a destination service in the results
    /// (`destination_service_name`, `destination_service_namespace`).
    pub service_labels: &'static [&'static str],
    /// Requests per second, per service.
    pub request_rate: String,
    /// The share of requests answered without a 5xx, per service (0–1).
    pub success_ratio: String,
    /// The 99th-percentile request latency in milliseconds, per service.
    pub latency_p99_ms: String,
    /// Each proxy's memory use in bytes.
    pub proxy_memory_bytes: String,
    /// The control plane's 99th-percentile configuration push time in
    /// seconds, where the mesh exports one.
    pub config_sync_p99_seconds: Option<String>,
}

impl SignalQueries {
    fn legend(&self) -> String {
        self.service_labels
            .iter()
            .map(|l| format!("{{{{{l}}}}}"))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn service_template(&self) -> String {
        self.service_labels
            .iter()
            .map(|l| format!("{{{{ $labels.{l} }}}}"))
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// The default alert name for a condition (`SuccessRateLow`).
pub fn default_alert_name(condition: &AlertCondition) -> &'static str {
    match condition {
        AlertCondition::SuccessRateBelow(_) => "SuccessRateLow",
        AlertCondition::LatencyP99Above(_) => "LatencyP99High",
        AlertCondition::RequestRateAbove(_) => "RequestRateHigh",
        AlertCondition::ProxyMemoryAbove(_) => "HighSidecarMemory",
        AlertCondition::ConfigSyncAbove(_) => "MeshConfigSyncSlow",
    }
}

/// A number as PromQL writes it: no exponent, no trailing `.0`.
fn number(n: f64) -> String {
    let text = format!("{n}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

/// The alert's expression and default summary, or why the mesh cannot
/// say it.
fn condition(q: &SignalQueries, when: &AlertCondition) -> Result<(String, String), String> {
    let svc = q.service_template();
    Ok(match when {
        AlertCondition::SuccessRateBelow(p) => (
            format!("({}) < {}", q.success_ratio, number(p.ratio())),
            format!("Success rate of {svc} below {}%", number(p.get())),
        ),
        AlertCondition::LatencyP99Above(d) => (
            format!(
                "({}) > {}",
                q.latency_p99_ms,
                number(d.as_nanos() as f64 / 1e6)
            ),
            format!("p99 latency of {svc} above {d}"),
        ),
        AlertCondition::RequestRateAbove(n) => (
            format!("({}) > {n}", q.request_rate),
            format!("Request rate of {svc} above {n}/s"),
        ),
        AlertCondition::ProxyMemoryAbove(m) => (
            format!("({}) > {}", q.proxy_memory_bytes, number(m.value())),
            "High sidecar memory usage".to_owned(),
        ),
        AlertCondition::ConfigSyncAbove(d) => match &q.config_sync_p99_seconds {
            Some(sync) => (
                format!("({sync}) > {}", number(d.as_nanos() as f64 / 1e9)),
                "Mesh configuration sync taking too long".to_owned(),
            ),
            None => {
                return Err(format!(
                    "{} exports no configuration-push latency metric; alert on the proxies' \
                     readiness or the control plane's errors instead",
                    q.mesh
                ));
            }
        },
    })
}

/// The model's `alerts` (at `path`, the model's `observability.metrics`
/// path) as one PrometheusRule `name` in `namespace` with one group per
/// mesh. Conditions the mesh has no metric for are returned as `(path,
/// reason)` pairs, all of them, and no rule.
pub fn alert_rules(
    name: &str,
    namespace: &str,
    queries: &SignalQueries,
    alerts: &[Alert],
    path: &FieldPath,
) -> Result<PrometheusRule, Vec<(FieldPath, String)>> {
    let mut rules = Vec::with_capacity(alerts.len());
    let mut refused = Vec::new();
    for (i, alert) in alerts.iter().enumerate() {
        let at = path.field("alerts").index(i);
        let (expr, summary) = match condition(queries, &alert.when) {
            Ok(c) => c,
            Err(reason) => {
                refused.push((at.field("when"), reason));
                continue;
            }
        };
        let name = alert
            .name
            .clone()
            .unwrap_or_else(|| default_alert_name(&alert.when).to_owned());
        let mut rule = AlertingRule::new(name, expr)
            .label(
                "severity",
                match alert.severity {
                    AlertSeverity::Warning => "warning",
                    AlertSeverity::Critical => "critical",
                },
            )
            .annotation("summary", alert.summary.clone().unwrap_or(summary));
        match PrometheusDuration::from_duration(alert.for_) {
            Some(d) => rule = rule.for_(d),
            None => refused.push((
                at.field("for"),
                "Prometheus durations have millisecond precision; round `for`".to_owned(),
            )),
        }
        rules.push(rule);
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    Ok(PrometheusRule::alerting(
        name,
        namespace,
        queries.mesh.to_ascii_lowercase(),
        rules,
    ))
}

fn panel(id: u32, title: &str, expr: &str, legend: &str, unit: &str, y: u32) -> Value {
    json!({
        "id": id,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 24, "x": 0, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "showLegend": true}},
        "targets": [{
            "refId": "A",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "expr": expr,
            "legendFormat": legend,
        }],
    })
}

/// The dashboard's JSON model (Grafana's file-provisioning format): request
/// rate, success rate and p99 latency per service, with a Prometheus
/// data-source variable.
pub fn dashboard_json(queries: &SignalQueries, uid: &str) -> Value {
    let legend = queries.legend();
    json!({
        "uid": uid,
        "title": format!("{} Mesh Dashboard", queries.mesh),
        "tags": ["meshwright", queries.mesh.to_ascii_lowercase()],
        "schemaVersion": 39,
        "editable": true,
        "time": {"from": "now-1h", "to": "now"},
        "refresh": "30s",
        "templating": {"list": [{
            "name": "datasource",
            "label": "Data source",
            "type": "datasource",
            "query": "prometheus",
        }]},
        "panels": [
            panel(1, "Request Rate", &queries.request_rate, &legend, "reqps", 0),
            panel(2, "Success Rate", &format!("({}) * 100", queries.success_ratio), &legend, "percent", 8),
            panel(3, "P99 Latency", &queries.latency_p99_ms, &legend, "ms", 16),
        ],
    })
}

/// A ConfigMap `name` in `namespace` holding the dashboard as `<name>.json`,
/// labelled `grafana_dashboard: "1"` for Grafana's dashboard sidecar.
pub fn dashboard(name: &str, namespace: &str, queries: &SignalQueries) -> ConfigMap {
    let json = dashboard_json(queries, name);
    let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string());
    ConfigMap {
        metadata: ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            labels: Some(BTreeMap::from([(
                "grafana_dashboard".to_owned(),
                "1".to_owned(),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(format!("{name}.json"), text)])),
        ..ConfigMap::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mesh_model::{Percent, Quantity};

    fn queries() -> SignalQueries {
        SignalQueries {
            mesh: "Test",
            service_labels: &["ns", "svc"],
            request_rate: "sum by (ns, svc) (rate(r_total[5m]))".into(),
            success_ratio: "sum by (ns, svc) (rate(r_total{code!~\"5..\"}[5m])) / sum by (ns, svc) (rate(r_total[5m]))".into(),
            latency_p99_ms: "histogram_quantile(0.99, sum by (le, ns, svc) (rate(l_bucket[5m])))".into(),
            proxy_memory_bytes: "container_memory_working_set_bytes{container=\"proxy\"}".into(),
            config_sync_p99_seconds: None,
        }
    }

    fn alert(when: AlertCondition) -> Alert {
        Alert {
            name: None,
            when,
            for_: "5m".parse().unwrap(),
            summary: None,
            severity: AlertSeverity::Warning,
        }
    }

    #[test]
    fn thresholds_are_written_in_each_metrics_unit() {
        let q = queries();
        let alerts = [
            alert(AlertCondition::SuccessRateBelow(
                Percent::new(99.5).unwrap(),
            )),
            alert(AlertCondition::LatencyP99Above("1.5s".parse().unwrap())),
            alert(AlertCondition::RequestRateAbove(1000)),
            alert(AlertCondition::ProxyMemoryAbove(
                Quantity::new("500M").unwrap(),
            )),
        ];
        let rule = alert_rules("r", "ns", &q, &alerts, &FieldPath::root()).unwrap();
        let json = serde_json::to_value(&rule).unwrap();
        let rules = &json["spec"]["groups"][0]["rules"];
        assert_eq!(rules[0]["alert"], "SuccessRateLow");
        assert!(rules[0]["expr"].as_str().unwrap().ends_with(") < 0.995"));
        assert!(rules[1]["expr"].as_str().unwrap().ends_with(") > 1500"));
        assert!(rules[2]["expr"].as_str().unwrap().ends_with(") > 1000"));
        assert_eq!(
            rules[3]["expr"],
            "(container_memory_working_set_bytes{container=\"proxy\"}) > 500000000"
        );
        assert_eq!(rules[3]["alert"], "HighSidecarMemory");
        assert_eq!(
            rules[3]["annotations"]["summary"],
            "High sidecar memory usage"
        );
        assert_eq!(rules[0]["labels"]["severity"], "warning");
        assert_eq!(rules[0]["for"], "5m");
        assert_eq!(
            rules[0]["annotations"]["summary"],
            "Success rate of {{ $labels.ns }}.{{ $labels.svc }} below 99.5%"
        );
    }

    #[test]
    fn a_condition_without_a_metric_is_refused_with_its_path() {
        let alerts = [
            alert(AlertCondition::RequestRateAbove(1)),
            alert(AlertCondition::ConfigSyncAbove("30s".parse().unwrap())),
        ];
        let path = FieldPath::root().field("observability").field("metrics");
        let err = alert_rules("r", "ns", &queries(), &alerts, &path).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].0.to_string(), "observability.metrics.alerts[1].when");
        assert!(err[0].1.contains("Test exports no configuration-push"));
    }

    #[test]
    fn the_dashboard_uses_the_same_queries() {
        let q = queries();
        let cm = dashboard("mesh-dashboard", "monitoring", &q);
        assert_eq!(
            cm.metadata.labels.as_ref().unwrap()["grafana_dashboard"],
            "1"
        );
        let text = &cm.data.as_ref().unwrap()["mesh-dashboard.json"];
        let model: Value = serde_json::from_str(text).unwrap();
        assert_eq!(model["title"], "Test Mesh Dashboard");
        assert_eq!(model["panels"][0]["targets"][0]["expr"], q.request_rate);
        assert_eq!(
            model["panels"][1]["targets"][0]["expr"],
            format!("({}) * 100", q.success_ratio)
        );
        assert_eq!(
            model["panels"][2]["targets"][0]["legendFormat"],
            "{{ns}}.{{svc}}"
        );
    }
}
