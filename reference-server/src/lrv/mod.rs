//! The LRV raffle server (`spec/lrv.md`).
//!
//! # Layout
//!
//! - `mod.rs` — [`Lrv`], its registration ([`Spec`]).
//! - `options.rs` — [`LrvOptions`]: the raffle's size and the test-only
//!   draw seed.
//! - `core/` — the sans-I/O state machine: framing (lrv §3.3), every
//!   request and reply (§5–§7), the raffle, the draw, bad input and the
//!   faults and quirks that change them (§8–§10). No tokio, no sockets, no
//!   SQLite; builds with `--no-default-features`.
//! - `sqlite.rs` — the durable store: CPFs, purchases, the draw and the
//!   raffle size (lrv §10.1) (feature `runtime`).
//! - `entropy.rs` — the operating system's random source for the draw
//!   (lrv §8.4) (feature `runtime`).
//! - `serve.rs` — LRV in the generic runtime: its database, its core, its
//!   writer quirk, its late sales (feature `runtime`).

pub mod core;
mod options;

#[cfg(feature = "runtime")]
mod entropy;
#[cfg(feature = "runtime")]
mod serve;
#[cfg(feature = "runtime")]
mod sqlite;

pub use options::{DEFAULT_RAFFLE_SIZE, LrvOptions};

use crate::registry::Spec;

/// LRV, as the list of protocols registers it.
#[derive(Debug, Clone, Copy)]
pub struct Lrv;

impl Spec for Lrv {
    const NAME: &'static str = "lrv";
    const SUMMARY: &'static str = "raffle purchase: text lines REGISTRAR, COMPRAR, DISPONIVEIS, ... \
answered by codes 200-208 and 400-402; the winner is drawn when the last number is sold \
(spec/lrv.md)";
    const HELP: &'static str =
        "lrv: it greets every connection with \"Bem-vindo à compra de rifa!\" \
before reading anything (lrv §5), answers every request line with one reply line, in order, glued \
requests included (§8.5), and every invalid line with 400 (§9.2). CPFs, purchases and the draw are \
durable. The raffle has --raffle-size numbers, fixed when its store is created (§10.1): a store of \
another size is refused.
  reference-server --protocol lrv --listen 127.0.0.1:5001 --raffle-size 10
  printf 'REGISTRAR 12345678909\\nCOMPRAR 7\\nCOMPRADOS\\nSAIR\\n' | nc 127.0.0.1 5001
  reference-server --protocol lrv --fault double-sale --i-know-this-is-broken";
    type Options = LrvOptions;
    type Core = core::Core;
}
