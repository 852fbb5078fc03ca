//! The protocol's words: member names (atendimento §4.4, §5.1, §6.1,
//! §6.3), the service, the four actions, the four fields and the reply
//! codes. Names compare by code points (§4.2): these are their NFC
//! spellings, the seed's.

/// `SERVIÇO`, the request's service member (§5.1).
pub const SERVICO: &str = "SERVIÇO";
/// `AÇÃO`, the request's action member (§5.1).
pub const ACAO: &str = "AÇÃO";
/// `EMAIL_USUARIO`, the user's key in a request (§5.1, D19).
pub const EMAIL_USUARIO: &str = "EMAIL_USUARIO";
/// `CAMPO`, the field a `MODIFICAR USUARIO` sets (§5.1).
pub const CAMPO: &str = "CAMPO";
/// `VALOR`, the value a `MODIFICAR USUARIO` sets (§5.1).
pub const VALOR: &str = "VALOR";
/// `CODIGO DE ERRO`, the reply's code member, without an accent (§6.1).
pub const CODIGO_DE_ERRO: &str = "CODIGO DE ERRO";
/// `EXPLICAÇÃO`, the reply's explanation member, with its two (§6.1).
pub const EXPLICACAO: &str = "EXPLICAÇÃO";
/// `Nome`, a record field (§6.3).
pub const NOME: &str = "Nome";
/// `Endereço`, a record field (§6.3).
pub const ENDERECO: &str = "Endereço";
/// `Telefone`, a record field (§6.3).
pub const TELEFONE: &str = "Telefone";
/// `Email`, the record's key field (§6.3).
pub const EMAIL: &str = "Email";

/// The only service, the allowed value of `SERVIÇO` (§5.1, D6).
pub const DADOS_PESSOAIS: &str = "Dados Pessoais";

/// The request's action: the four allowed values of `AÇÃO` (§5.1), written
/// without an accent, as the seed does.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `CRIAR USUARIO` (§5.2).
    Criar,
    /// `CONSULTAR USUARIO` (§5.3).
    Consultar,
    /// `MODIFICAR USUARIO` (§5.4).
    Modificar,
    /// `REMOVER USUARIO` (§5.5).
    Remover,
}

impl Action {
    /// Every action, in §2's order.
    pub const ALL: [Action; 4] = [
        Action::Criar,
        Action::Consultar,
        Action::Modificar,
        Action::Remover,
    ];

    /// The value of `AÇÃO`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Criar => "CRIAR USUARIO",
            Action::Consultar => "CONSULTAR USUARIO",
            Action::Modificar => "MODIFICAR USUARIO",
            Action::Remover => "REMOVER USUARIO",
        }
    }

    /// The action `value` names exactly (§5.1, D6): no folding of case,
    /// accents or spaces.
    pub fn from_name(value: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// A record field: the four allowed values of `CAMPO` (§5.1), and the
/// record's members (§6.3).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Campo {
    /// `Nome`.
    Nome,
    /// `Endereço`.
    Endereco,
    /// `Telefone`.
    Telefone,
    /// `Email`: setting it moves the record to a new key (§7.3).
    Email,
}

impl Campo {
    /// Every field, in the record's order (§6.3).
    pub const ALL: [Campo; 4] = [Campo::Nome, Campo::Endereco, Campo::Telefone, Campo::Email];

    /// The field's name, as `CAMPO` and the record write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Campo::Nome => NOME,
            Campo::Endereco => ENDERECO,
            Campo::Telefone => TELEFONE,
            Campo::Email => EMAIL,
        }
    }

    /// The field `value` names exactly (§5.1, D6): `Endereco` is none.
    pub fn from_name(value: &str) -> Option<Campo> {
        Campo::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

/// A reply code (§6.1): a string of three digits on the wire.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// `"200"`: done — created, consulted, modified, removed.
    Ok,
    /// `"400"`: the document is not JSON (D11).
    BadRequest,
    /// `"404"`: the request fails one of the seed's checks (§7.1).
    NotFound,
    /// `"413"`: the document exceeds 512 bytes (D13).
    TooLarge,
}

impl Code {
    /// Every code.
    pub const ALL: [Code; 4] = [Code::Ok, Code::BadRequest, Code::NotFound, Code::TooLarge];

    /// The three digits.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Ok => "200",
            Code::BadRequest => "400",
            Code::NotFound => "404",
            Code::TooLarge => "413",
        }
    }

    /// The code whose digits `value` is exactly.
    pub fn from_digits(value: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_exactly_and_nothing_else() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.as_str()), Some(a));
        }
        for c in Campo::ALL {
            assert_eq!(Campo::from_name(c.as_str()), Some(c));
        }
        for c in Code::ALL {
            assert_eq!(Code::from_digits(c.as_str()), Some(c));
        }
        assert_eq!(Action::from_name("CRIAR USUÁRIO"), None);
        assert_eq!(Action::from_name("criar usuario"), None);
        assert_eq!(Campo::from_name("Endereco"), None);
        assert_eq!(Code::from_digits("201"), None);
        assert_eq!(ENDERECO.as_bytes(), b"Endere\xc3\xa7o");
        assert_eq!(SERVICO.as_bytes(), b"SERVI\xc3\x87O");
    }
}
