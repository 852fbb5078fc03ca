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

/// The recorded session, rendered on demand (on every connection's end
/// and at shutdown), so the file is complete whenever the proxy stops.
#[derive(Debug)]
pub struct ScriptLog {
    protocol: &'static str,
    case_id: String,
    header: Vec<String>,
    entries: Vec<Entry>,
}

impl ScriptLog {
    /// `case_id` must be unique among the suites it is replayed with;
    /// `header` lines become comments at the top.
    pub fn new(protocol: &'static str, case_id: String, header: Vec<String>) -> ScriptLog {
        ScriptLog {
            protocol,
            case_id,
            header,
            entries: Vec::new(),
        }
    }

    /// Records `step` on connection `conn`, which happened at `at`;
    /// `section` is the spec section the step exercises, if any.
    pub fn record(&mut self, conn: usize, at: Instant, step: Step, section: Option<&'static str>) {
        if let Step::Glued(more) = &step {
            let last =
                self.entries.iter_mut().rev().find(|e| {
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
        let seq = self.entries.len() as u64;
        self.entries.push(Entry {
            at,
            seq,
            conn,
            step,
            section,
        });
    }

    pub fn render(&self) -> String {
        let entries = self.ordered();
        // Named in the order of the proxy's own numbering (#1 is `a`).
        let mut opened: Vec<usize> = entries
            .iter()
            .filter(|e| e.step == Step::Open)
            .map(|e| e.conn)
            .collect();
        opened.sort_unstable();
        opened.dedup();
        let names: HashMap<usize, String> = opened
            .into_iter()
            .enumerate()
            .map(|(i, conn)| (conn, conn_name(i)))
            .collect();
        let mut out = String::new();
        for h in &self.header {
            let _ = writeln!(out, "# {h}");
        }
        let _ = writeln!(out, "protocol {}", self.protocol);
        if entries.is_empty() {
            let _ = writeln!(out, "# no connection was proxied: nothing to replay");
            return out;
        }
        let mut sections: Vec<&str> = Vec::new();
        for s in entries.iter().filter_map(|e| e.section) {
            if !sections.contains(&s) {
                sections.push(s);
            }
        }
        if sections.is_empty() {
            sections.push("§2");
        }
        let _ = writeln!(
            out,
            "\ncase {} \"the exchange recorded by conformance proxy\"",
            self.case_id
        );
        let _ = writeln!(out, "  spec {}", sections.join(" "));
        let _ = writeln!(
            out,
            "  why \"replays what the clients sent and expects what the server answered\""
        );
        let mut vars = Vars::default();
        for e in &entries {
            let Some(conn) = names.get(&e.conn) else {
                continue;
            };
            let line = match &e.step {
                Step::Open => format!("open {conn}"),
                Step::ClientClosed => format!("close {conn}"),
                Step::ServerClosed => format!("{conn} expect closed"),
                Step::Send { fields, .. } => format!("{conn} send {}", vars.message(fields)),
                Step::SendRaw(bytes) | Step::Glued(bytes) => {
                    format!("{conn} send-raw {}", vars.quoted(bytes))
                }
                Step::Expect(fields) => format!("{conn} expect {}", vars.message(fields)),
                Step::Note(text) => format!("# {conn}: {text}"),
            };
            let _ = writeln!(out, "  {line}");
        }
        out
    }

    /// Entries by time, with a client's close moved after anything that
    /// connection received later (the harness cannot read after closing),
    /// and a server close that only answered it dropped.
    fn ordered(&self) -> Vec<Entry> {
        let mut entries = self.entries.clone();
        entries.sort_by_key(|e| (e.at, e.seq));
        let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
        let mut closes: Vec<Entry> = Vec::new();
        for e in entries {
            match e.step {
                Step::ClientClosed => {
                    if !closes.iter().any(|c| c.conn == e.conn) {
                        closes.push(e);
                    }
                }
                Step::ServerClosed if closes.iter().any(|c| c.conn == e.conn) => {}
                _ => out.push(e),
            }
        }
        for close in closes {
            let in_time = out
                .iter()
                .position(|e| (e.at, e.seq) > (close.at, close.seq))
                .unwrap_or(out.len());
            let after_last = out
                .iter()
                .rposition(|e| e.conn == close.conn)
                .map_or(0, |i| i + 1);
            out.insert(in_time.max(after_last), close);
        }
        out
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
        let text = log.render();
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
        let text = log.render();
        assert!(
            text.ends_with("  open a\n  a send-raw \"010312ab\"\n  a expect closed\n"),
            "{text}"
        );
    }

    #[test]
    fn connection_names_run_past_z() {
        assert_eq!(conn_name(0), "a");
        assert_eq!(conn_name(25), "z");
        assert_eq!(conn_name(26), "c27");
    }
}
