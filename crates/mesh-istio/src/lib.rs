//! meshwright's Istio backend.
//!
//! [`crds`] holds the typed Istio API: every field of the networking,
//! security, telemetry and extension kinds Istio 1.30 serves, plus the
//! `IstioOperator` install resource. The kinds are re-exported here.

pub mod crds;

pub use crds::*;
