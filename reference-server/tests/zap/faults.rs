//! Each fault observably breaks the behaviour it names.

use gabarito_codec::zap::{Id, Message, RequestedMembers};
use gabarito_server::Fault;

use crate::common::*;

/// Two registered users, both online.
async fn pair(server: &Server) -> (Id<'static>, Id<'static>, Client, Client) {
    let (a, b) = (server.register().await, server.register().await);
    let ca = server.online(&a).await;
    let cb = server.online(&b).await;
    (a, b, ca, cb)
}

#[tokio::test]
async fn no_pending_delivery() {
    let (_dir, config) = with_fault(Fault::NoPendingDelivery);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    ca.send(&send(&a, &b, 1, "guardada")).await;
    ca.expect_silence().await;
    let mut cb = server.online(&b).await;
    cb.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn no_delivered_receipt() {
    let (_dir, config) = with_fault(Fault::NoDeliveredReceipt);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&a, &b, 1, "x")).await;
    cb.recv().await;
    ca.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn no_read_notice() {
    let (_dir, config) = with_fault(Fault::NoReadNotice);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&a, &b, 1, "x")).await;
    cb.recv().await;
    assert_eq!(ca.recv().await, delivered(&b, 1));
    cb.send(&read(&a, 1)).await;
    ca.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn wrong_receipt_timestamp() {
    let (_dir, config) = with_fault(Fault::WrongReceiptTimestamp);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&a, &b, 1000, "x")).await;
    cb.recv().await;
    assert_eq!(ca.recv().await, delivered(&b, 1001));
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn swap_src_dst() {
    let (_dir, config) = with_fault(Fault::SwapSrcDst);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&a, &b, 1, "x")).await;
    assert_eq!(cb.recv().await, deliver(&b, &a, 1, "x"));
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn short_ids() {
    let (_dir, config) = with_fault(Fault::ShortIds);
    let server = Server::start(config).await;
    let mut c = server.client().await;
    c.send(&Message::Register).await;
    assert_eq!(c.raw(QUIET).await, b"02000000000001");
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn same_id() {
    let (_dir, config) = with_fault(Fault::SameId);
    let server = Server::start(config).await;
    assert_eq!(server.register().await, server.register().await);
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn accept_spoofing() {
    let (_dir, config) = with_fault(Fault::AcceptSpoofing);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&b, &b, 1, "forjada")).await;
    let mut got = cb.recv_n(2).await;
    got.sort_by_key(|m| m.code());
    assert_eq!(got, [deliver(&b, &b, 1, "forjada"), delivered(&b, 1)]);
    let _ = a;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn crash_on_malformed() {
    let (_dir, config) = with_fault(Fault::CrashOnMalformed);
    let server = Server::start(config).await;
    let a = server.register().await;
    let mut ca = server.online(&a).await;
    let addr = server.addr;
    let mut bad = server.client().await;
    bad.send_raw(b"hello").await;
    let err = server.finished().await.expect_err("run returns an error");
    assert!(format!("{err:#}").contains("crash-on-malformed"), "{err:#}");
    ca.expect_closed().await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "listener closed"
    );
}

#[tokio::test]
async fn truncate_data() {
    let (_dir, config) = with_fault(Fault::TruncateData);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    let long = "ç".repeat(150);
    ca.send(&send(&a, &b, 1, &long)).await;
    assert_eq!(cb.recv().await, deliver(&a, &b, 1, &"ç".repeat(100)));
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn count_bytes() {
    let (_dir, config) = with_fault(Fault::CountBytes);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    ca.send(&send(&a, &b, 1, &"é".repeat(150))).await; // 150 characters, 300 bytes
    ca.expect_closed().await;
    cb.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn no_creator_notice() {
    let (_dir, config) = with_fault(Fault::NoCreatorNotice);
    let server = Server::start(config).await;
    let (a, b, mut ca, mut cb) = pair(&server).await;
    let members = RequestedMembers::from_ids([b.clone()]).expect("ids");
    ca.send(&Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(1),
        members,
    })
    .await;
    assert!(matches!(cb.recv().await, Message::GroupCreated { .. }));
    ca.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn lose_state() {
    let (_dir, config) = with_fault(Fault::LoseState);
    let server = Server::start(config.clone()).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    ca.send(&send(&a, &b, 1, "perdida")).await;
    ca.barrier(&a).await;
    server.stop().await.expect("stop");
    let server = Server::start(config).await;
    assert_eq!(server.register().await, a, "ids start over");
    let mut cb = server.online(&b).await;
    cb.expect_silence().await;
    server.stop().await.expect("stop");
}

async fn three_pending(fault: Fault) -> Vec<Message<'static>> {
    let (_dir, config) = with_fault(fault);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    for i in 0..3 {
        ca.send(&send(&a, &b, i, &format!("{i}ª"))).await;
    }
    ca.barrier(&a).await;
    let mut cb = server.online(&b).await;
    let mut got = Vec::new();
    while let Some(m) = cb.try_recv(QUIET).await {
        got.push(m);
    }
    server.stop().await.expect("stop");
    got.into_iter()
        .map(|m| match m {
            Message::Deliver(c) => deliver(&a, &b, c.timestamp.secs(), c.data.as_str()),
            other => other,
        })
        .collect()
}

#[tokio::test]
async fn newest_first() {
    let got = three_pending(Fault::NewestFirst).await;
    let times: Vec<_> = got
        .iter()
        .map(|m| {
            if let Message::Deliver(c) = m {
                c.timestamp.secs()
            } else {
                99
            }
        })
        .collect();
    assert_eq!(times, [2, 1, 0]);
}

#[tokio::test]
async fn deliver_twice() {
    let got = three_pending(Fault::DeliverTwice).await;
    let times: Vec<_> = got
        .iter()
        .map(|m| {
            if let Message::Deliver(c) = m {
                c.timestamp.secs()
            } else {
                99
            }
        })
        .collect();
    assert_eq!(times, [0, 0, 1, 1, 2, 2]);
}
