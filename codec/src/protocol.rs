//! What makes a protocol of this crate: its messages per direction, its
//! stream framing ([`Framing`]) and its encoder ([`Encode`]). Generic code —
//! [`StreamDecoder`](crate::stream::StreamDecoder), the tokio-util
//! [`Codec`](crate::tokio_codec::Codec), a client's connection plumbing —
//! is written once against this trait and serves every protocol.

use crate::framing::Framing;
use crate::sink::Sink;

/// A protocol: what flows each way, how a byte stream is framed into it,
/// and how it is written. Implemented by a marker type per protocol
/// ([`zap::Zap`](crate::zap::Zap), [`lrv::Lrv`](crate::lrv::Lrv)).
///
/// ```
/// # #[cfg(all(feature = "zap", feature = "lrv"))]
/// # fn main() -> Result<(), gabarito_codec::zap::Invalid> {
/// use gabarito_codec::{End, Protocol, StreamDecoder};
/// use gabarito_codec::lrv::{Direction, Lrv, Request};
/// use gabarito_codec::zap::{Id, Message, Zap};
///
/// /// Encodes `message` and reads it back as the peer would: the same code
/// /// for every protocol.
/// fn round_trip<P: Protocol>(
///     message: P::ToServer<'_>,
///     dir: P::Direction,
/// ) -> Result<P::Frame<'static>, P::Error> {
///     use gabarito_codec::Encode;
///     let mut wire = Vec::new();
///     message.encode(&mut wire);
///     let mut frames = StreamDecoder::<P>::new(dir);
///     frames.push(&wire);
///     Ok(frames.next(End::Boundary)?.expect("one whole message"))
/// }
///
/// let id = Id::parse("2000000000001").expect("13 digits");
/// let zap = round_trip::<Zap>(Message::Connect { id }, gabarito_codec::zap::Direction::ToServer)?;
/// assert_eq!(zap.message.code().as_str(), "03");
/// let lrv = round_trip::<Lrv>(Request::Sorteio, Direction::ToServer).expect("a request");
/// assert!(lrv.is_canonical());
/// # Ok(())
/// # }
/// # #[cfg(not(all(feature = "zap", feature = "lrv")))]
/// # fn main() {}
/// ```
pub trait Protocol: Framing + Sized {
    /// The protocol's name, as the specs (`spec/<name>.md`) and command
    /// lines spell it.
    const NAME: &'static str;

    /// Every message of the protocol, both ways: what frames carry.
    type Message<'a>: Encode<Self> + Clone + std::fmt::Debug;
    /// What a client sends.
    type ToServer<'a>: Encode<Self>;
    /// What a server sends.
    type ToClient<'a>: Encode<Self>;

    /// What a tokio-util [`Codec`](crate::tokio_codec::Codec) yields per
    /// message. Where an invalid message costs only itself (LRV drops the
    /// line and reads on, lrv §3.3), the verdict, `Result<Frame, Error>`,
    /// so the stream goes on; where it loses the framing (zap, §10.1), the
    /// frame, and the error ends the stream.
    #[cfg(feature = "tokio")]
    type Item;

    /// A codec's error: the transport's, and what ends the stream.
    #[cfg(feature = "tokio")]
    type CodecError: From<std::io::Error> + From<crate::tokio_codec::CodecError<Self::Error>>;

    /// The codec's default guard on bytes buffered without a message
    /// (`usize::MAX`: none, the framing bounds itself).
    #[cfg(feature = "tokio")]
    const DEFAULT_MAX_FRAME: usize;

    /// The choice of [`Protocol::Item`]: a codec item for a stream
    /// decoder's verdict, or the error that ends the stream.
    #[cfg(feature = "tokio")]
    fn item(verdict: Result<Self::Frame<'static>, Self::Error>) -> Result<Self::Item, Self::Error>;
}

/// A value that writes itself as one canonical message of protocol `P`.
///
/// Implemented by each protocol's message types, so that an encoder for `P`
/// takes `P`'s messages only (by value or by reference) and cannot be
/// handed another protocol's. The types' own `encode` and `encoded_len`
/// methods, which need no import, do the same.
pub trait Encode<P: ?Sized> {
    /// The length of the canonical encoding, for reserving.
    fn encoded_len(&self) -> usize;
    /// Appends the canonical encoding to `out`.
    fn encode(&self, out: &mut impl Sink);
}

impl<P: ?Sized, T: Encode<P> + ?Sized> Encode<P> for &T {
    fn encoded_len(&self) -> usize {
        (**self).encoded_len()
    }

    fn encode(&self, out: &mut impl Sink) {
        (**self).encode(out)
    }
}
