//! The reader by meaning (papo §6.10): what a tolerant client — the
//! conformance harness, the reference client — reads in a server line
//! worded otherwise (`[ana] oi`, `ERRO 02`, `*** ana has left the chat.`),
//! and how it differs from the canonical line. Kept apart from the strict
//! decoder, so that `decode_server_line` stays exactly the grammar of §6.1.

use super::code::{Code, LineKind};
use super::error::Invalid;
use super::fold::{Fold, Token};
use super::line::{MAX_SERVER_LEN, Terminator, is_blank, whole};
use super::nickname::{Nickname, check_syntax};
use super::parse;
use super::server::{LIST_LABEL, PRIVATE_LABEL, SENDER_SEP, ServerLine};

/// A way a line read by meaning differs from its canonical form
/// (papo §6.10), in the order the spec lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Deviation {
    /// Not read by rule 0: not a canonical line about a known user.
    Wording,
    /// Bytes that are not ASCII ("Puramente textual(ASCII)", D2).
    NotAscii,
    /// An error recognised by its words, with no code (D12 (f)).
    NoCode,
}

impl Deviation {
    /// The stable name used in `spec/vectors/papo.toml` and JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            Deviation::Wording => "wording",
            Deviation::NotAscii => "not_ascii",
            Deviation::NoCode => "no_code",
        }
    }
}

/// What a server line means (papo §6.10). Nicknames are the reader's
/// known ones, as it knows them; texts and list entries are the line's
/// bytes, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning<'a> {
    /// The prompt (papo §6.2); only its canonical wording is read: a
    /// client knows a prompt by its position (D3).
    Prompt,
    /// The invalid-nickname notice (papo §6.9), canonical wording only.
    Notice,
    /// An online list (rule 9): its entries, as written.
    List(Vec<&'a str>),
    /// `Mensagem enviada` (rule 6).
    Ack,
    /// A private delivery (rule 4).
    Private {
        /// Who sent it.
        from: Nickname<'a>,
        /// What it says.
        text: &'a [u8],
    },
    /// An error (rules 3, 5), with any of the seed's five codes.
    Error(Code),
    /// A public delivery (rule 2).
    Public {
        /// Who sent it.
        from: Nickname<'a>,
        /// What it says.
        text: &'a [u8],
    },
    /// A user joined (rule 8).
    Join(Nickname<'a>),
    /// A user left (rule 7).
    Leave(Nickname<'a>),
    /// No meaning the reader knows (rule 10): a banner, a welcome, an echo.
    Other,
}

impl Meaning<'_> {
    /// The kind of line it is; `None` for [`Meaning::Other`].
    pub fn kind(&self) -> Option<LineKind> {
        Some(match self {
            Meaning::Prompt => LineKind::Prompt,
            Meaning::Notice => LineKind::Notice,
            Meaning::List(_) => LineKind::List,
            Meaning::Ack => LineKind::Ack,
            Meaning::Private { .. } => LineKind::Private,
            Meaning::Error(_) => LineKind::Error,
            Meaning::Public { .. } => LineKind::Public,
            Meaning::Join(_) => LineKind::Join,
            Meaning::Leave(_) => LineKind::Leave,
            Meaning::Other => return None,
        })
    }

    /// The stable name of its kind in `spec/vectors/papo.toml`: a
    /// [`LineKind`]'s, or `other`.
    pub fn name(&self) -> &'static str {
        self.kind().map_or("other", LineKind::name)
    }
}

/// What the reader expects next (papo §6.10, last paragraph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expectation<'e> {
    /// Nothing in particular: the rules in their order.
    Nothing,
    /// A kind of line: its rule is tried first.
    Kind(LineKind),
    /// This very line: its kind's rule is tried first, and a blob that
    /// reached a read boundary with no terminator and begins with the line
    /// is split after it (rule 0).
    Line(&'e ServerLine<'e>),
}

impl Expectation<'_> {
    fn kind(self) -> Option<LineKind> {
        match self {
            Expectation::Nothing => None,
            Expectation::Kind(k) => Some(k),
            Expectation::Line(l) => Some(l.kind()),
        }
    }
}

/// One server line, read by meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading<'a> {
    /// What it says.
    pub meaning: Meaning<'a>,
    /// How the line ended.
    pub terminator: Terminator,
    /// In the order of [`Deviation`], each once; empty when rule 0 read it.
    pub deviations: Vec<Deviation>,
    /// After an expected line split off a glued blob (rule 0): the bytes
    /// that followed it, to be read again. Empty otherwise.
    pub rest: &'a [u8],
}

impl Reading<'_> {
    /// Read by rule 0 from a whole line ending in LF: the canonical line.
    pub fn is_canonical(&self) -> bool {
        self.deviations.is_empty() && self.terminator == Terminator::Lf && self.rest.is_empty()
    }
}

/// Reads one server line by meaning (papo §6.10), knowing the nicknames in
/// `known` (the users the reader saw accepted) and what it `expect`s.
///
/// Rule 0 first: a line of the grammar of §6.1 whose user (a delivery's
/// sender, a join's or a leave's) is known, exactly, is that line, with no
/// deviation. Otherwise the folded line is read by rules 2–10 — the
/// expected kind's rule first —, with deviation `wording`, `not_ascii` if a
/// byte is not ASCII, and `no_code` for an error read by its words.
///
/// Errors: the input is not one line within the server limit (papo §3), or
/// is blank. Any other line means something, if only [`Meaning::Other`].
pub fn read_line<'a>(
    line: &'a [u8],
    known: &'a [Nickname<'_>],
    expect: Expectation<'_>,
) -> Result<Reading<'a>, Invalid> {
    let w = whole(line, MAX_SERVER_LEN, false)?;
    let content = w.content;
    if let Expectation::Line(expected) = expect {
        let canonical = expected.to_bytes();
        let head = &canonical[..canonical.len() - 1];
        if w.terminator == Terminator::Absent
            && content.len() > head.len()
            && content.starts_with(head)
        {
            if let Some(meaning) = canonical_meaning(&content[..head.len()], known) {
                return Ok(Reading {
                    meaning,
                    terminator: w.terminator,
                    deviations: Vec::new(),
                    rest: &content[head.len()..],
                });
            }
        }
    }
    if let Some(meaning) = canonical_meaning(content, known) {
        return Ok(Reading {
            meaning,
            terminator: w.terminator,
            deviations: Vec::new(),
            rest: &[],
        });
    }
    let reader = Reader {
        f: Fold::new(content),
        known,
    };
    let mut no_code = false;
    let meaning = expect
        .kind()
        .and_then(|k| reader.by_kind(k, &mut no_code))
        .or_else(|| reader.in_order(&mut no_code))
        .unwrap_or(Meaning::Other);
    let mut deviations = vec![Deviation::Wording];
    if !content.is_ascii() {
        deviations.push(Deviation::NotAscii);
    }
    if no_code {
        deviations.push(Deviation::NoCode);
    }
    Ok(Reading {
        meaning,
        terminator: w.terminator,
        deviations,
        rest: &[],
    })
}

/// The line's one entry of an online list written one user per line
/// (papo §6.10 rule 9): the line holds exactly one token with nickname
/// syntax (`- ana`, `ana`). A reader that has just read a list takes the
/// lines that follow within its settle time as entries while this finds
/// one.
pub fn list_entry(line: &[u8]) -> Option<&str> {
    let content = whole(line, MAX_SERVER_LEN, false).ok()?.content;
    let f = Fold::new(content);
    let mut entries = f
        .tokens
        .iter()
        .map(|&t| f.token_bytes(t))
        .filter(|b| check_syntax(b).is_ok());
    let entry = entries.next()?;
    if entries.next().is_some() {
        return None;
    }
    std::str::from_utf8(entry).ok()
}

/// Rule 0: the line of §6.1 it parses as, if its user is known exactly.
fn canonical_meaning<'a>(content: &'a [u8], known: &'a [Nickname<'_>]) -> Option<Meaning<'a>> {
    if super::line::control_at(content).is_some() {
        return None;
    }
    let exact = |n: &Nickname<'_>| {
        known
            .iter()
            .find(|k| k.as_str() == n.as_str())
            .map(Nickname::reborrow)
    };
    Some(match parse::server_line(content).ok()? {
        ServerLine::Prompt => Meaning::Prompt,
        ServerLine::Notice => Meaning::Notice,
        ServerLine::List(_) => {
            let entries = &content[LIST_LABEL.len()..];
            let entries = std::str::from_utf8(entries).ok()?;
            Meaning::List(
                entries
                    .strip_prefix(' ')
                    .map(|e| e.split(", ").collect())
                    .unwrap_or_default(),
            )
        }
        ServerLine::Ack => Meaning::Ack,
        ServerLine::Error(code) => Meaning::Error(code.into()),
        ServerLine::Private(d) => {
            let skip = PRIVATE_LABEL.len() + d.from().as_str().len() + SENDER_SEP.len();
            Meaning::Private {
                from: exact(d.from())?,
                text: &content[skip..],
            }
        }
        ServerLine::Public(d) => {
            let skip = d.from().as_str().len() + SENDER_SEP.len();
            Meaning::Public {
                from: exact(d.from())?,
                text: &content[skip..],
            }
        }
        ServerLine::Join(n) => Meaning::Join(exact(&n)?),
        ServerLine::Leave(n) => Meaning::Leave(exact(&n)?),
    })
}

/// Words after a sender in a public delivery (rule 2).
const SAID: [&str; 5] = ["disse", "diz", "escreveu", "says", "said"];
/// What ends a sender in a public delivery (rule 2).
const AFTER_SENDER: [char; 5] = [':', '>', ']', ')', '-'];
/// Words of a leave notice (rule 7). Not `quit`: welcome banners say
/// "type {quit} to exit".
const LEFT: [&str; 10] = [
    "saiu",
    "saindo",
    "sair",
    "deixou",
    "desconectou",
    "desconectado",
    "desconectada",
    "left",
    "exited",
    "disconnected",
];
/// Words of a join notice (rule 8).
const JOINED: [&str; 6] = [
    "entrou",
    "conectou",
    "chegou",
    "joined",
    "entered",
    "connected",
];
/// The seed's error texts, and others', by code (rule 5).
const ERROR_WORDS: [(Code, &[&str]); 3] = [
    (Code::NicknameInUse, &["em uso", "ja existe", "in use"]),
    (
        Code::NoSuchDestination,
        &["nao existe", "inexistente", "nao encontrad", "not found"],
    ),
    (Code::ConnectionCancelled, &["cancelamento", "forcad"]),
];

/// A folded line and the nicknames the reader knows: rules 2–10.
struct Reader<'a, 'k> {
    f: Fold<'a>,
    known: &'a [Nickname<'k>],
}

/// `text` without the leading `:`, `>`, `]`, `)`, `-`, spaces and tabs,
/// and without blanks at its end (rules 2, 4).
fn delivered(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .take_while(|&&b| matches!(b, b':' | b'>' | b']' | b')' | b'-') || is_blank(b))
        .count();
    let text = &text[start..];
    let end = text.len() - text.iter().rev().take_while(|&&b| is_blank(b)).count();
    &text[..end]
}

impl<'a> Reader<'a, '_> {
    /// The known nickname `token` is (rule 1): equal to its lower-case form;
    /// of two that are, the one written as in the line.
    fn known(&self, token: Token) -> Option<Nickname<'a>> {
        let written = self.f.token_bytes(token);
        let mut matching = self
            .known
            .iter()
            .filter(|k| self.f.is(token, &k.as_str().to_ascii_lowercase()));
        let first = matching.clone().next()?;
        let best = matching
            .find(|k| k.as_str().as_bytes() == written)
            .unwrap_or(first);
        Some(best.reborrow())
    }

    /// The first token that is a known nickname, and the nickname.
    fn first_known(&self, from: usize) -> Option<(Token, Nickname<'a>)> {
        self.f
            .tokens
            .iter()
            .filter(|t| t.from >= from)
            .find_map(|&t| self.known(t).map(|n| (t, n)))
    }

    fn is_code(&self, token: Token) -> Option<Code> {
        Code::from_digits(self.f.token_bytes(token)).filter(|_| token.to - token.from == 2)
    }

    fn skip_blanks(&self, mut i: usize) -> usize {
        while matches!(self.f.at(i), Some(' ' | '\t')) {
            i += 1;
        }
        i
    }

    /// Rule 2: a known sender first, then a mark, then the text.
    fn public(&self) -> Option<Meaning<'a>> {
        let &first = self.f.tokens.first()?;
        let from = self.known(first)?;
        if !(0..first.from).all(|i| matches!(self.f.at(i), Some(' ' | '\t' | '[' | '<' | '('))) {
            return None;
        }
        let mut i = self.skip_blanks(first.to);
        if let Some(&word) = self.f.tokens.iter().find(|t| t.from == i) {
            if SAID.iter().any(|w| self.f.is(word, w)) {
                i = self.skip_blanks(word.to);
            }
        }
        if !AFTER_SENDER.contains(&self.f.at(i)?) {
            return None;
        }
        Some(Meaning::Public {
            from,
            text: delivered(self.f.rest(i + 1)),
        })
    }

    /// Rule 3: a code first, or `erro`/`error`/`err` and a code.
    fn error_by_code(&self) -> Option<Meaning<'a>> {
        let tokens = &self.f.tokens;
        let &first = tokens.first()?;
        if let Some(code) = self.is_code(first) {
            return Some(Meaning::Error(code));
        }
        let word = ["erro", "error", "err"].iter().any(|w| self.f.is(first, w));
        let code = self.is_code(*tokens.get(1)?)?;
        word.then_some(Meaning::Error(code))
    }

    /// Rule 4: a private marker and a known nickname.
    fn private(&self) -> Option<Meaning<'a>> {
        let heading = self
            .f
            .find("recebida de", 0)
            .map(|at| at + "recebida de".len());
        let token = self
            .f
            .tokens
            .iter()
            .find(|&&t| {
                ["priv", "sussurr", "whisper"]
                    .iter()
                    .any(|p| self.f.starts(t, p))
                    || self.f.is(t, "pm")
                    || self.f.is(t, "dm")
            })
            .map(|t| t.to);
        let marker = match (heading, token) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        let (sender, from) = self.first_known(marker).or_else(|| self.first_known(0))?;
        let colon = (sender.to..self.f.len()).find(|&i| self.f.at(i) == Some(':'));
        let text = self.f.rest(colon.map_or(sender.to, |c| c + 1));
        Some(Meaning::Private {
            from,
            text: delivered(text),
        })
    }

    /// Rule 5: a code anywhere; else the seed's words (`no_code`).
    fn error_elsewhere(&self, no_code: &mut bool) -> Option<Meaning<'a>> {
        if let Some(code) = self.f.tokens.iter().find_map(|&t| self.is_code(t)) {
            return Some(Meaning::Error(code));
        }
        let (code, _) = ERROR_WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| self.f.find(w, 0).is_some()))?;
        *no_code = true;
        Some(Meaning::Error(*code))
    }

    /// Rule 6: the acknowledgement, in any words.
    fn ack(&self) -> Option<Meaning<'a>> {
        let whole = self.f.find("mensagem enviada", 0) == Some(0) && self.f.len() == 16;
        let words = ["enviad", "entregue"]
            .iter()
            .any(|w| self.f.find(w, 0).is_some());
        let token = self
            .f
            .tokens
            .iter()
            .any(|&t| ["sent", "delivered", "ok"].iter().any(|w| self.f.is(t, w)));
        (whole || words || token).then_some(Meaning::Ack)
    }

    /// Rules 7 and 8: a known nickname and one of `words`.
    fn notice(&self, words: &[&str]) -> Option<Nickname<'a>> {
        let (_, nick) = self.first_known(0)?;
        self.f
            .tokens
            .iter()
            .any(|&t| words.iter().any(|w| self.f.is(t, w)))
            .then_some(nick)
    }

    /// Rule 9: a list's heading; the entries after the last `:`.
    fn list(&self) -> Option<Meaning<'a>> {
        let heading = ["online", "conectad", "usuarios", "users", "lista"];
        self.f
            .tokens
            .iter()
            .find(|&&t| heading.iter().any(|h| self.f.starts(t, h)))?;
        let from = (0..self.f.len())
            .rev()
            .find(|&i| self.f.at(i) == Some(':'))
            .map_or(0, |c| c + 1);
        let entries = self
            .f
            .tokens
            .iter()
            .filter(|t| t.from >= from)
            .map(|&t| self.f.token_bytes(t))
            .filter(|b| check_syntax(b).is_ok())
            .filter_map(|b| std::str::from_utf8(b).ok())
            .collect();
        Some(Meaning::List(entries))
    }

    /// The rule for `kind`, tried first when it is expected.
    fn by_kind(&self, kind: LineKind, no_code: &mut bool) -> Option<Meaning<'a>> {
        match kind {
            LineKind::Public => self.public(),
            LineKind::Error => self
                .error_by_code()
                .or_else(|| self.error_elsewhere(no_code)),
            LineKind::Private => self.private(),
            LineKind::Ack => self.ack(),
            LineKind::Leave => self.notice(&LEFT).map(Meaning::Leave),
            LineKind::Join => self.notice(&JOINED).map(Meaning::Join),
            LineKind::List => self.list(),
            LineKind::Prompt | LineKind::Notice => None,
        }
    }

    /// Rules 2–9 in their order.
    fn in_order(&self, no_code: &mut bool) -> Option<Meaning<'a>> {
        self.public()
            .or_else(|| self.error_by_code())
            .or_else(|| self.private())
            .or_else(|| self.error_elsewhere(no_code))
            .or_else(|| self.ack())
            .or_else(|| self.notice(&LEFT).map(Meaning::Leave))
            .or_else(|| self.notice(&JOINED).map(Meaning::Join))
            .or_else(|| self.list())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::papo::WireCode;

    fn known() -> Vec<Nickname<'static>> {
        ["ana", "bia", "Ana"]
            .map(|n| Nickname::new(n).unwrap())
            .to_vec()
    }

    fn read<'a>(line: &'a [u8], known: &'a [Nickname<'_>]) -> Reading<'a> {
        read_line(line, known, Expectation::Nothing).unwrap()
    }

    #[test]
    fn a_glued_blob_splits_after_the_expected_line() {
        let k = known();
        let ack = ServerLine::Ack;
        let r = read_line(b"Mensagem enviadaana: oi", &k, Expectation::Line(&ack)).unwrap();
        assert_eq!((r.meaning, r.rest), (Meaning::Ack, &b"ana: oi"[..]));
        let again = read(r.rest, &k);
        assert!(matches!(again.meaning, Meaning::Public { text: b"oi", .. }));
        let r = read_line(b"Mensagem enviadaana: oi\n", &k, Expectation::Line(&ack)).unwrap();
        assert!(r.rest.is_empty(), "only a blob at a boundary is split");
        assert_eq!(r.deviations, [Deviation::Wording]);
    }

    #[test]
    fn a_nickname_written_as_known_is_preferred() {
        let k = known();
        let r = read(b"[Ana] oi", &k);
        assert_eq!(
            r.meaning,
            Meaning::Public {
                from: Nickname::new("Ana").unwrap(),
                text: b"oi"
            }
        );
        let r = read(b"[ANA] oi", &k);
        assert!(matches!(r.meaning, Meaning::Public { ref from, .. } if from.as_str() == "ana"));
    }

    #[test]
    fn expectations_reorder_the_rules() {
        let k = known();
        let line = b"[ana] erro 02";
        assert_eq!(read(line, &k).meaning.name(), "public");
        let want = Expectation::Kind(LineKind::Error);
        let r = read_line(line, &k, want).unwrap();
        assert_eq!(r.meaning, Meaning::Error(Code::NoSuchDestination));
        let canonical = ServerLine::Error(WireCode::NoSuchDestination).to_bytes();
        assert!(read(&canonical, &k).is_canonical());
    }

    #[test]
    fn list_entries_one_per_line() {
        assert_eq!(list_entry(b"- ana\n"), Some("ana"));
        assert_eq!(list_entry(b"ana"), Some("ana"));
        assert_eq!(list_entry(b"ana bia"), None);
        assert_eq!(list_entry(b"***"), None);
    }
}
