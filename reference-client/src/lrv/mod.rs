//! The LRV client (`spec/lrv.md`): connect, read the greeting by its
//! position, and one typed call per request, each waiting for its reply.
//!
//! # Layout
//!
//! - `reader.rs` — [`LineReader`]: lines off the byte stream by lrv §3.3
//!   (the codec's raw-line framing, plus the time: a pause or a close
//!   ending a line with no LF, the deadline for a reply to begin).
//! - `deviation.rs` — [`Deviation`] and [`DeviationKind`]: every way a
//!   server's line was not canonical, with the section that tolerates it.
//! - `error.rs` — [`LrvError`], the LRV name of the crate's one error
//!   type: what was sent, what lrv requires, what arrived (escaped), and
//!   the section.
//! - `cpf.rs` — [`parse_cpf`]: a CPF a person typed, checked by lrv §4.1
//!   before anything is sent, with an error naming the wrong digit.
//! - `client.rs` — [`Client`] and its [`Options`]: `register`, `sold_out`,
//!   `available`, `mine`, `buy`, `draw`, `quit`, and the untyped
//!   `request` / `exchange` underneath.
//!
//! # No profile
//!
//! Unlike the zap client, the LRV client keeps nothing on disk. The server
//! is the source of truth for everything a client could remember: which
//! numbers a CPF bought (`COMPRADOS` answers it on any connection, before
//! or after restarts, lrv §6.5, §10.1), whether the CPF is known
//! (`REGISTRAR` says `200` or `201`), the draw (`SORTEIO`). A local copy
//! could only disagree with it. What is left to remember — the server's
//! address and the CPF — is two strings, which the command line takes from
//! `--server`/`--cpf` or the environment (`LRV_SERVER`, `LRV_CPF`): a
//! shell's `export` remembers them without a file, a lock or a schema.
//!
//! # Tolerance
//!
//! Replies are read by the tolerant rules of lrv §7.5 (human text, CRLF,
//! no terminator ended by a pause of [`Options::settle`], unordered lists,
//! formatted CPFs); a multi-line banner's extra lines are skipped (lrv §5).
//! Each such deviation is recorded with its section
//! ([`Client::deviations`]); [`Options::strict`] turns the first one into
//! an error. A reply whose code does not answer the request is always an
//! error ([`LrvError::WrongCode`]), naming both.

mod client;
mod cpf;
mod deviation;
mod error;
mod reader;

pub use client::{Answer, Bought, Client, Draw, Options, Registered, answers};
pub use cpf::{CpfError, check as check_cpf, parse_cpf};
pub use deviation::{Deviation, DeviationKind};
pub use error::{LrvError, Result};
/// The codec's types, which the API takes and returns.
pub use gabarito_codec::lrv::{Code, Command, Cpf, Number, NumberList, RawLine, Request};
pub use reader::{LineReader, ReadError};
