//! `students/NAME.html`: one student's grade, and for every case that did
//! not pass what the console report shows — the requirement, expected vs
//! actual, every byte exchanged, and the difference from the reference
//! server's transcript.

use std::fmt::Write as _;

use gabarito_codec::escape::escape_excerpt;

use super::{cell_class, esc, page};
use crate::grade::BatchInfo;
use crate::grade::student::StudentReport;
use crate::grade::table::{Row, Table, fraction};
use crate::lang::{Lang, current, t};
use crate::report::{DiffLine, diff_lines};
use crate::run::{CaseResult, Dir};
use crate::suites;
use crate::verdict::Verdict;

/// How many bytes of one write or read a page shows (the JSON has all).
const BYTES_SHOWN: usize = 2048;

pub fn student_page(info: &BatchInfo, table: &Table, row: &Row, report: &StudentReport) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<p><a href=\"../index.html\">← {}</a></p>",
        t("all students", "todos os alunos")
    );
    let _ = writeln!(b, "<h1>{}</h1>", esc(&row.name));
    b.push_str("<dl class=\"detail\">\n");
    let _ = writeln!(
        b,
        "<dt>{}</dt><dd><code>{}</code></dd>",
        t("target", "alvo"),
        esc(&row.target)
    );
    let score = t("score", "nota");
    match &row.error {
        Some(_) => {
            let _ = writeln!(
                b,
                "<dt>{score}</dt><dd>{}: {}</dd>",
                Verdict::Error.display(),
                t("could not be graded", "não pôde ser avaliado")
            );
        }
        None => {
            let _ = writeln!(
                b,
                "<dt>{score}</dt><dd>{}/{} = {:.1}%{}</dd>",
                row.summary.passed,
                row.summary.graded(),
                row.score(),
                if info.strict { " (--strict)" } else { "" }
            );
        }
    }
    let counts: Vec<String> = [
        Verdict::Pass,
        Verdict::NonStrict,
        Verdict::Unimplemented,
        Verdict::Skipped,
        Verdict::Fail,
        Verdict::Error,
    ]
    .iter()
    .map(|v| format!("{} {}", v.display(), row.summary.count(*v)))
    .collect();
    let _ = writeln!(
        b,
        "<dt>{}</dt><dd>{}</dd>",
        t("cases", "casos"),
        esc(&counts.join(", "))
    );
    let _ = writeln!(
        b,
        "<dt>{}</dt><dd>{:.1}s</dd>\n</dl>",
        t("time", "tempo"),
        row.duration.as_secs_f64()
    );
    if let Some(why) = &row.error {
        let _ = writeln!(
            b,
            "<h2>{}</h2>\n<pre>{}</pre>",
            t("Could not be graded", "Não pôde ser avaliado"),
            esc(why)
        );
    } else {
        b.push_str("<table class=\"sections\">\n<thead><tr>");
        for s in &table.sections {
            let _ = write!(b, "<th class=\"num\">{}</th>", esc(s));
        }
        b.push_str("</tr></thead>\n<tbody><tr>");
        for c in &row.cells {
            let _ = write!(
                b,
                "<td class=\"num {}\">{}</td>",
                cell_class(*c),
                fraction(*c)
            );
        }
        b.push_str("</tr></tbody>\n</table>\n");
    }
    let shown: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .collect();
    if row.error.is_none() {
        let golden = suites::golden_index(&report.results);
        let _ = writeln!(
            b,
            "<h2>{} ({})</h2>",
            t("Cases that did not pass", "Casos que não passaram"),
            shown.len()
        );
        if shown.is_empty() {
            let _ = writeln!(
                b,
                "<p>{}</p>",
                t(
                    "None: every case passed.",
                    "Nenhum: todos os casos passaram."
                )
            );
        }
        for r in &shown {
            case(&mut b, info, r, golden.get(&r.id));
        }
    }
    let passed: Vec<&CaseResult> = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Pass)
        .collect();
    if !passed.is_empty() {
        let _ = writeln!(
            b,
            "<h2>{} ({})</h2>\n<ul class=\"passed\">",
            t("Passed", "Passaram"),
            passed.len()
        );
        for r in passed {
            let _ = writeln!(
                b,
                "<li><code>{}</code> {}</li>",
                esc(&r.id),
                esc(r.title_text())
            );
        }
        b.push_str("</ul>\n");
    }
    let title = match current() {
        Lang::En => format!("{}: {} grade", row.name, info.protocol),
        Lang::PtBr => format!("{}: nota {}", row.name, info.protocol),
    };
    page(&title, &b)
}

fn case(b: &mut String, info: &BatchInfo, r: &CaseResult, golden: Option<&Vec<String>>) {
    let class = r.verdict.label().to_ascii_lowercase();
    let _ = writeln!(
        b,
        "<div class=\"case {class}\" id=\"{}\">\n<h3><span class=\"verdict\">{}</span> <code>{}</code> {}</h3>",
        esc(&r.id),
        r.verdict.display(),
        esc(&r.id),
        esc(r.title_text())
    );
    if r.verdict == Verdict::Skipped && r.exchange.is_empty() {
        if let Some(f) = &r.failure {
            let _ = writeln!(b, "<p>{}: {}</p>", t("skipped", "pulado"), esc(&f.actual));
        }
        b.push_str("</div>\n");
        return;
    }
    b.push_str("<dl class=\"detail\">\n");
    let _ = writeln!(
        b,
        "<dt>{}</dt><dd>{} {}: {}</dd>",
        t("requirement", "requisito"),
        esc(&info.protocol),
        esc(&r.spec.join(" ")),
        esc(r.why_text())
    );
    for n in &r.notes {
        let _ = writeln!(
            b,
            "<dt>{}</dt><dd>{} {}, {} {}: {}</dd>",
            t("note", "observação"),
            esc(&info.protocol),
            esc(&n.section),
            t("line", "linha"),
            n.line,
            esc(&n.text)
        );
    }
    if let Some(f) = &r.failure {
        if !f.step.is_empty() {
            let _ = writeln!(
                b,
                "<dt>{}</dt><dd><code>{}:{}</code> <code>{}</code></dd>",
                t("at", "em"),
                esc(&r.file),
                f.line,
                esc(&f.step)
            );
        }
        let _ = writeln!(
            b,
            "<dt>{}</dt><dd><pre>{}</pre></dd>\n<dt>{}</dt><dd><pre>{}</pre></dd>",
            t("expected", "esperado"),
            esc(&f.expected),
            t("actual", "recebido"),
            esc(&f.actual)
        );
    }
    b.push_str("</dl>\n");
    if !r.exchange.is_empty() {
        let _ = writeln!(
            b,
            "<table class=\"exchange\">\n<caption>{}</caption>\n<thead><tr><th class=\"num\">{}</th><th>{}</th><th></th><th>{}</th><th>bytes</th></tr></thead>\n<tbody>",
            t("exchange", "troca"),
            t("time", "tempo"),
            t("conn", "conexão"),
            t("fields", "campos")
        );
        for e in &r.exchange {
            let (dir, arrow) = match e.dir {
                Dir::Sent => ("sent", "&gt;"),
                Dir::Received => ("received", "&lt;"),
                Dir::Event => ("event", "·"),
            };
            let raw = if e.raw.is_empty() || e.dir == Dir::Event {
                String::new()
            } else {
                format!("\"{}\"", escape_excerpt(&e.raw, BYTES_SHOWN))
            };
            let _ = writeln!(
                b,
                "<tr class=\"dir-{dir}\"><td class=\"num\">+{:.3}s</td><td>{}</td><td>{arrow}</td><td><code>{}</code></td><td class=\"bytes\">{}</td></tr>",
                e.at.as_secs_f64(),
                esc(&e.conn),
                esc(&e.text),
                esc(&raw)
            );
        }
        b.push_str("</tbody>\n</table>\n");
    }
    // As in the console: a case that never reached the target has nothing
    // to compare.
    let ran = !r.transcript.is_empty();
    if let Some(golden) = golden.filter(|g| ran && !g.is_empty() && **g != r.transcript) {
        let _ = write!(
            b,
            "<p>{} (<span class=\"golden\">- {}</span>, <span class=\"target\">+ {}</span>):</p>\n<pre class=\"diff\">",
            t(
                "Compared with the reference server",
                "Comparado com o servidor de referência"
            ),
            t("reference only", "só na referência"),
            t("this target only", "só neste alvo")
        );
        for l in diff_lines(golden, &r.transcript) {
            let _ = match l {
                DiffLine::Same(s) => writeln!(b, "  {}", esc(&s)),
                DiffLine::Golden(s) => writeln!(b, "<span class=\"golden\">- {}</span>", esc(&s)),
                DiffLine::Target(s) => writeln!(b, "<span class=\"target\">+ {}</span>", esc(&s)),
            };
        }
        b.push_str("</pre>\n");
    }
    b.push_str("</div>\n");
}
