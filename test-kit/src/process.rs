//! The `reference-server` binary as a child process, for what only a
//! process shows: `kill -9`, its command line, its memory.

use std::net::SocketAddr;
use std::path::Path;

use tokio::io::AsyncBufReadExt;

use crate::PATIENCE;
use crate::binary::reference_server;

/// A `reference-server` child process, killed when dropped.
#[derive(Debug)]
pub struct Process {
    pub addr: SocketAddr,
    pub child: tokio::process::Child,
}

impl Process {
    /// Starts the binary on 127.0.0.1:0 with `data_dir` and `args`, and
    /// reads the bound address from its first line of stdout.
    pub async fn start(data_dir: &Path, args: &[&str]) -> Process {
        let mut child = tokio::process::Command::new(reference_server())
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
