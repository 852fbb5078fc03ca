//! What every client's connection does the same whatever the protocol:
//! open it, read bytes into the codec's stream decoder, write one message
//! per write. Each protocol's client adds its own policy on top (zap's
//! settle time inside an open tail and its pacing, LRV's reply deadline).
//!
//! # Layout
//!
//! - `connect.rs` — [`connect`]: TCP with a timeout, Nagle off.
//! - `inbound.rs` — [`Inbound`]: the read side, socket → the codec's
//!   [`StreamDecoder`](gabarito_codec::StreamDecoder) for any framing.
//! - `outbound.rs` — [`Outbound`]: the write side, one canonical message
//!   per write, for any protocol.

mod connect;
mod inbound;
mod outbound;

pub use connect::connect;
pub use inbound::{Arrived, Inbound};
pub use outbound::Outbound;
