//! One connection's write side.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Batch, Service, WriterStyle};
use crate::ConnId;
use crate::sans_io::Frame;

/// More frames than this waiting for one connection is a backlog: they go
/// out together (zap §11.2). A conversation — a reply, a delivery and its
/// receipt, a few stored items at connect — stays under it and is written
/// one frame per write.
pub(crate) const BACKLOG_FRAMES: usize = 8;

/// The most bytes one coalesced write carries; it always ends at a frame
/// boundary (a single longer frame is written whole).
const COALESCED_WRITE: usize = 64 * 1024;

/// Writes what the core sends this connection and reports what was
/// written. Ends when the queue closes (after writing everything in it) or
/// at once when `kill` fires; a write error fires `kill` so the reader
/// stops too.
///
/// How (zap §3.2, §11.2): one frame per write, so a naive receiver that
/// reads one frame per `recv` is served one frame per segment — unless more
/// than [`BACKLOG_FRAMES`] frames are waiting for the connection. A backlog
/// is written as a stream, in writes of up to 64 KiB, each ending at a
/// frame boundary: a receiver that far behind is handed several frames per
/// `recv` whatever the server does, since TCP keeps no write boundaries,
/// and one write per frame would only spend the server's time. With quirk
/// `glue` every batch (the frames one event produced) is one write, backlog
/// or not; with quirk `slow` a frame waits until its batch is 150 ms old.
pub(super) async fn write_loop<S: Service, W: AsyncWrite + Unpin>(
    mut wr: W,
    mut rx: UnboundedReceiver<Batch>,
    kill: CancellationToken,
    style: WriterStyle,
    service: Arc<S>,
    conn: ConnId,
) {
    let mut queue = Queue::default();
    let mut buf = Vec::new();
    loop {
        if queue.is_empty() {
            let batch = tokio::select! {
                biased;
                _ = kill.cancelled() => return,
                b = rx.recv() => match b {
                    Some(b) => b,
                    None => break,
                },
            };
            queue.push(batch);
        }
        while let Ok(batch) = rx.try_recv() {
            queue.push(batch);
        }
        let Some(queued_at) = queue.front_queued_at() else {
            continue;
        };
        if let Some(delay) = style.delay {
            tokio::select! {
                biased;
                _ = kill.cancelled() => return,
                _ = tokio::time::sleep_until(queued_at + delay) => {}
            }
        }
        let plan = if style.glue {
            Plan::Batch
        } else if queue.frames > BACKLOG_FRAMES && style.gap.is_none() {
            Plan::Stream {
                ripe: style.delay.map(|d| (Instant::now(), d)),
            }
        } else {
            Plan::OneByOne
        };
        let (frames, tokens, ok) = match plan {
            Plan::OneByOne => {
                let batch = queue.take_batch();
                let mut written = Written::default();
                let mut ok = true;
                for f in &batch {
                    let bytes = if style.suffix.is_empty() {
                        &f.bytes
                    } else {
                        buf.clear();
                        buf.extend_from_slice(&f.bytes);
                        buf.extend_from_slice(style.suffix);
                        &buf
                    };
                    ok = tokio::select! {
                        biased;
                        _ = kill.cancelled() => false,
                        r = wr.write_all(bytes) => r.is_ok(),
                    };
                    if !ok {
                        break;
                    }
                    written.add(f);
                    if let Some(gap) = style.gap {
                        tokio::time::sleep(gap).await;
                    }
                }
                (written.frames, written.tokens, ok)
            }
            Plan::Batch => {
                let batch = queue.take_batch();
                buf.clear();
                for f in &batch {
                    buf.extend_from_slice(&f.bytes);
                    buf.extend_from_slice(style.suffix);
                }
                let ok = tokio::select! {
                    biased;
                    _ = kill.cancelled() => false,
                    r = wr.write_all(&buf) => r.is_ok(),
                };
                let mut written = Written::default();
                if ok {
                    batch.iter().for_each(|f| written.add(f));
                }
                (written.frames, written.tokens, ok)
            }
            Plan::Stream { ripe } => {
                let frames = queue.take_stream(COALESCED_WRITE, style.suffix.len(), ripe);
                stream(&mut wr, &frames, style.suffix, &mut buf, &kill, |w| {
                    service.written(conn, w.frames, w.tokens);
                })
                .await
            }
        };
        if frames > 0 {
            service.written(conn, frames, tokens);
        }
        if !ok {
            kill.cancel();
            return;
        }
    }
    let _ = wr.shutdown().await;
}

/// How the next write goes.
enum Plan {
    /// One write per frame of the first batch.
    OneByOne,
    /// The first batch in one write (quirk `glue`).
    Batch,
    /// A backlog: frames of as many batches as fit one write; with quirk
    /// `slow`, only batches whose delay has passed: `(now, delay)`.
    Stream { ripe: Option<(Instant, Duration)> },
}

/// Frames written and the tokens among them, to report.
#[derive(Default)]
struct Written {
    frames: usize,
    tokens: Vec<u64>,
}

impl Written {
    fn add(&mut self, f: &Frame) {
        self.frames += 1;
        self.tokens.extend(f.token);
    }
}

/// Writes `frames` as one stream, reporting (through `report`) the frames
/// that are whole in the kernel after each partial write, so that a
/// connection cut while blocked has reported every frame it got whole —
/// a frame reported written leaves the store (zap §9.4), one not reported
/// is sent again on the next connection. Returns what is left to report
/// and whether every byte was written.
async fn stream<W: AsyncWrite + Unpin>(
    wr: &mut W,
    frames: &[Frame],
    suffix: &[u8],
    buf: &mut Vec<u8>,
    kill: &CancellationToken,
    mut report: impl FnMut(Written),
) -> (usize, Vec<u64>, bool) {
    buf.clear();
    let mut ends = Vec::with_capacity(frames.len());
    for f in frames {
        buf.extend_from_slice(&f.bytes);
        buf.extend_from_slice(suffix);
        ends.push(buf.len());
    }
    let (mut sent, mut reported) = (0, 0);
    let mut ok = true;
    while sent < buf.len() {
        let n = tokio::select! {
            biased;
            _ = kill.cancelled() => None,
            r = wr.write(&buf[sent..]) => r.ok().filter(|&n| n > 0),
        };
        let Some(n) = n else {
            ok = false;
            break;
        };
        sent += n;
        let whole = ends.partition_point(|&e| e <= sent);
        if whole > reported && sent < buf.len() {
            let mut w = Written::default();
            frames[reported..whole].iter().for_each(|f| w.add(f));
            report(w);
            reported = whole;
        }
    }
    let whole = ends.partition_point(|&e| e <= sent);
    let mut w = Written::default();
    frames[reported..whole].iter().for_each(|f| w.add(f));
    (w.frames, w.tokens, ok)
}

/// What is waiting for the writer: batches in order, and how many frames
/// they hold.
#[derive(Default)]
struct Queue {
    batches: VecDeque<Batch>,
    frames: usize,
}

impl Queue {
    fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }

    fn push(&mut self, batch: Batch) {
        if batch.frames.is_empty() {
            return;
        }
        self.frames += batch.frames.len();
        self.batches.push_back(batch);
    }

    fn front_queued_at(&self) -> Option<Instant> {
        self.batches.front().map(|b| b.queued_at)
    }

    fn take_batch(&mut self) -> Vec<Frame> {
        let frames = self
            .batches
            .pop_front()
            .map(|b| b.frames)
            .unwrap_or_default();
        self.frames -= frames.len();
        frames
    }

    /// Frames from the front, in order, up to `max` bytes with `suffix`
    /// bytes after each (at least one frame), taking after the first batch
    /// only those whose delay has passed, if `ripe` is set.
    fn take_stream(
        &mut self,
        max: usize,
        suffix: usize,
        ripe: Option<(Instant, Duration)>,
    ) -> Vec<Frame> {
        let mut out = Vec::new();
        let mut bytes = 0;
        while let Some(front) = self.batches.front_mut() {
            if !out.is_empty() && ripe.is_some_and(|(now, delay)| front.queued_at + delay > now) {
                break;
            }
            let mut take = 0;
            for f in &front.frames {
                let len = f.bytes.len() + suffix;
                if (!out.is_empty() || take > 0) && bytes + len > max {
                    break;
                }
                bytes += len;
                take += 1;
            }
            let whole = take == front.frames.len();
            if whole {
                let b = self
                    .batches
                    .pop_front()
                    .map(|b| b.frames)
                    .unwrap_or_default();
                if out.is_empty() {
                    out = b;
                } else {
                    out.extend(b);
                }
            } else {
                out.extend(front.frames.drain(..take));
            }
            self.frames -= take;
            if !whole {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::pin::Pin;
    use std::sync::Mutex;
    use std::task::{Context, Poll};

    use tokio::sync::{mpsc, oneshot};

    use super::*;
    use gabarito_codec::framing::End;

    use crate::net::Ack;
    use crate::sans_io::{Fed, Next};

    /// What a socket was asked to write, one entry per write call.
    #[derive(Default)]
    struct Wire {
        writes: Vec<Vec<u8>>,
        /// Bytes the peer will still take; then every write blocks (a
        /// reader that stopped reading). `None`: unlimited.
        room: Option<usize>,
    }

    struct Sink(Arc<Mutex<Wire>>);

    impl AsyncWrite for Sink {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let mut w = self.0.lock().expect("wire");
            let n = match w.room {
                Some(0) => return Poll::Pending,
                Some(room) => room.min(buf.len()),
                None => buf.len(),
            };
            if let Some(room) = &mut w.room {
                *room -= n;
            }
            w.writes.push(buf[..n].to_vec());
            Poll::Ready(Ok(n))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// A service that only records what the writer reports written.
    #[derive(Default)]
    struct Reports(Mutex<Vec<(usize, Vec<u64>)>>);

    impl Service for Reports {
        fn feed(&self, _: ConnId, _: &[u8], _: End, _: usize) -> (Fed, Option<Ack>) {
            let fed = Fed {
                consumed: 0,
                frames: 0,
                next: Next::NeedMore { open: false },
            };
            (fed, None)
        }
        fn opened(&self, _: ConnId) -> Ack {
            oneshot::channel().1
        }
        fn written(&self, _: ConnId, frames: usize, tokens: Vec<u64>) {
            self.0.lock().expect("reports").push((frames, tokens));
        }
        fn closed(&self, _: ConnId) {}
        fn style(&self) -> WriterStyle {
            WriterStyle::default()
        }
        fn max_frame_len(&self) -> usize {
            910
        }
    }

    impl Reports {
        fn total(&self) -> (usize, Vec<u64>) {
            let r = self.0.lock().expect("reports");
            (
                r.iter().map(|(n, _)| n).sum(),
                r.iter().flat_map(|(_, t)| t.iter().copied()).collect(),
            )
        }
    }

    /// Frame `i`: `len` bytes, distinct per frame, carrying token `i`.
    fn frame(i: u64, len: usize) -> Frame {
        let mut bytes = format!("{i:04}").into_bytes();
        bytes.resize(len, b'a' + (i % 26) as u8);
        Frame {
            bytes,
            token: Some(i),
        }
    }

    fn batch(frames: Vec<Frame>) -> Batch {
        Batch {
            frames,
            queued_at: Instant::now(),
        }
    }

    /// Queues `batches` (all before the writer runs, as a backlog builds
    /// up while it is busy), closes the queue, and runs the writer to its
    /// end; returns the writes and what was reported.
    async fn write_all(
        batches: Vec<Vec<Frame>>,
        style: WriterStyle,
    ) -> (Vec<Vec<u8>>, (usize, Vec<u64>)) {
        let wire = Arc::new(Mutex::new(Wire::default()));
        let reports = Arc::new(Reports::default());
        let (tx, rx) = mpsc::unbounded_channel();
        for b in batches {
            tx.send(batch(b)).expect("queued");
        }
        drop(tx);
        let kill = CancellationToken::new();
        write_loop(
            Sink(Arc::clone(&wire)),
            rx,
            kill,
            style,
            Arc::clone(&reports),
            ConnId(1),
        )
        .await;
        let writes = std::mem::take(&mut wire.lock().expect("wire").writes);
        (writes, reports.total())
    }

    fn bytes_of(frames: &[Frame], suffix: &[u8]) -> Vec<Vec<u8>> {
        frames
            .iter()
            .map(|f| [f.bytes.as_slice(), suffix].concat())
            .collect()
    }

    #[tokio::test]
    async fn a_conversation_is_written_one_frame_per_write() {
        // zap §3.2: up to BACKLOG_FRAMES waiting, each frame is a write,
        // however the frames were batched.
        let frames: Vec<Frame> = (0..BACKLOG_FRAMES as u64).map(|i| frame(i, 40)).collect();
        let batches = vec![
            frames[..3].to_vec(),
            frames[3..4].to_vec(),
            frames[4..].to_vec(),
        ];
        let (writes, (n, tokens)) = write_all(batches, WriterStyle::default()).await;
        assert_eq!(writes, bytes_of(&frames, b""));
        assert_eq!(n, frames.len());
        assert_eq!(tokens, (0..BACKLOG_FRAMES as u64).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_backlog_is_written_as_a_stream_cut_at_frame_boundaries() {
        // zap §11.2: past BACKLOG_FRAMES waiting, frames go out together,
        // each write ending where a frame ends, in order.
        let frames: Vec<Frame> = (0..=BACKLOG_FRAMES as u64).map(|i| frame(i, 40)).collect();
        let batches = frames.iter().map(|f| vec![f.clone()]).collect();
        let (writes, (n, tokens)) = write_all(batches, WriterStyle::default()).await;
        assert_eq!(writes, vec![bytes_of(&frames, b"").concat()]);
        assert_eq!(n, frames.len());
        assert_eq!(tokens, (0..=BACKLOG_FRAMES as u64).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_long_backlog_is_written_64_kib_at_a_time() {
        let frames: Vec<Frame> = (0..300).map(|i| frame(i, 900)).collect();
        let style = WriterStyle {
            suffix: b"\n",
            ..WriterStyle::default()
        };
        let (writes, (n, tokens)) = write_all(vec![frames.clone()], style).await;
        assert!(writes.len() > 1, "{} writes", writes.len());
        assert!(writes.iter().all(|w| w.len() <= COALESCED_WRITE));
        // Every write is whole frames (each with quirk newline's suffix).
        assert!(writes.iter().all(|w| w.len() % 901 == 0));
        assert_eq!(writes.concat(), bytes_of(&frames, b"\n").concat());
        assert_eq!((n, tokens), (300, (0..300).collect()));
    }

    #[tokio::test]
    async fn a_gap_keeps_even_a_backlog_one_frame_per_write() {
        let frames: Vec<Frame> = (0..20).map(|i| frame(i, 40)).collect();
        let style = WriterStyle {
            gap: Some(Duration::from_millis(1)),
            ..WriterStyle::default()
        };
        let (writes, (n, _)) = write_all(vec![frames.clone()], style).await;
        assert_eq!(writes, bytes_of(&frames, b""));
        assert_eq!(n, 20);
    }

    #[tokio::test]
    async fn glue_writes_each_batch_at_once_backlog_or_not() {
        let frames: Vec<Frame> = (0..40).map(|i| frame(i, 40)).collect();
        let batches: Vec<Vec<Frame>> = frames.chunks(2).map(<[Frame]>::to_vec).collect();
        let style = WriterStyle {
            glue: true,
            ..WriterStyle::default()
        };
        let (writes, (n, _)) = write_all(batches.clone(), style).await;
        let want: Vec<Vec<u8>> = batches.iter().map(|b| bytes_of(b, b"").concat()).collect();
        assert_eq!(writes, want);
        assert_eq!(n, 40);
    }

    #[tokio::test]
    async fn a_reader_that_stops_mid_stream_has_its_whole_frames_reported() {
        // The peer takes 100 bytes of a backlog of 30-byte frames, then
        // nothing: three frames are whole in the kernel, the fourth is cut.
        // Those three are reported written (they leave the store, zap
        // §9.4); the cut one and the rest are not (they are sent again).
        let wire = Arc::new(Mutex::new(Wire {
            writes: Vec::new(),
            room: Some(100),
        }));
        let reports = Arc::new(Reports::default());
        let (tx, rx) = mpsc::unbounded_channel();
        for i in 0..20 {
            tx.send(batch(vec![frame(i, 30)])).expect("queued");
        }
        let kill = CancellationToken::new();
        let writer = tokio::spawn(write_loop(
            Sink(Arc::clone(&wire)),
            rx,
            kill.clone(),
            WriterStyle::default(),
            Arc::clone(&reports),
            ConnId(1),
        ));
        while reports.total().0 == 0 {
            tokio::task::yield_now().await;
        }
        kill.cancel();
        writer.await.expect("writer");
        assert_eq!(reports.total(), (3, vec![0, 1, 2]));
        let wire = wire.lock().expect("wire");
        assert_eq!(wire.writes.concat().len(), 100);
        drop(tx);
    }
}
