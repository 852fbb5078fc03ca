//! How the proxy splits what each side of an lrv connection sends into
//! lines (lrv §3.3 L1–L5): a client's lines read as requests, the way the
//! reference server reads them (lrv §6.1); a server's lines read by the
//! harness's tolerant reader — the first one the greeting by its position
//! (lrv §3.6), every later one a reply by the extraction rules of lrv §7.5
//! — so the proxy shows the reader's own verdicts.

use gabarito_codec::lrv::{
    DecodeError, Invalid, MAX_REPLY_LEN, MAX_REQUEST_LEN, Request, Terminator, decode_request,
    empty_lines, next_line,
};

use crate::lrv::LrvReader;
use crate::protocol::{End, Frame, FrameReader, ReadItem};
use crate::proxy::relay::Side;
use crate::proxy::tap::{Cut, Framing, Item};

/// A line that is a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A client's request, as the reference server reads it.
    Request {
        request: Request<'static>,
        terminator: Terminator,
    },
    /// A server's greeting or reply, as the harness's reader takes it, with
    /// what it tolerated.
    Reply(Frame),
}

/// Why bytes are no message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A client's line that is no request (lrv §6.1, §9.2).
    NotRequest(Invalid),
    /// A line longer than its direction allows (lrv §3.4): dropped up to
    /// its LF (§3.3 L3).
    TooLong(Invalid),
    /// More of a line over the limit, dropped as it came (§3.3 L3).
    Dropped,
    /// A server's line the reader cannot take as a reply (lrv §7.5): what
    /// it says and the section.
    NotReply { why: String, section: String },
}

/// One direction of an lrv connection.
#[derive(Debug)]
pub struct LrvFraming {
    /// The server's side: the harness's reader, which knows where the
    /// greeting's position is and which endings it noted already.
    reader: Option<LrvReader>,
    /// A line over the limit is being dropped up to its LF or a boundary.
    discarding: bool,
}

impl LrvFraming {
    fn limit(&self) -> usize {
        match self.reader {
            Some(_) => MAX_REPLY_LEN,
            None => MAX_REQUEST_LEN,
        }
    }

    /// The whole line `bytes` (empty lines before it included) as the
    /// receiver takes it.
    fn line(&mut self, bytes: &[u8]) -> Item<Line, Fault> {
        match &mut self.reader {
            None => {
                let line = &bytes[empty_lines(bytes)..];
                match decode_request(line) {
                    Ok(d) => Item::Frame(Line::Request {
                        request: d.message.into_owned(),
                        terminator: d.terminator,
                    }),
                    Err(e) => Item::Invalid(Fault::NotRequest(e)),
                }
            }
            Some(reader) => {
                reader.push(bytes);
                match reader.next(End::Boundary) {
                    Some(ReadItem::Frame(f)) => Item::Frame(Line::Reply(f)),
                    Some(ReadItem::Garbage { why, section, .. }) => {
                        Item::Invalid(Fault::NotReply { why, section })
                    }
                    None => Item::Breaks,
                }
            }
        }
    }

    /// The rest of a line over the limit, up to its LF or all there is.
    fn drop_rest(&mut self, buf: &[u8], end: End) -> Cut<Line, Fault> {
        let len = match buf.iter().position(|&b| b == b'\n') {
            Some(lf) => {
                self.discarding = false;
                lf + 1
            }
            None => {
                self.discarding = end == End::More;
                buf.len()
            }
        };
        Cut {
            len,
            skipped: 0,
            item: Item::Invalid(Fault::Dropped),
        }
    }
}

impl Framing for LrvFraming {
    type Frame = Line;
    type Invalid = Fault;

    fn new(from: Side) -> Self {
        LrvFraming {
            reader: (from == Side::Server).then(LrvReader::new),
            discarding: false,
        }
    }

    fn next(&mut self, buf: &[u8], end: End) -> Option<Cut<Line, Fault>> {
        if self.discarding {
            return Some(self.drop_rest(buf, end));
        }
        match next_line(buf, self.limit(), end) {
            Ok(line) => {
                let (len, skipped) = (line.len, line.skipped);
                Some(Cut {
                    len,
                    skipped,
                    item: self.line(&buf[..len]),
                })
            }
            Err(DecodeError::Incomplete { .. }) => None,
            Err(DecodeError::Invalid(e)) => {
                let skipped = empty_lines(buf);
                let (len, more) = match buf[skipped..].iter().position(|&b| b == b'\n') {
                    Some(lf) => (skipped + lf + 1, false),
                    None => (buf.len(), end == End::More),
                };
                // The reader drops the line too: its greeting's position
                // is past (what it returns is this fault again).
                if let Some(reader) = &mut self.reader {
                    reader.push(&buf[..len]);
                    let _ = reader.next(End::Boundary);
                }
                self.discarding = more;
                Some(Cut {
                    len,
                    skipped,
                    item: Item::Invalid(Fault::TooLong(e)),
                })
            }
        }
    }

    fn boundary(&mut self) {
        self.discarding = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::tap::{ObservedOf, Tap};
    use tokio::time::Instant;

    /// One read of `bytes` from the client, no pause after it.
    fn read(tap: &mut Tap<LrvFraming>, bytes: &[u8]) -> Vec<ObservedOf<LrvFraming>> {
        tap.push(Side::Client, bytes, Instant::now())
    }

    #[test]
    fn requests_split_by_lf_and_a_pause_ends_a_bare_one() {
        let mut tap = Tap::default();
        let mut out = read(&mut tap, b"REGISTRAR 52998224725\r\n\nSAIR");
        assert_eq!(out.len(), 1, "the bare SAIR waits for a pause: {out:?}");
        out.extend(tap.pause(Side::Client));
        let lines: Vec<_> = out
            .iter()
            .map(|o| match &o.item {
                Item::Frame(Line::Request {
                    request,
                    terminator,
                }) => (request.command().as_str(), *terminator),
                other => panic!("not a request: {other:?}"),
            })
            .collect();
        assert_eq!(
            lines,
            [
                ("REGISTRAR", Terminator::CrLf),
                ("SAIR", Terminator::Absent)
            ]
        );
        assert_eq!(out[1].raw, b"\nSAIR", "the empty line goes with the next");
    }

    #[test]
    fn the_servers_first_line_is_the_greeting_and_replies_are_read_tolerantly() {
        let mut tap = Tap::<LrvFraming>::default();
        let out = tap.read(
            Side::Server,
            "Oi!\n203 - Números: 2, 1\nDigite:\n".as_bytes(),
        );
        assert_eq!(out.len(), 3, "{out:?}");
        match &out[0].item {
            Item::Frame(Line::Reply(f)) => assert!(f.preamble, "{f:?}"),
            other => panic!("{other:?}"),
        }
        match &out[1].item {
            Item::Frame(Line::Reply(f)) => {
                assert_eq!(f.display(), "203 1,2");
                assert!(!f.tolerated.is_empty(), "human text is noted");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(out[2].item, Item::Invalid(Fault::NotReply { .. })));
    }

    #[test]
    fn a_line_over_the_limit_is_dropped_to_its_lf_or_the_pause() {
        let mut tap = Tap::default();
        let out = read(&mut tap, &[b'A'; 300]);
        assert!(matches!(out[0].item, Item::Invalid(Fault::TooLong(_))));
        let out = read(&mut tap, b"AAA\nSAIR\n");
        assert!(matches!(out[0].item, Item::Invalid(Fault::Dropped)));
        assert_eq!(out[0].raw, b"AAA\n");
        assert!(matches!(out[1].item, Item::Frame(_)));
        // Ended by a pause instead: the next line is a line again.
        let out = read(&mut tap, &[b'A'; 300]);
        assert!(matches!(out[0].item, Item::Invalid(Fault::TooLong(_))));
        assert!(tap.pause(Side::Client).is_empty());
        let out = read(&mut tap, b"SAIR\n");
        assert!(matches!(out[0].item, Item::Frame(_)), "{out:?}");
    }
}
