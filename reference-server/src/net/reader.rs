//! One connection's read side: bytes in, frames to the [`Service`].

use std::collections::VecDeque;
use std::fmt;

use tokio::io::AsyncReadExt;
use tokio::net::tcp::OwnedReadHalf;
use tokio_util::sync::CancellationToken;

use super::{Ack, End, Feed, Service};
use crate::ConnId;
use crate::config::Limits;

/// Bytes asked of the socket per read.
const READ_CHUNK: usize = 4096;

/// Frames acted on whose commit has not been acknowledged. Each frame's
/// effects become visible only after its commit (the driver dispatches
/// after committing, in order), so the reader may run ahead of the disk;
/// this bounds how far, and lets one busy connection fill a group commit.
const MAX_PIPELINE: usize = 64;

/// Why a connection's reading ended.
#[derive(Debug)]
pub(super) enum Outcome {
    Eof,
    Malformed,
    /// Nothing arrived for the idle timeout (zap §11.2).
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
            Outcome::Malformed => f.write_str("malformed input"),
            Outcome::Idle => f.write_str("idle timeout"),
            Outcome::Stopped => f.write_str("closed by the server"),
            Outcome::Shutdown => f.write_str("server shutting down"),
            Outcome::Error(e) => write!(f, "read error: {e}"),
            Outcome::StoreGone => f.write_str("store stopped"),
            Outcome::Overflow => f.write_str("receive buffer overflow"),
        }
    }
}

/// Reads until the peer closes, sends garbage, idles out, or is stopped.
///
/// zap §3.4: after each read every whole frame is taken off the buffer. If
/// what remains is a frame that a read boundary would end (an open 05/10 or
/// a member list), the next read waits only the settle time (R5); if nothing
/// comes, the boundary ends it. A fixed frame cut short waits for the idle
/// timeout (zap §10.1, "wrong length"). At EOF the remainder gets a boundary.
pub(super) async fn read_loop<S: Service>(
    mut rd: OwnedReadHalf,
    conn: ConnId,
    service: &S,
    limits: &Limits,
    stop: &CancellationToken,
    shutdown: &CancellationToken,
    opened: Ack,
) -> Outcome {
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut chunk = vec![0u8; READ_CHUNK];
    let mut acks: VecDeque<Ack> = VecDeque::from([opened]);
    let outcome = loop {
        let open = match take_frames(service, conn, &mut buf, End::More, &mut acks).await {
            Ok(open) => open,
            Err(o) => break o,
        };
        if buf.len() > service.max_frame_len() + READ_CHUNK {
            break Outcome::Overflow;
        }
        let wait = if open {
            limits.settle
        } else {
            limits.idle_timeout
        };
        tokio::select! {
            biased;
            _ = stop.cancelled() => break Outcome::Stopped,
            _ = shutdown.cancelled() => {
                if let Err(o) = drain_at_shutdown(service, conn, &mut rd, &mut buf, &mut chunk, &mut acks).await {
                    break o;
                }
                break Outcome::Shutdown;
            }
            read = tokio::time::timeout(wait, rd.read(&mut chunk)) => match read {
                Ok(Ok(0)) => {
                    if let Err(o) = take_frames(service, conn, &mut buf, End::Boundary, &mut acks).await {
                        break o;
                    }
                    break Outcome::Eof;
                }
                Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
                Ok(Err(e)) => break Outcome::Error(e),
                Err(_) if open => {
                    if let Err(o) = take_frames(service, conn, &mut buf, End::Boundary, &mut acks).await {
                        break o;
                    }
                }
                Err(_) => break Outcome::Idle,
            },
        }
    };
    // Whatever was acted on is committed and dispatched before the
    // connection is reported closed.
    for ack in acks {
        let _ = ack.await;
    }
    outcome
}

/// A graceful shutdown loses nothing the peer already sent (zap §11.1):
/// what the kernel holds for this socket is read without waiting, and the
/// shutdown is a read boundary (R5) for the frame left open, as EOF is.
async fn drain_at_shutdown<S: Service>(
    service: &S,
    conn: ConnId,
    rd: &mut OwnedReadHalf,
    buf: &mut Vec<u8>,
    chunk: &mut [u8],
    acks: &mut VecDeque<Ack>,
) -> Result<(), Outcome> {
    loop {
        match rd.try_read(chunk) {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                take_frames(service, conn, buf, End::More, acks).await?;
            }
            Err(_) => break,
        }
    }
    take_frames(service, conn, buf, End::Boundary, acks)
        .await
        .map(|_| ())
}

/// Feeds the buffer to the service until no whole frame remains; returns
/// whether what is left is an open frame.
async fn take_frames<S: Service>(
    service: &S,
    conn: ConnId,
    buf: &mut Vec<u8>,
    end: End,
    acks: &mut VecDeque<Ack>,
) -> Result<bool, Outcome> {
    loop {
        match service.feed(conn, buf, end) {
            Feed::Frame { consumed, ack } => {
                buf.drain(..consumed.min(buf.len()));
                acks.push_back(ack);
                while acks.len() > MAX_PIPELINE {
                    if let Some(oldest) = acks.pop_front() {
                        oldest.await.map_err(|_| Outcome::StoreGone)?;
                    }
                }
            }
            Feed::NeedMore { discard, open } => {
                buf.drain(..discard.min(buf.len()));
                return Ok(open);
            }
            Feed::Malformed { ack } => {
                acks.push_back(ack);
                return Err(Outcome::Malformed);
            }
        }
    }
}
