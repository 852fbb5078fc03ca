//! What the server sends a client, as owned values (zap §5.2, §6.2, §7.1,
//! §7.3, §8.2), plus the bytes that were not zap at all (zap §3.6).

use gabarito_codec::zap::{Id, Message, Text, Timestamp};

/// One thing the server told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A `06`: a message for us, or for a group we are in (then `to` is the
    /// group's id, zap §9.3).
    Message(Incoming),
    /// A `07`: everything we sent to `to` with a timestamp up to `up_to` was
    /// delivered (zap §7.1; cumulative, D14). For a group message `to` is
    /// the member it reached.
    Delivered {
        to: Id<'static>,
        up_to: Timestamp<'static>,
    },
    /// A `09`: `by` read what we sent it up to `up_to` (zap §7.3, D13).
    Read {
        by: Id<'static>,
        up_to: Timestamp<'static>,
    },
    /// An `11`: we are in `group`; `members[0]` is its creator (zap §8.2).
    Group(GroupNotice),
    /// A `02` nobody asked for in this call (zap §5.2): reported, not acted on.
    Registered { id: Id<'static> },
    /// Bytes that are no zap frame — a greeting banner, an invented reply
    /// (`04…`, `00 error`), line noise. Skipped, never fatal (zap §3.6, D12).
    Garbage {
        /// The first bytes skipped (at most [`GARBAGE_SHOWN`]).
        bytes: Vec<u8>,
        /// How many bytes were skipped in all.
        len: usize,
        /// What the decoder found wrong, with the byte offset.
        reason: String,
    },
}

/// How many skipped bytes an [`Event::Garbage`] keeps to show.
pub const GARBAGE_SHOWN: usize = 64;

/// A delivered message (zap §6.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub from: Id<'static>,
    /// Our id, or a group's.
    pub to: Id<'static>,
    /// The sender's clock, never rewritten by the server (zap §12 D5).
    pub timestamp: Timestamp<'static>,
    pub text: Text<'static>,
}

/// A group notice (zap §8.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNotice {
    pub group: Id<'static>,
    /// The server's clock when it created the group.
    pub timestamp: Timestamp<'static>,
    /// The creator first, then the others in the order of the 10.
    pub members: Vec<Id<'static>>,
}

impl Event {
    /// The event a server-to-client frame means; `None` for a frame a server
    /// never sends (the decoder already refuses those, zap §2).
    pub fn from_message(m: Message<'static>) -> Option<Event> {
        Some(match m {
            Message::Deliver(c) => Event::Message(Incoming {
                from: c.src,
                to: c.dst,
                timestamp: c.timestamp,
                text: c.data,
            }),
            Message::Delivered { dst, timestamp } => Event::Delivered {
                to: dst,
                up_to: timestamp,
            },
            Message::ReadNotice { dst, timestamp } => Event::Read {
                by: dst,
                up_to: timestamp,
            },
            Message::GroupCreated {
                group,
                timestamp,
                members,
            } => Event::Group(GroupNotice {
                group,
                timestamp,
                members: members.iter().map(Id::into_owned).collect(),
            }),
            Message::Registered { id } => Event::Registered { id },
            Message::Register
            | Message::Connect { .. }
            | Message::Send(_)
            | Message::Read { .. }
            | Message::CreateGroup { .. } => return None,
        })
    }
}
