//! A receive buffer that remembers when each byte arrived.
//!
//! An undelimited protocol's frame may be known to be complete only later
//! than its bytes arrived (a glued header, or a pause, ends it). Latency is
//! about when the bytes arrived, so each read's instant is kept with its
//! end offset and a frame is stamped with the read that brought its last
//! byte — whatever decided its end afterwards.

use std::collections::VecDeque;
use std::time::Instant;

use tokio::io::{AsyncRead, AsyncReadExt};

/// Bytes asked of the socket per read by default: many small frames per
/// syscall.
const READ_CHUNK: usize = 64 * 1024;

#[derive(Debug)]
pub struct Inbox {
    /// Bytes asked of the socket per read.
    chunk: usize,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    start: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// (stream offset just past the read, when it returned), oldest first.
    reads: VecDeque<(u64, Instant)>,
}

impl Default for Inbox {
    fn default() -> Self {
        Inbox::with_chunk(READ_CHUNK)
    }
}

impl Inbox {
    /// Reads of at most `chunk` bytes: small for the thousands of idle
    /// connections of a memory test, whose buffers would otherwise be the
    /// bench's own footprint.
    pub fn with_chunk(chunk: usize) -> Self {
        Inbox {
            chunk: chunk.max(1),
            buf: Vec::new(),
            start: 0,
            base: 0,
            reads: VecDeque::new(),
        }
    }

    /// Reads once; returns the byte count (0 at EOF).
    pub async fn fill<R: AsyncRead + Unpin>(&mut self, rd: &mut R) -> std::io::Result<usize> {
        if self.start > 0 && self.start * 2 >= self.buf.len() {
            self.buf.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        // Reading into spare capacity, so a short read costs no zeroing of
        // the whole chunk.
        self.buf.reserve(self.chunk);
        let n = rd.read_buf(&mut self.buf).await?;
        if n > 0 {
            self.reads
                .push_back((self.base + self.buf.len() as u64, Instant::now()));
        }
        Ok(n)
    }

    /// The bytes received and not yet consumed.
    pub fn unread(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// When the first `len` unread bytes were all there.
    pub fn arrival(&self, len: usize) -> Option<Instant> {
        let end = self.base + (self.start + len) as u64;
        self.reads
            .iter()
            .find(|(upto, _)| *upto >= end)
            .map(|(_, at)| *at)
    }

    /// Drops the first `len` unread bytes.
    pub fn consume(&mut self, len: usize) {
        self.start = (self.start + len).min(self.buf.len());
        let done = self.base + self.start as u64;
        while self.reads.front().is_some_and(|(upto, _)| *upto <= done) {
            self.reads.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_are_stamped_with_the_read_that_completed_them() {
        let (mut tx, mut rx) = tokio::io::duplex(1024);
        let mut inbox = Inbox::default();
        tokio::io::AsyncWriteExt::write_all(&mut tx, b"abc")
            .await
            .expect("write");
        inbox.fill(&mut rx).await.expect("read");
        let first = inbox.arrival(3).expect("stamped");
        tokio::io::AsyncWriteExt::write_all(&mut tx, b"def")
            .await
            .expect("write");
        inbox.fill(&mut rx).await.expect("read");
        assert_eq!(inbox.arrival(2), Some(first));
        inbox.consume(2);
        assert_eq!(inbox.unread(), b"cdef");
        assert_eq!(inbox.arrival(1), Some(first));
        let second = inbox.arrival(2).expect("stamped");
        assert!(second >= first);
        inbox.consume(4);
        assert!(inbox.unread().is_empty());
        assert!(inbox.arrival(1).is_none());
    }
}
