//! The decoders: one whole line (`decode_request`, `decode_reply`,
//! `decode_greeting`) or the head of a byte stream (`decode_stream`,
//! lrv §3.3).

use super::code::Expect;
use super::error::{DecodeError, Field, Invalid, Kind};
use super::line::{MAX_REPLY_LEN, MAX_REQUEST_LEN, Terminator, next_line, whole};
use super::message::{Greeting, Message, Reply, Request};
use super::parse::{self, PError};
use crate::framing::End;

/// A decoded message and how it was framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<T> {
    /// The message.
    pub message: T,
    /// Bytes used: skipped empty lines, content and terminator.
    pub len: usize,
    /// Bytes of empty lines skipped before the message (lrv §3.3 L2):
    /// tolerated, NON-STRICT for the sender. Always 0 for whole lines.
    pub skipped: usize,
    /// How the line ended (lrv §3.2): LF is canonical.
    pub terminator: Terminator,
}

impl<T> Decoded<T> {
    /// Whether the bytes were exactly the canonical encoding of the message
    /// (lrv §3.2): then encoding the message reproduces them. A greeting
    /// with another text is still canonical in this sense; whether its text
    /// is the seed's is [`Greeting::is_standard`].
    pub fn is_canonical(&self) -> bool {
        self.skipped == 0 && self.terminator == Terminator::Lf
    }

    /// The same framing around another message: e.g. a `Request` as a
    /// [`Message`].
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Decoded<U> {
        Decoded {
            message: f(self.message),
            len: self.len,
            skipped: self.skipped,
            terminator: self.terminator,
        }
    }
}

impl Decoded<Message<'_>> {
    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Decoded<Message<'static>> {
        self.map(Message::into_owned)
    }
}

/// UTF-8 or `invalid_utf8` at the first bad byte (lrv §3.1, §9.1).
fn utf8(content: &[u8]) -> Result<&str, Invalid> {
    std::str::from_utf8(content).map_err(|e| {
        let at = e.valid_up_to();
        Invalid::new(Field::Line, Kind::InvalidUtf8, &content[at..]).at(at)
    })
}

/// Runs a message parser over a line's content, which it must use whole.
fn run<'a, T>(
    content: &'a [u8],
    parser: fn(&'a str) -> nom::IResult<&'a str, T, PError<'a>>,
) -> Result<T, Invalid> {
    let text = utf8(content)?;
    match parser(text) {
        Ok(("", message)) => Ok(message),
        // Unreachable: every parser ends with the line's end.
        Ok((rest, _)) => {
            let at = text.len() - rest.len();
            Err(Invalid::new(Field::Line, Kind::Unexpected, rest.as_bytes()).at(at))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            let at = e.offset(text);
            Err(e.invalid.at(at))
        }
        // Unreachable: the parsers are nom's `complete` ones.
        Err(nom::Err::Incomplete(_)) => Err(Invalid::new(Field::Line, Kind::Missing, content)),
    }
}

pub(crate) fn request_content(content: &[u8]) -> Result<Request<'_>, Invalid> {
    run(content, parse::request)
}

pub(crate) fn reply_content(content: &[u8]) -> Result<Reply<'_>, Invalid> {
    run(content, parse::reply)
}

pub(crate) fn greeting_content(content: &[u8]) -> Result<Greeting<'_>, Invalid> {
    run(content, parse::greeting)
}

fn decode_whole<'a, T>(
    line: &'a [u8],
    limit: usize,
    content: fn(&'a [u8]) -> Result<T, Invalid>,
) -> Result<Decoded<T>, Invalid> {
    let (bytes, terminator) = whole(line, limit)?;
    Ok(Decoded {
        message: content(bytes)?,
        len: line.len(),
        skipped: 0,
        terminator,
    })
}

/// Decodes `line` as exactly one request (lrv §6): its content and an
/// optional terminator (LF canonical, CRLF or none tolerated); every byte
/// belongs to it. This is how a server that reads one message per `recv`
/// sees a request; [`decode_stream`] is how a server should.
pub fn decode_request(line: &[u8]) -> Result<Decoded<Request<'_>>, Invalid> {
    decode_whole(line, MAX_REQUEST_LEN, request_content)
}

/// Decodes `line` as exactly one reply (lrv §7), strictly: only the
/// canonical payloads. Human text and other variants are read by
/// [`extract_reply`](super::extract_reply) (lrv §7.5).
pub fn decode_reply(line: &[u8]) -> Result<Decoded<Reply<'_>>, Invalid> {
    decode_whole(line, MAX_REPLY_LEN, reply_content)
}

/// Decodes `line` as the greeting (lrv §5): any non-empty UTF-8 text.
pub fn decode_greeting(line: &[u8]) -> Result<Decoded<Greeting<'_>>, Invalid> {
    decode_whole(line, MAX_REPLY_LEN, greeting_content)
}

/// Decodes `line` as one whole message of the kind `expect` says.
pub fn decode(line: &[u8], expect: Expect) -> Result<Decoded<Message<'_>>, Invalid> {
    match expect {
        Expect::Request => decode_request(line).map(|d| d.map(Message::Request)),
        Expect::Reply => decode_reply(line).map(|d| d.map(Message::Reply)),
        Expect::Greeting => decode_greeting(line).map(|d| d.map(Message::Greeting)),
    }
}

/// Decodes the first message of a byte stream (lrv §3.3): skips empty lines
/// (L2), takes the line up to its LF — or, with `End::Boundary`, up to the
/// end of `buf` (L4) — and decodes it as `expect` says.
///
/// Returns the message and how many bytes it used; the caller drops them and
/// calls again. `Incomplete`: no whole line yet. `Invalid`: the line is not
/// a valid message; the caller drops it — up to and including its LF, which
/// for a line over the limit (L3) may not have arrived yet — and goes on.
/// Error offsets count from the line's first byte, after skipped lines.
pub fn decode_stream(
    buf: &[u8],
    expect: Expect,
    end: End,
) -> Result<Decoded<Message<'_>>, DecodeError> {
    let line = next_line(buf, expect.max_len(), end)?;
    let message = match expect {
        Expect::Request => request_content(line.content).map(Message::Request),
        Expect::Reply => reply_content(line.content).map(Message::Reply),
        Expect::Greeting => greeting_content(line.content).map(Message::Greeting),
    }?;
    Ok(Decoded {
        message,
        len: line.len,
        skipped: line.skipped,
        terminator: line.terminator,
    })
}
