//! meshwright's mesh-neutral model.
pub mod value;
pub use value::*;
