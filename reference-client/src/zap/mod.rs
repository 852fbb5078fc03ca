//! The zap client (`spec/zap.md`).
//!
//! # Layout
//!
//! - `error.rs` — zap's ways to build a [`ClientError`], the crate's one
//!   error type.
//! - `event.rs` — [`Event`]: what the server sends, owned.
//! - `reader.rs` — [`FrameReader`]: tolerant framing (zap §3.4–§3.6) with
//!   the settle time of R5.
//! - `writer.rs` — [`FrameWriter`]: one frame per write, paced (zap §3.2).
//! - `client.rs` — [`Client`]: connect, register, login, send, mark read,
//!   create group, events; [`Sender`]/[`Events`] halves.
//! - `profile/` — [`Profile`]: the persistent id, contacts, groups and
//!   history (seed 001).
//! - `sync.rs` — [`apply`]: an event into the profile, as a [`Change`].
//! - `session.rs` — [`Session`]: a connection bound to a profile, storing
//!   everything received before it is shown.

mod client;
mod error;
mod event;
pub mod profile;
mod reader;
mod session;
mod sync;
mod writer;

pub use crate::error::ClientError;
pub use client::{Client, ClientConfig, Events, Sender, group_members, now, text};
pub use event::{Event, GARBAGE_SHOWN, GroupNotice, Incoming};
/// The codec's field types, which the API takes and returns.
pub use gabarito_codec::zap::{Chat, Id, Text, Timestamp};
pub use profile::{Contact, Conversation, Entry, Group, Profile, ProfileError, State, Target};
pub use reader::FrameReader;
pub use session::{Session, SessionError};
pub use sync::{Change, Receipt, apply};
pub use writer::FrameWriter;
