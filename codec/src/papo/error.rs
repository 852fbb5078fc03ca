//! papo's words for the crate's error shape (papo §8.2): the parts of a
//! line a fault can be in ([`Field`]) and the rules ([`Kind`]), with the
//! stable names of `spec/vectors/papo.toml`.

use std::fmt;

use crate::error;

/// Where in a line the fault is (papo §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The line as a whole: its length, its bytes, its first word.
    Line,
    /// A nickname: the nickname line's, a delivery's sender, a list entry.
    Nickname,
    /// The two digits of an error line (papo §6.7).
    Code,
    /// A message's text, or the fixed words of a server line.
    Text,
    /// The online list's label, `Usuarios online:` (papo §6.3).
    Label,
}

impl Field {
    /// The stable name used in `spec/vectors/papo.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Line => "line",
            Field::Nickname => "nickname",
            Field::Code => "code",
            Field::Text => "text",
            Field::Label => "label",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule was broken (papo §8.2), plus two a line on the wire cannot
/// break: [`Kind::TrailingBytes`] (a whole-line decoder given more than one
/// line) and [`Kind::Untrimmed`] (a text built with spaces at its ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// More content than the direction's limit allows (papo §3.4, L3).
    LineTooLong {
        /// The content limit, in bytes.
        limit: usize,
    },
    /// A control byte: `00`–`08`, `0B`–`1F` (a CR not before the LF
    /// included) or `7F` (papo §4.3). A line with one is not text.
    ControlChar,
    /// Nothing but spaces, tabs and the terminator. Streams skip these
    /// (papo §3.3 L2); only a whole-line decoder reports it.
    EmptyLine,
    /// A byte a nickname does not allow there (papo §4.1): the first not a
    /// letter, a `:`, a space inside, a byte ≥ `80`.
    BadChar,
    /// A 21st character in a nickname (papo §4.1).
    NicknameTooLong,
    /// One of the reserved words of papo §4.1, in any case.
    Reserved,
    /// A server line whose first word is neither a fixed word nor a
    /// nickname followed by one of the nickname forms (papo §6.1).
    UnknownLine,
    /// A server line that begins with a fixed word and then differs from
    /// every form that word begins (papo §6.1, D27).
    Wording,
    /// `Erro` with a code other than `01`–`03` (papo §6.7, D20).
    UnknownCode,
    /// A delivery with no text (papo §4.2, D14).
    EmptyText,
    /// A list entry or a private delivery's sender that is not a nickname
    /// (papo §6.3, §6.5).
    BadNick,
    /// A whole-line decoder got bytes after the line's LF: more than one
    /// line (papo §3.3 L1).
    TrailingBytes,
    /// A text built with a space or tab at one end (papo §4.2: a receiver
    /// removes them, so they would not come back). Constructors only.
    Untrimmed,
}

impl Kind {
    /// The stable name used in `spec/vectors/papo.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::LineTooLong { .. } => "line_too_long",
            Kind::ControlChar => "control_char",
            Kind::EmptyLine => "empty_line",
            Kind::BadChar => "bad_char",
            Kind::NicknameTooLong => "nickname_too_long",
            Kind::Reserved => "reserved",
            Kind::UnknownLine => "unknown_line",
            Kind::Wording => "wording",
            Kind::UnknownCode => "unknown_code",
            Kind::EmptyText => "empty_text",
            Kind::BadNick => "bad_nick",
            Kind::TrailingBytes => "trailing_bytes",
            Kind::Untrimmed => "untrimmed",
        }
    }

    /// What the spec expects, as a phrase that completes "must be …".
    pub fn expected(self) -> String {
        match self {
            Kind::LineTooLong { limit } => format!("at most {limit} bytes before its LF"),
            Kind::ControlChar => "free of control bytes (00-08, 0b-1f, 7f)".into(),
            Kind::EmptyLine => "a message (an empty line is none)".into(),
            Kind::BadChar => "an ASCII letter, then letters, digits, _ or -".into(),
            Kind::NicknameTooLong => "at most 20 characters".into(),
            Kind::Reserved => {
                "none of the reserved words quit, erro, mensagem, usuarios, digite, apelido".into()
            }
            Kind::UnknownLine => {
                "a line of papo §6.1: a fixed word, or a nickname and one of its forms".into()
            }
            Kind::Wording => "worded as papo §6.1 writes it".into(),
            Kind::UnknownCode => "01, 02 or 03".into(),
            Kind::EmptyText => "a text of at least one character".into(),
            Kind::BadNick => "a nickname (papo §4.1)".into(),
            Kind::TrailingBytes => "the end of the input (one message is one line)".into(),
            Kind::Untrimmed => "free of spaces and tabs at its ends".into(),
        }
    }
}

impl error::Field for Field {
    fn name(self) -> &'static str {
        Field::name(self)
    }
}

impl error::Kind for Kind {
    const EXCERPT: usize = 32;

    fn name(self) -> &'static str {
        Kind::name(self)
    }

    fn expected(self) -> String {
        Kind::expected(self)
    }

    fn fmt_incomplete(have: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "incomplete line: {have} bytes so far and no LF; waiting for more"
        )
    }
}

/// A line that is not valid papo, with the evidence (papo §8.2).
///
/// `offset` is the first offending byte, counted from the first byte of the
/// line (skipped empty lines before it are not counted), or of the value,
/// for a field built directly.
pub type Invalid = error::Invalid<Field, Kind>;

/// The error of building a field or a message from values: the same shape
/// as a decode error, with the offset counted within the value (or, for a
/// message, within its canonical line).
pub type FieldError = Invalid;

/// Why a streaming decode produced no message: `Incomplete` — no whole line
/// yet; wait for more bytes, or for a read boundary (papo §3.3 L4), never
/// returned by the whole-line decoders — or `Invalid`: the line is not
/// valid, and no further input changes that; a receiver drops the line and
/// goes on with the next (papo §3.3, §8).
pub type DecodeError = error::DecodeError<Field, Kind>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_offset_field_expectation_and_found_bytes() {
        let e = Invalid::new(Field::Nickname, Kind::BadChar, b":b").at(1);
        assert_eq!(
            e.to_string(),
            "byte 1: nickname must be an ASCII letter, then letters, digits, _ or -, found \":b\""
        );
        let e = Invalid::new(Field::Code, Kind::UnknownCode, b"04").at(5);
        assert_eq!(
            e.to_string(),
            "byte 5: code must be 01, 02 or 03, found \"04\""
        );
        assert_eq!(
            DecodeError::Incomplete { have: 3 }.to_string(),
            "incomplete line: 3 bytes so far and no LF; waiting for more"
        );
    }
}
