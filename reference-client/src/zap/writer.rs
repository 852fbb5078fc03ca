//! The write side of a connection: one canonical frame per write, paced.
//!
//! zap §3.2: a sender SHOULD write each frame with one write, with Nagle
//! off, and SHOULD NOT write the next frame only microseconds later, or a
//! naive server that takes each `recv()` as one message (the field study in
//! docs/ARCHITECTURE.md) reads two frames as one. `pace` is the least time between two
//! writes; zero turns it off.
//!
//! A tolerant server has a subtler limit. A 05's data and a 10's member
//! list have no end marker: the receiver ends them where a glued frame's
//! header begins (R3) or where the sender paused longer than its settle
//! time (R5, 20 ms at the reference server). Two cases would be misread if
//! the next frame came sooner: a `01` after a 05/10 (it has no header
//! digits, so R3 never sees it, and it becomes data or a bad member id);
//! and any frame after a 05 whose data ends in a digit (the digits run on
//! into the next frame's, and may spell a header that starts inside the
//! data). Before those, the writer waits `tail_gap` since the last write.

use std::io;
use std::time::Duration;

use gabarito_codec::zap::{Message, Zap};
use tokio::io::AsyncWrite;
use tokio::time::Instant;

use crate::conn::Outbound;

/// What the last frame written leaves open for the receiver (zap §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// A fixed frame: its end is certain.
    Closed,
    /// A 05/10 whose tail a glued 01 would extend.
    Open,
    /// A 05 whose data ends in a digit: any glued frame may extend it.
    Digits,
}

/// Writes frames to the server.
#[derive(Debug)]
pub struct FrameWriter<W> {
    out: Outbound<Zap, W>,
    pace: Duration,
    tail_gap: Duration,
    last: Option<Instant>,
    tail: Tail,
}

impl<W: AsyncWrite + Unpin> FrameWriter<W> {
    pub fn new(io: W, pace: Duration, tail_gap: Duration) -> Self {
        FrameWriter {
            out: Outbound::new(io),
            pace,
            tail_gap,
            last: None,
            tail: Tail::Closed,
        }
    }

    /// Writes `m` canonically (zap §3.2). Not cancel-safe: a frame cut off
    /// mid-write would corrupt the stream, so do not drop the future.
    pub async fn send(&mut self, m: &Message<'_>) -> io::Result<()> {
        let gap = match (self.tail, m) {
            (Tail::Digits, _) | (Tail::Open, Message::Register) => self.pace.max(self.tail_gap),
            _ => self.pace,
        };
        if let Some(last) = self.last {
            let since = last.elapsed();
            if since < gap {
                tokio::time::sleep(gap - since).await;
            }
        }
        self.out.send(m).await?;
        self.last = Some(Instant::now());
        self.tail = match m {
            Message::Send(c) | Message::Deliver(c)
                if c.data.as_str().ends_with(|ch: char| ch.is_ascii_digit()) =>
            {
                Tail::Digits
            }
            Message::Send(_)
            | Message::Deliver(_)
            | Message::CreateGroup { .. }
            | Message::GroupCreated { .. } => Tail::Open,
            _ => Tail::Closed,
        };
        Ok(())
    }

    /// Closes our sending side (TCP FIN), so the server sees EOF while we
    /// can still read what it had already written.
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.out.shutdown().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gabarito_codec::zap::{Chat, Direction, End, Id, StreamDecoder, Text, Timestamp};
    use tokio::io::AsyncReadExt;

    fn send(data: &str) -> Message<'static> {
        Message::Send(Chat {
            src: Id::from_value(2_000_000_000_001).unwrap(),
            dst: Id::from_value(2_000_000_000_002).unwrap(),
            timestamp: Timestamp::from_secs(1_700_000_000).unwrap(),
            data: Text::owned(data.to_owned()).unwrap(),
        })
    }

    /// What a reference-like receiver makes of the writes: it decodes after
    /// every read and takes a pause of `settle` as a boundary.
    async fn receive(frames: Vec<Message<'static>>, gap: Duration) -> Vec<Message<'static>> {
        let (client, mut server) = tokio::io::duplex(1 << 16);
        let writer = tokio::spawn(async move {
            let mut w = FrameWriter::new(client, Duration::ZERO, gap);
            for f in &frames {
                w.send(f).await.unwrap();
            }
        });
        let settle = Duration::from_millis(20);
        let mut dec = StreamDecoder::new(Direction::ToServer);
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            while let Ok(Some(d)) = dec.next(End::More) {
                got.push(d.message);
            }
            match tokio::time::timeout(settle, server.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(n)) => dec.push(&buf[..n]),
                Err(_) => {
                    while let Ok(Some(d)) = dec.next(End::Boundary) {
                        got.push(d.message);
                    }
                }
            }
        }
        while let Ok(Some(d)) = dec.next(End::Boundary) {
            got.push(d.message);
        }
        writer.await.unwrap();
        got
    }

    #[tokio::test]
    async fn the_tail_gap_keeps_risky_neighbours_apart() {
        let frames = vec![
            send("às 10"),
            Message::Read {
                src: Id::from_value(2_000_000_000_002).unwrap(),
                timestamp: Timestamp::from_secs(1_700_000_000).unwrap(),
            },
            send("sem dígito no fim."),
            Message::Register,
        ];
        assert_eq!(
            receive(frames.clone(), Duration::from_millis(60)).await,
            frames
        );
        // Without it the same bytes are misread: the demonstration that the
        // gap is needed (zap §3.4 R3, R5).
        assert_ne!(receive(frames.clone(), Duration::ZERO).await, frames);
    }
}
