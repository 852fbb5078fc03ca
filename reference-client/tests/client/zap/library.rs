//! The library against the reference server: zap §5–§9 from the client's
//! side, and the real-world framing the server's quirks produce.

use gabarito_client::zap::{Client, ClientError, Event, GroupNotice, Incoming, Timestamp};
use gabarito_server::Quirk;

use crate::common::{Config, PATIENCE, Server, Users, event, fake, silence};

fn message(e: Event) -> Incoming {
    match e {
        Event::Message(m) => m,
        other => panic!("expected a message, got {other:?}"),
    }
}

#[tokio::test]
async fn online_message_then_delivered_and_read_receipts() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path())).await;
    let (alice, mut a) = server.user().await;
    let (bob, mut b) = server.user().await;
    assert_ne!(alice, bob);
    let sent = a.send(&bob, "oi, bob — tudo bem? 𝄞").await.unwrap();
    let got = message(event(&mut b).await);
    assert_eq!((&got.from, &got.to), (&alice, &bob));
    assert_eq!(got.text.as_str(), "oi, bob — tudo bem? 𝄞");
    assert_eq!(
        got.timestamp, sent.timestamp,
        "the server never rewrites it (D5)"
    );
    assert_eq!(
        event(&mut a).await,
        Event::Delivered {
            to: bob.clone(),
            up_to: sent.timestamp.clone()
        }
    );
    b.mark_read(&alice, &got.timestamp).await.unwrap();
    assert_eq!(
        event(&mut a).await,
        Event::Read {
            by: bob.clone(),
            up_to: sent.timestamp
        }
    );
    silence(&mut b).await;
}

#[tokio::test]
async fn offline_messages_wait_for_login_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path())).await;
    let (_alice, mut a) = server.user().await;
    let bob = {
        let mut c = server.client().await;
        c.register().await.unwrap()
    };
    // Same second, same timestamp: order is the server's, not the clock's.
    let t = Timestamp::from_secs(1_700_000_000).unwrap();
    for text in ["um", "dois", "três"] {
        a.send_at(&bob, t.clone(), text).await.unwrap();
    }
    silence(&mut a).await;
    let mut b = server.client().await;
    b.login(bob.clone()).await.unwrap();
    let texts: Vec<String> = [
        event(&mut b).await,
        event(&mut b).await,
        event(&mut b).await,
    ]
    .into_iter()
    .map(|e| message(e).text.to_string())
    .collect();
    assert_eq!(texts, ["um", "dois", "três"]);
    for _ in 0..3 {
        assert!(matches!(event(&mut a).await, Event::Delivered { to, .. } if to == bob));
    }
}

#[tokio::test]
async fn a_group_is_created_and_fans_out() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path())).await;
    let (alice, mut a) = server.user().await;
    let (bob, mut b) = server.user().await;
    let (carol, mut c) = server.user().await;
    // Duplicates and the creator are dropped before the 10 is sent (§8.1).
    let g: GroupNotice = a
        .create_group(&[bob.clone(), alice.clone(), carol.clone(), bob.clone()])
        .await
        .unwrap();
    assert_eq!(g.members, [alice.clone(), bob.clone(), carol.clone()]);
    for member in [&mut b, &mut c] {
        match event(member).await {
            Event::Group(n) => assert_eq!(n, g),
            other => panic!("expected the 11, got {other:?}"),
        }
    }
    a.send(&g.group, "olá, grupo").await.unwrap();
    for member in [&mut b, &mut c] {
        let m = message(event(member).await);
        assert_eq!(
            (&m.from, &m.to),
            (&alice, &g.group),
            "dst is the group (§9.3)"
        );
    }
    let mut reached = vec![];
    for _ in 0..2 {
        match event(&mut a).await {
            Event::Delivered { to, .. } => reached.push(to),
            other => panic!("expected a 07, got {other:?}"),
        }
    }
    reached.sort();
    assert_eq!(reached, [bob, carol]);
}

#[tokio::test]
async fn glued_padded_newlined_bannered_replies_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let quirks = [
        Quirk::Glue,
        Quirk::Newline,
        Quirk::Banner,
        Quirk::PadData,
        Quirk::PadMembers,
    ];
    let server = Server::start(
        quirks
            .iter()
            .fold(Config::new(dir.path()), |c, q| c.with_quirk(*q)),
    )
    .await;
    let mut a = server.client().await;
    // The banner comes first, as garbage that is reported, not fatal.
    let alice = a.register().await.unwrap();
    a.login(alice.clone()).await.unwrap();
    assert!(matches!(event(&mut a).await, Event::Garbage { .. }));
    let (bob, mut b) = {
        let mut c = server.client().await;
        let id = c.register().await.unwrap();
        c.login(id.clone()).await.unwrap();
        (id, c)
    };
    assert!(matches!(event(&mut b).await, Event::Garbage { .. }));
    // Offline messages to carol come out in one write: glued, padded, \n.
    let carol = server.client().await.register().await.unwrap();
    for text in ["primeira", "segunda", "terceira"] {
        a.send(&carol, text).await.unwrap();
    }
    let g = a.create_group(&[bob.clone(), carol.clone()]).await.unwrap();
    assert_eq!(g.members.len(), 3, "padding ids stripped (§3.3)");
    assert!(matches!(event(&mut b).await, Event::Group(n) if n == g));
    let mut c = server.client().await;
    c.login(carol.clone()).await.unwrap();
    assert!(matches!(event(&mut c).await, Event::Garbage { .. }));
    let mut texts = vec![];
    for _ in 0..3 {
        texts.push(message(event(&mut c).await).text.to_string());
    }
    assert_eq!(texts, ["primeira", "segunda", "terceira"], "NULs stripped");
    assert!(matches!(event(&mut c).await, Event::Group(n) if n == g));
}

#[tokio::test]
async fn bad_text_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(Config::new(dir.path())).await;
    let (_alice, mut a) = server.user().await;
    let (bob, mut b) = server.user().await;
    let long = "é".repeat(219);
    match a.send(&bob, &long).await {
        Err(ClientError::Text { chars: 219, reason }) => assert!(reason.contains("218")),
        other => panic!("expected a text error, got {other:?}"),
    }
    assert!(matches!(
        a.send(&bob, "a\0b").await,
        Err(ClientError::Text { .. })
    ));
    silence(&mut b).await;
    // 218 characters of four bytes each are fine (§4.1: characters, not bytes).
    let max = "𝄞".repeat(218);
    a.send(&bob, &max).await.unwrap();
    assert_eq!(message(event(&mut b).await).text.as_str(), max);
    let mut fresh = server.client().await;
    assert!(matches!(
        fresh.send(&bob, "hi").await,
        Err(ClientError::NotLoggedIn)
    ));
}

#[tokio::test]
async fn a_server_that_answers_garbage_gives_a_typed_error() {
    let (addr, _task) = fake(b"04 ERRO: comando desconhecido\n", false).await;
    let mut c = Client::connect_with(
        &addr.to_string(),
        gabarito_client::zap::ClientConfig {
            reply_timeout: std::time::Duration::from_millis(300),
            ..crate::common::fast()
        },
    )
    .await
    .unwrap();
    match c.register().await {
        Err(e @ ClientError::NoReply { .. }) => assert!(e.to_string().contains("02"), "{e}"),
        other => panic!("expected NoReply, got {other:?}"),
    }
    // The bytes were kept as an event, not thrown away.
    assert!(matches!(c.buffered_event(), Some(Event::Garbage { .. })));

    let (addr, _task) = fake(b"", true).await;
    let mut c = Client::connect(&addr.to_string()).await.unwrap();
    assert!(matches!(
        tokio::time::timeout(PATIENCE, c.register()).await.unwrap(),
        Err(ClientError::Closed { .. } | ClientError::Io(_))
    ));
}
