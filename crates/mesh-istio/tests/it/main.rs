//! Integration tests, one binary: each module was its own test target,
//! and linking one binary per file cost a minute of CI and gigabytes of disk.

mod lift;
mod observability;
mod properties;
mod scenarios;
mod strategies;
