//! `conformance grade TARGETS.toml`: grade a class (see `crate::grade`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use tokio::sync::watch;
use tokio::time::Instant;

use crate::grade::BatchInfo;
use crate::grade::batch::grade_all;
use crate::grade::progress::Progress;
use crate::grade::student::{Cancel, Plan};
use crate::grade::table::Table;
use crate::grade::{output, targets};
use crate::lang::{Lang, current, t};
use crate::protocol::Protocol;
use crate::sandbox::{Mode, Sandbox};
use crate::script::parse::parse_duration;
use crate::selection::{SelectArgs, select};

const TARGETS_HELP: &str = "\
The targets file (TOML): one [[student]] table per student, with `name` and either
`target` (a server already listening) or `exec` (a command the harness starts, restarts
for the restart cases and when it dies, and stops at the end):

  [[student]]
  name = \"alice\"
  exec = \"python3 servidor.py {port}\"   # run under sh -c; {port}, {host}, $PORT, $HOST
  cwd = \"alice\"                         # relative to the targets file
  env = { DATA_DIR = \"/tmp/alice\" }     # extra environment
  start_timeout = \"20s\"                 # default: --start-timeout

  [[student]]
  name = \"bob\"
  exec = \"java -jar servidor.jar\"
  cwd = \"bob\"
  port = 5000                           # a fixed port; without it each student gets a
                                        # free port on 127.0.0.1. Students with the
                                        # same port are graded one after another.
  [[student]]
  name = \"carol\"
  target = \"10.0.0.7:5000\"              # already running: restart cases are SKIPPED

  sandbox = \"none\"                      # this student's --sandbox (auto, bwrap, none)

`cwd`, `env`, `port`, `start_timeout` and `sandbox` apply only with `exec`. Names must be distinct.
The whole file is checked before any server starts; errors name the file, the line and
the key, and exit with status 2.

Reports, in --out DIR (default ./grade-report):
  summary.csv          the table: per section passed and graded, total, score, error
  summary.json         schema gabarito-grade/1, each student's full run in the
                       gabarito-conformance/1 format (conformance/REPORTS.md)
  index.html           the table, each student linking to their page
  students/NAME.html   every case that did not pass: requirement, expected vs actual,
                       the bytes exchanged, the difference from the reference server
The table is also printed on stdout; stderr shows a line per student as it finishes.
A student whose server cannot be started or reached gets an ERROR row with the reason
(the server's last output) and the batch goes on.

Exit status: 0 every student was graded (whatever their scores); 1 at least one student
could not be graded (an ERROR row); 2 usage error, a bad targets file, or interrupted
(Ctrl-C stops every server the harness started; no report is written).

Examples:
  conformance grade class.toml
  conformance grade class.toml --jobs 4 --out notas/ --exclude 'zap.8*=groups are optional'
  conformance grade class.toml --filter zap.5 --filter zap.6 --timeout 5s --pace 50ms";

/// Grade every student of a targets file: a table, CSV, JSON and HTML.
#[derive(Debug, Args)]
#[command(after_long_help = TARGETS_HELP)]
pub struct GradeArgs {
    /// The targets file: one [[student]] table per student (see below).
    #[arg(value_name = "TARGETS.toml")]
    pub targets: PathBuf,
    /// Students graded at the same time. Each student's cases also run
    /// concurrently (--case-jobs), so about 3 × jobs × case-jobs
    /// connections are open at once.
    #[arg(long, default_value = "2", value_parser = parse_count)]
    pub jobs: usize,
    /// Cases of one student run at the same time. Use 1 for servers that
    /// serve one client at a time.
    #[arg(long, default_value = "4", value_parser = parse_count)]
    pub case_jobs: usize,
    /// Directory for summary.csv, summary.json, index.html and students/.
    #[arg(long, value_name = "DIR", default_value = "grade-report")]
    pub out: PathBuf,
    #[command(flatten)]
    pub protocol: crate::protocols::ProtocolArgs,
    #[command(flatten)]
    pub select: SelectArgs,
    #[command(flatten)]
    pub patience: super::patience::PatienceArgs,
    /// How long a `target` may take to accept its first connection.
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub wait: Duration,
    /// How long an `exec` server may take to accept connections after each
    /// start, unless its entry sets `start_timeout`.
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub start_timeout: Duration,
    #[command(flatten)]
    pub sandbox: super::sandbox::SandboxArgs,
}

/// Grades the class; returns the exit code.
pub fn run(args: &GradeArgs) -> Result<i32> {
    let protocol: Arc<dyn Protocol> = args.protocol.protocol();
    let students = targets::load(&args.targets).map_err(anyhow::Error::msg)?;
    let selection = select(&args.select.choice(), protocol.as_ref())?;
    if selection.cases.is_empty() {
        bail!(
            "no case to run: the --filter patterns {:?} and --exclude patterns {:?} leave none (see conformance --list)",
            args.select.filter,
            args.select.exclude
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating the report directory {}", args.out.display()))?;
    let mut info = BatchInfo {
        protocol: protocol.name().to_string(),
        targets_file: args.targets.display().to_string(),
        strict: args.patience.strict,
        duration: Duration::ZERO,
        cases: selection.cases.len(),
        excluded: selection.excluded.len(),
        filter: args.select.filter.clone(),
        exclude: args.select.exclude.clone(),
    };
    let default_mode = args.sandbox.mode_or(Mode::Auto);
    let (sandbox, note) = Sandbox::resolve(default_mode, args.sandbox.limits())
        .map_err(|e| anyhow::anyhow!("--sandbox: {e}"))?;
    if let Some(note) = note {
        eprintln!("conformance grade: {note}");
    }
    eprintln!(
        "conformance grade: --sandbox {}; {}: {}",
        sandbox.name(),
        t("limits", "limites"),
        sandbox.limits.summary()
    );
    let plan = Arc::new(Plan {
        sandbox,
        protocol,
        selection,
        opts: args.patience.options(),
        case_jobs: args.case_jobs,
        wait: args.wait,
        start_timeout: args.start_timeout,
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let progress = Arc::new(Progress::new(students.iter().map(|s| s.name.as_str())));
    let (n, cases, jobs) = (students.len(), info.cases, args.jobs);
    eprintln!(
        "conformance grade: {}",
        match current() {
            Lang::En => format!("{n} student(s), {cases} case(s) each, {jobs} at a time"),
            Lang::PtBr => format!("{n} aluno(s), {cases} caso(s) cada, {jobs} por vez"),
        }
    );
    let clock = Instant::now();
    let reports = rt.block_on(async {
        let (stop, stopped) = watch::channel(false);
        let mut batch = tokio::spawn(grade_all(
            plan,
            students,
            args.jobs,
            Cancel(stopped),
            progress.clone(),
        ));
        tokio::select! {
            r = &mut batch => r,
            Ok(()) = tokio::signal::ctrl_c() => {
                let _ = stop.send(true);
                progress.clear();
                eprintln!(
                    "\nconformance grade: {}",
                    t(
                        "interrupted; stopping every server the harness started",
                        "interrompido; parando todos os servidores que o avaliador iniciou"
                    )
                );
                batch.await
            }
        }
    });
    drop(rt);
    let Some(reports) = reports.context("the grading task failed")? else {
        eprintln!(
            "conformance grade: {}",
            t(
                "interrupted; every server was stopped, no report written",
                "interrompido; todos os servidores foram parados, nenhum relatório foi escrito"
            )
        );
        return Ok(2);
    };
    info.duration = clock.elapsed();
    let table = Table::of(&reports);
    let index = output::write(&args.out, &info, &table, &reports)?;
    let errors = table.rows.iter().filter(|r| r.error.is_some()).count();
    let mut text = table.console();
    let (students, graded) = (table.rows.len(), table.rows.len() - errors);
    let (cases, error) = (info.cases, crate::verdict::Verdict::Error.display());
    let strict = if info.strict { " (--strict)" } else { "" };
    let secs = info.duration.as_secs_f64();
    text.push_str(&match current() {
        Lang::En => format!(
            "\n{students} student(s): {graded} graded, {errors} {error}; {cases} case(s) each{strict}; {secs:.1}s\n"
        ),
        Lang::PtBr => format!(
            "\n{students} aluno(s): {graded} avaliado(s), {errors} com {error}; {cases} caso(s) cada{strict}; {secs:.1}s\n"
        ),
    });
    super::emit(&text)?;
    eprintln!(
        "conformance grade: {} {}: index.html, summary.csv, summary.json, students/",
        t("reports in", "relatórios em"),
        index.parent().unwrap_or(&args.out).display()
    );
    Ok(if errors > 0 { 1 } else { 0 })
}

fn parse_count(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of at least 1, found \"{s}\""
        )),
    }
}
