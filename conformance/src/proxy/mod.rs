//! `conformance proxy`: an inspector between a client and a server. It
//! relays every byte unchanged and at once, and decodes both directions as
//! their receivers would, printing each message with ✓ or the precise
//! fault; optionally it records the exchange as a replayable `.session`
//! script. `serve` reuses the relay and the zap rules.
//!
//! # Layout
//!
//! - `relay.rs` — the byte relay and what it saw ([`relay::RelayEvent`]),
//!   with backpressure when the inspector falls behind and read boundaries
//!   (zap §3.4 R5) only where the relay watched the silence. Generic.
//! - `drive.rs` — [`drive::Inspector`] and the loop that feeds it, stopping
//!   at once on Ctrl-C. Generic.
//! - `conn.rs` — one proxied connection: reach upstream, relay, inspect.
//!   Generic.
//! - `script_log.rs` — the recorded exchange as a `.session` script.
//!   Generic.
//! - `signal.rs` — Ctrl-C (and SIGTERM), installed before the first client.
//! - `zap/` — the zap tap, client rules, console lines and script steps.

pub mod conn;
pub mod drive;
pub mod relay;
pub mod script_log;
pub mod signal;
pub mod zap;
