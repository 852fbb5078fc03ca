//! Connections opening, `03` connect (zap §5.3), newest connection wins
//! (D11).

use gabarito_codec::zap::Code;

use super::{Action, CloseReason, Conn, Core, Ignored, Online, Uid, frames};
use crate::ConnId;
use crate::fault::Quirk;
use crate::sans_io::Frame;

impl Core {
    /// A new connection starts unregistered (zap §9.2). Quirk `banner`
    /// greets it (D12).
    pub(super) fn accept(&mut self, conn: ConnId, out: &mut Vec<Action>) {
        self.conns.insert(conn, Conn::default());
        if self.quirk(Quirk::Banner) {
            self.send(conn, vec![Frame::plain(frames::BANNER.to_vec())], out);
        }
    }

    /// zap §5.3: a known user id makes the connection online as it and
    /// starts delivering its stored items; an unknown id (or a group's) is
    /// ignored. An older connection online as the same id is closed (D11);
    /// a connection online as another id moves.
    pub(super) fn connect(&mut self, conn: ConnId, user: Uid, out: &mut Vec<Action>) {
        if !self.users.contains_key(&user) {
            self.ignore(conn, Code::Connect, Ignored::UnknownId(user), out);
            return;
        }
        if self.online_user(conn) == Some(user) {
            // Already online as it, with its queue flowing: nothing changes.
            return;
        }
        if let Some(&older) = self.online.get(&user) {
            self.close(older, CloseReason::Replaced { by: conn }, out);
        }
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        if let Some(previous) = c.online.take() {
            // What it was handed for `previous.user` and did not write stays
            // stored for that user's next connection.
            self.online.remove(&previous.user);
        }
        c.online = Some(Online {
            user,
            handed: Default::default(),
            cursor: None,
            loading: None,
            skipped: 0,
        });
        self.online.insert(user, conn);
        self.pump(conn, out);
    }
}
