//! `05` send → `06` deliver (zap §6, §9.3).

use gabarito_codec::zap::{Chat, Code, Field, Invalid, Kind, MAX_DATA_CHARS};

use super::{Action, Core, Ignored, Receipt, Uid, frames};
use crate::ConnId;
use crate::fault::Fault;

impl Core {
    /// zap §6.1: accepted only on a connection online as `src`, or that
    /// registered `src` (§9.2, D10). To a
    /// user: one 06 for it. To a group: one 06 for every other member, with
    /// `dst` the group (§9.3). To anything else: ignored.
    pub(super) fn chat(&mut self, conn: ConnId, chat: Chat<'_>, out: &mut Vec<Action>) {
        let Some(me) = self.sender(conn) else {
            return self.ignore(conn, Code::Send, Ignored::NotOnline, out);
        };
        let src = Uid::of(&chat.src);
        if src != me && !self.has(Fault::AcceptSpoofing) {
            return self.ignore(
                conn,
                Code::Send,
                Ignored::Spoofed {
                    claimed: src,
                    online_as: me,
                },
                out,
            );
        }
        let data = chat.data.as_str();
        if self.has(Fault::CountBytes) && data.len() > MAX_DATA_CHARS {
            // The fault: bytes counted instead of characters (D2).
            let error = Invalid {
                offset: 38 + MAX_DATA_CHARS,
                field: Field::Data,
                kind: Kind::TooManyChars,
                found: format!("{} bytes of data", data.len()),
            };
            return self.malformed(conn, error, out);
        }
        let dst = Uid::of(&chat.dst);
        let frame = frames::deliver(&self.cfg, &chat);
        let receipt = Some(Receipt {
            originator: src,
            timestamp: chat.timestamp.secs(),
        });
        if self.users.contains_key(&dst) {
            self.push(dst, frame, receipt, out);
        } else if let Some(members) = self.groups.get(&dst) {
            if !members.contains(&src) {
                return self.ignore(conn, Code::Send, Ignored::NotMember { group: dst }, out);
            }
            let others: Vec<Uid> = members.iter().copied().filter(|m| *m != src).collect();
            for member in others {
                self.push(member, frame.clone(), receipt, out);
            }
        } else {
            self.ignore(conn, Code::Send, Ignored::UnknownRecipient(dst), out);
        }
    }
}
