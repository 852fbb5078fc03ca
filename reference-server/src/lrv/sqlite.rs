//! The LRV store in SQLite (lrv §10.1): registered CPFs, purchases, the
//! draw, and the raffle size the store was created for.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::bail;
use gabarito_codec::lrv::{Cpf, Number};
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::core::{Draw, Snapshot, StoreOp};
use crate::store::Schema;

const TABLES: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cpfs (
    cpf TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS purchases (
    number INTEGER PRIMARY KEY,
    cpf    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS draw (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    number INTEGER NOT NULL,
    cpf    TEXT NOT NULL
);
";

/// lrv §10.1: N is fixed when the store is created. A new store records
/// `size`; an existing one must hold the same.
///
/// # Errors
///
/// The store holds another size (the message names both), or SQLite failed.
pub(super) fn check_size(conn: &Connection, size: Number, path: &Path) -> anyhow::Result<()> {
    let stored: Option<i64> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'raffle_size'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match stored {
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('raffle_size', ?1)",
                [i64::from(size.get())],
            )?;
        }
        Some(n) if n == i64::from(size.get()) => {}
        Some(n) => bail!(
            "{} holds a raffle of {n} numbers, but --raffle-size is {size}: the size is fixed when the store is created (lrv §10.1); start with --raffle-size {n}, or use another --data-dir",
            path.display()
        ),
    }
    Ok(())
}

fn number(v: i64) -> rusqlite::Result<Number> {
    u32::try_from(v)
        .ok()
        .and_then(|n| Number::new(n).ok())
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, v))
}

fn cpf(s: String) -> rusqlite::Result<Cpf<'static>> {
    Cpf::parse(&s).map(Cpf::into_owned).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Everything stored, for the core to start from.
pub(super) fn snapshot(conn: &Connection) -> rusqlite::Result<Snapshot> {
    let mut cpfs = BTreeSet::new();
    let mut stmt = conn.prepare("SELECT cpf FROM cpfs")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        cpfs.insert(cpf(row?)?);
    }
    let mut sold = BTreeMap::new();
    let mut stmt = conn.prepare("SELECT number, cpf FROM purchases")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (n, owner) = row?;
        sold.insert(number(n)?, cpf(owner)?);
    }
    let draw = conn
        .query_row("SELECT number, cpf FROM draw WHERE id = 1", [], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .optional()?
        .map(|(n, winner)| {
            Ok::<_, rusqlite::Error>(Draw {
                number: number(n)?,
                winner: cpf(winner)?,
            })
        })
        .transpose()?;
    Ok(Snapshot { cpfs, sold, draw })
}

pub(crate) struct LrvSchema;

pub(crate) struct Statements<'c> {
    register: Statement<'c>,
    sell: Statement<'c>,
    draw: Statement<'c>,
}

impl Schema for LrvSchema {
    type Op = StoreOp;
    type Statements<'c> = Statements<'c>;
    const TABLES: &'static str = TABLES;
    /// Fault `lose-state`: start from nothing (the size is set again after).
    const WIPE: &'static str =
        "DELETE FROM meta; DELETE FROM cpfs; DELETE FROM purchases; DELETE FROM draw;";

    fn prepare(conn: &Connection) -> rusqlite::Result<Statements<'_>> {
        Ok(Statements {
            register: conn.prepare("INSERT OR IGNORE INTO cpfs (cpf) VALUES (?1)")?,
            // The core decides who owns a number; only a fault's resale
            // replaces an owner.
            sell: conn.prepare("INSERT OR REPLACE INTO purchases (number, cpf) VALUES (?1, ?2)")?,
            draw: conn
                .prepare("INSERT OR REPLACE INTO draw (id, number, cpf) VALUES (1, ?1, ?2)")?,
        })
    }

    fn apply(st: &mut Statements<'_>, op: &StoreOp) -> rusqlite::Result<()> {
        match op {
            StoreOp::Register(cpf) => st.register.execute([cpf.as_str()])?,
            StoreOp::Sell { number, owner } => st
                .sell
                .execute(params![i64::from(number.get()), owner.as_str()])?,
            StoreOp::Draw(d) => st
                .draw
                .execute(params![i64::from(d.number.get()), d.winner.as_str()])?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sans_io::Memory as _;
    use crate::store::apply_now;

    fn n(v: u32) -> Number {
        Number::new(v).expect("number")
    }

    fn c(s: &str) -> Cpf<'static> {
        Cpf::parse(s).expect("cpf").into_owned()
    }

    #[test]
    fn what_is_applied_is_what_the_snapshot_holds() -> anyhow::Result<()> {
        let db = Connection::open_in_memory()?;
        LrvSchema::migrate(&db)?;
        check_size(&db, n(3), Path::new("mem"))?;
        let (a, b) = (c("12345678909"), c("52998224725"));
        let draw = Draw {
            number: n(2),
            winner: b.clone(),
        };
        let ops = [
            StoreOp::Register(a.clone()),
            StoreOp::Register(a.clone()),
            StoreOp::Register(b.clone()),
            StoreOp::Sell {
                number: n(1),
                owner: a.clone(),
            },
            StoreOp::Sell {
                number: n(2),
                owner: b.clone(),
            },
            StoreOp::Draw(draw.clone()),
        ];
        apply_now::<LrvSchema>(&db, &ops)?;
        let s = snapshot(&db)?;
        let mut mem = Snapshot::default();
        ops.iter().for_each(|op| mem.apply(op));
        assert_eq!(mem, s, "Memory::apply is the store's contract in memory");
        assert_eq!(s.cpfs, BTreeSet::from([a.clone(), b.clone()]));
        assert_eq!(s.sold, BTreeMap::from([(n(1), a), (n(2), b)]));
        assert_eq!(s.draw, Some(draw));
        LrvSchema::wipe(&db)?;
        assert_eq!(snapshot(&db)?, Snapshot::default());
        Ok(())
    }

    #[test]
    fn a_store_keeps_the_size_it_was_created_with() -> anyhow::Result<()> {
        let db = Connection::open_in_memory()?;
        LrvSchema::migrate(&db)?;
        check_size(&db, n(100), Path::new("/d/lrv.sqlite3"))?;
        check_size(&db, n(100), Path::new("/d/lrv.sqlite3"))?;
        let e = check_size(&db, n(50), Path::new("/d/lrv.sqlite3")).unwrap_err();
        let e = e.to_string();
        assert!(e.contains("100") && e.contains("50"), "{e}");
        Ok(())
    }
}
