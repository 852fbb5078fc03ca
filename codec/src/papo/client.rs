//! What a client sends (papo §5): at the prompt, a nickname or a quit
//! (§5.2); in the chat, a public message, a private one, or a quit (§5.1).
//! Every value is valid on the wire and its canonical line fits the
//! client limit (§3.4).

use super::error::{Field, FieldError, Kind};
use super::line::MAX_CLIENT_LEN;
use super::nickname::{Destination, Nickname};
use super::text::Text;

/// The canonical quit command (papo §5.5).
pub(crate) const QUIT: &[u8] = b"{quit}";
/// The quit command every server also accepts (papo §5.5, D16).
pub(crate) const BARE_QUIT: &[u8] = b"quit";

/// A line at the prompt (papo §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NicknameLine<'a> {
    /// The nickname the client asks for.
    Nickname(Nickname<'a>),
    /// `{quit}` or `quit`: the connection ends, with no notice (§5.2 step 1).
    Quit,
}

impl NicknameLine<'_> {
    /// Detaches the line from the buffer it was decoded from.
    pub fn into_owned(self) -> NicknameLine<'static> {
        match self {
            NicknameLine::Nickname(n) => NicknameLine::Nickname(n.into_owned()),
            NicknameLine::Quit => NicknameLine::Quit,
        }
    }
}

/// A public message, `:texto` (papo §5.3): to everyone in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Public<'a> {
    text: Text<'a>,
}

impl<'a> Public<'a> {
    /// A public message carrying `text`, if a client line within the limit
    /// carries it (papo §3.4): `:` and at most 999 bytes — or, for a text
    /// of exactly 1 000, the text alone, when §5.1 reads it back as a
    /// public message (rule 5: no `:` after a possible nickname, no quit).
    pub fn new(text: Text<'a>) -> Result<Self, FieldError> {
        let bytes = text.as_bytes();
        let fits = bytes.len() < MAX_CLIENT_LEN
            || (bytes.len() == MAX_CLIENT_LEN && reads_as_itself(bytes));
        if !fits {
            let limit = MAX_CLIENT_LEN;
            let kind = Kind::LineTooLong { limit };
            let from = limit - 1;
            return Err(FieldError::new(Field::Text, kind, &bytes[from..]).at(limit));
        }
        Ok(Public { text })
    }

    pub(crate) fn trusted(text: Text<'a>) -> Self {
        Public { text }
    }

    /// The text.
    pub fn text(&self) -> &Text<'a> {
        &self.text
    }

    /// Whether the canonical line is the text alone: a text of 1 000 bytes,
    /// which `:` would push over the limit (see [`Public::new`]).
    pub(crate) fn bare(&self) -> bool {
        1 + self.text.len() > MAX_CLIENT_LEN
    }

    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Public<'static> {
        Public {
            text: self.text.into_owned(),
        }
    }
}

/// Whether §5.1 reads `text`, as a whole line, as the public message
/// `text`.
fn reads_as_itself(text: &[u8]) -> bool {
    matches!(
        super::parse::chat_line(text),
        Ok(ChatLine::Public(p)) if p.text.as_bytes() == text
    )
}

/// A private message, `apelido:texto` (papo §5.4): to one user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Private<'a> {
    to: Destination<'a>,
    text: Text<'a>,
}

impl<'a> Private<'a> {
    /// A private message to `to`, if its line fits the client limit
    /// (papo §3.4): `to`, `:` and the text in at most 1 000 bytes.
    pub fn new(to: Destination<'a>, text: Text<'a>) -> Result<Self, FieldError> {
        let head = to.as_str().len() + 1;
        if head + text.len() > MAX_CLIENT_LEN {
            let limit = MAX_CLIENT_LEN;
            let kind = Kind::LineTooLong { limit };
            let from = limit - head;
            return Err(FieldError::new(Field::Text, kind, &text.as_bytes()[from..]).at(limit));
        }
        Ok(Private { to, text })
    }

    pub(crate) fn trusted(to: Destination<'a>, text: Text<'a>) -> Self {
        Private { to, text }
    }

    /// Who it is for.
    pub fn to(&self) -> &Destination<'a> {
        &self.to
    }

    /// The text.
    pub fn text(&self) -> &Text<'a> {
        &self.text
    }

    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Private<'static> {
        Private {
            to: self.to.into_owned(),
            text: self.text.into_owned(),
        }
    }
}

/// A line in the chat (papo §5.1): no line of the chat is an error, every
/// line is a message, a quit or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ChatLine<'a> {
    /// To everyone in the chat (papo §5.3; also §5.1 rule 5, D13).
    Public(Public<'a>),
    /// To one user (papo §5.4).
    Private(Private<'a>),
    /// `{quit}` or `quit` (papo §5.5).
    Quit,
    /// A message with no text — `:` or `bia:` alone — which is no message:
    /// nothing is delivered, nothing answered (papo §4.2, D14). It encodes
    /// as `:`, and is never canonical.
    Empty,
}

impl ChatLine<'_> {
    /// Detaches the line from the buffer it was decoded from.
    pub fn into_owned(self) -> ChatLine<'static> {
        match self {
            ChatLine::Public(p) => ChatLine::Public(p.into_owned()),
            ChatLine::Private(p) => ChatLine::Private(p.into_owned()),
            ChatLine::Quit => ChatLine::Quit,
            ChatLine::Empty => ChatLine::Empty,
        }
    }

    /// The stable name of the line's kind in `spec/vectors/papo.toml`.
    pub fn name(&self) -> &'static str {
        match self {
            ChatLine::Public(_) => "public",
            ChatLine::Private(_) => "private",
            ChatLine::Quit => "quit",
            ChatLine::Empty => "empty",
        }
    }
}

impl<'a> From<Public<'a>> for ChatLine<'a> {
    fn from(p: Public<'a>) -> Self {
        ChatLine::Public(p)
    }
}

impl<'a> From<Private<'a>> for ChatLine<'a> {
    fn from(p: Private<'a>) -> Self {
        ChatLine::Private(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(n: usize) -> Text<'static> {
        Text::owned(vec![b'a'; n]).unwrap()
    }

    #[test]
    fn messages_fit_the_client_limit() {
        assert!(Public::new(text(999)).is_ok());
        let p = Public::new(text(1000)).unwrap();
        assert!(p.bare(), "1 000 bytes read back alone");
        let colon = Text::owned([&b"bia:"[..], &[b'a'; 996]].concat()).unwrap();
        let e = Public::new(colon).unwrap_err();
        assert_eq!((e.kind.name(), e.offset), ("line_too_long", 1000));
        let to = Destination::new("bia").unwrap();
        assert!(Private::new(to.clone(), text(996)).is_ok());
        let e = Private::new(to, text(997)).unwrap_err();
        assert_eq!((e.kind.name(), e.offset), ("line_too_long", 1000));
    }
}
