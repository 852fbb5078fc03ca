//! Frames off the head of a connection's byte stream, by zap §3.4: each
//! whole frame is decoded and acted on in turn, its effects one batch
//! ([`Action::Flush`]: quirk `glue` writes what one frame produced for one
//! connection in one write, R3); line breaks where a frame should start
//! are noise (§3.5); a malformed frame is acted on as such and ends the
//! reading (§10.1); a 01 past the registration rate waits (§11.2).

use gabarito_codec::framing::End;
use gabarito_codec::zap::{DecodeError, Direction, Message, decode_stream};

use super::{Action, Core};
use crate::sans_io::{Fed, Input, Next, Now};

impl Core {
    /// Takes the whole frames at the head of the input's buffer, at most
    /// its `max`, and acts on each in order.
    pub(super) fn frames(&mut self, now: Now, input: Input<'_>, out: &mut Vec<Action>) -> Fed {
        let (conn, buf, end, max) = (input.conn, input.buf, input.end, input.max);
        let (mut consumed, mut frames) = (0, 0);
        let next = loop {
            if frames == max.max(1) {
                break Next::More;
            }
            let rest = &buf[consumed..];
            match decode_stream(rest, Direction::ToServer, end) {
                Ok(d) => {
                    if matches!(d.message, Message::Register) {
                        if let Err(until) = self.may_register(conn, now.mono) {
                            break Next::Pause(until);
                        }
                    }
                    consumed += d.len;
                    frames += 1;
                    if self.conns.contains_key(&conn) {
                        self.frame(now.unix, conn, d.message, out);
                    }
                    out.push(Action::Flush);
                }
                Err(DecodeError::Incomplete { .. }) => {
                    let discard = rest
                        .iter()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                    let open = end == End::More
                        && !matches!(
                            decode_stream(&rest[discard..], Direction::ToServer, End::Boundary),
                            Err(DecodeError::Incomplete { .. })
                        );
                    consumed += discard;
                    break Next::NeedMore { open };
                }
                Err(DecodeError::Invalid(error)) => {
                    frames += 1;
                    if self.conns.contains_key(&conn) {
                        self.malformed(conn, error, out);
                    }
                    out.push(Action::Flush);
                    break Next::Close;
                }
            }
        };
        Fed {
            consumed,
            frames,
            next,
        }
    }
}
