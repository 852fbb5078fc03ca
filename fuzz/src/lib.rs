//! Helpers shared by the fuzz targets in `fuzz_targets/` (see README.md).
//!
//! # Layout
//!
//! - [`laws`] — the assertions a decoded frame must satisfy, shared by the
//!   `decode` and `stream` targets (docs/ARCHITECTURE.md, "codec": round trip is a law).
//! - [`glue`] — which concatenations of valid messages a receiver must read
//!   back unchanged: the precondition of zap §3.4, stated once.
//! - [`chunks`] — the byte layout of the `stream` target's input: a
//!   selector, cut points, then the bytes (so seeds can be written by hand
//!   and by `seeds.py`).
//! - [`reader`] — a strict and a tolerant reader over `StreamDecoder` that
//!   check progress and the buffering bound at every step.
//! - [`session`] — the `session` target's observer: what clients may see
//!   from the reference server, checked frame by frame.
//! - [`lrv_session`] — the `lrv_session` target's in-memory driver of the
//!   LRV core and its observer, which predicts every reply (lrv §3–§10).
#![forbid(unsafe_code)]

pub mod chunks;
pub mod glue;
pub mod laws;
pub mod lrv_session;
pub mod reader;
pub mod session;
