//! Both directions of a relayed connection, split into messages as their
//! receivers would split them — by the protocol's [`Framing`], open
//! messages ended by the sender's pause or close. Each item keeps its
//! exact bytes and where the sender's reads fell in it, for the rules on
//! how a client writes (zap §3.2, lrv §3.2). Knows no protocol.

use std::collections::VecDeque;

use tokio::time::Instant;

use crate::protocol::End;
use crate::proxy::relay::Side;

/// How what one side sends splits into messages: the protocol's framing,
/// as the receiver of that side applies it.
pub trait Framing: Send + 'static {
    /// A message, decoded.
    type Frame: Clone + std::fmt::Debug + Send + 'static;
    /// Why bytes are no message.
    type Invalid: Clone + std::fmt::Debug + Send + 'static;

    /// The framing of what `from` sends.
    fn new(from: Side) -> Self;

    /// The item at the head of `buf`, if one is decidable now; `end` says
    /// whether more may follow.
    fn next(&mut self, buf: &[u8], end: End) -> Option<Cut<Self::Frame, Self::Invalid>>;

    /// The sender paused or closed, and every item it completed was taken:
    /// what waited for a read boundary ends here (lrv §3.3 L3, L4).
    fn boundary(&mut self) {}

    /// Whether `buf`, after every item was taken, waits for more bytes or
    /// a pause (line breaks alone wait for nothing).
    fn waiting(&self, buf: &[u8]) -> bool {
        buf.iter().any(|b| !matches!(b, b'\r' | b'\n'))
    }
}

/// An item taken off the head of a buffer.
#[derive(Debug)]
pub struct Cut<F, I> {
    /// Bytes it covers, from the head.
    pub len: usize,
    /// Of those, line breaks before it (its first byte is after them).
    pub skipped: usize,
    pub item: Item<F, I>,
}

/// What a run of bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<F, I> {
    Frame(F),
    /// Not a message: the bytes up to where one could start again.
    Invalid(I),
    /// A valid beginning cut short by the sender's close.
    Incomplete,
    /// Only line breaks, left when the sender closed.
    Breaks,
}

/// One item taken off one direction of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed<F, I> {
    pub from: Side,
    pub item: Item<F, I>,
    /// Exactly the bytes the item covers, line breaks before it included.
    pub raw: Vec<u8>,
    /// Where `raw` starts in everything `from` sent on this connection.
    pub offset: u64,
    /// When the item's first byte (after any line breaks) was read.
    pub first_at: Instant,
    /// When its last byte was read.
    pub last_at: Instant,
    /// Offsets in `raw` where a new read began: the sender's writes, as
    /// far as TCP kept them apart.
    pub splits: Vec<usize>,
    /// Whether its first byte came in the same read as the end of the item
    /// before it: to a receiver that takes one `recv()` for one frame, the
    /// two are one (zap §3.2, lrv D21).
    pub glued: bool,
}

impl<F, I> Observed<F, I> {
    pub fn frame(&self) -> Option<&F> {
        match &self.item {
            Item::Frame(d) => Some(d),
            _ => None,
        }
    }
}

/// One direction: the undecided bytes and the reads they came in.
#[derive(Debug)]
struct Stream<R> {
    from: Side,
    framing: R,
    buf: Vec<u8>,
    /// Offset of `buf[0]` in the whole stream.
    base: u64,
    /// (offset of its first byte, when it was read), oldest first.
    reads: VecDeque<(u64, Instant)>,
    /// The read in which the previous item ended (by its first offset).
    prev_end_read: Option<u64>,
}

/// An item of framing `R`, as observed.
pub type ObservedOf<R> = Observed<<R as Framing>::Frame, <R as Framing>::Invalid>;

impl<R: Framing> Stream<R> {
    fn new(from: Side) -> Stream<R> {
        Stream {
            from,
            framing: R::new(from),
            buf: Vec::new(),
            base: 0,
            reads: VecDeque::new(),
            prev_end_read: None,
        }
    }

    fn push(&mut self, bytes: &[u8], at: Instant) {
        if bytes.is_empty() {
            return;
        }
        self.reads
            .push_back((self.base + self.buf.len() as u64, at));
        self.buf.extend_from_slice(bytes);
    }

    /// The read holding the byte at stream offset `pos`.
    fn read_of(&self, pos: u64) -> (u64, Instant) {
        let i = self.reads.partition_point(|(start, _)| *start <= pos);
        self.reads
            .get(i.saturating_sub(1))
            .copied()
            .unwrap_or((pos, Instant::now()))
    }

    /// Takes the first `len` buffered bytes as `item`.
    fn take(
        &mut self,
        len: usize,
        skipped: usize,
        item: Item<R::Frame, R::Invalid>,
    ) -> ObservedOf<R> {
        let raw: Vec<u8> = self.buf.drain(..len).collect();
        let offset = self.base;
        let start = offset + skipped.min(len.saturating_sub(1)) as u64;
        let end = offset + len.saturating_sub(1) as u64;
        let (first_read, first_at) = self.read_of(start);
        let (last_read, last_at) = self.read_of(end);
        let splits = self
            .reads
            .iter()
            .filter(|(s, _)| *s > offset && *s < offset + len as u64)
            .map(|(s, _)| (s - offset) as usize)
            .collect();
        let glued = self.prev_end_read == Some(first_read);
        self.prev_end_read = Some(last_read);
        self.base += len as u64;
        // Reads that end before the buffer no longer matter.
        while self.reads.len() > 1 && self.reads[1].0 <= self.base {
            self.reads.pop_front();
        }
        Observed {
            from: self.from,
            item,
            raw,
            offset,
            first_at,
            last_at,
            splits,
            glued,
        }
    }

    /// Every item decidable now; `end` says whether more may follow.
    fn drain(&mut self, end: End) -> Vec<ObservedOf<R>> {
        let mut out = Vec::new();
        while !self.buf.is_empty() {
            let Some(cut) = self.framing.next(&self.buf, end) else {
                break;
            };
            // Every item takes at least a byte: the stream always moves on.
            let len = cut.len.clamp(1, self.buf.len());
            out.push(self.take(len, cut.skipped, cut.item));
        }
        if end == End::Boundary {
            self.framing.boundary();
        }
        out
    }

    /// Bytes left when the sender closed: a cut message, or line breaks.
    fn leftover(&mut self) -> Option<ObservedOf<R>> {
        if self.buf.is_empty() {
            return None;
        }
        let item = if self.buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
            Item::Breaks
        } else {
            Item::Incomplete
        };
        let len = self.buf.len();
        Some(self.take(len, 0, item))
    }

    fn waiting(&self) -> bool {
        self.framing.waiting(&self.buf)
    }

    /// When the oldest undecided byte was read.
    fn pending_since(&self) -> Option<Instant> {
        if self.buf.is_empty() {
            return None;
        }
        Some(self.read_of(self.base).1)
    }
}

/// Both directions of one connection.
#[derive(Debug)]
pub struct Tap<R> {
    streams: [Stream<R>; 2],
}

impl<R: Framing> Default for Tap<R> {
    fn default() -> Self {
        Tap {
            streams: [Stream::new(Side::Client), Stream::new(Side::Server)],
        }
    }
}

impl<R: Framing> Tap<R> {
    /// Bytes read from `from` at `at`; returns the items now complete.
    pub fn push(&mut self, from: Side, bytes: &[u8], at: Instant) -> Vec<ObservedOf<R>> {
        let s = &mut self.streams[from.index()];
        s.push(bytes, at);
        s.drain(End::More)
    }

    /// `from` paused: open messages end here (zap §3.4 R5, lrv §3.3 L4).
    pub fn pause(&mut self, from: Side) -> Vec<ObservedOf<R>> {
        self.streams[from.index()].drain(End::Boundary)
    }

    /// `from` closed: open messages end, and what cannot be one is reported.
    pub fn close(&mut self, from: Side) -> Vec<ObservedOf<R>> {
        let s = &mut self.streams[from.index()];
        let mut out = s.drain(End::Boundary);
        out.extend(s.leftover());
        out
    }

    /// Whether `from`'s bytes wait for more or for a pause.
    pub fn waiting(&self, from: Side) -> bool {
        self.streams[from.index()].waiting()
    }

    /// When the oldest byte from `from` not yet taken as an item was read:
    /// no item from `from` can start earlier.
    pub fn pending_since(&self, from: Side) -> Option<Instant> {
        self.streams[from.index()].pending_since()
    }
}

#[cfg(test)]
impl<R: Framing> Tap<R> {
    /// What `from` sends in one read, now, then a pause: the items it
    /// completes (for the protocols' tests).
    pub fn read(&mut self, from: Side, bytes: &[u8]) -> Vec<ObservedOf<R>> {
        let mut out = self.push(from, bytes, Instant::now());
        out.extend(self.pause(from));
        out
    }
}
