//! One nom parser per message (lrv §5–§7). Each sees the content of one
//! line — the framing (`line.rs`, lrv §3) has already decided where it ends
//! and checked it is UTF-8 — and decides whether it is valid. After the
//! command or code matches, `cut` turns every error into a failure, so the
//! error names the field that is wrong rather than "no alternative matched";
//! a line no alternative matches gets the last branch, which says how the
//! word differs from a known one.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till};
use nom::combinator::{cut, peek};
use nom::error::{ErrorKind, ParseError};
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use super::code::Command;
use super::cpf::{self, Cpf};
use super::error::{Field, Invalid, Kind};
use super::message::{Greeting, Reply, Request, check_greeting};
use super::number::{self, Number, NumberList, scan_list};

/// A parse failure: where (the unparsed rest of the line at the offending
/// token, plus the offset within it) and what.
#[derive(Debug)]
pub(crate) struct PError<'a> {
    pub(crate) rest: &'a str,
    pub(crate) extra: usize,
    pub(crate) invalid: Invalid,
}

impl<'a> PError<'a> {
    fn new(rest: &'a str, extra: usize, field: Field, kind: Kind, found: &[u8]) -> Self {
        PError {
            rest,
            extra,
            invalid: Invalid::new(field, kind, found),
        }
    }

    /// The offset in the line whose content is `line`.
    pub(crate) fn offset(&self, line: &str) -> usize {
        line.len() - self.rest.len() + self.extra
    }
}

impl<'a> ParseError<&'a str> for PError<'a> {
    /// Only a keyword fails through nom's own machinery: this branch is not
    /// the line's command or code, and `alt` tries the next. The last
    /// branch always fails with the real fault.
    ///
    /// Quotes nothing, so a branch that does not match costs no allocation.
    fn from_error_kind(input: &'a str, _: ErrorKind) -> Self {
        PError::new(input, 0, Field::Line, Kind::Unexpected, b"")
    }

    fn append(_: &'a str, _: ErrorKind, other: Self) -> Self {
        other
    }
}

type PResult<'a, O> = IResult<&'a str, O, PError<'a>>;

fn fail<'a, O>(
    rest: &'a str,
    extra: usize,
    field: Field,
    kind: Kind,
    found: &[u8],
) -> PResult<'a, O> {
    Err(nom::Err::Failure(PError::new(
        rest, extra, field, kind, found,
    )))
}

/// The end of a word: a space or the end of the line. `SAIRX` is not `SAIR`
/// followed by garbage but an unknown command.
fn word_end(input: &str) -> PResult<'_, ()> {
    if input.is_empty() || input.starts_with(' ') {
        Ok((input, ()))
    } else {
        Err(nom::Err::Error(PError::from_error_kind(
            input,
            ErrorKind::Tag,
        )))
    }
}

/// A command or code, as a whole word.
fn keyword<'a>(word: &'static str) -> impl Parser<&'a str, Output = &'a str, Error = PError<'a>> {
    terminated(tag(word), peek(word_end))
}

/// Everything up to the next space: one argument, one field.
fn token(input: &str) -> PResult<'_, &str> {
    take_till(|c| c == ' ').parse(input)
}

/// The single space before `field` (lrv §6.1, D5). Nothing, or a space and
/// then nothing, is a missing `field`; a second space is one too many.
fn separator<'a>(field: Field) -> impl Parser<&'a str, Output = (), Error = PError<'a>> {
    move |input: &'a str| -> PResult<'a, ()> {
        match input.as_bytes() {
            [b' ', b' ', ..] => fail(input, 1, Field::Separator, Kind::ExtraSpace, b" "),
            [b' '] => fail(input, 1, field, Kind::Missing, b""),
            [b' ', ..] => Ok((&input[1..], ())),
            _ => fail(input, 0, field, Kind::Missing, b""),
        }
    }
}

/// The end of the line after the last field (lrv §6.1, §7.1): only spaces
/// left are `extra_space` (D5), anything else is `field`, unexpected (D6).
fn line_end<'a>(field: Field) -> impl Parser<&'a str, Output = (), Error = PError<'a>> {
    move |input: &'a str| -> PResult<'a, ()> {
        if input.is_empty() {
            Ok((input, ()))
        } else if input.bytes().all(|b| b == b' ') {
            fail(
                input,
                0,
                Field::Separator,
                Kind::ExtraSpace,
                input.as_bytes(),
            )
        } else {
            fail(input, 0, field, Kind::Unexpected, input.as_bytes())
        }
    }
}

/// A CPF argument or field (lrv §4.1): 11 ASCII digits, any check digits.
fn cpf(input: &str) -> PResult<'_, Cpf<'_>> {
    let (rest, tok) = token(input)?;
    match cpf::check_token(tok) {
        Ok(()) => Ok((rest, Cpf::trusted(tok))),
        Err((at, kind)) => fail(input, at, Field::Cpf, kind, tok.as_bytes()),
    }
}

/// A number argument or field (lrv §4.2): 1–10 000, no leading zeros.
fn number(input: &str) -> PResult<'_, Number> {
    let (rest, tok) = token(input)?;
    match number::check_number(tok) {
        Ok(n) => Ok((rest, n)),
        Err((at, kind)) => fail(input, at, Field::Number, kind, tok.as_bytes()),
    }
}

/// A 203/208 payload (lrv §7.3): nothing (the empty list), or one space and
/// a strictly ascending list. `203 ` — a space and nothing — is
/// `extra_space` (D8).
fn list(input: &str) -> PResult<'_, NumberList<'_>> {
    match input.as_bytes() {
        [] => Ok((input, NumberList::empty())),
        [b' '] => fail(input, 0, Field::Separator, Kind::ExtraSpace, b" "),
        [b' ', ..] => {
            let s = &input[1..];
            match scan_list(s) {
                Ok(end) => Ok((&s[end..], NumberList::trusted(&s[..end]))),
                Err(f) => {
                    let found = &s.as_bytes()[f.at..f.token_end.max(f.at)];
                    fail(s, f.at, f.field, f.kind, found)
                }
            }
        }
        _ => fail(input, 0, Field::Payload, Kind::Unexpected, input.as_bytes()),
    }
}

/// A command with no argument (lrv §6.3–§6.5, §6.7, §6.8).
fn bare_request<'a>(
    command: Command,
    request: Request<'static>,
) -> impl Parser<&'a str, Output = Request<'a>, Error = PError<'a>> {
    preceded(keyword(command.as_str()), cut(line_end(Field::Argument)))
        .map(move |()| request.clone())
}

/// `REGISTRAR <cpf>` (lrv §6.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 9 | command | `REGISTRAR` |
/// | 9 | 1 | separator | SP |
/// | 10 | 11 | cpf | ASCII digits |
pub(crate) fn registrar(input: &str) -> PResult<'_, Request<'_>> {
    preceded(
        keyword("REGISTRAR"),
        cut(terminated(
            preceded(separator(Field::Cpf), cpf),
            line_end(Field::Argument),
        )),
    )
    .map(|cpf| Request::Registrar { cpf })
    .parse(input)
}

/// `ESGOTOU` (lrv §6.3).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 7 | command | `ESGOTOU` |
pub(crate) fn esgotou(input: &str) -> PResult<'_, Request<'_>> {
    bare_request(Command::Esgotou, Request::Esgotou).parse(input)
}

/// `DISPONIVEIS` (lrv §6.4).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 11 | command | `DISPONIVEIS` |
pub(crate) fn disponiveis(input: &str) -> PResult<'_, Request<'_>> {
    bare_request(Command::Disponiveis, Request::Disponiveis).parse(input)
}

/// `COMPRADOS` (lrv §6.5).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 9 | command | `COMPRADOS` |
pub(crate) fn comprados(input: &str) -> PResult<'_, Request<'_>> {
    bare_request(Command::Comprados, Request::Comprados).parse(input)
}

/// `COMPRAR <numero>` (lrv §6.6).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 7 | command | `COMPRAR` |
/// | 7 | 1 | separator | SP |
/// | 8 | 1–5 | number | `[1-9][0-9]{0,4}`, at most 10 000 |
pub(crate) fn comprar(input: &str) -> PResult<'_, Request<'_>> {
    preceded(
        keyword("COMPRAR"),
        cut(terminated(
            preceded(separator(Field::Number), number),
            line_end(Field::Argument),
        )),
    )
    .map(|number| Request::Comprar { number })
    .parse(input)
}

/// `SORTEIO` (lrv §6.7).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 7 | command | `SORTEIO` |
pub(crate) fn sorteio(input: &str) -> PResult<'_, Request<'_>> {
    bare_request(Command::Sorteio, Request::Sorteio).parse(input)
}

/// `SAIR` (lrv §6.8).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 4 | command | `SAIR` |
pub(crate) fn sair(input: &str) -> PResult<'_, Request<'_>> {
    bare_request(Command::Sair, Request::Sair).parse(input)
}

/// A line that starts with a space: ` SAIR` is a known command after an
/// extra space (D5), not an unknown one.
fn leading_space(input: &str) -> PResult<'_, ()> {
    if input.starts_with(' ') {
        fail(input, 0, Field::Separator, Kind::ExtraSpace, b" ")
    } else {
        Ok((input, ()))
    }
}

/// The letters of a command with accents removed, in upper case: how
/// `disponíveis` is recognised as a misspelt `DISPONIVEIS` (D4).
fn fold_accents(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'A',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'O',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
            'ç' | 'Ç' => 'C',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The last branch: no command matched. Says how the word differs from a
/// known command — in case (D3) or accent (D4) — at the first byte that
/// differs, or that it is unknown.
fn unknown_command(input: &str) -> PResult<'_, Request<'_>> {
    leading_space(input)?;
    let (_, word) = token(input)?;
    let differs = |canonical: &str| {
        word.bytes()
            .zip(canonical.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(0)
    };
    let found = word.as_bytes();
    if let Some(c) = Command::ALL
        .into_iter()
        .find(|c| c.as_str().eq_ignore_ascii_case(word))
    {
        return fail(
            input,
            differs(c.as_str()),
            Field::Command,
            Kind::WrongCase { canonical: c },
            found,
        );
    }
    let folded = fold_accents(word);
    if let Some(c) = Command::ALL.into_iter().find(|c| c.as_str() == folded) {
        let kind = Kind::AccentedCommand { canonical: c };
        return fail(input, differs(c.as_str()), Field::Command, kind, found);
    }
    fail(input, 0, Field::Command, Kind::UnknownCommand, found)
}

/// Any request (lrv §6.1): one branch per command, then the diagnosis.
pub(crate) fn request(input: &str) -> PResult<'_, Request<'_>> {
    alt((
        registrar,
        esgotou,
        disponiveis,
        comprados,
        comprar,
        sorteio,
        sair,
        unknown_command,
    ))
    .parse(input)
}

/// A reply code with no payload (lrv §7.2).
fn bare_reply<'a>(
    code: &'static str,
    reply: Reply<'static>,
) -> impl Parser<&'a str, Output = Reply<'a>, Error = PError<'a>> {
    preceded(keyword(code), cut(line_end(Field::Payload))).map(move |()| reply.clone())
}

/// `200` — registered (lrv §6.2, §7.2).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 3 | code | `200` |
pub(crate) fn registered(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("200", Reply::Registered).parse(input)
}

/// `201` — authenticated again (lrv §6.2, §7.2); layout of [`registered`].
pub(crate) fn authenticated(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("201", Reply::Authenticated).parse(input)
}

/// `202` — purchased (lrv §6.6, §7.2); layout of [`registered`].
pub(crate) fn purchased(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("202", Reply::Purchased).parse(input)
}

/// `203` — available numbers (lrv §7.3).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 3 | code | `203` |
/// | 3 | 1 | separator | SP; absent with the empty list |
/// | 4 | 1–48 893 | list | numbers, `,`-separated, strictly ascending |
pub(crate) fn available(input: &str) -> PResult<'_, Reply<'_>> {
    preceded(
        keyword("203"),
        cut(terminated(list, line_end(Field::Payload))),
    )
    .map(Reply::Available)
    .parse(input)
}

/// `204` — goodbye (lrv §6.8, §7.2); layout of [`registered`].
pub(crate) fn goodbye(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("204", Reply::Goodbye).parse(input)
}

/// `205` — sold out (lrv §6.3, §7.2); layout of [`registered`].
pub(crate) fn sold_out(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("205", Reply::SoldOut).parse(input)
}

/// `206` — not sold out (lrv §6.3, §7.2); layout of [`registered`].
pub(crate) fn not_sold_out(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("206", Reply::NotSoldOut).parse(input)
}

/// `207` — the draw (lrv §7.4, D9).
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 3 | code | `207` |
/// | 3 | 1 | separator | SP |
/// | 4 | k = 1–5 | number | the winning number |
/// | 4+k | 1 | separator | SP |
/// | 5+k | 11 | cpf | the winner |
pub(crate) fn drawn(input: &str) -> PResult<'_, Reply<'_>> {
    preceded(
        keyword("207"),
        cut((
            preceded(separator(Field::Number), number),
            preceded(separator(Field::Cpf), cpf),
            line_end(Field::Payload),
        )),
    )
    .map(|(number, winner, ())| Reply::Drawn { number, winner })
    .parse(input)
}

/// `208` — the client's numbers (lrv §7.3); layout of [`available`].
pub(crate) fn purchases(input: &str) -> PResult<'_, Reply<'_>> {
    preceded(
        keyword("208"),
        cut(terminated(list, line_end(Field::Payload))),
    )
    .map(Reply::Purchases)
    .parse(input)
}

/// `400` — invalid request (lrv §9.2, §7.2); layout of [`registered`].
pub(crate) fn bad_request(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("400", Reply::BadRequest).parse(input)
}

/// `401` — unavailable (lrv §6.6, §7.2); layout of [`registered`].
pub(crate) fn unavailable(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("401", Reply::Unavailable).parse(input)
}

/// `402` — not drawn yet (lrv §6.7, §7.2); layout of [`registered`].
pub(crate) fn not_drawn(input: &str) -> PResult<'_, Reply<'_>> {
    bare_reply("402", Reply::NotDrawn).parse(input)
}

/// The last branch: no code matched.
fn unknown_code(input: &str) -> PResult<'_, Reply<'_>> {
    leading_space(input)?;
    let (_, word) = token(input)?;
    fail(input, 0, Field::Code, Kind::UnknownCode, word.as_bytes())
}

/// Any reply (lrv §7.1): one branch per code, then the diagnosis.
pub(crate) fn reply(input: &str) -> PResult<'_, Reply<'_>> {
    alt((
        registered,
        authenticated,
        purchased,
        available,
        goodbye,
        sold_out,
        not_drawn,
        not_sold_out,
        drawn,
        purchases,
        bad_request,
        unavailable,
        unknown_code,
    ))
    .parse(input)
}

/// The greeting (lrv §5): any text is one — its position makes it one
/// (D2) — provided it is one line that decodes back to itself.
///
/// | offset | width | field | bytes |
/// |---|---|---|---|
/// | 0 | 28 | text | `Bem-vindo à compra de rifa!` (canonical; any UTF-8 tolerated) |
pub(crate) fn greeting(input: &str) -> PResult<'_, Greeting<'_>> {
    match check_greeting(input) {
        Ok(()) => Ok((&input[input.len()..], Greeting::trusted(input))),
        Err(e) => Err(nom::Err::Failure(PError {
            rest: input,
            extra: e.offset,
            invalid: e.at(0),
        })),
    }
}
