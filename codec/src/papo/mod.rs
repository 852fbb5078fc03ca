//! The papo nickname chat (`spec/papo.md`): LF-terminated lines of text.
//! A client sends a nickname at the prompt, then `:texto` (to everyone),
//! `apelido:texto` (to one user) or `{quit}`; the server answers with the
//! lines of papo §6.1 — the prompt, the online list, deliveries,
//! `Mensagem enviada`, `Erro 01`–`03`, join and leave notices.
//!
//! # Decode a whole line
//!
//! A line is read as what the receiver expects ([`Expect`]): at the
//! prompt, in the chat, or from the server. Tolerated forms (CRLF, spaces
//! around, `quit`) decode, and say they are not canonical.
//!
//! ```
//! use gabarito_codec::papo::{self, ChatLine, Kind, ServerLine, Terminator};
//!
//! let line = papo::decode_chat_line(b"bia : hora: 10h\r\n")?;
//! let ChatLine::Private(private) = &line.message else { panic!("bia is a nickname") };
//! assert_eq!(private.to().as_str(), "bia");
//! assert_eq!(private.text().as_bytes(), b"hora: 10h"); // only the first ':' separates
//! assert_eq!(line.terminator, Terminator::CrLf); // tolerated (papo §3.5)...
//! assert!(!line.is_canonical()); // ...as are the spaces (D26)
//!
//! let ack = papo::decode_server_line(b"Mensagem enviada\n")?;
//! assert_eq!(ack.message, ServerLine::Ack);
//! assert!(ack.is_canonical());
//!
//! // A fault names the byte, the field, the rule and the evidence (papo §8.2).
//! let err = papo::decode_nickname_line(b"ana maria\n").unwrap_err();
//! assert_eq!((err.offset, err.kind), (3, Kind::BadChar));
//! assert_eq!(
//!     err.to_string(),
//!     r#"byte 3: nickname must be an ASCII letter, then letters, digits, _ or -, found " maria""#
//! );
//! # Ok::<(), papo::Invalid>(())
//! ```
//!
//! # Read a stream
//!
//! A [`StreamDecoder`] takes lines off what each read returned (papo §3.3):
//! a line ends at its LF, or at a read boundary, where the peer paused or
//! closed ([`End::Boundary`]: the classroom servers' one `send()` per
//! message, D1). Blank lines are skipped; a bad line is rejected and
//! dropped, and the next call reads the next one. A server switches from
//! nickname lines to chat lines when it accepts the nickname.
//!
//! ```
//! use gabarito_codec::papo::{ChatLine, End, Expect, Message, NicknameLine, StreamDecoder};
//!
//! let mut from_ana = StreamDecoder::new(Expect::Nickname);
//! from_ana.push(b"ana\n:bom dia\n:at");
//! let nick = from_ana.next(End::More)?.expect("a whole line");
//! assert!(matches!(nick.message, Message::Nickname(NicknameLine::Nickname(ref n)) if n.as_str() == "ana"));
//!
//! from_ana.set_expect(Expect::Chat); // accepted: ana is in the chat (papo §7.1)
//! let public = from_ana.next(End::More)?.expect("a whole line");
//! assert!(matches!(public.message, Message::Chat(ChatLine::Public(_))));
//! assert!(from_ana.next(End::More)?.is_none()); // ":at" so far: wait for the LF...
//! from_ana.push(b"e logo");
//! let last = from_ana.next(End::Boundary)?.expect("...or for the pause (L4)");
//! let Message::Chat(ChatLine::Public(p)) = last.message else { panic!("public") };
//! assert_eq!(p.text().as_bytes(), b"ate logo");
//! # Ok::<(), gabarito_codec::papo::Rejected>(())
//! ```
//!
//! # Encode
//!
//! Lines are built from validated fields — a constructor refuses what the
//! wire cannot carry — and encode to the canonical line, appending to any
//! [`Sink`].
//!
//! ```
//! use gabarito_codec::papo::{Delivery, Nickname, OnlineList, ServerLine, Text, WireCode};
//!
//! let ana = Nickname::new("ana")?;
//! let mut out = Vec::new();
//! ServerLine::List(OnlineList::new(vec![Nickname::new("bia")?, ana.clone()])?).encode(&mut out);
//! ServerLine::Private(Delivery::new(ana.clone(), Text::new(b"oi")?)?).encode(&mut out);
//! ServerLine::Error(WireCode::NoSuchDestination).encode(&mut out);
//! assert_eq!(
//!     String::from_utf8(out).unwrap(),
//!     "Usuarios online: bia, ana\n\
//!      Mensagem recebida de: ana: oi\n\
//!      Erro 02: Destino da mensagem privada nao existe\n"
//! );
//!
//! assert!(Nickname::new("Erro").is_err()); // reserved: it begins server lines (papo §4.1)
//! assert!(Text::new(b" oi").is_err()); // a receiver would trim it (papo §4.2)
//! # Ok::<(), gabarito_codec::papo::FieldError>(())
//! ```
//!
//! # Read by meaning
//!
//! Classroom servers word every line their own way. [`read_line`] reads a
//! server line by what it means (papo §6.10), knowing the users it saw
//! accepted, and reports how it differs from the canonical line.
//!
//! ```
//! use gabarito_codec::papo::{Code, Deviation, Expectation, Meaning, Nickname, read_line};
//!
//! let known = [Nickname::new("ana")?, Nickname::new("bia")?];
//! let r = read_line(b"[ANA] bom dia\n", &known, Expectation::Nothing)?;
//! assert_eq!(r.meaning, Meaning::Public { from: known[0].clone(), text: b"bom dia" });
//! assert_eq!(r.deviations, [Deviation::Wording]);
//!
//! let r = read_line("Esse apelido já está em uso".as_bytes(), &known, Expectation::Nothing)?;
//! assert_eq!(r.meaning, Meaning::Error(Code::NicknameInUse));
//! assert_eq!(r.deviations, [Deviation::Wording, Deviation::NotAscii, Deviation::NoCode]);
//! # Ok::<(), gabarito_codec::papo::Invalid>(())
//! ```
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
