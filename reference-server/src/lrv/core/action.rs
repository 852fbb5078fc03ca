//! What the LRV core asks its driver to do, beside the [`Effect`]s every
//! core has: its durable changes ([`StoreOp`]), its own effect
//! ([`LateSale`]), its log lines ([`Notice`], [`Rejection`]) and why it
//! closes ([`CloseReason`]).

use std::fmt;
use std::time::Duration;

use gabarito_codec::lrv::{Command, Cpf, Invalid, Number};

use super::snapshot::Draw;
use crate::ConnId;
use crate::sans_io::{self, Effect};

/// An output of the LRV core: lrv §10.1 makes the rule of
/// [`Core`](crate::sans_io::Core) the protocol's (a state change is
/// committed before its reply is sent).
pub type Action = Effect<super::Core>;

/// Fault `double-sale` ([`Effect::Ask`]): after `delay`, sell `number` to
/// `owner` and answer `conn` (its answer is itself, to
/// [`Core::answer`](crate::sans_io::Core::answer)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateSale {
    pub conn: ConnId,
    pub number: Number,
    pub owner: Cpf<'static>,
    pub delay: Duration,
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

impl sans_io::Note for Notice {
    /// Invalid requests are the peer's to multiply: budgeted.
    fn repeats(&self) -> bool {
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

/// Why the core closes a connection through [`Effect::Close`].
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

impl sans_io::Reason for CloseReason {
    /// A slow reader is cut at once: what waits for it is what it did not
    /// read (lrv §10.2).
    fn flush(&self) -> bool {
        false
    }
}
