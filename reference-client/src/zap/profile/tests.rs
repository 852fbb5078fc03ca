use super::*;
use crate::zap::Incoming;
use gabarito_codec::zap::{Chat, Text, Timestamp};

fn id(n: u64) -> Id<'static> {
    Id::from_value(n).unwrap()
}

fn ts(n: u64) -> Timestamp<'static> {
    Timestamp::from_secs(n).unwrap()
}

fn chat(src: u64, dst: u64, t: u64, text: &str) -> Chat<'static> {
    Chat {
        src: id(src),
        dst: id(dst),
        timestamp: ts(t),
        data: Text::owned(text.to_owned()).unwrap(),
    }
}

fn open() -> (tempfile::TempDir, Profile) {
    let dir = tempfile::tempdir().unwrap();
    let p = Profile::open(dir.path()).unwrap();
    (dir, p)
}

#[test]
fn id_server_and_contacts_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let p = Profile::open(dir.path()).unwrap();
        p.set_id(&id(2_000_000_000_001)).unwrap();
        p.set_server("127.0.0.1:5000").unwrap();
        p.add_contact("bob", &id(2_000_000_000_002)).unwrap();
    }
    let p = Profile::open(dir.path()).unwrap();
    assert_eq!(p.id().unwrap(), Some(id(2_000_000_000_001)));
    assert_eq!(p.server().unwrap().as_deref(), Some("127.0.0.1:5000"));
    assert_eq!(
        p.resolve("bob").unwrap(),
        Target::User(id(2_000_000_000_002))
    );
    assert_eq!(p.label("2000000000002").unwrap(), "bob");
    assert_eq!(p.label("2000000000001").unwrap(), "me");
}

#[test]
fn names_are_checked_and_unique_across_contacts_and_groups() {
    let (_d, p) = open();
    p.add_contact("bob", &id(2)).unwrap();
    assert!(matches!(
        p.add_contact("bob", &id(3)),
        Err(ProfileError::NameTaken { .. })
    ));
    assert!(matches!(
        p.add_contact("bobby", &id(2)),
        Err(ProfileError::NameTaken { .. })
    ));
    for bad in ["", "a b", "/open", "2000000000001", "me"] {
        assert!(
            matches!(
                p.add_contact(bad, &id(9)),
                Err(ProfileError::BadName { .. })
            ),
            "{bad:?}"
        );
    }
    let g = GroupNotice {
        group: id(50),
        timestamp: ts(1),
        members: vec![id(1), id(2)],
    };
    assert!(p.save_group(&g).unwrap());
    assert!(!p.save_group(&g).unwrap(), "a repeated 11 changes nothing");
    assert!(matches!(
        p.name_group(&id(50), "bob"),
        Err(ProfileError::NameTaken { .. })
    ));
    p.name_group(&id(50), "team").unwrap();
    assert_eq!(p.resolve("team").unwrap(), Target::Group(id(50)));
    assert_eq!(p.resolve("0000000000050").unwrap(), Target::Group(id(50)));
    assert!(matches!(p.resolve("carol"), Err(ProfileError::Unknown(_))));
    assert_eq!(p.remove_contact("bob").unwrap().id, "0000000000002");
    assert!(matches!(
        p.remove_contact("bob"),
        Err(ProfileError::NoSuchContact(_))
    ));
}

#[test]
fn receipts_match_by_peer_and_timestamp_up_to() {
    let (_d, p) = open();
    let me = id(1);
    p.set_id(&me).unwrap();
    // Two messages in the same second, one later: seq keeps them apart.
    let a = p.record_sent(&chat(1, 2, 100, "a"), &[id(2)]).unwrap();
    let b = p.record_sent(&chat(1, 2, 100, "b"), &[id(2)]).unwrap();
    let c = p.record_sent(&chat(1, 2, 105, "c"), &[id(2)]).unwrap();
    let other = p.record_sent(&chat(1, 3, 100, "x"), &[id(3)]).unwrap();
    assert_ne!(a, b);
    assert_eq!(p.apply_delivered(&id(2), &ts(100)).unwrap(), vec![a, b]);
    assert_eq!(
        p.apply_delivered(&id(2), &ts(100)).unwrap(),
        Vec::<i64>::new()
    );
    assert_eq!(p.entry(c).unwrap().unwrap().state, State::Sent);
    assert_eq!(p.entry(other).unwrap().unwrap().state, State::Sent);
    assert_eq!(p.apply_read(&id(2), &ts(200)).unwrap(), vec![a, b, c]);
    let h = p.history(&id(2), None).unwrap();
    assert_eq!(
        h.iter()
            .map(|e| (e.text.as_str(), e.state))
            .collect::<Vec<_>>(),
        [("a", State::Read), ("b", State::Read), ("c", State::Read)]
    );
    assert_eq!(h[0].mark(), "✓✓");
    assert_eq!(p.history(&id(2), Some(1)).unwrap()[0].text, "c");
}

#[test]
fn group_messages_track_each_member() {
    let (_d, p) = open();
    let me = id(1);
    p.set_id(&me).unwrap();
    p.save_group(&GroupNotice {
        group: id(50),
        timestamp: ts(1),
        members: vec![id(1), id(2), id(3)],
    })
    .unwrap();
    let to = p.recipients_of(&id(50), &me).unwrap();
    assert_eq!(to, [id(2), id(3)]);
    let s = p.record_sent(&chat(1, 50, 10, "oi"), &to).unwrap();
    p.apply_delivered(&id(2), &ts(10)).unwrap();
    let e = p.entry(s).unwrap().unwrap();
    assert_eq!((e.state, e.delivered, e.recipients), (State::Sent, 1, 2));
    assert_eq!(e.mark(), "· (1/2 delivered)");
    p.apply_delivered(&id(3), &ts(10)).unwrap();
    p.apply_read(&id(3), &ts(10)).unwrap();
    let e = p.entry(s).unwrap().unwrap();
    assert_eq!(e.state, State::Delivered);
    assert_eq!(e.mark(), "✓ (1/2 read)");
    // A group message received goes to the group's conversation.
    let got = p
        .record_received(
            &Incoming {
                from: id(2),
                to: id(50),
                timestamp: ts(11),
                text: Text::owned("olá".into()).unwrap(),
            },
            &me,
        )
        .unwrap();
    assert_eq!(got.conversation, "0000000000050");
    assert_eq!(got.state, State::Unread);
    let unread = p.unread(Some(&id(50))).unwrap();
    assert_eq!(unread.len(), 1);
    assert_eq!(Profile::receipts_for(&unread).unwrap(), [(id(2), ts(11))]);
    p.mark_seen(&[got.seq]).unwrap();
    assert!(p.unread(None).unwrap().is_empty());
    let convs = p.conversations().unwrap();
    assert_eq!(convs[0].id, "0000000000050");
    assert_eq!(convs[0].messages, 2);
}
