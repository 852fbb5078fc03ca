//! `conformance proxy`: an inspector between a client and a server. It
//! relays every byte unchanged and at once, and decodes both directions as
//! their receivers would, printing each message with ✓ or the precise
//! fault; optionally it records the exchange as a replayable `.session`
//! script. `serve` reuses the relay, the tap and the protocol's rules.
//! Knows no protocol: each protocol's `proxy/` folder implements [`Lens`].
//!
//! # Layout
//!
//! - `relay.rs` — the byte relay and what it saw ([`relay::RelayEvent`]),
//!   with backpressure when the inspector falls behind and read boundaries
//!   (zap §3.4 R5, lrv §3.3 L4) only where the relay watched the silence.
//! - `drive.rs` — [`drive::Inspector`] and the loop that feeds it, stopping
//!   at once on Ctrl-C.
//! - `conn.rs` — one proxied connection: reach upstream, relay, inspect.
//! - `lens.rs` — [`Lens`]: what the proxy and `serve` need from a protocol.
//! - `tap.rs` — both directions split into items by the protocol's
//!   [`tap::Framing`], with their bytes and the reads they came in.
//! - `finding.rs` — checks, severities and findings of the client rules.
//! - `render.rs` — the console line per item, ✓ or ✗.
//! - `watch.rs` — [`Watch`], the proxy's inspector of one connection.
//! - `script_log.rs` — the recorded exchange as a `.session` script.
//! - `signal.rs` — Ctrl-C (and SIGTERM), installed before the first client.

pub mod conn;
pub mod drive;
pub mod finding;
pub mod lens;
pub mod relay;
pub mod render;
pub mod script_log;
pub mod signal;
pub mod tap;
pub mod watch;

pub use lens::Lens;
pub use watch::{Print, Watch};
