//! Generic tokio plumbing, in the style of tokio's mini-redis: it moves
//! bytes and knows no protocol. The runtime (`hub/`) plugs in through
//! [`Service`]: it decodes (and acts on) the frames at the head of a
//! connection's buffer, and is told when a connection opens, closes and has
//! written what it was sent.
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
//! - `backoff.rs` — the accept loop's pacing when accepting fails.

mod accept;
mod backoff;
mod conn;
mod reader;
mod registry;
mod writer;

use std::time::Duration;

use gabarito_codec::framing::End;
use tokio::sync::oneshot;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub(crate) use accept::accept_loop;
pub(crate) use registry::{Batches, Registry};

use crate::ConnId;
use crate::sans_io::{Fed, Frame};

/// Resolves when the effects of what a [`Service`] was fed are committed
/// and dispatched; an error means the store is gone.
pub(crate) type Ack = oneshot::Receiver<()>;

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
    /// and acts on them in order ([`Core::feed`](crate::sans_io::Core::feed));
    /// the ack resolves when their effects are committed and dispatched
    /// (`None` when there were none).
    fn feed(&self, conn: ConnId, buf: &[u8], end: End, max: usize) -> (Fed, Option<Ack>);
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
