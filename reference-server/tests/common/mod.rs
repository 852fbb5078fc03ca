//! A raw-TCP zap test client and an in-process server, both on 127.0.0.1
//! with port 0. Every wait is bounded; no assertion is about timing.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use gabarito_codec::zap::{Chat, Direction, End, Id, Message, StreamDecoder, Text, Timestamp};
use gabarito_server::{Config, Fault, Quirk};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long to wait for something that must arrive.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How long to watch for something that must not arrive.
pub const QUIET: Duration = Duration::from_millis(300);
/// After a read, how long to wait before taking an open frame as complete.
const SETTLE: Duration = Duration::from_millis(60);

/// A server running in this process on its own data directory.
pub struct Server {
    pub addr: SocketAddr,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Server {
    pub async fn start(config: Config) -> Server {
        // RUST_LOG=debug shows the server's log in a failing test's output.
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(gabarito_server::run(listener, config.clone(), async move {
            let _ = stopped.await;
        }));
        Server {
            addr,
            config,
            stop: Some(stop),
            task,
        }
    }

    /// Graceful shutdown; returns what `run` returned.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(PATIENCE, &mut self.task)
            .await
            .expect("server stops in time")
            .expect("server task")
    }

    /// Waits for `run` to return by itself (fault crash-on-malformed).
    pub async fn finished(mut self) -> anyhow::Result<()> {
        tokio::time::timeout(PATIENCE, &mut self.task)
            .await
            .expect("server stops by itself")
            .expect("server task")
    }

    pub async fn client(&self) -> Client {
        Client::connect(self.addr).await
    }

    /// Registers on a fresh connection, which is then closed (zap §5.1).
    pub async fn register(&self) -> Id<'static> {
        let mut c = self.client().await;
        c.send(&Message::Register).await;
        match c.recv().await {
            Message::Registered { id } => id,
            other => panic!("expected 02, got {other:?}"),
        }
    }

    /// A connection online as `id` (zap §5.3).
    pub async fn online(&self, id: &Id<'_>) -> Client {
        let mut c = self.client().await;
        c.send(&Message::Connect { id: id.clone() }).await;
        c
    }
}

/// A temporary data directory and a default config on it.
pub fn config() -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config::new(dir.path().join("zap"));
    (dir, config)
}

pub fn with_fault(fault: Fault) -> (tempfile::TempDir, Config) {
    let (dir, c) = config();
    (dir, c.with_fault(fault))
}

pub fn with_quirk(quirk: Quirk) -> (tempfile::TempDir, Config) {
    let (dir, c) = config();
    (dir, c.with_quirk(quirk))
}

/// A raw client: writes one frame per write, reads with the codec's stream
/// rules (zap §3.4), so it copes with glued and padded replies.
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
        let mut buf = [0u8; 8192];
        match tokio::time::timeout(wait, self.stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                self.eof = true;
                false
            }
            Ok(Ok(n)) => {
                self.decoder.push(&buf[..n]);
                true
            }
            Err(_) => false,
        }
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

    /// The server closes the connection within [`PATIENCE`] (frames before
    /// the close are returned).
    pub async fn expect_closed(&mut self) -> Vec<Message<'static>> {
        let mut before = Vec::new();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !self.eof {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(
                !left.is_zero(),
                "expected the server to close the connection"
            );
            if let Some(m) = self.try_recv(left).await {
                before.push(m);
            }
        }
        before
    }

    /// Whether the connection is still open after [`QUIET`] of silence.
    pub async fn is_open(&mut self) -> bool {
        self.try_recv(QUIET).await;
        !self.eof
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
}

pub fn ts(n: u64) -> Timestamp<'static> {
    Timestamp::from_secs(n).expect("10 digits")
}

pub fn chat(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Chat<'static> {
    Chat {
        src: src.clone().into_owned(),
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
        data: Text::owned(data.to_owned()).expect("valid text"),
    }
}

pub fn send(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Message<'static> {
    Message::Send(chat(src, dst, t, data))
}

pub fn deliver(src: &Id<'_>, dst: &Id<'_>, t: u64, data: &str) -> Message<'static> {
    Message::Deliver(chat(src, dst, t, data))
}

pub fn delivered(dst: &Id<'_>, t: u64) -> Message<'static> {
    Message::Delivered {
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
    }
}

pub fn read(src: &Id<'_>, t: u64) -> Message<'static> {
    Message::Read {
        src: src.clone().into_owned(),
        timestamp: ts(t),
    }
}

pub fn read_notice(dst: &Id<'_>, t: u64) -> Message<'static> {
    Message::ReadNotice {
        dst: dst.clone().into_owned(),
        timestamp: ts(t),
    }
}

/// The `reference-server` binary running as a child process.
pub struct Process {
    pub addr: SocketAddr,
    pub child: tokio::process::Child,
}

impl Process {
    /// Starts the binary on 127.0.0.1:0 with `args` and reads the bound
    /// address from its first line of stdout.
    pub async fn start(data_dir: &std::path::Path, args: &[&str]) -> Process {
        use tokio::io::AsyncBufReadExt;
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_reference-server"))
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir)
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("spawn reference-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = tokio::io::BufReader::new(stdout).lines();
        let line = tokio::time::timeout(PATIENCE, lines.next_line())
            .await
            .expect("server prints its address in time")
            .expect("read stdout")
            .expect("a line");
        let addr = line
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Process { addr, child }
    }

    pub async fn client(&self) -> Client {
        Client::connect(self.addr).await
    }

    pub async fn register(&self) -> gabarito_codec::zap::Id<'static> {
        let mut c = self.client().await;
        c.send(&Message::Register).await;
        match c.recv().await {
            Message::Registered { id } => id,
            other => panic!("expected 02, got {other:?}"),
        }
    }

    pub async fn online(&self, id: &Id<'_>) -> Client {
        let mut c = self.client().await;
        c.send(&Message::Connect { id: id.clone() }).await;
        c
    }

    /// `kill -9`.
    pub async fn kill9(mut self) {
        self.child.kill().await.expect("SIGKILL");
    }

    /// Peak resident memory of the process in KiB (Linux), if known.
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let pid = self.child.id()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

impl Client {
    /// One raw read into `buf` (0 at EOF or error), bypassing the decoder.
    pub async fn read_once(&mut self, buf: &mut [u8]) -> usize {
        self.stream.read(buf).await.unwrap_or(0)
    }
}

impl Client {
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
