//! A zap codec error as a person reads it (`--lang`): the codec's own
//! English text, or the same facts — offset, field, what zap requires
//! there, what came (zap §3–§8) — in Portuguese.

use gabarito_codec::zap::{Direction, Field, Invalid, Kind};

use crate::lang::{Lang, current, invalid_pt};

/// `e` in the report's language.
pub fn invalid(e: &Invalid) -> String {
    match current() {
        Lang::En => e.to_string(),
        Lang::PtBr => invalid_pt(e.offset, &field_pt(e.field), &expected_pt(e.kind), &e.found),
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
