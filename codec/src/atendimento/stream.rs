//! Reading a byte stream of documents (atendimento §3.3, rules J1–J8):
//! whitespace between documents skipped, garbage reported once and dropped
//! up to the next `{`, each document found by its brackets, strings and
//! escapes — never by read boundaries — then parsed; documents over a
//! limit reported as soon as known and dropped as they arrive.

use std::mem;

use super::decode::{garbage, too_deep, too_long};
use super::error::{DecodeError, Invalid, Kind, Rejected};
use super::limits::Direction;
use super::parse::{self, Dialect};
use super::scan::{Scanned, Scanner, Shape, is_ws};
use super::value::{Object, Value};
use crate::framing::End;

/// A document taken off a stream: an object (§3.1), and the bytes it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framed<'a> {
    /// The document. A request is read from it with
    /// [`Reading::read`](super::Reading::read), a reply with
    /// [`Reply::from_object`](super::Reply::from_object) or tolerantly
    /// with [`read_reply_object`](super::read_reply_object).
    pub object: Object<'a>,
    /// Whitespace bytes skipped before it (J1).
    pub skipped: usize,
    /// Bytes of the stream it used: the whitespace skipped and its extent.
    pub len: usize,
}

impl Framed<'_> {
    /// Detaches the document from the buffer it was decoded from.
    pub fn into_owned(self) -> Framed<'static> {
        Framed {
            object: self.object.into_owned(),
            skipped: self.skipped,
            len: self.len,
        }
    }
}

/// What the receiver knows of the bytes after its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum At {
    /// More may come.
    More,
    /// The peer paused: a scalar ends here (J5), nothing else does.
    Boundary,
    /// The peer closed: an open document is parsed as it is (J8).
    Closed,
}

impl From<End> for At {
    fn from(end: End) -> At {
        match end {
            End::More => At::More,
            End::Boundary => At::Boundary,
        }
    }
}

/// Where the framing is, between two steps.
#[derive(Debug, Clone)]
enum Mode {
    /// Between documents: whitespace is skipped, the next byte starts one.
    Between,
    /// Dropping garbage up to the next `{` (J2).
    Garbage,
    /// A document is arriving; its bytes are at the head of the buffer.
    Document(Scanner),
    /// Dropping the rest of a document over a limit (J7).
    Discard(Scanner),
}

/// What one step decided about the head of the buffer.
#[derive(Debug)]
pub(crate) enum Step<'a> {
    /// A document; drop `used` bytes.
    Frame { framed: Framed<'a>, used: usize },
    /// Nothing whole yet; drop `drop` decided bytes (whitespace, garbage,
    /// a discarded document's), keep the rest.
    Wait { drop: usize },
    /// A document or garbage rejected; drop `drop` bytes.
    Reject { rejected: Rejected, drop: usize },
}

/// The framing rules of §3.3 as a step over the head of a buffer, with
/// what they remember between reads.
#[derive(Debug, Clone)]
pub(crate) struct Framer {
    dir: Direction,
    mode: Mode,
    /// Whitespace dropped since the last document.
    skipped: usize,
}

impl Framer {
    pub(crate) fn new(dir: Direction) -> Self {
        Framer {
            dir,
            mode: Mode::Between,
            skipped: 0,
        }
    }

    /// Decides all it can about `pending`: a `Wait` only when nothing
    /// more can be decided without more bytes.
    pub(crate) fn step<'a>(&mut self, pending: &'a [u8], at_end: At) -> Step<'a> {
        let limit = self.dir.limit();
        // Bytes at the head already decided and to be dropped.
        let mut at = 0;
        loop {
            match mem::replace(&mut self.mode, Mode::Between) {
                Mode::Garbage => match pending[at..].iter().position(|&b| b == b'{') {
                    Some(k) => at += k,
                    None => {
                        self.mode = Mode::Garbage;
                        return Step::Wait {
                            drop: pending.len(),
                        };
                    }
                },
                Mode::Discard(mut sc) => match sc.feed(&pending[at..], usize::MAX) {
                    Scanned::End { used } => at += used,
                    Scanned::TooDeep { used, .. } => {
                        at += used;
                        self.mode = Mode::Discard(sc);
                    }
                    Scanned::More | Scanned::TooLong { .. } => {
                        let open = sc.shape() != Shape::Scalar || at_end == At::More;
                        if open && at_end != At::Closed {
                            self.mode = Mode::Discard(sc);
                        }
                        return Step::Wait {
                            drop: pending.len(),
                        };
                    }
                },
                Mode::Between => {
                    let n = pending[at..].iter().take_while(|&&b| is_ws(b)).count();
                    self.skipped += n;
                    at += n;
                    let Some(&first) = pending.get(at) else {
                        return Step::Wait { drop: at };
                    };
                    match Shape::of(first) {
                        Some(shape) => self.mode = Mode::Document(Scanner::new(shape)),
                        None => return self.garbage(pending, at),
                    }
                }
                Mode::Document(mut sc) => {
                    let doc = &pending[at..];
                    let scanned = sc.pos();
                    match sc.feed(&doc[scanned..], limit) {
                        Scanned::End { .. } => return self.document(&doc[..sc.pos()], at),
                        Scanned::More if at_end == At::Closed => return self.document(doc, at),
                        Scanned::More if at_end == At::Boundary && sc.shape() == Shape::Scalar => {
                            return self.document(doc, at);
                        }
                        Scanned::More => {
                            self.mode = Mode::Document(sc);
                            return Step::Wait { drop: at };
                        }
                        Scanned::TooDeep { at: off, .. } => {
                            return self.discard(sc, doc, at, too_deep(doc, off), at_end);
                        }
                        Scanned::TooLong { .. } => {
                            return self.discard(sc, doc, at, too_long(doc, limit), at_end);
                        }
                    }
                }
            }
        }
    }

    /// J2: garbage at `pending[at]`, reported once, dropped up to the next
    /// `{` — or everything, and what arrives next until a `{` does.
    fn garbage<'a>(&mut self, pending: &'a [u8], at: usize) -> Step<'a> {
        let stop = match pending[at + 1..].iter().position(|&b| b == b'{') {
            Some(k) => at + 1 + k,
            None => {
                self.mode = Mode::Garbage;
                pending.len()
            }
        };
        let invalid = garbage(&pending[at..]);
        let rejected = self.reject(invalid, &pending[at..stop]);
        Step::Reject {
            rejected,
            drop: stop,
        }
    }

    /// J6: a document's extent, parsed.
    fn document<'a>(&mut self, extent: &'a [u8], at: usize) -> Step<'a> {
        let used = at + extent.len();
        let invalid = match parse::document(extent, Dialect::Json) {
            Ok(p) if p.used < extent.len() => {
                let rest = &extent[p.used..];
                Invalid::new(Kind::TrailingBytes, None, p.used, rest)
            }
            Ok(p) => match p.value {
                Value::Object(object) => {
                    let skipped = mem::take(&mut self.skipped);
                    let len = skipped + extent.len();
                    let framed = Framed {
                        object,
                        skipped,
                        len,
                    };
                    return Step::Frame { framed, used };
                }
                _ => Invalid::new(Kind::NotObject, None, 0, extent),
            },
            Err(invalid) => invalid,
        };
        let rejected = self.reject(invalid, extent);
        Step::Reject {
            rejected,
            drop: used,
        }
    }

    /// J7: a document over a limit, reported now and dropped to its end —
    /// within these bytes, or as the next ones arrive.
    fn discard<'a>(
        &mut self,
        mut sc: Scanner,
        doc: &'a [u8],
        at: usize,
        invalid: Invalid,
        at_end: At,
    ) -> Step<'a> {
        let mut end = None;
        loop {
            let scanned = sc.pos();
            match sc.feed(&doc[scanned..], usize::MAX) {
                Scanned::End { .. } => {
                    end = Some(sc.pos());
                    break;
                }
                Scanned::TooDeep { .. } => continue,
                Scanned::More | Scanned::TooLong { .. } => break,
            }
        }
        let len = end.unwrap_or(doc.len());
        let over = sc.shape() != Shape::Scalar || at_end == At::More;
        if end.is_none() && over && at_end != At::Closed {
            self.mode = Mode::Discard(sc);
        }
        let kept = &doc[..len.min(self.dir.limit())];
        let mut rejected = self.reject(invalid, kept);
        rejected.len = rejected.skipped + len;
        Step::Reject {
            rejected,
            drop: at + len,
        }
    }

    fn reject(&mut self, invalid: Invalid, bytes: &[u8]) -> Rejected {
        let skipped = mem::take(&mut self.skipped);
        Rejected {
            invalid,
            skipped,
            len: skipped + bytes.len(),
            bytes: bytes[..bytes.len().min(self.dir.limit())].to_vec(),
        }
    }
}

/// Takes the first document off a byte stream flowing in `dir` (§3.3),
/// statelessly: `buf` is what is held, `end` whether more may follow
/// (`End::Boundary`: the peer paused, which ends a scalar, J5).
///
/// `Ok`: a document, which used `len` bytes of `buf`. `Incomplete`: only
/// whitespace, or the beginning of a document. `Invalid`: drop its `len`
/// bytes and call again with the rest. Stateless, it cannot remember that
/// a document over the limit (or garbage) goes on past `buf`:
/// [`StreamDecoder`] does.
pub fn decode_stream(buf: &[u8], dir: Direction, end: End) -> Result<Framed<'_>, DecodeError> {
    decode_at(buf, dir, end.into())
}

/// [`decode_stream`] when the peer has closed after `buf` (J8): a document
/// left open is parsed as it is and rejected, naming its first fault —
/// `truncated` when nothing before the end is wrong.
pub fn decode_stream_closed(buf: &[u8], dir: Direction) -> Result<Framed<'_>, DecodeError> {
    decode_at(buf, dir, At::Closed)
}

fn decode_at(buf: &[u8], dir: Direction, at: At) -> Result<Framed<'_>, DecodeError> {
    match Framer::new(dir).step(buf, at) {
        Step::Frame { framed, .. } => Ok(framed),
        Step::Wait { .. } => Err(DecodeError::Incomplete { have: buf.len() }),
        Step::Reject { rejected, .. } => Err(DecodeError::Invalid(rejected)),
    }
}

/// Buffers a byte stream flowing in one direction and yields its documents
/// by the rules of §3.3: push what each read returned, pull documents out.
///
/// Bounded: after a call that returns `Ok(None)` at most the direction's
/// limit (512 or 65 536 bytes) stays buffered — the beginning of one
/// document — and whitespace, garbage and the rest of a document over the
/// limit are dropped as they arrive, so a peer sending only those cannot
/// grow the buffer. Skipped whitespace is counted into the next item's
/// `skipped` and `len`, so a document reports the same however the bytes
/// were cut. A rejected document is dropped, and the next call reads what
/// follows it: the stream stays synchronised (§3.3).
#[derive(Debug, Clone)]
pub struct StreamDecoder {
    framer: Framer,
    /// Received bytes; those before `start` are decided and are dropped at
    /// the next push, so taking a document off costs no copy.
    buf: Vec<u8>,
    start: usize,
    closed: bool,
}

impl StreamDecoder {
    /// A decoder for a stream flowing in `dir`, from its first byte.
    pub fn new(dir: Direction) -> Self {
        StreamDecoder {
            framer: Framer::new(dir),
            buf: Vec::new(),
            start: 0,
            closed: false,
        }
    }

    /// The direction it decodes.
    pub fn direction(&self) -> Direction {
        self.framer.dir
    }

    /// Appends what a read returned. Call [`StreamDecoder::next`] until it
    /// returns `Ok(None)` after each push, so the buffer stays bounded.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received and not yet decided.
    pub fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Tells the decoder the peer has closed (J8): from now on a document
    /// left open is parsed as it is and rejected, naming its first fault.
    /// Call [`StreamDecoder::next`] until `Ok(None)` to collect it.
    pub fn close(&mut self) {
        self.closed = true;
    }

    /// The next document, if one is decided, detached from the buffer.
    /// `Ok(None)`: wait for more bytes (or, after a pause, call with
    /// `End::Boundary`: a scalar ends there, J5). `Err`: a document or a
    /// run of garbage was rejected and dropped; call again to read on.
    pub fn next(&mut self, end: End) -> Result<Option<Framed<'static>>, Rejected> {
        let at = if self.closed { At::Closed } else { end.into() };
        match self.framer.step(&self.buf[self.start..], at) {
            Step::Frame { framed, used } => {
                self.start += used;
                Ok(Some(framed.into_owned()))
            }
            Step::Wait { drop } => {
                self.start += drop;
                Ok(None)
            }
            Step::Reject { rejected, drop } => {
                self.start += drop;
                Err(rejected)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(dec: &mut StreamDecoder, end: End) -> Vec<Result<usize, &'static str>> {
        let mut out = Vec::new();
        loop {
            match dec.next(end) {
                Ok(Some(f)) => out.push(Ok(f.len)),
                Ok(None) => return out,
                Err(r) => out.push(Err(r.invalid.kind.name())),
            }
        }
    }

    #[test]
    fn garbage_is_reported_once_however_long_it_goes_on() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(b"GET / HTTP/1.1\r\n");
        assert_eq!(drain(&mut dec, End::More), [Err("unexpected_byte")]);
        for _ in 0..100 {
            dec.push(b"Host: x\r\n");
            assert_eq!(drain(&mut dec, End::More), []);
            assert!(dec.pending().is_empty());
        }
        dec.push(b"\r\n{}");
        assert_eq!(drain(&mut dec, End::More), [Ok(2)]);
    }

    #[test]
    fn a_document_over_the_limit_is_dropped_as_it_arrives() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(br#"{"VALOR": ""#);
        for _ in 0..50 {
            dec.push(&[b'a'; 100]);
            let got = drain(&mut dec, End::More);
            assert!(got.is_empty() || got == [Err("too_long")], "{got:?}");
            assert!(dec.pending().len() <= 512);
        }
        dec.push(br#"}"}  {}"#);
        assert_eq!(drain(&mut dec, End::More), [Ok(4)]);
    }

    #[test]
    fn whitespace_never_grows_the_buffer_and_counts_into_the_next_document() {
        let mut dec = StreamDecoder::new(Direction::ToClient);
        for _ in 0..1000 {
            dec.push(b" \r\n\t");
            assert_eq!(drain(&mut dec, End::More), []);
            assert!(dec.pending().is_empty());
        }
        dec.push(b"{}");
        let f = dec.next(End::More).unwrap().unwrap();
        assert_eq!((f.skipped, f.len), (4000, 4002));
    }

    #[test]
    fn a_close_names_the_open_documents_first_fault() {
        let mut dec = StreamDecoder::new(Direction::ToServer);
        dec.push(br#"{"a": 1} {"b""#);
        assert_eq!(drain(&mut dec, End::Boundary), [Ok(8)]);
        dec.close();
        let r = dec.next(End::Boundary).unwrap_err();
        assert_eq!(
            (r.invalid.kind, r.invalid.offset, r.len),
            (Kind::Truncated, 4, 5)
        );
        assert_eq!(dec.next(End::Boundary), Ok(None));
    }
}
