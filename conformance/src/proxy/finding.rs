//! What the client rules find, in a protocol-neutral shape: the checks
//! `serve` reports a verdict on, how bad a finding is, and the finding
//! itself with the section that says so. Each protocol's rules
//! (`zap/proxy/rules.rs`, `lrv/proxy/rules.rs`) list their checks.

use std::collections::HashMap;

use crate::lang::t;

/// One thing `serve` reports a verdict on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Stable, for reports and scripts: `framing`.
    pub id: &'static str,
    /// Where the spec asks it: `§3.1 §4 §10.1`.
    pub section: &'static str,
    /// What the check asks, in English (the JSON report's `title`).
    pub title: &'static str,
    /// The same in Portuguese.
    pub title_pt: &'static str,
}

impl Check {
    /// [`Check::title`] in the report's language (`--lang`).
    pub fn title_text(&self) -> &'static str {
        t(self.title, self.title_pt)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Information only: the spec does not require it.
    Warn,
    /// Tolerated by a conformant receiver, but a risk at a naive one, or
    /// another reading of a decision the seed leaves open.
    NonStrict,
    /// A rule broken.
    Fail,
}

/// A rule the client broke or bent, with the section that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The [`Check::id`] it counts against.
    pub check: &'static str,
    pub severity: Severity,
    pub section: &'static str,
    pub text: String,
}

/// A protocol's own name for one of its checks (an enum indexing its list
/// of [`Check`]s).
pub trait CheckId: Copy {
    /// The [`Check::id`] it stands for.
    fn id(self) -> &'static str;

    /// A finding against this check.
    fn found(self, severity: Severity, section: &'static str, text: String) -> Finding {
        Finding {
            check: self.id(),
            severity,
            section,
            text,
        }
    }
}

/// How many items each check looked at (`serve`'s "N checked").
#[derive(Debug, Default)]
pub struct Counts(HashMap<&'static str, usize>);

impl Counts {
    pub fn count(&mut self, check: impl CheckId) {
        *self.0.entry(check.id()).or_default() += 1;
    }

    /// The count of the check `id`.
    pub fn get(&self, id: &str) -> usize {
        self.0.get(id).copied().unwrap_or(0)
    }
}
