//! zap's stream framing (zap §3.4, §3.5): [`Zap`] as a [`Framing`] — the
//! step a [`StreamDecoder<Zap>`](crate::stream::StreamDecoder) runs and
//! what it remembers between reads — and the calls only zap's decoder has.

use super::code::Direction;
use super::error::{DecodeError, Invalid};
use super::frame::{Decoded, decode_stream, resync};
use super::protocol::Zap;
use crate::framing::{End, Framing, Step};
use crate::stream::StreamDecoder;

/// What a zap stream decoder remembers between two steps: the direction it
/// decodes, and the line breaks it dropped since the last frame.
///
/// Line breaks where a frame should start (zap §3.5) are decided at once,
/// so they are dropped as they arrive — a peer sending only `\n`s cannot
/// grow the buffer — and counted into the next frame's `skipped` and
/// `len`, so a frame reports the same however the bytes were cut. Every
/// other wait is bounded: every zap frame ends within 910 bytes of its
/// start, so a receiver that pulls after each push holds at most its read
/// size plus 910 bytes.
#[derive(Debug, Clone)]
pub struct StreamState {
    dir: Direction,
    breaks: usize,
}

impl StreamState {
    pub(super) fn direction(&self) -> Direction {
        self.dir
    }
}

impl Framing for Zap {
    type Direction = Direction;
    type Frame<'a> = Decoded<'a>;
    type Error = Invalid;
    type State = StreamState;

    fn start(dir: Direction) -> StreamState {
        StreamState { dir, breaks: 0 }
    }

    /// One step of zap §3.4 over the head of `pending`. An invalid frame
    /// drops nothing: zap has no delimiter to resynchronise on, so stepping
    /// over garbage is a reader's choice (zap §3.6,
    /// [`StreamDecoder::skip_garbage`]).
    fn step<'a>(st: &mut StreamState, pending: &'a [u8], end: End) -> Step<Decoded<'a>, Invalid> {
        match decode_stream(pending, st.dir, end) {
            Ok(mut d) => {
                let used = d.len;
                d.skipped += st.breaks;
                d.len += st.breaks;
                st.breaks = 0;
                Step::Frame { frame: d, used }
            }
            Err(DecodeError::Incomplete { .. }) => {
                let breaks = pending
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .count();
                st.breaks = st.breaks.saturating_add(breaks);
                Step::Wait { drop: breaks }
            }
            Err(DecodeError::Invalid(i)) => Step::Error { error: i, drop: 0 },
        }
    }

    fn into_owned(frame: Decoded<'_>) -> Decoded<'static> {
        frame.into_owned()
    }

    fn forget(st: &mut StreamState) {
        st.breaks = 0;
    }
}

/// zap's own calls: the direction, and stepping over garbage (zap §3.6).
impl StreamDecoder<Zap> {
    /// The direction it decodes.
    pub fn direction(&self) -> Direction {
        self.state().direction()
    }

    /// Drops the bytes before the next plausible frame (zap §3.6) and returns
    /// them, so a tolerant reader can report them and go on. On an error
    /// the bytes stay buffered until this is called.
    pub fn skip_garbage(&mut self) -> Vec<u8> {
        let n = resync(self.pending(), self.direction());
        self.take_head(n)
    }
}
