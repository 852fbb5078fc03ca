//! The bytes of every line the server sends (lrv §5, §7): canonical through
//! the codec's encoder, or changed by the quirks that vary them
//! (`crlf`, `no-newline`, §3.5; `human-text`, §7.5; `unordered`, D8;
//! `banner`, D2).

use gabarito_codec::lrv::{Code, Greeting, Number, NumberList, Reply};

use super::snapshot::Draw;

/// The second line of quirk `banner` (lrv §5, D2).
pub const BANNER: &str = "Digite um comando:";

/// How lines are written.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Style {
    pub crlf: bool,
    pub no_newline: bool,
    pub human: bool,
    pub descending: bool,
}

/// A reply before it is bytes: lists as numbers, so quirks can reorder them.
#[derive(Debug)]
pub(super) enum Out<'a> {
    Code(Code),
    Available(Vec<Number>),
    Purchases(Vec<Number>),
    Drawn(&'a Draw),
}

impl Style {
    fn end(self, mut line: Vec<u8>) -> Vec<u8> {
        if self.crlf {
            line.extend_from_slice(b"\r\n");
        } else if !self.no_newline {
            line.push(b'\n');
        }
        line
    }

    /// The greeting line (lrv §5).
    pub fn greeting(self) -> Vec<u8> {
        self.end(Greeting::STANDARD.as_bytes().to_vec())
    }

    /// Quirk `banner`'s second line.
    pub fn banner(self) -> Vec<u8> {
        self.end(BANNER.as_bytes().to_vec())
    }

    /// One reply line (lrv §7).
    pub fn reply(self, out: &Out<'_>) -> Vec<u8> {
        let line = if self.human {
            human(out, self.descending).into_bytes()
        } else if self.descending {
            descending(out)
        } else {
            canonical(out)
        };
        self.end(line)
    }
}

/// The codec's encoding, without its LF.
fn canonical(out: &Out<'_>) -> Vec<u8> {
    let list =
        |numbers: &[Number]| NumberList::from_numbers(numbers.iter().copied()).unwrap_or_default();
    let reply = match out {
        Out::Code(code) => Reply::bare(*code).unwrap_or(Reply::BadRequest),
        Out::Available(n) => Reply::Available(list(n)),
        Out::Purchases(n) => Reply::Purchases(list(n)),
        Out::Drawn(d) => Reply::Drawn {
            number: d.number,
            winner: d.winner.reborrow(),
        },
    };
    let mut bytes = reply.to_bytes();
    bytes.pop();
    bytes
}

fn joined(numbers: &[Number], descending: bool, sep: &str) -> String {
    let mut v: Vec<String> = numbers.iter().map(Number::to_string).collect();
    if descending {
        v.reverse();
    }
    v.join(sep)
}

/// Quirk `unordered` (D8): the canonical form with lists descending.
fn descending(out: &Out<'_>) -> Vec<u8> {
    match out {
        Out::Available(n) | Out::Purchases(n) if !n.is_empty() => {
            let code = if matches!(out, Out::Available(_)) {
                Code::Available
            } else {
                Code::Purchases
            };
            format!("{} {}", code.as_str(), joined(n, true, ",")).into_bytes()
        }
        _ => canonical(out),
    }
}

/// Quirk `human-text` (D7): the seed's prose after the code, read by
/// lrv §7.5 as the same reply.
fn human(out: &Out<'_>, descending: bool) -> String {
    match out {
        Out::Code(code) => {
            let text = match code {
                Code::Registered => "Cliente registrado",
                Code::Authenticated => "Cliente autenticado novamente",
                Code::Purchased => "Número comprado com sucesso",
                Code::Goodbye => "Desconectado",
                Code::SoldOut => "Todos os números foram comprados",
                Code::NotSoldOut => "Ainda há números disponíveis",
                Code::Unavailable => "Número não disponível",
                Code::NotDrawn => "Sorteio ainda não realizado",
                _ => "Requisição inválida",
            };
            format!("{} - {text}", code.as_str())
        }
        Out::Available(n) => format!("203 - Números disponíveis: {}", joined(n, descending, ", ")),
        Out::Purchases(n) => format!("208 - Seus números: {}", joined(n, descending, ", ")),
        Out::Drawn(d) => format!(
            "207 Sorteio realizado! Número {}, ganhador {}",
            d.number,
            d.winner.formatted()
        ),
    }
}

#[cfg(test)]
mod tests {
    use gabarito_codec::lrv::{Cpf, Deviation, extract_reply};

    use super::*;

    fn nums(v: &[u32]) -> Vec<Number> {
        v.iter().map(|&n| Number::new(n).expect("number")).collect()
    }

    fn draw() -> Draw {
        Draw {
            number: Number::new(42).expect("number"),
            winner: Cpf::parse("12345678909").expect("cpf").into_owned(),
        }
    }

    #[test]
    fn canonical_lines_are_the_codec_s() {
        let s = Style::default();
        assert_eq!(s.greeting(), "Bem-vindo à compra de rifa!\n".as_bytes());
        assert_eq!(s.reply(&Out::Code(Code::Registered)), b"200\n");
        assert_eq!(s.reply(&Out::Available(nums(&[1, 2, 5]))), b"203 1,2,5\n");
        assert_eq!(s.reply(&Out::Available(vec![])), b"203\n");
        assert_eq!(s.reply(&Out::Purchases(nums(&[3, 9]))), b"208 3,9\n");
        assert_eq!(s.reply(&Out::Drawn(&draw())), b"207 42 12345678909\n");
    }

    #[test]
    fn terminators_vary_by_quirk() {
        let crlf = Style {
            crlf: true,
            ..Style::default()
        };
        assert_eq!(crlf.reply(&Out::Code(Code::Purchased)), b"202\r\n");
        let bare = Style {
            no_newline: true,
            ..Style::default()
        };
        assert_eq!(bare.reply(&Out::Code(Code::Purchased)), b"202");
        assert_eq!(bare.greeting(), Greeting::STANDARD.as_bytes());
    }

    #[test]
    fn human_text_reads_back_as_the_same_reply() {
        let s = Style {
            human: true,
            ..Style::default()
        };
        let d = draw();
        for (out, want) in [
            (Out::Code(Code::Registered), &b"200\n"[..]),
            (Out::Available(nums(&[1, 2, 5])), b"203 1,2,5\n"),
            (Out::Available(vec![]), b"203\n"),
            (Out::Purchases(nums(&[3, 9])), b"208 3,9\n"),
            (Out::Drawn(&d), b"207 42 12345678909\n"),
            (Out::Code(Code::NotSoldOut), b"206\n"),
        ] {
            let line = s.reply(&out);
            let got = extract_reply(&line).expect("§7.5 reads it");
            let reply = got.reply().expect("a whole reply");
            assert_eq!(reply.to_bytes(), want, "{}", String::from_utf8_lossy(&line));
            assert!(got.deviations.contains(&Deviation::Text));
        }
        assert_eq!(
            s.reply(&Out::Drawn(&d)),
            "207 Sorteio realizado! Número 42, ganhador 123.456.789-09\n".as_bytes()
        );
    }

    #[test]
    fn unordered_lists_descend() {
        let s = Style {
            descending: true,
            ..Style::default()
        };
        assert_eq!(s.reply(&Out::Available(nums(&[1, 2, 5]))), b"203 5,2,1\n");
        assert_eq!(s.reply(&Out::Purchases(vec![])), b"208\n");
    }
}
