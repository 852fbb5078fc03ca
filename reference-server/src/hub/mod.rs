//! The runtime every protocol shares (feature `runtime`): one [`Hub`] per
//! server around the protocol's sans-I/O core, the connection loop of
//! `net/` and the group-commit store of `store/`. Generic: a protocol
//! plugs in through [`Serve`].
//!
//! # Layout
//!
//! - `mod.rs` — [`Serve`]: what the runtime needs of a protocol beyond its
//!   core (its database, how to build the core from it, how its writers
//!   write, how its own effect is answered).
//! - `serve.rs` — [`serve()`]: one run, from opening the store to closing it;
//!   the writer quirks every protocol has.
//! - `service.rs` — [`Hub`]: the [`Service`](crate::net::Service) the
//!   connection loop calls. The core behind a mutex, each call's job
//!   submitted to the committer under it, its effects performed after
//!   commit.
//! - `crash.rs` — fault `crash-on-malformed`'s stop.

mod crash;
mod serve;
mod service;

use std::path::Path;

use rusqlite::Connection;

pub(crate) use serve::serve;
use service::Hub;

use crate::config::Config;
use crate::net::WriterStyle;
use crate::registry::Spec;
use crate::sans_io::{Core, Reply};
use crate::store::Schema;

/// The ops, asks and answers of protocol `P`'s core.
type Op<P> = <<P as Spec>::Core as Core>::Op;
type Ask<P> = <<P as Spec>::Core as Core>::Ask;
type Answer<P> = <<P as Spec>::Core as Core>::Answer;

/// What the runtime needs of a protocol beyond its core.
pub(crate) trait Serve: Spec + Send + Sync + 'static {
    /// The database file inside the data directory.
    const DB_FILE: &'static str;

    /// The protocol's tables and how its ops are written.
    type Schema: Schema<Op = Op<Self>>;

    /// The core serving what `db` holds (its tables made, emptied by fault
    /// `lose-state`), with a log line saying what that is.
    ///
    /// # Errors
    ///
    /// The store cannot be read, or cannot be served with this
    /// configuration (lrv §10.1: a store of another raffle size).
    fn core(config: &Config, db: &Connection, path: &Path) -> anyhow::Result<Self::Core>;

    /// What [`Core::start`] stored, once it is durable, for the log.
    fn started(ops: &[Op<Self>]) {
        let _ = ops;
    }

    /// How its writers write, from `shared`, the style of the quirks every
    /// protocol has (`glue`, `slow`).
    fn style(config: &Config, shared: WriterStyle) -> WriterStyle {
        let _ = config;
        shared
    }

    /// The answer to an [`Effect::Ask`](crate::sans_io::Effect::Ask), on
    /// the committer's thread once the ops before it are committed: what
    /// it reads through `db` sees them.
    ///
    /// # Errors
    ///
    /// The read failed: the server can no longer promise what it stored.
    fn answer(db: &Connection, ask: Ask<Self>) -> rusqlite::Result<Reply<Answer<Self>>>;
}
