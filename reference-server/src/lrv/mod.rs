//! The LRV raffle server (`spec/lrv.md`).
//!
//! # Layout
//!
//! - `core/` — the sans-I/O state machine: framing (lrv §3.3), every
//!   request and reply (§5–§7), the raffle, the draw, bad input and the
//!   faults and quirks that change them (§8–§10). No tokio, no sockets, no
//!   SQLite; builds with `--no-default-features`.
//! - `sqlite.rs` — the durable store: CPFs, purchases, the draw and the
//!   raffle size (lrv §10.1) (feature `runtime`).
//! - `entropy.rs` — the operating system's random source for the draw
//!   (lrv §8.4) (feature `runtime`).
//! - `hub.rs` — the runtime driver: the generic connection loop's
//!   `Service` (`net/`), stepping the core under a lock and
//!   committing its store ops before its replies go out (feature `runtime`).

pub mod core;

#[cfg(feature = "runtime")]
mod entropy;
#[cfg(feature = "runtime")]
mod hub;
#[cfg(feature = "runtime")]
mod sqlite;

#[cfg(feature = "runtime")]
pub(crate) use hub::serve;
