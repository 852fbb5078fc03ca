//! What the proxy saw, written as a `.session` script
//! (`conformance/suites/README.md`) that the harness can replay against any
//! server: one case, one named connection (`a`, `b`, …) per proxied
//! client, what clients sent as `send` (or `send-raw` for bytes that are no
//! canonical frame), what the server sent as `expect`, the values the
//! server chose captured (`{?id1}`) and used by name after. Knows no
//! protocol: the protocol module says what each field is ([`Role`]).
//!
//! Steps are ordered by when their first byte was read, not by when they
//! were decoded: a reply is read after the request that caused it, even
//! when the request's open tail is decided only at the settle time.

use std::collections::HashMap;
use std::fmt::Write as _;

use gabarito_codec::escape::escape_bytes;
use tokio::time::Instant;

/// How a field is written in the script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// As it is: a code, a timestamp the client chose.
    Plain,
    /// An id: by name once captured, else as it is.
    Id,
    /// A value the server chose (an id it assigned): `{?idN}` the first
    /// time, `{idN}` after.
    Assigned,
    /// A value that differs from run to run (the server's clock): `{*}`.
    Any,
    /// Free text: a quoted string, exact bytes.
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub role: Role,
    pub value: Vec<u8>,
}

/// One step of the recorded exchange, on one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Open,
    /// The client closed its side.
    ClientClosed,
    /// The server closed the connection first.
    ServerClosed,
    /// A canonical frame, by fields; `raw` is its bytes.
    Send {
        fields: Vec<Field>,
        raw: Vec<u8>,
    },
    SendRaw(Vec<u8>),
    /// Bytes the client wrote together with its previous send (they came
    /// in the same read): replayed as one write with it, as they were.
    Glued(Vec<u8>),
    Expect(Vec<Field>),
    /// A comment, for what cannot be replayed as a step.
    Note(String),
}

#[derive(Debug, Clone)]
struct Entry {
    at: Instant,
    seq: u64,
    conn: usize,
    step: Step,
    section: Option<&'static str>,
}

/// Where an entry goes in the script: its time, then the order it was
/// recorded in; a client's close may be moved just after an entry (`1`).
type Key = (Instant, u64, u8);

impl Entry {
    fn key(&self) -> Key {
        (self.at, self.seq, 0)
    }
}

/// What the log knows of one connection.
#[derive(Debug, Default)]
struct ConnLog {
    /// No entry of it recorded from now on will be earlier than this;
    /// `None`: no bound (it is idle, or finished).
    watermark: Option<Instant>,
    finished: bool,
    /// Its client close, when one was recorded: the script cannot read
    /// after closing, so the close goes after anything the connection
    /// received later — known only once it is finished.
    client_closed: Option<Key>,
    /// The key of its latest entry other than a client close.
    last: Option<Key>,
}

/// The recorded session, written out a piece at a time
/// ([`ScriptLog::take_ready`]): each piece is the steps that no later
/// record can come before, so the file only grows — the proxy appends
/// instead of rewriting the whole script after every connection (2,000
/// connections took 20 s that way) — and the log keeps only the steps not
/// yet written. What has been written is a valid script whenever the
/// proxy stops.
#[derive(Debug)]
pub struct ScriptLog {
    protocol: &'static str,
    case_id: String,
    header: Vec<String>,
    pending: Vec<Entry>,
    next_seq: u64,
    conns: HashMap<usize, ConnLog>,
    /// The file header is out.
    started: bool,
    /// The case line is out.
    in_case: bool,
    names: HashMap<usize, String>,
    /// Connections named so far: `a` is the first.
    named: usize,
    sections: Vec<&'static str>,
    vars: Vars,
}

impl ScriptLog {
    /// `case_id` must be unique among the suites it is replayed with;
    /// `header` lines become comments at the top.
    pub fn new(protocol: &'static str, case_id: String, header: Vec<String>) -> ScriptLog {
        ScriptLog {
            protocol,
            case_id,
            header,
            pending: Vec::new(),
            next_seq: 0,
            conns: HashMap::new(),
            started: false,
            in_case: false,
            names: HashMap::new(),
            named: 0,
            sections: Vec::new(),
            vars: Vars::default(),
        }
    }

    /// Records `step` on connection `conn`, which happened at `at`;
    /// `section` is the spec section the step exercises, if any.
    pub fn record(&mut self, conn: usize, at: Instant, step: Step, section: Option<&'static str>) {
        if let Step::Glued(more) = &step {
            let last =
                self.pending.iter_mut().rev().find(|e| {
                    e.conn == conn && matches!(e.step, Step::Send { .. } | Step::SendRaw(_))
                });
            if let Some(e) = last {
                let mut bytes = match std::mem::replace(&mut e.step, Step::Open) {
                    Step::Send { raw, .. } | Step::SendRaw(raw) => raw,
                    _ => Vec::new(),
                };
                bytes.extend_from_slice(more);
                e.step = Step::SendRaw(bytes);
                if e.section.is_none() {
                    e.section = section;
                }
                return;
            }
        }
        let step = match step {
            Step::Glued(bytes) => Step::SendRaw(bytes),
            other => other,
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        let key = (at, seq, 0);
        let c = self.conns.entry(conn).or_default();
        if step == Step::ClientClosed {
            if c.client_closed.is_none() {
                c.client_closed = Some(key);
            } else {
                return;
            }
        } else {
            c.last = c.last.max(Some(key));
        }
        self.pending.push(Entry {
            at,
            seq,
            conn,
            step,
            section,
        });
    }

    /// No entry of `conn` recorded from now on will be earlier than
    /// `watermark` (`None`: it waits for nothing, so it bounds nothing).
    pub fn progress(&mut self, conn: usize, watermark: Option<Instant>) {
        self.conns.entry(conn).or_default().watermark = watermark;
    }

    /// Nothing more will be recorded on `conn`.
    pub fn finished(&mut self, conn: usize) {
        let c = self.conns.entry(conn).or_default();
        c.finished = true;
        c.watermark = None;
    }

    /// The script text that is now final, to append to what was taken
    /// before: the header the first time, then the steps no later record
    /// can come before.
    pub fn take_ready(&mut self) -> String {
        self.take(false)
    }

    /// Everything not yet taken, as if every connection had finished: the
    /// end of the script.
    pub fn finish(&mut self) -> String {
        let mut out = self.take(true);
        if !self.in_case {
            let _ = writeln!(out, "# no connection was proxied: nothing to replay");
        }
        out
    }

    /// Where an entry goes: a client close of a finished connection goes
    /// after that connection's last entry if that came later; one of a
    /// connection still open is not ready (`None`).
    fn placed(&self, e: &Entry, all: bool) -> Option<Key> {
        if e.step != Step::ClientClosed {
            return Some(e.key());
        }
        let c = self.conns.get(&e.conn)?;
        if !(c.finished || all) {
            return None;
        }
        Some(match c.last {
            Some((at, seq, _)) if (at, seq, 0) > e.key() => (at, seq, 1),
            _ => e.key(),
        })
    }

    /// Before which key every entry is final: the earliest any connection
    /// may still record, or a client close still held back.
    fn cutoff(&self) -> Option<Key> {
        self.conns
            .values()
            .filter(|c| !c.finished)
            .flat_map(|c| {
                c.watermark
                    .map(|w| (w, 0, 0))
                    .into_iter()
                    .chain(c.client_closed)
            })
            .min()
    }

    fn take(&mut self, all: bool) -> String {
        let mut out = String::new();
        if !self.started {
            self.started = true;
            for h in &self.header {
                let _ = writeln!(out, "# {h}");
            }
            let _ = writeln!(out, "protocol {}", self.protocol);
        }
        let cutoff = if all { None } else { self.cutoff() };
        let mut ready: Vec<(Key, Entry)> = Vec::new();
        let mut kept = Vec::new();
        for e in std::mem::take(&mut self.pending) {
            match self.placed(&e, all) {
                Some(k) if cutoff.is_none_or(|c| k < c) => ready.push((k, e)),
                _ => kept.push(e),
            }
        }
        self.pending = kept;
        ready.sort_by_key(|(k, _)| *k);
        let ready: Vec<Entry> = ready
            .into_iter()
            .map(|(_, e)| e)
            .filter(|e| !self.answers_a_close(e))
            .collect();
        for e in &ready {
            if e.step == Step::Open && !self.names.contains_key(&e.conn) {
                self.names.insert(e.conn, conn_name(self.named));
                self.named += 1;
            }
        }
        let named: Vec<&Entry> = ready
            .iter()
            .filter(|e| self.names.contains_key(&e.conn))
            .collect();
        if named.is_empty() {
            self.forget_finished();
            return out;
        }
        let mut new_sections: Vec<&'static str> = Vec::new();
        for s in named.iter().filter_map(|e| e.section) {
            if !self.sections.contains(&s) && !new_sections.contains(&s) {
                new_sections.push(s);
            }
        }
        if !self.in_case {
            self.in_case = true;
            if new_sections.is_empty() {
                new_sections.push("§2");
            }
            let _ = writeln!(
                out,
                "\ncase {} \"the exchange recorded by conformance proxy\"",
                self.case_id
            );
            let _ = writeln!(out, "  spec {}", new_sections.join(" "));
            let _ = writeln!(
                out,
                "  why \"replays what the clients sent and expects what the server answered\""
            );
        } else if !new_sections.is_empty() {
            let _ = writeln!(out, "  spec {}", new_sections.join(" "));
        }
        self.sections.extend(new_sections);
        for e in named {
            let conn = &self.names[&e.conn];
            let line = match &e.step {
                Step::Open => format!("open {conn}"),
                Step::ClientClosed => format!("close {conn}"),
                Step::ServerClosed => format!("{conn} expect closed"),
                Step::Send { fields, .. } => format!("{conn} send {}", self.vars.message(fields)),
                Step::SendRaw(bytes) | Step::Glued(bytes) => {
                    format!("{conn} send-raw {}", self.vars.quoted(bytes))
                }
                Step::Expect(fields) => format!("{conn} expect {}", self.vars.message(fields)),
                Step::Note(text) => format!("# {conn}: {text}"),
            };
            let _ = writeln!(out, "  {line}");
        }
        self.forget_finished();
        out
    }

    /// Drops what is known of finished connections with nothing left to
    /// write: the log holds only what is not yet written.
    fn forget_finished(&mut self) {
        let waiting: std::collections::HashSet<usize> =
            self.pending.iter().map(|e| e.conn).collect();
        let done: Vec<usize> = self
            .conns
            .iter()
            .filter(|(conn, c)| c.finished && !waiting.contains(conn))
            .map(|(conn, _)| *conn)
            .collect();
        for conn in done {
            self.conns.remove(&conn);
            self.names.remove(&conn);
        }
    }

    /// A server close after the client closed only answers it: the script
    /// cannot expect anything after its own close.
    fn answers_a_close(&self, e: &Entry) -> bool {
        e.step == Step::ServerClosed
            && self
                .conns
                .get(&e.conn)
                .and_then(|c| c.client_closed)
                .is_some_and(|k| k < e.key())
    }
}

/// `a`…`z`, then `c27`, `c28`, … (the connection's rank).
fn conn_name(i: usize) -> String {
    match u8::try_from(i) {
        Ok(n) if n < 26 => char::from(b'a' + n).to_string(),
        _ => format!("c{}", i + 1),
    }
}

/// Values the server chose, by the names they were captured as.
#[derive(Debug, Default)]
struct Vars {
    names: HashMap<Vec<u8>, String>,
}

impl Vars {
    fn message(&mut self, fields: &[Field]) -> String {
        let parts: Vec<String> = fields.iter().map(|f| self.field(f)).collect();
        parts.join(" ")
    }

    fn field(&mut self, f: &Field) -> String {
        match f.role {
            Role::Plain => escape_bytes(&f.value),
            Role::Id => match self.names.get(&f.value) {
                Some(n) => format!("{{{n}}}"),
                None => escape_bytes(&f.value),
            },
            Role::Assigned => match self.names.get(&f.value) {
                Some(n) => format!("{{{n}}}"),
                None => {
                    let n = format!("id{}", self.names.len() + 1);
                    self.names.insert(f.value.clone(), n.clone());
                    format!("{{?{n}}}")
                }
            },
            Role::Any => "{*}".into(),
            Role::Text => self.quoted(&f.value),
        }
    }

    /// Exact bytes as a quoted string, captured values by name.
    fn quoted(&self, bytes: &[u8]) -> String {
        let mut out = String::from("\"");
        let mut lit_start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let found = self
                .names
                .iter()
                .find(|(v, _)| !v.is_empty() && bytes[i..].starts_with(v));
            match found {
                Some((v, n)) => {
                    out.push_str(&escape_literal(&bytes[lit_start..i]));
                    let _ = write!(out, "{{{n}}}");
                    i += v.len();
                    lit_start = i;
                }
                None => i += 1,
            }
        }
        out.push_str(&escape_literal(&bytes[lit_start..]));
        out.push('"');
        out
    }
}

/// The script's escapes, plus `\{` so text is never read as a placeholder.
fn escape_literal(bytes: &[u8]) -> String {
    escape_bytes(bytes).replace('{', "\\{")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn f(role: Role, v: &str) -> Field {
        Field {
            role,
            value: v.as_bytes().to_vec(),
        }
    }

    #[test]
    fn captures_then_names_and_orders_by_time() {
        let t = Instant::now();
        let ms = |n| t + Duration::from_millis(n);
        let mut log = ScriptLog::new("zap", "proxy.t".into(), vec!["hello".into()]);
        log.record(1, ms(0), Step::Open, None);
        // Decoded late, read early: still first.
        log.record(1, ms(9), Step::ClientClosed, None);
        log.record(
            1,
            ms(2),
            Step::Expect(vec![
                f(Role::Plain, "02"),
                f(Role::Assigned, "2000000000001"),
            ]),
            Some("§5.2"),
        );
        log.record(
            1,
            ms(1),
            Step::Send {
                fields: vec![f(Role::Plain, "01")],
                raw: b"01".to_vec(),
            },
            Some("§5.1"),
        );
        log.record(
            1,
            ms(3),
            Step::SendRaw(b"032000000000001\n{".to_vec()),
            None,
        );
        log.record(
            1,
            ms(10),
            Step::Expect(vec![
                f(Role::Plain, "09"),
                f(Role::Id, "2000000000001"),
                f(Role::Plain, "1700000000"),
            ]),
            Some("§7.3"),
        );
        let text = log.finish();
        let steps: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.contains("why"))
            .skip(1)
            .collect();
        assert_eq!(
            steps,
            [
                "  open a",
                "  a send 01",
                "  a expect 02 {?id1}",
                "  a send-raw \"03{id1}\\n\\{\"",
                "  a expect 09 {id1} 1700000000",
                "  close a",
            ],
            "{text}"
        );
        assert!(text.contains("\n  spec §5.1 §5.2 §7.3\n"), "{text}");
        assert!(text.starts_with("# hello\nprotocol zap\n"), "{text}");
    }

    #[test]
    fn bytes_written_together_stay_one_write() {
        let t = Instant::now();
        let mut log = ScriptLog::new("zap", "proxy.t".into(), Vec::new());
        log.record(1, t, Step::Open, None);
        let send = Step::Send {
            fields: vec![f(Role::Plain, "01")],
            raw: b"01".to_vec(),
        };
        log.record(1, t, send, Some("§5.1"));
        log.record(1, t, Step::Glued(b"0312ab".to_vec()), Some("§10.1"));
        log.record(1, t, Step::ServerClosed, None);
        let text = log.finish();
        assert!(
            text.ends_with("  open a\n  a send-raw \"010312ab\"\n  a expect closed\n"),
            "{text}"
        );
    }

    /// The script is taken a piece at a time, each piece only what no
    /// later record can come before; the pieces add up to the whole.
    #[test]
    fn pieces_are_taken_as_they_become_final_and_add_up_to_the_script() {
        let t = Instant::now();
        let ms = |n| t + Duration::from_millis(n);
        let send = |v: &str| Step::Send {
            fields: vec![f(Role::Plain, v)],
            raw: v.as_bytes().to_vec(),
        };
        let script = |pieces: bool| {
            let mut log = ScriptLog::new("zap", "proxy.t".into(), Vec::new());
            let mut text = String::new();
            let take = |log: &mut ScriptLog, text: &mut String| {
                if pieces {
                    text.push_str(&log.take_ready());
                }
            };
            log.record(1, ms(0), Step::Open, None);
            log.record(2, ms(1), Step::Open, None);
            log.record(1, ms(2), send("01"), Some("§5.1"));
            // #2 may still record something from 3 ms on: only what came
            // before is final.
            log.progress(2, Some(ms(3)));
            log.progress(1, None);
            take(&mut log, &mut text);
            if pieces {
                assert!(
                    text.ends_with("  open a\n  open b\n  a send 01\n"),
                    "{text}"
                );
            }
            log.record(1, ms(5), Step::ClientClosed, None);
            log.record(2, ms(4), send("01"), Some("§5.1"));
            log.progress(2, None);
            take(&mut log, &mut text);
            if pieces {
                assert!(text.ends_with("  b send 01\n"), "#1's close waits: {text}");
            }
            // #1 got something after its close: the close goes after it.
            log.record(
                1,
                ms(6),
                Step::Expect(vec![f(Role::Plain, "02")]),
                Some("§5.2"),
            );
            log.finished(1);
            take(&mut log, &mut text);
            log.record(2, ms(7), Step::ClientClosed, None);
            log.finished(2);
            text.push_str(&log.finish());
            text
        };
        let steps = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| l.starts_with("  ") && !l.starts_with("  spec"))
                .map(str::to_owned)
                .collect()
        };
        let (whole, pieces) = (script(false), script(true));
        assert_eq!(steps(&pieces), steps(&whole), "{pieces}");
        assert!(whole.contains("\n  spec §5.1 §5.2\n"), "{whole}");
        // A section first seen in a later piece is cited where it appears.
        assert!(
            pieces.contains("\n  spec §5.1\n") && pieces.contains("\n  spec §5.2\n  a expect 02"),
            "{pieces}"
        );
        assert_eq!(
            steps(&whole),
            [
                "  why \"replays what the clients sent and expects what the server answered\"",
                "  open a",
                "  open b",
                "  a send 01",
                "  b send 01",
                "  a expect 02",
                "  close a",
                "  close b",
            ],
            "{whole}"
        );
    }

    #[test]
    fn connection_names_run_past_z() {
        assert_eq!(conn_name(0), "a");
        assert_eq!(conn_name(25), "z");
        assert_eq!(conn_name(26), "c27");
    }
}
