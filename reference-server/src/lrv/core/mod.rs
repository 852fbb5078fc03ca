//! The LRV server as a plain synchronous state machine (sans-I/O): the
//! [`sans_io::Core`] of lrv. No sockets, no clock, no database, no
//! randomness of its own: the driver feeds each connection's buffer,
//! applies [`StoreOp`]s to its store before it writes the replies, and
//! passes in the draw's [`Entropy`]. A run is a pure function of its inputs
//! — what the unit tests, which drive it through [`Sim`](crate::sans_io::Sim),
//! rely on.
//!
//! # Layout
//!
//! - `action.rs` — what it asks of its driver besides the shared
//!   [`Effect`](crate::sans_io::Effect)s: [`StoreOp`], [`LateSale`],
//!   [`Notice`], [`Rejection`], [`CloseReason`].
//! - `snapshot.rs` — [`Snapshot`] and [`Draw`], the durable state, and the
//!   store's contract in memory.
//! - `entropy.rs` — [`Entropy`], the draw's source, and a seeded one.
//! - `framing.rs` — lines off a byte stream (lrv §3.3
//!   L1–L5), empty and over-long lines, pipelining (§8.5).
//! - `read.rs` — one line's content as a request: strict, or as the
//!   tolerated variants a quirk accepts (§6.1).
//! - `requests.rs` — what each request does and gets (§6, §8, §9.2).
//! - `raffle.rs` — CPFs, purchases, the draw (§8.2–§8.4).
//! - `replies.rs` — the bytes of the greeting and every reply (§5, §7).

mod action;
mod entropy;
mod framing;
mod raffle;
mod read;
mod replies;
mod requests;
mod snapshot;

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::lrv::{Cpf, Number};

pub use action::{Action, CloseReason, LateSale, Notice, Rejection, StoreOp};
pub use entropy::{Entropy, Seeded};
pub use replies::BANNER;
pub use snapshot::{Draw, Snapshot};

use crate::ConnId;
use crate::fault::{Fault, Quirk};
use crate::sans_io::{self, Backlog, Fed, Frame, Input, Now, QueueLimit};
use raffle::Raffle;
use replies::Style;

/// The owner of what fault `buy-unregistered` sells to a connection with
/// no CPF: eleven zeros, which no `REGISTRAR` can claim (lrv §4.1).
pub const ANONYMOUS: &str = "00000000000";

/// What a core is told at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreConfig {
    /// N (lrv §4.2).
    pub size: Number,
    pub faults: BTreeSet<Fault>,
    pub quirks: BTreeSet<Quirk>,
    /// Replies handed to one connection and not yet written before it is
    /// closed as a slow reader (lrv §10.2).
    pub max_queue: usize,
    /// Bytes of those replies before it is closed as a slow reader
    /// (lrv §10.2); a lone reply is never refused for its size.
    pub max_queue_bytes: usize,
    /// Invalid requests (answered `400`, §9.2) on one connection before it
    /// is closed (lrv §10.2).
    pub max_rejected: usize,
}

impl CoreConfig {
    pub fn new(size: Number) -> Self {
        CoreConfig {
            size,
            faults: BTreeSet::new(),
            quirks: BTreeSet::new(),
            max_queue: 10_000,
            max_queue_bytes: 1 << 20,
            max_rejected: 1_000,
        }
    }

    fn queue_limit(&self) -> QueueLimit {
        QueueLimit::new(self.max_queue, self.max_queue_bytes)
    }
}

/// One connection as the core sees it (lrv §8.1).
#[derive(Debug, Default)]
struct Conn {
    /// `Some` once registered (lrv §6.2).
    cpf: Option<Cpf<'static>>,
    /// Dropping the rest of an over-long line (lrv §3.3 L3).
    discarding: bool,
    /// Lines sent and not yet reported written.
    unwritten: Backlog,
    /// Requests answered `400` so far (lrv §9.2, §10.2).
    rejected: usize,
    /// Quirk `keep-open-after-sair`: answered `204` and stayed open; what
    /// follows is not read (lrv §6.8).
    left: bool,
}

/// The LRV server's state machine. See the module docs.
#[derive(Debug)]
pub struct Core {
    cfg: CoreConfig,
    style: Style,
    raffle: Raffle,
    conns: BTreeMap<ConnId, Conn>,
    entropy: Box<dyn Entropy>,
    anonymous: Cpf<'static>,
}

impl Core {
    /// A core holding `snapshot`'s state, with no connections.
    pub fn new(cfg: CoreConfig, snapshot: Snapshot, entropy: Box<dyn Entropy>) -> Core {
        let quirk = |q| cfg.quirks.contains(&q);
        let style = Style {
            crlf: quirk(Quirk::Crlf),
            no_newline: quirk(Quirk::NoNewline),
            human: quirk(Quirk::HumanText),
            descending: quirk(Quirk::Unordered),
        };
        Core {
            raffle: Raffle::new(cfg.size, snapshot),
            style,
            cfg,
            conns: BTreeMap::new(),
            entropy,
            anonymous: Cpf::parse(ANONYMOUS).expect("ANONYMOUS is 11 digits"),
        }
    }

    pub fn config(&self) -> &CoreConfig {
        &self.cfg
    }

    /// The draw, once there is one.
    pub fn draw(&self) -> Option<&Draw> {
        self.raffle.draw()
    }

    /// lrv §5: the greeting, first, before anything is read.
    fn greet(&mut self, conn: ConnId, out: &mut Vec<Action>) {
        self.conns.insert(conn, Conn::default());
        if !self.has(Fault::NoGreeting) {
            let greeting = self.style.greeting();
            self.send(conn, greeting, out);
        }
        if self.quirk(Quirk::Banner) {
            let banner = self.style.banner();
            self.send(conn, banner, out);
        }
    }

    /// Queues one line for `conn`, or closes it as a slow reader: more
    /// than `max_queue` lines or `max_queue_bytes` bytes would wait to be
    /// written (lrv §10.2).
    fn send(&mut self, conn: ConnId, bytes: Vec<u8>, out: &mut Vec<Action>) {
        let limit = self.cfg.queue_limit();
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        if !c.unwritten.fits(limit, &[bytes.len()]) {
            let (lines, queued) = (c.unwritten.frames() + 1, c.unwritten.bytes() + bytes.len());
            self.conns.remove(&conn);
            out.push(Action::Close {
                conn,
                reason: CloseReason::SlowReader {
                    lines,
                    bytes: queued,
                },
            });
            return;
        }
        c.unwritten.push(bytes.len());
        out.push(Action::Send {
            conn,
            frames: vec![Frame::plain(bytes)],
        });
    }

    fn has(&self, fault: Fault) -> bool {
        self.cfg.faults.contains(&fault)
    }

    fn quirk(&self, quirk: Quirk) -> bool {
        self.cfg.quirks.contains(&quirk)
    }

    /// The number of connections the core knows.
    pub fn connections(&self) -> usize {
        self.conns.len()
    }

    /// The CPF `conn` is registered as.
    pub fn registered_as(&self, conn: ConnId) -> Option<&Cpf<'static>> {
        self.conns.get(&conn)?.cpf.as_ref()
    }
}

/// The LRV core as every driver sees it: one line is one frame.
impl sans_io::Core for Core {
    type Op = StoreOp;
    type Ask = LateSale;
    type Answer = LateSale;
    type Notice = Notice;
    type Reason = CloseReason;
    type Crash = Rejection;
    type Memory = Snapshot;

    /// A request line's content, and its CRLF (lrv §3.3 L3).
    const MAX_FRAME_LEN: usize = gabarito_codec::lrv::MAX_REQUEST_LEN + 2;
    const BAD_INPUT: &'static str = "invalid request";

    /// What must be stored before the first connection is served: the draw
    /// of a store sold out with none (lrv §8.4), or, under fault
    /// `redraw-on-restart`, a new one.
    fn start(&mut self) -> Vec<StoreOp> {
        let draw = match self.raffle.draw() {
            Some(_) if self.has(Fault::RedrawOnRestart) => {
                Some(self.raffle.redraw(&mut *self.entropy, &self.anonymous))
            }
            None if self.raffle.sold_out() => {
                Some(self.raffle.draw_now(&mut *self.entropy, &self.anonymous))
            }
            _ => None,
        };
        draw.map(StoreOp::Draw).into_iter().collect()
    }

    fn opened(&mut self, _: Now, conn: ConnId, out: &mut Vec<Action>) {
        self.greet(conn, out);
    }

    fn feed(&mut self, _: Now, input: Input<'_>, out: &mut Vec<Action>) -> Fed {
        self.lines(input, out)
    }

    fn written(&mut self, _: Now, conn: ConnId, lines: usize, _: &[u64], _: &mut Vec<Action>) {
        if let Some(c) = self.conns.get_mut(&conn) {
            c.unwritten.written(lines);
        }
    }

    fn closed(&mut self, _: Now, conn: ConnId, _: &mut Vec<Action>) {
        self.conns.remove(&conn);
    }

    /// Fault `double-sale`'s late half.
    fn answer(&mut self, _: Now, sale: LateSale, out: &mut Vec<Action>) {
        self.sell_late(sale, out);
    }
}

#[cfg(test)]
mod tests;
