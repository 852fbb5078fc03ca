//! Receipts: `07` when a 06 is written (zap §7.1), `08` read → `09` read
//! notice (zap §7.2, §7.3, D15).

use gabarito_codec::zap::Code;

use super::{Action, Core, Ignored, Receipt, StoreOp, Uid, frames};
use crate::ConnId;
use crate::fault::{Fault, Quirk};

impl Core {
    /// zap §7.2: the reader is the connection's id. A 09 goes to `src` only
    /// if a 06 from `src` with a timestamp at most the 08's was written to
    /// the reader (D15); otherwise the 08 is ignored.
    pub(super) fn read(&mut self, conn: ConnId, src: Uid, secs: u64, out: &mut Vec<Action>) {
        let Some(reader) = self.sender(conn) else {
            return self.ignore(conn, Code::Read, Ignored::NotOnline, out);
        };
        match self.delivered.get(&(reader, src)) {
            Some(&first) if first <= secs => {
                if !self.has(Fault::NoReadNotice) {
                    self.push(src, frames::read_notice(reader, secs), None, out);
                }
            }
            _ => self.ignore(
                conn,
                Code::Read,
                Ignored::NothingDelivered {
                    src,
                    timestamp: secs,
                },
                out,
            ),
        }
    }

    /// `recipient` was written the 06s behind `receipts`, in order: remember
    /// each for D15, and owe each originator a 07 (zap §7.1) — one per 06,
    /// or with quirk `coalesce-receipts` one per originator carrying the
    /// latest timestamp (D14).
    pub(super) fn receipts(&mut self, recipient: Uid, receipts: &[Receipt], out: &mut Vec<Action>) {
        for r in receipts {
            let key = (recipient, r.originator);
            if self.delivered.get(&key).is_none_or(|&t| r.timestamp < t) {
                self.delivered.insert(key, r.timestamp);
                out.push(Action::Store(StoreOp::Delivered {
                    reader: recipient,
                    src: r.originator,
                    timestamp: r.timestamp,
                }));
            }
        }
        if self.has(Fault::NoDeliveredReceipt) {
            return;
        }
        let mut owed: Vec<Receipt> = Vec::with_capacity(receipts.len());
        if self.quirk(Quirk::CoalesceReceipts) {
            for r in receipts {
                match owed.iter_mut().find(|o| o.originator == r.originator) {
                    Some(o) => o.timestamp = o.timestamp.max(r.timestamp),
                    None => owed.push(*r),
                }
            }
        } else {
            owed.extend_from_slice(receipts);
        }
        for r in owed {
            let frame = frames::delivered(&self.cfg, recipient, r.timestamp);
            self.push(r.originator, frame, None, out);
        }
    }
}
