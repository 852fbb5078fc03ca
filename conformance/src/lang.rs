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

use gabarito_codec::lrv;
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
        Lang::PtBr => invalid_pt(e.offset, &field_pt(e.field), &expected_pt(e.kind), &e.found),
    }
}

/// An LRV codec error as a person reads it, like [`invalid`] for zap.
pub fn lrv_invalid(e: &lrv::Invalid) -> String {
    match current() {
        Lang::En => e.to_string(),
        Lang::PtBr => invalid_pt(
            e.offset,
            lrv_field_pt(e.field),
            &lrv_expected_pt(e.kind),
            &e.found,
        ),
    }
}

/// The codec's "byte N: field must be …, found \"…\"" in Portuguese.
fn invalid_pt(offset: usize, field: &str, expected: &str, found: &str) -> String {
    format!("byte {offset}: {field} deveria ser {expected}, veio \"{found}\"")
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

fn lrv_field_pt(f: lrv::Field) -> &'static str {
    match f {
        lrv::Field::Line => "a linha",
        lrv::Field::Command => "o comando",
        lrv::Field::Separator => "o separador",
        lrv::Field::Argument => "o argumento",
        lrv::Field::Cpf => "o CPF",
        lrv::Field::Number => "o número",
        lrv::Field::Code => "o código",
        lrv::Field::Payload => "o conteúdo da resposta",
        lrv::Field::Text => "o texto",
    }
}

fn lrv_expected_pt(k: lrv::Kind) -> String {
    use lrv::Kind as K;
    match k {
        K::LineTooLong { limit } => format!("no máximo {limit} bytes antes do LF"),
        K::InvalidUtf8 => "UTF-8 válido".into(),
        K::TrailingBytes => "o fim da entrada (uma mensagem é uma linha)".into(),
        K::EmptyLine => "uma mensagem (uma linha vazia não é nenhuma)".into(),
        K::UnknownCommand => {
            let all: Vec<_> = lrv::Command::ALL.iter().map(|c| c.as_str()).collect();
            format!("um de {}", all.join(" "))
        }
        K::WrongCase { canonical } => format!("{canonical} (em maiúsculas)"),
        K::AccentedCommand { canonical } => format!("{canonical} (ASCII, sem acento)"),
        K::ExtraSpace => "livre deste espaço (exatamente um separa as partes)".into(),
        K::Missing => "presente".into(),
        K::Unexpected => "ausente (a linha termina aqui)".into(),
        K::NotDigits => "dígitos ASCII".into(),
        K::WrongLength { width } => format!("{width} dígitos ASCII"),
        K::FormattedCpf => "11 dígitos ASCII, sem pontos nem traço".into(),
        K::LeadingZero => "escrito sem zeros à esquerda".into(),
        K::OutOfRange { max } => format!("um número de 1 a {max}"),
        K::NotAscending => {
            "maior que o número antes dele (as listas são estritamente crescentes)".into()
        }
        K::UnknownCode => "um de 200 201 202 203 204 205 206 207 208 400 401 402".into(),
        K::BadCheckDigits => "um CPF cujos dois dígitos verificadores conferem".into(),
        K::RepeatedDigits => "um CPF cujos dígitos não são todos iguais".into(),
        K::LineBreak => "livre de LF, e de CR no fim".into(),
    }
}

/// What an lrv reply deviation (lrv §7.5) is, in the report's language.
pub fn lrv_deviation(d: gabarito_codec::lrv::Deviation) -> &'static str {
    use gabarito_codec::lrv::Deviation;
    match d {
        Deviation::Text => t(
            "human text, extra spaces or another order around the values",
            "texto humano, espaços a mais ou outra ordem em volta dos valores",
        ),
        Deviation::Unordered => t(
            "the list is not in ascending order",
            "a lista não está em ordem crescente",
        ),
        Deviation::Duplicates => t(
            "a number twice in the list: it is not the set of numbers (lrv D8)",
            "um número duas vezes na lista: não é o conjunto dos números (lrv D8)",
        ),
        Deviation::LeadingZeros => t(
            "a number written with a leading 0",
            "um número escrito com 0 à esquerda",
        ),
        Deviation::FormattedCpf => t(
            "the winner written ddd.ddd.ddd-dd",
            "o ganhador escrito ddd.ddd.ddd-dd",
        ),
        Deviation::NoWinner => t(
            "a 207 without the winner's CPF",
            "um 207 sem o CPF do ganhador",
        ),
        Deviation::NotUtf8 => t(
            "the content is not valid UTF-8",
            "o conteúdo não é UTF-8 válido",
        ),
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

    #[test]
    fn every_lrv_kind_has_a_portuguese_expectation() {
        use lrv::{Command, Kind as K};
        for k in [
            K::LineTooLong { limit: 256 },
            K::InvalidUtf8,
            K::TrailingBytes,
            K::EmptyLine,
            K::UnknownCommand,
            K::WrongCase {
                canonical: Command::Comprar,
            },
            K::AccentedCommand {
                canonical: Command::Disponiveis,
            },
            K::ExtraSpace,
            K::Missing,
            K::Unexpected,
            K::NotDigits,
            K::WrongLength { width: 11 },
            K::FormattedCpf,
            K::LeadingZero,
            K::OutOfRange { max: 10_000 },
            K::NotAscending,
            K::UnknownCode,
            K::BadCheckDigits,
            K::RepeatedDigits,
            K::LineBreak,
        ] {
            assert_ne!(lrv_expected_pt(k), k.expected(), "{k:?} is not translated");
        }
    }
}
