//! Each recipient's queue of stored items (zap §9.4): stored in order, handed
//! to its online connection in order, retired once written.
//!
//! The queue's bodies live in the store; the core keeps only a count per
//! user and, per online connection, the items handed to its writer (at most
//! `max_queue`). A recipient whose queue is empty gets a new item handed at
//! once; otherwise the queue is read a page at a time, each page asked for
//! when the previous one has been handed and there is room for it.

use super::{
    Action, CloseReason, Core, Handed, LoadId, LoadRequest, Receipt, Seq, StoreOp, StoredItem, Uid,
};
use gabarito_codec::zap::MAX_FRAME_LEN;

use crate::ConnId;
use crate::fault::Fault;
use crate::sans_io::Frame;

impl Core {
    /// Stores an item for `recipient` (zap §9.4) and hands it to the
    /// recipient's connection at once if nothing older is waiting for it.
    ///
    /// Items for an id that is not a user are dropped: only fault
    /// `accept-spoofing` can produce one (a 07 for a claimed sender that
    /// does not exist).
    pub(super) fn push(
        &mut self,
        recipient: Uid,
        frame: Vec<u8>,
        receipt: Option<Receipt>,
        out: &mut Vec<Action>,
    ) {
        let Some(count) = self.users.get_mut(&recipient) else {
            return;
        };
        *count += 1;
        let seq = Seq(self.next_seq);
        self.next_seq += 1;
        let item = StoredItem {
            seq,
            recipient,
            frame,
            receipt,
        };
        out.push(Action::Store(StoreOp::Push(item.clone())));
        let Some(&conn) = self.online.get(&recipient) else {
            return;
        };
        let idle = self
            .conns
            .get(&conn)
            .and_then(|c| c.online.as_ref())
            .is_some_and(|o| o.loading.is_none() && self.unhanded(o) == 1);
        if idle {
            self.hand(conn, std::iter::once(item), false, out);
        } else {
            self.pump(conn, out);
        }
    }

    /// Items stored for `o.user` that its connection has not been handed.
    fn unhanded(&self, o: &super::Online) -> u64 {
        let stored = self.users.get(&o.user).copied().unwrap_or(0);
        stored.saturating_sub(o.handed.len() as u64 + o.skipped)
    }

    /// Hands `items` (in the order given) to `conn`'s writer; `twice` is
    /// fault `deliver-twice`.
    fn hand(
        &mut self,
        conn: ConnId,
        items: impl IntoIterator<Item = StoredItem, IntoIter: ExactSizeIterator>,
        twice: bool,
        out: &mut Vec<Action>,
    ) {
        let Some(o) = self.conns.get_mut(&conn).and_then(|c| c.online.as_mut()) else {
            return;
        };
        let items = items.into_iter();
        let mut frames = Vec::with_capacity(items.len() * if twice { 2 } else { 1 });
        for item in items {
            o.handed.push_back(Handed {
                seq: item.seq,
                receipt: item.receipt,
            });
            o.cursor = o.cursor.max(Some(item.seq));
            if twice {
                frames.push(Frame::plain(item.frame.clone()));
            }
            frames.push(Frame {
                bytes: item.frame,
                token: Some(item.seq.0),
            });
        }
        self.send(conn, frames, out);
    }

    /// Sends frames to `conn`, or closes it as a slow reader if that would
    /// leave more than `max_queue` frames, or `max_queue_bytes` bytes,
    /// unwritten (zap §11.2). What it was handed stays stored.
    pub(super) fn send(&mut self, conn: ConnId, frames: Vec<Frame>, out: &mut Vec<Action>) {
        let limit = self.cfg.queue_limit();
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        let lens: Vec<usize> = frames.iter().map(|f| f.bytes.len()).collect();
        if !c.unwritten.fits(limit, &lens) {
            let reason = CloseReason::SlowReader {
                frames: c.unwritten.frames() + lens.len(),
                bytes: c.unwritten.bytes() + lens.iter().sum::<usize>(),
            };
            self.close(conn, reason, out);
            return;
        }
        lens.into_iter().for_each(|len| c.unwritten.push(len));
        out.push(Action::Send { conn, frames });
    }

    /// Asks for the next page of `conn`'s queue if items wait, none is being
    /// read, and the writer has room for it.
    pub(super) fn pump(&mut self, conn: ConnId, out: &mut Vec<Action>) {
        let per_item = if self.has(Fault::DeliverTwice) { 2 } else { 1 };
        let Some(c) = self.conns.get(&conn) else {
            return;
        };
        let Some(o) = c.online.as_ref() else { return };
        if o.loading.is_some() {
            return;
        }
        let unhanded = self.unhanded(o);
        // A stored frame is at most MAX_FRAME_LEN bytes (zap §3.1).
        let room = c
            .unwritten
            .room(self.cfg.queue_limit(), MAX_FRAME_LEN * per_item)
            / per_item;
        let limit = self.cfg.page.max(1).min(room);
        if unhanded == 0 || limit == 0 {
            return;
        }
        let load = LoadId(self.next_load);
        self.next_load += 1;
        let expect = usize::try_from(unhanded).map_or(limit, |u| u.min(limit));
        let request = LoadRequest {
            conn,
            load,
            recipient: o.user,
            after: o.cursor,
            limit,
        };
        if let Some(o) = self.conns.get_mut(&conn).and_then(|c| c.online.as_mut()) {
            o.loading = Some((load, expect));
        }
        out.push(Action::Ask(request));
    }

    /// A page arrived: hand it over (newest first with fault `newest-first`,
    /// twice with `deliver-twice`, not at all with `no-pending-delivery`).
    pub(super) fn loaded(
        &mut self,
        conn: ConnId,
        load: LoadId,
        mut items: Vec<StoredItem>,
        out: &mut Vec<Action>,
    ) {
        let Some(o) = self.conns.get_mut(&conn).and_then(|c| c.online.as_mut()) else {
            return;
        };
        let Some((_, expect)) = o.loading.filter(|(id, _)| *id == load) else {
            return;
        };
        o.loading = None;
        let (user, cursor) = (o.user, o.cursor);
        items.retain(|i| i.recipient == user && Some(i.seq) > cursor);
        items.sort_by_key(|i| i.seq);
        items.dedup_by_key(|i| i.seq);
        if items.len() < expect {
            // Every item stored before the request must be visible to it; a
            // store that lost some cannot be waited for.
            if let Some(count) = self.users.get_mut(&user) {
                *count = count.saturating_sub((expect - items.len()) as u64);
            }
        }
        if self.has(Fault::NoPendingDelivery) {
            if let Some(o) = self.conns.get_mut(&conn).and_then(|c| c.online.as_mut()) {
                o.skipped += items.len() as u64;
                o.cursor = o.cursor.max(items.last().map(|i| i.seq));
            }
        } else {
            if self.has(Fault::NewestFirst) {
                items.reverse();
            }
            let twice = self.has(Fault::DeliverTwice);
            self.hand(conn, items, twice, out);
        }
        self.pump(conn, out);
    }

    /// `conn`'s writer wrote `frames` frames including the stored items
    /// whose [`Seq`]s are `items` (their frames' tokens): they leave the
    /// store, 06s produce their 07s, and the next page may be read.
    pub(super) fn wrote(
        &mut self,
        conn: ConnId,
        frames: usize,
        items: &[u64],
        out: &mut Vec<Action>,
    ) {
        let Some(c) = self.conns.get_mut(&conn) else {
            return;
        };
        c.unwritten.written(frames);
        let Some(o) = c.online.as_mut() else { return };
        let user = o.user;
        let mut receipts = Vec::new();
        let mut removed = 0u64;
        for &seq in items {
            let seq = Seq(seq);
            // Items handed before a 03 moved this connection to another id
            // are not found: they stay stored for their recipient.
            let Some(pos) = o.handed.iter().position(|h| h.seq == seq) else {
                continue;
            };
            let Some(h) = o.handed.remove(pos) else {
                continue;
            };
            out.push(Action::Store(StoreOp::Remove {
                recipient: user,
                seq,
            }));
            removed += 1;
            receipts.extend(h.receipt);
        }
        if let Some(count) = self.users.get_mut(&user) {
            *count = count.saturating_sub(removed);
        }
        self.receipts(user, &receipts, out);
        self.pump(conn, out);
    }
}
