//! Generic SQLite plumbing: opening a database so that a commit survives
//! `kill -9` and power loss, and the group-commit writer thread. Each
//! protocol brings its own schema (`zap/sqlite.rs`, `lrv/sqlite.rs`).
//!
//! # Layout
//!
//! - `mod.rs` — [`open`], [`open_in`], [`open_schema`] (tables and fault
//!   `lose-state` too), [`apply_now`].
//! - `committer.rs` — [`Committer`]: one thread, one connection, batches of
//!   jobs per transaction.
//! - `durable.rs` — [`Durable`]: the committer of one run, stopping the
//!   server when a commit fails.

mod committer;
mod durable;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;

pub(crate) use committer::{Commit, Job, Schema};
pub(crate) use durable::Durable;

/// Opens (creating both) the database `file` in the data directory `dir`
/// ([`open`]); returns it with its path, for messages.
///
/// # Errors
///
/// The directory cannot be created or the database opened (another server
/// holds it: "locked").
pub(crate) fn open_in(dir: &Path, file: &str) -> anyhow::Result<(Connection, PathBuf)> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating data directory {}", dir.display()))?;
    let path = dir.join(file);
    let db = open(&path).with_context(|| format!("opening {}", path.display()))?;
    Ok((db, path))
}

/// [`open_in`], then the schema's tables created or upgraded, and emptied
/// for fault `lose-state` (zap §11.1, lrv §10.1 broken on purpose).
pub(crate) fn open_schema<S: Schema>(
    dir: &Path,
    file: &str,
    lose_state: bool,
) -> anyhow::Result<(Connection, PathBuf)> {
    let (db, path) = open_in(dir, file)?;
    S::migrate(&db).with_context(|| format!("creating tables in {}", path.display()))?;
    if lose_state {
        tracing::warn!(path = %path.display(), "fault lose-state: starting from an empty store");
        S::wipe(&db).with_context(|| format!("emptying {}", path.display()))?;
    }
    Ok((db, path))
}

/// Applies `ops` in one transaction, now, on this thread: for what must be
/// durable before the server accepts anyone (lrv §8.4's draw at start).
pub(crate) fn apply_now<S: Schema>(conn: &Connection, ops: &[S::Op]) -> rusqlite::Result<()> {
    if ops.is_empty() {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    {
        let mut stmts = S::prepare(&tx)?;
        for op in ops {
            S::apply(&mut stmts, op)?;
        }
    }
    tx.commit()
}

/// Opens (creating) the database at `path`: write-ahead log with a full
/// sync at each commit (durable across power loss, not only process death),
/// and an exclusive lock, so a second server on the same data directory
/// fails at start instead of corrupting the first one's view.
pub(crate) fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_millis(200))?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "SQLite refused the write-ahead log; commits will be slower");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}
