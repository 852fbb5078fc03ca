//! The language of reports (`--lang en|pt-BR`): most people reading them
//! are Brazilian students and teachers. Machine formats — JSON field names
//! and verdict codes, JUnit — stay English and stable; what a person reads
//! is translated. Spec section numbers are the same in both.
//!
//! The language is chosen once per process, at start (`set`); library code
//! asks `current()`. Texts are written in pairs where they are used
//! (`t("English", "Português")`), so a new message cannot forget its
//! translation.

use std::sync::OnceLock;

use gabarito_codec::zap::{Direction, Field, Invalid, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    PtBr,
}

static LANG: OnceLock<Lang> = OnceLock::new();

impl Lang {
    /// `en`, `pt-BR` (also `pt`, `pt_BR`, any case).
    pub fn parse(s: &str) -> Result<Lang, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            "pt" | "pt-br" => Ok(Lang::PtBr),
            other => Err(format!("unknown language \"{other}\": use en or pt-BR")),
        }
    }

    /// From the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, first one set):
    /// Portuguese for `pt*`, English otherwise.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .filter(|v| v.to_ascii_lowercase().starts_with("pt"))
            .map_or(Lang::En, |_| Lang::PtBr)
    }

    /// The BCP 47 tag, for `<html lang="…">`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::PtBr => "pt-BR",
        }
    }
}

/// Chooses the language for this process; the first call wins.
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

pub fn current() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// The text in the current language.
pub fn t<'a>(en: &'a str, pt: &'a str) -> &'a str {
    match current() {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

/// `format!` in the current language: `tr!("{n} case(s)", "{n} caso(s)")`.
/// Both texts take the same arguments.
macro_rules! tr {
    ($en:literal, $pt:literal $(, $arg:expr)* $(,)?) => {
        match $crate::lang::current() {
            $crate::lang::Lang::En => format!($en $(, $arg)*),
            $crate::lang::Lang::PtBr => format!($pt $(, $arg)*),
        }
    };
}
pub(crate) use tr;

/// A codec error as a person reads it: the codec's own English text, or
/// the same facts (offset, field, expected, found) in Portuguese.
pub fn invalid(e: &Invalid) -> String {
    match current() {
        Lang::En => e.to_string(),
        Lang::PtBr => format!(
            "byte {}: {} deveria ser {}, veio \"{}\"",
            e.offset,
            field_pt(e.field),
            expected_pt(e.kind),
            e.found
        ),
    }
}

fn field_pt(f: Field) -> String {
    match f {
        Field::Code => "o código".into(),
        Field::Id => "o id".into(),
        Field::Src => "src".into(),
        Field::Dst => "dst".into(),
        Field::Timestamp => "o timestamp".into(),
        Field::Data => "data".into(),
        Field::Creator => "o criador".into(),
        Field::Group => "o grupo".into(),
        Field::Members => "a lista de membros".into(),
        Field::Member(i) => format!("o membro {}", u32::from(i) + 1),
        Field::Frame => "o frame".into(),
    }
}

fn expected_pt(k: Kind) -> String {
    match k {
        Kind::UnknownCode => "um de 01 02 03 05 06 07 08 09 10 11".into(),
        Kind::WrongDirection { expected } => match expected {
            Direction::ToServer => "um código que o cliente envia (01 03 05 08 10)".into(),
            Direction::ToClient => "um código que o servidor envia (02 06 07 09 11)".into(),
        },
        Kind::NotDigits { width } => format!("{width} dígitos ASCII"),
        Kind::InvalidUtf8 => "UTF-8 válido".into(),
        Kind::TooManyChars => "no máximo 218 caracteres".into(),
        Kind::NulInData => "livre de U+0000, a não ser como enchimento no fim".into(),
        Kind::TooManyMembers { max } => format!("no máximo {max} ids"),
        Kind::TooFewMembers { min } => format!("pelo menos {min} id"),
        Kind::PartialMember => "13 dígitos ASCII".into(),
        Kind::TrailingZeroMember => {
            "um id diferente de 0000000000000 (no fim da lista, ele é enchimento)".into()
        }
        Kind::Truncated { min_len } => {
            format!("presente (o frame deste código tem pelo menos {min_len} bytes)")
        }
        Kind::TrailingBytes { len } => {
            format!("o fim do frame (o frame deste código tem {len} bytes)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_locales_parse() {
        assert_eq!(Lang::parse("pt-BR"), Ok(Lang::PtBr));
        assert_eq!(Lang::parse("pt_br"), Ok(Lang::PtBr));
        assert_eq!(Lang::parse("en"), Ok(Lang::En));
        assert!(Lang::parse("fr").is_err());
    }

    #[test]
    fn every_kind_has_a_portuguese_expectation() {
        for k in [
            Kind::UnknownCode,
            Kind::WrongDirection {
                expected: Direction::ToServer,
            },
            Kind::NotDigits { width: 13 },
            Kind::InvalidUtf8,
            Kind::TooManyChars,
            Kind::NulInData,
            Kind::TooManyMembers { max: 7 },
            Kind::TooFewMembers { min: 1 },
            Kind::PartialMember,
            Kind::TrailingZeroMember,
            Kind::Truncated { min_len: 15 },
            Kind::TrailingBytes { len: 15 },
        ] {
            assert!(!expected_pt(k).is_empty());
            assert_ne!(expected_pt(k), k.expected(), "{k:?} is not translated");
        }
    }
}
