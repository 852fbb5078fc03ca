//! A deterministic in-memory driver for the zap [`Core`]: [`MemStore`], the
//! model of the durable store, and [`Sim`], which dispatches actions at once
//! and in order. The unit tests and the `session` fuzz target drive the
//! core through it; it has no dependencies beyond the codec.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use gabarito_codec::zap::{Direction, End, Invalid, Message, decode, decode_stream};

use super::core::{
    Action, Core, CoreConfig, Event, LoadRequest, Notice, OutFrame, Seq, Snapshot, StoreOp,
    StoredItem, Uid,
};
use crate::ConnId;

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

impl MemStore {
    pub fn apply(&mut self, op: &StoreOp) {
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

#[derive(Debug, Default)]
struct SimConn {
    open: bool,
    /// A reading peer has every frame written as soon as it is sent; a
    /// paused one leaves them queued (a slow reader).
    paused: bool,
    queue: VecDeque<Vec<OutFrame>>,
    written: Vec<Vec<u8>>,
}

/// The core, a [`MemStore`], and peers that read (or not), stepped
/// synchronously. Everything is deterministic: same calls, same results.
#[derive(Debug)]
pub struct Sim {
    cfg: CoreConfig,
    core: Core,
    store: MemStore,
    /// The clock handed to the core (POSIX seconds).
    pub now: u64,
    next_conn: u64,
    conns: BTreeMap<ConnId, SimConn>,
    notices: Vec<(ConnId, Notice)>,
    crashed: Option<Invalid>,
}

impl Sim {
    pub fn new(cfg: CoreConfig) -> Sim {
        let store = MemStore::default();
        Sim {
            core: Core::new(cfg.clone(), store.snapshot()),
            cfg,
            store,
            now: 1_700_000_000,
            next_conn: 1,
            conns: BTreeMap::new(),
            notices: Vec::new(),
            crashed: None,
        }
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    pub fn store(&self) -> &MemStore {
        &self.store
    }

    /// A peer connects.
    pub fn open(&mut self) -> ConnId {
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        self.conns.insert(
            conn,
            SimConn {
                open: true,
                ..SimConn::default()
            },
        );
        self.step(Event::Opened { conn });
        conn
    }

    /// The peer sends one frame.
    pub fn send(&mut self, conn: ConnId, message: Message<'_>) {
        if self.is_open(conn) {
            self.step(Event::Frame { conn, message });
        }
    }

    /// The peer writes `bytes` and pauses: decoded by the rules of zap §3.4
    /// with a read boundary at the end; a malformed frame closes it.
    pub fn send_bytes(&mut self, conn: ConnId, bytes: &[u8]) {
        let mut rest = bytes;
        while self.is_open(conn) && !rest.is_empty() {
            match decode_stream(rest, Direction::ToServer, End::Boundary) {
                Ok(d) => {
                    let len = d.len;
                    self.step(Event::Frame {
                        conn,
                        message: d.message,
                    });
                    rest = &rest[len..];
                }
                Err(gabarito_codec::zap::DecodeError::Incomplete { .. }) => break,
                Err(gabarito_codec::zap::DecodeError::Invalid(error)) => {
                    self.step(Event::Malformed { conn, error });
                    break;
                }
            }
        }
    }

    /// The peer hangs up.
    pub fn close(&mut self, conn: ConnId) {
        if let Some(c) = self.conns.get_mut(&conn) {
            if c.open {
                c.open = false;
                self.step(Event::Closed { conn });
            }
        }
    }

    /// Stops (or resumes) reading: a paused peer's frames stay queued.
    pub fn set_paused(&mut self, conn: ConnId, paused: bool) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.paused = paused;
        }
        if !paused {
            let mut events = VecDeque::new();
            self.flush(conn, &mut events);
            self.drain(events);
        }
    }

    pub fn is_open(&self, conn: ConnId) -> bool {
        self.conns.get(&conn).is_some_and(|c| c.open)
    }

    /// The frames written to `conn` since the last call, as written.
    pub fn take_written(&mut self, conn: ConnId) -> Vec<Vec<u8>> {
        self.conns
            .get_mut(&conn)
            .map(|c| std::mem::take(&mut c.written))
            .unwrap_or_default()
    }

    /// The frames written to `conn` since the last call, decoded.
    pub fn take_messages(&mut self, conn: ConnId) -> Result<Vec<Message<'static>>, Invalid> {
        self.take_written(conn)
            .iter()
            .map(|f| decode(f).map(|d| d.message.into_owned()))
            .collect()
    }

    pub fn take_notices(&mut self) -> Vec<(ConnId, Notice)> {
        std::mem::take(&mut self.notices)
    }

    /// Set when fault `crash-on-malformed` stopped the server.
    pub fn crashed(&self) -> Option<&Invalid> {
        self.crashed.as_ref()
    }

    /// A restart: every connection drops, a new core starts from the store.
    pub fn restart(&mut self) {
        for c in self.conns.values_mut() {
            c.open = false;
            c.queue.clear();
        }
        self.core = Core::new(self.cfg.clone(), self.store.snapshot());
        self.crashed = None;
    }

    fn step(&mut self, event: Event<'_>) {
        let actions = self.core.handle(self.now, event);
        let mut events = VecDeque::new();
        self.apply(actions, &mut events);
        self.drain(events);
    }

    fn drain(&mut self, mut events: VecDeque<Event<'static>>) {
        while let Some(event) = events.pop_front() {
            let actions = self.core.handle(self.now, event);
            self.apply(actions, &mut events);
        }
    }

    /// Like the runtime: a call's store ops first, then its other actions
    /// in order; the events they cause are queued.
    fn apply(&mut self, actions: Vec<Action>, events: &mut VecDeque<Event<'static>>) {
        let (stores, rest): (Vec<_>, Vec<_>) = actions
            .into_iter()
            .partition(|a| matches!(a, Action::Store(_)));
        for a in stores {
            if let Action::Store(op) = a {
                self.store.apply(&op);
            }
        }
        let mut touched = Vec::new();
        for a in rest {
            match a {
                Action::Send { conn, frames } => {
                    if let Some(c) = self.conns.get_mut(&conn).filter(|c| c.open) {
                        c.queue.push_back(frames);
                        touched.push(conn);
                    }
                }
                Action::Close { conn, .. } => {
                    if let Some(c) = self.conns.get_mut(&conn) {
                        if c.open {
                            c.open = false;
                            c.queue.clear();
                            events.push_back(Event::Closed { conn });
                        }
                    }
                }
                Action::Load(r) => {
                    let items = self.store.load(&r);
                    events.push_back(Event::Loaded {
                        conn: r.conn,
                        load: r.load,
                        items,
                    });
                }
                Action::Notice { conn, notice } => self.notices.push((conn, notice)),
                Action::Crash { error, .. } => {
                    self.crashed = Some(error);
                    for c in self.conns.values_mut() {
                        c.open = false;
                        c.queue.clear();
                    }
                }
                Action::Store(_) => {}
            }
        }
        for conn in touched {
            self.flush(conn, events);
        }
    }

    /// A reading peer takes everything queued for it.
    fn flush(&mut self, conn: ConnId, events: &mut VecDeque<Event<'static>>) {
        let Some(c) = self.conns.get_mut(&conn).filter(|c| c.open && !c.paused) else {
            return;
        };
        while let Some(batch) = c.queue.pop_front() {
            let frames = batch.len();
            let items = batch.iter().filter_map(|f| f.item).collect();
            c.written.extend(batch.into_iter().map(|f| f.bytes));
            events.push_back(Event::Written {
                conn,
                frames,
                items,
            });
        }
    }
}
