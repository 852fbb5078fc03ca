//! A byte relay between a client and its upstream server that changes
//! nothing and delays nothing: each read is written to the other side at
//! once, whole, before anyone looks at it, and only then handed to the
//! observer as a copy with the time it was read. Knows no protocol.
//!
//! Timing is part of what the proxy inspects (zap §3.2, §3.4 R5): buffering
//! a frame before forwarding it would change where the receiver sees read
//! boundaries, so the pumps never wait for anything but the socket.

use std::fmt;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::lang::t;

/// Who sent the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Client, Side::Server];

    pub fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }

    pub fn index(self) -> usize {
        match self {
            Side::Client => 0,
            Side::Server => 1,
        }
    }

    /// `client` or `server`: stable, for scripts and logs.
    pub fn name(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }

    /// `the client`, `the server`, in the report's language (`--lang`).
    pub fn the(self) -> &'static str {
        match self {
            Side::Client => t("the client", "o cliente"),
            Side::Server => t("the server", "o servidor"),
        }
    }
}

/// How a side stopped sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closed {
    /// It closed (or half-closed) its side: an orderly EOF.
    Eof,
    /// Reading from it, or writing to it, failed: a reset, a broken pipe.
    Failed(String),
}

/// What the side did, after its name (`the client` …), in the report's
/// language.
impl fmt::Display for Closed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Closed::Eof => f.write_str(t("closed its side (EOF)", "fechou o seu lado (EOF)")),
            Closed::Failed(e) => write!(f, "{} ({e})", t("is gone", "caiu")),
        }
    }
}

/// What the relay saw, in the order each pump saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayEvent {
    /// Bytes read from `from` and already written to the other side.
    Data {
        from: Side,
        bytes: Vec<u8>,
        at: Instant,
    },
    /// `side` will send nothing more.
    Closed {
        side: Side,
        how: Closed,
        at: Instant,
    },
}

impl RelayEvent {
    pub fn at(&self) -> Instant {
        match self {
            RelayEvent::Data { at, .. } | RelayEvent::Closed { at, .. } => *at,
        }
    }
}

/// The two pumps of one relayed connection. Dropping it leaves them
/// running; [`Relay::abort`] stops them (and so closes both sockets).
#[derive(Debug)]
pub struct Relay {
    pumps: [JoinHandle<()>; 2],
}

impl Relay {
    /// Starts relaying between `client` and `server`; events go to `tx`.
    /// Both sockets get TCP_NODELAY, so a write is not held back waiting
    /// for the next one (zap §3.2).
    pub fn start(
        client: TcpStream,
        server: TcpStream,
        tx: mpsc::UnboundedSender<RelayEvent>,
    ) -> Relay {
        // Without NODELAY bytes are only delayed, never changed: not fatal.
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        let (client_rd, client_wr) = client.into_split();
        let (server_rd, server_wr) = server.into_split();
        Relay {
            pumps: [
                tokio::spawn(pump(Side::Client, client_rd, server_wr, tx.clone())),
                tokio::spawn(pump(Side::Server, server_rd, client_wr, tx)),
            ],
        }
    }

    /// Stops both pumps; the sockets close.
    pub fn abort(&self) {
        for p in &self.pumps {
            p.abort();
        }
    }
}

/// Copies `from`'s bytes to the other side until `from` closes. An EOF is
/// passed on as a half-close, so the other side sees exactly what a direct
/// connection would show it; the pump on the other direction goes on.
async fn pump(
    from: Side,
    mut rd: OwnedReadHalf,
    mut wr: OwnedWriteHalf,
    tx: mpsc::UnboundedSender<RelayEvent>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    let closed = |side, how| RelayEvent::Closed {
        side,
        how,
        at: Instant::now(),
    };
    loop {
        match rd.read(&mut buf).await {
            Ok(0) => {
                let _ = tx.send(closed(from, Closed::Eof));
                let _ = wr.shutdown().await;
                return;
            }
            Ok(n) => {
                let at = Instant::now();
                let written = wr.write_all(&buf[..n]).await;
                let _ = tx.send(RelayEvent::Data {
                    from,
                    bytes: buf[..n].to_vec(),
                    at,
                });
                if let Err(e) = written {
                    let why = format!(
                        "{}: {e}",
                        t("writing to it failed", "a escrita para ele falhou")
                    );
                    let _ = tx.send(closed(from.other(), Closed::Failed(why)));
                    return;
                }
            }
            Err(e) => {
                let _ = tx.send(closed(from, Closed::Failed(e.to_string())));
                let _ = wr.shutdown().await;
                return;
            }
        }
    }
}
