//! Property tests (proptest) for Atendimento (`spec/atendimento.md`):
//!
//! - **serde_json is the oracle** (§4.1): on JSON texts written every way
//!   a sender may write them (any whitespace, escaped or raw characters,
//!   upper-case hex, `\/`, duplicate names, any numbers) and on those
//!   texts mutated, the codec accepts exactly what serde_json accepts —
//!   except what §3.4's limits refuse (`too_long`, `too_deep`) — and reads
//!   the same value;
//! - `decode(encode(m)) == m` for every request and reply in both styles
//!   (§3.2), canonical, or `too_long` exactly when the encoding passes the
//!   direction's limit;
//! - documents glued with any whitespace and cut anywhere stream back as
//!   themselves (§3.3 J1, J8), and any bytes stream the same however they
//!   are cut, the buffer within its bound.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_codec::atendimento::{
    Campo, Code, Deviation, Direction, End, Explanation, Kind, MAX_REQUEST_LEN, Object, Reading,
    Record, Rejected, Reply, Request, StreamDecoder, Style, Value, decode_reply, decode_request,
    decode_value,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

// ── a JSON tree, and every way of writing it ──────────────────────────────

#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// Numbers as RFC 8259 §6 writes them, some of them out of a double's
/// range or at its edges.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| format!("{f:e}")),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
        Just("1.7976931348623157e308".to_owned()),
        Just("1e309".to_owned()),
        Just("-0".to_owned()),
    ]
}

/// Text with what JSON must escape, accents, astral characters and the
/// protocol's names.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 @._-]{0,12}",
        2 => prop::collection::vec(
            prop_oneof![
                any::<char>(),
                prop::sample::select(vec!['"', '\\', '/', '\n', '\u{0}', '\u{1f}', '\u{7f}', 'Ç', 'ã', '😀', '\u{327}']),
            ],
            0..10
        )
        .prop_map(|c| c.into_iter().collect()),
        1 => prop::sample::select(vec!["SERVIÇO", "AÇÃO", "EMAIL_USUARIO", "CAMPO", "VALOR", "CODIGO DE ERRO", "EXPLICAÇÃO"])
            .prop_map(str::to_owned),
    ]
}

fn tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number().prop_map(J::Num),
        text().prop_map(J::Str),
    ];
    leaf.prop_recursive(8, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
            prop::collection::vec((text(), inner), 0..6).prop_map(J::Obj),
        ]
    })
}

/// A tiny deterministic source of the writer's choices.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn ws(c: &mut Choices, out: &mut Vec<u8>) {
    for _ in 0..c.next(4).saturating_sub(2) {
        out.push(b" \t\n\r"[c.next(4) as usize]);
    }
}

/// A string as some sender may write it: each character raw, or escaped
/// in any of JSON's ways (§4.1).
fn write_str(s: &str, c: &mut Choices, out: &mut Vec<u8>) {
    out.push(b'"');
    for ch in s.chars() {
        let short = match ch {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\t' => Some("\\t"),
            '/' if c.next(2) == 0 => Some("\\/"),
            _ => None,
        };
        let must = ch < ' ' || ch == '"' || ch == '\\';
        match (short, must || c.next(3) == 0) {
            (Some(e), true) => out.extend_from_slice(e.as_bytes()),
            (_, true) => {
                let mut units = [0u16; 2];
                for u in ch.encode_utf16(&mut units) {
                    let hex = if c.next(2) == 0 {
                        format!("\\u{u:04x}")
                    } else {
                        format!("\\u{u:04X}")
                    };
                    out.extend_from_slice(hex.as_bytes());
                }
            }
            (_, false) => out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }
    out.push(b'"');
}

fn write(j: &J, c: &mut Choices, out: &mut Vec<u8>) {
    match j {
        J::Null => out.extend_from_slice(b"null"),
        J::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        J::Num(n) => out.extend_from_slice(n.as_bytes()),
        J::Str(s) => write_str(s, c, out),
        J::Arr(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                ws(c, out);
                if i > 0 {
                    out.push(b',');
                    ws(c, out);
                }
                write(v, c, out);
            }
            ws(c, out);
            out.push(b']');
        }
        J::Obj(members) => {
            out.push(b'{');
            for (i, (k, v)) in members.iter().enumerate() {
                ws(c, out);
                if i > 0 {
                    out.push(b',');
                    ws(c, out);
                }
                write_str(k, c, out);
                ws(c, out);
                out.push(b':');
                ws(c, out);
                write(v, c, out);
            }
            ws(c, out);
            out.push(b'}');
        }
    }
}

/// Bytes that break JSON in interesting ways.
const BREAKERS: &[u8] = b"{}[],:\"\\'0-e.tnu \x00\x1f\x7f\xc3\xff\xed\xa0\xef";

/// A JSON text, written by a random sender, then maybe broken: bytes
/// deleted, replaced, inserted, the end cut off.
fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        tree(),
        any::<u64>(),
        prop::collection::vec(
            (
                0..4u8,
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            ),
            0..3,
        ),
    )
        .prop_map(|(j, seed, edits)| {
            let mut c = Choices(seed | 1);
            let mut out = Vec::new();
            ws(&mut c, &mut out);
            write(&j, &mut c, &mut out);
            ws(&mut c, &mut out);
            for (op, at, byte) in edits {
                if out.is_empty() {
                    break;
                }
                let i = at.index(out.len());
                let b = *byte.get(BREAKERS);
                match op {
                    0 => drop(out.remove(i)),
                    1 => out[i] = b,
                    2 => out.insert(i, b),
                    _ => out.truncate(i),
                }
            }
            out
        })
}

/// Our value as serde_json's; numbers from their lexeme.
fn to_serde(v: &Value<'_>) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str(n.as_str()).unwrap(),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Object(o) => serde_object(o),
    }
}

fn serde_object(o: &Object<'_>) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for m in &o.members {
        map.insert(m.name.to_string(), to_serde(&m.value));
    }
    serde_json::Value::Object(map)
}

/// §4.1: the codec accepts exactly what serde_json accepts, within §3.4's
/// limits, and reads the same value.
fn oracle(input: &[u8]) -> Result<(), TestCaseError> {
    let theirs = serde_json::from_slice::<serde_json::Value>(input);
    for dir in [Direction::ToServer, Direction::ToClient] {
        match (decode_value(input, dir), &theirs) {
            (Ok(d), Ok(s)) => prop_assert_eq!(&to_serde(&d.value), s),
            (Err(e), Ok(_)) => prop_assert!(
                matches!(e.kind, Kind::TooLong | Kind::TooDeep),
                "serde_json accepts what the codec refuses: {e}"
            ),
            (Ok(d), Err(s)) => prop_assert!(
                false,
                "the codec accepts {:?}, serde_json says {s}",
                d.value
            ),
            (Err(e), Err(_)) => prop_assert!(e.offset <= input.len().max(dir.limit())),
        }
    }
    Ok(())
}

// ── requests and replies ────────────────────────────────────────────────

fn campo() -> impl Strategy<Value = Campo> {
    prop::sample::select(Campo::ALL.to_vec())
}

fn request() -> impl Strategy<Value = Request<'static>> {
    let s = || prop_oneof![text(), "[a-zé]{100,300}"].prop_map(std::borrow::Cow::Owned);
    prop_oneof![
        s().prop_map(|email| Request::Criar { email }),
        s().prop_map(|email| Request::Consultar { email }),
        s().prop_map(|email| Request::Remover { email }),
        (s(), campo(), s()).prop_map(|(email, campo, valor)| Request::Modificar {
            email,
            campo,
            valor
        }),
    ]
}

fn reply() -> impl Strategy<Value = Reply<'static>> {
    let s = || text().prop_map(std::borrow::Cow::Owned);
    prop_oneof![
        (prop::sample::select(Code::ALL.to_vec()), s()).prop_map(|(code, t)| Reply::text(code, t)),
        (
            prop::option::of(s()),
            prop::option::of(s()),
            prop::option::of(s()),
            s()
        )
            .prop_map(|(nome, endereco, telefone, email)| Reply::record(Record {
                nome,
                endereco,
                telefone,
                email
            })),
    ]
}

fn style() -> impl Strategy<Value = Style> {
    prop_oneof![Just(Style::Ascii), Just(Style::Utf8)]
}

// ── streams ─────────────────────────────────────────────────────────────

/// What a stream yielded: a document or a rejection (kind, offset).
#[derive(Debug, PartialEq)]
enum Event {
    Document(serde_json::Value, usize),
    Rejected(&'static str, usize),
}

fn event(
    r: Result<Option<gabarito_codec::atendimento::Framed<'static>>, Rejected>,
) -> Option<Event> {
    match r {
        Ok(Some(f)) => Some(Event::Document(serde_object(&f.object), f.len)),
        Ok(None) => None,
        Err(r) => Some(Event::Rejected(r.invalid.kind.name(), r.invalid.offset)),
    }
}

/// A decoder fed `chunks`, drained with `End::More` after each, then
/// closed; the buffer checked against its bound after every drain.
fn streamed(dir: Direction, chunks: &[&[u8]]) -> Result<Vec<Event>, TestCaseError> {
    let mut dec = StreamDecoder::new(dir);
    let mut out = Vec::new();
    for c in chunks {
        dec.push(c);
        while let Some(e) = event(dec.next(End::More)) {
            out.push(e);
        }
        prop_assert!(
            dec.pending().len() <= dir.limit(),
            "{} bytes buffered",
            dec.pending().len()
        );
    }
    dec.close();
    while let Some(e) = event(dec.next(End::Boundary)) {
        out.push(e);
    }
    prop_assert!(dec.pending().is_empty());
    Ok(out)
}

/// Cuts `bytes` at the given points.
fn cut<'b>(bytes: &'b [u8], points: &[prop::sample::Index]) -> Vec<&'b [u8]> {
    let mut at: Vec<usize> = points.iter().map(|p| p.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut chunks = Vec::new();
    let mut from = 0;
    for a in at {
        chunks.push(&bytes[from..a]);
        from = a;
    }
    chunks.push(&bytes[from..]);
    chunks
}

proptest! {
    #![proptest_config(Config::with_cases(3000))]

    #[test]
    fn the_codec_accepts_what_serde_json_accepts_and_reads_the_same(input in document()) {
        oracle(&input)?;
    }

    #[test]
    fn arbitrary_bytes_agree_with_serde_json(input in prop::collection::vec(prop::sample::select(BREAKERS.to_vec()), 0..40)) {
        oracle(&input)?;
    }

    #[test]
    fn nesting_is_refused_exactly_past_64(openers in prop::collection::vec(any::<bool>(), 1..80)) {
        let mut doc = Vec::new();
        for &array in &openers {
            doc.extend_from_slice(if array { b"[" } else { b"{\"k\": " });
        }
        doc.push(b'0');
        for &array in openers.iter().rev() {
            doc.push(if array { b']' } else { b'}' });
        }
        oracle(&doc)?;
        let got = decode_value(&doc, Direction::ToClient);
        prop_assert_eq!(got.is_err(), openers.len() > 64);
        if let Err(e) = got {
            prop_assert_eq!(e.kind, Kind::TooDeep);
        }
    }

    #[test]
    fn a_value_re_encodes_to_the_same_json_in_both_styles(input in document(), style in style()) {
        if let Ok(d) = decode_value(&input, Direction::ToClient) {
            let wire = d.value.to_bytes(style);
            prop_assert_eq!(wire.len(), d.value.encoded_len(style));
            let again = decode_value(&wire, Direction::ToClient).unwrap();
            prop_assert_eq!(to_serde(&again.value), to_serde(&d.value));
            prop_assert_eq!(&again.value.to_bytes(style), &wire, "the encoding is canonical");
            if style == Style::Ascii {
                prop_assert!(again.bytes.is_ascii());
            }
        }
    }
}

proptest! {
    #![proptest_config(Config::with_cases(1000))]

    #[test]
    fn requests_round_trip_in_both_styles(r in request(), style in style()) {
        let wire = r.to_bytes(style);
        prop_assert_eq!(wire.len(), r.encoded_len(style));
        match decode_request(&wire) {
            Ok(d) => {
                prop_assert!(wire.len() <= MAX_REQUEST_LEN);
                prop_assert_eq!(&d.message, &Reading::Request(r.clone()));
                prop_assert!(d.deviations.is_empty());
                let canonical = d.canonical();
                prop_assert!(canonical == Some(style) || (canonical == Some(Style::Ascii) && wire.is_ascii()));
            }
            Err(e) => {
                prop_assert_eq!(e.kind, Kind::TooLong);
                prop_assert!(wire.len() > MAX_REQUEST_LEN);
            }
        }
    }

    #[test]
    fn replies_round_trip_in_both_styles(r in reply(), style in style()) {
        let wire = r.to_bytes(style);
        let d = decode_reply(&wire).unwrap();
        prop_assert_eq!(&d.message, &r);
        prop_assert!(d.canonical().is_some());
        let read = gabarito_codec::atendimento::read_reply(&wire).unwrap();
        // A field set to "" reads as §6.4 rule 5's `""` for unset: the
        // reader cannot tell them apart (the harness knows what it set).
        let empty_set = matches!(&r.explanation, Explanation::Record(rec)
            if [&rec.nome, &rec.endereco, &rec.telefone].iter().any(|f| f.as_deref() == Some("")));
        let allowed: &[Deviation] = if empty_set { &[Deviation::EmptyForUnset] } else { &[] };
        prop_assert_eq!(read.deviations.as_slice(), allowed);
        prop_assert_eq!(read.reply(), Some(r.into_owned()));
    }

    #[test]
    fn glued_documents_cut_anywhere_stream_back_as_themselves(
        replies in prop::collection::vec((reply(), style(), "[ \t\r\n]{0,3}"), 1..6),
        points in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for (r, style, gap) in &replies {
            wire.extend_from_slice(gap.as_bytes());
            let doc = r.to_bytes(*style);
            wire.extend_from_slice(&doc);
            let object = decode_reply(&doc).unwrap().object;
            expected.push(Event::Document(serde_object(&object), gap.len() + doc.len()));
        }
        let got = streamed(Direction::ToClient, &cut(&wire, &points))?;
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn any_bytes_stream_the_same_however_they_are_cut(
        parts in prop::collection::vec(document(), 1..4),
        points in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let wire: Vec<u8> = parts.concat();
        let whole = streamed(Direction::ToServer, &[&wire])?;
        let bytewise: Vec<&[u8]> = wire.chunks(1).collect();
        // Rejections' lengths depend on what had arrived (J2, J7); their
        // kinds and offsets, and every document, do not.
        prop_assert_eq!(&streamed(Direction::ToServer, &cut(&wire, &points))?, &whole);
        prop_assert_eq!(&streamed(Direction::ToServer, &bytewise)?, &whole);
    }
}
