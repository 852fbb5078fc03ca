//! Both directions of a relayed zap connection, decoded as their receivers
//! would decode them (zap §3.4–§3.6): client→server bytes as
//! `Direction::ToServer`, server→client as `ToClient`, open tails ended by
//! the sender's pause or close. Each item keeps its exact bytes and where
//! the sender's reads fell in it, for the pacing rules of zap §3.2.

use std::collections::VecDeque;

use gabarito_codec::zap::{DecodeError, Decoded, Direction, End, Invalid, decode_stream, resync};
use tokio::time::Instant;

use crate::proxy::relay::Side;

/// What a run of bytes turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Frame(Decoded<'static>),
    /// Not a frame (zap §3.6): the bytes up to where one could start.
    Invalid(Invalid),
    /// A valid beginning cut short by the sender's close (zap §3.4 R2).
    Incomplete,
    /// Only line breaks, left when the sender closed (zap §3.5).
    Breaks,
}

/// One item taken off one direction of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub from: Side,
    pub item: Item,
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
    /// two are one (zap §3.2).
    pub glued: bool,
}

impl Observed {
    pub fn frame(&self) -> Option<&Decoded<'static>> {
        match &self.item {
            Item::Frame(d) => Some(d),
            _ => None,
        }
    }
}

/// One direction: the undecided bytes and the reads they came in.
#[derive(Debug)]
struct Stream {
    from: Side,
    dir: Direction,
    buf: Vec<u8>,
    /// Offset of `buf[0]` in the whole stream.
    base: u64,
    /// (offset of its first byte, when it was read), oldest first.
    reads: VecDeque<(u64, Instant)>,
    /// The read in which the previous item ended (by its first offset).
    prev_end_read: Option<u64>,
}

impl Stream {
    fn new(from: Side) -> Stream {
        let dir = match from {
            Side::Client => Direction::ToServer,
            Side::Server => Direction::ToClient,
        };
        Stream {
            from,
            dir,
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
    fn take(&mut self, len: usize, skipped: usize, item: Item) -> Observed {
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
    fn drain(&mut self, end: End) -> Vec<Observed> {
        let mut out = Vec::new();
        while !self.buf.is_empty() {
            match decode_stream(&self.buf, self.dir, end) {
                Ok(d) => {
                    let (len, skipped) = (d.len, d.skipped);
                    let item = Item::Frame(d.into_owned());
                    out.push(self.take(len, skipped, item));
                }
                Err(DecodeError::Incomplete { .. }) => break,
                Err(DecodeError::Invalid(invalid)) => {
                    let n = resync(&self.buf, self.dir).max(1);
                    out.push(self.take(n, 0, Item::Invalid(invalid)));
                }
            }
        }
        out
    }

    /// Bytes left when the sender closed: a cut frame, or line breaks.
    fn leftover(&mut self) -> Option<Observed> {
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
        self.buf.iter().any(|b| !matches!(b, b'\r' | b'\n'))
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
pub struct Tap {
    streams: [Stream; 2],
}

impl Default for Tap {
    fn default() -> Self {
        Tap {
            streams: [Stream::new(Side::Client), Stream::new(Side::Server)],
        }
    }
}

impl Tap {
    /// Bytes read from `from` at `at`; returns the items now complete.
    pub fn push(&mut self, from: Side, bytes: &[u8], at: Instant) -> Vec<Observed> {
        let s = &mut self.streams[from.index()];
        s.push(bytes, at);
        s.drain(End::More)
    }

    /// `from` paused: open tails end here (zap §3.4 R5).
    pub fn pause(&mut self, from: Side) -> Vec<Observed> {
        self.streams[from.index()].drain(End::Boundary)
    }

    /// `from` closed: open tails end, and what cannot be a frame is reported.
    pub fn close(&mut self, from: Side) -> Vec<Observed> {
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
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn items_keep_their_bytes_reads_and_glueing() {
        let mut tap = Tap::default();
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_millis(30);
        let mut out = tap.push(Side::Client, b"01\n0320000000000", t0);
        out.extend(tap.push(Side::Client, b"01052000000000001", t1));
        out.extend(tap.pause(Side::Client));
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].raw, b"01");
        assert!(!out[0].glued);
        assert_eq!(out[1].raw, b"\n032000000000001");
        assert!(out[1].glued, "the 03 began in the read the 01 ended in");
        assert_eq!(out[1].splits, [14]);
        assert_eq!((out[1].first_at, out[1].last_at), (t0, t1));
        // "05200…" waits for its header.
        assert!(tap.waiting(Side::Client));
        let cut = tap.close(Side::Client);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].item, Item::Incomplete);
        assert_eq!(cut[0].offset, 18);
    }

    #[test]
    fn garbage_is_skipped_up_to_the_next_header() {
        let mut tap = Tap::default();
        let now = Instant::now();
        let out = tap.push(Side::Server, b"hello 022000000000001", now);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(&out[0].item, Item::Invalid(i) if i.offset == 0));
        assert_eq!(out[0].raw, b"hello ");
        assert!(out[1].frame().is_some());
        assert_eq!(out[1].offset, 6);
    }
}
