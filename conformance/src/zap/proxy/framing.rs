//! How the proxy splits what each side of a zap connection sends (zap
//! §3.4–§3.6): client bytes as `Direction::ToServer`, server bytes as
//! `ToClient`, open tails ended by the sender's pause or close, bytes that
//! are no frame skipped up to where one can start (§3.6).

use gabarito_codec::zap::{DecodeError, Decoded, Direction, Invalid, decode_stream, resync};

use crate::protocol::End;
use crate::proxy::relay::Side;
use crate::proxy::tap::{Cut, Framing, Item};

/// One direction of a zap connection.
#[derive(Debug)]
pub struct ZapFraming {
    dir: Direction,
}

impl Framing for ZapFraming {
    type Frame = Decoded<'static>;
    type Invalid = Invalid;

    fn new(from: Side) -> Self {
        let dir = match from {
            Side::Client => Direction::ToServer,
            Side::Server => Direction::ToClient,
        };
        ZapFraming { dir }
    }

    fn next(&mut self, buf: &[u8], end: End) -> Option<Cut<Decoded<'static>, Invalid>> {
        match decode_stream(buf, self.dir, end) {
            Ok(d) => Some(Cut {
                len: d.len,
                skipped: d.skipped,
                item: Item::Frame(d.into_owned()),
            }),
            Err(DecodeError::Incomplete { .. }) => None,
            Err(DecodeError::Invalid(invalid)) => Some(Cut {
                len: resync(buf, self.dir).max(1),
                skipped: 0,
                item: Item::Invalid(invalid),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::tap::Tap;
    use std::time::Duration;
    use tokio::time::Instant;

    #[test]
    fn items_keep_their_bytes_reads_and_glueing() {
        let mut tap = Tap::<ZapFraming>::default();
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_millis(30);
        let mut out = tap.push(Side::Client, b"01\n0320000000000", t0);
        out.extend(tap.push(Side::Client, b"01052000000000001", t1));
        out.extend(tap.pause(Side::Client));
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!(out[0].raw, b"01");
        assert!(!out[0].glued);
        assert_eq!(out[1].raw, b"\n032000000000001");
        assert!(out[1].glued, "the 03 began in the read the 01 ended in");
        assert_eq!(out[1].splits, [14]);
        assert_eq!((out[1].first_at, out[1].last_at), (t0, t1));
        // "05200…" waits for its header.
        assert!(tap.waiting(Side::Client));
        let cut = tap.close(Side::Client);
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].item, Item::Incomplete);
        assert_eq!(cut[0].offset, 18);
    }

    #[test]
    fn garbage_is_skipped_up_to_the_next_header() {
        let mut tap = Tap::<ZapFraming>::default();
        let now = Instant::now();
        let out = tap.push(Side::Server, b"hello 022000000000001", now);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(&out[0].item, Item::Invalid(i) if i.offset == 0));
        assert_eq!(out[0].raw, b"hello ");
        assert!(out[1].frame().is_some());
        assert_eq!(out[1].offset, 6);
    }
}
