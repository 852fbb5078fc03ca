//! What running a case produced: verdict, notes, failure, the exchange with
//! raw bytes, and the normalized transcript.

use std::time::Duration;

use crate::script::{Authority, Localized};
use crate::verdict::Verdict;

/// A tolerated deviation, with the spec section that tolerates it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: usize,
    pub section: String,
    pub text: String,
}

/// Why a case failed (or errored): the step, what was expected and what
/// arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub line: usize,
    pub step: String,
    pub expected: String,
    pub actual: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Sent,
    Received,
    /// Something happened to the connection (opened, closed, silent).
    Event,
}

impl Dir {
    pub fn arrow(self) -> &'static str {
        match self {
            Dir::Sent => ">",
            Dir::Received => "<",
            Dir::Event => "·",
        }
    }
}

/// One entry of the exchange, with the exact bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub at: Duration,
    pub conn: String,
    pub dir: Dir,
    /// Fields, or what happened.
    pub text: String,
    pub raw: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct CaseResult {
    pub id: String,
    pub title: String,
    pub file: String,
    pub line: usize,
    pub spec: Vec<String>,
    /// Where the requirement comes from: the seed's sentences, the spec's
    /// decisions.
    pub authority: Authority,
    pub why: String,
    /// The title and `why` in Brazilian Portuguese, when the script has them.
    pub pt_br: Localized,
    pub verdict: Verdict,
    pub notes: Vec<Note>,
    pub failure: Option<Failure>,
    pub exchange: Vec<Exchange>,
    /// Normalized: ids by the names the script captured them as.
    pub transcript: Vec<String>,
    pub duration: Duration,
    /// The target closed a connection of this case (expected or not).
    pub target_closed: bool,
    /// `restart` steps the case ran.
    pub restarts: u64,
    /// What a target the harness started printed while the case ran
    /// (bounded: `output.rs`), such as a traceback.
    pub target_output: Option<String>,
}

impl CaseResult {
    /// The title in the report's language (`--lang`), English if the script
    /// has no translation.
    pub fn title_text(&self) -> &str {
        match crate::lang::current() {
            crate::lang::Lang::PtBr => self.pt_br.title.as_deref().unwrap_or(&self.title),
            crate::lang::Lang::En => &self.title,
        }
    }

    /// Why the requirement matters, in the report's language; the title if
    /// the script gives no reason.
    pub fn why_text(&self) -> &str {
        let why = match crate::lang::current() {
            crate::lang::Lang::PtBr => self.pt_br.why.as_deref().unwrap_or(&self.why),
            crate::lang::Lang::En => &self.why,
        };
        if why.is_empty() {
            self.title_text()
        } else {
            why
        }
    }
}
