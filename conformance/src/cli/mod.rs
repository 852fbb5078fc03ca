//! The `conformance` command line.

pub mod bench;
pub mod decode;
pub mod grade;
pub mod patience;
pub mod proxy;
pub mod reference;
pub mod run;
pub mod sandbox;
pub mod serve;
pub mod target;

use std::io::Write as _;

use clap::{Parser, Subcommand};

/// Grade any implementation of a socket-programming protocol.
///
/// Without a subcommand, runs the protocol's conformance suite against
/// `--target HOST:PORT` — or, with no target, against the built-in reference
/// server started in-process on a free port (a demonstration, and a check
/// that the suite passes).
///
/// Each case prints PASS, NON-STRICT (a deviation the spec tolerates),
/// UNIMPLEMENTED (an optional feature is absent), SKIPPED, FAIL or ERROR
/// (the target could not be tested). For anything but PASS the report gives
/// the spec section, the requirement, expected vs actual, and every byte
/// exchanged.
///
/// Exit status: 0 when nothing FAILed or ERRORed, 1 otherwise, 2 for usage
/// or harness errors.
///
/// Examples:
///   conformance                                   # the suite against the reference server
///   conformance --target 127.0.0.1:5000           # grade a server
///   conformance --target 127.0.0.1:5000 --filter zap.7 --format json
///   conformance --list
///   conformance --exec 'python3 servidor.py {port}'   # start it; restart cases run too
///   conformance --protocol lrv --exec 'python3 rifa.py {port}'   # the raffle (spec/lrv.md)
///   conformance --target 127.0.0.1:5000 --lang pt-BR  # the report in Brazilian Portuguese
///   conformance decode '05200000000000120000000000021700000000olá'
///   conformance decode --protocol lrv 'COMPRAR 007'   # an lrv line, field by field
///   conformance grade class.toml --lang pt-BR         # a class: table, CSV, JSON, HTML
///   conformance proxy --listen 127.0.0.1:6000 --upstream 127.0.0.1:5000   # watch both sides
///   conformance serve --listen 127.0.0.1:5000 --once  # grade a client
///   conformance bench --target 127.0.0.1:5000         # messages/s and latency
///
/// Each subcommand has its own help: conformance grade --help, …
#[derive(Debug, Parser)]
#[command(
    name = "conformance",
    version,
    verbatim_doc_comment,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: run::RunArgs,
    /// Language of the reports: en or pt-BR [default: from LC_ALL /
    /// LC_MESSAGES / LANG, pt* → pt-BR]. JSON and JUnit stay English.
    #[arg(long, global = true, value_name = "LANG", value_parser = crate::lang::Lang::parse)]
    pub lang: Option<crate::lang::Lang>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decode a message (a zap frame, an lrv line): each field, or where it is invalid.
    Decode(decode::DecodeArgs),
    /// Load a zap server: messages/s and latency, online and stored.
    Bench(bench::BenchArgs),
    /// Relay a client and a server; show and check every message.
    Proxy(proxy::ProxyArgs),
    /// Be a strict reference server; report on every client that connects.
    Serve(serve::ServeArgs),
    /// Grade a class: every student of a targets file, one table, CSV, JSON and HTML.
    Grade(grade::GradeArgs),
}

/// Runs `job` on a multi-threaded runtime of its own: the subcommands that
/// serve connections.
pub fn block_on<T>(job: impl std::future::Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    use anyhow::Context as _;
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?
        .block_on(job)
}

/// Writes a report to stdout. A reader that went away (`conformance --list
/// | head`) is not an error: the process ends quietly, as `cat` would.
pub fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        r => r,
    }
}
