//! JSON Schema (feature `schema`) of the types whose serde form is written
//! by hand: the value types (checked strings and numbers, durations,
//! regexes) and [`Route`]. Every other type derives
//! `schemars::JsonSchema` next to its serde derive, so the two read the
//! same attributes.
//!
//! The patterns are the constructors' rules, written in the subset of
//! regular-expression syntax that ECMA-262 (editors) and Rust's `regex`
//! read alike: no look-around, no back-references. The facade's
//! `tests/it/schema.rs` compares each pattern with its constructor on random
//! strings.
//!
//! What a schema cannot say, and what this one does instead:
//!
//! - JSON Schema's `integer` admits `1.0`; serde's integers do not. Same
//!   for the `0` a duration may be written as.
//! - serde_yaml reads any plain scalar into a string field (`body: 123` is
//!   `"123"`), and an empty value (`services:`) as the field's default
//!   while it rejects an explicit `null`. A YAML language server sees a
//!   number, a boolean or `null` there: the schema, stricter, refuses them.
//! - Durations longer than 2⁶³−1 ns, regexes that are not RE2, and lengths
//!   of non-ASCII text (the model counts bytes, a schema characters) are
//!   checked by the parser only; the schema gives the syntax it can.
//! - Map keys that differ only in case (header names) or in spelling
//!   (`8080` and `"8080"`) are one key to the model: the last one wins.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::{
    Duration, HeaderName, Hostname, HttpPath, HttpStatus, IpBlock, LabelKey, LabelValue, Name,
    ObjectName, Percent, Port, Quantity, RedirectStatus, Regex, RetryOn, Route, TrustDomain,
    Weight,
};

/// Implements `JsonSchema` for `$ty` under the definition name `$name`,
/// with `$body` (a `Schema`, given the generator `$gen`).
macro_rules! schema {
    ($ty:ty, $name:literal, |$gen:ident| $body:expr) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn schema_id() -> Cow<'static, str> {
                Cow::Borrowed(concat!("mesh_model::", $name))
            }

            fn json_schema($gen: &mut SchemaGenerator) -> Schema {
                $body
            }
        }
    };
    ($ty:ty, $name:literal, $body:expr) => {
        schema!($ty, $name, |_g| $body);
    };
}

/// A map whose keys follow `K`'s schema (`propertyNames`) and whose values
/// follow `V`'s; for maps keyed by a checked string (labels, headers).
pub(crate) fn map<K: JsonSchema, V: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "propertyNames": g.subschema_for::<K>(),
        "additionalProperties": g.subschema_for::<V>(),
    })
}

/// A map keyed by port numbers (`8080:` in YAML, `"8080"` in JSON: object
/// keys are strings to a schema).
pub(crate) fn port_map<V: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "propertyNames": {
            "type": "string",
            "pattern": PORT_KEY,
            "description": "A port number from 1 to 65535.",
        },
        "additionalProperties": g.subschema_for::<V>(),
    })
}

// === patterns ===

/// A decimal port number 1..=65535 without leading zeros.
const PORT_KEY: &str =
    "^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

/// A DNS-1123 label.
const DNS1123_LABEL: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

/// A DNS-1123 subdomain (labels of any length: the total is what is capped).
fn subdomain() -> String {
    format!("{DNS1123_LABEL}(\\.{DNS1123_LABEL})*")
}

/// The name part of a qualified name, at most 63 characters.
const QUALIFIED_NAME_PART: &str = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";

/// An HTTP token (RFC 7230), Gateway API's header-name pattern.
const HEADER_NAME: &str = "^[-A-Za-z0-9!#$%&'*+.^_`|~]+$";

/// A dotted-quad IPv4 address as Rust reads it (no leading zeros).
const IPV4: &str = "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

/// An IPv6 address, RFC 3986's `IPv6address` (which Rust's parser follows:
/// `::` stands for at least one group, an IPv4 tail for the last two).
fn ipv6() -> String {
    let h = "[0-9A-Fa-f]{1,4}";
    let ls32 = format!("({h}:{h}|{IPV4})");
    let groups = |n: usize| format!("({h}:){{{n}}}");
    // `[ *k( h16 ":" ) h16 ]`: up to k+1 groups before the `::`.
    let head = |k: usize| {
        if k == 0 {
            format!("({h})?")
        } else {
            format!("(({h}:){{0,{k}}}{h})?")
        }
    };
    let forms = [
        format!("{}{ls32}", groups(6)),
        format!("::{}{ls32}", groups(5)),
        format!("{}::{}{ls32}", head(0), groups(4)),
        format!("{}::{}{ls32}", head(1), groups(3)),
        format!("{}::{}{ls32}", head(2), groups(2)),
        format!("{}::{h}:{ls32}", head(3)),
        format!("{}::{ls32}", head(4)),
        format!("{}::{h}", head(5)),
        format!("{}::", head(6)),
    ];
    format!("({})", forms.join("|"))
}

/// Go's `time.ParseDuration` syntax, non-negative: numbers with units, or
/// `0`; a minus sign only before a zero.
fn duration_pattern() -> String {
    let unit = "(ns|us|\u{b5}s|\u{3bc}s|ms|s|m|h)";
    let number = "([0-9]+(\\.[0-9]*)?|\\.[0-9]+)";
    let zero = "(0+(\\.0*)?|\\.0+)";
    format!("^(\\+?({number}{unit})+|[-+]?0|-({zero}{unit})+)$")
}

// === numbers ===

schema!(
    Percent,
    "Percent",
    json_schema!({
        "type": "number",
        "minimum": 0,
        "maximum": 100,
        "description": "A percentage from 0 to 100, fractions allowed (0.1 is one in a thousand).",
    })
);

schema!(
    Weight,
    "Weight",
    json_schema!({
        "type": "integer",
        "minimum": 0,
        "maximum": Weight::MAX,
        "description": "A relative weight: a backend's share is its weight / the sum of the route's weights. 0 sends it nothing. Default 1.",
    })
);

schema!(
    Port,
    "Port",
    json_schema!({
        "type": "integer",
        "minimum": 1,
        "maximum": 65535,
        "description": "A TCP port number, 1 to 65535.",
    })
);

schema!(
    HttpStatus,
    "HttpStatus",
    json_schema!({
        "type": "integer",
        "minimum": 100,
        "maximum": 599,
        "description": "An HTTP status code, 100 to 599.",
    })
);

schema!(
    RedirectStatus,
    "RedirectStatus",
    json_schema!({
        "enum": [301, 302, 303, 307, 308],
        "description": "A redirect status code: 301, 302 (the default), 303, 307 or 308.",
    })
);

// === strings ===

schema!(
    Duration,
    "Duration",
    json_schema!({
        "description": "A non-negative span of time in Go syntax: numbers with units (ns, us, ms, s, m, h), such as 10s, 500ms, 1m30s or 1.5h; or 0. At most 2^63-1 nanoseconds (about 292 years).",
        "anyOf": [
            {"type": "string", "pattern": duration_pattern()},
            {"const": 0},
        ],
    })
);

schema!(
    Name,
    "Name",
    json_schema!({
        "type": "string",
        "pattern": format!("^{DNS1123_LABEL}$"),
        "maxLength": crate::rules::DNS1123_LABEL_MAX,
        "description": "A DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (reviews-v2). Service names must also start with a letter.",
    })
);

schema!(
    Hostname,
    "Hostname",
    json_schema!({
        "description": "A host name: a DNS-1123 subdomain (api.company.com), optionally with a leading wildcard label (*.company.com), or the lone wildcard *.",
        "anyOf": [
            {"const": "*"},
            {
                "type": "string",
                "pattern": format!("^{}$", subdomain()),
                "maxLength": crate::rules::DNS1123_SUBDOMAIN_MAX,
            },
            {
                "type": "string",
                "pattern": format!("^\\*\\.{}$", subdomain()),
                "maxLength": crate::rules::DNS1123_SUBDOMAIN_MAX + 2,
            },
        ],
    })
);

/// A DNS-1123 subdomain of at most 253 characters, described as `what`.
fn subdomain_schema(description: &str) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": format!("^{}$", subdomain()),
        "maxLength": crate::rules::DNS1123_SUBDOMAIN_MAX,
        "description": description,
    })
}

schema!(
    ObjectName,
    "ObjectName",
    subdomain_schema(
        "The name of a Kubernetes object such as a Secret: a DNS-1123 subdomain (app-tls-secret, api.tls), at most 253 characters."
    )
);

schema!(
    TrustDomain,
    "TrustDomain",
    subdomain_schema(
        "The trust domain of workload identities (default cluster.local): a DNS-1123 subdomain."
    )
);

schema!(
    LabelKey,
    "LabelKey",
    json_schema!({
        "description": "A label key (a Kubernetes qualified name): an optional DNS-1123 subdomain prefix and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (app, app.kubernetes.io/name).",
        "anyOf": [
            {"type": "string", "pattern": format!("^{QUALIFIED_NAME_PART}$")},
            {
                "type": "string",
                "allOf": [
                    {"pattern": format!("^{}/{QUALIFIED_NAME_PART}$", subdomain())},
                    {"pattern": format!("^[^/]{{1,{}}}/", crate::rules::DNS1123_SUBDOMAIN_MAX)},
                ],
            },
        ],
    })
);

schema!(
    LabelValue,
    "LabelValue",
    json_schema!({
        "type": "string",
        "pattern": "^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$",
        "maxLength": crate::rules::LABEL_VALUE_MAX,
        "description": "A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
    })
);

schema!(
    HeaderName,
    "HeaderName",
    json_schema!({
        "type": "string",
        "pattern": HEADER_NAME,
        "maxLength": 256,
        "description": "An HTTP header name (an RFC 7230 token, at most 256 characters); case-insensitive, kept in lower case.",
    })
);

schema!(
    HttpPath,
    "HttpPath",
    json_schema!({
        "type": "string",
        "maxLength": 1024,
        "allOf": [
            {"pattern": "^/([-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$"},
            {"not": {"pattern": "//|/\\./|/\\.\\./|%2[fF]|/\\.\\.?$"}},
        ],
        "description": "An absolute URL path (Gateway API's rules): starts with '/', at most 1024 characters, no '//', '/./', '/../', '%2f' or '#', only characters allowed in a URL path (others %-escaped).",
    })
);

schema!(
    Regex,
    "Regex",
    json_schema!({
        "type": "string",
        "maxLength": crate::MAX_REGEX_LEN,
        "description": "A regular expression in RE2 syntax (what Envoy and Linkerd's proxy evaluate), at most 1024 characters: no look-around or back-references. Meshes match it against the whole value.",
    })
);

schema!(
    Quantity,
    "Quantity",
    json_schema!({
        "type": "string",
        "pattern": "^([0-9]+\\.?[0-9]*|\\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][-+]?[0-9]+)?$",
        "description": "A Kubernetes resource quantity such as 500m (CPU) or 2Gi (memory); not negative.",
    })
);

schema!(
    IpBlock,
    "IpBlock",
    json_schema!({
        "description": "An IP address (10.1.2.3) or CIDR block (10.0.0.0/8, 2001:db8::/32).",
        "anyOf": [
            {
                "type": "string",
                "pattern": format!("^{IPV4}(/(3[0-2]|[12]?[0-9]))?$"),
            },
            {
                "type": "string",
                "pattern": format!("^{}(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?$", ipv6()),
            },
        ],
    })
);

// === types with hand-written serde ===

schema!(
    RetryOn,
    "RetryOn",
    json_schema!({
        "description": "A retry condition: a keyword, or an HTTP status (503 or \"503\").",
        "anyOf": [
            {
                "enum": [
                    "5xx", "gateway-error", "reset", "connect-failure", "refused-stream",
                    "retriable-4xx", "cancelled", "deadline-exceeded", "internal",
                    "resource-exhausted", "unavailable",
                ],
            },
            {"type": "integer", "minimum": 100, "maximum": 599},
            {"type": "string", "pattern": "^\\+?0*[1-5][0-9]{2}$"},
        ],
    })
);

/// `T` or `null` (what serde reads into an `Option<T>` field).
fn nullable<T: JsonSchema>(g: &mut SchemaGenerator, description: &str) -> Value {
    json!({
        "anyOf": [g.subschema_for::<T>(), {"type": "null"}],
        "description": description,
    })
}

/// One branch of "exactly one of": `field` is present and not `null`.
fn present(field: &str) -> Value {
    json!({
        "required": [field],
        "properties": {field: {"not": {"type": "null"}}},
    })
}

/// Header edits, described as `description`.
fn headers(g: &mut SchemaGenerator, description: &str) -> Value {
    let mut s = g.subschema_for::<crate::HeaderEdits>().to_value();
    if let Some(o) = s.as_object_mut() {
        o.insert("description".into(), json!(description));
    }
    s
}

schema!(Route, "Route", |g| {
    json_schema!({
        "type": "object",
        "description": "A route: requests that match are handled by exactly one action: forward, redirect or respond. Routes are tried in order; the first match wins.",
        "properties": {
            "name": nullable::<Name>(g, "A name, unique within the service; used to name generated objects and in diagnostics."),
            "match": {
                "type": "array",
                "items": g.subschema_for::<crate::RouteMatch>(),
                "description": "Alternatives (OR); none matches every request.",
            },
            "forward": nullable::<crate::Forward>(g, "Forward matching requests to weighted backends."),
            "redirect": nullable::<crate::Redirect>(g, "Answer with a redirect."),
            "respond": nullable::<crate::DirectResponse>(g, "Answer directly."),
            "requestHeaders": headers(g, "Changes to request headers."),
            "responseHeaders": headers(g, "Changes to response headers."),
        },
        "additionalProperties": false,
        "oneOf": [present("forward"), present("redirect"), present("respond")],
    })
});

// === descriptions ===

/// Rewrites every `description` from rustdoc to what an editor shows on
/// hover: Rust doctests dropped (YAML examples kept), intra-doc links
/// reduced to their text, wrapped lines joined into paragraphs.
pub(crate) fn tidy_descriptions(schema: &mut Schema) {
    if let Some(Value::String(d)) = schema.get_mut("description") {
        *d = tidy(d);
    }
    schemars::transform::transform_subschemas(&mut tidy_descriptions, schema);
}

/// See [`tidy_descriptions`].
fn tidy(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    // `Some(keep)` inside a fenced block.
    let mut fence: Option<bool> = None;
    let flush = |current: &mut String, paragraphs: &mut Vec<String>| {
        if !current.is_empty() {
            paragraphs.push(std::mem::take(current));
        }
    };
    for line in doc.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            match fence {
                None => {
                    flush(&mut current, &mut paragraphs);
                    let keep = !(lang.is_empty() || lang.starts_with("rust"));
                    if keep {
                        current.push_str(line);
                    }
                    fence = Some(keep);
                }
                Some(keep) => {
                    if keep {
                        current.push('\n');
                        current.push_str(line);
                        flush(&mut current, &mut paragraphs);
                    }
                    fence = None;
                }
            }
        } else if let Some(keep) = fence {
            if keep {
                current.push('\n');
                current.push_str(line);
            }
        } else if trimmed.is_empty() {
            flush(&mut current, &mut paragraphs);
        } else {
            if !current.is_empty() {
                current.push(if trimmed.starts_with("- ") { '\n' } else { ' ' });
            }
            current.push_str(&unlink(trimmed));
        }
    }
    flush(&mut current, &mut paragraphs);
    paragraphs.join("\n\n")
}

/// `[text](target)` → `text` unless the target is a URL; `[`x`]` → `` `x` ``.
fn unlink(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let text = &after[..close];
        let tail = &after[close + 1..];
        if let Some(target) = tail.strip_prefix('(')
            && let Some(end) = target.find(')')
        {
            let url = &target[..end];
            if url.contains("://") {
                out.push_str(&rest[open..open + 1 + close + 1 + 1 + end + 1]);
            } else {
                out.push_str(text);
            }
            rest = &target[end + 1..];
        } else {
            if text.starts_with('`') && text.ends_with('`') && text.len() > 1 {
                out.push_str(text);
            } else {
                out.push('[');
                out.push_str(text);
                out.push(']');
            }
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn descriptions_read_as_prose() {
        let cases = [
            ("one\nline", "one line"),
            ("a [`Mesh`] b", "a `Mesh` b"),
            ("see [`validate`](Mesh::validate).", "see `validate`."),
            (
                "keep [docs](https://x.io/a) links",
                "keep [docs](https://x.io/a) links",
            ),
            ("a[0] stays", "a[0] stays"),
            ("p1\n\np2", "p1\n\np2"),
            ("text\n\n```\nlet x = 1;\n```\nafter", "text\n\nafter"),
            ("text\n```yaml\na: 1\n```", "text\n\n```yaml\na: 1\n```"),
            ("list:\n- a\n- b", "list:\n- a\n- b"),
        ];
        for (doc, want) in cases {
            assert_eq!(tidy(doc), want, "{doc:?}");
        }
    }
}
