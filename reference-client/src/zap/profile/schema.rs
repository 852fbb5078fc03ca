//! The profile's tables. Ids are stored as their 13 digits (TEXT), so
//! leading zeros survive (zap §4.1); timestamps as the POSIX seconds they
//! carry.
//!
//! History is keyed by a local sequence number, not by timestamp: zap
//! timestamps are whole seconds chosen by the sender and never rewritten
//! by the server (zap §12 D5), so two messages sent within one second carry
//! the same one. Receipts name a peer and a timestamp and cover everything
//! up to it (zap §7.1, §7.3): they are matched as (peer, timestamp ≤).

/// Migrations, oldest first (see `store::open`).
pub const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE contacts (
    name TEXT PRIMARY KEY,
    id   TEXT NOT NULL UNIQUE
);
CREATE TABLE groups (
    id         TEXT PRIMARY KEY,
    name       TEXT UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    member   TEXT NOT NULL,
    PRIMARY KEY (group_id, position)
);
-- One row per message sent or received. `conversation` is the peer's id
-- for a direct message, the group's id for a group message (zap §9.3).
-- `seen` is for received messages: a read receipt (08) covering it was sent.
CREATE TABLE messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation TEXT NOT NULL,
    outgoing     INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
    sender       TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    body         TEXT NOT NULL,
    seen         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_conversation ON messages (conversation, seq);
CREATE INDEX messages_unseen ON messages (outgoing, seen);
-- One row per recipient of a message we sent: the peer, or each other
-- member of the group, with what the server told us (07, 09).
CREATE TABLE recipients (
    seq       INTEGER NOT NULL REFERENCES messages(seq) ON DELETE CASCADE,
    peer      TEXT NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    read      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seq, peer)
);
CREATE INDEX recipients_pending ON recipients (peer, read, delivered);
"#];
