//! Reports of a run: the console for people, JSON and JUnit for scripts.

mod console;
mod diff;
mod json;
mod junit;

pub use console::console;
pub use diff::{DiffLine, diff_lines};
pub use json::json;
pub use junit::junit;

use std::collections::BTreeMap;
use std::time::Duration;

use crate::run::CaseResult;
use crate::verdict::{Bucket, Verdict};

/// What was run against what.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub protocol: String,
    pub target: String,
    pub duration: Duration,
    pub strict: bool,
}

/// Counts by verdict, and the scores over the cases that were graded (all
/// but SKIPPED; [`Verdict::bucket`] is the one mapping): the score counts
/// what the seed requires (PASS + NON-STRICT), the strict score every
/// decision of the spec too (PASS alone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub counts: BTreeMap<Verdict, usize>,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Summary {
    pub fn of(results: &[CaseResult]) -> Summary {
        let mut s = Summary::default();
        for r in results {
            *s.counts.entry(r.verdict).or_default() += 1;
            match r.verdict.bucket() {
                Bucket::Passed => s.passed += 1,
                Bucket::Failed => s.failed += 1,
                Bucket::Skipped => s.skipped += 1,
            }
        }
        s
    }

    pub fn count(&self, v: Verdict) -> usize {
        self.counts.get(&v).copied().unwrap_or(0)
    }

    pub fn graded(&self) -> usize {
        self.passed + self.failed
    }

    /// Percentage of graded cases passed; 100 when nothing was graded.
    pub fn score(&self) -> f64 {
        if self.graded() == 0 {
            100.0
        } else {
            100.0 * self.passed as f64 / self.graded() as f64
        }
    }

    /// Percentage of graded cases that followed the spec to the letter
    /// (PASS): how far the target is from `--strict`.
    pub fn strict_score(&self) -> f64 {
        if self.graded() == 0 {
            100.0
        } else {
            100.0 * self.count(Verdict::Pass) as f64 / self.graded() as f64
        }
    }

    /// The closing line every runner understands.
    pub fn closing_line(&self) -> String {
        match crate::lang::current() {
            crate::lang::Lang::En => format!(
                "{} passed, {} failed, {} skipped",
                self.passed, self.failed, self.skipped
            ),
            crate::lang::Lang::PtBr => format!(
                "{} passaram, {} falharam, {} pulados",
                self.passed, self.failed, self.skipped
            ),
        }
    }
}

/// `(section, passed, graded)` per top-level spec section (`§7`), from each
/// case's first cited section: the columns of a grading table.
pub fn by_section(results: &[CaseResult]) -> Vec<(String, usize, usize)> {
    let mut m: BTreeMap<(u32, String), (usize, usize)> = BTreeMap::new();
    for r in results {
        let Some(first) = r.spec.first() else {
            continue;
        };
        let major = first
            .trim_start_matches('§')
            .split('.')
            .next()
            .unwrap_or("")
            .to_string();
        let e = m
            .entry((major.parse().unwrap_or(u32::MAX), format!("§{major}")))
            .or_default();
        match r.verdict.bucket() {
            Bucket::Passed => {
                e.0 += 1;
                e.1 += 1;
            }
            Bucket::Failed => e.1 += 1,
            Bucket::Skipped => {}
        }
    }
    m.into_iter().map(|((_, s), (p, g))| (s, p, g)).collect()
}
