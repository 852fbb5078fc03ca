//! A raw LRV connection: writes what it is given in one write, reads lines
//! by lrv §3.3 (an LF ends one; a pause ends an unterminated one), so a
//! test sees a server's bytes as they came.

use std::net::SocketAddr;
use std::time::Duration;

use gabarito_codec::lrv::{Cpf, Number};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::peer::{Peer, read_once};
use crate::{PATIENCE, QUIET};

/// The seed's greeting (lrv §5).
pub const GREETING: &str = "Bem-vindo à compra de rifa!";

/// After bytes with no LF, how long a pause ends the line (L4).
const SETTLE: Duration = Duration::from_millis(100);

/// A valid CPF, distinct per `i` (lrv §4.1).
pub fn cpf(i: u32) -> String {
    Cpf::from_base(100_000 + i)
        .expect("a valid CPF")
        .to_string()
}

pub fn n(v: u32) -> Number {
    Number::new(v).expect("a number")
}

#[derive(Debug)]
pub struct Lrv {
    stream: TcpStream,
    buf: Vec<u8>,
    pub eof: bool,
}

impl Lrv {
    pub async fn connect(addr: SocketAddr) -> Lrv {
        let stream = TcpStream::connect(addr).await.expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Lrv {
            stream,
            buf: Vec::new(),
            eof: false,
        }
    }

    /// Connected, with the greeting read and checked (lrv §5).
    pub async fn greeted(addr: SocketAddr) -> Lrv {
        let mut c = Lrv::connect(addr).await;
        assert_eq!(c.line().await, GREETING);
        c
    }

    /// Connected, greeted and registered as `cpf`.
    pub async fn registered(addr: SocketAddr, cpf: &str) -> Lrv {
        let mut c = Lrv::greeted(addr).await;
        let r = c.ask(&format!("REGISTRAR {cpf}")).await;
        assert!(r == "200" || r == "201", "REGISTRAR {cpf}: {r}");
        c
    }

    /// Writes `bytes` in one write; a peer that closed is not an error.
    pub async fn send(&mut self, bytes: &[u8]) {
        let _ = self.stream.write_all(bytes).await;
    }

    /// Reads once (bounded by `wait`); false on timeout or EOF.
    async fn read_more(&mut self, wait: Duration) -> bool {
        let read = read_once(&mut self.stream, 65536, wait, &mut self.eof).await;
        read.map(|bytes| self.buf.extend_from_slice(&bytes))
            .is_some()
    }

    /// The next line, terminator included, within `wait`.
    pub async fn try_raw_line(&mut self, wait: Duration) -> Option<Vec<u8>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(lf) = self.buf.iter().position(|&b| b == b'\n') {
                return Some(self.buf.drain(..=lf).collect());
            }
            if !self.buf.is_empty() && !self.read_more(SETTLE).await {
                if self.buf.contains(&b'\n') {
                    continue;
                }
                return Some(std::mem::take(&mut self.buf));
            }
            if self.eof {
                return None;
            }
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            if self.buf.is_empty() {
                self.read_more(left).await;
            }
        }
    }

    pub async fn raw_line(&mut self) -> Vec<u8> {
        match self.try_raw_line(PATIENCE).await {
            Some(l) => l,
            None => panic!(
                "expected a line, got {}",
                if self.eof { "EOF" } else { "silence" }
            ),
        }
    }

    /// The next line's content (LF or CRLF stripped).
    pub async fn line(&mut self) -> String {
        let raw = self.raw_line().await;
        let text = String::from_utf8(raw).expect("UTF-8");
        text.strip_suffix('\n')
            .map(|t| t.strip_suffix('\r').unwrap_or(t))
            .unwrap_or(&text)
            .to_owned()
    }

    /// One request (LF added), its reply's content.
    pub async fn ask(&mut self, request: &str) -> String {
        self.send(format!("{request}\n").as_bytes()).await;
        self.line().await
    }

    /// One request, its reply's exact bytes.
    pub async fn ask_raw(&mut self, request: &str) -> Vec<u8> {
        self.send(format!("{request}\n").as_bytes()).await;
        self.raw_line().await
    }

    /// Nothing arrives for [`QUIET`].
    pub async fn expect_silence(&mut self) {
        if let Some(l) = self.try_raw_line(QUIET).await {
            panic!("expected nothing, got {:?}", String::from_utf8_lossy(&l));
        }
    }

    /// One read's bytes, as the server wrote them (for write boundaries).
    pub async fn read_once(&mut self) -> Vec<u8> {
        if !self.buf.is_empty() {
            return std::mem::take(&mut self.buf);
        }
        let mut chunk = vec![0u8; 65536];
        match tokio::time::timeout(PATIENCE, self.stream.read(&mut chunk)).await {
            Ok(Ok(k)) => chunk[..k].to_vec(),
            _ => Vec::new(),
        }
    }
}

impl Peer for Lrv {
    /// A line as it came, terminator included.
    type Message = Vec<u8>;

    async fn next_within(&mut self, wait: Duration) -> Option<Vec<u8>> {
        self.try_raw_line(wait).await
    }

    fn at_eof(&self) -> bool {
        self.eof
    }
}

/// Buys every number 1..=size as `cpf` on one connection.
pub async fn sell_out(addr: SocketAddr, size: u32, cpf: &str) {
    let mut c = Lrv::registered(addr, cpf).await;
    for i in 1..=size {
        assert_eq!(c.ask(&format!("COMPRAR {i}")).await, "202");
    }
}
