//! Stopping and starting the target, for `restart` steps. Only a target the
//! harness started itself can be restarted: the in-process reference server
//! here, a `--exec` command later.

use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A target the harness can stop and start again at the same address.
pub trait Restart: Send + Sync {
    /// Stops the target — gracefully, or abruptly when `kill` (SIGKILL for
    /// a process) — and starts it again; resolves once it accepts
    /// connections, or with what went wrong.
    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>>;
}
