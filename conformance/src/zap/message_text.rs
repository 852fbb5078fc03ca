//! How a script writes a zap message: the code, then the fields of the
//! layout tables (zap §5–§8) separated by spaces. Data (05/06) is the rest of
//! the line as written, or one `"quoted string"` for exact bytes; members
//! (10/11) are one token each.
//!
//! ```text
//! 05 {alice} {bob} 1700000000 olá, tudo bem?
//! 10 {alice} 1700000000 {bob} {carol}
//! ```

use gabarito_codec::zap::{
    Chat, Code, Field, GroupMembers, Id, Length, Message, RequestedMembers, Text, Timestamp,
};

use crate::script::template::{Template, Token, literal_with_braces, tokenize};

/// Splits `text` into the code and one template per field.
pub fn parse(text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)> {
    let tokens = tokenize(text, col0)?;
    let Some(first) = tokens.first() else {
        return Err((col0, "a message starts with its two-digit code".into()));
    };
    let code = parse_code(first)?;
    let fixed_fields = match code {
        Code::Register => 0,
        Code::Registered | Code::Connect => 1,
        Code::Delivered | Code::Read | Code::ReadNotice => 2,
        Code::Send | Code::Deliver => 3,
        Code::CreateGroup | Code::GroupCreated => 2,
    };
    let mut out = vec![first.template.clone()];
    let fields = &tokens[1..];
    if fields.len() < fixed_fields {
        let names = field_names(code);
        let missing = names[fields.len()..fixed_fields].join(", ");
        let col = col0 + text.chars().count();
        return Err((
            col,
            format!("{code} needs {fixed_fields} fields before its tail; missing {missing}"),
        ));
    }
    out.extend(fields[..fixed_fields].iter().map(|t| t.template.clone()));
    match code {
        Code::Send | Code::Deliver => {
            // Data: everything after the timestamp token and one space.
            let after = match fixed_fields.checked_sub(1).and_then(|i| fields.get(i)) {
                Some(ts) => ts.col - col0 + ts.text.chars().count(),
                None => text.chars().count(),
            };
            let rest: String = text.chars().skip(after + 1).collect();
            let rest_col = col0 + after + 1;
            let data = match tokenize(&rest, rest_col)?.as_slice() {
                [only] if rest.trim_start().starts_with('"') => only.template.clone(),
                _ => literal_with_braces(rest.trim_end(), rest_col)?,
            };
            out.push(data);
        }
        Code::CreateGroup | Code::GroupCreated => {
            out.extend(fields[fixed_fields..].iter().map(|t| t.template.clone()));
        }
        _ => {
            if let Some(extra) = fields.get(fixed_fields) {
                return Err((
                    extra.col,
                    format!(
                        "{code} has {fixed_fields} field(s) after the code; this is one too many"
                    ),
                ));
            }
        }
    }
    Ok(out)
}

fn parse_code(token: &Token) -> Result<Code, (usize, String)> {
    let bytes = token.text.as_bytes();
    match bytes {
        [a, b] => Code::from_bytes([*a, *b]),
        _ => None,
    }
    .ok_or_else(|| {
        (
            token.col,
            format!(
                "\"{}\" is not a zap code (01 02 03 05 06 07 08 09 10 11); use send-raw for bytes that are not a message",
                token.text
            ),
        )
    })
}

/// The field names of the layout of the code `code` names, if it names one.
pub fn field_names_of(code: &[u8]) -> Option<&'static [&'static str]> {
    match code {
        [a, b] => Code::from_bytes([*a, *b]).map(field_names),
        _ => None,
    }
}

/// The field names of a code's layout, for messages.
pub fn field_names(code: Code) -> &'static [&'static str] {
    match code {
        Code::Register => &[],
        Code::Registered | Code::Connect => &["id"],
        Code::Send | Code::Deliver => &["src", "dst", "timestamp", "data"],
        Code::Delivered | Code::ReadNotice => &["dst", "timestamp"],
        Code::Read => &["src", "timestamp"],
        Code::CreateGroup => &["creator", "timestamp", "members"],
        Code::GroupCreated => &["group", "timestamp", "members"],
    }
}

/// Builds the canonical frame from resolved fields, through the codec's
/// validating constructors: a script cannot `send` an invalid message by
/// accident (it must say `send-raw`).
pub fn encode(fields: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let text = |i: usize, name: &str| -> Result<&str, String> {
        let b = fields.get(i).ok_or_else(|| format!("missing {name}"))?;
        std::str::from_utf8(b).map_err(|_| format!("{name} is not valid UTF-8"))
    };
    let code_text = text(0, "code")?;
    let code = match code_text.as_bytes() {
        [a, b] => Code::from_bytes([*a, *b]),
        _ => None,
    }
    .ok_or_else(|| format!("\"{code_text}\" is not a zap code"))?;
    let id = |i: usize, field: Field| -> Result<Id<'_>, String> {
        Id::parse_as(field, text(i, field.name())?).map_err(|e| e.to_string())
    };
    let ts = |i: usize| -> Result<Timestamp<'_>, String> {
        Timestamp::parse(text(i, "timestamp")?).map_err(|e| e.to_string())
    };
    let members = || -> Result<String, String> {
        let mut s = String::new();
        for i in 3..fields.len() {
            s.push_str(id(i, Field::Member((i - 3) as u8))?.as_str());
        }
        Ok(s)
    };
    let fixed = match code.length() {
        Length::Fixed(_) => field_names(code).len() + 1,
        Length::Variable { .. } => fields.len(),
    };
    if fields.len() != fixed {
        return Err(format!(
            "{code} takes {} field(s), got {}",
            fixed - 1,
            fields.len() - 1
        ));
    }
    let chat = || -> Result<Chat<'_>, String> {
        Ok(Chat {
            src: id(1, Field::Src)?,
            dst: id(2, Field::Dst)?,
            timestamp: ts(3)?,
            data: Text::new(text(4, "data")?).map_err(|e| e.to_string())?,
        })
    };
    let message = match code {
        Code::Register => Message::Register,
        Code::Registered => Message::Registered {
            id: id(1, Field::Id)?,
        },
        Code::Connect => Message::Connect {
            id: id(1, Field::Id)?,
        },
        Code::Send => Message::Send(chat()?),
        Code::Deliver => Message::Deliver(chat()?),
        Code::Delivered => Message::Delivered {
            dst: id(1, Field::Dst)?,
            timestamp: ts(2)?,
        },
        Code::Read => Message::Read {
            src: id(1, Field::Src)?,
            timestamp: ts(2)?,
        },
        Code::ReadNotice => Message::ReadNotice {
            dst: id(1, Field::Dst)?,
            timestamp: ts(2)?,
        },
        Code::CreateGroup => {
            let m = members()?;
            Message::CreateGroup {
                creator: id(1, Field::Creator)?,
                timestamp: ts(2)?,
                members: RequestedMembers::parse(&m)
                    .map_err(|e| e.to_string())?
                    .into_owned(),
            }
        }
        Code::GroupCreated => {
            let m = members()?;
            Message::GroupCreated {
                group: id(1, Field::Group)?,
                timestamp: ts(2)?,
                members: GroupMembers::parse(&m)
                    .map_err(|e| e.to_string())?
                    .into_owned(),
            }
        }
    };
    Ok(message.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::template::{Piece, Vars};

    fn render(text: &str, vars: &Vars) -> Vec<Vec<u8>> {
        parse(text, 1)
            .unwrap()
            .iter()
            .map(|t| t.render(vars).unwrap())
            .collect()
    }

    #[test]
    fn data_is_the_rest_of_the_line_with_its_spaces() {
        let vars = Vars::from([
            ("a".into(), b"2000000000001".to_vec()),
            ("b".into(), b"2000000000002".to_vec()),
        ]);
        let f = render("05 {a} {b} 1700000000 olá,  tudo bem?", &vars);
        assert_eq!(f[4], "olá,  tudo bem?".as_bytes());
        assert_eq!(
            encode(&f).unwrap(),
            "05200000000000120000000000021700000000olá,  tudo bem?".as_bytes()
        );
        let empty = render("05 {a} {b} 1700000000", &vars);
        assert_eq!(empty[4], b"");
        let quoted = render("05 {a} {b} 1700000000 \" padded \"", &vars);
        assert_eq!(quoted[4], b" padded ");
    }

    #[test]
    fn members_are_tokens_and_placeholders_survive() {
        let t = parse("11 {?g} {*} {a} {b}", 1).unwrap();
        assert_eq!(t.len(), 5);
        assert_eq!(t[1].pieces, [Piece::Capture("g".into())]);
        assert_eq!(t[2].pieces, [Piece::Any]);
    }

    #[test]
    fn wrong_shapes_are_reported_with_columns() {
        let (col, msg) = parse("04 123", 7).unwrap_err();
        assert_eq!(col, 7);
        assert!(msg.contains("not a zap code"), "{msg}");
        let (_, msg) = parse("05 {a} {b}", 1).unwrap_err();
        assert!(msg.contains("missing timestamp"), "{msg}");
        let (col, _) = parse("03 {a} extra", 1).unwrap_err();
        assert_eq!(col, 8);
    }

    #[test]
    fn encode_validates_through_the_codec() {
        let bad = encode(&[b"03".to_vec(), b"12345".to_vec()]).unwrap_err();
        assert!(bad.contains("id must be 13 ASCII digits"), "{bad}");
        let long = "x".repeat(219);
        let f = [
            b"05".to_vec(),
            b"2000000000001".to_vec(),
            b"2000000000002".to_vec(),
            b"1700000000".to_vec(),
            long.into_bytes(),
        ];
        assert!(encode(&f).unwrap_err().contains("at most 218 characters"));
    }
}
