//! A [`Session`]: a connection logged in as a profile's user, whose every
//! received item is stored in the profile before it is shown — the server
//! counts an item as delivered once written to us (zap §9.4), so whatever
//! it wrote must be on our disk before we let go of it.

use std::time::Duration;

use gabarito_codec::zap::Id;

use super::client::{Client, ClientConfig};
use super::profile::{Entry, Group, Profile, ProfileError, Target};
use super::sync::{self, Change};
use crate::error::ClientError;

/// How many already-received items are stored in one transaction.
const BATCH: usize = 256;

/// Why a session failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("this profile has no id yet: run `reference-client register` first")]
    NotRegistered,
    #[error("no server address: pass --server HOST:PORT (it is remembered)")]
    NoServer,
}

pub type Result<T, E = SessionError> = std::result::Result<T, E>;

/// A logged-in connection bound to a profile.
#[derive(Debug)]
pub struct Session {
    client: Client,
    me: Id<'static>,
    closed: bool,
}

impl Session {
    /// Connects to `addr` and logs in as the profile's id (zap §5.3).
    pub async fn open(profile: &Profile, addr: &str, config: ClientConfig) -> Result<Session> {
        let me = profile.id()?.ok_or(SessionError::NotRegistered)?;
        let mut client = Client::connect_with(addr, config).await?;
        client.login(me.clone()).await?;
        Ok(Session {
            client,
            me,
            closed: false,
        })
    }

    pub fn me(&self) -> &Id<'static> {
        &self.me
    }

    /// Waits for the next item, then stores it and every item already
    /// received behind it in one transaction. `Ok(None)`: the server closed
    /// the connection. Cancel-safe (nothing is awaited after an item is
    /// taken).
    pub async fn next(&mut self, profile: &Profile) -> Result<Option<Vec<Change>>> {
        if self.closed {
            return Ok(None);
        }
        let Some(first) = self.client.next_event().await? else {
            self.closed = true;
            return Ok(None);
        };
        let mut events = vec![first];
        while events.len() < BATCH {
            match self.client.buffered_event() {
                Some(e) => events.push(e),
                None => break,
            }
        }
        let me = &self.me;
        let changes = profile.batch(|p| {
            events
                .into_iter()
                .map(|e| sync::apply(p, me, e))
                .collect::<Result<Vec<_>, _>>()
        })?;
        Ok(Some(changes))
    }

    /// Stores items until nothing arrives for `quiet` (or the server
    /// closes); calls `seen` with each change as it is stored.
    pub async fn settle(
        &mut self,
        profile: &Profile,
        quiet: Duration,
        mut seen: impl FnMut(&Change),
    ) -> Result<()> {
        loop {
            match tokio::time::timeout(quiet, self.next(profile)).await {
                Err(_) | Ok(Ok(None)) => return Ok(()),
                Ok(Ok(Some(changes))) => changes.iter().for_each(&mut seen),
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    /// Leaves without losing anything: half-closes, then stores what the
    /// server had already written until it closes too (bounded by `wait`,
    /// for servers that never close).
    pub async fn finish(
        mut self,
        profile: &Profile,
        wait: Duration,
        mut seen: impl FnMut(&Change),
    ) -> Result<()> {
        if self.closed {
            return Ok(());
        }
        if self.client.shutdown().await.is_err() {
            // Already gone: nothing more can arrive.
            return Ok(());
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.next(profile)).await {
                Err(_) | Ok(Ok(None)) => return Ok(()),
                Ok(Ok(Some(changes))) => changes.iter().for_each(&mut seen),
                // A reset after our FIN is how some servers close.
                Ok(Err(SessionError::Client(e))) if e.is_disconnect() => return Ok(()),
                Ok(Err(e)) => return Err(e),
            }
        }
    }

    /// Sends `text` to a user or group and records it (zap §6.1). Checked
    /// before anything is written: a text over 218 characters is refused
    /// here, not by the server.
    pub async fn send(&mut self, profile: &Profile, to: &Target, text: &str) -> Result<Entry> {
        super::client::text(text)?;
        let recipients = profile.recipients_of(to.id(), &self.me)?;
        let chat = self.client.send(to.id(), text).await?;
        let seq = profile.record_sent(&chat, &recipients)?;
        profile
            .entry(seq)?
            .ok_or_else(|| ProfileError::Corrupt(format!("message {seq} vanished")).into())
    }

    /// Sends read receipts (08) for every unread message of `conversation`
    /// (all conversations if `None`) and marks them read (zap §7.2).
    /// Returns the messages marked.
    pub async fn mark_read(
        &mut self,
        profile: &Profile,
        conversation: Option<&Id<'_>>,
    ) -> Result<Vec<Entry>> {
        let unread = profile.unread(conversation)?;
        for (from, up_to) in Profile::receipts_for(&unread)? {
            self.client.mark_read(&from, &up_to).await?;
            let seqs: Vec<i64> = unread
                .iter()
                .filter(|e| e.sender == from.as_str())
                .map(|e| e.seq)
                .collect();
            profile.mark_seen(&seqs)?;
        }
        Ok(unread)
    }

    /// Creates a group of us and `members` (zap §8.1), named `name` here.
    /// Other items that arrive meanwhile are stored by the next
    /// [`Session::next`].
    pub async fn create_group(
        &mut self,
        profile: &Profile,
        members: &[Id<'_>],
        name: Option<&str>,
    ) -> Result<Group> {
        if let Some(name) = name {
            profile.check_free_name(name)?;
        }
        let notice = self.client.create_group(members).await?;
        profile
            .batch(|p| {
                p.save_group(&notice)?;
                if let Some(name) = name {
                    p.name_group(&notice.group, name)?;
                }
                p.group(&notice.group)?.ok_or_else(|| {
                    ProfileError::Corrupt(format!("group {} not saved", notice.group))
                })
            })
            .map_err(Into::into)
    }
}
