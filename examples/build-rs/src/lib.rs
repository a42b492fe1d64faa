//! Service-mesh manifests generated at build time.
//!
//! `build.rs` reads `policy/mesh.yaml` (a canary, strict mTLS and one
//! authorization rule), validates it and renders it with meshwright for
//! Istio and Linkerd into `$OUT_DIR`; this crate embeds the YAML. The
//! compiled crate does not link meshwright: the manifests are plain
//! `&'static str`s, ready to print, apply or ship.
//!
//! ```
//! assert!(meshwright_build_rs_example::ISTIO.contains("kind: VirtualService"));
//! assert!(meshwright_build_rs_example::manifests("linkerd").is_some());
//! ```

/// The policy's Istio manifests: one YAML stream (VirtualService,
/// DestinationRule, PeerAuthentication, AuthorizationPolicy, ...).
pub const ISTIO: &str = include_str!(concat!(env!("OUT_DIR"), "/istio.yaml"));

/// The policy's Linkerd manifests: one YAML stream (Server, HTTPRoute,
/// AuthorizationPolicy, MeshTLSAuthentication, ...).
pub const LINKERD: &str = include_str!(concat!(env!("OUT_DIR"), "/linkerd.yaml"));

/// The manifests for a mesh by name (`istio`, `linkerd`).
pub fn manifests(mesh: &str) -> Option<&'static str> {
    match mesh {
        "istio" => Some(ISTIO),
        "linkerd" => Some(LINKERD),
        _ => None,
    }
}
