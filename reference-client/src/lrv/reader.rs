//! The read side of an LRV connection: bytes in, whole lines out, by the
//! receiving rules of lrv §3.3 as the codec's
//! [`StreamDecoder<Lines>`](gabarito_codec::StreamDecoder) applies them — a
//! line ends at its LF (L1); empty lines are skipped and counted (L2); a
//! line over the reply limit is refused as soon as it is known to be one,
//! and dropped up to its LF (L3); glued lines are taken one by one (L5).
//! This reader adds the time: bytes with no LF end a line when the server
//! pauses for the settle time or closes (L4), and a line must begin before
//! a deadline.
//!
//! The reader does not interpret lines: the client decides what each one
//! is by its position (lrv §3.6) and reads replies with the tolerant rules
//! of lrv §7.5.

use std::io;
use std::time::Duration;

use gabarito_codec::End;
use gabarito_codec::lrv::{Direction, Lines, MAX_REPLY_LEN, RawLine};
use tokio::io::AsyncRead;
use tokio::time::Instant;

use crate::conn::{Arrived, Inbound};

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 8192;

/// Bytes of an over-long line a [`ReadError::TooLong`] keeps.
const EXCERPT: usize = 64;

/// Why no line came.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Nothing (or only part of a line) arrived before the deadline.
    #[error("timed out")]
    Timeout,
    /// More than the reply limit with no LF (lrv §3.4, L3); `excerpt` is
    /// its first bytes. The rest is dropped up to its LF as it arrives.
    #[error("a line longer than {MAX_REPLY_LEN} bytes")]
    TooLong { excerpt: Vec<u8> },
}

/// Reads lines from the server's byte stream.
#[derive(Debug)]
pub struct LineReader<R> {
    inbound: Inbound<Lines, R>,
    settle: Duration,
}

impl<R: AsyncRead + Unpin> LineReader<R> {
    /// A reader that takes a pause of `settle` after bytes with no LF as
    /// the end of a line (lrv §3.3 L4).
    pub fn new(io: R, settle: Duration) -> Self {
        LineReader {
            inbound: Inbound::new(io, Direction::ToClient, READ_CHUNK),
            settle,
        }
    }

    /// Whether the server has closed its side.
    pub fn at_eof(&self) -> bool {
        self.inbound.at_eof()
    }

    /// Bytes received and not yet returned as a line.
    pub fn pending(&self) -> &[u8] {
        self.inbound.pending()
    }

    /// The next line, waiting at most until `deadline` for it to begin
    /// (once begun, it ends at its LF or at a pause of the settle time);
    /// `Ok(None)` once the server has closed and every line was returned.
    ///
    /// Cancel-safe: dropping the future loses no byte.
    pub async fn next(&mut self, deadline: Instant) -> Result<Option<RawLine>, ReadError> {
        loop {
            if let Some(line) = self.take(End::More)? {
                return Ok(Some(line));
            }
            if self.at_eof() {
                let line = self.take(End::Boundary)?;
                if line.is_none() {
                    self.inbound.decoder().take_pending();
                }
                return Ok(line);
            }
            let open = self.pending().iter().any(|&b| b != b'\n' && b != b'\r');
            let wait = if open {
                // L4: bytes with no LF; a pause of `settle` ends them. Not
                // cut by the deadline: a line that has begun may finish
                // (bounded by the reply limit, L3).
                self.settle
            } else {
                deadline.saturating_duration_since(Instant::now())
            };
            match self.inbound.read(Some(wait)).await? {
                Arrived::Bytes | Arrived::Eof => {}
                Arrived::Quiet if open => {
                    if let Some(line) = self.take(End::Boundary)? {
                        return Ok(Some(line));
                    }
                }
                Arrived::Quiet => return Err(ReadError::Timeout),
            }
        }
    }

    /// Every whole line already received, reading only what the socket
    /// holds now (no waiting): what the server sent while nobody asked.
    /// Bytes with no LF stay pending.
    pub async fn ready(&mut self) -> Result<Vec<RawLine>, ReadError> {
        while !self.at_eof() {
            if self.inbound.read(Some(Duration::ZERO)).await? == Arrived::Quiet {
                break;
            }
        }
        let mut lines = Vec::new();
        let end = if self.at_eof() {
            End::Boundary
        } else {
            End::More
        };
        while let Some(line) = self.take(end)? {
            lines.push(line);
        }
        Ok(lines)
    }

    fn take(&mut self, end: End) -> Result<Option<RawLine>, ReadError> {
        self.inbound.decoder().next(end).map_err(|rejected| {
            let mut excerpt = rejected.line;
            excerpt.truncate(EXCERPT);
            ReadError::TooLong { excerpt }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gabarito_codec::lrv::Terminator;
    use tokio::io::AsyncWriteExt;

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[tokio::test]
    async fn lines_crlf_empty_lines_and_a_pause() {
        let (mut server, client) = tokio::io::duplex(1 << 16);
        let mut r = LineReader::new(client, Duration::from_millis(20));
        server.write_all(b"200\n\r\n201\r\n202").await.unwrap();
        let a = r.next(soon()).await.unwrap().unwrap();
        assert_eq!(
            (a.bytes.as_slice(), a.terminator),
            (&b"200\n"[..], Terminator::Lf)
        );
        let b = r.next(soon()).await.unwrap().unwrap();
        assert_eq!(
            (b.content(), b.terminator, b.skipped),
            (&b"201"[..], Terminator::CrLf, 2)
        );
        let c = r.next(soon()).await.unwrap().unwrap();
        assert_eq!(
            (c.content(), c.terminator),
            (&b"202"[..], Terminator::Absent)
        );
        drop(server);
        assert_eq!(r.next(soon()).await.unwrap(), None);
    }

    #[tokio::test]
    async fn an_over_long_line_is_refused_and_dropped_to_its_lf() {
        let (mut server, client) = tokio::io::duplex(1 << 16);
        let mut r = LineReader::new(client, Duration::from_secs(5));
        let writer = tokio::spawn(async move {
            server
                .write_all(&vec![b'7'; MAX_REPLY_LEN + 10])
                .await
                .unwrap();
            server.write_all(b"777\n206\n").await.unwrap();
            server
        });
        assert!(matches!(
            r.next(soon()).await,
            Err(ReadError::TooLong { .. })
        ));
        let _server = writer.await.unwrap();
        let next = r.next(soon()).await.unwrap().unwrap();
        assert_eq!(next.bytes, b"206\n");
    }

    #[tokio::test]
    async fn a_line_begun_before_the_deadline_is_not_cut_by_it() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = LineReader::new(client, Duration::from_secs(5));
        server.write_all(b"203 1").await.unwrap();
        let writer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            server.write_all(b",2\n").await.unwrap();
            server
        });
        let deadline = Instant::now() + Duration::from_millis(20);
        let line = r.next(deadline).await.unwrap().unwrap();
        assert_eq!(line.bytes, b"203 1,2\n");
        let _server = writer.await.unwrap();
    }

    #[tokio::test]
    async fn ready_takes_only_what_is_there() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = LineReader::new(client, Duration::from_millis(20));
        assert!(r.ready().await.unwrap().is_empty());
        server.write_all(b"Mais uma linha\n20").await.unwrap();
        let lines = r.ready().await.unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(r.pending(), b"20");
        let deadline = Instant::now() + Duration::from_millis(200);
        assert!(matches!(r.next(deadline).await, Ok(Some(l)) if l.bytes == b"20"));
        assert!(matches!(r.next(deadline).await, Err(ReadError::Timeout)));
    }
}
