//! The persistent zap profile (seed 001: "O cliente deverá de alguma forma
//! armazenar o seu próprio ID, a sua lista de contatos e grupos dos quais
//! faz parte, além do histórico de mensagens trocadas"): own id, server
//! address, contacts with nicknames, groups and their members, and the
//! full history with per-message delivery and read state.
//!
//! # Layout
//!
//! - `schema.rs` — the tables and why history is keyed by a local sequence.
//! - `mod.rs` — [`Profile`]: opening, own id and server, contacts, groups,
//!   resolving a name a person typed.
//! - `history.rs` — recording messages and receipts, reading history.

mod history;
mod schema;

use std::path::{Path, PathBuf};

use gabarito_codec::zap::{ID_LEN, Id};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::store::{self, StoreError};
use crate::zap::event::GroupNotice;

pub use history::{Conversation, Entry, State};

/// The file of a profile inside its directory.
pub const DB_FILE: &str = "profile.sqlite3";

/// What can go wrong with a profile.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A name that is neither a contact, a group, nor a 13-digit id.
    #[error(
        "unknown contact or group {0:?}: add it with `contacts add {0} ID`, or give the 13-digit id"
    )]
    Unknown(String),
    #[error("invalid name {name:?}: {why}")]
    BadName { name: String, why: &'static str },
    #[error("the name {name:?} is already used by {by}")]
    NameTaken { name: String, by: String },
    #[error("no contact named {0:?}")]
    NoSuchContact(String),
    #[error("no group {0:?}")]
    NoSuchGroup(String),
    /// The database holds a value no version of this program writes.
    #[error("profile data is damaged: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for ProfileError {
    fn from(e: rusqlite::Error) -> Self {
        ProfileError::Store(StoreError::Sqlite(e))
    }
}

pub type Result<T, E = ProfileError> = std::result::Result<T, E>;

/// A contact: a nickname for a user id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: String,
    pub id: String,
}

/// A group we are in (zap §8.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: String,
    /// Our local name for it, if we gave one.
    pub name: Option<String>,
    /// The server's clock when it created the group.
    pub created_at: u64,
    /// The creator first (zap §8.2).
    pub members: Vec<String>,
}

/// What a name typed by a person stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    User(Id<'static>),
    Group(Id<'static>),
}

impl Target {
    pub fn id(&self) -> &Id<'static> {
        match self {
            Target::User(id) | Target::Group(id) => id,
        }
    }
}

/// An open profile. Holds the profile's lock until dropped.
#[derive(Debug)]
pub struct Profile {
    conn: Connection,
    dir: PathBuf,
}

fn parse_id(s: &str) -> Result<Id<'static>> {
    Id::parse(s)
        .map(Id::into_owned)
        .map_err(|e| ProfileError::Corrupt(format!("stored id {s:?}: {e}")))
}

/// Whether `s` looks like an id, so that it cannot also be a name.
fn looks_like_id(s: &str) -> bool {
    s.len() == ID_LEN && s.bytes().all(|b| b.is_ascii_digit())
}

fn check_name(name: &str) -> Result<()> {
    let bad = |why| {
        Err(ProfileError::BadName {
            name: name.to_owned(),
            why,
        })
    };
    if name.is_empty() || name.chars().count() > 32 {
        return bad("a name has 1 to 32 characters");
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("a name has no spaces");
    }
    if name.starts_with('/') {
        return bad("a name does not start with '/' (chat commands do)");
    }
    if looks_like_id(name) {
        return bad("13 digits are an id, not a name");
    }
    if name == "me" {
        return bad("\"me\" stands for yourself");
    }
    Ok(())
}

impl Profile {
    /// Opens the profile in `dir` (creating it), taking its lock.
    pub fn open(dir: &Path) -> Result<Profile> {
        let conn = store::open(&dir.join(DB_FILE), schema::MIGRATIONS)?;
        Ok(Profile {
            conn,
            dir: dir.to_owned(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `f` as one transaction (one disk sync for a batch).
    pub fn batch<T>(&self, f: impl FnOnce(&Profile) -> Result<T>) -> Result<T> {
        store::transaction(&self.conn, || f(self))
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Our id, once registered (zap §5.2).
    pub fn id(&self) -> Result<Option<Id<'static>>> {
        self.meta("id")?.as_deref().map(parse_id).transpose()
    }

    pub fn set_id(&self, id: &Id<'_>) -> Result<()> {
        self.set_meta("id", id.as_str())
    }

    /// The server address (`host:port`) last used.
    pub fn server(&self) -> Result<Option<String>> {
        self.meta("server")
    }

    pub fn set_server(&self, addr: &str) -> Result<()> {
        self.set_meta("server", addr)
    }

    /// Checks that `name` is a valid name and not yet used.
    pub fn check_free_name(&self, name: &str) -> Result<()> {
        check_name(name)?;
        match self.name_owner(name)? {
            Some(by) => Err(ProfileError::NameTaken {
                name: name.to_owned(),
                by,
            }),
            None => Ok(()),
        }
    }

    pub fn add_contact(&self, name: &str, id: &Id<'_>) -> Result<()> {
        self.check_free_name(name)?;
        if let Some(other) = self.contact_of(id)? {
            return Err(ProfileError::NameTaken {
                name: id.to_string(),
                by: format!("contact {other:?} (one name per id)"),
            });
        }
        self.conn.execute(
            "INSERT INTO contacts (name, id) VALUES (?1, ?2)",
            [name, id.as_str()],
        )?;
        Ok(())
    }

    /// Removes a contact; its history stays (it is keyed by id).
    pub fn remove_contact(&self, name: &str) -> Result<Contact> {
        let c = self
            .contact(name)?
            .ok_or_else(|| ProfileError::NoSuchContact(name.to_owned()))?;
        self.conn
            .execute("DELETE FROM contacts WHERE name = ?1", [name])?;
        Ok(c)
    }

    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut st = self
            .conn
            .prepare("SELECT name, id FROM contacts ORDER BY name")?;
        let rows = st.query_map([], |r| {
            Ok(Contact {
                name: r.get(0)?,
                id: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn contact(&self, name: &str) -> Result<Option<Contact>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name, id FROM contacts WHERE name = ?1",
                [name],
                |r| {
                    Ok(Contact {
                        name: r.get(0)?,
                        id: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    fn contact_of(&self, id: &Id<'_>) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT name FROM contacts WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Who already uses `name`, as a phrase for an error.
    fn name_owner(&self, name: &str) -> Result<Option<String>> {
        if let Some(c) = self.contact(name)? {
            return Ok(Some(format!("contact {}", c.id)));
        }
        let group: Option<String> = self
            .conn
            .query_row("SELECT id FROM groups WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(group.map(|g| format!("group {g}")))
    }

    /// Records a group notice (zap §8.2); a repeated notice changes nothing.
    /// Returns whether the group was new.
    pub fn save_group(&self, g: &GroupNotice) -> Result<bool> {
        let added = self.conn.execute(
            "INSERT INTO groups (id, name, created_at) VALUES (?1, NULL, ?2)
             ON CONFLICT (id) DO NOTHING",
            params![g.group.as_str(), g.timestamp.secs() as i64],
        )?;
        if added == 0 {
            return Ok(false);
        }
        for (i, m) in g.members.iter().enumerate() {
            self.conn.execute(
                "INSERT INTO group_members (group_id, position, member) VALUES (?1, ?2, ?3)",
                params![g.group.as_str(), i as i64, m.as_str()],
            )?;
        }
        Ok(true)
    }

    /// Gives a group a local name.
    pub fn name_group(&self, group: &Id<'_>, name: &str) -> Result<()> {
        check_name(name)?;
        if let Some(by) = self.name_owner(name)? {
            if by != format!("group {group}") {
                return Err(ProfileError::NameTaken {
                    name: name.to_owned(),
                    by,
                });
            }
        }
        let n = self.conn.execute(
            "UPDATE groups SET name = ?2 WHERE id = ?1",
            [group.as_str(), name],
        )?;
        if n == 0 {
            return Err(ProfileError::NoSuchGroup(group.to_string()));
        }
        Ok(())
    }

    pub fn groups(&self) -> Result<Vec<Group>> {
        let ids: Vec<String> = {
            let mut st = self
                .conn
                .prepare("SELECT id FROM groups ORDER BY created_at, id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(g) = self.group(&parse_id(&id)?)? {
                out.push(g);
            }
        }
        Ok(out)
    }

    pub fn group(&self, id: &Id<'_>) -> Result<Option<Group>> {
        let row: Option<(Option<String>, i64)> = self
            .conn
            .query_row(
                "SELECT name, created_at FROM groups WHERE id = ?1",
                [id.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((name, created_at)) = row else {
            return Ok(None);
        };
        let mut st = self
            .conn
            .prepare("SELECT member FROM group_members WHERE group_id = ?1 ORDER BY position")?;
        let members = st
            .query_map([id.as_str()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(Group {
            id: id.to_string(),
            name,
            created_at: created_at.max(0) as u64,
            members,
        }))
    }

    /// What a name typed by a person means: a contact's nickname, a group's
    /// name, or a 13-digit id (a group's if we know that group).
    pub fn resolve(&self, name: &str) -> Result<Target> {
        if let Some(c) = self.contact(name)? {
            return Ok(Target::User(parse_id(&c.id)?));
        }
        let group: Option<String> = self
            .conn
            .query_row("SELECT id FROM groups WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(g) = group {
            return Ok(Target::Group(parse_id(&g)?));
        }
        if looks_like_id(name) {
            let id = parse_id(name)?;
            return Ok(if self.group(&id)?.is_some() {
                Target::Group(id)
            } else {
                Target::User(id)
            });
        }
        Err(ProfileError::Unknown(name.to_owned()))
    }

    /// How to show `id` to a person: "me", a contact's or group's name, or
    /// the id itself.
    pub fn label(&self, id: &str) -> Result<String> {
        if self.id()?.is_some_and(|me| me.as_str() == id) {
            return Ok("me".to_owned());
        }
        let name: Option<String> = self
            .conn
            .query_row(
                "SELECT name FROM contacts WHERE id = ?1
                 UNION ALL SELECT name FROM groups WHERE id = ?1 AND name IS NOT NULL
                 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(name.unwrap_or_else(|| id.to_owned()))
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    pub fn integrity(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests;
