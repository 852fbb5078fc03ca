//! The report of a `conformance bench` run, as printed by `--json`.

use serde::{Deserialize, Serialize};

use crate::bench::ledger::Ledger;
use crate::bench::table::Row;

/// Schema version of [`BenchReport`].
pub const SCHEMA: &str = "gabarito-bench/1";

/// The JSON report of `conformance bench --json` (schema `gabarito-bench/1`).
///
/// Stable: within version 1, fields are only ever added, never renamed,
/// removed or given another meaning. Absent scenarios are `null`.
///
/// ```text
/// {
///   "schema": "gabarito-bench/1",
///   "target": "127.0.0.1:5000",            // or "built-in reference server (in-process, ADDR)"
///   "cpus": 2,                              // logical CPUs of this machine
///   "pairs": 16, "messages_per_pair": 20000, "data_chars": 32, "window": 0,
///   "rows": [ {                             // one per measured phase, in run order:
///     "scenario": "online",                 //   online | echo | stored-send | stored-deliver
///     "messages": 320000, "bytes": 23360000,
///     "seconds": 4.1, "msgs_per_sec": 78000.0, "mb_per_sec": 5.7,
///     "latency": { "p50_us": 900.0, "p99_us": 4100.0, "max_us": 9000.0 }   // or null
///   } ],
///   "online": Tally | null, "stored": Tally | null,
///   "online_vs_echo": 0.61 | null,          // online msgs/s ÷ echo msgs/s, same run
///   "idle": IdleResult | null,
///   "goals": [ { "name": "...", "goal": "...", "measured": "...", "met": true } ],
///   "errors": [ "pair 3 (…): message 17 arrived again", … ]   // empty: exit 0
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchReport {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// What was measured.
    pub target: String,
    /// Logical CPUs of the machine the run shared.
    pub cpus: usize,
    pub pairs: usize,
    pub messages_per_pair: u64,
    /// Characters of data per 05.
    pub data_chars: usize,
    /// Messages in flight per pair; 0: unbounded.
    pub window: u64,
    /// One per measured phase, in run order.
    pub rows: Vec<Row>,
    /// Correctness of online delivery.
    pub online: Option<Tally>,
    /// Correctness of store-then-deliver.
    pub stored: Option<Tally>,
    /// `online` msgs/s divided by `echo` msgs/s, both from this run.
    pub online_vs_echo: Option<f64>,
    pub idle: Option<IdleResult>,
    /// The performance goals of the project and whether this run met them.
    pub goals: Vec<Goal>,
    /// Every fault found: messages lost, duplicated, reordered or altered;
    /// a target that stalled, closed a connection or sent bytes that are no
    /// frame. Empty exactly when the run exits 0.
    pub errors: Vec<String>,
}

/// What arrived, for one pairs scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Messages sent, all pairs.
    pub sent: u64,
    /// Distinct messages delivered.
    pub delivered: u64,
    pub missing: u64,
    pub duplicates: u64,
    pub out_of_order: u64,
    /// 07s received by the senders (zap §7.1): one per 06 from the
    /// reference server; fewer is allowed if a server coalesces (D14).
    pub receipts: u64,
    /// Each fault, with the pair it happened to.
    pub faults: Vec<String>,
}

impl Tally {
    /// More receipts than messages is a fault: each 07 stands for at
    /// least one delivered 06 (zap §7.1).
    pub fn new(sent: u64, receipts: u64) -> Tally {
        let mut faults = Vec::new();
        if receipts > sent {
            faults.push(format!(
                "{receipts} delivery receipts (07) for {sent} messages (zap §7.1)"
            ));
        }
        Tally {
            sent,
            delivered: 0,
            missing: 0,
            duplicates: 0,
            out_of_order: 0,
            receipts,
            faults,
        }
    }

    /// Adds one pair's ledger.
    pub fn add(&mut self, pair: &str, ledger: &Ledger) {
        self.delivered += ledger.distinct();
        self.missing += ledger.missing();
        self.duplicates += ledger.duplicates + ledger.unknown;
        self.out_of_order += ledger.out_of_order;
        if let Some(v) = ledger.verdict() {
            self.faults.push(format!("{pair}: {v}"));
        }
    }

    /// Whether every message arrived exactly once, in order, and no more
    /// receipts came than messages.
    pub fn is_clean(&self) -> bool {
        self.faults.is_empty() && self.delivered == self.sent
    }
}

/// Idle connections and the target's memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdleResult {
    /// Connections opened, each registered (01 → 02) and logged in (03).
    pub connections: usize,
    /// Seconds to open and log in all of them.
    pub setup_seconds: f64,
    /// The target's resident set before opening them, KiB; `null` without
    /// a process id.
    pub rss_before_kib: Option<u64>,
    /// The same with every connection open and idle.
    pub rss_after_kib: Option<u64>,
    /// (after − before) / connections, bytes.
    pub bytes_per_connection: Option<f64>,
    /// Connections that then received a probe 06, proving them online.
    pub reached: usize,
}

/// A performance goal and this run's figure for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub name: String,
    pub goal: String,
    pub measured: String,
    pub met: bool,
}
