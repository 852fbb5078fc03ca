//! The zap message: one variant per code (zap §5–§8).

use super::code::Code;
use super::fields::{GroupMembers, Id, RequestedMembers, Text, Timestamp};

/// The fields shared by a 05 (client sends) and a 06 (server delivers):
/// zap §6.1, §6.2. A 06 carries the 05's fields unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chat<'a> {
    /// The originator.
    pub src: Id<'a>,
    /// The recipient: a user, or a group (zap §9.3).
    pub dst: Id<'a>,
    /// When the originator sent it, set by the originator's client.
    pub timestamp: Timestamp<'a>,
    /// The text.
    pub data: Text<'a>,
}

impl Chat<'_> {
    /// Detaches the chat from the buffer it was decoded from.
    pub fn into_owned(self) -> Chat<'static> {
        Chat {
            src: self.src.into_owned(),
            dst: self.dst.into_owned(),
            timestamp: self.timestamp.into_owned(),
            data: self.data.into_owned(),
        }
    }

    /// A borrowed copy, so passing a chat never clones its fields.
    pub fn reborrow(&self) -> Chat<'_> {
        Chat {
            src: self.src.reborrow(),
            dst: self.dst.reborrow(),
            timestamp: self.timestamp.reborrow(),
            data: self.data.reborrow(),
        }
    }
}

/// A zap message. Every value of this type is valid on the wire: its fields
/// were validated when they were built.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Message<'a> {
    /// `01` — ask for a new id (zap §5.1).
    Register,
    /// `02` — the new id (zap §5.2).
    Registered {
        /// The id the server assigned.
        id: Id<'a>,
    },
    /// `03` — go online as `id` (zap §5.3).
    Connect {
        /// The client's id, from a 02.
        id: Id<'a>,
    },
    /// `05` — a message from the client (zap §6.1).
    Send(Chat<'a>),
    /// `06` — a message delivered by the server (zap §6.2).
    Deliver(Chat<'a>),
    /// `07` — everything to `dst` up to `timestamp` was delivered (zap §7.1).
    Delivered {
        /// Who received.
        dst: Id<'a>,
        /// The timestamp of the last message delivered.
        timestamp: Timestamp<'a>,
    },
    /// `08` — the sender read what `src` sent up to `timestamp` (zap §7.2).
    Read {
        /// Who sent what was read.
        src: Id<'a>,
        /// The timestamp of the last message read.
        timestamp: Timestamp<'a>,
    },
    /// `09` — `dst` read what you sent up to `timestamp` (zap §7.3).
    ReadNotice {
        /// Who read.
        dst: Id<'a>,
        /// Copied from the 08.
        timestamp: Timestamp<'a>,
    },
    /// `10` — create a group of `creator` and `members` (zap §8.1).
    CreateGroup {
        /// The sender's own id.
        creator: Id<'a>,
        /// When the creator sent it.
        timestamp: Timestamp<'a>,
        /// The other members, 0 to 7; the creator is not repeated.
        members: RequestedMembers<'a>,
    },
    /// `11` — you are in group `group` with `members` (zap §8.2).
    GroupCreated {
        /// The new group's id.
        group: Id<'a>,
        /// When the server created it.
        timestamp: Timestamp<'a>,
        /// 1 to 8 ids: the creator, then the others.
        members: GroupMembers<'a>,
    },
}

impl Message<'_> {
    /// The code this message is sent with.
    pub fn code(&self) -> Code {
        match self {
            Message::Register => Code::Register,
            Message::Registered { .. } => Code::Registered,
            Message::Connect { .. } => Code::Connect,
            Message::Send(_) => Code::Send,
            Message::Deliver(_) => Code::Deliver,
            Message::Delivered { .. } => Code::Delivered,
            Message::Read { .. } => Code::Read,
            Message::ReadNotice { .. } => Code::ReadNotice,
            Message::CreateGroup { .. } => Code::CreateGroup,
            Message::GroupCreated { .. } => Code::GroupCreated,
        }
    }

    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Message<'static> {
        match self {
            Message::Register => Message::Register,
            Message::Registered { id } => Message::Registered {
                id: id.into_owned(),
            },
            Message::Connect { id } => Message::Connect {
                id: id.into_owned(),
            },
            Message::Send(c) => Message::Send(c.into_owned()),
            Message::Deliver(c) => Message::Deliver(c.into_owned()),
            Message::Delivered { dst, timestamp } => Message::Delivered {
                dst: dst.into_owned(),
                timestamp: timestamp.into_owned(),
            },
            Message::Read { src, timestamp } => Message::Read {
                src: src.into_owned(),
                timestamp: timestamp.into_owned(),
            },
            Message::ReadNotice { dst, timestamp } => Message::ReadNotice {
                dst: dst.into_owned(),
                timestamp: timestamp.into_owned(),
            },
            Message::CreateGroup {
                creator,
                timestamp,
                members,
            } => Message::CreateGroup {
                creator: creator.into_owned(),
                timestamp: timestamp.into_owned(),
                members: members.into_owned(),
            },
            Message::GroupCreated {
                group,
                timestamp,
                members,
            } => Message::GroupCreated {
                group: group.into_owned(),
                timestamp: timestamp.into_owned(),
                members: members.into_owned(),
            },
        }
    }

    /// The fields in wire order as `(name, value)`, for reports and the
    /// `decode` command; names are those of the layout tables.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![("code", self.code().as_str().to_owned())];
        match self {
            Message::Register => {}
            Message::Registered { id } | Message::Connect { id } => v.push(("id", id.to_string())),
            Message::Send(c) | Message::Deliver(c) => {
                v.push(("src", c.src.to_string()));
                v.push(("dst", c.dst.to_string()));
                v.push(("timestamp", c.timestamp.to_string()));
                v.push(("data", c.data.to_string()));
            }
            Message::Delivered { dst, timestamp } | Message::ReadNotice { dst, timestamp } => {
                v.push(("dst", dst.to_string()));
                v.push(("timestamp", timestamp.to_string()));
            }
            Message::Read { src, timestamp } => {
                v.push(("src", src.to_string()));
                v.push(("timestamp", timestamp.to_string()));
            }
            Message::CreateGroup {
                creator,
                timestamp,
                members,
            } => {
                v.push(("creator", creator.to_string()));
                v.push(("timestamp", timestamp.to_string()));
                v.extend(members.iter().map(|m| ("member", m.to_string())));
            }
            Message::GroupCreated {
                group,
                timestamp,
                members,
            } => {
                v.push(("group", group.to_string()));
                v.push(("timestamp", timestamp.to_string()));
                v.extend(members.iter().map(|m| ("member", m.to_string())));
            }
        }
        v
    }
}
