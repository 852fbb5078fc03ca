//! Any line of a papo connection, as the stream decoder returns it: which
//! one it is follows from what the receiver expected ([`Expect`]).
//!
//! [`Expect`]: super::Expect

use super::client::{ChatLine, NicknameLine};
use super::server::ServerLine;

/// A decoded line of either direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Message<'a> {
    /// A client line at the prompt (papo §5.2).
    Nickname(NicknameLine<'a>),
    /// A client line in the chat (papo §5.1).
    Chat(ChatLine<'a>),
    /// A server line (papo §6.1).
    Server(ServerLine<'a>),
}

impl Message<'_> {
    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Message<'static> {
        match self {
            Message::Nickname(m) => Message::Nickname(m.into_owned()),
            Message::Chat(m) => Message::Chat(m.into_owned()),
            Message::Server(m) => Message::Server(m.into_owned()),
        }
    }
}

impl<'a> From<NicknameLine<'a>> for Message<'a> {
    fn from(m: NicknameLine<'a>) -> Self {
        Message::Nickname(m)
    }
}

impl<'a> From<ChatLine<'a>> for Message<'a> {
    fn from(m: ChatLine<'a>) -> Self {
        Message::Chat(m)
    }
}

impl<'a> From<ServerLine<'a>> for Message<'a> {
    fn from(m: ServerLine<'a>) -> Self {
        Message::Server(m)
    }
}
