//! meshwright
