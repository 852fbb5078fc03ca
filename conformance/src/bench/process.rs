//! The target as a process: its resident memory (Linux `/proc`), this
//! process's file-descriptor limit, and a server binary started on a free
//! port whose bound address is read from its standard output.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Resident set size of process `pid` in KiB (`VmRSS` of `/proc/PID/status`).
pub fn rss_kib(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    parse_status_kib(&status, "VmRSS:").with_context(|| format!("no VmRSS line in {path}"))
}

fn parse_status_kib(status: &str, key: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

/// The soft limit on open files of this process (`ulimit -n`), if known.
pub fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    parse_open_files(&limits)
}

fn parse_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .strip_prefix("Max open files")?
        .split_whitespace()
        .next()?;
    match soft {
        "unlimited" => Some(u64::MAX),
        n => n.parse().ok(),
    }
}

/// A server process started by [`Spawned::start`]; killed when dropped.
#[derive(Debug)]
pub struct Spawned {
    pub addr: SocketAddr,
    pub pid: u32,
    child: Child,
    /// Where its standard error goes, for the error message if it dies.
    log: PathBuf,
}

impl Spawned {
    /// Runs `bin args…` with standard error to `log`, and waits (at most
    /// `wait`) for a standard-output line ending in `listening on ADDR`.
    pub async fn start(bin: &Path, args: &[String], log: &Path, wait: Duration) -> Result<Spawned> {
        let err =
            std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let mut child = Command::new(bin)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(err))
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout pipe")?;
        let mut lines = BufReader::new(stdout).lines();
        let found = tokio::time::timeout(wait, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(addr) = line.rsplit_once("listening on ").map(|(_, a)| a.trim()) {
                    return Ok::<_, std::io::Error>(addr.parse::<SocketAddr>().ok());
                }
            }
            Ok(None)
        })
        .await;
        let addr = match found {
            Ok(Ok(Some(addr))) => addr,
            Ok(Ok(None)) | Ok(Err(_)) => bail!(
                "{} did not print \"listening on ADDR\"; its stderr:\n{}",
                bin.display(),
                tail(log)
            ),
            Err(_) => bail!(
                "{} printed no \"listening on ADDR\" within {wait:?}; its stderr:\n{}",
                bin.display(),
                tail(log)
            ),
        };
        // Keep the pipe drained so the server never blocks on stdout.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Spawned {
            addr,
            pid,
            child,
            log: log.to_path_buf(),
        })
    }

    /// An error message if the process has exited, with its stderr.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!(
                "the server process exited ({status}); its stderr:\n{}",
                tail(&self.log)
            )),
            _ => None,
        }
    }

    /// Kills it and waits for it to go.
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
    }
}

/// The last lines of a log file.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_limits_parse() {
        let status = "Name:\tx\nVmPeak:\t  9000 kB\nVmRSS:\t   1234 kB\n";
        assert_eq!(parse_status_kib(status, "VmRSS:"), Some(1234));
        let limits = "Limit                     Soft Limit           Hard Limit           Units\nMax open files            20000                40000                files\n";
        assert_eq!(parse_open_files(limits), Some(20000));
    }

    #[test]
    fn this_process_has_a_resident_size() {
        assert!(rss_kib(std::process::id()).expect("VmRSS") > 0);
    }
}
