//! What can go wrong talking LRV, typed so a caller can tell a bad argument
//! from a dead server from a server that is not speaking LRV. Every error
//! about the server's answer names what was sent, what lrv requires, what
//! arrived (bytes escaped) and the section that says so.

use std::io;
use std::time::Duration;

use gabarito_codec::lrv::{Code, Command, Invalid};

use super::cpf::CpfError;
use super::deviation::Deviation;

pub type Result<T, E = LrvError> = std::result::Result<T, E>;

/// An error of the LRV client library.
#[derive(Debug, thiserror::Error)]
pub enum LrvError {
    /// The TCP connection could not be opened.
    #[error("cannot connect to {addr}: {source}")]
    Connect {
        addr: String,
        #[source]
        source: io::Error,
    },
    /// Opening the connection took longer than allowed.
    #[error("cannot connect to {addr}: no answer within {after:?}")]
    ConnectTimeout { addr: String, after: Duration },
    /// The server sent no greeting (lrv §5).
    #[error(
        "no greeting from {addr} within {after:?}: an LRV server must send its greeting \
         first, before reading anything (lrv §5); to go on without it, allow a missing \
         greeting (--allow-missing-greeting)"
    )]
    NoGreeting { addr: String, after: Duration },
    /// Reading or writing failed (the server reset the connection, …).
    #[error("connection lost during {during}: {source}")]
    Io {
        during: String,
        #[source]
        source: io::Error,
    },
    /// The server closed the connection where lrv requires a line.
    #[error(
        "the server closed the connection during {during}: expected {expected} ({section}){}",
        arrived_suffix(.pending)
    )]
    Closed {
        during: String,
        expected: String,
        section: &'static str,
        /// Bytes left with no line end, escaped (may be empty).
        pending: String,
    },
    /// No reply within the reply timeout.
    #[error(
        "no reply to {sent} within {after:?}: expected {expected} ({section}){}",
        skipped_suffix(.skipped)
    )]
    NoReply {
        sent: String,
        expected: String,
        section: &'static str,
        after: Duration,
        /// Lines read meanwhile that were no reply, escaped.
        skipped: Vec<String>,
    },
    /// A reply whose code does not answer the request sent.
    #[error(
        "the server answered {sent} with {code}, which is not a reply to {command}: \
         expected {expected} ({section}); arrived \"{line}\""
    )]
    WrongCode {
        sent: String,
        command: Command,
        code: Code,
        expected: String,
        section: &'static str,
        line: String,
    },
    /// The server refused the request with `400` (lrv §9.2).
    #[error("the server answered 400 (invalid request, lrv §9.2) to {sent}: {why}")]
    BadRequest {
        sent: String,
        command: Command,
        why: &'static str,
        line: String,
    },
    /// A line where a reply was awaited that the tolerant reader of
    /// lrv §7.5 cannot read: a list number out of range, a 207 without a
    /// number, a line over the limit (lrv §3.4).
    #[error("cannot read the reply to {sent}: {reason} ({section}); arrived \"{line}\"")]
    Unreadable {
        sent: String,
        reason: String,
        section: &'static str,
        line: String,
    },
    /// A deviation, with [`Options::strict`](super::Options::strict).
    #[error("strict mode: {0}")]
    Strict(Deviation),
    /// `COMPRAR` and `COMPRADOS` need a registered connection (lrv §8.1,
    /// D12): call `register` first.
    #[error("{0} needs a registered connection: send REGISTRAR first (lrv §8.1, D12)")]
    NotRegistered(Command),
    /// `REGISTRAR` with a CPF the server must refuse (lrv §4.1, D11).
    #[error(transparent)]
    Cpf(#[from] CpfError),
    /// A request after `SAIR`, or after the server closed.
    #[error("the connection is closed ({0}); connect again")]
    Finished(&'static str),
}

impl LrvError {
    /// Whether the connection is gone (reconnecting may help), as opposed
    /// to a bad argument or a server that misbehaved.
    pub fn is_disconnect(&self) -> bool {
        matches!(
            self,
            LrvError::Io { .. }
                | LrvError::Closed { .. }
                | LrvError::Connect { .. }
                | LrvError::ConnectTimeout { .. }
                | LrvError::Finished(_)
        )
    }

    /// Whether the server broke the protocol (as opposed to the network, or
    /// the caller's input).
    pub fn is_protocol(&self) -> bool {
        matches!(
            self,
            LrvError::NoGreeting { .. }
                | LrvError::NoReply { .. }
                | LrvError::WrongCode { .. }
                | LrvError::Unreadable { .. }
                | LrvError::Strict(_)
        )
    }

    pub(crate) fn unreadable(sent: &str, invalid: &Invalid, line: String) -> Self {
        LrvError::Unreadable {
            sent: sent.to_owned(),
            reason: invalid.to_string(),
            section: "lrv §7.5",
            line,
        }
    }
}

fn arrived_suffix(pending: &str) -> String {
    if pending.is_empty() {
        String::new()
    } else {
        format!("; arrived \"{pending}\" with no line end")
    }
}

fn skipped_suffix(skipped: &[String]) -> String {
    if skipped.is_empty() {
        "; nothing arrived".to_owned()
    } else {
        let quoted: Vec<String> = skipped.iter().map(|s| format!("\"{s}\"")).collect();
        format!(
            "; arrived only lines that do not begin with a reply code (lrv §7.5 rule 1): {}",
            quoted.join(", ")
        )
    }
}
