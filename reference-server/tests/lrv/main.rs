//! Integration tests of the LRV reference server over 127.0.0.1, port 0.
//!
//! - `protocol.rs` — every request and reply of spec/lrv.md, byte for byte;
//!   bad input (§6.1, §9); the purchase race (§8.3); the draw (§8.4).
//! - `framing.rs` — CRLF, unterminated, empty, over-long, glued lines (§3.3).
//! - `durability.rs` — restarts, `kill -9`, the draw at start, a store of
//!   another size (§10.1).
//! - `faults.rs`, `quirks.rs` — each changes behaviour as it says.
//! - `binary.rs` — the command line for lrv.
#![cfg(feature = "runtime")]

/// The workspace's test kit (`test-kit/`): the raw line client and the
/// server set-ups, under the names these tests use.
mod client {
    pub use gabarito_test_kit::lrv::*;
    pub use gabarito_test_kit::process::Process;
    pub use gabarito_test_kit::server::Server;
    pub use gabarito_test_kit::{PATIENCE, QUIET};
}

mod binary;
mod durability;
mod faults;
mod framing;
mod protocol;
mod quirks;
