//! [`Client`]: one zap connection from the client's side, with the calls of
//! zap §5–§8 and a cancel-safe stream of [`Event`]s.
//!
//! Requests that have a reply (01→02, 10→11) wait for it and set aside
//! every other event that arrives meanwhile, to be returned by
//! [`Client::next_event`] in order: nothing the server sends is lost to a
//! caller that is waiting for something else.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gabarito_client::zap::ClientError> {
//! use gabarito_client::zap::{Client, Event};
//!
//! let mut client = Client::connect("127.0.0.1:5000").await?;
//! let me = client.register().await?; // 01 → 02
//! client.login(me.clone()).await?; // 03: what was kept for us follows
//! client.send(&me, "a note to myself").await?; // 05
//! while let Some(event) = client.next_event().await? {
//!     if let Event::Message(m) = &event {
//!         client.mark_read(&m.from, &m.timestamp).await?; // 08
//!     }
//!     println!("{event:?}");
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::VecDeque;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gabarito_codec::zap::{Chat, Id, Message, RequestedMembers, Text, Timestamp};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

use crate::conn;
use crate::error::{ClientError, Result};

use super::event::{Event, GroupNotice};
use super::reader::FrameReader;
use super::writer::FrameWriter;

/// Timing of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// A pause this long inside an open 06/11 tail ends it (zap §3.4 R5).
    pub settle: Duration,
    /// Least time between two writes (zap §3.2); zero for none.
    pub pace: Duration,
    /// Least time before a frame that the server could otherwise read as
    /// the continuation of the 05/10 before it (see `writer.rs`); longer
    /// than the server's settle time (20 ms at the reference server).
    pub tail_gap: Duration,
    /// Longest wait for the TCP connection.
    pub connect_timeout: Duration,
    /// Longest wait for a 02 after a 01, or an 11 after a 10.
    pub reply_timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            settle: Duration::from_millis(20),
            pace: Duration::from_millis(5),
            tail_gap: Duration::from_millis(50),
            connect_timeout: Duration::from_secs(5),
            reply_timeout: Duration::from_secs(5),
        }
    }
}

/// A connection to a zap server.
#[derive(Debug)]
pub struct Client {
    tx: Sender,
    rx: Events,
    reply_timeout: Duration,
}

/// The sending half of a [`Client`] (see [`Client::into_split`]).
#[derive(Debug)]
pub struct Sender {
    writer: FrameWriter<OwnedWriteHalf>,
    me: Option<Id<'static>>,
}

/// The receiving half of a [`Client`].
#[derive(Debug)]
pub struct Events {
    reader: FrameReader<OwnedReadHalf>,
    stash: VecDeque<Event>,
}

/// The current time as a zap timestamp (zap §4.1: POSIX seconds).
pub fn now() -> Result<Timestamp<'static>> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| ClientError::Clock)?
        .as_secs();
    Timestamp::from_secs(secs).ok_or(ClientError::Clock)
}

/// Validates message text (zap §4.1: at most 218 characters, no NUL).
pub fn text(s: &str) -> Result<Text<'static>> {
    Text::owned(s.to_owned()).map_err(|e| ClientError::text(s, e))
}

/// The members a 10 names for `members`: without duplicates and without
/// the creator (zap §8.1), at most 7.
pub fn group_members(me: &Id<'_>, members: &[Id<'_>]) -> Result<Vec<Id<'static>>> {
    let mut out: Vec<Id<'static>> = Vec::new();
    for m in members {
        if m != me && !out.iter().any(|o| o == m) {
            out.push(m.clone().into_owned());
        }
    }
    if out.len() > 7 {
        return Err(ClientError::TooManyMembers { given: out.len() });
    }
    Ok(out)
}

impl Client {
    /// Connects to `addr` (`host:port`) with the default timing.
    pub async fn connect(addr: &str) -> Result<Client> {
        Client::connect_with(addr, ClientConfig::default()).await
    }

    pub async fn connect_with(addr: &str, config: ClientConfig) -> Result<Client> {
        let stream = conn::connect(addr, config.connect_timeout).await?;
        Ok(Client::from_stream(stream, config))
    }

    /// Wraps a connected stream; sets TCP_NODELAY (zap §3.2).
    pub fn from_stream(stream: TcpStream, config: ClientConfig) -> Client {
        // Without NODELAY frames are only delayed, never lost: not fatal.
        let _ = stream.set_nodelay(true);
        let (rd, wr) = stream.into_split();
        Client {
            tx: Sender {
                writer: FrameWriter::new(wr, config.pace, config.tail_gap),
                me: None,
            },
            rx: Events {
                reader: FrameReader::new(rd, config.settle),
                stash: VecDeque::new(),
            },
            reply_timeout: config.reply_timeout,
        }
    }

    /// The id this connection logged in as, if any.
    pub fn id(&self) -> Option<&Id<'static>> {
        self.tx.me.as_ref()
    }

    /// `01` → `02`: a new id (zap §5.1, §5.2). Does not log in (zap §12
    /// D10): call [`Client::login`] next.
    pub async fn register(&mut self) -> Result<Id<'static>> {
        self.tx.send_message(&Message::Register).await?;
        self.wait_for(
            "02 (registered)",
            "zap §5.2",
            " (is this a zap server?)",
            |e| match e {
                Event::Registered { id } => Ok(id),
                other => Err(other),
            },
        )
        .await
    }

    /// `03`: go online as `id` (zap §5.3). There is no reply; what the
    /// server kept for `id` arrives next, as events.
    pub async fn login(&mut self, id: Id<'static>) -> Result<()> {
        self.tx.login(id).await
    }

    /// `05` to a user or a group, stamped with the current time (zap §6.1).
    pub async fn send(&mut self, to: &Id<'_>, text: &str) -> Result<Chat<'static>> {
        self.tx.send(to, text).await
    }

    /// `05` with a chosen timestamp.
    pub async fn send_at(
        &mut self,
        to: &Id<'_>,
        timestamp: Timestamp<'static>,
        text: &str,
    ) -> Result<Chat<'static>> {
        self.tx.send_at(to, timestamp, text).await
    }

    /// `08`: we read what `from` sent us up to `up_to` (zap §7.2).
    pub async fn mark_read(&mut self, from: &Id<'_>, up_to: &Timestamp<'_>) -> Result<()> {
        self.tx.mark_read(from, up_to).await
    }

    /// `10` → `11`: a group of us and `members` (zap §8.1, §8.2). Waits for
    /// the 11 that names us first and then exactly the members asked for.
    pub async fn create_group(&mut self, members: &[Id<'_>]) -> Result<GroupNotice> {
        let members = self.tx.request_group(members).await?;
        let mut expected = vec![self.tx.me()?.clone()];
        expected.extend(members);
        self.wait_for(
            "11 (group created)",
            "zap §8.2",
            " (the server may not implement groups, or a member id is unknown: zap §8.1)",
            |e| match e {
                Event::Group(g) if g.members == expected => Ok(g),
                other => Err(other),
            },
        )
        .await
    }

    /// Writes any message, e.g. a deliberately odd one in a test.
    pub async fn send_message(&mut self, m: &Message<'_>) -> Result<()> {
        self.tx.send_message(m).await
    }

    /// The next event, or `Ok(None)` once the server closed the connection.
    /// Cancel-safe.
    pub async fn next_event(&mut self) -> Result<Option<Event>> {
        self.rx.next().await
    }

    /// The next event already received, without waiting.
    pub fn buffered_event(&mut self) -> Option<Event> {
        self.rx.buffered()
    }

    /// Half-closes the connection: the server sees EOF and closes, and
    /// [`Client::next_event`] returns what it wrote before that, then
    /// `None`. The way to leave without losing anything already written to
    /// us (the server counts written as delivered, zap §9.4).
    pub async fn shutdown(&mut self) -> Result<()> {
        self.tx.shutdown().await
    }

    /// Splits into halves that can be used from different tasks.
    pub fn into_split(self) -> (Sender, Events) {
        (self.tx, self.rx)
    }

    /// Reads until `pick` accepts an event, setting the others aside.
    async fn wait_for<T>(
        &mut self,
        expected: &'static str,
        section: &'static str,
        hint: &'static str,
        mut pick: impl FnMut(Event) -> Result<T, Event>,
    ) -> Result<T> {
        let after = self.reply_timeout;
        let deadline = tokio::time::Instant::now() + after;
        let mut set_aside = Vec::new();
        let result = loop {
            let next = tokio::time::timeout_at(deadline, self.rx.read_new()).await;
            match next {
                Err(_) => {
                    break Err(ClientError::NoReply {
                        sent: None,
                        expected: expected.to_owned(),
                        section,
                        after,
                        skipped: Vec::new(),
                        hint,
                    });
                }
                Ok(Err(e)) => break Err(e),
                Ok(Ok(None)) => {
                    break Err(ClientError::Closed {
                        during: None,
                        expected: expected.to_owned(),
                        section,
                        pending: String::new(),
                    });
                }
                Ok(Ok(Some(e))) => match pick(e) {
                    Ok(found) => break Ok(found),
                    Err(other) => set_aside.push(other),
                },
            }
        };
        self.rx.stash.extend(set_aside);
        result
    }
}

impl Sender {
    fn me(&self) -> Result<&Id<'static>> {
        self.me.as_ref().ok_or(ClientError::NotLoggedIn)
    }

    pub fn id(&self) -> Option<&Id<'static>> {
        self.me.as_ref()
    }

    pub async fn send_message(&mut self, m: &Message<'_>) -> Result<()> {
        Ok(self.writer.send(m).await?)
    }

    pub async fn login(&mut self, id: Id<'static>) -> Result<()> {
        self.send_message(&Message::Connect { id: id.clone() })
            .await?;
        self.me = Some(id);
        Ok(())
    }

    pub async fn send(&mut self, to: &Id<'_>, text: &str) -> Result<Chat<'static>> {
        let ts = now()?;
        self.send_at(to, ts, text).await
    }

    pub async fn send_at(
        &mut self,
        to: &Id<'_>,
        timestamp: Timestamp<'static>,
        text_: &str,
    ) -> Result<Chat<'static>> {
        let chat = Chat {
            src: self.me()?.clone(),
            dst: to.clone().into_owned(),
            timestamp,
            data: text(text_)?,
        };
        self.send_message(&Message::Send(chat.reborrow())).await?;
        Ok(chat)
    }

    pub async fn mark_read(&mut self, from: &Id<'_>, up_to: &Timestamp<'_>) -> Result<()> {
        self.me()?;
        self.send_message(&Message::Read {
            src: from.reborrow(),
            timestamp: up_to.reborrow(),
        })
        .await
    }

    /// Sends a `10` without waiting for the 11; returns the members named
    /// (deduplicated, without us: zap §8.1).
    pub async fn request_group(&mut self, members: &[Id<'_>]) -> Result<Vec<Id<'static>>> {
        let me = self.me()?.clone();
        let members = group_members(&me, members)?;
        let list = RequestedMembers::from_ids(members.iter().map(Id::reborrow))?;
        self.send_message(&Message::CreateGroup {
            creator: me,
            timestamp: now()?,
            members: list,
        })
        .await?;
        Ok(members)
    }

    pub async fn shutdown(&mut self) -> Result<()> {
        Ok(self.writer.shutdown().await?)
    }
}

impl Events {
    /// The next event (set-aside ones first). Cancel-safe.
    pub async fn next(&mut self) -> Result<Option<Event>> {
        if let Some(e) = self.stash.pop_front() {
            return Ok(Some(e));
        }
        self.read_new().await
    }

    pub fn buffered(&mut self) -> Option<Event> {
        self.stash.pop_front().or_else(|| self.reader.buffered())
    }

    async fn read_new(&mut self) -> Result<Option<Event>> {
        Ok(self.reader.next().await?)
    }
}
