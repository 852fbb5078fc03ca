//! `01` → `02` (zap §5.1, §5.2), and how fast one connection may ask
//! (zap §11.2).

use std::time::{Duration, Instant};

use super::{Action, Core, StoreOp, Uid, frames};
use crate::ConnId;
use crate::fault::Fault;
use crate::sans_io::{Bucket, Frame};

/// Registrations one connection may make at once (zap §11.2).
const REGISTRATION_BURST: u32 = 100;

/// Then one registration per this long (zap §11.2): 10 a second.
const REGISTRATION_EVERY: Duration = Duration::from_millis(100);

impl Core {
    /// zap §11.2: whether `conn` may register one more id at `now`, or when
    /// it may. Each 01 is a row in the store forever, so a connection gets
    /// [`REGISTRATION_BURST`] at once and then one per
    /// [`REGISTRATION_EVERY`]; a faster one is read no further until then
    /// (50,000 pipelined 01s used to register 50,000 ids).
    pub(super) fn may_register(&mut self, conn: ConnId, now: Instant) -> Result<(), Instant> {
        match self.conns.get_mut(&conn) {
            Some(c) => c
                .registrations
                .get_or_insert_with(|| Bucket::new(REGISTRATION_BURST, REGISTRATION_EVERY))
                .take(now),
            None => Ok(()),
        }
    }

    /// zap §5.1: any connection, in any state, gets a new id in a 02 on the
    /// same connection. The id is durable before the 02 goes out (the
    /// driver commits [`StoreOp`]s first), so it is never assigned twice,
    /// not even across a crash (zap §9.1). Registering does not make the
    /// connection online (D10), but the connection may send as the new id.
    pub(super) fn register(&mut self, conn: ConnId, out: &mut Vec<Action>) {
        let id = if self.has(Fault::SameId) {
            Some(Uid::FIRST)
        } else {
            self.allocate_id()
        };
        let Some(id) = id else {
            self.ignore(
                conn,
                gabarito_codec::zap::Code::Register,
                super::Ignored::IdsExhausted,
                out,
            );
            return;
        };
        self.next_id = self.next_id.max(id.value() + 1);
        self.users.entry(id).or_insert(0);
        if let Some(c) = self.conns.get_mut(&conn) {
            c.registered = Some(id);
        }
        out.push(Action::Store(StoreOp::AddUser {
            id,
            next_id: self.next_id,
        }));
        let frame = frames::registered(&self.cfg, id);
        self.send(conn, vec![Frame::plain(frame)], out);
    }
}
