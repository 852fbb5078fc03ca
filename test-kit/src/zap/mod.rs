//! zap in tests: a raw peer that writes frames byte for byte and reads
//! them by the codec's stream rules, the messages tests send most, and
//! the reference server set up for zap.
//!
//! # Layout
//!
//! - `peer.rs` — [`Client`], a raw zap connection; [`Peers`], connecting,
//!   registering and logging in on any server the test started.
//! - `messages.rs` — `send`, `deliver`, `read`, … with fixed timestamps.
//! - `setup.rs` — a zap server configuration on a temporary directory,
//!   with a fault or a quirk (feature `server`).

mod messages;
mod peer;
#[cfg(feature = "server")]
mod setup;

pub use crate::peer::Peer;
pub use messages::{chat, deliver, delivered, read, read_notice, send, ts};
pub use peer::{Client, Peers, register_raw};
#[cfg(feature = "server")]
pub use setup::{config, with_fault, with_quirk};
