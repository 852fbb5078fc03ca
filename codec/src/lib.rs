//! Typed, validated, zero-copy codecs for the protocols gabarito grades.
//!
//! # Layout
//!
//! - [`escape`] — protocol-agnostic rendering of wire bytes for humans
//!   (`"05\x00…"`), used by every error message and report.
//! - [`error`] — the shape of every protocol's errors: [`error::Invalid`]
//!   (offset, field, rule, an excerpt of what arrived; "byte N: field must
//!   be …, found \"…\"") and [`error::DecodeError`] (`Incomplete` or
//!   `Invalid`), generic over a protocol's `Field` and `Kind`.
//! - [`framing`] — [`framing::End`]: whether more bytes may follow the
//!   buffer, what every streaming decoder is told.
//! - [`sink`] — [`sink::Sink`]: where every encoder appends its bytes.
//! - `arbitrary.rs` (feature `arbitrary`, crate-private) — what every
//!   protocol's `Arbitrary` messages share: a refused value is a generator
//!   bug, and the tests' deterministic bytes.
//! - [`zap`] — the zap messaging protocol (`spec/zap.md`): validated field
//!   types, one nom parser per message, the whole-frame and streaming
//!   decoders, the encoder, and (behind features) tokio-util and `arbitrary`
//!   glue. See the module's own `# Layout`.
//! - [`lrv`] — the LRV raffle protocol (`spec/lrv.md`): CPF, number and
//!   list types, one nom parser per line, the whole-line and streaming
//!   decoders, the tolerant reply reader, the encoder. See its `# Layout`.
//!
//! The crate does no I/O. Every type borrows from the input where it can
//! (`Cow::Borrowed`) and owns only what it had to build, so a decoded
//! message costs no allocation, and a built message can outlive its inputs
//! (`into_owned`).
// One `unsafe` block, measured as needed (issue 2's 2× budget over
// `from_utf8`): `zap::scan::ascii_without_nul`, where a pass that proved
// every byte ASCII is the UTF-8 validation. Everything else stays safe.
#![deny(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod error;
pub mod escape;
pub mod framing;
pub mod lrv;
pub mod sink;
pub mod zap;
