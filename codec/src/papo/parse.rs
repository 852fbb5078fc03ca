//! The parsers (papo §5.1, §5.2, §6.1). Each sees the content of one line —
//! the framing (`line.rs`, papo §3) has already decided where it ends, and
//! the decoder has refused control bytes (§4.3) — and decides what it is.
//!
//! Client lines are read by the rule tables of §5.1 and §5.2: every chat
//! line is a message, so there is nothing to backtrack. Server lines are
//! nom parsers, one per form of §6.1. A form that does not match fails
//! where its bytes first differ, and `alt` keeps the failure that got
//! furthest ([`PError::or`]): that is the offset §8.2 asks for — "the byte
//! at which the last of them fails" — with no `cut` needed.

use nom::branch::alt;
use nom::bytes::complete::take_while;
use nom::error::{ErrorKind, ParseError};
use nom::{IResult, Parser};

use super::client::{BARE_QUIT, ChatLine, NicknameLine, Private, Public, QUIT};
use super::code::{Code, WireCode};
use super::error::{Field, Invalid, Kind};
use super::line::{MAX_SERVER_LEN, is_blank, trim};
use super::nickname::{Destination, Nickname, check_nickname, check_syntax, is_nick_byte};
use super::server::{
    ACK, Delivery, ERROR_WORD, JOINED, LEFT, LIST_LABEL, NOTICE, OnlineList, PRIVATE_LABEL, PROMPT,
    SENDER_SEP, ServerLine, delivery_room,
};
use super::text::Text;

// ── client lines ─────────────────────────────────────────────────────────

/// A line at the prompt (papo §5.2): after the spaces around it are
/// removed, a quit or a nickname (§4.1). Faults are the nickname's, at
/// their byte in the line.
pub(crate) fn nickname_line(content: &[u8]) -> Result<NicknameLine<'_>, Invalid> {
    let (start, t) = trim(content);
    if t.is_empty() {
        return Err(Invalid::new(Field::Line, Kind::EmptyLine, content));
    }
    if t == QUIT || t == BARE_QUIT {
        return Ok(NicknameLine::Quit);
    }
    match check_nickname(t) {
        Ok(()) => Ok(NicknameLine::Nickname(Nickname::trusted(t))),
        Err((at, kind)) => Err(Invalid::new(Field::Nickname, kind, &t[at..]).at(start + at)),
    }
}

/// A line in the chat (papo §5.1), read in the order of its table; *t* is
/// the content without spaces and tabs at its ends.
///
/// | # | test | message |
/// |---|---|---|
/// | 1 | *t* is empty | none (an `empty_line` here) |
/// | 2 | *t* is `{quit}` or `quit` | quit |
/// | 3 | *t* has a `:`, and *p*, what precedes the first, trimmed, is empty | public |
/// | 4 | *p* has nickname syntax, reserved words included | private to *p* |
/// | 5 | anything else | public, text = *t* (D13) |
///
/// A message whose text is empty is [`ChatLine::Empty`] (D14).
pub(crate) fn chat_line(content: &[u8]) -> Result<ChatLine<'_>, Invalid> {
    let (_, t) = trim(content);
    if t.is_empty() {
        return Err(Invalid::new(Field::Line, Kind::EmptyLine, content));
    }
    if t == QUIT || t == BARE_QUIT {
        return Ok(ChatLine::Quit);
    }
    let Some(colon) = t.iter().position(|&b| b == b':') else {
        return Ok(public(t));
    };
    let (_, p) = trim(&t[..colon]);
    let (_, text) = trim(&t[colon + 1..]);
    if p.is_empty() {
        Ok(public(text))
    } else if check_syntax(p).is_ok() {
        Ok(if text.is_empty() {
            ChatLine::Empty
        } else {
            ChatLine::Private(Private::trusted(
                Destination::trusted(p),
                Text::trusted(text),
            ))
        })
    } else {
        Ok(public(t))
    }
}

/// A public message of `text`, trimmed and free of control bytes; none if
/// it is empty (D14). Its line held at most 1 000 bytes, so it fits
/// (`Public::new`).
fn public(text: &[u8]) -> ChatLine<'_> {
    if text.is_empty() {
        ChatLine::Empty
    } else {
        ChatLine::Public(Public::trusted(Text::trusted(text)))
    }
}

// ── server lines ─────────────────────────────────────────────────────────

/// A parse failure: the rest of the line from the offending byte, and what
/// is wrong there.
#[derive(Debug)]
pub(crate) struct PError<'a> {
    rest: &'a [u8],
    field: Field,
    kind: Kind,
}

impl<'a> PError<'a> {
    /// The fault as an error of the line whose content is `line`.
    fn invalid(self, line: &[u8]) -> Invalid {
        Invalid::new(self.field, self.kind, self.rest).at(line.len() - self.rest.len())
    }
}

impl<'a> ParseError<&'a [u8]> for PError<'a> {
    /// Only a form that does not match fails through nom's own machinery;
    /// every parser here names its fault itself.
    fn from_error_kind(input: &'a [u8], _: ErrorKind) -> Self {
        PError {
            rest: input,
            field: Field::Text,
            kind: Kind::Wording,
        }
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }

    /// Of two forms that failed, the one that got further (papo §8.2: "the
    /// byte at which the last of them fails"); at the same byte, the later.
    fn or(self, other: Self) -> Self {
        if other.rest.len() <= self.rest.len() {
            other
        } else {
            self
        }
    }
}

type PResult<'a, O> = IResult<&'a [u8], O, PError<'a>>;

fn fail<O>(rest: &[u8], field: Field, kind: Kind) -> PResult<'_, O> {
    Err(nom::Err::Error(PError { rest, field, kind }))
}

/// `expected` exactly; else a `wording` failure in `field` at the first
/// byte that differs (or is missing).
fn fixed<'a>(
    expected: &'static [u8],
    field: Field,
) -> impl Parser<&'a [u8], Output = (), Error = PError<'a>> {
    move |input: &'a [u8]| -> PResult<'a, ()> {
        let same = input
            .iter()
            .zip(expected)
            .take_while(|(a, b)| a == b)
            .count();
        if same == expected.len() {
            Ok((&input[same..], ()))
        } else {
            fail(&input[same..], field, Kind::Wording)
        }
    }
}

/// The end of the line: anything more is `wording` in `field`.
fn end<'a>(field: Field) -> impl Parser<&'a [u8], Output = (), Error = PError<'a>> {
    move |input: &'a [u8]| -> PResult<'a, ()> {
        if input.is_empty() {
            Ok((input, ()))
        } else {
            fail(input, field, Kind::Wording)
        }
    }
}

/// A nickname (papo §4.1), as long as its bytes go; `bad_nick` otherwise.
fn nickname(input: &[u8]) -> PResult<'_, Nickname<'_>> {
    let (rest, word) = take_while(is_nick_byte).parse(input)?;
    match check_nickname(word) {
        Ok(()) => Ok((rest, Nickname::trusted(word))),
        Err(_) => fail(input, Field::Nickname, Kind::BadNick),
    }
}

/// The rest of the line as a delivery's text from `from` (papo §4.2): at
/// least one byte, no space or tab at its ends, room for the private form
/// (`Delivery`).
fn text<'a>(input: &'a [u8], from: &Nickname<'_>) -> PResult<'a, Text<'a>> {
    let Some(&last) = input.last() else {
        return fail(input, Field::Text, Kind::EmptyText);
    };
    if is_blank(input[0]) {
        return fail(input, Field::Text, Kind::Wording);
    }
    if is_blank(last) {
        return fail(&input[input.len() - 1..], Field::Text, Kind::Wording);
    }
    let room = delivery_room(from);
    if input.len() > room {
        let kind = Kind::LineTooLong {
            limit: MAX_SERVER_LEN,
        };
        return fail(&input[room..], Field::Text, kind);
    }
    Ok((&input[input.len()..], Text::trusted(input)))
}

/// `nickname ": " text`, after whatever came before it.
fn delivery(input: &[u8]) -> PResult<'_, Delivery<'_>> {
    let (input, from) = nickname(input)?;
    let (input, ()) = fixed(SENDER_SEP, Field::Text).parse(input)?;
    let (input, text) = text(input, &from)?;
    Ok((input, Delivery::trusted(from, text)))
}

/// Prompt (papo §6.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 19 | text | `Digite seu apelido:` |
fn prompt(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    (fixed(PROMPT, Field::Text), end(Field::Text))
        .map(|_| ServerLine::Prompt)
        .parse(input)
}

/// Invalid-nickname notice (papo §6.9).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 16 | text | `Apelido invalido` |
fn notice(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    (fixed(NOTICE, Field::Text), end(Field::Text))
        .map(|_| ServerLine::Notice)
        .parse(input)
}

/// Online list (papo §6.3).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 16 | label | `Usuarios online:` |
/// | 16 | — | entries | for each user: SP, the nickname, and `,` before the next SP |
///
/// An entry is what lies between separators `, `; one that is not a
/// nickname is `bad_nick` at its first byte.
fn list(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    let (input, ()) = fixed(LIST_LABEL, Field::Label).parse(input)?;
    let mut nicks = Vec::new();
    let mut rest = match input {
        [] => return Ok((input, ServerLine::List(OnlineList::trusted(nicks)))),
        [b' ', tail @ ..] => tail,
        _ => return fail(input, Field::Label, Kind::Wording),
    };
    loop {
        let sep = rest.windows(2).position(|w| w == b", ");
        let entry = &rest[..sep.unwrap_or(rest.len())];
        if check_nickname(entry).is_err() {
            return fail(rest, Field::Nickname, Kind::BadNick);
        }
        nicks.push(Nickname::trusted(entry));
        match sep {
            Some(at) => rest = &rest[at + 2..],
            None => {
                let done = &rest[rest.len()..];
                return Ok((done, ServerLine::List(OnlineList::trusted(nicks))));
            }
        }
    }
}

/// `Mensagem enviada` (papo §6.6).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 16 | text | `Mensagem enviada` |
fn ack(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    (fixed(ACK, Field::Text), end(Field::Text))
        .map(|_| ServerLine::Ack)
        .parse(input)
}

/// Private delivery (papo §6.5).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 22 | text | `Mensagem recebida de: ` |
/// | 22 | k = 1–20 | nickname | the sender (§4.1) |
/// | 22+k | 2 | text | `: ` |
/// | 24+k | ≥ 1 | text | §4.2 |
fn private(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    let (input, ()) = fixed(PRIVATE_LABEL, Field::Text).parse(input)?;
    delivery.map(ServerLine::Private).parse(input)
}

/// Error line (papo §6.7).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 5 | text | `Erro ` |
/// | 5 | 2 | code | `01`, `02` or `03` |
/// | 7 | 2 | text | `: ` |
/// | 9 | — | text | the code's text in ASCII |
fn error(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    let (input, ()) = fixed(ERROR_WORD, Field::Text).parse(input)?;
    let code = input
        .get(..2)
        .and_then(Code::from_digits)
        .and_then(Code::on_the_wire);
    let Some(code) = code else {
        return fail(input, Field::Code, Kind::UnknownCode);
    };
    let (input, ()) = fixed(SENDER_SEP, Field::Text).parse(&input[2..])?;
    (fixed(wire_text(code), Field::Text), end(Field::Text))
        .map(|_| ServerLine::Error(code))
        .parse(input)
}

fn wire_text(code: WireCode) -> &'static [u8] {
    code.text().as_bytes()
}

/// Public delivery (papo §6.4).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | k = 1–20 | nickname | the sender (§4.1) |
/// | k | 2 | text | `: ` |
/// | k+2 | ≥ 1 | text | §4.2 |
fn public_delivery(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    delivery.map(ServerLine::Public).parse(input)
}

/// Join notice (papo §6.8): the nickname, then ` entrou no chat`.
fn join(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    (nickname, fixed(JOINED, Field::Text), end(Field::Text))
        .map(|(n, _, _)| ServerLine::Join(n))
        .parse(input)
}

/// Leave notice (papo §6.8): the nickname, then ` saiu do chat`.
fn leave(input: &[u8]) -> PResult<'_, ServerLine<'_>> {
    (nickname, fixed(LEFT, Field::Text), end(Field::Text))
        .map(|(n, _, _)| ServerLine::Leave(n))
        .parse(input)
}

/// A server line (papo §6.1): its first word — the leading run of
/// `A–Z a–z 0–9 _ -` — selects the forms to try: one of the five fixed
/// words, exactly, or else a nickname. A line that then matches none of
/// them is named as §8.2 says: `wording` after a fixed word, `unknown_line`
/// after a nickname (at the byte the furthest form failed) or anything else
/// (at 0).
pub(crate) fn server_line(content: &[u8]) -> Result<ServerLine<'_>, Invalid> {
    let word = &content[..content.iter().take_while(|&&b| is_nick_byte(b)).count()];
    let parsed = match word {
        b"Digite" => prompt(content),
        b"Apelido" => notice(content),
        b"Usuarios" => list(content),
        b"Mensagem" => alt((ack, private)).parse(content),
        b"Erro" => error(content),
        _ if check_nickname(word).is_ok() => alt((public_delivery, join, leave))
            .parse(content)
            .map_err(|e| {
                e.map(|mut e| {
                    if e.kind == Kind::Wording {
                        e.field = Field::Line;
                        e.kind = Kind::UnknownLine;
                    }
                    e
                })
            }),
        _ => return Err(Invalid::new(Field::Line, Kind::UnknownLine, content)),
    };
    match parsed {
        Ok((rest, line)) => {
            debug_assert!(rest.is_empty(), "every form ends with the line");
            Ok(line)
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.invalid(content)),
        // Unreachable: the parsers are nom's `complete` ones.
        Err(nom::Err::Incomplete(_)) => Err(Invalid::new(Field::Line, Kind::UnknownLine, content)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(line: &str) -> (&'static str, &'static str, usize) {
        let e = server_line(line.as_bytes()).unwrap_err();
        (e.kind.name(), e.field.name(), e.offset)
    }

    #[test]
    fn the_furthest_form_names_the_fault() {
        assert_eq!(fault("Mensagem enviada!"), ("wording", "text", 16));
        assert_eq!(
            fault("Mensagem recebida de ana: oi"),
            ("wording", "text", 20)
        );
        assert_eq!(
            fault("Mensagem recebida de: Erro: oi"),
            ("bad_nick", "nickname", 22)
        );
        assert_eq!(
            fault("Mensagem recebida de: ana: "),
            ("empty_text", "text", 27)
        );
        assert_eq!(fault("Erro 04: x"), ("unknown_code", "code", 5));
        assert_eq!(fault("Erro"), ("wording", "text", 4));
        assert_eq!(
            fault("Erro 01: Esse apelido ja esta em uso!"),
            ("wording", "text", 36)
        );
        assert_eq!(fault("Usuarios online:x"), ("wording", "label", 16));
        assert_eq!(
            fault("Usuarios online: bia, "),
            ("bad_nick", "nickname", 22)
        );
        assert_eq!(fault("Usuarios onlin"), ("wording", "label", 14));
        assert_eq!(fault("Digite seu apelido: "), ("wording", "text", 19));
        assert_eq!(fault("ana has left"), ("unknown_line", "line", 4));
        assert_eq!(fault("ana:  oi"), ("unknown_line", "line", 5));
        assert_eq!(fault("ana: oi "), ("unknown_line", "line", 7));
        assert_eq!(fault("ana entrou no chat!"), ("unknown_line", "line", 18));
        assert_eq!(fault("2ana: oi"), ("unknown_line", "line", 0));
        assert_eq!(fault("quit: oi"), ("unknown_line", "line", 0));
    }

    #[test]
    fn a_public_delivery_must_fit_the_private_form() {
        let room = MAX_SERVER_LEN - PRIVATE_LABEL.len() - "ana".len() - SENDER_SEP.len();
        let mut line = b"ana: ".to_vec();
        line.resize(5 + room, b'a');
        assert!(matches!(server_line(&line), Ok(ServerLine::Public(_))));
        line.push(b'a');
        let e = server_line(&line).unwrap_err();
        assert_eq!(
            (e.kind.name(), e.field.name(), e.offset),
            ("line_too_long", "text", 5 + room)
        );
    }

    #[test]
    fn client_lines_by_the_tables() {
        let chat = |s: &str| chat_line(s.as_bytes()).unwrap().name();
        assert_eq!(chat(":oi"), "public");
        assert_eq!(chat("bia:oi"), "private");
        assert_eq!(chat("Nota fiscal: ok"), "public");
        assert_eq!(chat("bia:"), "empty");
        assert_eq!(chat(" : "), "empty");
        assert_eq!(chat("quit"), "quit");
        assert_eq!(chat("{QUIT}"), "public");
        assert_eq!(
            nickname_line(b"  ana maria").unwrap_err().offset,
            5,
            "the offset counts the spaces removed"
        );
        assert_eq!(nickname_line(b"{quit}"), Ok(NicknameLine::Quit));
    }
}
