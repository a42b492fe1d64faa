//! Static analysis at 1k and 10k services, to show it stays near-linear:
//!
//! - `model`: the model analyzer (`Mesh::analyze`) on the canary workload
//!   (`meshwright::workload::canary`);
//! - `istio`: the manifest analyzers (`mesh_istio::analyze`: istioctl's
//!   static analyzers, webhook rules, pitfalls) on that workload lowered
//!   through the Istio backend.
//!
//! ```sh
//! cargo bench --bench analyze
//! ```
//!
//! Compare the 10k median with 10× the 1k median.

#![allow(clippy::expect_used)] // a benchmark, like a test, may stop on a broken workload

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use meshwright::MeshKind;
use meshwright::istio::analyze::{self as istio_analyze, Options, Resource, Source};
use meshwright::model::Backend;

const SIZES: [usize; 2] = [1_000, 10_000];

fn analyze(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.warm_up_time(Duration::from_millis(500));
    for n in SIZES {
        let mesh = meshwright::workload::canary(n, MeshKind::Istio).expect("workload");
        group.bench_function(BenchmarkId::new("model", n), |b| {
            b.iter(|| black_box(&mesh).analyze())
        });
        let lowered = meshwright::istio::IstioBackend::default()
            .lower(&mesh)
            .expect("lowered");
        let input: Vec<(Source, Resource)> = lowered
            .manifests
            .into_vec()
            .into_iter()
            .enumerate()
            .map(|(i, o)| (Source::new("<lowered>", i + 1), Resource::from(o)))
            .collect();
        let options = Options::default();
        group.bench_function(BenchmarkId::new("istio", n), |b| {
            b.iter(|| istio_analyze::analyze(black_box(&input), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, analyze);
criterion_main!(benches);
