//! What a zap client must and should do, checked on what it actually sent:
//! the frame layout, pacing and line breaks (zap §3), the session rules of
//! §9.2 (log in before sending, send as yourself), read receipts only for
//! what was delivered (§7.2, D15), plausible timestamps (§4.1).
//!
//! The proxy and `serve` share these rules. Checks that need to know
//! everything the server ever assigned or delivered (read receipts, ids
//! never assigned) run only when [`Rules`] is told its [`World`] is
//! complete: true of `serve`'s fresh in-process server, not of a proxied
//! server with a past.
//!
//! Findings are written in the report's language (`--lang`); check ids,
//! severities and sections are the same in both.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gabarito_codec::zap::{Code, Message};

use super::framing::ZapFraming;
use super::sections;
use crate::lang::{t, tr};
use crate::proxy::finding::{self, CheckId, Counts, Finding, Severity};
use crate::proxy::lens;
use crate::proxy::tap::{Item, ObservedOf};

type Observed = ObservedOf<ZapFraming>;

/// One thing `serve` reports a verdict on, indexing [`CHECKS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    Framing,
    LineBreaks,
    Pacing,
    LoginFirst,
    SenderId,
    Timestamps,
    ReadReceipts,
    Recipients,
}

/// zap's checks, in [`Check`]'s order.
pub const CHECKS: &[finding::Check] = &[
    finding::Check {
        id: "framing",
        section: "§3.1 §4 §10.1",
        title: "every frame well-formed: layout, digits, UTF-8, limits",
        title_pt: "todo frame bem formado: layout, dígitos, UTF-8, limites",
    },
    finding::Check {
        id: "line-breaks",
        section: "§3.5",
        title: "no CR/LF between frames",
        title_pt: "nenhum CR/LF entre frames",
    },
    finding::Check {
        id: "pacing",
        section: "§3.2",
        title: "one frame per write; a pause after an open tail",
        title_pt: "um frame por escrita; uma pausa depois de uma cauda aberta",
    },
    finding::Check {
        id: "login-first",
        section: "§9.2",
        title: "05, 08 and 10 only after a 03",
        title_pt: "05, 08 e 10 só depois de um 03",
    },
    finding::Check {
        id: "sender-id",
        section: "§9.2",
        title: "05 src and 10 creator are the id of the 03",
        title_pt: "o src do 05 e o criador do 10 são o id do 03",
    },
    finding::Check {
        id: "timestamps",
        section: "§4.1",
        title: "timestamps are POSIX seconds near now",
        title_pt: "timestamps são segundos POSIX perto de agora",
    },
    finding::Check {
        id: "read-receipts",
        section: "§7.2 D15",
        title: "08 only for messages delivered to this client",
        title_pt: "08 só para mensagens entregues a este cliente",
    },
    finding::Check {
        id: "recipients",
        section: "§6.1 §8.1",
        title: "05 and 10 name ids the server assigned",
        title_pt: "05 e 10 citam ids que o servidor atribuiu",
    },
];

impl CheckId for Check {
    fn id(self) -> &'static str {
        CHECKS[self as usize].id
    }
}

/// What the server assigned and delivered, across every connection.
#[derive(Debug, Default)]
pub struct World {
    assigned: HashSet<String>,
    /// reader → originator → the smallest timestamp delivered.
    delivered: HashMap<String, HashMap<String, u64>>,
}

/// The rules, applied to one connection.
#[derive(Debug)]
pub struct Rules {
    world: Arc<Mutex<World>>,
    complete: bool,
    settle: Duration,
    online_as: Option<String>,
    /// The id the server assigned on this connection (its last 02): the
    /// seed lets a client stay connected after registering and send as it
    /// (D10's other reading).
    registered: Option<String>,
    prev: Option<Prev>,
    checked: Counts,
}

/// The client item before this one, for the pacing rules.
#[derive(Debug, Clone, Copy)]
struct Prev {
    /// The code and last byte of a 05 or 10, whose tail only a pause, a
    /// limit or a glued header ends (zap §3.4).
    open_tail: Option<(Code, u8)>,
    last_at: tokio::time::Instant,
    /// It was no frame: what is glued to it is most likely more of the same
    /// garbage, already reported.
    invalid: bool,
}

/// Timestamps further than this from the clock earn a warning.
const CLOCK_SLACK_SECS: u64 = 24 * 3600;

impl Rules {
    /// `complete`: `world` sees everything the server ever assigned and
    /// delivered (a fresh server that only this process talks to).
    pub fn new(world: Arc<Mutex<World>>, complete: bool, settle: Duration) -> Rules {
        Rules {
            world,
            complete,
            settle,
            online_as: None,
            registered: None,
            prev: None,
            checked: Counts::default(),
        }
    }

    /// Records what the server told this client: ids it assigned (§5.2,
    /// §8.2) and messages it delivered (§6.2).
    pub fn server(&mut self, o: &Observed) {
        let Some(d) = o.frame() else { return };
        let Ok(mut world) = self.world.lock() else {
            return;
        };
        match &d.message {
            Message::Registered { id } => {
                world.assigned.insert(id.to_string());
                self.registered = Some(id.to_string());
            }
            Message::GroupCreated { group, .. } => {
                world.assigned.insert(group.to_string());
            }
            Message::Deliver(c) => {
                if let Some(reader) = &self.online_as {
                    let ts = c.timestamp.secs();
                    let min = world
                        .delivered
                        .entry(reader.clone())
                        .or_default()
                        .entry(c.src.to_string())
                        .or_insert(ts);
                    *min = (*min).min(ts);
                }
            }
            _ => {}
        }
    }

    /// Checks an item the client sent.
    pub fn client(&mut self, o: &Observed) -> Vec<Finding> {
        let mut out = Vec::new();
        if matches!(o.item, Item::Breaks) {
            out.push(self.found(
                Check::LineBreaks,
                Severity::NonStrict,
                "§3.5",
                tr!(
                    "{} line-break byte(s) after the last frame",
                    "{} byte(s) de quebra de linha depois do último frame",
                    o.raw.len()
                ),
            ));
            return out;
        }
        let after_garbage = o.glued && self.prev.is_some_and(|p| p.invalid);
        if after_garbage && matches!(o.item, Item::Incomplete) {
            // The bytes that resync (zap §3.6) kept because they could begin
            // a frame, cut by the close: the garbage before them is the fault.
            return out;
        }
        self.count(Check::Framing);
        if !after_garbage {
            self.pacing(o, &mut out);
        }
        match &o.item {
            Item::Invalid(i) => out.push(self.found(
                Check::Framing,
                Severity::Fail,
                sections::of_fault(i.kind),
                tr!(
                    "{}; a strict server closes the connection, a tolerant one skips {} byte(s) (§3.6)",
                    "{}; um servidor estrito fecha a conexão, um tolerante pula {} byte(s) (§3.6)",
                    crate::zap::error_text::invalid(i),
                    o.raw.len()
                ),
            )),
            Item::Incomplete => out.push(self.found(
                Check::Framing,
                Severity::Fail,
                "§3.1, §3.4 R2",
                tr!(
                    "the client closed in the middle of a frame: {} byte(s) of a valid beginning",
                    "o cliente fechou no meio de um frame: {} byte(s) de um começo válido",
                    o.raw.len()
                ),
            )),
            Item::Breaks => {}
            Item::Frame(d) => {
                self.count(Check::LineBreaks);
                if d.skipped > 0 {
                    out.push(self.found(
                        Check::LineBreaks,
                        Severity::NonStrict,
                        "§3.5",
                        tr!(
                            "{} line-break byte(s) before the frame",
                            "{} byte(s) de quebra de linha antes do frame",
                            d.skipped
                        ),
                    ));
                }
                if d.padding.nul_bytes > 0 {
                    out.push(self.found(
                        Check::Framing,
                        Severity::NonStrict,
                        "§3.3",
                        tr!(
                            "data padded with {} NUL byte(s)",
                            "data completado com {} byte(s) NUL de enchimento",
                            d.padding.nul_bytes
                        ),
                    ));
                }
                if d.padding.zero_members > 0 {
                    out.push(self.found(
                        Check::Framing,
                        Severity::NonStrict,
                        "§3.3",
                        tr!(
                            "member list padded with {} zero id(s)",
                            "lista de membros completada com {} id(s) zero de enchimento",
                            d.padding.zero_members
                        ),
                    ));
                }
                self.message(&d.message, &mut out);
            }
        }
        self.prev = Some(Prev {
            open_tail: o.frame().and_then(|d| match d.message.code() {
                c @ (Code::Send | Code::CreateGroup) => o.raw.last().map(|b| (c, *b)),
                _ => None,
            }),
            last_at: o.last_at,
            invalid: matches!(o.item, Item::Invalid(_)),
        });
        out
    }

    /// zap §3.2: one frame per write, and after a 05/10 a pause longer than
    /// the receiver's settle time before a 01 or when the tail ends in a
    /// digit that could begin a header.
    fn pacing(&mut self, o: &Observed, out: &mut Vec<Finding>) {
        if let Some(prev) = self.prev {
            self.count(Check::Pacing);
            if o.glued {
                out.push(self.found(
                    Check::Pacing,
                    Severity::NonStrict,
                    "§3.2",
                    t(
                        "glued to the previous frame in one read: a server that takes one recv() \
                         for one frame loses it (write one frame per write, then pause a few ms)",
                        "colado ao frame anterior numa só leitura: um servidor que toma um recv() \
                         por frame o perde (escreva um frame por escrita e pause alguns ms)",
                    )
                    .into(),
                ));
            }
            let code = o.frame().map(|d| d.message.code());
            if let Some((tail_code, last)) = prev.open_tail {
                let gap = o.first_at.saturating_duration_since(prev.last_at);
                let risky = code == Some(Code::Register) || matches!(last, b'0' | b'1');
                if risky && gap < self.settle {
                    let why = if code == Some(Code::Register) {
                        t(
                            "a 01 has no header digits, so nothing tells the receiver the tail ended",
                            "um 01 não tem dígitos de cabeçalho, então nada diz ao receptor que a cauda acabou",
                        )
                        .to_string()
                    } else {
                        tr!(
                            "the tail ends in '{}', which with the next bytes can look like a header",
                            "a cauda termina em '{}', que com os bytes seguintes pode parecer um cabeçalho",
                            char::from(last)
                        )
                    };
                    out.push(self.found(
                        Check::Pacing,
                        Severity::NonStrict,
                        "§3.2",
                        tr!(
                            "sent {:.1} ms after the {tail_code}, within the receiver's settle time \
                             ({} ms): {why}",
                            "enviado {:.1} ms depois do {tail_code}, dentro do tempo de pausa do \
                             receptor (settle, {} ms): {why}",
                            gap.as_secs_f64() * 1000.0,
                            self.settle.as_millis()
                        ),
                    ));
                }
            }
        }
        // A read that began inside a 05/10's tail with what looks like a
        // client code: most likely a frame written right after it, which
        // every receiver took as part of the tail.
        if let Some(d) = o.frame() {
            let header = match d.message.code() {
                Code::Send => 38,
                Code::CreateGroup => 25,
                _ => return,
            };
            let starts_frame = |p: usize| {
                o.raw.get(p..p + 2).is_some_and(|c| {
                    Code::from_bytes([c[0], c[1]])
                        .is_some_and(|c| c.direction() == gabarito_codec::zap::Direction::ToServer)
                })
            };
            if let Some(&p) = o
                .splits
                .iter()
                .find(|&&p| p >= d.skipped + header && starts_frame(p))
            {
                out.push(self.found(
                    Check::Pacing,
                    Severity::NonStrict,
                    "§3.2",
                    tr!(
                        "a new write began at byte {p} of this {}'s tail with \"{}\": if that was \
                         the next frame, it came within the settle time and was read as part of \
                         the tail",
                        "uma nova escrita começou no byte {p} da cauda deste {} com \"{}\": se era \
                         o próximo frame, ele veio dentro do tempo de pausa (settle) e foi lido como \
                         parte da cauda",
                        d.message.code(),
                        gabarito_codec::escape::escape_excerpt(&o.raw[p..], 6)
                    ),
                ));
            }
        }
    }

    fn message(&mut self, m: &Message<'_>, out: &mut Vec<Finding>) {
        let code = m.code();
        match m {
            Message::Register => {}
            Message::Connect { id } => {
                if self.complete && !self.assigned(id.as_str()) {
                    out.push(self.found(
                        Check::LoginFirst,
                        Severity::Warn,
                        "§5.3, §10.2",
                        tr!(
                            "03 names {id}, which this server never assigned: it ignores the 03 \
                             (a fresh server: register with 01 first)",
                            "o 03 cita {id}, que este servidor nunca atribuiu: ele ignora o 03 \
                             (um servidor novo: registre-se com 01 antes)"
                        ),
                    ));
                }
                self.online_as = Some(id.to_string());
            }
            Message::Send(c) => {
                if self.logged_in(code, out) {
                    self.sender(code, "src", c.src.as_str(), out);
                }
                self.timestamp(c.timestamp.secs(), out);
                self.recipients(code, [c.dst.as_str()], out);
            }
            Message::Read { src, timestamp } if self.logged_in(code, out) => {
                self.receipt(src.as_str(), timestamp.secs(), out);
            }
            Message::CreateGroup {
                creator,
                timestamp,
                members,
            } => {
                if self.logged_in(code, out) {
                    self.sender(code, "creator", creator.as_str(), out);
                }
                self.timestamp(timestamp.secs(), out);
                let ids: Vec<String> = members.iter().map(|m| m.to_string()).collect();
                self.recipients(code, ids.iter().map(String::as_str), out);
            }
            // An 08 before any 03 (already reported by `logged_in`), or a
            // server's code, which the tap never decodes from a client.
            _ => {}
        }
    }

    /// zap §9.2: in the unregistered state 05, 08 and 10 are ignored —
    /// but a connection that registered may send as its new id without a
    /// 03 (seed 001: "pode já ficar conectado ao servidor"; D10).
    fn logged_in(&mut self, code: Code, out: &mut Vec<Finding>) -> bool {
        self.count(Check::LoginFirst);
        if self.online_as.is_some() {
            return true;
        }
        if let Some(id) = self.registered.clone() {
            out.push(self.found(
                Check::LoginFirst,
                Severity::NonStrict,
                "§9.2, D10",
                tr!(
                    "{code} right after the 02, without a 03: the seed lets a client stay \
                     connected after registering, and the reference server takes it as from \
                     {id}; a server that reads D10 as the spec does ignores it (send 03 {id} first)",
                    "{code} logo depois do 02, sem 03: o enunciado deixa o cliente ficar \
                     conectado depois de se registrar, e o servidor de referência o aceita como \
                     de {id}; um servidor que lê a D10 como a especificação o ignora (envie 03 \
                     {id} antes)"
                ),
            ));
            self.online_as = Some(id);
            return true;
        }
        out.push(self.found(
            Check::LoginFirst,
            Severity::Fail,
            "§9.2",
            tr!(
                "{code} before any 03 on this connection: the server ignores it",
                "{code} antes de qualquer 03 nesta conexão: o servidor o ignora"
            ),
        ));
        false
    }

    /// zap §9.2: a different sender is a spoofing attempt, ignored.
    fn sender(&mut self, code: Code, field: &str, id: &str, out: &mut Vec<Finding>) {
        self.count(Check::SenderId);
        let Some(me) = self.online_as.clone() else {
            return;
        };
        if id != me {
            out.push(self.found(
                Check::SenderId,
                Severity::Fail,
                "§9.2",
                tr!(
                    "{code} {field} {id} is not {me}, the id this connection sent in 03: a \
                     spoofed sender, ignored by the server",
                    "{code} {field} {id} não é {me}, o id que esta conexão enviou no 03: um \
                     remetente falsificado, ignorado pelo servidor"
                ),
            ));
        }
    }

    /// zap §4.1: not checked against any clock, but a receiver shows it.
    fn timestamp(&mut self, secs: u64, out: &mut Vec<Finding>) {
        self.count(Check::Timestamps);
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let off = now.abs_diff(secs);
        if off > CLOCK_SLACK_SECS {
            let side = if secs < now {
                t("before", "antes do")
            } else {
                t("after", "depois do")
            };
            out.push(self.found(
                Check::Timestamps,
                Severity::Warn,
                "§4.1",
                tr!(
                    "timestamp {secs:010} is {:.1} days {side} this machine's clock: receivers \
                     show it as the time sent (POSIX seconds; zap checks it against no clock)",
                    "o timestamp {secs:010} está {:.1} dias {side} relógio desta máquina: quem \
                     recebe o mostra como a hora do envio (segundos POSIX; o zap não o confere \
                     com relógio nenhum)",
                    off as f64 / 86400.0
                ),
            ));
        }
    }

    /// zap §7.2, D15: an 08 is forwarded only if a 06 from `src` with a
    /// timestamp at most the 08's was delivered to this reader.
    fn receipt(&mut self, src: &str, ts: u64, out: &mut Vec<Finding>) {
        if !self.complete {
            return;
        }
        self.count(Check::ReadReceipts);
        let Some(reader) = self.online_as.clone() else {
            return;
        };
        let earliest = self.world.lock().ok().and_then(|w| {
            w.delivered
                .get(&reader)
                .and_then(|by_src| by_src.get(src))
                .copied()
        });
        let text = match earliest {
            Some(min) if min <= ts => return,
            Some(min) => tr!(
                "08 for messages from {src} up to {ts:010}, but the first 06 from {src} delivered \
                 to {reader} is stamped {min:010}: the server ignores it",
                "08 para mensagens de {src} até {ts:010}, mas o primeiro 06 de {src} entregue a \
                 {reader} tem o timestamp {min:010}: o servidor o ignora"
            ),
            None => tr!(
                "08 for messages from {src}, but no 06 from {src} was delivered to {reader}: the \
                 server ignores it",
                "08 para mensagens de {src}, mas nenhum 06 de {src} foi entregue a {reader}: o \
                 servidor o ignora"
            ),
        };
        // D15 is the spec's choice (the seed says only that the server
        // "deverá gerar" a 09): another reading, not a broken assignment.
        out.push(self.found(Check::ReadReceipts, Severity::NonStrict, "§7.2, D15", text));
    }

    /// zap §6.1, §8.1: messages to ids nobody has are ignored.
    fn recipients<'i>(
        &mut self,
        code: Code,
        ids: impl IntoIterator<Item = &'i str>,
        out: &mut Vec<Finding>,
    ) {
        if !self.complete {
            return;
        }
        self.count(Check::Recipients);
        let unknown: Vec<&str> = ids.into_iter().filter(|id| !self.assigned(id)).collect();
        if !unknown.is_empty() {
            let section = if code == Code::Send { "§6.1" } else { "§8.1" };
            out.push(self.found(
                Check::Recipients,
                Severity::Warn,
                section,
                tr!(
                    "{code} names {}, never assigned by this server: it ignores the {code}",
                    "o {code} cita {}, nunca atribuído(s) por este servidor: ele ignora o {code}",
                    unknown.join(", ")
                ),
            ));
        }
    }

    fn assigned(&self, id: &str) -> bool {
        self.world
            .lock()
            .map(|w| w.assigned.contains(id))
            .unwrap_or(true)
    }

    fn count(&mut self, check: Check) {
        self.checked.count(check);
    }

    fn found(
        &self,
        check: Check,
        severity: Severity,
        section: &'static str,
        text: String,
    ) -> Finding {
        check.found(severity, section, text)
    }
}

impl lens::Rules for Rules {
    type Framing = ZapFraming;

    fn client(&mut self, o: &Observed) -> Vec<Finding> {
        Rules::client(self, o)
    }

    /// The server's frames teach the rules; they say nothing of them.
    fn server(&mut self, o: &Observed) -> Vec<Finding> {
        Rules::server(self, o);
        Vec::new()
    }

    fn checked(&self, id: &str) -> usize {
        self.checked.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::relay::Side;
    use crate::proxy::tap::Tap;
    use tokio::time::Instant;

    fn judge(
        rules: &mut Rules,
        tap: &mut Tap<ZapFraming>,
        from: Side,
        bytes: &[u8],
    ) -> Vec<Finding> {
        let items = tap.read(from, bytes);
        let mut out = Vec::new();
        for o in &items {
            match from {
                Side::Client => out.extend(rules.client(o)),
                Side::Server => rules.server(o),
            }
        }
        out
    }

    fn fresh() -> (Rules, Tap<ZapFraming>) {
        let world = Arc::new(Mutex::new(World::default()));
        (
            Rules::new(world, true, Duration::from_millis(20)),
            Tap::<ZapFraming>::default(),
        )
    }

    #[test]
    fn a_05_right_after_the_02_is_another_reading_not_a_failure() {
        let (mut rules, mut tap) = fresh();
        judge(&mut rules, &mut tap, Side::Server, b"022000000000001");
        // A timestamp of now, so the clock check has nothing to say.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let early = format!("0520000000000012000000000001{now:010}oi");
        let found = judge(&mut rules, &mut tap, Side::Client, early.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].check, found[0].severity),
            (Check::LoginFirst.id(), Severity::NonStrict)
        );
        // Without a 02 on this connection it is ignored by every server.
        let (mut rules, mut tap) = fresh();
        let found = judge(
            &mut rules,
            &mut tap,
            Side::Client,
            b"05200000000000120000000000011700000000oi",
        );
        assert_eq!(found[0].severity, Severity::Fail, "{found:?}");
    }

    #[test]
    fn a_receipt_is_judged_against_what_was_delivered() {
        let (mut rules, mut tap) = fresh();
        judge(&mut rules, &mut tap, Side::Server, b"022000000000001");
        assert!(judge(&mut rules, &mut tap, Side::Client, b"032000000000001").is_empty());
        let early = judge(
            &mut rules,
            &mut tap,
            Side::Client,
            b"0820000000000021700000005",
        );
        assert_eq!(early.len(), 1, "{early:?}");
        assert_eq!(
            (early[0].check, early[0].severity),
            (Check::ReadReceipts.id(), Severity::NonStrict),
            "D15 is a decision, not the seed"
        );
        judge(
            &mut rules,
            &mut tap,
            Side::Server,
            b"06200000000000220000000000011700000005oi",
        );
        let read = judge(
            &mut rules,
            &mut tap,
            Side::Client,
            b"0820000000000021700000009",
        );
        assert!(read.is_empty(), "{read:?}");
        let before = judge(
            &mut rules,
            &mut tap,
            Side::Client,
            b"0820000000000021700000001",
        );
        assert!(before[0].text.contains("stamped 1700000005"), "{before:?}");
    }

    #[test]
    fn bytes_kept_after_garbage_and_cut_by_the_close_are_no_second_fault() {
        let (mut rules, mut tap) = fresh();
        let mut items = tap.push(Side::Client, b"0520000000000x1", Instant::now());
        items.extend(tap.close(Side::Client));
        assert_eq!(
            items.len(),
            2,
            "garbage, then the '1' resync kept: {items:?}"
        );
        let findings: Vec<Finding> = items.iter().flat_map(|o| rules.client(o)).collect();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].check, Check::Framing.id());
        assert!(findings[0].text.starts_with("byte 13: src"), "{findings:?}");
    }
}
