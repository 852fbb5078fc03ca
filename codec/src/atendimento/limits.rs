//! Which way a document flows, and the bounds of §3.4 that follow from it:
//! a request is at most 512 bytes (the seed's `recv(512)`, D13), a reply at
//! most 65 536 (never cut, D14), and neither nests deeper than 64.

/// The longest request document, in bytes of its extent (atendimento §3.4,
/// D13): "uma mensagem em Json de até 512 bytes".
pub const MAX_REQUEST_LEN: usize = 512;

/// The longest reply document, in bytes of its extent (atendimento §3.4,
/// D14): a consultation's reply is never cut, and this bounds a reader.
pub const MAX_REPLY_LEN: usize = 65_536;

/// The deepest nesting of brackets a document may have, in both directions
/// (atendimento §3.4): the 65th open bracket is `too_deep` (§3.3 J7).
pub const MAX_DEPTH: usize = 64;

/// Which way a byte stream flows: what its documents are and how long they
/// may be (atendimento §2, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server: requests, at most [`MAX_REQUEST_LEN`] bytes.
    ToServer,
    /// Server to client: replies, at most [`MAX_REPLY_LEN`] bytes.
    ToClient,
}

impl Direction {
    /// The longest document's extent this way (atendimento §3.4).
    pub fn limit(self) -> usize {
        match self {
            Direction::ToServer => MAX_REQUEST_LEN,
            Direction::ToClient => MAX_REPLY_LEN,
        }
    }

    /// The stable name used in `spec/vectors/atendimento.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::ToServer => "to_server",
            Direction::ToClient => "to_client",
        }
    }
}
