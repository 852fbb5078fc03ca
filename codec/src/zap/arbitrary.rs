//! `Arbitrary` messages (feature `arbitrary`), for fuzz targets and property
//! tests. Every value generated is a valid message of one of the ten codes:
//! fields are built through the validating constructors, so a generator
//! bug shows up as a construction error here, never as an invalid message.

use arbitrary::{Arbitrary, Result, Unstructured};

use super::fields::{
    GroupMembers, ID_LEN, Id, MAX_DATA_CHARS, Members, RequestedMembers, Text, Timestamp,
};
use super::message::{Chat, Message};
use crate::arbitrary::refused;

/// Ids: 13 digits, any value (leading zeros included, zap §4.1).
fn id(u: &mut Unstructured<'_>) -> Result<Id<'static>> {
    let n = u.int_in_range(0..=10u64.pow(ID_LEN as u32) - 1)?;
    Id::from_value(n).ok_or(arbitrary::Error::IncorrectFormat)
}

/// Timestamps: 10 digits, any value (zap §4.1, D5).
fn timestamp(u: &mut Unstructured<'_>) -> Result<Timestamp<'static>> {
    let secs = u.int_in_range(0..=9_999_999_999u64)?;
    Timestamp::from_secs(secs).ok_or(arbitrary::Error::IncorrectFormat)
}

/// Data: 0–218 Unicode scalar values, any but U+0000 (zap §4.1, D6).
fn text(u: &mut Unstructured<'_>) -> Result<Text<'static>> {
    let len = u.int_in_range(0..=MAX_DATA_CHARS)?;
    let mut s = String::new();
    for _ in 0..len {
        if u.is_empty() {
            break;
        }
        let c: char = u.arbitrary()?;
        s.push(if c == '\0' { ' ' } else { c });
    }
    Text::owned(s).map_err(refused)
}

/// Member lists: `MIN`–`MAX` ids. The zero id may appear inside a list but
/// never last, where it would be padding (zap §3.3, D7) and the list could
/// not be sent as itself.
fn members<const MIN: usize, const MAX: usize>(
    u: &mut Unstructured<'_>,
) -> Result<Members<'static, MIN, MAX>> {
    let n = u.int_in_range(MIN..=MAX)?;
    let mut ids = (0..n).map(|_| id(u)).collect::<Result<Vec<_>>>()?;
    if let Some(last) = ids.last_mut().filter(|id| id.is_zero()) {
        *last = Id::from_value(1).ok_or(arbitrary::Error::IncorrectFormat)?;
    }
    Members::from_ids(ids).map_err(refused)
}

/// A 10's list: 0–7 ids (zap §8.1).
fn requested(u: &mut Unstructured<'_>) -> Result<RequestedMembers<'static>> {
    members(u)
}

/// An 11's list: 1–8 ids (zap §8.2).
fn group(u: &mut Unstructured<'_>) -> Result<GroupMembers<'static>> {
    members(u)
}

fn chat(u: &mut Unstructured<'_>) -> Result<Chat<'static>> {
    Ok(Chat {
        src: id(u)?,
        dst: id(u)?,
        timestamp: timestamp(u)?,
        data: text(u)?,
    })
}

impl<'a> Arbitrary<'a> for Message<'static> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=9u8)? {
            0 => Message::Register,
            1 => Message::Registered { id: id(u)? },
            2 => Message::Connect { id: id(u)? },
            3 => Message::Send(chat(u)?),
            4 => Message::Deliver(chat(u)?),
            5 => Message::Delivered {
                dst: id(u)?,
                timestamp: timestamp(u)?,
            },
            6 => Message::Read {
                src: id(u)?,
                timestamp: timestamp(u)?,
            },
            7 => Message::ReadNotice {
                dst: id(u)?,
                timestamp: timestamp(u)?,
            },
            8 => Message::CreateGroup {
                creator: id(u)?,
                timestamp: timestamp(u)?,
                members: requested(u)?,
            },
            _ => Message::GroupCreated {
                group: id(u)?,
                timestamp: timestamp(u)?,
                members: group(u)?,
            },
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arbitrary::Lcg;

    /// Deterministic bytes of every shape: many messages, each of which
    /// must encode and decode back to itself.
    #[test]
    fn arbitrary_messages_are_valid_and_cover_every_code() {
        let mut seen = std::collections::BTreeSet::new();
        let mut lcg = Lcg::new();
        for _ in 0..2000 {
            let bytes = lcg.bytes(1200);
            let mut u = Unstructured::new(&bytes);
            let m = Message::arbitrary(&mut u).expect("enough bytes");
            let wire = m.to_bytes();
            let d = crate::zap::decode(&wire).expect("an arbitrary message is valid");
            assert_eq!(d.message, m);
            assert!(d.is_canonical());
            seen.insert(m.code());
        }
        assert_eq!(seen.len(), 10, "every code generated: {seen:?}");
    }

    #[test]
    fn exhausted_input_still_yields_a_valid_message() {
        let mut u = Unstructured::new(&[]);
        let m = Message::arbitrary(&mut u).expect("defaults");
        assert!(crate::zap::decode(&m.to_bytes()).is_ok());
        // Every code with all-zero choices: ids of 0, the smallest lists.
        for code in 0..10u8 {
            let choice = [code];
            let mut u = Unstructured::new(&choice);
            let m = Message::arbitrary(&mut u).expect("defaults");
            let wire = m.to_bytes();
            let d = crate::zap::decode(&wire).expect("valid");
            assert_eq!(d.message, m, "code choice {code}");
        }
    }
}
