//! [`Core`]: what every protocol's sans-I/O state machine is to its
//! drivers — the runtime's `Hub` (`hub/`) and the in-memory [`Sim`](super::Sim)
//! — and the values a call trades in: the time ([`Now`]), the bytes
//! ([`Input`]) and what a feed did with them ([`Fed`], [`Next`]).
//!
//! A core never reads a socket, a clock or a database (docs/ARCHITECTURE.md,
//! "reference-server"): bytes, time and the answers to what it asked come
//! in as arguments, and everything it wants done leaves as an
//! [`Effect`] appended to `out`, in the order it must happen. So one core
//! runs the same under tokio and SQLite as in a unit test or a fuzz target.

use std::fmt;
use std::time::Instant;

use gabarito_codec::framing::End;

use super::effect::{Effect, Memory, Note, Reason};
use crate::ConnId;

/// The time of a call, as the driver tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// POSIX seconds, for timestamps a protocol writes on the wire
    /// (zap §8.2's 11).
    pub unix: u64,
    /// A monotonic instant, for rate limits ([`Bucket`](super::Bucket),
    /// zap §11.2) and [`Next::Pause`].
    pub mono: Instant,
}

/// What a connection's reader hands a core ([`Core::feed`]): the head of
/// its buffer, whether a read boundary ends it, and how many frames to
/// take at most (one lock of the core and one commit for all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input<'a> {
    pub conn: ConnId,
    pub buf: &'a [u8],
    /// Whether more bytes may follow `buf` (the peer paused for the settle
    /// time, or closed, if not).
    pub end: End,
    pub max: usize,
}

/// What a [`Core::feed`] did with the head of a buffer: the whole frames
/// at it, up to the limit it was given, taken and acted on together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fed {
    /// Bytes taken off the head: the frames acted on, and bytes dropped
    /// before them or before a partial frame (line breaks, zap §3.5;
    /// empty lines and the rest of an over-long line, lrv §3.3 L2–L3).
    pub consumed: usize,
    /// Frames acted on, a malformed one included.
    pub frames: usize,
    pub next: Next,
}

/// What follows what a [`Core::feed`] took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The limit was reached; more whole frames may follow.
    More,
    /// No whole frame is left. `open` says a frame would end at a read
    /// boundary (zap §3.4 R5, lrv §3.3 L4), so it is worth waiting only the
    /// settle time.
    NeedMore { open: bool },
    /// Feed nothing more until every effect so far has been performed,
    /// then go on: the core finishes what it took later (lrv's fault
    /// `double-sale` sells after a delay), and the next frame's reply must
    /// not overtake it (lrv §8.5).
    Wait,
    /// Feed nothing more until this time ([`Now::mono`]), then go on from
    /// the frame left at the head: the connection asks faster than a rate
    /// limit allows (zap §11.2: registrations). Its bytes wait in the
    /// kernel meanwhile, so the peer, not the server, holds them.
    Pause(Instant),
    /// The core is done with the connection — a malformed zap frame
    /// (zap §10.1), an lrv `SAIR` (lrv §6.8): nothing more is read, and it
    /// closes once what was queued is written.
    Close,
}

/// A protocol's sans-I/O state machine.
///
/// Every call appends what to do to `out`. A driver applies a call's
/// [`Effect::Store`]s durably before it performs that call's other effects
/// (nothing a frame causes is seen before it is durable: zap §11.1,
/// lrv §10.1), and performs those in order.
pub trait Core: Send + 'static {
    /// A change to durable state.
    type Op: Clone + fmt::Debug + Send + 'static;
    /// The protocol's own effect ([`Effect::Ask`]): something only its
    /// driver can do, answered through [`Core::answer`] (zap: read a page of
    /// stored items; lrv: a sale made later, fault `double-sale`).
    type Ask: Clone + fmt::Debug + Send + 'static;
    /// The answer to an [`Core::Ask`].
    type Answer: Clone + fmt::Debug + Send + 'static;
    /// A log-worthy fact about a connection.
    type Notice: Note;
    /// Why the core closes a connection.
    type Reason: Reason;
    /// What stopped the server under fault `crash-on-malformed`.
    type Crash: Clone + fmt::Display + fmt::Debug + Send + 'static;
    /// The store's contract in memory: what the durable store must agree
    /// with, and the [`Sim`](super::Sim)'s store.
    type Memory: Memory<Self>;

    /// The longest frame a peer may send: a reader never needs to hold much
    /// more (zap §3.1, lrv §3.3 L3).
    const MAX_FRAME_LEN: usize;
    /// What the input that fault `crash-on-malformed` stops on is called
    /// in the log: "malformed frame", "invalid request".
    const BAD_INPUT: &'static str;

    /// What must be durable before the first connection is served (lrv §8.4:
    /// the draw of a store sold out without one). Nothing, by default.
    fn start(&mut self) -> Vec<Self::Op> {
        Vec::new()
    }

    /// A connection was accepted.
    fn opened(&mut self, now: Now, conn: ConnId, out: &mut Vec<Effect<Self>>);

    /// Takes the whole frames at the head of the input's buffer, at most
    /// its `max`, and acts on them in order.
    fn feed(&mut self, now: Now, input: Input<'_>, out: &mut Vec<Effect<Self>>) -> Fed;

    /// `conn`'s writer wrote `frames` frames of what it was sent, among
    /// them those carrying `tokens` ([`Frame::token`](super::Frame::token)).
    fn written(
        &mut self,
        now: Now,
        conn: ConnId,
        frames: usize,
        tokens: &[u64],
        out: &mut Vec<Effect<Self>>,
    );

    /// The connection is gone: EOF, an error, a timeout, or a close the
    /// core asked for.
    fn closed(&mut self, now: Now, conn: ConnId, out: &mut Vec<Effect<Self>>);

    /// The answer to an [`Effect::Ask`].
    fn answer(&mut self, now: Now, answer: Self::Answer, out: &mut Vec<Effect<Self>>);
}
