//! The LRV messages: the greeting (lrv §5), one variant per request (§6)
//! and per reply code (§7). Every value of these types is valid on the
//! wire: its fields were validated when they were built.

use std::borrow::Cow;

use super::code::{Code, Command};
use super::cpf::Cpf;
use super::error::{Field, FieldError, Kind};
use super::line::MAX_REPLY_LEN;
use super::number::{Number, NumberList};

/// The first line a server sends (lrv §5). Any text is a greeting — its
/// position makes it one (D2) — but only [`Greeting::STANDARD`] is
/// canonical.
///
/// The text is not empty, holds no LF and does not end in CR, and fits the
/// reply limit: it is then exactly one line on the wire and decodes back to
/// itself.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Greeting<'a>(Cow<'a, str>);

impl<'a> Greeting<'a> {
    /// The seed's greeting, without its quotes (lrv §5, D2).
    pub const STANDARD: &'static str = "Bem-vindo à compra de rifa!";

    /// The seed's greeting, [`Greeting::STANDARD`].
    pub fn standard() -> Greeting<'static> {
        Greeting(Cow::Borrowed(Self::STANDARD))
    }

    /// Validates `text` as a greeting: not empty, no LF, no final CR, within
    /// the reply limit (lrv §3.4, §5).
    pub fn new(text: &'a str) -> Result<Self, FieldError> {
        check_greeting(text)?;
        Ok(Greeting(Cow::Borrowed(text)))
    }

    pub(crate) fn trusted(text: &'a str) -> Self {
        debug_assert!(check_greeting(text).is_ok());
        Greeting(Cow::Borrowed(text))
    }

    /// The text is the seed's, byte for byte.
    pub fn is_standard(&self) -> bool {
        self.0 == Self::STANDARD
    }

    /// The text, without its LF.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the greeting from the buffer it was decoded from.
    pub fn into_owned(self) -> Greeting<'static> {
        Greeting(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so passing a greeting never clones it.
    pub fn reborrow(&self) -> Greeting<'_> {
        Greeting(Cow::Borrowed(&self.0))
    }
}

impl Greeting<'static> {
    /// [`Greeting::new`] for a text the greeting then owns.
    pub fn owned(text: String) -> Result<Self, FieldError> {
        check_greeting(&text)?;
        Ok(Greeting(Cow::Owned(text)))
    }
}

pub(crate) fn check_greeting(text: &str) -> Result<(), FieldError> {
    let b = text.as_bytes();
    if b.is_empty() {
        return Err(FieldError::new(Field::Text, Kind::EmptyLine, b));
    }
    if b.len() > MAX_REPLY_LEN {
        let limit = MAX_REPLY_LEN;
        return Err(
            FieldError::new(Field::Text, Kind::LineTooLong { limit }, &b[limit..]).at(limit),
        );
    }
    if let Some(at) = b.iter().position(|&c| c == b'\n') {
        return Err(FieldError::new(Field::Text, Kind::LineBreak, &b[at..]).at(at));
    }
    if b.last() == Some(&b'\r') {
        let at = b.len() - 1;
        return Err(FieldError::new(Field::Text, Kind::LineBreak, &b[at..]).at(at));
    }
    Ok(())
}

impl std::fmt::Debug for Greeting<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

/// A request, client → server (lrv §6). Variants are named after the wire
/// commands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request<'a> {
    /// `REGISTRAR <cpf>` (lrv §6.2). Any 11 digits: the server checks the
    /// CPF's validity ([`Cpf::validate`], D11).
    Registrar {
        /// The CPF to register or authenticate.
        cpf: Cpf<'a>,
    },
    /// `ESGOTOU` (lrv §6.3).
    Esgotou,
    /// `DISPONIVEIS` (lrv §6.4).
    Disponiveis,
    /// `COMPRADOS` (lrv §6.5).
    Comprados,
    /// `COMPRAR <numero>` (lrv §6.6). 1 to 10 000: whether it is within the
    /// raffle's N is the server's business.
    Comprar {
        /// The number to buy.
        number: Number,
    },
    /// `SORTEIO` (lrv §6.7).
    Sorteio,
    /// `SAIR` (lrv §6.8).
    Sair,
}

impl Request<'_> {
    /// The command word this request is sent with.
    pub fn command(&self) -> Command {
        match self {
            Request::Registrar { .. } => Command::Registrar,
            Request::Esgotou => Command::Esgotou,
            Request::Disponiveis => Command::Disponiveis,
            Request::Comprados => Command::Comprados,
            Request::Comprar { .. } => Command::Comprar,
            Request::Sorteio => Command::Sorteio,
            Request::Sair => Command::Sair,
        }
    }

    /// The request without an argument for `command`; `None` for the two
    /// that take one.
    pub fn bare(command: Command) -> Option<Request<'static>> {
        Some(match command {
            Command::Esgotou => Request::Esgotou,
            Command::Disponiveis => Request::Disponiveis,
            Command::Comprados => Request::Comprados,
            Command::Sorteio => Request::Sorteio,
            Command::Sair => Request::Sair,
            Command::Registrar | Command::Comprar => return None,
        })
    }

    /// Detaches the request from the buffer it was decoded from.
    pub fn into_owned(self) -> Request<'static> {
        match self {
            Request::Registrar { cpf } => Request::Registrar {
                cpf: cpf.into_owned(),
            },
            Request::Esgotou => Request::Esgotou,
            Request::Disponiveis => Request::Disponiveis,
            Request::Comprados => Request::Comprados,
            Request::Comprar { number } => Request::Comprar { number },
            Request::Sorteio => Request::Sorteio,
            Request::Sair => Request::Sair,
        }
    }

    /// The fields in wire order as `(name, value)`, for reports; names are
    /// those of the layout tables (lrv §6).
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![("command", self.command().as_str().to_owned())];
        match self {
            Request::Registrar { cpf } => v.push(("cpf", cpf.to_string())),
            Request::Comprar { number } => v.push(("number", number.to_string())),
            _ => {}
        }
        v
    }
}

/// A reply, server → client (lrv §7). Variants are named after what the
/// code means; [`Reply::code`] gives the digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reply<'a> {
    /// `200` (lrv §6.2).
    Registered,
    /// `201` (lrv §6.2).
    Authenticated,
    /// `202` (lrv §6.6).
    Purchased,
    /// `203 1,2,5`: the numbers not yet bought (lrv §7.3).
    Available(NumberList<'a>),
    /// `204` (lrv §6.8).
    Goodbye,
    /// `205` (lrv §6.3).
    SoldOut,
    /// `206` (lrv §6.3).
    NotSoldOut,
    /// `207 42 12345678909`: the winning number and who bought it (lrv §7.4,
    /// D9).
    Drawn {
        /// The winning number.
        number: Number,
        /// The CPF that bought it.
        winner: Cpf<'a>,
    },
    /// `208 3,9`: the numbers the connection's CPF bought (lrv §7.3).
    Purchases(NumberList<'a>),
    /// `400` (lrv §9.2).
    BadRequest,
    /// `401` (lrv §6.6).
    Unavailable,
    /// `402` (lrv §6.7).
    NotDrawn,
}

impl Reply<'_> {
    /// The code this reply is sent with.
    pub fn code(&self) -> Code {
        match self {
            Reply::Registered => Code::Registered,
            Reply::Authenticated => Code::Authenticated,
            Reply::Purchased => Code::Purchased,
            Reply::Available(_) => Code::Available,
            Reply::Goodbye => Code::Goodbye,
            Reply::SoldOut => Code::SoldOut,
            Reply::NotSoldOut => Code::NotSoldOut,
            Reply::Drawn { .. } => Code::Drawn,
            Reply::Purchases(_) => Code::Purchases,
            Reply::BadRequest => Code::BadRequest,
            Reply::Unavailable => Code::Unavailable,
            Reply::NotDrawn => Code::NotDrawn,
        }
    }

    /// The reply of a code that carries no payload; `None` for 203, 207 and
    /// 208.
    pub fn bare(code: Code) -> Option<Reply<'static>> {
        Some(match code {
            Code::Registered => Reply::Registered,
            Code::Authenticated => Reply::Authenticated,
            Code::Purchased => Reply::Purchased,
            Code::Goodbye => Reply::Goodbye,
            Code::SoldOut => Reply::SoldOut,
            Code::NotSoldOut => Reply::NotSoldOut,
            Code::BadRequest => Reply::BadRequest,
            Code::Unavailable => Reply::Unavailable,
            Code::NotDrawn => Reply::NotDrawn,
            Code::Available | Code::Drawn | Code::Purchases => return None,
        })
    }

    /// Detaches the reply from the buffer it was decoded from.
    pub fn into_owned(self) -> Reply<'static> {
        match self {
            Reply::Available(list) => Reply::Available(list.into_owned()),
            Reply::Purchases(list) => Reply::Purchases(list.into_owned()),
            Reply::Drawn { number, winner } => Reply::Drawn {
                number,
                winner: winner.into_owned(),
            },
            Reply::Registered => Reply::Registered,
            Reply::Authenticated => Reply::Authenticated,
            Reply::Purchased => Reply::Purchased,
            Reply::Goodbye => Reply::Goodbye,
            Reply::SoldOut => Reply::SoldOut,
            Reply::NotSoldOut => Reply::NotSoldOut,
            Reply::BadRequest => Reply::BadRequest,
            Reply::Unavailable => Reply::Unavailable,
            Reply::NotDrawn => Reply::NotDrawn,
        }
    }

    /// The fields in wire order as `(name, value)`, for reports: `numbers`
    /// is the list's wire text (lrv §7).
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut v = vec![("code", self.code().as_str().to_owned())];
        match self {
            Reply::Available(list) | Reply::Purchases(list) => {
                v.push(("numbers", list.to_string()));
            }
            Reply::Drawn { number, winner } => {
                v.push(("number", number.to_string()));
                v.push(("cpf", winner.to_string()));
            }
            _ => {}
        }
        v
    }
}

/// Any line of an LRV connection, as [`decode_stream`](super::decode_stream)
/// returns it: which one it is follows from what the receiver expected
/// ([`Expect`](super::Expect)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Message<'a> {
    /// The first line to a client (lrv §5).
    Greeting(Greeting<'a>),
    /// A line to a server (lrv §6).
    Request(Request<'a>),
    /// A later line to a client (lrv §7).
    Reply(Reply<'a>),
}

impl Message<'_> {
    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Message<'static> {
        match self {
            Message::Greeting(g) => Message::Greeting(g.into_owned()),
            Message::Request(r) => Message::Request(r.into_owned()),
            Message::Reply(r) => Message::Reply(r.into_owned()),
        }
    }

    /// The fields in wire order as `(name, value)`, for reports; names are
    /// those of the layout tables of lrv §5–§7.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        match self {
            Message::Greeting(g) => vec![("text", g.as_str().to_owned())],
            Message::Request(r) => r.fields(),
            Message::Reply(r) => r.fields(),
        }
    }
}

impl<'a> From<Request<'a>> for Message<'a> {
    fn from(r: Request<'a>) -> Self {
        Message::Request(r)
    }
}

impl<'a> From<Reply<'a>> for Message<'a> {
    fn from(r: Reply<'a>) -> Self {
        Message::Reply(r)
    }
}

impl<'a> From<Greeting<'a>> for Message<'a> {
    fn from(g: Greeting<'a>) -> Self {
        Message::Greeting(g)
    }
}
