//! What every raw peer (`zap::Client`, `lrv::Lrv`) does the same way: one
//! bounded read that notes EOF, and [`Peer`] — waiting for the server to
//! close, or for silence — over the peer's own way of taking a message.

use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

use crate::{PATIENCE, QUIET};

/// A raw connection that takes the server's messages one at a time.
#[allow(async_fn_in_trait)]
pub trait Peer {
    /// A message as the peer takes it: a decoded frame, a raw line.
    type Message;

    /// The next message within `wait`; `None` if none came (or at EOF).
    async fn next_within(&mut self, wait: Duration) -> Option<Self::Message>;

    /// The server closed the connection.
    fn at_eof(&self) -> bool;

    /// The server closes the connection within [`PATIENCE`]; the messages
    /// that came before the close.
    async fn expect_closed(&mut self) -> Vec<Self::Message> {
        let mut before = Vec::new();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !self.at_eof() {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(
                !left.is_zero(),
                "expected the server to close the connection"
            );
            before.extend(self.next_within(left).await);
        }
        before
    }

    /// Whether the connection is still open after [`QUIET`] of silence.
    async fn is_open(&mut self) -> bool {
        self.next_within(QUIET).await;
        !self.at_eof()
    }
}

/// Reads once, at most `max` bytes within `wait`: `None` when nothing came
/// in time, or at EOF or an error, which also set `eof`.
pub(crate) async fn read_once(
    stream: &mut TcpStream,
    max: usize,
    wait: Duration,
    eof: &mut bool,
) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; max];
    match tokio::time::timeout(wait, stream.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => {
            *eof = true;
            None
        }
        Ok(Ok(n)) => {
            buf.truncate(n);
            Some(buf)
        }
        Err(_) => None,
    }
}
