//! The benchmark workload of `../shared/peers/README.md` as a model, shared
//! by `benches/render.rs` and `examples/canary_workload.rs` (not a stable
//! API: hidden from the docs).
//!
//! N services over namespaces of 50 (`ns-0`, `ns-1`, ...); service `i` is
//! `svc-i` with versions v1/v2 on HTTP 8080, a header canary route
//! (`x-canary: true` → v2) and a 90/10 split, both with a 10s timeout and 3
//! retries; connection limits, outlier detection, least-request balancing;
//! one authorization rule letting the previous service (`svc-0`: the
//! identity `ns-0/frontend`) call `GET`/`POST` on `/api` and below; strict
//! mTLS (the model's default). Rendered for Istio that is, per service, a
//! VirtualService, a DestinationRule and an AuthorizationPolicy, and per
//! namespace a PeerAuthentication.
//!
//! Linkerd and Consul cannot express every knob of the peers' (Istio)
//! workload; [`canary`] gives each mesh the same workload minus what its
//! capability table refuses, so that the three render the same intent:
//!
//! - Linkerd: no connection-pool limits, no load-balancer choice (EWMA
//!   always), retries on `5xx` only, no ejection cap.
//! - Consul: no per-try timeout, no `maxRequestsPerConnection`.

use std::num::NonZeroU32;

use mesh_model::{
    Action, AuthorizationPolicy, AuthzRule, BackendRef, ConnectionPool, Duration, Forward,
    HeaderName, HttpPath, Identity, LoadBalancer, Mesh, MeshKind, Method, Name, Operation,
    OutlierDetection, PathMatch, Percent, Port, Protocol, Resilience, RetryOn, RetryPolicy, Route,
    RouteMatch, Scope, Service, ServicePort, Source, StringMatch, Version,
};

/// Any error building the workload (none happen for valid sizes).
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Services per namespace.
pub const PER_NAMESPACE: usize = 50;

fn nz(n: u32) -> Result<NonZeroU32, Error> {
    NonZeroU32::new(n).ok_or_else(|| "zero".into())
}

/// The workload with `n` services, as `target` can express it (see the
/// module docs for what each mesh leaves out).
pub fn canary(n: usize, target: MeshKind) -> Result<Mesh, Error> {
    let linkerd = target == MeshKind::Linkerd;
    let consul = target == MeshKind::Consul;
    let mut mesh = Mesh::default();
    let retries = RetryPolicy {
        attempts: 3,
        per_try_timeout: (!consul).then(|| Duration::from_secs(2)),
        on: if linkerd {
            vec![RetryOn::Status5xx]
        } else {
            vec![RetryOn::Status5xx, RetryOn::Reset, RetryOn::ConnectFailure]
        },
        backoff: None,
        remote_localities: false,
    };
    let resilience = Resilience {
        connection_pool: if linkerd {
            None
        } else {
            Some(ConnectionPool {
                max_connections: Some(nz(100)?),
                max_pending_requests: Some(nz(50)?),
                max_requests_per_connection: if consul { None } else { Some(nz(10)?) },
                ..ConnectionPool::default()
            })
        },
        outlier_detection: Some(OutlierDetection {
            consecutive_5xx: Some(nz(5)?),
            interval: Some(Duration::from_secs(30)),
            base_ejection_time: Some(Duration::from_secs(30)),
            max_ejection_percent: if linkerd {
                None
            } else {
                Some(Percent::new(50.0)?)
            },
            ..OutlierDetection::default()
        }),
        load_balancer: (!linkerd).then_some(LoadBalancer::LeastRequest),
        ..Resilience::default()
    };
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
            action: Action::Forward(forward(vec![BackendRef::version("v2", 1)?])),
            request_headers: Default::default(),
            response_headers: Default::default(),
        },
        Route {
            name: None,
            matches: vec![],
            action: Action::Forward(forward(vec![
                BackendRef::version("v1", 90)?,
                BackendRef::version("v2", 10)?,
            ])),
            request_headers: Default::default(),
            response_headers: Default::default(),
        },
    ];
    let versions: Vec<Version> = ["v1", "v2"]
        .iter()
        .map(|v| {
            Ok(Version {
                name: Name::new(*v)?,
                labels: Default::default(),
                resilience: None,
            })
        })
        .collect::<Result<_, Error>>()?;
    let operation = Operation {
        methods: vec![Method::Get, Method::Post],
        paths: vec![PathMatch::Prefix(HttpPath::new("/api")?)],
        ports: vec![],
    };
    mesh.services.reserve(n);
    mesh.security.authorization.reserve(n);
    mesh.identities.push(Identity::new("ns-0", "frontend")?);
    for i in 0..n {
        let ns = Name::new(format!("ns-{}", i / PER_NAMESPACE))?;
        let name = Name::new(format!("svc-{i}"))?;
        let service = Service {
            name: name.clone(),
            namespace: ns,
            ports: vec![ServicePort {
                number: Port::new(8080)?,
                protocol: Protocol::Http,
                name: None,
                target_port: None,
            }],
            versions: versions.clone(),
            selector: Default::default(),
            service_account: None,
            routes: routes.clone(),
            unmatched: Default::default(),
            resilience: resilience.clone(),
            export_to: vec![],
        };
        let caller = match i.checked_sub(1) {
            None => Identity::new("ns-0", "frontend")?,
            Some(p) => Identity::new(&format!("ns-{}", p / PER_NAMESPACE), &format!("svc-{p}"))?,
        };
        mesh.security.authorization.push(AuthorizationPolicy {
            name,
            scope: Scope::Service(service.reference()),
            action: Default::default(),
            rules: vec![AuthzRule {
                from: vec![Source::Identity(caller)],
                to: vec![operation.clone()],
                when: vec![],
            }],
        });
        mesh.services.push(service);
    }
    mesh.egress.policy = mesh_model::OutboundPolicy::AllowAny;
    Ok(mesh)
}
