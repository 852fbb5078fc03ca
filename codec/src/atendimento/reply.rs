//! Replies (atendimento §6): a code and an explanation — a text, or for a
//! consultation the user's record — and the strict reading of a reply
//! object, which names the first shape fault by offset (§8.2).

use std::borrow::Cow;

use super::encode::{Count, Style, write_str};
use super::error::{Invalid, Kind};
use super::names::{CODIGO_DE_ERRO, Campo, Code, EMAIL, EXPLICACAO};
use super::value::{Member, Object, Value};
use crate::sink::Sink;

/// A user's record (§6.3): what `CONSULTAR USUARIO` returns. Unset fields
/// are `None`, written `null` (D17); `email` is the record's key.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record<'a> {
    /// `Nome`.
    pub nome: Option<Cow<'a, str>>,
    /// `Endereço`.
    pub endereco: Option<Cow<'a, str>>,
    /// `Telefone`.
    pub telefone: Option<Cow<'a, str>>,
    /// `Email`: always set, the key it is stored under (§7.2).
    pub email: Cow<'a, str>,
}

impl<'a> Record<'a> {
    /// A record as `CRIAR USUARIO` makes it: the e-mail, nothing else (§5.2).
    pub fn fresh(email: impl Into<Cow<'a, str>>) -> Self {
        Record {
            nome: None,
            endereco: None,
            telefone: None,
            email: email.into(),
        }
    }

    /// The value of `campo`, `None` when unset.
    pub fn get(&self, campo: Campo) -> Option<&str> {
        match campo {
            Campo::Nome => self.nome.as_deref(),
            Campo::Endereco => self.endereco.as_deref(),
            Campo::Telefone => self.telefone.as_deref(),
            Campo::Email => Some(&self.email),
        }
    }

    /// Appends the record, members in §6.3's order, in `style`.
    pub fn encode(&self, style: Style, out: &mut impl Sink) {
        out.put(b"{");
        for (i, campo) in Campo::ALL.into_iter().enumerate() {
            if i > 0 {
                out.put(b", ");
            }
            write_str(campo.as_str(), style, out);
            out.put(b": ");
            match self.get(campo) {
                Some(v) => write_str(v, style, out),
                None => out.put(b"null"),
            }
        }
        out.put(b"}");
    }

    /// Detaches the record from the buffer it was decoded from.
    pub fn into_owned(self) -> Record<'static> {
        let own = |s: Cow<'a, str>| Cow::Owned(s.into_owned());
        Record {
            nome: self.nome.map(own),
            endereco: self.endereco.map(own),
            telefone: self.telefone.map(own),
            email: own(self.email),
        }
    }
}

/// `EXPLICAÇÃO` (§6.1): a text (§6.2), or the record (§6.3).
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Explanation<'a> {
    /// The server's text.
    Text(Cow<'a, str>),
    /// A consultation's record.
    Record(Record<'a>),
}

/// A reply (§6.1): exactly `CODIGO DE ERRO` and `EXPLICAÇÃO`.
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    /// The code.
    pub code: Code,
    /// The explanation.
    pub explanation: Explanation<'a>,
}

impl<'a> Reply<'a> {
    /// A reply with a text explanation.
    pub fn text(code: Code, text: impl Into<Cow<'a, str>>) -> Self {
        Reply {
            code,
            explanation: Explanation::Text(text.into()),
        }
    }

    /// A consultation's reply: `200` and the record (§5.3).
    pub fn record(record: Record<'a>) -> Self {
        Reply {
            code: Code::Ok,
            explanation: Explanation::Record(record),
        }
    }

    /// Appends the reply in `style`, as `json.dumps` writes it (§3.2).
    pub fn encode(&self, style: Style, out: &mut impl Sink) {
        out.put(b"{");
        write_str(CODIGO_DE_ERRO, style, out);
        out.put(b": ");
        write_str(self.code.as_str(), style, out);
        out.put(b", ");
        write_str(EXPLICACAO, style, out);
        out.put(b": ");
        match &self.explanation {
            Explanation::Text(t) => write_str(t, style, out),
            Explanation::Record(r) => r.encode(style, out),
        }
        out.put(b"}");
    }

    /// The length of [`Reply::encode`]'s output.
    pub fn encoded_len(&self, style: Style) -> usize {
        let mut n = Count(0);
        self.encode(style, &mut n);
        n.0
    }

    /// [`Reply::encode`] into a new buffer.
    pub fn to_bytes(&self, style: Style) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len(style));
        self.encode(style, &mut out);
        out
    }

    /// Reads `object` strictly, as §6.1–§6.3 say a reply is: exactly the
    /// two members, the code one of §6.1's strings, the explanation a
    /// string or a record of exactly the four fields, each a string or
    /// `null` (`Email` a string). Otherwise the first shape fault by
    /// offset (§8.2); a tolerant reader reads it by §6.4 instead
    /// ([`read_reply`](super::read_reply)). A name twice counts once, its
    /// last value (D5).
    pub fn from_object(object: &Object<'a>) -> Result<Reply<'a>, Invalid> {
        let mut faults = Vec::new();
        extras(object, &[CODIGO_DE_ERRO, EXPLICACAO], "", &mut faults);
        let code = match object.member(CODIGO_DE_ERRO) {
            None => {
                faults.push(missing(object, CODIGO_DE_ERRO.into()));
                None
            }
            Some(m) => match &m.value {
                Value::String(s) => Code::from_digits(s).or_else(|| {
                    faults.push(shape(Kind::UnknownCode, m, CODIGO_DE_ERRO.into()));
                    None
                }),
                _ => {
                    faults.push(shape(Kind::WrongType, m, CODIGO_DE_ERRO.into()));
                    None
                }
            },
        };
        let explanation = match object.member(EXPLICACAO) {
            None => {
                faults.push(missing(object, EXPLICACAO.into()));
                None
            }
            Some(m) => match &m.value {
                Value::String(s) => Some(Explanation::Text(s.clone())),
                Value::Object(r) => record(r, &mut faults).map(Explanation::Record),
                _ => {
                    faults.push(shape(Kind::WrongType, m, EXPLICACAO.into()));
                    None
                }
            },
        };
        match (code, explanation) {
            (Some(code), Some(explanation)) if faults.is_empty() => Ok(Reply { code, explanation }),
            _ => Err(first(faults)),
        }
    }

    /// Detaches the reply from the buffer it was decoded from.
    pub fn into_owned(self) -> Reply<'static> {
        Reply {
            code: self.code,
            explanation: match self.explanation {
                Explanation::Text(t) => Explanation::Text(Cow::Owned(t.into_owned())),
                Explanation::Record(r) => Explanation::Record(r.into_owned()),
            },
        }
    }
}

/// The fault first by offset; the first found among equals (§8.2).
/// `faults` is never empty here: a member that is not read is a fault.
fn first(faults: Vec<Invalid>) -> Invalid {
    faults
        .into_iter()
        .min_by_key(|f| f.offset)
        .unwrap_or_else(|| Invalid::new(Kind::MissingMember, None, 0, b""))
}

/// `extra_member` for every name of `object` not in `allowed`, at its `"`.
fn extras(object: &Object<'_>, allowed: &[&str], prefix: &str, faults: &mut Vec<Invalid>) {
    for m in &object.members {
        if !allowed.contains(&m.name.as_ref()) {
            let found = Value::String(m.name.clone()).to_json_text();
            let path = format!("{prefix}{}", m.name);
            faults.push(
                Invalid::new(Kind::ExtraMember, None, m.name_at, found.as_bytes()).with_path(path),
            );
        }
    }
}

/// `missing_member` `path`, at the object's closing `}`.
fn missing(object: &Object<'_>, path: String) -> Invalid {
    Invalid::new(Kind::MissingMember, None, object.close_at, b"}").with_path(path)
}

/// A fault about `m`'s value, at its first byte.
fn shape(kind: Kind, m: &Member<'_>, path: String) -> Invalid {
    let found = m.value.to_json_text();
    Invalid::new(kind, None, m.value_at, found.as_bytes()).with_path(path)
}

/// The record of §6.3, strictly.
fn record<'a>(object: &Object<'a>, faults: &mut Vec<Invalid>) -> Option<Record<'a>> {
    let prefix = format!("{EXPLICACAO}.");
    let names = Campo::ALL.map(Campo::as_str);
    extras(object, &names, &prefix, faults);
    let before = faults.len();
    let mut field = |campo: Campo| -> Option<Option<Cow<'a, str>>> {
        let path = format!("{prefix}{}", campo.as_str());
        match object.member(campo.as_str()) {
            None => {
                faults.push(missing(object, path));
                None
            }
            Some(m) => match &m.value {
                Value::String(s) => Some(Some(s.clone())),
                Value::Null if campo.as_str() != EMAIL => Some(None),
                _ => {
                    faults.push(shape(Kind::WrongType, m, path));
                    None
                }
            },
        }
    };
    let nome = field(Campo::Nome);
    let endereco = field(Campo::Endereco);
    let telefone = field(Campo::Telefone);
    let email = field(Campo::Email);
    if faults.len() > before {
        return None;
    }
    Some(Record {
        nome: nome?,
        endereco: endereco?,
        telefone: telefone?,
        email: email??,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atendimento::names::{ENDERECO, NOME, TELEFONE};

    #[test]
    fn a_fresh_records_reply_is_the_seeds() {
        let r = Reply::record(Record::fresh("eu@gmail.com"));
        assert_eq!(
            r.to_bytes(Style::Ascii),
            br#"{"CODIGO DE ERRO": "200", "EXPLICA\u00c7\u00c3O": {"Nome": null, "Endere\u00e7o": null, "Telefone": null, "Email": "eu@gmail.com"}}"#
        );
    }

    #[test]
    fn the_first_shape_fault_by_offset_is_named() {
        let mut record = Object::new([
            (NOME, Value::Null),
            (ENDERECO, Value::Null),
            (TELEFONE, Value::Bool(true)),
            (EMAIL, Value::Null),
        ]);
        record.members[2].value_at = 30;
        record.members[3].value_at = 20;
        let mut reply = Object::new([
            (CODIGO_DE_ERRO, Value::String("200".into())),
            (EXPLICACAO, Value::Object(record)),
        ]);
        reply.close_at = 90;
        let e = Reply::from_object(&reply).unwrap_err();
        assert_eq!(
            (e.kind, e.offset, e.path.as_str()),
            (Kind::WrongType, 20, "EXPLICAÇÃO.Email")
        );
        reply.members.truncate(1);
        let e = Reply::from_object(&reply).unwrap_err();
        assert_eq!(
            (e.kind, e.offset, e.path.as_str()),
            (Kind::MissingMember, 90, "EXPLICAÇÃO")
        );
    }
}
