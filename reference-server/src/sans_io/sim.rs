//! [`Sim`]: any [`Core`] driven in memory, synchronously and
//! deterministically, the way the runtime drives it (`hub/`, `net/`): one
//! buffer per connection fed until no whole frame is left, a boundary when
//! the core says a frame is open and the peer pauses, or at EOF; a call's
//! store ops applied to the core's [`Memory`] before its other effects;
//! writers that report what they wrote unless their peer stopped reading;
//! restarts from the store. The core's unit tests and the `*_session` fuzz
//! targets drive their cores through it.

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use gabarito_codec::framing::End;

use super::effect::{Effect, Frame, Memory, Reply};
use super::machine::{Core, Input, Next, Now};
use crate::ConnId;

/// Frames per feed when none is set: the runtime reader's.
const FRAMES_PER_FEED: usize = 64;

/// How far past the longest frame a buffer may grow before the runtime
/// reader gives up on it (`net/reader.rs`: its read size).
const READ_CHUNK: usize = 4096;

/// One connection: what its peer sent that the core has not taken, and
/// what was written to it.
#[derive(Debug, Default)]
struct Pipe {
    live: bool,
    /// A paused peer reads nothing: its frames stay queued (a slow reader).
    paused: bool,
    buf: Vec<u8>,
    /// The core's last word: a frame waits for a boundary.
    open: bool,
    queue: VecDeque<Vec<Frame>>,
    written: Vec<Vec<u8>>,
}

/// What the driver feeds back after a call, in order.
enum Then<C: Core> {
    Written {
        conn: ConnId,
        frames: usize,
        tokens: Vec<u64>,
    },
    Closed(ConnId),
    Answer(C::Answer),
}

/// A core, its store in memory, and peers that read (or not).
#[derive(Debug)]
pub struct Sim<C: Core> {
    core: C,
    store: C::Memory,
    /// The clock handed to the core.
    pub now: Now,
    /// Frames per [`Core::feed`].
    max: usize,
    next_conn: u64,
    pipes: BTreeMap<ConnId, Pipe>,
    /// Every effect, in the order the core produced them.
    log: Vec<Effect<C>>,
    crashed: Option<C::Crash>,
}

impl<C: Core> Sim<C> {
    /// `core` on an empty store (build it from `C::Memory::default()`).
    pub fn new(core: C) -> Sim<C> {
        Sim::with_store(C::Memory::default(), core)
    }

    /// `core` on `store` (build it from that store's state); what the
    /// core must store at start is applied at once.
    pub fn with_store(store: C::Memory, core: C) -> Sim<C> {
        let mut sim = Sim {
            core,
            store,
            now: Now {
                unix: 1_700_000_000,
                mono: Instant::now(),
            },
            max: FRAMES_PER_FEED,
            next_conn: 1,
            pipes: BTreeMap::new(),
            log: Vec::new(),
            crashed: None,
        };
        sim.start();
        sim
    }

    fn start(&mut self) {
        for op in self.core.start() {
            self.store.apply(&op);
            self.log.push(Effect::Store(op));
        }
    }

    /// Frames per [`Core::feed`] call, at least 1.
    pub fn set_max(&mut self, max: usize) {
        self.max = max.max(1);
    }

    pub fn core(&self) -> &C {
        &self.core
    }

    pub fn store(&self) -> &C::Memory {
        &self.store
    }

    /// A restart: every connection drops, and `core` — built from
    /// [`Sim::store`] — takes over.
    pub fn restart(&mut self, core: C) {
        for p in self.pipes.values_mut() {
            p.live = false;
            p.queue.clear();
            p.buf.clear();
        }
        self.core = core;
        self.crashed = None;
        self.start();
    }

    /// A peer connects.
    pub fn open(&mut self) -> ConnId {
        let conn = ConnId(self.next_conn);
        self.next_conn += 1;
        self.pipes.insert(
            conn,
            Pipe {
                live: true,
                ..Pipe::default()
            },
        );
        self.call(|core, now, out| core.opened(now, conn, out));
        conn
    }

    /// `bytes` arrive on `conn` as one read; more may follow.
    pub fn read(&mut self, conn: ConnId, bytes: &[u8]) {
        if let Some(p) = self.live(conn) {
            p.buf.extend_from_slice(bytes);
            self.take(conn, End::More);
        }
    }

    /// Nothing more arrives within the settle time: a boundary, if the core
    /// said a frame is open (zap §3.4 R5, lrv §3.3 L4).
    pub fn pause(&mut self, conn: ConnId) {
        if self.live(conn).is_some_and(|p| p.open) {
            self.take(conn, End::Boundary);
        }
    }

    /// The peer writes `bytes` and pauses.
    pub fn write(&mut self, conn: ConnId, bytes: &[u8]) {
        self.read(conn, bytes);
        self.pause(conn);
    }

    /// The peer closes: EOF is a boundary for what is left, then the
    /// connection is gone.
    pub fn close(&mut self, conn: ConnId) {
        if self.live(conn).is_some() {
            self.take(conn, End::Boundary);
        }
        self.reset(conn);
    }

    /// The connection breaks: gone, with no EOF read.
    pub fn reset(&mut self, conn: ConnId) {
        if let Some(p) = self.live(conn) {
            p.live = false;
            p.buf.clear();
            self.call(|core, now, out| core.closed(now, conn, out));
        }
    }

    /// Stops (or resumes) reading: a paused peer's frames stay queued.
    pub fn set_paused(&mut self, conn: ConnId, paused: bool) {
        if let Some(p) = self.pipes.get_mut(&conn) {
            p.paused = paused;
        }
        if !paused {
            let mut then = VecDeque::new();
            self.deliver(conn, &mut then);
            self.drain(then);
        }
    }

    pub fn is_open(&self, conn: ConnId) -> bool {
        self.pipes.get(&conn).is_some_and(|p| p.live)
    }

    /// Whether the core said a frame of `conn` waits for a boundary;
    /// `None` once it is closed.
    pub fn frame_open(&self, conn: ConnId) -> Option<bool> {
        self.pipes.get(&conn).filter(|p| p.live).map(|p| p.open)
    }

    /// Bytes `conn` sent that the core has not taken; `None` once closed.
    pub fn buffered(&self, conn: ConnId) -> Option<usize> {
        self.pipes
            .get(&conn)
            .filter(|p| p.live)
            .map(|p| p.buf.len())
    }

    /// The frames written to `conn` since the last call, as written.
    pub fn take_written(&mut self, conn: ConnId) -> Vec<Vec<u8>> {
        self.pipes
            .get_mut(&conn)
            .map(|p| std::mem::take(&mut p.written))
            .unwrap_or_default()
    }

    /// Every effect since the last call, in the order the core produced
    /// them.
    pub fn take_effects(&mut self) -> Vec<Effect<C>> {
        std::mem::take(&mut self.log)
    }

    /// The notices since the last call (the other effects are dropped).
    pub fn take_notices(&mut self) -> Vec<(ConnId, C::Notice)> {
        self.take_effects()
            .into_iter()
            .filter_map(|e| match e {
                Effect::Notice { conn, notice } => Some((conn, notice)),
                _ => None,
            })
            .collect()
    }

    /// Set when fault `crash-on-malformed` stopped the server, until the
    /// next restart.
    pub fn crashed(&self) -> Option<&C::Crash> {
        self.crashed.as_ref()
    }

    fn live(&mut self, conn: ConnId) -> Option<&mut Pipe> {
        self.pipes.get_mut(&conn).filter(|p| p.live)
    }

    /// Feeds `conn`'s buffer until no whole frame is left, as the runtime
    /// reader does, checking what the reader relies on.
    fn take(&mut self, conn: ConnId, end: End) {
        let Some(buf) = self.live(conn).map(|p| std::mem::take(&mut p.buf)) else {
            return;
        };
        let mut start = 0;
        let next = loop {
            let rest = &buf[start..];
            let (now, max) = (self.now, self.max);
            let mut out = Vec::new();
            let input = Input {
                conn,
                buf: rest,
                end,
                max,
            };
            let fed = self.core.feed(now, input, &mut out);
            assert!(
                fed.consumed <= rest.len(),
                "feed consumed {} of {} bytes",
                fed.consumed,
                rest.len()
            );
            assert!(
                fed.frames <= max,
                "feed took {} frames, max {max}",
                fed.frames
            );
            start += fed.consumed;
            self.settle(out);
            if self.live(conn).is_none() {
                // Closed by what it sent (a slow reader) or by a crash.
                return;
            }
            match fed.next {
                Next::More => assert!(fed.frames > 0, "Next::More without a frame taken"),
                // Every effect is performed before `feed` returns here.
                Next::Wait => {}
                // The clock moves on to when the core lets it go on.
                Next::Pause(until) => self.now.mono = self.now.mono.max(until),
                next => break next,
            }
        };
        match next {
            Next::NeedMore { open } => {
                assert!(
                    !(open && end == End::Boundary),
                    "a frame still open after a boundary"
                );
                let rest = buf.len() - start;
                assert!(
                    rest <= C::MAX_FRAME_LEN + READ_CHUNK,
                    "{rest} bytes left with no whole frame: the runtime reader overflows"
                );
                if let Some(p) = self.live(conn) {
                    p.buf = buf;
                    p.buf.drain(..start);
                    p.open = open;
                }
            }
            // Close: what was written stays written; the connection goes.
            _ => self.reset(conn),
        }
    }

    /// One call of the core, then everything it leads to.
    fn call(&mut self, f: impl FnOnce(&mut C, Now, &mut Vec<Effect<C>>)) {
        let mut out = Vec::new();
        f(&mut self.core, self.now, &mut out);
        self.settle(out);
    }

    /// Performs `out`, then feeds back what that leads to until nothing
    /// more does.
    fn settle(&mut self, out: Vec<Effect<C>>) {
        let mut then = VecDeque::new();
        self.perform(out, &mut then);
        self.drain(then);
    }

    fn drain(&mut self, mut then: VecDeque<Then<C>>) {
        while let Some(t) = then.pop_front() {
            let now = self.now;
            let mut out = Vec::new();
            match t {
                Then::Written {
                    conn,
                    frames,
                    tokens,
                } => self.core.written(now, conn, frames, &tokens, &mut out),
                Then::Closed(conn) => self.core.closed(now, conn, &mut out),
                Then::Answer(a) => self.core.answer(now, a, &mut out),
            }
            self.perform(out, &mut then);
        }
    }

    /// Like the runtime: a call's store ops first, then its other effects
    /// in order; what they lead to is queued in `then`. The Sim has no
    /// time to wait through: a [`Reply::After`] is answered at once.
    fn perform(&mut self, out: Vec<Effect<C>>, then: &mut VecDeque<Then<C>>) {
        for e in &out {
            if let Effect::Store(op) = e {
                self.store.apply(op);
            }
        }
        let mut touched = Vec::new();
        for e in &out {
            match e {
                Effect::Send { conn, frames } => {
                    if let Some(p) = self.live(*conn) {
                        p.queue.push_back(frames.clone());
                        touched.push(*conn);
                    }
                }
                Effect::Close { conn, .. } => {
                    if let Some(p) = self.live(*conn) {
                        p.live = false;
                        p.queue.clear();
                        p.buf.clear();
                        then.push_back(Then::Closed(*conn));
                    }
                }
                Effect::Ask(ask) => match self.store.answer(ask.clone()) {
                    Reply::Now(a) | Reply::After(_, a) => then.push_back(Then::Answer(a)),
                },
                Effect::Crash { why, .. } => {
                    self.crashed = Some(why.clone());
                    for p in self.pipes.values_mut() {
                        p.live = false;
                        p.queue.clear();
                        p.buf.clear();
                    }
                }
                Effect::Store(_) | Effect::Notice { .. } | Effect::Flush => {}
            }
        }
        for conn in touched {
            self.deliver(conn, then);
        }
        self.log.extend(out);
    }

    /// A reading peer takes everything queued for it; its writer reports
    /// each batch written.
    fn deliver(&mut self, conn: ConnId, then: &mut VecDeque<Then<C>>) {
        let Some(p) = self.pipes.get_mut(&conn).filter(|p| p.live && !p.paused) else {
            return;
        };
        while let Some(batch) = p.queue.pop_front() {
            let frames = batch.len();
            let tokens = batch.iter().filter_map(|f| f.token).collect();
            p.written.extend(batch.into_iter().map(|f| f.bytes));
            then.push_back(Then::Written {
                conn,
                frames,
                tokens,
            });
        }
    }
}
