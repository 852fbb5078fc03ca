//! [`Client`]: one LRV connection from the client's side. One request at a
//! time: each call writes one canonical line (lrv §3.2) and waits for its
//! reply before it returns (lrv §8.5), so even a server that treats each
//! `recv()` as one request understands it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), gabarito_client::lrv::LrvError> {
//! use gabarito_client::lrv::{Bought, Client, Number, Options, parse_cpf};
//!
//! let mut client = Client::connect("127.0.0.1:5000", Options::default()).await?;
//! client.register(&parse_cpf("123.456.789-09")?).await?; // REGISTRAR → 200/201
//! let free = client.available().await?; // DISPONIVEIS → 203
//! if let Some(n) = free.iter().next() {
//!     match client.buy(n).await? {
//!         Bought::Yes => println!("bought {n}"),
//!         Bought::Taken => println!("{n} was taken meanwhile"),
//!     }
//! }
//! for d in client.deviations() {
//!     eprintln!("warning: {d}");
//! }
//! client.quit().await?; // SAIR → 204, then the server closes
//! # Ok(())
//! # }
//! ```

use std::time::Duration;

use gabarito_codec::escape::escape_excerpt;
use gabarito_codec::lrv::{
    Code, Command, Cpf, Greeting, Kind, Lrv, Number, NumberList, RawLine, Reply, Request,
    Terminator, extract_reply,
};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::time::Instant;

use super::cpf;
use super::deviation::{Deviation, DeviationKind, QUOTED};
use super::error::{LrvError, Result};
use super::reader::{LineReader, ReadError};
use crate::conn::{self, Outbound};

/// How a connection behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Longest wait for the TCP connection.
    pub connect_timeout: Duration,
    /// Longest wait for the greeting (lrv §5).
    pub greeting_timeout: Duration,
    /// Without a greeting within `greeting_timeout`, fail with
    /// [`LrvError::NoGreeting`] (true, the default) or go on and record
    /// [`DeviationKind::MissingGreeting`] (false).
    pub require_greeting: bool,
    /// Longest wait for a reply.
    pub reply_timeout: Duration,
    /// A pause this long after bytes with no LF ends the line (lrv §3.3 L4).
    pub settle: Duration,
    /// After `204`, how long to wait for the server to close (lrv §6.8).
    pub close_timeout: Duration,
    /// Every deviation is an error ([`LrvError::Strict`]) instead of a
    /// record.
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            connect_timeout: Duration::from_secs(5),
            greeting_timeout: Duration::from_secs(5),
            require_greeting: true,
            reply_timeout: Duration::from_secs(5),
            settle: Duration::from_millis(50),
            close_timeout: Duration::from_millis(500),
            strict: false,
        }
    }
}

/// The answer to `REGISTRAR` (lrv §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    /// `200`: a CPF the server had never seen.
    New,
    /// `201`: a known CPF, authenticated again.
    Known,
}

/// The answer to `COMPRAR` (lrv §6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bought {
    /// `202`: the number is yours.
    Yes,
    /// `401`: someone (maybe you) bought it before.
    Taken,
}

/// The draw (lrv §7.4): the winning number and who bought it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub number: Number,
    /// `None` when the server named no CPF (lrv §7.5 `no_winner`).
    pub cpf: Option<Cpf<'static>>,
}

/// A reply as the tolerant reader of lrv §7.5 read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub code: Code,
    /// 203, 208: the numbers, in the order written, repeats kept.
    pub numbers: Vec<Number>,
    /// 207: the winning number.
    pub number: Option<Number>,
    /// 207: the winner, if the line names one.
    pub winner: Option<Cpf<'static>>,
    /// The line as it arrived: content and terminator.
    pub line: Vec<u8>,
    /// How it differed from canonical (also in [`Client::deviations`]).
    pub deviations: Vec<Deviation>,
}

impl Answer {
    /// 203, 208: the list as a set — sorted, repeats dropped.
    pub fn list(&self) -> NumberList<'static> {
        let mut ns = self.numbers.clone();
        ns.sort_unstable();
        ns.dedup();
        NumberList::from_numbers(ns).unwrap_or_else(|_| NumberList::empty())
    }

    /// The canonical reply these values make; `None` for a `207` without a
    /// winner.
    pub fn reply(&self) -> Option<Reply<'static>> {
        match self.code {
            Code::Available => Some(Reply::Available(self.list())),
            Code::Purchases => Some(Reply::Purchases(self.list())),
            Code::Drawn => Some(Reply::Drawn {
                number: self.number?,
                winner: self.winner.clone()?,
            }),
            code => Reply::bare(code),
        }
    }
}

/// The codes that answer `command`, besides `400` (lrv §7.1), and the
/// section that says so.
pub fn answers(command: Command) -> (&'static [Code], &'static str) {
    match command {
        Command::Registrar => (&[Code::Registered, Code::Authenticated], "lrv §6.2"),
        Command::Esgotou => (&[Code::SoldOut, Code::NotSoldOut], "lrv §6.3"),
        Command::Disponiveis => (&[Code::Available], "lrv §6.4"),
        Command::Comprados => (&[Code::Purchases], "lrv §6.5"),
        Command::Comprar => (&[Code::Purchased, Code::Unavailable], "lrv §6.6"),
        Command::Sorteio => (&[Code::Drawn, Code::NotDrawn], "lrv §6.7"),
        Command::Sair => (&[Code::Goodbye], "lrv §6.8"),
    }
}

/// `200 or 201 (or 400)`: what a request's reply may be.
fn expected_text(command: Command) -> String {
    let (codes, _) = answers(command);
    let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
    format!("{} (or 400)", codes.join(" or "))
}

/// What a `400` to `command` most likely means.
fn why_400(command: Command) -> &'static str {
    match command {
        Command::Registrar => "the server refused the CPF (lrv §4.1, D11)",
        Command::Comprar => {
            "the number is not in this raffle (1 to N, lrv §6.6), or the connection is not \
             registered (D12)"
        }
        Command::Comprados => "the connection is not registered (lrv §6.5, D12)",
        _ => "the request is valid LRV, so the server should not refuse it",
    }
}

/// The request as a person reads it: its line without the LF.
fn shown(req: &Request<'_>) -> String {
    let bytes = req.to_bytes();
    String::from_utf8_lossy(&bytes[..bytes.len() - 1]).into_owned()
}

/// A connection to an LRV server.
#[derive(Debug)]
pub struct Client {
    reader: LineReader<OwnedReadHalf>,
    writer: Outbound<Lrv, OwnedWriteHalf>,
    opts: Options,
    addr: String,
    greeting: Option<String>,
    deviations: Vec<Deviation>,
    registered: Option<Cpf<'static>>,
    /// Replies read so far: a line without a code before the first is the
    /// rest of a banner (lrv §5), after it a line to skip (lrv §9.3).
    replies: u64,
    finished: Option<&'static str>,
}

impl Client {
    /// Connects and reads the greeting: the first line, whatever its text
    /// (lrv §3.6, §5).
    pub async fn connect(addr: &str, opts: Options) -> Result<Client> {
        let stream = conn::connect(addr, opts.connect_timeout).await?;
        let (read, writer) = stream.into_split();
        let mut client = Client {
            reader: LineReader::new(read, opts.settle),
            writer: Outbound::new(writer),
            opts,
            addr: addr.to_owned(),
            greeting: None,
            deviations: Vec::new(),
            registered: None,
            replies: 0,
            finished: None,
        };
        client.read_greeting().await?;
        Ok(client)
    }

    async fn read_greeting(&mut self) -> Result<()> {
        let during = "greeting";
        let deadline = Instant::now() + self.opts.greeting_timeout;
        let line = match self.reader.next(deadline).await {
            Ok(Some(line)) => line,
            Ok(None) => {
                return Err(LrvError::Closed {
                    during: Some(during.into()),
                    expected: "the greeting".into(),
                    section: "lrv §5",
                    pending: String::new(),
                });
            }
            Err(ReadError::Timeout) if !self.opts.require_greeting => {
                let pending = self.reader.pending().to_vec();
                return self.note(Deviation::new(
                    DeviationKind::MissingGreeting,
                    during,
                    &pending,
                ));
            }
            Err(ReadError::Timeout) => {
                return Err(LrvError::NoGreeting {
                    addr: self.addr.clone(),
                    after: self.opts.greeting_timeout,
                });
            }
            Err(ReadError::TooLong { excerpt }) => return Err(too_long("the greeting", &excerpt)),
            Err(ReadError::Io(source)) => {
                return Err(LrvError::lost(during, source));
            }
        };
        self.framing(&line, during)?;
        match std::str::from_utf8(line.content()) {
            Ok(text) => {
                if text != Greeting::STANDARD {
                    self.note(Deviation::new(
                        DeviationKind::GreetingText,
                        during,
                        &line.bytes,
                    ))?;
                }
                self.greeting = Some(text.to_owned());
            }
            Err(_) => {
                self.note(Deviation::new(
                    DeviationKind::GreetingNotUtf8,
                    during,
                    &line.bytes,
                ))?;
                self.greeting = Some(String::from_utf8_lossy(line.content()).into_owned());
            }
        }
        Ok(())
    }

    /// The greeting's text (lossy if it was not UTF-8); `None` if it never
    /// came and [`Options::require_greeting`] was off.
    pub fn greeting(&self) -> Option<&str> {
        self.greeting.as_deref()
    }

    /// Every deviation so far, in order.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// Takes the deviations recorded so far.
    pub fn take_deviations(&mut self) -> Vec<Deviation> {
        std::mem::take(&mut self.deviations)
    }

    /// The CPF the connection is registered as (lrv §8.1).
    pub fn registered_as(&self) -> Option<&Cpf<'static>> {
        self.registered.as_ref()
    }

    /// The server's address as given to [`Client::connect`].
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// `REGISTRAR <cpf>` → `200` or `201` (lrv §6.2). The CPF is checked
    /// first (lrv §4.1): an invalid one is not sent.
    pub async fn register(&mut self, cpf: &Cpf<'_>) -> Result<Registered> {
        cpf::check(cpf)?;
        let req = Request::Registrar {
            cpf: cpf.reborrow(),
        };
        let a = self.exchange(&req).await?;
        Ok(match a.code {
            Code::Registered => Registered::New,
            _ => Registered::Known,
        })
    }

    /// `ESGOTOU` → `205` (true) or `206` (false) (lrv §6.3).
    pub async fn sold_out(&mut self) -> Result<bool> {
        let a = self.exchange(&Request::Esgotou).await?;
        Ok(a.code == Code::SoldOut)
    }

    /// `DISPONIVEIS` → `203` and the numbers not yet bought (lrv §6.4).
    pub async fn available(&mut self) -> Result<NumberList<'static>> {
        Ok(self.exchange(&Request::Disponiveis).await?.list())
    }

    /// `COMPRADOS` → `208` and the numbers this CPF bought (lrv §6.5).
    pub async fn mine(&mut self) -> Result<NumberList<'static>> {
        self.need_registration(Command::Comprados)?;
        Ok(self.exchange(&Request::Comprados).await?.list())
    }

    /// `COMPRAR <n>` → `202` or `401` (lrv §6.6); `400` (a number outside
    /// the raffle) is [`LrvError::BadRequest`].
    pub async fn buy(&mut self, number: Number) -> Result<Bought> {
        self.need_registration(Command::Comprar)?;
        let a = self.exchange(&Request::Comprar { number }).await?;
        Ok(match a.code {
            Code::Purchased => Bought::Yes,
            _ => Bought::Taken,
        })
    }

    /// `SORTEIO` → `207` (the draw) or `402` (none yet) (lrv §6.7).
    pub async fn draw(&mut self) -> Result<Option<Draw>> {
        let a = self.exchange(&Request::Sorteio).await?;
        Ok(match (a.code, a.number) {
            (Code::Drawn, Some(number)) => Some(Draw {
                number,
                cpf: a.winner,
            }),
            _ => None,
        })
    }

    /// `SAIR` → `204`, then the server closes (lrv §6.8). A server that
    /// leaves the connection open is recorded ([`DeviationKind::NoClose`])
    /// and the client closes it.
    pub async fn quit(&mut self) -> Result<()> {
        self.exchange(&Request::Sair).await?;
        self.wait_close().await
    }

    /// After a `204`: waits up to [`Options::close_timeout`] for the server
    /// to close (lrv §6.8); if it does not, records
    /// [`DeviationKind::NoClose`] and closes. Lines arriving meanwhile are
    /// replies to nothing ([`DeviationKind::Unsolicited`]).
    pub async fn wait_close(&mut self) -> Result<()> {
        self.finished = Some("SAIR was sent");
        let deadline = Instant::now() + self.opts.close_timeout;
        let mut extra = Vec::new();
        loop {
            match self.reader.next(deadline).await {
                Ok(None) | Err(ReadError::Io(_)) => break,
                Ok(Some(line)) => extra.push(line),
                Err(ReadError::TooLong { .. }) => {}
                Err(ReadError::Timeout) => {
                    let _ = self.writer.shutdown().await;
                    self.note(Deviation::new(DeviationKind::NoClose, "SAIR", b""))?;
                    break;
                }
            }
        }
        for line in extra {
            self.note(Deviation::new(
                DeviationKind::Unsolicited,
                "SAIR",
                &line.bytes,
            ))?;
        }
        Ok(())
    }

    /// Sends any request and reads its reply tolerantly, without checking
    /// that the code answers it: for a session that lets a person type
    /// requests. Registration is tracked from the replies.
    pub async fn request(&mut self, req: &Request<'_>) -> Result<Answer> {
        if let Some(why) = self.finished {
            return Err(LrvError::Finished(why));
        }
        let sent = shown(req);
        self.unsolicited(&sent).await?;
        if let Err(source) = self.writer.send(req).await {
            return Err(LrvError::lost(sent, source));
        }
        let answer = self.reply(req, &sent).await?;
        match (req, answer.code) {
            (Request::Registrar { cpf }, Code::Registered | Code::Authenticated) => {
                self.registered = Some(cpf.clone().into_owned());
            }
            (Request::Sair, Code::Goodbye) => self.finished = Some("SAIR was sent"),
            _ => {}
        }
        Ok(answer)
    }

    /// [`Client::request`], then the code must answer the request
    /// (lrv §7.1): `400` is [`LrvError::BadRequest`], any other code not
    /// in [`answers`] is [`LrvError::WrongCode`].
    pub async fn exchange(&mut self, req: &Request<'_>) -> Result<Answer> {
        let answer = self.request(req).await?;
        let command = req.command();
        let (codes, section) = answers(command);
        if codes.contains(&answer.code) {
            return Ok(answer);
        }
        let sent = shown(req);
        let line = escape_excerpt(&answer.line, QUOTED);
        if answer.code == Code::BadRequest {
            return Err(LrvError::BadRequest {
                sent,
                command,
                why: why_400(command),
                line,
            });
        }
        Err(LrvError::WrongCode {
            sent,
            command,
            code: answer.code,
            expected: expected_text(command),
            section,
            line,
        })
    }

    fn need_registration(&self, command: Command) -> Result<()> {
        if self.registered.is_none() {
            return Err(LrvError::NotRegistered(command));
        }
        Ok(())
    }

    /// Lines that arrived while no request was waiting (lrv §8.5, §9.3),
    /// and a server that closed meanwhile.
    async fn unsolicited(&mut self, sent: &str) -> Result<()> {
        let lines = match self.reader.ready().await {
            Ok(lines) => lines,
            Err(ReadError::Io(source)) => {
                return Err(LrvError::lost(sent.to_owned(), source));
            }
            Err(_) => Vec::new(),
        };
        for line in lines {
            let kind = match extract_reply(&line.bytes) {
                Ok(_) => DeviationKind::Unsolicited,
                Err(_) if self.replies == 0 => DeviationKind::Banner,
                Err(_) => DeviationKind::NotAReply,
            };
            self.note(Deviation::new(
                kind,
                "before ".to_owned() + sent,
                &line.bytes,
            ))?;
        }
        if self.reader.at_eof() && self.reader.pending().is_empty() {
            self.finished = Some("the server closed it");
            return Err(LrvError::Closed {
                during: Some(sent.to_owned()),
                expected: format!("an open connection to send {sent} on"),
                section: "lrv §8.1",
                pending: String::new(),
            });
        }
        Ok(())
    }

    /// Reads lines until one is a reply (lrv §7.5), skipping the rest of a
    /// banner (lrv §5) and lines without a code (lrv §9.3).
    async fn reply(&mut self, req: &Request<'_>, sent: &str) -> Result<Answer> {
        let command = req.command();
        let (_, section) = answers(command);
        let deadline = Instant::now() + self.opts.reply_timeout;
        let mut skipped = Vec::new();
        loop {
            let line = match self.reader.next(deadline).await {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.finished = Some("the server closed it");
                    return Err(LrvError::Closed {
                        during: Some(sent.to_owned()),
                        expected: expected_text(command),
                        section,
                        pending: String::new(),
                    });
                }
                Err(ReadError::Timeout) => {
                    return Err(LrvError::NoReply {
                        sent: Some(sent.to_owned()),
                        expected: expected_text(command),
                        section,
                        after: self.opts.reply_timeout,
                        skipped,
                        hint: "",
                    });
                }
                Err(ReadError::TooLong { excerpt }) => return Err(too_long(sent, &excerpt)),
                Err(ReadError::Io(source)) => {
                    return Err(LrvError::lost(sent.to_owned(), source));
                }
            };
            let first = self.deviations.len();
            self.framing(&line, sent)?;
            let extracted = match extract_reply(&line.bytes) {
                Ok(e) => e,
                Err(invalid) if invalid.kind == Kind::UnknownCode => {
                    let kind = if self.replies == 0 {
                        DeviationKind::Banner
                    } else {
                        DeviationKind::NotAReply
                    };
                    self.note(Deviation::new(kind, sent, &line.bytes))?;
                    skipped.push(escape_excerpt(&line.bytes, QUOTED));
                    continue;
                }
                Err(invalid) => {
                    return Err(LrvError::unreadable(
                        sent,
                        &invalid,
                        escape_excerpt(&line.bytes, QUOTED),
                    ));
                }
            };
            self.replies += 1;
            for d in &extracted.deviations {
                self.note(Deviation::new(DeviationKind::Reply(*d), sent, &line.bytes))?;
            }
            let deviations = self.deviations[first..].to_vec();
            return Ok(Answer {
                code: extracted.code,
                numbers: extracted.numbers,
                number: extracted.number,
                winner: extracted.winner.map(Cpf::into_owned),
                line: line.bytes.clone(),
                deviations,
            });
        }
    }

    /// Deviations of a line's framing (lrv §3.3, §3.5).
    fn framing(&mut self, line: &RawLine, during: &str) -> Result<()> {
        if line.skipped > 0 {
            self.note(Deviation::new(
                DeviationKind::EmptyLines,
                during,
                &line.bytes,
            ))?;
        }
        match line.terminator {
            Terminator::Lf => Ok(()),
            Terminator::CrLf => self.note(Deviation::new(DeviationKind::CrLf, during, &line.bytes)),
            Terminator::Absent => self.note(Deviation::new(
                DeviationKind::NoTerminator,
                during,
                &line.bytes,
            )),
        }
    }

    /// Records a deviation; with [`Options::strict`], fails with it.
    fn note(&mut self, d: Deviation) -> Result<()> {
        self.deviations.push(d.clone());
        if self.opts.strict {
            return Err(LrvError::Strict(d));
        }
        Ok(())
    }
}

/// A line over the reply limit (lrv §3.4, L3) where the answer to `sent`
/// was awaited.
fn too_long(sent: &str, excerpt: &[u8]) -> LrvError {
    LrvError::Unreadable {
        sent: sent.to_owned(),
        reason: format!(
            "a line longer than {} bytes",
            gabarito_codec::lrv::MAX_REPLY_LEN
        ),
        section: "lrv §3.4",
        line: escape_excerpt(excerpt, QUOTED),
    }
}
