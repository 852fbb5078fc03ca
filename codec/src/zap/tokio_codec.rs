//! tokio-util [`Decoder`]/[`Encoder`] for zap (feature `tokio`).
//!
//! # Read boundaries
//!
//! zap has no delimiter (zap §3, D1): a 05/06 ends at 218 characters, where a
//! glued frame's header begins, or at a *read boundary* — the peer paused or
//! closed (zap §3.4 R5). A [`FramedRead`](tokio_util::codec::FramedRead)
//! cannot see pauses: it hands the decoder whatever its buffer holds. So by
//! default [`ZapCodec`] treats the end of the buffer as `End::More` and the
//! end of the stream (`decode_eof`) as `End::Boundary`: an open-ended 05/06
//! (or 10/11) is yielded only when the next frame's header arrives, when it
//! reaches its limit, or at EOF. That is exact but can hold a message back
//! for as long as the peer stays quiet. A caller that wants R5's settle time
//! must run its own timer around a [`StreamDecoder`](super::StreamDecoder).
//!
//! [`ZapCodec::end_of_read_is_boundary`] instead treats *every* buffer end
//! as a boundary, which is what a naive `recv()`-per-message peer assumes:
//! nothing is held back, but a frame split across two TCP segments is cut in
//! two (and the second half is then malformed).
//!
//! # Guard
//!
//! The decoder errors with [`ZapCodecError::FrameTooLong`] when more than
//! `max_frame` bytes are buffered without yielding a frame (default
//! [`DEFAULT_MAX_FRAME`]). CR/LF skipped between frames (zap §3.5) are
//! dropped from the buffer as they are seen, so a flood of line breaks does
//! not accumulate either.

use std::io;

use bytes::{Buf, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

use super::MAX_FRAME_LEN;
use super::code::Direction;
use super::error::{DecodeError, Invalid};
use super::frame::{Decoded, decode_stream};
use super::message::Message;
use crate::framing::End;

/// The default guard: the longest frame (910 bytes, zap §3.1) plus the
/// header of a glued frame the decoder may need to see before it can end an
/// open tail (37 bytes at most, zap §3.4 R3), rounded up.
pub const DEFAULT_MAX_FRAME: usize = MAX_FRAME_LEN + 64;

/// Why the decoder stopped. After an error the connection's framing is lost
/// (zap §10.1): `FramedRead` yields the error and then ends.
#[derive(Debug, thiserror::Error)]
pub enum ZapCodecError {
    /// The bytes are not zap (zap §10.1).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// More than `max` bytes buffered and still no frame.
    #[error("{buffered} bytes buffered without a complete frame (limit {max})")]
    FrameTooLong {
        /// Bytes buffered.
        buffered: usize,
        /// The guard, [`ZapCodec::max_frame`].
        max: usize,
    },
    /// The stream ended inside a frame: a fixed frame or header cut short, a
    /// UTF-8 character cut short (zap §3.4 R2, R5).
    #[error("stream ended inside a frame: {pending} bytes left, a valid beginning")]
    TruncatedAtEof {
        /// Bytes left in the buffer.
        pending: usize,
    },
    /// Reading or writing the transport failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A zap codec for one direction of a connection: a server decodes
/// `Direction::ToServer` (and encodes what it sends to clients), a client
/// decodes `Direction::ToClient`.
///
/// Items are owned [`Decoded`] frames, so they carry the tolerated
/// deviations (`skipped` line breaks, stripped `padding`) for reports.
/// `Decoded::len` counts the frame's bytes plus the line breaks skipped
/// before it, even if they arrived in an earlier read.
#[derive(Debug, Clone)]
pub struct ZapCodec {
    dir: Direction,
    boundary_at_end_of_read: bool,
    max_frame: usize,
    /// CR/LF already dropped from the buffer, reported with the next frame.
    skipped: usize,
}

impl ZapCodec {
    /// A decoder for frames flowing in `dir`, with the exact framing of
    /// zap §3.4 (buffer end = `End::More`, EOF = `End::Boundary`).
    pub fn new(dir: Direction) -> Self {
        ZapCodec {
            dir,
            boundary_at_end_of_read: false,
            max_frame: DEFAULT_MAX_FRAME,
            skipped: 0,
        }
    }

    /// `true`: every buffer end is a read boundary (`End::Boundary`), as
    /// peers that read one message per `recv()` assume. See the module doc.
    pub fn end_of_read_is_boundary(mut self, yes: bool) -> Self {
        self.boundary_at_end_of_read = yes;
        self
    }

    /// The most bytes buffered without a frame before
    /// [`ZapCodecError::FrameTooLong`].
    pub fn max_frame(mut self, bytes: usize) -> Self {
        self.max_frame = bytes;
        self
    }

    /// The direction it decodes.
    pub fn direction(&self) -> Direction {
        self.dir
    }

    fn decode_with(
        &mut self,
        src: &mut BytesMut,
        end: End,
    ) -> Result<Option<Decoded<'static>>, ZapCodecError> {
        let breaks = src
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        src.advance(breaks);
        self.skipped += breaks;
        match decode_stream(src, self.dir, end) {
            Ok(d) => {
                let d = d.into_owned();
                src.advance(d.len);
                let skipped = std::mem::take(&mut self.skipped);
                Ok(Some(Decoded {
                    skipped: d.skipped + skipped,
                    len: d.len + skipped,
                    ..d
                }))
            }
            Err(DecodeError::Incomplete { .. }) if src.len() > self.max_frame => {
                Err(ZapCodecError::FrameTooLong {
                    buffered: src.len(),
                    max: self.max_frame,
                })
            }
            Err(DecodeError::Incomplete { .. }) => Ok(None),
            Err(DecodeError::Invalid(i)) => Err(i.into()),
        }
    }
}

impl Decoder for ZapCodec {
    type Item = Decoded<'static>;
    type Error = ZapCodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        let end = if self.boundary_at_end_of_read {
            End::Boundary
        } else {
            End::More
        };
        self.decode_with(src, end)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error> {
        match self.decode_with(src, End::Boundary)? {
            Some(d) => Ok(Some(d)),
            None if src.is_empty() => Ok(None),
            None => Err(ZapCodecError::TruncatedAtEof { pending: src.len() }),
        }
    }
}

/// Writes the canonical frame (zap §3.2). The direction is not checked: a
/// server's codec decodes `ToServer` and encodes `ToClient` frames.
impl Encoder<Message<'_>> for ZapCodec {
    type Error = ZapCodecError;

    fn encode(&mut self, item: Message<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        Encoder::<&Message<'_>>::encode(self, &item, dst)
    }
}

impl Encoder<&Message<'_>> for ZapCodec {
    type Error = ZapCodecError;

    fn encode(&mut self, item: &Message<'_>, dst: &mut BytesMut) -> Result<(), Self::Error> {
        dst.reserve(item.encoded_len());
        item.encode(dst);
        Ok(())
    }
}
