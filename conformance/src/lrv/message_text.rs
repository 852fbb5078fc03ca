//! How a script writes an LRV message: the request as it goes on the wire
//! without its LF (`COMPRAR 7`, `REGISTRAR {cpf1}`), a reply as its code
//! and its payload's fields (`203 1,2,5`, `207 {?win} {?winner}`), and the
//! greeting as `greeting` and its text (lrv §5–§7).
//!
//! ```text
//! a send REGISTRAR {cpf1}
//! a expect 200
//! a expect 208 3,9
//! a expect greeting "Bem-vindo à compra de rifa!" | tolerate greeting {*}
//! ```

use gabarito_codec::lrv::{Argument, Code, Command, Cpf, Number, Payload, Request};

use crate::script::template::{Template, literal_with_braces, tokenize};

/// The word that starts a greeting in a script: not a command (those are
/// upper case) and not a code.
pub const GREETING: &str = "greeting";

/// Splits `text` into the message's first word and one template per field.
pub fn parse(text: &str, col0: usize) -> Result<Vec<Template>, (usize, String)> {
    let tokens = tokenize(text, col0)?;
    let Some(first) = tokens.first() else {
        return Err((
            col0,
            "a message starts with a command, a reply code or `greeting`".into(),
        ));
    };
    let word = first.text.as_str();
    if word == GREETING {
        let after = first.col - col0 + first.text.chars().count();
        let rest: String = text.chars().skip(after + 1).collect();
        let rest_col = col0 + after + 1;
        let body = match tokenize(&rest, rest_col)?.as_slice() {
            [only] if rest.trim_start().starts_with('"') => only.template.clone(),
            [] => return Err((rest_col, "greeting needs its text, or {*} for any".into())),
            _ => literal_with_braces(rest.trim_end(), rest_col)?,
        };
        return Ok(vec![Template::literal(GREETING.as_bytes()), body]);
    }
    let (arity, what) = if let Some(command) = Command::from_word(word) {
        let n = match command.argument() {
            Argument::None => 0..=0,
            Argument::Cpf | Argument::Number => 1..=1,
        };
        (n, format!("{command}"))
    } else if let Some(code) = Code::from_bytes(word.as_bytes()) {
        let n = match code.payload() {
            Payload::None => 0..=0,
            Payload::List => 0..=1,
            Payload::Draw => 2..=2,
        };
        (n, format!("reply {code}"))
    } else {
        return Err((
            first.col,
            format!(
                "\"{word}\" is not an LRV command ({}), reply code ({}) or `greeting`; use send-raw for bytes that are not a message",
                Command::ALL.map(|c| c.as_str()).join(" "),
                Code::ALL.map(|c| c.as_str()).join(" "),
            ),
        ));
    };
    let fields = &tokens[1..];
    if !arity.contains(&fields.len()) {
        let col = fields
            .get(*arity.end())
            .map_or(col0 + text.chars().count(), |t| t.col);
        let want = match (*arity.start(), *arity.end()) {
            (0, 0) => "no field".to_string(),
            (0, 1) => "an optional list (1,2,5)".to_string(),
            (a, b) if a == b => format!("{a} field(s)"),
            (a, b) => format!("{a} to {b} fields"),
        };
        return Err((col, format!("{what} takes {want}, found {}", fields.len())));
    }
    Ok(tokens.iter().map(|t| t.template.clone()).collect())
}

/// The request these resolved fields make, through the codec's validating
/// constructors, so that a script cannot `send` a malformed request by
/// accident (it must say `send-raw`). A CPF need only be 11 digits: sending
/// one with wrong check digits is how a case checks the server's (D11).
/// With `from_zero`, the target numbers its raffle from 0 (D14), so
/// `COMPRAR 0` is a request like any other (the codec's numbers start at 1).
pub fn encode(fields: &[Vec<u8>], from_zero: bool) -> Result<Vec<u8>, String> {
    if from_zero && fields.len() == 2 && fields[1] == b"0" && fields[0] == b"COMPRAR" {
        return Ok(b"COMPRAR 0\n".to_vec());
    }
    let text = |i: usize, name: &str| -> Result<&str, String> {
        let b = fields.get(i).ok_or_else(|| format!("missing {name}"))?;
        std::str::from_utf8(b).map_err(|_| format!("{name} is not valid UTF-8"))
    };
    let word = text(0, "command")?;
    let Some(command) = Command::from_word(word) else {
        return Err(format!(
            "\"{word}\" is not a request: the harness sends requests (lrv §6); write other bytes with send-raw"
        ));
    };
    let request = match command {
        Command::Registrar => Request::Registrar {
            cpf: Cpf::parse(text(1, "cpf")?).map_err(|e| e.to_string())?,
        },
        Command::Comprar => Request::Comprar {
            number: Number::parse(text(1, "number")?).map_err(|e| e.to_string())?,
        },
        other => Request::bare(other).ok_or_else(|| format!("{other} needs an argument"))?,
    };
    let expected = 1 + usize::from(command.argument() != Argument::None);
    if fields.len() != expected {
        return Err(format!(
            "{command} takes {} argument(s), got {}",
            expected - 1,
            fields.len() - 1
        ));
    }
    Ok(request.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        parse(text, 1)
            .unwrap()
            .iter()
            .map(Template::display)
            .collect()
    }

    #[test]
    fn requests_replies_and_the_greeting_split_into_fields() {
        assert_eq!(words("COMPRAR 7"), ["COMPRAR", "7"]);
        assert_eq!(words("REGISTRAR {cpf1}"), ["REGISTRAR", "{cpf1}"]);
        assert_eq!(words("203"), ["203"]);
        assert_eq!(words("203 1,2,5"), ["203", "1,2,5"]);
        assert_eq!(words("207 {?n} {?who}"), ["207", "{?n}", "{?who}"]);
        assert_eq!(
            words("greeting Bem-vindo à compra de rifa!"),
            ["greeting", "Bem-vindo à compra de rifa!"]
        );
    }

    #[test]
    fn wrong_words_and_arity_name_the_column() {
        let e = parse("COMPRA 7", 1).unwrap_err();
        assert_eq!(e.0, 1);
        assert!(e.1.contains("not an LRV command"), "{}", e.1);
        let e = parse("COMPRAR", 1).unwrap_err();
        assert!(e.1.contains("COMPRAR takes 1 field(s), found 0"), "{}", e.1);
        let e = parse("SAIR agora", 1).unwrap_err();
        assert_eq!(e.0, 6);
        assert!(parse("207 42", 1).is_err());
    }

    #[test]
    fn encoding_goes_through_the_codec() {
        let f = |s: &[&str]| s.iter().map(|x| x.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            encode(&f(&["COMPRAR", "7"]), false).unwrap(),
            b"COMPRAR 7\n"
        );
        assert_eq!(
            encode(&f(&["REGISTRAR", "12345678900"]), false).unwrap(),
            b"REGISTRAR 12345678900\n"
        );
        assert!(
            encode(&f(&["COMPRAR", "007"]), false)
                .unwrap_err()
                .contains("leading")
        );
        assert!(
            encode(&f(&["200"]), false)
                .unwrap_err()
                .contains("send-raw")
        );
        assert!(encode(&f(&["COMPRAR", "0"]), false).is_err());
        assert_eq!(encode(&f(&["COMPRAR", "0"]), true).unwrap(), b"COMPRAR 0\n");
    }
}
