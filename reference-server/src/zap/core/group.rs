//! `10` create group → `11` group created (zap §8).

use gabarito_codec::zap::Code;

use super::{Action, Core, Ignored, StoreOp, Uid, frames};
use crate::ConnId;
use crate::fault::{Fault, Quirk};

impl Core {
    /// zap §8.1: accepted only on a connection online as `creator`.
    /// Duplicates and the creator among the members are dropped; any member
    /// that is not a registered user voids the whole request (D16). The
    /// group gets an id from the shared namespace (D9) and everyone in it,
    /// creator first, is sent an 11 — stored if offline (zap §8.2).
    pub(super) fn create_group(
        &mut self,
        now: u64,
        conn: ConnId,
        creator: Uid,
        asked_at: u64,
        requested: &[Uid],
        out: &mut Vec<Action>,
    ) {
        let Some(me) = self.sender(conn) else {
            return self.ignore(conn, Code::CreateGroup, Ignored::NotOnline, out);
        };
        if creator != me && !self.has(Fault::AcceptSpoofing) {
            return self.ignore(
                conn,
                Code::CreateGroup,
                Ignored::Spoofed {
                    claimed: creator,
                    online_as: me,
                },
                out,
            );
        }
        if !self.users.contains_key(&creator) {
            // Only reachable with fault `accept-spoofing`.
            return self.ignore(
                conn,
                Code::CreateGroup,
                Ignored::UnknownMember(creator),
                out,
            );
        }
        let mut members = vec![creator];
        for &m in requested {
            if !self.users.contains_key(&m) {
                return self.ignore(conn, Code::CreateGroup, Ignored::UnknownMember(m), out);
            }
            if !members.contains(&m) {
                members.push(m);
            }
        }
        let Some(group) = self.allocate_id() else {
            return self.ignore(conn, Code::CreateGroup, Ignored::IdsExhausted, out);
        };
        out.push(Action::Store(StoreOp::AddGroup {
            id: group,
            members: members.clone(),
            next_id: self.next_id,
        }));
        self.groups.insert(group, members.clone());
        let secs = if self.quirk(Quirk::EchoGroupTimestamp) {
            asked_at
        } else {
            now
        };
        let frame = frames::group_created(&self.cfg, group, secs, &members);
        let skip_creator = self.has(Fault::NoCreatorNotice);
        for (i, member) in members.into_iter().enumerate() {
            if i == 0 && skip_creator {
                continue;
            }
            self.push(member, frame.clone(), None, out);
        }
    }
}
