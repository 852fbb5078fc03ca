//! The JSON parser (atendimento §4.1: RFC 8259 as serde_json reads it),
//! written with nom 8 and crate-private. One function per production,
//! each naming its fault by the first offending byte (§8.2): the grammar
//! is LL(1), so every fault is final (`nom::Err::Failure`) and carries what
//! was expected there. A fault inside a member's value names the member.
//!
//! The tolerant dialect adds what §6.4 rule 1 reads in replies: a trailing
//! comma, and Python literals — single-quoted strings, Python's escapes,
//! `None`, `True`, `False` — and says which it used.

use std::borrow::Cow;
use std::cell::Cell;

use nom::bytes::complete::{tag, take_till, take_while, take_while1};
use nom::character::complete::{char, one_of};
use nom::combinator::opt;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser};

use super::error::{Expected, Invalid, Kind};
use super::limits::MAX_DEPTH;
use super::scan::is_ws;
use super::value::{Member, Number, Object, Value};

/// Which language the parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// RFC 8259 JSON (§4.1).
    Json,
    /// JSON, a trailing comma, and Python literals (§6.4 rule 1, D25).
    Tolerant,
}

/// What the parser knows beyond the bytes: the document's length (offsets
/// are counted from its start) and, in the tolerant dialect, which
/// extensions it met.
struct Cx {
    len: usize,
    dialect: Dialect,
    trailing_comma: Cell<bool>,
    python: Cell<bool>,
}

impl Cx {
    fn tolerant(&self) -> bool {
        self.dialect == Dialect::Tolerant
    }

    /// The document offset of `rest`, a suffix of the document.
    fn offset(&self, rest: &[u8]) -> usize {
        self.len - rest.len()
    }
}

/// A step of a fault's path: a member's name or an array position.
#[derive(Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A parse fault: the rest of the document from the offending byte, what
/// is wrong, how many bytes to quote, and the path, innermost first.
#[derive(Debug)]
pub(crate) struct PError<'a> {
    at: &'a [u8],
    kind: Kind,
    expected: Option<Expected>,
    found: usize,
    path: Vec<Seg>,
}

impl PError<'_> {
    fn into_invalid(self, len: usize) -> Invalid {
        let mut path = String::new();
        for seg in self.path.iter().rev() {
            match seg {
                Seg::Key(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
                Seg::Index(n) => path.push_str(&format!("[{n}]")),
            }
        }
        let found = &self.at[..self.found.min(self.at.len())];
        Invalid::new(self.kind, self.expected, len - self.at.len(), found).with_path(path)
    }
}

impl<'a> ParseError<&'a [u8]> for PError<'a> {
    /// Only nom's own combinators fail this way, inside `opt` and where a
    /// caller turns the failure into the real fault: never seen outside.
    fn from_error_kind(input: &'a [u8], _: ErrorKind) -> Self {
        PError {
            at: input,
            kind: Kind::UnexpectedByte,
            expected: None,
            found: 0,
            path: Vec::new(),
        }
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, O> = IResult<&'a [u8], O, PError<'a>>;

fn fail<'a, O>(
    at: &'a [u8],
    kind: Kind,
    expected: Option<Expected>,
    found: usize,
) -> PResult<'a, O> {
    Err(nom::Err::Failure(PError {
        at,
        kind,
        expected,
        found,
        path: Vec::new(),
    }))
}

/// The grammar wants `expected` at `at`: the document ended there
/// (`truncated`), or holds another byte (`unexpected_byte`).
fn unexpected<'a, O>(at: &'a [u8], expected: Expected) -> PResult<'a, O> {
    if at.is_empty() {
        fail(at, Kind::Truncated, Some(expected), 0)
    } else {
        fail(at, Kind::UnexpectedByte, Some(expected), char_len(at))
    }
}

/// Bytes of the character at the head of `at`, for quoting it: one for
/// ASCII and for a byte that starts no valid character.
pub(crate) fn char_len(at: &[u8]) -> usize {
    let n = match at.first() {
        Some(&b) if b >= 0xf0 => 4,
        Some(&b) if b >= 0xe0 => 3,
        Some(&b) if b >= 0xc0 => 2,
        _ => 1,
    };
    if n > 1 && at.get(..n).is_some_and(|c| std::str::from_utf8(c).is_ok()) {
        n
    } else {
        1
    }
}

/// Skips JSON whitespace (§3.1).
fn ws(i: &[u8]) -> &[u8] {
    take_while::<_, _, PError<'_>>(is_ws)
        .parse(i)
        .map_or(i, |(rest, _)| rest)
}

/// A fault inside the value of `seg` names it.
fn within(e: nom::Err<PError<'_>>, seg: Seg) -> nom::Err<PError<'_>> {
    e.map(|mut p| {
        p.path.push(seg);
        p
    })
}

/// value = object / array / string / number / true / false / null
/// (RFC 8259 §3). `depth` counts the containers around it.
fn value<'a>(cx: &Cx, depth: usize, i: &'a [u8]) -> PResult<'a, Value<'a>> {
    match i.first() {
        Some(b'{') => object(cx, depth + 1, i).map(|(r, o)| (r, Value::Object(o))),
        Some(b'[') => array(cx, depth + 1, i),
        Some(b'"') => string(cx, i).map(|(r, s)| (r, Value::String(s))),
        Some(b'\'') if cx.tolerant() => string(cx, i).map(|(r, s)| (r, Value::String(s))),
        Some(b'-' | b'0'..=b'9') => number(i).map(|(r, n)| (r, Value::Number(n))),
        Some(b't') => literal(i, "true", Value::Bool(true)),
        Some(b'f') => literal(i, "false", Value::Bool(false)),
        Some(b'n') => literal(i, "null", Value::Null),
        Some(b'N' | b'T' | b'F') if cx.tolerant() => python_literal(cx, i),
        _ => unexpected(i, Expected::Value),
    }
}

/// `true`, `false`, `null`, in lower case (§4.1); a fault at the first
/// byte that differs.
fn literal<'a>(i: &'a [u8], word: &'static str, v: Value<'static>) -> PResult<'a, Value<'a>> {
    if let Ok((rest, _)) = tag::<_, _, PError<'a>>(word).parse(i) {
        return Ok((rest, v));
    }
    let same = i
        .iter()
        .zip(word.as_bytes())
        .take_while(|(a, b)| a == b)
        .count();
    unexpected(&i[same..], Expected::Literal)
}

/// Python's `None`, `True`, `False` (tolerant dialect, D25).
fn python_literal<'a>(cx: &Cx, i: &'a [u8]) -> PResult<'a, Value<'a>> {
    for (word, v) in [
        ("None", Value::Null),
        ("True", Value::Bool(true)),
        ("False", Value::Bool(false)),
    ] {
        if let Ok((rest, _)) = tag::<_, _, PError<'a>>(word).parse(i) {
            cx.python.set(true);
            return Ok((rest, v));
        }
    }
    unexpected(i, Expected::Value)
}

/// One or more digits, or a fault that wants one.
fn digits1(i: &[u8]) -> PResult<'_, ()> {
    match take_while1::<_, _, PError<'_>>(|b: u8| b.is_ascii_digit()).parse(i) {
        Ok((rest, _)) => Ok((rest, ())),
        Err(_) => unexpected(i, Expected::Digit),
    }
}

/// number = [ minus ] int [ frac ] [ exp ] (RFC 8259 §6), and within an
/// IEEE double's range (§4.1): `1e400` is `number_out_of_range` at its
/// first byte.
fn number(i: &[u8]) -> PResult<'_, Number<'_>> {
    let (r, _) = opt(char('-')).parse(i)?;
    let r = match r.first() {
        Some(b'0') => &r[1..],
        Some(b'1'..=b'9') => digits1(r)?.0,
        _ => return unexpected(r, Expected::Digit),
    };
    let r = match r.first() {
        Some(b'.') => digits1(&r[1..])?.0,
        _ => r,
    };
    let r = match r.first() {
        Some(b'e' | b'E') => {
            let (r, _) = opt(one_of("+-")).parse(&r[1..])?;
            digits1(r)?.0
        }
        _ => r,
    };
    let lexeme = &i[..i.len() - r.len()];
    match std::str::from_utf8(lexeme) {
        Ok(text) if text.parse::<f64>().is_ok_and(f64::is_finite) => Ok((r, Number::trusted(text))),
        _ => fail(i, Kind::NumberOutOfRange, None, lexeme.len()),
    }
}

/// The first `len` bytes of `from` as text: `invalid_utf8` at the first
/// bad byte, or `truncated` when the document ends inside a character.
fn utf8_run(from: &[u8], len: usize) -> Result<&str, nom::Err<PError<'_>>> {
    match std::str::from_utf8(&from[..len]) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = &from[e.valid_up_to()..];
            match e.error_len() {
                None if len == from.len() => fail(&from[len..], Kind::Truncated, None, 0),
                None => fail(at, Kind::InvalidUtf8, None, len - e.valid_up_to()),
                Some(n) => fail(at, Kind::InvalidUtf8, None, n),
            }
            .map(|(_, never): (&[u8], &str)| never)
        }
    }
}

/// string = quotation-mark *char quotation-mark (RFC 8259 §7): borrowed
/// from the input unless an escape forces a copy. Bytes 00–1F must be
/// escaped (`control_in_string`). The tolerant dialect also reads
/// `'…'`, Python's quotes.
fn string<'a>(cx: &Cx, i: &'a [u8]) -> PResult<'a, Cow<'a, str>> {
    let quote = i[0];
    if quote == b'\'' {
        cx.python.set(true);
    }
    let stop = |b: u8| b == quote || b == b'\\' || b < 0x20;
    let body = &i[1..];
    let (mut rest, run) = take_till(stop).parse(body)?;
    let text = utf8_run(body, run.len())?;
    if rest.first() == Some(&quote) {
        return Ok((&rest[1..], Cow::Borrowed(text)));
    }
    let mut out = String::from(text);
    loop {
        match rest.first() {
            Some(&b) if b == quote => return Ok((&rest[1..], Cow::Owned(out))),
            Some(b'\\') => {
                let (r, c) = escape(cx, rest)?;
                out.push(c);
                rest = r;
            }
            Some(_) => return fail(rest, Kind::ControlInString, None, 1),
            None => return fail(rest, Kind::Truncated, None, 0),
        }
        let (r, run) = take_till(stop).parse(rest)?;
        out.push_str(utf8_run(rest, run.len())?);
        rest = r;
    }
}

/// `n` hex digits of an escape, either case: `invalid_escape` (expected
/// `hex`) at the first that is not one.
fn hex(at: &[u8], n: usize) -> PResult<'_, u32> {
    let mut value = 0;
    for k in 0..n {
        match at.get(k).and_then(|&b| char::from(b).to_digit(16)) {
            Some(d) => value = value * 16 + d,
            None if k == at.len() => {
                return fail(&at[k..], Kind::Truncated, Some(Expected::Hex), 0);
            }
            None => {
                let found = char_len(&at[k..]);
                return fail(&at[k..], Kind::InvalidEscape, Some(Expected::Hex), found);
            }
        }
    }
    Ok((&at[n..], value))
}

/// An escape at `i` (its `\`): JSON's eight and `\uXXXX` (§4.1); the
/// tolerant dialect adds Python's (`\'`, `\xhh`, `\Uhhhhhhhh`, …).
fn escape<'a>(cx: &Cx, i: &'a [u8]) -> PResult<'a, char> {
    let Some(&e) = i.get(1) else {
        return fail(&i[1..], Kind::Truncated, None, 0);
    };
    let c = match e {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode(i),
        _ if cx.tolerant() => return python_escape(cx, i, e),
        _ => return fail(&i[1..], Kind::InvalidEscape, None, char_len(&i[1..])),
    };
    Ok((&i[2..], c))
}

/// `\uXXXX`, or a surrogate pair of two (§4.1): a surrogate not in a pair
/// is `lone_surrogate` at its `\` — unless the document ends where the
/// pair's second half could still come (`truncated`).
fn unicode(i: &[u8]) -> PResult<'_, char> {
    let lone = || fail(i, Kind::LoneSurrogate, None, 6);
    let (r, u) = hex(&i[2..], 4)?;
    match u {
        0xD800..=0xDBFF => match r {
            [] | [b'\\'] => fail(&r[r.len()..], Kind::Truncated, None, 0),
            [b'\\', b'u', ..] => {
                let (r2, low) = hex(&r[2..], 4)?;
                if (0xDC00..=0xDFFF).contains(&low) {
                    let c = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                    char::from_u32(c).map_or_else(lone, |c| Ok((r2, c)))
                } else {
                    lone()
                }
            }
            _ => lone(),
        },
        0xDC00..=0xDFFF => lone(),
        _ => char::from_u32(u).map_or_else(lone, |c| Ok((r, c))),
    }
}

/// Python's escapes beyond JSON's (tolerant dialect, D25).
fn python_escape<'a>(cx: &Cx, i: &'a [u8], e: u8) -> PResult<'a, char> {
    let (rest, c) = match e {
        b'\'' => (&i[2..], '\''),
        b'a' => (&i[2..], '\u{7}'),
        b'v' => (&i[2..], '\u{b}'),
        b'0' => (&i[2..], '\0'),
        b'x' | b'U' => {
            let (r, u) = hex(&i[2..], if e == b'x' { 2 } else { 8 })?;
            match char::from_u32(u) {
                Some(c) => (r, c),
                None => return fail(i, Kind::LoneSurrogate, None, i.len() - r.len()),
            }
        }
        _ => return fail(&i[1..], Kind::InvalidEscape, None, char_len(&i[1..])),
    };
    cx.python.set(true);
    Ok((rest, c))
}

/// The start of a member's name: a string (a `'…'` one too, tolerant).
fn name<'a>(cx: &Cx, i: &'a [u8]) -> PResult<'a, Cow<'a, str>> {
    match i.first() {
        Some(b'"') => string(cx, i),
        Some(b'\'') if cx.tolerant() => string(cx, i),
        _ => unexpected(i, Expected::Key),
    }
}

/// After a `,`: a `}` or `]` is a trailing comma, read only by the
/// tolerant dialect (§6.4 rule 1); `i` starts after the comma's
/// whitespace.
fn trailing_comma(cx: &Cx, i: &[u8], close: u8) -> bool {
    let yes = cx.tolerant() && i.first() == Some(&close);
    if yes {
        cx.trailing_comma.set(true);
    }
    yes
}

/// object = { [ member *( , member ) ] } (RFC 8259 §4); a fault in a
/// member's value names the member. Deeper than 64 is `too_deep` (§3.4).
fn object<'a>(cx: &Cx, depth: usize, i: &'a [u8]) -> PResult<'a, Object<'a>> {
    if depth > MAX_DEPTH {
        return fail(i, Kind::TooDeep, None, 1);
    }
    let mut members = Vec::new();
    let mut rest = ws(&i[1..]);
    if rest.first() == Some(&b'}') {
        let close_at = cx.offset(rest);
        return Ok((&rest[1..], Object { members, close_at }));
    }
    loop {
        let name_at = cx.offset(rest);
        let (r, key) = name(cx, rest)?;
        let r = ws(r);
        let r = match r.first() {
            Some(b':') => ws(&r[1..]),
            _ => return unexpected(r, Expected::Colon),
        };
        let value_at = cx.offset(r);
        let (r, v) = value(cx, depth, r).map_err(|e| within(e, Seg::Key(key.to_string())))?;
        members.push(Member {
            name: key,
            value: v,
            name_at,
            value_at,
        });
        let r = ws(r);
        match r.first() {
            Some(b',') => {
                rest = ws(&r[1..]);
                if trailing_comma(cx, rest, b'}') {
                    let close_at = cx.offset(rest);
                    return Ok((&rest[1..], Object { members, close_at }));
                }
            }
            Some(b'}') => {
                let close_at = cx.offset(r);
                return Ok((&r[1..], Object { members, close_at }));
            }
            _ => return unexpected(r, Expected::CommaOrClose),
        }
    }
}

/// array = [ [ value *( , value ) ] ] (RFC 8259 §5).
fn array<'a>(cx: &Cx, depth: usize, i: &'a [u8]) -> PResult<'a, Value<'a>> {
    if depth > MAX_DEPTH {
        return fail(i, Kind::TooDeep, None, 1);
    }
    let mut items = Vec::new();
    let mut rest = ws(&i[1..]);
    if rest.first() == Some(&b']') {
        return Ok((&rest[1..], Value::Array(items)));
    }
    loop {
        let (r, v) = value(cx, depth, rest).map_err(|e| within(e, Seg::Index(items.len())))?;
        items.push(v);
        let r = ws(r);
        match r.first() {
            Some(b',') => {
                rest = ws(&r[1..]);
                if trailing_comma(cx, rest, b']') {
                    return Ok((&rest[1..], Value::Array(items)));
                }
            }
            Some(b']') => return Ok((&r[1..], Value::Array(items))),
            _ => return unexpected(r, Expected::CommaOrClose),
        }
    }
}

/// A value parsed from the head of a document.
#[derive(Debug)]
pub(crate) struct Parsed<'a> {
    pub(crate) value: Value<'a>,
    /// Bytes the value used; what follows is the caller's.
    pub(crate) used: usize,
    /// Tolerant dialect: a trailing comma was read.
    pub(crate) trailing_comma: bool,
    /// Tolerant dialect: a Python literal was read.
    pub(crate) python: bool,
}

/// Parses one value at the head of `doc` (its first byte, no whitespace
/// before it); offsets count from `doc`'s start.
pub(crate) fn document(doc: &[u8], dialect: Dialect) -> Result<Parsed<'_>, Invalid> {
    let cx = Cx {
        len: doc.len(),
        dialect,
        trailing_comma: Cell::new(false),
        python: Cell::new(false),
    };
    match value(&cx, 0, doc) {
        Ok((rest, value)) => Ok(Parsed {
            value,
            used: doc.len() - rest.len(),
            trailing_comma: cx.trailing_comma.get(),
            python: cx.python.get(),
        }),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_invalid(doc.len())),
        // Unreachable: every parser above is nom's `complete` kind.
        Err(nom::Err::Incomplete(_)) => Err(Invalid::new(Kind::Truncated, None, doc.len(), b"")),
    }
}

/// `bytes` is exactly one JSON number (for [`Number::new`]).
pub(crate) fn whole_number(bytes: &[u8]) -> Result<(), Invalid> {
    match number(bytes) {
        Ok(([], _)) => Ok(()),
        Ok((rest, _)) => {
            let at = bytes.len() - rest.len();
            Err(Invalid::new(Kind::TrailingBytes, None, at, rest))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.into_invalid(bytes.len())),
        Err(nom::Err::Incomplete(_)) => Err(Invalid::new(Kind::Truncated, None, bytes.len(), b"")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(doc: &str) -> (String, usize, Option<&'static str>, String) {
        let e = document(doc.as_bytes(), Dialect::Json).unwrap_err();
        (
            e.kind.name().to_owned(),
            e.offset,
            e.expected.map(Expected::name),
            e.path,
        )
    }

    #[test]
    fn strings_borrow_unless_an_escape_forces_a_copy() {
        let p = document(
            br#"{"a": "plain", "b": "\u00c7\ud83d\ude00\n"}"#,
            Dialect::Json,
        )
        .unwrap();
        let Value::Object(o) = p.value else {
            panic!("an object")
        };
        assert!(matches!(
            o.get("a"),
            Some(Value::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(o.get("b"), Some(Value::String(Cow::Owned(s))) if s == "Ç😀\n"));
        assert_eq!(
            (o.members[1].name_at, o.members[1].value_at, o.close_at),
            (15, 20, 42)
        );
    }

    #[test]
    fn faults_name_the_first_offending_byte_and_the_member() {
        assert_eq!(
            fault(r#"{"a": [1, tru]}"#),
            ("unexpected_byte".into(), 13, Some("literal"), "a[1]".into())
        );
        assert_eq!(
            fault(r#"{"a": {"b": "\x"}}"#),
            ("invalid_escape".into(), 14, None, "a.b".into())
        );
        assert_eq!(
            fault(r#"{"a": "\ud83d\u0041"}"#),
            ("lone_surrogate".into(), 7, None, "a".into())
        );
        assert_eq!(
            fault(r#"{"a": "\ud83d\"#),
            ("truncated".into(), 14, None, "a".into())
        );
        assert_eq!(
            fault(r#"{"a": -}"#),
            ("unexpected_byte".into(), 7, Some("digit"), "a".into())
        );
        assert_eq!(
            fault("[1e400]"),
            ("number_out_of_range".into(), 1, None, "[0]".into())
        );
        assert_eq!(
            fault("\"\u{e9}\u{1}\""),
            ("control_in_string".into(), 3, None, "".into())
        );
        assert_eq!(
            fault("\"ab\u{e9}"),
            ("truncated".into(), 5, None, "".into())
        );
        let e = document(b"\"a\xc3\"", Dialect::Json).unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::InvalidUtf8, 2));
        let e = document(b"\"a\xc3", Dialect::Json).unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::Truncated, 3));
    }

    #[test]
    fn nesting_past_64_is_too_deep_even_unscanned() {
        let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
        let e = document(deep.as_bytes(), Dialect::Json).unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::TooDeep, 64));
        let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(document(ok.as_bytes(), Dialect::Json).is_ok());
    }

    #[test]
    fn the_tolerant_dialect_reads_trailing_commas_and_python_and_says_so() {
        let p = document(b"{'a': None, \"b\": [True, 'x\\'y',],}", Dialect::Tolerant).unwrap();
        assert!(p.trailing_comma && p.python);
        let Value::Object(o) = &p.value else {
            panic!("an object")
        };
        assert_eq!(o.get("a"), Some(&Value::Null));
        assert!(document(b"{'a': 1}", Dialect::Json).is_err());
        let p = document(br#"{"a": [1, 2]}"#, Dialect::Tolerant).unwrap();
        assert!(!p.trailing_comma && !p.python);
    }
}
