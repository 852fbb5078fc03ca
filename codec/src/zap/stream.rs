//! A buffering streaming decoder for callers that read from a socket and
//! want owned messages: push what each read returned, pull frames out.

use super::code::Direction;
use super::error::{DecodeError, Invalid};
use super::frame::{Decoded, decode_stream, resync};
use crate::framing::End;

/// Buffers a byte stream and yields frames by the rules of zap §3.4.
///
/// The buffer never holds more than one frame's worth of undecided bytes
/// beyond what was pushed since the last frame: every zap frame ends within
/// 910 bytes of its start, so a receiver that pulls after each push is
/// bounded by its read size plus 910. Line breaks where a frame should start
/// (zap §3.5) are decided at once, so they are dropped as they arrive —
/// a peer sending only `\n`s cannot grow the buffer — and counted into the
/// next frame's `skipped` and `len`, so a frame reports the same however the
/// bytes were cut.
#[derive(Debug)]
pub struct StreamDecoder {
    dir: Direction,
    buf: Vec<u8>,
    /// Line breaks dropped since the last frame.
    breaks: usize,
}

impl StreamDecoder {
    /// A decoder for a stream of frames flowing in `dir`, from its first byte.
    pub fn new(dir: Direction) -> Self {
        StreamDecoder {
            dir,
            buf: Vec::new(),
            breaks: 0,
        }
    }

    /// The direction it decodes.
    pub fn direction(&self) -> Direction {
        self.dir
    }

    /// Appends what a read returned. Call [`StreamDecoder::next`] until it
    /// returns `Ok(None)` after each push, so the buffer stays bounded.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received and not yet decoded.
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    /// The next frame, if one is complete. `Ok(None)`: wait for more bytes
    /// (or, at a read boundary, for `End::Boundary`). On `Err` the bytes stay
    /// buffered; call [`StreamDecoder::skip_garbage`] to step over them.
    pub fn next(&mut self, end: End) -> Result<Option<Decoded<'static>>, Invalid> {
        match decode_stream(&self.buf, self.dir, end) {
            Ok(d) => {
                let mut d = d.into_owned();
                self.buf.drain(..d.len);
                d.skipped += self.breaks;
                d.len += self.breaks;
                self.breaks = 0;
                Ok(Some(d))
            }
            Err(DecodeError::Incomplete { .. }) => {
                let breaks = self
                    .buf
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                self.buf.drain(..breaks);
                self.breaks = self.breaks.saturating_add(breaks);
                Ok(None)
            }
            Err(DecodeError::Invalid(i)) => Err(i),
        }
    }

    /// Drops the bytes before the next plausible frame (zap §3.6) and returns
    /// them, so a tolerant reader can report them and go on.
    pub fn skip_garbage(&mut self) -> Vec<u8> {
        self.breaks = 0;
        let n = resync(&self.buf, self.dir);
        self.buf.drain(..n).collect()
    }

    /// Takes every buffered byte, e.g. to report what was left at EOF.
    pub fn take_pending(&mut self) -> Vec<u8> {
        self.breaks = 0;
        std::mem::take(&mut self.buf)
    }
}
