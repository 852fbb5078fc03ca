//! The shape of a decoding error, the same in every protocol: the offset of
//! the first offending byte, the field, the rule broken, and an excerpt of
//! what arrived, shown as "byte N: field must be …, found \"…\"".
//!
//! Each protocol brings its own words — a `Field` enum naming the parts of
//! its messages and a `Kind` enum naming its rules — and names the shape
//! for them (`zap::Invalid`, `lrv::DecodeError`, …), so its callers never
//! spell the type parameters.

use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use crate::escape::escape_excerpt;

/// A protocol's names for the parts of a message an error can be about.
/// `Display` is how a message says it ("member 3"); `name` is the stable
/// identifier ("member") of the protocol's vectors and JSON reports.
pub trait Field: Copy + Eq + Hash + fmt::Debug + fmt::Display {
    /// The stable identifier of the field in the protocol's vectors and
    /// JSON reports.
    fn name(self) -> &'static str;
}

/// A protocol's rules, and how its errors word them.
pub trait Kind: Copy + Eq + Hash + fmt::Debug {
    /// Bytes of the offending input an error quotes: enough to recognise
    /// the protocol's longest field, short enough for one line of a report.
    const EXCERPT: usize;

    /// The stable identifier of the rule in the protocol's vectors and JSON
    /// reports.
    fn name(self) -> &'static str;

    /// What the spec expects, as a phrase that completes "must be …".
    fn expected(self) -> String;

    /// What [`DecodeError::Incomplete`] says: the unit the protocol frames
    /// (a frame, a line) and what it is still waiting for.
    fn fmt_incomplete(have: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// An input that is not valid in a protocol, with the evidence.
///
/// `offset` is the first offending byte, counted from the start of the
/// message (each protocol says where that is), or of the value, for a
/// field built directly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {field} must be {expected}, found \"{found}\"", expected = .kind.expected())]
pub struct Invalid<F: Field, K: Kind> {
    /// The first offending byte.
    pub offset: usize,
    /// The part of the message the fault is in.
    pub field: F,
    /// The rule the bytes break.
    pub kind: K,
    /// The offending bytes, escaped and cut to the protocol's excerpt.
    pub found: String,
}

impl<F: Field, K: Kind> Invalid<F, K> {
    /// The fault `kind` in `field`, quoting `found`, at offset 0: the
    /// error of a field built directly, whose value starts at its fault.
    /// Decoders place it in the message themselves.
    pub fn new(field: F, kind: K, found: &[u8]) -> Self {
        Invalid {
            offset: 0,
            field,
            kind,
            found: escape_excerpt(found, K::EXCERPT),
        }
    }

    pub(crate) fn at(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }
}

/// Why a streaming decode produced no message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError<F: Field, K: Kind> {
    /// The bytes so far may still become a message; wait for more. Never
    /// returned by a whole-message decoder.
    #[error("{}", Waiting::<K>::new(*.have))]
    Incomplete {
        /// Bytes buffered so far, all of them a valid beginning.
        have: usize,
    },
    /// The bytes are not a valid message; no further input changes that.
    #[error(transparent)]
    Invalid(#[from] Invalid<F, K>),
}

impl<F: Field, K: Kind> DecodeError<F, K> {
    /// Whether this is [`DecodeError::Incomplete`]: wait, nothing is wrong
    /// yet.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, DecodeError::Incomplete { .. })
    }
}

/// [`Kind::fmt_incomplete`] as a value `Display` can print: each protocol
/// words the wait in its own unit (a frame, a line).
struct Waiting<K> {
    have: usize,
    kind: PhantomData<K>,
}

impl<K: Kind> Waiting<K> {
    fn new(have: usize) -> Self {
        Waiting {
            have,
            kind: PhantomData,
        }
    }
}

impl<K: Kind> fmt::Display for Waiting<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        K::fmt_incomplete(self.have, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A protocol of one field and one rule: the shape, without any
    /// protocol's words.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    struct Word;

    impl fmt::Display for Word {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("word")
        }
    }

    impl Field for Word {
        fn name(self) -> &'static str {
            "word"
        }
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    struct Short;

    impl Kind for Short {
        const EXCERPT: usize = 4;

        fn name(self) -> &'static str {
            "short"
        }

        fn expected(self) -> String {
            "short".into()
        }

        fn fmt_incomplete(have: usize, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{have} bytes of a word")
        }
    }

    #[test]
    fn display_quotes_the_protocols_excerpt_and_words() {
        let e = Invalid::new(Word, Short, b"abc\ndef").at(5);
        assert_eq!(
            e.to_string(),
            "byte 5: word must be short, found \"abc\\n…\""
        );
        let d = DecodeError::from(e.clone());
        assert_eq!(d.to_string(), e.to_string());
        assert!(!d.is_incomplete());
        let d: DecodeError<Word, Short> = DecodeError::Incomplete { have: 3 };
        assert_eq!(d.to_string(), "3 bytes of a word");
        assert!(d.is_incomplete());
    }
}
