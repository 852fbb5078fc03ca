//! The built-in suites and golden transcripts, embedded by `build.rs`, and
//! loading of a teacher's own suites (`--suite DIR`).

use std::path::Path;

use anyhow::{Context, Result};

use crate::protocol::Protocol;
use crate::script::{SuiteFile, parse_suite};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The built-in suites of `protocol`, parsed. A built-in suite that does not
/// parse is a bug caught by the crate's tests, reported here all the same.
pub fn builtin(protocol: &dyn Protocol) -> Result<Vec<SuiteFile>> {
    let prefix = format!("{}/", protocol.name());
    SUITES
        .iter()
        .filter(|(name, _)| name.starts_with(&prefix))
        .map(|(name, text)| parse_suite(name, text, protocol).map_err(anyhow::Error::from))
        .collect()
}

/// Every `*.session` file under `dir` (not recursive), parsed, in name order.
pub fn from_dir(dir: &Path, protocol: &dyn Protocol) -> Result<Vec<SuiteFile>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read suite directory {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "session"))
        .collect();
    files.sort();
    if files.is_empty() {
        anyhow::bail!("{} holds no *.session files", dir.display());
    }
    files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Ok(parse_suite(&p.display().to_string(), &text, protocol)?)
        })
        .collect()
}

/// The golden transcript of each case of the built-in suite file `suite`
/// (`zap/06-messages.session`), as recorded against the reference server.
pub fn golden(suite: &str) -> Vec<(String, Vec<String>)> {
    let Some(file_name) = suite.rsplit('/').next() else {
        return Vec::new();
    };
    let Some((_, snap)) = GOLDEN.iter().find(|(_, text)| {
        text.lines().take_while(|l| !l.is_empty()).any(|l| {
            l.starts_with("input_file:")
                && l.trim_end().ends_with(file_name)
                && l.contains(suite.split('/').next().unwrap_or(""))
        })
    }) else {
        return Vec::new();
    };
    parse_golden(snap)
}

/// The golden transcripts of the built-in suites `results` came from, by
/// case id: what reports compare a target's transcript against.
pub fn golden_index(
    results: &[crate::run::CaseResult],
) -> std::collections::HashMap<String, Vec<String>> {
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.sort();
    files.dedup();
    files.into_iter().flat_map(golden).collect()
}

/// Splits an insta snapshot's body into `## case-id` sections.
fn parse_golden(snap: &str) -> Vec<(String, Vec<String>)> {
    let body = snap.splitn(3, "---\n").nth(2).unwrap_or("");
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in body.lines() {
        if let Some(id) = line.strip_prefix("## ") {
            out.push((id.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = out.last_mut() {
            if !line.is_empty() {
                lines.push(line.to_string());
            }
        }
    }
    out
}

/// The transcript text of a suite file's results, in the golden format.
pub fn transcript_text(results: &[crate::run::CaseResult]) -> String {
    let mut s = String::new();
    for r in results {
        s.push_str(&format!("## {}\n", r.id));
        for l in &r.transcript {
            s.push_str(l);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zap::Zap;

    #[test]
    fn every_builtin_suite_parses_and_case_ids_are_unique() {
        let suites = builtin(&Zap).unwrap();
        assert!(!suites.is_empty());
        let mut ids: Vec<&str> = suites
            .iter()
            .flat_map(|s| s.cases.iter().map(|c| c.id.as_str()))
            .collect();
        let n = ids.len();
        assert!(
            n >= 40,
            "the zap suite has {n} cases; the issue asks for at least 40"
        );
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "case ids are unique across files");
    }

    #[test]
    fn the_lrv_suite_parses_and_covers_every_section() {
        let lrv = crate::lrv::Lrv::default();
        let suites = builtin(&lrv).unwrap();
        let cases: Vec<_> = suites.iter().flat_map(|s| &s.cases).collect();
        let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "case ids are unique across files");
        for section in [
            "§3.3", "§3.4", "§3.5", "§5", "§6.2", "§6.3", "§6.4", "§6.5", "§6.6", "§6.7", "§6.8",
            "§8.1", "§8.3", "§8.4", "§8.5", "§9.1", "§9.2", "§10.1",
        ] {
            assert!(
                cases.iter().any(|c| c.spec.iter().any(|s| s == section)),
                "no lrv case checks {section}"
            );
        }
        let pre: Vec<_> = cases.iter().filter(|c| c.precondition).collect();
        assert_eq!(pre.len(), 1, "one precondition: the raffle is fresh");
    }

    #[test]
    fn every_builtin_case_has_its_texts_in_brazilian_portuguese() {
        let lrv = crate::lrv::Lrv::default();
        let missing: Vec<String> = builtin(&Zap)
            .unwrap()
            .into_iter()
            .chain(builtin(&lrv).unwrap())
            .collect::<Vec<_>>()
            .iter()
            .flat_map(|s| &s.cases)
            .filter(|c| c.pt_br.title.is_none() || c.pt_br.why.is_none() || c.why.is_empty())
            .map(|c| format!("{}:{} {}", c.file, c.line, c.id))
            .collect();
        assert!(
            missing.is_empty(),
            "cases without `why`, `title pt-BR` or `why pt-BR` (--lang pt-BR shows them in English):\n{}",
            missing.join("\n")
        );
    }

    /// Whitespace folded, so a quote may wrap where the seed does not.
    fn folded(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Every case says where its requirement comes from (docs/ARCHITECTURE.md,
    /// "Authority"): each `seed` quote is in the assignment
    /// word for word (a `…` may join two excerpts), each `decision` is one
    /// the spec defines.
    #[test]
    fn every_builtin_case_quotes_its_seed_or_names_a_decision_that_exists() {
        let lrv = crate::lrv::Lrv::default();
        let sources: [(&dyn Protocol, &str, &str); 2] = [
            (
                &Zap,
                include_str!("../../spec/seeds/001_zap_enunciado.txt"),
                include_str!("../../spec/zap.md"),
            ),
            (
                &lrv,
                include_str!("../../spec/seeds/000_lrv_rifa.txt"),
                include_str!("../../spec/lrv.md"),
            ),
        ];
        let mut problems = Vec::new();
        for (protocol, seed, spec) in sources {
            let seed = folded(seed);
            for case in builtin(protocol).unwrap().iter().flat_map(|s| &s.cases) {
                let at = format!("{}:{} {}", case.file, case.line, case.id);
                if case.authority.seed.is_empty() && case.authority.decisions.is_empty() {
                    problems.push(format!("{at}: no `seed \"…\"` and no `decision Dn`"));
                }
                for quote in &case.authority.seed {
                    for part in quote.split('…').map(folded).filter(|p| !p.is_empty()) {
                        if !seed.contains(&part) {
                            problems.push(format!("{at}: not in the seed: \"{part}\""));
                        }
                    }
                }
                for d in &case.authority.decisions {
                    if !spec.contains(&format!("**{d} —")) {
                        problems.push(format!("{at}: the spec has no decision {d}"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn golden_sections_split_by_case() {
        let snap = "---\nsource: x\ninput_file: conformance/suites/zap/a.session\n---\n## c1\nopen a\na > 01\n\n## c2\nopen b\n";
        assert_eq!(
            parse_golden(snap),
            [
                (
                    "c1".to_string(),
                    vec!["open a".to_string(), "a > 01".to_string()]
                ),
                ("c2".to_string(), vec!["open b".to_string()])
            ]
        );
    }
}
