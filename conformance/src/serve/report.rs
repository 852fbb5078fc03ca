//! The report on one client: a verdict per check, how many items each
//! check looked at, and every offence with its time, section and bytes.
//! Rendered for a console or as one line of JSON (schema
//! `gabarito-serve/1`). Knows no protocol.
//!
//! The console report is in the report's language (`--lang`): verdict and
//! level words, check descriptions, counts. The JSON keeps its keys, check
//! ids, sections, verdict and level codes and the checks' English `title`
//! whatever `--lang`; its free texts (`text` of an offence, `ended`) are in
//! the report's language, as the single-run JSON's failure texts.

use serde::{Serialize, Serializer};

use crate::lang::{t, tr};
use crate::proxy::lens::Terms;
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
    /// The stable code, as in the JSON.
    pub fn label(self) -> &'static str {
        match self {
            Level::Warn => "WARN",
            Level::NonStrict => "NON-STRICT",
            Level::Fail => "FAIL",
        }
    }

    /// The level as a person reads it, in the report's language.
    pub fn display(self) -> &'static str {
        match self {
            Level::Warn => t("WARN", "AVISO"),
            Level::NonStrict => Verdict::NonStrict.display(),
            Level::Fail => Verdict::Fail.display(),
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
    /// What the check asks, in English (the JSON's).
    pub title: &'static str,
    /// The same in the report's language, for the console.
    #[serde(skip)]
    pub title_text: &'static str,
    #[serde(serialize_with = "label")]
    pub verdict: Verdict,
    /// Items the check applied to.
    pub checked: usize,
    /// The first offences, and the first of each level (the verdict's).
    pub offences: Vec<Offence>,
    /// Offences past those, counted only: a client decides how many it
    /// commits, and a report must stay small whatever it sent.
    pub omitted: usize,
}

impl CheckReport {
    /// The verdict is the worst offence: FAIL, else NON-STRICT, else PASS
    /// (warnings are only shown).
    pub fn new(
        id: &'static str,
        section: &'static str,
        (title, title_text): (&'static str, &'static str),
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
            title_text,
            verdict,
            checked,
            offences,
            omitted: 0,
        }
    }

    /// The same, with `omitted` more offences counted but not kept.
    pub fn with_omitted(mut self, omitted: usize) -> CheckReport {
        self.omitted = omitted;
        self
    }
}

/// Offences kept per check in full (see [`CheckReport::omitted`]).
pub const KEPT: usize = 100;

/// How often the relay held the client's bytes back longer than the
/// settle time because the checks were behind (`proxy/relay.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stalls {
    pub count: u64,
    pub longest_ms: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// `gabarito-serve/1`.
    pub schema: &'static str,
    /// Its name, in the JSON.
    #[serde(serialize_with = "name")]
    pub protocol: Terms,
    /// The connection's number, in the order clients connected.
    pub connection: usize,
    pub client: String,
    pub duration_secs: f64,
    /// Who ended the connection, in words.
    pub ended: String,
    /// Messages the client sent, and messages it was sent.
    pub sent: usize,
    pub received: usize,
    #[serde(serialize_with = "label")]
    pub verdict: Verdict,
    pub checks: Vec<CheckReport>,
    /// serve's own stalls: while one lasted, the reference server may have
    /// seen a pause the client did not make (never the checks: they see a
    /// pause only where the relay watched one).
    pub relay_stalls: Stalls,
}

pub const SCHEMA: &str = "gabarito-serve/1";

/// Offences shown per check on the console; JSON has up to [`KEPT`].
const SHOWN: usize = 10;

impl Report {
    /// The verdict of the whole client: its worst check.
    pub fn new(
        protocol: Terms,
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
            relay_stalls: Stalls::default(),
        }
    }

    pub fn with_stalls(mut self, stalls: Stalls) -> Report {
        self.relay_stalls = stalls;
        self
    }

    pub fn failed(&self) -> bool {
        self.verdict == Verdict::Fail
    }

    /// The report for a person, in the report's language (`--lang`).
    pub fn console(&self) -> String {
        let Terms {
            name,
            messages: (en, pt),
            pause,
        } = self.protocol;
        let mut out = tr!(
            "client #{} ({}): {} {en} sent, {} received in {:.2}s; {}\n",
            "cliente #{} ({}): {} {pt} enviado(s), {} recebido(s) em {:.2}s; {}\n",
            self.connection,
            self.client,
            self.sent,
            self.received,
            self.duration_secs,
            self.ended
        );
        let verdict_w = self
            .checks
            .iter()
            .map(|c| c.verdict.display().chars().count())
            .chain([10])
            .max()
            .unwrap_or(10);
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
            let checked = c.checked;
            let mut counts = tr!("{checked} checked", "{checked} verificado(s)");
            if fails > 0 {
                counts.push_str(&tr!(", {fails} offending", ", {fails} infração(ões)"));
            }
            if warns > 0 {
                counts.push_str(&tr!(", {warns} warning(s)", ", {warns} aviso(s)"));
            }
            out.push_str(&format!(
                "  {:<verdict_w$}  {:<id_w$}  {} {:<sec_w$}  {}  ({counts})\n",
                c.verdict.display(),
                c.id,
                name,
                c.section,
                c.title_text,
            ));
            for o in c.offences.iter().take(SHOWN) {
                out.push_str(&format!(
                    "      +{:.3}s {} {} ({} {})\n          \"{}\"\n",
                    o.at,
                    o.level.display(),
                    o.text,
                    name,
                    o.section,
                    o.bytes
                ));
            }
            if c.offences.len() > SHOWN {
                out.push_str(&tr!(
                    "      … and {} more (--format json lists up to {KEPT})\n",
                    "      … e mais {} (--format json lista até {KEPT})\n",
                    c.offences.len() - SHOWN + c.omitted
                ));
            } else if c.omitted > 0 {
                out.push_str(&tr!(
                    "      … and {} more\n",
                    "      … e mais {}\n",
                    c.omitted
                ));
            }
        }
        let Stalls { count, longest_ms } = self.relay_stalls;
        if count > 0 {
            out.push_str(&tr!(
                "  note: serve held this client's bytes back {count} time(s) for longer than the settle time (longest {longest_ms:.0} ms) while its checks caught up; the reference server may have read a pause the client did not make there ({name} {pause}). The checks above did not.\n",
                "  nota: o serve segurou os bytes deste cliente {count} vez(es) por mais que o tempo de pausa (a maior, {longest_ms:.0} ms) enquanto as verificações o alcançavam; o servidor de referência pode ter lido ali uma pausa que o cliente não fez ({name} {pause}). As verificações acima não.\n"
            ));
        }
        let count = |v: Verdict| self.checks.iter().filter(|c| c.verdict == v).count();
        out.push_str(&format!(
            "  {}: {} ({} {}, {} {}, {} {})\n",
            t("verdict", "veredito"),
            self.verdict.display(),
            count(Verdict::Fail),
            Verdict::Fail.display(),
            count(Verdict::NonStrict),
            Verdict::NonStrict.display(),
            count(Verdict::Pass),
            Verdict::Pass.display()
        ));
        out
    }

    /// One line of JSON.
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

fn name<S: Serializer>(t: &Terms, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.name)
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
        let warn = CheckReport::new("t", "§4.1", ("t", "t"), 3, vec![offence(Level::Warn)]);
        assert_eq!(warn.verdict, Verdict::Pass);
        let mixed = CheckReport::new(
            "s",
            "§9.2",
            ("s", "s"),
            3,
            vec![offence(Level::NonStrict), offence(Level::Fail)],
        );
        assert_eq!(mixed.verdict, Verdict::Fail);
        let terms = Terms {
            name: "zap",
            messages: ("frame(s)", "frame(s)"),
            pause: "§3.4 R5",
        };
        let r = Report::new(
            terms,
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
