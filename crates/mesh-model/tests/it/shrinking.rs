//! Shrinking stays valid: for the public strategies, every value the
//! shrinker can reach (proptest's `ValueTree`: `new_tree`, then
//! `simplify()` / `complicate()` in any order) passes `Mesh::validate`.
//!
//! proptest's shrinker simplifies while the test fails and complicates
//! when a simplification made it pass. Here a deterministic coin plays
//! the test's verdict at each step, so the walk goes down and back up
//! the tree along paths a real shrink could take, for a bounded number of
//! steps, and checks every `current()` value on the way.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mesh_model::strategy::{
    MeshSize, egress, ingress, installation, jwt_provider, mesh, observability, resilience, route,
    security,
};
use mesh_model::{Mesh, Name, Port, Scope, Service};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// Trees drawn per strategy, and steps walked in each.
const TREES: usize = 24;
const STEPS: usize = 150;

/// A small deterministic coin (xorshift), so a failure reproduces.
struct Coin(u64);

impl Coin {
    fn flip(&mut self) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 & 1 == 0
    }
}

/// Walks `TREES` trees of `strategy` for up to `STEPS` steps each; every
/// current value, placed in a mesh by `place`, must validate. Returns how
/// many values were checked.
fn walk<S>(what: &str, strategy: S, place: impl Fn(S::Value) -> Mesh) -> usize
where
    S: Strategy,
{
    let mut runner = TestRunner::deterministic();
    let mut coin = Coin(0x9e37_79b9_7f4a_7c15);
    let mut checked = 0;
    for t in 0..TREES {
        let mut tree = strategy.new_tree(&mut runner).unwrap();
        let check = |tree: &S::Tree, step: usize| {
            let m = place(tree.current());
            if let Err(e) = m.validate() {
                panic!(
                    "{what}: tree {t}, step {step}: a shrunk value is invalid: {e}\n{}",
                    m.to_policy().unwrap_or_default()
                );
            }
        };
        check(&tree, 0);
        checked += 1;
        for step in 1..=STEPS {
            // The coin plays the test: "still fails" → simplify further,
            // "passes" → complicate back.
            // (When the chosen move is exhausted, the other one.)
            let fails = coin.flip();
            let moved =
                (fails && tree.simplify()) || tree.complicate() || (!fails && tree.simplify());
            if !moved {
                break;
            }
            check(&tree, step);
            checked += 1;
        }
    }
    checked
}

fn ns0() -> Name {
    Name::new("ns0").unwrap()
}

/// Two services to hang parts on: `svc0` (versions v1, v2) and `svc1`,
/// both in `ns0`, HTTP on 8080.
fn services() -> Vec<Service> {
    let m = Mesh::from_policy(
        "services:
- name: svc0
  namespace: ns0
  ports: [{number: 8080, protocol: http}]
  versions: [{name: v1}, {name: v2}]
- name: svc1
  namespace: ns0
  ports: [{number: 8080, protocol: http}]
",
    )
    .unwrap();
    m.services
}

fn with_services() -> Mesh {
    Mesh {
        services: services(),
        ..Mesh::default()
    }
}

#[test]
fn shrinking_whole_meshes_stays_valid() {
    let sizes = [
        ("core", MeshSize::core()),
        ("default", MeshSize::default()),
        (
            "big",
            MeshSize {
                services: 8,
                routes_per_service: 5,
                policies: 6,
                rules_per_policy: 3,
                ..MeshSize::full()
            },
        ),
    ];
    for (label, size) in sizes {
        let n = walk(&format!("mesh({label})"), mesh(size), |m| m);
        println!("mesh({label}): {n} values checked");
    }
}

#[test]
fn shrinking_parts_stays_valid() {
    let mut n = 0;
    n += walk("route", route(), |r| {
        let mut m = with_services();
        m.services[1].routes = vec![r];
        m
    });
    n += walk("resilience", resilience(), |r| {
        let mut m = with_services();
        m.services[0].resilience = r;
        m
    });
    n += walk(
        "security",
        security(MeshSize::default(), &services()),
        |s| Mesh {
            security: s,
            ..with_services()
        },
    );
    n += walk("installation", installation(), |i| Mesh {
        installation: Some(i),
        ..with_services()
    });
    n += walk("observability", observability(), |o| Mesh {
        observability: o,
        ..with_services()
    });
    n += walk("egress", egress(3, ns0()), |e| Mesh {
        egress: e,
        ..with_services()
    });
    let targets = services()
        .iter()
        .map(|s| (s.reference(), Port::new(8080).unwrap(), s.versions.len()))
        .collect();
    n += walk("ingress", ingress(0, targets), |i| Mesh {
        ingress: vec![i],
        ..with_services()
    });
    let scopes = vec![
        Scope::Service(services()[0].reference()),
        Scope::Namespace(ns0()),
    ];
    n += walk("jwt_provider", jwt_provider(0, scopes), |j| {
        let mut m = with_services();
        m.security.jwt = vec![j];
        m
    });
    println!("parts: {n} values checked");
}
