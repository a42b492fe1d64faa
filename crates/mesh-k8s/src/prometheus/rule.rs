//! [`PrometheusRule`]: groups of alerting and recording rules.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::status::ConfigResourceStatus;
use super::{Error, PrometheusDuration};
use crate::{ApplyOrder, Kind, Object};

/// A PrometheusRule: alerting and recording rules for the Prometheus (or
/// ThanosRuler) objects that select it.
pub type PrometheusRule = Object<PrometheusRuleSpec>;

/// The spec of a [`PrometheusRule`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrometheusRuleSpec {
    /// The rule groups (names unique within the object).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<RuleGroup>,
}

impl Kind for PrometheusRuleSpec {
    const GROUP: &'static str = super::GROUP;
    const KIND: &'static str = "PrometheusRule";
    const SPEC_REQUIRED: bool = true;
    const PLURAL: &'static str = "prometheusrules";
    const VERSIONS: &'static [&'static str] = &["v1"];
    const API_VERSIONS: &'static [&'static str] = &["monitoring.coreos.com/v1"];
    const APPLY_ORDER: ApplyOrder = ApplyOrder::Observability;
    type Scope = k8s_openapi::NamespaceResourceScope;
    type Status = ConfigResourceStatus;
}

impl PrometheusRuleSpec {
    /// One group named `group` holding `alerts`.
    ///
    /// ```
    /// use mesh_k8s::prometheus::{AlertingRule, PrometheusDuration, PrometheusRuleSpec, Rule};
    ///
    /// let five_minutes = PrometheusDuration::parse("5m").unwrap();
    /// let spec = PrometheusRuleSpec::alerts(
    ///     "reviews-golden-signals",
    ///     [
    ///         AlertingRule::new(
    ///             "ReviewsHighErrorRate",
    ///             r#"sum(rate(istio_requests_total{destination_service_name="reviews",response_code=~"5.."}[5m]))
    ///   / sum(rate(istio_requests_total{destination_service_name="reviews"}[5m])) > 0.05"#,
    ///         )
    ///         .for_(five_minutes.clone())
    ///         .label("severity", "critical")
    ///         .annotation("summary", "reviews: more than 5% of requests fail"),
    ///         AlertingRule::new(
    ///             "ReviewsHighLatency",
    ///             r#"histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{destination_service_name="reviews"}[5m]))) > 500"#,
    ///         )
    ///         .for_(five_minutes)
    ///         .label("severity", "warning"),
    ///     ],
    /// );
    /// assert_eq!(spec.groups[0].name, "reviews-golden-signals");
    /// assert!(matches!(&spec.groups[0].rules[1], Rule::Alert(a) if a.alert == "ReviewsHighLatency"));
    /// ```
    pub fn alerts(
        group: impl Into<String>,
        alerts: impl IntoIterator<Item = AlertingRule>,
    ) -> Self {
        PrometheusRuleSpec {
            groups: vec![RuleGroup::new(group, alerts.into_iter().map(Rule::Alert))],
        }
    }
}

impl Object<PrometheusRuleSpec> {
    /// A PrometheusRule `name` in `namespace` with one group of alerting
    /// rules (see [`PrometheusRuleSpec::alerts`]).
    ///
    /// ```
    /// use mesh_k8s::prometheus::{AlertingRule, PrometheusDuration, PrometheusRule};
    ///
    /// let rule = PrometheusRule::alerting(
    ///     "istio-alerts",
    ///     "istio-system",
    ///     "istio",
    ///     [AlertingRule::new("MeshConfigSyncFailed", r#"pilot_proxy_convergence_time{job="istiod"} > 30"#)
    ///         .for_(PrometheusDuration::parse("5m").unwrap())
    ///         .annotation("summary", "Mesh configuration sync taking too long")],
    /// );
    /// assert_eq!(rule.namespace(), Some("istio-system"));
    /// ```
    pub fn alerting(
        name: impl Into<String>,
        namespace: &str,
        group: impl Into<String>,
        alerts: impl IntoIterator<Item = AlertingRule>,
    ) -> Self {
        Object::new(
            name,
            Some(namespace),
            PrometheusRuleSpec::alerts(group, alerts),
        )
    }
}

/// A group of rules evaluated in order at one interval.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleGroup {
    /// Group name (not empty).
    pub name: String,
    /// Evaluation interval. Default: the global evaluation interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<PrometheusDuration>,
    /// Shift of the evaluation timestamp into the past (Prometheus >=
    /// 2.53; not for ThanosRuler).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_offset: Option<PrometheusDuration>,
    /// Most alerts an alerting rule / series a recording rule may produce;
    /// 0: no limit (Prometheus >= 2.31).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// Labels added to every rule's result; a rule's own labels win
    /// (Prometheus >= 3.0; ignored by ThanosRuler).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// What ThanosRuler does on partial query responses (ignored by
    /// Prometheus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_response_strategy: Option<PartialResponseStrategy>,
    /// The rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
}

impl RuleGroup {
    /// A group `name` with `rules` and default settings.
    pub fn new(name: impl Into<String>, rules: impl IntoIterator<Item = Rule>) -> Self {
        RuleGroup {
            name: name.into(),
            rules: rules.into_iter().collect(),
            ..RuleGroup::default()
        }
    }
}

/// ThanosRuler's handling of partial query responses. Read
/// case-insensitively, written lower-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartialResponseStrategy {
    /// Fail the evaluation.
    Abort,
    /// Evaluate with the partial data and warn.
    Warn,
}

impl Serialize for PartialResponseStrategy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match self {
            PartialResponseStrategy::Abort => "abort",
            PartialResponseStrategy::Warn => "warn",
        })
    }
}

impl<'de> Deserialize<'de> for PartialResponseStrategy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.eq_ignore_ascii_case("abort") {
            Ok(PartialResponseStrategy::Abort)
        } else if s.eq_ignore_ascii_case("warn") {
            Ok(PartialResponseStrategy::Warn)
        } else {
            Err(serde::de::Error::custom(Error::Invalid {
                field: "partial_response_strategy",
                value: s,
                reason: "must be abort or warn",
            }))
        }
    }
}

/// An alerting or a recording rule (exactly one of `alert` and `record`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RuleRepr", into = "RuleRepr")]
pub enum Rule {
    /// An alerting rule.
    Alert(AlertingRule),
    /// A recording rule.
    Record(RecordingRule),
}

impl From<AlertingRule> for Rule {
    fn from(r: AlertingRule) -> Self {
        Rule::Alert(r)
    }
}

impl From<RecordingRule> for Rule {
    fn from(r: RecordingRule) -> Self {
        Rule::Record(r)
    }
}

/// A rule that fires an alert while `expr` returns series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertingRule {
    /// Alert name (a valid label value).
    pub alert: String,
    /// PromQL expression; every series it returns is an active alert.
    pub expr: Expr,
    /// How long the expression must hold before the alert fires (it is
    /// pending until then). Default: fires at once.
    pub for_: Option<PrometheusDuration>,
    /// How long the alert keeps firing after the expression stops
    /// returning it. Default: stops at once.
    pub keep_firing_for: Option<PrometheusDuration>,
    /// Labels added to (or overwritten on) the alert, e.g. `severity`.
    pub labels: BTreeMap<String, String>,
    /// Annotations of the alert, e.g. `summary`, `description`.
    pub annotations: BTreeMap<String, String>,
}

impl AlertingRule {
    /// Alert `alert` when `expr` returns series, firing at once.
    pub fn new(alert: impl Into<String>, expr: impl Into<Expr>) -> Self {
        AlertingRule {
            alert: alert.into(),
            expr: expr.into(),
            for_: None,
            keep_firing_for: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// Sets `for`: fire only after the expression held this long.
    pub fn for_(mut self, duration: PrometheusDuration) -> Self {
        self.for_ = Some(duration);
        self
    }

    /// Sets `keep_firing_for`.
    pub fn keep_firing_for(mut self, duration: PrometheusDuration) -> Self {
        self.keep_firing_for = Some(duration);
        self
    }

    /// Adds a label.
    pub fn label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(name.into(), value.into());
        self
    }

    /// Adds an annotation.
    pub fn annotation(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(name.into(), value.into());
        self
    }
}

/// A rule that records the result of `expr` as a new series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingRule {
    /// Name of the recorded series (a valid metric name).
    pub record: String,
    /// PromQL expression.
    pub expr: Expr,
    /// Labels added to (or overwritten on) the recorded series.
    pub labels: BTreeMap<String, String>,
}

impl RecordingRule {
    /// Record `expr` as `record`.
    pub fn new(record: impl Into<String>, expr: impl Into<Expr>) -> Self {
        RecordingRule {
            record: record.into(),
            expr: expr.into(),
            labels: BTreeMap::new(),
        }
    }
}

/// A rule's PromQL expression: a string, or (as the schema allows) a bare
/// integer such as `1`. Written back in the form it was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// An expression written as a YAML/JSON integer.
    Number(i64),
    /// An expression written as a string.
    Query(String),
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{n}"),
            Expr::Query(q) => f.write_str(q),
        }
    }
}

impl From<&str> for Expr {
    fn from(q: &str) -> Self {
        Expr::Query(q.to_owned())
    }
}

impl From<String> for Expr {
    fn from(q: String) -> Self {
        Expr::Query(q)
    }
}

impl From<i64> for Expr {
    fn from(n: i64) -> Self {
        Expr::Number(n)
    }
}

impl Serialize for Expr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Expr::Number(n) => s.serialize_i64(*n),
            Expr::Query(q) => s.serialize_str(q),
        }
    }
}

impl<'de> Deserialize<'de> for Expr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Expr;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a PromQL expression (string or integer)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Expr, E> {
                Ok(Expr::Number(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Expr, E> {
                i64::try_from(v)
                    .map(Expr::Number)
                    .map_err(|_| E::custom("integer expression out of range"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expr, E> {
                Ok(Expr::Query(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Expr, E> {
                Ok(Expr::Query(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alert: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    expr: Expr,
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    for_: Option<PrometheusDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    keep_firing_for: Option<PrometheusDuration>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    annotations: BTreeMap<String, String>,
}

impl TryFrom<RuleRepr> for Rule {
    type Error = Error;
    fn try_from(r: RuleRepr) -> Result<Self, Error> {
        match (r.alert, r.record) {
            (Some(alert), None) => Ok(Rule::Alert(AlertingRule {
                alert,
                expr: r.expr,
                for_: r.for_,
                keep_firing_for: r.keep_firing_for,
                labels: r.labels,
                annotations: r.annotations,
            })),
            (None, Some(record)) => {
                for (set, field) in [
                    (r.for_.is_some(), "for"),
                    (r.keep_firing_for.is_some(), "keep_firing_for"),
                    (!r.annotations.is_empty(), "annotations"),
                ] {
                    if set {
                        return Err(Error::NotAllowed {
                            field,
                            reason: "only alerting rules have it",
                        });
                    }
                }
                Ok(Rule::Record(RecordingRule {
                    record,
                    expr: r.expr,
                    labels: r.labels,
                }))
            }
            _ => Err(Error::OneOf {
                fields: "`alert` and `record`",
            }),
        }
    }
}

impl From<Rule> for RuleRepr {
    fn from(r: Rule) -> Self {
        match r {
            Rule::Alert(a) => RuleRepr {
                alert: Some(a.alert),
                record: None,
                expr: a.expr,
                for_: a.for_,
                keep_firing_for: a.keep_firing_for,
                labels: a.labels,
                annotations: a.annotations,
            },
            Rule::Record(rec) => RuleRepr {
                alert: None,
                record: Some(rec.record),
                expr: rec.expr,
                for_: None,
                keep_firing_for: None,
                labels: rec.labels,
                annotations: BTreeMap::new(),
            },
        }
    }
}
