//! `conformance serve` and `conformance proxy` against hostile peers
//! (issue 18), each attack with its bound asserted and its measure printed
//! (`measured: …`, shown with `--nocapture`). Everything runs on
//! 127.0.0.1, is bounded in count and time, and stops by itself.
//! `HOSTILE_CONFORMANCE=path` runs the same attacks against another build.
//!
//! - `hostile/child.rs` — the binary as a child: its stdout drained (or
//!   not, to be a slow terminal), its memory, SIGINT.
//! - `hostile/peer.rs` — a raw zap client that sends as fast as it can.
//! - `hostile/serve.rs` — a fast client at `serve`: bounded memory, no
//!   blame for serve's own stalls.
//! - `hostile/proxy.rs` — a fast client through `proxy` with stdout not
//!   read: bounded memory, Ctrl-C at once.
//! - `hostile/proxy_log.rs` — `proxy --log` over hundreds of connections:
//!   the file only grows.

#[path = "hostile/child.rs"]
mod child;
#[path = "hostile/peer.rs"]
mod peer;
#[path = "hostile/proxy.rs"]
mod proxy;
#[path = "hostile/proxy_log.rs"]
mod proxy_log;
#[path = "hostile/serve.rs"]
mod serve;
