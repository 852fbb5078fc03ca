//! The console report: one line per case; for anything but PASS, the
//! requirement, expected vs actual, and the exchanged bytes.

use std::fmt::Write as _;

use gabarito_codec::escape::escape_excerpt;

use super::diff::{DiffLine, diff_lines};
use super::{RunInfo, Summary, by_section};
use crate::run::{CaseResult, Dir};
use crate::verdict::Verdict;

/// Renders the whole report. `golden` gives the reference transcript of a
/// case id, if known. `verbose` shows exchanges of passing cases too.
pub fn console(
    info: &RunInfo,
    results: &[CaseResult],
    golden: &dyn Fn(&CaseResult) -> Option<Vec<String>>,
    verbose: bool,
) -> String {
    let mut out = String::new();
    let width = results.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in results {
        let _ = writeln!(
            out,
            "{:<13} {:<width$}  {}",
            r.verdict.label(),
            r.id,
            r.title
        );
        for n in &r.notes {
            let _ = writeln!(
                out,
                "    note ({} {}, line {}): {}",
                info.protocol, n.section, n.line, n.text
            );
        }
        if r.verdict == Verdict::Skipped && r.exchange.is_empty() {
            // Nothing ran: the reason is the whole story.
            if let Some(f) = &r.failure {
                let _ = writeln!(out, "    skipped: {}", f.actual);
            }
        } else if r.verdict != Verdict::Pass && r.verdict != Verdict::NonStrict || verbose {
            details(&mut out, info, r, golden(r));
        }
    }
    let s = Summary::of(results);
    let _ = writeln!(
        out,
        "\n{} conformance of {}: {} case(s) in {:.1}s{}",
        info.protocol,
        info.target,
        results.len(),
        info.duration.as_secs_f64(),
        if info.strict { " (--strict)" } else { "" }
    );
    let counts: Vec<String> = [
        Verdict::Pass,
        Verdict::NonStrict,
        Verdict::Unimplemented,
        Verdict::Skipped,
        Verdict::Fail,
        Verdict::Error,
    ]
    .iter()
    .map(|v| format!("{} {}", v.label(), s.count(*v)))
    .collect();
    let _ = writeln!(out, "  {}", counts.join("  "));
    let sections: Vec<String> = by_section(results)
        .into_iter()
        .map(|(sec, p, g)| format!("{sec} {p}/{g}"))
        .collect();
    let _ = writeln!(out, "  by section: {}", sections.join("  "));
    let _ = writeln!(
        out,
        "  score: {}/{} = {:.1}%",
        s.passed,
        s.graded(),
        s.score()
    );
    let _ = writeln!(out, "{}", s.closing_line());
    out
}

fn details(out: &mut String, info: &RunInfo, r: &CaseResult, golden: Option<Vec<String>>) {
    let sections = r.spec.join(" ");
    let _ = writeln!(
        out,
        "    requirement  {} {sections}: {}",
        info.protocol,
        if r.why.is_empty() { &r.title } else { &r.why }
    );
    if let Some(f) = &r.failure {
        if !f.step.is_empty() {
            let _ = writeln!(out, "    at           {}:{}   {}", r.file, f.line, f.step);
        }
        let _ = writeln!(
            out,
            "    expected     {}",
            f.expected.replace('\n', "\n                 ")
        );
        let _ = writeln!(
            out,
            "    actual       {}",
            f.actual.replace('\n', "\n                 ")
        );
    }
    if !r.exchange.is_empty() {
        let _ = writeln!(
            out,
            "    exchange (time, connection, direction, fields, bytes):"
        );
        let text_width = r
            .exchange
            .iter()
            .map(|e| e.text.chars().count().min(60))
            .max()
            .unwrap_or(0);
        for e in &r.exchange {
            let text: String = if e.text.chars().count() > 60 {
                e.text.chars().take(59).chain(['…']).collect()
            } else {
                e.text.clone()
            };
            let raw = if e.raw.is_empty() || e.dir == Dir::Event {
                String::new()
            } else {
                format!("\"{}\"", escape_excerpt(&e.raw, 72))
            };
            let _ = writeln!(
                out,
                "      +{:>7.3}s {:<4} {} {:<text_width$}  {}",
                e.at.as_secs_f64(),
                e.conn,
                e.dir.arrow(),
                text,
                raw
            );
        }
    }
    // A case that never reached the target has nothing to compare.
    let ran = !r.transcript.is_empty();
    if let Some(golden) = golden.filter(|g| ran && !g.is_empty() && *g != r.transcript) {
        let _ = writeln!(
            out,
            "    compared with the reference server (- reference only, + this target only):"
        );
        for l in diff_lines(&golden, &r.transcript) {
            let _ = match l {
                DiffLine::Same(s) => writeln!(out, "        {s}"),
                DiffLine::Golden(s) => writeln!(out, "      - {s}"),
                DiffLine::Target(s) => writeln!(out, "      + {s}"),
            };
        }
    }
}
