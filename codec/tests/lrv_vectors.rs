//! Runs every vector of `spec/vectors/lrv.toml` against the codec.
//!
//! The file's header documents its format; this runner implements exactly
//! that format, so adding a vector adds a check without touching Rust. All
//! failures are reported together, each with the vector's name, what was
//! expected and what the codec did. What the zap and LRV runners share
//! (tables read key by key, byte-string pieces, `stream`, the run over
//! every vector) is the test kit's (`test-kit/src/vectors.rs`).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_test_kit::vectors as common;

use common::{Keys, Piece, Runner, Streamed, Vectors, check_stream, describe_fields, one_of};
use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::{
    Code, Command, DecodeError, Decoded, Direction, End, Expect, Extracted, Invalid, Message,
    StreamDecoder, decode, decode_stream, extract_reply,
};
use toml::{Table, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/lrv.toml");

/// LRV's own piece: `{ seq = [a, b] }`, the numbers a to b joined by `,`,
/// for the long lists of a `203`.
const PIECES: &[Piece] = &[Piece {
    key: "seq",
    shape: "{ seq }",
    bytes: seq_piece,
}];

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

fn seq_piece(value: &Value) -> Result<Vec<u8>, String> {
    Ok(seq_numbers(value)?
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(",")
        .into_bytes())
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
    Keys::read(&e, "`error`", |ek| {
        Ok(Some(Error {
            kind: ek.required("kind")?,
            field: ek.required("field")?,
            offset: ek.usize("offset")?.ok_or("`error.offset` is required")?,
        }))
    })
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
    if let Some(t) = k.bytes("text", PIECES)? {
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
    one_of(
        "line",
        name,
        &[
            ("request", Expect::Request),
            ("reply", Expect::Reply),
            ("greeting", Expect::Greeting),
        ],
    )
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

fn run_vector(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a vector", |k, seen: &mut Seen| {
        let expect = line_kind(&k.required("line")?)?;
        let input = k.bytes("input", PIECES)?.ok_or("`input` is required")?;
        let stream = k.take("stream");
        let outcome = expected(k)?;
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
        let compared = Streamed {
            same: check(&outcome, &streamed),
            waits: check(&Outcome::Incomplete, &streamed),
            used: streamed.as_ref().ok().map(|d| d.len),
        };
        failures.extend(check_stream(stream, input.len(), compared)?);
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n    "))
        }
    })
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
    common::run(value, "a lenient vector", |k, seen: &mut Seen| {
        let input = k.bytes("input", PIECES)?.ok_or("`input` is required")?;
        let actual = extract_reply(&input);
        if let Some(err) = take_error(k)? {
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
    })
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
    common::run(value, "a stream", |k, seen: &mut Seen| {
        let dir = one_of(
            "direction",
            &k.required("direction")?,
            &[
                ("to_server", Direction::ToServer),
                ("to_client", Direction::ToClient),
            ],
        )?;
        let greeted = k.bool("greeted")?.unwrap_or(false);
        if greeted && dir == Direction::ToServer {
            return Err("`greeted` is for to_client streams".into());
        }
        let input = k.bytes("input", PIECES)?.ok_or("`input` is required")?;
        let end = k.end()?;
        let items = k.items("expect")?;
        k.finish()?;
        let first = if greeted { Expect::Reply } else { dir.first() };
        let mut expect = first;
        let mut outcomes = Vec::new();
        let mut pos = 0;
        for (n, item) in items.iter().enumerate() {
            let outcome = match item {
                Value::String(s) if s == "incomplete" => Outcome::Incomplete,
                other => Keys::read(other, "an `expect` item", expected)?,
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
    })
}

const KINDS: [(&str, Runner<Seen>); 3] = [
    ("vector", run_vector),
    ("lenient", run_lenient),
    ("stream", run_stream),
];

#[test]
fn every_vector_passes() {
    Vectors::load(VECTORS).every_vector_passes(&KINDS);
}

#[test]
fn vectors_cover_every_command_code_error_deviation_and_decision() {
    let mut all = Seen::default();
    let mut names = Vec::new();
    let mut count = 0;
    for seen in Vectors::load(VECTORS).seen(&KINDS) {
        count += 1;
        names.push(seen.name);
        all.errors.extend(seen.errors);
        all.commands.extend(seen.commands);
        all.codes.extend(seen.codes);
        all.deviations.extend(seen.deviations);
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
