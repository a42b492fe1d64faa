//! # meshwright
//!
//! Describe what you want from a service mesh once, in a mesh-neutral typed
//! model, and get manifests that Istio, Linkerd or Consul accept: strongly
//! typed Rust structs first, YAML and JSON after.
//!
//! - [`model`] (`mesh-model`): the neutral model — services, versions,
//!   identities, routes, resilience, security, ingress, egress,
//!   observability, installation — with builders, serde policy files and
//!   whole-model validation that names the field path of every problem.
//! - [`k8s`] (`mesh-k8s`): typed Kubernetes objects, the deterministic
//!   manifest set and its writers.
//! - [`read`]: existing manifests (YAML, JSON, `List`) into typed objects,
//!   strictly ([`parse`] picks the mesh from the API groups).
//! - Backends, one optional feature each (all on by default):
//!   `istio` → [`istio`], `linkerd` → [`linkerd`], `consul` → [`consul`].
//!   A `build.rs` user pays only for the mesh it enables.
//!
//! ```
//! use meshwright::Mesh;
//!
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: reviews
//!   namespace: bookinfo
//!   ports: [{number: 9080, protocol: http}]
//!   versions: [{name: v1}, {name: v2}]
//!   routes:
//!   - match: [{headers: {end-user: {exact: jason}}}]
//!     forward: {backends: [{version: v2}]}
//!   - forward:
//!       backends: [{version: v1, weight: 75}, {version: v2, weight: 25}]
//! "#)?;
//! assert_eq!(mesh.services[0].routes.len(), 2);
//! # Ok::<(), meshwright::PolicyError>(())
//! ```
//!
//! ## Guide
//!
//! - Describe: [`Mesh::from_policy`] reads and validates a policy file;
//!   the builders ([`MeshBuilder`], `model::ServiceBuilder`, ...) build
//!   the same model in code; [`Mesh::validate`] lists every problem with
//!   its field path.
//! - Ask: [`capability_tables`] says what each compiled-in mesh can
//!   express, before anything is lowered.
//! - Lower: [`lower`] (default options, an [`Output`] to match on), or a
//!   backend's `…Backend` with its `Options` and [`render`] for text
//!   (YAML stream or JSON `List`) plus installer inputs.
//! - Read back: [`parse`] and the [`read`] module turn manifests into typed
//!   objects; the backends' `lift` modules turn those into a model again.
//!
//! ```
//! # #[cfg(all(feature = "istio", feature = "linkerd"))] {
//! use meshwright::{Feature, Format, Mesh, MeshKind, Support};
//!
//! // `api` gets all traffic, and a 5% copy goes to `api-next`.
//! let mesh = Mesh::from_policy(r#"
//! services:
//! - name: api-next
//!   namespace: shop
//!   ports: [{number: 8080, protocol: http}]
//! - name: api
//!   namespace: shop
//!   ports: [{number: 8080, protocol: http}]
//!   routes:
//!   - forward:
//!       backends: [{service: api}]
//!       mirrors: [{service: api-next, percent: 5}]
//! "#)?;
//!
//! let istio = meshwright::render(&meshwright::istio::IstioBackend::default(), &mesh, Format::Yaml)?;
//! assert!(istio.manifests.contains("kind: VirtualService"));
//! assert!(istio.manifests.contains("mirrors:"));
//!
//! // Linkerd cannot mirror: its capability table says so up front, and
//! // lowering refuses with the field path instead of dropping the mirror.
//! let tables = meshwright::capability_tables();
//! let linkerd = tables.iter().find(|t| t.mesh == MeshKind::Linkerd).ok_or("no Linkerd")?;
//! assert_eq!(linkerd.get(Feature::Mirror).support, Support::Unsupported);
//! let refused = meshwright::render(&meshwright::linkerd::LinkerdBackend::default(), &mesh, Format::Yaml)
//!     .unwrap_err();
//! assert!(refused.is_unsupported());
//! assert!(refused.to_string().starts_with("services[1].routes[0].forward.mirrors[0]: Linkerd cannot express Mirroring"));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## k8s-openapi
//!
//! meshwright's library crates enable no `v1_*` feature of `k8s-openapi`
//! (k8s-openapi's rule for libraries). Your binary chooses the Kubernetes
//! version: add `k8s-openapi = { version = "0.29", features = ["v1_33"] }`
//! (or `latest`) to your own `Cargo.toml`.

#[cfg(feature = "istio")]
pub mod migrate;

pub use mesh_k8s as k8s;

#[doc(hidden)]
pub mod workload;
pub use mesh_model as model;

#[cfg(feature = "consul")]
pub use mesh_consul as consul;
#[cfg(feature = "istio")]
pub use mesh_istio as istio;
#[cfg(feature = "linkerd")]
pub use mesh_linkerd as linkerd;

pub use mesh_model::{
    Backend, CapabilityTable, Feature, LowerError, LowerErrors, Mesh, MeshBuilder, MeshKind,
    PolicyError, Support, ValidationError, ValidationErrors,
};

pub mod read;

#[cfg(all(
    feature = "proptest",
    any(feature = "istio", feature = "linkerd", feature = "consul")
))]
pub mod arbitrary;
pub use read::{Objects, parse};

pub use mesh_k8s::Format;
pub use mesh_k8s::install::InstallFile;
pub use mesh_k8s::lowering::{Lowered, Note};

use mesh_k8s::{Manifest, ManifestError};

/// Why [`render`] produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The model is invalid, or the mesh cannot express part of it: every
    /// error, each with its field path.
    #[error("{0}")]
    Lower(LowerErrors),
    /// Writing the manifests failed.
    #[error(transparent)]
    Write(#[from] ManifestError),
    /// Writing an installer input failed.
    #[error("could not write the installer file {file}: {message}")]
    Install {
        /// The file name.
        file: String,
        /// The serializer's message.
        message: String,
    },
    /// The mesh's backend is not compiled into this build.
    #[error("the {0} backend is not compiled in; enable meshwright's `{feature}` feature", feature = .0.name().to_ascii_lowercase())]
    NotCompiled(MeshKind),
}

impl RenderError {
    /// Whether the model was valid and only the target mesh's limits
    /// stopped it (every error is `Unsupported`).
    pub fn is_unsupported(&self) -> bool {
        matches!(self, RenderError::Lower(e) if e.all_unsupported())
    }
}

/// A rendered lowering: the manifests as text, the installer files, the
/// notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The objects, as one YAML stream or a JSON `List`.
    pub manifests: String,
    /// The installer inputs (Helm values, IstioOperator), in install order.
    pub install: Vec<InstallFile>,
    /// Rewrites and explicit defaults.
    pub notes: Vec<Note>,
}

/// Validates and lowers `mesh` with `backend`, then writes the manifests in
/// `format` (a YAML stream or a JSON `List`) and the installer inputs as
/// YAML. Nothing is produced when anything fails.
pub fn render<B, O, V>(backend: &B, mesh: &Mesh, format: Format) -> Result<Rendered, RenderError>
where
    B: Backend<Output = Lowered<O, V>>,
    O: Manifest,
    V: serde::Serialize,
{
    let Lowered {
        manifests,
        install,
        notes,
    } = backend.lower(mesh).map_err(RenderError::Lower)?;
    let text = match format {
        Format::Yaml => manifests.to_yaml()?,
        Format::Json => manifests.to_json()?,
    };
    let install = install
        .iter()
        .map(|i| {
            i.render().map_err(|e| RenderError::Install {
                file: i.file_name.clone(),
                message: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rendered {
        manifests: text,
        install,
        notes,
    })
}

/// The feature matrix (Markdown) of the given capability tables: one row
/// per [`Feature`], one column per mesh, grouped as the model is. The
/// README's matrix is this, for every backend.
///
/// ```
/// use meshwright::model::{Capability, CapabilityTable, Feature, MeshKind, Support};
/// static ROWS: &[Capability] = &[Capability { feature: Feature::Mirror, support: Support::Native, note: "mirrors" }];
/// let table = CapabilityTable { mesh: MeshKind::Istio, rows: ROWS };
/// let md = meshwright::feature_matrix(&[&table]);
/// assert!(md.contains("| Mirroring | ✅ mirrors |"));
/// ```
pub fn feature_matrix(tables: &[&CapabilityTable]) -> String {
    let mut out = String::from("| Feature |");
    for t in tables {
        out.push_str(&format!(" {} |", t.mesh));
    }
    out.push_str("\n|---|");
    for _ in tables {
        out.push_str("---|");
    }
    out.push('\n');
    let mut group = "";
    for f in Feature::ALL {
        if f.group() != group {
            group = f.group();
            out.push_str(&format!("| **{group}** |"));
            for _ in tables {
                out.push_str(" |");
            }
            out.push('\n');
        }
        out.push_str(&format!("| {} |", f.title()));
        for t in tables {
            let c = t.get(*f);
            let note = c.note.replace('|', "\\|");
            out.push_str(&format!(" {} {} |", c.support.symbol(), note));
        }
        out.push('\n');
    }
    out.push_str(
        "\n✅ native · 🔁 faithful rewrite (reported as a note) · ◐ partial (restriction in the note) · \
         ❌ unsupported (lowering returns `Unsupported` with a hint)\n",
    );
    out
}

/// The meshes compiled into this build (features `istio`, `linkerd`,
/// `consul`).
pub fn meshes() -> Vec<MeshKind> {
    vec![
        #[cfg(feature = "istio")]
        MeshKind::Istio,
        #[cfg(feature = "linkerd")]
        MeshKind::Linkerd,
        #[cfg(feature = "consul")]
        MeshKind::Consul,
    ]
}

/// The capability tables of the meshes compiled into this build.
pub fn capability_tables() -> Vec<&'static CapabilityTable> {
    vec![
        #[cfg(feature = "istio")]
        &mesh_istio::CAPABILITIES,
        #[cfg(feature = "linkerd")]
        &mesh_linkerd::CAPABILITIES,
        #[cfg(feature = "consul")]
        &mesh_consul::lower::CAPABILITIES,
    ]
}

/// The output of lowering for one of the meshes compiled into this build:
/// the typed objects (match on it to reach them) and the notes.
#[cfg(any(feature = "istio", feature = "linkerd", feature = "consul"))]
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Output {
    /// Istio objects.
    #[cfg(feature = "istio")]
    Istio(Lowered<mesh_istio::IstioObject, mesh_istio::IstioInstall>),
    /// Linkerd objects.
    #[cfg(feature = "linkerd")]
    Linkerd(Lowered<mesh_linkerd::LinkerdObject, mesh_linkerd::values::LinkerdInstall>),
    /// Consul objects.
    #[cfg(feature = "consul")]
    Consul(Lowered<mesh_consul::lower::ConsulObject, mesh_consul::values::ConsulInstall>),
}

/// Runs `$body` with `$m` bound to the output's manifest set.
#[cfg(any(feature = "istio", feature = "linkerd", feature = "consul"))]
macro_rules! with_manifests {
    ($self:expr, $m:ident => $body:expr) => {
        match $self {
            #[cfg(feature = "istio")]
            Output::Istio(l) => {
                let $m = &l.manifests;
                $body
            }
            #[cfg(feature = "linkerd")]
            Output::Linkerd(l) => {
                let $m = &l.manifests;
                $body
            }
            #[cfg(feature = "consul")]
            Output::Consul(l) => {
                let $m = &l.manifests;
                $body
            }
        }
    };
}

#[cfg(any(feature = "istio", feature = "linkerd", feature = "consul"))]
impl Output {
    /// The lowering's notes (rewrites, explicit defaults).
    pub fn notes(&self) -> &[Note] {
        match self {
            #[cfg(feature = "istio")]
            Output::Istio(l) => &l.notes,
            #[cfg(feature = "linkerd")]
            Output::Linkerd(l) => &l.notes,
            #[cfg(feature = "consul")]
            Output::Consul(l) => &l.notes,
        }
    }

    /// The installer inputs (Helm values, IstioOperator), written out in
    /// install order.
    pub fn install_files(&self) -> Result<Vec<InstallFile>, RenderError> {
        fn files<V: serde::Serialize>(
            inputs: &[mesh_k8s::install::InstallInput<V>],
        ) -> Result<Vec<InstallFile>, RenderError> {
            inputs
                .iter()
                .map(|i| {
                    i.render().map_err(|e| RenderError::Install {
                        file: i.file_name.clone(),
                        message: e.to_string(),
                    })
                })
                .collect()
        }
        match self {
            #[cfg(feature = "istio")]
            Output::Istio(l) => files(&l.install),
            #[cfg(feature = "linkerd")]
            Output::Linkerd(l) => files(&l.install),
            #[cfg(feature = "consul")]
            Output::Consul(l) => files(&l.install),
        }
    }

    /// Number of objects.
    pub fn len(&self) -> usize {
        with_manifests!(self, m => m.len())
    }

    /// Whether there are no objects.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One YAML stream, or a JSON `List`.
    pub fn write(&self, format: Format) -> Result<String, ManifestError> {
        with_manifests!(self, m => match format {
            Format::Yaml => m.to_yaml(),
            Format::Json => m.to_json(),
        })
    }

    /// Streams the YAML documents (or the JSON `List`) to `out`: a file or
    /// stdout, without holding the whole text in memory. Wrap unbuffered
    /// writers in a `BufWriter`. An error stops the stream where it
    /// happened; use [`Output::write`] to get all or nothing.
    ///
    /// ```
    /// # #[cfg(feature = "istio")] {
    /// use meshwright::{Format, Mesh, MeshKind};
    /// let mesh = Mesh::from_policy("services: [{name: web, namespace: shop, ports: [{number: 80, protocol: http}]}]")?;
    /// let out = meshwright::lower(MeshKind::Istio, &mesh)?;
    /// let mut file = Vec::new(); // a File or stdout in a real program
    /// out.write_to(Format::Yaml, &mut file)?;
    /// assert_eq!(String::from_utf8(file)?, out.write(Format::Yaml)?);
    /// let mut json = Vec::new();
    /// out.write_to(Format::Json, &mut json)?;
    /// assert_eq!(String::from_utf8(json)?, out.write(Format::Json)?);
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_to<W: std::io::Write>(
        &self,
        format: Format,
        out: &mut W,
    ) -> Result<(), ManifestError> {
        with_manifests!(self, m => match format {
            Format::Yaml => m.write_yaml(out),
            Format::Json => m.write_json(out),
        })
    }

    /// One file per object in `dir`, in apply order; nothing is written
    /// unless every object serializes.
    pub fn write_dir(
        &self,
        dir: &std::path::Path,
        format: Format,
    ) -> Result<Vec<std::path::PathBuf>, ManifestError> {
        with_manifests!(self, m => m.write_dir(dir, format))
    }
}

/// Validates and lowers `mesh` for `target` with that backend's default
/// options. For options, use the backend crate's `…Backend` with
/// [`render`].
///
/// ```
/// # #[cfg(feature = "istio")] {
/// use meshwright::{Format, Mesh, MeshKind};
/// let mesh = Mesh::from_policy("services: [{name: web, namespace: shop, ports: [{number: 80, protocol: http}]}]")?;
/// let out = meshwright::lower(MeshKind::Istio, &mesh)?;
/// assert!(out.write(Format::Yaml)?.contains("kind: PeerAuthentication"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(any(feature = "istio", feature = "linkerd", feature = "consul"))]
pub fn lower(target: MeshKind, mesh: &Mesh) -> Result<Output, RenderError> {
    match target {
        #[cfg(feature = "istio")]
        MeshKind::Istio => mesh_istio::IstioBackend::default()
            .lower(mesh)
            .map(Output::Istio),
        #[cfg(feature = "linkerd")]
        MeshKind::Linkerd => mesh_linkerd::LinkerdBackend::default()
            .lower(mesh)
            .map(Output::Linkerd),
        #[cfg(feature = "consul")]
        MeshKind::Consul => mesh_consul::lower::ConsulBackend::default()
            .lower(mesh)
            .map(Output::Consul),
        #[allow(unreachable_patterns)]
        other => return Err(RenderError::NotCompiled(other)),
    }
    .map_err(RenderError::Lower)
}
