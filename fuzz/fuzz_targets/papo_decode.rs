//! `papo_decode`: the papo decoders (spec/papo.md) on arbitrary bytes and
//! on streams of valid lines.
//!
//! Input layout (mutations stay meaningful):
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | selector: bits 0–1 what the lines are read as (0 nickname lines, 1 chat lines, 2–3 server lines); bit 2 mode (0 raw bytes, 1 `arbitrary` lines); bit 3, raw mode only, `End::Boundary` after every read instead of `End::More` |
//! | raw: 1 | `n`, the number of cut points (mod 32) |
//! | raw: 2 .. 2+n | the length of each read but the last |
//! | raw: rest | the bytes; the last read is whatever is left |
//! | lines: 1.. | `arbitrary` choices: lines, terminators, empty lines, cuts |
//!
//! What must hold:
//!
//! - **whole line** (papo §3.1): `decode` as each kind of line never
//!   panics; an accepted line uses every byte and re-encodes to exactly the
//!   input when canonical, and in any case to a line that decodes to the
//!   same message; an error points within the input and renders;
//! - **reader by meaning** (papo §6.10): `read_line` and `list_entry`
//!   never panic; deviations come in order, each once; a reading with none
//!   is a line the strict decoder accepts (rule 0); a split blob begins
//!   with the expected line;
//! - **raw stream** (papo §3.3): `StreamDecoder` fed the reads never
//!   panics, keeps at most the limit plus one byte buffered after each
//!   drain with `End::More`, and — with `End::More` after each read —
//!   yields the same messages and rejections however the bytes were cut as
//!   a stateless reader given them at once; every message it yields is what
//!   the whole-line decoder makes of its line;
//! - **lines**: valid lines of one kind, with any terminators and empty
//!   lines between them, cut anywhere, read back exactly (only LF frames).
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use gabarito_codec::papo::{
    ChatLine, DecodeError, End, Expect, Expectation, Invalid, LineKind, Message, Nickname,
    NicknameLine, ServerLine, StreamDecoder, Terminator, decode, decode_server_line, decode_stream,
    empty_lines, list_entry, read_line,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let expect = match selector & 3 {
        0 => Expect::Nickname,
        1 => Expect::Chat,
        _ => Expect::Server,
    };
    if selector & 4 != 0 {
        let _ = lines(expect, &mut Unstructured::new(rest));
        return;
    }
    let Some((&n, rest)) = rest.split_first() else {
        return;
    };
    let n = usize::from(n % 32).min(rest.len());
    let (lengths, mut bytes) = rest.split_at(n);
    let whole_input = bytes;
    let mut chunks = Vec::with_capacity(n + 1);
    for &len in lengths {
        let (chunk, tail) = bytes.split_at(usize::from(len).min(bytes.len()));
        chunks.push(chunk);
        bytes = tail;
    }
    chunks.push(bytes);

    for e in [Expect::Nickname, Expect::Chat, Expect::Server] {
        whole_line(whole_input, e);
    }
    by_meaning(whole_input);
    let boundary_each = selector & 8 != 0;
    let events = chunked(expect, &chunks, boundary_each);
    if !boundary_each {
        assert_eq!(
            events,
            at_once(expect, whole_input),
            "End::More decided differently for another cut"
        );
    }
});

/// The laws of an accepted whole line (DESIGN.md "codec": round trip).
fn whole_line(input: &[u8], expect: Expect) {
    match decode(input, expect) {
        Ok(d) => {
            assert_eq!(d.len, input.len(), "a whole line uses every byte");
            assert_eq!(d.skipped, 0, "a whole line skips nothing");
            let again = d.message.to_bytes();
            assert_eq!(again.len(), d.message.encoded_len());
            assert!(again.len() <= expect.max_len() + 1, "within the limit");
            if d.is_canonical() {
                assert_eq!(again, input, "a canonical line re-encodes to itself");
            }
            match decode(&again, expect) {
                Ok(d2) => {
                    assert_eq!(d2.message, d.message);
                    let empty = matches!(d.message, Message::Chat(ChatLine::Empty));
                    assert_eq!(d2.is_canonical(), again.is_ascii() && !empty);
                }
                Err(e) => panic!("the encoding {again:?} does not decode: {e}"),
            }
            assert_eq!(
                d.message.clone().into_owned(),
                d.message,
                "into_owned keeps the message"
            );
        }
        Err(e) => check_invalid(input, &e),
    }
}

fn check_invalid(input: &[u8], e: &Invalid) {
    assert!(
        e.offset <= input.len(),
        "error offset {} past the input's {} bytes: {e:?}",
        e.offset,
        input.len()
    );
    assert!(e.to_string().starts_with("byte "));
}

/// papo §6.10 on any line, knowing two users, with and without
/// expectations.
fn by_meaning(input: &[u8]) {
    let known = [
        Nickname::new("ana").expect("a nickname"),
        Nickname::new("Bia").expect("a nickname"),
    ];
    let ack = ServerLine::Ack;
    let expectations = [
        Expectation::Nothing,
        Expectation::Kind(LineKind::Leave),
        Expectation::Kind(LineKind::Error),
        Expectation::Line(&ack),
    ];
    for expect in expectations {
        match read_line(input, &known, expect) {
            Ok(r) => {
                let mut sorted = r.deviations.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted, r.deviations, "deviations in order, each once");
                if !r.rest.is_empty() {
                    assert!(input.starts_with(b"Mensagem enviada"), "{r:?}");
                    assert_eq!(r.terminator, Terminator::Absent);
                } else if r.deviations.is_empty() {
                    assert!(decode_server_line(input).is_ok(), "rule 0 on {input:?}");
                }
            }
            Err(e) => check_invalid(input, &e),
        }
    }
    if let Some(entry) = list_entry(input) {
        assert!(!entry.is_empty());
    }
}

/// One event of a stream.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    Message {
        message: Message<'static>,
        terminator: Terminator,
        skipped: usize,
        len: usize,
    },
    Invalid(Invalid),
}

/// `StreamDecoder` fed `chunks`, drained after each; then a boundary.
fn chunked(expect: Expect, chunks: &[&[u8]], boundary_each: bool) -> Vec<Event> {
    let mut dec = StreamDecoder::new(expect);
    let mut events = Vec::new();
    let end = if boundary_each {
        End::Boundary
    } else {
        End::More
    };
    for chunk in chunks {
        dec.push(chunk);
        drain(&mut dec, end, &mut events);
    }
    drain(&mut dec, End::Boundary, &mut events);
    assert!(dec.pending().is_empty(), "a boundary leaves nothing");
    events
}

fn drain(dec: &mut StreamDecoder, end: End, events: &mut Vec<Event>) {
    loop {
        match dec.next(end) {
            Ok(Some(d)) => {
                assert!(d.len > 0 && d.skipped < d.len);
                events.push(Event::Message {
                    message: d.message,
                    terminator: d.terminator,
                    skipped: d.skipped,
                    len: d.len,
                });
            }
            Ok(None) => break,
            Err(r) => {
                assert!(!r.line.is_empty(), "a rejection drops the line's bytes");
                events.push(Event::Invalid(r.invalid));
            }
        }
    }
    assert!(
        dec.pending().len() <= dec.expect().max_len() + 1,
        "{} bytes buffered",
        dec.pending().len()
    );
}

/// A stateless reader given every byte at once: `decode_stream` with
/// `End::More` until it waits, then `End::Boundary`; after an invalid line
/// it drops the line through its LF (papo §3.3). The reference the chunked
/// reads must agree with. Each message is also checked against the
/// whole-line decoder over its own bytes.
fn at_once(expect: Expect, bytes: &[u8]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut pos = 0;
    for end in [End::More, End::Boundary] {
        while pos < bytes.len() {
            match decode_stream(&bytes[pos..], expect, end) {
                Ok(d) => {
                    let line = &bytes[pos + d.skipped..pos + d.len];
                    match decode(line, expect) {
                        Ok(w) => assert_eq!(w.message, d.message),
                        Err(e) => panic!("the stream's line {line:?} fails whole: {e}"),
                    }
                    pos += d.len;
                    events.push(Event::Message {
                        message: d.message.into_owned(),
                        terminator: d.terminator,
                        skipped: d.skipped,
                        len: d.len,
                    });
                }
                Err(DecodeError::Incomplete { .. }) => break,
                Err(DecodeError::Invalid(e)) => {
                    let from = pos + empty_lines(&bytes[pos..]);
                    pos = bytes[from..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |lf| from + lf + 1);
                    events.push(Event::Invalid(e));
                }
            }
        }
    }
    events
}

/// Valid lines of one kind, glued with any terminators and empty lines,
/// cut anywhere: they read back exactly.
fn lines(expect: Expect, u: &mut Unstructured<'_>) -> Result<()> {
    let count = u.int_in_range(1..=8u8)?;
    let mut msgs = Vec::new();
    for _ in 0..count {
        msgs.push(match expect {
            Expect::Nickname => Message::Nickname(NicknameLine::arbitrary(u)?),
            Expect::Chat => Message::Chat(ChatLine::arbitrary(u)?),
            Expect::Server => Message::Server(ServerLine::arbitrary(u)?),
        });
    }
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for (i, m) in msgs.iter().enumerate() {
        let line = m.to_bytes();
        let content = &line[..line.len() - 1];
        let empties: &[u8] = match u.int_in_range(0..=5u8)? {
            0 => b"\n",
            1 => b" \t\r\n",
            2 => b"\n\r\n  \n",
            _ => b"",
        };
        let terminator = match u.int_in_range(0..=3u8)? {
            0 => Terminator::CrLf,
            1 if i + 1 == msgs.len() => Terminator::Absent,
            _ => Terminator::Lf,
        };
        wire.extend_from_slice(empties);
        wire.extend_from_slice(content);
        wire.extend_from_slice(terminator.as_bytes());
        expected.push(Event::Message {
            message: m.clone(),
            terminator,
            skipped: empties.len(),
            len: empties.len() + content.len() + terminator.as_bytes().len(),
        });
    }
    let mut cuts = Vec::new();
    while !u.is_empty() && cuts.len() < 32 {
        cuts.push(u.choose_index(wire.len() + 1)?);
    }
    cuts.sort_unstable();
    let mut chunks = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain([&wire.len()]) {
        chunks.push(&wire[from..to]);
        from = to;
    }
    let events = chunked(expect, &chunks, false);
    assert_eq!(
        events, expected,
        "the stream {wire:?} cut at {cuts:?} read back differently"
    );
    Ok(())
}
