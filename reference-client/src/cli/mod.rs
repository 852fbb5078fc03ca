//! The `reference-client` command line.
//!
//! # Layout
//!
//! - `args.rs` — the root of the clap definition: the options every
//!   subcommand takes, the protocols' groups side by side, `--help` text,
//!   examples, exit codes.
//! - `exit.rs` — [`Exit`] codes and [`CliError`], which picks one.
//! - `output.rs` — [`Report`]: human lines or one JSON object; dates.
//! - `zap/` — `reference-client zap …` (and the same subcommands at the
//!   root, hidden): the zap subcommands and chat (its own `# Layout`).
//! - `lrv/` — `reference-client lrv …`: the LRV subcommands and session
//!   (its own `# Layout`).
//!
//! `args.rs`, `exit.rs` and `output.rs` serve every protocol; each folder
//! speaks one.

mod args;
mod exit;
pub mod lrv;
mod output;
pub mod zap;

use std::process::ExitCode;

use clap::FromArgMatches;
use clap::parser::ValueSource;

pub use args::{Args, Command, Global, command};
pub use exit::{CliError, Exit};
pub use output::Report;
pub use zap::{APP_DIR, ContactsCommand, GroupCommand, ZapArgs, ZapCommand};

use crate::store;

/// Parses the command line, runs it, and returns its exit code.
pub fn main() -> ExitCode {
    let matches = command().get_matches();
    let mut args = Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    args.global.server_from_env = matches.value_source("server") == Some(ValueSource::EnvVariable);
    let json = args.global.json;
    match run(args) {
        Ok(exit) => exit.into(),
        Err(e) => {
            let exit = e.exit();
            output::print_error(json, &e.to_string(), exit as u8);
            exit.into()
        }
    }
}

/// Runs parsed arguments; the exit code of a command that succeeded, or
/// printed its result and failed in part (`lrv buy`).
pub fn run(args: Args) -> Result<Exit, CliError> {
    store::check_profile_name(&args.global.profile).map_err(CliError::Usage)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let mut report = Report::new(args.global.json);
    let global = &args.global;
    runtime.block_on(async {
        match &args.command {
            Command::Zap(zap) => zap::run(global, &zap.command, &mut report).await,
            Command::ZapAtRoot(command) => zap::run(global, command, &mut report).await,
            Command::Lrv(lrv) => lrv::run(global, lrv, &mut report).await,
        }
    })?;
    let exit = report.exit();
    // A closed stdout (`| head`) is not the command's failure.
    let _ = report.print();
    Ok(exit)
}
