//! [`Inbound`]: the read side of a connection for any protocol. Bytes go
//! from the socket into the codec's
//! [`StreamDecoder`](gabarito_codec::StreamDecoder), which frames them by
//! the protocol's rules; when to wait and when a pause is a read boundary
//! is the protocol client's policy.

use std::io;
use std::time::Duration;

use gabarito_codec::{Framing, StreamDecoder};
use tokio::io::{AsyncRead, AsyncReadExt};

/// What one read brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrived {
    /// Bytes, now in the decoder.
    Bytes,
    /// The end of the stream: the server closed its side.
    Eof,
    /// Nothing within the wait: the server is quiet (a read boundary, if a
    /// message is open).
    Quiet,
}

/// Reads a server's bytes into a stream decoder of framing `P`.
#[derive(Debug)]
pub struct Inbound<P: Framing, R> {
    io: R,
    decoder: StreamDecoder<P>,
    chunk: Box<[u8]>,
    eof: bool,
}

impl<P: Framing, R: AsyncRead + Unpin> Inbound<P, R> {
    /// Reads of at most `chunk` bytes from `io`, decoded as flowing in
    /// `dir`.
    pub fn new(io: R, dir: P::Direction, chunk: usize) -> Self {
        Inbound {
            io,
            decoder: StreamDecoder::new(dir),
            chunk: vec![0; chunk].into_boxed_slice(),
            eof: false,
        }
    }

    /// The decoder, to take messages off.
    pub fn decoder(&mut self) -> &mut StreamDecoder<P> {
        &mut self.decoder
    }

    /// Bytes received and not yet decided.
    pub fn pending(&self) -> &[u8] {
        self.decoder.pending()
    }

    /// Whether the server has closed its side (or reading failed).
    pub fn at_eof(&self) -> bool {
        self.eof
    }

    /// Reads once, waiting at most `wait` (`None`: until something
    /// happens). Cancel-safe: dropping the future loses no byte.
    pub async fn read(&mut self, wait: Option<Duration>) -> io::Result<Arrived> {
        let read = match wait {
            Some(wait) => match tokio::time::timeout(wait, self.io.read(&mut self.chunk)).await {
                Ok(read) => read,
                Err(_) => return Ok(Arrived::Quiet),
            },
            None => self.io.read(&mut self.chunk).await,
        };
        match read {
            Ok(0) => {
                self.eof = true;
                Ok(Arrived::Eof)
            }
            Ok(n) => {
                self.decoder.push(&self.chunk[..n]);
                Ok(Arrived::Bytes)
            }
            Err(e) => {
                self.eof = true;
                Err(e)
            }
        }
    }
}
