//! The gabarito reference client for zap and LRV: an async client library
//! per protocol over shared connection plumbing and one error type, zap's
//! persistent profile, and the `reference-client` binary, one subcommand
//! group per protocol (`reference-client zap …`: scriptable subcommands
//! and interactive chat; `reference-client lrv …`: subcommands and a
//! line-mode session).
//!
//! # Layout
//!
//! - `zap/` — everything that speaks zap: the tolerant reader and paced
//!   writer, [`zap::Client`], the persistent [`zap::Profile`] (own id,
//!   contacts, groups, history with receipts), and [`zap::Session`], which
//!   stores every received item before showing it. See its own `# Layout`.
//! - `lrv/` — everything that speaks LRV: the line reader (lrv §3.3),
//!   [`lrv::Client`] with one typed call per request, the tolerant reply
//!   reading and its recorded deviations. No profile: the server is the
//!   source of truth (see its `# No profile`). See its own `# Layout`.
//! - `conn/` — what every client's connection does alike: connect, read
//!   into the codec's stream decoder, write one message per write. See its
//!   own `# Layout`.
//! - `error.rs` — [`ClientError`], every client's one error type: the
//!   connection's failures, shared, and each protocol's own.
//! - `store.rs` — generic storage plumbing: data directories, profile
//!   names, opening SQLite durably and exclusively, migrations.
//! - `cli/` — the `reference-client` command line: argument parsing, exit
//!   codes, output (human and `--json`), and one folder per protocol's
//!   subcommand group (`cli/zap/`, `cli/lrv/`).
//! - `main.rs` — the binary: runs [`cli::main`].
#![forbid(unsafe_code)]

pub mod cli;
pub mod conn;
pub mod error;
pub mod lrv;
pub mod store;
pub mod zap;

pub use error::ClientError;
