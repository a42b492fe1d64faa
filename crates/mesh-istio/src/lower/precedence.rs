//! Whether a service's first-match route list means the same under Gateway
//! API's most-specific-match precedence (the GAMMA flavor).
//!
//! This is a local, deliberately simple *sufficient* rule, to be replaced
//! by the shared precedence checker of `mesh_k8s::gateway` once it exists
//! (the GAMMA lowering calls [`check`] in one place). A route list is
//! accepted when
//!
//! - it has at most one route, or
//! - every two routes are mutually exclusive (no request matches both),
//!   except that the last route may match everything: a rule with no
//!   condition is the least specific rule in Gateway API, so it only gets
//!   the requests no other rule matches, as in first-match order.
//!
//! Two routes are mutually exclusive when every match of the one excludes
//! every match of the other; two matches exclude each other when they name
//! different exact paths, or the same header with different exact values.

use mesh_model::{PathMatch, Route, RouteMatch, StringMatch};

/// Two routes whose relative order may matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    /// Index of the earlier route.
    pub first: usize,
    /// Index of the later route.
    pub second: usize,
}

/// `Ok` when the order of `routes` provably cannot matter under
/// most-specific-match precedence (see the module docs).
pub fn check(routes: &[Route]) -> Result<(), Conflict> {
    let n = routes.len();
    for j in 1..n {
        let last_catch_all = j == n - 1 && is_catch_all(&routes[j]);
        if last_catch_all {
            continue;
        }
        for i in 0..j {
            if !exclusive(&routes[i], &routes[j]) {
                return Err(Conflict {
                    first: i,
                    second: j,
                });
            }
        }
    }
    Ok(())
}

fn is_catch_all(r: &Route) -> bool {
    r.matches.is_empty() || r.matches.iter().any(RouteMatch::is_catch_all)
}

fn exclusive(a: &Route, b: &Route) -> bool {
    !a.matches.is_empty()
        && !b.matches.is_empty()
        && a.matches
            .iter()
            .all(|x| b.matches.iter().all(|y| matches_exclusive(x, y)))
}

fn matches_exclusive(a: &RouteMatch, b: &RouteMatch) -> bool {
    if let (Some(PathMatch::Exact(p)), Some(PathMatch::Exact(q))) = (&a.path, &b.path)
        && p != q
    {
        return true;
    }
    a.headers
        .iter()
        .any(|(name, x)| match (x, b.headers.get(name)) {
            (StringMatch::Exact(v), Some(StringMatch::Exact(w))) => v != w,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(yaml: &str) -> Vec<Route> {
        let mesh = mesh_model::Mesh::from_policy_unchecked(&format!(
            "services:\n- name: s\n  namespace: n\n  ports: [{{number: 80, protocol: http}}]\n  routes:\n{yaml}"
        ))
        .unwrap();
        mesh.services[0].routes.clone()
    }

    #[test]
    fn table() {
        let cases: &[(&str, Result<(), Conflict>)] = &[
            ("  - forward: {backends: [{}]}\n", Ok(())),
            (
                "  - match: [{headers: {a: {exact: x}}}]\n    forward: {backends: [{}]}\n  - forward: {backends: [{}]}\n",
                Ok(()),
            ),
            (
                "  - match: [{path: {exact: /a}}]\n    forward: {backends: [{}]}\n  - match: [{path: {exact: /b}}]\n    forward: {backends: [{}]}\n",
                Ok(()),
            ),
            (
                "  - match: [{headers: {a: {exact: x}}}]\n    forward: {backends: [{}]}\n  - match: [{headers: {a: {exact: y}}, path: {prefix: /p}}]\n    forward: {backends: [{}]}\n",
                Ok(()),
            ),
            (
                "  - match: [{headers: {a: {regex: x.*}}}]\n    forward: {backends: [{}]}\n  - match: [{query: {t: {exact: 'true'}}}]\n    forward: {backends: [{}]}\n  - forward: {backends: [{}]}\n",
                Err(Conflict {
                    first: 0,
                    second: 1,
                }),
            ),
            (
                "  - forward: {backends: [{}]}\n  - match: [{path: {exact: /a}}]\n    forward: {backends: [{}]}\n",
                Err(Conflict {
                    first: 0,
                    second: 1,
                }),
            ),
            (
                "  - match: [{path: {prefix: /a}}]\n    forward: {backends: [{}]}\n  - match: [{path: {exact: /a/b}}]\n    forward: {backends: [{}]}\n",
                Err(Conflict {
                    first: 0,
                    second: 1,
                }),
            ),
        ];
        for (yaml, want) in cases {
            assert_eq!(check(&routes(yaml)), *want, "{yaml}");
        }
    }
}
