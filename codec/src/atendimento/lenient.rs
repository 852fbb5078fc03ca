//! The tolerant reader of replies (atendimento §6.4): what the harness and
//! a tolerant client read from a reply that is not quite §6.1–§6.3 — names
//! spelled otherwise, a code as a number, a record as text, a trailing
//! comma, a Python literal — and which deviations they saw. Kept apart
//! from the strict decoder so that `decode_reply` stays exactly §6.

use std::borrow::Cow;

use super::deviation::{Deviation, normalise};
use super::error::{Invalid, Kind};
use super::fold::folds_to;
use super::limits::MAX_REPLY_LEN;
use super::names::{
    CODIGO_DE_ERRO, Campo, Code, EMAIL, EMAIL_USUARIO, ENDERECO, EXPLICACAO, NOME, TELEFONE,
};
use super::parse::{self, Dialect};
use super::reply::{Explanation, Record, Reply};
use super::scan::is_ws;
use super::value::{Member, Object, Value};

/// Why the tolerant reader found no reply (§6.4 rules 1 and 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LenientError {
    /// Not JSON, nor one of rule 1's two extensions: the strict fault.
    #[error("not JSON (atendimento §6.4 rule 1): {0}")]
    NotJson(Invalid),
    /// No code rule 3 can read: no such member, or not three digits.
    #[error("no code (atendimento §6.4 rule 3)")]
    NoCode,
}

impl LenientError {
    /// The stable name used in `spec/vectors/atendimento.toml`.
    pub fn name(&self) -> &'static str {
        match self {
            LenientError::NotJson(_) => "not_json",
            LenientError::NoCode => "no_code",
        }
    }
}

/// A record as the tolerant reader reads it (§6.4 rule 5): each field's
/// value as sent — a string, `null`, `""`, or whatever else — and `None`
/// where the field is absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenientRecord<'a> {
    /// `Nome`, or a name that folds to it.
    pub nome: Option<Value<'a>>,
    /// `Endereço`, or a name that folds to it (`endereco`).
    pub endereco: Option<Value<'a>>,
    /// `Telefone`, or a name that folds to it.
    pub telefone: Option<Value<'a>>,
    /// `Email`, or a name that folds to it, `EMAIL_USUARIO` or `E-mail`.
    pub email: Option<Value<'a>>,
}

impl<'a> LenientRecord<'a> {
    /// The value read for `campo`.
    pub fn get(&self, campo: Campo) -> Option<&Value<'a>> {
        match campo {
            Campo::Nome => self.nome.as_ref(),
            Campo::Endereco => self.endereco.as_ref(),
            Campo::Telefone => self.telefone.as_ref(),
            Campo::Email => self.email.as_ref(),
        }
    }
}

/// The explanation as the tolerant reader reads it (§6.4 rule 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LenientExplanation<'a> {
    /// A text; empty when there was none (`no_explanation`). A value of
    /// another type than string or object is read as its JSON text.
    Text(Cow<'a, str>),
    /// A record.
    Record(LenientRecord<'a>),
}

/// What the tolerant reader read from a reply (§6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lenient<'a> {
    /// The code's three digits as a number (rule 3): any from 0 to 999 as
    /// a string, 100 to 599 as a JSON number.
    pub code: u16,
    /// The explanation.
    pub explanation: LenientExplanation<'a>,
    /// What differed from §6.1–§6.3, in [`Deviation`]'s order (§6.4's
    /// table), each once.
    pub deviations: Vec<Deviation>,
}

impl Lenient<'_> {
    /// The code's three digits.
    pub fn code_digits(&self) -> String {
        format!("{:03}", self.code)
    }

    /// The reply of §6 these values make, where they make one: a code of
    /// §6.1, and a text or a record whose fields are strings or `null`
    /// (`Email` a string). For comparing what was read with what was
    /// expected.
    pub fn reply(&self) -> Option<Reply<'static>> {
        let code = Code::from_digits(&self.code_digits())?;
        let explanation = match &self.explanation {
            LenientExplanation::Text(t) => Explanation::Text(Cow::Owned(t.to_string())),
            LenientExplanation::Record(r) => {
                let field = |v: Option<&Value<'_>>| match v {
                    Some(Value::String(s)) => Some(Some(Cow::Owned(s.to_string()))),
                    Some(Value::Null) => Some(None),
                    _ => None,
                };
                Explanation::Record(Record {
                    nome: field(r.nome.as_ref())?,
                    endereco: field(r.endereco.as_ref())?,
                    telefone: field(r.telefone.as_ref())?,
                    email: field(r.email.as_ref())??,
                })
            }
        };
        Some(Reply { code, explanation })
    }
}

/// Reads `input` — one reply document, whitespace around it allowed — by
/// the tolerant rules of §6.4: JSON, or JSON with a trailing comma, or a
/// Python literal (rule 1), then [`read_reply_object`]'s rules. A
/// canonical reply reads the same as with
/// [`decode_reply`](super::decode_reply), with no deviation.
pub fn read_reply(input: &[u8]) -> Result<Lenient<'_>, LenientError> {
    let skipped = input.iter().take_while(|&&b| is_ws(b)).count();
    let doc = &input[skipped..];
    let trailing = doc.iter().rev().take_while(|&&b| is_ws(b)).count();
    let extent = doc.len() - trailing;
    if extent == 0 {
        return Err(LenientError::NotJson(Invalid::new(
            Kind::Empty,
            None,
            0,
            b"",
        )));
    }
    if extent > MAX_REPLY_LEN {
        let found = &doc[MAX_REPLY_LEN..];
        let invalid = Invalid::new(Kind::TooLong, None, MAX_REPLY_LEN, found);
        return Err(LenientError::NotJson(invalid));
    }
    let parsed =
        parse::document(&doc[..extent], Dialect::Tolerant).map_err(LenientError::NotJson)?;
    if parsed.used < extent {
        let rest = &doc[parsed.used..extent];
        let invalid = Invalid::new(Kind::TrailingBytes, None, parsed.used, rest);
        return Err(LenientError::NotJson(invalid));
    }
    let Value::Object(object) = parsed.value else {
        return Err(LenientError::NoCode);
    };
    let mut read = read_reply_object(&object)?;
    if parsed.trailing_comma {
        read.deviations.push(Deviation::TrailingComma);
    }
    if parsed.python {
        read.deviations.push(Deviation::PythonLiteral);
    }
    read.deviations = normalise(read.deviations);
    Ok(read)
}

/// Reads a reply object already decoded (a stream's document) by §6.4
/// rules 2–5: names matched by folding, the code as a string of three
/// digits, a number or a string with text after its digits, the
/// explanation as text or record.
pub fn read_reply_object<'a>(object: &Object<'a>) -> Result<Lenient<'a>, LenientError> {
    let mut deviations = Vec::new();
    if object.has_duplicates_anywhere() {
        deviations.push(Deviation::DuplicateMember);
    }
    let code_names = [CODIGO_DE_ERRO];
    let explanation_names = [EXPLICACAO];
    extras(object, &[&code_names, &explanation_names], &mut deviations);
    let code = find(object, &code_names, &mut deviations)
        .and_then(|m| code(&m.value, &mut deviations))
        .ok_or(LenientError::NoCode)?;
    let explanation = match find(object, &explanation_names, &mut deviations) {
        None => {
            deviations.push(Deviation::NoExplanation);
            LenientExplanation::Text(Cow::Borrowed(""))
        }
        Some(m) => match &m.value {
            Value::String(s) => {
                if looks_like_a_record(s) {
                    deviations.push(Deviation::RecordAsText);
                }
                LenientExplanation::Text(s.clone())
            }
            Value::Object(r) => LenientExplanation::Record(record(r, &mut deviations)),
            other => LenientExplanation::Text(Cow::Owned(other.to_json_text())),
        },
    };
    Ok(Lenient {
        code,
        explanation,
        deviations: normalise(deviations),
    })
}

/// The member for a protocol name (its spellings in `names`, the first
/// canonical): the last one named exactly so, else the last one whose name
/// folds to one of them (`key_spelling`).
fn find<'o, 'a>(
    object: &'o Object<'a>,
    names: &[&str],
    deviations: &mut Vec<Deviation>,
) -> Option<&'o Member<'a>> {
    object.member(names[0]).or_else(|| {
        let m = object
            .members
            .iter()
            .rev()
            .find(|m| names.iter().any(|n| folds_to(&m.name, n)))?;
        deviations.push(Deviation::KeySpelling);
        Some(m)
    })
}

/// `extra_member` if a name folds to none of the protocol's `names`.
fn extras(object: &Object<'_>, names: &[&[&str]], deviations: &mut Vec<Deviation>) {
    let known = |name: &str| {
        names
            .iter()
            .flat_map(|n| n.iter())
            .any(|n| folds_to(name, n))
    };
    if object.names().any(|n| !known(n)) {
        deviations.push(Deviation::ExtraMember);
    }
}

/// Rule 3: three ASCII digits as a string (canonical), a JSON integer from
/// 100 to 599 (`code_number`), or a string of three digits and then a
/// non-digit (`code_text`).
fn code(value: &Value<'_>, deviations: &mut Vec<Deviation>) -> Option<u16> {
    let digits = |s: &[u8]| -> Option<u16> {
        s.iter().try_fold(0u16, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u16::from(b - b'0'))
        })
    };
    match value {
        Value::String(s) => {
            let b = s.as_bytes();
            let code = digits(b.get(..3)?)?;
            match b.get(3) {
                None => Some(code),
                Some(d) if d.is_ascii_digit() => None,
                Some(_) => {
                    deviations.push(Deviation::CodeText);
                    Some(code)
                }
            }
        }
        Value::Number(n) if n.as_str().len() == 3 => {
            let code = digits(n.as_str().as_bytes()).filter(|c| (100..=599).contains(c))?;
            deviations.push(Deviation::CodeNumber);
            Some(code)
        }
        _ => None,
    }
}

/// The names of a record's fields, each with the spellings rule 2 accepts
/// besides folding (the canonical first).
const FIELDS: [(Campo, &[&str]); 4] = [
    (Campo::Nome, &[NOME]),
    (Campo::Endereco, &[ENDERECO]),
    (Campo::Telefone, &[TELEFONE]),
    (Campo::Email, &[EMAIL, EMAIL_USUARIO, "E-mail"]),
];

/// Rule 5: the record's fields matched by rule 2, values as sent. A field
/// a `MODIFICAR` set to `""` reads as `""` for unset (`empty_for_unset`):
/// the bytes are the same, and only a reader that knows what was set can
/// tell them apart.
fn record<'a>(object: &Object<'a>, deviations: &mut Vec<Deviation>) -> LenientRecord<'a> {
    extras(object, &FIELDS.map(|(_, n)| n), deviations);
    let mut values = FIELDS
        .map(|(campo, names)| {
            let value = find(object, names, deviations).map(|m| m.value.clone());
            match &value {
                None => deviations.push(Deviation::MissingField),
                Some(Value::String(s)) if s.is_empty() && campo != Campo::Email => {
                    deviations.push(Deviation::EmptyForUnset);
                }
                _ => {}
            }
            value
        })
        .into_iter();
    LenientRecord {
        nome: values.next().flatten(),
        endereco: values.next().flatten(),
        telefone: values.next().flatten(),
        email: values.next().flatten(),
    }
}

/// Whether a text is a record sent as a string (rule 5): JSON or a Python
/// literal of an object with a record field's name.
fn looks_like_a_record(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_ascii() && is_ws(c as u8));
    if !t.starts_with('{') {
        return false;
    }
    match parse::document(t.as_bytes(), Dialect::Tolerant) {
        Ok(p) => p.value.as_object().is_some_and(|o| {
            o.names().any(|n| {
                FIELDS
                    .iter()
                    .any(|(_, names)| names.iter().any(|f| folds_to(n, f)))
            })
        }),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canonical_reply_has_no_deviation() {
        let r = read_reply(br#"{"CODIGO DE ERRO": "404", "EXPLICA\u00c7\u00c3O": "x"}"#).unwrap();
        assert_eq!((r.code, r.deviations.as_slice()), (404, &[][..]));
        assert_eq!(r.reply(), Some(Reply::text(Code::NotFound, "x")));
    }

    #[test]
    fn strict_replies_rule_5_still_notes() {
        // Found by atendimento_decode: both are exactly §6.1–§6.3, yet rule
        // 5 cannot tell a field set to "" from unset, nor a text that is a
        // record's JSON from a record sent as text.
        let set_empty = br#"{"CODIGO DE ERRO": "200", "EXPLICA\u00c7\u00c3O": {"Nome": "", "Endere\u00e7o": null, "Telefone": null, "Email": "a"}}"#;
        let as_text =
            br#"{"CODIGO DE ERRO": "200", "EXPLICA\u00c7\u00c3O": "{\"Nome\": \"Ana\"}"}"#;
        for (doc, deviation) in [
            (&set_empty[..], Deviation::EmptyForUnset),
            (&as_text[..], Deviation::RecordAsText),
        ] {
            let strict = crate::atendimento::decode_reply(doc).unwrap().message;
            let read = read_reply(doc).unwrap();
            assert_eq!(read.deviations, [deviation]);
            assert_eq!(read.reply(), Some(strict.into_owned()));
        }
    }

    #[test]
    fn codes_are_read_by_rule_3() {
        let read = |doc: &str| read_reply(doc.as_bytes()).map(|r| (r.code, r.deviations));
        assert_eq!(
            read(r#"{"CODIGO DE ERRO": 200}"#),
            Ok((200, vec![Deviation::CodeNumber, Deviation::NoExplanation]))
        );
        assert_eq!(
            read(r#"{"CODIGO DE ERRO": 200.0}"#),
            Err(LenientError::NoCode)
        );
        assert_eq!(
            read(r#"{"CODIGO DE ERRO": 999}"#),
            Err(LenientError::NoCode)
        );
        assert_eq!(
            read(r#"{"CODIGO DE ERRO": "2000"}"#),
            Err(LenientError::NoCode)
        );
        assert_eq!(
            read(r#"{"status": "200 OK"}"#).map(|r| r.1),
            Err(LenientError::NoCode)
        );
        assert_eq!(
            read(r#"{"codigo-de-erro": "200 OK", "x": 1}"#).map(|r| r.1),
            Ok(vec![
                Deviation::KeySpelling,
                Deviation::CodeText,
                Deviation::NoExplanation,
                Deviation::ExtraMember
            ])
        );
        assert!(matches!(read("[]"), Err(LenientError::NoCode)));
        assert!(matches!(read("{'a': 1"), Err(LenientError::NotJson(_))));
    }
}
