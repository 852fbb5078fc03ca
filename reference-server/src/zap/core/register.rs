//! `01` → `02` (zap §5.1, §5.2).

use super::{Action, Core, OutFrame, StoreOp, Uid, frames};
use crate::ConnId;
use crate::fault::Fault;

impl Core {
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
        self.send(
            conn,
            vec![OutFrame {
                bytes: frame,
                item: None,
            }],
            out,
        );
    }
}
