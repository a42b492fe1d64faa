//! Rules of Istio's admission webhook (`pkg/config/validation`) that the
//! CRD schema, its CEL rules and the typed structs do not already enforce.

use mesh_model::FieldPath;
use mesh_model::analyze::Code;

use super::Finding;
use super::index::{Index, describe};
use crate::crds::{AbortError, AuthorizationAction, Headers, HttpRoute};

/// `retryOn` conditions Envoy knows (besides HTTP status codes).
const RETRY_ON: &[&str] = &[
    "5xx",
    "gateway-error",
    "reset",
    "reset-before-request",
    "connect-failure",
    "envoy-ratelimited",
    "retriable-4xx",
    "refused-stream",
    "retriable-status-codes",
    "retriable-headers",
    "http3-post-connect-failure",
    "cancelled",
    "deadline-exceeded",
    "internal",
    "resource-exhausted",
    "unavailable",
];

/// `when` keys AuthorizationPolicy accepts (exact, or prefixes ending in
/// `[` / `.`).
const WHEN_KEYS: &[&str] = &[
    "source.ip",
    "remote.ip",
    "source.namespace",
    "source.principal",
    "source.serviceAccount",
    "request.auth.principal",
    "request.auth.audiences",
    "request.auth.presenter",
    "destination.ip",
    "destination.port",
    "connection.sni",
];
const WHEN_PREFIXES: &[&str] = &[
    "request.headers[",
    "request.auth.claims[",
    "experimental.envoy.filters.",
];

fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn route_field(i: usize) -> FieldPath {
    FieldPath::root().field("spec").field("http").index(i)
}

/// Route shape, fault injection, retries and header names of every
/// VirtualService HTTP route.
pub(crate) fn routes(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, vs) in &ix.virtual_services {
        let who = describe(*vs);
        for (i, r) in vs.spec.http.iter().enumerate() {
            shape(*at, &who, i, r, out);
            fault(*at, &who, i, r, out);
            retries(*at, &who, i, r, out);
            header_names(*at, &who, i, r, out);
        }
    }
}

fn shape(at: usize, who: &str, i: usize, r: &HttpRoute, out: &mut Vec<Finding>) {
    let field = route_field(i);
    let actions = [
        (!r.route.is_empty(), "route"),
        (r.redirect.is_some(), "redirect"),
        (r.direct_response.is_some(), "directResponse"),
        (r.delegate.is_some(), "delegate"),
    ];
    let set: Vec<&str> = actions.iter().filter(|a| a.0).map(|a| a.1).collect();
    let mut bad = |msg: String| {
        out.push(
            Finding::new(
                at,
                Code::HttpRouteShape,
                field.clone(),
                format!("{who}: http rule {i}: {msg}"),
            )
            .hint("give each rule exactly one action; split the rule otherwise"),
        );
    };
    match set.as_slice() {
        [] => bad("one of route, redirect, directResponse or delegate is required".into()),
        [_] => {}
        many => bad(format!("cannot have both {}", many.join(" and "))),
    }
    if r.redirect.is_some() || r.direct_response.is_some() {
        let what = if r.redirect.is_some() {
            "redirect"
        } else {
            "directResponse"
        };
        if r.fault.is_some() {
            bad(format!("cannot have both fault and {what}"));
        }
        if r.rewrite.is_some() {
            bad(format!("cannot have both rewrite and {what}"));
        }
    }
    if r.delegate.is_some() && (r.fault.is_some() || r.mirror.is_some() || !r.mirrors.is_empty()) {
        bad("a delegating rule cannot set fault or mirror (the delegate's rules do)".into());
    }
    if r.mirror.is_some() && !r.mirrors.is_empty() {
        bad("cannot have both mirror and mirrors".into());
    }
}

fn fault(at: usize, who: &str, i: usize, r: &HttpRoute, out: &mut Vec<Finding>) {
    let Some(f) = &r.fault else { return };
    let field = route_field(i).field("fault");
    let mut bad = |field: FieldPath, msg: String| {
        out.push(
            Finding::new(
                at,
                Code::FaultInvalid,
                field,
                format!("{who}: http rule {i}: {msg}"),
            )
            .hint("percentages are 0-100; abort statuses 200-599"),
        );
    };
    if f.delay.is_none() && f.abort.is_none() {
        bad(field.clone(), "fault must have a delay or an abort".into());
    }
    if let Some(d) = &f.delay {
        if let Some(p) = &d.percentage
            && !(0.0..=100.0).contains(&p.value)
        {
            bad(
                field.field("delay").field("percentage"),
                format!("delay percentage {} outside 0-100", p.value),
            );
        }
        if let Some(p) = d.percent
            && !(0..=100).contains(&p)
        {
            bad(
                field.field("delay").field("percent"),
                format!("delay percent {p} outside 0-100"),
            );
        }
        if d.delay.is_none() {
            bad(
                field.field("delay"),
                "delay needs fixedDelay or exponentialDelay".into(),
            );
        }
    }
    if let Some(a) = &f.abort {
        if let Some(p) = &a.percentage
            && !(0.0..=100.0).contains(&p.value)
        {
            bad(
                field.field("abort").field("percentage"),
                format!("abort percentage {} outside 0-100", p.value),
            );
        }
        match &a.error {
            Some(AbortError::HttpStatus(s)) if !(200..=599).contains(s) => bad(
                field.field("abort").field("httpStatus"),
                format!("abort httpStatus {s} outside 200-599"),
            ),
            None => bad(
                field.field("abort"),
                "abort needs httpStatus or grpcStatus".into(),
            ),
            _ => {}
        }
    }
}

fn retries(at: usize, who: &str, i: usize, r: &HttpRoute, out: &mut Vec<Finding>) {
    let Some(rt) = &r.retries else { return };
    let field = route_field(i).field("retries");
    if let Some(a) = rt.attempts
        && a < 0
    {
        out.push(
            Finding::new(
                at,
                Code::RetriesInvalid,
                field.field("attempts"),
                format!("{who}: http rule {i}: attempts {a} is negative"),
            )
            .hint("use 0 to disable retries"),
        );
    }
    for cond in rt.retry_on.iter().flat_map(|s| s.split(',')) {
        let c = cond.trim();
        let status = c.parse::<u16>().is_ok_and(|s| (100..=599).contains(&s));
        if !status && !RETRY_ON.contains(&c) {
            out.push(
                Finding::new(
                    at,
                    Code::RetriesInvalid,
                    field.field("retryOn"),
                    format!("{who}: http rule {i}: `{c}` is not a retryOn condition"),
                )
                .hint(format!("use HTTP statuses or {}", RETRY_ON.join(", "))),
            );
        }
    }
}

fn header_ops(at: usize, who: &str, field: FieldPath, h: &Headers, out: &mut Vec<Finding>) {
    for (dir, ops) in [("request", &h.request), ("response", &h.response)] {
        let Some(ops) = ops else { continue };
        let names = ops
            .set
            .keys()
            .map(|k| ("set", k))
            .chain(ops.add.keys().map(|k| ("add", k)))
            .chain(ops.remove.iter().map(|k| ("remove", k)));
        for (op, name) in names {
            let internal = name.starts_with(':') || name.eq_ignore_ascii_case("host");
            if internal || !is_token(name) {
                out.push(
                    Finding::new(
                        at,
                        Code::HeaderNameInvalid,
                        field.field(dir).field(op),
                        format!(
                            "{who}: header `{name}` {}",
                            if internal {
                                "cannot be modified (pseudo-header or Host)"
                            } else {
                                "is not a valid header name"
                            }
                        ),
                    )
                    .hint(
                        "use `rewrite.authority` to change the host; header names are HTTP tokens",
                    ),
                );
            }
        }
    }
}

fn header_names(at: usize, who: &str, i: usize, r: &HttpRoute, out: &mut Vec<Finding>) {
    for (j, m) in r.match_.iter().enumerate() {
        for (key, map) in [
            ("headers", &m.headers),
            ("withoutHeaders", &m.without_headers),
        ] {
            for name in map.keys() {
                let claim = name.starts_with("@request.auth.claims");
                if !claim && !is_token(name) {
                    out.push(
                        Finding::new(
                            at,
                            Code::HeaderNameInvalid,
                            route_field(i).field("match").index(j).field(key),
                            format!("{who}: http rule {i} match {j}: `{name}` is not a valid header name"),
                        )
                        .hint("header names are HTTP tokens (letters, digits, `-`...)"),
                    );
                }
            }
        }
    }
    if let Some(h) = &r.headers {
        header_ops(at, who, route_field(i).field("headers"), h, out);
    }
    for (j, d) in r.route.iter().enumerate() {
        if let Some(h) = &d.headers {
            header_ops(
                at,
                who,
                route_field(i).field("route").index(j).field("headers"),
                h,
                out,
            );
        }
    }
}

/// AuthorizationPolicy combinations the webhook rejects.
pub(crate) fn authorization(ix: &Index<'_>, out: &mut Vec<Finding>) {
    for (at, ap) in &ix.authorization_policies {
        let who = describe(*ap);
        let rules_field = FieldPath::root().field("spec").field("rules");
        let mut bad = |field: FieldPath, msg: String, hint: &str| {
            out.push(
                Finding::new(*at, Code::AuthzInvalid, field, format!("{who}: {msg}")).hint(hint),
            );
        };
        if let Some(AuthorizationAction::Custom(p)) = &ap.spec.action
            && p.name.as_deref().is_none_or(str::is_empty)
        {
            bad(
                FieldPath::root().field("spec").field("provider"),
                "action CUSTOM needs a provider".into(),
                "name an extension provider of the mesh config",
            );
        }
        for (i, rule) in ap.spec.rules.iter().flatten().enumerate() {
            let rf = rules_field.index(i);
            for (j, from) in rule.from.iter().enumerate() {
                let empty = from.source.as_ref().is_none_or(|s| {
                    serde_json::to_value(s)
                        .ok()
                        .and_then(|v| v.as_object().map(serde_json::Map::is_empty))
                        .unwrap_or(true)
                });
                if empty {
                    bad(
                        rf.field("from").index(j),
                        format!("rule {i}: `from[{j}].source` is empty"),
                        "name sources, or drop the `from` entry",
                    );
                }
            }
            for (j, to) in rule.to.iter().enumerate() {
                let empty = to.operation.as_ref().is_none_or(|o| {
                    serde_json::to_value(o)
                        .ok()
                        .and_then(|v| v.as_object().map(serde_json::Map::is_empty))
                        .unwrap_or(true)
                });
                if empty {
                    bad(
                        rf.field("to").index(j),
                        format!("rule {i}: `to[{j}].operation` is empty"),
                        "name operations, or drop the `to` entry",
                    );
                }
                for (k, p) in to
                    .operation
                    .iter()
                    .flat_map(|o| o.ports.iter().chain(&o.not_ports))
                    .enumerate()
                {
                    if !p.parse::<u16>().is_ok_and(|n| n > 0) {
                        bad(
                            rf.field("to")
                                .index(j)
                                .field("operation")
                                .field("ports")
                                .index(k),
                            format!("rule {i}: port `{p}` is not 1-65535"),
                            "ports are numbers",
                        );
                    }
                }
            }
            for (j, c) in rule.when.iter().enumerate() {
                let known = WHEN_KEYS.contains(&c.key.as_str())
                    || WHEN_PREFIXES.iter().any(|p| c.key.starts_with(p));
                if !known {
                    bad(
                        rf.field("when").index(j).field("key"),
                        format!("rule {i}: unknown condition key `{}`", c.key),
                        "see Istio's authorization conditions",
                    );
                }
                if c.values.is_empty() && c.not_values.is_empty() {
                    bad(
                        rf.field("when").index(j),
                        format!(
                            "rule {i}: condition `{}` has neither values nor notValues",
                            c.key
                        ),
                        "give values",
                    );
                }
            }
        }
    }
}
