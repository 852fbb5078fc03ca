//! The write side of a connection: one canonical frame per write, paced.
//!
//! zap §3.2: a sender SHOULD write each frame with one write, with Nagle
//! off, and SHOULD NOT write the next frame only microseconds later, or a
//! naive server that takes each `recv()` as one message (the field study in
//! DESIGN.md) reads two frames as one. The pace is the least time between
//! two writes; zero turns it off (load generators, the reference server).

use std::io;
use std::time::Duration;

use gabarito_codec::zap::Message;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

/// Writes frames to the server.
#[derive(Debug)]
pub struct FrameWriter<W> {
    io: W,
    pace: Duration,
    last: Option<Instant>,
}

impl<W: AsyncWrite + Unpin> FrameWriter<W> {
    pub fn new(io: W, pace: Duration) -> Self {
        FrameWriter {
            io,
            pace,
            last: None,
        }
    }

    /// Writes `m` canonically (zap §3.2). Not cancel-safe: a frame cut off
    /// mid-write would corrupt the stream, so do not drop the future.
    pub async fn send(&mut self, m: &Message<'_>) -> io::Result<()> {
        if let Some(last) = self.last {
            let since = last.elapsed();
            if since < self.pace {
                tokio::time::sleep(self.pace - since).await;
            }
        }
        self.io.write_all(&m.to_bytes()).await?;
        self.io.flush().await?;
        self.last = Some(Instant::now());
        Ok(())
    }

    /// Closes our sending side (TCP FIN), so the server sees EOF while we
    /// can still read what it had already written.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.io.shutdown().await
    }
}
