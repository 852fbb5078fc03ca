//! Test plumbing: the reference server in this process on 127.0.0.1:0,
//! the `reference-client` binary as a child process, fake servers. Every
//! wait is bounded; no assertion is about timing.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gabarito_client::zap::{Client, ClientConfig, Event, Id};
use gabarito_server::{Config, Quirk};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How long to wait for something that must happen.
pub const PATIENCE: Duration = Duration::from_secs(10);
/// How long to watch for something that must not happen.
pub const QUIET: Duration = Duration::from_millis(300);

/// A reference server running in this process, of either protocol.
pub struct Server {
    pub addr: SocketAddr,
    pub data: PathBuf,
    /// What it was started with, to start it again the same way.
    config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), String>>>,
}

impl Server {
    pub async fn start(data: &Path) -> Server {
        Server::start_with(data, &[]).await
    }

    /// zap with `quirks`.
    pub async fn start_with(data: &Path, quirks: &[Quirk]) -> Server {
        let config = quirks
            .iter()
            .fold(Config::new(data), |c, q| c.with_quirk(*q));
        Server::start_config(config).await
    }

    /// Any configuration (`config.data_dir` is its data).
    pub async fn start_config(config: Config) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        Server::serve(listener, config)
    }

    fn serve(listener: TcpListener, config: Config) -> Server {
        let addr = listener.local_addr().expect("local addr");
        let data = config.data_dir.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let run = config.clone();
        let task = tokio::spawn(async move {
            gabarito_server::run(listener, run, async move {
                let _ = stopped.await;
            })
            .await
            .map_err(|e| format!("{e:#}"))
        });
        Server {
            addr,
            data,
            config,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Graceful shutdown.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let r = tokio::time::timeout(PATIENCE, task)
                .await
                .expect("server stops in time")
                .expect("server task");
            r.expect("server ran cleanly");
        }
    }

    /// Stops and starts again on the same address and data directory.
    pub async fn restart(&mut self) {
        self.stop().await;
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let listener = loop {
            match TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if tokio::time::Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("cannot bind {} again: {e}", self.addr),
            }
        };
        *self = Server::serve(listener, self.config.clone());
    }

    /// A library client, registered and logged in.
    pub async fn user(&self) -> (Id<'static>, Client) {
        let mut c = Client::connect_with(&self.addr(), fast())
            .await
            .expect("connect");
        let id = c.register().await.expect("register");
        c.login(id.clone()).await.expect("login");
        (id, c)
    }

    pub async fn client(&self) -> Client {
        Client::connect_with(&self.addr(), fast())
            .await
            .expect("connect")
    }
}

/// Timing for tests: no pacing (the reference server splits glued frames).
pub fn fast() -> ClientConfig {
    ClientConfig {
        pace: Duration::ZERO,
        ..ClientConfig::default()
    }
}

/// The next event within [`PATIENCE`], skipping nothing.
pub async fn event(c: &mut Client) -> Event {
    match tokio::time::timeout(PATIENCE, c.next_event()).await {
        Ok(Ok(Some(e))) => e,
        Ok(Ok(None)) => panic!("the server closed the connection"),
        Ok(Err(e)) => panic!("client error: {e}"),
        Err(_) => panic!("no event within {PATIENCE:?}"),
    }
}

/// Nothing arrives for [`QUIET`].
pub async fn silence(c: &mut Client) {
    if let Ok(r) = tokio::time::timeout(QUIET, c.next_event()).await {
        panic!("expected silence, got {r:?}");
    }
}

/// The `reference-client` binary with its own data directory.
pub struct Cli {
    pub data: PathBuf,
    pub server: String,
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {self:?}"))
    }

    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_reference-client")
}

impl Cli {
    pub fn new(data: &Path, server: &str) -> Cli {
        Cli {
            data: data.to_owned(),
            server: server.to_owned(),
        }
    }

    /// Common arguments: data dir, profile, server, short waits.
    pub fn args(&self, profile: &str) -> Vec<String> {
        [
            "--data-dir",
            &self.data.display().to_string(),
            "--profile",
            profile,
            "--server",
            &self.server,
            "--wait-ms",
            "150",
            "--timeout",
            "3",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    pub async fn run(&self, profile: &str, args: &[&str]) -> Run {
        let mut cmd = tokio::process::Command::new(bin());
        cmd.args(self.args(profile))
            .args(args)
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let out = tokio::time::timeout(Duration::from_secs(30), cmd.output())
            .await
            .expect("reference-client finishes in time")
            .expect("run reference-client");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Registers `profile` and returns its id.
    pub async fn register(&self, profile: &str) -> String {
        let r = self.run(profile, &["--json", "register"]).await;
        r.ok();
        r.json()["id"].as_str().expect("id").to_owned()
    }
}

/// A fake server on 127.0.0.1:0 that answers the first bytes of each
/// connection with `reply`, then closes (`then_close`) or waits for the
/// client to leave: a server that misbehaves.
pub async fn fake(reply: &'static [u8], then_close: bool) -> (SocketAddr, JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let task = tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                // Answer the first thing the client says.
                if let Ok(Ok(n)) = tokio::time::timeout(PATIENCE, s.read(&mut buf)).await {
                    if n > 0 {
                        let _ = s.write_all(reply).await;
                    }
                }
                if !then_close {
                    let _ = tokio::time::timeout(PATIENCE, s.read(&mut buf)).await;
                }
            });
        }
    });
    (addr, task)
}
