//! The encoder: canonical, unpadded frames (zap §3.2), written into the
//! caller's buffer. It cannot fail: a [`Message`] is valid by construction.

use super::message::{Chat, Message};
use crate::sink::Sink;

impl Message<'_> {
    /// Appends the canonical frame to `out`.
    pub fn encode(&self, out: &mut impl Sink) {
        out.put(self.code().as_str().as_bytes());
        match self {
            Message::Register => {}
            Message::Registered { id } | Message::Connect { id } => out.put(id.as_str().as_bytes()),
            Message::Send(chat) | Message::Deliver(chat) => encode_chat(chat, out),
            Message::Delivered { dst: id, timestamp }
            | Message::Read { src: id, timestamp }
            | Message::ReadNotice { dst: id, timestamp } => {
                out.put(id.as_str().as_bytes());
                out.put(timestamp.as_str().as_bytes());
            }
            Message::CreateGroup {
                creator: id,
                timestamp,
                members,
            } => {
                out.put(id.as_str().as_bytes());
                out.put(timestamp.as_str().as_bytes());
                out.put(members.as_str().as_bytes());
            }
            Message::GroupCreated {
                group: id,
                timestamp,
                members,
            } => {
                out.put(id.as_str().as_bytes());
                out.put(timestamp.as_str().as_bytes());
                out.put(members.as_str().as_bytes());
            }
        }
    }

    /// The canonical frame as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encoded_len());
        self.encode(&mut v);
        v
    }

    /// The length of the canonical frame, for reserving.
    pub fn encoded_len(&self) -> usize {
        2 + match self {
            Message::Register => 0,
            Message::Registered { .. } | Message::Connect { .. } => 13,
            Message::Send(c) | Message::Deliver(c) => 36 + c.data.as_str().len(),
            Message::Delivered { .. } | Message::Read { .. } | Message::ReadNotice { .. } => 23,
            Message::CreateGroup { members, .. } => 23 + members.as_str().len(),
            Message::GroupCreated { members, .. } => 23 + members.as_str().len(),
        }
    }
}

fn encode_chat(chat: &Chat<'_>, out: &mut impl Sink) {
    out.put(chat.src.as_str().as_bytes());
    out.put(chat.dst.as_str().as_bytes());
    out.put(chat.timestamp.as_str().as_bytes());
    out.put(chat.data.as_str().as_bytes());
}
