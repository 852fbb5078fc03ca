//! What can go wrong decoding zap, said precisely: the byte offset, the
//! field, what the spec expects there and what arrived (zap §10).

use std::fmt;

use super::code::{Code, Direction};
use crate::error;

/// The field an error is about, named as in the layout tables of zap §5–§8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The two-digit code (zap §4).
    Code,
    /// The id of a 02 or 03.
    Id,
    /// `src`: the originator of a 05/06; in an 08, the party whose messages
    /// were read.
    Src,
    /// `dst`: the recipient of a 05/06; in a 07, who received; in a 09, who
    /// read.
    Dst,
    /// A timestamp (zap §4.1).
    Timestamp,
    /// The data of a 05/06 (zap §4.1).
    Data,
    /// The creator of a 10 (zap §8.1).
    Creator,
    /// The new group of an 11 (zap §8.2).
    Group,
    /// The member list as a whole (its count).
    Members,
    /// One member slot, 0-based.
    Member(u8),
    /// The frame as a whole (its length).
    Frame,
}

impl Field {
    /// The stable name used in `spec/vectors/zap.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Id => "id",
            Field::Src => "src",
            Field::Dst => "dst",
            Field::Timestamp => "timestamp",
            Field::Data => "data",
            Field::Creator => "creator",
            Field::Group => "group",
            Field::Members => "members",
            Field::Member(_) => "member",
            Field::Frame => "frame",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Member(i) => write!(f, "member {}", i + 1),
            other => f.write_str(other.name()),
        }
    }
}

/// Which rule was broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The two bytes are not a zap code (zap §4).
    UnknownCode,
    /// A code the other side sends (zap §2): a server never receives `06`.
    WrongDirection {
        /// The direction the receiver reads.
        expected: Direction,
    },
    /// The field needs exactly `width` ASCII digits (zap §4.1).
    NotDigits {
        /// The field's width.
        width: usize,
    },
    /// Data is not valid UTF-8 (zap §4.1).
    InvalidUtf8,
    /// Data longer than 218 characters (zap §4.1, D3).
    TooManyChars,
    /// U+0000 before the end of data; only trailing NULs are padding (D6).
    NulInData,
    /// More member ids than the message allows (zap §8).
    TooManyMembers {
        /// The most the message allows: 7 in a 10, 8 in an 11.
        max: usize,
    },
    /// Fewer member ids than the message needs (zap §8.2).
    TooFewMembers {
        /// The fewest the message needs.
        min: usize,
    },
    /// A member list that is not a whole number of 13-digit ids (zap §8).
    PartialMember,
    /// A list built (not decoded) whose last id is `0000000000000`: on the
    /// wire a trailing zero id is padding (zap §3.3, D7) and a receiver
    /// strips it, so the list could not be sent as itself. Decoders never
    /// return this; they strip the padding and report it.
    TrailingZeroMember,
    /// A whole frame that ends before its code's minimum length (zap §3.1).
    Truncated {
        /// The code's minimum frame length.
        min_len: usize,
    },
    /// A whole frame longer than its fixed length (zap §3.1).
    TrailingBytes {
        /// The code's frame length.
        len: usize,
    },
}

impl Kind {
    /// The stable name used in `spec/vectors/zap.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::UnknownCode => "unknown_code",
            Kind::WrongDirection { .. } => "wrong_direction",
            Kind::NotDigits { .. } => "not_digits",
            Kind::InvalidUtf8 => "invalid_utf8",
            Kind::TooManyChars => "too_many_chars",
            Kind::NulInData => "nul_in_data",
            Kind::TooManyMembers { .. } => "too_many_members",
            Kind::TooFewMembers { .. } => "too_few_members",
            Kind::PartialMember => "partial_member",
            Kind::TrailingZeroMember => "trailing_zero_member",
            Kind::Truncated { .. } => "truncated",
            Kind::TrailingBytes { .. } => "trailing_bytes",
        }
    }

    /// What the spec expects, as a phrase that completes "must be …".
    pub fn expected(self) -> String {
        match self {
            Kind::UnknownCode => "one of 01 02 03 05 06 07 08 09 10 11".into(),
            Kind::WrongDirection { expected } => {
                let list: Vec<_> = Code::ALL
                    .into_iter()
                    .filter(|c| c.direction() == expected)
                    .map(Code::as_str)
                    .collect();
                let who = match expected {
                    Direction::ToServer => "a client sends",
                    Direction::ToClient => "a server sends",
                };
                format!("a code {who} ({})", list.join(" "))
            }
            Kind::NotDigits { width } => format!("{width} ASCII digits"),
            Kind::InvalidUtf8 => "valid UTF-8".into(),
            Kind::TooManyChars => "at most 218 characters".into(),
            Kind::NulInData => "free of U+0000 except as trailing padding".into(),
            Kind::TooManyMembers { max } => format!("at most {max} ids"),
            Kind::TooFewMembers { min } => format!("at least {min} id"),
            Kind::PartialMember => "13 ASCII digits".into(),
            Kind::TrailingZeroMember => {
                "an id other than 0000000000000 (last in the list, it is padding)".into()
            }
            Kind::Truncated { min_len } => {
                format!("present (this code's frame has at least {min_len} bytes)")
            }
            Kind::TrailingBytes { len } => {
                format!("the end of the frame (this code's frame is {len} bytes)")
            }
        }
    }
}

impl error::Field for Field {
    fn name(self) -> &'static str {
        Field::name(self)
    }
}

impl error::Kind for Kind {
    const EXCERPT: usize = 16;

    fn name(self) -> &'static str {
        Kind::name(self)
    }

    fn expected(self) -> String {
        Kind::expected(self)
    }

    fn fmt_incomplete(have: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "incomplete frame: {have} bytes so far, a valid beginning; waiting for more"
        )
    }
}

/// An input that is not valid zap, with the evidence (zap §10).
///
/// `offset` is the first offending byte, counted from the start of the frame
/// (or of the value, for a field built directly).
pub type Invalid = error::Invalid<Field, Kind>;

/// The error of building a field from a value: the same shape as a decode
/// error, with the offset counted within the value.
pub type FieldError = Invalid;

/// Why a decode produced no message: `Incomplete` — the bytes so far are a
/// valid beginning; wait for more (zap §3.4), never returned by the
/// whole-frame decoder — or `Invalid`: the bytes are not zap, and no amount
/// of further input fixes that.
pub type DecodeError = error::DecodeError<Field, Kind>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_offset_field_expectation_and_found_bytes() {
        let e = Invalid::new(Field::Dst, Kind::NotDigits { width: 13 }, b"12ab567890123").at(17);
        assert_eq!(
            e.to_string(),
            "byte 17: dst must be 13 ASCII digits, found \"12ab567890123\""
        );
        let e = Invalid::new(
            Field::Code,
            Kind::WrongDirection {
                expected: Direction::ToServer,
            },
            b"06",
        );
        assert_eq!(
            e.to_string(),
            "byte 0: code must be a code a client sends (01 03 05 08 10), found \"06\""
        );
        let e = Invalid::new(
            Field::Member(7),
            Kind::TooManyMembers { max: 7 },
            &[b'2'; 40],
        );
        assert!(
            e.to_string()
                .starts_with("byte 0: member 8 must be at most 7 ids, found \"2222222222222222…\"")
        );
        assert_eq!(
            DecodeError::Incomplete { have: 5 }.to_string(),
            "incomplete frame: 5 bytes so far, a valid beginning; waiting for more"
        );
        assert_eq!(DecodeError::from(e.clone()).to_string(), e.to_string());
    }
}
