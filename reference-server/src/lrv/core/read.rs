//! Reading one request line's content (lrv §6.1): strictly through the
//! codec, then, where a quirk or fault says so, the variants a naive server
//! accepts (D3–D6, D11, D14).

use gabarito_codec::lrv::{
    Argument, Command, Cpf, Invalid, MAX_NUMBER, Number, Request, decode_request,
};

/// How far from strict the reading goes.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Reading {
    /// Quirk `lenient`.
    pub lenient: bool,
    /// Fault `act-on-extra`.
    pub act_on_extra: bool,
}

/// The request in `content` (a line without its terminator), or the
/// codec's error for the strict grammar — which is what a variant that is
/// still refused gets logged with.
pub(super) fn request(content: &[u8], how: Reading) -> Result<Request<'_>, Invalid> {
    let strict = match decode_request(content) {
        Ok(d) => return Ok(d.message),
        Err(e) => e,
    };
    let text = std::str::from_utf8(content).map_err(|_| strict.clone())?;
    if how.act_on_extra {
        if let Some(r) = first_of_two(text) {
            return Ok(r);
        }
    }
    if how.lenient {
        if let Some(r) = lenient(text) {
            return Ok(r);
        }
    }
    Err(strict)
}

/// Where the argument starts: after the command and the blanks after it.
/// Strictly that is byte 10 of a `REGISTRAR` and 8 of a `COMPRAR`.
pub(super) fn argument_offset(content: &[u8]) -> usize {
    let lead = content
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    let word = content[lead..]
        .iter()
        .take_while(|b| !b.is_ascii_whitespace())
        .count();
    let gap = content[lead + word..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count();
    lead + word + gap
}

/// Fault `act-on-extra`: `COMPRAR 7 8` read as `COMPRAR 7` (what lrv D6
/// says must never happen).
fn first_of_two(text: &str) -> Option<Request<'static>> {
    let mut parts = text.split(' ');
    if parts.next()? != Command::Comprar.as_str() {
        return None;
    }
    let number = Number::parse(parts.next()?).ok()?;
    parts.next()?;
    Some(Request::Comprar { number })
}

/// Quirk `lenient`: any case, accents, any blanks around and between
/// words (D3–D5); an argument to a command that takes none is ignored
/// (D6); `007` is 7 (D14); `123.456.789-09` is `12345678909` (D11). Still
/// refused: a missing or second argument, an unknown command.
fn lenient(text: &str) -> Option<Request<'_>> {
    let mut words = text.split_whitespace();
    let command = Command::from_word(&fold(words.next()?))?;
    let args: Vec<&str> = words.collect();
    match command.argument() {
        Argument::None => Request::bare(command),
        Argument::Cpf => match args.as_slice() {
            [cpf] => Cpf::parse(cpf)
                .ok()
                .or_else(|| Cpf::from_formatted(cpf))
                .map(|cpf| Request::Registrar { cpf }),
            _ => None,
        },
        Argument::Number => match args.as_slice() {
            [n] => loose_number(n).map(|number| Request::Comprar { number }),
            _ => None,
        },
    }
}

/// Upper case without accents: `disponíveis` → `DISPONIVEIS`.
fn fold(word: &str) -> String {
    word.chars()
        .flat_map(char::to_uppercase)
        .map(|c| match c {
            'Á' | 'À' | 'Â' | 'Ã' => 'A',
            'É' | 'Ê' => 'E',
            'Í' => 'I',
            'Ó' | 'Ô' | 'Õ' => 'O',
            'Ú' => 'U',
            'Ç' => 'C',
            c => c,
        })
        .collect()
}

/// Digits with any leading zeros, 1 to 10 000.
fn loose_number(s: &str) -> Option<Number> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = s.trim_start_matches('0');
    if digits.len() > 5 {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (n <= MAX_NUMBER).then(|| Number::new(n).ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: Reading = Reading {
        lenient: false,
        act_on_extra: false,
    };
    const LENIENT: Reading = Reading {
        lenient: true,
        act_on_extra: false,
    };

    fn read(line: &str, how: Reading) -> Option<Request<'_>> {
        request(line.as_bytes(), how).ok()
    }

    fn comprar(n: u32) -> Request<'static> {
        Request::Comprar {
            number: Number::new(n).expect("a number"),
        }
    }

    #[test]
    fn strict_reading_is_the_codec_s() {
        assert_eq!(read("SAIR", STRICT), Some(Request::Sair));
        assert_eq!(read("COMPRAR 7", STRICT), Some(comprar(7)));
        for bad in [
            "sair",
            "COMPRAR 007",
            "COMPRAR  7",
            "SAIR agora",
            "DISPONÍVEIS",
        ] {
            assert_eq!(read(bad, STRICT), None, "{bad}");
        }
        let e = request(b"COMPRAR 007", STRICT).unwrap_err();
        assert_eq!(
            e.to_string(),
            "byte 8: number must be written without leading zeros, found \"007\""
        );
    }

    #[test]
    fn lenient_reading_takes_the_tolerated_variants() {
        assert_eq!(read("comprar 7", LENIENT), Some(comprar(7)));
        assert_eq!(read("  Comprar \t 007 ", LENIENT), Some(comprar(7)));
        assert_eq!(read("disponíveis", LENIENT), Some(Request::Disponiveis));
        assert_eq!(read("DISPONÍVEIS", LENIENT), Some(Request::Disponiveis));
        assert_eq!(read("SAIR agora", LENIENT), Some(Request::Sair));
        assert_eq!(
            read("registrar 123.456.789-09", LENIENT),
            Some(Request::Registrar {
                cpf: Cpf::parse("12345678909").expect("cpf")
            })
        );
    }

    #[test]
    fn lenient_reading_still_refuses_what_must_never_be_acted_on() {
        for bad in [
            "COMPRAR 7 8",
            "REGISTRAR 12345678909 1",
            "COMPRAR",
            "COMPRA 7",
            "HELP",
            "COMPRAR 0",
            "COMPRAR 10001",
        ] {
            assert_eq!(read(bad, LENIENT), None, "{bad}");
        }
    }

    #[test]
    fn act_on_extra_buys_the_first_of_two() {
        let how = Reading {
            act_on_extra: true,
            ..STRICT
        };
        assert_eq!(read("COMPRAR 7 8", how), Some(comprar(7)));
        assert_eq!(read("COMPRAR 7", how), Some(comprar(7)));
        assert_eq!(read("COMPRAR 07 8", how), None);
    }

    #[test]
    fn the_argument_offset_is_where_the_argument_starts() {
        assert_eq!(argument_offset(b"REGISTRAR 12345678909"), 10);
        assert_eq!(argument_offset(b"COMPRAR 7"), 8);
        assert_eq!(argument_offset(b" registrar   1"), 13);
    }
}
