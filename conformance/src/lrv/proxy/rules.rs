//! What an lrv client must and should do, checked on what it sent — few
//! rules, each on the seed's authority or a decision's: every request a
//! line of text (lrv §3.1; its ending, empty lines and long lines are
//! readings of D1, D18, D19, NON-STRICT), a request the seed defines with
//! its argument (§6.1: an unknown command or a missing argument FAILs;
//! lower case, accents, spaces and an ignored argument are readings of
//! D3–D6, NON-STRICT; what the user typed as a CPF or number only earns a
//! warning), one request at a time (§3.2, D21, NON-STRICT) and REGISTRAR
//! before COMPRAR and COMPRADOS (D12, NON-STRICT).
//!
//! Findings are written in the report's language (`--lang`); check ids,
//! severities and sections are the same in both.

use std::collections::VecDeque;

use gabarito_codec::lrv::{Argument, Command, Field, Invalid, Kind, Request, Terminator};
use tokio::time::Instant;

use super::framing::{Fault, Line, LrvFraming};
use crate::lang::{t, tr};
use crate::lrv::error_text;
use crate::proxy::finding::{self, CheckId, Counts, Finding, Severity};
use crate::proxy::lens;
use crate::proxy::tap::{Item, ObservedOf};

type Observed = ObservedOf<LrvFraming>;

/// One thing `serve` reports a verdict on, indexing [`CHECKS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Check {
    Framing,
    Commands,
    OneAtATime,
    RegisterFirst,
}

/// lrv's checks, in [`Check`]'s order.
pub const CHECKS: &[finding::Check] = &[
    finding::Check {
        id: "framing",
        section: "§3.1 §3.2 §3.4",
        title: "every request one line of UTF-8 ended by LF",
        title_pt: "todo pedido uma linha de UTF-8 terminada em LF",
    },
    finding::Check {
        id: "commands",
        section: "§6.1",
        title: "every line a request the seed defines, with its argument",
        title_pt: "toda linha um pedido que o enunciado define, com o seu argumento",
    },
    finding::Check {
        id: "one-at-a-time",
        section: "§3.2 §8.5 D21",
        title: "each request written alone, after the reply to the one before",
        title_pt: "cada pedido escrito sozinho, depois da resposta ao anterior",
    },
    finding::Check {
        id: "register-first",
        section: "§6.5 §6.6 D12",
        title: "COMPRAR and COMPRADOS only after a REGISTRAR",
        title_pt: "COMPRAR e COMPRADOS só depois de um REGISTRAR",
    },
];

impl CheckId for Check {
    fn id(self) -> &'static str {
        CHECKS[self as usize].id
    }
}

/// The rules, applied to one connection. lrv has no state across
/// connections a client's rules need: a raffle's numbers are the
/// server's business.
#[derive(Debug, Default)]
pub struct Rules {
    /// The endings other than LF already reported: a client that writes
    /// bare requests does so every time, and one note says it (D1).
    endings_noted: Vec<Terminator>,
    /// A REGISTRAR was sent on this connection.
    registered: bool,
    /// Requests sent, and replies read before the latest request.
    requests: usize,
    answered: usize,
    /// When each reply not yet counted in `answered` was read.
    replies: VecDeque<Instant>,
    /// When the server's bytes not yet a line began: a reply on its way
    /// (one without its LF ends only at the server's pause, lrv §3.3 L4).
    server_pending: Option<Instant>,
    /// The item before this one was a request line.
    prev_request: bool,
    checked: Counts,
}

impl Rules {
    fn count(&mut self, check: Check) {
        self.checked.count(check);
    }

    /// A line the client sent that carries no request, another reading of
    /// the decision `section` names.
    fn no_request(&mut self, section: &'static str, text: String) -> Finding {
        self.count(Check::Framing);
        Check::Framing.found(Severity::NonStrict, section, text)
    }

    /// The line's ending and the empty lines before it (lrv §3.1, §3.3).
    fn framing(&mut self, o: &Observed, out: &mut Vec<Finding>) {
        self.count(Check::Framing);
        let empty = gabarito_codec::lrv::empty_lines(&o.raw);
        if empty > 0 {
            out.push(Check::Framing.found(
                Severity::NonStrict,
                "§3.3 L2, D18",
                tr!(
                    "{empty} byte(s) of empty lines before the request: no message, skipped",
                    "{empty} byte(s) de linhas vazias antes do pedido: nenhuma mensagem, pulados"
                ),
            ));
        }
        let terminator = match &o.raw[empty..] {
            [.., b'\r', b'\n'] => Terminator::CrLf,
            [.., b'\n'] => Terminator::Lf,
            _ => Terminator::Absent,
        };
        if terminator == Terminator::Lf || self.endings_noted.contains(&terminator) {
            return;
        }
        self.endings_noted.push(terminator);
        let text = match terminator {
            Terminator::CrLf => t(
                "the request ends in CRLF, not LF (noted once per connection)",
                "o pedido termina em CRLF, não em LF (anotado uma vez por conexão)",
            ),
            _ => t(
                "the request has no terminator: it ended at a pause (L4), as the seed's enviar_mensagem writes it; a server that reads lines waits for the LF (noted once per connection)",
                "o pedido não tem terminador: terminou numa pausa (L4), como o enviar_mensagem do enunciado o escreve; um servidor que lê linhas espera o LF (anotado uma vez por conexão)",
            ),
        };
        out.push(Check::Framing.found(Severity::NonStrict, "§3.5, D1", text.into()));
    }

    /// A line that is no request: whose fault, and how bad (lrv §6.1, §11).
    fn not_request(&mut self, e: &Invalid, line: &[u8], out: &mut Vec<Finding>) {
        let why = error_text::invalid(e);
        let (check, severity, section, what) = classify(e, line);
        if check == Check::Commands {
            self.count(Check::Commands);
        }
        let text = match e.kind {
            Kind::InvalidUtf8 => tr!(
                "{why}: the seed's messages are text; the reference server answers 400",
                "{why}: as mensagens do enunciado são texto; o servidor de referência responde 400"
            ),
            _ => tr!(
                "{what}: {why}; the reference server answers 400",
                "{what}: {why}; o servidor de referência responde 400"
            ),
        };
        out.push(check.found(severity, section, text));
    }

    /// One request per write, and the reply to
    /// the one before read first (lrv §3.2, §8.5, D21).
    fn one_at_a_time(&mut self, o: &Observed, out: &mut Vec<Finding>) {
        while self.replies.front().is_some_and(|&at| at <= o.first_at) {
            self.replies.pop_front();
            self.answered = (self.answered + 1).min(self.requests);
        }
        if self.requests > 0 {
            self.count(Check::OneAtATime);
            let text = if o.glued && self.prev_request {
                Some(t(
                    "written in the same read as the request before it: a server that takes one recv() for one request (the seed's reading of D1) loses it",
                    "escrito na mesma leitura que o pedido anterior: um servidor que toma um recv() por pedido (a leitura do enunciado, D1) o perde",
                ))
            } else if self.answered < self.requests
                && self.server_pending.is_none_or(|since| since > o.first_at)
            {
                Some(t(
                    "sent before the reply to the request before it: a server that takes one recv() for one request may read the two as one",
                    "enviado antes da resposta ao pedido anterior: um servidor que toma um recv() por pedido pode ler os dois como um",
                ))
            } else {
                None
            };
            if let Some(text) = text {
                out.push(Check::OneAtATime.found(Severity::NonStrict, "§3.2, D21", text.into()));
            }
        }
        self.requests += 1;
    }

    /// lrv D12: COMPRAR and COMPRADOS need an identity.
    fn register_first(&mut self, request: &Request<'_>, out: &mut Vec<Finding>) {
        match request {
            Request::Registrar { cpf } => {
                self.registered = true;
                if let Err(e) = cpf.validate() {
                    out.push(Check::Commands.found(
                        Severity::Warn,
                        "§4.1, D11",
                        tr!(
                            "not a valid CPF, as the user may have typed it: {}; the reference server answers 400",
                            "não é um CPF válido, como o usuário pode tê-lo digitado: {}; o servidor de referência responde 400",
                            error_text::invalid(&e)
                        ),
                    ));
                }
            }
            Request::Comprar { .. } | Request::Comprados => {
                self.count(Check::RegisterFirst);
                if !self.registered {
                    let command = request.command();
                    out.push(Check::RegisterFirst.found(
                        Severity::NonStrict,
                        "§6.5, §6.6, D12",
                        tr!(
                            "{command} before any REGISTRAR on this connection: the reference server answers 400 (whose purchase would it be?); send REGISTRAR first",
                            "{command} antes de qualquer REGISTRAR nesta conexão: o servidor de referência responde 400 (a compra seria de quem?); envie REGISTRAR antes"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
}

/// Which check a line that is no request counts against, how bad it is,
/// the section that says so, and what it is (lrv §6.1, §11): a command the
/// seed lacks or a missing argument FAILs; another reading of a decision
/// is NON-STRICT; a value as a user may have typed it is a warning.
pub fn classify(e: &Invalid, line: &[u8]) -> (Check, Severity, &'static str, &'static str) {
    let takes_argument = std::str::from_utf8(line)
        .ok()
        .and_then(|l| l.split(' ').next())
        .and_then(Command::from_word)
        .is_some_and(|c| c.argument() != Argument::None);
    let commands = |severity, section, what| (Check::Commands, severity, section, what);
    match e.kind {
        Kind::InvalidUtf8 => (Check::Framing, Severity::Fail, "§3.1, §9.1", ""),
        Kind::WrongCase { .. } => commands(
            Severity::NonStrict,
            "§6.1, D3",
            t(
                "another reading of the command's case",
                "outra leitura da caixa do comando",
            ),
        ),
        Kind::AccentedCommand { .. } => commands(
            Severity::NonStrict,
            "§6.1, D4",
            t(
                "the accented spelling the seed does not use",
                "a grafia acentuada que o enunciado não usa",
            ),
        ),
        Kind::ExtraSpace => commands(
            Severity::NonStrict,
            "§6.1, D5",
            t("another reading of the spaces", "outra leitura dos espaços"),
        ),
        Kind::Unexpected if e.field == Field::Argument && !takes_argument => commands(
            Severity::NonStrict,
            "§6.1, D6",
            t(
                "an argument the seed's command does not take (\"Parâmetros: Nenhum\")",
                "um argumento que o comando do enunciado não tem (\"Parâmetros: Nenhum\")",
            ),
        ),
        Kind::FormattedCpf => commands(
            Severity::NonStrict,
            "§4.1, D11",
            t("a formatted CPF", "um CPF formatado"),
        ),
        Kind::LeadingZero => commands(
            Severity::NonStrict,
            "§4.2, D14",
            t("another spelling of the number", "outra grafia do número"),
        ),
        Kind::OutOfRange { .. } if e.found == "0" => commands(
            Severity::NonStrict,
            "§4.2, D14",
            t(
                "a raffle numbered from 0 (0..N−1), another reading of the seed's \"<numero>\"",
                "uma rifa numerada a partir de 0 (0..N−1), outra leitura do \"<numero>\" do enunciado",
            ),
        ),
        Kind::NotDigits | Kind::WrongLength { .. } | Kind::OutOfRange { .. } => commands(
            Severity::Warn,
            if e.field == Field::Cpf {
                "§4.1"
            } else {
                "§4.2"
            },
            t(
                "a value as the user may have typed it",
                "um valor como o usuário pode tê-lo digitado",
            ),
        ),
        _ => commands(
            Severity::Fail,
            "§6.1",
            t(
                "no request the seed defines",
                "nenhum pedido que o enunciado define",
            ),
        ),
    }
}

impl lens::Rules for Rules {
    type Framing = LrvFraming;

    fn client(&mut self, o: &Observed) -> Vec<Finding> {
        let mut out = Vec::new();
        match &o.item {
            Item::Frame(Line::Request { request, .. }) => {
                self.framing(o, &mut out);
                self.count(Check::Commands);
                self.one_at_a_time(o, &mut out);
                self.register_first(request, &mut out);
                self.prev_request = true;
                return out;
            }
            Item::Frame(Line::Reply(_)) => {}
            Item::Invalid(Fault::NotRequest(e)) => {
                self.framing(o, &mut out);
                let line = &o.raw[gabarito_codec::lrv::empty_lines(&o.raw)..];
                let (content, _) = crate::lrv::decode::split_terminator(line);
                self.not_request(e, content, &mut out);
            }
            // Lines that carry no request: readings of D19 and D18.
            Item::Invalid(Fault::TooLong(e)) => out.push(self.no_request(
                "§3.4, D19",
                tr!(
                    "{}: no request is that long; the reference server answers 400 once and drops the line up to its LF",
                    "{}: nenhum pedido é tão longo; o servidor de referência responde 400 uma vez e descarta a linha até o seu LF",
                    error_text::invalid(e)
                ),
            )),
            Item::Breaks => out.push(self.no_request(
                "§3.3 L2, D18",
                tr!(
                    "{} byte(s) of empty lines after the last request: no message",
                    "{} byte(s) de linhas vazias depois do último pedido: nenhuma mensagem",
                    o.raw.len()
                ),
            )),
            Item::Invalid(Fault::Dropped | Fault::NotReply { .. }) | Item::Incomplete => {}
        }
        self.prev_request = false;
        out
    }

    /// Replies are counted for [`Check::OneAtATime`]; what the reader
    /// tolerated in them is shown, NON-STRICT (lrv §3.5, §7.5).
    fn server(&mut self, o: &Observed) -> Vec<Finding> {
        let Item::Frame(Line::Reply(f)) = &o.item else {
            return Vec::new();
        };
        if !f.preamble {
            self.replies.push_back(o.first_at);
        }
        f.tolerated
            .iter()
            .map(|d| Finding {
                check: "server",
                severity: Severity::NonStrict,
                section: section(&d.section),
                text: d.text.clone(),
            })
            .collect()
    }

    fn checked(&self, id: &str) -> usize {
        self.checked.get(id)
    }

    fn server_pending(&mut self, since: Option<Instant>) {
        self.server_pending = since;
    }
}

/// A section the reader names, as the findings' `&'static str`.
fn section(s: &str) -> &'static str {
    ["§3.3", "§3.5", "§5", "§7.4", "§7.5"]
        .into_iter()
        .find(|&known| known == s)
        .unwrap_or("§7.5")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::lens::Rules as _;
    use crate::proxy::relay::Side;
    use crate::proxy::tap::Tap;

    /// A connection's rules and tap, the greeting already read.
    struct Conn(Rules, Tap<LrvFraming>);

    impl Conn {
        fn new() -> Conn {
            let mut conn = Conn(Rules::default(), Tap::default());
            conn.server("Bem-vindo à compra de rifa!\n");
            conn
        }

        /// The checks and severities of what `line` from the client earns.
        fn client(&mut self, line: &[u8]) -> Vec<(&'static str, Severity, &'static str)> {
            let items = self.1.read(Side::Client, line);
            let found = items.iter().flat_map(|o| self.0.client(o));
            found.map(|f| (f.check, f.severity, f.section)).collect()
        }

        fn server(&mut self, text: &str) -> Vec<Finding> {
            let items = self.1.read(Side::Server, text.as_bytes());
            items.iter().flat_map(|o| self.0.server(o)).collect()
        }
    }

    #[test]
    fn a_canonical_exchange_earns_nothing() {
        let mut conn = Conn::new();
        for (request, reply) in [
            ("REGISTRAR 52998224725\n", "200\n"),
            ("COMPRAR 7\n", "202\n"),
        ] {
            assert_eq!(conn.client(request.as_bytes()), []);
            conn.server(reply);
        }
        assert_eq!(conn.0.checked("commands"), 2);
        assert_eq!(conn.0.checked("one-at-a-time"), 1);
    }

    #[test]
    fn only_what_no_reading_of_the_seed_allows_fails() {
        use Severity::{Fail, NonStrict, Warn};
        type Found = &'static [(&'static str, Severity, &'static str)];
        let cases: [(&[u8], Found); 5] = [
            (
                b"comprar 7",
                &[
                    ("framing", NonStrict, "§3.5, D1"),
                    ("commands", NonStrict, "§6.1, D3"),
                ],
            ),
            (b"COMPRA 7\n", &[("commands", Fail, "§6.1")]),
            (b"REGISTRAR\n", &[("commands", Fail, "§6.1")]),
            (b"REGISTRAR 123\n", &[("commands", Warn, "§4.1")]),
            (b"COMPRAR 0\n", &[("commands", NonStrict, "§4.2, D14")]),
        ];
        let mut conn = Conn::new();
        for (line, expected) in cases {
            assert_eq!(
                conn.client(line),
                expected,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn buying_unregistered_and_asking_twice_at_once_are_other_readings() {
        let mut conn = Conn::new();
        let register_first = ("register-first", Severity::NonStrict, "§6.5, §6.6, D12");
        assert_eq!(conn.client(b"COMPRAR 7\n"), [register_first]);
        let one_at_a_time = ("one-at-a-time", Severity::NonStrict, "§3.2, D21");
        assert_eq!(
            conn.client(b"SAIR\n"),
            [one_at_a_time],
            "COMPRAR was not answered yet"
        );
    }

    /// A reply without its LF is a line only at the server's pause; a
    /// request written once it began is no request sent too early.
    #[test]
    fn a_reply_still_open_counts_as_the_answer() {
        let mut conn = Conn::new();
        assert_eq!(conn.client(b"ESGOTOU\n"), []);
        let open = conn.1.push(Side::Server, b"206", Instant::now());
        assert!(open.is_empty(), "it waits for the pause");
        conn.0.server_pending(conn.1.pending_since(Side::Server));
        assert_eq!(conn.client(b"SAIR\n"), []);
    }

    #[test]
    fn what_the_reader_tolerated_in_a_reply_is_shown() {
        let found = Conn::new().server("203 - 2, 1\n");
        assert!(!found.is_empty(), "human text and order");
        assert!(
            found.iter().all(|f| f.severity == Severity::NonStrict),
            "{found:?}"
        );
    }
}
