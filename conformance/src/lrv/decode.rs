//! `conformance decode --protocol lrv`: one LRV line — a request (lrv §6),
//! a reply (lrv §7) or the greeting (lrv §5) — field by field, or where and
//! why it is not one; a reply outside the strict grammar as the tolerant
//! reader of lrv §7.5 extracts it; a byte stream split into lines by the
//! rules L1–L5 of lrv §3.3. Offsets count from the line's first byte
//! (lrv §9.4); in a stream, `@N:` says where the line starts.

use gabarito_codec::escape::escape_bytes;
use gabarito_codec::lrv::{
    Argument, Code, Command, DecodeError, Deviation, End, Expect, Field, Invalid, Kind, Request,
    Terminator, decode_greeting, decode_reply, decode_request, empty_lines, extract_reply,
    next_line,
};

use super::error_text::invalid as lrv_invalid;
use super::{Reading, read_reply};
use crate::explain::{Sender, caret, field, non_strict};
use crate::lang::{t, tr};
use crate::verdict::Verdict;

/// `decode --help`'s paragraph on lrv.
pub const HELP: &str = "\
lrv: one line — a request (lrv §6), or with --from server a reply, by the strict grammar
(lrv §7.1); a reply outside it that a tolerant reader still understands is shown as that
reader extracts it, each deviation NON-STRICT (lrv §7.5), as are CRLF and no terminator
(lrv §3.5). For a request, what the reference server answers; one that is well formed
but every server must refuse (a CPF with wrong check digits) is invalid. --stream
splits lines as a receiver does (lrv §3.3 L1-L5); from a server, the first line is the
greeting, by its position (lrv §3.6). Offsets count from the line's first byte (lrv
§9.4). From standard input, a trailing newline is kept: it is the line's terminator.";

/// `decode --help`'s lrv examples.
pub const EXAMPLES: &str = "  conformance decode --protocol lrv 'COMPRAR 7\\n'
  conformance decode --protocol lrv 'COMPRAR 007'
  conformance decode --protocol lrv 'REGISTRAR 12345678900'
  conformance decode --protocol lrv --from server '203 - Números disponíveis: 1, 2, 5'
  conformance decode --protocol lrv --stream --from server 'Oi!\\n200\\n203 1,2\\n'
  printf 'COMPRAR 7\\r\\n' | conformance decode --protocol lrv";

/// Decodes `input` — one line, or with `stream` a byte stream — as `from`
/// sends it (default: the client) into `out`; whether it was all valid
/// (NON-STRICT included).
pub fn run(input: &[u8], stream_mode: bool, from: Option<Sender>, out: &mut String) -> bool {
    let sender = from.unwrap_or(Sender::Client);
    if stream_mode {
        let first = match sender {
            Sender::Client => Expect::Request,
            Sender::Server => Expect::Greeting,
        };
        return stream(input, first, out);
    }
    match sender {
        Sender::Client => request(input, "", out),
        Sender::Server => {
            let ok = reply(input, "", out);
            let code = extract_reply(input).is_err_and(|e| e.kind == Kind::UnknownCode);
            if !ok && code && !input.first().is_some_and(u8::is_ascii_digit) {
                out.push_str(t(
                    "  if it is the first line of a connection, it is the greeting, by its position (lrv §3.6): decode it with --stream --from server\n",
                    "  se for a primeira linha de uma conexão, é a saudação, pela posição (lrv §3.6): decodifique com --stream --from server\n",
                ));
            }
            ok
        }
    }
}

/// Splits `input` into lines as a receiver does (lrv §3.3), the first one
/// of the kind `first`, and reports each.
fn stream(input: &[u8], first: Expect, out: &mut String) -> bool {
    let mut pos = 0;
    let mut expect = first;
    let mut ok = true;
    let mut after_sair = false;
    while pos < input.len() {
        let empty = empty_lines(&input[pos..]);
        if empty > 0 {
            let lines = input[pos..pos + empty]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            out.push_str(&tr!(
                "@{pos}: {lines} empty line(s), {empty} byte(s), skipped: no message (lrv §3.3 L2); {} for the sender (lrv D18)\n",
                "@{pos}: {lines} linha(s) vazia(s), {empty} byte(s), pulada(s): nenhuma mensagem (lrv §3.3 L2); {} para quem enviou (lrv D18)\n",
                Verdict::NonStrict.display()
            ));
            pos += empty;
            continue;
        }
        if after_sair {
            out.push_str(t(
                "  (the server answered SAIR with 204 and closed: it reads none of what follows, lrv §6.8)\n",
                "  (o servidor respondeu 204 a SAIR e fechou: não lê nada do que vem depois, lrv §6.8)\n",
            ));
            after_sair = false;
        }
        let at = format!("@{pos}: ");
        match next_line(&input[pos..], expect.max_len(), End::Boundary) {
            Ok(line) => {
                let raw = &input[pos..pos + line.len];
                ok &= match expect {
                    Expect::Request => request(raw, &at, out),
                    Expect::Reply => reply(raw, &at, out),
                    Expect::Greeting => greeting(raw, &at, out),
                };
                after_sair = expect == Expect::Request
                    && decode_request(raw).is_ok_and(|d| d.message == Request::Sair);
                pos += line.len;
            }
            Err(DecodeError::Invalid(e)) => {
                ok = false;
                explain(&e, &input[pos..], &at, what(expect), expect, out);
                let rest = &input[pos..];
                match rest.iter().position(|&b| b == b'\n') {
                    Some(lf) => {
                        out.push_str(&tr!(
                            "    dropping the line, {} byte(s) up to and including its LF (lrv §3.3 L3)\n",
                            "    descartando a linha, {} byte(s) até o seu LF, inclusive (lrv §3.3 L3)\n",
                            lf + 1
                        ));
                        pos += lf + 1;
                    }
                    None => {
                        out.push_str(&tr!(
                            "    dropping the line, {} byte(s) up to the end of the input (lrv §3.3 L3, L4)\n",
                            "    descartando a linha, {} byte(s) até o fim da entrada (lrv §3.3 L3, L4)\n",
                            rest.len()
                        ));
                        pos = input.len();
                    }
                }
            }
            // With a boundary at the end, only empty lines are incomplete,
            // and those were skipped above.
            Err(DecodeError::Incomplete { .. }) => break,
        }
        expect = expect.after();
    }
    ok
}

/// "invalid lrv request", … in the report's language.
pub(crate) fn what(expect: Expect) -> &'static str {
    match expect {
        Expect::Request => t("invalid lrv request", "requisição lrv inválida"),
        Expect::Reply => t("invalid lrv reply", "resposta lrv inválida"),
        Expect::Greeting => t("invalid lrv greeting", "saudação lrv inválida"),
    }
}

/// One whole request line (lrv §6), and what the reference server answers.
fn request(line: &[u8], at: &str, out: &mut String) -> bool {
    let d = match decode_request(line) {
        Ok(d) => d,
        Err(e) => {
            explain(&e, line, at, what(Expect::Request), Expect::Request, out);
            out.push_str(&format!("  {}\n", refused(&e, line)));
            return false;
        }
    };
    let command = d.message.command();
    let section = command_section(command);
    out.push_str(&tr!(
        "{at}{command} request (lrv {section}) — {} bytes, {}\n",
        "{at}requisição {command} (lrv {section}) — {} bytes, {}\n",
        line.len(),
        form(d.terminator, Vec::new())
    ));
    for (name, value) in d.message.fields() {
        field(name, &value, out);
    }
    terminator_field(d.terminator, out);
    let server = t("reference server", "servidor de referência");
    let answer = match &d.message {
        Request::Registrar { cpf } => match cpf.validate() {
            Ok(()) => tr!(
                "200 if {cpf} is new to it, 201 if it was registered before (lrv §6.2)",
                "200 se {cpf} é novo para ele, 201 se já foi registrado (lrv §6.2)"
            ),
            Err(mut e) => {
                // The CPF starts after `REGISTRAR `.
                e.offset += Command::Registrar.as_str().len() + 1;
                out.push_str(&tr!(
                    "  invalid CPF (lrv §4.1, D11): {}\n",
                    "  CPF inválido (lrv §4.1, D11): {}\n",
                    lrv_invalid(&e)
                ));
                caret(line, e.offset, e.field.name(), out);
                out.push_str(&format!("    {}\n", names(&e, Expect::Request)));
                out.push_str(&tr!(
                    "  {server}: 400 — well formed, but not a valid CPF (lrv §9.2, D11); a server that does not check is NON-STRICT\n",
                    "  {server}: 400 — bem formada, mas o CPF não é válido (lrv §9.2, D11); um servidor que não confere é TOLERADO\n",
                ));
                return false;
            }
        },
        Request::Esgotou => t(
            "205 if every number is bought, 206 otherwise (lrv §6.3)",
            "205 se todos os números foram comprados, 206 se não (lrv §6.3)",
        )
        .into(),
        Request::Disponiveis => t(
            "203 and the numbers not yet bought, 203 alone if none is left (lrv §6.4)",
            "203 e os números ainda não comprados, 203 sozinho se não sobrou nenhum (lrv §6.4)",
        )
        .into(),
        Request::Comprados => t(
            "208 and the numbers the connection's CPF bought; 400 before REGISTRAR (lrv §6.5, D12)",
            "208 e os números que o CPF da conexão comprou; 400 antes de REGISTRAR (lrv §6.5, D12)",
        )
        .into(),
        Request::Comprar { number } => tr!(
            "202 if {number} is available, 401 if it was bought (lrv §6.6); 400 before REGISTRAR (D12) or if {number} > N, the raffle size, which decode cannot know (lrv §4.2)",
            "202 se {number} está disponível, 401 se já foi comprado (lrv §6.6); 400 antes de REGISTRAR (D12) ou se {number} > N, o tamanho da rifa, que o decode não tem como saber (lrv §4.2)"
        ),
        Request::Sorteio => t(
            "402 before the draw; after it, 207 with the winning number and the winner's CPF (lrv §6.7)",
            "402 antes do sorteio; depois, 207 com o número sorteado e o CPF do ganhador (lrv §6.7)",
        )
        .into(),
        Request::Sair => t(
            "204, then it closes the connection (lrv §6.8)",
            "204, e então fecha a conexão (lrv §6.8)",
        )
        .into(),
    };
    out.push_str(&format!("  {server}: {answer}\n"));
    true
}

/// The section that defines `command` (lrv §6).
pub(crate) fn command_section(command: Command) -> &'static str {
    match command {
        Command::Registrar => "§6.2",
        Command::Esgotou => "§6.3",
        Command::Disponiveis => "§6.4",
        Command::Comprados => "§6.5",
        Command::Comprar => "§6.6",
        Command::Sorteio => "§6.7",
        Command::Sair => "§6.8",
    }
}

/// What a server does with a line that is not a request.
pub(crate) fn refused(e: &Invalid, line: &[u8]) -> String {
    let server = t("reference server", "servidor de referência");
    let tolerated = |d: &str| {
        tr!(
            "{server}: 400, and it acts on no part of the line (lrv §9.2); a server that accepts it is NON-STRICT (lrv {d})",
            "{server}: 400, e não age sobre nenhuma parte da linha (lrv §9.2); um servidor que a aceita é TOLERADO (lrv {d})"
        )
    };
    match e.kind {
        Kind::EmptyLine => tr!(
            "{server}: no reply, an empty line is skipped (lrv §3.3 L2); answering it with 400 is NON-STRICT (lrv D18)",
            "{server}: nenhuma resposta, uma linha vazia é pulada (lrv §3.3 L2); responder 400 a ela é TOLERADO (lrv D18)"
        ),
        Kind::TrailingBytes => t(
            "more than one line: decode them one by one with --stream (lrv §3.3 L1, L5)",
            "mais de uma linha: decodifique-as uma a uma com --stream (lrv §3.3 L1, L5)",
        )
        .into(),
        Kind::LineTooLong { .. } => tr!(
            "{server}: 400, once, and it drops the line up to its LF (lrv §3.3 L3, §9.1)",
            "{server}: 400, uma vez, e descarta a linha até o seu LF (lrv §3.3 L3, §9.1)"
        ),
        Kind::WrongCase { .. } => tolerated("D3"),
        Kind::AccentedCommand { .. } => tolerated("D4"),
        Kind::ExtraSpace => tolerated("D5"),
        Kind::LeadingZero => tolerated("D14"),
        Kind::FormattedCpf => tolerated("D11"),
        Kind::Unexpected if e.field == Field::Argument && takes_argument(line) => tr!(
            "{server}: 400, and it acts on no part of the line (lrv §9.2); one that acts on the first argument and drops the rest FAILs: the client asked for something else (lrv D6)",
            "{server}: 400, e não age sobre nenhuma parte da linha (lrv §9.2); um que age sobre o primeiro argumento e descarta o resto FALHA: o cliente pediu outra coisa (lrv D6)"
        ),
        Kind::Unexpected if e.field == Field::Argument => tolerated("D6"),
        _ => tr!(
            "{server}: 400, and it acts on no part of the line (lrv §9.2, D10)",
            "{server}: 400, e não age sobre nenhuma parte da linha (lrv §9.2, D10)"
        ),
    }
}

/// The line starts with `REGISTRAR` or `COMPRAR` and a space.
fn takes_argument(line: &[u8]) -> bool {
    let word = line.split(|&b| b == b' ').next().unwrap_or_default();
    std::str::from_utf8(word)
        .ok()
        .and_then(Command::from_word)
        .is_some_and(|c| c.argument() != Argument::None)
}

/// The section of a reply code, and what it means (the seed's words).
pub(crate) fn code_info(code: Code) -> (&'static str, &'static str) {
    match code {
        Code::Registered => ("§6.2", t("registered", "registrado")),
        Code::Authenticated => ("§6.2", t("authenticated again", "autenticado novamente")),
        Code::Purchased => ("§6.6", t("bought", "comprado")),
        Code::Available => ("§7.3", t("available numbers", "números disponíveis")),
        Code::Goodbye => ("§6.8", t("disconnected", "desconectado")),
        Code::SoldOut => ("§6.3", t("sold out", "esgotado")),
        Code::NotSoldOut => ("§6.3", t("numbers still available", "ainda há números")),
        Code::Drawn => ("§7.4", t("the draw's result", "resultado do sorteio")),
        Code::Purchases => (
            "§7.3",
            t(
                "numbers bought by the client",
                "números comprados pelo cliente",
            ),
        ),
        Code::BadRequest => ("§9.2", t("invalid request", "requisição inválida")),
        Code::Unavailable => ("§6.6", t("number not available", "número indisponível")),
        Code::NotDrawn => ("§6.7", t("no draw yet", "ainda não houve sorteio")),
    }
}

/// One whole reply line: by the strict grammar (lrv §7.1), or else as a
/// tolerant reader extracts it (lrv §7.5).
fn reply(line: &[u8], at: &str, out: &mut String) -> bool {
    let strict = match decode_reply(line) {
        Ok(d) => {
            let code = d.message.code();
            let (section, meaning) = code_info(code);
            out.push_str(&format!(
                "{at}{code} {meaning} (lrv {section}) — {} bytes, {}\n",
                line.len(),
                form(d.terminator, Vec::new())
            ));
            for (name, value) in d.message.fields() {
                field(name, shown(&value), out);
            }
            terminator_field(d.terminator, out);
            return true;
        }
        Err(e) => e,
    };
    match read_reply(line) {
        Ok(r) => tolerant(&r, &strict, line, at, out),
        Err(e) => {
            explain(&strict, line, at, what(Expect::Reply), Expect::Reply, out);
            if strict.kind == Kind::TrailingBytes {
                out.push_str(&format!("  {}\n", refused(&strict, line)));
            } else if e == strict {
                out.push_str(t(
                    "  a tolerant reader (lrv §7.5) cannot read it either; a client reports it and skips it (lrv §9.3)\n",
                    "  um leitor tolerante (lrv §7.5) também não consegue lê-la; um cliente a reporta e a pula (lrv §9.3)\n",
                ));
            } else {
                out.push_str(&tr!(
                    "  nor can a tolerant reader (lrv §7.5): {}\n",
                    "  nem um leitor tolerante (lrv §7.5): {}\n",
                    lrv_invalid(&e)
                ));
                caret(line, e.offset, e.field.name(), out);
                out.push_str(&format!("    {}\n", names(&e, Expect::Reply)));
            }
            false
        }
    }
}

/// A reply outside the strict grammar that the tolerant rules read: the
/// values, each deviation, and the strict grammar's complaint.
fn tolerant(r: &Reading, strict: &Invalid, line: &[u8], at: &str, out: &mut String) -> bool {
    let x = &r.extracted;
    let (section, meaning) = code_info(x.code);
    let read = t(
        "not the strict grammar (lrv §7.1), what a tolerant reader extracts (lrv §7.5)",
        "fora da gramática estrita (lrv §7.1), o que um leitor tolerante extrai (lrv §7.5)",
    );
    out.push_str(&format!(
        "{at}{} {meaning} (lrv {section}) — {} bytes, {}\n",
        x.code,
        line.len(),
        form(x.terminator, vec![read.to_string()])
    ));
    field("code", x.code.as_str(), out);
    match x.code {
        Code::Available | Code::Purchases => {
            let list: Vec<String> = r.numbers().iter().map(ToString::to_string).collect();
            field("numbers", shown(&list.join(",")), out);
        }
        Code::Drawn => {
            if let Some(n) = x.number {
                field("number", &r.wire(n).to_string(), out);
            }
            let none = t("(none)", "(nenhum)");
            field("cpf", x.winner.as_ref().map_or(none, |c| c.as_str()), out);
        }
        _ => {}
    }
    terminator_field(x.terminator, out);
    let mut ok = true;
    for &d in &x.deviations {
        let verdict = if d == Deviation::Duplicates {
            ok = false;
            Verdict::Fail
        } else {
            Verdict::NonStrict
        };
        out.push_str(&format!(
            "  {:<10} {} (lrv §7.5): {}\n",
            verdict.display(),
            d.name(),
            super::error_text::deviation(d)
        ));
    }
    let mut other = |what: &str| {
        out.push_str(&format!("  {:<10} {what}\n", Verdict::NonStrict.display()));
    };
    if r.from_zero() {
        other(t(
            "0 (lrv §4.2, D14): the spec numbers a raffle 1..N, where 0 is out of range; read here as a raffle numbered from 0 (0..N−1, Python's range(n)), a reading the seed allows (\"<numero>: Número de rifa desejado\" sets no range). The harness speaks it to a target whose fresh raffle lists 0",
            "0 (lrv §4.2, D14): a especificação numera a rifa de 1 a N, e 0 fica fora; lida aqui como uma rifa numerada a partir de 0 (0..N−1, o range(n) do Python), uma leitura que o enunciado permite (\"<numero>: Número de rifa desejado\" não fixa faixa). O avaliador fala assim com um alvo cuja rifa nova lista o 0",
        ));
    }
    if r.no_number {
        other(t(
            "no number (lrv §7.4, D9): the 207 names the winner and no number, a reading of the seed's \"dados do sorteio\", which it does not name",
            "sem número (lrv §7.4, D9): o 207 traz o ganhador e nenhum número, uma leitura dos \"dados do sorteio\" do enunciado, que ele não nomeia",
        ));
    }
    if let Some(canonical) = x.reply().filter(|_| ok && !r.from_zero()) {
        out.push_str(&tr!(
            "  canonical: \"{}\" (lrv §7.1)\n",
            "  canônica: \"{}\" (lrv §7.1)\n",
            escape_bytes(&canonical.to_bytes())
        ));
    }
    out.push_str(&tr!(
        "  strictly, {}\n",
        "  estritamente, {}\n",
        lrv_invalid(strict)
    ));
    caret(line, strict.offset, strict.field.name(), out);
    out.push_str(&format!("    {}\n", names(strict, Expect::Reply)));
    ok
}

/// The first line from a server, a greeting by its position (lrv §3.6):
/// any one line of UTF-8 text; not the seed's text, or not UTF-8, is
/// NON-STRICT (lrv §5, D2).
fn greeting(line: &[u8], at: &str, out: &mut String) -> bool {
    let (text, term, parts) = match decode_greeting(line) {
        Ok(d) => {
            let mut parts = Vec::new();
            if !d.message.is_standard() {
                parts.push(
                    t(
                        "not the seed's text (lrv §5, D2)",
                        "não é o texto do enunciado (lrv §5, D2)",
                    )
                    .to_string(),
                );
            }
            (d.message.as_str().as_bytes().to_vec(), d.terminator, parts)
        }
        Err(e) if e.kind == Kind::InvalidUtf8 => {
            let (content, term) = split_terminator(line);
            let parts = vec![t("not UTF-8 (lrv §5, D2)", "não é UTF-8 (lrv §5, D2)").to_string()];
            (content.to_vec(), term, parts)
        }
        Err(e) => {
            explain(&e, line, at, what(Expect::Greeting), Expect::Greeting, out);
            return false;
        }
    };
    out.push_str(&tr!(
        "{at}greeting (lrv §5) — {} bytes, {}\n",
        "{at}saudação (lrv §5) — {} bytes, {}\n",
        line.len(),
        form(term, parts)
    ));
    field("text", &format!("\"{}\"", escape_bytes(&text)), out);
    terminator_field(term, out);
    if decode_reply(line).is_ok() {
        out.push_str(t(
            "  it is also a reply: if the server sent no greeting, this answers the first request, and the missing greeting is a FAIL (lrv §5)\n",
            "  também é uma resposta: se o servidor não enviou saudação, esta responde à primeira requisição, e a falta da saudação é uma FALHA (lrv §5)\n",
        ));
    }
    true
}

/// A line's content and terminator, for a line already known to be one.
pub(crate) fn split_terminator(line: &[u8]) -> (&[u8], Terminator) {
    match line {
        [c @ .., b'\r', b'\n'] => (c, Terminator::CrLf),
        [c @ .., b'\n'] => (c, Terminator::Lf),
        c => (c, Terminator::Absent),
    }
}

/// "canonical", or NON-STRICT and why: `parts` and a terminator other than
/// LF (lrv §3.5).
fn form(terminator: Terminator, mut parts: Vec<String>) -> String {
    match terminator {
        Terminator::Lf => {}
        Terminator::CrLf => parts.push(
            t(
                "a CRLF terminator (lrv §3.5, D1)",
                "terminador CRLF (lrv §3.5, D1)",
            )
            .into(),
        ),
        Terminator::Absent => parts.push(
            t(
                "no terminator, the canonical one is LF (lrv §3.5, D1)",
                "sem terminador, o canônico é LF (lrv §3.5, D1)",
            )
            .into(),
        ),
    }
    if parts.is_empty() {
        t("canonical", "canônico").to_string()
    } else {
        non_strict(&parts)
    }
}

fn terminator_field(terminator: Terminator, out: &mut String) {
    let shown = match terminator {
        Terminator::Lf => "LF",
        Terminator::CrLf => "CRLF",
        Terminator::Absent => t("(none)", "(nenhum)"),
    };
    field("terminator", shown, out);
}

/// An empty value (a list of no numbers) said so.
fn shown(value: &str) -> &str {
    if value.is_empty() {
        t("(empty)", "(vazia)")
    } else {
        value
    }
}

/// The error, the line with a caret under the offending byte, and the
/// field and kind names with the spec section.
pub(crate) fn explain(
    e: &Invalid,
    line: &[u8],
    at: &str,
    what: &str,
    expect: Expect,
    out: &mut String,
) {
    out.push_str(&format!("{at}{what}: {}\n", lrv_invalid(e)));
    caret(line, e.offset, e.field.name(), out);
    out.push_str(&format!("    {}\n", names(e, expect)));
}

/// `field number, kind leading_zero (lrv §4.2, D14)`.
fn names(e: &Invalid, expect: Expect) -> String {
    let reply = expect != Expect::Request;
    let section = match e.kind {
        Kind::LineTooLong { .. } => "§3.4, §3.3 L3",
        Kind::InvalidUtf8 => "§3.1, §9.1",
        Kind::TrailingBytes => "§3.3 L1",
        Kind::EmptyLine => "§3.3 L2",
        Kind::UnknownCommand => "§6.1",
        Kind::WrongCase { .. } => "§6.1, D3",
        Kind::AccentedCommand { .. } => "§6.1, D4",
        Kind::ExtraSpace | Kind::Missing | Kind::Unexpected if reply => "§7.1",
        Kind::ExtraSpace => "§6.1, D5",
        Kind::Missing | Kind::Unexpected => "§6.1, D6",
        Kind::NotDigits if e.field == Field::Cpf => "§4.1",
        Kind::NotDigits => "§4.2",
        Kind::WrongLength { .. } => "§4.1",
        Kind::FormattedCpf | Kind::BadCheckDigits | Kind::RepeatedDigits => "§4.1, D11",
        Kind::LeadingZero => "§4.2, D14",
        Kind::OutOfRange { .. } => "§4.2",
        Kind::NotAscending => "§4.3, D8",
        Kind::UnknownCode => "§7.1",
        Kind::LineBreak => "§5",
    };
    tr!(
        "field {}, kind {} (lrv {section})",
        "campo {}, tipo {} (lrv {section})",
        e.field.name(),
        e.kind.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_from_the_server_starts_with_the_greeting() {
        let mut out = String::new();
        let ok = stream(
            "Bem-vindo à compra de rifa!\n\n200\n203 1,2\n".as_bytes(),
            Expect::Greeting,
            &mut out,
        );
        assert!(ok, "{out}");
        assert!(
            out.contains("@0: greeting (lrv §5) — 29 bytes, canonical"),
            "{out}"
        );
        assert!(
            out.contains("@29: 1 empty line(s), 1 byte(s), skipped"),
            "{out}"
        );
        assert!(out.contains("@30: 200 registered"), "{out}");
        assert!(out.contains("@34: 203 available numbers"), "{out}");
    }

    #[test]
    fn a_list_from_zero_is_explained_not_refused() {
        let mut out = String::new();
        assert!(reply(b"203-0, 1, 2, 3", "", &mut out), "{out}");
        assert!(out.contains("numbers    0,1,2,3"), "{out}");
        assert!(out.contains("D14"), "{out}");
        assert!(!out.contains("out_of_range"), "{out}");
        assert!(!out.contains("canonical:"), "{out}");
    }

    #[test]
    fn a_draw_naming_only_its_winner_is_explained() {
        let mut out = String::new();
        assert!(reply(b"207-Ganhador: 52998224725", "", &mut out), "{out}");
        assert!(out.contains("52998224725") && out.contains("D9"), "{out}");
    }

    #[test]
    fn an_over_long_line_is_dropped_up_to_its_lf() {
        let mut input = vec![b'A'; 300];
        input.extend_from_slice(b"\nSAIR\n");
        let mut out = String::new();
        assert!(!stream(&input, Expect::Request, &mut out));
        assert!(
            out.contains("byte 256: line must be at most 256 bytes"),
            "{out}"
        );
        assert!(out.contains("301 byte(s)"), "{out}");
        assert!(out.contains("@301: SAIR request"), "{out}");
    }
}
