//! One connection's read side: bytes in, frames to the [`Service`].

use std::collections::VecDeque;
use std::fmt;
use std::future::{Future, poll_fn};
use std::io;
use std::pin::pin;
use std::task::Poll;

use tokio::net::tcp::OwnedReadHalf;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use gabarito_codec::framing::End;

use super::{Ack, Service};
use crate::ConnId;
use crate::config::Limits;
use crate::sans_io::Next;

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 4096;

/// Frames acted on whose commit has not been acknowledged, checked after
/// each call of the service. Each frame's effects become visible only
/// after its commit (the driver dispatches after committing, in order), so
/// the reader may run ahead of the disk; this bounds how far, and lets one
/// busy connection fill a group commit.
const MAX_PIPELINE: usize = 128;

/// Frames handed to the service in one call: one lock of the protocol
/// state and one job for the committer for all of them, instead of one
/// each (a 4 KiB read holds about 60 typical 05s). The pipeline holds two
/// calls' worth, so the next read is acted on while the last commits.
const FRAMES_PER_FEED: usize = 64;

/// Why a connection's reading ended.
#[derive(Debug)]
pub(super) enum Outcome {
    Eof,
    /// The protocol closed it after what it read ([`Next::Close`]).
    Done,
    /// No frame was completed for the idle timeout (zap §11.2, lrv §10.2).
    Idle,
    /// The protocol closed it (newest connection wins, close-on-ignore, …).
    Stopped,
    Shutdown,
    Error(std::io::Error),
    /// The store stopped acknowledging: the server is going down.
    StoreGone,
    /// More buffered than any frame can be: a protocol bug, not the peer's.
    Overflow,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Eof => f.write_str("peer closed"),
            Outcome::Done => f.write_str("ended by the protocol"),
            Outcome::Idle => f.write_str("idle timeout"),
            Outcome::Stopped => f.write_str("closed by the server"),
            Outcome::Shutdown => f.write_str("server shutting down"),
            Outcome::Error(e) => write!(f, "read error: {e}"),
            Outcome::StoreGone => f.write_str("store stopped"),
            Outcome::Overflow => f.write_str("receive buffer overflow"),
        }
    }
}

/// What one wait for bytes ended with.
enum Read {
    Bytes,
    Eof,
    /// The wait's deadline passed with nothing read.
    Quiet,
}

/// Reads until the peer closes, sends garbage, idles out, or is stopped.
///
/// zap §3.4: after each read every whole frame is taken off the buffer. If
/// what remains is a frame that a read boundary would end (an open 05/10 or
/// a member list), the next read waits only the settle time (R5); if nothing
/// comes, the boundary ends it. A fixed frame cut short waits for the idle
/// timeout (zap §10.1, "wrong length"). At EOF the remainder gets a boundary.
///
/// The idle timeout runs from the last frame completed, not the last byte
/// read (zap §11.2, lrv §10.2): a peer that trickles bytes that never make
/// a frame — a byte a second, an over-long lrv line without end — is closed
/// as idle all the same.
///
/// The buffer is read into directly and holds no memory while the peer has
/// nothing to send and nothing is left over (zap §11.2 allows 10 000 idle
/// connections; most of them are idle).
pub(super) async fn read_loop<S: Service>(
    rd: OwnedReadHalf,
    conn: ConnId,
    service: &S,
    limits: &Limits,
    stop: &CancellationToken,
    shutdown: &CancellationToken,
    opened: Ack,
) -> Outcome {
    let mut buf: Vec<u8> = Vec::new();
    let mut acks = Pipeline::new(opened);
    let mut idle_at = Instant::now() + limits.idle_timeout;
    let outcome = loop {
        let taken = match take_frames(service, conn, &mut buf, End::More, &mut acks).await {
            Ok(taken) => taken,
            Err(o) => break o,
        };
        if taken.frames > 0 {
            idle_at = Instant::now() + limits.idle_timeout;
        }
        if let Some(until) = taken.pause {
            tokio::select! {
                biased;
                _ = stop.cancelled() => break Outcome::Stopped,
                _ = shutdown.cancelled() => break Outcome::Shutdown,
                () = tokio::time::sleep_until(until) => continue,
            }
        }
        if Instant::now() >= idle_at {
            break Outcome::Idle;
        }
        if buf.len() > service.max_frame_len() + READ_CHUNK {
            break Outcome::Overflow;
        }
        let deadline = if taken.open {
            (Instant::now() + limits.settle).min(idle_at)
        } else {
            idle_at
        };
        let read = tokio::select! {
            biased;
            _ = stop.cancelled() => break Outcome::Stopped,
            _ = shutdown.cancelled() => {
                if let Err(o) = drain_at_shutdown(service, conn, &rd, &mut buf, &mut acks).await {
                    break o;
                }
                break Outcome::Shutdown;
            }
            read = read_until(&rd, &mut buf, deadline) => read,
        };
        match read {
            Ok(Read::Bytes) => {}
            Ok(Read::Eof) => {
                if let Err(o) = take_frames(service, conn, &mut buf, End::Boundary, &mut acks).await
                {
                    break o;
                }
                break Outcome::Eof;
            }
            Ok(Read::Quiet) if taken.open => {
                match take_frames(service, conn, &mut buf, End::Boundary, &mut acks).await {
                    Ok(t) if t.frames > 0 => idle_at = Instant::now() + limits.idle_timeout,
                    Ok(_) => {}
                    Err(o) => break o,
                }
            }
            Ok(Read::Quiet) => break Outcome::Idle,
            Err(e) => break Outcome::Error(e),
        }
    };
    // Whatever was acted on is committed and dispatched before the
    // connection is reported closed.
    acks.settle().await;
    outcome
}

/// Waits until the socket has bytes (then reads them onto `buf`), EOF, or
/// `deadline`. The buffer gets its memory only once there is something to
/// read, and an empty one gives its memory back when the wait is not over
/// at once: an idle connection holds no read buffer.
async fn read_until(rd: &OwnedReadHalf, buf: &mut Vec<u8>, deadline: Instant) -> io::Result<Read> {
    loop {
        let mut ready = pin!(tokio::time::timeout_at(deadline, rd.readable()));
        let now = if buf.is_empty() && buf.capacity() > 0 {
            poll_fn(|cx| Poll::Ready(ready.as_mut().poll(cx))).await
        } else {
            Poll::Pending
        };
        let ready = match now {
            Poll::Ready(r) => r,
            Poll::Pending => {
                if buf.is_empty() {
                    *buf = Vec::new();
                }
                ready.await
            }
        };
        match ready {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Ok(Read::Quiet),
        }
        if buf.capacity() - buf.len() < READ_CHUNK {
            buf.reserve_exact(READ_CHUNK);
        }
        match rd.try_read_buf(buf) {
            Ok(0) => return Ok(Read::Eof),
            Ok(_) => return Ok(Read::Bytes),
            // Readiness can be stale; wait again, to the same deadline.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
}

/// A graceful shutdown loses nothing the peer already sent (zap §11.1):
/// what the kernel holds for this socket is read without waiting, and the
/// shutdown is a read boundary (R5) for the frame left open, as EOF is. A
/// connection held back by a rate limit ([`Next::Pause`]) is read no
/// further: what it sent past the limit was never answered.
async fn drain_at_shutdown<S: Service>(
    service: &S,
    conn: ConnId,
    rd: &OwnedReadHalf,
    buf: &mut Vec<u8>,
    acks: &mut Pipeline,
) -> Result<(), Outcome> {
    loop {
        if buf.capacity() - buf.len() < READ_CHUNK {
            buf.reserve_exact(READ_CHUNK);
        }
        match rd.try_read_buf(buf) {
            Ok(0) => break,
            Ok(_) => {
                if take_frames(service, conn, buf, End::More, acks)
                    .await?
                    .pause
                    .is_some()
                {
                    return Ok(());
                }
            }
            Err(_) => break,
        }
    }
    take_frames(service, conn, buf, End::Boundary, acks)
        .await
        .map(|_| ())
}

/// What [`take_frames`] did.
#[derive(Debug, Clone, Copy, Default)]
struct Taken {
    /// What is left is an open frame: worth waiting only the settle time.
    open: bool,
    /// Frames acted on.
    frames: usize,
    /// The service asked to be fed nothing more until then.
    pause: Option<Instant>,
}

/// Feeds the buffer to the service until no whole frame remains (or it
/// asks for a pause), then drops what was taken (one move of the
/// remainder, not one per frame).
async fn take_frames<S: Service>(
    service: &S,
    conn: ConnId,
    buf: &mut Vec<u8>,
    end: End,
    acks: &mut Pipeline,
) -> Result<Taken, Outcome> {
    let mut start = 0;
    let mut taken = Taken::default();
    let result = loop {
        let (fed, ack) = service.feed(conn, &buf[start..], end, FRAMES_PER_FEED);
        start += fed.consumed.min(buf.len() - start);
        taken.frames += fed.frames;
        if let Some(ack) = ack {
            acks.push(ack, fed.frames);
        }
        match fed.next {
            Next::Close => break Err(Outcome::Done),
            Next::NeedMore { open } => {
                taken.open = open;
                break Ok(taken);
            }
            Next::Pause(until) => {
                taken.pause = Some(Instant::from_std(until));
                break Ok(taken);
            }
            Next::More => {}
            Next::Wait => {
                if let Err(o) = acks.flush().await {
                    break Err(o);
                }
            }
        }
        if let Err(o) = acks.bound().await {
            break Err(o);
        }
    };
    buf.drain(..start);
    if result.is_ok() {
        acks.bound().await?;
    }
    result
}

/// Acknowledgements of what was acted on, oldest first, with how many
/// frames each covers.
struct Pipeline {
    acks: VecDeque<(Ack, usize)>,
    frames: usize,
}

impl Pipeline {
    fn new(opened: Ack) -> Self {
        Pipeline {
            acks: VecDeque::from([(opened, 1)]),
            frames: 1,
        }
    }

    fn push(&mut self, ack: Ack, frames: usize) {
        self.acks.push_back((ack, frames));
        self.frames += frames;
    }

    /// Waits for the oldest acknowledgements until at most
    /// [`MAX_PIPELINE`] frames are unacknowledged.
    async fn bound(&mut self) -> Result<(), Outcome> {
        while self.frames > MAX_PIPELINE {
            let Some((oldest, frames)) = self.acks.pop_front() else {
                break;
            };
            self.frames -= frames;
            oldest.await.map_err(|_| Outcome::StoreGone)?;
        }
        Ok(())
    }

    /// Waits for every acknowledgement so far ([`Next::Wait`]).
    async fn flush(&mut self) -> Result<(), Outcome> {
        while let Some((oldest, frames)) = self.acks.pop_front() {
            self.frames -= frames;
            oldest.await.map_err(|_| Outcome::StoreGone)?;
        }
        Ok(())
    }

    /// Waits for every acknowledgement; a store that is gone acknowledges
    /// nothing more, and that is not waited for.
    async fn settle(self) {
        for (ack, _) in self.acks {
            let _ = ack.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::io::AsyncWriteExt;
    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    /// Reads until `want` bytes are in `buf`.
    async fn read_all(rd: &OwnedReadHalf, buf: &mut Vec<u8>, want: usize) {
        while buf.len() < want {
            let deadline = Instant::now() + Duration::from_secs(10);
            match read_until(rd, buf, deadline).await.expect("read") {
                Read::Bytes => {}
                Read::Eof => panic!("EOF"),
                Read::Quiet => panic!("nothing arrived"),
            }
        }
    }

    /// zap §11.2: 10 000 idle connections must fit in memory, so a
    /// connection waiting with nothing left over holds no read buffer.
    #[tokio::test]
    async fn an_idle_connection_holds_no_read_buffer() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let mut client = TcpStream::connect(listener.local_addr().expect("addr"))
            .await
            .expect("connect");
        let (server, _) = listener.accept().await.expect("accept");
        let (rd, _wr) = server.into_split();
        let mut buf = Vec::new();

        client.write_all(b"0120").await.expect("write");
        read_all(&rd, &mut buf, 4).await;
        assert_eq!(buf, b"0120");
        // A fixed frame cut short is kept while the next bytes are awaited.
        buf.drain(..2);
        let soon = Instant::now() + Duration::from_millis(20);
        assert!(matches!(
            read_until(&rd, &mut buf, soon).await,
            Ok(Read::Quiet)
        ));
        assert_eq!(buf, b"20");
        // Everything was taken: the buffer goes while nothing comes...
        buf.clear();
        let soon = Instant::now() + Duration::from_millis(20);
        assert!(matches!(
            read_until(&rd, &mut buf, soon).await,
            Ok(Read::Quiet)
        ));
        assert_eq!(buf.capacity(), 0);
        // ...and comes back with the next bytes.
        client.write_all(b"01").await.expect("write");
        read_all(&rd, &mut buf, 2).await;
        assert_eq!(buf, b"01");
        drop(client);
        buf.clear();
        let later = Instant::now() + Duration::from_secs(10);
        assert!(matches!(
            read_until(&rd, &mut buf, later).await,
            Ok(Read::Eof)
        ));
    }
}
