//! Readers over [`StreamDecoder`] that check, at every step, the two things
//! a receiver facing a hostile peer relies on: progress (every frame
//! consumes bytes, every error can be stepped over) and bounded buffering.

use gabarito_codec::zap::{
    Decoded, Direction, End, Field, Kind, MAX_FRAME_LEN, Message, StreamDecoder, decode,
};

use crate::laws::check_invalid;

/// The most bytes a [`StreamDecoder`] may hold undecided after it has been
/// drained (it answered `Ok(None)`, "wait"): a 05/06 that has reached 218
/// characters (`MAX_FRAME_LEN`, 910 bytes, zap §3.1) followed by the first
/// 37 bytes of what may be a glued 05/06 header (38 bytes, zap §3.4 R3:
/// "if the buffer ends while the bytes so far could still be such a header,
/// wait"). Every other wait is shorter: a fixed frame or header prefix (≤ 37
/// bytes, R2), a UTF-8 character cut short (R5), a member list (≤ 129 + 37).
///
/// Line breaks at the head of the buffer count too: `StreamDecoder` drops
/// them as soon as it sees them (zap §3.5), so a peer sending nothing but
/// line breaks cannot grow its buffer (this target found that it once did).
pub const MAX_UNDECIDED: usize = MAX_FRAME_LEN + 37;

/// What a receiver saw, in order: comparable across chunkings. An error's
/// offset counts from the first byte after any line breaks before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Frame {
        message: Message<'static>,
        skipped: usize,
        len: usize,
    },
    /// `found` is left out: it quotes the buffer, which depends on how much
    /// had arrived.
    Invalid {
        offset: usize,
        field: Field,
        kind: Kind,
    },
}

/// Takes every frame the decoder can decide with `end`. On an error, a
/// strict reader (the reference server, zap §10.1) stops and returns
/// `false`; a tolerant one (§3.6) drops the garbage and goes on.
pub fn drain(dec: &mut StreamDecoder, end: End, tolerant: bool, events: &mut Vec<Event>) -> bool {
    // Each turn consumes at least one byte, so this many turns suffice.
    for _ in 0..=dec.pending().len() {
        let before = dec.pending().to_vec();
        match dec.next(end) {
            Ok(Some(d)) => {
                check_frame(&before, dec.pending().len(), dec.direction(), &d);
                events.push(Event::Frame {
                    message: d.message,
                    skipped: d.skipped,
                    len: d.len,
                });
            }
            Ok(None) => {
                let undecided = dec.pending().len();
                assert!(
                    undecided <= MAX_UNDECIDED,
                    "{undecided} bytes undecided (bound {MAX_UNDECIDED}) after {end:?}"
                );
                return true;
            }
            Err(e) => {
                // Line breaks before the bad bytes may be dropped already
                // (zap §3.5: skipped); the offset then counts from after
                // them. Normalised that way, events compare across cuts.
                let breaks = leading_breaks(&before);
                let dropped = before.len() - dec.pending().len();
                assert!(
                    dropped == 0 || dropped == breaks,
                    "an error dropped {dropped} bytes"
                );
                assert_eq!(
                    dec.pending(),
                    &before[dropped..],
                    "an error leaves the bad bytes buffered"
                );
                check_invalid(&before[dropped..], &e);
                events.push(Event::Invalid {
                    offset: e.offset + dropped - breaks,
                    field: e.field,
                    kind: e.kind,
                });
                if !tolerant {
                    return false;
                }
                let garbage = dec.skip_garbage();
                assert!(
                    !garbage.is_empty(),
                    "skip_garbage must make progress (zap §3.6)"
                );
                assert_eq!(&before[dropped..dropped + garbage.len()], &garbage[..]);
            }
        }
    }
    panic!("the decoder neither waited nor ran out of bytes");
}

/// CR/LF bytes at the start of `bytes` (zap §3.5).
pub fn leading_breaks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count()
}

/// A frame taken off a buffer that held `before` and now holds `after`
/// bytes: it consumed at least one byte (progress), its own bytes are the
/// last ones consumed, anything consumed before them was CR/LF (zap §3.5),
/// and the whole-frame decoder reads those bytes as the same message.
fn check_frame(before: &[u8], after: usize, dir: Direction, d: &Decoded<'static>) {
    let consumed = before.len() - after;
    assert!(consumed >= 1, "a frame consumed no bytes");
    assert!(d.skipped < d.len, "a frame is more than its line breaks");
    let frame_len = d.len - d.skipped;
    assert!(
        frame_len <= consumed && consumed <= d.len,
        "consumed {consumed}, frame {frame_len}, len {}",
        d.len
    );
    let (breaks, frame) = before[..consumed].split_at(consumed - frame_len);
    assert!(
        breaks.iter().all(|b| matches!(b, b'\r' | b'\n')),
        "only CR/LF is skipped before a frame"
    );
    assert!(
        frame_len <= MAX_FRAME_LEN,
        "no frame is longer than {MAX_FRAME_LEN} bytes (zap §3.1)"
    );
    assert_eq!(
        d.message.code().direction(),
        dir,
        "a frame of the other direction was accepted (zap §2)"
    );
    match decode(frame) {
        Ok(whole) => {
            assert_eq!(
                whole.message, d.message,
                "the stream and whole-frame decoders disagree"
            );
            assert_eq!(whole.padding, d.padding);
        }
        Err(e) => panic!("the stream accepted {frame:?}, the whole-frame decoder rejects it: {e}"),
    }
}
