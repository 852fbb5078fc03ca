//! Runs every vector of `spec/vectors/zap.toml` against the codec.
//!
//! The file's header documents its format; this runner implements exactly
//! that format, so adding a vector adds a check without touching Rust. All
//! failures are reported together, each with the vector's name, what was
//! expected and what the codec did. What the zap and LRV runners share
//! (tables read key by key, byte-string pieces, `stream`, the run over
//! every vector) is the test kit's (`test-kit/src/vectors.rs`).

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use gabarito_test_kit::vectors as common;

use std::collections::BTreeSet;

use common::{Keys, Piece, Runner, Streamed, Vectors, check_stream, describe_fields, hex, one_of};
use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::zap::{
    Code, DecodeError, Decoded, Direction, End, Field, Invalid, decode, decode_stream,
};
use toml::{Table, Value};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/vectors/zap.toml");

/// zap's byte strings have no pieces beyond those every file has.
const PIECES: &[Piece] = &[];

/// What a call is expected to return.
#[derive(Debug)]
enum Outcome {
    Frame(Frame),
    Error(Error),
    Incomplete,
}

#[derive(Debug)]
struct Frame {
    /// `(name, value)` sorted by name; members joined with `,`.
    fields: Vec<(String, String)>,
    canonical: Option<bool>,
    nul_bytes: Option<usize>,
    zero_members: Option<usize>,
    skipped: Option<usize>,
    len: Option<usize>,
}

#[derive(Debug)]
struct Error {
    kind: String,
    field: String,
    offset: usize,
    slot: Option<u8>,
}

const FIELD_KEYS: [&str; 9] = [
    "code",
    "id",
    "src",
    "dst",
    "group",
    "creator",
    "timestamp",
    "data",
    "members",
];

/// Takes the expected outcome out of a vector or an `expect` item.
fn expected(k: &mut Keys) -> Result<Outcome, String> {
    if let Some(e) = k.take("error") {
        let err = Keys::read(&e, "`error`", |ek| {
            Ok(Error {
                kind: ek.required("kind")?,
                field: ek.required("field")?,
                offset: ek.usize("offset")?.ok_or("`error.offset` is required")?,
                slot: ek.usize("slot")?.map(|s| s as u8),
            })
        })?;
        if let Some(stray) = FIELD_KEYS.iter().find(|f| k.has(f)) {
            return Err(format!(
                "an error vector cannot also expect field `{stray}`"
            ));
        }
        return Ok(Outcome::Error(err));
    }
    let mut fields = Vec::new();
    for key in FIELD_KEYS {
        let value = match key {
            "data" => match k.bytes("data", PIECES)? {
                Some(b) => Some(
                    String::from_utf8(b).map_err(|_| "`data` must be valid UTF-8".to_string())?,
                ),
                None => None,
            },
            "members" => match k.take("members") {
                None => None,
                Some(Value::Array(ids)) => Some(
                    ids.iter()
                        .map(|v| {
                            v.as_str()
                                .map(str::to_owned)
                                .ok_or("`members` must hold strings")
                        })
                        .collect::<Result<Vec<_>, _>>()?
                        .join(","),
                ),
                Some(other) => return Err(format!("`members` must be an array, found {other}")),
            },
            _ => k.string(key)?,
        };
        if let Some(v) = value {
            fields.push((key.to_owned(), v));
        }
    }
    if !fields.iter().any(|(k, _)| k == "code") {
        return Err("a frame needs `code` (or the vector needs `error`)".into());
    }
    fields.sort();
    Ok(Outcome::Frame(Frame {
        fields,
        canonical: k.bool("canonical")?,
        nul_bytes: k.usize("nul_bytes")?,
        zero_members: k.usize("zero_members")?,
        skipped: k.usize("skipped")?,
        len: k.usize("len")?,
    }))
}

/// The decoded message's fields in the vectors' normal form.
fn actual_fields(d: &Decoded<'_>) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let mut members = Vec::new();
    for (name, value) in d.message.fields() {
        if name == "member" {
            members.push(value);
        } else {
            fields.push((name.to_owned(), value));
        }
    }
    if matches!(d.message.code(), Code::CreateGroup | Code::GroupCreated) {
        fields.push(("members".to_owned(), members.join(",")));
    }
    fields.sort();
    fields
}

fn describe_frame(d: &Decoded<'_>) -> String {
    format!(
        "frame {{{}}} canonical={} nul_bytes={} zero_members={} skipped={} len={}",
        describe_fields(&actual_fields(d)),
        d.is_canonical(),
        d.padding.nul_bytes,
        d.padding.zero_members,
        d.skipped,
        d.len
    )
}

fn describe_invalid(i: &Invalid) -> String {
    let slot = match i.field {
        Field::Member(s) => format!(" slot={s}"),
        _ => String::new(),
    };
    format!(
        "error {{kind={} field={}{slot} offset={}}} ({i})",
        i.kind.name(),
        i.field.name(),
        i.offset
    )
}

fn describe_expected(o: &Outcome) -> String {
    match o {
        Outcome::Incomplete => "incomplete".into(),
        Outcome::Error(e) => {
            let slot = e.slot.map(|s| format!(" slot={s}")).unwrap_or_default();
            format!(
                "error {{kind={} field={}{slot} offset={}}}",
                e.kind, e.field, e.offset
            )
        }
        Outcome::Frame(f) => {
            let mut s = format!("frame {{{}}}", describe_fields(&f.fields));
            for (name, v) in [
                ("nul_bytes", f.nul_bytes),
                ("zero_members", f.zero_members),
                ("skipped", f.skipped),
                ("len", f.len),
            ] {
                if let Some(v) = v {
                    s.push_str(&format!(" {name}={v}"));
                }
            }
            if let Some(c) = f.canonical {
                s.push_str(&format!(" canonical={c}"));
            }
            s
        }
    }
}

fn frame_matches(f: &Frame, d: &Decoded<'_>) -> bool {
    f.fields == actual_fields(d)
        && f.canonical.is_none_or(|c| c == d.is_canonical())
        && f.nul_bytes.is_none_or(|n| n == d.padding.nul_bytes)
        && f.zero_members.is_none_or(|n| n == d.padding.zero_members)
        && f.skipped.is_none_or(|n| n == d.skipped)
        && f.len.is_none_or(|n| n == d.len)
}

fn error_matches(e: &Error, i: &Invalid) -> bool {
    let slot_ok = match (e.slot, i.field) {
        (None, _) => true,
        (Some(s), Field::Member(actual)) => s == actual,
        (Some(_), _) => false,
    };
    e.kind == i.kind.name() && e.field == i.field.name() && e.offset == i.offset && slot_ok
}

/// Compares one call's result; `Err` is the failure text.
fn check(expected: &Outcome, actual: &Result<Decoded<'_>, DecodeError>) -> Result<(), String> {
    let ok = match (expected, actual) {
        (Outcome::Frame(f), Ok(d)) => frame_matches(f, d),
        (Outcome::Error(e), Err(DecodeError::Invalid(i))) => error_matches(e, i),
        (Outcome::Incomplete, Err(DecodeError::Incomplete { .. })) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let got = match actual {
        Ok(d) => describe_frame(d),
        Err(DecodeError::Invalid(i)) => describe_invalid(i),
        Err(DecodeError::Incomplete { have }) => format!("incomplete ({have} bytes)"),
    };
    Err(format!(
        "expected {}\n      got {got}",
        describe_expected(expected)
    ))
}

fn direction(name: &str) -> Result<Direction, String> {
    one_of(
        "direction",
        name,
        &[
            ("to_server", Direction::ToServer),
            ("to_client", Direction::ToClient),
        ],
    )
}

/// The per-vector metadata the meta-checks need.
struct Seen {
    name: String,
    errors: Vec<String>,
    codes: Vec<String>,
}

impl common::Seen for Seen {
    fn named(name: String) -> Self {
        Seen {
            name,
            errors: vec![],
            codes: vec![],
        }
    }

    fn name(&self) -> &str {
        &self.name
    }
}

fn run_vector(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a vector", |k, seen: &mut Seen| {
        let input = match (k.bytes("frame", PIECES)?, k.string("hex")?) {
            (Some(b), None) => b,
            (None, Some(h)) => hex(&h)?,
            _ => return Err("exactly one of `frame` and `hex` is required".into()),
        };
        let dir = match k.string("direction")? {
            Some(d) => direction(&d)?,
            None => input
                .get(..2)
                .and_then(|c| Code::from_bytes([c[0], c[1]]))
                .map_or(Direction::ToServer, Code::direction),
        };
        let stream = k.take("stream");
        let outcome = expected(k)?;
        k.finish()?;
        match &outcome {
            Outcome::Error(e) => seen.errors.push(e.kind.clone()),
            Outcome::Frame(f) => {
                seen.codes.extend(
                    f.fields
                        .iter()
                        .filter(|(k, _)| k == "code")
                        .map(|(_, v)| v.clone()),
                );
                if f.canonical.is_none() {
                    return Err("a valid vector needs `canonical`".into());
                }
            }
            Outcome::Incomplete => {}
        }
        let mut failures = Vec::new();

        // 1. The whole-frame decoder.
        let whole = decode(&input).map_err(DecodeError::Invalid);
        if let Err(e) = check(&outcome, &whole) {
            failures.push(format!("decode: {e}"));
        }

        // 2. The encoder: encode(decode(b)) == b for canonical frames, and
        //    the unpadded form decodes to the same message otherwise.
        if let (Outcome::Frame(f), Ok(d)) = (&outcome, &whole) {
            let wire = d.message.to_bytes();
            if f.canonical == Some(true) && wire != input {
                failures.push(format!(
                    "encode(decode(frame)) differs:\n      frame   {}\n      encoded {}",
                    escape_excerpt(&input, 80),
                    escape_excerpt(&wire, 80)
                ));
            }
            match decode(&wire) {
                Ok(again) if again.message == d.message && again.is_canonical() => {}
                other => failures.push(format!("re-decoding the encoding gave {other:?}")),
            }
        }

        // 3. The streaming decoder on the same bytes, at a read boundary.
        let streamed = decode_stream(&input, dir, End::Boundary);
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

fn run_stream(value: &Value) -> (Seen, Result<(), String>) {
    common::run(value, "a stream", |k, seen: &mut Seen| {
        let dir = direction(&k.required("direction")?)?;
        let input = match (k.bytes("input", PIECES)?, k.string("hex")?) {
            (Some(b), None) => b,
            (None, Some(h)) => hex(&h)?,
            _ => return Err("exactly one of `input` and `hex` is required".into()),
        };
        let end = k.end()?;
        let items = k.items("expect")?;
        k.finish()?;
        let mut pos = 0;
        for (n, item) in items.iter().enumerate() {
            let outcome = match item {
                Value::String(s) if s == "incomplete" => Outcome::Incomplete,
                other => Keys::read(other, "an `expect` item", expected)?,
            };
            match &outcome {
                Outcome::Error(e) => seen.errors.push(e.kind.clone()),
                Outcome::Frame(f) => seen.codes.extend(
                    f.fields
                        .iter()
                        .filter(|(k, _)| k == "code")
                        .map(|(_, v)| v.clone()),
                ),
                Outcome::Incomplete => {}
            }
            let actual = decode_stream(&input[pos..], dir, end);
            check(&outcome, &actual).map_err(|e| format!("call {} (at byte {pos}): {e}", n + 1))?;
            match (&outcome, actual) {
                (Outcome::Frame(_), Ok(d)) => pos += d.len,
                _ if n + 1 == items.len() => return Ok(()),
                _ => return Err(format!("items after call {} can never be reached", n + 1)),
            }
        }
        if pos == input.len() {
            Ok(())
        } else {
            Err(format!(
                "{} bytes left over: {}",
                input.len() - pos,
                escape_excerpt(&input[pos..], 60)
            ))
        }
    })
}

const KINDS: [(&str, Runner<Seen>); 2] = [("vector", run_vector), ("stream", run_stream)];

#[test]
fn every_vector_passes() {
    Vectors::load(VECTORS).every_vector_passes(&KINDS);
}

#[test]
fn vectors_cover_every_code_error_and_decision() {
    let mut names = Vec::new();
    let mut errors = BTreeSet::new();
    let mut codes = BTreeSet::new();
    for seen in Vectors::load(VECTORS).seen(&KINDS) {
        names.push(seen.name);
        errors.extend(seen.errors);
        codes.extend(seen.codes);
    }
    assert!(
        names.len() >= 80,
        "at least 80 vectors, found {}",
        names.len()
    );
    let missing_codes: Vec<_> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !codes.contains(*c))
        .collect();
    assert!(
        missing_codes.is_empty(),
        "no valid vector for codes {missing_codes:?}"
    );
    let kinds = [
        "unknown_code",
        "wrong_direction",
        "not_digits",
        "invalid_utf8",
        "too_many_chars",
        "nul_in_data",
        "too_many_members",
        "too_few_members",
        "partial_member",
        "truncated",
        "trailing_bytes",
    ];
    let missing_kinds: Vec<_> = kinds.iter().filter(|k| !errors.contains(**k)).collect();
    assert!(
        missing_kinds.is_empty(),
        "no vector expects error kinds {missing_kinds:?}"
    );
    let missing_decisions: Vec<_> = (1..=17)
        .filter(|d| !names.iter().any(|n| n.starts_with(&format!("d{d}_"))))
        .collect();
    assert!(
        missing_decisions.is_empty(),
        "no dN_ vector for decisions {missing_decisions:?} (zap §12)"
    );
}

/// The runner itself must be able to fail: a wrong expectation is caught.
#[test]
fn a_wrong_vector_fails() {
    let bad: Table = toml::from_str(
        r#"
        name = "wrong"
        section = "§5.3"
        frame = "032000000000001"
        code = "03"
        id = "2000000000002"
        canonical = true
        "#,
    )
    .unwrap();
    let (_, result) = run_vector(&Value::Table(bad));
    let err = result.unwrap_err();
    assert!(
        err.contains("id=2000000000002") && err.contains("id=2000000000001"),
        "{err}"
    );
    let typo: Table = toml::from_str("name = \"t\"\nsection = \"§1\"\nframe = \"01\"\ncode = \"01\"\ncanonical = true\ncanonicl = true").unwrap();
    assert!(
        run_vector(&Value::Table(typo))
            .1
            .unwrap_err()
            .contains("canonicl")
    );
}
