//! LRV's stream framing (lrv §3.3): [`Lrv`] (messages) and [`Lines`]
//! (raw lines) as [`Framing`]s — the steps a
//! [`StreamDecoder`](crate::stream::StreamDecoder) runs and what they
//! remember between reads — and the calls only LRV's decoder has.
//!
//! Both take lines the same way, in [`LineState::step`]: a line ends at its
//! LF, or at a read boundary (L1, L4); empty lines are dropped as they
//! arrive and counted into the next line's `skipped` and `len` (L2), so a
//! peer sending only `\n`s cannot grow the buffer and a line reports the
//! same however the bytes were cut; a line over the limit is rejected as
//! soon as it is known to be one, and the rest of it dropped as it arrives,
//! up to its LF (L3). After a step that waits, at most the limit plus one
//! byte stays undecided (a line that could still end within the limit). A
//! rejected line is dropped with its error, so the next step reads the next
//! line: an LRV receiver never has to resynchronise.

use std::mem;

use super::code::{Direction, Expect};
use super::decode::{Decoded, decode_stream};
use super::error::{DecodeError, Invalid, Kind};
use super::line::{RawLine, empty_lines, next_line};
use super::message::Message;
use super::protocol::{Lines, Lrv};
use crate::framing::{End, Framing, Step};
use crate::stream::StreamDecoder;

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

/// What LRV's line framing remembers between two steps.
#[derive(Debug, Clone, Default)]
struct LineState {
    /// Bytes of empty lines dropped since the last line.
    skipped: usize,
    /// Dropping the rest of a line that was over the limit (L3).
    discarding: bool,
    /// Bytes at the head of the undecided line known to hold no LF: each
    /// byte is searched once, so a line arriving a byte at a time costs
    /// linear time, not quadratic.
    searched: usize,
}

impl LineState {
    fn forget(&mut self) {
        *self = LineState::default();
    }

    /// Takes the next line off `pending` (lrv §3.3), whose content may hold
    /// at most `limit` bytes, and hands it to `decode`, which returns what
    /// it made of the line and the bytes it used. The frame comes with the
    /// bytes of empty lines skipped before it since the last line.
    fn step<'a, T>(
        &mut self,
        pending: &'a [u8],
        end: End,
        limit: usize,
        decode: impl FnOnce(&'a [u8]) -> Result<(T, usize), DecodeError>,
    ) -> Step<(T, usize), Rejected> {
        let mut at = 0;
        if self.discarding {
            self.searched = 0;
            match pending.iter().position(|&b| b == b'\n') {
                Some(lf) => {
                    at = lf + 1;
                    self.discarding = false;
                }
                None => {
                    self.discarding = end == End::More;
                    return Step::Wait {
                        drop: pending.len(),
                    };
                }
            }
        }
        let empty = empty_lines(&pending[at..]);
        if empty > 0 {
            at += empty;
            self.skipped = self.skipped.saturating_add(empty);
            self.searched = 0;
        }
        let rest = &pending[at..];
        if end == End::More && !rest[self.searched..].contains(&b'\n') {
            let cr_pending = rest.len() == limit + 1 && rest[limit] == b'\r';
            if rest.len() <= limit || cr_pending {
                self.searched = rest.len();
                return Step::Wait { drop: at };
            }
        }
        self.searched = 0;
        match decode(rest) {
            Ok((frame, len)) => Step::Frame {
                frame: (frame, mem::take(&mut self.skipped)),
                used: at + len,
            },
            Err(DecodeError::Incomplete { .. }) => Step::Wait { drop: at },
            Err(DecodeError::Invalid(invalid)) => {
                let line_end = rest.iter().position(|&b| b == b'\n');
                let used = line_end.map_or(rest.len(), |lf| lf + 1);
                self.discarding = line_end.is_none()
                    && end == End::More
                    && matches!(invalid.kind, Kind::LineTooLong { .. });
                self.skipped = 0;
                let line = rest[..used].to_vec();
                Step::Error {
                    error: Rejected { invalid, line },
                    drop: at + used,
                }
            }
        }
    }
}

/// What an LRV message decoder remembers between two steps: which line
/// comes next (lrv §3.6) and the line framing's state.
#[derive(Debug, Clone)]
pub struct StreamState {
    expect: Expect,
    lines: LineState,
}

impl StreamState {
    pub(super) fn new(expect: Expect) -> Self {
        StreamState {
            expect,
            lines: LineState::default(),
        }
    }

    pub(super) fn expect(&self) -> Expect {
        self.expect
    }
}

impl Framing for Lrv {
    type Direction = Direction;
    type Frame<'a> = Decoded<Message<'a>>;
    type Error = Rejected;
    type State = StreamState;

    fn start(dir: Direction) -> StreamState {
        StreamState::new(dir.first())
    }

    /// One line, decoded as `expect` says; the next line is expected to be
    /// what follows it, whether this one was valid or not.
    fn step<'a>(
        st: &mut StreamState,
        pending: &'a [u8],
        end: End,
    ) -> Step<Decoded<Message<'a>>, Rejected> {
        let expect = st.expect;
        let step = st.lines.step(pending, end, expect.max_len(), |line| {
            decode_stream(line, expect, end).map(|d| {
                let len = d.len;
                (d, len)
            })
        });
        if !matches!(step, Step::Wait { .. }) {
            st.expect = expect.after();
        }
        step.map_frame(|(mut d, skipped)| {
            d.skipped += skipped;
            d.len += skipped;
            d
        })
    }

    fn into_owned(frame: Decoded<Message<'_>>) -> Decoded<Message<'static>> {
        frame.into_owned()
    }

    fn forget(st: &mut StreamState) {
        st.lines.forget();
    }
}

/// What a raw line reader remembers between two steps: the limit of its
/// direction (lrv §3.4) and the line framing's state.
#[derive(Debug, Clone)]
pub struct LinesState {
    limit: usize,
    lines: LineState,
}

impl Framing for Lines {
    type Direction = Direction;
    type Frame<'a> = RawLine;
    type Error = Rejected;
    type State = LinesState;

    fn start(dir: Direction) -> LinesState {
        LinesState {
            limit: dir.first().max_len(),
            lines: LineState::default(),
        }
    }

    /// One line as it arrived; only a line over the limit is rejected.
    fn step(st: &mut LinesState, pending: &[u8], end: End) -> Step<RawLine, Rejected> {
        let limit = st.limit;
        st.lines
            .step(pending, end, limit, |rest| {
                next_line(rest, limit, end).map(|line| {
                    let raw = RawLine {
                        bytes: rest[line.skipped..line.len].to_vec(),
                        terminator: line.terminator,
                        skipped: line.skipped,
                    };
                    (raw, line.len)
                })
            })
            .map_frame(|(mut raw, skipped)| {
                raw.skipped += skipped;
                raw
            })
    }

    fn into_owned(frame: RawLine) -> RawLine {
        frame
    }

    fn forget(st: &mut LinesState) {
        st.lines.forget();
    }
}

/// LRV's own calls: picking up a stream after the greeting.
impl StreamDecoder<Lrv> {
    /// A decoder whose next line is `expect`: `Expect::Reply` to pick up a
    /// client's stream after the greeting.
    pub fn expecting(expect: Expect) -> Self {
        Self::with_state(StreamState::new(expect))
    }

    /// What the next line will be decoded as.
    pub fn expect(&self) -> Expect {
        self.state().expect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lrv::{MAX_REPLY_LEN, MAX_REQUEST_LEN, Reply, Request, Terminator};

    #[test]
    fn greeting_first_then_replies() {
        let mut dec = StreamDecoder::<Lrv>::new(Direction::ToClient);
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
        let mut dec = StreamDecoder::<Lrv>::new(Direction::ToServer);
        dec.push(b"comprar 7\nSAIR\n");
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(e.line, b"comprar 7\n");
        let d = dec.next(End::More).unwrap().unwrap();
        assert_eq!(d.message, Message::Request(Request::Sair));
    }

    #[test]
    fn an_over_long_line_is_rejected_once_and_discarded_to_its_lf() {
        let mut dec = StreamDecoder::<Lrv>::new(Direction::ToServer);
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
        let mut dec = StreamDecoder::<Lrv>::new(Direction::ToServer);
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
        let mut dec = StreamDecoder::<Lrv>::expecting(Expect::Reply);
        for _ in 0..60_000 {
            dec.push(b"1");
            assert_eq!(dec.next(End::More), Ok(None));
        }
        assert_eq!(dec.state().lines.searched, 60_000);
        dec.push(b"\n");
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(e.invalid.kind, Kind::UnknownCode);
        assert!(dec.pending().is_empty());
    }

    #[test]
    fn raw_lines_keep_what_arrived_and_reject_only_the_over_long() {
        let mut dec = StreamDecoder::<Lines>::new(Direction::ToClient);
        dec.push(b"\n202 Comprado!\r\n\n20");
        let line = dec.next(End::More).unwrap().unwrap();
        assert_eq!(
            (line.content(), line.terminator, line.skipped),
            (&b"202 Comprado!"[..], Terminator::CrLf, 1)
        );
        assert_eq!(dec.next(End::More), Ok(None));
        let line = dec.next(End::Boundary).unwrap().unwrap();
        assert_eq!(
            (line.bytes.as_slice(), line.terminator, line.skipped),
            (&b"20"[..], Terminator::Absent, 1)
        );
        dec.push(&vec![b'7'; MAX_REPLY_LEN + 1]);
        let e = dec.next(End::More).unwrap_err();
        assert_eq!(
            e.invalid.kind,
            Kind::LineTooLong {
                limit: MAX_REPLY_LEN
            }
        );
    }
}
