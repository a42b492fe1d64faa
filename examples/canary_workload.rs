//! The peers' benchmark workload (`../shared/peers/README.md`) through
//! meshwright: N services over namespaces of 50, each with versions v1/v2 on
//! HTTP 8080, a header canary route and a 90/10 split (timeout 10s, 3
//! retries of 2s on 5xx/reset/connect-failure), a DestinationRule's worth of
//! resilience, one authorization rule from the previous service, strict
//! mTLS; rendered for one mesh, with the time of each phase on stderr.
//!
//! ```sh
//! cargo run --release --example canary_workload -- 10000 istio > /dev/null
//! ```
//!
//! The workload is the peers' Istio workload; Linkerd and Consul refuse
//! parts of it (connection pools, per-try timeouts...), which this reports.

use std::error::Error;
use std::num::NonZeroU32;
use std::time::Instant;

use meshwright::model::{
    AuthorizationPolicy, AuthzRule, BackendRef, ConnectionPool, Duration, Forward, HeaderName,
    HttpPath, Identity, LoadBalancer, Method, Name, Operation, OutlierDetection, PathMatch,
    Percent, Port, Protocol, Resilience, RetryOn, RetryPolicy, Route, RouteMatch, Scope, Service,
    ServicePort, Source, StringMatch, Version,
};
use meshwright::{Format, Mesh, MeshKind};

fn nz(n: u32) -> Result<NonZeroU32, Box<dyn Error>> {
    NonZeroU32::new(n).ok_or_else(|| "zero".into())
}

fn workload(n: usize) -> Result<Mesh, Box<dyn Error>> {
    let mut mesh = Mesh::default();
    let retries = RetryPolicy {
        attempts: 3,
        per_try_timeout: Some(Duration::from_secs(2)),
        on: vec![RetryOn::Status5xx, RetryOn::Reset, RetryOn::ConnectFailure],
        backoff: None,
        remote_localities: false,
    };
    let resilience = Resilience {
        connection_pool: Some(ConnectionPool {
            max_connections: Some(nz(100)?),
            max_pending_requests: Some(nz(50)?),
            max_requests_per_connection: Some(nz(10)?),
            ..ConnectionPool::default()
        }),
        outlier_detection: Some(OutlierDetection {
            consecutive_5xx: Some(nz(5)?),
            interval: Some(Duration::from_secs(30)),
            base_ejection_time: Some(Duration::from_secs(30)),
            max_ejection_percent: Some(Percent::new(50.0)?),
            ..OutlierDetection::default()
        }),
        load_balancer: Some(LoadBalancer::LeastRequest),
        ..Resilience::default()
    };
    mesh.identities.push(Identity::new("ns-0", "frontend")?);
    for i in 0..n {
        let ns = Name::new(format!("ns-{}", i / 50))?;
        let name = Name::new(format!("svc-{i}"))?;
        let forward = |backends: Vec<BackendRef>| Forward {
            backends,
            timeout: Some(Duration::from_secs(10)),
            retries: Some(retries.clone()),
            ..Forward::default()
        };
        let mut canary = RouteMatch::default();
        canary
            .headers
            .insert(HeaderName::new("x-canary")?, StringMatch::exact("true"));
        let routes = vec![
            Route {
                name: None,
                matches: vec![canary],
                action: meshwright::model::Action::Forward(forward(vec![BackendRef::version(
                    "v2", 1,
                )?])),
                request_headers: Default::default(),
                response_headers: Default::default(),
            },
            Route {
                name: None,
                matches: vec![],
                action: meshwright::model::Action::Forward(forward(vec![
                    BackendRef::version("v1", 90)?,
                    BackendRef::version("v2", 10)?,
                ])),
                request_headers: Default::default(),
                response_headers: Default::default(),
            },
        ];
        let service = Service {
            name: name.clone(),
            namespace: ns.clone(),
            ports: vec![ServicePort {
                number: Port::new(8080)?,
                protocol: Protocol::Http,
                name: None,
                target_port: None,
            }],
            versions: ["v1", "v2"]
                .iter()
                .map(|v| {
                    Ok(Version {
                        name: Name::new(*v)?,
                        labels: Default::default(),
                        resilience: None,
                    })
                })
                .collect::<Result<_, Box<dyn Error>>>()?,
            selector: Default::default(),
            service_account: None,
            routes,
            unmatched: Default::default(),
            resilience: resilience.clone(),
            export_to: vec![],
        };
        let caller = if i == 0 {
            Identity::new("ns-0", "frontend")?
        } else {
            Identity::new(&format!("ns-{}", (i - 1) / 50), &format!("svc-{}", i - 1))?
        };
        mesh.security.authorization.push(AuthorizationPolicy {
            name: name.clone(),
            scope: Scope::Service(service.reference()),
            action: Default::default(),
            rules: vec![AuthzRule {
                from: vec![Source::Identity(caller)],
                to: vec![Operation {
                    methods: vec![Method::Get, Method::Post],
                    paths: vec![PathMatch::Prefix(HttpPath::new("/api")?)],
                    ports: vec![],
                }],
                when: vec![],
            }],
        });
        mesh.services.push(service);
    }
    mesh.egress.policy = meshwright::model::OutboundPolicy::AllowAny;
    Ok(mesh)
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().unwrap_or_else(|| "1000".into()).parse()?;
    let target = match args.next().as_deref() {
        None | Some("istio") => MeshKind::Istio,
        Some("linkerd") => MeshKind::Linkerd,
        Some("consul") => MeshKind::Consul,
        Some(other) => return Err(format!("unknown mesh {other}").into()),
    };
    let t0 = Instant::now();
    let mesh = workload(n)?;
    let t1 = Instant::now();
    mesh.validate()?;
    let t2 = Instant::now();
    let mut out = match meshwright::lower(target, &mesh) {
        Ok(out) => out,
        Err(meshwright::RenderError::Lower(errors)) => {
            // The workload is written in Istio's terms; other meshes refuse parts of it.
            eprintln!(
                "{target} refuses {} parts of the workload, e.g.:",
                errors.0.len()
            );
            for e in errors.iter().take(5) {
                eprintln!("  {e}");
            }
            return Err("not rendered".into());
        }
        Err(e) => return Err(e.into()),
    };
    let t3 = Instant::now();
    let yaml = out.write(Format::Yaml)?;
    let t4 = Instant::now();
    let json = out.write(Format::Json)?;
    let t5 = Instant::now();
    print!("{yaml}");
    eprintln!(
        "{target} n={n}: {} objects, {} bytes YAML; build {:.3}s validate {:.3}s lower {:.3}s yaml {:.3}s (json {:.3}s) total {:.3}s",
        out.len(),
        yaml.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        (t4 - t3).as_secs_f64(),
        (t5 - t4).as_secs_f64(),
        (t4 - t0).as_secs_f64(),
    );
    drop(json);
    Ok(())
}
