//! LRV codec errors and reply deviations as a person reads them
//! (`--lang`): the codec's own English text, or the same facts — offset,
//! field, what lrv requires there, what came (lrv §9.4) — in Portuguese.

use gabarito_codec::lrv::{Command, Deviation, Field, Invalid, Kind};

use crate::lang::{Lang, current, invalid_pt, t};

/// `e` in the report's language.
pub fn invalid(e: &Invalid) -> String {
    match current() {
        Lang::En => e.to_string(),
        Lang::PtBr => invalid_pt(e.offset, field_pt(e.field), &expected_pt(e.kind), &e.found),
    }
}

fn field_pt(f: Field) -> &'static str {
    match f {
        Field::Line => "a linha",
        Field::Command => "o comando",
        Field::Separator => "o separador",
        Field::Argument => "o argumento",
        Field::Cpf => "o CPF",
        Field::Number => "o número",
        Field::Code => "o código",
        Field::Payload => "o conteúdo da resposta",
        Field::Text => "o texto",
    }
}

fn expected_pt(k: Kind) -> String {
    use Kind as K;
    match k {
        K::LineTooLong { limit } => format!("no máximo {limit} bytes antes do LF"),
        K::InvalidUtf8 => "UTF-8 válido".into(),
        K::TrailingBytes => "o fim da entrada (uma mensagem é uma linha)".into(),
        K::EmptyLine => "uma mensagem (uma linha vazia não é nenhuma)".into(),
        K::UnknownCommand => {
            let all: Vec<_> = Command::ALL.iter().map(|c| c.as_str()).collect();
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
pub fn deviation(d: Deviation) -> &'static str {
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
    fn every_kind_has_a_portuguese_expectation() {
        use Kind as K;
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
            assert_ne!(expected_pt(k), k.expected(), "{k:?} is not translated");
        }
    }
}
