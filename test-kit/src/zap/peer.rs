//! A raw zap connection: writes what it is given in one write, reads
//! frames by the codec's stream rules (zap §3.4), so it copes with glued
//! and padded replies and shows a server's bytes as they came. And
//! [`Peers`]: connecting, registering and logging in on any server a test
//! started.

use std::net::SocketAddr;
use std::time::Duration;

use gabarito_codec::zap::{Direction, End, Id, Message, StreamDecoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::peer::{Peer, read_once};
use crate::{PATIENCE, QUIET};

/// After a read, how long to wait before taking an open frame as complete.
const SETTLE: Duration = Duration::from_millis(60);

/// A raw client: writes one frame per write, reads with the codec's stream
/// rules (zap §3.4), so it copes with glued and padded replies.
#[derive(Debug)]
pub struct Client {
    stream: TcpStream,
    decoder: StreamDecoder,
    eof: bool,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Client {
            stream,
            decoder: StreamDecoder::new(Direction::ToClient),
            eof: false,
        }
    }

    pub fn from_stream(stream: TcpStream) -> Client {
        Client {
            stream,
            decoder: StreamDecoder::new(Direction::ToClient),
            eof: false,
        }
    }

    pub async fn send(&mut self, m: &Message<'_>) {
        self.send_raw(&m.to_bytes()).await;
    }

    /// Writes bytes in one write; a peer that already closed is not an error.
    pub async fn send_raw(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes).await;
    }

    /// Reads once (bounded by `wait`); false on timeout or EOF.
    async fn read_more(&mut self, wait: Duration) -> bool {
        let read = read_once(&mut self.stream, 8192, wait, &mut self.eof).await;
        read.map(|bytes| self.decoder.push(&bytes)).is_some()
    }

    /// The next frame within `wait`, `None` if none (or EOF).
    pub async fn try_recv(&mut self, wait: Duration) -> Option<Message<'static>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match self.decoder.next(End::More) {
                Ok(Some(d)) => return Some(d.message),
                Ok(None) => {}
                Err(e) => panic!("server sent something that is not zap: {e}"),
            }
            if !self.decoder.pending().is_empty() && !self.read_more(SETTLE).await {
                // The server paused (or closed) inside a frame: a boundary.
                match self.decoder.next(End::Boundary) {
                    Ok(Some(d)) => return Some(d.message),
                    Ok(None) => {}
                    Err(e) => panic!("server sent something that is not zap: {e}"),
                }
            }
            if self.eof {
                return None;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            if self.decoder.pending().is_empty() {
                self.read_more(left).await;
            }
        }
    }

    /// The next frame; panics if none arrives in [`PATIENCE`].
    pub async fn recv(&mut self) -> Message<'static> {
        match self.try_recv(PATIENCE).await {
            Some(m) => m,
            None => panic!(
                "expected a frame, got {} (eof: {})",
                if self.eof { "EOF" } else { "silence" },
                self.eof
            ),
        }
    }

    pub async fn recv_n(&mut self, n: usize) -> Vec<Message<'static>> {
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.recv().await);
        }
        v
    }

    /// Nothing arrives for [`QUIET`].
    pub async fn expect_silence(&mut self) {
        if let Some(m) = self.try_recv(QUIET).await {
            panic!("expected nothing, got {m:?}");
        }
    }

    /// Raw bytes received within `wait`, bypassing the decoder.
    pub async fn raw(&mut self, wait: Duration) -> Vec<u8> {
        let mut out = self.decoder.take_pending();
        let deadline = tokio::time::Instant::now() + wait;
        let mut buf = [0u8; 8192];
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return out;
            }
            match tokio::time::timeout(left, self.stream.read(&mut buf)).await {
                Ok(Ok(n)) if n > 0 => out.extend_from_slice(&buf[..n]),
                _ => return out,
            }
        }
    }

    pub fn into_stream(self) -> TcpStream {
        self.stream
    }

    /// One raw read into `buf` (0 at EOF or error), bypassing the decoder.
    pub async fn read_once(&mut self, buf: &mut [u8]) -> usize {
        self.stream.read(buf).await.unwrap_or(0)
    }

    /// Waits until everything this connection sent before is committed:
    /// writes `03 me` (a no-op for a connection already online as `me`,
    /// and a header that ends any open 05 by zap §3.4 R3) and `01`, and
    /// reads up to the 02, which is dispatched only after every earlier
    /// frame's effects (zap §11.1). Returns the frames that came before it.
    pub async fn barrier(&mut self, me: &Id<'_>) -> Vec<Message<'static>> {
        let mut bytes = Message::Connect { id: me.clone() }.to_bytes();
        bytes.extend_from_slice(b"01");
        self.send_raw(&bytes).await;
        let mut before = Vec::new();
        loop {
            match self.recv().await {
                Message::Registered { .. } => return before,
                other => before.push(other),
            }
        }
    }
}

impl Peer for Client {
    type Message = Message<'static>;

    async fn next_within(&mut self, wait: Duration) -> Option<Message<'static>> {
        self.try_recv(wait).await
    }

    fn at_eof(&self) -> bool {
        self.eof
    }
}

/// Registers on a raw stream: writes 01 and reads the 02's 15 bytes
/// (zap §5.1, §5.2); the id.
pub async fn register_raw(s: &mut TcpStream) -> String {
    s.write_all(b"01").await.expect("write");
    let mut reply = [0u8; 15];
    tokio::time::timeout(PATIENCE, s.read_exact(&mut reply))
        .await
        .expect("a 02 in time")
        .expect("a 02");
    String::from_utf8_lossy(&reply[2..]).to_string()
}

/// Raw zap connections to a server a test started, in-process or a child.
#[allow(async_fn_in_trait)]
pub trait Peers {
    fn peer_addr(&self) -> SocketAddr;

    async fn client(&self) -> Client {
        Client::connect(self.peer_addr()).await
    }

    /// Registers on a fresh connection, which is then closed (zap §5.1).
    async fn register(&self) -> Id<'static> {
        let mut c = self.client().await;
        c.send(&Message::Register).await;
        match c.recv().await {
            Message::Registered { id } => id,
            other => panic!("expected 02, got {other:?}"),
        }
    }

    /// A connection online as `id` (zap §5.3).
    async fn online(&self, id: &Id<'_>) -> Client {
        let mut c = self.client().await;
        c.send(&Message::Connect { id: id.clone() }).await;
        c
    }
}

#[cfg(feature = "server")]
impl Peers for crate::server::Server {
    fn peer_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Peers for crate::process::Process {
    fn peer_addr(&self) -> SocketAddr {
        self.addr
    }
}
