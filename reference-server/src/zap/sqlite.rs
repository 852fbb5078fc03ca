//! The zap store in SQLite: users, the id counter, groups, the stored items
//! of every recipient in order, and the delivered pairs of D15 (zap §11.1).
//!
//! Item bodies are read only a page at a time ([`load`]); the start-up
//! [`snapshot`] holds counts, not bodies.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::core::{LoadRequest, Receipt, Seq, Snapshot, StoreOp, StoredItem, Uid};
use crate::store::Schema;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS groups (
    id       INTEGER NOT NULL,
    position INTEGER NOT NULL,
    member   INTEGER NOT NULL,
    PRIMARY KEY (id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items (
    recipient   INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    frame       BLOB    NOT NULL,
    receipt_src INTEGER,
    receipt_ts  INTEGER,
    PRIMARY KEY (recipient, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS delivered (
    reader    INTEGER NOT NULL,
    src       INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    PRIMARY KEY (reader, src)
) WITHOUT ROWID;
";

/// Stored items are kept by recipient, then order: the one key both their
/// reads (a recipient's page, [`load`]) and their writes (push, remove)
/// use, so each write touches one b-tree. Stores written before that kept
/// them in `pending`, by order with an index by recipient: a write touched
/// two b-trees. There are four writes per online message (the 06 and its
/// 07, each stored then removed, zap §9.4), and SQLite is most of the
/// server's work under load; one b-tree per write took about an eighth off
/// it (`conformance bench`, online).
const FROM_PENDING: &str = "
BEGIN;
INSERT INTO items (recipient, seq, frame, receipt_src, receipt_ts)
    SELECT recipient, seq, frame, receipt_src, receipt_ts FROM pending;
DROP TABLE pending;
COMMIT;
";

/// SQLite integers are signed; zap ids (13 digits) and sequence numbers fit.
fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn uint(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn uid(v: i64) -> rusqlite::Result<Uid> {
    Uid::new(uint(v)).ok_or_else(|| rusqlite::Error::IntegralValueOutOfRange(0, v))
}

pub(crate) struct ZapSchema;

/// Every statement an operation uses, prepared once (see [`Schema`]).
pub(crate) struct Statements<'c> {
    add_user: Statement<'c>,
    add_member: Statement<'c>,
    set_next_id: Statement<'c>,
    push: Statement<'c>,
    remove: Statement<'c>,
    delivered: Statement<'c>,
}

impl Schema for ZapSchema {
    type Op = StoreOp;
    type Statements<'c> = Statements<'c>;
    const TABLES: &'static str = TABLES;
    const WIPE: &'static str = "DELETE FROM meta; DELETE FROM users; DELETE FROM groups; \
DELETE FROM items; DELETE FROM delivered;";

    /// Creates the tables if missing, and moves the items of a store
    /// written before [`FROM_PENDING`] into `items`, in one transaction.
    fn migrate(conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(TABLES)?;
        let old: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'pending'",
            [],
            |r| r.get(0),
        )?;
        if old > 0 {
            conn.execute_batch(FROM_PENDING)?;
        }
        Ok(())
    }

    fn prepare(conn: &Connection) -> rusqlite::Result<Statements<'_>> {
        Ok(Statements {
            add_user: conn.prepare("INSERT OR IGNORE INTO users (id) VALUES (?1)")?,
            add_member: conn
                .prepare("INSERT INTO groups (id, position, member) VALUES (?1, ?2, ?3)")?,
            set_next_id: conn
                .prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('next_id', ?1)")?,
            push: conn.prepare(
                "INSERT INTO items (recipient, seq, frame, receipt_src, receipt_ts) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            remove: conn.prepare("DELETE FROM items WHERE recipient = ?1 AND seq = ?2")?,
            delivered: conn.prepare(
                "INSERT OR REPLACE INTO delivered (reader, src, timestamp) VALUES (?1, ?2, ?3)",
            )?,
        })
    }

    fn apply(st: &mut Statements<'_>, op: &StoreOp) -> rusqlite::Result<()> {
        match op {
            StoreOp::AddUser { id, next_id } => {
                st.add_user.execute([int(id.value())])?;
                st.set_next_id.execute([int(*next_id)])?;
            }
            StoreOp::AddGroup {
                id,
                members,
                next_id,
            } => {
                for (i, m) in members.iter().enumerate() {
                    st.add_member
                        .execute(params![int(id.value()), i as i64, int(m.value())])?;
                }
                st.set_next_id.execute([int(*next_id)])?;
            }
            StoreOp::Push(item) => {
                st.push.execute(params![
                    int(item.recipient.value()),
                    int(item.seq.0),
                    item.frame,
                    item.receipt.map(|r| int(r.originator.value())),
                    item.receipt.map(|r| int(r.timestamp)),
                ])?;
            }
            StoreOp::Remove { recipient, seq } => {
                st.remove.execute([int(recipient.value()), int(seq.0)])?;
            }
            StoreOp::Delivered {
                reader,
                src,
                timestamp,
            } => {
                st.delivered.execute(params![
                    int(reader.value()),
                    int(src.value()),
                    int(*timestamp)
                ])?;
            }
        }
        Ok(())
    }
}

/// A page of `r.recipient`'s stored items, oldest first.
pub(super) fn load(conn: &Connection, r: &LoadRequest) -> rusqlite::Result<Vec<StoredItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, frame, receipt_src, receipt_ts FROM items
         WHERE recipient = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let after = r.after.map_or(0, |s| int(s.0));
    let limit = i64::try_from(r.limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(params![int(r.recipient.value()), after, limit], |row| {
        let receipt = match (row.get::<_, Option<i64>>(2)?, row.get::<_, Option<i64>>(3)?) {
            (Some(src), Some(ts)) => Some(Receipt {
                originator: uid(src)?,
                timestamp: uint(ts),
            }),
            _ => None,
        };
        Ok(StoredItem {
            seq: Seq(uint(row.get(0)?)),
            recipient: r.recipient,
            frame: row.get(1)?,
            receipt,
        })
    })?;
    rows.collect()
}

/// Everything but the item bodies (zap §11.1).
pub(super) fn snapshot(conn: &Connection) -> rusqlite::Result<Snapshot> {
    let mut s = Snapshot::default();
    let next: Option<i64> = conn
        .query_row("SELECT value FROM meta WHERE key = 'next_id'", [], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(next) = next {
        s.next_id = uint(next);
    }
    let last: Option<i64> = conn.query_row("SELECT max(seq) FROM items", [], |r| r.get(0))?;
    s.next_seq = Snapshot::seq_after(last.map(|l| Seq(uint(l))));
    let mut users = conn.prepare("SELECT id FROM users")?;
    for id in users.query_map([], |r| uid(r.get(0)?))? {
        s.users.insert(id?, 0);
    }
    let mut counts = conn.prepare("SELECT recipient, count(*) FROM items GROUP BY recipient")?;
    for row in counts.query_map([], |r| Ok((uid(r.get(0)?)?, uint(r.get(1)?))))? {
        let (user, n) = row?;
        s.users.insert(user, n);
    }
    let mut groups: BTreeMap<Uid, Vec<Uid>> = BTreeMap::new();
    let mut rows = conn.prepare("SELECT id, member FROM groups ORDER BY id, position")?;
    for row in rows.query_map([], |r| Ok((uid(r.get(0)?)?, uid(r.get(1)?)?)))? {
        let (group, member) = row?;
        groups.entry(group).or_default().push(member);
    }
    s.groups = groups;
    let mut rows = conn.prepare("SELECT reader, src, timestamp FROM delivered")?;
    for row in rows.query_map([], |r| {
        Ok(((uid(r.get(0)?)?, uid(r.get(1)?)?), uint(r.get(2)?)))
    })? {
        let (key, ts) = row?;
        s.delivered.insert(key, ts);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ConnId;
    use crate::sans_io::Memory as _;
    use crate::zap::core::LoadId;
    use crate::zap::memory::MemStore;

    fn item(seq: u64, to: Uid, receipt: bool) -> StoredItem {
        StoredItem {
            seq: Seq(seq),
            recipient: to,
            frame: format!("frame{seq}").into_bytes(),
            receipt: receipt.then_some(Receipt {
                originator: Uid::FIRST,
                timestamp: seq * 10,
            }),
        }
    }

    /// The SQLite store and the in-memory model agree on every operation.
    #[test]
    fn agrees_with_the_model_store() -> rusqlite::Result<()> {
        let a = Uid::FIRST;
        let b = a.next().expect("id");
        let g = b.next().expect("id");
        let ops = vec![
            StoreOp::AddUser {
                id: a,
                next_id: b.value(),
            },
            StoreOp::AddUser {
                id: b,
                next_id: g.value(),
            },
            StoreOp::AddGroup {
                id: g,
                members: vec![b, a],
                next_id: g.value() + 1,
            },
            StoreOp::Push(item(1, b, true)),
            StoreOp::Push(item(2, a, false)),
            StoreOp::Push(item(3, b, false)),
            StoreOp::Push(item(4, b, true)),
            StoreOp::Remove {
                recipient: b,
                seq: Seq(3),
            },
            StoreOp::Delivered {
                reader: b,
                src: a,
                timestamp: 10,
            },
        ];
        let conn = Connection::open_in_memory()?;
        ZapSchema::migrate(&conn)?;
        let mut model = MemStore::default();
        {
            let mut st = ZapSchema::prepare(&conn)?;
            conn.execute_batch("BEGIN")?;
            for op in &ops {
                ZapSchema::apply(&mut st, op)?;
                model.apply(op);
            }
            conn.execute_batch("COMMIT")?;
        }
        assert_eq!(snapshot(&conn)?, model.snapshot());
        for (after, limit) in [(None, 10), (Some(Seq(1)), 10), (None, 1)] {
            let r = LoadRequest {
                conn: ConnId(1),
                load: LoadId(1),
                recipient: b,
                after,
                limit,
            };
            assert_eq!(load(&conn, &r)?, model.load(&r));
        }
        ZapSchema::wipe(&conn)?;
        assert_eq!(snapshot(&conn)?, Snapshot::default());
        Ok(())
    }

    /// A store written before items were kept by recipient opens with
    /// every item still there, in order, and the counters where they were.
    #[test]
    fn an_old_store_is_moved_into_items() -> rusqlite::Result<()> {
        let a = Uid::FIRST;
        let b = a.next().expect("id");
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
             CREATE TABLE users (id INTEGER PRIMARY KEY);
             CREATE TABLE pending (
                 seq INTEGER PRIMARY KEY, recipient INTEGER NOT NULL, frame BLOB NOT NULL,
                 receipt_src INTEGER, receipt_ts INTEGER);
             CREATE INDEX pending_by_recipient ON pending (recipient, seq);",
        )?;
        let mut model = MemStore::default();
        let ops = [
            StoreOp::AddUser {
                id: a,
                next_id: b.value(),
            },
            StoreOp::AddUser {
                id: b,
                next_id: b.value() + 1,
            },
            StoreOp::Push(item(1, b, true)),
            StoreOp::Push(item(2, a, false)),
            StoreOp::Push(item(7, b, false)),
        ];
        for op in &ops {
            model.apply(op);
        }
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('next_id', ?1)",
            [int(b.value() + 1)],
        )?;
        for u in [a, b] {
            conn.execute("INSERT INTO users (id) VALUES (?1)", [int(u.value())])?;
        }
        for i in [item(1, b, true), item(2, a, false), item(7, b, false)] {
            conn.execute(
                "INSERT INTO pending (seq, recipient, frame, receipt_src, receipt_ts) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    int(i.seq.0),
                    int(i.recipient.value()),
                    i.frame,
                    i.receipt.map(|r| int(r.originator.value())),
                    i.receipt.map(|r| int(r.timestamp)),
                ],
            )?;
        }
        ZapSchema::migrate(&conn)?;
        assert_eq!(snapshot(&conn)?, model.snapshot());
        let r = LoadRequest {
            conn: ConnId(1),
            load: LoadId(1),
            recipient: b,
            after: None,
            limit: 10,
        };
        assert_eq!(load(&conn, &r)?, model.load(&r));
        assert_eq!(load(&conn, &r)?.len(), 2);
        let old: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'pending%'",
            [],
            |r| r.get(0),
        )?;
        assert_eq!(old, 0, "the old table and its index are gone");
        // Opening it again changes nothing.
        ZapSchema::migrate(&conn)?;
        assert_eq!(snapshot(&conn)?, model.snapshot());
        Ok(())
    }
}
