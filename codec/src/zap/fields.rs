//! Validated field types (zap §4.1). Each borrows from the input when it was
//! decoded and owns its bytes when it was built; either way the invariant was
//! checked at construction and cannot be broken afterwards.

use std::borrow::Cow;
use std::fmt;

use super::error::{Field, FieldError, Kind};

/// Width of an id on the wire (zap §4.1).
pub const ID_LEN: usize = 13;
/// Width of a timestamp on the wire (zap §4.1).
pub const TIMESTAMP_LEN: usize = 10;
/// Most characters (Unicode scalar values) of data in a 05/06 (zap §4.1, D3).
pub const MAX_DATA_CHARS: usize = 218;

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn digits_error(field: Field, width: usize, s: &[u8]) -> FieldError {
    FieldError::new(field, Kind::NotDigits { width }, s)
}

/// A user or group identifier: exactly 13 ASCII digits (zap §4.1). Users and
/// groups share one namespace (zap §9.1, D9).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id<'a>(Cow<'a, str>);

impl<'a> Id<'a> {
    /// Validates `s` as an id, naming `field` in the error.
    pub fn parse_as(field: Field, s: &'a str) -> Result<Self, FieldError> {
        if s.len() == ID_LEN && all_digits(s) {
            Ok(Id(Cow::Borrowed(s)))
        } else {
            Err(digits_error(field, ID_LEN, s.as_bytes()))
        }
    }

    /// Validates `s` as an id: exactly 13 ASCII digits.
    pub fn parse(s: &'a str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Id, s)
    }

    /// For the parsers, which have just checked the digits themselves.
    pub(crate) fn trusted(s: &'a str) -> Self {
        debug_assert!(s.len() == ID_LEN && all_digits(s));
        Id(Cow::Borrowed(s))
    }

    /// The 13 digits as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the id from the buffer it was decoded from.
    pub fn into_owned(self) -> Id<'static> {
        Id(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so comparing or passing an id never clones its bytes.
    pub fn reborrow(&self) -> Id<'_> {
        Id(Cow::Borrowed(&self.0))
    }

    /// The id's value as a number (leading zeros allowed, zap §4.1).
    pub fn value(&self) -> u64 {
        self.0.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'))
    }

    /// `0000000000000`: never assigned, and a padding slot in member lists
    /// (zap §4.1, D7).
    pub fn is_zero(&self) -> bool {
        self.0.bytes().all(|b| b == b'0')
    }
}

impl Id<'static> {
    /// The id whose value is `n`, zero-padded; `None` above 13 digits.
    pub fn from_value(n: u64) -> Option<Self> {
        (n < 10u64.pow(ID_LEN as u32)).then(|| Id(Cow::Owned(format!("{n:013}"))))
    }
}

/// A POSIX time in seconds as exactly 10 ASCII digits (zap §4.1, D5).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timestamp<'a>(Cow<'a, str>);

impl<'a> Timestamp<'a> {
    /// Validates `s` as a timestamp, naming `field` in the error.
    pub fn parse_as(field: Field, s: &'a str) -> Result<Self, FieldError> {
        if s.len() == TIMESTAMP_LEN && all_digits(s) {
            Ok(Timestamp(Cow::Borrowed(s)))
        } else {
            Err(digits_error(field, TIMESTAMP_LEN, s.as_bytes()))
        }
    }

    /// Validates `s` as a timestamp: exactly 10 ASCII digits.
    pub fn parse(s: &'a str) -> Result<Self, FieldError> {
        Self::parse_as(Field::Timestamp, s)
    }

    pub(crate) fn trusted(s: &'a str) -> Self {
        debug_assert!(s.len() == TIMESTAMP_LEN && all_digits(s));
        Timestamp(Cow::Borrowed(s))
    }

    /// The 10 digits as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the timestamp from the buffer it was decoded from.
    pub fn into_owned(self) -> Timestamp<'static> {
        Timestamp(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so comparing or passing a timestamp never clones it.
    pub fn reborrow(&self) -> Timestamp<'_> {
        Timestamp(Cow::Borrowed(&self.0))
    }

    /// Seconds since the epoch.
    pub fn secs(&self) -> u64 {
        self.0.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0'))
    }
}

impl Timestamp<'static> {
    /// The timestamp for `secs`, zero-padded; `None` past 9999999999 (the
    /// year 2286).
    pub fn from_secs(secs: u64) -> Option<Self> {
        (secs < 10u64.pow(TIMESTAMP_LEN as u32))
            .then(|| Timestamp(Cow::Owned(format!("{secs:010}"))))
    }
}

/// The data of a 05/06: valid UTF-8, at most 218 characters (Unicode scalar
/// values, not bytes: zap §4.1, D3), without U+0000, which is reserved for
/// padding (zap §3.3, D6).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Text<'a>(Cow<'a, str>);

impl<'a> Text<'a> {
    /// Validates `s` as data: at most 218 characters, no U+0000.
    pub fn new(s: &'a str) -> Result<Self, FieldError> {
        check_text(s)?;
        Ok(Text(Cow::Borrowed(s)))
    }

    pub(crate) fn trusted(s: &'a str) -> Self {
        debug_assert!(check_text(s).is_ok());
        Text(Cow::Borrowed(s))
    }

    /// The text, without any padding.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the text from the buffer it was decoded from.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so passing a text never clones it.
    pub fn reborrow(&self) -> Text<'_> {
        Text(Cow::Borrowed(&self.0))
    }

    /// Length in characters, the unit of the 218 limit.
    pub fn chars(&self) -> usize {
        self.0.chars().count()
    }
}

impl Text<'static> {
    /// [`Text::new`] for a string the text then owns.
    pub fn owned(s: String) -> Result<Self, FieldError> {
        check_text(&s)?;
        Ok(Text(Cow::Owned(s)))
    }
}

fn check_text(s: &str) -> Result<(), FieldError> {
    if let Some(nul) = s.find('\0') {
        return Err(FieldError::new(Field::Data, Kind::NulInData, &s.as_bytes()[nul..]).at(nul));
    }
    // Counting only needs to look at lead bytes; short strings cannot be long.
    if s.len() > MAX_DATA_CHARS {
        if let Some((at, _)) = s.char_indices().nth(MAX_DATA_CHARS) {
            return Err(
                FieldError::new(Field::Data, Kind::TooManyChars, &s.as_bytes()[at..]).at(at),
            );
        }
    }
    Ok(())
}

/// A list of ids, concatenated on the wire, with between `MIN` and `MAX`
/// entries: the types make a 10 with eight members, or an 11 with none,
/// unrepresentable (zap §8.1, §8.2). The last id is never `0000000000000`,
/// which in that place is padding (zap §3.3, D7): such a list would decode
/// as a shorter one.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Members<'a, const MIN: usize, const MAX: usize>(Cow<'a, str>);

/// The members named in a 10: the creator is not repeated there (zap §8.1).
pub type RequestedMembers<'a> = Members<'a, 0, 7>;
/// The members announced in an 11: the creator first, then the others (zap §8.2).
pub type GroupMembers<'a> = Members<'a, 1, 8>;

impl<'a, const MIN: usize, const MAX: usize> Members<'a, MIN, MAX> {
    /// Validates the concatenated wire form: a multiple of 13 digits.
    pub fn parse(s: &'a str) -> Result<Self, FieldError> {
        check_members::<MIN, MAX>(s)?;
        Ok(Members(Cow::Borrowed(s)))
    }

    pub(crate) fn trusted(s: Cow<'a, str>) -> Self {
        debug_assert!(check_members::<MIN, MAX>(&s).is_ok());
        Members(s)
    }

    /// Builds a list from ids.
    pub fn from_ids<'i>(
        ids: impl IntoIterator<Item = Id<'i>>,
    ) -> Result<Members<'static, MIN, MAX>, FieldError> {
        let mut s = String::new();
        for id in ids {
            s.push_str(id.as_str());
        }
        check_members::<MIN, MAX>(&s)?;
        Ok(Members(Cow::Owned(s)))
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.0.len() / ID_LEN
    }

    /// Whether the list has no id (a 10 may name none, zap §8.1).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The ids, in wire order, borrowed.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Id<'_>> + '_ {
        self.0
            .as_bytes()
            .chunks_exact(ID_LEN)
            .map(|c| Id(Cow::Borrowed(std::str::from_utf8(c).unwrap_or_default())))
    }

    /// The concatenated wire form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the list from the buffer it was decoded from.
    pub fn into_owned(self) -> Members<'static, MIN, MAX> {
        Members(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so passing a list never clones it.
    pub fn reborrow(&self) -> Members<'_, MIN, MAX> {
        Members(Cow::Borrowed(&self.0))
    }
}

fn check_members<const MIN: usize, const MAX: usize>(s: &str) -> Result<(), FieldError> {
    let bytes = s.as_bytes();
    let whole = bytes.len() / ID_LEN * ID_LEN;
    for (i, chunk) in bytes[..whole].chunks_exact(ID_LEN).enumerate() {
        if let Some(bad) = chunk.iter().position(|b| !b.is_ascii_digit()) {
            return Err(FieldError::new(
                Field::Member(i as u8),
                Kind::NotDigits { width: ID_LEN },
                chunk,
            )
            .at(i * ID_LEN + bad));
        }
    }
    if whole != bytes.len() {
        let i = whole / ID_LEN;
        return Err(
            FieldError::new(Field::Member(i as u8), Kind::PartialMember, &bytes[whole..]).at(whole),
        );
    }
    let n = whole / ID_LEN;
    if n > MAX {
        let at = MAX * ID_LEN;
        return Err(FieldError::new(
            Field::Member(MAX as u8),
            Kind::TooManyMembers { max: MAX },
            &bytes[at..],
        )
        .at(at));
    }
    if n < MIN {
        return Err(FieldError::new(
            Field::Members,
            Kind::TooFewMembers { min: MIN },
            bytes,
        ));
    }
    // A trailing zero id is padding on the wire (zap §3.3, D7): a receiver
    // strips it, so a list ending in one would not decode as itself.
    if let Some(last) = bytes.len().checked_sub(ID_LEN) {
        if bytes[last..].iter().all(|&b| b == b'0') {
            let field = Field::Member((n - 1) as u8);
            return Err(FieldError::new(field, Kind::TrailingZeroMember, &bytes[last..]).at(last));
        }
    }
    Ok(())
}

macro_rules! display_as_str {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }
    )*};
}
display_as_str!(Id, Timestamp, Text);

impl<const MIN: usize, const MAX: usize> fmt::Debug for Members<'_, MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_requires_exactly_13_digits() {
        assert!(Id::parse("1234567890123").is_ok());
        assert!(
            Id::parse("0000000000001").is_ok(),
            "leading zeros are valid (zap §4.1)"
        );
        assert_eq!(
            Id::parse("123456789012").unwrap_err().kind,
            Kind::NotDigits { width: 13 }
        );
        assert!(Id::parse("12345678901234").is_err());
        assert!(Id::parse("Client-000001").is_err());
        assert!(Id::parse("123456789012٣").is_err(), "only ASCII digits");
    }

    #[test]
    fn id_from_value_pads_and_bounds() {
        assert_eq!(
            Id::from_value(42).map(|i| i.to_string()).as_deref(),
            Some("0000000000042")
        );
        assert!(Id::from_value(10_000_000_000_000).is_none());
        assert_eq!(
            Id::parse("2000000000007").map(|i| i.value()),
            Ok(2_000_000_000_007)
        );
    }

    #[test]
    fn timestamp_requires_10_digits() {
        assert!(Timestamp::parse("1700000000").is_ok());
        assert!(Timestamp::parse("170000000").is_err());
        assert!(Timestamp::parse("17000000a0").is_err());
        assert_eq!(
            Timestamp::from_secs(5).map(|t| t.to_string()).as_deref(),
            Some("0000000005")
        );
        assert!(Timestamp::from_secs(10_000_000_000).is_none());
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        let max4 = "𝄞".repeat(218);
        assert_eq!(max4.len(), 872);
        assert!(Text::new(&max4).is_ok());
        let over = "é".repeat(219);
        let err = Text::new(&over).unwrap_err();
        assert_eq!(err.kind, Kind::TooManyChars);
        assert_eq!(err.offset, 436, "offset of the 219th character");
        assert!(Text::new("").is_ok());
        assert_eq!(Text::new("a\0b").unwrap_err().kind, Kind::NulInData);
    }

    #[test]
    fn members_bounds_are_in_the_type() {
        let one = "2000000000001";
        assert!(RequestedMembers::parse("").is_ok());
        assert_eq!(
            GroupMembers::parse("").unwrap_err().kind,
            Kind::TooFewMembers { min: 1 }
        );
        assert!(RequestedMembers::parse(&one.repeat(7)).is_ok());
        assert_eq!(
            RequestedMembers::parse(&one.repeat(8)).unwrap_err().kind,
            Kind::TooManyMembers { max: 7 }
        );
        assert!(GroupMembers::parse(&one.repeat(8)).is_ok());
        let padded = RequestedMembers::parse("20000000000010000000000000").unwrap_err();
        assert_eq!(
            (padded.kind, padded.field, padded.offset),
            (Kind::TrailingZeroMember, Field::Member(1), 13)
        );
        assert!(
            RequestedMembers::parse("00000000000002000000000001").is_ok(),
            "a zero id inside is well formed"
        );
        let partial = RequestedMembers::parse("20000000000011234").unwrap_err();
        assert_eq!((partial.kind, partial.offset), (Kind::PartialMember, 13));
        let m = GroupMembers::parse("20000000000012000000000002").unwrap();
        assert_eq!(
            m.iter().map(|i| i.value()).collect::<Vec<_>>(),
            [2_000_000_000_001, 2_000_000_000_002]
        );
    }
}
