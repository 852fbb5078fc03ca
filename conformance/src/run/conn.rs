//! One connection to the target: writes one frame per write with
//! TCP_NODELAY; a background task reads, applies the settle rule (a pause
//! ends an open frame: zap §3.4 R5, lrv §3.3 L4) and hands over decoded
//! items in order.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout, timeout_at};

use crate::protocol::{End, FrameReader, ReadItem};

/// What happened on a connection, in order.
#[derive(Debug, Clone)]
pub enum Event {
    Item(ReadItem),
    /// EOF or reset; `Some` carries the error text of a reset.
    Closed(Option<String>),
}

/// How much of the bytes not yet a frame a report can show.
const HELD_SHOWN: usize = 512;

#[derive(Debug)]
pub struct Conn {
    write: Option<OwnedWriteHalf>,
    rx: mpsc::UnboundedReceiver<(Event, Instant)>,
    /// Events taken from `rx` and put back by an `expect-optional` that did
    /// not match, with when they arrived.
    lookahead: VecDeque<(Event, Instant)>,
    task: JoinHandle<()>,
    closed: bool,
    /// When the event last handed out arrived.
    last_arrival: Option<Instant>,
    /// The start of the bytes received and not yet a frame (at most
    /// [`HELD_SHOWN`]).
    held: Arc<Mutex<Vec<u8>>>,
    /// The target closed first (the reader saw EOF or a reset).
    peer_closed: Arc<std::sync::atomic::AtomicBool>,
}

impl Conn {
    pub async fn open(
        addr: SocketAddr,
        connect_timeout: Duration,
        settle: Duration,
        reader: Box<dyn FrameReader>,
    ) -> std::io::Result<Conn> {
        let stream = timeout(connect_timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out")
            })??;
        stream.set_nodelay(true)?;
        let (mut read, write) = stream.into_split();
        let (tx, rx) = mpsc::unbounded_channel();
        let held = Arc::new(Mutex::new(Vec::new()));
        let held_by_task = Arc::clone(&held);
        let peer_closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let saw_close = peer_closed.clone();
        let task = tokio::spawn(async move {
            let mut reader = reader;
            let mut buf = vec![0u8; 4096];
            let mut arrived = Instant::now();
            let drain = |reader: &mut Box<dyn FrameReader>, end: End, at: Instant| {
                let mut ok = true;
                while let Some(item) = reader.next(end) {
                    ok &= tx.send((Event::Item(item), at)).is_ok();
                }
                if let Ok(mut h) = held_by_task.lock() {
                    let pending = reader.pending();
                    h.clear();
                    h.extend_from_slice(&pending[..pending.len().min(HELD_SHOWN)]);
                }
                ok
            };
            loop {
                let read_result = if reader.pending().is_empty() {
                    Ok(read.read(&mut buf).await)
                } else {
                    timeout(settle, read.read(&mut buf)).await
                };
                match read_result {
                    Ok(Ok(0)) | Ok(Err(_)) => {
                        let now = Instant::now();
                        saw_close.store(true, std::sync::atomic::Ordering::SeqCst);
                        drain(&mut reader, End::Boundary, arrived);
                        if let Some(rest) = reader.closed() {
                            let _ = tx.send((Event::Item(rest), arrived));
                        }
                        let why = match read_result {
                            Ok(Err(e)) => Some(e.to_string()),
                            _ => None,
                        };
                        let _ = tx.send((Event::Closed(why), now));
                        return;
                    }
                    Ok(Ok(n)) => {
                        arrived = Instant::now();
                        reader.push(&buf[..n]);
                        if !drain(&mut reader, End::More, arrived) {
                            return;
                        }
                    }
                    Err(_settled) => {
                        if !drain(&mut reader, End::Boundary, arrived) {
                            return;
                        }
                    }
                }
            }
        });
        Ok(Conn {
            write: Some(write),
            rx,
            lookahead: VecDeque::new(),
            task,
            closed: false,
            last_arrival: None,
            held,
            peer_closed,
        })
    }

    /// Writes `bytes` in one write call.
    pub async fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self.write.as_mut() {
            Some(w) => {
                w.write_all(bytes).await?;
                w.flush().await
            }
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotConnected,
                "connection already closed",
            )),
        }
    }

    /// The next event before `deadline`, or `None` at the deadline.
    pub async fn next_event(&mut self, deadline: Instant) -> Option<Event> {
        if let Some((e, at)) = self.lookahead.pop_front() {
            self.last_arrival = Some(at);
            return Some(e);
        }
        if self.closed {
            return Some(Event::Closed(None));
        }
        match timeout_at(deadline, self.rx.recv()).await {
            Ok(Some((e, at))) => {
                if matches!(e, Event::Closed(_)) {
                    self.closed = true;
                }
                self.last_arrival = Some(at);
                Some(e)
            }
            Ok(None) => {
                self.closed = true;
                Some(Event::Closed(None))
            }
            Err(_) => None,
        }
    }

    /// Puts an event back at the head (for `expect-optional`).
    pub fn unread(&mut self, e: Event) {
        let at = self.last_arrival.unwrap_or_else(Instant::now);
        self.lookahead.push_front((e, at));
    }

    /// When the event last handed out by [`Conn::next_event`] arrived.
    pub fn last_arrival(&self) -> Option<Instant> {
        self.last_arrival
    }

    /// The start of the bytes received and not yet a whole frame.
    pub fn held(&self) -> Vec<u8> {
        self.held.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// Closes our side; the reader stops. After the target closed first,
    /// with a reset: a FIN would leave the target's side in TIME_WAIT on
    /// its own port for 60 s, and a restarted server that does not set
    /// SO_REUSEADDR (no student's does) could not bind it.
    pub async fn close(mut self) {
        if let Some(mut w) = self.write.take() {
            if self.peer_closed.load(std::sync::atomic::Ordering::SeqCst) {
                let _ = socket2::SockRef::from(w.as_ref()).set_linger(Some(Duration::ZERO));
                // Dropped, the write half would send a FIN first.
                w.forget();
            } else {
                let _ = w.shutdown().await;
            }
        }
        self.task.abort();
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        self.task.abort();
    }
}
