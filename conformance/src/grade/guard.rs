//! A student's started server as the case runner sees it: restartable
//! until the batch closes it, never after. Without the gate, a case still
//! running when the batch is interrupted could find the server gone and
//! revive it after it was stopped — a process left behind.

use std::sync::Arc;

use tokio::sync::RwLock;

use std::net::SocketAddr;

use crate::run::{BoxFuture, ExecTarget, Mark, Observed, Restart};

#[derive(Debug)]
pub struct Guarded {
    target: Arc<ExecTarget>,
    /// `true` once closed. Restarts hold it for reading while they run, so
    /// closing waits for one in flight and no restart begins after.
    closed: RwLock<bool>,
}

impl Guarded {
    pub fn new(target: ExecTarget) -> Guarded {
        Guarded {
            target: Arc::new(target),
            closed: RwLock::new(false),
        }
    }

    /// How the server is confined, for the report.
    pub fn confinement(&self) -> String {
        self.target.confinement()
    }

    /// Stops the server for good: SIGTERM, then SIGKILL, and waits until
    /// no process of its group is left.
    pub async fn close(&self) -> Result<(), String> {
        *self.closed.write().await = true;
        self.target.shutdown().await
    }
}

fn not_restarted() -> String {
    crate::lang::t(
        "the batch was stopped: the target is not restarted",
        "o lote foi parado: o alvo não é reiniciado",
    )
    .to_string()
}

impl Restart for Guarded {
    fn restart(&self, kill: bool) -> BoxFuture<'_, Result<(), String>> {
        Box::pin(async move {
            let closed = self.closed.read().await;
            if *closed {
                return Err(not_restarted());
            }
            self.target.restart(kill).await
        })
    }

    fn revive(&self) -> BoxFuture<'_, Result<String, String>> {
        Box::pin(async move {
            let closed = self.closed.read().await;
            if *closed {
                return Err(not_restarted());
            }
            self.target.revive().await
        })
    }

    fn generation(&self) -> u64 {
        self.target.generation()
    }

    fn addr(&self) -> Option<SocketAddr> {
        Some(self.target.addr())
    }

    fn mark(&self) -> Mark {
        self.target.mark()
    }

    fn since(&self, mark: Mark) -> Observed {
        self.target.since(mark)
    }
}
