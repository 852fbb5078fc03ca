//! Which check an error text reports (atendimento §6.5): every `404` of
//! the seed has the same code, and only the text tells which check fired.
//! The harness uses the answer for one thing: a text recognised as another
//! check the request also fails proves the server checks in another order
//! (D9).

use super::fold::fold;
use super::request::Check;

/// What a text says went wrong (§6.5 rule 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Recognised {
    /// One of C1–C6, C11–C14: a member missing or invalid.
    Check(Check),
    /// C7's `unknown_user`.
    UnknownUser,
    /// C8's `already_registered`, or C15's `email_taken` (the same text).
    AlreadyRegistered,
}

impl Recognised {
    /// The name §6.2 gives the check (`servico_missing`, `unknown_user`,
    /// `already_registered`, …).
    pub fn name(self) -> &'static str {
        match self {
            Recognised::Check(c) => c.name(),
            Recognised::UnknownUser => "unknown_user",
            Recognised::AlreadyRegistered => "already_registered",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Missing,
    Invalid,
    Unknown,
    Exists,
}

/// The words of each kind (§6.5 rule 1), folded and lower case.
const KINDS: [(Said, &[&str]); 4] = [
    (
        Said::Missing,
        &[
            "nao contem",
            "ausente",
            "falta",
            "faltando",
            "sem ",
            "missing",
            "obrigatori",
        ],
    ),
    (Said::Invalid, &["invalid", "desconhecid", "nao suportad"]),
    (
        Said::Unknown,
        &[
            "nao registrad",
            "nao encontrad",
            "nao existe",
            "inexistente",
            "not found",
        ],
    ),
    (
        Said::Exists,
        &[
            "ja registrad",
            "ja existe",
            "ja cadastrad",
            "em uso",
            "already",
        ],
    ),
];

/// The members' words (§6.5 rule 2), and the checks they make with a kind.
const MEMBERS: [(&str, Check, Check); 6] = [
    ("servico", Check::ServicoMissing, Check::ServicoInvalid),
    ("acao", Check::AcaoMissing, Check::AcaoInvalid),
    ("email usuario", Check::EmailMissing, Check::EmailInvalid),
    ("email", Check::EmailMissing, Check::EmailInvalid),
    ("campo", Check::CampoMissing, Check::CampoInvalid),
    ("valor", Check::ValorMissing, Check::ValorInvalid),
];

/// Recognises `text` by §6.5: folded (§6.4 rule 2) and lower-cased, cut at
/// its first `:`; one kind of fault, and for a missing or invalid member
/// the member named last. `None`: no kind, more than one, or no member.
pub fn recognise(text: &str) -> Option<Recognised> {
    let folded = fold(text).to_ascii_lowercase();
    let head = folded.split(':').next().unwrap_or("");
    let mut said = KINDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| head.contains(w)))
        .map(|&(kind, _)| kind);
    let kind = said.next()?;
    if said.next().is_some() {
        return None;
    }
    match kind {
        Said::Unknown => Some(Recognised::UnknownUser),
        Said::Exists => Some(Recognised::AlreadyRegistered),
        Said::Missing | Said::Invalid => {
            let (_, missing, invalid) = MEMBERS
                .iter()
                .filter_map(|m| head.rfind(m.0).map(|at| (at, m)))
                .max_by_key(|&(at, m)| (at, m.0.len()))?
                .1;
            Some(Recognised::Check(if kind == Said::Missing {
                *missing
            } else {
                *invalid
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_texts_are_their_own_checks() {
        assert_eq!(
            recognise("Mensagem não contém uma entrada de EMAIL_USUARIO"),
            Some(Recognised::Check(Check::EmailMissing))
        );
        assert_eq!(
            recognise("Mensagem contém uma entrada inválida de CAMPO:VALOR SEM EMAIL"),
            Some(Recognised::Check(Check::CampoInvalid))
        );
        assert_eq!(
            recognise("Usuário já registrado:x"),
            Some(Recognised::AlreadyRegistered)
        );
        assert_eq!(recognise("tudo certo"), None);
    }
}
