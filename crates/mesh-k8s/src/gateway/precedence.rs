//! Route precedence: the model's routes are first-match, Gateway API's are
//! most-specific-match. [`plan`] proves, for given routes, that emitting them
//! as Gateway API rules (in model order) gives every request the same
//! outcome; where it would not, it removes matches that first-match makes
//! dead (a faithful rewrite), and otherwise names the two routes that
//! conflict.
//!
//! Gateway API (HTTPRoute, "Matching precedence") ranks a match by, in order:
//! an `Exact` path (longer first), then a `PathPrefix` path with the most
//! characters, then a method match, then the most header matches, then the
//! most query-parameter matches. Ties go to the earlier rule of one
//! HTTPRoute; across HTTPRoute objects to the oldest object (creation time,
//! then name), which a generator cannot control. `RegularExpression` paths
//! are ranked by the implementation: Linkerd ranks them between `Exact` and
//! `PathPrefix` (longer first); [`RegexRank::Unordered`] makes no
//! assumption.
//!
//! The check works on pairs of matches `a` (route `i`) and `b` (route `j`,
//! `i < j`) that some request can satisfy both, where the routes do
//! different things:
//!
//! - `b` implies `a` (every request `b` matches, `a` matches): `b` never
//!   wins under first-match, so it is dropped ([`Dropped`]) - e.g. a narrow
//!   `/api/v2` after a broad `/api` (the "Gateway API precedence trap"),
//!   or anything after a catch-all;
//! - `a` ranks above `b`: Gateway API picks `a` too;
//! - they rank equal, in the same HTTPRoute (same `group`): the list order
//!   decides, and rules are emitted in model order;
//! - otherwise: [`Conflict`].
//!
//! The overlap and implication tests are exact for exact and prefix
//! matches, and use the literal prefix of a regex (`/info.*`) when it has
//! one; any other regex is assumed to overlap everything and to imply
//! nothing (conservative: a possible conflict is reported, never hidden).
//!
//! ```
//! use mesh_k8s::gateway::precedence::{plan, RegexRank, RouteEntry};
//! use mesh_model::Route;
//!
//! let routes: Vec<Route> = mesh_k8s::from_yaml_str(r#"
//! - name: api
//!   match: [{path: {prefix: /api}}]
//!   forward: {backends: [{version: v1}]}
//! - name: api-v2
//!   match: [{path: {prefix: /api/v2}}]
//!   forward: {backends: [{version: v2}]}
//! "#).unwrap();
//! let entries: Vec<RouteEntry<'_>> = routes.iter().map(|r| RouteEntry::new(r, 0, "r")).collect();
//! let plan = plan(&entries, RegexRank::Unordered).unwrap();
//! // `api-v2` can never win under first-match: it is dropped.
//! assert_eq!(plan.rules.len(), 1);
//! assert_eq!(plan.dropped[0].entry, 1);
//! ```

use std::cmp::Ordering;
use std::collections::BTreeMap;

use mesh_model::{PathMatch, Route, RouteMatch, StringMatch};

/// How the target implementation ranks `RegularExpression` path matches
/// (Gateway API leaves it to the implementation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegexRank {
    /// Below `Exact`, above `PathPrefix`, longer expressions first
    /// (Linkerd's proxy).
    BetweenExactAndPrefix,
    /// Unknown: a regex path is ordered only against the same regex.
    Unordered,
}

/// A model route as input to [`plan`].
#[derive(Debug, Clone)]
pub struct RouteEntry<'a> {
    /// The route.
    pub route: &'a Route,
    /// The HTTPRoute object its rule will be in: ties between routes of
    /// different groups are conflicts.
    pub group: usize,
    /// How errors name it (`routes[2] (canary)`).
    pub label: String,
}

impl<'a> RouteEntry<'a> {
    /// An entry; `label` is used when the route has no name.
    pub fn new(route: &'a Route, group: usize, label: impl Into<String>) -> Self {
        let label = label.into();
        let label = match &route.name {
            Some(n) => format!("{label} ({n})"),
            None => label,
        };
        RouteEntry {
            route,
            group,
            label,
        }
    }
}

/// A rule to emit: an entry and which of its matches remain (indices into
/// `route.matches`; empty when the route has no matches, i.e. matches
/// every request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedRule {
    /// Index of the entry.
    pub entry: usize,
    /// The matches kept.
    pub matches: Vec<usize>,
}

/// A match removed because an earlier route already takes every request it
/// matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// Index of the entry.
    pub entry: usize,
    /// The match (`None`: the route has no matches, i.e. is a catch-all).
    pub matching: Option<usize>,
    /// The entry that shadows it.
    pub shadowed_by: usize,
}

/// The rules to emit, in model order, and what was dropped.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Rules in model order (entries whose every match was dropped are
    /// left out).
    pub rules: Vec<PlannedRule>,
    /// Dropped matches.
    pub dropped: Vec<Dropped>,
}

/// Two routes whose outcome under most-specific-match differs from
/// first-match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "routes {earlier} and {later} conflict: a request can match both, first-match picks {earlier} but Gateway API {reason}"
)]
pub struct Conflict {
    /// Index of the earlier entry.
    pub earlier_index: usize,
    /// Index of the later entry.
    pub later_index: usize,
    /// The earlier route's label.
    pub earlier: String,
    /// The later route's label.
    pub later: String,
    /// Why Gateway API may pick the later one.
    pub reason: String,
}

/// Checks (and rewrites) `entries`, in model order: see the module
/// documentation.
pub fn plan(entries: &[RouteEntry<'_>], regex: RegexRank) -> Result<Plan, Conflict> {
    let catch_all = RouteMatch::default();
    fn matches_of<'r>(
        route: &'r Route,
        catch_all: &'r RouteMatch,
    ) -> Vec<(Option<usize>, &'r RouteMatch)> {
        if route.matches.is_empty() {
            vec![(None, catch_all)]
        } else {
            route
                .matches
                .iter()
                .enumerate()
                .map(|(k, m)| (Some(k), m))
                .collect()
        }
    }
    let mut out = Plan::default();
    // Live matches of earlier entries: (entry, match).
    let mut live: Vec<(usize, &RouteMatch)> = Vec::new();
    for (j, e) in entries.iter().enumerate() {
        let mut kept = Vec::new();
        for (k, b) in matches_of(e.route, &catch_all) {
            if let Some(&(i, _)) = live.iter().find(|(_, a)| implies(b, a)) {
                out.dropped.push(Dropped {
                    entry: j,
                    matching: k,
                    shadowed_by: i,
                });
                continue;
            }
            for &(i, a) in &live {
                let earlier = &entries[i];
                if same_outcome(earlier.route, e.route) || !may_overlap(a, b) {
                    continue;
                }
                let reason = match compare(a, b, regex) {
                    Some(Ordering::Greater) => continue,
                    Some(Ordering::Equal) if earlier.group == e.group => continue,
                    Some(Ordering::Equal) => "ranks them equal and breaks the tie between two HTTPRoute objects by creation time".to_owned(),
                    Some(Ordering::Less) => format!("ranks {} as more specific", e.label),
                    None => "ranks regular-expression paths in an implementation-specific way".to_owned(),
                };
                return Err(Conflict {
                    earlier_index: i,
                    later_index: j,
                    earlier: earlier.label.clone(),
                    later: e.label.clone(),
                    reason,
                });
            }
            if let Some(k) = k {
                kept.push(k);
            }
            live.push((j, b));
        }
        let all_dropped = out
            .dropped
            .iter()
            .any(|d| d.entry == j && d.matching.is_none())
            || (!e.route.matches.is_empty() && kept.is_empty());
        if !all_dropped {
            out.rules.push(PlannedRule {
                entry: j,
                matches: kept,
            });
        }
    }
    Ok(out)
}

fn same_outcome(a: &Route, b: &Route) -> bool {
    a.action == b.action
        && a.request_headers == b.request_headers
        && a.response_headers == b.response_headers
}

// === ranking ===

fn trimmed(p: &str) -> &str {
    p.trim_end_matches('/')
}

/// Path rank: (class, length). Exact 3, regex 2, prefix 1.
fn path_rank(m: &RouteMatch) -> (u8, usize, bool) {
    match &m.path {
        None => (1, 1, false),
        Some(PathMatch::Exact(p)) => (3, p.as_str().len(), false),
        Some(PathMatch::Prefix(p)) => (1, p.as_str().len(), false),
        Some(PathMatch::Regex(r)) => (2, r.as_str().len(), true),
    }
}

/// How `a` ranks against `b` (Greater: `a` is more specific); `None` when
/// the implementation decides.
pub fn compare(a: &RouteMatch, b: &RouteMatch, regex: RegexRank) -> Option<Ordering> {
    let (ca, la, ra) = path_rank(a);
    let (cb, lb, rb) = path_rank(b);
    let path = if (ra || rb) && regex == RegexRank::Unordered {
        if a.path == b.path {
            Ordering::Equal
        } else {
            return None;
        }
    } else {
        ca.cmp(&cb).then(la.cmp(&lb))
    };
    Some(
        path.then(a.method.is_some().cmp(&b.method.is_some()))
            .then(a.headers.len().cmp(&b.headers.len()))
            .then(a.query.len().cmp(&b.query.len())),
    )
}

// === overlap and implication ===

/// Whether `path` (a concrete path) is under the segment prefix `prefix`.
fn under(path: &str, prefix: &str) -> bool {
    let p = trimmed(prefix);
    p.is_empty() || path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/'))
}

fn literal(r: &mesh_model::Regex) -> Option<String> {
    r.literal_prefix()
}

fn path_overlap(a: Option<&PathMatch>, b: Option<&PathMatch>) -> bool {
    use PathMatch::{Exact, Prefix, Regex};
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(Exact(x)), Some(Exact(y))) => x == y,
        (Some(Exact(x)), Some(Prefix(p))) | (Some(Prefix(p)), Some(Exact(x))) => {
            under(x.as_str(), p.as_str())
        }
        (Some(Prefix(p)), Some(Prefix(q))) => {
            under(trimmed(p.as_str()), q.as_str()) || under(trimmed(q.as_str()), p.as_str())
        }
        (Some(Regex(r)), Some(Exact(x))) | (Some(Exact(x)), Some(Regex(r))) => {
            literal(r).is_none_or(|l| x.as_str().starts_with(&l))
        }
        (Some(Regex(r)), Some(Prefix(p))) | (Some(Prefix(p)), Some(Regex(r))) => {
            literal(r).is_none_or(|l| {
                let p = trimmed(p.as_str());
                // Some path under p starts with l.
                p.starts_with(&l) || under(&l, p) || format!("{p}/").starts_with(&l)
            })
        }
        (Some(Regex(r)), Some(Regex(s))) => match (literal(r), literal(s)) {
            (Some(l), Some(m)) => l.starts_with(&m) || m.starts_with(&l),
            _ => true,
        },
    }
}

/// Every path `b` matches, `a` matches.
fn path_implies(b: Option<&PathMatch>, a: Option<&PathMatch>) -> bool {
    use PathMatch::{Exact, Prefix, Regex};
    let a_all = a.is_none_or(PathMatch::is_catch_all);
    if a_all {
        return true;
    }
    match (b, a) {
        (None, _) => false,
        (Some(Exact(x)), Some(Exact(y))) => x == y,
        (Some(Exact(x)), Some(Prefix(p))) => under(x.as_str(), p.as_str()),
        (Some(Prefix(q)), Some(Prefix(p))) => under(trimmed(q.as_str()), p.as_str()),
        (Some(b), Some(Regex(r))) => {
            if Some(b) == a {
                return true;
            }
            let Some(l) = literal(r) else { return false };
            match b {
                Exact(x) => x.as_str().starts_with(&l),
                Prefix(q) => !trimmed(q.as_str()).is_empty() && trimmed(q.as_str()).starts_with(&l),
                Regex(s) => literal(s).is_some_and(|m| m.starts_with(&l)),
            }
        }
        _ => false,
    }
}

fn string_overlap(a: &StringMatch, b: &StringMatch) -> bool {
    let lit = |m: &StringMatch| match m {
        StringMatch::Prefix(p) => Some(p.clone()),
        StringMatch::Regex(r) => literal(r),
        StringMatch::Exact(_) => None,
    };
    match (a, b) {
        (StringMatch::Exact(x), StringMatch::Exact(y)) => x == y,
        (StringMatch::Exact(x), o) | (o, StringMatch::Exact(x)) => match o {
            StringMatch::Regex(r) if literal(r).is_none() => true,
            _ => lit(o).is_none_or(|l| x.starts_with(&l)),
        },
        _ => match (lit(a), lit(b)) {
            (Some(l), Some(m)) => l.starts_with(&m) || m.starts_with(&l),
            _ => true,
        },
    }
}

/// Every value `b` matches, `a` matches.
fn string_implies(b: &StringMatch, a: &StringMatch) -> bool {
    if a == b {
        return true;
    }
    let l = match a {
        StringMatch::Exact(_) => return false,
        StringMatch::Prefix(p) => p.clone(),
        StringMatch::Regex(r) => match literal(r) {
            Some(l) => l,
            None => return false,
        },
    };
    match b {
        StringMatch::Exact(v) | StringMatch::Prefix(v) => v.starts_with(&l),
        StringMatch::Regex(r) => literal(r).is_some_and(|m| m.starts_with(&l)),
    }
}

fn map_overlap<K: Ord>(a: &BTreeMap<K, StringMatch>, b: &BTreeMap<K, StringMatch>) -> bool {
    a.iter()
        .all(|(k, ma)| b.get(k).is_none_or(|mb| string_overlap(ma, mb)))
}

fn map_implies<K: Ord>(b: &BTreeMap<K, StringMatch>, a: &BTreeMap<K, StringMatch>) -> bool {
    a.iter()
        .all(|(k, ma)| b.get(k).is_some_and(|mb| string_implies(mb, ma)))
}

/// Whether some request can match both `a` and `b` (`true` when unsure).
pub fn may_overlap(a: &RouteMatch, b: &RouteMatch) -> bool {
    path_overlap(a.path.as_ref(), b.path.as_ref())
        && (a.method.is_none() || b.method.is_none() || a.method == b.method)
        && map_overlap(&a.headers, &b.headers)
        && map_overlap(&a.query, &b.query)
}

/// Whether every request `b` matches also matches `a` (`false` when
/// unsure).
pub fn implies(b: &RouteMatch, a: &RouteMatch) -> bool {
    path_implies(b.path.as_ref(), a.path.as_ref())
        && (a.method.is_none() || a.method == b.method)
        && map_implies(&b.headers, &a.headers)
        && map_implies(&b.query, &a.query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(yaml: &str) -> Vec<Route> {
        crate::from_yaml_str(yaml).unwrap()
    }

    fn run(yaml: &str, groups: &[usize], regex: RegexRank) -> Result<Plan, Conflict> {
        let rs = routes(yaml);
        let entries: Vec<_> = rs
            .iter()
            .enumerate()
            .map(|(i, r)| {
                RouteEntry::new(
                    r,
                    groups.get(i).copied().unwrap_or(0),
                    format!("routes[{i}]"),
                )
            })
            .collect();
        plan(&entries, regex)
    }

    /// (case, routes, groups, expected: Ok(rules as (entry, matches), dropped entries) or Err((earlier, later)))
    #[allow(clippy::type_complexity)]
    #[test]
    fn table() {
        let cases: &[(
            &str,
            &str,
            &[usize],
            Result<(&[(usize, &[usize])], &[usize]), (usize, usize)>,
        )] = &[
            (
                "precedence trap: broad prefix first, narrower later, is dropped",
                "- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /api/v2}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[0])], &[1])),
            ),
            (
                "narrow prefix first, broad later: same outcome",
                "- match: [{path: {prefix: /api/v2}}]\n  forward: {backends: [{version: v2}]}\n- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v1}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
            (
                "header route then catch-all split (S04)",
                "- match: [{headers: {end-user: {exact: jason}}}]\n  forward: {backends: [{version: v2}]}\n- forward: {backends: [{version: v1, weight: 75}, {version: v2, weight: 25}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[])], &[])),
            ),
            (
                "catch-all first shadows everything after (S38)",
                "- forward: {backends: [{version: v1}]}\n- match: [{headers: {end-user: {exact: jason}}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[])], &[1])),
            ),
            (
                "header (cookie) then query then default (S09)",
                "- match: [{headers: {cookie: {regex: '^(.*?;\\s*)?(user=jason)(;.*)?$'}}}]\n  forward: {backends: [{version: v3}]}\n- match: [{query: {test: {exact: 'true'}}}]\n  forward: {backends: [{version: v2}]}\n- forward: {backends: [{version: v1}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0]), (2, &[])], &[])),
            ),
            (
                "query first then header: Gateway API prefers the header",
                "- match: [{query: {test: {exact: 'true'}}}]\n  forward: {backends: [{version: v2}]}\n- match: [{headers: {x: {exact: y}}}]\n  forward: {backends: [{version: v3}]}",
                &[],
                Err((0, 1)),
            ),
            (
                "method-only route before a long prefix: the prefix wins in Gateway API",
                "- match: [{method: GET}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Err((0, 1)),
            ),
            (
                "disjoint methods never overlap",
                "- match: [{method: GET, path: {prefix: /a}}]\n  forward: {backends: [{version: v1}]}\n- match: [{method: POST, path: {prefix: /a/b}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
            (
                "segment prefixes: /api does not cover /apix",
                "- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /apix}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
            (
                "equal rank in one HTTPRoute: list order decides",
                "- match: [{headers: {a: {exact: '1'}}}]\n  forward: {backends: [{version: v1}]}\n- match: [{headers: {b: {exact: '1'}}}]\n  forward: {backends: [{version: v2}]}",
                &[0, 0],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
            (
                "equal rank across HTTPRoutes: creation time decides: conflict",
                "- match: [{headers: {a: {exact: '1'}}}]\n  forward: {backends: [{version: v1}]}\n- match: [{headers: {b: {exact: '1'}}}]\n  forward: {backends: [{version: v2}]}",
                &[0, 1],
                Err((0, 1)),
            ),
            (
                "same outcome never conflicts",
                "- match: [{method: GET}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v1}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
            (
                "one match of a route shadowed, the other kept",
                "- match: [{path: {prefix: /a}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {exact: /a/b}}, {path: {prefix: /z}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[1])], &[1])),
            ),
            (
                "exact before prefix: exact ranks higher anyway",
                "- match: [{path: {exact: /a}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /a}}]\n  forward: {backends: [{version: v2}]}",
                &[],
                Ok((&[(0, &[0]), (1, &[0])], &[])),
            ),
        ];
        for (name, yaml, groups, expected) in cases {
            let got = run(yaml, groups, RegexRank::Unordered);
            match (expected, got) {
                (Ok((rules, dropped)), Ok(plan)) => {
                    let got_rules: Vec<(usize, Vec<usize>)> = plan
                        .rules
                        .iter()
                        .map(|r| (r.entry, r.matches.clone()))
                        .collect();
                    let want: Vec<(usize, Vec<usize>)> =
                        rules.iter().map(|(e, m)| (*e, m.to_vec())).collect();
                    assert_eq!(got_rules, want, "{name}");
                    let got_dropped: Vec<usize> = plan.dropped.iter().map(|d| d.entry).collect();
                    assert_eq!(got_dropped, dropped.to_vec(), "{name}");
                }
                (Err((i, j)), Err(c)) => {
                    assert_eq!((c.earlier_index, c.later_index), (*i, *j), "{name}");
                    assert!(
                        c.to_string().contains(&format!("routes[{i}]")),
                        "{name}: {c}"
                    );
                }
                (e, g) => panic!("{name}: expected {e:?}, got {g:?}"),
            }
        }
    }

    #[test]
    fn regex_ranking_is_a_parameter() {
        let yaml = "- match: [{path: {regex: '/api/v[12]/.*'}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v2}]}";
        assert!(run(yaml, &[], RegexRank::Unordered).is_err());
        assert!(run(yaml, &[], RegexRank::BetweenExactAndPrefix).is_ok());
        // A regex with a literal prefix disjoint from the prefix: no overlap.
        let yaml = "- match: [{path: {regex: '/info.*'}}]\n  forward: {backends: [{version: v1}]}\n- match: [{path: {prefix: /api}}]\n  forward: {backends: [{version: v2}]}";
        assert!(run(yaml, &[], RegexRank::Unordered).is_ok());
    }

    #[test]
    fn implication_and_overlap() {
        let m = |y: &str| -> RouteMatch { crate::from_yaml_str(y).unwrap() };
        assert!(implies(
            &m("{path: {exact: /api/x}}"),
            &m("{path: {prefix: /api/}}")
        ));
        assert!(!implies(
            &m("{path: {exact: /apix}}"),
            &m("{path: {prefix: /api}}")
        ));
        assert!(implies(
            &m("{path: {prefix: /info/a}}"),
            &m("{path: {regex: /info.*}}")
        ));
        assert!(implies(
            &m("{headers: {a: {exact: abc}}, method: GET}"),
            &m("{headers: {a: {prefix: ab}}}")
        ));
        assert!(!implies(
            &m("{headers: {a: {exact: abc}}}"),
            &m("{method: GET}")
        ));
        assert!(!may_overlap(
            &m("{headers: {a: {exact: x}}}"),
            &m("{headers: {a: {exact: y}}}")
        ));
        assert!(may_overlap(
            &m("{headers: {a: {exact: x}}}"),
            &m("{headers: {b: {exact: y}}}")
        ));
        assert!(!may_overlap(
            &m("{query: {a: {prefix: x}}}"),
            &m("{query: {a: {prefix: y}}}")
        ));
    }
}
