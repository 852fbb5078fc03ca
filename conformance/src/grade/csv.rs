//! `summary.csv`: the grading table for a spreadsheet (RFC 4180: comma
//! separated, CRLF line ends, UTF-8 without a byte-order mark).
//!
//! Columns: `student`, `status` (`graded` or `ERROR`), then for each spec
//! section `§N passed` and `§N graded` (two numbers, not `5/7`, which a
//! spreadsheet reads as a date; empty where nothing was graded, and for
//! ERROR rows), then `passed`, `graded`, `score_percent`, `seconds`,
//! `target`, `page` (the student's HTML page) and `error`.
//!
//! The header keeps these English column names, and `status` its English
//! codes, whatever `--lang`: they are a stable schema that spreadsheets
//! and scripts look up by name (`§N` is the same in every language). Only
//! the free texts follow `--lang`, as everywhere a person reads them: the
//! `error` reason the harness writes and the `target` description.
//!
//! A field is quoted when it holds a comma, a quote, a line break or
//! leading or trailing spaces; quotes inside are doubled. A text field
//! (`student`, `target`, `error`) starting with `=`, `+`, `-` or `@` gets a
//! leading `'`, so a spreadsheet shows it instead of evaluating it: the
//! `error` column quotes what a student's server printed (its terminal
//! escapes dropped, other control characters shown as `\xNN`).

use std::fmt::Write as _;

use super::table::Table;
use super::text::printable;

pub fn csv(table: &Table) -> String {
    let mut header: Vec<String> = vec!["student".into(), "status".into()];
    for s in &table.sections {
        header.push(format!("{s} passed"));
        header.push(format!("{s} graded"));
    }
    header.extend(
        [
            "passed",
            "graded",
            "score_percent",
            "seconds",
            "target",
            "page",
            "error",
        ]
        .map(String::from),
    );
    let mut out = String::new();
    line(&mut out, &header);
    for r in &table.rows {
        let mut fields = vec![text(&r.name), r.status().to_string()];
        for c in &r.cells {
            match c {
                Some((p, g)) => {
                    fields.push(p.to_string());
                    fields.push(g.to_string());
                }
                None => fields.extend([String::new(), String::new()]),
            }
        }
        fields.push(r.summary.passed.to_string());
        fields.push(r.summary.graded().to_string());
        fields.push(format!("{:.1}", r.score()));
        fields.push(format!("{:.1}", r.duration.as_secs_f64()));
        fields.push(text(&r.target));
        fields.push(format!("students/{}", r.page));
        fields.push(text(r.error.as_deref().unwrap_or_default()));
        line(&mut out, &fields);
    }
    out
}

fn line(out: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    let _ = write!(out, "{}\r\n", quoted.join(","));
}

fn quote(field: &str) -> String {
    let needs = field.contains([',', '"', '\n', '\r'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// A text field without terminal escapes and control characters, and
/// neutralized where a spreadsheet would take it for a formula.
fn text(field: &str) -> String {
    let field = printable(field);
    if field.starts_with(['=', '+', '-', '@']) {
        format!("'{field}")
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(quote("alice"), "alice");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"oi\""), "\"say \"\"oi\"\"\"");
        assert_eq!(quote("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(quote(" pad"), "\" pad\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("alice"), "alice");
        assert_eq!(text("\x1b[31mred\x1b[0m\x07"), "red\\x07");
    }
}
