//! [`StreamDecoder`]: the one buffering loop, for every protocol. A caller
//! that reads from a socket pushes what each read returned and pulls
//! messages out; the protocol's [`Framing`] decides where they end.

use std::fmt;

use crate::framing::{End, Framing, Step};

/// Buffers a byte stream and yields the messages of protocol (or framing)
/// `P`, by `P`'s rules: `StreamDecoder<Zap>` frames (zap §3.4),
/// `StreamDecoder<Lrv>` requests or the greeting and replies (lrv §3.3),
/// `StreamDecoder<Lines>` raw LRV lines.
///
/// Bounded: what `P` has decided (messages, and bytes it drops while
/// waiting: line breaks, the rest of an over-long line) leaves the buffer,
/// so after a call that returns `Ok(None)` only what `P` cannot decide yet
/// stays — each protocol documents how much that can be. Taking a message
/// off costs no copy: decided bytes are dropped at the next push.
///
/// ```
/// # #[cfg(feature = "zap")]
/// # fn main() -> Result<(), gabarito_codec::zap::Invalid> {
/// use gabarito_codec::{End, StreamDecoder};
/// use gabarito_codec::zap::{Direction, Zap};
///
/// let mut frames = StreamDecoder::<Zap>::new(Direction::ToServer);
/// frames.push(b"0103200"); // a 01, and the start of a 03
/// assert_eq!(frames.next(End::More)?.expect("a 01").message.code().as_str(), "01");
/// assert!(frames.next(End::More)?.is_none());
/// assert_eq!(frames.pending(), b"03200");
/// # Ok(())
/// # }
/// # #[cfg(not(feature = "zap"))]
/// # fn main() {}
/// ```
pub struct StreamDecoder<P: Framing> {
    state: P::State,
    /// Received bytes; those before `start` are decided and wait to be
    /// dropped at the next push.
    buf: Vec<u8>,
    start: usize,
}

impl<P: Framing> StreamDecoder<P> {
    /// A decoder for a stream flowing in `dir`, from its first byte.
    pub fn new(dir: P::Direction) -> Self {
        Self::with_state(P::start(dir))
    }

    /// A decoder in a given state: a protocol's way to pick up a stream
    /// part-way (`lrv`'s `expecting`).
    pub(crate) fn with_state(state: P::State) -> Self {
        StreamDecoder {
            state,
            buf: Vec::new(),
            start: 0,
        }
    }

    pub(crate) fn state(&self) -> &P::State {
        &self.state
    }

    /// Appends what a read returned. Call [`StreamDecoder::next`] until it
    /// returns `Ok(None)` after each push, so the buffer stays bounded.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.drain(..self.start);
        self.start = 0;
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received and not yet decided.
    pub fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// The next message, if one is decided, detached from the buffer.
    /// `Ok(None)`: wait for more bytes (or, at a read boundary, call with
    /// `End::Boundary`). On `Err`, what the protocol drops with the error
    /// is gone (see [`Step::Error`]); call again to read on.
    pub fn next(&mut self, end: End) -> Result<Option<P::Frame<'static>>, P::Error> {
        Ok(self.next_borrowed(end)?.map(P::into_owned))
    }

    /// [`StreamDecoder::next`] without detaching the message: it borrows
    /// the decoder's buffer, so taking it allocates nothing; it lives until
    /// the decoder is used again.
    pub fn next_borrowed(&mut self, end: End) -> Result<Option<P::Frame<'_>>, P::Error> {
        let pending = &self.buf[self.start..];
        match P::step(&mut self.state, pending, end) {
            Step::Frame { frame, used } => {
                self.start += used;
                Ok(Some(frame))
            }
            Step::Wait { drop } => {
                self.start += drop;
                Ok(None)
            }
            Step::Error { error, drop } => {
                self.start += drop;
                Err(error)
            }
        }
    }

    /// Takes every buffered byte, e.g. to report what was left at EOF.
    pub fn take_pending(&mut self) -> Vec<u8> {
        let n = self.pending().len();
        self.take_head(n)
    }

    /// Takes the first `n` undecided bytes off the buffer; the framing
    /// forgets what it remembered of them.
    pub(crate) fn take_head(&mut self, n: usize) -> Vec<u8> {
        P::forget(&mut self.state);
        let taken = self.buf[self.start..self.start + n].to_vec();
        self.start += n;
        taken
    }
}

impl<P: Framing> fmt::Debug for StreamDecoder<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("state", &self.state)
            .field("pending", &self.pending().len())
            .finish()
    }
}
