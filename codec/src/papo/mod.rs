//! The papo nickname chat (`spec/papo.md`).
//!
//! # Layout
//!
//! - `error.rs` — [`Field`] and [`Kind`], papo's words for the crate's
//!   error shape: [`Invalid`] (offset, field, expected, found) and
//!   [`DecodeError`] (papo §8.2).
//! - `line.rs` — framing: [`next_line`], [`empty_lines`], [`Terminator`],
//!   the limits (papo §3).
//! - `nickname.rs` — [`Nickname`] and [`Destination`] (papo §4.1).
//! - `text.rs` — [`Text`], a message's bytes (papo §4.2, §4.3).
//! - `code.rs` — [`Code`], [`WireCode`], [`Expect`] and [`LineKind`]: the
//!   seed's error codes, and what a receiver reads a line as.
//! - `client.rs` — [`NicknameLine`], [`ChatLine`], [`Public`],
//!   [`Private`]: what a client sends (papo §5).
//! - `server.rs` — [`ServerLine`], [`Delivery`], [`OnlineList`]: what a
//!   server sends (papo §6).
//! - `message.rs` — [`Message`], a line of either direction.
//! - `parse.rs` — the client lines' rule tables and one nom parser per
//!   server form, with its layout table (crate-private).
//! - `decode.rs` — [`decode_nickname_line`], [`decode_chat_line`],
//!   [`decode_server_line`], [`decode`] (one whole line) and
//!   [`decode_stream`] (the head of a byte stream).
//! - `stream.rs` — [`StreamDecoder`], a buffering decoder yielding owned
//!   messages.
//! - `encode.rs` — the canonical encoder (`ServerLine::encode`, …).
//! - `arbitrary.rs` — `Arbitrary` lines (feature `arbitrary`): only valid
//!   values, for fuzzing and property tests.
//! - `lenient.rs` — [`read_line`]: the reader by meaning of papo §6.10,
//!   its [`Reading`], [`Meaning`] and [`Deviation`]s.
//! - `fold.rs`, `fold_table.rs` — the folded line and its tokens (§6.10
//!   rule 1), and the table of the characters whose NFD is an ASCII letter.
//!
//! [`End`] and [`Sink`] are the crate's (`framing`, `sink`), the same for
//! every protocol.

#![forbid(unsafe_code)]

mod client;
mod code;
mod decode;
mod encode;
mod error;
mod fold;
mod fold_table;
mod lenient;
mod line;
mod message;
mod nickname;
mod parse;
mod server;
mod stream;
mod text;

#[cfg(feature = "arbitrary")]
mod arbitrary;

pub use client::{ChatLine, NicknameLine, Private, Public};
pub use code::{Code, Expect, LineKind, WireCode};
pub use decode::{
    Decoded, decode, decode_chat_line, decode_nickname_line, decode_server_line, decode_stream,
};
pub use error::{DecodeError, Field, FieldError, Invalid, Kind};
pub use lenient::{Deviation, Expectation, Meaning, Reading, list_entry, read_line};
pub use line::{Line, MAX_CLIENT_LEN, MAX_SERVER_LEN, Terminator, empty_lines, next_line};
pub use message::Message;
pub use nickname::{Destination, MAX_NICKNAME_LEN, Nickname, RESERVED};
pub use server::{Delivery, OnlineList, ServerLine};
pub use stream::{Rejected, StreamDecoder};
pub use text::Text;

pub use crate::framing::End;
pub use crate::sink::Sink;
