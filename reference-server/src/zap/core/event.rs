//! What happens to the core: everything it learns arrives as an [`Event`].

use gabarito_codec::zap::{Invalid, Message};

use super::types::{LoadId, Seq, StoredItem};
use crate::ConnId;

/// An input to [`Core::handle`](super::Core::handle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    /// A connection was accepted. Its state is *unregistered* (zap §9.2).
    Opened { conn: ConnId },
    /// A frame was decoded from `conn`'s byte stream (zap §3.4).
    Frame { conn: ConnId, message: Message<'a> },
    /// `conn` sent bytes that are not a frame (zap §10.1).
    Malformed { conn: ConnId, error: Invalid },
    /// `conn`'s writer finished writing `frames` frames of what the core
    /// sent it, among them the stored `items`, in order. Written items leave
    /// the store (zap §9.4) and written 06s produce their 07s (zap §7.1).
    Written {
        conn: ConnId,
        frames: usize,
        items: Vec<Seq>,
    },
    /// The answer to [`Action::Load`](super::Action::Load): the oldest
    /// stored items of the request's recipient after its cursor.
    Loaded {
        conn: ConnId,
        load: LoadId,
        items: Vec<StoredItem>,
    },
    /// The connection is gone (EOF, error, timeout, or a close the core
    /// asked for). Frames not yet written stay stored.
    Closed { conn: ConnId },
}
