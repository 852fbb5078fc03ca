//! Framing (zap §3): where a frame ends. The whole-frame decoder is told;
//! the streaming decoder works it out from the code, the 218-character and
//! 7/8-member limits, the headers of glued frames, and read boundaries.

use super::code::{Code, Direction, Length};
use super::error::{DecodeError, Field, Invalid, Kind};
use super::fields::{ID_LEN, MAX_DATA_CHARS};
use super::message::Message;
use super::padding::Padding;
use super::parse::{self, PError, Parsed};
use super::{fast, scan};
use crate::framing::End;

/// A decoded frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The message.
    pub message: Message<'a>,
    /// Bytes consumed from the input, including any skipped line breaks.
    pub len: usize,
    /// CR/LF bytes skipped before the frame (zap §3.5, D8): tolerated.
    pub skipped: usize,
    /// Padding stripped from the frame (zap §3.3, D6, D7): tolerated.
    pub padding: Padding,
}

impl Decoded<'_> {
    /// Whether the input was exactly the canonical encoding of the message
    /// (zap §3.2): then `message.to_bytes()` reproduces it.
    pub fn is_canonical(&self) -> bool {
        self.skipped == 0 && self.padding.is_none()
    }

    /// Detaches the message from the buffer it was decoded from.
    pub fn into_owned(self) -> Decoded<'static> {
        Decoded {
            message: self.message.into_owned(),
            ..self
        }
    }
}

/// Decodes `frame` as exactly one whole frame: no framing guesswork, every
/// byte belongs to this message (zap §3.2). Trailing NULs in data and
/// trailing zero member ids are stripped as padding and reported.
pub fn decode(frame: &[u8]) -> Result<Decoded<'_>, Invalid> {
    // The hot path: a valid frame is built in place (`fast.rs`); any
    // fault takes the parsers, which name it.
    if let Some((message, padding)) = fast::frame(frame) {
        return Ok(Decoded {
            message,
            len: frame.len(),
            skipped: 0,
            padding,
        });
    }
    decode_parsed(frame)
}

/// [`decode`] through the nom parsers: every code but a valid 05/06, and
/// every fault. Kept out of line so the hot path stays small.
#[inline(never)]
fn decode_parsed(frame: &[u8]) -> Result<Decoded<'_>, Invalid> {
    let (rest, (message, padding)) = parse_one(frame)?;
    if !rest.is_empty() {
        let at = frame.len() - rest.len();
        return Err(Invalid::new(Field::Frame, Kind::TrailingBytes { len: at }, rest).at(at));
    }
    Ok(Decoded {
        message,
        len: frame.len(),
        skipped: 0,
        padding,
    })
}

fn parse_one(frame: &[u8]) -> Result<(&[u8], Parsed<'_>), Invalid> {
    let code = match frame {
        [a, b, ..] => Code::from_bytes([*a, *b])
            .ok_or_else(|| Invalid::new(Field::Code, Kind::UnknownCode, &frame[..2]))?,
        [a] if !could_start_code(*a, None) => {
            return Err(Invalid::new(Field::Code, Kind::UnknownCode, frame));
        }
        _ => {
            return Err(
                Invalid::new(Field::Code, Kind::Truncated { min_len: 2 }, frame).at(frame.len()),
            );
        }
    };
    // Direct calls, not a table of function pointers: the parsers inline.
    let parsed = match code {
        Code::Register => parse::register(frame),
        Code::Registered => parse::registered(frame),
        Code::Connect => parse::connect(frame),
        Code::Send => parse::send(frame),
        Code::Deliver => parse::deliver(frame),
        Code::Delivered => parse::delivered(frame),
        Code::Read => parse::read(frame),
        Code::ReadNotice => parse::read_notice(frame),
        Code::CreateGroup => parse::create_group(frame),
        Code::GroupCreated => parse::group_created(frame),
    };
    parsed.map_err(|e| match e {
        nom::Err::Error(PError { rest, invalid }) | nom::Err::Failure(PError { rest, invalid }) => {
            invalid.at(frame.len() - rest.len())
        }
        nom::Err::Incomplete(_) => {
            Invalid::new(Field::Frame, Kind::Truncated { min_len: 2 }, frame)
        }
    })
}

/// Whether some code (of direction `dir`, or of either) begins with `first`.
fn could_start_code(first: u8, dir: Option<Direction>) -> bool {
    Code::ALL
        .iter()
        .any(|c| dir.is_none_or(|d| c.direction() == d) && c.as_bytes()[0] == first)
}

/// Decodes the first frame of a byte stream flowing in `dir` (zap §3.4).
///
/// Returns the message and how many bytes it used; the caller drops them and
/// calls again. `Incomplete` means "a valid beginning, wait"; `Invalid` means
/// no further input can make these bytes a frame. CR/LF before a frame is
/// skipped (D8). A code of the other direction is `Invalid`. At
/// `End::Boundary` a 05/06/10/11 still open ends at the end of `buf` (rule
/// R4 of zap §3.4), unless it ends inside a UTF-8 character.
pub fn decode_stream(buf: &[u8], dir: Direction, end: End) -> Result<Decoded<'_>, DecodeError> {
    let skipped = buf
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let rest = &buf[skipped..];
    let extent = frame_extent(rest, dir, end).map_err(|e| match e {
        DecodeError::Invalid(i) => DecodeError::Invalid(shifted(i, skipped)),
        DecodeError::Incomplete { have } => DecodeError::Incomplete {
            have: have + skipped,
        },
    })?;
    // A 05/06 whose text was validated while finding its end is built from
    // that text; anything else (or any fault) is decoded as a whole frame.
    if let Extent::Chat { len, text } = extent {
        if let Some((chat, padding)) = fast::chat_from_str(text) {
            let message = if rest[1] == b'5' {
                Message::Send(chat)
            } else {
                Message::Deliver(chat)
            };
            return Ok(Decoded {
                message,
                len: skipped + len,
                skipped,
                padding,
            });
        }
    }
    let len = extent.len();
    let d = decode(&rest[..len]).map_err(|i| shifted(i, skipped))?;
    Ok(Decoded {
        len: skipped + len,
        skipped,
        ..d
    })
}

/// The same fault seen from further back: the offset counts the `by`
/// line breaks skipped before the frame (zap §3.5).
fn shifted(i: Invalid, by: usize) -> Invalid {
    let at = i.offset + by;
    i.at(at)
}

/// Where the frame at the head of a buffer ends.
enum Extent<'a> {
    Len(usize),
    /// A 05/06 of `len` bytes, and its bytes after the code, already
    /// validated as UTF-8 while its end was found.
    Chat {
        len: usize,
        text: &'a str,
    },
}

impl Extent<'_> {
    fn len(&self) -> usize {
        match *self {
            Extent::Len(len) | Extent::Chat { len, .. } => len,
        }
    }
}

/// The length of the frame at the start of `buf`.
fn frame_extent(buf: &[u8], dir: Direction, end: End) -> Result<Extent<'_>, DecodeError> {
    let incomplete = DecodeError::Incomplete { have: buf.len() };
    let code = match buf {
        [] => return Err(incomplete),
        [a] => {
            return if could_start_code(*a, Some(dir)) {
                Err(incomplete)
            } else {
                Err(Invalid::new(Field::Code, Kind::UnknownCode, buf).into())
            };
        }
        [a, b, ..] => Code::from_bytes([*a, *b])
            .ok_or_else(|| Invalid::new(Field::Code, Kind::UnknownCode, &buf[..2]))?,
    };
    if code.direction() != dir {
        return Err(Invalid::new(
            Field::Code,
            Kind::WrongDirection { expected: dir },
            &buf[..2],
        )
        .into());
    }
    // R2: the header, or what has arrived of it, must be digits; a prefix
    // waits. Only the header is checked here: the tail is decided below and
    // the whole frame validated by `decode` once its end is known.
    check_header(buf, code)?;
    let header = match code.length() {
        Length::Fixed(n) | Length::Variable { header: n } => n,
    };
    if buf.len() < header {
        return Err(incomplete);
    }
    match code {
        Code::Send | Code::Deliver => data_end(buf, dir, end),
        Code::CreateGroup => members_end(buf, header, 7, dir, end).map(Extent::Len),
        Code::GroupCreated => members_end(buf, header, 8, dir, end).map(Extent::Len),
        _ => Ok(Extent::Len(header)),
    }
}

/// Checks the digits of `code`'s header fields that `buf` holds so far (zap
/// §3.4 R2), reporting the first non-digit as the whole-frame decoder would.
fn check_header(buf: &[u8], code: Code) -> Result<(), Invalid> {
    let mut off = 2;
    for &(field, width) in parse::header_layout(code) {
        let avail = &buf[off.min(buf.len())..(off + width).min(buf.len())];
        if let Some(bad) = avail.iter().position(|b| !b.is_ascii_digit()) {
            return Err(Invalid::new(field, Kind::NotDigits { width }, avail).at(off + bad));
        }
        off += width;
    }
    Ok(())
}

/// What [`frame_starts`] found at the head of some bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookahead {
    /// A code of the direction and every digit of its header.
    Yes,
    /// The bytes so far agree, but the buffer ends before the header does.
    Maybe,
    /// Not a frame header, whatever follows.
    No,
}

/// Whether a frame of a code sent in `dir` starts at `bytes[0]` (zap §3.4
/// rule R3): the code, then its header's digits. `01` never qualifies: two
/// bytes are too little evidence to cut someone's text in two.
pub fn frame_starts(bytes: &[u8], dir: Direction) -> Lookahead {
    // Every code starts with `0` or `1`: the common case is decided at once.
    if !matches!(bytes.first(), Some(b'0' | b'1')) {
        return Lookahead::No;
    }
    let candidates = || {
        Code::ALL
            .into_iter()
            .filter(move |c| c.direction() == dir && c.header_digits() > 0)
    };
    let code = match bytes {
        [] => return Lookahead::No,
        [a] => {
            return if candidates().any(|c| c.as_bytes()[0] == *a) {
                Lookahead::Maybe
            } else {
                Lookahead::No
            };
        }
        [a, b, ..] => match candidates().find(|c| c.as_bytes() == [*a, *b]) {
            Some(c) => c,
            None => return Lookahead::No,
        },
    };
    let need = 2 + code.header_digits();
    let avail = &bytes[2..bytes.len().min(need)];
    if !avail.iter().all(u8::is_ascii_digit) {
        Lookahead::No
    } else if bytes.len() < need {
        Lookahead::Maybe
    } else {
        Lookahead::Yes
    }
}

/// The end of a 05/06's data (zap §3.4): at 218 characters, where a frame
/// header begins, or at a read boundary — never inside a character.
///
/// First the raw bytes are searched for a glued header (R3): only a `0` or
/// `1` can begin one, and those bytes never occur inside a multi-byte
/// character. Then only the frame's own bytes are validated as UTF-8 — so a
/// short 06 glued to others does not validate its neighbours — and counted
/// against the 218-character limit (R4). The earliest of a header, a 219th
/// character and an invalid byte decides, as if the data were read
/// character by character. The validated text is returned with the length,
/// so the frame is built without validating it again.
fn data_end(buf: &[u8], dir: Direction, end: End) -> Result<Extent<'_>, DecodeError> {
    const START: usize = 38;
    // 218 characters of at most 4 bytes, and the first byte after them.
    let window_end = buf.len().min(START + 4 * MAX_DATA_CHARS + 1);
    let mut header = None;
    let mut from = START;
    while let Some(i) = scan::next_code_start(&buf[from..window_end]) {
        let pos = from + i;
        match frame_starts(&buf[pos..], dir) {
            Lookahead::Yes => header = Some((pos, true)),
            Lookahead::Maybe if end == End::More => header = Some((pos, false)),
            _ => {}
        }
        if header.is_some() {
            break;
        }
        from = pos + 1;
    }
    let stop = header.map_or(window_end, |(pos, _)| pos);
    // Everything after the code up to `stop`: the header digits, the data.
    let (text, invalid) = match std::str::from_utf8(&buf[2..stop]) {
        Ok(s) => (s, None),
        Err(e) => {
            let valid = &buf[2..2 + e.valid_up_to()];
            // Cut by the end of the buffer (not by `stop`): wait (R5).
            let cut = e.error_len().is_none() && stop == buf.len();
            (std::str::from_utf8(valid).unwrap_or_default(), Some(cut))
        }
    };
    let data = text.as_bytes().get(START - 2..).unwrap_or_default();
    let too_many = |at: usize| {
        Invalid::new(Field::Data, Kind::TooManyChars, &buf[at..])
            .at(at)
            .into()
    };
    if data.len() > MAX_DATA_CHARS {
        if let Some(at) = scan::nth_char_start(data, MAX_DATA_CHARS) {
            // zap §3.4 R4, §3.5: a line break after the 218th character
            // cannot be a 219th (that would be malformed), so it is the
            // `msg + "\n"` of a sender that ends frames with one.
            if matches!(data[at], b'\r' | b'\n') {
                let len = START + at;
                return Ok(Extent::Chat {
                    len,
                    text: &text[..len - 2],
                });
            }
            return Err(too_many(START + at));
        }
    }
    if let Some(cut) = invalid {
        // A sequence that is not valid UTF-8 at `pos`, before any header:
        // a 219th character, a character still arriving, or invalid.
        let pos = START + data.len();
        return if scan::count_chars(data) == MAX_DATA_CHARS {
            Err(too_many(pos))
        } else if cut {
            Err(DecodeError::Incomplete { have: buf.len() })
        } else {
            Err(Invalid::new(Field::Data, Kind::InvalidUtf8, &buf[pos..])
                .at(pos)
                .into())
        };
    }
    let chat = |len: usize| Extent::Chat { len, text };
    match header {
        Some((pos, true)) => Ok(chat(pos)),
        Some((_, false)) => Err(DecodeError::Incomplete { have: buf.len() }),
        None if stop < buf.len() => {
            // Unreachable: 873 valid bytes of data hold more than 218
            // characters, so the limit above returned first.
            Err(too_many(stop))
        }
        None => match end {
            End::Boundary => Ok(chat(stop)),
            End::More => Err(DecodeError::Incomplete { have: stop }),
        },
    }
}

/// The end of a 10/11's member list (zap §3.4): after `max` ids, before a
/// frame header, before a byte that is not a digit, or at a read boundary.
fn members_end(
    buf: &[u8],
    start: usize,
    max: usize,
    dir: Direction,
    end: End,
) -> Result<usize, DecodeError> {
    let mut pos = start;
    let mut count = 0;
    loop {
        if pos == buf.len() {
            return match end {
                End::Boundary => Ok(pos),
                End::More => Err(DecodeError::Incomplete { have: pos }),
            };
        }
        match frame_starts(&buf[pos..], dir) {
            Lookahead::Yes => return Ok(pos),
            Lookahead::Maybe if end == End::More => {
                return Err(DecodeError::Incomplete { have: buf.len() });
            }
            _ => {}
        }
        let slot = &buf[pos..buf.len().min(pos + ID_LEN)];
        // Not a member: the list ended; what follows is the next frame's
        // problem.
        if !slot[0].is_ascii_digit() {
            return Ok(pos);
        }
        // A digit that begins no header begins a member: one past the limit
        // is decided here, whatever follows — so the verdict is the same
        // however the bytes were cut (found by the `stream` fuzz target).
        if count == max {
            let field = Field::Member(count as u8);
            return Err(Invalid::new(field, Kind::TooManyMembers { max }, slot)
                .at(pos)
                .into());
        }
        if let Some(bad) = slot.iter().position(|b| !b.is_ascii_digit()) {
            let field = Field::Member(count as u8);
            return Err(Invalid::new(field, Kind::NotDigits { width: ID_LEN }, slot)
                .at(pos + bad)
                .into());
        }
        if slot.len() < ID_LEN {
            return match end {
                End::More => Err(DecodeError::Incomplete { have: buf.len() }),
                End::Boundary => {
                    let field = Field::Member(count as u8);
                    Err(Invalid::new(field, Kind::PartialMember, slot)
                        .at(pos)
                        .into())
                }
            };
        }
        pos += ID_LEN;
        count += 1;
    }
}

/// Where the next plausible frame starts after garbage at the head of `buf`
/// (zap §3.6): the first position after 0 where a header begins, or where
/// the tail could still become one; `buf.len()` if neither. Used by tolerant
/// readers to step over a banner or an invented message and keep going.
pub fn resync(buf: &[u8], dir: Direction) -> usize {
    (1..buf.len())
        .find(|&p| frame_starts(&buf[p..], dir) != Lookahead::No)
        .unwrap_or(buf.len())
}
