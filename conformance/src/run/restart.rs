//! Stopping and starting the target, for `restart` steps and after it
//! dies. Only a target the harness started itself can be restarted: the
//! in-process reference server, or a `--exec` command (`exec.rs`).

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use super::result::CaseResult;
use crate::lang::t;
use crate::verdict::Verdict;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A target the harness can stop and start again.
pub trait Restart: Send + Sync {
    /// Stops the target — gracefully, or abruptly when `kill` (SIGKILL for
    /// a process) — and starts it again; resolves once it accepts
    /// connections, or with what went wrong.
    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>>;

    /// How many times the target has been started so far. A case during
    /// which it grew by more than the case's own `restart` steps ran
    /// across a crash and a revival it did not see. (No default: a wrapper
    /// that forgot to pass it on would silently turn that check off.)
    fn generation(&self) -> u64;

    /// The target stopped accepting connections (it crashed, or hangs):
    /// kills what is left of it and starts it again, so the cases after the
    /// one that killed it still run. Resolves with what happened, for the
    /// report, or with why it could not be started.
    fn revive(&self) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            self.restart(true).await?;
            Ok("the target stopped accepting connections; the harness restarted it for the next cases".to_string())
        })
    }

    /// Where the target listens now, if a start may move it (a command
    /// given its port is restarted on a fresh one: `port.rs`).
    fn addr(&self) -> Option<SocketAddr> {
        None
    }

    /// A point in what the target printed and the limits it hit, to ask
    /// later what happened after it.
    fn mark(&self) -> Mark {
        Mark::default()
    }

    /// What the target printed and which limits it hit since `mark`.
    fn since(&self, _mark: Mark) -> Observed {
        Observed::default()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    pub output: u64,
    pub hits: usize,
}

/// What a started target did while a case ran, besides answering.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    /// Its output (bounded), empty if it printed nothing.
    pub output: String,
    /// The limits it hit, as a report says them.
    pub hits: Vec<String>,
}

impl Observed {
    /// Puts what the target did into `result`: its output, and a limit it
    /// hit, which no verdict of the protocol can stand beside (ERROR).
    pub fn attach(self, result: &mut CaseResult) {
        if !self.output.is_empty() {
            result.target_output = Some(self.output);
        }
        if self.hits.is_empty() {
            return;
        }
        let hits = self.hits.join("\n");
        result.verdict = Verdict::Error;
        match result.failure.as_mut() {
            Some(f) => f.actual = format!("{}\n{hits}", f.actual),
            None => {
                result.failure = Some(super::result::Failure {
                    line: result.line,
                    step: String::new(),
                    expected: t(
                        "the server to stay within its limits",
                        "o servidor ficar dentro dos seus limites",
                    )
                    .into(),
                    actual: hits,
                });
            }
        }
    }
}
