//! [`MemStore`]: the zap store's contract in memory — what `sqlite.rs`
//! must agree with (its tests hold the two to the same result), and the
//! store the [`Sim`](crate::sans_io::Sim) drives the core on.

use std::collections::{BTreeMap, BTreeSet};

use super::core::{Core, LoadRequest, Loaded, Seq, Snapshot, StoreOp, StoredItem, Uid};
use crate::sans_io::{Memory, Reply};

/// The store's contract, in memory: what the SQLite store must agree with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemStore {
    next_id: u64,
    users: BTreeSet<Uid>,
    groups: BTreeMap<Uid, Vec<Uid>>,
    pending: BTreeMap<Seq, StoredItem>,
    delivered: BTreeMap<(Uid, Uid), u64>,
}

impl Default for MemStore {
    fn default() -> Self {
        MemStore {
            next_id: Snapshot::default().next_id,
            users: BTreeSet::new(),
            groups: BTreeMap::new(),
            pending: BTreeMap::new(),
            delivered: BTreeMap::new(),
        }
    }
}

impl Memory<Core> for MemStore {
    fn apply(&mut self, op: &StoreOp) {
        match op {
            StoreOp::AddUser { id, next_id } => {
                self.users.insert(*id);
                self.next_id = *next_id;
            }
            StoreOp::AddGroup {
                id,
                members,
                next_id,
            } => {
                self.groups.insert(*id, members.clone());
                self.next_id = *next_id;
            }
            StoreOp::Push(item) => {
                self.pending.insert(item.seq, item.clone());
            }
            StoreOp::Remove { recipient, seq } => {
                if self
                    .pending
                    .get(seq)
                    .is_some_and(|i| i.recipient == *recipient)
                {
                    self.pending.remove(seq);
                }
            }
            StoreOp::Delivered {
                reader,
                src,
                timestamp,
            } => {
                self.delivered.insert((*reader, *src), *timestamp);
            }
        }
    }

    /// A page is read at once.
    fn answer(&self, r: LoadRequest) -> Reply<Loaded> {
        Reply::Now(Loaded {
            conn: r.conn,
            load: r.load,
            items: self.load(&r),
        })
    }
}

impl MemStore {
    /// The page `r` asks for (zap §9.4: oldest first).
    pub fn load(&self, r: &LoadRequest) -> Vec<StoredItem> {
        let from = r.after.map_or(Seq(0), |s| Seq(s.0 + 1));
        self.pending
            .range(from..)
            .map(|(_, i)| i)
            .filter(|i| i.recipient == r.recipient)
            .take(r.limit)
            .cloned()
            .collect()
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut users: BTreeMap<Uid, u64> = self.users.iter().map(|u| (*u, 0)).collect();
        for item in self.pending.values() {
            *users.entry(item.recipient).or_insert(0) += 1;
        }
        Snapshot {
            next_id: self.next_id,
            next_seq: Snapshot::seq_after(self.pending.keys().next_back().copied()),
            users,
            groups: self.groups.clone(),
            delivered: self.delivered.clone(),
        }
    }

    /// Items stored for `user`, oldest first.
    pub fn pending_for(&self, user: Uid) -> Vec<&StoredItem> {
        self.pending
            .values()
            .filter(|i| i.recipient == user)
            .collect()
    }

    /// Items stored for everyone.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }
}
