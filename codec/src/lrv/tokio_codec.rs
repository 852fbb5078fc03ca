//! tokio-util [`Decoder`]/[`Encoder`] for LRV (feature `tokio`).
//!
//! # Items, not errors
//!
//! A malformed or invalid line does not end an LRV connection: the receiver
//! drops it and goes on with the next line, and a server answers it `400`
//! (lrv §3.3, §9). So each item is one line's verdict — the message, or the
//! [`Rejected`] line — and the codec's own error is only the transport's
//! `io::Error`, after which a `FramedRead` ends.
//!
//! # Read boundaries
//!
//! A line ends at its LF, or at a *read boundary* — the peer paused or
//! closed (lrv §3.3 L4). A `FramedRead` cannot see pauses, so by default
//! [`LrvCodec`] treats the end of its buffer as `End::More` and the end of
//! the stream (`decode_eof`) as `End::Boundary`: a line without LF (lrv
//! §3.5, a peer that `send`s `"202"`) is yielded only at EOF. A caller that
//! wants L4's settle time runs its own timer around a
//! [`StreamDecoder`](super::StreamDecoder);
//! [`LrvCodec::end_of_read_is_boundary`] instead ends a line at the end of
//! every read, as a `recv()`-per-message peer assumes — and cuts in two a
//! line that arrives in two TCP segments.
//!
//! # Bounds
//!
//! Every read is moved into an [`lrv::StreamDecoder`](super::StreamDecoder),
//! which keeps at most the direction's limit plus one byte undecided (L3)
//! and drops empty lines (L2) as they arrive: the `FramedRead` buffer is
//! emptied on every call, at the cost of one copy per read, and L1–L5 live
//! in one place.

use std::io;

use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

use super::code::{Direction, Expect};
use super::decode::Decoded;
use super::message::Message;
use super::stream::{Rejected, StreamDecoder};
use crate::framing::End;

/// An LRV codec for one direction of a connection: a server decodes
/// `Direction::ToServer` (requests) and encodes replies, a client decodes
/// `Direction::ToClient` (the greeting, then replies) and encodes requests.
///
/// Items are one line's verdict: `Ok` an owned [`Decoded`] message, with
/// the tolerated deviations (`skipped` empty lines, the `terminator`) for
/// reports; `Err` the [`Rejected`] line, already dropped — read on.
#[derive(Debug)]
pub struct LrvCodec {
    lines: StreamDecoder,
    boundary_at_end_of_read: bool,
}

impl LrvCodec {
    /// A decoder for the lines flowing in `dir`, from the connection's
    /// first byte, with the exact framing of lrv §3.3 (buffer end =
    /// `End::More`, EOF = `End::Boundary`).
    pub fn new(dir: Direction) -> Self {
        Self::expecting(dir.first())
    }

    /// A decoder whose next line is `expect`: `Expect::Reply` to pick up a
    /// client's stream after the greeting was read some other way.
    pub fn expecting(expect: Expect) -> Self {
        LrvCodec {
            lines: StreamDecoder::expecting(expect),
            boundary_at_end_of_read: false,
        }
    }

    /// `true`: every buffer end is a read boundary (`End::Boundary`), as
    /// peers that read one message per `recv()` assume. See the module doc.
    pub fn end_of_read_is_boundary(mut self, yes: bool) -> Self {
        self.boundary_at_end_of_read = yes;
        self
    }

    /// What the next line will be decoded as.
    pub fn expect(&self) -> Expect {
        self.lines.expect()
    }

    fn next_line(
        &mut self,
        src: &mut BytesMut,
        end: End,
    ) -> Option<Result<Decoded<Message<'static>>, Rejected>> {
        if !src.is_empty() {
            self.lines.push(src);
            src.clear();
        }
        self.lines.next(end).transpose()
    }
}

impl Decoder for LrvCodec {
    type Item = Result<Decoded<Message<'static>>, Rejected>;
    type Error = io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> io::Result<Option<Self::Item>> {
        let end = if self.boundary_at_end_of_read {
            End::Boundary
        } else {
            End::More
        };
        Ok(self.next_line(src, end))
    }

    /// At EOF the open line, if any, ends (L4), so nothing is left over.
    fn decode_eof(&mut self, src: &mut BytesMut) -> io::Result<Option<Self::Item>> {
        Ok(self.next_line(src, End::Boundary))
    }
}

/// Writes the canonical line (lrv §3.2): a [`Message`], or a `Request`,
/// `Reply` or `Greeting` on its own. The direction is not checked: a
/// server's codec decodes requests and encodes replies.
impl<'a, M: Into<Message<'a>>> Encoder<M> for LrvCodec {
    type Error = io::Error;

    fn encode(&mut self, item: M, dst: &mut BytesMut) -> io::Result<()> {
        Encoder::<&Message<'_>>::encode(self, &item.into(), dst)
    }
}

impl Encoder<&Message<'_>> for LrvCodec {
    type Error = io::Error;

    fn encode(&mut self, item: &Message<'_>, dst: &mut BytesMut) -> io::Result<()> {
        dst.reserve(item.encoded_len());
        item.encode(dst);
        Ok(())
    }
}
