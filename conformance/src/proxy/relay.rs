//! A byte relay between a client and its upstream server that changes
//! nothing: each read is written to the other side at once, whole, before
//! anyone looks at it, and only then handed to the observer as a copy with
//! the time it was read. Knows no protocol.
//!
//! Timing is part of what the proxy inspects (zap §3.2, §3.4 R5): buffering
//! a frame before forwarding it would change where the receiver sees read
//! boundaries, so the pumps wait for nothing but the sockets — and for the
//! observer when it has fallen [`QUEUE`] reads behind. Then a pump stops
//! reading (backpressure: the fast side's bytes wait in its own socket)
//! instead of buffering without bound; `serve` grew to 3.8 GB behind a fast
//! client without it. Such a wait is counted ([`RelayStats`]) when it is
//! longer than the settle time, since the receiver may then see a pause the
//! sender did not make.
//!
//! The pumps also say when a side paused ([`RelayEvent::Paused`]): only a
//! pump that was waiting on its socket for the whole settle time with
//! nothing arriving can know that. A silence that fell while the relay was
//! held up is never taken for the sender's pause, so a sender is never
//! blamed for the relay's own stalls.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::lang::t;

/// Bytes asked of a socket per read: the most one event carries.
pub const READ: usize = 8 * 1024;

/// Events one connection's pumps may have queued for the observer before
/// they stop reading: with [`READ`], 1 MiB.
pub const QUEUE: usize = 128;

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
    /// `from` sent nothing for the settle time after its last bytes, while
    /// its pump waited on the socket: a read boundary (zap §3.4 R5).
    Paused { from: Side },
    /// `side` will send nothing more.
    Closed {
        side: Side,
        how: Closed,
        at: Instant,
    },
}

/// How often, and how long, the relay held a side's bytes back because the
/// observer was behind, past the settle time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RelayStats {
    pub stalls: u64,
    pub longest: Duration,
}

#[derive(Debug, Default)]
struct Stalls {
    count: AtomicU64,
    longest_us: AtomicU64,
}

impl Stalls {
    fn record(&self, wait: Duration) {
        self.count.fetch_add(1, Ordering::Relaxed);
        let us = u64::try_from(wait.as_micros()).unwrap_or(u64::MAX);
        self.longest_us.fetch_max(us, Ordering::Relaxed);
    }
}

/// The two pumps of one relayed connection. Dropping it leaves them
/// running; [`Relay::abort`] stops them (and so closes both sockets).
#[derive(Debug)]
pub struct Relay {
    pumps: [JoinHandle<()>; 2],
    stalls: Arc<Stalls>,
}

impl Relay {
    /// Starts relaying between `client` and `server`; events go to `tx`,
    /// which holds at most [`QUEUE`] of them. Both sockets get TCP_NODELAY,
    /// so a write is not held back waiting for the next one (zap §3.2).
    /// `settle` is how long a silence must be watched to be a pause.
    pub fn start(
        client: TcpStream,
        server: TcpStream,
        tx: mpsc::Sender<RelayEvent>,
        settle: Duration,
    ) -> Relay {
        // Without NODELAY bytes are only delayed, never changed: not fatal.
        let _ = client.set_nodelay(true);
        let _ = server.set_nodelay(true);
        let (client_rd, client_wr) = client.into_split();
        let (server_rd, server_wr) = server.into_split();
        let stalls = Arc::new(Stalls::default());
        let pump =
            |from, rd, wr, tx| tokio::spawn(pump(from, rd, wr, tx, settle, Arc::clone(&stalls)));
        Relay {
            pumps: [
                pump(Side::Client, client_rd, server_wr, tx.clone()),
                pump(Side::Server, server_rd, client_wr, tx),
            ],
            stalls,
        }
    }

    pub fn stats(&self) -> RelayStats {
        RelayStats {
            stalls: self.stalls.count.load(Ordering::Relaxed),
            longest: Duration::from_micros(self.stalls.longest_us.load(Ordering::Relaxed)),
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
/// After bytes, it watches the socket for `settle`: nothing in that time is
/// a pause.
async fn pump(
    from: Side,
    mut rd: OwnedReadHalf,
    mut wr: OwnedWriteHalf,
    tx: mpsc::Sender<RelayEvent>,
    settle: Duration,
    stalls: Arc<Stalls>,
) {
    let mut buf = vec![0u8; READ];
    let closed = |side, how| RelayEvent::Closed {
        side,
        how,
        at: Instant::now(),
    };
    // Bytes came since the last pause: a silence now would be one.
    let mut fresh = false;
    loop {
        let read = if fresh {
            // `read` is cancel-safe: a timeout loses nothing.
            match tokio::time::timeout(settle, rd.read(&mut buf)).await {
                Ok(r) => r,
                Err(_) => {
                    fresh = false;
                    hand(&tx, RelayEvent::Paused { from }, settle, &stalls).await;
                    continue;
                }
            }
        } else {
            rd.read(&mut buf).await
        };
        match read {
            Ok(0) => {
                let _ = tx.send(closed(from, Closed::Eof)).await;
                let _ = wr.shutdown().await;
                return;
            }
            Ok(n) => {
                let at = Instant::now();
                let written = wr.write_all(&buf[..n]).await;
                let data = RelayEvent::Data {
                    from,
                    bytes: buf[..n].to_vec(),
                    at,
                };
                hand(&tx, data, settle, &stalls).await;
                if let Err(e) = written {
                    let why = format!(
                        "{}: {e}",
                        t("writing to it failed", "a escrita para ele falhou")
                    );
                    let _ = tx.send(closed(from.other(), Closed::Failed(why))).await;
                    return;
                }
                fresh = true;
            }
            Err(e) => {
                let _ = tx.send(closed(from, Closed::Failed(e.to_string()))).await;
                let _ = wr.shutdown().await;
                return;
            }
        }
    }
}

/// Queues `event` for the inspector, waiting for room (a closed queue takes
/// nothing and waits for nothing); a wait past `settle` is a stall.
async fn hand(tx: &mpsc::Sender<RelayEvent>, event: RelayEvent, settle: Duration, stalls: &Stalls) {
    let start = Instant::now();
    let _ = tx.send(event).await;
    let held = start.elapsed();
    if held > settle {
        stalls.record(held);
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A client socket, and the relay's two sockets to put between it and
    /// a server socket (also returned).
    async fn pair() -> (TcpStream, TcpStream, TcpStream, TcpStream) {
        let l = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = l.local_addr().expect("addr");
        let client = TcpStream::connect(addr).await.expect("connect");
        let (relay_client, _) = l.accept().await.expect("accept");
        let relay_server = TcpStream::connect(addr).await.expect("connect");
        let (server, _) = l.accept().await.expect("accept");
        (client, relay_client, relay_server, server)
    }

    fn render(e: &RelayEvent) -> String {
        match e {
            RelayEvent::Data { bytes, .. } => String::from_utf8_lossy(bytes).into_owned(),
            RelayEvent::Paused { .. } => "|".into(),
            RelayEvent::Closed { .. } => "$".into(),
        }
    }

    /// zap §3.4 R5, issue 18: bytes that waited in the socket while the
    /// relay was held up by a full queue are no pause, however long they
    /// waited; a silence the relay watched is. The wait is counted.
    #[tokio::test]
    async fn only_a_watched_silence_is_a_pause_and_the_queue_holds_the_relay() {
        let settle = Duration::from_millis(20);
        let (mut client, rc, rs, mut server) = pair().await;
        let (tx, mut rx) = mpsc::channel(1);
        let relay = Relay::start(rc, rs, tx, settle);
        client.write_all(b"A").await.expect("write");
        // Watched: a pause. Its event waits for room in the full queue, and
        // the relay reads nothing meanwhile.
        tokio::time::sleep(settle * 3).await;
        client.write_all(b"B").await.expect("write");
        tokio::time::sleep(settle * 5).await;
        client.write_all(b"C").await.expect("write");
        let mut seen = String::new();
        while seen.matches('|').count() < 2 {
            let e = tokio::time::timeout(Duration::from_secs(10), rx.recv())
                .await
                .expect("events")
                .expect("an event");
            seen.push_str(&render(&e));
        }
        assert_eq!(seen, "A|BC|", "B and C waited for the relay, not a pause");
        let mut got = [0u8; 3];
        server.read_exact(&mut got).await.expect("relayed");
        assert_eq!(&got, b"ABC");
        assert!(relay.stats().stalls >= 1, "{:?}", relay.stats());
        relay.abort();
    }
}
