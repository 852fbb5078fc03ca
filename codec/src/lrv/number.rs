//! Raffle numbers and lists of them (lrv §4.2, §4.3).

use std::borrow::Cow;
use std::fmt;

use super::error::{Field, FieldError, Kind};

/// The largest raffle a server may hold, and so the largest number valid on
/// the wire whatever the raffle's size (lrv §4.2, D14). Whether a number is
/// within *this* raffle (1..=N) is the server's business (lrv §6.6).
pub const MAX_NUMBER: u32 = 10_000;

/// Digits of [`MAX_NUMBER`]: the most a number spells on the wire.
pub const MAX_NUMBER_DIGITS: usize = 5;

/// A raffle number, 1 to [`MAX_NUMBER`] (lrv §4.2). On the wire it has one
/// spelling: decimal, no sign, no leading zeros.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(u32);

impl Number {
    /// The smallest number, 1.
    pub const MIN: Number = Number(1);
    /// The largest number valid on the wire, [`MAX_NUMBER`].
    pub const MAX: Number = Number(MAX_NUMBER);

    /// `n` as a number, if it is 1 to [`MAX_NUMBER`].
    pub fn new(n: u32) -> Result<Number, FieldError> {
        if (1..=MAX_NUMBER).contains(&n) {
            Ok(Number(n))
        } else {
            Err(FieldError::new(
                Field::Number,
                Kind::OutOfRange { max: MAX_NUMBER },
                n.to_string().as_bytes(),
            ))
        }
    }

    /// Validates the wire spelling (lrv §4.2).
    pub fn parse(s: &str) -> Result<Number, FieldError> {
        check_number(s)
            .map_err(|(at, kind)| FieldError::new(Field::Number, kind, s.as_bytes()).at(at))
    }

    /// The number's value.
    pub fn get(self) -> u32 {
        self.0
    }

    /// Bytes of the wire spelling.
    pub fn len(self) -> usize {
        match self.0 {
            0..=9 => 1,
            10..=99 => 2,
            100..=999 => 3,
            1000..=9999 => 4,
            _ => 5,
        }
    }

    /// Always false: a number spells at least one digit (for clippy's
    /// `len_without_is_empty`).
    pub fn is_empty(self) -> bool {
        false
    }
}

/// The checks of a number token (`COMPRAR`'s argument, an element of a
/// list, the first field of a `207`), in the order a reader meets them:
/// the value, or the offset within the token and the kind of the first
/// fault.
pub(crate) fn check_number(token: &str) -> Result<Number, (usize, Kind)> {
    let b = token.as_bytes();
    if b.is_empty() {
        return Err((0, Kind::Missing));
    }
    if let Some(bad) = b.iter().position(|c| !c.is_ascii_digit()) {
        return Err((bad, Kind::NotDigits));
    }
    let range = (0, Kind::OutOfRange { max: MAX_NUMBER });
    if b == b"0" {
        return Err(range);
    }
    if b[0] == b'0' {
        return Err((0, Kind::LeadingZero));
    }
    if b.len() > MAX_NUMBER_DIGITS {
        return Err(range);
    }
    let n = b.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    if n > MAX_NUMBER {
        return Err(range);
    }
    Ok(Number(n))
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// A list of numbers as the wire writes it — `1,2,5` — strictly ascending
/// (lrv §4.3, D8). Borrows the decoded text; iterating parses it again,
/// which costs less than the allocation a `Vec` would.
///
/// Strictly ascending makes the list a set with one spelling, so two lists
/// are equal exactly when their bytes are, and a duplicate is
/// unrepresentable.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct NumberList<'a>(Cow<'a, str>);

impl<'a> NumberList<'a> {
    /// Validates the wire form. The empty string is the empty list.
    pub fn parse(s: &'a str) -> Result<Self, FieldError> {
        if !s.is_empty() {
            let end = scan_list(s).map_err(|e| e.into_field_error(s))?;
            if end < s.len() {
                return Err(FieldError::new(
                    Field::Separator,
                    Kind::ExtraSpace,
                    &s.as_bytes()[end..],
                )
                .at(end));
            }
        }
        Ok(NumberList(Cow::Borrowed(s)))
    }

    pub(crate) fn trusted(s: &'a str) -> Self {
        debug_assert!(s.is_empty() || scan_list(s) == Ok(s.len()));
        NumberList(Cow::Borrowed(s))
    }

    /// The empty list: on the wire, nothing after the code (`203` alone,
    /// lrv §4.3, §7.3).
    pub fn empty() -> NumberList<'static> {
        NumberList(Cow::Borrowed(""))
    }

    /// Builds a list; the numbers must be strictly ascending (the error
    /// points at the first that is not, in the text built so far).
    pub fn from_numbers(
        numbers: impl IntoIterator<Item = Number>,
    ) -> Result<NumberList<'static>, FieldError> {
        let mut s = String::new();
        let mut prev = 0;
        for n in numbers {
            if !s.is_empty() {
                s.push(',');
            }
            if n.0 <= prev {
                let at = s.len();
                let text = n.to_string();
                return Err(
                    FieldError::new(Field::Number, Kind::NotAscending, text.as_bytes()).at(at),
                );
            }
            prev = n.0;
            s.push_str(&n.to_string());
        }
        Ok(NumberList(Cow::Owned(s)))
    }

    /// The numbers, ascending.
    pub fn iter(&self) -> impl Iterator<Item = Number> + '_ {
        self.0
            .split(',')
            .filter(|t| !t.is_empty())
            .map(|t| Number(t.bytes().fold(0, |n, d| n * 10 + u32::from(d - b'0'))))
    }

    /// How many numbers: counted, not stored.
    pub fn len(&self) -> usize {
        if self.0.is_empty() {
            0
        } else {
            self.0.bytes().filter(|&b| b == b',').count() + 1
        }
    }

    /// Whether the list has no number.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `n` is in the list.
    pub fn contains(&self, n: Number) -> bool {
        self.iter().any(|m| m == n)
    }

    /// The wire form, `1,2,5`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the list from the buffer it was decoded from.
    pub fn into_owned(self) -> NumberList<'static> {
        NumberList(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so passing a list never clones it.
    pub fn reborrow(&self) -> NumberList<'_> {
        NumberList(Cow::Borrowed(&self.0))
    }
}

impl fmt::Display for NumberList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NumberList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A fault in a list: where (within the list text), which field, what kind,
/// and the end of the offending token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListFault {
    pub at: usize,
    pub token_end: usize,
    pub field: Field,
    pub kind: Kind,
}

impl ListFault {
    pub(crate) fn into_field_error(self, s: &str) -> FieldError {
        let found = &s.as_bytes()[self.at..self.token_end.max(self.at)];
        FieldError::new(self.field, self.kind, found).at(self.at)
    }
}

/// Reads a non-empty list from the start of `s` (lrv §4.3): numbers
/// separated by `,`, strictly ascending. Stops at a space or the end and
/// returns how many bytes the list used; what follows is the caller's.
pub(crate) fn scan_list(s: &str) -> Result<usize, ListFault> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut prev = 0;
    loop {
        let len = b[pos..]
            .iter()
            .position(|&c| c == b',' || c == b' ')
            .unwrap_or(b.len() - pos);
        let end = pos + len;
        if len == 0 {
            let (field, kind) = if b.get(pos) == Some(&b' ') {
                (Field::Separator, Kind::ExtraSpace)
            } else {
                (Field::Number, Kind::Missing)
            };
            return Err(ListFault {
                at: pos,
                token_end: (pos + 1).min(b.len()),
                field,
                kind,
            });
        }
        let n = check_number(&s[pos..end]).map_err(|(off, kind)| ListFault {
            at: pos + off,
            token_end: end,
            field: Field::Number,
            kind,
        })?;
        if n.0 <= prev {
            return Err(ListFault {
                at: pos,
                token_end: end,
                field: Field::Number,
                kind: Kind::NotAscending,
            });
        }
        prev = n.0;
        if b.get(end) == Some(&b',') {
            pos = end + 1;
        } else {
            return Ok(end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(Number::parse("7").map(Number::get), Ok(7));
        assert_eq!(Number::parse("10000").map(Number::get), Ok(10_000));
        let kind = |s: &str| Number::parse(s).unwrap_err().kind;
        assert_eq!(kind("0"), Kind::OutOfRange { max: 10_000 });
        assert_eq!(kind("10001"), Kind::OutOfRange { max: 10_000 });
        assert_eq!(
            kind("99999999999999999999"),
            Kind::OutOfRange { max: 10_000 }
        );
        assert_eq!(kind("007"), Kind::LeadingZero);
        assert_eq!(kind("00"), Kind::LeadingZero);
        assert_eq!(kind("+7"), Kind::NotDigits);
        assert_eq!(kind(""), Kind::Missing);
        assert_eq!(Number::parse("7a").unwrap_err().offset, 1);
        assert!(Number::new(0).is_err() && Number::new(10_001).is_err());
        for n in [1, 9, 10, 99, 100, 999, 1000, 9999, 10_000] {
            assert_eq!(Number::new(n).unwrap().len(), n.to_string().len());
        }
    }

    #[test]
    fn lists_are_strictly_ascending() {
        let l = NumberList::parse("1,2,5").unwrap();
        assert_eq!(l.iter().map(Number::get).collect::<Vec<_>>(), [1, 2, 5]);
        assert_eq!(l.len(), 3);
        assert!(l.contains(Number::new(5).unwrap()) && !l.contains(Number::new(3).unwrap()));
        assert!(NumberList::parse("").unwrap().is_empty());
        let e = NumberList::parse("1,5,2").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::NotAscending, 4));
        let e = NumberList::parse("1,1").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::NotAscending, 2));
        let e = NumberList::parse("1,,2").unwrap_err();
        assert_eq!(
            (e.kind, e.field, e.offset),
            (Kind::Missing, Field::Number, 2)
        );
        let e = NumberList::parse("1, 2").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::ExtraSpace, 2));
        let e = NumberList::parse("1,2 ").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::ExtraSpace, 3));
        let e = NumberList::parse("1,2,").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::Missing, 4));
    }

    #[test]
    fn from_numbers_builds_the_wire_text() {
        let ns = [3, 9, 10_000].map(|n| Number::new(n).unwrap());
        assert_eq!(NumberList::from_numbers(ns).unwrap().as_str(), "3,9,10000");
        let e = NumberList::from_numbers([9, 3].map(|n| Number::new(n).unwrap())).unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::NotAscending, 2));
        assert_eq!(NumberList::from_numbers([]).unwrap(), NumberList::empty());
    }

    #[test]
    fn the_largest_list_fits_the_reply_limit() {
        let all =
            NumberList::from_numbers((1..=MAX_NUMBER).map(|n| Number::new(n).unwrap())).unwrap();
        assert_eq!(all.len(), 10_000);
        assert_eq!("203 ".len() + all.as_str().len(), 48_897, "lrv §3.4");
        let longest = "203 ".len() + all.as_str().len();
        assert!(longest <= crate::lrv::MAX_REPLY_LEN);
    }
}
