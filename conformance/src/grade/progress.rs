//! Progress on stderr while a class is graded: one line per student as it
//! finishes (in finishing order, so a log shows what happened when) and, on
//! a terminal, a live line below them with the count, a bar, the time and
//! who is being graded.

use std::io::{IsTerminal as _, Write as _};
use std::sync::Mutex;

use tokio::time::Instant;

use super::student::StudentReport;
use super::text::{cell, pad};
use crate::lang::t;
use crate::report::Summary;
use crate::verdict::Verdict;

#[derive(Debug)]
pub struct Progress {
    total: usize,
    name_width: usize,
    live: bool,
    clock: Instant,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    done: usize,
    running: Vec<String>,
    drawn: bool,
}

const BAR: usize = 20;
const LINE: usize = 100;

impl Progress {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Progress {
        let names: Vec<&str> = names.into_iter().collect();
        Progress {
            total: names.len(),
            name_width: names
                .iter()
                .map(|n| cell(n, 24).chars().count())
                .max()
                .unwrap_or(0),
            live: std::io::stderr().is_terminal(),
            clock: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    /// Whether a live line is drawn (stderr is a terminal).
    pub fn live(&self) -> bool {
        self.live
    }

    pub fn started(&self, name: &str) {
        let mut s = self.lock();
        s.running.push(name.to_string());
        self.draw(&mut s, None);
    }

    pub fn finished(&self, report: &StudentReport) {
        let mut s = self.lock();
        s.done += 1;
        if let Some(i) = s.running.iter().position(|n| *n == report.name) {
            s.running.remove(i);
        }
        let verdict = match &report.error {
            Some(why) => format!("{}  {}", Verdict::Error.display(), cell(why, 70)),
            None => {
                let sum = Summary::of(&report.results);
                format!("{}/{}  {:.1}%", sum.passed, sum.graded(), sum.score())
            }
        };
        let line = format!(
            "[{}/{}] {}  {verdict}  {:.1}s",
            s.done,
            self.total,
            pad(&cell(&report.name, 24), self.name_width),
            report.duration.as_secs_f64()
        );
        self.draw(&mut s, Some(&line));
    }

    /// Redraws the live line (its clock moves even when nobody finishes).
    pub fn tick(&self) {
        let mut s = self.lock();
        self.draw(&mut s, None);
    }

    /// Removes the live line, before the table is printed.
    pub fn clear(&self) {
        let mut s = self.lock();
        if s.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            s.drawn = false;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn draw(&self, s: &mut State, finished: Option<&str>) {
        let mut err = std::io::stderr().lock();
        if !self.live {
            if let Some(line) = finished {
                let _ = writeln!(err, "{line}");
            }
            return;
        }
        let _ = write!(err, "\r\x1b[2K");
        if let Some(line) = finished {
            let _ = writeln!(err, "{line}");
        }
        let filled = (s.done * BAR).checked_div(self.total).unwrap_or(BAR);
        let running: Vec<String> = s.running.iter().map(|n| cell(n, 24)).collect();
        let live = format!(
            "{} {}/{} [{}{}] {:.0}s  {}",
            t("grading", "avaliando"),
            s.done,
            self.total,
            "#".repeat(filled),
            ".".repeat(BAR - filled),
            self.clock.elapsed().as_secs_f64(),
            running.join(", ")
        );
        let _ = write!(err, "{}", cell(&live, LINE));
        let _ = err.flush();
        s.drawn = true;
    }
}
