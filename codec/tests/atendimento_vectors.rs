//! Runs `spec/vectors/atendimento.toml` against the codec: every
//! `[[vector]]` (whole documents), `[[stream]]` (byte streams, three ways)
//! and `[[lenient]]` (the tolerant reader), and of every `[[check]]` and
//! `[[recognise]]` what the codec decides — which of §7.1's checks a
//! request fails before the store is consulted and the `404` text it
//! gets, and which check an error text reports (§6.5). The rest of a
//! `[[check]]` (the store) is the server core's.
//!
//! The file's header documents its format; this runner implements it, so
//! adding a vector adds a check without touching Rust. JSON values are
//! compared through serde_json, which is also the oracle of whether an
//! input is JSON at all (the `serde_json` key).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

// Shared with the zap and LRV runners; not every helper is needed here.
#[allow(dead_code)]
use gabarito_test_kit::vectors as common;

use common::{Keys, Runner, Vectors, one_of};
use gabarito_codec::atendimento::{
    self, Deviation, Direction, End, Explanation, Invalid, Kind, LenientExplanation, Object,
    Reading, Rejected, Reply, StreamDecoder, Style, Value, decode_reply, decode_request,
    decode_stream, decode_stream_closed, decode_value, read_reply, recognise,
};
use gabarito_codec::escape::escape_excerpt;
use toml::Value as Toml;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../spec/vectors/atendimento.toml"
);

/// Our value as serde_json's, to compare with the vectors' JSON texts and
/// with serde_json's own reading. Numbers are read from their lexeme.
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

/// A vector's JSON text (a string or pieces), read by serde_json.
fn json(k: &mut Keys, key: &str) -> Result<Option<serde_json::Value>, String> {
    k.bytes(key, &[])?
        .map(|b| serde_json::from_slice(&b).map_err(|e| format!("`{key}` is not JSON: {e}")))
        .transpose()
}

/// What a vector expects of a fault (§8.2).
#[derive(Debug, Clone)]
struct Fault {
    kind: String,
    offset: Option<usize>,
    expected: Option<String>,
    path: Option<String>,
}

fn take_fault(k: &mut Keys) -> Result<Option<Fault>, String> {
    let Some(e) = k.take("error") else {
        return Ok(None);
    };
    Keys::read(&e, "`error`", |ek| {
        Ok(Some(Fault {
            kind: ek.required("kind")?,
            offset: ek.usize("offset")?,
            expected: ek.string("expected")?,
            path: ek.string("path")?,
        }))
    })
}

fn fault_matches(f: &Fault, i: &Invalid) -> bool {
    f.kind == i.kind.name()
        && f.offset.is_none_or(|o| o == i.offset)
        && f.expected.as_deref() == i.expected.map(|e| e.name())
        && f.path.as_deref().is_none_or(|p| p == i.path)
}

fn describe_fault(f: &Fault) -> String {
    format!(
        "error {{kind={} offset={:?} expected={:?} path={:?}}}",
        f.kind, f.offset, f.expected, f.path
    )
}

fn describe_invalid(i: &Invalid) -> String {
    format!(
        "error {{kind={} offset={} expected={:?} path={:?}}} ({i})",
        i.kind.name(),
        i.offset,
        i.expected.map(|e| e.name()),
        i.path
    )
}

/// What the coverage checks count.
#[derive(Default)]
struct Seen {
    name: String,
    kinds: Vec<String>,
    deviations: Vec<String>,
    canonical: Vec<String>,
}

impl common::Seen for Seen {
    fn named(name: String) -> Self {
        Seen {
            name,
            ..Seen::default()
        }
    }

    fn name(&self) -> &str {
        &self.name
    }
}

fn direction_of_message(name: &str) -> Result<Direction, String> {
    one_of(
        "message",
        name,
        &[
            ("request", Direction::ToServer),
            ("reply", Direction::ToClient),
        ],
    )
}

/// serde_json's verdict on `input` as one JSON text.
fn serde_reads(input: &[u8]) -> Result<serde_json::Value, String> {
    serde_json::from_slice::<serde_json::Value>(input).map_err(|e| e.to_string())
}

fn run_vector(value: &Toml) -> (Seen, Result<(), String>) {
    common::run(value, "a vector", |k, seen: &mut Seen| {
        let dir = direction_of_message(&k.required("message")?)?;
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let serde_agrees = k.bool("serde_json")?.unwrap_or(true);
        let mut failures = Vec::new();
        let json_ok = decode_value(&input, dir).map(|d| to_serde(&d.value));
        match (serde_reads(&input), &json_ok, serde_agrees) {
            (Ok(s), Ok(ours), true) if &s == ours => {}
            (Err(_), Err(e), true) if e.kind.is_not_json() || e.kind == Kind::Empty => {}
            (Ok(_), Err(e), false) if matches!(e.kind, Kind::TooLong | Kind::TooDeep) => {}
            (s, ours, agrees) => failures.push(format!(
                "oracle: serde_json read {s:?}, decode_value {ours:?} (serde_json agrees: {agrees})"
            )),
        }
        if let Some(fault) = take_fault(k)? {
            k.finish()?;
            seen.kinds.push(fault.kind.clone());
            let got = match dir {
                Direction::ToServer => decode_request(&input).map(|_| ()),
                Direction::ToClient => decode_reply(&input).map(|_| ()),
            };
            match got {
                Err(i) if fault_matches(&fault, &i) => {
                    if !i.to_string().starts_with(&format!("byte {}", i.offset)) {
                        failures.push(format!("the error reads {i}"));
                    }
                }
                other => failures.push(format!(
                    "expected {}\n      got {}",
                    describe_fault(&fault),
                    match other {
                        Ok(()) => "a message".into(),
                        Err(i) => describe_invalid(&i),
                    }
                )),
            }
            return if failures.is_empty() {
                Ok(())
            } else {
                Err(failures.join("\n    "))
            };
        }
        let expected = json(k, "value")?.ok_or("a valid vector needs `value`")?;
        let keys: Vec<String> = match k.take("keys") {
            Some(Toml::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or("keys are strings"))
                .collect::<Result<_, _>>()?,
            _ => return Err("a valid vector needs `keys`".into()),
        };
        let ascii_only = k.bool("ascii_only")?.ok_or("`ascii_only` is required")?;
        let canonical = match k.take("canonical") {
            Some(Toml::String(s)) => Some(one_of(
                "canonical",
                &s,
                &[("ascii", Style::Ascii), ("utf8", Style::Utf8)],
            )?),
            Some(Toml::Boolean(false)) => None,
            other => {
                return Err(format!(
                    "`canonical` must be a style or false, found {other:?}"
                ));
            }
        };
        seen.canonical
            .push(canonical.map_or("false", Style::name).to_owned());
        let code = k.string("code")?;
        let text = k
            .bytes("text", &[])?
            .map(String::from_utf8)
            .transpose()
            .map_err(|e| e.to_string())?;
        let record = json(k, "record")?;
        k.finish()?;
        if ascii_only != input.is_ascii() {
            failures.push(format!(
                "ascii_only = {ascii_only}, but the input says otherwise"
            ));
        }

        // 1. The whole-document decoder of the direction.
        let (object, got_canonical, bytes, skipped) = match dir {
            Direction::ToServer => match decode_request(&input) {
                Ok(d) => (d.object.clone(), d.canonical(), d.bytes.to_vec(), d.skipped),
                Err(e) => return Err(format!("decode_request: {}", describe_invalid(&e))),
            },
            Direction::ToClient => match decode_reply(&input) {
                Ok(d) => {
                    reply_matches(
                        &d.message,
                        code.as_deref(),
                        text.as_deref(),
                        record.as_ref(),
                    )
                    .unwrap_or_else(|e| failures.push(e));
                    roundtrip_reply(&d.message, &input, canonical)
                        .unwrap_or_else(|e| failures.push(e));
                    tolerant_agrees(&input, &d.message).unwrap_or_else(|e| failures.push(e));
                    (d.object.clone(), d.canonical(), d.bytes.to_vec(), d.skipped)
                }
                Err(e) => return Err(format!("decode_reply: {}", describe_invalid(&e))),
            },
        };
        if dir == Direction::ToServer && (code.is_some() || text.is_some() || record.is_some()) {
            failures.push("`code`, `text` and `record` are for replies".into());
        }
        if serde_object(&object) != expected {
            failures.push(format!(
                "value: expected {expected}, got {}",
                serde_object(&object)
            ));
        }
        let names: Vec<String> = object.names().map(str::to_owned).collect();
        if names != keys {
            failures.push(format!("keys: expected {keys:?}, got {names:?}"));
        }
        if got_canonical != canonical {
            failures.push(format!(
                "canonical: expected {canonical:?}, got {got_canonical:?}"
            ));
        }

        // 2. Encoding: the canonical input is its own encoding; any
        //    accepted input re-encodes to a document that decodes the same.
        for style in [Style::Ascii, Style::Utf8] {
            let mut wire = Vec::new();
            object.encode(style, &mut wire);
            if canonical == Some(style) && wire != input {
                failures.push(format!(
                    "encode(decode(input)) in {} differs: {}",
                    style.name(),
                    escape_excerpt(&wire, 80)
                ));
            }
            match decode_value(&wire, Direction::ToClient) {
                Ok(again) if to_serde(&again.value) == serde_object(&object) => {}
                other => failures.push(format!(
                    "re-decoding the {} encoding gave {other:?}",
                    style.name()
                )),
            }
        }

        // 3. A stream of the same bytes yields the same document.
        let mut dec = StreamDecoder::new(dir);
        dec.push(&input);
        dec.close();
        match (dec.next(End::Boundary), dec.next(End::Boundary)) {
            (Ok(Some(f)), Ok(None))
                if f.object == object && f.skipped == skipped && f.len == skipped + bytes.len() => {
            }
            other => failures.push(format!("StreamDecoder gave {other:?}")),
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n    "))
        }
    })
}

fn reply_matches(
    reply: &Reply<'_>,
    code: Option<&str>,
    text: Option<&str>,
    record: Option<&serde_json::Value>,
) -> Result<(), String> {
    let code = code.ok_or("a valid reply vector needs `code`")?;
    if reply.code.as_str() != code {
        return Err(format!(
            "code: expected {code}, got {}",
            reply.code.as_str()
        ));
    }
    match (&reply.explanation, text, record) {
        (Explanation::Text(t), Some(e), None) if t == e => Ok(()),
        (Explanation::Record(r), None, Some(e)) => {
            let mut bytes = Vec::new();
            r.encode(Style::Utf8, &mut bytes);
            let got: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            if &got == e {
                Ok(())
            } else {
                Err(format!("record: expected {e}, got {got}"))
            }
        }
        (got, text, record) => Err(format!(
            "explanation: expected text {text:?} / record {record:?}, got {got:?}"
        )),
    }
}

/// `encode(decode(b)) == b` for a canonical reply; the typed reply's
/// encodings decode to it in both styles.
fn roundtrip_reply(
    reply: &Reply<'_>,
    input: &[u8],
    canonical: Option<Style>,
) -> Result<(), String> {
    for style in [Style::Ascii, Style::Utf8] {
        let wire = reply.to_bytes(style);
        if wire.len() != reply.encoded_len(style) {
            return Err("encoded_len differs from the encoding".into());
        }
        if canonical == Some(style) && wire != input {
            return Err(format!(
                "Reply::encode in {} differs: {}",
                style.name(),
                escape_excerpt(&wire, 80)
            ));
        }
        match decode_reply(&wire) {
            Ok(d) if &d.message == reply && d.canonical() == Some(style) => {}
            other => {
                return Err(format!(
                    "the {} encoding decodes to {other:?}",
                    style.name()
                ));
            }
        }
    }
    Ok(())
}

/// §6.4: a reply the strict decoder accepts, the tolerant reader reads the
/// same, with no deviation but a duplicate name.
fn tolerant_agrees(input: &[u8], reply: &Reply<'_>) -> Result<(), String> {
    match read_reply(input) {
        Ok(l)
            if l.deviations
                .iter()
                .all(|d| *d == Deviation::DuplicateMember)
                && l.reply().as_ref() == Some(&reply.clone().into_owned()) =>
        {
            Ok(())
        }
        other => Err(format!("read_reply gave {other:?}")),
    }
}

/// One item of a stream's `expect`.
#[derive(Debug)]
enum Item {
    Document {
        value: serde_json::Value,
        skipped: Option<usize>,
        len: Option<usize>,
    },
    Error {
        fault: Fault,
        len: Option<usize>,
    },
    Incomplete,
}

fn item(value: &Toml) -> Result<Item, String> {
    if value.as_str() == Some("incomplete") {
        return Ok(Item::Incomplete);
    }
    Keys::read(value, "an `expect` item", |k| {
        if let Some(fault) = take_fault(k)? {
            return Ok(Item::Error {
                fault,
                len: k.usize("len")?,
            });
        }
        Ok(Item::Document {
            value: json(k, "value")?.ok_or("an item is a value, an error or \"incomplete\"")?,
            skipped: k.usize("skipped")?,
            len: k.usize("len")?,
        })
    })
}

/// What came out of a stream: a document (as serde_json's value, skipped,
/// len) or a rejection.
enum Event {
    Document(serde_json::Value, usize, usize),
    Rejected(Rejected),
}

impl std::fmt::Debug for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Document(v, skipped, len) => {
                write!(f, "document {v} skipped={skipped} len={len}")
            }
            Event::Rejected(r) => write!(
                f,
                "{} skipped={} len={} bytes={}",
                describe_invalid(&r.invalid),
                r.skipped,
                r.len,
                escape_excerpt(&r.bytes, 40)
            ),
        }
    }
}

/// Whether `event` is `item`; lengths of rejections only `with_len`.
fn event_matches(item: &Item, event: &Event, with_len: bool) -> bool {
    match (item, event) {
        (
            Item::Document {
                value,
                skipped,
                len,
            },
            Event::Document(v, s, l),
        ) => value == v && skipped.unwrap_or(0) == *s && len.is_none_or(|n| n == *l),
        (Item::Error { fault, len }, Event::Rejected(r)) => {
            fault_matches(fault, &r.invalid) && (!with_len || len.is_none_or(|n| n == r.len))
        }
        _ => false,
    }
}

/// How a stream's end is told (§3.3): `more`, `boundary` (J5), `closed` (J8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamEnd {
    More,
    Boundary,
    Closed,
}

/// A `StreamDecoder` fed `chunks`, drained with `End::More` after each,
/// then told the end. Checks the buffer's bound after every drain.
fn buffered(dir: Direction, chunks: &[&[u8]], end: StreamEnd) -> Result<Vec<Event>, String> {
    let mut dec = StreamDecoder::new(dir);
    let mut events = Vec::new();
    let mut drain = |dec: &mut StreamDecoder, e: End| -> Result<(), String> {
        loop {
            match dec.next(e) {
                Ok(Some(f)) => {
                    events.push(Event::Document(serde_object(&f.object), f.skipped, f.len))
                }
                Ok(None) => break,
                Err(r) => events.push(Event::Rejected(r)),
            }
        }
        if dec.pending().len() > dir.limit() {
            return Err(format!("{} bytes left buffered", dec.pending().len()));
        }
        Ok(())
    };
    for c in chunks {
        dec.push(c);
        drain(&mut dec, End::More)?;
    }
    match end {
        StreamEnd::More => {}
        StreamEnd::Boundary => drain(&mut dec, End::Boundary)?,
        StreamEnd::Closed => {
            dec.close();
            drain(&mut dec, End::Boundary)?;
            if !dec.pending().is_empty() {
                return Err("a closed stream left bytes buffered".into());
            }
        }
    }
    Ok(events)
}

fn run_stream(value: &Toml) -> (Seen, Result<(), String>) {
    common::run(value, "a stream", |k, seen: &mut Seen| {
        let dir = one_of(
            "direction",
            &k.required("direction")?,
            &[
                ("to_server", Direction::ToServer),
                ("to_client", Direction::ToClient),
            ],
        )?;
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let end = one_of(
            "end",
            &k.required("end")?,
            &[
                ("more", StreamEnd::More),
                ("boundary", StreamEnd::Boundary),
                ("closed", StreamEnd::Closed),
            ],
        )?;
        let items = k
            .items("expect")?
            .iter()
            .map(item)
            .collect::<Result<Vec<_>, _>>()?;
        k.finish()?;
        for i in &items {
            if let Item::Error { fault, .. } = i {
                seen.kinds.push(fault.kind.clone());
            }
        }

        // 1. The stateless decoder, call after call on what is left.
        let mut pos = 0;
        for (n, it) in items.iter().enumerate() {
            let rest = &input[pos..];
            let got = match end {
                StreamEnd::More => decode_stream(rest, dir, End::More),
                StreamEnd::Boundary => decode_stream(rest, dir, End::Boundary),
                StreamEnd::Closed => decode_stream_closed(rest, dir),
            };
            let (event, used) = match got {
                Ok(f) => {
                    let len = f.len;
                    (
                        Event::Document(serde_object(&f.object), f.skipped, f.len),
                        len,
                    )
                }
                Err(atendimento::DecodeError::Invalid(r)) => {
                    let len = r.len;
                    (Event::Rejected(r), len)
                }
                Err(atendimento::DecodeError::Incomplete { have }) => {
                    if !matches!(it, Item::Incomplete) || n + 1 != items.len() {
                        return Err(format!(
                            "call {}: incomplete ({have} bytes), expected {it:?}",
                            n + 1
                        ));
                    }
                    continue;
                }
            };
            if !event_matches(it, &event, true) {
                return Err(format!(
                    "call {} (at byte {pos}): expected {it:?}\n      got {event:?}",
                    n + 1
                ));
            }
            pos += used;
        }
        let waits = matches!(items.last(), Some(Item::Incomplete));
        if !waits && !input[pos..].iter().all(|b| b" \t\r\n".contains(b)) {
            return Err(format!(
                "bytes left over: {}",
                escape_excerpt(&input[pos..], 60)
            ));
        }

        // 2. The buffering decoder, fed in one piece and a byte at a time.
        let expected: Vec<&Item> = items
            .iter()
            .filter(|i| !matches!(i, Item::Incomplete))
            .collect();
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        for (how, chunks, with_len) in [
            ("in one piece", vec![&input[..]], true),
            ("a byte at a time", bytewise, false),
        ] {
            let events = buffered(dir, &chunks, end)?;
            let agree = events.len() == expected.len()
                && events
                    .iter()
                    .zip(&expected)
                    .all(|(e, i)| event_matches(i, e, with_len));
            if !agree {
                return Err(format!(
                    "StreamDecoder fed {how} gave {events:?}\n      expected {expected:?}"
                ));
            }
        }
        Ok(())
    })
}

fn run_lenient(value: &Toml) -> (Seen, Result<(), String>) {
    common::run(value, "a lenient vector", |k, seen: &mut Seen| {
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let got = read_reply(&input);
        if let Some(Toml::Table(t)) = k.take("error") {
            k.finish()?;
            let kind = t
                .get("kind")
                .and_then(Toml::as_str)
                .ok_or("`error.kind` is required")?;
            if t.len() != 1 {
                return Err("`error` holds only `kind`".into());
            }
            return match got {
                Err(e) if e.name() == kind => Ok(()),
                other => Err(format!("expected {kind}, got {other:?}")),
            };
        }
        let code = k.required("code")?;
        let text = k
            .bytes("text", &[])?
            .map(String::from_utf8)
            .transpose()
            .map_err(|e| e.to_string())?;
        let record = json(k, "record")?;
        let deviations: Vec<String> = match k.take("deviations") {
            Some(Toml::Array(d)) => d
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or("deviations are strings")
                })
                .collect::<Result<_, _>>()?,
            _ => return Err("`deviations` (an array) is required".into()),
        };
        k.finish()?;
        seen.deviations.extend(deviations.iter().cloned());
        let l = got.map_err(|e| format!("expected a reading, got {e:?}"))?;
        let got_deviations: Vec<String> =
            l.deviations.iter().map(|d| d.name().to_owned()).collect();
        let explanation_ok = match (&l.explanation, &text, &record) {
            (LenientExplanation::Text(t), Some(e), None) => t == e,
            (LenientExplanation::Record(r), None, Some(e)) => {
                let mut map = serde_json::Map::new();
                for campo in atendimento::Campo::ALL {
                    if let Some(v) = r.get(campo) {
                        map.insert(campo.as_str().to_owned(), to_serde(v));
                    }
                }
                &serde_json::Value::Object(map) == e
            }
            _ => false,
        };
        if l.code_digits() == code && explanation_ok && got_deviations == deviations {
            Ok(())
        } else {
            Err(format!(
                "expected code={code} text={text:?} record={record:?} deviations={deviations:?}\n      got {l:?}"
            ))
        }
    })
}

/// The checks of §7.1 the codec decides (C1–C6, C11–C14): their names.
const CODEC_CHECKS: [&str; 10] = [
    "servico_missing",
    "servico_invalid",
    "acao_missing",
    "acao_invalid",
    "email_missing",
    "email_invalid",
    "campo_missing",
    "campo_invalid",
    "valor_missing",
    "valor_invalid",
];

/// A `[[check]]`: what the codec decides of it. The request is read
/// (`not_object` is C1, D12); a check the codec decides must be the one
/// it reads, with the text of §6.2; a check of the store (C7–C10, C15,
/// C16) must follow a reading that passed the codec's checks — or, for
/// C7's `unknown_user`, a `MODIFICAR` whose change the store never looks
/// at. The store before and after is the server core's to check.
fn run_check(value: &Toml) -> (Seen, Result<(), String>) {
    common::run(value, "a check", |k, _seen: &mut Seen| {
        let store = k.take("store").ok_or("`store` is required")?;
        k.take("after");
        let request = k.required("request")?;
        let check = k.required("check")?;
        let code = k.required("code")?;
        let text = k.string("text")?;
        k.take("record");
        k.finish()?;
        let in_store = |email: &str| {
            store.as_array().is_some_and(|records| {
                records
                    .iter()
                    .any(|r| r.get("Email").and_then(Toml::as_str) == Some(email))
            })
        };
        let refused = match decode_request(request.as_bytes()) {
            Ok(d) => match d.message {
                Reading::Refused(r) => Some(r),
                Reading::BadChange { email, refusal } if in_store(&email) => Some(refusal),
                Reading::BadChange { .. } => None,
                Reading::Request(r) => {
                    let email_of = serde_json::from_str::<serde_json::Value>(&request)
                        .ok()
                        .and_then(|v| {
                            v.get("EMAIL_USUARIO")
                                .and_then(|e| e.as_str().map(str::to_owned))
                        });
                    if email_of.as_deref() != Some(r.email()) {
                        return Err(format!("read {r:?}"));
                    }
                    None
                }
            },
            Err(e) if e.kind == Kind::NotObject => Some(atendimento::Refusal::not_object()),
            Err(e) => return Err(format!("the request does not decode: {e}")),
        };
        match refused {
            Some(r) if r.check().name() == check => {
                let expected = text.ok_or("a refusal has a `text`")?;
                if code != "404" || r.explanation() != expected {
                    return Err(format!(
                        "text: expected {expected:?}, got {:?}",
                        r.explanation()
                    ));
                }
                Ok(())
            }
            None if !CODEC_CHECKS.contains(&check.as_str()) => Ok(()),
            other => Err(format!("the codec read {other:?}, the vector says {check}")),
        }
    })
}

fn run_recognise(value: &Toml) -> (Seen, Result<(), String>) {
    common::run(value, "a recognise vector", |k, _seen: &mut Seen| {
        let text = k.required("text")?;
        let expected = k.required("recognised")?;
        k.finish()?;
        let got = recognise(&text).map_or("none", |r| r.name());
        if got == expected {
            Ok(())
        } else {
            Err(format!("expected {expected}, got {got}"))
        }
    })
}

const KINDS: [(&str, Runner<Seen>); 5] = [
    ("vector", run_vector),
    ("check", run_check),
    ("lenient", run_lenient),
    ("recognise", run_recognise),
    ("stream", run_stream),
];

#[test]
fn every_vector_passes() {
    Vectors::load(VECTORS).every_vector_passes(&KINDS);
}

#[test]
fn vectors_cover_every_fault_deviation_and_style() {
    let all = Vectors::load(VECTORS).seen(&KINDS);
    assert!(
        all.len() >= 150,
        "at least 150 vectors, found {}",
        all.len()
    );
    let seen = |f: fn(&Seen) -> &Vec<String>, name: &str| {
        all.iter().any(|s| f(s).iter().any(|k| k == name))
    };
    let kinds = [
        Kind::Empty,
        Kind::UnexpectedByte,
        Kind::Truncated,
        Kind::InvalidUtf8,
        Kind::ControlInString,
        Kind::InvalidEscape,
        Kind::LoneSurrogate,
        Kind::NumberOutOfRange,
        Kind::TooDeep,
        Kind::TooLong,
        Kind::TrailingBytes,
        Kind::NotObject,
        Kind::ExtraMember,
        Kind::WrongType,
        Kind::UnknownCode,
        Kind::MissingMember,
    ];
    let missing: Vec<_> = kinds
        .iter()
        .map(|k| k.name())
        .filter(|k| !seen(|s| &s.kinds, k))
        .collect();
    assert!(missing.is_empty(), "no vector expects faults {missing:?}");
    let deviations = [
        Deviation::TrailingComma,
        Deviation::PythonLiteral,
        Deviation::KeySpelling,
        Deviation::CodeNumber,
        Deviation::CodeText,
        Deviation::NoExplanation,
        Deviation::ExtraMember,
        Deviation::EmptyForUnset,
        Deviation::MissingField,
        Deviation::RecordAsText,
    ];
    let missing: Vec<_> = deviations
        .iter()
        .map(|d| d.name())
        .filter(|d| !seen(|s| &s.deviations, d))
        .collect();
    assert!(missing.is_empty(), "no lenient vector shows {missing:?}");
    for style in ["ascii", "utf8", "false"] {
        assert!(
            seen(|s| &s.canonical, style),
            "no vector is canonical = {style}"
        );
    }
}
