//! Manifests of random valid models, for feeding other tools (the
//! `arbitrary` example); behind the `proptest` feature.

use mesh_model::MeshKind;
use mesh_model::strategy::{MeshSize, mesh};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// What [`arbitrary_manifests`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arbitrary {
    /// The manifests of every model the backend lowered, as one YAML stream,
    /// model after model.
    pub yaml: String,
    /// Models drawn.
    pub models: usize,
    /// Models lowered.
    pub lowered: usize,
    /// Models the backend refused as `Unsupported` (skipped).
    pub unsupported: usize,
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
    /// A random valid model failed other than by `Unsupported`: a bug in
    /// the strategy, the validation or the backend.
    #[error("model {index}: {error}\n{policy}")]
    Render {
        /// Which model.
        index: usize,
        /// The error.
        error: Box<crate::RenderError>,
        /// The model as a policy file (JSON), to reproduce it.
        policy: String,
    },
}

/// Draws `count` random valid models of `size` from
/// [`mesh_model::strategy::mesh`], deterministically for `seed` (ChaCha
/// seeded with the seed's bytes), lowers each for `target` with default
/// options, and returns the manifests; models the backend refuses as
/// `Unsupported` are skipped and counted.
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
        lowered: 0,
        unsupported: 0,
    };
    for index in 0..count {
        let model = strategy
            .new_tree(&mut runner)
            .map_err(|reason| ArbitraryError::Draw {
                index,
                reason: reason.to_string(),
            })?
            .current();
        out.models += 1;
        let render = crate::lower(target, &model).and_then(|mut o| {
            o.write(crate::Format::Yaml)
                .map_err(crate::RenderError::from)
        });
        match render {
            Ok(yaml) => {
                if !out.yaml.is_empty() && !yaml.is_empty() {
                    out.yaml.push_str("---\n");
                }
                out.yaml.push_str(&yaml);
                out.lowered += 1;
            }
            Err(e) if e.is_unsupported() => out.unsupported += 1,
            Err(error) => {
                return Err(ArbitraryError::Render {
                    index,
                    error: Box::new(error),
                    policy: serde_json::to_string(&model).unwrap_or_default(),
                });
            }
        }
    }
    Ok(out)
}
