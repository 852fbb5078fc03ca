//! Nicknames (papo §4.1): `ALPHA *19( ALPHA / DIGIT / "_" / "-" )`, not a
//! reserved word. [`Destination`] is the same syntax with the reserved
//! words allowed: what a private message may be addressed to (§5.1 rule 4).

use std::borrow::Cow;
use std::fmt;

use super::error::{Field, FieldError, Kind};

/// Most characters of a nickname (papo §4.1).
pub const MAX_NICKNAME_LEN: usize = 20;

/// The words that are not nicknames, in any case (papo §4.1): they begin
/// the server's own lines (§6.1) or are the quit command, so the first
/// word of every server line selects its form.
pub const RESERVED: [&str; 6] = ["quit", "erro", "mensagem", "usuarios", "digite", "apelido"];

/// A byte a nickname may hold after its first (papo §4.1).
pub(crate) fn is_nick_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The syntax of papo §4.1, reserved words aside: the first fault by
/// offset, `bad_char` before `nickname_too_long` at the same byte.
pub(crate) fn check_syntax(b: &[u8]) -> Result<(), (usize, Kind)> {
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() => {}
        _ => return Err((0, Kind::BadChar)),
    }
    for (i, &c) in b.iter().enumerate().skip(1) {
        if !is_nick_byte(c) {
            return Err((i, Kind::BadChar));
        }
        if i == MAX_NICKNAME_LEN {
            return Err((i, Kind::NicknameTooLong));
        }
    }
    Ok(())
}

/// One of [`RESERVED`], in any case.
pub(crate) fn is_reserved(b: &[u8]) -> bool {
    RESERVED
        .iter()
        .any(|r| r.as_bytes().eq_ignore_ascii_case(b))
}

/// papo §4.1 in full: the syntax, then the reserved words.
pub(crate) fn check_nickname(b: &[u8]) -> Result<(), (usize, Kind)> {
    check_syntax(b)?;
    if is_reserved(b) {
        return Err((0, Kind::Reserved));
    }
    Ok(())
}

fn field_error(b: &[u8], (at, kind): (usize, Kind)) -> FieldError {
    FieldError::new(Field::Nickname, kind, &b[at.min(b.len())..]).at(at)
}

/// A user's name for the length of a connection (papo §4.1): 1 to 20 ASCII
/// letters, digits, `_` and `-`, a letter first, not a reserved word.
/// Compared exactly: `Ana` and `ana` are two users (D4).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nickname<'a>(Cow<'a, str>);

impl<'a> Nickname<'a> {
    /// Validates `name` (papo §4.1). Spaces around it are not removed: a
    /// decoder does that (§5.2).
    pub fn new(name: &'a str) -> Result<Self, FieldError> {
        check_nickname(name.as_bytes()).map_err(|e| field_error(name.as_bytes(), e))?;
        Ok(Nickname(Cow::Borrowed(name)))
    }

    /// A nickname a parser already checked.
    pub(crate) fn trusted(bytes: &'a [u8]) -> Self {
        debug_assert!(check_nickname(bytes).is_ok());
        // Every byte is ASCII (papo §4.1), so the conversion cannot fail.
        Nickname(Cow::Borrowed(
            std::str::from_utf8(bytes).unwrap_or_default(),
        ))
    }

    /// The nickname as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the nickname from the buffer it was decoded from.
    pub fn into_owned(self) -> Nickname<'static> {
        Nickname(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so passing a nickname never clones it.
    pub fn reborrow(&self) -> Nickname<'_> {
        Nickname(Cow::Borrowed(&self.0))
    }
}

impl Nickname<'static> {
    /// [`Nickname::new`] for a name the nickname then owns.
    pub fn owned(name: String) -> Result<Self, FieldError> {
        check_nickname(name.as_bytes()).map_err(|e| field_error(name.as_bytes(), e))?;
        Ok(Nickname(Cow::Owned(name)))
    }
}

impl fmt::Debug for Nickname<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Nickname<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a private message goes (papo §5.4): nickname syntax, reserved
/// words included (§5.1 rule 4) — `erro:oi` is a private message to
/// `erro`, which no user can have, so the server answers `02`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Destination<'a>(Cow<'a, str>);

impl<'a> Destination<'a> {
    /// Validates `name` as nickname syntax (papo §4.1, reserved words
    /// allowed).
    pub fn new(name: &'a str) -> Result<Self, FieldError> {
        check_syntax(name.as_bytes()).map_err(|e| field_error(name.as_bytes(), e))?;
        Ok(Destination(Cow::Borrowed(name)))
    }

    /// A destination a parser already checked.
    pub(crate) fn trusted(bytes: &'a [u8]) -> Self {
        debug_assert!(check_syntax(bytes).is_ok());
        // Nickname syntax is ASCII, so the conversion cannot fail.
        Destination(Cow::Borrowed(
            std::str::from_utf8(bytes).unwrap_or_default(),
        ))
    }

    /// The destination as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nickname it names; `None` for a reserved word, which no user
    /// has.
    pub fn nickname(&self) -> Option<Nickname<'_>> {
        (!is_reserved(self.0.as_bytes())).then(|| Nickname(Cow::Borrowed(&self.0)))
    }

    /// Detaches the destination from the buffer it was decoded from.
    pub fn into_owned(self) -> Destination<'static> {
        Destination(Cow::Owned(self.0.into_owned()))
    }
}

impl Destination<'static> {
    /// [`Destination::new`] for a name the destination then owns.
    pub fn owned(name: String) -> Result<Self, FieldError> {
        check_syntax(name.as_bytes()).map_err(|e| field_error(name.as_bytes(), e))?;
        Ok(Destination(Cow::Owned(name)))
    }
}

impl<'a> From<Nickname<'a>> for Destination<'a> {
    fn from(n: Nickname<'a>) -> Self {
        Destination(n.0)
    }
}

impl fmt::Debug for Destination<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Destination<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(name: &str) -> (usize, &'static str) {
        let e = Nickname::new(name).unwrap_err();
        assert_eq!(e.field, Field::Nickname);
        (e.offset, e.kind.name())
    }

    #[test]
    fn the_rules_of_4_1() {
        for ok in ["a", "Bia_2-x", "abcdefghijklmnopqrst", "quitter", "Ana"] {
            assert_eq!(Nickname::new(ok).map(|n| n.to_string()), Ok(ok.to_owned()));
        }
        assert_eq!(fault(""), (0, "bad_char"));
        assert_eq!(fault("2ana"), (0, "bad_char"));
        assert_eq!(fault("a:b"), (1, "bad_char"));
        assert_eq!(fault("José"), (3, "bad_char"));
        assert_eq!(fault("abcdefghijklmnopqrstu"), (20, "nickname_too_long"));
        assert_eq!(fault("abcdefghijklmnopqrst:"), (20, "bad_char"));
        assert_eq!(fault("QUIT"), (0, "reserved"));
        assert_eq!(fault("Usuarios"), (0, "reserved"));
    }

    #[test]
    fn destinations_allow_the_reserved_words_and_nothing_else() {
        let d = Destination::new("erro").unwrap();
        assert_eq!(d.nickname(), None);
        assert_eq!(
            Destination::new("bia").unwrap().nickname(),
            Some(Nickname::new("bia").unwrap())
        );
        assert_eq!(Destination::new("a b").unwrap_err().offset, 1);
        let n = Nickname::owned("ana".into()).unwrap();
        assert_eq!(Destination::from(n).as_str(), "ana");
    }
}
