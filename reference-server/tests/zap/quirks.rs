//! Each quirk observably changes what goes on the wire, within what the
//! spec allows.

use std::time::{Duration, Instant};

use gabarito_codec::zap::{Message, RequestedMembers, decode};
use gabarito_server::Quirk;

use crate::common::*;

#[tokio::test]
async fn pad_data() {
    let (_dir, config) = with_quirk(Quirk::PadData);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    ca.send(&send(&a, &b, 1, "olá")).await;
    let raw = cb.raw(QUIET).await;
    assert_eq!(
        raw.len(),
        38 + "olá".len() + 215,
        "NUL-padded to 218 characters (D6)"
    );
    assert_eq!(
        decode(&raw).expect("valid").message,
        deliver(&a, &b, 1, "olá")
    );
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn pad_members() {
    let (_dir, config) = with_quirk(Quirk::PadMembers);
    let server = Server::start(config).await;
    let a = server.register().await;
    let mut ca = server.online(&a).await;
    ca.send(&Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(1),
        members: RequestedMembers::parse("").expect(""),
    })
    .await;
    let raw = ca.raw(QUIET).await;
    assert_eq!(raw.len(), 25 + 8 * 13, "padded to 8 ids (D7)");
    assert!(raw.ends_with(&[b'0'; 13 * 7]));
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn glue() {
    let (_dir, config) = with_quirk(Quirk::Glue);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    for i in 0..3 {
        ca.send(&send(&a, &b, i, "colada")).await;
    }
    ca.barrier(&a).await;
    let mut cb = server.online(&b).await;
    // One write of three frames arrives as one segment on loopback: the
    // first read has all three.
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(PATIENCE, cb.read_once(&mut buf))
        .await
        .expect("a read");
    assert_eq!(
        n,
        3 * (38 + "colada".len()),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn slow() {
    let (_dir, config) = with_quirk(Quirk::Slow);
    let server = Server::start(config).await;
    let mut c = server.client().await;
    let start = Instant::now();
    c.send(&Message::Register).await;
    assert!(matches!(c.recv().await, Message::Registered { .. }));
    // A lower bound only: a busy machine makes it later, never earlier.
    assert!(start.elapsed() >= Duration::from_millis(150));
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn newline() {
    let (_dir, config) = with_quirk(Quirk::Newline);
    let server = Server::start(config).await;
    let mut c = server.client().await;
    c.send(&Message::Register).await;
    let raw = c.raw(QUIET).await;
    assert_eq!(raw.len(), 16);
    assert!(raw.starts_with(b"02") && raw.ends_with(b"\n"), "{raw:?}");
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn banner() {
    let (_dir, config) = with_quirk(Quirk::Banner);
    let server = Server::start(config).await;
    let mut c = server.client().await;
    assert_eq!(c.raw(QUIET).await, "Bem-vindo ao zap!\n".as_bytes());
    c.send(&Message::Register).await;
    assert_eq!(c.raw(QUIET).await.len(), 15, "then plain zap");
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn coalesce_receipts() {
    let (_dir, config) = with_quirk(Quirk::CoalesceReceipts);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    for i in 0..3 {
        ca.send(&send(&a, &b, 10 + i, "x")).await;
    }
    ca.barrier(&a).await;
    let mut cb = server.online(&b).await;
    cb.recv_n(3).await;
    assert_eq!(
        ca.recv().await,
        delivered(&b, 12),
        "one 07 with the latest timestamp (D14)"
    );
    ca.expect_silence().await;
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn echo_group_timestamp() {
    let (_dir, config) = with_quirk(Quirk::EchoGroupTimestamp);
    let server = Server::start(config).await;
    let a = server.register().await;
    let mut ca = server.online(&a).await;
    ca.send(&Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(42),
        members: RequestedMembers::parse("").expect(""),
    })
    .await;
    let Message::GroupCreated { timestamp, .. } = ca.recv().await else {
        panic!("11")
    };
    assert_eq!(timestamp.secs(), 42);
    server.stop().await.expect("stop");
}

#[tokio::test]
async fn close_on_ignore() {
    let (_dir, config) = with_quirk(Quirk::CloseOnIgnore);
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    ca.send(&send(&b, &a, 1, "spoof")).await;
    ca.expect_closed().await;
    server.stop().await.expect("stop");
}
