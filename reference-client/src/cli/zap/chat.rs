//! The interactive chat: a line mode a person can use in any terminal.
//!
//! A thread runs the line editor (rustyline); received items are printed
//! above the line being typed (rustyline's external printer), so typing
//! is never garbled by a message arriving. `/open NAME` opens a
//! conversation — its history is shown with ✓/✓✓ marks and read receipts
//! (08, zap §7.2) are sent for what was unread; plain lines go to the open
//! conversation. When the connection drops the chat keeps going offline
//! and reconnects with backoff; on reconnecting, the server hands over
//! what it kept meanwhile (zap §9.4).

use std::sync::mpsc as std_mpsc;
use std::time::Duration;

use rustyline::error::ReadlineError;
use rustyline::{DefaultEditor, ExternalPrinter};
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::commands::{Ctx, Result};
use super::render;
use crate::cli::exit::CliError;
use crate::zap::{Change, Entry, Id, Profile, Session, SessionError, Target};

const HELP: &str = "\
commands:
  /open NAME        open a conversation (contact, group or id); sends read receipts
  /close            close it
  /list             conversations, with unread counts
  /history [N]      show the open conversation again (last N, default 20)
  /contacts         list contacts        /add NAME ID   add one   /remove NAME
  /group NAME M...  create a group with contacts or ids M (up to 7)
  /groups           list groups          /name GROUP NAME   name a group
  /status           who and where you are
  /quit             leave (also Ctrl-D)
anything else is sent to the open conversation (start it with // to send a leading /).
marks: · sent  ✓ delivered  ✓✓ read";

/// First wait before reconnecting; doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(5);
/// How many messages `/open` shows.
const SHOWN: usize = 20;

enum Input {
    Line(String),
    Interrupted,
    Eof,
}

/// Where output goes: above the prompt while the editor owns the terminal.
enum Printer {
    Editor(Box<dyn ExternalPrinter + Send>),
    Plain,
}

impl Printer {
    fn print(&mut self, s: impl Into<String>) {
        let mut s = s.into();
        s.push('\n');
        if let Printer::Editor(p) = self {
            if p.print(s.clone()).is_ok() {
                return;
            }
        }
        print!("{s}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
    }
}

/// The line editor's thread. It reads one line, hands it over, then waits
/// for the next prompt: so the prompt always shows the state after the
/// line was handled, and the editor is never reading while the chat exits.
fn spawn_editor() -> (
    mpsc::UnboundedReceiver<Input>,
    std_mpsc::Sender<String>,
    Printer,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (prompt_tx, prompt_rx) = std_mpsc::channel::<String>();
    let (printer_tx, printer_rx) = std_mpsc::channel::<Option<Box<dyn ExternalPrinter + Send>>>();
    std::thread::spawn(move || {
        let mut editor = match DefaultEditor::new() {
            Ok(e) => e,
            Err(_) => {
                let _ = printer_tx.send(None);
                plain_lines(tx, prompt_rx);
                return;
            }
        };
        let printer = editor
            .create_external_printer()
            .ok()
            .map(|p| Box::new(p) as Box<dyn ExternalPrinter + Send>);
        let _ = printer_tx.send(printer);
        while let Ok(prompt) = prompt_rx.recv() {
            let input = match editor.readline(&prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    Input::Line(line)
                }
                Err(ReadlineError::Interrupted) => Input::Interrupted,
                Err(_) => Input::Eof,
            };
            let eof = matches!(input, Input::Eof);
            if tx.send(input).is_err() || eof {
                return;
            }
        }
    });
    let printer = printer_rx
        .recv()
        .ok()
        .flatten()
        .map_or(Printer::Plain, Printer::Editor);
    (rx, prompt_tx, printer)
}

/// Without a usable terminal: plain lines from stdin.
fn plain_lines(tx: mpsc::UnboundedSender<Input>, prompt_rx: std_mpsc::Receiver<String>) {
    let mut line = String::new();
    while prompt_rx.recv().is_ok() {
        line.clear();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) | Err(_) => {
                let _ = tx.send(Input::Eof);
                return;
            }
            Ok(_) => {
                let l = line.trim_end_matches(['\r', '\n']).to_owned();
                if tx.send(Input::Line(l)).is_err() {
                    return;
                }
            }
        }
    }
}

struct Chat<'a> {
    ctx: &'a Ctx,
    profile: Profile,
    me: Id<'static>,
    addr: String,
    session: Option<Session>,
    open: Option<Target>,
    out: Printer,
    backoff: Duration,
    retry_at: Instant,
    quit: bool,
}

/// `chat`.
pub async fn run(ctx: &Ctx) -> Result<()> {
    let profile = ctx.open_profile()?;
    let me = profile.id()?.ok_or(SessionError::NotRegistered)?;
    let addr = ctx.server(&profile)?;
    let (mut lines, prompts, out) = spawn_editor();
    let mut chat = Chat {
        ctx,
        profile,
        me,
        addr,
        session: None,
        open: None,
        out,
        backoff: FIRST_BACKOFF,
        retry_at: Instant::now(),
        quit: false,
    };
    chat.out.print(format!(
        "zap chat — profile {} — you are {} — /help for commands",
        ctx.global.profile, chat.me
    ));
    chat.connect().await;
    let _ = prompts.send(chat.prompt());
    while !chat.quit {
        let offline = chat.session.is_none();
        tokio::select! {
            input = lines.recv() => {
                match input {
                    Some(Input::Line(l)) => chat.line(l.trim()).await,
                    Some(Input::Interrupted) => chat.out.print("(/quit or Ctrl-D to leave)"),
                    Some(Input::Eof) | None => break,
                }
                if !chat.quit {
                    let _ = prompts.send(chat.prompt());
                }
            }
            next = next_changes(&mut chat.session, &chat.profile) => chat.received(next).await,
            _ = tokio::time::sleep_until(chat.retry_at), if offline => chat.connect().await,
        }
    }
    if let Some(s) = chat.session.take() {
        let wait = ctx.wait();
        let profile = &chat.profile;
        let mut lines = Vec::new();
        let finished = s
            .finish(profile, wait, |c| {
                lines.extend(render::notice_lines(profile, c).unwrap_or_default())
            })
            .await;
        for l in lines {
            chat.out.print(l);
        }
        finished?;
    }
    chat.out.print("bye");
    Ok(())
}

async fn next_changes(
    session: &mut Option<Session>,
    profile: &Profile,
) -> std::result::Result<Option<Vec<Change>>, SessionError> {
    match session {
        Some(s) => s.next(profile).await,
        None => std::future::pending().await,
    }
}

impl Chat<'_> {
    fn prompt(&self) -> String {
        let place = match &self.open {
            Some(t) => format!("[{}] ", self.label(t.id().as_str())),
            None => String::new(),
        };
        let state = if self.session.is_some() {
            ""
        } else {
            "(offline) "
        };
        format!("{place}{state}> ")
    }

    fn label(&self, id: &str) -> String {
        self.profile.label(id).unwrap_or_else(|_| id.to_owned())
    }

    fn warn(&mut self, s: impl std::fmt::Display) {
        self.out.print(format!("! {s}"));
    }

    async fn connect(&mut self) {
        match Session::open(&self.profile, &self.addr, self.ctx.config()).await {
            Ok(s) => {
                self.session = Some(s);
                self.backoff = FIRST_BACKOFF;
                self.out
                    .print(format!("* connected to {} as {}", self.addr, self.me));
                // What arrived for the open conversation while away is read now.
                self.mark_open_read().await;
            }
            Err(e) => {
                self.warn(format!(
                    "{e}; retrying in {:.1} s",
                    self.backoff.as_secs_f32()
                ));
                self.retry_at = Instant::now() + self.backoff;
                self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
            }
        }
    }

    fn disconnected(&mut self, why: impl std::fmt::Display) {
        self.session = None;
        self.warn(format!("connection lost ({why}); reconnecting…"));
        self.retry_at = Instant::now() + self.backoff;
    }

    /// A fault of the session: a lost connection means reconnecting, a
    /// storage failure is said and the chat goes on.
    fn failed(&mut self, e: SessionError) {
        match e {
            SessionError::Client(c) if c.is_disconnect() => self.disconnected(c),
            other => self.warn(other),
        }
    }

    async fn received(&mut self, next: std::result::Result<Option<Vec<Change>>, SessionError>) {
        let changes = match next {
            Ok(Some(c)) => c,
            Ok(None) => return self.disconnected("the server closed the connection"),
            Err(e) => return self.failed(e),
        };
        let open = self.open.as_ref().map(|t| t.id().to_string());
        let mut read_now = false;
        for c in &changes {
            match c {
                Change::Message(e) if open.as_deref() == Some(e.conversation.as_str()) => {
                    read_now = true;
                    // Read at once, since the conversation is open.
                    let line = render::chat_line(
                        &self.profile,
                        &Entry {
                            state: crate::zap::State::Read,
                            ..e.clone()
                        },
                    );
                    self.print_or_warn(line);
                }
                Change::Message(e) => {
                    let line = self.elsewhere_line(e);
                    self.out.print(line);
                }
                other => {
                    let lines = render::notice_lines(&self.profile, other);
                    match lines {
                        Ok(lines) => lines.into_iter().for_each(|l| self.out.print(l)),
                        Err(e) => self.warn(e),
                    }
                }
            }
        }
        if read_now {
            self.mark_open_read().await;
        }
    }

    fn print_or_warn(&mut self, line: std::result::Result<String, crate::zap::ProfileError>) {
        match line {
            Ok(l) => self.out.print(l),
            Err(e) => self.warn(e),
        }
    }

    /// A message for a conversation that is not open.
    fn elsewhere_line(&self, e: &Entry) -> String {
        let conv = self.label(&e.conversation);
        let who = self.label(&e.sender);
        let whom = if conv == who {
            who
        } else {
            format!("{who} in {conv}")
        };
        format!(
            "[{conv}] {} {whom}: {}   (/open {conv})",
            crate::cli::output::clock(e.timestamp),
            e.text
        )
    }

    /// Read receipts for the open conversation (zap §7.2).
    async fn mark_open_read(&mut self) {
        let (Some(session), Some(open)) = (self.session.as_mut(), self.open.as_ref()) else {
            return;
        };
        if let Err(e) = session.mark_read(&self.profile, Some(open.id())).await {
            self.failed(e);
        }
    }

    async fn line(&mut self, line: &str) {
        if line.is_empty() {
            return;
        }
        if let Some(text) = line.strip_prefix("//") {
            return self.send(&format!("/{text}")).await;
        }
        let Some(cmd) = line.strip_prefix('/') else {
            return self.send(line).await;
        };
        let mut words = cmd.split_whitespace();
        let name = words.next().unwrap_or_default();
        let args: Vec<&str> = words.collect();
        let done = match (name, args.as_slice()) {
            ("help" | "h" | "?", _) => {
                self.out.print(HELP);
                Ok(())
            }
            ("quit" | "q" | "exit", _) => {
                self.quit = true;
                Ok(())
            }
            ("open" | "o", [who]) => self.open(who).await,
            ("close", []) => {
                self.open = None;
                Ok(())
            }
            ("list" | "l", []) => self.list(),
            ("history", []) => self.show_history(SHOWN),
            ("history", [n]) => match n.parse() {
                Ok(n) => self.show_history(n),
                Err(_) => Err(CliError::Usage(format!(
                    "/history N: {n:?} is not a number"
                ))),
            },
            ("contacts", []) => self.contacts(),
            ("add", [name, id]) => self.add(name, id),
            ("remove", [name]) => self
                .profile
                .remove_contact(name)
                .map(|c| self.out.print(format!("* removed {} {}", c.name, c.id)))
                .map_err(Into::into),
            ("group", [name, members @ ..]) if !members.is_empty() => {
                self.group(name, members).await
            }
            ("groups", []) => self.groups(),
            ("name", [group, name]) => self.name(group, name),
            ("status" | "whoami", []) => {
                let state = if self.session.is_some() {
                    "online"
                } else {
                    "offline"
                };
                self.out.print(format!(
                    "* you are {} ({}), profile {}, server {}",
                    self.me, state, self.ctx.global.profile, self.addr
                ));
                Ok(())
            }
            _ => Err(CliError::Usage(format!(
                "unknown command or wrong arguments: /{cmd} (/help lists the commands)"
            ))),
        };
        if let Err(e) = done {
            self.warn(e);
        }
    }

    async fn send(&mut self, text: &str) {
        let Some(open) = self.open.clone() else {
            return self.warn("no conversation open: /open NAME first (/list shows them)");
        };
        if let Err(e) = crate::zap::text(text) {
            return self.warn(format!("{e}; nothing was sent"));
        }
        let Some(session) = self.session.as_mut() else {
            return self.warn("offline: not sent (reconnecting…)");
        };
        match session.send(&self.profile, &open, text).await {
            Ok(e) => {
                let line = render::chat_line(&self.profile, &e);
                self.print_or_warn(line);
            }
            Err(e) => self.failed(e),
        }
    }

    async fn open(&mut self, who: &str) -> Result<()> {
        let target = self.profile.resolve(who)?;
        let id = target.id().to_string();
        let what = match &target {
            Target::Group(_) => "group",
            Target::User(_) => "contact",
        };
        self.out
            .print(format!("── {} ({what} {id}) ──", self.label(&id)));
        self.open = Some(target);
        self.show_history(SHOWN)?;
        self.mark_open_read().await;
        Ok(())
    }

    fn show_history(&mut self, n: usize) -> Result<()> {
        let Some(open) = &self.open else {
            return Err(CliError::Usage("no conversation open: /open NAME".into()));
        };
        let entries = self.profile.history(open.id(), Some(n))?;
        if entries.is_empty() {
            self.out.print("(no messages yet)");
        }
        for e in &entries {
            let line = render::chat_line(&self.profile, e)?;
            self.out.print(line);
        }
        Ok(())
    }

    fn list(&mut self) -> Result<()> {
        let convs = self.profile.conversations()?;
        if convs.is_empty() {
            self.out
                .print("(no conversations yet: /contacts, then /open NAME)");
        }
        for c in convs {
            let unread = if c.unread > 0 {
                format!(", {} unread", c.unread)
            } else {
                String::new()
            };
            self.out.print(format!(
                "  {} — {} message(s){unread}, last {}",
                self.label(&c.id),
                c.messages,
                crate::cli::output::datetime(c.last_timestamp)
            ));
        }
        Ok(())
    }

    fn contacts(&mut self) -> Result<()> {
        let list = self.profile.contacts()?;
        if list.is_empty() {
            self.out.print("(no contacts: /add NAME ID)");
        }
        for c in list {
            self.out.print(format!("  {} {}", c.name, c.id));
        }
        Ok(())
    }

    fn add(&mut self, name: &str, id: &str) -> Result<()> {
        let id =
            Id::parse(id).map_err(|e| CliError::BadInput(format!("{id:?} is not an id: {e}")))?;
        self.profile.add_contact(name, &id)?;
        self.out.print(format!("* added {name} {id}"));
        Ok(())
    }

    async fn group(&mut self, name: &str, members: &[&str]) -> Result<()> {
        let mut ids = Vec::new();
        for m in members {
            match self.profile.resolve(m)? {
                Target::User(id) => ids.push(id),
                Target::Group(g) => {
                    return Err(CliError::BadInput(format!(
                        "{m} is a group ({g}), not a user"
                    )));
                }
            }
        }
        let Some(session) = self.session.as_mut() else {
            return Err(CliError::BadInput(
                "offline: cannot create a group now".into(),
            ));
        };
        match session.create_group(&self.profile, &ids, Some(name)).await {
            Ok(g) => {
                let members = render::members(&self.profile, &g)?;
                self.out
                    .print(format!("* created group {name} ({}) with {members}", g.id));
                Ok(())
            }
            Err(SessionError::Client(c)) if c.is_disconnect() => {
                self.disconnected(&c);
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn groups(&mut self) -> Result<()> {
        let groups = self.profile.groups()?;
        if groups.is_empty() {
            self.out.print("(no groups: /group NAME MEMBER…)");
        }
        for g in groups {
            let members = render::members(&self.profile, &g)?;
            self.out.print(format!(
                "  {} {} — {members}",
                render::group_label(&g),
                g.id
            ));
        }
        Ok(())
    }

    fn name(&mut self, group: &str, name: &str) -> Result<()> {
        match self.profile.resolve(group)? {
            Target::Group(id) => {
                self.profile.name_group(&id, name)?;
                self.out.print(format!("* group {id} is now {name}"));
                Ok(())
            }
            Target::User(id) => Err(CliError::BadInput(format!(
                "{id} is not a group you are in"
            ))),
        }
    }
}
