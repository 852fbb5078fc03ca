//! `conformance bench`: load against a target, or the built-in reference
//! server: messages/s and latency, the echo ceiling, and memory per idle
//! connection. The arguments are here; the workload is the protocol's
//! (`zap/bench/`), found through its registry entry (`protocols.rs`). Not
//! every protocol has one: `--protocol` takes only those that do, and the
//! help names them.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Result;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

use crate::protocols::{ALL, DEFAULT, Entry};
use crate::script::parse::parse_duration;

/// The examples, and which protocols have a workload.
fn help() -> String {
    let loaded: Vec<&str> = ALL
        .iter()
        .filter(|e| e.bench.is_some())
        .map(|e| e.name)
        .collect();
    let without: Vec<&str> = ALL
        .iter()
        .filter(|e| e.bench.is_none())
        .map(|e| e.name)
        .collect();
    let mut text = format!(
        "Protocols with a workload: {}; without one yet: {}.\n\n{EXAMPLES}",
        loaded.join(", "),
        if without.is_empty() {
            "none".to_string()
        } else {
            without.join(", ")
        }
    );
    text.truncate(text.trim_end().len());
    text
}

/// `--protocol`: a protocol of [`ALL`] that has a workload.
fn loaded() -> impl TypedValueParser<Value = &'static Entry> {
    let names: Vec<&str> = ALL
        .iter()
        .filter(|e| e.bench.is_some())
        .map(|e| e.name)
        .collect();
    // The parser admits only the names above.
    PossibleValuesParser::new(names).map(|name| Entry::named(&name).unwrap_or(DEFAULT))
}

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
#[command(after_long_help = help())]
pub struct BenchArgs {
    /// The protocol loaded: one with a workload (the help after the
    /// options lists them).
    #[arg(long, default_value = crate::protocols::DEFAULT.name, value_parser = loaded())]
    pub protocol: &'static Entry,
    /// The server to load, HOST:PORT. Without it, online and stored run
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
    /// `BenchReport` in conformance/src/zap/bench/report.rs).
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
    pub fn wants(&self, s: Scenario) -> bool {
        self.scenario.contains(&s) || self.scenario.contains(&Scenario::All)
    }

    pub fn wants_echo(&self) -> bool {
        self.echo_ceiling || self.scenario.contains(&Scenario::All)
    }
}

/// Runs the command with the protocol's workload; returns the exit code.
pub fn run(args: &BenchArgs) -> Result<i32> {
    match args.protocol.bench {
        Some(run) => run(args),
        None => anyhow::bail!(
            "conformance bench has no workload for {} yet",
            args.protocol.name
        ),
    }
}
