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

/// The codecs' shared error shape, "byte N: field must be …, found
/// \"…\"", in Portuguese: each protocol's `error_text.rs` names its
/// fields and expectations.
pub fn invalid_pt(offset: usize, field: &str, expected: &str, found: &str) -> String {
    format!("byte {offset}: {field} deveria ser {expected}, veio \"{found}\"")
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
}
