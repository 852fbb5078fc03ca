//! Bad neighbours and many peers: garbage floods, 1,000 connections, and a
//! reader that never reads (zap §10.1, §11.2).

use std::time::Duration;

use gabarito_codec::zap::{Direction, End, Message, StreamDecoder, decode};
use tokio::io::AsyncReadExt;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbage_flood_does_not_disturb_a_chatting_pair() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let (a, b) = (server.register().await, server.register().await);
    let addr = server.addr;
    let flood = tokio::spawn(async move {
        let mut junk = Vec::new();
        let mut x = 0x2545_f491_u32;
        for _ in 0..64 * 1024 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            junk.push(x as u8);
        }
        for round in 0..100 {
            let mut c = Client::connect(addr).await;
            let start = round * 7 % 1024;
            c.send_raw(&junk[start..]).await;
            c.expect_closed().await;
        }
    });
    let mut ca = server.online(&a).await;
    let mut cb = server.online(&b).await;
    for i in 0..200 {
        ca.send(&send(&a, &b, i, &format!("{i}"))).await;
        assert_eq!(cb.recv().await, deliver(&a, &b, i, &format!("{i}")));
    }
    let receipts = ca.recv_n(200).await;
    assert_eq!(
        receipts,
        (0..200).map(|i| delivered(&b, i)).collect::<Vec<_>>()
    );
    flood.await.expect("flood task");
    server.stop().await.expect("clean stop");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_connections() {
    let (_dir, config) = config();
    let server = Server::start(config).await;
    let n = 1000;
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        clients.push(server.client().await);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (i, mut c) in clients.into_iter().enumerate() {
        tasks.spawn(async move {
            c.send(&Message::Register).await;
            let Message::Registered { id } = c.recv().await else {
                panic!("02")
            };
            c.send(&Message::Connect { id: id.clone() }).await;
            (i, id, c)
        });
    }
    let mut online = Vec::new();
    while let Some(r) = tasks.join_next().await {
        online.push(r.expect("register task"));
    }
    online.sort_by_key(|(i, _, _)| *i);
    let ids: Vec<_> = online.iter().map(|(_, id, _)| id.clone()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), n, "zap §9.1: every id distinct");
    // Each sends one message around the ring and gets one 06 and one 07.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id, mut c) in online {
        let next = ids[(i + 1) % n].clone();
        let prev = ids[(i + n - 1) % n].clone();
        tasks.spawn(async move {
            // Everyone is online before anyone sends: a 03 has no reply, so
            // wait a moment rather than race the ring.
            tokio::time::sleep(Duration::from_millis(200)).await;
            c.send(&send(&id, &next, i as u64, "anel")).await;
            let mut got = c.recv_n(2).await;
            got.sort_by_key(|m| m.code());
            assert_eq!(
                got,
                [
                    deliver(&prev, &id, ((i + n - 1) % n) as u64, "anel"),
                    delivered(&next, i as u64)
                ]
            );
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.expect("ring task");
    }
    server.stop().await.expect("clean stop");
}

/// zap §11.2: a connected recipient that never reads is disconnected once
/// `--max-queue` frames wait for it; what it missed stays stored, and
/// arrives once, in order, when it comes back. The server's memory stays
/// bounded throughout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_never_reads_is_cut_off_and_nothing_is_lost() {
    const N: u64 = 100_000;
    let dir = tempfile::tempdir().expect("temp dir");
    // The bound applies to the sender too: its 07s (one per 06 written to
    // the stuck reader's kernel buffers, thousands) queue while the drain
    // task below waits for a core on a loaded machine. 4000 keeps it clear
    // of that, and is still far below the 100 000 frames the reader misses.
    let server = Process::start(dir.path(), &["--max-queue", "4000"]).await;
    let (a, b) = (server.register().await, server.register().await);
    let data = |i: u64| format!("{i:06} {}", "x".repeat(93));
    const FRAME: usize = 38 + 100;

    // The recipient: a tiny receive buffer, online, never reading.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let stream = socket.connect(server.addr).await.expect("connect");
    let mut stuck = Client::from_stream(stream);
    stuck.send(&Message::Connect { id: b.clone() }).await;

    // The sender, whose 07s are drained as they come; a 01 after the last
    // 05 tells when all of them are committed (its 02 comes after).
    let ca = server.online(&a).await;
    let (mut rd, mut wr) = ca.into_stream().into_split();
    let (done, all_accepted) = tokio::sync::oneshot::channel();
    let drain = tokio::spawn(async move {
        let mut done = Some(done);
        let mut dec = StreamDecoder::new(Direction::ToClient);
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n) = rd.read(&mut buf).await {
            if n == 0 {
                break;
            }
            dec.push(&buf[..n]);
            while let Ok(Some(d)) = dec.next(End::More) {
                if matches!(d.message, Message::Registered { .. }) {
                    if let Some(done) = done.take() {
                        let _ = done.send(());
                    }
                }
            }
        }
    });
    {
        use tokio::io::AsyncWriteExt;
        for i in 0..N {
            wr.write_all(&send(&a, &b, i, &data(i)).to_bytes())
                .await
                .expect("send");
        }
        // `03 a` ends the last 05 (zap §3.4 R3); a bare 01 would not.
        let mut barrier = Message::Connect { id: a.clone() }.to_bytes();
        barrier.extend_from_slice(b"01");
        wr.write_all(&barrier).await.expect("send");
    }
    tokio::time::timeout(Duration::from_secs(120), all_accepted)
        .await
        .expect("all accepted in time")
        .expect("02");
    let rss = server.peak_rss_kib();

    // The stuck reader was cut off: reading now gives what the kernel held,
    // then EOF.
    let mut held = Vec::new();
    let mut stream = stuck.into_stream();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut held))
        .await
        .expect("the server closed the slow reader")
        .expect("read");
    // Every frame here is 138 bytes; a frame the disconnect cut short is
    // not counted (and must come again).
    let got: Vec<(u64, String)> = held
        .chunks_exact(FRAME)
        .map(|f| match decode(f).expect("a whole 06").message {
            Message::Deliver(c) => (c.timestamp.secs(), c.data.as_str().to_owned()),
            other => panic!("06 expected, got {other:?}"),
        })
        .collect();
    let first = got.len() as u64;
    assert!(
        first < N,
        "the queue bound kicked in before everything was written"
    );
    for (k, (i, text)) in got.iter().enumerate() {
        assert_eq!(
            (*i, text.as_str()),
            (k as u64, data(k as u64).as_str()),
            "in order, once"
        );
    }

    // It comes back and gets the rest: once each, in order.
    let mut cb = server.online(&b).await;
    for next in first..N {
        let Message::Deliver(c) = cb.recv().await else {
            panic!("06 expected")
        };
        assert_eq!(
            (c.timestamp.secs(), c.data.as_str()),
            (next, data(next).as_str()),
            "in order, once"
        );
    }
    cb.expect_silence().await;
    drop(wr);
    drain.abort();
    if let Some(kib) = rss {
        eprintln!(
            "slow-reader test: server peak RSS {kib} KiB; {first} frames were in flight when it cut the reader off"
        );
        // Measured about 13 MiB; 100k bodies held in memory would add 25+ MiB.
        assert!(
            kib < 64 * 1024,
            "server memory stays bounded: peak {kib} KiB"
        );
    }
    server.kill9().await;
}

#[tokio::test]
async fn idle_connections_are_closed_and_the_limit_is_enforced() {
    let (_dir, mut config) = config();
    config.limits.idle_timeout = Duration::from_millis(500);
    config.limits.max_connections = 2;
    let server = Server::start(config).await;
    let mut first = server.client().await;
    let mut second = server.client().await;
    let mut third = server.client().await;
    third.expect_closed().await; // zap §11.2: over the limit, closed at once
    second.send(&Message::Register).await;
    assert!(matches!(second.recv().await, Message::Registered { .. }));
    // The idle one goes after the idle timeout; its slot frees up.
    first.expect_closed().await;
    let mut fourth = server.client().await;
    fourth.send(&Message::Register).await;
    assert!(matches!(fourth.recv().await, Message::Registered { .. }));
    server.stop().await.expect("clean stop");
}
