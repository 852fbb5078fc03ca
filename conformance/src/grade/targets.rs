//! The targets file of `conformance grade`: who is graded, and how each
//! server is reached or started.
//!
//! ```toml
//! # class.toml — one [[student]] table per student.
//! [[student]]
//! name = "alice"
//! exec = "python3 servidor.py {port}"   # started by the harness, under sh -c
//! cwd = "alice"                         # relative to this file
//! env = { DATA_DIR = "/tmp/alice" }
//! start_timeout = "20s"                 # default: --start-timeout
//! sandbox = "none"                      # default: --sandbox (auto)
//!
//! [[student]]
//! name = "bob"
//! exec = "java -jar servidor.jar"       # listens on a port it chose itself
//! cwd = "bob"
//! port = 5000                           # students with the same port never run at once
//!
//! [[student]]
//! name = "carol"
//! target = "10.0.0.7:5000"              # already running: no restart cases
//! ```
//!
//! Each student has `name` and exactly one of `target` (`HOST:PORT`, already
//! listening) or `exec` (a shell command; `{port}` and `{host}` in it, and
//! `$PORT`, `$HOST` in its environment, are where it must listen). Only
//! with `exec`: `cwd`, `env`, `port` (a fixed port; otherwise a free port on
//! 127.0.0.1 is chosen for each student), `start_timeout` and `sandbox`
//! (`auto`, `bwrap` or `none`).
//!
//! Everything is checked before any server starts: a mistake in a class of
//! 100 found after an hour of grading would cost the hour. Every error
//! names the file, the line and the key.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::sandbox::Mode;
use crate::script::parse::parse_duration;

/// One student of the targets file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    pub name: String,
    /// Where the student's table starts in the targets file.
    pub line: usize,
    pub how: How,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Already listening at `HOST:PORT` (resolved when the student's turn
    /// comes, so a name that does not resolve is that student's ERROR).
    Target(String),
    Exec(Exec),
}

/// A server the harness starts, restarts and stops.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exec {
    pub command: String,
    /// Absolute, or relative to the directory the harness runs in.
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub port: Option<u16>,
    pub start_timeout: Option<Duration>,
    /// This student's `--sandbox`, when it differs from the batch's.
    pub sandbox: Option<Mode>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    student: Option<Vec<Spanned<RawStudent>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStudent {
    name: Option<Spanned<String>>,
    target: Option<Spanned<String>>,
    exec: Option<Spanned<String>>,
    cwd: Option<Spanned<String>>,
    env: Option<Spanned<BTreeMap<String, String>>>,
    port: Option<Spanned<u16>>,
    start_timeout: Option<Spanned<String>>,
    sandbox: Option<Spanned<Mode>>,
}

/// Reads and checks the targets file at `path`.
pub fn load(path: &Path) -> Result<Vec<Student>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the targets file {}: {e}", path.display()))?;
    let base = path.parent().unwrap_or(Path::new(""));
    parse(&path.display().to_string(), &text, base)
}

/// Parses a targets file's `text`; `file` names it in errors, and relative
/// `cwd`s are taken relative to `base`.
pub fn parse(file: &str, text: &str, base: &Path) -> Result<Vec<Student>, String> {
    let at = Locator { file, text };
    let raw: RawFile = toml::from_str(text).map_err(|e| at.toml_error(&e))?;
    let Some(raw) = raw.student.filter(|s| !s.is_empty()) else {
        return Err(format!(
            "{file}: no students: add a [[student]] table with `name` and `target` or `exec` for each (see conformance grade --help)"
        ));
    };
    let mut errors = Vec::new();
    let mut students = Vec::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    for entry in raw {
        let line = at.line(entry.span().start);
        let s = entry.into_inner();
        let (name, name_line) = match &s.name {
            Some(n) => (n.get_ref().trim().to_string(), at.line(n.span().start)),
            None => (String::new(), line),
        };
        if s.name.is_none() {
            errors.push(at.error(line, "name", "missing: every student needs a name"));
        } else if name.is_empty() {
            errors.push(at.error(name_line, "name", "must not be empty"));
        } else if let Some(first) = names.insert(name.clone(), name_line) {
            errors.push(at.error(
                name_line,
                "name",
                &format!("\"{name}\" is already the name of the student at line {first}"),
            ));
        }
        match student(&at, base, line, name, s) {
            Ok(student) => students.push(student),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(students)
    } else {
        Err(errors.join("\n"))
    }
}

fn student(
    at: &Locator,
    base: &Path,
    line: usize,
    name: String,
    s: RawStudent,
) -> Result<Student, Vec<String>> {
    let mut errors = Vec::new();
    let how = match (s.target, s.exec) {
        (Some(t), Some(e)) => {
            errors.push(at.error(
                at.line(e.span().start),
                "exec",
                &format!(
                    "a student has `target` (line {}) or `exec`, not both",
                    at.line(t.span().start)
                ),
            ));
            None
        }
        (None, None) => {
            errors.push(at.error(
                line,
                "target",
                "missing: a student needs `target = \"HOST:PORT\"` (already running) or `exec = \"CMD\"` (started by the harness)",
            ));
            None
        }
        (Some(t), None) => {
            for (key, span) in [
                ("cwd", s.cwd.as_ref().map(Spanned::span)),
                ("env", s.env.as_ref().map(Spanned::span)),
                ("port", s.port.as_ref().map(Spanned::span)),
                ("start_timeout", s.start_timeout.as_ref().map(Spanned::span)),
                ("sandbox", s.sandbox.as_ref().map(Spanned::span)),
            ] {
                if let Some(span) = span {
                    errors.push(at.error(
                        at.line(span.start),
                        key,
                        "only applies with `exec`: the harness does not start a `target`",
                    ));
                }
            }
            let target = t.get_ref().trim();
            if target
                .rsplit_once(':')
                .is_none_or(|(h, p)| h.is_empty() || p.parse::<u16>().is_err())
            {
                errors.push(at.error(
                    at.line(t.span().start),
                    "target",
                    &format!("expected HOST:PORT (e.g. 127.0.0.1:5000), found \"{target}\""),
                ));
            }
            Some(How::Target(target.to_string()))
        }
        (None, Some(e)) => exec(
            at,
            base,
            e,
            s.cwd,
            s.env,
            s.port,
            s.start_timeout,
            &mut errors,
        )
        .map(|e| {
            How::Exec(Exec {
                sandbox: s.sandbox.map(Spanned::into_inner),
                ..e
            })
        }),
    };
    match how {
        Some(how) if errors.is_empty() => Ok(Student { name, line, how }),
        _ => Err(errors),
    }
}

#[allow(clippy::too_many_arguments)]
fn exec(
    at: &Locator,
    base: &Path,
    command: Spanned<String>,
    cwd: Option<Spanned<String>>,
    env: Option<Spanned<BTreeMap<String, String>>>,
    port: Option<Spanned<u16>>,
    start_timeout: Option<Spanned<String>>,
    errors: &mut Vec<String>,
) -> Option<Exec> {
    if command.get_ref().trim().is_empty() {
        errors.push(at.error(at.line(command.span().start), "exec", "must not be empty"));
    }
    let cwd = cwd.map(|c| {
        let dir = base.join(c.get_ref());
        if !dir.is_dir() {
            errors.push(at.error(
                at.line(c.span().start),
                "cwd",
                &format!("{} is not a directory", dir.display()),
            ));
        }
        dir
    });
    if let Some(p) = &port {
        if *p.get_ref() == 0 {
            errors.push(at.error(
                at.line(p.span().start),
                "port",
                "must be 1–65535 (leave `port` out for a free port)",
            ));
        }
    }
    let env = env.map(|env| {
        let line = at.line(env.span().start);
        env.into_inner()
            .into_iter()
            .inspect(|(k, _)| {
                if k.is_empty() || k.contains('=') || k.contains('\0') {
                    errors.push(at.error(line, "env", &format!("\"{k}\" is not a variable name")));
                }
            })
            .collect()
    });
    let start_timeout = start_timeout.and_then(|t| match parse_duration(t.get_ref()) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(at.error(at.line(t.span().start), "start_timeout", &e));
            None
        }
    });
    Some(Exec {
        command: command.into_inner(),
        cwd,
        env: env.unwrap_or_default(),
        port: port.map(Spanned::into_inner),
        start_timeout,
        sandbox: None,
    })
}

/// Turns byte offsets into `file:line` for errors.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    fn error(&self, line: usize, key: &str, what: &str) -> String {
        format!("{}:{line}: `{key}`: {what}", self.file)
    }

    /// A TOML or shape error, with the key named even where the TOML
    /// library's message names only a type ("invalid type: integer").
    fn toml_error(&self, e: &toml::de::Error) -> String {
        let message = e.message().trim_end();
        let Some(span) = e.span() else {
            return format!("{}: {message}", self.file);
        };
        let line = self.line(span.start);
        let text = self.text.lines().nth(line - 1).unwrap_or("").trim();
        let key = text
            .split_once('=')
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.starts_with('['))
            .filter(|k| !message.contains(&format!("`{k}`")));
        match key {
            Some(key) => format!(
                "{}:{line}: `{key}`: {message}\n    {line} | {text}",
                self.file
            ),
            None => format!("{}:{line}: {message}\n    {line} | {text}", self.file),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Vec<Student> {
        parse("class.toml", text, Path::new("/")).unwrap()
    }

    fn parse_err(text: &str) -> String {
        parse("class.toml", text, Path::new("/")).unwrap_err()
    }

    #[test]
    fn reads_both_kinds_of_student() {
        let s = parse_ok(
            r#"
[[student]]
name = "alice"
exec = "python3 servidor.py {port}"
cwd = "tmp"
env = { DATA = "/tmp/a" }
port = 5000
start_timeout = "20s"
sandbox = "none"

[[student]]
name = "bob"
target = "127.0.0.1:6000"
"#,
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 2);
        assert_eq!(
            s[0].how,
            How::Exec(Exec {
                command: "python3 servidor.py {port}".into(),
                cwd: Some(PathBuf::from("/tmp")),
                env: vec![("DATA".into(), "/tmp/a".into())],
                port: Some(5000),
                start_timeout: Some(Duration::from_secs(20)),
                sandbox: Some(Mode::None),
            })
        );
        assert_eq!(s[1].how, How::Target("127.0.0.1:6000".into()));
        assert_eq!(s[1].line, 11);
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let e = parse_err("[[student]]\nname = \"a\"\ntagret = \"x:1\"\n");
        assert!(e.starts_with("class.toml:3:"), "{e}");
        assert!(e.contains("tagret"), "{e}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key() {
        let e = parse_err("[[student]]\nname = \"a\"\nexec = \"x\"\nport = \"5000\"\n");
        assert!(e.starts_with("class.toml:4: `port`:"), "{e}");
    }

    #[test]
    fn duplicate_names_both_and_neither_are_all_reported() {
        let e = parse_err(
            r#"[[student]]
name = "a"
target = "h:1"

[[student]]
name = "a"
target = "h:2"
exec = "x"

[[student]]
name = "b"

[[student]]
target = "h:3"
"#,
        );
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines.len(), 4, "{e}");
        assert!(
            lines[3].starts_with("class.toml:13: `name`: missing"),
            "{e}"
        );
        assert!(
            lines[0].starts_with("class.toml:6: `name`:") && lines[0].contains("line 2"),
            "{e}"
        );
        assert!(lines[1].starts_with("class.toml:8: `exec`:"), "{e}");
        assert!(lines[2].starts_with("class.toml:10: `target`:"), "{e}");
    }

    #[test]
    fn exec_options_need_exec_and_must_make_sense() {
        let e = parse_err(
            r#"[[student]]
name = "a"
target = "h:1"
port = 5

[[student]]
name = "b"
exec = "x"
cwd = "no/such/dir"
port = 0
start_timeout = "soon"
"#,
        );
        assert!(
            e.contains("class.toml:4: `port`: only applies with `exec`"),
            "{e}"
        );
        assert!(e.contains("class.toml:9: `cwd`:"), "{e}");
        assert!(e.contains("class.toml:10: `port`:"), "{e}");
        assert!(e.contains("class.toml:11: `start_timeout`:"), "{e}");
    }

    #[test]
    fn an_empty_file_or_a_bad_target_is_an_error() {
        assert!(parse_err("").contains("no students"));
        let e = parse_err("[[student]]\nname = \"a\"\ntarget = \"localhost\"\n");
        assert!(e.starts_with("class.toml:3: `target`:"), "{e}");
    }
}
