//! The zap protocol server (`spec/zap.md`).
//!
//! # Layout
//!
//! - `core/` — the sans-I/O state machine: every rule of the spec lives
//!   here, and nothing else does.
//! - `sim.rs` — an in-memory store and a synchronous driver for the core,
//!   for tests and fuzzing.
//! - `sqlite.rs` — the durable store: schema, applying
//!   [`StoreOp`](core::StoreOp)s, loading pages and the start-up snapshot
//!   (feature `runtime`).
//! - `hub.rs` — the runtime driver: decodes frames for the generic
//!   connection loop, steps the core under a lock, commits its store ops
//!   and then dispatches its other actions (feature `runtime`).

pub mod core;
pub mod sim;

#[cfg(feature = "runtime")]
mod hub;
#[cfg(feature = "runtime")]
mod sqlite;

#[cfg(feature = "runtime")]
pub(crate) use hub::serve;
