//! The tolerant reader of replies (lrv §7.5): what a harness or a client
//! extracts from a reply with human text — `203 - Números disponíveis: 1, 2,
//! 5` — and which deviations it saw. Kept apart from the strict decoder so
//! that `decode_reply` stays exactly the grammar of lrv §7.1.

use super::code::{Code, Payload};
use super::cpf::{CPF_LEN, Cpf, FORMATTED_LEN, is_formatted};
use super::error::{Field, Invalid, Kind};
use super::line::{MAX_REPLY_LEN, Terminator, whole};
use super::message::Reply;
use super::number::{MAX_NUMBER, MAX_NUMBER_DIGITS, Number, NumberList};

/// A way a reply differs from its canonical form (lrv §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Deviation {
    /// Anything but the code and the extracted tokens joined canonically:
    /// human text, extra spaces, tokens in another order.
    Text,
    /// A list not in ascending order.
    Unordered,
    /// A number twice in a list: the list is not a set (a FAIL, D8).
    Duplicates,
    /// A number with a leading `0`.
    LeadingZeros,
    /// The winner written `ddd.ddd.ddd-dd`.
    FormattedCpf,
    /// A `207` without a CPF (the seed does not name the draw's data).
    NoWinner,
    /// Content that is not UTF-8.
    NotUtf8,
}

impl Deviation {
    /// The stable name used in `spec/vectors/lrv.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Deviation::Text => "text",
            Deviation::Unordered => "unordered",
            Deviation::Duplicates => "duplicates",
            Deviation::LeadingZeros => "leading_zeros",
            Deviation::FormattedCpf => "formatted_cpf",
            Deviation::NoWinner => "no_winner",
            Deviation::NotUtf8 => "not_utf8",
        }
    }
}

/// What the tolerant reader extracted from one reply line (lrv §7.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted<'a> {
    /// The reply code, the one thing every reply line must get right.
    pub code: Code,
    /// 203, 208: the numbers of the list, in the order written, repeats
    /// kept. Empty for every other code.
    pub numbers: Vec<Number>,
    /// 207: the winning number.
    pub number: Option<Number>,
    /// 207: the winner, if the line names one.
    pub winner: Option<Cpf<'a>>,
    /// How the line ended.
    pub terminator: Terminator,
    /// In the order of [`Deviation`], each once.
    pub deviations: Vec<Deviation>,
}

impl Extracted<'_> {
    /// No deviation and an LF: the line was a canonical reply.
    pub fn is_canonical(&self) -> bool {
        self.deviations.is_empty() && self.terminator == Terminator::Lf
    }

    /// The canonical reply these values make — lists sorted, repeats
    /// dropped — for comparing with what was expected; `None` for a `207`
    /// without a winner.
    pub fn reply(&self) -> Option<Reply<'static>> {
        let list = || {
            let mut ns = self.numbers.clone();
            ns.sort_unstable();
            ns.dedup();
            NumberList::from_numbers(ns).ok()
        };
        match self.code.payload() {
            Payload::None => Reply::bare(self.code),
            Payload::List if self.code == Code::Available => list().map(Reply::Available),
            Payload::List => list().map(Reply::Purchases),
            Payload::Draw => Some(Reply::Drawn {
                number: self.number?,
                winner: self.winner.clone()?.into_owned(),
            }),
        }
    }
}

/// A token of the rest of a line (lrv §7.5 rule 2): where it is, and what.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    cpf: bool,
}

fn tokens(rest: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if !rest[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let formatted = i + FORMATTED_LEN <= rest.len()
            && is_formatted(&rest[i..i + FORMATTED_LEN])
            && !rest.get(i + FORMATTED_LEN).is_some_and(u8::is_ascii_digit);
        let end = if formatted {
            i + FORMATTED_LEN
        } else {
            i + rest[i..].iter().take_while(|b| b.is_ascii_digit()).count()
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

/// A number token's value, leading zeros allowed (rule 2), if within
/// 1..=10 000.
fn value(digits: &[u8]) -> Option<Number> {
    let significant = &digits[digits.iter().take_while(|&&b| b == b'0').count()..];
    if significant.is_empty() || significant.len() > MAX_NUMBER_DIGITS {
        return None;
    }
    let n = significant
        .iter()
        .fold(0u32, |n, &d| n * 10 + u32::from(d - b'0'));
    if n > MAX_NUMBER {
        return None;
    }
    Number::new(n).ok()
}

/// Reads one reply line by the tolerant rules of lrv §7.5: the code at the
/// start, then the values human text may surround. Every canonical reply
/// reads the same as with [`decode_reply`](super::decode_reply), with no
/// deviation.
///
/// Errors: the line is not one line within the reply limit (lrv §3), does
/// not start with a code, has a list number outside 1–10 000, or is a `207`
/// with no number.
pub fn extract_reply(line: &[u8]) -> Result<Extracted<'_>, Invalid> {
    let (content, terminator) = whole(line, MAX_REPLY_LEN)?;
    let code_len = 3;
    let code = content
        .get(..code_len)
        .and_then(Code::from_bytes)
        .filter(|_| !content.get(code_len).is_some_and(u8::is_ascii_digit))
        .ok_or_else(|| {
            let word = content.iter().take_while(|&&b| b != b' ').count();
            Invalid::new(Field::Code, Kind::UnknownCode, &content[..word])
        })?;
    let rest = &content[code_len..];
    let mut deviations = Vec::new();
    let mut numbers = Vec::new();
    let mut number = None;
    let mut winner = None;
    // What the content would be, had the server written only these tokens.
    let mut canonical: Vec<u8> = code.as_str().as_bytes().to_vec();
    match code.payload() {
        Payload::None => {}
        Payload::List => {
            let from = rest.iter().rposition(|&b| b == b':').map_or(0, |c| c + 1);
            let region = &rest[from..];
            let mut sep = b' ';
            for t in tokens(region).into_iter().filter(|t| !t.cpf) {
                let digits = &region[t.start..t.end];
                let at = code_len + from + t.start;
                let n = value(digits).ok_or_else(|| {
                    let kind = Kind::OutOfRange { max: MAX_NUMBER };
                    Invalid::new(Field::Number, kind, digits).at(at)
                })?;
                if digits[0] == b'0' {
                    deviations.push(Deviation::LeadingZeros);
                }
                numbers.push(n);
                canonical.push(sep);
                canonical.extend_from_slice(digits);
                sep = b',';
            }
            if numbers.windows(2).any(|w| w[0] > w[1]) {
                deviations.push(Deviation::Unordered);
            }
            let mut sorted = numbers.clone();
            sorted.sort_unstable();
            if sorted.windows(2).any(|w| w[0] == w[1]) {
                deviations.push(Deviation::Duplicates);
            }
        }
        Payload::Draw => {
            let ts = tokens(rest);
            let (t, n) = ts
                .iter()
                .filter(|t| !t.cpf)
                .find_map(|t| value(&rest[t.start..t.end]).map(|n| (t, n)))
                .ok_or_else(|| {
                    Invalid::new(Field::Number, Kind::Missing, rest).at(content.len())
                })?;
            let digits = &rest[t.start..t.end];
            if digits[0] == b'0' {
                deviations.push(Deviation::LeadingZeros);
            }
            number = Some(n);
            canonical.push(b' ');
            canonical.extend_from_slice(digits);
            match ts.iter().find(|t| t.cpf) {
                Some(c) => {
                    let bytes = &rest[c.start..c.end];
                    canonical.push(b' ');
                    canonical.extend_from_slice(bytes);
                    winner = if bytes.len() == CPF_LEN {
                        std::str::from_utf8(bytes).ok().map(Cpf::trusted)
                    } else {
                        deviations.push(Deviation::FormattedCpf);
                        std::str::from_utf8(bytes)
                            .ok()
                            .and_then(Cpf::from_formatted)
                    };
                }
                None => deviations.push(Deviation::NoWinner),
            }
        }
    }
    if canonical != content {
        deviations.push(Deviation::Text);
    }
    if std::str::from_utf8(content).is_err() {
        deviations.push(Deviation::NotUtf8);
    }
    deviations.sort_unstable();
    deviations.dedup();
    Ok(Extracted {
        code,
        numbers,
        number,
        winner,
        terminator,
        deviations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(e: &Extracted<'_>) -> Vec<u32> {
        e.numbers.iter().map(|n| n.get()).collect()
    }

    #[test]
    fn human_text_around_a_list() {
        let e = extract_reply("203 - Números disponíveis: 1, 2, 5\n".as_bytes()).unwrap();
        assert_eq!((e.code, nums(&e)), (Code::Available, vec![1, 2, 5]));
        assert_eq!(e.deviations, [Deviation::Text]);
        let e = extract_reply(b"208 Numeros do CPF 12345678909: [9, 3]\r\n").unwrap();
        assert_eq!(nums(&e), [9, 3]);
        assert_eq!(e.deviations, [Deviation::Text, Deviation::Unordered]);
        assert_eq!(e.terminator, Terminator::CrLf);
        assert_eq!(e.reply().unwrap().to_bytes(), b"208 3,9\n");
    }

    #[test]
    fn a_draw_in_words() {
        let e =
            extract_reply("207 Sorteio realizado! Número 42, ganhador 123.456.789-09".as_bytes())
                .unwrap();
        assert_eq!(e.number.map(Number::get), Some(42));
        assert_eq!(e.winner.as_ref().map(Cpf::as_str), Some("12345678909"));
        assert_eq!(e.deviations, [Deviation::Text, Deviation::FormattedCpf]);
        let e = extract_reply(b"207 42\n").unwrap();
        assert_eq!(e.deviations, [Deviation::NoWinner]);
        assert_eq!(e.reply(), None);
        let e = extract_reply(b"207 sem numero\n").unwrap_err();
        assert_eq!((e.kind, e.field), (Kind::Missing, Field::Number));
    }

    #[test]
    fn canonical_replies_have_no_deviation() {
        for line in [
            "203 1,2,5\n",
            "203\n",
            "208 3,9\n",
            "207 42 12345678909\n",
            "400\n",
        ] {
            let e = extract_reply(line.as_bytes()).unwrap();
            assert!(e.is_canonical(), "{line:?}: {e:?}");
            let strict = crate::lrv::decode_reply(line.as_bytes()).unwrap();
            assert_eq!(e.reply(), Some(strict.message.into_owned()));
        }
    }

    #[test]
    fn the_code_must_stand_alone() {
        assert_eq!(
            extract_reply(b"2031,2\n").unwrap_err().kind,
            Kind::UnknownCode
        );
        assert_eq!(
            extract_reply(b"OK 200\n").unwrap_err().kind,
            Kind::UnknownCode
        );
        let e = extract_reply(b"200OK\n").unwrap();
        assert_eq!(
            (e.code, e.deviations.as_slice()),
            (Code::Registered, &[Deviation::Text][..])
        );
        let e = extract_reply(b"203 1,0\n").unwrap_err();
        assert_eq!((e.kind, e.offset), (Kind::OutOfRange { max: 10_000 }, 6));
        let e = extract_reply(b"203 \xcdltimos: 007\n").unwrap();
        assert_eq!(
            e.deviations,
            [Deviation::Text, Deviation::LeadingZeros, Deviation::NotUtf8]
        );
    }
}
