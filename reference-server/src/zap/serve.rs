//! zap in the generic runtime (`hub/`, feature `runtime`): its database,
//! its core built from it, its writer quirk `newline`, and the pages of
//! stored items its core asks for.

use std::path::Path;

use anyhow::Context;
use rusqlite::Connection;

use super::Zap;
use super::core::{Core, CoreConfig, LoadRequest, Loaded};
use super::sqlite::{self, ZapSchema};
use crate::config::Config;
use crate::fault::Quirk;
use crate::hub::Serve;
use crate::net::WriterStyle;
use crate::sans_io::Reply;

/// Stored items read per page (see `core/mailbox.rs`).
const PAGE: usize = 256;

impl Serve for Zap {
    const DB_FILE: &'static str = "zap.sqlite3";
    type Schema = ZapSchema;

    fn core(config: &Config, db: &Connection, path: &Path) -> anyhow::Result<Core> {
        let snapshot =
            sqlite::snapshot(db).with_context(|| format!("reading {}", path.display()))?;
        tracing::info!(
            path = %path.display(),
            users = snapshot.users.len(),
            groups = snapshot.groups.len(),
            pending = snapshot.users.values().sum::<u64>(),
            "zap store opened"
        );
        let cfg = CoreConfig {
            faults: config.faults.clone(),
            quirks: config.quirks.clone(),
            max_queue: config.limits.max_queue,
            max_queue_bytes: config.limits.max_queue_bytes,
            max_rejected: config.limits.max_rejected,
            page: PAGE,
        };
        Ok(Core::new(cfg, snapshot))
    }

    /// Quirk `newline`: a `\n` after every frame (zap §3.5, D8).
    fn style(config: &Config, shared: WriterStyle) -> WriterStyle {
        WriterStyle {
            suffix: if config.quirks.contains(&Quirk::Newline) {
                b"\n"
            } else {
                b""
            },
            ..shared
        }
    }

    /// A page of stored items, read at once (zap §9.4).
    fn answer(db: &Connection, r: LoadRequest) -> rusqlite::Result<Reply<Loaded>> {
        let items = sqlite::load(db, &r)?;
        Ok(Reply::Now(Loaded {
            conn: r.conn,
            load: r.load,
            items,
        }))
    }
}
