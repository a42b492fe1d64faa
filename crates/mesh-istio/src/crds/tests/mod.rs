//! Tests of the typed Istio kinds: corpus round trips, invalid documents,
//! constructed objects validated against the CRDs.

mod construct;
mod corpus;
