//! Every behaviour of spec/zap.md, over TCP.

use gabarito_codec::zap::{GroupMembers, Message, RequestedMembers};

use crate::common::*;

#[tokio::test]
async fn ids_are_sequential_from_2000000000001_and_01_does_not_log_in() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let mut c = server.client().await;
    c.send(&Message::Register).await;
    let Message::Registered { id: a } = c.recv().await else {
        panic!("02")
    };
    assert_eq!(a.as_str(), "2000000000001", "zap §9.1");
    c.send(&Message::Register).await;
    let Message::Registered { id: b } = c.recv().await else {
        panic!("02")
    };
    assert_eq!(b.as_str(), "2000000000002");
    // D10: the registering connection is not online; its 05 is ignored.
    c.send(&send(&a, &b, 1, "not yet")).await;
    let mut cb = server.online(&b).await;
    cb.expect_silence().await;
    assert!(c.is_open().await, "zap §10.2: ignored, not closed");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn online_delivery_and_receipt() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    ca.send(&send(&a, &b, 1_700_000_000, "olá, 世界 🌍")).await;
    assert_eq!(
        cb.recv().await,
        deliver(&a, &b, 1_700_000_000, "olá, 世界 🌍"),
        "zap §6.2"
    );
    assert_eq!(ca.recv().await, delivered(&b, 1_700_000_000), "zap §7.1");
    // A 05 to oneself is delivered to oneself (zap §6.1).
    ca.send(&send(&a, &a, 5, "eu")).await;
    let mut got = ca.recv_n(2).await;
    got.sort_by_key(|m| m.code());
    assert_eq!(got, [deliver(&a, &a, 5, "eu"), delivered(&a, 5)]);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn offline_messages_are_stored_and_delivered_in_order_on_connect() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    for i in 0..5 {
        ca.send(&send(&a, &b, 100 + i, &format!("{i}ª mensagem")))
            .await;
    }
    ca.expect_silence().await;
    drop(ca);
    let mut cb = server.online(&b).await;
    let want: Vec<_> = (0..5)
        .map(|i| deliver(&a, &b, 100 + i, &format!("{i}ª mensagem")))
        .collect();
    assert_eq!(cb.recv_n(5).await, want, "zap §9.4: in the order stored");
    cb.expect_silence().await;
    // The 07s waited for the originator (zap §7.1).
    let mut ca = server.online(&a).await;
    let want: Vec<_> = (0..5).map(|i| delivered(&b, 100 + i)).collect();
    assert_eq!(ca.recv_n(5).await, want);
    ca.expect_silence().await;
    // Each stored item is delivered once (zap §9.4).
    drop(cb);
    let mut cb = server.online(&b).await;
    cb.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn read_notices_follow_d15() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    cb.send(&read(&a, 500)).await;
    ca.expect_silence().await; // nothing delivered yet: ignored (D15)
    ca.send(&send(&a, &b, 400, "leia")).await;
    cb.recv().await;
    assert_eq!(ca.recv().await, delivered(&b, 400));
    cb.send(&read(&a, 399)).await;
    ca.expect_silence().await; // older than anything delivered
    cb.send(&read(&a, 450)).await;
    assert_eq!(
        ca.recv().await,
        read_notice(&b, 450),
        "zap §7.3: dst is the reader"
    );
    // Stored for an offline originator.
    drop(ca);
    cb.send(&read(&a, 451)).await;
    cb.expect_silence().await;
    let mut ca = server.online(&a).await;
    assert_eq!(ca.recv().await, read_notice(&b, 451));
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn groups_notify_everyone_and_fan_out() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b, c) = (
        server.register().await,
        server.register().await,
        server.register().await,
    );
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    let members = RequestedMembers::from_ids([b.clone(), c.clone(), b.clone()]).expect("ids");
    ca.send(&Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(7),
        members,
    })
    .await;
    let eleven = ca.recv().await;
    let Message::GroupCreated { group, members, .. } = &eleven else {
        panic!("11, got {eleven:?}")
    };
    assert_eq!(group.as_str(), "2000000000004", "zap §9.1: one namespace");
    assert_eq!(
        *members,
        GroupMembers::from_ids([a.clone(), b.clone(), c.clone()]).expect("ids"),
        "zap §8.2"
    );
    assert_eq!(cb.recv().await, eleven);
    let mut cc = server.online(&c).await;
    assert_eq!(cc.recv().await, eleven, "stored for the offline member");
    let g = group.clone();
    cb.send(&send(&b, &g, 9, "oi, grupo")).await;
    assert_eq!(ca.recv().await, deliver(&b, &g, 9, "oi, grupo"), "zap §9.3");
    assert_eq!(cc.recv().await, deliver(&b, &g, 9, "oi, grupo"));
    let mut receipts = cb.recv_n(2).await;
    receipts.sort_by_key(|m| m.to_bytes());
    assert_eq!(
        receipts,
        [delivered(&a, 9), delivered(&c, 9)],
        "one 07 per member"
    );
    // A member's 08 naming the sender gives the sender a 09.
    cc.send(&read(&b, 9)).await;
    assert_eq!(cb.recv().await, read_notice(&c, 9));
    // Not a member: ignored.
    let d = server.register().await;
    let mut cd = server.online(&d).await;
    cd.send(&send(&d, &g, 9, "intruso")).await;
    ca.expect_silence().await;
    // An unknown member voids the whole 10.
    let bad = RequestedMembers::from_ids([
        b.clone(),
        gabarito_codec::zap::Id::parse("1111111111111").expect("id"),
    ])
    .expect("ids");
    ca.send(&Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(8),
        members: bad,
    })
    .await;
    ca.expect_silence().await;
    cb.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn newest_connection_wins() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut old = server.online(&b).await;
    old.expect_silence().await;
    let mut new = server.online(&b).await;
    old.expect_closed().await;
    ca.send(&send(&a, &b, 1, "para o novo")).await;
    assert_eq!(new.recv().await, deliver(&a, &b, 1, "para o novo"), "D11");
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn not_allowed_frames_are_ignored_and_the_connection_stays() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    ca.send(&send(&b, &a, 1, "spoofed src")).await; // zap §9.2
    ca.send(&send(
        &a,
        &gabarito_codec::zap::Id::parse("9999999999999").expect("id"),
        1,
        "nobody",
    ))
    .await;
    ca.send(&Message::Connect {
        id: gabarito_codec::zap::Id::parse("0000000000000").expect("id"),
    })
    .await;
    ca.send(&Message::CreateGroup {
        creator: b.clone(),
        timestamp: ts(1),
        members: RequestedMembers::parse("").expect("empty"),
    })
    .await;
    cb.expect_silence().await;
    // Still online as a: the next message goes through.
    ca.send(&send(&a, &b, 2, "ok")).await;
    assert_eq!(cb.recv().await, deliver(&a, &b, 2, "ok"));
    assert_eq!(ca.recv().await, delivered(&b, 2));
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_connection_moves_to_another_id_with_03() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut c = server.online(&a).await;
    c.send(&Message::Connect { id: b.clone() }).await;
    let mut other = server.online(&a).await;
    other.send(&send(&a, &b, 3, "para b")).await;
    assert_eq!(c.recv().await, deliver(&a, &b, 3, "para b"), "zap §5.3");
    server.stop().await.expect("clean stop");
}
