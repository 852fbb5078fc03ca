//! What a streaming decoder is told about the end of its buffer, in every
//! protocol: the buffer alone cannot say whether the peer is done.

/// Whether more bytes may still come after the end of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// More may come: a message whose end is not yet certain is
    /// `Incomplete`.
    More,
    /// A read boundary: the peer has paused (nothing more arrived within the
    /// receiver's settle time) or closed. Each protocol says which messages
    /// still open end here.
    Boundary,
}
