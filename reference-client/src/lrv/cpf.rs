//! A CPF typed by a person (`--cpf`, `LRV_CPF`, `register` in a session):
//! 11 digits, or the formatted `123.456.789-09`, checked by lrv §4.1 before
//! anything is sent, with an error that names the wrong digit.

use gabarito_codec::lrv::{CPF_LEN, Cpf, Kind};

/// Why a typed CPF cannot be registered (lrv §4.1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpfError {
    /// Not 11 digits (with or without the dots and dash).
    #[error(
        "{input:?} is not a CPF: a CPF is 11 digits, e.g. 12345678909 or 123.456.789-09 (lrv §4.1)"
    )]
    Form { input: String },
    /// A check digit that does not match the nine before it.
    #[error(
        "invalid CPF {formatted}: digit {position} (the {which} check digit) must be {expected}, \
         found {found} (lrv §4.1)"
    )]
    CheckDigit {
        formatted: String,
        /// 10 or 11, counted from 1.
        position: usize,
        which: &'static str,
        expected: char,
        found: char,
    },
    /// Eleven equal digits: they pass the algorithm, but are never issued.
    #[error("invalid CPF {formatted}: eleven equal digits are never issued (lrv §4.1)")]
    Repeated { formatted: String },
}

/// Reads a CPF a person typed, accepting `ddd.ddd.ddd-dd`, and checks it
/// as the server will (lrv §4.1, D11). The result is the wire form.
pub fn parse_cpf(input: &str) -> Result<Cpf<'static>, CpfError> {
    let s = input.trim();
    let cpf = if s.len() == CPF_LEN {
        Cpf::parse(s).ok().map(Cpf::into_owned)
    } else {
        Cpf::from_formatted(s)
    };
    let cpf = cpf.ok_or_else(|| CpfError::Form {
        input: input.to_owned(),
    })?;
    check(&cpf)?;
    Ok(cpf)
}

/// Checks a CPF's check digits and repetition (lrv §4.1).
pub fn check(cpf: &Cpf<'_>) -> Result<(), CpfError> {
    let Err(e) = cpf.validate() else {
        return Ok(());
    };
    let formatted = cpf.formatted();
    if e.kind == Kind::RepeatedDigits {
        return Err(CpfError::Repeated { formatted });
    }
    let digits = cpf.as_str().as_bytes();
    let base: u32 = cpf.as_str()[..9].parse().unwrap_or_default();
    let right = Cpf::from_base(base);
    let position = e.offset;
    let expected = right
        .as_ref()
        .and_then(|r| r.as_str().as_bytes().get(position).copied())
        .map_or('?', char::from);
    Err(CpfError::CheckDigit {
        formatted,
        position: position + 1,
        which: if position == 9 { "first" } else { "second" },
        expected,
        found: digits.get(position).copied().map_or('?', char::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_forms_and_names_the_wrong_digit() {
        assert_eq!(parse_cpf("12345678909").unwrap().as_str(), "12345678909");
        assert_eq!(parse_cpf("529.982.247-25").unwrap().as_str(), "52998224725");
        assert_eq!(parse_cpf(" 00000000191 ").unwrap().as_str(), "00000000191");
        let e = parse_cpf("12345678900").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid CPF 123.456.789-00: digit 11 (the second check digit) must be 9, found 0 (lrv §4.1)"
        );
        let e = parse_cpf("12345678919").unwrap_err();
        assert!(
            matches!(
                e,
                CpfError::CheckDigit {
                    position: 10,
                    expected: '0',
                    found: '1',
                    ..
                }
            ),
            "{e}"
        );
        assert!(matches!(
            parse_cpf("11111111111"),
            Err(CpfError::Repeated { .. })
        ));
        assert!(matches!(
            parse_cpf("1234567890"),
            Err(CpfError::Form { .. })
        ));
        assert!(matches!(
            parse_cpf("1234567890a"),
            Err(CpfError::Form { .. })
        ));
    }
}
