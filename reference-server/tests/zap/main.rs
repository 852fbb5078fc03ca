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

/// The workspace's test kit (`test-kit/`), under the names these tests use.
mod common {
    pub use gabarito_test_kit::process::Process;
    pub use gabarito_test_kit::server::Server;
    pub use gabarito_test_kit::zap::*;
    pub use gabarito_test_kit::{PATIENCE, QUIET};
}

mod binary;
mod durability;
mod faults;
mod framing;
mod load;
mod protocol;
mod quirks;
