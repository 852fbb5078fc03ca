//! The `conformance` binary as a child process: where it listens, its
//! stdout counted as it comes (or left unread, like a terminal nobody
//! scrolls), its memory from `/proc`, and SIGINT.

use std::process::{ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long anything that must happen may take.
pub const PATIENCE: Duration = Duration::from_secs(10);

pub struct Conformance {
    pub addr: String,
    pub pid: i32,
    child: Child,
    /// Stdout bytes read so far.
    pub out_bytes: Arc<AtomicUsize>,
    /// Stdout text, the first MiB.
    pub out_text: Arc<std::sync::Mutex<String>>,
    /// While false, stdout is not read: the pipe fills and every print
    /// blocks.
    reading: Arc<AtomicBool>,
}

fn binary() -> String {
    std::env::var("HOSTILE_CONFORMANCE")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_conformance").into())
}

impl Conformance {
    /// Runs `conformance ARGS…` and waits for where it listens; stdout is
    /// read only if `read_stdout`.
    pub async fn start(args: &[&str], read_stdout: bool) -> Conformance {
        let mut child = Command::new(binary())
            .args(args)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the conformance binary starts");
        let mut errors = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let banner = tokio::time::timeout(PATIENCE, errors.next_line())
            .await
            .expect("it says where it listens")
            .expect("stderr")
            .expect("a first line");
        let addr = gabarito_test_kit::binary::listening_address(&banner);
        tokio::spawn(async move { while let Ok(Some(_)) = errors.next_line().await {} });
        let out_bytes = Arc::new(AtomicUsize::new(0));
        let out_text = Arc::new(std::sync::Mutex::new(String::new()));
        let reading = Arc::new(AtomicBool::new(read_stdout));
        let mut stdout = child.stdout.take().expect("stdout");
        {
            let (bytes, text, reading) = (
                Arc::clone(&out_bytes),
                Arc::clone(&out_text),
                Arc::clone(&reading),
            );
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    if !reading.load(Ordering::Relaxed) {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        continue;
                    }
                    match stdout.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            bytes.fetch_add(n, Ordering::Relaxed);
                            let mut t = text.lock().expect("text");
                            if t.len() < 1 << 20 {
                                t.push_str(&String::from_utf8_lossy(&buf[..n]));
                            }
                        }
                    }
                }
            });
        }
        let pid = child.id().and_then(|p| i32::try_from(p).ok()).expect("pid");
        Conformance {
            addr,
            pid,
            child,
            out_bytes,
            out_text,
            reading,
        }
    }

    /// Starts reading stdout (again).
    pub fn read_stdout(&self) {
        self.reading.store(true, Ordering::Relaxed);
    }

    pub fn stdout(&self) -> String {
        self.out_text.lock().expect("text").clone()
    }

    /// A field of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
    pub fn status_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("no {field}"))
    }

    /// Sends SIGINT (Ctrl-C).
    pub fn interrupt(&self) {
        use nix::sys::signal::{Signal, kill};
        use nix::unistd::Pid;
        let _ = kill(Pid::from_raw(self.pid), Signal::SIGINT);
    }

    /// Waits for the exit, at most `wait`; `None` if it did not (it is
    /// then killed).
    pub async fn exit_within(&mut self, wait: Duration) -> Option<ExitStatus> {
        match tokio::time::timeout(wait, self.child.wait()).await {
            Ok(s) => s.ok(),
            Err(_) => {
                let _ = self.child.kill().await;
                None
            }
        }
    }
}
