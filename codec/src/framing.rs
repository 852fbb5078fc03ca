//! What every protocol's stream framing has in common: [`End`], what a
//! streaming decoder is told about the end of its buffer, and [`Framing`],
//! one protocol's rules as a step over the head of a byte stream, which
//! [`StreamDecoder`](crate::stream::StreamDecoder) and (feature `tokio`)
//! [`Codec`](crate::tokio_codec::Codec) run for every protocol alike.

/// Whether more bytes may still come after the end of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// More may come: a message whose end is not yet certain is
    /// `Incomplete`.
    More,
    /// A read boundary: the peer has paused (nothing more arrived within the
    /// receiver's settle time) or closed. Each protocol says which messages
    /// still open end here.
    Boundary,
}

/// What one step of a protocol's framing decided about the head of the
/// bytes received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<F, E> {
    /// A message, which used the first `used` bytes.
    Frame {
        /// The message and how it was framed.
        frame: F,
        /// Bytes to drop: those of the message, and any the framing skipped
        /// or discarded before it.
        used: usize,
    },
    /// No whole message yet. The first `drop` bytes are decided all the
    /// same (line breaks between messages, the rest of a line over the
    /// limit) and can go, so a peer sending only those cannot grow the
    /// buffer; the framing remembers what it must report of them.
    Wait {
        /// Bytes to drop.
        drop: usize,
    },
    /// The bytes at the head are not a message. What to drop is the
    /// protocol's call: LRV drops the line, so the next step reads the next
    /// one (lrv §3.3); zap drops nothing, and a tolerant reader steps over
    /// the garbage by zap's own rule (zap §3.6).
    Error {
        /// Why.
        error: E,
        /// Bytes to drop.
        drop: usize,
    },
}

impl<F, E> Step<F, E> {
    /// The same decision, about the frame `f` makes of this one.
    pub fn map_frame<G>(self, f: impl FnOnce(F) -> G) -> Step<G, E> {
        match self {
            Step::Frame { frame, used } => Step::Frame {
                frame: f(frame),
                used,
            },
            Step::Wait { drop } => Step::Wait { drop },
            Step::Error { error, drop } => Step::Error { error, drop },
        }
    }
}

/// One protocol's framing rules as a step over the head of a byte stream,
/// with the little it must remember between reads (line breaks already
/// dropped, which message comes next, a line being discarded).
///
/// The buffering lives once, in [`StreamDecoder`](crate::stream::StreamDecoder)
/// and [`Codec`](crate::tokio_codec::Codec); a protocol brings only its
/// rules. Implemented by the protocols' marker types
/// ([`zap::Zap`](crate::zap::Zap), [`lrv::Lrv`](crate::lrv::Lrv)) and by
/// [`lrv::Lines`](crate::lrv::Lines), LRV's framing without the message
/// decoding, for a reader that interprets lines by tolerant rules.
pub trait Framing {
    /// Which way the bytes flow, which the rules depend on (what may come,
    /// how long it may be).
    type Direction: Copy + Eq + std::fmt::Debug;
    /// What a step yields: one message and how it was framed, borrowing the
    /// buffer where it can.
    type Frame<'a>;
    /// Why the bytes at the head are not a message.
    type Error;
    /// What the framing remembers between two steps.
    type State: Clone + std::fmt::Debug;

    /// The state at the first byte of a stream flowing in `dir`.
    fn start(dir: Self::Direction) -> Self::State;

    /// Decides what the head of `pending` is, given whether more bytes may
    /// follow it (`end`). Every outcome makes progress or waits for bytes:
    /// a `Frame` uses at least one byte, and a `Wait` with nothing dropped
    /// means only more bytes (or a boundary) can decide.
    fn step<'a>(
        state: &mut Self::State,
        pending: &'a [u8],
        end: End,
    ) -> Step<Self::Frame<'a>, Self::Error>;

    /// Detaches a frame from the buffer it was decoded from.
    fn into_owned(frame: Self::Frame<'_>) -> Self::Frame<'static>;

    /// Forgets what the state remembers of bytes the caller took away
    /// (line breaks skipped, a line being discarded); which message comes
    /// next is kept.
    fn forget(state: &mut Self::State);
}
