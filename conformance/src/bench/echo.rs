//! The ceiling: a plain tokio echo server on 127.0.0.1:0 (read, write the
//! same bytes back) and a driver that puts the same writes through it as a
//! protocol workload, so a server's messages/s can be read as a fraction
//! of what the runtime, the loopback and this machine allow in one run.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use super::script::Script;
use super::stats::Samples;
use super::window::Window;

/// The echo server's read size: the reference server's, so neither side
/// gets more bytes per syscall than the other.
const SERVER_CHUNK: usize = 4096;

/// The driver's read size: the client is not what is being measured.
const CHUNK: usize = 64 * 1024;

/// An echo server; dropping it stops accepting (open connections end when
/// their clients close).
#[derive(Debug)]
pub struct EchoServer {
    pub addr: SocketAddr,
    accept: JoinHandle<()>,
}

impl EchoServer {
    pub async fn start() -> Result<EchoServer> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the echo server to 127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let accept = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(echo(sock));
            }
        });
        Ok(EchoServer { addr, accept })
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn echo(mut sock: TcpStream) {
    let _ = sock.set_nodelay(true);
    let mut buf = vec![0u8; SERVER_CHUNK];
    loop {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if sock.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// What the driver measured.
#[derive(Debug)]
pub struct Measured {
    pub messages: u64,
    pub bytes: u64,
    /// First write to last byte back.
    pub elapsed: Duration,
    /// Per message: its write to its last byte back.
    pub latencies: Samples,
}

/// Writes each script on its own connection, one message per write and no
/// pause, and reads the echo back; `window` as in [`Window::new`]. Any
/// read or write waiting longer than `timeout` is an error.
pub async fn drive(
    addr: SocketAddr,
    scripts: &[Arc<Script>],
    window: u64,
    timeout: Duration,
) -> Result<Measured> {
    let mut conns = Vec::with_capacity(scripts.len());
    for _ in scripts {
        let sock = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .with_context(|| format!("connecting to the echo server at {addr}: timed out"))?
            .with_context(|| format!("connecting to the echo server at {addr}"))?;
        sock.set_nodelay(true)?;
        conns.push(sock);
    }
    let mut tasks = Vec::with_capacity(scripts.len());
    for (sock, script) in conns.into_iter().zip(scripts) {
        let (rd, wr) = sock.into_split();
        let w = Arc::new(Window::new(window));
        let writer = tokio::spawn(write_all(wr, Arc::clone(script), Arc::clone(&w), timeout));
        let reader = tokio::spawn(read_back(rd, Arc::clone(script), w, timeout));
        tasks.push((writer, reader));
    }
    let mut out = Measured {
        messages: 0,
        bytes: 0,
        elapsed: Duration::ZERO,
        latencies: Samples::default(),
    };
    let (mut first, mut last) = (None::<Instant>, None::<Instant>);
    for (i, (writer, reader)) in tasks.into_iter().enumerate() {
        let sent = writer.await.context("echo writer panicked")??;
        let arrived = reader.await.context("echo reader panicked")??;
        if let (Some(s), Some(a)) = (sent.first(), arrived.last()) {
            first = Some(first.map_or(*s, |f| f.min(*s)));
            last = Some(last.map_or(*a, |l| l.max(*a)));
        }
        out.latencies.extend(
            sent.iter()
                .zip(&arrived)
                .map(|(s, a)| a.saturating_duration_since(*s)),
        );
        out.messages += arrived.len() as u64;
        out.bytes += scripts[i].total_bytes() as u64;
    }
    if let (Some(f), Some(l)) = (first, last) {
        out.elapsed = l.saturating_duration_since(f);
    }
    Ok(out)
}

async fn write_all(
    mut wr: tokio::net::tcp::OwnedWriteHalf,
    script: Arc<Script>,
    window: Arc<Window>,
    timeout: Duration,
) -> Result<Vec<Instant>> {
    let mut sent = Vec::with_capacity(script.len());
    for (i, msg) in script.iter().enumerate() {
        window.admit(i as u64).await;
        sent.push(Instant::now());
        tokio::time::timeout(timeout, wr.write_all(msg))
            .await
            .context("echo: a write waited too long")??;
    }
    Ok(sent)
}

async fn read_back(
    mut rd: tokio::net::tcp::OwnedReadHalf,
    script: Arc<Script>,
    window: Arc<Window>,
    timeout: Duration,
) -> Result<Vec<Instant>> {
    let mut arrived = Vec::with_capacity(script.len());
    let mut buf = vec![0u8; CHUNK];
    let mut total = 0usize;
    while arrived.len() < script.len() {
        let n = tokio::time::timeout(timeout, rd.read(&mut buf))
            .await
            .with_context(|| {
                format!(
                    "echo: nothing came back for {timeout:?} after {} of {} messages",
                    arrived.len(),
                    script.len()
                )
            })??;
        if n == 0 {
            bail!(
                "echo: connection closed after {} of {} messages",
                arrived.len(),
                script.len()
            );
        }
        let at = Instant::now();
        total += n;
        while script.end_of(arrived.len()).is_some_and(|end| end <= total) {
            arrived.push(at);
        }
        window.advance(arrived.len() as u64);
    }
    Ok(arrived)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_message_comes_back() {
        let server = EchoServer::start().await.expect("echo server");
        let mut s = Script::default();
        for i in 0..100u32 {
            s.push_with(|b| b.extend_from_slice(format!("message {i};").as_bytes()));
        }
        let scripts = vec![Arc::new(s.clone()), Arc::new(s)];
        let m = drive(server.addr, &scripts, 8, Duration::from_secs(10))
            .await
            .expect("echo run");
        assert_eq!(m.messages, 200);
        assert_eq!(m.latencies.len(), 200);
        assert_eq!(m.bytes, 2 * scripts[0].total_bytes() as u64);
    }
}
