//! What can go wrong decoding LRV, said precisely: the byte offset, the
//! field, what the spec expects there and what arrived (lrv §9).

use std::fmt;

use super::code::Command;
use crate::error;

/// The part of a line an error is about, named as in the layout tables of
/// lrv §5–§7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The line as a whole: its length, its encoding, its end (lrv §3).
    Line,
    /// A request's command word (lrv §6.1).
    Command,
    /// The single space between the parts of a line (lrv §6.1, §7.1).
    Separator,
    /// Something after a request's command or argument where the grammar
    /// has nothing (lrv §6.1).
    Argument,
    /// A CPF, in `REGISTRAR` or a `207` (lrv §4.1).
    Cpf,
    /// A number, in `COMPRAR` or a reply's list (lrv §4.2, §4.3).
    Number,
    /// A reply's three-digit code (lrv §7.1).
    Code,
    /// Something after a reply's code or payload where the grammar has
    /// nothing (lrv §7.1).
    Payload,
    /// The greeting's text (lrv §5).
    Text,
}

impl Field {
    /// The stable name used in `spec/vectors/lrv.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Line => "line",
            Field::Command => "command",
            Field::Separator => "separator",
            Field::Argument => "argument",
            Field::Cpf => "cpf",
            Field::Number => "number",
            Field::Code => "code",
            Field::Payload => "payload",
            Field::Text => "text",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which rule was broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// More content than the direction's limit allows (lrv §3.4, L3).
    LineTooLong {
        /// The direction's content limit, in bytes.
        limit: usize,
    },
    /// Content that is not UTF-8 (lrv §3.1, §9.1).
    InvalidUtf8,
    /// A whole-line decoder got bytes after the line's LF: more than one
    /// message (lrv §3.3 L1).
    TrailingBytes,
    /// A line with no content. Streams skip these (lrv §3.3 L2); only a
    /// whole-line decoder, told the line is a message, reports it.
    EmptyLine,
    /// Not one of the seven commands (lrv §6.1).
    UnknownCommand,
    /// A command in another letter case (`comprar`): 400 strictly, D3.
    WrongCase {
        /// The command it spells in upper case.
        canonical: Command,
    },
    /// A command with an accent (`DISPONÍVEIS`): 400 strictly, D4.
    AccentedCommand {
        /// The command it spells without the accent.
        canonical: Command,
    },
    /// A space where the grammar has none: doubled, leading, trailing (D5).
    ExtraSpace,
    /// A required argument or payload field that is not there (D6).
    Missing,
    /// Something where the grammar has the end of the line (D6).
    Unexpected,
    /// A byte that is not an ASCII digit in a digit field (lrv §4).
    NotDigits,
    /// A CPF that is not exactly `width` digits (lrv §4.1).
    WrongLength {
        /// The digits a CPF has.
        width: usize,
    },
    /// A CPF written `123.456.789-09` (lrv §4.1, D11).
    FormattedCpf,
    /// A number written with a leading zero (`007`): lrv §4.2, D14.
    LeadingZero,
    /// A number outside 1..=`max` (lrv §4.2).
    OutOfRange {
        /// The largest number of the raffle.
        max: u32,
    },
    /// A list element not greater than the one before it (lrv §4.3, D8).
    NotAscending,
    /// Not one of the twelve reply codes (lrv §7.1).
    UnknownCode,
    /// A CPF whose check digits do not match (lrv §4.1). Only the strict
    /// validators report it; decoders accept any 11 digits.
    BadCheckDigits,
    /// A CPF of eleven equal digits (lrv §4.1). Strict validators only.
    RepeatedDigits,
    /// A greeting text built with a line break in it, which would make it
    /// two lines on the wire (lrv §5). Constructors only.
    LineBreak,
}

impl Kind {
    /// The stable name used in `spec/vectors/lrv.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::LineTooLong { .. } => "line_too_long",
            Kind::InvalidUtf8 => "invalid_utf8",
            Kind::TrailingBytes => "trailing_bytes",
            Kind::EmptyLine => "empty_line",
            Kind::UnknownCommand => "unknown_command",
            Kind::WrongCase { .. } => "wrong_case",
            Kind::AccentedCommand { .. } => "accented_command",
            Kind::ExtraSpace => "extra_space",
            Kind::Missing => "missing",
            Kind::Unexpected => "unexpected",
            Kind::NotDigits => "not_digits",
            Kind::WrongLength { .. } => "wrong_length",
            Kind::FormattedCpf => "formatted_cpf",
            Kind::LeadingZero => "leading_zero",
            Kind::OutOfRange { .. } => "out_of_range",
            Kind::NotAscending => "not_ascending",
            Kind::UnknownCode => "unknown_code",
            Kind::BadCheckDigits => "bad_check_digits",
            Kind::RepeatedDigits => "repeated_digits",
            Kind::LineBreak => "line_break",
        }
    }

    /// What the spec expects, as a phrase that completes "must be …".
    pub fn expected(self) -> String {
        match self {
            Kind::LineTooLong { limit } => format!("at most {limit} bytes before its LF"),
            Kind::InvalidUtf8 => "valid UTF-8".into(),
            Kind::TrailingBytes => "the end of the input (one message is one line)".into(),
            Kind::EmptyLine => "a message (an empty line is none)".into(),
            Kind::UnknownCommand => {
                let all: Vec<_> = Command::ALL.iter().map(|c| c.as_str()).collect();
                format!("one of {}", all.join(" "))
            }
            Kind::WrongCase { canonical } => format!("{canonical} (upper case)"),
            Kind::AccentedCommand { canonical } => format!("{canonical} (ASCII, no accent)"),
            Kind::ExtraSpace => "free of this space (exactly one separates the parts)".into(),
            Kind::Missing => "present".into(),
            Kind::Unexpected => "absent (the line ends here)".into(),
            Kind::NotDigits => "ASCII digits".into(),
            Kind::WrongLength { width } => format!("{width} ASCII digits"),
            Kind::FormattedCpf => "11 ASCII digits, without dots or dash".into(),
            Kind::LeadingZero => "written without leading zeros".into(),
            Kind::OutOfRange { max } => format!("a number from 1 to {max}"),
            Kind::NotAscending => {
                "greater than the number before it (lists are strictly ascending)".into()
            }
            Kind::UnknownCode => "one of 200 201 202 203 204 205 206 207 208 400 401 402".into(),
            Kind::BadCheckDigits => "a CPF whose two check digits match".into(),
            Kind::RepeatedDigits => "a CPF whose digits are not all equal".into(),
            Kind::LineBreak => "free of LF, and of CR at its end".into(),
        }
    }
}

impl error::Field for Field {
    fn name(self) -> &'static str {
        Field::name(self)
    }
}

impl error::Kind for Kind {
    const EXCERPT: usize = 24;

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

/// An input that is not valid LRV, with the evidence (lrv §9).
///
/// `offset` is the first offending byte, counted from the first byte of the
/// line (skipped empty lines before it are not counted), or of the value,
/// for a field built directly.
pub type Invalid = error::Invalid<Field, Kind>;

/// The error of building a field from a value: the same shape as a decode
/// error, with the offset counted within the value.
pub type FieldError = Invalid;

/// Why a streaming decode produced no message: `Incomplete` — no whole line
/// yet; wait for more bytes, or for a read boundary (lrv §3.3 L4), never
/// returned by the whole-line decoders — or `Invalid`: the line is not
/// valid, and no further input changes that; a receiver drops the line and
/// goes on with the next (lrv §3.3, §9).
pub type DecodeError = error::DecodeError<Field, Kind>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_offset_field_expectation_and_found_bytes() {
        let e = Invalid::new(Field::Number, Kind::LeadingZero, b"007").at(8);
        assert_eq!(
            e.to_string(),
            "byte 8: number must be written without leading zeros, found \"007\""
        );
        let e = Invalid::new(
            Field::Command,
            Kind::AccentedCommand {
                canonical: Command::Disponiveis,
            },
            "DISPONÍVEIS".as_bytes(),
        )
        .at(6);
        assert_eq!(
            e.to_string(),
            "byte 6: command must be DISPONIVEIS (ASCII, no accent), found \"DISPONÍVEIS\""
        );
        let e = Invalid::new(Field::Line, Kind::InvalidUtf8, b"\xcd\n");
        assert_eq!(
            e.to_string(),
            "byte 0: line must be valid UTF-8, found \"\\xcd\\n\""
        );
        assert_eq!(
            DecodeError::Incomplete { have: 4 }.to_string(),
            "incomplete line: 4 bytes so far and no LF; waiting for more"
        );
        assert_eq!(DecodeError::from(e.clone()).to_string(), e.to_string());
    }
}
