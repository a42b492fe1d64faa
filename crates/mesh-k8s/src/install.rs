//! Installer inputs: what installs a mesh's control plane but is not a
//! cluster object — a Helm chart's values, or an `istioctl` IstioOperator
//! file.
//!
//! A backend's lowering returns them in [`Lowered::install`](crate::lowering::Lowered),
//! in the order they are to be installed, each with its installer and the
//! file name the values go to. The values themselves are typed per chart
//! (the backend's own enum `V`); [`InstallInput::to_yaml`] writes the file a
//! user passes to `helm -f` or `istioctl install -f`, and
//! [`InstallInput::command`] the command line.
//!
//! ```
//! use mesh_k8s::install::{HelmChart, InstallInput, Installer};
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct Values { replicas: u32 }
//!
//! let input = InstallInput {
//!     installer: Installer::Helm(HelmChart {
//!         repository: "https://istio-release.storage.googleapis.com/charts".into(),
//!         repository_name: "istio".into(),
//!         chart: "istiod".into(),
//!         release: "istiod".into(),
//!         namespace: "istio-system".into(),
//!         version: None,
//!     }),
//!     file_name: "istiod.values.yaml".into(),
//!     values: Values { replicas: 2 },
//! };
//! assert_eq!(input.to_yaml()?, "replicas: 2\n");
//! assert_eq!(
//!     input.command(),
//!     "helm upgrade --install istiod istiod --repo https://istio-release.storage.googleapis.com/charts \
//!      --namespace istio-system --create-namespace --values istiod.values.yaml"
//! );
//! # Ok::<(), mesh_model::yaml::YamlError>(())
//! ```

use std::fmt;

use serde::{Serialize, Serializer};

/// A Helm chart release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmChart {
    /// The chart repository's URL.
    pub repository: String,
    /// The name the documentation gives the repository (`istio`, `linkerd`,
    /// `hashicorp`), for `helm repo add`.
    pub repository_name: String,
    /// The chart's name in the repository (`istiod`).
    pub chart: String,
    /// The release name (`istiod`).
    pub release: String,
    /// The namespace the release goes to.
    pub namespace: String,
    /// A chart version to pin, if any.
    pub version: Option<String>,
}

/// How an [`InstallInput`] is consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Installer {
    /// `helm upgrade --install` with the values file.
    Helm(HelmChart),
    /// `istioctl install -f` with an IstioOperator file.
    Istioctl,
}

/// One installer input: the installer, the file name, the typed values.
#[derive(Debug, Clone, PartialEq)]
pub struct InstallInput<V> {
    /// What consumes the file.
    pub installer: Installer,
    /// The file name the values are written to (`istiod.values.yaml`).
    pub file_name: String,
    /// The typed content.
    pub values: V,
}

impl<V: Serialize> InstallInput<V> {
    /// The file's content, as YAML (through the project's YAML-1.1-safe
    /// emitter).
    pub fn to_yaml(&self) -> Result<String, mesh_model::yaml::YamlError> {
        crate::to_yaml_string(&self.values)
    }

    /// The command that installs this input, with the file in the current
    /// directory.
    pub fn command(&self) -> String {
        match &self.installer {
            Installer::Helm(c) => {
                let version = c
                    .version
                    .as_deref()
                    .map(|v| format!(" --version {v}"))
                    .unwrap_or_default();
                format!(
                    "helm upgrade --install {} {} --repo {}{version} --namespace {} \
                     --create-namespace --values {}",
                    c.release, c.chart, c.repository, c.namespace, self.file_name
                )
            }
            Installer::Istioctl => format!("istioctl install -y -f {}", self.file_name),
        }
    }

    /// The input written out: file name, command and content.
    pub fn render(&self) -> Result<InstallFile, mesh_model::yaml::YamlError> {
        Ok(InstallFile {
            file_name: self.file_name.clone(),
            command: self.command(),
            content: self.to_yaml()?,
        })
    }

    /// Maps the values to another type (to widen a chart's own values into
    /// a backend's enum of charts).
    pub fn map<W>(self, f: impl FnOnce(V) -> W) -> InstallInput<W> {
        InstallInput {
            installer: self.installer,
            file_name: self.file_name,
            values: f(self.values),
        }
    }
}

/// An installer input written out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallFile {
    /// The file name (`istiod.values.yaml`).
    pub file_name: String,
    /// The command that installs it.
    pub command: String,
    /// The file's YAML.
    pub content: String,
}

/// The install-input type of a backend that has none: a type with no
/// values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoInstall {}

impl Serialize for NoInstall {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

impl fmt::Display for Installer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Installer::Helm(c) => write!(f, "helm chart {}/{}", c.repository_name, c.chart),
            Installer::Istioctl => f.write_str("istioctl"),
        }
    }
}
