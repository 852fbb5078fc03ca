//! The LRV raffle protocol (`spec/lrv.md`).
//!
//! # Layout
//!
//! - `code.rs` — [`Command`], [`Code`], [`Direction`] and [`Expect`]: the
//!   words of the protocol and which line a receiver expects (lrv §3.6).
//! - `cpf.rs` — [`Cpf`]: 11 digits; check digits validated on request.
//! - `number.rs` — [`Number`] (1–10 000) and [`NumberList`] (`1,2,5`).
//! - `message.rs` — [`Greeting`], [`Request`], [`Reply`], [`Message`].
//! - `error.rs` — [`Field`] and [`Kind`], LRV's words for the crate's
//!   error shape: [`Invalid`] (offset, field, expected, found) and
//!   [`DecodeError`].
//! - `line.rs` — framing: [`next_line`], [`Terminator`], [`RawLine`], the
//!   limits (lrv §3).
//! - `parse.rs` — one nom parser per message, with its layout table
//!   (crate-private: nom stays out of the public API).
//! - `decode.rs` — [`decode_request`], [`decode_reply`], [`decode_greeting`]
//!   (one whole line) and [`decode_stream`] (the head of a byte stream).
//! - `lenient.rs` — [`extract_reply`]: the tolerant reader of lrv §7.5.
//! - `stream.rs` — [`Lrv`] and [`Lines`] as [`Framing`](crate::Framing)s:
//!   the line framing step the crate's [`StreamDecoder`] runs for LRV
//!   ([`StreamState`], [`LinesState`]), [`Rejected`], and the LRV-only
//!   calls (`expecting`).
//! - `encode.rs` — the canonical encoder (`Request::encode`, …).
//! - `protocol.rs` — [`Lrv`] as a [`Protocol`](crate::Protocol) (its
//!   messages each way, its encoder, the tokio codec's item), and
//!   [`Lines`], its framing alone.
//! - `tokio_codec.rs` — `LrvCodec`, the crate's tokio-util `Codec` for LRV
//!   (feature `tokio`).
//! - `arbitrary.rs` — `Arbitrary` messages (feature `arbitrary`).
//!
//! [`End`] and [`Sink`] are the crate's (`framing`, `sink`), the same for
//! every protocol, so a caller handling several needs one of each.

#![forbid(unsafe_code)]

mod code;
mod cpf;
mod decode;
mod encode;
mod error;
mod lenient;
mod line;
mod message;
mod number;
mod parse;
mod protocol;
mod stream;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "tokio")]
mod tokio_codec;

pub use code::{Argument, Code, Command, Direction, Expect, Payload};
pub use cpf::{CPF_LEN, Cpf};
pub use decode::{Decoded, decode, decode_greeting, decode_reply, decode_request, decode_stream};
pub use error::{DecodeError, Field, FieldError, Invalid, Kind};
pub use lenient::{Deviation, Extracted, extract_reply};
pub use line::{Line, MAX_REPLY_LEN, MAX_REQUEST_LEN, RawLine, Terminator, empty_lines, next_line};
pub use message::{Greeting, Message, Reply, Request};
pub use number::{MAX_NUMBER, MAX_NUMBER_DIGITS, Number, NumberList};
pub use protocol::{Lines, Lrv};
pub use stream::{LinesState, Rejected, StreamState};
#[cfg(feature = "tokio")]
pub use tokio_codec::LrvCodec;

pub use crate::framing::End;
pub use crate::sink::Sink;

/// A buffering decoder yielding owned messages by the rules of lrv §3.3:
/// the crate's [`StreamDecoder`](crate::stream::StreamDecoder) for [`Lrv`].
pub type StreamDecoder = crate::stream::StreamDecoder<Lrv>;
