//! Integration tests of the LRV reference server over 127.0.0.1, port 0.
//!
//! - `client.rs` — a raw line client and the server set-ups.
//! - `protocol.rs` — every request and reply of spec/lrv.md, byte for byte;
//!   bad input (§6.1, §9); the purchase race (§8.3); the draw (§8.4).
//! - `framing.rs` — CRLF, unterminated, empty, over-long, glued lines (§3.3).
//! - `durability.rs` — restarts, `kill -9`, the draw at start, a store of
//!   another size (§10.1).
//! - `faults.rs`, `quirks.rs` — each changes behaviour as it says.
//! - `binary.rs` — the command line for lrv.
#![cfg(feature = "runtime")]

#[path = "../common/mod.rs"]
mod common;

mod binary;
mod client;
mod durability;
mod faults;
mod framing;
mod protocol;
mod quirks;
