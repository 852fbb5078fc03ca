//! The report directory: `summary.csv`, `summary.json`, `index.html` and
//! `students/NAME.html`. Files of an earlier run are overwritten, not
//! removed: the directory may hold a teacher's own files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::BatchInfo;
use super::student::StudentReport;
use super::table::Table;
use super::{csv, html, json};

/// Writes every report of `table` into `dir`; returns the index page.
pub fn write(
    dir: &Path,
    info: &BatchInfo,
    table: &Table,
    reports: &[StudentReport],
) -> Result<PathBuf> {
    let students = dir.join("students");
    std::fs::create_dir_all(&students)
        .with_context(|| format!("creating the report directory {}", students.display()))?;
    let put = |path: PathBuf, text: String| {
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
    };
    put(dir.join("summary.csv"), csv::csv(table))?;
    let summary = json::summary(info, table, reports);
    put(
        dir.join("summary.json"),
        serde_json::to_string_pretty(&summary)? + "\n",
    )?;
    for (row, report) in table.rows.iter().zip(reports) {
        put(
            students.join(&row.page),
            html::student_page(info, table, row, report),
        )?;
    }
    let index = dir.join("index.html");
    put(index.clone(), html::index(info, table))?;
    Ok(index)
}
