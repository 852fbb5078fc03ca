//! `conformance bench --protocol zap`: the scenarios a run asks for,
//! against the target or the built-in reference server (in-process for
//! online and stored, a process of its own for idle, whose memory is its
//! own), the echo ceiling beside them, and the report.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::report::SCHEMA;
use super::summary::{goals, render_report};
use super::{
    BenchReport, Config, MAX_MESSAGES, Payload, Tally, echo_scripts, idle, online, stored,
};
use crate::bench::Row;
use crate::bench::echo::{EchoServer, drive};
use crate::bench::process::{Spawned, open_files_limit};
use crate::bench::target::{Target, start_exec};
use crate::cli::bench::{BenchArgs, Scenario};
use crate::cli::reference::Reference;
use crate::lang::tr;

/// Runs `conformance bench --protocol zap`; returns the exit code.
pub fn run(args: &BenchArgs) -> Result<i32> {
    validate(args)?;
    let report = crate::cli::block_on(measure(args))?;
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
    validate(args)?;
    let cfg = config(args);
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
        Some(command) => Some(
            start_exec(
                args.target.as_deref(),
                command,
                args.cwd.clone(),
                args.env.clone(),
            )
            .await?,
        ),
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

fn config(args: &BenchArgs) -> Config {
    Config {
        pairs: args.pairs,
        messages: args.messages,
        data_chars: args.data_chars,
        window: args.window,
        timeout: args.timeout,
        settle: Duration::from_millis(args.settle_ms),
    }
}

/// Usage errors, before anything is started.
fn validate(args: &BenchArgs) -> Result<()> {
    if args.pairs == 0 || args.messages == 0 {
        bail!("--pairs and --messages must be at least 1");
    }
    if args.messages >= MAX_MESSAGES {
        bail!("--messages must be below {MAX_MESSAGES}");
    }
    if args.data_chars == 0 || args.data_chars > gabarito_codec::zap::MAX_DATA_CHARS {
        bail!("--data-chars must be 1 to 218 (zap §4.1)");
    }
    if !Payload::new(args.data_chars).fits(args.pairs, args.messages) {
        bail!(
            "--data-chars {} is too short for the tag naming the pair and sequence number (#{}:{}|)",
            args.data_chars,
            args.pairs - 1,
            args.messages - 1
        );
    }
    if args.wants(Scenario::Idle) && args.idle_connections == 0 {
        bail!("--idle-connections must be at least 1");
    }
    if args.target_pid.is_some() && (args.target.is_none() || args.exec.is_some()) {
        bail!(
            "--target-pid goes with --target alone (without a target, or with --exec, the bench knows the pid)"
        );
    }
    let pairs = args.wants(Scenario::Online) || args.wants(Scenario::Stored) || args.wants_echo();
    let in_process = if args.target.is_none() && args.exec.is_none() {
        2
    } else {
        1
    };
    let mut need = 64u64;
    if pairs {
        need += 2 * args.pairs as u64 * in_process;
    }
    if args.wants(Scenario::Idle) {
        need = need.max(64 + args.idle_connections as u64);
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
