//! Writing JSON as atendimento §3.2 says: Python's `json.dumps` with its
//! default options — `", "` and `": "` separators, members in order — in
//! either escaping style. Style `ascii` (the seed's bytes, canonical)
//! escapes everything outside printable ASCII as lower-case `\uXXXX`;
//! style `utf8` writes characters as raw UTF-8 (`ensure_ascii=False`).

use super::value::{Number, Object, Value};
use crate::sink::Sink;

/// How a sender writes characters outside printable ASCII (§3.2, D2). Both
/// are the same JSON text; a receiver must read either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Style {
    /// `\u00c7` for `Ç`, surrogate pairs above U+FFFF, `\u007f` for DEL:
    /// Python's `json.dumps` default, the seed's bytes. Canonical.
    #[default]
    Ascii,
    /// Raw UTF-8 (`Ç` is `c3 87`), DEL raw: `json.dumps(…,
    /// ensure_ascii=False)`. Conformant.
    Utf8,
}

impl Style {
    /// The stable name used in `spec/vectors/atendimento.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Style::Ascii => "ascii",
            Style::Utf8 => "utf8",
        }
    }
}

/// A sink that only counts, for `encoded_len`.
pub(crate) struct Count(pub(crate) usize);

impl Sink for Count {
    fn put(&mut self, bytes: &[u8]) {
        self.0 += bytes.len();
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn put_u_escape(unit: u16, out: &mut impl Sink) {
    let b = unit.to_be_bytes();
    out.put(&[
        b'\\',
        b'u',
        HEX[usize::from(b[0] >> 4)],
        HEX[usize::from(b[0] & 15)],
        HEX[usize::from(b[1] >> 4)],
        HEX[usize::from(b[1] & 15)],
    ]);
}

/// The escape §3.2 gives a byte of ASCII, if it needs one.
fn ascii_escape(b: u8) -> Option<&'static [u8]> {
    Some(match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0c => b"\\f",
        _ => return None,
    })
}

/// Writes `s` as a JSON string in `style` (§3.2's table). Runs of bytes
/// that need no escape are written in one piece.
pub(crate) fn write_str(s: &str, style: Style, out: &mut impl Sink) {
    out.put(b"\"");
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = match c {
            '"' | '\\' => false,
            '\u{0}'..='\u{1f}' => false,
            '\u{7f}'..='\u{10ffff}' => style == Style::Utf8,
            _ => true,
        };
        if plain {
            continue;
        }
        out.put(&bytes[start..i]);
        start = i + c.len_utf8();
        if let Some(e) = u8::try_from(c).ok().and_then(ascii_escape) {
            out.put(e);
        } else {
            let mut units = [0u16; 2];
            for &unit in c.encode_utf16(&mut units).iter() {
                put_u_escape(unit, out);
            }
        }
    }
    out.put(&bytes[start..]);
    out.put(b"\"");
}

impl Number<'_> {
    fn write(&self, out: &mut impl Sink) {
        out.put(self.as_str().as_bytes());
    }
}

impl Value<'_> {
    /// Appends the value as `json.dumps` writes it, in `style` (§3.2). A
    /// number is written as it was read or built.
    pub fn encode(&self, style: Style, out: &mut impl Sink) {
        match self {
            Value::Null => out.put(b"null"),
            Value::Bool(true) => out.put(b"true"),
            Value::Bool(false) => out.put(b"false"),
            Value::Number(n) => n.write(out),
            Value::String(s) => write_str(s, style, out),
            Value::Array(items) => {
                out.put(b"[");
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.put(b", ");
                    }
                    v.encode(style, out);
                }
                out.put(b"]");
            }
            Value::Object(o) => o.encode(style, out),
        }
    }

    /// The length of [`Value::encode`]'s output.
    pub fn encoded_len(&self, style: Style) -> usize {
        let mut n = Count(0);
        self.encode(style, &mut n);
        n.0
    }

    /// [`Value::encode`] into a new buffer.
    pub fn to_bytes(&self, style: Style) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len(style));
        self.encode(style, &mut out);
        out
    }

    /// The value as JSON text in style `utf8`: how §6.2 writes a value that
    /// is not a string into an explanation (`5`, `null`, `["a", 1]`).
    pub fn to_json_text(&self) -> String {
        // Style utf8 of valid text is valid UTF-8: escapes are ASCII, and
        // everything else is copied a whole character at a time.
        String::from_utf8_lossy(&self.to_bytes(Style::Utf8)).into_owned()
    }
}

impl Object<'_> {
    /// Appends the object, members in their order (duplicates too), as
    /// `json.dumps` writes it, in `style` (§3.2).
    pub fn encode(&self, style: Style, out: &mut impl Sink) {
        write_object(
            self.members.iter().map(|m| (m.name.as_ref(), &m.value)),
            style,
            out,
        );
    }
}

/// An object of `members`, in order (§3.2).
pub(crate) fn write_object<'v, 'a: 'v>(
    members: impl Iterator<Item = (&'v str, &'v Value<'a>)>,
    style: Style,
    out: &mut impl Sink,
) {
    out.put(b"{");
    for (i, (name, value)) in members.enumerate() {
        if i > 0 {
            out.put(b", ");
        }
        write_str(name, style, out);
        out.put(b": ");
        value.encode(style, out);
    }
    out.put(b"}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str, style: Style) -> String {
        let mut out = Vec::new();
        write_str(s, style, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_follow_the_table_of_section_3_2() {
        let s = "Ç\"\\/\u{8}\t\n\u{c}\r\u{1}\u{7f}😀a";
        assert_eq!(
            text(s, Style::Ascii),
            r#""\u00c7\"\\/\b\t\n\f\r\u0001\u007f\ud83d\ude00a""#
        );
        assert_eq!(
            text(s, Style::Utf8),
            "\"Ç\\\"\\\\/\\b\\t\\n\\f\\r\\u0001\u{7f}😀a\""
        );
    }

    #[test]
    fn containers_use_json_dumps_separators() {
        let v = Value::Object(Object::new([
            (
                "A",
                Value::Array(vec![Value::Null, Value::Bool(true), Value::Array(vec![])]),
            ),
            ("B", Value::Object(Object::default())),
        ]));
        assert_eq!(
            v.to_bytes(Style::Ascii),
            br#"{"A": [null, true, []], "B": {}}"#
        );
        assert_eq!(v.encoded_len(Style::Ascii), 32);
        assert_eq!(
            Value::Array(vec![Value::String("São".into())]).to_json_text(),
            r#"["São"]"#
        );
    }
}
