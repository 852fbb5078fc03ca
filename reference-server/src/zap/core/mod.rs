//! The zap server as a plain synchronous state machine (sans-I/O): the
//! [`sans_io::Core`] of zap — bytes and events in, [`Action`]s out. No
//! sockets, no clock, no database: the driver passes the time in, applies
//! [`StoreOp`]s to its store, answers [`LoadRequest`]s and writes the
//! frames. Ids and sequence numbers come from counters in the state, so a
//! run is a pure function of its inputs — what the unit tests and the
//! `zap_session` fuzz target, both through [`Sim`](crate::sans_io::Sim),
//! rely on.
//!
//! # Layout
//!
//! - `types.rs` — [`Uid`], [`Seq`], [`LoadId`], [`StoredItem`].
//! - `action.rs` — what it asks of its driver besides the shared
//!   [`Effect`](crate::sans_io::Effect)s: [`StoreOp`], [`LoadRequest`] and
//!   its answer [`Loaded`], [`Notice`], [`CloseReason`].
//! - `snapshot.rs` — [`Snapshot`], the durable state a core starts from.
//! - `framing.rs` — frames off a connection's byte stream (zap §3.4, §3.5),
//!   each acted on in turn; malformed ones (§10.1).
//! - `frames.rs` — the bytes of every frame the server writes, with the
//!   faults and quirks that change them.
//! - `register.rs` (01, and its rate limit, §11.2), `connect.rs` (03,
//!   open, close), `chat.rs` (05),
//!   `receipts.rs` (07, 08→09), `group.rs` (10→11) — one job each.
//! - `mailbox.rs` — the per-recipient queue of stored items (zap §9.4): push,
//!   hand to the online connection page by page, retire when written.
//!
//! # The delivery model
//!
//! Every 06, 07, 09 and 11 is *stored* first ([`StoreOp::Push`]) and leaves
//! the store only when the recipient's connection reports it written
//! ([`sans_io::Core::written`]) — online or not, so a crash or a slow reader never
//! loses one (zap §9.4, §11.1), and a 07 means "written to the recipient"
//! (zap §7.1). An item is handed to the online connection at once when the
//! recipient's queue is otherwise empty; otherwise the queue is read from the
//! store a page at a time ([`LoadRequest`]), so memory does not grow with
//! the number of items waiting, and order is the store's order.
//!
//! # What "written" promises, and its limits
//!
//! "Written" means the kernel accepted the frame; zap has no application
//! acknowledgement. So an item leaves the store when it is written
//! (zap §9.4), in the commit that stores its 07: exactly once while the
//! server runs and across a clean stop, never again once its 07 reached the
//! originator, with two unavoidable windows, both at-least-once (never a
//! loss), as zap §9.4 states:
//!
//! - a crash between a write and the commit of its [`StoreOp::Remove`]
//!   resends that item on the next connection;
//! - a connection the core closes (replaced, D11; slow reader, §11.2) may
//!   finish writing a frame it already held after the core forgot it: that
//!   item stays stored and is sent again on the next connection. A slow
//!   reader cut mid-frame gets a truncated last frame, sent again whole.
//!
//! The `--max-queue` and `--max-queue-bytes` bounds (zap §11.2) count
//! frames, and their bytes, sent to a connection and not yet written. A stored backlog is read only as room allows, so a
//! recipient that connects with 100,000 items waiting is not "slow"; one
//! that stops reading while items keep arriving is.

mod action;
mod chat;
mod connect;
mod frames;
mod framing;
mod group;
mod mailbox;
mod receipts;
mod register;
mod snapshot;
mod types;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use gabarito_codec::zap::{Code, Invalid, MAX_FRAME_LEN, Message};

pub use action::{Action, CloseReason, Ignored, LoadRequest, Loaded, Notice, StoreOp};
pub use frames::BANNER;
pub use snapshot::Snapshot;
pub use types::{LoadId, Receipt, Seq, StoredItem, Uid};

use super::memory::MemStore;
use crate::ConnId;
use crate::fault::{Fault, Quirk};
use crate::sans_io::{self, Backlog, Bucket, Fed, Input, Now, QueueLimit};

/// What a core is told at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreConfig {
    pub faults: BTreeSet<Fault>,
    pub quirks: BTreeSet<Quirk>,
    /// Frames handed to one connection and not yet written before it is
    /// closed as a slow reader (zap §11.2).
    pub max_queue: usize,
    /// Bytes of those frames before it is closed as a slow reader
    /// (zap §11.2).
    pub max_queue_bytes: usize,
    /// Well-formed frames ignored on one connection (zap §10.2) before it
    /// is closed (zap §11.2).
    pub max_rejected: usize,
    /// Most stored items read per [`LoadRequest`].
    pub page: usize,
}

impl Default for CoreConfig {
    fn default() -> Self {
        CoreConfig {
            faults: BTreeSet::new(),
            quirks: BTreeSet::new(),
            max_queue: 10_000,
            max_queue_bytes: 1 << 20,
            max_rejected: 1_000,
            page: 256,
        }
    }
}

impl CoreConfig {
    fn queue_limit(&self) -> QueueLimit {
        QueueLimit::new(self.max_queue, self.max_queue_bytes)
    }
}

/// One connection as the core sees it.
#[derive(Debug, Default)]
struct Conn {
    /// Frames sent and not yet reported written: the slow-reader measure.
    unwritten: Backlog,
    /// Frames ignored so far (zap §10.2, §11.2).
    ignored: usize,
    /// `Some` once a 03 made it online (zap §9.2).
    online: Option<Online>,
    /// Its registration rate limit (zap §11.2), from its first 01.
    registrations: Option<Bucket>,
    /// The id last registered on this connection (zap §5.1). Seed 001:
    /// "Após esta etapa o cliente pode já ficar conectado ao servidor ou
    /// não" — a client that stays connected after its 02 may send as that
    /// id without a 03 (D10's other reading); the server accepts it, while
    /// the connection is still not online for deliveries.
    registered: Option<Uid>,
}

/// A connection online as `user`, and where it is in `user`'s queue.
#[derive(Debug)]
struct Online {
    user: Uid,
    /// Items handed to the writer, not yet written, in order.
    handed: VecDeque<Handed>,
    /// The last item handed: the next page starts after it.
    cursor: Option<Seq>,
    /// An outstanding read of the next page, and how many items it must
    /// return at least (all that were stored when it was asked).
    loading: Option<(LoadId, usize)>,
    /// Items passed over without being sent (fault `no-pending-delivery`).
    skipped: u64,
}

#[derive(Debug, Clone, Copy)]
struct Handed {
    seq: Seq,
    receipt: Option<Receipt>,
}

/// The zap server's state machine. See the module docs.
#[derive(Debug)]
pub struct Core {
    cfg: CoreConfig,
    next_id: u64,
    next_seq: u64,
    next_load: u64,
    /// Every user and how many items are stored for it.
    users: BTreeMap<Uid, u64>,
    groups: BTreeMap<Uid, Vec<Uid>>,
    delivered: BTreeMap<(Uid, Uid), u64>,
    conns: BTreeMap<ConnId, Conn>,
    /// The newest connection online as each user (zap §5.3, D11).
    online: BTreeMap<Uid, ConnId>,
}

impl Core {
    /// A core holding `snapshot`'s state, with no connections.
    pub fn new(cfg: CoreConfig, snapshot: Snapshot) -> Core {
        Core {
            cfg,
            next_id: snapshot.next_id,
            next_seq: snapshot.next_seq,
            next_load: 1,
            users: snapshot.users,
            groups: snapshot.groups,
            delivered: snapshot.delivered,
            conns: BTreeMap::new(),
            online: BTreeMap::new(),
        }
    }

    pub fn config(&self) -> &CoreConfig {
        &self.cfg
    }

    fn frame(&mut self, now: u64, conn: ConnId, message: Message<'_>, out: &mut Vec<Action>) {
        match message {
            Message::Register => self.register(conn, out),
            Message::Connect { id } => self.connect(conn, Uid::of(&id), out),
            Message::Send(chat) => self.chat(conn, chat, out),
            Message::Read { src, timestamp } => {
                self.read(conn, Uid::of(&src), timestamp.secs(), out)
            }
            Message::CreateGroup {
                creator,
                timestamp,
                members,
            } => {
                let members: Vec<Uid> = members.iter().map(|m| Uid::of(&m)).collect();
                self.create_group(
                    now,
                    conn,
                    Uid::of(&creator),
                    timestamp.secs(),
                    &members,
                    out,
                )
            }
            m @ (Message::Registered { .. }
            | Message::Deliver(_)
            | Message::Delivered { .. }
            | Message::ReadNotice { .. }
            | Message::GroupCreated { .. }) => {
                self.ignore(conn, m.code(), Ignored::WrongDirection, out)
            }
        }
    }

    /// zap §10.1: log, act on nothing, close (or, with the fault, stop
    /// everything).
    fn malformed(&mut self, conn: ConnId, error: Invalid, out: &mut Vec<Action>) {
        out.push(Action::Notice {
            conn,
            notice: Notice::Malformed(error.clone()),
        });
        if self.has(Fault::CrashOnMalformed) {
            out.push(Action::Crash { conn, why: error });
        }
        self.close(conn, CloseReason::Malformed, out);
    }

    /// zap §10.2: log and ignore; with quirk `close-on-ignore`, close. Past
    /// `max_rejected` ignored frames on one connection, close (zap §11.2):
    /// a peer that only sends what is ignored gets a bounded share of the
    /// server.
    fn ignore(&mut self, conn: ConnId, code: Code, why: Ignored, out: &mut Vec<Action>) {
        out.push(Action::Notice {
            conn,
            notice: Notice::Ignored { code, why },
        });
        if self.quirk(Quirk::CloseOnIgnore) {
            self.close(conn, CloseReason::NotAllowed, out);
            return;
        }
        let max = self.cfg.max_rejected;
        let too_many = self.conns.get_mut(&conn).is_some_and(|c| {
            c.ignored += 1;
            c.ignored > max
        });
        if too_many {
            self.close(conn, CloseReason::TooManyIgnored { max }, out);
        }
    }

    /// Closes `conn` and forgets it: what it was handed and did not write
    /// stays stored for its next connection.
    fn close(&mut self, conn: ConnId, reason: CloseReason, out: &mut Vec<Action>) {
        out.push(Action::Close { conn, reason });
        self.forget(conn);
    }

    fn forget(&mut self, conn: ConnId) {
        if let Some(Conn {
            online: Some(o), ..
        }) = self.conns.remove(&conn)
        {
            if self.online.get(&o.user) == Some(&conn) {
                self.online.remove(&o.user);
            }
        }
    }

    /// Whom a 05, 08 or 10 on `conn` comes from: the user it is online as,
    /// or else the id it registered (D10).
    fn sender(&self, conn: ConnId) -> Option<Uid> {
        let c = self.conns.get(&conn)?;
        c.online.as_ref().map(|o| o.user).or(c.registered)
    }

    /// The user `conn` is online as.
    fn online_user(&self, conn: ConnId) -> Option<Uid> {
        self.conns.get(&conn)?.online.as_ref().map(|o| o.user)
    }

    /// Takes the next id (zap §9.1), or `None` when all are taken.
    fn allocate_id(&mut self) -> Option<Uid> {
        let id = Uid::new(self.next_id)?;
        self.next_id += 1;
        Some(id)
    }

    fn has(&self, fault: Fault) -> bool {
        self.cfg.faults.contains(&fault)
    }

    fn quirk(&self, quirk: Quirk) -> bool {
        self.cfg.quirks.contains(&quirk)
    }

    /// Checks the invariants that tie the maps together; for tests and
    /// fuzzing. Returns the first one broken.
    pub fn check_invariants(&self) -> Result<(), String> {
        for (user, conn) in &self.online {
            let o = self.conns.get(conn).and_then(|c| c.online.as_ref());
            if o.map(|o| o.user) != Some(*user) {
                return Err(format!(
                    "online[{user}] = {conn}, which is not online as {user}"
                ));
            }
        }
        for (conn, c) in &self.conns {
            if let Some(o) = &c.online {
                if self.online.get(&o.user) != Some(conn) {
                    return Err(format!(
                        "{conn} is online as {} but is not its newest connection",
                        o.user
                    ));
                }
                let stored = self.users.get(&o.user).copied().unwrap_or(0);
                if (o.handed.len() as u64) + o.skipped > stored {
                    return Err(format!(
                        "{conn} holds more handed items than {} has stored",
                        o.user
                    ));
                }
                if c.unwritten.frames() > self.cfg.max_queue {
                    return Err(format!(
                        "{conn} has {} unwritten frames, over max_queue",
                        c.unwritten.frames()
                    ));
                }
                if c.unwritten.bytes() > self.cfg.max_queue_bytes && c.unwritten.frames() > 1 {
                    return Err(format!(
                        "{conn} has {} unwritten bytes, over max_queue_bytes",
                        c.unwritten.bytes()
                    ));
                }
            }
        }
        for (group, members) in &self.groups {
            if self.users.contains_key(group) {
                return Err(format!("{group} is both a user and a group"));
            }
            if members.iter().any(|m| !self.users.contains_key(m)) {
                return Err(format!("group {group} has a member who is not a user"));
            }
        }
        Ok(())
    }

    /// The number of connections the core knows.
    pub fn connections(&self) -> usize {
        self.conns.len()
    }

    /// Whether `conn` is online, and as whom.
    pub fn online_as(&self, conn: ConnId) -> Option<Uid> {
        self.online_user(conn)
    }
}

/// The zap core as every driver sees it.
impl sans_io::Core for Core {
    type Op = StoreOp;
    type Ask = LoadRequest;
    type Answer = Loaded;
    type Notice = Notice;
    type Reason = CloseReason;
    type Crash = Invalid;
    type Memory = MemStore;

    const MAX_FRAME_LEN: usize = MAX_FRAME_LEN;
    const BAD_INPUT: &'static str = "malformed frame";

    fn opened(&mut self, _: Now, conn: ConnId, out: &mut Vec<Action>) {
        self.accept(conn, out);
    }

    fn feed(&mut self, now: Now, input: Input<'_>, out: &mut Vec<Action>) -> Fed {
        self.frames(now, input, out)
    }

    fn written(
        &mut self,
        _: Now,
        conn: ConnId,
        frames: usize,
        tokens: &[u64],
        out: &mut Vec<Action>,
    ) {
        self.wrote(conn, frames, tokens, out);
    }

    fn closed(&mut self, _: Now, conn: ConnId, _: &mut Vec<Action>) {
        self.forget(conn);
    }

    fn answer(&mut self, _: Now, page: Loaded, out: &mut Vec<Action>) {
        self.loaded(page.conn, page.load, page.items, out);
    }
}

#[cfg(test)]
mod tests;
