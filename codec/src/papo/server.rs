//! What a server sends (papo §6): one line of the grammar of §6.1 each.
//! Every value is valid on the wire, and its canonical line fits the server
//! limit (§3.4).

use super::code::{LineKind, WireCode};
use super::error::{Field, FieldError, Kind};
use super::line::MAX_SERVER_LEN;
use super::nickname::Nickname;
use super::text::Text;

/// `Digite seu apelido:` (papo §6.2, D3).
pub(crate) const PROMPT: &[u8] = b"Digite seu apelido:";
/// `Apelido invalido` (papo §6.9, D5).
pub(crate) const NOTICE: &[u8] = b"Apelido invalido";
/// The online list's label (papo §6.3).
pub(crate) const LIST_LABEL: &[u8] = b"Usuarios online:";
/// `Mensagem enviada` (papo §6.6, D11): the seed's words.
pub(crate) const ACK: &[u8] = b"Mensagem enviada";
/// The private delivery's heading (papo §6.5, D10): the seed's words.
pub(crate) const PRIVATE_LABEL: &[u8] = b"Mensagem recebida de: ";
/// What separates a sender from its text (papo §6.4, §6.5).
pub(crate) const SENDER_SEP: &[u8] = b": ";
/// An error line's word (papo §6.7, D12).
pub(crate) const ERROR_WORD: &[u8] = b"Erro ";
/// After a nickname: the join notice (papo §6.8, D18).
pub(crate) const JOINED: &[u8] = b" entrou no chat";
/// After a nickname: the leave notice (papo §6.8, D17).
pub(crate) const LEFT: &[u8] = b" saiu do chat";

/// A delivery's sender and text (papo §6.4, §6.5).
///
/// Built to fit the longer of the two forms, the private one, so a delivery
/// can be sent either way: `Mensagem recebida de: `, the sender, `: ` and
/// the text within [`MAX_SERVER_LEN`]. Every text a client line can carry
/// fits with room to spare.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Delivery<'a> {
    from: Nickname<'a>,
    text: Text<'a>,
}

/// The bytes a delivery's text may use after `from`.
pub(crate) fn delivery_room(from: &Nickname<'_>) -> usize {
    MAX_SERVER_LEN - PRIVATE_LABEL.len() - from.as_str().len() - SENDER_SEP.len()
}

impl<'a> Delivery<'a> {
    /// `text` from `from`, if the private form fits the server limit.
    pub fn new(from: Nickname<'a>, text: Text<'a>) -> Result<Self, FieldError> {
        let room = delivery_room(&from);
        if text.len() > room {
            let kind = Kind::LineTooLong {
                limit: MAX_SERVER_LEN,
            };
            let at = MAX_SERVER_LEN;
            return Err(FieldError::new(Field::Text, kind, &text.as_bytes()[room..]).at(at));
        }
        Ok(Delivery { from, text })
    }

    pub(crate) fn trusted(from: Nickname<'a>, text: Text<'a>) -> Self {
        debug_assert!(text.len() <= delivery_room(&from));
        Delivery { from, text }
    }

    /// Who sent it.
    pub fn from(&self) -> &Nickname<'a> {
        &self.from
    }

    /// What was sent, as the server read it (papo §4.2).
    pub fn text(&self) -> &Text<'a> {
        &self.text
    }

    /// Detaches the delivery from the buffer it was decoded from.
    pub fn into_owned(self) -> Delivery<'static> {
        Delivery {
            from: self.from.into_owned(),
            text: self.text.into_owned(),
        }
    }
}

/// The users in the chat, in the order they joined (papo §6.3, D7).
/// Entries may repeat — a decoder reports what a server sent —, and the
/// line fits the server limit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct OnlineList<'a>(Vec<Nickname<'a>>);

/// The list line's content length.
fn list_len(nicks: &[Nickname<'_>]) -> usize {
    let entries: usize = nicks.iter().map(|n| n.as_str().len() + 1).sum();
    LIST_LABEL.len() + entries + nicks.len().saturating_sub(1)
}

impl<'a> OnlineList<'a> {
    /// The list of `nicks`, if its line fits the server limit (papo §3.4).
    pub fn new(nicks: Vec<Nickname<'a>>) -> Result<Self, FieldError> {
        let len = list_len(&nicks);
        if len > MAX_SERVER_LEN {
            let kind = Kind::LineTooLong {
                limit: MAX_SERVER_LEN,
            };
            return Err(FieldError::new(Field::Line, kind, b"").at(MAX_SERVER_LEN));
        }
        Ok(OnlineList(nicks))
    }

    pub(crate) fn trusted(nicks: Vec<Nickname<'a>>) -> Self {
        debug_assert!(list_len(&nicks) <= MAX_SERVER_LEN);
        OnlineList(nicks)
    }

    /// The nicknames, in order.
    pub fn nicknames(&self) -> &[Nickname<'a>] {
        &self.0
    }

    /// Entries in the list.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No entries: never sent by a canonical server, which lists the
    /// newcomer, but decodable (papo §6.3).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Detaches the list from the buffer it was decoded from.
    pub fn into_owned(self) -> OnlineList<'static> {
        OnlineList(self.0.into_iter().map(Nickname::into_owned).collect())
    }

    /// The canonical line's content length.
    pub(crate) fn content_len(&self) -> usize {
        list_len(&self.0)
    }
}

/// A server line (papo §6.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerLine<'a> {
    /// `Digite seu apelido:` (papo §6.2).
    Prompt,
    /// `Apelido invalido`: a refused nickname (papo §6.9, D5).
    Notice,
    /// `Usuarios online: bia, ana` (papo §6.3).
    List(OnlineList<'a>),
    /// `Mensagem enviada` (papo §6.6).
    Ack,
    /// `Mensagem recebida de: ana: texto` (papo §6.5).
    Private(Delivery<'a>),
    /// `Erro 02: Destino da mensagem privada nao existe` (papo §6.7).
    Error(WireCode),
    /// `ana: texto` (papo §6.4).
    Public(Delivery<'a>),
    /// `ana entrou no chat` (papo §6.8).
    Join(Nickname<'a>),
    /// `ana saiu do chat` (papo §6.8).
    Leave(Nickname<'a>),
}

impl ServerLine<'_> {
    /// Which line it is.
    pub fn kind(&self) -> LineKind {
        match self {
            ServerLine::Prompt => LineKind::Prompt,
            ServerLine::Notice => LineKind::Notice,
            ServerLine::List(_) => LineKind::List,
            ServerLine::Ack => LineKind::Ack,
            ServerLine::Private(_) => LineKind::Private,
            ServerLine::Error(_) => LineKind::Error,
            ServerLine::Public(_) => LineKind::Public,
            ServerLine::Join(_) => LineKind::Join,
            ServerLine::Leave(_) => LineKind::Leave,
        }
    }

    /// Detaches the line from the buffer it was decoded from.
    pub fn into_owned(self) -> ServerLine<'static> {
        match self {
            ServerLine::Prompt => ServerLine::Prompt,
            ServerLine::Notice => ServerLine::Notice,
            ServerLine::List(l) => ServerLine::List(l.into_owned()),
            ServerLine::Ack => ServerLine::Ack,
            ServerLine::Private(d) => ServerLine::Private(d.into_owned()),
            ServerLine::Error(c) => ServerLine::Error(c),
            ServerLine::Public(d) => ServerLine::Public(d.into_owned()),
            ServerLine::Join(n) => ServerLine::Join(n.into_owned()),
            ServerLine::Leave(n) => ServerLine::Leave(n.into_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_and_lists_fit_the_server_limit() {
        let ana = Nickname::new("ana").unwrap();
        let room = MAX_SERVER_LEN - 22 - 3 - 2;
        assert_eq!(delivery_room(&ana), room);
        assert!(Delivery::new(ana.clone(), Text::owned(vec![b'a'; room]).unwrap()).is_ok());
        let e = Delivery::new(ana, Text::owned(vec![b'a'; room + 1]).unwrap()).unwrap_err();
        assert_eq!((e.kind.name(), e.offset), ("line_too_long", MAX_SERVER_LEN));
        let twenty = Nickname::new("aaaaaaaaaaaaaaaaaaaa").unwrap();
        assert_eq!(list_len(&[]), 16);
        assert_eq!(
            list_len(&[twenty.clone(), twenty.clone()]),
            16 + 21 + 1 + 21
        );
        assert!(OnlineList::new(vec![twenty.clone(); 10_000]).is_ok());
        assert!(OnlineList::new(vec![twenty; 12_000]).is_err());
    }
}
