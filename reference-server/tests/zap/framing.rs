//! Split, glued, padded and broken input (zap §3, §10).

use std::time::Duration;

use gabarito_codec::zap::{Message, RequestedMembers};

use crate::common::*;

#[tokio::test]
async fn a_05_split_across_two_writes_is_read_whole() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    let frame = send(&a, &b, 1, "uma mensagem que chega em dois pedaços").to_bytes();
    let (head, tail) = frame.split_at(45);
    ca.send_raw(head).await;
    ca.send_raw(tail).await; // well within the settle time (zap §3.4 R5)
    assert_eq!(
        cb.recv().await,
        deliver(&a, &b, 1, "uma mensagem que chega em dois pedaços")
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn glued_frames_in_one_write_are_split() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut cb = server.online(&b).await;
    let mut ca = server.client().await;
    let mut glued = Message::Connect { id: a.clone() }.to_bytes();
    glued.extend(b"\r\n"); // zap §3.5: line breaks between frames are skipped
    glued.extend(send(&a, &b, 1, "um").to_bytes());
    glued.extend(send(&a, &b, 2, "dois").to_bytes());
    ca.send_raw(&glued).await;
    assert_eq!(
        cb.recv_n(2).await,
        [deliver(&a, &b, 1, "um"), deliver(&a, &b, 2, "dois")],
        "zap §3.4 R3"
    );
    assert!(ca.is_open().await);
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn separate_writes_with_a_pause_are_separate_messages() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    ca.send(&send(&a, &b, 1, "primeira")).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    ca.send_raw(b"segunda?").await; // not a frame on its own: malformed
    assert_eq!(cb.recv().await, deliver(&a, &b, 1, "primeira"));
    ca.expect_closed().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn padding_from_a_client_is_stripped() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    let mut padded = send(&a, &b, 1, "curta").to_bytes();
    padded.resize(38 + 218, 0); // zap §3.3, D6
    ca.send_raw(&padded).await;
    assert_eq!(
        cb.recv().await,
        deliver(&a, &b, 1, "curta"),
        "zap §6.2: no padding forwarded"
    );
    let mut group = Message::CreateGroup {
        creator: a.clone(),
        timestamp: ts(1),
        members: RequestedMembers::parse("").expect(""),
    }
    .to_bytes();
    group.extend(std::iter::repeat_n(b'0', 13 * 7)); // D7
    ca.send_raw(&group).await;
    let got = ca.recv_n(2).await;
    assert!(
        got.iter()
            .any(|m| matches!(m, Message::GroupCreated { members, .. } if members.len() == 1)),
        "{got:?}"
    );
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn malformed_input_closes_the_connection_and_nothing_is_acted_on() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut cb = server.online(&b).await;
    let over = "a".repeat(219);
    let mut bad_utf8 = send(&a, &b, 1, "").to_bytes();
    bad_utf8.extend(b"ab\xffcd");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("unknown code", b"04".to_vec()),
        ("banner", b"hello".to_vec()),
        ("wrong direction", deliver(&a, &b, 1, "x").to_bytes()),
        ("non-digit id", b"03123456789012a".to_vec()),
        ("invalid UTF-8", bad_utf8),
        (
            "219 characters",
            [send(&a, &b, 1, "").to_bytes(), over.into_bytes()].concat(),
        ),
    ];
    for (what, bytes) in cases {
        let mut c = server.online(&a).await;
        c.send_raw(&bytes).await;
        c.expect_closed().await;
        cb.expect_silence().await;
        let _ = what;
    }
    // 218 four-byte characters are fine (D2).
    let mut ca = server.online(&a).await;
    let long = "😀".repeat(218);
    ca.send(&send(&a, &b, 2, &long)).await;
    assert_eq!(cb.recv().await, deliver(&a, &b, 2, &long));
    server.stop().await.expect("clean stop");
}

/// zap §10.1: the frames before a malformed one, read with it, are acted
/// on; the malformed one and anything after it are not.
#[tokio::test]
async fn frames_read_with_a_malformed_one_before_it_are_acted_on() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let mut cb = server.online(&b).await;
    let mut c = server.client().await;
    let mut bytes = Message::Connect { id: a.clone() }.to_bytes();
    for i in 0..100 {
        bytes.extend(send(&a, &b, i, &format!("antes {i}!")).to_bytes());
    }
    // A 03 ends the last 05's data (zap §3.4 R3); "04" is no code.
    bytes.extend(Message::Connect { id: a.clone() }.to_bytes());
    bytes.extend(b"04");
    bytes.extend(send(&a, &b, 100, "depois").to_bytes());
    c.send_raw(&bytes).await;
    c.expect_closed().await;
    let want: Vec<_> = (0..100)
        .map(|i| deliver(&a, &b, i, &format!("antes {i}!")))
        .collect();
    assert_eq!(cb.recv_n(100).await, want);
    cb.expect_silence().await;
    server.stop().await.expect("clean stop");
}

#[tokio::test]
async fn a_short_fixed_frame_waits_instead_of_closing() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let a = server.register().await;
    let mut c = server.client().await;
    c.send_raw(&Message::Connect { id: a.clone() }.to_bytes()[..14])
        .await; // zap §10.1: wrong length
    assert!(c.is_open().await, "waits for the rest (R2)");
    c.send_raw(&a.as_str().as_bytes()[12..]).await;
    let b = server.register().await;
    let mut cb = server.online(&b).await;
    cb.send(&send(&b, &a, 1, "chegou?")).await;
    assert_eq!(
        c.recv().await,
        deliver(&b, &a, 1, "chegou?"),
        "the 03 completed"
    );
    server.stop().await.expect("clean stop");
}
