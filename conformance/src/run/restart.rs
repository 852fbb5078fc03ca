//! Stopping and starting the target, for `restart` steps and after it
//! dies. Only a target the harness started itself can be restarted: the
//! in-process reference server, or a `--exec` command (`exec.rs`).

use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A target the harness can stop and start again at the same address.
pub trait Restart: Send + Sync {
    /// Stops the target — gracefully, or abruptly when `kill` (SIGKILL for
    /// a process) — and starts it again; resolves once it accepts
    /// connections, or with what went wrong.
    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>>;

    /// The target stopped accepting connections (it crashed, or hangs):
    /// kills what is left of it and starts it again, so the cases after the
    /// one that killed it still run. Resolves with what happened, for the
    /// report, or with why it could not be started.
    /// How many times the target has been started so far. A case during
    /// which it grew by more than the case's own `restart` steps ran
    /// across a crash and a revival it did not see. (No default: a wrapper
    /// that forgot to pass it on would silently turn that check off.)
    fn generation(&self) -> u64;

    fn revive(&self) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            self.restart(true).await?;
            Ok("the target stopped accepting connections; the harness restarted it for the next cases".to_string())
        })
    }
}
