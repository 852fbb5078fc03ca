//! Running one case against a target.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::time::Instant;

use super::conn::{Conn, Event};
use super::matching::{match_frame, split_text_tail};
use super::options::RunOptions;
use super::restart::Restart;
use super::result::{CaseResult, Dir, Exchange, Failure, Note};
use crate::lang::{Lang, t};
use crate::protocol::{FieldKind, Frame, Protocol, ReadItem};
use crate::script::template::{Piece, Template, Vars};
use crate::script::{Alt, Case, ExpectMode, Level, Outcome, Payload, Step, StepKind};
use crate::verdict::Verdict;

/// What one case keeps of a target that streams garbage or floods notes
/// (the target controls the volume): notes, exchange entries, and bytes of
/// any one entry. What is cut is counted and said in one closing line.
const MAX_NOTES: usize = 100;
const MAX_EXCHANGE: usize = 300;
const MAX_ENTRY_BYTES: usize = 4096;
const MAX_EXCHANGE_BYTES: usize = 64 * 1024;

/// How a step ended the case early.
enum Stop {
    Fail(Failure),
    /// The case checks a spec decision and the target took another reading
    /// the seed allows: NON-STRICT, FAIL only with `--strict`.
    OtherReading(Failure),
    Error(Failure),
    Unimplemented(Failure),
}

type StepResult = Result<(), Stop>;

struct Runner<'a> {
    case: &'a Case,
    protocol: &'a dyn Protocol,
    target: SocketAddr,
    opts: &'a RunOptions,
    restart: Option<&'a dyn Restart>,
    conns: BTreeMap<String, Conn>,
    vars: Vars,
    notes: Vec<Note>,
    exchange: Vec<Exchange>,
    transcript: Vec<String>,
    started: Instant,
    line: usize,
    source: String,
    /// The target closed one of the case's connections: a server that
    /// crashes looks like one that closes, so the suite then checks it is
    /// still up.
    target_closed: bool,
    /// `restart` steps done, so the suite can tell them from a revival.
    restarts: u64,
    /// How often each `count NAME` alternative happened.
    counts: BTreeMap<String, u64>,
    /// `CONN ignore MESSAGE` patterns in force, per connection.
    ignores: BTreeMap<String, Vec<Vec<Template>>>,
    /// The step running now sets the case up (it stands before `check`):
    /// if it fails, the case could not be set up.
    in_setup: bool,
    /// The `for` block running now stands before `check`.
    loop_setup: bool,
    /// A message the case expects arrived with its code and ids nobody in
    /// the case has, where the protocol defines its layout: a decision
    /// chooses whether and when a message is sent, never what a message
    /// of the seed looks like, so this is no other reading.
    misshapen: bool,
    /// The section defining that message's layout, when the protocol names
    /// one (`Protocol::layout_section`).
    misshapen_layout: Option<&'static str>,
    /// Notes and exchange entries past the bounds, and bytes cut from
    /// entries: said once at the end, not kept.
    cut: (usize, usize, usize),
}

/// Runs `case` on its own connections to `target`.
pub async fn run_case(
    case: &Case,
    protocol: &dyn Protocol,
    target: SocketAddr,
    opts: &RunOptions,
    restart: Option<&dyn Restart>,
) -> CaseResult {
    let started = Instant::now();
    let mut r = Runner {
        case,
        protocol,
        target,
        opts,
        restart,
        conns: BTreeMap::new(),
        vars: protocol.presets(),
        notes: Vec::new(),
        exchange: Vec::new(),
        transcript: Vec::new(),
        started,
        line: case.line,
        source: String::new(),
        target_closed: false,
        restarts: 0,
        counts: BTreeMap::new(),
        ignores: BTreeMap::new(),
        in_setup: false,
        loop_setup: false,
        misshapen: false,
        misshapen_layout: None,
        cut: (0, 0, 0),
    };
    let outcome = match tokio::time::timeout(opts.case_timeout, r.steps()).await {
        Ok(o) => o,
        Err(_) => Err(Stop::Error(Failure {
            line: r.line,
            step: r.source.clone(),
            expected: match crate::lang::current() {
                Lang::En => format!("the case to finish within {}s", opts.case_timeout.as_secs()),
                Lang::PtBr => format!("o caso terminar em até {}s", opts.case_timeout.as_secs()),
            },
            actual: t(
                "it was still running (the target stopped answering?)",
                "ainda estava rodando (o alvo parou de responder?)",
            )
            .into(),
        })),
    };
    for (_, c) in std::mem::take(&mut r.conns) {
        c.close().await;
    }
    let outcome = r.attribute(outcome);
    r.say_what_was_cut();
    let (verdict, failure) = match outcome {
        Ok(()) if r.notes.is_empty() => (Verdict::Pass, None),
        Ok(()) if opts.strict => {
            let n = &r.notes[0];
            let f = Failure {
                line: n.line,
                step: "(--strict)".into(),
                expected: t("strict conformance", "conformidade estrita").into(),
                actual: format!("{} {}", n.section, n.text),
            };
            (Verdict::Fail, Some(f))
        }
        Ok(()) => (Verdict::NonStrict, None),
        Err(Stop::Fail(f)) => (Verdict::Fail, Some(f)),
        Err(Stop::OtherReading(f)) if opts.strict => (Verdict::Fail, Some(f)),
        Err(Stop::OtherReading(f)) => (Verdict::NonStrict, Some(f)),
        Err(Stop::Error(f)) => (Verdict::Error, Some(f)),
        Err(Stop::Unimplemented(f)) => (Verdict::Unimplemented, Some(f)),
    };
    CaseResult {
        id: case.id.clone(),
        title: case.title.clone(),
        file: case.file.clone(),
        line: case.line,
        spec: case.spec.clone(),
        authority: case.authority.clone(),
        why: case.why.clone(),
        pt_br: case.pt_br.clone(),
        verdict,
        notes: r.notes,
        failure,
        exchange: r.exchange,
        transcript: r.transcript,
        duration: started.elapsed(),
        target_closed: r.target_closed,
        restarts: r.restarts,
        target_output: None,
    }
}

impl Runner<'_> {
    /// Whose fault a failure is (docs/ARCHITECTURE.md, "Authority"): a
    /// set-up step that fails means the case could not test its requirement
    /// (ERROR, "could not set up"); a case that only checks spec decisions
    /// fails as another reading (NON-STRICT naming the decisions).
    fn attribute(&mut self, outcome: StepResult) -> StepResult {
        let Err(Stop::Fail(mut f)) = outcome else {
            return outcome;
        };
        if self.in_setup {
            f.expected = format!(
                "{} {}",
                t(
                    "(could not set up the case)",
                    "(não foi possível preparar o caso)"
                ),
                f.expected
            );
            return Err(Stop::Error(f));
        }
        // One case, one requirement: a message of the wrong shape is the
        // failure of the case about its layout, not of this one.
        if let Some(layout) = self
            .misshapen_layout
            .filter(|l| self.misshapen && self.case.spec.first().map(String::as_str) != Some(l))
        {
            f.actual = format!(
                "{}\n{}",
                f.actual,
                match crate::lang::current() {
                    Lang::En => format!(
                        "(the message arrived with another layout: the case about {layout} grades that; this one cannot see its own requirement through it)"
                    ),
                    Lang::PtBr => format!(
                        "(a mensagem chegou com outro layout: o caso sobre {layout} avalia isso; este não consegue ver o seu requisito através dela)"
                    ),
                }
            );
            return Err(Stop::Error(f));
        }
        let authority = &self.case.authority;
        if authority.decision_only() && !self.misshapen {
            let names = authority.decisions.join(", ");
            let section = self.case.spec.first().cloned().unwrap_or_default();
            self.note(
                &section,
                match crate::lang::current() {
                    Lang::En => format!(
                        "decision {names} of the spec not followed; the seed allows the reading this target took"
                    ),
                    Lang::PtBr => format!(
                        "decisão {names} da especificação não seguida; o enunciado permite a leitura que este alvo fez"
                    ),
                },
            );
            return Err(Stop::OtherReading(f));
        }
        Err(Stop::Fail(f))
    }

    /// Marks the case when `frame` has the code of an expected message but
    /// its fields are not the case's (see `misshapen`).
    fn note_misshapen(&mut self, frame: &Frame, alts: &[Alt]) {
        let code = frame.fields.first().map(|f| f.value.as_slice());
        let same_code = alts.iter().any(|a| match &a.what {
            Outcome::Message(p) => {
                p.first().and_then(|c| c.render(&self.vars).ok()).as_deref() == code
            }
            _ => false,
        });
        // An id nobody in the case has: the fields are cut elsewhere than
        // the layout says (a 06 carrying a whole 05), not merely another
        // message of the case (out of order, to the wrong user).
        let unknown_id = frame.fields.iter().any(|f| {
            matches!(f.kind, FieldKind::Id | FieldKind::Member)
                && !self.vars.values().any(|v| *v == f.value)
        });
        let layout = self.protocol.layout_section(frame);
        if same_code && unknown_id && layout.is_some() {
            self.misshapen = true;
            self.misshapen_layout = layout;
        }
    }

    /// Whether `frame` on `conn` is one the case said to step over
    /// (`CONN ignore MESSAGE`): logged in the exchange, kept out of the
    /// transcript (how many there are is the target's reading, not the
    /// case's requirement).
    fn ignored(&mut self, conn: &str, frame: &Frame) -> bool {
        let hit = self.ignores.get(conn).is_some_and(|patterns| {
            patterns
                .iter()
                .any(|p| match_frame(p, frame, &self.vars).is_ok())
        });
        if hit {
            self.log(
                conn,
                Dir::Received,
                format!("{} ({})", frame.display(), t("ignored", "ignorado")),
                frame.raw.clone(),
            );
        }
        hit
    }

    /// A frame that breaks a rule of the seed the case grades (D17): a
    /// FAIL in the case whose own (first) section it is, nothing elsewhere.
    fn violation(&self, frame: &Frame) -> StepResult {
        // The first section a case cites is its own: a rule of the seed
        // is failed once, in the case that grades it.
        match frame
            .violations
            .iter()
            .find(|v| self.case.spec.first() == Some(&v.section))
        {
            Some(v) => Err(Stop::Fail(self.failure(
                &format!("{} ({})", t("a valid frame", "um frame válido"), v.section),
                &format!("{}\n({})", frame.display(), v.text),
            ))),
            None => Ok(()),
        }
    }

    /// The frame, or its head when its text tail holds what an alternative
    /// expects and then more ([`split_text_tail`]): the bytes after it are
    /// read again, as the next items on `conn`.
    fn cut_glued(&mut self, conn: &str, frame: Frame, alts: &[Alt]) -> Frame {
        let vars = &self.vars;
        let cut = alts.iter().find_map(|alt| match &alt.what {
            Outcome::Message(p) if match_frame(p, &frame, vars).is_err() => {
                split_text_tail(p, &frame, vars)
                    .filter(|(head, _)| match_frame(p, head, vars).is_ok())
            }
            _ => None,
        });
        let Some((head, rest)) = cut else {
            return frame;
        };
        self.reread(conn, None, &rest);
        head
    }

    /// Puts `first` and what `rest` reads as back at the head of `conn`,
    /// in order: bytes the harness cut out of an item, to be read again.
    fn reread(&mut self, conn: &str, first: Option<ReadItem>, rest: &[u8]) {
        let mut reader = self.protocol.reader();
        reader.push(rest);
        let mut items: Vec<ReadItem> = first.into_iter().collect();
        items.extend(std::iter::from_fn(|| {
            reader.next(crate::protocol::End::Boundary)
        }));
        if !reader.pending().is_empty() {
            items.push(ReadItem::Garbage {
                bytes: reader.pending().to_vec(),
                why: t(
                    "an incomplete frame glued after what was expected",
                    "um frame incompleto colado depois do que se esperava",
                )
                .into(),
                section: "§3.4".into(),
            });
        }
        if let Some(c) = self.conns.get_mut(conn) {
            for item in items.into_iter().rev() {
                c.unread(Event::Item(item));
            }
        }
    }

    /// Garbage that holds, byte for byte, a message the case expects (a
    /// banner with no line break glued to a stored 09 and an invented
    /// `04<id>`): the harness knows what it waits for, so it reads the
    /// bytes with that expectation (issue 13, "show only what was sent").
    /// The expected message and what follows it are read again, in order;
    /// what comes before it is returned as the garbage it is. `None` when
    /// nothing is left before it.
    fn rescue(&mut self, conn: &str, bytes: Vec<u8>, alts: &[Alt]) -> Option<Vec<u8>> {
        let wanted: Vec<Vec<u8>> = alts
            .iter()
            .filter_map(|a| match &a.what {
                Outcome::Message(p) => p
                    .iter()
                    .map(|t| t.render(&self.vars))
                    .collect::<Result<Vec<_>, _>>()
                    .ok()
                    .and_then(|fields| self.protocol.encode(&fields).ok()),
                _ => None,
            })
            .filter(|w| !w.is_empty())
            .collect();
        let found = wanted.iter().find_map(|w| {
            bytes
                .windows(w.len())
                .position(|win| win == w.as_slice())
                .map(|at| (at, w.len()))
        });
        let Some((at, len)) = found else {
            return Some(bytes);
        };
        let frame = self
            .protocol
            .describe(&bytes[at..at + len])
            .map(ReadItem::Frame);
        self.reread(conn, frame, &bytes[at + len..]);
        (at > 0).then(|| bytes[..at].to_vec())
    }

    /// The case's steps; a `for` block runs its body once per value.
    async fn steps(&mut self) -> StepResult {
        let case = self.case;
        let mut start = 0;
        for (i, step) in case.steps.iter().enumerate() {
            let StepKind::For {
                var,
                from,
                to,
                body,
            } = &step.kind
            else {
                continue;
            };
            self.run_seq(&case.steps[start..i]).await?;
            start = i + 1;
            self.line = step.line;
            self.source = step.source.clone();
            self.in_setup = step.setup;
            let (from, to) = (self.bound(from)?, self.bound(to)?);
            self.loop_setup = step.setup;
            for n in from..=to {
                self.vars.insert(var.clone(), n.to_string().into_bytes());
                self.run_seq(body).await?;
            }
            self.loop_setup = false;
        }
        self.run_seq(&case.steps[start..]).await
    }

    /// A `for` bound: a template that renders to a decimal number.
    fn bound(&self, bound: &Template) -> Result<u64, Stop> {
        let text = bound
            .render(&self.vars)
            .map_err(|e| Stop::Error(self.failure(t("a loop bound", "um limite de laço"), &e)))?;
        std::str::from_utf8(&text)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                Stop::Error(self.failure(
                    t(
                        "a loop bound that is a number",
                        "um limite de laço numérico",
                    ),
                    &String::from_utf8_lossy(&text),
                ))
            })
    }

    /// Steps without `for` blocks (the parser does not nest them).
    async fn run_seq(&mut self, steps: &[Step]) -> StepResult {
        let mut i = 0;
        while i < steps.len() {
            let step = &steps[i];
            self.line = step.line;
            self.source = step.source.clone();
            self.in_setup = step.setup || self.loop_setup;
            match &step.kind {
                StepKind::Open(name) => self.open(name).await?,
                StepKind::Ignore { conn, pattern } => {
                    self.ignores
                        .entry(conn.clone())
                        .or_default()
                        .push(pattern.clone());
                }
                StepKind::Close(name) => {
                    if let Some(c) = self.conns.remove(name) {
                        c.close().await;
                    }
                    self.transcript.push(format!("close {name}"));
                    self.log(
                        name,
                        Dir::Event,
                        t("closed by the harness", "fechada pelo avaliador").into(),
                        Vec::new(),
                    );
                }
                StepKind::Reopen(name) => {
                    if let Some(c) = self.conns.remove(name) {
                        c.close().await;
                    }
                    self.transcript.push(format!("close {name}"));
                    self.open(name).await?;
                }
                StepKind::Wait(d) => tokio::time::sleep(*d).await,
                StepKind::Restart { kill } => self.restart(*kill).await?,
                StepKind::Counted { name, times } => {
                    let got = self.counts.get(name).copied().unwrap_or(0);
                    if got != *times {
                        let (expected, actual) = match crate::lang::current() {
                            Lang::En => (
                                format!("{times} time(s) one of the `count {name}` alternatives"),
                                format!("{got} time(s)"),
                            ),
                            Lang::PtBr => (
                                format!("{times} vez(es) uma das alternativas `count {name}`"),
                                format!("{got} vez(es)"),
                            ),
                        };
                        return Err(Stop::Fail(self.failure(&expected, &actual)));
                    }
                    self.transcript.push(format!("counted {name} {got}"));
                }
                StepKind::For { .. } => {
                    return Err(Stop::Error(self.failure(
                        t(
                            "a script without nested loops",
                            "um script sem laços aninhados",
                        ),
                        t(
                            "a for block inside a for block",
                            "um bloco for dentro de outro",
                        ),
                    )));
                }
                StepKind::Send { conn, payload } => self.send(conn, payload).await?,
                StepKind::Expect {
                    conn,
                    mode: ExpectMode::Next,
                    alts,
                } => self.expect(conn, alts).await?,
                StepKind::Expect {
                    conn,
                    mode: ExpectMode::Optional,
                    alts,
                } => self.expect_optional(conn, alts).await?,
                StepKind::Expect {
                    conn,
                    mode: ExpectMode::Unordered,
                    ..
                } => {
                    let mut group = Vec::new();
                    while let Some(StepKind::Expect {
                        conn: c,
                        mode: ExpectMode::Unordered,
                        alts,
                    }) = steps.get(i).map(|s| &s.kind)
                    {
                        if c != conn {
                            break;
                        }
                        group.push((steps[i].line, alts));
                        i += 1;
                    }
                    self.expect_unordered(conn, &group).await?;
                    continue;
                }
            }
            i += 1;
        }
        Ok(())
    }

    fn failure(&self, expected: &str, actual: &str) -> Failure {
        Failure {
            line: self.line,
            step: self.source.clone(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }

    fn log(&mut self, conn: &str, dir: Dir, text: String, mut raw: Vec<u8>) {
        if self.exchange.len() >= MAX_EXCHANGE {
            self.cut.1 += 1;
            return;
        }
        let kept: usize = self.exchange.iter().map(|e| e.raw.len()).sum();
        let room = MAX_ENTRY_BYTES.min(MAX_EXCHANGE_BYTES.saturating_sub(kept));
        if raw.len() > room {
            self.cut.2 += raw.len() - room;
            raw.truncate(room);
        }
        // What the target sent is shown at the time it arrived, not when
        // the script got to it.
        let arrived = match dir {
            Dir::Received => self.conns.get(conn).and_then(Conn::last_arrival),
            _ => None,
        };
        self.exchange.push(Exchange {
            at: arrived.map_or_else(
                || self.started.elapsed(),
                |at| at.saturating_duration_since(self.started),
            ),
            conn: conn.into(),
            dir,
            text,
            raw,
        });
    }

    /// Bytes that arrived on `conn` and are not yet a whole frame, for a
    /// timeout's report: "nothing" is not what happened when bytes came.
    fn held(&self, conn: &str) -> String {
        let held = self.conns.get(conn).map(Conn::held).unwrap_or_default();
        if held.is_empty() {
            return String::new();
        }
        format!(
            "; {} {} {}: \"{}\"",
            t("but", "mas"),
            held.len(),
            t(
                "byte(s) arrived that are not a whole frame",
                "byte(s) chegaram sem formar um frame inteiro"
            ),
            gabarito_codec::escape::escape_excerpt(&held, 80)
        )
    }

    fn say_what_was_cut(&mut self) {
        let (notes, entries, bytes) = self.cut;
        if notes + entries + bytes == 0 {
            return;
        }
        let text = match crate::lang::current() {
            Lang::En => format!(
                "the target sent more than a report keeps: {notes} more note(s), {entries} more exchange entries and {bytes} byte(s) of long entries were left out"
            ),
            Lang::PtBr => format!(
                "o alvo mandou mais do que um relatório guarda: {notes} nota(s), {entries} entradas da troca e {bytes} byte(s) de entradas longas ficaram de fora"
            ),
        };
        self.exchange.push(Exchange {
            at: self.started.elapsed(),
            conn: "-".into(),
            dir: Dir::Event,
            text,
            raw: Vec::new(),
        });
    }

    fn note(&mut self, section: &str, text: String) {
        if self.notes.len() >= MAX_NOTES {
            self.cut.0 += 1;
            return;
        }
        self.notes.push(Note {
            line: self.line,
            section: section.into(),
            text,
        });
    }

    /// Stops and starts the target. Connections opened before are gone: the
    /// script reopens what it needs.
    async fn restart(&mut self, kill: bool) -> StepResult {
        let Some(target) = self.restart else {
            return Err(Stop::Error(self.failure(
                t(
                    "a target the harness started",
                    "um alvo iniciado pelo avaliador",
                ),
                t(
                    "this target cannot be restarted (use --exec)",
                    "este alvo não pode ser reiniciado (use --exec)",
                ),
            )));
        };
        for (_, c) in std::mem::take(&mut self.conns) {
            c.close().await;
        }
        let how = if kill { "restart kill" } else { "restart" };
        self.transcript.push(how.to_string());
        self.log(
            "-",
            Dir::Event,
            format!(
                "{how}: {}",
                t(
                    "stopping and starting the target",
                    "parando e iniciando o alvo"
                )
            ),
            Vec::new(),
        );
        self.restarts += 1;
        target.restart(kill).await.map_err(|e| {
            Stop::Error(self.failure(t("the target to start again", "o alvo iniciar de novo"), &e))
        })?;
        self.target = target.addr().unwrap_or(self.target);
        Ok(())
    }

    async fn open(&mut self, name: &str) -> StepResult {
        match Conn::open(
            self.target,
            self.opts.connect_timeout,
            self.opts.settle,
            self.protocol.reader(),
        )
        .await
        {
            Ok(mut c) => {
                if self.protocol.greets() {
                    // As long as the target has greeted every connection,
                    // wait as long as for any reply (a server just started
                    // may be slow to); once one went without, only --quiet.
                    let ungreeted = &self.opts.ungreeted;
                    let wait = if ungreeted.load(std::sync::atomic::Ordering::Relaxed) {
                        self.opts.quiet
                    } else {
                        self.reply_timeout()
                    };
                    match c.next_event(Instant::now() + wait).await {
                        Some(first) => c.unread(first),
                        None => ungreeted.store(true, std::sync::atomic::Ordering::Relaxed),
                    }
                }
                self.conns.insert(name.into(), c);
                self.transcript.push(format!("open {name}"));
                self.log(
                    name,
                    Dir::Event,
                    t("connected", "conectada").into(),
                    Vec::new(),
                );
                Ok(())
            }
            Err(e) => Err(Stop::Error(self.failure(
                &format!(
                    "{} {}",
                    t("a connection to", "uma conexão com"),
                    self.target
                ),
                &format!("{e}"),
            ))),
        }
    }

    async fn send(&mut self, conn: &str, payload: &Payload) -> StepResult {
        let bytes = match payload {
            Payload::Raw(t) => t.render(&self.vars),
            Payload::Message(fields) => fields
                .iter()
                .map(|f| f.render(&self.vars))
                .collect::<Result<Vec<_>, _>>()
                .and_then(|f| self.protocol.encode(&f)),
        };
        let bytes = bytes.map_err(|e| {
            Stop::Error(self.failure(
                t(
                    "a message the script can build",
                    "uma mensagem que o script consiga montar",
                ),
                &format!("{}: {e}", t("script error", "erro no script")),
            ))
        })?;
        let line = match payload {
            Payload::Raw(t) => format!("{conn} > raw \"{}\"", t.display()),
            Payload::Message(_) => match self.protocol.describe(&bytes) {
                Some(f) => format!("{conn} > {}", self.render(&f, None)),
                None => format!(
                    "{conn} > raw \"{}\"",
                    gabarito_codec::escape::escape_bytes(&bytes)
                ),
            },
        };
        self.transcript.push(line);
        let text = self.protocol.describe_raw(&bytes);
        self.log(conn, Dir::Sent, text, bytes.clone());
        let Some(c) = self.conns.get_mut(conn) else {
            return Err(Stop::Error(self.failure(
                t("an open connection", "uma conexão aberta"),
                t("the connection is not open", "a conexão não está aberta"),
            )));
        };
        if let Err(e) = c.send(&bytes).await {
            let actual = format!("{}: {e}", t("the write failed", "a escrita falhou"));
            return Err(self
                .closed_or_down(
                    conn,
                    t("the target to accept the write", "o alvo aceitar a escrita"),
                    &actual,
                )
                .await);
        }
        let pace = self.case.pace.unwrap_or(self.opts.pace);
        let pause = if self.protocol.ends_open(&bytes) || self.protocol.unanswered(&bytes) {
            pace.max(self.opts.after_open)
        } else {
            pace
        };
        tokio::time::sleep(pause).await;
        Ok(())
    }

    /// A connection ended unexpectedly: FAIL if the target is still up,
    /// ERROR if it no longer accepts connections.
    async fn closed_or_down(&mut self, conn: &str, expected: &str, actual: &str) -> Stop {
        self.log(conn, Dir::Event, actual.into(), Vec::new());
        let probe = tokio::time::timeout(
            self.opts.connect_timeout,
            tokio::net::TcpStream::connect(self.target),
        )
        .await;
        match probe {
            Ok(Ok(_)) => Stop::Fail(self.failure(expected, actual)),
            Ok(Err(e)) => Stop::Error(self.failure(
                expected,
                &format!("{actual}; {} ({e})", t("the target is down", "o alvo caiu")),
            )),
            Err(_) => Stop::Error(self.failure(
                expected,
                &format!(
                    "{actual}; {}",
                    t(
                        "the target no longer accepts connections",
                        "o alvo não aceita mais conexões"
                    )
                ),
            )),
        }
    }

    /// `--timeout`, or the case's own `timeout` if longer.
    fn reply_timeout(&self) -> Duration {
        self.case
            .timeout
            .map_or(self.opts.timeout, |t| t.max(self.opts.timeout))
    }

    fn alt_wait(&self, alt: &Alt) -> Duration {
        match alt.what {
            Outcome::Silent(d) => d.unwrap_or(self.opts.quiet),
            _ => self.reply_timeout(),
        }
    }

    fn expected_text(&self, alts: &[Alt]) -> String {
        alts.iter()
            .map(|a| self.resolve_display(a))
            .collect::<Vec<_>>()
            .join("  |  ")
    }

    /// An alternative as text, with variables shown with their values.
    fn resolve_display(&self, alt: &Alt) -> String {
        let mut s = alt.display();
        for (name, value) in &self.vars {
            let v = String::from_utf8_lossy(value);
            s = s.replace(&format!("{{{name}}}"), &format!("{{{name}}}={v}"));
        }
        s
    }

    async fn expect(&mut self, conn: &str, alts: &[Alt]) -> StepResult {
        // Wait as long as the preferred outcome needs: silence is decided
        // after the quiet window, a reply or a close after the timeout. A
        // lesser alternative (`| tolerate closed`) is taken only if it
        // happens within that time.
        let best = alts.iter().map(|a| a.level).min().unwrap_or(Level::Pass);
        let wait = alts
            .iter()
            .filter(|a| a.level == best)
            .map(|a| self.alt_wait(a))
            .max()
            .unwrap_or(self.reply_timeout());
        let deadline = Instant::now() + wait;
        loop {
            let event = match self.conns.get_mut(conn) {
                Some(c) => c.next_event(deadline).await,
                None => {
                    return Err(Stop::Error(self.failure(
                        t("an open connection", "uma conexão aberta"),
                        t("the connection is not open", "a conexão não está aberta"),
                    )));
                }
            };
            match event {
                Some(Event::Item(ReadItem::Garbage {
                    bytes,
                    why,
                    section,
                })) => {
                    if let Some(bytes) = self.rescue(conn, bytes, alts) {
                        self.garbage(conn, bytes, why, &section);
                    }
                }
                Some(Event::Item(ReadItem::Frame(frame))) => {
                    let frame = self.cut_glued(conn, frame, alts);
                    let mut errors = Vec::new();
                    let mut order: Vec<&Alt> = alts.iter().collect();
                    order.sort_by_key(|a| a.level);
                    for alt in order {
                        let Outcome::Message(pattern) = &alt.what else {
                            continue;
                        };
                        match match_frame(pattern, &frame, &self.vars) {
                            Ok(m) => {
                                // Captures first, so the transcript names
                                // the ids this frame introduced.
                                for (k, v) in m.captures {
                                    self.vars.insert(k, v);
                                }
                                self.received(conn, &frame, Some(pattern));
                                if alts.iter().any(|a| a.count.is_some()) {
                                    // Which of racing connections won
                                    // varies from run to run; the transcript
                                    // keeps what the script asked, and
                                    // `counted` the outcome.
                                    if let Some(last) = self.transcript.last_mut() {
                                        *last = format!(
                                            "{conn} < {}",
                                            alts.iter()
                                                .map(Alt::display)
                                                .collect::<Vec<_>>()
                                                .join(" | ")
                                        );
                                    }
                                }
                                for d in m.tolerated {
                                    self.note(&d.section, d.text);
                                }
                                self.violation(&frame)?;
                                return self.level(alt);
                            }
                            Err(e) => errors.push(e),
                        }
                    }
                    if self.ignored(conn, &frame) {
                        continue;
                    }
                    self.received(conn, &frame, None);
                    if frame.preamble {
                        continue;
                    }
                    let mut actual = frame.display();
                    if !errors.is_empty() {
                        actual = format!("{actual}\n({})", errors.join("; "));
                    }
                    self.note_misshapen(&frame, alts);
                    return Err(Stop::Fail(self.failure(&self.expected_text(alts), &actual)));
                }
                Some(Event::Closed(why)) => {
                    self.target_closed = true;
                    self.transcript.push(format!("{conn} < closed"));
                    if let Some(alt) = alts.iter().find(|a| matches!(a.what, Outcome::Closed)) {
                        self.log(
                            conn,
                            Dir::Event,
                            t("closed by the target", "fechada pelo alvo").into(),
                            Vec::new(),
                        );
                        return self.level(alt);
                    }
                    let actual = match why {
                        Some(e) => format!(
                            "{} ({e})",
                            t(
                                "the target reset the connection",
                                "o alvo derrubou a conexão (reset)"
                            )
                        ),
                        None => t(
                            "the target closed the connection",
                            "o alvo fechou a conexão",
                        )
                        .into(),
                    };
                    let expected = self.expected_text(alts);
                    return Err(self.closed_or_down(conn, &expected, &actual).await);
                }
                None => {
                    if let Some(alt) = alts.iter().find(|a| matches!(a.what, Outcome::Silent(_))) {
                        self.transcript.push(format!("{conn} · silent"));
                        self.log(
                            conn,
                            Dir::Event,
                            format!("{} {}ms", t("nothing within", "nada em"), wait.as_millis()),
                            Vec::new(),
                        );
                        return self.level(alt);
                    }
                    let actual = format!(
                        "{} {:.1}s{}",
                        t("nothing within", "nada em"),
                        wait.as_secs_f64(),
                        self.held(conn)
                    );
                    self.log(conn, Dir::Event, actual.clone(), Vec::new());
                    return Err(Stop::Fail(self.failure(&self.expected_text(alts), &actual)));
                }
            }
        }
    }

    async fn expect_optional(&mut self, conn: &str, alts: &[Alt]) -> StepResult {
        let deadline = Instant::now() + self.opts.quiet;
        loop {
            let Some(c) = self.conns.get_mut(conn) else {
                return Ok(());
            };
            let Some(event) = c.next_event(deadline).await else {
                return Ok(());
            };
            match event {
                Event::Item(ReadItem::Garbage {
                    bytes,
                    why,
                    section,
                }) => self.garbage(conn, bytes, why, &section),
                Event::Item(ReadItem::Frame(ref frame)) => {
                    for alt in alts {
                        let Outcome::Message(pattern) = &alt.what else {
                            continue;
                        };
                        if let Ok(m) = match_frame(pattern, frame, &self.vars) {
                            self.vars.extend(m.captures);
                            self.received(conn, frame, Some(pattern));
                            for d in m.tolerated {
                                self.note(&d.section, d.text);
                            }
                            self.violation(frame)?;
                            return self.level(alt);
                        }
                    }
                    if self.ignored(conn, frame) {
                        continue;
                    }
                    if frame.preamble {
                        self.received(conn, frame, None);
                        continue;
                    }
                    if let Some(c) = self.conns.get_mut(conn) {
                        c.unread(event);
                    }
                    return Ok(());
                }
                Event::Closed(_) => {
                    self.target_closed = true;
                    if let Some(c) = self.conns.get_mut(conn) {
                        c.unread(event);
                    }
                    return Ok(());
                }
            }
        }
    }

    async fn expect_unordered(&mut self, conn: &str, group: &[(usize, &Vec<Alt>)]) -> StepResult {
        let mut remaining: Vec<(usize, usize, &Vec<Alt>)> = group
            .iter()
            .enumerate()
            .map(|(i, (l, a))| (i, *l, *a))
            .collect();
        // (position in the group, transcript line) of each match, so the
        // transcript lists them in script order whatever order they came in.
        let mut placed: Vec<(usize, usize)> = Vec::new();
        while !remaining.is_empty() {
            self.line = remaining[0].1;
            let deadline = Instant::now() + self.reply_timeout();
            let expected = remaining
                .iter()
                .map(|(_, _, alts)| self.expected_text(alts))
                .collect::<Vec<_>>()
                .join("\n  and ");
            let event = match self.conns.get_mut(conn) {
                Some(c) => c.next_event(deadline).await,
                None => {
                    return Err(Stop::Error(self.failure(
                        t("an open connection", "uma conexão aberta"),
                        t("the connection is not open", "a conexão não está aberta"),
                    )));
                }
            };
            match event {
                Some(Event::Item(ReadItem::Garbage {
                    bytes,
                    why,
                    section,
                })) => {
                    let all: Vec<Alt> = remaining
                        .iter()
                        .flat_map(|(_, _, alts)| alts.iter().cloned())
                        .collect();
                    if let Some(bytes) = self.rescue(conn, bytes, &all) {
                        self.garbage(conn, bytes, why, &section);
                    }
                }
                Some(Event::Item(ReadItem::Frame(frame))) => {
                    let all: Vec<Alt> = remaining
                        .iter()
                        .flat_map(|(_, _, alts)| alts.iter().cloned())
                        .collect();
                    let frame = self.cut_glued(conn, frame, &all);
                    let found = remaining.iter().enumerate().find_map(|(i, (_, _, alts))| {
                        alts.iter().find_map(|alt| match &alt.what {
                            Outcome::Message(p) => match_frame(p, &frame, &self.vars)
                                .ok()
                                .map(|m| (i, alt, p, m)),
                            _ => None,
                        })
                    });
                    match found {
                        Some((i, alt, pattern, m)) => {
                            let alt = alt.clone();
                            let pattern = pattern.clone();
                            self.vars.extend(m.captures);
                            self.received(conn, &frame, Some(&pattern));
                            placed.push((remaining[i].0, self.transcript.len() - 1));
                            for d in m.tolerated {
                                self.note(&d.section, d.text);
                            }
                            remaining.remove(i);
                            self.violation(&frame)?;
                            self.level(&alt)?;
                        }
                        None if self.ignored(conn, &frame) => {}
                        None if frame.preamble => self.received(conn, &frame, None),
                        None => {
                            self.received(conn, &frame, None);
                            let all: Vec<Alt> = remaining
                                .iter()
                                .flat_map(|(_, _, alts)| alts.iter().cloned())
                                .collect();
                            self.note_misshapen(&frame, &all);
                            let expected = format!("{}\n  {expected}", t("any of:", "um destes:"));
                            return Err(Stop::Fail(self.failure(&expected, &frame.display())));
                        }
                    }
                }
                Some(Event::Closed(_)) => {
                    self.target_closed = true;
                    self.transcript.push(format!("{conn} < closed"));
                    return Err(self
                        .closed_or_down(
                            conn,
                            &expected,
                            t(
                                "the target closed the connection",
                                "o alvo fechou a conexão",
                            ),
                        )
                        .await);
                }
                None => {
                    let actual = format!(
                        "{} {:.1}s{}",
                        t("nothing within", "nada em"),
                        self.reply_timeout().as_secs_f64(),
                        self.held(conn)
                    );
                    return Err(Stop::Fail(self.failure(&expected, &actual)));
                }
            }
        }
        let mut slots: Vec<usize> = placed.iter().map(|(_, at)| *at).collect();
        slots.sort_unstable();
        placed.sort_unstable();
        let lines: Vec<String> = placed
            .iter()
            .map(|(_, at)| self.transcript[*at].clone())
            .collect();
        for (slot, line) in slots.into_iter().zip(lines) {
            self.transcript[slot] = line;
        }
        Ok(())
    }

    fn level(&mut self, alt: &Alt) -> StepResult {
        if let Some(name) = &alt.count {
            *self.counts.entry(name.clone()).or_default() += 1;
        }
        match alt.level {
            Level::Pass => Ok(()),
            Level::Tolerate => {
                let section = self.case.spec.first().cloned().unwrap_or_default();
                let text = match (&alt.decision, crate::lang::current()) {
                    (Some(d), Lang::En) => format!(
                        "another reading of decision {d}, which the seed allows: {}",
                        alt.what.display()
                    ),
                    (Some(d), Lang::PtBr) => format!(
                        "outra leitura da decisão {d}, que o enunciado permite: {}",
                        alt.what.display()
                    ),
                    (None, _) => {
                        format!("{}: {}", t("tolerated", "tolerado"), alt.what.display())
                    }
                };
                self.note(&section, text);
                Ok(())
            }
            Level::Unimplemented => Err(Stop::Unimplemented(self.failure(
                t(
                    "the feature this case checks",
                    "o recurso que este caso verifica",
                ),
                &format!(
                    "{} — {}",
                    alt.what.display(),
                    t(
                        "the target does not implement it",
                        "o alvo não o implementa"
                    )
                ),
            ))),
        }
    }

    fn garbage(&mut self, conn: &str, bytes: Vec<u8>, why: String, section: &str) {
        let shown = gabarito_codec::escape::escape_excerpt(&bytes, 80);
        if self.transcript.len() < MAX_EXCHANGE {
            self.transcript
                .push(format!("{conn} < garbage \"{shown}\""));
        }
        self.note(
            section,
            format!(
                "{}: \"{shown}\" ({why})",
                t("bytes that are not a frame", "bytes que não são um frame")
            ),
        );
        self.log(
            conn,
            Dir::Received,
            format!("{}: {why}", t("not a frame", "não é um frame")),
            bytes,
        );
    }

    fn received(&mut self, conn: &str, frame: &Frame, pattern: Option<&[Template]>) {
        let line = format!("{conn} < {}", self.render(frame, pattern));
        self.transcript.push(line);
        self.log(conn, Dir::Received, frame.display(), frame.raw.clone());
    }

    /// A frame for the transcript: ids by their captured names, wildcard
    /// fields as `{*}`, everything else as it arrived (escaped).
    fn render(&self, frame: &Frame, pattern: Option<&[Template]>) -> String {
        frame
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if let Some(Piece::Any) = pattern.and_then(|p| p.get(i)).and_then(|t| t.whole()) {
                    return "{*}".to_string();
                }
                if matches!(f.kind, FieldKind::Id | FieldKind::Member) {
                    if let Some((name, _)) = self.vars.iter().find(|(_, v)| **v == f.value) {
                        return format!("{{{name}}}");
                    }
                }
                let text = gabarito_codec::escape::escape_bytes(&f.value);
                if f.kind == FieldKind::Text {
                    format!("\"{text}\"")
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
