//! `Arbitrary` papo lines (feature `arbitrary`), for fuzz targets and
//! property tests. Every value generated is valid: fields and messages are
//! built through the validating constructors, so a generator bug shows up
//! as a construction error here, never as an invalid message.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::client::{ChatLine, NicknameLine, Private, Public};
use super::code::WireCode;
use super::line::MAX_CLIENT_LEN;
use super::message::Message;
use super::nickname::{Destination, MAX_NICKNAME_LEN, Nickname, RESERVED};
use super::server::{Delivery, OnlineList, ServerLine};
use super::text::Text;
use crate::arbitrary::refused;

const NICK_BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

/// Nickname syntax (papo §4.1): a letter, then up to 19 more.
fn syntax(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(1..=MAX_NICKNAME_LEN)?;
    let mut s = String::with_capacity(len);
    s.push(char::from(*u.choose(&NICK_BYTES[..52])?));
    for _ in 1..len {
        s.push(char::from(*u.choose(NICK_BYTES)?));
    }
    Ok(s)
}

/// A nickname: a reserved word gets a digit, which makes it none.
fn nickname(u: &mut Unstructured<'_>) -> Result<Nickname<'static>> {
    let mut s = syntax(u)?;
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&s)) {
        s.push('1');
    }
    Nickname::owned(s).map_err(refused)
}

/// A destination: a nickname, or now and then a reserved word (§5.1 rule 4).
fn destination(u: &mut Unstructured<'_>) -> Result<Destination<'static>> {
    if u.ratio(1, 8)? {
        return Destination::owned((*u.choose(&RESERVED)?).to_owned()).map_err(refused);
    }
    Ok(nickname(u)?.into())
}

/// A text of 1 to `max` bytes (papo §4.2): mostly printable ASCII, with
/// tabs inside, UTF-8 and Latin-1 now and then; never a control byte, never
/// a blank at an end.
fn text(u: &mut Unstructured<'_>, max: usize) -> Result<Text<'static>> {
    let len = if u.ratio(1, 16)? {
        max
    } else {
        u.int_in_range(1..=max.min(64))?
    };
    let mut bytes = Vec::with_capacity(len);
    while bytes.len() < len {
        match u.int_in_range(0..=15u8)? {
            0 => bytes.push(b'\t'),
            1 => bytes.push(u.int_in_range(0x80..=0xffu8)?),
            2 if bytes.len() + 2 <= len => bytes.extend_from_slice("ã".as_bytes()),
            3 => bytes.push(b':'),
            _ => bytes.push(u.int_in_range(0x20..=0x7eu8)?),
        }
    }
    for at in [0, bytes.len() - 1] {
        if bytes[at] == b' ' || bytes[at] == b'\t' {
            bytes[at] = b'x';
        }
    }
    Text::owned(bytes).map_err(refused)
}

/// A public message: a text of up to 999 bytes, or of 1 000 that reads back
/// alone (`Public::new`).
fn public(u: &mut Unstructured<'_>) -> Result<Public<'static>> {
    if u.ratio(1, 32)? {
        let long = Text::owned(vec![b'a'; MAX_CLIENT_LEN]).map_err(refused)?;
        return Public::new(long).map_err(refused);
    }
    Public::new(text(u, MAX_CLIENT_LEN - 1)?).map_err(refused)
}

fn private(u: &mut Unstructured<'_>) -> Result<Private<'static>> {
    let to = destination(u)?;
    let room = MAX_CLIENT_LEN - to.as_str().len() - 1;
    Private::new(to, text(u, room)?).map_err(refused)
}

fn delivery(u: &mut Unstructured<'_>) -> Result<Delivery<'static>> {
    Delivery::new(nickname(u)?, text(u, 2_000)?).map_err(refused)
}

impl<'a> Arbitrary<'a> for Nickname<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        nickname(u)
    }
}

impl<'a> Arbitrary<'a> for Text<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        text(u, MAX_CLIENT_LEN - 1)
    }
}

impl<'a> Arbitrary<'a> for NicknameLine<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 8)? {
            NicknameLine::Quit
        } else {
            NicknameLine::Nickname(nickname(u)?)
        })
    }
}

impl<'a> Arbitrary<'a> for ChatLine<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=9u8)? {
            0 => ChatLine::Quit,
            1 => ChatLine::Empty,
            2..=5 => ChatLine::Private(private(u)?),
            _ => ChatLine::Public(public(u)?),
        })
    }
}

impl<'a> Arbitrary<'a> for ServerLine<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=8u8)? {
            0 => ServerLine::Prompt,
            1 => ServerLine::Notice,
            2 => {
                let count = u.int_in_range(0..=12usize)?;
                let nicks = (0..count).map(|_| nickname(u)).collect::<Result<_>>()?;
                ServerLine::List(OnlineList::new(nicks).map_err(refused)?)
            }
            3 => ServerLine::Ack,
            4 => ServerLine::Private(delivery(u)?),
            5 => ServerLine::Error(*u.choose(&WireCode::ALL)?),
            6 => ServerLine::Public(delivery(u)?),
            7 => ServerLine::Join(nickname(u)?),
            _ => ServerLine::Leave(nickname(u)?),
        })
    }
}

impl<'a> Arbitrary<'a> for Message<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=2u8)? {
            0 => Message::Nickname(NicknameLine::arbitrary(u)?),
            1 => Message::Chat(ChatLine::arbitrary(u)?),
            _ => Message::Server(ServerLine::arbitrary(u)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arbitrary::Lcg;
    use crate::papo::{Expect, LineKind, decode};

    /// Deterministic bytes: many lines, each of which must encode and
    /// decode back to itself.
    #[test]
    fn arbitrary_lines_are_valid_and_cover_every_kind() {
        let mut server = std::collections::BTreeSet::new();
        let mut chat = std::collections::BTreeSet::new();
        let mut lcg = Lcg::new();
        for _ in 0..3000 {
            let bytes = lcg.bytes(800);
            let mut u = Unstructured::new(&bytes);
            let m = Message::arbitrary(&mut u).expect("enough bytes");
            let expect = match &m {
                Message::Nickname(_) => Expect::Nickname,
                Message::Chat(c) => {
                    chat.insert(c.name());
                    Expect::Chat
                }
                Message::Server(s) => {
                    server.insert(s.kind());
                    Expect::Server
                }
            };
            let wire = m.to_bytes();
            let d = decode(&wire, expect).expect("an arbitrary line is valid");
            assert_eq!(d.message, m);
            let empty = matches!(m, Message::Chat(ChatLine::Empty));
            assert_eq!(d.is_canonical(), wire.is_ascii() && !empty, "{m:?}");
        }
        assert_eq!(server.len(), LineKind::ALL.len(), "{server:?}");
        assert_eq!(chat.len(), 4, "{chat:?}");
    }

    #[test]
    fn exhausted_input_still_yields_a_valid_line() {
        for choice in 0..=2u8 {
            let data = [choice];
            let mut u = Unstructured::new(&data);
            let m = Message::arbitrary(&mut u).expect("defaults");
            assert!(m.to_bytes().ends_with(b"\n"));
        }
    }
}
