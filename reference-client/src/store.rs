//! Generic storage plumbing for profiles: where they live, and opening an
//! SQLite database so that a commit survives `kill -9` and power loss and
//! a half-written file never loses what was committed before. Knows no
//! protocol: each protocol brings its schema as a list of migrations.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode};

/// Why a profile database could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the profile (SQLite exclusive lock).
    #[error(
        "profile {} is in use by another reference-client process; close that one first",
        path.display()
    )]
    InUse { path: PathBuf },
    /// The database was written by a newer version of this program.
    #[error(
        "profile {} has schema version {found}, newer than this program knows ({known}); upgrade reference-client",
        path.display()
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot create the profile directory {}: {source}", path.display())]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("profile database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    fn from_open(path: &Path, e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::InUse {
                path: path.to_owned(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

/// The default data directory: `gabarito/zap-client` under
/// `$XDG_DATA_HOME`, else `~/.local/share`, else `%APPDATA%`, else the
/// current directory (the same search as the reference server's).
pub fn default_data_dir(app: &str) -> PathBuf {
    let env_dir = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = env_dir("XDG_DATA_HOME")
        .or_else(|| env_dir("HOME").map(|h| h.join(".local").join("share")))
        .or_else(|| env_dir("APPDATA"))
        .unwrap_or_else(|| Path::new(".").to_path_buf());
    base.join("gabarito").join(app)
}

/// Checks a profile name: it becomes a directory name, so only ASCII
/// letters, digits, `-` and `_`, 1 to 64 of them.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > 64 {
        return Err(format!(
            "profile name {name:?} must have 1 to 64 characters"
        ));
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "profile name {name:?} may only use letters, digits, '-' and '_'"
        ));
    }
    Ok(())
}

/// Opens (creating) the database at `path` and brings its schema up to
/// date with `migrations` (the n-th entry moves version n to n+1; the
/// version lives in `PRAGMA user_version`).
///
/// Write-ahead log with a full sync at each commit: a transaction is on
/// disk when `COMMIT` returns, and a crash mid-transaction leaves the
/// previous state intact. The connection takes an exclusive lock at once
/// and keeps it, so a second process on the same profile fails here with
/// [`StoreError::InUse`] instead of both talking to the server as the same
/// user (the server would keep closing one of them, zap §12 D11).
pub fn open(path: &Path, migrations: &[&str]) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
            path: dir.to_owned(),
            source,
        })?;
    }
    let conn = Connection::open(path).map_err(|e| StoreError::from_open(path, e))?;
    let setup = || -> rusqlite::Result<()> {
        conn.busy_timeout(Duration::from_millis(250))?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Take the write lock now, not at the first write.
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
    };
    setup().map_err(|e| StoreError::from_open(path, e))?;
    migrate(&conn, path, migrations)?;
    Ok(conn)
}

fn migrate(conn: &Connection, path: &Path, migrations: &[&str]) -> Result<(), StoreError> {
    let known = migrations.len() as i64;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > known {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found,
            known,
        });
    }
    for (n, sql) in migrations.iter().enumerate().skip(found as usize) {
        // Schema and version change in one transaction: all or nothing.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {sql}; PRAGMA user_version = {}; COMMIT;",
            n + 1
        ))?;
    }
    Ok(())
}

/// Runs `f` in one transaction: committed if it returns `Ok`, rolled back
/// otherwise. Used to apply a batch of received items with one disk sync.
pub fn transaction<T, E: From<rusqlite::Error>>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match f() {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[&str] = &["CREATE TABLE t(x INTEGER)", "ALTER TABLE t ADD y TEXT"];

    #[test]
    fn migrations_run_once_and_a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p").join("db.sqlite3");
        {
            let c = open(&path, SCHEMA).unwrap();
            c.execute("INSERT INTO t VALUES (1, 'a')", []).unwrap();
        }
        let c = open(&path, SCHEMA).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        drop(c);
        assert!(matches!(
            open(&path, &SCHEMA[..1]),
            Err(StoreError::TooNew {
                found: 2,
                known: 1,
                ..
            })
        ));
    }

    #[test]
    fn a_second_opener_is_told_the_profile_is_in_use() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite3");
        let first = open(&path, SCHEMA).unwrap();
        match open(&path, SCHEMA) {
            Err(StoreError::InUse { .. }) => {}
            other => panic!("expected InUse, got {other:?}"),
        }
        drop(first);
        assert!(open(&path, SCHEMA).is_ok(), "free again once closed");
    }

    #[test]
    fn a_failed_transaction_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let c = open(&dir.path().join("db.sqlite3"), SCHEMA).unwrap();
        let r: Result<(), rusqlite::Error> = transaction(&c, || {
            c.execute("INSERT INTO t VALUES (1, 'a')", [])?;
            c.execute("INSERT INTO nope VALUES (1)", [])?;
            Ok(())
        });
        assert!(r.is_err());
        let n: i64 = c
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn profile_names_are_directory_safe() {
        assert!(check_profile_name("alice_2-b").is_ok());
        assert!(check_profile_name("").is_err());
        assert!(check_profile_name("../x").is_err());
        assert!(check_profile_name("a b").is_err());
    }
}
