//! The `zap_session` target's observer: what clients may and may not see from
//! the reference server (zap §5–§9), checked on every frame written to them.
//!
//! The observer knows only what the clients sent and what was written to
//! them, like the conformance harness. Where it cannot know the server's
//! exact state it over-approximates, so every check is sound (never fails a
//! correct server): a connection's `ids` are all the ids it ever sent a 03
//! for, known or not, since the server may know an id the clients never saw
//! (its 02 was written to a connection that was cut before reading it).
//! A connection may also send as the id it registered, without a 03 (zap
//! D10's other reading, which the server accepts): from the 02 on, that id
//! is one of its `ids`, and while a 02 it asked for is unseen (queued to a
//! reader that stopped reading), any id not seen in a 02 may be it.

use std::collections::{BTreeMap, BTreeSet};

use gabarito_codec::zap::{Chat, Direction, Message, decode};
use gabarito_server::ConnId;

/// What one connection did.
#[derive(Debug, Default)]
struct Conn {
    /// Every id it sent a 03 for or was assigned in a 02: a superset of
    /// who it was online as and who it may send as (D10).
    ids: BTreeSet<u64>,
    /// The last id it sent a 03 for: whom the generator speaks as.
    last: Option<u64>,
    registers: usize,
    registered: usize,
}

/// A 06 written to a connection: who could have read it, from whom, when.
#[derive(Debug)]
struct Delivery {
    readers: BTreeSet<u64>,
    src: u64,
    timestamp: u64,
}

#[derive(Debug, Default)]
pub struct Observer {
    conns: BTreeMap<ConnId, Conn>,
    /// Ids seen in 02s (zap §5.2).
    users: BTreeSet<u64>,
    /// Groups seen in 11s, with their members, creator first (zap §8.2).
    groups: BTreeMap<u64, Vec<u64>>,
    /// 05s sent on a connection that had sent a 03 for their `src`: the
    /// only ones the server may accept (zap §9.2, spoofing).
    chats: Vec<Chat<'static>>,
    /// (reader, src, timestamp) of every 08, for each id its connection had.
    reads: BTreeSet<(u64, u64, u64)>,
    /// (connection, src, timestamp) of every 08 sent while a 02 that
    /// connection asked for was unseen: its reader may be that 02's id.
    unseen_reads: BTreeSet<(ConnId, u64, u64)>,
    /// Creators of 10s sent on a connection that had sent a 03 for them.
    creators: BTreeSet<u64>,
    deliveries: Vec<Delivery>,
}

impl Observer {
    pub fn opened(&mut self, conn: ConnId) {
        self.conns.insert(conn, Conn::default());
    }

    /// The id `conn` last sent a 03 for.
    pub fn speaks_as(&self, conn: ConnId) -> Option<u64> {
        self.conns.get(&conn)?.last
    }

    pub fn users(&self) -> impl Iterator<Item = u64> + '_ {
        self.users.iter().copied()
    }

    pub fn groups(&self) -> impl Iterator<Item = u64> + '_ {
        self.groups.keys().copied()
    }

    /// Records a frame `conn` sends, before the server sees it.
    pub fn sent(&mut self, conn: ConnId, m: &Message<'_>) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        // A 02 it asked for is unseen: it may be any id not seen in one.
        let unseen = c.registers > c.registered;
        let may_be = |id: u64| c.ids.contains(&id) || (unseen && !self.users.contains(&id));
        match m {
            Message::Register => c.registers += 1,
            Message::Connect { id } => {
                c.ids.insert(id.value());
                c.last = Some(id.value());
            }
            Message::Send(chat) if may_be(chat.src.value()) => {
                self.chats.push(chat.clone().into_owned())
            }
            Message::Read { src, timestamp } => {
                for &reader in &c.ids {
                    self.reads.insert((reader, src.value(), timestamp.secs()));
                }
                if unseen {
                    self.unseen_reads
                        .insert((conn, src.value(), timestamp.secs()));
                }
            }
            Message::CreateGroup { creator, .. } if may_be(creator.value()) => {
                self.creators.insert(creator.value());
            }
            _ => {}
        }
    }

    /// Checks what was written to each connection in one step, panicking on
    /// the first frame no correct server could have written. Registrations
    /// and groups first, then 06s, then the receipts that 06s and 08s cause,
    /// so a 07 is checked after the 06 it answers, whichever connection got
    /// which.
    pub fn written(&mut self, frames: &[(ConnId, Vec<u8>)]) {
        let decoded: Vec<(ConnId, Message<'static>)> =
            frames.iter().map(|(c, f)| (*c, self.wire(f))).collect();
        for (conn, m) in &decoded {
            match m {
                Message::Registered { id } => self.registered(*conn, id.value()),
                Message::GroupCreated { group, members, .. } => self.group(
                    *conn,
                    group.value(),
                    members.iter().map(|i| i.value()).collect(),
                ),
                _ => {}
            }
        }
        for (conn, m) in &decoded {
            if let Message::Deliver(chat) = m {
                self.deliver(*conn, chat);
            }
        }
        for (conn, m) in &decoded {
            match m {
                Message::Delivered { dst, timestamp } => {
                    self.delivered(*conn, dst.value(), timestamp.secs())
                }
                Message::ReadNotice { dst, timestamp } => {
                    self.read_notice(*conn, dst.value(), timestamp.secs())
                }
                _ => {}
            }
        }
    }

    /// Every frame the server writes is one canonical frame of its own
    /// direction (zap §2, §3.2): no quirk is configured.
    fn wire(&self, frame: &[u8]) -> Message<'static> {
        let d = decode(frame)
            .unwrap_or_else(|e| panic!("the server wrote a malformed frame {frame:?}: {e}"));
        assert!(
            d.is_canonical(),
            "the server wrote a padded frame {frame:?}"
        );
        assert_eq!(
            d.message.code().direction(),
            Direction::ToClient,
            "the server wrote a client's code"
        );
        d.message.into_owned()
    }

    fn ids(&self, conn: ConnId) -> &BTreeSet<u64> {
        &self
            .conns
            .get(&conn)
            .unwrap_or_else(|| panic!("a frame for {conn}, never opened"))
            .ids
    }

    /// zap §5.1, §9.1: a 02 answers a 01 on the same connection, with an id
    /// never assigned before (users and groups share the namespace), whose
    /// first digit is 2–9 as the reference server promises.
    fn registered(&mut self, conn: ConnId, id: u64) {
        let c = self
            .conns
            .get_mut(&conn)
            .unwrap_or_else(|| panic!("a 02 for {conn}, never opened"));
        c.registered += 1;
        assert!(
            c.registered <= c.registers,
            "{conn} got more 02s than it sent 01s"
        );
        assert!(
            !self.groups.contains_key(&id) && self.users.insert(id),
            "id {id:013} assigned twice"
        );
        assert!(
            id >= 2_000_000_000_000,
            "id {id:013} could be taken for a frame header (zap §9.1)"
        );
        c.ids.insert(id);
    }

    /// zap §8.2: an 11 goes to the creator and the members only; its group
    /// id is new, and every 11 for one group names the same members, the
    /// creator first, who sent a 10 as themself.
    fn group(&mut self, conn: ConnId, group: u64, members: Vec<u64>) {
        assert!(
            members.iter().any(|m| self.ids(conn).contains(m)),
            "an 11 for {group:013} to a non-member {conn}"
        );
        assert!(
            self.creators.contains(&members[0]),
            "an 11 whose creator {:013} sent no 10 as itself",
            members[0]
        );
        assert!(
            !self.users.contains(&group),
            "group id {group:013} is a user's id"
        );
        let known = self.groups.entry(group).or_insert_with(|| members.clone());
        assert_eq!(*known, members, "two 11s for {group:013} disagree");
    }

    /// zap §6.2, §9.3: a 06 is byte for byte a 05 that was sent by its
    /// `src`, written only to its `dst` or, for a group, to a member.
    fn deliver(&mut self, conn: ConnId, chat: &Chat<'_>) {
        assert!(
            self.chats.iter().any(|c| c == chat),
            "a 06 no client sent as its src: {chat:?}"
        );
        let ids = self.ids(conn);
        let dst = chat.dst.value();
        let allowed = match self.groups.get(&dst) {
            Some(members) => members.iter().any(|m| ids.contains(m)),
            None => ids.contains(&dst),
        };
        assert!(
            allowed,
            "a 06 for {dst:013} written to {conn}, online only as {ids:?}"
        );
        let delivery = Delivery {
            readers: ids.clone(),
            src: chat.src.value(),
            timestamp: chat.timestamp.secs(),
        };
        self.deliveries.push(delivery);
    }

    /// zap §7.1: a 07 goes to the originator of a 06 written to `dst` with
    /// that timestamp.
    fn delivered(&self, conn: ConnId, dst: u64, timestamp: u64) {
        let ids = self.ids(conn);
        let ok = self
            .deliveries
            .iter()
            .any(|d| d.readers.contains(&dst) && ids.contains(&d.src) && d.timestamp == timestamp);
        assert!(
            ok,
            "a 07 ({dst:013}, {timestamp}) to {conn}, which sent no such delivered message"
        );
    }

    /// zap §7.3, D15: a 09 goes to the `src` of an 08 its reader sent, and
    /// only after a 06 from that `src`, timestamp at most the 08's, was
    /// written to the reader.
    fn read_notice(&self, conn: ConnId, reader: u64, timestamp: u64) {
        let ids = self.ids(conn);
        let read_by_unseen = |&(by, src, t): &(ConnId, u64, u64)| {
            t == timestamp
                && ids.contains(&src)
                && (self.ids(by).contains(&reader) || !self.users.contains(&reader))
        };
        assert!(
            ids.iter()
                .any(|src| self.reads.contains(&(reader, *src, timestamp)))
                || self.unseen_reads.iter().any(read_by_unseen),
            "a 09 ({reader:013}, {timestamp}) to {conn}, for whom no such 08 was sent"
        );
        let ok = self.deliveries.iter().any(|d| {
            d.readers.contains(&reader) && ids.contains(&d.src) && d.timestamp <= timestamp
        });
        assert!(
            ok,
            "a 09 from {reader:013} to {conn}, who delivered nothing to that reader (D15)"
        );
    }
}
