//! The decoders: one whole line of a known kind (`decode_nickname_line`,
//! `decode_chat_line`, `decode_server_line`, `decode`) or the head of a
//! byte stream (`decode_stream`, papo §3.3).

use super::client::{ChatLine, NicknameLine};
use super::code::Expect;
use super::error::{DecodeError, Field, Invalid, Kind};
use super::line::{MAX_CLIENT_LEN, MAX_SERVER_LEN, Terminator, control_at, next_line, whole};
use super::message::Message;
use super::parse;
use super::server::ServerLine;
use crate::framing::End;

/// A decoded line and how it was framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<T> {
    /// The message.
    pub message: T,
    /// Bytes used: skipped empty lines, content and terminator.
    pub len: usize,
    /// Bytes of empty lines skipped before the message (papo §3.3 L2).
    /// Always 0 for whole lines.
    pub skipped: usize,
    /// How the line ended (papo §3.1): LF is canonical.
    pub terminator: Terminator,
    /// The content was ASCII and exactly the message's canonical content.
    exact: bool,
}

impl<T> Decoded<T> {
    /// Whether the bytes were exactly the canonical line of the message
    /// (papo §3.2, §5, §6.1): all ASCII, no empty line before it, an LF, and
    /// nothing a reader had to tolerate — spaces around, `quit`, a public
    /// message without its `:`. Then encoding the message reproduces them.
    /// A [`ChatLine::Empty`] is never canonical.
    pub fn is_canonical(&self) -> bool {
        self.exact && self.skipped == 0 && self.terminator == Terminator::Lf
    }

    /// The same framing around another message: e.g. a `ChatLine` as a
    /// [`Message`].
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Decoded<U> {
        Decoded {
            message: f(self.message),
            len: self.len,
            skipped: self.skipped,
            terminator: self.terminator,
            exact: self.exact,
        }
    }
}

impl Decoded<Message<'_>> {
    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Decoded<Message<'static>> {
        self.map(Message::into_owned)
    }
}

/// Reads one line's content with `parse`: a control byte first
/// (papo §8.2), then the line's own rules; and whether the content was
/// ASCII and `exact` — the message's canonical content.
fn checked<'a, T>(
    content: &'a [u8],
    parse: fn(&'a [u8]) -> Result<T, Invalid>,
    exact: fn(&T, &[u8]) -> bool,
) -> Read<T> {
    if let Some(at) = control_at(content) {
        return Err(Invalid::new(Field::Line, Kind::ControlChar, &content[at..]).at(at));
    }
    let message = parse(content)?;
    let exact = content.is_ascii() && exact(&message, content);
    Ok((message, exact))
}

fn nickname_content(content: &[u8]) -> Read<NicknameLine<'_>> {
    checked(content, parse::nickname_line, NicknameLine::is_content)
}

fn chat_content(content: &[u8]) -> Read<ChatLine<'_>> {
    checked(content, parse::chat_line, |m, c| {
        !matches!(m, ChatLine::Empty) && m.is_content(c)
    })
}

fn server_content(content: &[u8]) -> Read<ServerLine<'_>> {
    checked(content, parse::server_line, ServerLine::is_content)
}

fn content(content: &[u8], expect: Expect) -> Read<Message<'_>> {
    Ok(match expect {
        Expect::Nickname => nickname_content(content).map(|(m, e)| (Message::Nickname(m), e))?,
        Expect::Chat => chat_content(content).map(|(m, e)| (Message::Chat(m), e))?,
        Expect::Server => server_content(content).map(|(m, e)| (Message::Server(m), e))?,
    })
}

/// A message read from a line's content, and whether the content was its
/// canonical one.
type Read<T> = Result<(T, bool), Invalid>;

fn decode_whole<'a, T>(
    line: &'a [u8],
    limit: usize,
    read: fn(&'a [u8]) -> Read<T>,
) -> Result<Decoded<T>, Invalid> {
    let w = whole(line, limit, true)?;
    let (message, exact) = read(w.content)?;
    Ok(Decoded {
        message,
        len: line.len(),
        skipped: 0,
        terminator: w.terminator,
        exact,
    })
}

/// Decodes `line` as exactly one line of the kind `expect` says: its
/// content and an optional terminator (LF canonical, CRLF or none
/// tolerated); every byte belongs to it. This is how a peer that reads one
/// message per `recv` sees a line; [`decode_stream`] is how a receiver
/// should.
pub fn decode(line: &[u8], expect: Expect) -> Result<Decoded<Message<'_>>, Invalid> {
    match expect {
        Expect::Nickname => decode_nickname_line(line).map(|d| d.map(Message::Nickname)),
        Expect::Chat => decode_chat_line(line).map(|d| d.map(Message::Chat)),
        Expect::Server => decode_server_line(line).map(|d| d.map(Message::Server)),
    }
}

/// Decodes `line` as one line at the prompt (papo §5.2): a nickname, with
/// spaces around it removed, or a quit.
pub fn decode_nickname_line(line: &[u8]) -> Result<Decoded<NicknameLine<'_>>, Invalid> {
    decode_whole(line, MAX_CLIENT_LEN, nickname_content)
}

/// Decodes `line` as one line in the chat (papo §5.1): a public or private
/// message, a quit, or a message with no text ([`ChatLine::Empty`]). No
/// chat line is invalid but for its framing and its bytes: too long, a
/// control byte, blank.
pub fn decode_chat_line(line: &[u8]) -> Result<Decoded<ChatLine<'_>>, Invalid> {
    decode_whole(line, MAX_CLIENT_LEN, chat_content)
}

/// Decodes `line` as one server line (papo §6.1), strictly: only the
/// grammar's forms, worded exactly. Other wordings are read by meaning by
/// [`read_line`](super::read_line) (§6.10).
///
/// One limit is the codec's: a [`Delivery`](super::Delivery) fits both
/// delivery forms, so a public delivery whose text could not be sent as a
/// private one — a line of more than 262 122 bytes, where every line a
/// client can cause is under 1 100 (§3.4) — is `line_too_long` in `text`.
pub fn decode_server_line(line: &[u8]) -> Result<Decoded<ServerLine<'_>>, Invalid> {
    decode_whole(line, MAX_SERVER_LEN, server_content)
}

/// Decodes the first line of a byte stream (papo §3.3): skips empty lines
/// (L2), takes the line up to its LF — or, with `End::Boundary`, up to the
/// end of `buf` (L4) — and decodes it as `expect` says.
///
/// Returns the message and how many bytes it used; the caller drops them
/// and calls again. `Incomplete`: no whole line yet. `Invalid`: the line
/// is not valid; the caller drops it — up to and including its LF, which
/// for a line over the limit (L3) may not have arrived yet — and goes on.
/// Error offsets count from the line's first byte, after skipped lines.
pub fn decode_stream(
    buf: &[u8],
    expect: Expect,
    end: End,
) -> Result<Decoded<Message<'_>>, DecodeError> {
    let line = next_line(buf, expect.max_len(), end)?;
    let (message, exact) = content(line.content, expect)?;
    Ok(Decoded {
        message,
        len: line.len,
        skipped: line.skipped,
        terminator: line.terminator,
        exact,
    })
}
