//! Running suites against a target and reporting.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use super::target::start_target;
use crate::protocol::Protocol;
use crate::report::{RunInfo, Summary, console, json, junit};
use crate::run::{CaseResult, Restart, RunOptions, run_all, wait_for_port};
use crate::script::Case;
use crate::script::parse::parse_duration;
use crate::selection::{SelectArgs, Selection, select};
use crate::suites;
use crate::verdict::Verdict;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The server to grade, HOST:PORT. Without it, the built-in reference
    /// server is started in-process on 127.0.0.1 and graded.
    #[arg(long, value_name = "HOST:PORT")]
    pub target: Option<String>,
    /// Start the target with this shell command, restart it when it dies
    /// and for the restart cases (zap §11.1), and stop it at the end.
    /// `{port}` and `{host}` in CMD (and $PORT, $HOST in its environment)
    /// are the address it must listen on: --target's, or a free port on
    /// 127.0.0.1. Its output is quoted when it dies.
    /// Example: --exec 'python3 servidor.py {port}'
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Working directory for --exec.
    #[arg(long, value_name = "DIR", requires = "exec")]
    pub cwd: Option<PathBuf>,
    /// Environment variable for --exec (repeatable): --env DATA=/tmp/x.
    #[arg(long, value_name = "KEY=VALUE", requires = "exec", value_parser = super::target::parse_env)]
    pub env: Vec<(String, String)>,
    /// How long the --exec target may take to accept connections after
    /// each start.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub start_timeout: Duration,
    #[command(flatten)]
    pub sandbox: super::sandbox::SandboxArgs,
    #[command(flatten)]
    pub protocol: crate::protocols::ProtocolArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    /// List the selected cases and exit.
    #[arg(long)]
    pub list: bool,
    #[command(flatten)]
    pub patience: super::patience::PatienceArgs,
    /// How long to wait for the target to accept connections at start.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub wait: Duration,
    /// Cases run at the same time (each uses its own connections and users,
    /// so at most about 3×JOBS connections are open at once). Use 1 for a
    /// server that serves one client at a time.
    #[arg(long, default_value_t = 8)]
    pub jobs: usize,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Console)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show the exchange of passing cases too.
    #[arg(long, short)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Console,
    /// Stable schema "gabarito-conformance/1" (conformance/REPORTS.md).
    Json,
    Junit,
}

/// Runs the suite; returns the exit code.
pub async fn run(args: &RunArgs) -> Result<i32> {
    let protocol: Arc<dyn Protocol> = args.protocol.protocol();
    let Selection {
        cases: selected,
        excluded,
    } = select(&args.select.choice(), protocol.as_ref())?;
    if args.list {
        let mut listing = String::new();
        for (case, reason) in selected
            .iter()
            .map(|c| (c, None))
            .chain(excluded.iter().map(|(c, r)| (c, Some(r))))
        {
            let skip = reason
                .map(|r| format!("  [excluded: {r}]"))
                .unwrap_or_default();
            listing.push_str(&format!(
                "{:<40} {:<16} {}:{}  {}{skip}\n",
                case.id,
                case.spec.join(" "),
                case.file,
                case.line,
                case.title_text()
            ));
        }
        listing.push_str(&format!("{} case(s)\n", selected.len() + excluded.len()));
        super::emit(&listing)?;
        return Ok(0);
    }
    let started_target = start_target(args).await?;
    let target = started_target.addr();
    let restart = started_target.restart();
    let opts = args.patience.options();
    let started = Instant::now();
    let failed = started_target.failed().map(str::to_string);
    let interrupted = tokio::select! {
        results = grade(args, &selected, protocol.clone(), target, opts, restart, failed) => Ok(results),
        _ = tokio::signal::ctrl_c() => Err(()),
    };
    started_target.stop().await?;
    let Ok(mut results) = interrupted else {
        eprintln!(
            "conformance: {}",
            crate::lang::t(
                "interrupted; the target the harness started was stopped",
                "interrompido; o alvo iniciado pelo avaliador foi parado"
            )
        );
        return Ok(2);
    };
    for (case, reason) in &excluded {
        results.push(crate::run::skipped_result(
            case,
            Verdict::Skipped,
            "",
            &format!("{}: {reason}", crate::lang::t("excluded", "excluído")),
        ));
    }
    let info = RunInfo {
        protocol: protocol.name().to_string(),
        target: started_target.describe(args),
        duration: started.elapsed(),
        strict: args.patience.strict,
    };
    let report = match args.format {
        Format::Console => {
            let golden = suites::golden_index(&results);
            console(
                &info,
                &results,
                &|r: &CaseResult| golden.get(&r.id).cloned(),
                args.verbose,
            )
        }
        Format::Json => serde_json::to_string_pretty(&json(&info, &results))? + "\n",
        Format::Junit => junit(&info, &results),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &report).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("{}", Summary::of(&results).closing_line());
        }
        None => super::emit(&report)?,
    }
    Ok(if Summary::of(&results).failed > 0 {
        1
    } else {
        0
    })
}

/// Waits for the target, then runs every selected case against it, within
/// --limit-wall when the harness started it. `failed`: why the target the
/// harness should have started is not there.
async fn grade(
    args: &RunArgs,
    selected: &[Case],
    protocol: Arc<dyn Protocol>,
    target: SocketAddr,
    opts: RunOptions,
    restart: Option<Arc<dyn Restart>>,
    failed: Option<String>,
) -> Vec<CaseResult> {
    let up = match failed {
        Some(why) => Err(why),
        None => wait_for_port(target, args.wait).await,
    };
    let wall = match args.exec {
        Some(_) => args.sandbox.limit_wall,
        None => Duration::MAX,
    };
    let all = |e: &str| {
        selected
            .iter()
            .map(|c| {
                crate::run::skipped_result(
                    c,
                    Verdict::Error,
                    crate::lang::t(
                        "the target to accept connections",
                        "o alvo aceitar conexões",
                    ),
                    e,
                )
            })
            .collect()
    };
    match up {
        Ok(()) => {
            let run = run_all(
                selected.to_vec(),
                protocol,
                target,
                opts,
                args.jobs,
                restart,
            );
            match tokio::time::timeout(wall, run).await {
                Ok(results) => results,
                Err(_) => all(&crate::sandbox::Limits::wall_ran_out(wall)),
            }
        }
        Err(e) => all(&e),
    }
}
