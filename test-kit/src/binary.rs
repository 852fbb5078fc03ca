//! The workspace's binaries as a user runs them: where one is (built on
//! demand when a crate's tests run alone), what a run printed, and one
//! that listens in the background (`conformance proxy`, `serve`) and says
//! where on its first line of standard error.

use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Output, Stdio};

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::time::timeout;

use crate::PATIENCE;

/// The binary `name` of package `package`, beside the running test's own
/// build (`target/<profile>/`); built with cargo first if it is not there
/// (a crate's tests run alone).
pub fn workspace_bin(package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    // target/<profile>/deps/<test> → target/<profile>/<name>
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test runs from target/<profile>/deps");
    let bin = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if !bin.exists() {
        let status = std::process::Command::new(env!("CARGO"))
            .args(["build", "-q", "-p", package, "--bin", name])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building {name}");
    }
    assert!(bin.exists(), "{} is missing", bin.display());
    bin
}

/// The `reference-server` binary.
pub fn reference_server() -> PathBuf {
    workspace_bin("gabarito-server", "reference-server")
}

/// Everything a run printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// What a run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Runs `cmd` to its end (bounded), standard input closed.
    pub async fn of(mut cmd: Command) -> Run {
        cmd.stdin(Stdio::null()).kill_on_drop(true);
        let out = timeout(PATIENCE * 2, cmd.output())
            .await
            .expect("the binary finishes in time")
            .expect("the binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Standard output as one JSON value.
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

/// A binary that listens, running in the background: where it says it
/// listens, and its stdout lines as they come.
#[derive(Debug)]
pub struct Listening {
    pub child: Child,
    pub addr: String,
    /// The first line on stderr: where it listens.
    pub banner: String,
    pub lines: mpsc::UnboundedReceiver<String>,
    /// The stdout lines taken so far.
    pub seen: Vec<String>,
}

impl Listening {
    /// Runs `bin ARGS…` in English whatever the machine's locale (unless
    /// ARGS say `--lang`); resolves once it has said where it listens.
    pub async fn start(bin: &Path, args: &[&str]) -> Listening {
        let mut child = Command::new(bin)
            .args(args)
            .env("LC_ALL", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the binary starts");
        let mut errors = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let banner = timeout(PATIENCE, errors.next_line())
            .await
            .unwrap_or_else(|_| panic!("{} {args:?} says where it listens", bin.display()))
            .expect("stderr is readable")
            .expect("a first line");
        let addr = listening_address(&banner);
        tokio::spawn(async move { while let Ok(Some(_)) = errors.next_line().await {} });
        let (tx, lines) = mpsc::unbounded_channel();
        let mut out = BufReader::new(child.stdout.take().expect("stdout")).lines();
        tokio::spawn(async move {
            while let Ok(Some(l)) = out.next_line().await {
                let _ = tx.send(l);
            }
        });
        Listening {
            child,
            addr,
            banner,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next stdout line.
    pub async fn line(&mut self) -> String {
        let line = timeout(PATIENCE, self.lines.recv())
            .await
            .expect("it prints in time")
            .expect("it is still printing");
        self.seen.push(line.clone());
        line
    }

    /// The first stdout line (from now on) that contains every one of
    /// `parts`.
    pub async fn line_with(&mut self, parts: &[&str]) -> String {
        let found = timeout(PATIENCE, async {
            while let Some(l) = self.lines.recv().await {
                self.seen.push(l.clone());
                if parts.iter().all(|p| l.contains(p)) {
                    return Some(l);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(l)) => l,
            _ => panic!(
                "no line with {parts:?}; it printed:\n{}",
                self.seen.join("\n")
            ),
        }
    }

    /// Waits for it to exit by itself; its status and every line it
    /// printed from now on.
    pub async fn exit(mut self) -> (ExitStatus, String) {
        let status = timeout(PATIENCE, self.child.wait())
            .await
            .expect("it exits")
            .expect("its status");
        let mut out = Vec::new();
        while let Ok(Some(l)) = timeout(PATIENCE, self.lines.recv()).await {
            out.push(l);
        }
        (status, out.join("\n"))
    }

    /// Ctrl-C; its exit status and every line it printed.
    pub async fn interrupt(mut self) -> (ExitStatus, Vec<String>) {
        let pid = self.child.id().expect("it is running");
        let pid = nix::unistd::Pid::from_raw(i32::try_from(pid).expect("a pid"));
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).expect("SIGINT");
        let status = timeout(PATIENCE, self.child.wait())
            .await
            .expect("it stops on Ctrl-C")
            .expect("its status");
        while let Ok(Some(l)) = timeout(PATIENCE, self.lines.recv()).await {
            self.seen.push(l);
        }
        (status, self.seen)
    }
}

/// The `HOST:PORT` in a line like `listening on 127.0.0.1:5000, …`.
pub fn listening_address(banner: &str) -> String {
    banner
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', ':', ';']))
        .find(|w| w.parse::<std::net::SocketAddr>().is_ok())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("no address in {banner:?}"))
}

/// Processes whose command line mentions both `needle` (a test's own data
/// directory) and `bin_name`: what a test must not leave behind.
pub fn processes_mentioning(needle: &str, bin_name: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle) && c.contains(bin_name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_found_in_a_banner_in_any_language() {
        assert_eq!(
            listening_address("conformance serve: listening on 127.0.0.1:5000: a strict …"),
            "127.0.0.1:5000"
        );
        assert_eq!(
            listening_address("escutando em 127.0.0.1:41, repassando"),
            "127.0.0.1:41"
        );
    }
}
