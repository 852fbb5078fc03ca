//! Generic SQLite plumbing: opening a database so that a commit survives
//! `kill -9` and power loss, and the group-commit writer thread. Each
//! protocol brings its own schema (`zap/sqlite.rs`).
//!
//! # Layout
//!
//! - `mod.rs` — [`open`].
//! - `committer.rs` — [`Committer`]: one thread, one connection, batches of
//!   jobs per transaction.

mod committer;

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

pub(crate) use committer::{Commit, Committer, Job, Schema};

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
