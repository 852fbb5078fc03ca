//! Replies of raffles the spec does not number (lrv D14, D9): the tolerant
//! reading of lrv §7.5 takes numbers from 1 to 10 000, but the seed sets no
//! range ("<numero>: Número de rifa desejado"), and a raffle numbered from
//! 0 (0..N−1, Python's `range(n)`) lists a `0`, which §7.5 calls out of
//! range. Such a line is read again with every number one higher — the
//! rules of §7.5 then accept it — and the values are taken back down, so
//! the codec's tokens, CPF tokens and deviations still decide everything.
//!
//! The seed's `207` carries "os dados do sorteio", which it does not name:
//! a `207` that names the winner's CPF and no number is one of its
//! readings (D9), read here with an empty number.

use gabarito_codec::lrv::{CPF_LEN, Code, Cpf, Extracted, Field, Invalid, Kind, extract_reply};

/// A reply as the tolerant reader extracted it, and how to get the wire
/// value of each number back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub extracted: Extracted<'static>,
    /// 1 when the line was read with its numbers one higher (it holds a 0).
    shift: u32,
    /// A `207` with a winner and no number (D9).
    pub no_number: bool,
}

impl Reading {
    /// A number as the target wrote it.
    pub fn wire(&self, n: gabarito_codec::lrv::Number) -> u32 {
        n.get() - self.shift
    }

    /// The line holds a number 0: the raffle is numbered from 0 (D14).
    pub fn from_zero(&self) -> bool {
        self.shift == 1
    }

    /// The numbers of a `203`/`208` as the target wrote them.
    pub fn numbers(&self) -> Vec<u32> {
        self.extracted
            .numbers
            .iter()
            .map(|&n| self.wire(n))
            .collect()
    }
}

/// Reads `line` by lrv §7.5; a line that holds a `0`, or a `207` that names
/// only its winner, by the readings above. The error is §7.5's for the
/// line as it came.
pub fn read_reply(line: &[u8]) -> Result<Reading, Invalid> {
    let plain = match extract_reply(line) {
        Ok(x) => {
            return Ok(Reading {
                extracted: owned(x),
                shift: 0,
                no_number: false,
            });
        }
        Err(e) => e,
    };
    let retry = plain.field == Field::Number
        && matches!(plain.kind, Kind::OutOfRange { .. } | Kind::Missing);
    if !retry {
        return Err(plain);
    }
    let shifted = shift_numbers(line);
    if let Ok(x) = extract_reply(&shifted) {
        return Ok(Reading {
            extracted: owned(x),
            shift: 1,
            no_number: false,
        });
    }
    winner_only(line).ok_or(plain)
}

fn owned(x: Extracted<'_>) -> Extracted<'static> {
    Extracted {
        code: x.code,
        numbers: x.numbers,
        number: x.number,
        winner: x.winner.map(Cpf::into_owned),
        terminator: x.terminator,
        deviations: x.deviations,
    }
}

/// A token of a reply's text after its code: a run of digits, or a CPF
/// written `ddd.ddd.ddd-dd` (lrv §7.5 rule 2).
struct Token {
    start: usize,
    end: usize,
    cpf: bool,
}

const FORMATTED_LEN: usize = 14;

fn tokens(bytes: &[u8], from: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = from;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let formatted = bytes
            .get(i..i + FORMATTED_LEN)
            .and_then(|b| std::str::from_utf8(b).ok())
            .is_some_and(|s| Cpf::from_formatted(s).is_some())
            && !bytes.get(i + FORMATTED_LEN).is_some_and(u8::is_ascii_digit);
        let end = if formatted {
            i + FORMATTED_LEN
        } else {
            i + bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count()
        };
        out.push(Token {
            start: i,
            end,
            cpf: formatted || end - i == CPF_LEN,
        });
        i = end;
    }
    out
}

/// The code's width: every reply starts with three digits (lrv §7.1).
const CODE_LEN: usize = 3;

/// `line` with every number token after the code one higher, keeping its
/// width where it fits (`0` → `1`, `007` → `008`, `9` → `10`).
fn shift_numbers(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len() + 8);
    let mut at = 0;
    for t in tokens(line, CODE_LEN.min(line.len())) {
        out.extend_from_slice(&line[at..t.start]);
        let digits = &line[t.start..t.end];
        // Six digits and more are out of every raffle (lrv §4.2) either way.
        let value = std::str::from_utf8(digits)
            .ok()
            .filter(|_| !t.cpf && digits.len() <= 6)
            .and_then(|s| s.parse::<u32>().ok());
        match value {
            Some(v) => {
                out.extend_from_slice(format!("{:0width$}", v + 1, width = digits.len()).as_bytes())
            }
            None => out.extend_from_slice(digits),
        }
        at = t.end;
    }
    out.extend_from_slice(&line[at..]);
    out
}

/// A `207` that names its winner and no number (D9): read with an empty
/// number, so cases still compare the winner between clients.
fn winner_only(line: &[u8]) -> Option<Reading> {
    let mut x = owned(extract_reply(&draw_placeholder(line)?).ok()?);
    if x.code != Code::Drawn || x.winner.is_none() {
        return None;
    }
    x.number = None;
    Some(Reading {
        extracted: x,
        shift: 0,
        no_number: true,
    })
}

/// `line` with a number inserted after its `207`, for §7.5 to find the
/// CPF token as it would in a complete draw; `None` if the line is not a
/// `207` that names a CPF.
fn draw_placeholder(line: &[u8]) -> Option<Vec<u8>> {
    if !line.starts_with(Code::Drawn.as_str().as_bytes()) {
        return None;
    }
    if !tokens(line, CODE_LEN).iter().any(|t| t.cpf) {
        return None;
    }
    let mut out = line[..CODE_LEN].to_vec();
    out.extend_from_slice(b" 1 ");
    out.extend_from_slice(&line[CODE_LEN..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_from_zero_reads_as_written() {
        let r = read_reply(b"203-0, 1, 2, 3").unwrap();
        assert!(r.from_zero());
        assert_eq!(r.numbers(), [0, 1, 2, 3]);
        assert_eq!(r.extracted.code, Code::Available);
    }

    #[test]
    fn a_list_from_one_is_the_codecs_reading() {
        let r = read_reply(b"203 1,2,10\n").unwrap();
        assert!(!r.from_zero());
        assert_eq!(r.numbers(), [1, 2, 10]);
        assert!(r.extracted.deviations.is_empty());
    }

    #[test]
    fn cpf_tokens_keep_their_digits() {
        let r = read_reply("207 Número 0, ganhador 123.456.789-09".as_bytes()).unwrap();
        assert_eq!(r.extracted.number.map(|n| r.wire(n)), Some(0));
        assert_eq!(
            r.extracted.winner.as_ref().map(|c| c.as_str()),
            Some("12345678909")
        );
        let r = read_reply(b"207-0 52998224725").unwrap();
        assert_eq!(
            r.extracted.winner.as_ref().map(|c| c.as_str()),
            Some("52998224725")
        );
    }

    #[test]
    fn a_draw_naming_only_its_winner_has_no_number() {
        let r = read_reply(b"207-Ganhador: 52998224725").unwrap();
        assert!(r.no_number && r.extracted.number.is_none());
        assert_eq!(
            r.extracted.winner.as_ref().map(|c| c.as_str()),
            Some("52998224725")
        );
    }

    #[test]
    fn what_no_reading_explains_keeps_the_codecs_error() {
        let e = read_reply(b"203 1,10001\n").unwrap_err();
        assert!(matches!(e.kind, Kind::OutOfRange { .. }), "{e:?}");
        let e = read_reply(b"207 Sorteio realizado!\n").unwrap_err();
        assert_eq!(e.kind, Kind::Missing);
        assert!(read_reply(b"oi\n").is_err());
    }

    #[test]
    fn widths_are_kept_where_they_fit() {
        assert_eq!(shift_numbers(b"203 0,007,9,99999"), b"203 1,008,10,100000");
    }
}
