//! [`Lrv`]: LRV as a [`Protocol`] of this crate — what flows each way, the
//! line framing of lrv §3.3 with each line decoded as its position says
//! (lrv §3.6), the encoder of lrv §3.2 — and [`Lines`], the same framing
//! without the decoding, so the generic
//! [`StreamDecoder`](crate::stream::StreamDecoder) and
//! [`Codec`](crate::tokio_codec::Codec) serve both.

use super::code::Direction;
use super::decode::Decoded;
use super::line::RawLine;
use super::message::{Greeting, Message, Reply, Request};
use super::stream::{LinesState, Rejected, StreamState};
use crate::framing::{End, Framing, Step};
use crate::protocol::{Encode, Protocol};
use crate::sink::Sink;

/// The LRV protocol (`spec/lrv.md`): a type to name it by, as in
/// `StreamDecoder<Lrv>` or `Codec<Lrv>`. A stream yields requests to a
/// server, the greeting and then replies to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lrv {}

/// LRV's line framing alone (lrv §3.3, §3.4): a `StreamDecoder<Lines>`
/// yields each line as it arrived ([`RawLine`]), and rejects only a line
/// over the direction's limit. For a reader that decides what a line is by
/// itself, as a tolerant client does (lrv §5, §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {}

impl Framing for Lrv {
    type Direction = Direction;
    type Frame<'a> = Decoded<Message<'a>>;
    type Error = Rejected;
    type State = StreamState;

    fn start(dir: Direction) -> StreamState {
        StreamState::new(dir.first())
    }

    fn step<'a>(
        state: &mut StreamState,
        pending: &'a [u8],
        end: End,
    ) -> Step<Decoded<Message<'a>>, Rejected> {
        state.step(pending, end)
    }

    fn into_owned(frame: Decoded<Message<'_>>) -> Decoded<Message<'static>> {
        frame.into_owned()
    }

    fn forget(state: &mut StreamState) {
        state.forget();
    }
}

impl Framing for Lines {
    type Direction = Direction;
    type Frame<'a> = RawLine;
    type Error = Rejected;
    type State = LinesState;

    fn start(dir: Direction) -> LinesState {
        LinesState::new(dir)
    }

    fn step(state: &mut LinesState, pending: &[u8], end: End) -> Step<RawLine, Rejected> {
        state.step(pending, end)
    }

    fn into_owned(frame: RawLine) -> RawLine {
        frame
    }

    fn forget(state: &mut LinesState) {
        state.forget();
    }
}

/// A client sends requests; a server sends the greeting and replies, which
/// have no type of their own but `Message` (its encoder writes a `Request`
/// there too, as asked).
impl Protocol for Lrv {
    const NAME: &'static str = "lrv";

    type Message<'a> = Message<'a>;
    type ToServer<'a> = Request<'a>;
    type ToClient<'a> = Message<'a>;

    /// The verdict on one line: an invalid line costs only itself (lrv
    /// §3.3, §9), so the stream goes on.
    #[cfg(feature = "tokio")]
    type Item = Result<Decoded<Message<'static>>, Rejected>;
    /// Only the transport's: no line ends the stream.
    #[cfg(feature = "tokio")]
    type CodecError = std::io::Error;
    /// No guard: the framing keeps at most the limit plus one byte (L3).
    #[cfg(feature = "tokio")]
    const DEFAULT_MAX_FRAME: usize = usize::MAX;

    #[cfg(feature = "tokio")]
    fn item(verdict: Result<Decoded<Message<'static>>, Rejected>) -> Result<Self::Item, Rejected> {
        Ok(verdict)
    }
}

/// Each message type writes its canonical line: a `Request`, `Reply` or
/// `Greeting` on its own, or any as a `Message`.
macro_rules! encode_lrv {
    ($($t:ident),*) => {$(
        impl Encode<Lrv> for $t<'_> {
            fn encoded_len(&self) -> usize {
                $t::encoded_len(self)
            }

            fn encode(&self, out: &mut impl Sink) {
                $t::encode(self, out)
            }
        }
    )*};
}

encode_lrv!(Message, Request, Reply, Greeting);
