//! Scrape endpoints: [`ScrapeEndpoint`] (the settings ServiceMonitor and
//! PodMonitor endpoints share), [`Endpoint`] (ServiceMonitor) and
//! [`PodMetricsEndpoint`] (PodMonitor).
//!
//! On the wire each endpoint is one flat object; both are read through one
//! private, strict representation holding the union of the fields, and a
//! field of the other kind (`portNumber` in a ServiceMonitor,
//! `bearerTokenFile` or a TLS file path in a PodMonitor) is an unknown
//! field.

use std::collections::BTreeMap;
use std::num::NonZeroU16;

use k8s_openapi::api::core::v1::SecretKeySelector;
use serde::{Deserialize, Serialize};

use super::common::{
    BasicAuth, OAuth2, ProxyConfig, RelabelConfig, SafeAuthorization, SafeTlsConfig, Scheme,
    ScrapeAuth, TargetPort, TlsConfig,
};
use super::{Error, PrometheusDuration, keyref};

/// How Prometheus scrapes one kind of target: what ServiceMonitor
/// [`Endpoint`]s and PodMonitor [`PodMetricsEndpoint`]s have in common.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScrapeEndpoint {
    /// HTTP path of the metrics. Default: `/metrics`.
    pub path: Option<String>,
    /// HTTP scheme. Default: `http`.
    pub scheme: Option<Scheme>,
    /// URL query parameters (name to values).
    pub params: BTreeMap<String, Vec<String>>,
    /// Scrape interval. Default: the Prometheus' global interval.
    pub interval: Option<PrometheusDuration>,
    /// Scrape timeout, at most the interval. Default: the global timeout
    /// (or the interval if shorter).
    pub scrape_timeout: Option<PrometheusDuration>,
    /// Keep the scraped series' labels when they collide with target
    /// labels. Default: false.
    pub honor_labels: Option<bool>,
    /// Keep the timestamps the target exposes. Default: true.
    pub honor_timestamps: Option<bool>,
    /// Track staleness of series with explicit timestamps (Prometheus >=
    /// 2.48; no effect when `honorTimestamps` is false).
    pub track_timestamps_staleness: Option<bool>,
    /// Relabeling of the target's labels before the scrape (the original
    /// job name is in `__tmp_prometheus_job_name`).
    pub relabelings: Vec<RelabelConfig>,
    /// Relabeling of scraped series before ingestion.
    pub metric_relabelings: Vec<RelabelConfig>,
    /// Drop pods that are not running (Failed/Succeeded). Default: true.
    pub filter_running: Option<bool>,
    /// Follow HTTP 3xx redirects. Default: true.
    pub follow_redirects: Option<bool>,
    /// Allow HTTP/2 (set false to disable). Default: true.
    pub enable_http2: Option<bool>,
    /// Authentication (at most one kind). Default: none.
    pub auth: Option<ScrapeAuth>,
    /// HTTP proxy. Default: none.
    pub proxy: ProxyConfig,
}

/// A ServiceMonitor endpoint: a port of the selected Services' endpoints
/// and how to scrape it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EndpointRepr", into = "EndpointRepr")]
pub struct Endpoint {
    /// Name of the Service port (`.spec.ports[].name`); takes precedence
    /// over `targetPort`.
    pub port: Option<String>,
    /// Name or number of the pods' container port behind the Service.
    pub target_port: Option<TargetPort>,
    /// TLS settings, including files in the Prometheus container.
    pub tls_config: Option<TlsConfig>,
    /// File in the Prometheus container holding a bearer token. Deprecated:
    /// use [`ScrapeAuth::Authorization`]; not with another `auth`.
    pub bearer_token_file: Option<String>,
    /// The scrape settings.
    pub scrape: ScrapeEndpoint,
}

impl Endpoint {
    /// Scrape the Service port named `port` with default settings.
    pub fn port(port: impl Into<String>) -> Self {
        Endpoint {
            port: Some(port.into()),
            ..Endpoint::default()
        }
    }
}

/// A PodMonitor endpoint: a port of the selected pods and how to scrape
/// it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EndpointRepr", into = "EndpointRepr")]
pub struct PodMetricsEndpoint {
    /// Name of the pod port; takes precedence over `portNumber` and
    /// `targetPort`. No port of that name: no target.
    pub port: Option<String>,
    /// Number of a port the pod declares (an undeclared port needs
    /// relabeling of `__address__`).
    pub port_number: Option<NonZeroU16>,
    /// Name or number of the container port. Deprecated: use `port` or
    /// `portNumber`.
    pub target_port: Option<TargetPort>,
    /// TLS settings (Secrets and ConfigMaps only).
    pub tls_config: Option<SafeTlsConfig>,
    /// The scrape settings.
    pub scrape: ScrapeEndpoint,
}

impl PodMetricsEndpoint {
    /// Scrape the pod port named `port` with default settings.
    pub fn port(port: impl Into<String>) -> Self {
        PodMetricsEndpoint {
            port: Some(port.into()),
            ..PodMetricsEndpoint::default()
        }
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EndpointRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    authorization: Option<SafeAuthorization>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    basic_auth: Option<BasicAuth>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bearer_token_file: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "keyref::secret_opt"
    )]
    bearer_token_secret: Option<SecretKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enable_http2: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    filter_running: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    follow_redirects: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    honor_labels: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    honor_timestamps: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    interval: Option<PrometheusDuration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    metric_relabelings: Vec<RelabelConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    no_proxy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oauth2: Option<OAuth2>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    params: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port_number: Option<NonZeroU16>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        with = "keyref::secret_headers"
    )]
    proxy_connect_header: BTreeMap<String, Vec<SecretKeySelector>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_from_environment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    proxy_url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    relabelings: Vec<RelabelConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scheme: Option<Scheme>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scrape_timeout: Option<PrometheusDuration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_port: Option<TargetPort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tls_config: Option<TlsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    track_timestamps_staleness: Option<bool>,
}

impl EndpointRepr {
    /// Moves the shared settings out, leaving the kind-specific fields.
    fn take_scrape(&mut self) -> Result<ScrapeEndpoint, Error> {
        let r = std::mem::take(self);
        let auth = ScrapeAuth::from_wire(
            r.authorization,
            r.basic_auth,
            r.oauth2,
            r.bearer_token_secret,
        )?;
        let proxy = ProxyConfig::from_wire(
            r.proxy_url,
            r.no_proxy,
            r.proxy_from_environment,
            r.proxy_connect_header,
        )?;
        *self = EndpointRepr {
            bearer_token_file: r.bearer_token_file,
            port: r.port,
            port_number: r.port_number,
            target_port: r.target_port,
            tls_config: r.tls_config,
            ..EndpointRepr::default()
        };
        Ok(ScrapeEndpoint {
            path: r.path,
            scheme: r.scheme,
            params: r.params,
            interval: r.interval,
            scrape_timeout: r.scrape_timeout,
            honor_labels: r.honor_labels,
            honor_timestamps: r.honor_timestamps,
            track_timestamps_staleness: r.track_timestamps_staleness,
            relabelings: r.relabelings,
            metric_relabelings: r.metric_relabelings,
            filter_running: r.filter_running,
            follow_redirects: r.follow_redirects,
            enable_http2: r.enable_http2,
            auth,
            proxy,
        })
    }

    fn from_scrape(s: ScrapeEndpoint) -> Self {
        let (authorization, basic_auth, oauth2, bearer_token_secret) =
            ScrapeAuth::into_wire(s.auth);
        EndpointRepr {
            authorization,
            basic_auth,
            bearer_token_secret,
            oauth2,
            enable_http2: s.enable_http2,
            filter_running: s.filter_running,
            follow_redirects: s.follow_redirects,
            honor_labels: s.honor_labels,
            honor_timestamps: s.honor_timestamps,
            interval: s.interval,
            metric_relabelings: s.metric_relabelings,
            no_proxy: s.proxy.no_proxy,
            params: s.params,
            path: s.path,
            proxy_connect_header: s.proxy.proxy_connect_header,
            proxy_from_environment: s.proxy.proxy_from_environment,
            proxy_url: s.proxy.proxy_url,
            relabelings: s.relabelings,
            scheme: s.scheme,
            scrape_timeout: s.scrape_timeout,
            track_timestamps_staleness: s.track_timestamps_staleness,
            ..EndpointRepr::default()
        }
    }
}

impl TryFrom<EndpointRepr> for Endpoint {
    type Error = Error;
    fn try_from(mut r: EndpointRepr) -> Result<Self, Error> {
        if r.port_number.is_some() {
            return Err(Error::NotAllowed {
                field: "portNumber",
                reason: "only PodMonitor endpoints have it; use port or targetPort",
            });
        }
        let scrape = r.take_scrape()?;
        if r.bearer_token_file.is_some()
            && let Some(auth) = &scrape.auth
        {
            return Err(Error::Conflict {
                first: "bearerTokenFile",
                second: match auth {
                    ScrapeAuth::Authorization(_) => "authorization",
                    ScrapeAuth::BasicAuth(_) => "basicAuth",
                    ScrapeAuth::OAuth2(_) => "oauth2",
                    ScrapeAuth::BearerTokenSecret(_) => "bearerTokenSecret",
                },
            });
        }
        Ok(Endpoint {
            port: r.port,
            target_port: r.target_port,
            tls_config: r.tls_config,
            bearer_token_file: r.bearer_token_file,
            scrape,
        })
    }
}

impl From<Endpoint> for EndpointRepr {
    fn from(e: Endpoint) -> Self {
        EndpointRepr {
            port: e.port,
            target_port: e.target_port,
            tls_config: e.tls_config,
            bearer_token_file: e.bearer_token_file,
            ..EndpointRepr::from_scrape(e.scrape)
        }
    }
}

impl TryFrom<EndpointRepr> for PodMetricsEndpoint {
    type Error = Error;
    fn try_from(mut r: EndpointRepr) -> Result<Self, Error> {
        if r.bearer_token_file.is_some() {
            return Err(Error::NotAllowed {
                field: "bearerTokenFile",
                reason: "only ServiceMonitor endpoints have it; use authorization",
            });
        }
        let scrape = r.take_scrape()?;
        let tls_config = match r.tls_config {
            None => None,
            Some(tls) => {
                for (set, field) in [
                    (tls.ca_file.is_some(), "tlsConfig.caFile"),
                    (tls.cert_file.is_some(), "tlsConfig.certFile"),
                    (tls.key_file.is_some(), "tlsConfig.keyFile"),
                ] {
                    if set {
                        return Err(Error::NotAllowed {
                            field,
                            reason: "PodMonitor TLS reads only Secrets and ConfigMaps",
                        });
                    }
                }
                Some(tls.safe)
            }
        };
        Ok(PodMetricsEndpoint {
            port: r.port,
            port_number: r.port_number,
            target_port: r.target_port,
            tls_config,
            scrape,
        })
    }
}

impl From<PodMetricsEndpoint> for EndpointRepr {
    fn from(e: PodMetricsEndpoint) -> Self {
        EndpointRepr {
            port: e.port,
            port_number: e.port_number,
            target_port: e.target_port,
            tls_config: e.tls_config.map(TlsConfig::from),
            ..EndpointRepr::from_scrape(e.scrape)
        }
    }
}
