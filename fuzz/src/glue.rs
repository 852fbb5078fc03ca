//! Which streams of valid messages a receiver must read back unchanged.
//!
//! zap has no delimiter (D1). A receiver ends a variable tail — a 05/06's
//! data, a 10/11's member list — where a *frame header* begins (zap §3.4
//! R3): a code of its direction other than 01, followed by all of that
//! code's header digits, tested at every character boundary of data and at
//! every 13-byte member slot. So a glued stream of valid messages reads back
//! as those messages exactly when
//!
//! 1. every message flows in the receiver's direction (R1, zap §2);
//! 2. no position inside a tail begins a frame header when read together
//!    with everything after it — the next frames included, since a header
//!    can straddle the end of one frame and the start of the next. That is
//!    what `frame_starts(.., dir) == Lookahead::Yes` decides. This is the
//!    one ambiguity §3.4 admits: data such as
//!    `"0512345678901234567890123456789012345678"`, or a member id whose
//!    first digits are a code (`0`/`1`; ids starting 2–9 never are, §9.1);
//! 3. no `01` follows a 05 or 10 directly: `01` carries no header digits, so
//!    R3 never ends a tail at it and it is read as two more characters of
//!    data, or the start of one more member id. A line break between them
//!    (below) ends a member list, so `10…\r\n01` is fine, but inside data a
//!    line break is content (§3.5), so `05…\r\n01` is not;
//! 4. line breaks (zap §3.5, D8) stand only where a frame must start: at the
//!    very beginning, or after any frame but a 05/06, whose data would take
//!    them as content.
//!
//! Nothing else is assumed: the fuzz target (`zap_stream`) checks that these
//! conditions are sufficient, for every way of cutting the stream into reads.

use gabarito_codec::zap::{Direction, Lookahead, Message, frame_starts};

/// The frame a receiver must produce for one message of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub message: Message<'static>,
    /// CR/LF bytes before it (zap §3.5).
    pub skipped: usize,
    /// Its bytes on the wire, line breaks included.
    pub len: usize,
}

/// A glued stream and what it must read back as.
#[derive(Debug)]
pub struct Glued {
    pub wire: Vec<u8>,
    pub expected: Vec<Expected>,
}

/// Concatenates the canonical encodings of `msgs`, with `"\r\n"` before
/// message `i` where `breaks(i)` and condition 4 allows, or `None` if the
/// stream falls outside conditions 1–3.
pub fn glue(
    msgs: &[Message<'static>],
    dir: Direction,
    breaks: impl Fn(usize) -> bool,
) -> Option<Glued> {
    let mut wire = Vec::new();
    let mut expected = Vec::with_capacity(msgs.len());
    let mut starts = Vec::with_capacity(msgs.len());
    for (i, m) in msgs.iter().enumerate() {
        if m.code().direction() != dir {
            return None; // condition 1
        }
        let prev = i.checked_sub(1).map(|p| &msgs[p]);
        let break_here =
            breaks(i) && !prev.is_some_and(|p| matches!(p, Message::Send(_) | Message::Deliver(_)));
        let ends_tail_at_01 = *m == Message::Register
            && !break_here
            && matches!(prev, Some(Message::Send(_) | Message::CreateGroup { .. }));
        if ends_tail_at_01 {
            return None; // condition 3
        }
        let skipped = if break_here { 2 } else { 0 };
        if break_here {
            wire.extend_from_slice(b"\r\n");
        }
        starts.push(wire.len());
        m.encode(&mut wire);
        expected.push(Expected {
            message: m.clone(),
            skipped,
            len: skipped + m.encoded_len(),
        });
    }
    let ambiguous = msgs.iter().zip(&starts).any(|(m, &at)| {
        tail_positions(m).any(|p| frame_starts(&wire[at + p..], dir) == Lookahead::Yes)
    });
    if ambiguous {
        return None; // condition 2
    }
    Some(Glued { wire, expected })
}

/// Offsets, from the start of `m`'s frame, where R3 tests for a header: each
/// character boundary of data (after the 38-byte header of a 05/06), each
/// member slot (after the 25-byte header of a 10/11).
fn tail_positions<'m>(m: &'m Message<'_>) -> Box<dyn Iterator<Item = usize> + 'm> {
    match m {
        Message::Send(c) | Message::Deliver(c) => {
            Box::new(c.data.as_str().char_indices().map(|(p, _)| 38 + p))
        }
        Message::CreateGroup { members, .. } => Box::new((0..members.len()).map(|i| 25 + 13 * i)),
        Message::GroupCreated { members, .. } => Box::new((0..members.len()).map(|i| 25 + 13 * i)),
        _ => Box::new(std::iter::empty()),
    }
}
