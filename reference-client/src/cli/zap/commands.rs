//! The scriptable subcommands. Each opens the profile, does one thing,
//! and fills a [`Report`].

use std::path::PathBuf;
use std::time::Duration;

use gabarito_codec::zap::Id;
use serde_json::json;

use super::render;
use super::{ContactsCommand, GroupCommand};
use crate::cli::args::Global;
use crate::cli::exit::CliError;
use crate::cli::output::Report;
use crate::zap::{
    self, Change, Client, ClientConfig, Entry, Profile, Receipt, Session, SessionError, State,
    Target,
};

pub type Result<T, E = CliError> = std::result::Result<T, E>;

/// What every command needs: the options and where the profile is.
#[derive(Debug)]
pub struct Ctx {
    pub global: Global,
    pub profile_dir: PathBuf,
}

impl Ctx {
    pub fn open_profile(&self) -> Result<Profile> {
        Ok(Profile::open(&self.profile_dir)?)
    }

    /// The server to use: `--server` (then remembered) or the stored one.
    pub fn server(&self, p: &Profile) -> Result<String> {
        if let Some(s) = &self.global.server {
            p.set_server(s)?;
            return Ok(s.clone());
        }
        Ok(p.server()?.ok_or(SessionError::NoServer)?)
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            pace: Duration::from_millis(self.global.pace_ms),
            connect_timeout: Duration::from_secs(self.global.timeout),
            reply_timeout: Duration::from_secs(self.global.timeout),
            ..ClientConfig::default()
        }
    }

    pub fn wait(&self) -> Duration {
        Duration::from_millis(self.global.wait_ms)
    }

    async fn session(&self, p: &Profile) -> Result<Session> {
        let addr = self.server(p)?;
        Ok(Session::open(p, &addr, self.config()).await?)
    }
}

/// Tallies what a session stored while a command ran, for the report.
#[derive(Debug, Default)]
struct Seen {
    messages: Vec<Entry>,
    delivered: Vec<i64>,
    read: Vec<i64>,
    groups: Vec<String>,
    warnings: Vec<String>,
}

impl Seen {
    fn note(&mut self, p: &Profile, c: &Change) {
        match c {
            Change::Message(e) => self.messages.push(e.clone()),
            Change::Receipt { kind, updated, .. } => {
                let to = match kind {
                    Receipt::Delivered => &mut self.delivered,
                    Receipt::Read => &mut self.read,
                };
                to.extend(updated.iter().map(|e| e.seq));
            }
            Change::Group { group, new: true } => self.groups.push(group.id.clone()),
            Change::Group { new: false, .. } => {}
            Change::StrayRegistered { .. } | Change::Garbage { .. } => {
                if let Ok(lines) = render::notice_lines(p, c) {
                    self.warnings.extend(lines);
                }
            }
        }
    }

    fn report(self, p: &Profile, r: &mut Report) -> Result<()> {
        for w in self.warnings {
            r.warn(w);
        }
        if !self.delivered.is_empty() || !self.read.is_empty() {
            r.line(format!(
                "receipts: {} delivered, {} read",
                self.delivered.len(),
                self.read.len()
            ));
        }
        for g in &self.groups {
            if let Some(g) = p.group(&parse_id(g)?)? {
                r.line(format!(
                    "added to group {} ({})",
                    render::group_label(&g),
                    render::members(p, &g)?
                ));
            }
        }
        r.set(
            "received",
            self.messages.iter().map(|e| e.seq).collect::<Vec<_>>(),
        );
        r.set("delivered", self.delivered);
        r.set("read", self.read);
        r.set("groups", self.groups);
        Ok(())
    }
}

fn parse_id(s: &str) -> Result<Id<'static>> {
    Id::parse(s)
        .map(Id::into_owned)
        .map_err(|e| CliError::BadInput(format!("{s:?} is not an id: {e} (zap §4.1)")))
}

/// `register`: 01 → 02 (zap §5.1, §5.2).
pub async fn register(ctx: &Ctx, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    if let Some(id) = p.id()? {
        r.line(format!("already registered as {id}"));
        r.set("id", id.as_str());
        r.set("new", false);
        return Ok(());
    }
    let addr = ctx.server(&p)?;
    let mut client = Client::connect_with(&addr, ctx.config()).await?;
    let id = client.register().await?;
    p.set_id(&id)?;
    while let Some(e) = client.buffered_event() {
        if let zap::Event::Garbage { bytes, len, reason } = e {
            r.warn(render::garbage(&bytes, len, &reason));
        }
    }
    let _ = client.shutdown().await;
    r.line(format!("registered {id}"));
    r.set("id", id.as_str());
    r.set("new", true);
    r.set("server", addr);
    Ok(())
}

/// `send TO TEXT…`: 03, then 05 (zap §5.3, §6.1), then receipts.
pub async fn send(ctx: &Ctx, to: &str, words: &[String], r: &mut Report) -> Result<()> {
    let text = words.join(" ");
    // Bad input is refused before anything touches the network.
    zap::text(&text)?;
    let p = ctx.open_profile()?;
    let target = p.resolve(to)?;
    let mut seen = Seen::default();
    let mut session = ctx.session(&p).await?;
    let sent = session.send(&p, &target, &text).await?;
    session.settle(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
    session.finish(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
    let now = p.entry(sent.seq)?.unwrap_or(sent);
    let label = p.label(&now.conversation)?;
    r.line(format!(
        "sent #{} to {label} at {}",
        now.seq,
        crate::cli::output::datetime(now.timestamp)
    ));
    r.line(match now.state {
        State::Read => "read ✓✓".to_owned(),
        State::Delivered => "delivered ✓".to_owned(),
        _ if now.delivered > 0 => format!("delivered to {} of {} ✓", now.delivered, now.recipients),
        _ => "not delivered yet (the recipient is offline; see `history`)".to_owned(),
    });
    if !seen.messages.is_empty() {
        r.line(format!(
            "{} new message(s) arrived; see `inbox`",
            seen.messages.len()
        ));
    }
    r.set("message", &now);
    seen.report(&p, r)?;
    Ok(())
}

/// `inbox [--read]`: 03, store what was pending, list unread, maybe 08.
pub async fn inbox(ctx: &Ctx, read: bool, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    let mut seen = Seen::default();
    let mut session = ctx.session(&p).await?;
    session.settle(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
    let mut unread = if read {
        session.mark_read(&p, None).await?
    } else {
        p.unread(None)?
    };
    session.finish(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
    for e in &mut unread {
        if let Some(now) = p.entry(e.seq)? {
            *e = now;
        }
        r.line(render::inbox_line(&p, e)?);
    }
    r.line(match (unread.len(), read) {
        (0, _) => "no unread messages".to_owned(),
        (n, true) => format!("{n} message(s), read receipts sent"),
        (n, false) => format!("{n} unread message(s); `inbox --read` sends read receipts"),
    });
    r.set("unread", &unread);
    r.set("marked_read", read && !unread.is_empty());
    seen.report(&p, r)?;
    Ok(())
}

/// `history WITH`: the stored conversation, offline.
pub fn history(ctx: &Ctx, with: &str, limit: Option<usize>, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    let target = p.resolve(with)?;
    let entries = p.history(target.id(), limit)?;
    for e in &entries {
        r.line(render::history_line(&p, e)?);
    }
    if entries.is_empty() {
        r.line(format!(
            "no messages with {}",
            p.label(target.id().as_str())?
        ));
    }
    r.set("conversation", target.id().as_str());
    r.set("label", p.label(target.id().as_str())?);
    r.set("messages", &entries);
    Ok(())
}

pub fn contacts(ctx: &Ctx, cmd: &ContactsCommand, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    match cmd {
        ContactsCommand::Add { name, id } => {
            let id = parse_id(id)?;
            p.add_contact(name, &id)?;
            r.line(format!("added {name} {id}"));
            r.set("added", json!({ "name": name, "id": id.as_str() }));
        }
        ContactsCommand::List => {
            let list = p.contacts()?;
            for c in &list {
                r.line(format!("{} {}", c.name, c.id));
            }
            if list.is_empty() {
                r.line("no contacts; add one with `contacts add NAME ID`");
            }
            r.set("contacts", list);
        }
        ContactsCommand::Remove { name } => {
            let c = p.remove_contact(name)?;
            r.line(format!("removed {} {} (history kept)", c.name, c.id));
            r.set("removed", c);
        }
    }
    Ok(())
}

pub async fn group(ctx: &Ctx, cmd: &GroupCommand, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    match cmd {
        GroupCommand::Create { name, members } => {
            p.check_free_name(name)?;
            let mut ids = Vec::with_capacity(members.len());
            for m in members {
                match p.resolve(m)? {
                    Target::User(id) => ids.push(id),
                    Target::Group(g) => {
                        return Err(CliError::BadInput(format!(
                            "{m} is a group ({g}); a group's members are users (zap §8.1)"
                        )));
                    }
                }
            }
            let me = p.id()?.ok_or(SessionError::NotRegistered)?;
            zap::group_members(&me, &ids)?;
            let mut seen = Seen::default();
            let mut session = ctx.session(&p).await?;
            let g = session.create_group(&p, &ids, Some(name)).await?;
            session.settle(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
            session.finish(&p, ctx.wait(), |c| seen.note(&p, c)).await?;
            r.line(format!(
                "created group {name} {} with {}",
                g.id,
                render::members(&p, &g)?
            ));
            r.set("group", &g);
            seen.groups.retain(|id| *id != g.id);
            seen.report(&p, r)?;
        }
        GroupCommand::List => {
            let groups = p.groups()?;
            for g in &groups {
                r.line(format!(
                    "{} {} {}",
                    g.name.as_deref().unwrap_or("-"),
                    g.id,
                    render::members(&p, g)?
                ));
            }
            if groups.is_empty() {
                r.line("no groups; create one with `group create NAME MEMBER…`");
            }
            r.set("groups", groups);
        }
        GroupCommand::Rename { group, name } => {
            let id = match p.resolve(group)? {
                Target::Group(id) => id,
                Target::User(id) => {
                    return Err(CliError::BadInput(format!(
                        "{group} ({id}) is not a group you are in"
                    )));
                }
            };
            p.name_group(&id, name)?;
            r.line(format!("group {id} is now {name}"));
            r.set("group", p.group(&id)?);
        }
    }
    Ok(())
}

/// `status`: the profile, and whether its server accepts connections
/// (TCP only: nothing is sent, so nothing pending is taken).
pub async fn status(ctx: &Ctx, r: &mut Report) -> Result<()> {
    let p = ctx.open_profile()?;
    let id = p.id()?;
    let server = match &ctx.global.server {
        Some(s) => {
            p.set_server(s)?;
            Some(s.clone())
        }
        None => p.server()?,
    };
    let reachable = match &server {
        Some(addr) => Some(
            tokio::time::timeout(
                Duration::from_secs(ctx.global.timeout),
                tokio::net::TcpStream::connect(addr.as_str()),
            )
            .await
            .map_err(|_| "no answer".to_owned())
            .and_then(|c| c.map(|_| ()).map_err(|e| e.to_string())),
        ),
        None => None,
    };
    let (sent, received, undelivered) = p.counts()?;
    let unread = p.unread(None)?.len();
    let contacts = p.contacts()?.len();
    let groups = p.groups()?.len();
    r.line(format!(
        "profile  {} ({})",
        ctx.global.profile,
        p.dir().display()
    ));
    r.line(format!(
        "id       {}",
        id.as_ref()
            .map_or("not registered (run `register`)".to_owned(), Id::to_string)
    ));
    r.line(format!(
        "server   {}",
        match (&server, &reachable) {
            (Some(s), Some(Ok(()))) => format!("{s} (accepting connections)"),
            (Some(s), Some(Err(e))) => format!("{s} (unreachable: {e})"),
            _ => "none (pass --server HOST:PORT)".to_owned(),
        }
    ));
    r.line(format!("contacts {contacts}"));
    r.line(format!("groups   {groups}"));
    r.line(format!(
        "messages {sent} sent ({undelivered} not delivered yet), {received} received ({unread} unread)"
    ));
    r.set("profile", &ctx.global.profile);
    r.set("dir", p.dir().display().to_string());
    r.set("id", id.as_ref().map(Id::as_str));
    r.set("server", &server);
    r.set("reachable", reachable.as_ref().map(Result::is_ok));
    r.set("contacts", contacts);
    r.set("groups", groups);
    r.set("sent", sent);
    r.set("undelivered", undelivered);
    r.set("received", received);
    r.set("unread", unread);
    Ok(())
}
