//! `conformance grade`: a whole class in one batch — every student of a
//! targets file graded with one selection of cases, a few at a time, into
//! one table (console, CSV, JSON) and an HTML report with a page per
//! student. Generic: a protocol is whatever [`crate::protocol::Protocol`]
//! the plan carries.
//!
//! # Layout
//!
//! - `targets.rs` — the targets file: format, validation, errors at
//!   file:line naming the key.
//! - `ports.rs` — a port per student; students with one fixed port take turns.
//! - `guard.rs` — a started server that is never restarted after the batch stops it.
//! - `student.rs` — grading one student: start or reach, run, stop.
//! - `batch.rs` — students in parallel, interruption, progress.
//! - `progress.rs` — a line per finished student on stderr, a live line on a terminal.
//! - `table.rs` — the grading table every report renders; the console table.
//! - `csv.rs`, `json.rs` — `summary.csv`, `summary.json` (`gabarito-grade/1`).
//! - `html/` — `index.html` and `students/NAME.html`, escaped and self-contained.
//! - `files.rs` — safe, distinct file names for the students' pages.
//! - `output.rs` — writing the report directory.
//! - `text.rs` — untrusted text on a terminal.

pub mod batch;
pub mod csv;
pub mod files;
pub mod guard;
pub mod html;
pub mod json;
pub mod output;
pub mod ports;
pub mod progress;
pub mod student;
pub mod table;
pub mod targets;
pub mod text;

use std::time::Duration;

/// What a batch was, for the reports' headers.
#[derive(Debug, Clone)]
pub struct BatchInfo {
    pub protocol: String,
    /// As given on the command line.
    pub targets_file: String,
    pub strict: bool,
    pub duration: Duration,
    /// Cases run against each student, and cases excluded.
    pub cases: usize,
    pub excluded: usize,
    pub filter: Vec<String>,
    pub exclude: Vec<String>,
}
