//! The JUnit XML report, for CI systems and grading scripts that read it.

use std::fmt::Write as _;

use super::{RunInfo, Summary};
use crate::run::CaseResult;
use crate::verdict::Verdict;

pub fn junit(info: &RunInfo, results: &[CaseResult]) -> String {
    let s = Summary::of(results);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
        esc(&format!("{} conformance of {}", info.protocol, info.target)),
        results.len(),
        s.count(Verdict::Fail),
        s.count(Verdict::Error),
        s.skipped,
        info.duration.as_secs_f64()
    );
    let mut files: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
    files.dedup();
    for file in files {
        let in_file: Vec<&CaseResult> = results.iter().filter(|r| r.file == file).collect();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\">",
            esc(file),
            in_file.len()
        );
        for r in in_file {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
                esc(file),
                esc(&format!("{} {}", r.id, r.title)),
                r.duration.as_secs_f64()
            );
            let detail = r
                .failure
                .as_ref()
                .map(|f| {
                    let mut d = format!(
                        "{}:{} {}\nexpected: {}\nactual: {}",
                        r.file, f.line, f.step, f.expected, f.actual
                    );
                    if let Some(output) = &r.target_output {
                        d.push_str(&format!("\nthe server printed:\n{output}"));
                    }
                    d
                })
                .unwrap_or_default();
            let message = format!("{} {}: {}", info.protocol, r.spec.join(" "), r.why);
            match r.verdict {
                Verdict::Pass => {}
                Verdict::NonStrict => {
                    let notes: Vec<String> = r
                        .notes
                        .iter()
                        .map(|n| format!("{} {}", n.section, n.text))
                        .collect();
                    let _ = write!(
                        out,
                        "<system-out>NON-STRICT\n{}</system-out>",
                        esc(&notes.join("\n"))
                    );
                }
                Verdict::Unimplemented | Verdict::Skipped => {
                    let _ = write!(
                        out,
                        "<skipped message=\"{}\"/>",
                        esc(&format!("{}: {detail}", r.verdict.label()))
                    );
                }
                Verdict::Fail => {
                    let _ = write!(
                        out,
                        "<failure message=\"{}\">{}</failure>",
                        esc(&message),
                        esc(&detail)
                    );
                }
                Verdict::Error => {
                    let _ = write!(
                        out,
                        "<error message=\"{}\">{}</error>",
                        esc(&message),
                        esc(&detail)
                    );
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// XML-escapes text, and drops the characters XML 1.0 cannot carry.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                o.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => o.push(c),
        }
    }
    o
}
