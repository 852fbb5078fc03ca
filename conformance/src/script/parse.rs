//! The `.session` parser. Every error names file, line and column.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use super::ast::{
    Alt, Case, ExpectMode, Level, Localized, Outcome, Payload, Step, StepKind, SuiteFile,
};
use super::template::{Template, tokenize};
use crate::protocol::Protocol;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

impl std::error::Error for ScriptError {}

/// Parses a script. `file` is used in errors and case records.
pub fn parse_suite(
    file: &str,
    text: &str,
    protocol: &dyn Protocol,
) -> Result<SuiteFile, ScriptError> {
    let mut p = Parser {
        file,
        protocol,
        cases: Vec::new(),
        state: None,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let indent = raw.len() - raw.trim_start().len();
        let body = raw.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let col0 = raw[..indent].chars().count() + 1;
        p.statement(line, col0, body)
            .map_err(|(col, message)| ScriptError {
                file: file.to_string(),
                line,
                col,
                message,
            })?;
    }
    p.finish_case().map_err(|(line, message)| ScriptError {
        file: file.into(),
        line,
        col: 1,
        message,
    })?;
    Ok(SuiteFile {
        path: file.to_string(),
        cases: p.cases,
    })
}

type PResult<T> = Result<T, (usize, String)>;

struct CaseState {
    case: Case,
    open: BTreeSet<String>,
    captured: BTreeSet<String>,
    /// Names of `count NAME` alternatives so far, for `counted`.
    counters: BTreeSet<String>,
    /// The `for` block being read: its line, source, variable, bounds and
    /// the steps so far.
    looping: Option<OpenLoop>,
    /// The case's `check` line has been read: the steps from here on are
    /// what it grades; those before it set it up.
    checking: bool,
}

struct OpenLoop {
    line: usize,
    source: String,
    var: String,
    from: Template,
    to: Template,
    body: Vec<Step>,
}

struct Parser<'a> {
    file: &'a str,
    protocol: &'a dyn Protocol,
    cases: Vec<Case>,
    state: Option<CaseState>,
}

impl Parser<'_> {
    fn statement(&mut self, line: usize, col0: usize, body: &str) -> PResult<()> {
        let (word, rest, rest_col) = split_word(body, col0);
        match word {
            "protocol" => {
                if rest != self.protocol.name() {
                    return Err((
                        rest_col,
                        format!(
                            "this suite is for protocol \"{rest}\", but it is being run as \"{}\"",
                            self.protocol.name()
                        ),
                    ));
                }
                Ok(())
            }
            "case" => self.start_case(line, rest, rest_col),
            _ => {
                let Some(state) = self.state.as_mut() else {
                    return Err((
                        col0,
                        format!("\"{word}\" outside a case: start one with `case ID \"title\"`"),
                    ));
                };
                state.statement(line, col0, body, word, rest, rest_col, self.protocol)
            }
        }
    }

    fn start_case(&mut self, line: usize, rest: &str, col: usize) -> PResult<()> {
        self.finish_case()?;
        let (id, title, title_col) = split_word(rest, col);
        let valid = !id.is_empty()
            && id.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')
            });
        if !valid {
            return Err((
                col,
                format!("case id \"{id}\" must be lower-case letters, digits, '.', '-' or '_'"),
            ));
        }
        if self.cases.iter().any(|c| c.id == id) {
            return Err((col, format!("case id \"{id}\" is used twice in this file")));
        }
        let title = unquote(title).map_err(|e| (title_col, e))?;
        if title.is_empty() {
            return Err((
                title_col,
                "a case needs a title: case ID \"what it checks\"".into(),
            ));
        }
        self.state = Some(CaseState {
            case: Case {
                id: id.to_string(),
                title: title.to_string(),
                spec: Vec::new(),
                authority: Default::default(),
                why: String::new(),
                pt_br: Localized::default(),
                file: self.file.to_string(),
                line,
                steps: Vec::new(),
                exclusive: false,
                timeout: None,
                precondition: false,
                pace: None,
            },
            open: BTreeSet::new(),
            captured: self.protocol.preset_names().into_iter().collect(),
            counters: BTreeSet::new(),
            looping: None,
            checking: false,
        });
        Ok(())
    }

    fn finish_case(&mut self) -> PResult<()> {
        if let Some(state) = self.state.take() {
            if let Some(l) = &state.looping {
                return Err((
                    l.line,
                    format!("the for block of line {} has no `end`", l.line),
                ));
            }
            let case = state.case;
            if case.spec.is_empty() {
                return Err((
                    case.line,
                    format!("case {} cites no spec section: add `spec §N.N`", case.id),
                ));
            }
            if case.steps.is_empty() {
                return Err((case.line, format!("case {} has no steps", case.id)));
            }
            if state.checking && case.steps.iter().all(|s| s.setup) {
                return Err((
                    case.line,
                    format!(
                        "case {}: nothing after its `check` line (the steps after it are what the case grades)",
                        case.id
                    ),
                ));
            }
            self.cases.push(case);
        }
        Ok(())
    }
}

impl CaseState {
    #[allow(clippy::too_many_arguments)]
    fn statement(
        &mut self,
        line: usize,
        col0: usize,
        body: &str,
        word: &str,
        rest: &str,
        rest_col: usize,
        protocol: &dyn Protocol,
    ) -> PResult<()> {
        let kind = match word {
            "spec" => {
                for (i, s) in rest.split_whitespace().enumerate() {
                    if !s.starts_with('§') {
                        return Err((
                            rest_col,
                            format!(
                                "spec sections look like §7.1, found \"{s}\" (item {})",
                                i + 1
                            ),
                        ));
                    }
                    self.case.spec.push(s.to_string());
                }
                return Ok(());
            }
            "why" => {
                match rest.strip_prefix("pt-BR ") {
                    Some(text) => {
                        self.case.pt_br.why = Some(unquote(text.trim()).map_err(|e| (rest_col, e))?)
                    }
                    None => self.case.why = unquote(rest).map_err(|e| (rest_col, e))?,
                }
                return Ok(());
            }
            "title" => {
                let Some(text) = rest.strip_prefix("pt-BR ") else {
                    return Err((
                        rest_col,
                        "`title` gives the title in another language: title pt-BR \"…\" (the English one is on the case line)".into(),
                    ));
                };
                self.case.pt_br.title = Some(unquote(text.trim()).map_err(|e| (rest_col, e))?);
                return Ok(());
            }
            "exclusive" => {
                self.case.exclusive = true;
                return Ok(());
            }
            "seed" => {
                let quote = unquote(rest).map_err(|e| (rest_col, e))?;
                if quote.trim().is_empty() {
                    return Err((
                        rest_col,
                        "seed quotes the assignment's sentence: seed \"O servidor deve armazenar as mensagens ainda não entregues.\"".into(),
                    ));
                }
                self.case.authority.seed.push(quote);
                return Ok(());
            }
            "decision" => {
                if rest.is_empty() {
                    return Err((
                        rest_col,
                        "decision names the spec's decisions: decision D15".into(),
                    ));
                }
                for d in rest.split_whitespace() {
                    check_decision(d, rest_col)?;
                    self.case.authority.decisions.push(d.to_string());
                }
                return Ok(());
            }
            "check" => {
                if !rest.is_empty() {
                    return Err((rest_col, "`check` stands alone on its line".into()));
                }
                if self.checking {
                    return Err((col0, "this case already has its `check` line".into()));
                }
                if self.looping.is_some() {
                    return Err((col0, "`check` cannot stand inside a for block".into()));
                }
                self.checking = true;
                // The steps so far set the case up.
                for step in &mut self.case.steps {
                    step.setup = true;
                }
                return Ok(());
            }
            "precondition" => {
                self.case.precondition = true;
                return Ok(());
            }
            "pace" => {
                self.case.pace = Some(parse_duration(rest).map_err(|e| (rest_col, e))?);
                return Ok(());
            }
            "counted" => {
                let (name, times, times_col) = split_word(rest, rest_col);
                if !self.counters.contains(name) {
                    return Err((
                        rest_col,
                        format!(
                            "no alternative counts \"{name}\" before this line (mark one: a expect count {name} 202 | 401)"
                        ),
                    ));
                }
                let times = times.parse().map_err(|_| {
                    (
                        times_col,
                        format!("counted {name} needs a number of times, found \"{times}\""),
                    )
                })?;
                StepKind::Counted {
                    name: name.to_string(),
                    times,
                }
            }
            "for" => return self.start_loop(line, body, rest, rest_col),
            "end" => {
                let Some(l) = self.looping.take() else {
                    return Err((col0, "`end` without a `for` block to end".into()));
                };
                if l.body.is_empty() {
                    return Err((l.line, "this for block has no steps".into()));
                }
                self.case.steps.push(Step {
                    line: l.line,
                    source: l.source,
                    kind: StepKind::For {
                        var: l.var,
                        from: l.from,
                        to: l.to,
                        body: l.body,
                    },
                    setup: false,
                });
                return Ok(());
            }
            "timeout" => {
                self.case.timeout = Some(parse_duration(rest).map_err(|e| (rest_col, e))?);
                return Ok(());
            }
            "open" => {
                let names: Vec<&str> = rest.split_whitespace().collect();
                if names.is_empty() {
                    return Err((rest_col, "open needs connection names: open a b".into()));
                }
                for n in &names {
                    check_name(n, rest_col)?;
                    if !self.open.insert(n.to_string()) {
                        return Err((rest_col, format!("connection {n} is already open")));
                    }
                    self.push(line, body, StepKind::Open(n.to_string()));
                }
                return Ok(());
            }
            "close" | "reopen" => {
                let name = rest.trim();
                if !self.open.contains(name) {
                    return Err((rest_col, format!("connection \"{name}\" is not open")));
                }
                if word == "close" {
                    self.open.remove(name);
                    StepKind::Close(name.to_string())
                } else {
                    StepKind::Reopen(name.to_string())
                }
            }
            "wait" => StepKind::Wait(parse_duration(rest).map_err(|e| (rest_col, e))?),
            "restart" => {
                self.open.clear();
                match rest {
                    "" => StepKind::Restart { kill: false },
                    "kill" => StepKind::Restart { kill: true },
                    other => {
                        return Err((
                            rest_col,
                            format!("restart takes nothing or `kill`, found \"{other}\""),
                        ));
                    }
                }
            }
            conn => {
                if !self.open.contains(conn) {
                    return Err((
                        col0,
                        format!(
                            "\"{conn}\" is not a statement nor an open connection (statements: case spec seed decision why title exclusive precondition pace timeout check open close reopen wait restart for end counted; then `NAME send|send-raw|expect|ignore …`)"
                        ),
                    ));
                }
                let (verb, args, args_col) = split_word(rest, rest_col);
                self.conn_statement(conn, verb, args, args_col, protocol)?
            }
        };
        self.push(line, body, kind);
        Ok(())
    }

    fn conn_statement(
        &mut self,
        conn: &str,
        verb: &str,
        args: &str,
        col: usize,
        protocol: &dyn Protocol,
    ) -> PResult<StepKind> {
        let conn = conn.to_string();
        match verb {
            "send" => {
                let fields = protocol.parse_message(args, col)?;
                self.check_refs(&fields, col, false)?;
                Ok(StepKind::Send {
                    conn,
                    payload: Payload::Message(fields),
                })
            }
            "send-raw" => {
                let tokens = tokenize(args, col)?;
                let [token] = tokens.as_slice() else {
                    return Err((col, "send-raw takes one \"quoted string\" (escapes: \\n \\r \\x00 \\xff \\\" \\\\)".into()));
                };
                self.check_refs(std::slice::from_ref(&token.template), col, false)?;
                Ok(StepKind::Send {
                    conn,
                    payload: Payload::Raw(token.template.clone()),
                })
            }
            "expect" | "expect-optional" | "expect-unordered" => {
                let mode = match verb {
                    "expect" => ExpectMode::Next,
                    "expect-optional" => ExpectMode::Optional,
                    _ => ExpectMode::Unordered,
                };
                let mut alts = Vec::new();
                for (text, alt_col) in split_alternatives(args, col) {
                    alts.push(self.alternative(text, alt_col, protocol)?);
                }
                if mode != ExpectMode::Next
                    && alts.iter().any(|a| !matches!(a.what, Outcome::Message(_)))
                {
                    return Err((
                        col,
                        format!(
                            "{verb} takes messages only; silent and closed go with plain expect"
                        ),
                    ));
                }
                for a in &alts {
                    if let Outcome::Message(t) = &a.what {
                        self.captured
                            .extend(t.iter().flat_map(|t| t.captures().map(String::from)));
                    }
                }
                Ok(StepKind::Expect { conn, mode, alts })
            }
            "ignore" => {
                let pattern = protocol.parse_message(args, col)?;
                self.check_refs(&pattern, col, true)?;
                if pattern.iter().any(|t| t.captures().next().is_some()) {
                    return Err((
                        col,
                        "ignore steps over frames; it captures nothing (use {*} for any value)"
                            .into(),
                    ));
                }
                Ok(StepKind::Ignore { conn, pattern })
            }
            "" => Err((
                col,
                "what should this connection do? send, send-raw, expect or ignore".into(),
            )),
            other => Err((
                col,
                format!(
                    "unknown verb \"{other}\": use send, send-raw, expect, expect-optional, expect-unordered or ignore"
                ),
            )),
        }
    }

    fn alternative(&mut self, text: &str, col: usize, protocol: &dyn Protocol) -> PResult<Alt> {
        let (mut count, mut text, mut col) = (None, text, col);
        let (first, rest, rest_col) = split_word(text, col);
        if first == "count" {
            let (name, after, after_col) = split_word(rest, rest_col);
            check_name(name, rest_col)?;
            self.counters.insert(name.to_string());
            count = Some(name.to_string());
            (text, col) = (after, after_col);
        }
        let (first, rest, rest_col) = split_word(text, col);
        let (level, text, col) = match first {
            "tolerate" => (Level::Tolerate, rest, rest_col),
            "unimplemented" => (Level::Unimplemented, rest, rest_col),
            _ => (Level::Pass, text, col),
        };
        // `tolerate D5 X`: X is another reading of decision D5.
        let (mut decision, mut text, mut col) = (None, text, col);
        if level == Level::Tolerate {
            let (word, rest, rest_col) = split_word(text, col);
            if is_decision(word) {
                decision = Some(word.to_string());
                (text, col) = (rest, rest_col);
            }
        }
        let (word, rest, rest_col) = split_word(text, col);
        let what = match word {
            "silent" if rest.is_empty() => Outcome::Silent(None),
            "silent" => Outcome::Silent(Some(parse_duration(rest).map_err(|e| (rest_col, e))?)),
            "closed" if rest.is_empty() => Outcome::Closed,
            "" => return Err((col, "empty alternative".into())),
            _ => {
                let fields = protocol.parse_message(text, col)?;
                self.check_refs(&fields, col, true)?;
                for f in &fields {
                    let mixed =
                        f.whole().is_none() && (f.has_any() || f.captures().next().is_some());
                    if mixed {
                        return Err((
                            col,
                            format!(
                                "\"{}\": {{?capture}} and {{*}} must stand for a whole field",
                                f.display()
                            ),
                        ));
                    }
                }
                Outcome::Message(fields)
            }
        };
        Ok(Alt {
            level,
            what,
            count,
            decision,
        })
    }

    fn check_refs(&self, fields: &[Template], col: usize, in_expect: bool) -> PResult<()> {
        for f in fields {
            if let Some(v) = f.vars().find(|v| !self.captured.contains(*v)) {
                return Err((
                    col,
                    format!(
                        "{{{v}}} is used before it is captured (capture it in an expect with {{?{v}}})"
                    ),
                ));
            }
            if !in_expect && (f.has_any() || f.captures().next().is_some()) {
                return Err((col, "{?capture} and {*} only make sense in expect".into()));
            }
        }
        Ok(())
    }

    fn push(&mut self, line: usize, source: &str, kind: StepKind) {
        let step = Step {
            line,
            source: source.to_string(),
            kind,
            setup: false,
        };
        match self.looping.as_mut() {
            Some(l) => l.body.push(step),
            None => self.case.steps.push(step),
        }
    }

    /// `for VAR in FROM..TO`: the bounds are one template each, so a
    /// literal, a capture or a preset.
    fn start_loop(&mut self, line: usize, source: &str, rest: &str, col: usize) -> PResult<()> {
        const FORM: &str = "for NAME in FROM..TO (e.g. for n in 1..{raffle-size})";
        if let Some(l) = &self.looping {
            return Err((
                col,
                format!(
                    "for blocks do not nest: the one of line {} is still open",
                    l.line
                ),
            ));
        }
        let (var, rest, in_col) = split_word(rest, col);
        check_name(var, col)?;
        let (word, range, range_col) = split_word(rest, in_col);
        if word != "in" {
            return Err((
                in_col,
                format!("expected `in` after the loop variable: {FORM}"),
            ));
        }
        let Some((from, to)) = range.split_once("..") else {
            return Err((range_col, format!("expected a range FROM..TO: {FORM}")));
        };
        let to_col = range_col + from.chars().count() + 2;
        let bound = |text: &str, col: usize| -> PResult<Template> {
            match tokenize(text, col)?.as_slice() {
                [one] if one.template.captures().next().is_none() && !one.template.has_any() => {
                    Ok(one.template.clone())
                }
                _ => Err((
                    col,
                    format!("a loop bound is one number or {{name}}: {FORM}"),
                )),
            }
        };
        let (from, to) = (bound(from, range_col)?, bound(to, to_col)?);
        self.check_refs(&[from.clone(), to.clone()], range_col, false)?;
        self.captured.insert(var.to_string());
        self.looping = Some(OpenLoop {
            line,
            source: source.to_string(),
            var: var.to_string(),
            from,
            to,
            body: Vec::new(),
        });
        Ok(())
    }
}

/// A decision of the spec: `D` and its number (`D15`).
fn is_decision(word: &str) -> bool {
    word.strip_prefix('D')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn check_decision(word: &str, col: usize) -> PResult<()> {
    if is_decision(word) {
        Ok(())
    } else {
        Err((
            col,
            format!(
                "decisions are named D and their number, as in the spec's Decisions section (D15); found \"{word}\""
            ),
        ))
    }
}

fn check_name(n: &str, col: usize) -> PResult<()> {
    let reserved = [
        "case",
        "spec",
        "why",
        "title",
        "exclusive",
        "timeout",
        "open",
        "close",
        "reopen",
        "wait",
        "restart",
        "protocol",
        "seed",
        "decision",
        "check",
    ];
    if n.chars().all(|c| c.is_alphanumeric() || c == '_') && !reserved.contains(&n) {
        Ok(())
    } else {
        Err((
            col,
            format!("\"{n}\" cannot name a connection (letters, digits, _; not a keyword)"),
        ))
    }
}

/// The first word, the rest (trimmed) and the rest's column.
fn split_word(s: &str, col: usize) -> (&str, &str, usize) {
    let s_trim = s.trim_start();
    let lead = s[..s.len() - s_trim.len()].chars().count();
    match s_trim.find(char::is_whitespace) {
        Some(i) => {
            let rest = s_trim[i..].trim_start();
            let skipped = s_trim[..s_trim.len() - rest.len()].chars().count();
            (&s_trim[..i], rest.trim_end(), col + lead + skipped)
        }
        None => (s_trim, "", col + lead + s_trim.chars().count()),
    }
}

/// Splits on `|` outside quotes and braces, with each part's column.
fn split_alternatives(s: &str, col: usize) -> Vec<(&str, usize)> {
    let mut parts = Vec::new();
    let (mut quote, mut depth, mut start) = (false, 0usize, 0usize);
    let mut prev_backslash = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' if !prev_backslash => quote = !quote,
            '{' if !quote => depth += 1,
            '}' if !quote => depth = depth.saturating_sub(1),
            '|' if !quote && depth == 0 => {
                parts.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    parts.push(start..s.len());
    parts
        .into_iter()
        .map(|r| {
            let part = &s[r.clone()];
            let lead = part.len() - part.trim_start().len();
            (part.trim(), col + s[..r.start + lead].chars().count())
        })
        .collect()
}

/// `250ms`, `2s`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("\"{s}\" is not a duration like 250ms or 2s"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        _ => Err(format!("\"{s}\" is not a duration like 250ms or 2s")),
    }
}

/// A `"…"` text of a title or `why`, with `\"` and `\\` unescaped; bare
/// text is taken as it is.
fn unquote(text: &str) -> Result<String, String> {
    let Some(inner) = text.strip_prefix('"') else {
        return Ok(text.to_string());
    };
    let Some(inner) = inner.strip_suffix('"') else {
        return Err(format!("unterminated text: {text} (close it with \")"));
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(e @ ('"' | '\\')) => out.push(e),
                Some('n') => out.push('\n'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zap::Zap;

    fn parse(text: &str) -> Result<SuiteFile, ScriptError> {
        parse_suite("t.session", text, &Zap)
    }

    const GOOD: &str = r#"
# registration
case zap.5.2.example "a registers"
  spec §5.1 §5.2
  why "clients need an id"
  timeout 3s
  open a
  a send 01
  a expect 02 {?alice}
  a send 03 {alice}
  a expect silent | tolerate closed
  a expect closed | tolerate silent 200ms
  a expect 11 {?g} {*} {alice} | unimplemented silent
  a expect-optional 07 {alice} 1700000000
  a send-raw "03{alice}\r\n"
  reopen a
  wait 50ms
"#;

    #[test]
    fn authority_setup_and_ignore_parse() {
        let suite = parse(
            r#"
case zap.7.1.x "x"
  spec §7.1
  seed "Quando o servidor conseguir entregar a mensagem para o cliente (destinatário), ele deverá notificar o originador sobre a entrega."
  decision D5 D14
  open a
  a send 01
  a expect 02 {?alice}
  a ignore 07 {*} {*}
  check
  a send 03 {alice}
  a expect 07 {alice} 1700000000 | tolerate D5 07 {alice} {*}
"#,
        )
        .unwrap();
        let case = &suite.cases[0];
        assert_eq!(case.authority.seed.len(), 1);
        assert!(case.authority.seed[0].starts_with("Quando o servidor"));
        assert_eq!(case.authority.decisions, ["D5", "D14"]);
        assert!(!case.authority.decision_only());
        let setup: Vec<bool> = case.steps.iter().map(|s| s.setup).collect();
        assert_eq!(setup, [true, true, true, true, false, false]);
        assert!(matches!(&case.steps[3].kind, StepKind::Ignore { conn, .. } if conn == "a"));
        let StepKind::Expect { alts, .. } = &case.steps[5].kind else {
            panic!("{:?}", case.steps[5]);
        };
        assert_eq!(alts[1].decision.as_deref(), Some("D5"));
        assert_eq!(alts[1].display(), "tolerate D5 07 {alice} {*}");
        assert_eq!(alts[0].decision, None);
    }

    #[test]
    fn authority_mistakes_are_named() {
        let err = |text: &str| parse(text).unwrap_err().message;
        let head = "case a.b \"t\"\n  spec §1\n";
        assert!(err(&format!("{head}  decision 15\n  open a\n")).contains("D15"));
        assert!(err(&format!("{head}  open a\n  check\n")).contains("nothing after its `check`"));
        assert!(
            err(&format!("{head}  open a\n  check\n  check\n  a send 01\n"))
                .contains("already has its `check`")
        );
        assert!(
            err(&format!("{head}  open a\n  a ignore 02 {{?x}}\n")).contains("captures nothing")
        );
        assert!(err(&format!("{head}  seed\n")).contains("seed quotes"));
    }

    #[test]
    fn parses_a_case_with_every_statement() {
        let suite = parse(GOOD).unwrap();
        let case = &suite.cases[0];
        assert_eq!(case.spec, ["§5.1", "§5.2"]);
        assert_eq!(case.timeout, Some(Duration::from_secs(3)));
        assert_eq!(case.steps.len(), 11);
        let StepKind::Expect { alts, .. } = &case.steps[6].kind else {
            panic!()
        };
        assert_eq!(alts.len(), 2);
        assert_eq!(alts[1].level, Level::Unimplemented);
        assert_eq!(alts[0].display(), "11 {?g} {*} {alice}");
        let StepKind::Expect { alts, .. } = &case.steps[5].kind else {
            panic!()
        };
        assert!(
            matches!(alts[1].what, Outcome::Silent(Some(d)) if d == Duration::from_millis(200))
        );
    }

    const LRV: &str = r#"
protocol lrv
case lrv.x "loops, counters, pace and presets"
  spec §8.3
  precondition
  pace 0ms
  open a b
  a send REGISTRAR {cpf1}
  for n in 1..{raffle-size}
    a send COMPRAR {n}
    a expect count won 202 | 401
  end
  b send COMPRAR {n}
  b expect count won 202 | 401
  counted won 1
"#;

    #[test]
    fn loops_counters_pace_and_presets_parse() {
        let suite = parse_suite("t.session", LRV, &crate::lrv::Lrv::default()).unwrap();
        let case = &suite.cases[0];
        assert!(case.precondition);
        assert_eq!(case.pace, Some(Duration::ZERO));
        let StepKind::For {
            var,
            from,
            to,
            body,
        } = &case.steps[3].kind
        else {
            panic!("{:?}", case.steps[3].kind)
        };
        assert_eq!(
            (var.as_str(), from.display(), to.display()),
            ("n", "1".into(), "{raffle-size}".into())
        );
        assert_eq!(body.len(), 2);
        let StepKind::Expect { alts, .. } = &body[1].kind else {
            panic!()
        };
        assert_eq!(alts[0].count.as_deref(), Some("won"));
        assert_eq!(alts[1].count, None);
        assert!(
            matches!(&case.steps[6].kind, StepKind::Counted { name, times: 1 } if name == "won")
        );
    }

    #[test]
    fn loop_and_counter_mistakes_are_named() {
        let lrv = crate::lrv::Lrv::default();
        let err = |text: &str| parse_suite("t.session", text, &lrv).unwrap_err().message;
        let head = "case lrv.x \"x\"\n  spec §1\n  open a\n";
        assert!(err(&format!("{head}  for n in 1..3\n  a send SAIR\n")).contains("has no `end`"));
        assert!(err(&format!("{head}  end\n")).contains("without a `for`"));
        assert!(err(&format!("{head}  for n in 1..3\n  for m in 1..2\n")).contains("do not nest"));
        assert!(err(&format!("{head}  for n in 1-3\n")).contains("FROM..TO"));
        assert!(err(&format!("{head}  for n in 1..{{x}}\n")).contains("{x} is used before"));
        assert!(err(&format!("{head}  counted won 1\n")).contains("no alternative counts"));
        assert!(
            err(&format!("{head}  a send REGISTRAR {{cpf99}}\n"))
                .contains("{cpf99} is used before")
        );
    }

    #[test]
    fn titles_and_whys_in_portuguese_are_unquoted() {
        let suite = parse(
            "case x.y \"the title\"\n  title pt-BR \"o título\"\n  spec §1\n  why \"say \\\"hi\\\"\"\n  why pt-BR \"diga \\\"oi\\\"\"\n  open a\n  a send 01\n",
        )
        .unwrap();
        let c = &suite.cases[0];
        assert_eq!(c.title, "the title");
        assert_eq!(c.why, "say \"hi\"");
        assert_eq!(c.pt_br.title.as_deref(), Some("o título"));
        assert_eq!(c.pt_br.why.as_deref(), Some("diga \"oi\""));
        let e = parse("case x \"t\"\n  title \"again\"\n").unwrap_err();
        assert!(e.message.contains("title pt-BR"), "{e}");
        let e = parse("case x \"t\"\n  why pt-BR \"sem fim\n").unwrap_err();
        assert!(e.message.contains("unterminated"), "{e}");
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse("case x.y \"t\"\n  spec §1\n  open a\n  a send 03 {bob}\n").unwrap_err();
        assert_eq!(
            (e.line, e.col),
            (4, 10),
            "the column where the message starts"
        );
        assert!(
            e.message.contains("{bob} is used before it is captured"),
            "{e}"
        );
        assert_eq!(
            e.to_string().split(':').take(3).collect::<Vec<_>>(),
            ["t.session", "4", "10"]
        );

        let e = parse("case x \"t\"\n  spec §1\n  b send 01\n").unwrap_err();
        assert_eq!((e.line, e.col), (3, 3));
        let e = parse("case x \"t\"\n  open a\n  a send 01\n").unwrap_err();
        assert!(e.message.contains("cites no spec"), "{e}");
        let e = parse("  open a\n").unwrap_err();
        assert!(e.message.contains("outside a case"), "{e}");
        let e = parse("case x \"t\"\n spec §1\n open a\n a frobnicate\n").unwrap_err();
        assert!(e.message.contains("unknown verb"), "{e}");
        let e = parse("case x \"t\"\n spec §1\n open a\n a expect 02 x{?id}\n").unwrap_err();
        assert!(e.message.contains("whole field"), "{e}");
    }

    #[test]
    fn alternatives_split_outside_quotes_and_braces() {
        let parts = split_alternatives(r#"05 a "x|y" | tolerate silent"#, 10);
        assert_eq!(parts, [(r#"05 a "x|y""#, 10), ("tolerate silent", 23)]);
    }
}
