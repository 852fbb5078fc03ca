//! One benchmark connection to a zap target: connect, register (01 → 02,
//! zap §5.1), log in (03, §5.3), and read what the target sends through
//! the codec's stream decoder, each frame stamped by its arrival
//! (`bench/inbox.rs`).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use gabarito_codec::StreamDecoder;
use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::zap::{Direction, End, Id, Message, Zap};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use super::Config;
use crate::bench::inbox::Inbox;

/// A connection's halves, each usable from its own task.
#[derive(Debug)]
pub struct Conn {
    pub reader: Reader,
    pub writer: Writer,
}

/// Connects with TCP_NODELAY, so one write is one segment (zap §3.2).
pub async fn connect(addr: SocketAddr, cfg: &Config, who: String) -> Result<Conn> {
    let sock = tokio::time::timeout(cfg.timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| {
            anyhow::anyhow!(
                "{who}: connecting to {addr} timed out after {:?}",
                cfg.timeout
            )
        })?
        .with_context(|| format!("{who}: connecting to {addr}"))?;
    sock.set_nodelay(true)?;
    let (rd, wr) = sock.into_split();
    Ok(Conn {
        reader: Reader {
            rd,
            frames: StreamDecoder::new(Direction::ToClient),
            inbox: Inbox::default(),
            settle: cfg.settle,
            timeout: cfg.timeout,
            who: who.clone(),
        },
        writer: Writer {
            wr,
            timeout: cfg.timeout,
            who,
        },
    })
}

impl Conn {
    /// Small read buffers, for connections that will mostly sit idle.
    pub fn with_small_reads(mut self) -> Self {
        self.reader.inbox = Inbox::with_chunk(1024);
        self
    }

    /// 01 → 02: a new user id.
    pub async fn register(&mut self) -> Result<Id<'static>> {
        self.writer.send(&Message::Register.to_bytes()).await?;
        self.reader.registered().await
    }

    /// 03, confirmed: the target answers a following 01 only after acting
    /// on the 03 (zap §11.1), so once the 02 is back the connection is
    /// online and nothing sent to `id` afterwards is stored instead.
    pub async fn login(&mut self, id: &Id<'_>) -> Result<()> {
        let connect = Message::Connect { id: id.reborrow() }.to_bytes();
        self.writer.send(&connect).await?;
        self.writer.send(&Message::Register.to_bytes()).await?;
        self.reader.registered().await.map(|_| ())
    }
}

#[derive(Debug)]
pub struct Writer {
    wr: OwnedWriteHalf,
    timeout: Duration,
    pub who: String,
}

impl Writer {
    /// One write call; a target that stops reading for the timeout is an
    /// error, not a hang.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<()> {
        match tokio::time::timeout(self.timeout, self.wr.write_all(bytes)).await {
            Ok(r) => r.with_context(|| format!("{}: writing to the target", self.who)),
            Err(_) => bail!(
                "{}: the target took no bytes for {:?} (it stopped reading)",
                self.who,
                self.timeout
            ),
        }
    }
}

#[derive(Debug)]
pub struct Reader {
    rd: OwnedReadHalf,
    frames: StreamDecoder<Zap>,
    inbox: Inbox,
    settle: Duration,
    timeout: Duration,
    pub who: String,
}

impl Reader {
    /// Calls `on` with each frame the target sends and the instant its last
    /// byte arrived, until `on` returns `Ok(true)`; frames after that one
    /// stay buffered for the next call.
    ///
    /// Framing is zap §3.4: a 06's data ends at the next frame header or at
    /// a read boundary, i.e. when nothing more arrives within the settle
    /// time (R5). Bytes that are no frame, EOF, and silence for the timeout
    /// are errors naming this connection.
    pub async fn read_until(
        &mut self,
        mut on: impl FnMut(&Message<'_>, Instant) -> Result<bool>,
    ) -> Result<()> {
        let mut end = End::More;
        let mut at_eof = false;
        loop {
            loop {
                let d = match self.frames.next_borrowed(end) {
                    Ok(Some(d)) => d,
                    Ok(None) => break,
                    Err(i) => bail!(
                        "{}: the target sent bytes that are no zap frame (zap §3.6): {i}; bytes: \"{}\"",
                        self.who,
                        escape_excerpt(self.frames.pending(), 120)
                    ),
                };
                let at = self.inbox.arrival(d.len).unwrap_or_else(Instant::now);
                let done = on(&d.message, at).with_context(|| self.who.clone())?;
                let len = d.len;
                self.inbox.consume(len);
                if done {
                    return Ok(());
                }
            }
            if at_eof {
                bail!("{}: the target closed the connection", self.who);
            }
            let open = end == End::More && !self.frames.pending().is_empty();
            let wait = if open { self.settle } else { self.timeout };
            end = End::More;
            let read = self.inbox.fill(&mut self.rd, &mut self.frames);
            match tokio::time::timeout(wait, read).await {
                Ok(Ok(0)) => {
                    at_eof = true;
                    end = End::Boundary;
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => bail!("{}: reading from the target: {e}", self.who),
                Err(_) if open => end = End::Boundary,
                Err(_) => bail!(
                    "{}: nothing from the target for {:?}{}",
                    self.who,
                    self.timeout,
                    if self.frames.pending().is_empty() {
                        String::new()
                    } else {
                        format!(
                            " (holding an unfinished frame: \"{}\")",
                            escape_excerpt(self.frames.pending(), 120)
                        )
                    }
                ),
            }
        }
    }

    /// Reads up to and including a 02; anything else first is an error.
    pub async fn registered(&mut self) -> Result<Id<'static>> {
        self.registered_at().await.map(|(id, _)| id)
    }

    /// [`Reader::registered`], with when the 02 arrived.
    pub async fn registered_at(&mut self) -> Result<(Id<'static>, Instant)> {
        let mut got = None;
        self.read_until(|m, at| match m {
            Message::Registered { id } => {
                got = Some((id.reborrow().into_owned(), at));
                Ok(true)
            }
            other => bail!("expected a 02 (zap §5.2), got {}", describe(other)),
        })
        .await?;
        got.context("no 02")
    }
}

/// A frame as it would be written, for error messages.
pub fn describe(m: &Message<'_>) -> String {
    format!("\"{}\"", escape_excerpt(&m.to_bytes(), 120))
}
