//! Applying what the server sends to the profile: each [`Event`] becomes a
//! stored change, described by a [`Change`] so a front end can show it.

use gabarito_codec::zap::Id;

use super::event::Event;
use super::profile::{Entry, Group, Profile, ProfileError};

/// Which receipt arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// A 07 (zap §7.1).
    Delivered,
    /// A 09 (zap §7.3).
    Read,
}

/// What one event changed in the profile.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A message arrived and was stored.
    Message(Entry),
    /// A receipt from `peer` moved these messages (possibly none: a receipt
    /// for what was already marked, or for messages this profile never
    /// sent).
    Receipt {
        kind: Receipt,
        peer: Id<'static>,
        updated: Vec<Entry>,
    },
    /// We are in a group (zap §8.2); `new` is false for a repeated notice.
    Group { group: Group, new: bool },
    /// A 02 that no request of ours asked for: ignored.
    StrayRegistered { id: Id<'static> },
    /// Bytes that were not zap (zap §3.6): ignored, reported.
    Garbage {
        bytes: Vec<u8>,
        len: usize,
        reason: String,
    },
}

/// Stores `event` in `profile` for the user `me`.
pub fn apply(profile: &Profile, me: &Id<'_>, event: Event) -> Result<Change, ProfileError> {
    Ok(match event {
        Event::Message(m) => Change::Message(profile.record_received(&m, me)?),
        Event::Delivered { to, up_to } => {
            let seqs = profile.apply_delivered(&to, &up_to)?;
            Change::Receipt {
                kind: Receipt::Delivered,
                updated: entries(profile, &seqs)?,
                peer: to,
            }
        }
        Event::Read { by, up_to } => {
            let seqs = profile.apply_read(&by, &up_to)?;
            Change::Receipt {
                kind: Receipt::Read,
                updated: entries(profile, &seqs)?,
                peer: by,
            }
        }
        Event::Group(g) => {
            let new = profile.save_group(&g)?;
            let group = profile
                .group(&g.group)?
                .ok_or_else(|| ProfileError::Corrupt(format!("group {} not saved", g.group)))?;
            Change::Group { group, new }
        }
        Event::Registered { id } => Change::StrayRegistered { id },
        Event::Garbage { bytes, len, reason } => Change::Garbage { bytes, len, reason },
    })
}

fn entries(profile: &Profile, seqs: &[i64]) -> Result<Vec<Entry>, ProfileError> {
    let mut out = Vec::with_capacity(seqs.len());
    for &s in seqs {
        if let Some(e) = profile.entry(s)? {
            out.push(e);
        }
    }
    Ok(out)
}
