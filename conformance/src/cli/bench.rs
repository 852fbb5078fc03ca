//! `conformance bench`: load against any zap target, or the built-in
//! reference server; messages/s and latency for online delivery and
//! store-then-deliver, the echo ceiling, and memory per idle connection.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use super::reference::Reference;
use crate::bench::Row;
use crate::bench::echo::{EchoServer, drive};
use crate::bench::process::{Spawned, open_files_limit};
use crate::bench::zap::report::SCHEMA;
use crate::bench::zap::summary::{goals, render_report};
use crate::bench::zap::{
    BenchReport, Config, MAX_MESSAGES, Payload, Tally, echo_scripts, idle, online, stored,
};
use crate::lang::{t, tr};
use crate::run::{ExecSpec, ExecTarget};
use crate::script::parse::parse_duration;

const EXAMPLES: &str = "\
Examples:
  conformance bench                                  # online + stored against the built-in reference server
  conformance bench --scenario all --pairs 16 --messages 20000
  conformance bench --target 127.0.0.1:5000 --pairs 4 --messages 5000
  conformance bench --target 127.0.0.1:5000 --scenario idle --idle-connections 2000 --target-pid 4242
  conformance bench --scenario online --echo-ceiling --window 64 --json
  conformance bench --exec 'python3 servidor.py {port}' --scenario all --pairs 4

Exit status: 0 when every message arrived exactly once and in order; 1 when one was lost,
duplicated, reordered or altered, or the target stalled, closed a connection or sent bytes that
are no frame (the report says what and where); 2 for usage errors. The goals printed at the end
are information, not part of the exit status.

The machine's other load shows in every figure: compare runs made together, on one machine.";

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Senders and recipients online: 05 → 06 and 07 (zap §6, §7.1).
    Online,
    /// Recipients offline while the senders send, then connecting: the
    /// target stores and then delivers (zap §9.4, §11.1).
    Stored,
    /// Many logged-in connections sending nothing, and the target's memory.
    Idle,
    /// online, stored, idle and --echo-ceiling.
    All,
}

#[derive(Debug, Args)]
#[command(after_long_help = EXAMPLES)]
pub struct BenchArgs {
    /// The zap server to load, HOST:PORT. Without it, online and stored run
    /// against the built-in reference server in-process, and idle against a
    /// reference-server process started for it (see --server-bin).
    #[arg(long, value_name = "HOST:PORT")]
    pub target: Option<String>,
    /// Sender/recipient pairs, each pair on two connections of its own.
    #[arg(long, default_value_t = 8, value_name = "N")]
    pub pairs: usize,
    /// Messages each sender sends its recipient, pipelined: one 05 per write,
    /// TCP_NODELAY, no pause.
    #[arg(long, default_value_t = 10_000, value_name = "M")]
    pub messages: u64,
    /// Scenarios to run, comma-separated: online, stored, idle, all.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "online,stored",
        value_name = "LIST"
    )]
    pub scenario: Vec<Scenario>,
    /// Idle connections to open for the idle scenario.
    #[arg(long, default_value_t = 10_000, value_name = "K")]
    pub idle_connections: usize,
    /// Also drive a plain tokio echo server on 127.0.0.1 with the same
    /// connections and writes as the online scenario, and report the
    /// target's online messages/s as a fraction of it.
    #[arg(long)]
    pub echo_ceiling: bool,
    /// Print the report as JSON (schema "gabarito-bench/1", documented on
    /// `BenchReport` in conformance/src/bench/zap/report.rs).
    #[arg(long)]
    pub json: bool,
    /// Longest wait for any reply or any progress before the target counts
    /// as stalled: 10, 10s or 500ms.
    #[arg(long, default_value = "10s", value_parser = parse_seconds, value_name = "S")]
    pub timeout: Duration,
    /// Characters of data per message (1 to 218; the tag naming the pair
    /// and sequence number must fit).
    #[arg(long, default_value_t = 32, value_name = "C")]
    pub data_chars: usize,
    /// At most W messages in flight per pair (sent, not yet delivered), so
    /// latency is measured at a chosen load; 0: unbounded.
    #[arg(long, default_value_t = 0, value_name = "W")]
    pub window: u64,
    /// How long a pause in what the target sends ends an open 06 (zap §3.4
    /// R5). Only wall time depends on it: arrival times are taken from the
    /// reads.
    #[arg(long, default_value_t = 20, value_name = "MS")]
    pub settle_ms: u64,
    /// With --target: the target's process id, so the idle scenario can
    /// read its resident memory (/proc/PID/status).
    #[arg(long, value_name = "PID")]
    pub target_pid: Option<u32>,
    /// Without --target: the reference-server binary the idle scenario
    /// starts [default: `reference-server` beside this executable].
    #[arg(long, value_name = "PATH")]
    pub server_bin: Option<PathBuf>,
    /// Start the target with this shell command and load it (a student's
    /// server beside the reference one): `{port}`/`{host}` and $PORT/$HOST
    /// are the address it must listen on — --target's, or a free port on
    /// 127.0.0.1. Its memory is read for the idle scenario; it is stopped
    /// at the end. Example: --exec 'python3 servidor.py {port}'
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Working directory for --exec.
    #[arg(long, value_name = "DIR", requires = "exec")]
    pub cwd: Option<PathBuf>,
    /// Environment variable for --exec (repeatable): --env DATA=/tmp/x.
    #[arg(long, value_name = "KEY=VALUE", requires = "exec", value_parser = super::target::parse_env)]
    pub env: Vec<(String, String)>,
}

/// `10`, `10s` or `500ms`.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<u64>() {
        Ok(n) => Ok(Duration::from_secs(n)),
        Err(_) => parse_duration(s),
    }
}

impl BenchArgs {
    fn wants(&self, s: Scenario) -> bool {
        self.scenario.contains(&s) || self.scenario.contains(&Scenario::All)
    }

    fn wants_echo(&self) -> bool {
        self.echo_ceiling || self.scenario.contains(&Scenario::All)
    }

    fn config(&self) -> Config {
        Config {
            pairs: self.pairs,
            messages: self.messages,
            data_chars: self.data_chars,
            window: self.window,
            timeout: self.timeout,
            settle: Duration::from_millis(self.settle_ms),
        }
    }

    /// Usage errors, before anything is started.
    fn validate(&self) -> Result<()> {
        if self.pairs == 0 || self.messages == 0 {
            bail!("--pairs and --messages must be at least 1");
        }
        if self.messages >= MAX_MESSAGES {
            bail!("--messages must be below {MAX_MESSAGES}");
        }
        if self.data_chars == 0 || self.data_chars > gabarito_codec::zap::MAX_DATA_CHARS {
            bail!("--data-chars must be 1 to 218 (zap §4.1)");
        }
        if !Payload::new(self.data_chars).fits(self.pairs, self.messages) {
            bail!(
                "--data-chars {} is too short for the tag naming the pair and sequence number (#{}:{}|)",
                self.data_chars,
                self.pairs - 1,
                self.messages - 1
            );
        }
        if self.wants(Scenario::Idle) && self.idle_connections == 0 {
            bail!("--idle-connections must be at least 1");
        }
        if self.target_pid.is_some() && (self.target.is_none() || self.exec.is_some()) {
            bail!(
                "--target-pid goes with --target alone (without a target, or with --exec, the bench knows the pid)"
            );
        }
        let pairs =
            self.wants(Scenario::Online) || self.wants(Scenario::Stored) || self.wants_echo();
        let in_process = if self.target.is_none() && self.exec.is_none() {
            2
        } else {
            1
        };
        let mut need = 64u64;
        if pairs {
            need += 2 * self.pairs as u64 * in_process;
        }
        if self.wants(Scenario::Idle) {
            need = need.max(64 + self.idle_connections as u64);
        }
        if let Some(limit) = open_files_limit() {
            if limit < need {
                bail!(
                    "this run needs about {need} open files and the limit (ulimit -n) is {limit}: \
                     lower --idle-connections or --pairs, or raise the limit"
                );
            }
        }
        Ok(())
    }
}

/// Runs the command; returns the exit code.
pub fn run(args: &BenchArgs) -> Result<i32> {
    args.validate()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let report = rt.block_on(measure(args))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", render_report(&report));
    }
    if !report.errors.is_empty() {
        eprintln!(
            "conformance bench: {}",
            tr!(
                "{} error(s), see the report",
                "{} erro(s), veja o relatório",
                report.errors.len()
            )
        );
    }
    Ok(exit_code(&report))
}

/// 0 when no error was found, else 1.
pub fn exit_code(report: &BenchReport) -> i32 {
    i32::from(!report.errors.is_empty())
}

/// Runs the scenarios `args` asks for and reports; progress goes to
/// stderr. `Err` only for what is not the target's fault (a server binary
/// that will not start, a port that cannot be bound).
pub async fn measure(args: &BenchArgs) -> Result<BenchReport> {
    args.validate()?;
    let cfg = args.config();
    let mut report = BenchReport {
        schema: SCHEMA.into(),
        target: String::new(),
        cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
        pairs: cfg.pairs,
        messages_per_pair: cfg.messages,
        data_chars: cfg.data_chars,
        window: cfg.window,
        rows: Vec::new(),
        online: None,
        stored: None,
        online_vs_echo: None,
        idle: None,
        goals: Vec::new(),
        errors: Vec::new(),
    };
    let mut described = Vec::new();
    let exec = match &args.exec {
        Some(command) => Some(start_exec(args, command).await?),
        None => None,
    };
    let target = match &exec {
        Some(e) => Some(Target {
            name: format!("`{}` on {}", e.spec().command, e.addr()),
            addr: Some(e.addr()),
            pid: e.main_pid(),
        }),
        None => args.target.as_ref().map(|t| Target {
            name: t.clone(),
            addr: None,
            pid: args.target_pid,
        }),
    };
    let measured = async {
        if args.wants(Scenario::Online) || args.wants(Scenario::Stored) {
            pairs(target.as_ref(), &cfg, args, &mut report, &mut described).await?;
        } else if args.wants_echo() {
            echo(&cfg, &mut report).await?;
        }
        if args.wants(Scenario::Idle) {
            idle_connections(target.as_ref(), args, &cfg, &mut report, &mut described).await?;
        }
        anyhow::Ok(())
    }
    .await;
    if let Some(e) = &exec {
        e.shutdown()
            .await
            .map_err(|e| anyhow::anyhow!("--exec: stopping the target: {e}"))?;
    }
    measured?;
    report.target = described.join("; ");
    report.goals = goals(&report);
    Ok(report)
}

/// Online, the echo ceiling right after it, and stored, against the
/// target or the in-process reference server.
async fn pairs(
    target: Option<&Target>,
    cfg: &Config,
    args: &BenchArgs,
    report: &mut BenchReport,
    described: &mut Vec<String>,
) -> Result<()> {
    let (addr, reference) = match target {
        Some(t) => {
            described.push(t.name.clone());
            (t.resolve().await?, None)
        }
        None => {
            let r = Reference::start().await?;
            eprintln!(
                "{}",
                tr!(
                    "no --target: loading the built-in reference server, in-process at {}",
                    "sem --target: carregando o servidor de referência embutido, no processo, em {}",
                    r.addr
                )
            );
            described.push(format!(
                "built-in reference server (in-process, {})",
                r.addr
            ));
            (r.addr, Some(r))
        }
    };
    if args.wants(Scenario::Online) {
        eprintln!(
            "{}",
            tr!(
                "online: {} pairs × {} messages…",
                "online: {} pares × {} mensagens…",
                cfg.pairs,
                cfg.messages
            )
        );
        match online::run(addr, cfg).await {
            Ok(o) => {
                report.rows.push(o.row);
                collect("online", &o.tally, &mut report.errors);
                report.online = Some(o.tally);
            }
            Err(e) => report.errors.push(format!("online: {e:#}")),
        }
    }
    if args.wants_echo() {
        echo(cfg, report).await?;
    }
    if args.wants(Scenario::Stored) {
        eprintln!(
            "{}",
            tr!(
                "stored: {} pairs × {} messages…",
                "stored: {} pares × {} mensagens…",
                cfg.pairs,
                cfg.messages
            )
        );
        match stored::run(addr, cfg).await {
            Ok(o) => {
                report.rows.push(o.send);
                report.rows.push(o.deliver);
                collect("stored", &o.tally, &mut report.errors);
                report.stored = Some(o.tally);
            }
            Err(e) => report.errors.push(format!("stored: {e:#}")),
        }
    }
    if let Some(r) = reference {
        r.stop().await.context("stopping the reference server")?;
    }
    Ok(())
}

/// Idle connections to the target, or to a reference-server process
/// started for them: its memory must be its own, not shared with the
/// load generator's.
async fn idle_connections(
    target: Option<&Target>,
    args: &BenchArgs,
    cfg: &Config,
    report: &mut BenchReport,
    described: &mut Vec<String>,
) -> Result<()> {
    let k = args.idle_connections;
    if let Some(t) = target {
        let addr = t.resolve().await?;
        eprintln!("{}", tr!("idle: {k} connections…", "idle: {k} conexões…"));
        if !described.contains(&t.name) {
            described.push(t.name.clone());
        }
        match idle::run(addr, k, t.pid, cfg).await {
            Ok(r) => report.idle = Some(r),
            Err(e) => report.errors.push(format!("idle: {e:#}")),
        }
        return Ok(());
    }
    let data = tempfile::Builder::new()
        .prefix("gabarito-bench-")
        .tempdir()
        .context("creating a temporary data directory")?;
    let mut server = spawn_reference(args, data.path(), k).await?;
    eprintln!(
        "{}",
        tr!(
            "idle: {k} connections to a reference-server process (pid {}) at {}…",
            "idle: {k} conexões com um processo reference-server (pid {}) em {}…",
            server.pid,
            server.addr
        )
    );
    described.push(format!(
        "reference-server process (pid {}, {}) for idle",
        server.pid, server.addr
    ));
    match idle::run(server.addr, k, Some(server.pid), cfg).await {
        Ok(r) => report.idle = Some(r),
        Err(e) => {
            let died = server
                .exited()
                .map(|d| format!("; {d}"))
                .unwrap_or_default();
            report.errors.push(format!("idle: {e:#}{died}"));
        }
    }
    server.stop().await;
    Ok(())
}

/// What is loaded when it is not the built-in reference server.
struct Target {
    name: String,
    /// Known already (--exec); otherwise `name` is resolved.
    addr: Option<SocketAddr>,
    /// Whose memory the idle scenario reads.
    pid: Option<u32>,
}

impl Target {
    async fn resolve(&self) -> Result<SocketAddr> {
        match self.addr {
            Some(a) => Ok(a),
            None => resolve(&self.name).await,
        }
    }
}

/// Starts the --exec target (on --target's address, or a free port).
async fn start_exec(args: &BenchArgs, command: &str) -> Result<ExecTarget> {
    let addr = match &args.target {
        Some(t) => resolve(t).await?,
        None => std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .context("finding a free port on 127.0.0.1 for --exec")?,
    };
    let spec = ExecSpec {
        command: command.to_string(),
        cwd: args.cwd.clone(),
        env: args.env.clone(),
        addr,
        start_timeout: Duration::from_secs(10),
        // A load test measures the server as it is: no isolation, no limit.
        sandbox: crate::sandbox::Sandbox {
            bwrap: None,
            limits: crate::sandbox::Limits::unlimited(),
        },
    };
    eprintln!(
        "--exec: {} `{}` ({} {addr})",
        t("starting", "iniciando"),
        spec.shell_command(),
        t("expected on", "esperado em")
    );
    ExecTarget::start(spec)
        .await
        .map_err(|e| anyhow::anyhow!("--exec: {e}"))
}

/// The echo ceiling, measured now, beside the online row.
async fn echo(cfg: &Config, report: &mut BenchReport) -> Result<()> {
    eprintln!(
        "{}",
        tr!(
            "echo ceiling: {} connections × {} writes…",
            "teto do echo: {} conexões × {} escritas…",
            cfg.pairs,
            cfg.messages
        )
    );
    let server = EchoServer::start().await?;
    let scripts = echo_scripts(cfg)?;
    match drive(server.addr, &scripts, cfg.window, cfg.timeout).await {
        Ok(m) => {
            let row = Row::new(
                "echo",
                m.messages,
                m.bytes,
                m.elapsed,
                m.latencies.summary(),
            );
            let online = report.rows.iter().find(|r| r.scenario == "online");
            report.online_vs_echo = online
                .filter(|_| row.msgs_per_sec > 0.0)
                .map(|o| o.msgs_per_sec / row.msgs_per_sec);
            report.rows.push(row);
        }
        Err(e) => bail!("the echo ceiling failed (this machine, not the target): {e:#}"),
    }
    Ok(())
}

fn collect(scenario: &str, tally: &Tally, errors: &mut Vec<String>) {
    errors.extend(tally.faults.iter().map(|f| format!("{scenario}: {f}")));
    if tally.faults.is_empty() && !tally.is_clean() {
        errors.push(format!(
            "{scenario}: {} of {} messages delivered",
            tally.delivered, tally.sent
        ));
    }
}

async fn spawn_reference(args: &BenchArgs, data: &std::path::Path, idle: usize) -> Result<Spawned> {
    let bin = match &args.server_bin {
        Some(b) => b.clone(),
        None => std::env::current_exe()
            .context("locating this executable")?
            .parent()
            .map(|d| d.join("reference-server"))
            .context("this executable has no directory")?,
    };
    if !bin.is_file() {
        bail!(
            "the idle scenario measures a reference-server process, and {} does not exist: \
             build it with `cargo build --release -p gabarito-server`, or pass --server-bin PATH \
             (or --target HOST:PORT --target-pid PID)",
            bin.display()
        );
    }
    let max = (idle + 64).max(10_000);
    let argv: Vec<String> = [
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &data.join("zap").display().to_string(),
        "--max-connections",
        &max.to_string(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    Spawned::start(
        &bin,
        &argv,
        &data.join("server.log"),
        Duration::from_secs(10),
    )
    .await
}

async fn resolve(target: &str) -> Result<SocketAddr> {
    tokio::net::lookup_host(target)
        .await
        .with_context(|| format!("--target {target}: expected HOST:PORT (e.g. 127.0.0.1:5000)"))?
        .next()
        .with_context(|| format!("--target {target}: the name resolved to no address"))
}
