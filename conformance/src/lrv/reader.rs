//! The tolerant reader of what an LRV server sends (lrv §3, §5, §7.5): the
//! first line of a connection is the greeting, by its position (lrv §3.6);
//! every later line is a reply read by the extraction rules of lrv §7.5, so
//! human text around the values is NON-STRICT and never fatal. Lines that
//! do not begin with a reply code (a banner's second line) are stepped over
//! and reported.

use gabarito_codec::lrv::{Code, DecodeError, MAX_REPLY_LEN, Payload, Terminator, next_line};

use super::message_text::GREETING;
use super::numbering::{Reading, read_reply};
use crate::lang::{t, tr};
use crate::protocol::{Deviation, End, FieldKind, FieldValue, Frame, FrameReader, ReadItem};

#[derive(Debug, Default)]
pub struct LrvReader {
    buf: Vec<u8>,
    /// A line has been taken: the greeting's position is past.
    greeted: bool,
    /// A line over the limit is being dropped up to its LF (lrv §3.3 L3).
    discarding: bool,
    /// The endings other than LF already reported on this connection's
    /// replies: a server that answers without a terminator does so every
    /// time, and one note per connection says it (D1).
    endings_noted: Vec<Terminator>,
}

impl LrvReader {
    pub fn new() -> Self {
        LrvReader::default()
    }

    fn line_item(
        &mut self,
        raw: &[u8],
        content: &[u8],
        terminator: Terminator,
        skipped: usize,
    ) -> ReadItem {
        let mut tolerated = empty_lines(skipped);
        let first = !std::mem::replace(&mut self.greeted, true);
        match read_reply(raw) {
            Ok(x) => {
                if !self.endings_noted.contains(&terminator) {
                    self.endings_noted.push(terminator);
                    tolerated.extend(ending(terminator));
                }
                tolerated.extend(reply_deviations(&x));
                ReadItem::Frame(Frame {
                    fields: reply_fields(&x),
                    raw: raw.to_vec(),
                    tolerated,
                    preamble: false,
                    members_section: "",
                    violations: Vec::new(),
                })
            }
            // By position (lrv §3.6): whatever the first line says, it is
            // the greeting — unless it is a reply, which means the server
            // sent none (lrv §5: missing greeting; that reply is read as one).
            Err(_) if first => {
                tolerated.extend(ending(terminator));
                if std::str::from_utf8(content).is_err() {
                    tolerated.push(Deviation {
                        section: "§5".into(),
                        text: t(
                            "the greeting is not UTF-8 (D2)",
                            "a saudação não é UTF-8 (D2)",
                        )
                        .into(),
                    });
                }
                ReadItem::Frame(Frame {
                    fields: vec![
                        field("message", FieldKind::Plain, GREETING.as_bytes()),
                        field("text", FieldKind::Text, content),
                    ],
                    raw: raw.to_vec(),
                    tolerated,
                    preamble: true,
                    members_section: "",
                    violations: Vec::new(),
                })
            }
            Err(e) => ReadItem::Garbage {
                bytes: raw.to_vec(),
                why: format!(
                    "{}: {}",
                    t("not a reply", "não é uma resposta"),
                    super::error_text::invalid(&e)
                ),
                section: "§7.5".into(),
            },
        }
    }
}

impl FrameReader for LrvReader {
    fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn next(&mut self, end: End) -> Option<ReadItem> {
        if self.discarding {
            match self.buf.iter().position(|&b| b == b'\n') {
                Some(lf) => {
                    self.buf.drain(..=lf);
                    self.discarding = false;
                }
                None => {
                    self.buf.clear();
                    self.discarding = end == End::More;
                    return None;
                }
            }
        }
        if self.buf.is_empty() {
            return None;
        }
        match next_line(&self.buf, MAX_REPLY_LEN, end) {
            Ok(line) => {
                let raw = self.buf[line.skipped..line.len].to_vec();
                let content = line.content.to_vec();
                let (terminator, skipped, len) = (line.terminator, line.skipped, line.len);
                self.buf.drain(..len);
                Some(self.line_item(&raw, &content, terminator, skipped))
            }
            Err(DecodeError::Incomplete { .. }) => {
                if end == End::Boundary && self.buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                    self.buf.clear();
                }
                None
            }
            Err(DecodeError::Invalid(invalid)) => {
                // Over the limit (L3): drop what is here and the rest of
                // the line as it comes.
                let bytes: Vec<u8> = match self.buf.iter().position(|&b| b == b'\n') {
                    Some(lf) => self.buf.drain(..=lf).collect(),
                    None => {
                        self.discarding = end == End::More;
                        std::mem::take(&mut self.buf)
                    }
                };
                self.greeted = true;
                Some(ReadItem::Garbage {
                    bytes,
                    why: super::error_text::invalid(&invalid),
                    section: "§3.4".into(),
                })
            }
        }
    }

    fn pending(&self) -> &[u8] {
        &self.buf
    }

    fn closed(&mut self) -> Option<ReadItem> {
        // A boundary ends any line (L4), so nothing can be left but line
        // breaks, which carry nothing.
        self.buf.clear();
        None
    }
}

fn field(name: &'static str, kind: FieldKind, value: &[u8]) -> FieldValue {
    FieldValue {
        name,
        kind,
        value: value.to_vec(),
    }
}

/// A reply as fields: the code, then the payload in canonical form — a
/// list sorted (repeats kept, so a list that is not a set does not match),
/// the draw's number and winner, which no case knows in advance and
/// transcripts show by the names they were captured as. Numbers are the
/// target's, 0 included where its raffle starts there (D14).
fn reply_fields(r: &Reading) -> Vec<FieldValue> {
    let x = &r.extracted;
    let mut fields = vec![field("code", FieldKind::Plain, x.code.as_str().as_bytes())];
    match x.code.payload() {
        Payload::None => {}
        // The empty list is the code alone (lrv §7.3, D8).
        Payload::List if x.numbers.is_empty() => {}
        Payload::List => {
            let mut ns = r.numbers();
            ns.sort_unstable();
            let list = ns.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
            fields.push(field("numbers", FieldKind::Plain, list.as_bytes()));
        }
        Payload::Draw => {
            let number = x.number.map(|n| r.wire(n).to_string()).unwrap_or_default();
            let winner = x.winner.as_ref().map(|c| c.as_str()).unwrap_or_default();
            fields.push(field("number", FieldKind::Id, number.as_bytes()));
            fields.push(field("cpf", FieldKind::Id, winner.as_bytes()));
        }
    }
    fields
}

/// Empty lines skipped before a line (L2, D18).
fn empty_lines(skipped: usize) -> Vec<Deviation> {
    if skipped == 0 {
        return Vec::new();
    }
    vec![Deviation {
        section: "§3.3".into(),
        text: tr!(
            "{skipped} byte(s) of empty lines before the line (L2, D18)",
            "{skipped} byte(s) de linhas vazias antes da linha (L2, D18)"
        ),
    }]
}

/// A line's terminator, if it is not the canonical LF: another reading of
/// D1 (the seed's `send` writes no terminator).
fn ending(terminator: Terminator) -> Option<Deviation> {
    let text = match terminator {
        Terminator::Lf => return None,
        Terminator::CrLf => t(
            "the line ends in CRLF, not LF (D1)",
            "a linha termina em CRLF, não em LF (D1)",
        ),
        Terminator::Absent => t(
            "the line has no terminator: it ended at a pause (L4), as the seed's send() writes it (D1)",
            "a linha não tem terminador: terminou numa pausa (L4), como o send() do enunciado a escreve (D1)",
        ),
    };
    Some(Deviation {
        section: "§3.5".into(),
        text: text.into(),
    })
}

fn reply_deviations(r: &Reading) -> Vec<Deviation> {
    let mut out: Vec<Deviation> = r
        .extracted
        .deviations
        .iter()
        .map(|d| Deviation {
            section: "§7.5".into(),
            text: super::error_text::deviation(*d).to_string(),
        })
        .collect();
    if r.no_number {
        out.push(Deviation {
            section: "§7.4".into(),
            text: t(
                "the 207 names the winner but no number (a reading of the seed's \"dados do sorteio\", D9)",
                "o 207 traz o ganhador mas nenhum número (uma leitura dos \"dados do sorteio\" do enunciado, D9)",
            )
            .into(),
        });
    }
    out
}

/// The numbers of a `203` as `frame` holds them (its list field), for
/// learning where the raffle starts (`probe.rs`); `None` for another reply.
pub(super) fn available(frame: &Frame) -> Option<Vec<u32>> {
    let code = frame.fields.first()?;
    if code.value != Code::Available.as_str().as_bytes() || frame.preamble {
        return None;
    }
    let Some(list) = frame.fields.get(1) else {
        return Some(Vec::new());
    };
    std::str::from_utf8(&list.value)
        .ok()?
        .split(',')
        .map(|n| n.parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(r: &mut LrvReader, end: End) -> Vec<ReadItem> {
        std::iter::from_fn(|| r.next(end)).collect()
    }

    fn frame(item: &ReadItem) -> &Frame {
        match item {
            ReadItem::Frame(f) => f,
            other => panic!("not a frame: {other:?}"),
        }
    }

    #[test]
    fn the_first_line_is_the_greeting_by_position() {
        let mut r = LrvReader::new();
        r.push("Welcome!\n200\n".as_bytes());
        let items = drain(&mut r, End::More);
        assert_eq!(items.len(), 2);
        let g = frame(&items[0]);
        assert!(g.preamble);
        assert_eq!(g.display(), "greeting Welcome!");
        assert_eq!(frame(&items[1]).display(), "200");
        assert!(!frame(&items[1]).preamble);
    }

    #[test]
    fn a_first_line_that_is_a_reply_means_no_greeting() {
        let mut r = LrvReader::new();
        r.push(b"201\n");
        let items = drain(&mut r, End::More);
        assert!(!frame(&items[0]).preamble);
    }

    #[test]
    fn human_text_is_read_and_noted() {
        let mut r = LrvReader::new();
        r.push("Bem-vindo à compra de rifa!\n203 - Números disponíveis: 5, 1, 2\r\n".as_bytes());
        let items = drain(&mut r, End::More);
        let f = frame(&items[1]);
        assert_eq!(f.display(), "203 1,2,5");
        let sections: Vec<&str> = f.tolerated.iter().map(|d| d.section.as_str()).collect();
        assert!(
            sections.contains(&"§3.5") && sections.contains(&"§7.5"),
            "{sections:?}"
        );
    }

    #[test]
    fn an_unterminated_reply_waits_for_the_boundary() {
        let mut r = LrvReader::new();
        r.push(b"oi\n202");
        assert_eq!(drain(&mut r, End::More).len(), 1);
        let items = drain(&mut r, End::Boundary);
        assert_eq!(frame(&items[0]).display(), "202");
        assert!(r.pending().is_empty());
    }

    #[test]
    fn a_missing_terminator_is_noted_once_per_connection() {
        let mut r = LrvReader::new();
        let mut notes = Vec::new();
        for line in ["oi", "200", "202", "401"] {
            r.push(line.as_bytes());
            for item in drain(&mut r, End::Boundary) {
                notes.push(frame(&item).tolerated.len());
            }
        }
        assert_eq!(notes, [1, 1, 0, 0]);
    }

    #[test]
    fn a_banner_line_is_garbage_and_duplicates_are_kept() {
        let mut r = LrvReader::new();
        r.push(b"oi\nDigite um comando:\n208 3,3\n");
        let items = drain(&mut r, End::More);
        assert!(matches!(items[1], ReadItem::Garbage { .. }));
        assert_eq!(frame(&items[2]).display(), "208 3,3");
    }

    #[test]
    fn a_raffle_numbered_from_zero_lists_its_zero() {
        let mut r = LrvReader::new();
        r.push("Bem-vindo à compra de rifa!".as_bytes());
        assert!(frame(&drain(&mut r, End::Boundary)[0]).preamble);
        r.push(b"203-0, 1, 2, 3");
        let items = drain(&mut r, End::Boundary);
        let f = frame(&items[0]);
        assert_eq!(f.display(), "203 0,1,2,3");
        assert_eq!(available(f), Some(vec![0, 1, 2, 3]));
    }

    #[test]
    fn a_draw_naming_only_its_winner_is_noted() {
        let mut r = LrvReader::new();
        r.push(b"oi\n207 Ganhador: 52998224725\n");
        let items = drain(&mut r, End::More);
        let f = frame(&items[1]);
        assert_eq!(f.display(), "207  52998224725");
        assert!(f.tolerated.iter().any(|d| d.section == "§7.4"));
    }

    #[test]
    fn a_draw_without_winner_has_an_empty_cpf() {
        let mut r = LrvReader::new();
        r.push(b"oi\n207 Numero sorteado: 42\n");
        let items = drain(&mut r, End::More);
        let f = frame(&items[1]);
        assert_eq!(f.fields[1].value, b"42");
        assert!(f.fields[2].value.is_empty());
    }
}
