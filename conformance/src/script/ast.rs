//! What a `.session` script says, after parsing.

use std::time::Duration;

use super::template::Template;

/// A parsed `.session` file.
#[derive(Debug, Clone)]
pub struct SuiteFile {
    /// Where it came from: `zap/registration.session` for a built-in suite,
    /// a path for a teacher's.
    pub path: String,
    pub cases: Vec<Case>,
}

/// A case's texts in another language; `None` falls back to English.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    pub title: Option<String>,
    pub why: Option<String>,
}

/// Where a case's requirement comes from (docs/ARCHITECTURE.md,
/// "Authority"). Only the assignment itself can fail a student: a case
/// that checks a decision of our spec, where the seed allows several
/// readings, reports a server that took another reading as NON-STRICT
/// (FAIL only with `--strict`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authority {
    /// `seed "…"`: the sentences of the assignment, quoted as written
    /// (Portuguese), that the case enforces.
    pub seed: Vec<String>,
    /// `decision D15`: the spec decisions the case checks.
    pub decisions: Vec<String>,
}

impl Authority {
    /// Whether a failure of this case is a decision not followed rather
    /// than the assignment broken: the case names decisions and quotes no
    /// seed sentence.
    pub fn decision_only(&self) -> bool {
        self.seed.is_empty() && !self.decisions.is_empty()
    }
}

/// One case: a self-contained exchange with a verdict of its own.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable id derived from the spec section: `zap.7.1.delivered-online`.
    pub id: String,
    pub title: String,
    /// Spec sections the case checks (`§7.1`): a deviation in one of them is
    /// this case's failure.
    pub spec: Vec<String>,
    /// Where the requirement comes from: the seed, or a spec decision.
    pub authority: Authority,
    /// Why the requirement matters, shown with a failure.
    pub why: String,
    /// The title and `why` in Brazilian Portuguese (`title pt-BR "…"`,
    /// `why pt-BR "…"`), for `--lang pt-BR`.
    pub pt_br: Localized,
    pub file: String,
    pub line: usize,
    pub steps: Vec<Step>,
    /// Runs alone, not beside other cases: it uses something every case
    /// shares, such as the reserved id `0000000000000`, which a faulty
    /// target might let one case take over while another writes to it.
    pub exclusive: bool,
    /// `timeout 5s`: how long each expected reply may take in this case,
    /// when the requirement itself allows a slow reply (a restart, a large
    /// backlog). The runner waits the longer of this and `--timeout`, so a
    /// teacher's flag for slow servers still applies.
    pub timeout: Option<std::time::Duration>,
    /// `precondition`: the other cases mean nothing unless this one passes
    /// (lrv: the raffle must be fresh), so it runs first, alone, and if it
    /// does not pass every other case is an ERROR that names it.
    pub precondition: bool,
    /// `pace 0ms`: the pause after each write in this case instead of
    /// `--pace` — none, for a race whose requests must arrive together
    /// (lrv §8.3).
    pub pace: Option<std::time::Duration>,
}

impl Case {
    /// The title in the report's language (`--lang`).
    pub fn title_text(&self) -> &str {
        match crate::lang::current() {
            crate::lang::Lang::PtBr => self.pt_br.title.as_deref().unwrap_or(&self.title),
            crate::lang::Lang::En => &self.title,
        }
    }

    /// Whether the case stops and starts the target (needs `--exec`).
    pub fn needs_restart(&self) -> bool {
        fn any_restart(steps: &[Step]) -> bool {
            steps.iter().any(|s| match &s.kind {
                StepKind::Restart { .. } => true,
                StepKind::For { body, .. } => any_restart(body),
                _ => false,
            })
        }
        any_restart(&self.steps)
    }
}

#[derive(Debug, Clone)]
pub struct Step {
    pub line: usize,
    /// The line as written, for reports.
    pub source: String,
    pub kind: StepKind,
    /// A step before the case's `check` line: it sets the case up (users
    /// registered, connections made) and is not what the case grades, so
    /// when it fails the case is an ERROR ("could not set up"), never a
    /// FAIL of the requirement under test.
    pub setup: bool,
}

#[derive(Debug, Clone)]
pub enum StepKind {
    Open(String),
    Close(String),
    Reopen(String),
    Wait(Duration),
    /// Stop the target (SIGTERM, or SIGKILL with `kill`) and start it again.
    Restart {
        kill: bool,
    },
    Send {
        conn: String,
        payload: Payload,
    },
    Expect {
        conn: String,
        mode: ExpectMode,
        alts: Vec<Alt>,
    },
    /// `for VAR in FROM..TO` … `end`: the body once for each number from
    /// `from` to `to` inclusive, with `{VAR}` bound to it. The bounds are
    /// templates, so a preset (`{raffle-size}`) can end a loop: the lrv
    /// sell-out buys every number of a raffle whose size is a server option.
    /// `CONN ignore MESSAGE`: from here on, frames on CONN that match
    /// MESSAGE are stepped over unless an `expect` asks for them — receipts
    /// a case does not test, in whatever number and form the target sends
    /// them (zap §7.1 D14: one 07 per 06 or one per batch).
    Ignore {
        conn: String,
        pattern: Vec<Template>,
    },
    /// `counted NAME N`: the alternatives marked `count NAME` were what
    /// happened exactly N times so far in this case.
    Counted {
        name: String,
        times: u64,
    },
    For {
        var: String,
        from: Template,
        to: Template,
        body: Vec<Step>,
    },
}

#[derive(Debug, Clone)]
pub enum Payload {
    /// A message by fields: encoded and validated through the codec.
    Message(Vec<Template>),
    /// Bytes as written, valid or not.
    Raw(Template),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectMode {
    /// The next thing on the connection.
    Next,
    /// The next frame if it matches; otherwise nothing is consumed.
    Optional,
    /// Consecutive `expect-unordered` lines on one connection: these frames,
    /// in any order.
    Unordered,
}

/// One acceptable outcome of an `expect`, and the verdict it earns.
#[derive(Debug, Clone)]
pub struct Alt {
    pub level: Level,
    pub what: Outcome,
    /// `count NAME X`: each time this alternative is what happened, the
    /// case's counter NAME goes up, for a later `counted NAME N` — how a
    /// case says "exactly one of these twenty buyers wins" (lrv §8.3).
    pub count: Option<String>,
    /// `tolerate D5 X`: X is another reading of this spec decision, one the
    /// seed allows; the report names it.
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Pass,
    /// `tolerate`: allowed, reported NON-STRICT.
    Tolerate,
    /// `unimplemented`: an optional feature is absent.
    Unimplemented,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Message(Vec<Template>),
    /// Nothing arrives within the duration (default: `--quiet`).
    Silent(Option<Duration>),
    /// The target closes the connection.
    Closed,
}

impl Outcome {
    pub fn display(&self) -> String {
        match self {
            Outcome::Message(t) => t
                .iter()
                .map(Template::display)
                .collect::<Vec<_>>()
                .join(" "),
            Outcome::Silent(Some(d)) => format!("silent {}ms", d.as_millis()),
            Outcome::Silent(None) => "silent".into(),
            Outcome::Closed => "closed".into(),
        }
    }
}

impl Alt {
    pub fn display(&self) -> String {
        let what = match self.level {
            Level::Pass => self.what.display(),
            Level::Tolerate => match &self.decision {
                Some(d) => format!("tolerate {d} {}", self.what.display()),
                None => format!("tolerate {}", self.what.display()),
            },
            Level::Unimplemented => format!("unimplemented {}", self.what.display()),
        };
        match &self.count {
            Some(name) => format!("count {name} {what}"),
            None => what,
        }
    }
}
