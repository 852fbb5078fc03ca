//! [`Durable`]: a protocol's store for one run of the server — the
//! committer, and what stops the server when a commit fails.

use std::sync::{Arc, Mutex, PoisonError};

use anyhow::bail;
use rusqlite::Connection;
use tokio_util::sync::CancellationToken;

use super::committer::{Commit, Committer, Schema, Stats};

/// The committer of one run, and the first commit failure, if any.
pub(crate) struct Durable<S: Schema> {
    committer: Committer<S>,
    fatal: Arc<Mutex<Option<String>>>,
}

impl<S: Schema> Durable<S> {
    /// Starts committing to `db`. A failed commit cancels `abort`: the
    /// server can no longer promise that what it answers is durable
    /// (zap §11.1, lrv §10.1), so it stops.
    pub fn start(db: Connection, abort: CancellationToken) -> std::io::Result<Self> {
        let fatal = Arc::new(Mutex::new(None::<String>));
        let committer = {
            let fatal = Arc::clone(&fatal);
            Committer::<S>::start(db, move |e| {
                tracing::error!(error = %e, "store write failed; stopping the server");
                *fatal.lock().unwrap_or_else(PoisonError::into_inner) = Some(e.to_string());
                abort.cancel();
            })?
        };
        Ok(Durable { committer, fatal })
    }

    pub fn handle(&self) -> Commit<S::Op> {
        self.committer.handle()
    }

    /// Commits everything submitted, closes the database and logs the
    /// counts.
    ///
    /// # Errors
    ///
    /// A commit failed during the run, or closing failed.
    pub async fn stop(self) -> anyhow::Result<Stats> {
        let Durable { committer, fatal } = self;
        let stats = tokio::task::spawn_blocking(move || committer.stop()).await?;
        if let Some(fatal) = fatal.lock().unwrap_or_else(PoisonError::into_inner).take() {
            bail!("store failed: {fatal}");
        }
        let stats = stats.map_err(|e| anyhow::anyhow!("closing the store: {e}"))?;
        tracing::info!(
            jobs = stats.jobs,
            ops = stats.ops,
            transactions = stats.transactions,
            "store closed cleanly"
        );
        Ok(stats)
    }
}
