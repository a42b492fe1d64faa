//! A YAML emitter for serde, written for Kubernetes manifests and policy
//! files.
//!
//! Why not serde_yaml's writer: it leaves strings such as `n`, `on`, `0777`
//! or `94e944` unquoted, which YAML 1.2 reads as strings but kubectl's
//! YAML 1.1 reader (go-yaml v2) reads as a boolean, an octal or a float;
//! and it writes enums as YAML tags (`!prefix /api`), which Kubernetes
//! rejects. This emitter
//!
//! - quotes (double quotes, JSON escapes) every string that any YAML 1.1 or
//!   1.2 reader could take for something else, and writes the rest plain;
//! - writes enum variants as one-key maps (`{prefix: /api}`) and unit
//!   variants as plain words;
//! - writes multi-line strings as literal blocks (`|-`);
//! - lays documents out as `kubectl` and serde_yaml do (block style, lists
//!   under a key not indented, two spaces per level), so output is stable
//!   and diff-friendly;
//! - streams straight into a byte buffer, with no intermediate tree.
//!
//! ```
//! use std::collections::BTreeMap;
//! let mut m = BTreeMap::new();
//! m.insert("answer", vec!["n", "10s", "94e944", "multi\nline"]);
//! assert_eq!(
//!     mesh_model::yaml::to_string(&m).unwrap(),
//!     "answer:\n- \"n\"\n- 10s\n- \"94e944\"\n- |-\n  multi\n  line\n",
//! );
//! ```

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

/// Why a value could not be written as YAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("YAML: {0}")]
pub struct YamlError(String);

impl ser::Error for YamlError {
    fn custom<T: Display>(msg: T) -> Self {
        YamlError(msg.to_string())
    }
}

/// Writes `value` as one YAML document (no `---`).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, YamlError> {
    let mut out = Vec::with_capacity(512);
    to_writer(&mut out, value)?;
    String::from_utf8(out).map_err(|e| YamlError(e.to_string()))
}

/// Appends `value` as one YAML document (no `---`) to `out`.
pub fn to_writer<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), YamlError> {
    let mut e = Emitter {
        out,
        stack: Vec::with_capacity(16),
        pos: Pos::Root,
    };
    value.serialize(&mut e)?;
    if !e.stack.is_empty() {
        return Err(YamlError("unbalanced collections".into()));
    }
    Ok(())
}

/// Where the next value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// The document itself.
    Root,
    /// After `key:`.
    Value,
    /// After `- `.
    Item,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    seq: bool,
    /// Column of this collection's keys or dashes.
    indent: usize,
    count: usize,
    opened_at: Pos,
    /// Frames closed together with this one (struct/tuple variants).
    extra: u8,
}

struct Emitter<'a> {
    out: &'a mut Vec<u8>,
    stack: Vec<Frame>,
    pos: Pos,
}

impl Emitter<'_> {
    /// The column a nested value's content starts at.
    fn child_indent(&self) -> usize {
        match (self.pos, self.stack.last()) {
            (Pos::Root, _) | (_, None) => 0,
            (Pos::Value, Some(f)) => f.indent + 2,
            (Pos::Item, Some(f)) => f.indent + 2,
        }
    }

    fn spaces(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(b' ', n));
    }

    fn scalar(&mut self, text: &str) {
        match self.pos {
            Pos::Value => {
                self.out.push(b' ');
            }
            Pos::Root | Pos::Item => {}
        }
        self.out.extend_from_slice(text.as_bytes());
        self.out.push(b'\n');
    }

    fn string(&mut self, s: &str) {
        if let Some(chomp) = block_literal(s)
            && self.pos != Pos::Root
        {
            let indent = self.child_indent();
            if self.pos == Pos::Value {
                self.out.push(b' ');
            }
            self.out.push(b'|');
            self.out.extend_from_slice(chomp.as_bytes());
            self.out.push(b'\n');
            let body = s.strip_suffix('\n').unwrap_or(s);
            for line in body.split('\n') {
                if !line.is_empty() {
                    self.spaces(indent);
                    self.out.extend_from_slice(line.as_bytes());
                }
                self.out.push(b'\n');
            }
            return;
        }
        if self.pos == Pos::Value {
            self.out.push(b' ');
        }
        write_scalar_string(self.out, s);
        self.out.push(b'\n');
    }

    fn open(&mut self, seq: bool) {
        let indent = match (self.pos, seq) {
            (Pos::Root, _) => 0,
            // A list under a key starts at the key's column (kubectl style).
            (Pos::Value, true) => self.stack.last().map_or(0, |f| f.indent),
            _ => self.child_indent(),
        };
        self.stack.push(Frame {
            seq,
            indent,
            count: 0,
            opened_at: self.pos,
            extra: 0,
        });
    }

    /// Starts the next entry (`key:` follows) or item (`- ` written).
    fn entry(&mut self) -> Result<(), YamlError> {
        let f = self
            .stack
            .last_mut()
            .ok_or_else(|| YamlError("entry outside a collection".into()))?;
        let first = f.count == 0;
        f.count += 1;
        let (indent, seq, opened_at) = (f.indent, f.seq, f.opened_at);
        if first && opened_at == Pos::Value {
            self.out.push(b'\n');
        }
        if !(first && opened_at == Pos::Item) {
            self.spaces(indent);
        }
        if seq {
            self.out.extend_from_slice(b"- ");
            self.pos = Pos::Item;
        }
        Ok(())
    }

    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), YamlError> {
        self.entry()?;
        key.serialize(KeySerializer(self.out))?;
        self.out.push(b':');
        self.pos = Pos::Value;
        Ok(())
    }

    fn close(&mut self) -> Result<(), YamlError> {
        let f = self
            .stack
            .pop()
            .ok_or_else(|| YamlError("close outside a collection".into()))?;
        if f.count == 0 {
            self.pos = f.opened_at;
            self.scalar(if f.seq { "[]" } else { "{}" });
        }
        for _ in 0..f.extra {
            self.close()?;
        }
        Ok(())
    }

    /// `{variant: ...}`: opens the outer map and writes the key.
    fn variant(&mut self, variant: &'static str) -> Result<(), YamlError> {
        self.open(false);
        self.key(variant)
    }
}

/// The chomping indicator when `s` should be a literal block, else `None`.
fn block_literal(s: &str) -> Option<&'static str> {
    if !s.contains('\n') || s.starts_with([' ', '\n']) {
        return None;
    }
    if s.chars()
        .any(|c| (c.is_control() && c != '\n') || c == '\u{feff}')
        || s.split('\n').any(|l| l.ends_with(' '))
    {
        return None;
    }
    let body = s.strip_suffix('\n');
    match body {
        Some(b) if b.ends_with('\n') => None,
        Some(_) => Some(""),
        None => Some("-"),
    }
}

/// Whether `s` can be written without quotes and read back as the same
/// string by YAML 1.1 and 1.2 readers alike.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`<=".contains(first) {
        // `-1s`, `-x` are fine; a lone `-`, `- `, numbers are not.
        let ok_dash = first == '-' && s.len() > 1 && !s[1..].starts_with(' ');
        if !ok_dash {
            return false;
        }
    }
    // One pass over the bytes: `: ` and ` #` start YAML syntax; control
    // characters and the BOM need escapes. ASCII is decided byte by byte;
    // only non-ASCII text is decoded.
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied();
        match b {
            b':' if next == Some(b' ') => return false,
            b' ' if next == Some(b'#') => return false,
            0..=0x1f | 0x7f => return false,
            0x80.. => {
                let rest = &s[i..];
                if rest.chars().any(|c| c.is_control() || c == '\u{feff}')
                    || rest.contains(": ")
                    || rest.contains(" #")
                {
                    return false;
                }
                break;
            }
            _ => {}
        }
    }
    if is_special_word(s) || looks_numeric(s) {
        return false;
    }
    true
}

fn is_special_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "null"
            | "Null"
            | "NULL"
            | "~"
            | ".inf"
            | ".Inf"
            | ".INF"
            | ".nan"
            | ".NaN"
            | ".NAN"
    )
}

/// Anything a YAML 1.1 or 1.2 reader might resolve to an int, float or
/// timestamp: a sign or digit or dot first, then only characters numbers,
/// exponents, bases, sexagesimals and dates use.
fn looks_numeric(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(first) = body.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    body.chars()
        .all(|c| c.is_ascii_hexdigit() || "xXoObB_.:+-".contains(c))
}

fn write_scalar_string(out: &mut Vec<u8>, s: &str) {
    if plain_ok(s) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\r' => out.extend_from_slice(b"\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                out.extend_from_slice(format!("\\u{:04X}", u32::from(c)).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

fn int_text(buf: &mut [u8; 40], negative: bool, mut v: u128) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if negative {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

fn float_text(v: f64) -> String {
    if v.is_nan() {
        ".nan".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        // Shortest text that reads back as the same number.
        format!("{v}")
    }
}

impl ser::Serializer for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), YamlError> {
        self.scalar(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), YamlError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), YamlError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), YamlError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), YamlError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), YamlError> {
        let mut buf = [0u8; 40];
        let text = int_text(&mut buf, v < 0, v.unsigned_abs());
        self.scalar(text);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), YamlError> {
        self.serialize_u128(u128::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), YamlError> {
        self.serialize_u128(u128::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), YamlError> {
        self.serialize_u128(u128::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), YamlError> {
        self.serialize_u128(u128::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), YamlError> {
        let mut buf = [0u8; 40];
        let text = int_text(&mut buf, false, v);
        self.scalar(text);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), YamlError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), YamlError> {
        self.scalar(&float_text(v));
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), YamlError> {
        let mut buf = [0u8; 4];
        self.string(v.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), YamlError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), YamlError> {
        use ser::SerializeSeq;
        let mut s = self.serialize_seq(Some(v.len()))?;
        for b in v {
            s.serialize_element(b)?;
        }
        s.end()
    }
    fn serialize_none(self) -> Result<(), YamlError> {
        self.scalar("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), YamlError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), YamlError> {
        self.scalar("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), YamlError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<(), YamlError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), YamlError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), YamlError> {
        self.variant(variant)?;
        value.serialize(&mut *self)?;
        self.close()
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, YamlError> {
        self.open(true);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, YamlError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, YamlError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, YamlError> {
        self.variant(variant)?;
        self.open(true);
        if let Some(f) = self.stack.last_mut() {
            f.extra = 1;
        }
        Ok(self)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, YamlError> {
        self.open(false);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self, YamlError> {
        self.open(false);
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _i: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, YamlError> {
        self.variant(variant)?;
        self.open(false);
        if let Some(f) = self.stack.last_mut() {
            f.extra = 1;
        }
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), YamlError> {
        self.entry()?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeTuple for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), YamlError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), YamlError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), YamlError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeMap for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), YamlError> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), YamlError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeStruct for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), YamlError> {
        self.key(key)?;
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

impl ser::SerializeStructVariant for &mut Emitter<'_> {
    type Ok = ();
    type Error = YamlError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), YamlError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), YamlError> {
        self.close()
    }
}

/// Map keys: strings, numbers, booleans and unit variants, written straight
/// to the output: text quoted as needed, numbers and booleans plain so that
/// they read back as such.
struct KeySerializer<'o>(&'o mut Vec<u8>);

impl KeySerializer<'_> {
    fn plain(self, text: &str) -> Result<(), YamlError> {
        self.0.extend_from_slice(text.as_bytes());
        Ok(())
    }

    fn text(self, text: &str) -> Result<(), YamlError> {
        write_scalar_string(self.0, text);
        Ok(())
    }
}

fn key_error() -> YamlError {
    YamlError("map keys must be strings, numbers or booleans".into())
}

impl ser::Serializer for KeySerializer<'_> {
    type Ok = ();
    type Error = YamlError;
    type SerializeSeq = ser::Impossible<(), YamlError>;
    type SerializeTuple = ser::Impossible<(), YamlError>;
    type SerializeTupleStruct = ser::Impossible<(), YamlError>;
    type SerializeTupleVariant = ser::Impossible<(), YamlError>;
    type SerializeMap = ser::Impossible<(), YamlError>;
    type SerializeStruct = ser::Impossible<(), YamlError>;
    type SerializeStructVariant = ser::Impossible<(), YamlError>;

    fn serialize_bool(self, v: bool) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_i8(self, v: i8) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), YamlError> {
        self.plain(&v.to_string())
    }
    fn serialize_f32(self, v: f32) -> Result<(), YamlError> {
        self.plain(&float_text(f64::from(v)))
    }
    fn serialize_f64(self, v: f64) -> Result<(), YamlError> {
        self.plain(&float_text(v))
    }
    fn serialize_char(self, v: char) -> Result<(), YamlError> {
        self.text(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), YamlError> {
        self.text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), YamlError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), YamlError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), YamlError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), YamlError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), YamlError> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _n: &'static str,
        _i: u32,
        variant: &'static str,
    ) -> Result<(), YamlError> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        value: &T,
    ) -> Result<(), YamlError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _value: &T,
    ) -> Result<(), YamlError> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, YamlError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, YamlError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeTupleStruct, YamlError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeTupleVariant, YamlError> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, YamlError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _n: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeStruct, YamlError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _n: &'static str,
        _i: u32,
        _v: &'static str,
        _l: usize,
    ) -> Result<Self::SerializeStructVariant, YamlError> {
        Err(key_error())
    }
}

impl fmt::Debug for Emitter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Emitter")
            .field("depth", &self.stack.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[test]
    fn quoting_table() {
        for (s, plain) in [
            ("hello", true),
            ("10s", true),
            ("-1s", true),
            ("500m", true),
            ("2Gi", true),
            ("/api/v1", true),
            ("app.kubernetes.io/name", true),
            ("cluster.local/ns/default/sa/sleep", true),
            ("*.local", false),
            ("", false),
            ("n", false),
            ("Y", false),
            ("on", false),
            ("Off", false),
            ("null", false),
            ("~", false),
            ("true", false),
            ("0777", false),
            ("94e944", false),
            ("1e3", false),
            ("0x1F", false),
            ("1_000", false),
            ("10.0.0.1", false),
            ("2001:db8::1", false),
            ("2001-12-14", false),
            ("1:20", false),
            (".5", false),
            ("-1", false),
            ("+1", false),
            (".inf", false),
            ("a: b", false),
            ("a #b", false),
            ("a:", false),
            (" a", false),
            ("- a", false),
            ("-", false),
            ("@x", false),
            ("!x", false),
            ("&x", false),
            ("%{REQUEST_ID}", false),
            ("request.headers[x]", true),
            ("<<", false),
            ("=", false),
        ] {
            assert_eq!(plain_ok(s), plain, "{s:?}");
        }
    }

    #[test]
    fn layout_matches_kubectl_style() {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        enum Match {
            Exact(String),
            Prefix(String),
        }
        #[derive(Serialize)]
        struct Route {
            name: &'static str,
            matches: Vec<Match>,
            empty_list: Vec<u8>,
            empty_map: std::collections::BTreeMap<String, u8>,
            nested: Vec<Vec<u8>>,
            weight: f64,
            ratio: f64,
            none: Option<u8>,
        }
        let r = vec![Route {
            name: "a",
            matches: vec![Match::Exact("/x".into()), Match::Prefix("on".into())],
            empty_list: vec![],
            empty_map: Default::default(),
            nested: vec![vec![1, 2], vec![]],
            weight: 10.0,
            ratio: 0.25,
            none: None,
        }];
        assert_eq!(
            to_string(&r).unwrap(),
            "- name: a\n  matches:\n  - exact: /x\n  - prefix: \"on\"\n  empty_list: []\n  empty_map: {}\n  nested:\n  - - 1\n    - 2\n  - []\n  weight: 10.0\n  ratio: 0.25\n  none: null\n"
        );
    }

    #[test]
    fn scalars_at_the_root_and_literal_blocks() {
        assert_eq!(to_string("n").unwrap(), "\"n\"\n");
        assert_eq!(to_string(&5u8).unwrap(), "5\n");
        assert_eq!(to_string(&-5i64).unwrap(), "-5\n");
        assert_eq!(to_string("a\nb").unwrap(), "\"a\\nb\"\n");
        let m = std::collections::BTreeMap::from([("k", "line1\nline2\n")]);
        assert_eq!(to_string(&m).unwrap(), "k: |\n  line1\n  line2\n");
        let m = std::collections::BTreeMap::from([("k", "a\n\nb")]);
        assert_eq!(to_string(&m).unwrap(), "k: |-\n  a\n\n  b\n");
        let m = std::collections::BTreeMap::from([("k", "trailing \nspace")]);
        assert_eq!(to_string(&m).unwrap(), "k: \"trailing \\nspace\"\n");
        let m = std::collections::BTreeMap::from([("on", "tab\there")]);
        assert_eq!(to_string(&m).unwrap(), "\"on\": \"tab\\there\"\n");
    }

    #[test]
    fn variants() {
        #[derive(Serialize)]
        enum E {
            Unit,
            Tuple(u8, u8),
            Struct { a: u8 },
        }
        assert_eq!(
            to_string(&vec![E::Unit, E::Tuple(1, 2), E::Struct { a: 3 }]).unwrap(),
            "- Unit\n- Tuple:\n  - 1\n  - 2\n- Struct:\n    a: 3\n"
        );
    }
}
