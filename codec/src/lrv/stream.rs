//! A buffering streaming decoder for callers that read from a socket and
//! want owned messages: push what each read returned, pull messages out.

use super::code::{Direction, Expect};
use super::decode::{Decoded, decode_stream};
use super::error::{DecodeError, Invalid, Kind};
use super::line::empty_lines;
use super::message::Message;
use crate::framing::End;

/// A line the decoder rejected and dropped (lrv §3.3, §9): the fault, and
/// the bytes dropped with it, for the report. A server answers it `400` and
/// reads on (lrv §9.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{invalid}")]
pub struct Rejected {
    /// What is wrong with the line.
    pub invalid: Invalid,
    /// The line's bytes as far as they had arrived: for a line over the
    /// limit, the rest is dropped as it arrives, up to its LF (L3).
    pub line: Vec<u8>,
}

/// Buffers a byte stream and yields the messages of one direction, by the
/// rules of lrv §3.3: requests to a server; the greeting and then replies to
/// a client.
///
/// Bounded: after every call that returns `Ok(None)` at most the
/// direction's content limit plus one byte stays buffered (a line that
/// could still end within the limit). Empty lines are dropped as they
/// arrive — a peer sending only `\n`s cannot grow the buffer — and counted
/// into the next message's `skipped` and `len`, so a message reports the
/// same however the bytes were cut. A rejected line is dropped, so the next
/// call reads the next line: a receiver never has to resynchronise.
#[derive(Debug)]
pub struct StreamDecoder {
    expect: Expect,
    /// Received bytes; those before `start` are decoded and wait to be
    /// dropped at the next push, so taking a message off costs no copy.
    buf: Vec<u8>,
    start: usize,
    /// Bytes of empty lines dropped since the last message.
    skipped: usize,
    /// Dropping the rest of a line that was over the limit (L3).
    discarding: bool,
    /// Bytes at the head of `buf` known to hold no LF: each byte is
    /// searched once, so a line arriving a byte at a time costs linear
    /// time, not quadratic.
    searched: usize,
}

impl StreamDecoder {
    /// A decoder for the whole of a connection's stream in `dir`, from its
    /// first byte.
    pub fn new(dir: Direction) -> Self {
        Self::expecting(dir.first())
    }

    /// A decoder whose next line is `expect`: `Expect::Reply` to pick up a
    /// client's stream after the greeting.
    pub fn expecting(expect: Expect) -> Self {
        StreamDecoder {
            expect,
            buf: Vec::new(),
            start: 0,
            skipped: 0,
            discarding: false,
            searched: 0,
        }
    }

    /// What the next line will be decoded as.
    pub fn expect(&self) -> Expect {
        self.expect
    }

    /// Appends what a read returned. Call [`StreamDecoder::next`] until it
    /// returns `Ok(None)` after each push, so the buffer stays bounded.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received and not yet decoded.
    pub fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Takes every buffered byte, e.g. to report what was left at EOF.
    pub fn take_pending(&mut self) -> Vec<u8> {
        self.skipped = 0;
        self.discarding = false;
        self.searched = 0;
        let mut taken = std::mem::take(&mut self.buf);
        taken.drain(..std::mem::take(&mut self.start));
        taken
    }

    /// The next message, if a whole line is in. `Ok(None)`: wait for more
    /// bytes (or, at a read boundary, call with `End::Boundary`). `Err`: the
    /// line was invalid and is gone; call again for the next one.
    pub fn next(&mut self, end: End) -> Result<Option<Decoded<Message<'static>>>, Rejected> {
        if self.discarding && !self.discard(end) {
            return Ok(None);
        }
        let empty = empty_lines(self.pending());
        if empty > 0 {
            self.drain(empty);
            self.skipped = self.skipped.saturating_add(empty);
        }
        let pending = &self.buf[self.start..];
        if end == End::More && !pending[self.searched..].contains(&b'\n') {
            let limit = self.expect.max_len();
            let cr_pending = pending.len() == limit + 1 && pending[limit] == b'\r';
            if pending.len() <= limit || cr_pending {
                self.searched = pending.len();
                return Ok(None);
            }
        }
        match decode_stream(pending, self.expect, end) {
            Ok(d) => {
                let mut d = d.into_owned();
                self.drain(d.len);
                d.skipped += self.skipped;
                d.len += self.skipped;
                self.skipped = 0;
                self.expect = self.expect.after();
                Ok(Some(d))
            }
            Err(DecodeError::Incomplete { .. }) => Ok(None),
            Err(DecodeError::Invalid(invalid)) => {
                let line_end = pending.iter().position(|&b| b == b'\n');
                let used = line_end.map_or(pending.len(), |lf| lf + 1);
                let line = pending[..used].to_vec();
                self.drain(used);
                self.discarding = line_end.is_none()
                    && end == End::More
                    && matches!(invalid.kind, Kind::LineTooLong { .. });
                self.skipped = 0;
                self.expect = self.expect.after();
                Err(Rejected { invalid, line })
            }
        }
    }

    /// Drops `n` decoded bytes from the head of what is pending.
    fn drain(&mut self, n: usize) {
        self.start += n;
        self.searched = 0;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// Drops the rest of an over-long line; whether it has ended (at an LF,
    /// or at a boundary, L4).
    fn discard(&mut self, end: End) -> bool {
        match self.pending().iter().position(|&b| b == b'\n') {
            Some(lf) => {
                self.drain(lf + 1);
                self.discarding = false;
            }
            None => {
                self.drain(self.pending().len());
                self.discarding = end == End::More;
            }
        }
        !self.discarding
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lrv::{MAX_REQUEST_LEN, Reply, Request};

    #[test]
    fn greeting_first_then_replies() {
        let mut dec = StreamDecoder::new(Direction::ToClient);
        dec.push("Bem-vindo à compra de rifa!\n20".as_bytes());
        let g = dec.next(End::More).unwrap().unwrap();
        assert!(matches!(g.message, Message::Greeting(ref g) if g.is_standard()));
        assert_eq!(dec.next(End::More), Ok(None));
        dec.push(b"6\n");
        let r = dec.next(End::More).unwrap().unwrap();
        assert_eq!(r.message, Message::Reply(Reply::NotSoldOut));
    }

    #[test]
    fn a_rejected_line_is_dropped_and_the_next_one_read() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(b"comprar 7\nSAIR\n");
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(e.line, b"comprar 7\n");
        let d = dec.next(End::More).unwrap().unwrap();
        assert_eq!(d.message, Message::Request(Request::Sair));
    }

    #[test]
    fn an_over_long_line_is_rejected_once_and_discarded_to_its_lf() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(&[b'A'; MAX_REQUEST_LEN + 1]);
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(
            e.invalid.kind,
            Kind::LineTooLong {
                limit: MAX_REQUEST_LEN
            }
        );
        dec.push(&[b'A'; 10_000]);
        assert_eq!(dec.next(End::More), Ok(None));
        assert!(dec.pending().is_empty(), "discarded as it arrives");
        dec.push(b"AAA\nSAIR\n");
        let d = dec.next(End::More).unwrap().unwrap();
        assert_eq!(d.message, Message::Request(Request::Sair));
    }

    #[test]
    fn only_empty_lines_never_grow_the_buffer() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        for _ in 0..1000 {
            dec.push(b"\r\n\n");
            assert_eq!(dec.next(End::More), Ok(None));
            assert!(dec.pending().is_empty());
        }
        dec.push(b"SAIR\n");
        let d = dec.next(End::More).unwrap().unwrap();
        assert_eq!((d.skipped, d.len), (3000, 3005));
    }

    #[test]
    fn a_long_line_a_byte_at_a_time_is_searched_once() {
        let mut dec = StreamDecoder::expecting(Expect::Reply);
        for _ in 0..60_000 {
            dec.push(b"1");
            assert_eq!(dec.next(End::More), Ok(None));
        }
        assert_eq!(dec.searched, 60_000);
        dec.push(b"\n");
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(e.invalid.kind, Kind::UnknownCode);
        assert!(dec.pending().is_empty());
    }
}
