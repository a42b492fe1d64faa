//! [`Regex`]: a regular expression checked as RE2 syntax.

use std::fmt;
use std::str::FromStr;

use regex_syntax::ast::{
    self, Ast, ClassSetBinaryOp, ClassSetItem, Flag, FlagsItemKind, GroupKind, RepetitionRange,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ValueError;

/// Longest regex accepted (Istio's and Gateway API's limit).
pub const MAX_REGEX_LEN: usize = 1024;
/// RE2's largest repetition count (`{1000}`).
const RE2_MAX_REPEAT: u32 = 1000;

/// A regular expression in RE2 syntax, the dialect Envoy (and so Istio and
/// Consul) and Linkerd's proxy evaluate. At most 1024 characters.
///
/// Checking parses the expression and rejects what RE2 does not accept:
/// look-around and back-references (no engine here has them), the `x`, `u`
/// and `R` flags, nested character classes and class set operations
/// (`[a-z&&[^aeiou]]`), `\<`/`\>`-style word boundaries, and repetition
/// counts above 1000. Matching is whole-string in every mesh's use (paths,
/// header values): meshes anchor the expression themselves.
///
/// ```
/// use mesh_model::Regex;
/// assert!(Regex::new("^(.*?;)?(user=jason)(;.*)?$").is_ok());
/// assert!(Regex::new("/api/v[12]/.*").is_ok());
/// assert!(Regex::new("(?=x)").is_err());      // look-ahead is not RE2
/// assert!(Regex::new("a{1001}").is_err());    // RE2 caps repeats at 1000
/// assert!(Regex::new("(unclosed").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Regex(String);

struct Re2Check;

impl ast::Visitor for Re2Check {
    type Output = ();
    type Err = &'static str;

    fn finish(self) -> Result<(), &'static str> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), &'static str> {
        match ast {
            Ast::Flags(set) => check_flags(&set.flags),
            Ast::Group(g) => match &g.kind {
                GroupKind::NonCapturing(flags) => check_flags(flags),
                _ => Ok(()),
            },
            Ast::Assertion(a) => match a.kind {
                ast::AssertionKind::WordBoundaryStart
                | ast::AssertionKind::WordBoundaryEnd
                | ast::AssertionKind::WordBoundaryStartAngle
                | ast::AssertionKind::WordBoundaryEndAngle
                | ast::AssertionKind::WordBoundaryStartHalf
                | ast::AssertionKind::WordBoundaryEndHalf => {
                    Err("uses a word-boundary form RE2 does not have (only \\b and \\B)")
                }
                _ => Ok(()),
            },
            Ast::Repetition(r) => match r.op.kind {
                ast::RepetitionKind::Range(
                    RepetitionRange::Exactly(n)
                    | RepetitionRange::AtLeast(n)
                    | RepetitionRange::Bounded(_, n),
                ) if n > RE2_MAX_REPEAT => Err("repeats more than 1000 times, RE2's limit"),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), &'static str> {
        match item {
            ClassSetItem::Bracketed(_) => Err(
                "nests a character class inside another; RE2 reads '[' inside a class literally, escape it as \\[",
            ),
            _ => Ok(()),
        }
    }

    fn visit_class_set_binary_op_pre(
        &mut self,
        _op: &ClassSetBinaryOp,
    ) -> Result<(), &'static str> {
        Err("uses a class set operation (&&, --, ~~) that RE2 does not have")
    }
}

fn check_flags(flags: &ast::Flags) -> Result<(), &'static str> {
    for item in &flags.items {
        if let FlagsItemKind::Flag(flag) = item.kind {
            match flag {
                Flag::IgnoreWhitespace => return Err("uses the x flag, which RE2 does not have"),
                Flag::Unicode => return Err("uses the u flag, which RE2 does not have"),
                Flag::CRLF => return Err("uses the R flag, which RE2 does not have"),
                Flag::CaseInsensitive
                | Flag::MultiLine
                | Flag::DotMatchesNewLine
                | Flag::SwapGreed => {}
            }
        }
    }
    Ok(())
}

fn check(s: &str) -> Result<(), String> {
    if s.len() > MAX_REGEX_LEN {
        return Err(format!(
            "is {} characters long; the limit is {MAX_REGEX_LEN}",
            s.len()
        ));
    }
    let parsed = ast::parse::ParserBuilder::new()
        .nest_limit(250)
        .build()
        .parse(s)
        .map_err(|e| format!("is not a valid regular expression: {}", e.kind()))?;
    ast::visit(&parsed, Re2Check).map_err(str::to_owned)?;
    regex_syntax::hir::translate::Translator::new()
        .translate(s, &parsed)
        .map_err(|e| format!("is not a valid regular expression: {}", e.kind()))?;
    Ok(())
}

impl Regex {
    /// Checks `s` as RE2 syntax and wraps it.
    pub fn new(s: impl Into<String>) -> Result<Self, ValueError> {
        let s = s.into();
        match check(&s) {
            Ok(()) => Ok(Regex(s)),
            Err(reason) => Err(ValueError::invalid("regex (RE2)", s, reason)),
        }
    }

    /// A regex matching `literal` exactly (metacharacters escaped).
    ///
    /// ```
    /// use mesh_model::Regex;
    /// assert_eq!(Regex::literal("a.b").as_str(), r"a\.b");
    /// ```
    pub fn literal(literal: &str) -> Regex {
        Regex(regex_syntax::escape(literal))
    }

    /// The expression.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// If the expression is a literal followed by `.*` (`/info.*`,
    /// optionally anchored `^...$`), the literal: the regex then is a string
    /// prefix match, which meshes without regex support (Istio
    /// authorization paths) can say as `/info*`.
    ///
    /// ```
    /// use mesh_model::Regex;
    /// assert_eq!(Regex::new("/info.*")?.literal_prefix().as_deref(), Some("/info"));
    /// assert_eq!(Regex::new(r"^/api/v1\.0/.*$")?.literal_prefix().as_deref(), Some("/api/v1.0/"));
    /// assert_eq!(Regex::new("/api/v[12]/.*")?.literal_prefix(), None);
    /// # Ok::<(), mesh_model::ValueError>(())
    /// ```
    pub fn literal_prefix(&self) -> Option<String> {
        let s = self.0.strip_prefix('^').unwrap_or(&self.0);
        let s = s.strip_suffix('$').unwrap_or(s);
        let body = s.strip_suffix(".*")?;
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let e = chars.next()?;
                    if e.is_ascii_alphanumeric() {
                        return None; // \d, \w, \b...: classes, not literals
                    }
                    out.push(e);
                }
                '.' | '*' | '+' | '?' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '^' | '$' => {
                    return None;
                }
                c => out.push(c),
            }
        }
        Some(out)
    }
}

impl fmt::Display for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regex({:?})", self.0)
    }
}

impl FromStr for Regex {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Regex::new(s)
    }
}

impl TryFrom<&str> for Regex {
    type Error = ValueError;
    fn try_from(s: &str) -> Result<Self, ValueError> {
        Regex::new(s)
    }
}

impl TryFrom<String> for Regex {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, ValueError> {
        Regex::new(s)
    }
}

impl Serialize for Regex {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Regex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Regex::new(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_re2() {
        for ok in [
            "^(.*?;)?(user=jason)(;.*)?$",
            "/health.*",
            "/api/v[12]/.*",
            r"/books/\d+.json",
            "(?i)abc",
            "(?P<name>x)",
            "(?<name>x)",
            r"\pL\p{Greek}[[:alpha:]]",
            "a{2,1000}",
            r"\bword\B",
            "",
        ] {
            assert!(Regex::new(ok).is_ok(), "{ok}: {:?}", Regex::new(ok));
        }
    }

    #[test]
    fn rejects_non_re2() {
        for bad in [
            "(?=x)",
            "(?!x)",
            r"(a)\1",
            "(?x) a b",
            "(?u)a",
            "(?R)a",
            "[a-z&&[^aeiou]]",
            "[a[b]]",
            r"\<word\>",
            r"\b{start}",
            "a{1001}",
            "(",
            "[z-a]",
            r"\p{NotAClass}",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Regex::new("a".repeat(1025)).is_err());
        assert!(Regex::new("a".repeat(1024)).is_ok());
    }
}
