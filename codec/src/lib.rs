//! Typed, validated, zero-copy codecs for the protocols of gabarito, the
//! answer key of the socket-programming assignments of Brazilian networking
//! courses: **zap** (WhatsApp-like messaging, `spec/zap.md`), **LRV** (a
//! raffle, `spec/lrv.md`) and **Atendimento** (JSON requests about personal
//! records, `spec/atendimento.md`; see [`atendimento`]).
//!
//! Each protocol module has the same four entry points: decode one whole
//! message, read a byte stream (the framing rules of its spec), encode into
//! your buffer, and — with the `tokio` feature — a tokio-util
//! `Decoder`/`Encoder` for `FramedRead`/`FramedWrite`. Every value of a
//! message type is valid on the wire, and every error says where, in which
//! field, what the spec expects and what arrived.
//!
//! ```toml
//! [dependencies]
//! gabarito-codec = "0.1"                                      # decode/encode, no I/O
//! # gabarito-codec = { version = "0.1", features = ["tokio"] } # + ZapCodec, LrvCodec
//! ```
//!
//! # zap
//!
//! Fixed-width frames with no delimiter (zap §3): a two-digit code, 13-digit
//! ids, 10-digit timestamps, then up to 218 characters of data or up to 8
//! member ids.
//!
//! ## Decode a whole frame
//!
//! [`zap::decode`] reads exactly one frame, every byte of it: what a
//! receiver does once it knows where the frame ends.
//!
//! ```
//! use gabarito_codec::zap::{self, Field, Kind, Message};
//!
//! //                   code  src              dst              timestamp     data
//! let frame = concat!("05", "2000000000001", "2000000000002", "1700000000", "olá, tudo bem?");
//! let decoded = zap::decode(frame.as_bytes())?;
//! let Message::Send(chat) = &decoded.message else {
//!     panic!("a 05 is a Send");
//! };
//! assert_eq!(chat.src.as_str(), "2000000000001");
//! assert_eq!(chat.data.as_str(), "olá, tudo bem?");
//! assert!(decoded.is_canonical()); // no padding, no line breaks
//!
//! // A fault names the byte, the field, the rule and the evidence (zap §10).
//! let err = zap::decode(b"0520000000000x1").unwrap_err();
//! assert_eq!((err.offset, err.field, err.kind), (13, Field::Src, Kind::NotDigits { width: 13 }));
//! assert_eq!(err.to_string(), r#"byte 13: src must be 13 ASCII digits, found "20000000000x1""#);
//! # Ok::<(), zap::Invalid>(())
//! ```
//!
//! ## Read a stream
//!
//! On a socket, frames arrive glued and split anyhow. A
//! [`zap::StreamDecoder`] buffers what each read returned and yields whole
//! frames by the rules of zap §3.4; it is told, with [`End`](framing::End),
//! whether the peer may still be sending (`More`) or has paused or closed
//! (`Boundary`), because a 05's data has no end marker.
//!
//! ```
//! use gabarito_codec::zap::{Code, Direction, End, Message, StreamDecoder};
//!
//! let mut frames = StreamDecoder::new(Direction::ToServer);
//! // One read: a whole 03 and the start of a 05.
//! frames.push(concat!("03", "2000000000001", "05", "2000000000001", "2000000").as_bytes());
//! let first = frames.next(End::More)?.expect("the 03 is whole");
//! assert_eq!(first.message.code(), Code::Connect);
//! assert!(frames.next(End::More)?.is_none()); // the 05's header is still arriving
//!
//! // The next read: the rest of it. Its data may still go on...
//! frames.push(concat!("000002", "1700000000", "oi").as_bytes());
//! assert!(frames.next(End::More)?.is_none());
//! // ...until the peer pauses: a read boundary ends it (zap §3.4 R5).
//! let second = frames.next(End::Boundary)?.expect("the 05 ends at the pause");
//! let Message::Send(chat) = second.message else { panic!("a 05") };
//! assert_eq!(chat.data.as_str(), "oi");
//!
//! // A frame that cannot be zap is an error; skip it and read on (zap §3.6).
//! frames.push(concat!("HELLO ", "08", "2000000000002", "1700000000").as_bytes());
//! assert!(frames.next(End::More).is_err());
//! assert_eq!(frames.skip_garbage(), b"HELLO ");
//! # Ok::<(), gabarito_codec::zap::Invalid>(())
//! ```
//!
//! ## Encode into a buffer
//!
//! Messages are built from validated fields — a constructor refuses what
//! the wire cannot carry — and encode to the canonical frame, appending to
//! any [`Sink`](sink::Sink): a `Vec<u8>` or (feature `tokio`) a `BytesMut`.
//!
//! ```
//! use gabarito_codec::zap::{Chat, Id, Message, Text, Timestamp};
//!
//! let message = Message::Send(Chat {
//!     src: Id::parse("2000000000001")?,
//!     dst: Id::parse("2000000000002")?,
//!     timestamp: Timestamp::from_secs(1_700_000_000).expect("fits 10 digits"),
//!     data: Text::new("olá")?,
//! });
//! let mut out = Vec::with_capacity(message.encoded_len());
//! message.encode(&mut out);
//! assert_eq!(out, concat!("05", "2000000000001", "2000000000002", "1700000000", "olá").as_bytes());
//!
//! assert!(Text::new("a\0b").is_err()); // U+0000 is padding, never data (D6)
//! assert!(Id::parse("123").is_err());
//! # Ok::<(), gabarito_codec::zap::FieldError>(())
//! ```
//!
//! ## With tokio (feature `tokio`)
//!
//! [`ZapCodec`](zap::ZapCodec) is a tokio-util `Decoder`/`Encoder`: wrap a
//! `TcpStream` (or any `AsyncRead`/`AsyncWrite`) in `Framed`,
//! `FramedRead` or `FramedWrite`. A `FramedRead` sees no pauses, so a 05 at
//! the end of what arrived is held back until the next frame or EOF (see
//! the type's docs for the alternative). `StreamExt`/`SinkExt` below come
//! from `futures-util`.
//!
//! ```
//! # #[cfg(feature = "tokio")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::{SinkExt, StreamExt};
//! use gabarito_codec::zap::{Direction, Id, Message, ZapCodec};
//! use tokio_util::codec::{FramedRead, FramedWrite};
//!
//! let (client_end, server_end) = tokio::io::duplex(4096); // or a TcpStream's halves
//! let mut to_server = FramedWrite::new(client_end, ZapCodec::new(Direction::ToServer));
//! let mut from_client = FramedRead::new(server_end, ZapCodec::new(Direction::ToServer));
//!
//! to_server.send(Message::Register).await?;
//! to_server.send(Message::Connect { id: Id::parse("2000000000001")? }).await?;
//! drop(to_server); // EOF
//!
//! let mut codes = Vec::new();
//! while let Some(frame) = from_client.next().await {
//!     codes.push(frame?.message.code().as_str());
//! }
//! assert_eq!(codes, ["01", "03"]);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "tokio"))]
//! # fn main() {}
//! ```
//!
//! # LRV
//!
//! Text lines ending in LF (lrv §3): `COMPRAR 42` from client to server; a
//! greeting, then replies like `202` or `203 1,2,5` back. A server expects
//! requests; a client expects the greeting first, then replies
//! ([`lrv::Expect`]).
//!
//! ## Decode a whole line
//!
//! ```
//! use gabarito_codec::lrv::{self, Command, Kind, Number, Reply, Request, Terminator};
//!
//! let request = lrv::decode_request(b"COMPRAR 42\n")?;
//! assert_eq!(request.message, Request::Comprar { number: Number::new(42)? });
//!
//! let reply = lrv::decode_reply(b"203 1,2,5\r\n")?;
//! let Reply::Available(list) = &reply.message else { panic!("a 203") };
//! assert_eq!(list.iter().map(Number::get).collect::<Vec<_>>(), [1, 2, 5]);
//! assert_eq!(reply.terminator, Terminator::CrLf); // tolerated (lrv §3.5)...
//! assert!(!reply.is_canonical()); // ...but not what a server should send
//!
//! let err = lrv::decode_request(b"comprar 42\n").unwrap_err();
//! assert_eq!(err.kind, Kind::WrongCase { canonical: Command::Comprar });
//! assert_eq!(err.to_string(), r#"byte 0: command must be COMPRAR (upper case), found "comprar""#);
//! # Ok::<(), lrv::Invalid>(())
//! ```
//!
//! ## Read a stream
//!
//! [`lrv::StreamDecoder`] takes lines off a byte stream (lrv §3.3): a line
//! ends at its LF, or at a read boundary; empty lines are skipped. A line
//! that is not a valid message is rejected and dropped, and the next call
//! reads the next line — LRV streams never lose their framing.
//!
//! ```
//! use gabarito_codec::lrv::{Direction, End, Message, Reply, StreamDecoder};
//!
//! let mut lines = StreamDecoder::new(Direction::ToClient);
//! lines.push("Bem-vindo à compra de rifa!\n20".as_bytes());
//! let greeting = lines.next(End::More)?.expect("the greeting is whole");
//! assert!(matches!(greeting.message, Message::Greeting(ref g) if g.is_standard()));
//! assert!(lines.next(End::More)?.is_none()); // "20" so far: wait for the LF
//!
//! lines.push(b"2\n999\n204\n");
//! assert_eq!(lines.next(End::More)?.expect("202").message, Message::Reply(Reply::Purchased));
//! let rejected = lines.next(End::More).unwrap_err(); // not a reply code
//! assert_eq!(rejected.line, b"999\n");
//! assert_eq!(lines.next(End::More)?.expect("204").message, Message::Reply(Reply::Goodbye));
//! # Ok::<(), gabarito_codec::lrv::Rejected>(())
//! ```
//!
//! ## Encode into a buffer
//!
//! ```
//! use gabarito_codec::lrv::{Cpf, Number, NumberList, Reply, Request};
//!
//! let mut out = Vec::new();
//! Request::Registrar { cpf: Cpf::parse("12345678909")? }.encode(&mut out);
//! let numbers = [1, 2, 5].map(Number::new).into_iter().collect::<Result<Vec<_>, _>>()?;
//! Reply::Available(NumberList::from_numbers(numbers)?).encode(&mut out);
//! Reply::Drawn { number: Number::new(42)?, winner: Cpf::parse("12345678909")? }.encode(&mut out);
//! assert_eq!(out, b"REGISTRAR 12345678909\n203 1,2,5\n207 42 12345678909\n");
//!
//! assert!(Number::new(0).is_err()); // numbers are 1 to 10 000 (lrv §4.2)
//! assert!(Cpf::parse_strict("12345678900").is_err()); // wrong check digits
//! # Ok::<(), gabarito_codec::lrv::FieldError>(())
//! ```
//!
//! ## With tokio (feature `tokio`)
//!
//! [`LrvCodec`](lrv::LrvCodec) yields one item per line: `Ok` the message,
//! `Err` the rejected line (a server answers it `400` and reads on); only
//! the transport's errors end the stream.
//!
//! ```
//! # #[cfg(feature = "tokio")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::{SinkExt, StreamExt};
//! use gabarito_codec::lrv::{Direction, Greeting, LrvCodec, Message, Reply};
//! use tokio_util::codec::{FramedRead, FramedWrite};
//!
//! let (server_end, client_end) = tokio::io::duplex(4096);
//! let mut to_client = FramedWrite::new(server_end, LrvCodec::new(Direction::ToServer));
//! let mut from_server = FramedRead::new(client_end, LrvCodec::new(Direction::ToClient));
//!
//! to_client.send(Greeting::standard()).await?;
//! to_client.send(Reply::Purchased).await?;
//! drop(to_client);
//!
//! let mut replies = Vec::new();
//! while let Some(line) = from_server.next().await {
//!     match line? {
//!         Ok(decoded) => replies.push(decoded.message),
//!         Err(rejected) => eprintln!("rejected: {rejected}"),
//!     }
//! }
//! assert_eq!(replies, [Message::Greeting(Greeting::standard()), Message::Reply(Reply::Purchased)]);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "tokio"))]
//! # fn main() {}
//! ```
//!
//! # Errors
//!
//! Both protocols share one shape, [`error::Invalid`]: `offset` (the first
//! offending byte), `field`, `kind` (the rule broken, with a stable
//! [`name`](zap::Kind::name) for JSON reports and the spec's vectors) and
//! `found` (the offending bytes, escaped by [`escape`]). A streaming decode
//! also says [`Incomplete`](error::DecodeError::Incomplete): a valid
//! beginning, wait for more. All are `std::error::Error`s.
//!
//! # Features
//!
//! - `tokio` — [`zap::ZapCodec`] and [`lrv::LrvCodec`] (tokio-util
//!   `Decoder`/`Encoder`), and [`Sink`](sink::Sink) for `bytes::BytesMut`.
//! - `arbitrary` — `arbitrary::Arbitrary` for the messages of zap and LRV,
//!   and Atendimento's requests and replies: only valid values, for
//!   fuzzing and property tests.
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
//!   types, the whole-frame and streaming decoders, the encoder, and
//!   (behind features) tokio-util and `arbitrary` glue. See the module's own
//!   `# Layout`.
//! - [`lrv`] — the LRV raffle protocol (`spec/lrv.md`): CPF, number and
//!   list types, the whole-line and streaming decoders, the tolerant reply
//!   reader, the encoder, and the same feature glue. See its `# Layout`.
//! - [`atendimento`] — the Atendimento JSON protocol
//!   (`spec/atendimento.md`): a zero-copy JSON value, the request and reply
//!   types, whole-document and streaming decoders, both escaping styles of
//!   the encoder, the tolerant reply reader. Its errors are its own
//!   [`atendimento::Invalid`] (offset, kind, expected, member path, found,
//!   spec section): a member path is no fixed `Field`. See its `# Layout`.
//!
//! The parsers behind the decoders (nom 8) are crate-private: nom is an
//! implementation detail, and upgrading it is not a breaking change.
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
// The guide links the tokio codecs, which exist only with the feature; CI
// builds the docs with every feature and warnings denied, as docs.rs does.
#![cfg_attr(not(feature = "tokio"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod atendimento;
pub mod error;
pub mod escape;
pub mod framing;
pub mod lrv;
pub mod sink;
pub mod zap;

/// The crate's README, whose examples run as doctests so they cannot go
/// stale; `tests/readme_example.rs` also builds its example as a program in
/// a crate of its own, as a user would.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
