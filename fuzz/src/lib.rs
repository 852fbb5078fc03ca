//! Helpers shared by the fuzz targets in `fuzz_targets/` (see README.md).
//!
//! # Layout
//!
//! - [`laws`] — the assertions a decoded frame must satisfy, shared by the
//!   `zap_decode` and `zap_stream` targets (docs/ARCHITECTURE.md, "codec": round trip is
//!   a law), and `zap_decode`'s whole check, which `decode` (its old name)
//!   runs too.
//! - [`glue`] — which concatenations of valid messages a receiver must read
//!   back unchanged: the precondition of zap §3.4, stated once.
//! - [`chunks`] — the byte layout of the `zap_stream` target's input: a
//!   selector, cut points, then the bytes (so seeds can be written by hand
//!   and by `seeds.py`).
//! - [`reader`] — a strict and a tolerant reader over `StreamDecoder` that
//!   check progress and the buffering bound at every step.
//! - [`zap_session`] — the `zap_session` target's observer: what clients
//!   may see from the reference server, checked frame by frame.
//! - [`lrv_session`] — the `lrv_session` target's observer, which predicts
//!   every reply (lrv §3–§10).
//!
//! Both session targets drive their core through the server's own
//! in-memory driver, `gabarito_server::sans_io::Sim`.
#![forbid(unsafe_code)]

pub mod chunks;
pub mod glue;
pub mod laws;
pub mod lrv_session;
pub mod reader;
pub mod zap_session;
