//! What the workspace's tests share, written once: the reference server
//! run in the test's process or as a child, raw peers that speak each
//! protocol byte for byte, a scripted fake server, the reference client
//! driven one event at a time, the workspace's binaries run as a user
//! runs them, and the spec's vector files read. A dev-dependency only
//! (`publish = false`); each crate takes the features it needs.
//!
//! Every wait is bounded ([`PATIENCE`], [`QUIET`]); every socket is on
//! 127.0.0.1, port 0; no helper asserts anything about timing.
//!
//! # Layout
//!
//! - `wait.rs` — how long tests wait, and a runtime for synchronous tests.
//! - `binary.rs` — a workspace binary: where it is, a run's output, one
//!   that listens in the background and says where.
//! - `process.rs` — the `reference-server` binary as a child process.
//! - `server.rs` — the reference server in this process (feature `server`).
//! - `fake.rs` — a fake server that answers with canned bytes.
//! - `peer.rs` — [`peer::Peer`]: what every raw peer does the same way
//!   (a bounded read, waiting for a close or for silence).
//! - `zap/` — a raw zap peer, message makers, server set-ups.
//! - `lrv/` — a raw lrv line peer, CPFs and numbers, server set-ups.
//! - `client.rs` — the reference client library, event by event (feature
//!   `client`).
//! - `vectors.rs` — `spec/vectors/*.toml`, read key by key (feature
//!   `vectors`).
#![forbid(unsafe_code)]
// A panic is how a test helper fails.
#![allow(clippy::unwrap_used)]

pub mod binary;
#[cfg(feature = "client")]
pub mod client;
pub mod fake;
pub mod lrv;
pub mod peer;
pub mod process;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "vectors")]
pub mod vectors;
mod wait;
pub mod zap;

pub use wait::{PATIENCE, QUIET, runtime};
