//! The `reference-client` command line.
//!
//! # Layout
//!
//! - `args.rs` — the clap definition, `--help` text, examples, exit codes.
//! - `exit.rs` — [`Exit`] codes and [`CliError`], which picks one.
//! - `output.rs` — [`Report`]: human lines or one JSON object; dates.
//! - `render.rs` — how history, receipts and notices look.
//! - `commands.rs` — the scriptable subcommands.
//! - `chat.rs` — the interactive line-mode chat.
//! - `lrv/` — `reference-client lrv …`: the LRV subcommands and session
//!   (its own `# Layout`).
//!
//! Everything but `lrv/` speaks zap; `exit.rs` and `output.rs` serve both.

mod args;
mod chat;
mod commands;
mod exit;
pub mod lrv;
mod output;
mod render;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

pub use args::{Args, Command, ContactsCommand, Global, GroupCommand};
pub use exit::{CliError, Exit};
pub use output::Report;

use crate::store;
use commands::Ctx;

/// Where client profiles live by default (`gabarito/zap-client`).
pub const APP_DIR: &str = "zap-client";

/// Parses the command line, runs it, and returns its exit code.
pub fn main() -> ExitCode {
    let matches = Args::command().get_matches();
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
    let data_dir = args
        .global
        .data_dir
        .clone()
        .unwrap_or_else(|| store::default_data_dir(APP_DIR));
    let ctx = Ctx {
        profile_dir: data_dir.join(&args.global.profile),
        global: args.global,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)?;
    let mut report = Report::new(ctx.global.json);
    runtime.block_on(async {
        match &args.command {
            Command::Register => commands::register(&ctx, &mut report).await,
            Command::Send { to, text } => commands::send(&ctx, to, text, &mut report).await,
            Command::Inbox { read } => commands::inbox(&ctx, *read, &mut report).await,
            Command::History { with, limit } => commands::history(&ctx, with, *limit, &mut report),
            Command::Contacts(c) => commands::contacts(&ctx, c, &mut report),
            Command::Group(g) => commands::group(&ctx, g, &mut report).await,
            Command::Status => commands::status(&ctx, &mut report).await,
            Command::Chat => chat::run(&ctx).await,
            Command::Lrv(lrv) => lrv::run(&ctx.global, lrv, &mut report).await,
        }
    })?;
    let exit = report.exit();
    // A closed stdout (`| head`) is not the command's failure.
    let _ = report.print();
    Ok(exit)
}
