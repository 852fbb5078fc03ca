//! What can go wrong decoding Atendimento, named as atendimento §8.2 names
//! it: the offset of the first offending byte, the kind, what was expected
//! there, the member's path, the bytes found, and the spec section.
//!
//! Atendimento's faults do not fit the crate's `error::Invalid<Field,
//! Kind>`: their "field" is a path of member names a peer chose
//! (`EXPLICAÇÃO.Telefone`, or a name §6 does not have), not one of a fixed
//! set, so this module has its own error with the same Display shape.

use std::fmt;

use crate::escape::escape_excerpt;

/// What was expected where an `unexpected_byte` or a `truncated` fault is
/// (atendimento §8.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expected {
    /// The start of a value: `{ [ " - 0–9 t f n`.
    Value,
    /// A member name (a string), or `}` where the object may close.
    Key,
    /// The `:` after a member name.
    Colon,
    /// A `,` or the bracket that closes the container.
    CommaOrClose,
    /// A digit of a number (after `-`, `.`, `e`).
    Digit,
    /// A hex digit of a `\uXXXX` escape.
    Hex,
    /// The rest of `true`, `false` or `null`.
    Literal,
}

impl Expected {
    /// The stable name used in `spec/vectors/atendimento.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Expected::Value => "value",
            Expected::Key => "key",
            Expected::Colon => "colon",
            Expected::CommaOrClose => "comma_or_close",
            Expected::Digit => "digit",
            Expected::Hex => "hex",
            Expected::Literal => "literal",
        }
    }

    fn phrase(self) -> &'static str {
        match self {
            Expected::Value => "value",
            Expected::Key => "key",
            Expected::Colon => "colon",
            Expected::CommaOrClose => "comma or closing bracket",
            Expected::Digit => "digit",
            Expected::Hex => "hex digit",
            Expected::Literal => "the rest of true, false or null",
        }
    }
}

/// The kind of a fault (atendimento §8.2): JSON faults (§4.1), framing
/// faults (§3.3, §3.4), and the shape faults of replies (§6.1–§6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Nothing but whitespace, in a whole-input decode.
    Empty,
    /// A byte the grammar does not allow there.
    UnexpectedByte,
    /// The document ends (the input, or the peer closed) before it is whole.
    Truncated,
    /// Bytes that are not UTF-8 (§4.1).
    InvalidUtf8,
    /// A byte 00–1F inside a string: it must be escaped (§4.1).
    ControlInString,
    /// A `\` escape JSON does not have (§4.1).
    InvalidEscape,
    /// A `\uD800`–`\uDFFF` escape that is not half of a pair (§4.1, D11).
    LoneSurrogate,
    /// A number too large for an IEEE double (§4.1).
    NumberOutOfRange,
    /// Brackets nested deeper than 64 (§3.4, J7).
    TooDeep,
    /// A document longer than its direction's limit (§3.4, J7).
    TooLong,
    /// A second document after the first, in a whole-input decode.
    TrailingBytes,
    /// A valid JSON document that is not an object (§3.1, D12).
    NotObject,
    /// A reply member with a name §6.1 or §6.3 does not have.
    ExtraMember,
    /// A reply member whose value has the wrong JSON type (§6.1, §6.3).
    WrongType,
    /// A reply code that is none of §6.1's (D7).
    UnknownCode,
    /// A reply member §6.1 or §6.3 requires is absent.
    MissingMember,
}

impl Kind {
    /// The stable name used in `spec/vectors/atendimento.toml` and reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Empty => "empty",
            Kind::UnexpectedByte => "unexpected_byte",
            Kind::Truncated => "truncated",
            Kind::InvalidUtf8 => "invalid_utf8",
            Kind::ControlInString => "control_in_string",
            Kind::InvalidEscape => "invalid_escape",
            Kind::LoneSurrogate => "lone_surrogate",
            Kind::NumberOutOfRange => "number_out_of_range",
            Kind::TooDeep => "too_deep",
            Kind::TooLong => "too_long",
            Kind::TrailingBytes => "trailing_bytes",
            Kind::NotObject => "not_object",
            Kind::ExtraMember => "extra_member",
            Kind::WrongType => "wrong_type",
            Kind::UnknownCode => "unknown_code",
            Kind::MissingMember => "missing_member",
        }
    }

    /// Whether this is a shape fault of a reply (§8.2): the document is
    /// JSON, and a tolerant reader (§6.4) may still read it.
    pub fn is_shape(self) -> bool {
        matches!(
            self,
            Kind::ExtraMember | Kind::WrongType | Kind::UnknownCode | Kind::MissingMember
        )
    }

    /// Whether this fault makes the bytes not JSON at all (§4.1, §8.1): what
    /// a server answers `400` (D11). `too_long` (`413`), `not_object` (C1)
    /// and the shape faults are not.
    pub fn is_not_json(self) -> bool {
        !self.is_shape() && !matches!(self, Kind::TooLong | Kind::NotObject | Kind::Empty)
    }
}

/// Bytes an error quotes: enough for a reply code or a short value.
const EXCERPT: usize = 24;

/// A document that is not valid Atendimento, with the evidence
/// (atendimento §8.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Invalid {
    /// The first offending byte, counted from the document's first byte
    /// (whitespace before it does not count); for `truncated` and `empty`
    /// the bytes the document had, for `too_long` the limit.
    pub offset: usize,
    /// The rule broken.
    pub kind: Kind,
    /// For `unexpected_byte`, `truncated` between tokens and a bad `\u`
    /// escape: what the grammar allows there.
    pub expected: Option<Expected>,
    /// The members (and array positions) the fault is inside, outermost
    /// first: `VALOR`, `EXPLICAÇÃO.Telefone`, `VALOR[2]`; empty at the top.
    pub path: String,
    /// The offending bytes, escaped and cut to a short excerpt; empty for
    /// `truncated` and `empty`.
    pub found: String,
}

impl Invalid {
    pub(crate) fn new(kind: Kind, expected: Option<Expected>, offset: usize, found: &[u8]) -> Self {
        Invalid {
            offset,
            kind,
            expected,
            path: String::new(),
            found: escape_excerpt(found, EXCERPT),
        }
    }

    pub(crate) fn with_path(mut self, path: String) -> Self {
        self.path = path;
        self
    }

    /// The section of atendimento's spec that states the rule broken.
    pub fn section(&self) -> &'static str {
        match self.kind {
            Kind::Empty => "§8.2",
            Kind::Truncated => "§3.3 J8",
            Kind::TooDeep | Kind::TooLong => "§3.4",
            Kind::TrailingBytes => "§3.1",
            Kind::NotObject => "§3.1, D12",
            Kind::UnknownCode => "§6.1, D7",
            Kind::ExtraMember | Kind::WrongType | Kind::MissingMember => {
                if self.path.contains('.') {
                    "§6.3"
                } else {
                    "§6.1"
                }
            }
            Kind::UnexpectedByte
            | Kind::InvalidUtf8
            | Kind::ControlInString
            | Kind::InvalidEscape
            | Kind::LoneSurrogate
            | Kind::NumberOutOfRange => "§4.1",
        }
    }

    fn what(&self) -> String {
        let expected = self.expected.map(Expected::phrase);
        match self.kind {
            Kind::Empty => "expected a document, found only whitespace".into(),
            Kind::UnexpectedByte => format!("expected {}", expected.unwrap_or("value")),
            Kind::Truncated => match expected {
                Some(e) => format!("the document ends early, expected {e}"),
                None => "the document ends early".into(),
            },
            Kind::InvalidUtf8 => "expected valid UTF-8".into(),
            Kind::ControlInString => "expected a control character to be escaped".into(),
            Kind::InvalidEscape => match expected {
                Some(e) => format!("expected a {e} of a \\u escape"),
                None => r#"expected an escape: \" \\ \/ \b \f \n \r \t \uXXXX"#.into(),
            },
            Kind::LoneSurrogate => {
                "expected a surrogate escape to be half of a high-low pair".into()
            }
            Kind::NumberOutOfRange => "expected a number within an IEEE double's range".into(),
            Kind::TooDeep => format!("expected at most {} nested brackets", super::MAX_DEPTH),
            Kind::TooLong => format!("expected a document of at most {} bytes", self.offset),
            Kind::TrailingBytes => "expected the end of the input after one document".into(),
            Kind::NotObject => "expected a JSON object".into(),
            Kind::ExtraMember => "expected only the members the spec names".into(),
            Kind::WrongType => format!("expected {}", wrong_type_expectation(&self.path)),
            Kind::UnknownCode => r#"expected one of "200", "404", "400", "413""#.into(),
            Kind::MissingMember => "expected this member".into(),
        }
    }
}

/// The type a reply member must have, by its path (§6.1, §6.3).
fn wrong_type_expectation(path: &str) -> &'static str {
    match path.split_once('.') {
        None if path == super::names::EXPLICACAO => "a string or an object",
        None => "a string",
        Some((_, super::names::EMAIL)) => "a string",
        Some(_) => "a string or null",
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}", self.offset)?;
        if !self.path.is_empty() {
            write!(f, " in {}", self.path)?;
        }
        write!(f, ": {}, ", self.what())?;
        if matches!(self.kind, Kind::Truncated | Kind::Empty) {
            f.write_str("found the end")?;
        } else {
            write!(f, "found \"{}\"", self.found)?;
        }
        write!(f, " (atendimento {})", self.section())
    }
}

/// A document (or a run of garbage) a stream decoder rejected and dropped
/// (atendimento §3.3 J2, J6–J8): the fault, and what was dropped with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{invalid}")]
pub struct Rejected {
    /// What is wrong.
    pub invalid: Invalid,
    /// Whitespace bytes skipped before it (J1).
    pub skipped: usize,
    /// Bytes of the stream it accounts for: the whitespace skipped, and
    /// the document's (or the garbage's) bytes dropped so far. A document
    /// over a limit goes on being dropped as it arrives (J7), and garbage
    /// up to the next `{` (J2); those later bytes are in no `len`.
    pub len: usize,
    /// The dropped bytes after the whitespace, as far as they were held and
    /// at most the direction's limit: what a tolerant reader (§6.4) reads
    /// when the fault is one of its extensions, and the report's evidence.
    pub bytes: Vec<u8>,
}

/// Why a stateless stream decode ([`decode_stream`](super::decode_stream))
/// produced no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes so far are whitespace or the valid beginning of a document;
    /// wait for more (or for a boundary, J5).
    #[error("incomplete document: {have} bytes so far; waiting for more")]
    Incomplete {
        /// Bytes held so far.
        have: usize,
    },
    /// The head of the buffer is rejected; drop `len` bytes and read on.
    #[error(transparent)]
    Invalid(#[from] Rejected),
}

impl DecodeError {
    /// Whether this is [`DecodeError::Incomplete`]: wait, nothing is wrong
    /// yet.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, DecodeError::Incomplete { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_offset_path_expectation_found_and_section() {
        let e = Invalid::new(Kind::UnexpectedByte, Some(Expected::Key), 21, b"}");
        assert_eq!(
            e.to_string(),
            r#"byte 21: expected key, found "}" (atendimento §4.1)"#
        );
        let e = Invalid::new(Kind::WrongType, None, 100, b"3218181")
            .with_path("EXPLICAÇÃO.Telefone".into());
        assert_eq!(
            e.to_string(),
            r#"byte 100 in EXPLICAÇÃO.Telefone: expected a string or null, found "3218181" (atendimento §6.3)"#
        );
        let e = Invalid::new(Kind::Truncated, Some(Expected::Key), 35, b"");
        assert_eq!(
            e.to_string(),
            "byte 35: the document ends early, expected key, found the end (atendimento §3.3 J8)"
        );
        let e = Invalid::new(Kind::TooLong, None, 512, b"{");
        assert!(e.to_string().contains("at most 512 bytes"), "{e}");
    }

    #[test]
    fn kinds_sort_into_what_a_server_answers() {
        assert!(Kind::InvalidEscape.is_not_json());
        assert!(Kind::TooDeep.is_not_json());
        assert!(!Kind::TooLong.is_not_json());
        assert!(!Kind::NotObject.is_not_json());
        assert!(Kind::MissingMember.is_shape() && !Kind::MissingMember.is_not_json());
    }
}
