//! One nom parser per message (zap §5–§8). Each sees exactly one frame: the
//! framing rules (`frame.rs`, zap §3) decide where a frame ends, and these
//! parsers decide whether its contents are valid. After the code matches,
//! `cut` turns every error into a failure, so the error names the field that
//! is wrong rather than "no alternative matched".

use std::borrow::Cow;

use nom::bytes::complete::tag;
use nom::combinator::cut;
use nom::error::{ErrorKind, ParseError};
use nom::sequence::preceded;
use nom::{IResult, Parser};

use super::code::Code;
use super::error::{Field, Invalid, Kind};
use super::fields::{ID_LEN, Id, MAX_DATA_CHARS, Members, TIMESTAMP_LEN, Text, Timestamp};
use super::message::{Chat, Message};
use super::padding::Padding;
use super::scan;

/// A parse failure: where (the unparsed rest of the frame, from which the
/// frame decoder computes the offset) and what.
#[derive(Debug)]
pub(crate) struct PError<'a> {
    pub(crate) rest: &'a [u8],
    pub(crate) invalid: Invalid,
}

impl<'a> PError<'a> {
    fn new(rest: &'a [u8], field: Field, kind: Kind, found: &[u8]) -> Self {
        PError {
            rest,
            invalid: Invalid::new(field, kind, found),
        }
    }
}

impl<'a> ParseError<&'a [u8]> for PError<'a> {
    /// Only `tag` fails through nom's own machinery: the code did not match.
    fn from_error_kind(input: &'a [u8], _: ErrorKind) -> Self {
        PError::new(
            input,
            Field::Code,
            Kind::UnknownCode,
            &input[..input.len().min(2)],
        )
    }

    fn append(_: &'a [u8], _: ErrorKind, other: Self) -> Self {
        other
    }
}

/// A message and the padding stripped from its frame.
pub(crate) type Parsed<'a> = (Message<'a>, Padding);
type PResult<'a, O> = IResult<&'a [u8], O, PError<'a>>;

fn fail<'a, O>(e: PError<'a>) -> PResult<'a, O> {
    Err(nom::Err::Failure(e))
}

/// Exactly `width` ASCII digits. Digits are checked before length, so a
/// stream that is still arriving fails at the first bad byte, not at its end.
/// `min_len` is the frame's minimum length, for the truncation message.
fn digits<'a>(
    field: Field,
    width: usize,
    min_len: usize,
) -> impl Parser<&'a [u8], Output = &'a str, Error = PError<'a>> {
    move |input: &'a [u8]| -> PResult<'a, &'a str> {
        let avail = &input[..input.len().min(width)];
        if let Some(bad) = avail.iter().position(|b| !b.is_ascii_digit()) {
            return fail(PError::new(
                &input[bad..],
                field,
                Kind::NotDigits { width },
                avail,
            ));
        }
        if input.len() < width {
            return fail(PError::new(
                &input[input.len()..],
                field,
                Kind::Truncated { min_len },
                avail,
            ));
        }
        let (value, rest) = input.split_at(width);
        match std::str::from_utf8(value) {
            Ok(s) => Ok((rest, s)),
            Err(_) => fail(PError::new(input, field, Kind::NotDigits { width }, value)),
        }
    }
}

fn id<'a>(
    field: Field,
    min_len: usize,
) -> impl Parser<&'a [u8], Output = Id<'a>, Error = PError<'a>> {
    digits(field, ID_LEN, min_len).map(Id::trusted)
}

fn timestamp<'a>(
    min_len: usize,
) -> impl Parser<&'a [u8], Output = Timestamp<'a>, Error = PError<'a>> {
    digits(Field::Timestamp, TIMESTAMP_LEN, min_len).map(Timestamp::trusted)
}

/// The rest of the frame as data (zap §4.1): valid UTF-8, at most 218
/// characters counting any padding, U+0000 only as trailing padding (D6).
///
/// The checks are ordered as the streaming decoder meets them (zap §3.4 R4),
/// so both decoders name the same fault: a 219th character is
/// `too_many_chars` whatever its bytes, an earlier bad byte `invalid_utf8`,
/// and only a valid, short enough text is searched for a stray U+0000.
fn text(input: &[u8]) -> PResult<'_, (Text<'_>, usize)> {
    let (valid, bad_at) = match std::str::from_utf8(input) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.valid_up_to();
            (
                std::str::from_utf8(&input[..at]).unwrap_or_default(),
                Some(at),
            )
        }
    };
    let Some(bad_at) = bad_at else {
        return match checked_text(valid) {
            Ok(parsed) => Ok((&input[input.len()..], parsed)),
            Err((at, kind)) => fail(PError::new(&input[at..], Field::Data, kind, &input[at..])),
        };
    };
    // Invalid UTF-8 at `bad_at`: unless 218 characters came before it (then
    // it is a 219th, R4), that is the fault.
    let at = match char_limit(valid) {
        Some(at) => at,
        None if valid.chars().count() == MAX_DATA_CHARS => bad_at,
        None => {
            return fail(PError::new(
                &input[bad_at..],
                Field::Data,
                Kind::InvalidUtf8,
                &input[bad_at..],
            ));
        }
    };
    fail(PError::new(
        &input[at..],
        Field::Data,
        Kind::TooManyChars,
        &input[at..],
    ))
}

/// The checks of data that is valid UTF-8: the text without its NUL padding
/// and the padding's length, or the offset and kind of the fault.
///
/// Cost: std's word-at-a-time character count, only for data longer than
/// 218 bytes, and one word-at-a-time NUL search.
#[inline(always)]
pub(crate) fn checked_text(s: &str) -> Result<(Text<'_>, usize), (usize, Kind)> {
    if let Some(at) = char_limit(s) {
        return Err((at, Kind::TooManyChars));
    }
    if !scan::has_zero_byte(s.as_bytes()) {
        return Ok((Text::trusted(s), 0));
    }
    let content = s.trim_end_matches('\0');
    match content.find('\0') {
        Some(at) => Err((at, Kind::NulInData)),
        None => Ok((Text::trusted(content), s.len() - content.len())),
    }
}

/// Where the 219th character starts, if there is one.
fn char_limit(s: &str) -> Option<usize> {
    // A text of at most 218 bytes cannot hold 219 characters, and std's
    // count is word-at-a-time: only a text that is too long is walked.
    if s.len() <= MAX_DATA_CHARS || s.chars().count() <= MAX_DATA_CHARS {
        return None;
    }
    s.char_indices().nth(MAX_DATA_CHARS).map(|(at, _)| at)
}

/// The rest of the frame as a member list (zap §8): whole 13-digit ids;
/// trailing `0000000000000` slots are padding (D7).
///
/// Slot by slot, in the order the streaming decoder checks them (zap §3.4
/// R4, R5): a slot past `MAX` is `too_many_members`, padding or not
/// (`members(7*13)` has seven slots), whatever it holds; a non-digit is
/// `not_digits` for that member; a short last slot is `partial_member`. Only then is padding stripped and
/// the minimum checked.
fn members<'a, const MIN: usize, const MAX: usize>(
    input: &'a [u8],
) -> PResult<'a, (Members<'a, MIN, MAX>, usize)> {
    for (i, slot) in input.chunks(ID_LEN).enumerate() {
        let at = i * ID_LEN;
        let field = Field::Member(u8::try_from(i).unwrap_or(u8::MAX));
        if i == MAX {
            let rest = &input[at..];
            return fail(PError::new(
                rest,
                field,
                Kind::TooManyMembers { max: MAX },
                rest,
            ));
        }
        if let Some(bad) = slot.iter().position(|b| !b.is_ascii_digit()) {
            return fail(PError::new(
                &input[at + bad..],
                field,
                Kind::NotDigits { width: ID_LEN },
                slot,
            ));
        }
        if slot.len() < ID_LEN {
            return fail(PError::new(slot, field, Kind::PartialMember, slot));
        }
    }
    let whole = input.len();
    let mut used = whole;
    while used >= ID_LEN && input[used - ID_LEN..used].iter().all(|&b| b == b'0') {
        used -= ID_LEN;
    }
    if used / ID_LEN < MIN {
        return fail(PError::new(
            input,
            Field::Members,
            Kind::TooFewMembers { min: MIN },
            input,
        ));
    }
    let list = std::str::from_utf8(&input[..used]).unwrap_or_default();
    Ok((
        &input[input.len()..],
        (
            Members::trusted(Cow::Borrowed(list)),
            (whole - used) / ID_LEN,
        ),
    ))
}

/// The fields of a code's header after the code, with their widths (zap §5–§8
/// layout tables): what the streaming decoder checks before it knows where
/// the frame ends (zap §3.4 R2).
pub(crate) fn header_layout(code: Code) -> &'static [(Field, usize)] {
    match code {
        Code::Register => &[],
        Code::Registered | Code::Connect => &[(Field::Id, ID_LEN)],
        Code::Send | Code::Deliver => &[
            (Field::Src, ID_LEN),
            (Field::Dst, ID_LEN),
            (Field::Timestamp, TIMESTAMP_LEN),
        ],
        Code::Delivered | Code::ReadNotice => {
            &[(Field::Dst, ID_LEN), (Field::Timestamp, TIMESTAMP_LEN)]
        }
        Code::Read => &[(Field::Src, ID_LEN), (Field::Timestamp, TIMESTAMP_LEN)],
        Code::CreateGroup => &[(Field::Creator, ID_LEN), (Field::Timestamp, TIMESTAMP_LEN)],
        Code::GroupCreated => &[(Field::Group, ID_LEN), (Field::Timestamp, TIMESTAMP_LEN)],
    }
}

fn plain(message: Message<'_>) -> Parsed<'_> {
    (message, Padding::default())
}

/// `01` — register (zap §5.1).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `01` |
pub(crate) fn register(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    tag(&b"01"[..])
        .map(|_| plain(Message::Register))
        .parse(input)
}

/// `02` — registered (zap §5.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `02` |
/// | 2 | 13 | id | ASCII digits |
pub(crate) fn registered(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"02"[..]), cut(id(Field::Id, 15)))
        .map(|id| plain(Message::Registered { id }))
        .parse(input)
}

/// `03` — connect (zap §5.3).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `03` |
/// | 2 | 13 | id | ASCII digits |
pub(crate) fn connect(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"03"[..]), cut(id(Field::Id, 15)))
        .map(|id| plain(Message::Connect { id }))
        .parse(input)
}

/// The fields of a 05/06 after the code (zap §6.1), field by field.
fn chat(input: &[u8]) -> PResult<'_, (Chat<'_>, Padding)> {
    (id(Field::Src, 38), id(Field::Dst, 38), timestamp(38), text)
        .map(|(src, dst, timestamp, (data, nul_bytes))| {
            (
                Chat {
                    src,
                    dst,
                    timestamp,
                    data,
                },
                Padding {
                    nul_bytes,
                    zero_members: 0,
                },
            )
        })
        .parse(input)
}

/// `05` — send (zap §6.1).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `05` |
/// | 2 | 13 | src | ASCII digits: the sender's own id |
/// | 15 | 13 | dst | ASCII digits: a user or a group |
/// | 28 | 10 | timestamp | ASCII digits |
/// | 38 | 0–872 | data | UTF-8, 0–218 characters, no U+0000 |
pub(crate) fn send(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"05"[..]), cut(chat))
        .map(|(c, p)| (Message::Send(c), p))
        .parse(input)
}

/// `06` — deliver (zap §6.2): the layout of [`send`] with code `06`.
pub(crate) fn deliver(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"06"[..]), cut(chat))
        .map(|(c, p)| (Message::Deliver(c), p))
        .parse(input)
}

/// `07` — delivered (zap §7.1; the seed's `cod(2)dest(2),timestamp(10)` is
/// read as below, decision D4).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `07` |
/// | 2 | 13 | dst | ASCII digits: who received |
/// | 15 | 10 | timestamp | ASCII digits: of the last message delivered |
pub(crate) fn delivered(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"07"[..]), cut((id(Field::Dst, 25), timestamp(25))))
        .map(|(dst, timestamp)| plain(Message::Delivered { dst, timestamp }))
        .parse(input)
}

/// `08` — read (zap §7.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `08` |
/// | 2 | 13 | src | ASCII digits: who sent what was read |
/// | 15 | 10 | timestamp | ASCII digits: of the last message read |
pub(crate) fn read(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"08"[..]), cut((id(Field::Src, 25), timestamp(25))))
        .map(|(src, timestamp)| plain(Message::Read { src, timestamp }))
        .parse(input)
}

/// `09` — read notice (zap §7.3).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `09` |
/// | 2 | 13 | dst | ASCII digits: who read |
/// | 15 | 10 | timestamp | ASCII digits: copied from the 08 |
pub(crate) fn read_notice(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(tag(&b"09"[..]), cut((id(Field::Dst, 25), timestamp(25))))
        .map(|(dst, timestamp)| plain(Message::ReadNotice { dst, timestamp }))
        .parse(input)
}

/// `10` — create group (zap §8.1).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `10` |
/// | 2 | 13 | creator | ASCII digits: the sender's own id |
/// | 15 | 10 | timestamp | ASCII digits |
/// | 25 | 13·k | members | k = 0–7 ids of ASCII digits |
pub(crate) fn create_group(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(
        tag(&b"10"[..]),
        cut((id(Field::Creator, 25), timestamp(25), members::<0, 7>)),
    )
    .map(|(creator, timestamp, (members, zero_members))| {
        (
            Message::CreateGroup {
                creator,
                timestamp,
                members,
            },
            Padding {
                nul_bytes: 0,
                zero_members,
            },
        )
    })
    .parse(input)
}

/// `11` — group created (zap §8.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 2 | code | `11` |
/// | 2 | 13 | group | ASCII digits: the new group's id |
/// | 15 | 10 | timestamp | ASCII digits: when the server created it |
/// | 25 | 13·k | members | k = 1–8 ids: the creator, then the others |
pub(crate) fn group_created(input: &[u8]) -> PResult<'_, Parsed<'_>> {
    preceded(
        tag(&b"11"[..]),
        cut((id(Field::Group, 25), timestamp(25), members::<1, 8>)),
    )
    .map(|(group, timestamp, (members, zero_members))| {
        (
            Message::GroupCreated {
                group,
                timestamp,
                members,
            },
            Padding {
                nul_bytes: 0,
                zero_members,
            },
        )
    })
    .parse(input)
}
