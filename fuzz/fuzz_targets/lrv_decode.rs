//! `lrv_decode`: the LRV decoders (spec/lrv.md) on arbitrary bytes and on
//! streams of valid messages.
//!
//! Input layout (so seeds can be written by `seeds.py` and mutations stay
//! meaningful):
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | selector: bits 0–1 the first line expected (0 request, 1 greeting then replies, 2 reply, 3 request); bit 2 mode (0 raw bytes, 1 `arbitrary` messages); bit 3, raw mode only, `End::Boundary` after every read instead of `End::More` |
//! | raw: 1 | `n`, the number of cut points (mod 32) |
//! | raw: 2 .. 2+n | the length of each read but the last |
//! | raw: rest | the bytes; the last read is whatever is left |
//! | messages: 1.. | `arbitrary` choices: messages, terminators, empty lines, cuts |
//!
//! What must hold:
//!
//! - **whole line** (lrv §3.1): `decode` as each kind of line and
//!   `extract_reply` never panic; an accepted line uses every byte and
//!   re-encodes to exactly the input when canonical, otherwise to its
//!   content and one LF; an error points within the input and renders; a
//!   reply the strict decoder accepts, the tolerant reader (lrv §7.5) reads
//!   the same, with no deviation;
//! - **raw stream** (lrv §3.3): `StreamDecoder` fed the reads never panics,
//!   keeps at most the limit plus one byte buffered after each drain, and —
//!   with `End::More` after each read — yields the same messages and
//!   rejections however the bytes were cut as a stateless reader given them
//!   at once; every message it yields is what the whole-line decoder makes
//!   of its line;
//! - **messages**: valid messages of one direction, with any terminators
//!   and empty lines between them, cut anywhere, read back exactly (LRV's
//!   framing has no ambiguity: only LF delimits).
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use gabarito_codec::lrv::{
    DecodeError, Direction, End, Expect, Invalid, Message, Reply, Request, StreamDecoder,
    Terminator, decode, decode_reply, decode_stream, empty_lines, extract_reply,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let first = match selector & 3 {
        1 => Expect::Greeting,
        2 => Expect::Reply,
        _ => Expect::Request,
    };
    if selector & 4 != 0 {
        let _ = messages(first, &mut Unstructured::new(rest));
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

    for expect in [Expect::Request, Expect::Greeting, Expect::Reply] {
        whole_line(whole_input, expect);
    }
    tolerant(whole_input);
    let boundary_each = selector & 8 != 0;
    let events = chunked(first, &chunks, boundary_each);
    if !boundary_each {
        assert_eq!(
            events,
            at_once(first, whole_input),
            "End::More decided differently for another cut"
        );
    }
});

/// The laws of an accepted whole line (docs/ARCHITECTURE.md, "codec": round trip).
fn whole_line(input: &[u8], expect: Expect) {
    match decode(input, expect) {
        Ok(d) => {
            assert_eq!(d.len, input.len(), "a whole line uses every byte");
            assert_eq!(d.skipped, 0, "a whole line skips nothing");
            let again = d.message.to_bytes();
            assert_eq!(again.len(), d.message.encoded_len());
            if d.is_canonical() {
                assert_eq!(again, input, "a canonical line re-encodes to itself");
            } else {
                let content = &input[..input.len() - d.terminator.as_bytes().len()];
                assert_eq!(
                    &again[..again.len() - 1],
                    content,
                    "only the terminator changes"
                );
            }
            match decode(&again, expect) {
                Ok(d2) => {
                    assert!(d2.is_canonical());
                    assert_eq!(d2.message, d.message);
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

/// lrv §7.5: whatever the strict decoder accepts, the tolerant reader reads
/// the same, with no deviation; its own answers are consistent.
fn tolerant(input: &[u8]) {
    let x = match extract_reply(input) {
        Ok(x) => x,
        Err(e) => {
            check_invalid(input, &e);
            assert!(
                decode_reply(input).is_err(),
                "strict accepts what tolerant refuses"
            );
            return;
        }
    };
    let mut sorted = x.deviations.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, x.deviations, "deviations are sorted, each once");
    if let Ok(d) = decode_reply(input) {
        assert!(x.deviations.is_empty(), "{x:?} for the strict {d:?}");
        assert_eq!(x.terminator, d.terminator);
        assert_eq!(x.reply(), Some(d.message.into_owned()));
    }
    if let Some(r) = x.reply() {
        assert_eq!(r.code(), x.code);
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
fn chunked(first: Expect, chunks: &[&[u8]], boundary_each: bool) -> Vec<Event> {
    let mut dec = StreamDecoder::expecting(first);
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
/// it drops the line through its LF (lrv §3.3). The reference the chunked
/// reads must agree with. Each message is also checked against the
/// whole-line decoder over its own bytes.
fn at_once(first: Expect, bytes: &[u8]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut expect = first;
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
            expect = expect.after();
        }
    }
    events
}

/// Valid messages, glued with any terminators and empty lines, cut
/// anywhere: they read back exactly.
fn messages(first: Expect, u: &mut Unstructured<'_>) -> Result<()> {
    let dir = first.direction();
    let count = u.int_in_range(1..=8u8)?;
    let mut msgs = Vec::new();
    for i in 0..count {
        let m = match (dir, i) {
            (Direction::ToServer, _) => Message::Request(Request::arbitrary(u)?),
            (Direction::ToClient, 0) if first == Expect::Greeting => {
                Message::Greeting(gabarito_codec::lrv::Greeting::arbitrary(u)?)
            }
            (Direction::ToClient, _) => Message::Reply(Reply::arbitrary(u)?),
        };
        msgs.push(m);
    }
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for (i, m) in msgs.iter().enumerate() {
        let line = m.to_bytes();
        let content = &line[..line.len() - 1];
        let empties: &[u8] = match u.int_in_range(0..=5u8)? {
            0 => b"\n",
            1 => b"\r\n",
            2 => b"\n\r\n\n",
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
    let events = chunked(first, &chunks, false);
    assert_eq!(
        events, expected,
        "the stream {wire:?} cut at {cuts:?} read back differently"
    );
    Ok(())
}
