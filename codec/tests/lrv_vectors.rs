//! Runs every vector of `spec/vectors/lrv.toml` against the codec.
//!
//! The file's header documents its format; this runner implements exactly
//! that format, so adding a vector adds a check without touching Rust. All
//! failures are reported together, each with the vector's name, what was
//! expected and what the codec did.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::collections::BTreeSet;

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::{
    Code, Command, DecodeError, Decoded, Direction, End, Expect, Extracted, Invalid, Message,
    StreamDecoder, decode, decode_stream, extract_reply,
};
use toml::{Table, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/lrv.toml");

/// What a call is expected to return.
#[derive(Debug, Clone)]
enum Outcome {
    Message(Expected),
    Error(Error),
    Incomplete,
}

#[derive(Debug, Clone)]
struct Expected {
    /// `(name, value)` sorted by name, in `Message::fields()` form.
    fields: Vec<(String, String)>,
    standard: Option<bool>,
    cpf_valid: Option<bool>,
    terminator: Option<String>,
    canonical: Option<bool>,
    skipped: Option<usize>,
    len: Option<usize>,
}

#[derive(Debug, Clone)]
struct Error {
    kind: String,
    field: String,
    offset: usize,
}

/// A table whose keys are taken one by one; whatever is left is a typo.
struct Keys {
    table: Table,
}

impl Keys {
    fn new(value: &Value, what: &str) -> Result<Self, String> {
        match value {
            Value::Table(t) => Ok(Keys { table: t.clone() }),
            other => Err(format!("{what} must be a table, found {other}")),
        }
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        self.table.remove(key)
    }

    fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    fn string(&mut self, key: &str) -> Result<Option<String>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(format!("`{key}` must be a string, found {other}")),
        }
    }

    fn required(&mut self, key: &str) -> Result<String, String> {
        self.string(key)?
            .ok_or_else(|| format!("`{key}` is required"))
    }

    fn usize(&mut self, key: &str) -> Result<Option<usize>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Integer(n)) => usize::try_from(n)
                .map(Some)
                .map_err(|e| format!("`{key}`: {e}")),
            Some(other) => Err(format!("`{key}` must be an integer, found {other}")),
        }
    }

    fn bool(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Boolean(b)) => Ok(Some(b)),
            Some(other) => Err(format!("`{key}` must be a boolean, found {other}")),
        }
    }

    fn bytes(&mut self, key: &str) -> Result<Option<Vec<u8>>, String> {
        self.take(key)
            .map(|v| bytes(&v).map_err(|e| format!("`{key}`: {e}")))
            .transpose()
    }

    fn finish(self) -> Result<(), String> {
        if self.table.is_empty() {
            Ok(())
        } else {
            let keys: Vec<_> = self.table.keys().map(String::as_str).collect();
            Err(format!("unknown keys {keys:?}"))
        }
    }
}

/// A byte string: a TOML string, or an array of pieces (see the file header).
fn bytes(value: &Value) -> Result<Vec<u8>, String> {
    match value {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Array(pieces) => {
            let mut out = Vec::new();
            for piece in pieces {
                out.extend(self::piece(piece)?);
            }
            Ok(out)
        }
        other => Err(format!(
            "bytes must be a string or an array of pieces, found {other}"
        )),
    }
}

fn piece(value: &Value) -> Result<Vec<u8>, String> {
    if let Value::String(s) = value {
        return Ok(s.as_bytes().to_vec());
    }
    let mut k = Keys::new(value, "a piece")?;
    let out = if let Some(h) = k.string("hex")? {
        hex(&h)?
    } else if let Some(text) = k.string("repeat")? {
        let count = k.usize("count")?.ok_or("`repeat` needs `count`")?;
        text.repeat(count).into_bytes()
    } else if let Some(seq) = k.take("seq") {
        seq_numbers(&seq)?
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(",")
            .into_bytes()
    } else {
        return Err(format!(
            "a piece is a string, {{ hex }}, {{ repeat, count }} or {{ seq }}: {value}"
        ));
    };
    k.finish()?;
    Ok(out)
}

/// `[a, b]`: the numbers a to b.
fn seq_numbers(value: &Value) -> Result<Vec<u64>, String> {
    match value.as_array().map(Vec::as_slice) {
        Some([Value::Integer(a), Value::Integer(b)]) if 0 <= *a && a <= b => {
            Ok((*a as u64..=*b as u64).collect())
        }
        _ => Err(format!("`seq` must be [first, last], found {value}")),
    }
}

fn hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.len() % 2 != 0 {
        return Err(format!("odd number of hex digits in {text:?}"));
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
            u8::from_str_radix(s, 16).map_err(|e| format!("bad hex {s:?}: {e}"))
        })
        .collect()
}

/// `numbers`: an array of integers, or `{ seq = [a, b] }`; joined by `,`
/// as `Reply::fields()` writes a list.
fn numbers(value: Value) -> Result<String, String> {
    let ns: Vec<u64> = match &value {
        Value::Array(items) => items
            .iter()
            .map(|v| match v {
                Value::Integer(n) if *n >= 0 => Ok(*n as u64),
                other => Err(format!("`numbers` must hold integers, found {other}")),
            })
            .collect::<Result<_, _>>()?,
        Value::Table(t) if t.len() == 1 && t.contains_key("seq") => seq_numbers(&t["seq"])?,
        other => {
            return Err(format!(
                "`numbers` must be an array or {{ seq }}, found {other}"
            ));
        }
    };
    Ok(ns.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
}

fn take_error(k: &mut Keys) -> Result<Option<Error>, String> {
    let Some(e) = k.take("error") else {
        return Ok(None);
    };
    let mut ek = Keys::new(&e, "`error`")?;
    let err = Error {
        kind: ek.required("kind")?,
        field: ek.required("field")?,
        offset: ek.usize("offset")?.ok_or("`error.offset` is required")?,
    };
    ek.finish()?;
    Ok(Some(err))
}

const FIELD_KEYS: [&str; 6] = ["command", "code", "cpf", "number", "numbers", "text"];

/// The fields of a message (as `Message::fields()` names them) taken out of
/// a vector or an `expect` item.
fn take_fields(k: &mut Keys) -> Result<Vec<(String, String)>, String> {
    let mut fields = Vec::new();
    if let Some(c) = k.string("command")? {
        fields.push(("command".to_owned(), c));
    }
    if let Some(c) = k.string("code")? {
        fields.push(("code".to_owned(), c));
    }
    if let Some(c) = k.string("cpf")? {
        fields.push(("cpf".to_owned(), c));
    }
    if let Some(n) = k.usize("number")? {
        fields.push(("number".to_owned(), n.to_string()));
    }
    if let Some(v) = k.take("numbers") {
        fields.push(("numbers".to_owned(), numbers(v)?));
    }
    if let Some(t) = k.bytes("text")? {
        let t = String::from_utf8(t).map_err(|_| "`text` must be UTF-8".to_string())?;
        fields.push(("text".to_owned(), t));
    }
    fields.sort();
    Ok(fields)
}

/// Takes the expected outcome out of a vector or an `expect` item.
fn expected(k: &mut Keys) -> Result<Outcome, String> {
    if let Some(err) = take_error(k)? {
        if let Some(stray) = FIELD_KEYS.iter().find(|f| k.has(f)) {
            return Err(format!(
                "an error vector cannot also expect field `{stray}`"
            ));
        }
        return Ok(Outcome::Error(err));
    }
    let fields = take_fields(k)?;
    if !fields
        .iter()
        .any(|(n, _)| n == "command" || n == "code" || n == "text")
    {
        return Err(
            "a message needs `command`, `code` or `text` (or the vector needs `error`)".into(),
        );
    }
    Ok(Outcome::Message(Expected {
        fields,
        standard: k.bool("standard")?,
        cpf_valid: k.bool("cpf_valid")?,
        terminator: k.string("terminator")?,
        canonical: k.bool("canonical")?,
        skipped: k.usize("skipped")?,
        len: k.usize("len")?,
    }))
}

fn actual_fields(m: &Message<'_>) -> Vec<(String, String)> {
    let mut f: Vec<_> = m
        .fields()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    f.sort();
    f
}

fn describe_fields(fields: &[(String, String)]) -> String {
    let parts: Vec<_> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_excerpt(v.as_bytes(), 40)))
        .collect();
    parts.join(" ")
}

fn standard(m: &Message<'_>) -> Option<bool> {
    match m {
        Message::Greeting(g) => Some(g.is_standard()),
        _ => None,
    }
}

fn cpf_valid(m: &Message<'_>) -> Option<bool> {
    match m {
        Message::Request(gabarito_codec::lrv::Request::Registrar { cpf }) => Some(cpf.is_valid()),
        Message::Reply(gabarito_codec::lrv::Reply::Drawn { winner, .. }) => Some(winner.is_valid()),
        _ => None,
    }
}

fn describe_message(d: &Decoded<Message<'_>>) -> String {
    format!(
        "message {{{}}} terminator={} canonical={} skipped={} len={}{}{}",
        describe_fields(&actual_fields(&d.message)),
        d.terminator.name(),
        d.is_canonical(),
        d.skipped,
        d.len,
        standard(&d.message)
            .map(|s| format!(" standard={s}"))
            .unwrap_or_default(),
        cpf_valid(&d.message)
            .map(|s| format!(" cpf_valid={s}"))
            .unwrap_or_default(),
    )
}

fn describe_invalid(i: &Invalid) -> String {
    format!(
        "error {{kind={} field={} offset={}}} ({i})",
        i.kind.name(),
        i.field.name(),
        i.offset
    )
}

fn describe_expected(o: &Outcome) -> String {
    match o {
        Outcome::Incomplete => "incomplete".into(),
        Outcome::Error(e) => format!(
            "error {{kind={} field={} offset={}}}",
            e.kind, e.field, e.offset
        ),
        Outcome::Message(m) => {
            let mut s = format!("message {{{}}}", describe_fields(&m.fields));
            for (name, v) in [("skipped", m.skipped), ("len", m.len)] {
                if let Some(v) = v {
                    s.push_str(&format!(" {name}={v}"));
                }
            }
            for (name, v) in [
                ("canonical", m.canonical),
                ("standard", m.standard),
                ("cpf_valid", m.cpf_valid),
            ] {
                if let Some(v) = v {
                    s.push_str(&format!(" {name}={v}"));
                }
            }
            if let Some(t) = &m.terminator {
                s.push_str(&format!(" terminator={t}"));
            }
            s
        }
    }
}

fn message_matches(e: &Expected, d: &Decoded<Message<'_>>) -> bool {
    e.fields == actual_fields(&d.message)
        && e.terminator
            .as_deref()
            .is_none_or(|t| t == d.terminator.name())
        && e.canonical.is_none_or(|c| c == d.is_canonical())
        && e.skipped.is_none_or(|n| n == d.skipped)
        && e.len.is_none_or(|n| n == d.len)
        && e.standard.is_none_or(|s| Some(s) == standard(&d.message))
        && e.cpf_valid.is_none_or(|s| Some(s) == cpf_valid(&d.message))
}

fn error_matches(e: &Error, i: &Invalid) -> bool {
    e.kind == i.kind.name() && e.field == i.field.name() && e.offset == i.offset
}

/// Compares one call's result; `Err` is the failure text.
fn check(
    expected: &Outcome,
    actual: &Result<Decoded<Message<'_>>, DecodeError>,
) -> Result<(), String> {
    let ok = match (expected, actual) {
        (Outcome::Message(m), Ok(d)) => message_matches(m, d),
        (Outcome::Error(e), Err(DecodeError::Invalid(i))) => error_matches(e, i),
        (Outcome::Incomplete, Err(DecodeError::Incomplete { .. })) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let got = match actual {
        Ok(d) => describe_message(d),
        Err(DecodeError::Invalid(i)) => describe_invalid(i),
        Err(DecodeError::Incomplete { have }) => format!("incomplete ({have} bytes)"),
    };
    Err(format!(
        "expected {}\n      got {got}",
        describe_expected(expected)
    ))
}

fn line_kind(name: &str) -> Result<Expect, String> {
    match name {
        "request" => Ok(Expect::Request),
        "reply" => Ok(Expect::Reply),
        "greeting" => Ok(Expect::Greeting),
        other => Err(format!(
            "line must be request, reply or greeting, found {other:?}"
        )),
    }
}

/// The per-vector metadata the coverage checks need.
#[derive(Default)]
struct Seen {
    name: String,
    errors: Vec<String>,
    commands: Vec<String>,
    codes: Vec<String>,
    deviations: Vec<String>,
}

impl Seen {
    fn record(&mut self, o: &Outcome) {
        match o {
            Outcome::Error(e) => self.errors.push(e.kind.clone()),
            Outcome::Message(m) => {
                for (k, v) in &m.fields {
                    match k.as_str() {
                        "command" => self.commands.push(v.clone()),
                        "code" => self.codes.push(v.clone()),
                        _ => {}
                    }
                }
            }
            Outcome::Incomplete => {}
        }
    }
}

fn section(k: &mut Keys) -> Result<(), String> {
    let section = k.required("section")?;
    if section.starts_with('§') {
        Ok(())
    } else {
        Err(format!(
            "section must cite the spec (\"§…\"), found {section:?}"
        ))
    }
}

fn run_vector(value: &Value) -> (Seen, Result<(), String>) {
    let mut seen = Seen {
        name: "<unnamed>".into(),
        ..Seen::default()
    };
    let result = (|| {
        let mut k = Keys::new(value, "a vector")?;
        seen.name = k.required("name")?;
        section(&mut k)?;
        let expect = line_kind(&k.required("line")?)?;
        let input = k.bytes("input")?.ok_or("`input` is required")?;
        let stream = k.take("stream");
        let outcome = expected(&mut k)?;
        k.finish()?;
        seen.record(&outcome);
        if let Outcome::Message(m) = &outcome {
            if m.canonical.is_none() || m.terminator.is_none() {
                return Err("a valid vector needs `canonical` and `terminator`".into());
            }
            if (expect == Expect::Greeting) != m.standard.is_some() {
                return Err("`standard` is for greetings, and greetings need it".into());
            }
        }
        let mut failures = Vec::new();

        // 1. The whole-line decoder.
        let whole = decode(&input, expect).map_err(DecodeError::Invalid);
        if let Err(e) = check(&outcome, &whole) {
            failures.push(format!("decode: {e}"));
        }

        // 2. The encoder: encode(decode(b)) == b for canonical lines; the
        //    encoding of any accepted line decodes to the same message.
        if let (Outcome::Message(m), Ok(d)) = (&outcome, &whole) {
            let wire = d.message.to_bytes();
            if m.canonical == Some(true) && wire != input {
                failures.push(format!(
                    "encode(decode(input)) differs:\n      input   {}\n      encoded {}",
                    escape_excerpt(&input, 80),
                    escape_excerpt(&wire, 80)
                ));
            }
            if wire.len() != d.message.encoded_len() {
                failures.push("encoded_len differs from the encoding".into());
            }
            match decode(&wire, expect) {
                Ok(again) if again.message == d.message && again.is_canonical() => {}
                other => failures.push(format!("re-decoding the encoding gave {other:?}")),
            }
        }

        // 3. The tolerant reader agrees with every valid strict reply.
        if let (Outcome::Message(_), Ok(d), Expect::Reply) = (&outcome, &whole, expect) {
            match extract_reply(&input) {
                Ok(x) if x.deviations.is_empty() && x.terminator == d.terminator => {
                    if let Message::Reply(r) = &d.message {
                        if x.reply().as_ref() != Some(&r.clone().into_owned()) {
                            failures.push(format!("extract_reply read {x:?}"));
                        }
                    }
                }
                other => failures.push(format!("extract_reply gave {other:?}")),
            }
        }

        // 4. The streaming decoder on the same bytes, at a read boundary.
        let streamed = decode_stream(&input, expect, End::Boundary);
        match stream {
            None => {
                if let Err(e) = check(&outcome, &streamed) {
                    failures.push(format!("decode_stream (same outcome expected): {e}"));
                } else if let Ok(d) = &streamed {
                    if d.len != input.len() {
                        failures.push(format!(
                            "decode_stream used {} of {} bytes",
                            d.len,
                            input.len()
                        ));
                    }
                }
            }
            Some(Value::String(s)) if s == "incomplete" => {
                if let Err(e) = check(&Outcome::Incomplete, &streamed) {
                    failures.push(format!("decode_stream: {e}"));
                }
            }
            Some(Value::Boolean(false)) => {}
            Some(other) => {
                return Err(format!(
                    "`stream` must be absent, \"incomplete\" or false, found {other}"
                ));
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n    "))
        }
    })();
    (seen, result)
}

fn describe_extracted(x: &Extracted<'_>) -> String {
    format!(
        "code={} numbers={:?} number={:?} cpf={:?} deviations={:?} terminator={}",
        x.code,
        x.numbers.iter().map(|n| n.get()).collect::<Vec<_>>(),
        x.number.map(|n| n.get()),
        x.winner.as_ref().map(|c| c.to_string()),
        x.deviations.iter().map(|d| d.name()).collect::<Vec<_>>(),
        x.terminator.name()
    )
}

fn run_lenient(value: &Value) -> (Seen, Result<(), String>) {
    let mut seen = Seen {
        name: "<unnamed>".into(),
        ..Seen::default()
    };
    let result = (|| {
        let mut k = Keys::new(value, "a lenient vector")?;
        seen.name = k.required("name")?;
        section(&mut k)?;
        let input = k.bytes("input")?.ok_or("`input` is required")?;
        let actual = extract_reply(&input);
        if let Some(err) = take_error(&mut k)? {
            k.finish()?;
            seen.errors.push(err.kind.clone());
            return match actual {
                Err(i) if error_matches(&err, &i) => Ok(()),
                other => Err(format!(
                    "expected {}\n      got {}",
                    describe_expected(&Outcome::Error(err)),
                    match other {
                        Ok(x) => describe_extracted(&x),
                        Err(i) => describe_invalid(&i),
                    }
                )),
            };
        }
        let code = k.required("code")?;
        let list = k.take("numbers").map(numbers).transpose()?;
        let number = k.usize("number")?;
        let cpf = k.string("cpf")?;
        let deviations = match k.take("deviations") {
            Some(Value::Array(d)) => d
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or("deviations are strings")
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err("`deviations` (an array) is required".into()),
        };
        let terminator = k.required("terminator")?;
        k.finish()?;
        seen.codes.push(code.clone());
        seen.deviations.extend(deviations.iter().cloned());
        let x =
            actual.map_err(|e| format!("expected an extraction, got {}", describe_invalid(&e)))?;
        let got_list = x
            .numbers
            .iter()
            .map(|n| n.get().to_string())
            .collect::<Vec<_>>()
            .join(",");
        let ok = x.code.as_str() == code
            && list.as_deref().unwrap_or("") == got_list
            && number == x.number.map(|n| n.get() as usize)
            && cpf.as_deref() == x.winner.as_ref().map(|c| c.as_str())
            && deviations
                == x.deviations
                    .iter()
                    .map(|d| d.name().to_owned())
                    .collect::<Vec<_>>()
            && terminator == x.terminator.name();
        if ok {
            Ok(())
        } else {
            Err(format!(
                "expected code={code} numbers={list:?} number={number:?} cpf={cpf:?} deviations={deviations:?} terminator={terminator}\n      got {}",
                describe_extracted(&x)
            ))
        }
    })();
    (seen, result)
}

/// One event of a stream: a message or a rejected line.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    Message(Decoded<Message<'static>>),
    Invalid(Invalid),
}

/// A buffering decoder fed `chunks` with `End::More`, then (if `boundary`)
/// told of the boundary.
fn buffered(expect: Expect, chunks: &[&[u8]], boundary: bool) -> Vec<Event> {
    let mut dec = StreamDecoder::expecting(expect);
    let mut events = Vec::new();
    let mut pull = |dec: &mut StreamDecoder, end| loop {
        match dec.next(end) {
            Ok(Some(d)) => events.push(Event::Message(d)),
            Ok(None) => break,
            Err(r) => events.push(Event::Invalid(r.invalid)),
        }
    };
    for c in chunks {
        dec.push(c);
        pull(&mut dec, End::More);
    }
    if boundary {
        pull(&mut dec, End::Boundary);
    }
    events
}

fn run_stream(value: &Value) -> (Seen, Result<(), String>) {
    let mut seen = Seen {
        name: "<unnamed>".into(),
        ..Seen::default()
    };
    let result = (|| {
        let mut k = Keys::new(value, "a stream")?;
        seen.name = k.required("name")?;
        section(&mut k)?;
        let dir = match k.required("direction")?.as_str() {
            "to_server" => Direction::ToServer,
            "to_client" => Direction::ToClient,
            other => {
                return Err(format!(
                    "direction must be to_server or to_client, found {other:?}"
                ));
            }
        };
        let greeted = k.bool("greeted")?.unwrap_or(false);
        if greeted && dir == Direction::ToServer {
            return Err("`greeted` is for to_client streams".into());
        }
        let input = k.bytes("input")?.ok_or("`input` is required")?;
        let end = match k.required("end")?.as_str() {
            "more" => End::More,
            "boundary" => End::Boundary,
            other => return Err(format!("end must be more or boundary, found {other:?}")),
        };
        let items = match k.take("expect") {
            Some(Value::Array(items)) if !items.is_empty() => items,
            _ => return Err("`expect` must be a non-empty array".into()),
        };
        k.finish()?;
        let first = if greeted { Expect::Reply } else { dir.first() };
        let mut expect = first;
        let mut outcomes = Vec::new();
        let mut pos = 0;
        for (n, item) in items.iter().enumerate() {
            let outcome = match item {
                Value::String(s) if s == "incomplete" => Outcome::Incomplete,
                other => {
                    let mut ik = Keys::new(other, "an `expect` item")?;
                    let o = expected(&mut ik)?;
                    ik.finish()?;
                    o
                }
            };
            seen.record(&outcome);
            let actual = decode_stream(&input[pos..], expect, end);
            check(&outcome, &actual).map_err(|e| format!("call {} (at byte {pos}): {e}", n + 1))?;
            let last = n + 1 == items.len();
            match actual {
                Ok(d) => pos += d.len,
                Err(DecodeError::Invalid(_)) => {
                    // The receiver drops the line through its LF (§3.3).
                    let from = pos + gabarito_codec::lrv::empty_lines(&input[pos..]);
                    pos = match input[from..].iter().position(|&b| b == b'\n') {
                        Some(lf) => from + lf + 1,
                        None => input.len(),
                    };
                }
                Err(DecodeError::Incomplete { .. }) if last => {}
                Err(DecodeError::Incomplete { .. }) => {
                    return Err(format!("items after call {} can never be reached", n + 1));
                }
            }
            expect = expect.after();
            if !matches!(outcome, Outcome::Incomplete) {
                outcomes.push(outcome);
            }
        }
        let waits = matches!(items.last(), Some(Value::String(s)) if s == "incomplete");
        if !waits && pos != input.len() {
            return Err(format!(
                "{} bytes left over: {}",
                input.len() - pos,
                escape_excerpt(&input[pos..], 60)
            ));
        }
        // The same events from a buffering decoder, however the bytes come.
        let boundary = end == End::Boundary;
        let bytewise: Vec<&[u8]> = input.chunks(1).collect();
        for (how, events) in [
            ("in one piece", buffered(first, &[&input], boundary)),
            ("a byte at a time", buffered(first, &bytewise, boundary)),
        ] {
            let agree = events.len() == outcomes.len()
                && events.iter().zip(&outcomes).all(|(ev, o)| match (ev, o) {
                    (Event::Message(d), Outcome::Message(m)) => message_matches(m, d),
                    (Event::Invalid(i), Outcome::Error(e)) => error_matches(e, i),
                    _ => false,
                });
            if !agree {
                return Err(format!(
                    "StreamDecoder fed {how} gave {events:?}, expected {}",
                    outcomes
                        .iter()
                        .map(describe_expected)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        Ok(())
    })();
    (seen, result)
}

fn load() -> Table {
    let text = std::fs::read_to_string(VECTORS).unwrap_or_else(|e| panic!("{VECTORS}: {e}"));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{VECTORS}: {e}"))
}

fn array<'t>(file: &'t Table, key: &str) -> &'t [Value] {
    match file.get(key) {
        Some(Value::Array(a)) => a,
        other => panic!("{VECTORS}: `[[{key}]]` missing or not an array: {other:?}"),
    }
}

type Runner = fn(&Value) -> (Seen, Result<(), String>);
const KINDS: [(&str, Runner); 3] = [
    ("vector", run_vector),
    ("lenient", run_lenient),
    ("stream", run_stream),
];

#[test]
fn every_vector_passes() {
    let file = load();
    let unknown: Vec<_> = file
        .keys()
        .filter(|k| !KINDS.iter().any(|(kind, _)| kind == k))
        .collect();
    assert!(unknown.is_empty(), "unknown top-level keys {unknown:?}");
    let mut failures = Vec::new();
    let mut names = BTreeSet::new();
    let mut total = 0;
    for (kind, runner) in KINDS {
        for value in array(&file, kind) {
            total += 1;
            let (seen, result) = runner(value);
            if !names.insert(seen.name.clone()) {
                failures.push(format!("[{kind}] {}: duplicate name", seen.name));
            }
            if let Err(e) = result {
                failures.push(format!("[{kind}] {}:\n    {e}", seen.name));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} vectors failed:\n\n{}\n",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn vectors_cover_every_command_code_error_deviation_and_decision() {
    let file = load();
    let mut all = Seen::default();
    let mut names = Vec::new();
    let mut count = 0;
    for (kind, runner) in KINDS {
        for value in array(&file, kind) {
            count += 1;
            let (seen, _) = runner(value);
            names.push(seen.name);
            all.errors.extend(seen.errors);
            all.commands.extend(seen.commands);
            all.codes.extend(seen.codes);
            all.deviations.extend(seen.deviations);
        }
    }
    assert!(count >= 60, "at least 60 vectors, found {count}");
    let missing: Vec<_> = Command::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !all.commands.iter().any(|s| s == c))
        .collect();
    assert!(
        missing.is_empty(),
        "no valid vector for commands {missing:?}"
    );
    let missing: Vec<_> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !all.codes.iter().any(|s| s == c))
        .collect();
    assert!(missing.is_empty(), "no valid vector for codes {missing:?}");
    let kinds = [
        "line_too_long",
        "invalid_utf8",
        "trailing_bytes",
        "empty_line",
        "unknown_command",
        "wrong_case",
        "accented_command",
        "extra_space",
        "missing",
        "unexpected",
        "not_digits",
        "wrong_length",
        "formatted_cpf",
        "leading_zero",
        "out_of_range",
        "not_ascending",
        "unknown_code",
        "line_break",
    ];
    let missing: Vec<_> = kinds
        .iter()
        .filter(|k| !all.errors.iter().any(|e| e == *k))
        .collect();
    assert!(
        missing.is_empty(),
        "no vector expects error kinds {missing:?}"
    );
    let deviations = [
        "text",
        "unordered",
        "duplicates",
        "leading_zeros",
        "formatted_cpf",
        "no_winner",
        "not_utf8",
    ];
    let missing: Vec<_> = deviations
        .iter()
        .filter(|d| !all.deviations.iter().any(|s| s == *d))
        .collect();
    assert!(
        missing.is_empty(),
        "no lenient vector shows deviations {missing:?}"
    );
    // The decisions the codec can show; D10, D12, D13, D15–D17 and D20 are
    // server behaviour, graded by the conformance suite.
    let decisions = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 14, 18, 19, 21];
    let missing: Vec<_> = decisions
        .iter()
        .filter(|d| !names.iter().any(|n| n.starts_with(&format!("d{d}_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "no dN_ vector for decisions {missing:?} (lrv §11)"
    );
}

/// The runner itself must be able to fail: a wrong expectation is caught.
#[test]
fn a_wrong_vector_fails() {
    let bad: Table = toml::from_str(
        r#"
        name = "wrong"
        section = "§6.6"
        line = "request"
        input = "COMPRAR 7\n"
        command = "COMPRAR"
        number = 8
        terminator = "lf"
        canonical = true
        "#,
    )
    .unwrap();
    let err = run_vector(&Value::Table(bad)).1.unwrap_err();
    assert!(
        err.contains("number=8") && err.contains("number=7"),
        "{err}"
    );
    let typo: Table = toml::from_str(
        "name = \"t\"\nsection = \"§6.8\"\nline = \"request\"\ninput = \"SAIR\\n\"\ncommand = \"SAIR\"\nterminator = \"lf\"\ncanonical = true\ncanonicl = true",
    )
    .unwrap();
    assert!(
        run_vector(&Value::Table(typo))
            .1
            .unwrap_err()
            .contains("canonicl")
    );
    let stream: Table = toml::from_str(
        "name = \"s\"\nsection = \"§3.3\"\ndirection = \"to_server\"\ninput = \"SAIR\\nSAIR\\n\"\nend = \"more\"\nexpect = [{ command = \"SAIR\" }]",
    )
    .unwrap();
    assert!(
        run_stream(&Value::Table(stream))
            .1
            .unwrap_err()
            .contains("left over")
    );
}
