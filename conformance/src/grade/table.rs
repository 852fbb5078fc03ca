//! The grading table: one row per student, one column per top-level spec
//! section (passed/graded, from [`by_section`]), the total and the score.
//! The console, CSV, JSON and HTML reports all render this one model, so
//! they cannot disagree.

use std::fmt::Write as _;
use std::time::Duration;

use super::files::page_names;
use super::student::StudentReport;
use super::text::{cell, pad, pad_left, printable, width};
use crate::lang::t;
use crate::report::{Summary, by_section};
use crate::verdict::Verdict;

#[derive(Debug, Clone)]
pub struct Table {
    /// `§3`, `§4`, … in numeric order: every section any student was
    /// graded in.
    pub sections: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    /// `NAME.html`, the student's page under `students/`.
    pub page: String,
    pub target: String,
    /// Why the student could not be graded; its cells are then empty.
    pub error: Option<String>,
    /// `(passed, graded)` per section, `None` where nothing was graded.
    pub cells: Vec<Option<(usize, usize)>>,
    pub summary: Summary,
    pub duration: Duration,
}

impl Row {
    /// The score in percent; 0 for a student who could not be graded.
    pub fn score(&self) -> f64 {
        if self.error.is_some() {
            0.0
        } else {
            self.summary.score()
        }
    }

    /// The stable status code of the CSV and JSON: `graded` or `ERROR`,
    /// in every language.
    pub fn status(&self) -> &'static str {
        if self.error.is_some() {
            "ERROR"
        } else {
            "graded"
        }
    }
}

/// Why a student none of whose cases could be tested was not graded: the
/// first case's reason (target refused, died at start, down), so the row
/// says ERROR and why instead of "0/67 0.0%".
fn all_error(results: &[crate::run::CaseResult]) -> Option<String> {
    let all = !results.is_empty() && results.iter().all(|r| r.verdict == Verdict::Error);
    all.then(|| {
        results
            .iter()
            .find_map(|r| r.failure.as_ref())
            .map(|f| format!("{}: {}", f.expected, f.actual))
            .unwrap_or_else(|| t("every case was an ERROR", "todos os casos deram ERRO").into())
    })
}

impl Table {
    pub fn of(reports: &[StudentReport]) -> Table {
        let per_student: Vec<Vec<(String, usize, usize)>> =
            reports.iter().map(|r| by_section(&r.results)).collect();
        let mut sections: Vec<String> = per_student
            .iter()
            .flatten()
            .map(|(s, _, _)| s.clone())
            .collect();
        sections.sort_by_key(|s| (section_number(s), s.clone()));
        sections.dedup();
        let pages = page_names(reports.iter().map(|r| r.name.as_str()));
        let rows = reports
            .iter()
            .zip(per_student)
            .zip(pages)
            .map(|((r, secs), page)| Row {
                name: r.name.clone(),
                page,
                target: r.target.clone(),
                error: r.error.clone().or_else(|| all_error(&r.results)),
                cells: sections
                    .iter()
                    .map(|s| {
                        secs.iter()
                            .find(|(name, _, _)| name == s)
                            .filter(|(_, _, graded)| {
                                *graded > 0 && r.error.is_none() && all_error(&r.results).is_none()
                            })
                            .map(|(_, p, g)| (*p, *g))
                    })
                    .collect(),
                summary: Summary::of(&r.results),
                duration: r.duration,
            })
            .collect();
        Table { sections, rows }
    }

    /// The table for a terminal, then the reason of every ERROR row; in
    /// the report's language (`--lang`).
    pub fn console(&self) -> String {
        let student = t("student", "aluno");
        let error = Verdict::Error.display();
        let name_w = self
            .rows
            .iter()
            .map(|r| cell(&r.name, 24).chars().count())
            .chain([width(student)])
            .max()
            .unwrap_or(0);
        let cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| fraction(*c)).collect())
            .collect();
        let col_w: Vec<usize> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                cells
                    .iter()
                    .map(|c| c[i].chars().count())
                    .chain([s.chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let totals: Vec<String> = self
            .rows
            .iter()
            .map(|r| match r.error {
                Some(_) => error.to_string(),
                None => format!("{}/{}", r.summary.passed, r.summary.graded()),
            })
            .collect();
        let total_head = t("total", "total");
        let total_w = totals
            .iter()
            .map(|s| width(s))
            .chain([width(total_head)])
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        let _ = write!(out, "{}", pad(student, name_w));
        for (s, w) in self.sections.iter().zip(&col_w) {
            let _ = write!(out, "  {}", pad_left(s, *w));
        }
        let _ = writeln!(
            out,
            "  {}  {:>6}  {:>7}",
            pad_left(total_head, total_w),
            t("score", "nota"),
            t("time", "tempo")
        );
        for ((r, cells), total) in self.rows.iter().zip(&cells).zip(&totals) {
            let _ = write!(out, "{}", pad(&cell(&r.name, 24), name_w));
            for (c, w) in cells.iter().zip(&col_w) {
                let _ = write!(out, "  {}", pad_left(c, *w));
            }
            let score = match r.error {
                Some(_) => "-".to_string(),
                None => format!("{:.1}%", r.score()),
            };
            let _ = writeln!(
                out,
                "  {}  {score:>6}  {:>6.1}s",
                pad_left(total, total_w),
                r.duration.as_secs_f64()
            );
        }
        for r in self.rows.iter().filter(|r| r.error.is_some()) {
            let why = printable(r.error.as_deref().unwrap_or_default());
            let _ = writeln!(
                out,
                "\n{}: {error}: {}",
                cell(&r.name, 24),
                why.replace('\n', "\n    ")
            );
        }
        out
    }
}

/// `p/g`, or `-` where nothing was graded.
pub fn fraction(c: Option<(usize, usize)>) -> String {
    match c {
        Some((p, g)) => format!("{p}/{g}"),
        None => "-".to_string(),
    }
}

fn section_number(s: &str) -> u32 {
    s.trim_start_matches('§').parse().unwrap_or(u32::MAX)
}
