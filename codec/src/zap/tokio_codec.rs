//! zap's names for the tokio-util codec (feature `tokio`): [`ZapCodec`] is
//! the crate's [`Codec`] for [`Zap`], whose module doc says how it treats
//! read boundaries.
//!
//! zap has no delimiter (zap §3, D1): an open-ended 05/06 (or 10/11) is
//! yielded only when the next frame's header arrives, when it reaches its
//! limit, or at EOF — or, with `end_of_read_is_boundary(true)`, at the end
//! of every read, which cuts in two a frame split across two TCP segments
//! (and the second half is then malformed). An invalid frame loses the
//! framing (zap §10.1): `FramedRead` yields the error and then ends.
//!
//! Items are owned [`Decoded`](super::Decoded) frames, so they carry the
//! tolerated deviations (`skipped` line breaks, stripped `padding`) for
//! reports; `len` counts the frame's bytes plus the line breaks skipped
//! before it, even those that arrived in an earlier read.

use super::MAX_FRAME_LEN;
use super::code::Direction;
use super::error::Invalid;
use super::protocol::Zap;
use crate::tokio_codec::{Codec, CodecError};

/// The default guard: the longest frame (910 bytes, zap §3.1) plus the
/// header of a glued frame the decoder may need to see before it can end an
/// open tail (37 bytes at most, zap §3.4 R3), rounded up. Line breaks
/// between frames (zap §3.5) leave the buffer as they are seen, so a flood
/// of them does not count.
pub const DEFAULT_MAX_FRAME: usize = MAX_FRAME_LEN + 64;

/// A zap codec for one direction of a connection: a server decodes
/// `Direction::ToServer` (and encodes what it sends to clients), a client
/// decodes `Direction::ToClient`.
pub type ZapCodec = Codec<Zap>;

/// Why a [`ZapCodec`] stopped: `Invalid` holds zap's fault (zap §10.1).
pub type ZapCodecError = CodecError<Invalid>;

impl From<Invalid> for ZapCodecError {
    fn from(i: Invalid) -> Self {
        CodecError::Invalid(i)
    }
}

impl Codec<Zap> {
    /// The direction it decodes.
    pub fn direction(&self) -> Direction {
        self.state().direction()
    }
}
