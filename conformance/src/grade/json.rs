//! `summary.json`, schema `gabarito-grade/1`: the grading table for
//! scripts, with each student's whole run in the single-run JSON format
//! (`gabarito-conformance/1`, conformance/REPORTS.md) under `report`.
//!
//! Fields are only ever added within a schema version; a change in
//! meaning gets a new version. Field names, `status` and verdict codes are
//! English whatever `--lang` (the schema); the free texts a person reads
//! — `error`, `target`, and the failure texts under `report` — are in the
//! report's language, as in the single-run JSON.
//!
//! ```jsonc
//! {
//!   "schema": "gabarito-grade/1",
//!   "protocol": "zap",
//!   "targets_file": "class.toml",
//!   "strict": false,
//!   "duration_ms": 41230,
//!   "selection": { "cases": 17, "excluded": 2, "filter": ["zap.7"], "exclude": ["zap.8*=optional"] },
//!   "sections": ["§5", "§7"],              // the table's columns, in numeric order
//!   "students": [                          // in the targets file's order
//!     {
//!       "name": "alice",
//!       "status": "graded",                // or "ERROR": could not be started or reached
//!       "error": null,                     // for ERROR: why, with the server's last output
//!       "target": "`python3 servidor.py {port}` on 127.0.0.1:40111",
//!       "page": "students/alice.html",     // relative to summary.json
//!       "duration_ms": 4100,
//!       "passed": 15, "graded": 17,        // PASS + NON-STRICT; passed + FAIL + ERROR
//!       "score_percent": 88.2,             // 0 for ERROR
//!       "by_section": [ { "section": "§5", "passed": 7, "graded": 7 } ],  // empty for ERROR
//!       "report": { "schema": "gabarito-conformance/1", "cases": [ … ], … }
//!     }
//!   ]
//! }
//! ```

use serde_json::{Value, json as j};

use super::BatchInfo;
use super::student::StudentReport;
use super::table::Table;
use crate::report::{RunInfo, json};

pub const SCHEMA: &str = "gabarito-grade/1";

pub fn summary(info: &BatchInfo, table: &Table, reports: &[StudentReport]) -> Value {
    let students: Vec<Value> = table
        .rows
        .iter()
        .zip(reports)
        .map(|(row, r)| {
            let run = RunInfo {
                protocol: info.protocol.clone(),
                target: r.target.clone(),
                duration: r.duration,
                strict: info.strict,
            };
            j!({
                "name": row.name,
                "status": row.status(),
                "error": row.error,
                "target": row.target,
                "page": format!("students/{}", row.page),
                "duration_ms": row.duration.as_millis() as u64,
                "passed": row.summary.passed,
                "graded": row.summary.graded(),
                "score_percent": (row.score() * 10.0).round() / 10.0,
                "by_section": table.sections.iter().zip(&row.cells).filter_map(|(s, c)| {
                    c.map(|(p, g)| j!({"section": s, "passed": p, "graded": g}))
                }).collect::<Vec<_>>(),
                "report": json(&run, &r.results),
            })
        })
        .collect();
    j!({
        "schema": SCHEMA,
        "protocol": info.protocol,
        "targets_file": info.targets_file,
        "strict": info.strict,
        "duration_ms": info.duration.as_millis() as u64,
        "selection": {
            "cases": info.cases,
            "excluded": info.excluded,
            "filter": info.filter,
            "exclude": info.exclude,
        },
        "sections": table.sections,
        "students": students,
    })
}
