//! [`Lrv`]: LRV as a [`Protocol`] of this crate — what flows each way and
//! the encoder of lrv §3.2 — and [`Lines`], its line framing without the
//! message decoding; their framing (lrv §3.3, each line decoded as its
//! position says, lrv §3.6) is in `stream.rs` — so the generic
//! [`StreamDecoder`](crate::stream::StreamDecoder) and
//! [`Codec`](crate::tokio_codec::Codec) serve both.

#[cfg(feature = "tokio")]
use super::decode::Decoded;
use super::message::{Greeting, Message, Reply, Request};
#[cfg(feature = "tokio")]
use super::stream::Rejected;
use crate::protocol::{Encode, Protocol};
use crate::sink::Sink;

/// The LRV protocol (`spec/lrv.md`): a type to name it by, as in
/// `StreamDecoder<Lrv>` or `Codec<Lrv>`. A stream yields requests to a
/// server, the greeting and then replies to a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lrv {}

/// LRV's line framing alone (lrv §3.3, §3.4): a `StreamDecoder<Lines>`
/// yields each line as it arrived ([`RawLine`](super::RawLine)), and rejects only a line
/// over the direction's limit. For a reader that decides what a line is by
/// itself, as a tolerant client does (lrv §5, §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {}

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
