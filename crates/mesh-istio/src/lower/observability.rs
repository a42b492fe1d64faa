//! Access logs (Telemetry); what belongs to the installation is refused.

use mesh_model::{Feature, FieldPath, LogFormat, Profile};

use super::Cx;
use crate::crds::{AccessLogging, NonEmptyString, ProviderRef, Telemetry, TelemetrySpec};

const INSTALL_HINT: &str = "lowered with the control-plane installation (IstioOperator), not by this backend yet; \
                            remove it from the policy and configure it at install time";

pub(crate) fn lower(cx: &mut Cx<'_>) {
    let o = &cx.mesh.observability;
    let path = FieldPath::root().field("observability");
    if o.tracing.is_some() {
        cx.unsupported(
            Feature::Tracing,
            path.clone().field("tracing"),
            format!("tracing is {INSTALL_HINT}"),
        );
    }
    if let Some(m) = &o.metrics {
        let mpath = path.clone().field("metrics");
        if m.scrape_proxies {
            cx.unsupported(
                Feature::MetricsScrape,
                mpath.clone().field("scrapeProxies"),
                format!("scraping is {INSTALL_HINT}"),
            );
        }
        if m.scrape_control_plane {
            cx.unsupported(
                Feature::MetricsScrape,
                mpath.clone().field("scrapeControlPlane"),
                format!("scraping is {INSTALL_HINT}"),
            );
        }
        if m.interval.is_some() {
            cx.unsupported(
                Feature::MetricsScrape,
                mpath.clone().field("interval"),
                format!("scraping is {INSTALL_HINT}"),
            );
        }
        if !m.tags.is_empty() {
            cx.unsupported(
                Feature::MetricTags,
                mpath.clone().field("tags"),
                format!("metric tags are {INSTALL_HINT}"),
            );
        }
        if !m.alerts.is_empty() {
            cx.unsupported(
                Feature::Alerts,
                mpath.clone().field("alerts"),
                format!("alerts are {INSTALL_HINT}"),
            );
        }
        if m.dashboard {
            cx.unsupported(
                Feature::Dashboard,
                mpath.clone().field("dashboard"),
                format!("dashboards are {INSTALL_HINT}"),
            );
        }
    }
    if !o.addons.is_empty() {
        cx.unsupported(
            Feature::Installation,
            path.clone().field("addons"),
            format!("add-ons are {INSTALL_HINT}"),
        );
    }
    if let Some(logs) = &o.access_logs {
        if logs.format == LogFormat::Json {
            cx.unsupported(
                Feature::AccessLogs,
                path.clone().field("accessLogs").field("format"),
                "the `envoy` provider's encoding is meshConfig.accessLogEncoding (installation); use text here and \
                 set JSON at install time",
            );
        }
        match NonEmptyString::new("envoy") {
            Ok(name) => {
                let root = cx.opts.root_namespace.clone();
                let t = Telemetry::new(
                    "mesh-default",
                    Some(&root),
                    TelemetrySpec {
                        access_logging: vec![AccessLogging {
                            providers: vec![ProviderRef { name }],
                            ..AccessLogging::default()
                        }],
                        ..TelemetrySpec::default()
                    },
                );
                let v = cx.opts.api_versions.telemetry.clone();
                cx.emit(t, &v);
            }
            Err(e) => cx.out.error(mesh_model::LowerError::Output(e.to_string())),
        }
    }
    installation(cx);
}

fn installation(cx: &mut Cx<'_>) {
    let Some(i) = &cx.mesh.installation else {
        return;
    };
    let path = FieldPath::root().field("installation");
    let checks = [
        (
            i.profile != Profile::default(),
            Feature::Installation,
            "profile",
        ),
        (
            i.high_availability,
            Feature::HighAvailability,
            "highAvailability",
        ),
        (
            i.control_plane != Default::default(),
            Feature::Installation,
            "controlPlane",
        ),
        (
            i.proxy != Default::default(),
            Feature::Installation,
            "proxy",
        ),
        (
            i.certificate_authority != Default::default(),
            Feature::ExternalCa,
            "certificateAuthority",
        ),
        (
            i.ingress_gateway.is_some(),
            Feature::Installation,
            "ingressGateway",
        ),
        (
            i.egress_gateway.is_some(),
            Feature::Installation,
            "egressGateway",
        ),
    ];
    for (set, feature, field) in checks {
        if set {
            cx.unsupported(
                feature,
                path.clone().field(field),
                format!("`installation.{field}` is {INSTALL_HINT}"),
            );
        }
    }
}
