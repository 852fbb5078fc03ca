//! [`Zap`]: zap as a [`Protocol`] of this crate — what flows each way and
//! the encoder of zap §3.2; its stream framing (zap §3.4) is in
//! `stream.rs` — so the generic
//! [`StreamDecoder`](crate::stream::StreamDecoder) and
//! [`Codec`](crate::tokio_codec::Codec) serve it.

#[cfg(feature = "tokio")]
use super::error::Invalid;
#[cfg(feature = "tokio")]
use super::frame::Decoded;
use super::message::Message;
use crate::protocol::{Encode, Protocol};
use crate::sink::Sink;

/// The zap protocol (`spec/zap.md`): a type to name it by, as in
/// `StreamDecoder<Zap>` or `Codec<Zap>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zap {}

/// One `Message` type serves both ways: its code says the direction
/// (zap §4), and a decoder refuses a code of the other one.
impl Protocol for Zap {
    const NAME: &'static str = "zap";

    type Message<'a> = Message<'a>;
    type ToServer<'a> = Message<'a>;
    type ToClient<'a> = Message<'a>;

    /// A frame: an invalid one loses the stream's framing (zap §10.1).
    #[cfg(feature = "tokio")]
    type Item = Decoded<'static>;
    #[cfg(feature = "tokio")]
    type CodecError = super::tokio_codec::ZapCodecError;
    #[cfg(feature = "tokio")]
    const DEFAULT_MAX_FRAME: usize = super::tokio_codec::DEFAULT_MAX_FRAME;

    #[cfg(feature = "tokio")]
    fn item(verdict: Result<Decoded<'static>, Invalid>) -> Result<Decoded<'static>, Invalid> {
        verdict
    }
}

impl Encode<Zap> for Message<'_> {
    fn encoded_len(&self) -> usize {
        Message::encoded_len(self)
    }

    fn encode(&self, out: &mut impl Sink) {
        Message::encode(self, out)
    }
}
