//! How zap things look to a person: history lines with their marks,
//! receipts, group notices, garbage warnings.

use gabarito_codec::escape::escape_excerpt;

use crate::cli::output::{clock, datetime};
use crate::zap::{Change, Entry, Group, Profile, ProfileError, Receipt};

type Result<T> = std::result::Result<T, ProfileError>;

/// Who wrote `e`, as shown.
fn author(p: &Profile, e: &Entry) -> Result<String> {
    if e.outgoing {
        Ok("me".to_owned())
    } else {
        p.label(&e.sender)
    }
}

fn with_mark(s: String, e: &Entry) -> String {
    let mark = e.mark();
    if mark.is_empty() {
        s
    } else {
        format!("{s} {mark}")
    }
}

/// `#12 2025-06-01 12:00:00 me: oi ✓✓` — a line of `history`.
pub fn history_line(p: &Profile, e: &Entry) -> Result<String> {
    let s = format!(
        "#{} {} {}: {}",
        e.seq,
        datetime(e.timestamp),
        author(p, e)?,
        e.text
    );
    Ok(with_mark(s, e))
}

/// `#13 2025-06-01 12:00:05 bob in team: oi` — a line of `inbox`, which
/// mixes conversations.
pub fn inbox_line(p: &Profile, e: &Entry) -> Result<String> {
    let who = author(p, e)?;
    let place = if e.conversation != e.sender && !e.outgoing {
        format!("{who} in {}", p.label(&e.conversation)?)
    } else {
        who
    };
    Ok(format!(
        "#{} {} {}: {}",
        e.seq,
        datetime(e.timestamp),
        place,
        e.text
    ))
}

/// `12:00 me: oi ✓` — a line of the chat, inside a conversation.
pub fn chat_line(p: &Profile, e: &Entry) -> Result<String> {
    let s = format!("{} {}: {}", clock(e.timestamp), author(p, e)?, e.text);
    Ok(with_mark(s, e))
}

/// The members of a group as names.
pub fn members(p: &Profile, g: &Group) -> Result<String> {
    let names = g
        .members
        .iter()
        .map(|m| p.label(m))
        .collect::<Result<Vec<_>>>()?;
    Ok(names.join(", "))
}

/// A group's local name, or its id.
pub fn group_label(g: &Group) -> String {
    g.name.clone().unwrap_or_else(|| g.id.clone())
}

/// The warning for bytes that are not zap (zap §3.6).
pub fn garbage(bytes: &[u8], len: usize, reason: &str) -> String {
    format!(
        "the server sent {len} byte(s) that are not zap, skipped (zap §3.6): {} — {reason}",
        escape_excerpt(bytes, 48)
    )
}

/// A short quote of a message for receipt lines.
fn quote(text: &str) -> String {
    let mut q: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        q.push('…');
    }
    format!("{q:?}")
}

/// The lines a receipt gives: one per message it moved, the last few.
pub fn receipt_lines(
    p: &Profile,
    kind: Receipt,
    peer: &str,
    updated: &[Entry],
) -> Result<Vec<String>> {
    const SHOWN: usize = 3;
    let who = p.label(peer)?;
    let (mark, verb) = match kind {
        Receipt::Delivered => ("✓", "delivered to"),
        Receipt::Read => ("✓✓", "read by"),
    };
    let mut lines = Vec::new();
    let skip = updated.len().saturating_sub(SHOWN);
    if skip > 0 {
        lines.push(format!("{mark} {skip} earlier message(s) {verb} {who}"));
    }
    for e in &updated[skip..] {
        let place = if e.conversation != peer {
            format!(" in {}", p.label(&e.conversation)?)
        } else {
            String::new()
        };
        lines.push(format!(
            "{mark} {verb} {who}{place}: {} (#{})",
            quote(&e.text),
            e.seq
        ));
    }
    Ok(lines)
}

/// Lines for a change that is not a message (a message's line depends on
/// where it is shown).
pub fn notice_lines(p: &Profile, c: &Change) -> Result<Vec<String>> {
    Ok(match c {
        Change::Message(_) => Vec::new(),
        Change::Receipt {
            kind,
            peer,
            updated,
        } => receipt_lines(p, *kind, peer.as_str(), updated)?,
        Change::Group { group, new: true } => vec![format!(
            "you are in group {} ({} members: {})",
            group_label(group),
            group.members.len(),
            members(p, group)?
        )],
        Change::Group { new: false, .. } => Vec::new(),
        Change::StrayRegistered { id } => {
            vec![format!("the server sent an unrequested 02 ({id}); ignored")]
        }
        Change::Garbage { bytes, len, reason } => vec![garbage(bytes, *len, reason)],
    })
}
