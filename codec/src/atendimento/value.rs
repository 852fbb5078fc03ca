//! The JSON values the protocol does not model itself (atendimento §4):
//! what a document decodes to before the protocol reads it, and what a
//! member's value is when it is not the string §5.1 or §6 expects (a
//! `VALOR` of `3218181`, D10). Strings borrow from the input unless an
//! escape forced a copy; numbers keep their lexeme (§4.1: "the protocol
//! never needs its value").

use std::borrow::Cow;
use std::collections::HashSet;

use super::error::Invalid;
use super::parse;

/// A JSON value (RFC 8259 §3), as decoded or as built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number<'a>),
    /// A string, its escapes decoded.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object.
    Object(Object<'a>),
}

impl<'a> Value<'a> {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The JSON type's name (RFC 8259 §3), for reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Detaches the value from the buffer it was decoded from.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(n) => Value::Number(n.into_owned()),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Array(items) => Value::Array(items.into_iter().map(Value::into_owned).collect()),
            Value::Object(o) => Value::Object(o.into_owned()),
        }
    }
}

/// A JSON number as written (RFC 8259 §6): validated, never converted, so
/// `1E5`, `-0` and `3218181` re-encode exactly as they came.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number<'a>(Cow<'a, str>);

impl<'a> Number<'a> {
    /// Validates `lexeme` as a JSON number: RFC 8259 §6's grammar (no
    /// leading zeros, no `+`, no `.5`) and within an IEEE double's range
    /// (atendimento §4.1, `number_out_of_range`).
    pub fn new(lexeme: &'a str) -> Result<Self, Invalid> {
        parse::whole_number(lexeme.as_bytes())?;
        Ok(Number(Cow::Borrowed(lexeme)))
    }

    /// A lexeme the parser has already validated.
    pub(crate) fn trusted(lexeme: &'a str) -> Self {
        Number(Cow::Borrowed(lexeme))
    }

    /// The number as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The nearest double (finite: validated at construction).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// Whether it is written as an integer: digits, an optional `-`, no
    /// fraction or exponent.
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// Detaches the number from the buffer it was decoded from.
    pub fn into_owned(self) -> Number<'static> {
        Number(Cow::Owned(self.0.into_owned()))
    }
}

/// One member of an object: its name, its value and where they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member<'a> {
    /// The name, its escapes decoded (§4.2: names compare by code points).
    pub name: Cow<'a, str>,
    /// The value.
    pub value: Value<'a>,
    /// Offset of the name's opening `"` in the document (0 when built):
    /// where an `extra_member` fault points (§8.2).
    pub name_at: usize,
    /// Offset of the value's first byte in the document (0 when built):
    /// where `wrong_type` and `unknown_code` point (§8.2).
    pub value_at: usize,
}

/// A JSON object: its members in wire order, duplicates kept (§4.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Object<'a> {
    /// The members in the order they came.
    pub members: Vec<Member<'a>>,
    /// Offset of the closing `}` in the document (0 when built): where a
    /// `missing_member` fault points (§8.2).
    pub close_at: usize,
}

impl<'a> Object<'a> {
    /// An object of these members, in this order.
    pub fn new<N: Into<Cow<'a, str>>>(members: impl IntoIterator<Item = (N, Value<'a>)>) -> Self {
        Object {
            members: members
                .into_iter()
                .map(|(name, value)| Member {
                    name: name.into(),
                    value,
                    name_at: 0,
                    value_at: 0,
                })
                .collect(),
            close_at: 0,
        }
    }

    /// The member named `name` — its last occurrence, as Python's
    /// `json.loads`, JavaScript and serde_json read it (§4.3, D5).
    pub fn member(&self, name: &str) -> Option<&Member<'a>> {
        self.members.iter().rev().find(|m| m.name == name)
    }

    /// The value of the member named `name`, its last occurrence (D5).
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.member(name).map(|m| &m.value)
    }

    /// The names in wire order, duplicates included.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|m| m.name.as_ref())
    }

    /// Whether a name occurs more than once (D5: the last wins).
    pub fn has_duplicates(&self) -> bool {
        let mut seen = HashSet::with_capacity(self.members.len());
        !self.members.iter().all(|m| seen.insert(m.name.as_ref()))
    }

    /// Whether this object, or any object inside it, has a name twice:
    /// such a document never re-encodes to itself (§3.2's `canonical`).
    pub fn has_duplicates_anywhere(&self) -> bool {
        self.has_duplicates() || self.members.iter().any(|m| duplicates_inside(&m.value))
    }

    /// Detaches the object from the buffer it was decoded from.
    pub fn into_owned(self) -> Object<'static> {
        Object {
            members: self
                .members
                .into_iter()
                .map(|m| Member {
                    name: Cow::Owned(m.name.into_owned()),
                    value: m.value.into_owned(),
                    name_at: m.name_at,
                    value_at: m.value_at,
                })
                .collect(),
            close_at: self.close_at,
        }
    }
}

/// Whether any object inside `value`, at any depth, has a name twice.
pub(crate) fn duplicates_inside(value: &Value<'_>) -> bool {
    match value {
        Value::Array(items) => items.iter().any(duplicates_inside),
        Value::Object(o) => o.has_duplicates_anywhere(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_of_a_name_is_its_value() {
        let o = Object::new([
            ("AÇÃO", Value::String("CRIAR USUARIO".into())),
            ("AÇÃO", Value::String("CONSULTAR USUARIO".into())),
        ]);
        assert_eq!(
            o.get("AÇÃO").and_then(Value::as_str),
            Some("CONSULTAR USUARIO")
        );
        assert!(o.has_duplicates());
        assert_eq!(o.names().collect::<Vec<_>>(), ["AÇÃO", "AÇÃO"]);
        let outer = Object::new([("x", Value::Array(vec![Value::Object(o)]))]);
        assert!(!outer.has_duplicates() && outer.has_duplicates_anywhere());
    }

    #[test]
    fn numbers_are_validated_and_kept_as_written() {
        for ok in ["0", "-0", "3218181", "1E5", "1.5e-3", "-12.0"] {
            assert_eq!(
                Number::new(ok).map(|n| n.as_str().to_owned()),
                Ok(ok.to_owned())
            );
        }
        for bad in ["01", "+1", ".5", "1.", "NaN", "1e400", "", "1 "] {
            assert!(Number::new(bad).is_err(), "{bad:?}");
        }
        assert!(Number::new("42").unwrap().is_integer());
        assert!(!Number::new("4.2").unwrap().is_integer());
    }
}
