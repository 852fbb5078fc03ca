//! [`Codec`]: one tokio-util [`Decoder`]/[`Encoder`] for every protocol
//! (feature `tokio`), for `Framed`, `FramedRead` and `FramedWrite`.
//!
//! # Read boundaries
//!
//! zap's 05/06 data and an LRV line without LF end at a *read boundary*:
//! the peer paused or closed (zap §3.4 R5, lrv §3.3 L4). A
//! [`FramedRead`](tokio_util::codec::FramedRead) cannot see pauses: it
//! hands the decoder whatever its buffer holds. So by default a codec
//! treats the end of the buffer as `End::More` and the end of the stream
//! (`decode_eof`) as `End::Boundary`: such a message is yielded only when
//! what follows it arrives, or at EOF. That is exact but can hold a message
//! back for as long as the peer stays quiet. A caller that wants the
//! protocol's settle time runs its own timer around a
//! [`StreamDecoder`](crate::stream::StreamDecoder).
//!
//! [`Codec::end_of_read_is_boundary`] instead treats *every* buffer end as
//! a boundary, which is what a naive `recv()`-per-message peer assumes:
//! nothing is held back, but a message split across two TCP segments is
//! cut in two.
//!
//! # Buffering and items
//!
//! The codec runs the protocol's [`Framing`](crate::Framing) step over `FramedRead`'s own
//! buffer, so decoding copies nothing: decided bytes (messages, line
//! breaks, the rest of an over-long line) leave it, and the protocol's
//! bounds hold for it. What an item is — a message, or the verdict on one —
//! is the protocol's call ([`Protocol::Item`]).
//!
//! # Guard
//!
//! The decoder errors with [`CodecError::FrameTooLong`] when more than
//! [`Codec::max_frame`] bytes are buffered without a message (by default
//! the protocol's [`Protocol::DEFAULT_MAX_FRAME`]).

use std::fmt;
use std::io;

use bytes::{Buf, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use crate::framing::{End, Step};
use crate::protocol::{Encode, Protocol};

/// Why a codec stopped: the protocol's error (for zap, the framing is lost,
/// zap §10.1), the guard, EOF inside a message, or the transport. After an
/// error a `FramedRead` yields it and then ends.
#[derive(Debug, thiserror::Error)]
pub enum CodecError<E> {
    /// The bytes are not the protocol's.
    #[error(transparent)]
    Invalid(E),
    /// More than `max` bytes buffered and still no message.
    #[error("{buffered} bytes buffered without a complete frame (limit {max})")]
    FrameTooLong {
        /// Bytes buffered.
        buffered: usize,
        /// The guard, [`Codec::max_frame`].
        max: usize,
    },
    /// The stream ended inside a message: a fixed frame or header cut
    /// short, a UTF-8 character cut short (zap §3.4 R2, R5).
    #[error("stream ended inside a frame: {pending} bytes left, a valid beginning")]
    TruncatedAtEof {
        /// Bytes left in the buffer.
        pending: usize,
    },
    /// Reading or writing the transport failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// For a protocol whose codec errors are the transport's alone (LRV, whose
/// invalid lines are items): what reaches it of the others, as
/// `InvalidData`.
impl<E: std::error::Error + Send + Sync + 'static> From<CodecError<E>> for io::Error {
    fn from(e: CodecError<E>) -> io::Error {
        match e {
            CodecError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other),
        }
    }
}

/// A codec for one direction of a connection of protocol `P`: a server
/// decodes `ToServer` (and encodes what it sends to clients), a client
/// decodes `ToClient` (and encodes what it sends). The encoder takes any of
/// `P`'s messages, by value or by reference ([`Encode`]), and writes its
/// canonical bytes; the direction is not checked.
pub struct Codec<P: Protocol> {
    state: P::State,
    boundary_at_end_of_read: bool,
    max_frame: usize,
}

impl<P: Protocol> Codec<P> {
    /// A decoder for the bytes flowing in `dir`, from the connection's first
    /// byte, with the protocol's exact framing (buffer end = `End::More`,
    /// EOF = `End::Boundary`).
    pub fn new(dir: P::Direction) -> Self {
        Self::with_state(P::start(dir))
    }

    /// A codec in a given state: a protocol's way to pick up a stream
    /// part-way (`lrv`'s `expecting`).
    pub(crate) fn with_state(state: P::State) -> Self {
        Codec {
            state,
            boundary_at_end_of_read: false,
            max_frame: P::DEFAULT_MAX_FRAME,
        }
    }

    pub(crate) fn state(&self) -> &P::State {
        &self.state
    }

    /// `true`: every buffer end is a read boundary (`End::Boundary`), as
    /// peers that read one message per `recv()` assume. See the module doc.
    pub fn end_of_read_is_boundary(mut self, yes: bool) -> Self {
        self.boundary_at_end_of_read = yes;
        self
    }

    /// The most bytes buffered without a message before
    /// [`CodecError::FrameTooLong`].
    pub fn max_frame(mut self, bytes: usize) -> Self {
        self.max_frame = bytes;
        self
    }

    fn decode_with(
        &mut self,
        src: &mut BytesMut,
        end: End,
    ) -> Result<Option<P::Item>, P::CodecError> {
        let (used, verdict) = match P::step(&mut self.state, &src[..], end) {
            Step::Frame { frame, used } => (used, Some(Ok(P::into_owned(frame)))),
            Step::Wait { drop } => (drop, None),
            Step::Error { error, drop } => (drop, Some(Err(error))),
        };
        src.advance(used);
        let Some(verdict) = verdict else {
            if src.len() > self.max_frame {
                let buffered = src.len();
                let max = self.max_frame;
                return Err(CodecError::FrameTooLong { buffered, max }.into());
            }
            return Ok(None);
        };
        match P::item(verdict) {
            Ok(item) => Ok(Some(item)),
            Err(e) => Err(CodecError::Invalid(e).into()),
        }
    }
}

impl<P: Protocol> Decoder for Codec<P> {
    type Item = P::Item;
    type Error = P::CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<P::Item>, P::CodecError> {
        let end = if self.boundary_at_end_of_read {
            End::Boundary
        } else {
            End::More
        };
        self.decode_with(src, end)
    }

    /// At EOF an open message ends (a boundary); bytes that still make no
    /// message are [`CodecError::TruncatedAtEof`].
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<P::Item>, P::CodecError> {
        match self.decode_with(src, End::Boundary)? {
            Some(item) => Ok(Some(item)),
            None if src.is_empty() => Ok(None),
            None => Err(CodecError::TruncatedAtEof { pending: src.len() }.into()),
        }
    }
}

impl<P: Protocol, M: Encode<P>> Encoder<M> for Codec<P> {
    type Error = P::CodecError;

    fn encode(&mut self, item: M, dst: &mut BytesMut) -> Result<(), P::CodecError> {
        dst.reserve(item.encoded_len());
        item.encode(dst);
        Ok(())
    }
}

impl<P: Protocol> Clone for Codec<P> {
    fn clone(&self) -> Self {
        Codec {
            state: self.state.clone(),
            boundary_at_end_of_read: self.boundary_at_end_of_read,
            max_frame: self.max_frame,
        }
    }
}

impl<P: Protocol> fmt::Debug for Codec<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codec")
            .field("protocol", &P::NAME)
            .field("state", &self.state)
            .field("boundary_at_end_of_read", &self.boundary_at_end_of_read)
            .field("max_frame", &self.max_frame)
            .finish()
    }
}
