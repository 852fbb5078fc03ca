//! The receive side of a benchmark connection, for any protocol: reads go
//! into the codec's [`StreamDecoder`], and each read's instant is kept
//! with the stream offset it reached.
//!
//! An undelimited protocol's frame may be known to be complete only later
//! than its bytes arrived (a glued header, or a pause, ends it). Latency is
//! about when the bytes arrived, so a frame is stamped with the read that
//! brought its last byte — whatever decided its end afterwards. The
//! decoder is the caller's, beside the inbox, so a frame it lends (no copy,
//! [`StreamDecoder::next_borrowed`]) can be stamped while it is held.

use std::collections::VecDeque;
use std::time::Instant;

use gabarito_codec::{Framing, StreamDecoder};
use tokio::io::{AsyncRead, AsyncReadExt};

/// Bytes asked of the socket per read by default: many small frames per
/// syscall.
const READ_CHUNK: usize = 64 * 1024;

#[derive(Debug)]
pub struct Inbox {
    /// Where each read lands before the decoder takes it.
    chunk: Box<[u8]>,
    /// Stream offset just past the bytes read so far.
    received: u64,
    /// Stream offset just past the bytes taken off as frames.
    consumed: u64,
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
            chunk: vec![0; chunk.max(1)].into_boxed_slice(),
            received: 0,
            consumed: 0,
            reads: VecDeque::new(),
        }
    }

    /// Reads once into `decoder`; returns the byte count (0 at EOF).
    pub async fn fill<P: Framing, R: AsyncRead + Unpin>(
        &mut self,
        rd: &mut R,
        decoder: &mut StreamDecoder<P>,
    ) -> std::io::Result<usize> {
        let n = rd.read(&mut self.chunk).await?;
        if n > 0 {
            decoder.push(&self.chunk[..n]);
            self.received += n as u64;
            self.reads.push_back((self.received, Instant::now()));
        }
        Ok(n)
    }

    /// When the next `len` bytes of the stream (those of the next frame,
    /// with any line breaks the decoder skipped before it) had all arrived.
    pub fn arrival(&self, len: usize) -> Option<Instant> {
        let end = self.consumed + len as u64;
        self.reads
            .iter()
            .find(|(upto, _)| *upto >= end)
            .map(|(_, at)| *at)
    }

    /// Counts the next `len` bytes of the stream as taken.
    pub fn consume(&mut self, len: usize) {
        self.consumed = (self.consumed + len as u64).min(self.received);
        let done = self.consumed;
        while self.reads.front().is_some_and(|(upto, _)| *upto <= done) {
            self.reads.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gabarito_codec::End;
    use gabarito_codec::zap::{Direction, Zap};

    #[tokio::test]
    async fn frames_are_stamped_with_the_read_that_completed_them() {
        let (mut tx, mut rx) = tokio::io::duplex(1024);
        let mut inbox = Inbox::default();
        let mut frames = StreamDecoder::<Zap>::new(Direction::ToClient);
        // A 02 cut in two reads, then a 07 in the second read too.
        tokio::io::AsyncWriteExt::write_all(&mut tx, b"\r\n022000")
            .await
            .expect("write");
        inbox.fill(&mut rx, &mut frames).await.expect("read");
        let first = inbox.arrival(8).expect("stamped");
        assert!(frames.next(End::More).expect("valid").is_none());
        tokio::io::AsyncWriteExt::write_all(&mut tx, b"000000001072000000000001")
            .await
            .expect("write");
        tokio::io::AsyncWriteExt::write_all(&mut tx, b"1700000000")
            .await
            .expect("write");
        inbox.fill(&mut rx, &mut frames).await.expect("read");
        let registered = frames.next(End::More).expect("valid").expect("a 02");
        assert_eq!(registered.len, 17, "the skipped line breaks count");
        let second = inbox.arrival(registered.len).expect("stamped");
        assert!(second >= first);
        assert_eq!(inbox.arrival(2), Some(first), "the breaks came first");
        inbox.consume(registered.len);
        let delivered = frames.next(End::More).expect("valid").expect("a 07");
        assert_eq!(inbox.arrival(delivered.len), Some(second));
        inbox.consume(delivered.len);
        assert!(inbox.arrival(1).is_none(), "nothing more arrived");
    }
}
