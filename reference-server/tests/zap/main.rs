//! Integration tests of the zap reference server over 127.0.0.1, port 0.
//!
//! - `protocol.rs` — every behaviour of spec/zap.md over TCP.
//! - `framing.rs` — split, glued, padded and broken input (zap §3, §10).
//! - `durability.rs` — restarts, `kill -9`, fault `lose-state` (zap §11.1).
//! - `load.rs` — garbage floods, 1,000 connections, a reader that never
//!   reads (zap §11.2).
//! - `faults.rs`, `quirks.rs` — each one observably changes behaviour.
//! - `binary.rs` — the command line.
#![cfg(feature = "runtime")]

#[path = "../common/mod.rs"]
mod common;

mod binary;
mod durability;
mod faults;
mod framing;
mod load;
mod protocol;
mod quirks;
