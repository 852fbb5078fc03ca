//! Typed, validated, zero-copy codecs for the protocols of gabarito, the
//! answer key of the socket-programming assignments of Brazilian networking
//! courses: **zap** (WhatsApp-like messaging, `spec/zap.md`), **LRV** (a
//! raffle, `spec/lrv.md`), **papo** (a nickname chat, `spec/papo.md`,
//! guide in [`papo`]) and **Atendimento** (JSON requests about personal
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
//! # One shape for every protocol
//!
//! Each protocol is a [`Protocol`]: a marker type ([`zap::Zap`],
//! [`lrv::Lrv`]) that names its messages each way, its stream framing as a
//! [`Framing`] step and its encoder ([`Encode`]). The buffering is written
//! once, for all of them: a [`StreamDecoder<P>`](StreamDecoder) takes the
//! bytes of each read and yields `P`'s messages, and (feature `tokio`) a
//! [`Codec<P>`](Codec) does the same inside a `FramedRead`. The protocol
//! modules name them for their users (`zap::StreamDecoder`,
//! `lrv::LrvCodec`, …), so code for one protocol never spells a type
//! parameter, and code for any protocol is written once:
//!
//! ```
//! # #[cfg(all(feature = "zap", feature = "lrv"))]
//! # fn main() {
//! use gabarito_codec::{End, Framing, StreamDecoder};
//!
//! /// Every message in `reads`, whatever the protocol; the peer closes
//! /// after the last one (a read boundary).
//! fn messages<P: Framing>(dir: P::Direction, reads: &[&[u8]]) -> Vec<P::Frame<'static>> {
//!     let mut stream = StreamDecoder::<P>::new(dir);
//!     let mut out = Vec::new();
//!     for (i, read) in reads.iter().enumerate() {
//!         stream.push(read);
//!         let end = if i + 1 == reads.len() { End::Boundary } else { End::More };
//!         while let Ok(Some(message)) = stream.next(end) {
//!             out.push(message);
//!         }
//!     }
//!     out
//! }
//!
//! use gabarito_codec::{lrv, zap};
//! let frames = messages::<zap::Zap>(zap::Direction::ToServer, &[b"01", b"032000000000001"]);
//! assert_eq!(frames.len(), 2);
//! let lines = messages::<lrv::Lrv>(lrv::Direction::ToServer, &[b"SORTEIO\nSA", b"IR"]);
//! assert_eq!(lines.len(), 2);
//! # }
//! # #[cfg(not(all(feature = "zap", feature = "lrv")))]
//! # fn main() {}
//! ```
//!
//! Each protocol is also a cargo feature (`zap`, `lrv`, both by default),
//! so a program that speaks one builds only that one.
//!
#![cfg_attr(feature = "zap", doc = include_str!("zap/guide.md"))]
#![cfg_attr(feature = "lrv", doc = include_str!("lrv/guide.md"))]
//! # Errors
//!
//! Every protocol shares one shape, [`error::Invalid`]: `offset` (the first
//! offending byte), `field`, `kind` (the rule broken, with a stable
//! [`name`](error::Kind::name) for JSON reports and the spec's vectors) and
//! `found` (the offending bytes, escaped by [`escape`]). A streaming decode
//! also says [`Incomplete`](error::DecodeError::Incomplete): a valid
//! beginning, wait for more. All are `std::error::Error`s.
//!
//! # Features
//!
//! - `zap`, `lrv`, `papo`, `atendimento` (default) — the protocols, one module each.
//! - `tokio` — [`Codec`] (tokio-util `Decoder`/`Encoder`), the protocols'
//!   names for it ([`zap::ZapCodec`], [`lrv::LrvCodec`]), and
//!   [`Sink`](sink::Sink) for `bytes::BytesMut`.
//! - `arbitrary` — `arbitrary::Arbitrary` for the messages of every
//!   protocol: only valid values, for fuzzing and property tests.
//!
//! # Layout
//!
//! - [`escape`] — protocol-agnostic rendering of wire bytes for humans
//!   (`"05\x00…"`), used by every error message and report.
//! - [`error`] — the shape of every protocol's errors: [`error::Invalid`]
//!   (offset, field, rule, an excerpt of what arrived; "byte N: field must
//!   be …, found \"…\"") and [`error::DecodeError`] (`Incomplete` or
//!   `Invalid`), generic over a protocol's `Field` and `Kind`.
//! - [`framing`] — [`End`] (whether more bytes may follow the buffer, what
//!   every streaming decoder is told), and [`Framing`] with its [`Step`]:
//!   a protocol's rules over the head of a stream.
//! - [`protocol`] — [`Protocol`] (messages per direction, the codec's
//!   item) and [`Encode`].
//! - [`stream`] — [`StreamDecoder`], the one buffering loop.
//! - [`tokio_codec`] (feature `tokio`) — [`Codec`] and [`CodecError`].
//! - [`sink`] — [`sink::Sink`]: where every encoder appends its bytes.
//! - `arbitrary.rs` (feature `arbitrary`, crate-private) — what every
//!   protocol's `Arbitrary` messages share: a refused value is a generator
//!   bug, and the tests' deterministic bytes.
//! - [`zap`] (feature `zap`) — the zap messaging protocol (`spec/zap.md`):
//!   validated field types, the whole-frame decoder, the framing step, the
//!   encoder, and (behind features) tokio-util and `arbitrary` glue. See
//!   the module's own `# Layout`, and `zap/guide.md` for its part of this
//!   guide.
//! - [`lrv`] (feature `lrv`) — the LRV raffle protocol (`spec/lrv.md`):
//!   CPF, number and list types, the whole-line decoders, the framing
//!   steps, the tolerant reply reader, the encoder, and the same feature
//!   glue. See its `# Layout` and `lrv/guide.md`.
//! - [`papo`] (feature `papo`) — the papo nickname chat (`spec/papo.md`): nickname and text
//!   types, client and server lines, the whole-line and streaming decoders,
//!   the reader by meaning (papo §6.10), the encoder and `arbitrary` glue.
//!   Its own guide and `# Layout` are in the module.
//! - [`atendimento`] (feature `atendimento`) — the Atendimento JSON protocol
//!   (`spec/atendimento.md`): a zero-copy JSON value, the request and reply
//!   types, whole-document and streaming decoders, both escaping styles of
//!   the encoder, the tolerant reply reader. Its errors are its own
//!   [`atendimento::Invalid`] (offset, kind, expected, member path, found,
//!   spec section): a member path is no fixed `Field`. See its `# Layout`.
//!
//! A new protocol is a folder like theirs, one `mod` line and one guide
//! line here, and one feature in `Cargo.toml`.
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
// The guide links the tokio codecs, which exist only with the feature, and
// each protocol, which exists only with its own; CI builds the docs with
// every feature and warnings denied, as docs.rs does.
#![cfg_attr(
    not(all(feature = "tokio", feature = "zap", feature = "lrv")),
    allow(rustdoc::broken_intra_doc_links)
)]

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod error;
pub mod escape;
pub mod framing;
pub mod protocol;
pub mod sink;
pub mod stream;
#[cfg(feature = "tokio")]
pub mod tokio_codec;

#[cfg(feature = "atendimento")]
pub mod atendimento;
#[cfg(any(feature = "lrv", feature = "papo"))]
pub mod line;
#[cfg(feature = "lrv")]
pub mod lrv;
#[cfg(feature = "papo")]
pub mod papo;
#[cfg(feature = "zap")]
pub mod zap;

pub use framing::{End, Framing, Step};
pub use protocol::{Encode, Protocol};
pub use stream::StreamDecoder;
#[cfg(feature = "tokio")]
pub use tokio_codec::{Codec, CodecError};

/// The crate's README, whose examples run as doctests so they cannot go
/// stale; `tests/readme_example.rs` also builds its example as a program in
/// a crate of its own, as a user would.
#[cfg(all(doctest, feature = "zap", feature = "lrv"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
