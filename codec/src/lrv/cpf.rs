//! The CPF (lrv §4.1): 11 ASCII digits on the wire, two of them check
//! digits. Decoding accepts any 11 digits — whether a CPF is *valid* is the
//! server's decision (it answers `400`, D11) and a harness must be able to
//! read a server's reply that names an invalid one — so validity is a
//! separate question, asked with [`Cpf::validate`] or [`Cpf::parse_strict`].

use std::borrow::Cow;
use std::fmt;

use super::error::{Field, FieldError, Kind};

/// Width of a CPF on the wire (lrv §4.1).
pub const CPF_LEN: usize = 11;

/// Width of a formatted CPF, `ddd.ddd.ddd-dd` (lrv §4.1, D11).
pub(crate) const FORMATTED_LEN: usize = 14;

/// 11 ASCII digits (lrv §4.1). Borrowed when decoded, owned when built from
/// a formatted CPF or from its base digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cpf<'a>(Cow<'a, str>);

impl<'a> Cpf<'a> {
    /// Validates the wire form: exactly 11 ASCII digits. Check digits are not
    /// checked (see [`Cpf::parse_strict`]).
    pub fn parse(s: &'a str) -> Result<Self, FieldError> {
        check_token(s)
            .map_err(|(at, kind)| FieldError::new(Field::Cpf, kind, s.as_bytes()).at(at))?;
        Ok(Cpf(Cow::Borrowed(s)))
    }

    /// [`Cpf::parse`], then [`Cpf::validate`]: what the reference server
    /// accepts in `REGISTRAR` (lrv §6.2).
    pub fn parse_strict(s: &'a str) -> Result<Self, FieldError> {
        let cpf = Self::parse(s)?;
        cpf.validate()?;
        Ok(cpf)
    }

    pub(crate) fn trusted(s: &'a str) -> Self {
        debug_assert!(check_token(s).is_ok());
        Cpf(Cow::Borrowed(s))
    }

    /// The 11 digits as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Detaches the CPF from the buffer it was decoded from.
    pub fn into_owned(self) -> Cpf<'static> {
        Cpf(Cow::Owned(self.0.into_owned()))
    }

    /// A borrowed copy, so comparing or passing a CPF never clones it.
    pub fn reborrow(&self) -> Cpf<'_> {
        Cpf(Cow::Borrowed(&self.0))
    }

    fn digits(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.bytes().map(|b| u32::from(b - b'0'))
    }

    /// Whether digits 10 and 11 are the check digits of the first nine
    /// (lrv §4.1). `11111111111` passes: see [`Cpf::is_repeated`].
    pub fn has_valid_check_digits(&self) -> bool {
        let d: Vec<u32> = self.digits().collect();
        let (first, second) = check_digits(&d[..9]);
        d[9] == first && d[10] == second
    }

    /// Eleven equal digits: satisfies the algorithm, never issued (lrv §4.1).
    pub fn is_repeated(&self) -> bool {
        let b = self.0.as_bytes();
        b.iter().all(|&x| x == b[0])
    }

    /// Valid check digits and not repeated: what `REGISTRAR` needs (D11).
    pub fn is_valid(&self) -> bool {
        self.validate().is_ok()
    }

    /// Why the CPF is not valid (lrv §4.1), the offset at the first wrong
    /// check digit, or at 0 for a repeated one.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.is_repeated() {
            return Err(FieldError::new(
                Field::Cpf,
                Kind::RepeatedDigits,
                self.0.as_bytes(),
            ));
        }
        let d: Vec<u32> = self.digits().collect();
        let (first, second) = check_digits(&d[..9]);
        let wrong = if d[9] != first {
            9
        } else if d[10] != second {
            10
        } else {
            return Ok(());
        };
        Err(FieldError::new(Field::Cpf, Kind::BadCheckDigits, &self.0.as_bytes()[9..]).at(wrong))
    }

    /// The human form `123.456.789-09`.
    pub fn formatted(&self) -> String {
        let s = self.as_str();
        format!("{}.{}.{}-{}", &s[..3], &s[3..6], &s[6..9], &s[9..])
    }
}

impl Cpf<'static> {
    /// The CPF written `ddd.ddd.ddd-dd` (lrv §4.1), which is not the wire
    /// form (D11) but what a tolerant reader meets in human text (§7.5).
    pub fn from_formatted(s: &str) -> Option<Self> {
        is_formatted(s.as_bytes()).then(|| {
            Cpf(Cow::Owned(
                s.bytes()
                    .filter(u8::is_ascii_digit)
                    .map(char::from)
                    .collect(),
            ))
        })
    }

    /// The valid CPF whose first nine digits are `base` (zero-padded), with
    /// its check digits computed; `None` for a base above 999 999 999 or one
    /// that makes a repeated CPF. For tests and harnesses that need fresh
    /// valid identities.
    pub fn from_base(base: u32) -> Option<Self> {
        if base > 999_999_999 {
            return None;
        }
        let nine = format!("{base:09}");
        let d: Vec<u32> = nine.bytes().map(|b| u32::from(b - b'0')).collect();
        let (first, second) = check_digits(&d);
        let cpf = Cpf(Cow::Owned(format!("{nine}{first}{second}")));
        (!cpf.is_repeated()).then_some(cpf)
    }
}

/// The two check digits of nine base digits (lrv §4.1).
fn check_digits(nine: &[u32]) -> (u32, u32) {
    let digit = |ds: &[u32]| {
        let weights = (2..=ds.len() as u32 + 1).rev();
        let s: u32 = ds.iter().zip(weights).map(|(d, w)| d * w).sum();
        match s % 11 {
            r if r < 2 => 0,
            r => 11 - r,
        }
    };
    let first = digit(nine);
    let mut ten = nine.to_vec();
    ten.push(first);
    (first, digit(&ten))
}

/// `ddd.ddd.ddd-dd` exactly.
pub(crate) fn is_formatted(b: &[u8]) -> bool {
    b.len() == FORMATTED_LEN
        && b.iter().enumerate().all(|(i, &c)| match i {
            3 | 7 => c == b'.',
            11 => c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// The checks of a CPF token (the argument of `REGISTRAR`, the second
/// field of a `207`): the offset within the token and the kind of the first
/// fault, in the order a reader meets them.
pub(crate) fn check_token(token: &str) -> Result<(), (usize, Kind)> {
    let b = token.as_bytes();
    if b.is_empty() {
        return Err((0, Kind::Missing));
    }
    if let Some(bad) = b.iter().position(|c| !c.is_ascii_digit()) {
        return Err(if is_formatted(b) {
            (3, Kind::FormattedCpf)
        } else {
            (bad, Kind::NotDigits)
        });
    }
    if b.len() != CPF_LEN {
        return Err((b.len().min(CPF_LEN), Kind::WrongLength { width: CPF_LEN }));
    }
    Ok(())
}

impl fmt::Display for Cpf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Cpf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_form_is_eleven_digits_whatever_the_check_digits() {
        assert!(Cpf::parse("12345678909").is_ok());
        assert!(Cpf::parse("12345678900").is_ok(), "decoders accept it");
        let short = Cpf::parse("1234567890").unwrap_err();
        assert_eq!(
            (short.kind, short.offset),
            (Kind::WrongLength { width: 11 }, 10)
        );
        let long = Cpf::parse("123456789012").unwrap_err();
        assert_eq!(long.offset, 11, "at the 12th digit");
        let fmt = Cpf::parse("123.456.789-09").unwrap_err();
        assert_eq!((fmt.kind, fmt.offset), (Kind::FormattedCpf, 3));
        let bad = Cpf::parse("1234567890a").unwrap_err();
        assert_eq!((bad.kind, bad.offset), (Kind::NotDigits, 10));
        assert!(Cpf::parse("1234567890١").is_err(), "only ASCII digits");
    }

    #[test]
    fn check_digits_follow_the_receita_algorithm() {
        for valid in ["12345678909", "52998224725", "00000000191", "11144477735"] {
            let cpf = Cpf::parse(valid).unwrap();
            assert!(cpf.has_valid_check_digits() && cpf.is_valid(), "{valid}");
        }
        let wrong_second = Cpf::parse_strict("12345678900").unwrap_err();
        assert_eq!(
            (wrong_second.kind, wrong_second.offset),
            (Kind::BadCheckDigits, 10)
        );
        let wrong_first = Cpf::parse_strict("12345678919").unwrap_err();
        assert_eq!(wrong_first.offset, 9);
        let repeated = Cpf::parse("11111111111").unwrap();
        assert!(repeated.has_valid_check_digits() && !repeated.is_valid());
        assert_eq!(repeated.validate().unwrap_err().kind, Kind::RepeatedDigits);
    }

    #[test]
    fn from_base_computes_check_digits_and_refuses_repeated() {
        assert_eq!(
            Cpf::from_base(123_456_789)
                .map(|c| c.to_string())
                .as_deref(),
            Some("12345678909")
        );
        assert_eq!(
            Cpf::from_base(1).map(|c| c.to_string()).as_deref(),
            Some("00000000191")
        );
        assert!(Cpf::from_base(0).is_none(), "00000000000 is repeated");
        assert!(Cpf::from_base(1_000_000_000).is_none());
        for base in (0..999_999_999).step_by(7_777_777) {
            if let Some(cpf) = Cpf::from_base(base) {
                assert!(cpf.is_valid(), "{cpf}");
            }
        }
    }

    #[test]
    fn formatted_form_converts_both_ways() {
        let cpf = Cpf::from_formatted("123.456.789-09").unwrap();
        assert_eq!(cpf.as_str(), "12345678909");
        assert_eq!(cpf.formatted(), "123.456.789-09");
        assert!(Cpf::from_formatted("123.456.78909").is_none());
        assert!(Cpf::from_formatted("12345678909").is_none());
    }
}
