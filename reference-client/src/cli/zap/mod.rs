//! `reference-client zap …`: the zap subcommands and the interactive chat.
//! Each opens the profile (`--profile`: the id, the server, contacts,
//! groups and history), does one thing, and fills a [`Report`]; `chat` is
//! the interactive mode for a person.
//!
//! # Layout
//!
//! - `mod.rs` — the clap definition of the group ([`ZapArgs`],
//!   [`ZapCommand`], with their `--help` examples) and [`run`]. The same
//!   subcommands are also accepted at the root, hidden, as they were
//!   spelled before `zap` (`reference-client register`).
//! - `commands.rs` — the scriptable subcommands.
//! - `chat.rs` — the interactive line-mode chat.
//! - `render.rs` — how history, receipts and notices look.

mod chat;
mod commands;
mod render;

use clap::{Args as ClapArgs, Subcommand};

use super::args::Global;
use super::output::Report;
use crate::store;
use commands::{Ctx, Result};

/// Where client profiles live by default (`gabarito/zap-client`).
pub const APP_DIR: &str = "zap-client";

pub(super) const ZAP_ABOUT: &str = "Talk zap (spec/zap.md): register, send, read your inbox, \
chat, keep your history.";

pub(super) const ZAP_LONG_ABOUT: &str = "Talk zap (spec/zap.md): register, send, read your \
inbox, chat, keep your history.

Each profile (--profile NAME) keeps its own id, server address, contacts, groups and full \
message history with delivery (✓) and read (✓✓) marks, in an SQLite file under --data-dir. \
Several profiles side by side let two clients run on one machine. Everything the server \
sends is stored before it is shown, so nothing is lost when the client is killed.

Scriptable subcommands print stable lines (or one JSON object with --json); `chat` is the \
interactive mode for a person. The same subcommands are accepted without `zap` \
(`reference-client register`), as before LRV came.";

pub(super) const ZAP_AFTER_HELP: &str = "\
Examples:
  reference-server --listen 127.0.0.1:5000 &
  reference-client zap --profile alice --server 127.0.0.1:5000 register
  reference-client zap --profile bob   --server 127.0.0.1:5000 register
  reference-client zap --profile alice contacts add bob 2000000000002
  reference-client zap --profile alice send bob 'oi, tudo bem?'
  reference-client zap --profile bob inbox --read
  reference-client zap --profile alice history bob
  reference-client zap --profile alice group create team bob
  reference-client zap --profile alice chat

Exit codes: see `reference-client --help`; 4 (not registered), 7 (profile in use) and 8 \
(storage) are zap's.";

/// `reference-client zap [OPTIONS] <COMMAND>`; its help texts are on the
/// `Zap` variant of [`super::Command`].
#[derive(Debug, Clone, ClapArgs)]
pub struct ZapArgs {
    #[command(subcommand)]
    pub command: ZapCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ZapCommand {
    /// Get an id from the server (01 → 02) and keep it in the profile.
    ///
    /// Does nothing if the profile already has an id (it prints it).
    ///
    /// Example: reference-client zap --profile alice --server 127.0.0.1:5000 register
    Register,

    /// Send a message to a contact, a group, or a 13-digit id.
    ///
    /// Logs in (03), stores what the server had kept for you, sends the
    /// message (05), then waits --wait-ms for receipts. At most 218
    /// characters (letters, not bytes).
    ///
    /// Example: reference-client zap --profile alice send bob 'oi, tudo bem?'
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
    /// Example: reference-client zap --profile bob inbox --read
    Inbox {
        /// Send read receipts for the messages listed.
        #[arg(long)]
        read: bool,
    },

    /// Show the stored conversation with a contact or group (offline).
    ///
    /// Marks: · sent, ✓ delivered, ✓✓ read; (new) for unread received.
    ///
    /// Example: reference-client zap --profile alice history bob --limit 20
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
    /// Example: reference-client zap --profile alice status
    Status,

    /// Interactive chat: conversations, live messages, ✓/✓✓ marks.
    ///
    /// Type /help inside. /open NAME opens a conversation (and sends read
    /// receipts for it); plain lines are sent to the open conversation.
    /// Reconnects by itself when the server restarts.
    ///
    /// Example: reference-client zap --profile alice chat
    Chat,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ContactsCommand {
    /// Add a contact.
    ///
    /// Example: reference-client zap contacts add bob 2000000000002
    Add {
        name: String,
        /// The contact's 13-digit id.
        id: String,
    },
    /// List contacts.
    List,
    /// Remove a contact (its history stays).
    ///
    /// Example: reference-client zap contacts remove bob
    Remove { name: String },
}

#[derive(Debug, Clone, Subcommand)]
pub enum GroupCommand {
    /// Create a group of you and up to 7 others (10 → 11).
    ///
    /// Example: reference-client zap group create team bob carol
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
    /// Example: reference-client zap group rename 2000000000007 family
    Rename {
        /// The group's current name or id.
        group: String,
        name: String,
    },
}

/// Runs a zap subcommand, however it was spelled (`zap register` or
/// `register`), on the profile `global` names.
pub async fn run(global: &Global, command: &ZapCommand, report: &mut Report) -> Result<()> {
    let data_dir = global
        .data_dir
        .clone()
        .unwrap_or_else(|| store::default_data_dir(APP_DIR));
    let ctx = Ctx {
        profile_dir: data_dir.join(&global.profile),
        global: global.clone(),
    };
    match command {
        ZapCommand::Register => commands::register(&ctx, report).await,
        ZapCommand::Send { to, text } => commands::send(&ctx, to, text, report).await,
        ZapCommand::Inbox { read } => commands::inbox(&ctx, *read, report).await,
        ZapCommand::History { with, limit } => commands::history(&ctx, with, *limit, report),
        ZapCommand::Contacts(c) => commands::contacts(&ctx, c, report),
        ZapCommand::Group(g) => commands::group(&ctx, g, report).await,
        ZapCommand::Status => commands::status(&ctx, report).await,
        ZapCommand::Chat => chat::run(&ctx).await,
    }
}
