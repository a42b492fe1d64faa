//! The model's `installation` (and the mesh configuration observability
//! needs) as installer inputs: the Helm values of Istio's charts (the
//! default) or one IstioOperator for `istioctl` ([`InstallMethod`]).
//!
//! - **profile**: `production` → Istio's `default` profile (Istio has no
//!   `production` profile); `demo` / `minimal` as named; the ambient data
//!   plane → `ambient` (with Helm also the `cni` and `ztunnel` charts).
//! - **revision** → `revision` of every chart / the IstioOperator; the
//!   istiod release is `istiod-<revision>` (Istio's canary-upgrade layout).
//! - **controlPlane** → istiod `resources`; `replicas` → `replicaCount`
//!   and the autoscaler's minimum (`autoscaleMin`, max `max(replicas, 5)`);
//!   IstioOperator `components.pilot.k8s` `resources` / `replicaCount` /
//!   `hpaSpec`.
//! - **highAvailability** → 3 replicas unless said, the control plane's
//!   PodDisruptionBudget written on (`global.defaultPodDisruptionBudget`),
//!   preferred anti-affinity across nodes; gateways get the same replicas
//!   rule, anti-affinity and a PodDisruptionBudget (`minAvailable: 1`).
//! - **proxy** → `global.proxy.resources`;
//!   `holdApplicationUntilProxyStarts` →
//!   `meshConfig.defaultConfig.holdApplicationUntilProxyStarts`.
//! - **ingressGateway / egressGateway** → the `gateway` chart (releases
//!   `istio-ingressgateway` in [`Options::ingress_gateway_namespace`],
//!   labelled with [`Options::ingress_selector`]; `istio-egressgateway`
//!   in the root namespace, labelled `istio: egressgateway`), service type,
//!   resources, replicas; IstioOperator `components.ingressGateways` /
//!   `egressGateways`, written `enabled: false` when the model has none
//!   (Istio's profiles would otherwise install them).
//! - **certificateAuthority**: `certManager` → cert-manager's istio-csr
//!   (its chart values, installed before istiod) and istiod pointed at it
//!   (`global.caAddress`, `ENABLE_CA_SERVER=false`); `secret` → Istio's
//!   plug-in CA, which istiod reads from the Secret `cacerts` in its own
//!   namespace (keys `ca-cert.pem`, `ca-key.pem`, `root-cert.pem`,
//!   `cert-chain.pem`): only that name is accepted.
//!
//! Without an `installation` in the model, only the mesh configuration is
//! written (istiod values / an IstioOperator with `meshConfig` alone), when
//! observability needs one (tracing providers, JSON access logs): a
//! Telemetry naming a provider that `meshConfig` lacks would be broken, so
//! the provider always travels with it, and a note says to apply it to the
//! running control plane.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, EnvVar, PodAffinityTerm, PodAntiAffinity, ResourceRequirements, ServiceSpec,
    WeightedPodAffinityTerm,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use mesh_k8s::install::{HelmChart, InstallInput, Installer};
use mesh_model::{
    CertificateAuthority, Component, Feature, FieldPath, GatewayDeployment, Installation, Profile,
    ResourceList, Resources, ServiceType,
};
use serde_json::{Value, json};

use super::{Cx, InstallMethod};
use crate::IstioOperator;
use crate::crds::{
    ComponentSpec, Components, GatewayComponentSpec, GlobalValues, IstioOperatorSpec,
    KubernetesSettings, MeshConfig, PodDisruptionBudgetSwitch, ProxyValues, Values,
};
use crate::install::{
    BaseValues, CniValues, GatewayAutoscaling, GatewayService, GatewayValues, IssuerRef,
    IstioCsrApp, IstioCsrCertManager, IstioCsrIstio, IstioCsrTls, IstioCsrValues, IstioInstall,
    IstiodValues, PodDisruptionBudgetValues, ZtunnelValues,
};

/// Istio's chart repository.
pub(crate) const ISTIO_REPO: &str = "https://istio-release.storage.googleapis.com/charts";
/// istio-csr's address once installed by its chart with the default
/// release name in `cert-manager`.
const ISTIO_CSR_ADDRESS: &str = "cert-manager-istio-csr.cert-manager.svc:443";
/// Replicas under high availability when the model names none.
const HA_REPLICAS: u32 = 3;
/// The upper bound Istio's charts give their autoscalers.
const AUTOSCALE_MAX: u32 = 5;

/// What the lowering of a gateway deployment needs.
struct GatewayPlan {
    name: &'static str,
    namespace: String,
    labels: BTreeMap<String, String>,
    service_type: &'static str,
    resources: Option<ResourceRequirements>,
    replicas: Option<u32>,
    ha: bool,
}

/// Lowers the installation with `mesh_config` (what observability put in
/// it); `needs` says which model fields require the mesh configuration to
/// reach istiod (empty when none does).
pub(crate) fn lower(cx: &mut Cx<'_>, mut mesh_config: MeshConfig, needs: Vec<FieldPath>) {
    let Some(inst) = cx.mesh.installation.clone() else {
        if !needs.is_empty() {
            mesh_only(cx, mesh_config, &needs);
        }
        return;
    };
    let path = FieldPath::root().field("installation");
    let profile = profile(cx, &inst, &path);
    if inst.proxy.hold_application_until_proxy_starts {
        if cx.ambient {
            cx.ambient_unsupported(
                Feature::Installation,
                path.field("proxy").field("holdApplicationUntilProxyStarts"),
                "ambient pods have no sidecar to wait for (ztunnel runs before them); remove it",
            );
        } else {
            mesh_config
                .default_config
                .get_or_insert_with(Default::default)
                .hold_application_until_proxy_starts = Some(true);
        }
    }
    let proxy_resources = inst.proxy.resources.as_ref().map(requirements);
    if proxy_resources.is_some() && cx.ambient {
        cx.ambient_unsupported(
            Feature::Installation,
            path.field("proxy").field("resources"),
            "ambient mode has no per-pod proxies: size ztunnel (per node) and waypoints in the chart \
             values' open fields (`ZtunnelValues::resources`, `global.waypoint.resources`)",
        );
    }
    let replicas = inst
        .control_plane
        .replicas
        .or(inst.high_availability.then_some(HA_REPLICAS));
    let ca = certificate_authority(cx, &inst, &path);
    let revision = inst.revision.as_ref().map(|r| r.to_string());
    let gateways = gateway_plans(cx, &inst);
    if cx.out.failed() {
        return;
    }
    let control_plane = ControlPlane {
        profile,
        revision,
        replicas,
        ha: inst.high_availability,
        resources: inst.control_plane.resources.as_ref().map(requirements),
        proxy_resources: proxy_resources.filter(|_| !cx.ambient),
        ca,
        mesh_config,
        gateways,
    };
    if let Some(csr) = &control_plane.ca {
        let input = istio_csr(cx, csr, control_plane.revision.as_deref());
        cx.out.install(input);
    }
    match cx.opts.installer {
        InstallMethod::Helm => helm(cx, control_plane),
        InstallMethod::Istioctl => {
            let op = operator(cx, control_plane);
            cx.out.install(InstallInput {
                installer: Installer::Istioctl,
                file_name: "istio-operator.yaml".to_owned(),
                values: IstioInstall::Operator(op),
            });
        }
    }
}

/// Everything the control plane's inputs are built from.
struct ControlPlane {
    profile: Option<&'static str>,
    revision: Option<String>,
    replicas: Option<u32>,
    ha: bool,
    resources: Option<ResourceRequirements>,
    proxy_resources: Option<ResourceRequirements>,
    ca: Option<CertManagerCa>,
    mesh_config: MeshConfig,
    gateways: Vec<GatewayPlan>,
}

/// cert-manager through istio-csr.
struct CertManagerCa {
    issuer: String,
    cluster_issuer: bool,
}

fn profile(cx: &mut Cx<'_>, inst: &Installation, path: &FieldPath) -> Option<&'static str> {
    match (inst.profile, cx.ambient) {
        (Profile::Production, false) => {
            cx.note(
                Feature::Installation,
                path.field("profile"),
                "production is Istio's `default` profile with the model's settings (Istio has no \
                 `production` profile)",
            );
            Some("default")
        }
        (Profile::Demo, false) => Some("demo"),
        (Profile::Minimal, false) => Some("minimal"),
        (Profile::Production, true) => Some("ambient"),
        (p, true) => {
            cx.ambient_unsupported(
                Feature::Installation,
                path.field("profile"),
                format!(
                    "Istio's `ambient` profile replaces `{}`; use profile production with the \
                     ambient data plane",
                    match p {
                        Profile::Demo => "demo",
                        _ => "minimal",
                    }
                ),
            );
            None
        }
    }
}

fn certificate_authority(
    cx: &mut Cx<'_>,
    inst: &Installation,
    path: &FieldPath,
) -> Option<CertManagerCa> {
    let at = path.field("certificateAuthority");
    match &inst.certificate_authority {
        CertificateAuthority::MeshManaged => None,
        CertificateAuthority::CertManager {
            issuer,
            cluster_issuer,
        } => {
            cx.note(
                Feature::ExternalCa,
                at,
                format!(
                    "workload certificates are signed by cert-manager's istio-csr through the {} \
                     `{issuer}` (cert-manager must be installed; an Issuer must be in `{}`); istiod's \
                     own CA is switched off (ENABLE_CA_SERVER=false, global.caAddress={ISTIO_CSR_ADDRESS})",
                    if *cluster_issuer {
                        "ClusterIssuer"
                    } else {
                        "Issuer"
                    },
                    cx.opts.root_namespace,
                ),
            );
            Some(CertManagerCa {
                issuer: issuer.to_string(),
                cluster_issuer: *cluster_issuer,
            })
        }
        CertificateAuthority::Secret(name) => {
            if name.as_str() == "cacerts" {
                cx.note(
                    Feature::ExternalCa,
                    at,
                    format!(
                        "istiod reads the plug-in CA from the Secret `cacerts` in `{}` (keys \
                         ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem); create it before \
                         installing: no install setting names it",
                        cx.opts.root_namespace
                    ),
                );
            } else {
                cx.unsupported(
                    Feature::ExternalCa,
                    at,
                    format!(
                        "istiod reads a plug-in CA only from the Secret `cacerts` in its own namespace \
                         (`{}`); name the Secret `cacerts` (keys ca-cert.pem, ca-key.pem, root-cert.pem, \
                         cert-chain.pem)",
                        cx.opts.root_namespace
                    ),
                );
            }
            None
        }
    }
}

fn gateway_plans(cx: &mut Cx<'_>, inst: &Installation) -> Vec<GatewayPlan> {
    let mut plans = Vec::new();
    let replicas = |c: &Component| c.replicas.or(inst.high_availability.then_some(HA_REPLICAS));
    let service_type = |g: &GatewayDeployment| match g.service_type {
        ServiceType::LoadBalancer => "LoadBalancer",
        ServiceType::NodePort => "NodePort",
        ServiceType::ClusterIP => "ClusterIP",
    };
    if let Some(g) = &inst.ingress_gateway {
        plans.push(GatewayPlan {
            name: "istio-ingressgateway",
            namespace: cx.opts.ingress_gateway_namespace.clone(),
            labels: cx.opts.ingress_selector.clone(),
            service_type: service_type(g),
            resources: g.component.resources.as_ref().map(requirements),
            replicas: replicas(&g.component),
            ha: inst.high_availability,
        });
    }
    if let Some(g) = &inst.egress_gateway {
        plans.push(GatewayPlan {
            name: "istio-egressgateway",
            namespace: cx.opts.root_namespace.clone(),
            labels: BTreeMap::from([("istio".to_owned(), "egressgateway".to_owned())]),
            service_type: service_type(g),
            resources: g.component.resources.as_ref().map(requirements),
            replicas: replicas(&g.component),
            ha: inst.high_availability,
        });
    }
    plans
}

/// Model resources as Kubernetes resource requirements.
pub(crate) fn requirements(r: &Resources) -> ResourceRequirements {
    let list = |l: &Option<ResourceList>| {
        l.as_ref()
            .map(|l| {
                let mut m = BTreeMap::new();
                if let Some(c) = &l.cpu {
                    m.insert("cpu".to_owned(), K8sQuantity(c.as_str().to_owned()));
                }
                if let Some(mem) = &l.memory {
                    m.insert("memory".to_owned(), K8sQuantity(mem.as_str().to_owned()));
                }
                m
            })
            .filter(|m| !m.is_empty())
    };
    ResourceRequirements {
        requests: list(&r.requests),
        limits: list(&r.limits),
        ..ResourceRequirements::default()
    }
}

/// Preferred anti-affinity: pods with `labels` on different nodes.
fn spread(labels: &BTreeMap<String, String>) -> Affinity {
    Affinity {
        pod_anti_affinity: Some(PodAntiAffinity {
            preferred_during_scheduling_ignored_during_execution: Some(vec![
                WeightedPodAffinityTerm {
                    weight: 100,
                    pod_affinity_term: PodAffinityTerm {
                        label_selector: Some(LabelSelector {
                            match_labels: Some(labels.clone()),
                            ..LabelSelector::default()
                        }),
                        topology_key: "kubernetes.io/hostname".to_owned(),
                        ..PodAffinityTerm::default()
                    },
                },
            ]),
            ..PodAntiAffinity::default()
        }),
        ..Affinity::default()
    }
}

fn istiod_labels() -> BTreeMap<String, String> {
    BTreeMap::from([("app".to_owned(), "istiod".to_owned())])
}

fn chart(cx: &Cx<'_>, chart: &str, release: String, namespace: &str) -> Installer {
    Installer::Helm(HelmChart {
        repository: ISTIO_REPO.to_owned(),
        repository_name: "istio".to_owned(),
        chart: chart.to_owned(),
        release,
        namespace: namespace.to_owned(),
        version: cx.opts.chart_version.clone(),
    })
}

fn istiod_release(revision: Option<&str>) -> String {
    revision.map_or_else(|| "istiod".to_owned(), |r| format!("istiod-{r}"))
}

/// The mesh configuration alone, for a control plane installed elsewhere.
fn mesh_only(cx: &mut Cx<'_>, mesh_config: MeshConfig, needs: &[FieldPath]) {
    let fields = needs
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let root = cx.opts.root_namespace.clone();
    let (input, how) = match cx.opts.installer {
        InstallMethod::Helm => (
            InstallInput {
                installer: chart(cx, "istiod", istiod_release(None), &root),
                file_name: "istiod.values.yaml".to_owned(),
                values: IstioInstall::Istiod(IstiodValues {
                    mesh_config: Some(mesh_config),
                    ..IstiodValues::default()
                }),
            },
            "merge istiod.values.yaml into your istiod release's values (`helm upgrade --reuse-values \
             -f`)",
        ),
        InstallMethod::Istioctl => (
            InstallInput {
                installer: Installer::Istioctl,
                file_name: "istio-operator.yaml".to_owned(),
                values: IstioInstall::Operator(IstioOperator::new(
                    "istio",
                    Some(&root),
                    IstioOperatorSpec {
                        mesh_config: Some(mesh_config),
                        ..IstioOperatorSpec::default()
                    },
                )),
            },
            "add istio-operator.yaml's meshConfig to your IstioOperator",
        ),
    };
    cx.out.install(input);
    for p in needs {
        cx.note(
            feature_of(p),
            p.clone(),
            format!(
                "needs Istio's mesh configuration, and the model has no `installation`: only \
                 meshConfig is written ({fields}); {how} before applying the Telemetry"
            ),
        );
    }
}

fn feature_of(p: &FieldPath) -> Feature {
    if p.to_string().contains("tracing") {
        Feature::Tracing
    } else {
        Feature::AccessLogs
    }
}

fn global(cp: &ControlPlane, root: &str) -> Option<GlobalValues> {
    let g = GlobalValues {
        proxy: cp.proxy_resources.clone().map(|r| ProxyValues {
            resources: Some(r),
            ..ProxyValues::default()
        }),
        istio_namespace: (root != "istio-system").then(|| root.to_owned()),
        ca_address: cp.ca.as_ref().map(|_| ISTIO_CSR_ADDRESS.to_owned()),
        default_pod_disruption_budget: cp.ha.then(|| PodDisruptionBudgetSwitch {
            enabled: Some(true),
            ..PodDisruptionBudgetSwitch::default()
        }),
        ..GlobalValues::default()
    };
    (g != GlobalValues::default()).then_some(g)
}

fn some_mesh_config(mc: MeshConfig) -> Option<MeshConfig> {
    (mc != MeshConfig::default()).then_some(mc)
}

// === Helm ===

fn helm(cx: &mut Cx<'_>, cp: ControlPlane) {
    let root = cx.opts.root_namespace.clone();
    let rev = cp.revision.clone();
    let base = BaseValues {
        global: (root != "istio-system").then(|| GlobalValues {
            istio_namespace: Some(root.clone()),
            ..GlobalValues::default()
        }),
        ..BaseValues::default()
    };
    cx.out.install(InstallInput {
        installer: chart(cx, "base", "istio-base".to_owned(), &root),
        file_name: "istio-base.values.yaml".to_owned(),
        values: IstioInstall::Base(base),
    });
    let global = global(&cp, &root);
    let istiod = IstiodValues {
        profile: cp.profile.filter(|p| *p != "default").map(str::to_owned),
        revision: rev.clone(),
        replica_count: cp.replicas,
        autoscale_min: cp.replicas,
        autoscale_max: cp.replicas.map(|r| r.max(AUTOSCALE_MAX)),
        resources: cp.resources.clone(),
        affinity: cp.ha.then(|| spread(&istiod_labels())),
        env: cp
            .ca
            .as_ref()
            .map(|_| BTreeMap::from([("ENABLE_CA_SERVER".to_owned(), "false".to_owned())]))
            .unwrap_or_default(),
        mesh_config: some_mesh_config(cp.mesh_config.clone()),
        global,
        ..IstiodValues::default()
    };
    cx.out.install(InstallInput {
        installer: chart(cx, "istiod", istiod_release(rev.as_deref()), &root),
        file_name: "istiod.values.yaml".to_owned(),
        values: IstioInstall::Istiod(istiod),
    });
    if cx.ambient {
        cx.out.install(InstallInput {
            installer: chart(cx, "cni", "istio-cni".to_owned(), &root),
            file_name: "istio-cni.values.yaml".to_owned(),
            values: IstioInstall::Cni(CniValues {
                profile: Some("ambient".to_owned()),
                revision: rev.clone(),
                ..CniValues::default()
            }),
        });
        cx.out.install(InstallInput {
            installer: chart(cx, "ztunnel", "ztunnel".to_owned(), &root),
            file_name: "ztunnel.values.yaml".to_owned(),
            values: IstioInstall::Ztunnel(ZtunnelValues {
                revision: rev.clone(),
                ..ZtunnelValues::default()
            }),
        });
    }
    for g in &cp.gateways {
        let values = GatewayValues {
            name: Some(g.name.to_owned()),
            revision: rev.clone(),
            labels: g.labels.clone(),
            replica_count: g.replicas,
            autoscaling: g.replicas.map(|r| GatewayAutoscaling {
                min_replicas: Some(r),
                max_replicas: Some(r.max(AUTOSCALE_MAX)),
                ..GatewayAutoscaling::default()
            }),
            resources: g.resources.clone(),
            service: Some(GatewayService {
                type_: Some(g.service_type.to_owned()),
                ..GatewayService::default()
            }),
            pod_disruption_budget: g.ha.then(|| PodDisruptionBudgetValues {
                min_available: Some(1),
                ..PodDisruptionBudgetValues::default()
            }),
            affinity: g.ha.then(|| spread(&g.labels)),
            ..GatewayValues::default()
        };
        cx.out.install(InstallInput {
            installer: chart(cx, "gateway", g.name.to_owned(), &g.namespace),
            file_name: format!("{}.values.yaml", g.name),
            values: IstioInstall::Gateway(values),
        });
    }
}

// === istioctl ===

fn operator(cx: &Cx<'_>, cp: ControlPlane) -> IstioOperator {
    let root = cx.opts.root_namespace.clone();
    let pilot_k8s = KubernetesSettings {
        resources: cp.resources.clone(),
        replica_count: cp.replicas,
        hpa_spec: cp.replicas.map(hpa),
        affinity: cp.ha.then(|| spread(&istiod_labels())),
        env: cp
            .ca
            .as_ref()
            .map(|_| {
                vec![EnvVar {
                    name: "ENABLE_CA_SERVER".to_owned(),
                    value: Some("false".to_owned()),
                    ..EnvVar::default()
                }]
            })
            .unwrap_or_default(),
        ..KubernetesSettings::default()
    };
    let pilot = (pilot_k8s != KubernetesSettings::default()).then(|| ComponentSpec {
        k8s: Some(pilot_k8s),
        ..ComponentSpec::default()
    });
    let gateway = |name: &str, plan: Option<&GatewayPlan>| match plan {
        None => GatewayComponentSpec {
            name: Some(name.to_owned()),
            enabled: Some(false),
            ..GatewayComponentSpec::default()
        },
        Some(g) => {
            let mut other = BTreeMap::new();
            if g.ha {
                other.insert("podDisruptionBudget".to_owned(), json!({"minAvailable": 1}));
            }
            GatewayComponentSpec {
                name: Some(name.to_owned()),
                enabled: Some(true),
                namespace: (g.namespace != root).then(|| g.namespace.clone()),
                label: g.labels.clone(),
                k8s: Some(KubernetesSettings {
                    resources: g.resources.clone(),
                    replica_count: g.replicas,
                    hpa_spec: g.replicas.map(hpa),
                    service: Some(ServiceSpec {
                        type_: Some(g.service_type.to_owned()),
                        ..ServiceSpec::default()
                    }),
                    affinity: g.ha.then(|| spread(&g.labels)),
                    other,
                    ..KubernetesSettings::default()
                }),
                ..GatewayComponentSpec::default()
            }
        }
    };
    let find = |n: &str| cp.gateways.iter().find(|g| g.name == n);
    let components = Components {
        pilot,
        ingress_gateways: vec![gateway(
            "istio-ingressgateway",
            find("istio-ingressgateway"),
        )],
        egress_gateways: vec![gateway("istio-egressgateway", find("istio-egressgateway"))],
        ..Components::default()
    };
    let values = global(&cp, &root).map(|g| Values {
        global: Some(g),
        ..Values::default()
    });
    let name = cp
        .revision
        .as_ref()
        .map_or_else(|| "istio".to_owned(), |r| format!("istio-{r}"));
    IstioOperator::new(
        name,
        Some(&root),
        IstioOperatorSpec {
            profile: cp.profile.map(str::to_owned),
            revision: cp.revision.clone(),
            namespace: (root != "istio-system").then(|| root.clone()),
            mesh_config: some_mesh_config(cp.mesh_config),
            components: Some(components),
            values,
            ..IstioOperatorSpec::default()
        },
    )
}

/// A HorizontalPodAutoscaler spec from `min` replicas up to
/// `max(min, 5)`.
fn hpa(min: u32) -> serde_json::Map<String, Value> {
    serde_json::Map::from_iter([
        ("minReplicas".to_owned(), json!(min)),
        ("maxReplicas".to_owned(), json!(min.max(AUTOSCALE_MAX))),
    ])
}

// === istio-csr ===

fn istio_csr(
    cx: &Cx<'_>,
    ca: &CertManagerCa,
    revision: Option<&str>,
) -> InstallInput<IstioInstall> {
    let values = IstioCsrValues {
        app: IstioCsrApp {
            certmanager: IstioCsrCertManager {
                namespace: Some(cx.opts.root_namespace.clone()),
                issuer: IssuerRef {
                    name: ca.issuer.clone(),
                    kind: if ca.cluster_issuer {
                        "ClusterIssuer"
                    } else {
                        "Issuer"
                    }
                    .to_owned(),
                    group: "cert-manager.io".to_owned(),
                },
                ..IstioCsrCertManager::default()
            },
            tls: Some(IstioCsrTls {
                trust_domain: Some(cx.mesh.trust_domain.as_str().to_owned()),
                ..IstioCsrTls::default()
            }),
            istio: revision.map(|r| IstioCsrIstio {
                revisions: vec![r.to_owned()],
                ..IstioCsrIstio::default()
            }),
            ..IstioCsrApp::default()
        },
        ..IstioCsrValues::default()
    };
    InstallInput {
        installer: Installer::Helm(HelmChart {
            repository: "https://charts.jetstack.io".to_owned(),
            repository_name: "jetstack".to_owned(),
            chart: "cert-manager-istio-csr".to_owned(),
            release: "cert-manager-istio-csr".to_owned(),
            namespace: "cert-manager".to_owned(),
            version: None,
        }),
        file_name: "cert-manager-istio-csr.values.yaml".to_owned(),
        values: IstioInstall::IstioCsr(values),
    }
}
