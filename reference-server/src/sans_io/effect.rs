//! [`Effect`]: everything a [`Core`] asks its driver to do, one type for
//! every protocol with one protocol-specific extension ([`Effect::Ask`]);
//! and the small contracts its parts keep ([`Note`], [`Reason`],
//! [`Memory`], [`Reply`]).

use std::fmt;
use std::time::Duration;

use super::machine::Core;
use crate::ConnId;

/// One frame for a connection's writer; `token` is reported back to the
/// core once the frame is written ([`Core::written`]): zap marks stored
/// items with it, which leave the store only once written (zap §9.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub bytes: Vec<u8>,
    pub token: Option<u64>,
}

impl Frame {
    /// A frame reported by count only.
    pub fn plain(bytes: Vec<u8>) -> Frame {
        Frame { bytes, token: None }
    }
}

/// An output of a [`Core`] call, in the order it must happen (see
/// [`Core`] for what "applied first" means for [`Effect::Store`]).
#[derive(Debug)]
pub enum Effect<C: Core + ?Sized> {
    /// Write these frames to `conn`, in order.
    Send { conn: ConnId, frames: Vec<Frame> },
    /// Close `conn`; the core has already forgotten it.
    Close { conn: ConnId, reason: C::Reason },
    /// Persist this change.
    Store(C::Op),
    /// Something worth a log line about `conn` (the driver knows its peer).
    Notice { conn: ConnId, notice: C::Notice },
    /// Fault `crash-on-malformed`: stop the whole server (zap §10.1,
    /// lrv §9.1 broken on purpose).
    Crash { conn: ConnId, why: C::Crash },
    /// The protocol's own effect; the driver answers through
    /// [`Core::answer`] ([`Memory::answer`] says when).
    Ask(C::Ask),
    /// A batch ends here: the frames sent since the last one go to their
    /// writers, one batch per connection — quirk `glue` writes a batch in
    /// one write (zap §3.4 R3, lrv §3.3 L5) — and then the other effects
    /// since the last one run, in order. The end of a call is one too: a
    /// core that puts none in gets one batch per call (lrv: the replies to
    /// one read), one that does gets more (zap: one per frame acted on).
    Flush,
}

/// A log line's kind.
pub trait Note: Clone + fmt::Display + fmt::Debug + Send + 'static {
    /// Whether the peer decides how many of these there are (each bad
    /// frame it sends is one): such lines are budgeted per connection
    /// (`logging/budget.rs`), the others always written.
    fn repeats(&self) -> bool;
}

/// Why a core closes a connection.
pub trait Reason: Clone + fmt::Display + fmt::Debug + Send + 'static {
    /// Whether frames already queued to it are still written before the
    /// close (a peer that sent garbage gets what it was already answered),
    /// or it is cut at once (replaced, stuck).
    fn flush(&self) -> bool;
}

/// When a driver feeds an answer back ([`Core::answer`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<A> {
    /// At once, after the call that asked has been acknowledged: its
    /// reader goes on meanwhile (zap: a page of stored items).
    Now(A),
    /// After this long; the call that asked is acknowledged only then, so
    /// its reader, told [`Next::Wait`](super::Next::Wait), waits
    /// (lrv: fault `double-sale`'s late sale).
    After(Duration, A),
}

/// The store's contract in memory ([`Core::Memory`]): what applying every
/// [`Core::Op`] so far gives, and the answers it holds.
pub trait Memory<C: Core + ?Sized>: Default + fmt::Debug + Send {
    /// Applies one op as the durable store does (each protocol's
    /// `sqlite.rs` tests hold the two to the same result).
    fn apply(&mut self, op: &C::Op);
    /// The answer to `ask`, and when it is due.
    fn answer(&self, ask: C::Ask) -> Reply<C::Answer>;
}
