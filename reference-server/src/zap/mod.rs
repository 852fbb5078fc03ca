//! The zap protocol server (`spec/zap.md`).
//!
//! # Layout
//!
//! - `mod.rs` — [`Zap`], its registration ([`Spec`]).
//! - `core/` — the sans-I/O state machine: every rule of the spec lives
//!   here, and nothing else does.
//! - `memory.rs` — [`MemStore`](memory::MemStore), the store's contract in
//!   memory, for the [`Sim`](crate::sans_io::Sim).
//! - `sqlite.rs` — the durable store: schema, applying
//!   [`StoreOp`](core::StoreOp)s, loading pages and the start-up snapshot
//!   (feature `runtime`).
//! - `serve.rs` — zap in the generic runtime: its database, its core, its
//!   writer quirk, its pages of stored items (feature `runtime`).

pub mod core;
pub mod memory;

#[cfg(feature = "runtime")]
mod serve;
#[cfg(feature = "runtime")]
mod sqlite;

use crate::registry::Spec;

/// zap, as the list of protocols registers it.
#[derive(Debug, Clone, Copy)]
pub struct Zap;

/// zap has no options of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "runtime", derive(clap::Args))]
pub struct ZapOptions {}

impl Spec for Zap {
    const NAME: &'static str = "zap";
    const SUMMARY: &'static str = "WhatsApp-like messaging: fixed-width digit frames, offline delivery, \
receipts, groups (spec/zap.md)";
    const HELP: &'static str =
        "zap: it writes one frame per write, as clients that read one message \
per recv() expect; when more than 8 frames are waiting for one connection (a page of stored \
messages, a reader that fell behind) it writes them together instead, up to 64 KiB per write, each \
write ending at a frame boundary (zap §11.2). Users, groups and undelivered messages are durable.
  reference-server --protocol zap --listen 0.0.0.0:5000";
    type Options = ZapOptions;
    type Core = core::Core;
}
