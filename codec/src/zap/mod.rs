//! The zap protocol (`spec/zap.md`).
//!
//! # Layout
//!
//! - `code.rs` — [`Code`], [`Direction`], the length table (zap §3.1, §4).
//! - `fields.rs` — validated [`Id`], [`Timestamp`], [`Text`], [`Members`].
//! - `message.rs` — [`Message`], one variant per code, and [`Chat`].
//! - `error.rs` — [`Field`] and [`Kind`], zap's words for the crate's error
//!   shape: [`Invalid`] (offset, field, expected, found) and [`DecodeError`].
//! - `padding.rs` — [`Padding`]: what a tolerant decoder stripped (zap §3.3).
//! - `parse.rs` — one nom parser per message, with its layout table
//!   (crate-private: nom stays out of the public API).
//! - `fast.rs` — the happy path: a valid frame decoded without the nom layers.
//! - `frame.rs` — [`decode`] (one whole frame) and [`decode_stream`] (zap §3.4 framing).
//! - `scan.rs` — word-at-a-time byte scans for the streaming hot loop.
//! - `stream.rs` — [`Zap`] as a [`Framing`](crate::Framing): the step the
//!   crate's [`StreamDecoder`] runs for zap and its [`StreamState`]; and
//!   the zap-only calls (`skip_garbage`, zap §3.6).
//! - `encode.rs` — the canonical encoder ([`Message::encode`]).
//! - `protocol.rs` — [`Zap`] as a [`Protocol`](crate::Protocol): its
//!   messages each way, its encoder, the tokio codec's item.
//! - `tokio_codec.rs` — `ZapCodec`, the crate's tokio-util `Codec` for
//!   zap (feature `tokio`).
//! - `arbitrary.rs` — `Arbitrary` messages (feature `arbitrary`).
//!
//! [`End`] and [`Sink`] are the crate's (`framing`, `sink`), the same for
//! every protocol, so a caller handling several needs one of each.

mod code;
mod encode;
mod error;
mod fast;
mod fields;
mod frame;
mod message;
mod padding;
mod parse;
mod protocol;
mod scan;
mod stream;

#[cfg(feature = "arbitrary")]
mod arbitrary;
#[cfg(feature = "tokio")]
mod tokio_codec;

pub use code::{Code, Direction, Length};
pub use error::{DecodeError, Field, FieldError, Invalid, Kind};
pub use fields::{
    GroupMembers, ID_LEN, Id, MAX_DATA_CHARS, Members, RequestedMembers, TIMESTAMP_LEN, Text,
    Timestamp,
};
pub use frame::{Decoded, Lookahead, decode, decode_stream, frame_starts, resync};
pub use message::{Chat, Message};
pub use padding::Padding;
pub use protocol::Zap;
pub use stream::StreamState;
#[cfg(feature = "tokio")]
pub use tokio_codec::{DEFAULT_MAX_FRAME, ZapCodec, ZapCodecError};

pub use crate::framing::End;
pub use crate::sink::Sink;

/// A buffering decoder yielding owned frames by the rules of zap §3.4: the
/// crate's [`StreamDecoder`](crate::stream::StreamDecoder) for [`Zap`].
pub type StreamDecoder = crate::stream::StreamDecoder<Zap>;

/// The longest frame any zap peer can send: a 05/06 with 218 four-byte
/// characters (zap §3.1).
pub const MAX_FRAME_LEN: usize = 38 + 4 * MAX_DATA_CHARS;
