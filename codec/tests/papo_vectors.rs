//! Runs every vector of `spec/vectors/papo.toml` against the codec: the
//! whole-line decoders (`[[vector]]`), the reader by meaning
//! (`[[lenient]]`) and the stream decoders (`[[stream]]`).
//!
//! The file's header documents its format; this runner implements exactly
//! that format, so adding a vector adds a check without touching Rust. All
//! failures are reported together, each with the vector's name, what was
//! expected and what the codec did. What the runners of every protocol
//! share is in `common/`.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_test_kit::vectors as common;

use common::{Keys, Runner, Streamed, Vectors, check_stream, describe_fields, one_of};
use gabarito_codec::escape::{escape_bytes, escape_excerpt};
use gabarito_codec::papo::{
    ChatLine, DecodeError, Decoded, End, Expect, Expectation, Invalid, LineKind, Meaning, Message,
    Nickname, NicknameLine, Reading, ServerLine, StreamDecoder, decode, decode_stream, empty_lines,
    read_line,
};
use toml::{Table, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/papo.toml");

/// What a call is expected to return.
#[derive(Debug, Clone)]
enum Outcome {
    Message(Expected),
    Error(Error),
    Incomplete,
}

#[derive(Debug, Clone)]
struct Expected {
    /// `(name, value)` sorted by name, `kind` included.
    fields: Vec<(String, String)>,
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

const FIELD_KEYS: [&str; 7] = ["kind", "nick", "to", "from", "text", "code", "nicks"];

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

/// The fields of a message (as `fields()` below names them) taken out of a
/// vector, an `expect` item or a lenient vector.
fn take_fields(k: &mut Keys) -> Result<Vec<(String, String)>, String> {
    let mut fields = Vec::new();
    for key in ["kind", "nick", "to", "from", "code"] {
        if let Some(v) = k.string(key)? {
            fields.push((key.to_owned(), v));
        }
    }
    if let Some(t) = k.bytes("text", &[])? {
        fields.push(("text".to_owned(), escape_bytes(&t)));
    }
    if let Some(v) = k.take("nicks") {
        let Value::Array(items) = v else {
            return Err("`nicks` must be an array".into());
        };
        let nicks = items
            .iter()
            .map(|n| n.as_str().map(str::to_owned).ok_or("`nicks` holds strings"))
            .collect::<Result<Vec<_>, _>>()?;
        fields.push(("nicks".to_owned(), nicks.join(",")));
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
    if !fields.iter().any(|(n, _)| n == "kind") {
        return Err("a message needs `kind` (or the vector needs `error`)".into());
    }
    Ok(Outcome::Message(Expected {
        fields,
        terminator: k.string("terminator")?,
        canonical: k.bool("canonical")?,
        skipped: k.usize("skipped")?,
        len: k.usize("len")?,
    }))
}

fn field(name: &str, value: impl Into<String>) -> (String, String) {
    (name.to_owned(), value.into())
}

/// A message's fields, named as the vectors name them.
fn fields(m: &Message<'_>) -> Vec<(String, String)> {
    let kind = |k: &str| field("kind", k);
    let text = |t: &[u8]| field("text", escape_bytes(t));
    let mut f = match m {
        Message::Nickname(NicknameLine::Nickname(n)) => {
            vec![kind("nickname"), field("nick", n.as_str())]
        }
        Message::Nickname(NicknameLine::Quit) => vec![kind("quit")],
        Message::Chat(ChatLine::Public(p)) => vec![kind("public"), text(p.text().as_bytes())],
        Message::Chat(ChatLine::Private(p)) => vec![
            kind("private"),
            field("to", p.to().as_str()),
            text(p.text().as_bytes()),
        ],
        Message::Chat(c) => vec![kind(c.name())],
        Message::Server(s) => {
            let mut f = vec![kind(s.kind().name())];
            match s {
                ServerLine::List(l) => {
                    let nicks: Vec<_> = l.nicknames().iter().map(Nickname::as_str).collect();
                    f.push(field("nicks", nicks.join(",")));
                }
                ServerLine::Private(d) | ServerLine::Public(d) => {
                    f.push(field("from", d.from().as_str()));
                    f.push(text(d.text().as_bytes()));
                }
                ServerLine::Error(c) => f.push(field("code", c.as_str())),
                ServerLine::Join(n) | ServerLine::Leave(n) => f.push(field("nick", n.as_str())),
                ServerLine::Prompt | ServerLine::Notice | ServerLine::Ack => {}
            }
            f
        }
    };
    f.sort();
    f
}

/// A reading's fields, named as the vectors name them.
fn meaning_fields(m: &Meaning<'_>) -> Vec<(String, String)> {
    let mut f = vec![field("kind", m.name())];
    match m {
        Meaning::List(entries) => f.push(field("nicks", entries.join(","))),
        Meaning::Private { from, text } | Meaning::Public { from, text } => {
            f.push(field("from", from.as_str()));
            f.push(field("text", escape_bytes(text)));
        }
        Meaning::Error(c) => f.push(field("code", c.as_str())),
        Meaning::Join(n) | Meaning::Leave(n) => f.push(field("nick", n.as_str())),
        Meaning::Prompt | Meaning::Notice | Meaning::Ack | Meaning::Other => {}
    }
    f.sort();
    f
}

fn describe_message(d: &Decoded<Message<'_>>) -> String {
    format!(
        "message {{{}}} terminator={} canonical={} skipped={} len={}",
        describe_fields(&fields(&d.message)),
        d.terminator.name(),
        d.is_canonical(),
        d.skipped,
        d.len,
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
            if let Some(c) = m.canonical {
                s.push_str(&format!(" canonical={c}"));
            }
            if let Some(t) = &m.terminator {
                s.push_str(&format!(" terminator={t}"));
            }
            s
        }
    }
}

/// The expected fields are all there with these values; a whole-line
/// vector (`all`) names every field the message has.
fn fields_match(expected: &[(String, String)], actual: &[(String, String)], all: bool) -> bool {
    expected.iter().all(|e| actual.contains(e)) && (!all || expected.len() == actual.len())
}

fn message_matches(e: &Expected, d: &Decoded<Message<'_>>, all: bool) -> bool {
    fields_match(&e.fields, &fields(&d.message), all)
        && e.terminator
            .as_deref()
            .is_none_or(|t| t == d.terminator.name())
        && e.canonical.is_none_or(|c| c == d.is_canonical())
        && e.skipped.is_none_or(|n| n == d.skipped)
        && e.len.is_none_or(|n| n == d.len)
}

fn error_matches(e: &Error, i: &Invalid) -> bool {
    e.kind == i.kind.name() && e.field == i.field.name() && e.offset == i.offset
}

/// Compares one call's result; `Err` is the failure text.
fn check(
    expected: &Outcome,
    actual: &Result<Decoded<Message<'_>>, DecodeError>,
    all: bool,
) -> Result<(), String> {
    let ok = match (expected, actual) {
        (Outcome::Message(m), Ok(d)) => message_matches(m, d, all),
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
            ("nickname", Expect::Nickname),
            ("chat", Expect::Chat),
            ("server", Expect::Server),
        ],
    )
}

/// The per-vector metadata the coverage checks need.
#[derive(Default)]
struct Seen {
    name: String,
    errors: Vec<String>,
    /// `line/kind` of every message expected, e.g. `server/list`.
    kinds: Vec<String>,
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
    fn record(&mut self, line: &str, o: &Outcome) {
        match o {
            Outcome::Error(e) => self.errors.push(e.kind.clone()),
            Outcome::Message(m) => {
                for (k, v) in &m.fields {
                    if k == "kind" {
                        self.kinds.push(format!("{line}/{v}"));
                    }
                }
            }
            Outcome::Incomplete => {}
        }
    }
}

fn run_vector(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a vector", |k, seen: &mut Seen| {
        let line = k.required("line")?;
        let expect = line_kind(&line)?;
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let stream = k.take("stream");
        let outcome = expected(k)?;
        k.finish()?;
        seen.record(&line, &outcome);
        if let Outcome::Message(m) = &outcome {
            if m.canonical.is_none() || m.terminator.is_none() {
                return Err("a valid vector needs `canonical` and `terminator`".into());
            }
        }
        let mut failures = Vec::new();

        // 1. The whole-line decoder.
        let whole = decode(&input, expect).map_err(DecodeError::Invalid);
        if let Err(e) = check(&outcome, &whole, true) {
            failures.push(format!("decode: {e}"));
        }

        // 2. The encoder: encode(decode(b)) == b for canonical lines; the
        //    encoding of any accepted line decodes to the same message,
        //    canonically when it is ASCII.
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
            // Canonical unless it holds bytes that are not ASCII (§4.3) or
            // is no message (D14).
            let empty = matches!(d.message, Message::Chat(ChatLine::Empty));
            let canonical = wire.is_ascii() && !empty;
            match decode(&wire, expect) {
                Ok(again) if again.message == d.message && again.is_canonical() == canonical => {}
                other => failures.push(format!("re-decoding the encoding gave {other:?}")),
            }
        }

        // 3. The reader by meaning reads every canonical server line as the
        //    strict decoder does, with no deviation (§6.10 rule 0), knowing
        //    the users it is about.
        if let (Outcome::Message(m), Ok(d)) = (&outcome, &whole) {
            if let (Message::Server(s), Some(true)) = (&d.message, m.canonical) {
                failures.extend(rule_0_agrees(&input, s));
            }
        }

        // 4. The streaming decoder on the same bytes, at a read boundary.
        let streamed = decode_stream(&input, expect, End::Boundary);
        let compared = Streamed {
            same: check(&outcome, &streamed, true),
            waits: check(&Outcome::Incomplete, &streamed, true),
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

/// `read_line` on a canonical server line, knowing its user: the same
/// fields, no deviation.
fn rule_0_agrees(input: &[u8], s: &ServerLine<'_>) -> Option<String> {
    let user = match s {
        ServerLine::Private(d) | ServerLine::Public(d) => Some(d.from().clone()),
        ServerLine::Join(n) | ServerLine::Leave(n) => Some(n.clone()),
        _ => None,
    };
    let known: Vec<_> = user.into_iter().collect();
    match read_line(input, &known, Expectation::Nothing) {
        Ok(r)
            if r.is_canonical()
                && meaning_fields(&r.meaning) == fields(&Message::Server(s.clone())) =>
        {
            None
        }
        other => Some(format!("read_line gave {other:?}")),
    }
}

fn describe_reading(r: &Reading<'_>) -> String {
    format!(
        "{{{}}} deviations={:?} terminator={} rest={}",
        describe_fields(&meaning_fields(&r.meaning)),
        r.deviations.iter().map(|d| d.name()).collect::<Vec<_>>(),
        r.terminator.name(),
        escape_excerpt(r.rest, 40),
    )
}

fn expectation(name: &str) -> Result<LineKind, String> {
    let kinds: Vec<_> = LineKind::ALL.iter().map(|k| (k.name(), *k)).collect();
    one_of("expect", name, &kinds)
}

fn run_lenient(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a lenient vector", |k, seen: &mut Seen| {
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let known = match k.take("known") {
            Some(Value::Array(names)) => names
                .iter()
                .map(|n| {
                    let n = n.as_str().ok_or("`known` holds strings")?;
                    Nickname::owned(n.to_owned()).map_err(|e| format!("`known` {n:?}: {e}"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err("`known` (an array) is required".into()),
        };
        let expect = match k.string("expect")? {
            Some(kind) => Expectation::Kind(expectation(&kind)?),
            None => Expectation::Nothing,
        };
        let fields = take_fields(k)?;
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
        seen.kinds.extend(
            fields
                .iter()
                .filter(|(k, _)| k == "kind")
                .map(|(_, v)| format!("lenient/{v}")),
        );
        seen.deviations.extend(deviations.iter().cloned());
        let r = read_line(&input, &known, expect)
            .map_err(|e| format!("expected a reading, got {}", describe_invalid(&e)))?;
        let got_deviations: Vec<_> = r.deviations.iter().map(|d| d.name().to_owned()).collect();
        let ok = fields == meaning_fields(&r.meaning)
            && deviations == got_deviations
            && terminator == r.terminator.name()
            && r.rest.is_empty();
        if ok {
            Ok(())
        } else {
            Err(format!(
                "expected {{{}}} deviations={deviations:?} terminator={terminator}\n      got {}",
                describe_fields(&fields),
                describe_reading(&r)
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
    let mut dec = StreamDecoder::new(expect);
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

fn describe_event(e: &Event) -> String {
    match e {
        Event::Message(d) => describe_message(d),
        Event::Invalid(i) => describe_invalid(i),
    }
}

fn run_stream(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a stream", |k, seen: &mut Seen| {
        let direction = k.required("direction")?;
        let state = k.string("state")?;
        let expect = match (direction.as_str(), state.as_deref()) {
            ("to_server", Some("prompt")) => Expect::Nickname,
            ("to_server", Some("chat")) => Expect::Chat,
            ("to_client", None) => Expect::Server,
            other => return Err(format!("direction and state {other:?}")),
        };
        let line = match expect {
            Expect::Nickname => "nickname",
            Expect::Chat => "chat",
            Expect::Server => "server",
        };
        let input = k.bytes("input", &[])?.ok_or("`input` is required")?;
        let end = k.end()?;
        let items = k.items("expect")?;
        k.finish()?;
        let mut outcomes = Vec::new();
        let mut pos = 0;
        for (n, item) in items.iter().enumerate() {
            let outcome = match item {
                Value::String(s) if s == "incomplete" => Outcome::Incomplete,
                other => Keys::read(other, "an `expect` item", expected)?,
            };
            seen.record(line, &outcome);
            let actual = decode_stream(&input[pos..], expect, end);
            check(&outcome, &actual, false)
                .map_err(|e| format!("call {} (at byte {pos}): {e}", n + 1))?;
            let last = n + 1 == items.len();
            match actual {
                Ok(d) => pos += d.len,
                Err(DecodeError::Invalid(_)) => {
                    // The receiver drops the line through its LF (§3.3).
                    let from = pos + empty_lines(&input[pos..]);
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
            ("in one piece", buffered(expect, &[&input], boundary)),
            ("a byte at a time", buffered(expect, &bytewise, boundary)),
        ] {
            let agree = events.len() == outcomes.len()
                && events.iter().zip(&outcomes).all(|(ev, o)| match (ev, o) {
                    (Event::Message(d), Outcome::Message(m)) => message_matches(m, d, false),
                    (Event::Invalid(i), Outcome::Error(e)) => error_matches(e, i),
                    _ => false,
                });
            if !agree {
                return Err(format!(
                    "StreamDecoder fed {how} gave [{}], expected [{}]",
                    events
                        .iter()
                        .map(describe_event)
                        .collect::<Vec<_>>()
                        .join(", "),
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
fn vectors_cover_every_line_fault_deviation_and_decision() {
    let vectors = Vectors::load(VECTORS);
    for (kind, at_least) in [("vector", 75), ("lenient", 29), ("stream", 16)] {
        let n = vectors.array(kind).len();
        assert!(n >= at_least, "at least {at_least} [[{kind}]], found {n}");
    }
    let mut all = Seen::default();
    let mut names = Vec::new();
    for seen in vectors.seen(&KINDS) {
        names.push(seen.name);
        all.errors.extend(seen.errors);
        all.kinds.extend(seen.kinds);
        all.deviations.extend(seen.deviations);
    }
    let mut kinds = vec![
        "nickname/nickname".to_owned(),
        "nickname/quit".into(),
        "chat/public".into(),
        "chat/private".into(),
        "chat/quit".into(),
        "chat/empty".into(),
        "lenient/other".into(),
    ];
    for k in LineKind::ALL {
        kinds.push(format!("server/{}", k.name()));
    }
    for k in ["public", "private", "error", "ack", "leave", "join", "list"] {
        kinds.push(format!("lenient/{k}"));
    }
    let missing: Vec<_> = kinds.iter().filter(|k| !all.kinds.contains(k)).collect();
    assert!(missing.is_empty(), "no vector expects {missing:?}");
    // Every fault of papo §8.2 (the codec's own `trailing_bytes` and
    // `untrimmed` are not the wire's).
    let faults = [
        "line_too_long",
        "control_char",
        "empty_line",
        "bad_char",
        "nickname_too_long",
        "reserved",
        "unknown_line",
        "wording",
        "unknown_code",
        "empty_text",
        "bad_nick",
    ];
    let missing: Vec<_> = faults
        .iter()
        .filter(|k| !all.errors.iter().any(|e| e == *k))
        .collect();
    assert!(missing.is_empty(), "no vector expects faults {missing:?}");
    let missing: Vec<_> = ["wording", "not_ascii", "no_code"]
        .iter()
        .filter(|d| !all.deviations.iter().any(|s| s == *d))
        .collect();
    assert!(missing.is_empty(), "no lenient vector shows {missing:?}");
    // The decisions the codec can show; the others (D5, D6, D9, D15, D19,
    // D22–D24) are server behaviour, graded by the conformance suite.
    let decisions = [
        1, 2, 3, 4, 7, 8, 10, 11, 12, 13, 14, 16, 17, 18, 20, 21, 25, 26,
    ];
    let missing: Vec<_> = decisions
        .iter()
        .filter(|d| !names.iter().any(|n| n.starts_with(&format!("d{d}_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "no dN_ vector for decisions {missing:?} (papo §10)"
    );
}

/// The runner itself must be able to fail: a wrong expectation is caught.
#[test]
fn a_wrong_vector_fails() {
    let bad: Table = toml::from_str(
        r#"
        name = "wrong"
        section = "§5.4"
        line = "chat"
        input = "bia:oi\n"
        kind = "private"
        to = "ana"
        text = "oi"
        terminator = "lf"
        canonical = true
        "#,
    )
    .unwrap();
    let err = run_vector(&Value::Table(bad)).1.unwrap_err();
    assert!(err.contains("to=ana") && err.contains("to=bia"), "{err}");
    let lenient: Table = toml::from_str(
        "name = \"l\"\nsection = \"§6.10\"\ninput = \"[ana] oi\\n\"\nknown = [\"ana\"]\nkind = \"public\"\nfrom = \"ana\"\ntext = \"oi\"\ndeviations = []\nterminator = \"lf\"",
    )
    .unwrap();
    assert!(
        run_lenient(&Value::Table(lenient))
            .1
            .unwrap_err()
            .contains("wording")
    );
    let stream: Table = toml::from_str(
        "name = \"s\"\nsection = \"§3.3\"\ndirection = \"to_server\"\nstate = \"chat\"\ninput = \":a\\n:b\\n\"\nend = \"more\"\nexpect = [{ kind = \"public\" }]",
    )
    .unwrap();
    assert!(
        run_stream(&Value::Table(stream))
            .1
            .unwrap_err()
            .contains("left over")
    );
}
