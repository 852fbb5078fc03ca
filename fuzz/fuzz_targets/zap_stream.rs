//! `zap_stream`: the streaming decoder (zap §3.4) through `StreamDecoder`.
//!
//! The input's first byte picks a mode (layout in `gabarito_fuzz::chunks`):
//!
//! - **raw bytes**, cut into reads, fed with either end mode (`End::More`
//!   after each read then `End::Boundary`, or `End::Boundary` after each).
//!   Never panics; every frame consumes bytes and agrees with the
//!   whole-frame decoder; every error can be stepped over (§3.6); after each
//!   drain at most `MAX_UNDECIDED` bytes stay buffered. With `End::More`, a
//!   decision is final: a strict reader (§10.1) sees the same frames and the
//!   same first error however the bytes were cut, as when they all arrive
//!   at once.
//! - **messages**: `Arbitrary` valid messages of one direction, glued (with
//!   line breaks where §3.5 allows them), cut at arbitrary points and fed
//!   with `End::More` then `End::Boundary`, read back exactly — whenever
//!   `gabarito_fuzz::glue` says §3.4 promises it.
#![no_main]

use arbitrary::{Arbitrary, Result, Unstructured};
use gabarito_codec::zap::{DecodeError, Direction, End, Message, StreamDecoder, decode_stream};
use gabarito_fuzz::chunks::{self, Reads, StreamInput};
use gabarito_fuzz::glue::glue;
use gabarito_fuzz::reader::{Event, drain, leading_breaks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match chunks::parse(data) {
        Some(StreamInput::Raw {
            dir,
            reads,
            chunks,
            whole,
        }) => raw(dir, reads, &chunks, whole),
        Some(StreamInput::Messages { dir, choices }) => {
            let _ = messages(dir, &mut Unstructured::new(choices));
        }
        None => {}
    }
});

fn raw(dir: Direction, reads: Reads, chunks: &[&[u8]], whole: &[u8]) {
    // Tolerant, so the bound and progress are checked past every error.
    let mut dec = StreamDecoder::new(dir);
    let mut events = Vec::new();
    for chunk in chunks {
        dec.push(chunk);
        drain(&mut dec, reads.end_of_read(), true, &mut events);
    }
    drain(&mut dec, End::Boundary, true, &mut events);

    if reads == Reads::MoreThenBoundary {
        let strict = |events: &[Event]| -> Vec<Event> {
            let first_error = events
                .iter()
                .position(|e| matches!(e, Event::Invalid { .. }));
            events[..first_error.map_or(events.len(), |i| i + 1)].to_vec()
        };
        assert_eq!(
            strict(&events),
            at_once(dir, whole),
            "End::More decided differently for another cut"
        );
    }
}

/// A strict reader given every byte in one read, straight through
/// `decode_stream`: the reference the chunked reads must agree with.
fn at_once(dir: Direction, bytes: &[u8]) -> Vec<Event> {
    let mut events = Vec::new();
    let mut pos = 0;
    for end in [End::More, End::Boundary] {
        while pos < bytes.len() {
            match decode_stream(&bytes[pos..], dir, end) {
                Ok(d) => {
                    assert!(d.len >= 1);
                    pos += d.len;
                    events.push(Event::Frame {
                        message: d.message.into_owned(),
                        skipped: d.skipped,
                        len: d.len,
                    });
                }
                Err(DecodeError::Incomplete { .. }) => break,
                Err(DecodeError::Invalid(e)) => {
                    let offset = e.offset - leading_breaks(&bytes[pos..]);
                    events.push(Event::Invalid {
                        offset,
                        field: e.field,
                        kind: e.kind,
                    });
                    return events;
                }
            }
        }
    }
    events
}

fn messages(dir: Direction, u: &mut Unstructured<'_>) -> Result<()> {
    let count = u.int_in_range(1..=8u8)?;
    let mut msgs = Vec::new();
    for _ in 0..count {
        let m = Message::arbitrary(u)?;
        if m.code().direction() == dir {
            msgs.push(m);
        }
    }
    let breaks = u8::arbitrary(u)?;
    let Some(glued) = glue(&msgs, dir, |i| breaks >> (i % 8) & 1 == 1) else {
        return Ok(());
    };
    let wire = &glued.wire;
    let mut cuts = Vec::new();
    while !u.is_empty() && cuts.len() < 32 {
        cuts.push(u.choose_index(wire.len() + 1)?);
    }
    cuts.sort_unstable();

    let mut dec = StreamDecoder::new(dir);
    let mut events = Vec::new();
    let mut from = 0;
    for &to in cuts.iter().chain([&wire.len()]) {
        dec.push(&wire[from..to]);
        from = to;
        assert!(
            drain(&mut dec, End::More, false, &mut events),
            "valid stream rejected: {events:?}"
        );
    }
    assert!(
        drain(&mut dec, End::Boundary, false, &mut events),
        "valid stream rejected: {events:?}"
    );
    assert!(
        dec.pending().is_empty(),
        "{} bytes left over",
        dec.pending().len()
    );
    let expected: Vec<Event> = glued
        .expected
        .into_iter()
        .map(|e| Event::Frame {
            message: e.message,
            skipped: e.skipped,
            len: e.len,
        })
        .collect();
    assert_eq!(
        events, expected,
        "the stream {wire:?} cut at {cuts:?} read back differently"
    );
    Ok(())
}
