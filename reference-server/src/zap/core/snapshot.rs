//! [`Snapshot`]: the durable state a core starts from.

use std::collections::BTreeMap;

use super::types::{Seq, Uid};

/// What a store holds, minus the item bodies: enough to rebuild a core
/// after a restart (zap §11.1). Item bodies stay in the store and are read
/// page by page when their recipient connects, so a core's memory does not
/// grow with the number of items waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The next id to assign (zap §9.1); may exceed [`Uid::MAX`] once every
    /// id is taken.
    pub next_id: u64,
    /// The next item sequence number: greater than every stored item's.
    pub next_seq: u64,
    /// Every user, with the number of items stored for it.
    pub users: BTreeMap<Uid, u64>,
    /// Every group: the creator first, then the members (zap §8.2).
    pub groups: BTreeMap<Uid, Vec<Uid>>,
    /// `(reader, src)` → the smallest timestamp of a 06 from `src` written
    /// to `reader` (zap §7.2, D15).
    pub delivered: BTreeMap<(Uid, Uid), u64>,
}

impl Default for Snapshot {
    /// A fresh server: no users, ids from 2000000000001 (zap §9.1).
    fn default() -> Self {
        Snapshot {
            next_id: Uid::FIRST.value(),
            next_seq: 1,
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            delivered: BTreeMap::new(),
        }
    }
}

impl Snapshot {
    /// The sequence number after `seq`, for stores computing `next_seq`.
    pub fn seq_after(seq: Option<Seq>) -> u64 {
        seq.map_or(1, |s| s.0 + 1)
    }
}
