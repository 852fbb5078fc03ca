//! What the zap core asks its driver to do, beside the [`Effect`]s every
//! core has: its durable changes ([`StoreOp`]), its own effect (a page of
//! stored items to read, [`LoadRequest`], answered by [`Loaded`]), its log
//! lines ([`Notice`], [`Ignored`]) and why it closes ([`CloseReason`]).

use std::fmt;

use gabarito_codec::zap::{Code, Invalid};

use super::types::{LoadId, Seq, StoredItem, Uid};
use crate::ConnId;
use crate::sans_io::{self, Effect};

/// An output of the zap core. zap §11.1 makes the rule of
/// [`Core`](crate::sans_io::Core) the protocol's: a frame is accepted when
/// its effects are committed.
pub type Action = Effect<super::Core>;

/// Why the core closes a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    /// It sent a malformed frame (zap §10.1).
    Malformed,
    /// Quirk `close-on-ignore`: a frame that is not allowed (zap §10.2).
    NotAllowed,
    /// A newer connection went online as the same id (zap §5.3, D11).
    Replaced { by: ConnId },
    /// More than `max_queue` frames, or `max_queue_bytes` bytes of them,
    /// would wait to be written (zap §11.2).
    SlowReader { frames: usize, bytes: usize },
    /// More than `max` frames were ignored on it (zap §10.2, §11.2).
    TooManyIgnored { max: usize },
}

impl sans_io::Reason for CloseReason {
    /// A replaced or stuck connection is cut at once; the others get what
    /// was already answered to them.
    fn flush(&self) -> bool {
        matches!(
            self,
            CloseReason::Malformed | CloseReason::NotAllowed | CloseReason::TooManyIgnored { .. }
        )
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::Malformed => f.write_str("malformed frame (zap §10.1)"),
            CloseReason::NotAllowed => {
                f.write_str("frame not allowed, closing instead of ignoring (zap §10.2)")
            }
            CloseReason::Replaced { by } => write!(
                f,
                "replaced by newer connection {by} for the same id (zap §5.3, D11)"
            ),
            CloseReason::SlowReader { frames, bytes } => write!(
                f,
                "slow reader: {frames} frames, {bytes} bytes, waiting to be written (zap §11.2 --max-queue, --max-queue-bytes)"
            ),
            CloseReason::TooManyIgnored { max } => write!(
                f,
                "more than {max} ignored frames on this connection (zap §11.2 --max-rejected)"
            ),
        }
    }
}

/// A change to durable state. Applying a `handle` call's ops in order to
/// the state a [`Snapshot`](super::Snapshot) was taken from gives the state
/// the core now holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreOp {
    /// A new user (zap §5.1); `next_id` is the counter after it (zap §9.1).
    AddUser { id: Uid, next_id: u64 },
    /// A new group, creator first (zap §8.1); `next_id` as for users.
    AddGroup {
        id: Uid,
        members: Vec<Uid>,
        next_id: u64,
    },
    /// Store an item for its recipient (zap §9.4).
    Push(StoredItem),
    /// The item `seq`, stored for `recipient`, was written to it
    /// (zap §9.4). The store finds items by recipient, then order.
    Remove { recipient: Uid, seq: Seq },
    /// `reader` has been delivered a 06 from `src` with this timestamp, the
    /// smallest so far (zap §7.2, D15).
    Delivered {
        reader: Uid,
        src: Uid,
        timestamp: u64,
    },
}

/// Read up to `limit` items stored for `recipient` with a `Seq` greater
/// than `after` (all, if `None`), oldest first, and answer with
/// [`Loaded`] ([`Effect::Ask`]).
///
/// The read must see every [`StoreOp`] emitted before the request; it may
/// also see later ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadRequest {
    pub conn: ConnId,
    pub load: LoadId,
    pub recipient: Uid,
    pub after: Option<Seq>,
    pub limit: usize,
}

/// The answer to a [`LoadRequest`]: the oldest stored items of the
/// request's recipient after its cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub conn: ConnId,
    pub load: LoadId,
    pub items: Vec<StoredItem>,
}

/// A log-worthy fact about a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A malformed frame (zap §10.1).
    Malformed(Invalid),
    /// A well-formed frame that was not allowed (zap §10.2).
    Ignored { code: Code, why: Ignored },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Malformed(e) => write!(f, "malformed frame: {e} (zap §10.1); closing"),
            Notice::Ignored { code, why } => write!(f, "ignored {code} ({}): {why}", code.name()),
        }
    }
}

impl sans_io::Note for Notice {
    /// Both are the peer's to multiply: budgeted.
    fn repeats(&self) -> bool {
        true
    }
}

/// Why a well-formed frame was ignored (zap §10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// 05, 08 or 10 on a connection that is not online (zap §9.2).
    NotOnline,
    /// `src`/`creator` is not the connection's id (zap §9.2).
    Spoofed { claimed: Uid, online_as: Uid },
    /// 03 with an id that is not a registered user (zap §5.3).
    UnknownId(Uid),
    /// 05 to an id that is neither a user nor a group (zap §6.1).
    UnknownRecipient(Uid),
    /// 05 to a group by someone who is not in it (zap §9.3).
    NotMember { group: Uid },
    /// 08 for which nothing from `src` up to `timestamp` was delivered to
    /// the reader (zap §7.2, D15).
    NothingDelivered { src: Uid, timestamp: u64 },
    /// 10 naming an id that is not a registered user (zap §8.1).
    UnknownMember(Uid),
    /// Every 13-digit id has been assigned (zap §9.1).
    IdsExhausted,
    /// A frame only a server sends (zap §2); the framing layer reports these
    /// as malformed, so this is reached only by a driver that skips it.
    WrongDirection,
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ignored::NotOnline => f.write_str("connection is not online; send 03 first (zap §9.2)"),
            Ignored::Spoofed { claimed, online_as } => {
                write!(
                    f,
                    "claims to be {claimed} but the connection is online as {online_as} (zap §9.2)"
                )
            }
            Ignored::UnknownId(id) => write!(f, "{id} is not a registered user (zap §5.3)"),
            Ignored::UnknownRecipient(id) => {
                write!(f, "recipient {id} is neither a user nor a group (zap §6.1)")
            }
            Ignored::NotMember { group } => {
                write!(f, "sender is not a member of group {group} (zap §9.3)")
            }
            Ignored::NothingDelivered { src, timestamp } => write!(
                f,
                "nothing from {src} with timestamp at most {timestamp:010} was delivered to this reader (zap §7.2, D15)"
            ),
            Ignored::UnknownMember(id) => {
                write!(f, "member {id} is not a registered user (zap §8.1)")
            }
            Ignored::IdsExhausted => f.write_str("every 13-digit id is taken (zap §9.1)"),
            Ignored::WrongDirection => f.write_str("a code only the server sends (zap §2)"),
        }
    }
}
