//! The command line (clap derive): the options every subcommand takes, and
//! one subcommand group per protocol (`zap …`, `lrv …`; each group's own
//! definition is in its folder). `--help` teaches: every subcommand has
//! examples, and the exit codes are listed once here.

use std::path::PathBuf;

use clap::{Args as ClapArgs, CommandFactory, Parser, Subcommand};

const ABOUT: &str = "The gabarito reference client: `zap …` (spec/zap.md: register, chat, keep \
your history) and `lrv …` (spec/lrv.md: buy raffle numbers).";

const LONG_ABOUT: &str = "The gabarito reference client, one subcommand group per protocol: \
zap (spec/zap.md) — register, chat, keep your history — under `reference-client zap` (see \
`reference-client zap --help`), and LRV (spec/lrv.md) — register a CPF, buy raffle numbers, \
see the draw — under `reference-client lrv` (see `reference-client lrv --help`).

zap keeps a profile per --profile NAME (its id, server, contacts, groups and full history, \
in SQLite under --data-dir); LRV keeps nothing: its server is the source of truth. zap's \
subcommands are also accepted at the root (`reference-client register`), as before LRV came.";

const AFTER_HELP: &str = "\
Examples:
  reference-server --listen 127.0.0.1:5000 &
  reference-client zap --profile alice --server 127.0.0.1:5000 register
  reference-client zap --profile alice send bob 'oi, tudo bem?'
  reference-client zap --profile bob inbox --read
  reference-client zap --profile alice chat
  reference-client zap --help            # zap: every subcommand, with examples
  reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 buy 7
  reference-client lrv --help            # LRV: every subcommand, with examples

Exit codes:
  0  success
  1  unexpected failure (a bug, or the system refused something)
  2  usage error (bad arguments, no server address known)
  3  bad input: unknown contact, text over 218 characters, invalid id or name
  4  this profile is not registered yet (run `zap register`)
  5  network: cannot connect, connection lost, no answer in time
  6  the server answered something that is not zap, or not the reply zap requires
  7  the profile is in use by another reference-client process
  8  the profile's storage failed (disk error, damaged or newer file)
`lrv` uses the same scheme (0, 1, 2, 3, 5, 6); see `reference-client lrv --help`.";

/// Command-line arguments.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "reference-client",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_long_help = AFTER_HELP,
    args_override_self = true
)]
pub struct Args {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Clone, ClapArgs)]
pub struct Global {
    /// Which profile to use: a directory under --data-dir.
    #[arg(
        long,
        short = 'p',
        global = true,
        env = "ZAP_PROFILE",
        default_value = "default"
    )]
    pub profile: String,

    /// Where profiles live [default: $XDG_DATA_HOME/gabarito/zap-client, else
    /// ~/.local/share/gabarito/zap-client].
    #[arg(long, global = true, env = "ZAP_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The server, HOST:PORT. zap: remembered in the profile, so later
    /// commands need not repeat it. lrv: or LRV_SERVER (ZAP_SERVER is
    /// zap's only).
    #[arg(
        long,
        short = 's',
        global = true,
        env = "ZAP_SERVER",
        value_name = "HOST:PORT"
    )]
    pub server: Option<String>,

    /// Whether `server` came from `ZAP_SERVER`, not the command line:
    /// `lrv` then ignores it (set by [`super::main`]).
    #[arg(skip)]
    pub server_from_env: bool,

    /// Print one JSON object instead of lines.
    #[arg(long, global = true)]
    pub json: bool,

    /// After a command, keep storing what the server sends until it has
    /// been quiet this long (receipts, pending messages).
    #[arg(long, global = true, default_value_t = 500, value_name = "MS")]
    pub wait_ms: u64,

    /// Longest wait for the connection and for a required reply (lrv: and
    /// for the greeting).
    #[arg(long, global = true, default_value_t = 5, value_name = "SECS")]
    pub timeout: u64,

    /// Least time between two frames written (zap §3.2), so servers that
    /// read one message per recv() see them apart.
    #[arg(long, global = true, default_value_t = 5, value_name = "MS")]
    pub pace_ms: u64,
}

/// The protocols' subcommand groups, side by side.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    #[command(
        about = super::zap::ZAP_ABOUT,
        long_about = super::zap::ZAP_LONG_ABOUT,
        after_long_help = super::zap::ZAP_AFTER_HELP
    )]
    Zap(super::zap::ZapArgs),

    #[command(
        about = super::lrv::LRV_ABOUT,
        long_about = super::lrv::LRV_LONG_ABOUT,
        after_long_help = super::lrv::LRV_AFTER_HELP
    )]
    Lrv(super::lrv::LrvArgs),

    /// zap's subcommands spelled at the root, as before `zap` existed:
    /// still accepted, hidden from `--help` ([`command`]).
    #[command(flatten)]
    ZapAtRoot(super::zap::ZapCommand),
}

/// The command line: [`Args`], with the root-level spellings of zap's
/// subcommands hidden, so `--help` shows the protocols side by side.
pub fn command() -> clap::Command {
    let cmd = Args::command();
    let zap_names: Vec<String> = cmd
        .find_subcommand("zap")
        .map(|zap| {
            zap.get_subcommands()
                .map(|c| c.get_name().to_owned())
                .collect()
        })
        .unwrap_or_default();
    zap_names
        .iter()
        .fold(cmd, |cmd, name| cmd.mut_subcommand(name, |c| c.hide(true)))
}
