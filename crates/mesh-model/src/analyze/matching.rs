//! Reasoning about route matches: whether one match covers another (every
//! request matching the second matches the first), whether two surely
//! overlap, and how specific a match is by Gateway API's precedence rules.
//!
//! Regular expressions are not interpreted: a regex covers only the same
//! regex, and overlaps with anything only "maybe". So the analyzer never
//! claims a shadowing or an overlap it cannot prove.

use std::collections::BTreeMap;

use crate::{PathMatch, RouteMatch, StringMatch};

/// Whether two matches can both match one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overlap {
    /// Some request matches both.
    Yes,
    /// No request matches both.
    No,
    /// Cannot tell (a regex is involved).
    Maybe,
}

impl Overlap {
    fn and(self, other: Overlap) -> Overlap {
        match (self, other) {
            (Overlap::No, _) | (_, Overlap::No) => Overlap::No,
            (Overlap::Maybe, _) | (_, Overlap::Maybe) => Overlap::Maybe,
            _ => Overlap::Yes,
        }
    }
}

/// A segment prefix without its trailing `/` (empty for `/`).
fn trimmed(p: &str) -> &str {
    p.trim_end_matches('/')
}

/// Whether `path` (a path or a trimmed prefix) lies under the trimmed
/// segment prefix `prefix`.
fn under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn path_covers(a: Option<&PathMatch>, b: Option<&PathMatch>) -> bool {
    let Some(a) = a.filter(|a| !a.is_catch_all()) else {
        return true;
    };
    let Some(b) = b else { return false };
    match (a, b) {
        (PathMatch::Exact(x), PathMatch::Exact(y)) => x == y,
        (PathMatch::Prefix(p), PathMatch::Exact(e)) => under(e.as_str(), trimmed(p.as_str())),
        (PathMatch::Prefix(p), PathMatch::Prefix(q)) => {
            under(trimmed(q.as_str()), trimmed(p.as_str()))
        }
        (PathMatch::Regex(x), PathMatch::Regex(y)) => x == y,
        _ => false,
    }
}

fn path_overlap(a: Option<&PathMatch>, b: Option<&PathMatch>) -> Overlap {
    let (Some(a), Some(b)) = (a, b) else {
        return Overlap::Yes;
    };
    let yes = |c: bool| if c { Overlap::Yes } else { Overlap::No };
    match (a, b) {
        (PathMatch::Regex(x), PathMatch::Regex(y)) if x == y => Overlap::Yes,
        (PathMatch::Regex(_), _) | (_, PathMatch::Regex(_)) => Overlap::Maybe,
        (PathMatch::Exact(x), PathMatch::Exact(y)) => yes(x == y),
        (PathMatch::Exact(e), PathMatch::Prefix(p))
        | (PathMatch::Prefix(p), PathMatch::Exact(e)) => {
            yes(under(e.as_str(), trimmed(p.as_str())))
        }
        (PathMatch::Prefix(p), PathMatch::Prefix(q)) => {
            let (p, q) = (trimmed(p.as_str()), trimmed(q.as_str()));
            yes(under(p, q) || under(q, p))
        }
    }
}

fn string_covers(a: &StringMatch, b: &StringMatch) -> bool {
    match (a, b) {
        (StringMatch::Prefix(p), StringMatch::Exact(e) | StringMatch::Prefix(e)) => {
            e.starts_with(p.as_str())
        }
        _ => a == b,
    }
}

fn string_overlap(a: &StringMatch, b: &StringMatch) -> Overlap {
    let yes = |c: bool| if c { Overlap::Yes } else { Overlap::No };
    match (a, b) {
        _ if a == b => Overlap::Yes,
        (StringMatch::Regex(_), _) | (_, StringMatch::Regex(_)) => Overlap::Maybe,
        (StringMatch::Exact(x), StringMatch::Exact(y)) => yes(x == y),
        (StringMatch::Exact(e), StringMatch::Prefix(p))
        | (StringMatch::Prefix(p), StringMatch::Exact(e)) => yes(e.starts_with(p.as_str())),
        (StringMatch::Prefix(p), StringMatch::Prefix(q)) => {
            yes(p.starts_with(q.as_str()) || q.starts_with(p.as_str()))
        }
    }
}

fn map_covers<K: Ord>(a: &BTreeMap<K, StringMatch>, b: &BTreeMap<K, StringMatch>) -> bool {
    a.iter()
        .all(|(k, ma)| b.get(k).is_some_and(|mb| string_covers(ma, mb)))
}

fn map_overlap<K: Ord>(a: &BTreeMap<K, StringMatch>, b: &BTreeMap<K, StringMatch>) -> Overlap {
    a.iter()
        .filter_map(|(k, ma)| b.get(k).map(|mb| string_overlap(ma, mb)))
        .fold(Overlap::Yes, Overlap::and)
}

/// Whether every request that matches `b` also matches `a`.
pub(crate) fn covers(a: &RouteMatch, b: &RouteMatch) -> bool {
    path_covers(a.path.as_ref(), b.path.as_ref())
        && a.method.is_none_or(|m| b.method == Some(m))
        && map_covers(&a.headers, &b.headers)
        && map_covers(&a.query, &b.query)
}

/// Whether some request matches both.
pub(crate) fn overlap(a: &RouteMatch, b: &RouteMatch) -> Overlap {
    let method = match (a.method, b.method) {
        (Some(x), Some(y)) if x != y => Overlap::No,
        _ => Overlap::Yes,
    };
    path_overlap(a.path.as_ref(), b.path.as_ref())
        .and(method)
        .and(map_overlap(&a.headers, &b.headers))
        .and(map_overlap(&a.query, &b.query))
}

/// How specific a match is by Gateway API's HTTPRoute precedence (exact
/// path, then the longest path prefix, then a method, then the most header
/// matches, then the most query matches); a match without a path is the
/// prefix `/`. `None` for a regex path, whose rank is implementation
/// specific.
pub(crate) fn specificity(m: &RouteMatch) -> Option<(u8, usize, bool, usize, usize)> {
    let (kind, len) = match &m.path {
        None => (1, 1),
        Some(PathMatch::Exact(p)) => (2, p.as_str().len()),
        Some(PathMatch::Prefix(p)) => (1, trimmed(p.as_str()).len().max(1)),
        Some(PathMatch::Regex(_)) => return None,
    };
    Some((
        kind,
        len,
        m.method.is_some(),
        m.headers.len(),
        m.query.len(),
    ))
}

/// The matches of a route as alternatives: one catch-all when it has none.
pub(crate) fn alternatives(matches: &[RouteMatch]) -> std::borrow::Cow<'_, [RouteMatch]> {
    if matches.is_empty() {
        std::borrow::Cow::Owned(vec![RouteMatch::default()])
    } else {
        std::borrow::Cow::Borrowed(matches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::from_yaml;

    fn m(yaml: &str) -> RouteMatch {
        from_yaml(yaml).unwrap()
    }

    #[test]
    fn covers_table() {
        // (a, b, a covers b)
        let cases = [
            ("{}", "{path: {exact: /x}}", true),
            ("{path: {prefix: /}}", "{method: POST}", true),
            ("{path: {prefix: /api}}", "{path: {prefix: /api/v2}}", true),
            ("{path: {prefix: /api/}}", "{path: {exact: /api}}", true),
            ("{path: {prefix: /api}}", "{path: {prefix: /apix}}", false),
            ("{path: {prefix: /api/v2}}", "{path: {prefix: /api}}", false),
            ("{path: {exact: /a}}", "{path: {exact: /a}}", true),
            ("{path: {exact: /a}}", "{}", false),
            ("{path: {regex: /a.*}}", "{path: {regex: /a.*}}", true),
            ("{path: {regex: /a.*}}", "{path: {exact: /a}}", false),
            ("{method: GET}", "{method: GET, path: {exact: /a}}", true),
            ("{method: GET}", "{method: POST}", false),
            ("{method: GET}", "{}", false),
            (
                "{headers: {a: {prefix: x}}}",
                "{headers: {a: {exact: xy}, b: {exact: z}}}",
                true,
            ),
            (
                "{headers: {a: {exact: x}}}",
                "{headers: {a: {exact: y}}}",
                false,
            ),
            ("{headers: {a: {exact: x}}}", "{}", false),
            ("{query: {q: {exact: x}}}", "{query: {q: {exact: x}}}", true),
        ];
        for (a, b, want) in cases {
            assert_eq!(covers(&m(a), &m(b)), want, "{a} covers {b}");
        }
    }

    #[test]
    fn overlap_table() {
        let cases = [
            ("{}", "{path: {exact: /x}}", Overlap::Yes),
            (
                "{path: {prefix: /api}}",
                "{path: {prefix: /api/v2}}",
                Overlap::Yes,
            ),
            (
                "{path: {prefix: /api}}",
                "{path: {prefix: /apix}}",
                Overlap::No,
            ),
            ("{path: {exact: /a}}", "{path: {exact: /b}}", Overlap::No),
            (
                "{path: {regex: /a.*}}",
                "{path: {exact: /a}}",
                Overlap::Maybe,
            ),
            ("{method: GET}", "{method: POST}", Overlap::No),
            ("{method: GET}", "{path: {prefix: /a}}", Overlap::Yes),
            (
                "{headers: {a: {exact: x}}}",
                "{headers: {a: {prefix: y}}}",
                Overlap::No,
            ),
            (
                "{headers: {a: {prefix: x}}}",
                "{headers: {a: {prefix: xy}}}",
                Overlap::Yes,
            ),
            (
                "{headers: {a: {regex: x.*}}}",
                "{headers: {b: {exact: y}}}",
                Overlap::Yes,
            ),
            (
                "{headers: {a: {regex: x.*}}}",
                "{headers: {a: {exact: y}}}",
                Overlap::Maybe,
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(overlap(&m(a), &m(b)), want, "{a} overlaps {b}");
            assert_eq!(overlap(&m(b), &m(a)), want, "{b} overlaps {a}");
        }
    }

    #[test]
    fn specificity_orders_like_gateway_api() {
        let order = [
            "{}",
            "{method: GET}",
            "{path: {prefix: /a}}",
            "{path: {prefix: /api}}",
            "{path: {prefix: /api}, method: GET}",
            "{path: {prefix: /api}, method: GET, headers: {x: {exact: y}}}",
            "{path: {exact: /a}}",
        ];
        for w in order.windows(2) {
            assert!(
                specificity(&m(w[0])) < specificity(&m(w[1])),
                "{} < {}",
                w[0],
                w[1]
            );
        }
        assert_eq!(specificity(&m("{path: {regex: /a}}")), None);
    }
}
