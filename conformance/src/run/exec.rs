//! A target the harness starts itself (`--exec 'CMD'`): started before the
//! first case, restarted by `restart` steps (SIGTERM, or SIGKILL with
//! `restart kill`) and when it dies, and stopped at the end — never left
//! behind, even when the harness itself dies (`sandbox::Watcher`). Knows
//! no protocol: a command, a port, a process group, a confinement
//! (`crate::sandbox`).
//!
//! The command runs under `sh -c` in a process group of its own, so a
//! signal reaches everything it started (a shell wrapping `python3
//! server.py`, a server that forks), and a Ctrl-C at the terminal reaches
//! the harness, which then stops the group itself.
//!
//! A restart moves a command that takes its port to a fresh one, and waits
//! for a fixed port to be bindable (`port.rs`): student servers do not set
//! SO_REUSEADDR. What a report says about a death is that process's own:
//! its exit status or signal, and the tail of what it printed since it
//! started (`output.rs`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::process::Child;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::output::TargetLog;
use super::port;
use super::restart::{BoxFuture, Mark, Observed, Restart};
use crate::lang::{Lang, current, t};
use crate::sandbox::{Jail, Sandbox, Watcher, procs};

/// How long a target may take to exit after SIGTERM before it is killed.
const TERM_GRACE: Duration = Duration::from_secs(3);
/// How long the processes of a killed target may take to disappear.
const KILL_GRACE: Duration = Duration::from_secs(2);

/// What to start, and how to know it is up.
#[derive(Debug, Clone)]
pub struct ExecSpec {
    /// A shell command; `{port}` and `{host}` are replaced by the target's.
    pub command: String,
    pub cwd: Option<PathBuf>,
    /// Extra environment, besides `HOST` and `PORT` which are always set.
    pub env: Vec<(String, String)>,
    /// Where the target must accept connections (at its first start).
    pub addr: SocketAddr,
    /// How long it may take to accept its first connection after a start.
    pub start_timeout: Duration,
    /// Its confinement and limits.
    pub sandbox: Sandbox,
}

impl ExecSpec {
    /// The command with its placeholders filled in for `addr`.
    pub fn shell_command_at(&self, addr: SocketAddr) -> String {
        self.command
            .replace("{port}", &addr.port().to_string())
            .replace("{host}", &addr.ip().to_string())
    }

    /// The command as first started.
    pub fn shell_command(&self) -> String {
        self.shell_command_at(self.addr)
    }
}

/// A running (or dead, between a crash and its revival) target process.
#[derive(Debug)]
pub struct ExecTarget {
    spec: ExecSpec,
    state: Mutex<State>,
    /// Where it listens now (restarts may move it).
    addr: StdMutex<SocketAddr>,
    /// Set by `shutdown`: a case still running when the harness stops
    /// (Ctrl-C) must not start the target again behind its back.
    stopping: AtomicBool,
    /// Successful starts, for [`Restart::generation`].
    generation: AtomicU64,
    /// The process group of the current start (0 when none runs), for a
    /// look at its limits outside the monitor's period.
    group: AtomicI32,
    /// The target's stdout and stderr, across every start.
    log: TargetLog,
    jail: Arc<Jail>,
}

#[derive(Debug, Default)]
struct State {
    child: Option<Child>,
    watcher: Option<Watcher>,
    monitor: Option<JoinHandle<()>>,
    /// Where this start's output begins in the log.
    output_from: u64,
    /// How many limit hits the jail had when this start began.
    hits_from: usize,
    starts: usize,
}

impl ExecTarget {
    /// Starts the target and waits until it accepts a connection.
    pub async fn start(spec: ExecSpec) -> Result<ExecTarget, String> {
        let jail = Jail::new(&spec.sandbox, spec.cwd.as_deref(), spec.addr.port())?;
        let target = ExecTarget {
            addr: StdMutex::new(spec.addr),
            spec,
            state: Mutex::new(State::default()),
            stopping: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            group: AtomicI32::new(0),
            log: TargetLog::new()?,
            jail: Arc::new(jail),
        };
        {
            let mut state = target.state.lock().await;
            target.spawn(&mut state).await?;
        }
        Ok(target)
    }

    pub fn addr(&self) -> SocketAddr {
        *self.addr.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn spec(&self) -> &ExecSpec {
        &self.spec
    }

    /// How the target is confined, for reports.
    pub fn confinement(&self) -> String {
        self.jail.describe()
    }

    /// The process of the target's group with the most resident memory:
    /// the server itself, not the shell that may wrap it (Linux, /proc).
    pub fn main_pid(&self) -> Option<u32> {
        let group = self.state.try_lock().ok()?.child.as_ref()?.id()?;
        procs::in_group(i32::try_from(group).ok()?)
            .into_iter()
            .max_by_key(|p| p.rss_kib)
            .map(|p| p.pid)
    }

    /// The last lines the target wrote since its last start.
    pub fn output_tail(&self) -> String {
        let from = self.state.try_lock().map_or(0, |s| s.output_from);
        self.log.since(from)
    }

    /// Stops the target at the end of a run: SIGTERM, then SIGKILL.
    pub async fn shutdown(&self) -> Result<(), String> {
        self.stopping.store(true, Ordering::SeqCst);
        let mut state = self.state.lock().await;
        let stopped = stop(&mut state, false).await;
        self.jail.kill_all();
        stopped.map(|_| ())
    }

    /// Where the next start listens: the first start's address; a fresh
    /// port for a command that takes its port; else the same port once a
    /// server without SO_REUSEADDR could bind it.
    async fn next_addr(&self, state: &State) -> Result<SocketAddr, String> {
        let addr = self.addr();
        if state.starts == 0 {
            return Ok(addr);
        }
        if port::takes_port(&self.spec.command) {
            return port::fresh(addr).map_err(|e| format!("a fresh port for the target: {e}"));
        }
        match port::wait_bindable(addr, port::REBIND_WAIT).await {
            Some(_) => Ok(addr),
            None => Err(match current() {
                Lang::En => format!(
                    "{addr} could not be bound again within {}s (TIME_WAIT; give the command {{port}} so the harness can move it)",
                    port::REBIND_WAIT.as_secs()
                ),
                Lang::PtBr => format!(
                    "{addr} não pôde ser usada de novo em {}s (TIME_WAIT; ponha {{port}} no comando para o avaliador trocar a porta)",
                    port::REBIND_WAIT.as_secs()
                ),
            }),
        }
    }

    async fn spawn(&self, state: &mut State) -> Result<(), String> {
        if self.stopping.load(Ordering::SeqCst) {
            return Err(t(
                "the harness is stopping: the target is not started again",
                "o avaliador está parando: o alvo não é iniciado de novo",
            )
            .to_string());
        }
        let addr = self.next_addr(state).await?;
        port_free(addr).await?;
        *self.addr.lock().unwrap_or_else(|e| e.into_inner()) = addr;
        let shell = self.spec.shell_command_at(addr);
        let mut env = vec![
            ("HOST".to_string(), addr.ip().to_string()),
            ("PORT".to_string(), addr.port().to_string()),
        ];
        env.extend(self.spec.env.iter().cloned());
        let mut cmd = self.jail.command(&shell, &env)?;
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(self.log.writer()?))
            .stderr(Stdio::from(self.log.writer()?))
            .process_group(0)
            .kill_on_drop(true);
        state.output_from = self.log.mark();
        state.hits_from = self.jail.hit_count();
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start `{}`: {e}", self.spec.command))?;
        let group = child.id().unwrap_or(0);
        self.group
            .store(i32::try_from(group).unwrap_or(0), Ordering::SeqCst);
        state.child = Some(child);
        state.starts += 1;
        state.watcher = Some(self.jail.watch(group)?);
        state.monitor = Some(Jail::monitor(&self.jail, group));
        let deadline = Instant::now() + self.spec.start_timeout;
        loop {
            if let Some(child) = state.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    let why = self.ended(status, state.hits_from);
                    let _ = stop(state, true).await;
                    let what = match current() {
                        Lang::En => format!("exited at start ({why})"),
                        Lang::PtBr => format!("terminou ao iniciar ({why})"),
                    };
                    return Err(self.died_text(&shell, &what, state.output_from));
                }
            }
            let connect = tokio::net::TcpStream::connect(addr);
            if let Ok(Ok(_)) = tokio::time::timeout(Duration::from_millis(500), connect).await {
                self.generation.fetch_add(1, Ordering::SeqCst);
                return Ok(());
            }
            if Instant::now() >= deadline {
                let _ = stop(state, true).await;
                let secs = self.spec.start_timeout.as_secs_f64();
                let what = match current() {
                    Lang::En => {
                        format!(
                            "did not accept a connection on {addr} within {secs:.1}s of starting"
                        )
                    }
                    Lang::PtBr => {
                        format!("não aceitou conexão em {addr} em {secs:.1}s após iniciar")
                    }
                };
                return Err(self.died_text(&shell, &what, state.output_from));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How a process ended, with the limits it hit since it started
    /// (`hits_from`): a SIGKILL at the memory limit reads as one.
    fn ended(&self, status: ExitStatus, hits_from: usize) -> String {
        let mut s = super::exit::describe(status);
        let _ = self.jail.check(self.group.load(Ordering::SeqCst));
        let _ = self.jail.explain_exit(status);
        for limit in self.jail.hits_since(hits_from) {
            s = format!("{s}: {limit}");
        }
        s
    }

    fn died_text(&self, shell: &str, what: &str, output_from: u64) -> String {
        let mut s = format!("`{shell}` {what}");
        let tail = self.log.since(output_from);
        if !tail.is_empty() {
            s.push_str(&format!(
                "; {}:\n{tail}",
                t("its last output", "sua última saída")
            ));
        }
        s
    }
}

/// Signals the process group and waits until no process of it is left —
/// not just the shell: a server still closing its listener would take the
/// next start's probe connection. SIGKILL if `kill`, or if SIGTERM was not
/// enough within [`TERM_GRACE`]. Resolves with how the started process
/// ended, if it had not been reaped already.
async fn stop(state: &mut State, kill: bool) -> Result<Option<ExitStatus>, String> {
    if let Some(m) = state.monitor.take() {
        m.abort();
    }
    let Some(mut child) = state.child.take() else {
        if let Some(w) = state.watcher.take() {
            w.dismiss().await;
        }
        return Ok(None);
    };
    let Some(pid) = child.id().and_then(|p| i32::try_from(p).ok()) else {
        if let Some(w) = state.watcher.take() {
            w.dismiss().await;
        }
        return Ok(None); // already reaped
    };
    let group = Pid::from_raw(pid);
    let mut gone = false;
    if !kill {
        let _ = killpg(group, Signal::SIGTERM);
        gone = group_gone(&mut child, group, TERM_GRACE).await;
    }
    if !gone {
        let _ = killpg(group, Signal::SIGKILL);
        if !group_gone(&mut child, group, KILL_GRACE).await {
            // Only zombies nobody reaps can be left after SIGKILL; they hold
            // no sockets, so the next start can go ahead.
            eprintln!(
                "conformance: --exec: process group {pid} outlived SIGKILL by {KILL_GRACE:?}"
            );
        }
    }
    // The group is gone, so the watcher can no longer kill a reused one.
    if let Some(w) = state.watcher.take() {
        w.dismiss().await;
    }
    child
        .wait()
        .await
        .map(Some)
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
        if killpg(group, None) == Err(Errno::ESRCH)
            || procs::in_group(group.as_raw()).iter().all(|p| p.zombie)
        {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
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
            let exited = match state.child.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => Some(status),
                _ => None,
            };
            let running = state.child.is_some();
            let (from, hits_from) = (state.output_from, state.hits_from);
            stop(&mut state, true).await?;
            let why = match (exited, running) {
                (Some(status), _) => {
                    format!(
                        "{} ({})",
                        t("the target ended", "o alvo terminou"),
                        self.ended(status, hits_from)
                    )
                }
                (None, false) => {
                    t("the target was not running", "o alvo não estava rodando").to_string()
                }
                (None, true) => t(
                    "the target stopped accepting connections; the harness killed it",
                    "o alvo parou de aceitar conexões; o avaliador o matou",
                )
                .to_string(),
            };
            // Its own output, read before the next start adds to the log.
            let tail = self.log.since(from);
            let mut s = why;
            if !tail.is_empty() {
                s.push_str(&format!(
                    "; {}:\n{tail}",
                    t("its last output", "sua última saída")
                ));
            }
            match self.spawn(&mut state).await {
                Ok(()) => Ok(format!(
                    "{s}\n{}",
                    t(
                        "the harness restarted it for the next cases",
                        "o avaliador o reiniciou para os próximos casos"
                    )
                )),
                Err(e) => Err(format!(
                    "{s}\n{}: {e}",
                    t("starting it again failed", "iniciá-lo de novo falhou")
                )),
            }
        })
    }

    fn addr(&self) -> Option<SocketAddr> {
        Some(ExecTarget::addr(self))
    }

    fn mark(&self) -> Mark {
        Mark {
            output: self.log.mark(),
            hits: self.jail.hit_count(),
        }
    }

    fn since(&self, mark: Mark) -> Observed {
        // A limit hit in the last moments of the case belongs to it, not
        // to whichever case the monitor's next look falls in.
        let _ = self.jail.check(self.group.load(Ordering::SeqCst));
        Observed {
            output: self.log.since(mark.output),
            hits: self.jail.hits_since(mark.hits),
        }
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
        self.jail.kill_all();
    }
}
