//! The `reference-server` binary as a child process, with its stderr where
//! a test wants it, and what the kernel says about its memory.

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;

/// How long anything that must happen may take.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Where the server's stderr goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stderr {
    /// A pipe this test reads; [`Server::log`] holds what came.
    Captured,
    /// A pipe whose reading end is closed before the server writes: every
    /// write fails with EPIPE.
    ClosedAtStart,
    /// `/dev/full`: every write fails with ENOSPC.
    DiskFull,
}

/// What the server wrote to stderr: the byte count, and the text (the
/// first [`KEPT`] bytes).
#[derive(Debug, Default)]
pub struct Log {
    pub bytes: usize,
    pub text: String,
}

/// Bytes of the log kept as text.
const KEPT: usize = 1 << 20;

pub struct Server {
    pub addr: SocketAddr,
    pub pid: i32,
    child: Child,
    log: Arc<Mutex<Log>>,
    reader: Option<JoinHandle<()>>,
}

/// The binary under test: `HOSTILE_SERVER` names another one (to measure
/// an older build with the same attacks).
fn binary() -> String {
    std::env::var("HOSTILE_SERVER")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_reference-server").into())
}

impl Server {
    /// Starts the server on 127.0.0.1:0 with `args` (a `--data-dir` is
    /// added) and reads its address from stdout.
    pub async fn start(data: &std::path::Path, args: &[&str], stderr: Stderr) -> Server {
        Self::start_with(Command::new(binary()), data, args, stderr).await
    }

    /// [`Server::start`] through `sh -c 'ulimit -n FDS; exec …'`: the
    /// server starts with FDS open files allowed, soft and hard.
    pub async fn start_limited(
        fds: u32,
        soft_only: bool,
        data: &std::path::Path,
        args: &[&str],
        stderr: Stderr,
    ) -> Server {
        let which = if soft_only { "-S " } else { "" };
        let mut sh = Command::new("sh");
        sh.arg("-c")
            .arg(format!("ulimit {which}-n {fds} && exec \"$0\" \"$@\""))
            .arg(binary());
        Self::start_with(sh, data, args, stderr).await
    }

    async fn start_with(
        mut cmd: Command,
        data: &std::path::Path,
        args: &[&str],
        stderr: Stderr,
    ) -> Server {
        cmd.args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data)
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        match stderr {
            Stderr::Captured | Stderr::ClosedAtStart => {
                cmd.stderr(Stdio::piped());
            }
            Stderr::DiskFull => {
                let full = std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .expect("open /dev/full");
                cmd.stderr(Stdio::from(full));
            }
        }
        let mut child = cmd.spawn().expect("spawn reference-server");
        let log = Arc::new(Mutex::new(Log::default()));
        let reader = match stderr {
            Stderr::Captured => {
                let mut pipe = child.stderr.take().expect("stderr");
                let log = Arc::clone(&log);
                Some(tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n) = pipe.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        let mut log = log.lock().expect("log");
                        log.bytes += n;
                        if log.text.len() < KEPT {
                            log.text.push_str(&String::from_utf8_lossy(&buf[..n]));
                        }
                    }
                }))
            }
            Stderr::ClosedAtStart => {
                drop(child.stderr.take());
                None
            }
            Stderr::DiskFull => None,
        };
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::time::timeout(PATIENCE, BufReader::new(stdout).lines().next_line())
            .await
            .expect("the server prints its address in time")
            .expect("read stdout")
            .expect("a listening line");
        let addr = line
            .rsplit(' ')
            .next()
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let pid = child.id().and_then(|p| i32::try_from(p).ok()).expect("pid");
        Server {
            addr,
            pid,
            child,
            log,
            reader,
        }
    }

    /// Closes the reading end of a captured stderr: every later write
    /// fails with EPIPE.
    pub async fn close_stderr(&mut self) {
        if let Some(r) = self.reader.take() {
            r.abort();
            let _ = r.await;
        }
    }

    /// Bytes written to a captured stderr so far.
    pub fn log_bytes(&self) -> usize {
        self.log.lock().expect("log").bytes
    }

    pub fn log_text(&self) -> String {
        self.log.lock().expect("log").text.clone()
    }

    /// A field of `/proc/PID/status`, in KiB (`VmRSS`, `VmHWM`).
    pub fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field} in /proc/{}/status", self.pid))
    }

    /// The soft and hard limits on open files, from `/proc/PID/limits`.
    pub fn fd_limits(&self) -> (String, String) {
        let limits = std::fs::read_to_string(format!("/proc/{}/limits", self.pid))
            .expect("/proc/PID/limits");
        let line = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .expect("a Max open files line");
        let mut parts = line["Max open files".len()..].split_whitespace();
        (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        )
    }

    /// Sends SIGTERM and waits for the exit; `None` if it did not exit
    /// within [`PATIENCE`] (it is then killed).
    pub async fn term(mut self) -> Option<std::process::ExitStatus> {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        let _ = kill(Pid::from_raw(self.pid), Signal::SIGTERM);
        match tokio::time::timeout(PATIENCE, self.child.wait()).await {
            Ok(status) => status.ok(),
            Err(_) => {
                let _ = self.child.kill().await;
                None
            }
        }
    }

    /// SIGKILL, and the exit reaped.
    pub async fn kill9(mut self) {
        let _ = self.child.kill().await;
    }
}
