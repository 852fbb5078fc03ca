//! The gabarito reference server: the answer key's implementation of each
//! protocol, strict where the spec says MUST, with named faults and quirks
//! for testing graders.
//!
//! # Layout
//!
//! - `config.rs` — [`Config`], [`Protocol`], [`Limits`]: what an instance is
//!   told at start, and [`Config::validate`]. Generic, but for the options
//!   of one protocol (lrv's raffle size and test-only draw seed).
//! - `fault.rs` — [`Fault`] and [`Quirk`], the named misbehaviours and
//!   conformant variations, each for the protocols it names.
//! - `backlog.rs` — what a connection was sent and has not yet been
//!   written, in frames and bytes: the slow-reader measure both cores use.
//! - `conn_id.rs` — [`ConnId`], the name of a connection shared by the
//!   protocol cores and the network driver.
//! - `zap/` — the zap protocol: `zap/core/` is the sans-I/O state machine
//!   (no tokio, no sockets, no SQLite; builds with `--no-default-features`),
//!   `zap/sim.rs` an in-memory driver for it, `zap/sqlite.rs` its durable
//!   store and `zap/hub.rs` its runtime driver.
//! - `lrv/` — the LRV raffle protocol, the same shape: `lrv/core/` is the
//!   sans-I/O state machine (framing, requests, the raffle and its draw),
//!   `lrv/sqlite.rs` its durable store, `lrv/entropy.rs` the draw's
//!   operating-system source and `lrv/hub.rs` its runtime driver.
//! - `net/` — generic tokio plumbing (feature `runtime`): the accept loop
//!   with its connection limit and graceful shutdown, the per-connection
//!   reader (settle time, idle timeout, no buffer while idle) and writer
//!   (one frame per write, a backlog as a stream; bounded by the core), and
//!   the registry of live connections.
//! - `store/` — generic SQLite plumbing (feature `runtime`): opening a
//!   database durably, the group-commit writer thread, and the run's
//!   store that stops the server when a commit fails.
//! - `driver.rs` — what every protocol's runtime driver does the same way
//!   (feature `runtime`): the shared writer quirks, fault
//!   `crash-on-malformed`'s stop, serving and then closing the store.
//! - `logging/` — logging that cannot hurt the server (feature `runtime`):
//!   a writer that drops what it cannot write instead of failing, standard
//!   descriptors held open, a per-connection budget of warnings.
//! - `server.rs` — [`run`]: picks the protocol module for a [`Config`].
//! - `fd_limit.rs` — raising the open-file soft limit to the hard limit
//!   at start (feature `runtime`).
//! - `cli.rs` — the command line of the `reference-server` binary
//!   (`main.rs`).
#![forbid(unsafe_code)]

mod backlog;
pub mod config;
mod conn_id;
pub mod fault;
pub mod lrv;
pub mod zap;

#[cfg(feature = "runtime")]
pub mod cli;
#[cfg(feature = "runtime")]
mod driver;
#[cfg(feature = "runtime")]
pub mod fd_limit;
#[cfg(feature = "runtime")]
pub mod logging;
#[cfg(feature = "runtime")]
mod net;
#[cfg(feature = "runtime")]
mod server;
#[cfg(feature = "runtime")]
mod store;

pub use config::{Config, ConfigError, DEFAULT_RAFFLE_SIZE, Limits, Protocol, default_data_dir};
pub use conn_id::ConnId;
pub use fault::{Fault, NotForProtocol, Quirk};
#[cfg(feature = "runtime")]
pub use server::run;
