//! The gabarito reference server: the answer key's implementation of each
//! protocol, strict where the spec says MUST, with named faults and quirks
//! for testing graders.
//!
//! # Layout
//!
//! One folder per protocol (`zap/`, `lrv/`, …), each registered once in
//! the list of protocols below — the only place that names them all — and
//! beside them the generic parts, which know no protocol:
//!
//! - `registry.rs` — [`Spec`], what registering a protocol takes, and the
//!   `protocols!` macro that turns the list into [`Protocol`], [`Options`]
//!   and the dispatch to the runtime.
//! - `sans_io/` — [`Core`](sans_io::Core), the trait each protocol's
//!   sans-I/O state machine implements (no tokio, no sockets, no SQLite;
//!   builds with `--no-default-features`), the [`Effect`](sans_io::Effect)s
//!   it emits, and [`Sim`](sans_io::Sim), the in-memory driver its unit
//!   tests and fuzz targets run it with.
//! - `config.rs` — [`Config`], [`Limits`]: what an instance is told at
//!   start, and [`Config::validate`].
//! - `fault.rs` — [`Fault`] and [`Quirk`], the named misbehaviours and
//!   conformant variations, each for the protocols it names.
//! - `conn_id.rs` — [`ConnId`], the name of a connection shared by the
//!   protocol cores and the network driver.
//! - `hub/` — the runtime every protocol shares (feature `runtime`): the
//!   core behind a lock, each call's store ops committed before its other
//!   effects are performed; one run from opening the store to closing it.
//! - `net/` — tokio plumbing (feature `runtime`): the accept loop with its
//!   connection limit and graceful shutdown, the per-connection reader
//!   (settle time, idle timeout, no buffer while idle) and writer (one
//!   frame per write, a backlog as a stream; bounded by the core), and the
//!   registry of live connections.
//! - `store/` — SQLite plumbing (feature `runtime`): opening a database
//!   durably, the group-commit writer thread, and the run's store that
//!   stops the server when a commit fails.
//! - `logging/` — logging that cannot hurt the server (feature `runtime`):
//!   a writer that drops what it cannot write instead of failing, standard
//!   descriptors held open, a per-connection budget of warnings.
//! - `server.rs` — [`run`], the one entry point.
//! - `fd_limit.rs` — raising the open-file soft limit to the hard limit
//!   at start (feature `runtime`).
//! - `cli.rs` — the command line of the `reference-server` binary
//!   (`main.rs`).
#![forbid(unsafe_code)]

#[macro_use]
mod registry;

pub mod config;
mod conn_id;
pub mod fault;
pub mod sans_io;

#[cfg(feature = "runtime")]
pub mod cli;
#[cfg(feature = "runtime")]
pub mod fd_limit;
#[cfg(feature = "runtime")]
mod hub;
#[cfg(feature = "runtime")]
pub mod logging;
#[cfg(feature = "runtime")]
mod net;
#[cfg(feature = "runtime")]
mod server;
#[cfg(feature = "runtime")]
mod store;

// The protocols: a folder each, registered here — its `mod` line and its
// entry in the list, the default first.
pub mod lrv;
pub mod zap;

protocols! {
    /// WhatsApp-like messaging (`spec/zap.md`).
    Zap(zap) = zap::Zap,
    /// Raffle purchase (`spec/lrv.md`).
    Lrv(lrv) = lrv::Lrv,
}

pub use config::{Config, ConfigError, Limits, default_data_dir};
pub use conn_id::ConnId;
pub use fault::{Fault, NotForProtocol, Quirk};
pub use registry::Spec;
#[cfg(feature = "runtime")]
pub use server::run;
