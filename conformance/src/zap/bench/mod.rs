//! The zap workload (`spec/zap.md`): sender/recipient pairs for online
//! delivery (zap §6.1, §6.2, §7.1) and store-then-deliver (§9.4, §11.1),
//! and idle connections for the memory a server holds per client.
//!
//! # Layout
//!
//! - `payload.rs` — the data of a message: a `#PAIR:SEQ|` tag and filler.
//! - `conn.rs` — one connection: connect, register, log in, read frames.
//! - `pairs.rs` — setting pairs up, the senders' scripts, reading 06s into
//!   a ledger and counting 07s.
//! - `online.rs`, `stored.rs`, `idle.rs` — the three scenarios.
//! - `report.rs` — [`BenchReport`], the JSON schema of a run.
//! - `summary.rs` — the human report, and the goals a run is held to.
//! - `measure.rs` — the scenarios a command line asks for, and the report.

mod conn;
mod pairs;
mod payload;

pub mod idle;
pub mod measure;
pub mod online;
pub mod report;
pub mod stored;
pub mod summary;

use std::time::Duration;

pub use pairs::echo_scripts;
pub use payload::{MAX_MESSAGES, Payload};
pub use report::{BenchReport, IdleResult, Tally};

/// What a pairs scenario is asked to do.
#[derive(Debug, Clone)]
pub struct Config {
    /// Sender/recipient pairs, each on its own two connections.
    pub pairs: usize,
    /// Messages each sender sends its recipient.
    pub messages: u64,
    /// Characters of data per message (zap §4.1: at most 218).
    pub data_chars: usize,
    /// Messages in flight per pair; 0: unbounded (`bench/window.rs`).
    pub window: u64,
    /// Longest wait for any reply or any progress before the target is
    /// declared stalled.
    pub timeout: Duration,
    /// The pause that ends a 06 still open at the end of what was read
    /// (zap §3.4 R5).
    pub settle: Duration,
}

impl Config {
    /// 2 pairs × 50 messages of 32 characters: enough to check, too small
    /// to measure.
    pub fn tiny() -> Config {
        Config {
            pairs: 2,
            messages: 50,
            data_chars: 32,
            window: 0,
            timeout: Duration::from_secs(10),
            settle: Duration::from_millis(20),
        }
    }
}
