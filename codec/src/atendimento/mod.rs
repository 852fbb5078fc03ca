//! The Atendimento protocol (`spec/atendimento.md`): JSON requests about
//! personal records ("Dados Pessoais") and HTTP-like replies, framed by
//! the documents' own nesting.
//!
//! Decode a request and answer it:
//!
//! ```
//! use gabarito_codec::atendimento::{
//!     self, Code, Reading, Record, Reply, Request, Style,
//! };
//!
//! // What the seed's client sends: json.dumps, every non-ASCII as \u00XX.
//! let wire = br#"{"SERVI\u00c7O": "Dados Pessoais", "A\u00c7\u00c3O": "CONSULTAR USUARIO", "EMAIL_USUARIO": "eu@gmail.com"}"#;
//! let decoded = atendimento::decode_request(wire)?;
//! let Reading::Request(request) = &decoded.message else {
//!     panic!("every check the store is not needed for passes");
//! };
//! assert_eq!(request, &Request::Consultar { email: "eu@gmail.com".into() });
//! assert_eq!(decoded.canonical(), Some(Style::Ascii)); // byte for byte json.dumps
//!
//! // Raw UTF-8, pretty-printed: the same request (atendimento D2, D3).
//! let pretty = "{\n  \"AÇÃO\": \"CONSULTAR USUARIO\",\n  \"SERVIÇO\": \"Dados Pessoais\",\n  \"EMAIL_USUARIO\": \"eu@gmail.com\"\n}";
//! assert_eq!(atendimento::decode_request(pretty.as_bytes())?.message, decoded.message);
//!
//! // The reply to a consultation of a fresh record, in both styles.
//! let reply = Reply::record(Record::fresh("eu@gmail.com"));
//! assert_eq!(
//!     reply.to_bytes(Style::Ascii),
//!     br#"{"CODIGO DE ERRO": "200", "EXPLICA\u00c7\u00c3O": {"Nome": null, "Endere\u00e7o": null, "Telefone": null, "Email": "eu@gmail.com"}}"#,
//! );
//! let utf8 = reply.to_bytes(Style::Utf8);
//! assert_eq!(atendimento::decode_reply(&utf8)?.message, reply);
//! assert_eq!(reply.code, Code::Ok);
//!
//! // A fault names its byte, what was expected, what arrived, the section.
//! let err = atendimento::decode_request(br#"{"A\u00c7\u00c3O": 1,}"#).unwrap_err();
//! assert_eq!(err.to_string(), r#"byte 21: expected key, found "}" (atendimento §4.1)"#);
//! # Ok::<(), atendimento::Invalid>(())
//! ```
//!
//! Read a stream of glued and split documents (§3.3):
//!
//! ```
//! use gabarito_codec::atendimento::{Direction, End, Kind, Rejected, StreamDecoder};
//!
//! let mut docs = StreamDecoder::new(Direction::ToServer);
//! docs.push(br#"{"SERVI\u00c7O": "Dados Pessoais"}  {"VALOR": "}{"#);
//! let first = docs.next(End::More)?.expect("the first is whole");
//! assert_eq!(first.object.names().collect::<Vec<_>>(), ["SERVIÇO"]);
//! assert!(docs.next(End::More)?.is_none()); // a "}" in a string ends nothing
//! docs.push(br#""}hello{}"#);
//! assert_eq!(docs.next(End::More)?.expect("whole now").skipped, 2);
//! let garbage = docs.next(End::More).unwrap_err(); // J2: reported once, dropped to the next "{"
//! assert_eq!((garbage.invalid.kind, garbage.bytes.as_slice()), (Kind::UnexpectedByte, &b"hello"[..]));
//! assert!(docs.next(End::More)?.is_some());
//! # Ok::<(), Rejected>(())
//! ```
//!
//! # Layout
//!
//! - `limits.rs` — [`Direction`] and the bounds of §3.4: 512 bytes a
//!   request, 65 536 a reply, nesting 64.
//! - `names.rs` — the protocol's words: member names, [`Action`],
//!   [`Campo`], [`Code`].
//! - `value.rs` — [`Value`], [`Number`], [`Object`], [`Member`]: JSON the
//!   protocol does not model, zero-copy (`Cow`) unless an escape forces a
//!   copy, with each member's offsets for the faults of §8.2.
//! - `error.rs` — [`Invalid`] (offset, [`Kind`], [`Expected`], path,
//!   found, section), [`Rejected`] and [`DecodeError`].
//! - `scan.rs` — finding a document's end without parsing it (J2–J5, J7).
//! - `parse.rs` — the nom 8 JSON parser, crate-private, with the tolerant
//!   dialect of §6.4 rule 1.
//! - `encode.rs` — [`Style`] (`ascii`, `utf8`) and `json.dumps`'s layout.
//! - `request.rs` — [`Request`], and what a server reads from any object:
//!   [`Reading`], [`Refusal`], [`Check`] (§7.1 C1–C6, C11–C14).
//! - `reply.rs` — [`Reply`], [`Explanation`], [`Record`], and the strict
//!   shape of §6.1–§6.3.
//! - `decode.rs` — [`decode_value`], [`decode_request`], [`decode_reply`]:
//!   one whole document ([`Document`], [`Decoded`]).
//! - `stream.rs` — [`decode_stream`], [`decode_stream_closed`] and
//!   [`StreamDecoder`]: documents off a byte stream ([`Framed`]).
//! - `deviation.rs` — [`Deviation`]: readings tolerated and reported.
//! - `fold.rs`, `fold_table.rs` — [`fold`]: names compared by §6.4 rule 2.
//! - `lenient.rs` — [`read_reply`], [`read_reply_object`]: the tolerant
//!   reader of §6.4 ([`Lenient`]).
//! - `recognise.rs` — [`recognise`]: which check an error text reports
//!   (§6.5).
//!
//! [`End`] and [`Sink`] are the crate's (`framing`, `sink`), the same for
//! every protocol.

#![forbid(unsafe_code)]

mod decode;
mod deviation;
mod encode;
mod error;
mod fold;
mod fold_table;
mod lenient;
mod limits;
pub mod names;
mod parse;
mod recognise;
mod reply;
mod request;
mod scan;
mod stream;
mod value;

pub use decode::{Decoded, Document, decode_reply, decode_request, decode_value};
pub use deviation::Deviation;
pub use encode::Style;
pub use error::{DecodeError, Expected, Invalid, Kind, Rejected};
pub use fold::{fold, folds_to};
pub use lenient::{
    Lenient, LenientError, LenientExplanation, LenientRecord, read_reply, read_reply_object,
};
pub use limits::{Direction, MAX_DEPTH, MAX_REPLY_LEN, MAX_REQUEST_LEN};
pub use names::{Action, Campo, Code};
pub use recognise::{Recognised, recognise};
pub use reply::{Explanation, Record, Reply};
pub use request::{Check, Reading, Refusal, Request, request_deviations};
pub use stream::{Framed, StreamDecoder, decode_stream, decode_stream_closed};
pub use value::{Member, Number, Object, Value};

pub use crate::framing::End;
pub use crate::sink::Sink;
