//! LRV in the generic runtime (`hub/`, feature `runtime`): its database
//! and raffle size (lrv §10.1), its core built from it with the draw's
//! source (§8.4), its writer quirk `no-newline`, and fault `double-sale`'s
//! late sales.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;

use super::Lrv;
use super::core::{Core, CoreConfig, Entropy, LateSale, Seeded, StoreOp};
use super::entropy::Os;
use super::sqlite::{self, LrvSchema};
use crate::config::Config;
use crate::fault::Quirk;
use crate::hub::Serve;
use crate::net::WriterStyle;
use crate::sans_io::Reply;

/// Quirk `no-newline`: the pause after each unterminated line, longer than
/// a client's settle time (the harness's and the reference client's default
/// are 20 and 50 ms), so that line is ended by it (lrv §3.3 L4) and never
/// glued to the next.
const NO_NEWLINE_GAP: Duration = Duration::from_millis(80);

impl Serve for Lrv {
    const DB_FILE: &'static str = "lrv.sqlite3";
    type Schema = LrvSchema;

    fn core(config: &Config, db: &Connection, path: &Path) -> anyhow::Result<Core> {
        let options = &config.options.lrv;
        sqlite::check_size(db, options.raffle_size, path)?;
        let snapshot =
            sqlite::snapshot(db).with_context(|| format!("reading {}", path.display()))?;
        tracing::info!(
            path = %path.display(),
            size = options.raffle_size.get(),
            cpfs = snapshot.cpfs.len(),
            sold = snapshot.sold.len(),
            drawn = snapshot.draw.is_some(),
            "lrv store opened"
        );
        let entropy: Box<dyn Entropy> = match options.draw_seed {
            Some(seed) => {
                tracing::warn!(
                    seed,
                    "--draw-seed: the draw is predictable (for tests only, lrv §8.4)"
                );
                Box::new(Seeded::new(seed))
            }
            None => Box::new(Os::new().map_err(|e| {
                anyhow::anyhow!("no operating-system random source for the draw (lrv §8.4): {e}")
            })?),
        };
        let cfg = CoreConfig {
            size: options.raffle_size,
            faults: config.faults.clone(),
            quirks: config.quirks.clone(),
            max_queue: config.limits.max_queue,
            max_queue_bytes: config.limits.max_queue_bytes,
            max_rejected: config.limits.max_rejected,
        };
        Ok(Core::new(cfg, snapshot, entropy))
    }

    fn started(ops: &[StoreOp]) {
        for op in ops {
            if let StoreOp::Draw(d) = op {
                tracing::info!(number = %d.number, winner = %d.winner, "drawn at start (lrv §8.4)");
            }
        }
    }

    /// Quirk `no-newline`: a pause after every line (lrv §3.3 L4).
    fn style(config: &Config, shared: WriterStyle) -> WriterStyle {
        WriterStyle {
            gap: config
                .quirks
                .contains(&Quirk::NoNewline)
                .then_some(NO_NEWLINE_GAP),
            ..shared
        }
    }

    /// A late sale needs nothing from the store: it is made after its
    /// delay.
    fn answer(_: &Connection, sale: LateSale) -> rusqlite::Result<Reply<LateSale>> {
        Ok(Reply::After(sale.delay, sale))
    }
}
