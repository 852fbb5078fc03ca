//! The JSON report. Its schema is stable and documented in
//! `conformance/REPORTS.md` (`"schema": "gabarito-conformance/1"`).

use serde_json::{Value, json as j};

use super::{RunInfo, Summary, by_section};
use crate::run::CaseResult;

pub fn json(info: &RunInfo, results: &[CaseResult]) -> Value {
    let s = Summary::of(results);
    let cases: Vec<Value> = results
        .iter()
        .map(|r| {
            j!({
                "id": r.id,
                "title": r.title,
                "file": r.file,
                "line": r.line,
                "spec": r.spec,
                "seed": r.authority.seed,
                "decisions": r.authority.decisions,
                "requirement": r.why,
                "verdict": r.verdict.label(),
                "duration_ms": r.duration.as_millis() as u64,
                "notes": r.notes.iter().map(|n| j!({"section": n.section, "line": n.line, "text": n.text})).collect::<Vec<_>>(),
                "failure": r.failure.as_ref().map(|f| j!({"line": f.line, "step": f.step, "expected": f.expected, "actual": f.actual})),
                "exchange": r.exchange.iter().map(|e| j!({
                    "at_ms": e.at.as_secs_f64() * 1000.0,
                    "conn": e.conn,
                    "dir": match e.dir { crate::run::Dir::Sent => "sent", crate::run::Dir::Received => "received", crate::run::Dir::Event => "event" },
                    "text": e.text,
                    "bytes": gabarito_codec::escape::escape_bytes(&e.raw),
                })).collect::<Vec<_>>(),
                "transcript": r.transcript,
                "target_output": r.target_output,
            })
        })
        .collect();
    j!({
        "schema": "gabarito-conformance/1",
        "protocol": info.protocol,
        "target": info.target,
        "strict": info.strict,
        "duration_ms": info.duration.as_millis() as u64,
        "summary": {
            "cases": results.len(),
            "passed": s.passed,
            "failed": s.failed,
            "skipped": s.skipped,
            "by_verdict": s.counts.iter().map(|(v, n)| (v.label().to_string(), j!(n))).collect::<serde_json::Map<_, _>>(),
            "score_percent": (s.score() * 10.0).round() / 10.0,
            "strict_score_percent": (s.strict_score() * 10.0).round() / 10.0,
            "by_section": by_section(results).into_iter().map(|(sec, p, g)| j!({"section": sec, "passed": p, "graded": g})).collect::<Vec<_>>(),
        },
        "cases": cases,
    })
}
