//! [`Core::lines`]: requests off the head of a connection's byte stream, by
//! lrv §3.3 — a line ends at LF (L1), CRLF tolerated; empty lines are no
//! request (L2); a line over 256 bytes is answered `400` once and dropped
//! up to its LF (L3); a read boundary ends an unterminated line (L4);
//! lines glued in one read are answered each, in order (L5, §8.5).

use gabarito_codec::lrv::{
    DecodeError, End, Field, Invalid, Kind, MAX_REQUEST_LEN, empty_lines, next_line,
};

use super::action::{Action, Rejection};
use super::{Core, Fault, Quirk};
use crate::ConnId;
use crate::sans_io::{Fed, Input, Next};

/// What a request left the connection's reading to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Go,
    /// Answered later (fault `double-sale`).
    Wait,
    /// Read nothing more.
    Close,
}

impl Core {
    /// Takes the whole lines at the head of the input's buffer, at most its
    /// `max`, and acts on each in order, appending what to do to `out`. Its
    /// `end` says whether the buffer ends at a read boundary (L4).
    pub(super) fn lines(&mut self, input: Input<'_>, out: &mut Vec<Action>) -> Fed {
        let (conn, buf, end, max) = (input.conn, input.buf, input.end, input.max);
        let mut fed = Fed {
            consumed: 0,
            frames: 0,
            next: Next::NeedMore { open: false },
        };
        if self.conns.get(&conn).is_none_or(|c| c.left) {
            fed.consumed = buf.len();
            return fed;
        }
        loop {
            // Gone (closed as a slow reader by a reply of this very feed)
            // or left: the rest of the read is not acted on.
            if self.conns.get(&conn).is_none_or(|c| c.left) {
                fed.consumed = buf.len();
                fed.next = Next::NeedMore { open: false };
                return fed;
            }
            if fed.frames >= max.max(1) {
                fed.next = Next::More;
                return fed;
            }
            if self.has(Fault::RecvPerMessage) && fed.frames == 1 {
                // lrv §8.5 broken: the rest of this read is lost.
                fed.consumed = buf.len();
                return fed;
            }
            let rest = &buf[fed.consumed..];
            match self.discard(conn, rest, end, &mut fed) {
                Discard::No => {}
                Discard::Done => continue,
                Discard::Wait { open } => {
                    fed.next = Next::NeedMore { open };
                    return fed;
                }
            }
            if self.quirk(Quirk::EmptyLine400) {
                if let Some(len) = empty_line(rest) {
                    fed.consumed += len;
                    fed.frames += 1;
                    let e = Invalid::new(Field::Line, Kind::EmptyLine, &rest[..len]);
                    match self.reject(conn, Rejection::Malformed(e), out) {
                        Flow::Go | Flow::Wait => continue,
                        Flow::Close => return closed(fed),
                    }
                }
            }
            let flow = match next_line(rest, MAX_REQUEST_LEN, end) {
                Ok(line) => {
                    fed.consumed += line.len;
                    fed.frames += 1;
                    self.line(conn, line.content, out)
                }
                Err(DecodeError::Incomplete { .. }) => {
                    let skipped = empty_lines(rest);
                    fed.consumed += skipped;
                    fed.next = Next::NeedMore {
                        open: end == End::More && skipped < rest.len(),
                    };
                    return fed;
                }
                Err(DecodeError::Invalid(e)) => {
                    // L3: the only framing fault. Its bytes go now; the
                    // rest of the line goes as it arrives. The empty lines
                    // before it go first, or dropping would end at their
                    // LF and the line be answered again.
                    fed.consumed += empty_lines(rest);
                    fed.frames += 1;
                    if let Some(c) = self.conns.get_mut(&conn) {
                        c.discarding = true;
                    }
                    self.reject(conn, Rejection::Malformed(e), out)
                }
            };
            match flow {
                Flow::Go => {}
                Flow::Wait => {
                    fed.next = Next::Wait;
                    return fed;
                }
                Flow::Close => return closed(fed),
            }
        }
    }

    /// L3: while an over-long line is being dropped, drops it up to and
    /// including its LF, or all of `rest` (a boundary ends it there).
    fn discard(&mut self, conn: ConnId, rest: &[u8], end: End, fed: &mut Fed) -> Discard {
        let Some(c) = self.conns.get_mut(&conn) else {
            return Discard::No;
        };
        if !c.discarding {
            return Discard::No;
        }
        match rest.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                fed.consumed += lf + 1;
                c.discarding = false;
                Discard::Done
            }
            None => {
                fed.consumed += rest.len();
                c.discarding = end == End::More;
                Discard::Wait { open: c.discarding }
            }
        }
    }
}

/// What [`Core::discard`] did.
enum Discard {
    /// Nothing was being dropped.
    No,
    /// The over-long line ended; read on.
    Done,
    /// All of the buffer was dropped; `open` if the line goes on.
    Wait { open: bool },
}

/// An empty line at the head of `rest`, and its length (quirk
/// `empty-line-400`, D18).
fn empty_line(rest: &[u8]) -> Option<usize> {
    match rest {
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

/// Nothing after a close is read.
fn closed(mut fed: Fed) -> Fed {
    fed.next = Next::Close;
    fed
}
