//! Random valid models a given mesh accepts, and their manifests, for
//! feeding other tools (the `arbitrary` example) and for property tests
//! against one backend; behind the `proptest` feature.
//!
//! Most full-size random models use something one mesh or another cannot
//! express (Linkerd does not mirror, Consul injects no faults, Istio's
//! ambient mode refuses the registry-only egress policy...). Rather than
//! skip them, [`accepted_by`] prunes what the target refuses, with the
//! same mechanism as a migration ([`crate::migrate::prune_unsupported`]):
//! the model that remains is valid and lowers with no `Unsupported` error.
//!
//! ```
//! # #[cfg(feature = "linkerd")] {
//! use meshwright::MeshKind;
//! use meshwright::arbitrary::mesh_accepted_by;
//! use meshwright::model::strategy::MeshSize;
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let strategy = mesh_accepted_by(MeshKind::Linkerd, MeshSize::full());
//! let m = strategy.new_tree(&mut runner).unwrap().current();
//! assert!(meshwright::lower(MeshKind::Linkerd, &m).is_ok());
//! # }
//! ```

use std::collections::BTreeMap;

use mesh_model::strategy::{MeshSize, mesh};
use mesh_model::{Feature, LowerError, Mesh, MeshKind};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::migrate::{MigrateError, Pruned, prune_unsupported};

/// `mesh` without what `target` refuses ([`prune_unsupported`]): a valid
/// model that `target` lowers with no `Unsupported` error, its lowering,
/// and the refusals that were pruned.
pub fn accepted_by(target: MeshKind, mesh: Mesh) -> Result<Pruned, MigrateError> {
    prune_unsupported(mesh, target)
}

/// Random valid models of `size` that `target` lowers with no
/// `Unsupported` error: [`mesh_model::strategy::mesh`], each value
/// pruned by [`accepted_by`] (so shrinking stays valid and accepted:
/// every shrunk value is pruned too). Models that cannot be pruned into an
/// accepted one are rejected (proptest counts them as local rejects).
pub fn mesh_accepted_by(target: MeshKind, size: MeshSize) -> impl Strategy<Value = Mesh> {
    mesh(size).prop_filter_map("the target refuses what pruning cannot remove", move |m| {
        accepted_by(target, m).ok().map(|p| p.mesh)
    })
}

/// How many refused pieces were pruned, per feature.
pub fn pruned_per_feature(unsupported: &[LowerError]) -> BTreeMap<Feature, usize> {
    let mut out = BTreeMap::new();
    for e in unsupported {
        if let LowerError::Unsupported { feature, .. } = e {
            *out.entry(*feature).or_insert(0) += 1;
        }
    }
    out
}

/// What [`arbitrary_manifests`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arbitrary {
    /// The manifests of every model, as one YAML stream, model after
    /// model.
    pub yaml: String,
    /// Models drawn (each lowered, after pruning).
    pub models: usize,
    /// Models that needed pruning.
    pub pruned_models: usize,
    /// Refused pieces pruned, per feature.
    pub pruned: BTreeMap<Feature, usize>,
}

/// Why [`arbitrary_manifests`] stopped.
#[derive(Debug, thiserror::Error)]
pub enum ArbitraryError {
    /// The strategy could not draw a model.
    #[error("model {index}: the strategy could not draw a model: {reason}")]
    Draw {
        /// Which model.
        index: usize,
        /// proptest's reason.
        reason: String,
    },
    /// A random valid model failed other than by `Unsupported`, or its
    /// refusals could not be pruned: a bug in the strategy, the
    /// validation, the pruning or the backend.
    #[error("model {index}: {error}\n{policy}")]
    Render {
        /// Which model.
        index: usize,
        /// The error.
        error: Box<MigrateError>,
        /// The model as a policy file (JSON), to reproduce it.
        policy: String,
    },
    /// Writing the manifests failed.
    #[error("model {index}: {error}")]
    Write {
        /// Which model.
        index: usize,
        /// The error.
        error: Box<crate::RenderError>,
    },
}

/// Draws `count` random valid models of `size` from
/// [`mesh_model::strategy::mesh`], deterministically for `seed` (ChaCha
/// seeded with the seed's bytes), prunes from each what `target` refuses
/// ([`accepted_by`]), lowers it with default options, and returns the
/// manifests and what was pruned.
pub fn arbitrary_manifests(
    target: MeshKind,
    seed: u64,
    count: usize,
    size: MeshSize,
) -> Result<Arbitrary, ArbitraryError> {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = mesh(size);
    let mut out = Arbitrary {
        yaml: String::new(),
        models: 0,
        pruned_models: 0,
        pruned: BTreeMap::new(),
    };
    for index in 0..count {
        let model = strategy
            .new_tree(&mut runner)
            .map_err(|reason| ArbitraryError::Draw {
                index,
                reason: reason.to_string(),
            })?
            .current();
        let policy = || serde_json::to_string(&model).unwrap_or_default();
        let pruned =
            accepted_by(target, model.clone()).map_err(|error| ArbitraryError::Render {
                index,
                error: Box::new(error),
                policy: policy(),
            })?;
        let yaml = pruned
            .output
            .write(crate::Format::Yaml)
            .map_err(|e| ArbitraryError::Write {
                index,
                error: Box::new(e.into()),
            })?;
        out.models += 1;
        if !pruned.unsupported.is_empty() {
            out.pruned_models += 1;
            for (f, n) in pruned_per_feature(&pruned.unsupported) {
                *out.pruned.entry(f).or_insert(0) += n;
            }
        }
        if !out.yaml.is_empty() && !yaml.is_empty() {
            out.yaml.push_str("---\n");
        }
        out.yaml.push_str(&yaml);
    }
    Ok(out)
}
