//! The text of a message (papo §4.2): bytes, not necessarily UTF-8 — a
//! server relays a Windows client's Latin-1 unchanged (§4.3, D2).

use std::borrow::Cow;
use std::fmt;

use super::error::{Field, FieldError, Kind};
use super::line::{MAX_SERVER_LEN, is_blank, is_control};

/// What a message carries (papo §4.2): at least one byte, no control byte
/// (§4.3; TAB is allowed inside), no space or tab at either end — a
/// receiver removes those, so they could not come back. Bytes `80`–`FF`
/// are allowed: UTF-8 or not, they are relayed unchanged (D2). At most
/// [`MAX_SERVER_LEN`] bytes; each message checks that its whole line fits
/// its direction's limit.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text<'a>(Cow<'a, [u8]>);

/// papo §4.2's rules, the first fault by offset.
pub(crate) fn check_text(b: &[u8]) -> Result<(), FieldError> {
    if b.is_empty() {
        return Err(FieldError::new(Field::Text, Kind::EmptyText, b));
    }
    if b.len() > MAX_SERVER_LEN {
        let limit = MAX_SERVER_LEN;
        let kind = Kind::LineTooLong { limit };
        return Err(FieldError::new(Field::Text, kind, &b[limit..]).at(limit));
    }
    if is_blank(b[0]) {
        return Err(FieldError::new(Field::Text, Kind::Untrimmed, b));
    }
    if let Some(at) = b.iter().position(|&c| is_control(c)) {
        return Err(FieldError::new(Field::Text, Kind::ControlChar, &b[at..]).at(at));
    }
    let last = b.len() - 1;
    if is_blank(b[last]) {
        return Err(FieldError::new(Field::Text, Kind::Untrimmed, &b[last..]).at(last));
    }
    Ok(())
}

impl<'a> Text<'a> {
    /// Validates `bytes` as a text (papo §4.2).
    pub fn new(bytes: &'a [u8]) -> Result<Self, FieldError> {
        check_text(bytes)?;
        Ok(Text(Cow::Borrowed(bytes)))
    }

    /// A text a parser already checked.
    pub(crate) fn trusted(bytes: &'a [u8]) -> Self {
        debug_assert!(check_text(bytes).is_ok());
        Text(Cow::Borrowed(bytes))
    }

    /// The text's bytes, as sent.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The text, if it is UTF-8 (a Latin-1 text is not).
    pub fn to_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// Bytes in the text.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: a text has at least one byte. For symmetry with
    /// [`Text::len`].
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every byte is ASCII: what a canonical sender sends (papo §4.3).
    pub fn is_ascii(&self) -> bool {
        self.0.is_ascii()
    }

    /// Detaches the text from the buffer it was decoded from.
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl Text<'static> {
    /// [`Text::new`] for bytes the text then owns.
    pub fn owned(bytes: Vec<u8>) -> Result<Self, FieldError> {
        check_text(&bytes)?;
        Ok(Text(Cow::Owned(bytes)))
    }
}

impl<'a> TryFrom<&'a str> for Text<'a> {
    type Error = FieldError;

    fn try_from(s: &'a str) -> Result<Self, FieldError> {
        Text::new(s.as_bytes())
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", crate::escape::escape_bytes(&self.0))
    }
}

impl fmt::Display for Text<'_> {
    /// The text with bytes that are not UTF-8 escaped (`\xe1`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::escape::escape_bytes(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(b: &[u8]) -> (usize, &'static str) {
        let e = Text::new(b).unwrap_err();
        (e.offset, e.kind.name())
    }

    #[test]
    fn the_rules_of_4_2() {
        for ok in [
            &b"oi"[..],
            b"a\tb",
            b"hora: 10h",
            b"ol\xe1",
            "olá".as_bytes(),
        ] {
            assert_eq!(Text::new(ok).unwrap().as_bytes(), ok);
        }
        assert_eq!(fault(b""), (0, "empty_text"));
        assert_eq!(fault(b" oi"), (0, "untrimmed"));
        assert_eq!(fault(b"oi\t"), (2, "untrimmed"));
        assert_eq!(fault(b"a\nb"), (1, "control_char"));
        assert_eq!(fault(b"a\x1b[31m"), (1, "control_char"));
        assert_eq!(Text::new(b"ol\xe1").unwrap().to_str(), None);
        assert_eq!(
            format!("{:?}", Text::new(b"ol\xe1").unwrap()),
            "\"ol\\xe1\""
        );
    }
}
