//! Fast deterministic tests of the core, through the in-memory driver
//! ([`Sim`](crate::sans_io::Sim)): bytes in, frames out.

use gabarito_codec::zap::{
    Chat, GroupMembers, Id, Message, RequestedMembers, Text, Timestamp, decode,
};

use super::{CloseReason, Core, CoreConfig, Ignored, Notice, Snapshot, Uid};
use crate::ConnId;
use crate::fault::{Fault, Quirk};
use crate::sans_io::Reason as _;

type Sim = crate::sans_io::Sim<Core>;

/// What the tests do with the generic [`Sim`], in zap's terms.
trait Peer {
    /// The peer writes one frame and pauses.
    fn send(&mut self, conn: ConnId, message: Message<'_>);
    /// A restart: every connection drops, a new core starts from the store.
    fn reboot(&mut self);
}

impl Peer for Sim {
    fn send(&mut self, conn: ConnId, message: Message<'_>) {
        self.write(conn, &message.to_bytes());
    }

    fn reboot(&mut self) {
        let core = Core::new(self.core().config().clone(), self.store().snapshot());
        self.restart(core);
    }
}

/// A fresh server with `cfg`.
fn sim_of(cfg: CoreConfig) -> Sim {
    Sim::new(Core::new(cfg, Snapshot::default()))
}

fn id(n: u64) -> Id<'static> {
    Id::from_value(n).expect("13 digits")
}

fn ts(n: u64) -> Timestamp<'static> {
    Timestamp::from_secs(n).expect("10 digits")
}

fn chat(src: Uid, dst: Uid, t: u64, data: &str) -> Chat<'static> {
    Chat {
        src: src.id(),
        dst: dst.id(),
        timestamp: ts(t),
        data: Text::owned(data.to_owned()).expect("text"),
    }
}

fn send(src: Uid, dst: Uid, t: u64, data: &str) -> Message<'static> {
    Message::Send(chat(src, dst, t, data))
}

fn deliver(src: Uid, dst: Uid, t: u64, data: &str) -> Message<'static> {
    Message::Deliver(chat(src, dst, t, data))
}

fn delivered(dst: Uid, t: u64) -> Message<'static> {
    Message::Delivered {
        dst: dst.id(),
        timestamp: ts(t),
    }
}

fn sim_with(faults: &[Fault], quirks: &[Quirk]) -> Sim {
    sim_of(CoreConfig {
        faults: faults.iter().copied().collect(),
        quirks: quirks.iter().copied().collect(),
        ..CoreConfig::default()
    })
}

fn sim() -> Sim {
    sim_with(&[], &[])
}

/// Registers on a fresh connection and returns the id (zap §5.1).
fn register(s: &mut Sim) -> Uid {
    let c = s.open();
    s.send(c, Message::Register);
    let got = msgs(s, c);
    s.close(c);
    match got.as_slice() {
        [Message::Registered { id }] => Uid::of(id),
        other => panic!("expected one 02, got {other:?}"),
    }
}

/// A connection online as `user`, its stored items already taken.
fn online(s: &mut Sim, user: Uid) -> ConnId {
    let c = s.open();
    s.send(c, Message::Connect { id: user.id() });
    c
}

/// Frames written to `c`, decoded; the quirk `banner` greeting is skipped.
fn msgs(s: &mut Sim, c: ConnId) -> Vec<Message<'static>> {
    s.take_written(c)
        .iter()
        .filter(|f| f.as_slice() != super::BANNER)
        .map(|f| {
            decode(f)
                .expect("the server writes valid frames")
                .message
                .into_owned()
        })
        .collect()
}

fn ignored(s: &mut Sim) -> Vec<Ignored> {
    s.take_notices()
        .into_iter()
        .filter_map(|(_, n)| match n {
            Notice::Ignored { why, .. } => Some(why),
            Notice::Malformed(_) => None,
        })
        .collect()
}

#[test]
fn ids_are_sequential_from_2000000000001_and_never_reused_across_restart() {
    let mut s = sim();
    let a = register(&mut s);
    let b = register(&mut s);
    assert_eq!(
        (a.value(), b.value()),
        (2_000_000_000_001, 2_000_000_000_002)
    );
    s.reboot();
    assert_eq!(
        register(&mut s).value(),
        2_000_000_000_003,
        "zap §9.1: never assigned twice"
    );
}

#[test]
fn register_does_not_put_the_connection_online_but_it_may_send_as_the_new_id() {
    let mut s = sim();
    let b = register(&mut s);
    let c = s.open();
    s.send(c, Message::Register);
    let me = match msgs(&mut s, c).as_slice() {
        [Message::Registered { id }] => Uid::of(id),
        other => panic!("{other:?}"),
    };
    // D10: a message to itself is not delivered here — not online.
    s.send(c, send(me, me, 1, "oi"));
    assert!(msgs(&mut s, c).is_empty(), "D10: registering is not online");
    // Seed 001, "pode já ficar conectado": it may send as the new id…
    s.send(c, send(me, b, 2, "sem 03"));
    assert!(
        ignored(&mut s).is_empty(),
        "D10: a 05 as the registered id is accepted"
    );
    let bc = online(&mut s, b);
    assert!(
        msgs(&mut s, bc)
            .iter()
            .any(|m| matches!(m, Message::Deliver(chat) if chat.data.as_str() == "sem 03")),
        "the 05 sent before any 03 is delivered"
    );
    // …but not as anyone else.
    s.send(c, send(b, me, 3, "spoof"));
    assert_eq!(
        ignored(&mut s),
        [Ignored::Spoofed {
            claimed: b,
            online_as: me
        }]
    );
    assert!(s.is_open(c), "zap §10.2: ignoring keeps the connection");
}

#[test]
fn connect_with_unknown_id_or_group_id_is_ignored() {
    let mut s = sim();
    let a = register(&mut s);
    let c = online(&mut s, a);
    s.send(
        c,
        Message::CreateGroup {
            creator: a.id(),
            timestamp: ts(5),
            members: RequestedMembers::parse("").expect("empty"),
        },
    );
    let group = match msgs(&mut s, c).as_slice() {
        [Message::GroupCreated { group, .. }] => Uid::of(group),
        other => panic!("{other:?}"),
    };
    let d = s.open();
    s.send(d, Message::Connect { id: group.id() });
    s.send(
        d,
        Message::Connect {
            id: id(1_234_567_890_123),
        },
    );
    assert_eq!(
        ignored(&mut s),
        [
            Ignored::UnknownId(group),
            Ignored::UnknownId(Uid::new(1_234_567_890_123).expect("id"))
        ]
    );
    assert_eq!(s.core().online_as(d), None);
}

#[test]
fn online_delivery_is_byte_identical_and_produces_a_07() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(ca, send(a, b, 1_700_000_123, "olá 😀"));
    assert_eq!(
        msgs(&mut s, cb),
        [deliver(a, b, 1_700_000_123, "olá 😀")],
        "zap §6.2"
    );
    assert_eq!(msgs(&mut s, ca), [delivered(b, 1_700_000_123)], "zap §7.1");
    assert_eq!(
        s.store().pending_len(),
        0,
        "zap §9.4: written items leave the store"
    );
}

#[test]
fn offline_items_wait_in_order_and_receipts_wait_for_the_originator() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    for i in 0..3 {
        s.send(ca, send(a, b, 10 + i, &format!("m{i}")));
    }
    s.close(ca);
    let cb = online(&mut s, b);
    assert_eq!(
        msgs(&mut s, cb),
        (0..3)
            .map(|i| deliver(a, b, 10 + i, &format!("m{i}")))
            .collect::<Vec<_>>()
    );
    let ca = online(&mut s, a);
    assert_eq!(
        msgs(&mut s, ca),
        (0..3).map(|i| delivered(b, 10 + i)).collect::<Vec<_>>(),
        "stored 07s, zap §7.1"
    );
    assert_eq!(s.store().pending_len(), 0);
}

#[test]
fn paging_keeps_order_while_new_items_arrive() {
    let mut s = sim_of(CoreConfig {
        page: 3,
        ..CoreConfig::default()
    });
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    for i in 0..10 {
        s.send(ca, send(a, b, i, &format!("{i}")));
    }
    let cb = s.open();
    s.set_paused(cb, true);
    s.send(cb, Message::Connect { id: b.id() });
    for i in 10..15 {
        s.send(ca, send(a, b, i, &format!("{i}")));
    }
    s.set_paused(cb, false);
    for i in 15..17 {
        s.send(ca, send(a, b, i, &format!("{i}")));
    }
    let got = msgs(&mut s, cb);
    assert_eq!(
        got,
        (0..17)
            .map(|i| deliver(a, b, i, &format!("{i}")))
            .collect::<Vec<_>>(),
        "zap §9.4"
    );
    s.core().check_invariants().expect("invariants");
}

#[test]
fn read_notice_only_for_something_delivered_up_to_the_timestamp() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(
        cb,
        Message::Read {
            src: a.id(),
            timestamp: ts(100),
        },
    );
    assert_eq!(
        ignored(&mut s),
        [Ignored::NothingDelivered {
            src: a,
            timestamp: 100
        }],
        "D15"
    );
    s.send(ca, send(a, b, 50, "x"));
    msgs(&mut s, ca);
    s.send(
        cb,
        Message::Read {
            src: a.id(),
            timestamp: ts(49),
        },
    );
    assert_eq!(
        ignored(&mut s).len(),
        1,
        "49 < 50: nothing that old was delivered"
    );
    s.send(
        cb,
        Message::Read {
            src: a.id(),
            timestamp: ts(60),
        },
    );
    assert_eq!(
        msgs(&mut s, ca),
        [Message::ReadNotice {
            dst: b.id(),
            timestamp: ts(60)
        }],
        "zap §7.3"
    );
    s.close(ca);
    s.send(
        cb,
        Message::Read {
            src: a.id(),
            timestamp: ts(61),
        },
    );
    let ca = online(&mut s, a);
    assert_eq!(
        msgs(&mut s, ca),
        [Message::ReadNotice {
            dst: b.id(),
            timestamp: ts(61)
        }],
        "stored 09"
    );
}

#[test]
fn groups_notify_everyone_and_fan_out_with_one_07_per_member() {
    let mut s = sim();
    let (a, b, c) = (register(&mut s), register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.now.unix = 1_800_000_000;
    let requested = RequestedMembers::from_ids([b.id(), c.id(), b.id(), a.id()]).expect("4 ids");
    s.send(
        ca,
        Message::CreateGroup {
            creator: a.id(),
            timestamp: ts(7),
            members: requested,
        },
    );
    let g = Uid::new(2_000_000_000_004).expect("id");
    let eleven = Message::GroupCreated {
        group: g.id(),
        timestamp: ts(1_800_000_000),
        members: GroupMembers::from_ids([a.id(), b.id(), c.id()]).expect("3 ids"),
    };
    assert_eq!(
        msgs(&mut s, ca),
        std::slice::from_ref(&eleven),
        "zap §8.2: creator first, duplicates dropped"
    );
    assert_eq!(msgs(&mut s, cb), std::slice::from_ref(&eleven));
    let cc = online(&mut s, c);
    assert_eq!(msgs(&mut s, cc), [eleven], "stored for the offline member");
    s.send(cb, send(b, g, 9, "oi grupo"));
    assert_eq!(
        msgs(&mut s, ca),
        [deliver(b, g, 9, "oi grupo")],
        "zap §9.3: dst is the group"
    );
    assert_eq!(msgs(&mut s, cc), [deliver(b, g, 9, "oi grupo")]);
    assert_eq!(
        msgs(&mut s, cb),
        [delivered(a, 9), delivered(c, 9)],
        "one 07 per member"
    );
    let outsider = register(&mut s);
    let co = online(&mut s, outsider);
    s.send(co, send(outsider, g, 9, "x"));
    assert_eq!(ignored(&mut s), [Ignored::NotMember { group: g }]);
}

#[test]
fn group_with_unknown_member_is_ignored_whole() {
    let mut s = sim();
    let a = register(&mut s);
    let ca = online(&mut s, a);
    let requested = RequestedMembers::from_ids([id(1_111_111_111_111)]).expect("1 id");
    s.send(
        ca,
        Message::CreateGroup {
            creator: a.id(),
            timestamp: ts(7),
            members: requested,
        },
    );
    assert!(msgs(&mut s, ca).is_empty());
    assert_eq!(
        ignored(&mut s),
        [Ignored::UnknownMember(
            Uid::new(1_111_111_111_111).expect("id")
        )]
    );
    assert_eq!(
        register(&mut s).value(),
        2_000_000_000_002,
        "no id was taken"
    );
}

#[test]
fn newest_connection_wins() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    let old = online(&mut s, b);
    let new = online(&mut s, b);
    assert!(!s.is_open(old), "D11: the older connection is closed");
    s.send(ca, send(a, b, 1, "x"));
    assert_eq!(msgs(&mut s, new).len(), 1);
}

#[test]
fn connect_moves_a_connection_to_another_id() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let c = online(&mut s, a);
    s.send(c, Message::Connect { id: b.id() });
    let cx = online(&mut s, a);
    s.send(cx, send(a, b, 1, "x"));
    assert_eq!(msgs(&mut s, c), [deliver(a, b, 1, "x")]);
    assert_eq!(s.core().online_as(c), Some(b));
}

#[test]
fn spoofing_and_unknown_recipients_are_ignored() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(ca, send(b, a, 1, "spoof"));
    s.send(
        ca,
        send(a, Uid::new(9_000_000_000_000).expect("id"), 1, "nobody"),
    );
    assert!(msgs(&mut s, ca).is_empty() && msgs(&mut s, cb).is_empty());
    assert_eq!(
        ignored(&mut s),
        [
            Ignored::Spoofed {
                claimed: b,
                online_as: a
            },
            Ignored::UnknownRecipient(Uid::new(9_000_000_000_000).expect("id"))
        ]
    );
}

#[test]
fn malformed_input_closes_only_that_connection() {
    let mut s = sim();
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    let bad = s.open();
    s.write(bad, b"hello");
    assert!(!s.is_open(bad), "zap §10.1");
    s.send(ca, send(a, b, 1, "still here"));
    assert_eq!(msgs(&mut s, cb).len(), 1);
    assert!(matches!(s.take_notices().as_slice(), [(c, Notice::Malformed(_))] if *c == bad));
}

#[test]
fn slow_reader_is_closed_past_max_queue_and_loses_nothing() {
    let mut s = sim_of(CoreConfig {
        max_queue: 5,
        page: 2,
        ..CoreConfig::default()
    });
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    let cb = s.open();
    s.set_paused(cb, true);
    s.send(cb, Message::Connect { id: b.id() });
    for i in 0..20 {
        s.send(ca, send(a, b, i, "x"));
    }
    assert!(!s.is_open(cb), "zap §11.2: more than 5 frames queued");
    s.core().check_invariants().expect("invariants");
    let cb = online(&mut s, b);
    assert_eq!(
        msgs(&mut s, cb),
        (0..20).map(|i| deliver(a, b, i, "x")).collect::<Vec<_>>(),
        "all, once, in order"
    );
}

#[test]
fn slow_reader_is_closed_past_max_queue_bytes_and_loses_nothing() {
    // zap §11.2: 3 frames of about 250 bytes are over 600 bytes, however
    // few frames that is.
    let mut s = sim_of(CoreConfig {
        max_queue_bytes: 600,
        page: 2,
        ..CoreConfig::default()
    });
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    let cb = s.open();
    s.set_paused(cb, true);
    s.send(cb, Message::Connect { id: b.id() });
    let long = "x".repeat(200);
    for i in 0..2 {
        s.send(ca, send(a, b, i, &long));
    }
    assert!(s.is_open(cb), "two frames, under 600 bytes");
    for i in 2..10 {
        s.send(ca, send(a, b, i, &long));
    }
    assert!(!s.is_open(cb), "zap §11.2: more than 600 bytes queued");
    s.core().check_invariants().expect("invariants");
    let cb = online(&mut s, b);
    assert_eq!(
        msgs(&mut s, cb),
        (0..10).map(|i| deliver(a, b, i, &long)).collect::<Vec<_>>(),
        "all, once, in order"
    );
}

#[test]
fn a_connection_that_keeps_sending_ignored_frames_is_closed() {
    // zap §11.2 --max-rejected: the first 3 spoofed 05s are ignored, the
    // 4th closes the connection; nothing is delivered.
    let mut s = sim_of(CoreConfig {
        max_rejected: 3,
        ..CoreConfig::default()
    });
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    let cb = online(&mut s, b);
    for i in 0..3 {
        s.send(ca, send(b, b, i, "spoofed"));
    }
    assert!(s.is_open(ca));
    s.send(ca, send(b, b, 3, "spoofed"));
    assert!(!s.is_open(ca), "the 4th ignored frame closes it");
    assert_eq!(ignored(&mut s).len(), 4);
    assert_eq!(msgs(&mut s, cb), []);
}

#[test]
fn same_script_same_result() {
    let run = || {
        let mut s = sim_of(CoreConfig {
            page: 2,
            ..CoreConfig::default()
        });
        let (a, b) = (register(&mut s), register(&mut s));
        let ca = online(&mut s, a);
        for i in 0..5 {
            s.send(ca, send(a, b, i, "x"));
        }
        let cb = online(&mut s, b);
        (s.take_written(ca), s.take_written(cb), s.store().clone())
    };
    assert_eq!(run(), run());
}

// Faults and quirks at the core level: each one changes what is written.

#[test]
fn fault_no_pending_delivery_keeps_offline_items_but_delivers_live_ones() {
    let mut s = sim_with(&[Fault::NoPendingDelivery], &[]);
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    s.send(ca, send(a, b, 1, "offline"));
    let cb = online(&mut s, b);
    assert!(msgs(&mut s, cb).is_empty());
    s.send(ca, send(a, b, 2, "live"));
    assert_eq!(msgs(&mut s, cb), [deliver(a, b, 2, "live")]);
}

#[test]
fn faults_on_receipts() {
    for (fault, want) in [
        (Fault::NoDeliveredReceipt, vec![]),
        (
            Fault::WrongReceiptTimestamp,
            vec![delivered(Uid::FIRST.next().expect("id"), 6)],
        ),
    ] {
        let mut s = sim_with(&[fault], &[]);
        let (a, b) = (register(&mut s), register(&mut s));
        let (ca, _cb) = (online(&mut s, a), online(&mut s, b));
        s.send(ca, send(a, b, 5, "x"));
        assert_eq!(msgs(&mut s, ca), want, "{fault}");
    }
    let mut s = sim_with(&[Fault::NoReadNotice], &[]);
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(ca, send(a, b, 5, "x"));
    msgs(&mut s, ca);
    s.send(
        cb,
        Message::Read {
            src: a.id(),
            timestamp: ts(5),
        },
    );
    assert!(msgs(&mut s, ca).is_empty());
}

#[test]
fn faults_on_ids() {
    let mut s = sim_with(&[Fault::SameId], &[]);
    assert_eq!(register(&mut s), register(&mut s));
    let mut s = sim_with(&[Fault::ShortIds], &[]);
    let c = s.open();
    s.send(c, Message::Register);
    assert_eq!(s.take_written(c), [b"02000000000001".to_vec()]);
}

#[test]
fn fault_accept_spoofing() {
    let mut s = sim_with(&[Fault::AcceptSpoofing], &[]);
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(ca, send(b, b, 1, "forged"));
    assert_eq!(
        msgs(&mut s, cb),
        [deliver(b, b, 1, "forged"), delivered(b, 1)]
    );
}

#[test]
fn fault_crash_on_malformed() {
    let mut s = sim_with(&[Fault::CrashOnMalformed], &[]);
    let a = register(&mut s);
    let ca = online(&mut s, a);
    let bad = s.open();
    s.write(bad, b"99");
    assert!(s.crashed().is_some());
    assert!(!s.is_open(ca), "every connection dropped");
}

#[test]
fn fault_count_bytes_rejects_long_multibyte_data() {
    let data = "é".repeat(200);
    for (faults, open) in [(&[][..], true), (&[Fault::CountBytes][..], false)] {
        let mut s = sim_with(faults, &[]);
        let (a, b) = (register(&mut s), register(&mut s));
        let ca = online(&mut s, a);
        s.send(ca, send(a, b, 1, &data));
        assert_eq!(s.is_open(ca), open, "D2");
    }
}

#[test]
fn fault_no_creator_notice() {
    let mut s = sim_with(&[Fault::NoCreatorNotice], &[]);
    let (a, b) = (register(&mut s), register(&mut s));
    let (ca, cb) = (online(&mut s, a), online(&mut s, b));
    s.send(
        ca,
        Message::CreateGroup {
            creator: a.id(),
            timestamp: ts(7),
            members: RequestedMembers::from_ids([b.id()]).expect("1"),
        },
    );
    assert!(msgs(&mut s, ca).is_empty());
    assert_eq!(msgs(&mut s, cb).len(), 1);
}

#[test]
fn faults_on_pending_order_and_count() {
    for (fault, want) in [
        (Fault::NewestFirst, vec![2, 1, 0]),
        (Fault::DeliverTwice, vec![0, 0, 1, 1, 2, 2]),
    ] {
        let mut s = sim_with(&[fault], &[]);
        let (a, b) = (register(&mut s), register(&mut s));
        let ca = online(&mut s, a);
        for i in 0..3 {
            s.send(ca, send(a, b, i, "x"));
        }
        let cb = online(&mut s, b);
        let got = msgs(&mut s, cb);
        assert_eq!(
            got,
            want.iter()
                .map(|&i| deliver(a, b, i, "x"))
                .collect::<Vec<_>>(),
            "{fault}"
        );
    }
}

#[test]
fn quirk_coalesce_receipts_sends_one_07_per_batch() {
    let mut s = sim_with(&[], &[Quirk::CoalesceReceipts]);
    let (a, b) = (register(&mut s), register(&mut s));
    let ca = online(&mut s, a);
    for i in 0..3 {
        s.send(ca, send(a, b, 10 + i, "x"));
    }
    let _cb = online(&mut s, b);
    assert_eq!(msgs(&mut s, ca), [delivered(b, 12)], "D14");
}

#[test]
fn quirks_banner_echo_and_close_on_ignore() {
    let mut s = sim_with(
        &[],
        &[
            Quirk::Banner,
            Quirk::EchoGroupTimestamp,
            Quirk::CloseOnIgnore,
        ],
    );
    let c = s.open();
    assert_eq!(s.take_written(c), [super::BANNER.to_vec()]);
    let a = register(&mut s);
    let ca = online(&mut s, a);
    s.take_written(ca);
    s.send(
        ca,
        Message::CreateGroup {
            creator: a.id(),
            timestamp: ts(7),
            members: RequestedMembers::parse("").expect(""),
        },
    );
    assert!(
        matches!(msgs(&mut s, ca).as_slice(), [Message::GroupCreated { timestamp, .. }] if timestamp.secs() == 7)
    );
    s.send(
        ca,
        Message::Read {
            src: a.id(),
            timestamp: ts(1),
        },
    );
    assert!(!s.is_open(ca), "zap §10.2 allows closing");
}

#[test]
fn close_reasons_say_whether_to_flush() {
    assert!(CloseReason::Malformed.flush());
    assert!(
        !CloseReason::SlowReader {
            frames: 1,
            bytes: 1
        }
        .flush()
    );
    assert!(CloseReason::TooManyIgnored { max: 1 }.flush());
}
