//! [`ClientError`]: what can go wrong talking to a server, for every
//! protocol's client, typed so a caller can tell a bad argument from a dead
//! server from a server that is not speaking the protocol.
//!
//! The connection's failures are shared (`Connect`, `ConnectTimeout`, `Io`,
//! `Closed`, `NoReply`); the rest are one protocol's own, named after what
//! its spec requires. Errors about a server's answer name what was awaited,
//! what arrived (bytes escaped) and the section that says so. Both
//! protocols' clients keep the wording their users know: zap's waits name
//! the reply awaited, LRV's also the request sent and the lines skipped.

use std::fmt;
use std::io;
use std::time::Duration;

use gabarito_codec::lrv::{Code, Command};
use gabarito_codec::zap::FieldError;

use crate::lrv::{CpfError, Deviation};

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// An error of a client library, zap's or LRV's.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
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
    /// Reading or writing failed (the server reset the connection, …).
    #[error(transparent)]
    Io(Lost),
    /// The server closed the connection where the protocol requires a
    /// message.
    #[error(
        "the server closed the connection {}",
        Awaited { during: during.as_deref(), expected, section, pending }
    )]
    Closed {
        /// What the client was doing (LRV: the request sent, "greeting");
        /// `None` where waiting was all (zap: events flow meanwhile).
        during: Option<String>,
        /// The message awaited.
        expected: String,
        /// The section that requires it.
        section: &'static str,
        /// Bytes left with no end, escaped (may be empty).
        pending: String,
    },
    /// The server never sent the reply the protocol requires.
    #[error(
        "no {}{hint}",
        NotAnswered { sent: sent.as_deref(), expected, section, after, skipped }
    )]
    NoReply {
        /// The request as a person reads it (LRV); `None` where the reply
        /// is named alone (zap: garbage meanwhile was reported as events).
        sent: Option<String>,
        /// The reply awaited.
        expected: String,
        /// The section that requires it.
        section: &'static str,
        after: Duration,
        /// Lines read meanwhile that were no reply, escaped (LRV).
        skipped: Vec<String>,
        /// What may be wrong with the server (zap: " (is this a zap
        /// server?)"); may be empty.
        hint: &'static str,
    },

    // zap's own.
    /// A 05, 08 or 10 needs the id of a connection that sent 03 (zap §9.2).
    #[error("not logged in: send 03 (login) with your id first (zap §9.2)")]
    NotLoggedIn,
    /// The message text breaks zap §4.1: more than 218 characters, or a
    /// U+0000 (reserved for padding, zap §3.3).
    #[error("{reason}")]
    Text { reason: String, chars: usize },
    /// A group has at most 7 members besides its creator (zap §8.1).
    #[error("a group has at most 7 members besides you; {given} given (zap §8.1)")]
    TooManyMembers { given: usize },
    /// An id or timestamp that cannot be put on the wire.
    #[error("{0}")]
    Field(#[from] FieldError),
    /// The system clock is before 1970 or past 2286 (zap §4.1 timestamps).
    #[error("the system clock cannot be written as a 10-digit POSIX timestamp")]
    Clock,

    // LRV's own.
    /// The server sent no greeting (lrv §5).
    #[error(
        "no greeting from {addr} within {after:?}: an LRV server must send its greeting \
         first, before reading anything (lrv §5); to go on without it, allow a missing \
         greeting (--allow-missing-greeting)"
    )]
    NoGreeting { addr: String, after: Duration },
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
    /// A deviation, with [`Options::strict`](crate::lrv::Options::strict).
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

/// Reading or writing failed, and while doing what.
#[derive(Debug, thiserror::Error)]
#[error("connection lost{}: {source}", During(.during.as_deref()))]
pub struct Lost {
    /// What the client was doing (LRV: the request sent); `None` where the
    /// connection is one stream of events (zap).
    pub during: Option<String>,
    #[source]
    pub source: io::Error,
}

impl From<io::Error> for ClientError {
    fn from(source: io::Error) -> Self {
        ClientError::Io(Lost {
            during: None,
            source,
        })
    }
}

impl ClientError {
    /// The connection failed while doing `during`.
    pub(crate) fn lost(during: impl Into<String>, source: io::Error) -> Self {
        ClientError::Io(Lost {
            during: Some(during.into()),
            source,
        })
    }

    /// Whether the connection is gone (reconnecting may help), as opposed
    /// to a bad argument or a server that misbehaved.
    pub fn is_disconnect(&self) -> bool {
        matches!(
            self,
            ClientError::Io(_)
                | ClientError::Closed { .. }
                | ClientError::Connect { .. }
                | ClientError::ConnectTimeout { .. }
                | ClientError::Finished(_)
        )
    }

    /// Whether the server broke the protocol (as opposed to the network, or
    /// the caller's input).
    pub fn is_protocol(&self) -> bool {
        matches!(
            self,
            ClientError::NoGreeting { .. }
                | ClientError::NoReply { .. }
                | ClientError::WrongCode { .. }
                | ClientError::Unreadable { .. }
                | ClientError::Strict(_)
        )
    }
}

/// " during X", or nothing.
struct During<'a>(Option<&'a str>);

impl fmt::Display for During<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(during) => write!(f, " during {during}"),
            None => Ok(()),
        }
    }
}

/// What a closed connection left unanswered.
struct Awaited<'a> {
    during: Option<&'a str>,
    expected: &'a str,
    section: &'a str,
    pending: &'a str,
}

impl fmt::Display for Awaited<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(during) = self.during else {
            return write!(f, "while waiting for {}", self.expected);
        };
        write!(
            f,
            "during {during}: expected {} ({})",
            self.expected, self.section
        )?;
        if !self.pending.is_empty() {
            write!(f, "; arrived \"{}\" with no line end", self.pending)?;
        }
        Ok(())
    }
}

/// What no reply answered.
struct NotAnswered<'a> {
    sent: Option<&'a str>,
    expected: &'a str,
    section: &'a str,
    after: &'a Duration,
    skipped: &'a [String],
}

impl fmt::Display for NotAnswered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(sent) = self.sent else {
            return write!(
                f,
                "{} from the server within {:?}",
                self.expected, self.after
            );
        };
        write!(
            f,
            "reply to {sent} within {:?}: expected {} ({})",
            self.after, self.expected, self.section
        )?;
        if self.skipped.is_empty() {
            return f.write_str("; nothing arrived");
        }
        let quoted: Vec<String> = self.skipped.iter().map(|s| format!("\"{s}\"")).collect();
        write!(
            f,
            "; arrived only lines that do not begin with a reply code (lrv §7.5 rule 1): {}",
            quoted.join(", ")
        )
    }
}
