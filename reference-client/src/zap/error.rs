//! What can go wrong talking zap, typed so a caller can tell a bad
//! argument from a dead server from a server that is not speaking zap.

use std::io;
use std::time::Duration;

use gabarito_codec::zap::{FieldError, MAX_DATA_CHARS};

/// An error of the zap client library.
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
    #[error("connection lost: {0}")]
    Io(#[from] io::Error),
    /// The server closed the connection while a reply was awaited.
    #[error("the server closed the connection while waiting for {waiting_for}")]
    Closed { waiting_for: &'static str },
    /// The server never sent the reply the spec requires (it may have sent
    /// garbage instead; those bytes were reported as events).
    #[error("no {expected} from the server within {after:?}{hint}")]
    NoReply {
        expected: &'static str,
        after: Duration,
        hint: &'static str,
    },
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
}

impl ClientError {
    pub(crate) fn text(s: &str, e: FieldError) -> Self {
        let chars = s.chars().count();
        let reason = if chars > MAX_DATA_CHARS {
            format!(
                "message too long: {chars} characters, zap allows at most {MAX_DATA_CHARS} (zap §4.1)"
            )
        } else if s.contains('\0') {
            "message contains U+0000 (NUL), which zap reserves for padding (zap §3.3)".to_owned()
        } else {
            format!("message not allowed: {e}")
        };
        ClientError::Text { reason, chars }
    }

    /// Whether the connection is gone (reconnecting may help), as opposed to
    /// a bad argument or a server that misbehaved.
    pub fn is_disconnect(&self) -> bool {
        matches!(
            self,
            ClientError::Io(_)
                | ClientError::Closed { .. }
                | ClientError::Connect { .. }
                | ClientError::ConnectTimeout { .. }
        )
    }
}
