//! Recording messages and receipts, and reading the history back.

use gabarito_codec::zap::{Chat, Id, Timestamp};
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;

use super::{Profile, Result, parse_id};
use crate::zap::event::Incoming;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Sent; no 07 covers it yet (for a group: not every member has one).
    Sent,
    /// A 07 covers it for every recipient (zap §7.1).
    Delivered,
    /// A 09 covers it for every recipient (zap §7.3); for a received
    /// message, we sent an 08 covering it (zap §7.2).
    Read,
    /// Received, and no read receipt sent yet.
    Unread,
}

/// One message of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Local order of arrival or sending; unique, unlike timestamps.
    pub seq: i64,
    /// The peer's id, or the group's.
    pub conversation: String,
    pub outgoing: bool,
    pub sender: String,
    /// The sender's clock (zap §6.1), POSIX seconds.
    pub timestamp: u64,
    pub text: String,
    pub state: State,
    /// For a message we sent: how many recipients it has (1, or the other
    /// members of a group) and how many receipts came back.
    pub recipients: u32,
    pub delivered: u32,
    pub read: u32,
}

impl Entry {
    /// The mark a person sees: `·` sent, `✓` delivered, `✓✓` read, with
    /// counts while a group message is only partly through.
    pub fn mark(&self) -> String {
        if !self.outgoing {
            return match self.state {
                State::Unread => "(new)".to_owned(),
                _ => String::new(),
            };
        }
        let base = match self.state {
            State::Sent => "·",
            State::Delivered => "✓",
            State::Read | State::Unread => "✓✓",
        };
        if self.recipients > 1 && self.read < self.recipients {
            if self.state == State::Delivered {
                return format!("✓ ({}/{} read)", self.read, self.recipients);
            }
            if self.delivered > 0 {
                return format!("· ({}/{} delivered)", self.delivered, self.recipients);
            }
        }
        base.to_owned()
    }
}

/// A conversation and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    pub id: String,
    pub messages: u64,
    pub unread: u64,
    pub last_timestamp: u64,
    pub last_seq: i64,
}

const ENTRY: &str =
    "SELECT m.seq, m.conversation, m.outgoing, m.sender, m.timestamp, m.body, m.seen,
    (SELECT count(*) FROM recipients r WHERE r.seq = m.seq),
    (SELECT count(*) FROM recipients r WHERE r.seq = m.seq AND r.delivered),
    (SELECT count(*) FROM recipients r WHERE r.seq = m.seq AND r.read)
  FROM messages m";

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let outgoing: bool = r.get(2)?;
    let seen: bool = r.get(6)?;
    let recipients: u32 = r.get(7)?;
    let delivered: u32 = r.get(8)?;
    let read: u32 = r.get(9)?;
    let state = if !outgoing {
        if seen { State::Read } else { State::Unread }
    } else if recipients > 0 && read == recipients {
        State::Read
    } else if recipients > 0 && delivered == recipients {
        State::Delivered
    } else {
        State::Sent
    };
    Ok(Entry {
        seq: r.get(0)?,
        conversation: r.get(1)?,
        outgoing,
        sender: r.get(3)?,
        timestamp: r.get::<_, i64>(4)?.max(0) as u64,
        text: r.get(5)?,
        state,
        recipients,
        delivered,
        read,
    })
}

impl Profile {
    /// Records a message we sent to `chat.dst`, awaiting receipts from
    /// each of `recipients` (the peer, or the group's other members).
    pub fn record_sent(&self, chat: &Chat<'_>, recipients: &[Id<'_>]) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO messages (conversation, outgoing, sender, timestamp, body, seen)
             VALUES (?1, 1, ?2, ?3, ?4, 1)",
            params![
                chat.dst.as_str(),
                chat.src.as_str(),
                chat.timestamp.secs() as i64,
                chat.data.as_str()
            ],
        )?;
        let seq = self.conn.last_insert_rowid();
        for r in recipients {
            self.conn.execute(
                "INSERT OR IGNORE INTO recipients (seq, peer) VALUES (?1, ?2)",
                params![seq, r.as_str()],
            )?;
        }
        Ok(seq)
    }

    /// The recipients a message to `to` awaits receipts from: the user, or
    /// a known group's members but us (zap §9.3).
    pub fn recipients_of(&self, to: &Id<'_>, me: &Id<'_>) -> Result<Vec<Id<'static>>> {
        match self.group(to)? {
            Some(g) => g
                .members
                .iter()
                .filter(|m| m.as_str() != me.as_str())
                .map(|m| parse_id(m))
                .collect(),
            None => Ok(vec![to.clone().into_owned()]),
        }
    }

    /// Records a delivered message (zap §6.2). Its conversation is the
    /// sender, or the group when `to` is not us (zap §9.3).
    pub fn record_received(&self, m: &Incoming, me: &Id<'_>) -> Result<Entry> {
        let conversation = if m.to == *me { &m.from } else { &m.to };
        self.conn.execute(
            "INSERT INTO messages (conversation, outgoing, sender, timestamp, body, seen)
             VALUES (?1, 0, ?2, ?3, ?4, 0)",
            params![
                conversation.as_str(),
                m.from.as_str(),
                m.timestamp.secs() as i64,
                m.text.as_str()
            ],
        )?;
        let seq = self.conn.last_insert_rowid();
        self.entry(seq)?.ok_or_else(|| {
            super::ProfileError::Corrupt(format!("message {seq} vanished after insert"))
        })
    }

    /// A 07: every message we sent to `to` (directly or in a group) with a
    /// timestamp up to `up_to` was delivered to it (zap §7.1, D14).
    /// Returns the messages that changed.
    pub fn apply_delivered(&self, to: &Id<'_>, up_to: &Timestamp<'_>) -> Result<Vec<i64>> {
        self.update_receipts(
            "UPDATE recipients SET delivered = 1
             WHERE peer = ?1 AND delivered = 0
               AND seq IN (SELECT seq FROM messages WHERE outgoing = 1 AND timestamp <= ?2)
             RETURNING seq",
            to,
            up_to,
        )
    }

    /// A 09: `by` read what we sent it up to `up_to` (zap §7.3); reading
    /// implies delivery.
    pub fn apply_read(&self, by: &Id<'_>, up_to: &Timestamp<'_>) -> Result<Vec<i64>> {
        self.update_receipts(
            "UPDATE recipients SET read = 1, delivered = 1
             WHERE peer = ?1 AND read = 0
               AND seq IN (SELECT seq FROM messages WHERE outgoing = 1 AND timestamp <= ?2)
             RETURNING seq",
            by,
            up_to,
        )
    }

    fn update_receipts(&self, sql: &str, peer: &Id<'_>, up_to: &Timestamp<'_>) -> Result<Vec<i64>> {
        let mut st = self.conn.prepare(sql)?;
        let mut seqs = st
            .query_map(params![peer.as_str(), up_to.secs() as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<i64>>>()?;
        seqs.sort_unstable();
        Ok(seqs)
    }

    pub fn entry(&self, seq: i64) -> Result<Option<Entry>> {
        Ok(self
            .conn
            .query_row(&format!("{ENTRY} WHERE m.seq = ?1"), [seq], entry)
            .optional()?)
    }

    /// The last `limit` messages of a conversation (all if `None`), oldest
    /// first.
    pub fn history(&self, conversation: &Id<'_>, limit: Option<usize>) -> Result<Vec<Entry>> {
        let limit = limit.map_or(-1, |l| l.min(i64::MAX as usize) as i64);
        let mut st = self.conn.prepare(&format!(
            "SELECT * FROM ({ENTRY} WHERE m.conversation = ?1 ORDER BY m.seq DESC LIMIT ?2)
             ORDER BY 1"
        ))?;
        let rows = st.query_map(params![conversation.as_str(), limit], entry)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Received messages with no read receipt sent, oldest first; of one
    /// conversation, or of all.
    pub fn unread(&self, conversation: Option<&Id<'_>>) -> Result<Vec<Entry>> {
        let mut st = self.conn.prepare(&format!(
            "{ENTRY} WHERE m.outgoing = 0 AND m.seen = 0
               AND (?1 IS NULL OR m.conversation = ?1)
             ORDER BY m.seq"
        ))?;
        let rows = st.query_map([conversation.map(Id::as_str)], entry)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The read receipts (08) that would cover `entries`: for each sender,
    /// the latest timestamp (zap §7.2 names the originator, not the
    /// conversation).
    pub fn receipts_for(entries: &[Entry]) -> Result<Vec<(Id<'static>, Timestamp<'static>)>> {
        let mut out: Vec<(Id<'static>, u64)> = Vec::new();
        for e in entries.iter().filter(|e| !e.outgoing) {
            let id = parse_id(&e.sender)?;
            match out.iter_mut().find(|(s, _)| *s == id) {
                Some((_, t)) => *t = (*t).max(e.timestamp),
                None => out.push((id, e.timestamp)),
            }
        }
        out.into_iter()
            .map(|(id, t)| {
                Timestamp::from_secs(t)
                    .map(|ts| (id, ts))
                    .ok_or_else(|| super::ProfileError::Corrupt(format!("timestamp {t}")))
            })
            .collect()
    }

    /// Marks received messages as read (their 08 was sent).
    pub fn mark_seen(&self, seqs: &[i64]) -> Result<()> {
        let mut st = self
            .conn
            .prepare("UPDATE messages SET seen = 1 WHERE seq = ?1 AND outgoing = 0")?;
        for s in seqs {
            st.execute([s])?;
        }
        Ok(())
    }

    /// Every conversation, the most recent first.
    pub fn conversations(&self) -> Result<Vec<Conversation>> {
        let mut st = self.conn.prepare(
            "SELECT conversation, count(*), sum(outgoing = 0 AND seen = 0),
                    max(timestamp), max(seq)
             FROM messages GROUP BY conversation ORDER BY max(seq) DESC",
        )?;
        let rows = st.query_map([], |r| {
            Ok(Conversation {
                id: r.get(0)?,
                messages: r.get::<_, i64>(1)?.max(0) as u64,
                unread: r.get::<_, i64>(2)?.max(0) as u64,
                last_timestamp: r.get::<_, i64>(3)?.max(0) as u64,
                last_seq: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Messages sent and received, and of those sent how many still lack a
    /// delivery receipt.
    pub fn counts(&self) -> Result<(u64, u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM messages WHERE outgoing = 1),
                    (SELECT count(*) FROM messages WHERE outgoing = 0),
                    (SELECT count(DISTINCT seq) FROM recipients WHERE delivered = 0)",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?.max(0) as u64,
                    r.get::<_, i64>(1)?.max(0) as u64,
                    r.get::<_, i64>(2)?.max(0) as u64,
                ))
            },
        )?)
    }
}
