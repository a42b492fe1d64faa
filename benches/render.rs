//! Render of the canary workload (`meshwright::workload`, the peers'
//! benchmark) at 1k, 10k and 50k services for each mesh, split into phases:
//!
//! - `build`: the model (`meshwright::workload::canary`);
//! - `validate`: `Mesh::validate`;
//! - `lower`: the backend's `lower` (which validates again first);
//! - `yaml` / `json`: writing the lowered manifests (our YAML emitter vs
//!   serde_json), so the two can be compared on the same documents.
//!
//! ```sh
//! cargo bench --bench render                # everything (a few minutes)
//! cargo bench --bench render -- istio/10000 # one mesh and size
//! ```
//!
//! Sample counts shrink with the size so that 50k takes seconds per phase.

#![allow(clippy::expect_used)] // a benchmark, like a test, may stop on a broken workload

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use meshwright::{Format, MeshKind};

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn render(c: &mut Criterion) {
    for target in [MeshKind::Istio, MeshKind::Linkerd, MeshKind::Consul] {
        let mut group = c.benchmark_group(target.name().to_ascii_lowercase());
        for n in SIZES {
            let (samples, time) = match n {
                1_000 => (20, 3),
                10_000 => (10, 5),
                _ => (10, 10),
            };
            group.sample_size(samples);
            group.measurement_time(Duration::from_secs(time));
            group.warm_up_time(Duration::from_millis(500));
            let mesh = meshwright::workload::canary(n, target).expect("workload");
            group.bench_function(BenchmarkId::new("build", n), |b| {
                b.iter(|| meshwright::workload::canary(black_box(n), target).expect("workload"))
            });
            group.bench_function(BenchmarkId::new("validate", n), |b| {
                b.iter(|| black_box(&mesh).validate().expect("valid"))
            });
            group.bench_function(BenchmarkId::new("lower", n), |b| {
                b.iter(|| meshwright::lower(target, black_box(&mesh)).expect("lowered"))
            });
            let out = meshwright::lower(target, &mesh).expect("lowered");
            for (phase, format) in [("yaml", Format::Yaml), ("json", Format::Json)] {
                group.bench_function(BenchmarkId::new(phase, n), |b| {
                    b.iter(|| out.write(format).expect("written"))
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, render);
criterion_main!(benches);
