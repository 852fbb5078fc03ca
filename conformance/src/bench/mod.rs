//! `conformance bench`: a load generator for any target on `host:port`.
//!
//! # Layout
//!
//! Generic, knowing no protocol:
//!
//! - `stats.rs` — latency samples and their percentiles.
//! - `table.rs` — [`Row`], one measured phase, and the human table.
//! - `inbox.rs` — a receive buffer stamping bytes with their arrival.
//! - `ledger.rs` — exactly-once, in-order bookkeeping of numbered messages.
//! - `script.rs` — pre-encoded messages, written one per write.
//! - `window.rs` — an optional bound on messages in flight.
//! - `echo.rs` — the ceiling: a plain tokio echo server and its driver.
//! - `process.rs` — a target's resident memory, the fd limit, and a server
//!   binary spawned on a free port.
//! - `target.rs` — a `--target` address or an `--exec` server.
//!
//! Each protocol's workload is in its own folder (`zap/bench/`: online
//! delivery, store-then-deliver and idle connections), found through its
//! registry entry (`protocols.rs`); the command line is `cli/bench.rs`.

pub mod echo;
pub mod inbox;
pub mod ledger;
pub mod process;
pub mod script;
pub mod stats;
pub mod table;
pub mod target;
pub mod window;

pub use table::Row;
