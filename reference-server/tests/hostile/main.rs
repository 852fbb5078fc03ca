//! Hostile peers against the `reference-server` binary (issue 18), each
//! attack with its bound asserted and its measure printed (`measured: …`,
//! shown with `--nocapture`). Everything runs on 127.0.0.1, is bounded in
//! count and time, and stops by itself; the bounds are small enough for CI.
//! `HOSTILE_SERVER=path` runs the same attacks against another build.
//!
//! - `log_failure.rs` — stderr closed at start, closed later, disk full.
//! - `log_flood.rs` — ignored/invalid frames as fast as possible.
//! - `slow_reader.rs` — requests pipelined and never read.
//! - `trickle.rs` — a byte at a time that never completes a frame.
//! - `registration.rs` — 50,000 pipelined zap `01`s.
//! - `fd_limit.rs` — the open-file limit: raised at start, paced at EMFILE.
//! - `delivery.rs` — the delivery promise across SIGTERM and `kill -9`.
//! - `server.rs`, `peer.rs` — the child process and the raw peers.
#![cfg(feature = "runtime")]

mod delivery;
mod fd_limit;
mod log_failure;
mod log_flood;
mod peer;
mod registration;
mod server;
mod slow_reader;
mod trickle;
