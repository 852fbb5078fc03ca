//! Output: stable human lines or one JSON object, warnings apart, and the
//! formatting of times. Generic: knows no protocol.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value};

use super::exit::Exit;

/// What a command prints, collected and printed once at the end so that
/// `--json` gives exactly one object.
#[derive(Debug)]
pub struct Report {
    json: bool,
    lines: Vec<String>,
    warnings: Vec<String>,
    value: Map<String, Value>,
    /// The exit code of a command that printed its result and still
    /// failed in part (`lrv buy` with a number taken).
    exit: Exit,
    /// The command printed as it went (`lrv session`): nothing at the end.
    silent: bool,
}

impl Report {
    pub fn new(json: bool) -> Self {
        Report {
            json,
            lines: Vec::new(),
            warnings: Vec::new(),
            value: Map::new(),
            exit: Exit::Ok,
            silent: false,
        }
    }

    /// The command succeeded in part: print the report, exit with `exit`
    /// (also `"exit"` in JSON).
    pub fn set_exit(&mut self, exit: Exit) {
        self.exit = exit;
    }

    pub fn exit(&self) -> Exit {
        self.exit
    }

    /// The command printed its output as it went; `print` prints nothing.
    pub fn printed_elsewhere(&mut self) {
        self.silent = true;
    }

    /// A line of human output.
    pub fn line(&mut self, s: impl Into<String>) {
        self.lines.push(s.into());
    }

    /// A warning: stderr for people, `"warnings"` in JSON.
    pub fn warn(&mut self, s: impl Into<String>) {
        self.warnings.push(s.into());
    }

    /// A field of the JSON object.
    pub fn set(&mut self, key: &str, value: impl Serialize) {
        let v = serde_json::to_value(value).unwrap_or(Value::Null);
        self.value.insert(key.to_owned(), v);
    }

    pub fn print(mut self) -> io::Result<()> {
        if self.silent {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        if self.json {
            if self.exit != Exit::Ok {
                self.value
                    .insert("exit".to_owned(), Value::from(self.exit as u8));
            }
            self.value
                .insert("warnings".to_owned(), Value::from(self.warnings));
            writeln!(out, "{}", Value::Object(self.value))?;
        } else {
            let mut err = io::stderr().lock();
            for w in &self.warnings {
                writeln!(err, "warning: {w}")?;
            }
            for l in &self.lines {
                writeln!(out, "{l}")?;
            }
        }
        out.flush()
    }
}

/// Prints a failure: always on stderr, and as `{"error", "exit"}` on stdout
/// with `--json`, so a script reading stdout sees it too.
pub fn print_error(json: bool, message: &str, exit: u8) {
    eprintln!("error: {message}");
    if json {
        let v = serde_json::json!({ "error": message, "exit": exit });
        println!("{v}");
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC for POSIX seconds.
pub fn datetime(secs: u64) -> String {
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `HH:MM` in UTC.
pub fn clock(secs: u64) -> String {
    let s = secs % 86_400;
    format!("{:02}:{:02}", s / 3600, s / 60 % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_calendar_dates() {
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
        assert_eq!(datetime(1_700_000_000), "2023-11-14 22:13:20");
        assert_eq!(datetime(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(clock(1_700_000_000), "22:13");
    }
}
