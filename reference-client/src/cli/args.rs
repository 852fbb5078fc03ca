//! The command line (clap derive). `--help` teaches: every subcommand has
//! examples, and the exit codes are listed once here.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand};

const ABOUT: &str = "The gabarito reference client for zap (spec/zap.md: register, chat, keep \
your history) and LRV (spec/lrv.md: `lrv …`, buy raffle numbers).";

const LONG_ABOUT: &str = "The gabarito reference client for two protocols: zap (spec/zap.md) — \
register, chat, keep your history — with the subcommands below, and LRV (spec/lrv.md) — \
register a CPF, buy raffle numbers, see the draw — under `reference-client lrv` (see \
`reference-client lrv --help`).

Each profile (--profile NAME) keeps its own id, server address, contacts, groups and full \
message history with delivery (✓) and read (✓✓) marks, in an SQLite file under --data-dir. \
Several profiles side by side let two clients run on one machine. Everything the server \
sends is stored before it is shown, so nothing is lost when the client is killed.

Scriptable subcommands print stable lines (or one JSON object with --json); `chat` is the \
interactive mode for a person. LRV keeps no profile: its server is the source of truth.";

const AFTER_HELP: &str = "\
Examples:
  reference-server --listen 127.0.0.1:5000 &
  reference-client --profile alice --server 127.0.0.1:5000 register
  reference-client --profile bob   --server 127.0.0.1:5000 register
  reference-client --profile alice contacts add bob 2000000000002
  reference-client --profile alice send bob 'oi, tudo bem?'
  reference-client --profile bob inbox --read
  reference-client --profile alice history bob
  reference-client --profile alice chat
  reference-client lrv --server 127.0.0.1:5000 --cpf 12345678909 buy 7
  reference-client lrv --help            # LRV: every subcommand, with examples

Exit codes:
  0  success
  1  unexpected failure (a bug, or the system refused something)
  2  usage error (bad arguments, no server address known)
  3  bad input: unknown contact, text over 218 characters, invalid id or name
  4  this profile is not registered yet (run `register`)
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

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Get an id from the server (01 → 02) and keep it in the profile.
    ///
    /// Does nothing if the profile already has an id (it prints it).
    ///
    /// Example: reference-client --profile alice --server 127.0.0.1:5000 register
    Register,

    /// Send a message to a contact, a group, or a 13-digit id.
    ///
    /// Logs in (03), stores what the server had kept for you, sends the
    /// message (05), then waits --wait-ms for receipts. At most 218
    /// characters (letters, not bytes).
    ///
    /// Example: reference-client --profile alice send bob 'oi, tudo bem?'
    Send {
        /// A contact's nickname, a group's name, or an id.
        to: String,
        /// The text; several words are joined with spaces.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },

    /// Fetch what the server kept for you and list unread messages.
    ///
    /// With --read, sends read receipts (08) for them, so their senders see
    /// ✓✓, and they stop being unread.
    ///
    /// Example: reference-client --profile bob inbox --read
    Inbox {
        /// Send read receipts for the messages listed.
        #[arg(long)]
        read: bool,
    },

    /// Show the stored conversation with a contact or group (offline).
    ///
    /// Marks: · sent, ✓ delivered, ✓✓ read; (new) for unread received.
    ///
    /// Example: reference-client --profile alice history bob --limit 20
    History {
        /// A contact's nickname, a group's name, or an id.
        with: String,
        /// Only the last N messages.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },

    /// Manage contacts: nicknames for ids.
    #[command(subcommand)]
    Contacts(ContactsCommand),

    /// Create and list groups.
    #[command(subcommand)]
    Group(GroupCommand),

    /// Show the profile: id, server (and whether it answers), counts.
    ///
    /// Example: reference-client --profile alice status
    Status,

    /// Interactive chat: conversations, live messages, ✓/✓✓ marks.
    ///
    /// Type /help inside. /open NAME opens a conversation (and sends read
    /// receipts for it); plain lines are sent to the open conversation.
    /// Reconnects by itself when the server restarts.
    ///
    /// Example: reference-client --profile alice chat
    Chat,

    #[command(
        about = super::lrv::LRV_ABOUT,
        long_about = super::lrv::LRV_LONG_ABOUT,
        after_long_help = super::lrv::LRV_AFTER_HELP
    )]
    Lrv(super::lrv::LrvArgs),
}

#[derive(Debug, Clone, Subcommand)]
pub enum ContactsCommand {
    /// Add a contact.
    ///
    /// Example: reference-client contacts add bob 2000000000002
    Add {
        name: String,
        /// The contact's 13-digit id.
        id: String,
    },
    /// List contacts.
    List,
    /// Remove a contact (its history stays).
    ///
    /// Example: reference-client contacts remove bob
    Remove { name: String },
}

#[derive(Debug, Clone, Subcommand)]
pub enum GroupCommand {
    /// Create a group of you and up to 7 others (10 → 11).
    ///
    /// Example: reference-client group create team bob carol
    Create {
        /// Your local name for the group.
        name: String,
        /// Contacts or ids, 1 to 7.
        #[arg(required = true, num_args = 1..)]
        members: Vec<String>,
    },
    /// List the groups you are in.
    List,
    /// Name (or rename) a group, e.g. one someone else created.
    ///
    /// Example: reference-client group rename 2000000000007 family
    Rename {
        /// The group's current name or id.
        group: String,
        name: String,
    },
}
