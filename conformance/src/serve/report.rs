//! The report on one client: a verdict per check, how many items each
//! check looked at, and every offence with its time, section and bytes.
//! Rendered for a console or as one line of JSON (schema
//! `gabarito-serve/1`). Knows no protocol.

use serde::{Serialize, Serializer};

use crate::verdict::Verdict;

/// How bad one finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Level {
    /// Information; never changes a verdict.
    #[serde(rename = "WARN")]
    Warn,
    #[serde(rename = "NON-STRICT")]
    NonStrict,
    #[serde(rename = "FAIL")]
    Fail,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Warn => "WARN",
            Level::NonStrict => "NON-STRICT",
            Level::Fail => "FAIL",
        }
    }
}

/// One thing the client did wrong or risky.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offence {
    /// Seconds since the client connected.
    pub at: f64,
    pub level: Level,
    pub section: String,
    pub text: String,
    /// The bytes the client sent, escaped (`gabarito_codec::escape`).
    pub bytes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    pub id: &'static str,
    pub section: &'static str,
    pub title: &'static str,
    #[serde(serialize_with = "label")]
    pub verdict: Verdict,
    /// Items the check applied to.
    pub checked: usize,
    pub offences: Vec<Offence>,
}

impl CheckReport {
    /// The verdict is the worst offence: FAIL, else NON-STRICT, else PASS
    /// (warnings are only shown).
    pub fn new(
        id: &'static str,
        section: &'static str,
        title: &'static str,
        checked: usize,
        offences: Vec<Offence>,
    ) -> CheckReport {
        let verdict = match offences.iter().map(|o| o.level).max() {
            Some(Level::Fail) => Verdict::Fail,
            Some(Level::NonStrict) => Verdict::NonStrict,
            _ => Verdict::Pass,
        };
        CheckReport {
            id,
            section,
            title,
            verdict,
            checked,
            offences,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// `gabarito-serve/1`.
    pub schema: &'static str,
    pub protocol: &'static str,
    /// The connection's number, in the order clients connected.
    pub connection: usize,
    pub client: String,
    pub duration_secs: f64,
    /// Who ended the connection, in words.
    pub ended: String,
    /// Frames the client sent, and frames it was sent.
    pub sent: usize,
    pub received: usize,
    #[serde(serialize_with = "label")]
    pub verdict: Verdict,
    pub checks: Vec<CheckReport>,
}

pub const SCHEMA: &str = "gabarito-serve/1";

/// Offences shown per check on the console; JSON has them all.
const SHOWN: usize = 10;

impl Report {
    /// The verdict of the whole client: its worst check.
    pub fn new(
        protocol: &'static str,
        connection: usize,
        client: String,
        duration_secs: f64,
        ended: String,
        (sent, received): (usize, usize),
        checks: Vec<CheckReport>,
    ) -> Report {
        let verdict = checks
            .iter()
            .map(|c| c.verdict)
            .max()
            .unwrap_or(Verdict::Pass);
        Report {
            schema: SCHEMA,
            protocol,
            connection,
            client,
            duration_secs,
            ended,
            sent,
            received,
            verdict,
            checks,
        }
    }

    pub fn failed(&self) -> bool {
        self.verdict == Verdict::Fail
    }

    pub fn console(&self) -> String {
        let mut out = format!(
            "client #{} ({}): {} frame(s) sent, {} received in {:.2}s; {}\n",
            self.connection, self.client, self.sent, self.received, self.duration_secs, self.ended
        );
        let id_w = self.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
        let sec_w = self
            .checks
            .iter()
            .map(|c| c.section.chars().count())
            .max()
            .unwrap_or(0);
        for c in &self.checks {
            let fails = c.offences.iter().filter(|o| o.level != Level::Warn).count();
            let warns = c.offences.len() - fails;
            let mut counts = format!("{} checked", c.checked);
            if fails > 0 {
                counts.push_str(&format!(", {fails} offending"));
            }
            if warns > 0 {
                counts.push_str(&format!(", {warns} warning(s)"));
            }
            out.push_str(&format!(
                "  {:<10}  {:<id_w$}  {} {:<sec_w$}  {}  ({counts})\n",
                c.verdict.label(),
                c.id,
                self.protocol,
                c.section,
                c.title,
            ));
            for o in c.offences.iter().take(SHOWN) {
                out.push_str(&format!(
                    "      +{:.3}s {} {} ({} {})\n          \"{}\"\n",
                    o.at,
                    o.level.label(),
                    o.text,
                    self.protocol,
                    o.section,
                    o.bytes
                ));
            }
            if c.offences.len() > SHOWN {
                out.push_str(&format!(
                    "      … and {} more (--format json lists them all)\n",
                    c.offences.len() - SHOWN
                ));
            }
        }
        let count = |v: Verdict| self.checks.iter().filter(|c| c.verdict == v).count();
        out.push_str(&format!(
            "  verdict: {} ({} FAIL, {} NON-STRICT, {} PASS)\n",
            self.verdict.label(),
            count(Verdict::Fail),
            count(Verdict::NonStrict),
            count(Verdict::Pass)
        ));
        out
    }

    /// One line of JSON.
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

fn label<S: Serializer>(v: &Verdict, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offence(level: Level) -> Offence {
        Offence {
            at: 0.5,
            level,
            section: "§9.2".into(),
            text: "spoofed".into(),
            bytes: "05…".into(),
        }
    }

    #[test]
    fn a_check_earns_its_worst_offence_and_warnings_earn_nothing() {
        let warn = CheckReport::new("t", "§4.1", "t", 3, vec![offence(Level::Warn)]);
        assert_eq!(warn.verdict, Verdict::Pass);
        let mixed = CheckReport::new(
            "s",
            "§9.2",
            "s",
            3,
            vec![offence(Level::NonStrict), offence(Level::Fail)],
        );
        assert_eq!(mixed.verdict, Verdict::Fail);
        let r = Report::new(
            "zap",
            1,
            "x".into(),
            1.0,
            "done".into(),
            (3, 2),
            vec![warn, mixed],
        );
        assert!(r.failed());
        let json: serde_json::Value = serde_json::from_str(&r.json()).unwrap();
        assert_eq!(json["verdict"], "FAIL");
        assert_eq!(json["checks"][1]["offences"][1]["level"], "FAIL");
        assert!(
            r.console()
                .contains("verdict: FAIL (1 FAIL, 0 NON-STRICT, 1 PASS)")
        );
    }
}
