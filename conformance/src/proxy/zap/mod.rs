//! The zap side of the proxy and of `serve` (`spec/zap.md`).
//!
//! # Layout
//!
//! - `tap.rs` — both directions decoded by the receivers' rules (zap
//!   §3.4–§3.6), each item with its bytes and the reads it came in.
//! - `rules.rs` — what a client must and should do (zap §3.2, §3.5, §4.1,
//!   §7.2, §9.2), checked on what it sent.
//! - `sections.rs` — the spec section of a message and of a fault.
//! - `render.rs` — the proxy's line per message, ✓ or ✗.
//! - `log.rs` — a zap item as a step of the recorded `.session` script.
//! - `watch.rs` — [`Watch`], the proxy's inspector of one connection.

pub mod log;
pub mod render;
pub mod rules;
pub mod sections;
pub mod tap;
pub mod watch;

pub use rules::{Check, Finding, Rules, Severity, World};
pub use tap::{Item, Observed, Tap};
pub use watch::{Print, Watch};
