//! The read side of a connection: bytes in, [`Event`]s out, by the framing
//! rules of zap §3.4 and tolerant of everything the field study found
//! (docs/ARCHITECTURE.md): glued replies, split replies, padding, line breaks,
//! banners and invented replies.
//!
//! zap frames have no delimiter. 02/07/09 end where their length says; a
//! 06's data and an 11's member list end at their limit, where a glued
//! frame's header begins, or at a *read boundary*: the server paused or
//! closed (R5). So after each read every whole frame is taken; if an open
//! tail is left, the next read waits only the settle time, and if nothing
//! comes the boundary ends the tail — exactly what the reference server's
//! own reader does. A fixed frame cut short is not ended by a pause: it
//! waits for its remaining bytes.

use std::io;
use std::time::Duration;

use gabarito_codec::zap::{Direction, End, Zap};
use tokio::io::AsyncRead;

use super::event::{Event, GARBAGE_SHOWN};
use crate::conn::{Arrived, Inbound};

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 4096;

/// Reads [`Event`]s from the server's byte stream.
#[derive(Debug)]
pub struct FrameReader<R> {
    inbound: Inbound<Zap, R>,
    settle: Duration,
    /// The pending bytes already got a boundary and it ended nothing (a
    /// fixed frame or a header cut short): wait for bytes, not for a pause.
    boundary_tried: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// A reader that takes a pause of `settle` inside an open tail as a read
    /// boundary (zap §3.4 R5; the reference server uses 20 ms).
    pub fn new(io: R, settle: Duration) -> Self {
        FrameReader {
            inbound: Inbound::new(io, Direction::ToClient, READ_CHUNK),
            settle,
            boundary_tried: false,
        }
    }

    /// The next event already decodable from what was read, without I/O.
    /// An open tail is left for [`FrameReader::next`] to settle.
    pub fn buffered(&mut self) -> Option<Event> {
        self.take(End::More)
    }

    /// The next event; `Ok(None)` once the server has closed the connection
    /// and everything it sent was returned.
    ///
    /// Cancel-safe: dropping the future loses no byte, so it can sit in a
    /// `tokio::select!` beside other work.
    pub async fn next(&mut self) -> io::Result<Option<Event>> {
        loop {
            if let Some(e) = self.take(End::More) {
                return Ok(Some(e));
            }
            if self.inbound.at_eof() {
                if let Some(e) = self.take(End::Boundary) {
                    return Ok(Some(e));
                }
                let rest = self.inbound.decoder().take_pending();
                if rest.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                    return Ok(None);
                }
                return Ok(Some(garbage(
                    rest,
                    "the connection closed inside a frame".to_owned(),
                )));
            }
            let open = !self.inbound.pending().is_empty() && !self.boundary_tried;
            match self.inbound.read(open.then_some(self.settle)).await? {
                Arrived::Quiet => {
                    // R5: the server paused inside a tail.
                    self.boundary_tried = true;
                    if let Some(e) = self.take(End::Boundary) {
                        self.boundary_tried = false;
                        return Ok(Some(e));
                    }
                }
                Arrived::Bytes => self.boundary_tried = false,
                Arrived::Eof => {}
            }
        }
    }

    /// Whether the server has closed its side.
    pub fn at_eof(&self) -> bool {
        self.inbound.at_eof()
    }

    fn take(&mut self, end: End) -> Option<Event> {
        let decoder = self.inbound.decoder();
        while !decoder.pending().is_empty() {
            match decoder.next(end) {
                Ok(Some(d)) => {
                    if let Some(e) = Event::from_message(d.message) {
                        return Some(e);
                    }
                }
                Ok(None) => {
                    if end == End::Boundary
                        && decoder.pending().iter().all(|b| matches!(b, b'\r' | b'\n'))
                    {
                        decoder.take_pending();
                    }
                    return None;
                }
                Err(invalid) => {
                    // zap §3.6: report, step to the next plausible frame,
                    // go on.
                    let skipped = decoder.skip_garbage();
                    return Some(garbage(skipped, invalid.to_string()));
                }
            }
        }
        None
    }
}

fn garbage(mut bytes: Vec<u8>, reason: String) -> Event {
    let len = bytes.len();
    bytes.truncate(GARBAGE_SHOWN);
    Event::Garbage { bytes, len, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    const PATIENCE: Duration = Duration::from_secs(5);

    async fn next(r: &mut FrameReader<tokio::io::DuplexStream>) -> Option<Event> {
        tokio::time::timeout(PATIENCE, r.next())
            .await
            .expect("an event in time")
            .expect("no I/O error")
    }

    fn text_of(e: Option<Event>) -> String {
        match e {
            Some(Event::Message(m)) => m.text.to_string(),
            other => panic!("expected a message, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn glued_replies_banner_and_line_breaks() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = FrameReader::new(client, Duration::from_millis(20));
        let mut bytes = b"Bem-vindo ao zap!\n022000000000001\r\n".to_vec();
        bytes.extend_from_slice(b"0620000000000022000000000001");
        bytes.extend_from_slice(b"1700000000ola");
        bytes.extend_from_slice(b"0720000000000021700000000");
        server.write_all(&bytes).await.unwrap();
        match next(&mut r).await {
            Some(Event::Garbage { bytes, len, .. }) => {
                assert_eq!(bytes, b"Bem-vindo ao zap!\n");
                assert_eq!(len, 18);
            }
            other => panic!("expected the banner as garbage, got {other:?}"),
        }
        assert!(matches!(next(&mut r).await, Some(Event::Registered { .. })));
        assert_eq!(text_of(next(&mut r).await), "ola");
        assert!(matches!(next(&mut r).await, Some(Event::Delivered { .. })));
        drop(server);
        assert_eq!(next(&mut r).await, None);
    }

    #[tokio::test]
    async fn a_split_message_is_joined_and_a_pause_ends_it() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = FrameReader::new(client, Duration::from_millis(50));
        let writer = tokio::spawn(async move {
            server
                .write_all(b"06200000000000220000000000011700000000")
                .await
                .unwrap();
            server.write_all("metade ".as_bytes()).await.unwrap();
            server.write_all("e o resto 𝄞".as_bytes()).await.unwrap();
            server
        });
        let mut server = writer.await.unwrap();
        // The tail stays open until the server pauses, then it is whole.
        assert_eq!(text_of(next(&mut r).await), "metade e o resto 𝄞");
        // A padded 06 (zap §3.3) loses its NULs.
        let mut padded = b"06200000000000220000000000011700000001oi".to_vec();
        padded.extend(std::iter::repeat_n(0u8, 216));
        server.write_all(&padded).await.unwrap();
        assert_eq!(text_of(next(&mut r).await), "oi");
    }

    #[tokio::test]
    async fn a_cut_fixed_frame_waits_for_the_rest_instead_of_failing() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = FrameReader::new(client, Duration::from_millis(10));
        server.write_all(b"0220000").await.unwrap();
        let early = tokio::time::timeout(Duration::from_millis(100), r.next()).await;
        assert!(early.is_err(), "nothing yet: {early:?}");
        server.write_all(b"00000001").await.unwrap();
        assert!(matches!(
            next(&mut r).await,
            Some(Event::Registered { id }) if id.as_str() == "2000000000001"
        ));
    }

    #[tokio::test]
    async fn eof_inside_a_frame_is_reported_then_none() {
        let (mut server, client) = tokio::io::duplex(4096);
        let mut r = FrameReader::new(client, Duration::from_millis(10));
        server.write_all(b"07200000").await.unwrap();
        drop(server);
        assert!(matches!(
            next(&mut r).await,
            Some(Event::Garbage { len: 8, .. })
        ));
        assert_eq!(next(&mut r).await, None);
    }
}
