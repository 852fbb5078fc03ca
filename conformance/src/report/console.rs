//! The console report: one line per case; for anything but PASS, the
//! requirement, expected vs actual, and the exchanged bytes.

use std::fmt::Write as _;

use gabarito_codec::escape::escape_excerpt;

use super::diff::{DiffLine, diff_lines};
use super::{RunInfo, Summary, by_section};
use crate::lang::t;
use crate::run::{CaseResult, Dir};
use crate::verdict::Verdict;

/// Every verdict, in the order the summary counts them.
const VERDICTS: [Verdict; 6] = [
    Verdict::Pass,
    Verdict::NonStrict,
    Verdict::Unimplemented,
    Verdict::Skipped,
    Verdict::Fail,
    Verdict::Error,
];

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
    let label_width = VERDICTS
        .iter()
        .map(|v| v.display().chars().count())
        .max()
        .unwrap_or(0);
    for r in results {
        let _ = writeln!(
            out,
            "{:<label_width$} {:<width$}  {}",
            r.verdict.display(),
            r.id,
            r.title_text()
        );
        for n in &r.notes {
            let _ = writeln!(
                out,
                "    {} ({} {}, {} {}): {}",
                t("note", "nota"),
                info.protocol,
                n.section,
                t("line", "linha"),
                n.line,
                n.text
            );
        }
        if r.verdict == Verdict::Skipped && r.exchange.is_empty() {
            // Nothing ran: the reason is the whole story.
            if let Some(f) = &r.failure {
                let _ = writeln!(out, "    {}: {}", t("skipped", "pulado"), f.actual);
            }
        } else if r.verdict != Verdict::Pass && r.verdict != Verdict::NonStrict || verbose {
            details(&mut out, info, r, golden(r));
        }
    }
    let s = Summary::of(results);
    let _ = writeln!(
        out,
        "\n{}",
        match crate::lang::current() {
            crate::lang::Lang::En => format!(
                "{} conformance of {}: {} case(s) in {:.1}s{}",
                info.protocol,
                info.target,
                results.len(),
                info.duration.as_secs_f64(),
                if info.strict { " (--strict)" } else { "" }
            ),
            crate::lang::Lang::PtBr => format!(
                "conformidade {} de {}: {} caso(s) em {:.1}s{}",
                info.protocol,
                info.target,
                results.len(),
                info.duration.as_secs_f64(),
                if info.strict { " (--strict)" } else { "" }
            ),
        }
    );
    let counts: Vec<String> = VERDICTS
        .iter()
        .map(|v| format!("{} {}", v.display(), s.count(*v)))
        .collect();
    let _ = writeln!(out, "  {}", counts.join("  "));
    let sections: Vec<String> = by_section(results)
        .into_iter()
        .map(|(sec, p, g)| format!("{sec} {p}/{g}"))
        .collect();
    let _ = writeln!(
        out,
        "  {}: {}",
        t("by section", "por seção"),
        sections.join("  ")
    );
    let _ = writeln!(
        out,
        "  {}: {}/{} = {:.1}%  ({})",
        t("score", "nota"),
        s.passed,
        s.graded(),
        s.score(),
        t(
            "PASS + NON-STRICT over all but SKIPPED: what the seed requires",
            "PASSOU + TOLERADO sobre todos menos PULADO: o que o enunciado exige"
        )
    );
    let _ = writeln!(
        out,
        "  {}: {}/{} = {:.1}%  ({})",
        t("strict score", "nota estrita"),
        s.count(Verdict::Pass),
        s.graded(),
        s.strict_score(),
        t(
            "PASS alone: every decision of the spec followed too",
            "só PASSOU: seguindo também cada decisão da especificação"
        )
    );
    let _ = writeln!(out, "{}", s.closing_line());
    out
}

fn details(out: &mut String, info: &RunInfo, r: &CaseResult, golden: Option<Vec<String>>) {
    let sections = r.spec.join(" ");
    let _ = writeln!(
        out,
        "    {:<12} {} {sections}: {}",
        t("requirement", "requisito"),
        info.protocol,
        r.why_text()
    );
    for quote in &r.authority.seed {
        let _ = writeln!(out, "    {:<12} «{quote}»", t("seed", "enunciado"));
    }
    if !r.authority.decisions.is_empty() {
        let _ = writeln!(
            out,
            "    {:<12} {} {}",
            t("decision", "decisão"),
            r.authority.decisions.join(", "),
            if r.authority.decision_only() {
                t(
                    "(a choice of the spec where the seed allows several readings: another reading is NON-STRICT)",
                    "(uma escolha da especificação onde o enunciado permite várias leituras: outra leitura é TOLERADO)",
                )
            } else {
                ""
            }
        );
    }
    if let Some(f) = &r.failure {
        if !f.step.is_empty() {
            let _ = writeln!(
                out,
                "    {:<12} {}:{}   {}",
                t("at", "em"),
                r.file,
                f.line,
                f.step
            );
        }
        let _ = writeln!(
            out,
            "    {:<12} {}",
            t("expected", "esperado"),
            f.expected.replace('\n', "\n                 ")
        );
        let _ = writeln!(
            out,
            "    {:<12} {}",
            t("actual", "recebido"),
            f.actual.replace('\n', "\n                 ")
        );
        if let Some(output) = &r.target_output {
            let _ = writeln!(
                out,
                "    {}\n                 {}",
                t(
                    "the server printed while this case ran:",
                    "o servidor escreveu durante este caso:"
                ),
                output.replace('\n', "\n                 ")
            );
        }
    }
    if !r.exchange.is_empty() {
        let _ = writeln!(
            out,
            "    {}",
            t(
                "exchange (time, connection, direction, fields, bytes):",
                "troca (tempo, conexão, sentido, campos, bytes):"
            )
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
            "    {}",
            t(
                "compared with the reference server (- reference only, + this target only):",
                "comparado com o servidor de referência (- só na referência, + só neste alvo):"
            )
        );
        for l in diff_lines(&golden, &r.transcript) {
            let _ = match l {
                DiffLine::Same(s) => writeln!(out, "        {}", transcript_words(&s)),
                DiffLine::Golden(s) => writeln!(out, "      - {}", transcript_words(&s)),
                DiffLine::Target(s) => writeln!(out, "      + {}", transcript_words(&s)),
            };
        }
    }
}

/// A transcript line as a person reads it: transcripts are recorded in one
/// language (they are compared with the golden ones), and their few words
/// are translated when shown.
fn transcript_words(line: &str) -> String {
    if crate::lang::current() == crate::lang::Lang::En {
        return line.to_string();
    }
    let words = [
        (" < garbage ", " < lixo "),
        (" < closed", " < fechada"),
        (" · silent", " · silêncio"),
        ("open ", "abre "),
        ("close ", "fecha "),
        ("restart kill", "reinicia com kill"),
        ("restart", "reinicia"),
    ];
    let mut s = line.to_string();
    for (en, pt) in words {
        if let Some(rest) = s.strip_prefix(en) {
            s = format!("{pt}{rest}");
        } else if let Some(i) = s.find(en).filter(|_| en.starts_with(' ')) {
            s = format!("{}{pt}{}", &s[..i], &s[i + en.len()..]);
        }
    }
    s
}
