//! What the core asks its driver to do, and what it tells the reader about
//! the bytes it was fed.

use std::fmt;
use std::time::Duration;

use gabarito_codec::lrv::{Command, Cpf, Invalid, Number};

use super::snapshot::Draw;
use crate::ConnId;

/// An output of the core, in the order it must happen.
///
/// A driver applies every [`Action::Store`] of one call durably before it
/// performs that call's other actions (lrv §10.1: a state change is
/// committed before its reply is sent), and performs them in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Write these bytes to `conn`, in one write: one line, greeting or
    /// reply, its terminator included.
    Send { conn: ConnId, bytes: Vec<u8> },
    /// Persist this change.
    Store(StoreOp),
    /// Something worth a log line about `conn` (the driver knows its peer).
    Notice { conn: ConnId, notice: Notice },
    /// Fault `double-sale`: after `delay`, feed the core
    /// [`Event::Sell`](super::Event::Sell) with these fields.
    SellLater {
        conn: ConnId,
        number: Number,
        owner: Cpf<'static>,
        delay: Duration,
    },
    /// Close `conn` at once; the core has forgotten it.
    Close { conn: ConnId, reason: CloseReason },
    /// Fault `crash-on-malformed`: stop the whole server.
    Crash { conn: ConnId, why: Rejection },
}

/// A change to durable state (lrv §10.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOp {
    /// A CPF registered for the first time (lrv §6.2).
    Register(Cpf<'static>),
    /// `number` is `owner`'s (lrv §6.6). It replaces an earlier owner only
    /// under the faults that resell.
    Sell { number: Number, owner: Cpf<'static> },
    /// The draw (lrv §8.4); in the same call as the last sale, so in the
    /// same commit.
    Draw(Draw),
}

/// Why a request was answered `400` (lrv §9.2), as the log says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// Not a request of the grammar (lrv §6.1, §9.1), as the codec names
    /// it: offset from the line's first byte, field, what was expected.
    Malformed(Invalid),
    /// A CPF that is not valid (lrv §4.1, D11), the offset counted from
    /// the line's first byte.
    InvalidCpf(Invalid),
    /// A number above the raffle's size (lrv §6.6).
    OutOfRaffle {
        offset: usize,
        number: Number,
        size: Number,
    },
    /// `COMPRAR` or `COMPRADOS` before `REGISTRAR` (lrv §8.1, D12).
    NotRegistered(Command),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Malformed(e) | Rejection::InvalidCpf(e) => e.fmt(f),
            Rejection::OutOfRaffle {
                offset,
                number,
                size,
            } => write!(
                f,
                "byte {offset}: number must be a number of this raffle, 1 to {size}, found \"{number}\" (lrv §6.6)"
            ),
            Rejection::NotRegistered(c) => {
                write!(f, "byte 0: {c} needs a REGISTRAR first (lrv §8.1, D12)")
            }
        }
    }
}

/// A log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// An invalid request (lrv §9.2), answered `400` unless a fault or
    /// quirk says otherwise. One per request: the driver writes the first
    /// few about a connection and summarises the rest.
    Invalid(Rejection),
    /// The connection sent more than `max` invalid requests: it is closed
    /// once the replies are written (lrv §10.2).
    TooManyInvalid { max: usize },
}

impl Notice {
    /// Whether the peer chooses how many of these there are: such lines
    /// are budgeted per connection.
    pub fn repeats(&self) -> bool {
        matches!(self, Notice::Invalid(_))
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Invalid(r) => write!(f, "invalid request: {r}"),
            Notice::TooManyInvalid { max } => write!(
                f,
                "closing: more than {max} invalid requests on this connection (lrv §10.2 --max-rejected)"
            ),
        }
    }
}

/// Why the core closes a connection through [`Action::Close`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// More than `max_queue` replies, or `max_queue_bytes` bytes of them,
    /// would wait to be written (lrv §10.2).
    SlowReader { lines: usize, bytes: usize },
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::SlowReader { lines, bytes } => write!(
                f,
                "slow reader: {lines} replies, {bytes} bytes, waiting to be written (lrv §10.2 --max-queue, --max-queue-bytes)"
            ),
        }
    }
}

/// What [`Core::feed`](super::Core::feed) did with the head of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fed {
    /// Bytes taken off the head: lines acted on, empty lines skipped,
    /// bytes dropped (an over-long line, L3; fault `recv-per-message`).
    pub consumed: usize,
    /// Lines acted on, invalid ones included.
    pub lines: usize,
    pub next: Next,
}

/// What follows what [`Core::feed`](super::Core::feed) took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The limit was reached; more whole lines may follow.
    More,
    /// No whole line is left. `open`: bytes wait that a read boundary
    /// would end (lrv §3.3 L4), or an over-long line is being dropped
    /// (L3), so it is worth waiting only the settle time.
    NeedMore { open: bool },
    /// Feed nothing more until what was fed is done (fault `double-sale`:
    /// the reply comes with the late sale, and later replies must not
    /// overtake it, lrv §8.5).
    Wait,
    /// Read nothing more; close once the replies are written (`SAIR`,
    /// lrv §6.8; quirk `close-on-invalid`; fault `crash-on-malformed`).
    Close,
}
