//! [`Outbound`]: the write side of a connection for any protocol: one
//! canonical message per write, flushed, as every protocol here asks of a
//! sender (zap §3.2, lrv §3.2) so that even a server that takes each
//! `recv()` as one message reads it whole.

use std::io;
use std::marker::PhantomData;

use gabarito_codec::{Encode, Protocol};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// Writes protocol `P`'s messages to a server.
#[derive(Debug)]
pub struct Outbound<P, W> {
    io: W,
    /// The message being written, reused so writing allocates only to grow.
    buf: Vec<u8>,
    protocol: PhantomData<P>,
}

impl<P: Protocol, W: AsyncWrite + Unpin> Outbound<P, W> {
    pub fn new(io: W) -> Self {
        Outbound {
            io,
            buf: Vec::new(),
            protocol: PhantomData,
        }
    }

    /// Writes `message` canonically with one write. Not cancel-safe: a
    /// message cut off mid-write would corrupt the stream, so do not drop
    /// the future.
    pub async fn send(&mut self, message: &impl Encode<P>) -> io::Result<()> {
        self.buf.clear();
        message.encode(&mut self.buf);
        self.io.write_all(&self.buf).await?;
        self.io.flush().await
    }

    /// Closes our sending side (TCP FIN), so the server sees EOF while we
    /// can still read what it had already written.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.io.shutdown().await
    }
}
