//! lrv in tests: a raw line peer, valid CPFs and numbers, and the
//! reference server set up for lrv.
//!
//! # Layout
//!
//! - `peer.rs` — [`Lrv`], a raw connection that reads lines by lrv §3.3;
//!   CPFs, numbers, the greeting, a sell-out.
//! - `setup.rs` — an lrv server configuration on a temporary directory,
//!   with a fault or a quirk (feature `server`).

mod peer;
#[cfg(feature = "server")]
mod setup;

pub use crate::peer::Peer;
pub use peer::{GREETING, Lrv, cpf, n, sell_out};
#[cfg(feature = "server")]
pub use setup::{lrv, with_fault, with_quirk};
