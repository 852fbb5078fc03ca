//! The encoder: canonical lines (papo §3.2, §5, §6.1) — the content, then
//! one LF — written into the caller's buffer. It cannot fail: every message
//! is valid by construction, and its line fits its direction's limit.

use super::client::{ChatLine, NicknameLine, QUIT};
use super::message::Message;
use super::server::{
    ACK, Delivery, ERROR_WORD, JOINED, LEFT, LIST_LABEL, NOTICE, PRIVATE_LABEL, PROMPT, SENDER_SEP,
    ServerLine,
};
use crate::sink::Sink;

/// A `Sink` that compares what is written with `expected`: whether some
/// bytes are exactly a message's canonical content, without allocating.
pub(crate) struct Compare<'e> {
    expected: &'e [u8],
    at: usize,
    equal: bool,
}

impl<'e> Compare<'e> {
    pub(crate) fn new(expected: &'e [u8]) -> Self {
        Compare {
            expected,
            at: 0,
            equal: true,
        }
    }

    /// Everything written, and nothing more, was `expected`.
    pub(crate) fn matched(&self) -> bool {
        self.equal && self.at == self.expected.len()
    }
}

impl Sink for Compare<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.at + bytes.len();
        self.equal = self.equal && self.expected.get(self.at..end) == Some(bytes);
        self.at = end;
    }
}

/// The methods every papo line has: the content is the one thing each
/// writes differently.
macro_rules! line_encoding {
    ($t:ident) => {
        impl $t<'_> {
            /// Appends the canonical line, LF included, to `out`.
            pub fn encode(&self, out: &mut impl Sink) {
                self.put_content(out);
                out.put(b"\n");
            }

            /// The canonical line as a new vector.
            pub fn to_bytes(&self) -> Vec<u8> {
                let mut v = Vec::with_capacity(self.encoded_len());
                self.encode(&mut v);
                v
            }
        }
    };
}

line_encoding!(NicknameLine);
line_encoding!(ChatLine);
line_encoding!(ServerLine);
line_encoding!(Message);

/// What the decoders ask of each direction's lines: whether some bytes were
/// exactly the canonical content (papo §3.2).
macro_rules! canonical_content {
    ($t:ident) => {
        impl $t<'_> {
            /// Whether `content` is exactly this line's canonical content.
            pub(crate) fn is_content(&self, content: &[u8]) -> bool {
                let mut c = Compare::new(content);
                self.put_content(&mut c);
                c.matched()
            }
        }
    };
}

canonical_content!(NicknameLine);
canonical_content!(ChatLine);
canonical_content!(ServerLine);

impl NicknameLine<'_> {
    fn put_content(&self, out: &mut impl Sink) {
        match self {
            NicknameLine::Nickname(n) => out.put(n.as_str().as_bytes()),
            NicknameLine::Quit => out.put(QUIT),
        }
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            NicknameLine::Nickname(n) => n.as_str().len(),
            NicknameLine::Quit => QUIT.len(),
        }
    }
}

impl ChatLine<'_> {
    fn put_content(&self, out: &mut impl Sink) {
        match self {
            ChatLine::Public(p) => {
                if !p.bare() {
                    out.put(b":");
                }
                out.put(p.text().as_bytes());
            }
            ChatLine::Private(p) => {
                out.put(p.to().as_str().as_bytes());
                out.put(b":");
                out.put(p.text().as_bytes());
            }
            ChatLine::Quit => out.put(QUIT),
            ChatLine::Empty => out.put(b":"),
        }
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            ChatLine::Public(p) => usize::from(!p.bare()) + p.text().len(),
            ChatLine::Private(p) => p.to().as_str().len() + 1 + p.text().len(),
            ChatLine::Quit => QUIT.len(),
            ChatLine::Empty => 1,
        }
    }
}

fn put_delivery(out: &mut impl Sink, d: &Delivery<'_>) {
    out.put(d.from().as_str().as_bytes());
    out.put(SENDER_SEP);
    out.put(d.text().as_bytes());
}

fn delivery_len(d: &Delivery<'_>) -> usize {
    d.from().as_str().len() + SENDER_SEP.len() + d.text().len()
}

impl ServerLine<'_> {
    fn put_content(&self, out: &mut impl Sink) {
        match self {
            ServerLine::Prompt => out.put(PROMPT),
            ServerLine::Notice => out.put(NOTICE),
            ServerLine::List(list) => {
                out.put(LIST_LABEL);
                for (i, n) in list.nicknames().iter().enumerate() {
                    out.put(if i == 0 { b" " } else { b", " });
                    out.put(n.as_str().as_bytes());
                }
            }
            ServerLine::Ack => out.put(ACK),
            ServerLine::Private(d) => {
                out.put(PRIVATE_LABEL);
                put_delivery(out, d);
            }
            ServerLine::Error(code) => {
                out.put(ERROR_WORD);
                out.put(code.as_str().as_bytes());
                out.put(SENDER_SEP);
                out.put(code.text().as_bytes());
            }
            ServerLine::Public(d) => put_delivery(out, d),
            ServerLine::Join(n) => {
                out.put(n.as_str().as_bytes());
                out.put(JOINED);
            }
            ServerLine::Leave(n) => {
                out.put(n.as_str().as_bytes());
                out.put(LEFT);
            }
        }
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        1 + match self {
            ServerLine::Prompt => PROMPT.len(),
            ServerLine::Notice => NOTICE.len(),
            ServerLine::List(list) => list.content_len(),
            ServerLine::Ack => ACK.len(),
            ServerLine::Private(d) => PRIVATE_LABEL.len() + delivery_len(d),
            ServerLine::Error(code) => ERROR_WORD.len() + 2 + SENDER_SEP.len() + code.text().len(),
            ServerLine::Public(d) => delivery_len(d),
            ServerLine::Join(n) => n.as_str().len() + JOINED.len(),
            ServerLine::Leave(n) => n.as_str().len() + LEFT.len(),
        }
    }
}

impl Message<'_> {
    fn put_content(&self, out: &mut impl Sink) {
        match self {
            Message::Nickname(m) => m.put_content(out),
            Message::Chat(m) => m.put_content(out),
            Message::Server(m) => m.put_content(out),
        }
    }

    /// The canonical line's length, LF included, for reserving.
    pub fn encoded_len(&self) -> usize {
        match self {
            Message::Nickname(m) => m.encoded_len(),
            Message::Chat(m) => m.encoded_len(),
            Message::Server(m) => m.encoded_len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::papo::{Destination, Nickname, OnlineList, Private, Public, Text, WireCode};

    fn nick(s: &str) -> Nickname<'_> {
        Nickname::new(s).unwrap()
    }

    #[test]
    fn canonical_lines() {
        let oi = || Text::new(b"oi").unwrap();
        let lines: Vec<(Vec<u8>, &str)> = vec![
            (NicknameLine::Nickname(nick("ana")).to_bytes(), "ana\n"),
            (NicknameLine::Quit.to_bytes(), "{quit}\n"),
            (
                ChatLine::Public(Public::new(oi()).unwrap()).to_bytes(),
                ":oi\n",
            ),
            (
                ChatLine::Private(Private::new(Destination::new("bia").unwrap(), oi()).unwrap())
                    .to_bytes(),
                "bia:oi\n",
            ),
            (ChatLine::Quit.to_bytes(), "{quit}\n"),
            (ServerLine::Prompt.to_bytes(), "Digite seu apelido:\n"),
            (ServerLine::Notice.to_bytes(), "Apelido invalido\n"),
            (
                ServerLine::List(OnlineList::new(vec![nick("bia"), nick("ana")]).unwrap())
                    .to_bytes(),
                "Usuarios online: bia, ana\n",
            ),
            (
                ServerLine::List(OnlineList::default()).to_bytes(),
                "Usuarios online:\n",
            ),
            (ServerLine::Ack.to_bytes(), "Mensagem enviada\n"),
            (
                ServerLine::Private(Delivery::new(nick("ana"), oi()).unwrap()).to_bytes(),
                "Mensagem recebida de: ana: oi\n",
            ),
            (
                ServerLine::Error(WireCode::NicknameInUse).to_bytes(),
                "Erro 01: Esse apelido ja esta em uso\n",
            ),
            (
                ServerLine::Public(Delivery::new(nick("ana"), oi()).unwrap()).to_bytes(),
                "ana: oi\n",
            ),
            (
                ServerLine::Join(nick("ana")).to_bytes(),
                "ana entrou no chat\n",
            ),
            (
                ServerLine::Leave(nick("ana")).to_bytes(),
                "ana saiu do chat\n",
            ),
        ];
        for (bytes, expected) in lines {
            assert_eq!(String::from_utf8(bytes).unwrap(), expected);
        }
    }

    #[test]
    fn compare_sees_every_difference() {
        let line = ServerLine::Leave(nick("ana"));
        assert!(line.is_content(b"ana saiu do chat"));
        assert!(!line.is_content(b"ana saiu do chat!"));
        assert!(!line.is_content(b"ana saiu do cha"));
        assert!(!line.is_content(b"Ana saiu do chat"));
        assert_eq!(line.encoded_len(), line.to_bytes().len());
    }
}
