//! Requests (atendimento §5): the typed request a client sends, and what a
//! server reads from any object — the request, or which of §7.1's checks
//! it fails before the store is consulted (C1–C6; C11–C14 for a
//! `MODIFICAR USUARIO`, which the store decides first, C7).

use std::borrow::Cow;

use super::deviation::{Deviation, normalise};
use super::encode::{Count, Style, write_str};
use super::fold::folds_to;
use super::names::{ACAO, Action, CAMPO, Campo, DADOS_PESSOAIS, EMAIL_USUARIO, SERVICO, VALOR};
use super::value::{Object, Value};
use crate::sink::Sink;

/// A valid request (§5.1): one of the four actions on the user with this
/// e-mail. Any string is an e-mail (D19) and any string a value: every
/// value of this type is a request the spec allows.
///
/// Its encoding has no length of its own: a long `VALOR` written in style
/// `ascii` can pass the 512 bytes a server reads (§3.4, D13), where style
/// `utf8` may not. A sender checks [`Request::encoded_len`] against
/// [`MAX_REQUEST_LEN`](super::MAX_REQUEST_LEN) for the style it writes.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Request<'a> {
    /// `CRIAR USUARIO` (§5.2).
    Criar {
        /// The new user's key.
        email: Cow<'a, str>,
    },
    /// `CONSULTAR USUARIO` (§5.3).
    Consultar {
        /// The user's key.
        email: Cow<'a, str>,
    },
    /// `MODIFICAR USUARIO` (§5.4): set one field.
    Modificar {
        /// The user's key.
        email: Cow<'a, str>,
        /// The field to set.
        campo: Campo,
        /// Its new value; for `Email`, the record's new key (§7.3).
        valor: Cow<'a, str>,
    },
    /// `REMOVER USUARIO` (§5.5).
    Remover {
        /// The user's key.
        email: Cow<'a, str>,
    },
}

impl<'a> Request<'a> {
    /// The action.
    pub fn action(&self) -> Action {
        match self {
            Request::Criar { .. } => Action::Criar,
            Request::Consultar { .. } => Action::Consultar,
            Request::Modificar { .. } => Action::Modificar,
            Request::Remover { .. } => Action::Remover,
        }
    }

    /// The user's e-mail, `EMAIL_USUARIO`.
    pub fn email(&self) -> &str {
        match self {
            Request::Criar { email }
            | Request::Consultar { email }
            | Request::Modificar { email, .. }
            | Request::Remover { email } => email,
        }
    }

    /// Appends the request in `style`, members in §5.1's order, as
    /// `json.dumps` writes it (§3.2).
    pub fn encode(&self, style: Style, out: &mut impl Sink) {
        let pairs = [
            (SERVICO, DADOS_PESSOAIS),
            (ACAO, self.action().as_str()),
            (EMAIL_USUARIO, self.email()),
        ];
        out.put(b"{");
        for (i, (name, value)) in pairs.into_iter().enumerate() {
            if i > 0 {
                out.put(b", ");
            }
            write_member(name, value, style, out);
        }
        if let Request::Modificar { campo, valor, .. } = self {
            out.put(b", ");
            write_member(CAMPO, campo.as_str(), style, out);
            out.put(b", ");
            write_member(VALOR, valor, style, out);
        }
        out.put(b"}");
    }

    /// The length of [`Request::encode`]'s output.
    pub fn encoded_len(&self, style: Style) -> usize {
        let mut n = Count(0);
        self.encode(style, &mut n);
        n.0
    }

    /// [`Request::encode`] into a new buffer.
    pub fn to_bytes(&self, style: Style) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len(style));
        self.encode(style, &mut out);
        out
    }

    /// Detaches the request from the buffer it was decoded from.
    pub fn into_owned(self) -> Request<'static> {
        let own = |s: Cow<'a, str>| Cow::Owned(s.into_owned());
        match self {
            Request::Criar { email } => Request::Criar { email: own(email) },
            Request::Consultar { email } => Request::Consultar { email: own(email) },
            Request::Modificar {
                email,
                campo,
                valor,
            } => Request::Modificar {
                email: own(email),
                campo,
                valor: own(valor),
            },
            Request::Remover { email } => Request::Remover { email: own(email) },
        }
    }
}

fn write_member(name: &str, value: &str, style: Style, out: &mut impl Sink) {
    write_str(name, style, out);
    out.put(b": ");
    write_str(value, style, out);
}

/// The checks of §7.1 a request can fail without the store: each names a
/// member that is missing or holds a value the spec does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    /// C1: no `SERVIÇO` — or the document is not an object (D12).
    ServicoMissing,
    /// C2: `SERVIÇO` is not the string `"Dados Pessoais"`.
    ServicoInvalid,
    /// C3: no `AÇÃO`.
    AcaoMissing,
    /// C4: `AÇÃO` is not one of the four action strings.
    AcaoInvalid,
    /// C5: no `EMAIL_USUARIO`.
    EmailMissing,
    /// C6: `EMAIL_USUARIO` is not a string (spec, D10).
    EmailInvalid,
    /// C11: a `MODIFICAR USUARIO` without `CAMPO`.
    CampoMissing,
    /// C12: `CAMPO` is not one of the four field names.
    CampoInvalid,
    /// C13: a `MODIFICAR USUARIO` without `VALOR`.
    ValorMissing,
    /// C14: `VALOR` is not a string (spec, D10).
    ValorInvalid,
}

impl Check {
    /// The check's name in §6.2 and the vectors (`servico_missing`, …).
    pub fn name(self) -> &'static str {
        match self {
            Check::ServicoMissing => "servico_missing",
            Check::ServicoInvalid => "servico_invalid",
            Check::AcaoMissing => "acao_missing",
            Check::AcaoInvalid => "acao_invalid",
            Check::EmailMissing => "email_missing",
            Check::EmailInvalid => "email_invalid",
            Check::CampoMissing => "campo_missing",
            Check::CampoInvalid => "campo_invalid",
            Check::ValorMissing => "valor_missing",
            Check::ValorInvalid => "valor_invalid",
        }
    }

    /// Its row in §7.1: `C1` … `C14`.
    pub fn number(self) -> &'static str {
        match self {
            Check::ServicoMissing => "C1",
            Check::ServicoInvalid => "C2",
            Check::AcaoMissing => "C3",
            Check::AcaoInvalid => "C4",
            Check::EmailMissing => "C5",
            Check::EmailInvalid => "C6",
            Check::CampoMissing => "C11",
            Check::CampoInvalid => "C12",
            Check::ValorMissing => "C13",
            Check::ValorInvalid => "C14",
        }
    }

    /// The member it is about, as the explanation texts name it (§6.2).
    pub fn member(self) -> &'static str {
        match self {
            Check::ServicoMissing | Check::ServicoInvalid => SERVICO,
            Check::AcaoMissing | Check::AcaoInvalid => ACAO,
            Check::EmailMissing | Check::EmailInvalid => EMAIL_USUARIO,
            Check::CampoMissing | Check::CampoInvalid => CAMPO,
            Check::ValorMissing | Check::ValorInvalid => VALOR,
        }
    }

    /// Whether the member is absent (`…_missing`) rather than wrong.
    pub fn is_missing(self) -> bool {
        matches!(
            self,
            Check::ServicoMissing
                | Check::AcaoMissing
                | Check::EmailMissing
                | Check::CampoMissing
                | Check::ValorMissing
        )
    }
}

/// A check the request fails, and the value it is about (§6.2's `{v}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal<'a> {
    check: Check,
    value: Option<Value<'a>>,
}

impl<'a> Refusal<'a> {
    fn missing(check: Check) -> Self {
        debug_assert!(check.is_missing());
        Refusal { check, value: None }
    }

    fn invalid(check: Check, value: &Value<'a>) -> Self {
        debug_assert!(!check.is_missing());
        Refusal {
            check,
            value: Some(value.clone()),
        }
    }

    /// The refusal of a document that is not an object: C1 (D12).
    pub fn not_object() -> Refusal<'static> {
        Refusal::missing(Check::ServicoMissing)
    }

    /// The check failed.
    pub fn check(&self) -> Check {
        self.check
    }

    /// The member's value, for a `…_invalid` check; `None` when missing.
    pub fn value(&self) -> Option<&Value<'a>> {
        self.value.as_ref()
    }

    /// §6.2's `{v}`: a string's content, any other value as its JSON text
    /// in style `utf8` (`5`, `null`, `["Dados Pessoais", null]`).
    pub fn value_text(&self) -> Option<Cow<'_, str>> {
        self.value.as_ref().map(|v| match v {
            Value::String(s) => Cow::Borrowed(s.as_ref()),
            other => Cow::Owned(other.to_json_text()),
        })
    }

    /// The explanation a server sends with its `404` (§6.2): the seed's
    /// text for the check, `{v}` after a colon for a wrong value.
    pub fn explanation(&self) -> String {
        let member = self.check.member();
        match self.value_text() {
            None => format!("Mensagem não contém uma entrada de {member}"),
            Some(v) => format!("Mensagem contém uma entrada inválida de {member}:{v}"),
        }
    }

    /// Detaches the refusal from the buffer it was decoded from.
    pub fn into_owned(self) -> Refusal<'static> {
        Refusal {
            check: self.check,
            value: self.value.map(Value::into_owned),
        }
    }
}

/// What a server reads from a request object (§5.1, §7.1). Any object is a
/// request (§8.2: requests have no shape faults); this says whether the
/// checks that need no store pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading<'a> {
    /// Every check the store is not needed for passes.
    Request(Request<'a>),
    /// One of C1–C6 fails: the first in §7.1's order answers (D9).
    Refused(Refusal<'a>),
    /// A `MODIFICAR USUARIO` of `email` that fails one of C11–C14. C7
    /// comes first (D9): a server answers `unknown_user` if no record has
    /// this e-mail, and this refusal otherwise.
    BadChange {
        /// The user's key.
        email: Cow<'a, str>,
        /// The first of C11–C14 that fails.
        refusal: Refusal<'a>,
    },
}

impl<'a> Reading<'a> {
    /// Reads `object` by §5.1 and §7.1's checks: members compared by code
    /// points (§4.2, D4), values exactly (D6), the last of a duplicated
    /// name (D5), members the action does not use ignored (D20).
    pub fn read(object: &Object<'a>) -> Reading<'a> {
        let servico = match object.get(SERVICO) {
            None => return Reading::Refused(Refusal::missing(Check::ServicoMissing)),
            Some(v) => v,
        };
        if servico.as_str() != Some(DADOS_PESSOAIS) {
            return Reading::Refused(Refusal::invalid(Check::ServicoInvalid, servico));
        }
        let action = match object.get(ACAO) {
            None => return Reading::Refused(Refusal::missing(Check::AcaoMissing)),
            Some(v) => match v.as_str().and_then(Action::from_name) {
                Some(a) => a,
                None => return Reading::Refused(Refusal::invalid(Check::AcaoInvalid, v)),
            },
        };
        let email = match object.get(EMAIL_USUARIO) {
            None => return Reading::Refused(Refusal::missing(Check::EmailMissing)),
            Some(Value::String(s)) => s.clone(),
            Some(v) => return Reading::Refused(Refusal::invalid(Check::EmailInvalid, v)),
        };
        let change = match action {
            Action::Criar => return Reading::Request(Request::Criar { email }),
            Action::Consultar => return Reading::Request(Request::Consultar { email }),
            Action::Remover => return Reading::Request(Request::Remover { email }),
            Action::Modificar => change(object),
        };
        match change {
            Ok((campo, valor)) => Reading::Request(Request::Modificar {
                email,
                campo,
                valor,
            }),
            Err(refusal) => Reading::BadChange { email, refusal },
        }
    }

    /// Detaches the reading from the buffer it was decoded from.
    pub fn into_owned(self) -> Reading<'static> {
        match self {
            Reading::Request(r) => Reading::Request(r.into_owned()),
            Reading::Refused(r) => Reading::Refused(r.into_owned()),
            Reading::BadChange { email, refusal } => Reading::BadChange {
                email: Cow::Owned(email.into_owned()),
                refusal: refusal.into_owned(),
            },
        }
    }
}

/// C11–C14: `CAMPO` and `VALOR` of a `MODIFICAR USUARIO`.
fn change<'a>(object: &Object<'a>) -> Result<(Campo, Cow<'a, str>), Refusal<'a>> {
    let campo = match object.get(CAMPO) {
        None => return Err(Refusal::missing(Check::CampoMissing)),
        Some(v) => v
            .as_str()
            .and_then(Campo::from_name)
            .ok_or_else(|| Refusal::invalid(Check::CampoInvalid, v))?,
    };
    match object.get(VALOR) {
        None => Err(Refusal::missing(Check::ValorMissing)),
        Some(Value::String(s)) => Ok((campo, s.clone())),
        Some(v) => Err(Refusal::invalid(Check::ValorInvalid, v)),
    }
}

/// The readings of a request object a receiver may report (§4.3, D4, D5,
/// D20): a name twice (`duplicate_member`), a name that folds to one of
/// §5.1's but is not it — an NFD `SERVIÇO`, `servico` — and so is another
/// member (`key_spelling`), and members §5.1 does not have or the action
/// does not use (`extra_member`). None changes what [`Reading::read`] reads.
pub fn request_deviations(object: &Object<'_>) -> Vec<Deviation> {
    const NAMES: [&str; 5] = [SERVICO, ACAO, EMAIL_USUARIO, CAMPO, VALOR];
    let action = object
        .get(ACAO)
        .and_then(Value::as_str)
        .and_then(Action::from_name);
    let mut out = Vec::new();
    if object.has_duplicates_anywhere() {
        out.push(Deviation::DuplicateMember);
    }
    for name in object.names() {
        if NAMES.contains(&name) {
            let unused =
                matches!(name, CAMPO | VALOR) && action.is_some_and(|a| a != Action::Modificar);
            if unused {
                out.push(Deviation::ExtraMember);
            }
        } else if NAMES.iter().any(|n| folds_to(name, n)) {
            out.push(Deviation::KeySpelling);
        } else {
            out.push(Deviation::ExtraMember);
        }
    }
    normalise(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(members: &[(&'static str, Value<'static>)]) -> Object<'static> {
        Object::new(members.iter().cloned())
    }

    fn s(text: &'static str) -> Value<'static> {
        Value::String(text.into())
    }

    #[test]
    fn the_checks_answer_in_the_seeds_order() {
        let read = |o: &Object<'static>| match Reading::read(o) {
            Reading::Refused(r) => Some(r.check()),
            Reading::BadChange { refusal, .. } => Some(refusal.check()),
            Reading::Request(_) => None,
        };
        assert_eq!(read(&object(&[])), Some(Check::ServicoMissing));
        assert_eq!(
            read(&object(&[
                (SERVICO, s("Dados Pessoais")),
                (ACAO, s("APAGAR"))
            ])),
            Some(Check::AcaoInvalid)
        );
        let modify = [
            (SERVICO, s("Dados Pessoais")),
            (ACAO, s("MODIFICAR USUARIO")),
            (EMAIL_USUARIO, s("eu@gmail.com")),
            (CAMPO, s("Endereco")),
        ];
        let Reading::BadChange { email, refusal } = Reading::read(&object(&modify)) else {
            panic!("C12 after C7");
        };
        assert_eq!(
            (email.as_ref(), refusal.check()),
            ("eu@gmail.com", Check::CampoInvalid)
        );
        assert_eq!(refusal.value_text().as_deref(), Some("Endereco"));
    }

    #[test]
    fn a_value_that_is_not_a_string_is_quoted_as_json() {
        let o = object(&[(
            SERVICO,
            Value::Array(vec![s("Dados Pessoais"), Value::Null]),
        )]);
        let Reading::Refused(r) = Reading::read(&o) else {
            panic!("C2")
        };
        assert_eq!(
            r.value_text().as_deref(),
            Some(r#"["Dados Pessoais", null]"#)
        );
    }

    #[test]
    fn deviations_say_what_was_read_past() {
        let o = object(&[
            ("SERVIC\u{327}O", s("Dados Pessoais")),
            (ACAO, s("CRIAR USUARIO")),
            (ACAO, s("CRIAR USUARIO")),
            (CAMPO, s("Nome")),
        ]);
        assert_eq!(
            request_deviations(&o),
            [
                Deviation::KeySpelling,
                Deviation::ExtraMember,
                Deviation::DuplicateMember
            ]
        );
    }

    #[test]
    fn requests_encode_as_the_seeds_client_writes_them() {
        let r = Request::Criar {
            email: "eu@gmail.com".into(),
        };
        assert_eq!(
            r.to_bytes(Style::Ascii),
            br#"{"SERVI\u00c7O": "Dados Pessoais", "A\u00c7\u00c3O": "CRIAR USUARIO", "EMAIL_USUARIO": "eu@gmail.com"}"#
        );
        assert_eq!(
            (r.encoded_len(Style::Ascii), r.encoded_len(Style::Utf8)),
            (102, 90)
        );
    }
}

#[cfg(all(test, feature = "arbitrary"))]
mod arbitrary_tests {
    use arbitrary::{Arbitrary, Unstructured};

    use super::*;
    use crate::arbitrary::Lcg;
    use crate::atendimento::{Reply, decode_reply, decode_request};

    /// `Arbitrary` requests and replies (for the fuzz targets) are messages
    /// the decoders read back, in both styles.
    #[test]
    fn arbitrary_messages_decode_back() {
        let mut lcg = Lcg::new();
        for _ in 0..500 {
            let bytes = lcg.bytes(256);
            let mut u = Unstructured::new(&bytes);
            let request = Request::arbitrary(&mut u).unwrap();
            let reply = Reply::arbitrary(&mut u).unwrap();
            for style in [Style::Ascii, Style::Utf8] {
                let wire = request.to_bytes(style);
                if wire.len() <= crate::atendimento::MAX_REQUEST_LEN {
                    let read = decode_request(&wire).unwrap().message;
                    assert_eq!(read, Reading::Request(request.clone()));
                }
                assert_eq!(decode_reply(&reply.to_bytes(style)).unwrap().message, reply);
            }
        }
    }
}
