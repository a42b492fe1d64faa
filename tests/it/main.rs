//! Integration tests, one binary: each module was its own test target,
//! and linking one binary per file cost a minute of CI and gigabytes of disk.

mod arbitrary;
mod conformance;
mod kube_bounds;
mod migrate;
mod proptest_readme;
mod readme;
mod roundtrip;
mod scenarios;
mod schema;
