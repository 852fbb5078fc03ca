//! Raw peers on 127.0.0.1: an attacker writes bytes, a canary measures how
//! long an unrelated client waits for its answer while the attack runs.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::server::PATIENCE;

/// The protocol a server under attack speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proto {
    Zap,
    Lrv,
}

impl Proto {
    pub fn flag(self) -> &'static str {
        match self {
            Proto::Zap => "zap",
            Proto::Lrv => "lrv",
        }
    }
}

pub async fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).await.expect("connect");
    s.set_nodelay(true).expect("nodelay");
    s
}

/// Reads until `want` bytes came or `wait` passed (or EOF); returns them.
pub async fn read_at_least(s: &mut TcpStream, want: usize, wait: Duration) -> Vec<u8> {
    let deadline = Instant::now() + wait;
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    while out.len() < want {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => out.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    out
}

/// Reads until the peer closes (true) or `wait` passes (false), dropping
/// what comes; also returns how many bytes came.
pub async fn until_closed(s: &mut TcpStream, wait: Duration) -> (bool, usize) {
    let deadline = Instant::now() + wait;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (true, total),
            Ok(Ok(n)) => total += n,
            Err(_) => return (false, total),
        }
    }
}

/// zap: a 01 on a new connection; the 02's id.
pub async fn zap_register(addr: SocketAddr) -> String {
    let mut s = connect(addr).await;
    s.write_all(b"01").await.expect("write 01");
    let got = read_at_least(&mut s, 15, PATIENCE).await;
    assert!(
        got.len() >= 15 && got.starts_with(b"02"),
        "expected 02 + id, got {:?}",
        String::from_utf8_lossy(&got)
    );
    String::from_utf8_lossy(&got[2..15]).into_owned()
}

/// One unrelated client's round trip: zap 01 → 02 on a new connection, lrv
/// the greeting and `ESGOTOU` → `206`. Panics if it is not served within
/// [`PATIENCE`].
pub async fn canary(proto: Proto, addr: SocketAddr) -> Duration {
    try_canary(proto, addr)
        .await
        .unwrap_or_else(|e| panic!("canary: {e}"))
}

/// [`canary`], with what went wrong instead of a panic.
pub async fn try_canary(proto: Proto, addr: SocketAddr) -> Result<Duration, String> {
    let start = Instant::now();
    let mut s = connect(addr).await;
    match proto {
        Proto::Zap => {
            s.write_all(b"01").await.map_err(|e| e.to_string())?;
            let got = read_at_least(&mut s, 15, PATIENCE).await;
            if !(got.starts_with(b"02") && got.len() >= 15) {
                return Err(format!(
                    "expected a 02, got {:?} after {:?}",
                    String::from_utf8_lossy(&got),
                    start.elapsed()
                ));
            }
        }
        Proto::Lrv => {
            let greeting = read_line(&mut s).await;
            if !greeting.starts_with("Bem-vindo") {
                return Err(format!("greeting {greeting:?} after {:?}", start.elapsed()));
            }
            s.write_all(b"ESGOTOU\n").await.map_err(|e| e.to_string())?;
            let reply = read_line(&mut s).await;
            if !reply.starts_with("20") {
                return Err(format!("reply {reply:?} after {:?}", start.elapsed()));
            }
        }
    }
    Ok(start.elapsed())
}

/// One LF-terminated line, within [`PATIENCE`].
pub async fn read_line(s: &mut TcpStream) -> String {
    let deadline = Instant::now() + PATIENCE;
    let mut line = Vec::new();
    let mut b = [0u8; 1];
    while !line.ends_with(b"\n") {
        match tokio::time::timeout_at(deadline, s.read(&mut b)).await {
            Ok(Ok(1)) => line.push(b[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&line).into_owned()
}

/// Runs canaries one after another until `done` is set.
pub async fn canaries_until(
    proto: Proto,
    addr: SocketAddr,
    done: tokio::sync::watch::Receiver<bool>,
) -> Canaries {
    let mut c = Canaries::default();
    while !*done.borrow() {
        let start = Instant::now();
        match try_canary(proto, addr).await {
            Ok(took) => c.worst = c.worst.max(took),
            Err(e) => {
                c.worst = c.worst.max(start.elapsed());
                c.failed.push(e);
            }
        }
        c.ran += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    c
}

/// What the canaries saw.
#[derive(Debug, Default)]
pub struct Canaries {
    /// The slowest round trip, failed ones included.
    pub worst: Duration,
    pub ran: usize,
    pub failed: Vec<String>,
}

impl Canaries {
    /// Every canary served, the slowest within `bound`.
    pub fn assert_within(&self, bound: Duration) {
        assert!(
            self.failed.is_empty(),
            "canaries not served: {:?}",
            self.failed
        );
        assert!(self.worst < bound, "a canary waited {:?}", self.worst);
    }
}
