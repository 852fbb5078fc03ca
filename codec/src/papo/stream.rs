//! A buffering streaming decoder for callers that read from a socket and
//! want owned messages: push what each read returned, pull lines out.

use super::code::Expect;
use super::decode::{Decoded, decode_stream};
use super::error::{DecodeError, Invalid, Kind};
use super::line::{empty_lines, is_blank};
use super::message::Message;
use crate::framing::End;

/// A line the decoder rejected and dropped (papo §3.3, §8): the fault, and
/// the bytes dropped with it, for the report. A server drops a line with a
/// control byte and reads on, sends `03` and closes for one over the limit,
/// answers a refused nickname with the notice and the prompt (§8.1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{invalid}")]
pub struct Rejected {
    /// What is wrong with the line.
    pub invalid: Invalid,
    /// The line's bytes as far as they had arrived: for a line over the
    /// limit, the rest is dropped as it arrives, up to its LF (L3).
    pub line: Vec<u8>,
}

/// Buffers a byte stream and yields its lines by the rules of papo §3.3,
/// each read as the receiver expects ([`Expect`]): a server switches from
/// nickname lines to chat lines when it accepts a nickname
/// ([`StreamDecoder::set_expect`]); a client reads server lines.
///
/// Bounded: after every call that returns `Ok(None)` with `End::More`, at
/// most the direction's content limit plus one byte stays buffered (a line
/// that could still end within the limit). Empty lines are dropped as they
/// arrive — a peer sending only `\n`s or spaces cannot grow the buffer —
/// and counted into the next message's `skipped` and `len`, so a message
/// reports the same however the bytes were cut. A rejected line is
/// dropped, so the next call reads the next line: papo streams never lose
/// their framing.
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
    /// Bytes at the head of the pending bytes known to hold no LF: each
    /// byte is searched once, so a line arriving a byte at a time costs
    /// linear time, not quadratic.
    searched: usize,
}

impl StreamDecoder {
    /// A decoder whose lines are read as `expect` says.
    pub fn new(expect: Expect) -> Self {
        StreamDecoder {
            expect,
            buf: Vec::new(),
            start: 0,
            skipped: 0,
            discarding: false,
            searched: 0,
        }
    }

    /// What the next line will be read as.
    pub fn expect(&self) -> Expect {
        self.expect
    }

    /// Reads the lines from now on as `expect` says: a server calls it with
    /// [`Expect::Chat`] when it accepts the nickname (papo §7.1). Bytes
    /// already buffered are read the new way too.
    pub fn set_expect(&mut self, expect: Expect) {
        self.expect = expect;
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
    /// bytes (or, at a read boundary, call with `End::Boundary`: the peer
    /// paused or closed, and what is buffered is a line, L4). `Err`: the
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
        match end {
            End::More if !pending[self.searched..].contains(&b'\n') => {
                let limit = self.expect.max_len();
                let cr_pending = pending.len() == limit + 1 && pending[limit] == b'\r';
                if pending.len() <= limit || cr_pending {
                    self.searched = pending.len();
                    return Ok(None);
                }
            }
            // Blanks at a boundary are an empty line too (L2, L4).
            End::Boundary if pending.iter().all(|&b| is_blank(b)) => {
                let blanks = pending.len();
                self.drain(blanks);
                self.skipped = self.skipped.saturating_add(blanks);
                return Ok(None);
            }
            _ => {}
        }
        match decode_stream(pending, self.expect, end) {
            Ok(d) => {
                let mut d = d.into_owned();
                self.drain(d.len);
                d.skipped += self.skipped;
                d.len += self.skipped;
                self.skipped = 0;
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
    use crate::papo::{ChatLine, MAX_CLIENT_LEN, NicknameLine, ServerLine};

    fn drain_all(dec: &mut StreamDecoder, end: End) -> Vec<Result<Message<'static>, Kind>> {
        let mut out = Vec::new();
        loop {
            match dec.next(end) {
                Ok(Some(d)) => out.push(Ok(d.message)),
                Ok(None) => return out,
                Err(r) => out.push(Err(r.invalid.kind)),
            }
        }
    }

    #[test]
    fn a_server_switches_from_the_prompt_to_the_chat() {
        let mut dec = StreamDecoder::new(Expect::Nickname);
        dec.push(b"a:b\nana\n:oi\n");
        let first = drain_all(&mut dec, End::More);
        assert_eq!(first.len(), 3, "{first:?}");
        assert_eq!(first[0], Err(Kind::BadChar));
        assert!(matches!(
            first[1],
            Ok(Message::Nickname(NicknameLine::Nickname(_)))
        ));
        assert_eq!(first[2], Err(Kind::BadChar), "`:oi` is no nickname");
        dec.set_expect(Expect::Chat);
        dec.push(b":oi\n{quit}\n");
        let chat = drain_all(&mut dec, End::More);
        assert!(matches!(chat[0], Ok(Message::Chat(ChatLine::Public(_)))));
        assert_eq!(chat[1], Ok(Message::Chat(ChatLine::Quit)));
    }

    #[test]
    fn blanks_never_grow_the_buffer_and_count_as_skipped() {
        let mut dec = StreamDecoder::new(Expect::Chat);
        for _ in 0..10_000 {
            dec.push(b" \t\n");
            assert_eq!(dec.next(End::More), Ok(None));
            assert!(dec.pending().is_empty());
        }
        dec.push(b"  ");
        assert_eq!(dec.next(End::Boundary), Ok(None));
        assert!(dec.pending().is_empty(), "blanks at a boundary are dropped");
        dec.push(b":oi");
        let d = dec.next(End::Boundary).unwrap().unwrap();
        assert_eq!((d.skipped, d.len), (30_002, 30_005));
    }

    #[test]
    fn an_overlong_line_is_dropped_as_it_arrives() {
        let mut dec = StreamDecoder::new(Expect::Chat);
        dec.push(&[b'a'; MAX_CLIENT_LEN + 1]);
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(
            e.invalid.kind,
            Kind::LineTooLong {
                limit: MAX_CLIENT_LEN
            }
        );
        for _ in 0..100 {
            dec.push(&[b'a'; 500]);
            assert_eq!(dec.next(End::More), Ok(None));
            assert!(dec.pending().is_empty());
        }
        dec.push(b"aaa\nana: oi\n");
        assert!(matches!(
            dec.next(End::More),
            Ok(Some(Decoded {
                message: Message::Chat(ChatLine::Private(_)),
                ..
            }))
        ));
    }

    #[test]
    fn a_boundary_ends_a_server_line_without_terminator() {
        let mut dec = StreamDecoder::new(Expect::Server);
        dec.push(b"Mensagem enviada");
        assert_eq!(dec.next(End::More), Ok(None));
        let d = dec.next(End::Boundary).unwrap().unwrap();
        assert_eq!(d.message, Message::Server(ServerLine::Ack));
        assert!(!d.is_canonical());
    }
}
