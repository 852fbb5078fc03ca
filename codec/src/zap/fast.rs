//! The happy path of the decoders: a frame that is exactly valid is checked
//! with a few word-at-a-time scans and one UTF-8 validation, and its message
//! built in place, without the nom parsers (whose layers copy the message
//! at each level). Anything else returns `None` and goes to the parsers of
//! `parse.rs`, which are the reference: they decide every fault and name
//! it. The test below holds the two to the same answers.

use std::borrow::Cow;

use super::fields::{ID_LEN, Id, MAX_DATA_CHARS, Members, TIMESTAMP_LEN, Text, Timestamp};
use super::message::{Chat, Message};
use super::padding::Padding;
use super::parse::{Parsed, checked_text};
use super::scan;

/// Exactly `len` ASCII digits, as text.
fn digits(bytes: &[u8], len: usize) -> Option<&str> {
    if bytes.len() == len && scan::all_digits(bytes) {
        std::str::from_utf8(bytes).ok()
    } else {
        None
    }
}

/// An id then a timestamp (zap §7, §8 headers).
fn id_timestamp(s: &str) -> Option<(Id<'_>, Timestamp<'_>)> {
    let (id, ts) = s.split_at_checked(ID_LEN)?;
    Some((Id::trusted(id), Timestamp::trusted(ts)))
}

/// A whole valid frame (zap §5–§8), or `None`.
#[inline(always)]
pub(crate) fn frame(frame: &[u8]) -> Option<Parsed<'_>> {
    let plain = |message| Some((message, Padding::default()));
    let ([a, b], rest) = frame.split_first_chunk::<2>()?;
    match [*a, *b] {
        [b'0', b'1'] if rest.is_empty() => plain(Message::Register),
        [b'0', b'2'] => plain(Message::Registered {
            id: Id::trusted(digits(rest, ID_LEN)?),
        }),
        [b'0', b'3'] => plain(Message::Connect {
            id: Id::trusted(digits(rest, ID_LEN)?),
        }),
        [b'0', c @ (b'5' | b'6')] => {
            let (chat, padding) = chat(rest)?;
            let message = if c == b'5' {
                Message::Send(chat)
            } else {
                Message::Deliver(chat)
            };
            Some((message, padding))
        }
        [b'0', c @ (b'7' | b'8' | b'9')] => {
            let (id, timestamp) = id_timestamp(digits(rest, ID_LEN + TIMESTAMP_LEN)?)?;
            plain(match c {
                b'7' => Message::Delivered { dst: id, timestamp },
                b'8' => Message::Read { src: id, timestamp },
                _ => Message::ReadNotice { dst: id, timestamp },
            })
        }
        [b'1', c @ (b'0' | b'1')] => {
            let header = ID_LEN + TIMESTAMP_LEN;
            if !scan::all_digits(rest) || rest.len() < header {
                return None;
            }
            let s = std::str::from_utf8(rest).ok()?;
            let (head, list) = s.split_at_checked(header)?;
            let (id, timestamp) = id_timestamp(head)?;
            if c == b'0' {
                let (members, zero_members) = members::<0, 7>(list)?;
                Some((
                    Message::CreateGroup {
                        creator: id,
                        timestamp,
                        members,
                    },
                    zero(zero_members),
                ))
            } else {
                let (members, zero_members) = members::<1, 8>(list)?;
                Some((
                    Message::GroupCreated {
                        group: id,
                        timestamp,
                        members,
                    },
                    zero(zero_members),
                ))
            }
        }
        _ => None,
    }
}

fn zero(zero_members: usize) -> Padding {
    Padding {
        nul_bytes: 0,
        zero_members,
    }
}

/// A member list of digits (checked by the caller): whole ids, at most
/// `MAX` slots, trailing zero ids stripped (D7), at least `MIN` left.
fn members<const MIN: usize, const MAX: usize>(
    list: &str,
) -> Option<(Members<'_, MIN, MAX>, usize)> {
    let bytes = list.as_bytes();
    if bytes.len() % ID_LEN != 0 || bytes.len() / ID_LEN > MAX {
        return None;
    }
    let mut used = bytes.len();
    while used >= ID_LEN && bytes[used - ID_LEN..used].iter().all(|&b| b == b'0') {
        used -= ID_LEN;
    }
    if used / ID_LEN < MIN {
        return None;
    }
    let kept = list.get(..used)?;
    Some((
        Members::trusted(Cow::Borrowed(kept)),
        (bytes.len() - used) / ID_LEN,
    ))
}

/// The fields of a 05/06 after the code (zap §6.1).
///
/// Most data is ASCII without NUL: then one pass over the bytes is the
/// whole validation (header digits, data under 0x80 and never 0, at most
/// 218 bytes — a character each), instead of `from_utf8` and a NUL scan
/// after it. Anything else takes the general path.
#[inline(always)]
pub(crate) fn chat(rest: &[u8]) -> Option<(Chat<'_>, Padding)> {
    const HEADER: usize = 2 * ID_LEN + TIMESTAMP_LEN;
    if let Some((head, data)) = rest.split_first_chunk::<HEADER>() {
        if data.len() <= MAX_DATA_CHARS && scan::all_digits_n::<HEADER>(head) {
            if let Some(s) = scan::ascii_without_nul(rest) {
                let (src, rest) = s.split_at_checked(ID_LEN)?;
                let (dst, rest) = rest.split_at_checked(ID_LEN)?;
                let (ts, data) = rest.split_at_checked(TIMESTAMP_LEN)?;
                let chat = Chat {
                    src: Id::trusted(src),
                    dst: Id::trusted(dst),
                    timestamp: Timestamp::trusted(ts),
                    data: Text::trusted(data),
                };
                return Some((chat, Padding::default()));
            }
        }
    }
    chat_from_str(std::str::from_utf8(rest).ok()?)
}

/// [`chat`] for bytes already validated as UTF-8 (the streaming decoder
/// validates them while it looks for the frame's end).
#[inline(always)]
pub(crate) fn chat_from_str(s: &str) -> Option<(Chat<'_>, Padding)> {
    const HEADER: usize = 2 * ID_LEN + TIMESTAMP_LEN;
    if !scan::all_digits_n::<HEADER>(s.as_bytes().first_chunk::<HEADER>()?) {
        return None;
    }
    let (src, rest) = s.split_at_checked(ID_LEN)?;
    let (dst, rest) = rest.split_at_checked(ID_LEN)?;
    let (ts, data) = rest.split_at_checked(TIMESTAMP_LEN)?;
    let (data, nul_bytes) = checked_text(data).ok()?;
    let chat = Chat {
        src: Id::trusted(src),
        dst: Id::trusted(dst),
        timestamp: Timestamp::trusted(ts),
        data,
    };
    Some((
        chat,
        Padding {
            nul_bytes,
            zero_members: 0,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zap::Code;

    /// The parsers' answer for a whole frame.
    fn parsed(frame: &[u8]) -> Option<Parsed<'_>> {
        let code = frame
            .first_chunk::<2>()
            .and_then(|c| Code::from_bytes(*c))?;
        use crate::zap::parse as p;
        let result = match code {
            Code::Register => p::register(frame),
            Code::Registered => p::registered(frame),
            Code::Connect => p::connect(frame),
            Code::Send => p::send(frame),
            Code::Deliver => p::deliver(frame),
            Code::Delivered => p::delivered(frame),
            Code::Read => p::read(frame),
            Code::ReadNotice => p::read_notice(frame),
            Code::CreateGroup => p::create_group(frame),
            Code::GroupCreated => p::group_created(frame),
        };
        match result {
            Ok(([], parsed)) => Some(parsed),
            _ => None,
        }
    }

    fn samples() -> Vec<Vec<u8>> {
        let (a, b, t) = ("2000000000001", "2000000000002", "1700000000");
        let mut v: Vec<String> = vec![
            "01".into(),
            format!("02{a}"),
            format!("03{a}"),
            format!("07{b}{t}"),
            format!("08{a}{t}"),
            format!("09{b}{t}"),
            format!("10{a}{t}"),
            format!("10{a}{t}{b}"),
            format!("10{a}{t}{}", b.repeat(7)),
            format!("10{a}{t}{b}{}", "0".repeat(13 * 6)),
            format!("10{a}{t}{}{b}", "0".repeat(13)),
            format!("11{a}{t}{b}"),
            format!("11{a}{t}{}", b.repeat(8)),
            format!("11{a}{t}{b}{}", "0".repeat(13)),
        ];
        for data in [
            "",
            "oi",
            "olá 😀",
            "a\0",
            "\0\0",
            &"é".repeat(218),
            &"a".repeat(218),
        ] {
            v.push(format!("05{a}{b}{t}{data}"));
            v.push(format!("06{a}{b}{t}{data}"));
        }
        v.into_iter().map(String::into_bytes).collect()
    }

    /// Every sample, and every one-byte change, truncation and extension of
    /// it: the fast path accepts only what the parsers accept, with the
    /// same message and padding, and it accepts every valid sample.
    #[test]
    fn the_fast_path_agrees_with_the_parsers() {
        let mut checked = 0;
        for sample in samples() {
            assert!(
                frame(&sample).is_some(),
                "the fast path takes {:?}",
                String::from_utf8_lossy(&sample)
            );
            let mut inputs = vec![sample.clone()];
            for i in 0..sample.len() {
                for byte in [0u8, b'0', b'1', b'9', b'a', b'\n', 0x80, 0xc3, 0xff] {
                    let mut m = sample.clone();
                    m[i] = byte;
                    inputs.push(m);
                }
                inputs.push(sample[..i].to_vec());
            }
            for extra in [&b"0"[..], b"2000000000003", b"\0", b"a", b"\xc3"] {
                inputs.push([&sample[..], extra].concat());
            }
            for input in &inputs {
                if let Some(fast) = frame(input) {
                    assert_eq!(
                        Some(fast),
                        parsed(input),
                        "{:?}",
                        String::from_utf8_lossy(input)
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
