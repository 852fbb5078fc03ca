//! A target the harness starts itself (`--exec 'CMD'`): started before the
//! first case, restarted by `restart` steps (SIGTERM, or SIGKILL with
//! `restart kill`) and when it dies, and stopped at the end — never left
//! behind. Knows no protocol: a command, a port, a process group.
//!
//! The command runs under `sh -c` in a process group of its own, so a
//! signal reaches everything it started (a shell wrapping `python3
//! server.py`, a server that forks), and a Ctrl-C at the terminal reaches
//! the harness, which then stops the group itself.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::{Child, Command};
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::restart::{BoxFuture, Restart};
use crate::lang::t;

/// How long a target may take to exit after SIGTERM before it is killed.
const TERM_GRACE: Duration = Duration::from_secs(3);
/// How long the processes of a killed target may take to disappear.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How much of the target's output a report quotes.
const TAIL_BYTES: u64 = 2048;

/// What to start, and how to know it is up.
#[derive(Debug, Clone)]
pub struct ExecSpec {
    /// A shell command; `{port}` and `{host}` are replaced by the target's.
    pub command: String,
    pub cwd: Option<PathBuf>,
    /// Extra environment, besides `HOST` and `PORT` which are always set.
    pub env: Vec<(String, String)>,
    /// Where the target must accept connections.
    pub addr: SocketAddr,
    /// How long it may take to accept its first connection after a start.
    pub start_timeout: Duration,
}

impl ExecSpec {
    /// The command with its placeholders filled in.
    pub fn shell_command(&self) -> String {
        self.command
            .replace("{port}", &self.addr.port().to_string())
            .replace("{host}", &self.addr.ip().to_string())
    }
}

/// A running (or dead, between a crash and its revival) target process.
#[derive(Debug)]
pub struct ExecTarget {
    spec: ExecSpec,
    state: Mutex<State>,
    /// Set by `shutdown`: a case still running when the harness stops
    /// (Ctrl-C) must not start the target again behind its back.
    stopping: AtomicBool,
    /// Successful starts, for [`Restart::generation`].
    generation: AtomicU64,
    /// The target's stdout and stderr, across every start, for reports.
    log: tempfile::NamedTempFile,
}

#[derive(Debug, Default)]
struct State {
    child: Option<Child>,
    starts: usize,
}

impl ExecTarget {
    /// Starts the target and waits until it accepts a connection.
    pub async fn start(spec: ExecSpec) -> Result<ExecTarget, String> {
        let log = tempfile::Builder::new()
            .prefix("gabarito-exec-")
            .suffix(".log")
            .tempfile()
            .map_err(|e| format!("creating a log file for the target: {e}"))?;
        let target = ExecTarget {
            spec,
            state: Mutex::new(State::default()),
            stopping: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            log,
        };
        {
            let mut state = target.state.lock().await;
            target.spawn(&mut state).await?;
        }
        Ok(target)
    }

    pub fn addr(&self) -> SocketAddr {
        self.spec.addr
    }

    pub fn spec(&self) -> &ExecSpec {
        &self.spec
    }

    /// The process of the target's group with the most resident memory:
    /// the server itself, not the shell that may wrap it (Linux, /proc).
    pub fn main_pid(&self) -> Option<u32> {
        let group = self.state.try_lock().ok()?.child.as_ref()?.id()?;
        let mut best: Option<(u64, u32)> = None;
        for entry in std::fs::read_dir("/proc").ok()?.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            // `pid (comm) state ppid pgrp …`; comm may hold spaces, so
            // count from the last ')'.
            let pgrp = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(2))
                .and_then(|g| g.parse::<u32>().ok());
            if pgrp != Some(group) {
                continue;
            }
            let rss = std::fs::read_to_string(entry.path().join("status"))
                .ok()
                .and_then(|st| {
                    st.lines()
                        .find_map(|l| l.strip_prefix("VmRSS:"))
                        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                })
                .unwrap_or(0);
            if best.is_none_or(|(r, _)| rss > r) {
                best = Some((rss, pid));
            }
        }
        best.map(|(_, pid)| pid)
    }

    /// The last lines the target wrote (stdout and stderr interleaved).
    pub fn output_tail(&self) -> String {
        let Ok(mut f) = File::open(self.log.path()) else {
            return String::new();
        };
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES)));
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = text.lines().collect();
        let from = lines.len().saturating_sub(12);
        // The first line may be cut by the byte limit; drop it unless it is all.
        let from = if len > TAIL_BYTES && from == 0 {
            1
        } else {
            from
        };
        lines[from.min(lines.len())..].join("\n")
    }

    /// Stops the target at the end of a run: SIGTERM, then SIGKILL.
    pub async fn shutdown(&self) -> Result<(), String> {
        self.stopping.store(true, Ordering::SeqCst);
        let mut state = self.state.lock().await;
        stop(&mut state, false).await
    }

    async fn spawn(&self, state: &mut State) -> Result<(), String> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(t(
                "the harness is stopping: the target is not started again",
                "o avaliador está parando: o alvo não é iniciado de novo",
            )
            .to_string());
        }
        let out = self
            .log
            .as_file()
            .try_clone()
            .map_err(|e| format!("the target's log: {e}"))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("the target's log: {e}"))?;
        port_free(self.spec.addr).await?;
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(self.spec.shell_command())
            .env("HOST", self.spec.addr.ip().to_string())
            .env("PORT", self.spec.addr.port().to_string())
            .envs(self.spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .process_group(0)
            .kill_on_drop(true);
        if let Some(dir) = &self.spec.cwd {
            cmd.current_dir(dir);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start `{}`: {e}", self.spec.command))?;
        state.child = Some(child);
        state.starts += 1;
        let deadline = Instant::now() + self.spec.start_timeout;
        loop {
            if let Some(child) = state.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    state.child = None;
                    return Err(self.died_text(&format!("exited at start ({status})")));
                }
            }
            let connect = tokio::net::TcpStream::connect(self.spec.addr);
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_millis(500), connect).await {
                self.generation.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
            if Instant::now() >= deadline {
                let _ = stop(state, true).await;
                return Err(self.died_text(&format!(
                    "did not accept a connection on {} within {:.1}s of starting",
                    self.spec.addr,
                    self.spec.start_timeout.as_secs_f64()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn died_text(&self, what: &str) -> String {
        let mut s = format!("`{}` {what}", self.spec.shell_command());
        let tail = self.output_tail();
        if !tail.is_empty() {
            let _ = write!(s, "; its last output:\n{tail}");
        }
        s
    }
}

/// Signals the process group and waits until no process of it is left —
/// not just the shell: a server still closing its listener would take the
/// next start's probe connection. SIGKILL if `kill`, or if SIGTERM was not
/// enough within [`TERM_GRACE`].
async fn stop(state: &mut State, kill: bool) -> Result<(), String> {
    let Some(mut child) = state.child.take() else {
        return Ok(());
    };
    let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) else {
        return Ok(()); // already reaped
    };
    let group = Pid::from_raw(pid);
    if !kill {
        let _ = killpg(group, Signal::SIGTERM);
        if group_gone(&mut child, group, TERM_GRACE).await {
            return Ok(());
        }
    }
    let _ = killpg(group, Signal::SIGKILL);
    if !group_gone(&mut child, group, KILL_GRACE).await {
        // Only zombies nobody reaps can be left after SIGKILL; they hold
        // no sockets, so the next start can go ahead.
        tracing_note(&format!(
            "process group {pid} outlived SIGKILL by {KILL_GRACE:?}"
        ));
    }
    child
        .wait()
        .await
        .map(|_| ())
        .map_err(|e| format!("waiting for the target to exit: {e}"))
}

/// Polls until no live process of `group` is left, reaping the shell
/// meanwhile. A server the shell forked (not exec'd) is an orphan once the
/// shell dies, and its zombie waits for init to reap it — seconds, here —
/// so zombies do not count: they hold no sockets.
async fn group_gone(child: &mut Child, group: Pid, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    loop {
        let _ = child.try_wait();
        if killpg(group, None) == Err(Errno::ESRCH) || !group_has_live_process(group) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Whether a process of `group` other than a zombie exists (Linux, /proc;
/// where /proc cannot be read, any process counts).
fn group_has_live_process(group: Pid) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return true;
    };
    entries.flatten().any(|e| {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            return false;
        };
        // `pid (comm) state ppid pgrp …`; comm may hold spaces.
        let mut rest = stat
            .rsplit_once(')')
            .map_or("", |(_, r)| r)
            .split_whitespace();
        let state = rest.next();
        let pgrp = rest.nth(1).and_then(|g| g.parse::<i32>().ok());
        pgrp == Some(group.as_raw()) && state != Some("Z")
    })
}

/// The harness has no logger; a stop that left zombies behind is worth a
/// line on stderr, not a failure.
fn tracing_note(text: &str) {
    eprintln!("conformance: --exec: {text}");
}

/// Waits until nothing accepts connections on `addr`, so the probe after a
/// start reaches the new process, not a stale one (or someone else's).
async fn port_free(addr: SocketAddr) -> Result<(), String> {
    let deadline = Instant::now() + KILL_GRACE;
    loop {
        let probe = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        );
        if !matches!(probe.await, Ok(Ok(_))) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "something already listens on {addr}: the target could not be started there"
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl Restart for ExecTarget {
    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            stop(&mut state, kill).await?;
            self.spawn(&mut state).await
        })
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn revive(&self) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            let why = match state.child.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => {
                    format!("{} ({status})", t("the target exited", "o alvo terminou"))
                }
                None => t("the target was not running", "o alvo não estava rodando").to_string(),
                _ => t(
                    "the target stopped accepting connections",
                    "o alvo parou de aceitar conexões",
                )
                .to_string(),
            };
            let tail = self.output_tail();
            stop(&mut state, true).await?;
            self.spawn(&mut state).await?;
            let mut s = format!(
                "{why}; {}",
                t(
                    "the harness restarted it for the next cases",
                    "o avaliador o reiniciou para os próximos casos"
                )
            );
            if !tail.is_empty() {
                let _ = write!(
                    s,
                    "; {}:\n{tail}",
                    t("its last output", "suas últimas linhas")
                );
            }
            Ok(s)
        })
    }
}

impl Drop for ExecTarget {
    /// A run that ends any other way (an error, a panic) still leaves no
    /// process behind.
    fn drop(&mut self) {
        if let Ok(state) = self.state.try_lock() {
            if let Some(pid) = state
                .child
                .as_ref()
                .and_then(Child::id)
                .and_then(|p| i32::try_from(p).ok())
            {
                let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
            }
        }
    }
}
