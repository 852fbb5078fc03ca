//! The gabarito reference client: an async zap client library, a
//! persistent profile, and the `reference-client` binary (scriptable
//! subcommands and an interactive chat).
//!
//! # Layout
//!
//! - `zap/` — everything that speaks zap: the tolerant reader and paced
//!   writer, [`zap::Client`], the persistent [`zap::Profile`] (own id,
//!   contacts, groups, history with receipts), and [`zap::Session`], which
//!   stores every received item before showing it. See its own `# Layout`.
//! - `store.rs` — generic storage plumbing: data directories, profile
//!   names, opening SQLite durably and exclusively, migrations.
//! - `cli/` — the `reference-client` command line: argument parsing, exit
//!   codes, output (human and `--json`), the subcommands and the chat.
//! - `main.rs` — the binary: runs [`cli::main`].
#![forbid(unsafe_code)]

pub mod cli;
pub mod store;
pub mod zap;
