//! Which cases run: the built-in suites and `--suite` directories, narrowed
//! by `--filter` and `--exclude`. One implementation for a single run and
//! for `grade`, so a teacher can try a selection on one server and then
//! grade the class with exactly it.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::protocol::Protocol;
use crate::script::Case;
use crate::suites;

/// The cases to run, and those left out by `--exclude` with the reason
/// given (they appear in every report as SKIPPED).
#[derive(Debug, Clone)]
pub struct Selection {
    pub cases: Vec<Case>,
    pub excluded: Vec<(Case, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub builtin: bool,
    pub suites: Vec<PathBuf>,
    pub filter: Vec<String>,
    pub exclude: Vec<String>,
}

/// The command-line flags that choose the cases, the same for a single
/// run and for `grade` (flattened into both).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SelectArgs {
    /// Also run the *.session files in DIR (repeatable). Same language as
    /// the built-in suites: see conformance/suites/README.md.
    #[arg(long, value_name = "DIR")]
    pub suite: Vec<PathBuf>,
    /// Run only the --suite directories, not the built-in suites.
    #[arg(long)]
    pub no_builtin: bool,
    /// Run only cases whose id starts with PATTERN (`*` matches anything):
    /// `--filter zap.7` or `--filter '*offline*'`. Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Vec<String>,
    /// Skip cases matching PATTERN, optionally with a reason shown in every
    /// report: `--exclude 'zap.8*=groups are optional this term'`.
    #[arg(long, value_name = "PATTERN[=REASON]")]
    pub exclude: Vec<String>,
}

impl SelectArgs {
    pub fn choice(&self) -> Choice {
        Choice {
            builtin: !self.no_builtin,
            suites: self.suite.clone(),
            filter: self.filter.clone(),
            exclude: self.exclude.clone(),
        }
    }
}

pub fn select(choice: &Choice, protocol: &dyn Protocol) -> Result<Selection> {
    let mut files = if choice.builtin {
        suites::builtin(protocol)?
    } else {
        Vec::new()
    };
    for dir in &choice.suites {
        files.extend(suites::from_dir(dir, protocol)?);
    }
    if files.is_empty() {
        bail!("no suites: --no-builtin needs at least one --suite DIR");
    }
    let mut seen = HashMap::new();
    for c in files.iter().flat_map(|f| &f.cases) {
        if let Some(other) = seen.insert(c.id.clone(), format!("{}:{}", c.file, c.line)) {
            bail!(
                "case id {} is defined twice: {other} and {}:{}",
                c.id,
                c.file,
                c.line
            );
        }
    }
    let exclusions: Vec<(&str, &str)> = choice
        .exclude
        .iter()
        .map(|e| {
            e.split_once('=')
                .unwrap_or((e.as_str(), "excluded on the command line"))
        })
        .collect();
    let mut selection = Selection {
        cases: Vec::new(),
        excluded: Vec::new(),
    };
    for case in files.into_iter().flat_map(|f| f.cases) {
        if !choice.filter.is_empty() && !choice.filter.iter().any(|p| matches(p, &case.id)) {
            continue;
        }
        match exclusions.iter().find(|(p, _)| matches(p, &case.id)) {
            Some((_, reason)) => selection.excluded.push((case, reason.to_string())),
            None => selection.cases.push(case),
        }
    }
    if selection.cases.is_empty() && selection.excluded.is_empty() {
        bail!(
            "no case matches the --filter patterns {:?} (see conformance --list)",
            choice.filter
        );
    }
    Ok(selection)
}

/// `pattern` with `*` wildcards matches `id`; without `*`, a prefix does.
fn matches(pattern: &str, id: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return id.starts_with(pattern);
    };
    let Some(mut left) = id.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = rest.split('*').collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return left.ends_with(part);
        }
        match left.find(part) {
            Some(at) => left = &left[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zap::Zap;

    #[test]
    fn patterns_are_prefixes_or_globs() {
        assert!(matches("zap.7", "zap.7.1.delivered-online"));
        assert!(!matches("zap.7", "zap.6.1.online"));
        assert!(matches("*offline*", "zap.6.1.offline-after-disconnect"));
        assert!(matches("zap.*.online", "zap.6.1.online"));
        assert!(!matches("zap.*.online", "zap.6.1.online-x"));
        assert!(matches("zap.*", "zap.6.1.online"));
    }

    #[test]
    fn filter_and_exclude_narrow_the_builtin_suite() {
        let choice = Choice {
            builtin: true,
            filter: vec!["zap.5".into()],
            exclude: vec!["zap.5.3*=not this term".into()],
            ..Choice::default()
        };
        let s = select(&choice, &Zap).unwrap();
        assert!(!s.cases.is_empty());
        assert!(s.cases.iter().all(|c| c.id.starts_with("zap.5.")));
        assert!(s.cases.iter().all(|c| !c.id.starts_with("zap.5.3")));
        assert!(
            s.excluded
                .iter()
                .all(|(c, r)| c.id.starts_with("zap.5.3") && r == "not this term")
        );
        assert!(!s.excluded.is_empty());
    }
}
