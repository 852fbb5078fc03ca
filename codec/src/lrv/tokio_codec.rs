//! LRV's names for the tokio-util codec (feature `tokio`): [`LrvCodec`] is
//! the crate's [`Codec`] for [`Lrv`], whose module doc says how it treats
//! read boundaries.
//!
//! # Items, not errors
//!
//! A malformed or invalid line does not end an LRV connection: the receiver
//! drops it and goes on with the next line, and a server answers it `400`
//! (lrv §3.3, §9). So each item is one line's verdict — the message, or the
//! [`Rejected`](super::Rejected) line — and the codec's own error is only
//! the transport's `io::Error`, after which a `FramedRead` ends.
//!
//! A line without LF (lrv §3.5, a peer that `send`s `"202"`) is yielded
//! only at EOF, or, with `end_of_read_is_boundary(true)`, at the end of
//! every read, which cuts in two a line that arrives in two TCP segments.
//! The framing runs over `FramedRead`'s buffer, which keeps at most the
//! direction's limit plus one byte undecided (L3) and loses empty lines
//! (L2) as they arrive.

use super::code::Expect;
use super::protocol::Lrv;
use super::stream::StreamState;
use crate::tokio_codec::Codec;

/// An LRV codec for one direction of a connection: a server decodes
/// `Direction::ToServer` (requests) and encodes replies, a client decodes
/// `Direction::ToClient` (the greeting, then replies) and encodes requests.
///
/// Items are one line's verdict: `Ok` an owned [`Decoded`](super::Decoded)
/// message, with the tolerated deviations (`skipped` empty lines, the
/// `terminator`) for reports; `Err` the rejected line, already dropped —
/// read on.
pub type LrvCodec = Codec<Lrv>;

impl Codec<Lrv> {
    /// A decoder whose next line is `expect`: `Expect::Reply` to pick up a
    /// client's stream after the greeting was read some other way.
    pub fn expecting(expect: Expect) -> Self {
        Self::with_state(StreamState::new(expect))
    }

    /// What the next line will be decoded as.
    pub fn expect(&self) -> Expect {
        self.state().expect()
    }
}
