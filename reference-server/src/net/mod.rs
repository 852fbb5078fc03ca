//! Generic tokio plumbing, in the style of tokio's mini-redis: it moves
//! bytes and knows no protocol. A protocol plugs in through [`Service`]:
//! it decodes (and acts on) the frames at the head of a connection's
//! buffer, and is told when a connection opens, closes and has written what
//! it was sent.
//!
//! # Layout
//!
//! - `mod.rs` — [`Service`] and the types it trades in.
//! - `accept.rs` — the accept loop: connection limit, graceful shutdown.
//! - `reader.rs` — one connection's read side: settle time (zap §3.4 R5,
//!   lrv §3.3 L4), idle timeout, pipelining bounded by commit
//!   acknowledgements, no buffer held while idle.
//! - `writer.rs` — one connection's write side: one frame per write, a
//!   backlog as a stream (zap §11.2), glued or delayed by quirk; reporting
//!   what was written.
//! - `conn.rs` — one connection from accept to close, tying the two together.
//! - `registry.rs` — live connections by [`ConnId`], for dispatching, and
//!   the warnings written about each.
//! - `bucket.rs` — a rate limit with a burst, for a protocol's
//!   [`Next::Pause`].
//! - `backoff.rs` — the accept loop's pacing when accepting fails.

mod accept;
mod backoff;
mod bucket;
mod conn;
mod reader;
mod registry;
mod writer;

use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub(crate) use accept::accept_loop;
pub(crate) use bucket::Bucket;
pub(crate) use registry::{Batches, Registry};

use crate::ConnId;

/// Resolves when the effects of what a [`Service`] was fed are committed
/// and dispatched; an error means the store is gone.
pub(crate) type Ack = oneshot::Receiver<()>;

/// Whether more bytes may follow the buffer (zap §3.4, lrv §3.3 L4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// More may come.
    More,
    /// A read boundary: the peer paused for the settle time, or closed.
    Boundary,
}

/// What a [`Service`] did with the head of a buffer: the whole frames at
/// it, up to the limit it was given, taken and acted on together.
#[derive(Debug)]
pub(crate) struct Fed {
    /// Bytes taken off the head: the frames acted on, and line breaks
    /// before them or before a partial frame (noise that may be dropped).
    pub consumed: usize,
    /// Frames acted on, a malformed one included.
    pub frames: usize,
    /// Resolves when their effects are committed and dispatched; `None`
    /// when nothing was acted on.
    pub ack: Option<Ack>,
    pub next: Next,
}

/// What follows what a [`Service`] took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// The limit was reached; more whole frames may follow.
    More,
    /// No whole frame is left. `open` says a frame would end at a read
    /// boundary, so it is worth waiting only the settle time.
    NeedMore { open: bool },
    /// Feed nothing more until every ack so far has resolved, then go on:
    /// the protocol finishes what it took later (lrv's fault `double-sale`
    /// sells after a delay), and the next frame's reply must not overtake
    /// it (lrv §8.5).
    Wait,
    /// Feed nothing more until this time, then go on from the frame left
    /// at the head: the connection asks faster than a rate limit allows
    /// (zap §11.2: registrations). Its bytes wait in the kernel meanwhile,
    /// so the peer, not the server, holds them.
    Pause(Instant),
    /// The protocol is done with the connection — a malformed zap frame
    /// (zap §10.1), an lrv `SAIR` (lrv §6.8): nothing more is read, and it
    /// closes once the ack resolves and what was queued is written.
    Close,
}

/// One frame for a writer; `token` is reported back once it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame {
    pub bytes: Vec<u8>,
    pub token: Option<u64>,
}

/// The frames one event produced for one connection.
#[derive(Debug)]
pub(crate) struct Batch {
    pub frames: Vec<Frame>,
    pub queued_at: Instant,
}

/// How a writer writes (quirks `glue`, `slow`, `newline`, `no-newline`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WriterStyle {
    /// A batch goes out in one write instead of one write per frame.
    pub glue: bool,
    /// A batch waits this long after it was queued.
    pub delay: Option<Duration>,
    /// Bytes written after every frame.
    pub suffix: &'static [u8],
    /// A pause after every write, frames one at a time even in a backlog:
    /// a line without terminator ends only at a pause (lrv §3.3 L4), so a
    /// writer that sends none must leave one after each (quirk
    /// `no-newline`).
    pub gap: Option<Duration>,
}

/// A protocol, as the connection loop sees it.
pub(crate) trait Service: Send + Sync + 'static {
    /// Takes the whole frames at the head of `buf`, at most `max` of them,
    /// and acts on them in order.
    fn feed(&self, conn: ConnId, buf: &[u8], end: End, max: usize) -> Fed;
    /// A connection was accepted (and registered).
    fn opened(&self, conn: ConnId) -> Ack;
    /// The writer wrote `frames` frames of what it was sent, among them
    /// those carrying `tokens`.
    fn written(&self, conn: ConnId, frames: usize, tokens: Vec<u64>);
    /// The connection is gone.
    fn closed(&self, conn: ConnId);
    fn style(&self) -> WriterStyle;
    /// The longest frame: the buffer never needs to hold much more.
    fn max_frame_len(&self) -> usize;
}

/// Server-wide cancellation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Signals {
    /// Stop reading everywhere, finish what was read, flush, close.
    pub shutdown: CancellationToken,
    /// Drop everything now (a crash fault, a dead store).
    pub abort: CancellationToken,
}
